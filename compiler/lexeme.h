/* lexeme.h: the only shapes of text a spec may put into generated code, so that no name, value
 * or comment can break out of the place a template gives it. Each test returns the byte
 * offset of the first character that breaks the rule (LEX_OK when none does) and, through
 * *why, what is wrong there. */
#ifndef PVOPSC_LEXEME_H
#define PVOPSC_LEXEME_H

#include <stdbool.h>
#include <stddef.h>

#define LEX_OK ((size_t)-1)

enum lexeme {
	LEX_TEXT,       /* anything: read by the compiler, never pasted (code, references) */
	LEX_IDENT,      /* a C and assembler identifier: [A-Za-z_][A-Za-z0-9_]* */
	LEX_PREFIX,     /* what is pasted before an identifier: empty or an identifier */
	LEX_SUFFIX,     /* what is pasted after one: [A-Za-z0-9_]+ */
	LEX_COMMENT,    /* text inside a C comment: no comment delimiters, no control characters */
	LEX_CTYPE,      /* a C type: words and '*' (const char *) */
	LEX_EXPR,       /* an expression for C and the assembler: numbers, names, operators, () */
	LEX_C_EXPR      /* a C initializer: LEX_EXPR plus casts and string literals */
};

/* Check s against the rule; *why (if given) says what is wrong at the returned offset. */
size_t lex_check(enum lexeme rule, const char *s, const char **why);
/* For an expression that passed LEX_C_EXPR: does it hold a string literal? */
bool lex_has_string(const char *s);
/* The rule's name in messages ("an identifier"). */
const char *lex_what(enum lexeme rule);
/* The character at s as a message shows it: 'x', or \n, \x1b. Static buffer. */
const char *lex_char(const char *s);
/* Comment text on one line: every run of white space (newlines included) becomes one space. */
char *lex_comment_line(const char *s);

#endif
