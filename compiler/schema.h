/* schema.h: the spec's key schema, as data. Validation reports unknown keys (with a
 * suggestion), missing required keys, wrong node kinds and duplicate names. */
#ifndef PVOPSC_SCHEMA_H
#define PVOPSC_SCHEMA_H

#include <stdbool.h>

#include "lexeme.h"
#include "node.h"

enum shape_kind {
	SH_ANY,    /* anything */
	SH_SCALAR, /* a string */
	SH_INT,    /* an integer scalar (decimal or 0x hex) */
	SH_BOOL,   /* true / false */
	SH_LIST,   /* a sequence of `item` */
	SH_MAP,    /* a mapping with the keys in `keys` */
	SH_DICT,   /* a mapping from any name (an arch, a constant) to `item` */
	SH_NAMES   /* a scalar or a sequence of scalars */
};

struct shape;

struct key {
	const char *name;
	const struct shape *shape;
	bool required;
	const char *doc; /* one line, for the README's key reference */
};

struct shape {
	enum shape_kind kind;
	const char *what;         /* "op", "arch": for messages */
	const struct key *keys;   /* SH_MAP: NULL-name terminated */
	const struct shape *item; /* SH_LIST, SH_DICT */
	const char *unique_key;   /* SH_LIST of maps: this key's value must be unique */
	const struct shape *alt;  /* a mapping is also accepted, validated as this shape */
	enum lexeme lex;          /* SH_SCALAR: the text's rule (it is pasted into generated code) */
	enum lexeme key_lex;      /* SH_DICT: the rule of its keys */
	long long min, max;       /* SH_INT: the range of the value as written (check integer-range) */
	bool registers;           /* its values are register lists (check duplicate-register) */
};

/* Shapes a family's keys may use. */
extern const struct shape schema_string, schema_names, schema_boolean, schema_anything, schema_ident,
	schema_doc_text, schema_ident_prefix, schema_per_key_string;
extern const struct shape schema_registers; /* a list of names that are registers */

/* The keys a family adds to the core's mappings (struct family's `keys`): NULL-name terminated
 * lists, or NULL. */
struct schema_family_keys {
	const struct key *spec, *arch, *table, *op, *backend, *impl, *macro, *macro_param;
};

/* Does a key of that name hold registers (its shape's `registers`), in any mapping? */
bool schema_register_key(const char *name);

/* Validate the whole tree; false after reporting every error. */
bool schema_validate(const struct node *root);
/* Print the key reference (for the README) to out. */
void schema_dump(FILE *out);
/* Print the schema as a JSON Schema (draft 2020-12), for editors and other tools. */
void schema_json(FILE *out);

/* {sig: void (int a, int b)}: the flow mapping's comma cut the signature, leaving an unknown
 * key ("int b)", or key itself when not NULL); schema_validate reports it as that one mistake,
 * so the spec stage does not parse the cut signature. */
bool schema_cut_signature(const struct node *map, const char *key);
bool schema_scalar_int(const struct node *n, long long *v);
bool schema_scalar_bool(const struct node *n, bool *v);

#endif
