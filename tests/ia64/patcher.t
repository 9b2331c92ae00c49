#!/usr/bin/env bash
# The reference patcher (runtime/ia64/) on a linked IA-64 image: the generated stubs with their
# operands substituted as GCC would (every getreg/setreg register), .S code using every ASM
# macro, one branch site per branch type, single-slot inst sites, both backends' patch lists,
# and branch-target tables taken from the generated paravirt_backends.c. Patched for native
# and for Xen (falling back to native), then read back with objdump (readback.py): each site
# holds its body and nops, each branch reaches its entry point, nothing else changed, and the
# patched text reassembles in explicit mode with warnings fatal.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok patcher-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
generate || exit 0
LD=${IA64_LD:-ia64-linux-gnu-ld}
PATCHER=$ROOT/$B/ia64-patch
[ -x "$PATCHER" ] || { nok patcher-built "no $B/ia64-patch (make $B/ia64-patch)"; exit 0; }

# the image's pieces
build_stubs || exit 0
# branch targets: the generated C tables, as the assembler data they compile to
awk '/^const struct paravirt_patch_branch_target [a-z0-9_]*\[\] = \{/ {
		name = $4; sub(/\[\]$/, "", name)
		print "\t.section .rodata\n\t.align 8\n\t.global " name "\n" name ":"; n = 0; next }
	name != "" && /^\t\{ \(const void \*\)/ {
		e = $0; sub(/^\t\{ \(const void \*\)\(\(unsigned long\)/, "", e); sub(/\), /, ", ", e); sub(/ \},$/, "", e)
		print "\tdata8 " e; n++; next }
	name != "" && /^\};/ { print "\t.global " name "_nelems\n" name "_nelems:\n\tdata8 " n; name = "" }' \
	"$G/paravirt_backends.c" >"$T/targets.S"
printf '#include "paravirt_patch.h"\n' | cat - "$T/targets.S" >"$T/targets2.S"
objs=
build() { # build NAME SRC [cpp args]: preprocess and assemble into $T/NAME.o
	local name=$1 src=$2
	shift 2
	preprocess "$src" "$T/$name.s" "$@" && assemble "$T/$name.s" "$T/$name.o" 2>"$T/$name.err" ||
		{ nok "image-part-$name" "$(head -3 "$T/$name.err" 2>/dev/null | tr '\n' ' ')"; return 1; }
	objs="$objs $T/$name.o"
}
assemble "$T/stubs.s" "$T/stubs.o" 2>"$T/stubs.err" && objs="$T/stubs.o" ||
	{ nok image-part-stubs "$(head -3 "$T/stubs.err" | tr '\n' ' ')"; exit 0; }
build image "$ROOT/tests/ia64/image.S" &&
	build macros "$ROOT/tests/ia64/macros.S" -DINST_H='"native/inst.h"' &&
	build native "$G/native/patchlist.S" &&
	build xen "$G/xen/patchlist.S" &&
	build targets "$T/targets2.S" || exit 0
if "$LD" -static -e _start -o "$T/image.elf" $objs 2>"$T/ld.err"; then
	ok "image-links ($nsites stub sites)"
else
	nok image-links "$(head -3 "$T/ld.err" | tr '\n' ' ')"
	exit 0
fi

for b in native xen; do
	chain=ia64_native_
	[ $b = xen ] && chain="xen_ ia64_native_"
	if "$PATCHER" -o "$T/$b.elf" "$T/image.elf" $chain >"$T/$b.out" 2>"$T/$b.err"; then
		ok "$b-patches ($(sed -n 's/^patched \([0-9]*\) sites in .*: \([0-9]*\) sites\/s$/\1 sites, \2 sites\/s/p' "$T/$b.out"))"
	else
		nok "$b-patches" "$(head -3 "$T/$b.err" | tr '\n' ' ')"
		continue
	fi
	sed 's/^/# /' "$T/$b.out"
	python3 "$ROOT/tests/ia64/readback.py" "$OBJDUMP" "$T/image.elf" "$T/$b.elf" "$T/$b-text.s" $chain |
		sed "s/^\(\(not \)\{0,1\}ok - \)/\1$b-/"
	if assemble "$T/$b-text.s" "$T/$b-text.o" 2>"$T/$b-text.err"; then
		ok "$b-patched-text-reassembles ($(grep -c '^L_' "$T/$b-text.s") bundles)"
	else
		nok "$b-patched-text-reassembles" "$(head -3 "$T/$b-text.err" | tr '\n' ' ')"
	fi
done

# A patch list without a body for a type leaves the site alone (Linux 3.12's
# __paravirt_patch_apply_bundle never says "not found" to its caller; here the fallback
# gets the site): Xen without its native fallback leaves every type only native has.
"$PATCHER" -o "$T/xen-only.elf" "$T/image.elf" xen_ >"$T/xen-only.out" 2>&1
left=$(sed -n 's/^bundles: .* \([0-9]*\) left, .*/\1/p' "$T/xen-only.out")
fell=$(sed -n 's/^bundles: .* (\([0-9]*\) by a fallback).*/\1/p' "$T/xen.out")
[ -n "$left" ] && [ "$left" -gt 0 ] && [ "$left" -ge "${fell:-0}" ] &&
	ok "xen-alone-leaves-what-only-native-has ($left sites left; with the fallback $fell patched by native)" ||
	nok xen-alone-leaves-what-only-native-has "$(head -3 "$T/xen-only.out" | tr '\n' ' ')"

# An entry point beyond the reach of the site's IP-relative branch (+-16 MiB): refused, named.
build far "$ROOT/tests/ia64/image.S" -DFAR_ENTRIES &&
	"$LD" -static -e _start -o "$T/far.elf" ${objs/$T\/image.o/} 2>"$T/ld-far.err" || nok far-image-links "$(head -3 "$T/ld-far.err")"
if [ -f "$T/far.elf" ]; then
	"$PATCHER" -o "$T/far-native.elf" "$T/far.elf" ia64_native_ >"$T/far.out" 2>&1
	rc=$?
	[ $rc = 1 ] && grep -q 'out of its reach' "$T/far.out" &&
		ok "far-branch-refused ($(grep -c 'out of its reach' "$T/far.out") sites)" ||
		nok far-branch-refused "exit $rc: $(head -3 "$T/far.out" | tr '\n' ' ')"
fi
