/* tmpl.c: parse a template (tmpl.l, tmpl.y), apply the standalone rule, render. */
#include "tmpl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.tab.h"
#include "tmpl.lex.h"

static bool ends_line(const struct tnode *n)
{
	return n->kind == T_TEXT && n->text.data[n->text.len - 1] == '\n';
}

/* A line is standalone when it holds block tags or comments, and blanks only besides. */
static bool standalone(void *const *line, size_t n)
{
	bool tags = false;

	for (size_t i = 0; i < n; i++) {
		const struct tnode *p = line[i];

		if (p->kind == T_VAR)
			return false;
		if (p->kind != T_TEXT)
			tags = true;
		else if (strspn(p->text.data, " \t\r") < p->text.len - ends_line(p))
			return false;
	}
	return tags;
}

/* Pieces of text never go past a newline, so a line is a run of pieces ending in one; a
 * standalone line loses all of its text: indentation, blanks between tags and newline. */
static void remove_standalone_lines(struct tmpl *t)
{
	void **v = t->pieces.v;
	size_t first = 0;

	for (size_t i = 0; i < t->pieces.n; i++) {
		if (!ends_line(v[i]) && i + 1 < t->pieces.n)
			continue;
		if (standalone(v + first, i + 1 - first))
			for (size_t j = first; j <= i; j++) {
				struct tnode *p = v[j];

				if (p->kind == T_TEXT)
					buf_free(&p->text);
			}
		first = i + 1;
	}
}

/* The key of every part of every name, found once rather than at every lookup. */
static void key_names(struct tmpl *t)
{
	for (size_t i = 0; i < t->pieces.n; i++) {
		struct tnode *p = t->pieces.v[i];
		size_t parts = 1, k = 0;

		if (!p->name)
			continue;
		for (const char *c = p->name; *c; c++)
			parts += *c == '.';
		p->keys = xmalloc(parts * sizeof(*p->keys));
		for (const char *c = p->name;; c++) {
			size_t len = strcspn(c, ".");

			p->keys[k++] = tv_key(c, len);
			c += len;
			if (!*c)
				break;
		}
	}
}

struct tmpl *tmpl_parse(const struct source *src)
{
	struct parser p = {.src = src, .line = 1, .col = 1};
	int errors = diag_error_count();
	struct tmpl *t;
	yyscan_t scanner;

	if (src->len > INT_MAX - 2) { /* flex counts in int */
		diag_error((struct pos){src->name, 0, 0}, TMPL_SYNTAX, "template too large");
		return NULL;
	}
	p.t = t = xcalloc(1, sizeof(*t));
	if (tmpl_yylex_init_extra(&p, &scanner)) {
		perror("pvopsc");
		exit(2);
	}
	tmpl_yy_scan_bytes(src->text, (int)src->len, scanner);
	tmpl_yyparse(scanner);
	tmpl_yylex_destroy(scanner);
	vec_free(&p.open);
	if (diag_error_count() > errors) {
		tmpl_free(t);
		return NULL;
	}
	remove_standalone_lines(t);
	key_names(t);
	return t;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->pieces.n; i++) {
		struct tnode *n = t->pieces.v[i];

		buf_free(&n->text);
		free(n->name);
		free(n->keys);
		vec_free(&n->body);
		vec_free(&n->alt);
		free(n);
	}
	vec_free(&t->pieces);
	vec_free(&t->root);
	free(t);
}

/* A scope: the data at the bottom, then one per {{#each}} around the piece being rendered. */
struct frame {
	const struct tval *item;
	size_t index, count;
	const struct frame *up; /* NULL for the data */
};

struct render {
	struct buf *out;
	const struct frame *top;
	bool *reported; /* per piece: an error reported already (not once per item of a list) */
	bool failed;
	struct tval at; /* the value of an @name */
	char index[24]; /* at.str for @index */
};

static void PRINTF(4, 5) fail(struct render *r, const struct tnode *n, const char *check,
			      const char *fmt, ...)
{
	struct buf msg = {0};
	va_list ap;

	r->failed = true;
	if (r->reported[n->id])
		return;
	r->reported[n->id] = true;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_error(n->pos, check, "%s", msg.data);
	buf_free(&msg);
}

static const char *kind_name(enum tval_kind k)
{
	static const char *const name[] = {
		[TV_STR] = "string", [TV_BOOL] = "bool", [TV_LIST] = "list", [TV_MAP] = "map",
	};
	return name[k];
}

static bool truth(const struct tval *v)
{
	switch (v->kind) {
	case TV_BOOL:
		return v->b;
	case TV_STR:
		return v->str[0];
	case TV_LIST:
		return v->n;
	default:
		return true;
	}
}

/* Append the keys of map to the NULL-terminated names[0..*n). */
static const char **add_keys(const char **names, size_t *n, const struct tval *map)
{
	if (map->kind != TV_MAP)
		return names;
	names = xrealloc(names, (*n + map->n + 1) * sizeof(*names));
	for (size_t i = 0; i < map->n; i++)
		names[(*n)++] = tv_key_name(map, i);
	names[*n] = NULL;
	return names;
}

/* n->name[0..len) names nothing: its last part is not a key of `in`, or, with no dot, of
 * any scope. */
static void unknown(struct render *r, const struct tnode *n, size_t len, const struct tval *in)
{
	const char *name = n->name, *best;
	const char **names = NULL;
	size_t head = len, count = 0;
	char *word;

	while (head && name[head - 1] != '.')
		head--;
	if (in)
		names = add_keys(names, &count, in);
	else
		for (const struct frame *f = r->top; f; f = f->up)
			names = add_keys(names, &count, f->item);
	word = xstrndup(name + head, len - head);
	best = util_suggest(word, names);
	if (best)
		fail(r, n, "template-unknown-variable",
		     "unknown variable '%.*s'; did you mean '%.*s%s'?", (int)len, name, (int)head, name,
		     best);
	else
		fail(r, n, "template-unknown-variable", "unknown variable '%.*s'", (int)len, name);
	free(word);
	free(names);
}

/* @index, @first, @last of the innermost {{#each}} (the grammar saw that there is one). */
static const struct tval *loop_value(struct render *r, const char *name)
{
	const struct frame *f = r->top;

	if (!strcmp(name, "@index")) {
		snprintf(r->index, sizeof(r->index), "%zu", f->index);
		r->at = (struct tval){.kind = TV_STR, .str = r->index};
	} else {
		bool first = !strcmp(name, "@first");

		r->at = (struct tval){.kind = TV_BOOL};
		r->at.b = first ? f->index == 0 : f->index + 1 == f->count;
	}
	return &r->at;
}

/* The value n names; NULL after reporting why there is none. */
static const struct tval *lookup(struct render *r, const struct tnode *n)
{
	const char *name = n->name;
	size_t len = strcspn(name, ".");
	const struct tval *v = NULL;

	if (!strcmp(name, "."))
		return r->top->item;
	if (name[0] == '@')
		return loop_value(r, name);
	for (const struct frame *f = r->top; f && !v; f = f->up)
		v = tv_getk(f->item, n->keys[0]);
	if (!v) {
		unknown(r, n, len, NULL);
		return NULL;
	}
	for (size_t k = 1; name[len]; k++) { /* name[len] is a dot: walk into the map */
		size_t part = strcspn(name + len + 1, ".");
		const struct tval *in = v;

		if (in->kind != TV_MAP) {
			fail(r, n, "template-type", "'%.*s' is a %s, not a map", (int)len, name,
			     kind_name(in->kind));
			return NULL;
		}
		v = tv_getk(in, n->keys[k]);
		len += 1 + part;
		if (!v) {
			unknown(r, n, len, in);
			return NULL;
		}
	}
	return v;
}

static void render_items(struct render *r, const struct vec *items);

static void substitute(struct render *r, const struct tnode *n)
{
	const struct tval *v = lookup(r, n);

	if (!v)
		return;
	if (v->kind == TV_STR)
		buf_puts(r->out, v->str);
	else if (v->kind == TV_BOOL && n->name[0] == '@')
		buf_puts(r->out, v->b ? "true" : "false");
	else
		fail(r, n, "template-type", "'%s' is a %s, not a string", n->name, kind_name(v->kind));
}

static void each(struct render *r, const struct tnode *n)
{
	const struct tval *list = lookup(r, n);
	struct frame f = {.up = r->top};

	if (!list)
		return;
	if (list->kind != TV_LIST) {
		fail(r, n, "template-type", "'%s' is a %s, not a list", n->name, kind_name(list->kind));
		return;
	}
	f.count = list->n;
	r->top = &f;
	for (f.index = 0; f.index < list->n; f.index++) {
		f.item = list->items[f.index];
		render_items(r, &n->body);
	}
	r->top = f.up;
}

static void render_items(struct render *r, const struct vec *items)
{
	for (size_t i = 0; i < items->n; i++) {
		const struct tnode *n = items->v[i];
		const struct tval *v;

		switch (n->kind) {
		case T_TEXT:
			buf_add(r->out, n->text.data, n->text.len);
			break;
		case T_VAR:
			substitute(r, n);
			break;
		case T_EACH:
			each(r, n);
			break;
		case T_IF:
		case T_UNLESS:
			if ((v = lookup(r, n)))
				render_items(r, truth(v) == (n->kind == T_IF) ? &n->body : &n->alt);
			break;
		case T_SEP: /* inside an {{#each}}: the grammar saw to it */
			if (r->top->index + 1 < r->top->count)
				render_items(r, &n->body);
			break;
		default: /* {{else}}, {{/...}} and comments are not items */
			break;
		}
	}
}

bool tmpl_render(const struct tmpl *t, const struct tval *data, struct buf *out)
{
	struct frame root = {.item = data};
	struct render r = {.out = out, .top = &root};

	r.reported = xcalloc(t->pieces.n, sizeof(*r.reported));
	render_items(&r, &t->root);
	free(r.reported);
	return !r.failed;
}
