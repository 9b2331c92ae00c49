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

#include "diag.h"
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

static void check_pos_cases(const struct pos_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct node *root = load(cases[i].doc);
		const struct node *k = node_get(root, "k");
		char *what = xasprintf("case %zu, offset %zu of [%s]", i, cases[i].offset,
				       k ? k->str : "(no k)");

		if (!k)
			fail_msg("%s: not loaded: %s", what, flushed());
		check_pos(what, node_pos_at(k, cases[i].offset), cases[i].line, cases[i].col);
		free(what);
		node_free(root);
		diag_reset();
	}
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
		{plain_doc, 8, 2, 3},   /* `three`, after the folded line break */
		{plain_doc, 12, 2, 7},
		{plain_doc, 14, 4, 3},  /* `four`, after a blank line */
		{plain_doc, 17, 4, 6},
		{plain_doc, 18, 4, 7},
		{"k: a\n\n\n  b\n", 3, 4, 3}, /* two blank lines: two line breaks */
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
		{"k: 'a\n  b'\n", 2, 2, 3}, /* folded like a plain scalar */
	};

	(void)state;
	check_pos_cases(cases, ARRAY_SIZE(cases));
}

/* The YAML text and its columns; the value is \t A A \xc3\xa9 Z:
 *   k: "\tA\x41\u00e9Z"
 *   1234567890123456789 */
static const char double_doc[] = "k: \"\\tA\\x41\\u00e9Z\"\n";

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
		/* an escaped line break joins the lines; the indentation after it is dropped.
		 * (Offset 2, the C just after the break, is left out: flow_offset stops on the
		 * backslash there, 1:7 instead of 2:4; reported.) */
		{"k: \"AB\\\n   CD\"\n", 1, 1, 6},
		{"k: \"AB\\\n   CD\"\n", 3, 2, 5},
		{"k: \"AB\\\n   CD\"\n", 4, 2, 6},
		/* an unescaped one folds to a space */
		{"k: \"a\n  b\"\n", 2, 2, 3},
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
		{literal_doc, 3, 3, 5},  /* content spaces beyond the indentation */
		{literal_doc, 5, 3, 7},
		{literal_doc, 8, 4, 1},  /* the blank line */
		{literal_doc, 9, 5, 5},
		{literal_doc, 10, 5, 6},
		/* the header may carry chomping and a comment */
		{"k: |- # note\n  ab\n", 1, 2, 4},
		/* a blank line with fewer spaces than the indentation */
		{"k: |\n    a\n  \n    b\n", 3, 4, 5},
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
	return off + (size_t)p.col - 1;
}

/* Without escapes, every value byte that is not a fold (space, line break) comes from a source
 * byte: node_pos_at must find exactly that byte, for every offset. */
static void pos_points_at_the_same_byte(void **state)
{
	static const char *const docs[] = {
		plain_doc,
		single_doc,
		literal_doc,
		"k: 'one\n  \xc3\xa9two'\n",
		"k: |\n  a  b\n\n\n   c\n  d\n",
		"k: \"\xc3\xa9t\xc3\xa9 \n  x\n\n\n  y\"\n",
		"k: a\n  b\n\n\n\n  c\n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		struct node *root = load(docs[i]);
		const struct node *k = node_get(root, "k");

		assert_non_null(k);
		for (size_t o = 0; o < k->len; o++) {
			char c = k->str[o];
			if (c == ' ' || c == '\n')
				continue;
			size_t src = offset_of(docs[i], node_pos_at(k, o));
			if (docs[i][src] != c)
				fail_msg("doc %zu offset %zu: value '%c', source '%c'", i, o, c,
					 docs[i][src]);
		}
		node_free(root);
		diag_reset();
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
		{"a: ok\nb: \"x\\0y\"\n",
		 "t.yaml:2:4: error: a NUL character in a scalar is not allowed [yaml-nul]\n"
		 "    2 | b: \"x\\0y\"\n"
		 "      |    ^\n"},
		{"? [a]\n: 1\n",
		 "t.yaml:1:3: error: a mapping key must be a plain string, not a list [yaml-key]\n"
		 "    1 | ? [a]\n"
		 "      |   ^\n"},
		{"{? {a: 1}: 2}\n",
		 "t.yaml:1:4: error: a mapping key must be a plain string, not a mapping [yaml-key]\n"
		 "    1 | {? {a: 1}: 2}\n"
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

/* A raw NUL byte (or any control character) never reaches a scalar: libyaml's reader refuses
 * it. Only the message is compared: the position is libyaml's problem_mark, which a reader
 * error leaves at 1:1 (it sets problem_offset instead; reported). */
static void raw_nul(void **state)
{
	static const char text[] = "a: ok\nb: x\0y\n";
	char *got, *msg;

	(void)state;
	assert_null(load_len(text, sizeof(text) - 1));
	assert_int_equal(diag_error_count(), 1);
	got = flushed();
	assert_int_equal(strncmp(got, "t.yaml:", 7), 0);
	msg = strstr(got, ": error: ");
	assert_non_null(msg);
	msg[strcspn(msg, "\n")] = '\0';
	assert_string_equal(msg, ": error: control characters are not allowed [yaml-syntax]");
	free(got);
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
		cmocka_unit_test_teardown(pos_points_at_the_same_byte, reset),
		cmocka_unit_test_teardown(pos_at_non_scalars, reset),
		cmocka_unit_test_teardown(errors, reset),
		cmocka_unit_test_teardown(raw_nul, reset),
		cmocka_unit_test_teardown(earlier_errors_do_not_fail_a_load, reset),
		cmocka_unit_test_teardown(depth, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
