/* stubs.c: print the inline-asm text of every pv_cpu_ops call site as GCC would hand it to
 * the IA-64 assembler: the site macros of the generated headers, with %[op_addr] replaced by
 * the op's slot ("pv_cpu_ops+8") and %[type] by the site's patch type. The list of sites
 * (sites.h: SITE(op, type)) comes from the stubs in paravirt_privop.h. Each site is preceded
 * by a label S_<n> naming it, and followed (after a label X_<n>) by a data serialization, as
 * kernel code that reads back what a site wrote does (ia64_get_ivr, ia64_setreg of cr.tpr):
 * patched, a site's body runs inline, and one site's write meets the next one's read. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kernel_types.h"

#include "paravirt.h"
#include "paravirt_const.h"
#include "paravirt_patch.h"

static void put(const char *text, size_t slot, unsigned long type)
{
	for (const char *p = text; *p; p++) {
		if (strncmp(p, "%[op_addr]", 10) == 0) {
			if (slot)
				printf("pv_cpu_ops+%zu", slot);
			else
				fputs("pv_cpu_ops", stdout);
			p += 9;
		} else if (strncmp(p, "%[type]", 7) == 0) {
			printf("%lu", type);
			p += 6;
		} else {
			putchar(*p);
		}
	}
}

int main(void)
{
	int n = 0;

#define SITE(op, type)                                                                               \
	printf("S_%d_%s:\n", n++, #op);                                                              \
	put(paravirt_alt_bundle(__PARAVIRT_BR), offsetof(struct pv_cpu_ops, op), (type));           \
	printf("X_%d:\n\tsrlz.d\n\t;;\n", n - 1);
#include "sites.h"
	printf("S_end:\n\tnop 0\n");
	return 0;
}
