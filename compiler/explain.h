/* explain.h: pvopsc --explain CHECK, a check's rule with a wrong and a right example. The
 * examples are the golden cases' (tests/cases/CASE/spec.yaml and its mended fixed.yaml),
 * compiled in by tools/explain-examples, so an installed pvopsc has them too. */
#ifndef PVOPSC_EXPLAIN_H
#define PVOPSC_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

struct example {
	const char *check;  /* the check its diagnostics name */
	const char *source; /* the case's folder, from the project's root */
	const char *args;   /* the options it runs with ("" for none) */
	const char *wrong;  /* the lines the fix changes ('-') with context, numbered */
	const char *says;   /* pvopsc's diagnostics for the wrong spec */
	const char *right;  /* the same place mended ('+') */
};

extern const struct example examples[];
extern const size_t nexamples;

/* Print the rule and examples of the check named name; 0, or 2 (usage) for no such check. */
int explain(const char *name, FILE *out);

#endif
