#!/usr/bin/env bash
# The x86_64 boot image, one ELF with two entry points: natively (qemu -cpu max, the multiboot
# entry, the native backend in ring 0) and as dom0 of the real Xen 4.17 (qemu -cpu qemu64, the
# Xen ELF-note entry, the Xen backend doing real hypercalls). Each runs every probe of its
# environment unpatched and patched; see boot/.
set -u
. "$ROOT/tests/boot/lib.sh"
tmpdir
img=$BOOT_IMAGES/x86_64.elf
if [ ! -f "$img" ]; then
	notok "x86_64: no boot image $B/boot/x86_64.elf (make boot)"
	exit 0
fi

# native: isa-debug-exit turns the kernel's exit(0) into qemu's status 1
boot_run "x86_64 native" "$TMP/native" $QEMU_NATIVE -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$img"
boot_judge "x86_64 native" "$TMP/native" 1

# Xen: dom0 writes isa-debug-exit too (its exit(0): status 1)
if ! xen=$(xen_image); then
	notok "x86_64 xen: no Xen 4.17 hypervisor (package xen-hypervisor-4.17-amd64)"
	exit 0
fi
boot_run "x86_64 xen" "$TMP/xen" $QEMU_XEN -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$xen" \
	-append "$XEN_ARGS" -initrd "$img"
boot_judge "x86_64 xen" "$TMP/xen" 1

# Xen gives dom0 one vcpu: its vcpu_info is placed anyway (the missing cpu is skipped), so the
# boot chose the direct irq sequences and patched every irq site of them inline
if grep -q '^# vcpu_info placed: the direct irq ops$' "$TMP/xen"; then
	ok "x86_64 xen: one vcpu, vcpu_info placed: the boot chose the direct irq ops"
else
	notok "x86_64 xen: the boot did not place vcpu_info: $(grep -m 1 '^# vcpu_info' "$TMP/xen")"
fi
for op in save_fl restore_fl irq_disable irq_enable; do
	sites=$(grep -c "^# site [^ ]* pv_irq_ops\.$op len " "$TMP/xen")
	inlined=$(grep -c "^# site [^ ]* pv_irq_ops\.$op len [0-9]*: inlined, " "$TMP/xen")
	if [ "$sites" -gt 0 ] && [ "$inlined" -eq "$sites" ]; then
		ok "x86_64 xen: pv_irq_ops.$op: all $sites sites patched inline"
	else
		notok "x86_64 xen: pv_irq_ops.$op: $inlined of $sites sites patched inline"
	fi
done
