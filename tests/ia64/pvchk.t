#!/usr/bin/env bash
# The checker (native/pvchk_inst.h) refuses what it exists to refuse: an operand of the wrong
# kind for its role, and a privilege-sensitive instruction used directly in a .S file. Each
# case assembles natively (the code is fine on bare hardware) and fails under the checker,
# with the checker's reason.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok pvchk-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
generate || exit 0

# The checker build, as Linux's pvchk: preprocess with the checker as inst.h, run the
# generated second pass (native/pvcheck.sed) over the result, assemble.
pvchk_build() { # pvchk_build NAME LINE...: writes $T/NAME.err; fails when the checker refuses
	local name=$1
	shift
	printf '#include INST_H\n\t.text\n' >"$T/$name.S"
	printf '\t%s\n' "$@" >>"$T/$name.S"
	preprocess "$T/$name.S" "$T/$name.i" -DINST_H='"native/pvchk_inst.h"' 2>"$T/$name.err" &&
		sed -E -f "$G/native/pvcheck.sed" "$T/$name.i" >"$T/$name.s" &&
		assemble "$T/$name.s" "$T/$name.o" 2>"$T/$name.err"
}

refused() { # refused NAME EXPECTED-MESSAGE LINE...: fails under the checker, saying EXPECTED
	local name=$1 want=$2
	shift 2
	if pvchk_build "$name" "$@"; then
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
# Sensitive forms a backend replaces, used directly as in Linux's ivt.S, entry.S and gate.S:
# refused, naming the macro (or the intrinsic) to use; natively they assemble.
while IFS='|' read -r name want insn; do
	refused "$name" "$want" "$insn"
	native_ok "$name" "$insn"
done <<'EOF'
ivt-mov-from-ifa|use MOV_FROM_IFA|mov r16 = cr.ifa
ivt-mov-from-isr|use MOV_FROM_ISR|mov r31 = cr.isr
ivt-mov-from-iim|use MOV_FROM_IIM|mov r17 = cr.iim
ivt-mov-from-ipsr|use MOV_FROM_IPSR|(p6) mov r29 = cr.ipsr
ivt-mov-from-iha|use MOV_FROM_IHA|mov r19 = cr.iha
ivt-mov-to-ifa|use MOV_TO_IFA|mov cr.ifa = r16
ivt-mov-to-ipsr|use MOV_TO_IPSR|mov cr.ipsr = r29
ivt-mov-to-ifs|use MOV_TO_IFS|mov cr.ifs = r30
ivt-itc-d|use ITC_D|itc.d r18
ivt-itc-i|use ITC_I|(p7) itc.i r18
ivt-thash|use THASH|thash r17 = r16
ivt-ssm-psr-ic|use SSM_PSR_IC_AND_DEFAULT_BITS_AND_SRLZ_I|ssm psr.ic | psr.dt
ivt-rsm-psr-dt|use RSM_PSR_DT|rsm psr.dt
ivt-ssm-psr-dt|use SSM_PSR_DT_AND_SRLZ_I|ssm psr.dt
ivt-bsw-1|use BSW_1|bsw.1
ivt-cover|use COVER|cover
ivt-rfi|use RFI|rfi
ivt-mov-from-ivr|use MOV_FROM_IVR|mov r8 = cr.ivr
entry-rsm-psr-i|use RSM_PSR_I|(p6) rsm psr.i
entry-rsm-psr-i-ic|use RSM_PSR_I|rsm psr.i | psr.ic
entry-ssm-psr-i|use SSM_PSR_I|ssm psr.i
entry-mov-to-kr|use MOV_TO_KR|mov ar.k6 = r20
entry-mov-from-psr|use MOV_FROM_PSR|mov r8 = psr
entry-bsw-0|use BSW_0|bsw.0
gate-rsm-psr-be|RSM_PSR_BE_I|rsm psr.be | psr.i
gate-mov-from-itc|use MOV_FROM_ITC|(p6) mov.m r2 = ar.itc
c-ptc-ga|use paravirt_ptcga|ptc.ga r8, r9
c-mov-from-cpuid|use paravirt_get_cpuid|mov r8 = cpuid[r9]
c-mov-to-rr|use paravirt_set_rr|mov rr[r8] = r9
c-mov-to-itm|use paravirt_setreg|mov cr.itm = r8
c-fc|use paravirt_fc|fc r8
EOF
# Sensitive instructions no backend changes, and look-alikes, as Linux's own sources use them:
# the checker takes them (Linux 3.12's ivt.S has the first two).
legal=('(p6) ptc.l r16, r17' 'rsm psr.dfh' 'ssm psr.dfh' 'mov r29 = cr.ifs' 'mov r16 = ar.k7'
	'mov r2 = ar.fpsr' 'mov r3 = psr.um' 'mov r31 = pr' 'fc.i r8' 'srlz.i' 'srlz.d'
	'mov ar.rsc = r0' 'ptc.e r8' 'rum psr.be' 'mov r20 = ip' 'mov r8 = cr.lid')
i=0
for insn in "${legal[@]}"; do
	i=$((i + 1))
	if pvchk_build "legal-$i" "$insn"; then
		ok "pvchk-takes-legal-$i ($insn)"
	else
		nok "pvchk-takes-legal-$i ($insn)" "$(grep -m1 -i error "$T/legal-$i.err")"
	fi
done
