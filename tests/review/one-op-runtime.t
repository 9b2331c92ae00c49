#!/usr/bin/env bash
# Adding an op edits no test: with invd added after wbinvd to a copy of the spec (as one-op.t
# does), with native code for it so that no backend file changes either, the x86 runtime and
# its test program build against the new headers and the runtime suite passes. The lists the
# tests need come from the spec or the generated tables: the probes from PARAVIRT_OPS (invd has
# none of its own yet, and says so), the native sequences ops.t compares from the spec, what
# user mode cannot run from each probe's note.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
OP=invd

mkdir -p "$TMP/spec"
sed -e "s/^\( *\)- {name: wbinvd, sig: void (void), kind: patchable}\$/&\n\1- {name: $OP, sig: void (void), kind: patchable}/" \
	-e "s/^\( *\)- op: pv_cpu_ops.wbinvd\$/\1- op: pv_cpu_ops.$OP\n\1  code: {x86_64: $OP, i386: $OP}\n&/" \
	"$ROOT/spec/pvops.yaml" >"$TMP/spec/pvops.yaml"
[ "$(grep -cw "$OP" "$TMP/spec/pvops.yaml")" -eq 3 ] || { notok "one-op-runtime: could not add $OP to the spec"; exit 1; }
(cd "$TMP" && "$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/gen" spec/pvops.yaml) 2>"$TMP/err" ||
	{ notok "one-op-runtime: generate"; cat "$TMP/err"; exit 1; }

# the runtime suite (the sanitizer build aside: it is the same sources once more, slower)
export PV_GEN=$TMP/gen PV_SPEC=$TMP/spec/pvops.yaml PV_UNPROBED=pv_cpu_ops.$OP RT_OUT=$TMP/rt
for t in "$ROOT"/tests/runtime/*.t; do
	[ "$(basename "$t")" = sanitizers.t ] && continue
	"$t" >"$TMP/out" 2>&1
	pass=$(grep -c '^ok - ' "$TMP/out") fail=$(grep -c '^not ok - ' "$TMP/out")
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] &&
		ok "one-op-runtime: with $OP, tests/runtime/$(basename "$t") passes unedited ($pass checks)" ||
		{ notok "one-op-runtime: with $OP, tests/runtime/$(basename "$t"): $fail of $((pass + fail)) fail"
		  grep '^not ok' "$TMP/out" | head -5 | sed 's/^/    /'; }
	[ "$(basename "$t")" = ops.t ] && cp "$TMP/out" "$TMP/ops.out"
done

# the op is in the test program's table (from PARAVIRT_OPS), named as having no probe, under
# every backend and arch; its native sequence is in the list ops.t compares
n=$(grep -c "^ok - [a-z0-9_]* [a-z-]*: pv_cpu_ops.$OP: no probe of its own" "$TMP/ops.out")
[ "$n" -eq 8 ] && ok "one-op-runtime: the test program lists pv_cpu_ops.$OP, without a probe, on 2 arches x 4 backends" ||
	notok "one-op-runtime: pv_cpu_ops.$OP appears $n times (want 8) in the test program's results"
for arch in x86_64 i386; do
	grep -q "^native_$OP:" "$TMP/gen/$arch/paravirt_insns.S" &&
		grep -q "\[PARAVIRT_PATCH_pv_cpu_ops_$OP\] = { \"pv_cpu_ops.$OP\"" "$TMP/gen/$arch/paravirt_backends.c" &&
		ok "one-op-runtime: $arch: native_$OP is generated from the spec's code and the patch table has the op" ||
		notok "one-op-runtime: $arch: native_$OP or its patch table entry is missing"
done
# without the expectation, the op's missing probe is a failure: the list is not silently short
exe=$TMP/rt/x86_64/check
if [ -x "$exe" ]; then
	PV_UNPROBED= "$exe" native >"$TMP/run" 2>&1
	grep -q "^not ok - x86_64 native: pv_cpu_ops.$OP has no probe" "$TMP/run" &&
		ok "one-op-runtime: an op with no probe fails unless PV_UNPROBED names it" ||
		notok "one-op-runtime: the missing probe of $OP passed unnoticed"
else
	notok "one-op-runtime: no test program at $exe"
fi
exit 0
