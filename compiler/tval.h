/* tval.h: the data a template sees. The model stage builds one tree per generated file set;
 * templates only read it. Values are strings, booleans, lists and maps (keys in insertion
 * order). */
#ifndef PVOPSC_TVAL_H
#define PVOPSC_TVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum tval_kind { TV_STR, TV_BOOL, TV_LIST, TV_MAP };

struct tval {
	enum tval_kind kind : 8;
	bool b;          /* TV_BOOL */
	bool shared;     /* owned by no tree (booleans, interned strings): tv_free leaves it */
	int refs;        /* owners beyond the first (tv_ref); tv_free frees at the last */
	uint32_t n, cap; /* TV_LIST: items; TV_MAP: keys[i] -> items[i]; 0 for the others */
	union {
		char *str; /* TV_STR: a string node ends here (its text follows it) */
		struct {
			struct tval **items;
			uint32_t *keys; /* TV_MAP: each key's number (tv_key); a map indexes them */
		};
	};
};

struct tval *tv_str(const char *s);
struct tval *tv_strf(const char *fmt, ...) PRINTF(1, 2);
struct tval *tv_bool(bool b);
struct tval *tv_list(void);
struct tval *tv_map(void);

/* Map setters replace an existing key. They return the value stored. */
struct tval *tv_set(struct tval *map, const char *key, struct tval *v);
struct tval *tv_set_str(struct tval *map, const char *key, const char *s);
struct tval *tv_set_strf(struct tval *map, const char *key, const char *fmt, ...) PRINTF(3, 4);
struct tval *tv_set_int(struct tval *map, const char *key, long long v);
struct tval *tv_set_bool(struct tval *map, const char *key, bool b);

/* List appenders. */
struct tval *tv_add(struct tval *list, struct tval *v);
struct tval *tv_add_map(struct tval *list); /* append a new empty map and return it */
struct tval *tv_add_str(struct tval *list, const char *s);

/* Another owner of v (the same map in two lists): tv_free releases it only at the last. */
struct tval *tv_ref(struct tval *v);

/* Lookups go through the map's hash index; NULL when map is not a map. */
const struct tval *tv_get(const struct tval *map, const char *key);
const struct tval *tv_getn(const struct tval *map, const char *key, size_t len);
/* The hash a map keeps of key[0..len); a reader that looks the same name up many times (a
 * template) computes it once and passes it to tv_geth. */
uint32_t tv_hash(const char *key, size_t len);
const struct tval *tv_geth(const struct tval *map, const char *key, size_t len, uint32_t hash);
/* Faster still: the key's number, as tv_key gives it (the same for every map, for the process). */
uint32_t tv_key(const char *key, size_t len);
const struct tval *tv_getk(const struct tval *map, uint32_t key);
/* The text of map's key i. */
const char *tv_key_name(const struct tval *map, size_t i);
void tv_free(struct tval *v);
/* Free v, which must be the last tree alive (a model after its render), and with it every
 * block at once, without a walk. A sanitizer build walks it and checks that nothing is left. */
void tv_free_all(struct tval *v);

#endif
