/* node.h: the spec tree built from libyaml events; every node knows where it came from. */
#ifndef PVOPSC_NODE_H
#define PVOPSC_NODE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum node_kind { NODE_SCALAR, NODE_SEQ, NODE_MAP };
enum scalar_style { STYLE_PLAIN, STYLE_SINGLE, STYLE_DOUBLE, STYLE_LITERAL, STYLE_FOLDED };

struct node {
	enum node_kind kind;
	struct pos pos; /* first character (the quote or indicator for quoted/block scalars) */
	struct pos end; /* just past the last character */
	const struct source *src;
	size_t off; /* byte offset of pos in src->text */

	/* scalar */
	char *str;
	size_t len;
	enum scalar_style style;
	bool str_tag; /* tagged !!str: a string even when it reads as a number or a boolean */

	/* sequence: items[0..n); mapping: keys[i] -> items[i] */
	size_t n;
	struct node **items;
	struct node **keys;
};

void node_free(struct node *n);

/* Position of byte `offset` of a scalar's value, mapped back through quotes, escapes and
 * block indentation, so diagnostics point at the character inside the scalar. */
struct pos node_pos_at(const struct node *scalar, size_t offset);

const struct node *node_get(const struct node *map, const char *key);
/* Position of map[key]'s value, or of the map itself when the key is absent. */
struct pos node_pos_of(const struct node *map, const char *key);
const char *node_kind_name(enum node_kind k);
bool node_is(const struct node *n, const char *s); /* scalar equal to s */

#endif
