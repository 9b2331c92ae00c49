#!/usr/bin/env bash
# The kernel-facing names of the generated headers (paravirt_enabled, the MSR and TSC macros,
# get_debugreg, store_tr, the lazy modes, Linux's CLBR_ names, PARA_SITE and the asm-offsets
# names of .S files), used as Linux 2.6.30's callers use them: tests/x86/api/api.c builds with
# the kernel's flags and runs against op tables it fills (user space can do rdtsc, so its
# read_tsc is the real counter); tests/x86/api/entry.S must assemble with Linux's patch types.
set -u
. "$ROOT/tests/x86/lib.sh"
tmpdir
gen_x86 "$X86_SPEC" "$TMP/gen" 2>"$TMP/gen.err" || { notok "api: generate from $X86_SPEC"; cat "$TMP/gen.err"; exit 1; }

src=$ROOT/tests/x86/api
for arch in $X86_ARCHES; do
	d=$TMP/gen/$arch
	# shellcheck disable=SC2046
	if cc $(cflags $arch) -fno-pie -no-pie -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -include prelude.h \
		-o "$TMP/api-$arch" "$src/api.c" 2>"$TMP/err"; then
		ok "api: $arch: api.c builds with -Wall -Wextra -Werror"
		"$TMP/api-$arch" >"$TMP/out" 2>&1
		rc=$?
		sed "s/^\(\(not \)\?ok\) - api: /\1 - api: $arch: /" "$TMP/out"
		[ $rc -eq 0 ] && ok "api: $arch: every check ran and held ($(grep -c '^ok' "$TMP/out") checks)" ||
			notok "api: $arch: api.c exited $rc"
	else
		notok "api: $arch: api.c does not build"; head -20 "$TMP/err"
	fi
	# Linux's patch types (tests/x86/linux, counted from Linux's header) for iret and irq_disable
	iret=$(awk '$2 == "pv_cpu_ops.iret" { print $1 }' "$ROOT/tests/x86/linux/patch-types-$arch")
	irqd=$(awk '$2 == "pv_irq_ops.irq_disable" { print $1 }' "$ROOT/tests/x86/linux/patch-types-$arch")
	if cc $(mflag $arch) -I"$d" -DIRET_TYPE="$iret" -DIRQ_DISABLE_TYPE="$irqd" -c "$src/entry.S" \
		-o "$TMP/entry-$arch.o" 2>"$TMP/err"; then
		recs=$(elfsites "$TMP/entry-$arch.o" 2>&1 | awk '{ print $3, $5 }' | tr '\n' ' ')
		[ "$recs" = "$iret 0x0 $irqd 0x1 " ] &&
			ok "api: $arch: PARA_SITE(PARA_PATCH(pv_cpu_ops, PV_CPU_iret), CLBR_NONE, ...) is type $iret, irq_disable's $irqd (CLBR_EAX), as Linux's" ||
			notok "api: $arch: entry.S's records (type clobbers) are '$recs', Linux's: $iret 0x0 $irqd 0x1"
	else
		notok "api: $arch: entry.S"; head -20 "$TMP/err"
	fi
done

# GET_CR2_INTO_RCX calls through pv_mmu_ops.read_cr2, Linux's slot: its place after the
# table's first op in Linux's list (tests/x86/linux), times 8; the call's field is 4 bytes
# before its end, so the relocation's addend is the offset less 4.
off=$(awk '$2 ~ /^pv_mmu_ops\./ && !f { f = $1 } $2 == "pv_mmu_ops.read_cr2" { print ($1 - f) * 8 }' \
	"$ROOT/tests/x86/linux/patch-types-x86_64")
rel=$(readelf -rW "$TMP/entry-x86_64.o" 2>/dev/null | awk '$5 == "pv_mmu_ops" { print $5, $7 }')
insns=$(objdump -d "$TMP/entry-x86_64.o" | awk '/<cr2_entry>:/ { t = 1; next } t && NF { sub(/^[^\t]*\t[^\t]*\t/, ""); print }' | tr -s ' ' | tr '\n' ';')
[ "$rel" = "pv_mmu_ops $(printf %x $((off - 4)))" ] && [[ "$insns" == "call *0x0(%rip) "*";mov %rax,%rcx;xor %rax,%rax;" ]] &&
	ok "api: x86_64: GET_CR2_INTO_RCX calls pv_mmu_ops+$off (read_cr2), then moves %rax to %rcx and clears %rax" ||
	notok "api: x86_64: GET_CR2_INTO_RCX: relocation '$rel' (want pv_mmu_ops, hex $(printf %x $((off - 4)))), code '$insns'"
