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
	bool dropped;        /* a warning turned off (-Wno-<check>), with its notes */
};

static struct vec diags;
static struct strset said;  /* every error and warning so far, as text: each is kept once */
static bool dropped;        /* the last one was a repeat: its notes go too */
static int repeats;         /* errors dropped as repeats: they were still reported */
static struct vec sources;
static bool werror;
static int max_errors;
static enum diag_format format;

struct level {
	char *check;
	enum diag_level level;
};
static struct vec levels; /* struct level *, the last setting of a check wins */

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

static bool has_bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0;
}

/* The position of off on line lo (0-based). */
static struct pos pos_on_line(const struct source *s, size_t lo, size_t off)
{
	/* a byte order mark is not part of line 1: its columns start after it */
	if (lo == 0 && off >= 3 && has_bom(s->text, s->len))
		off -= 3;
	return (struct pos){s->name, (int)lo + 1, (int)(off - s->line_start[lo]) + 1};
}

struct pos diag_source_pos(const struct source *s, size_t off)
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
	return pos_on_line(s, lo, off);
}

struct pos diag_source_pos_on_line(const struct source *s, size_t line, size_t off)
{
	index_lines(s);
	if (line < 1 || line > s->nlines || off > s->len || off < s->line_start[line - 1] ||
	    (line < s->nlines && off >= s->line_start[line]))
		return diag_source_pos(s, off);
	return pos_on_line(s, line - 1, off);
}

size_t diag_source_line_offset(const struct source *s, size_t line)
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

static enum diag_level level_of(const char *check)
{
	for (size_t i = levels.n; check && i-- > 0;) {
		const struct level *l = levels.v[i];
		if (strcmp(l->check, check) == 0)
			return l->level;
	}
	return DIAG_DEFAULT;
}

void diag_set_level(const char *check, enum diag_level level)
{
	struct level *l = xmalloc(sizeof(*l));

	l->check = xstrdup(check);
	l->level = level;
	vec_push(&levels, l);
}

void diag_set_format(enum diag_format f) { format = f; }
bool diag_is_text(void) { return format == DIAG_TEXT; }

void diag_warning(struct pos p, const char *check, const char *fmt, ...)
{
	enum diag_level level = level_of(check);
	va_list ap;

	if (level == DIAG_OFF) {
		/* a note given next attaches to nothing printed: park it on a dropped parent */
		va_start(ap, fmt);
		struct diag *d = add(p, SEV_WARNING, check, fmt, ap);
		va_end(ap);
		d->dropped = true;
		return;
	}
	va_start(ap, fmt);
	add(p, level == DIAG_ERROR || (werror && level != DIAG_WARN) ? SEV_ERROR : SEV_WARNING, check, fmt, ap);
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
		n += ((struct diag *)diags.v[i])->sev == SEV_ERROR && !((struct diag *)diags.v[i])->dropped;
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
	size_t start = diag_source_line_offset(s, (size_t)line);
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

/* Text as a terminal may show it: a control character (but a tab) as \xNN, so that a spec
 * cannot move the cursor, repaint the screen or overwrite what was printed. */
static int put_visible(FILE *out, const char *text, size_t len)
{
	int width = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			width += fprintf(out, "\\x%02x", c);
		else
			fputc(c, out), width += (c & 0xc0) != 0x80;
	}
	return width;
}

static void show_line(FILE *out, struct pos p)
{
	const struct source *s = diag_find_source(p.file);
	const char *text;
	size_t len;

	if (!s || p.line <= 0 || !(text = line_text(s, p.line, &len)))
		return;
	if (p.line == 1 && text == s->text && has_bom(text, len)) { /* it takes no room on screen */
		text += 3;
		len -= 3;
	}
	int width = fprintf(out, "%5d", p.line);

	fputs(" | ", out);
	put_visible(out, text, len);
	fprintf(out, "\n%*s | ", width, "");
	/* Keep tabs so the caret lines up under the same column as in the source. */
	for (int c = 1; c < p.col && (size_t)(c - 1) < len; c++) {
		unsigned char ch = (unsigned char)text[c - 1];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			fputs("    ", out); /* as wide as its \xNN */
		else if ((ch & 0xc0) != 0x80) /* one column per UTF-8 character */
			fputc(ch == '\t' ? '\t' : ' ', out);
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
	fprintf(out, "%s: ", word[d->sev]);
	put_visible(out, d->msg, strlen(d->msg));
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

/* ---- machine-readable forms ---- */

static void json_str(FILE *out, const char *s)
{
	util_json_string(out, s ? s : "");
}

static bool shown(const struct diag *d)
{
	return !d->dropped && !(d->parent && d->parent->dropped);
}

static const char *const sev_word[] = {"error", "warning", "note"};

/* gcc's form: one point is caret, start and finish alike (a position is one character). */
static void json_point(FILE *out, struct pos p)
{
	fputs("{\"file\": ", out);
	json_str(out, p.file ? p.file : "pvopsc");
	if (p.line > 0) /* the file as a whole has no line */
		fprintf(out, ", \"line\": %d, \"column\": %d, \"byte-column\": %d", p.line, p.col, p.col);
	fputc('}', out);
}

static void json_one(FILE *out, const struct diag *d, size_t at)
{
	fputs("{\"kind\": ", out);
	json_str(out, sev_word[d->sev]);
	util_json_member(out, "message", d->msg);
	if (d->check)
		util_json_member(out, "option", d->check);
	fputs(", \"locations\": [", out);
	if (d->pos.file) {
		fputs("{\"caret\": ", out);
		json_point(out, d->pos);
		fputs(", \"start\": ", out);
		json_point(out, d->pos);
		fputs(", \"finish\": ", out);
		json_point(out, d->pos);
		fputc('}', out);
	}
	fputs("], \"children\": [", out);
	for (size_t k = at + 1, n = 0; k < diags.n && ((struct diag *)diags.v[k])->parent == d; k++, n++) {
		fputs(n ? ", " : "", out);
		json_one(out, diags.v[k], k);
	}
	fputs("], \"column-origin\": 1, \"escape-source\": false}", out);
}

static void print_json(FILE *out)
{
	bool first = true;

	fputc('[', out);
	for (size_t i = 0; i < diags.n; i++) {
		const struct diag *d = diags.v[i];
		if (d->sev == SEV_NOTE || !shown(d))
			continue;
		fputs(first ? "" : ",\n ", out);
		json_one(out, d, i);
		first = false;
	}
	fputs("]\n", out);
}

static void sarif_location(FILE *out, struct pos p, const char *msg)
{
	fputs("{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
	json_str(out, p.file ? p.file : "");
	fputc('}', out);
	if (p.line > 0)
		fprintf(out, ", \"region\": {\"startLine\": %d, \"startColumn\": %d}", p.line, p.col);
	fputc('}', out);
	if (msg) {
		fputs(", \"message\": {\"text\": ", out);
		json_str(out, msg);
		fputc('}', out);
	}
	fputc('}', out);
}

/* SARIF 2.1.0, what code scanning annotates: one run, a rule per check that fired. */
static void print_sarif(FILE *out)
{
	struct strset rules = {0};
	bool first = true;

	fputs("{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\",\n"
	      " \"runs\": [{\"tool\": {\"driver\": {\"name\": \"pvopsc\", \"rules\": [", out);
	for (size_t i = 0; i < diags.n; i++) {
		const struct diag *d = diags.v[i];
		if (d->check && shown(d) && strset_add(&rules, d->check)) {
			fputs(first ? "" : ", ", out);
			fputs("{\"id\": ", out);
			json_str(out, d->check);
			fputc('}', out);
			first = false;
		}
	}
	strset_free(&rules);
	fputs("]}},\n  \"results\": [", out);
	first = true;
	for (size_t i = 0; i < diags.n; i++) {
		const struct diag *d = diags.v[i];
		if (d->sev == SEV_NOTE || !shown(d))
			continue;
		fputs(first ? "\n   " : ",\n   ", out);
		first = false;
		fputs("{\"ruleId\": ", out);
		json_str(out, d->check ? d->check : "pvopsc");
		util_json_member(out, "level", sev_word[d->sev]);
		fputs(", \"message\": {\"text\": ", out);
		json_str(out, d->msg);
		fputs("}, \"locations\": [", out);
		sarif_location(out, d->pos, NULL);
		fputs("], \"relatedLocations\": [", out);
		for (size_t k = i + 1, n = 0; k < diags.n && ((struct diag *)diags.v[k])->parent == d; k++, n++) {
			fputs(n ? ", " : "", out);
			sarif_location(out, ((struct diag *)diags.v[k])->pos, ((struct diag *)diags.v[k])->msg);
		}
		fputs("]}", out);
	}
	fputs("]}]}\n", out);
}

void diag_flush(FILE *out)
{
	int errors = 0;
	bool muted = false;

	if (diags.n > 1)
		qsort(diags.v, diags.n, sizeof(*diags.v), compare);
	if (format != DIAG_TEXT) {
		if (format == DIAG_JSON)
			print_json(out);
		else
			print_sarif(out);
		forget_diags();
		return;
	}
	for (size_t i = 0; i < diags.n; i++) {
		struct diag *d = diags.v[i];
		if (!shown(d))
			continue;
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
	for (size_t i = 0; i < levels.n; i++) {
		struct level *l = levels.v[i];
		free(l->check);
		free(l);
	}
	vec_free(&levels);
	werror = false;
	max_errors = 0;
	format = DIAG_TEXT;
}
