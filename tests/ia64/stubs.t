#!/usr/bin/env bash
# The inline asm of every generated pv_cpu_ops stub, with its operands substituted as GCC
# would, assembles with the IA-64 assembler (explicit mode, warnings fatal) into exactly 5
# bundles, and leaves one .paravirt_bundles record per site: {start, start + 80, type}.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok stubs-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
generate || exit 0

build_stubs || exit 0
if assemble "$T/stubs.s" "$T/stubs.o" 2>"$T/as.err"; then
	ok "stubs-assemble ($nsites sites)"
else
	nok stubs-assemble "$(head -4 "$T/as.err" | tr '\n' ' ')"
	exit 0
fi
bundle_sigs "$T/stubs.o" '^S_[0-9]' | awk '$2 != 5 { print $1 ": " $2 }' >"$T/bad"
n=$(bundle_sigs "$T/stubs.o" '^S_[0-9]' | wc -l)
[ "$n" = "$nsites" ] && [ ! -s "$T/bad" ] && ok "stubs-are-5-bundles" ||
	nok stubs-are-5-bundles "$n of $nsites read back; $(head -3 "$T/bad" | tr '\n' ' ')"

# The records: relocations give start and end (section offsets), the data the type.
"$OBJDUMP" -r -j .paravirt_bundles "$T/stubs.o" |
	sed -n 's/.*DIR64LSB *\.text+0x\([0-9a-f]*\)$/\1/p; s/.*DIR64LSB *\.text$/0/p' |
	while read -r a && read -r b; do echo $((16#$b - 16#$a)); done | sort -u >"$T/spans"
[ "$(cat "$T/spans")" = 80 ] && ok "records-span-80-bytes" || nok records-span-80-bytes "spans: $(tr '\n' ' ' <"$T/spans")"
"$OBJDUMP" -s -j .paravirt_bundles "$T/stubs.o" | awk 'NR > 4 { print $2 $3 $4 $5 }' | tr -d '\n' |
	fold -w 48 | cut -c33-48 >"$T/types.le"
nrec=$(wc -l <"$T/types.le")
# little-endian 8-byte type field -> number, compared with the sites' types in order
while read -r hex; do
	v=0
	for i in 14 12 10 8 6 4 2 0; do v=$((v * 256 + 16#${hex:$i:2})); done
	echo "$v"
done <"$T/types.le" >"$T/types.got"
sed 's/SITE([a-z0-9_]*, \(.*\))$/\1/' "$T/sites.h" >"$T/types.expr"
printf '#include "paravirt_patch.h"\n' >"$T/types.c"
awk '{ print "T " $0 }' "$T/types.expr" >>"$T/types.c"
${CPP:-cpp} -P -I"$G" "$T/types.c" | sed -n 's/^T //p' | while read -r e; do echo $(($e)); done >"$T/types.want"
if [ "$nrec" = "$nsites" ] && diff -q "$T/types.got" "$T/types.want" >/dev/null; then
	ok "records-carry-the-types ($nrec records)"
else
	nok records-carry-the-types "$nrec records for $nsites sites; $(diff "$T/types.got" "$T/types.want" | head -3 | tr '\n' ' ')"
fi

# A .S branch site (PARAVIRT_PATCH_SITE_BR) is one bundle of branch slots, recorded in
# .paravirt_branches as {tag, type}, for each branch type of the spec.
types=$(sed -n 's/^#define \(PARAVIRT_PATCH_TYPE_BR_[A-Z0-9_]*\) .*/\1/p' "$G/paravirt_patch.h")
{
	echo '#include "paravirt_patch.h"'
	echo '	.text'
	i=0
	for t in $types; do
		echo "B_$i:"
		echo "	PARAVIRT_PATCH_SITE_BR($t)"
		i=$((i + 1))
	done
	echo 'B_end:'
	echo '	nop 0'
} >"$T/br.S"
nbr=$(echo $types | wc -w)
if [ "$nbr" -gt 0 ] && preprocess "$T/br.S" "$T/br.s" && assemble "$T/br.s" "$T/br.o" 2>"$T/br.err"; then
	sigs=$(bundle_sigs "$T/br.o" '^B_[0-9]' | awk '{ print $2, $3 }' | sort -u)
	[ "$sigs" = "1 BBB;;" ] && ok "branch-sites-are-one-bundle ($nbr types)" ||
		nok branch-sites-are-one-bundle "$sigs"
	"$OBJDUMP" -s -j .paravirt_branches "$T/br.o" | awk 'NR > 4 { print $2 $3 $4 $5 }' | tr -d '\n' |
		fold -w 32 | cut -c17-24 >"$T/br.types"
	want=$(for t in $types; do printf '#include "paravirt_patch.h"\nT %s\n' "$t" | ${CPP:-cpp} -P -I"$G" |
		sed -n 's/^T 0x\(..\)\(..\)\(..\)\(..\)$/\4\3\2\1/p'; done)
	[ "$(cat "$T/br.types")" = "$want" ] && ok "branch-records-carry-the-types" ||
		nok branch-records-carry-the-types "got $(tr '\n' ' ' <"$T/br.types"), want $(echo $want)"
else
	nok branch-sites-assemble "$(head -3 "$T/br.err" 2>/dev/null | tr '\n' ' ')"
fi
