#!/usr/bin/env bash
# The whole case corpus, the shipped spec (generated, and listed by --list-symbols) and the
# unit tests again, against a build with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer: every run must be clean.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
cd "$ROOT"
SB=build-asan
flags='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer'
if ! make -s B=$SB CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" $SB/pvopsc units >"$TMP/build" 2>&1; then
	notok "sanitizer build"; tail -20 "$TMP/build"; exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
PVOPSC=$ROOT/$SB/pvopsc "$ROOT/tests/core/cases.t" >"$TMP/cases" 2>&1
n=$(grep -c '^ok - ' "$TMP/cases")
bad=$(grep -c '^not ok - ' "$TMP/cases")
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ] && ok "all $n golden cases clean under ASan+UBSan" ||
	{ notok "golden cases under sanitizers: $bad failed"; grep -A8 '^not ok' "$TMP/cases" | head -40; }
for spec in spec/pvops.yaml spec/linux-6.1.yaml; do
	"$ROOT/$SB/pvopsc" -q -o "$TMP/gen" "$spec" 2>"$TMP/gen.err"
	rc=$?
	[ $rc -eq 0 ] && ! grep -q 'Sanitizer' "$TMP/gen.err" && ok "$spec clean under sanitizers" ||
		{ notok "$spec under sanitizers (exit $rc)"; head -30 "$TMP/gen.err"; }
done
for format in text json; do
	"$ROOT/$SB/pvopsc" --list-symbols --format=$format spec/pvops.yaml >"$TMP/list" 2>"$TMP/list.err"
	rc=$?
	[ $rc -eq 0 ] && [ -s "$TMP/list" ] && ! grep -q 'Sanitizer' "$TMP/list.err" &&
		ok "--list-symbols --format=$format clean under sanitizers ($(wc -l <"$TMP/list") lines)" ||
		{ notok "--list-symbols --format=$format under sanitizers (exit $rc)"; head -30 "$TMP/list.err"; }
done
for t in $SB/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$TMP/unit" 2>&1 && ok "$(basename "$t") clean under sanitizers" ||
		{ notok "$(basename "$t") under sanitizers"; grep -E 'ERROR|runtime error|FAILED' "$TMP/unit" | head -5; }
done
