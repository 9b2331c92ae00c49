/* render.h: the render stage: every templates/<family>/ file, once per arch of that family,
 * into an output set (nothing is written here). */
#ifndef PVOPSC_RENDER_H
#define PVOPSC_RENDER_H

#include "out.h"
#include "spec.h"

#define PVOPSC_VERSION "0.1.0"

struct family;
struct tval;

/* Every family's templates, read and parsed (their errors reported); spec_name is the name the
 * provenance comment gives the spec (no absolute path). */
struct renderer *render_open(const struct spec *s, const char *spec_name, const char *tmpl_dir);
/* Render family f's templates for arch a from its model into out. */
void render_arch(struct renderer *r, const struct family *f, const struct spec_arch *a, struct tval *model,
		 struct outset *out);
void render_close(struct renderer *r);

/* The template folder exists and holds templates for a family of the arches to render;
 * else false after saying why on stderr (an I/O error: nothing may be touched). */
bool render_templates_exist(const struct spec *s, const char *tmpl_dir);

#endif
