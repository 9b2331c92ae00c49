/* symbols.c: the listing of what hand-written code owes (--list-symbols). It reads only the
 * common model's keys, which each family fills (model.h). */
#include "symbols.h"

#include <stdlib.h>
#include <string.h>

/* One owed symbol: the backend that owes it (whose code must define it), the ops it serves,
 * and the backends whose generated tables name it, directly or through generated code. */
struct owed {
	size_t arch, backend; /* order: the arch's in symbols_add, the backend's in the spec */
	char *arch_name, *backend_name, *symbol;
	struct vec ops, named_by; /* char * */
};

struct symbols {
	struct vec owed;   /* struct owed * */
	size_t narches;
};

/* Who names a symbol in one arch's tables. */
struct naming {
	const char *symbol;
	struct vec backends; /* const char *, each once */
};

struct symbols *symbols_new(void)
{
	return xcalloc(1, sizeof(struct symbols));
}

static void add_once(struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return;
	vec_push(v, xstrdup(s));
}

static const char *str_of(const struct tval *map, const char *key)
{
	const struct tval *v = tv_get(map, key);
	return v && v->kind == TV_STR ? v->str : "";
}

static size_t backend_index(const struct tval *backends, const char *name)
{
	for (size_t i = 0; i < backends->n; i++)
		if (strcmp(str_of(backends->items[i], "name"), name) == 0)
			return i;
	return backends->n;
}

static struct owed *find_or_add(struct symbols *list, const struct tval *model, const struct tval *backends,
				const char *backend, const char *symbol)
{
	for (size_t i = 0; i < list->owed.n; i++) {
		struct owed *o = list->owed.v[i];
		if (o->arch == list->narches && strcmp(o->backend_name, backend) == 0 && strcmp(o->symbol, symbol) == 0)
			return o;
	}
	struct owed *o = xcalloc(1, sizeof(*o));
	o->arch = list->narches;
	o->backend = backend_index(backends, backend);
	o->arch_name = xstrdup(str_of(model, "arch"));
	o->backend_name = xstrdup(backend);
	o->symbol = xstrdup(symbol);
	vec_push(&list->owed, o);
	return o;
}

static struct naming *naming_of(struct vec *names, const char *symbol)
{
	for (size_t i = 0; i < names->n; i++)
		if (strcmp(((struct naming *)names->v[i])->symbol, symbol) == 0)
			return names->v[i];
	struct naming *n = xcalloc(1, sizeof(*n));
	n->symbol = symbol;
	vec_push(names, n);
	return n;
}

static void name_once(struct vec *backends, const char *name)
{
	for (size_t i = 0; i < backends->n; i++)
		if (strcmp(backends->v[i], name) == 0)
			return;
	vec_push(backends, (void *)name);
}

void symbols_add(struct symbols *list, const struct tval *model)
{
	const struct tval *backends = tv_get(model, "backends");
	struct vec names = {0}; /* struct naming *: every symbol the tables name */

	for (size_t b = 0; backends && b < backends->n; b++) {
		const struct tval *bm = backends->items[b], *tables = tv_get(bm, "tables");
		for (size_t t = 0; tables && t < tables->n; t++) {
			const struct tval *entries = tv_get(tables->items[t], "entries");
			for (size_t k = 0; entries && k < entries->n; k++) {
				const struct tval *e = entries->items[k], *owed = tv_get(e, "owed");
				const char *sym = str_of(e, "symbol");
				if (!*sym)
					continue;
				name_once(&naming_of(&names, sym)->backends, str_of(bm, "name"));
				if (owed && owed->b)
					add_once(&find_or_add(list, model, backends, str_of(e, "from"), sym)->ops, str_of(e, "qname"));
			}
		}
	}
	/* the owed entries: named by whoever names them */
	for (size_t i = 0; i < list->owed.n; i++) {
		struct owed *o = list->owed.v[i];
		const struct naming *n = o->arch == list->narches ? naming_of(&names, o->symbol) : NULL;
		for (size_t k = 0; n && k < n->backends.n; k++)
			add_once(&o->named_by, n->backends.v[k]);
	}
	/* what generated code names: by whoever names that code */
	for (size_t b = 0; backends && b < backends->n; b++) {
		const struct tval *bm = backends->items[b], *refs = tv_get(bm, "refs");
		for (size_t k = 0; refs && k < refs->n; k++) {
			const struct tval *r = refs->items[k];
			struct owed *o = find_or_add(list, model, backends, str_of(bm, "name"), str_of(r, "symbol"));
			const struct naming *n = naming_of(&names, str_of(r, "via"));
			add_once(&o->ops, str_of(r, "qname"));
			for (size_t j = 0; j < n->backends.n; j++)
				add_once(&o->named_by, n->backends.v[j]);
			if (!n->backends.n) /* code no table names (a patch list's): the backend's own */
				add_once(&o->named_by, str_of(bm, "name"));
		}
	}
	for (size_t i = 0; i < names.n; i++) {
		vec_free(&((struct naming *)names.v[i])->backends);
		free(names.v[i]);
	}
	vec_free(&names);
	list->narches++;
}

static int by_place(const void *pa, const void *pb)
{
	const struct owed *a = *(struct owed *const *)pa, *b = *(struct owed *const *)pb;

	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if (a->backend != b->backend)
		return a->backend < b->backend ? -1 : 1;
	return strcmp(a->symbol, b->symbol);
}

static void join(FILE *out, const struct vec *v, const char *sep)
{
	for (size_t i = 0; i < v->n; i++)
		fprintf(out, "%s%s", i ? sep : "", (const char *)v->v[i]);
}

static void json_list(FILE *out, const struct vec *v)
{
	fputc('[', out);
	for (size_t i = 0; i < v->n; i++) {
		fputs(i ? ", " : "", out);
		util_json_string(out, v->v[i]);
	}
	fputc(']', out);
}

static void column_widths(struct owed *const *v, size_t n, int w[3])
{
	w[0] = w[1] = w[2] = 0;
	for (size_t i = 0; i < n && v[i]->arch == v[0]->arch; i++) {
		const char *col[3] = {v[i]->arch_name, v[i]->backend_name, v[i]->symbol};
		for (int c = 0; c < 3; c++)
			if ((int)strlen(col[c]) > w[c])
				w[c] = (int)strlen(col[c]);
	}
}

void symbols_print(const struct symbols *list, FILE *out, bool json)
{
	struct owed **v = xcalloc(list->owed.n + 1, sizeof(*v));
	int w[3];

	for (size_t i = 0; i < list->owed.n; i++)
		v[i] = list->owed.v[i];
	qsort(v, list->owed.n, sizeof(*v), by_place);
	if (json)
		fputs("{\"symbols\": [", out);
	for (size_t i = 0; i < list->owed.n; i++) {
		const struct owed *o = v[i];
		if (json) {
			fputs(i ? ",\n  {\"arch\": " : "\n  {\"arch\": ", out);
			util_json_string(out, o->arch_name);
			util_json_member(out, "backend", o->backend_name);
			util_json_member(out, "symbol", o->symbol);
			fputs(", \"ops\": ", out);
			json_list(out, &o->ops);
			fputs(", \"named_by\": ", out);
			json_list(out, &o->named_by);
			fputc('}', out);
			continue;
		}
		if (i == 0 || o->arch != v[i - 1]->arch) /* columns as wide as the arch's widest */
			column_widths(v + i, list->owed.n - i, w);
		fprintf(out, "%-*s %-*s %-*s ", w[0], o->arch_name, w[1], o->backend_name, w[2], o->symbol);
		join(out, &o->ops, ",");
		fputs(" (named by ", out);
		join(out, &o->named_by, ", ");
		fputs(")\n", out);
	}
	if (json)
		fputs(list->owed.n ? "\n]}\n" : "]}\n", out);
	free(v);
}

void symbols_free(struct symbols *list)
{
	for (size_t i = 0; list && i < list->owed.n; i++) {
		struct owed *o = list->owed.v[i];
		for (size_t k = 0; k < o->ops.n; k++)
			free(o->ops.v[k]);
		for (size_t k = 0; k < o->named_by.n; k++)
			free(o->named_by.v[k]);
		vec_free(&o->ops);
		vec_free(&o->named_by);
		free(o->arch_name);
		free(o->backend_name);
		free(o->symbol);
		free(o);
	}
	if (list)
		vec_free(&list->owed);
	free(list);
}
