/* sig.y: the grammar of C signatures embedded in the spec, `RET (PARAMS)`.
 *
 * Typedef names make C's grammar ambiguous: in "pte_t x" and "int x" only a symbol table tells
 * the type from the name. Here the shape decides instead: an identifier before any type
 * keyword is the type, one after the type is the name. Whether the type identifier names a
 * type is checked when it is reduced (builtin names, then the spec's is_type callback), so an
 * undeclared type reads as "unknown type", not as a syntax error.
 *
 * Semantic values are byte offsets into the scalar, never heap memory, so a syntax error in
 * mid-parse leaks nothing: all that is allocated hangs off the csig being built. */

%define api.pure full
%define api.prefix {sig_yy}
%define api.token.prefix {SIG_}
%define api.location.type {struct sig_span}
%define parse.error verbose
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {struct sig_parser *p}

%code requires {
#include <stdbool.h>
#include <stddef.h>

/* A stretch of the scalar's value in bytes; begin == end for an empty rule. */
struct sig_span {
	size_t begin, end;
};

/* Type keywords; bit numbers of sig_spec.words. */
enum sig_word { W_VOID, W_BOOL, W_CHAR, W_SHORT, W_INT, W_LONG, W_SIGNED, W_UNSIGNED, W_STRUCT, W_ENUM };

struct sig_kw {
	enum sig_word word;
	struct sig_span tag; /* W_STRUCT, W_ENUM: the tag */
};

/* A type as written, before it is resolved into a struct ctype. */
struct sig_spec {
	unsigned words;       /* 1 << enum sig_word */
	bool long_long;
	bool is_const;
	struct sig_span name; /* struct tag, or the identifier of a typedef-like type */
	int ptr;
};

/* The part of the signature a token is in, for the wording of syntax errors. */
enum sig_part { PART_RET, PART_PARAMS, PART_AFTER };

/* The scanner's state (its yyextra). */
struct sig_lexstate {
	size_t off;             /* bytes scanned */
	enum sig_part part;     /* of the next token */
	enum sig_part tok_part; /* of the token just returned */
};

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

struct sig_parser;
}

%code {
#include <stdlib.h>
#include <string.h>

#include "sig.h"
#include "sig.lex.h"

struct sig_parser {
	const struct node *node;
	sig_is_type_fn is_type;
	void *ctx;
	struct csig *out;
	int cap;     /* allocated out->params */
	bool failed; /* an error was reported */
	struct sig_lexstate lex;
};

/* A nonterminal spans from its first non-empty child to its last child, so that a type
 * starting with an empty qualifier list is placed at its first token, not at the blank
 * before it. */
#define YYLLOC_DEFAULT(cur, rhs, n) span_join(&(cur), (rhs), (n))

static void span_join(struct sig_span *cur, const struct sig_span *rhs, int n)
{
	cur->end = rhs[n].end;
	cur->begin = cur->end;
	for (int i = n; i >= 1; i--)
		if (rhs[i].begin != rhs[i].end)
			cur->begin = rhs[i].begin;
}

static void sig_yyerror(const struct sig_span *at, yyscan_t scanner, struct sig_parser *p,
		      const char *msg);
static void add_kw(struct sig_parser *p, struct sig_spec *s, const struct sig_kw *kw,
		   struct sig_span at);
static void set_ret(struct sig_parser *p, const struct sig_spec *s, struct sig_span at,
		    struct sig_span name);
static void add_param(struct sig_parser *p, const struct sig_spec *s, struct sig_span at,
		      struct sig_span name);
static void check_void(struct sig_parser *p);
static void check_name(struct sig_parser *p, struct sig_span at);
static void error_at(struct sig_parser *p, size_t off, const char *msg);
}

%union {
	enum sig_word word;
	struct sig_kw kw;
	struct sig_spec spec;
	bool is_const;
	int ptr;
}

/* Aliases read as English in bison's "expecting ..." lists. */
%token END 0 "end of signature"
%token CONST "const"
%token <word> TAG "struct or enum"
%token <word> TYPEKW "type keyword"
%token IDENT "identifier"
%token STRAY "character"

%type <kw> kw
%type <spec> kwseq type
%type <is_const> quals
%type <ptr> ptrs

%%

sig:	ret '(' params ')'		{ check_void(p); }
	;

ret:	type name			{ set_ret(p, &$1, @1, @2); }
	;

params:	%empty
	| list
	;

list:	param
	| list ',' param
	;

param:	type name			{ add_param(p, &$1, @1, @2); }
	;

name:	%empty
	| IDENT
	;

type:	quals tname quals ptrs		{
						$$ = (struct sig_spec){ .name = @2, .ptr = $4 };
						$$.is_const = $1 || $3;
					}
	| quals kwseq ptrs		{ $$ = $2; $$.is_const |= $1; $$.ptr = $3; }
	;

/* Checked as soon as it is read: in "unsinged long x" the unknown type is the error to
 * report, not the syntax error the misspelling causes at "long". */
tname:	IDENT				{ check_name(p, @1); }
	;

quals:	%empty				{ $$ = false; }
	| quals CONST			{ $$ = true; }
	;

kwseq:	kw				{ $$ = (struct sig_spec){ 0 }; add_kw(p, &$$, &$1, @1); }
	| kwseq kw			{ $$ = $1; add_kw(p, &$$, &$2, @2); }
	| kwseq CONST			{ $$ = $1; $$.is_const = true; }
	;

kw:	TYPEKW				{ $$ = (struct sig_kw){ $1, { 0, 0 } }; }
	| TAG IDENT			{ $$ = (struct sig_kw){ $1, @2 }; }
	;

ptrs:	%empty				{ $$ = 0; }
	| ptrs '*'			{ $$ = $1 + 1; }
	| ptrs '*' CONST		{
						$$ = $1 + 1;
						error_at(p, @3.begin, "const pointers ('* const') are not supported");
					}
	;

%%

static const char *const word_names[] = {
	[W_VOID] = "void", [W_BOOL] = "_Bool", [W_CHAR] = "char",
	[W_SHORT] = "short", [W_INT] = "int", [W_LONG] = "long",
	[W_SIGNED] = "signed", [W_UNSIGNED] = "unsigned", [W_STRUCT] = "struct", [W_ENUM] = "enum",
};

/* Typedef-like names every signature may use: the kernel's fixed-width types, bool, size_t. */
static const struct builtin {
	const char *name;
	int bits; /* -1: word-sized */
	bool is_unsigned;
} builtins[] = {
	{"u8", 8, true}, {"u16", 16, true}, {"u32", 32, true}, {"u64", 64, true},
	{"s8", 8, false}, {"s16", 16, false}, {"s32", 32, false}, {"s64", 64, false},
	{"bool", 8, true}, {"size_t", -1, true},
};

#define BIT(w) (1u << (w))
/* Types no other keyword combines with. */
#define ALONE (BIT(W_VOID) | BIT(W_BOOL) | BIT(W_STRUCT) | BIT(W_ENUM))

/* The keywords each keyword cannot be combined with (C11 6.7.2p2). */
static const unsigned clashes[] = {
	[W_VOID] = ~0u,
	[W_BOOL] = ~0u,
	[W_STRUCT] = ~0u,
	[W_ENUM] = ~0u,
	[W_CHAR] = ALONE | BIT(W_SHORT) | BIT(W_INT) | BIT(W_LONG),
	[W_SHORT] = ALONE | BIT(W_CHAR) | BIT(W_LONG),
	[W_INT] = ALONE | BIT(W_CHAR),
	[W_LONG] = ALONE | BIT(W_CHAR) | BIT(W_SHORT),
	[W_SIGNED] = ALONE | BIT(W_UNSIGNED),
	[W_UNSIGNED] = ALONE | BIT(W_SIGNED),
};

static struct pos pos_at(const struct sig_parser *p, size_t off)
{
	return node_pos_at(p->node, off);
}

static bool empty(struct sig_span s)
{
	return s.begin == s.end;
}

static char *text(const struct sig_parser *p, struct sig_span s)
{
	return xstrndup(p->node->str + s.begin, s.end - s.begin);
}

static void error_at(struct sig_parser *p, size_t off, const char *msg)
{
	diag_error(pos_at(p, off), "signature-syntax", "%s", msg);
	p->failed = true;
}

/* Quote a token for a message; control bytes would garble the terminal. */
static void put_token(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '\'');
}

/* Bison's verbose message is "syntax error, unexpected X[, expecting A or B]"; keep its list
 * of expected tokens and say the rest in our words, with the offending text itself. */
static void sig_yyerror(const struct sig_span *at, yyscan_t scanner, struct sig_parser *p,
		      const char *msg)
{
	static const char *const parts[] = {
		[PART_RET] = "in return type",
		[PART_PARAMS] = "in parameter list",
		[PART_AFTER] = "after parameter list",
	};
	static const char expecting[] = ", expecting ";
	const char *s = p->node->str, *list = strstr(msg, expecting);
	struct buf b = {0};

	(void)scanner;
	if (p->failed) /* most likely a consequence of the error already reported */
		return;
	if (strspn(s, " \t\r\n") == p->node->len) {
		error_at(p, 0, "empty signature; expected 'RET (PARAMS)'");
		return;
	}
	if (empty(*at)) {
		buf_puts(&b, "unexpected end of signature");
	} else {
		buf_puts(&b, "unexpected ");
		put_token(&b, s + at->begin, at->end - at->begin);
	}
	buf_printf(&b, " %s", parts[p->lex.tok_part]);
	if (list)
		buf_printf(&b, "; expected %s", list + strlen(expecting));
	error_at(p, at->begin, b.data);
	buf_free(&b);
}

/* Add a keyword to a type, unless C forbids the combination. */
static void add_kw(struct sig_parser *p, struct sig_spec *s, const struct sig_kw *kw,
		   struct sig_span at)
{
	unsigned clash = s->words & clashes[kw->word];
	char *msg;

	if (kw->word == W_LONG && (s->words & BIT(W_LONG)) && !s->long_long) {
		s->long_long = true;
		return;
	}
	if (s->words & BIT(kw->word)) {
		msg = kw->word == W_LONG ? xstrdup("'long long long' is too long")
					 : xasprintf("duplicate '%s'", word_names[kw->word]);
	} else if (clash) {
		msg = xasprintf("'%s' cannot be combined with '%s'", word_names[kw->word],
				word_names[__builtin_ctz(clash)]);
	} else {
		s->words |= BIT(kw->word);
		if (kw->word == W_STRUCT || kw->word == W_ENUM)
			s->name = kw->tag;
		return;
	}
	error_at(p, at.begin, msg);
	free(msg);
}

static bool declared(const struct sig_parser *p, const char *name)
{
	return p->is_type && p->is_type(name, p->ctx);
}

static const struct builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		if (strcmp(name, builtins[i].name) == 0)
			return &builtins[i];
	return NULL;
}

/* The builtin type name or keyword an unknown name may have been meant to be, or NULL. */
static const char *suggest_type(const char *name)
{
	const char *cands[ARRAY_SIZE(word_names) + ARRAY_SIZE(builtins) + 1];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(word_names); i++)
		cands[n++] = word_names[i];
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		cands[n++] = builtins[i].name;
	cands[n] = NULL;
	return util_suggest(name, cands);
}

static void check_name(struct sig_parser *p, struct sig_span at)
{
	char *name = text(p, at);
	const char *near;

	if (!find_builtin(name) && !declared(p, name)) {
		near = suggest_type(name);
		if (near)
			diag_error(pos_at(p, at.begin), "signature-unknown-type",
				   "unknown type '%s'; did you mean '%s'?", name, near);
		else
			diag_error(pos_at(p, at.begin), "signature-unknown-type",
				   "unknown type '%s'; declare it under 'types:'", name);
		p->failed = true;
	}
	free(name);
}

/* Integer keywords in any order -> the one spelling C programmers write. Plain char counts as
 * signed, as the x86 and ia64 psABIs have it. */
static void int_type(const struct sig_spec *s, struct ctype *t)
{
	const char *size, *sign = "";

	if (s->words & BIT(W_CHAR)) {
		size = "char";
		t->int_bits = 8;
	} else if (s->words & BIT(W_SHORT)) {
		size = "short";
		t->int_bits = 16;
	} else if (s->long_long) {
		size = "long long";
		t->int_bits = 64;
	} else if (s->words & BIT(W_LONG)) {
		size = "long";
		t->int_bits = -1;
	} else {
		size = "int";
		t->int_bits = 32;
	}
	t->is_unsigned = s->words & BIT(W_UNSIGNED);
	if (t->is_unsigned)
		sign = "unsigned ";
	else if ((s->words & BIT(W_SIGNED)) && t->int_bits == 8)
		sign = "signed "; /* elsewhere "signed" is the default, and dropped */
	t->base = xasprintf("%s%s", sign, size);
}

static void resolve(struct sig_parser *p, const struct sig_spec *s, struct sig_span at,
		    struct ctype *t)
{
	struct buf spell = {0};

	t->off = at.begin;
	t->pos = pos_at(p, at.begin);
	t->ptr = s->ptr;
	t->is_const = s->is_const;
	if (s->words & BIT(W_STRUCT)) {
		char *tag = text(p, s->name);
		t->cls = CT_DECLARED;
		t->base = xasprintf("struct %s", tag);
		if (!t->ptr && !declared(p, t->base)) {
			diag_error(pos_at(p, s->name.begin), "signature-unknown-type",
				   "struct '%s' is passed by value; declare '%s' under 'types:'", tag,
				   t->base);
			p->failed = true;
		}
		free(tag);
	} else if (s->words & BIT(W_ENUM)) {
		/* an enum is an int to every x86 and IA-64 ABI gcc has */
		char *tag = text(p, s->name);
		t->cls = CT_INT;
		t->int_bits = 32;
		t->base = xasprintf("enum %s", tag);
		free(tag);
	} else if (!empty(s->name)) { /* checked by check_name() */
		const struct builtin *b;
		t->base = text(p, s->name);
		t->cls = CT_DECLARED;
		if ((b = find_builtin(t->base))) {
			t->cls = CT_INT;
			t->int_bits = b->bits;
			t->is_unsigned = b->is_unsigned;
		}
	} else if (s->words & BIT(W_VOID)) {
		t->cls = CT_VOID;
		t->base = xstrdup("void");
	} else if (s->words & BIT(W_BOOL)) {
		t->cls = CT_INT;
		t->int_bits = 8;
		t->is_unsigned = true;
		t->base = xstrdup("_Bool");
	} else {
		t->cls = CT_INT;
		int_type(s, t);
	}
	if (t->ptr) {
		t->cls = CT_PTR;
		t->is_unsigned = false;
		t->int_bits = 0;
	}
	buf_printf(&spell, "%s%s%s", t->is_const ? "const " : "", t->base, t->ptr ? " " : "");
	for (int i = 0; i < t->ptr; i++)
		buf_putc(&spell, '*');
	t->spelling = buf_steal(&spell);
}

static void set_ret(struct sig_parser *p, const struct sig_spec *s, struct sig_span at,
		    struct sig_span name)
{
	resolve(p, s, at, &p->out->ret);
	if (!empty(name))
		error_at(p, name.begin, "a signature names no function; write 'RET (PARAMS)'");
}

static void add_param(struct sig_parser *p, const struct sig_spec *s, struct sig_span at,
		      struct sig_span name)
{
	struct csig *sig = p->out;
	struct cparam *prm;

	if (sig->nparams == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 4;
		sig->params = xrealloc(sig->params, (size_t)p->cap * sizeof(*sig->params));
	}
	prm = &sig->params[sig->nparams++];
	*prm = (struct cparam){0};
	resolve(p, s, at, &prm->type);
	prm->pos = prm->type.pos;
	if (empty(name))
		return;
	prm->name = text(p, name);
	prm->name_off = name.begin;
	prm->name_pos = pos_at(p, name.begin);
	for (const struct cparam *q = sig->params; q < prm; q++) {
		if (q->name && strcmp(q->name, prm->name) == 0) {
			diag_error(prm->name_pos, "signature-syntax", "duplicate parameter name '%s'",
				   prm->name);
			diag_note(q->name_pos, "'%s' first named here", q->name);
			p->failed = true;
			break;
		}
	}
}

static void ctype_free(struct ctype *t)
{
	free(t->base);
	free(t->spelling);
}

/* "(void)" means no parameters; any other plain void parameter is an error. */
static void check_void(struct sig_parser *p)
{
	struct csig *sig = p->out;

	for (int i = 0; i < sig->nparams; i++) {
		struct cparam *prm = &sig->params[i];

		if (prm->type.cls != CT_VOID)
			continue;
		if (sig->nparams > 1) {
			diag_error(prm->pos, "signature-syntax", "'void' must be the only parameter");
			p->failed = true;
		} else if (prm->name) {
			diag_error(prm->pos, "signature-syntax", "parameter '%s' has type 'void'", prm->name);
			p->failed = true;
		} else if (prm->type.is_const) {
			diag_error(prm->pos, "signature-syntax", "'void' as the only parameter cannot be const");
			p->failed = true;
		} else {
			ctype_free(&prm->type);
			sig->nparams = 0;
		}
	}
}

bool sig_parse(const struct node *sig, sig_is_type_fn is_type, void *ctx, struct csig *out)
{
	struct sig_parser p = {.node = sig, .is_type = is_type, .ctx = ctx, .out = out};
	yyscan_t scanner;

	*out = (struct csig){.pos = sig->pos};
	if (sig->kind != NODE_SCALAR) {
		diag_error(sig->pos, "signature-syntax",
			   "expected a signature like 'void (int x)', found a %s", node_kind_name(sig->kind));
		return false;
	}
	if (sig_yylex_init_extra(&p.lex, &scanner))
		abort(); /* out of memory, as xmalloc would */
	sig_yy_scan_bytes(sig->str, (int)sig->len, scanner);
	if (sig_yyparse(scanner, &p) != 0)
		p.failed = true;
	sig_yylex_destroy(scanner);
	if (p.failed)
		sig_free(out);
	return !p.failed;
}

void sig_free(struct csig *s)
{
	ctype_free(&s->ret);
	for (int i = 0; i < s->nparams; i++) {
		ctype_free(&s->params[i].type);
		free(s->params[i].name);
	}
	free(s->params);
	*s = (struct csig){0};
}

/* Open addressing on the text's FNV-1a hash; at most half full. */
struct sig_memo {
	struct sig_memo_entry {
		const char *text; /* the first node's value: the spec outlives the memo */
		size_t len;
		struct csig sig;
	} *v;
	size_t n, cap;
};

static struct sig_memo_entry *memo_slot(struct sig_memo *m, const char *text, size_t len)
{
	size_t i = util_hash(text, len) & (m->cap - 1);

	while (m->v[i].text && (m->v[i].len != len || memcmp(m->v[i].text, text, len) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->v[i];
}

static void memo_grow(struct sig_memo *m)
{
	struct sig_memo old = *m;

	m->cap = old.cap ? 2 * old.cap : 16;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i].text)
			*memo_slot(m, old.v[i].text, old.v[i].len) = old.v[i];
	free(old.v);
}

static void ctype_place(struct ctype *t, const struct ctype *from, const struct node *n)
{
	*t = *from;
	t->base = xstrdup(from->base);
	t->spelling = xstrdup(from->spelling);
	t->pos = node_pos_at(n, t->off);
}

/* A copy of `from`, its positions on node n (whose value is the same text). */
static void sig_place(struct csig *out, const struct csig *from, const struct node *n)
{
	*out = (struct csig){.pos = n->pos, .nparams = from->nparams};
	ctype_place(&out->ret, &from->ret, n);
	if (from->nparams)
		out->params = xmalloc((size_t)from->nparams * sizeof(*out->params));
	for (int i = 0; i < from->nparams; i++) {
		const struct cparam *f = &from->params[i];
		struct cparam *prm = &out->params[i];
		*prm = *f;
		ctype_place(&prm->type, &f->type, n);
		prm->pos = prm->type.pos;
		if (f->name) {
			prm->name = xstrdup(f->name);
			prm->name_pos = node_pos_at(n, f->name_off);
		}
	}
}

bool sig_parse_memo(struct sig_memo **memo, const struct node *sig, sig_is_type_fn is_type, void *ctx,
		    struct csig *out)
{
	struct sig_memo *m = *memo;
	struct sig_memo_entry *e;
	int errors = diag_error_count();

	if (sig->kind != NODE_SCALAR)
		return sig_parse(sig, is_type, ctx, out);
	if (!m)
		m = *memo = xcalloc(1, sizeof(*m));
	if (2 * (m->n + 1) > m->cap)
		memo_grow(m);
	e = memo_slot(m, sig->str, sig->len);
	if (e->text) {
		sig_place(out, &e->sig, sig);
		return true;
	}
	if (!sig_parse(sig, is_type, ctx, out) || diag_error_count() != errors)
		return false;
	*e = (struct sig_memo_entry){.text = sig->str, .len = sig->len};
	sig_place(&e->sig, out, sig);
	m->n++;
	return true;
}

void sig_memo_free(struct sig_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		if (m->v[i].text)
			sig_free(&m->v[i].sig);
	free(m->v);
	free(m);
}

/* A declaration without a gap after a '*': "int *err", "struct irq_chip *(void)". */
static void put_decl(struct buf *b, const char *spelling, const char *name)
{
	size_t n = strlen(spelling);

	buf_printf(b, "%s%s%s", spelling, n && spelling[n - 1] == '*' ? "" : " ", name);
}

char *sig_to_string(const struct csig *s)
{
	struct buf b = {0};

	put_decl(&b, s->ret.spelling, "(");
	for (int i = 0; i < s->nparams; i++) {
		const struct cparam *prm = &s->params[i];
		if (i)
			buf_puts(&b, ", ");
		if (prm->name)
			put_decl(&b, prm->type.spelling, prm->name);
		else
			buf_puts(&b, prm->type.spelling);
	}
	buf_puts(&b, s->nparams ? ")" : "void)");
	return buf_steal(&b);
}
