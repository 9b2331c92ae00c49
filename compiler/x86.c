/* x86.c: the x86 family: the model templates/x86/ is rendered from, per arch.
 *
 * On top of the common model (model.h) it adds what only the x86 code knows: each op's kind on
 * the arch, patch type number, slot offset, site length and padding, clobber mask, the words
 * its signature binds to (i386 splits 64-bit values, low word first); the call machinery's
 * registers; and per backend the table initializers, the callee-save thunks, the out-of-line
 * bodies of inline sequences and the sequences' bytes and relocations for a patcher. */
#include "x86.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "model.h"

static char *upper(const char *s)
{
	char *u = xstrdup(s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

static char *cname_of(const char *qname)
{
	char *c = xstrdup(qname);
	for (char *p = c; *p; p++)
		if (*p == '.')
			*p = '_';
	return c;
}

/* s as the inside of a C string literal */
static void c_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '\t')
			buf_puts(b, "\\t");
		else
			buf_putc(b, *s);
	}
}

static const char *reg_name(const struct x86_arch *x, int r)
{
	return x86_gpr_name(r, x->conv.bits);
}

static bool is_struct_type(const struct spec *s, const struct ctype *t)
{
	if (t->cls != CT_DECLARED || t->ptr)
		return false;
	for (size_t i = 0; i < s->types.n; i++) {
		const struct spec_type *st = s->types.v[i];
		if (strcmp(st->name, t->base) == 0)
			return strcmp(st->kind, "struct") == 0;
	}
	return false;
}

/* ---- conventions: the registers a site lets its callee modify ---- */

struct conv {
	char *name;
	unsigned set;
};

struct model {
	struct x86_arch x;
	struct conv convs[64];
	int nconvs;
	struct tval *convlist;
};

static const char *conv_for(struct model *m, const struct x86_opinfo *in, const char *cname)
{
	if (in->kind == OP_JUMP)
		return "jump";
	if (!in->declared || in->clobbers == (in->kind == OP_CALLEE_SAVE ? m->x.conv.callee : m->x.conv.call))
		return in->kind == OP_CALLEE_SAVE ? "callee" : "call";
	for (int i = 0; i < m->nconvs; i++)
		if (strcmp(m->convs[i].name, cname) == 0)
			return m->convs[i].name;
	if (m->nconvs == (int)ARRAY_SIZE(m->convs))
		return "call"; /* more than 64 custom sets: beyond any real spec */
	m->convs[m->nconvs] = (struct conv){xstrdup(cname), in->clobbers};
	return m->convs[m->nconvs++].name;
}

static void add_conv(struct model *m, const char *name, unsigned set, const char *doc)
{
	const struct x86_conv *c = &m->x.conv;
	struct tval *cv = tv_add_map(m->convlist), *vars = tv_set(cv, "vars", tv_list());
	struct buf clobs = {0};

	tv_set_str(cv, "name", name);
	tv_set_str(cv, "doc", doc);
	tv_set_strf(cv, "mask", "0x%x", x86_mask_of(c, set));
	buf_puts(&clobs, "\"memory\", \"cc\"");
	for (int r = 0; r < X86_NGPR; r++) {
		if (!(set >> r & 1))
			continue;
		if (x86_gpr_letter(r)) {
			struct tval *v = tv_add_map(vars);
			tv_set_strf(v, "var", "__pv_%s", reg_name(&m->x, r));
			tv_set_strf(v, "letter", "%c", x86_gpr_letter(r));
		} else {
			buf_printf(&clobs, ", \"%s\"", reg_name(&m->x, r));
		}
	}
	tv_set_str(cv, "clobbers", clobs.data);
	buf_free(&clobs);
	/* the value: the low return register, and on i386 the high one for wide types */
	int lo = c->nret > 0 && (set & c->ret[0]) ? __builtin_ctz(c->ret[0]) : -1;
	int hi = c->nret > 1 && (set & c->ret[1]) ? __builtin_ctz(c->ret[1]) : -1;
	tv_set_bool(cv, "returns", lo >= 0);
	if (lo >= 0 && hi >= 0)
		tv_set_strf(cv, "ret",
			    "(sizeof(type) > sizeof(unsigned long) ? "
			    "(type)(((unsigned long long)__pv_%s << 32) | __pv_%s) : (type)__pv_%s)",
			    reg_name(&m->x, hi), reg_name(&m->x, lo), reg_name(&m->x, lo));
	else if (lo >= 0)
		tv_set_strf(cv, "ret", "((type)__pv_%s)", reg_name(&m->x, lo));
}

/* ---- ops ---- */

/* The words of a parameter as C expressions of the call, and what must run before. */
static void arg_words(const struct spec *s, const struct x86_opinfo *in, struct tval *m, const struct x86_arch *x)
{
	struct tval *preps = tv_set(m, "preps", tv_list());
	struct buf words = {0};

	for (int w = 0; w < in->bind.nwords; w++) {
		const struct x86_word *wd = &in->bind.w[w];
		const struct cparam *p = &in->op->sig.params[wd->param];
		char *name = p->name ? xstrdup(p->name) : xasprintf("arg%d", wd->param);
		bool wide = w + 1 < in->bind.nwords && in->bind.w[w + 1].param == wd->param;
		bool two = wide || wd->part == 1;

		buf_puts(&words, ", ");
		if (is_struct_type(s, &p->type)) {
			/* a struct travels as its value's words: copy it into an integer */
			if (wd->part == 0)
				tv_add_str(preps, xasprintf("%s __%s = 0;\n\t__builtin_memcpy(&__%s, &%s, sizeof(%s));",
							    two ? "unsigned long long" : "unsigned long", name, name,
							    name, name))
					->str = tv_get(preps, "")
						? NULL
						: preps->items[preps->n - 1]->str;
			buf_printf(&words, wd->part ? "__%s >> 32" : "__%s", name);
		} else if (wd->part == 1) {
			buf_printf(&words, "(unsigned long long)(%s) >> 32", name);
		} else {
			buf_puts(&words, name);
		}
		free(name);
	}
	tv_set_str(m, "words", words.data ? words.data : "");
	buf_free(&words);
	(void)x;
}
