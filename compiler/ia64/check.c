/* check.c: the IA-64 family's named checks: the stub convention of every patch body, the
 * roles and effects of every ASM macro expansion, patch types and the getreg/setreg registers. */
#include "ia64.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "schema.h"

#define ERR(c, pos, ...) diag_error(pos, (c)->name, __VA_ARGS__)

/* ---- shared ------------------------------------------------------------------------------ */

/* Reports once per place and message: one rule makes a body for every register. */
struct seen {
	struct vec keys;
};

static bool first_time(struct seen *s, const void *node, size_t off, const char *msg)
{
	char *key = xasprintf("%p:%zu:%s", node, off, msg);

	for (size_t i = 0; i < s->keys.n; i++)
		if (strcmp(s->keys.v[i], key) == 0) {
			free(key);
			return false;
		}
	vec_push(&s->keys, key);
	return true;
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->keys.n; i++)
		free(s->keys.v[i]);
	vec_free(&s->keys);
}

/* Report at byte `off` of a body or expansion instance, once. */
static void report(const struct check *c, struct seen *seen, const struct node *scalar,
		   const struct ia64_text *t, size_t off, const char *fmt, ...) PRINTF(6, 7);
static void report(const struct check *c, struct seen *seen, const struct node *scalar,
		   const struct ia64_text *t, size_t off, const char *fmt, ...)
{
	va_list ap;
	size_t at = ia64_text_origin(t, off);

	if (!first_time(seen, scalar, at, "")) /* the first of a place (plain operands come first) */
		return;
	va_start(ap, fmt);
	diag_verror(node_pos_at(scalar, at), c->name, fmt, ap);
	va_end(ap);
}

static bool in_list(const struct vec *list, const char *canon)
{
	return ia64_reg_in(canon, (const char *const *)list->v, (int)list->n);
}

static bool has_str(const struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

/* Run fn over every body of the arch's view. */
static void each_body(const struct check_ctx *cx, const struct check *c,
		      void (*fn)(const struct ia64_view *, const struct ia64_body *, const struct check *,
				 struct seen *))
{
	const struct ia64_view *v = cx->view;
	struct seen seen = {0};

	for (size_t i = 0; v && i < v->bodies.n; i++)
		if (!((struct ia64_body *)v->bodies.v[i])->inherited) /* checked as its owner's */
			fn(v, v->bodies.v[i], c, &seen);
	seen_free(&seen);
}

/* ---- patch bodies -------------------------------------------------------------------------- */

static void body_stacked(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			 struct seen *seen)
{
	(void)v;
	for (int i = 0; b->parsed && i < b->seq.n; i++)
		if (b->seq.v[i].stacked_off != (size_t)-1)
			report(c, seen, b->code, &b->text, b->seq.v[i].stacked_off,
			       "a stacked register (r32-r127): the stub runs in the caller's frame");
}

static void body_alloc(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
		       struct seen *seen)
{
	(void)v;
	for (int i = 0; b->parsed && i < b->seq.n; i++)
		if (b->seq.v[i].is_alloc)
			report(c, seen, b->code, &b->text, b->seq.v[i].off,
			       "'alloc' in a patch body: the op runs in the caller's register frame");
}

static const struct ia64_reg *find_reg(const struct ia64_regs *rs, const char *name)
{
	for (int i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].name, name) == 0)
			return &rs->r[i];
	return NULL;
}

static void body_gp(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
		    struct seen *seen)
{
	(void)v;
	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_insn *in = &b->seq.v[i];
		const struct ia64_reg *r = find_reg(&in->writes, "r1");
		if (!r)
			r = find_reg(&in->reads, "r1");
		if (r)
			report(c, seen, b->code, &b->text, r->off,
			       "%s gp: out of line the body runs with its own gp, inlined with the caller's",
			       r == find_reg(&in->writes, "r1") ? "writes" : "reads");
	}
}

static void body_b0(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
		    struct seen *seen)
{
	(void)v;
	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_reg *r = find_reg(&b->seq.v[i].writes, "b0");
		if (r)
			report(c, seen, b->code, &b->text, r->off,
			       "writes b0, the caller's return address (the stub keeps it)");
	}
}

static bool has_label(const struct ia64_seq *s, const char *target)
{
	size_t n = strlen(target);

	/* numeric local labels are referenced as "1b" / "1f" */
	if (n > 1 && (target[n - 1] == 'b' || target[n - 1] == 'f') && target[0] >= '0' && target[0] <= '9')
		n--;
	for (int i = 0; i < s->nlabels; i++)
		if (strlen(s->labels[i]) == n && strncmp(s->labels[i], target, n) == 0)
			return true;
	return false;
}

static void body_branch(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			struct seen *seen)
{
	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_insn *in = &b->seq.v[i];
		if (!in->branch || strcmp(in->target, v->conv.rbranch) == 0 || has_label(&b->seq, in->target))
			continue;
		report(c, seen, b->code, &b->text, in->target_off ? in->target_off : in->off,
		       "branches to '%s': a body may only return through %s or branch inside itself",
		       in->target, v->conv.rbranch);
	}
}

/* What a body may write: the stub's clobbers, the op's declared effects, setreg's register. */
static bool body_may_write(const struct ia64_view *v, const struct ia64_body *b, const char *canon,
			   const struct vec *writes)
{
	char target[IA64_REG_LEN];

	if (strcmp(canon, v->conv.gp_save) == 0)
		return false; /* clobbered for the caller, but live inside the stub */
	if (in_list(&v->conv.clobbers, canon) || in_list(writes, canon))
		return true;
	return b->reg && !b->reads_reg && ia64_reg_canon(b->reg->set_name, strlen(b->reg->set_name), target) &&
	       strcmp(target, canon) == 0;
}

static void body_clobber(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			 struct seen *seen)
{
	const struct vec *writes = &ia64_op_keys_of(v, b->op)->writes;
	const char *clob = v->conv.clobbers_text;

	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_regs *w = &b->seq.v[i].writes;
		for (int k = 0; k < w->n; k++) {
			const char *r = w->r[k].name;
			if (strcmp(r, "r1") == 0 || strcmp(r, "b0") == 0 || strcmp(r, v->conv.gp_save) == 0 ||
			    ia64_reg_read_only(r) || body_may_write(v, b, r, writes))
				continue; /* these have their own checks */
			report(c, seen, b->code, &b->text, w->r[k].off,
			       "writes %s, which the stub does not clobber (its clobbers: %s; or declare "
			       "it in the op's `writes`)", r, clob);
		}
	}
}

static void body_stub_live(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			   struct seen *seen)
{
	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_reg *r = find_reg(&b->seq.v[i].writes, v->conv.gp_save);
		if (r)
			report(c, seen, b->code, &b->text, r->off,
			       "writes %s, where the stub keeps the caller's gp across the branch (it "
			       "restores gp from %s when the body returns)", r->name, r->name);
	}
}

static void body_read_only(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			   struct seen *seen)
{
	(void)v;
	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_regs *w = &b->seq.v[i].writes;
		for (int k = 0; k < w->n; k++) {
			if (!ia64_reg_read_only(w->r[k].name))
				continue;
			char *what = ia64_body_name(b);
			const struct ia64_register *r = b->reg;
			if (r && !b->reads_reg && strcmp(r->canon, w->r[k].name) == 0) {
				/* setreg of a read-only register: the fix is at the register */
				if (first_time(seen, r->node, 0, "read-only")) {
					ERR(c, r->name_at, "%s is read-only: setreg of it would write it (an Illegal "
					    "Operation fault); mark it `set: false`", r->name);
					diag_note(node_pos_at(b->code, b->text.src[w->r[k].off]),
						  "the %s body is made here", what);
				}
			} else {
				report(c, seen, b->code, &b->text, w->r[k].off,
				       "the %s body writes %s, which is read-only (the write is an Illegal "
				       "Operation fault)", what, w->r[k].name);
			}
			free(what);
		}
	}
}

/* A deprivileged backend's body runs above privilege level 0: a privileged instruction there
 * faults, and only works because the hypervisor emulates it, slowly. That must be a choice
 * the spec states (`traps`, with its reason), visible in review. */
static void body_privileged(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			    struct seen *seen)
{
	bool depriv = ia64_deprivileged(v, b->b), any = false;
	char *what = ia64_body_name(b);

	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_insn *in = &b->seq.v[i];
		if (!in->privileged)
			continue;
		any = true;
		if (depriv && !b->traps)
			report(c, seen, b->code, &b->text, in->off,
			       "'%.*s' is privileged: %s runs the kernel deprivileged, so in the %s body "
			       "it traps and the hypervisor emulates it (use a hypercall, or mark the "
			       "body `traps` with the reason)",
			       (int)in->len, b->text.buf.data + in->off, b->b->name, what);
	}
	if (b->traps && b->parsed && (!depriv || !any) && first_time(seen, b->traps, 0, ""))
		ERR(c, b->traps->pos, "the %s body is marked `traps`, but %s", what,
		    !depriv ? "its backend is not `deprivileged`" : "it executes no privileged instruction");
	free(what);
}

static void body_size(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
		      struct seen *seen)
{
	if (!b->parsed || !b->is_inline || b->bundles <= v->conv.site_bundles)
		return;
	char *what = ia64_body_name(b);
	report(c, seen, b->code, &b->text, 0,
	       "the %s body takes %d bundles; a site has %d (shorten it, or mark the implementation "
	       "`inline: false` to keep it out of line)", what, b->bundles, v->conv.site_bundles);
	free(what);
}

/* The argument registers a body receives: the op's parameters in stub order. */
static void arg_regs(const struct ia64_view *v, const struct spec_op *op, struct vec *out)
{
	const struct ia64_op_keys *k = ia64_op_keys_of(v, op);

	if (k->has_reg_arg_order) {
		for (int i = 0; i < k->nreg_arg_order; i++)
			if (k->reg_arg_order[i].name)
				vec_push(out, (void *)k->reg_arg_order[i].name);
		return;
	}
	for (int i = 0; i < op->sig.nparams && i < v->conv.nargs; i++)
		vec_push(out, (void *)v->conv.args[i]);
}

static bool written_before(const struct ia64_seq *s, int upto, const char *canon, const struct vec *breaks,
			   const char *ret)
{
	for (int i = 0; i < upto; i++) {
		if (find_reg(&s->v[i].writes, canon))
			return true;
		if (strncmp(s->v[i].mnem, "break", 5) == 0 && has_str(breaks, s->v[i].imm) && strcmp(canon, ret) == 0)
			return true;
	}
	return false;
}

static void body_args(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
		      struct seen *seen)
{
	struct vec args = {0};
	const struct vec *breaks = ia64_breaks(v, b->b);

	arg_regs(v, b->op, &args);
	for (int i = 0; b->parsed && i < b->seq.n; i++) {
		const struct ia64_regs *r = &b->seq.v[i].reads;
		for (int k = 0; k < r->n; k++) {
			const char *name = r->r[k].name;
			/* the caller's other registers reach the body intact (getreg(ar.ccv) reads
			 * one); a general or predicate register it was not given holds garbage */
			if ((name[0] != 'r' && name[0] != 'p') || strcmp(name, "psr") == 0 ||
			    !in_list(&v->conv.clobbers, name) || in_list(&args, name) ||
			    written_before(&b->seq, i, name, breaks, v->conv.ret))
				continue;
			char *what = ia64_body_name(b);
			report(c, seen, b->code, &b->text, r->r[k].off,
			       "reads %s before writing it: the %s body receives %d argument%s (%s)", name,
			       what, (int)args.n, args.n == 1 ? "" : "s",
			       args.n ? (const char *)args.v[0] : "none");
			free(what);
		}
	}
	vec_free(&args);
}

static void body_result(const struct ia64_view *v, const struct ia64_body *b, const struct check *c,
			struct seen *seen)
{
	const struct vec *breaks = ia64_breaks(v, b->b);

	if (!b->parsed || !ia64_returns(b->op) || written_before(&b->seq, b->seq.n, v->conv.ret, breaks, v->conv.ret))
		return;
	char *what = ia64_body_name(b);
	report(c, seen, b->code, &b->text, 0, "the %s body returns a value but never writes %s", what,
	       v->conv.ret);
	free(what);
}

#define BODY_CHECK(fn)                                                                               \
	static void run_##fn(const struct check_ctx *cx, const struct check *c) { each_body(cx, c, fn); }
BODY_CHECK(body_stacked)
BODY_CHECK(body_alloc)
BODY_CHECK(body_gp)
BODY_CHECK(body_b0)
BODY_CHECK(body_branch)
BODY_CHECK(body_clobber)
BODY_CHECK(body_stub_live)
BODY_CHECK(body_read_only)
BODY_CHECK(body_privileged)
BODY_CHECK(body_size)
BODY_CHECK(body_args)
BODY_CHECK(body_result)

/* Code given for an op that is never patched is never used: say so. */
static void code_kind(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;
	const struct spec_arch *a = cx->a;

	for (size_t i = 0; a && i < s->backends.n; i++) {
		const struct spec_backend *b = s->backends.v[i];
		for (size_t j = 0; j < b->impls.n; j++) {
			const struct spec_impl *impl = b->impls.v[j];
			const struct node *code = spec_for_arch(impl->code, a);
			if (code && impl->op && impl->op->kind != OP_PATCHABLE)
				ERR(c, code->pos, "'%s' is not a patchable op: its %s body would never be used",
				    impl->op->qname, a->name);
		}
	}
}

/* ---- the convention, patch types, registers ---------------------------------------------- */

static void convention(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;
	const struct spec_arch *a = cx->a;
	char canon[IA64_REG_LEN];

	if (!a)
		return;
	const struct ia64_view *v = cx->view;
	const struct ia64_conv *cv = &v->conv;
	if (cv->site_bundles < 5)
		ERR(c, cv->site_bundles_at, "site_bundles must be at least 5, the bundles of the call stub (it is %d)",
		    cv->site_bundles);
	const char *rb = cv->return_branch.name;
	if (rb && (!ia64_reg_canon(rb, strlen(rb), canon) || canon[0] != 'b'))
		ERR(c, cv->return_branch.at, "return_branch must be a branch register (b1-b7), not '%s'", rb);
	/* the stub and the out-of-line dispatchers use these: the calls must declare them */
	const char *used[] = {"r2", "r3", cv->gp_save, "r17", "b7", "p6", cv->rbranch};
	const char *gs = cv->gp_save_as.name;
	int gsn = gs && ia64_reg_canon(gs, strlen(gs), canon) ? ia64_gr_num(canon) : 16;
	if (gsn < 2 || gsn > 31)
		ERR(c, cv->gp_save_as.at, "gp_save must be a static general register (r2-r31), not '%s'", gs);
	for (size_t i = 0; i < ARRAY_SIZE(used); i++)
		if (!in_list(&cv->clobbers, used[i]))
			ERR(c, cv->clobbers_at, "call_clobbers lacks %s, which the call stub (or a dispatcher) changes",
			    used[i]);
	const struct reglist *lists[] = {&a->arg_regs, &a->ret_regs, &a->call_clobbers};
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++)
		for (int k = 0; k < lists[i]->n; k++)
			if (!ia64_reg_canon(lists[i]->r[k].name, strlen(lists[i]->r[k].name), canon))
				ERR(c, lists[i]->r[k].pos, "'%s' is not an IA-64 register", lists[i]->r[k].name);
	for (size_t i = 0; i < s->backends.n; i++) {
		const struct ia64_backend_keys *bk = &v->backend_keys[i];
		for (int k = 0; k < bk->nbreak_results; k++)
			if (bk->break_results[k].name && !spec_constant(s, bk->break_results[k].name, NULL))
				ERR(c, bk->break_results[k].at, "break_results names '%s', which is not a constant",
				    bk->break_results[k].name);
	}
}

struct typed {
	unsigned long long type;
	struct pos at;
	const char *what;
};

static void add_type(struct vec *v, unsigned long long type, struct pos at, const char *what)
{
	struct typed *t = xcalloc(1, sizeof(*t));
	*t = (struct typed){type, at, what};
	vec_push(v, t);
}

static void patch_type(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;
	const struct ia64_view *v = cx->view;
	struct vec types = {0};

	for (size_t ti = 0; v && ti < s->tables.n; ti++) {
		const struct spec_table *t = s->tables.v[ti];
		for (size_t oi = 0; oi < t->ops.n; oi++) {
			const struct spec_op *op = t->ops.v[oi];
			if (!((op->arches >> v->conv.a->index) & 1))
				continue;
			const struct ia64_op_keys *k = ia64_op_keys_of(v, op);
			unsigned long long base = (unsigned long long)k->patch_type;
			struct pos pt = k->patch_type_at;
			if (op->kind == OP_PATCHABLE && !k->has_patch_type) {
				ERR(c, op->node->pos, "patchable op '%s' has no patch_type", op->qname);
				continue;
			}
			if (!k->patch_type_ok)
				continue;
			if (op->kind != OP_PATCHABLE && op->kind != OP_FIELD) {
				ERR(c, pt, "'%s' is not patchable: a patch_type needs kind: patchable", op->qname);
				continue;
			}
			if (!k->has_reg_param) {
				add_type(&types, base, pt, op->name);
				continue;
			}
			for (size_t r = 0; r < v->regs.n; r++) {
				const struct ia64_register *reg = v->regs.v[r];
				if (reg->has_number && (ia64_returns(op) ? reg->get : reg->set))
					add_type(&types, base + (unsigned long long)reg->number, pt, op->name);
			}
		}
	}
	for (size_t i = 0; i < types.n; i++) {
		const struct typed *a = types.v[i];
		for (size_t k = 0; k < i; k++) {
			const struct typed *b = types.v[k];
			if (a->type != b->type)
				continue;
			ERR(c, a->at, "patch type %#llx of '%s' is already the type of '%s'", a->type,
			    a->what, b->what);
			diag_note(b->at, "'%s' is here", b->what);
			break;
		}
	}
	for (size_t i = 0; i < types.n; i++)
		free(types.v[i]);
	vec_free(&types);
}

static void reg_param(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;
	const struct spec_arch *a = cx->a;
	const struct ia64_view *v = cx->view;
	char canon[IA64_REG_LEN];

	for (size_t ti = 0; a && ti < s->tables.n; ti++) {
		const struct spec_table *t = s->tables.v[ti];
		for (size_t oi = 0; oi < t->ops.n; oi++) {
			const struct spec_op *op = t->ops.v[oi];
			const struct ia64_op_keys *k = ia64_op_keys_of(v, op);
			bool found = false;
			if (!k || !k->reg_param || !op->has_sig)
				continue;
			if (op->kind != OP_PATCHABLE)
				ERR(c, k->reg_param_at, "reg_param on '%s', which is not patchable", op->qname);
			for (int i = 0; i < op->sig.nparams; i++)
				found |= op->sig.params[i].name && strcmp(op->sig.params[i].name, k->reg_param) == 0;
			if (!found)
				ERR(c, k->reg_param_at, "'%s' is not a parameter of %s", k->reg_param, op->qname);
			if (!k->has_reg_arg_order)
				continue;
			if (k->nreg_arg_order != op->sig.nparams)
				ERR(c, k->reg_arg_order_at, "reg_arg_order gives %d registers for %d parameters",
				    k->nreg_arg_order, op->sig.nparams);
			for (int i = 0; i < k->nreg_arg_order; i++) {
				const char *r = k->reg_arg_order[i].name;
				bool arg = false;
				for (int j = 0; r && j < a->arg_regs.n; j++)
					arg |= strcmp(a->arg_regs.r[j].name, r) == 0;
				if (r && (!arg || !ia64_reg_canon(r, strlen(r), canon)))
					ERR(c, k->reg_arg_order[i].at, "'%s' is not an argument register of %s", r, a->name);
			}
		}
	}
}

static const struct spec_backend *backend_named(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->backends.n; i++)
		if (strcmp(((struct spec_backend *)s->backends.v[i])->name, name) == 0)
			return s->backends.v[i];
	return NULL;
}

/* Keys of a per-backend map name backends that serve the IA-64 arch. */
static void backend_keys(const struct check_ctx *cx, const struct check *c, const struct ia64_keyset *map,
			 const char *what)
{
	const struct spec *s = cx->s;
	const struct spec_arch *a = cx->a;

	for (int i = 0; i < map->n; i++) {
		const struct spec_backend *b = backend_named(s, map->keys[i].name);
		if (!b)
			ERR(c, map->keys[i].at, "%s for '%s', which is not a backend", what, map->keys[i].name);
		else if (a && !spec_backend_on(b, a))
			ERR(c, map->keys[i].at, "%s for '%s', which does not serve %s", what, b->name, a->name);
	}
}

static void registers(const struct check_ctx *cx, const struct check *c)
{
	const struct ia64_view *v = cx->view;
	char canon[IA64_REG_LEN];

	for (size_t i = 0; v && i < v->regs.n; i++) {
		const struct ia64_register *r = v->regs.v[i];
		if (!r->known)
			ERR(c, r->name_at, "'%s' is not an IA-64 register", r->name);
		if (r->has_set_name && !ia64_reg_canon(r->set_name, strlen(r->set_name), canon))
			ERR(c, r->set_name_at, "'%s' is not an IA-64 register", r->set_name);
		for (size_t k = 0; k < i; k++) {
			const struct ia64_register *o = v->regs.v[k];
			if (r->known && o->known && strcmp(o->canon, r->canon) == 0) {
				ERR(c, r->name_at, "register '%s' is listed twice", r->name);
				diag_note(o->name_at, "first listed here");
			}
		}
		backend_keys(cx, c, &r->get_for, "a getreg body");
		backend_keys(cx, c, &r->set_for, "a setreg body");
		if (r->get_for.given && !r->get)
			ERR(c, r->get_for.at, "getreg of '%s' is not paravirtualized (get: false), so this "
			    "body is never used", r->name);
		if (r->set_for.given && !r->set)
			ERR(c, r->set_for.at, "setreg of '%s' is not paravirtualized (set: false), so this "
			    "body is never used", r->name);
	}
}

static void register_number(const struct check_ctx *cx, const struct check *c)
{
	const struct ia64_view *v = cx->view;

	for (size_t i = 0; v && i < v->regs.n; i++) {
		const struct ia64_register *r = v->regs.v[i];
		if (!r->has_number_key) {
			ERR(c, r->node->pos, "register '%s' has no number: getreg and setreg add it to their "
			    "patch type", r->name);
			continue;
		}
		if (r->has_number && (r->number < 0 || r->number > 0xffff)) {
			ERR(c, r->number_at, "register number %lld is out of range (0-0xffff)", r->number);
			continue;
		}
		for (size_t k = 0; r->has_number && k < i; k++) {
			const struct ia64_register *o = v->regs.v[k];
			if (o->has_number && o->number == r->number) {
				ERR(c, r->number_at, "'%s' has the number of '%s' (%lld)", r->name, o->name, r->number);
				diag_note(o->number_at, "'%s' is here", o->name);
			}
		}
	}
}

/* ---- ASM macros ---------------------------------------------------------------------------- */

/* What a rule about expansions looks at, in every instance the analysis made. */
enum finding { F_ROLE, F_WRITES, F_OPERANDS, F_STACKED };

struct mctx {
	const struct ia64_view *v;
	const struct ia64_macro *m;
	const struct spec_backend *b;
	const struct node *scalar;
	const struct check *c;
	enum finding want;
	struct seen *seen;
	const struct ia64_inst *in;
	const struct ia64_text *t;
};

static const char *const role_names[] = {"an in", "an out", "a pred", "a clob", "a pred_clob", "a const", "a"};

/* The register state of one path through an instance: each register's value, as "=rN" while
 * it still holds what it had on entry, or a fresh number once something else went in. */
struct sim {
	struct {
		char reg[IA64_REG_LEN];
		char val[IA64_REG_LEN + 2];
		size_t first; /* offset of its first write */
		bool written;
		int truth;    /* predicates: 1, 0, or -1 unknown */
	} r[96];
	int n, fresh;
};

static int slot(struct sim *s, const char *reg)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->r[i].reg, reg) == 0)
			return i;
	if (s->n == (int)ARRAY_SIZE(s->r))
		return s->n - 1; /* a pathological expansion: lump the rest together */
	int i = s->n++;
	snprintf(s->r[i].reg, sizeof(s->r[i].reg), "%s", reg);
	snprintf(s->r[i].val, sizeof(s->r[i].val), "=%s", reg);
	s->r[i].written = false;
	s->r[i].truth = strcmp(reg, "p0") == 0 ? 1 : -1;
	return i;
}

static void assign(struct sim *s, const char *reg, const char *val, int truth, size_t off)
{
	int i = slot(s, reg);
	char fresh[IA64_REG_LEN + 2];

	snprintf(fresh, sizeof(fresh), "#%d", s->fresh++);
	if (!val)
		val = fresh;
	if (truth == 1)
		snprintf(s->r[i].val, sizeof(s->r[i].val), "%s", val);
	else if (strcmp(s->r[i].val, val) != 0) /* maybe written: no longer what it was */
		snprintf(s->r[i].val, sizeof(s->r[i].val), "%s", fresh);
	if (!s->r[i].written)
		s->r[i].first = off;
	s->r[i].written = true;
	if (reg[0] == 'p')
		s->r[i].truth = -1;
}

/* The operand a register is bound to in this instance, or -1. */
static int operand_of(const struct mctx *x, const char *canon)
{
	for (int k = 0; k < x->m->nparams; k++) {
		char c[IA64_REG_LEN];
		if (ia64_reg_canon(x->in->args[k], strlen(x->in->args[k]), c) && strcmp(c, canon) == 0)
			return k;
	}
	return -1;
}

static void simulate(struct mctx *x, const struct ia64_seq *seq)
{
	struct sim s = {.n = 0, .fresh = 0};
	const struct vec *breaks = ia64_breaks(x->v, x->b);

	for (int k = 0; k < x->m->nparams; k++)
		if (x->m->params[k].role == R_PRED) {
			char c[IA64_REG_LEN];
			if (ia64_reg_canon(x->in->args[k], strlen(x->in->args[k]), c))
				s.r[slot(&s, c)].truth = strcmp(c, "p0") == 0 ? 1 : x->in->truth[k];
		}
	for (int i = 0; i < seq->n; i++) {
		const struct ia64_insn *in = &seq->v[i];
		int truth = in->qp[0] ? s.r[slot(&s, in->qp)].truth : 1;
		if (truth == 0)
			continue;
		for (int k = 0; x->want == F_ROLE && x->in->plain && k < in->reads.n; k++) {
			int p = operand_of(x, in->reads.r[k].name);
			int r = p >= 0 ? x->m->params[p].role : R_BAD;
			if ((r == R_OUT || r == R_CLOB || r == R_PRED_CLOB) && !s.r[slot(&s, in->reads.r[k].name)].written)
				report(x->c, x->seen, x->scalar, x->t, in->reads.r[k].off,
				       "%s expansion of %s reads \\%s before writing it: a%s operand holds "
				       "nothing on entry", x->b->name, x->m->name, x->m->params[p].name,
				       r == R_OUT ? "n out" : r == R_CLOB ? " clob" : " pred_clob");
		}
		for (int k = 0; k < in->writes.n; k++) {
			const char *w = in->writes.r[k].name;
			const char *val = in->mov_copy ? s.r[slot(&s, in->copy_src)].val : NULL;
			assign(&s, w, val, truth, in->writes.r[k].off);
		}
		if (strncmp(in->mnem, "break", 5) == 0 && breaks && has_str(breaks, in->imm))
			assign(&s, x->v->conv.ret, NULL, truth, in->off);
	}
	for (int i = 0; i < s.n; i++) {
		if (!s.r[i].written || (s.r[i].val[0] == '=' && strcmp(s.r[i].val + 1, s.r[i].reg) == 0))
			continue; /* untouched, or restored */
		int p = operand_of(x, s.r[i].reg);
		int role = p >= 0 ? x->m->params[p].role : R_BAD;
		if (role == R_OUT || role == R_CLOB || role == R_PRED_CLOB)
			continue;
		if (x->want == F_ROLE && (role == R_IN || role == R_PRED))
			report(x->c, x->seen, x->scalar, x->t, s.r[i].first,
			       "%s expansion of %s changes \\%s%s, an %s operand", x->b->name, x->m->name,
			       x->m->params[p].name, x->in->desc, role == R_IN ? "input" : "predicate");
		else if (x->want == F_WRITES && role == R_BAD && !in_list(&x->m->writes, s.r[i].reg))
			report(x->c, x->seen, x->scalar, x->t, s.r[i].first,
			       "%s expansion of %s writes %s%s, which is neither an out or clob operand nor "
			       "in its `writes`", x->b->name, x->m->name, s.r[i].reg, x->in->desc);
	}
}

/* Examine one instance. */
static void examine(struct mctx *x, const struct ia64_inst *in)
{
	x->in = in;
	x->t = &in->text;
	if (in->status == EXPAND_REFUSED && in->plain && x->want == F_OPERANDS)
		ERR(x->c, x->scalar->pos, "the %s expansion of %s refuses ordinary operands%s: %s", x->b->name,
		    x->m->name, in->desc, in->why);
	for (int i = 0; x->want == F_ROLE && i < in->nmisuses; i++) {
		const struct ia64_param *p = &x->m->params[in->misuses[i].param];
		report(x->c, x->seen, x->scalar, x->t, in->misuses[i].off, "%s expansion of %s: \\%s is %s operand: %s",
		       x->b->name, x->m->name, p->name, role_names[p->role], in->misuses[i].msg);
	}
	if (!in->parsed)
		return;
	for (int i = 0; x->want == F_STACKED && i < in->seq.n; i++)
		if (in->seq.v[i].stacked_off != (size_t)-1)
			report(x->c, x->seen, x->scalar, x->t, in->seq.v[i].stacked_off,
			       "%s expansion of %s names a stacked register (r32-r127): the caller's "
			       "frame decides what those hold", x->b->name, x->m->name);
	simulate(x, &in->seq);
}

static void each_expansion(const struct check_ctx *cx, const struct check *c, enum finding want)
{
	const struct ia64_view *v = cx->view;
	struct seen seen = {0};

	for (size_t i = 0; v && i < v->expansions.n; i++) {
		const struct ia64_expansion_set *e = v->expansions.v[i];
		struct mctx x = {v, e->m, e->b, e->scalar, c, want, &seen, NULL, NULL};
		for (int k = 0; k < e->ninsts; k++)
			examine(&x, &e->insts[k]);
	}
	seen_free(&seen);
}

static void macro_writes(const struct check_ctx *cx, const struct check *c) { each_expansion(cx, c, F_WRITES); }
static void macro_operands(const struct check_ctx *cx, const struct check *c) { each_expansion(cx, c, F_OPERANDS); }
static void macro_stacked(const struct check_ctx *cx, const struct check *c) { each_expansion(cx, c, F_STACKED); }

static void macro_role(const struct check_ctx *cx, const struct check *c)
{
	const struct ia64_view *v = cx->view;

	for (size_t i = 0; v && i < v->macros.n; i++) {
		const struct ia64_macro *m = v->macros.v[i];
		for (int k = 0; k < m->nparams; k++) {
			const struct ia64_param *p = &m->params[k];
			if (p->role == R_BAD && p->has_role)
				ERR(c, p->role_at, "unknown role '%s' (in, out, pred, clob, pred_clob or const)",
				    p->role_word ? p->role_word : "?");
			if (p->has_prefix && p->role != R_CONST)
				ERR(c, p->prefix_at, "only a const operand takes a prefix");
		}
	}
	each_expansion(cx, c, F_ROLE);
}

static void macro_backend(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;
	const struct ia64_view *v = cx->view;

	for (size_t i = 0; v && i < v->macros.n; i++) {
		const struct ia64_macro *m = v->macros.v[i];
		backend_keys(cx, c, &m->expand_for, "an expansion");
		for (size_t bi = 0; bi < s->backends.n; bi++) {
			const struct spec_backend *b = s->backends.v[bi];
			if (!spec_backend_on(b, v->conv.a) || ia64_expansion(m, b))
				continue;
			if (b->fallback)
				ERR(c, m->name_at,
				    "%s has no %s expansion, nor has a backend %s falls back to", m->name, b->name, b->name);
			else
				ERR(c, m->name_at,
				    "%s has no %s expansion, and %s has no fallback to take one from", m->name, b->name,
				    b->name);
		}
	}
}

/* An alias is "NAME" or "NAME(a, b)", names being C identifiers, and no macro's name. */
static bool alias_head(const char *k)
{
	const char *p = k;
	bool params = false;

	for (;;) {
		if (!isalpha((unsigned char)*p) && *p != '_')
			return false;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (!params && *p == '(')
			params = true;
		else if (params && *p == ',')
			;
		else
			return params ? p[0] == ')' && p[1] == '\0' : *p == '\0';
		for (p++; *p == ' '; p++)
			;
	}
}

static void asm_alias(const struct check_ctx *cx, const struct check *c)
{
	const struct spec *s = cx->s;
	const struct ia64_view *v = cx->view;

	for (size_t i = 0; v && i < s->backends.n; i++) {
		const struct ia64_backend_keys *bk = &v->backend_keys[i];
		for (int k = 0; k < bk->naliases; k++) {
			const char *name = bk->aliases[k].name;
			size_t n = strcspn(name, "(");
			if (!alias_head(name)) {
				ERR(c, bk->aliases[k].at, "'%s' is not a name for the preprocessor (NAME or NAME(a, b))", name);
				continue;
			}
			for (size_t m = 0; m < v->macros.n; m++) {
				const struct ia64_macro *mac = v->macros.v[m];
				if (strlen(mac->name) == n && strncmp(mac->name, name, n) == 0)
					ERR(c, bk->aliases[k].at, "'%.*s' is an ASM macro already: an alias would redefine it",
					    (int)n, name);
			}
		}
	}
}

const struct check ia64_checks[] = {
	{"ia64-convention", "the IA-64 stub convention: registers are IA-64 registers, the site has at least 5 bundles, the return branch is a branch register, and the calls declare what the stub changes", convention, NULL},
	{"ia64-patch-type", "every patchable op has a patch type, and no two sites share one (getreg/setreg add the register number)", patch_type, NULL},
	{"ia64-reg-param", "getreg/setreg: reg_param names a parameter, reg_arg_order gives an argument register per parameter", reg_param, NULL},
	{"ia64-register", "getreg/setreg registers are IA-64 registers, listed once, with bodies only for backends and directions that exist", registers, NULL},
	{"ia64-register-number", "every getreg/setreg register has a number (0-0xffff), unique", register_number, NULL},
	{"ia64-syntax", "bodies are IA-64 instructions the compiler can read (reported by the analysis)", NULL, NULL},
	{"ia64-code-kind", "only patchable ops have IA-64 bodies", code_kind, NULL},
	{"ia64-body-clobber", "a body writes only the stub's clobbers (the arch's call_clobbers), its setreg register and the op's declared `writes`", run_body_clobber, NULL},
	{"ia64-body-stub-live", "a body never writes the register the stub keeps the caller's gp in across the branch (gp_save, r16), though the caller sees it clobbered", run_body_stub_live, NULL},
	{"ia64-body-read-only", "a body never writes a register the architecture makes read-only (ip, ar.bsp, cr.ivr, cr.irr0-3, cpuid): a read-only register is `set: false`", run_body_read_only, NULL},
	{"ia64-body-privileged", "a body of a `deprivileged` backend uses no privileged instruction, unless the body is marked `traps` with the reason; `traps` only where one traps", run_body_privileged, NULL},
	{"ia64-asm-alias", "a backend's asm_aliases are NAME or NAME(params), and no ASM macro's name", asm_alias, NULL},
	{"ia64-body-alloc", "a body never uses alloc: it runs in the caller's register frame", run_body_alloc, NULL},
	{"ia64-stacked-register", "bodies never name stacked registers (r32-r127)", run_body_stacked, NULL},
	{"ia64-body-gp", "a body never reads or writes gp (the stub swaps it around out-of-line calls)", run_body_gp, NULL},
	{"ia64-body-b0", "a body never writes b0", run_body_b0, NULL},
	{"ia64-body-branch", "a body branches only to the return branch register (b6) or inside itself", run_body_branch, NULL},
	{"ia64-body-size", "an inlinable body fits the site (5 bundles), counted as the assembler bundles it", run_body_size, NULL},
	{"ia64-body-args", "a body reads a clobbered general or predicate register only after writing it, unless it is one of its arguments", run_body_args, NULL},
	{"ia64-body-result", "the body of an op that returns a value writes the result register", run_body_result, NULL},
	{"ia64-macro-syntax", "every backend's expansion of every macro expands and reads as IA-64 code for any "
			      "operands (reported by the analysis)", NULL, NULL},
	{"ia64-macro-role", "macro operands have a known role and are used as it says: inputs and predicates are not changed, outs and clobs not read before written", macro_role, NULL},
	{"ia64-macro-writes", "an expansion writes only its out and clob operands and its declared `writes` (what it saves and restores excepted)", macro_writes, NULL},
	{"ia64-macro-operands", "no expansion refuses ordinary operands (.error)", macro_operands, NULL},
	{"ia64-macro-stacked", "expansions never name stacked registers (r32-r127)", macro_stacked, NULL},
	{"ia64-macro-backend", "every macro has an expansion for every IA-64 backend (its own or a fallback's), and only for those", macro_backend, NULL},
	{NULL, NULL, NULL, NULL},
};
