#!/usr/bin/env bash
# make install into a temporary DESTDIR: the installed binary, run from another folder on a
# copy of the shipped spec in a tree without templates/ (as a kernel tree is), finds its
# installed templates and writes exactly generated/; the man page is made from --help (every
# option --help lists is in it); make uninstall leaves nothing behind.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
D=$TMP/dest
make -s -C "$ROOT" B="$B" PREFIX=/usr DESTDIR="$D" install >"$TMP/log" 2>&1 ||
	{ notok "install: make install failed: $(tail -3 "$TMP/log")"; exit 0; }
for f in usr/bin/pvopsc usr/share/man/man1/pvopsc.1 usr/share/pvopsc/templates/x86/paravirt.h.tmpl; do
	[ -f "$D/$f" ] || notok "install: no $f"
done
ok "install: binary, man page and templates under DESTDIR/usr"

mkdir -p "$TMP/kernel/spec" "$TMP/elsewhere"
cp "$ROOT/spec/pvops.yaml" "$TMP/kernel/spec/"
(cd "$TMP/elsewhere" && "$D/usr/bin/pvopsc" -q -o "$TMP/out" ../kernel/spec/pvops.yaml) 2>"$TMP/err" &&
	diff -r --exclude=linux-6.1 "$ROOT/generated" "$TMP/out" >"$TMP/d" && # linux-6.1/: the other spec
	ok "install: the installed pvopsc, from another folder, finds its templates and writes generated/ byte for byte" ||
	{ notok "install: installed run: $(head -3 "$TMP/err" "$TMP/d")"; }

# --explain's examples are compiled in: the installed binary, with no tests/ beside it, has them
(cd "$TMP/elsewhere" && "$D/usr/bin/pvopsc" --explain unknown-key) >"$TMP/explain" 2>&1 &&
	grep -q '^Right (tests/cases/unknown-key/fixed.yaml):$' "$TMP/explain" && grep -q "^+ *[0-9]* |.*clobbers:" "$TMP/explain" &&
	ok "install: the installed pvopsc explains a check with its wrong and right example" ||
	notok "install: installed --explain: $(head -3 "$TMP/explain")"

# every option of --help is in the man page (the page is made from it)
man=$TMP/man.txt
sed 's/\\-/-/g; s/\\e/\\/g' "$D/usr/share/man/man1/pvopsc.1" >"$man" # the troff source, unescaped
missing=$("$PVOPSC" --help | grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z=]*' | sed 's/^[ ,]*//' | sort -u | while read -r o; do grep -qF -- "$o" "$man" || echo "$o"; done)
[ -z "$missing" ] && ok "install: pvopsc(1) has every option --help lists" || notok "install: pvopsc(1) lacks:" $missing
grep -q 'unknown-key' "$man" && grep -q 'Exit status (bits' "$man" && ok "install: pvopsc(1) lists the checks and the diff command" ||
	notok "install: pvopsc(1) lacks the checks or pvopsc diff"

make -s -C "$ROOT" B="$B" PREFIX=/usr DESTDIR="$D" uninstall >"$TMP/log" 2>&1
left=$(find "$D" -type f | sed "s|^$D/||")
[ -z "$left" ] && ok "install: make uninstall removes every installed file" || notok "install: left after uninstall:" $left
exit 0
