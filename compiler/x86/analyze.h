/* analyze.h: the x86 family's analysis (analyze.c): an arch's calling convention as the
 * compiler uses it, what follows from it for every op, every backend sequence assembled once,
 * and the x86 reading of the .S macros. The checks (check.c) and the model (model.c) read
 * this view. */
#ifndef PVOPSC_X86_ANALYZE_H
#define PVOPSC_X86_ANALYZE_H

#include <stdbool.h>

#include "asm.h"
#include "spec.h"

/* ---- the convention (analyze.c) ---- */

/* The register sets of one arch, as general-register bit sets. */
struct x86_conv {
	const struct spec_arch *a;
	int bits;
	unsigned args[8];  /* argument registers, in order */
	int nargs;
	int stack_args;
	unsigned ret[2];   /* return registers, low word first */
	int nret;
	unsigned call;     /* what a normal call may modify */
	unsigned callee;   /* what a callee-save call may modify */
	int mask_reg[16];  /* clobber-mask bit -> register number */
	int nmask;
};

/* Register set of a list, skipping unknown names. */
unsigned x86_regset(const struct reglist *l, int bits);
/* Patch-record clobber mask of a register set (registers without a bit are dropped). */
unsigned x86_mask_of(const struct x86_conv *c, unsigned set);

bool x86_is_site(enum op_kind k); /* patchable, callee_save or jump */

/* How a value of a C type travels: in `words` machine words (0 = void). */
struct x86_word {
	int reg;   /* register number, or -1 on the stack */
	int param; /* the parameter it belongs to */
	int part;  /* 0 = low word, 1 = high word */
};
struct x86_binding {
	struct x86_word w[8];
	int nwords;
	int nstack;
	int ret_words;
	const char *error; /* why the signature cannot be bound (static text), or NULL */
	int error_param;   /* the parameter it is about, -1 for the return */
};

const char *x86_kind_word(enum op_kind k);
/* Does a table (or group) hold a function op on arch a? */
bool x86_table_has_funcs(const struct vec *ops, const struct spec_arch *a);

/* ---- what follows for every op of an arch (analyze.c) ---- */

struct x86_opinfo {
	const struct spec_op *op;
	enum op_kind kind;  /* on this arch */
	int type;           /* patch type number (the slot's index), -1 for fields and groups */
	int offset;         /* byte offset of the slot in its table */
	unsigned clobbers;  /* registers its site lets the callee modify */
	bool declared;      /* ... as the spec's `clobbers` says, not the kind's default */
	struct reglist regs; /* the declared ones, with their places */
	struct x86_binding bind;
	int pad;            /* NOP bytes after the call, to reach the op's site_bytes */
	int site;           /* length of its site in C, padding included */
	struct pos name_at, type_at, struct_at; /* its keys' places, for messages */
	struct pos clobbers_at; /* its `clobbers` for the arch (the map, or the op, without one) */
};

/* A backend's sequence for the arch, assembled once (analysis). */
struct x86_impl_code {
	const struct node *node;        /* the YAML scalar */
	const struct spec_backend *b;   /* the backend that gives it */
	const struct spec_impl *impl;   /* ... in this entry */
	bool ok;                        /* it assembled; code is valid */
	struct x86_code code;
};

/* ---- the family's own keys, typed once (analyze.c); only the analysis reads their nodes ---- */

/* One entry of an op's map of arch to value (`kinds`, `site_bytes`), as written. */
struct x86_arch_entry {
	const char *arch;  /* the key */
	struct pos arch_at;
	const char *word;  /* the value when it is a scalar, else NULL */
	struct pos at;     /* the value */
	long long number;  /* the value as an integer, when is_number */
	bool is_number;
};

/* The x86 keys of an op (of every op that has one, on any arch). */
struct x86_op_keys {
	const struct spec_op *op;
	struct x86_arch_entry *kinds, *site_bytes;
	int nkinds, nsite_bytes;
};

/* The x86 keys of a backend's implementation (of every one that has one). */
struct x86_impl_keys {
	const struct spec_impl *impl;
	const char *unless_feature; /* the CPU feature that keeps the call, or NULL */
	struct pos unless_feature_at;
	const char *fixup;          /* on the view's arch: where a fault continues, or NULL */
	bool has_stack;             /* `stack` says something for the view's arch */
	int stack;                  /* ... the bytes it takes off its caller's stack (0: not a number
				     * from -255 to 255) */
	struct pos stack_at;
	struct pos nop_at;          /* its `nop` */
};

/* An asm macro as the x86 family reads it (every macro of the spec, on any arch). */
struct x86_macro {
	struct pos at;           /* the macro */
	const char *name;        /* "?" when it has none */
	struct pos name_at;
	bool has_name;
	bool has_op;             /* it has `op` */
	const char *op;          /* the op its site calls, when a name; else NULL */
	struct pos op_at;
	bool any_arch;           /* no `arches`: it is x86's where it names an op */
	struct vec arches;       /* const char *: the arches it names */
	const char *clob_param;  /* its `clob` parameter, or NULL */
	struct pos params_at;
	struct x86_macro_param {
		const char *role; /* NULL: none given */
		struct pos at;    /* the role, or the parameter without one */
	} *params;
	int nparams;
	const char *sequence;    /* the backend whose sequence for the op the site holds (no call), or NULL */
	struct pos sequence_at;
	bool expand;             /* it has `expand` (IA-64's) */
	struct pos expand_at;
	bool has_clobbers;
	struct pos clobbers_at;
	bool clobbers_per_arch;  /* `clobbers` is a map of arch to list */
	struct x86_arch_entry *clobber_arches; /* its keys, when a map */
	int nclobber_arches;
	bool has_arch_clobbers;  /* a list for the view's arch (shared or its own) */
	struct pos arch_clobbers_at;
	struct reglist clobbers; /* that list, parsed (errors reported once, by the analysis) */
	const struct node *doc;
};

/* A `departs`: where the output knowingly differs from Linux 2.6.30's, and why. */
struct x86_departure {
	char *where;            /* "op `pv_cpu_ops.iret`", "xen's `pv_cpu_ops.swapgs`" */
	const char *what, *why; /* "" when not given */
	const char *test;       /* what holds it, or "" */
};

/* The family's view of one arch: what its checks and its model read. */
struct x86_arch {
	const struct spec *s;
	const struct spec_arch *a;
	struct x86_conv conv;
	bool conv_ok;            /* every register of the convention is the arch's */
	struct x86_opinfo *ops;  /* every op on the arch (groups and fields too), in spec order */
	int nops, nslots;
	int *index;              /* ops sorted by op, for x86_info */
	int *by_qname;           /* ops sorted by qname, for x86_info_named */
	struct x86_impl_code *codes; /* every backend sequence of the arch, sorted by node */
	int ncodes;
	struct x86_arch_places {     /* where the arch's lists are, for messages */
		struct pos arg_regs, ret_regs, stack_args, call_clobbers, callee_save_clobbers, clobber_mask;
	} at;
	const char *percpu_segment;  /* `percpu_segment`, or NULL */
	struct pos percpu_segment_at;
	bool no_ret_regs;            /* `ret_regs` is an empty list */
	struct x86_op_keys *op_keys; /* sorted by op */
	int nop_keys;
	struct x86_impl_keys *impl_keys; /* sorted by impl */
	int nimpl_keys;
	struct x86_macro *macros;    /* in spec order */
	int nmacros;
	struct x86_departure *departures; /* of what exists on the arch, in spec order: the arch, its
					   * tables and ops, its backends and their implementations,
					   * its macros */
	int ndepartures;
};

/* Parses each op's declared clobbers for the arch, which reports their syntax errors. */
void x86_arch_build(struct x86_arch *x, const struct spec *s, const struct spec_arch *a);
const struct x86_opinfo *x86_info(const struct x86_arch *x, const struct spec_op *op);
const struct x86_opinfo *x86_info_named(const struct x86_arch *x, const char *qname);
void x86_arch_free(struct x86_arch *x);

/* The family's analysis (struct family): x86_arch_build, then every backend sequence given
 * for an op of the arch assembled (check x86-code reports what does not). NULL for an arch
 * whose word_bits is not 32 or 64 (check word-bits says so). */
void *x86_analyze(const struct spec *s, const struct spec_arch *a);
void x86_view_free(void *view);
/* The sequence of a code scalar, assembled by the analysis; NULL if it did not assemble or
 * is not the arch's. */
const struct x86_code *x86_code_of(const struct x86_arch *x, const struct node *code);
/* x86_code_of an implementation's code on the arch; NULL for a NULL impl. */
const struct x86_code *x86_impl_code_of(const struct x86_arch *x, const struct spec_impl *impl);

enum x86_site { SITE_C, SITE_ASM }; /* a site in C (inline asm) or in a .S file */

/* The instruction that reaches the op, with the slot's offset named (PV_OFFSET_<op>) for the
 * assembler to resolve: "call *pv_cpu_ops+PV_OFFSET_pv_cpu_ops_swapgs(%rip)" (an i386 .S site
 * goes through %cs); and the site's length: that instruction's, plus the op's padding. */
char *x86_site_insn_named(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where);
int x86_site_len(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where);

/* An implementation's `stack` on the view's arch: the bytes it takes off its caller's stack
 * (0 when it says nothing). */
int x86_impl_stack(const struct x86_arch *x, const struct spec_impl *impl);

/* ---- the family's keys (analyze.c) ---- */

/* The x86 keys of impl, or NULL when it has none. */
const struct x86_impl_keys *x86_impl_keys_of(const struct x86_arch *x, const struct spec_impl *impl);

/* Is this asm macro an x86 one on arch a? It names a, or names no arches but an op. */
bool x86_macro_on(const struct x86_macro *m, const struct spec_arch *a);

#endif
