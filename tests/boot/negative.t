#!/usr/bin/env bash
# The negative boot image: save_fl's slot holds an implementation that changes r8, which a
# callee-save op must keep. Booted natively, the canaries must catch it at save_fl's sites
# while unpatched (and only there: patched, the sites hold the native sequence), and the
# kernel must still reach its end.
set -u
. "$ROOT/tests/boot/lib.sh"
tmpdir
img=$BOOT_IMAGES/x86_64-negative.elf
if [ ! -f "$img" ]; then
	notok "negative: no boot image $B/boot/x86_64-negative.elf (make boot)"
	exit 0
fi
boot_run "x86_64 negative" "$TMP/out" $QEMU_NATIVE -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$img"
out=$TMP/out
fails=$(grep '^not ok - ' "$out")
if [ "$BOOT_RC" -eq 124 ] || grep -q 'PANIC' "$out" || ! grep -q '^# done: 1 failed' "$out"; then
	notok "negative: the boot did not end with one failure (qemu status $BOOT_RC)"
	grep -vE '^(ok - |# site )' "$out" | tail -n 10 | sed 's/^/    /'
elif [ "$(echo "$fails" | wc -l)" -ne 1 ] || ! echo "$fails" | grep -q '^not ok - canaries unpatched: '; then
	notok "negative: expected the unpatched canaries to fail, and nothing else: $fails"
else
	ok "negative: the unpatched canaries fail, nothing else ($BOOT_MS ms)"
fi
sites=$(grep -c '^# canary: site 0x[0-9a-f]* pv_irq_ops\.save_fl changed r8$' "$out")
others=$(grep '^# canary: ' "$out" | grep -vc 'pv_irq_ops\.save_fl changed r8$')
[ "$sites" -ge 1 ] && [ "$others" -eq 0 ] &&
	ok "negative: the canaries name r8 at save_fl's sites ($sites sites), no other site" ||
	notok "negative: the canaries name $sites save_fl sites with r8, $others other reports"
