#!/usr/bin/env bash
# The checker (native/pvchk_inst.h) refuses what it exists to refuse: an operand of the wrong
# kind for its role, and a privilege-sensitive instruction used directly in a .S file. Each
# case assembles natively (the code is fine on bare hardware) and fails under the checker,
# with the checker's reason.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok pvchk-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
generate || exit 0

refused() { # refused NAME EXPECTED-MESSAGE LINE...: fails under the checker, saying EXPECTED
	local name=$1 want=$2
	shift 2
	printf '#include INST_H\n\t.text\n' >"$T/$name.S"
	printf '\t%s\n' "$@" >>"$T/$name.S"
	if ! preprocess "$T/$name.S" "$T/$name.s" -DINST_H='"native/pvchk_inst.h"'; then
		nok "pvchk-refuses-$name" "preprocessing failed"
	elif assemble "$T/$name.s" "$T/$name.o" 2>"$T/$name.err"; then
		nok "pvchk-refuses-$name" "the checker accepted it"
	elif ! grep -q -- "$want" "$T/$name.err"; then
		nok "pvchk-refuses-$name" "wrong reason: $(grep -m1 -i error "$T/$name.err")"
	else
		ok "pvchk-refuses-$name"
	fi
}

native_ok() { # native_ok NAME LINE...: the same code assembles natively
	local name=$1
	shift
	printf '#include INST_H\n\t.text\n' >"$T/n-$name.S"
	printf '\t%s\n' "$@" >>"$T/n-$name.S"
	if preprocess "$T/n-$name.S" "$T/n-$name.s" -DINST_H='"native/inst.h"' &&
		"$AS" -xexplicit -o "$T/n-$name.o" "$T/n-$name.s" 2>"$T/n-$name.err"; then
		ok "native-takes-$name"
	else
		nok "native-takes-$name" "$(head -2 "$T/n-$name.err" | tr '\n' ' ')"
	fi
}

# operands of the wrong kind
refused r0-as-out 'r0' 'MOV_FROM_IFA(r0)'
refused r0-as-clob 'r0' 'MOV_TO_IFA(r20, r0)'
refused gr-as-pred 'redicate' 'MOV_FROM_IPSR(r8, r9)'
refused pred-as-in 'Operand' 'MOV_TO_IIP(p6, r20)'
refused p0-as-pred-clob 'not p0' 'SSM_PSR_I(p6, p0, r20)'
refused pred-as-out 'Operand' 'THASH(p0, p7, r20, r21)'
# sensitive instructions used directly
for insn in 'itc.i r8' 'itc.d r9' 'thash r8 = r9' 'fc r8' 'ptc.ga r8, r9' 'rfi' 'bsw.1' 'cover' \
	'ssm psr.i' '(p6) rsm psr.ic'; do
	name=direct-$(echo "$insn" | tr -c 'a-z0-9\n' '-' | sed 's/^-*//; s/-*$//; s/--*/-/g')
	refused "$name" 'privilege-sensitive' "$insn"
	native_ok "$name" "$insn"
done
refused direct-cpuid 'privilege-sensitive' 'mov r8 = cpuid[r9]'
