/* diff.c: `pvopsc diff OLD NEW`, what a spec change does to the binary interface.
 *
 * Each spec is loaded, checked and modelled as for generation; each arch's interface is then
 * read as a flat list of facts (item, aspect, value): an op's existence, place, signature,
 * kind, clobbers, patch type, slot, site length; each backend's sequence for it; each ASM
 * macro's parameters, op, clobbers and expansions; each constant. The two lists are compared
 * fact by fact, and every difference is classed: an ABI change, and incompatible when code
 * built against OLD would go wrong with NEW (the reason is said). */
#include "diff.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "family.h"
#include "model.h"
#include "spec.h"
#include "tval.h"

enum { DIFF_ERROR = 1, DIFF_USAGE = 2, DIFF_ABI = 4, DIFF_INCOMPATIBLE = 8 };

struct fact {
	char *item;   /* pv_cpu_ops.wbinvd, INTERRUPT_RETURN, XEN_vcpu_info_mask */
	char *aspect; /* "op", "patch type", "native sequence", ... */
	char *value;
	char *detail; /* shown beside the value, not compared (bytes, margin); may be NULL */
	long long num; /* site length, clobber mask: what classifying needs; -1 if none */
};

struct facts {
	struct fact *v;
	size_t n, cap;
};

static struct fact *add(struct facts *f, const char *item, const char *aspect, char *value)
{
	struct fact *x;

	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	x = &f->v[f->n++];
	x->item = xstrdup(item);
	x->aspect = xstrdup(aspect);
	x->value = value;
	x->detail = NULL;
	x->num = -1;
	return x;
}

static const struct fact *find(const struct facts *f, const char *item, const char *aspect)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].item, item) == 0 && strcmp(f->v[i].aspect, aspect) == 0)
			return &f->v[i];
	return NULL;
}

static struct fact *find_mut(struct facts *f, const char *item, const char *aspect)
{
	return (struct fact *)find(f, item, aspect);
}

static void facts_free(struct facts *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].item);
		free(f->v[i].aspect);
		free(f->v[i].value);
		free(f->v[i].detail);
	}
	free(f->v);
}

static const char *str(const struct tval *map, const char *key)
{
	const struct tval *v = tv_get(map, key);
	return v && v->kind == TV_STR ? v->str : NULL;
}

/* A node as YAML flow text: the spec's own words for clobbers and the like. */
static void node_text(const struct node *n, struct buf *b)
{
	if (!n)
		return;
	if (n->kind == NODE_SCALAR) {
		buf_puts(b, n->str);
		return;
	}
	buf_putc(b, n->kind == NODE_MAP ? '{' : '[');
	for (size_t i = 0; i < n->n; i++) {
		if (i)
			buf_puts(b, ", ");
		if (n->kind == NODE_MAP) {
			buf_puts(b, n->keys[i]->str);
			buf_puts(b, ": ");
		}
		node_text(n->items[i], b);
	}
	buf_putc(b, n->kind == NODE_MAP ? '}' : ']');
}

/* The registers of a clobber mask, by the arch's clobber_regs bits. */
static char *mask_regs(const struct tval *root, long long mask)
{
	const struct tval *regs = tv_get(root, "clobber_regs");
	struct buf b = {0};

	for (size_t i = 0; regs && i < regs->n; i++) {
		const char *bit = str(regs->items[i], "bit"), *name = str(regs->items[i], "name");
		if (bit && name && (mask >> atoi(bit) & 1))
			buf_printf(&b, "%s%s", b.len ? " " : "", name);
	}
	return b.len ? buf_steal(&b) : xstrdup("none");
}

/* ---- reading an arch's interface ---- */

static void op_facts(const struct tval *root, struct facts *f)
{
	const struct tval *ops = tv_get(root, "ops");
	struct strset seen = {0};
	char *prev = NULL;

	for (size_t i = 0; ops && i < ops->n; i++) {
		const struct tval *m = ops->items[i];
		const char *q = str(m, "qname"), *table = str(m, "table"), *v;

		if (!q || !strset_add(&seen, q))
			continue;
		add(f, q, "op", xstrdup(table ? table : ""));
		/* the place: the op before it in the list (tables laid end to end) */
		add(f, q, "place", xasprintf("after %s", prev ? prev : "nothing"));
		free(prev);
		prev = xstrdup(q);
		add(f, "", "order", xstrdup(q)); /* the order of the ops, for moved_ops */
		if ((v = str(m, "proto")))
			add(f, q, "signature", xstrdup(v));
		if ((v = str(m, "kind")))
			add(f, q, "kind", xstrdup(v));
		if ((v = str(m, "wrapper")))
			add(f, q, "wrapper", xstrdup(v));
		if ((v = str(m, "type")) && str(m, "offset"))
			add(f, q, "patch type", xstrdup(v));
		if ((v = str(m, "offset")))
			add(f, q, "slot", xasprintf("%s+%s", table, v));
		if ((v = str(m, "mask")) && strncmp(v, "0x", 2) == 0) {
			long long mask = strtoll(v, NULL, 16);
			add(f, q, "clobbers", mask_regs(root, mask))->num = mask;
		}
		if ((v = str(m, "site_len")) && tv_get(m, "is_site") && tv_get(m, "is_site")->b)
			add(f, q, "site bytes", xstrdup(v))->num = atoll(v);
		/* an added or removed op is shown with where it is */
		if (str(m, "type") && str(m, "offset"))
			find_mut(f, q, "op")->detail = xasprintf("patch type %s, slot %s+%s", str(m, "type"), table,
								 str(m, "offset"));
	}
	free(prev);
	strset_free(&seen);
}

/* What a backend's x86 table says of its sequence for op q: bytes and length. */
static const struct tval *insn_of(const struct tval *root, const char *backend, const char *q)
{
	const struct tval *bes = tv_get(root, "backends");

	for (size_t i = 0; bes && i < bes->n; i++) {
		const char *name = str(bes->items[i], "name");
		const struct tval *insns = tv_get(bes->items[i], "insns");
		if (!name || strcmp(name, backend) != 0)
			continue;
		for (size_t k = 0; insns && k < insns->n; k++) {
			const char *iq = str(insns->items[k], "qname");
			if (iq && strcmp(iq, q) == 0)
				return insns->items[k];
		}
	}
	return NULL;
}

struct seq_ctx {
	const struct spec *s;
	const struct spec_arch *a;
	const struct spec_backend *b;
	const struct tval *root;
	struct facts *f;
};

static void seq1(struct spec_op *op, void *ctx)
{
	struct seq_ctx *c = ctx;
	const struct spec_impl *impl;
	const struct node *code;
	const struct tval *in;
	struct fact *x;
	char *aspect;

	if (op->kind == OP_FIELD || op->kind == OP_GROUP || !model_op_on_arch(op, c->a))
		return;
	impl = spec_impl(c->b, op, c->a, NULL);
	code = impl && impl->code ? spec_for_arch(impl->code, c->a) : NULL;
	if (!code || code->kind != NODE_SCALAR)
		return;
	aspect = xasprintf("%s sequence", c->b->name);
	x = add(c->f, op->qname, aspect, xstrdup(code->str));
	free(aspect);
	if ((in = insn_of(c->root, c->b->name, op->qname)) && str(in, "len")) {
		const char *hex = str(in, "hex"), *site = str(in, "site");
		long long len = atoll(str(in, "len"));
		x->num = len;
		x->detail = xasprintf("%lld byte%s%s%s, site %s, margin %lld", len, len == 1 ? "" : "s",
				      hex && *hex ? ": " : "", hex ? hex : "", site ? site : "?",
				      site ? atoll(site) - len : 0);
		/* the frame it takes off its site's stack is part of what entry code owes it */
		const char *stack = str(in, "stack");
		if (stack && atoll(stack)) {
			aspect = xasprintf("%s stack taken", c->b->name);
			add(c->f, op->qname, aspect, xasprintf("%s bytes", stack));
			free(aspect);
		}
	}
}

static void macro_facts(const struct spec *s, const struct spec_arch *a, struct facts *f)
{
	const struct node *macs = s->asm_macros;

	for (size_t i = 0; macs && macs->kind == NODE_SEQ && i < macs->n; i++) {
		const struct node *mac = macs->items[i], *name = node_get(mac, "name");
		const struct node *arches = node_get(mac, "arches"), *params = node_get(mac, "params");
		const struct node *expand = node_get(mac, "expand");
		bool on = !arches;
		struct buf b = {0};

		for (size_t k = 0; arches && arches->kind == NODE_SEQ && k < arches->n; k++)
			on |= arches->items[k]->kind == NODE_SCALAR && strcmp(arches->items[k]->str, a->name) == 0;
		if (!on || !name || name->kind != NODE_SCALAR)
			continue;
		add(f, name->str, "macro", xstrdup(""));
		for (size_t k = 0; params && params->kind == NODE_SEQ && k < params->n; k++) {
			const struct node *pn = node_get(params->items[k], "name"), *pr = node_get(params->items[k], "role");
			buf_printf(&b, "%s%s:%s", k ? ", " : "", pn && pn->kind == NODE_SCALAR ? pn->str : "?",
				   pr && pr->kind == NODE_SCALAR ? pr->str : "?");
		}
		add(f, name->str, "parameters", b.len ? buf_steal(&b) : xstrdup("none"));
		buf_free(&b);
		static const char *const keys[] = {"op", "clobbers", "sequence", "writes"};
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			const struct node *n = node_get(mac, keys[k]);
			if (n) {
				char *aspect = xasprintf("macro %s", keys[k]);
				node_text(n, &b);
				add(f, name->str, aspect, buf_steal(&b));
				free(aspect);
			}
		}
		for (size_t k = 0; expand && expand->kind == NODE_MAP && k < expand->n; k++) {
			char *aspect = xasprintf("%s expansion", expand->keys[k]->str);
			node_text(expand->items[k], &b);
			add(f, name->str, aspect, buf_steal(&b));
			free(aspect);
		}
	}
}

static void constant_facts(const struct spec *s, const struct spec_arch *a, struct facts *f)
{
	const struct node *cs = s->constants;

	for (size_t i = 0; cs && cs->kind == NODE_MAP && i < cs->n; i++) {
		const struct node *v = spec_constant(s, cs->keys[i]->str, a);
		if (v && v->kind == NODE_SCALAR)
			add(f, cs->keys[i]->str, "constant", xstrdup(v->str));
	}
}

static void arch_facts(const struct spec *s, const struct spec_arch *a, struct facts *f)
{
	const struct family *fam = family_find(a->family);
	void *view = fam->analyze(s, a);
	struct tval *root = fam->model(s, a, view);

	op_facts(root, f);
	for (size_t i = 0; i < s->backends.n; i++) {
		struct seq_ctx c = {s, a, s->backends.v[i], root, f};
		spec_each_op(s, seq1, &c);
	}
	macro_facts(s, a, f);
	constant_facts(s, a, f);
	tv_free(root);
	fam->view_free(view);
}

/* ---- comparing ---- */

struct change {
	const char *arch, *item, *aspect, *what; /* what: added, removed, changed */
	const char *old, *new, *old_detail, *new_detail;
	const char *why; /* the reason it is incompatible; NULL: compatible */
	char *why_owned;
};

struct changes {
	struct change *v;
	size_t n, cap;
};

static struct change *record(struct changes *c, const char *arch, const struct fact *o, const struct fact *n,
			     const char *what)
{
	struct change *x;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	x = &c->v[c->n++];
	memset(x, 0, sizeof(*x));
	x->arch = arch;
	x->item = (n ? n : o)->item;
	x->aspect = (n ? n : o)->aspect;
	x->what = what;
	x->old = o ? o->value : NULL;
	x->new = n ? n->value : NULL;
	x->old_detail = o ? o->detail : NULL;
	x->new_detail = n ? n->detail : NULL;
	return x;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Why code built against OLD breaks with NEW, or NULL when it does not. */
static const char *why_incompatible(struct change *c, const struct fact *o, const struct fact *n,
				    const struct facts *newf)
{
	const char *a = c->aspect;

	if (!n) /* removed */
		return strcmp(a, "op") == 0 ? "callers of the op no longer link"
		       : strcmp(a, "macro") == 0 ? ".S code using the macro no longer assembles"
		       : strcmp(a, "constant") == 0 ? "code using the constant no longer builds"
						      : NULL;
	if (!o) /* added: new code only */
		return NULL;
	if (strcmp(a, "patch type") == 0)
		return "sites built with the old number are patched as another op";
	if (strcmp(a, "slot") == 0)
		return "code built against the old layout calls through another slot";
	if (strcmp(a, "signature") == 0)
		return "callers pass the old arguments and read the old result";
	if (strcmp(a, "kind") == 0)
		return "existing sites follow the old kind's calling convention";
	if (strcmp(a, "wrapper") == 0)
		return "callers of the old wrapper no longer build";
	if (strcmp(a, "clobbers") == 0 && (n->num & ~o->num)) {
		c->why_owned = xasprintf("existing callers keep values in registers the op may now change (mask 0x%llx -> 0x%llx)",
					 o->num, n->num);
		return c->why_owned;
	}
	if (strcmp(a, "parameters") == 0)
		return "existing uses pass operands in the old order and roles";
	if (strcmp(a, "macro op") == 0)
		return "existing uses now reach another op";
	if (strcmp(a, "macro clobbers") == 0)
		return "existing uses may find registers changed that the macro kept";
	if (strcmp(a, "constant") == 0)
		return "code built with the old value disagrees with the new";
	if (ends_with(a, " sequence") && n->num >= 0) {
		const struct fact *site = find(newf, c->item, "site bytes");
		if (site && o->num >= 0 && n->num > o->num && site->num >= 0 && n->num > site->num)
			return "the sequence no longer fits the op's sites";
	}
	return NULL;
}

/* The ops both specs have, in each one's order. */
static size_t common_order(const struct facts *f, const struct facts *other, const char ***out)
{
	size_t k = 0;

	*out = xcalloc(f->n + 1, sizeof(**out));
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].aspect, "order") == 0 && find(other, f->v[i].value, "op"))
			(*out)[k++] = f->v[i].value;
	return k;
}

/* An op moved if it is not in a longest common subsequence of the two orders: the fewest
 * ops that, taken out and put back, turn the old order into the new. */
static void moved_ops(const struct facts *o, const struct facts *n, struct strset *moved)
{
	const char **a, **b;
	size_t na = common_order(o, n, &a), nb = common_order(n, o, &b);
	unsigned *len = xcalloc((na + 1) * (nb + 1), sizeof(*len));
#define L(i, j) len[(i) * (nb + 1) + (j)]

	for (size_t i = na; i-- > 0;)
		for (size_t j = nb; j-- > 0;)
			L(i, j) = strcmp(a[i], b[j]) == 0 ? L(i + 1, j + 1) + 1
			          : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
	for (size_t i = 0, j = 0; i < na || j < nb;) {
		if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
			i++, j++;
		} else if (j >= nb || (i < na && L(i + 1, j) >= L(i, j + 1))) {
			strset_add(moved, a[i++]);
		} else {
			strset_add(moved, b[j++]);
		}
	}
#undef L
	free(len);
	free(a);
	free(b);
}

static void compare(const char *arch, const struct facts *o, const struct facts *n, struct changes *out)
{
	struct strset moved = {0};

	moved_ops(o, n, &moved);
	for (size_t i = 0; i < n->n; i++) {
		const struct fact *nf = &n->v[i], *of = find(o, nf->item, nf->aspect);
		const bool item_new = strcmp(nf->aspect, "op") != 0 && strcmp(nf->aspect, "macro") != 0 &&
				      !find(o, nf->item, "op") && !find(o, nf->item, "macro") &&
				      strcmp(nf->aspect, "constant") != 0;
		struct change *c;

		if (of && strcmp(of->value, nf->value) == 0)
			continue;
		if (!of && item_new)
			continue; /* an aspect of an item added as a whole */
		if (strcmp(nf->aspect, "order") == 0 || (strcmp(nf->aspect, "place") == 0 && !strset_has(&moved, nf->item)))
			continue;
		c = record(out, arch, of, nf, of ? "changed" : "added");
		c->why = why_incompatible(c, of, nf, n);
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct fact *of = &o->v[i];
		bool whole = strcmp(of->aspect, "op") == 0 || strcmp(of->aspect, "macro") == 0 ||
			     strcmp(of->aspect, "constant") == 0;
		if (find(n, of->item, of->aspect) || strcmp(of->aspect, "order") == 0)
			continue;
		if (!whole && !find(n, of->item, "op") && !find(n, of->item, "macro"))
			continue; /* an aspect of an item removed as a whole */
		struct change *c = record(out, arch, of, NULL, "removed");
		c->why = why_incompatible(c, of, NULL, n);
	}
	strset_free(&moved);
}

/* ---- reporting ---- */

static void json_str(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	util_json_string(out, s);
}

static void one_line(FILE *out, const char *s)
{
	for (; s && *s; s++)
		if (*s == '\n')
			fputs(s[1] ? "; " : "", out);
		else
			fputc(*s, out);
}

static void print_text(FILE *out, const struct changes *c)
{
	const char *arch = NULL;

	for (size_t i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];
		bool whole = strcmp(x->aspect, "op") == 0 || strcmp(x->aspect, "macro") == 0;

		if (!arch || strcmp(arch, x->arch) != 0)
			fprintf(out, "%s:\n", arch = x->arch);
		fprintf(out, "  %s: ", x->item);
		if (whole && strcmp(x->what, "changed") != 0) {
			fprintf(out, "%s %s", x->aspect, x->what);
			if (x->new_detail || x->old_detail)
				fprintf(out, " (%s)", x->new_detail ? x->new_detail : x->old_detail);
		} else if (strcmp(x->aspect, "place") == 0) {
			fprintf(out, "moved: now %s (was %s)", x->new, x->old);
		} else if (strcmp(x->what, "changed") == 0) {
			fprintf(out, "%s '", x->aspect);
			one_line(out, x->old);
			fputs("'", out);
			if (x->old_detail)
				fprintf(out, " (%s)", x->old_detail);
			fputs(" -> '", out);
			one_line(out, x->new);
			fputs("'", out);
			if (x->new_detail)
				fprintf(out, " (%s)", x->new_detail);
		} else {
			fprintf(out, "%s %s: '", x->aspect, x->what);
			one_line(out, x->new ? x->new : x->old);
			fputs("'", out);
			if (x->new_detail || x->old_detail)
				fprintf(out, " (%s)", x->new_detail ? x->new_detail : x->old_detail);
		}
		if (x->why)
			fprintf(out, " [incompatible: %s]", x->why);
		fputc('\n', out);
	}
}

static void print_json(FILE *out, const struct changes *c, const char *old, const char *new, int status)
{
	fputs("{\"old\": ", out);
	json_str(out, old);
	util_json_member(out, "new", new);
	fprintf(out, ", \"abi_change\": %s, \"incompatible\": %s, \"changes\": [",
		status & DIFF_ABI ? "true" : "false", status & DIFF_INCOMPATIBLE ? "true" : "false");
	for (size_t i = 0; i < c->n; i++) {
		const struct change *x = &c->v[i];
		const char *what = strcmp(x->aspect, "place") == 0 ? "moved" : x->what;
		fprintf(out, "%s\n  {\"arch\": ", i ? "," : "");
		json_str(out, x->arch);
		util_json_member(out, "item", x->item);
		util_json_member(out, "aspect", x->aspect);
		util_json_member(out, "change", what);
		util_json_member(out, "old", x->old);
		util_json_member(out, "new", x->new);
		util_json_member(out, "old_detail", x->old_detail);
		util_json_member(out, "new_detail", x->new_detail);
		fprintf(out, ", \"incompatible\": %s, \"why\": ", x->why ? "true" : "false");
		json_str(out, x->why);
		fputc('}', out);
	}
	fputs(c->n ? "\n]}\n" : "]}\n", out);
}

static struct spec *load_checked(const char *path)
{
	int before = diag_error_count();
	struct spec *s = spec_load(path);

	if (s) {
		struct analysis an;
		family_analyze(s, &an);
		check_spec(s, &an);
		family_analysis_free(&an);
	}
	if (s && diag_error_count() != before) {
		spec_free(s);
		s = NULL;
	}
	return s;
}

static const char diff_usage[] =
	"usage: pvopsc diff [--format=text|json] OLD NEW\n"
	"Report what changing spec OLD into NEW does to the binary interface, per arch: ops added,\n"
	"removed and moved, patch types, slots, signatures, kinds, clobbers, site lengths, the\n"
	"backends' sequences (bytes and margin), ASM macros and constants.\n"
	"\n"
	"Exit status (bits, as abidiff has them): 0 no change; 1 error in a spec; 2 usage error;\n"
	"4 the interface changed; 8 a change is incompatible: code built against OLD breaks.\n";

/* The options: --format (json true for json), --help; -1 to go on, else the exit status. */
static int diff_options(int argc, char **argv, bool *json)
{
	enum { OPT_FORMAT = 256 };
	static const struct option longopts[] = {
		{"format", required_argument, NULL, OPT_FORMAT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(diff_usage, stdout);
			return 0;
		}
		if (c == OPT_FORMAT && (strcmp(optarg, "json") == 0 || strcmp(optarg, "text") == 0)) {
			*json = strcmp(optarg, "json") == 0;
			continue;
		}
		fprintf(stderr, "pvopsc diff: %s\nTry 'pvopsc diff --help'.\n",
			c == OPT_FORMAT ? "--format is text or json" : "unknown option");
		return DIFF_USAGE;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "pvopsc diff: two specs wanted, OLD and NEW\nTry 'pvopsc diff --help'.\n");
		return DIFF_USAGE;
	}
	return -1;
}

/* The changes from old to new, arch by arch: every arch of new, then those new dropped. The
 * changes point into the facts (ofs and nfs, one per arch of each spec). */
static void compare_specs(const struct spec *old, const struct spec *new, struct facts *ofs, struct facts *nfs,
			  struct changes *ch)
{
	for (size_t i = 0; i < new->arches.n; i++) {
		const struct spec_arch *na = new->arches.v[i];
		const struct spec_arch *oa = spec_arch(old, na->name);
		struct facts none = {0};
		arch_facts(new, na, &nfs[i]);
		if (oa)
			arch_facts(old, oa, &ofs[oa->index]);
		compare(na->name, oa ? &ofs[oa->index] : &none, &nfs[i], ch);
	}
	for (size_t i = 0; i < old->arches.n; i++) {
		const struct spec_arch *oa = old->arches.v[i];
		struct facts none = {0};
		if (spec_arch(new, oa->name))
			continue;
		arch_facts(old, oa, &ofs[i]);
		compare(oa->name, &ofs[i], &none, ch);
	}
}

static void facts_free_all(struct facts *fs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		facts_free(&fs[i]);
	free(fs);
}

int diff_main(int argc, char **argv)
{
	bool json = false;
	struct spec *old, *new;
	struct changes ch = {0};
	int status = diff_options(argc, argv, &json);

	if (status >= 0)
		return status;
	status = 0;
	old = load_checked(argv[optind]);
	new = load_checked(argv[optind + 1]);
	diag_flush(stderr);
	if (!old || !new) {
		fprintf(stderr, "pvopsc diff: %s has errors; nothing compared\n", !old ? argv[optind] : argv[optind + 1]);
		spec_free(old);
		spec_free(new);
		return DIFF_ERROR;
	}
	struct facts *ofs = xcalloc(old->arches.n, sizeof(*ofs)), *nfs = xcalloc(new->arches.n, sizeof(*nfs));
	compare_specs(old, new, ofs, nfs, &ch);
	for (size_t i = 0; i < ch.n; i++)
		status |= DIFF_ABI | (ch.v[i].why ? DIFF_INCOMPATIBLE : 0);
	if (json)
		print_json(stdout, &ch, argv[optind], argv[optind + 1], status);
	else
		print_text(stdout, &ch);
	for (size_t i = 0; i < ch.n; i++)
		free(ch.v[i].why_owned);
	free(ch.v);
	facts_free_all(ofs, old->arches.n);
	facts_free_all(nfs, new->arches.n);
	spec_free(old);
	spec_free(new);
	return status;
}
