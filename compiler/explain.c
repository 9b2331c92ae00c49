/* explain.c: pvopsc --explain CHECK (see explain.h). */
#include <string.h>

#include "check.h"
#include "explain.h"

/* Text with any control character but tab and newline shown as \xNN (a case may hold a NEL
 * or a CR: that is its mistake). */
static void put_text(const char *s, FILE *out)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n')
			fprintf(out, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, out);
}

int explain(const char *name, FILE *out)
{
	const char *near = NULL;
	const struct check *c = check_find(name, &near);
	const struct example *e = NULL;

	if (!c) {
		fprintf(stderr, "pvopsc: --explain: no check is named '%s'%s%s%s\nTry 'pvopsc --list-checks'.\n", name,
			near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		return 2;
	}
	for (size_t i = 0; i < nexamples && !e; i++)
		if (strcmp(examples[i].check, name) == 0)
			e = &examples[i];
	fprintf(out, "%s: %s\n", c->name, c->doc);
	if (!e) {
		fprintf(out, "\n(no example)\n");
		return 0;
	}
	fprintf(out, "\nWrong (%s/spec.yaml):\n", e->source);
	put_text(e->wrong, out);
	fprintf(out, "\npvopsc %s%sspec.yaml says:\n", e->args, *e->args ? " " : "");
	put_text(e->says, out);
	fprintf(out, "\nRight (%s/fixed.yaml):\n", e->source);
	put_text(e->right, out);
	return 0;
}
