/* make bench, the x86 runtime (tests/bench/runtime builds and runs it for x86_64 and i386).
 *
 * The cost of an op per call, for the native save_fl and restore_fl and Xen's four direct irq
 * ops, in four forms: (a) the bare sequence, no paravirt at all (for Xen: its direct sequence
 * compiled in, as a Xen-only kernel would have it), (b) the generated wrapper unpatched, an
 * indirect call through the table, (c) the same site patched into a direct call, (d) the
 * same site patched with the inline sequence and its NOP padding. Each is 8 calls per loop
 * iteration, the loop the same for all four; the median of ROUNDS runs taken in turns in one
 * process. Then the patcher's throughput over 100,000 sites: the test program's sites (one
 * of every op, tests/runtime/x86/probes.k.c and macros.S, linked in) copied over and over. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "patch.h"
#include "xen.h"

#ifdef __x86_64__
static const char arch[] = "x86_64";
#else
static const char arch[] = "i386";
#endif

#define ROUNDS 21
#define SAMPLE_NS 1000000	/* a run of the bare form lasts at least this */
#define NSITES 100000

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000u + (u64)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), by_value);
	return v[n / 2];
}

/* ---- the loops ---- */

#define LOOP(body) \
	for (unsigned i_ = 0; i_ < n; i_++) { \
		body; body; body; body; body; body; body; body; \
	}

typedef unsigned long loop_fn(unsigned n);	/* n iterations of 8 calls */
static unsigned long flags;	/* what restore_fl restores: the flags as they are */

/* As Linux's non-paravirt native_save_fl and native_restore_fl have them. */
static __attribute__((noinline)) unsigned long save_fl_bare(unsigned n)
{
	unsigned long acc = 0, f;

	LOOP(asm volatile("pushf; pop %0" : "=r"(f) : : "memory"); acc += f);
	return acc;
}

static __attribute__((noinline)) unsigned long restore_fl_bare(unsigned n)
{
	LOOP(asm volatile("push %0; popf" : : "g"(flags) : "memory", "cc"));
	return 0;
}

/* Xen's direct sequences (the spec's), compiled in: the per-cpu vcpu_info through the segment. */
#define MASK [mask] "i"(&xen_vcpu_info.evtchn_upcall_mask)
#define PENDING [pending] "i"(&xen_vcpu_info.evtchn_upcall_pending)
#define BOTH [both] "i"(&xen_vcpu_info)
#define PCPU(op) PER_CPU_SEG "%c[" #op "]"

static __attribute__((noinline)) unsigned long xen_save_fl_bare(unsigned n)
{
	unsigned long acc = 0, f;

	LOOP(asm volatile("cmpb $1, " PCPU(mask) "; sbb %k0, %k0; and $0x200, %k0" : "=r"(f) : MASK : "memory", "cc");
	     acc += f);
	return acc;
}

static __attribute__((noinline)) unsigned long xen_restore_fl_bare(unsigned n)
{
	LOOP(asm volatile("testw $0x200, %w[f]; setz " PCPU(mask) "; cmpw $1, " PCPU(both) "; jnz 1f; call xen_check_events; 1:"
			  : : [f] "r"(flags), MASK, BOTH : "memory", "cc"));
	return 0;
}

static __attribute__((noinline)) unsigned long xen_irq_disable_bare(unsigned n)
{
	LOOP(asm volatile("movb $1, " PCPU(mask) : : MASK : "memory"));
	return 0;
}

static __attribute__((noinline)) unsigned long xen_irq_enable_bare(unsigned n)
{
	LOOP(asm volatile("movb $0, " PCPU(mask) "; testb $0xff, " PCPU(pending) "; jz 1f; call xen_check_events; 1:"
			  : : MASK, PENDING : "memory", "cc"));
	return 0;
}

/* The generated wrappers: one site per call, patched in turn every way. */
static __attribute__((noinline)) unsigned long save_fl_pv(unsigned n)
{
	unsigned long acc = 0;

	LOOP(acc += __raw_local_save_flags());
	return acc;
}

static __attribute__((noinline)) unsigned long restore_fl_pv(unsigned n)
{
	LOOP(raw_local_irq_restore(flags));
	return 0;
}

static __attribute__((noinline)) unsigned long irq_disable_pv(unsigned n)
{
	LOOP(raw_local_irq_disable());
	return 0;
}

static __attribute__((noinline)) unsigned long irq_enable_pv(unsigned n)
{
	LOOP(raw_local_irq_enable());
	return 0;
}

/* ---- per-call cost ---- */

enum { BARE, UNPATCHED, CALL, INLINE, NFORMS };

static const struct row {
	const char *name;
	int xen;
	loop_fn *bare, *pv;
	unsigned type;
} rows[] = {
	{ "native save_fl", 0, save_fl_bare, save_fl_pv, PARAVIRT_PATCH_pv_irq_ops_save_fl },
	{ "native restore_fl", 0, restore_fl_bare, restore_fl_pv, PARAVIRT_PATCH_pv_irq_ops_restore_fl },
	{ "xen save_fl", 1, xen_save_fl_bare, save_fl_pv, PARAVIRT_PATCH_pv_irq_ops_save_fl },
	{ "xen restore_fl", 1, xen_restore_fl_bare, restore_fl_pv, PARAVIRT_PATCH_pv_irq_ops_restore_fl },
	{ "xen irq_disable", 1, xen_irq_disable_bare, irq_disable_pv, PARAVIRT_PATCH_pv_irq_ops_irq_disable },
	{ "xen irq_enable", 1, xen_irq_enable_bare, irq_enable_pv, PARAVIRT_PATCH_pv_irq_ops_irq_enable },
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static double samples[NROWS][NFORMS][ROUNDS];	/* ns per call */
static unsigned iters[NROWS];	/* loop iterations per run */
static struct pv_result layout[NROWS];	/* what (d) put at a site of the row's op */
static unsigned site_len[NROWS];
static volatile unsigned long sink;

static double ns_per_call(loop_fn *f, unsigned n)
{
	u64 t0;

	sink += f(n);	/* warm: caches and predictors after a patch */
	t0 = now_ns();
	sink += f(n);
	return (double)(now_ns() - t0) / (n * 8.0);
}

/* Iterations for a bare run of SAMPLE_NS: the cheapest ops need millions. */
static unsigned calibrate(loop_fn *f)
{
	unsigned n = 1000;

	while (ns_per_call(f, n) * n * 8 < SAMPLE_NS && n < (1u << 30))
		n *= 2;
	return n;
}

static void note_layout(const struct paravirt_patch_site *s, const struct pv_result *r, void *ctx)
{
	for (unsigned i = 0; i < NROWS; i++) {
		if (rows[i].xen == *(int *)ctx && rows[i].type == s->instrtype && (!site_len[i] || s->len < site_len[i])) {
			layout[i] = *r;
			site_len[i] = s->len;
		}
	}
}

static void patch(const struct paravirt_backend *be, unsigned char *save, pv_report_fn *report, void *ctx)
{
	struct pv_apply a = { .save = save, .report = report, .ctx = ctx };

	if (pv_apply(be, __parainstructions, __parainstructions_end, &a)) {
		perror("pv_apply");
		exit(1);
	}
}

static void unpatch(unsigned char *save)
{
	if (pv_restore(__parainstructions, __parainstructions_end, save)) {
		perror("pv_restore");
		exit(1);
	}
}

/* Xen with vcpu_info placed: its direct irq sequences are the ones measured. */
static const struct paravirt_backend *xen_placed;

/* One round: every form of every row, each backend's rows with that backend running. */
static void round_of(unsigned r, unsigned char *save)
{
	for (int xen = 0; xen < 2; xen++) {
		const struct paravirt_backend *be = xen ? xen_placed : &native_backend;
		struct paravirt_backend calls = *be;

		calls.ninsns = 0;	/* no inline sequences: every site a direct call */
		pv_activate(be);
		xen_hv.vcpu[0]->evtchn_upcall_mask = 0;	/* events on, none pending */
		xen_hv.vcpu[0]->evtchn_upcall_pending = 0;
		for (unsigned form = 0; form < NFORMS; form++) {
			if (form == CALL)
				patch(&calls, save, NULL, NULL);
			else if (form == INLINE)
				patch(be, save, note_layout, &xen);
			for (unsigned i = 0; i < NROWS; i++)
				if (rows[i].xen == xen)
					samples[i][form][r] = ns_per_call(form == BARE ? rows[i].bare : rows[i].pv, iters[i]);
			if (form == CALL || form == INLINE)
				unpatch(save);
		}
	}
}

static void per_call(void)
{
	static const char *const form[NFORMS] = { "(a) bare", "(b) unpatched", "(c) direct call", "(d) inline" };
	unsigned char *save = malloc(pv_site_bytes(__parainstructions, __parainstructions_end));

	if (!save)
		exit(1);
	asm volatile("pushf; pop %0" : "=r"(flags));
	for (unsigned i = 0; i < NROWS; i++)
		iters[i] = calibrate(rows[i].bare);
	for (unsigned r = 0; r < ROUNDS; r++)
		round_of(r, save);
	free(save);

	printf("x86 runtime, %s: ns per call (ratio to (a)), medians of %d runs taken in turns in one process\n", arch,
	       ROUNDS);
	printf("  %-18s %-20s", "op", "site at (d)");
	for (unsigned f = 0; f < NFORMS; f++)
		printf(" %17s", form[f]);
	putchar('\n');
	for (unsigned i = 0; i < NROWS; i++) {
		char site[40];
		unsigned pad = site_len[i] - layout[i].used;

		snprintf(site, sizeof(site), "%u + %u NOP bytes (%u)", layout[i].used, pad, (pad + 10) / 11);
		printf("  %-18s %-20s", rows[i].name, layout[i].how == PV_INLINE ? site : pv_how_name(layout[i].how));
		for (unsigned f = 0; f < NFORMS; f++) {
			double ratio[ROUNDS];

			/* each run against the bare run of its round: the clock rate drifts between rounds */
			for (unsigned r = 0; r < ROUNDS; r++)
				ratio[r] = samples[i][f][r] / samples[i][BARE][r];
			printf(" %10.2f (%4.2f)", median(samples[i][f], ROUNDS), median(ratio, ROUNDS));
		}
		putchar('\n');
	}
}

/* ---- patcher throughput ---- */

/* Pages for copies of sites, near the text: calls and relocated fields must reach it. */
static unsigned char *near_text(size_t bytes)
{
	uintptr_t want = ((uintptr_t)near_text & ~(uintptr_t)0xfffffff) + 0x10000000;

	for (int i = 0; i < 8; i++, want += 0x10000000) {
		void *p = mmap((void *)want, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p == (void *)want)
			return p;
		if (p != MAP_FAILED)	/* a kernel without MAP_FIXED_NOREPLACE took it as a hint */
			munmap(p, bytes);
	}
	return NULL;
}

static void throughput(void)
{
	const struct paravirt_patch_site *tmpl = __parainstructions;
	unsigned nt = (unsigned)(__parainstructions_end - __parainstructions);
	struct paravirt_patch_site *recs = malloc(NSITES * sizeof(*recs));
	size_t bytes = 0, page = 4096;
	unsigned char *text, *pristine, *at;

	for (unsigned i = 0; i < NSITES; i++)
		bytes += tmpl[i % nt].len;
	text = near_text(bytes + page);	/* a page more: the patcher's span has slack */
	pristine = malloc(bytes);
	if (!recs || !text || !pristine) {
		fprintf(stderr, "bench: no memory for %u sites\n", NSITES);
		exit(1);
	}
	at = text;
	for (unsigned i = 0; i < NSITES; i++) {
		const struct paravirt_patch_site *t = &tmpl[i % nt];

		/* the bytes of a real site, never run here: only patched */
		memcpy(at, t->instr, t->len);
		recs[i] = (struct paravirt_patch_site){ at, t->instrtype, t->len, t->clobbers };
		at += t->len;
	}
	memcpy(pristine, text, bytes);
	for (int xen = 0; xen < 2; xen++) {
		const struct paravirt_backend *be = xen ? xen_placed : &native_backend;
		/* the synthetic text is not the program's own: name its bounds */
		struct pv_apply a = { .text = text, .text_end = text + bytes };
		double rate[ROUNDS];

		for (unsigned r = 0; r < ROUNDS; r++) {
			u64 t0;

			mprotect(text, bytes, PROT_READ | PROT_WRITE);
			memcpy(text, pristine, bytes);
			mprotect(text, bytes, PROT_READ | PROT_EXEC);
			memset(a.count, 0, sizeof(a.count));
			t0 = now_ns();
			if (pv_apply(be, recs, recs + NSITES, &a)) {
				perror("pv_apply");
				exit(1);
			}
			rate[r] = NSITES / ((double)(now_ns() - t0) / 1e9);
		}
		printf("  patcher, %s: %.1f M sites/s over %u sites, %zu bytes (copies of %u sites, one of every op): "
		       "%u inlined, %u NOPs, %u calls, %u jumps, %u kept\n",
		       be->name, median(rate, ROUNDS) / 1e6, NSITES, bytes, nt, a.count[PV_INLINE], a.count[PV_NOPS],
		       a.count[PV_CALL], a.count[PV_JMP], a.count[PV_KEEP]);
	}
}

int main(void)
{
	cpu_set_t one;

	setvbuf(stdout, NULL, _IOLBF, 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	setup_per_cpu_areas();
	xen_hv_reset(1);
	xen_arch_setup();
	xen_placed = xen_setup_vcpu_info_placement();
	per_call();
	throughput();
	return 0;
}
