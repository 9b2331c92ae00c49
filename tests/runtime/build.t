#!/usr/bin/env bash
# The x86 runtime and its test program build from the generated headers with -Wall -Wextra
# -Werror for x86_64 (-m64) and i386 (-m32), and the code built as the kernel is (i386:
# -mregparm=3) imports nothing from libc or libgcc: those take their arguments on the stack,
# so a call from there would pass them wrongly (host.h is that code's only way out).
set -u
. "$ROOT/tests/runtime/lib.sh"
tmpdir

for arch in $X86_ARCHES; do
	if ! exe=$(rt_program "$arch" 2>"$TMP/err"); then
		notok "build: $arch: the runtime and its test program"
		head -n 20 "$TMP/err" | sed 's/^/    /'
		continue
	fi
	ok "build: $arch: the runtime and its test program ($(wc -w <"$RT_OUT/$arch/objs") runtime objects)"
	objs="$(cat "$RT_OUT/$arch/objs") $(ls "$exe".*.o)"
	# shellcheck disable=SC2086
	# defined by the objects, or by the runtime's linker script
	{ nm --defined-only $objs | awk 'NF == 3 { print $3 }'
	  sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z_0-9]*\) = \..*/\1/p' "$ROOT/runtime/x86/parainstructions.ld"; } |
		sort -u >"$TMP/defined"
	kernel=$(for o in $objs; do case $o in
		*/native.c.o | */xen.c.o | */hypervisor.c.o | */kernel.c.o | */paravirt_backends.c.o | *.probes.k.c.o | \
			*/kvm.c.o | */kvmclock.c.o | */kvm_hv.c.o) echo "$o" ;;
		esac; done)
	[ "$(echo "$kernel" | wc -w)" -eq 9 ] || notok "build: $arch: expected 9 kernel-built objects, found: $kernel"
	# shellcheck disable=SC2086
	# (a weak reference, w, imports nothing: it is NULL when nothing defines it)
	imports=$(nm -u $kernel | awk '$1 == "U" { print $2 }' | sort -u | comm -23 - "$TMP/defined")
	[ -z "$imports" ] && ok "build: $arch: kernel-built code imports nothing from libc or libgcc" ||
		notok "build: $arch: kernel-built code imports $(echo $imports)"
	# what a kernel links instead of the KVM model: the two ways into KVM, for real
	hc=$ROOT/backends/kvm/x86/hypercall.S
	if gcc "$(rt_mflag "$arch")" -c "$hc" -o "$TMP/hc.o" 2>"$TMP/err"; then
		insns=$(objdump -d "$TMP/hc.o" | grep -cE '\s(vmcall|wrmsr)\s*$')
		syms=$(nm --defined-only "$TMP/hc.o" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')
		[ "$insns" -eq 2 ] && [ "$syms" = "kvm_hypercall3 kvm_write_msr " ] &&
			ok "build: $arch: backends/kvm/x86/hypercall.S assembles: kvm_hypercall3 (vmcall) and kvm_write_msr (wrmsr), what the model stands in for" ||
			notok "build: $arch: hypercall.S: $insns vmcall/wrmsr, defines $syms"
	else
		notok "build: $arch: hypercall.S does not assemble"; head -3 "$TMP/err"
	fi
done
exit 0
