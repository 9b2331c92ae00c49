#!/usr/bin/env bash
# Every ASM macro, used with realistic operands (macros.S), assembles against each backend's
# inst.h in explicit mode with every dependency violation fatal, and against the checker;
# each use takes as many bundles as the compiler's model of its expansion says.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok macros-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
generate || exit 0
helper expand || { nok macros-helper "cannot build tests/ia64/expand.c"; exit 0; }
S=$ROOT/tests/ia64/macros.S

uses() { sed -n 's/^\(M[0-9]*\):[[:space:]]*\([A-Z].*\)$/\1 \2/p' "$S"; }
nuses=$(uses | wc -l)

for b in native xen; do
	if ! preprocess "$S" "$T/$b.s" -DINST_H="\"$b/inst.h\"" ||
		! assemble "$T/$b.s" "$T/$b.o" 2>"$T/$b.err"; then
		nok "$b-macros-assemble" "$(head -4 "$T/$b.err" | tr '\n' ' ')"
		continue
	fi
	ok "$b-macros-assemble ($nuses uses)"
	uses | "$T/expand" "$(ia64_spec)" "$b" | sort >"$T/$b.model"
	bundle_sigs "$T/$b.o" '^M[0-9]+$' | awk '{ print $1, $2 }' | sort >"$T/$b.as"
	if [ "$(wc -l <"$T/$b.model")" = "$nuses" ] && diff "$T/$b.model" "$T/$b.as" >"$T/$b.diff"; then
		ok "$b-macro-bundles-match-assembler"
	else
		nok "$b-macro-bundles-match-assembler" "$(grep '^[<>]' "$T/$b.diff" | head -4 | tr '\n' ' ')"
	fi
done

# the native forms with every clob operand poisoned after use
if preprocess "$S" "$T/poison.s" -DINST_H='"native/inst.h"' -DPARAVIRT_POISON_CLOBBERS &&
	assemble "$T/poison.s" "$T/poison.o" 2>"$T/poison.err"; then
	n=$("$OBJDUMP" -d "$T/poison.o" | grep -c 'movl r[0-9]*=0xdead0c10bbe7dead')
	[ "$n" -gt 0 ] && ok "native-poisoned-clobbers-assemble ($n poisoned)" ||
		nok native-poisoned-clobbers-assemble "no clob was poisoned"
else
	nok native-poisoned-clobbers-assemble "$(head -4 "$T/poison.err" | tr '\n' ' ')"
fi
# without the switch, nothing is poisoned
grep -q '0xdead0c10bbe7dead' "$T/native.s" && nok native-unpoisoned-by-default "poison without the switch" ||
	ok native-unpoisoned-by-default

# the checker takes every good use
if preprocess "$S" "$T/pvchk.s" -DINST_H='"native/pvchk_inst.h"' &&
	assemble "$T/pvchk.s" "$T/pvchk.o" 2>"$T/pvchk.err"; then
	ok "pvchk-macros-assemble"
else
	nok pvchk-macros-assemble "$(head -4 "$T/pvchk.err" | tr '\n' ' ')"
fi

# macros.S uses every macro the spec defines
missing=$(sed -n 's/^#define \([A-Z0-9_]*\)[( ].* __pv_.*/\1/p' "$G/native/inst.h" |
	while read -r m; do grep -q "^M[0-9]*:[[:space:]]*$m\b" "$S" || echo "$m"; done | tr '\n' ' ')
[ -z "$missing" ] && ok macros-S-uses-every-macro || nok macros-S-uses-every-macro "unused: $missing"

# Xen MOV_TO_KR with both clobs the same register stops with .error (swapping them to keep r8
# and r9 apart would recurse forever), for r9/r9, r8/r8 and any other pair; a timeout guards.
for pair in "r9, r9" "r8, r8" "r2, r2"; do
	printf '#include "xen/inst.h"\n\t.text\n\tMOV_TO_KR(CURRENT, r3, %s)\n' "$pair" >"$T/kr.S"
	name="xen-mov-to-kr-same-clobs-${pair%%,*}"
	preprocess "$T/kr.S" "$T/kr.s" || { nok "$name" "does not preprocess"; continue; }
	refused "$name" 'Error: MOV_TO_KR: clob0 and clob1 must be two registers' \
		timeout 20 "$AS" -xexplicit -o "$T/kr.o" "$T/kr.s"
done

# The names Linux's .S files use for a backend's entry points and forms (the entry.S and ivt.S
# aliases, XEN_HYPER_*, MASK_TO_PEND_OFS, XEN_BSW_1) resolve to that backend's.
NM=${IA64_NM:-ia64-linux-gnu-nm}
for b in native xen; do
	{
		echo '#include INST_H'
		echo '	.text'
		echo '	.global ia64_ivt'
		echo 'ia64_ivt:'
		echo '	movl r2 = __paravirt_switch_to'
		echo '	movl r3 = paravirt_fsyscall_table'
		echo '	;;'
		if [ $b = xen ]; then
			echo '	adds r2 = MASK_TO_PEND_OFS, r2'
			echo '	XEN_HYPER_SSM_I'
			echo '	;;'
			echo '	XEN_BSW_1(r2)'
		fi
	} >"$T/alias-$b.S"
	want="ia64_ivt ia64_native_switch_to fsyscall_table"
	[ $b = xen ] && want="xen_ivt xen_switch_to xen_fsyscall_table"
	if preprocess "$T/alias-$b.S" "$T/alias-$b.s" -DINST_H="\"$b/inst.h\"" &&
		assemble "$T/alias-$b.s" "$T/alias-$b.o" 2>"$T/alias-$b.err"; then
		syms=$("$NM" "$T/alias-$b.o" | awk '{ print $NF }' | sort | tr '\n' ' ')
		miss=$(for w in $want; do case " $syms" in *" $w "*) ;; *) echo "$w" ;; esac; done | tr '\n' ' ')
		[ -z "$miss" ] && ok "$b-linux-names-resolve" || nok "$b-linux-names-resolve" "missing $miss (have $syms)"
	else
		nok "$b-linux-names-resolve" "$(head -3 "$T/alias-$b.err" | tr '\n' ' ')"
	fi
done
