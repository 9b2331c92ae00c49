/* util.c: allocation, buffers, files, suggestions. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *alloc_or_die(void *p)
{
	if (!p) {
		fputs("pvopsc: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xmalloc(size_t n) { return alloc_or_die(malloc(n ? n : 1)); }
void *xcalloc(size_t n, size_t size) { return alloc_or_die(calloc(n ? n : 1, size ? size : 1)); }
void *xrealloc(void *p, size_t n) { return alloc_or_die(realloc(p, n ? n : 1)); }
char *xstrdup(const char *s) { return alloc_or_die(strdup(s)); }
char *xstrndup(const char *s, size_t n) { return alloc_or_die(strndup(s, n)); }

char *xasprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

void vec_push(struct vec *vec, void *p)
{
	if (vec->n + 2 > vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 8;
		vec->v = xrealloc(vec->v, vec->cap * sizeof(*vec->v));
	}
	vec->v[vec->n++] = p;
	vec->v[vec->n] = NULL;
}

void vec_free(struct vec *vec)
{
	free(vec->v);
	*vec = (struct vec){0};
}

uint32_t util_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot holding s, or the empty slot where it would go. */
static char **strset_slot(char **slot, size_t cap, const char *s)
{
	size_t i = hash(s) & (cap - 1);

	while (slot[i] && strcmp(slot[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

bool strset_has(const struct strset *set, const char *s)
{
	return set->cap && *strset_slot(set->slot, set->cap, s);
}

bool strset_add(struct strset *set, const char *s)
{
	char **at;

	if (2 * (set->n + 1) > set->cap) { /* keep it at most half full */
		size_t cap = set->cap ? 2 * set->cap : 16;
		char **slot = xcalloc(cap, sizeof(*slot));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i])
				*strset_slot(slot, cap, set->slot[i]) = set->slot[i];
		free(set->slot);
		set->slot = slot;
		set->cap = cap;
	}
	at = strset_slot(set->slot, set->cap, s);
	if (*at)
		return false;
	*at = xstrdup(s);
	set->n++;
	return true;
}

void strset_free(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	*set = (struct strset){0};
}

static void buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	while (b->len + extra + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 64;
	b->data = xrealloc(b->data, b->cap);
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }
void buf_putc(struct buf *b, char c) { buf_add(b, &c, 1); }

/* Formatted into the room the buffer has; only a text that does not fit is formatted twice. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	size_t room;
	int n;

	buf_grow(b, 0);
	room = b->cap - b->len;
	va_copy(again, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	if (n >= 0 && (size_t)n >= room) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (n >= 0)
		b->len += (size_t)n;
	b->data[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_trim(struct buf *b)
{
	if (b->data && b->len + 1 < b->cap) {
		b->data = xrealloc(b->data, b->len + 1);
		b->cap = b->len + 1;
	}
}

char *buf_steal(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");

	*b = (struct buf){0};
	return s;
}

void buf_free(struct buf *b)
{
	free(b->data);
	*b = (struct buf){0};
}

char *util_read_file(const char *path, size_t *len)
{
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		buf_free(&b);
		errno = e;
		return NULL;
	}
	fclose(f);
	if (len)
		*len = b.len;
	return buf_steal(&b);
}

/* Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit, the
 * commonest typo ("nmae"). */
size_t util_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d;
	size_t *t = xmalloc((la + 1) * (lb + 1) * sizeof(*t));

#define D(i, j) t[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = D(i - 1, j - 1) + (a[i - 1] != b[j - 1]);
			if (D(i - 1, j) + 1 < best)
				best = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < best)
				best = D(i - 2, j - 2) + 1;
			D(i, j) = best;
		}
	}
	d = D(la, lb);
#undef D
	free(t);
	return d;
}

const char *util_suggest(const char *word, const char *const *cands)
{
	/* Close enough to be a typo: a third of the word, at least one edit, at most three. */
	size_t limit = strlen(word) / 3, best_d = (size_t)-1;
	const char *best = NULL;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (; cands && *cands; cands++) {
		size_t d = util_edit_distance(word, *cands);
		if (d <= limit && d < best_d) {
			best_d = d;
			best = *cands;
		}
	}
	return best;
}

void util_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void util_json_member(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	if (value)
		util_json_string(out, value);
	else
		fputs("null", out);
}
