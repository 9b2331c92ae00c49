/* model.c: the x86 family: the model templates/x86/ is rendered from, per arch.
 *
 * On top of the common model (model.h) it adds what only the x86 code knows: each op's kind on
 * the arch, patch type number, slot offset, site length and padding, clobber mask, and the
 * words its signature binds to (i386 splits 64-bit values, low word first); the registers of
 * the call machinery; per backend the table initializers, callee-save thunks, out-of-line
 * bodies of the inline sequences and the sequences' bytes for a patcher; the .S macros. */
#include "x86.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "family.h"
#include "model.h"
#include "schema.h"

struct conv {
	char *name;
	unsigned set;
};

struct model {
	const struct spec *s;
	const struct x86_arch *x; /* the analysis of the arch */
	struct conv *convs; /* conventions of ops that declare their own clobbers */
	int nconvs;
};

static char *upper(const char *s)
{
	char *u = xstrdup(s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* A C string literal of s. */
static char *c_literal(const char *s)
{
	struct buf b = {0};

	buf_putc(&b, '"');
	for (; *s; s++) {
		if (*s == '\n')
			buf_puts(&b, "\\n");
		else if (*s == '\t')
			buf_puts(&b, "\\t");
		else {
			if (*s == '"' || *s == '\\')
				buf_putc(&b, '\\');
			buf_putc(&b, *s);
		}
	}
	buf_putc(&b, '"');
	return buf_steal(&b);
}

/* "const char *" + "name" -> "const char *name" */
static char *declare(const char *type, const char *name)
{
	size_t n = strlen(type);
	return xasprintf("%s%s%s", type, n && type[n - 1] == '*' ? "" : " ", name);
}

static const char *reg(const struct model *m, int r)
{
	return x86_gpr_name(r, m->x->conv.bits);
}

static const struct spec_type *declared_type(const struct spec *s, const struct ctype *t)
{
	if (t->cls != CT_DECLARED || t->ptr)
		return NULL;
	for (size_t i = 0; i < s->types.n; i++) {
		const struct spec_type *st = s->types.v[i];
		if (strcmp(st->name, t->base) == 0)
			return st;
	}
	return NULL;
}

static bool is_struct(const struct spec *s, const struct ctype *t)
{
	const struct spec_type *st = declared_type(s, t);
	return st && strcmp(st->kind, "struct") == 0;
}

static void PRINTF(2, 3) add_fmt(struct tval *list, const char *fmt, ...)
{
	va_list ap;
	struct buf b = {0};

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	tv_add_str(list, b.data);
	buf_free(&b);
}

static void add_once(struct tval *list, const char *s)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->items[i]->str, s) == 0)
			return;
	tv_add_str(list, s);
}

/* ---- conventions: the registers a site lets its callee modify ---- */

static const char *conv_name(struct model *m, const struct x86_opinfo *in, const char *cname)
{
	unsigned dflt = in->kind == OP_CALLEE_SAVE ? m->x->conv.callee : m->x->conv.call;

	if (!in->declared || in->clobbers == dflt)
		return in->kind == OP_CALLEE_SAVE ? "callee" : "call";
	for (int i = 0; i < m->nconvs; i++)
		if (strcmp(m->convs[i].name, cname) == 0)
			return m->convs[i].name;
	m->convs = xrealloc(m->convs, (size_t)(m->nconvs + 1) * sizeof(*m->convs));
	m->convs[m->nconvs] = (struct conv){xstrdup(cname), in->clobbers};
	return m->convs[m->nconvs++].name;
}

static void add_conv(struct model *m, struct tval *list, const char *name, unsigned set, const char *doc)
{
	const struct x86_conv *c = &m->x->conv;
	struct tval *cv = tv_add_map(list);
	struct buf vars = {0}, outs = {0}, clobs = {0};
	int lo = c->nret > 0 && (set & c->ret[0]) ? __builtin_ctz(c->ret[0]) : -1;
	int hi = c->nret > 1 && (set & c->ret[1]) ? __builtin_ctz(c->ret[1]) : -1;

	buf_puts(&vars, "");
	buf_puts(&outs, "");
	buf_puts(&clobs, "\"memory\", \"cc\"");
	for (int r = 0; r < X86_NGPR; r++) {
		if (!(set >> r & 1))
			continue;
		if (!x86_gpr_letter(r)) { /* no constraint letter (r8-r15): a clobber */
			buf_printf(&clobs, ", \"%s\"", reg(m, r));
			continue;
		}
		buf_printf(&vars, "%s__pv_%s", vars.len ? ", " : "unsigned long ", reg(m, r));
		buf_printf(&outs, "%s\"=%c\" (__pv_%s)", outs.len ? ", " : "", x86_gpr_letter(r), reg(m, r));
	}
	tv_set_str(cv, "name", name);
	tv_set_str(cv, "doc", doc);
	tv_set_str(cv, "vars", vars.data);
	tv_set_str(cv, "outs", outs.data);
	tv_set_str(cv, "clobbers", clobs.data);
	tv_set_strf(cv, "mask", "0x%x", x86_mask_of(c, set));
	tv_set_bool(cv, "returns", lo >= 0);
	/* the value is the low return register; on i386 a wide one adds the high register */
	if (lo >= 0 && hi >= 0)
		tv_set_strf(cv, "ret",
			    "(sizeof(type) > sizeof(unsigned long) ? "
			    "(type)(((unsigned long long)__pv_%s << 32) | __pv_%s) : (type)__pv_%s)",
			    reg(m, hi), reg(m, lo), reg(m, lo));
	else if (lo >= 0)
		tv_set_strf(cv, "ret", "((type)__pv_%s)", reg(m, lo));
	buf_free(&vars);
	buf_free(&outs);
	buf_free(&clobs);
}

/* Linux's own machinery binds every argument register to a variable (pv_arg_vars), names
 * them as outputs (pv_arg_outs) and the return register (pv_ret_out, pv_ret_var) beside
 * them; the rest of a normal call's clobbers are plain clobbers (pv_scratch). */
static void add_register_args(struct model *m, struct tval *root)
{
	const struct x86_conv *c = &m->x->conv;
	struct buf vars = {0}, outs = {0}, scratch = {0};
	unsigned args = 0;
	int ret = __builtin_ctz(c->ret[0] ? c->ret[0] : 1);

	buf_puts(&scratch, "");
	for (int i = 0; i < c->nargs; i++) {
		int r = __builtin_ctz(c->args[i]);
		args |= c->args[i];
		buf_printf(&vars, "%s__pv_%s = __pv_%s", i ? ", " : "", reg(m, r), reg(m, r));
		buf_printf(&outs, "%s\"=%c\" (__pv_%s)", i ? ", " : "", x86_gpr_letter(r), reg(m, r));
	}
	for (int r = 0; r < X86_NGPR; r++)
		if ((c->call & ~args & ~(c->ret[0] | c->ret[1])) >> r & 1)
			buf_printf(&scratch, ", \"%s\"", reg(m, r));
	tv_set_strf(root, "pv_arg_vars", "%s%s__pv_%s = __pv_%s", vars.data ? vars.data : "", vars.data ? ", " : "",
		    reg(m, ret), reg(m, ret));
	tv_set_str(root, "pv_arg_outs", outs.data ? outs.data : "");
	tv_set_strf(root, "pv_ret_out", "\"=%c\" (__pv_%s)", x86_gpr_letter(ret), reg(m, ret));
	tv_set_strf(root, "pv_ret_var", "__pv_%s", reg(m, ret));
	tv_set_strf(root, "pv_ret_reg", "%s", reg(m, ret));
	tv_set_str(root, "pv_scratch", scratch.data);
	buf_free(&vars);
	buf_free(&outs);
	buf_free(&scratch);
}

/* Per arity n: the macro parameters, the operands, and the pushes and the stack adjustment
 * around the site for the words that go on the stack. */
static void add_arity(struct model *m, struct tval *list, int n)
{
	const struct x86_conv *c = &m->x->conv;
	struct tval *a = tv_add_map(list);
	struct buf params = {0}, inputs = {0}, pre = {0}, pv_inputs = {0};
	int stack = n > c->nargs ? n - c->nargs : 0;

	buf_puts(&params, "");
	buf_puts(&inputs, "");
	buf_puts(&pre, "");
	buf_puts(&pv_inputs, "");
	for (int i = 1; i <= n; i++) {
		buf_printf(&params, ", a%d", i);
		buf_printf(&inputs, ", __PV_ARG%d(a%d)", i, i);
		buf_printf(&pv_inputs, ", PVOP_CALL_ARG%d(a%d)", i, i);
	}
	for (int i = n; i > c->nargs; i--) /* the last word is pushed first */
		buf_printf(&pre, "\"push %%[pv_arg%d]\\n\\t\" ", i);
	tv_set_str(a, "pv_inputs", pv_inputs.data);
	tv_set_int(a, "n", n);
	tv_set_str(a, "params", params.data);
	tv_set_str(a, "inputs", inputs.data);
	tv_set_str(a, "pre", pre.data);
	if (stack)
		tv_set_strf(a, "post", " \"lea %d(%%%%%s), %%%%%s\\n\"", stack * c->bits / 8, reg(m, X86_SP),
			    reg(m, X86_SP));
	else
		tv_set_str(a, "post", "");
	buf_free(&pv_inputs);
	buf_free(&params);
	buf_free(&inputs);
	buf_free(&pre);
}

/* The clobber sets a site may name: a normal call's, a callee-save call's, each declared one. */
static void add_convs(struct model *m, struct tval *root)
{
	const struct x86_conv *c = &m->x->conv;
	struct tval *convs = tv_set(root, "convs", tv_list());

	add_conv(m, convs, "call", c->call, "a normal call: the call-clobbered registers");
	add_conv(m, convs, "callee", c->callee, "a callee-save call: the return registers only");
	for (int i = 0; i < m->nconvs; i++) {
		char *doc = xasprintf("the clobbers %s declares", m->convs[i].name);
		add_conv(m, convs, m->convs[i].name, m->convs[i].set, doc);
		free(doc);
	}
}

/* The argument registers by position, and per arity the macro parameters and operands. */
static void add_machinery(struct model *m, struct tval *root)
{
	const struct x86_conv *c = &m->x->conv;
	struct tval *args = tv_set(root, "arg_defs", tv_list()), *ar = tv_set(root, "arities", tv_list());
	int max = c->nargs + c->stack_args;

	if (max > 8)
		max = 8;
	for (int i = 0; i < max; i++) {
		struct tval *a = tv_add_map(args);
		tv_set_int(a, "n", i + 1);
		if (i < c->nargs)
			tv_set_strf(a, "constraint", "\"%c\"", x86_gpr_letter(__builtin_ctz(c->args[i])));
		else /* pushed around the site */
			tv_set_strf(a, "constraint", "[pv_arg%d] \"mr\"", i + 1);
	}
	for (int n = 0; n <= max; n++)
		add_arity(m, ar, n);
	add_convs(m, root);
	add_register_args(m, root);
	tv_set_str(root, "call_insn", c->bits == 64 ? "call *%c[pv_op](%%rip)" : "call *%c[pv_op]");
	tv_set_str(root, "jmp_insn", c->bits == 64 ? "jmp *%c[pv_op](%%rip)" : "jmp *%c[pv_op]");
	/* a thunk keeps what a callee-save caller trusts to survive: the call clobbers less the
	 * return registers */
	struct tval *save = tv_set(root, "thunk_saves", tv_list()), *restore = tv_set(root, "thunk_restores", tv_list());
	for (int r = 0; r < X86_NGPR; r++)
		if ((c->call & ~c->callee) >> r & 1)
			tv_add_str(save, reg(m, r));
	for (int r = X86_NGPR - 1; r >= 0; r--)
		if ((c->call & ~c->callee) >> r & 1)
			tv_add_str(restore, reg(m, r));
}

/* ---- ops ---- */

/* The call's argument words (", a, b >> 32") and the copies structs need first. */
static void add_words(const struct spec *s, const struct x86_opinfo *in, struct tval *m)
{
	struct tval *preps = tv_set(m, "preps", tv_list());
	struct buf words = {0};

	buf_puts(&words, "");
	for (int w = 0; w < in->bind.nwords; w++) {
		const struct x86_word *wd = &in->bind.w[w];
		const struct cparam *p = &in->op->sig.params[wd->param];
		char *name = p->name ? xstrdup(p->name) : xasprintf("arg%d", wd->param);
		bool wide = wd->part == 1 || (w + 1 < in->bind.nwords && in->bind.w[w + 1].param == wd->param);

		if (is_struct(s, &p->type)) {
			/* a struct travels as its value's words: copy it into an integer first */
			if (wd->part == 0) {
				struct tval *pr = tv_add_map(preps);
				tv_set_str(pr, "type", wide ? "unsigned long long" : "unsigned long");
				tv_set_strf(pr, "var", "__%s", name);
				tv_set_str(pr, "src", name);
			}
			buf_printf(&words, wd->part ? ", __%s >> 32" : ", __%s", name);
		} else if (wd->part == 1) {
			buf_printf(&words, ", (unsigned long long)(%s) >> 32", name);
		} else {
			buf_printf(&words, ", %s", name);
		}
		free(name);
	}
	tv_set_str(m, "words", words.data);
	buf_free(&words);
}

/* ---- the call as a wrapper of Linux's own machinery writes it (PVOP_CALL1, ...) ---- */

static const struct spec_type *struct_type(const struct spec *s, const char *name)
{
	for (size_t i = 0; name && i < s->types.n; i++) {
		const struct spec_type *t = s->types.v[i];
		if (strcmp(t->name, name) == 0 && strcmp(t->kind, "struct") == 0)
			return t;
	}
	return NULL;
}

/* The sequence the kernel's alternatives put at op's site in place of the call, and the
 * feature that keeps the call: the first backend's implementation with `unless_feature`. */
static const struct spec_impl *alt_impl(const struct x86_arch *x, const struct spec_op *op, const char **feature)
{
	for (size_t i = 0; i < x->s->backends.n; i++) {
		const struct spec_impl *impl = spec_impl(x->s->backends.v[i], op, x->a, NULL);
		const struct x86_impl_keys *k = impl ? x86_impl_keys_of(x, impl) : NULL;
		if (k && k->unless_feature && spec_for_arch(impl->code, x->a)) {
			*feature = k->unless_feature;
			return impl;
		}
	}
	return NULL;
}

/* Inline-asm text of a sequence: '%' doubled, statements ';'-separated, as a C literal. */
static char *asm_literal(const char *code)
{
	struct buf b = {0};
	char *lit;

	for (const char *p = code; *p; p++)
		if (*p == '%')
			buf_puts(&b, "%%");
		else
			buf_putc(&b, *p == '\n' ? ';' : *p);
	lit = c_literal(b.data ? b.data : "");
	buf_free(&b);
	return lit;
}

/* pvop: the wrapper's body expression. A site is PVOP_[ALT_][V]CALL[EE]n(rettype, path,
 * args..., [alt, cond]), struct values passed by their raw value and a struct result made
 * from it; a plain op is called through pv_ops directly. */
static void add_pvop(const struct x86_arch *x, const struct spec_op *op, const struct x86_opinfo *in,
		     struct tval *m)
{
	const struct spec *s = x->s;
	const struct spec_arch *a = x->a;
	const struct tval *args = tv_get(m, "call_args");
	const struct spec_type *rt = struct_type(s, op->sig.ret.base);
	bool rets = op->sig.ret.cls != CT_VOID, make = rt && rt->make && rt->raw;
	const char *path = strchr(op->qname, '.') + 1, *feature = NULL;
	const struct spec_impl *alt = alt_impl(x, op, &feature);
	struct buf b = {0};

	if (!x86_is_site(in->kind)) {
		buf_printf(&b, "%s(", op->qname);
		for (size_t i = 0; i < args->n; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", tv_get(args->items[i], "expr")->str);
		buf_puts(&b, ")");
	} else {
		if (make)
			buf_printf(&b, "%s(", rt->make);
		buf_printf(&b, "PVOP_%s%sCALL%s%zu(", alt ? "ALT_" : "", rets ? "" : "V",
			   in->kind == OP_CALLEE_SAVE ? "EE" : "", (size_t)args->n);
		if (rets)
			buf_printf(&b, "%s, ", make ? rt->raw : op->sig.ret.spelling);
		buf_puts(&b, path);
		for (size_t i = 0; i < args->n; i++) {
			const struct tval *t = tv_get(args->items[i], "type");
			const struct spec_type *st = t ? struct_type(s, t->str) : NULL;
			const char *e = tv_get(args->items[i], "expr")->str;
			if (st && st->get)
				buf_printf(&b, ", %s(%s)", st->get, e);
			else
				buf_printf(&b, ", %s", e);
		}
		if (alt) {
			char *lit = asm_literal(spec_for_arch(alt->code, a)->str);
			buf_printf(&b, ", %s, ALT_NOT(%s)", lit, feature);
			free(lit);
		}
		buf_puts(&b, make ? "))" : ")");
	}
	tv_set_str(m, "pvop", b.data);
	buf_free(&b);
}

/* `takes_frame`: the backends whose implementation of op takes a frame off its caller's stack
 * (`stack`), "" if none. Such an op has no C wrapper: a C caller has no frame to give. */
static void frame_takers(struct model *md, const struct spec_op *op, struct tval *m)
{
	struct buf b = {0};
	struct vec on = {0};

	buf_puts(&b, "");
	spec_backends_on(md->s, md->x->a, &on);
	for (size_t i = 0; i < on.n; i++) {
		const struct spec_backend *be = on.v[i], *from = NULL;
		const struct spec_impl *impl = spec_impl(be, op, md->x->a, &from);
		if (impl && from == be && x86_impl_stack(md->x, impl) > 0)
			buf_printf(&b, "%s%s", b.len ? ", " : "", be->name);
	}
	tv_set_str(m, "takes_frame", b.data);
	buf_free(&b);
	vec_free(&on);
}

/* What the op's kind on the arch gives it: the kind's words, its slot, its mask, its member. */
static void add_kind(const struct model *md, const struct spec_op *op, const struct x86_opinfo *in, struct tval *m)
{
	const char *kw = x86_kind_word(in->kind);
	char *ku = upper(kw);

	tv_set_str(m, "kind", kw);
	tv_set_str(m, "kind_upper", ku);
	free(ku);
	tv_set_bool(m, "is_plain", in->kind == OP_CALL);
	tv_set_bool(m, "is_site", x86_is_site(in->kind));
	tv_set_bool(m, "is_jump", in->kind == OP_JUMP);
	tv_set_bool(m, "is_callee", in->kind == OP_CALLEE_SAVE);
	tv_set_int(m, "type", in->type);
	tv_set_int(m, "offset", in->offset);
	tv_set_str(m, "path", strchr(op->qname, '.') + 1); /* the member inside its table */
	tv_set_strf(m, "slot", "%s%s", op->qname, in->kind == OP_CALLEE_SAVE ? ".func" : "");
	tv_set_strf(m, "mask", "0x%x", x86_mask_of(&md->x->conv, in->clobbers));
	if (in->kind == OP_CALLEE_SAVE)
		tv_set_strf(m, "member_decl", "struct paravirt_callee_save %s", op->name);
	else
		tv_set_str(m, "member_decl", tv_get(m, "proto")->str);
}

/* A site's length and its padding: the NOP bytes, and the line that emits them as a C literal. */
static void add_padding(const struct x86_opinfo *in, struct tval *m)
{
	char *pad = x86_nop_bytes(in->pad), *padtext = xasprintf("%s%s", in->pad ? "\n\t.byte " : "", pad);
	char *lit = c_literal(padtext);

	tv_set_int(m, "site_len", in->site);
	tv_set_int(m, "pad", in->pad);
	tv_set_str(m, "pad_bytes", pad);
	tv_set_str(m, "pad_lit", lit);
	free(pad);
	free(padtext);
	free(lit);
}

/* A call site's call: PVOP_[V]CALL[EE]n, or __PVOP_[V]CALLn with the op's own clobber set. */
static void add_site_call(struct model *md, const struct spec_op *op, const struct x86_opinfo *in, const char *cname,
			  struct tval *m)
{
	const struct spec *s = md->s;
	const char *conv = conv_name(md, in, cname);
	bool custom = strcmp(conv, "call") != 0 && strcmp(conv, "callee") != 0;
	const char *carrier = in->bind.ret_words == 2 ? "unsigned long long" : "unsigned long";
	bool rets = in->bind.ret_words > 0;

	add_words(s, in, m);
	tv_set_str(m, "conv", conv);
	tv_set_str(m, "carrier", carrier);
	tv_set_bool(m, "ret_struct", rets && is_struct(s, &op->sig.ret));
	if (custom)
		tv_set_strf(m, "call", "__PVOP_%sCALL%d(%s, %s%s%s%s)", rets ? "" : "V", in->bind.nwords, conv,
			    rets ? carrier : "", rets ? ", " : "", cname, tv_get(m, "words")->str);
	else
		tv_set_strf(m, "call", "PVOP_%sCALL%s%d(%s%s%s%s)", rets ? "" : "V",
			    in->kind == OP_CALLEE_SAVE ? "EE" : "", in->bind.nwords, rets ? carrier : "",
			    rets ? ", " : "", cname, tv_get(m, "words")->str);
}

static void op_hook(const struct spec *s, const struct spec_arch *a, const struct spec_op *op, struct tval *m,
		    void *ctx)
{
	struct model *md = ctx;
	const struct x86_opinfo *in = x86_info(md->x, op);

	(void)s; /* the view's */
	(void)a;
	if (!in)
		return;
	if (op->kind == OP_FIELD) {
		tv_set_str(m, "member_decl", tv_get(m, "decl")->str);
		return;
	}
	if (op->kind == OP_GROUP) {
		tv_set_strf(m, "member_decl", "struct %s %s", op->struct_name, op->name);
		return;
	}
	if (op->has_sig)
		add_pvop(md->x, op, in, m);
	add_kind(md, op, in, m);
	tv_set(m, "preps", tv_list());
	frame_takers(md, op, m);
	if (!x86_is_site(in->kind)) {
		tv_set_strf(m, "call", "%s(%s)", op->qname, tv_get(m, "args")->str);
		return;
	}
	add_padding(in, m);
	char *cname = cname_of(op->qname);
	if (in->kind == OP_JUMP)
		tv_set_strf(m, "call", "PVOP_JMP(%s)", cname);
	else
		add_site_call(md, op, in, cname, m);
	free(cname);
}

/* ---- the arch ---- */

static void add_arch(struct model *m, struct tval *root)
{
	const struct x86_conv *c = &m->x->conv;
	struct tval *regs = tv_set(root, "clobber_regs", tv_list());
	unsigned ret = c->ret[0] | c->ret[1];

	tv_set_bool(root, "is64", c->bits == 64);
	tv_set_int(root, "word_bytes", c->bits / 8);
	tv_set_str(root, "ptr_directive", c->bits == 64 ? ".quad" : ".long");
	tv_set_int(root, "nslots", m->x->nslots);
	for (int i = 0; i < c->nmask; i++) {
		struct tval *r = tv_add_map(regs);
		char *u = upper(reg(m, c->mask_reg[i]));
		tv_set_str(r, "name", reg(m, c->mask_reg[i]));
		tv_set_str(r, "upper", u);
		tv_set_int(r, "bit", i);
		free(u);
	}
	tv_set_strf(root, "clbr_any", "0x%x", c->nmask ? (1u << c->nmask) - 1 : 0);
	tv_set_strf(root, "clbr_call", "0x%x", x86_mask_of(c, c->call));
	tv_set_strf(root, "clbr_callee", "0x%x", x86_mask_of(c, c->callee));
	tv_set_strf(root, "clbr_ret", "0x%x", x86_mask_of(c, ret));
	tv_set_strf(root, "clbr_callee_save", "0x%x", x86_mask_of(c, c->call & ~c->callee));
}

/* Forward declarations, by-value types to assert the size of, nested structs, op tables. */
static void add_types(struct model *m, struct tval *root)
{
	const struct spec *s = m->s;
	struct tval *structs = tv_set(root, "structs", tv_list()), *vals = tv_set(root, "value_types", tv_list());
	struct tval *groups = tv_set(root, "groups", tv_list()), *tabs = tv_set(root, "op_tables", tv_list());
	struct tval *seen = tv_list();

	for (int i = 0; i < m->x->nops; i++) {
		const struct spec_op *op = m->x->ops[i].op;
		if (op->kind == OP_GROUP)
			continue;
		for (int p = -1; op->has_sig && p < op->sig.nparams; p++) {
			const struct ctype *t = p < 0 ? &op->sig.ret : &op->sig.params[p].type;
			const struct spec_type *st = declared_type(s, t);
			if (strncmp(t->base, "struct ", 7) == 0)
				add_once(structs, t->base + 7);
			if (st && st->bits[m->x->a->index]) {
				char *v = xasprintf("%s %d", st->name, st->bits[m->x->a->index]);
				size_t before = seen->n;
				add_once(seen, v);
				if (seen->n > before) {
					struct tval *vt = tv_add_map(vals);
					tv_set_str(vt, "name", st->name);
					tv_set_int(vt, "bytes", st->bits[m->x->a->index] / 8);
					tv_set_int(vt, "bits", st->bits[m->x->a->index]);
				}
				free(v);
			}
		}
	}
	tv_free(seen);
	/* a nested struct is defined once, before the first table that holds it */
	const struct tval *tables = tv_get(root, "tables");
	for (size_t t = 0; t < tables->n; t++) {
		const struct tval *mem = tv_get(tables->items[t], "members");
		bool funcs = false;
		for (size_t i = 0; i < mem->n; i++) {
			const struct tval *mm = mem->items[i];
			funcs |= !tv_get(mm, "is_field")->b;
			if (!tv_get(mm, "is_group")->b)
				continue;
			bool dup = false;
			for (size_t g = 0; g < groups->n; g++)
				dup |= strcmp(tv_get(groups->items[g], "struct")->str, tv_get(mm, "struct")->str) == 0;
			if (!dup)
				tv_add(groups, tv_ref((struct tval *)mm));
		}
		if (funcs)
			tv_add_str(tabs, tv_get(tables->items[t], "name")->str);
	}
}

/* ---- backends ---- */

struct bctx {
	struct model *m;
	struct tval *protos, *bodies;
	struct tval *policy; /* the current backend's: patch type -> how, where not the patcher's default */
	struct tval *refs;   /* the current backend's: what its bodies name (keep_owed_refs keeps the owed) */
	struct strset seen_protos, seen_bodies, seen_thunks; /* symbols already declared / defined */
};

static char *proto_of(const struct spec_op *op, const char *sym)
{
	struct buf params = {0};
	char *head, *p;

	for (int i = 0; i < op->sig.nparams; i++) {
		char *name = op->sig.params[i].name ? xstrdup(op->sig.params[i].name) : xasprintf("arg%d", i);
		char *d = declare(op->sig.params[i].type.spelling, name);
		buf_printf(&params, "%s%s", i ? ", " : "", d);
		free(d);
		free(name);
	}
	head = declare(op->sig.ret.spelling, sym);
	p = xasprintf("%s(%s)", head, params.data ? params.data : "void");
	free(head);
	buf_free(&params);
	return p;
}

/* The bytes of a sequence for a C initializer, and its relocations. */
static void add_insn(struct tval *insns, const struct x86_opinfo *in, const struct x86_code *code,
		     const char *sym, const char *from, int stack)
{
	struct tval *e = tv_add_map(insns), *rel = tv_set(e, "relocs", tv_list());
	struct buf bytes = {0}, hex = {0};
	char *cname = cname_of(in->op->qname);

	buf_puts(&bytes, "");
	buf_puts(&hex, "");
	for (int i = 0; i < code->len; i++) {
		buf_printf(&bytes, "%s0x%02x", i ? ", " : "", code->bytes[i]);
		buf_printf(&hex, "%02x", code->bytes[i]);
	}
	tv_set_str(e, "cname", cname);
	tv_set_str(e, "qname", in->op->qname);
	tv_set_int(e, "type", in->type);
	tv_set_int(e, "len", code->len);
	tv_set_str(e, "bytes", bytes.data);
	tv_set_str(e, "hex", hex.data);
	tv_set_int(e, "site", in->site);
	tv_set_int(e, "stack", stack);
	tv_set_str(e, "src", sym);
	tv_set_str(e, "from", from);
	char *line = xstrdup(code->text);
	for (char *p = line; *p; p++)
		if (*p == '\n')
			*p = ';';
	tv_set_str(e, "text", line);
	free(line);
	for (int i = 0; i < code->nrelocs; i++) {
		struct tval *r = tv_add_map(rel);
		tv_set_int(r, "off", code->relocs[i].off);
		tv_set_bool(r, "pcrel", code->relocs[i].pcrel);
		tv_set_str(r, "sym", code->relocs[i].sym);
	}
	tv_set_int(e, "nrelocs", code->nrelocs);
	free(cname);
	buf_free(&bytes);
	buf_free(&hex);
}

/* A sequence that takes n bytes of frame off its site's stack finds, called out of line, the
 * return address on top of that frame: lift it above the frame one word at a time, with
 * pushes and pops of memory (no register is free, and nothing is written below the stack
 * pointer), so the sequence takes the frame as at the site and the ret then returns. */
static void lift_frame(struct model *m, struct tval *lines, int n)
{
	int w = m->x->a->word_bits / 8;
	char sfx = w == 8 ? 'q' : 'l';
	const char *sp = reg(m, 4);

	if (n <= 0)
		return;
	add_fmt(lines, "push%c (%%%s)", sfx, sp);
	for (int k = 1; k * w <= n; k++) {
		add_fmt(lines, "push%c %d(%%%s)", sfx, (k + 1) * w, sp);
		add_fmt(lines, "pop%c %d(%%%s)", sfx, k * w, sp);
	}
	add_fmt(lines, "pop%c %d(%%%s)", sfx, n, sp);
}

static void add_body(struct bctx *bc, const struct spec_backend *b, const struct x86_opinfo *in,
		     const struct x86_code *code, const char *sym, const struct spec_impl *impl)
{
	const struct x86_impl_keys *keys = x86_impl_keys_of(bc->m->x, impl);
	struct tval *body, *lines;
	char *text;

	if (!strset_add(&bc->seen_bodies, sym)) /* the same symbol for two ops: the first defines it */
		return;
	text = xstrdup(code->text);
	body = tv_add_map(bc->bodies);
	tv_set_str(body, "symbol", sym);
	tv_set_str(body, "backend", b->name);
	tv_set_str(body, "qname", in->op->qname);
	tv_set_str(body, "fixup", keys && keys->fixup ? keys->fixup : "");
	for (int i = 0; i <= code->nrelocs; i++) { /* the symbols it names, then its fixup */
		const char *name = i < code->nrelocs ? code->relocs[i].sym : tv_get(body, "fixup")->str;
		struct tval *r;
		if (!*name)
			continue;
		r = tv_add_map(bc->refs);
		tv_set_str(r, "symbol", name);
		tv_set_str(r, "qname", in->op->qname);
		tv_set_str(r, "via", sym);
	}
	tv_set_bool(body, "ret", code->falls_through);
	lines = tv_set(body, "lines", tv_list());
	int stack = x86_impl_stack(bc->m->x, impl);
	if (stack > 0)
		tv_set_strf(body, "lift", "%d", stack);
	else
		tv_set_str(body, "lift", "");
	lift_frame(bc->m, lines, stack);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		tv_add_str(lines, line);
	free(text);
}

static void add_proto(struct bctx *bc, const struct spec_op *op, const char *sym)
{
	if (strset_add(&bc->seen_protos, sym)) {
		char *p = proto_of(op, sym);
		tv_add_str(bc->protos, p);
		free(p);
	}
}

/* An entry's link symbol (owed: no generated file defines it) and its C initializer, the
 * symbol as the slot's kind holds it. */
static void set_init(struct tval *e, const char *symbol, bool owed, const char *before, const char *after)
{
	tv_set_str(e, "symbol", symbol);
	tv_set_bool(e, "owed", owed);
	tv_set_strf(e, "init", "%s%s%s", before, symbol, after);
}

/* Backend bm's refs: of what its bodies name, what no generated file defines, each once per op. */
static void keep_owed_refs(struct bctx *bc, struct tval *bm)
{
	struct tval *all = (struct tval *)tv_get(bm, "refs"), *owed = tv_list();
	struct strset seen = {0};

	for (size_t i = 0; i < all->n; i++) {
		const char *sym = tv_get(all->items[i], "symbol")->str;
		char *key = xasprintf("%s %s", sym, tv_get(all->items[i], "qname")->str);
		if (!strset_has(&bc->seen_bodies, sym) && strcmp(sym, "paravirt_nop") != 0 && strset_add(&seen, key))
			tv_add(owed, tv_ref(all->items[i]));
		free(key);
	}
	strset_free(&seen);
	tv_set(bm, "refs", owed);
}

/* An entry's initializer: paravirt_nop, a callee-save thunk of a C function (made once), or
 * the function itself. */
static void add_init(struct bctx *bc, const struct x86_opinfo *in, bool nop, bool has_code, const char *sym,
		     struct tval *e, struct tval *thunks)
{
	if (nop) {
		tv_set_str(e, "value", "paravirt_nop");
		set_init(e, "paravirt_nop", false, in->kind == OP_CALLEE_SAVE ? "{ .func = " : "(void *)",
			 in->kind == OP_CALLEE_SAVE ? " }" : "");
		tv_set_str(e, "comment", "does nothing");
	} else if (in->kind == OP_CALLEE_SAVE && !has_code) {
		/* a plain C function: adapted to the callee-save convention by a thunk */
		set_init(e, sym, true, "{ .func = __raw_callee_save_", " }");
		if (strset_add(&bc->seen_thunks, sym)) /* once, though backends share it */
			tv_add_str(thunks, sym);
		add_proto(bc, in->op, sym);
	} else {
		/* a sequence's out-of-line body is generated (paravirt_insns.S) */
		set_init(e, sym, !has_code, in->kind == OP_CALLEE_SAVE ? "{ .func = " : "",
			 in->kind == OP_CALLEE_SAVE ? " }" : "");
		add_proto(bc, in->op, sym);
	}
}

/* How the backend wants the op's sites patched (`patch`), when it says. */
static void add_policy(struct bctx *bc, const struct spec_op *op, const char *how)
{
	if (!how)
		return;
	struct tval *pe = tv_add_map(bc->policy);
	char *cname = cname_of(op->qname), *up = xstrdup(how);
	for (char *q = up; *q; q++)
		*q = (char)(*q - 'a' + 'A');
	tv_set_str(pe, "cname", cname);
	tv_set_str(pe, "qname", op->qname);
	tv_set_str(pe, "how", up);
	free(cname);
	free(up);
}

/* One initializer entry for op in backend b. */
static void add_entry(struct bctx *bc, const struct spec_backend *b, const struct x86_opinfo *in, const char *path,
		      struct tval *entries, struct tval *thunks, struct tval *insns)
{
	struct model *m = bc->m;
	const struct spec_op *op = in->op;
	struct tval *e = tv_add_map(entries);
	char *member = path ? xasprintf("%s.%s", path, op->name) : xstrdup(op->name);
	struct slot slot;

	model_entry(e, b, op, m->x->a, member, &slot);
	free(member);
	tv_set_str(e, "comment", "");
	if (op->kind == OP_FIELD || (slot.impl && slot.impl->none)) {
		tv_set_str(e, "symbol", ""); /* a C expression */
		tv_set_bool(e, "owed", false);
		tv_set_str(e, "init", tv_get(e, "value")->str);
		if (op->kind != OP_FIELD)
			tv_set_str(e, "comment", "optional: callers test for NULL");
		free(slot.symbol);
		return;
	}

	const struct spec_impl *impl = slot.impl;
	const struct spec_backend *owner = slot.owner;
	char *sym = slot.symbol;
	const struct node *codenode = impl ? spec_for_arch(impl->code, m->x->a) : NULL;
	const struct x86_code *code = x86_code_of(m->x, codenode);
	bool has_code = code != NULL;

	add_init(bc, in, impl && impl->nop, has_code, sym, e, thunks);
	if (owner != b && !(impl && impl->nop))
		tv_set_strf(e, "comment", "from %s", owner->name);
	/* what a patcher may inline: the sequence, or nothing at all for a no-op */
	if (x86_is_site(in->kind) && (has_code || (impl && impl->nop && in->kind != OP_JUMP))) {
		struct x86_code none = {.text = (char *)"", .falls_through = true};
		add_insn(insns, in, has_code ? code : &none, has_code ? sym : "paravirt_nop", owner->name,
			 has_code ? x86_impl_stack(m->x, impl) : 0);
	}
	if (has_code && owner == b)
		add_body(bc, b, in, code, sym, impl);
	if (x86_is_site(in->kind))
		add_policy(bc, op, spec_policy(b, op, NULL));
	free(sym);
}

static void walk_entries(struct bctx *bc, const struct spec_backend *b, const struct vec *ops, const char *path,
			 struct tval *entries, struct tval *thunks, struct tval *insns)
{
	for (size_t i = 0; i < ops->n; i++) {
		const struct spec_op *op = ops->v[i];
		const struct x86_opinfo *in;
		if (!model_op_on_arch(op, bc->m->x->a) || !(in = x86_info(bc->m->x, op)))
			continue;
		if (op->kind == OP_GROUP) {
			char *sub = path ? xasprintf("%s.%s", path, op->name) : xstrdup(op->name);
			walk_entries(bc, b, &op->ops, sub, entries, thunks, insns);
			free(sub);
		} else {
			add_entry(bc, b, in, path, entries, thunks, insns);
		}
	}
}

/* The common model's backends, each table's entries made per arch (an implementation may be
 * listed for some arches only) and extended: `init` is the C initializer, `value` the symbol
 * or expression it names. */
static void add_backends(struct model *m, struct tval *root)
{
	struct tval *list = (struct tval *)tv_get(root, "backends"), *globals = tv_set(root, "globals", tv_list());
	struct bctx bc = {m, tv_set(root, "protos", tv_list()), tv_set(root, "bodies", tv_list()), NULL, NULL, {0}, {0}, {0}};

	struct vec on = {0};

	spec_backends_on(m->s, m->x->a, &on);
	for (size_t i = 0; i < on.n && i < list->n; i++) {
		const struct spec_backend *b = on.v[i];
		struct tval *bm = list->items[i], *tabs = tv_set(bm, "tables", tv_list());
		struct tval *thunks = tv_set(bm, "thunks", tv_list()), *insns = tv_set(bm, "insns", tv_list());

		bc.policy = tv_set(bm, "policy", tv_list());
		bc.refs = tv_set(bm, "refs", tv_list());

		for (size_t t = 0; t < m->s->tables.n; t++) {
			const struct spec_table *tab = m->s->tables.v[t];
			struct tval *d, *entries;
			if (!(tab->arches >> m->x->a->index & 1))
				continue;
			d = tv_add_map(tabs);
			tv_set_str(d, "name", tab->name);
			/* named after the backend: two backends may share a symbol prefix */
			tv_set_strf(d, "var", "%s_%s", b->name, tab->name);
			tv_set_strf(d, "decl", "const struct %s %s_%s", tab->name, b->name, tab->name);
			entries = tv_set(d, "entries", tv_list());
			walk_entries(&bc, b, &tab->ops, NULL, entries, thunks, insns);
			if (i == 0) { /* the globals start as the default backend's tables */
				struct tval *g = tv_add_map(globals);
				tv_set_str(g, "name", tab->name);
				tv_set_strf(g, "decl", "struct %s %s", tab->name, tab->name);
				tv_set(g, "entries", tv_ref(entries));
			}
		}
		tv_set_int(bm, "ninsns", (long long)insns->n);
	}
	for (size_t i = 0; i < on.n && i < list->n; i++) /* every body is known now */
		keep_owed_refs(&bc, list->items[i]);
	vec_free(&on);
	strset_free(&bc.seen_protos);
	strset_free(&bc.seen_bodies);
	strset_free(&bc.seen_thunks);
}

/* A macro whose site holds a backend's sequence (`sequence`): its lines are that sequence,
 * its mask the registers the macro lets it change. False for a macro whose site calls. */
static bool sequence_lines(struct model *m, const struct x86_macro *mac, const struct x86_opinfo *in,
			   struct tval *mm, struct tval *lines)
{
	const char *name = mac->sequence;
	const struct spec_backend *b = NULL;

	if (!name)
		return false;
	for (size_t i = 0; i < m->s->backends.n && !b; i++)
		if (strcmp(((const struct spec_backend *)m->s->backends.v[i])->name, name) == 0)
			b = m->s->backends.v[i];
	const struct spec_impl *impl = b ? spec_impl(b, in->op, m->x->a, NULL) : NULL;
	const struct x86_code *code = x86_impl_code_of(m->x, impl);
	char *text = xstrdup(code ? code->text : "");

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		tv_add_str(lines, line);
	free(text);
	tv_set_strf(mm, "mask", "0x%x", x86_mask_of(&m->x->conv, x86_regset(&mac->clobbers, m->x->conv.bits)));
	tv_set_str(mm, "holds", name);
	return true;
}

/* A macro's call: the registers `saved` pushed around it (those its caller's mask, the
 * parameter, keeps: tested by the assembler), then the site's call and padding. */
static void call_lines(struct model *m, const struct x86_opinfo *in, const char *param, unsigned saved,
		       struct tval *lines)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int k = 0; k < X86_NGPR; k++) {
			int r = pass ? X86_NGPR - 1 - k : k, bit = -1;
			const char *verb = pass ? "pop" : "push";
			if (!(saved >> r & 1))
				continue;
			for (int b = 0; b < m->x->conv.nmask; b++)
				bit = m->x->conv.mask_reg[b] == r ? b : bit;
			if (param && bit >= 0)
				add_fmt(lines, ".if (~(%s)) & (1 << %d); %s %%%s; .endif", param, bit, verb, reg(m, r));
			else
				add_fmt(lines, "%s %%%s", verb, reg(m, r));
		}
		if (pass)
			break;
		char *insn = x86_site_insn_named(m->x, in, SITE_ASM);
		tv_add_str(lines, insn);
		free(insn);
		if (in->pad) {
			char *pad = x86_nop_bytes(in->pad);
			add_fmt(lines, ".byte %s", pad);
			free(pad);
		}
	}
}

static void add_macros(struct model *m, struct tval *root)
{
	struct tval *list = tv_set(root, "asm_macros", tv_list());

	for (int i = 0; i < m->x->nmacros; i++) {
		const struct x86_macro *mac = &m->x->macros[i];
		const char *param = mac->clob_param;
		const struct x86_opinfo *in = NULL;
		struct tval *mm, *lines;
		unsigned keep = 0;

		if (!x86_macro_on(mac, m->x->a) || !mac->op)
			continue;
		for (int k = 0; k < m->x->nops && !in; k++)
			if (strcmp(m->x->ops[k].op->qname, mac->op) == 0 && m->x->ops[k].type >= 0)
				in = &m->x->ops[k];
		if (!in)
			continue;
		mm = tv_add_map(list);
		lines = tv_set(mm, "lines", tv_list());
		tv_set_str(mm, "name", mac->name);
		tv_set_strf(mm, "params", param ? "(%s)" : "%s", param ? param : "");
		model_doc(mm, mac->doc);
		tv_set_str(mm, "qname", in->op->qname);
		tv_set_str(mm, "holds", "");
		char *cname = cname_of(in->op->qname);
		tv_set_strf(mm, "type", "PARAVIRT_PATCH_%s", cname);
		free(cname);
		if (sequence_lines(m, mac, in, mm, lines))
			continue;
		if (!param) {
			keep = x86_regset(&mac->clobbers, m->x->conv.bits);
			tv_set_strf(mm, "mask", "0x%x", x86_mask_of(&m->x->conv, keep));
		} else {
			tv_set_strf(mm, "mask", "(%s)", param);
		}
		call_lines(m, in, param, in->kind == OP_JUMP ? 0 : in->clobbers & ~keep, lines);
	}
}

/* ---- departures from Linux ---- */

/* DEPARTURES.md: every `departs` the analysis found for the arch, in spec order. */
static void add_departures(struct model *m, struct tval *root)
{
	struct tval *list = tv_set(root, "departures", tv_list());

	for (int i = 0; i < m->x->ndepartures; i++) {
		const struct x86_departure *d = &m->x->departures[i];
		struct tval *e = tv_add_map(list);
		tv_set_str(e, "where", d->where);
		tv_set_str(e, "what", d->what);
		tv_set_str(e, "why", d->why);
		tv_set_str(e, "test", d->test);
	}
}

static struct tval *x86_model(const struct spec *s, const struct spec_arch *a, const void *view)
{
	struct model *m = xcalloc(1, sizeof(*m));
	struct tval *root, *consts;

	m->s = s;
	m->x = view;
	root = model_common(s, a, op_hook, m);
	add_arch(m, root);
	add_types(m, root);
	add_machinery(m, root);
	add_backends(m, root);
	add_macros(m, root);
	add_departures(m, root);
	/* the constants the x86 assembler reads (spec_const, analyze.c): the spec's plain
	 * integers on this arch, as .equ and as C alike; the common model's `constants` also
	 * holds other text (IA-64 expressions) */
	consts = tv_set(root, "int_constants", tv_list());
	for (size_t i = 0; s->constants && s->constants->kind == NODE_MAP && i < s->constants->n; i++) {
		long long v;
		if (schema_scalar_int(spec_constant(s, s->constants->keys[i]->str, a), &v)) {
			struct tval *cm = tv_add_map(consts);
			tv_set_str(cm, "name", s->constants->keys[i]->str);
			tv_set_strf(cm, "value", "%lld", v);
		}
	}
	for (int i = 0; i < m->nconvs; i++)
		free(m->convs[i].name);
	free(m->convs);
	free(m);
	return root;
}

const struct family x86_family = {
	.name = "x86",
	.checks = x86_checks,
	.analyze = x86_analyze,
	.view_free = x86_view_free,
	.model = x86_model,
	.keys = &x86_schema_keys,
};
