/* The driver: every probe of this environment through the unpatched indirect calls, then the
 * reference patcher over every .parainstructions site of this kernel (a report line per
 * site), then every probe again, patched. A probe passes if it met its expectations both
 * times and saw the same both times. Output is TAP; the machine exits at the end. */
#include "boot.h"
#include "host.h"
#include "canary.h"
#include "patch.h"

extern u64 boot_tsc_khz;

const char *boot_cmdline = "";

/* A word of the command line */
static int has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if ((s == boot_cmdline || s[-1] == ' ') && !memcmp(s, w, n) && (s[n] == ' ' || !s[n]))
			return 1;
	return 0;
}

__attribute__((weak)) void boot_tamper(void)
{
}

static struct probe_ctx run_probe(const struct boot_probe *p, enum boot_env env)
{
	struct probe_ctx c = { env == ENV_XEN, 0xcbf29ce484222325ULL, 0 };

	kprintf("# probe %s\n", p->ops);
	p->run(&c);
	return c;
}

#define MAX_SITES 512
#define MAX_PROBES 64
static struct pv_result results[MAX_SITES];

/* Kept while patching, printed after: the patching is timed. */
static RT_HOST void keep_result(const struct paravirt_patch_site *s, const struct pv_result *r, void *ctx)
{
	unsigned i = (unsigned)(s - __parainstructions);

	(void)ctx;
	if (i < MAX_SITES)
		results[i] = *r;
}

static void report_sites(void)
{
	for (const struct paravirt_patch_site *s = __parainstructions; s < __parainstructions_end; s++) {
		const struct pv_result *r = &results[s - __parainstructions];

		kprintf("# site %p %s len %u: %s, %u bytes (%s)\n", (void *)s->instr,
			paravirt_ops[s->instrtype].name, s->len, pv_how_name(r->how), r->used, r->why);
	}
}

/* One TAP line for the canaries of a run: every site that ran kept every register its clobber
 * mask does not name, and the stack pointer. */
static void canary_verdict(const char *when)
{
	unsigned ran = 0, bad = 0;

	for (unsigned i = 0; i < cx_nsites; i++) {
		const struct cx_site *s = &cx_sites[i];

		ran += s->hits != 0;
		if (s->broken || s->sp_moved) {
			bad++;
			kprintf("# canary: site %p %s changed %s%s\n", (void *)s->rec->instr,
				paravirt_ops[s->rec->instrtype].name, cx_reg_names(s->broken),
				s->sp_moved ? " and the stack pointer" : "");
		}
	}
	if (bad)
		tap(0, "canaries %s: %u of %u sites run changed registers their clobbers keep", when, bad, ran);
	else
		tap(ran > 0, "canaries %s: %u sites run, every one kept the registers its clobbers keep", when, ran);
}

/* Every probe of the environment, plain and then with canaries armed at every site. */
static void run_all(enum boot_env env, unsigned want, struct probe_ctx runs[][2], const char *when)
{
	for (unsigned i = 0; i < nboot_probes; i++)
		if (boot_probes[i].env & want)
			runs[i][0] = run_probe(&boot_probes[i], env);
	if (cx_arm())
		tap(0, "canaries %s: the text cannot be written", when);
	for (unsigned i = 0; i < nboot_probes; i++)
		if ((boot_probes[i].env & want) && !(boot_probes[i].env & NO_CANARY))
			runs[i][1] = run_probe(&boot_probes[i], env);
	cx_disarm();
	canary_verdict(when);
}

/* The verdict of a probe: it met its expectations every time and saw the same every time. */
static void probe_verdict(const struct boot_probe *p, const struct probe_ctx unpatched[2],
			  const struct probe_ctx patched[2])
{
	static const char *const names[4] = { "unpatched", "unpatched with canaries", "patched", "patched with canaries" };
	const struct probe_ctx *runs[2] = { unpatched, patched };
	unsigned n = p->env & NO_CANARY ? 1 : 2;

	for (unsigned k = 0; k < 4; k++) {
		const struct probe_ctx *r = &runs[k / 2][k % 2];

		if (k % 2 < n && r->bad) {
			tap(0, "%s: %s: %s", p->ops, names[k], r->bad);
			return;
		}
		if (k % 2 < n && r->digest != unpatched[0].digest) {
			tap(0, "%s: %s differs from unpatched", p->ops, names[k]);
			return;
		}
	}
	tap(1, "%s: unpatched and patched%s", p->ops, n == 2 ? ", with and without canaries" : "");
}

void boot_run(enum boot_env env, const struct paravirt_backend *be)
{
	unsigned want = env == ENV_XEN ? XEN : NATIVE, n = 0, nsites;
	static struct probe_ctx runs[2][MAX_PROBES][2];	/* patched, probe, canaries */
	struct pv_apply a = { .report = keep_result };
	u64 t0, t1;

	nsites = (unsigned)(__parainstructions_end - __parainstructions);
	if (has_word(boot_cmdline, "bench")) {
		tap_plan(1);
		bench_run(be, env);
	}
	for (unsigned i = 0; i < nboot_probes; i++)
		n += (boot_probes[i].env & want) != 0;
	kprintf("# pvopsc boot: %s backend, %u patch sites, TSC %lu kHz\n", be->pv_info->name, nsites,
		(unsigned long)boot_tsc_khz);
	tap_plan(n + 3);
	if (nboot_probes > MAX_PROBES || nsites > MAX_SITES || cx_init(__parainstructions, __parainstructions_end)) {
		kprintf("PANIC: too many probes or sites\n");
		machine_exit(2);
	}
	probes_init(env);
	boot_tamper();
	run_all(env, want, runs[0], "unpatched");
	t0 = rdtsc();
	pv_apply(be, __parainstructions, __parainstructions_end, &a);
	t1 = rdtsc();
	report_sites();
	tap(a.count[PV_INLINE] + a.count[PV_NOPS] + a.count[PV_CALL] + a.count[PV_JMP] + a.count[PV_KEEP] == nsites &&
		    a.count[PV_KEEP] < nsites,
	    "patch: %u sites: %u inlined, %u nops, %u calls, %u jmps, %u kept", nsites, a.count[PV_INLINE],
	    a.count[PV_NOPS], a.count[PV_CALL], a.count[PV_JMP], a.count[PV_KEEP]);
	kprintf("# bench: patching: %u sites in %lu cycles: %lu sites/ms\n", nsites, (unsigned long)(t1 - t0),
		(unsigned long)((t1 - t0) >> 32 || t1 == t0 ? 0 : div_u64(nsites * boot_tsc_khz, (u32)(t1 - t0))));
	run_all(env, want, runs[1], "patched");
	for (unsigned i = 0; i < nboot_probes; i++)
		if (boot_probes[i].env & want)
			probe_verdict(&boot_probes[i], runs[0][i], runs[1][i]);
	kprintf("# done: %u failed\n", tap_failed);
	machine_exit(tap_failed ? 1 : 0);
}
