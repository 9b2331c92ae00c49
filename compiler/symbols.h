/* symbols.h: what hand-written code owes the link (pvopsc --list-symbols): per arch and per
 * backend, each symbol the generated tables and code name that no generated file defines,
 * read from the models (model.h: entries' symbol and owed, backends' refs). */
#ifndef PVOPSC_SYMBOLS_H
#define PVOPSC_SYMBOLS_H

#include <stdbool.h>
#include <stdio.h>

#include "tval.h"

struct symbols;

struct symbols *symbols_new(void);
/* Take what one arch's model says is owed. */
void symbols_add(struct symbols *list, const struct tval *model);
/* Sorted by arch (in the order added), owning backend (spec order), symbol: text, one line a
 * symbol, or JSON. */
void symbols_print(const struct symbols *list, FILE *out, bool json);
void symbols_free(struct symbols *list);

#endif
