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

/* False (nothing reported) when the arch's lists name registers that are not the arch's;
 * check x86-convention reports those. */
bool x86_conv_of(const struct spec_arch *a, struct x86_conv *c);
/* Register set of a list, skipping unknown names. */
unsigned x86_regset(const struct reglist *l, int bits);
/* Patch-record clobber mask of a register set (registers without a bit are dropped). */
unsigned x86_mask_of(const struct x86_conv *c, unsigned set);

/* The effective kind of op on arch a (the op's `kinds` entry for a, else its kind). */
enum op_kind x86_kind(const struct spec_op *op, const struct spec_arch *a);
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
/* Words of a type on an arch (0 for void or an unknown size). */
int x86_type_words(const struct spec *s, const struct ctype *t, const struct spec_arch *a);
void x86_bind(const struct spec *s, const struct spec_op *op, const struct x86_conv *c, struct x86_binding *b);

/* The registers a declared `clobbers` entry names for arch a; false if it declares none.
 * Parsing reports syntax errors: call it once per op and arch. */
bool x86_declared_clobbers(const struct spec_op *op, const struct spec_arch *a, struct reglist *l);
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
};

/* A backend's sequence for the arch, assembled once (analysis). */
struct x86_impl_code {
	const struct node *node; /* the YAML scalar */
	bool ok;                 /* it assembled; code is valid */
	struct x86_code code;
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

enum x86_site { SITE_C, SITE_ASM }; /* a site in C (inline asm) or in a .S file */

/* The instruction that reaches the op: "call *pv_cpu_ops+96(%rip)" (an i386 .S site goes
 * through %cs), and the site's length: that instruction's, plus the op's padding. */
char *x86_site_insn(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where);
/* The same with the slot's offset named (PV_OFFSET_<op>) for the assembler to resolve. */
char *x86_site_insn_named(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where);
int x86_site_len(const struct x86_arch *x, const struct x86_opinfo *in, enum x86_site where);
int x86_site_bytes(const struct x86_arch *x, const struct spec_op *op); /* declared, or 0 */
/* The padding that makes in's site (a call of `call` bytes) site_bytes long. */
int x86_site_pad(const struct x86_arch *x, const struct x86_opinfo *in, int call);

/* An implementation's `stack` on a: the bytes it takes off its caller's stack (0 when it
 * says nothing), and the node that says it (NULL: none). */
int x86_impl_stack(const struct spec_impl *impl, const struct spec_arch *a, const struct node **where);

/* ---- sequences (analyze.c) ---- */

/* Assemble backend code given for arch a (a YAML scalar); errors are reported (check
 * x86-code) at the character; operands may name the spec's constants. */
bool x86_assemble_code(const struct spec *s, const struct node *code, const struct spec_arch *a,
		       struct x86_code *out);

/* ---- .S macros ---- */

/* Is this asm macro an x86 one on arch a? It names a, or names no arches but an op. */
bool x86_macro_on(const struct node *mac, const struct spec_arch *a);
/* Its `clobbers` for a (a list for every arch, or a map of arch to list); NULL: none. */
const struct node *x86_macro_clobbers(const struct node *mac, const struct spec_arch *a);
/* The name of its `clob` parameter (the caller passes the site's clobbers), or NULL. */
const char *x86_macro_clob_param(const struct node *mac);
/* Its `sequence`: the backend whose sequence for the op the site holds (no call), or NULL. */
const char *x86_macro_sequence(const struct node *mac);

#endif
