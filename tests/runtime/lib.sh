# Shared by the runtime tests: the x86 test program (tests/runtime/x86/), built per arch into
# $B/runtime/ against the generated headers (runtime/x86/build.sh says which), once for all
# the scripts of a run; and the byte checks the scripts make with gas and objdump.
# shellcheck shell=bash
. "$ROOT/tests/core/lib.sh"
. "$ROOT/runtime/x86/build.sh"

RT_OUT=${RT_OUT:-$ROOT/$B/runtime}	# tests/runtime/sanitizers.t builds elsewhere
X86_ARCHES="x86_64 i386"

# rt_program ARCH: build the test program if its sources or the runtime changed; print its path
rt_program() {
	local arch=$1 hdr exe=$RT_OUT/$1/check stamp srcs
	hdr=$(rt_headers) && rt_build "$arch" "$hdr" "$RT_OUT" || return 1
	srcs=$(echo "$ROOT"/tests/runtime/x86/*.[chS])
	# shellcheck disable=SC2086
	stamp=$(cat $srcs "$RT_OUT/$arch/stamp" | sha256sum)
	if [ ! -x "$exe" ] || [ "$(cat "$exe.stamp" 2>/dev/null)" != "$stamp" ]; then
		# shellcheck disable=SC2046
		rt_link "$arch" "$RT_OUT" "$exe" $(echo "$ROOT"/tests/runtime/x86/*.[cS]) || return 1
		echo "$stamp" >"$exe.stamp"
	fi
	echo "$exe"
}

# rt_run EXE MODE OUT: run the program, its ok/not ok lines through, the rest kept in OUT
rt_run() {
	local rc
	"$1" "$2" >"$3" 2>"$3.err"
	rc=$?
	grep -E '^(not )?ok - ' "$3"
	if [ $rc -gt 1 ] || { [ $rc -ne 0 ] && ! grep -q '^not ok - ' "$3"; }; then
		notok "$(basename "$(dirname "$1")") $2: the program stopped with status $rc"
		sed 's/^/    /' "$3.err" | tail -n 5
	fi
}

rt_objdump_arch() { [ "$1" = x86_64 ] && echo "-m i386:x86-64" || echo "-m i386"; }

# nop_regions ARCH BIN REGIONS: every region (offset length, a line each) of the binary file
# decodes as NOPs, as few as can be (ceil(length/11): the longest NOP is 11 bytes), ending at
# its end. Prints the regions that do not, with what objdump saw.
nop_regions() {
	# shellcheck disable=SC2046
	objdump -D -b binary $(rt_objdump_arch "$1") --insn-width=16 "$2" | awk -v regions="$3" '
		function num(h,  v, i) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
		/^ *[0-9a-f]+:\t/ {
			split($0, f, "\t"); o = f[1]; gsub(/[ :]/, "", o); b = f[2]; gsub(/ /, "", b)
			at = num(o); len[at] = length(b) / 2; what[at] = f[3]
		}
		END {
			while ((getline line < regions) > 0) {
				split(line, r, " "); p = r[1] + 0; end = p + r[2]; n = 0; bad = ""
				while (p < end && bad == "") {
					if (!(p in len)) bad = "no instruction starts at +" (p - r[1])
					else if (what[p] !~ /^(data16 )*(cs )?(nop|xchg +%ax,%ax)/) bad = "not a NOP: " what[p]
					else { p += len[p]; n++ }
				}
				if (bad == "" && p != end) bad = "the last NOP runs past the end"
				if (bad == "" && n != int((r[2] + 10) / 11)) bad = n " NOPs for " r[2] " bytes"
				if (bad != "") print r[1], r[2], bad
			}
		}'
}

# gas_hex ARCH CODE: the bytes gas assembles CODE to (';' separates instructions), in hex
gas_hex() {
	local s=$TMP/gas.s
	printf '%s\n' "$2" | tr ';' '\n' >"$s"
	as --"$([ "$1" = x86_64 ] && echo 64 || echo 32)" -o "$s.o" "$s" 2>"$s.err" || { cat "$s.err" >&2; return 1; }
	objcopy -O binary --only-section=.text "$s.o" "$s.bin" && od -An -tx1 -v "$s.bin" | tr -d ' \n'
}
