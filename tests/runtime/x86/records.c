/* The reference patcher on crafted record arrays (check records): overlapping sites, sites
 * outside the text it is given, a span with an unmapped hole, pv_restore's exactness, and what
 * it says when neither the sequence nor a call fits a site. Host code: it maps its own "text". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "patch.h"
#include "records.h"

static int fails;

static void check(int pass, const char *arch, const char *what)
{
	printf("%s - %s records: %s\n", pass ? "ok" : "not ok", arch, what);
	fails += !pass;
}

/* What /proc/self/maps says of the page holding addr: 'w' writable, 'r' not, '?' unmapped. */
static char page_state(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char perms[8], st = '?';

	while (f && fscanf(f, "%lx-%lx %7s%*[^\n]", &lo, &hi, perms) == 3)
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi)
			st = perms[1] == 'w' ? 'w' : 'r';
	if (f)
		fclose(f);
	return st;
}

/* The first patch type with an inline sequence of at least `min` bytes in backend be. */
static int type_with_insn(const struct paravirt_backend *be, unsigned min)
{
	for (unsigned i = 0; i < be->ninsns; i++)
		if (be->insns[i].len >= min && be->insns[i].type < PARAVIRT_PATCH_COUNT &&
		    paravirt_ops[be->insns[i].type].kind != PV_KIND_CALL)
			return be->insns[i].type;
	return -1;
}

static struct paravirt_patch_site site(unsigned char *at, int type, unsigned len)
{
	return (struct paravirt_patch_site){ .instr = at, .instrtype = (unsigned char)type, .len = (unsigned char)len,
					     .clobbers = 0xffff };
}

int run_records(const char *arch)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *text = mmap(NULL, 3 * page, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char copy[3 * 4096], save[512];
	const struct paravirt_backend *be = &native_backend;
	int type = type_with_insn(be, 2);
	struct paravirt_patch_site r[2];
	struct pv_apply a;
	int rc;

	if (text == MAP_FAILED || page != 4096 || type < 0) {
		check(0, arch, "setup: a 3-page text and a native sequence of 2 bytes or more");
		return 1;
	}
	mprotect(text, 3 * page, PROT_READ | PROT_WRITE);
	for (long i = 0; i < 3 * page; i++)
		text[i] = (unsigned char)(0xc3 ^ i);
	mprotect(text, 3 * page, PROT_READ | PROT_EXEC);
	memcpy(copy, text, sizeof(copy));

	/* [0,10) and [4,14) overlap: refused, nothing written */
	r[0] = site(text + 100, type, 10);
	r[1] = site(text + 104, type, 10);
	a = (struct pv_apply){ .text = text, .text_end = text + 2 * page, .save = save };
	errno = 0;
	rc = pv_apply(be, r, r + 2, &a);
	check(rc == -1 && errno == EINVAL && !memcmp(copy, text, sizeof(copy)),
	      arch, "overlapping sites [0,10) and [4,14): refused (EINVAL), the text unchanged");
	check(pv_restore(r, r + 2, save) == -1 && !memcmp(copy, text, sizeof(copy)),
	      arch, "pv_restore refuses overlapping sites too");

	/* a 255-byte site near the end of the text page: it would reach into the next page */
	mprotect(text + 2 * page, page, PROT_READ | PROT_WRITE); /* the "data" after the text */
	r[0] = site(text + 2 * page - 20, type, 255);
	a = (struct pv_apply){ .text = text, .text_end = text + 2 * page };
	rc = pv_apply(be, r, r + 1, &a);
	check(rc == -1 && errno == EINVAL && !memcmp(copy, text, sizeof(copy)),
	      arch, "a 255-byte site running past the text's end: refused, nothing written");
	check(page_state(text + 2 * page) == 'w' && page_state(text + page) == 'r',
	      arch, "the data page after the text stays writable, the text read-execute");
	r[0] = site(text - 8, type, 16);
	check(pv_apply(be, r, r + 1, &a) == -1 && errno == EINVAL, arch, "a site starting before the text: refused");

	/* sites in range, patched and restored exactly */
	r[0] = site(text + 200, type, 10);
	r[1] = site(text + 210, type, 6);
	a = (struct pv_apply){ .text = text, .text_end = text + 2 * page, .save = save };
	rc = pv_apply(be, r, r + 2, &a);
	check(rc == 0 && memcmp(copy, text, sizeof(copy)) != 0 && page_state(text) == 'r',
	      arch, "two adjacent sites: patched, the text read-execute again");
	check(pv_restore(r, r + 2, save) == 0 && !memcmp(copy, text, sizeof(copy)) && page_state(text) == 'r',
	      arch, "pv_restore gives back every byte, the text read-execute again");
	/* unsorted but disjoint: accepted */
	r[0] = site(text + 300, type, 8);
	r[1] = site(text + 100, type, 8);
	check(pv_apply(be, r, r + 2, &a) == 0 && pv_restore(r, r + 2, save) == 0 && !memcmp(copy, text, sizeof(copy)),
	      arch, "disjoint sites out of address order: patched and restored exactly");
	r[1] = site(text + 296, type, 8);
	check(pv_apply(be, r, r + 2, &a) == -1 && errno == EINVAL, arch, "overlapping sites out of address order: refused");
	/* a site of no bytes between two overlapping ones hides nothing (found by fuzz_patch) */
	{
		struct paravirt_patch_site z[3] = { site(text + 400, type, 48), site(text + 400, type, 0),
						    site(text + 400, type, 96) };
		check(pv_apply(be, z, z + 3, &a) == -1 && errno == EINVAL && !memcmp(copy, text, sizeof(copy)),
		      arch, "overlapping sites with an empty one between them: refused, nothing written");
	}

	/* a hole in the span: mprotect fails part-way; nothing may stay writable */
	munmap(text + page, page);
	r[0] = site(text + 100, type, 8);
	r[1] = site(text + 2 * page + 100, type, 8);
	mprotect(text + 2 * page, page, PROT_READ | PROT_EXEC);
	a = (struct pv_apply){ .text = text, .text_end = text + 3 * page };
	rc = pv_apply(be, r, r + 2, &a);
	check(rc == -1 && page_state(text) == 'r' && page_state(text + 2 * page) == 'r',
	      arch, "an unmapped page between the sites: an error, and no page left writable");

	/* a 1-byte site for a sequence of 2 or more bytes: neither it nor a call fits */
	{
		struct pv_patcher p;
		unsigned char buf[4] = { 0 };
		struct pv_result res;
		pv_patcher_init(&p, be);
		res = pv_patch_site(&p, (unsigned)type, 0xffff, buf, (unsigned long)buf, 1);
		check(res.how == PV_KEEP && res.why && strstr(res.why, "sequence does not fit"),
		      arch, "a 1-byte site for a longer sequence says the sequence does not fit (not only that it is shorter than a call)");
	}
	munmap(text, page);
	munmap(text + 2 * page, page);
	return fails;
}
