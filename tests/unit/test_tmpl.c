/* test_tmpl.c: the template engine (tmpl.l, tmpl.y, tmpl.c) and the data it reads (tval.c):
 * rendering, the standalone rule, and every diagnostic with its exact position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "tmpl.h"
#include "tval.h"
#include "util.h"

struct run {
	char *out;   /* the rendered text; NULL when parsing or rendering failed */
	char *diags; /* everything diag_flush printed */
};

/* Parse `text` as the template "t.tmpl" and render it with `data`. */
static struct run run(const char *text, const struct tval *data)
{
	struct run r = {0};
	struct tmpl *t = tmpl_parse(diag_source("t.tmpl", text, strlen(text)));
	struct buf out = {0};
	size_t len;
	FILE *f;

	if (t && tmpl_render(t, data, &out))
		r.out = buf_steal(&out);
	buf_free(&out);
	tmpl_free(t);
	f = open_memstream(&r.diags, &len);
	diag_flush(f);
	fclose(f);
	diag_reset();
	return r;
}

static void done(struct run *r)
{
	free(r->out);
	free(r->diags);
}

/* `text` renders `want` without a diagnostic. */
static void check(const char *text, const struct tval *data, const char *want)
{
	struct run r = run(text, data);

	if (!r.out || *r.diags)
		fail_msg("%s:\n%s", text, r.diags);
	assert_string_equal(r.out, want);
	done(&r);
}

/* `text` fails, and diag_flush prints exactly `want`. */
static void check_error(const char *text, const struct tval *data, const char *want)
{
	struct run r = run(text, data);

	assert_null(r.out);
	assert_string_equal(r.diags, want);
	done(&r);
}

static struct tval *add_op(struct tval *ops, const char *name, const char *ret, bool returns)
{
	struct tval *op = tv_add_map(ops);

	tv_set_str(op, "name", name);
	tv_set_str(op, "ret", ret);
	tv_set_bool(op, "returns", returns);
	return tv_set(op, "params", tv_list());
}

static void add_param(struct tval *params, const char *type, const char *name)
{
	struct tval *p = tv_add_map(params);

	tv_set_str(p, "type", type);
	tv_set_str(p, "name", name);
}

/* A cut-down model of what the generator renders. */
static struct tval *model(void)
{
	struct tval *root = tv_map(), *ops = tv_set(root, "ops", tv_list());
	struct tval *names = tv_set(root, "names", tv_list());
	struct tval *cpu = tv_set(root, "cpu", tv_map()), *params;

	tv_set_str(root, "arch", "x86");
	tv_set_str(root, "empty", "");
	tv_set_bool(root, "yes", true);
	tv_set_bool(root, "no", false);
	tv_set(root, "none", tv_list());
	tv_add_str(names, "a");
	tv_add_str(names, "b");
	tv_add_str(names, "c");
	tv_set_str(cpu, "name", "generic");
	tv_set_int(cpu, "bits", 64);
	add_op(ops, "read_cr0", "unsigned long", true);
	params = add_op(ops, "write_cr0", "void", false);
	add_param(params, "unsigned long", "val");
	params = add_op(ops, "set_pte", "void", false);
	add_param(params, "pte_t *", "ptep");
	add_param(params, "pte_t", "pte");
	return root;
}

/* A whole tree at once, lists too large for the arena's chunks included; the next tree starts
 * afresh. */
static void tval_free_all(void **state)
{
	for (int round = 0; round < 2; round++) {
		struct tval *root = tv_map(), *list = tv_set(root, "list", tv_list());

		(void)state;
		for (int i = 0; i < 20000; i++)
			tv_set_int(tv_add_map(list), "i", i + round);
		tv_set(root, "again", tv_ref(list));
		assert_string_equal(tv_get(list->items[19999], "i")->str, round ? "20000" : "19999");
		tv_free_all(root);
	}
}

/* Maps find keys through a hash index, and past 32768 keys by a scan; equal texts are one node. */
static void tval_index_and_sharing(void **state)
{
	struct tval *m = tv_map(), *big = tv_map();
	char key[16];

	(void)state;
	for (int i = 0; i < 40000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		tv_set_int(big, key, i);
		if (i % 7 == 0)
			tv_set_int(big, key, -i); /* replaces */
	}
	assert_int_equal(big->n, 40000);
	for (int i = 0; i < 40000; i += 997) {
		char want[16];
		snprintf(key, sizeof(key), "k%d", i);
		snprintf(want, sizeof(want), "%d", i % 7 ? i : -i);
		assert_string_equal(tv_get(big, key)->str, want);
		assert_ptr_equal(tv_getk(big, tv_key(key, strlen(key))), tv_get(big, key));
		assert_string_equal(tv_key_name(big, (size_t)i), key);
	}
	assert_null(tv_get(big, "k40000"));
	assert_null(tv_getk(m, tv_key("k1", 2)));
	tv_set_str(m, "x", "same text");
	tv_set_str(m, "y", "same text");
	assert_ptr_equal(tv_get(m, "x"), tv_get(m, "y"));
	tv_set_str(m, "x", "other"); /* frees nothing the other key still shows */
	assert_string_equal(tv_get(m, "y")->str, "same text");
	tv_free(big);
	tv_free(m);
}

static void tval_maps_and_lists(void **state)
{
	struct tval *m = tv_map(), *list = tv_list(), *shared;
	const struct tval *v;

	(void)state;
	tv_set_str(m, "a", "1");
	tv_set_strf(m, "b", "%s-%d", "x", 2);
	tv_set_int(m, "c", -7);
	tv_set_bool(m, "d", true);
	assert_int_equal(m->n, 4);
	v = tv_set_str(m, "a", "one"); /* replaces, keeps the order */
	assert_int_equal(m->n, 4);
	assert_ptr_equal(tv_get(m, "a"), v);
	assert_string_equal(tv_key_name(m, 0), "a");
	assert_string_equal(tv_get(m, "a")->str, "one");
	assert_string_equal(tv_get(m, "b")->str, "x-2");
	assert_string_equal(tv_get(m, "c")->str, "-7");
	assert_true(tv_get(m, "d")->b);
	assert_null(tv_get(m, "e"));
	assert_null(tv_get(m, ""));
	assert_string_equal(tv_getn(m, "b.c", 1)->str, "x-2");
	assert_null(tv_getn(m, "ab", 2));
	assert_null(tv_get(tv_get(m, "a"), "a")); /* not a map */
	assert_null(tv_get(NULL, "a"));

	for (int i = 0; i < 100; i++)
		tv_add(list, tv_strf("%d", i));
	assert_int_equal(list->n, 100);
	assert_string_equal(list->items[99]->str, "99");

	/* One map in two lists: each owner frees it, the last one for real. */
	shared = tv_add_map(tv_set(m, "l1", tv_list()));
	tv_set_str(shared, "k", "v");
	tv_add(tv_set(m, "l2", tv_list()), tv_ref(shared));
	tv_set(m, "list", list);
	tv_set(m, "l1", tv_str("replaced")); /* drops one owner */
	assert_string_equal(tv_get(tv_get(m, "l2")->items[0], "k")->str, "v");
	tv_free(m);
	tv_free(NULL);
}

static void substitution(void **state)
{
	struct tval *d = model();

	(void)state;
	check("{{arch}}", d, "x86");
	check("arch={{ arch }}, cpu={{cpu.name}}/{{\tcpu.bits }}.\n", d, "arch=x86, cpu=generic/64.\n");
	check("{{empty}}|{{arch}}{{arch}}", d, "|x86x86");
	check("", d, "");
	check("no tags at all\n", d, "no tags at all\n");
	tv_free(d);
}

static void each_and_scopes(void **state)
{
	struct tval *d = model();

	(void)state;
	/* The inner {{name}} is the parameter's; {{arch}} comes from the outermost scope. */
	check("{{#each ops}}{{arch}}: {{ret}} {{name}}({{#each params}}{{type}} {{name}}"
	      "{{#sep}}, {{/sep}}{{/each}})\n{{/each}}",
	      d,
	      "x86: unsigned long read_cr0()\n"
	      "x86: void write_cr0(unsigned long val)\n"
	      "x86: void set_pte(pte_t * ptep, pte_t pte)\n");
	check("{{#each names}}[{{.}}]{{/each}}", d, "[a][b][c]");
	check("{{#each none}}never{{/each}}", d, "");
	tv_free(d);
}

static void loop_variables(void **state)
{
	struct tval *d = model();

	(void)state;
	check("{{#each names}}{{@index}}:{{.}} {{@first}} {{@last}}\n{{/each}}", d,
	      "0:a true false\n1:b false false\n2:c false true\n");
	check("{{#each names}}{{#if @first}}({{/if}}{{.}}{{#unless @last}}, {{else}}){{/unless}}{{/each}}",
	      d, "(a, b, c)");
	/* {{#sep}} follows the innermost loop, also from inside an {{#if}}. */
	check("{{#each ops}}{{name}}{{#if yes}}{{#sep}};{{/sep}}{{/if}}{{/each}}", d,
	      "read_cr0;write_cr0;set_pte");
	check("{{#each ops}}{{#each names}}{{@index}}{{/each}}{{#sep}}|{{/sep}}{{/each}}", d,
	      "012|012|012");
	tv_free(d);
}

static void conditions(void **state)
{
	struct tval *d = model();
	static const char *const cases[][2] = {
		{"{{#if yes}}T{{else}}F{{/if}}", "T"},
		{"{{#if no}}T{{else}}F{{/if}}", "F"},
		{"{{#if arch}}T{{else}}F{{/if}}", "T"},
		{"{{#if empty}}T{{else}}F{{/if}}", "F"},
		{"{{#if names}}T{{else}}F{{/if}}", "T"},
		{"{{#if none}}T{{else}}F{{/if}}", "F"},
		{"{{#if cpu}}T{{else}}F{{/if}}", "T"},
		{"{{#if cpu.name}}T{{/if}}", "T"},
		{"{{#if no}}T{{/if}}", ""},
		{"{{#unless no}}U{{/unless}}", "U"},
		{"{{#unless yes}}U{{else}}u{{/unless}}", "u"},
		{"{{#unless empty}}U{{/unless}}", "U"},
		{"{{#if yes}}{{#if no}}a{{else}}b{{/if}}{{else}}c{{/if}}", "b"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check(cases[i][0], d, cases[i][1]);
	tv_free(d);
}

static void standalone_lines(void **state)
{
	struct tval *d = model();

	(void)state;
	check("struct pv_ops {\n"
	      "\t{{#each ops}}\n"
	      "\t{{! one member per op }}\n"
	      "\t{{#if returns}}\n"
	      "\t{{ret}} (*{{name}})(void);\n"
	      "\t{{else}}\n"
	      "\tvoid (*{{name}})({{#each params}}{{type}}{{#sep}}, {{/sep}}{{/each}});\n"
	      "  \t{{/if}}  \t\n"
	      "\t{{/each}}\n"
	      "};\n",
	      d,
	      "struct pv_ops {\n"
	      "\tunsigned long (*read_cr0)(void);\n"
	      "\tvoid (*write_cr0)(unsigned long);\n"
	      "\tvoid (*set_pte)(pte_t *, pte_t);\n"
	      "};\n");
	/* Several tags on a line, a comment over lines, the last line without a newline. */
	check("a\n"
	      "  {{#if yes}} {{#each names}}\n"
	      "{{.}}\n"
	      " {{/each}}{{/if}}\n"
	      "  {{! a\n"
	      "comment }}  \n"
	      "b\n"
	      "{{#if no}}{{/if}}",
	      d, "a\na\nb\nc\nb\n");
	/* Text or a substitution on the line: not standalone. */
	check("<{{#if yes}}\n{{/if}}>\n", d, "<\n>\n");
	check("{{#each names}}{{.}}\n{{/each}}", d, "a\nb\nc\n");
	check("  {{arch}}  \n", d, "  x86  \n");
	check("{{#if yes}}  {{arch}}\n{{/if}}", d, "  x86\n");
	/* Blank lines stay; so do the blanks of a line with no tag. */
	check("a\n\n \t\n{{#if yes}}\nb\n{{/if}}\n", d, "a\n\n \t\nb\n");
	/* Only a standalone line loses its newline, the line before keeps its own. */
	check("a\n{{#if no}}\nb\n{{/if}}\nc", d, "a\nc");
	check("a\r\n{{#if yes}}\r\nb\r\n{{/if}}\r\n", d, "a\r\nb\r\n"); /* CRLF */
	tv_free(d);
}

static void comments(void **state)
{
	struct tval *d = model();

	(void)state;
	check("a{{! comment }}b", d, "ab");
	check("a{{!}}b", d, "ab");
	check("a{{! {{#each} {{ } }}b", d, "ab");
	check("a{{! ends at the first }} then text }}b", d, "a then text }}b");
	check("a{{! one\ntwo\nthree }}b\n", d, "ab\n");
	check("a {{! inline }}\n", d, "a \n"); /* text on the line: not standalone */
	tv_free(d);
}

static void literal_braces(void **state)
{
	struct tval *d = model();

	(void)state;
	check("static int f(void) { return x ? y : 0; }\n", d, "static int f(void) { return x ? y : 0; }\n");
	check("struct s v = { {0}, { 1 } };\n", d, "struct s v = { {0}, { 1 } };\n");
	check("if (x) {\n\tfoo();\n}}\n", d, "if (x) {\n\tfoo();\n}}\n");
	check("{ {{arch}} }", d, "{ x86 }");
	check("end {", d, "end {");
	check("/* na\xc3\xafve \xe2\x80\x94 {{arch}} */\n", d, "/* na\xc3\xafve \xe2\x80\x94 x86 */\n");
	check("}}{{arch}}}}", d, "}}x86}}");
	tv_free(d);
}

static void syntax_errors(void **state)
{
	static const char *const cases[][2] = {
		{"a\n  {{name\nb",
		 "t.tmpl:2:3: error: unclosed tag: no '}}' on its line [template-syntax]\n"
		 "    2 |   {{name\n"
		 "      |   ^\n"},
		{"x {{",
		 "t.tmpl:1:3: error: unclosed tag: no '}}' on its line [template-syntax]\n"
		 "    1 | x {{\n"
		 "      |   ^\n"},
		{"x\n\t{{! abc\n}\n",
		 "t.tmpl:2:2: error: unclosed comment [template-syntax]\n"
		 "    2 | \t{{! abc\n"
		 "      | \t^\n"},
		{"{{foo-bar}}",
		 "t.tmpl:1:1: error: bad name 'foo-bar' [template-syntax]\n"
		 "    1 | {{foo-bar}}\n"
		 "      | ^\n"},
		{"int a[2][1] = {{1}, {2}};\n",
		 "t.tmpl:1:15: error: bad name '1}, {2' [template-syntax]\n"
		 "    1 | int a[2][1] = {{1}, {2}};\n"
		 "      |               ^\n"},
		{"{{ }}",
		 "t.tmpl:1:1: error: empty tag {{}} [template-syntax]\n"
		 "    1 | {{ }}\n"
		 "      | ^\n"},
		{"{{#each 1x}}{{/each}}",
		 "t.tmpl:1:1: error: bad name '1x' in {{#each}} [template-syntax]\n"
		 "    1 | {{#each 1x}}{{/each}}\n"
		 "      | ^\n"},
		{"{{#if}}{{/if}}",
		 "t.tmpl:1:1: error: {{#if}} needs a name [template-syntax]\n"
		 "    1 | {{#if}}{{/if}}\n"
		 "      | ^\n"},
		{"{{#each names}}{{/each x}}",
		 "t.tmpl:1:16: error: {{/each}} takes no name [template-syntax]\n"
		 "    1 | {{#each names}}{{/each x}}\n"
		 "      |                ^\n"},
		{"{{#foo x}}",
		 "t.tmpl:1:1: error: unknown block tag '{{#foo x}}' [template-syntax]\n"
		 "    1 | {{#foo x}}\n"
		 "      | ^\n"},
		{"{{#each names}}\n  {{/if}}\n",
		 "t.tmpl:2:3: error: {{/if}} does not match {{#each}} [template-syntax]\n"
		 "    2 |   {{/if}}\n"
		 "      |   ^\n"
		 "t.tmpl:1:1: note: {{#each}} opened here\n"
		 "    1 | {{#each names}}\n"
		 "      | ^\n"},
		{"{{#if yes}}\n{{#unless no}}\nabc\n",
		 "t.tmpl:3:4: error: expected {{/unless}} at end of template [template-syntax]\n"
		 "    3 | abc\n"
		 "      |    ^\n"
		 "t.tmpl:2:1: note: to match this {{#unless}}\n"
		 "    2 | {{#unless no}}\n"
		 "      | ^\n"},
		{"x {{else}}",
		 "t.tmpl:1:3: error: stray {{else}}: not directly inside {{#if}} or {{#unless}} [template-syntax]\n"
		 "    1 | x {{else}}\n"
		 "      |   ^\n"},
		{"{{#each names}}{{else}}{{/each}}",
		 "t.tmpl:1:16: error: stray {{else}}: not directly inside {{#if}} or {{#unless}} [template-syntax]\n"
		 "    1 | {{#each names}}{{else}}{{/each}}\n"
		 "      |                ^\n"},
		{"{{#if yes}}{{else}}{{else}}{{/if}}",
		 "t.tmpl:1:20: error: second {{else}} in {{#if}} [template-syntax]\n"
		 "    1 | {{#if yes}}{{else}}{{else}}{{/if}}\n"
		 "      |                    ^\n"
		 "t.tmpl:1:12: note: first {{else}} here\n"
		 "    1 | {{#if yes}}{{else}}{{else}}{{/if}}\n"
		 "      |            ^\n"},
		{"{{/each}}",
		 "t.tmpl:1:1: error: stray {{/each}}: no block is open [template-syntax]\n"
		 "    1 | {{/each}}\n"
		 "      | ^\n"},
		{"a{{#sep}}, {{/sep}}",
		 "t.tmpl:1:2: error: {{#sep}} outside {{#each}} [template-syntax]\n"
		 "    1 | a{{#sep}}, {{/sep}}\n"
		 "      |  ^\n"},
		{"{{@index}}",
		 "t.tmpl:1:1: error: '@index' outside {{#each}} [template-syntax]\n"
		 "    1 | {{@index}}\n"
		 "      | ^\n"},
		{"{{#if @last}}{{/if}}",
		 "t.tmpl:1:1: error: '@last' outside {{#each}} [template-syntax]\n"
		 "    1 | {{#if @last}}{{/if}}\n"
		 "      | ^\n"},
		/* Every error of a template, in file order. */
		{"{{#each names}}\n{{foo-bar}}\n{{/if}}\n{{else}}\n",
		 "t.tmpl:2:1: error: bad name 'foo-bar' [template-syntax]\n"
		 "    2 | {{foo-bar}}\n"
		 "      | ^\n"
		 "t.tmpl:3:1: error: {{/if}} does not match {{#each}} [template-syntax]\n"
		 "    3 | {{/if}}\n"
		 "      | ^\n"
		 "t.tmpl:1:1: note: {{#each}} opened here\n"
		 "    1 | {{#each names}}\n"
		 "      | ^\n"
		 "t.tmpl:4:1: error: stray {{else}}: not directly inside {{#if}} or {{#unless}} [template-syntax]\n"
		 "    4 | {{else}}\n"
		 "      | ^\n"},
	};
	struct tval *d = model();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_error(cases[i][0], d, cases[i][1]);
	tv_free(d);
}

static void render_errors(void **state)
{
	static const char *const cases[][2] = {
		{"{{#each names}}{{nams}}{{/each}}",
		 "t.tmpl:1:16: error: unknown variable 'nams'; did you mean 'names'? [template-unknown-variable]\n"
		 "    1 | {{#each names}}{{nams}}{{/each}}\n"
		 "      |                ^\n"},
		{"{{#each ops}}{{#each params}}{{nmae}}{{/each}}{{/each}}",
		 "t.tmpl:1:30: error: unknown variable 'nmae'; did you mean 'name'? [template-unknown-variable]\n"
		 "    1 | {{#each ops}}{{#each params}}{{nmae}}{{/each}}{{/each}}\n"
		 "      |                              ^\n"},
		{"x\n {{cpu.nam}}",
		 "t.tmpl:2:2: error: unknown variable 'cpu.nam'; did you mean 'cpu.name'? [template-unknown-variable]\n"
		 "    2 |  {{cpu.nam}}\n"
		 "      |  ^\n"},
		{"{{#if zzz}}{{/if}}",
		 "t.tmpl:1:1: error: unknown variable 'zzz' [template-unknown-variable]\n"
		 "    1 | {{#if zzz}}{{/if}}\n"
		 "      | ^\n"},
		{"{{cpu.bits.x}}",
		 "t.tmpl:1:1: error: 'cpu.bits' is a string, not a map [template-type]\n"
		 "    1 | {{cpu.bits.x}}\n"
		 "      | ^\n"},
		{"{{#each arch}}{{/each}}",
		 "t.tmpl:1:1: error: 'arch' is a string, not a list [template-type]\n"
		 "    1 | {{#each arch}}{{/each}}\n"
		 "      | ^\n"},
		/* Rendering goes on after an error, to report the others. */
		{"{{names}}\n{{yes}}\n{{cpu}}\n{{#each ops}}{{.}}{{/each}}\n{{#each names}}{{cpu.x}}{{/each}}\n",
		 "t.tmpl:1:1: error: 'names' is a list, not a string [template-type]\n"
		 "    1 | {{names}}\n"
		 "      | ^\n"
		 "t.tmpl:2:1: error: 'yes' is a bool, not a string [template-type]\n"
		 "    2 | {{yes}}\n"
		 "      | ^\n"
		 "t.tmpl:3:1: error: 'cpu' is a map, not a string [template-type]\n"
		 "    3 | {{cpu}}\n"
		 "      | ^\n"
		 "t.tmpl:4:14: error: '.' is a map, not a string [template-type]\n"
		 "    4 | {{#each ops}}{{.}}{{/each}}\n"
		 "      |              ^\n"
		 "t.tmpl:5:16: error: unknown variable 'cpu.x' [template-unknown-variable]\n"
		 "    5 | {{#each names}}{{cpu.x}}{{/each}}\n"
		 "      |                ^\n"},
	};
	struct tval *d = model();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_error(cases[i][0], d, cases[i][1]);
	tv_free(d);
}

/* 10,000 ops, as in the benchmark: linear time, and an error inside the loop is reported
 * once, not once per op. */
static void many_items(void **state)
{
	struct tval *d = tv_map(), *ops = tv_set(d, "ops", tv_list());
	struct run r;

	(void)state;
	for (int i = 0; i < 10000; i++)
		tv_set_strf(tv_add_map(ops), "name", "op%05d", i);
	r = run("{{#each ops}}\n\t{{name}}{{#sep}},{{/sep}}\n{{/each}}\n", d);
	assert_string_equal(r.diags, "");
	assert_int_equal(strlen(r.out), 10000 * strlen("\top00000,\n") - 1);
	assert_memory_equal(r.out, "\top00000,\n\top00001,\n", 20);
	assert_string_equal(r.out + strlen(r.out) - 9, "\top09999\n");
	done(&r);
	check_error("{{#each ops}}{{nmae}}{{/each}}", d,
		    "t.tmpl:1:14: error: unknown variable 'nmae'; did you mean 'name'? [template-unknown-variable]\n"
		    "    1 | {{#each ops}}{{nmae}}{{/each}}\n"
		    "      |              ^\n");
	tv_free(d);
}

/* Nesting as deep as the parser's stack allows renders; deeper is an error, not a crash. */
static void deep_nesting(void **state)
{
	struct tval *d = model();
	struct buf text = {0};
	struct run r;

	(void)state;
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "{{#each names}}{{#if @first}}");
	buf_puts(&text, "x");
	for (int i = 0; i < 1000; i++)
		buf_puts(&text, "{{/if}}{{/each}}");
	check(text.data, d, "x");
	buf_free(&text);
	for (int i = 0; i < 5000; i++)
		buf_puts(&text, "{{#if yes}}");
	r = run(text.data, d);
	assert_null(r.out);
	assert_non_null(strstr(r.diags, "blocks nested too deeply [template-syntax]"));
	done(&r);
	buf_free(&text);
	tv_free(d);
}

/* A template is parsed once and rendered for every arch: each render appends to its buffer
 * and fails on its own errors; diag prints a message repeated by the second render once. */
static void render_twice(void **state)
{
	static const char text[] = "{{#if yes}}{{arch}}{{else}}{{nope}}{{/if}}\n";
	struct tmpl *t = tmpl_parse(diag_source("t.tmpl", text, strlen(text)));
	struct tval *d = model();
	struct buf out = {0};
	size_t len;
	char *diags;
	FILE *f;

	(void)state;
	assert_non_null(t);
	buf_puts(&out, "> ");
	assert_true(tmpl_render(t, d, &out));
	tv_set_str(d, "arch", "ia64");
	assert_true(tmpl_render(t, d, &out));
	assert_string_equal(out.data, "> x86\nia64\n");
	tv_set_bool(d, "yes", false);
	assert_false(tmpl_render(t, d, &out));
	assert_false(tmpl_render(t, d, &out));
	f = open_memstream(&diags, &len);
	diag_flush(f);
	fclose(f);
	assert_string_equal(diags,
			    "t.tmpl:1:28: error: unknown variable 'nope'; did you mean 'none'? [template-unknown-variable]\n"
			    "    1 | {{#if yes}}{{arch}}{{else}}{{nope}}{{/if}}\n"
			    "      |                            ^\n");
	free(diags);
	diag_reset();
	buf_free(&out);
	tmpl_free(t);
	tv_free(d);
}

/* Whatever the input, a template parses or fails cleanly (run under ASan/UBSan). */
static void any_input(void **state)
{
	static const char full[] =
		"{{! header }}\n{{#each ops}}\n  {{#if returns}}{{ret}}{{else}}void{{/if}} {{name}}("
		"{{#each params}}{{type}} {{name}}{{#sep}}, {{/sep}}{{/each}}) { {{@index}} }\n"
		"{{/each}}\n{{#unless no}}{{cpu.name}}{{/unless}} {{.}} }}{{";
	static const char alphabet[] = "{{}}#/!@. \n\teiflsachunxpd";
	struct tval *d = model();
	unsigned seed = 1;
	char text[64];

	(void)state;
	for (size_t n = 0; n < sizeof(full); n++) {
		char *prefix = xstrndup(full, n);
		struct run r = run(prefix, d);

		done(&r);
		free(prefix);
	}
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(i % (int)sizeof(text));
		struct run r;

		for (size_t j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			text[j] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		text[n] = '\0';
		r = run(text, d);
		done(&r);
	}
	tv_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tval_maps_and_lists),
		cmocka_unit_test(tval_index_and_sharing),
		cmocka_unit_test(tval_free_all),
		cmocka_unit_test(substitution),
		cmocka_unit_test(each_and_scopes),
		cmocka_unit_test(loop_variables),
		cmocka_unit_test(conditions),
		cmocka_unit_test(standalone_lines),
		cmocka_unit_test(comments),
		cmocka_unit_test(literal_braces),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(render_errors),
		cmocka_unit_test(many_items),
		cmocka_unit_test(deep_nesting),
		cmocka_unit_test(render_twice),
		cmocka_unit_test(any_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
