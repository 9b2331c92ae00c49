/* diag.h: the one diagnostics engine of every stage.
 *
 * Messages are collected, not printed, so that a run reports all of its errors sorted in file
 * order (gcc format, source line, caret) and so that the driver can refuse to write anything
 * when there was an error. */
#ifndef PVOPSC_DIAG_H
#define PVOPSC_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* A place in an input file; 1-based. line == 0 means "no position" (the file as a whole). */
struct pos {
	const char *file;
	int line, col;
};

/* A loaded input file, kept for the caret display and for positions inside scalars. */
struct source {
	const char *name;
	const char *text;
	size_t len;
	size_t *line_start; /* byte offset of each line, built on first use (diag_source_pos) */
	size_t nlines;
};

/* Register a source; diag keeps its own copy of the text, alive until diag_reset(). */
const struct source *diag_source(const char *name, const char *text, size_t len);
const struct source *diag_find_source(const char *name);
/* Line and column (1-based, bytes) of a byte offset; O(log lines). */
struct pos diag_source_pos(const struct source *s, size_t off);
/* The same for an offset the caller knows to be on line (1-based; checked): no search. */
struct pos diag_source_pos_on_line(const struct source *s, size_t line, size_t off);
/* Byte offset where line `line` (1-based) starts; len if past the end. */
size_t diag_source_line_offset(const struct source *s, size_t line);

/* Each error or warning is kept once: the same place, rule and text again is dropped (with
 * its notes). */
void diag_error(struct pos p, const char *check, const char *fmt, ...) PRINTF(3, 4);
void diag_verror(struct pos p, const char *check, const char *fmt, va_list ap) PRINTF(3, 0);
void diag_warning(struct pos p, const char *check, const char *fmt, ...) PRINTF(3, 4);
/* A note attaches to the diagnostic reported just before it. */
void diag_note(struct pos p, const char *fmt, ...) PRINTF(2, 3);

/* Errors reported (repeats too: a stage that reported one failed), plus warnings under
 * -Werror; diag_distinct_errors: those that will be printed. */
int diag_error_count(void);
int diag_distinct_errors(void);
void diag_set_werror(bool on);
/* Per check, as -Wno-<check>, -W<check>, -Werror=<check> set it: its warnings dropped, kept
 * as warnings (even under -Werror), or made errors. */
enum diag_level { DIAG_DEFAULT, DIAG_OFF, DIAG_WARN, DIAG_ERROR };
void diag_set_level(const char *check, enum diag_level level);
/* How diag_flush prints: gcc's text, gcc's JSON (-fdiagnostics-format=json) or SARIF 2.1.0. */
enum diag_format { DIAG_TEXT, DIAG_JSON, DIAG_SARIF };
void diag_set_format(enum diag_format format);
bool diag_is_text(void);
void diag_set_max_errors(int n); /* 0 = no limit; stops printing after n errors */

/* Print everything collected, sorted by (file, line, col), then forget it. */
void diag_flush(FILE *out);
/* Forget everything (diagnostics and sources); for tests. */
void diag_reset(void);

#endif
