/* tval.c: the data tree templates read. */
#include "tval.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A model is hundreds of thousands of small blocks built together and freed together: they
 * are cut from chunks, and when the last live block goes every chunk goes at once, so freeing
 * a tree costs no malloc bookkeeping. The arrays of lists and maps double as they grow; the
 * smaller array a growth leaves is kept on a free list of its size and handed to the next
 * list or map that needs that size. Blocks over BLOCK_MAX bytes are mallocs of their own.
 * Under AddressSanitizer every block is a malloc, which keeps use-after-free visible. */
#define CHUNK ((size_t)1 << 20)
#define BLOCK_MAX (CHUNK / 16)
#define ALIGN 8 /* pointers are the widest members */

#ifdef __SANITIZE_ADDRESS__
#define ARENA 0
#else
#define ARENA 1
#endif

struct chunk {
	struct chunk *next;
	size_t used;
};

/* a freed array: the list it is on is that of its size */
struct spare {
	struct spare *next;
};

/* ahead of a block over BLOCK_MAX, a malloc of its own: the arena's list of them */
struct big {
	struct big *next, *prev;
};

/* an interned string: its node, and what finding it compares first */
struct str_slot {
	struct tval *v;
	uint32_t hash, len;
};

static struct {
	struct chunk *chunks; /* the first is the one blocks are cut from */
	struct big *big;
	size_t live;          /* blocks handed out and not freed (spare arrays count as freed) */
	struct spare *spare[2][32]; /* [map?][log2 of capacity] */
	struct str_slot *strs;      /* the interned strings: cap_strs slots, at most 3/4 full */
	size_t n_strs, cap_strs;
} arena;

/* n bytes that live until the arena goes */
static void *arena_alloc(size_t n)
{
	struct chunk *c = arena.chunks;
	void *p;

	if (!ARENA)
		return xmalloc(n);
	if (n > BLOCK_MAX) {
		struct big *b = xmalloc(sizeof(*b) + n);

		*b = (struct big){arena.big, NULL};
		if (arena.big)
			arena.big->prev = b;
		arena.big = b;
		return b + 1;
	}
	n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!c || c->used + n > CHUNK) {
		c = xmalloc(CHUNK);
		c->next = arena.chunks;
		c->used = (sizeof(*c) + ALIGN - 1) & ~(size_t)(ALIGN - 1);
		arena.chunks = c;
	}
	p = (char *)c + c->used;
	c->used += n;
	return p;
}

/* Everything goes: the chunks, the spare arrays, the interned strings. */
static void arena_reset(void)
{
	for (size_t i = 0; !ARENA && i < arena.cap_strs; i++)
		free(arena.strs[i].v);
	free(arena.strs);
	while (arena.chunks) {
		struct chunk *next = arena.chunks->next;
		free(arena.chunks);
		arena.chunks = next;
	}
	while (arena.big) {
		struct big *next = arena.big->next;
		free(arena.big);
		arena.big = next;
	}
	memset(&arena, 0, sizeof(arena));
}

static void *block_alloc(size_t n)
{
	arena.live++;
	return arena_alloc(n);
}

/* Release a block of n bytes (the n it was allocated with): at the last one, the arena. */
static void block_free(void *p, size_t n)
{
	if (!p)
		return;
	if (!ARENA) {
		free(p);
	} else if (n > BLOCK_MAX) {
		struct big *b = (struct big *)p - 1;

		if (b->prev)
			b->prev->next = b->next;
		else
			arena.big = b->next;
		if (b->next)
			b->next->prev = b->prev;
		free(b);
	}
	if (--arena.live == 0)
		arena_reset();
}

uint32_t tv_hash(const char *key, size_t len) { return util_hash(key, len); }

/* Map keys are interned: a model holds a few hundred distinct keys in hundreds of thousands of
 * maps, so each is stored once, for the process (the table stays reachable until exit), and
 * maps hold its number. */
static struct {
	const char **names; /* by number */
	uint32_t *hashes;   /* by number */
	uint32_t n, cap_names;
	uint32_t *slot; /* number + 1, 0 when empty; cap of them, at most half full */
	size_t cap;
} interned;

/* The slot of key[0..len) (hash h): where it is, or the empty one where it would go. */
static size_t intern_slot(const char *key, size_t len, uint32_t h)
{
	size_t mask = interned.cap - 1, i;

	for (i = h & mask; interned.slot[i]; i = (i + 1) & mask) {
		const char *name = interned.names[interned.slot[i] - 1];
		if (interned.hashes[interned.slot[i] - 1] == h && strncmp(name, key, len) == 0 && name[len] == '\0')
			break;
	}
	return i;
}

static void intern_grow(void)
{
	size_t mask;

	free(interned.slot);
	interned.cap = interned.cap ? 2 * interned.cap : 256;
	interned.slot = xcalloc(interned.cap, sizeof(*interned.slot));
	mask = interned.cap - 1;
	for (uint32_t id = 0; id < interned.n; id++) {
		size_t i = interned.hashes[id] & mask;
		while (interned.slot[i])
			i = (i + 1) & mask;
		interned.slot[i] = id + 1;
	}
}

static uint32_t intern(const char *key, size_t len, uint32_t h)
{
	size_t i;

	if (2 * ((size_t)interned.n + 1) > interned.cap)
		intern_grow();
	i = intern_slot(key, len, h);
	if (!interned.slot[i]) {
		if (interned.n == interned.cap_names) {
			interned.cap_names = interned.cap_names ? 2 * interned.cap_names : 128;
			interned.names = xrealloc(interned.names, interned.cap_names * sizeof(*interned.names));
			interned.hashes = xrealloc(interned.hashes, interned.cap_names * sizeof(*interned.hashes));
		}
		interned.names[interned.n] = xstrndup(key, len);
		interned.hashes[interned.n] = h;
		interned.slot[i] = ++interned.n;
	}
	return interned.slot[i] - 1;
}

uint32_t tv_key(const char *key, size_t len) { return intern(key, len, tv_hash(key, len)); }

const char *tv_key_name(const struct tval *map, size_t i) { return interned.names[map->keys[i]]; }

/* A map's array holds, for capacity cap, the items, the keys' numbers and the index: 2 * cap
 * slots of (position + 1), 0 when empty, probed linearly from the key's hash. A map too large
 * for 16-bit positions has no index and is searched linearly. */
#define INDEX_MAX 32768

static size_t array_bytes(bool map, uint32_t cap)
{
	size_t index = cap <= INDEX_MAX ? 2 * cap * sizeof(uint16_t) : 0;

	return map ? cap * (sizeof(struct tval *) + sizeof(uint32_t)) + index : cap * sizeof(struct tval *);
}

static void *array_alloc(bool map, uint32_t cap)
{
	struct spare **spare = &arena.spare[map][__builtin_ctz(cap)];
	struct spare *p = *spare;
	size_t n = array_bytes(map, cap);

	if (!ARENA || n > BLOCK_MAX || !p)
		return block_alloc(n);
	*spare = p->next;
	arena.live++;
	return p;
}

static void array_free(void *p, bool map, uint32_t cap)
{
	size_t n = array_bytes(map, cap);
	struct spare *s = p;

	if (!p || !ARENA || n > BLOCK_MAX || arena.live == 1) {
		block_free(p, n);
		return;
	}
	s->next = arena.spare[map][__builtin_ctz(cap)];
	arena.spare[map][__builtin_ctz(cap)] = s;
	arena.live--;
}

static uint16_t *index_of(const struct tval *map) { return (uint16_t *)(map->keys + map->cap); }

/* Put position i into the map's index. */
static void index_add(struct tval *map, uint32_t i)
{
	uint16_t *slot = index_of(map);
	size_t mask = 2 * (size_t)map->cap - 1, k;

	if (map->cap > INDEX_MAX)
		return;
	for (k = interned.hashes[map->keys[i]] & mask; slot[k]; k = (k + 1) & mask)
		;
	slot[k] = (uint16_t)(i + 1);
}

static struct tval *tv_new(enum tval_kind kind)
{
	struct tval *v = block_alloc(sizeof(*v));

	*v = (struct tval){.kind = kind};
	return v;
}

/* A string node is the header up to str, with its text right after it: one block. */
#define STR_NODE (offsetof(struct tval, str) + sizeof(char *))

static struct tval *new_str(const char *s, size_t len, bool shared)
{
	struct tval *v = shared ? arena_alloc(STR_NODE + len + 1) : block_alloc(STR_NODE + len + 1);

	v->kind = TV_STR;
	v->b = false;
	v->shared = shared;
	v->refs = 0;
	v->n = v->cap = 0;
	v->str = (char *)v + STR_NODE;
	memcpy(v->str, s, len);
	v->str[len] = '\0';
	return v;
}

/* Strings are interned for the arena's life, as keys are for the process's: a model holds
 * some 60 strings an op, but few distinct ones ("unsigned long", "0", a name used by several
 * keys), so each distinct text is one shared node that tv_free leaves alone. A long text is
 * its own node. */
#define INTERN_MAX 4096

static size_t str_slot(const char *s, uint32_t len, uint32_t h)
{
	size_t mask = arena.cap_strs - 1, k;

	for (k = h & mask; arena.strs[k].v; k = (k + 1) & mask)
		if (arena.strs[k].hash == h && arena.strs[k].len == len && memcmp(arena.strs[k].v->str, s, len) == 0)
			break;
	return k;
}

static void strs_grow(void)
{
	struct str_slot *old = arena.strs;
	size_t cap = arena.cap_strs;

	arena.cap_strs = cap ? 2 * cap : 1024;
	arena.strs = xcalloc(arena.cap_strs, sizeof(*arena.strs));
	for (size_t i = 0; i < cap; i++)
		if (old[i].v)
			arena.strs[str_slot(old[i].v->str, old[i].len, old[i].hash)] = old[i];
	free(old);
}

static struct tval *str_node(const char *s, size_t len)
{
	uint32_t h;
	size_t k;

	if (len > INTERN_MAX)
		return new_str(s, len, false);
	if (4 * (arena.n_strs + 1) > 3 * arena.cap_strs)
		strs_grow();
	h = tv_hash(s, len);
	k = str_slot(s, (uint32_t)len, h);
	if (!arena.strs[k].v) {
		arena.strs[k] = (struct str_slot){new_str(s, len, true), h, (uint32_t)len};
		arena.n_strs++;
	}
	return arena.strs[k].v;
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

/* Booleans are immutable and many (a dozen per op): two shared nodes. */
static struct tval bools[2] = {{.kind = TV_BOOL, .shared = true}, {.kind = TV_BOOL, .b = true, .shared = true}};

struct tval *tv_bool(bool b) { return &bools[b]; }

struct tval *tv_list(void) { return tv_new(TV_LIST); }
struct tval *tv_map(void) { return tv_new(TV_MAP); }

/* Room for one more item (and key, for a map). */
static void grow(struct tval *v)
{
	bool map = v->kind == TV_MAP;
	uint32_t cap = v->cap ? v->cap * 2 : 4;
	struct tval **items;

	if (v->n < v->cap)
		return;
	items = array_alloc(map, cap);
	if (v->n)
		memcpy(items, v->items, v->n * sizeof(*items));
	if (map) {
		uint32_t *keys = (uint32_t *)(items + cap);

		if (v->n)
			memcpy(keys, v->keys, v->n * sizeof(*keys));
		v->keys = keys;
	}
	array_free(v->items, map, v->cap);
	v->items = items;
	v->cap = cap;
	if (map && cap <= INDEX_MAX) {
		memset(index_of(v), 0, 2 * (size_t)cap * sizeof(uint16_t));
		for (uint32_t i = 0; i < v->n; i++)
			index_add(v, i);
	}
}

/* The position of key (its number; h its hash) in map, or map->n. */
static size_t find(const struct tval *map, uint32_t key, uint32_t h)
{
	const uint16_t *slot;
	size_t mask, k;

	if (map->cap > INDEX_MAX) {
		for (size_t i = 0; i < map->n; i++)
			if (map->keys[i] == key)
				return i;
		return map->n;
	}
	if (!map->cap)
		return 0;
	slot = index_of(map);
	mask = 2 * (size_t)map->cap - 1;
	for (k = h & mask; slot[k]; k = (k + 1) & mask)
		if (map->keys[slot[k] - 1u] == key)
			return slot[k] - 1u;
	return map->n;
}

struct tval *tv_set(struct tval *map, const char *key, struct tval *v)
{
	size_t i, len = strlen(key);
	uint32_t h = tv_hash(key, len), k = intern(key, len, h);

	assert(map->kind == TV_MAP);
	i = find(map, k, h);
	if (i < map->n) {
		tv_free(map->items[i]);
	} else {
		grow(map);
		map->keys[map->n] = k;
		index_add(map, map->n++);
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

/* Decimal, without printf: a model sets a few integers an op. */
struct tval *tv_set_int(struct tval *map, const char *key, long long v)
{
	char digits[24], *end = digits + sizeof(digits), *p = end;
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return tv_set(map, key, str_node(p, (size_t)(end - p)));
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
	if (!v->shared)
		v->refs++;
	return v;
}

const struct tval *tv_getk(const struct tval *map, uint32_t key)
{
	size_t i;

	if (!map || map->kind != TV_MAP)
		return NULL;
	i = find(map, key, interned.hashes[key]);
	return i < map->n ? map->items[i] : NULL;
}

/* A key never interned is in no map. */
const struct tval *tv_geth(const struct tval *map, const char *key, size_t len, uint32_t hash)
{
	size_t i;

	if (!map || map->kind != TV_MAP || !interned.cap)
		return NULL;
	i = intern_slot(key, len, hash);
	return interned.slot[i] ? tv_getk(map, interned.slot[i] - 1) : NULL;
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
	if (!v || v->shared)
		return;
	if (v->refs) {
		v->refs--;
		return;
	}
	for (size_t i = 0; i < v->n; i++)
		tv_free(v->items[i]);
	if (v->kind != TV_STR)
		array_free(v->items, v->kind == TV_MAP, v->cap);
	block_free(v, v->kind == TV_STR ? STR_NODE + strlen(v->str) + 1 : sizeof(*v));
}

void tv_free_all(struct tval *v)
{
	if (ARENA) {
		arena_reset();
		return;
	}
	tv_free(v);
	assert(arena.live == 0 && "tv_free_all: another tree is alive");
}
