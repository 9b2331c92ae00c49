#!/usr/bin/env bash
# Every named check (pvopsc --list-checks) has a golden error case that makes it fire: a rule
# without a test is a rule nobody knows still works.
set -u
. "$ROOT/tests/core/lib.sh"
cd "$ROOT"
n=0
for c in $("$PVOPSC" --list-checks | awk 'NF >= 2 && $1 !~ /:$/ { print $1 }'); do
	n=$((n + 1))
	cases=$(grep -l -- "\[$c\]\$" tests/cases/*/stderr 2>/dev/null | wc -l)
	[ "$cases" -gt 0 ] && ok "check $c fires in $cases golden case(s)" ||
		notok "check $c has no golden case in tests/cases/"
done
[ "$n" -ge 50 ] && ok "$n named checks listed" || notok "only $n named checks listed"
