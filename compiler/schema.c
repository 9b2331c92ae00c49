/* schema.c: every key the spec may hold, as data, and the validator that walks it. */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const struct shape scalar = {.kind = SH_SCALAR, .what = "string"};
#define INT_SHAPE(id, lo, hi, text) \
	static const struct shape id = {.kind = SH_INT, .what = "integer " text, .min = lo, .max = hi}
INT_SHAPE(version, 0, 2147483647, "0-2147483647");
INT_SHAPE(bits, 1, 1024, "1-1024");
INT_SHAPE(arg_count, 0, 8, "0-8");
INT_SHAPE(bundles, 1, 64, "1-64");
INT_SHAPE(int32, 0, 2147483647, "0-2147483647");
INT_SHAPE(byte, 0, 255, "0-255");
INT_SHAPE(uint32, 0, 4294967295LL, "0-0xffffffff");
INT_SHAPE(stack_bytes, -255, 255, "-255-255");
static const struct shape boolean = {.kind = SH_BOOL, .what = "boolean"};
static const struct shape names = {.kind = SH_NAMES, .what = "list of names"};
static const struct shape anything = {.kind = SH_ANY, .what = "value"};
static const struct shape ident = {.kind = SH_SCALAR, .what = "identifier", .lex = LEX_IDENT};
static const struct shape doc_text = {.kind = SH_SCALAR, .what = "comment text", .lex = LEX_COMMENT};
static const struct shape c_type = {.kind = SH_SCALAR, .what = "C type", .lex = LEX_CTYPE};
static const struct shape c_init = {.kind = SH_SCALAR, .what = "C expression", .lex = LEX_C_EXPR};
static const struct shape expr = {.kind = SH_SCALAR, .what = "expression", .lex = LEX_EXPR};
static const struct shape suffix = {.kind = SH_SCALAR, .what = "identifier suffix", .lex = LEX_SUFFIX};
static const struct shape prefix_one = {.kind = SH_SCALAR, .what = "identifier prefix", .lex = LEX_PREFIX};
static const struct shape per_arch_prefix = {.kind = SH_DICT, .what = "map of arch to prefix", .item = &prefix_one};
static const struct shape prefix = {.kind = SH_SCALAR, .what = "identifier prefix", .alt = &per_arch_prefix, .lex = LEX_PREFIX};
static const struct shape per_arch_names = {.kind = SH_DICT, .what = "map of arch to registers", .item = &names};
static const struct shape per_arch_code = {.kind = SH_DICT, .what = "map of arch to code", .item = &scalar};
static const struct shape per_key_scalar = {.kind = SH_DICT, .what = "map of name to value", .item = &scalar};
static const struct shape per_arch_int = {.kind = SH_DICT, .what = "map of arch to integer", .item = &byte};
static const struct shape per_arch_word = {.kind = SH_DICT, .what = "map of arch to word", .item = &scalar};
static const struct shape per_arch_stack = {.kind = SH_DICT, .what = "map of arch to integer", .item = &stack_bytes};
static const struct shape stack = {.kind = SH_INT, .what = "integer -255-255", .min = -255, .max = 255, .alt = &per_arch_stack};

#define DOC {"doc", &doc_text, false, "free text, copied into generated comments"}

/* x86: where the output knowingly differs from Linux 2.6.30's (generated/<arch>/DEPARTURES.md) */
static const struct key departs_keys[] = {
	{"what", &doc_text, true, "what differs from Linux"},
	{"why", &doc_text, true, "the reason"},
	{"test", &doc_text, false, "what holds it (a test or a check)"},
	{NULL, NULL, false, NULL}};
static const struct shape departs = {.kind = SH_MAP, .what = "departure", .keys = departs_keys};
#define DEPARTS {"departs", &departs, false, "x86: where this differs from Linux 2.6.30, and why (generated/<arch>/DEPARTURES.md)"}
#define END {NULL, NULL, false, NULL}

static const struct key arch_keys[] = {
	{"name", &ident, true, "arch name: x86_64, i386, ia64"},
	{"family", &scalar, true, "the compiler's arch code that handles it: x86 or ia64"},
	{"word_bits", &bits, true, "bits in a machine word (and a pointer)"},
	{"features", &names, false, "conditions ops may require (pae, 4level)"},
	{"arg_regs", &names, true, "registers that carry pv call arguments, in order"},
	{"stack_args", &arg_count, false, "arguments after the registers passed on the stack"},
	{"ret_regs", &names, true, "registers of the return value, low word first"},
	{"call_clobbers", &names, true, "registers a normal pv call may modify (returns included)"},
	{"callee_save_clobbers", &names, false, "registers a callee-save call may modify"},
	{"clobber_mask", &names, false, "bit i of a patch site's clobber mask is register i"},
	{"site_bundles", &bundles, false, "IA-64: bundles in the patchable call stub"},
	{"return_branch", &scalar, false, "IA-64: branch register a stub callee returns through"},
	{"sensitive", &names, false, "IA-64: instructions the checker refuses in .S code besides the forms it derives from the backends (native/pvcheck.sed)"},
	{"percpu_segment", &scalar, false, "x86: the segment register whose base is the running cpu's per-cpu area (`%percpu:` in a sequence)"},
	{"gp_save", &scalar, false, "IA-64: the register the stub keeps the caller's gp in across the branch (bodies may not write it; default r16)"},
	DEPARTS,
	DOC,
	END};
static const struct shape arch = {.kind = SH_MAP, .what = "arch", .keys = arch_keys};

static const struct key backend_impl_keys[] = {
	{"op", &scalar, true, "qualified op: table.op or table.group.op"},
	{"arches", &names, false, "restrict to these arches (default: every arch of the op)"},
	{"symbol", &ident, false, "implementing symbol (default: backend prefix + op name)"},
	{"nop", &boolean, false, "the implementation does nothing: a patched site becomes NOPs"},
	{"none", &boolean, false, "explicitly NULL; only for ops marked optional"},
	{"code", &per_arch_code, false, "per arch: the sequence a patcher may inline at a site"},
	{"value", &c_init, false, "data member: its initial value (a C expression)"},
	{"fixup", &per_arch_word, false, "x86, per arch: where a fault in the sequence continues (an __ex_table entry for its body)"},
	{"inline", &boolean, false, "IA-64: false keeps the body out of line (never copied to a site)"},
	{"unless_feature", &scalar, false, "x86: the kernel's alternatives put `code` at the site unless the CPU has this feature"},
	{"patch", &scalar, false, "how the backend's sites of the op are patched: inline, call, indirect or nops (default: the patcher decides)"},
	{"traps", &scalar, false, "IA-64: why the body may execute a privileged instruction in a deprivileged backend (the hypervisor traps and emulates it)"},
	{"stack", &stack, false, "x86: bytes the implementation takes off its caller's stack (a frame the hypervisor left there; default 0), or a map of arch to bytes"},
	DEPARTS,
	DOC,
	END};
static const struct shape backend_impl = {.kind = SH_MAP, .what = "implementation", .keys = backend_impl_keys};
static const struct shape backend_impls = {.kind = SH_LIST, .what = "list of implementations", .item = &backend_impl};

static const struct key backend_keys[] = {
	{"name", &ident, true, "backend name: native, xen, kvm"},
	{"arches", &names, false, "arches the backend serves (default: all); its checks and output exist only there"},
	{"hypervisor_type", &int32, true, "the paravirt hypervisor type number"},
	{"prefix", &prefix, false, "symbol prefix of its implementations (default: name + '_'), or a map of arch to prefix"},
	{"fallback", &scalar, false, "backend whose implementation serves ops this one does not list"},
	{"break_results", &names, false, "IA-64: break immediates whose hypercall returns a value in r8"},
	{"asm_aliases", &per_key_scalar, false, "IA-64: names (NAME or NAME(params)) its inst.h defines for Linux's .S files, and what each stands for"},
	{"deprivileged", &boolean, false, "IA-64: the kernel runs above privilege level 0, so its bodies may not use privileged instructions (unless marked `traps`)"},
	{"impl", &backend_impls, false, "what this backend implements"},
	{"patch", &per_key_scalar, false, "per table or group (pv_mmu_ops, pv_cpu_ops.lazy_mode): how its sites are patched, as an impl's `patch`"},
	DEPARTS,
	DOC,
	END};
static const struct shape backend = {.kind = SH_MAP, .what = "backend", .keys = backend_keys};

static const struct key type_keys[] = {
	{"name", &ident, true, "C type name usable in signatures"},
	{"kind", &scalar, true, "int, struct (a value wrapped in a struct) or pointer"},
	{"bits", &anything, true, "size in bits: a number, or a map of arch to number"},
	{"raw", &scalar, false, "struct: the integer type of its value (pte_t: pteval_t)"},
	{"get", &scalar, false, "struct: the function that reads its raw value (native_pte_val)"},
	{"make", &scalar, false, "struct: the function that makes one from a raw value (native_make_pte)"},
	DOC,
	END};
static const struct shape type = {.kind = SH_MAP, .what = "type", .keys = type_keys};

static const struct key wrapper_keys[] = {
	{"name", &ident, true, "the wrapper's name"},
	{"sig", &scalar, false, "its C signature, where it differs from the op's"},
	{"args", &names, false, "C expressions the op gets (default: the wrapper's parameters)"},
	{"inline", &scalar, false, "'always': __always_inline (default: inline)"},
	{"config", &scalar, false, "the build condition of the wrapper, where it differs from the op's"},
	DOC,
	END};
static const struct shape wrapper_map = {.kind = SH_MAP, .what = "wrapper", .keys = wrapper_keys};
static const struct shape wrapper = {.kind = SH_SCALAR, .what = "identifier or {name, sig, args, ...}", .lex = LEX_IDENT,
				     .alt = &wrapper_map};

static const struct shape op_list;
static const struct key op_keys[] = {
	{"name", &ident, true, "member name in the table struct"},
	{"sig", &scalar, false, "C signature 'RET (PARAMS)': makes the member a function pointer"},
	{"type", &c_type, false, "C type: makes the member a data field"},
	{"struct", &ident, false, "struct tag: makes the member a nested struct of `ops`"},
	{"ops", &op_list, false, "members of a nested struct"},
	{"kind", &scalar, false, "call (default), patchable, callee_save or jump"},
	{"wrapper", &wrapper, false, "the generated wrapper: its name (default: the op name), or a mapping"},
	{"config", &scalar, false, "build condition: CONFIG symbols (no prefix), !SYM, SYM >= N, joined by &&"},
	{"arches", &names, false, "arches where the op exists (default: the table's)"},
	{"optional", &boolean, false, "a backend may leave it NULL; the wrapper tolerates NULL"},
	{"clobbers", &per_arch_names, false, "per arch: registers the op may modify, overriding its kind"},
	{"kinds", &per_arch_word, false, "x86, per arch: the kind where it differs from `kind` (too wide for a site: call)"},
	{"site_bytes", &per_arch_int, false, "x86, per arch: reserve this many bytes at each patch site (NOP-padded)"},
	{"patch_type", &uint32, false, "IA-64: the op's patch type number"},
	{"reg_param", &scalar, false, "IA-64 getreg/setreg: the parameter holding the register number"},
	{"reg_arg_order", &names, false, "IA-64: stub argument registers of the params, if not in order"},
	{"writes", &names, false, "IA-64: state the op changes by design (rr, psr), beyond its clobbers"},
	DEPARTS,
	DOC,
	END};
static const struct shape op = {.kind = SH_MAP, .what = "op", .keys = op_keys, .unique_key = "name"};
static const struct shape op_list = {.kind = SH_LIST, .what = "list of ops", .item = &op, .unique_key = "name"};

static const struct key table_keys[] = {
	{"name", &ident, true, "C struct and global name"},
	{"struct", &ident, false, "the struct's tag, where it differs from the global's name"},
	{"config", &scalar, false, "build condition of the whole table (see ops' config)"},
	{"arches", &names, false, "arches that have the table (default: all)"},
	{"ops", &op_list, true, "members in order"},
	DEPARTS,
	DOC,
	END};
static const struct shape table = {.kind = SH_MAP, .what = "table", .keys = table_keys};

static const struct key register_keys[] = {
	{"name", &scalar, true, "register name as the assembler writes it"},
	{"number", &uint32, false, "register number of the getreg/setreg intrinsics (check ia64-register-number)"},
	{"get", &boolean, false, "getreg is paravirtualized (default true)"},
	{"set", &boolean, false, "setreg is paravirtualized (default true)"},
	{"cname", &suffix, false, "C constant suffix, _IA64_REG_<cname> (default: the name in capitals)"},
	{"set_name", &scalar, false, "assembler name when written, if not `name` (psr: psr.l)"},
	{"get_code", &per_key_scalar, false, "per backend: this register's getreg body"},
	{"set_code", &per_key_scalar, false, "per backend: this register's setreg body"},
	{"get_traps", &per_key_scalar, false, "per backend: why its get_code may trap (see `traps`)"},
	{"set_traps", &per_key_scalar, false, "per backend: why its set_code may trap (see `traps`)"},
	{"arches", &names, false, "arches that have it"},
	DOC,
	END};
static const struct shape reg = {.kind = SH_MAP, .what = "register", .keys = register_keys};

static const struct key macro_param_keys[] = {
	{"name", &ident, true, "parameter name"},
	{"role", &scalar, true, "in, out, pred, clob, pred_clob or const"},
	{"prefix", &prefix_one, false, "const: what the C preprocessor pastes before the operand"},
	DOC,
	END};
static const struct shape macro_param = {.kind = SH_MAP, .what = "macro parameter", .keys = macro_param_keys};
static const struct shape macro_params = {.kind = SH_LIST, .what = "list of parameters", .item = &macro_param, .unique_key = "name"};

static const struct key macro_keys[] = {
	{"name", &ident, true, "macro name"},
	{"arches", &names, false, "arches that have it"},
	{"params", &macro_params, false, "parameters, in order"},
	{"expand", &per_key_scalar, false, "per backend: the expansion"},
	{"op", &scalar, false, "x86: the op the macro's patch site calls"},
	{"clobbers", &anything, false, "x86: registers the site may clobber"},
	{"sequence", &ident, false, "x86: the site holds this backend's sequence for the op, not a call (code that runs without a usable stack)"},
	{"writes", &names, false, "IA-64: registers the macro changes by design, beyond out and clob"},
	DEPARTS,
	DOC,
	END};
static const struct shape macro = {.kind = SH_MAP, .what = "asm macro", .keys = macro_keys};

static const struct shape arches = {.kind = SH_LIST, .what = "list of arches", .item = &arch, .unique_key = "name"};
static const struct shape backends = {.kind = SH_LIST, .what = "list of backends", .item = &backend, .unique_key = "name"};
static const struct shape types = {.kind = SH_LIST, .what = "list of types", .item = &type, .unique_key = "name"};
static const struct shape tables = {.kind = SH_LIST, .what = "list of tables", .item = &table};
static const struct shape registers = {.kind = SH_LIST, .what = "list of registers", .item = &reg};
static const struct shape macros = {.kind = SH_LIST, .what = "list of asm macros", .item = &macro};
static const struct key static_call_keys[] = {
	{"name", &ident, true, "the static call's key"},
	{"sig", &scalar, true, "C signature of the functions it calls"},
	{"default", &ident, true, "the function it calls until a backend updates it"},
	{"wrapper", &ident, false, "name of the generated inline function that calls it"},
	DOC,
	END};
static const struct shape static_call = {.kind = SH_MAP, .what = "static call", .keys = static_call_keys};
static const struct shape static_calls = {.kind = SH_LIST, .what = "list of static calls", .item = &static_call, .unique_key = "name"};
static const struct key constant_keys[] = {
	{"value", &expr, true, "the value"},
	{"arches", &names, false, "arches that have it (default: all)"},
	DOC,
	END};
static const struct shape constant_map = {.kind = SH_MAP, .what = "constant", .keys = constant_keys};
static const struct shape constant = {.kind = SH_SCALAR, .what = "value or {value, arches}", .alt = &constant_map, .lex = LEX_EXPR};
static const struct shape constants = {.kind = SH_DICT, .what = "map of constants", .item = &constant, .key_lex = LEX_IDENT};

static const struct key spec_keys[] = {
	{"pvopsc", &version, true, "spec format version: 1"},
	{"license", &scalar, false, "SPDX license identifier every generated file carries (GPL-2.0)"},
	{"arches", &arches, true, "the arches and their pv calling conventions"},
	{"backends", &backends, true, "the backends (native, xen, ...)"},
	{"types", &types, false, "C types signatures may use beyond the built-in ones"},
	{"tables", &tables, true, "the op tables, in order"},
	{"constants", &constants, false, "named values used in code (hyperprivop numbers, offsets)"},
	{"registers", &registers, false, "IA-64 getreg/setreg registers"},
	{"asm_macros", &macros, false, "macros for .S files"},
	{"static_calls", &static_calls, false, "calls patched into direct calls (Linux static_call)"},
	{"templates", &scalar, false, "template set under templates/ (default: each arch's family)"},
	DOC,
	END};
static const struct shape spec_shape = {.kind = SH_MAP, .what = "spec", .keys = spec_keys};

bool schema_scalar_int(const struct node *n, long long *v)
{
	char *end;

	if (!n || n->kind != NODE_SCALAR || !n->str[0] || n->style != STYLE_PLAIN || n->str_tag)
		return false;
	errno = 0;
	if (n->str[0] == '-') {
		*v = strtoll(n->str, &end, 0);
	} else {
		/* strtoull would take "-1" and wrap big values: only what fits a long long */
		unsigned long long u = strtoull(n->str, &end, 0);
		if (u > LLONG_MAX || !isdigit((unsigned char)n->str[0]))
			return false;
		*v = (long long)u;
	}
	return errno == 0 && *end == '\0';
}

/* Digits as an integer is written (decimal or 0x hex, a sign), whatever its size. */
static bool looks_numeric(const struct node *n)
{
	const char *p = n->str + (n->str[0] == '-' || n->str[0] == '+');
	bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');

	p += hex ? 2 : 0;
	if (n->style != STYLE_PLAIN || !*p)
		return false;
	for (; *p; p++)
		if (!(hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
			return false;
	return true;
}

bool schema_scalar_bool(const struct node *n, bool *v)
{
	if (node_is(n, "true") || node_is(n, "false")) {
		*v = node_is(n, "true");
		return n->style == STYLE_PLAIN && !n->str_tag;
	}
	return false;
}

static void check_kind(const struct node *n, const struct shape *sh, const char *key);

bool schema_cut_signature(const struct node *map, const char *key)
{
	const struct node *sig = node_get(map, "sig");

	if (!sig || sig->kind != NODE_SCALAR || !strchr(sig->str, '(') || strchr(sig->str, ')'))
		return false;
	if (key)
		return strchr(key, ')') != NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strchr(map->keys[i]->str, ')'))
			return true;
	return false;
}

static void check_map(const struct node *n, const struct shape *sh)
{
	const struct key *k;

	for (size_t i = 0; i < n->n; i++) {
		const char *name = n->keys[i]->str;
		for (k = sh->keys; k->name && strcmp(k->name, name) != 0; k++)
			;
		if (k->name) {
			check_kind(n->items[i], k->shape, k->name);
			continue;
		}
		const char *cands[64];
		size_t m = 0;
		for (k = sh->keys; k->name && m + 1 < ARRAY_SIZE(cands); k++)
			cands[m++] = k->name;
		cands[m] = NULL;
		const char *best = util_suggest(name, cands);
		if (schema_cut_signature(n, name))
			diag_error(n->keys[i]->pos, "unknown-key",
				   "unknown key '%s' in %s: the comma ended the signature '%s'; quote it: "
				   "sig: \"%s, %s\"", name, sh->what, node_get(n, "sig")->str, node_get(n, "sig")->str, name);
		else if (best)
			diag_error(n->keys[i]->pos, "unknown-key", "unknown key '%s' in %s; did you mean '%s'?",
				   name, sh->what, best);
		else
			diag_error(n->keys[i]->pos, "unknown-key", "unknown key '%s' in %s", name, sh->what);
	}
	for (k = sh->keys; k->name; k++)
		if (k->required && !node_get(n, k->name))
			diag_error(n->pos, "missing-key", "%s has no '%s' (%s)", sh->what, k->name, k->doc);
}

/* In a list of maps, `key` names each item: the second of a name is an error. A hash set
 * keeps it linear; the first of a name is looked up only when there is a second. */
static void check_unique(const struct node *list, const char *key, const char *what)
{
	struct strset seen = {0};

	for (size_t i = 0; i < list->n; i++) {
		const struct node *a = node_get(list->items[i], key);
		if (!a || a->kind != NODE_SCALAR || strset_add(&seen, a->str))
			continue;
		for (size_t j = 0; j < i; j++) {
			const struct node *b = node_get(list->items[j], key);
			if (b && b->kind == NODE_SCALAR && strcmp(a->str, b->str) == 0) {
				diag_error(a->pos, "duplicate-name", "duplicate %s '%s'", what, a->str);
				diag_note(b->pos, "first defined here");
				break;
			}
		}
	}
	strset_free(&seen);
}

/* Text pasted into generated code must have its rule's shape: check `identifier` for names,
 * `comment-text` for docs, `expression` for values; the caret is on the first bad character. */
static void check_text(const struct node *n, enum lexeme rule, const char *key)
{
	static const char *const check_of[] = {
		[LEX_IDENT] = "identifier", [LEX_PREFIX] = "identifier", [LEX_SUFFIX] = "identifier",
		[LEX_COMMENT] = "comment-text", [LEX_CTYPE] = "expression", [LEX_EXPR] = "expression",
		[LEX_C_EXPR] = "expression"};
	const char *why;
	size_t bad;

	if (rule == LEX_TEXT || n->kind != NODE_SCALAR)
		return;
	bad = lex_check(rule, n->str, &why);
	if (bad == LEX_OK)
		return;
	if (n->str[bad])
		diag_error(node_pos_at(n, bad), check_of[rule], "'%s' must be %s: %s (%s)", key, lex_what(rule), why,
			   lex_char(n->str + bad));
	else
		diag_error(node_pos_at(n, bad), check_of[rule], "'%s' must be %s: %s", key, lex_what(rule), why);
}

static const char *kind_word(enum shape_kind k)
{
	switch (k) {
	case SH_LIST: return "a list";
	case SH_MAP:
	case SH_DICT: return "a mapping";
	case SH_INT: return "an integer";
	case SH_BOOL: return "true or false";
	default: return "a string";
	}
}

static void check_kind(const struct node *n, const struct shape *sh, const char *key)
{
	enum node_kind want;
	long long iv;
	bool bv;

	if (sh->alt && n->kind == NODE_MAP) {
		check_kind(n, sh->alt, key);
		return;
	}
	switch (sh->kind) {
	case SH_ANY: return;
	case SH_LIST: want = NODE_SEQ; break;
	case SH_MAP:
	case SH_DICT: want = NODE_MAP; break;
	case SH_NAMES:
		if (n->kind == NODE_SCALAR)
			return;
		want = NODE_SEQ;
		break;
	default: want = NODE_SCALAR; break;
	}
	if (n->kind != want) {
		diag_error(n->pos, "wrong-kind", "'%s' must be %s, not a %s", key, kind_word(sh->kind),
			   node_kind_name(n->kind));
		return;
	}
	switch (sh->kind) {
	case SH_INT:
		if (!schema_scalar_int(n, &iv) && !looks_numeric(n))
			diag_error(n->pos, "wrong-kind", "'%s' must be an integer, not '%s'", key, n->str);
		else if (!schema_scalar_int(n, &iv) || iv < sh->min || iv > sh->max)
			diag_error(n->pos, "integer-range", "'%s' must be an integer from %lld to %lld, not '%s'", key,
				   sh->min, sh->max, n->str);
		break;
	case SH_BOOL:
		if (!schema_scalar_bool(n, &bv))
			diag_error(n->pos, "wrong-kind", "'%s' must be true or false, not '%s'", key, n->str);
		break;
	case SH_NAMES:
		for (size_t i = 0; i < n->n; i++)
			if (n->items[i]->kind != NODE_SCALAR)
				diag_error(n->items[i]->pos, "wrong-kind", "items of '%s' must be names, not a %s",
					   key, node_kind_name(n->items[i]->kind));
		break;
	case SH_MAP:
		check_map(n, sh);
		break;
	case SH_DICT:
		for (size_t i = 0; i < n->n; i++) {
			check_text(n->keys[i], sh->key_lex, "name");
			check_kind(n->items[i], sh->item, n->keys[i]->str);
		}
		break;
	case SH_SCALAR:
		check_text(n, sh->lex, key);
		break;
	case SH_LIST:
		for (size_t i = 0; i < n->n; i++)
			check_kind(n->items[i], sh->item, key);
		if (sh->unique_key)
			check_unique(n, sh->unique_key, sh->item->what);
		break;
	default:
		break;
	}
}

bool schema_validate(const struct node *root)
{
	int before = diag_error_count();

	check_kind(root, &spec_shape, "spec");
	return diag_error_count() == before;
}

/* `on_path`: the shapes being expanded, so a recursive shape (ops in ops) is listed once. */
static void dump(FILE *out, const struct shape *sh, const char *path, const struct shape **on_path, int depth)
{
	if (sh->kind == SH_LIST || sh->kind == SH_DICT) {
		if (sh->item && sh->item->kind == SH_MAP)
			dump(out, sh->item, path, on_path, depth);
		return;
	}
	if (sh->kind != SH_MAP || depth >= 8)
		return;
	for (int i = 0; i < depth; i++)
		if (on_path[i] == sh) {
			fprintf(out, "| `%s.*` | | the same keys as above |\n", path);
			return;
		}
	on_path[depth] = sh;
	for (const struct key *k = sh->keys; k->name; k++) {
		char sub[256];
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", k->name);
		fprintf(out, "| `%s` | %s%s | %s |\n", sub, k->shape->what, k->required ? ", required" : "",
			k->doc);
		dump(out, k->shape, sub, on_path, depth + 1);
	}
}

void schema_dump(FILE *out)
{
	fputs("| key | value | meaning |\n|---|---|---|\n", out);
	const struct shape *on_path[8];

	dump(out, &spec_shape, "", on_path, 0);
}

/* ---- the schema as JSON Schema (for editors: yaml-language-server) ---- */

/* A mapping shape's name in $defs: its `what`, with '_' for ' '. */
static void def_name(FILE *out, const struct shape *sh)
{
	fputc('"', out);
	for (const char *p = sh->what; *p; p++)
		fputc(*p == ' ' ? '_' : *p, out);
	fputc('"', out);
}

/* YAML gives a plain scalar as a string, a number, a boolean or null: the loader reads them
 * all as text, so a "string" key takes any of them. */
#define JSON_SCALAR "{\"type\": [\"string\", \"number\", \"boolean\", \"null\"]}"

static void json_shape(FILE *out, const struct shape *sh)
{
	if (sh->alt)
		fputs("{\"anyOf\": [", out);
	switch (sh->kind) {
	case SH_ANY: fputs("{}", out); break;
	case SH_SCALAR: fputs(JSON_SCALAR, out); break;
	case SH_INT: fputs("{\"type\": \"integer\"}", out); break;
	case SH_BOOL: fputs("{\"type\": \"boolean\"}", out); break;
	case SH_NAMES: fputs("{\"anyOf\": [" JSON_SCALAR ", {\"type\": \"array\", \"items\": " JSON_SCALAR "}]}", out); break;
	case SH_LIST:
		fputs("{\"type\": \"array\", \"items\": ", out);
		json_shape(out, sh->item);
		fputc('}', out);
		break;
	case SH_DICT:
		fputs("{\"type\": \"object\", \"additionalProperties\": ", out);
		json_shape(out, sh->item);
		fputc('}', out);
		break;
	case SH_MAP:
		fputs("{\"$ref\": \"#/$defs/", out);
		for (const char *p = sh->what; *p; p++)
			fputc(*p == ' ' ? '_' : *p, out);
		fputs("\"}", out);
		break;
	}
	if (sh->alt) {
		fputs(", ", out);
		json_shape(out, sh->alt);
		fputs("]}", out);
	}
}

/* Every mapping shape reachable from sh, once each, in the order first met. */
static void collect_maps(const struct shape *sh, const struct shape **seen, size_t *n, size_t cap)
{
	if (!sh)
		return;
	if (sh->kind == SH_MAP) {
		for (size_t i = 0; i < *n; i++)
			if (seen[i] == sh)
				return;
		if (*n == cap)
			return;
		seen[(*n)++] = sh;
		for (const struct key *k = sh->keys; k->name; k++)
			collect_maps(k->shape, seen, n, cap);
	}
	collect_maps(sh->item, seen, n, cap);
	collect_maps(sh->alt, seen, n, cap);
}

static void json_map_def(FILE *out, const struct shape *sh)
{
	bool any = false;

	fputs("{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {", out);
	for (const struct key *k = sh->keys; k->name; k++) {
		fprintf(out, "%s\n      ", k == sh->keys ? "" : ",");
		util_json_string(out, k->name);
		fputs(": {\"description\": ", out);
		util_json_string(out, k->doc);
		fputs(", \"allOf\": [", out);
		json_shape(out, k->shape);
		fputs("]}", out);
	}
	fputs("}", out);
	for (const struct key *k = sh->keys; k->name; k++)
		if (k->required) {
			fputs(any ? ", " : ", \"required\": [", out);
			util_json_string(out, k->name);
			any = true;
		}
	fputs(any ? "]}" : "}", out);
}

void schema_json(FILE *out)
{
	const struct shape *maps[64];
	size_t n = 0;

	collect_maps(&spec_shape, maps, &n, ARRAY_SIZE(maps));
	fputs("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
	      "  \"$comment\": \"Generated by pvopsc --json-schema from its schema table; do not edit.\",\n"
	      "  \"title\": \"pvopsc specification\",\n"
	      "  \"$ref\": \"#/$defs/spec\",\n  \"$defs\": {", out);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		def_name(out, maps[i]);
		fputs(": ", out);
		json_map_def(out, maps[i]);
	}
	fputs("\n  }\n}\n", out);
}
