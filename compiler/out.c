/* out.c: write generated files atomically and only when changed; compare for --check. */
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile *out_add(struct outset *set, const char *path)
{
	struct outfile *f = xcalloc(1, sizeof(*f));

	f->path = xstrdup(path);
	vec_push(&set->files, f);
	return f;
}

void out_own_dir(struct outset *set, const char *dir)
{
	for (size_t i = 0; i < set->dirs.n; i++)
		if (strcmp(set->dirs.v[i], dir) == 0)
			return;
	vec_push(&set->dirs, xstrdup(dir));
}

void out_free(struct outset *set)
{
	for (size_t i = 0; i < set->files.n; i++) {
		struct outfile *f = set->files.v[i];
		free(f->path);
		buf_free(&f->text);
		free(f);
	}
	for (size_t i = 0; i < set->dirs.n; i++)
		free(set->dirs.v[i]);
	vec_free(&set->files);
	vec_free(&set->dirs);
}

static int mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

static bool same_as_file(const char *path, const struct buf *text)
{
	size_t len;
	char *old = read_file(path, &len);
	bool same = old && len == text->len && memcmp(old, text->data, len) == 0;

	free(old);
	return same;
}

static bool produced(const struct outset *set, const char *rel)
{
	for (size_t i = 0; i < set->files.n; i++)
		if (strcmp(((struct outfile *)set->files.v[i])->path, rel) == 0)
			return true;
	return false;
}

static bool is_generated(const char *path)
{
	char head[256] = {0};
	FILE *f = fopen(path, "rb");

	if (!f)
		return false;
	if (!fread(head, 1, sizeof(head) - 1, f))
		head[0] = '\0';
	fclose(f);
	return strstr(head, OUT_MARKER) != NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files under root/dir that a previous run generated and this one does not (sorted). */
static void stale_files(const struct outset *set, const char *root, const char *dir, struct vec *out)
{
	char *full = xasprintf("%s/%s", root, dir);
	DIR *d = opendir(full);
	struct dirent *e;
	struct vec names = {0};

	if (d) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				vec_push(&names, xstrdup(e->d_name));
		closedir(d);
	}
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), by_name);
	for (size_t i = 0; i < names.n; i++) {
		char *rel = xasprintf("%s/%s", dir, (char *)names.v[i]);
		char *path = xasprintf("%s/%s", root, rel);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			stale_files(set, root, rel, out);
		else if (!produced(set, rel) && is_generated(path))
			vec_push(out, xstrdup(rel));
		free(rel);
		free(path);
		free(names.v[i]);
	}
	vec_free(&names);
	free(full);
}

static void all_stale(const struct outset *set, const char *root, struct vec *out)
{
	for (size_t i = 0; i < set->dirs.n; i++)
		stale_files(set, root, set->dirs.v[i], out);
}

int out_write(const struct outset *set, const char *root, FILE *log)
{
	int changed = 0, removed = 0;
	struct vec stale = {0};

	for (size_t i = 0; i < set->files.n; i++) {
		const struct outfile *f = set->files.v[i];
		char *path = xasprintf("%s/%s", root, f->path);
		char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
		FILE *fp;
		int ok;

		if (same_as_file(path, &f->text)) {
			free(path);
			free(tmp);
			continue;
		}
		ok = mkdirs(path) == 0 && (fp = fopen(tmp, "wb")) != NULL;
		if (ok) {
			ok = fwrite(f->text.data, 1, f->text.len, fp) == f->text.len;
			ok = (fclose(fp) == 0) && ok;
			ok = ok && rename(tmp, path) == 0;
			if (!ok)
				unlink(tmp);
		}
		if (!ok) {
			fprintf(stderr, "pvopsc: cannot write %s: %s\n", path, strerror(errno));
			free(path);
			free(tmp);
			return 2;
		}
		changed++;
		free(path);
		free(tmp);
	}
	all_stale(set, root, &stale);
	for (size_t i = 0; i < stale.n; i++) {
		char *path = xasprintf("%s/%s", root, (char *)stale.v[i]);
		if (unlink(path) == 0) {
			if (log)
				fprintf(log, "pvopsc: removed %s (no longer generated)\n", path);
			removed++;
		}
		free(path);
		free(stale.v[i]);
	}
	vec_free(&stale);
	if (log)
		fprintf(log, "pvopsc: %zu files, %d written, %zu unchanged%s\n", set->files.n, changed,
		set->files.n - (size_t)changed, removed ? ", stale ones removed" : "");
	return 0;
}

int out_check(const struct outset *set, const char *root, FILE *diff)
{
	int differ = 0;
	struct vec stale = {0};

	for (size_t i = 0; i < set->files.n; i++) {
		const struct outfile *f = set->files.v[i];
		char *path = xasprintf("%s/%s", root, f->path);
		size_t len = 0;
		char *old = read_file(path, &len);

		if (!old || len != f->text.len || memcmp(old, f->text.data, len) != 0) {
			char *la = old ? xasprintf("a/%s", path) : xstrdup("/dev/null");
			char *lb = xasprintf("b/%s", path);
			out_diff(old ? old : "", old ? len : 0, f->text.data, f->text.len, la, lb, diff);
			free(la);
			free(lb);
			differ = 1;
		}
		free(old);
		free(path);
	}
	all_stale(set, root, &stale);
	for (size_t i = 0; i < stale.n; i++) {
		char *path = xasprintf("%s/%s", root, (char *)stale.v[i]);
		size_t len = 0;
		char *old = read_file(path, &len);
		char *la = xasprintf("a/%s", path);
		out_diff(old ? old : "", len, "", 0, la, "/dev/null", diff);
		free(la);
		free(old);
		free(path);
		free(stale.v[i]);
		differ = 1;
	}
	vec_free(&stale);
	return differ;
}

/* --- unified diff --- */

struct lines {
	const char **p;
	size_t *len;
	size_t n;
};

static void split_lines(const char *s, size_t len, struct lines *l)
{
	size_t cap = 16;

	l->n = 0;
	l->p = xmalloc(cap * sizeof(*l->p));
	l->len = xmalloc(cap * sizeof(*l->len));
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : len;
		if (l->n == cap) {
			cap *= 2;
			l->p = xrealloc(l->p, cap * sizeof(*l->p));
			l->len = xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->p[l->n] = s + i;
		l->len[l->n++] = end - i;
		i = end;
	}
}

static bool line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

enum { SAME, DEL, ADD };

/* Edit script of a vs b: common prefix and suffix, then an LCS of the middle when it is small
 * enough for the quadratic table, else the middle as one replacement (still a valid diff). */
static size_t edit_script(const struct lines *a, const struct lines *b, char **ops_out)
{
	size_t pre = 0, suf = 0, na, nb, n = 0;
	char *ops;

	while (pre < a->n && pre < b->n && line_eq(a, pre, b, pre))
		pre++;
	while (suf < a->n - pre && suf < b->n - pre && line_eq(a, a->n - 1 - suf, b, b->n - 1 - suf))
		suf++;
	na = a->n - pre - suf;
	nb = b->n - pre - suf;
	ops = xmalloc(a->n + b->n + 1);
	for (size_t i = 0; i < pre; i++)
		ops[n++] = SAME;
	if (na && nb && (na + 1) * (nb + 1) <= 16u * 1024 * 1024) {
		unsigned *t = xcalloc((na + 1) * (nb + 1), sizeof(*t));
#define T(i, j) t[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				T(i, j) = line_eq(a, pre + i, b, pre + j) ? T(i + 1, j + 1) + 1
					  : T(i + 1, j) > T(i, j + 1)    ? T(i + 1, j)
									  : T(i, j + 1);
		size_t i = 0, j = 0;
		while (i < na || j < nb) {
			if (i < na && j < nb && line_eq(a, pre + i, b, pre + j)) {
				ops[n++] = SAME, i++, j++;
			} else if (j < nb && (i == na || T(i, j + 1) > T(i + 1, j))) {
				ops[n++] = ADD, j++;
			} else {
				ops[n++] = DEL, i++;
			}
		}
#undef T
		free(t);
	} else {
		for (size_t i = 0; i < na; i++)
			ops[n++] = DEL;
		for (size_t j = 0; j < nb; j++)
			ops[n++] = ADD;
	}
	for (size_t i = 0; i < suf; i++)
		ops[n++] = SAME;
	*ops_out = ops;
	return n;
}

static void put_line(FILE *out, char mark, const char *p, size_t len)
{
	fputc(mark, out);
	fwrite(p, 1, len, out);
	if (!len || p[len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

void out_diff(const char *a, size_t alen, const char *b, size_t blen, const char *la, const char *lb,
	      FILE *out)
{
	struct lines A, B;
	char *ops;
	size_t n, k = 0;
	const size_t ctx = 3;

	split_lines(a, alen, &A);
	split_lines(b, blen, &B);
	n = edit_script(&A, &B, &ops);
	fprintf(out, "--- %s\n+++ %s\n", la, lb);
	while (k < n) {
		size_t start, end, ai = 0, bi = 0, an = 0, bn = 0, last_change;
		while (k < n && ops[k] == SAME)
			k++;
		if (k == n)
			break;
		/* A hunk: from ctx lines before this change to ctx lines after the last change that
		 * is within 2*ctx of the previous one. */
		start = k > ctx ? k - ctx : 0;
		last_change = k;
		for (end = k; end < n; end++) {
			if (ops[end] != SAME)
				last_change = end;
			else if (end - last_change > 2 * ctx)
				break;
		}
		end = last_change + ctx + 1 < n ? last_change + ctx + 1 : n;
		for (size_t i = 0; i < start; i++) {
			ai += ops[i] != ADD;
			bi += ops[i] != DEL;
		}
		for (size_t i = start; i < end; i++) {
			an += ops[i] != ADD;
			bn += ops[i] != DEL;
		}
		fprintf(out, "@@ -%zu,%zu +%zu,%zu @@\n", an ? ai + 1 : ai, an, bn ? bi + 1 : bi, bn);
		for (size_t i = start; i < end; i++) {
			if (ops[i] == SAME)
				put_line(out, ' ', A.p[ai], A.len[ai]), ai++, bi++;
			else if (ops[i] == DEL)
				put_line(out, '-', A.p[ai], A.len[ai]), ai++;
			else
				put_line(out, '+', B.p[bi], B.len[bi]), bi++;
		}
		k = end;
	}
	free(ops);
	free(A.p);
	free(A.len);
	free(B.p);
	free(B.len);
}
