#!/usr/bin/env bash
# The command line: help, version, exit codes, option errors, --arch, --max-errors, -Werror.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
cd "$ROOT"

expect() { # NAME WANT_RC PATTERN CMD... : exit code and a pattern in stdout+stderr
	local name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$TMP/out" 2>&1
	local rc=$?
	if [ $rc -eq "$want" ] && grep -qE -- "$pat" "$TMP/out"; then ok "$name"; else
		notok "$name: exit $rc (want $want)"; sed 's/^/    /' "$TMP/out" | head -5
	fi
}

expect "--help prints usage, exit 0" 0 '^usage: pvopsc \[options\] SPEC' "$PVOPSC" --help
expect "--help documents the exit codes" 0 'Exit status: 0' "$PVOPSC" --help
expect "--version" 0 '^pvopsc [0-9]+\.[0-9]+\.[0-9]+$' "$PVOPSC" --version
expect "no SPEC is a usage error (2)" 2 'no SPEC given' "$PVOPSC"
expect "two SPECs is a usage error (2)" 2 'one SPEC at a time' "$PVOPSC" a.yaml b.yaml
expect "an unknown option is a usage error (2)" 2 "unknown option '--frobnicate'" "$PVOPSC" --frobnicate x
expect "-o without a value is a usage error (2)" 2 "needs a value" "$PVOPSC" spec/pvops.yaml -o
expect "--max-errors wants a number (2)" 2 "wants a number" "$PVOPSC" --max-errors=lots spec/pvops.yaml
expect "a missing spec is an I/O error (2)" 2 'nothing.yaml: error: cannot read the spec: No such file' \
	"$PVOPSC" -o "$TMP/o" nothing.yaml
expect "--arch with an unknown arch (2)" 2 "no arch 'sparc'" "$PVOPSC" --arch sparc -o "$TMP/o" spec/pvops.yaml
expect "--arch '' is a usage error (2)" 2 "comma-separated list" "$PVOPSC" --check --arch '' spec/pvops.yaml
expect "--arch , is a usage error (2)" 2 "comma-separated list" "$PVOPSC" --check --arch , spec/pvops.yaml
expect "--arch x86_64, (an empty item) is a usage error (2)" 2 "comma-separated list" "$PVOPSC" --check --arch x86_64, spec/pvops.yaml
expect "--max-errors=4294967297 is out of range (2)" 2 "from 0 to 2147483647, not '4294967297'" "$PVOPSC" --max-errors=4294967297 spec/pvops.yaml
expect "--max-errors= is a usage error (2)" 2 "wants a number" "$PVOPSC" --max-errors= spec/pvops.yaml
expect "--max-errors=-1 is a usage error (2)" 2 "wants a number" "$PVOPSC" --max-errors=-1 spec/pvops.yaml
expect "--list-checks names the checks" 0 'unknown-key +every key' "$PVOPSC" --list-checks
expect "--schema prints the key reference" 0 '^\| `arches.arg_regs` \|' "$PVOPSC" --schema

"$PVOPSC" -q --arch x86_64 -o "$TMP/one" spec/pvops.yaml
[ -d "$TMP/one/x86_64" ] && [ "$(ls "$TMP/one")" = x86_64 ] && ok "--arch x86_64 generates only x86_64" ||
	notok "--arch x86_64 generated: $(ls "$TMP/one" | tr '\n' ' ')"

expect "--max-errors=1 prints one error and says so" 1 'stopped after 1 errors' \
	"$PVOPSC" --max-errors=1 -o "$TMP/o" tests/cases/three-mistakes/spec.yaml
n=$(grep -c ': error: ' "$TMP/out")
[ "$n" -eq 1 ] && ok "--max-errors=1 printed exactly one error" || notok "--max-errors=1 printed $n"

# A warning passes alone and fails under -Werror.
sed 's/^types:$/types:\n  - name: unused_t\n    kind: int\n    bits: 32/' spec/pvops.yaml >"$TMP/warn.yaml"
expect "a warning does not fail the run" 0 "warning: type 'unused_t' is declared but no signature uses it \[unused-type\]" \
	"$PVOPSC" -t templates -o "$TMP/w" "$TMP/warn.yaml"
expect "-Werror turns the warning into an error (1)" 1 "error: type 'unused_t' is declared" \
	"$PVOPSC" -Werror -t templates -o "$TMP/w2" "$TMP/warn.yaml"
[ ! -e "$TMP/w2" ] && ok "-Werror run wrote nothing" || notok "-Werror run wrote files"
