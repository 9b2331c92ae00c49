/* macro.h: instantiate an ASM macro expansion for given operands, as the GNU assembler
 * would: `\param` substitution, the conditionals .ifc/.ifnc/.else/.endif, .exitm, .error, and
 * invocations of other macros (or the macro itself) by name. The result is plain assembler
 * text that ia64_parse reads, with, for every byte, where it came from in the spec scalar. */
#ifndef PVOPSC_IA64_MACRO_H
#define PVOPSC_IA64_MACRO_H

#include <stdbool.h>
#include <stddef.h>

#include "asm.h"
#include "util.h"

/* Text with the source offset of each byte. */
struct ia64_text {
	struct buf buf;
	size_t *src;
	size_t cap;
};

void ia64_text_add(struct ia64_text *t, const char *s, size_t n, const size_t *src, size_t at);
void ia64_text_free(struct ia64_text *t);

struct ia64_macro_def {
	const char *name;
	const char *const *params;
	int nparams;
	const char *body;
};

/* Another macro of the same backend, by name (NULL when there is none). */
typedef const struct ia64_macro_def *(*ia64_macro_find)(void *ctx, const char *name, size_t n);

enum ia64_expand_status {
	EXPAND_OK,
	EXPAND_REFUSED, /* an .error was reached: the macro does not take these operands */
	EXPAND_ERROR    /* the expansion is malformed (reported through err) */
};

/* Expand m with args (one per parameter). Offsets in errors and in out->src are offsets in
 * m->body; what an invoked macro produces maps to the invoking line. On EXPAND_REFUSED,
 * *why (if not NULL) gets the .error message (free it). */
enum ia64_expand_status ia64_expand(const struct ia64_macro_def *m, const char *const *args,
				    ia64_macro_find find, void *fctx, struct ia64_text *out,
				    ia64_err_fn err, void *ectx, char **why);

/* The first word of a statement line, if it invokes a macro: its offset and length. */
bool ia64_macro_call(const char *line, size_t n, size_t *off, size_t *len);

#endif
