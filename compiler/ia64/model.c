/* model.c: the IA-64 family: its checks (check.c) and the model templates/ia64/ read.
 *
 * Besides the common model (model.h), the root holds:
 *   return_branch, ret, gp_save, site_bundles, stub_pad[] (bundles a site has beyond the stub's 5)
 *   structs[]            struct tags the signatures use (forward declarations)
 *   patchlists[]         name, upper: the gate patch lists (pv_patchdata's start_/end_ pairs)
 *   has_pv_info, has_pv_patchdata, has_pv_fsys_data, has_pv_cpu_asm_switch: the spec has it
 *   patch_types[]        name ("FC", "GETREG", "BR_SWITCH_TO"), value, doc
 *   registers[]          name, cname, number, get, set
 *   branch_sites[]       name (a field with a branch patch type)
 *   macros[]             the ASM macros, for the checker: name, gas_name, gas_params,
 *                        cpp_params, cpp_args, has_params, checks[] (role, name)
 *   sensitive[]          gas_macros[] and cpp_names[]: what the spec's `sensitive` adds
 *   pvcheck[]            form, regex (POSIX ERE), use: each sensitive form a backend replaces
 *   impl_protos[]        a prototype of every function the backends' tables name, once
 *   link_symbols[]       the linker symbols the tables' field values name, once
 *   be.<backend>         the backend's map from backends[], which gains: upper, bodies[]
 *                        (stem, lines[], bundles, bundle_word, type, what, inline, traps), patchlist[],
 *                        definitions[] (name, var, is_asm_switch, entries[] as
 *                        backends[].tables[] with inherited; tables[] becomes this list, flat,
 *                        each entry with symbol and owed), refs[] (see model.h: what its
 *                        bodies' movl and its dispatchers name), branch_targets[] (type_name,
 *                        value), setup (its setup function), is_default, asm_aliases[]
 *                        (name, value: the entry points' and fsys names, then the spec's),
 *                        dispatchers[] (symbol, num_reg, reads, cases[] (number, stem, name),
 *                        fallback), macros[] (as above, with lines[] and poison[])
 * Every function op gains is_patchable; patchable ones: type_name, patch_type, stub_outs[]
 * (reg, var), stub_ins[] (reg, var, value, match), stub_clobbers, result_var, reg_param,
 * native_regs[] (registers the intrinsic never paravirtualizes), read_only_regs[] (setreg:
 * registers no instruction writes), native_fn. */
#include "family.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "ia64.h"
#include "model.h"
#include "schema.h"

static char *upper(const char *s)
{
	char *u = xstrdup(s);
	for (char *p = u; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	return u;
}

static const struct spec_backend *native_backend(const struct spec *s)
{
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		if (b->hypervisor_type == 0)
			return b;
	}
	return s->backends.n ? s->backends.v[0] : NULL;
}

/* The registers carrying a stub call's arguments: the op's params in order, or reg_arg_order. */
static const char *arg_reg(const struct ia64_view *v, const struct spec_op *op, int i)
{
	const struct ia64_op_keys *k = ia64_op_keys_of(v, op);

	if (k->has_reg_arg_order && i < k->nreg_arg_order && k->reg_arg_order[i].name)
		return k->reg_arg_order[i].name;
	return i < v->conv.nargs ? v->conv.args[i] : "r0";
}

/* GCC binding of the stub call: every argument register and the result register are outputs
 * (the callee may change them), the arguments are inputs tied to them, and every other
 * register of the convention is a clobber. */
static void stub_binding(const struct ia64_view *v, const struct spec_op *op, struct tval *m)
{
	const struct ia64_conv *c = &v->conv;
	struct tval *outs = tv_set(m, "stub_outs", tv_list()), *ins = tv_set(m, "stub_ins", tv_list());
	const char *regs[9];
	int nregs = 0;
	struct buf clob = {0};

	regs[nregs++] = c->ret;
	for (int i = 0; i < op->sig.nparams && i < 8; i++) {
		const char *r = arg_reg(v, op, i);
		bool dup = false;
		for (int k = 0; k < nregs; k++)
			dup |= strcmp(regs[k], r) == 0;
		if (!dup)
			regs[nregs++] = r;
	}
	for (int k = 0; k < nregs; k++) {
		struct tval *o = tv_add_map(outs);
		tv_set_str(o, "reg", regs[k]);
		tv_set_strf(o, "var", "__pv_%s", regs[k]);
	}
	tv_set_strf(m, "result_var", "__pv_%s", c->ret);
	for (int i = 0; i < op->sig.nparams && i < 8; i++) {
		const char *r = arg_reg(v, op, i);
		struct tval *in = tv_add_map(ins);
		const struct cparam *p = &op->sig.params[i];
		int match = 0;
		for (int k = 0; k < nregs; k++)
			if (strcmp(regs[k], r) == 0)
				match = k;
		tv_set_str(in, "reg", r);
		tv_set_strf(in, "var", "__pv_a%d", i);
		tv_set_strf(in, "value", "%s", p->name ? p->name : "0");
		tv_set_strf(in, "match", "%d", match);
	}
	for (size_t i = 0; i < c->clobbers.n; i++) {
		bool out = false;
		for (int k = 0; k < nregs; k++)
			out |= strcmp(regs[k], c->clobbers.v[i]) == 0;
		if (!out)
			buf_printf(&clob, "\"%s\", ", (const char *)c->clobbers.v[i]);
	}
	buf_puts(&clob, "\"memory\"");
	tv_set_str(m, "stub_clobbers", clob.data);
	buf_free(&clob);
}

struct hook_ctx {
	const struct ia64_view *v;
	const struct spec_backend *native;
};

static void op_hook(const struct spec *s, const struct spec_arch *a, const struct spec_op *op,
		    struct tval *m, void *ctx)
{
	const struct hook_ctx *h = ctx;
	const struct ia64_op_keys *k = ia64_op_keys_of(h->v, op);
	char *up = upper(op->name);

	(void)s;
	tv_set_bool(m, "is_patchable", op->kind == OP_PATCHABLE && op->has_sig);
	if (k->patch_type_ok) {
		tv_set_strf(m, "patch_type", "%#llx", k->patch_type);
		tv_set_strf(m, "type_name", "PARAVIRT_PATCH_TYPE_%s%s", op->kind == OP_FIELD ? "BR_" : "", up);
	}
	if (op->kind == OP_PATCHABLE && op->has_sig) {
		stub_binding(h->v, op, m);
		tv_set_str(m, "reg_param", k->reg_param ? k->reg_param : "");
		struct tval *nat = tv_set(m, "native_regs", tv_list());
		struct tval *ro = tv_set(m, "read_only_regs", tv_list());
		bool reads = ia64_returns(op);
		for (size_t i = 0; k->has_reg_param && i < h->v->regs.n; i++) {
			const struct ia64_register *r = h->v->regs.v[i];
			if (!reads && r->known && ia64_reg_read_only(r->canon))
				tv_add_str(ro, r->cname); /* no setreg at all, native or not */
			else if (!(reads ? r->get : r->set))
				tv_add_str(nat, r->cname);
		}
		tv_set_strf(m, "native_fn", "%s%s", h->native ? spec_prefix(h->native, a) : "", op->name);
	}
	free(up);
}

static void add_lines(struct tval *list, const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *b = p, *e = p + n;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		if (e > b) {
			char *line = xstrndup(b, (size_t)(e - b));
			tv_add_str(list, line);
			free(line);
		}
		p = nl ? nl + 1 : p + n;
	}
}

static struct tval *body_map(const struct ia64_body *b, struct tval *list)
{
	struct tval *m = tv_add_map(list);

	tv_set_str(m, "stem", b->stem);
	add_lines(tv_set(m, "lines", tv_list()), b->text.buf.data);
	tv_set_int(m, "bundles", b->bundles);
	tv_set_str(m, "bundle_word", b->bundles == 1 ? "bundle" : "bundles");
	tv_set_strf(m, "type", "%#llx", b->type);
	if (b->reg)
		tv_set_strf(m, "what", "%s(%s)", b->op->name, b->reg->name);
	else
		tv_set_str(m, "what", b->op->name);
	tv_set_bool(m, "inline", b->is_inline);
	tv_set_bool(m, "inherited", b->inherited);
	tv_set_str(m, "traps", b->traps ? b->traps->str : "");
	return m;
}

static void add_dispatch(const struct ia64_view *v, const struct ia64_dispatch *d, struct tval *list)
{
	struct tval *m = tv_add_map(list), *cases = tv_set(m, "cases", tv_list());
	const char *num = arg_reg(v, d->op, 0);

	/* the register number is the reg_param's argument */
	const char *rp = ia64_op_keys_of(v, d->op)->reg_param;
	for (int i = 0; rp && i < d->op->sig.nparams; i++)
		if (d->op->sig.params[i].name && strcmp(d->op->sig.params[i].name, rp) == 0)
			num = arg_reg(v, d->op, i);
	tv_set_str(m, "symbol", d->symbol);
	tv_set_str(m, "op", d->op->name);
	tv_set_str(m, "num_reg", num);
	tv_set_bool(m, "reads", d->reads_reg);
	tv_set_str(m, "fallback", d->fallback ? d->fallback : "");
	for (size_t i = 0; i < d->bodies.n; i++) {
		const struct ia64_body *b = d->bodies.v[i];
		struct tval *c = tv_add_map(cases);
		tv_set_int(c, "number", b->reg->number);
		tv_set_str(c, "stem", b->stem);
		tv_set_str(c, "name", b->reg->name);
	}
}

/* Parameter lists of a macro: "reg, clob" for gas and cpp, and what cpp passes on. */
static void macro_head(const struct ia64_macro *mac, struct tval *m)
{
	struct buf gas = {0}, args = {0};
	char *gn = ia64_gas_name(mac->name);

	for (int k = 0; k < mac->nparams; k++) {
		const struct ia64_param *p = &mac->params[k];
		buf_printf(&gas, "%s%s", k ? ", " : "", p->name);
		if (p->prefix)
			buf_printf(&args, "%s%s ## %s", k ? ", " : "", p->prefix, p->name);
		else
			buf_printf(&args, "%s%s", k ? ", " : "", p->name);
	}
	tv_set_str(m, "name", mac->name);
	tv_set_str(m, "gas_name", gn);
	tv_set_str(m, "gas_params", gas.data ? gas.data : "");
	tv_set_str(m, "cpp_params", gas.data ? gas.data : "");
	tv_set_str(m, "cpp_args", args.data ? args.data : "");
	tv_set_bool(m, "has_params", mac->nparams > 0);
	free(gn);
	buf_free(&gas);
	buf_free(&args);
}

static const char *const role_words[] = {"in", "out", "pred", "clob", "pred_clob", "const", "bad"};

/* The expansion's lines as a gas macro body: invocations of macros name their gas macros. */
static void expansion_lines(const struct ia64_view *v, const char *text, struct tval *list)
{
	struct tval *raw = tv_list();

	add_lines(raw, text);
	for (size_t i = 0; i < raw->n; i++) {
		const char *line = raw->items[i]->str;
		size_t off, len;
		bool call = false;
		if (ia64_macro_call(line, strlen(line), &off, &len))
			for (size_t k = 0; k < v->macros.n && !call; k++) {
				const struct ia64_macro *m = v->macros.v[k];
				call = strlen(m->name) == len && strncmp(m->name, line + off, len) == 0;
			}
		if (call) {
			char *callee = xstrndup(line + off, len), *gn = ia64_gas_name(callee);
			tv_add(list, tv_strf("%s%s", gn, line + off + len));
			free(callee);
			free(gn);
		} else {
			tv_add_str(list, line);
		}
	}
	tv_free(raw);
}

/* Does the native form end the path (rfi, a branch that is always taken)? The checker then
 * ends it too, so the dependency checker does not follow it into what comes next. */
static bool ends_path(const struct ia64_view *v, const struct ia64_macro *mac)
{
	const struct spec_backend *nat = native_backend(v->s);
	const struct node *e = nat ? ia64_expansion(mac, nat) : NULL;
	const char *args[8];
	struct ia64_text t = {0};
	struct ia64_seq seq = {0};
	bool ends = false;

	for (int k = 0; k < mac->nparams; k++)
		args[k] = ia64_plain_operand(mac, k);
	const struct ia64_macro_def def = {mac->name, mac->names, mac->nparams, e ? e->str : ""};
	if (e && ia64_expand(&def, args, NULL, NULL, &t, NULL, NULL, NULL) == EXPAND_OK &&
	    ia64_parse(t.buf.data, &seq, NULL, NULL)) {
		const struct ia64_insn *last = seq.n ? &seq.v[seq.n - 1] : NULL;
		ends = last && (strcmp(last->mnem, "rfi") == 0 || (last->branch && !last->qp[0]));
	}
	ia64_seq_free(&seq);
	ia64_text_free(&t);
	return ends;
}

static void add_macros(const struct ia64_view *v, const struct spec_backend *b, struct tval *list)
{
	for (size_t i = 0; i < v->macros.n; i++) {
		const struct ia64_macro *mac = v->macros.v[i];
		const struct node *e = b ? ia64_expansion(mac, b) : NULL;
		struct tval *m = tv_add_map(list);
		struct tval *checks = tv_set(m, "checks", tv_list()), *poison = tv_set(m, "poison", tv_list());
		macro_head(mac, m);
		tv_set_bool(m, "ends_path", ends_path(v, mac));
		if (b)
			expansion_lines(v, e ? e->str : "", tv_set(m, "lines", tv_list()));
		for (int k = 0; k < mac->nparams; k++) {
			const struct ia64_param *p = &mac->params[k];
			struct tval *c = tv_add_map(checks);
			tv_set_str(c, "role", role_words[p->role]);
			tv_set_str(c, "name", p->name);
			if (p->role == R_CLOB)
				tv_add(poison, tv_strf("movl \\%s = PARAVIRT_CLOBBER_POISON", p->name));
			else if (p->role == R_PRED_CLOB)
				tv_add(poison, tv_strf("cmp.eq \\%s, p0 = r0, r0", p->name));
		}
	}
}

/* The linker symbol a field's value names, "(unsigned long)ia64_native_switch_to" ->
 * "ia64_native_switch_to"; NULL for a number, a string or any other expression. */
static char *link_symbol(const char *value)
{
	const char *p = value, *start;

	if (*p == '(' && !(p = strchr(p, ')')))
		return NULL;
	p += *value == '(';
	while (isspace((unsigned char)*p))
		p++;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return NULL;
	for (start = p; isalnum((unsigned char)*p) || *p == '_'; p++)
		;
	return *p ? NULL : xstrndup(start, (size_t)(p - start));
}

/* What the backends' definitions name, each declared once: implementations (prototypes from
 * their op's signature) and the linker symbols of field values (assembler labels). */
struct decls {
	struct strset seen;
	struct tval *protos, *links;
	struct strset generated; /* what the patch lists define: bodies' stems, dispatchers */
};

static void declare_impl(struct decls *d, const struct spec_op *op, const char *symbol)
{
	struct buf params = {0};

	if (!strset_add(&d->seen, symbol))
		return;
	for (int i = 0; i < op->sig.nparams; i++) {
		const struct cparam *p = &op->sig.params[i];
		char *decl = p->name ? c_declare(p->type.spelling, p->name) : xstrdup(p->type.spelling);
		buf_printf(&params, "%s%s", i ? ", " : "", decl);
		free(decl);
	}
	char *head = c_declare(op->sig.ret.spelling, symbol);
	tv_add(d->protos, tv_strf("%s(%s)", head, params.data ? params.data : "void"));
	free(head);
	buf_free(&params);
}

/* Backend b's definition of every table (each slot explicit, through its fallbacks) and its
 * branch targets (the pv_cpu_asm_switch fields that carry a patch type). */
/* Where a backend's definitions go besides its tables. */
struct defs_out {
	struct decls *d;
	struct tval *aliases; /* names .S files use */
	struct tval *targets; /* branch targets by patch type */
};

/* A data member's value: the symbol it links against, and the generic name .S files use for
 * an entry point or the fsys table. */
static void field_links(const struct spec_table *t, const struct spec_op *op, const char *value, struct defs_out *o)
{
	char *sym = link_symbol(value);
	const char *generic = strcmp(t->name, "pv_cpu_asm_switch") == 0 ? "__paravirt_"
			      : strcmp(t->name, "pv_fsys_data") == 0    ? "paravirt_"
									: NULL;

	if (sym && strset_add(&o->d->seen, sym))
		tv_add_str(o->d->links, sym);
	if (sym && generic) {
		struct tval *al = tv_add_map(o->aliases);
		tv_set_strf(al, "name", "%s%s", generic, op->name);
		tv_set_str(al, "value", sym);
	}
	free(sym);
}

/* The entry of op in backend b's table t. */
static void add_definition(const struct ia64_view *v, const struct spec_backend *b, const struct spec_table *t,
			   const struct spec_op *op, struct tval *entries, struct defs_out *o)
{
	struct slot slot;
	struct tval *e = tv_add_map(entries);

	model_entry(e, b, op, v->conv.a, op->name, &slot);
	const char *value = tv_get(e, "value")->str, *how = tv_get(e, "how")->str;
	tv_set_bool(e, "inherited", strcmp(how, "fallback") == 0);
	char *link = op->kind == OP_FIELD ? link_symbol(value) : strcmp(how, "none") != 0 ? xstrdup(slot.symbol) : NULL;
	tv_set_str(e, "symbol", link ? link : "");
	tv_set_bool(e, "owed", link && !strset_has(&o->d->generated, link));
	free(link);
	if (op->kind == OP_FIELD)
		field_links(t, op, value, o);
	else if (strcmp(how, "none") != 0)
		declare_impl(o->d, op, slot.symbol);
	if (op->kind == OP_FIELD && ia64_op_keys_of(v, op)->patch_type_ok) {
		struct tval *bt = tv_add_map(o->targets);
		char *up = upper(op->name);
		tv_set_strf(bt, "type_name", "PARAVIRT_PATCH_TYPE_BR_%s", up);
		tv_set_str(bt, "value", value);
		free(up);
	}
	free(slot.symbol);
}

static void add_definitions(const struct ia64_view *v, const struct spec_backend *b, struct tval *bm,
			    struct decls *d)
{
	const struct spec_arch *a = v->conv.a;
	struct tval *defs = tv_set(bm, "definitions", tv_list());
	tv_set(bm, "tables", tv_ref(defs)); /* the common model's, made as IA-64 lays them out */
	struct defs_out o = {d, NULL, tv_set(bm, "branch_targets", tv_list())};
	const char *prefix = spec_prefix(b, a);

	o.aliases = tv_set(bm, "asm_aliases", tv_list());
	tv_set_strf(bm, "setup", "%ssetup_pv_ops", prefix);
	for (size_t ti = 0; ti < v->s->tables.n; ti++) {
		const struct spec_table *t = v->s->tables.v[ti];
		if (!((t->arches >> a->index) & 1))
			continue;
		struct tval *tm = tv_add_map(defs), *entries;
		tv_set_str(tm, "name", t->name);
		tv_set_strf(tm, "var", "%s%s", prefix, strncmp(t->name, "pv_", 3) == 0 ? t->name + 3 : t->name);
		tv_set_bool(tm, "is_asm_switch", strcmp(t->name, "pv_cpu_asm_switch") == 0);
		entries = tv_set(tm, "entries", tv_list());
		for (size_t oi = 0; oi < t->ops.n; oi++) {
			const struct spec_op *op = t->ops.v[oi];
			if (model_op_on_arch(op, a) && op->kind != OP_GROUP) /* IA-64 tables are flat */
				add_definition(v, b, t, op, entries, &o);
		}
	}
	const struct ia64_backend_keys *bk = ia64_backend_keys_of(v, b);
	for (int i = 0; i < bk->naliases; i++) {
		if (!bk->aliases[i].value)
			continue;
		struct tval *al = tv_add_map(o.aliases);
		tv_set_str(al, "name", bk->aliases[i].name);
		tv_set_str(al, "value", bk->aliases[i].value);
	}
}

static void add_ref(struct tval *refs, const char *symbol, const char *qname, const char *via)
{
	struct tval *r = tv_add_map(refs);
	tv_set_str(r, "symbol", symbol);
	tv_set_str(r, "qname", qname);
	tv_set_str(r, "via", via);
}

/* The link symbols a body's movl immediates name ("movl r2 = sym + 8", how IA-64 code takes
 * an address; other instructions' operands such as "ssm psr.i" name no symbol): identifiers
 * that are neither the spec's constants, nor its own labels, nor in `generated`; refs of
 * the body's stem. */
static void add_body_refs(const struct ia64_view *v, const struct ia64_body *body, const struct strset *generated,
			  struct tval *refs)
{
	for (int i = 0; body->parsed && i < body->seq.n; i++) {
		const char *imm = strcmp(body->seq.v[i].mnem, "movl") == 0 ? body->seq.v[i].imm : "";
		for (const char *p = imm; *p;) {
			size_t n = 0;
			while (isalnum((unsigned char)p[n]) || p[n] == '_')
				n++;
			bool ident = n && !isdigit((unsigned char)*p) && (p == imm || p[-1] != '@'); /* not @gprel */
			char *name = xstrndup(p, n);
			bool label = false;
			for (int k = 0; k < body->seq.nlabels; k++)
				label |= strcmp(body->seq.labels[k], name) == 0;
			if (ident && !label && !strset_has(generated, name) && !spec_constant(v->s, name, v->conv.a))
				add_ref(refs, name, body->op->qname, body->stem);
			free(name);
			p += n ? n : 1;
		}
	}
}

/* The backend's patch list: bodies, dispatchers (each with the refs[] of what it names that
 * no patch list defines, in `generated`), the list itself; and its macros. */
static void add_backend(const struct ia64_view *v, const struct spec_backend *b, struct tval *bm,
			const struct strset *generated)
{
	struct tval *bodies = tv_set(bm, "bodies", tv_list()), *plist = tv_set(bm, "patchlist", tv_list());
	struct tval *refs = tv_set(bm, "refs", tv_list());
	char *up = upper(b->name);

	tv_set_str(bm, "upper", up);
	tv_set_bool(bm, "is_default", b == native_backend(v->s));
	free(up);
	for (size_t i = 0; i < v->bodies.n; i++) {
		const struct ia64_body *body = v->bodies.v[i];
		if (body->b != b)
			continue;
		body_map(body, bodies);
		if (!body->inherited) /* a copy names what its fallback's body does */
			add_body_refs(v, body, generated, refs);
		if (body->is_inline) {
			struct tval *e = tv_add_map(plist);
			tv_set_str(e, "stem", body->stem);
			tv_set_strf(e, "type", "%#llx", body->type);
		}
	}
	tv_set_int(bm, "patchlist_n", (long long)plist->n);
	struct tval *disp = tv_set(bm, "dispatchers", tv_list());
	for (size_t i = 0; i < v->dispatch.n; i++) {
		const struct ia64_dispatch *d = v->dispatch.v[i];
		if (d->b != b)
			continue;
		add_dispatch(v, d, disp);
		if (d->fallback && !strset_has(generated, d->fallback))
			add_ref(refs, d->fallback, d->op->qname, d->symbol);
	}
	add_macros(v, b, tv_set(bm, "macros", tv_list()));
}

static void add_structs(const struct spec *s, const struct spec_arch *a, struct tval *list)
{
	struct vec seen = {0};

	for (size_t ti = 0; ti < s->tables.n; ti++) {
		const struct spec_table *t = s->tables.v[ti];
		for (size_t oi = 0; oi < t->ops.n; oi++) {
			const struct spec_op *op = t->ops.v[oi];
			if (!((op->arches >> a->index) & 1) || !op->has_sig)
				continue;
			for (int i = -1; i < op->sig.nparams; i++) {
				const struct ctype *ty = i < 0 ? &op->sig.ret : &op->sig.params[i].type;
				const char *tag = ty->base;
				if (strncmp(tag, "struct ", 7) != 0)
					continue;
				bool dup = false;
				for (size_t k = 0; k < seen.n; k++)
					dup |= strcmp(seen.v[k], tag + 7) == 0;
				if (!dup) {
					vec_push(&seen, (void *)(tag + 7));
					tv_add_str(list, tag + 7);
				}
			}
		}
	}
	vec_free(&seen);
}

/* The gate patch lists: pv_patchdata's start_X_patchlist / end_X_patchlist pairs. */
static void add_patchlists(const struct spec *s, const struct spec_arch *a, struct tval *list)
{
	for (size_t ti = 0; ti < s->tables.n; ti++) {
		const struct spec_table *t = s->tables.v[ti];
		for (size_t oi = 0; (t->arches >> a->index) & 1 && oi < t->ops.n; oi++) {
			const struct spec_op *op = t->ops.v[oi];
			size_t n = strlen(op->name);
			if (op->kind != OP_FIELD || strncmp(op->name, "start_", 6) != 0 || n < 16 ||
			    strcmp(op->name + n - 10, "_patchlist") != 0)
				continue;
			struct tval *m = tv_add_map(list);
			char *name = xstrndup(op->name + 6, n - 16), *up = upper(name);
			tv_set_str(m, "name", name);
			tv_set_str(m, "upper", up);
			free(name);
			free(up);
		}
	}
}

static void add_types(const struct ia64_view *v, const struct spec_arch *a, struct tval *root)
{
	struct tval *types = tv_set(root, "patch_types", tv_list());
	struct tval *branches = tv_set(root, "branch_sites", tv_list());

	for (size_t ti = 0; ti < v->s->tables.n; ti++) {
		const struct spec_table *t = v->s->tables.v[ti];
		for (size_t oi = 0; oi < t->ops.n; oi++) {
			const struct spec_op *op = t->ops.v[oi];
			const struct ia64_op_keys *k = ia64_op_keys_of(v, op);
			if (!((op->arches >> a->index) & 1) || !k->patch_type_ok)
				continue;
			struct tval *m = tv_add_map(types);
			char *up = upper(op->name);
			tv_set_strf(m, "name", "%s%s", op->kind == OP_FIELD ? "BR_" : "", up);
			tv_set_strf(m, "value", "%#llx", k->patch_type);
			tv_set_bool(m, "is_base", k->has_reg_param);
			tv_set_str(m, "doc", op->qname);
			if (op->kind == OP_FIELD)
				tv_set_str(tv_add_map(branches), "name", op->name);
			free(up);
		}
	}
}

/* ---- the checker's rules: each sensitive form a backend replaces, and what replaces it ---- */

struct pvrule {
	char *key;     /* "mov from cr.ifa", "ssm psr.i", "itc.i" */
	char *regex;   /* POSIX ERE matching a statement that uses the form */
	struct vec by; /* char *: the macros (or intrinsics) to use instead */
};

static void rule_add(struct vec *rules, char *key, char *regex, const char *by)
{
	struct pvrule *r = NULL;

	for (size_t i = 0; i < rules->n && !r; i++)
		if (strcmp(((struct pvrule *)rules->v[i])->key, key) == 0)
			r = rules->v[i];
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->key = key;
		r->regex = regex;
		vec_push(rules, r);
	} else {
		free(key);
		free(regex);
	}
	for (size_t i = 0; i < r->by.n; i++)
		if (strcmp(r->by.v[i], by) == 0)
			return;
	vec_push(&r->by, xstrdup(by));
}

/* A register operand as a regex: "cr.ifa" -> "cr\.ifa"; "rr[r8]" -> "rr\[" (any index);
 * "ar.k6" -> "ar\.k[0-7]" (MOV_TO_KR's kr is any kernel register). */
static char *reg_regex(const char *text, size_t n)
{
	struct buf b = {0};
	const char *lb = memchr(text, '[', n);

	if (lb)
		n = (size_t)(lb - text) + 1;
	if (n == 5 && strncmp(text, "ar.k", 4) == 0 && isdigit((unsigned char)text[4]))
		return xstrdup("ar\\.k[0-7]");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%c", text[i] == '.' || text[i] == '[' ? "\\" : "", text[i]);
	return buf_steal(&b);
}

static bool plain_reg(const char *text, size_t n)
{
	char canon[IA64_REG_LEN];
	return ia64_reg_canon(text, n, canon) && (ia64_gr_num(canon) >= 0 || canon[0] == 'p' || canon[0] == 'b') &&
	       strncmp(canon, "psr", 3) != 0 && strncmp(canon, "pr", 2) != 0;
}

/* Statement boundaries: what may precede a mnemonic, and what follows a name. */
#define BEFORE "(^|[^A-Za-z0-9_.])"
#define AFTER "([^A-Za-z0-9_.]|$)"

/* The rules one sensitive instruction of a native form gives (text: the statement). */
static void insn_rules(struct vec *rules, const struct ia64_insn *in, const char *text, const char *by)
{
	const char *ops = text + strlen(in->mnem), *end = text + in->len, *eq = memchr(ops, '=', (size_t)(end - ops));

	if (strncmp(in->mnem, "mov", 3) == 0 && eq) {
		struct span2 {
			const char *b, *e;
		} side[2] = {{ops, eq}, {eq + 1, end}};
		for (int k = 0; k < 2; k++) {
			while (side[k].b < side[k].e && isspace((unsigned char)*side[k].b))
				side[k].b++;
			while (side[k].e > side[k].b && isspace((unsigned char)side[k].e[-1]))
				side[k].e--;
		}
		for (int k = 0; k < 2; k++) {
			size_t n = (size_t)(side[k].e - side[k].b);
			if (n == 0 || plain_reg(side[k].b, n))
				continue;
			char *re = reg_regex(side[k].b, n);
			const char *lb = memchr(side[k].b, '[', n);
			size_t shown = lb ? (size_t)(lb - side[k].b) : n;
			bool file = lb != NULL;
			bool any_kr = shown == 5 && strncmp(side[k].b, "ar.k", 4) == 0; /* the regex takes any */
			char *key = any_kr ? xasprintf("mov %s ar.k0-ar.k7", k ? "from" : "to")
					   : xasprintf("mov %s %.*s", k ? "from" : "to", (int)shown, side[k].b);
			char *regex = k ? xasprintf(BEFORE "mov(\\.[a-z]+)?[[:space:]]+[^;=]*=[[:space:]]*%s%s", re,
						    file ? "" : AFTER)
					: xasprintf(BEFORE "mov(\\.[a-z]+)?[[:space:]]+%s%s[[:space:]]*=", re,
						    file ? "[^]]*\\]" : "");
			rule_add(rules, key, regex, by);
			free(re);
		}
		return;
	}
	if (strcmp(in->mnem, "ssm") == 0 || strcmp(in->mnem, "rsm") == 0) {
		for (const char *p = ops; (p = strstr(p, "psr.")) && p < end;) {
			const char *b = p + 4, *e = b;
			while (e < end && isalnum((unsigned char)*e))
				e++;
			char *key = xasprintf("%s psr.%.*s", in->mnem, (int)(e - b), b);
			char *regex = xasprintf(BEFORE "%s[[:space:]]+[^;]*psr\\.%.*s" AFTER, in->mnem, (int)(e - b), b);
			rule_add(rules, key, regex, by);
			p = e;
		}
		return;
	}
	char *re = reg_regex(in->mnem, strlen(in->mnem));
	rule_add(rules, xstrdup(in->mnem), xasprintf(BEFORE "%s" AFTER, re), by);
	free(re);
}

static void seq_rules(struct vec *rules, const char *text, const char *by)
{
	struct ia64_seq seq = {0};

	if (ia64_parse(text, &seq, NULL, NULL))
		for (int i = 0; i < seq.n; i++)
			if (ia64_sensitive(&seq.v[i]))
				insn_rules(rules, &seq.v[i], text + seq.v[i].off, by);
	ia64_seq_free(&seq);
}

/* Every sensitive instruction of a native form that another backend replaces must be reached
 * through what replaces it: the macro for .S code (or the intrinsic, for a pv_cpu_ops body);
 * sensitive instructions no backend changes stay legal. */
static void add_pvcheck(const struct ia64_view *v, const struct vec *on, struct tval *list)
{
	const struct spec_backend *nat = native_backend(v->s);
	struct vec rules = {0};

	for (size_t i = 0; nat && i < v->macros.n; i++) {
		const struct ia64_macro *m = v->macros.v[i];
		const struct node *e = ia64_expansion(m, nat);
		bool replaced = false;
		for (size_t b = 0; e && b < on->n; b++) {
			const struct node *o = on->v[b] != nat ? ia64_expansion(m, on->v[b]) : NULL;
			replaced |= o && strcmp(o->str, e->str) != 0;
		}
		const char *args[8];
		struct ia64_text t = {0};
		for (int k = 0; k < m->nparams; k++)
			args[k] = ia64_plain_operand(m, k);
		const struct ia64_macro_def def = {m->name, m->names, m->nparams, e ? e->str : ""};
		if (replaced && ia64_expand(&def, args, NULL, NULL, &t, NULL, NULL, NULL) == EXPAND_OK)
			seq_rules(&rules, t.buf.data, m->name);
		ia64_text_free(&t);
	}
	for (size_t i = 0; nat && i < v->bodies.n; i++) {
		const struct ia64_body *b = v->bodies.v[i];
		bool replaced = false;
		for (size_t k = 0; b->b == nat && k < v->bodies.n; k++) {
			const struct ia64_body *o = v->bodies.v[k];
			replaced |= o->b != nat && o->type == b->type;
		}
		if (replaced)
			seq_rules(&rules, b->text.buf.data, b->op->wrapper);
	}
	for (size_t i = 0; i < rules.n; i++) {
		struct pvrule *r = rules.v[i];
		struct tval *m = tv_add_map(list);
		struct buf by = {0};
		for (size_t k = 0; k < r->by.n; k++) {
			buf_printf(&by, "%s%s", k == 0 ? "" : k + 1 == r->by.n ? " or " : ", ", (char *)r->by.v[k]);
			free(r->by.v[k]);
		}
		tv_set_str(m, "form", r->key);
		tv_set_str(m, "regex", r->regex);
		tv_set_str(m, "use", by.data);
		buf_free(&by);
		vec_free(&r->by);
		free(r->key);
		free(r->regex);
		free(r);
	}
	vec_free(&rules);
}

/* The accessors of paravirt.h read these tables, when the spec has them: has_<table>. */
static void add_accessed(const struct spec *s, const struct spec_arch *a, struct tval *root)
{
	static const char *const accessed[] = {"pv_info", "pv_patchdata", "pv_fsys_data", "pv_cpu_asm_switch"};

	for (size_t i = 0; i < ARRAY_SIZE(accessed); i++) {
		bool has = false;
		for (size_t ti = 0; ti < s->tables.n; ti++) {
			const struct spec_table *t = s->tables.v[ti];
			has |= (t->arches >> a->index) & 1 && strcmp(t->name, accessed[i]) == 0;
		}
		char key[32];
		snprintf(key, sizeof(key), "has_%s", accessed[i]);
		tv_set_bool(root, key, has);
	}
}

static void add_registers(const struct ia64_view *v, struct tval *root)
{
	struct tval *regs = tv_set(root, "registers", tv_list());

	for (size_t i = 0; i < v->regs.n; i++) {
		const struct ia64_register *r = v->regs.v[i];
		struct tval *m = tv_add_map(regs);
		tv_set_str(m, "name", r->name);
		tv_set_str(m, "cname", r->cname);
		tv_set_int(m, "number", r->number);
		tv_set_bool(m, "get", r->get);
		tv_set_bool(m, "set", r->set);
	}
}

/* Every backend of the arch: its bodies and definitions (in the common model's `backends`,
 * also by name in `be`), and the checker's rules from all of them. */
static void add_backends(const struct ia64_view *v, struct tval *root)
{
	const struct tval *blist = tv_get(root, "backends");
	struct tval *be = tv_set(root, "be", tv_map());
	struct vec on = {0};
	struct decls d = {{0}, tv_set(root, "impl_protos", tv_list()), tv_set(root, "link_symbols", tv_list()), {0}};

	for (size_t i = 0; i < v->bodies.n; i++) {
		const struct ia64_body *body = v->bodies.v[i];
		if (!body->inherited)
			strset_add(&d.generated, body->stem);
	}
	for (size_t i = 0; i < v->dispatch.n; i++)
		strset_add(&d.generated, ((const struct ia64_dispatch *)v->dispatch.v[i])->symbol);
	spec_backends_on(v->s, v->conv.a, &on);
	for (size_t i = 0; blist && i < blist->n && i < on.n; i++) {
		struct tval *bm = blist->items[i];
		add_backend(v, on.v[i], bm, &d.generated);
		add_definitions(v, on.v[i], bm, &d);
		tv_set(be, ((struct spec_backend *)on.v[i])->name, tv_ref(bm));
	}
	strset_free(&d.seen);
	strset_free(&d.generated);
	add_pvcheck(v, &on, tv_set(root, "pvcheck", tv_list()));
	vec_free(&on);
}

static struct tval *ia64_model(const struct spec *s, const struct spec_arch *a, const void *view)
{
	const struct ia64_view *v = view;
	struct hook_ctx h = {v, native_backend(s)};
	struct tval *root = model_common(s, a, op_hook, &h);

	model_backend_tables(s, a, root);
	tv_set_str(root, "return_branch", v->conv.rbranch);
	tv_set_str(root, "ret", v->conv.ret);
	tv_set_str(root, "gp_save", v->conv.gp_save);
	tv_set_int(root, "site_bundles", v->conv.site_bundles);
	struct tval *pad = tv_set(root, "stub_pad", tv_list());
	for (int i = 5; i < v->conv.site_bundles; i++)
		tv_add_str(pad, "");
	add_structs(s, a, tv_set(root, "structs", tv_list()));
	add_patchlists(s, a, tv_set(root, "patchlists", tv_list()));
	add_accessed(s, a, root);
	add_types(v, a, root);
	add_registers(v, root);
	add_backends(v, root);
	add_macros(v, NULL, tv_set(root, "macros", tv_list()));
	struct tval *sens = tv_set(root, "sensitive", tv_map());
	struct tval *gas = tv_set(sens, "gas_macros", tv_list()), *cpp = tv_set(sens, "cpp_names", tv_list());
	for (size_t i = 0; i < v->conv.sensitive.n; i++) {
		const char *item = v->conv.sensitive.v[i];
		/* a mnemonic is caught by a gas macro of its name, a register file by cpp */
		tv_add_str(ia64_is_mnemonic(item) ? gas : cpp, item);
	}
	return root;
}

const struct family ia64_family = {
	.name = "ia64",
	.checks = ia64_checks,
	.analyze = ia64_analyze,
	.view_free = ia64_view_release,
	.model = ia64_model,
	.keys = &ia64_schema_keys,
};
