#!/usr/bin/env bash
# The generated IA-64 C headers: valid C for the host compiler (all warnings errors), and in
# agreement with the reference's numbers and table layouts (static assertions in headers.c).
. "$(dirname "$0")/lib.sh"
generate || exit 0
check headers-agree-with-reference ${CC:-cc} -std=c11 -m64 -Wall -Wextra -Werror -I"$G" -c \
	-o "$T/headers.o" "$ROOT/tests/ia64/headers.c"
# every header stands alone (its own includes), in C and after __ASSEMBLY__ in cpp
for h in paravirt.h paravirt_patch.h paravirt_const.h; do
	echo "#include \"$h\"" >"$T/one.c"
	check "header-alone-$h" ${CC:-cc} -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$G" \
		-include "$ROOT/tests/ia64/kernel_types.h" "$T/one.c"
done
# the IA-64-only headers still preprocess cleanly for assembler sources
for h in paravirt_privop.h paravirt_patch.h native/inst.h xen/inst.h native/pvchk_inst.h; do
	echo "#include \"$h\"" >"$T/one.S"
	check "header-asm-$h" preprocess "$T/one.S" "$T/one.s"
done
