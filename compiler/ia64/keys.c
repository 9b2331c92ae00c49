/* keys.c: the keys the IA-64 family adds to the spec's schema (struct family's `keys`). Only
 * the family's analysis (analyze.c) reads them. */
#include "ia64.h"

#include "schema.h"

static const struct shape bundles = {.kind = SH_INT, .what = "integer 1-64", .min = 1, .max = 64};
static const struct shape uint32 = {.kind = SH_INT, .what = "integer 0-0xffffffff", .min = 0, .max = 4294967295LL};
static const struct shape suffix = {.kind = SH_SCALAR, .what = "identifier suffix", .lex = LEX_SUFFIX};

#define END {NULL, NULL, false, NULL}

static const struct key register_keys[] = {
	{"name", &schema_string, true, "register name as the assembler writes it"},
	{"number", &uint32, false, "register number of the getreg/setreg intrinsics (check ia64-register-number)"},
	{"get", &schema_boolean, false, "getreg is paravirtualized (default true)"},
	{"set", &schema_boolean, false, "setreg is paravirtualized (default true)"},
	{"cname", &suffix, false, "C constant suffix, _IA64_REG_<cname> (default: the name in capitals)"},
	{"set_name", &schema_string, false, "assembler name when written, if not `name` (psr: psr.l)"},
	{"get_code", &schema_per_key_string, false, "per backend: this register's getreg body"},
	{"set_code", &schema_per_key_string, false, "per backend: this register's setreg body"},
	{"get_traps", &schema_per_key_string, false, "per backend: why its get_code may trap (see `traps`)"},
	{"set_traps", &schema_per_key_string, false, "per backend: why its set_code may trap (see `traps`)"},
	{"arches", &schema_names, false, "arches that have it"},
	{"doc", &schema_doc_text, false, "free text, copied into generated comments"},
	END};
static const struct shape reg = {.kind = SH_MAP, .what = "register", .keys = register_keys};
static const struct shape registers = {.kind = SH_LIST, .what = "list of registers", .item = &reg};

static const struct key spec_keys[] = {
	{"registers", &registers, false, "IA-64 getreg/setreg registers"},
	END};

static const struct key arch_keys[] = {
	{"site_bundles", &bundles, false, "IA-64: bundles in the patchable call stub"},
	{"return_branch", &schema_string, false, "IA-64: branch register a stub callee returns through"},
	{"sensitive", &schema_names, false, "IA-64: instructions the checker refuses in .S code besides the forms it derives from the backends (native/pvcheck.sed)"},
	{"gp_save", &schema_string, false, "IA-64: the register the stub keeps the caller's gp in across the branch (bodies may not write it; default r16)"},
	END};

static const struct key op_keys[] = {
	{"patch_type", &uint32, false, "IA-64: the op's patch type number"},
	{"reg_param", &schema_string, false, "IA-64 getreg/setreg: the parameter holding the register number"},
	{"reg_arg_order", &schema_registers, false, "IA-64: stub argument registers of the params, if not in order"},
	{"writes", &schema_registers, false, "IA-64: state the op changes by design (rr, psr), beyond its clobbers"},
	END};

static const struct key backend_keys[] = {
	{"break_results", &schema_names, false, "IA-64: break immediates whose hypercall returns a value in r8"},
	{"asm_aliases", &schema_per_key_string, false, "IA-64: names (NAME or NAME(params)) its inst.h defines for Linux's .S files, and what each stands for"},
	{"deprivileged", &schema_boolean, false, "IA-64: the kernel runs above privilege level 0, so its bodies may not use privileged instructions (unless marked `traps`)"},
	END};

static const struct key impl_keys[] = {
	{"inline", &schema_boolean, false, "IA-64: false keeps the body out of line (never copied to a site)"},
	{"traps", &schema_string, false, "IA-64: why the body may execute a privileged instruction in a deprivileged backend (the hypervisor traps and emulates it)"},
	END};

static const struct key macro_keys[] = {
	{"expand", &schema_per_key_string, false, "per backend: the expansion"},
	{"writes", &schema_registers, false, "IA-64: registers the macro changes by design, beyond out and clob"},
	END};

static const struct key macro_param_keys[] = {
	{"prefix", &schema_ident_prefix, false, "const: what the C preprocessor pastes before the operand"},
	END};

const struct schema_family_keys ia64_schema_keys = {
	.spec = spec_keys,
	.arch = arch_keys,
	.op = op_keys,
	.backend = backend_keys,
	.impl = impl_keys,
	.macro = macro_keys,
	.macro_param = macro_param_keys,
};
