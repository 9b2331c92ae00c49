/* model.c: the part of every arch's model that does not depend on the family. */
#include "model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "lexeme.h"

bool model_op_on_arch(const struct spec_op *op, const struct spec_arch *a)
{
	return (op->arches >> a->index) & 1;
}

void model_doc(struct tval *m, const struct node *doc)
{
	char *line = lex_comment_line(doc && doc->kind == NODE_SCALAR ? doc->str : "");

	tv_set_str(m, "doc", line);
	free(line);
}


char *c_declare(const char *type, const char *name)
{
	size_t n = strlen(type);
	return xasprintf("%s%s%s", type, n && type[n - 1] == '*' ? "" : " ", name);
}

char *cname_of(const char *qname)
{
	char *c = xstrdup(qname);
	for (char *p = c; *p; p++)
		if (*p == '.')
			*p = '_';
	return c;
}

/* A name for unnamed parameter i that no named parameter of the signature already has. */
static char *unnamed(const struct csig *sig, int i)
{
	char *name = xasprintf("arg%d", i);

	for (int j = 0; j < sig->nparams; j++) {
		if (sig->params[j].name && strcmp(sig->params[j].name, name) == 0) {
			char *longer = xasprintf("_%s", name);
			free(name);
			name = longer;
			j = -1; /* check the longer name against all of them again */
		}
	}
	return name;
}

/* The key pfx + name: prefixes and names are short literals. */
static const char *prefixed(char key[static 32], const char *pfx, const char *name)
{
	size_t a = strlen(pfx), b = strlen(name);

	assert(a + b < 32);
	memcpy(key, pfx, a);
	memcpy(key + a, name, b + 1);
	return key;
}

/* A signature's parts, under keys named with prefix pfx: ret, returns, params[] (type, name,
 * decl, index), args ("a, b"), param_decls ("int a, int b" or "void"). */
static void add_sig(struct tval *m, const struct csig *sig, const char *pfx)
{
	char key[32];
	struct tval *params = tv_set(m, prefixed(key, pfx, "params"), tv_list());
	struct buf args = {0}, decls = {0};

	tv_set_str(m, prefixed(key, pfx, "ret"), sig->ret.spelling);
	tv_set_bool(m, prefixed(key, pfx, "returns"), sig->ret.cls != CT_VOID);
	for (int i = 0; i < sig->nparams; i++) {
		const struct cparam *p = &sig->params[i];
		struct tval *pm = tv_add_map(params);
		char *name = p->name ? xstrdup(p->name) : unnamed(sig, i);
		char *decl = c_declare(p->type.spelling, name);

		tv_set_str(pm, "type", p->type.spelling);
		tv_set_str(pm, "name", name);
		tv_set_str(pm, "decl", decl);
		tv_set_int(pm, "index", i);
		if (i) {
			buf_puts(&args, ", ");
			buf_puts(&decls, ", ");
		}
		buf_puts(&args, name);
		buf_puts(&decls, decl);
		free(name);
		free(decl);
	}
	tv_set_str(m, prefixed(key, pfx, "args"), args.data ? args.data : "");
	tv_set_str(m, prefixed(key, pfx, "param_decls"), decls.data ? decls.data : "void");
	buf_free(&args);
	buf_free(&decls);
}

static void add_signature(struct tval *m, const struct spec_op *op)
{
	add_sig(m, &op->sig, "");
	char *ptr = xasprintf("(*%s)", op->name);
	char *head = c_declare(op->sig.ret.spelling, ptr);
	tv_set_strf(m, "proto", "%s(%s)", head, tv_get(m, "param_decls")->str);
	free(ptr);
	free(head);
}

/* The preprocessor lines between a member under conditions `from` and one under `to`: the
 * blocks they do not share close, innermost first, then the new ones open. */
static char *cond_step(const struct vec *from, const struct vec *to)
{
	struct buf b = {0};
	size_t k = 0;

	buf_puts(&b, "");
	while (k < from->n && k < to->n &&
	       strcmp(((struct spec_cond *)from->v[k])->open, ((struct spec_cond *)to->v[k])->open) == 0)
		k++;
	for (size_t i = from->n; i > k; i--)
		buf_printf(&b, "#endif /* %s */\n", ((struct spec_cond *)from->v[i - 1])->expr);
	for (size_t i = k; i < to->n; i++)
		buf_printf(&b, "%s\n", ((struct spec_cond *)to->v[i])->open);
	return buf_steal(&b);
}

static const struct vec no_conds;

static void set_cond_step(struct tval *m, const char *key, const struct vec *from, const struct vec *to)
{
	char *lines = cond_step(from, to);
	tv_set_str(m, key, lines);
	free(lines);
}

/* Every condition op exists under: its table's, its groups' (outermost first), its own. */
static void cond_chain(const struct spec_op *op, struct vec *into)
{
	if (op->group)
		cond_chain(op->group, into);
	else
		for (size_t i = 0; i < op->table->config.n; i++)
			vec_push(into, op->table->config.v[i]);
	for (size_t i = 0; i < op->config.n; i++)
		vec_push(into, op->config.v[i]);
}

/* The wrapper: its signature (wrapper_*), the expressions it passes to the op (call_args[]:
 * expr, and param: the wrapper's parameter when it is passed as it is), its inline keyword. */
static void add_wrapper(struct tval *m, const struct spec_op *op)
{
	const struct csig *sig = op->has_wrapper_sig ? &op->wrapper_sig : &op->sig;
	struct tval *args;

	add_sig(m, sig, "wrapper_");
	tv_set_str(m, "wrapper_inline", op->always_inline ? "__always_inline" : "inline");
	args = tv_set(m, "call_args", tv_list());
	if (op->wrapper_args.n) {
		for (size_t i = 0; i < op->wrapper_args.n; i++)
			tv_set_str(tv_add_map(args), "expr", op->wrapper_args.v[i]);
		return;
	}
	const struct tval *params = tv_get(m, "wrapper_params");
	for (size_t i = 0; i < params->n; i++) {
		struct tval *e = tv_add_map(args);
		tv_set_str(e, "expr", tv_get(params->items[i], "name")->str);
		tv_set_str(e, "type", tv_get(params->items[i], "type")->str);
	}
}

struct ctx {
	const struct spec *s;
	const struct spec_arch *a;
	model_op_hook hook;
	void *hook_ctx;
	struct tval *flat; /* root.ops */
	struct vec flat_ops; /* the spec_op of each of them */
	struct tval *nested; /* root.struct_defs: every group's struct, inner ones first, once; tables */
	struct strset nested_seen;
};

/* Members in order, each with cond_before (the preprocessor lines from the previous member's
 * conditions to its own) and if_open / if_close (its own alone); `owner` gets cond_end, the
 * lines after the last one. */
static void add_members(struct ctx *c, const struct vec *ops, struct tval *list, struct tval *owner)
{
	const struct vec *prev = &no_conds;

	for (size_t i = 0; i < ops->n; i++) {
		const struct spec_op *op = ops->v[i];
		const struct node *doc = node_get(op->node, "doc");
		struct tval *m;
		char *cname;
		bool flat_add = false;

		if (!model_op_on_arch(op, c->a))
			continue;
		m = tv_add_map(list);
		cname = cname_of(op->qname);
		tv_set_str(m, "name", op->name);
		tv_set_str(m, "qname", op->qname);
		tv_set_str(m, "cname", cname);
		tv_set_str(m, "table", op->table->name);
		model_doc(m, doc);
		tv_set_str(m, "kind", op_kind_words[op->kind]);
		tv_set_bool(m, "is_field", op->kind == OP_FIELD);
		tv_set_bool(m, "is_group", op->kind == OP_GROUP);
		tv_set_bool(m, "is_func", op->kind != OP_FIELD && op->kind != OP_GROUP);
		tv_set_bool(m, "optional", op->optional);
		tv_set_str(m, "wrapper", op->wrapper);
		set_cond_step(m, "cond_before", prev, &op->config);
		set_cond_step(m, "if_open", &no_conds, &op->config);
		set_cond_step(m, "if_close", &op->config, &no_conds);
		prev = &op->config;
		free(cname);
		if (op->kind == OP_FIELD) {
			char *decl = c_declare(op->field_type, op->name);
			tv_set_str(m, "type", op->field_type);
			tv_set_str(m, "decl", decl);
			free(decl);
		} else if (op->kind == OP_GROUP) {
			tv_set_str(m, "struct", op->struct_name);
			add_members(c, &op->ops, tv_set(m, "members", tv_list()), m);
			if (strset_add(&c->nested_seen, op->struct_name))
				tv_add(c->nested, tv_ref(m));
		} else if (op->has_sig) {
			add_signature(m, op);
			add_wrapper(m, op);
			flat_add = true;
		}
		if (c->hook)
			c->hook(c->s, c->a, op, m, c->hook_ctx);
		if (flat_add) { /* the flat list and the table share the map */
			tv_add(c->flat, tv_ref(m));
			vec_push(&c->flat_ops, (void *)op);
		}
	}
	set_cond_step(owner, "cond_end", prev, &no_conds);
}

/* Wrappers in flat order: wrapper_before on each, wrappers_end on root. */
static void add_wrapper_conds(struct ctx *c, struct tval *root)
{
	struct vec prev = {0};

	for (size_t i = 0; i < c->flat_ops.n; i++) {
		const struct spec_op *op = c->flat_ops.v[i];
		struct vec cur = {0};

		if (op->has_wrapper_config)
			for (size_t j = 0; j < op->wrapper_config.n; j++)
				vec_push(&cur, op->wrapper_config.v[j]);
		else
			cond_chain(op, &cur);
		set_cond_step(c->flat->items[i], "wrapper_before", &prev, &cur);
		vec_free(&prev);
		prev = cur;
	}
	set_cond_step(root, "wrappers_end", &prev, &no_conds);
	vec_free(&prev);
}

static void add_static_calls(const struct spec *s, struct tval *root)
{
	struct tval *list = tv_set(root, "static_calls", tv_list());

	for (size_t i = 0; i < s->static_calls.n; i++) {
		const struct spec_static_call *sc = s->static_calls.v[i];
		struct tval *m;
		char *head;

		if (!sc->has_sig)
			continue;
		m = tv_add_map(list);
		tv_set_str(m, "name", sc->name);
		tv_set_str(m, "default", sc->dflt);
		tv_set_str(m, "wrapper", sc->wrapper);
		add_sig(m, &sc->sig, "");
		head = c_declare(sc->sig.ret.spelling, sc->dflt);
		tv_set_strf(m, "default_proto", "%s(%s)", head, tv_get(m, "param_decls")->str);
		free(head);
	}
}

void model_entry(struct tval *e, const struct spec_backend *b, const struct spec_op *op, const struct spec_arch *a,
		 const char *member, struct slot *slot)
{
	const struct spec_backend *from = b, *last = b;
	const struct spec_impl *impl = spec_impl(b, op, a, &from);

	/* the hop limit guards a fallback cycle, which check fallback-cycle reports */
	for (int hops = 0; last->fallback && hops < 16; hops++)
		last = last->fallback;
	slot->impl = impl;
	slot->owner = impl ? from : last;
	slot->symbol = impl && impl->symbol ? xstrdup(impl->symbol)
					    : xasprintf("%s%s", spec_prefix(slot->owner, a), op->name);
	tv_set_str(e, "member", member);
	tv_set_str(e, "qname", op->qname);
	tv_set_str(e, "name", op->name);
	if (op->kind == OP_FIELD) {
		tv_set_str(e, "value", impl && impl->value && impl->value->kind == NODE_SCALAR ? impl->value->str : "0");
		tv_set_str(e, "how", "field");
		tv_set_str(e, "from", slot->owner->name);
	} else if (impl && impl->none) {
		tv_set_str(e, "value", "NULL");
		tv_set_str(e, "how", "none");
	} else {
		tv_set_str(e, "value", slot->symbol);
		tv_set_str(e, "how", impl && impl->nop ? "nop" : slot->owner == b ? "impl" : "fallback");
		tv_set_str(e, "from", slot->owner->name);
	}
}

/* One initializer entry per member of a table, through the backend's fallbacks. */
static void add_entries(const struct spec_arch *a, const struct spec_backend *b, const struct vec *ops,
			const char *path, struct tval *list)
{
	for (size_t i = 0; i < ops->n; i++) {
		const struct spec_op *op = ops->v[i];
		struct slot slot;
		char *member;

		if (!model_op_on_arch(op, a))
			continue;
		member = path ? xasprintf("%s.%s", path, op->name) : xstrdup(op->name);
		if (op->kind == OP_GROUP) {
			add_entries(a, b, &op->ops, member, list);
		} else {
			model_entry(tv_add_map(list), b, op, a, member, &slot);
			free(slot.symbol);
		}
		free(member);
	}
}

void model_backend_tables(const struct spec *s, const struct spec_arch *a, struct tval *root)
{
	const struct tval *backends = tv_get(root, "backends");
	struct vec on = {0};

	spec_backends_on(s, a, &on);
	for (size_t i = 0; i < on.n && i < backends->n; i++) {
		struct tval *bt = tv_set(backends->items[i], "tables", tv_list());

		for (size_t j = 0; j < s->tables.n; j++) {
			const struct spec_table *t = s->tables.v[j];
			struct tval *tm;
			if (!((t->arches >> a->index) & 1))
				continue;
			tm = tv_add_map(bt);
			tv_set_str(tm, "name", t->name);
			add_entries(a, on.v[i], &t->ops, NULL, tv_set(tm, "entries", tv_list()));
		}
	}
	vec_free(&on);
}

struct tval *model_common(const struct spec *s, const struct spec_arch *a, model_op_hook hook, void *hook_ctx)
{
	struct tval *root = tv_map(), *tables, *backends, *consts;
	struct ctx c = {s, a, hook, hook_ctx, NULL, {0}, NULL, {0}};

	tv_set_str(root, "arch", a->name);
	tv_set_str(root, "family", a->family);
	tv_set_int(root, "word_bits", a->word_bits);
	tv_set_str(root, "spec_hash", s->hash);
	c.flat = tv_set(root, "ops", tv_list());
	c.nested = tv_set(root, "struct_defs", tv_list());
	tables = tv_set(root, "tables", tv_list());
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct spec_table *t = s->tables.v[i];
		const struct node *doc = node_get(t->node, "doc");
		struct tval *tm;

		if (!((t->arches >> a->index) & 1))
			continue;
		tm = tv_add_map(tables);
		tv_set_str(tm, "name", t->name);
		model_doc(tm, doc);
		tv_set_str(tm, "struct", t->struct_name);
		set_cond_step(tm, "if_open", &no_conds, &t->config);
		set_cond_step(tm, "if_close", &t->config, &no_conds);
		add_members(&c, &t->ops, tv_set(tm, "members", tv_list()), tm);
		tv_add(c.nested, tv_ref(tm));
	}
	add_wrapper_conds(&c, root);
	vec_free(&c.flat_ops);
	strset_free(&c.nested_seen);
	add_static_calls(s, root);
	backends = tv_set(root, "backends", tv_list());
	struct vec on = {0};
	spec_backends_on(s, a, &on);
	for (size_t i = 0; i < on.n; i++) {
		const struct spec_backend *b = on.v[i];
		struct tval *bm = tv_add_map(backends);

		tv_set_str(bm, "name", b->name);
		tv_set_bool(bm, "is_default", i == 0);
		tv_set_str(bm, "prefix", spec_prefix(b, a));
		tv_set_int(bm, "hypervisor_type", b->hypervisor_type);
		tv_set_str(bm, "fallback", b->fallback ? b->fallback->name : "");
	}
	vec_free(&on);
	consts = tv_set(root, "constants", tv_list());
	for (size_t i = 0; s->constants && s->constants->kind == NODE_MAP && i < s->constants->n; i++) {
		const char *name = s->constants->keys[i]->str;
		const struct node *v = spec_constant(s, name, a);
		struct tval *cm;
		if (!v)
			continue;
		cm = tv_add_map(consts);
		tv_set_str(cm, "name", name);
		tv_set_str(cm, "value", v->str);
	}
	return root;
}
