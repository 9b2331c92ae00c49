#!/usr/bin/env bash
# Per-site patch policy: one test binary patched for the KVM backend twice, with its own policy
# (the spec says nothing for KVM: the patcher decides) and with a table handed to the patcher
# at run time (pv_mmu_ops left indirect, pv_irq_ops direct calls, the CPU lazy-mode hooks
# NOPs). The program checks every site, runs every probe with canaries under both, and says
# the results are the same; here, from its per-site report, that the outcomes are what each
# policy asks for. Then the same policy said in a copy of the spec (KVM's `patch:`): a binary
# built from it patches every site as the run-time table did, and its probes pass.
set -u
. "$ROOT/tests/runtime/lib.sh"
tmpdir

for arch in $X86_ARCHES; do
	exe=$(rt_program "$arch" 2>"$TMP/err") || { notok "policy: $arch: build"; head "$TMP/err"; continue; }
	out=$TMP/$arch
	rt_run "$exe" policies "$out" | grep -E 'policies:|^not ok'
	grep -c "^ok - $arch kvm, the VT policy: .*canaries kept at every site" "$out" >"$TMP/n"
	[ "$(cat "$TMP/n")" -gt 20 ] && ok "policy: $arch: $(cat "$TMP/n") probes keep every canary under the run-time policy" ||
		notok "policy: $arch: too few probes ran under the run-time policy"
	# the report: "report OP HOW: WHY", the backend's policy first, then the run-time one
	total=$(grep -c '^report ' "$out")
	half=$((total / 2))
	grep '^report ' "$out" | head -n $half >"$TMP/own"
	grep '^report ' "$out" | tail -n $half >"$TMP/vt"
	mmu_kept=$(grep -c '^report pv_mmu_ops\.[a-z0-9_.]* kept: the policy leaves the indirect call$' "$TMP/vt")
	mmu_all=$(grep -c '^report pv_mmu_ops\.' "$TMP/vt")
	[ "$mmu_all" -gt 0 ] && [ "$mmu_kept" -eq "$mmu_all" ] &&
		ok "policy: $arch: run-time policy: all $mmu_all pv_mmu_ops sites keep their indirect call" ||
		notok "policy: $arch: pv_mmu_ops sites: $mmu_kept of $mmu_all left indirect"
	# a call, unless the site saves less than a call may change (a .S macro's): then left
	irq_call=$(grep -cE '^report pv_irq_ops\.[a-z_]* (call: (the policy asks for a call|no inline sequence)|kept: a call may change registers this site keeps)$' "$TMP/vt")
	irq_all=$(grep -c '^report pv_irq_ops\.' "$TMP/vt")
	irq_inl=$(grep -c '^report pv_irq_ops\.[a-z_]* inlined' "$TMP/own")
	[ "$irq_all" -gt 0 ] && [ "$irq_call" -eq "$irq_all" ] && [ "$irq_inl" -gt 0 ] &&
		ok "policy: $arch: pv_irq_ops: $irq_inl sites inlined under KVM's own policy; under the run-time one none of $irq_all, direct calls where a call may go" ||
		notok "policy: $arch: pv_irq_ops: $irq_inl inlined (own), $irq_call of $irq_all calls (run time)"
	lazy=$(grep -c '^report pv_cpu_ops\.lazy_mode\.[a-z]* nops: the policy makes it NOPs$' "$TMP/vt")
	[ "$lazy" -gt 0 ] && ok "policy: $arch: run-time policy: $lazy CPU lazy-mode sites are NOPs by the policy" ||
		notok "policy: $arch: no lazy-mode site NOP'd by the policy"
	other=$(paste -d'|' "$TMP/own" "$TMP/vt" | awk -F'|' '{ split($1, a, " "); split($2, b, " ") }
		a[2] !~ /^pv_(mmu|irq)_ops\./ && a[2] !~ /^pv_cpu_ops\.lazy_mode\./ && a[3] != b[3] { print a[2] }' | head -3)
	nother=$(grep -cvE '^report (pv_(mmu|irq)_ops|pv_cpu_ops\.lazy_mode)\.' "$TMP/own")
	[ -z "$other" ] && [ "$nother" -gt 0 ] && ok "policy: $arch: the $nother sites of the other ops are patched alike under both" ||
		notok "policy: $arch: other sites differ: $other"
	cp "$TMP/own" "$RT_OUT/$arch/policy-own.report" 2>/dev/null
	cp "$TMP/vt" "$RT_OUT/$arch/policy-vt.report" 2>/dev/null
	cp "$TMP/vt" "$TMP/$arch.vt"
done

# The VT policy in the spec: KVM's `patch:` map, nothing else edited.
awk '{ print } /^  - name: kvm$/ { kvm = 1 }
	kvm && /^    fallback: native$/ { print "    patch: {pv_mmu_ops: indirect, pv_irq_ops: call, pv_cpu_ops.lazy_mode: nops}"; kvm = 0 }' \
	"$ROOT/spec/pvops.yaml" >"$TMP/spec.yaml"
if [ "$(diff "$ROOT/spec/pvops.yaml" "$TMP/spec.yaml" | grep -c '^>')" -ne 1 ] ||
	! "$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/gen" "$TMP/spec.yaml" 2>"$TMP/err"; then
	notok "policy: the spec with KVM's patch map"; head -3 "$TMP/err"; exit 0
fi
for arch in $X86_ARCHES; do
	out=$TMP/$arch.spec exe=$TMP/rt/$arch/check
	if ! rt_build "$arch" "$TMP/gen" "$TMP/rt" 2>"$TMP/err" ||
		! rt_link "$arch" "$TMP/rt" "$exe" "$ROOT"/tests/runtime/x86/*.[cS] 2>>"$TMP/err"; then
		notok "policy: $arch: build against the spec with KVM's policy"; head -5 "$TMP/err"; continue
	fi
	rt_run "$exe" kvm "$out" | grep '^not ok'
	n=$(grep -c '^ok - ' "$out")
	grep '^report ' "$out" | awk '{ print $2, $3 }' >"$TMP/spec.how"
	awk '{ print $2, $3 }' "$TMP/$arch.vt" >"$TMP/vt.how"
	if [ -s "$TMP/spec.how" ] && cmp -s "$TMP/spec.how" "$TMP/vt.how" && ! grep -q '^not ok' "$out"; then
		ok "policy: $arch: said in the spec, the policy patches all $(wc -l <"$TMP/spec.how") sites as the run-time table did; $n checks of check kvm pass"
	else
		notok "policy: $arch: the spec's policy: $(diff "$TMP/vt.how" "$TMP/spec.how" | head -3 | tr '\n' ' ')"
	fi
done
exit 0
