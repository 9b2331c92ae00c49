/* patch.c: ia64-patch, the reference patcher for linked IA-64 images. It does at build time
 * what Linux 3.12's paravirt_patch.c does at boot, on an ELF file (read and written with
 * libelf):
 *   .paravirt_bundles  {start, end, type}: the site becomes the backend's body for the type,
 *                      then bundles of nops up to the site's end;
 *   .paravirt_insts    {start tag, end tag, type}: the tagged slot becomes the body's single
 *                      instruction (same unit), later slots up to the end tag become nops;
 *   .paravirt_branches {tag, type}: the IP-relative branch is re-aimed at the backend's entry
 *                      point for the type (displacement recomputed, range checked).
 * A backend is named by its symbol prefix: its patch list is PREFIXpatch_bundle_elems /
 * PREFIXpatch_bundle_nelems, its branch targets PREFIXbranch_target /
 * PREFIXbranch_target_nelems. Backends after the first are its fallbacks, tried in order for a
 * type the first has no body for (and a miss is a miss: the site keeps its call). */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"

#define MAX_BACKENDS 8

struct image {
	Elf *e;
	int fd;
	const char *path;
};

struct elem { /* a patch list element */
	uint64_t start, end, type;
};

struct backend {
	const char *prefix;
	struct elem *elems;
	size_t nelems;
	struct elem *targets; /* start = entry point, type */
	size_t ntargets;
};

struct counts {
	size_t sites, patched, fallback, left, refused;
};

static int verbose;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "ia64-patch: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The bytes at an address of the image, n of them inside one allocated section; NULL if not. */
static unsigned char *at(const struct image *im, uint64_t addr, uint64_t n, Elf_Data **dirty)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(im->e, scn))) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS)
			continue;
		if (addr < sh.sh_addr || addr + n > sh.sh_addr + sh.sh_size)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size < sh.sh_size)
			return NULL;
		if (dirty)
			*dirty = d;
		return (unsigned char *)d->d_buf + (addr - sh.sh_addr);
	}
	return NULL;
}

static Elf_Data *section(const struct image *im, const char *name, GElf_Shdr *out)
{
	Elf_Scn *scn = NULL;
	size_t shstr;

	if (elf_getshdrstrndx(im->e, &shstr) != 0)
		return NULL;
	while ((scn = elf_nextscn(im->e, scn))) {
		GElf_Shdr sh;
		const char *n = gelf_getshdr(scn, &sh) ? elf_strptr(im->e, shstr, sh.sh_name) : NULL;
		if (n && strcmp(n, name) == 0) {
			if (out)
				*out = sh;
			return elf_getdata(scn, NULL);
		}
	}
	return NULL;
}

static bool symbol(const struct image *im, const char *prefix, const char *name, uint64_t *value)
{
	Elf_Scn *scn = NULL;
	char want[256];

	snprintf(want, sizeof(want), "%s%s", prefix, name);
	while ((scn = elf_nextscn(im->e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *n = gelf_getsym(d, (int)i, &s) ? elf_strptr(im->e, sh.sh_link, s.st_name) : NULL;
			if (n && strcmp(n, want) == 0 && s.st_shndx != SHN_UNDEF) {
				*value = s.st_value;
				return true;
			}
		}
	}
	return false;
}

/* A table of n records of `words` 8-byte fields at the symbols PREFIXname / PREFIXname_nelems
 * (or PREFIXnameS / ..._nelems as the patch list names them). */
static struct elem *table(const struct image *im, const char *prefix, const char *name, const char *count,
			  int words, size_t *n)
{
	uint64_t addr, naddr;
	const unsigned char *p;

	*n = 0;
	if (!symbol(im, prefix, name, &addr) || !symbol(im, prefix, count, &naddr) || !(p = at(im, naddr, 8, NULL)))
		return NULL;
	*n = le64(p);
	struct elem *v = calloc(*n ? *n : 1, sizeof(*v));
	if (!v || !(p = at(im, addr, *n * 8 * (uint64_t)words, NULL)))
		die("%s: unreadable table", name);
	for (size_t i = 0; i < *n; i++, p += 8 * words) {
		v[i].start = le64(p);
		v[i].end = words == 3 ? le64(p + 8) : 0;
		v[i].type = le64(p + 8 * (words - 1));
	}
	return v;
}

static const struct elem *find(const struct elem *v, size_t n, uint64_t type)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].type == type)
			return &v[i];
	return NULL;
}

/* The element for a type in the backend chain; *owner says whose (-1: none has one). */
static const struct elem *lookup(const struct backend *bs, int nb, uint64_t type, int *owner)
{
	for (int i = 0; i < nb; i++) {
		const struct elem *e = find(bs[i].elems, bs[i].nelems, type);
		if (e) {
			*owner = i;
			return e;
		}
	}
	*owner = -1;
	return NULL;
}

static void count_owner(struct counts *c, int owner)
{
	if (owner < 0)
		c->left++;
	else if (owner > 0)
		c->fallback++, c->patched++;
	else
		c->patched++;
}

/* Copy a body over a site; an IP-relative branch leaving the body keeps its target. */
static bool copy_body(struct image *im, uint64_t site, uint64_t send, const struct elem *body)
{
	Elf_Data *d = NULL;
	uint64_t len = body->end - body->start, room = send - site;
	unsigned char *dst = at(im, site, room, &d);
	const unsigned char *src = at(im, body->start, len, NULL);

	if (!dst || !src || len > room || len % BUNDLE_BYTES || room % BUNDLE_BYTES)
		return false;
	unsigned char *copy = malloc(room);
	if (!copy)
		return false;
	memcpy(copy, src, len);
	for (uint64_t off = 0; off < len; off += BUNDLE_BYTES) {
		struct bundle b;
		bundle_get(copy + off, &b);
		for (int i = 0; i < 3; i++) {
			if (!branch_is_iprel(&b, i))
				continue;
			uint64_t target = body->start + off + (uint64_t)branch_disp(b.slot[i]);
			if (target >= body->start && target < body->end)
				continue; /* inside the body: moves with it */
			if (!branch_set_disp(&b.slot[i], (int64_t)(target - (site + off)))) {
				free(copy);
				return false;
			}
		}
		bundle_put(copy + off, &b);
	}
	for (uint64_t off = len; off < room; off += BUNDLE_BYTES)
		bundle_nops(copy + off);
	memcpy(dst, copy, room);
	free(copy);
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	return true;
}

static void patch_bundles(struct image *im, const struct backend *bs, int nb, struct counts *c)
{
	Elf_Data *d = section(im, ".paravirt_bundles", NULL);

	for (size_t off = 0; d && off + 24 <= d->d_size; off += 24) {
		const unsigned char *r = (const unsigned char *)d->d_buf + off;
		uint64_t s = le64(r), e = le64(r + 8), type = le64(r + 16);
		int owner;
		const struct elem *body = lookup(bs, nb, type, &owner);
		c->sites++;
		if (body && !copy_body(im, s, e, body)) {
			c->refused++;
			fprintf(stderr, "ia64-patch: site %#llx (type %#llx): %s's body does not fit or cannot move\n",
				(unsigned long long)s, (unsigned long long)type, bs[owner].prefix);
			continue;
		}
		count_owner(c, owner);
		if (verbose)
			printf("bundle %#llx type %#llx: %s\n", (unsigned long long)s, (unsigned long long)type,
			       owner < 0 ? "left to the call" : bs[owner].prefix);
	}
}

/* The one instruction of a single-instruction body, and its unit. */
static bool body_insn(const struct image *im, const struct elem *body, uint64_t *insn, char *unit)
{
	int found = 0;

	for (uint64_t a = body->start; a < body->end; a += BUNDLE_BYTES) {
		const unsigned char *p = at(im, a, BUNDLE_BYTES, NULL);
		struct bundle b;
		if (!p)
			return false;
		bundle_get(p, &b);
		for (int i = 0; i < 3; i++)
			if (!slot_is_nop(&b, i)) {
				*insn = b.slot[i];
				*unit = bundle_unit(b.tmpl, i);
				found++;
			}
	}
	return found == 1;
}

static bool patch_slot(struct image *im, uint64_t stag, uint64_t etag, uint64_t insn, char unit)
{
	bool first = true;

	for (uint64_t tag = stag; tag < etag; tag = (tag & 3) == 2 ? (tag & ~UINT64_C(15)) + 16 : tag + 1) {
		Elf_Data *d = NULL;
		unsigned char *p = at(im, tag & ~UINT64_C(15), BUNDLE_BYTES, &d);
		struct bundle b;
		int i = (int)(tag & 3);
		if (!p || i > 2)
			return false;
		bundle_get(p, &b);
		char u = bundle_unit(b.tmpl, i);
		if (first && u != unit)
			return false; /* the template stays: the slot must take the unit */
		if (!first && u != 'M' && u != 'I' && u != 'B')
			return false;
		b.slot[i] = first ? insn : u == 'B' ? NOP_B : NOP_MI;
		bundle_put(p, &b);
		elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
		first = false;
	}
	return !first;
}

static void patch_insts(struct image *im, const struct backend *bs, int nb, struct counts *c)
{
	Elf_Data *d = section(im, ".paravirt_insts", NULL);

	for (size_t off = 0; d && off + 24 <= d->d_size; off += 24) {
		const unsigned char *r = (const unsigned char *)d->d_buf + off;
		uint64_t s = le64(r), e = le64(r + 8), type = le64(r + 16), insn = 0;
		int owner;
		char unit = 0;
		const struct elem *body = lookup(bs, nb, type, &owner);
		c->sites++;
		if (body && !(body_insn(im, body, &insn, &unit) && patch_slot(im, s, e, insn, unit))) {
			c->refused++;
			fprintf(stderr, "ia64-patch: inst site %#llx (type %#llx): %s's body is not one instruction "
				"for that slot\n", (unsigned long long)s, (unsigned long long)type, bs[owner].prefix);
			continue;
		}
		count_owner(c, owner);
	}
}

static void patch_branches(struct image *im, const struct backend *bs, int nb, struct counts *c)
{
	Elf_Data *d = section(im, ".paravirt_branches", NULL);

	for (size_t off = 0; d && off + 16 <= d->d_size; off += 16) {
		const unsigned char *r = (const unsigned char *)d->d_buf + off;
		uint64_t tag = le64(r), type = le64(r + 8), addr = tag & ~UINT64_C(15);
		int slot = (int)(tag & 3), owner = -1;
		const struct elem *t = NULL;
		for (int i = 0; i < nb && !t; i++)
			if ((t = find(bs[i].targets, bs[i].ntargets, type)))
				owner = i;
		Elf_Data *td = NULL;
		unsigned char *p = at(im, addr, BUNDLE_BYTES, &td);
		struct bundle b;
		c->sites++;
		if (!t) {
			count_owner(c, -1);
			continue;
		}
		if (p)
			bundle_get(p, &b);
		if (!p || slot > 2 || !branch_is_iprel(&b, slot) ||
		    !branch_set_disp(&b.slot[slot], (int64_t)(t->start - addr))) {
			c->refused++;
			fprintf(stderr, "ia64-patch: branch site %#llx (type %#llx): not an IP-relative branch, or "
				"%#llx is out of its reach\n", (unsigned long long)tag, (unsigned long long)type,
				(unsigned long long)t->start);
			continue;
		}
		bundle_put(p, &b);
		elf_flagdata(td, ELF_C_SET, ELF_F_DIRTY);
		count_owner(c, owner);
	}
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in || !out)
		rc = -1;
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ia64-patch [-v] [-o OUT] IMAGE PREFIX [FALLBACK-PREFIX...]\n"
		   "Patch the paravirt sites of a linked IA-64 ELF image for the backend whose symbols\n"
		   "start with PREFIX (xen_, ia64_native_), falling back to the later prefixes.\n"
		   "  -o OUT  write the patched image to OUT (default: patch IMAGE in place)\n"
		   "  -v      one line per bundle site\n"
		   "Exit status: 0 patched, 1 a site could not be patched, 2 usage or I/O error.\n");
}

static void print_counts(const char *what, const struct counts *c)
{
	printf("%s: %zu sites, %zu patched (%zu by a fallback), %zu left, %zu refused\n", what, c->sites,
	       c->patched, c->fallback, c->left, c->refused);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "vo:h")) != -1) {
		if (opt == 'v')
			verbose = 1;
		else if (opt == 'o')
			out = optarg;
		else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (argc - optind < 2 || argc - optind - 1 > MAX_BACKENDS) {
		usage(stderr);
		return 2;
	}
	struct image im = {NULL, -1, out ? out : argv[optind]};
	if (out && copy_file(argv[optind], out) != 0)
		die("cannot copy the image to %s", out);
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("%s", elf_errmsg(-1));
	if ((im.fd = open(im.path, O_RDWR)) < 0)
		die("cannot open %s", im.path);
	if (!(im.e = elf_begin(im.fd, ELF_C_RDWR, NULL)) || elf_kind(im.e) != ELF_K_ELF)
		die("%s is not an ELF file", im.path);
	GElf_Ehdr eh;
	if (!gelf_getehdr(im.e, &eh) || eh.e_machine != EM_IA_64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
		die("%s is not a little-endian IA-64 image", im.path);
	elf_flagelf(im.e, ELF_C_SET, ELF_F_LAYOUT); /* patch in place: keep every offset */

	struct backend bs[MAX_BACKENDS];
	int nb = argc - optind - 1;
	for (int i = 0; i < nb; i++) {
		bs[i].prefix = argv[optind + 1 + i];
		bs[i].elems = table(&im, bs[i].prefix, "patch_bundle_elems", "patch_bundle_nelems", 3, &bs[i].nelems);
		bs[i].targets = table(&im, bs[i].prefix, "branch_target", "branch_target_nelems", 2, &bs[i].ntargets);
		if (!bs[i].elems)
			die("no patch list %spatch_bundle_elems in the image", bs[i].prefix);
	}

	struct counts cb = {0}, ci = {0}, cr = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	patch_bundles(&im, bs, nb, &cb);
	patch_insts(&im, bs, nb, &ci);
	patch_branches(&im, bs, nb, &cr);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (elf_update(im.e, ELF_C_WRITE) < 0)
		die("cannot write the image: %s", elf_errmsg(-1));
	elf_end(im.e);
	close(im.fd);

	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	size_t sites = cb.sites + ci.sites + cr.sites;
	print_counts("bundles", &cb);
	print_counts("insts", &ci);
	print_counts("branches", &cr);
	printf("patched %zu sites in %.0f us: %.0f sites/s\n", sites, secs * 1e6, secs > 0 ? (double)sites / secs : 0.0);
	for (int i = 0; i < nb; i++) {
		free(bs[i].elems);
		free(bs[i].targets);
	}
	return cb.refused || ci.refused || cr.refused ? 1 : 0;
}
