/* regs.c: register lists embedded in the spec (scanner regs.l).
 *
 * An item is one register or a range "PREFIXm-PREFIXn", m < n, which expands to each register
 * of it. The registers written out carry their own position; the ones a range implies carry
 * the range's. */
#include "regs.h"

#include <stdlib.h>
#include <string.h>

#include "regs.lex.h"

#define MAX_DIGITS 4   /* register numbers are small; this keeps the arithmetic trivial */
#define MAX_RANGE 256  /* more than any register file; bounds what a typo expands to */

struct tok {
	enum regs_tok kind;
	size_t off, len;
};

struct scan {
	const struct node *n;
	yyscan_t scanner;
	size_t off; /* bytes scanned, advanced by the scanner */
};

static bool quiet; /* regs_parse_quiet: the list was parsed (and its errors said) before */

#define syntax_error(n, off, ...) \
	(quiet ? (void)0 : diag_error(node_pos_at((n), (off)), "register-syntax", __VA_ARGS__))

static struct tok next(struct scan *s)
{
	struct tok t = {.kind = regs_yylex(s->scanner)};

	t.len = t.kind == REGS_END ? 0 : (size_t)regs_yyget_leng(s->scanner);
	t.off = s->off - t.len;
	return t;
}

/* A token's text for a message; control bytes would garble the terminal. */
static char *text(const struct scan *s, struct tok t)
{
	unsigned char c = (unsigned char)s->n->str[t.off];

	if (t.len == 1 && (c < 0x20 || c == 0x7f))
		return xasprintf("\\x%02x", c);
	return xstrndup(s->n->str + t.off, t.len);
}

/* Report token t, which is not what `expected` says should be there. */
static void unexpected(const struct scan *s, struct tok t, const char *expected)
{
	char *what;

	if (t.kind == REGS_END) {
		syntax_error(s->n, t.off, "expected %s", expected);
		return;
	}
	what = text(s, t);
	syntax_error(s->n, t.off, "unexpected '%s'; expected %s", what, expected);
	free(what);
}

static void push(struct reglist *l, char *name, struct pos pos)
{
	l->r = xrealloc(l->r, (size_t)(l->n + 1) * sizeof(*l->r));
	l->r[l->n++] = (struct reg){name, pos};
}

/* "r11" -> prefix length 1, number 11. */
struct bound {
	const char *s;
	size_t len, prefix;
	int num;
};

static struct bound bound_of(const struct scan *s, struct tok t)
{
	struct bound b = {s->n->str + t.off, t.len, t.len, 0};

	while (b.prefix > 0 && b.s[b.prefix - 1] >= '0' && b.s[b.prefix - 1] <= '9')
		b.prefix--;
	for (size_t i = b.prefix; i < b.len && i < b.prefix + MAX_DIGITS; i++)
		b.num = b.num * 10 + (b.s[i] - '0');
	return b;
}

/* Why bound b cannot end a range, or NULL. */
static const char *bad_bound(const struct bound *b)
{
	size_t digits = b->len - b->prefix;

	if (!digits)
		return "has no number to count from";
	if (digits > 1 && b->s[b->prefix] == '0')
		return "has a leading zero";
	if (digits > MAX_DIGITS)
		return "has too large a number";
	return NULL;
}

static bool expand(const struct scan *s, struct tok first, struct tok last, struct reglist *l)
{
	const struct node *n = s->n;
	struct bound lo = bound_of(s, first), hi = bound_of(s, last);
	const char *why;

	if ((why = bad_bound(&lo))) {
		syntax_error(n, first.off, "range bound '%.*s' %s", (int)lo.len, lo.s, why);
		return false;
	}
	if ((why = bad_bound(&hi))) {
		syntax_error(n, last.off, "range bound '%.*s' %s", (int)hi.len, hi.s, why);
		return false;
	}
	if (lo.prefix != hi.prefix || memcmp(lo.s, hi.s, lo.prefix) != 0) {
		syntax_error(n, last.off, "range mixes '%.*s' and '%.*s'", (int)lo.prefix, lo.s,
			     (int)hi.prefix, hi.s);
		return false;
	}
	if (hi.num < lo.num) {
		syntax_error(n, last.off, "range goes down; write '%.*s-%.*s'", (int)hi.len, hi.s,
			     (int)lo.len, lo.s);
		return false;
	}
	if (hi.num == lo.num) {
		syntax_error(n, last.off, "range of one register; write '%.*s'", (int)lo.len, lo.s);
		return false;
	}
	if (hi.num - lo.num >= MAX_RANGE) {
		syntax_error(n, last.off, "range of %d registers; at most %d", hi.num - lo.num + 1,
			     MAX_RANGE);
		return false;
	}
	struct pos at = node_pos_at(n, first.off);
	for (int i = lo.num; i <= hi.num; i++)
		push(l, xasprintf("%.*s%d", (int)lo.prefix, lo.s, i),
		     i == hi.num ? node_pos_at(n, last.off) : at);
	return true;
}

/* NAME [ '-' NAME ] */
static bool parse_tokens(struct scan *s, struct reglist *l)
{
	struct tok first = next(s), dash, last, end;

	if (first.kind == REGS_END) {
		syntax_error(s->n, 0, "empty register name");
		return false;
	}
	if (first.kind != REGS_NAME) {
		unexpected(s, first, "a register name");
		return false;
	}
	dash = next(s);
	if (dash.kind == REGS_END) {
		push(l, xstrndup(s->n->str + first.off, first.len), node_pos_at(s->n, first.off));
		return true;
	}
	if (dash.kind != REGS_DASH) {
		unexpected(s, dash, "one register or range per item");
		return false;
	}
	last = next(s);
	if (last.kind != REGS_NAME) {
		unexpected(s, last, "a register after '-'");
		return false;
	}
	end = next(s);
	if (end.kind != REGS_END) {
		unexpected(s, end, "nothing after the range");
		return false;
	}
	return expand(s, first, last, l);
}

static bool parse_item(const struct node *n, struct reglist *l)
{
	struct scan s = {.n = n};
	bool ok;

	if (n->kind != NODE_SCALAR) /* the schema reports a wrong kind (check wrong-kind) */
		return false;
	if (regs_yylex_init_extra(&s.off, &s.scanner))
		abort(); /* out of memory, as xmalloc would */
	regs_yy_scan_bytes(n->str, (int)n->len, s.scanner);
	ok = parse_tokens(&s, l);
	regs_yylex_destroy(s.scanner);
	return ok;
}

bool regs_parse(const struct node *n, struct reglist *list)
{
	bool ok = true;

	if (n->kind != NODE_SEQ)
		return parse_item(n, list);
	for (size_t i = 0; i < n->n; i++)
		ok = parse_item(n->items[i], list) && ok;
	return ok;
}

bool regs_parse_quiet(const struct node *n, struct reglist *list)
{
	bool ok;

	quiet = true;
	ok = regs_parse(n, list);
	quiet = false;
	return ok;
}

/* The second of a register in l, or -1 (a hash set: lists may be long). */
int reglist_duplicate(const struct reglist *l, int *first)
{
	struct strset seen = {0};
	int dup = -1;

	for (int i = 0; i < l->n && dup < 0; i++)
		if (!strset_add(&seen, l->r[i].name))
			dup = i;
	strset_free(&seen);
	for (int i = 0; dup >= 0 && i < dup; i++)
		if (strcmp(l->r[i].name, l->r[dup].name) == 0) {
			*first = i;
			break;
		}
	return dup;
}

bool reglist_has(const struct reglist *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->r[i].name, name) == 0)
			return true;
	return false;
}

void reglist_free(struct reglist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->r[i].name);
	free(l->r);
	*l = (struct reglist){0};
}
