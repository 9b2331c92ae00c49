/* main.c: the command line; runs the pipeline load -> check -> model -> render -> output. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "diag.h"
#include "diff.h"
#include "out.h"
#include "render.h"
#include "schema.h"
#include "spec.h"

enum { EXIT_SPEC = 1, EXIT_USAGE = 2 };

static const char usage[] =
	"usage: pvopsc [options] SPEC\n"
	"       pvopsc diff [--format=text|json] OLD NEW   (see pvopsc diff --help)\n"
	"Compile a paravirt-ops specification into headers, call wrappers and patch tables.\n"
	"\n"
	"  -o DIR            output root (default: generated); files go to DIR/<arch>/...\n"
	"  -t, --templates DIR  template root (default: templates/ beside the spec's folder)\n"
	"      --check       render in memory and compare with DIR: print a unified diff and\n"
	"                    exit 1 if anything differs; writes nothing\n"
	"      --arch LIST   only these arches (comma-separated, e.g. x86_64,i386)\n"
	"  -Werror           treat warnings as errors\n"
	"      --max-errors=N  print at most N errors (all are still counted)\n"
	"      --list-checks print every named check and the rule it enforces\n"
	"      --schema      print the reference of every spec key\n"
	"  -q, --quiet       no summary line\n"
	"  -h, --help        this text\n"
	"      --version     the version\n"
	"\n"
	"Exit status: 0 success (with --check: up to date), 1 errors in the spec or templates\n"
	"(with --check: differences), 2 usage or I/O error. Nothing is written when there is an\n"
	"error. Diagnostics: FILE:LINE:COL: error: MESSAGE [check-name].\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "pvopsc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'pvopsc --help'.\n");
	return EXIT_USAGE;
}

/* The spec's name in provenance comments: never an absolute path (output must not depend on
 * where the tree is checked out), so an absolute path is cut to its last two components. */
static const char *spec_name_of(const char *path)
{
	const char *p = path + strlen(path);
	int slashes = 0;

	if (path[0] != '/')
		return path;
	while (p > path && slashes < 2)
		if (*--p == '/')
			slashes++;
	return p + 1;
}

static char *default_templates(const char *spec)
{
	const char *slash = strrchr(spec, '/');
	struct stat st;
	char *dir = slash ? xasprintf("%.*s/../templates", (int)(slash - spec), spec) : xstrdup("../templates");

	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return dir;
	free(dir);
	return xstrdup("templates");
}

/* Print the diagnostics; after `errors` errors, say that nothing was written. */
static void report(int errors)
{
	diag_flush(stderr);
	if (errors)
		fprintf(stderr, "pvopsc: %d error%s; nothing written\n", errors, errors == 1 ? "" : "s");
}

/* "a,b,c" -> NULL-terminated list (in place). */
static const char **split_list(char *s)
{
	size_t n = 1;
	const char **v;

	for (char *p = s; *p; p++)
		n += *p == ',';
	v = xcalloc(n + 1, sizeof(*v));
	n = 0;
	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","))
		v[n++] = tok;
	return v;
}

int main(int argc, char **argv)
{
	enum { OPT_CHECK = 256, OPT_ARCH, OPT_MAX, OPT_LIST, OPT_SCHEMA, OPT_VERSION, OPT_WERROR };
	static const struct option longopts[] = {
		{"check", no_argument, NULL, OPT_CHECK},
		{"arch", required_argument, NULL, OPT_ARCH},
		{"max-errors", required_argument, NULL, OPT_MAX},
		{"list-checks", no_argument, NULL, OPT_LIST},
		{"schema", no_argument, NULL, OPT_SCHEMA},
		{"templates", required_argument, NULL, 't'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{"Werror", no_argument, NULL, OPT_WERROR},
		{NULL, 0, NULL, 0},
	};
	const char *outdir = "generated", *spec_path;
	char *tmpl_dir = NULL, *arch_arg = NULL;
	const char **arches = NULL;
	bool check = false, quiet = false;
	struct spec *s;
	struct outset out = {0};
	int c, rc = 0;

	if (argc > 1 && strcmp(argv[1], "diff") == 0)
		return diff_main(argc - 1, argv + 1);

	opterr = 0;
	/* -Werror is one dash and a word, as in gcc: map it before getopt sees "-W". */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-Werror") == 0)
			argv[i] = "--Werror";
	while ((c = getopt_long(argc, argv, ":o:t:qh", longopts, NULL)) != -1) {
		char *end;
		long n;
		switch (c) {
		case 'o': outdir = optarg; break;
		case 't': free(tmpl_dir); tmpl_dir = xstrdup(optarg); break;
		case 'q': quiet = true; break;
		case 'h': fputs(usage, stdout); return 0;
		case OPT_VERSION: puts("pvopsc " PVOPSC_VERSION); return 0;
		case OPT_CHECK: check = true; break;
		case OPT_ARCH: arch_arg = optarg; break;
		case OPT_WERROR: diag_set_werror(true); break;
		case OPT_LIST: check_list(stdout); return 0;
		case OPT_SCHEMA: schema_dump(stdout); return 0;
		case OPT_MAX:
			n = strtol(optarg, &end, 10);
			if (*end || n < 0)
				return usage_error("--max-errors wants a number, not '%s'", optarg);
			diag_set_max_errors((int)n);
			break;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind == argc ? "no SPEC given" : "one SPEC at a time");
	spec_path = argv[optind];

	s = spec_load(spec_path);
	if (!s) {
		/* An unreadable spec is an I/O error (2); one that does not parse is a spec error. */
		int io = diag_find_source(spec_path) == NULL;
		report(io ? 0 : diag_error_count());
		free(tmpl_dir);
		return io ? EXIT_USAGE : EXIT_SPEC;
	}
	if (arch_arg) {
		arches = split_list(arch_arg);
		s->selected = 0;
		for (const char **a = arches; *a; a++) {
			if (!spec_arch(s, *a)) {
				rc = usage_error("--arch: the spec has no arch '%s'", *a);
				goto done;
			}
			s->selected |= 1u << spec_arch(s, *a)->index;
		}
	}
	if (!tmpl_dir)
		tmpl_dir = default_templates(spec_path);
	check_spec(s);
	/* Only a clean spec is modelled: a model of a broken one would only add noise. */
	if (diag_error_count() == 0)
		render_all(s, spec_name_of(spec_path), tmpl_dir, arches, &out);
	if (diag_error_count() > 0) {
		report(diag_error_count());
		rc = EXIT_SPEC;
		goto done;
	}
	report(0); /* warnings */
	if (check) {
		rc = out_check(&out, outdir, stdout);
		if (rc)
			fprintf(stderr, "pvopsc: %s is stale; run `make gen` and review the diff\n", outdir);
		else if (!quiet)
			fprintf(stderr, "pvopsc: %s is up to date (%zu files)\n", outdir, out.files.n);
	} else {
		rc = out_write(&out, outdir, quiet ? NULL : stderr);
	}
done:
	out_free(&out);
	spec_free(s);
	free(arches);
	free(tmpl_dir);
	return rc;
}
