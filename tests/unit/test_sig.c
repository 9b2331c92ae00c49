/* test_sig.c: the signature grammar: canonical forms, the ctype fields, positions of types,
 * parameters and errors in plain, quoted and block scalars. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "load.h"
#include "node.h"
#include "sig.h"
#include "util.h"

/* Types the spec would declare under `types:`. */
static bool is_type(const char *name, void *ctx)
{
	static const char *const types[] = {
		"pte_t", "pgd_t", "gate_desc", "phys_addr_t", "pgprot_t", "ia64_vector",
		"struct paravirt_callee_save",
	};

	(void)ctx;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(name, types[i]) == 0)
			return true;
	return false;
}

struct run {
	char *text; /* the YAML document: diagnostics and positions refer to it */
	bool ok;
	struct csig sig;
	char *diags; /* everything diag_flush printed */
};

/* Parse the value of `sig:` in the YAML document "sig: <value>". */
static struct run parse(const char *value)
{
	struct run r = {.text = xasprintf("sig: %s\n", value)};
	const struct source *src = diag_source("t.yaml", r.text, strlen(r.text));
	struct node *root = load_yaml(src);
	size_t len;
	FILE *out = open_memstream(&r.diags, &len);

	assert_non_null(root);
	r.ok = sig_parse(node_get(root, "sig"), is_type, NULL, &r.sig);
	diag_flush(out);
	fclose(out);
	node_free(root);
	return r;
}

/* Positions name the source: forget it only now. */
static void done(struct run *r)
{
	sig_free(&r->sig);
	free(r->diags);
	diag_reset();
	free(r->text);
}

/* `value` parses, without a diagnostic, to `canon`. */
static void check_canon(const char *value, const char *canon)
{
	struct run r = parse(value);
	char *s;

	if (!r.ok)
		fail_msg("%s: %s", value, r.diags);
	assert_string_equal(r.diags, "");
	s = sig_to_string(&r.sig);
	assert_string_equal(s, canon);
	free(s);
	done(&r);
}

/* `value` fails with exactly one error whose first line is `first`. */
static void check_error(const char *value, const char *first)
{
	struct run r = parse(value);
	size_t n = strcspn(r.diags, "\n");

	assert_false(r.ok);
	if (strlen(first) != n || strncmp(r.diags, first, n) != 0)
		fail_msg("%s:\n  got:    %.*s\n  wanted: %s", value, (int)n, r.diags, first);
	/* sig_parse leaves nothing behind on failure: sig_free is a no-op, calling it is safe */
	assert_null(r.sig.params);
	assert_null(r.sig.ret.spelling);
	done(&r);
}

static void linux_paravirt(void **state)
{
	static const char *const sigs[][2] = {
		{"unsigned long (unsigned int msr, int *err)", NULL},
		{"u64 (void)", NULL},
		{"void (struct desc_struct *, int entrynum, const void *desc, int size)", NULL},
		{"unsigned (u8 type, u16 clobber, void *insnbuf, unsigned long addr, unsigned len)",
		 "unsigned int (u8 type, u16 clobber, void *insnbuf, unsigned long addr, unsigned int len)"},
		{"void (pte_t *ptep, pte_t pteval)", NULL},
		{"unsigned long long (unsigned int *aux)", NULL},
		{"struct irq_chip *(unsigned long trigger)", NULL},
		{"void (void)", NULL},
		{"int (struct raw_spinlock *lock)", NULL},
		{"void (const struct desc_ptr *)", NULL},
		{"void (struct mm_struct *mm, unsigned long pfn)", NULL},
		{"void (pgd_t *pgdp, pgd_t pgd)", NULL},
		{"void (gate_desc *dt, int entry, const gate_desc *g)", NULL},
		{"void (unsigned int *eax, unsigned int *ebx, unsigned int *ecx, unsigned int *edx)", NULL},
		{"u64 (unsigned int msr, int *err)", NULL},
		{"int (unsigned int msr, u32 low, u32 high)", NULL},
		{"void (phys_addr_t phys, pgprot_t flags)", NULL},
		{"void *(struct page *page, enum km_type type)", NULL},
		{"ia64_vector (int irq)", NULL},
		{"unsigned long (int reg)", NULL},
		{"void (unsigned long addr, unsigned long size)", NULL},
		{"bool (long cpu)", NULL},
		{"void (struct paravirt_callee_save s)", NULL},
		{"size_t (const char **argv, s8 n, s16 m, s32 o, s64 p)", NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		check_canon(sigs[i][0], sigs[i][1] ? sigs[i][1] : sigs[i][0]);
}

static void canonical_spelling(void **state)
{
	static const char *const sigs[][2] = {
		{"long unsigned int (void)", "unsigned long (void)"},
		{"unsigned (void)", "unsigned int (void)"},
		{"signed int (signed)", "int (int)"},
		{"signed char (char, unsigned char)", "signed char (char, unsigned char)"},
		{"short int (signed short, short unsigned int)", "short (short, unsigned short)"},
		{"long long int (long int long)", "long long (long long)"},
		{"int long unsigned long (void)", "unsigned long long (void)"},
		{"void(char const*const_p)", "void (const char *const_p)"},
		{"void()", "void (void)"},
		{"  void  (  int  x  ,  char**argv )  ", "void (int x, char **argv)"},
		{"const void * (const int const x)", "const void *(const int x)"},
		{"void (struct desc_struct const *)", "void (const struct desc_struct *)"},
		{"pte_t const * (pgd_t * * pp)", "const pte_t *(pgd_t **pp)"},
		{"_Bool (bool b)", "_Bool (bool b)"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		check_canon(sigs[i][0], sigs[i][1]);
}

static void int_fields(void **state)
{
	static const struct {
		const char *type, *base;
		int bits;
		bool is_unsigned;
	} types[] = {
		{"char", "char", 8, false},
		{"unsigned char", "unsigned char", 8, true},
		{"short", "short", 16, false},
		{"unsigned", "unsigned int", 32, true},
		{"int", "int", 32, false},
		{"long", "long", -1, false},
		{"long unsigned int", "unsigned long", -1, true},
		{"long long", "long long", 64, false},
		{"unsigned long long", "unsigned long long", 64, true},
		{"_Bool", "_Bool", 8, true},
		{"bool", "bool", 8, true},
		{"size_t", "size_t", -1, true},
		{"u8", "u8", 8, true},
		{"u16", "u16", 16, true},
		{"u32", "u32", 32, true},
		{"u64", "u64", 64, true},
		{"s8", "s8", 8, false},
		{"s16", "s16", 16, false},
		{"s32", "s32", 32, false},
		{"s64", "s64", 64, false},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		char *value = xasprintf("%s (void)", types[i].type);
		struct run r = parse(value);

		assert_true(r.ok);
		assert_int_equal(r.sig.ret.cls, CT_INT);
		assert_string_equal(r.sig.ret.base, types[i].base);
		assert_string_equal(r.sig.ret.spelling, types[i].base);
		assert_int_equal(r.sig.ret.int_bits, types[i].bits);
		assert_int_equal(r.sig.ret.is_unsigned, types[i].is_unsigned);
		assert_int_equal(r.sig.ret.ptr, 0);
		assert_int_equal(r.sig.nparams, 0);
		done(&r);
		free(value);
	}
}

static void type_fields(void **state)
{
	struct run r = parse("unsigned long (unsigned int msr, const struct desc_ptr **d, pte_t v, "
			     "struct paravirt_callee_save cs, void *p)");
	const struct cparam *p = r.sig.params;

	(void)state;
	assert_true(r.ok);
	assert_int_equal(r.sig.nparams, 5);
	assert_int_equal(r.sig.ret.cls, CT_INT);

	assert_string_equal(p[0].name, "msr");
	assert_int_equal(p[0].type.cls, CT_INT);
	assert_string_equal(p[0].type.base, "unsigned int");

	assert_string_equal(p[1].name, "d");
	assert_int_equal(p[1].type.cls, CT_PTR);
	assert_int_equal(p[1].type.ptr, 2);
	assert_true(p[1].type.is_const);
	assert_string_equal(p[1].type.base, "struct desc_ptr");
	assert_string_equal(p[1].type.spelling, "const struct desc_ptr **");

	assert_int_equal(p[2].type.cls, CT_DECLARED);
	assert_string_equal(p[2].type.base, "pte_t");
	assert_false(p[2].type.is_const);

	assert_int_equal(p[3].type.cls, CT_DECLARED);
	assert_string_equal(p[3].type.base, "struct paravirt_callee_save");

	assert_int_equal(p[4].type.cls, CT_PTR);
	assert_string_equal(p[4].type.base, "void");
	done(&r);

	r = parse("void *(enum km_type type)");
	assert_true(r.ok);
	assert_int_equal(r.sig.params[0].type.cls, CT_INT);
	assert_int_equal(r.sig.params[0].type.int_bits, 32);
	assert_string_equal(r.sig.params[0].type.spelling, "enum km_type");
	done(&r);

	r = parse("void (void)");
	assert_true(r.ok);
	assert_int_equal(r.sig.ret.cls, CT_VOID);
	assert_int_equal(r.sig.nparams, 0);
	done(&r);
}

static void assert_pos(struct pos p, int line, int col)
{
	assert_string_equal(p.file, "t.yaml");
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
}

static void positions(void **state)
{
	/*            0        1         2         3         4
	 *            123456789012345678901234567890123456789012345 */
	struct run r = parse("const char *(struct desc_struct *, int  entrynum)");

	(void)state;
	assert_true(r.ok);
	assert_pos(r.sig.pos, 1, 6);
	assert_pos(r.sig.ret.pos, 1, 6);
	assert_pos(r.sig.params[0].pos, 1, 19);
	assert_pos(r.sig.params[0].type.pos, 1, 19);
	assert_pos(r.sig.params[1].pos, 1, 41);
	assert_pos(r.sig.params[1].name_pos, 1, 46);
	done(&r);

	/* A quoted scalar, and one spread over lines. */
	r = parse("'void (const int a, pte_t b)'");
	assert_true(r.ok);
	assert_pos(r.sig.params[0].pos, 1, 13);
	assert_pos(r.sig.params[1].name_pos, 1, 32);
	done(&r);

	r = parse("void (int a,\n   pte_t\n     b)");
	assert_true(r.ok);
	assert_pos(r.sig.params[1].pos, 2, 4);
	assert_pos(r.sig.params[1].name_pos, 3, 6);
	done(&r);
}

static void errors(void **state)
{
	static const char *const cases[][2] = {
		{"void (pteval x)",
		 "t.yaml:1:12: error: unknown type 'pteval'; declare it under 'types:' [signature-unknown-type]"},
		{"void (int *p, unsinged x)",
		 "t.yaml:1:20: error: unknown type 'unsinged'; did you mean 'unsigned'? [signature-unknown-type]"},
		{"pteval *(void)",
		 "t.yaml:1:6: error: unknown type 'pteval'; declare it under 'types:' [signature-unknown-type]"},
		{"void (struct foo f)",
		 "t.yaml:1:19: error: struct 'foo' is passed by value; declare 'struct foo' under 'types:' [signature-unknown-type]"},
		{"void (int x",
		 "t.yaml:1:17: error: unexpected end of signature in parameter list; expected ')' or ',' [signature-syntax]"},
		{"void (int x y)",
		 "t.yaml:1:18: error: unexpected 'y' in parameter list; expected ')' or ',' [signature-syntax]"},
		{"void (int x) y",
		 "t.yaml:1:19: error: unexpected 'y' after parameter list; expected end of signature [signature-syntax]"},
		{"void int x",
		 "t.yaml:1:11: error: 'int' cannot be combined with 'void' [signature-syntax]"},
		{"(void)",
		 "t.yaml:1:6: error: unexpected '(' in return type; expected const or struct or enum or type keyword or identifier [signature-syntax]"},
		{"void (int,)",
		 "t.yaml:1:16: error: unexpected ')' in parameter list; expected const or struct or enum or type keyword or identifier [signature-syntax]"},
		{"void (int x$)",
		 "t.yaml:1:17: error: unexpected '$' in parameter list; expected ')' or ',' [signature-syntax]"},
		{"void (int \xc3\xa9)",
		 "t.yaml:1:16: error: unexpected '\xc3\xa9' in parameter list [signature-syntax]"},
		{"void (void x)",
		 "t.yaml:1:12: error: parameter 'x' has type 'void' [signature-syntax]"},
		{"void (int a, void)",
		 "t.yaml:1:19: error: 'void' must be the only parameter [signature-syntax]"},
		{"void (const void)",
		 "t.yaml:1:12: error: 'void' as the only parameter cannot be const [signature-syntax]"},
		{"unsigned void (void)",
		 "t.yaml:1:15: error: 'void' cannot be combined with 'unsigned' [signature-syntax]"},
		{"long long long (void)",
		 "t.yaml:1:16: error: 'long long long' is too long [signature-syntax]"},
		{"int int (void)",
		 "t.yaml:1:10: error: duplicate 'int' [signature-syntax]"},
		{"unsigned signed (void)",
		 "t.yaml:1:15: error: 'signed' cannot be combined with 'unsigned' [signature-syntax]"},
		{"char long (void)",
		 "t.yaml:1:11: error: 'long' cannot be combined with 'char' [signature-syntax]"},
		{"void (struct int *p)",
		 "t.yaml:1:19: error: unexpected 'int' in parameter list; expected identifier [signature-syntax]"},
		{"char *const (void)",
		 "t.yaml:1:12: error: const pointers ('* const') are not supported [signature-syntax]"},
		{"void f(int)",
		 "t.yaml:1:11: error: a signature names no function; write 'RET (PARAMS)' [signature-syntax]"},
		{"void (int a, int a)",
		 "t.yaml:1:23: error: duplicate parameter name 'a' [signature-syntax]"},
		{"''",
		 "t.yaml:1:7: error: empty signature; expected 'RET (PARAMS)' [signature-syntax]"},
		{"[void]",
		 "t.yaml:1:6: error: expected a signature like 'void (int x)', found a list [signature-syntax]"},
		/* single-quoted: '' is one quote in the value */
		{"'void (int it''s)'",
		 "t.yaml:1:19: error: unexpected ''' in parameter list; expected ')' or ',' [signature-syntax]"},
		{"'void (int a,\n\n     pteval b)'",
		 "t.yaml:3:6: error: unknown type 'pteval'; declare it under 'types:' [signature-unknown-type]"},
		/* double-quoted: escapes are longer in the source than in the value */
		{"\"void\\t(int x, foo y)\"",
		 "t.yaml:1:21: error: unknown type 'foo'; declare it under 'types:' [signature-unknown-type]"},
		{"\"\\x76oid (int \\x01)\"",
		 "t.yaml:1:20: error: unexpected '\\x01' in parameter list [signature-syntax]"},
		{"\"void (int x\"",
		 "t.yaml:1:18: error: unexpected end of signature in parameter list; expected ')' or ',' [signature-syntax]"},
		/* plain and block scalars over several lines */
		{"void (int a,\n  pteval b)",
		 "t.yaml:2:3: error: unknown type 'pteval'; declare it under 'types:' [signature-unknown-type]"},
		{"|\n  void (int a,\n        foo b)",
		 "t.yaml:3:9: error: unknown type 'foo'; declare it under 'types:' [signature-unknown-type]"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_error(cases[i][0], cases[i][1]);
}

/* The whole report: the line, the caret under the offending character, and the note. */
static void report_format(void **state)
{
	struct run r = parse("'void (int a, int a)'");

	(void)state;
	assert_false(r.ok);
	assert_string_equal(r.diags,
			    "t.yaml:1:24: error: duplicate parameter name 'a' [signature-syntax]\n"
			    "    1 | sig: 'void (int a, int a)'\n"
			    "      |                        ^\n"
			    "t.yaml:1:17: note: 'a' first named here\n"
			    "    1 | sig: 'void (int a, int a)'\n"
			    "      |                 ^\n");
	done(&r);
}

/* Every unknown type is reported, a syntax error only when nothing came before it (it is
 * most likely a consequence). */
static void several_errors(void **state)
{
	struct run r = parse("foo (bar a, baz)");

	(void)state;
	assert_false(r.ok);
	assert_non_null(strstr(r.diags, "1:6: error: unknown type 'foo'"));
	assert_non_null(strstr(r.diags, "1:11: error: unknown type 'bar'"));
	assert_non_null(strstr(r.diags, "1:18: error: unknown type 'baz'"));
	done(&r);

	r = parse("unsinged long x (void)");
	assert_false(r.ok);
	assert_non_null(strstr(r.diags, "unknown type 'unsinged'"));
	assert_null(strstr(r.diags, "signature-syntax"));
	done(&r);
}

/* Without a callback every spec type is unknown, and nothing crashes. */
static void no_callback(void **state)
{
	const char *text = "a: void (pte_t *p, struct x *q)\nb: void (struct x q)\n";
	const struct source *src = diag_source("t.yaml", text, strlen(text));
	struct node *root = load_yaml(src);
	struct csig sig;

	(void)state;
	assert_false(sig_parse(node_get(root, "a"), NULL, NULL, &sig));
	assert_false(sig_parse(node_get(root, "b"), NULL, NULL, &sig));
	sig_free(&sig);
	assert_int_equal(diag_error_count(), 2);
	node_free(root);
	diag_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(linux_paravirt),
		cmocka_unit_test(canonical_spelling),
		cmocka_unit_test(int_fields),
		cmocka_unit_test(type_fields),
		cmocka_unit_test(positions),
		cmocka_unit_test(errors),
		cmocka_unit_test(report_format),
		cmocka_unit_test(several_errors),
		cmocka_unit_test(no_callback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
