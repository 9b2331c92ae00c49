/* util.h: allocation that never returns NULL, a growable byte buffer, small string helpers. */
#ifndef PVOPSC_UTIL_H
#define PVOPSC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);

/* Append-only vector of pointers: push keeps order, the array is NULL-terminated. */
struct vec {
	void **v;
	size_t n, cap;
};
void vec_push(struct vec *vec, void *p);
void vec_free(struct vec *vec);

/* A set of strings (open addressing); the set keeps its own copies. */
struct strset {
	char **slot;
	size_t n, cap;
};
bool strset_add(struct strset *set, const char *s); /* true if s was not in the set */
bool strset_has(const struct strset *set, const char *s);
void strset_free(struct strset *set);

/* Growable buffer; data is always NUL-terminated. */
struct buf {
	char *data;
	size_t len, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((nonnull(2)));
/* Give back the room past the text (a buffer kept long after it is written). */
void buf_trim(struct buf *b);
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* FNV-1a of s[0..len), for hash tables keyed by counted text. */
uint32_t util_hash(const char *s, size_t len);

/* s as a JSON string literal (quotes, backslashes and control characters escaped). */
void util_json_string(FILE *out, const char *s);
/* `, "key": value` for a member after an object's first: value as a JSON string, NULL as null. */
void util_json_member(FILE *out, const char *key, const char *value);

/* Whole file into memory (NUL-terminated); NULL with errno set on failure. */
char *util_read_file(const char *path, size_t *len);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t util_edit_distance(const char *a, const char *b);
/* Best of cands (NULL-terminated) within a small distance of word, or NULL. */
const char *util_suggest(const char *word, const char *const *cands);

#endif
