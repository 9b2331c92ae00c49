#!/usr/bin/env bash
# The generated IA-64 C headers: valid C for the host compiler (all warnings errors), and in
# agreement with the reference's numbers and table layouts (static assertions in headers.c).
. "$(dirname "$0")/lib.sh"
generate || exit 0
check headers-agree-with-reference ${CC:-cc} -std=c11 -m64 -Wall -Wextra -Werror -I"$G" -I"$ROOT/runtime" -c \
	-o "$T/headers.o" "$ROOT/tests/ia64/headers.c"
# every header stands alone (its own includes), in C and after __ASSEMBLY__ in cpp
for h in paravirt.h paravirt_patch.h paravirt_const.h; do
	echo "#include \"$h\"" >"$T/one.c"
	check "header-alone-$h" ${CC:-cc} -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$G" \
		-include "$ROOT/runtime/kernel_types.h" "$T/one.c"
done
# the IA-64-only headers still preprocess cleanly for assembler sources
for h in paravirt_privop.h paravirt_patch.h native/inst.h xen/inst.h native/pvchk_inst.h; do
	echo "#include \"$h\"" >"$T/one.S"
	check "header-asm-$h" preprocess "$T/one.S" "$T/one.s"
done
# setreg of a read-only register does not compile; of a writable one it does. The wrapper
# macro alone (the stub itself is IA-64 inline asm), with the two calls it chooses between.
sed -n '/^#define paravirt_setreg(/,/[^\\]$/p' "$G/paravirt_privop.h" >"$T/setreg.h"
cat >"$T/setreg.c" <<'C'
#include "paravirt_patch.h"
static void __paravirt_setreg(int reg, unsigned long val) { (void)reg; (void)val; }
static void ia64_native_setreg(int reg, unsigned long val) { (void)reg; (void)val; }
#include "setreg.h"
void set(void) { paravirt_setreg(REG, 1); }
C
setreg_cc() { ${CC:-cc} -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$G" -I"$T" -DREG="$1" "$T/setreg.c"; }
for r in _IA64_REG_AR_RSC _IA64_REG_GP; do
	check "setreg-compiles-$r" setreg_cc $r
done
for r in _IA64_REG_AR_BSP _IA64_REG_CR_IVR _IA64_REG_CR_IRR0 _IA64_REG_CR_IRR3 _IA64_REG_IP; do
	refused "setreg-refuses-$r" setreg_of_a_read_only_register setreg_cc $r
done
