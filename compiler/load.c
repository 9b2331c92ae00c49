/* load.c: YAML text -> node tree, through libyaml's event API.
 *
 * Every node keeps its source position; positions inside scalars are recovered later by
 * node_pos_at(), which re-reads the raw text. Anchors and aliases are refused: a spec is read
 * by people, and an alias would make a diagnostic point at the wrong place. */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64 /* the schema is a few levels deep; this guards the recursive stages */


/* Byte offset of a libyaml mark. libyaml counts columns in characters, so walk the line. Its
 * reader drops a UTF-8 byte order mark at the start of the stream before counting: line 1's
 * columns start after it. */
static size_t mark_offset(const struct source *src, yaml_mark_t m)
{
	const char *p = src->text + diag_source_line_offset(src, m.line + 1), *end = src->text + src->len;

	if (m.line == 0 && src->len >= 3 && memcmp(src->text, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (size_t c = 0; c < m.column && p < end && *p != '\n'; c++) {
		p++;
		while (p < end && ((unsigned char)*p & 0xc0) == 0x80)
			p++;
	}
	return (size_t)(p - src->text);
}

static struct pos mark_pos(const struct source *src, yaml_mark_t m)
{
	return diag_source_pos_on_line(src, m.line + 1, mark_offset(src, m));
}

/* pvopsc gives YAML tags no meaning but !!str's (a string): any other would be silently
 * ignored (a !!binary value read as its base64 text), so it is refused. */
static void refuse_tag(const struct source *src, const yaml_event_t *ev, const char *tag)
{
	diag_error(mark_pos(src, ev->start_mark), "yaml-tag", "YAML tag '%s' is not supported; write the plain value",
		   tag);
}

static struct node *new_node(enum node_kind kind, const struct source *src, const yaml_event_t *ev)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->src = src;
	n->off = mark_offset(src, ev->start_mark);
	n->pos = diag_source_pos_on_line(src, ev->start_mark.line + 1, n->off);
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

/* libyaml also breaks lines at NEL, LS, PS and a lone CR; positions count only \n (as editors
 * and diagnostics do), so those characters are refused rather than misplaced. */
static bool plain_line_breaks(const struct source *src)
{
	static const struct {
		const char *bytes;
		const char *name;
	} odd[] = {{"\xc2\x85", "NEL (U+0085)"}, {"\xe2\x80\xa8", "LS (U+2028)"}, {"\xe2\x80\xa9", "PS (U+2029)"}};
	bool ok = true;

	for (size_t i = 0; i < src->len; i++) {
		unsigned char c = (unsigned char)src->text[i];

		if (c != '\r' && c != 0xc2 && c != 0xe2) /* the first bytes of them all */
			continue;
		if (c == '\r' && (i + 1 == src->len || src->text[i + 1] != '\n')) {
			diag_error(diag_source_pos(src, i), "yaml-line-break", "a carriage return alone is a line break to YAML; end lines with \\n (or \\r\\n)");
			ok = false;
		}
		for (size_t k = 0; k < ARRAY_SIZE(odd); k++) {
			size_t n = strlen(odd[k].bytes);
			if (i + n <= src->len && memcmp(src->text + i, odd[k].bytes, n) == 0) {
				diag_error(diag_source_pos(src, i), "yaml-line-break",
					   "%s is a line break to YAML; write it as an escape in a double-quoted string", odd[k].name);
				ok = false;
			}
		}
	}
	return ok;
}

/* The loader's state: the containers still open, the document's root. */
struct loader {
	const struct source *src;
	struct frame stack[MAX_DEPTH + 1];
	int depth;
	struct node *root;
	bool ok, done;
};

/* The parser stopped on an error: say where, and where the construct it was in began. */
static void parse_error(const struct source *src, const yaml_parser_t *parser)
{
	/* The reader (encoding, control characters) reports a byte offset, not a mark. */
	struct pos p = parser->error == YAML_READER_ERROR ? diag_source_pos(src, parser->problem_offset)
							  : mark_pos(src, parser->problem_mark);
	const char *problem = parser->problem ? parser->problem : "syntax error";

	if (parser->context) {
		struct pos cp = mark_pos(src, parser->context_mark);
		diag_error(p, "yaml-syntax", "%s %s", problem, parser->context);
		/* "while scanning a quoted scalar": say where that scalar began */
		if (cp.line != p.line || cp.col != p.col)
			diag_note(cp, "%s that starts here", parser->context);
	} else {
		diag_error(p, "yaml-syntax", "%s", problem);
	}
}

static struct node *scalar_node(struct loader *l, const yaml_event_t *ev)
{
	struct node *n;

	if (ev->data.scalar.tag && strcmp((const char *)ev->data.scalar.tag, YAML_STR_TAG) != 0) {
		refuse_tag(l->src, ev, (const char *)ev->data.scalar.tag);
		l->ok = false;
	}
	if (ev->data.scalar.anchor) {
		diag_error(mark_pos(l->src, ev->start_mark), "yaml-alias", "YAML anchors are not supported; write each value out");
		l->ok = false;
	}
	n = new_node(NODE_SCALAR, l->src, ev);
	n->str = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->style = style_of(ev->data.scalar.style);
	n->str_tag = ev->data.scalar.tag != NULL;
	if (strlen(n->str) != n->len) {
		diag_error(node_pos_at(n, strlen(n->str)), "yaml-nul", "a NUL character in a scalar is not allowed");
		l->ok = false;
	}
	return n;
}

/* A sequence or mapping starts: open a container on the stack. */
static void open_container(struct loader *l, const yaml_event_t *ev)
{
	bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
	const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
	const yaml_char_t *tag = seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;
	struct node *c = new_node(seq ? NODE_SEQ : NODE_MAP, l->src, ev);

	if (anchor) {
		diag_error(c->pos, "yaml-alias", "YAML anchors are not supported; write each value out");
		l->ok = false;
	}
	if (tag) {
		refuse_tag(l->src, ev, (const char *)tag);
		l->ok = false;
	}
	if (l->depth == MAX_DEPTH) {
		diag_error(c->pos, "yaml-depth", "nesting deeper than %d levels", MAX_DEPTH);
		node_free(c);
		l->ok = false;
		l->done = true;
		return;
	}
	l->stack[l->depth++] = (struct frame){c, 0, NULL};
}

/* One event; the node it completes (a scalar, a closed container), or NULL. */
static struct node *on_event(struct loader *l, const yaml_event_t *ev)
{
	struct node *n = NULL;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		l->done = true;
		break;
	case YAML_DOCUMENT_START_EVENT:
		if (l->root) {
			diag_error(mark_pos(l->src, ev->start_mark), "yaml-documents",
				   "the spec is one YAML document; found a second one here");
			l->ok = false;
			l->done = true;
		}
		break;
	case YAML_ALIAS_EVENT:
		diag_error(mark_pos(l->src, ev->start_mark), "yaml-alias",
			   "YAML aliases are not supported; write the value out (the spec is read by people)");
		n = new_node(NODE_SCALAR, l->src, ev);
		n->str = xstrdup("");
		l->ok = false;
		break;
	case YAML_SCALAR_EVENT:
		n = scalar_node(l, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		open_container(l, ev);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = l->stack[--l->depth].node;
		n->end = mark_pos(l->src, ev->end_mark);
		break;
	default:
		break;
	}
	return n;
}

/* A completed node goes into the container open above it, or is the root. */
static void attach(struct loader *l, struct node *n)
{
	if (l->depth > 0)
		place(&l->stack[l->depth - 1], n);
	else if (!l->root)
		l->root = n;
	else
		node_free(n);
}

struct node *load_yaml(const struct source *src)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct loader l = {.src = src, .ok = true};
	int errors_before = diag_error_count();

	if (!plain_line_breaks(src))
		return NULL;
	if (!yaml_parser_initialize(&parser)) {
		diag_error((struct pos){src->name, 0, 0}, "yaml-syntax", "cannot start the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	while (!l.done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			parse_error(src, &parser);
			l.ok = false;
			break;
		}
		struct node *n = on_event(&l, &ev);
		yaml_event_delete(&ev);
		if (n)
			attach(&l, n);
	}
	/* On a syntax error, unwind the containers still open. */
	while (l.depth > 0) {
		struct frame *f = &l.stack[--l.depth];
		node_free(f->key);
		attach(&l, f->node);
	}
	yaml_parser_delete(&parser);
	if (!l.ok || diag_error_count() > errors_before) {
		node_free(l.root);
		return NULL;
	}
	if (!l.root)
		diag_error((struct pos){src->name, 0, 0}, "yaml-empty", "the spec is empty");
	return l.root;
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
static bool is_break(char c) { return c == '\n' || c == '\r'; }

/* Past the line break at p: "\r\n" is one break, as libyaml reads it. */
static const char *past_break(const char *p, const char *end)
{
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	return p;
}

static bool blanks_then_break(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p < end && is_break(*p);
}

/* Where the scalar itself starts. A node starts at its tag when it has one ("!!str 'x'"):
 * skip it, and the blanks, comments and line breaks after it. */
static const char *scalar_start(const struct node *n)
{
	const char *p = n->src->text + n->off, *end = n->src->text + n->src->len;

	if (p >= end || *p != '!')
		return p;
	while (p < end && !is_blank(*p) && !is_break(*p))
		p++;
	for (;;) {
		while (p < end && is_blank(*p))
			p++;
		if (p < end && *p == '#') /* a comment, to the end of its line */
			while (p < end && !is_break(*p))
				p++;
		if (p >= end || !is_break(*p))
			return p;
		p = past_break(p, end);
	}
}

/* A line break inside a flow scalar (plain or quoted), from the blanks before it (or, for an
 * escaped break, from the break after the backslash) to the next line's first character.
 * libyaml drops the blanks around it and folds it: each blank line after it becomes a "\n"
 * (mapped to that line's break); with no blank line, an unescaped break becomes one space
 * (mapped to the break itself) and an escaped one nothing.
 * Returns where value byte `want` comes from if the fold produces it; otherwise NULL, with *pp
 * past the fold and *v past the bytes it produces. */
static const char *fold(const char **pp, const char *end, bool escaped, size_t *v, size_t want)
{
	const char *p = *pp, *brk;
	size_t blank_lines = 0;

	while (p < end && is_blank(*p))
		p++;
	brk = p;
	p = past_break(p, end);
	for (;;) {
		while (p < end && is_blank(*p))
			p++;
		if (p >= end || !is_break(*p))
			break; /* the next line's first character */
		if (*v + blank_lines == want)
			return p;
		blank_lines++;
		p = past_break(p, end);
	}
	if (blank_lines == 0 && !escaped) {
		if (*v == want)
			return brk;
		blank_lines = 1; /* the space */
	}
	*v += blank_lines;
	*pp = p;
	return NULL;
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

/* Plain and quoted scalars, from p (the first character or the opening quote). Every byte an
 * escape produces maps to its backslash. Past the last value byte: the closing quote, or the
 * character after a plain scalar's last one. */
static size_t flow_offset(const struct node *n, const char *p, size_t want)
{
	const char *text = n->src->text, *end = text + n->src->len, *at;
	size_t v = 0;

	if (n->style != STYLE_PLAIN)
		p++; /* the opening quote */
	while (p < end) {
		size_t slen = 1, vlen = 1;

		if (n->style == STYLE_PLAIN && v >= n->len)
			break;
		if (n->style == STYLE_SINGLE && *p == '\'' && !(p + 1 < end && p[1] == '\''))
			break; /* the closing quote */
		if (n->style == STYLE_DOUBLE && *p == '"')
			break;
		if (is_break(*p) || (is_blank(*p) && blanks_then_break(p, end))) {
			if ((at = fold(&p, end, false, &v, want)))
				return (size_t)(at - text);
			continue;
		}
		if (n->style == STYLE_DOUBLE && *p == '\\' && p + 1 < end && is_break(p[1])) {
			p++;
			if ((at = fold(&p, end, true, &v, want)))
				return (size_t)(at - text);
			continue;
		}
		if (n->style == STYLE_DOUBLE && *p == '\\')
			vlen = escape_len(p, end, &slen);
		else if (n->style == STYLE_SINGLE && *p == '\'')
			slen = 2; /* '' is one quote */
		if (want < v + vlen)
			break;
		p += slen;
		v += vlen;
	}
	return (size_t)(p - text);
}

/* The indentation libyaml's scanner is at when it reaches the block scalar at byte `start`:
 * the column of the innermost block collection holding it, -1 at the top level. An explicit
 * indentation indicator counts from there. For a mapping value that is its key's column, but
 * the key may follow a "- " or "? " on its line, or be on an earlier line; rather than guess
 * from the text, scan it again up to the scalar, keeping the stack libyaml keeps: a level per
 * block collection, dropped at its end. (Only for block scalars with an indicator.) */
static int parent_indent(const struct source *src, size_t start)
{
	yaml_parser_t parser;
	yaml_token_t tok;
	int stack[MAX_DEPTH], depth = 0;
	bool done = false;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	while (!done && yaml_parser_scan(&parser, &tok)) {
		switch (tok.type) {
		case YAML_BLOCK_SEQUENCE_START_TOKEN:
		case YAML_BLOCK_MAPPING_START_TOKEN:
			if (depth < MAX_DEPTH) /* deeper never loads */
				stack[depth] = (int)tok.start_mark.column;
			depth++;
			break;
		case YAML_BLOCK_END_TOKEN:
			depth -= depth > 0;
			break;
		case YAML_SCALAR_TOKEN:
			done = mark_offset(src, tok.start_mark) == start;
			break;
		case YAML_STREAM_END_TOKEN:
			done = true;
			break;
		default:
			break;
		}
		yaml_token_delete(&tok);
	}
	yaml_parser_delete(&parser);
	return depth > 0 && depth <= MAX_DEPTH ? stack[depth - 1] : -1;
}

/* libyaml's indentation of a block scalar without an indicator: the most spaces any line up to
 * the first non-blank one starts with, at least 1. (libyaml also makes it at least one more
 * than the parent's column; when that is more, the scalar has no content line at all, which
 * its value tells: see block_offset.) */
static size_t auto_indent(const char *p, const char *end)
{
	size_t indent = 1;

	for (;;) {
		size_t i = 0;

		while (p + i < end && p[i] == ' ')
			i++;
		indent = i > indent ? i : indent;
		if (p + i >= end || !is_break(p[i]))
			return indent;
		p = past_break(p + i, end);
	}
}

/* Block scalars (| and >), from p (the indicator), read as libyaml reads them. A line with
 * the block's indentation and something after it is a content line, kept byte for byte;
 * a line of no more than the indentation in spaces is blank. Before each content line but
 * the first comes the previous one's line break: "\n" in literal style, and in folded style
 * too when either line starts with a blank (is more indented); otherwise it folds, to a
 * space if no blank line is in between, else to nothing. Then each blank line in between
 * adds a "\n". At the end, clip (the default) keeps the last line break, keep (+) the blank
 * lines after it too, strip (-) neither. Past the last value byte: just after where that byte
 * came from. */
static size_t block_offset(const struct node *n, const char *p, size_t want)
{
	const char *text = n->src->text, *end = text + n->src->len, *start = p;
	const char *brk = NULL;  /* the line break of the last content line */
	const char *last = NULL; /* where the last value byte came from */
	bool folded = n->style == STYLE_FOLDED, more_indented = false;
	/* A content line always adds a byte that is not a line break: without one in the value,
	 * no line is content, however indented (see auto_indent). */
	bool has_content = strspn(n->str, "\n") < n->len;
	char chomp = 0;
	size_t v = 0, indent = 0;

/* Value byte v comes from `at`. */
#define EMIT(at)                                      \
	do {                                          \
		if (v++ == want)                      \
			return (size_t)((at) - text); \
		last = (at);                          \
	} while (0)

	for (p++; p < end && (*p == '+' || *p == '-' || (*p >= '1' && *p <= '9')); p++) {
		if (*p == '+' || *p == '-')
			chomp = *p;
		else
			indent = (size_t)(*p - '0');
	}
	while (p < end && !is_break(*p)) /* the rest of the header: blanks, a comment */
		p++;
	p = past_break(p, end);
	if (indent) {
		int parent = parent_indent(n->src, (size_t)(start - text));
		indent += parent > 0 ? (size_t)parent : 0;
	} else {
		indent = auto_indent(p, end);
	}
	for (;;) {
		const char *blank = p; /* the first blank line before the next content line */
		size_t blank_lines = 0, i;
		bool content;

		for (;; blank_lines++) {
			for (i = 0; i < indent && p + i < end && p[i] == ' '; i++)
				;
			if (p + i >= end || !is_break(p[i]))
				break;
			p = past_break(p + i, end);
		}
		content = has_content && i == indent && p + i < end;
		if (brk && (content ? !folded || more_indented || is_blank(p[i]) || !blank_lines
				    : chomp != '-'))
			EMIT(brk); /* "\n", or in folded style a space */
		if (content || chomp == '+') {
			for (const char *b = blank; blank_lines > 0; blank_lines--) {
				while (b < end && *b == ' ')
					b++;
				EMIT(b);
				b = past_break(b, end);
			}
		}
		if (!content) /* the end: just after the last value byte's source */
			return (size_t)((!last ? p : is_break(*last) ? past_break(last, end) : last + 1) - text);
		p += i;
		more_indented = is_blank(*p);
		for (; p < end && !is_break(*p); p++)
			EMIT(p);
		brk = p < end ? p : NULL; /* the text may end without a line break */
		p = past_break(p, end);
	}
#undef EMIT
}

struct pos node_pos_at(const struct node *n, size_t offset)
{
	const char *start;
	size_t off;

	if (!n)
		return (struct pos){0};
	if (n->kind != NODE_SCALAR || !n->src)
		return n->pos;
	start = scalar_start(n);
	if (n->style == STYLE_LITERAL || n->style == STYLE_FOLDED)
		off = block_offset(n, start, offset);
	else
		off = flow_offset(n, start, offset);
	return diag_source_pos(n->src, off);
}

const struct node *node_get(const struct node *map, const char *key)
{
	if (!map || map->kind != NODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) /* most keys differ in their first byte */
		if (map->keys[i]->str[0] == key[0] && strcmp(map->keys[i]->str, key) == 0)
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
