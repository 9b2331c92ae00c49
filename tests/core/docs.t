#!/usr/bin/env bash
# The README's key reference and check list are what the compiler says (`make docs` updates).
set -u
. "$ROOT/tests/core/lib.sh"
tmpdir
cd "$ROOT"
tools/readme-sections "$PVOPSC" README.md >"$TMP/README.md"
if diff -u README.md "$TMP/README.md" >"$TMP/diff"; then
	ok "README's key reference and check list match pvopsc --schema / --list-checks"
else
	notok "README is out of date; run make docs"; head -20 "$TMP/diff" | sed 's/^/    /'
fi
keys=$(grep -c '^| `' README.md)
[ "$keys" -ge 60 ] && ok "README documents $keys keys" || notok "README documents only $keys keys"
