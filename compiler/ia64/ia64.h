/* ia64.h: the IA-64 family's modules and what joins them:
 *
 *   asm.c      the instruction reader and bundler (asm.h)
 *   macro.c    the ASM macro expander (macro.h)
 *   analyze.c  the analysis: the stub convention, registers, bodies, macros (analyze.h)
 *   check.c    the family's named checks, run on the analysis (this header)
 *   keys.c     the keys the family adds to the spec's schema (this header)
 *   model.c    the model the templates/ia64/ files are rendered from (ia64_family, family.h)
 */
#ifndef PVOPSC_IA64_H
#define PVOPSC_IA64_H

#include "check.h"
#include "schema.h"

extern const struct check ia64_checks[];
/* keys.c: the keys the family adds to the schema */
extern const struct schema_family_keys ia64_schema_keys;

#endif
