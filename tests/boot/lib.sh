# Shared by the boot tests: run a boot image of the kernel of boot/ under qemu, natively or as
# Xen's dom0, with a timeout, and judge its TAP stream (serial port or Xen console).
# shellcheck shell=bash
. "$ROOT/tests/core/lib.sh"

BOOT_IMAGES=$ROOT/$B/boot
BOOT_TIMEOUT=${BOOT_TIMEOUT:-30}
QEMU_NATIVE="-accel tcg -cpu max -m 256"
QEMU_XEN="-accel tcg -machine q35 -cpu qemu64 -m 512"
XEN_ARGS="console=com1 com1=115200,8n1 dom0_mem=64M dom0_max_vcpus=1 noreboot"

# xen_image: the hypervisor as qemu loads it (Debian's gzip'ed multiboot ELF, unpacked once
# into the cache by the hash of the package's file); prints its path
xen_image() {
	local gz dir out
	gz=$(dpkg -L xen-hypervisor-4.17-amd64 2>/dev/null | grep '/xen-4\.17-amd64\.gz$' | head -n 1)
	[ -n "$gz" ] && [ -f "$gz" ] || return 1
	dir=${PVOPSC_CACHE:-$ROOT/$B}/xen
	out=$dir/xen-$(sha256sum "$gz" | cut -c1-16).elf
	if [ ! -f "$out" ]; then
		mkdir -p "$dir" && zcat "$gz" >"$out.tmp" && mv "$out.tmp" "$out" || return 1
	fi
	echo "$out"
}

# boot_run NAME OUT ARGS...: run qemu with ARGS, the console into OUT; sets BOOT_RC, BOOT_MS
boot_run() {
	local name=$1 out=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	# shellcheck disable=SC2086
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -nographic -no-reboot -serial stdio -monitor none \
		-display none "$@" </dev/null 2>&1 | tr -d '\r' >"$out"
	BOOT_RC=${PIPESTATUS[0]}
	t1=$(date +%s%N)
	BOOT_MS=$(((t1 - t0) / 1000000))
}

# boot_judge NAME OUT RC_OK: the kernel's TAP lines, prefixed with NAME, then the verdict: a
# plan that was met, no failure, no panic or crash message, the end reached, no timeout
boot_judge() {
	local name=$1 out=$2 rc_ok=$3 plan lines why=""
	grep -E '^(not )?ok - ' "$out" | sed "s/^\(\(not \)\{0,1\}ok - \)/\1$name: /"
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)
	lines=$(grep -cE '^(not )?ok - ' "$out")
	if [ "$BOOT_RC" -eq 124 ]; then
		why="timed out after ${BOOT_TIMEOUT}s"
	elif grep -qE 'PANIC|Domain 0 crashed|\(XEN\) Panic|Could not construct domain 0' "$out"; then
		why="crashed: $(grep -m 1 -E 'PANIC|Domain 0 crashed|Panic|Could not' "$out")"
	elif [ -z "$plan" ]; then
		why="no TAP plan"
	elif [ "$lines" -ne "$plan" ]; then
		why="$lines results for a plan of $plan"
	elif ! grep -q '^# done: 0 failed' "$out"; then
		why="the kernel did not reach its end, or reports failures"
	elif [ "$BOOT_RC" -ne "$rc_ok" ]; then
		why="qemu exited $BOOT_RC, not $rc_ok"
	fi
	if [ -n "$why" ]; then
		notok "$name: boot: $why"
		grep -vE '^(ok - |# site )' "$out" | tail -n 15 | sed 's/^/    /'
	else
		ok "$name: boot: $plan checks passed in $BOOT_MS ms"
	fi
}
