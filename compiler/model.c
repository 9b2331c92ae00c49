/* model.c: the part of every arch's model that does not depend on the family. */
#include "model.h"

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

static void add_signature(struct tval *m, const struct spec_op *op)
{
	struct tval *params = tv_set(m, "params", tv_list());
	struct buf args = {0}, decls = {0};

	tv_set_str(m, "ret", op->sig.ret.spelling);
	tv_set_bool(m, "returns", op->sig.ret.cls != CT_VOID);
	for (int i = 0; i < op->sig.nparams; i++) {
		const struct cparam *p = &op->sig.params[i];
		struct tval *pm = tv_add_map(params);
		char *name = p->name ? xstrdup(p->name) : unnamed(&op->sig, i);
		char *decl = c_declare(p->type.spelling, name);

		tv_set_str(pm, "type", p->type.spelling);
		tv_set_str(pm, "name", name);
		tv_set_str(pm, "decl", decl);
		tv_set_int(pm, "index", i);
		buf_printf(&args, "%s%s", i ? ", " : "", name);
		buf_printf(&decls, "%s%s", i ? ", " : "", decl);
		free(name);
		free(decl);
	}
	tv_set_str(m, "args", args.data ? args.data : "");
	tv_set_str(m, "param_decls", decls.data ? decls.data : "void");
	char *ptr = xasprintf("(*%s)", op->name);
	char *head = c_declare(op->sig.ret.spelling, ptr);
	tv_set_strf(m, "proto", "%s(%s)", head, decls.data ? decls.data : "void");
	free(ptr);
	free(head);
	buf_free(&args);
	buf_free(&decls);
}

struct ctx {
	const struct spec *s;
	const struct spec_arch *a;
	model_op_hook hook;
	void *hook_ctx;
	struct tval *flat; /* root.ops */
};

static void add_members(struct ctx *c, const struct vec *ops, struct tval *list)
{
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
		free(cname);
		if (op->kind == OP_FIELD) {
			char *decl = c_declare(op->field_type, op->name);
			tv_set_str(m, "type", op->field_type);
			tv_set_str(m, "decl", decl);
			free(decl);
		} else if (op->kind == OP_GROUP) {
			tv_set_str(m, "struct", op->struct_name);
			add_members(c, &op->ops, tv_set(m, "members", tv_list()));
		} else if (op->has_sig) {
			add_signature(m, op);
			flat_add = true;
		}
		if (c->hook)
			c->hook(c->s, c->a, op, m, c->hook_ctx);
		if (flat_add) /* the flat list and the table share the map */
			tv_add(c->flat, tv_ref(m));
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
static void add_entries(const struct ctx *c, const struct spec_backend *b, const struct vec *ops,
			const char *path, struct tval *list)
{
	for (size_t i = 0; i < ops->n; i++) {
		const struct spec_op *op = ops->v[i];
		struct slot slot;
		char *member;

		if (!model_op_on_arch(op, c->a))
			continue;
		member = path ? xasprintf("%s.%s", path, op->name) : xstrdup(op->name);
		if (op->kind == OP_GROUP) {
			add_entries(c, b, &op->ops, member, list);
		} else {
			model_entry(tv_add_map(list), b, op, c->a, member, &slot);
			free(slot.symbol);
		}
		free(member);
	}
}

struct tval *model_common(const struct spec *s, const struct spec_arch *a, model_op_hook hook, void *hook_ctx)
{
	struct tval *root = tv_map(), *tables, *backends, *consts;
	struct ctx c = {s, a, hook, hook_ctx, NULL};

	tv_set_str(root, "arch", a->name);
	tv_set_str(root, "family", a->family);
	tv_set_int(root, "word_bits", a->word_bits);
	tv_set_str(root, "spec_hash", s->hash);
	c.flat = tv_set(root, "ops", tv_list());
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
		add_members(&c, &t->ops, tv_set(tm, "members", tv_list()));
	}
	backends = tv_set(root, "backends", tv_list());
	struct vec on = {0};
	spec_backends_on(s, a, &on);
	for (size_t i = 0; i < on.n; i++) {
		const struct spec_backend *b = on.v[i];
		struct tval *bm = tv_add_map(backends), *bt = tv_set(bm, "tables", tv_list());

		tv_set_str(bm, "name", b->name);
		tv_set_bool(bm, "is_default", i == 0);
		tv_set_str(bm, "prefix", spec_prefix(b, a));
		tv_set_int(bm, "hypervisor_type", b->hypervisor_type);
		tv_set_str(bm, "fallback", b->fallback ? b->fallback->name : "");
		for (size_t j = 0; j < s->tables.n; j++) {
			const struct spec_table *t = s->tables.v[j];
			struct tval *tm;
			if (!((t->arches >> a->index) & 1))
				continue;
			tm = tv_add_map(bt);
			tv_set_str(tm, "name", t->name);
			add_entries(&c, b, &t->ops, NULL, tv_set(tm, "entries", tv_list()));
		}
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
