/* macro.c: the GNU assembler's macro instantiation, for the subset the spec uses. */
#include "macro.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8    /* nested invocations; a macro that recurses forever stops here */
#define MAX_CALLS 256  /* invocations in one expansion: a branching recursion stops here */

void ia64_text_add(struct ia64_text *t, const char *s, size_t n, const size_t *src, size_t at)
{
	if (t->buf.len + n + 1 > t->cap) {
		t->cap = (t->buf.len + n + 1) * 2;
		t->src = xrealloc(t->src, t->cap * sizeof(*t->src));
	}
	for (size_t i = 0; i < n; i++)
		t->src[t->buf.len + i] = src ? src[i] : at;
	buf_add(&t->buf, s, n);
}

void ia64_text_free(struct ia64_text *t)
{
	buf_free(&t->buf);
	free(t->src);
	memset(t, 0, sizeof(*t));
}

struct expander {
	ia64_macro_find find;
	void *fctx;
	ia64_err_fn err;
	void *ectx;
	char *why;
	bool failed;
	int depth;   /* 0 in the macro being expanded, 1+ in what it invokes */
	int calls;   /* invocations so far */
	size_t site; /* depth > 0: the invoking line in the outermost body */
};

static void xerr(struct expander *x, size_t off, const char *fmt, ...) PRINTF(3, 4);
static void xerr(struct expander *x, size_t off, const char *fmt, ...)
{
	struct buf msg = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (x->err)
		x->err(x->ectx, x->depth ? x->site : off, msg.data);
	buf_free(&msg);
	x->failed = true;
}

static bool ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Replace every \param by its operand; "\()" joins text. */
static void substitute(struct expander *x, const struct ia64_macro_def *m, const char *const *args,
		       struct ia64_text *out)
{
	const char *b = m->body;

	for (size_t i = 0; b[i];) {
		if (b[i] != '\\') {
			ia64_text_add(out, b + i, 1, NULL, i);
			i++;
			continue;
		}
		if (b[i + 1] == '(' && b[i + 2] == ')') {
			i += 3;
			continue;
		}
		size_t n = 0;
		while (ident(b[i + 1 + n]))
			n++;
		int p = -1;
		for (int k = 0; k < m->nparams; k++)
			if (strlen(m->params[k]) == n && memcmp(m->params[k], b + i + 1, n) == 0)
				p = k;
		if (p < 0) {
			char *word = xasprintf("%.*s", (int)n, b + i + 1);
			const char **names = xcalloc((size_t)m->nparams + 1, sizeof(*names));
			memcpy(names, m->params, (size_t)m->nparams * sizeof(*names));
			const char *near = util_suggest(word, names);
			xerr(x, i, "'\\%s' is not a parameter of %s%s%s%s", word, m->name, near ? "; did you mean '\\" : "",
			     near ? near : "", near ? "'?" : "");
			free(names);
			free(word);
			i += 1 + n;
			continue;
		}
		ia64_text_add(out, args[p], strlen(args[p]), NULL, i);
		i += 1 + n;
	}
}

/* One operand of .ifc: "quoted", 'quoted', or bare up to a comma. */
static bool ifc_operand(const char **p, const char *end, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;

	while (s < end && isspace((unsigned char)*s))
		s++;
	if (s < end && (*s == '"' || *s == '\'')) {
		char q = *s++;
		while (s < end && *s != q)
			if (n + 1 < cap)
				out[n++] = *s++;
			else
				s++;
		if (s == end)
			return false;
		s++;
	} else {
		while (s < end && *s != ',')
			if (n + 1 < cap)
				out[n++] = *s++;
			else
				s++;
		while (n > 0 && isspace((unsigned char)out[n - 1]))
			n--;
	}
	out[n] = '\0';
	while (s < end && isspace((unsigned char)*s))
		s++;
	*p = s;
	return true;
}

bool ia64_macro_call(const char *line, size_t n, size_t *off, size_t *len)
{
	size_t i = 0, b;

	while (i < n && isspace((unsigned char)line[i]))
		i++;
	b = i;
	if (i == n || !(isalpha((unsigned char)line[i]) || line[i] == '_'))
		return false;
	while (i < n && ident(line[i]))
		i++;
	if (i < n && !isspace((unsigned char)line[i]))
		return false; /* "ld8.acq", "label:" */
	*off = b;
	*len = i - b;
	return true;
}

struct cond {
	bool taken;  /* this branch is assembled */
	bool seen;   /* a branch of this .if was taken already */
	bool outer;  /* the enclosing code is assembled */
};

static enum ia64_expand_status run(struct expander *x, const struct ia64_macro_def *m,
				   const char *const *args, struct ia64_text *out);

/* An invocation line of another macro: split its operands and expand it in place. */
static void invoke(struct expander *x, const struct ia64_macro_def *callee, const char *ops, size_t n,
		   size_t at, struct ia64_text *out, enum ia64_expand_status *st)
{
	char *argv[16], *copy = xstrndup(ops, n);
	int argc = 0;

	for (char *p = copy; *p && argc < 16;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		char *a = p;
		while (isspace((unsigned char)*a))
			a++;
		char *e = a + strlen(a);
		while (e > a && isspace((unsigned char)e[-1]))
			*--e = '\0';
		argv[argc++] = a;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (argc == 1 && argv[0][0] == '\0')
		argc = 0;
	if (argc != callee->nparams) {
		xerr(x, at, "%s takes %d operands, not %d", callee->name, callee->nparams, argc);
		*st = EXPAND_ERROR;
	} else if (x->depth >= MAX_DEPTH || ++x->calls > MAX_CALLS) {
		xerr(x, at, "macros nested too deeply (%s)", callee->name);
		*st = EXPAND_ERROR;
	} else {
		struct ia64_macro_def def = *callee; /* find may reuse its storage for nested calls */
		if (x->depth++ == 0)
			x->site = at;
		enum ia64_expand_status s = run(x, &def, (const char *const *)argv, out);
		x->depth--;
		if (s != EXPAND_OK)
			*st = s;
	}
	free(copy);
}

/* The conditionals open in an expansion. */
struct conds {
	struct cond stack[16];
	int sp;
};

static bool is_word(const char *w, size_t wl, const char *word)
{
	return wl == strlen(word) && memcmp(w, word, wl) == 0;
}

/* A line starting with the word [w, w + wl) and ending at end: if it is .ifc, .ifnc, .else or
 * .endif, update the conditionals and say true (an error sets *st). */
static bool conditional(struct expander *x, struct conds *c, const char *w, size_t wl, const char *end,
			size_t src, bool live, enum ia64_expand_status *st)
{
	if (is_word(w, wl, ".ifc") || is_word(w, wl, ".ifnc")) {
		char a[64], b[64];
		const char *p = w + wl;
		bool ok = ifc_operand(&p, end, a, sizeof(a)) && p < end && *p == ',';
		if (ok) {
			p++;
			ok = ifc_operand(&p, end, b, sizeof(b)) && p == end;
		}
		if (!ok && live) {
			xerr(x, src, "expected '%.*s \"A\", \"B\"'", (int)wl, w);
			*st = EXPAND_ERROR;
		}
		if (c->sp == (int)ARRAY_SIZE(c->stack)) {
			xerr(x, src, "conditionals nested too deeply");
			*st = EXPAND_ERROR;
			return true;
		}
		bool eq = ok && strcmp(a, b) == 0;
		struct cond *top = &c->stack[c->sp++];
		top->outer = live;
		top->taken = is_word(w, wl, ".ifc") ? eq : !eq;
		top->seen = top->taken;
	} else if (is_word(w, wl, ".else")) {
		if (c->sp == 0) {
			xerr(x, src, ".else without .ifc");
			*st = EXPAND_ERROR;
		} else {
			c->stack[c->sp - 1].taken = !c->stack[c->sp - 1].seen;
			c->stack[c->sp - 1].seen = true;
		}
	} else if (is_word(w, wl, ".endif")) {
		if (c->sp == 0) {
			xerr(x, src, ".endif without .ifc");
			*st = EXPAND_ERROR;
		} else {
			c->sp--;
		}
	} else {
		return false;
	}
	return true;
}

/* An assembled line [b, e) of the substituted body: a call of another macro is expanded,
 * any other line copied (with its source places). */
static void expand_line(struct expander *x, const struct ia64_text *sub, size_t b, size_t e, size_t src,
			struct ia64_text *out, enum ia64_expand_status *st)
{
	const char *t = sub->buf.data;
	size_t co, cl;
	const struct ia64_macro_def *callee = NULL;

	if (ia64_macro_call(t + b, e - b, &co, &cl) && x->find)
		callee = x->find(x->fctx, t + b + co, cl);
	if (callee) {
		invoke(x, callee, t + b + co + cl, e - b - co - cl, src, out, st);
		return;
	}
	if (x->depth > 0)
		ia64_text_add(out, t + b, e - b, NULL, x->site);
	else
		ia64_text_add(out, t + b, e - b, sub->src + b, 0);
	ia64_text_add(out, "\n", 1, NULL, src);
}

static enum ia64_expand_status run(struct expander *x, const struct ia64_macro_def *m,
				   const char *const *args, struct ia64_text *out)
{
	bool nested = x->depth > 0;
	struct ia64_text sub = {0};
	struct conds c = {.sp = 0};
	enum ia64_expand_status st = EXPAND_OK;
	bool errors_before = x->failed, exited = false;

	substitute(x, m, args, &sub);
	const char *t = sub.buf.data ? sub.buf.data : "";
	size_t len = sub.buf.len;
	for (size_t b = 0; b < len && st == EXPAND_OK;) {
		const char *nl = memchr(t + b, '\n', len - b);
		size_t e = nl ? (size_t)(nl - t) : len;
		size_t i = b, src = nested ? x->site : sub.src[b];
		while (i < e && isspace((unsigned char)t[i]))
			i++;
		bool live = c.sp == 0 || (c.stack[c.sp - 1].outer && c.stack[c.sp - 1].taken);
		const char *w = t + i;
		size_t wl = 0;
		while (i + wl < e && !isspace((unsigned char)w[wl]))
			wl++;
		if (conditional(x, &c, w, wl, t + e, src, live, &st) || !live) {
			/* a conditional, or skipped */
		} else if (is_word(w, wl, ".exitm")) {
			exited = true; /* the open conditionals end with the macro */
			break;
		} else if (is_word(w, wl, ".error")) {
			if (!x->why) {
				const char *q1 = memchr(w, '"', e - i), *q2 = q1 ? memchr(q1 + 1, '"', (size_t)(t + e - q1 - 1)) : NULL;
				x->why = q1 && q2 ? xstrndup(q1 + 1, (size_t)(q2 - q1 - 1)) : xstrdup("refused");
			}
			st = EXPAND_REFUSED;
		} else {
			expand_line(x, &sub, b, e, src, out, &st);
		}
		b = e + 1;
	}
	if (st == EXPAND_OK && c.sp > 0 && !exited) {
		xerr(x, m->body[0] ? strlen(m->body) - 1 : 0, ".ifc without .endif");
		st = EXPAND_ERROR;
	}
	if (x->failed && !errors_before && st == EXPAND_OK)
		st = EXPAND_ERROR;
	ia64_text_free(&sub);
	return st;
}

enum ia64_expand_status ia64_expand(const struct ia64_macro_def *m, const char *const *args,
				    ia64_macro_find find, void *fctx, struct ia64_text *out,
				    ia64_err_fn err, void *ectx, char **why)
{
	struct expander x = {find, fctx, err, ectx, NULL, false, 0, 0, 0};
	enum ia64_expand_status st = run(&x, m, args, out);

	if (why)
		*why = x.why;
	else
		free(x.why);
	if (!out->buf.data)
		ia64_text_add(out, "", 0, NULL, 0);
	return st;
}
