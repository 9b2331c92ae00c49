/* family.c: the registry of arch families, and the analysis stage that runs each once per arch. */
#include "family.h"

#include <stdlib.h>
#include <string.h>

const struct family *const families[] = {&x86_family, &ia64_family, NULL};

const struct family *family_find(const char *name)
{
	for (const struct family *const *f = families; *f; f++)
		if (strcmp((*f)->name, name) == 0)
			return *f;
	return NULL;
}

void family_analyze(const struct spec *s, struct analysis *out)
{
	out->n = 0;
	out->v = xcalloc(s->arches.n + 1, sizeof(*out->v));
	for (size_t i = 0; i < s->arches.n; i++) {
		const struct spec_arch *a = s->arches.v[i];
		const struct family *f = family_find(a->family);
		if (f && spec_selected(s, a)) /* an arch --arch leaves out is neither checked nor generated */
			out->v[out->n++] = (struct analyzed){a, f, f->analyze(s, a)};
	}
}

void family_analysis_free(struct analysis *an)
{
	for (size_t i = 0; i < an->n; i++)
		an->v[i].f->view_free(an->v[i].view);
	free(an->v);
	an->v = NULL;
	an->n = 0;
}
