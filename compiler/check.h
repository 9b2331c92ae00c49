/* check.h: semantic checks, kept as tables of named checks (as dtc does). A check reports
 * through diag with its own name as the check-name, so every message says which rule fired
 * and every rule has an error case named after it in tests/cases/.
 *
 * The common checks run once for the spec; a family's checks run once for each arch of the
 * family, with that arch's view (what the family's analyze() computed for it). A rule that is
 * not about one arch reports the same message for each; diag keeps one. */
#ifndef PVOPSC_CHECK_H
#define PVOPSC_CHECK_H

#include "diag.h"
#include "spec.h"

struct check_ctx {
	const struct spec *s;
	const struct spec_arch *a; /* the arch checked; NULL for the common checks */
	const void *view;          /* the family's analysis of a; NULL for the common checks */
};

struct check {
	const char *name; /* the [check-name] of its messages */
	const char *doc;  /* one line: the rule it enforces */
	void (*run)(const struct check_ctx *x, const struct check *c);
	/* Checks of the same table that must pass first (NULL-terminated names), or NULL: when one
	 * of them reported an error, this one does not run (it would only add noise). */
	const char *const *prereqs;
};

/* Each family's analysis of one arch, in spec order; see family.h. */
struct analysis {
	size_t n;
	struct analyzed {
		const struct spec_arch *a;
		const struct family *f;
		void *view;
	} *v;
};

/* Run the common checks, then every family's on each of its analysed arches; false if any
 * error was reported. */
bool check_spec(const struct spec *s, const struct analysis *an);
/* Print every check's name and rule (pvopsc --list-checks). */
void check_list(FILE *out);
/* The check of that name (common or a family's), or NULL; *near gets the closest name. */
const struct check *check_find(const char *name, const char **near);
/* A check whose findings are warnings (its rule says "warning:"), which -Wno- may silence. */
bool check_is_warning(const struct check *c);

#endif
