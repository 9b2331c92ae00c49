#!/usr/bin/env bash
# pvopsc diff: one golden case per kind of change (tests/review/diff/<case>/): `base` names the
# OLD spec (x86.yaml or ia64.yaml beside the cases), `edit` is the sed script that makes NEW
# from it, `expected` the exact report and `exit` its status (abidiff's bits: 4 a change,
# 8 an incompatible one); `args` adds options. UPDATE=1 rewrites expected and exit: review
# that diff. Also: the JSON form parses and says what the text says; usage and spec errors.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
D=$ROOT/tests/review/diff

for c in "$D"/*/; do
	c=${c%/}
	name=$(basename "$c")
	base=$D/$(cat "$c/base").yaml
	# the specs are named as a user would type them, so the report does not depend on $TMP
	mkdir -p "$TMP/$name" && cp "$base" "$TMP/$name/old.yaml"
	sed -f "$c/edit" "$base" >"$TMP/$name/new.yaml"
	args=$(cat "$c/args" 2>/dev/null || true)
	# shellcheck disable=SC2086
	(cd "$TMP/$name" && "$PVOPSC" diff $args old.yaml new.yaml) >"$TMP/$name/out" 2>"$TMP/$name/err"
	rc=$?
	if [ -n "${UPDATE:-}" ]; then
		cp "$TMP/$name/out" "$c/expected" && echo $rc >"$c/exit"
	fi
	if [ -s "$TMP/$name/err" ]; then
		notok "diff: $name: diagnostics: $(head -3 "$TMP/$name/err")"
	elif [ "$rc" != "$(cat "$c/exit")" ]; then
		notok "diff: $name: exit $rc, expected $(cat "$c/exit")"
	elif ! diff -u "$c/expected" "$TMP/$name/out" >"$TMP/d"; then
		notok "diff: $name: report differs"; head -20 "$TMP/d" | sed 's/^/    /'
	else
		ok "diff: $name: exit $rc, report as expected ($(wc -l <"$c/expected") lines)"
	fi
done

# the JSON form and the text form of the same change agree, change by change
x=$D/x86.yaml
sed -f "$D/signature/edit" "$x" >"$TMP/sig.yaml"
"$PVOPSC" diff "$x" "$TMP/sig.yaml" >"$TMP/sig.txt"
"$PVOPSC" diff --format=json "$x" "$TMP/sig.yaml" >"$TMP/sig.json"
if python3 - "$TMP/sig.json" "$TMP/sig.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
assert doc["abi_change"] is True and doc["incompatible"] is True, doc
items = [l for l in text if l.startswith("  ")]
assert len(items) == len(doc["changes"]), (len(items), len(doc["changes"]))
for line, c in zip(items, doc["changes"]):
    assert line.startswith("  %s: %s" % (c["item"], c["aspect"])), (line, c)
    assert c["old"] in line and c["new"] in line, (line, c)
    assert (c["why"] is not None) == c["incompatible"] == ("[incompatible: %s]" % c["why"] in line), (line, c)
PY
then ok "diff: the JSON report parses and says what the text report says"
else notok "diff: JSON and text reports disagree"; fi

# usage and errors
"$PVOPSC" diff "$x" >/dev/null 2>&1; [ $? -eq 2 ] && ok "diff: one spec is a usage error (exit 2)" || notok "diff: one spec should exit 2"
"$PVOPSC" diff --format=xml "$x" "$x" >/dev/null 2>&1; [ $? -eq 2 ] && ok "diff: an unknown format is a usage error" || notok "diff: --format=xml should exit 2"
printf 'pvopsc: 1\narches: 3\n' >"$TMP/bad.yaml"
"$PVOPSC" diff "$x" "$TMP/bad.yaml" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'bad.yaml:2:9: error' "$TMP/err" && ok "diff: a spec with errors is reported as pvopsc reports it (exit 1)" ||
	notok "diff: a bad spec: exit $rc, $(head -2 "$TMP/err")"

# make review: the working tree's spec against HEAD's, in a repository of its own
R=$TMP/repo
mkdir -p "$R/spec" "$R/build" && cp "$x" "$R/spec/pvops.yaml"
git -C "$R" init -q && git -C "$R" add spec && git -C "$R" -c user.name=t -c user.email=t@t commit -qm spec
sed -f "$D/op-added-at-end/edit" "$x" >"$R/spec/pvops.yaml"
(cd "$R" && make -s -f "$ROOT/Makefile" -o "$PVOPSC" PVOPSC="$PVOPSC" review) >"$TMP/review" 2>"$TMP/err"; rc=$?
[ $rc -eq 0 ] && cmp -s "$D/op-added-at-end/expected" "$TMP/review" &&
	ok "make review: reports the working tree's change against HEAD, and succeeds" ||
	{ notok "make review: exit $rc"; head -5 "$TMP/review" "$TMP/err"; }
exit 0
