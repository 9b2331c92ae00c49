#!/usr/bin/env bash
# pvopsc --list-symbols: what hand-written code owes the link, checked against the linkers'
# own view of the generated objects. x86_64 and i386 (the shipped spec and the golden case
# x86-golden-small): the listing's symbols are exactly what paravirt_backends.o and
# paravirt_insns.o leave undefined (nm -u minus what they define), and, backend by backend,
# what a link reaches from the backend's descriptor through the objects' relocations
# (tests/core/reach.py). IA-64: nothing a listed symbol names is defined by a backend's patch
# list (ia64-linux-gnu-nm), what a patch list leaves undefined is listed, each backend's
# listing is what its tables in paravirt_backends.c name minus the patch lists' definitions,
# and a body that takes a symbol's address (movl) owes it. Also: an added backend owes just
# its own two functions; the text is sorted, stable, says what the JSON says, and is what
# the README shows; usage errors.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
spec=$ROOT/spec/pvops.yaml
out=$TMP/out
"$PVOPSC" -q -t "$ROOT/templates" -o "$out" "$spec" || { notok "symbols: the shipped spec generates"; exit 1; }

# -t names no folder: the listing needs no template, and writes nothing
(cd "$TMP" && "$PVOPSC" --list-symbols -t "$TMP/none" "$spec" >"$TMP/list.txt" 2>"$TMP/list.err")
rc=$?
"$PVOPSC" --list-symbols "$spec" >"$TMP/again.txt" 2>/dev/null
"$PVOPSC" --list-symbols --format=json "$spec" >"$TMP/list.json" 2>/dev/null
n=$(wc -l <"$TMP/list.txt")
if [ $rc -eq 0 ] && [ ! -s "$TMP/list.err" ] && [ "$n" -gt 0 ] && cmp -s "$TMP/list.txt" "$TMP/again.txt" &&
	[ "$(ls "$TMP" | grep -cv '^\(out\|list.txt\|list.err\|again.txt\|list.json\)$')" -eq 0 ]; then
	ok "symbols: --list-symbols prints $n lines, the same twice, writes nothing and needs no template"
else
	notok "symbols: --list-symbols exit $rc, $n lines: $(head -2 "$TMP/list.err")"
fi

# the JSON and the text say the same; the order is arch (the spec's), backend (the spec's), symbol
python3 - "$TMP/list.json" "$TMP/list.txt" "$spec" <<'PY' >"$TMP/order" 2>&1
import json, re, sys, yaml
rows = json.load(open(sys.argv[1]))["symbols"]
text = [l.split() for l in open(sys.argv[2])]
spec = yaml.safe_load(open(sys.argv[3]))
arches = [a["name"] for a in spec["arches"]]
backends = [b["name"] for b in spec["backends"]]
want = [[r["arch"], r["backend"], r["symbol"], ",".join(r["ops"]), "(named", "by"] + [b + "," for b in r["named_by"][:-1]] + [r["named_by"][-1] + ")"] for r in rows]
if want != text:
    sys.exit("text and JSON differ: %s" % next(("%s / %s" % (w, t) for w, t in zip(want, text) if w != t), "in length"))
keys = [(arches.index(r["arch"]), backends.index(r["backend"]), r["symbol"].encode()) for r in rows]
if keys != sorted(keys) or len(set(keys)) != len(keys):
    sys.exit("not sorted by arch, backend, symbol, or a line twice")
if not all(r["ops"] and r["named_by"] for r in rows):
    sys.exit("a line without an op or without a backend naming it")
print(len(rows))
PY
[ $? -eq 0 ] && ok "symbols: text and --format=json agree, one line a symbol, sorted by arch, backend and symbol ($(cat "$TMP/order") lines)" ||
	notok "symbols: $(tail -1 "$TMP/order")"

# the README's example is what the tool prints
"$PVOPSC" --list-symbols --arch x86_64 "$spec" >"$TMP/x86_64.txt" 2>/dev/null
sed -n '/^   \$ pvopsc --list-symbols --arch x86_64 spec\/pvops.yaml$/,/^   ```$/p' "$ROOT/README.md" |
	sed -n 's/^   \(x86_64 .*\)$/\1/p' >"$TMP/readme"
stale=$(grep -vxF -f "$TMP/x86_64.txt" "$TMP/readme" | head -2)
[ -s "$TMP/readme" ] && [ -z "$stale" ] && ok "symbols: the README's $(wc -l <"$TMP/readme") example lines are --list-symbols' own" ||
	notok "symbols: README example lines not printed by --list-symbols: ${stale:-none found}"

LIST=$TMP/list.json
listed() { # listed ARCH [BACKEND-NAMING-IT]: the symbols $LIST lists, sorted
	python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["symbols"]:
    if r["arch"] == sys.argv[2] and (len(sys.argv) < 4 or sys.argv[3] in r["named_by"]):
        print(r["symbol"])' "$LIST" "$@" | LC_ALL=C sort -u
}

# x86_link NAME OUT: OUT's x86 objects, compiled, against $LIST: all, and backend by backend
x86_link() {
	local name=$1 arch d m objs b
	for arch in x86_64 i386; do
		d=$2/$arch m=-m64
		[ $arch = i386 ] && m=-m32
		[ -e "$d/paravirt_backends.c" ] || continue
		cc $m -O2 -fno-pie -ffunction-sections -fdata-sections -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" \
			-include prelude.h -c "$d/paravirt_backends.c" -o "$TMP/$arch.b.o" 2>"$TMP/err" &&
			cc $m -fno-pie -c "$d/paravirt_insns.S" -o "$TMP/$arch.i.o" 2>>"$TMP/err" ||
			{ notok "symbols: $name: $arch: compile"; head -5 "$TMP/err"; continue; }
		objs="$TMP/$arch.b.o $TMP/$arch.i.o"
		nm --defined-only $objs | awk 'NF == 3 { print $3 }' | LC_ALL=C sort -u >"$TMP/defined"
		nm -u $objs | awk 'NF == 2 { print $2 }' | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$TMP/defined" >"$TMP/$arch.nm"
		listed $arch >"$TMP/$arch.listed"
		if [ -s "$TMP/$arch.nm" ] && cmp -s "$TMP/$arch.nm" "$TMP/$arch.listed"; then
			ok "symbols: $name: $arch: the listing is what nm -u shows the generated objects leave undefined ($(wc -l <"$TMP/$arch.nm") symbols)"
		else
			notok "symbols: $name: $arch: listing vs nm: $(diff "$TMP/$arch.nm" "$TMP/$arch.listed" | grep '^[<>]' | head -5 | tr '\n' ' ')"
		fi
		for b in $(sed -n 's/^extern const struct paravirt_backend \([a-z0-9_]*\)_backend;$/\1/p' "$d/paravirt_patch.h"); do
			python3 "$ROOT/tests/core/reach.py" "${b}_backend" $objs >"$TMP/reach" 2>"$TMP/err" ||
				{ notok "symbols: $name: $arch: $b: reach.py: $(tail -1 "$TMP/err")"; continue; }
			listed $arch "$b" >"$TMP/mine"
			if [ -s "$TMP/reach" ] && cmp -s "$TMP/reach" "$TMP/mine"; then
				ok "symbols: $name: $arch: $b: the lines naming it are what a link reaches from ${b}_backend ($(wc -l <"$TMP/reach") symbols)"
			else
				notok "symbols: $name: $arch: $b: reached vs listed: $(diff "$TMP/reach" "$TMP/mine" | grep '^[<>]' | head -5 | tr '\n' ' ')"
			fi
		done
	done
}
x86_link "the shipped spec" "$out"
# the small golden case: other backends, other ops
small=$ROOT/tests/cases/x86-golden-small/spec.yaml
"$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/small" "$small" && "$PVOPSC" --list-symbols --format=json "$small" >"$TMP/small.json" ||
	notok "symbols: tests/cases/x86-golden-small generates and lists"
LIST=$TMP/small.json x86_link x86-golden-small "$TMP/small"

# IA-64: the per-backend patch lists, assembled, and the C tables as generated
AS=ia64-linux-gnu-as NM=ia64-linux-gnu-nm
if command -v $AS >/dev/null && command -v $NM >/dev/null; then
	g=$out/ia64 objs=""
	for src in "$g"/*/patchlist.S; do
		b=$(basename "$(dirname "$src")")
		cpp -P -undef -nostdinc -x assembler-with-cpp -D__ASSEMBLY__ -I"$g" "$src" >"$TMP/$b.s" &&
			$AS -xexplicit --fatal-warnings -o "$TMP/ia64.$b.o" "$TMP/$b.s" 2>"$TMP/err" ||
			{ notok "symbols: ia64: $b/patchlist.S assembles"; head -3 "$TMP/err"; continue; }
		objs="$objs $TMP/ia64.$b.o"
	done
	$NM --defined-only $objs | awk 'NF == 3 && $2 ~ /[A-Z]/ { print $3 }' | LC_ALL=C sort -u >"$TMP/ia64.defined"
	$NM -u $objs | awk 'NF == 2 { print $2 }' | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$TMP/ia64.defined" >"$TMP/ia64.nm"
	listed ia64 >"$TMP/ia64.listed"
	both=$(LC_ALL=C comm -12 "$TMP/ia64.listed" "$TMP/ia64.defined" | head -3 | tr '\n' ' ')
	missing=$(LC_ALL=C comm -23 "$TMP/ia64.nm" "$TMP/ia64.listed" | head -3 | tr '\n' ' ')
	[ -s "$TMP/ia64.listed" ] && [ -z "$both" ] && [ -z "$missing" ] &&
		ok "symbols: ia64: no listed symbol is defined by the patch lists ($(wc -l <"$TMP/ia64.defined") global symbols), and all they leave undefined is listed ($(wc -l <"$TMP/ia64.nm"))" ||
		notok "symbols: ia64: listed and defined: $both; undefined and not listed: $missing"
	for b in $(ls -d "$g"/*/patchlist.S | sed 's|.*/\([^/]*\)/patchlist.S$|\1|'); do
		# the backend's part of paravirt_backends.c: every table initializer's symbol
		sed -n "/^\/\* ---- $b[ -]/,/^\/\* ---- /p" "$g/paravirt_backends.c" |
			sed -n 's/^	\.[A-Za-z_0-9]* = \(([^)]*)\)\?\([A-Za-z_][A-Za-z_0-9]*\),\( \/\*.*\)\?$/\2/p' |
			grep -vx NULL | LC_ALL=C sort -u | LC_ALL=C comm -23 - "$TMP/ia64.defined" >"$TMP/named"
		listed ia64 "$b" >"$TMP/mine"
		if [ -s "$TMP/named" ] && cmp -s "$TMP/named" "$TMP/mine"; then
			ok "symbols: ia64: $b: the lines naming it are what its tables in paravirt_backends.c name and no patch list defines ($(wc -l <"$TMP/named"))"
		else
			notok "symbols: ia64: $b: named vs listed: $(diff "$TMP/named" "$TMP/mine" | grep '^[<>]' | head -5 | tr '\n' ' ')"
		fi
	done
	# a body that takes a symbol's address: listed, and what its patch list leaves undefined
	sed 's/^            movl r2 = 0x2000000000000000$/            movl r2 = ia64_test_base + 0x2000000000000000/' "$spec" >"$TMP/movl.yaml"
	"$PVOPSC" -q -t "$ROOT/templates" --arch ia64 -o "$TMP/movl" "$TMP/movl.yaml" 2>"$TMP/err" &&
		cpp -P -undef -nostdinc -x assembler-with-cpp -D__ASSEMBLY__ -I"$TMP/movl/ia64" "$TMP/movl/ia64/native/patchlist.S" >"$TMP/movl.s" &&
		$AS -xexplicit --fatal-warnings -o "$TMP/movl.o" "$TMP/movl.s" 2>>"$TMP/err" ||
		{ notok "symbols: ia64: the spec with movl r2 = ia64_test_base generates and assembles: $(head -1 "$TMP/err")"; exit 1; }
	"$PVOPSC" --list-symbols --arch ia64 "$TMP/movl.yaml" | awk '{ print $1, $2, $3, $4 }' >"$TMP/movl.list"
	added=$(diff <("$PVOPSC" --list-symbols --arch ia64 "$spec" | awk '{ print $1, $2, $3, $4 }') "$TMP/movl.list" | sed -n 's/^> //p')
	undef=$($NM -u "$TMP/movl.o" | awk '{ print $2 }')
	[ "$added" = "ia64 native ia64_test_base pv_cpu_ops.set_rr0_to_rr4" ] && [ "$undef" = ia64_test_base ] &&
		ok "symbols: ia64: a body's movl of a symbol lists it for its backend and op, as nm -u of its patch list shows it" ||
		notok "symbols: ia64: movl ia64_test_base: listed '$added', nm -u '$undef'"
else
	notok "symbols: ia64: binutils-ia64-linux-gnu missing (make deps)"
fi

# an added backend (as tests/core/backends.t adds it) owes its two functions, nothing on IA-64
awk '/^asm_macros:/ && !done {
	print "  - name: testbk"
	print "    hypervisor_type: 9"
	print "    arches: [x86_64, i386]"
	print "    fallback: native"
	print "    impl:"
	print "      - {op: pv_cpu_ops.io_delay}"
	print "      - {op: pv_time_ops.sched_clock}"
	print ""
	done = 1
}
{ print }' "$spec" >"$TMP/testbk.yaml"
"$PVOPSC" --list-symbols "$TMP/testbk.yaml" 2>&1 | awk '$2 == "testbk" { print $1, $3, $4 }' >"$TMP/testbk"
printf '%s\n' "x86_64 testbk_io_delay pv_cpu_ops.io_delay" "x86_64 testbk_sched_clock pv_time_ops.sched_clock" \
	"i386 testbk_io_delay pv_cpu_ops.io_delay" "i386 testbk_sched_clock pv_time_ops.sched_clock" >"$TMP/testbk.want"
cmp -s "$TMP/testbk" "$TMP/testbk.want" &&
	ok "symbols: an added x86 backend owes its two functions, on x86_64 and i386 only" ||
	notok "symbols: testbk owes: $(tr '\n' ';' <"$TMP/testbk")"
"$PVOPSC" --list-symbols --arch i386 "$TMP/testbk.yaml" 2>/dev/null | awk '{ print $1 }' | sort -u >"$TMP/arches"
[ "$(cat "$TMP/arches")" = i386 ] && ok "symbols: --arch i386 lists i386 only" || notok "symbols: --arch i386 lists $(tr '\n' ' ' <"$TMP/arches")"

# a spec with its own template set (Linux 6.1's renders no tables): listed, with a note
"$PVOPSC" --list-symbols "$ROOT/spec/linux-6.1.yaml" >"$TMP/61" 2>"$TMP/61.err"
rc=$?
"$PVOPSC" -q --list-symbols "$ROOT/spec/linux-6.1.yaml" 2>"$TMP/61q.err" | cmp -s - "$TMP/61"
same=$?
[ $rc -eq 0 ] && [ $same -eq 0 ] && [ -s "$TMP/61" ] && grep -q "^pvopsc: note: .*linux-6.1.yaml renders the template set 'linux-6.1'" "$TMP/61.err" &&
	[ ! -s "$TMP/61q.err" ] && ok "symbols: spec/linux-6.1.yaml, which renders its own template set: listed with a note (none with -q)" ||
	notok "symbols: linux-6.1: exit $rc, $(head -1 "$TMP/61.err")"

# usage and spec errors: exit 2 or 1, nothing on stdout
sed 's/^    return_branch: b6$/    return_branch: r6/' "$spec" >"$TMP/bad.yaml"
for args in "--list-symbols --format=xml" "--format=json" "--list-symbols --check" "--list-symbols -o $TMP/o" "--list-symbols -d $TMP/d" \
	"--list-symbols $TMP/bad.yaml"; do
	want=2
	case $args in *bad.yaml) want=1; set -- $args ;; *) set -- $args "$spec" ;; esac
	"$PVOPSC" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	rc=$?
	[ $rc -eq $want ] && [ ! -s "$TMP/stdout" ] && [ -s "$TMP/stderr" ] && [ ! -e "$TMP/o" ] && [ ! -e "$TMP/d" ] &&
		ok "symbols: pvopsc ${args/$TMP\//}: exit $want, a message, nothing listed ($(head -1 "$TMP/stderr" | cut -c1-70))" ||
		notok "symbols: pvopsc $args: exit $rc (want $want), $(wc -c <"$TMP/stdout") bytes out"
done
exit 0
