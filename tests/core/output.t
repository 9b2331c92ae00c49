#!/usr/bin/env bash
# The output stage as an attacker and a careless user would meet it: links, special files and
# planted temporary files in the output folder, a read-only subfolder, a full disk, a missing
# template folder, empty option values. Each run either changes the whole tree or nothing.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
chmod 755 "$TMP"
cd "$ROOT"
P=$TMP/pvopsc
cp "$PVOPSC" "$P"
mkdir -p "$TMP/proj/spec"
cp spec/pvops.yaml "$TMP/proj/spec/"
cp -r templates "$TMP/proj/"
SPEC=$TMP/proj/spec/pvops.yaml
T=$TMP/proj/templates
# another spec whose every generated file differs from SPEC's (the SPDX line of each)
sed 's/^license: GPL-2.0$/license: MIT/' "$SPEC" >"$TMP/proj/spec/changed.yaml"
CHANGED=$TMP/proj/spec/changed.yaml
# every name, and every file's inode, mtime and bytes (a folder's own mtime may change)
sum() { (cd "$1" && find . \( -type d -printf '%p\n' \) -o -printf '%p %i %T@ %s\n' | sort; find . -type f -print0 | sort -z | xargs -0 cat | md5sum); }
fresh() { rm -rf "$1" && "$P" -q -t "$T" -o "$1" "$SPEC"; }
run() { timeout 60 "$P" -q -t "$T" "$@" >"$TMP/log" 2>&1; }
expect_rc() { # NAME WANT: the last run's exit code
	[ "$RC" -eq "$2" ] && ok "$1" || { notok "$1: exit $RC (want $2)"; sed 's/^/    /' "$TMP/log" | head -5; }
}

# Links: never followed, to write, to clean up, or to recurse.
O=$TMP/o1; fresh "$O"; mkdir -p "$TMP/outside"
rm -rf "$O/x86_64" && ln -s ../outside "$O/x86_64"
before=$(sum "$O")
run -o "$O" "$CHANGED"; RC=$?
expect_rc "an arch folder that is a link: I/O error" 2
[ -z "$(ls -A "$TMP/outside")" ] && ok "nothing written through the arch folder's link" || notok "wrote through the link: $(ls "$TMP/outside")"
[ "$(sum "$O")" = "$before" ] && ok "the rest of the tree is unchanged after the link error" || notok "the tree changed"
grep -q 'symbolic link' "$TMP/log" && ok "the message says it is a link" || notok "message: $(cat "$TMP/log")"

O=$TMP/o2; fresh "$O"
cp "$O/x86_64/paravirt.h" "$TMP/victim.h"
ln -s "$TMP/victim.h" "$O/x86_64/stale.h"
run -o "$O" "$SPEC"; RC=$?
expect_rc "a link in an arch folder is no reason to fail" 0
[ -f "$TMP/victim.h" ] && ok "stale-file cleanup does not delete through a link" || notok "cleanup deleted the link's target"

O=$TMP/o3; fresh "$O"
ln -s . "$O/x86_64/self"; ln -s loop2 "$O/x86_64/loop1"; ln -s loop1 "$O/x86_64/loop2"
run -o "$O" "$SPEC"; RC=$?
expect_rc "self-links in the output: the run ends" 0
run --check -o "$O" "$SPEC"; RC=$?
expect_rc "self-links in the output: --check ends, up to date" 0

O=$TMP/o4; fresh "$O"
rm "$O/x86_64/paravirt.h" && mkfifo "$O/x86_64/paravirt.h"
run -o "$O" "$CHANGED"; RC=$?
expect_rc "a FIFO where a file goes: I/O error, no hang" 2
grep -q 'not a regular file' "$TMP/log" && ok "the message says it is not a regular file" || notok "message: $(cat "$TMP/log")"
run --check -o "$O" "$SPEC"; RC=$?
expect_rc "--check on a FIFO: I/O error, no hang" 2
rm "$O/x86_64/paravirt.h" && ln -s /dev/zero "$O/x86_64/paravirt.h"
run --check -o "$O" "$SPEC"; RC=$?
expect_rc "--check on a link to /dev/zero: I/O error, no endless read" 2
run -o "$O" "$SPEC"; RC=$?
expect_rc "a run onto a link to /dev/zero: I/O error" 2

# Temporary files: unpredictable, never through a link, leftovers removed and reported.
O=$TMP/o5; fresh "$O"
: >"$O/x86_64/.paravirt.h.pvopsc-Ab12Cd"
run --check -o "$O" "$SPEC"; RC=$?
expect_rc "--check reports a temporary file a killed run left" 1
run -o "$O" "$SPEC"; RC=$?
expect_rc "a run after a killed one" 0
[ ! -e "$O/x86_64/.paravirt.h.pvopsc-Ab12Cd" ] && ok "the leftover temporary file is removed" || notok "leftover temp file survived"
echo precious >"$TMP/target"
ln -s "$TMP/target" "$O/x86_64/.paravirt.h.pvopsc-zzzzzz"
for pid in $(seq $$ $(($$ + 50))); do ln -s "$TMP/target" "$O/x86_64/paravirt.h.tmp$pid" 2>/dev/null; done
run -o "$O" "$CHANGED"; RC=$?
expect_rc "a run among planted links" 0
[ "$(cat "$TMP/target")" = precious ] && ok "planted temp-name links are never written through" || notok "planted link's target overwritten"
[ -z "$(find "$O" -type f -name '.*pvopsc-*')" ] && ok "no temporary file left after a run" || notok "temporary files left"

# All or nothing: a read-only subfolder (as a user without write permission), a full disk.
O=$TMP/o6; fresh "$O"; chown -R 65534:65534 "$O"; chmod 555 "$O/i386"
before=$(sum "$O")
setpriv --reuid=65534 --regid=65534 --clear-groups timeout 60 "$P" -q -t "$T" -o "$O" "$CHANGED" >"$TMP/log" 2>&1; RC=$?
expect_rc "a read-only i386/: I/O error" 2
[ "$(sum "$O")" = "$before" ] && ok "a read-only i386/ leaves x86_64/ and ia64/ unchanged too" || notok "the tree was half updated"
chmod 000 "$O"
setpriv --reuid=65534 --regid=65534 --clear-groups timeout 60 "$P" -q -t "$T" --check -o "$O" "$SPEC" >"$TMP/log" 2>&1; RC=$?
expect_rc "--check on an unreadable output folder: I/O error (2), not a diff" 2
chmod 755 "$O"
if unshare -m true 2>/dev/null; then
	mkdir -p "$TMP/small"
	unshare -m sh -c 'mount -t tmpfs -o size=64k tmpfs "$1" && timeout 60 "$2" -q -t "$3" -o "$1/gen" "$4"; echo "rc=$?"; find "$1" | wc -l' \
		sh "$TMP/small" "$P" "$T" "$SPEC" >"$TMP/log" 2>&1
	grep -q '^rc=2$' "$TMP/log" && [ "$(tail -n 1 "$TMP/log")" = 1 ] &&
		ok "a full disk (64 KB tmpfs): I/O error and nothing written, not even a folder" ||
		{ notok "a full disk"; sed 's/^/    /' "$TMP/log" | head -5; }
fi

# Templates: a missing or empty template folder touches nothing; empty option values.
O=$TMP/o7; fresh "$O"; before=$(sum "$O")
run -t /no/such/templates -o "$O" "$SPEC"; RC=$?
expect_rc "-t naming no folder: I/O error" 2
[ "$(sum "$O")" = "$before" ] && ok "a missing template folder removes nothing" || notok "files removed"
mkdir -p "$TMP/empty"
run -t "$TMP/empty" -o "$O" "$SPEC"; RC=$?
expect_rc "an empty template folder: I/O error" 2
mkdir -p "$TMP/lone/spec" && cp "$SPEC" "$TMP/lone/spec/"
timeout 60 "$P" -q -o "$O" "$TMP/lone/spec/pvops.yaml" >"$TMP/log" 2>&1; RC=$?
expect_rc "no templates/ beside the spec's folder (the default -t): I/O error" 2
[ "$(sum "$O")" = "$before" ] && ok "a missing default template folder removes nothing" || notok "files removed"
(cd "$TMP" && timeout 60 "$P" -q -t "$T" --check -o "" "$SPEC" >"$TMP/log" 2>&1); RC=$?
expect_rc '-o "" is a usage error (not the root folder)' 2
(cd "$TMP" && timeout 60 "$P" -q -t "" --check -o "$O" "$SPEC" >"$TMP/log" 2>&1); RC=$?
expect_rc '-t "" is a usage error' 2

# One rule for the defaults and the provenance: from anywhere, the same bytes.
(cd "$TMP/proj/spec" && timeout 60 "$P" -q pvops.yaml) >"$TMP/log" 2>&1
[ -f "$TMP/proj/generated/x86_64/paravirt.h" ] && ok "default -o is generated/ beside the spec's folder, from any directory" || notok "default -o"
(cd "$TMP/proj/spec" && "$P" --check -o ../generated pvops.yaml) >"$TMP/log" 2>&1; RC=$?
expect_rc "run inside spec/ with a relative path: the same bytes" 0
(cd "$TMP/proj" && "$P" --check ./spec/pvops.yaml) >"$TMP/log" 2>&1; RC=$?
expect_rc "spelt ./spec/pvops.yaml: the same bytes" 0
(cd / && "$P" --check "$TMP/proj/spec/../spec/pvops.yaml") >"$TMP/log" 2>&1; RC=$?
expect_rc "an absolute path with .. from /: the same bytes" 0
head -n 2 "$TMP/proj/generated/x86_64/paravirt.h" | grep -q ' from spec/pvops.yaml ' &&
	ok "provenance names the spec by its path from the project root" || notok "provenance: $(head -n 2 "$TMP/proj/generated/x86_64/paravirt.h")"
