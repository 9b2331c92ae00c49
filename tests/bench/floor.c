/* floor.c: what any compiler of the spec has to pay, for make bench to set pvopsc beside:
 *   floor parse SPEC      read the file and run libyaml's parser over every event
 *   floor write SRC DST   write every file of SRC (read first, not timed) into DST
 * Each prints its wall time and its CPU time (user + system) in milliseconds. And the same
 * for a program, with its peak resident memory in KiB (its output goes to /dev/null):
 *   floor run CMD ARG...
 * CPU time is what other load on a shared machine does not inflate. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double cpu_of(const struct rusage *r)
{
	return (r->ru_utime.tv_sec + r->ru_stime.tv_sec) * 1e3 + (r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1e3;
}

/* this process's CPU time so far */
static double cpu_ms(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return cpu_of(&r);
}

static int run(char **argv)
{
	double t0 = now_ms();
	struct rusage r;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &r) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 1;
	printf("%.1f %.1f %ld\n", now_ms() - t0, cpu_of(&r), r.ru_maxrss);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len + 1);
	if (buf && fread(buf, 1, *len, f) != *len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int parse(const char *path)
{
	double t0 = now_ms(), c0 = cpu_ms();
	size_t len, events = 0;
	char *text = slurp(path, &len);
	yaml_parser_t p;
	yaml_event_t e;
	int done = 0;

	if (!text || !yaml_parser_initialize(&p))
		return 1;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &e))
			return 1;
		done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		events++;
	}
	yaml_parser_delete(&p);
	free(text);
	printf("%.1f %.1f\n", now_ms() - t0, cpu_ms() - c0);
	return events ? 0 : 1;
}

struct file {
	char *rel, *data;
	size_t len;
};

static void collect(const char *root, const char *rel, struct file **v, size_t *n)
{
	char *dir;
	DIR *d;
	struct dirent *e;

	if (asprintf(&dir, "%s/%s", root, rel) < 0 || !(d = opendir(dir)))
		exit(1);
	while ((e = readdir(d))) {
		char *sub, *path;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name) < 0 ||
		    asprintf(&path, "%s/%s", root, sub) < 0 || stat(path, &st) != 0)
			exit(1);
		if (S_ISDIR(st.st_mode)) {
			collect(root, sub, v, n);
			free(sub);
		} else {
			*v = realloc(*v, (*n + 1) * sizeof(**v));
			(*v)[*n].rel = sub;
			(*v)[*n].data = slurp(path, &(*v)[*n].len);
			(*n)++;
		}
		free(path);
	}
	closedir(d);
	free(dir);
}

static int write_all(const char *src, const char *dst)
{
	struct file *v = NULL;
	size_t n = 0;
	double t0, c0;

	collect(src, "", &v, &n);
	t0 = now_ms();
	c0 = cpu_ms();
	for (size_t i = 0; i < n; i++) {
		char *path, *slash;
		FILE *f;
		if (asprintf(&path, "%s/%s", dst, v[i].rel) < 0)
			return 1;
		for (slash = strchr(path + strlen(dst) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
			*slash = '\0';
			mkdir(path, 0777);
			*slash = '/';
		}
		if (!(f = fopen(path, "wb")) || fwrite(v[i].data, 1, v[i].len, f) != v[i].len || fclose(f))
			return 1;
		free(path);
	}
	printf("%.1f %.1f\n", now_ms() - t0, cpu_ms() - c0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return parse(argv[2]);
	if (argc == 4 && strcmp(argv[1], "write") == 0) {
		mkdir(argv[3], 0777);
		return write_all(argv[2], argv[3]);
	}
	if (argc >= 3 && strcmp(argv[1], "run") == 0)
		return run(argv + 2);
	fprintf(stderr, "usage: floor parse SPEC | floor write SRC DST | floor run CMD ARG...\n");
	return 2;
}
