/* schema.c: every key the spec may hold, as data, and the validator that walks it. The core
 * knows its own keys; each family adds its keys to the mappings it extends (struct family's
 * `keys`), after the core's and before `doc`. */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

const struct shape schema_string = {.kind = SH_SCALAR, .what = "string"};
#define INT_SHAPE(id, lo, hi, text) \
	static const struct shape id = {.kind = SH_INT, .what = "integer " text, .min = lo, .max = hi}
INT_SHAPE(version, 0, 2147483647, "0-2147483647");
INT_SHAPE(bits, 1, 1024, "1-1024");
INT_SHAPE(arg_count, 0, 8, "0-8");
INT_SHAPE(int32, 0, 2147483647, "0-2147483647");
const struct shape schema_boolean = {.kind = SH_BOOL, .what = "boolean"};
const struct shape schema_names = {.kind = SH_NAMES, .what = "list of names"};
const struct shape schema_registers = {.kind = SH_NAMES, .what = "list of names", .registers = true};
const struct shape schema_anything = {.kind = SH_ANY, .what = "value"};
const struct shape schema_ident = {.kind = SH_SCALAR, .what = "identifier", .lex = LEX_IDENT};
const struct shape schema_doc_text = {.kind = SH_SCALAR, .what = "comment text", .lex = LEX_COMMENT};
static const struct shape c_type = {.kind = SH_SCALAR, .what = "C type", .lex = LEX_CTYPE};
static const struct shape c_init = {.kind = SH_SCALAR, .what = "C expression", .lex = LEX_C_EXPR};
static const struct shape expr = {.kind = SH_SCALAR, .what = "expression", .lex = LEX_EXPR};
const struct shape schema_ident_prefix = {.kind = SH_SCALAR, .what = "identifier prefix", .lex = LEX_PREFIX};
static const struct shape per_arch_prefix = {.kind = SH_DICT, .what = "map of arch to prefix", .item = &schema_ident_prefix};
static const struct shape prefix = {.kind = SH_SCALAR, .what = "identifier prefix", .alt = &per_arch_prefix, .lex = LEX_PREFIX};
static const struct shape per_arch_names = {.kind = SH_DICT, .what = "map of arch to registers", .item = &schema_names,
					    .registers = true};
static const struct shape per_arch_code = {.kind = SH_DICT, .what = "map of arch to code", .item = &schema_string};
const struct shape schema_per_key_string = {.kind = SH_DICT, .what = "map of name to value", .item = &schema_string};

#define DOC {"doc", &schema_doc_text, false, "free text, copied into generated comments"}
#define END {NULL, NULL, false, NULL}

static const struct key core_arch_keys[] = {
	{"name", &schema_ident, true, "arch name: x86_64, i386, ia64"},
	{"family", &schema_string, true, "the compiler's arch code that handles it: x86 or ia64"},
	{"word_bits", &bits, true, "bits in a machine word (and a pointer)"},
	{"features", &schema_names, false, "conditions ops may require (pae, 4level)"},
	{"arg_regs", &schema_registers, true, "registers that carry pv call arguments, in order"},
	{"stack_args", &arg_count, false, "arguments after the registers passed on the stack"},
	{"ret_regs", &schema_registers, true, "registers of the return value, low word first"},
	{"call_clobbers", &schema_registers, true, "registers a normal pv call may modify (returns included)"},
	{"callee_save_clobbers", &schema_registers, false, "registers a callee-save call may modify"},
	{"clobber_mask", &schema_registers, false, "bit i of a patch site's clobber mask is register i"},
	END};
static struct shape arch = {.kind = SH_MAP, .what = "arch", .keys = core_arch_keys};

static const struct key core_backend_impl_keys[] = {
	{"op", &schema_string, true, "qualified op: table.op or table.group.op"},
	{"arches", &schema_names, false, "restrict to these arches (default: every arch of the op)"},
	{"symbol", &schema_ident, false, "implementing symbol (default: backend prefix + op name)"},
	{"nop", &schema_boolean, false, "the implementation does nothing: a patched site becomes NOPs"},
	{"none", &schema_boolean, false, "explicitly NULL; only for ops marked optional"},
	{"code", &per_arch_code, false, "per arch: the sequence a patcher may inline at a site"},
	{"value", &c_init, false, "data member: its initial value (a C expression)"},
	{"patch", &schema_string, false, "how the backend's sites of the op are patched: inline, call, indirect or nops (default: the patcher decides)"},
	END};
static struct shape backend_impl = {.kind = SH_MAP, .what = "implementation", .keys = core_backend_impl_keys};
static const struct shape backend_impls = {.kind = SH_LIST, .what = "list of implementations", .item = &backend_impl};

static const struct key core_backend_keys[] = {
	{"name", &schema_ident, true, "backend name: native, xen, kvm"},
	{"arches", &schema_names, false, "arches the backend serves (default: all); its checks and output exist only there"},
	{"hypervisor_type", &int32, true, "the paravirt hypervisor type number"},
	{"prefix", &prefix, false, "symbol prefix of its implementations (default: name + '_'), or a map of arch to prefix"},
	{"fallback", &schema_string, false, "backend whose implementation serves ops this one does not list"},
	{"impl", &backend_impls, false, "what this backend implements"},
	{"patch", &schema_per_key_string, false, "per table or group (pv_mmu_ops, pv_cpu_ops.lazy_mode): how its sites are patched, as an impl's `patch`"},
	END};
static struct shape backend = {.kind = SH_MAP, .what = "backend", .keys = core_backend_keys};

static const struct key type_keys[] = {
	{"name", &schema_ident, true, "C type name usable in signatures"},
	{"kind", &schema_string, true, "int, struct (a value wrapped in a struct) or pointer"},
	{"bits", &schema_anything, true, "size in bits: a number, or a map of arch to number"},
	{"raw", &schema_string, false, "struct: the integer type of its value (pte_t: pteval_t)"},
	{"get", &schema_string, false, "struct: the function that reads its raw value (native_pte_val)"},
	{"make", &schema_string, false, "struct: the function that makes one from a raw value (native_make_pte)"},
	DOC,
	END};
static const struct shape type = {.kind = SH_MAP, .what = "type", .keys = type_keys};

static const struct key wrapper_keys[] = {
	{"name", &schema_ident, true, "the wrapper's name"},
	{"sig", &schema_string, false, "its C signature, where it differs from the op's"},
	{"args", &schema_names, false, "C expressions the op gets (default: the wrapper's parameters)"},
	{"inline", &schema_string, false, "'always': __always_inline (default: inline)"},
	{"config", &schema_string, false, "the build condition of the wrapper, where it differs from the op's"},
	DOC,
	END};
static const struct shape wrapper_map = {.kind = SH_MAP, .what = "wrapper", .keys = wrapper_keys};
static const struct shape wrapper = {.kind = SH_SCALAR, .what = "identifier or {name, sig, args, ...}", .lex = LEX_IDENT,
				     .alt = &wrapper_map};

static const struct shape op_list;
static const struct key core_op_keys[] = {
	{"name", &schema_ident, true, "member name in the table struct"},
	{"sig", &schema_string, false, "C signature 'RET (PARAMS)': makes the member a function pointer"},
	{"type", &c_type, false, "C type: makes the member a data field"},
	{"struct", &schema_ident, false, "struct tag: makes the member a nested struct of `ops`"},
	{"ops", &op_list, false, "members of a nested struct"},
	{"kind", &schema_string, false, "call (default), patchable, callee_save or jump"},
	{"wrapper", &wrapper, false, "the generated wrapper: its name (default: the op name), or a mapping"},
	{"config", &schema_string, false, "build condition: CONFIG symbols (no prefix), !SYM, SYM >= N, joined by &&"},
	{"arches", &schema_names, false, "arches where the op exists (default: the table's)"},
	{"optional", &schema_boolean, false, "a backend may leave it NULL; the wrapper tolerates NULL"},
	{"clobbers", &per_arch_names, false, "per arch: registers the op may modify, overriding its kind"},
	END};
static struct shape op = {.kind = SH_MAP, .what = "op", .keys = core_op_keys, .unique_key = "name"};
static const struct shape op_list = {.kind = SH_LIST, .what = "list of ops", .item = &op, .unique_key = "name"};

static const struct key core_table_keys[] = {
	{"name", &schema_ident, true, "C struct and global name"},
	{"struct", &schema_ident, false, "the struct's tag, where it differs from the global's name"},
	{"config", &schema_string, false, "build condition of the whole table (see ops' config)"},
	{"arches", &schema_names, false, "arches that have the table (default: all)"},
	{"ops", &op_list, true, "members in order"},
	END};
static struct shape table = {.kind = SH_MAP, .what = "table", .keys = core_table_keys};


static const struct key core_macro_param_keys[] = {
	{"name", &schema_ident, true, "parameter name"},
	{"role", &schema_string, true, "in, out, pred, clob, pred_clob or const"},
	END};
static struct shape macro_param = {.kind = SH_MAP, .what = "macro parameter", .keys = core_macro_param_keys};
static const struct shape macro_params = {.kind = SH_LIST, .what = "list of parameters", .item = &macro_param, .unique_key = "name"};

static const struct key core_macro_keys[] = {
	{"name", &schema_ident, true, "macro name"},
	{"arches", &schema_names, false, "arches that have it"},
	{"params", &macro_params, false, "parameters, in order"},
	END};
static struct shape macro = {.kind = SH_MAP, .what = "asm macro", .keys = core_macro_keys};

static const struct shape arches = {.kind = SH_LIST, .what = "list of arches", .item = &arch, .unique_key = "name"};
static const struct shape backends = {.kind = SH_LIST, .what = "list of backends", .item = &backend, .unique_key = "name"};
static const struct shape types = {.kind = SH_LIST, .what = "list of types", .item = &type, .unique_key = "name"};
static const struct shape tables = {.kind = SH_LIST, .what = "list of tables", .item = &table};
static const struct shape macros = {.kind = SH_LIST, .what = "list of asm macros", .item = &macro};
static const struct key static_call_keys[] = {
	{"name", &schema_ident, true, "the static call's key"},
	{"sig", &schema_string, true, "C signature of the functions it calls"},
	{"default", &schema_ident, true, "the function it calls until a backend updates it"},
	{"wrapper", &schema_ident, false, "name of the generated inline function that calls it"},
	DOC,
	END};
static const struct shape static_call = {.kind = SH_MAP, .what = "static call", .keys = static_call_keys};
static const struct shape static_calls = {.kind = SH_LIST, .what = "list of static calls", .item = &static_call, .unique_key = "name"};
static const struct key constant_keys[] = {
	{"value", &expr, true, "the value"},
	{"arches", &schema_names, false, "arches that have it (default: all)"},
	DOC,
	END};
static const struct shape constant_map = {.kind = SH_MAP, .what = "constant", .keys = constant_keys};
static const struct shape constant = {.kind = SH_SCALAR, .what = "value or {value, arches}", .alt = &constant_map, .lex = LEX_EXPR};
static const struct shape constants = {.kind = SH_DICT, .what = "map of constants", .item = &constant, .key_lex = LEX_IDENT};

static const struct key core_spec_keys[] = {
	{"pvopsc", &version, true, "spec format version: 1"},
	{"license", &schema_string, false, "SPDX license identifier every generated file carries (GPL-2.0)"},
	{"arches", &arches, true, "the arches and their pv calling conventions"},
	{"backends", &backends, true, "the backends (native, xen, ...)"},
	{"types", &types, false, "C types signatures may use beyond the built-in ones"},
	{"tables", &tables, true, "the op tables, in order"},
	{"constants", &constants, false, "named values used in code (hyperprivop numbers, offsets)"},
	{"asm_macros", &macros, false, "macros for .S files"},
	{"static_calls", &static_calls, false, "calls patched into direct calls (Linux static_call)"},
	{"templates", &schema_string, false, "template set under templates/ (default: each arch's family)"},
	END};
static struct shape spec_shape = {.kind = SH_MAP, .what = "spec", .keys = core_spec_keys};

static const struct key *family_keys(const struct family *f, size_t field)
{
	return f->keys ? *(const struct key *const *)(const void *)((const char *)f->keys + field) : NULL;
}

/* The keys of a mapping the families extend: the core's, each family's in turn, then doc. */
static const struct key *with_family_keys(const struct key *core, size_t field)
{
	static const struct key doc = DOC;
	const struct key *k;
	struct key *all;
	size_t n = 0;

	for (k = core; k->name; k++)
		n++;
	for (const struct family *const *f = families; *f; f++)
		for (k = family_keys(*f, field); k && k->name; k++)
			n++;
	all = xcalloc(n + 2, sizeof(*all)); /* doc, END */
	n = 0;
	for (k = core; k->name; k++)
		all[n++] = *k;
	for (const struct family *const *f = families; *f; f++)
		for (k = family_keys(*f, field); k && k->name; k++)
			all[n++] = *k;
	all[n] = doc;
	return all;
}

/* Once, before the schema is used: the shapes the families extend get their whole key lists
 * (they stay until exit). */
static void add_family_keys(void)
{
	static bool done;

	if (done)
		return;
	done = true;
#define EXTEND(shape, core, field) shape.keys = with_family_keys(core, offsetof(struct schema_family_keys, field))
	EXTEND(spec_shape, core_spec_keys, spec);
	EXTEND(arch, core_arch_keys, arch);
	EXTEND(table, core_table_keys, table);
	EXTEND(op, core_op_keys, op);
	EXTEND(backend, core_backend_keys, backend);
	EXTEND(backend_impl, core_backend_impl_keys, impl);
	EXTEND(macro, core_macro_keys, macro);
	EXTEND(macro_param, core_macro_param_keys, macro_param);
#undef EXTEND
}

static void collect_maps(const struct shape *sh, const struct shape **seen, size_t *n, size_t cap);

bool schema_register_key(const char *name)
{
	static struct strset names; /* made once, kept until exit */
	static bool made;

	if (!made) {
		const struct shape *maps[64];
		size_t n = 0;
		add_family_keys();
		collect_maps(&spec_shape, maps, &n, ARRAY_SIZE(maps));
		for (size_t i = 0; i < n; i++)
			for (const struct key *k = maps[i]->keys; k->name; k++)
				if (k->shape->registers)
					strset_add(&names, k->name);
		made = true;
	}
	return strset_has(&names, name);
}

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

/* The node kind a shape's values have; SH_NAMES: a list (a scalar is one name). */
static enum node_kind node_kind_of(enum shape_kind k)
{
	switch (k) {
	case SH_LIST:
	case SH_NAMES: return NODE_SEQ;
	case SH_MAP:
	case SH_DICT: return NODE_MAP;
	default: return NODE_SCALAR;
	}
}

/* A scalar's value: an integer in range, a boolean. */
static void check_scalar(const struct node *n, const struct shape *sh, const char *key)
{
	long long iv;
	bool bv;

	if (sh->kind == SH_INT && !schema_scalar_int(n, &iv) && !looks_numeric(n))
		diag_error(n->pos, "wrong-kind", "'%s' must be an integer, not '%s'", key, n->str);
	else if (sh->kind == SH_INT && (!schema_scalar_int(n, &iv) || iv < sh->min || iv > sh->max))
		diag_error(n->pos, "integer-range", "'%s' must be an integer from %lld to %lld, not '%s'", key,
			   sh->min, sh->max, n->str);
	else if (sh->kind == SH_BOOL && !schema_scalar_bool(n, &bv))
		diag_error(n->pos, "wrong-kind", "'%s' must be true or false, not '%s'", key, n->str);
	else if (sh->kind == SH_SCALAR)
		check_text(n, sh->lex, key);
}

static void check_kind(const struct node *n, const struct shape *sh, const char *key)
{
	if (sh->alt && n->kind == NODE_MAP) {
		check_kind(n, sh->alt, key);
		return;
	}
	if (sh->kind == SH_ANY || (sh->kind == SH_NAMES && n->kind == NODE_SCALAR))
		return;
	if (n->kind != node_kind_of(sh->kind)) {
		diag_error(n->pos, "wrong-kind", "'%s' must be %s, not a %s", key, kind_word(sh->kind),
			   node_kind_name(n->kind));
		return;
	}
	switch (sh->kind) {
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
	case SH_LIST:
		for (size_t i = 0; i < n->n; i++)
			check_kind(n->items[i], sh->item, key);
		if (sh->unique_key)
			check_unique(n, sh->unique_key, sh->item->what);
		break;
	default:
		check_scalar(n, sh, key);
		break;
	}
}

bool schema_validate(const struct node *root)
{
	int before = diag_error_count();

	add_family_keys();
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

	add_family_keys();
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

	add_family_keys();
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
