/* analyze.c: the IA-64 family's reading of the spec (see analyze.h), once per arch: its keys
 * typed, every body read and every macro expansion instantiated and read. It reports the
 * syntax errors of that code; any other missing or malformed piece is left out, and the checks
 * say why. */
#include "analyze.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

static const char *scalar_of(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return n && n->kind == NODE_SCALAR ? n->str : NULL;
}

static bool bool_or(const struct node *map, const char *key, bool dflt)
{
	bool v = dflt;
	schema_scalar_bool(node_get(map, key), &v);
	return v;
}

const struct spec_arch *ia64_arch(const struct spec *s)
{
	for (size_t i = 0; i < s->arches.n; i++) {
		const struct spec_arch *a = s->arches.v[i];
		if (strcmp(a->family, "ia64") == 0 && spec_selected(s, a))
			return a;
	}
	return NULL;
}

bool ia64_returns(const struct spec_op *op)
{
	return op->has_sig && op->sig.ret.cls != CT_VOID;
}

/* Names of a scalar-or-list node, appended to vec (strings owned by the spec). */
static void names_of(const struct node *n, struct vec *out)
{
	if (n && n->kind == NODE_SCALAR)
		vec_push(out, n->str);
	for (size_t i = 0; n && n->kind == NODE_SEQ && i < n->n; i++)
		if (n->items[i]->kind == NODE_SCALAR)
			vec_push(out, n->items[i]->str);
}

/* A scalar key as written (name NULL when absent or not a scalar; at: the map without it). */
static struct ia64_named named(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return (struct ia64_named){n && n->kind == NODE_SCALAR ? n->str : NULL, n ? n->pos : map->pos};
}

/* The items of a list of names, with their places (a scalar is a list of one). */
static int named_list(const struct node *n, struct ia64_named **out)
{
	int k = 0;

	*out = NULL;
	if (n && n->kind == NODE_SCALAR) {
		*out = xcalloc(1, sizeof(**out));
		(*out)[k++] = (struct ia64_named){n->str, n->pos};
	}
	if (n && n->kind == NODE_SEQ && n->n) {
		*out = xcalloc(n->n, sizeof(**out));
		for (size_t i = 0; i < n->n; i++)
			(*out)[k++] = (struct ia64_named){n->items[i]->kind == NODE_SCALAR ? n->items[i]->str : NULL,
							  n->items[i]->pos};
	}
	return k;
}

/* The keys of a map (given: the map is there); nothing for another node. */
static struct ia64_keyset keyset(const struct node *map)
{
	struct ia64_keyset k = {.given = map != NULL, .at = map ? map->pos : (struct pos){0}};

	if (!map || map->kind != NODE_MAP || !map->n)
		return k;
	k.keys = xcalloc(map->n, sizeof(*k.keys));
	for (size_t i = 0; i < map->n; i++)
		k.keys[k.n++] = (struct ia64_named){map->keys[i]->str, map->keys[i]->pos};
	return k;
}

static void read_conv(struct ia64_conv *c, const struct spec_arch *a)
{
	const struct node *cc = node_get(a->node, "call_clobbers");
	struct buf text = {0};

	c->a = a;
	for (int i = 0; i < a->call_clobbers.n; i++)
		vec_push(&c->clobbers, a->call_clobbers.r[i].name);
	for (size_t i = 0; cc && cc->kind == NODE_SEQ && i < cc->n; i++)
		if (cc->items[i]->kind == NODE_SCALAR)
			buf_printf(&text, "%s%s", text.len ? ", " : "", cc->items[i]->str);
	c->clobbers_text = text.data ? buf_steal(&text) : xstrdup("none");
	c->clobbers_at = cc ? cc->pos : a->node->pos;
	c->ret = a->ret_regs.n > 0 ? a->ret_regs.r[0].name : "r8";
	for (int i = 0; i < a->arg_regs.n && i < 8; i++)
		c->args[c->nargs++] = a->arg_regs.r[i].name;
	c->return_branch = named(a->node, "return_branch");
	const char *rb = c->return_branch.name;
	if (!rb || !ia64_reg_canon(rb, strlen(rb), c->rbranch))
		strcpy(c->rbranch, "b6");
	c->gp_save_as = named(a->node, "gp_save");
	const char *gs = c->gp_save_as.name;
	if (!gs || !ia64_reg_canon(gs, strlen(gs), c->gp_save))
		strcpy(c->gp_save, "r16");
	long long bundles = 0;
	schema_scalar_int(node_get(a->node, "site_bundles"), &bundles);
	c->site_bundles = (int)bundles; /* the schema's range (1-64); absent: 0, which the checks refuse */
	c->site_bundles_at = named(a->node, "site_bundles").at;
	names_of(node_get(a->node, "sensitive"), &c->sensitive);
}

static void add_op_keys(struct spec_op *op, void *ctx)
{
	struct ia64_view *v = ctx;
	const struct node *pt = node_get(op->node, "patch_type"), *rp = node_get(op->node, "reg_param");
	const struct node *order = node_get(op->node, "reg_arg_order");
	struct ia64_op_keys *k;

	v->op_keys = xrealloc(v->op_keys, (size_t)(v->nop_keys + 1) * sizeof(*v->op_keys));
	k = &v->op_keys[v->nop_keys++];
	memset(k, 0, sizeof(*k));
	k->op = op;
	k->has_patch_type = pt != NULL;
	k->patch_type_ok = schema_scalar_int(pt, &k->patch_type);
	k->patch_type_at = pt ? pt->pos : op->node->pos;
	k->has_reg_param = rp != NULL;
	k->reg_param = rp && rp->kind == NODE_SCALAR ? rp->str : NULL;
	k->reg_param_at = rp ? rp->pos : op->node->pos;
	k->has_reg_arg_order = order && order->kind == NODE_SEQ;
	if (k->has_reg_arg_order)
		k->nreg_arg_order = named_list(order, &k->reg_arg_order);
	k->reg_arg_order_at = order ? order->pos : op->node->pos;
	names_of(node_get(op->node, "writes"), &k->writes);
}

static int key_by_op(const void *pa, const void *pb)
{
	const struct spec_op *a = ((const struct ia64_op_keys *)pa)->op, *b = ((const struct ia64_op_keys *)pb)->op;
	return a < b ? -1 : a > b;
}

/* Every op's IA-64 keys, typed once, for the checks and the model. */
static void read_op_keys(struct ia64_view *v)
{
	spec_each_op(v->s, add_op_keys, v);
	if (v->nop_keys > 1)
		qsort(v->op_keys, (size_t)v->nop_keys, sizeof(*v->op_keys), key_by_op);
}

const struct ia64_op_keys *ia64_op_keys_of(const struct ia64_view *v, const struct spec_op *op)
{
	struct ia64_op_keys key = {.op = op};

	if (!v->nop_keys)
		return NULL;
	return bsearch(&key, v->op_keys, (size_t)v->nop_keys, sizeof(*v->op_keys), key_by_op);
}

const struct ia64_backend_keys *ia64_backend_keys_of(const struct ia64_view *v, const struct spec_backend *b)
{
	static const struct ia64_backend_keys none;

	for (size_t i = 0; i < v->s->backends.n; i++)
		if (v->s->backends.v[i] == b)
			return &v->backend_keys[i];
	return &none;
}

static void read_backend_keys(struct ia64_view *v)
{
	v->backend_keys = xcalloc(v->s->backends.n + 1, sizeof(*v->backend_keys));
	for (size_t i = 0; i < v->s->backends.n; i++) {
		const struct spec_backend *b = v->s->backends.v[i];
		struct ia64_backend_keys *k = &v->backend_keys[i];
		const struct node *al = node_get(b->node, "asm_aliases");
		k->nbreak_results = named_list(node_get(b->node, "break_results"), &k->break_results);
		if (!al || al->kind != NODE_MAP || !al->n)
			continue;
		k->aliases = xcalloc(al->n, sizeof(*k->aliases));
		for (size_t j = 0; j < al->n; j++)
			k->aliases[k->naliases++] = (struct ia64_alias){
				al->keys[j]->str, al->keys[j]->pos,
				al->items[j]->kind == NODE_SCALAR ? al->items[j]->str : NULL};
	}
}

static char *upper_stem(const char *name, bool up)
{
	char *s = xstrdup(name);
	for (char *p = s; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)(up ? toupper((unsigned char)*p) : tolower((unsigned char)*p)) : '_';
	return s;
}

static void read_registers(struct ia64_view *v)
{
	const struct node *list = node_get(v->s->root, "registers");

	for (size_t i = 0; list && list->kind == NODE_SEQ && i < list->n; i++) {
		const struct node *m = list->items[i];
		const char *name = scalar_of(m, "name");
		if (m->kind != NODE_MAP || !name)
			continue;
		struct ia64_register *r = xcalloc(1, sizeof(*r));
		const char *cname = scalar_of(m, "cname");
		r->node = m;
		r->name = name;
		r->name_at = node_get(m, "name")->pos;
		r->has_set_name = scalar_of(m, "set_name") != NULL;
		r->set_name_at = named(m, "set_name").at;
		r->has_number_key = node_get(m, "number") != NULL;
		r->number_at = named(m, "number").at;
		r->known = ia64_reg_canon(name, strlen(name), r->canon);
		r->set_name = scalar_of(m, "set_name") ? scalar_of(m, "set_name") : name;
		r->cname = upper_stem(cname ? cname : name, true);
		r->stem = upper_stem(cname ? cname : name, false);
		r->has_number = schema_scalar_int(node_get(m, "number"), &r->number);
		r->get = bool_or(m, "get", true);
		r->set = bool_or(m, "set", true);
		r->get_code = node_get(m, "get_code");
		r->set_code = node_get(m, "set_code");
		r->get_for = keyset(r->get_code);
		r->set_for = keyset(r->set_code);
		r->get_traps = node_get(m, "get_traps");
		r->set_traps = node_get(m, "set_traps");
		vec_push(&v->regs, r);
	}
}

/* The body text of a rule with every "{reg}" replaced by the register's name. */
static void fill_text(struct ia64_text *t, const char *code, const char *reg)
{
	size_t n = strlen(code);

	for (size_t i = 0; i < n;) {
		if (reg && strncmp(code + i, "{reg}", 5) == 0) {
			ia64_text_add(t, reg, strlen(reg), NULL, i);
			i += 5;
		} else {
			ia64_text_add(t, code + i, 1, NULL, i);
			i++;
		}
	}
	ia64_text_add(t, "", 0, NULL, n);
}

static const struct node *scalar_node(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return n && n->kind == NODE_SCALAR ? n : NULL;
}

static const struct node *code_for(const struct node *archmap, const struct spec_arch *a)
{
	return scalar_node(archmap, a->name);
}

static struct ia64_body *add_body(struct ia64_view *v, const struct spec_op *op,
				  const struct spec_backend *b, const struct node *code,
				  const struct node *traps, const struct ia64_register *reg, bool reads,
				  char *stem, bool is_inline)
{
	struct ia64_body *body = xcalloc(1, sizeof(*body));
	long long base = 0;

	body->op = op;
	body->b = b;
	body->reg = reg;
	body->reads_reg = reads;
	body->code = code;
	body->traps = traps;
	body->stem = stem;
	body->is_inline = is_inline;
	const struct ia64_op_keys *keys = ia64_op_keys_of(v, op);
	if (keys && keys->patch_type_ok)
		base = keys->patch_type;
	body->type = (unsigned long long)base + (reg ? (unsigned long long)reg->number : 0);
	fill_text(&body->text, code->str, reg ? (reads ? reg->name : reg->set_name) : NULL);
	body->parsed = ia64_parse(body->text.buf.data, &body->seq, NULL, NULL);
	body->bundles = body->parsed ? ia64_bundles(&body->seq) : -1;
	vec_push(&v->bodies, body);
	return body;
}

/* The implementation entry backend b itself gives for op (not through a fallback). */
static const struct spec_impl *own_impl(const struct spec_backend *b, const struct spec_op *op,
				       const struct spec_arch *a)
{
	const struct spec_backend *from = NULL;
	const struct spec_impl *impl = spec_impl(b, op, a, &from);
	return impl && from == b ? impl : NULL;
}

static char *symbol_of(const struct ia64_view *v, const struct spec_backend *b, const struct spec_op *op,
		       const struct spec_impl *impl)
{
	return impl && impl->symbol ? xstrdup(impl->symbol) : xasprintf("%s%s", spec_prefix(b, v->conv.a), op->name);
}

/* getreg / setreg: a body per register (the register's own, else the backend's rule), and the
 * dispatcher that compares the number when the op is called out of line. */
/* Does backend b say anything of its own about a getreg/setreg op: an entry, or a body for
 * one of the registers? */
static bool says_reg_op(const struct ia64_view *v, const struct spec_op *op, const struct spec_backend *b)
{
	bool reads = ia64_returns(op);

	if (own_impl(b, op, v->conv.a))
		return true;
	for (size_t i = 0; i < v->regs.n; i++) {
		const struct ia64_register *r = v->regs.v[i];
		if (node_get(reads ? r->get_code : r->set_code, b->name))
			return true;
	}
	return false;
}

static void read_reg_op(struct ia64_view *v, const struct spec_op *op, const struct spec_backend *b)
{
	const struct spec_backend *src = b;
	int hops = 0;

	/* a backend that says nothing inlines the bodies of the first fallback that does */
	while (src && !says_reg_op(v, op, src) && hops++ < 16)
		src = src->fallback;
	if (!src)
		return;
	const struct spec_impl *impl = own_impl(src, op, v->conv.a);
	const struct node *rule = impl ? code_for(impl->code, v->conv.a) : NULL;
	bool reads = ia64_returns(op);
	struct ia64_dispatch *d = xcalloc(1, sizeof(*d));

	d->op = op;
	d->b = b;
	d->reads_reg = reads;
	for (size_t i = 0; i < v->regs.n; i++) {
		const struct ia64_register *r = v->regs.v[i];
		const struct node *own = node_get(reads ? r->get_code : r->set_code, src->name);
		const struct node *code = own && own->kind == NODE_SCALAR ? own : rule;
		const struct node *traps = own && own->kind == NODE_SCALAR
						   ? scalar_node(reads ? r->get_traps : r->set_traps, src->name)
						   : impl ? scalar_node(impl->node, "traps") : NULL;
		if (!code || !r->known || !r->has_number || !(reads ? r->get : r->set))
			continue;
		char *stem = xasprintf("%s%s_%s", spec_prefix(b, v->conv.a), reads ? "get" : "set", r->stem);
		struct ia64_body *body = add_body(v, op, b, code, traps, r, reads, stem, true);
		body->inherited = src != b;
		vec_push(&d->bodies, body);
	}
	if (src != b) { /* its table names the fallback's dispatcher: no dispatcher of its own */
		vec_free(&d->bodies);
		free(d);
		return;
	}
	d->symbol = symbol_of(v, b, op, impl);
	if (b->fallback) {
		const struct spec_backend *from = NULL;
		const struct spec_impl *fi = spec_impl(b->fallback, op, v->conv.a, &from);
		d->fallback = symbol_of(v, fi ? from : b->fallback, op, fi);
	}
	vec_push(&v->dispatch, d);
}

static void read_bodies(struct ia64_view *v)
{
	const struct spec_arch *a = v->conv.a;

	for (size_t bi = 0; bi < v->s->backends.n; bi++) {
		const struct spec_backend *b = v->s->backends.v[bi];
		for (size_t ti = 0; spec_backend_on(b, a) && ti < v->s->tables.n; ti++) {
			const struct spec_table *t = v->s->tables.v[ti];
			for (size_t oi = 0; oi < t->ops.n; oi++) {
				const struct spec_op *op = t->ops.v[oi];
				if (!((op->arches >> a->index) & 1) || op->kind != OP_PATCHABLE || !op->has_sig)
					continue;
				if (ia64_op_keys_of(v, op)->has_reg_param) {
					read_reg_op(v, op, b);
					continue;
				}
				const struct spec_backend *from = NULL;
				const struct spec_impl *impl = spec_impl(b, op, a, &from);
				const struct node *code = impl ? code_for(impl->code, a) : NULL;
				if (!code)
					continue;
				/* a body b inherits is copied under b's own name, for b's patch list */
				struct ia64_body *body = add_body(v, op, b, code, scalar_node(impl->node, "traps"), NULL, false,
								  from == b ? symbol_of(v, b, op, impl)
									    : xasprintf("%s%s", spec_prefix(b, a), op->name),
								  bool_or(impl->node, "inline", true));
				body->inherited = from != b;
			}
		}
		struct vec *br = xcalloc(1, sizeof(*br));
		names_of(node_get(b->node, "break_results"), br);
		vec_push(&v->breaks, br);
		vec_push(&v->deprivileged, bool_or(b->node, "deprivileged", false) ? (void *)b : NULL);
	}
}

static void read_macros(struct ia64_view *v)
{
	static const char *const roles[] = {"in", "out", "pred", "clob", "pred_clob", "const"};
	const struct node *list = v->s->asm_macros;

	for (size_t i = 0; list && list->kind == NODE_SEQ && i < list->n; i++) {
		const struct node *m = list->items[i], *params = node_get(m, "params");
		const char *name = scalar_of(m, "name");
		if (m->kind != NODE_MAP || !name)
			continue;
		struct vec on = {0};
		bool here = !node_get(m, "arches");
		names_of(node_get(m, "arches"), &on);
		for (size_t k = 0; k < on.n; k++)
			here |= strcmp(on.v[k], v->conv.a->name) == 0;
		vec_free(&on);
		if (!here)
			continue;
		struct ia64_macro *mac = xcalloc(1, sizeof(*mac));
		mac->node = m;
		mac->name = name;
		mac->name_at = node_get(m, "name")->pos;
		mac->expand = node_get(m, "expand");
		mac->expand_for = keyset(mac->expand);
		names_of(node_get(m, "writes"), &mac->writes);
		for (size_t k = 0; params && params->kind == NODE_SEQ && k < params->n && mac->nparams < 8; k++) {
			const struct node *pm = params->items[k];
			const char *pn = scalar_of(pm, "name"), *role = scalar_of(pm, "role");
			if (!pn)
				continue;
			struct ia64_param *p = &mac->params[mac->nparams];
			p->name = pn;
			p->node = pm;
			p->prefix = scalar_of(pm, "prefix");
			p->has_role = node_get(pm, "role") != NULL;
			p->role_word = role;
			p->role_at = named(pm, "role").at;
			p->has_prefix = node_get(pm, "prefix") != NULL;
			p->prefix_at = named(pm, "prefix").at;
			p->role = R_BAD;
			for (size_t r = 0; role && r < ARRAY_SIZE(roles); r++)
				if (strcmp(role, roles[r]) == 0)
					p->role = r;
			mac->names[mac->nparams++] = pn;
		}
		vec_push(&v->macros, mac);
	}
}

/* ---- syntax: what does not read is reported here, once a place ---- */

static bool first_at(struct strset *seen, const struct node *scalar, size_t at)
{
	char key[48];

	snprintf(key, sizeof(key), "%p:%zu", (const void *)scalar, at);
	return strset_add(seen, key);
}

size_t ia64_text_origin(const struct ia64_text *t, size_t off)
{
	return t->buf.len ? t->src[off < t->buf.len ? off : t->buf.len - 1] : 0;
}

char *ia64_body_name(const struct ia64_body *b)
{
	if (b->reg)
		return xasprintf("%s %s(%s)", b->b->name, b->op->name, b->reg->name);
	return xasprintf("%s %s", b->b->name, b->op->name);
}

struct body_syntax {
	struct strset *seen;
	const struct ia64_body *b;
	const char *what;
};

static void body_error(void *ctx, size_t off, const char *msg)
{
	struct body_syntax *y = ctx;
	size_t at = ia64_text_origin(&y->b->text, off);

	if (first_at(y->seen, y->b->code, at))
		diag_error(node_pos_at(y->b->code, at), "ia64-syntax", "%s: %s", y->what, msg);
}

/* A body that does not read is read again to say why (an inherited one: as its owner's). */
static void report_bodies(const struct ia64_view *v, struct strset *seen)
{
	for (size_t i = 0; i < v->bodies.n; i++) {
		const struct ia64_body *b = v->bodies.v[i];
		struct ia64_seq seq;
		if (b->parsed || b->inherited)
			continue;
		struct body_syntax y = {seen, b, ia64_body_name(b)};
		ia64_parse(b->text.buf.data, &seq, body_error, &y);
		ia64_seq_free(&seq);
		free((char *)y.what);
	}
}

/* Expanding one backend's expansion of a macro. */
struct expanding {
	const struct ia64_view *v;
	struct ia64_expansion_set *e;
	struct ia64_inst *in;
	struct strset *seen;
	struct ia64_macro_def def; /* the last macro find_macro found */
};

static const struct ia64_macro_def *find_macro(void *ctx, const char *name, size_t n)
{
	struct expanding *x = ctx;

	for (size_t i = 0; i < x->v->macros.n; i++) {
		const struct ia64_macro *m = x->v->macros.v[i];
		const struct node *e = ia64_expansion(m, x->e->b);
		if (strlen(m->name) == n && strncmp(m->name, name, n) == 0 && e) {
			x->def = (struct ia64_macro_def){m->name, m->names, m->nparams, e->str};
			return &x->def;
		}
	}
	return NULL;
}

static void expand_error(void *ctx, size_t off, const char *msg)
{
	struct expanding *x = ctx;

	diag_error(node_pos_at(x->e->scalar, off), "ia64-macro-syntax", "%s expansion of %s: %s", x->e->b->name,
		   x->e->m->name, msg);
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* An error at an operand the expansion substituted is a role misuse (a general register
 * where a predicate goes, or the other way round), kept for check ia64-macro-role; any other
 * is the expansion's syntax. */
static void read_error(void *ctx, size_t off, const char *msg)
{
	struct expanding *x = ctx;
	const struct ia64_macro *m = x->e->m;
	size_t at = ia64_text_origin(&x->in->text, off);
	const char *body = x->e->scalar->str;
	int p = -1;

	for (int k = 0; body[at] == '\\' && k < m->nparams; k++) {
		size_t n = strlen(m->params[k].name);
		if (strncmp(body + at + 1, m->params[k].name, n) == 0 && !ident_char(body[at + 1 + n]))
			p = k;
	}
	if (p >= 0) {
		struct ia64_inst *in = x->in;
		in->misuses = xrealloc(in->misuses, (size_t)(in->nmisuses + 1) * sizeof(*in->misuses));
		in->misuses[in->nmisuses++] = (struct ia64_misuse){off, p, xstrdup(msg)};
	} else if (first_at(x->seen, x->e->scalar, at)) {
		diag_error(node_pos_at(x->e->scalar, at), "ia64-macro-syntax", "%s expansion of %s: %s", x->e->b->name,
			   m->name, msg);
	}
}

static void instantiate(struct expanding *x, struct ia64_inst *in)
{
	const struct ia64_macro *m = x->e->m;
	const struct ia64_macro_def def = {m->name, m->names, m->nparams, x->e->scalar->str};

	x->in = in;
	in->status = ia64_expand(&def, in->args, find_macro, x, &in->text, in->plain ? expand_error : NULL, x, &in->why);
	if (in->status == EXPAND_OK)
		in->parsed = ia64_parse(in->text.buf.data, &in->seq, read_error, x);
}

/* Binding `code` of the operands: general-register operands r8, r9 or a register of their own;
 * predicates true, false or p0 (the Xen forms choose code by operand name, so each choice is a
 * different path). False for a binding that puts two operands in one register. */
static bool bind(const struct ia64_macro *m, int code, struct ia64_inst *in)
{
	int rest = code, r8 = 0, r9 = 0;
	size_t dl = 0;

	in->plain = true;
	for (int k = 0; k < m->nparams; k++) {
		int role = m->params[k].role, pick = 0;
		if (role == R_IN || role == R_OUT || role == R_CLOB || role == R_PRED) {
			pick = rest % 3;
			rest /= 3;
		}
		in->args[k] = ia64_plain_operand(m, k);
		if (role == R_PRED) { /* true, false, or p0 */
			in->args[k] = pick == 2 ? "p0" : in->args[k];
			in->truth[k] = pick != 1;
		} else if (pick) {
			in->args[k] = pick == 1 ? "r8" : "r9";
			r8 += pick == 1;
			r9 += pick == 2;
		}
		in->plain &= pick == 0;
		if (pick && dl < sizeof(in->desc) - 24)
			dl += (size_t)snprintf(in->desc + dl, sizeof(in->desc) - dl, "%s%s=%s%s", dl ? ", " : " (with ",
					       m->params[k].name, in->args[k], role == R_PRED && pick == 1 ? " false" : "");
	}
	if (dl)
		snprintf(in->desc + dl, sizeof(in->desc) - dl, ")");
	return r8 <= 1 && r9 <= 1;
}

static void instantiate_all(struct expanding *x)
{
	const struct ia64_macro *m = x->e->m;
	int choices = 1;

	for (int k = 0; k < m->nparams; k++) {
		int r = m->params[k].role;
		if (r == R_IN || r == R_OUT || r == R_CLOB || r == R_PRED)
			choices *= 3;
	}
	x->e->insts = xcalloc((size_t)choices, sizeof(*x->e->insts));
	for (int code = 0; code < choices; code++) {
		struct ia64_inst *in = &x->e->insts[x->e->ninsts];
		if (!bind(m, code, in)) {
			memset(in, 0, sizeof(*in));
			continue;
		}
		x->e->ninsts++;
		instantiate(x, in);
	}
}

/* Every backend's own expansion of every macro whose parameters all have a known role. */
static void read_expansions(struct ia64_view *v, struct strset *seen)
{
	for (size_t i = 0; i < v->macros.n; i++) {
		const struct ia64_macro *m = v->macros.v[i];
		bool bad_role = false;
		for (int k = 0; k < m->nparams; k++)
			bad_role |= m->params[k].role == R_BAD;
		for (size_t bi = 0; !bad_role && bi < v->s->backends.n; bi++) {
			const struct spec_backend *b = v->s->backends.v[bi];
			const struct node *scalar = ia64_own_expansion(m, b);
			if (!scalar)
				continue;
			struct ia64_expansion_set *e = xcalloc(1, sizeof(*e));
			*e = (struct ia64_expansion_set){.m = m, .b = b, .scalar = scalar};
			struct expanding x = {.v = v, .e = e, .seen = seen};
			instantiate_all(&x);
			vec_push(&v->expansions, e);
		}
	}
}

static void free_expansions(struct ia64_view *v)
{
	for (size_t i = 0; i < v->expansions.n; i++) {
		struct ia64_expansion_set *e = v->expansions.v[i];
		for (int k = 0; k < e->ninsts; k++) {
			struct ia64_inst *in = &e->insts[k];
			free(in->why);
			ia64_text_free(&in->text);
			if (in->status == EXPAND_OK)
				ia64_seq_free(&in->seq);
			for (int j = 0; j < in->nmisuses; j++)
				free(in->misuses[j].msg);
			free(in->misuses);
		}
		free(e->insts);
		free(e);
	}
	vec_free(&v->expansions);
}

struct ia64_view *ia64_view(const struct spec *s, const struct spec_arch *a)
{
	struct strset seen = {0};
	struct ia64_view *v;

	if (!a)
		a = ia64_arch(s);
	if (!a)
		return NULL;
	v = xcalloc(1, sizeof(*v));
	v->s = s;
	read_conv(&v->conv, a);
	read_op_keys(v);
	read_backend_keys(v);
	read_registers(v);
	read_bodies(v);
	read_macros(v);
	report_bodies(v, &seen);
	read_expansions(v, &seen);
	strset_free(&seen);
	return v;
}

void ia64_view_free(struct ia64_view *v)
{
	if (!v)
		return;
	free_expansions(v);
	vec_free(&v->conv.clobbers);
	free(v->conv.clobbers_text);
	vec_free(&v->conv.sensitive);
	for (int i = 0; i < v->nop_keys; i++) {
		free(v->op_keys[i].reg_arg_order);
		vec_free(&v->op_keys[i].writes);
	}
	free(v->op_keys);
	for (size_t i = 0; v->backend_keys && i < v->s->backends.n; i++) {
		free(v->backend_keys[i].break_results);
		free(v->backend_keys[i].aliases);
	}
	free(v->backend_keys);
	for (size_t i = 0; i < v->regs.n; i++) {
		struct ia64_register *r = v->regs.v[i];
		free(r->get_for.keys);
		free(r->set_for.keys);
		free(r->cname);
		free(r->stem);
		free(r);
	}
	for (size_t i = 0; i < v->bodies.n; i++) {
		struct ia64_body *b = v->bodies.v[i];
		ia64_text_free(&b->text);
		ia64_seq_free(&b->seq);
		free(b->stem);
		free(b);
	}
	for (size_t i = 0; i < v->dispatch.n; i++) {
		struct ia64_dispatch *d = v->dispatch.v[i];
		vec_free(&d->bodies);
		free(d->symbol);
		free(d->fallback);
		free(d);
	}
	for (size_t i = 0; i < v->macros.n; i++) {
		struct ia64_macro *m = v->macros.v[i];
		free(m->expand_for.keys);
		vec_free(&m->writes);
		free(m);
	}
	for (size_t i = 0; i < v->breaks.n; i++) {
		vec_free(v->breaks.v[i]);
		free(v->breaks.v[i]);
	}
	vec_free(&v->regs);
	vec_free(&v->bodies);
	vec_free(&v->dispatch);
	vec_free(&v->macros);
	vec_free(&v->breaks);
	vec_free(&v->deprivileged);
	free(v);
}

const struct vec *ia64_breaks(const struct ia64_view *v, const struct spec_backend *b)
{
	for (size_t i = 0; i < v->s->backends.n && i < v->breaks.n; i++)
		if (v->s->backends.v[i] == b)
			return v->breaks.v[i];
	return NULL;
}

bool ia64_deprivileged(const struct ia64_view *v, const struct spec_backend *b)
{
	for (size_t i = 0; i < v->deprivileged.n; i++)
		if (v->deprivileged.v[i] == b)
			return true;
	return false;
}

const char *ia64_plain_operand(const struct ia64_macro *m, int k)
{
	static const char *const gr[8] = {"r2", "r3", "r10", "r11", "r14", "r15", "r20", "r21"};
	static const char *const pred[8] = {"p40", "p41", "p42", "p43", "p44", "p45", "p46", "p47"};
	static const char *const pclob[8] = {"p50", "p51", "p52", "p53", "p54", "p55", "p56", "p57"};

	k &= 7;
	switch (m->params[k].role) {
	case R_PRED: return pred[k];
	case R_PRED_CLOB: return pclob[k];
	case R_CONST: return "6";
	default: return gr[k];
	}
}

char *ia64_gas_name(const char *macro)
{
	return xasprintf("__pv_%s", macro);
}

const struct node *ia64_own_expansion(const struct ia64_macro *m, const struct spec_backend *b)
{
	const struct node *n = node_get(m->expand, b->name);
	return n && n->kind == NODE_SCALAR ? n : NULL;
}

const struct node *ia64_expansion(const struct ia64_macro *m, const struct spec_backend *b)
{
	/* the hop limit guards a fallback cycle, which check fallback-cycle reports */
	for (int hops = 0; b && hops < 16; b = b->fallback, hops++)
		if (ia64_own_expansion(m, b))
			return ia64_own_expansion(m, b);
	return NULL;
}

void *ia64_analyze(const struct spec *s, const struct spec_arch *a)
{
	return ia64_view(s, a);
}

void ia64_view_release(void *view)
{
	ia64_view_free(view);
}
