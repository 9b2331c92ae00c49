/* spec.h: the typed specification, built from the validated node tree (spec.c).
 *
 * Every record keeps the node it came from, so a check that runs long after loading still
 * points at the right line and column. Everything common is typed here; the keys a family
 * adds to the schema (struct family's `keys`) stay reachable through `node`, and only that
 * family's analysis reads them. */
#ifndef PVOPSC_SPEC_H
#define PVOPSC_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "node.h"
#include "regs.h"
#include "sig.h"

#define MAX_ARCHES 32
typedef uint32_t archset; /* bit i = spec->arches[i] */

struct spec_arch {
	const struct node *node;
	int index;
	char *name;            /* "x86_64" */
	char *family;          /* "x86", "ia64": picks the compiler's arch code */
	int word_bits;
	struct reglist arg_regs;      /* in argument order */
	int stack_args;               /* arguments after the registers that go on the stack */
	struct reglist ret_regs;      /* low word first */
	struct reglist call_clobbers; /* what a normal pv call may modify, return registers included */
	struct reglist callee_save_clobbers; /* what a callee-save call may modify */
	struct reglist clobber_mask;  /* bit i of a patch record's clobber mask = register i */
	struct vec features;          /* char *: conditions ops may require */
};

/* One term of a build condition (`config:`), as the preprocessor line that opens its block
 * ("#ifdef CONFIG_SMP", "#if CONFIG_PGTABLE_LEVELS >= 5") and the same condition as an
 * expression for the comment at its #endif. A condition is a list of them, all required. */
struct spec_cond {
	char *open;
	char *expr;
};

struct spec_type {
	const struct node *node;
	char *name;
	char *kind;           /* "int", "struct", "pointer" */
	char *raw;            /* struct: the integer type of its value, or NULL */
	char *get, *make;     /* struct: reads the raw value / makes one from it, or NULL */
	int bits[MAX_ARCHES]; /* per arch index; 0 = unknown on that arch */
};

enum op_kind {
	OP_CALL,        /* plain indirect call through the table */
	OP_PATCHABLE,   /* patchable call site (x86 .parainstructions, IA-64 stub) */
	OP_CALLEE_SAVE, /* patchable, callee-save convention */
	OP_JUMP,        /* reached by a jump (iret, sysret), never called */
	OP_FIELD,       /* a data member, not a function */
	OP_GROUP        /* a nested struct of ops (pv_lazy_ops lazy_mode) */
};

/* The words of the kinds, by enum op_kind, NULL-terminated; op_written_kinds: those a spec
 * may write (`kind:`, `kinds:`), OP_CALL .. OP_JUMP. */
extern const char *const op_kind_words[], *const op_written_kinds[];
/* The kind a word names (of those a spec may write), or -1. */
int spec_kind_of_word(const char *word);

struct spec_table;

struct spec_op {
	const struct node *node;
	const struct node *doc; /* its doc scalar, or NULL */
	char *name;             /* "enter" */
	char *qname;            /* "pv_cpu_ops.lazy_mode.enter" */
	struct spec_table *table;
	struct spec_op *group;  /* the enclosing OP_GROUP, or NULL */
	enum op_kind kind;
	struct csig sig;        /* functions */
	bool has_sig;
	char *field_type;       /* OP_FIELD: the member's C type */
	char *struct_name;      /* OP_GROUP: "pv_lazy_ops" */
	char *wrapper;          /* wrapper function name (default: the op name) */
	struct csig wrapper_sig; /* the wrapper's own signature, when has_wrapper_sig */
	bool has_wrapper_sig;
	struct vec wrapper_args; /* char *: C expressions passed to the op; empty: the parameters */
	bool always_inline;     /* the wrapper is __always_inline */
	struct vec config;      /* struct spec_cond *: where the member exists */
	struct vec wrapper_config; /* ... and its wrapper, when has_wrapper_config */
	bool has_wrapper_config;
	archset arches;         /* where the op exists */
	bool optional;          /* a backend may leave it NULL; the wrapper tolerates that */
	const struct node *clobbers; /* arch -> register list, overriding the kind's default */
	struct vec ops;         /* OP_GROUP members (struct spec_op *) */
};

struct spec_table {
	const struct node *node;
	const struct node *doc; /* its doc scalar, or NULL */
	char *name;
	char *struct_name;      /* the struct's tag: `struct`, default the name */
	struct vec config;      /* struct spec_cond * */
	archset arches;
	struct vec ops; /* struct spec_op *, in order (groups nest) */
};

/* What a backend says about one op. */
struct spec_impl {
	const struct node *node;
	char *qname;              /* the op it implements; the same name may exist per family */
	archset arches;           /* where it applies (default: everywhere the name exists) */
	struct spec_op *op;       /* the first op it resolves to; NULL: no table declares it */
	char *symbol;             /* implementing function (default: prefix + op name) */
	bool nop;                 /* the implementation does nothing */
	bool none;                /* explicitly NULL (only for optional ops) */
	const struct node *code;  /* arch -> instruction sequence that may be inlined at a site */
	const struct node *value; /* OP_FIELD: initial value (C expression) */
};

struct spec_backend {
	const struct node *node;
	char *name;
	char *prefix;                  /* symbol prefix where no arch has its own */
	char *arch_prefix[MAX_ARCHES]; /* per arch index, NULL: prefix (spec_prefix) */
	long long hypervisor_type;
	archset arches;                /* where it exists: its checks, entries and files */
	struct spec_backend *fallback; /* ops not listed come from there; NULL: prefix + name */
	struct vec impls;              /* struct spec_impl *, in spec order */
};

struct spec_static_call {
	const struct node *node;
	char *name, *dflt, *wrapper;
	struct csig sig;
	bool has_sig;
};

struct spec {
	const struct source *src;
	struct node *root;
	struct vec arches, types, tables, backends;
	struct vec static_calls;       /* struct spec_static_call * */
	char *template_set;            /* templates/<set>/ for every arch; NULL: the arch's family */
	const struct node *constants;  /* map NAME -> value */
	const struct node *asm_macros; /* list; read by the arch families */
	char hash[65];                 /* sha256 of the spec text, hex */
	archset selected;              /* arches checked and generated (--arch; default: all) */
	const char *license;           /* SPDX identifier of the generated files, or NULL */
	struct sig_memo *sig_memo;     /* while spec_type runs */
};

/* The first three stages, one by one: read the file and load its YAML into the node tree
 * (load; NULL after reporting why), then schema_validate(s->root) (schema), then spec_type
 * (spec: the typed view of the tree). */
struct spec *spec_read(const char *path);
struct spec *spec_read_text(const char *name, char *text, size_t len); /* takes text (malloc'ed) */
void spec_type(struct spec *s);
/* All three: load, validate and type a spec; NULL after reporting every error found. */
struct spec *spec_load(const char *path);
/* The same from memory; takes ownership of text (malloc'ed). */
struct spec *spec_parse(const char *name, char *text, size_t len);
void spec_free(struct spec *s);

struct spec_arch *spec_arch(const struct spec *s, const char *name);
/* Ops of every table, depth-first, groups included, in spec order. */
void spec_each_op(const struct spec *s, void (*fn)(struct spec_op *op, void *ctx), void *ctx);
struct spec_op *spec_find_op(const struct spec *s, const char *qname);
/* The implementation of op on arch a (NULL: any of the op's arches) in backend b, following
 * fallbacks; NULL if none is listed. *from (if given) is the backend that lists it. */
const struct spec_impl *spec_impl(const struct spec_backend *b, const struct spec_op *op,
				  const struct spec_arch *a, const struct spec_backend **from);
/* For an arch-keyed map (clobbers, code): the value for arch, or NULL. */
/* Constant `name` on arch a (NULL: on any arch): its value scalar, or NULL. */
const struct node *spec_constant(const struct spec *s, const char *name, const struct spec_arch *a);
/* Does backend b serve arch a? Was arch a selected (--arch)? */
bool spec_backend_on(const struct spec_backend *b, const struct spec_arch *a);
bool spec_selected(const struct spec *s, const struct spec_arch *a);
/* The backends serving arch a, in spec order (struct spec_backend *), into out. */
void spec_backends_on(const struct spec *s, const struct spec_arch *a, struct vec *out);
/* How backend b wants the sites of op patched: its own entry's `patch`, else its `patch` word
 * for the innermost table or group holding op; NULL: the patcher decides. *where (if given)
 * is the node saying it. */
const char *spec_policy(const struct spec_backend *b, const struct spec_op *op, const struct node **where);
/* The backend's symbol prefix on arch a. */
const char *spec_prefix(const struct spec_backend *b, const struct spec_arch *a);
const struct node *spec_for_arch(const struct node *archmap, const struct spec_arch *a);
int spec_type_bits(const struct spec *s, const struct ctype *t, const struct spec_arch *a);

#endif
