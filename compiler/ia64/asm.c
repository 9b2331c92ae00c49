/* asm.c: parse IA-64 assembler text into instructions, and bundle them as gas does. */
#include "asm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- registers ---------------------------------------------------------------------- */

struct named {
	const char *name;
	int num;
};

/* The assembler's names of application and control registers (others are arN / crN). */
static const struct named ar_names[] = {
	{"k0", 0}, {"k1", 1}, {"k2", 2}, {"k3", 3}, {"k4", 4}, {"k5", 5}, {"k6", 6}, {"k7", 7},
	{"rsc", 16}, {"bsp", 17}, {"bspstore", 18}, {"rnat", 19}, {"fcr", 21}, {"eflag", 24},
	{"csd", 25}, {"ssd", 26}, {"cflg", 27}, {"fsr", 28}, {"fir", 29}, {"fdr", 30},
	{"ccv", 32}, {"unat", 36}, {"fpsr", 40}, {"itc", 44}, {"ruc", 45}, {"pfs", 64},
	{"lc", 65}, {"ec", 66}, {NULL, 0}};

static const struct named cr_names[] = {
	{"dcr", 0}, {"itm", 1}, {"iva", 2}, {"pta", 8}, {"gpta", 9}, {"ipsr", 16}, {"isr", 17},
	{"iip", 19}, {"ifa", 20}, {"itir", 21}, {"iipa", 22}, {"ifs", 23}, {"iim", 24},
	{"iha", 25}, {"iib0", 26}, {"iib1", 27}, {"lid", 64}, {"ivr", 65}, {"tpr", 66},
	{"eoi", 67}, {"irr0", 68}, {"irr1", 69}, {"irr2", 70}, {"irr3", 71}, {"itv", 72},
	{"pmv", 73}, {"cmcv", 74}, {"lrr0", 80}, {"lrr1", 81}, {NULL, 0}};

/* Register files reached through an index register: "rr[r8]". */
static const char *const indirect_files[] = {"cpuid", "dbr", "dtr", "ibr", "itr", "msr", "pkr",
					     "pmc", "pmd", "rr", NULL};

static const char *const fixed_names[] = {"psr", "psr.um", "ip", "cfm", "pr", "pr.rot", NULL};

/* "N" with no sign or leading zero, below `limit`; -1 otherwise. */
static int small_num(const char *s, size_t n, int limit)
{
	int v = 0;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v < limit ? v : -1;
}

static const char *named_by_num(const struct named *t, int num)
{
	for (; t->name; t++)
		if (t->num == num)
			return t->name;
	return NULL;
}

static int named_num(const struct named *t, const char *s, size_t n)
{
	for (; t->name; t++)
		if (strlen(t->name) == n && memcmp(t->name, s, n) == 0)
			return t->num;
	return -1;
}

/* ar / cr: "ar.ccv", "ar32", canonical "ar.ccv" (named) or "arN". */
static bool canon_ac(const char *s, size_t n, const char *pre, const struct named *t, char *out)
{
	int num = -1;

	if (n > 3 && s[2] == '.')
		num = named_num(t, s + 3, n - 3);
	else
		num = small_num(s + 2, n - 2, 128);
	if (num < 0)
		return false;
	const char *name = named_by_num(t, num);
	if (name)
		snprintf(out, IA64_REG_LEN, "%s.%s", pre, name);
	else
		snprintf(out, IA64_REG_LEN, "%s%d", pre, num);
	return true;
}

bool ia64_reg_canon(const char *s, size_t n, char *out)
{
	static const struct named aliases[] = {{"gp", 1}, {"sp", 12}, {"tp", 13}, {"ret0", 8},
					       {"ret1", 9}, {"ret2", 10}, {"ret3", 11}, {NULL, 0}};
	int num;

	if (n == 0 || n >= IA64_REG_LEN)
		return false;
	if ((num = named_num(aliases, s, n)) >= 0) {
		snprintf(out, IA64_REG_LEN, "r%d", num);
		return true;
	}
	if (n == 2 && memcmp(s, "rp", 2) == 0) {
		strcpy(out, "b0");
		return true;
	}
	if (n == 5 && memcmp(s, "psr.l", 5) == 0) { /* the low half of psr: tracked as psr */
		strcpy(out, "psr");
		return true;
	}
	for (const char *const *f = fixed_names; *f; f++)
		if (strlen(*f) == n && memcmp(*f, s, n) == 0) {
			memcpy(out, s, n);
			out[n] = '\0';
			return true;
		}
	if (n >= 3 && (memcmp(s, "ar", 2) == 0))
		return canon_ac(s, n, "ar", ar_names, out);
	if (n >= 3 && (memcmp(s, "cr", 2) == 0))
		return canon_ac(s, n, "cr", cr_names, out);
	struct {
		char c;
		int limit;
	} files[] = {{'r', 128}, {'p', 64}, {'b', 8}, {'f', 128}};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (s[0] == files[i].c && (num = small_num(s + 1, n - 1, files[i].limit)) >= 0) {
			snprintf(out, IA64_REG_LEN, "%c%d", files[i].c, num);
			return true;
		}
	/* the stacked aliases of the register frame */
	for (const char *const *a = (const char *const[]){"in", "loc", "out", NULL}; *a; a++) {
		size_t l = strlen(*a);
		if (n > l && memcmp(s, *a, l) == 0 && small_num(s + l, n - l, 96) >= 0) {
			memcpy(out, s, n);
			out[n] = '\0';
			return true;
		}
	}
	return false;
}

/* The architecture's read-only registers: a write is an Illegal Operation fault, though the
 * assembler takes "mov ar.bsp = r8" (cpuid is the read-only register file). */
bool ia64_reg_read_only(const char *canon)
{
	static const char *const ro[] = {"ip", "ar.bsp", "cr.ivr", "cr.irr0", "cr.irr1", "cr.irr2",
					 "cr.irr3", "cpuid", NULL};

	for (const char *const *r = ro; *r; r++)
		if (strcmp(*r, canon) == 0)
			return true;
	return false;
}

int ia64_gr_num(const char *canon)
{
	if (canon[0] != 'r')
		return -1;
	return small_num(canon + 1, strlen(canon + 1), 128);
}

static bool is_stacked(const char *canon)
{
	return ia64_gr_num(canon) >= 32 || strncmp(canon, "in", 2) == 0 ||
	       strncmp(canon, "loc", 3) == 0 || strncmp(canon, "out", 3) == 0;
}

/* Split "ar.k3" into prefix "ar.k" and number 3; false if it does not end in a number. */
static bool split_num(const char *s, size_t n, size_t *plen, int *num)
{
	size_t i = n;

	while (i > 0 && isdigit((unsigned char)s[i - 1]))
		i--;
	if (i == n || i == 0)
		return false;
	*plen = i;
	*num = atoi(s + i);
	return true;
}

/* Does list item `item` ("r8", "r14-r17", "p6-p15", "ar.k0-ar.k7", "psr") name `canon`? */
static bool item_has(const char *item, const char *canon)
{
	char a[IA64_REG_LEN], b[IA64_REG_LEN];
	const char *dash = strchr(item, '-');

	if (!dash) {
		if (!ia64_reg_canon(item, strlen(item), a))
			return strcmp(item, canon) == 0;
		/* psr covers its user mask too */
		return strcmp(a, canon) == 0 || (strcmp(a, "psr") == 0 && strcmp(canon, "psr.um") == 0);
	}
	size_t la, lb, lc;
	int na, nb, nc;
	const char *hi = dash + 1;
	if (!split_num(item, (size_t)(dash - item), &la, &na) ||
	    !split_num(canon, strlen(canon), &lc, &nc))
		return false;
	if (!split_num(hi, strlen(hi), &lb, &nb))
		return false;
	if (lb != 0 && (lb != la || memcmp(hi, item, la) != 0))
		return false;
	/* compare prefixes through canonical spelling of the range's first register */
	if (!ia64_reg_canon(item, (size_t)(dash - item), a) || !split_num(a, strlen(a), &la, &na))
		return false;
	memcpy(b, canon, lc);
	b[lc] = '\0';
	return la == lc && memcmp(a, b, la) == 0 && nc >= na && nc <= nb;
}

bool ia64_reg_in(const char *canon, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (item_has(list[i], canon))
			return true;
	return false;
}

/* ---- mnemonics ---------------------------------------------------------------------- */

struct mdesc {
	const char *base; /* the mnemonic up to its first '.' */
	enum ia64_type type;
	unsigned flags;
};

static const struct mdesc mnemonics[] = {
	/* integer ALU: M or I unit */
	{"add", T_A, 0}, {"adds", T_A, 0}, {"addl", T_A, 0}, {"addp4", T_A, 0}, {"sub", T_A, 0},
	{"and", T_A, 0}, {"andcm", T_A, 0}, {"or", T_A, 0}, {"xor", T_A, 0}, {"shladd", T_A, 0},
	{"shladdp4", T_A, 0}, {"cmp", T_A, 0}, {"cmp4", T_A, 0}, {"padd1", T_A, 0},
	{"padd2", T_A, 0}, {"padd4", T_A, 0}, {"psub1", T_A, 0}, {"psub2", T_A, 0},
	{"psub4", T_A, 0}, {"pcmp1", T_A, 0}, {"pcmp2", T_A, 0}, {"pcmp4", T_A, 0},
	/* integer, I unit only */
	{"shl", T_I, 0}, {"shr", T_I, 0}, {"shrp", T_I, 0}, {"extr", T_I, 0}, {"dep", T_I, 0},
	{"zxt1", T_I, 0}, {"zxt2", T_I, 0}, {"zxt4", T_I, 0}, {"sxt1", T_I, 0}, {"sxt2", T_I, 0},
	{"sxt4", T_I, 0}, {"czx1", T_I, 0}, {"czx2", T_I, 0}, {"tbit", T_I, 0}, {"tnat", T_I, 0},
	{"popcnt", T_I, 0}, {"mux1", T_I, 0}, {"mux2", T_I, 0}, {"clz", T_I, 0},
	/* memory and system: M unit */
	{"ld1", T_M, 0}, {"ld2", T_M, 0}, {"ld4", T_M, 0}, {"ld8", T_M, 0}, {"ld16", T_M, 0},
	{"st1", T_M, 0}, {"st2", T_M, 0}, {"st4", T_M, 0}, {"st8", T_M, 0}, {"st16", T_M, 0},
	{"cmpxchg1", T_M, 0}, {"cmpxchg2", T_M, 0}, {"cmpxchg4", T_M, 0}, {"cmpxchg8", T_M, 0},
	{"xchg1", T_M, 0}, {"xchg2", T_M, 0}, {"xchg4", T_M, 0}, {"xchg8", T_M, 0},
	{"fetchadd4", T_M, 0}, {"fetchadd8", T_M, 0}, {"lfetch", T_M, 0}, {"fc", T_M, 0},
	{"thash", T_M, 0}, {"ttag", T_M, 0}, {"tpa", T_M, 0}, {"tak", T_M, 0}, {"ptr", T_M, 0},
	{"ptc", T_M, 0},
	{"itr", T_M, 0}, {"probe", T_M, 0}, {"ssm", T_M, 0}, {"rsm", T_M, 0}, {"sum", T_M, 0},
	{"rum", T_M, 0}, {"srlz", T_M, 0}, {"sync", T_M, 0}, {"mf", T_M, 0}, {"invala", T_M, 0},
	{"fwb", T_M, 0}, {"itc", T_M, IF_LAST}, {"flushrs", T_M, IF_FIRST | IF_NOPRED},
	{"loadrs", T_M, IF_FIRST | IF_NOPRED}, {"alloc", T_M, IF_FIRST | IF_NOPRED},
	/* branch unit */
	{"br", T_B, 0}, {"brp", T_B, 0}, {"epc", T_B, IF_NOPRED},
	{"cover", T_B, IF_LAST | IF_NOPRED}, {"rfi", T_B, IF_LAST | IF_NOPRED},
	{"bsw", T_B, IF_LAST | IF_NOPRED}, {"clrrrb", T_B, IF_LAST | IF_NOPRED},
	/* long: the L+X slots of an MLX bundle */
	{"movl", T_X, 0}, {"brl", T_X, 0},
	/* whatever unit the slot has */
	{"nop", T_DYN, 0}, {"break", T_DYN, 0}, {"hint", T_DYN, 0},
	{NULL, T_NIL, 0}};

/* The unit letter of an explicit ".m" / ".i" / ".b" / ".x" completer. */
static enum ia64_type unit_completer(const char *dot)
{
	if (!dot || strlen(dot) != 2)
		return T_NIL;
	switch (dot[1]) {
	case 'm': return T_M;
	case 'i': return T_I;
	case 'b': return T_B;
	case 'f': return T_F;
	case 'x': return T_X;
	default: return T_NIL;
	}
}

/* ---- statements --------------------------------------------------------------------- */

struct parser {
	const char *text;
	struct ia64_seq *seq;
	ia64_err_fn err;
	void *ctx;
	bool ok;
	bool pending_label;
};

static void perr(struct parser *p, size_t off, const char *fmt, ...) PRINTF(3, 4);
static void perr(struct parser *p, size_t off, const char *fmt, ...)
{
	struct buf msg = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (p->err)
		p->err(p->ctx, off, msg.data);
	buf_free(&msg);
	p->ok = false;
}

/* An operand: [b, e) offsets into the text, trimmed. */
struct span {
	size_t b, e;
};

static struct span trim(const char *t, size_t b, size_t e)
{
	while (b < e && isspace((unsigned char)t[b]))
		b++;
	while (e > b && isspace((unsigned char)t[e - 1]))
		e--;
	return (struct span){b, e};
}

/* Split [b, e) at top-level `sep` (outside brackets and parentheses). */
static int split_top(const char *t, size_t b, size_t e, char sep, struct span *out, int max)
{
	int n = 0, depth = 0;
	size_t start = b;

	for (size_t i = b; i <= e; i++) {
		char c = i < e ? t[i] : sep;
		if (c == '[' || c == '(')
			depth++;
		else if ((c == ']' || c == ')') && depth > 0)
			depth--;
		if (c == sep && (depth == 0 || i == e)) {
			if (n < max)
				out[n] = trim(t, start, i);
			n++;
			start = i + 1;
		}
	}
	return n;
}

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$' || c == '@';
}

static void add_reg(struct parser *p, struct ia64_regs *set, const char *name, size_t off)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->r[i].name, name) == 0)
			return;
	if (set->n == IA64_MAX_REGS) {
		perr(p, off, "too many registers in one instruction");
		return;
	}
	snprintf(set->r[set->n].name, IA64_REG_LEN, "%s", name);
	set->r[set->n++].off = off;
}

/* What an operand is. */
enum okind { O_NONE, O_REG, O_MEM, O_IND, O_OTHER };

struct opnd {
	enum okind kind;
	char reg[IA64_REG_LEN];   /* O_REG: the register; O_MEM, O_IND: the index register */
	char file[IA64_REG_LEN];  /* O_IND: "rr" */
	size_t off, roff;
};

static struct opnd classify(struct parser *p, struct span s)
{
	const char *t = p->text;
	struct opnd o = {O_OTHER, "", "", s.b, s.b};
	size_t n = s.e - s.b;

	if (n == 0) {
		o.kind = O_NONE;
		return o;
	}
	if (ia64_reg_canon(t + s.b, n, o.reg)) {
		o.kind = O_REG;
		return o;
	}
	if (n > 3 && (!strncmp(t + s.b, "ar.", 3) || !strncmp(t + s.b, "cr.", 3) || !strncmp(t + s.b, "psr.", 4))) {
		size_t i = s.b;
		while (i < s.e && is_ident_char(t[i]))
			i++;
		if (i == s.e && strncmp(t + s.b, "psr.", 4) != 0) { /* psr.i is a mask, not a register */
			perr(p, s.b, "unknown register '%.*s'", (int)n, t + s.b);
			o.kind = O_NONE;
			return o;
		}
	}
	const char *lb = memchr(t + s.b, '[', n);
	if (lb && t[s.e - 1] == ']') {
		struct span in = trim(t, (size_t)(lb - t) + 1, s.e - 1);
		size_t flen = (size_t)(lb - (t + s.b));
		o.roff = in.b;
		if (!ia64_reg_canon(t + in.b, in.e - in.b, o.reg) ||
		    (ia64_gr_num(o.reg) < 0 && !is_stacked(o.reg))) {
			perr(p, in.b, "expected a general register inside '[...]'");
			o.kind = O_NONE;
			return o;
		}
		if (flen == 0) {
			o.kind = O_MEM;
			return o;
		}
		for (const char *const *f = indirect_files; *f; f++)
			if (strlen(*f) == flen && memcmp(*f, t + s.b, flen) == 0) {
				o.kind = O_IND;
				snprintf(o.file, sizeof(o.file), "%s", *f);
				return o;
			}
		perr(p, s.b, "unknown register file '%.*s'", (int)flen, t + s.b);
		o.kind = O_NONE;
	}
	return o;
}

static bool starts(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

/* The unit type of "mov" from its operands (the assembler picks addl/adds, mov.m, mov.i...). */
static enum ia64_type mov_type(const struct opnd *d, const struct opnd *s, bool *ok)
{
	*ok = true;
	if (d->kind == O_IND || s->kind == O_IND)
		return T_M;
	if (d->kind != O_REG) {
		*ok = false;
		return T_NIL;
	}
	const char *dr = d->reg, *sr = s->kind == O_REG ? s->reg : "";
	const char *ar = starts(dr, "ar") ? dr : starts(sr, "ar") ? sr : NULL;
	if (ar) {
		int num = ar[2] == '.' ? named_num(ar_names, ar + 3, strlen(ar + 3)) : atoi(ar + 2);
		if (num >= 0 && num <= 47)
			return T_M;
		if (num >= 64 && num <= 111)
			return T_I;
		return T_DYN;
	}
	if (starts(dr, "cr") || starts(sr, "cr") || strcmp(dr, "psr") == 0 ||
	    strcmp(dr, "psr.um") == 0 || strcmp(sr, "psr") == 0 || strcmp(sr, "psr.um") == 0)
		return T_M;
	if (dr[0] == 'b' || sr[0] == 'b' || strcmp(sr, "ip") == 0 || starts(dr, "pr") ||
	    starts(sr, "pr"))
		return T_I;
	if (dr[0] == 'f')
		return T_F;
	if ((ia64_gr_num(dr) >= 0 || is_stacked(dr)) &&
	    (s->kind != O_REG || ia64_gr_num(sr) >= 0 || is_stacked(sr)))
		return T_A; /* register copy (adds) or immediate (addl) */
	*ok = false;
	return T_NIL;
}

static bool memory_family(const char *m)
{
	return starts(m, "ld") || starts(m, "st") || starts(m, "lfetch");
}

static void note_stacked(struct ia64_insn *in, const char *reg, size_t off)
{
	if (is_stacked(reg) && off < in->stacked_off)
		in->stacked_off = off;
}

static void read_opnd(struct parser *p, struct ia64_insn *in, const struct opnd *o)
{
	if (o->kind == O_REG) {
		add_reg(p, &in->reads, o->reg, o->off);
		note_stacked(in, o->reg, o->off);
	} else if (o->kind == O_MEM || o->kind == O_IND) {
		add_reg(p, &in->reads, o->reg, o->roff);
		note_stacked(in, o->reg, o->roff);
		if (o->kind == O_IND)
			add_reg(p, &in->reads, o->file, o->off);
	}
}

static void write_reg(struct parser *p, struct ia64_insn *in, const char *reg, size_t off)
{
	note_stacked(in, reg, off);
	if (strcmp(reg, "p0") == 0 || strcmp(reg, "r0") == 0)
		return; /* writes to p0 are discarded; the assembler refuses r0 */
	add_reg(p, &in->writes, reg, off);
}

static void write_opnd(struct parser *p, struct ia64_insn *in, const struct opnd *o)
{
	if (o->kind == O_REG) {
		write_reg(p, in, o->reg, o->off);
	} else if (o->kind == O_IND) {
		add_reg(p, &in->reads, o->reg, o->roff);
		note_stacked(in, o->reg, o->roff);
		write_reg(p, in, o->file, o->off);
	} else if (o->kind == O_MEM) {
		read_opnd(p, in, o); /* a store's address */
	} else if (o->kind == O_OTHER) {
		perr(p, o->off, "expected a register as destination");
	}
}

/* Effects the operands do not show. */
static void implicit_effects(struct parser *p, struct ia64_insn *in)
{
	const char *m = in->mnem;
	char r[IA64_REG_LEN];

	if (starts(m, "ssm") || starts(m, "rsm") || starts(m, "rfi"))
		write_reg(p, in, "psr", in->off);
	else if (starts(m, "sum") || starts(m, "rum"))
		write_reg(p, in, "psr.um", in->off);
	else if (starts(m, "bsw")) /* the bank switch replaces what r16-r31 hold */
		for (int i = 16; i < 32; i++) {
			snprintf(r, sizeof(r), "r%d", i);
			write_reg(p, in, r, in->off);
		}
	else if (strcmp(m, "cover") == 0)
		write_reg(p, in, "cr.ifs", in->off);
	else if (starts(m, "st8.spill"))
		write_reg(p, in, "ar.unat", in->off);
	else if (starts(m, "ld8.fill"))
		add_reg(p, &in->reads, "ar.unat", in->off);
}

/* Instructions that only privilege level 0 may execute (every completer of them). */
static bool privileged_base(const char *base)
{
	static const char *const priv[] = {"ssm", "rsm", "rfi", "bsw", "itc", "itr", "ptc", "ptr",
					   "tak", "tpa", NULL};

	for (const char *const *p = priv; *p; p++)
		if (strcmp(*p, base) == 0)
			return true;
	return false;
}

/* A privileged "mov": to or from a control register or psr (not psr.um), any access to a
 * protected register file (rr, pkr, ibr, dbr, pmc, itr, dtr, msr), a write to pmd, the kernel
 * registers ar.k0-k7, ar.itc or ar.ruc. Reads of cpuid, pmd and the other ars are not. */
static bool privileged_mov(const struct opnd *d, const struct opnd *s)
{
	static const char *const files[] = {"rr", "pkr", "ibr", "dbr", "pmc", "itr", "dtr", "msr", NULL};
	const struct opnd *o[2] = {d, s};

	for (int i = 0; i < 2; i++) {
		if (o[i]->kind == O_REG && (starts(o[i]->reg, "cr") || strcmp(o[i]->reg, "psr") == 0))
			return true;
		for (const char *const *f = files; o[i]->kind == O_IND && *f; f++)
			if (strcmp(o[i]->file, *f) == 0)
				return true;
	}
	if (d->kind == O_IND && strcmp(d->file, "pmd") == 0)
		return true;
	return d->kind == O_REG && (starts(d->reg, "ar.k") || strcmp(d->reg, "ar.itc") == 0 ||
				    strcmp(d->reg, "ar.ruc") == 0);
}

bool ia64_sensitive(const struct ia64_insn *in)
{
	static const char *const unpriv[] = {"thash", "ttag", "fc", "cover", NULL};
	static const char *const regs[] = {"cpuid", "pmd", "ar.itc", "ar.eflag", NULL};

	if (in->privileged)
		return true;
	for (const char *const *u = unpriv; *u; u++)
		if (strcmp(in->mnem, *u) == 0)
			return true;
	for (int i = 0; strncmp(in->mnem, "mov", 3) == 0 && i < in->reads.n; i++)
		for (const char *const *r = regs; *r; r++)
			if (strcmp(in->reads.r[i].name, *r) == 0)
				return true;
	for (int i = 0; strncmp(in->mnem, "mov", 3) == 0 && i < in->writes.n; i++)
		if (strcmp(in->writes.r[i].name, "ar.eflag") == 0)
			return true;
	return false;
}

static const struct mdesc *find_mnemonic(const char *m)
{
	const char *dot = strchr(m, '.');
	size_t blen = dot ? (size_t)(dot - m) : strlen(m);

	for (const struct mdesc *d = mnemonics; d->base; d++)
		if (strlen(d->base) == blen && memcmp(d->base, m, blen) == 0)
			return d;
	return NULL;
}

bool ia64_is_mnemonic(const char *m)
{
	return strncmp(m, "mov", 3) == 0 ? m[3] == '\0' || m[3] == '.' : find_mnemonic(m) != NULL;
}

static struct ia64_insn *new_insn(struct ia64_seq *s)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, (size_t)s->cap * sizeof(*s->v));
	}
	struct ia64_insn *in = &s->v[s->n++];
	memset(in, 0, sizeof(*in));
	in->stacked_off = (size_t)-1;
	return in;
}

static void add_label(struct ia64_seq *s, const char *name, size_t n)
{
	if (s->nlabels == s->labcap) {
		s->labcap = s->labcap ? s->labcap * 2 : 8;
		s->labels = xrealloc(s->labels, (size_t)s->labcap * sizeof(*s->labels));
	}
	snprintf(s->labels[s->nlabels++], sizeof(s->labels[0]), "%.*s", (int)(n < 47 ? n : 47), name);
}

/* An instruction's operands: destinations (left of '=') and sources, as written and classified. */
struct operands {
	struct span dst[4], src[6];
	struct opnd d[4], s[6];
	int nd, ns;
};

/* The mnemonic [b, m), lowercased, into in; false after reporting one too long. */
static bool parse_mnemonic(struct parser *p, struct ia64_insn *in, size_t b, size_t m)
{
	if (m - b >= sizeof(in->mnem)) {
		perr(p, b, "unknown IA-64 instruction '%.*s'", (int)(m - b), p->text + b);
		return false;
	}
	memcpy(in->mnem, p->text + b, m - b);
	in->mnem[m - b] = '\0';
	for (char *c = in->mnem; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return true;
}

/* The operands [m, e): "DST, ... = SRC, ..." or "SRC, ..."; false after reporting. */
static bool parse_operands(struct parser *p, size_t m, size_t e, struct operands *o)
{
	const char *t = p->text;
	struct span ops[8];
	struct span all = trim(t, m, e);
	int neq = split_top(t, all.b, all.e, '=', ops, 8);

	o->nd = 0;
	if (neq > 2) {
		perr(p, all.b, "more than one '=' in an instruction");
		return false;
	}
	if (all.b == all.e)
		o->ns = 0;
	else if (neq == 2) {
		o->nd = split_top(t, ops[0].b, ops[0].e, ',', o->dst, 4);
		o->ns = split_top(t, ops[1].b, ops[1].e, ',', o->src, 6);
	} else
		o->ns = split_top(t, all.b, all.e, ',', o->src, 6);
	if (o->nd > 4 || o->ns > 6) {
		perr(p, all.b, "too many operands");
		return false;
	}
	for (int i = 0; i < o->nd; i++)
		o->d[i] = classify(p, o->dst[i]);
	for (int i = 0; i < o->ns; i++)
		o->s[i] = classify(p, o->src[i]);
	return true;
}

/* "mov DST = SRC": its unit from the operands (or a completer), what it reads and writes. */
static void parse_mov(struct parser *p, struct ia64_insn *in, size_t b, const struct operands *o)
{
	const char *dot = strchr(in->mnem, '.');
	enum ia64_type ty = unit_completer(dot), mt;
	bool ok;

	if (o->nd != 1 || o->ns < 1 || o->ns > 2) {
		perr(p, b, "expected 'mov DST = SRC'");
		return;
	}
	if (ty == T_NIL && dot) {
		perr(p, b, "unknown IA-64 instruction '%s'", in->mnem);
		return;
	}
	mt = mov_type(&o->d[0], &o->s[0], &ok);
	if (!ok) {
		perr(p, o->dst[0].b, "unsupported 'mov' form");
		return;
	}
	in->type = ty != T_NIL ? ty : mt;
	in->privileged = privileged_mov(&o->d[0], &o->s[0]);
	in->mov_copy = o->d[0].kind == O_REG && o->s[0].kind == O_REG && o->ns == 1;
	if (in->mov_copy)
		snprintf(in->copy_src, sizeof(in->copy_src), "%s", o->s[0].reg);
	if (o->s[0].kind == O_OTHER)
		snprintf(in->imm, sizeof(in->imm), "%.*s", (int)(o->src[0].e - o->src[0].b), p->text + o->src[0].b);
	write_opnd(p, in, &o->d[0]);
	for (int i = 0; i < o->ns; i++)
		read_opnd(p, in, &o->s[i]);
}

/* Any other instruction, by its mnemonic's description. */
static void parse_described(struct parser *p, struct ia64_insn *in, size_t b, const struct operands *o)
{
	const char *t = p->text, *dot = strchr(in->mnem, '.');
	const struct mdesc *md = find_mnemonic(in->mnem);
	int nd = o->nd, ns = o->ns;

	if (!md) {
		perr(p, b, "unknown IA-64 instruction '%s'", in->mnem);
		return;
	}
	in->type = md->type;
	in->flags = md->flags;
	if (md->type == T_DYN && unit_completer(dot) != T_NIL)
		in->type = unit_completer(dot);
	if (starts(in->mnem, "ptc.g")) /* global purges end their group */
		in->flags |= IF_LAST;
	if (strcmp(in->mnem, "chk.s") == 0)
		in->type = T_DYN;
	if (in->flags & IF_NOPRED && in->qp[0] && strcmp(in->qp, "p0") != 0)
		perr(p, b, "'%s' cannot be predicated", in->mnem);
	in->is_alloc = strcmp(md->base, "alloc") == 0;
	in->privileged = privileged_base(md->base);
	in->branch = strcmp(md->base, "br") == 0 || strcmp(md->base, "brl") == 0;

	for (int i = 0; i < nd; i++)
		write_opnd(p, in, &o->d[i]);
	for (int i = 0; i < ns; i++)
		read_opnd(p, in, &o->s[i]);
	if (ns > 0 && o->s[ns - 1].kind == O_OTHER)
		snprintf(in->imm, sizeof(in->imm), "%.*s", (int)(o->src[ns - 1].e - o->src[ns - 1].b),
			 t + o->src[ns - 1].b);
	/* "ld8 r3 = [r2], 8", "st8 [r2] = r3, 8", "lfetch [r2], 8" advance the address */
	if (memory_family(in->mnem) && ns == 2) {
		const struct opnd *base = nd == 1 && o->d[0].kind == O_MEM ? &o->d[0]
					  : o->s[0].kind == O_MEM	     ? &o->s[0]
									     : NULL;
		if (base)
			write_reg(p, in, base->reg, base->roff);
	}
	if (in->branch && ns > 0) {
		struct span ts = o->src[ns - 1];
		if (o->s[ns - 1].kind == O_REG)
			snprintf(in->target, sizeof(in->target), "%s", o->s[ns - 1].reg);
		else
			snprintf(in->target, sizeof(in->target), "%.*s", (int)(ts.e - ts.b), t + ts.b);
		in->target_off = ts.b;
	}
	implicit_effects(p, in);
}

/* One instruction statement [b, e) (labels and predicate already removed). */
static void parse_insn(struct parser *p, size_t b, size_t e, const char *qp)
{
	const char *t = p->text;
	size_t m = b;
	struct operands o;

	while (m < e && !isspace((unsigned char)t[m]))
		m++;
	struct ia64_insn *in = new_insn(p->seq);
	in->off = b;
	in->len = e - b;
	in->label = p->pending_label;
	p->pending_label = false;
	snprintf(in->qp, sizeof(in->qp), "%s", qp);
	if (!parse_mnemonic(p, in, b, m) || !parse_operands(p, m, e, &o))
		return;
	if (in->qp[0])
		add_reg(p, &in->reads, in->qp, b);
	if (starts(in->mnem, "mov") && (in->mnem[3] == '\0' || in->mnem[3] == '.'))
		parse_mov(p, in, b, &o);
	else
		parse_described(p, in, b, &o);
}

static const char *const code_free_directives[] = {
	".mem.offset", ".pred.rel", ".pred.rel.clear", ".pred.rel.imply", ".pred.rel.mutex",
	".pred.safe_across_calls", ".reg.val", ".entry", ".serialize.data",
	".serialize.instruction", NULL};

/* One statement [b, e): labels, an optional predicate, then an instruction or directive. */
/* Past the tags ("[name:]", which mark a slot) and labels that open a statement: false when
 * nothing follows (or a tag is malformed, which is reported). */
static bool skip_labels(struct parser *p, size_t *pb, size_t *pe)
{
	const char *t = p->text;

	for (;;) {
		struct span s = trim(t, *pb, *pe);
		*pb = s.b;
		*pe = s.e;
		if (s.b == s.e)
			return false;
		if (t[s.b] == '[') {
			const char *close = memchr(t + s.b, ']', s.e - s.b);
			if (!close || close[-1] != ':') {
				perr(p, s.b, "malformed tag");
				return false;
			}
			*pb = (size_t)(close - t) + 1;
			continue;
		}
		size_t i = s.b;
		while (i < s.e && is_ident_char(t[i]))
			i++;
		if (i > s.b && i < s.e && t[i] == ':' && t[s.b] != '.') {
			add_label(p->seq, t + s.b, i - s.b);
			p->pending_label = true;
			*pb = i + 1;
			continue;
		}
		return true;
	}
}

/* A qualifying predicate "(pN)" into qp, and past it to the instruction; false after
 * reporting a malformed one or one that qualifies nothing. */
static bool parse_qp(struct parser *p, size_t *pb, size_t *pe, char *qp)
{
	const char *t = p->text;
	size_t b = *pb, e = *pe;
	const char *close = memchr(t + b, ')', e - b);
	struct span in = close ? trim(t, b + 1, (size_t)(close - t)) : (struct span){b, b};

	if (!close || !ia64_reg_canon(t + in.b, in.e - in.b, qp) || qp[0] != 'p' || strcmp(qp, "pr") == 0 ||
	    strcmp(qp, "pr.rot") == 0) {
		perr(p, close ? in.b : b, "expected a qualifying predicate '(pN)'");
		return false;
	}
	struct span s = trim(t, (size_t)(close - t) + 1, e);
	if (s.b == s.e) {
		perr(p, s.b, "qualifying predicate not followed by an instruction");
		return false;
	}
	*pb = s.b;
	*pe = s.e;
	return true;
}

/* A directive: one that emits no code (.serialize.data marks the sequence), or an error. */
static void directive(struct parser *p, size_t b, size_t e)
{
	const char *t = p->text;
	size_t i = b;

	while (i < e && !isspace((unsigned char)t[i]))
		i++;
	for (const char *const *d = code_free_directives; *d; d++)
		if (strlen(*d) == i - b && memcmp(*d, t + b, i - b) == 0) {
			if (strcmp(*d, ".serialize.data") == 0)
				p->seq->serialize_data = true;
			return;
		}
	perr(p, b, "directive '%.*s' is not allowed here", (int)(i - b), t + b);
}

static void parse_stmt(struct parser *p, size_t b, size_t e)
{
	char qp[IA64_REG_LEN] = "";

	if (!skip_labels(p, &b, &e))
		return;
	if (p->text[b] == '(' && !parse_qp(p, &b, &e, qp))
		return;
	if (p->text[b] == '.')
		directive(p, b, e);
	else
		parse_insn(p, b, e, qp);
}

static void mark_stop(struct parser *p)
{
	/* a stop with nothing before it is dropped, as the assembler does after an alignment */
	if (p->seq->n > 0)
		p->seq->v[p->seq->n - 1].stop = true;
}

bool ia64_parse(const char *text, struct ia64_seq *out, ia64_err_fn err, void *ctx)
{
	struct parser p = {text, out, err, ctx, true, false};
	size_t n = strlen(text), b = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? text[i] : '\n';
		if (c == '/' && i + 1 < n && text[i + 1] == '/') { /* comment to end of line */
			parse_stmt(&p, b, i);
			while (i < n && text[i] != '\n')
				i++;
			b = i + 1;
			continue;
		}
		if (c == '/' && i + 1 < n && text[i + 1] == '*') {
			parse_stmt(&p, b, i);
			const char *end = strstr(text + i + 2, "*/");
			if (!end) {
				perr(&p, i, "unterminated comment");
				break;
			}
			i = (size_t)(end - text) + 1;
			b = i + 1;
			continue;
		}
		if (c == '"') {
			perr(&p, i, "unexpected string");
			break;
		}
		if (c == ';' && i + 1 < n && text[i + 1] == ';') {
			parse_stmt(&p, b, i);
			mark_stop(&p);
			i++;
			b = i + 1;
			continue;
		}
		if (c == ';' || c == '\n') {
			parse_stmt(&p, b, i);
			b = i + 1;
		}
	}
	/* an instruction the assembler forces to be first ends the group before it */
	for (int i = 1; i < out->n; i++)
		if (out->v[i].flags & IF_FIRST)
			out->v[i - 1].stop = true;
	return p.ok;
}

void ia64_seq_free(struct ia64_seq *s)
{
	free(s->v);
	free(s->labels);
	memset(s, 0, sizeof(*s));
}

/* ---- bundling ------------------------------------------------------------------------ */

enum unit { U_NIL, U_I, U_M, U_B, U_F, U_L, U_X };

/* The sixteen templates (without their end stop): units per slot. Index 1 is MII with a stop
 * after slot 1, index 5 MMI with a stop after slot 0; 3, 10, 13, 15 are reserved. */
static const enum unit templ[16][3] = {
	{U_M, U_I, U_I}, {U_M, U_I, U_I}, {U_M, U_L, U_X}, {U_NIL, U_NIL, U_NIL},
	{U_M, U_M, U_I}, {U_M, U_M, U_I}, {U_M, U_F, U_I}, {U_M, U_M, U_F},
	{U_M, U_I, U_B}, {U_M, U_B, U_B}, {U_NIL, U_NIL, U_NIL}, {U_B, U_B, U_B},
	{U_M, U_M, U_B}, {U_NIL, U_NIL, U_NIL}, {U_M, U_F, U_B}, {U_NIL, U_NIL, U_NIL}};

static bool type_fits(int t, enum ia64_type type, int slot)
{
	enum unit u = templ[t][slot];

	switch (type) {
	case T_DYN: return true;
	case T_A: return u == U_I || u == U_M;
	case T_X: return u == U_L;
	case T_I: return u == U_I;
	case T_M: return u == U_M;
	case T_B: return u == U_B;
	case T_F: return u == U_F;
	default: return false;
	}
}

/* Itanium 2 tuning (the assembler's default): a NOP is best in an M or I slot. */
static int nop_goodness(int t, int slot)
{
	return type_fits(t, T_M, slot) || type_fits(t, T_I, slot) ? 2 : 0;
}

/* The assembler's choice of template for the next three instruction types. */
static int best_template(enum ia64_type i, enum ia64_type j, enum ia64_type k)
{
	int best = 0, pick = 0;

	for (int t = 0; t < 16; t++) {
		int g = 0;
		if (type_fits(t, i, 0)) {
			if (type_fits(t, j, 1)) {
				if ((t == 2 && j == T_X) || type_fits(t, k, 2))
					g = 9;
				else
					g = 6 + nop_goodness(t, 2);
			} else if (type_fits(t, j, 2)) {
				g = 6 + nop_goodness(t, 1);
			} else {
				g = 3 + nop_goodness(t, 1) + nop_goodness(t, 2);
			}
		} else if (type_fits(t, i, 1)) {
			g = (t == 2 && i == T_X) || type_fits(t, j, 2) ? 6 : 3 + nop_goodness(t, 2);
		} else if (type_fits(t, i, 2)) {
			g = 3 + nop_goodness(t, 1);
		}
		if (g > best) {
			best = g;
			pick = t;
		}
	}
	return pick;
}

/* The unit an instruction of type `type` takes in a slot of unit `req` (NIL: not there). */
static enum unit unit_in(const struct ia64_insn *in, enum ia64_type type, enum unit req, int t)
{
	switch (type) {
	case T_DYN:
		if (strncmp(in->mnem, "hint", 4) == 0 && req == U_B)
			return U_I; /* hint is refused in a B slot: the assembler moves on */
		if (strncmp(in->mnem, "chk", 3) == 0 || strncmp(in->mnem, "mov", 3) == 0)
			return req == U_I || (req == U_F && t == 6) ? U_I : U_M;
		return req;
	case T_A: return req == U_I || req == U_M ? req : U_NIL;
	case T_X: return U_L;
	case T_I: return U_I;
	case T_M: return U_M;
	case T_B: return U_B;
	case T_F: return U_F;
	default: return U_NIL;
	}
}

/* Once the assembler has resolved a dynamic instruction for a slot (hint to hint.i), it keeps
 * that form even when it did not fit there: the instruction has that unit's type from then. */
static enum ia64_type unit_type(enum unit u)
{
	static const enum ia64_type types[] = {T_NIL, T_I, T_M, T_B, T_F, T_X, T_X};
	return types[u];
}

/* The assembler's queue of up to four instructions waiting for a bundle. */
struct bq {
	struct {
		const struct ia64_insn *in;
		enum ia64_type type;
		bool stop;
	} q[4];
	int n;
};

static void pop(struct bq *b)
{
	memmove(b->q, b->q + 1, (size_t)(b->n - 1) * sizeof(b->q[0]));
	b->n--;
}

static const char *const templ_slots[16][3] = {
	{"M", "I", "I"}, {"M", "I;;", "I"}, {"M", "LX", ""}, {"?", "?", "?"},
	{"M", "M", "I"}, {"M;;", "M", "I"}, {"M", "F", "I"}, {"M", "M", "F"},
	{"M", "I", "B"}, {"M", "B", "B"}, {"?", "?", "?"}, {"B", "B", "B"},
	{"M", "M", "B"}, {"?", "?", "?"}, {"M", "F", "B"}, {"?", "?", "?"}};

/* Emit one bundle from the queue, as gas's emit_one_bundle does for automatic templates;
 * spell it into sig ("MI;;I;;") when sig is not NULL. */
/* An instruction that must end its group's bundle (IF_LAST) takes the template's slot for
 * it: an M the M;;MI template's first (its stop is the template's), a B the last. The slot, or
 * -1 when that slot is behind slot i. */
static int last_slot(struct bq *b, int i, int *t)
{
	int rslot = i, rt = *t;

	if (b->q[0].type == T_M) {
		rslot = 0;
		rt = 5;
	} else if (b->q[0].type == T_B) {
		rslot = 2;
	}
	if (rslot < i)
		return -1;
	if (rt != *t)
		b->q[0].stop = false; /* the M;;MI template holds the stop */
	*t = rt;
	return rslot;
}

/* A stop inside the bundle before slot i: switch to a template that has one there. False
 * when none does and the bundle holds something already (it ends here). */
static bool stop_inside(const struct ia64_insn *in, int i, int *t, bool *eoig, int placed)
{
	if (i == 1 && templ[*t][0] == U_M) {
		*t = 5;
		*eoig = false;
	} else if (i == 2 && templ[*t][1] == U_I && !(in->flags & IF_FIRST)) {
		*t = 1;
		*eoig = false;
	} else if (placed) {
		return false;
	}
	return true;
}

static void emit(struct bq *b, struct buf *sig)
{
	enum ia64_type ty[3] = {T_NIL, T_NIL, T_NIL};
	int n = b->n < 3 ? b->n : 3, placed = 0;
	bool eoig = false;

	for (int i = 0; i < n; i++) {
		if (b->q[i].in->label && i != 0)
			break;
		ty[i] = b->q[i].type;
	}
	int t = best_template(ty[0], ty[1], ty[2]);
	for (int i = 0; i < 3 && b->n > 0; i++) {
		const struct ia64_insn *in = b->q[0].in;
		if ((in->flags & IF_LAST) && (i = last_slot(b, i, &t)) < 0)
			break;
		if (placed && in->label)
			break;
		if (eoig && !stop_inside(in, i, &t, &eoig, placed))
			break;
		enum unit req = templ[t][i];
		enum unit got = unit_in(in, b->q[0].type, req, t);
		if (b->q[0].type == T_DYN && got != U_NIL)
			b->q[0].type = unit_type(got);
		if (got != req)
			continue;
		eoig = b->q[0].stop;
		if (req == U_L)
			i++;
		pop(b);
		placed++;
	}
	if (!placed) /* fits no slot (only an unparsed instruction can): drop it, as gas does */
		pop(b);
	if (sig) {
		if (sig->len)
			buf_putc(sig, ' ');
		for (int i = 0; i < 3; i++)
			buf_puts(sig, templ_slots[t][i]);
		if (eoig)
			buf_puts(sig, ";;");
	}
}

int ia64_bundles(const struct ia64_seq *s)
{
	return ia64_bundle_sig(s, NULL);
}

int ia64_bundle_sig(const struct ia64_seq *s, struct buf *sig)
{
	struct bq b;
	int bundles = 0;

	b.n = 0;
	for (int i = 0; i < s->n; i++) {
		b.q[b.n].in = &s->v[i];
		b.q[b.n].type = s->v[i].type;
		b.q[b.n++].stop = s->v[i].stop || (s->v[i].flags & IF_LAST);
		if (b.n == 4) {
			emit(&b, sig);
			bundles++;
		}
	}
	while (b.n > 0) {
		emit(&b, sig);
		bundles++;
	}
	return bundles;
}
