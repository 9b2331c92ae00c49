/* tmpl.h: the logic-less template language (lexer tmpl.l, grammar tmpl.y).
 *
 *   {{name}}            substitute a string (looked up in the innermost scope outwards;
 *                       `a.b` walks into maps); unknown name = error
 *   {{#each list}}...{{/each}}   repeat for every item; a map item opens a scope, a string
 *                       item is {{.}}; inside: {{@index}} (0-based), {{@first}}, {{@last}}
 *   {{#sep}}...{{/sep}}  inside each: emitted between items, not after the last
 *   {{#if name}}...{{else}}...{{/if}}   true: bool true, non-empty string or list
 *   {{#unless name}}...{{/unless}}
 *   {{! comment }}
 * A line holding only block tags or a comment produces no output line (standalone rule).
 * A map is true as well. {{@first}} and {{@last}} substitute as true or false. A lone { or }
 * is text; {{ always starts a tag, which must end with }} on the same line. */
#ifndef PVOPSC_TMPL_H
#define PVOPSC_TMPL_H

#include <stdbool.h>

#include "diag.h"
#include "tval.h"

struct tmpl;

/* Parse a template; NULL after reporting errors through diag (positions in `src`). */
struct tmpl *tmpl_parse(const struct source *src);
/* Render into out; false after reporting errors (unknown variable, wrong kind...). */
bool tmpl_render(const struct tmpl *t, const struct tval *data, struct buf *out);
void tmpl_free(struct tmpl *t);

#endif
