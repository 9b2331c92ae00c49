/* check.c: the x86 family's named checks, run for each x86 arch on its view (analyze.c:
 * kinds, bindings, clobbers, type numbers, site lengths, every backend sequence assembled).
 * Each rule reports under its own name, at the YAML node or the character it is about. A rule
 * about an op rather than an arch says the same for each arch; diag keeps it once. */
#include "x86.h"

#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "lexeme.h"
#include "model.h"
#include "schema.h"

#define VIEW(cx) ((const struct x86_arch *)(cx)->view)


/* "eax, edx" for a register set */
static char *regs_text(const struct x86_arch *x, unsigned set)
{
	struct buf b = {0};

	buf_puts(&b, "");
	for (int r = 0; r < X86_NGPR; r++)
		if (set >> r & 1)
			buf_printf(&b, "%s%s", b.len ? ", " : "", x86_gpr_name(r, x->conv.bits));
	if (!b.len)
		buf_puts(&b, "none");
	return buf_steal(&b);
}

/* An arch of the spec that --arch left out: what is said for it is not checked. */
static bool left_out(const struct x86_arch *x, const char *name)
{
	const struct spec_arch *a = spec_arch(x->s, name);
	return a && !spec_selected(x->s, a);
}

/* Is this key of a per-arch map an analysed x86 arch other than x's? */
static const struct spec_arch *other_x86(const struct x86_arch *x, const char *name)
{
	const struct spec_arch *a = spec_arch(x->s, name);

	if (!a || a == x->a || strcmp(a->family, "x86") != 0 || (a->word_bits != 32 && a->word_bits != 64))
		return NULL;
	return a;
}

/* ---- the convention ---- */

/* "; did you mean 'rax'?" for a misspelt register of the arch's width, or "". */
static const char *near_reg(const char *name, int bits, char *buf, size_t len)
{
	const char *names[X86_NGPR + 1], *best;

	for (int r = 0; r < X86_NGPR; r++)
		names[r] = x86_gpr_name(r, bits);
	names[X86_NGPR] = NULL;
	best = util_suggest(name, names);
	if (!best || snprintf(buf, len, "; did you mean '%s'?", best) >= (int)len)
		return "";
	return buf;
}

static void reg_names(const struct x86_arch *x, const struct reglist *l, const char *what)
{
	for (int i = 0; i < l->n; i++)
		if (x86_gpr(l->r[i].name, x->conv.bits) < 0)
			diag_error(l->r[i].pos, "x86-clobber-register", "'%s' in %s is not a %d-bit register of %s%s",
				   l->r[i].name, what, x->conv.bits, x->a->name,
				   x86_gpr(l->r[i].name, 96 - x->conv.bits) >= 0
					   ? " (that is the other mode's name)"
					   : near_reg(l->r[i].name, x->conv.bits, (char[64]){0}, 64));
}

static void convention(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);
	const struct spec_arch *a = x->a;
	const struct x86_conv *c = &x->conv;
	unsigned ret = c->ret[0] | c->ret[1], masked = 0;

	(void)chk;
	if (!x->conv_ok)
		return;
	for (int i = 0; i < a->arg_regs.n; i++) {
		int r = x86_gpr(a->arg_regs.r[i].name, c->bits);
		if (!x86_gpr_letter(r))
			diag_error(a->arg_regs.r[i].pos, "x86-convention",
				   "argument register '%s' has no gcc constraint letter (eax, ebx, ecx, edx, esi, edi)",
				   a->arg_regs.r[i].name);
	}
	for (int i = 0; i < a->ret_regs.n; i++) {
		int r = x86_gpr(a->ret_regs.r[i].name, c->bits);
		if (!x86_gpr_letter(r) || i >= 2)
			diag_error(a->ret_regs.r[i].pos, "x86-convention", i >= 2 ? "at most two return registers"
				   : "return register '%s' has no gcc constraint letter", a->ret_regs.r[i].name);
	}
	const char *seg = x->percpu_segment;
	if (seg && strcmp(seg, "fs") != 0 && strcmp(seg, "gs") != 0)
		diag_error(x->percpu_segment_at, "x86-convention", "percpu_segment is fs or gs, not '%s'", seg);
	if (a->arg_regs.n > 8)
		diag_error(x->at.arg_regs, "x86-convention", "at most 8 argument registers");
	if (x->no_ret_regs) /* other shapes: the schema or the register grammar says */
		diag_error(x->at.ret_regs, "x86-convention", "an x86 arch needs a return register");
	if (a->stack_args < 0 || c->nargs + a->stack_args > 8)
		diag_error(x->at.stack_args, "x86-convention",
			   "stack_args must be 0 or more, and with the argument registers at most 8");
	if (a->clobber_mask.n > 16)
		diag_error(x->at.clobber_mask, "x86-convention",
			   "a patch record's clobber mask has 16 bits; clobber_mask names %d registers", a->clobber_mask.n);
	for (int i = 0; i < c->nmask; i++)
		masked |= c->mask_reg[i] >= 0 ? 1u << c->mask_reg[i] : 0;
	struct {
		unsigned sub, super;
		struct pos at;
		const char *what;
	} rules[] = {
		{ret, c->callee, x->at.callee_save_clobbers, "the return registers are modified by every call, so callee_save_clobbers needs"},
		{c->callee, c->call, x->at.call_clobbers, "a callee-save call modifies less than a normal one, so call_clobbers needs"},
		{c->call, masked, x->at.clobber_mask, "a site's clobber mask must be able to say every call clobber, so clobber_mask needs"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].sub & ~rules[i].super) {
			char *miss = regs_text(x, rules[i].sub & ~rules[i].super);
			diag_error(rules[i].at, "x86-convention", "%s %s", rules[i].what, miss);
			free(miss);
		}
}

/* ---- ops ---- */

/* fn for every function op of the view's arch (sites only if `sites`). */
static void each_func(const struct x86_arch *x, bool sites, void (*fn)(const struct x86_arch *, const struct x86_opinfo *))
{
	for (int k = 0; k < x->nops; k++) {
		const struct x86_opinfo *in = &x->ops[k];
		if (in->op->kind == OP_FIELD || in->op->kind == OP_GROUP || !in->op->has_sig)
			continue;
		if (!sites || x86_is_site(in->kind))
			fn(x, in);
	}
}

static void op_regs(const struct x86_arch *x, const struct x86_opinfo *in)
{
	for (int i = 0; i < in->regs.n; i++)
		if (x86_gpr(in->regs.r[i].name, x->conv.bits) < 0) {
			char near[64];
			diag_error(in->regs.r[i].pos, "x86-clobber-register", "'%s' is not a %d-bit register of %s%s",
				   in->regs.r[i].name, x->conv.bits, x->a->name,
				   near_reg(in->regs.r[i].name, x->conv.bits, near, sizeof(near)));
		}
}

/* The arch's register lists and every op's declared clobbers (macros: check x86-macro). */
static void clobber_register(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);
	const struct spec_arch *a = x->a;

	(void)chk;
	reg_names(x, &a->arg_regs, "arg_regs");
	reg_names(x, &a->ret_regs, "ret_regs");
	reg_names(x, &a->call_clobbers, "call_clobbers");
	reg_names(x, &a->callee_save_clobbers, "callee_save_clobbers");
	reg_names(x, &a->clobber_mask, "clobber_mask");
	each_func(x, false, op_regs);
}

/* Declared clobbers within the convention's bounds. */
static void op_clobbers(const struct x86_arch *x, const struct x86_opinfo *in)
{
	const struct spec_op *op = in->op;
	const struct spec_arch *a = x->a;
	struct pos at = in->clobbers_at;
	unsigned bound = in->kind == OP_CALLEE_SAVE ? x->conv.callee : x->conv.call;
	unsigned need = 0;

	if (!in->declared || !x->conv_ok)
		return;
	for (int w = 0; w < in->bind.ret_words && w < x->conv.nret; w++)
		need |= x->conv.ret[w];
	if (in->kind == OP_JUMP) {
		diag_error(at, "x86-clobber-set", "'%s' is a jump: control never returns to its site, so it "
			   "declares no clobbers", op->qname);
	} else if (in->clobbers & ~bound) {
		char *extra = regs_text(x, in->clobbers & ~bound), *all = regs_text(x, bound);
		diag_error(at, "x86-clobber-set", "%s op '%s' declares clobbers beyond the %s set of %s (%s): %s",
			   in->kind == OP_CALLEE_SAVE ? "callee-save" : "the", op->qname,
			   in->kind == OP_CALLEE_SAVE ? "callee-save" : "call", a->name, all, extra);
		free(extra);
		free(all);
	} else if (need & ~in->clobbers) {
		char *miss = regs_text(x, need & ~in->clobbers);
		diag_error(at, "x86-clobber-set", "'%s' returns its value in %s, which its clobbers must include",
			   op->qname, miss);
		free(miss);
	}
}

static void narrow_impls(const struct x86_arch *x, const struct x86_opinfo *in);

static void clobber_set(const struct check_ctx *cx, const struct check *chk)
{
	(void)chk;
	each_func(VIEW(cx), false, op_clobbers);
	each_func(VIEW(cx), true, narrow_impls);
}

static void op_arity(const struct x86_arch *x, const struct x86_opinfo *in)
{
	const struct spec_op *op = in->op;

	(void)x;
	if (op->sig.nparams > 4)
		diag_error(op->sig.params[4].pos, "x86-arity",
			   "'%s' takes %d arguments; a patch site passes at most 4 (make it kind: call)", op->qname,
			   op->sig.nparams);
}

static void arity(const struct check_ctx *cx, const struct check *chk)
{
	(void)chk;
	each_func(VIEW(cx), true, op_arity);
}

static void op_binding(const struct x86_arch *x, const struct x86_opinfo *in)
{
	const struct spec_op *op = in->op;
	const struct spec_arch *a = x->a;

	if (op->sig.nparams > 4) /* x86-arity says why */
		return;
	if (in->bind.error) {
		struct pos at = in->bind.error_param < 0 ? op->sig.ret.pos : op->sig.params[in->bind.error_param].pos;
		char *hint = in->bind.error_param >= 0 ? xasprintf(" (a plain call can take them: kinds: {%s: call})", a->name)
						       : xstrdup("");
		diag_error(at, "x86-binding", "cannot bind '%s' on %s: %s%s", op->qname, a->name, in->bind.error, hint);
		free(hint);
	} else if (in->kind == OP_CALLEE_SAVE && in->bind.nstack) {
		diag_error(op->sig.pos, "x86-binding", "callee-save op '%s' needs the stack for its arguments on %s; its "
			   "thunk could not preserve them", op->qname, a->name);
	}
}

static void binding(const struct check_ctx *cx, const struct check *chk)
{
	(void)chk;
	each_func(VIEW(cx), true, op_binding);
}

static void op_jump_sig(const struct x86_arch *x, const struct x86_opinfo *in)
{
	const struct spec_op *op = in->op;

	(void)x;
	if (in->kind == OP_JUMP && op->sig.nparams <= 4 && (op->sig.nparams || op->sig.ret.cls != CT_VOID || op->sig.ret.ptr))
		diag_error(op->sig.pos, "x86-jump-form", "jump op '%s' is 'void (void)': nothing comes back to its site",
			   op->qname);
}

static void op_patch_type(const struct x86_arch *x, const struct x86_opinfo *in)
{
	const struct spec_op *op = in->op;

	if (in->type > 255)
		diag_error(in->name_at, "x86-patch-type",
			   "'%s' has patch type %d on %s; a patch record holds the type in one byte (at most 255)",
			   op->qname, in->type, x->a->name);
}

static void patch_type(const struct check_ctx *cx, const struct check *chk)
{
	(void)chk;
	each_func(VIEW(cx), true, op_patch_type);
}

/* `kinds` and `site_bytes`: per-arch maps on ops. A key naming this arch is checked here; one
 * naming no x86 arch is reported (once, whichever arch runs first). */
static bool map_key(const struct x86_arch *x, const struct x86_arch_entry *e)
{
	if (strcmp(e->arch, x->a->name) == 0)
		return true;
	return !other_x86(x, e->arch) && !left_out(x, e->arch);
}

static void op_kind(const struct x86_arch *x, const struct spec_op *op, const struct x86_arch_entry *e)
{
	const char *best;
	bool known = false;

	if (strcmp(e->arch, x->a->name) != 0 || !model_op_on_arch(op, x->a)) {
		diag_error(e->arch_at, "x86-kinds", "'%s' does not exist on an x86 arch named '%s'", op->qname, e->arch);
		return;
	}
	if (op->kind == OP_FIELD || op->kind == OP_GROUP) {
		diag_error(e->arch_at, "x86-kinds", "'%s' is not a function; it has no kind", op->qname);
		return;
	}
	for (const char *const *w = op_written_kinds; *w && e->word; w++)
		known |= strcmp(*w, e->word) == 0;
	if (e->word && !known) {
		best = util_suggest(e->word, op_written_kinds);
		diag_error(e->at, "x86-kinds", "unknown op kind '%s'%s%s%s", e->word, best ? "; did you mean '" : "",
			   best ? best : "", best ? "'?" : "");
	}
}

static void op_site_bytes(const struct x86_arch *x, const struct spec_op *op, const struct x86_arch_entry *e)
{
	const struct x86_opinfo *in = strcmp(e->arch, x->a->name) == 0 ? x86_info(x, op) : NULL;

	if (!in) {
		diag_error(e->arch_at, "x86-site-bytes", "'%s' does not exist on an x86 arch named '%s'", op->qname,
			   e->arch);
		return;
	}
	if (!x86_is_site(in->kind)) {
		diag_error(e->arch_at, "x86-site-bytes", "'%s' is a plain call on %s; it has no patch site", op->qname,
			   x->a->name);
		return;
	}
	struct x86_opinfo bare = *in;
	bare.pad = 0;
	int call = x86_site_len(x, &bare, SITE_C);
	if (e->is_number && (e->number < call || e->number > 255))
		diag_error(e->at, "x86-site-bytes",
			   "site_bytes %lld: a site of '%s' on %s is at least its %d-byte %s and at most 255 "
			   "bytes (the record's length is one byte)", e->number, op->qname, x->a->name, call,
			   in->kind == OP_JUMP ? "jump" : "call");
}

static void kinds(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);

	(void)chk;
	for (int i = 0; i < x->nop_keys; i++)
		for (int k = 0; k < x->op_keys[i].nkinds; k++)
			if (map_key(x, &x->op_keys[i].kinds[k]))
				op_kind(x, x->op_keys[i].op, &x->op_keys[i].kinds[k]);
}

static void site_bytes(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);

	(void)chk;
	for (int i = 0; i < x->nop_keys; i++)
		for (int k = 0; k < x->op_keys[i].nsite_bytes; k++)
			if (map_key(x, &x->op_keys[i].site_bytes[k]))
				op_site_bytes(x, x->op_keys[i].op, &x->op_keys[i].site_bytes[k]);
}

/* ---- tables ---- */

static bool same_members(const struct vec *a, const struct vec *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct spec_op *x = a->v[i], *y = b->v[i];
		char *sx = x->has_sig ? sig_to_string(&x->sig) : NULL, *sy = y->has_sig ? sig_to_string(&y->sig) : NULL;
		bool same = strcmp(x->name, y->name) == 0 && x->kind == y->kind && !sx == !sy && (!sx || strcmp(sx, sy) == 0);
		free(sx);
		free(sy);
		if (!same)
			return false;
	}
	return true;
}

static void table_layout(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);
	const struct spec_table *tab = NULL;
	const struct spec_op *groups[64];
	int ngroups = 0;
	bool funcs = false;

	(void)chk;
	for (int i = 0; i < x->nops; i++) { /* the ops come table by table, in the spec's order */
		const struct spec_op *op = x->ops[i].op;
		if (op->table != tab) {
			tab = op->table;
			funcs = x86_table_has_funcs(&tab->ops, x->a);
		}
		if (!funcs)
			continue;
		if (op->kind == OP_FIELD)
			diag_error(x->ops[i].type_at, "x86-table-layout",
				   "'%s' is a data field in a table of ops; its slots are counted as words, so "
				   "data belongs in a table of its own (like pv_info)", op->qname);
		if (op->kind != OP_GROUP || !model_op_on_arch(op, x->a))
			continue;
		for (int g = 0; g < ngroups; g++)
			if (strcmp(groups[g]->struct_name, op->struct_name) == 0 && !same_members(&groups[g]->ops, &op->ops)) {
				diag_error(x->ops[i].struct_at, "x86-table-layout",
					   "'struct %s' is defined by '%s' with other members", op->struct_name,
					   groups[g]->qname);
				diag_note(x86_info(x, groups[g])->struct_at, "first defined here");
			}
		if (ngroups < (int)ARRAY_SIZE(groups))
			groups[ngroups++] = op;
	}
}

/* ---- backend sequences ---- */

/* fn for every backend sequence of the arch that assembled, with its op. */
typedef void code_rule(const struct x86_arch *x, const struct spec_backend *b, const struct x86_opinfo *in,
		       const struct node *code, const struct x86_code *c);

static void each_code(const struct check_ctx *cx, code_rule *fn)
{
	const struct x86_arch *x = VIEW(cx);

	for (int i = 0; i < x->ncodes; i++) {
		const struct x86_impl_code *ic = &x->codes[i];
		if (ic->ok)
			fn(x, ic->b, x86_info_named(x, ic->impl->qname), ic->node, &ic->code);
	}
}

static void code_fit(const struct x86_arch *x, const struct spec_backend *b, const struct x86_opinfo *in,
		     const struct node *code, const struct x86_code *c)
{
	if (!x86_is_site(in->kind)) {
		diag_error(code->pos, "x86-site-fit", "'%s' is a plain call on %s: it has no patch site to inline "
			   "code into", in->op->qname, x->a->name);
	} else if (c->len > in->site) {
		diag_error(code->pos, "x86-site-fit",
			   "the %s sequence of '%s' is %d bytes; its patch site on %s has %d (a %d-byte %s%s); reserve "
			   "more with site_bytes", b->name, in->op->qname, c->len, x->a->name, in->site, in->site - in->pad,
			   in->kind == OP_JUMP ? "jump" : "call", in->pad ? " and its padding" : "");
	}
}

static void code_leaves(const struct x86_arch *x, const struct spec_backend *b, const struct x86_opinfo *in,
			const struct node *code, const struct x86_code *c)
{
	(void)x;
	if (in->kind == OP_JUMP && c->falls_through)
		diag_error(code->pos, "x86-jump-form", "'%s' is a jump op: its %s sequence must leave (end with "
			   "iret, sysret, sysexit or a jmp), not run on past its site", in->op->qname, b->name);
}

static void code_clobbers(const struct x86_arch *x, const struct spec_backend *b, const struct x86_opinfo *in,
			  const struct node *code, const struct x86_code *c)
{
	unsigned allowed = in->clobbers;

	(void)b;
	if (in->kind == OP_JUMP)
		return;
	for (int i = 0; i < c->nsteps; i++) {
		/* a call inside a sequence goes to a function that keeps the callee-save promise */
		unsigned w = c->steps[i].writes | (c->steps[i].calls ? x->conv.callee : 0);
		if (w & ~allowed) {
			char *bad = regs_text(x, w & ~allowed), *ok = regs_text(x, allowed);
			/* .byte data: say which instruction the bytes are */
			char *what = c->steps[i].what ? xasprintf("instruction (%s)", c->steps[i].what)
						      : xstrdup(c->steps[i].calls ? "call" : "instruction");
			diag_error(node_pos_at(code, c->steps[i].off), "x86-code-clobbers",
				   "this %s writes %s, which a site of '%s' on %s may not change (it may change: %s)",
				   what, bad, in->op->qname, x->a->name, ok);
			free(what);
			free(bad);
			free(ok);
			break;
		}
	}
}

/* `stack`: an implementation takes a frame its callers' stack holds for it (Xen's exception
 * frame adjustment). Only a patchable op's .S site can have such a caller: C cannot lose its
 * stack, nor can a thunk's; and it is whole words, taken, not left. */
static void impl_stack(const struct x86_arch *x, const struct spec_backend *b, const struct spec_impl *impl,
		       const struct x86_opinfo *in)
{
	const struct node *codenode = spec_for_arch(impl->code, x->a);
	const struct x86_code *c = x86_code_of(x, codenode);
	const struct x86_impl_keys *k = x86_impl_keys_of(x, impl);
	bool given = k && k->has_stack;
	int n = given ? k->stack : 0, word = x->a->word_bits / 8;

	if (given && (impl->nop || impl->none))
		diag_error(k->stack_at, "x86-code-stack", "%s's '%s' is %s: it takes no frame off its caller's stack",
			   b->name, impl->qname, impl->nop ? "a no-op" : "NULL");
	else if (given && in->kind != OP_PATCHABLE)
		diag_error(k->stack_at, "x86-code-stack", "'%s' is %s on %s: only a patchable op's implementation "
			   "can take a frame off its caller's stack (a C caller or a thunk has none to give)", impl->qname,
			   x86_kind_word(in->kind), x->a->name);
	else if (given && (n <= 0 || n % word))
		diag_error(k->stack_at, "x86-code-stack", "stack %d: an implementation takes whole words (%d bytes "
			   "each) off its caller's stack, so a positive multiple of %d", n, word, word);
	else if (c && in->kind != OP_JUMP && c->falls_through && c->stack != n)
	{
		char *said = given ? xasprintf("its 'stack' says %d", n)
				   : xstrdup("the code after its site expects it unchanged (or say what it takes with 'stack')");
		diag_error(codenode->pos, "x86-code-stack", "the %s sequence of '%s' moves the stack pointer by %d "
			   "bytes; %s", b->name, impl->qname, c->stack, said);
		free(said);
	}
}

static void stack_of_code(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);

	(void)chk;
	for (size_t i = 0; i < x->s->backends.n; i++) {
		const struct spec_backend *b = x->s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct x86_opinfo *in = impl->op ? x86_info_named(x, impl->qname) : NULL;
			if (in && (impl->arches >> x->a->index & 1) && spec_backend_on(b, x->a))
				impl_stack(x, b, impl, in);
		}
	}
}

static void site_fit(const struct check_ctx *cx, const struct check *chk) { (void)chk; each_code(cx, code_fit); }
static void clobbers_of_code(const struct check_ctx *cx, const struct check *chk) { (void)chk; each_code(cx, code_clobbers); }

/* `unless_feature`: the kernel's alternatives replace a call site with the implementation's
 * code, so there must be code for the arch, and a call site to replace. */
static void alternatives(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);
	const struct spec *s = x->s;

	(void)chk;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct x86_impl_keys *k = x86_impl_keys_of(x, impl);
			const struct x86_opinfo *in = k && k->unless_feature && impl->op ? x86_info_named(x, impl->qname) : NULL;

			/* code on an op without a call site is x86-site-fit's */
			if (!in || !(impl->arches >> x->a->index & 1) || spec_for_arch(impl->code, x->a))
				continue;
			if (!x86_is_site(in->kind) || in->kind == OP_JUMP)
				diag_error(k->unless_feature_at, "x86-alternative", "'%s' is %s on %s: there is no call "
					   "site for the alternatives to replace", impl->qname,
					   in->kind == OP_JUMP ? "a jump" : "a plain call", x->a->name);
			else
				diag_error(k->unless_feature_at, "x86-alternative", "the call to '%s' is replaced unless "
					   "the CPU has %s, but this implementation gives no code for %s", impl->qname,
					   k->unless_feature, x->a->name);
		}
	}
}

/* A jump op: void (void), its sequences leave, and no backend makes it a no-op (a jump never
 * returns: a backend cannot make it do nothing). */
static void jump_form(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);
	const struct spec *s = x->s;

	(void)chk;
	each_func(x, true, op_jump_sig);
	each_code(cx, code_leaves);
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct x86_opinfo *in = impl->op && impl->nop ? x86_info_named(x, impl->qname) : NULL;
			if (in && in->kind == OP_JUMP && (impl->arches >> x->a->index & 1))
				diag_error(x86_impl_keys_of(x, impl)->nop_at, "x86-jump-form",
					   "'%s' is a jump op: control never comes back from it, so it cannot do nothing",
					   impl->qname);
		}
	}
}

/* An op whose declared clobbers are fewer than a C function may change (through its thunk, for
 * a callee-save op) can only be implemented by code or a no-op. */
static void narrow_impls(const struct x86_arch *x, const struct x86_opinfo *in)
{
	const struct spec *s = x->s;
	unsigned c_changes = in->kind == OP_CALLEE_SAVE ? x->conv.callee : x->conv.call;

	unsigned need = 0;

	if (!in->declared || !x86_is_site(in->kind) || in->kind == OP_JUMP || !(c_changes & ~in->clobbers))
		return;
	/* a declared set with other faults is reported for those */
	for (int i = 0; i < in->regs.n; i++)
		if (x86_gpr(in->regs.r[i].name, x->conv.bits) < 0)
			return;
	for (int w = 0; w < in->bind.ret_words && w < x->conv.nret; w++)
		need |= x->conv.ret[w];
	if ((need & ~in->clobbers) || (in->clobbers & ~c_changes))
		return;
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i], *from = NULL;
		if (!spec_backend_on(b, x->a))
			continue;
		const struct spec_impl *impl = spec_impl(b, in->op, x->a, &from);
		if (impl && (impl->nop || impl->none || spec_for_arch(impl->code, x->a)))
			continue;
		if (impl && from != b) /* said for the backend it comes from */
			continue;
		char *keep = regs_text(x, c_changes & ~in->clobbers);
		diag_error(impl ? impl->node->pos : in->clobbers_at, "x86-clobber-set",
			   "'%s' promises its sites on %s keep %s, but backend '%s' implements it with a C function, "
			   "which may change them; give it code for %s, or make it a no-op", in->op->qname, x->a->name,
			   keep, b->name, x->a->name);
		free(keep);
	}
}

/* ---- .S macros ---- */

/* Why backend b (its implementation bi) cannot patch a site that holds sequence c and keeps
 * `keep`, or NULL: it must fit, with its own sequence or NOPs, never a call. */
static const char *cannot_patch(const struct x86_arch *x, const struct spec_backend *b, const struct spec_impl *bi,
				const struct x86_opinfo *in, const struct x86_code *c, unsigned keep)
{
	const struct x86_code *bc = x86_impl_code_of(x, bi);
	const char *how = spec_policy(b, in->op, NULL);

	if (how && (strcmp(how, "call") == 0 || strcmp(how, "indirect") == 0))
		return "its policy asks for a call";
	if (bi && bi->nop && in->kind != OP_JUMP)
		return NULL;
	if (!bc)
		return "it implements the op with a call";
	if (bc->len > c->len)
		return "its sequence is longer";
	if (bc->writes & ~keep)
		return "its sequence writes registers the site keeps";
	return NULL;
}

/* A site that holds a backend's sequence (`sequence`) runs where a call cannot (on a user
 * stack): the sequence must exist, and every backend must be able to patch the site within
 * its bytes and its clobbers, with its own sequence or NOPs, never a call. */
static void sequence_site(const struct x86_arch *x, const struct x86_macro *m, const struct x86_opinfo *in,
			  unsigned keep)
{
	const char *mname = m->name;
	const struct spec_backend *owner = NULL;
	const struct x86_code *c = NULL;
	struct vec on = {0};

	spec_backends_on(x->s, x->a, &on);
	for (size_t i = 0; i < on.n && !owner; i++)
		if (strcmp(((const struct spec_backend *)on.v[i])->name, m->sequence) == 0)
			owner = on.v[i];
	if (m->clob_param)
		diag_error(m->params_at, "x86-macro", "'%s' holds a sequence: its clobbers are what "
			   "the sequences write, given by 'clobbers', not by its caller", mname);
	if (!owner) {
		diag_error(m->sequence_at, "x86-macro", "'%s' holds the sequence of backend '%s', but no backend of "
			   "that name serves %s", mname, m->sequence, x->a->name);
		vec_free(&on);
		return;
	}
	const struct spec_impl *impl = spec_impl(owner, in->op, x->a, NULL);
	c = x86_impl_code_of(x, impl);
	if (!c) {
		if (!impl || !spec_for_arch(impl->code, x->a)) /* code that does not assemble: x86-code says so */
			diag_error(m->sequence_at, "x86-macro", "'%s' holds %s's sequence for '%s', but %s has none on %s",
				   mname, owner->name, in->op->qname, owner->name, x->a->name);
		vec_free(&on);
		return;
	}
	if (!c->len) {
		diag_error(m->sequence_at, "x86-macro", "'%s' holds %s's sequence for '%s', which is empty on %s: the "
			   "site would have no bytes for another backend's sequence", mname, owner->name, in->op->qname,
			   x->a->name);
		vec_free(&on);
		return;
	}
	for (size_t i = 0; i < on.n; i++) {
		const struct spec_backend *b = on.v[i], *from = NULL;
		const struct spec_impl *bi = spec_impl(b, in->op, x->a, &from);
		const char *bad = cannot_patch(x, b, bi, in, c, keep);
		if (!bad)
			continue;
		diag_error(m->sequence_at, "x86-macro", "'%s' holds %s's %d-byte sequence for '%s', which backend %s cannot "
			   "patch: %s", mname, owner->name, c->len, in->op->qname, b->name, bad);
		if (bi)
			diag_note(bi->node->pos, "%s's implementation%s", b->name, from && from != b ? " (its fallback's)" : "");
	}
	vec_free(&on);
}

/* Around its call a macro saves what the callee may change and the site may not. An
 * implementation that takes a frame off the stack reads it at the stack pointer, so nothing
 * may be pushed between: such a macro's clobbers must cover the op's. */
static void saves_and_stack(const struct x86_arch *x, const struct x86_macro *m, const struct x86_opinfo *in,
			    unsigned keep, bool by_caller)
{
	unsigned saved = in->clobbers & ~keep;
	struct vec on = {0};

	if (!saved)
		return;
	spec_backends_on(x->s, x->a, &on);
	for (size_t i = 0; i < on.n; i++) {
		const struct spec_backend *b = on.v[i];
		const struct spec_impl *impl = spec_impl(b, in->op, x->a, NULL);
		int n = impl ? x86_impl_stack(x, impl) : 0;
		if (!n)
			continue;
		char *regs = regs_text(x, saved);
		diag_error(by_caller ? m->params_at : m->name_at, "x86-macro",
			   "'%s' saves %s around its call%s, but %s's '%s' takes %d bytes off the stack there: the saves "
			   "would stand between it and its frame; let the macro clobber what the op may change",
			   m->name, regs, by_caller ? " (what its caller's mask keeps)" : "", b->name,
			   in->op->qname, n);
		diag_note(x86_impl_keys_of(x, impl)->stack_at, "%s's implementation says so here", b->name);
		free(regs);
		break;
	}
	vec_free(&on);
}

/* The part of an x86 macro's rules that is about its arch: its op there, its clobbers there. */
static void macro_site(const struct x86_arch *x, const struct x86_macro *m, int index)
{
	const struct x86_opinfo *in;

	for (int k = 0; k < index; k++)
		if (x86_macro_on(&x->macros[k], x->a) && x->macros[k].has_name && strcmp(x->macros[k].name, m->name) == 0) {
			diag_error(m->name_at, "x86-macro", "macro '%s' is defined twice for %s", m->name, x->a->name);
			diag_note(x->macros[k].name_at, "first defined here");
			break;
		}
	in = x86_info_named(x, m->op);
	if (!in) {
		diag_error(m->op_at, "x86-macro-op", "macro '%s' exists on %s, but its op '%s' does not", m->name,
			   x->a->name, m->op);
		return;
	}
	if (!x86_is_site(in->kind)) {
		diag_error(m->op_at, "x86-macro", "'%s' is %s on %s; a macro's site calls a patchable, callee_save "
			   "or jump op", m->op, in->type < 0 ? "not a function" : "a plain call", x->a->name);
		return;
	}
	for (int k = 0; k < m->clobbers.n; k++)
		if (x86_gpr(m->clobbers.r[k].name, x->conv.bits) < 0)
			diag_error(m->clobbers.r[k].pos, "x86-clobber-register", "'%s' is not a %d-bit register of %s",
				   m->clobbers.r[k].name, x->conv.bits, x->a->name);
	if (in->kind == OP_JUMP && (m->clob_param || m->clobbers.n))
		diag_error(m->clob_param ? m->params_at : m->arch_clobbers_at, "x86-macro",
			   "'%s' jumps: control never comes back to its site, so it has no clobbers", m->name);
	unsigned keep = x86_regset(&m->clobbers, x->conv.bits);
	if (m->sequence)
		sequence_site(x, m, in, keep);
	else if (in->kind != OP_JUMP)
		saves_and_stack(x, m, in, m->clob_param ? 0 : keep, m->clob_param != NULL);
}

static void macro_rules(const struct x86_arch *x, const struct x86_macro *m, int index)
{
	if (!x86_macro_on(m, x->a))
		return;
	if (!m->op) {
		diag_error(m->at, "x86-macro", "x86 asm macro '%s' needs 'op': the op its patch site calls", m->name);
		return;
	}
	if (m->expand)
		diag_error(m->expand_at, "x86-macro", "an x86 macro is generated from its op; 'expand' is for IA-64 macros");
	for (int i = 0; i < m->nparams; i++) {
		if (!m->params[i].role || strcmp(m->params[i].role, "clob") != 0)
			diag_error(m->params[i].at, "x86-macro",
				   "an x86 macro's one parameter has role 'clob' (the site's clobbers)");
		else if (i > 0)
			diag_error(m->params[i].at, "x86-macro", "an x86 macro has at most one parameter");
	}
	if (m->clob_param && m->has_clobbers)
		diag_error(m->clobbers_at, "x86-macro", "'%s' takes its clobbers from its '%s' parameter; drop 'clobbers'",
			   m->name, m->clob_param);
	macro_site(x, m, index);
	for (int k = 0; k < m->nclobber_arches; k++) {
		const struct x86_arch_entry *e = &m->clobber_arches[k];
		const struct spec_arch *a = strcmp(e->arch, x->a->name) == 0 ? x->a : other_x86(x, e->arch);
		if (left_out(x, e->arch))
			continue;
		if (!a || !x86_macro_on(m, a))
			diag_error(e->arch_at, "x86-macro", "macro '%s' does not exist on an x86 arch named '%s'", m->name,
				   e->arch);
	}
}

static void macros(const struct check_ctx *cx, const struct check *chk)
{
	const struct x86_arch *x = VIEW(cx);

	(void)chk;
	for (int i = 0; i < x->nmacros; i++)
		macro_rules(x, &x->macros[i], i);
}

/* The x86 output has a constant as .equ and #define of its value, and the sequence assembler
 * reads it: so it is an integer there, never dropped. */
static void constants(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;

	for (size_t i = 0; s->constants && s->constants->kind == NODE_MAP && i < s->constants->n; i++) {
		const char *name = s->constants->keys[i]->str;
		const struct node *v = spec_constant(s, name, cx->a);
		long long n;
		if (!v || v->kind != NODE_SCALAR || schema_scalar_int(v, &n) || lex_check(LEX_EXPR, v->str, NULL) != LEX_OK)
			continue; /* an integer, or not an expression (check expression says so) */
		diag_error(v->pos, c->name,
			   "constant '%s' exists on %s, where constants are integers (plain decimal or 0x hex, "
			   "-2^63 to 2^63-1), not '%s'; restrict it with 'arches'", name, cx->a->name, v->str);
	}
}

/* With registers the convention cannot use, what an op's site may change is not known. */
static const char *const after_convention[] = {"x86-convention", NULL};
/* a misspelt kind reads as a plain call: the site checks would only repeat that mistake */
static const char *const after_kinds[] = {"unknown-kind", "x86-kinds", NULL};

const struct check x86_checks[] = {
	{"x86-convention", "an x86 arch's registers make a usable convention: argument and return registers gcc "
			   "can name, returns within callee_save_clobbers within call_clobbers within clobber_mask",
	 convention, NULL},
	{"x86-clobber-register", "every register an x86 arch, op or macro names is a register of that arch", clobber_register, NULL},
	{"x86-clobber-set", "an op's declared clobbers stay within its kind's set (callee-save: "
			    "callee_save_clobbers), include its return registers, and if fewer than a C function may "
			    "change, every backend implements it with code or a no-op", clobber_set, after_convention},
	{"x86-binding", "every argument and return value of a site op fits the arch's registers (i386: 64-bit "
			"values take two, and one word may go on the stack)", binding, after_convention},
	{"x86-arity", "a patchable, callee-save or jump op takes at most 4 arguments", arity, NULL},
	{"x86-kinds", "an op's per-arch kinds name its arches and known kinds", kinds, NULL},
	{"x86-site-bytes", "site_bytes is given for site ops, at least the call, at most 255", site_bytes, NULL},
	{"x86-patch-type", "every op's patch type number fits the record's byte", patch_type, NULL},
	{"x86-table-layout", "tables of ops hold no data fields; nested tables sharing a struct agree", table_layout, NULL},
	{"x86-code", "every backend sequence assembles (at the character; reported by the analysis)", NULL, NULL},
	{"x86-site-fit", "a backend's inline sequence fits its op's patch site; only site ops have one", site_fit,
	 after_kinds},
	{"x86-alternative", "an implementation applied by the kernel's alternatives (unless_feature) has code for "
			    "each x86 arch of its op, and the op has a call site", alternatives, after_kinds},
	{"x86-code-clobbers", "a sequence writes only what its op's site may change (a call inside counts as "
			      "the callee-save clobbers)", clobbers_of_code, after_convention},
	{"x86-code-stack", "a sequence that runs on leaves the stack pointer as it found it, or moves it by its "
			   "'stack': whole words a patchable op's implementation takes off its caller's stack", stack_of_code,
	 NULL},
	{"x86-jump-form", "a jump op is void (void), its sequences leave (iret, sysret, jmp), and no backend makes "
			  "it a no-op", jump_form, NULL},
	{"x86-macro", "an x86 asm macro names a site op and at most one 'clob' parameter, once per arch", macros,
	 after_kinds},
	{"x86-macro-op", "an asm macro's op exists on every arch the macro is declared for (with x86-macro)", NULL, NULL},
	{"x86-constant", "every constant on an x86 arch is a plain integer from -2^63 to 2^63-1 (emitted, never dropped)",
	 constants, NULL},
	{NULL, NULL, NULL, NULL},
};
