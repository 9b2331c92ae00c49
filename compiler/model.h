/* model.h: the arch-independent part of the model stage: one tval tree per arch holding
 * what every family's templates share. A family's model() adds its own keys to it.
 *
 * root:
 *   arch, family, word_bits
 *   tables[]:   name, struct (its tag), doc, if_open / if_close (its build condition as
 *               preprocessor lines), members[] (see below), cond_end
 *   ops[]:      every function op of the arch, flattened, in table order (same maps), each
 *               with wrapper_before (the lines from the previous wrapper's condition to its
 *               own); wrappers_end after the last
 *   struct_defs[]: every struct in the order C must define them: each nested one (a group's
 *               map) once, inner ones first, and each table after its groups
 *   static_calls[]: name, default, default_proto, wrapper, ret, returns, params, param_decls
 *   backends[]: name, prefix, hypervisor_type, is_default, fallback; and from
 *               model_backend_tables: tables[] (name, entries[]: member ("lazy_mode.enter"),
 *               qname, value (symbol or C expression), how ("impl", "fallback", "nop",
 *               "none", "field"), from (the backend that owns the value), comment)
 *               The family's model adds what the link needs (pvopsc --list-symbols reads
 *               it): to each entry `symbol`, the link symbol its initializer names ("" for
 *               none), and `owed`, true when no generated file defines it; and to each
 *               backend refs[] (symbol, qname: the op it serves, via: the generated symbol
 *               that names it), the other symbols its generated code names and no
 *               generated file defines, each owed by that backend
 *   constants[]: name, value
 * member (map): name, qname, cname (qname with '_' for '.'), doc, is_func / is_field /
 *   is_group, kind (call, patchable, callee_save, jump), wrapper, optional,
 *   ret, returns (bool), params[] (type, name, decl, index), args ("a, b"), proto
 *   ("unsigned long (*read_cr0)(void)"), type (fields), struct + members[] + cond_end
 *   (groups); cond_before (the preprocessor lines from the previous member's condition to
 *   its own), if_open / if_close (its own alone); functions: wrapper_ret, wrapper_returns,
 *   wrapper_params, wrapper_param_decls, wrapper_inline, call_args[] (expr, type when it is
 *   the wrapper's parameter passed as it is)
 */
#ifndef PVOPSC_MODEL_H
#define PVOPSC_MODEL_H

#include "spec.h"
#include "tval.h"

/* Called for every op of the arch (groups included) right after its map is built. */
typedef void (*model_op_hook)(const struct spec *s, const struct spec_arch *a, const struct spec_op *op,
			      struct tval *map, void *ctx);

struct tval *model_common(const struct spec *s, const struct spec_arch *a, model_op_hook hook, void *ctx);
/* Each backend's tables[] of initializer entries (model_entry), for a family that uses them
 * as they are; one that builds its own entries does not pay for these. */
void model_backend_tables(const struct spec *s, const struct spec_arch *a, struct tval *root);

/* Who fills op's slot in backend b on an arch: the implementation found through b's fallbacks
 * (NULL: none is listed, so the last backend of the chain by its prefix), the backend that
 * owns the symbol, and the symbol (owned; prefix + op name unless the spec names it). */
struct slot {
	const struct spec_impl *impl;
	const struct spec_backend *owner;
	char *symbol;
};

/* Fill an initializer entry (member, qname, name, value, how, from: see backends[] above) for
 * op in backend b on arch a, and say who fills the slot; the caller frees slot->symbol. */
void model_entry(struct tval *e, const struct spec_backend *b, const struct spec_op *op, const struct spec_arch *a,
		 const char *member, struct slot *slot);

/* A C declaration: "const char *" + "name" -> "const char *name"; "int" + "x" -> "int x". */
char *c_declare(const char *type, const char *name);
/* Does op exist on arch a? */
bool model_op_on_arch(const struct spec_op *op, const struct spec_arch *a);
/* m.doc = the doc scalar (or nothing) as one line of comment text (check comment-text). */
void model_doc(struct tval *m, const struct node *doc);
/* An op's name as a C identifier: pv_cpu_ops.lazy_mode.enter -> pv_cpu_ops_lazy_mode_enter. */
char *cname_of(const char *qname);

#endif
