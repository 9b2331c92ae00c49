/* analyze.h: the IA-64 family's analysis (analyze.c), the view of a spec its checks
 * (check.c) and its model (model.c) read: the stub convention, the getreg/setreg registers,
 * every patch body of every backend and every ASM macro, with what the instruction-level
 * analysis found in them. */
#ifndef PVOPSC_IA64_ANALYZE_H
#define PVOPSC_IA64_ANALYZE_H

#include "asm.h"
#include "macro.h"
#include "spec.h"

/* A name the spec writes, with where. */
struct ia64_named {
	const char *name; /* NULL: not a scalar */
	struct pos at;
};

/* The keys of a map of backend to something (get_code, set_code, expand), with places. */
struct ia64_keyset {
	bool given;             /* the map is there */
	struct pos at;          /* the map */
	struct ia64_named *keys;
	int n;
};

/* The arch's stub convention, from the spec. */
struct ia64_conv {
	const struct spec_arch *a;
	struct vec clobbers;    /* char *: call_clobbers, each register */
	char *clobbers_text;    /* call_clobbers as written: "r2, r3, r8-r11" (or "none") */
	struct pos clobbers_at; /* call_clobbers (the arch, without it) */
	const char *ret;        /* the result register (r8) */
	const char *args[8];    /* argument registers, in order */
	int nargs;
	char rbranch[IA64_REG_LEN]; /* the return branch register (b6) */
	struct ia64_named return_branch; /* as written; name NULL when not given */
	char gp_save[IA64_REG_LEN]; /* where the stub keeps the caller's gp across the branch */
	struct ia64_named gp_save_as; /* as written; name NULL when not given */
	int site_bundles;
	struct pos site_bundles_at; /* site_bundles (the arch, without it) */
	struct vec sensitive;       /* const char *: `sensitive`, the names */
};

/* The IA-64 keys of an op (of every op of the spec). */
struct ia64_op_keys {
	const struct spec_op *op;
	bool has_patch_type;           /* `patch_type` is given */
	bool patch_type_ok;            /* ... as an integer: patch_type */
	long long patch_type;
	struct pos patch_type_at;
	bool has_reg_param;            /* getreg/setreg: `reg_param` is given */
	const char *reg_param;         /* ... the parameter's name, when a scalar */
	struct pos reg_param_at;
	bool has_reg_arg_order;        /* `reg_arg_order` is given as a list */
	struct ia64_named *reg_arg_order;
	int nreg_arg_order;
	struct pos reg_arg_order_at;
	struct vec writes;             /* const char *: `writes` */
};

/* One of a backend's asm_aliases. */
struct ia64_alias {
	const char *name;  /* "NAME" or "NAME(params)" */
	struct pos at;
	const char *value; /* NULL: not a scalar */
};

/* The IA-64 keys of a backend (same index as s->backends). */
struct ia64_backend_keys {
	struct ia64_named *break_results;
	int nbreak_results;
	struct ia64_alias *aliases;
	int naliases;
};

struct ia64_register {
	const struct node *node;
	const char *name;        /* assembler name: "ar.k0" */
	struct pos name_at;
	char canon[IA64_REG_LEN];
	bool known;              /* an IA-64 register */
	const char *set_name;    /* name written: "psr.l" */
	bool has_set_name;       /* `set_name` is given (as a scalar) */
	struct pos set_name_at;
	char *cname;             /* "AR_KR0" */
	char *stem;              /* "ar_kr0" */
	long long number;
	bool has_number;
	bool has_number_key;     /* `number` is given, an integer or not */
	struct pos number_at;
	bool get, set;
	const struct node *get_code, *set_code;   /* backend -> body */
	struct ia64_keyset get_for, set_for;      /* the backends those maps name, with places */
	const struct node *get_traps, *set_traps; /* backend -> why its body may trap */
};

/* One patch body: what a backend inlines at a site of one type. */
struct ia64_body {
	const struct spec_op *op;
	const struct spec_backend *b;
	const struct ia64_register *reg; /* getreg/setreg: the register, else NULL */
	bool reads_reg;                  /* reg: the getreg side */
	const struct node *code;         /* the scalar */
	const struct node *traps;        /* why it may trap to the hypervisor, or NULL */
	struct ia64_text text;           /* rules have {reg} replaced */
	char *stem;                      /* symbol: "ia64_native_fc", "xen_get_cr_itm" */
	unsigned long long type;         /* patch type */
	bool is_inline;                  /* copied into sites (in the patch list) */
	bool inherited;                  /* b lists nothing for op: a copy of its fallback's body */
	struct ia64_seq seq;
	bool parsed;
	int bundles;
};

/* getreg or setreg of one backend: the out-of-line function comparing the number. */
struct ia64_dispatch {
	const struct spec_op *op;
	const struct spec_backend *b;
	char *symbol;
	bool reads_reg;
	const char *num_reg;            /* where the number arrives: r8 or r9 */
	struct vec bodies;              /* struct ia64_body *, in register order */
	char *fallback;                 /* the fallback backend's function, or NULL */
};

struct ia64_param {
	const char *name;
	enum { R_IN, R_OUT, R_PRED, R_CLOB, R_PRED_CLOB, R_CONST, R_BAD } role;
	const char *prefix;
	const struct node *node;
	bool has_role, has_prefix;  /* the keys are given */
	const char *role_word;      /* `role` as written (NULL: not a scalar) */
	struct pos role_at, prefix_at;
};

struct ia64_macro {
	const struct node *node;
	const char *name;
	struct pos name_at;
	struct ia64_param params[8];
	int nparams;
	const char *names[8];     /* parameter names, for ia64_macro_def */
	struct vec writes;        /* const char *: declared effects */
	const struct node *expand;
	struct ia64_keyset expand_for; /* the backends expand names */
};

/* One instantiation of a backend's expansion of a macro: each operand bound to a register
 * name (predicates to a truth), expanded and read once by the analysis. */
struct ia64_inst {
	const char *args[8];
	int truth[8];     /* pred params: 1 true, 0 false */
	bool plain;       /* no operand is r8 or r9: every register names one operand */
	char desc[160];   /* " (with \x=r8, \p=p0)", or "" when plain */
	enum ia64_expand_status status;
	char *why;        /* EXPAND_REFUSED: the .error's message */
	struct ia64_text text; /* EXPAND_OK: the text, with each byte's place in the scalar */
	struct ia64_seq seq;
	bool parsed;      /* EXPAND_OK and it reads as IA-64 code */
	/* reading errors at an operand the expansion substituted (a role misuse, not syntax) */
	struct ia64_misuse {
		size_t off;   /* in text */
		int param;
		char *msg;
	} *misuses;
	int nmisuses;
};

/* A backend's own expansion of a macro with every binding of its operands (analysis; none for
 * a macro with a parameter of unknown role). */
struct ia64_expansion_set {
	const struct ia64_macro *m;
	const struct spec_backend *b;
	const struct node *scalar;
	struct ia64_inst *insts;
	int ninsts;
};

struct ia64_view {
	const struct spec *s;
	struct ia64_conv conv;
	struct vec regs;     /* struct ia64_register * */
	struct vec bodies;   /* struct ia64_body *, by backend then table order */
	struct vec dispatch; /* struct ia64_dispatch * */
	struct vec macros;   /* struct ia64_macro * */
	struct vec breaks;   /* per backend (same index as s->backends): struct vec * of names */
	struct vec deprivileged; /* per backend (same index): non-NULL when it runs above PL 0 */
	struct ia64_backend_keys *backend_keys; /* per backend (same index) */
	struct vec expansions;        /* struct ia64_expansion_set *, by macro then backend */
	struct ia64_op_keys *op_keys; /* every op, sorted by op */
	int nop_keys;
};

/* Build the view for arch a (NULL: the first arch of the ia64 family). It reports the syntax
 * errors of bodies (check ia64-syntax) and of macro expansions (ia64-macro-syntax). */
struct ia64_view *ia64_view(const struct spec *s, const struct spec_arch *a);
void ia64_view_free(struct ia64_view *v);
/* The family's analysis stage (struct family): the view of arch a, and its free. */
void *ia64_analyze(const struct spec *s, const struct spec_arch *a);
void ia64_view_release(void *view);

const struct spec_arch *ia64_arch(const struct spec *s);
/* The IA-64 keys of op, of backend b. */
const struct ia64_op_keys *ia64_op_keys_of(const struct ia64_view *v, const struct spec_op *op);
const struct ia64_backend_keys *ia64_backend_keys_of(const struct ia64_view *v, const struct spec_backend *b);
bool ia64_returns(const struct spec_op *op);

/* The backend's break immediates that return a value in r8. */
const struct vec *ia64_breaks(const struct ia64_view *v, const struct spec_backend *b);

/* Does backend b run the kernel above privilege level 0 (`deprivileged: true`)? */
bool ia64_deprivileged(const struct ia64_view *v, const struct spec_backend *b);

/* The operand parameter k of m gets in a "plain" use: a general register or predicate of its
 * own (never r8 or r9, which the Xen forms test for), or the constant 6 (a const operand). */
const char *ia64_plain_operand(const struct ia64_macro *m, int k);

/* What a body is, for messages: "native fc", "xen getreg(cr.itm)". */
char *ia64_body_name(const struct ia64_body *b);
/* The place in the scalar of byte off of a text made from it. */
size_t ia64_text_origin(const struct ia64_text *t, size_t off);

/* The assembler macro that implements an ASM macro: "__pv_MOV_TO_KR" (gas macro names
 * ignore case, so they must not be mnemonics: COVER would be cover). */
char *ia64_gas_name(const char *macro);
/* The expansion of m for backend b, through its fallbacks (NULL when none gives one); the
 * expansion b itself gives (NULL when it inherits or has none). */
const struct node *ia64_expansion(const struct ia64_macro *m, const struct spec_backend *b);
const struct node *ia64_own_expansion(const struct ia64_macro *m, const struct spec_backend *b);

#endif
