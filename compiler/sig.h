/* sig.h: C signatures embedded in the spec, `RET (PARAMS)` (lexer sig.l, grammar sig.y). */
#ifndef PVOPSC_SIG_H
#define PVOPSC_SIG_H

#include <stdbool.h>

#include "diag.h"
#include "node.h"

enum ctype_class {
	CT_VOID,    /* void, not a pointer */
	CT_INT,     /* built-in integer types (char .. long long, u8 .. s64, _Bool, size_t ...) */
	CT_PTR,     /* any pointer */
	CT_DECLARED /* a type from the spec's `types:` section, by value */
};

struct ctype {
	enum ctype_class cls;
	char *base;      /* canonical base spelling: "unsigned long", "u64", "struct desc_ptr", "pte_t" */
	int ptr;         /* pointer depth */
	bool is_const;   /* const on the base type */
	bool is_unsigned;/* CT_INT only */
	int int_bits;    /* CT_INT only: fixed width, or -1 for long / unsigned long (word-sized) */
	char *spelling;  /* canonical C spelling, "const struct desc_ptr *" */
	struct pos pos;  /* where the type starts in the YAML */
	size_t off;      /* the same as a byte offset in the scalar's value */
};

struct cparam {
	struct ctype type;
	char *name; /* NULL when unnamed */
	struct pos pos;
	struct pos name_pos; /* where the name is written (name != NULL) */
	size_t name_off;     /* the same as a byte offset in the scalar's value */
};

struct csig {
	struct ctype ret;
	struct cparam *params;
	int nparams; /* 0 for "(void)" and "()" */
	struct pos pos;
};

/* Is `name` a type declared in the spec? (a callback so the grammar stays spec-agnostic)
 * A struct passed by value is asked for as "struct NAME"; by pointer it needs no declaration. */
typedef bool (*sig_is_type_fn)(const char *name, void *ctx);

/* Parse the scalar `sig`; on error report through diag with the exact character inside the
 * scalar (check names: signature-syntax, signature-unknown-type) and return false. */
bool sig_parse(const struct node *sig, sig_is_type_fn is_type, void *ctx, struct csig *out);
void sig_free(struct csig *s);

/* Signatures parsed by text: a spec has many ops and few distinct signatures. sig_parse_memo
 * parses a text once (with the same is_type and ctx every call) and hands out copies placed on
 * each node; a text that fails is parsed again, so every node's errors are reported. */
struct sig_memo;
bool sig_parse_memo(struct sig_memo **memo, const struct node *sig, sig_is_type_fn is_type, void *ctx,
		    struct csig *out);
void sig_memo_free(struct sig_memo *memo);

/* "unsigned long (unsigned int msr, int *err)" back from the tree (canonical spelling). */
char *sig_to_string(const struct csig *s);

#endif
