/* asm.h: the IA-64 instructions pvopsc reads in patch bodies and macro expansions.
 *
 * The parser knows the instruction forms those sequences use (integer, memory, system and
 * branch instructions; no floating point): for each it finds the unit type, the bundling
 * flags the assembler applies, the registers it writes and reads, and its branch target.
 * The bundler replays the GNU assembler's packing of explicit-mode code (templates, stops,
 * labels) so the compiler knows how many bundles a body takes before anything assembles it. */
#ifndef PVOPSC_IA64_INSN_H
#define PVOPSC_IA64_INSN_H

#include <stdbool.h>
#include <stddef.h>

/* Instruction types, in the assembler's order (its best-template table is indexed by them). */
enum ia64_type { T_NIL, T_A, T_I, T_M, T_B, T_F, T_X, T_DYN, T_COUNT };

enum {
	IF_FIRST = 1,  /* must start an instruction group: the assembler puts a stop before it */
	IF_LAST = 2,   /* must end an instruction group: a stop follows it */
	IF_NOPRED = 4, /* cannot be predicated */
};

#define IA64_REG_LEN 16
#define IA64_MAX_REGS 24

/* A register, canonical spelling: r8, p6, b6, ar.ccv, ar.k3, cr.ifa, psr, psr.um, rr, pr. */
struct ia64_reg {
	char name[IA64_REG_LEN];
	size_t off; /* where it is written in the source text */
};

struct ia64_regs {
	struct ia64_reg r[IA64_MAX_REGS];
	int n;
};

struct ia64_insn {
	size_t off, len;    /* the statement in the source text */
	char mnem[32];      /* "cmp.ne.unc" */
	char qp[8];         /* qualifying predicate, "" when none */
	enum ia64_type type;
	unsigned flags;
	bool stop;          /* an instruction-group stop follows */
	bool label;         /* a label precedes it: it starts a bundle */
	bool branch;        /* br / brl */
	bool is_alloc;
	bool privileged;    /* faults (Privileged Operation) above privilege level 0 */
	char target[48];    /* branch target: "b6", a label ("1f", "loop"), or "" */
	size_t target_off;
	bool mov_copy;      /* a plain register copy "mov A = B" (for save/restore tracking) */
	char copy_src[IA64_REG_LEN]; /* mov_copy: B */
	char imm[48];       /* the last source operand when it is an immediate ("break N") */
	struct ia64_regs writes, reads;
	size_t stacked_off; /* first use of r32-r127 / in, loc, out; (size_t)-1 when none */
};

struct ia64_seq {
	struct ia64_insn *v;
	int n, cap;
	char (*labels)[48]; /* labels defined in the text (numeric ones as "1") */
	int nlabels, labcap;
	bool serialize_data; /* .serialize.data seen (a data-serialization hint) */
};

/* Syntax errors go through this callback with the byte offset in the source text. */
typedef void (*ia64_err_fn)(void *ctx, size_t off, const char *msg);

/* Parse assembler text (one statement per line or ';'-separated, ";;" stops, "//" comments,
 * labels, tags, and the directives that do not emit code). Returns false after reporting. */
bool ia64_parse(const char *text, struct ia64_seq *out, ia64_err_fn err, void *ctx);
void ia64_seq_free(struct ia64_seq *s);

/* How many bundles the GNU assembler makes of the sequence when it is assembled on its own
 * (after an alignment, in explicit mode), as it does for every body between its labels. */
int ia64_bundles(const struct ia64_seq *s);
/* The same, spelling each bundle into sig as its slot units with the stops the assembler
 * puts ("MI;;I M;;MI;; MLX"), for comparison with a disassembly. */
struct buf;
int ia64_bundle_sig(const struct ia64_seq *s, struct buf *sig);

/* Is m an instruction mnemonic the parser knows ("itc.i", "fc"; not "cpuid")? */
bool ia64_is_mnemonic(const char *m);

/* Canonical name of a register operand, or false if `s` (length n) is not one. */
bool ia64_reg_canon(const char *s, size_t n, char *out);
/* Does the instruction behave differently, or fault, when the kernel runs deprivileged: a
 * privileged instruction, or one of the unprivileged but sensitive ones (thash, ttag, fc,
 * cover, and reads of cpuid, pmd, ar.itc, ar.eflag)? */
bool ia64_sensitive(const struct ia64_insn *in);
/* Is the canonical register one no instruction may write (ip, ar.bsp, cr.ivr, cr.irr0-3)? */
bool ia64_reg_read_only(const char *canon);
/* General register number of a canonical name "rN", or -1. */
int ia64_gr_num(const char *canon);
/* Is the canonical register in the list (ranges like "r14-r17", "p6-p15" allowed)? */
bool ia64_reg_in(const char *canon, const char *const *list, int n);

#endif
