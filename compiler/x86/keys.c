/* keys.c: the keys the x86 family adds to the spec's schema (struct family's `keys`). Only
 * the family's analysis (analyze.c) reads them. */
#include "x86.h"

#include "schema.h"

static const struct shape byte = {.kind = SH_INT, .what = "integer 0-255", .min = 0, .max = 255};
static const struct shape stack_bytes = {.kind = SH_INT, .what = "integer -255-255", .min = -255, .max = 255};
static const struct shape per_arch_int = {.kind = SH_DICT, .what = "map of arch to integer", .item = &byte};
static const struct shape per_arch_word = {.kind = SH_DICT, .what = "map of arch to word", .item = &schema_string};
static const struct shape per_arch_stack = {.kind = SH_DICT, .what = "map of arch to integer", .item = &stack_bytes};
static const struct shape stack = {.kind = SH_INT, .what = "integer -255-255", .min = -255, .max = 255,
				   .alt = &per_arch_stack};

/* a list, or a map of arch to list (x86 checks the shape) */
static const struct shape clobber_list = {.kind = SH_ANY, .what = "value", .registers = true};

#define END {NULL, NULL, false, NULL}

/* where the output knowingly differs from Linux 2.6.30's (generated/<arch>/DEPARTURES.md) */
static const struct key departs_keys[] = {
	{"what", &schema_doc_text, true, "what differs from Linux"},
	{"why", &schema_doc_text, true, "the reason"},
	{"test", &schema_doc_text, false, "what holds it (a test or a check)"},
	END};
static const struct shape departs = {.kind = SH_MAP, .what = "departure", .keys = departs_keys};
#define DEPARTS {"departs", &departs, false, "x86: where this differs from Linux 2.6.30, and why (generated/<arch>/DEPARTURES.md)"}

static const struct key arch_keys[] = {
	{"percpu_segment", &schema_string, false, "x86: the segment register whose base is the running cpu's per-cpu area (`%percpu:` in a sequence)"},
	DEPARTS,
	END};

static const struct key table_keys[] = {DEPARTS, END};

static const struct key op_keys[] = {
	{"kinds", &per_arch_word, false, "x86, per arch: the kind where it differs from `kind` (too wide for a site: call)"},
	{"site_bytes", &per_arch_int, false, "x86, per arch: reserve this many bytes at each patch site (NOP-padded)"},
	DEPARTS,
	END};

static const struct key backend_keys[] = {DEPARTS, END};

static const struct key impl_keys[] = {
	{"fixup", &per_arch_word, false, "x86, per arch: where a fault in the sequence continues (an __ex_table entry for its body)"},
	{"unless_feature", &schema_string, false, "x86: the kernel's alternatives put `code` at the site unless the CPU has this feature"},
	{"stack", &stack, false, "x86: bytes the implementation takes off its caller's stack (a frame the hypervisor left there; default 0), or a map of arch to bytes"},
	DEPARTS,
	END};

static const struct key macro_keys[] = {
	{"op", &schema_string, false, "x86: the op the macro's patch site calls"},
	{"clobbers", &clobber_list, false, "x86: registers the site may clobber"},
	{"sequence", &schema_ident, false, "x86: the site holds this backend's sequence for the op, not a call (code that runs without a usable stack)"},
	DEPARTS,
	END};

const struct schema_family_keys x86_schema_keys = {
	.arch = arch_keys,
	.table = table_keys,
	.op = op_keys,
	.backend = backend_keys,
	.impl = impl_keys,
	.macro = macro_keys,
};
