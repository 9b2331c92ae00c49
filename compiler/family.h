/* family.h: what an arch family (x86, ia64) plugs into the pipeline. Instruction-set knowledge
 * lives behind this interface, in the family's own files (x86*.c, ia64*.c). */
#ifndef PVOPSC_FAMILY_H
#define PVOPSC_FAMILY_H

#include "check.h"
#include "spec.h"
#include "tval.h"

struct family {
	const char *name;            /* matches an arch's `family:`; templates/<name>/ */
	const struct check *checks;  /* NULL-name terminated */
	/* Everything templates/<name>/ needs for one arch, computed once (model stage): the
	 * common model (model_common, with the family's op hook) plus the family's own keys. */
	struct tval *(*model)(const struct spec *s, const struct spec_arch *a);
};

extern const struct family x86_family, ia64_family;
extern const struct family *const families[]; /* NULL-terminated */

const struct family *family_find(const char *name);

#endif
