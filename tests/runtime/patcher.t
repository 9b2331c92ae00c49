#!/usr/bin/env bash
# The reference patcher (runtime/x86/patch.c) on made-up sites, for x86_64 and i386: what it
# does with each kind of site and why (x86/check.c patcher), that it patches this binary with
# the text writable only meanwhile, and restores it byte for byte; and its NOP padding of 1 to
# 40 bytes decodes (objdump) as the fewest NOPs, ending where the padding ends.
set -u
. "$ROOT/tests/runtime/lib.sh"
tmpdir

for arch in $X86_ARCHES; do
	exe=$(rt_program "$arch" 2>"$TMP/err") || { notok "patcher: $arch: build"; head "$TMP/err"; continue; }
	rt_run "$exe" patcher "$TMP/out"
	hex="" off=0
	: >"$TMP/regions"
	while read -r _ n bytes; do
		hex=$hex$bytes
		echo "$off $n" >>"$TMP/regions"
		off=$((off + n))
	done < <(grep '^nops ' "$TMP/out")
	[ "$off" -gt 0 ] || { notok "patcher: $arch: no NOP fills reported"; continue; }
	printf '%s' "$hex" | xxd -r -p >"$TMP/nops.bin"
	bad=$(nop_regions "$arch" "$TMP/nops.bin" "$TMP/regions")
	[ -z "$bad" ] && ok "patcher: $arch: NOP fills of 1 to 40 bytes are the fewest NOPs (objdump)" ||
		{ notok "patcher: $arch: NOP fills (length why):"; echo "$bad" | head -5 | sed 's/^/    /'; }
done
exit 0
