#!/usr/bin/env bash
# The i386 PAE boot image natively (qemu -cpu max, the multiboot entry, the native backend in
# ring 0 on PAE page tables): every native probe unpatched and patched, with canaries. There
# is no Xen run: Debian's Xen 4.17 has no 32-bit PV support; the i386 Xen backend is tested
# on the user-space model (tests/runtime).
set -u
. "$ROOT/tests/boot/lib.sh"
tmpdir
img=$BOOT_IMAGES/i386.elf
if [ ! -f "$img" ]; then
	notok "i386: no boot image $B/boot/i386.elf (make boot)"
	exit 0
fi
boot_run "i386 native" "$TMP/native" $QEMU_NATIVE -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$img"
boot_judge "i386 native" "$TMP/native" 1
