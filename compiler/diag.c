/* diag.c: collect diagnostics, then print them sorted in file order, gcc style. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

enum severity { SEV_ERROR, SEV_WARNING, SEV_NOTE };

struct diag {
	struct pos pos;
	enum severity sev;
	const char *check; /* static string; NULL for notes */
	char *msg;
	size_t seq;        /* report order, the tie-breaker that keeps notes after their parent */
	struct diag *parent; /* for notes: the diagnostic they belong to */
};

static struct vec diags;
static struct strset said;  /* every error and warning so far, as text: each is kept once */
static bool dropped;        /* the last one was a repeat: its notes go too */
static int repeats;         /* errors dropped as repeats: they were still reported */
static struct vec sources;
static bool werror;
static int max_errors;

const struct source *diag_source(const char *name, const char *text, size_t len)
{
	struct source *s = xcalloc(1, sizeof(*s)); /* line_start: built on first use */

	char *copy = xmalloc(len + 1);

	/* A copy: diagnostics are printed after the stage that read the file has let go of it. */
	memcpy(copy, text, len);
	copy[len] = '\0';
	s->name = xstrdup(name);
	s->text = copy;
	s->len = len;
	vec_push(&sources, s);
	return s;
}

const struct source *diag_find_source(const char *name)
{
	for (size_t i = sources.n; i-- > 0;) {
		const struct source *s = sources.v[i];
		if (name && strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

static void index_lines(const struct source *cs)
{
	struct source *s = (struct source *)cs; /* the index is a cache, not a change */
	size_t cap = 64;

	if (s->line_start)
		return;
	s->line_start = xmalloc(cap * sizeof(*s->line_start));
	s->line_start[s->nlines++] = 0;
	for (size_t i = 0; i < s->len; i++) {
		if (s->text[i] != '\n')
			continue;
		if (s->nlines == cap) {
			cap *= 2;
			s->line_start = xrealloc(s->line_start, cap * sizeof(*s->line_start));
		}
		s->line_start[s->nlines++] = i + 1;
	}
}

struct pos source_pos(const struct source *s, size_t off)
{
	size_t lo = 0, hi;

	index_lines(s);
	if (off > s->len)
		off = s->len;
	hi = s->nlines;
	while (hi - lo > 1) { /* the last line starting at or before off */
		size_t mid = lo + (hi - lo) / 2;
		if (s->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (struct pos){s->name, (int)lo + 1, (int)(off - s->line_start[lo]) + 1};
}

size_t source_line_offset(const struct source *s, size_t line)
{
	index_lines(s);
	return line >= 1 && line <= s->nlines ? s->line_start[line - 1] : s->len;
}

static size_t source_rank(const char *file)
{
	for (size_t i = 0; i < sources.n; i++) {
		const struct source *s = sources.v[i];
		if (file && strcmp(s->name, file) == 0)
			return i;
	}
	return (size_t)-1;
}

/* Collect a diagnostic; NULL when the same one (place, severity, rule, text) was collected
 * before: a rule that family checks run for each arch of a family says it once. */
static struct diag *add(struct pos p, enum severity sev, const char *check, const char *fmt, va_list ap)
{
	struct diag *d;
	struct buf b = {0};
	char *key;
	bool fresh = true;

	buf_vprintf(&b, fmt, ap);
	if (sev != SEV_NOTE) {
		key = xasprintf("%s:%d:%d:%d:%s:%s", p.file ? p.file : "", p.line, p.col, (int)sev,
				check ? check : "", b.data);
		fresh = strset_add(&said, key);
		free(key);
		dropped = !fresh;
		repeats += !fresh && sev == SEV_ERROR;
	}
	if (!fresh || (sev == SEV_NOTE && dropped)) {
		buf_free(&b);
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->pos = p;
	d->sev = sev;
	d->check = check;
	d->msg = buf_steal(&b);
	d->seq = diags.n;
	vec_push(&diags, d);
	return d;
}

void diag_verror(struct pos p, const char *check, const char *fmt, va_list ap)
{
	add(p, SEV_ERROR, check, fmt, ap);
}

void diag_error(struct pos p, const char *check, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(p, check, fmt, ap);
	va_end(ap);
}

void diag_warning(struct pos p, const char *check, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(p, werror ? SEV_ERROR : SEV_WARNING, check, fmt, ap);
	va_end(ap);
}

void diag_note(struct pos p, const char *fmt, ...)
{
	struct diag *parent = NULL, *d;
	va_list ap;

	for (size_t i = diags.n; i-- > 0;) {
		struct diag *prev = diags.v[i];
		if (prev->sev != SEV_NOTE) {
			parent = prev;
			break;
		}
	}
	va_start(ap, fmt);
	d = add(p, SEV_NOTE, NULL, fmt, ap);
	va_end(ap);
	if (d)
		d->parent = parent;
}

int diag_error_count(void)
{
	return diag_distinct_errors() + repeats;
}

int diag_distinct_errors(void)
{
	int n = 0;

	for (size_t i = 0; i < diags.n; i++)
		n += ((struct diag *)diags.v[i])->sev == SEV_ERROR;
	return n;
}

void diag_set_werror(bool on) { werror = on; }
void diag_set_max_errors(int n) { max_errors = n; }

/* Sort key of a diagnostic: its own position, or its parent's for a note. */
static int compare(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa, *b = *(const struct diag *const *)pb;
	const struct diag *ka = a->parent ? a->parent : a, *kb = b->parent ? b->parent : b;
	size_t ra = source_rank(ka->pos.file), rb = source_rank(kb->pos.file);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ka->pos.line != kb->pos.line)
		return ka->pos.line < kb->pos.line ? -1 : 1;
	if (ka->pos.col != kb->pos.col)
		return ka->pos.col < kb->pos.col ? -1 : 1;
	if (ka->seq != kb->seq)
		return ka->seq < kb->seq ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The text of line `line` (1-based) of a source, without its newline. */
static const char *line_text(const struct source *s, int line, size_t *len)
{
	size_t start = source_line_offset(s, (size_t)line);
	const char *p = s->text + start;

	if (line < 1 || start >= s->len)
		return NULL;
	*len = strcspn(p, "\n");
	if (start + *len > s->len)
		*len = s->len - start;
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

static void show_line(FILE *out, struct pos p)
{
	const struct source *s = diag_find_source(p.file);
	const char *text;
	size_t len;

	if (!s || p.line <= 0 || !(text = line_text(s, p.line, &len)))
		return;
	int width = fprintf(out, "%5d", p.line);

	fprintf(out, " | %.*s\n%*s | ", (int)len, text, width, "");
	/* Keep tabs so the caret lines up under the same column as in the source. */
	for (int c = 1; c < p.col && (size_t)(c - 1) < len; c++) {
		if (c == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
			c += 2; /* a byte order mark takes no room on screen */
			continue;
		}
		if (((unsigned char)text[c - 1] & 0xc0) != 0x80) /* one column per UTF-8 character */
			fputc(text[c - 1] == '\t' ? '\t' : ' ', out);
	}
	fputs("^\n", out);
}

static void print_one(FILE *out, const struct diag *d)
{
	static const char *const word[] = {"error", "warning", "note"};

	if (d->pos.file && d->pos.line > 0)
		fprintf(out, "%s:%d:%d: ", d->pos.file, d->pos.line, d->pos.col);
	else if (d->pos.file)
		fprintf(out, "%s: ", d->pos.file);
	else
		fputs("pvopsc: ", out);
	fprintf(out, "%s: %s", word[d->sev], d->msg);
	if (d->check)
		fprintf(out, " [%s]", d->check);
	fputc('\n', out);
	show_line(out, d->pos);
}

static void forget_diags(void)
{
	for (size_t i = 0; i < diags.n; i++) {
		struct diag *d = diags.v[i];
		free(d->msg);
		free(d);
	}
	vec_free(&diags);
	strset_free(&said);
	dropped = false;
	repeats = 0;
}

void diag_flush(FILE *out)
{
	int errors = 0;
	bool muted = false;

	if (diags.n > 1)
		qsort(diags.v, diags.n, sizeof(*diags.v), compare);
	for (size_t i = 0; i < diags.n; i++) {
		struct diag *d = diags.v[i];
		if (d->sev == SEV_ERROR && max_errors > 0 && errors++ >= max_errors)
			muted = true;
		if (!muted)
			print_one(out, d);
	}
	if (muted)
		fprintf(out, "pvopsc: stopped after %d errors (--max-errors); %d in all\n", max_errors,
			errors);
	forget_diags();
}

void diag_reset(void)
{
	forget_diags();
	for (size_t i = 0; i < sources.n; i++) {
		struct source *s = sources.v[i];
		free((char *)s->name);
		free((char *)s->text);
		free(s->line_start);
		free(s);
	}
	vec_free(&sources);
	werror = false;
	max_errors = 0;
}
