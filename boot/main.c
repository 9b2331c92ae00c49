/* The driver: every probe of this environment through the unpatched indirect calls, then the
 * reference patcher over every .parainstructions site of this kernel (a report line per
 * site), then every probe again, patched. A probe passes if it met its expectations both
 * times and saw the same both times. Output is TAP; the machine exits at the end. */
#include "boot.h"
#include "host.h"
#include "patch.h"

extern u64 boot_tsc_khz;

static struct probe_ctx run_probe(const struct boot_probe *p, enum boot_env env)
{
	struct probe_ctx c = { env == ENV_XEN, 0xcbf29ce484222325ULL, 0 };

	kprintf("# probe %s\n", p->ops);
	p->run(&c);
	return c;
}

#define MAX_SITES 512
static struct pv_result results[MAX_SITES];

/* Kept while patching, printed after: the patching is timed. */
static void keep_result(const struct paravirt_patch_site *s, const struct pv_result *r, void *ctx)
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

void boot_run(enum boot_env env)
{
	const struct paravirt_backend *be = env == ENV_XEN ? &xen_backend : &native_backend;
	unsigned want = env == ENV_XEN ? XEN : NATIVE, n = 0, nsites;
	static struct probe_ctx before[64];
	struct pv_apply a = { .report = keep_result };
	u64 t0, t1;

	nsites = (unsigned)(__parainstructions_end - __parainstructions);
	for (unsigned i = 0; i < nboot_probes; i++)
		n += (boot_probes[i].env & want) != 0;
	kprintf("# pvopsc boot: %s backend, %u patch sites, TSC %lu kHz\n", be->pv_info->name, nsites,
		(unsigned long)boot_tsc_khz);
	tap_plan(n + 1);
	probes_init(env);
	for (unsigned i = 0; i < nboot_probes; i++)
		if (boot_probes[i].env & want)
			before[i] = run_probe(&boot_probes[i], env);
	t0 = rdtsc();
	pv_apply(be, __parainstructions, __parainstructions_end, &a);
	t1 = rdtsc();
	report_sites();
	tap(a.count[PV_INLINE] + a.count[PV_NOPS] + a.count[PV_CALL] + a.count[PV_JMP] + a.count[PV_KEEP] == nsites &&
		    a.count[PV_KEEP] < nsites && nsites <= MAX_SITES,
	    "patch: %u sites: %u inlined, %u nops, %u calls, %u jmps, %u kept", nsites, a.count[PV_INLINE],
	    a.count[PV_NOPS], a.count[PV_CALL], a.count[PV_JMP], a.count[PV_KEEP]);
	kprintf("# bench: patching: %u sites in %lu cycles: %lu sites/ms\n", nsites, (unsigned long)(t1 - t0),
		(unsigned long)(t1 > t0 ? nsites * boot_tsc_khz / (t1 - t0) : 0));
	for (unsigned i = 0; i < nboot_probes; i++) {
		const struct boot_probe *p = &boot_probes[i];
		struct probe_ctx after;

		if (!(p->env & want))
			continue;
		after = run_probe(p, env);
		if (before[i].bad)
			tap(0, "%s: unpatched: %s", p->ops, before[i].bad);
		else if (after.bad)
			tap(0, "%s: patched: %s", p->ops, after.bad);
		else
			tap(before[i].digest == after.digest, "%s: unpatched and patched%s", p->ops,
			    before[i].digest == after.digest ? "" : " differ");
	}
	kprintf("# done: %u failed\n", tap_failed);
	machine_exit(tap_failed ? 1 : 0);
}
