/* test_ia64.c: the IA-64 instruction reader (registers, destinations, units, flags), the
 * bundler on sequences whose bundling the assembler was seen to produce, and the macro
 * expander (substitution, conditionals, .exitm, .error, invocations, source offsets). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ia64/asm.h"
#include "ia64/macro.h"
#include "util.h"

static char last_error[256];
static size_t last_off;

static void keep(void *ctx, size_t off, const char *msg)
{
	(void)ctx;
	last_off = off;
	snprintf(last_error, sizeof(last_error), "%s", msg);
}

static bool has(const struct ia64_regs *rs, const char *name)
{
	for (int i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].name, name) == 0)
			return true;
	return false;
}

static struct ia64_seq parse_ok(const char *text)
{
	struct ia64_seq s;
	last_error[0] = '\0';
	assert_true(ia64_parse(text, &s, keep, NULL));
	return s;
}

static void test_registers(void **state)
{
	char c[IA64_REG_LEN];
	(void)state;
	assert_true(ia64_reg_canon("gp", 2, c));
	assert_string_equal(c, "r1");
	assert_true(ia64_reg_canon("rp", 2, c));
	assert_string_equal(c, "b0");
	assert_true(ia64_reg_canon("ar32", 4, c));
	assert_string_equal(c, "ar.ccv");
	assert_true(ia64_reg_canon("cr.itm", 6, c));
	assert_string_equal(c, "cr.itm");
	assert_true(ia64_reg_canon("psr.l", 5, c));
	assert_string_equal(c, "psr");
	assert_false(ia64_reg_canon("r128", 4, c));
	assert_false(ia64_reg_canon("r08", 3, c));
	assert_false(ia64_reg_canon("p64", 3, c));
	assert_false(ia64_reg_canon("cr.itmm", 7, c));
	const char *list[] = {"r2", "r8-r11", "p6-p15", "ar.k0-ar.k7", "psr"};
	assert_true(ia64_reg_in("r10", list, 5));
	assert_false(ia64_reg_in("r12", list, 5));
	assert_true(ia64_reg_in("p15", list, 5));
	assert_true(ia64_reg_in("ar.k6", list, 5));
	assert_true(ia64_reg_in("psr.um", list, 5));
	assert_false(ia64_reg_in("ar.ccv", list, 5));
}

static void test_destinations(void **state)
{
	(void)state;
	struct ia64_seq s = parse_ok("(p6) ld8 r3 = [r2], 8\n"
				     "st8 [r9] = r10, 16 ;; cmp.ne.unc p7, p0 = r8, r0\n"
				     "mov rr[r8] = r9\n"
				     "bsw.1\n"
				     "break HYPERPRIVOP_SSM_I\n"
				     "mov r14 = r15\n");
	assert_int_equal(s.n, 7);
	assert_string_equal(s.v[0].qp, "p6");
	assert_true(has(&s.v[0].writes, "r3") && has(&s.v[0].writes, "r2"));
	assert_true(has(&s.v[0].reads, "p6"));
	assert_true(has(&s.v[1].writes, "r9") && !has(&s.v[1].writes, "r10"));
	assert_true(s.v[1].stop);
	assert_true(has(&s.v[2].writes, "p7") && !has(&s.v[2].writes, "p0"));
	assert_true(has(&s.v[3].writes, "rr") && has(&s.v[3].reads, "r8"));
	assert_true(has(&s.v[4].writes, "r16") && has(&s.v[4].writes, "r31"));
	assert_int_equal(s.v[4].writes.n, 16);
	assert_int_equal(s.v[5].writes.n, 0); /* what a hypercall returns is the backend's to say */
	assert_string_equal(s.v[5].imm, "HYPERPRIVOP_SSM_I");
	assert_int_equal(s.v[6].writes.n + s.v[6].reads.n, 2);
	assert_true(s.v[6].mov_copy);
	assert_string_equal(s.v[6].copy_src, "r15");
	ia64_seq_free(&s);
}

static void test_units(void **state)
{
	(void)state;
	struct ia64_seq s = parse_ok("mov r8 = ar.itc\nmov ar.lc = r9\nmov r8 = ip\nmov r8 = 5\n"
				     "movl r2 = 0x123\nitc.i r8\nalloc r2 = ar.pfs, 0, 0, 0, 0\n"
				     "ptc.ga r8, r9\nptc.l r8, r9\nhint @pause\nbr.cond.sptk.many 1f\n1:\n");
	assert_int_equal(s.v[0].type, T_M);
	assert_int_equal(s.v[1].type, T_I);
	assert_int_equal(s.v[2].type, T_I);
	assert_int_equal(s.v[3].type, T_A);
	assert_string_equal(s.v[3].imm, "5");
	assert_int_equal(s.v[4].type, T_X);
	assert_true(s.v[5].flags & IF_LAST);
	assert_true(s.v[6].is_alloc && (s.v[6].flags & IF_FIRST));
	assert_true(s.v[5].stop); /* the assembler ends the group before a FIRST instruction */
	assert_true(s.v[7].flags & IF_LAST);
	assert_false(s.v[8].flags & IF_LAST);
	assert_int_equal(s.v[9].type, T_DYN);
	assert_true(s.v[10].branch);
	assert_string_equal(s.v[10].target, "1f");
	assert_int_equal(s.nlabels, 1);
	ia64_seq_free(&s);
}

/* Privilege: what faults above PL 0, per the architecture (not what Xen happens to trap). */
static void test_privileged(void **state)
{
	static const struct {
		const char *text;
		bool priv;
	} cases[] = {
		{"mov r8 = cr.itm", true},  {"mov cr.ifa = r8", true},   {"mov r8 = psr", true},
		{"mov psr.l = r8", true},   {"mov r8 = rr[r8]", true},   {"mov pkr[r8] = r9", true},
		{"mov pmd[r8] = r9", true}, {"mov ar.k3 = r8", true},    {"mov ar.itc = r8", true},
		{"ssm psr.i", true},        {"rsm psr.ic", true},        {"rfi", true},
		{"bsw.1", true},            {"itc.d r8", true},          {"ptc.ga r8, r9", true},
		{"tpa r8 = r9", true},      {"mov r8 = ar.itc", false},  {"mov r8 = ar.k3", false},
		{"mov r8 = cpuid[r8]", false}, {"mov r8 = pmd[r8]", false}, {"fc r8", false},
		{"thash r8 = r8", false},   {"cover", false},            {"rum psr.be", false},
		{"mov r8 = psr.um", false}, {"break 0x13", false},       {"mov ar.ccv = r8", false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ia64_seq s = parse_ok(cases[i].text);
		if (s.v[0].privileged != cases[i].priv)
			fail_msg("%s: privileged %d, expected %d", cases[i].text, s.v[0].privileged, cases[i].priv);
		ia64_seq_free(&s);
	}
	const char *ro[] = {"ar.bsp", "cr.ivr", "cr.irr0", "cr.irr3", "ip"};
	const char *rw[] = {"ar.bspstore", "cr.tpr", "cr.eoi", "ar.rsc", "r16"};
	for (size_t i = 0; i < ARRAY_SIZE(ro); i++) {
		assert_true(ia64_reg_read_only(ro[i]));
		assert_false(ia64_reg_read_only(rw[i]));
	}
}

static void test_syntax_errors(void **state)
{
	struct ia64_seq s;
	(void)state;
	assert_false(ia64_parse("fc r8\nfcc r9", &s, keep, NULL));
	assert_string_equal(last_error, "unknown IA-64 instruction 'fcc'");
	assert_int_equal(last_off, 6);
	ia64_seq_free(&s);
	assert_false(ia64_parse("mov r8 = cr.bogus", &s, keep, NULL));
	assert_string_equal(last_error, "unknown register 'cr.bogus'");
	ia64_seq_free(&s);
	assert_false(ia64_parse("(r8) nop 0", &s, keep, NULL));
	ia64_seq_free(&s);
	assert_false(ia64_parse("(p6) bsw.0", &s, keep, NULL));
	ia64_seq_free(&s);
	assert_false(ia64_parse(".align 32\nnop 0", &s, keep, NULL));
	ia64_seq_free(&s);
	assert_false(ia64_parse("ld8 r2 = [p6]", &s, keep, NULL));
	ia64_seq_free(&s);
}

/* Sequences with the bundles ia64-linux-gnu-as 2.40 gives them (objdump -d). */
static void test_bundles(void **state)
{
	static const struct {
		const char *text, *sig;
	} cases[] = {
		{"cmp.ne p6, p7 = r8, r0\n;;\n(p6) ssm psr.i\n(p7) rsm psr.i\n;;\n(p6) srlz.d", "M;;MI M;;MI"},
		{"mov r2 = 16384\nmov r8 = psr\n;;\nand r8 = r2, r8", "MMI;; MII"},
		{"mov rr[r0] = r8\nmovl r2 = 0x2000000000000000\n;;\nmov rr[r2] = r9\nshl r3 = r2, 1\n;;\n"
		 "add r2 = r2, r3\nmov rr[r3] = r10\n;;\nmov rr[r2] = r11\nshl r3 = r3, 1\n;;\nmov rr[r3] = r14",
		 "MLX;; MI;;I M;;MI;; MII"},
		/* hint refused in a B slot stays hint.i (an I-unit instruction) from then on */
		{"epc\n(p7) hint @pause\n;;\n(p7) cmp.eq p6, p7 = r8, r9\nbreak 0x13", "MBB MI;;I MII"},
		{"itc.i r8\nmov r2 = r3", "M;;MI"},
		{"nop 0\n1:\nnop 0", "MII MII"},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ia64_seq s = parse_ok(cases[i].text);
		struct buf sig = {0};
		int n = ia64_bundle_sig(&s, &sig);
		assert_string_equal(sig.data, cases[i].sig);
		assert_int_equal(n, ia64_bundles(&s));
		buf_free(&sig);
		ia64_seq_free(&s);
	}
}

static struct ia64_macro_def defs[2];

static const struct ia64_macro_def *find(void *ctx, const char *name, size_t n)
{
	(void)ctx;
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		if (defs[i].name && strlen(defs[i].name) == n && strncmp(defs[i].name, name, n) == 0)
			return &defs[i];
	return NULL;
}

static enum ia64_expand_status expand(const char *body, const char *a, const char *b, struct ia64_text *t,
				      char **why)
{
	static const char *const params[] = {"reg", "clob"};
	const char *args[] = {a, b};
	defs[0] = (struct ia64_macro_def){"SELF", params, 2, body};
	memset(t, 0, sizeof(*t));
	return ia64_expand(&defs[0], args, find, NULL, t, keep, NULL, why);
}

static void test_expand(void **state)
{
	static const char *const one[] = {"x"};
	const char *body = ".ifc \"\\reg\", \"r8\"\nbreak 8\n.exitm\n.endif\n.ifnc '\\clob', r8\n"
			   "mov \\clob = r8\n.else\nnop 0\n.endif\nmov \\reg = r8";
	struct ia64_text t;
	char *why = NULL;
	(void)state;

	assert_int_equal(expand(body, "r8", "r9", &t, NULL), EXPAND_OK);
	assert_string_equal(t.buf.data, "break 8\n");
	ia64_text_free(&t);
	assert_int_equal(expand(body, "r2", "r3", &t, NULL), EXPAND_OK);
	assert_string_equal(t.buf.data, "mov r3 = r8\nmov r2 = r8\n");
	assert_int_equal(t.src[4], strstr(body, "\\clob = r8") - body); /* "r3" came from \clob */
	ia64_text_free(&t);
	assert_int_equal(expand(body, "r2", "r8", &t, NULL), EXPAND_OK);
	assert_string_equal(t.buf.data, "nop 0\nmov r2 = r8\n");
	ia64_text_free(&t);

	/* an invocation, with operands of its own; and the macro calling itself swapped */
	defs[1] = (struct ia64_macro_def){"INNER", one, 1, "nop \\x"};
	assert_int_equal(expand("INNER \\clob\nmov \\reg = r0", "r2", "7", &t, NULL), EXPAND_OK);
	assert_string_equal(t.buf.data, "nop 7\nmov r2 = r0\n");
	ia64_text_free(&t);
	assert_int_equal(expand(".ifc \\reg, r9\nSELF \\clob, \\reg\n.exitm\n.endif\nmov \\reg = \\clob", "r9",
				"r2", &t, NULL),
			 EXPAND_OK);
	assert_string_equal(t.buf.data, "mov r2 = r9\n");
	ia64_text_free(&t);

	assert_int_equal(expand(".ifc \\reg, r8\n.error \"not r8\"\n.endif", "r8", "r2", &t, &why), EXPAND_REFUSED);
	assert_string_equal(why, "not r8");
	free(why);
	ia64_text_free(&t);

	assert_int_equal(expand("mov \\nope = r0", "r2", "r3", &t, NULL), EXPAND_ERROR);
	assert_string_equal(last_error, "'\\nope' is not a parameter of SELF");
	ia64_text_free(&t);
	assert_int_equal(expand(".ifc a, a\nnop 0", "r2", "r3", &t, NULL), EXPAND_ERROR);
	ia64_text_free(&t);
	assert_int_equal(expand("SELF \\reg, \\clob", "r2", "r3", &t, NULL), EXPAND_ERROR); /* forever */
	ia64_text_free(&t);
	assert_int_equal(expand("INNER a, b", "r2", "r3", &t, NULL), EXPAND_ERROR);
	assert_string_equal(last_error, "INNER takes 1 operands, not 2");
	ia64_text_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registers),   cmocka_unit_test(test_destinations),
		cmocka_unit_test(test_units),       cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_privileged),
		cmocka_unit_test(test_bundles),     cmocka_unit_test(test_expand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
