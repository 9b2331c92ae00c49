/* load.c: YAML text -> node tree, through libyaml's event API.
 *
 * Every node keeps its source position; positions inside scalars are recovered later by
 * node_pos_at(), which re-reads the raw text. Anchors and aliases are refused: a spec is read
 * by people, and an alias would make a diagnostic point at the wrong place. */
#include "node.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64 /* the schema is a few levels deep; this guards the recursive stages */

/* Byte offset of a libyaml mark. libyaml counts columns in characters, so walk the line. */
static size_t mark_offset(const struct source *src, yaml_mark_t m)
{
	const char *p = src->text + source_line_offset(src, m.line + 1), *end = src->text + src->len;

	for (size_t c = 0; c < m.column && p < end && *p != '\n'; c++) {
		p++;
		while (p < end && ((unsigned char)*p & 0xc0) == 0x80)
			p++;
	}
	return (size_t)(p - src->text);
}

static struct pos mark_pos(const struct source *src, yaml_mark_t m)
{
	return source_pos(src, mark_offset(src, m));
}

static struct node *new_node(enum node_kind kind, const struct source *src, const yaml_event_t *ev)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->src = src;
	n->off = mark_offset(src, ev->start_mark);
	n->pos = source_pos(src, n->off);
	n->end = mark_pos(src, ev->end_mark);
	return n;
}

static void append(struct node *parent, struct node *child, size_t *cap)
{
	if (parent->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		parent->items = xrealloc(parent->items, *cap * sizeof(*parent->items));
		if (parent->kind == NODE_MAP)
			parent->keys = xrealloc(parent->keys, *cap * sizeof(*parent->keys));
	}
	parent->items[parent->n] = child;
}

struct frame {
	struct node *node;
	size_t cap;
	struct node *key; /* mapping: the key waiting for its value */
};

static enum scalar_style style_of(yaml_scalar_style_t s)
{
	switch (s) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return STYLE_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return STYLE_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return STYLE_FOLDED;
	default: return STYLE_PLAIN;
	}
}

/* Put a finished node where it belongs: as a key, as a value, or as a sequence item. */
static bool place(struct frame *top, struct node *n)
{
	struct node *parent = top->node;

	if (parent->kind == NODE_SEQ) {
		append(parent, n, &top->cap);
		parent->n++;
		return true;
	}
	if (!top->key) {
		if (n->kind != NODE_SCALAR) {
			diag_error(n->pos, "yaml-key", "a mapping key must be a plain string, not a %s",
				   node_kind_name(n->kind));
			node_free(n);
			n = xcalloc(1, sizeof(*n)); /* placeholder keeps the pairing straight */
			n->kind = NODE_SCALAR;
			n->str = xstrdup("");
		}
		top->key = n;
		return true;
	}
	for (size_t i = 0; i < parent->n; i++) {
		if (top->key->str[0] && strcmp(parent->keys[i]->str, top->key->str) == 0) {
			diag_error(top->key->pos, "duplicate-key", "duplicate key '%s'", top->key->str);
			diag_note(parent->keys[i]->pos, "first defined here");
			break;
		}
	}
	append(parent, n, &top->cap);
	parent->keys[parent->n] = top->key;
	parent->n++;
	top->key = NULL;
	return true;
}

struct node *load_yaml(const struct source *src)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct frame stack[MAX_DEPTH + 1];
	int depth = 0;
	struct node *root = NULL;
	bool ok = true, done = false;
	int errors_before = diag_error_count();

	if (!yaml_parser_initialize(&parser)) {
		diag_error((struct pos){src->name, 0, 0}, "yaml-syntax", "cannot start the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	while (!done) {
		struct node *n = NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			/* The reader (encoding, control characters) reports a byte offset, not a mark. */
			struct pos p = parser.error == YAML_READER_ERROR ? source_pos(src, parser.problem_offset)
									 : mark_pos(src, parser.problem_mark);
			const char *problem = parser.problem ? parser.problem : "syntax error";
			if (parser.context) {
				struct pos cp = mark_pos(src, parser.context_mark);
				diag_error(p, "yaml-syntax", "%s %s", problem, parser.context);
				/* "while scanning a quoted scalar": say where that scalar began */
				if (cp.line != p.line || cp.col != p.col)
					diag_note(cp, "%s that starts here", parser.context);
			} else {
				diag_error(p, "yaml-syntax", "%s", problem);
			}
			ok = false;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root) {
				diag_error(mark_pos(src, ev.start_mark), "yaml-documents",
					   "the spec is one YAML document; found a second one here");
				ok = false;
				done = true;
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_error(mark_pos(src, ev.start_mark), "yaml-alias",
				   "YAML aliases are not supported; write the value out (the spec is read by people)");
			n = new_node(NODE_SCALAR, src, &ev);
			n->str = xstrdup("");
			ok = false;
			break;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.anchor) {
				diag_error(mark_pos(src, ev.start_mark), "yaml-alias",
					   "YAML anchors are not supported; write each value out");
				ok = false;
			}
			n = new_node(NODE_SCALAR, src, &ev);
			n->str = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
			n->len = ev.data.scalar.length;
			n->style = style_of(ev.data.scalar.style);
			if (strlen(n->str) != n->len) {
				diag_error(n->pos, "yaml-nul", "a NUL character in a scalar is not allowed");
				ok = false;
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			const yaml_char_t *anchor = ev.type == YAML_SEQUENCE_START_EVENT
							    ? ev.data.sequence_start.anchor
							    : ev.data.mapping_start.anchor;
			struct node *c = new_node(ev.type == YAML_SEQUENCE_START_EVENT ? NODE_SEQ : NODE_MAP,
						  src, &ev);
			if (anchor) {
				diag_error(c->pos, "yaml-alias", "YAML anchors are not supported; write each value out");
				ok = false;
			}
			if (depth == MAX_DEPTH) {
				diag_error(c->pos, "yaml-depth", "nesting deeper than %d levels", MAX_DEPTH);
				node_free(c);
				ok = false;
				done = true;
				break;
			}
			stack[depth++] = (struct frame){c, 0, NULL};
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			n = stack[--depth].node;
			n->end = mark_pos(src, ev.end_mark);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (n) {
			if (depth > 0)
				place(&stack[depth - 1], n);
			else if (!root)
				root = n;
			else
				node_free(n);
		}
	}
	/* On a syntax error, unwind the containers still open. */
	while (depth > 0) {
		struct frame *f = &stack[--depth];
		node_free(f->key);
		if (depth > 0)
			place(&stack[depth - 1], f->node);
		else if (!root)
			root = f->node;
		else
			node_free(f->node);
	}
	yaml_parser_delete(&parser);
	if (!ok || diag_error_count() > errors_before) {
		node_free(root);
		return NULL;
	}
	if (!root)
		diag_error((struct pos){src->name, 0, 0}, "yaml-empty", "the spec is empty");
	return root;
}

void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		node_free(n->items[i]);
		if (n->keys)
			node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->str);
	free(n);
}

/* --- positions inside scalars --- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* At a line break of a flow scalar (plain or quoted), possibly after trailing blanks: skip the
 * break, blank lines and the next line's indentation. Returns the value bytes it folds to. */
static size_t fold_break(const char **pp, const char *end)
{
	const char *p = *pp;
	size_t breaks = 0;

	for (;;) {
		while (p < end && is_blank(*p))
			p++;
		if (p < end && *p == '\n') {
			breaks++;
			p++;
			continue;
		}
		if (p < end && *p == '\r') {
			p++;
			continue;
		}
		break;
	}
	*pp = p;
	return breaks <= 1 ? 1 : breaks - 1;
}

static bool blanks_then_break(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p < end && (*p == '\n' || *p == '\r');
}

/* Value bytes a double-quoted escape at p produces, and its source length. */
static size_t escape_len(const char *p, const char *end, size_t *src_len)
{
	size_t hex = 0;
	char digits[9] = {0};

	*src_len = 2;
	if (p + 1 >= end) {
		*src_len = 1;
		return 1;
	}
	switch (p[1]) {
	case 'x': hex = 2; break;
	case 'u': hex = 4; break;
	case 'U': hex = 8; break;
	case 'N': case '_': return 2; /* U+0085, U+00A0 */
	case 'L': case 'P': return 3; /* U+2028, U+2029 */
	default: return 1;
	}
	/* \x, \u and \U become UTF-8: the code point decides the byte count. */
	*src_len = 2 + hex;
	memcpy(digits, p + 2, (size_t)(end - (p + 2)) < hex ? (size_t)(end - (p + 2)) : hex);
	unsigned long cp = strtoul(digits, NULL, 16);
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static size_t flow_offset(const struct node *n, size_t want)
{
	const char *text = n->src->text, *end = text + n->src->len;
	const char *p = text + n->off;
	size_t v = 0;

	if (n->style != STYLE_PLAIN)
		p++; /* the opening quote */
	while (p < end && v < want) {
		if (*p == '\n' || (is_blank(*p) && blanks_then_break(p, end))) {
			v += fold_break(&p, end);
		} else if (n->style == STYLE_DOUBLE && *p == '\\') {
			if (p + 1 < end && (p[1] == '\n' || p[1] == '\r')) {
				p++;
				fold_break(&p, end); /* an escaped line break folds to nothing */
				continue;
			}
			size_t slen, vlen = escape_len(p, end, &slen);
			if (v + vlen > want)
				break;
			p += slen;
			v += vlen;
		} else if (n->style == STYLE_SINGLE && *p == '\'' && p + 1 < end && p[1] == '\'') {
			p += 2;
			v++;
		} else {
			p++;
			v++;
		}
	}
	/* An escaped line break produces nothing: value byte `want` comes after it. */
	while (n->style == STYLE_DOUBLE && p + 1 < end && p[0] == '\\' && (p[1] == '\n' || p[1] == '\r')) {
		p++;
		fold_break(&p, end);
	}
	return (size_t)(p - text);
}

/* Block scalars (| and >): content lines, each less the block's indentation. */
static size_t block_offset(const struct node *n, size_t want)
{
	const char *text = n->src->text, *end = text + n->src->len;
	const char *p = text + n->off, *q;
	size_t v = 0, indent = 0;

	while (p < end && *p != '\n') /* the header line: indicator, chomping, comment */
		p++;
	if (p < end)
		p++;
	for (q = p; q < end;) { /* indentation: the first non-blank line's */
		size_t i = 0;
		while (q + i < end && q[i] == ' ')
			i++;
		if (q + i < end && q[i] != '\n') {
			indent = i;
			break;
		}
		q += i + 1;
	}
	while (p < end) {
		size_t i = 0;
		while (i < indent && p + i < end && p[i] == ' ')
			i++;
		p += i;
		while (p < end && *p != '\n') {
			if (v == want)
				return (size_t)(p - text);
			p++;
			v++;
		}
		if (v == want || p >= end)
			break;
		p++; /* the line break: one value byte */
		v++;
	}
	return (size_t)(p - text);
}

struct pos node_pos_at(const struct node *n, size_t offset)
{
	size_t off;

	if (!n)
		return (struct pos){0};
	if (n->kind != NODE_SCALAR || !n->src)
		return n->pos;
	if (n->style == STYLE_LITERAL || n->style == STYLE_FOLDED)
		off = block_offset(n, offset);
	else
		off = flow_offset(n, offset);
	return source_pos(n->src, off);
}

const struct node *node_get(const struct node *map, const char *key)
{
	if (!map || map->kind != NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i]->str, key) == 0)
			return map->items[i];
	return NULL;
}

struct pos node_pos_of(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return n ? n->pos : map ? map->pos : (struct pos){0};
}

const char *node_kind_name(enum node_kind k)
{
	return k == NODE_SCALAR ? "scalar" : k == NODE_SEQ ? "list" : "mapping";
}

bool node_is(const struct node *n, const char *s)
{
	return n && n->kind == NODE_SCALAR && strcmp(n->str, s) == 0;
}
