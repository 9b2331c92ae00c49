/* test_diag.c: the diagnostics engine: the gcc format with the source line and the caret,
 * warnings and notes, sorting, -Werror, --max-errors, odd positions, CRLF, and sources. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "util.h"

#define P(file, line, col) ((struct pos){(file), (line), (col)})

/* Line 2 has tabs between the columns, line 3 is the last. */
static const char a_text[] = "first: line\n\tkey:\t\tvalue\nthird\n";

static void add_a(void)
{
	diag_source("a.yaml", a_text, strlen(a_text));
}

/* "l1\n" ... "ln\n", registered under name. */
static void add_numbered(const char *name, int n)
{
	struct buf b = {0};

	for (int i = 1; i <= n; i++)
		buf_printf(&b, "l%d\n", i);
	diag_source(name, b.data, b.len);
	buf_free(&b);
}

/* Everything collected so far, exactly as diag_flush prints it. */
static char *flushed(void)
{
	char *s = NULL;
	size_t len;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	diag_flush(f);
	fclose(f);
	return s;
}

/* Only the message lines of the flushed output: the source and caret lines start with a
 * blank (the gutter), messages never do. Keeps the ordering tests readable. */
static char *flushed_headers(void)
{
	char *all = flushed(), *line, *save = NULL;
	struct buf b = {0};

	buf_puts(&b, "");
	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] != ' ')
			buf_printf(&b, "%s\n", line);
	free(all);
	return buf_steal(&b);
}

static void check_flush(const char *want)
{
	char *got = flushed();

	assert_string_equal(got, want);
	free(got);
}

static void check_headers(const char *want)
{
	char *got = flushed_headers();

	assert_string_equal(got, want);
	free(got);
}

/* diag keeps its state in globals: start every test from nothing. */
static int reset(void **state)
{
	(void)state;
	diag_reset();
	return 0;
}

static void error_format(void **state)
{
	(void)state;
	add_a();
	diag_error(P("a.yaml", 1, 8), "some-check", "bad %s %d", "thing", 42);
	assert_int_equal(diag_error_count(), 1);
	check_flush("a.yaml:1:8: error: bad thing 42 [some-check]\n"
		    "    1 | first: line\n"
		    "      |        ^\n");
}

/* The caret line copies the tabs before the column, so it lines up at any tab width. */
static void caret_keeps_tabs(void **state)
{
	(void)state;
	add_a();
	diag_error(P("a.yaml", 2, 8), "c", "at value");
	diag_error(P("a.yaml", 2, 1), "c", "at the tab");
	check_flush("a.yaml:2:1: error: at the tab [c]\n"
		    "    2 | \tkey:\t\tvalue\n"
		    "      | ^\n"
		    "a.yaml:2:8: error: at value [c]\n"
		    "    2 | \tkey:\t\tvalue\n"
		    "      | \t    \t\t^\n");
}

static void gutter(void **state)
{
	(void)state;
	add_numbered("n.yaml", 12345);
	diag_error(P("n.yaml", 12345, 3), "c", "last");
	diag_error(P("n.yaml", 7, 2), "c", "seventh");
	check_flush("n.yaml:7:2: error: seventh [c]\n"
		    "    7 | l7\n"
		    "      |  ^\n"
		    "n.yaml:12345:3: error: last [c]\n"
		    "12345 | l12345\n"
		    "      |   ^\n");
}

/* From line 100000 on the number is wider than the gutter's 5 columns: the caret line widens
 * with it, so the caret stays under its column. */
static void wide_gutter(void **state)
{
	(void)state;
	add_numbered("w.yaml", 100001);
	diag_error(P("w.yaml", 100001, 7), "c", "last");
	diag_error(P("w.yaml", 100000, 2), "c", "six digits");
	diag_error(P("w.yaml", 99999, 6), "c", "five digits");
	check_flush("w.yaml:99999:6: error: five digits [c]\n"
		    "99999 | l99999\n"
		    "      |      ^\n"
		    "w.yaml:100000:2: error: six digits [c]\n"
		    "100000 | l100000\n"
		    "       |  ^\n"
		    "w.yaml:100001:7: error: last [c]\n"
		    "100001 | l100001\n"
		    "       |       ^\n");
}

static void warnings_and_notes(void **state)
{
	(void)state;
	add_a();
	diag_warning(P("a.yaml", 3, 2), "w-check", "suspicious %s", "thing");
	diag_note(P("a.yaml", 1, 1), "see %s", "here");
	assert_int_equal(diag_error_count(), 0); /* a warning is not an error */
	check_flush("a.yaml:3:2: warning: suspicious thing [w-check]\n"
		    "    3 | third\n"
		    "      |  ^\n"
		    "a.yaml:1:1: note: see here\n"
		    "    1 | first: line\n"
		    "      | ^\n");
}

/* A note sorts with the diagnostic reported before it, wherever the note itself points. */
static void notes_follow_their_diagnostic(void **state)
{
	(void)state;
	add_numbered("b.yaml", 9);
	diag_error(P("b.yaml", 5, 1), "c", "late");
	diag_note(P("b.yaml", 1, 2), "first note of late");
	diag_note(P("b.yaml", 9, 1), "second note of late");
	diag_warning(P("b.yaml", 3, 1), "w", "early");
	diag_note(P("b.yaml", 8, 1), "note of early");
	diag_error(P("b.yaml", 5, 1), "c", "late too"); /* same place: report order */
	diag_note(P("b.yaml", 2, 1), "note of late too");
	check_headers("b.yaml:3:1: warning: early [w]\n"
		      "b.yaml:8:1: note: note of early\n"
		      "b.yaml:5:1: error: late [c]\n"
		      "b.yaml:1:2: note: first note of late\n"
		      "b.yaml:9:1: note: second note of late\n"
		      "b.yaml:5:1: error: late too [c]\n"
		      "b.yaml:2:1: note: note of late too\n");
}

/* The same error again (a rule of a family checked for each of its arches) is printed once,
 * its notes with it, but still counts as reported; another text at the same place is kept. */
static void repeats_print_once(void **state)
{
	(void)state;
	add_numbered("b.yaml", 3);
	diag_error(P("b.yaml", 2, 1), "c", "twice");
	diag_note(P("b.yaml", 1, 1), "first");
	diag_error(P("b.yaml", 2, 1), "c", "twice");
	diag_note(P("b.yaml", 3, 1), "of the repeat");
	diag_error(P("b.yaml", 2, 1), "other", "twice");
	diag_error(P("b.yaml", 2, 1), "c", "twice but not the same");
	assert_int_equal(diag_error_count(), 4);
	assert_int_equal(diag_distinct_errors(), 3);
	check_headers("b.yaml:2:1: error: twice [c]\n"
		      "b.yaml:1:1: note: first\n"
		      "b.yaml:2:1: error: twice [other]\n"
		      "b.yaml:2:1: error: twice but not the same [c]\n");
	diag_error(P("b.yaml", 2, 1), "c", "twice"); /* a flush forgets what was said */
	assert_int_equal(diag_distinct_errors(), 1);
}

/* Files in registration order (not by name), then line, then column, then report order;
 * file-level diagnostics first in their file; no file or an unknown one last. */
static void sort_order(void **state)
{
	(void)state;
	add_numbered("spec.yaml", 3);
	add_numbered("arch.tmpl", 3);
	diag_error(P("arch.tmpl", 1, 1), "c", "t1");
	diag_error(P("spec.yaml", 2, 5), "c", "s2:5");
	diag_error(P("spec.yaml", 2, 1), "c", "s2:1 first");
	diag_error(P(NULL, 0, 0), "c", "no file");
	diag_error(P("spec.yaml", 0, 0), "c", "spec as a whole");
	diag_error(P("spec.yaml", 1, 9), "c", "s1:9");
	diag_error(P("spec.yaml", 2, 1), "c", "s2:1 second");
	diag_error(P("arch.tmpl", 0, 0), "c", "template as a whole");
	diag_error(P("spec.yaml", 3, 1), "c", "s3:1");
	check_headers("spec.yaml: error: spec as a whole [c]\n"
		      "spec.yaml:1:9: error: s1:9 [c]\n"
		      "spec.yaml:2:1: error: s2:1 first [c]\n"
		      "spec.yaml:2:1: error: s2:1 second [c]\n"
		      "spec.yaml:2:5: error: s2:5 [c]\n"
		      "spec.yaml:3:1: error: s3:1 [c]\n"
		      "arch.tmpl: error: template as a whole [c]\n"
		      "arch.tmpl:1:1: error: t1 [c]\n"
		      "pvopsc: error: no file [c]\n");
}

/* Positions the engine cannot show a line for still print their header, and nothing else. */
static void headers_without_a_line(void **state)
{
	(void)state;
	add_a();
	diag_error(P("a.yaml", 0, 0), "c", "the whole file");
	diag_error(P(NULL, 0, 0), "usage", "no file at all");
	diag_note(P(NULL, 0, 0), "a note without a file");
	diag_error(P("unregistered.yaml", 2, 3), "c", "a file diag does not know");
	diag_error(P("a.yaml", 3, 1), NULL, "no check name");
	check_flush("a.yaml: error: the whole file [c]\n"
		    "a.yaml:3:1: error: no check name\n"
		    "    3 | third\n"
		    "      | ^\n"
		    "pvopsc: error: no file at all [usage]\n"
		    "pvopsc: note: a note without a file\n"
		    "unregistered.yaml:2:3: error: a file diag does not know [c]\n");
}

static void werror(void **state)
{
	(void)state;
	add_a();
	diag_warning(P("a.yaml", 1, 1), "w", "before -Werror");
	assert_int_equal(diag_error_count(), 0);
	diag_set_werror(true);
	diag_warning(P("a.yaml", 2, 1), "w", "under -Werror");
	assert_int_equal(diag_error_count(), 1);
	diag_set_werror(false);
	diag_warning(P("a.yaml", 3, 1), "w", "after -Werror");
	assert_int_equal(diag_error_count(), 1);
	check_headers("a.yaml:1:1: warning: before -Werror [w]\n"
		      "a.yaml:2:1: error: under -Werror [w]\n"
		      "a.yaml:3:1: warning: after -Werror [w]\n");
	assert_int_equal(diag_error_count(), 0); /* flushed: forgotten */
}

/* Errors at lines 5, 1, 3, 7, 9 (report order), a warning and notes in between. */
static void report_five_errors(void)
{
	add_numbered("m.yaml", 9);
	diag_error(P("m.yaml", 5, 1), "c", "e5");
	diag_note(P("m.yaml", 1, 1), "note of e5");
	diag_error(P("m.yaml", 1, 1), "c", "e1");
	diag_error(P("m.yaml", 3, 1), "c", "e3");
	diag_note(P("m.yaml", 8, 1), "note of e3");
	diag_error(P("m.yaml", 7, 1), "c", "e7");
	diag_error(P("m.yaml", 9, 1), "c", "e9");
	diag_warning(P("m.yaml", 2, 1), "w", "w2");
	diag_warning(P("m.yaml", 8, 1), "w", "w8");
}

/* The first N errors in file order with their notes, and whatever sorts before the cut;
 * then one line saying how many there were. */
static void max_errors(void **state)
{
	static const struct {
		int max;
		const char *want;
	} cases[] = {
		{2, "m.yaml:1:1: error: e1 [c]\n"
		    "m.yaml:2:1: warning: w2 [w]\n"
		    "m.yaml:3:1: error: e3 [c]\n"
		    "m.yaml:8:1: note: note of e3\n"
		    "pvopsc: stopped after 2 errors (--max-errors); 5 in all\n"},
		{1, "m.yaml:1:1: error: e1 [c]\n"
		    "m.yaml:2:1: warning: w2 [w]\n"
		    "pvopsc: stopped after 1 errors (--max-errors); 5 in all\n"},
		/* exactly as many as allowed: all of them, no "stopped" line */
		{5, "m.yaml:1:1: error: e1 [c]\n"
		    "m.yaml:2:1: warning: w2 [w]\n"
		    "m.yaml:3:1: error: e3 [c]\n"
		    "m.yaml:8:1: note: note of e3\n"
		    "m.yaml:5:1: error: e5 [c]\n"
		    "m.yaml:1:1: note: note of e5\n"
		    "m.yaml:7:1: error: e7 [c]\n"
		    "m.yaml:8:1: warning: w8 [w]\n"
		    "m.yaml:9:1: error: e9 [c]\n"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		report_five_errors();
		diag_set_max_errors(cases[i].max);
		assert_int_equal(diag_error_count(), 5); /* all are counted */
		check_headers(cases[i].want);
		diag_reset();
	}
	/* 0 is no limit */
	report_five_errors();
	diag_set_max_errors(0);
	check_headers(cases[2].want);
}

/* A position past the last line, or past the end of its line, must not read out of bounds. */
static void positions_past_the_end(void **state)
{
	static const char *const texts[] = {"one\ntwo\n", "one\ntwo", ""};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
		diag_source(i == 0 ? "nl.yaml" : i == 1 ? "nonl.yaml" : "empty.yaml", texts[i],
			    strlen(texts[i]));
	diag_error(P("nl.yaml", 3, 1), "c", "after the last newline");
	diag_error(P("nl.yaml", 9, 4), "c", "far after");
	diag_error(P("nl.yaml", 1, 10), "c", "past the end of line 1");
	diag_error(P("nonl.yaml", 2, 4), "c", "end of the unterminated line");
	diag_error(P("nonl.yaml", 3, 1), "c", "after it");
	diag_error(P("empty.yaml", 1, 1), "c", "in an empty file");
	check_flush("nl.yaml:1:10: error: past the end of line 1 [c]\n"
		    "    1 | one\n"
		    "      |    ^\n"
		    "nl.yaml:3:1: error: after the last newline [c]\n"
		    "nl.yaml:9:4: error: far after [c]\n"
		    "nonl.yaml:2:4: error: end of the unterminated line [c]\n"
		    "    2 | two\n"
		    "      |    ^\n"
		    "nonl.yaml:3:1: error: after it [c]\n"
		    "empty.yaml:1:1: error: in an empty file [c]\n");
}

/* The \r of a CRLF line is not shown (it would move the cursor back over the gutter). */
static void crlf(void **state)
{
	static const char text[] = "a: 1\r\nbb: 2\r\nlast\r";

	(void)state;
	diag_source("w.yaml", text, strlen(text));
	diag_error(P("w.yaml", 2, 5), "c", "two");
	diag_error(P("w.yaml", 3, 2), "c", "three");
	check_flush("w.yaml:2:5: error: two [c]\n"
		    "    2 | bb: 2\n"
		    "      |     ^\n"
		    "w.yaml:3:2: error: three [c]\n"
		    "    3 | last\n"
		    "      |  ^\n");
}

/* Flushing forgets the diagnostics but keeps the sources; reset forgets everything. */
static void flush_and_reset(void **state)
{
	(void)state;
	add_a();
	diag_error(P("a.yaml", 1, 1), "c", "one");
	free(flushed());
	assert_int_equal(diag_error_count(), 0);
	check_flush("");
	diag_error(P("a.yaml", 3, 1), "c", "again");
	check_flush("a.yaml:3:1: error: again [c]\n"
		    "    3 | third\n"
		    "      | ^\n");

	diag_error(P("a.yaml", 1, 1), "c", "dropped");
	diag_set_werror(true);
	diag_set_max_errors(1);
	diag_reset();
	assert_int_equal(diag_error_count(), 0);
	assert_null(diag_find_source("a.yaml"));
	check_flush("");
	/* -Werror and --max-errors are back to their defaults */
	diag_warning(P(NULL, 0, 0), "w", "w");
	diag_error(P(NULL, 0, 0), "c", "e1");
	diag_error(P(NULL, 0, 0), "c", "e2");
	assert_int_equal(diag_error_count(), 2);
	check_flush("pvopsc: warning: w [w]\n"
		    "pvopsc: error: e1 [c]\n"
		    "pvopsc: error: e2 [c]\n");
}

static void sources(void **state)
{
	char text[] = "abcdef\n";
	const struct source *s, *again;

	(void)state;
	s = diag_source("s.yaml", text, 3); /* a prefix: the copy ends there */
	text[0] = 'X';                     /* a copy: the caller's buffer may change */
	assert_ptr_not_equal(s->text, text);
	assert_string_equal(s->text, "abc");
	assert_int_equal(s->len, 3);
	assert_string_equal(s->name, "s.yaml");
	assert_ptr_equal(diag_find_source("s.yaml"), s);
	assert_null(diag_find_source("other.yaml"));
	assert_null(diag_find_source(NULL));
	/* the same name again: the latest wins */
	again = diag_source("s.yaml", "xyz\n", 4);
	assert_ptr_equal(diag_find_source("s.yaml"), again);
	diag_error(P("s.yaml", 1, 2), "c", "which text");
	check_flush("s.yaml:1:2: error: which text [c]\n"
		    "    1 | xyz\n"
		    "      |  ^\n");
}

static void offsets_and_lines(void **state)
{
	static const char text[] = "ab\ncd\n\nef"; /* lines start at 0, 3, 6, 7; len 9 */
	static const struct {
		size_t off;
		int line, col;
	} pos_cases[] = {
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, /* the newline ends its line */
		{3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {8, 4, 2},
		{9, 4, 3},   /* the end */
		{100, 4, 3}, /* past the end: clamped */
	};
	static const size_t line_starts[] = {9, 0, 3, 6, 7, 9, 9}; /* lines 0..6 */
	const struct source *s;

	(void)state;
	s = diag_source("o.yaml", text, strlen(text));
	for (size_t i = 0; i < ARRAY_SIZE(pos_cases); i++) {
		struct pos p = diag_source_pos(s, pos_cases[i].off);
		if (p.line != pos_cases[i].line || p.col != pos_cases[i].col)
			fail_msg("offset %zu: %d:%d, wanted %d:%d", pos_cases[i].off, p.line, p.col,
				 pos_cases[i].line, pos_cases[i].col);
		assert_string_equal(p.file, "o.yaml");
	}
	for (size_t line = 0; line < ARRAY_SIZE(line_starts); line++)
		assert_int_equal(diag_source_line_offset(s, line), line_starts[line]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(error_format, reset),
		cmocka_unit_test_teardown(caret_keeps_tabs, reset),
		cmocka_unit_test_teardown(gutter, reset),
		cmocka_unit_test_teardown(wide_gutter, reset),
		cmocka_unit_test_teardown(warnings_and_notes, reset),
		cmocka_unit_test_teardown(notes_follow_their_diagnostic, reset),
		cmocka_unit_test_teardown(repeats_print_once, reset),
		cmocka_unit_test_teardown(sort_order, reset),
		cmocka_unit_test_teardown(headers_without_a_line, reset),
		cmocka_unit_test_teardown(werror, reset),
		cmocka_unit_test_teardown(max_errors, reset),
		cmocka_unit_test_teardown(positions_past_the_end, reset),
		cmocka_unit_test_teardown(crlf, reset),
		cmocka_unit_test_teardown(flush_and_reset, reset),
		cmocka_unit_test_teardown(sources, reset),
		cmocka_unit_test_teardown(offsets_and_lines, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
