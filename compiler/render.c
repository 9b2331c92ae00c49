/* render.c: render a family's templates for one arch from its model, collect the files. */
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
	char *path; /* as read: tmpl_dir/<family>/<rel> */
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
			t->path = xstrdup(path);
			t->text = util_read_file(path, &len);
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
		free(t->path);
		free(t->text);
		free(t);
	}
	vec_free(v);
}

/* "x86_64/native/inst.h" -> "PVOPSC_X86_64_NATIVE_INST_H" */
static char *guard_of(const char *path)
{
	char *g = xasprintf("PVOPSC_%s", path);
	for (char *p = g; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
	return g;
}

struct renderer {
	const struct spec *s;
	const char *spec_name;
	struct vec templates[8]; /* by family, in families[] order */
};

struct renderer *render_open(const struct spec *s, const char *spec_name, const char *tmpl_dir)
{
	struct renderer *r = xcalloc(1, sizeof(*r));

	r->s = s;
	r->spec_name = spec_name;
	for (size_t i = 0; families[i] && i < ARRAY_SIZE(r->templates); i++) {
		/* a spec may name its own template set (a kernel's drop-in files) */
		const char *set = s->template_set ? s->template_set : families[i]->name;
		char *dir = xasprintf("%s/%s", tmpl_dir, set);
		char *shown = xasprintf("templates/%s", set);
		find_templates(dir, "", shown, &r->templates[i]);
		free(dir);
		free(shown);
	}
	return r;
}

void render_close(struct renderer *r)
{
	for (size_t i = 0; i < ARRAY_SIZE(r->templates); i++)
		free_templates(&r->templates[i]);
	free(r);
}

/* A template below this folder is rendered once per backend of the arch, into a folder named
 * after the backend, with `backend` bound to that backend's map (an entry of backends[]). */
#define PER_BACKEND "{backend}/"

/* Render t into <arch>/<rel> (rel without ".tmpl"). */
static void render_one(const struct renderer *r, const struct template *t, struct tval *root, const char *arch,
		       const char *rel, struct outset *out)
{
	char *path = xasprintf("%s/%.*s", arch, (int)(strlen(rel) - 5), rel);
	char *guard = guard_of(path);
	struct outfile *of;

	tv_set_str(root, "file", path);
	tv_set_str(root, "guard", guard);
	of = out_add(out, path);
	of->from = xstrdup(t->path);
	/* provenance names what made the file, not the spec's content: a change to one op
	 * then changes only the files that mention it */
	/* in the file's own comment syntax: a sed script takes # lines, Markdown HTML comments */
	size_t pl = strlen(path);
	bool sed = pl > 4 && strcmp(path + pl - 4, ".sed") == 0, md = pl > 3 && strcmp(path + pl - 3, ".md") == 0;
	const char *open = sed ? "# " : md ? "<!-- " : "/* ", *mid = sed ? "# " : md ? "     " : " * ";
	const char *close = sed ? "" : md ? " -->" : " */";
	if (r->s->license)
		buf_printf(&of->text, "%sSPDX-License-Identifier: %s%s\n", open, r->s->license, close);
	buf_printf(&of->text,
		   "%s" OUT_MARKER " " PVOPSC_VERSION " from %s and %s.\n"
		   "%sDo not edit: change the spec or the template, then run `make gen`.%s\n",
		   open, r->spec_name, t->name, mid, close);
	tmpl_render(t->t, root, &of->text);
	buf_trim(&of->text); /* every file is kept until all are written */
	free(path);
	free(guard);
}

void render_arch(struct renderer *r, const struct family *f, const struct spec_arch *a, struct tval *root,
		 struct outset *out)
{
	const struct vec *templates = NULL;
	const struct tval *backends = tv_get(root, "backends");

	for (size_t i = 0; families[i] && i < ARRAY_SIZE(r->templates); i++)
		if (families[i] == f)
			templates = &r->templates[i];
	out_own_dir(out, a->name);
	for (size_t i = 0; templates && i < templates->n; i++) {
		const struct template *t = templates->v[i];

		if (!t->t)
			continue;
		if (strncmp(t->rel, PER_BACKEND, strlen(PER_BACKEND)) != 0) {
			render_one(r, t, root, a->name, t->rel, out);
			continue;
		}
		for (size_t k = 0; backends && k < backends->n; k++) {
			struct tval *bm = backends->items[k];
			const struct tval *name = tv_get(bm, "name");
			char *rel = xasprintf("%s/%s", name->str, t->rel + strlen(PER_BACKEND));
			tv_set(root, "backend", tv_ref(bm));
			render_one(r, t, root, a->name, rel, out);
			free(rel);
		}
	}
}

/* Does dir hold a *.tmpl at any depth (links not followed)? */
static bool has_template(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char *path;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			found = has_template(path);
		else
			found = n > 5 && strcmp(e->d_name + n - 5, ".tmpl") == 0;
		free(path);
	}
	if (d)
		closedir(d);
	return found;
}

bool render_templates_exist(const struct spec *s, const char *tmpl_dir)
{
	struct stat st;

	if (stat(tmpl_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "pvopsc: template folder %s: %s\n", tmpl_dir,
			stat(tmpl_dir, &st) != 0 ? strerror(errno) : "not a folder");
		return false;
	}
	for (size_t i = 0; i < s->arches.n; i++) {
		const struct spec_arch *a = s->arches.v[i];
		char *dir;
		bool found;
		if (!spec_selected(s, a) || !family_find(a->family))
			continue;
		dir = xasprintf("%s/%s", tmpl_dir, s->template_set ? s->template_set : a->family);
		found = has_template(dir);
		free(dir);
		if (found)
			return true;
	}
	fprintf(stderr, "pvopsc: template folder %s holds no templates (FAMILY/*.tmpl, or the spec's set) for the arches to generate\n",
		tmpl_dir);
	return false;
}
