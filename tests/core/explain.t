#!/usr/bin/env bash
# pvopsc --explain CHECK: every check --list-checks names has its rule, a wrong example and a
# right one. The examples are golden cases (tests/cases/CASE: spec.yaml, and fixed.yaml, the
# same spec mended), compiled into pvopsc; here each is run again: the wrong spec gives
# that check's diagnostics and no other check's, the right one compiles cleanly, the two
# differ by a small edit, and the lines --explain shows are the files' lines.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
cd "$ROOT"
MAX_EDIT=6   # lines a fix may change (an empty spec's fix excepted)

# run CASE FILE: pvopsc on the case's FILE with its args, in the case's folder; stderr to $TMP/err
run() {
	local args=()
	[ -f "$1/args" ] && read -r -a args <"$1/args"
	(cd "$1" && "$PVOPSC" -q -t "$ROOT/templates" -o "$TMP/gen" "${args[@]}" "$2") >"$TMP/out" 2>"$TMP/err"
}

# shown CASE FILE SECTION: each numbered line of --explain's SECTION (Wrong, Right) is that
# line of the file
shown() {
	local n text bad=0
	while IFS= read -r line; do
		n=$(printf '%s\n' "$line" | sed -E 's/^.[ ]*([0-9]+) \| .*/\1/')
		text=${line#*| }
		[ "$(sed -n "${n}p" "$1/$2")" = "$text" ] || bad=1
	done < <(awk -v s="$3" '/^[A-Z]/ { on = index($0, s " (") == 1; next } on && /^[-+ ] *[0-9]+ \| /' "$TMP/explain")
	return $bad
}

n=0 good=0
while read -r check doc; do
	n=$((n + 1))
	if ! "$PVOPSC" --explain "$check" >"$TMP/explain" 2>"$TMP/err"; then
		notok "explain $check: exit $?"; continue
	fi
	case=$(sed -n 's|^Wrong (\(.*\)/spec.yaml):$|\1|p' "$TMP/explain")
	if [ "$(head -n1 "$TMP/explain")" != "$check: $doc" ]; then
		notok "explain $check: the first line is not the rule --list-checks gives"; continue
	elif [ -z "$case" ] || [ ! -f "$case/fixed.yaml" ] || ! grep -q "^Right ($case/fixed.yaml):\$" "$TMP/explain"; then
		notok "explain $check: no wrong and right example: give its golden error case a fixed.yaml (tests/cases/README.md)"; continue
	fi
	run "$case" spec.yaml
	rc=$?
	others=$(grep -E ': (error|warning): ' "$TMP/err" | grep -vE "\[$check\]\$")
	if [ $rc -ne 1 ] || ! grep -qE ": (error|warning): .*\[$check\]\$" "$TMP/err" || [ -n "$others" ]; then
		notok "explain $check: $case/spec.yaml does not give exactly $check's diagnostics (exit $rc)"
		head -4 "$TMP/err" | sed 's/^/    /'; continue
	fi
	run "$case" fixed.yaml
	rc=$?
	if [ $rc -ne 0 ] || [ -s "$TMP/err" ]; then
		notok "explain $check: $case/fixed.yaml does not compile cleanly (exit $rc)"
		head -4 "$TMP/err" | sed 's/^/    /'; continue
	fi
	edit=$(diff "$case/spec.yaml" "$case/fixed.yaml" | grep -c '^[<>]')
	if [ -s "$case/spec.yaml" ] && [ "$edit" -gt $MAX_EDIT ]; then
		notok "explain $check: the fix changes $edit lines (at most $MAX_EDIT)"; continue
	fi
	if ! shown "$case" spec.yaml Wrong || ! shown "$case" fixed.yaml Right; then
		notok "explain $check: the lines shown are not $case's (rebuild: make)"; continue
	fi
	good=$((good + 1))
done < <("$PVOPSC" --list-checks | awk 'NF >= 2 && $1 !~ /:$/ { c = $1; $1 = ""; sub(/^ +/, ""); print c, $0 }')
[ $n -ge 50 ] && [ $good -eq $n ] &&
	ok "explain: all $n checks have a wrong example that gives only their diagnostics and a right one that compiles" ||
	notok "explain: $good of $n checks explained with a wrong and a right example"

# a misspelt check: a usage error with a suggestion, nothing on stdout
"$PVOPSC" --explain unknown-arc >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] && [ ! -s "$TMP/out" ] && grep -q "no check is named 'unknown-arc'; did you mean 'unknown-arch'?" "$TMP/err" &&
	ok "explain: an unknown check is a usage error (exit 2) with did-you-mean" ||
	notok "explain: unknown check: exit $rc, $(head -n1 "$TMP/err")"
"$PVOPSC" --explain >/dev/null 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] && grep -q "'--explain' needs a value" "$TMP/err" && ok "explain: --explain without a check is a usage error" ||
	notok "explain: --explain alone: exit $rc, $(head -n1 "$TMP/err")"
"$PVOPSC" --help | grep -q -- '--explain CHECK' && ok "explain: --help lists --explain CHECK" || notok "explain: not in --help"
exit 0
