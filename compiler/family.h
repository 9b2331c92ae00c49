/* family.h: what an arch family (x86, ia64) plugs into the pipeline. Instruction-set knowledge
 * lives behind this interface, in the family's own folder (compiler/x86/, compiler/ia64/). */
#ifndef PVOPSC_FAMILY_H
#define PVOPSC_FAMILY_H

#include "check.h"
#include "schema.h"
#include "spec.h"
#include "tval.h"

struct family {
	const char *name;            /* matches an arch's `family:`; templates/<name>/ */
	const struct check *checks;  /* NULL-name terminated; run per arch with its view */
	/* The family's reading of the spec for one arch, computed once, right after typing: it
	 * parses the family's embedded code (sequences, clobbers, bodies, macros) and reports the
	 * syntax errors of that code. The checks and the model read this view. */
	void *(*analyze)(const struct spec *s, const struct spec_arch *a);
	void (*view_free)(void *view);
	/* Everything templates/<name>/ needs for one arch (model stage), from a clean spec: the
	 * common model (model_common, with the family's op hook) plus the family's own keys. */
	struct tval *(*model)(const struct spec *s, const struct spec_arch *a, const void *view);
	const struct schema_family_keys *keys; /* the keys it adds to the spec's schema */
};

extern const struct family x86_family, ia64_family;
extern const struct family *const families[]; /* NULL-terminated */

const struct family *family_find(const char *name);

/* The analysis stage: every selected arch of a known family, analysed
 * once; family_analysis_free frees the views. */
void family_analyze(const struct spec *s, struct analysis *out);
void family_analysis_free(struct analysis *an);

#endif
