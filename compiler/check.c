/* check.c: the common named checks, and the runner of every family's table. */
#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "schema.h"

#define ERR(c, pos, ...) diag_error(pos, (c)->name, __VA_ARGS__)

static const char *const type_kinds[] = {"int", "struct", "pointer", NULL};

static void spec_version(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	const struct node *v = node_get(s->root, "pvopsc");
	long long n;

	if (v && schema_scalar_int(v, &n) && n != 1)
		ERR(c, v->pos, "this pvopsc reads spec format 1, not %lld", n);
}

/* An SPDX expression: identifiers (letters, digits, '.', '-', '+') joined by AND, OR, WITH
 * and parentheses. Nothing else may reach the comment line it is written into. */
static void spdx_license(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	const struct node *n = node_get(s->root, "license");

	if (!n || n->kind != NODE_SCALAR)
		return;
	for (const char *p = n->str; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-+() ", *p)) {
			ERR(c, node_pos_at(n, (size_t)(p - n->str)),
			    "'%c' cannot be part of an SPDX license identifier", *p);
			return;
		}
	if (!*n->str)
		ERR(c, n->pos, "the SPDX license identifier is empty");
}

static void arch_family(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	const char *names[8];
	size_t n = 0;

	for (const struct family *const *f = families; *f && n + 1 < ARRAY_SIZE(names); f++)
		names[n++] = (*f)->name;
	names[n] = NULL;
	for (size_t i = 0; i < s->arches.n; i++) {
		const struct spec_arch *a = s->arches.v[i];
		const struct node *f = node_get(a->node, "family");
		const char *best;
		if (!f || family_find(a->family))
			continue;
		best = util_suggest(a->family, names);
		ERR(c, f->pos, "unknown arch family '%s'%s%s%s", a->family, best ? "; did you mean '" : "",
		    best ? best : "", best ? "'?" : " (known: x86, ia64)");
	}
}

static void arch_word(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->arches.n; i++) {
		const struct spec_arch *a = s->arches.v[i];
		const struct node *w = node_get(a->node, "word_bits");
		long long v;
		if (schema_scalar_int(w, &v) && v != 32 && v != 64)
			ERR(c, w->pos, "word_bits must be 32 or 64, not %lld", v);
	}
}

/* Names in `n` (scalar or list) that are not arches: report each at its own position. */
static void arch_names(const struct spec *s, const struct check *c, const struct node *n)
{
	const char *names[MAX_ARCHES + 1];

	if (!n)
		return;
	for (size_t i = 0; i < s->arches.n; i++)
		names[i] = ((struct spec_arch *)s->arches.v[i])->name;
	names[s->arches.n] = NULL;
	for (size_t i = 0; i < (n->kind == NODE_SCALAR ? 1 : n->n); i++) {
		const struct node *item = n->kind == NODE_SCALAR ? n : n->items[i];
		const struct node *key = n->kind == NODE_MAP ? n->keys[i] : item;
		const char *best;
		if (key->kind != NODE_SCALAR || spec_arch(s, key->str))
			continue;
		best = util_suggest(key->str, names);
		if (best)
			ERR(c, key->pos, "unknown arch '%s'; did you mean '%s'?", key->str, best);
		else
			ERR(c, key->pos, "unknown arch '%s'", key->str);
	}
}

static void op_arch_names(struct spec_op *op, void *ctx)
{
	const void *const *p = ctx;
	arch_names(p[0], p[1], node_get(op->node, "arches"));
	arch_names(p[0], p[1], op->clobbers);
}

static void unknown_arch(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	const void *ctx[2] = {s, c};

	for (size_t i = 0; i < s->types.n; i++) {
		const struct node *bits = node_get(((struct spec_type *)s->types.v[i])->node, "bits");
		if (bits && bits->kind == NODE_MAP)
			arch_names(s, c, bits);
	}
	for (size_t i = 0; i < s->tables.n; i++)
		arch_names(s, c, node_get(((struct spec_table *)s->tables.v[i])->node, "arches"));
	spec_each_op(s, op_arch_names, ctx);
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			arch_names(s, c, node_get(impl->node, "arches"));
			arch_names(s, c, impl->code);
		}
		arch_names(s, c, node_get(b->node, "arches"));
		if (node_get(b->node, "prefix") && node_get(b->node, "prefix")->kind == NODE_MAP)
			arch_names(s, c, node_get(b->node, "prefix"));
	}
	for (size_t i = 0; s->asm_macros && s->asm_macros->kind == NODE_SEQ && i < s->asm_macros->n; i++)
		arch_names(s, c, node_get(s->asm_macros->items[i], "arches"));
}

static void one_word(const struct check *c, const struct node *n, const char *what, const char *const *words)
{
	const char *best;

	if (!n || n->kind != NODE_SCALAR)
		return;
	for (const char *const *w = words; *w; w++)
		if (strcmp(*w, n->str) == 0)
			return;
	best = util_suggest(n->str, words);
	if (best)
		ERR(c, n->pos, "unknown %s '%s'; did you mean '%s'?", what, n->str, best);
	else
		ERR(c, n->pos, "unknown %s '%s'", what, n->str);
}

static void op_kind(struct spec_op *op, void *ctx)
{
	one_word(ctx, node_get(op->node, "kind"), "op kind", op_written_kinds);
}

static void unknown_kind(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	spec_each_op(s, op_kind, (void *)c);
	for (size_t i = 0; i < s->types.n; i++)
		one_word(c, node_get(((struct spec_type *)s->types.v[i])->node, "kind"), "type kind", type_kinds);
}

static void op_form1(struct spec_op *op, void *ctx)
{
	const struct check *c = ctx;
	static const char *const keys[] = {"sig", "type", "struct"};
	const struct node *found[3];
	const char *which[3];
	int n = 0;

	for (int i = 0; i < 3; i++)
		if ((found[n] = node_get(op->node, keys[i])))
			which[n++] = keys[i];
	if (n == 0)
		ERR(c, op->node->pos, "op '%s' needs one of 'sig' (a function), 'type' (a data field) or "
			"'struct' (a nested table)", op->name);
	else if (n > 1)
		ERR(c, found[1]->pos, "op '%s' has both '%s' and '%s'; it is one of a function, a field or "
			"a nested table", op->name, which[0], which[1]);
	if (op->kind == OP_GROUP && !node_get(op->node, "ops"))
		ERR(c, op->node->pos, "nested table '%s' has no 'ops'", op->name);
	if (op->kind != OP_GROUP && node_get(op->node, "ops"))
		ERR(c, node_get(op->node, "ops")->pos, "'ops' belongs to a nested table (one with 'struct')");
}

static void op_form(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	spec_each_op(s, op_form1, (void *)c);
}

static void op_arches1(struct spec_op *op, void *ctx)
{
	const void *const *p = ctx;
	const struct spec *s = p[0];
	const struct check *c = p[1];
	archset outer = op->group ? op->group->arches : op->table->arches;
	const struct node *n = node_get(op->node, "arches");

	for (size_t i = 0; n && i < (n->kind == NODE_SEQ ? n->n : 1); i++) {
		const struct node *item = n->kind == NODE_SEQ ? n->items[i] : n;
		const struct spec_arch *a = item->kind == NODE_SCALAR ? spec_arch(s, item->str) : NULL;
		if (a && !(outer >> a->index & 1))
			ERR(c, item->pos, "op '%s' exists on %s, which its %s '%s' does not have", op->qname,
			    a->name, op->group ? "nested table" : "table",
			    op->group ? op->group->name : op->table->name);
	}
}

static void op_arches(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	const void *ctx[2] = {s, c};

	spec_each_op(s, op_arches1, ctx);
}

static void duplicate_table(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct spec_table *t = s->tables.v[i];
		for (size_t j = 0; j < i; j++) {
			const struct spec_table *u = s->tables.v[j];
			if (strcmp(t->name, u->name) == 0 && (t->arches & u->arches)) {
				ERR(c, node_pos_of(t->node, "name"), "table '%s' is defined twice for the same arch",
				    t->name);
				diag_note(node_pos_of(u->node, "name"), "first defined here");
				break;
			}
		}
	}
}

struct wrap_ctx;
static void report_wrapper(struct wrap_ctx *w, const struct spec_op *op, size_t arch);

struct wrap_ctx {
	const struct spec *s;
	const struct check *c;
	struct strset seen; /* "wrapper@arch" of every op so far */
};

static void wrapper1(struct spec_op *op, void *ctx)
{
	struct wrap_ctx *w = ctx;

	if (op->kind == OP_FIELD || op->kind == OP_GROUP)
		return;
	for (size_t a = 0; a < w->s->arches.n; a++) {
		char *key;
		bool fresh;
		if (!(op->arches >> a & 1))
			continue;
		key = xasprintf("%s@%zu", op->wrapper, a);
		fresh = strset_add(&w->seen, key);
		free(key);
		if (!fresh) {
			report_wrapper(w, op, a);
			return;
		}
	}
}

static void duplicate_wrapper(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	struct wrap_ctx w = {s, c, {0}};

	spec_each_op(s, wrapper1, &w);
	strset_free(&w.seen);
}

struct first_ctx {
	const struct spec_op *op, *first;
	size_t arch;
};

static void first_with_wrapper(struct spec_op *o, void *ctx)
{
	struct first_ctx *f = ctx;

	if (!f->first && o->kind != OP_FIELD && o->kind != OP_GROUP && strcmp(o->wrapper, f->op->wrapper) == 0 &&
	    (o->arches >> f->arch & 1))
		f->first = o;
}

/* Rare, so the earlier op of that wrapper is looked up only here. */
static void report_wrapper(struct wrap_ctx *w, const struct spec_op *op, size_t arch)
{
	struct first_ctx f = {op, NULL, arch};
	const struct node *n = node_get(op->node, "wrapper");

	spec_each_op(w->s, first_with_wrapper, &f);
	/* The same qname twice is check duplicate-name's to report, not this one's. */
	if (!f.first || strcmp(f.first->qname, op->qname) == 0)
		return;
	ERR(w->c, n ? n->pos : op->node->pos, "wrapper '%s' of '%s' is already the wrapper of '%s'%s",
	    op->wrapper, op->qname, f.first->qname, n ? "" : "; name it with 'wrapper:'");
	diag_note(f.first->node->pos, "'%s' is defined here", f.first->qname);
}

static void backend_refs(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	const char *names[64];
	size_t n = 0;

	for (size_t i = 0; i < s->backends.n && n + 1 < ARRAY_SIZE(names); i++)
		names[n++] = ((struct spec_backend *)s->backends.v[i])->name;
	names[n] = NULL;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		const struct node *fb = node_get(b->node, "fallback");
		if (fb && fb->kind == NODE_SCALAR && !b->fallback)
			one_word(c, fb, "backend", names);
	}
}

static void fallback_cycle(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i], *p = b->fallback;
		for (size_t hops = 0; p && hops <= s->backends.n; hops++, p = p->fallback) {
			if (p == b) {
				ERR(c, node_pos_of(b->node, "fallback"),
				    "backend '%s' falls back to itself through its fallbacks", b->name);
				break;
			}
		}
	}
}

static void names_of_ops(struct spec_op *op, void *ctx)
{
	vec_push(ctx, op->qname);
}

static void impl_refs(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	struct vec qnames = {0};

	spec_each_op(s, names_of_ops, &qnames);
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct node *ref = node_get(impl->node, "op");
			const char *best;
			if (impl->op || !ref)
				continue;
			best = qnames.n ? util_suggest(impl->qname, (const char *const *)qnames.v) : NULL;
			if (best && strcmp(best, impl->qname) == 0) { /* it exists, elsewhere */
				ERR(c, ref->pos, "backend '%s' implements '%s' on arches where no table declares it",
				    b->name, impl->qname);
				continue;
			}
			ERR(c, ref->pos, "backend '%s' implements '%s', which no table declares%s%s%s", b->name,
			    impl->qname, best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
		}
	}
	vec_free(&qnames);
}

struct where_ctx {
	const char *qname;
	archset set;
};

static void where1(struct spec_op *op, void *ctx)
{
	struct where_ctx *w = ctx;
	if (strcmp(op->qname, w->qname) == 0)
		w->set |= op->arches;
}

/* An implementation (or its code) given for an arch where no op of that name exists. */
static void impl_arch(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct node *code = impl->code, *arches = node_get(impl->node, "arches");
			struct where_ctx w = {impl->qname, 0};
			if (!impl->op)
				continue;
			spec_each_op(s, where1, &w);
			for (size_t k = 0; code && code->kind == NODE_MAP && k < code->n; k++) {
				const struct spec_arch *a = spec_arch(s, code->keys[k]->str);
				if (a && !((w.set & impl->arches) >> a->index & 1))
					ERR(c, code->keys[k]->pos, "code for %s, where '%s' %s", a->name, impl->qname,
					    (w.set >> a->index & 1) ? "this implementation does not apply"
								    : "does not exist");
			}
			for (size_t k = 0; arches && arches->kind == NODE_SEQ && k < arches->n; k++) {
				const struct spec_arch *a = spec_arch(s, arches->items[k]->str);
				if (a && !(w.set >> a->index & 1))
					ERR(c, arches->items[k]->pos, "'%s' does not exist on %s", impl->qname, a->name);
			}
		}
	}
}

static void impl_form(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct spec_op *op = impl->op;
			if (!op)
				continue;
			if (impl->none && !op->optional)
				ERR(c, node_pos_of(impl->node, "none"),
				    "'%s' may not be NULL: only ops marked 'optional: true' may be", op->qname);
			if (impl->value && op->kind != OP_FIELD)
				ERR(c, impl->value->pos, "'value' is for data fields; '%s' is a function", op->qname);
			if (op->kind == OP_FIELD && !impl->value)
				ERR(c, impl->node->pos, "data field '%s' needs a 'value'", op->qname);
			if (op->kind == OP_GROUP)
				ERR(c, node_pos_of(impl->node, "op"),
				    "'%s' is a nested table; implement its members one by one", op->qname);
		}
	}
}

/* The schema parsed every value; a string literal fits only a char pointer field. */
static void value_slot(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const char *t = impl->op ? impl->op->field_type : NULL;
			size_t n;
			if (!t || !impl->value || impl->value->kind != NODE_SCALAR || !lex_has_string(impl->value->str))
				continue;
			n = strlen(t);
			if (n < 5 || t[n - 1] != '*' || !strstr(t, "char"))
				ERR(c, impl->value->pos, "'%s' is a '%s', not a char pointer: its value cannot be a string literal",
				    impl->op->qname, t);
		}
	}
}

/* Register lists, after range expansion, name each register once: a register twice gives
 * wrong code (both halves of a result in one register, a constraint gcc cannot meet). */

static void dup_regs_in(const struct check *c, const struct node *n, const char *key)
{
	struct reglist l = {0};
	int first = -1, dup;

	if (n->kind == NODE_MAP) { /* per arch */
		for (size_t i = 0; i < n->n; i++)
			dup_regs_in(c, n->items[i], key);
		return;
	}
	regs_parse_quiet(n, &l);
	dup = reglist_duplicate(&l, &first);
	if (dup >= 0) {
		ERR(c, l.r[dup].pos, "'%s' lists register %s twice", key, l.r[dup].name);
		diag_note(l.r[first].pos, "first listed here");
	}
	reglist_free(&l);
}

static void dup_regs_walk(const struct check *c, const struct node *n)
{
	for (size_t i = 0; n && n->kind != NODE_SCALAR && i < n->n; i++) {
		const struct node *key = n->kind == NODE_MAP ? n->keys[i] : NULL;
		if (key && schema_register_key(key->str))
			dup_regs_in(c, n->items[i], key->str);
		else
			dup_regs_walk(c, n->items[i]);
	}
}

static void duplicate_register(const struct check_ctx *x, const struct check *c)
{
	dup_regs_walk(c, x->s->root);
}

static void type_bits(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->types.n; i++) {
		const struct spec_type *t = s->types.v[i];
		const struct node *bits = node_get(t->node, "bits");
		long long v;
		if (!bits || schema_scalar_int(bits, &v) || bits->kind == NODE_MAP) {
			for (size_t k = 0; bits && bits->kind == NODE_MAP && k < bits->n; k++)
				if (!schema_scalar_int(bits->items[k], &v))
					ERR(c, bits->items[k]->pos, "bits must be a number");
				else if (v <= 0 || v % 8 || v > 1024)
					ERR(c, bits->items[k]->pos, "bits must be a positive multiple of 8 up to 1024, not '%s'",
					    bits->items[k]->str);
			if (bits && schema_scalar_int(bits, &v) && (v <= 0 || v % 8 || v > 1024))
				ERR(c, bits->pos, "bits must be a positive multiple of 8 up to 1024, not '%s'", bits->str);
			continue;
		}
		ERR(c, bits->pos, "bits must be a number or a map of arch to number");
	}
}

struct use_ctx {
	const char *type;
	bool used;
};

static void type_use1(struct spec_op *op, void *ctx)
{
	struct use_ctx *u = ctx;

	if (op->has_sig) {
		u->used |= strcmp(op->sig.ret.base, u->type) == 0;
		for (int i = 0; i < op->sig.nparams; i++)
			u->used |= strcmp(op->sig.params[i].type.base, u->type) == 0;
	}
}

/* A warning, not an error: an unused type is harmless, but usually a typo elsewhere. */
static void unused_type(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->types.n; i++) {
		const struct spec_type *t = s->types.v[i];
		struct use_ctx u = {t->name, false};
		spec_each_op(s, type_use1, &u);
		if (!u.used)
			diag_warning(node_pos_of(t->node, "name"), c->name,
				     "type '%s' is declared but no signature uses it", t->name);
	}
}

/* A backend lives on its arches: what it implements, and the backend it falls back to, are
 * there too. */
static void backend_arches(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct node *own = node_get(impl->node, "arches");
			for (size_t k = 0; own && k < s->arches.n; k++) {
				const struct spec_arch *a = s->arches.v[k];
				if ((impl->arches >> a->index & 1) && !spec_backend_on(b, a)) {
					ERR(c, own->pos, "backend '%s' implements '%s' on %s, an arch it does not serve",
					    b->name, impl->qname, a->name);
					break;
				}
			}
		}
		if (b->fallback && (b->arches & ~b->fallback->arches))
			ERR(c, node_pos_of(b->node, "fallback"),
			    "backend '%s' falls back to '%s', which does not serve every arch '%s' does",
			    b->name, b->fallback->name, b->name);
	}
}

static const char *const policy_words[] = {"inline", "call", "indirect", "nops", NULL};

struct policy_ctx {
	const struct spec *s;
	const struct check *c;
	const struct spec_backend *b;
};

/* Does b, through its fallbacks, give op a sequence on some arch? */
static bool has_code(const struct spec *s, const struct spec_backend *b, const struct spec_op *op)
{
	for (size_t i = 0; i < s->arches.n; i++) {
		const struct spec_impl *impl = spec_impl(b, op, s->arches.v[i], NULL);
		if (impl && spec_for_arch(impl->code, s->arches.v[i]))
			return true;
	}
	return false;
}

static void policy_of_op(struct spec_op *op, void *ctx)
{
	const struct policy_ctx *p = ctx;
	const struct node *where = NULL;
	const char *how = op->kind == OP_GROUP || op->kind == OP_FIELD ? NULL : spec_policy(p->b, op, &where);
	bool known = false;

	const struct node *groups = node_get(p->b->node, "patch");
	bool of_group = false;

	if (!how || !(op->arches & p->b->arches))
		return;
	/* a group's word is checked once, for the group, and says nothing for its plain calls */
	for (size_t k = 0; groups && groups->kind == NODE_MAP && k < groups->n; k++)
		of_group |= groups->items[k] == where;
	if (of_group)
		return;
	for (const char *const *w = policy_words; *w; w++)
		known |= strcmp(*w, how) == 0;
	if (!known)
		one_word(p->c, where, "patch policy", policy_words);
	else if (op->kind == OP_CALL)
		ERR(p->c, where->pos, "'%s' is a plain call: it has no patch sites for a policy", op->qname);
	else if (strcmp(how, "nops") == 0 && (op->kind == OP_JUMP || op->sig.ret.cls != CT_VOID || op->sig.ret.ptr))
		ERR(p->c, where->pos, "'%s' %s: its sites cannot become NOPs", op->qname,
		    op->kind == OP_JUMP ? "never returns" : "returns a value");
	else if (strcmp(how, "inline") == 0 && !has_code(p->s, p->b, op))
		ERR(p->c, where->pos, "backend '%s' has no sequence for '%s' to inline", p->b->name, op->qname);
}

/* Is name a table or a group of ops (a prefix a `patch` key may name)? */
static void group_named(struct spec_op *op, void *ctx)
{
	const char **name = ctx;
	if (*name && op->kind == OP_GROUP && strcmp(op->qname, *name) == 0)
		*name = NULL;
}

/* A backend's patch policy: known words, only for ops with sites (NOPs only where nothing
 * is returned, inline only where there is a sequence), groups that exist. */
static void patch_policy(const struct check_ctx *x, const struct check *c)
{
	const struct spec *s = x->s;

	for (size_t i = 0; i < s->backends.n; i++) {
		struct policy_ctx p = {s, c, s->backends.v[i]};
		const struct node *groups = node_get(p.b->node, "patch");
		spec_each_op(s, policy_of_op, &p);
		for (size_t k = 0; groups && groups->kind == NODE_MAP && k < groups->n; k++) {
			const char *name = groups->keys[k]->str;
			for (size_t t = 0; name && t < s->tables.n; t++)
				if (strcmp(((struct spec_table *)s->tables.v[t])->name, name) == 0)
					name = NULL;
			spec_each_op(s, group_named, &name);
			if (name)
				ERR(c, groups->keys[k]->pos, "'%s' is neither a table nor a group of ops", name);
			else
				one_word(c, groups->items[k], "patch policy", policy_words);
		}
	}
}

static const struct check common_checks[] = {
	{"yaml-syntax", "the spec is well-formed YAML (reported by the loader)", NULL, NULL},
	{"duplicate-key", "no mapping repeats a key (loader)", NULL, NULL},
	{"yaml-alias", "no anchors or aliases (loader)", NULL, NULL},
	{"yaml-documents", "the spec is one YAML document (loader)", NULL, NULL},
	{"yaml-empty", "the spec is not empty (loader)", NULL, NULL},
	{"yaml-tag", "no YAML tag but !!str (a string): pvopsc implements no other (loader)", NULL, NULL},
	{"yaml-key", "mapping keys are plain strings (loader)", NULL, NULL},
	{"yaml-depth", "nesting stays within the loader's limit (loader)", NULL, NULL},
	{"yaml-nul", "no NUL character inside a scalar (loader)", NULL, NULL},
	{"yaml-line-break", "lines end with \\n or \\r\\n, not NEL, LS, PS or a lone CR (loader)", NULL, NULL},
	{"unknown-key", "every key is one the schema knows (schema)", NULL, NULL},
	{"missing-key", "every required key is there (schema)", NULL, NULL},
	{"integer-range", "every integer is within its key's range as written (--schema gives each range) (schema)", NULL, NULL},
	{"wrong-kind", "every value has the kind its key expects (schema)", NULL, NULL},
	{"duplicate-name", "names of arches, types, backends, ops in a table are unique (schema)", NULL, NULL},
	{"signature-syntax", "signatures are C function types 'RET (PARAMS)' (signature grammar)", NULL, NULL},
	{"signature-unknown-type", "signatures use built-in or declared types (signature grammar)", NULL, NULL},
	{"identifier", "every name that becomes a C or assembler identifier is one: [A-Za-z_][A-Za-z0-9_]* (schema)", NULL, NULL},
	{"comment-text", "text copied into a generated comment cannot end it: no '*/', '/*', '//' or control characters (schema)", NULL, NULL},
	{"expression", "values are expressions of numbers, names, operators and parentheses; a data field's value may add casts, and a string literal if the field is a char pointer", value_slot, NULL},
	{"register-syntax", "register lists hold names or ascending ranges (register grammar)", NULL, NULL},
	{"spec-version", "the spec is format 1", spec_version, NULL},
	{"spdx-license", "license is an SPDX identifier (GPL-2.0)", spdx_license, NULL},
	{"unknown-family", "every arch names a family the compiler has", arch_family, NULL},
	{"word-bits", "word_bits is 32 or 64", arch_word, NULL},
	{"unknown-arch", "every arch reference names a declared arch", unknown_arch, NULL},
	{"unknown-kind", "op and type kinds are known words", unknown_kind, NULL},
	{"op-form", "an op is exactly one of a function, a data field or a nested table", op_form, NULL},
	{"op-arches", "an op's arches are a subset of its table's", op_arches, NULL},
	{"duplicate-table", "a table is defined once per arch", duplicate_table, NULL},
	{"duplicate-wrapper", "two ops of an arch never share a wrapper name", duplicate_wrapper, NULL},
	{"unknown-backend", "a fallback names a declared backend", backend_refs, NULL},
	{"fallback-cycle", "fallbacks end at a backend without one", fallback_cycle, NULL},
	{"unknown-op", "a backend implements only ops some table declares", impl_refs, NULL},
	{"backend-arches", "a backend implements ops only on its arches, and its fallback serves them all", backend_arches, NULL},
	{"patch-policy", "a backend's patch policy names inline, call, indirect or nops, for ops with sites (nops: ones that return nothing; inline: ones it has a sequence for) or their tables and groups", patch_policy, NULL},
	{"impl-arch", "code is given only for arches the implementation covers", impl_arch, NULL},
	{"impl-form", "none only for optional ops, value only and always for fields", impl_form, NULL},
	{"duplicate-register", "no register list names a register twice, ranges expanded", duplicate_register, NULL},
	{"type-bits", "type sizes are positive multiples of 8, at most 1024", type_bits, NULL},
	{"unused-type", "warning: every declared type is used by some signature", unused_type, NULL},
	{NULL, NULL, NULL, NULL},
};

/* Has a check of this run, named in `prereqs`, failed? */
static bool prereq_failed(const char *const *prereqs, const struct strset *failed)
{
	for (const char *const *p = prereqs; p && *p; p++)
		if (strset_has(failed, *p))
			return true;
	return false;
}

/* `failed` holds the checks that reported an error: a family's check may name a common one as
 * its prerequisite (a misspelt kind makes no follow-on site errors). */
static void run_table(const struct check_ctx *x, const struct check *table, struct strset *failed)
{
	for (const struct check *c = table; c->name; c++) {
		int before = diag_error_count();
		if (!c->run || prereq_failed(c->prereqs, failed))
			continue;
		c->run(x, c);
		if (diag_error_count() > before)
			strset_add(failed, c->name);
	}
}

bool check_spec(const struct spec *s, const struct analysis *an)
{
	int before = diag_error_count();
	struct check_ctx common = {s, NULL, NULL};

	struct strset common_failed = {0};

	run_table(&common, common_checks, &common_failed);
	for (size_t i = 0; i < an->n; i++) {
		struct check_ctx x = {s, an->v[i].a, an->v[i].view};
		struct strset failed = {0};
		/* NULL: the arch is too broken to analyse, and a common check said why; an arch
		 * --arch leaves out is not checked */
		for (size_t k = 0; k < common_failed.cap; k++)
			if (common_failed.slot[k])
				strset_add(&failed, common_failed.slot[k]);
		if (x.view && spec_selected(s, x.a))
			run_table(&x, an->v[i].f->checks, &failed);
		strset_free(&failed);
	}
	strset_free(&common_failed);
	return diag_error_count() == before;
}

const struct check *check_find(const char *name, const char **near)
{
	const char *names[512];
	size_t n = 0;

	for (const struct check *c = common_checks; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
		if (n + 1 < ARRAY_SIZE(names))
			names[n++] = c->name;
	}
	for (const struct family *const *f = families; *f; f++)
		for (const struct check *c = (*f)->checks; c->name; c++) {
			if (strcmp(c->name, name) == 0)
				return c;
			if (n + 1 < ARRAY_SIZE(names))
				names[n++] = c->name;
		}
	names[n] = NULL;
	if (near)
		*near = util_suggest(name, names);
	return NULL;
}

bool check_is_warning(const struct check *c)
{
	return strncmp(c->doc, "warning:", 8) == 0;
}

void check_list(FILE *out)
{
	fprintf(out, "common:\n");
	for (const struct check *c = common_checks; c->name; c++)
		fprintf(out, "  %-26s %s\n", c->name, c->doc);
	for (const struct family *const *f = families; *f; f++) {
		fprintf(out, "%s:\n", (*f)->name);
		for (const struct check *c = (*f)->checks; c->name; c++)
			fprintf(out, "  %-26s %s\n", c->name, c->doc);
	}
}
