/* render.h: the render stage: every templates/<family>/ file, once per arch of that family,
 * into an output set (nothing is written here). */
#ifndef PVOPSC_RENDER_H
#define PVOPSC_RENDER_H

#include "out.h"
#include "spec.h"

#define PVOPSC_VERSION "0.1.0"

/* arches: NULL for all, else a NULL-terminated list of arch names. spec_name is the name the
 * provenance comment gives the spec (no absolute path). False after reporting errors. */
bool render_all(const struct spec *s, const char *spec_name, const char *tmpl_dir,
		const char *const *arches, struct outset *out);

/* The template folder exists and holds templates for a family of the arches to render;
 * else false after saying why on stderr (an I/O error: nothing may be touched). */
bool render_templates_exist(const struct spec *s, const char *tmpl_dir, const char *const *arches);

#endif
