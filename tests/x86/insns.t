#!/usr/bin/env bash
# Every backend sequence of the spec, assembled by gas (as --64, as --32) as the spec writes it,
# gives the bytes the generated tables carry (relocated fields aside, at the same offsets), fits
# its op's patch site, and is what the out-of-line body of the same name starts with (ends with,
# before its ret, for a sequence that takes a frame off the stack: see `stack`).
set -u
. "$ROOT/tests/x86/lib.sh"
tmpdir
gen_x86 "$X86_SPEC" "$TMP/gen" 2>"$TMP/gen.err" || { notok "insns: generate"; cat "$TMP/gen.err"; exit 1; }

# objdump -dr of an object -> "SECTION-or-SYMBOL HEX R<off>..." per section (-j) or symbol
dump() {
	objdump -dr -z "$@" | awk '
		function num(h,  v, i) { v = 0; for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1; return v }
		function flush() { if (name != "") print name, (hex == "" ? "-" : hex) rel; hex = ""; rel = "" }
		/^Disassembly of section / { flush(); name = $4; sub(/:$/, "", name); base = -1; next }
		/^[0-9a-f]+ <.*>:$/ { if (!bysym) next; flush(); name = $2; gsub(/[<>:]/, "", name); base = num($1); next }
		/^ +[0-9a-f]+:\t/ { split($0, f, "\t"); gsub(/ /, "", f[2]); hex = hex f[2]; next }
		/^\t+[0-9a-f]+: R_/ { o = $1; sub(/:$/, "", o); rel = rel " " (num(o) - (base < 0 ? 0 : base)); next }
		END { flush() }' bysym="${BYSYM:-0}"
}
# zero the 4 bytes of each relocated field: hex offsets...
zero() {
	local hex=$1 off
	shift
	for off in "$@"; do hex=${hex:0:$((2 * off))}00000000${hex:$((2 * off + 8))}; done
	printf '%s' "$hex"
}

for arch in $X86_ARCHES; do
	d=$TMP/gen/$arch
	as --"$(bits $arch)" -o "$d/spec.o" "$d/insns.s" 2>"$TMP/err" || { notok "insns: $arch: gas refuses a sequence"; head "$TMP/err"; continue; }
	cc $(mflag $arch) -c "$d/paravirt_insns.S" -o "$d/bodies.o" 2>"$TMP/err" || { notok "insns: $arch: bodies"; head "$TMP/err"; continue; }
	dump "$d/spec.o" >"$d/gas"
	BYSYM=1 dump "$d/bodies.o" >"$d/bodies"
	n=0 bad=0
	while read -r backend cname len site stack hex src relocs; do
		[ -n "$src" ] && [ "$backend" != "/*" ] && [ "$backend" != "*" ] || continue
		n=$((n + 1))
		[ "$hex" = - ] && hex=""
		read -r _ ghex grel <<<"$(awk -v s=".t.$backend.$cname" '$1 == s' "$d/gas")"
		[ "$ghex" = - ] && ghex=""
		# shellcheck disable=SC2086
		gz=$(zero "$ghex" $grel) oz=$(zero "$hex" $relocs)
		why=""
		[ "$gz" = "$oz" ] || why="$why bytes $oz, gas $gz"
		[ "$(echo $grel)" = "$(echo $relocs)" ] || why="$why relocations at '$relocs', gas at '$grel'"
		[ $((${#ghex} / 2)) -eq "$len" ] || why="$why length $len, gas $((${#ghex} / 2))"
		[ "$len" -le "$site" ] || why="$why: $len bytes do not fit the $site-byte site"
		if [ "$src" != paravirt_nop ]; then
			read -r _ bhex brel <<<"$(awk -v s="$src" '$1 == s' "$d/bodies")"
			# shellcheck disable=SC2086
			if [ "$stack" -gt 0 ]; then
				# it takes a frame: the return address is lifted above it first, so the
				# body ends with the sequence and a ret (runtime/ops.t runs it)
				tail=${bhex: -$((2 * len + 2))}
				[ "$tail" = "${hex}c3" ] && [ ${#bhex} -gt $((2 * len + 2)) ] || why="$why body $src ends $tail"
			else
				bz=$(zero "${bhex:0:$((2 * len))}" $(for o in $brel; do [ "$o" -lt "$len" ] && echo "$o"; done))
				[ "$bz" = "$oz" ] || why="$why body $src starts ${bhex:0:$((2 * len))}"
			fi
		fi
		[ -z "$why" ] || { notok "insns: $arch: $backend $cname:$why"; bad=1; }
	done <"$d/insns.txt"
	[ $bad -eq 0 ] && [ $n -gt 0 ] && ok "insns: $arch: $n sequences: gas's bytes, within their sites, at the head of their bodies"
done
exit 0
