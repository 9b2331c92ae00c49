#!/usr/bin/env bash
# The generated IA-64 backend definitions (paravirt_backends.c): C the host compiler takes with
# every warning an error, at IA-64's type sizes (LP64, as the header test), and, linked with a
# stand-in for every function and label they name, tables that hold what Linux 3.12's hold.
. "$(dirname "$0")/lib.sh"
generate || exit 0
CCW="${CC:-cc} -std=c11 -m64 -Wall -Wextra -Werror -I$G -I$ROOT/tests/ia64 -I$ROOT/runtime -include $ROOT/runtime/kernel_types.h"
check backends-compile $CCW -c -o "$T/backends.o" "$G/paravirt_backends.c"
# stand-ins: each prototype gets a body, each label some storage
{
	echo '#include "kernel_types.h"'
	echo '#include "paravirt_backends.h"'
	sed -n 's/^extern char \([A-Za-z0-9_]*\)\[\];$/char \1[1];/p' "$G/paravirt_backends.h"
	sed -n '/^\/\* implementations/,/^$/{ /;$/p }' "$G/paravirt_backends.h" |
		sed -e 's/^\(void [a-z_0-9]*(.*)\);$/\1 { }/' -e 's/^\([^{]*\);$/\1 { return 0; }/'
} >"$T/stand_ins.c"
n=$(grep -c '{' "$T/stand_ins.c")
[ "$n" -ge 40 ] && ok "stand-ins ($n functions)" || nok stand-ins "only $n functions declared"
if $CCW -c -o "$T/test.o" "$ROOT/tests/ia64/backends.c" 2>"$T/cc.err" &&
	${CC:-cc} -std=c11 -m64 -w -I"$G" -I"$ROOT/tests/ia64" -I"$ROOT/runtime" -c -o "$T/stand_ins.o" "$T/stand_ins.c" 2>>"$T/cc.err" &&
	${CC:-cc} -o "$T/backends" "$T/test.o" "$T/backends.o" "$T/stand_ins.o" 2>>"$T/cc.err"; then
	"$T/backends" || true
else
	nok backends-link "$(head -3 "$T/cc.err" | tr '\n' ' ')"
fi
