/* test_load.c: the YAML loader: the node tree with kinds, key order, styles and positions;
 * node_get and friends; positions inside scalars mapped back through quotes, escapes, folding
 * and block indentation; every error the loader reports, with its exact text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "diag.h"
#include "load.h"
#include "node.h"
#include "util.h"

/* Load len bytes of text as "t.yaml" (a length, so that a NUL can be part of the text). */
static struct node *load_len(const char *text, size_t len)
{
	return load_yaml(diag_source("t.yaml", text, len));
}

static struct node *load(const char *text)
{
	return load_len(text, strlen(text));
}

/* Everything collected so far, exactly as diag_flush prints it. (A struct rather than two
 * locals: gcc's -Wdangling-pointer otherwise takes the result for a pointer to the local whose
 * address open_memstream received, and refuses writes through it.) */
static char *flushed(void)
{
	struct {
		char *text;
		size_t len;
	} m = {0};
	FILE *f = open_memstream(&m.text, &m.len);

	assert_non_null(f);
	diag_flush(f);
	fclose(f);
	return m.text;
}

/* Every test registers its text with diag_source: forget it, and any diagnostic, after each. */
static int reset(void **state)
{
	(void)state;
	diag_reset();
	return 0;
}

static void check_pos(const char *what, struct pos p, int line, int col)
{
	if (!p.file || strcmp(p.file, "t.yaml") != 0 || p.line != line || p.col != col)
		fail_msg("%s: got %s:%d:%d, wanted t.yaml:%d:%d", what, p.file ? p.file : "(null)",
			 p.line, p.col, line, col);
}

/* The node at a dotted path: a number indexes a sequence, anything else is a mapping key.
 * "" is the root. NULL when the path leads nowhere. */
static const struct node *at(const struct node *n, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;

	for (char *part = strtok_r(copy, ".", &save); part && n; part = strtok_r(NULL, ".", &save)) {
		if (n->kind == NODE_SEQ && part[0] >= '0' && part[0] <= '9') {
			size_t i = strtoul(part, NULL, 10);
			n = i < n->n ? n->items[i] : NULL;
		} else {
			n = node_get(n, part);
		}
	}
	free(copy);
	return n;
}

/* --- the tree --- */

/* Line 3 has two 2-byte characters before `k`: columns are bytes, not characters. */
static const char tree_doc[] =
	"name: pv_cpu_ops\n"                   /* 1 */
	"ops:\n"                               /* 2 */
	"  - {n: \"\xc3\xa9t\xc3\xa9\", k: x}\n" /* 3 */
	"  - [a, b]\n"                         /* 4 */
	"  - name: z\n"                        /* 5 */
	"    sig: |\n"                         /* 6 */
	"      v\n"                            /* 7 */
	"last: 'q'\n";                         /* 8 */

static void tree_shape(void **state)
{
	struct node *root = load(tree_doc);
	const struct node *ops;

	(void)state;
	assert_non_null(root);
	assert_int_equal(root->kind, NODE_MAP);
	assert_int_equal(root->n, 3);
	/* keys stay in document order */
	assert_string_equal(root->keys[0]->str, "name");
	assert_string_equal(root->keys[1]->str, "ops");
	assert_string_equal(root->keys[2]->str, "last");
	assert_string_equal(root->items[0]->str, "pv_cpu_ops");
	ops = root->items[1];
	assert_int_equal(ops->kind, NODE_SEQ);
	assert_int_equal(ops->n, 3);
	assert_null(ops->keys);
	assert_int_equal(ops->items[0]->kind, NODE_MAP);
	assert_int_equal(ops->items[0]->n, 2);
	assert_string_equal(ops->items[0]->keys[1]->str, "k");
	assert_string_equal(at(root, "ops.0.n")->str, "\xc3\xa9t\xc3\xa9");
	assert_int_equal(at(root, "ops.0.n")->len, 5);
	assert_int_equal(ops->items[1]->kind, NODE_SEQ);
	assert_int_equal(ops->items[1]->n, 2);
	assert_string_equal(at(root, "ops.1.0")->str, "a");
	assert_string_equal(at(root, "ops.1.1")->str, "b");
	assert_string_equal(at(root, "ops.2.sig")->str, "v\n");
	assert_string_equal(at(root, "last")->str, "q");
	assert_null(at(root, "ops.3"));
	node_free(root);
	assert_string_equal(node_kind_name(NODE_SCALAR), "scalar");
	assert_string_equal(node_kind_name(NODE_SEQ), "list");
	assert_string_equal(node_kind_name(NODE_MAP), "mapping");
}

static void scalar_styles(void **state)
{
	static const struct {
		const char *doc;
		enum scalar_style style;
		const char *value;
	} cases[] = {
		{"v: plain words\n", STYLE_PLAIN, "plain words"},
		{"v: 'it''s'\n", STYLE_SINGLE, "it's"},
		{"v: \"a\\tb\"\n", STYLE_DOUBLE, "a\tb"},
		{"v: |\n  x\n  y\n", STYLE_LITERAL, "x\ny\n"},
		{"v: |-\n  x\n", STYLE_LITERAL, "x"},
		{"v: >\n  x\n  y\n", STYLE_FOLDED, "x y\n"},
		{"v:\n", STYLE_PLAIN, ""}, /* an absent value is an empty plain scalar */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct node *root = load(cases[i].doc);
		const struct node *v = node_get(root, "v");

		assert_non_null(v);
		assert_int_equal(v->kind, NODE_SCALAR);
		if (v->style != cases[i].style || strcmp(v->str, cases[i].value) != 0)
			fail_msg("%s: style %d [%s], wanted %d [%s]", cases[i].doc, v->style, v->str,
				 cases[i].style, cases[i].value);
		assert_int_equal(v->len, strlen(cases[i].value));
		node_free(root);
		diag_reset();
	}
}

/* Where each node starts (its first character: the quote or the block indicator of a scalar,
 * the `-` of a block sequence), its byte offset, and where flow nodes end. */
static void node_positions(void **state)
{
	static const char crlf_doc[] = "a: 1\r\nbb: [x, y]\r\n";
	/* columns on line 1 start after a byte order mark (it is not part of the line); offsets are bytes */
	static const char bom_doc[] = "\xef\xbb\xbfk: xy\nl: [z]\n";
	static const struct {
		const char *doc, *path;
		enum node_kind kind;
		int line, col;
		size_t off;
		int end_line, end_col; /* 0: not checked (block collections end where libyaml says) */
	} cases[] = {
		{tree_doc, "", NODE_MAP, 1, 1, 0, 0, 0},
		{tree_doc, "name", NODE_SCALAR, 1, 7, 6, 1, 17},
		{tree_doc, "ops", NODE_SEQ, 3, 3, 24, 0, 0},
		{tree_doc, "ops.0", NODE_MAP, 3, 5, 26, 3, 23},
		{tree_doc, "ops.0.n", NODE_SCALAR, 3, 9, 30, 3, 16},
		{tree_doc, "ops.0.k", NODE_SCALAR, 3, 21, 42, 3, 22},
		{tree_doc, "ops.1", NODE_SEQ, 4, 5, 49, 4, 11},
		{tree_doc, "ops.1.1", NODE_SCALAR, 4, 9, 53, 4, 10},
		{tree_doc, "ops.2", NODE_MAP, 5, 5, 60, 0, 0},
		{tree_doc, "ops.2.name", NODE_SCALAR, 5, 11, 66, 5, 12},
		{tree_doc, "ops.2.sig", NODE_SCALAR, 6, 10, 77, 0, 0},
		{tree_doc, "last", NODE_SCALAR, 8, 7, 93, 8, 10},
		{crlf_doc, "a", NODE_SCALAR, 1, 4, 3, 1, 5},
		{crlf_doc, "bb", NODE_SEQ, 2, 5, 10, 2, 11},
		{crlf_doc, "bb.1", NODE_SCALAR, 2, 9, 14, 2, 10},
		{bom_doc, "", NODE_MAP, 1, 1, 3, 0, 0},
		{bom_doc, "k", NODE_SCALAR, 1, 4, 6, 1, 6},
		{bom_doc, "l", NODE_SEQ, 2, 4, 12, 2, 7},
		{bom_doc, "l.0", NODE_SCALAR, 2, 5, 13, 2, 6},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct node *root = load(cases[i].doc);
		const struct node *n = at(root, cases[i].path);
		char *what = xasprintf("case %zu '%s'", i, cases[i].path);

		if (!n)
			fail_msg("%s: no such node", what);
		assert_int_equal(n->kind, cases[i].kind);
		check_pos(what, n->pos, cases[i].line, cases[i].col);
		assert_int_equal(n->off, cases[i].off);
		assert_ptr_equal(n->src, diag_find_source("t.yaml"));
		if (cases[i].end_line)
			check_pos(what, n->end, cases[i].end_line, cases[i].end_col);
		free(what);
		node_free(root);
		diag_reset();
	}
}

/* Keys carry positions too: "duplicate key" and "unknown key" point at them. */
static void key_positions(void **state)
{
	struct node *root = load(tree_doc);

	(void)state;
	check_pos("key ops", root->keys[1]->pos, 2, 1);
	check_pos("key last", root->keys[2]->pos, 8, 1);
	check_pos("key k", at(root, "ops.0")->keys[1]->pos, 3, 18);
	check_pos("key sig", at(root, "ops.2")->keys[1]->pos, 6, 5);
	node_free(root);
	diag_reset();
	root = load("\xef\xbb\xbfk: xy\n");
	check_pos("key after a byte order mark", root->keys[0]->pos, 1, 1);
	node_free(root);
}

static void get_and_is(void **state)
{
	struct node *root = load("a: x\nb: [1]\nc: {d: y}\n");
	const struct node *b = node_get(root, "b");

	(void)state;
	assert_ptr_equal(node_get(root, "a"), root->items[0]);
	assert_ptr_equal(b, root->items[1]);
	assert_null(node_get(root, "z"));
	assert_null(node_get(root, "x"));    /* a value is not a key */
	assert_null(node_get(b, "1"));       /* not a mapping */
	assert_null(node_get(NULL, "a"));
	assert_null(node_get(root->items[0], "a"));
	assert_string_equal(node_get(node_get(root, "c"), "d")->str, "y");

	check_pos("pos_of a", node_pos_of(root, "a"), 1, 4);
	check_pos("pos_of c", node_pos_of(root, "c"), 3, 4);
	check_pos("pos_of missing", node_pos_of(root, "z"), 1, 1); /* the map itself */
	check_pos("pos_of nested missing", node_pos_of(node_get(root, "c"), "z"), 3, 4);
	assert_int_equal(node_pos_of(NULL, "a").line, 0);
	assert_null(node_pos_of(NULL, "a").file);

	assert_true(node_is(node_get(root, "a"), "x"));
	assert_false(node_is(node_get(root, "a"), "xy"));
	assert_false(node_is(node_get(root, "a"), ""));
	assert_false(node_is(b, "b"));         /* a list is no scalar */
	assert_false(node_is(NULL, "x"));
	assert_true(node_is(b->items[0], "1"));
	node_free(root);
}

/* --- positions inside scalars --- */

struct pos_case {
	const char *doc;
	size_t offset; /* into the value of key `k` */
	int line, col;
};

/* Offset `offset` of the scalar at `path` in doc is at line:col. */
static void check_pos_case(size_t i, const char *doc, const char *path, size_t offset, int line, int col)
{
	struct node *root = load(doc);
	const struct node *k = at(root, path);
	char *what = xasprintf("case %zu, offset %zu of [%s]", i, offset, k ? k->str : "(none)");

	if (!k || k->kind != NODE_SCALAR)
		fail_msg("%s: no scalar at '%s': %s", what, path, flushed());
	check_pos(what, node_pos_at(k, offset), line, col);
	free(what);
	node_free(root);
	diag_reset();
}

static void check_pos_cases(const struct pos_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_pos_case(i, cases[i].doc, "k", cases[i].offset, cases[i].line, cases[i].col);
}

/* Column rulers: `k: ` takes columns 1-3, the value starts at 4. */
static const char plain_doc[] =
	"k: one two\n"  /* 1 */
	"  three   \n"  /* 2: trailing blanks are not part of the value */
	"\n"            /* 3: a blank line folds to one line break */
	"  four\n";     /* 4 */
/* value "one two three\nfour" */

static void pos_plain(void **state)
{
	static const struct pos_case cases[] = {
		{"k: one two\n", 0, 1, 4},
		{"k: one two\n", 4, 1, 8},
		{"k: one two\n", 7, 1, 11}, /* just past the end */
		{plain_doc, 2, 1, 6},
		{plain_doc, 7, 1, 11},  /* the space a line break folds to: the break */
		{plain_doc, 8, 2, 3},   /* `three`, after the folded line break */
		{plain_doc, 12, 2, 7},
		{plain_doc, 13, 3, 1},  /* the line break a blank line folds to: the blank line */
		{plain_doc, 14, 4, 3},  /* `four`, after a blank line */
		{plain_doc, 17, 4, 6},
		{plain_doc, 18, 4, 7},
		/* two blank lines: two line breaks, one from each */
		{"k: a\n\n\n  b\n", 1, 2, 1},
		{"k: a\n\n\n  b\n", 2, 3, 1},
		{"k: a\n\n\n  b\n", 3, 4, 3},
		{"k: a\n\n\n  b\n", 4, 4, 4},
		/* a tag is skipped */
		{"k: !!str x y\n", 2, 1, 12},
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

/* The YAML text and its columns:
 *   k: 'it''s a ''q'''
 *   123456789012345678 */
static const char single_doc[] = "k: 'it''s a ''q'''\n";

static void pos_single_quoted(void **state)
{
	static const struct pos_case cases[] = {
		{single_doc, 0, 1, 5},  /* past the opening quote */
		{single_doc, 2, 1, 7},  /* the ' of it's: the first of the pair */
		{single_doc, 3, 1, 9},  /* s, after the pair */
		{single_doc, 7, 1, 13},
		{single_doc, 8, 1, 15}, /* q */
		{single_doc, 9, 1, 16},
		{single_doc, 10, 1, 18}, /* the closing quote */
		{"k: 'a\n  b'\n", 1, 1, 6}, /* folded like a plain scalar: the space is the break */
		{"k: 'a\n  b'\n", 2, 2, 3},
		/* CRLF: one line break */
		{"k: 'a\r\n  b'\r\n", 1, 1, 6},
		{"k: 'a\r\n  b'\r\n", 2, 2, 3},
		{"k: 'a\r\n  b'\r\n", 3, 2, 4},
		/* a tag before the scalar, on its line or on the line before */
		{"k: !!str 'ab'\n", 0, 1, 11},
		{"k: !!str 'ab'\n", 1, 1, 12},
		{"k: !!str # c\n  'ab'\n", 0, 2, 4},
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

/* The YAML text and its columns; the value is \t A A \xc3\xa9 Z:
 *   k: "\tA\x41\u00e9Z"
 *   1234567890123456789 */
static const char double_doc[] = "k: \"\\tA\\x41\\u00e9Z\"\n";

/* Escapes beyond ASCII; the value is c3a9 c285 c2a0 e280a8 e280a9 5a f09f9880:
 *   k: "\xe9\N\_\L\PZ\U0001F600"
 *   1234567890123456789012345678 */
static const char escape_doc[] = "k: \"\\xe9\\N\\_\\L\\PZ\\U0001F600\"\n";

static void pos_double_quoted(void **state)
{
	static const struct pos_case cases[] = {
		{double_doc, 0, 1, 5},  /* \t */
		{double_doc, 1, 1, 7},  /* A */
		{double_doc, 2, 1, 8},  /* \x41 */
		{double_doc, 3, 1, 12}, /* \u00e9: two bytes of UTF-8 */
		{double_doc, 4, 1, 12}, /* its second byte: still the escape */
		{double_doc, 5, 1, 18}, /* Z */
		{double_doc, 6, 1, 19}, /* the closing quote */
		/* escaped quote and backslash are one byte each */
		{"k: \"q\\\"\\\\w\"\n", 1, 1, 6},
		{"k: \"q\\\"\\\\w\"\n", 2, 1, 8},
		{"k: \"q\\\"\\\\w\"\n", 3, 1, 10},
		/* an escaped line break joins the lines; the indentation after it is dropped */
		{"k: \"AB\\\n   CD\"\n", 1, 1, 6},
		{"k: \"AB\\\n   CD\"\n", 2, 2, 4}, /* C, right after the break */
		{"k: \"AB\\\n   CD\"\n", 3, 2, 5},
		{"k: \"AB\\\n   CD\"\n", 4, 2, 6},
		/* a blank line after an escaped break is a line break of the value */
		{"k: \"a\\\n\n  b\"\n", 1, 2, 1},
		{"k: \"a\\\n\n  b\"\n", 2, 3, 3},
		{"k: \"a\\\n\n  b\"\n", 3, 3, 4},
		/* an unescaped one folds to a space */
		{"k: \"a\n  b\"\n", 1, 1, 6},
		{"k: \"a\n  b\"\n", 2, 2, 3},
		/* escapes that make more than one byte of UTF-8: all of them map to the backslash */
		{escape_doc, 0, 1, 5},   /* \xe9: U+00E9, 2 bytes */
		{escape_doc, 1, 1, 5},
		{escape_doc, 2, 1, 9},   /* \N: U+0085, 2 bytes */
		{escape_doc, 3, 1, 9},
		{escape_doc, 4, 1, 11},  /* \_: U+00A0, 2 bytes */
		{escape_doc, 5, 1, 11},
		{escape_doc, 6, 1, 13},  /* \L: U+2028, 3 bytes */
		{escape_doc, 8, 1, 13},
		{escape_doc, 9, 1, 15},  /* \P: U+2029, 3 bytes */
		{escape_doc, 11, 1, 15},
		{escape_doc, 12, 1, 17}, /* Z */
		{escape_doc, 13, 1, 18}, /* \U0001F600: 4 bytes */
		{escape_doc, 16, 1, 18},
		{escape_doc, 17, 1, 28}, /* the closing quote */
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

static const char literal_doc[] =
	"k: |\n"       /* 1 */
	"    l1\n"     /* 2: the first line sets the indentation (4) */
	"      l2\n"   /* 3: two more spaces are content */
	"\n"           /* 4: a blank line is a line break of the value */
	"    l3\n"     /* 5 */
	"e: end\n";    /* 6 */
/* value "l1\n  l2\n\nl3\n" */

static void pos_literal(void **state)
{
	static const struct pos_case cases[] = {
		{literal_doc, 0, 2, 5},
		{literal_doc, 1, 2, 6},
		{literal_doc, 2, 2, 7},  /* a line break: the line's */
		{literal_doc, 3, 3, 5},  /* content spaces beyond the indentation */
		{literal_doc, 5, 3, 7},
		{literal_doc, 7, 3, 9},
		{literal_doc, 8, 4, 1},  /* the blank line */
		{literal_doc, 9, 5, 5},
		{literal_doc, 10, 5, 6},
		{literal_doc, 11, 5, 7}, /* the last line break, kept (clip) */
		{literal_doc, 12, 6, 1}, /* past the end: just after the last line break */
		/* the header may carry chomping and a comment */
		{"k: |- # note\n  ab\n", 1, 2, 4},
		{"k: |- # note\n  ab\n", 2, 2, 5}, /* past the end: just after b (strip) */
		/* a blank line with fewer spaces than the indentation */
		{"k: |\n    a\n  \n    b\n", 1, 2, 6},
		{"k: |\n    a\n  \n    b\n", 2, 3, 3},
		{"k: |\n    a\n  \n    b\n", 3, 4, 5},
		/* blank lines before the first line */
		{"k: |\n\n  a\n", 0, 2, 1},
		{"k: |\n\n  a\n", 1, 3, 3},
		/* keep (+): the blank lines after the last line are line breaks of the value */
		{"k: |+\n  a\n\n\nz: 1\n", 0, 2, 3},
		{"k: |+\n  a\n\n\nz: 1\n", 1, 2, 4},
		{"k: |+\n  a\n\n\nz: 1\n", 2, 3, 1},
		{"k: |+\n  a\n\n\nz: 1\n", 3, 4, 1},
		{"k: |+\n  a\n\n\nz: 1\n", 4, 5, 1},
		/* the text ends without a line break: so does the value */
		{"k: |\n  ab", 1, 2, 4},
		{"k: |\n  ab", 2, 2, 5},
		/* CRLF: one line break */
		{"k: |\r\n  a\r\n  b\r\n", 1, 2, 4},
		{"k: |\r\n  a\r\n  b\r\n", 2, 3, 3},
		{"k: |\r\n  a\r\n  b\r\n", 3, 3, 4},
		/* a tag before the indicator */
		{"k: !!str |\n  ab\n", 1, 2, 4},
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

/* Folded style: a line break between two lines folds to a space; with blank lines in between
 * it is dropped and each blank line adds a "\n"; lines that start with a blank (more indented)
 * keep the line breaks around them, as in literal style. */
static const char folded_doc[] =
	"k: >\n"    /* 1 */
	"  p\n"     /* 2 */
	"\n"        /* 3 */
	"  q\n"     /* 4 */
	"  r\n"     /* 5 */
	"\n"        /* 6 */
	"\n"        /* 7 */
	"  s\n"     /* 8 */
	"    t\n"   /* 9: more indented */
	"  u\n";    /* 10 */
/* value "p\nq r\n\ns\n  t\nu\n" */

static void pos_folded(void **state)
{
	static const struct pos_case cases[] = {
		{folded_doc, 0, 2, 3},   /* p */
		{folded_doc, 1, 3, 1},   /* "\n": the blank line (line 2's break is dropped) */
		{folded_doc, 2, 4, 3},   /* q */
		{folded_doc, 3, 4, 4},   /* " ": line 4's break */
		{folded_doc, 4, 5, 3},   /* r */
		{folded_doc, 5, 6, 1},   /* two blank lines, two "\n" */
		{folded_doc, 6, 7, 1},
		{folded_doc, 7, 8, 3},   /* s */
		{folded_doc, 8, 8, 4},   /* "\n": kept, the next line is more indented */
		{folded_doc, 9, 9, 3},   /* its extra indentation is content */
		{folded_doc, 11, 9, 5},  /* t */
		{folded_doc, 12, 9, 6},  /* "\n": kept, this line is more indented */
		{folded_doc, 13, 10, 3}, /* u */
		{folded_doc, 14, 10, 4}, /* the last line break (clip) */
		{folded_doc, 15, 11, 1}, /* past the end */
		{"k: >\n  p\n\n  q\n", 2, 4, 3},
		/* a tab starts a more-indented line too */
		{"k: >\n  a\n  \tb\n  c\n", 1, 2, 4},
		{"k: >\n  a\n  \tb\n  c\n", 2, 3, 3},
		{"k: >\n  a\n  \tb\n  c\n", 4, 3, 5},
		{"k: >\n  a\n  \tb\n  c\n", 5, 4, 3},
		/* strip (-): past the end is just after the last character */
		{"k: >-\n  a\n  b\n\nz: 1\n", 1, 2, 4},
		{"k: >-\n  a\n  b\n\nz: 1\n", 2, 3, 3},
		{"k: >-\n  a\n  b\n\nz: 1\n", 3, 3, 4},
		/* CRLF */
		{"k: >\r\n  a\r\n\r\n  b\r\n", 1, 3, 1},
		{"k: >\r\n  a\r\n\r\n  b\r\n", 2, 4, 3},
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

/* An explicit indentation indicator counts from the indentation of the collection holding the
 * scalar (the key's column, after any "- " on its line; -1 at the top level), as in libyaml. */
static void pos_indentation_indicator(void **state)
{
	static const struct {
		const char *path, *doc;
		size_t offset;
		int line, col;
	} cases[] = {
		{"k", "k: |2\n    x\n", 0, 2, 3},                  /* value "  x\n" */
		{"k", "k: |2\n    x\n", 2, 2, 5},
		{"k", "k: |2\n    x\n", 3, 2, 6},
		{"0.k", "- k: |1\n     x\n", 0, 2, 4},             /* the key is at column 2: "  x\n" */
		{"0.k", "- k: |1\n     x\n", 2, 2, 6},
		{"0.0", "- - |1\n     x\n", 0, 2, 4},              /* the inner list is at column 2 */
		{"0.0", "- - |1\n     x\n", 2, 2, 6},
		{"k", "k:\n  |1\n   x\n", 0, 3, 2},                /* the key is on the line before */
		{"k", "k:\n  |1\n   x\n", 2, 3, 4},
		{"a.b", "a:\n  b: >2-\n      x\n      y\n", 0, 3, 5}, /* "  x\n  y" */
		{"a.b", "a:\n  b: >2-\n      x\n      y\n", 2, 3, 7},
		{"a.b", "a:\n  b: >2-\n      x\n      y\n", 3, 3, 8},
		{"a.b", "a:\n  b: >2-\n      x\n      y\n", 4, 4, 5},
		{"a.b", "a:\n  b: >2-\n      x\n      y\n", 6, 4, 7},
		{"", "--- |2\n   x\n", 0, 2, 3},                   /* top level: the indicator alone */
		{"", "--- |2\n   x\n", 1, 2, 4},
		{"k", "k: |-2 # c\n   x\n", 0, 2, 3},              /* " x" */
		{"k", "k: |-2 # c\n   x\n", 1, 2, 4},
		{"k", "\xef\xbb\xbfk: |1\n  x\n", 0, 2, 2},        /* after a byte order mark */
		{"k", "\xef\xbb\xbfk: |1\n  x\n", 1, 2, 3},
		{"k", "k: !!str |1\n  x\n", 0, 2, 2},              /* after a tag */
		{"k", "k: !!str |1\n  x\n", 1, 2, 3},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		check_pos_case(i, cases[i].doc, cases[i].path, cases[i].offset, cases[i].line,
			       cases[i].col);
}

/* A byte order mark is not part of line 1's columns. */
static void pos_after_bom(void **state)
{
	static const struct pos_case cases[] = {
		{"\xef\xbb\xbfk: xy", 0, 1, 4},
		{"\xef\xbb\xbfk: xy", 1, 1, 5},
		{"\xef\xbb\xbfk: 'xy'\n", 1, 1, 6},
		{"\xef\xbb\xbf" "a: 1\nk: xy\n", 1, 2, 5},
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

/* Byte offset of a position in the text (positions are 1-based, columns in bytes). */
static size_t offset_of(const char *text, struct pos p)
{
	size_t off = 0;

	for (int line = 1; line < p.line; line++)
		off += strcspn(text + off, "\n") + 1;
	if (p.line == 1 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		off += 3; /* line 1's columns start after a byte order mark */
	return off + (size_t)p.col - 1;
}

/* What libyaml decodes the double-quoted escape at `esc` to (its length: \x 4, \u 6, \U 10,
 * any other 2), as the value of a one-escape scalar. */
static char *decode_escape(const char *esc, size_t *len)
{
	size_t n = esc[1] == 'x' ? 4 : esc[1] == 'u' ? 6 : esc[1] == 'U' ? 10 : 2;
	char *doc = xasprintf("k: \"%.*s\"\n", (int)n, esc);
	struct node *root = load_yaml(diag_source("escape.yaml", doc, strlen(doc)));
	const struct node *k = node_get(root, "k");
	char *value;

	if (!k)
		fail_msg("escape %.*s does not load", (int)n, esc);
	value = xstrdup(k->str);
	*len = k->len;
	node_free(root);
	free(doc);
	return value;
}

/* The property, for one scalar of doc: value byte o maps to a source byte that is the same
 * byte; or, for a space or "\n" of the value, a line break (one that folded); or the backslash
 * of an escape, where every byte the escape produced maps, and which libyaml decodes to
 * exactly those bytes. Positions move forward, stay inside the text, and the one just past
 * the last byte comes after all of them. */
static void check_scalar_bytes(const char *doc, size_t doc_len, const struct node *n)
{
	size_t o = 0, last = 0;

	for (;;) {
		size_t s = offset_of(doc, node_pos_at(n, o)), k = 1;
		char *what = xasprintf("[%s] offset %zu of %zu -> byte %zu of\n%s", n->str, o, n->len, s,
				       doc);

		if (s < n->off || s > doc_len || (o > 0 && s <= last))
			fail_msg("%s: out of place (scalar at byte %zu, previous byte %zu)", what, n->off,
				 last);
		if (o == n->len) {
			free(what);
			return;
		}
		char c = n->str[o];
		if (n->style == STYLE_DOUBLE && doc[s] == '\\') {
			size_t dlen;
			char *decoded = decode_escape(doc + s, &dlen);

			while (o + k < n->len && offset_of(doc, node_pos_at(n, o + k)) == s)
				k++;
			if (k != dlen || memcmp(decoded, n->str + o, k) != 0)
				fail_msg("%s: %zu value bytes map to an escape that makes %zu", what, k, dlen);
			free(decoded);
		} else if (doc[s] != c && !((c == ' ' || c == '\n') && (doc[s] == '\n' || doc[s] == '\r'))) {
			fail_msg("%s: value byte 0x%02x, source byte 0x%02x", what, (unsigned char)c,
				 (unsigned char)doc[s]);
		}
		free(what);
		o += k;
		last = s;
	}
}

static void check_tree_bytes(const char *doc, size_t doc_len, const struct node *n)
{
	if (n->kind == NODE_SCALAR)
		check_scalar_bytes(doc, doc_len, n);
	for (size_t i = 0; i < n->n; i++) {
		if (n->keys)
			check_tree_bytes(doc, doc_len, n->keys[i]);
		check_tree_bytes(doc, doc_len, n->items[i]);
	}
}

static void check_doc_bytes(const char *doc)
{
	struct node *root = load(doc);

	if (!root)
		fail_msg("does not load:\n%s\n%s", doc, flushed());
	check_tree_bytes(doc, strlen(doc), root);
	node_free(root);
	diag_reset();
}

/* The value in a document as libyaml's emitter writes it: in style (if it can), at a line
 * width (folding long lines), escaping what is not ASCII or not, as `k`'s value (shape 0),
 * in a list both as `k`'s value and as an item (1), or as a value two levels deep (2). */
static char *emit_doc(const char *value, yaml_scalar_style_t style, int width, bool unicode, int shape)
{
	static unsigned char out[8192];
	yaml_emitter_t e;
	yaml_event_t ev;
	size_t written = 0;
	yaml_char_t *k = (yaml_char_t *)"k", *v = (yaml_char_t *)value;
	int len = (int)strlen(value);

#define EMIT_EVENT(init)                                                 \
	do {                                                             \
		if (!(init) || !yaml_emitter_emit(&e, &ev))              \
			fail_msg("emitter: %s", e.problem ? e.problem : "?"); \
	} while (0)
	assert_true(yaml_emitter_initialize(&e));
	yaml_emitter_set_output_string(&e, out, sizeof(out) - 1, &written);
	yaml_emitter_set_width(&e, width);
	yaml_emitter_set_unicode(&e, unicode);
	EMIT_EVENT(yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	EMIT_EVENT(yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	if (shape == 1)
		EMIT_EVENT(yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
	EMIT_EVENT(yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
	if (shape == 2) {
		EMIT_EVENT(yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)"a", 1, 1, 1,
							YAML_PLAIN_SCALAR_STYLE));
		EMIT_EVENT(yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
	}
	EMIT_EVENT(yaml_scalar_event_initialize(&ev, NULL, NULL, k, 1, 1, 1, YAML_PLAIN_SCALAR_STYLE));
	EMIT_EVENT(yaml_scalar_event_initialize(&ev, NULL, NULL, v, len, 1, 1, style));
	if (shape == 2)
		EMIT_EVENT(yaml_mapping_end_event_initialize(&ev));
	EMIT_EVENT(yaml_mapping_end_event_initialize(&ev));
	if (shape == 1) {
		EMIT_EVENT(yaml_scalar_event_initialize(&ev, NULL, NULL, v, len, 1, 1, style));
		EMIT_EVENT(yaml_sequence_end_event_initialize(&ev));
	}
	EMIT_EVENT(yaml_document_end_event_initialize(&ev, 1));
	EMIT_EVENT(yaml_stream_end_event_initialize(&ev));
#undef EMIT_EVENT
	yaml_emitter_delete(&e);
	out[written] = '\0';
	return xstrdup((const char *)out);
}

/* For every scalar of many documents and every byte of its value, node_pos_at points at the
 * byte that produced it (check_scalar_bytes): the documents of the tests above, and the values
 * below in every style libyaml's emitter will write them in, at several widths. */
static void pos_points_at_the_source_byte(void **state)
{
	static const char *const docs[] = {
		tree_doc, plain_doc, single_doc, double_doc, escape_doc, literal_doc, folded_doc,
		"k: 'one\n  \xc3\xa9two'\n",
		"k: |\n  a  b\n\n\n   c\n  d\n",
		"k: \"\xc3\xa9t\xc3\xa9 \n  x\n\n\n  y\"\n",
		"k: a\n  b\n\n\n\n  c\n",
		"k: [a\n  b, 'c\n\n  d', \"e\\\n  f\", \"g\\\n\n\n  h\"]\n",
		"k: \"\\ \\/\\\"\\\\\\a\\b\\e\\f\\n\\r\\t\\v\\\t\\u00A0\\U00010000\"\n",
		"k: !!str 'x\n\n  y'\nl: !!str\n  |2\n    z\n",
		"k: >+\n  a\n\n   b\n\n\nl: |-\n  c\n\n",
		"- k: |1\n     x\n  l: >2\n     y\n- - |1\n     z\n",
		"\xef\xbb\xbfk: >2\n   a\n  b\n",
		"k: >\r\n  a\r\n\r\n  b\r\n  \tc\r\nl: \"d\r\n\r\n  e\"\r\n",
		"k: |\n  ab",
	};
	static const char *const values[] = {
		"",
		"a",
		"plain words",
		"one two three four five six seven eight nine ten eleven twelve",
		"a\nb",
		"a\n\nb",
		"a\n\n\nb\n",
		"  leading spaces",
		"trailing spaces  ",
		"x\n",
		"\n\nx\n\n",
		"\n",
		" ",
		"  more\nless\n  more\n\n  most\nless\n",
		"a\n b\n  c\n",
		"a \n b",
		"tab\there",
		"\tleading tab",
		"caf\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 and \xf0\x9f\x98\x80 in some text",
		"\x01\x1f control",
		"it's \"quoted\" \\ back",
		"\xc2\xa0nbsp",
		"\xc2\x85nel \xe2\x80\xa8ls \xe2\x80\xa9ps", /* the emitter escapes them: \N \L \P */
		"# not a comment",
		"key: value",
		"- item",
		"long words that the emitter will fold at a narrow width\n\nsince there are many",
	};
	static const yaml_scalar_style_t styles[] = {
		YAML_PLAIN_SCALAR_STYLE, YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE,
		YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE,
	};
	static const int widths[] = {10, 80};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++)
		check_doc_bytes(docs[i]);
	for (size_t v = 0; v < ARRAY_SIZE(values); v++)
		for (size_t s = 0; s < ARRAY_SIZE(styles); s++)
			for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
				for (int unicode = 0; unicode < 2; unicode++)
					for (int shape = 0; shape < 3; shape++) {
						char *doc = emit_doc(values[v], styles[s], widths[w],
								     unicode, shape);
						check_doc_bytes(doc);
						free(doc);
					}
}

/* Not a scalar, or no node: the node's own position, or none. */
static void pos_at_non_scalars(void **state)
{
	struct node *root = load("k:\n  - x\n");

	(void)state;
	check_pos("map", node_pos_at(root, 3), 1, 1);
	check_pos("seq", node_pos_at(node_get(root, "k"), 1), 2, 3);
	assert_int_equal(node_pos_at(NULL, 0).line, 0);
	assert_null(node_pos_at(NULL, 0).file);
	node_free(root);
}

/* --- errors --- */

static void errors(void **state)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		/* libyaml's context mark becomes a note where the construct began */
		{"a: [1, 2\nb: 3\n",
		 "t.yaml:2:2: error: did not find expected ',' or ']' while parsing a flow sequence [yaml-syntax]\n"
		 "    2 | b: 3\n"
		 "      |  ^\n"
		 "t.yaml:1:4: note: while parsing a flow sequence that starts here\n"
		 "    1 | a: [1, 2\n"
		 "      |    ^\n"},
		/* the end of the stream is past the last line: no source line to show */
		{"a: \"abc\n",
		 "t.yaml:2:1: error: found unexpected end of stream while scanning a quoted scalar [yaml-syntax]\n"
		 "t.yaml:1:4: note: while scanning a quoted scalar that starts here\n"
		 "    1 | a: \"abc\n"
		 "      |    ^\n"},
		/* no context: no note */
		{"a: 1\n  b: 2\n",
		 "t.yaml:2:4: error: mapping values are not allowed in this context [yaml-syntax]\n"
		 "    2 |   b: 2\n"
		 "      |    ^\n"},
		/* the note is printed after its error although its line comes first */
		{"a: 1\nb: 2\na: 3\n",
		 "t.yaml:3:1: error: duplicate key 'a' [duplicate-key]\n"
		 "    3 | a: 3\n"
		 "      | ^\n"
		 "t.yaml:1:1: note: first defined here\n"
		 "    1 | a: 1\n"
		 "      | ^\n"},
		{"m: {x: 1, x: 2}\n",
		 "t.yaml:1:11: error: duplicate key 'x' [duplicate-key]\n"
		 "    1 | m: {x: 1, x: 2}\n"
		 "      |           ^\n"
		 "t.yaml:1:5: note: first defined here\n"
		 "    1 | m: {x: 1, x: 2}\n"
		 "      |     ^\n"},
		{"a: &x 1\nb: *x\n",
		 "t.yaml:1:4: error: YAML anchors are not supported; write each value out [yaml-alias]\n"
		 "    1 | a: &x 1\n"
		 "      |    ^\n"
		 "t.yaml:2:4: error: YAML aliases are not supported; write the value out (the spec is read by people) [yaml-alias]\n"
		 "    2 | b: *x\n"
		 "      |    ^\n"},
		{"a: &m {b: 1}\nc: &s [1]\n",
		 "t.yaml:1:4: error: YAML anchors are not supported; write each value out [yaml-alias]\n"
		 "    1 | a: &m {b: 1}\n"
		 "      |    ^\n"
		 "t.yaml:2:4: error: YAML anchors are not supported; write each value out [yaml-alias]\n"
		 "    2 | c: &s [1]\n"
		 "      |    ^\n"},
		{"a: 1\n---\nb: 2\n",
		 "t.yaml:2:1: error: the spec is one YAML document; found a second one here [yaml-documents]\n"
		 "    2 | ---\n"
		 "      | ^\n"},
		{"---\na: 1\n...\n--- [x]\n",
		 "t.yaml:4:1: error: the spec is one YAML document; found a second one here [yaml-documents]\n"
		 "    4 | --- [x]\n"
		 "      | ^\n"},
		{"", "t.yaml: error: the spec is empty [yaml-empty]\n"},
		{"# only a comment\n\n", "t.yaml: error: the spec is empty [yaml-empty]\n"},
		/* \0 is a valid escape, but a NUL would cut every C string made of the value */
		{"a: ok\nb: \"x\\0y\"\n", /* at the escape that makes the NUL */
		 "t.yaml:2:6: error: a NUL character in a scalar is not allowed [yaml-nul]\n"
		 "    2 | b: \"x\\0y\"\n"
		 "      |      ^\n"},
		{"? [a]\n: 1\n",
		 "t.yaml:1:3: error: a mapping key must be a plain string, not a list [yaml-key]\n"
		 "    1 | ? [a]\n"
		 "      |   ^\n"},
		{"{? {a: 1}: 2}\n",
		 "t.yaml:1:4: error: a mapping key must be a plain string, not a mapping [yaml-key]\n"
		 "    1 | {? {a: 1}: 2}\n"
		 "      |    ^\n"},
		/* line 1's columns start after a byte order mark, which is not shown */
		{"\xef\xbb\xbf" "a: 1\na: 2\n",
		 "t.yaml:2:1: error: duplicate key 'a' [duplicate-key]\n"
		 "    2 | a: 2\n"
		 "      | ^\n"
		 "t.yaml:1:1: note: first defined here\n"
		 "    1 | a: 1\n"
		 "      | ^\n"},
		{"\xef\xbb\xbf" "a: [1\n",
		 "t.yaml:2:1: error: did not find expected ',' or ']' while parsing a flow sequence [yaml-syntax]\n"
		 "t.yaml:1:4: note: while parsing a flow sequence that starts here\n"
		 "    1 | a: [1\n"
		 "      |    ^\n"},
		{"\xef\xbb\xbf" "a: &x 1\n",
		 "t.yaml:1:4: error: YAML anchors are not supported; write each value out [yaml-alias]\n"
		 "    1 | a: &x 1\n"
		 "      |    ^\n"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct node *root = load(cases[i].doc);
		char *got = flushed();

		if (root || strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: %s\n--- got:\n%s--- wanted:\n%s", i,
				 root ? "loaded" : "refused", got, cases[i].want);
		free(got);
		diag_reset();
	}
}

/* libyaml's reader refuses a raw NUL byte, any other control character and text that is not
 * UTF-8, at a byte offset (problem_offset), not a mark: the offending byte, or for a bad
 * trailing byte that byte. (The source line is shown up to a NUL byte.) */
static void reader_errors(void **state)
{
	static const struct {
		const char *doc;
		size_t len; /* 0: strlen */
		const char *want;
	} cases[] = {
		{"a: ok\nb: x\0y\n", 13,
		 "t.yaml:2:5: error: control characters are not allowed [yaml-syntax]\n"
		 "    2 | b: x\n"
		 "      |     ^\n"},
		{"a: ok\nb: x\x01y\n", 0,
		 "t.yaml:2:5: error: control characters are not allowed [yaml-syntax]\n"
		 "    2 | b: x\\x01y\n"
		 "      |     ^\n"},
		{"a: ok\nb: x\xffy\n", 0,
		 "t.yaml:2:5: error: invalid leading UTF-8 octet [yaml-syntax]\n"
		 "    2 | b: x\xffy\n"
		 "      |     ^\n"},
		{"a: ok\nb: x\xc3(y\n", 0,
		 "t.yaml:2:6: error: invalid trailing UTF-8 octet [yaml-syntax]\n"
		 "    2 | b: x\xc3(y\n"
		 "      |      ^\n"},
		{"a: ok\nb: x\xc3", 0,
		 "t.yaml:2:5: error: incomplete UTF-8 octet sequence [yaml-syntax]\n"
		 "    2 | b: x\xc3\n"
		 "      |     ^\n"},
		{"a: x\xed\xa0\x80\n", 0, /* a UTF-16 surrogate */
		 "t.yaml:1:5: error: invalid Unicode character [yaml-syntax]\n"
		 "    1 | a: x\xed\xa0\x80\n"
		 "      |     ^\n"},
		/* the column does not count the byte order mark, which is not shown; a control
		 * character is shown escaped */
		{"\xef\xbb\xbf" "a: x\x01\n", 0,
		 "t.yaml:1:5: error: control characters are not allowed [yaml-syntax]\n"
		 "    1 | a: x\\x01\n"
		 "      |     ^\n"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *doc = cases[i].doc;
		struct node *root = load_len(doc, cases[i].len ? cases[i].len : strlen(doc));
		char *got = flushed();

		if (root || strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: %s\n--- got:\n%s--- wanted:\n%s", i,
				 root ? "loaded" : "refused", got, cases[i].want);
		free(got);
		diag_reset();
	}
}

/* Refusing is a matter of what this load reported, not of errors a previous stage left. */
static void earlier_errors_do_not_fail_a_load(void **state)
{
	struct node *root;

	(void)state;
	diag_error((struct pos){0}, "other", "an earlier error");
	root = load("a: 1\n");
	assert_non_null(root);
	assert_int_equal(diag_error_count(), 1);
	node_free(root);
}

/* n levels of `open`, a scalar, and n of `close`, on one line. */
static char *nested(int n, const char *open, const char *close)
{
	struct buf b = {0};

	for (int i = 0; i < n; i++)
		buf_puts(&b, open);
	buf_puts(&b, "x");
	for (int i = 0; i < n; i++)
		buf_puts(&b, close);
	buf_putc(&b, '\n');
	return buf_steal(&b);
}

/* 64 levels load; the 65th is refused at its own opening character. */
static void depth(void **state)
{
	static const char *const brackets[][2] = {{"[", "]"}, {"{a: ", "}"}};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(brackets); i++) {
		const char *open = brackets[i][0], *close = brackets[i][1];
		char *ok = nested(64, open, close), *deep = nested(65, open, close);
		int col = 64 * (int)strlen(open) + 1;
		struct node *root = load(ok);
		const struct node *n = root;
		char *want, *got;

		assert_non_null(root);
		for (int level = 1; level < 64; level++)
			n = n->items[0];
		assert_int_equal(n->kind, i ? NODE_MAP : NODE_SEQ);
		assert_string_equal(n->items[0]->str, "x");
		node_free(root);
		diag_reset();

		assert_null(load(deep));
		want = xasprintf("t.yaml:1:%d: error: nesting deeper than 64 levels [yaml-depth]\n"
				 "    1 | %.*s\n"
				 "      | %*s^\n",
				 col, (int)strlen(deep) - 1, deep, col - 1, "");
		got = flushed();
		assert_string_equal(got, want);
		free(got);
		free(want);
		free(ok);
		free(deep);
		diag_reset();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(tree_shape, reset),
		cmocka_unit_test_teardown(scalar_styles, reset),
		cmocka_unit_test_teardown(node_positions, reset),
		cmocka_unit_test_teardown(key_positions, reset),
		cmocka_unit_test_teardown(get_and_is, reset),
		cmocka_unit_test_teardown(pos_plain, reset),
		cmocka_unit_test_teardown(pos_single_quoted, reset),
		cmocka_unit_test_teardown(pos_double_quoted, reset),
		cmocka_unit_test_teardown(pos_literal, reset),
		cmocka_unit_test_teardown(pos_folded, reset),
		cmocka_unit_test_teardown(pos_indentation_indicator, reset),
		cmocka_unit_test_teardown(pos_after_bom, reset),
		cmocka_unit_test_teardown(pos_points_at_the_source_byte, reset),
		cmocka_unit_test_teardown(pos_at_non_scalars, reset),
		cmocka_unit_test_teardown(errors, reset),
		cmocka_unit_test_teardown(reader_errors, reset),
		cmocka_unit_test_teardown(earlier_errors_do_not_fail_a_load, reset),
		cmocka_unit_test_teardown(depth, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
