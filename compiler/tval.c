/* tval.c: the data tree templates read. */
#include "tval.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static struct tval *tv_new(enum tval_kind kind)
{
	struct tval *v = xcalloc(1, sizeof(*v));

	v->kind = kind;
	return v;
}

struct tval *tv_str(const char *s)
{
	struct tval *v = tv_new(TV_STR);

	v->str = xstrdup(s);
	return v;
}

static struct tval *tv_vstrf(const char *fmt, va_list ap)
{
	struct tval *v = tv_new(TV_STR);
	struct buf b = {0};

	buf_vprintf(&b, fmt, ap);
	v->str = buf_steal(&b);
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

struct tval *tv_bool(bool b)
{
	struct tval *v = tv_new(TV_BOOL);

	v->b = b;
	return v;
}

struct tval *tv_list(void) { return tv_new(TV_LIST); }
struct tval *tv_map(void) { return tv_new(TV_MAP); }

/* Room for one more item (and key, for a map). */
static void grow(struct tval *v)
{
	if (v->n < v->cap)
		return;
	v->cap = v->cap ? v->cap * 2 : 8;
	v->items = xrealloc(v->items, v->cap * sizeof(*v->items));
	if (v->kind == TV_MAP)
		v->keys = xrealloc(v->keys, v->cap * sizeof(*v->keys));
}

static size_t find(const struct tval *map, const char *key, size_t len)
{
	for (size_t i = 0; i < map->n; i++) /* the first byte first: most keys differ there */
		if ((len == 0 || map->keys[i][0] == key[0]) && strncmp(map->keys[i], key, len) == 0 && map->keys[i][len] == '\0')
			return i;
	return map->n;
}

struct tval *tv_set(struct tval *map, const char *key, struct tval *v)
{
	size_t i;

	assert(map->kind == TV_MAP);
	i = find(map, key, strlen(key));
	if (i < map->n) {
		tv_free(map->items[i]);
	} else {
		grow(map);
		map->keys[map->n++] = xstrdup(key);
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
	v->refs++;
	return v;
}

const struct tval *tv_getn(const struct tval *map, const char *key, size_t len)
{
	size_t i;

	if (!map || map->kind != TV_MAP)
		return NULL;
	i = find(map, key, len);
	return i < map->n ? map->items[i] : NULL;
}

const struct tval *tv_get(const struct tval *map, const char *key)
{
	return tv_getn(map, key, strlen(key));
}

void tv_free(struct tval *v)
{
	if (!v)
		return;
	if (v->refs) {
		v->refs--;
		return;
	}
	for (size_t i = 0; i < v->n; i++) {
		tv_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}
