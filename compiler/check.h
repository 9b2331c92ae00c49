/* check.h: semantic checks, kept as tables of named checks (as dtc does). A check reports
 * through diag with its own name as the check-name, so every message says which rule fired
 * and every rule has an error case named after it in tests/cases/. */
#ifndef PVOPSC_CHECK_H
#define PVOPSC_CHECK_H

#include "diag.h"
#include "spec.h"

struct check {
	const char *name; /* the [check-name] of its messages */
	const char *doc;  /* one line: the rule it enforces */
	void (*run)(const struct spec *s, const struct check *c);
};

/* Run the common checks, then every family's; false if any error was reported. */
bool check_spec(const struct spec *s);
/* Print every check's name and rule (pvopsc --list-checks). */
void check_list(FILE *out);
/* The check of that name (common or a family's), or NULL; *near gets the closest name. */
const struct check *check_find(const char *name, const char **near);
/* A check whose findings are warnings (its rule says "warning:"), which -Wno- may silence. */
bool check_is_warning(const struct check *c);

#endif
