/* render.c: model each arch, render its family's templates, collect the files. */
#include "render.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "family.h"
#include "tmpl.h"

struct template {
	char *rel;  /* "native/inst.h.tmpl", relative to templates/<family>/ */
	char *name; /* "templates/ia64/native/inst.h.tmpl" as diagnostics and provenance say it */
	char *text;
	struct tmpl *t;
};

static int by_rel(const void *a, const void *b)
{
	return strcmp((*(struct template *const *)a)->rel, (*(struct template *const *)b)->rel);
}

/* Every *.tmpl below dir (recursively), read and parsed; sorted for a stable order. */
static bool find_templates(const char *root, const char *sub, const char *shown, struct vec *out)
{
	char *dir = sub[0] ? xasprintf("%s/%s", root, sub) : xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ok = true;

	if (!d) {
		free(dir);
		return errno == ENOENT; /* a family without templates generates nothing */
	}
	while ((e = readdir(d)) && ok) {
		char *rel, *path;
		struct stat st;
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		rel = sub[0] ? xasprintf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
		path = xasprintf("%s/%s", root, rel);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			ok = find_templates(root, rel, shown, out);
		} else if (n > 5 && strcmp(e->d_name + n - 5, ".tmpl") == 0) {
			struct template *t = xcalloc(1, sizeof(*t));
			size_t len;
			t->rel = rel;
			rel = NULL;
			t->name = xasprintf("%s/%s", shown, t->rel);
			t->text = read_file(path, &len);
			if (!t->text) {
				diag_error((struct pos){t->name, 0, 0}, "io", "cannot read: %s", strerror(errno));
				len = 0;
				t->text = xstrdup("");
			}
			t->t = tmpl_parse(diag_source(t->name, t->text, len));
			vec_push(out, t);
		}
		free(rel);
		free(path);
	}
	closedir(d);
	free(dir);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), by_rel);
	return ok;
}

static void free_templates(struct vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		struct template *t = v->v[i];
		tmpl_free(t->t);
		free(t->rel);
		free(t->name);
		free(t->text);
		free(t);
	}
	vec_free(v);
}

static bool wanted(const char *arch, const char *const *arches)
{
	if (!arches)
		return true;
	for (; *arches; arches++)
		if (strcmp(*arches, arch) == 0)
			return true;
	return false;
}

/* "x86_64/native/inst.h" -> "PVOPSC_X86_64_NATIVE_INST_H" */
static char *guard_of(const char *path)
{
	char *g = xasprintf("PVOPSC_%s", path);
	for (char *p = g; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	return g;
}

/* A template below this folder is rendered once per backend of the arch, into a folder named
 * after the backend, with `backend` bound to that backend's map (an entry of backends[]). */
#define PER_BACKEND "{backend}/"

/* Render t into <arch>/<rel> (rel without ".tmpl"). */
static void render_one(const struct spec *s, const struct template *t, struct tval *root, const char *arch,
		       const char *rel, const char *spec_name, struct outset *out)
{
	char *path = xasprintf("%s/%.*s", arch, (int)(strlen(rel) - 5), rel);
	char *guard = guard_of(path);
	struct outfile *of;

	tv_set_str(root, "file", path);
	tv_set_str(root, "guard", guard);
	of = out_add(out, path);
	/* provenance names what made the file, not the spec's content: a change to one op
	 * then changes only the files that mention it */
	if (s->license)
		buf_printf(&of->text, "/* SPDX-License-Identifier: %s */\n", s->license);
	buf_printf(&of->text,
		   "/* " OUT_MARKER " " PVOPSC_VERSION " from %s and %s.\n"
		   " * Do not edit: change the spec or the template, then run `make gen`. */\n",
		   spec_name, t->name);
	tmpl_render(t->t, root, &of->text);
	free(path);
	free(guard);
}

static void render_arch(const struct spec *s, const struct spec_arch *a, const struct family *f,
			const struct vec *templates, const char *spec_name, struct outset *out)
{
	struct tval *root = f->model(s, a);
	const struct tval *backends = tv_get(root, "backends");

	out_own_dir(out, a->name);
	for (size_t i = 0; i < templates->n; i++) {
		const struct template *t = templates->v[i];

		if (!t->t)
			continue;
		if (strncmp(t->rel, PER_BACKEND, strlen(PER_BACKEND)) != 0) {
			render_one(s, t, root, a->name, t->rel, spec_name, out);
			continue;
		}
		for (size_t k = 0; backends && k < backends->n; k++) {
			struct tval *bm = backends->items[k];
			const struct tval *name = tv_get(bm, "name");
			char *rel = xasprintf("%s/%s", name->str, t->rel + strlen(PER_BACKEND));
			tv_set(root, "backend", tv_ref(bm));
			render_one(s, t, root, a->name, rel, spec_name, out);
			free(rel);
		}
	}
	tv_free(root);
}

bool render_all(const struct spec *s, const char *spec_name, const char *tmpl_dir,
		const char *const *arches, struct outset *out)
{
	int before = diag_error_count();

	for (const struct family *const *f = families; *f; f++) {
		struct vec templates = {0};
		/* a spec may name its own template set (a kernel's drop-in files) */
		const char *set = s->template_set ? s->template_set : (*f)->name;
		char *dir = xasprintf("%s/%s", tmpl_dir, set);
		char *shown = xasprintf("templates/%s", set);

		find_templates(dir, "", shown, &templates);
		for (size_t i = 0; i < s->arches.n; i++) {
			const struct spec_arch *a = s->arches.v[i];
			if (strcmp(a->family, (*f)->name) == 0 && wanted(a->name, arches))
				render_arch(s, a, *f, &templates, spec_name, out);
		}
		free_templates(&templates);
		free(dir);
		free(shown);
	}
	return diag_error_count() == before;
}
