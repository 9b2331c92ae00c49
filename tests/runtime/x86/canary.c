/* The C side of the canary harness (see canary.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canary.h"

/* Registers by hardware number; the clobber-mask bit that lets a site change each (0: none
 * may); the argument registers of the pv convention. */
#ifdef __x86_64__
#define NREGS 16
#define SP 4
static const char *const names[NREGS] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					  "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
static const unsigned clbr[NREGS] = { CLBR_RAX, CLBR_RCX, CLBR_RDX, 0, 0, 0, CLBR_RSI, CLBR_RDI,
				      CLBR_R8, CLBR_R9, CLBR_R10, CLBR_R11 };
static const unsigned args = 1 << 7 | 1 << 6 | 1 << 2 | 1 << 1;	/* rdi rsi rdx rcx */
#else
#define NREGS 8
#define SP 4
static const char *const names[NREGS] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
static const unsigned clbr[NREGS] = { CLBR_EAX, CLBR_ECX, CLBR_EDX, 0, 0, 0, 0, CLBR_EDI };
static const unsigned args = 1 << 0 | 1 << 2 | 1 << 1;	/* eax edx ecx */
#endif

/* Shared with canary.S: the compiled code's registers at the site, what the site is given
 * (and, after it, what the code resumes with), what the site left; the harness's return
 * address and where it jumps next. */
unsigned long cx_gcc[NREGS], cx_in[NREGS], cx_out[NREGS], cx_ret, cx_jump;
void cx_enter(void);
void cx_exit(void);
void cx_on_enter(void);
void cx_on_exit(void);

struct cx_site *cx_sites;
unsigned cx_nsites;
static struct paravirt_patch_site *first, *last;
static struct cx_site *cur;	/* the site running */
static unsigned long runs;

static void put_call(unsigned char *at, void (*fn)(void))
{
	int32_t rel = (int32_t)((intptr_t)fn - (intptr_t)(at + 5));

	at[0] = 0xe8;
	memcpy(at + 1, &rel, sizeof(rel));
}

static int by_addr(const void *a, const void *b)
{
	const unsigned char *x = ((const struct cx_site *)a)->rec->instr;
	const unsigned char *y = ((const struct cx_site *)b)->rec->instr;

	return x < y ? -1 : x > y;
}

int cx_init(struct paravirt_patch_site *begin, struct paravirt_patch_site *end)
{
	if (cx_sites && begin == first && end == last)
		return 0; /* set up for these sites already (a second run of the program's modes) */
	first = begin;
	last = end;
	cx_nsites = (unsigned)(end - begin);
	cx_sites = calloc(cx_nsites, sizeof(*cx_sites));
	if (!cx_sites)
		return -1;
	for (unsigned i = 0; i < cx_nsites; i++)
		cx_sites[i].rec = &begin[i];
	qsort(cx_sites, cx_nsites, sizeof(*cx_sites), by_addr);
	return 0;
}

static struct cx_site *find(uintptr_t at)
{
	struct cx_site key = { .rec = &(struct paravirt_patch_site){ .instr = (unsigned char *)at } };

	return bsearch(&key, cx_sites, cx_nsites, sizeof(*cx_sites), by_addr);
}

int cx_arm(void)
{
	if (pv_text_writable(first, last, 1))
		return -1;
	for (unsigned i = 0; i < cx_nsites; i++) {
		struct cx_site *s = &cx_sites[i];

		s->hits = s->broken = 0;
		s->sp_moved = 0;
		if (s->rec->len < CX_MIN_SITE)
			continue;
		memcpy(s->start, s->rec->instr, sizeof(s->start));
		put_call(s->rec->instr, cx_enter);
	}
	return 0;
}

int cx_disarm(void)
{
	for (unsigned i = 0; i < cx_nsites; i++)
		if (cx_sites[i].rec->len >= CX_MIN_SITE)
			memcpy(cx_sites[i].rec->instr, cx_sites[i].start, sizeof(cx_sites[i].start));
	return pv_text_writable(first, last, 0);
}

/* Distinct for every register and every run. */
static unsigned long canary(unsigned r)
{
	return (unsigned long)(0xc0dec0dec0de0000ULL ^ (u64)r << 12 ^ runs);
}

void cx_on_enter(void)
{
	struct cx_site *s = find(cx_ret - 5);
	unsigned char *end;

	if (!s || cur) {
		fprintf(stderr, "canary: entered at %#lx, not a site or inside one\n", cx_ret - 5);
		abort();
	}
	cur = s;
	memcpy(s->rec->instr, s->start, sizeof(s->start));
	end = s->rec->instr + s->rec->len;
	memcpy(s->end, end, sizeof(s->end));
	put_call(end, cx_exit);
	runs++;
	for (unsigned r = 0; r < NREGS; r++)
		cx_in[r] = r == SP || (args >> r & 1) ? cx_gcc[r] : canary(r);
	cx_jump = (uintptr_t)s->rec->instr;
}

void cx_on_exit(void)
{
	struct cx_site *s = cur;
	unsigned char *end = s->rec->instr + s->rec->len;

	if (cx_ret - 5 != (uintptr_t)end) {
		fprintf(stderr, "canary: left at %#lx, the site ends at %p\n", cx_ret - 5, (void *)end);
		abort();
	}
	memcpy(end, s->end, sizeof(s->end));
	put_call(s->rec->instr, cx_enter);
	s->hits++;
	if (cx_out[SP] != cx_gcc[SP])
		s->sp_moved = (long)(cx_out[SP] - cx_gcc[SP]);
	for (unsigned r = 0; r < NREGS; r++) {
		if (r == SP)
			continue;
		if (s->rec->clobbers & clbr[r]) {
			cx_in[r] = cx_out[r];	/* the site's to change: its results */
			continue;
		}
		if (cx_out[r] != cx_in[r])
			s->broken |= 1u << r;
		cx_in[r] = cx_gcc[r];
	}
	cx_jump = (uintptr_t)end;
	cur = NULL;
}

const char *cx_reg_names(unsigned mask)
{
	static char buf[NREGS * 5];
	size_t n = 0;

	buf[0] = 0;
	for (unsigned r = 0; r < NREGS; r++)
		if (mask >> r & 1)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? " " : "", names[r]);
	return buf;
}

int cx_reg(const char *name)
{
	for (int r = 0; r < NREGS; r++)
		if (!strcmp(names[r], name))
			return r;
	return -1;
}
