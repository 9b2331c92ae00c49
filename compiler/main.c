/* main.c: the command line; runs the stages load -> schema -> spec -> analyze -> check -> model
 * -> render -> output, by name, in compile() and main(). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "diag.h"
#include "diff.h"
#include "explain.h"
#include "family.h"
#include "out.h"
#include "render.h"
#include "schema.h"
#include "spec.h"
#include "symbols.h"

enum { EXIT_SPEC = 1, EXIT_USAGE = 2 };

static const char usage[] =
	"usage: pvopsc [options] SPEC\n"
	"       pvopsc --list-symbols [--format=text|json] [--arch LIST] SPEC\n"
	"       pvopsc diff [--format=text|json] OLD NEW   (see pvopsc diff --help)\n"
	"Compile a paravirt-ops specification into headers, call wrappers and patch tables.\n"
	"\n"
	"  -o DIR            output root (default: ROOT/generated); files go to DIR/<arch>/...\n"
	"  -d FILE           also write a make dependency file: every generated file depends\n"
	"                    on SPEC and on each template used (as gcc -MD -MP does)\n"
	"  -t, --templates DIR  template root (default: ROOT/templates, else the installed ones)\n"
	"      --check       render in memory and compare with DIR: print a unified diff and\n"
	"                    exit 1 if anything differs; writes nothing\n"
	"      --arch LIST   only these arches (comma-separated, e.g. x86_64,i386)\n"
	"      --list-symbols  print what hand-written code owes the link and write nothing:\n"
	"                    every symbol the generated tables and code name that no generated\n"
	"                    file defines, one a line: arch, the backend that owes it, symbol,\n"
	"                    the ops it serves, (the backends whose tables name it); sorted by\n"
	"                    arch, backend (both in spec order) and symbol; the tables as the\n"
	"                    family's own templates make them, which a spec's `templates` set\n"
	"                    may not render (a note says so, unless -q)\n"
	"      --format=FORMAT  --list-symbols' output: text (default) or json\n"
	"  -Werror           treat warnings as errors\n"
	"  -Wno-CHECK, -WCHECK, -Werror=CHECK\n"
	"                    turn a warning check off, keep it a warning, make it an error\n"
	"      --diagnostics-format=FORMAT  text (default), json (gcc's) or sarif (2.1.0)\n"
	"      --max-errors=N  print at most N errors (all are still counted)\n"
	"      --list-checks print every named check and the rule it enforces\n"
	"      --explain CHECK  print CHECK's rule, a spec that breaks it, what pvopsc says\n"
	"                    of that spec, and the spec mended\n"
	"      --schema      print the reference of every spec key\n"
	"      --json-schema print the spec's schema as JSON Schema (spec/pvops.schema.json)\n"
	"  -q, --quiet       no summary line (nor --list-symbols' note)\n"
	"  -h, --help        this text\n"
	"      --version     the version\n"
	"\n"
	"Exit status: 0 success (with --check: up to date), 1 errors in the spec or templates\n"
	"(with --check: differences), 2 usage or I/O error. Nothing is written when there is an\n"
	"error. Diagnostics: FILE:LINE:COL: error: MESSAGE [check-name].\n"
	"ROOT is the folder above the spec's folder (for spec/pvops.yaml: the folder holding spec/);\n"
	"generated files name the spec by its path from ROOT, wherever pvopsc runs.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pvopsc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pvopsc --help'.\n");
	return EXIT_USAGE;
}

/* The project root of a spec: the folder above the spec's folder (spec/pvops.yaml -> .). The
 * -o and -t defaults are folders of it, and provenance names the spec by its path from it, so
 * that neither depends on the working directory or on how the spec's path was spelt. */
static char *root_of(const char *spec)
{
	char *real = realpath(spec, NULL), *slash;

	if (!real)
		return NULL;
	slash = strrchr(real, '/');
	*slash = '\0';
	slash = strrchr(real, '/');
	if (slash)
		*(slash == real ? slash + 1 : slash) = '\0';
	return real;
}

/* The templates: ROOT/templates in a pvopsc tree; elsewhere (a kernel tree) the installed
 * ones, PREFIX/share/pvopsc/templates beside PREFIX/bin/pvopsc, found from the binary. */
static char *default_templates(const char *root)
{
	char *dir = xasprintf("%s/templates", root ? root : "."), *exe, *slash;
	struct stat st;

	if ((stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) || !(exe = realpath("/proc/self/exe", NULL)))
		return dir;
	if ((slash = strrchr(exe, '/')))
		*slash = '\0';
	char *installed = xasprintf("%s/../share/pvopsc/templates", exe);
	free(exe);
	if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(dir);
		return installed;
	}
	free(installed);
	return dir;
}

/* "spec/pvops.yaml": the spec's last two path components, its path from root_of(). */
static char *spec_name_of(const char *spec)
{
	char *real = realpath(spec, NULL), *p, *name;
	int slashes = 0;

	if (!real)
		return xstrdup(spec);
	p = real + strlen(real);
	while (p > real && slashes < 2)
		if (*--p == '/')
			slashes++;
	name = xstrdup(*p == '/' ? p + 1 : p);
	free(real);
	return name;
}

/* Print the diagnostics; after `errors` errors, say that nothing was written. */
static void report(int errors)
{
	diag_flush(stderr);
	if (errors && diag_is_text())
		fprintf(stderr, "pvopsc: %d error%s; nothing written\n", errors, errors == 1 ? "" : "s");
}

/* The model and render stages, arch by arch (family by family, as templates/ is laid out),
 * for a clean spec: a model of a broken one would only add noise. Only the arches --arch
 * selects were analysed. With a symbol list, the models go there instead of to templates. */
static void generate(const struct spec *s, const struct analysis *an, const char *spec_name, const char *tmpl_dir,
		     struct outset *out, struct symbols *list)
{
	struct renderer *r = list ? NULL : render_open(s, spec_name, tmpl_dir);

	for (const struct family *const *f = families; *f; f++)
		for (size_t i = 0; i < an->n; i++) {
			const struct analyzed *x = &an->v[i];
			struct tval *model;
			if (x->f != *f)
				continue;
			model = x->f->model(s, x->a, x->view); /* model */
			if (list)
				symbols_add(list, model);
			else
				render_arch(r, x->f, x->a, model, out); /* render */
			tv_free_all(model);
		}
	if (r)
		render_close(r);
}

/* What compile() met besides the spec's own errors. */
enum { COMPILED, NO_SUCH_ARCH, NO_TEMPLATES };

/* load -> schema -> spec -> analyze -> check -> model -> render; the output stage is the
 * caller's. NULL when the spec could not be read or loaded (reported). */
static struct spec *compile(const char *spec_path, const char *spec_name, const char *tmpl_dir,
			    const char *const *arches, struct outset *out, struct symbols *list, int *status)
{
	struct spec *s = spec_read(spec_path); /* load */
	struct analysis an = {0};

	*status = COMPILED;
	if (!s)
		return NULL;
	schema_validate(s->root); /* schema */
	spec_type(s);             /* spec */
	if (arches) /* --arch narrows checks and output */
		s->selected = 0;
	for (const char *const *a = arches; a && *a; a++) {
		if (!spec_arch(s, *a)) {
			usage_error("--arch: the spec has no arch '%s'", *a);
			*status = NO_SUCH_ARCH;
			return s;
		}
		s->selected |= (archset)1 << spec_arch(s, *a)->index;
	}
	family_analyze(s, &an); /* analyze */
	check_spec(s, &an);     /* check */
	if (diag_error_count() == 0 && !list && !render_templates_exist(s, tmpl_dir))
		*status = NO_TEMPLATES;
	else if (diag_error_count() == 0)
		generate(s, &an, spec_name, tmpl_dir, out, list);
	family_analysis_free(&an);
	return s;
}

/* "a,b,c" -> NULL-terminated list (in place); NULL if any item is empty. */
static const char **split_list(char *s)
{
	size_t n = 1;
	const char **v;

	for (char *p = s; *p; p++)
		n += *p == ',';
	v = xcalloc(n + 1, sizeof(*v));
	n = 0;
	for (char *p = s;; p++) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p) {
			free(v);
			return NULL;
		}
		v[n++] = p;
		if (!comma)
			return v;
		p = comma;
	}
}

/* A decimal count 0..INT_MAX, written as digits only; -1 otherwise. */
static int count_of(const char *s)
{
	long long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
		if (n > INT_MAX)
			return -1;
	}
	return (int)n;
}

/* -W<check>, -Wno-<check>, -Werror=<check>: 0, or a usage error's exit status. */
static int warning_option(const char *arg)
{
	const char *name = arg + 2, *near = NULL;
	enum diag_level level = DIAG_WARN;
	const struct check *c;

	if (strncmp(name, "no-", 3) == 0)
		name += 3, level = DIAG_OFF;
	else if (strncmp(name, "error=", 6) == 0)
		name += 6, level = DIAG_ERROR;
	if (!(c = check_find(name, &near))) {
		fprintf(stderr, "pvopsc: %s: no check is named '%s'%s%s%s\nTry 'pvopsc --list-checks'.\n", arg, name,
			near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		return EXIT_USAGE;
	}
	if (level != DIAG_ERROR && !check_is_warning(c)) {
		fprintf(stderr, "pvopsc: %s: '%s' finds errors, which cannot be turned into warnings or off\n", arg, name);
		return EXIT_USAGE;
	}
	diag_set_level(name, level);
	return 0;
}

/* -W options are one dash and a word, as in gcc: take them before getopt sees "-W" (-Werror
 * becomes --Werror); the others are dropped from argv. Non-zero: the exit status of a bad one. */
static int take_warning_options(int *argc, char **argv)
{
	int rc;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "-Werror") == 0)
			argv[i] = "--Werror";
		else if (strncmp(argv[i], "-W", 2) == 0 && (rc = warning_option(argv[i])) != 0)
			return rc;
	}
	for (int i = 1, k = 1; i <= *argc; i++) /* the NULL at argv[argc] too */
		if (!argv[i] || strncmp(argv[i], "-W", 2) != 0 || strcmp(argv[i], "-Werror") == 0)
			argv[k++] = argv[i];
		else
			(*argc)--;
	return 0;
}

struct options {
	char *tmpl_dir, *outdir; /* -t, -o (malloc'ed) */
	const char *arch_arg;    /* --arch */
	const char *depfile;     /* -d */
	bool check, quiet;
	bool list_symbols, json; /* --list-symbols, --format=json */
	const char *format;      /* --format, to check against the mode */
};

/* --diagnostics-format: false for a format diag has not. */
static bool diag_format_option(const char *name)
{
	if (strcmp(name, "text") == 0)
		diag_set_format(DIAG_TEXT);
	else if (strcmp(name, "json") == 0)
		diag_set_format(DIAG_JSON);
	else if (strcmp(name, "sarif") == 0)
		diag_set_format(DIAG_SARIF);
	else
		return false;
	return true;
}

/* After the options: one SPEC, no empty names, and no option with no use in the mode; -1 to go
 * on, else the exit status. */
static int options_agree(int argc, const struct options *o)
{
	if (optind != argc - 1)
		return usage_error("%s", optind == argc ? "no SPEC given" : "one SPEC at a time");
	if ((o->outdir && !o->outdir[0]) || (o->tmpl_dir && !o->tmpl_dir[0]))
		return usage_error("%s wants a folder, not an empty name", o->outdir && !o->outdir[0] ? "-o" : "-t");
	if (o->depfile && !o->depfile[0])
		return usage_error("%s wants a file, not an empty name", "-d");
	if (o->format && !o->list_symbols)
		return usage_error("%s is the format of --list-symbols", "--format");
	if (o->list_symbols && (o->check || o->depfile || o->outdir))
		return usage_error("--list-symbols writes nothing: %s has no use with it",
				   o->check ? "--check" : o->depfile ? "-d" : "-o");
	return -1;
}

/* Options into o; -1 to go on, else the exit status (--help, --version, an error...). */
static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_CHECK = 256, OPT_ARCH, OPT_MAX, OPT_LIST, OPT_EXPLAIN, OPT_SCHEMA, OPT_JSON_SCHEMA, OPT_DIAG_FORMAT, OPT_VERSION,
	       OPT_WERROR, OPT_LIST_SYMBOLS, OPT_FORMAT };
	static const struct option longopts[] = {
		{"check", no_argument, NULL, OPT_CHECK},
		{"arch", required_argument, NULL, OPT_ARCH},
		{"max-errors", required_argument, NULL, OPT_MAX},
		{"list-checks", no_argument, NULL, OPT_LIST},
		{"explain", required_argument, NULL, OPT_EXPLAIN},
		{"schema", no_argument, NULL, OPT_SCHEMA},
		{"json-schema", no_argument, NULL, OPT_JSON_SCHEMA},
		{"diagnostics-format", required_argument, NULL, OPT_DIAG_FORMAT},
		{"list-symbols", no_argument, NULL, OPT_LIST_SYMBOLS},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"templates", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{"Werror", no_argument, NULL, OPT_WERROR},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:d:t:qh", longopts, NULL)) != -1) {
		int n;
		switch (c) {
		case 'o': free(o->outdir); o->outdir = xstrdup(optarg); break;
		case 'd': o->depfile = optarg; break;
		case 't': free(o->tmpl_dir); o->tmpl_dir = xstrdup(optarg); break;
		case 'q': o->quiet = true; break;
		case 'h': fputs(usage, stdout); return 0;
		case OPT_VERSION: puts("pvopsc " PVOPSC_VERSION); return 0;
		case OPT_CHECK: o->check = true; break;
		case OPT_ARCH: o->arch_arg = optarg; break;
		case OPT_WERROR: diag_set_werror(true); break;
		case OPT_LIST_SYMBOLS: o->list_symbols = true; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
				return usage_error("--format is text or json, not '%s'", optarg);
			o->format = optarg;
			o->json = strcmp(optarg, "json") == 0;
			break;
		case OPT_LIST: check_list(stdout); return 0;
		case OPT_EXPLAIN: return explain(optarg, stdout);
		case OPT_SCHEMA: schema_dump(stdout); return 0;
		case OPT_JSON_SCHEMA: schema_json(stdout); return 0;
		case OPT_DIAG_FORMAT:
			if (!diag_format_option(optarg))
				return usage_error("--diagnostics-format is text, json or sarif, not '%s'", optarg);
			break;
		case OPT_MAX:
			n = count_of(optarg);
			if (n < 0)
				return usage_error("--max-errors wants a number from 0 to 2147483647, not '%s'", optarg);
			diag_set_max_errors(n);
			break;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return options_agree(argc, o);
}

/* After compile(): report, then write the output or compare it (--check); the exit status. */
static int finish(const struct spec *s, int status, const char *spec_path, const struct outset *out,
		  const struct symbols *list, const struct options *o)
{
	int rc;

	if (!s) {
		/* An unreadable spec is an I/O error (2); one that does not parse is a spec error. */
		int io = diag_find_source(spec_path) == NULL;
		report(io ? 0 : diag_distinct_errors());
		return io ? EXIT_USAGE : EXIT_SPEC;
	}
	if (status == NO_SUCH_ARCH)
		return EXIT_USAGE;
	if (status == NO_TEMPLATES) {
		report(0);
		return EXIT_USAGE;
	}
	if (diag_error_count() > 0) {
		report(diag_distinct_errors());
		return EXIT_SPEC;
	}
	report(0); /* warnings */
	if (list) {
		if (s->template_set && !o->quiet) /* its templates may render none of the tables */
			fprintf(stderr,
				"pvopsc: note: %s renders the template set '%s'; the listing is what the tables "
				"would name as templates/<family>/ renders them\n",
				spec_path, s->template_set);
		symbols_print(list, stdout, o->json);
		return fflush(stdout) == 0 ? 0 : EXIT_USAGE;
	}
	if (!o->check)
		rc = out_write(out, o->outdir, o->quiet ? NULL : stderr);
	else if ((rc = out_check(out, o->outdir, stdout)))
		fprintf(stderr, "pvopsc: %s is stale; run `make gen` and review the diff\n", o->outdir);
	else if (!o->quiet)
		fprintf(stderr, "pvopsc: %s is up to date (%zu files)\n", o->outdir, out->files.n);
	if (rc == 0 && o->depfile)
		rc = out_deps(out, o->outdir, spec_path, o->depfile);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	const char *spec_path;
	char *arch_copy = NULL, *root, *spec_name;
	const char **arches = NULL;
	int status, rc;
	struct spec *s;
	struct outset out = {0};
	struct symbols *list;

	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return diff_main(argc - 1, argv + 1);
	if ((rc = take_warning_options(&argc, argv)) != 0)
		return rc;
	if ((rc = parse_options(argc, argv, &o)) >= 0) {
		free(o.tmpl_dir);
		free(o.outdir);
		return rc;
	}
	spec_path = argv[optind];
	if (o.arch_arg) {
		arch_copy = xstrdup(o.arch_arg);
		arches = split_list(arch_copy);
		if (!arches) {
			free(o.tmpl_dir);
			free(o.outdir);
			free(arch_copy);
			return usage_error("--arch wants a comma-separated list of arches, not '%s'", o.arch_arg);
		}
	}
	root = root_of(spec_path);
	if (!o.tmpl_dir)
		o.tmpl_dir = default_templates(root);
	if (!o.outdir)
		o.outdir = xasprintf("%s/generated", root);
	spec_name = spec_name_of(spec_path);
	list = o.list_symbols ? symbols_new() : NULL;
	s = compile(spec_path, spec_name, o.tmpl_dir, arches, &out, list, &status);
	rc = finish(s, status, spec_path, &out, list, &o);
	symbols_free(list);
	out_free(&out);
	spec_free(s);
	free(arches);
	free(arch_copy);
	free(o.tmpl_dir);
	free(o.outdir);
	free(root);
	free(spec_name);
	return rc;
}
