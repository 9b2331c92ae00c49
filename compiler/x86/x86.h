/* x86.h: the x86 family's modules and what joins them:
 *
 *   asm.c      the assembler (asm.h), its effects from the decoder (decode.c, decode.h)
 *   analyze.c  the analysis: the convention, per-op facts, sequences assembled (analyze.h)
 *   check.c    the family's named checks, run on the analysis (this header)
 *   keys.c     the keys the family adds to the spec's schema (this header)
 *   model.c    the model the templates/x86/ files are rendered from (x86_family, family.h)
 */
#ifndef PVOPSC_X86_H
#define PVOPSC_X86_H

#include "check.h"
#include "schema.h"

extern const struct check x86_checks[];
/* keys.c: the keys the family adds to the schema */
extern const struct schema_family_keys x86_schema_keys;

#endif
