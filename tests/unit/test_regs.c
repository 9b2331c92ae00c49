/* test_regs.c: register lists: names, ranges and where each register points, errors at the
 * character in plain and quoted scalars. */
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
#include "regs.h"
#include "util.h"

struct run {
	char *text; /* the YAML document: diagnostics and positions refer to it */
	bool ok;
	struct reglist list;
	char *diags; /* everything diag_flush printed */
};

/* Parse the value of `regs:` in the YAML document "regs: <value>". */
static struct run parse(const char *value)
{
	struct run r = {.text = xasprintf("regs: %s\n", value)};
	const struct source *src = diag_source("t.yaml", r.text, strlen(r.text));
	struct node *root = load_yaml(src);
	size_t len;
	FILE *out = open_memstream(&r.diags, &len);

	assert_non_null(root);
	r.ok = regs_parse(node_get(root, "regs"), &r.list);
	diag_flush(out);
	fclose(out);
	node_free(root);
	return r;
}

/* Positions name the source: forget it only now. */
static void done(struct run *r)
{
	reglist_free(&r->list);
	free(r->diags);
	diag_reset();
	free(r->text);
}

/* The registers of the list, space-separated. */
static char *names(const struct reglist *l)
{
	struct buf b = {0};

	for (int i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", l->r[i].name);
	return b.data ? buf_steal(&b) : xstrdup("");
}

static void check_names(const char *value, const char *want)
{
	struct run r = parse(value);
	char *got = names(&r.list);

	if (!r.ok)
		fail_msg("%s: %s", value, r.diags);
	assert_string_equal(r.diags, "");
	assert_string_equal(got, want);
	free(got);
	done(&r);
}

static void lists(void **state)
{
	(void)state;
	check_names("rax", "rax");
	check_names("[rax, rdi, rsi, rdx, rcx, r8, r9, r10, r11]",
		    "rax rdi rsi rdx rcx r8 r9 r10 r11");
	check_names("[rax, r8-r11]", "rax r8 r9 r10 r11");
	check_names("[p6-p15]", "p6 p7 p8 p9 p10 p11 p12 p13 p14 p15");
	check_names("[ar.ccv, b6, p6, cr.ipsr, eax, f6-f7]", "ar.ccv b6 p6 cr.ipsr eax f6 f7");
	check_names("[ar.k0-ar.k2, xmm0-xmm1, r32-r127]",
		    "ar.k0 ar.k1 ar.k2 xmm0 xmm1 "
		    "r32 r33 r34 r35 r36 r37 r38 r39 r40 r41 r42 r43 r44 r45 r46 r47 r48 r49 r50 "
		    "r51 r52 r53 r54 r55 r56 r57 r58 r59 r60 r61 r62 r63 r64 r65 r66 r67 r68 r69 "
		    "r70 r71 r72 r73 r74 r75 r76 r77 r78 r79 r80 r81 r82 r83 r84 r85 r86 r87 r88 "
		    "r89 r90 r91 r92 r93 r94 r95 r96 r97 r98 r99 r100 r101 r102 r103 r104 r105 r106 "
		    "r107 r108 r109 r110 r111 r112 r113 r114 r115 r116 r117 r118 r119 r120 r121 "
		    "r122 r123 r124 r125 r126 r127");
	check_names("['r8 - r9', \" r10\"]", "r8 r9 r10");
	check_names("[]", "");
	check_names("[r0-r9, r10]", "r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10");
}

static void assert_pos(struct pos p, int line, int col)
{
	assert_string_equal(p.file, "t.yaml");
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
}

/* A register written out points at itself; one a range implies, at the range. */
static void positions(void **state)
{
	/*                     1         2         3
	 *            1234567890123456789012345678901234 */
	struct run r = parse("[rax, 'r8-r11',\n  \"b6\"]");

	(void)state;
	assert_true(r.ok);
	assert_int_equal(r.list.n, 6);
	assert_pos(r.list.r[0].pos, 1, 8);  /* rax */
	assert_pos(r.list.r[1].pos, 1, 14); /* r8 */
	assert_pos(r.list.r[2].pos, 1, 14); /* r9 */
	assert_pos(r.list.r[3].pos, 1, 14); /* r10 */
	assert_pos(r.list.r[4].pos, 1, 17); /* r11 */
	assert_pos(r.list.r[5].pos, 2, 4);  /* b6 */
	done(&r);
}

static void has(void **state)
{
	struct run r = parse("[rax, r8-r11]");

	(void)state;
	assert_true(reglist_has(&r.list, "rax"));
	assert_true(reglist_has(&r.list, "r10"));
	assert_false(reglist_has(&r.list, "r12"));
	assert_false(reglist_has(&r.list, "r1"));
	done(&r);

	/* regs_parse appends */
	r = parse("rax");
	assert_true(r.ok);
	const char *text = "regs: [rbx]\n";
	struct node *root = load_yaml(diag_source("u.yaml", text, strlen(text)));
	assert_true(regs_parse(node_get(root, "regs"), &r.list));
	assert_int_equal(r.list.n, 2);
	assert_string_equal(r.list.r[1].name, "rbx");
	node_free(root);
	done(&r);
}

static void errors(void **state)
{
	static const char *const cases[][2] = {
		{"r11-r8", "t.yaml:1:11: error: range goes down; write 'r8-r11' [register-syntax]"},
		{"r8-b9", "t.yaml:1:10: error: range mixes 'r' and 'b' [register-syntax]"},
		{"[rax, p6-p5]", "t.yaml:1:16: error: range goes down; write 'p5-p6' [register-syntax]"},
		{"\"\"", "t.yaml:1:8: error: empty register name [register-syntax]"},
		{"r8+", "t.yaml:1:9: error: unexpected '+'; expected one register or range per item [register-syntax]"},
		{"r8 r9", "t.yaml:1:10: error: unexpected 'r9'; expected one register or range per item [register-syntax]"},
		{"'r8,r9'", "t.yaml:1:10: error: unexpected ','; expected one register or range per item [register-syntax]"},
		{"r8-", "t.yaml:1:10: error: expected a register after '-' [register-syntax]"},
		{"r8--r9", "t.yaml:1:10: error: unexpected '-'; expected a register after '-' [register-syntax]"},
		{"-r8", "t.yaml:1:7: error: unexpected '-'; expected a register name [register-syntax]"},
		{"8r", "t.yaml:1:7: error: unexpected '8'; expected a register name [register-syntax]"},
		{"r8-r9-r10", "t.yaml:1:12: error: unexpected '-'; expected nothing after the range [register-syntax]"},
		{"rax-rdx", "t.yaml:1:7: error: range bound 'rax' has no number to count from [register-syntax]"},
		{"r8-rdx", "t.yaml:1:10: error: range bound 'rdx' has no number to count from [register-syntax]"},
		{"r08-r11", "t.yaml:1:7: error: range bound 'r08' has a leading zero [register-syntax]"},
		{"r0-r99999999999", "t.yaml:1:10: error: range bound 'r99999999999' has too large a number [register-syntax]"},
		{"r0-r999", "t.yaml:1:10: error: range of 1000 registers; at most 256 [register-syntax]"},
		{"r8-r8", "t.yaml:1:10: error: range of one register; write 'r8' [register-syntax]"},
		{"r8-R9", "t.yaml:1:10: error: range mixes 'r' and 'R' [register-syntax]"},
		{"r\xc3\xa9", "t.yaml:1:8: error: unexpected '\xc3\xa9'; expected one register or range per item [register-syntax]"},
		{"\"r8\\x01\"", "t.yaml:1:10: error: unexpected '\\x01'; expected one register or range per item [register-syntax]"},
		{"'r8-''r9'''", "t.yaml:1:11: error: unexpected '''; expected a register after '-' [register-syntax]"},
		{"\"\\tr11-\\x72\\x38\"", "t.yaml:1:14: error: range goes down; write 'r8-r11' [register-syntax]"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run r = parse(cases[i][0]);
		size_t n = strcspn(r.diags, "\n");

		assert_false(r.ok);
		if (strlen(cases[i][1]) != n || strncmp(r.diags, cases[i][1], n) != 0)
			fail_msg("%s:\n  got:    %.*s\n  wanted: %s", cases[i][0], (int)n, r.diags,
				 cases[i][1]);
		done(&r);
	}
	/* A nested list or mapping is the schema's to report (wrong-kind): refused, silently. */
	for (size_t i = 0; i < 2; i++) {
		struct run r = parse(i ? "{rax: 1}" : "[rax, [rbx]]");
		assert_false(r.ok);
		assert_string_equal(r.diags, "");
		done(&r);
	}
}

/* A bad item does not stop the others: every error is reported, the good ones kept. */
static void several_errors(void **state)
{
	struct run r = parse("[r11-r8, rax, r8-b9]");

	(void)state;
	assert_false(r.ok);
	assert_int_equal(r.list.n, 1);
	assert_string_equal(r.list.r[0].name, "rax");
	assert_string_equal(r.diags,
			    "t.yaml:1:12: error: range goes down; write 'r8-r11' [register-syntax]\n"
			    "    1 | regs: [r11-r8, rax, r8-b9]\n"
			    "      |            ^\n"
			    "t.yaml:1:24: error: range mixes 'r' and 'b' [register-syntax]\n"
			    "    1 | regs: [r11-r8, rax, r8-b9]\n"
			    "      |                        ^\n");
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists),
		cmocka_unit_test(positions),
		cmocka_unit_test(has),
		cmocka_unit_test(errors),
		cmocka_unit_test(several_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
