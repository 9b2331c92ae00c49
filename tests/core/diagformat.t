#!/usr/bin/env bash
# Diagnostics for tools: --diagnostics-format=json (gcc's shape) and sarif (2.1.0) parse, and
# for every golden error case say exactly what the text form says: kind, message, check name
# (option / ruleId), file, line, column, and the notes as children / related locations.
# Per-check control: -Wno-<check>, -W<check>, -Werror=<check>, and their usage errors.
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir

n=0 bad=0
for c in "$ROOT"/tests/cases/*/; do
	[ -f "$c/stderr" ] || continue
	args=()
	[ -f "$c/args" ] && read -r -a args <"$c/args"
	tdir=$ROOT/templates # as tests/core/cases.t runs the case
	[ -d "$c/templates" ] && tdir=templates
	for f in text json sarif; do
		(cd "$c" && "$PVOPSC" -t "$tdir" -o "$TMP/out" --diagnostics-format=$f "${args[@]}" spec.yaml) >/dev/null 2>"$TMP/$f"
	done
	n=$((n + 1))
	python3 - "$TMP/text" "$TMP/json" "$TMP/sarif" <<'PY' >"$TMP/why" || { bad=$((bad + 1)); notok "diagnostics-format: $(basename "$c"): $(head -c 300 "$TMP/why")"; }
import json, re, sys
text = open(sys.argv[1]).read().splitlines()
head = re.compile(r"^([^ :]*?)(?::(\d+):(\d+))?: (error|warning|note): (.*?)(?: \[([a-z0-9-]+)\])?$")
want = [head.match(l).groups() for l in text if head.match(l) and not l.startswith("pvopsc: ")]
others = [l for l in text if not head.match(l) and re.search(r": (error|warning|note): ", l)]
assert not others, "diagnostic lines of no known shape: %r" % others[:2]

got = []
def walk(d):
    loc = d["locations"][0]
    assert loc["caret"] == loc["start"] == loc["finish"] or loc["start"]["line"] <= loc["finish"]["line"], loc
    c = loc["caret"]
    line = str(c["line"]) if "line" in c else None
    col = str(c["column"]) if "column" in c else None
    got.append((c["file"], line, col, d["kind"], d["message"], d.get("option")))
    for ch in d["children"]:
        walk(ch)
for d in json.load(open(sys.argv[2])):
    walk(d)
assert got == [tuple(w) for w in want], "json: %r != %r" % (got[:2], want[:2])

s = json.load(open(sys.argv[3]))
assert s["version"] == "2.1.0" and len(s["runs"]) == 1, "sarif header"
run = s["runs"][0]
rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
got = []
for r in run["results"]:
    assert r["ruleId"] in rules, r["ruleId"]
    def where(p):
        reg = p.get("region")
        return (p["artifactLocation"]["uri"], str(reg["startLine"]) if reg else None,
                str(reg["startColumn"]) if reg else None)
    got.append(where(r["locations"][0]["physicalLocation"]) + (r["level"], r["message"]["text"], r["ruleId"]))
    for rel in r["relatedLocations"]:
        got.append(where(rel["physicalLocation"]) + ("note", rel["message"]["text"], None))
assert got == [tuple(w) for w in want], "sarif: %r != %r" % (got[:2], want[:2])
PY
done
[ $bad -eq 0 ] && [ $n -gt 0 ] && ok "diagnostics-format: json and sarif say what the text says, field by field, in all $n error cases"

# per-check control, on a spec whose one finding is a warning (a type no signature uses)
sed 's/^types:$/types:\n  - {name: spare_t, kind: int, bits: 32}/' "$ROOT/tests/cases/x86-golden-small/spec.yaml" >"$TMP/w.yaml"
run() { "$PVOPSC" "$@" -q -t "$ROOT/templates" -o "$TMP/o" "$TMP/w.yaml" >/dev/null 2>"$TMP/err"; echo $?; }
[ "$(run)" = 0 ] && grep -q 'warning: .*\[unused-type\]' "$TMP/err" && ok "-W: the unused type is a warning by default" ||
	notok "-W: the unused type should be a warning: $(cat "$TMP/err")"
[ "$(run -Wno-unused-type)" = 0 ] && [ ! -s "$TMP/err" ] && ok "-W: -Wno-unused-type silences it" ||
	notok "-W: -Wno-unused-type: $(cat "$TMP/err")"
[ "$(run -Werror=unused-type)" = 1 ] && grep -q 'error: .*\[unused-type\]' "$TMP/err" && ok "-W: -Werror=unused-type makes it an error (exit 1)" ||
	notok "-W: -Werror=unused-type: $(cat "$TMP/err")"
[ "$(run -Werror -Wunused-type)" = 0 ] && grep -q 'warning: .*\[unused-type\]' "$TMP/err" && ok "-W: -Werror -Wunused-type keeps it a warning" ||
	notok "-W: -Werror -Wunused-type: $(cat "$TMP/err")"
[ "$(run -Wno-unused-typ)" = 2 ] && grep -q "no check is named 'unused-typ'; did you mean 'unused-type'?" "$TMP/err" &&
	ok "-W: a misspelt check is a usage error with a suggestion" || notok "-W: -Wno-unused-typ: $(cat "$TMP/err")"
[ "$(run -Wno-unknown-key)" = 2 ] && grep -q "'unknown-key' finds errors" "$TMP/err" &&
	ok "-W: an error check cannot be turned off" || notok "-W: -Wno-unknown-key: $(cat "$TMP/err")"
[ "$(run --diagnostics-format=xml)" = 2 ] && ok "diagnostics-format: an unknown format is a usage error" ||
	notok "diagnostics-format: --diagnostics-format=xml should exit 2"
exit 0
