#!/usr/bin/env bash
# Golden cases: tests/cases/NAME/ holds spec.yaml and what pvopsc must do with it:
#   stderr   the exact diagnostics (the run must also exit with `exit`, default 1, and write
#            nothing), or
#   out/     the exact generated tree (the run must exit 0 and print no diagnostic)
#   args     extra command-line arguments (optional); templates/ its own templates (optional)
# UPDATE=1 rewrites the expectations from the current compiler: review the diff before committing.
# PVOPSC may name another build (the sanitizer run uses this same script).
set -u
cd "$ROOT/tests/cases" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for dir in */; do
	name=${dir%/}
	[ -f "$name/spec.yaml" ] || continue
	args=()
	[ -f "$name/args" ] && read -r -a args <"$name/args"
	tdir=$ROOT/templates
	[ -d "$name/templates" ] && tdir=templates
	out=$tmp/$name
	mkdir -p "$out"
	(cd "$name" && "$PVOPSC" -q -t "$tdir" -o "$out/gen" "${args[@]}" spec.yaml >"$out/stdout" 2>"$out/stderr")
	rc=$?
	if [ "${UPDATE:-}" = 1 ]; then
		if [ -d "$name/out" ] || [ $rc -eq 0 ]; then
			rm -rf "$name/out" && cp -r "$out/gen" "$name/out" 2>/dev/null || mkdir -p "$name/out"
		else
			cp "$out/stderr" "$name/stderr"
			[ $rc -ne 1 ] && echo $rc >"$name/exit"
		fi
	fi
	if [ -d "$name/out" ]; then
		if [ $rc -ne 0 ]; then
			echo "not ok - $name: exit $rc, expected 0"; sed 's/^/    /' "$out/stderr" | head -20
		elif [ -s "$out/stderr" ]; then
			echo "not ok - $name: unexpected diagnostics"; sed 's/^/    /' "$out/stderr" | head -20
		elif ! diff -r -u "$name/out" "$out/gen" >"$out/diff" 2>&1; then
			echo "not ok - $name: generated files differ"; head -40 "$out/diff" | sed 's/^/    /'
		else
			echo "ok - $name: generates the expected $(find "$name/out" -type f | wc -l) files"
		fi
		continue
	fi
	want_rc=1
	[ -f "$name/exit" ] && want_rc=$(cat "$name/exit")
	if [ $rc -ne "$want_rc" ]; then
		echo "not ok - $name: exit $rc, expected $want_rc"; sed 's/^/    /' "$out/stderr" | head -20
	elif [ -e "$out/gen" ] && [ -n "$(ls -A "$out/gen")" ]; then
		echo "not ok - $name: wrote files despite errors"
	elif ! diff -u "$name/stderr" "$out/stderr" >"$out/diff"; then
		echo "not ok - $name: diagnostics differ"; sed 's/^/    /' "$out/diff" | head -40
	else
		echo "ok - $name: $(grep -c ': error: ' "$name/stderr") error(s) as expected"
	fi
done
