/* expand.c: the compiler's bundle count for ASM macro uses, for comparison with what the
 * assembler makes of the same uses. "expand SPEC BACKEND" reads lines "LABEL NAME(ARGS)" (as a
 * .S file writes them) and prints "LABEL COUNT" for each; a const operand with a prefix is
 * looked up among the spec's constants, as the C preprocessor would paste and expand it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ia64/analyze.h"

struct ctx {
	struct ia64_view *v;
	const struct spec_backend *b;
	struct ia64_macro_def def;
};

static const struct ia64_macro_def *find(void *p, const char *name, size_t n)
{
	struct ctx *c = p;

	for (size_t i = 0; i < c->v->macros.n; i++) {
		const struct ia64_macro *m = c->v->macros.v[i];
		const struct node *e = ia64_expansion(m, c->b);
		if (e && strlen(m->name) == n && strncmp(m->name, name, n) == 0) {
			c->def = (struct ia64_macro_def){m->name, m->names, m->nparams, e->str};
			return &c->def;
		}
	}
	return NULL;
}

static int count(struct ctx *c, const char *name, char **args)
{
	struct ia64_text t = {0};
	struct ia64_seq seq = {0};
	int n = -1;

	if (!find(c, name, strlen(name)))
		return -1;
	struct ia64_macro_def def = c->def;
	for (int k = 0; k < def.nparams; k++) {
		const struct ia64_macro *m = NULL;
		for (size_t i = 0; i < c->v->macros.n; i++)
			if (strcmp(((struct ia64_macro *)c->v->macros.v[i])->name, name) == 0)
				m = c->v->macros.v[i];
		if (m && m->params[k].prefix) {
			char *key = xasprintf("%s%s", m->params[k].prefix, args[k]);
			const struct node *val = spec_constant(c->v->s, key, NULL);
			if (val && val->kind == NODE_SCALAR)
				args[k] = val->str;
			free(key);
		}
	}
	if (ia64_expand(&def, (const char *const *)args, find, c, &t, NULL, NULL, NULL) == EXPAND_OK &&
	    ia64_parse(t.buf.data, &seq, NULL, NULL)) {
		if (seq.n > 0)
			seq.v[seq.n - 1].stop = true; /* as the ";;" after each use */
		n = ia64_bundles(&seq);
	}
	ia64_seq_free(&seq);
	ia64_text_free(&t);
	return n;
}

int main(int argc, char **argv)
{
	char line[512];
	struct spec *s;
	struct ctx c = {0};

	if (argc != 3 || !(s = spec_load(argv[1]))) {
		diag_flush(stderr);
		return 2;
	}
	c.v = ia64_view(s, NULL);
	for (size_t i = 0; i < s->backends.n; i++)
		if (strcmp(((struct spec_backend *)s->backends.v[i])->name, argv[2]) == 0)
			c.b = s->backends.v[i];
	if (!c.v || !c.b)
		return 2;
	while (fgets(line, sizeof(line), stdin)) {
		char label[64], name[64], *args[8], *open = strchr(line, '('), *close = strrchr(line, ')');
		int nargs = 0;
		if (sscanf(line, "%63s %63[A-Z0-9_]", label, name) != 2)
			continue;
		if (open && close) {
			*close = '\0';
			for (char *p = strtok(open + 1, ","); p && nargs < 8; p = strtok(NULL, ",")) {
				while (*p == ' ')
					p++;
				args[nargs++] = p;
			}
		}
		printf("%s %d\n", label, count(&c, name, args));
	}
	ia64_view_free(c.v);
	spec_free(s);
	return 0;
}
