#!/usr/bin/env bash
# The reference patcher (runtime/x86/patch.c) on crafted record arrays, for x86_64 and i386
# (tests/runtime/x86/records.c): overlapping sites and sites outside the text are refused with
# nothing written, no page stays writable on any path, pv_restore is exact, and what it says
# of a site too short for anything is true.
set -u
. "$ROOT/tests/runtime/lib.sh"
tmpdir
for arch in $X86_ARCHES; do
	exe=$(rt_program "$arch" 2>"$TMP/err") || { notok "records: $arch: build"; head "$TMP/err"; continue; }
	rt_run "$exe" records "$TMP/out"
done
exit 0
