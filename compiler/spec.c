/* spec.c: the validated node tree -> the typed spec.
 *
 * Building is defensive: it runs even when validation found errors (so one run reports every
 * mistake), skips what has the wrong shape (validation said so already), and leaves references
 * it cannot resolve as NULL for the named checks (check.c) to report. */
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "schema.h"
#include "sha256.h"

static const char *str_of(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return n && n->kind == NODE_SCALAR ? n->str : NULL;
}

static char *dup_of(const struct node *map, const char *key, const char *dflt)
{
	const char *s = str_of(map, key);
	return s ? xstrdup(s) : dflt ? xstrdup(dflt) : NULL;
}

static long long int_of(const struct node *map, const char *key, long long dflt)
{
	long long v;
	return schema_scalar_int(node_get(map, key), &v) ? v : dflt;
}

static bool bool_of(const struct node *map, const char *key)
{
	bool v = false;
	schema_scalar_bool(node_get(map, key), &v);
	return v;
}

static void regs_of(const struct node *map, const char *key, struct reglist *l)
{
	const struct node *n = node_get(map, key);
	if (n)
		regs_parse(n, l);
}

/* Items of a list node that are maps (the schema reported the others). */
#define EACH_MAP(list, i, item)                                                                     \
	for (size_t i = 0; (list) && (list)->kind == NODE_SEQ && i < (list)->n; i++)                \
		if (((item) = (list)->items[i])->kind == NODE_MAP)

struct spec_arch *spec_arch(const struct spec *s, const char *name)
{
	for (size_t i = 0; name && i < s->arches.n; i++) {
		struct spec_arch *a = s->arches.v[i];
		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

/* A names node (scalar or list) -> arch set; unknown names are left for check unknown-arch. */
static archset archset_of(const struct spec *s, const struct node *n, archset dflt)
{
	archset set = 0;

	if (!n)
		return dflt;
	if (n->kind == NODE_SCALAR)
		return spec_arch(s, n->str) ? 1u << spec_arch(s, n->str)->index : 0;
	for (size_t i = 0; n->kind == NODE_SEQ && i < n->n; i++) {
		struct spec_arch *a = n->items[i]->kind == NODE_SCALAR ? spec_arch(s, n->items[i]->str) : NULL;
		if (a)
			set |= 1u << a->index;
	}
	return set;
}

/* A build condition: "SYM", "!SYM" or "SYM OP N" terms joined by "&&", SYM a Kconfig symbol
 * without its CONFIG_ prefix. Each term becomes a block of its own, nested in spec order. */
static void cond_parse(const struct node *n, struct vec *into)
{
	static const char *const ops[] = {">=", "<=", "==", "!=", ">", "<"};
	const char *p;

	if (!n || n->kind != NODE_SCALAR)
		return;
	for (p = n->str;;) {
		const char *sym, *op = NULL;
		size_t len;
		bool neg;
		long long v = 0;
		const char *bad = NULL;

		while (*p == ' ')
			p++;
		neg = *p == '!';
		p += neg;
		for (sym = p; isalnum((unsigned char)*p) || *p == '_'; p++)
			;
		len = (size_t)(p - sym);
		while (*p == ' ')
			p++;
		for (size_t i = 0; !neg && i < ARRAY_SIZE(ops) && !op; i++)
			if (strncmp(p, ops[i], strlen(ops[i])) == 0)
				op = ops[i];
		if (op) {
			char *end;
			for (p += strlen(op); *p == ' '; p++)
				;
			errno = 0;
			v = strtoll(p, &end, 0);
			if (end == p || errno)
				bad = p;
			for (p = bad ? p : end; *p == ' '; p++)
				;
		}
		if (!len || isdigit((unsigned char)sym[0]))
			bad = sym;
		else if (!bad && *p && strncmp(p, "&&", 2) != 0)
			bad = p;
		if (bad) {
			diag_error(node_pos_at(n, (size_t)(bad - n->str)), "config-syntax",
				   "bad build condition '%s': expected SYM, !SYM or SYM OP NUMBER, joined by &&", n->str);
			return;
		}
		struct spec_cond *c = xcalloc(1, sizeof(*c));
		if (op) {
			c->expr = xasprintf("CONFIG_%.*s %s %lld", (int)len, sym, op, v);
			c->open = xasprintf("#if %s", c->expr);
		} else {
			c->expr = xasprintf("%sCONFIG_%.*s", neg ? "!" : "", (int)len, sym);
			c->open = xasprintf("#if%s CONFIG_%.*s", neg ? "ndef" : "def", (int)len, sym);
		}
		vec_push(into, c);
		if (!*p)
			return;
		p += 2;
	}
}

static void cond_free(struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		struct spec_cond *c = v->v[i];
		free(c->open);
		free(c->expr);
		free(c);
	}
	vec_free(v);
}

static void load_arches(struct spec *s)
{
	const struct node *list = node_get(s->root, "arches"), *m;

	EACH_MAP(list, i, m) {
		struct spec_arch *a = xcalloc(1, sizeof(*a));
		const struct node *f = node_get(m, "features");

		if (s->arches.n == MAX_ARCHES) {
			diag_error(m->pos, "too-many-arches", "more than %d arches", MAX_ARCHES);
			free(a);
			break;
		}
		a->node = m;
		a->index = (int)s->arches.n;
		a->name = dup_of(m, "name", "");
		a->family = dup_of(m, "family", "");
		a->word_bits = (int)int_of(m, "word_bits", 0);
		a->stack_args = (int)int_of(m, "stack_args", 0);
		regs_of(m, "arg_regs", &a->arg_regs);
		regs_of(m, "ret_regs", &a->ret_regs);
		regs_of(m, "call_clobbers", &a->call_clobbers);
		regs_of(m, "callee_save_clobbers", &a->callee_save_clobbers);
		regs_of(m, "clobber_mask", &a->clobber_mask);
		if (f && f->kind == NODE_SCALAR)
			vec_push(&a->features, xstrdup(f->str));
		for (size_t j = 0; f && f->kind == NODE_SEQ && j < f->n; j++)
			if (f->items[j]->kind == NODE_SCALAR)
				vec_push(&a->features, xstrdup(f->items[j]->str));
		vec_push(&s->arches, a);
	}
}

static void load_types(struct spec *s)
{
	const struct node *list = node_get(s->root, "types"), *m;

	EACH_MAP(list, i, m) {
		struct spec_type *t = xcalloc(1, sizeof(*t));
		const struct node *bits = node_get(m, "bits");
		long long v;

		t->node = m;
		t->name = dup_of(m, "name", "");
		t->kind = dup_of(m, "kind", "");
		t->raw = dup_of(m, "raw", NULL);
		t->get = dup_of(m, "get", NULL);
		t->make = dup_of(m, "make", NULL);
		if (schema_scalar_int(bits, &v)) {
			for (size_t a = 0; a < s->arches.n; a++)
				t->bits[a] = (int)v;
		} else if (bits && bits->kind == NODE_MAP) {
			for (size_t j = 0; j < bits->n; j++) {
				struct spec_arch *a = spec_arch(s, bits->keys[j]->str);
				if (a && schema_scalar_int(bits->items[j], &v))
					t->bits[a->index] = (int)v;
			}
		}
		vec_push(&s->types, t);
	}
}

static bool is_declared_type(const char *name, void *ctx)
{
	const struct spec *s = ctx;

	for (size_t i = 0; i < s->types.n; i++) {
		const struct spec_type *t = s->types.v[i];
		if (strcmp(t->name, name) == 0)
			return true;
	}
	return false;
}

#define WRITTEN_KINDS "call", "patchable", "callee_save", "jump" /* OP_CALL .. OP_JUMP */
const char *const op_kind_words[] = {WRITTEN_KINDS, "field", "group", NULL};
const char *const op_written_kinds[] = {WRITTEN_KINDS, NULL};

int spec_kind_of_word(const char *word)
{
	for (int i = 0; word && op_written_kinds[i]; i++)
		if (strcmp(word, op_written_kinds[i]) == 0)
			return i;
	return -1;
}

static enum op_kind kind_of(const struct node *m)
{
	int k = spec_kind_of_word(str_of(m, "kind"));

	return k < 0 ? OP_CALL : (enum op_kind)k; /* an unknown word is check unknown-kind's to report */
}

/* `wrapper: NAME` or `wrapper: {name, sig, args, inline, config}`. */
static void load_wrapper(struct spec *s, struct spec_op *op, const struct node *w)
{
	const struct node *sig = node_get(w, "sig"), *args = node_get(w, "args"), *cfg = node_get(w, "config");

	if (!w || w->kind != NODE_MAP) {
		op->wrapper = w && w->kind == NODE_SCALAR ? xstrdup(w->str) : xstrdup(op->name);
		return;
	}
	op->wrapper = dup_of(w, "name", op->name);
	if (sig && sig->kind == NODE_SCALAR)
		op->has_wrapper_sig = sig_parse_memo(&s->sig_memo, sig, is_declared_type, s, &op->wrapper_sig);
	if (args && args->kind == NODE_SCALAR)
		vec_push(&op->wrapper_args, xstrdup(args->str));
	for (size_t i = 0; args && args->kind == NODE_SEQ && i < args->n; i++)
		if (args->items[i]->kind == NODE_SCALAR)
			vec_push(&op->wrapper_args, xstrdup(args->items[i]->str));
	op->always_inline = node_is(node_get(w, "inline"), "always");
	if (node_get(w, "inline") && !op->always_inline)
		diag_error(node_get(w, "inline")->pos, "wrapper-inline", "a wrapper's 'inline' can only be 'always'");
	op->has_wrapper_config = cfg != NULL;
	cond_parse(cfg, &op->wrapper_config);
}

static void load_ops(struct spec *s, struct spec_table *t, struct spec_op *group, const struct node *list,
		     struct vec *into)
{
	const struct node *m;

	EACH_MAP(list, i, m) {
		struct spec_op *op = xcalloc(1, sizeof(*op));
		const struct node *sig = node_get(m, "sig");

		op->node = m;
		op->doc = node_get(m, "doc");
		op->name = dup_of(m, "name", "");
		op->qname = xasprintf("%s.%s", group ? group->qname : t->name, op->name);
		op->table = t;
		op->group = group;
		load_wrapper(s, op, node_get(m, "wrapper"));
		cond_parse(node_get(m, "config"), &op->config);
		op->arches = archset_of(s, node_get(m, "arches"), group ? group->arches : t->arches);
		op->optional = bool_of(m, "optional");
		op->clobbers = node_get(m, "clobbers");
		op->field_type = dup_of(m, "type", NULL);
		op->struct_name = dup_of(m, "struct", NULL);
		if (op->struct_name) {
			op->kind = OP_GROUP;
			load_ops(s, t, op, node_get(m, "ops"), &op->ops);
		} else if (op->field_type && !sig) {
			op->kind = OP_FIELD;
		} else {
			op->kind = kind_of(m);
		}
		if (sig && sig->kind == NODE_SCALAR && !schema_cut_signature(m, NULL))
			op->has_sig = sig_parse_memo(&s->sig_memo, sig, is_declared_type, s, &op->sig);
		vec_push(into, op);
	}
}

static void load_tables(struct spec *s)
{
	const struct node *list = node_get(s->root, "tables"), *m;
	archset all = s->arches.n >= 32 ? ~0u : (1u << s->arches.n) - 1;

	EACH_MAP(list, i, m) {
		struct spec_table *t = xcalloc(1, sizeof(*t));

		t->node = m;
		t->doc = node_get(m, "doc");
		t->name = dup_of(m, "name", "");
		t->struct_name = dup_of(m, "struct", t->name);
		cond_parse(node_get(m, "config"), &t->config);
		t->arches = archset_of(s, node_get(m, "arches"), all);
		load_ops(s, t, NULL, node_get(m, "ops"), &t->ops);
		vec_push(&s->tables, t);
	}
}

static void find_op(struct spec_op *op, void *ctx)
{
	struct {
		const char *qname;
		archset arches;
		struct spec_op *found;
	} *q = ctx;

	if (!q->found && strcmp(op->qname, q->qname) == 0 && (op->arches & q->arches))
		q->found = op;
}

/* The op named qname that exists on some arch of `arches`. */
static struct spec_op *op_named(const struct spec *s, const char *qname, archset arches)
{
	struct {
		const char *qname;
		archset arches;
		struct spec_op *found;
	} q = {qname, arches, NULL};

	spec_each_op(s, find_op, &q);
	return q.found;
}

struct spec_op *spec_find_op(const struct spec *s, const char *qname)
{
	return op_named(s, qname, ~0u);
}

/* A constant is `NAME: value` or `NAME: {value: v, arches: [...]}`. */
static const struct node *constant_at(const struct spec *s, size_t i, const struct spec_arch *a)
{
	const struct node *v = s->constants->items[i];

	if (v->kind == NODE_SCALAR)
		return v;
	if (a && !((archset_of(s, node_get(v, "arches"), ~0u) >> a->index) & 1))
		return NULL;
	v = node_get(v, "value");
	return v && v->kind == NODE_SCALAR ? v : NULL;
}

const struct node *spec_constant(const struct spec *s, const char *name, const struct spec_arch *a)
{
	for (size_t i = 0; s->constants && s->constants->kind == NODE_MAP && i < s->constants->n; i++)
		if (strcmp(s->constants->keys[i]->str, name) == 0)
			return constant_at(s, i, a);
	return NULL;
}

/* `prefix: {ia64: ia64_native_}`: per-arch prefixes; arches not named keep the default. */
static void load_prefixes(const struct spec *s, struct spec_backend *b, const struct node *map)
{
	for (size_t i = 0; map && map->kind == NODE_MAP && i < map->n; i++) {
		const struct spec_arch *a = spec_arch(s, map->keys[i]->str);
		if (a && map->items[i]->kind == NODE_SCALAR) {
			free(b->arch_prefix[a->index]);
			b->arch_prefix[a->index] = xstrdup(map->items[i]->str);
		}
	}
}

const char *spec_policy(const struct spec_backend *b, const struct spec_op *op, const struct node **where)
{
	const struct node *groups = node_get(b->node, "patch"), *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < b->impls.n; i++) {
		const struct spec_impl *impl = b->impls.v[i];
		const struct node *p = node_get(impl->node, "patch");
		if (p && p->kind == NODE_SCALAR && strcmp(impl->qname, op->qname) == 0 && (impl->arches & op->arches)) {
			if (where)
				*where = p;
			return p->str;
		}
	}
	/* the innermost group: the longest key that is op's qname up to a dot */
	for (size_t i = 0; groups && groups->kind == NODE_MAP && i < groups->n; i++) {
		const char *k = groups->keys[i]->str;
		size_t n = strlen(k);
		if (n > best_len && strncmp(op->qname, k, n) == 0 && op->qname[n] == '.' &&
		    groups->items[i]->kind == NODE_SCALAR) {
			best = groups->items[i];
			best_len = n;
		}
	}
	if (where)
		*where = best;
	return best ? best->str : NULL;
}

bool spec_backend_on(const struct spec_backend *b, const struct spec_arch *a)
{
	return (b->arches >> a->index) & 1;
}

void spec_backends_on(const struct spec *s, const struct spec_arch *a, struct vec *out)
{
	for (size_t i = 0; i < s->backends.n; i++)
		if (spec_backend_on(s->backends.v[i], a))
			vec_push(out, s->backends.v[i]);
}

bool spec_selected(const struct spec *s, const struct spec_arch *a)
{
	return (s->selected >> a->index) & 1;
}

const char *spec_prefix(const struct spec_backend *b, const struct spec_arch *a)
{
	return b->arch_prefix[a->index] ? b->arch_prefix[a->index] : b->prefix;
}

static void load_backends(struct spec *s)
{
	const struct node *list = node_get(s->root, "backends"), *m, *im;

	EACH_MAP(list, i, m) {
		struct spec_backend *b = xcalloc(1, sizeof(*b));
		const char *name = str_of(m, "name");

		b->node = m;
		b->name = xstrdup(name ? name : "");
		b->prefix = str_of(m, "prefix") ? xstrdup(str_of(m, "prefix")) : xasprintf("%s_", b->name);
		load_prefixes(s, b, node_get(m, "prefix"));
		b->hypervisor_type = int_of(m, "hypervisor_type", 0);
		b->arches = archset_of(s, node_get(m, "arches"), ~0u);
		EACH_MAP(node_get(m, "impl"), j, im) {
			struct spec_impl *impl = xcalloc(1, sizeof(*impl));
			const char *ref = str_of(im, "op");

			impl->node = im;
			impl->qname = xstrdup(ref ? ref : "");
			impl->arches = archset_of(s, node_get(im, "arches"), b->arches);
			impl->op = op_named(s, impl->qname, impl->arches);
			impl->symbol = dup_of(im, "symbol", NULL);
			impl->nop = bool_of(im, "nop");
			impl->none = bool_of(im, "none");
			impl->code = node_get(im, "code");
			impl->value = node_get(im, "value");
			vec_push(&b->impls, impl);
		}
		vec_push(&s->backends, b);
	}
	/* Fallbacks by name, once every backend exists. */
	for (size_t i = 0; i < s->backends.n; i++) {
		struct spec_backend *b = s->backends.v[i];
		const char *fb = str_of(b->node, "fallback");
		for (size_t j = 0; fb && j < s->backends.n; j++)
			if (strcmp(((struct spec_backend *)s->backends.v[j])->name, fb) == 0)
				b->fallback = s->backends.v[j];
	}
}

static void load_static_calls(struct spec *s)
{
	const struct node *m;

	EACH_MAP(node_get(s->root, "static_calls"), i, m) {
		struct spec_static_call *c = xcalloc(1, sizeof(*c));
		const struct node *sig = node_get(m, "sig");

		c->node = m;
		c->name = dup_of(m, "name", "");
		c->dflt = dup_of(m, "default", "");
		c->wrapper = dup_of(m, "wrapper", c->name);
		if (sig && sig->kind == NODE_SCALAR)
			c->has_sig = sig_parse_memo(&s->sig_memo, sig, is_declared_type, s, &c->sig);
		vec_push(&s->static_calls, c);
	}
}

struct spec *spec_read(const char *path)
{
	size_t len;
	char *text = util_read_file(path, &len);

	if (!text) {
		diag_error((struct pos){path, 0, 0}, "io", "cannot read the spec: %s", strerror(errno));
		return NULL;
	}
	return spec_read_text(path, text, len);
}

struct spec *spec_read_text(const char *name, char *text, size_t len)
{
	struct spec *s = xcalloc(1, sizeof(*s));

	s->selected = ~0u;
	s->src = diag_source(name, text, len);
	sha256_hex(text, len, s->hash);
	free(text);
	s->root = load_yaml(s->src);
	if (!s->root || s->root->kind != NODE_MAP) {
		if (s->root)
			diag_error(s->root->pos, "wrong-kind", "the spec must be a mapping of sections");
		spec_free(s);
		return NULL;
	}
	return s;
}

void spec_type(struct spec *s)
{
	s->constants = node_get(s->root, "constants");
	s->asm_macros = node_get(s->root, "asm_macros");
	s->license = str_of(s->root, "license");
	load_arches(s);
	load_types(s);
	load_tables(s);
	load_backends(s);
	load_static_calls(s);
	sig_memo_free(s->sig_memo);
	s->sig_memo = NULL;
	s->template_set = dup_of(s->root, "templates", NULL);
}

static struct spec *validate_and_type(struct spec *s)
{
	if (s) {
		schema_validate(s->root);
		spec_type(s);
	}
	return s;
}

struct spec *spec_load(const char *path)
{
	return validate_and_type(spec_read(path));
}

struct spec *spec_parse(const char *name, char *text, size_t len)
{
	return validate_and_type(spec_read_text(name, text, len));
}

static void free_op(struct spec_op *op)
{
	for (size_t i = 0; i < op->ops.n; i++)
		free_op(op->ops.v[i]);
	vec_free(&op->ops);
	if (op->has_sig)
		sig_free(&op->sig);
	free(op->name);
	free(op->qname);
	free(op->wrapper);
	if (op->has_wrapper_sig)
		sig_free(&op->wrapper_sig);
	for (size_t i = 0; i < op->wrapper_args.n; i++)
		free(op->wrapper_args.v[i]);
	vec_free(&op->wrapper_args);
	cond_free(&op->config);
	cond_free(&op->wrapper_config);
	free(op->field_type);
	free(op->struct_name);
	free(op);
}

static void free_arch(struct spec_arch *a)
{
	reglist_free(&a->arg_regs);
	reglist_free(&a->ret_regs);
	reglist_free(&a->call_clobbers);
	reglist_free(&a->callee_save_clobbers);
	reglist_free(&a->clobber_mask);
	for (size_t j = 0; j < a->features.n; j++)
		free(a->features.v[j]);
	vec_free(&a->features);
	free(a->name);
	free(a->family);
	free(a);
}

static void free_type(struct spec_type *t)
{
	free(t->name);
	free(t->kind);
	free(t->raw);
	free(t->get);
	free(t->make);
	free(t);
}

static void free_table(struct spec_table *t)
{
	for (size_t j = 0; j < t->ops.n; j++)
		free_op(t->ops.v[j]);
	vec_free(&t->ops);
	cond_free(&t->config);
	free(t->name);
	free(t->struct_name);
	free(t);
}

static void free_backend(struct spec_backend *b)
{
	for (size_t j = 0; j < b->impls.n; j++) {
		struct spec_impl *impl = b->impls.v[j];
		free(impl->qname);
		free(impl->symbol);
		free(impl);
	}
	vec_free(&b->impls);
	free(b->name);
	free(b->prefix);
	for (int k = 0; k < MAX_ARCHES; k++)
		free(b->arch_prefix[k]);
	free(b);
}

static void free_static_call(struct spec_static_call *c)
{
	if (c->has_sig)
		sig_free(&c->sig);
	free(c->name);
	free(c->dflt);
	free(c->wrapper);
	free(c);
}

void spec_free(struct spec *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->arches.n; i++)
		free_arch(s->arches.v[i]);
	for (size_t i = 0; i < s->types.n; i++)
		free_type(s->types.v[i]);
	for (size_t i = 0; i < s->tables.n; i++)
		free_table(s->tables.v[i]);
	for (size_t i = 0; i < s->backends.n; i++)
		free_backend(s->backends.v[i]);
	for (size_t i = 0; i < s->static_calls.n; i++)
		free_static_call(s->static_calls.v[i]);
	vec_free(&s->static_calls);
	free(s->template_set);
	vec_free(&s->arches);
	vec_free(&s->types);
	vec_free(&s->tables);
	vec_free(&s->backends);
	node_free(s->root);
	free(s);
}

static void each_op(struct vec *ops, void (*fn)(struct spec_op *, void *), void *ctx)
{
	for (size_t i = 0; i < ops->n; i++) {
		struct spec_op *op = ops->v[i];
		fn(op, ctx);
		each_op(&op->ops, fn, ctx);
	}
}

void spec_each_op(const struct spec *s, void (*fn)(struct spec_op *op, void *ctx), void *ctx)
{
	for (size_t i = 0; i < s->tables.n; i++)
		each_op(&((struct spec_table *)s->tables.v[i])->ops, fn, ctx);
}

const struct spec_impl *spec_impl(const struct spec_backend *b, const struct spec_op *op,
				  const struct spec_arch *a, const struct spec_backend **from)
{
	archset where = a ? op->arches & (1u << a->index) : op->arches;

	/* The hop limit guards a fallback cycle, which check fallback-cycle reports. */
	for (int hops = 0; b && hops < 16; b = b->fallback, hops++) {
		for (size_t i = 0; i < b->impls.n; i++) {
			const struct spec_impl *impl = b->impls.v[i];
			if (strcmp(impl->qname, op->qname) == 0 && (impl->arches & where)) {
				if (from)
					*from = b;
				return impl;
			}
		}
	}
	return NULL;
}

const struct node *spec_for_arch(const struct node *archmap, const struct spec_arch *a)
{
	return node_get(archmap, a->name);
}

int spec_type_bits(const struct spec *s, const struct ctype *t, const struct spec_arch *a)
{
	if (t->ptr > 0 || t->cls == CT_PTR)
		return a->word_bits;
	if (t->cls == CT_VOID)
		return 0;
	if (t->cls == CT_INT)
		return t->int_bits < 0 ? a->word_bits : t->int_bits;
	for (size_t i = 0; i < s->types.n; i++) {
		const struct spec_type *st = s->types.v[i];
		if (strcmp(st->name, t->base) == 0)
			return st->bits[a->index];
	}
	return 0;
}
