/* regs.h: register lists embedded in the spec: "rax", "r8-r11", "p6-p15", "ar.ccv", "b6".
 * A scalar may hold one register or a range; a range expands to each register of it. */
#ifndef PVOPSC_REGS_H
#define PVOPSC_REGS_H

#include <stdbool.h>

#include "node.h"

struct reg {
	char *name;     /* "r9" */
	struct pos pos; /* where the register (or its range) is written */
};

struct reglist {
	struct reg *r;
	int n;
};

/* Parse a YAML sequence of register scalars (or one scalar) into list (appending). Syntax
 * errors report check `register-syntax` at the character. Whether a name is a register of an
 * arch is the arch code's business, not this parser's. */
bool regs_parse(const struct node *n, struct reglist *list);
/* The same, silently: for a list whose errors an earlier parse reported. */
bool regs_parse_quiet(const struct node *n, struct reglist *list);
/* Index of the first register listed twice (*first: its first place), or -1. */
int reglist_duplicate(const struct reglist *l, int *first);
bool reglist_has(const struct reglist *l, const char *name);
void reglist_free(struct reglist *l);

#endif
