/* analyze.c: an x86 arch's pv calling convention as the compiler uses it, and what follows
 * from it for every op: its kind on the arch, the registers its site lets the callee modify,
 * how its signature binds to argument and return words, its patch type number, its slot's
 * offset and the length of its sites. Computed once per arch (x86_arch_build) for the checks
 * and for the model. */
#include "analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "schema.h"

static void read_keys(struct x86_arch *x);
static void free_keys(struct x86_arch *x);
static void read_departures(struct x86_arch *x);
static const struct x86_op_keys *op_keys_of(const struct x86_arch *x, const struct spec_op *op);
static const struct x86_arch_entry *entry_for(const struct x86_arch_entry *v, int n, const struct spec_arch *a);
static int site_pad(const struct x86_arch *x, const struct x86_opinfo *in, int call);
static bool assemble_code(const struct x86_arch *x, const struct node *code, struct x86_code *out);

static bool set_of(const struct reglist *l, int bits, unsigned *set)
{
	bool ok = true;

	*set = 0;
	for (int i = 0; i < l->n; i++) {
		int r = x86_gpr(l->r[i].name, bits);
		if (r < 0)
			ok = false;
		else
			*set |= 1u << r;
	}
	return ok;
}

unsigned x86_regset(const struct reglist *l, int bits)
{
	unsigned set;
	set_of(l, bits, &set);
	return set;
}

/* False (nothing reported) when the arch's lists name registers that are not the arch's;
 * check x86-convention reports those. */
static bool conv_of(const struct spec_arch *a, struct x86_conv *c)
{
	bool ok = true;

	memset(c, 0, sizeof(*c));
	c->a = a;
	c->bits = a->word_bits == 64 ? 64 : 32;
	for (int i = 0; i < a->arg_regs.n && c->nargs < (int)ARRAY_SIZE(c->args); i++) {
		int r = x86_gpr(a->arg_regs.r[i].name, c->bits);
		ok &= r >= 0;
		if (r >= 0)
			c->args[c->nargs++] = 1u << r;
	}
	for (int i = 0; i < a->ret_regs.n && c->nret < 2; i++) {
		int r = x86_gpr(a->ret_regs.r[i].name, c->bits);
		ok &= r >= 0;
		if (r >= 0)
			c->ret[c->nret++] = 1u << r;
	}
	c->stack_args = a->stack_args;
	ok &= set_of(&a->call_clobbers, c->bits, &c->call);
	if (a->callee_save_clobbers.n)
		ok &= set_of(&a->callee_save_clobbers, c->bits, &c->callee);
	else
		c->callee = c->ret[0] | c->ret[1];
	for (int i = 0; i < a->clobber_mask.n && c->nmask < 16; i++) {
		int r = x86_gpr(a->clobber_mask.r[i].name, c->bits);
		ok &= r >= 0;
		c->mask_reg[c->nmask++] = r;
	}
	return ok;
}

unsigned x86_mask_of(const struct x86_conv *c, unsigned set)
{
	unsigned mask = 0;

	for (int i = 0; i < c->nmask; i++)
		if (c->mask_reg[i] >= 0 && (set >> c->mask_reg[i] & 1))
			mask |= 1u << i;
	return mask;
}

static int reg_of(unsigned set)
{
	for (int r = 0; r < X86_NGPR; r++)
		if (set >> r & 1)
			return r;
	return -1;
}

static enum op_kind kind_on(const struct x86_arch *x, const struct spec_op *op)
{
	const struct x86_op_keys *keys = op_keys_of(x, op);
	const struct x86_arch_entry *k = keys ? entry_for(keys->kinds, keys->nkinds, x->a) : NULL;

	if (op->kind == OP_FIELD || op->kind == OP_GROUP || !k || !k->word)
		return op->kind;
	int kind = spec_kind_of_word(k->word);

	return kind < 0 ? op->kind : (enum op_kind)kind; /* an unknown word: check x86-kinds reports it */
}

bool x86_is_site(enum op_kind k)
{
	return k == OP_PATCHABLE || k == OP_CALLEE_SAVE || k == OP_JUMP;
}

const char *x86_kind_word(enum op_kind k)
{
	return k <= OP_JUMP ? op_kind_words[k] : "?";
}

/* Words of a type on an arch (0 for void or an unknown size). */
static int type_words(const struct spec *s, const struct ctype *t, const struct spec_arch *a)
{
	int bits = t->cls == CT_VOID && t->ptr == 0 ? 0 : spec_type_bits(s, t, a);

	return bits <= 0 ? 0 : (bits + a->word_bits - 1) / a->word_bits;
}

/* How op's arguments and result travel in the convention's registers and stack words. */
static void bind_words(const struct spec *s, const struct spec_op *op, const struct x86_conv *c, struct x86_binding *b)
{
	const struct spec_arch *a = c->a;

	memset(b, 0, sizeof(*b));
	b->error_param = -1;
	if (!op->has_sig)
		return;
	if (op->sig.ret.cls != CT_VOID || op->sig.ret.ptr) {
		b->ret_words = type_words(s, &op->sig.ret, a);
		if (b->ret_words == 0) {
			b->error = "the return type has no size there";
			return;
		}
		if (b->ret_words > c->nret) {
			b->error = c->nret == 1 ? "the return value is wider than the return register"
						: "the return value is wider than the return registers";
			return;
		}
	}
	for (int i = 0; i < op->sig.nparams; i++) {
		int words = type_words(s, &op->sig.params[i].type, a);
		b->error_param = i;
		if (words == 0) {
			b->error = "this parameter's type has no size there";
			return;
		}
		if (words > 2) {
			b->error = "a parameter wider than two words cannot be passed in registers";
			return;
		}
		for (int part = 0; part < words; part++) {
			int slot = b->nwords;
			if (slot >= c->nargs + c->stack_args) {
				b->error = "the arguments need more words than its argument registers and stack slots hold";
				return;
			}
			b->w[b->nwords++] = (struct x86_word){slot < c->nargs ? reg_of(c->args[slot]) : -1, i, part};
			b->nstack += slot >= c->nargs;
		}
	}
	b->error_param = -1;
}

/* ---- per-arch analysis ---- */

/* The registers a declared `clobbers` entry names for arch a; false if it declares none.
 * Parsing reports syntax errors: called once per op and arch. */
static bool declared_clobbers(const struct spec_op *op, const struct spec_arch *a, struct reglist *l)
{
	const struct node *n = spec_for_arch(op->clobbers, a);

	memset(l, 0, sizeof(*l));
	if (!n)
		return false;
	regs_parse(n, l);
	return true;
}

struct walk {
	struct x86_arch *x;
	int type;
};

static void add_info(struct walk *w, const struct spec_op *op, int slot)
{
	struct x86_arch *x = w->x;
	struct x86_opinfo *i;
	struct reglist l = {0};

	x->ops = xrealloc(x->ops, (size_t)(x->nops + 1) * sizeof(*x->ops));
	i = &x->ops[x->nops++];
	memset(i, 0, sizeof(*i));
	i->op = op;
	i->kind = kind_on(x, op);
	i->type = -1;
	i->name_at = node_pos_of(op->node, "name");
	i->type_at = node_pos_of(op->node, "type");
	i->struct_at = node_pos_of(op->node, "struct");
	i->clobbers_at = op->clobbers ? node_pos_of(op->clobbers, x->a->name) : op->node->pos;
	if (op->kind == OP_FIELD || op->kind == OP_GROUP)
		return;
	i->type = w->type++;
	i->offset = slot * x->a->word_bits / 8;
	i->clobbers = i->kind == OP_CALLEE_SAVE ? x->conv.callee : i->kind == OP_JUMP ? 0 : x->conv.call;
	if (declared_clobbers(op, x->a, &l)) {
		i->declared = true;
		i->clobbers = x86_regset(&l, x->conv.bits);
	}
	i->regs = l;
	bind_words(x->s, op, &x->conv, &i->bind);
}

static int walk_ops(struct walk *w, const struct vec *ops, int slot)
{
	for (size_t i = 0; i < ops->n; i++) {
		const struct spec_op *op = ops->v[i];
		if (!model_op_on_arch(op, w->x->a))
			continue;
		add_info(w, op, slot);
		if (op->kind == OP_GROUP)
			slot = walk_ops(w, &op->ops, slot);
		else if (op->kind != OP_FIELD)
			slot++;
	}
	return slot;
}

bool x86_table_has_funcs(const struct vec *ops, const struct spec_arch *a)
{
	for (size_t i = 0; i < ops->n; i++) {
		const struct spec_op *op = ops->v[i];
		if (!model_op_on_arch(op, a))
			continue;
		if (op->kind == OP_GROUP ? x86_table_has_funcs(&op->ops, a) : op->kind != OP_FIELD)
			return true;
	}
	return false;
}

static const struct x86_arch *sort_arch; /* qsort has no context argument */

static int by_op(const void *pa, const void *pb)
{
	const struct spec_op *a = sort_arch->ops[*(const int *)pa].op, *b = sort_arch->ops[*(const int *)pb].op;
	return a < b ? -1 : a > b;
}

static int by_qname(const void *pa, const void *pb)
{
	return strcmp(sort_arch->ops[*(const int *)pa].op->qname, sort_arch->ops[*(const int *)pb].op->qname);
}

void x86_arch_build(struct x86_arch *x, const struct spec *s, const struct spec_arch *a)
{
	struct walk w = {x, 0};

	memset(x, 0, sizeof(*x));
	x->s = s;
	x->a = a;
	x->conv_ok = conv_of(a, &x->conv);
	read_keys(x);
	for (size_t t = 0; t < s->tables.n; t++) {
		const struct spec_table *tab = s->tables.v[t];
		if (!(tab->arches >> a->index & 1))
			continue;
		/* a table of data only (pv_info) holds no slot of the numbering */
		int before = w.type;
		walk_ops(&w, &tab->ops, 0);
		if (!x86_table_has_funcs(&tab->ops, a))
			w.type = before;
	}
	x->nslots = w.type;
	x->index = xmalloc((size_t)(x->nops ? x->nops : 1) * sizeof(*x->index));
	for (int i = 0; i < x->nops; i++)
		x->index[i] = i;
	sort_arch = x;
	qsort(x->index, (size_t)x->nops, sizeof(*x->index), by_op);
	x->by_qname = xmalloc((size_t)(x->nops ? x->nops : 1) * sizeof(*x->by_qname));
	memcpy(x->by_qname, x->index, (size_t)x->nops * sizeof(*x->by_qname));
	qsort(x->by_qname, (size_t)x->nops, sizeof(*x->by_qname), by_qname);
	/* the call of a site is as long for every op of a table (the slot's displacement is a
	 * 32-bit relocation, whatever the offset): assembled once per table and verb */
	const struct spec_table *table = NULL;
	bool jump = false;
	int call = 0;
	for (int i = 0; i < x->nops; i++) {
		struct x86_opinfo *in = &x->ops[i];
		if (in->type < 0)
			continue;
		if (in->op->table != table || (in->kind == OP_JUMP) != jump) {
			struct x86_opinfo bare = *in;

			bare.pad = 0;
			call = x86_site_len(x, &bare, SITE_C);
			table = in->op->table;
			jump = in->kind == OP_JUMP;
		}
		in->pad = site_pad(x, in, call);
		in->site = call + in->pad;
	}
}

const struct x86_opinfo *x86_info(const struct x86_arch *x, const struct spec_op *op)
{
	int lo = 0, hi = x->nops;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const struct spec_op *m = x->ops[x->index[mid]].op;
		if (m == op)
			return &x->ops[x->index[mid]];
		if (m < op)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The first op of that qname in spec order, as a linear search would find it. */
const struct x86_opinfo *x86_info_named(const struct x86_arch *x, const char *qname)
{
	int lo = 0, hi = x->nops, found = -1;

	while (lo < hi) { /* the first of that qname in the sorted index */
		int mid = (lo + hi) / 2;
		if (strcmp(x->ops[x->by_qname[mid]].op->qname, qname) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < x->nops && strcmp(x->ops[x->by_qname[i]].op->qname, qname) == 0; i++)
		if (found < 0 || x->by_qname[i] < found)
			found = x->by_qname[i];
	return found < 0 ? NULL : &x->ops[found];
}

static int by_node(const void *pa, const void *pb)
{
	const struct node *a = ((const struct x86_impl_code *)pa)->node, *b = ((const struct x86_impl_code *)pb)->node;
	return a < b ? -1 : a > b;
}

/* Every backend sequence given for an op of the arch (with an implementation that applies to
 * it), assembled once; its errors are reported here, at the character. */
static void assemble_codes(struct x86_arch *x)
{
	const struct spec *s = x->s;
	int cap = 0;

	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct node *code = impl->code ? spec_for_arch(impl->code, x->a) : NULL;
			const struct x86_opinfo *in;
			if (!code || code->kind != NODE_SCALAR || impl->code->kind != NODE_MAP ||
			    !(impl->arches >> x->a->index & 1))
				continue;
			in = x86_info_named(x, impl->qname);
			if (!in || in->type < 0) /* no op there: check impl-arch says so */
				continue;
			if (x->ncodes == cap) {
				cap = cap ? 2 * cap : 16;
				x->codes = xrealloc(x->codes, (size_t)cap * sizeof(*x->codes));
			}
			struct x86_impl_code *ic = &x->codes[x->ncodes++];
			ic->node = code;
			ic->b = b;
			ic->impl = impl;
			ic->ok = assemble_code(x, code, &ic->code);
		}
	}
	if (x->ncodes > 1)
		qsort(x->codes, (size_t)x->ncodes, sizeof(*x->codes), by_node);
}

const struct x86_code *x86_code_of(const struct x86_arch *x, const struct node *code)
{
	struct x86_impl_code key = {.node = code};
	const struct x86_impl_code *ic;

	if (!code || !x->ncodes)
		return NULL;
	ic = bsearch(&key, x->codes, (size_t)x->ncodes, sizeof(*x->codes), by_node);
	return ic && ic->ok ? &ic->code : NULL;
}

const struct x86_code *x86_impl_code_of(const struct x86_arch *x, const struct spec_impl *impl)
{
	return impl ? x86_code_of(x, spec_for_arch(impl->code, x->a)) : NULL;
}

void *x86_analyze(const struct spec *s, const struct spec_arch *a)
{
	struct x86_arch *x;

	if (a->word_bits != 32 && a->word_bits != 64)
		return NULL;
	x = xmalloc(sizeof(*x));
	x86_arch_build(x, s, a);
	assemble_codes(x);
	return x;
}

void x86_view_free(void *view)
{
	if (!view)
		return;
	x86_arch_free(view);
	free(view);
}

void x86_arch_free(struct x86_arch *x)
{
	for (int i = 0; i < x->nops; i++)
		reglist_free(&x->ops[i].regs);
	for (int i = 0; i < x->ncodes; i++)
		if (x->codes[i].ok)
			x86_code_free(&x->codes[i].code);
	free(x->codes);
	free(x->ops);
	free(x->index);
	free(x->by_qname);
	free_keys(x);
	memset(x, 0, sizeof(*x));
}

/* ---- sites ---- */

static char *site_insn(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where,
		       const char *offset)
{
	const char *verb = in->kind == OP_JUMP ? "jmp" : "call";

	/* x86_64 reaches the slot %rip-relative; i386 absolute, and entry code (.S) through %cs,
	 * since %ds may still hold a user segment there */
	if (x->conv.bits == 64)
		return xasprintf("%s *%s+%s(%%rip)", verb, in->op->table->name, offset);
	return xasprintf("%s *%s%s+%s", verb, where == SITE_ASM ? "%cs:" : "", in->op->table->name, offset);
}

/* The instruction that reaches the op, its slot's offset a number (to measure its length). */
static char *numeric_site_insn(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where)
{
	char off[24];

	snprintf(off, sizeof(off), "%d", in->offset);
	return site_insn(x, in, where, off);
}

/* The displacement is always 32 bits (a relocated symbol), so the named form is as long as
 * the numeric one x86_site_len measures. */
char *x86_site_insn_named(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where)
{
	char *cname = cname_of(in->op->qname), *off = xasprintf("PV_OFFSET_%s", cname);
	char *text = site_insn(x, in, where, off);

	free(cname);
	free(off);
	return text;
}

int x86_site_len(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where)
{
	char *text = numeric_site_insn(x, in, where);
	struct x86_code code;
	int len = 0;

	if (x86_assemble(text, x->conv.bits, NULL, NULL, (struct pos){"<site>", 0, 0}, "x86-site", NULL, NULL, &code))
		len = code.len;
	x86_code_free(&code);
	free(text);
	return len + in->pad;
}

/* The op's declared site_bytes on the arch, or 0. */
static int site_bytes(const struct x86_arch *x, const struct spec_op *op)
{
	const struct x86_op_keys *keys = op_keys_of(x, op);
	const struct x86_arch_entry *n = keys ? entry_for(keys->site_bytes, keys->nsite_bytes, x->a) : NULL;

	return n && n->is_number && n->number > 0 && n->number < 4096 ? (int)n->number : 0;
}

/* The padding that makes in's site (a call of `call` bytes) site_bytes long. */
static int site_pad(const struct x86_arch *x, const struct x86_opinfo *in, int call)
{
	int want = site_bytes(x, in->op);

	return want > call ? want - call : 0;
}

/* ---- backend code ---- */

struct const_ctx {
	const struct spec *s;
	const struct spec_arch *a;
};

static bool spec_const(const char *name, long long *value, void *ctx)
{
	const struct const_ctx *c = ctx;
	return schema_scalar_int(spec_constant(c->s, name, c->a), value);
}

/* Assemble backend code given for the view's arch (a YAML scalar); errors are reported (check
 * x86-code) at the character; operands may name the spec's constants. */
static bool assemble_code(const struct x86_arch *x, const struct node *code, struct x86_code *out)
{
	struct const_ctx c = {x->s, x->a};

	memset(out, 0, sizeof(*out));
	if (!code || code->kind != NODE_SCALAR)
		return false;
	return x86_assemble(code->str, x->conv.bits, x->percpu_segment, code, code->pos, "x86-code", spec_const, &c,
			    out);
}

/* ---- the family's keys, read once ---- */

static void arch_entries(const struct node *map, struct x86_arch_entry **out, int *n)
{
	*out = NULL;
	*n = 0;
	if (!map || map->kind != NODE_MAP || !map->n)
		return;
	*out = xcalloc(map->n, sizeof(**out));
	for (size_t i = 0; i < map->n; i++) {
		struct x86_arch_entry *e = &(*out)[(*n)++];
		const struct node *v = map->items[i];
		e->arch = map->keys[i]->str;
		e->arch_at = map->keys[i]->pos;
		e->word = v->kind == NODE_SCALAR ? v->str : NULL;
		e->at = v->pos;
		e->is_number = schema_scalar_int(v, &e->number);
	}
}

/* The entry of a per-arch map for arch a, or NULL. */
static const struct x86_arch_entry *entry_for(const struct x86_arch_entry *v, int n, const struct spec_arch *a)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i].arch, a->name) == 0)
			return &v[i];
	return NULL;
}

static void add_op_keys(struct spec_op *op, void *ctx)
{
	struct x86_arch *x = ctx;
	struct x86_op_keys k = {.op = op};

	arch_entries(node_get(op->node, "kinds"), &k.kinds, &k.nkinds);
	arch_entries(node_get(op->node, "site_bytes"), &k.site_bytes, &k.nsite_bytes);
	if (!k.nkinds && !k.nsite_bytes)
		return;
	x->op_keys = xrealloc(x->op_keys, (size_t)(x->nop_keys + 1) * sizeof(*x->op_keys));
	x->op_keys[x->nop_keys++] = k;
}

static int key_by_op(const void *pa, const void *pb)
{
	const struct spec_op *a = ((const struct x86_op_keys *)pa)->op, *b = ((const struct x86_op_keys *)pb)->op;
	return a < b ? -1 : a > b;
}

/* The x86 keys of op, or NULL when it has none. */
static const struct x86_op_keys *op_keys_of(const struct x86_arch *x, const struct spec_op *op)
{
	struct x86_op_keys key = {.op = op};

	if (!x->nop_keys)
		return NULL;
	return bsearch(&key, x->op_keys, (size_t)x->nop_keys, sizeof(*x->op_keys), key_by_op);
}

static int by_impl(const void *pa, const void *pb)
{
	const struct spec_impl *a = ((const struct x86_impl_keys *)pa)->impl, *b = ((const struct x86_impl_keys *)pb)->impl;
	return a < b ? -1 : a > b;
}

const struct x86_impl_keys *x86_impl_keys_of(const struct x86_arch *x, const struct spec_impl *impl)
{
	struct x86_impl_keys key = {.impl = impl};

	if (!x->nimpl_keys)
		return NULL;
	return bsearch(&key, x->impl_keys, (size_t)x->nimpl_keys, sizeof(*x->impl_keys), by_impl);
}

static void read_impl_keys(struct x86_arch *x)
{
	const struct spec *s = x->s;

	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct node *f = node_get(impl->node, "unless_feature");
			const struct node *fixup = spec_for_arch(node_get(impl->node, "fixup"), x->a);
			const struct node *stack = node_get(impl->node, "stack");
			long long v;
			if (stack && stack->kind == NODE_MAP) /* a number, or a map of arch to number */
				stack = spec_for_arch(stack, x->a);
			if (!f && !fixup && !stack && !impl->nop)
				continue;
			x->impl_keys = xrealloc(x->impl_keys, (size_t)(x->nimpl_keys + 1) * sizeof(*x->impl_keys));
			x->impl_keys[x->nimpl_keys++] = (struct x86_impl_keys){
				.impl = impl,
				.unless_feature = f && f->kind == NODE_SCALAR ? f->str : NULL,
				.unless_feature_at = f ? f->pos : impl->node->pos,
				.fixup = fixup && fixup->kind == NODE_SCALAR ? fixup->str : NULL,
				.has_stack = stack != NULL,
				.stack = schema_scalar_int(stack, &v) && v >= -255 && v <= 255 ? (int)v : 0,
				.stack_at = stack ? stack->pos : impl->node->pos,
				.nop_at = node_pos_of(impl->node, "nop"),
			};
		}
	}
	if (x->nimpl_keys > 1)
		qsort(x->impl_keys, (size_t)x->nimpl_keys, sizeof(*x->impl_keys), by_impl);
}

static void macro_params(struct x86_macro *m, const struct node *params)
{
	if (!params || params->kind != NODE_SEQ || !params->n)
		return;
	m->params = xcalloc(params->n, sizeof(*m->params));
	for (size_t i = 0; i < params->n; i++) {
		const struct node *p = params->items[i];
		const struct node *role = node_get(p, "role"), *name = node_get(p, "name");
		struct x86_macro_param *mp = &m->params[m->nparams++];
		mp->role = role && role->kind == NODE_SCALAR ? role->str : NULL;
		mp->at = role ? role->pos : p->pos;
		if (!m->clob_param && node_is(role, "clob") && name && name->kind == NODE_SCALAR)
			m->clob_param = name->str;
	}
}

static void macro_clobbers(struct x86_arch *x, struct x86_macro *m, const struct node *c)
{
	const struct node *own;

	if (!c)
		return;
	m->has_clobbers = true;
	m->clobbers_at = c->pos;
	m->clobbers_per_arch = c->kind == NODE_MAP;
	if (m->clobbers_per_arch)
		arch_entries(c, &m->clobber_arches, &m->nclobber_arches);
	own = m->clobbers_per_arch ? spec_for_arch(c, x->a) : c;
	if (!own || !m->op || !x86_macro_on(m, x->a))
		return;
	m->has_arch_clobbers = true;
	m->arch_clobbers_at = own->pos;
	regs_parse(own, &m->clobbers);
}

static void read_macro(struct x86_arch *x, struct x86_macro *m, const struct node *mac)
{
	const struct node *name = node_get(mac, "name"), *op = node_get(mac, "op");
	const struct node *arches = node_get(mac, "arches"), *params = node_get(mac, "params");
	const struct node *expand = node_get(mac, "expand"), *seq = node_get(mac, "sequence");

	m->at = mac->pos;
	m->has_name = name && name->kind == NODE_SCALAR;
	m->name = m->has_name ? name->str : "?";
	m->name_at = name ? name->pos : mac->pos;
	m->has_op = op != NULL;
	m->op = op && op->kind == NODE_SCALAR ? op->str : NULL;
	m->op_at = op ? op->pos : mac->pos;
	m->any_arch = !arches;
	if (arches && arches->kind == NODE_SCALAR)
		vec_push(&m->arches, arches->str);
	for (size_t i = 0; arches && arches->kind == NODE_SEQ && i < arches->n; i++)
		if (arches->items[i]->kind == NODE_SCALAR)
			vec_push(&m->arches, arches->items[i]->str);
	m->params_at = params ? params->pos : mac->pos;
	macro_params(m, params);
	m->sequence = seq && seq->kind == NODE_SCALAR ? seq->str : NULL;
	m->sequence_at = seq ? seq->pos : mac->pos;
	m->expand = expand != NULL;
	m->expand_at = expand ? expand->pos : mac->pos;
	m->doc = node_get(mac, "doc");
	macro_clobbers(x, m, node_get(mac, "clobbers"));
}

/* The x86 keys of the arch, its ops, implementations and asm macros, typed for the checks
 * and the model; the analysis reads them here and nowhere else. */
static void read_keys(struct x86_arch *x)
{
	const struct spec *s = x->s;
	const struct node *seg = node_get(x->a->node, "percpu_segment"), *rr = node_get(x->a->node, "ret_regs");
	const struct node *macs = s->asm_macros;

	x->percpu_segment = seg && seg->kind == NODE_SCALAR ? seg->str : NULL;
	x->percpu_segment_at = seg ? seg->pos : x->a->node->pos;
	x->no_ret_regs = rr && rr->kind == NODE_SEQ && rr->n == 0;
	x->at = (struct x86_arch_places){
		node_pos_of(x->a->node, "arg_regs"), node_pos_of(x->a->node, "ret_regs"),
		node_pos_of(x->a->node, "stack_args"), node_pos_of(x->a->node, "call_clobbers"),
		node_pos_of(x->a->node, "callee_save_clobbers"), node_pos_of(x->a->node, "clobber_mask"),
	};
	spec_each_op(s, add_op_keys, x);
	if (x->nop_keys > 1)
		qsort(x->op_keys, (size_t)x->nop_keys, sizeof(*x->op_keys), key_by_op);
	read_impl_keys(x);
	for (size_t i = 0; macs && macs->kind == NODE_SEQ && i < macs->n; i++)
		if (macs->items[i]->kind == NODE_MAP)
			x->nmacros++;
	x->macros = xcalloc((size_t)(x->nmacros ? x->nmacros : 1), sizeof(*x->macros));
	for (size_t i = 0, k = 0; macs && macs->kind == NODE_SEQ && i < macs->n; i++)
		if (macs->items[i]->kind == NODE_MAP)
			read_macro(x, &x->macros[k++], macs->items[i]);
	read_departures(x);
}

/* ---- departures from Linux (`departs`) ---- */

static const char *text_of(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return n && n->kind == NODE_SCALAR ? n->str : "";
}

/* The `departs` of a node, if it has one; where: what the node is (taken). */
static void departure(struct x86_arch *x, const struct node *n, char *where)
{
	const struct node *d = node_get(n, "departs");

	if (!d || d->kind != NODE_MAP) {
		free(where);
		return;
	}
	x->departures = xrealloc(x->departures, (size_t)(x->ndepartures + 1) * sizeof(*x->departures));
	x->departures[x->ndepartures++] =
		(struct x86_departure){where, text_of(d, "what"), text_of(d, "why"), text_of(d, "test")};
}

static void op_departure(struct spec_op *op, void *ctx)
{
	struct x86_arch *x = ctx;

	if (model_op_on_arch(op, x->a))
		departure(x, op->node, xasprintf("op `%s`", op->qname));
}

static void read_departures(struct x86_arch *x)
{
	const struct spec *s = x->s;
	const struct spec_arch *a = x->a;
	const struct node *macs = s->asm_macros;

	departure(x, a->node, xasprintf("arch `%s`", a->name));
	for (size_t i = 0; i < s->tables.n; i++) {
		const struct spec_table *t = s->tables.v[i];
		if (t->arches >> a->index & 1)
			departure(x, t->node, xasprintf("table `%s`", t->name));
	}
	spec_each_op(s, op_departure, x);
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		if (!spec_backend_on(b, a))
			continue;
		departure(x, b->node, xasprintf("backend `%s`", b->name));
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			if (impl->op && (impl->arches >> a->index & 1) && model_op_on_arch(impl->op, a))
				departure(x, impl->node, xasprintf("%s's `%s`", b->name, impl->qname));
		}
	}
	for (size_t i = 0, k = 0; macs && macs->kind == NODE_SEQ && i < macs->n; i++) {
		if (macs->items[i]->kind != NODE_MAP)
			continue;
		const struct x86_macro *m = &x->macros[k++];
		if (x86_macro_on(m, a) && m->has_name)
			departure(x, macs->items[i], xasprintf("macro `%s`", m->name));
	}
}

static void free_keys(struct x86_arch *x)
{
	for (int i = 0; i < x->ndepartures; i++)
		free(x->departures[i].where);
	free(x->departures);
	for (int i = 0; i < x->nop_keys; i++) {
		free(x->op_keys[i].kinds);
		free(x->op_keys[i].site_bytes);
	}
	free(x->op_keys);
	free(x->impl_keys);
	for (int i = 0; i < x->nmacros; i++) {
		vec_free(&x->macros[i].arches);
		free(x->macros[i].params);
		free(x->macros[i].clobber_arches);
		reglist_free(&x->macros[i].clobbers);
	}
	free(x->macros);
}

int x86_impl_stack(const struct x86_arch *x, const struct spec_impl *impl)
{
	const struct x86_impl_keys *k = x86_impl_keys_of(x, impl);

	return k ? k->stack : 0;
}

/* Is this asm macro an x86 one on arch a? (It names its arches, or at least an op.) */
bool x86_macro_on(const struct x86_macro *m, const struct spec_arch *a)
{
	if (m->any_arch)
		return m->has_op;
	for (size_t i = 0; i < m->arches.n; i++)
		if (strcmp(m->arches.v[i], a->name) == 0)
			return true;
	return false;
}
