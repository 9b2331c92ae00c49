#!/usr/bin/env bash
# The canaries catch a broken convention: implementations of save_fl and restore_fl that
# change a register a callee-save op must keep are caught at their sites, unpatched (an
# indirect call through the table) and patched (a direct call), on x86_64 and i386, while the
# real implementations keep every canary (x86/check.c clobbers). The canaries of every site of
# every op, under both backends, are in ops.t.
set -u
. "$ROOT/tests/runtime/lib.sh"
tmpdir

for arch in $X86_ARCHES; do
	exe=$(rt_program "$arch" 2>"$TMP/err") || { notok "clobbers: $arch: build"; head "$TMP/err"; continue; }
	rt_run "$exe" clobbers "$TMP/out"
	n=$(grep -c '^ok - .* is caught at its site' "$TMP/out")
	[ "$n" -eq 4 ] && ok "clobbers: $arch: both wrong implementations caught, unpatched and patched" ||
		notok "clobbers: $arch: $n of 4 catches of wrong implementations"
done
exit 0
