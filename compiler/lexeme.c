/* lexeme.c: identifiers, comment text, C types and expressions as the spec may write them. */
#include "lexeme.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

static bool ident_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

const char *lex_char(const char *s)
{
	static char out[8];
	unsigned char c = (unsigned char)*s;

	if (c == '\n')
		return "\\n";
	if (c == '\t')
		return "\\t";
	if (c == '\r')
		return "\\r";
	if (c < 0x20 || c >= 0x7f)
		snprintf(out, sizeof(out), "\\x%02x", c);
	else
		snprintf(out, sizeof(out), "'%c'", c);
	return out;
}

const char *lex_what(enum lexeme rule)
{
	switch (rule) {
	case LEX_IDENT: return "an identifier ([A-Za-z_][A-Za-z0-9_]*)";
	case LEX_PREFIX: return "empty or an identifier";
	case LEX_SUFFIX: return "letters, digits and '_'";
	case LEX_COMMENT: return "comment text";
	case LEX_CTYPE: return "a C type";
	case LEX_EXPR: return "an expression";
	case LEX_C_EXPR: return "a C expression";
	default: return "text";
	}
}

static size_t ident(const char *s, const char **why)
{
	if (!s[0]) {
		*why = "it is empty";
		return 0;
	}
	if (!ident_start(s[0])) {
		*why = "it may not start with this character";
		return 0;
	}
	for (size_t i = 1; s[i]; i++)
		if (!ident_char(s[i])) {
			*why = "this character may not appear in it";
			return i;
		}
	return LEX_OK;
}

static size_t comment(const char *s, const char **why)
{
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			*why = "a control character may not appear in a comment";
			return i;
		}
		if ((s[i] == '*' && s[i + 1] == '/') || (s[i] == '/' && s[i + 1] == '*')) {
			*why = "a comment delimiter would end or nest the generated comment";
			return i;
		}
		if (s[i] == '/' && s[i + 1] == '/') {
			*why = "'//' would start a comment in assembler output";
			return i;
		}
	}
	return LEX_OK;
}

char *lex_comment_line(const char *s)
{
	struct buf b = {0};
	bool space = false;

	buf_puts(&b, "");
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, *s);
	}
	return buf_steal(&b);
}

/* --- expressions: a recursive-descent recognizer over tokens --- */

enum tok { T_END, T_NUM, T_NAME, T_STR, T_OP, T_LPAREN, T_RPAREN, T_QUEST, T_COLON, T_STAR, T_BAD };

struct lexer {
	const char *s;
	size_t pos, start; /* current token: [start, pos) */
	enum tok tok;
	bool c;            /* casts and string literals allowed */
	bool string;       /* a string literal was seen */
	const char *why;
	size_t bad;
};

static const char *const binops[] = {"<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+", "-", "/",
				     "%", "&", "|", "^", "<", ">", NULL};

static void next(struct lexer *l)
{
	const char *s = l->s;

	while (s[l->pos] == ' ' || s[l->pos] == '\t')
		l->pos++;
	l->start = l->pos;
	char c = s[l->pos];
	if (!c) {
		l->tok = T_END;
	} else if (isdigit((unsigned char)c)) {
		size_t i = l->pos;
		bool hex = c == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
		i += hex ? 2 : 0;
		while (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))
			i++;
		while (s[i] == 'u' || s[i] == 'U' || s[i] == 'l' || s[i] == 'L')
			i++;
		l->tok = ident_char(s[i]) || (hex && i == l->pos + 2) ? T_BAD : T_NUM;
		l->pos = i;
		if (l->tok == T_BAD)
			l->why = "not a number";
	} else if (ident_start(c)) {
		while (ident_char(s[l->pos]))
			l->pos++;
		l->tok = T_NAME;
	} else if (c == '"' && l->c) {
		size_t i = l->pos + 1;
		while (s[i] && s[i] != '"') {
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				break;
			i += s[i] == '\\' && s[i + 1] ? 2 : 1;
		}
		if (s[i] != '"') {
			l->tok = T_BAD;
			l->start = i;
			l->why = s[i] ? "a control character may not appear in a string literal"
				      : "the string literal does not end";
			return;
		}
		l->pos = i + 1;
		l->tok = T_STR;
		l->string = true;
	} else if (c == '(' || c == ')' || c == '?' || c == ':' || c == '*' || c == '~' || c == '!') {
		l->pos++;
		l->tok = c == '(' ? T_LPAREN : c == ')' ? T_RPAREN : c == '?' ? T_QUEST : c == ':' ? T_COLON
			: c == '*' ? T_STAR : T_OP;
	} else {
		for (const char *const *op = binops; *op; op++)
			if (strncmp(s + l->pos, *op, strlen(*op)) == 0) {
				l->pos += strlen(*op);
				l->tok = T_OP;
				return;
			}
		l->tok = T_BAD;
		l->why = "this character may not appear in an expression";
	}
}

static bool fail(struct lexer *l, const char *why)
{
	if (l->bad == LEX_OK) {
		l->bad = l->start;
		l->why = l->tok == T_BAD ? l->why : why;
	}
	return false;
}

static bool expr(struct lexer *l);

static bool is_unary_op(const struct lexer *l)
{
	char c = l->s[l->start];
	return l->tok == T_STAR || (l->tok == T_OP && l->pos - l->start == 1 &&
				    (c == '-' || c == '+' || c == '~' || c == '!' || c == '&'));
}

/* After '(': a C type "words [*...]" then ')'; on success the lexer stands after ')'. */
static bool try_cast(struct lexer *l)
{
	struct lexer save = *l;
	int words = 0;

	while (l->tok == T_NAME) {
		words++;
		next(l);
	}
	while (words && l->tok == T_STAR)
		next(l);
	if (words && l->tok == T_RPAREN) {
		next(l);
		if (l->tok == T_NUM || l->tok == T_NAME || l->tok == T_LPAREN || is_unary_op(l))
			return true;
	}
	*l = save;
	return false;
}

static bool unary(struct lexer *l)
{
	if (is_unary_op(l)) {
		next(l);
		return unary(l);
	}
	switch (l->tok) {
	case T_NUM:
	case T_NAME:
		next(l);
		return true;
	case T_STR:
		while (l->tok == T_STR)
			next(l);
		return true;
	case T_LPAREN:
		next(l);
		if (l->c && try_cast(l))
			return unary(l);
		if (!expr(l))
			return false;
		if (l->tok != T_RPAREN)
			return fail(l, "expected ')'");
		next(l);
		return true;
	default:
		return fail(l, l->tok == T_END ? "the expression ends too soon" : "expected a number, a name or '('");
	}
}

static bool expr(struct lexer *l)
{
	if (!unary(l))
		return false;
	while (l->tok == T_OP || l->tok == T_STAR) {
		char c = l->s[l->start];
		if (l->tok == T_OP && l->pos - l->start == 1 && (c == '~' || c == '!'))
			return fail(l, "expected an operator between operands");
		next(l);
		if (!unary(l))
			return false;
	}
	if (l->tok == T_QUEST) {
		next(l);
		if (!expr(l))
			return false;
		if (l->tok != T_COLON)
			return fail(l, "expected ':'");
		next(l);
		return expr(l);
	}
	return true;
}

static size_t expression(const char *s, bool c, const char **why, bool *string)
{
	struct lexer l = {s, 0, 0, T_END, c, false, NULL, LEX_OK};

	next(&l);
	if (expr(&l) && l.tok != T_END)
		fail(&l, "expected an operator or the end of the expression");
	*why = l.why;
	if (string)
		*string = l.string;
	return l.bad;
}

static size_t ctype(const char *s, const char **why)
{
	size_t i = 0;
	int words = 0;

	for (;;) {
		while (s[i] == ' ')
			i++;
		if (ident_start(s[i])) {
			if (words < 0)
				break;
			words++;
			while (ident_char(s[i]))
				i++;
		} else if (s[i] == '*' && words) {
			words = -1; /* only stars (and const) after the first star */
			i++;
		} else {
			break;
		}
	}
	if (s[i] || !words) {
		*why = s[i] ? "a C type is words and '*'" : "it is empty";
		return i;
	}
	return LEX_OK;
}

size_t lex_check(enum lexeme rule, const char *s, const char **why)
{
	const char *dummy;

	why = why ? why : &dummy;
	*why = NULL;
	switch (rule) {
	case LEX_IDENT: return ident(s, why);
	case LEX_PREFIX: return s[0] ? ident(s, why) : LEX_OK;
	case LEX_SUFFIX:
		for (size_t i = 0; s[i]; i++)
			if (!ident_char(s[i])) {
				*why = "this character may not appear in it";
				return i;
			}
		*why = "it is empty";
		return s[0] ? LEX_OK : 0;
	case LEX_COMMENT: return comment(s, why);
	case LEX_CTYPE: return ctype(s, why);
	case LEX_EXPR: return expression(s, false, why, NULL);
	case LEX_C_EXPR: return expression(s, true, why, NULL);
	default: return LEX_OK;
	}
}

bool lex_has_string(const char *s)
{
	const char *why;
	bool string = false;

	return expression(s, true, &why, &string) == LEX_OK && string;
}
