/* load.h: the load stage, YAML text -> node tree (load.c). */
#ifndef PVOPSC_LOAD_H
#define PVOPSC_LOAD_H

#include "diag.h"
#include "node.h"

/* Parse a YAML document; NULL after reporting errors through diag. src must be registered. */
struct node *load_yaml(const struct source *src);

#endif
