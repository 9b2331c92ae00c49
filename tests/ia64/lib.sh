# lib.sh: helpers shared by the IA-64 test scripts (sourced, not run).
# Each script prints `ok - NAME` or `not ok - NAME: why` per assertion.

AS=${IA64_AS:-ia64-linux-gnu-as}
OBJDUMP=${IA64_OBJDUMP:-ia64-linux-gnu-objdump}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $1"; }
nok() { echo "not ok - $1: $2"; }
check() { # check NAME CONDITION-COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then ok "$name"; else nok "$name" "$(head -c 400 "$T/check.out" | tr '\n' ' ')"; fi
}

refused() { # refused NAME PATTERN COMMAND...: ok when the command fails saying PATTERN
	local name=$1 pattern=$2
	shift 2
	if "$@" >"$T/refused.out" 2>&1; then
		nok "$name" "accepted"
	elif grep -q -- "$pattern" "$T/refused.out"; then
		ok "$name"
	else
		nok "$name" "$(head -c 300 "$T/refused.out" | tr '\n' ' ')"
	fi
}

have_toolchain() {
	command -v "$AS" >/dev/null && command -v "$OBJDUMP" >/dev/null
}

# Build a C helper from tests/ia64/ against the compiler library: helper NAME
helper() {
	${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$ROOT/compiler" \
		-o "$T/$1" "$ROOT/tests/ia64/$1.c" "$ROOT/$B/libpvopsc.a" -lyaml -lZydis
}

# Assemble explicit-mode IA-64 code with every warning (dependency violations) fatal.
assemble() { # assemble SRC OBJ
	"$AS" -xexplicit --fatal-warnings -o "$2" "$1"
}

# Per label matching LABEL-REGEX, the bundles objdump shows up to the next label (of those
# matching STOP-REGEX):
# "LABEL COUNT SIG", where SIG spells each bundle's slot units and stops as the compiler's
# model does ("MI;;I M;;MI;; MLX"). objdump names one label per address.
bundle_sigs() { # bundle_sigs OBJ LABEL-REGEX [STOP-REGEX: labels that end a run; default all]
	"$OBJDUMP" -d "$1" | awk -v want="$2" -v stop="${3:-.}" '
	function flush() { if (cur != "") print cur, n, sig; }
	/^[0-9a-f]+ <.*>:$/ {
		name = $2; gsub(/[<>:]/, "", name)
		if (name ~ stop || name ~ want) { flush(); cur = "" }
		if (name ~ want) { cur = name; n = 0; sig = "" }
		next
	}
	/^ *[0-9a-f]+:\t/ {
		split($0, f, "\t"); text = f[3]
		if (text == "" || cur == "") next
		if (match(text, /\[[A-Z]+\]/)) {
			tpl = substr(text, RSTART + 1, RLENGTH - 2); slot = 0; n++
			if (sig != "") sig = sig " "
		}
		if (tpl == "MLX" && slot == 1) u = "LX"; else u = substr(tpl, slot + 1, 1)
		sig = sig u
		if (text ~ /;;[ \t]*$/) sig = sig ";;"
		slot++
	}
	END { flush() }'
}

# The spec the tests compile: the shipped one.
ia64_spec() {
	echo "$ROOT/spec/pvops.yaml"
}

# Generate into $T/out (the IA-64 files land in $T/out/ia64); false after printing why.
generate() {
	"$PVOPSC" -q -o "$T/out" -t "$ROOT/templates" "$(ia64_spec)" >"$T/gen.log" 2>&1 ||
		{ nok generate "$(head -5 "$T/gen.log" | tr '\n' ' ')"; return 1; }
	G=$T/out/ia64
}

# Preprocess a .S file as the kernel build does (cpp only; no IA-64 compiler is needed).
preprocess() { # preprocess SRC OUT [cpp args...]
	local src=$1 out=$2
	shift 2
	${CPP:-cpp} -P -undef -nostdinc -x assembler-with-cpp -D__ASSEMBLY__ -I"$G" "$@" "$src" >"$out"
}

# The inline asm of every pv_cpu_ops stub as GCC hands it to the assembler (tests/ia64/stubs.c),
# one site per op and, for getreg/setreg, per register: writes $T/sites.h (SITE(op, type)) and
# $T/stubs.s, sets nsites; false after printing why.
build_stubs() {
	sed -n 's/.*\[op_addr\] "i"(&pv_cpu_ops\.\([a-z0-9_]*\)), \[type\] "i"(\([^)]*\)).*/\1 \2/p' \
		"$G/paravirt_privop.h" >"$T/ops"
	local regs op type
	regs=$(sed -n 's/^#define \(_IA64_REG_[A-Z0-9_]*\) .*/\1/p' "$G/paravirt_patch.h")
	while read -r op type; do
		case $type in
		*'+ ('*) for r in $regs; do echo "SITE($op, ${type%(*}($r))"; done ;;
		*) echo "SITE($op, $type)" ;;
		esac
	done <"$T/ops" >"$T/sites.h"
	nsites=$(wc -l <"$T/sites.h")
	if [ "$nsites" -lt 14 ]; then
		nok stubs-found "only $nsites sites in paravirt_privop.h"
		return 1
	fi
	if ! ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$G" -I"$T" -I"$ROOT/tests/ia64" -I"$ROOT/runtime" -o "$T/stubs" \
		"$ROOT/tests/ia64/stubs.c" 2>"$T/cc.err"; then
		nok stubs-text "$(head -3 "$T/cc.err" | tr '\n' ' ')"
		return 1
	fi
	"$T/stubs" >"$T/stubs.s"
}
