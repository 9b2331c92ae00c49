#!/usr/bin/env bash
# Every op of the x86 interface through its generated wrapper, for x86_64 and i386, under the
# native and the Xen backend (on a hypervisor that refuses vcpu_info placement, and on one that
# allows it: the C irq ops and the direct sequences). The test program (x86/check.c) runs each op that user mode can
# run unpatched (an indirect call through the table) and patched by the reference patcher,
# compares the results and keeps canaries around every site; it checks that every direct
# call goes where the indirect call went. Here, the bytes the patcher left at every site:
# the native sequences are gas's encoding of the spec's instructions (and those of Linux's
# ops are Linux's, x86.md), and every site's padding is NOPs, as few as fit.
set -u
. "$ROOT/tests/runtime/lib.sh"
tmpdir

# The native sequences, per op and x86 arch, from the spec the headers were made from
# (PV_SPEC, by default the shipped one): '' is nothing at all (the site is NOPs), '-' none (the
# site calls). Lines "op arch|sequence".
SPEC=${PV_SPEC:-$ROOT/spec/pvops.yaml}
native=$(python3 - "$SPEC" <<'PY'
import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))
x86 = [a["name"] for a in spec["arches"] if a.get("family") == "x86"]
for b in spec["backends"]:
    if b["name"] != "native":
        continue
    for i in b.get("impl", []):
        code = i.get("code")
        if isinstance(code, dict) and any(a in code for a in x86):
            for a in x86:
                seq = code.get(a, "-")
                print("%s %s|%s" % (i["op"], a, "; ".join(seq.strip().splitlines())))
PY
) || { notok "ops: the native sequences of $SPEC"; exit 1; }

# Linux's native sequences (x86.md), per arch, as op|x86_64|i386; i386 has no swapgs: the op
# does nothing there. The spec's must be these.
linux='pv_irq_ops.irq_disable|cli|cli
pv_irq_ops.irq_enable|sti|sti
pv_irq_ops.restore_fl|pushq %rdi; popfq|push %eax; popf
pv_irq_ops.save_fl|pushfq; popq %rax|pushf; pop %eax
pv_cpu_ops.iret|iretq|iret
pv_cpu_ops.irq_enable_sysexit|swapgs; sti; sysexitl|sti; sysexit
pv_cpu_ops.usergs_sysret64|swapgs; sysretq|-
pv_cpu_ops.usergs_sysret32|swapgs; sysretl|-
pv_cpu_ops.swapgs|swapgs|
pv_mmu_ops.read_cr2|movq %cr2, %rax|mov %cr2, %eax
pv_mmu_ops.read_cr3|movq %cr3, %rax|mov %cr3, %eax
pv_mmu_ops.write_cr3|movq %rdi, %cr3|mov %eax, %cr3
pv_mmu_ops.flush_tlb_single|invlpg (%rdi)|-
pv_cpu_ops.clts|clts|clts
pv_cpu_ops.wbinvd|wbinvd|-
pv_cpu_ops.read_tsc|-|rdtsc
pv_mmu_ops.pte_val|mov %rdi, %rax|
pv_mmu_ops.make_pte|mov %rdi, %rax|
pv_mmu_ops.pgd_val|mov %rdi, %rax|
pv_mmu_ops.make_pgd|mov %rdi, %rax|
pv_mmu_ops.pmd_val|mov %rdi, %rax|
pv_mmu_ops.make_pmd|mov %rdi, %rax|
pv_mmu_ops.pud_val|mov %rdi, %rax|-
pv_mmu_ops.make_pud|mov %rdi, %rax|-'
bad=$(while IFS='|' read -r op s64 s32; do
	for a in x86_64 i386; do
		want=$([ $a = x86_64 ] && echo "$s64" || echo "$s32")
		grep -qxF "$op $a|$want" <<<"$native" || echo "$op on $a"
	done
done <<<"$linux")
[ -z "$bad" ] && ok "ops: the spec's native sequences of Linux's $(wc -l <<<"$linux") inlined ops are Linux's" ||
	notok "ops: the spec's native sequences differ from Linux's for:" $bad

# check_native ARCH SITES: the sites of the native sequences hold gas's bytes
check_native() {
	local arch=$1 op seq want n bad=0 count=0 how used len hex
	while read -r op seq; do
		want=""
		[ "$seq" = - ] || [ -z "$seq" ] || want=$(gas_hex "$arch" "$seq") ||
			{ notok "ops: $arch native: gas refuses '$seq'"; bad=1; continue; }
		n=0
		while read -r _ _ how used len hex; do
			n=$((n + 1))
			if [ "$seq" = - ]; then
				[ "$how" = call ] || [ "$how" = jmp ] ||
					{ notok "ops: $arch native: a $op site is $how, the spec has no sequence: a call"; bad=1; }
			elif [ "$how" != inlined ] && [ "$how" != nops ]; then
				notok "ops: $arch native: a $op site is $how, not '$seq'"; bad=1
			elif [ "${hex:0:$((2 * used))}" != "$want" ]; then
				notok "ops: $arch native: a $op site has ${hex:0:$((2 * used))}, gas gives '$seq' as $want"; bad=1
			fi
		done < <(awk -v op="$op" '$1 == "site" && $2 == op' "$2")
		count=$((count + n))
	done < <(sed -n "s/^\([^ ]*\) $arch|/\1 /p" <<<"$native")
	[ $bad -eq 0 ] && [ $count -gt 0 ] &&
		ok "ops: $arch native: the $count sites of the spec's native sequences hold gas's encoding of them, then NOPs"
}

# check_padding ARCH BACKEND SITES: every patched site's bytes after its code are NOPs
check_padding() {
	local hex="" regions=$TMP/regions off=0 n=0 how used len code pad
	: >"$regions"
	while read -r _ _ how used len code; do
		[ "$how" = kept ] && continue
		pad=$((len - used))
		[ $pad -gt 0 ] || continue
		hex=$hex${code:$((2 * used))}
		echo "$off $pad" >>"$regions"
		off=$((off + pad)) n=$((n + 1))
	done < <(grep '^site ' "$3")
	printf '%s' "$hex" | xxd -r -p >"$TMP/pad.bin"
	bad=$(nop_regions "$1" "$TMP/pad.bin" "$regions")
	[ -z "$bad" ] && ok "ops: $1 $2: the padding of $n sites ($off bytes) decodes as NOPs, as few as fit" ||
		{ notok "ops: $1 $2: padding that is not the fewest NOPs (offset length why):"; echo "$bad" | head -5 | sed 's/^/    /'; }
}

for arch in $X86_ARCHES; do
	exe=$(rt_program "$arch" 2>"$TMP/err") || { notok "ops: $arch: build"; head "$TMP/err"; continue; }
	for be in native xen xen-placed kvm; do
		rt_run "$exe" $be "$TMP/$arch.$be"
		grep -q '^site ' "$TMP/$arch.$be" || { notok "ops: $arch $be: no sites reported"; continue; }
		check_padding "$arch" $be "$TMP/$arch.$be"
		[ $be = native ] && check_native "$arch" "$TMP/$arch.$be"
	done
done
exit 0
