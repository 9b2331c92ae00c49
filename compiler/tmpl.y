/* tmpl.y: the block structure of templates. The lexer (tmpl.l) hands over text, {{name}} and
 * block tags; this grammar nests them into the tree that tmpl.c renders.
 *
 * The grammar accepts every sequence of tags except a template that ends inside a block: a
 * stray or mismatched tag is reported by an action, which can say more than bison can (and
 * point at the opening tag), and parsing goes on to find the next error. Blocks collect
 * their items through the stack of open blocks, which the end-of-template error needs too. */

%code requires {
/* tmpl.tab.h doubles as the private header of the template engine: the tree built here and
 * rendered by tmpl.c, and the parse state shared with the lexer. */
#include "tmpl.h"

#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

#define TMPL_SYNTAX "template-syntax"

/* What a piece of template source is. */
enum tkind {
	T_TEXT, T_VAR,
	T_EACH, T_IF, T_UNLESS, T_SEP,  /* blocks: the tree nodes with bodies */
	T_ELSE, T_CLOSE, T_COMMENT,     /* these only shape the tree and the standalone rule */
};

static inline const char *block_word(enum tkind k)
{
	static const char *const word[] = {
		[T_EACH] = "each", [T_IF] = "if", [T_UNLESS] = "unless", [T_SEP] = "sep",
	};
	return word[k];
}

/* A piece of the template: a run of text or one tag. */
struct tnode {
	enum tkind kind;
	enum tkind closes;              /* T_CLOSE: the block it names */
	struct pos pos;                 /* the "{{", or the first character of the text */
	size_t id;                      /* index in tmpl.pieces */
	struct buf text;                /* T_TEXT */
	char *name;                     /* T_VAR, T_EACH, T_IF, T_UNLESS: "a.b", ".", "@index" */
	uint32_t *keys;                 /* each dot-separated part of name as maps hold it (tv_key) */
	struct vec body, alt;           /* blocks; alt: after the {{else}} */
	const struct tnode *else_tag;   /* T_IF, T_UNLESS: the {{else}}, once seen */
};

struct tmpl {
	struct vec pieces;  /* every piece in source order; owns them */
	struct vec root;    /* the top-level items */
};

/* One tmpl_parse: the scanner's extra data, shared with the grammar's actions. */
struct parser {
	const struct source *src;
	struct tmpl *t;
	int line, col;      /* where the scanner is */
	struct vec open;    /* blocks not closed yet, innermost last */
	int loops;          /* how many of them are {{#each}} */
	bool at_end;        /* the scanner has returned END */
};
}

%define api.pure full
%locations
%define api.prefix {tmpl_yy}
%define parse.error verbose
%define api.value.type {struct tnode *}
%define api.token.prefix {TOK_}
%param {yyscan_t scanner}

%code {
#include "tmpl.lex.h"

#define P tmpl_yyget_extra(scanner)

static void tmpl_yyerror(const TMPL_YYLTYPE *loc, yyscan_t scanner, const char *msg);
static void add(struct parser *p, struct tnode *n);
static void check_loop_name(const struct parser *p, const struct tnode *n);
static void open_block(struct parser *p, struct tnode *b);
static void close_block(struct parser *p, const struct tnode *c);
static void else_branch(struct parser *p, const struct tnode *e);
static void stray_close(const struct tnode *c);
}

%token TEXT "text" VAR "{{name}}" OPEN "{{#block}}" ELSE "{{else}}" CLOSE "{{/block}}"
%token END 0 "end of template"

%%

template:
	  body
	| template CLOSE body		{ stray_close($2); }
	;

body:
	  %empty
	| body item			{ add(P, $2); }
	| body ELSE			{ else_branch(P, $2); }
	;

item:
	  TEXT
	| VAR				{ check_loop_name(P, $1); $$ = $1; }
	| OPEN				{ open_block(P, $1); }
	  body CLOSE			{ close_block(P, $4); $$ = $1; }
	;

%%

static void tmpl_yyerror(const TMPL_YYLTYPE *loc, yyscan_t scanner, const char *msg)
{
	struct parser *p = P;
	const struct source *src = p->src;
	const struct tnode *b;
	size_t len = src->len, line_start = 0;
	int line = 1;

	if (!p->at_end || !p->open.n) { /* bison's stack is full */
		diag_error((struct pos){src->name, loc->first_line, loc->first_column}, TMPL_SYNTAX,
			   "%s: blocks nested too deeply", msg);
		return;
	}
	/* Like gcc, point just past the last character, and at the block in a note. */
	if (len && src->text[len - 1] == '\n')
		len--;
	for (size_t i = 0; i < len; i++)
		if (src->text[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	b = p->open.v[p->open.n - 1];
	diag_error((struct pos){src->name, line, (int)(len - line_start) + 1}, TMPL_SYNTAX,
		   "expected {{/%s}} at end of template", block_word(b->kind));
	diag_note(b->pos, "to match this {{#%s}}", block_word(b->kind));
}

static struct tnode *innermost(const struct parser *p)
{
	return p->open.n ? p->open.v[p->open.n - 1] : NULL;
}

static void add(struct parser *p, struct tnode *n)
{
	struct tnode *b = innermost(p);

	vec_push(!b ? &p->t->root : b->else_tag ? &b->alt : &b->body, n);
}

static void check_loop_name(const struct parser *p, const struct tnode *n)
{
	if (n->name && n->name[0] == '@' && !p->loops)
		diag_error(n->pos, TMPL_SYNTAX, "'%s' outside {{#each}}", n->name);
}

static void open_block(struct parser *p, struct tnode *b)
{
	if (b->kind == T_SEP && !p->loops)
		diag_error(b->pos, TMPL_SYNTAX, "{{#sep}} outside {{#each}}");
	check_loop_name(p, b);
	p->loops += b->kind == T_EACH;
	vec_push(&p->open, b);
}

static void close_block(struct parser *p, const struct tnode *c)
{
	const struct tnode *b = innermost(p);

	p->open.v[--p->open.n] = NULL;
	p->loops -= b->kind == T_EACH;
	if (c->closes != b->kind) {
		diag_error(c->pos, TMPL_SYNTAX, "{{/%s}} does not match {{#%s}}", block_word(c->closes),
			   block_word(b->kind));
		diag_note(b->pos, "{{#%s}} opened here", block_word(b->kind));
	}
}

static void else_branch(struct parser *p, const struct tnode *e)
{
	struct tnode *b = innermost(p);

	if (!b || (b->kind != T_IF && b->kind != T_UNLESS)) {
		diag_error(e->pos, TMPL_SYNTAX, "stray {{else}}: not directly inside {{#if}} or {{#unless}}");
	} else if (b->else_tag) {
		diag_error(e->pos, TMPL_SYNTAX, "second {{else}} in {{#%s}}", block_word(b->kind));
		diag_note(b->else_tag->pos, "first {{else}} here");
	} else {
		b->else_tag = e;
	}
}

static void stray_close(const struct tnode *c)
{
	diag_error(c->pos, TMPL_SYNTAX, "stray {{/%s}}: no block is open", block_word(c->closes));
}
