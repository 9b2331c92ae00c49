# Shared by the test scripts: result lines and small assertions.
# shellcheck shell=bash
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }
# check NAME CMD...: ok if CMD succeeds
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else notok "$name"; fi
}
tmpdir() {
	TMP=$(mktemp -d)
	trap 'rm -rf "$TMP"' EXIT
}
