#!/usr/bin/env bash
# Backends are first-class. A copy of the shipped spec with one more backend (x86 only, two
# ops, nothing else edited) generates, compiles and links on every arch: the new backend gets
# its tables on x86 and nothing on IA-64, where its missing macro expansions are no error. And
# on every arch, with every backend, nothing generated names a symbol nothing defines: the
# generated objects, with one definition for each implementation paravirt_backends.h says the
# hand-written part owes, link with no undefined symbol (x86: gcc; IA-64: every backend's
# patch list and a reference to every patch list paravirt_patch.h declares, with
# ia64-linux-gnu-as and -ld).
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir

# The extra backend goes in front of asm_macros, the section after backends.
spec=$TMP/spec.yaml
awk '/^asm_macros:/ && !done {
	print "  - name: testbk"
	print "    hypervisor_type: 9"
	print "    arches: [x86_64, i386]"
	print "    fallback: native"
	print "    patch: {pv_irq_ops: indirect}"
	print "    impl:"
	print "      - {op: pv_cpu_ops.io_delay}"
	print "      - {op: pv_time_ops.sched_clock, patch: call}"
	print ""
	done = 1
}
{ print }' "$ROOT/spec/pvops.yaml" >"$spec"
[ "$(diff "$ROOT/spec/pvops.yaml" "$spec" | grep -c '^>')" -eq 9 ] || { notok "backends: the spec copy adds 9 lines"; exit 1; }

out=$TMP/out
if "$PVOPSC" -q -t "$ROOT/templates" -o "$out" "$spec" 2>"$TMP/gen.err" && [ ! -s "$TMP/gen.err" ]; then
	ok "backends: a spec with an extra x86-only backend generates, without a diagnostic"
else
	notok "backends: the spec with testbk does not generate"; head -5 "$TMP/gen.err"; exit 1
fi
for arch in x86_64 i386; do
	grep -q '^const struct pv_cpu_ops testbk_pv_cpu_ops = {' "$out/$arch/paravirt_backends.c" &&
		grep -q '^	\.io_delay = testbk_io_delay,' "$out/$arch/paravirt_backends.c" &&
		grep -q '^	\.sched_clock = testbk_sched_clock,' "$out/$arch/paravirt_backends.c" &&
		grep -q '^	\.clts = native_clts, /\* from native \*/' "$out/$arch/paravirt_backends.c" &&
		ok "backends: $arch: testbk's tables name its two ops and fall back to native for the rest" ||
		notok "backends: $arch: testbk's tables"
	# its patch policy: sched_clock by its own entry, every pv_irq_ops site by the table's word
	pol=$(sed -n '/^static const unsigned char testbk_policy\[/,/^};/p' "$out/$arch/paravirt_backends.c" | grep -c 'PV_POLICY_[A-Z]*, /\*')
	irq=$(grep -c '^      - {name: [a-z_]*, sig:\|^      - name: ' <(sed -n '/^  - name: pv_irq_ops$/,/^  - name: /p' "$ROOT/spec/pvops.yaml"))
	grep -q '^	\[PARAVIRT_PATCH_pv_time_ops_sched_clock\] = PV_POLICY_CALL, /\* pv_time_ops.sched_clock \*/$' "$out/$arch/paravirt_backends.c" &&
		grep -q '^	\[PARAVIRT_PATCH_pv_irq_ops_irq_disable\] = PV_POLICY_INDIRECT, /\* pv_irq_ops.irq_disable \*/$' "$out/$arch/paravirt_backends.c" &&
		grep -q '^	.policy = testbk_policy,$' "$out/$arch/paravirt_backends.c" &&
		! sed -n '/^static const unsigned char native_policy\[/,/^};/p' "$out/$arch/paravirt_backends.c" | grep -q 'PV_POLICY_[A-Z]*, /\*' &&
		ok "backends: $arch: testbk's patch policy: $pol types (sched_clock a call, pv_irq_ops' sites left indirect; the spec's pv_irq_ops has $irq ops), none for native" ||
		notok "backends: $arch: testbk's policy table ($pol entries)"
done
if [ ! -e "$out/ia64/testbk" ] && ! grep -rq testbk "$out/ia64"; then
	ok "backends: ia64: nothing of testbk, which does not serve it"
else
	notok "backends: ia64 names testbk: $(grep -rl testbk "$out/ia64" | head -3 | tr '\n' ' ')"
fi
# --arch narrows the checks: an IA-64 mistake is no error when only x86 is asked for
sed 's/^    return_branch: b6$/    return_branch: r6/' "$spec" >"$TMP/bad-ia64.yaml"
"$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/bad" "$TMP/bad-ia64.yaml" >/dev/null 2>&1
all=$?
"$PVOPSC" -q -t "$ROOT/templates" --arch x86_64,i386 -o "$TMP/x86only" "$TMP/bad-ia64.yaml" 2>"$TMP/x86.err"
x86=$?
[ $all -eq 1 ] && [ $x86 -eq 0 ] && [ ! -s "$TMP/x86.err" ] && [ ! -e "$TMP/x86only/ia64" ] &&
	ok "backends: --arch x86_64,i386 leaves the IA-64 checks out (exit $all for all arches, $x86 for x86)" ||
	notok "backends: --arch narrowing: exit $all for all arches, $x86 for x86 only: $(head -2 "$TMP/x86.err")"

# x86: compile the generated objects, define what the hand-written part owes, link.
for arch in x86_64 i386; do
	d=$out/$arch m=-m64
	[ $arch = i386 ] && m=-m32
	cc $m -O2 -Wall -Wextra -Werror -fno-pie -I"$ROOT/tests/x86" -I"$ROOT/runtime" -I"$d" -include prelude.h \
		-c "$d/paravirt_backends.c" -o "$d/b.o" 2>"$TMP/err" &&
		cc $m -fno-pie -c "$d/paravirt_insns.S" -o "$d/i.o" 2>>"$TMP/err" ||
		{ notok "backends: $arch: compile"; head -5 "$TMP/err"; continue; }
	sed -n 's/^[^(]*[ *]\([A-Za-z_][A-Za-z_0-9]*\)(.*);$/\1/p' "$d/paravirt_backends.h" | sort -u >"$d/owed"
	nm --defined-only "$d/b.o" "$d/i.o" | awk 'NF == 3 { print $3 }' | sort -u >"$d/defined"
	# what the objects leave undefined is owed, or a symbol a backend's sequence names in the spec
	nm -u "$d/b.o" "$d/i.o" | awk 'NF == 2 { print $2 }' | sort -u | comm -23 - "$d/owed" |
		comm -23 - "$d/defined" >"$d/named"
	while read -r sym; do grep -qw -- "$sym" "$spec" || echo "$sym"; done <"$d/named" >"$d/stray"
	[ ! -s "$d/stray" ] && ok "backends: $arch: the generated objects reference only owed implementations and symbols the spec's sequences name ($(wc -l <"$d/named"): $(tr '\n' ' ' <"$d/named"))" ||
		notok "backends: $arch: referenced but neither owed nor named in the spec: $(tr '\n' ' ' <"$d/stray")"
	sort -u "$d/owed" "$d/named" | comm -23 - "$d/defined" | awk '{ print "void " $1 "(void) {}" }' >"$d/hand.c"
	# every symbol a generated header declares, referenced
	sed -n 's/^extern [^(]*[ *]\([A-Za-z_][A-Za-z_0-9]*\)\(\[[^]]*\]\)\?;$/\1/p' "$d"/*.h | sort -u >"$d/declared"
	{ awk '{ print "extern char " $1 "[];" }' "$d/declared" "$d/owed"
	  echo "void *const refs[] = {"; awk '{ print "\t" $1 "," }' "$d/declared" "$d/owed"; echo "};"
	  echo "void _start(void) {}"; } >"$d/refs.c"
	cc $m -fno-pie -c "$d/hand.c" -o "$d/h.o" && cc $m -fno-pie -c "$d/refs.c" -o "$d/r.o" &&
		cc $m -nostdlib -static -no-pie -o "$d/linked" "$d/r.o" "$d/b.o" "$d/i.o" "$d/h.o" 2>"$TMP/err"
	if [ -x "$d/linked" ]; then
		ok "backends: $arch: links with no undefined symbol ($(wc -l <"$d/declared") declared, $(wc -l <"$d/owed") implementations owed, $(wc -l <"$d/hand.c") by hand)"
	else
		notok "backends: $arch: link"; grep -m5 'undefined reference' "$TMP/err"
	fi
	for b in $(sed -n 's/^extern const struct paravirt_backend \([a-z0-9_]*\)_backend;$/\1/p' "$d/paravirt_patch.h"); do
		grep -q "^${b}_pv_cpu_ops\$" "$d/declared" && nm "$d/linked" | grep -q " ${b}_backend\$" &&
			ok "backends: $arch: backend $b: its tables and descriptor are defined in the link" ||
			notok "backends: $arch: backend $b not in the link"
	done
done

# IA-64: every backend's patch list, and a reference to each list paravirt_patch.h declares.
AS=ia64-linux-gnu-as LD=ia64-linux-gnu-ld
command -v $AS >/dev/null && command -v $LD >/dev/null || { notok "backends: ia64: binutils-ia64-linux-gnu missing (make deps)"; exit 0; }
g=$out/ia64 objs=""
for src in "$g"/*/patchlist.S; do
	b=$(basename "$(dirname "$src")")
	cpp -P -undef -nostdinc -x assembler-with-cpp -D__ASSEMBLY__ -I"$g" "$src" >"$TMP/$b.s" &&
		$AS -xexplicit --fatal-warnings -o "$TMP/$b.o" "$TMP/$b.s" 2>"$TMP/err" ||
		{ notok "backends: ia64: $b/patchlist.S assembles"; head -3 "$TMP/err"; continue; }
	objs="$objs $TMP/$b.o"
done
sed -n 's/^extern const [A-Za-z_ ]*[ *]\([A-Za-z_][A-Za-z_0-9]*\)\(\[\]\)\?;$/\1/p' "$g/paravirt_patch.h" | sort -u >"$TMP/ia64.declared"
{ echo "	.data"; echo "	.global _start"; echo "_start:"; awk '{ print "	data8 " $1 }' "$TMP/ia64.declared"; } >"$TMP/refs.s"
$AS -o "$TMP/refs.o" "$TMP/refs.s" &&
	$LD -o "$TMP/ia64.linked" "$TMP/refs.o" $objs 2>"$TMP/err"
n=$(wc -l <"$TMP/ia64.declared")
nb=$(ls -d "$g"/*/patchlist.S | wc -l)
if [ -e "$TMP/ia64.linked" ] && [ "$n" -eq $((2 * nb)) ]; then
	ok "backends: ia64: $nb backends' patch lists link with the $n symbols paravirt_patch.h declares"
else
	notok "backends: ia64: link ($n declared, $nb patch lists)"; head -5 "$TMP/err"
fi
exit 0
