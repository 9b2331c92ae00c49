#!/usr/bin/env bash
# The runtime test program (tests/runtime/x86/) again, its host code and the reference patcher
# built with AddressSanitizer and UndefinedBehaviorSanitizer (RT_SANITIZE, runtime/x86/build.sh),
# for x86_64 and i386: every mode must pass and no sanitizer may report. Kernel-built code (the
# backends, the generated tables and bodies, *.k.c, the hypervisor models) stays plain: it runs
# under the kernel's calling conventions, which a sanitizer's runtime calls would break.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
export RT_SANITIZE=address,undefined RT_OUT=$ROOT/$B/runtime-san
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
. "$ROOT/tests/runtime/lib.sh"
for arch in $X86_ARCHES; do
	exe=$(rt_program "$arch" 2>"$TMP/err") || { notok "sanitizers: $arch: build"; head -5 "$TMP/err"; continue; }
	for mode in native xen xen-placed kvm policies patcher clobbers records; do
		"$exe" "$mode" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		pass=$(grep -c '^ok - ' "$TMP/out")
		fail=$(grep -c '^not ok - ' "$TMP/out")
		if [ $rc -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && ! grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
			ok "sanitizers: $arch $mode: $pass checks pass under ASan+UBSan"
		else
			notok "sanitizers: $arch $mode: exit $rc, $fail failed"
			grep -E 'ERROR|runtime error|^not ok|SUMMARY' "$TMP/out" "$TMP/err" | head -5 | sed 's/^/    /'
		fi
	done
done
