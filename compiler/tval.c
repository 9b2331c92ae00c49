/* tval.c: the data tree templates read. */
#include "tval.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A model is tens of thousands of small blocks built together and freed together: they are
 * cut from aligned chunks, each counting its live blocks and returned to malloc when that
 * count drops to zero, so freeing a tree is a walk and no malloc bookkeeping. Blocks over
 * BLOCK_MAX bytes are mallocs of their own. Under AddressSanitizer every block is a malloc,
 * which keeps use-after-free visible. */
#define CHUNK ((size_t)1 << 20)
#define BLOCK_MAX (CHUNK / 16)
#define ALIGN 8 /* pointers are the widest members */

struct chunk {
	size_t live, used;
};

static struct chunk *current; /* the chunk blocks are cut from */

#ifdef __SANITIZE_ADDRESS__
#define ARENA 0
#else
#define ARENA 1
#endif

static void *block_alloc(size_t n)
{
	void *p;

	if (!ARENA || n > BLOCK_MAX)
		return xmalloc(n);
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!current || current->used + n > CHUNK) {
		if (!current || current->live) {
			current = aligned_alloc(CHUNK, CHUNK);
			if (!current) {
				fputs("pvopsc: out of memory\n", stderr);
				exit(2);
			}
		}
		current->live = 0;
		current->used = (sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	}
	p = (char *)current + current->used;
	current->used += n;
	current->live++;
	return p;
}

/* Release a block of n bytes (the n it was allocated with). */
static void block_free(void *p, size_t n)
{
	struct chunk *c;

	if (!p)
		return;
	if (!ARENA || n > BLOCK_MAX) {
		free(p);
		return;
	}
	c = (struct chunk *)((uintptr_t)p & ~(uintptr_t)(CHUNK - 1));
	if (--c->live == 0 && c != current)
		free(c);
}

static struct tval *tv_new(enum tval_kind kind)
{
	struct tval *v = block_alloc(sizeof(*v));

	*v = (struct tval){.kind = kind};
	return v;
}

/* A string node holds its text right after itself: one block. */
static struct tval *str_node(const char *s, size_t len)
{
	struct tval *v = block_alloc(sizeof(*v) + len + 1);

	*v = (struct tval){.kind = TV_STR, .str = (char *)(v + 1)};
	memcpy(v->str, s, len);
	v->str[len] = '\0';
	return v;
}

struct tval *tv_str(const char *s) { return str_node(s, strlen(s)); }

static struct tval *tv_vstrf(const char *fmt, va_list ap)
{
	struct tval *v;
	char small[256];
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n < sizeof(small)) {
		v = str_node(small, (size_t)n);
	} else {
		struct buf b = {0};

		buf_vprintf(&b, fmt, again);
		v = str_node(b.data ? b.data : "", b.len);
		buf_free(&b);
	}
	va_end(again);
	return v;
}
struct tval *tv_strf(const char *fmt, ...)
{
	struct tval *v;
	va_list ap;

	va_start(ap, fmt);
	v = tv_vstrf(fmt, ap);
	va_end(ap);
	return v;
}

/* Booleans are immutable and many (a dozen per op): two shared nodes that tv_free keeps. */
static struct tval bools[2] = {{.kind = TV_BOOL, .b = false}, {.kind = TV_BOOL, .b = true}};

struct tval *tv_bool(bool b) { return &bools[b]; }

struct tval *tv_list(void) { return tv_new(TV_LIST); }
struct tval *tv_map(void) { return tv_new(TV_MAP); }

/* *p holds n items of `size` bytes in room for `cap`; give it room for `more`. */
static void *regrow(void *p, size_t n, size_t cap, size_t more, size_t size)
{
	void *q = block_alloc(more * size);

	if (n)
		memcpy(q, p, n * size);
	block_free(p, cap * size);
	return q;
}

/* Room for one more item (and key, for a map). */
static void grow(struct tval *v)
{
	size_t cap = v->cap ? v->cap * 2 : 8;

	if (v->n < v->cap)
		return;
	v->items = regrow(v->items, v->n, v->cap, cap, sizeof(*v->items));
	if (v->kind == TV_MAP) {
		v->keys = regrow(v->keys, v->n, v->cap, cap, sizeof(*v->keys));
		v->hashes = regrow(v->hashes, v->n, v->cap, cap, sizeof(*v->hashes));
	}
	v->cap = cap;
}

/* FNV-1a */
uint32_t tv_hash(const char *key, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

/* Map keys are interned: a model holds a few hundred distinct keys in hundreds of thousands of
 * maps, so each is stored once, for the process (the table stays reachable until exit). */
static struct {
	const char **keys;
	uint32_t *hashes;
	size_t n, cap; /* cap a power of two, at most half full */
} interned;

/* The slot of key (hash h) in the table: where it is, or the empty one where it would go. */
static size_t intern_slot(const char *key, uint32_t h)
{
	size_t mask = interned.cap - 1, i;

	for (i = h & mask; interned.keys[i]; i = (i + 1) & mask)
		if (interned.hashes[i] == h && strcmp(interned.keys[i], key) == 0)
			break;
	return i;
}

static const char *intern(const char *key, size_t len, uint32_t h)
{
	size_t i;

	if (interned.n * 2 >= interned.cap) {
		const char **keys = interned.keys;
		uint32_t *hashes = interned.hashes;
		size_t cap = interned.cap;

		interned.cap = cap ? cap * 2 : 256;
		interned.keys = xcalloc(interned.cap, sizeof(*interned.keys));
		interned.hashes = xcalloc(interned.cap, sizeof(*interned.hashes));
		for (size_t k = 0; k < cap; k++)
			if (keys[k]) {
				i = intern_slot(keys[k], hashes[k]);
				interned.keys[i] = keys[k];
				interned.hashes[i] = hashes[k];
			}
		free(keys);
		free(hashes);
	}
	i = intern_slot(key, h);
	if (!interned.keys[i]) {
		interned.keys[i] = xstrndup(key, len);
		interned.hashes[i] = h;
		interned.n++;
	}
	return interned.keys[i];
}

static size_t find(const struct tval *map, const char *key, size_t len, uint32_t h)
{
	for (size_t i = 0; i < map->n; i++)
		if (map->hashes[i] == h && strncmp(map->keys[i], key, len) == 0 && map->keys[i][len] == '\0')
			return i;
	return map->n;
}

struct tval *tv_set(struct tval *map, const char *key, struct tval *v)
{
	size_t i, len = strlen(key);
	uint32_t h = tv_hash(key, len);

	assert(map->kind == TV_MAP);
	i = find(map, key, len, h);
	if (i < map->n) {
		tv_free(map->items[i]);
	} else {
		grow(map);
		map->keys[map->n] = intern(key, len, h);
		map->hashes[map->n++] = h;
	}
	map->items[i] = v;
	return v;
}

struct tval *tv_set_str(struct tval *map, const char *key, const char *s)
{
	return tv_set(map, key, tv_str(s));
}

struct tval *tv_set_strf(struct tval *map, const char *key, const char *fmt, ...)
{
	struct tval *v;
	va_list ap;

	va_start(ap, fmt);
	v = tv_vstrf(fmt, ap);
	va_end(ap);
	return tv_set(map, key, v);
}

struct tval *tv_set_int(struct tval *map, const char *key, long long v)
{
	return tv_set(map, key, tv_strf("%lld", v));
}

struct tval *tv_set_bool(struct tval *map, const char *key, bool b)
{
	return tv_set(map, key, tv_bool(b));
}

struct tval *tv_add(struct tval *list, struct tval *v)
{
	assert(list->kind == TV_LIST);
	grow(list);
	list->items[list->n++] = v;
	return v;
}

struct tval *tv_add_map(struct tval *list) { return tv_add(list, tv_map()); }
struct tval *tv_add_str(struct tval *list, const char *s) { return tv_add(list, tv_str(s)); }

struct tval *tv_ref(struct tval *v)
{
	if (v->kind != TV_BOOL)
		v->refs++;
	return v;
}

const struct tval *tv_geth(const struct tval *map, const char *key, size_t len, uint32_t hash)
{
	size_t i;

	if (!map || map->kind != TV_MAP)
		return NULL;
	i = find(map, key, len, hash);
	return i < map->n ? map->items[i] : NULL;
}

const struct tval *tv_getn(const struct tval *map, const char *key, size_t len)
{
	return tv_geth(map, key, len, tv_hash(key, len));
}

const struct tval *tv_get(const struct tval *map, const char *key)
{
	return tv_getn(map, key, strlen(key));
}

void tv_free(struct tval *v)
{
	if (!v || v->kind == TV_BOOL)
		return;
	if (v->refs) {
		v->refs--;
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		tv_free(v->items[i]);
	block_free(v->items, v->cap * sizeof(*v->items));
	block_free(v->keys, v->cap * sizeof(*v->keys));
	block_free(v->hashes, v->cap * sizeof(*v->hashes));
	block_free(v, sizeof(*v) + (v->str ? strlen(v->str) + 1 : 0));
}
