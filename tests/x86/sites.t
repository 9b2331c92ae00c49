#!/usr/bin/env bash
# The .parainstructions records, read back from the compiled objects (elfsites.c), are whole
# records (each padded to its struct, so a section's size counts them) and what the spec says:
# one record per site op in the C file that calls every wrapper (none for plain calls), with
# the op's type, its real length (a call or jmp through the op's own slot, then exactly the
# padding NOPs), and the op's clobber mask; one per .S macro use, whose length is everything
# the macro emits and whose mask is the macro's or its caller's. The masks of the shipped
# conventions are the reference's facts.
set -u
. "$ROOT/tests/x86/lib.sh"
tmpdir
gen_x86 "$X86_SPEC" "$TMP/gen" 2>"$TMP/gen.err" || { notok "sites: generate"; cat "$TMP/gen.err"; exit 1; }

for arch in $X86_ARCHES; do
	d=$TMP/gen/$arch
	cc $(cflags $arch) -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -c "$d/calls.c" -o "$d/calls.o" 2>"$TMP/err" &&
		cc $(mflag $arch) -I"$d" -c "$d/macros.S" -o "$d/macros.o" 2>>"$TMP/err" ||
		{ notok "sites: $arch: build"; head "$TMP/err"; continue; }
	elfsites "$d/calls.o" >"$d/sites" 2>"$TMP/err" && elfsites "$d/macros.o" >"$d/msites" 2>>"$TMP/err" ||
		{ notok "sites: $arch: read the records: $(cat "$TMP/err")"; continue; }
	ok "sites: $arch: the C and .S objects' .parainstructions are whole numbers of records"

	# the conventions' masks, as the reference gives them
	case $arch in
	x86_64) want_call=0x1ff want_callee=0x1 ;;
	*) want_call=0x7 want_callee=0x5 ;;
	esac
	got=$(awk '$1 == "#define" && $2 == "CLBR_CALL" { c = $3 } $2 == "CLBR_CALLEE" { e = $3 } END { print c, e }' "$d/paravirt_types.h")
	[ "$got" = "$want_call $want_callee" ] && ok "sites: $arch: call and callee-save masks are $got" ||
		notok "sites: $arch: CLBR_CALL, CLBR_CALLEE are '$got', the reference says '$want_call $want_callee'"

	# C sites: every op of expect.txt against its function's records
	bad=0 n=0
	while read -r what cname kind type table offset len mask pad conv; do
		[ "$what" = op ] && [ "$conv" != none ] || continue
		recs=$(awk -v f="t_$cname" '$1 == f' "$d/sites")
		count=$(printf '%s' "$recs" | grep -c .)
		if [ "$kind" = call ]; then
			[ "$count" -eq 0 ] || { notok "sites: $arch: plain call $cname has $count records"; bad=1; }
			continue
		fi
		n=$((n + 1))
		if [ "$count" -ne 1 ]; then
			notok "sites: $arch: $cname has $count records, expected 1"; bad=1; continue
		fi
		read -r _ _ rtype rlen rmask bytes target <<<"$recs"
		case $kind in
		jump) op=25 ;;
		*) op=15 ;;
		esac
		callhex="ff${op}"
		padhex=$(printf '%s' "$pad" | sed 's/^-$//; s/0x//g; s/,//g')
		want_bytes_re="^${callhex}[0-9a-f]{8}${padhex}\$"
		kmask=$([ "$kind" = patchable ] && echo $want_call || { [ "$kind" = callee_save ] && echo $want_callee || echo 0x0; })
		why=""
		[ "$rtype" = "$type" ] || why="$why type $rtype (want $type)"
		[ "$rlen" = "$len" ] || why="$why length $rlen (want $len)"
		[ "$rmask" = "$mask" ] || why="$why clobbers $rmask (want $mask)"
		[[ $bytes =~ $want_bytes_re ]] || why="$why bytes $bytes (want a ${kind/callee_save/call} through the slot, then the padding $padhex)"
		[ "$target" = "$table+$offset" ] || why="$why reaches $target (want $table+$offset)"
		if [ -n "$why" ]; then
			notok "sites: $arch: $cname:$why"; bad=1
		elif [ "$conv" != "$cname" ] && [ "$rmask" != "$kmask" ]; then
			# an op that declares no clobbers of its own has its kind's convention
			notok "sites: $arch: $cname: mask $rmask is not its kind's $kmask"; bad=1
		fi
	done <"$d/expect.txt"
	[ $bad -eq 0 ] && ok "sites: $arch: $n C sites: one record each, with the op's type, real length, mask and slot"
	# the records carry what the assembler measured; the sum of lengths is the text they cover
	total=$(awk '{ s += $4 } END { print s + 0 }' "$d/sites")
	[ "$total" -gt 0 ] && ok "sites: $arch: the C sites cover $total bytes" || notok "sites: $arch: no C site"

	# .S sites: one record per macro use, at its label, as long as all the macro emits
	bad=0 n=0
	nm -n "$d/macros.o" | awk '$3 ~ /^m_/ { print $3, $1 }' >"$d/labels"
	while read -r what name type form mask holds; do
		[ "$what" = macro ] || continue
		for use in "$name" ${form/fixed/} ; do
			[ "$use" = clob ] && use=${name}_any
			rec=$(awk -v f="m_$use" '$1 == f' "$d/msites")
			next=$(awk -v f="m_$use" 'found { print $2; exit } $1 == f { found = 1; at = $2 }' "$d/labels")
			here=$(awk -v f="m_$use" '$1 == f { print $2 }' "$d/labels")
			want_len=$(( 16#$next - 16#$here ))
			wmask=$mask
			[ "$form" = clob ] && { [ "$use" = "$name" ] && wmask=0x0 || wmask=$(awk '$2 == "CLBR_ANY" { print $3 }' "$d/paravirt_types.h"); }
			n=$((n + 1))
			read -r _ off rtype rlen rmask _ target <<<"$rec"
			# the op's type and slot as the compiler counts them (the headers leave both
			# to the assembler)
			read -r tnum slot <<<"$(awk -v c="${type#PARAVIRT_PATCH_}" '$1 == "op" && $2 == c { print $4, $5 "+" $6 }' "$d/expect.txt")"
			if [ "$holds" != - ]; then
				# the site holds that backend's sequence itself: its bytes, no slot reached
				slot=-
				want_hex=$(awk -v b="$holds" -v c="${type#PARAVIRT_PATCH_}" '$1 == b && $2 == c { print $6 }' "$d/insns.txt")
				read -r _ _ _ _ _ rbytes _ <<<"$rec"
				[ -n "$want_hex" ] && [ "$rbytes" = "$want_hex" ] ||
					{ notok "sites: $arch: macro use m_$use: bytes $rbytes, want $holds's sequence $want_hex"; bad=1; }
			fi
			if [ -z "$rec" ] || [ "$off" != 0 ] || [ "$rtype" != "$tnum" ] || [ "$rlen" != "$want_len" ] || [ "$rmask" != "$wmask" ] ||
				[ "$target" != "$slot" ]; then
				notok "sites: $arch: macro use m_$use: record '$rec', want type $tnum length $want_len mask $wmask slot $slot"
				bad=1
			fi
		done
	done <"$d/expect.txt"
	[ "$(wc -l <"$d/msites")" -eq "$n" ] || { notok "sites: $arch: $(wc -l <"$d/msites") .S records for $n macro uses"; bad=1; }
	[ $bad -eq 0 ] && ok "sites: $arch: $n .S macro uses: one record each, as long as the macro's code, with its mask"
done
exit 0
