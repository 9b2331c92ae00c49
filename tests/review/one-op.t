#!/usr/bin/env bash
# The review diff stays local: one patchable op added in the middle of pv_cpu_ops (invd,
# after wbinvd) changes at most 60 lines of generated/, only in files that mention the op,
# and every changed line names the op or is a count that has to change. Positions (patch
# types, slot offsets) are the C compiler's and the assembler's to count, provenance carries
# no content hash, and the result still builds: the headers' own checks of the counts hold.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
BUDGET=60
OP=invd

mkdir -p "$TMP/spec"
sed "s/^\( *\)- {name: wbinvd, sig: void (void), kind: patchable}\$/&\n\1- {name: $OP, sig: void (void), kind: patchable}/" \
	"$ROOT/spec/pvops.yaml" >"$TMP/spec/pvops.yaml"
grep -q "name: $OP," "$TMP/spec/pvops.yaml" || { notok "one-op: could not add $OP after wbinvd"; exit 1; }
"$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/old" "$ROOT/spec/pvops.yaml" 2>"$TMP/err" &&
	(cd "$TMP" && "$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/new" spec/pvops.yaml) 2>>"$TMP/err" ||
	{ notok "one-op: generate"; cat "$TMP/err"; exit 1; }

(cd "$TMP" && diff -ru old new) >"$TMP/diff"
changed=$(grep -vE '^(\+\+\+|---) ' "$TMP/diff" | grep -cE '^[-+]')
files=$(grep -c '^diff ' "$TMP/diff")
[ "$changed" -gt 0 ] && [ "$changed" -le $BUDGET ] &&
	ok "one-op: adding $OP changes $changed lines in $files files (budget $BUDGET)" ||
	notok "one-op: adding $OP changes $changed lines in $files files (budget $BUDGET)"

NAMED="(^|[^A-Za-z0-9])$OP([^A-Za-z0-9_]|\$)"   # the op's own name (wbinvd is another op)

# every changed file mentions the op
bad=$(grep '^diff ' "$TMP/diff" | awk '{ print $NF }' | while read -r f; do grep -qE "$NAMED" "$TMP/$f" || echo "$f"; done)
[ -z "$bad" ] && ok "one-op: every changed file mentions $OP" || notok "one-op: files changed that do not mention $OP:" $bad

# every changed line names the op, or belongs to a run of added lines that does (the braces
# of its wrapper), or is a count: a line that says it counts (ninsns, COUNT, nr)
stray=$(awk -v named="$NAMED" '
	function flush() { if (n && !(hit && !removed)) for (i = 1; i <= n; i++) if (run[i] !~ named && run[i] !~ /ninsns|COUNT|_nr|count/) print run[i]; n = hit = removed = 0 }
	/^(\+\+\+|---) / { next }
	/^[-+]/ { run[++n] = $0; if ($0 ~ named) hit = 1; if ($0 ~ /^-/) removed = 1; next }
	{ flush() }
	END { flush() }' "$TMP/diff")
[ -z "$stray" ] && ok "one-op: every changed line names $OP or is a count" ||
	{ notok "one-op: $(printf '%s\n' "$stray" | grep -c .) changed lines name neither $OP nor a count"; printf '%s\n' "$stray" | head -10 | sed 's/^/    /'; }

# no provenance hash: a spec change that no file shows leaves every file as it was
sed 's/^\(  - name: x86_64\)$/# a comment only\n\1/' "$ROOT/spec/pvops.yaml" >"$TMP/spec/pvops.yaml"
(cd "$TMP" && "$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/old2" spec/pvops.yaml) && (cd "$TMP" && diff -r old old2 >/dev/null) &&
	ok "one-op: a comment in the spec changes no generated file" ||
	notok "one-op: a comment in the spec changes generated files"

# the SPDX line the spec sets leads every file (in its own comment syntax: # for a sed script, <!-- --> for Markdown)
n=$(find "$TMP/new" -type f | wc -l)
spdx=$(find "$TMP/new" -type f -exec head -n1 {} \; | grep -cxE '/\* SPDX-License-Identifier: GPL-2.0 \*/|# SPDX-License-Identifier: GPL-2.0|<!-- SPDX-License-Identifier: GPL-2.0 -->')
[ "$spdx" -eq "$n" ] && [ "$n" -gt 0 ] && ok "one-op: all $n files start with the spec's SPDX line (GPL-2.0)" ||
	notok "one-op: $spdx of $n files start with the SPDX line"

# the new tables build and their static checks of the counted positions hold, in C and .S
for arch in x86_64 i386; do
	m=$([ $arch = x86_64 ] && echo -m64 || echo -m32)
	echo '#include "prelude.h"
#include "paravirt.h"
int t(void); int t(void) { return PARAVIRT_PATCH_pv_cpu_ops_'$OP' * 1000 + PV_OFFSET_pv_cpu_ops_'$OP'; }' >"$TMP/t.c"
	printf '#include "paravirt_asm.h"\n\t.byte PARAVIRT_PATCH_pv_cpu_ops_%s, PV_OFFSET_pv_cpu_ops_%s\n' $OP $OP >"$TMP/t.S"
	if cc $m -O2 -Wall -Wextra -Werror -fno-pie -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$TMP/new/$arch" -c "$TMP/t.c" -o "$TMP/t.o" 2>"$TMP/err" &&
		cc $m -I"$TMP/new/$arch" -c "$TMP/t.S" -o "$TMP/ts.o" 2>>"$TMP/err"; then
		ok "one-op: $arch: the tables with $OP build, C and .S"
	else
		notok "one-op: $arch: build with $OP"; head -5 "$TMP/err"
	fi
done
exit 0
