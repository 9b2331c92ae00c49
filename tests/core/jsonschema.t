#!/usr/bin/env bash
# The JSON Schema of the spec (pvopsc --json-schema, from the schema table) is the one checked
# in beside the spec and named by its yaml-language-server line; it is a valid draft 2020-12
# schema; python3-jsonschema accepts the shipped spec, every golden case's spec and every
# mended spec (fixed.yaml), and refuses every case whose error is the schema's own
# (unknown-key, missing-key, wrong-kind).
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir

"$PVOPSC" --json-schema >"$TMP/schema.json" && cmp -s "$TMP/schema.json" "$ROOT/spec/pvops.schema.json" &&
	ok "json-schema: spec/pvops.schema.json is what pvopsc --json-schema prints" ||
	notok "json-schema: spec/pvops.schema.json differs from pvopsc --json-schema (run make gen)"
head -n1 "$ROOT/spec/pvops.yaml" | grep -qx '# yaml-language-server: $schema=pvops.schema.json' &&
	ok "json-schema: the spec names its schema for editors" ||
	notok "json-schema: spec/pvops.yaml's first line should be '# yaml-language-server: \$schema=pvops.schema.json'"

python3 - "$TMP/schema.json" "$ROOT/spec/pvops.yaml" "$ROOT/tests/cases" <<'PY'
import json, os, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
V = jsonschema.Draft202012Validator
try:
    V.check_schema(schema)
    print("ok - json-schema: a valid draft 2020-12 schema")
except jsonschema.SchemaError as e:
    print("not ok - json-schema: not a valid schema: %s" % e.message)
    sys.exit(0)
v = V(schema)

def errors(path):
    return sorted(v.iter_errors(yaml.safe_load(open(path))), key=lambda e: list(e.path))

errs = errors(sys.argv[2])
print(("ok - json-schema: the shipped spec validates" if not errs else
       "not ok - json-schema: the shipped spec: %s" % errs[0].message))

SCHEMA_CHECKS = ("unknown-key", "missing-key", "wrong-kind")
good = bad = 0
for case in sorted(os.listdir(sys.argv[3])):
    spec = os.path.join(sys.argv[3], case, "spec.yaml")
    stderr = os.path.join(sys.argv[3], case, "stderr")
    if not os.path.exists(spec):
        continue
    try:
        errs = errors(spec)
    except yaml.YAMLError:
        continue  # the loader's own cases: not YAML a schema can see
    checks = set()
    if os.path.exists(stderr):
        for line in open(stderr):
            if ": error: " in line and line.rstrip().endswith("]"):
                checks.add(line.rstrip().rsplit("[", 1)[1][:-1])
    if checks and checks <= set(SCHEMA_CHECKS):
        if errs:
            bad += 1
        else:
            print("not ok - json-schema: case %s (%s) should be refused" % (case, ", ".join(sorted(checks))))
    elif checks & set(SCHEMA_CHECKS) or any(c.startswith("yaml-") for c in checks):
        continue  # a loader error, or a schema error among others: the compiler tells more
    elif errs:
        print("not ok - json-schema: case %s is refused: %s at %s" % (case, errs[0].message, list(errs[0].path)))
    else:
        good += 1
print("ok - json-schema: %d golden case specs validate, %d schema-error cases are refused" % (good, bad))

# the right examples of --explain (fixed.yaml) compile, so the schema takes every one
fixed = [c for c in sorted(os.listdir(sys.argv[3])) if os.path.exists(os.path.join(sys.argv[3], c, "fixed.yaml"))]
refused = [c for c in fixed if errors(os.path.join(sys.argv[3], c, "fixed.yaml"))]
print(("ok - json-schema: all %d mended specs (fixed.yaml) validate" % len(fixed)) if fixed and not refused else
      "not ok - json-schema: %d of %d fixed.yaml refused: %s" % (len(refused), len(fixed), " ".join(refused)))
PY
exit 0
