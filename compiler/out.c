/* out.c: write the generated tree all at once or not at all, only what changed, never through
 * a link or into anything but a regular file; compare for --check. */
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
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
		free(f->from);
		buf_free(&f->text);
		free(f);
	}
	for (size_t i = 0; i < set->dirs.n; i++)
		free(set->dirs.v[i]);
	vec_free(&set->files);
	vec_free(&set->dirs);
}

/* A path as make reads it in a rule: blanks and '#' escaped, '$' doubled. */
static void make_path(struct buf *b, const char *path)
{
	for (const char *p = path; *p; p++)
		if (*p == '$')
			buf_printf(b, "$$");
		else
			buf_printf(b, "%s%c", *p == ' ' || *p == '\t' || *p == '#' ? "\\" : "", *p);
}

int out_deps(const struct outset *set, const char *root, const char *spec, const char *depfile)
{
	struct buf b = {0};
	struct vec prereqs = {0}; /* const char *, the spec then each template once, first use first */
	FILE *f;
	int rc = 0;

	vec_push(&prereqs, (void *)spec);
	for (size_t i = 0; i < set->files.n; i++) {
		const struct outfile *of = set->files.v[i];
		size_t k = 0;
		while (of->from && k < prereqs.n && strcmp(prereqs.v[k], of->from) != 0)
			k++;
		if (of->from && k == prereqs.n)
			vec_push(&prereqs, of->from);
	}
	for (size_t i = 0; i < set->files.n; i++) {
		const struct outfile *of = set->files.v[i];
		make_path(&b, root);
		buf_printf(&b, "/");
		make_path(&b, of->path);
		buf_printf(&b, i + 1 < set->files.n ? " \\\n" : ":");
	}
	for (size_t k = 0; k < prereqs.n; k++) {
		buf_printf(&b, " \\\n ");
		make_path(&b, prereqs.v[k]);
	}
	buf_printf(&b, "\n");
	for (size_t k = 0; k < prereqs.n; k++) {
		buf_printf(&b, "\n");
		make_path(&b, prereqs.v[k]);
		buf_printf(&b, ":\n");
	}
	f = fopen(depfile, "w");
	if (!f || (fwrite(b.data, 1, b.len, f) != b.len) + (fclose(f) != 0)) {
		fprintf(stderr, "pvopsc: %s: %s\n", depfile, strerror(errno));
		rc = 2;
	}
	buf_free(&b);
	vec_free(&prereqs);
	return rc;
}

/* Every path is DIR/<arch>/<template path>: relative, and no part of it empty, "." or "..". */
static bool plain_path(const char *rel)
{
	const char *p = rel;

	if (!*p)
		return false;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!slash)
			return true;
		p = slash + 1;
	}
}

/* What went wrong with one path; the caller prints it once, with the file it was for. */
struct fail {
	char *path; /* root-relative path that failed */
	const char *why;
};

static bool failed(struct fail *f, const char *root, const char *rel, size_t n, const char *why)
{
	if (!f->path) {
		f->path = xasprintf("%s/%.*s", root, (int)n, rel);
		f->why = why ? why : strerror(errno);
	}
	return false;
}

/* Open root/<the folders of rel> without following any link below root; with `created`,
 * make the missing ones (recorded, so that a failed run can remove them again). -1 on error;
 * with `absent`, a missing folder is not an error and *absent says so. */
static int open_dir_of(int rootfd, const char *root, const char *rel, struct vec *created, bool *absent,
		       struct fail *f)
{
	int fd = dup(rootfd);

	for (const char *p = rel, *slash; fd >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
		char *name = xstrndup(p, (size_t)(slash - p));
		int sub;
		if (created && mkdirat(fd, name, 0777) == 0)
			vec_push(created, xstrndup(rel, (size_t)(slash - rel)));
		sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			struct stat st;
			bool link = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
			if (absent && errno == ENOENT)
				*absent = true;
			else
				failed(f, root, rel, (size_t)(slash - rel),
				       link ? "a symbolic link (pvopsc never follows one)" : NULL);
		}
		free(name);
		close(fd);
		fd = sub;
	}
	return fd;
}

/* The regular file dirfd/name, read whole: 1 read, 0 absent, -1 error (a link, a FIFO, a
 * device, anything but a regular file, is an error: it is never opened for reading). */
static int read_regular(int dirfd, const char *name, char **text, size_t *len, const char **why)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	struct buf b = {0};
	char chunk[65536];
	ssize_t n;

	*why = NULL;
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		*why = errno == ELOOP ? "a symbolic link (pvopsc never follows one)" : strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		close(fd);
		return -1;
	}
	buf_puts(&b, "");
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	if (n < 0)
		*why = strerror(errno);
	close(fd);
	if (n < 0) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*text = buf_steal(&b);
	return 1;
}

static bool produced(const struct outset *set, const char *rel)
{
	for (size_t i = 0; i < set->files.n; i++)
		if (strcmp(((struct outfile *)set->files.v[i])->path, rel) == 0)
			return true;
	return false;
}

/* The provenance comment is at the top; only a regular file can carry it. */
static bool is_generated(int dirfd, const char *name)
{
	char head[256] = {0};
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return false;
	n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof(head) - 1) : -1;
	close(fd);
	if (n <= 0)
		return false;
	head[n] = '\0';
	return strstr(head, OUT_MARKER) != NULL;
}

/* Temporary files are ".NAME.pvopsc-XXXXXX" beside their target. */
#define TMP_TAG ".pvopsc-"

static bool is_temp_name(const char *name)
{
	const char *tag = strstr(name, TMP_TAG);
	return name[0] == '.' && tag && strlen(tag) == strlen(TMP_TAG) + 6;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files under the folder dir (open as dirfd, relative path rel) that a previous run
 * generated and this one does not, and temporary files a killed run left (sorted). Links are
 * never followed, into folders or files. */
static void stale_in(const struct outset *set, int dirfd, const char *rel, struct vec *out)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	struct vec names = {0};

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			vec_push(&names, xstrdup(e->d_name));
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), by_name);
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		char *sub = xasprintf("%s/%s", rel, name);
		struct stat st;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			/* gone meanwhile */
		} else if (S_ISDIR(st.st_mode) && name[0] != '.') {
			int subfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (subfd >= 0) {
				stale_in(set, subfd, sub, out);
				close(subfd);
			}
		} else if (S_ISREG(st.st_mode) && is_temp_name(name)) {
			vec_push(out, xstrdup(sub));
		} else if (S_ISREG(st.st_mode) && name[0] != '.' && !produced(set, sub) && is_generated(dirfd, name)) {
			vec_push(out, xstrdup(sub));
		}
		free(sub);
		free(names.v[i]);
	}
	vec_free(&names);
}

static void all_stale(const struct outset *set, int rootfd, struct vec *out)
{
	for (size_t i = 0; i < set->dirs.n; i++) {
		const char *dir = set->dirs.v[i];
		char *probe = xasprintf("%s/", dir);
		bool absent = false;
		struct fail f = {0};
		int fd = plain_path(dir) ? open_dir_of(rootfd, "", probe, NULL, &absent, &f) : -1;
		if (fd >= 0) {
			stale_in(set, fd, dir, out);
			close(fd);
		}
		free(f.path);
		free(probe);
	}
}

static const char *base_of(const char *rel)
{
	const char *slash = strrchr(rel, '/');
	return slash ? slash + 1 : rel;
}

/* A fresh temporary file beside `name` in dirfd: O_EXCL and no link followed, so a planted
 * name is never written through. */
static int make_temp(int dirfd, const char *name, char **tmp_name)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		char suffix[7];
		int fd;
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -1;
		for (int i = 0; i < 6; i++)
			suffix[i] = digits[r[i] % (sizeof(digits) - 1)];
		suffix[6] = '\0';
		*tmp_name = xasprintf(".%s" TMP_TAG "%s", name, suffix);
		fd = openat(dirfd, *tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
		free(*tmp_name);
		*tmp_name = NULL;
	}
	errno = EEXIST;
	return -1;
}

static bool write_all(int fd, const struct buf *text)
{
	for (size_t done = 0; done < text->len;) {
		ssize_t n = write(fd, text->data + done, text->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errno = n < 0 ? errno : ENOSPC;
			return false;
		}
		done += (size_t)n;
	}
	return true;
}

/* One file of the run: where it goes, and its temporary file once written. */
struct pending {
	const struct outfile *f;
	int dirfd;
	char *tmp; /* NULL: unchanged, nothing to rename */
};

/* Open the output root, making it and its missing parents when `made` is given (recorded,
 * outermost first, so that a failed run can remove them again). */
static int open_root(const char *root, struct vec *made, struct fail *f)
{
	int fd;

	if (made) {
		char *p = xstrdup(root);
		for (char *s = p + 1;; s++) {
			if (*s != '/' && *s)
				continue;
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) == 0)
				vec_push(made, xstrdup(p));
			*s = c;
			if (!c)
				break;
		}
		free(p);
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && !f->path) {
		f->path = xstrdup(root);
		f->why = strerror(errno);
	}
	return fd;
}

static void print_fail(const struct fail *f)
{
	fprintf(stderr, "pvopsc: cannot write %s: %s\n", f->path, f->why);
}

/* Step 1 for one file: its new text into a temporary file beside it, unless it is unchanged;
 * false after recording the failure. */
static bool stage(struct pending *p, const struct outfile *of, int rootfd, const char *root, struct vec *created,
		  struct fail *f)
{
	const char *name = base_of(of->path), *why;
	char *old = NULL;
	size_t len = 0;
	int fd, r;
	bool ok;

	p->f = of;
	if (!plain_path(of->path))
		return failed(f, root, of->path, strlen(of->path), "not a path inside the output folder");
	p->dirfd = open_dir_of(rootfd, root, of->path, created, NULL, f);
	if (p->dirfd < 0)
		return false;
	r = read_regular(p->dirfd, name, &old, &len, &why);
	if (r < 0)
		return failed(f, root, of->path, strlen(of->path), why);
	if (r == 1 && len == of->text.len && memcmp(old, of->text.data, len) == 0) {
		free(old);
		return true;
	}
	free(old);
	fd = make_temp(p->dirfd, name, &p->tmp);
	if (fd < 0)
		return failed(f, root, of->path, strlen(of->path), NULL);
	ok = write_all(fd, &of->text);
	if (!ok)
		failed(f, root, of->path, strlen(of->path), NULL);
	if (close(fd) != 0 && ok)
		ok = failed(f, root, of->path, strlen(of->path), NULL);
	return ok;
}

/* Remove the files of the output folder the set no longer has; how many went. */
static size_t remove_stale(const struct outset *set, int rootfd, const char *root, FILE *log)
{
	struct vec stale = {0};
	size_t removed = 0;

	all_stale(set, rootfd, &stale);
	for (size_t i = 0; i < stale.n; i++) {
		const char *rel = stale.v[i];
		struct fail g = {0};
		int dirfd = open_dir_of(rootfd, root, rel, NULL, NULL, &g);
		if (dirfd >= 0 && unlinkat(dirfd, base_of(rel), 0) == 0) {
			if (log && !is_temp_name(base_of(rel)))
				fprintf(log, "pvopsc: removed %s/%s (no longer generated)\n", root, rel);
			if (log && is_temp_name(base_of(rel)))
				fprintf(log, "pvopsc: removed %s/%s (left by an interrupted run)\n", root, rel);
			removed++;
		}
		if (dirfd >= 0)
			close(dirfd);
		free(g.path);
		free(stale.v[i]);
	}
	vec_free(&stale);
	return removed;
}

/* Free the folders a run recorded (relative to rootfd, or paths when it is -1), removing them
 * (last made first) when the run failed. */
static void undo_folders(struct vec *dirs, int rootfd, bool failed_run)
{
	for (size_t i = dirs->n; i-- > 0;) {
		if (failed_run && rootfd >= 0)
			unlinkat(rootfd, dirs->v[i], AT_REMOVEDIR);
		else if (failed_run)
			rmdir(dirs->v[i]);
		free(dirs->v[i]);
	}
	vec_free(dirs);
}

int out_write(const struct outset *set, const char *root, FILE *log)
{
	struct pending *p = xcalloc(set->files.n + 1, sizeof(*p));
	struct vec created = {0}, made = {0};
	struct fail f = {0};
	size_t changed = 0, removed = 0, i;
	bool ok = true;
	int rootfd = open_root(root, &made, &f);

	for (i = 0; i < set->files.n; i++)
		p[i].dirfd = -1;
	ok = rootfd >= 0;
	/* 1: every changed file into a temporary file beside it; nothing is replaced yet */
	for (i = 0; ok && i < set->files.n; i++)
		ok = stage(&p[i], set->files.v[i], rootfd, root, &created, &f);
	/* 2: all written; only now replace, then remove what is stale */
	for (i = 0; ok && i < set->files.n; i++) {
		if (!p[i].tmp)
			continue;
		if (renameat(p[i].dirfd, p[i].tmp, p[i].dirfd, base_of(p[i].f->path)) != 0) {
			ok = failed(&f, root, p[i].f->path, strlen(p[i].f->path), NULL);
			break;
		}
		free(p[i].tmp);
		p[i].tmp = NULL;
		changed++;
	}
	if (ok)
		removed = remove_stale(set, rootfd, root, log);
	/* on failure: every temporary file and every folder this run made go again */
	for (i = 0; i < set->files.n; i++) {
		if (p[i].tmp)
			unlinkat(p[i].dirfd, p[i].tmp, 0);
		free(p[i].tmp);
		if (p[i].dirfd >= 0)
			close(p[i].dirfd);
	}
	free(p);
	undo_folders(&created, rootfd, !ok);
	if (rootfd >= 0)
		close(rootfd);
	undo_folders(&made, -1, !ok);
	if (!ok) {
		print_fail(&f);
		free(f.path);
		return 2;
	}
	if (log)
		fprintf(log, "pvopsc: %zu files, %zu written, %zu unchanged%s\n", set->files.n, changed,
			set->files.n - changed, removed ? ", stale ones removed" : "");
	return 0;
}

/* Compare one file with what the folder has, printing the diff: 1 if they differ, 0 if not,
 * -1 after reporting a file that cannot be read. */
static int check_one(const struct outfile *of, int rootfd, const char *root, struct fail *f, FILE *diff)
{
	char *path = xasprintf("%s/%s", root, of->path), *old = NULL;
	const char *why = NULL;
	size_t len = 0;
	bool absent = rootfd < 0;
	int dirfd = -1, r = 0, differ = 0;

	if (!plain_path(of->path))
		why = "not a path inside the output folder";
	else if (!absent && (dirfd = open_dir_of(rootfd, root, of->path, NULL, &absent, f)) < 0 && !absent)
		why = f->why;
	if (!why && dirfd >= 0)
		r = read_regular(dirfd, base_of(of->path), &old, &len, &why);
	if (dirfd >= 0)
		close(dirfd);
	if (why || r < 0) {
		fprintf(stderr, "pvopsc: cannot read %s: %s\n", f->path ? f->path : path, why);
		free(path);
		return -1;
	}
	if (r == 0 || len != of->text.len || memcmp(old, of->text.data, len) != 0) {
		char *la = r ? xasprintf("a/%s", path) : xstrdup("/dev/null");
		char *lb = xasprintf("b/%s", path);
		out_diff(old ? old : "", r ? len : 0, of->text.data, of->text.len, la, lb, diff);
		free(la);
		free(lb);
		differ = 1;
	}
	free(old);
	free(path);
	return differ;
}

/* The removal of every stale file, as a diff; how many there are. */
static size_t diff_stale(const struct outset *set, int rootfd, const char *root, struct fail *f, FILE *diff)
{
	struct vec stale = {0};
	size_t n;

	all_stale(set, rootfd, &stale);
	for (size_t i = 0; i < stale.n; i++) {
		const char *rel = stale.v[i];
		char *path = xasprintf("%s/%s", root, rel), *old = NULL;
		const char *why;
		size_t len = 0;
		int dirfd = open_dir_of(rootfd, root, rel, NULL, NULL, f);
		char *la = xasprintf("a/%s", path);
		if (dirfd < 0 || read_regular(dirfd, base_of(rel), &old, &len, &why) != 1)
			len = 0;
		out_diff(old ? old : "", len, "", 0, la, "/dev/null", diff);
		if (dirfd >= 0)
			close(dirfd);
		free(la);
		free(old);
		free(path);
		free(stale.v[i]);
	}
	n = stale.n;
	vec_free(&stale);
	return n;
}

int out_check(const struct outset *set, const char *root, FILE *diff)
{
	int differ = 0;
	struct fail f = {0};
	int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0 && errno != ENOENT) {
		fprintf(stderr, "pvopsc: cannot read %s: %s\n", root, strerror(errno));
		return 2;
	}
	for (size_t i = 0; i < set->files.n; i++) {
		int r = check_one(set->files.v[i], rootfd, root, &f, diff);
		if (r < 0) {
			free(f.path);
			if (rootfd >= 0)
				close(rootfd);
			return 2;
		}
		differ |= r;
	}
	if (rootfd >= 0 && diff_stale(set, rootfd, root, &f, diff) > 0)
		differ = 1;
	free(f.path);
	if (rootfd >= 0)
		close(rootfd);
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
