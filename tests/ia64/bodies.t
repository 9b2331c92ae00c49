#!/usr/bin/env bash
# Every native and Xen patch body, as generated: it assembles in explicit mode with every
# dependency violation fatal, the compiler's bundle count (in the body's comment) is what the
# assembler made, an inlinable body fits the 5-bundle site, and the patch list has one entry
# per inlinable body, with its type.
. "$(dirname "$0")/lib.sh"
have_toolchain || { nok bodies-toolchain "ia64-linux-gnu-as not installed (make deps)"; exit 0; }
generate || exit 0

for b in native xen; do
	src=$G/$b/patchlist.S
	if ! preprocess "$src" "$T/$b.s" || ! assemble "$T/$b.s" "$T/$b.o" 2>"$T/$b.err"; then
		nok "$b-bodies-assemble" "$(head -4 "$T/$b.err" | tr '\n' ' ')"
		continue
	fi
	ok "$b-bodies-assemble"
	# the compiler's counts: "STEM_direct_start: /* WHAT: N bundles */"
	sed -n 's|^\([A-Za-z0-9_]*\)_direct_start: /\* [^:]*: \([0-9]*\) .*|\1 \2|p' "$src" | sort >"$T/$b.model"
	bundle_sigs "$T/$b.o" '.' | awk '{ print $1, $2 }' | sort >"$T/$b.all"
	join "$T/$b.model" "$T/$b.all" | awk '$2 != $3 { print $1 ": compiler " $2 ", assembler " $3 }' >"$T/$b.bad"
	n=$(wc -l <"$T/$b.model")
	missing=$(join -v1 "$T/$b.model" "$T/$b.all" | head -3 | tr '\n' ' ')
	if [ "$n" -gt 0 ] && [ ! -s "$T/$b.bad" ] && [ -z "$missing" ]; then
		ok "$b-bundle-counts-match-assembler ($n bodies)"
	else
		nok "$b-bundle-counts-match-assembler" "$(head -3 "$T/$b.bad" | tr '\n' ' ') ${missing:+not found: $missing}"
	fi
	# inlinable bodies (those in the patch list) fit the site
	sed -n 's|^\s*data8 \([A-Za-z0-9_]*\)_direct_start, .*, \(0x[0-9a-f]*\)$|\1 \2|p' "$src" | sort >"$T/$b.list"
	big=$(join "$T/$b.list" "$T/$b.all" | awk '$3 > 5 { print $1 }' | tr '\n' ' ')
	[ -z "$big" ] && ok "$b-inline-bodies-fit-5-bundles" || nok "$b-inline-bodies-fit-5-bundles" "$big"
	# the list: one entry per body not marked out of line, types unique, nelems right
	inl=$(grep '_direct_start: /\*' "$src" | grep -vc 'out of line only')
	ent=$(wc -l <"$T/$b.list")
	dup=$(awk '{ print $2 }' "$T/$b.list" | sort | uniq -d | head -3 | tr '\n' ' ')
	nel=$(awk '/patch_bundle_nelems:/ { getline; print $2 }' "$src")
	if [ "$inl" = "$ent" ] && [ "$nel" = "$ent" ] && [ -z "$dup" ]; then
		ok "$b-patch-list ($ent types)"
	else
		nok "$b-patch-list" "bodies $inl, entries $ent, nelems $nel, duplicate types: $dup"
	fi
done

# Types the reference fixes, spot-checked in the lists.
grep -q 'data8 ia64_native_get_cr_itm_direct_start, ia64_native_get_cr_itm_direct_end, 0x10001001$' \
	"$G/native/patchlist.S" && ok native-getreg-type-adds-number || nok native-getreg-type-adds-number "cr.itm"
grep -q 'data8 xen_set_ar_kr0_direct_start, xen_set_ar_kr0_direct_end, 0x20000c00$' "$G/xen/patchlist.S" &&
	ok xen-setreg-type-adds-number || nok xen-setreg-type-adds-number "ar.k0"
# ip is never patched, gp stays native, tp is read-only
if grep -qE '(get|set)_(ip|gp)_direct|set_tp_direct' "$G/native/patchlist.S"; then
	nok native-unpatched-registers "ip, gp or tp-set has a body"
else
	ok native-unpatched-registers
fi
