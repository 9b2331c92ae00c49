/* make bench's part in the boot kernel (the command line says "bench"): the four irq ops
 * through their sites, unpatched (the indirect call) and patched (inline), and under Xen a
 * hypercall-based version of each (its vcpu_info write plus one hypercall, xen_version, the
 * cheapest: what an op costs that enters Xen); then patching's speed. Figures are cycles of
 * the TSC per 1000 ops, the best of 15 rounds: under qemu's TCG only the ratios mean much. */
#include <stdio.h>

#include "boot.h"
#include "guest.h"
#include "host.h"
#include "patch.h"

#define ROUNDS 15
#define OPS 1000

/* One loop per op, its site in the loop: patching rewrites it in place. */
static __attribute__((noinline)) void loop_save_fl(void)
{
	for (unsigned i = 0; i < OPS; i++)
		(void)__raw_local_save_flags();
}

static __attribute__((noinline)) void loop_restore_fl(void)
{
	for (unsigned i = 0; i < OPS; i++)
		raw_local_irq_restore(0);
}

static __attribute__((noinline)) void loop_irq_disable(void)
{
	for (unsigned i = 0; i < OPS; i++)
		raw_local_irq_disable();
}

/* Interrupts come on and off: nothing is pending, so enabling costs only the op. */
static __attribute__((noinline)) void loop_irq_enable(void)
{
	for (unsigned i = 0; i < OPS; i++) {
		raw_local_irq_enable();
		asm volatile("" : : : "memory");
	}
}

#ifdef __x86_64__
static void enter_xen(void)
{
	xen_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
}

static __attribute__((noinline)) void hc_save_fl(void)
{
	for (unsigned i = 0; i < OPS; i++) {
		enter_xen();
		asm volatile("" : : "r"(percpu_read(xen_vcpu)->evtchn_upcall_mask) : "memory");
	}
}

static __attribute__((noinline)) void hc_mask(void)
{
	for (unsigned i = 0; i < OPS; i++) {
		percpu_read(xen_vcpu)->evtchn_upcall_mask = 1;
		enter_xen();
	}
}

static __attribute__((noinline)) void hc_unmask(void)
{
	for (unsigned i = 0; i < OPS; i++) {
		percpu_read(xen_vcpu)->evtchn_upcall_mask = 0;
		enter_xen();
	}
}
#endif

static const struct {
	const char *op;
	void (*loop)(void);
	void (*hypercall)(void);
} ops[] = {
#ifdef __x86_64__
	{ "save_fl", loop_save_fl, hc_save_fl },
	{ "restore_fl", loop_restore_fl, hc_mask },
	{ "irq_disable", loop_irq_disable, hc_mask },
	{ "irq_enable", loop_irq_enable, hc_unmask },
#else
	{ "save_fl", loop_save_fl, 0 },
	{ "restore_fl", loop_restore_fl, 0 },
	{ "irq_disable", loop_irq_disable, 0 },
	{ "irq_enable", loop_irq_enable, 0 },
#endif
};
#define NOPS (sizeof(ops) / sizeof(ops[0]))

static unsigned long best(void (*loop)(void))
{
	u64 min = ~0ULL;

	for (unsigned r = 0; r < ROUNDS; r++) {
		u64 t = rdtsc();

		loop();
		t = rdtsc() - t;
		if (t < min)
			min = t;
	}
	return (unsigned long)min;
}

/* x.y times */
static void ratio(char *buf, unsigned long a, unsigned long b)
{
	unsigned long r = b ? (unsigned long)div_u64((u64)a * 10 + b / 2, (u32)b) : 0;

	snprintf(buf, 16, "%lu.%lu", r / 10, r % 10);
}

void bench_run(const struct paravirt_backend *be, enum boot_env env)
{
	unsigned long unpatched[NOPS], patched[NOPS], hypercall[NOPS];
	u64 t0, t1;
	unsigned nsites = (unsigned)(__parainstructions_end - __parainstructions);

	if (env == ENV_NATIVE)
		asm volatile("cli");
	else
		percpu_read(xen_vcpu)->evtchn_upcall_mask = 1;
	for (unsigned i = 0; i < NOPS; i++) {
		unpatched[i] = best(ops[i].loop);
		hypercall[i] = env == ENV_XEN && ops[i].hypercall ? best(ops[i].hypercall) : 0;
	}
	t0 = rdtsc();
	pv_apply(be, __parainstructions, __parainstructions_end, 0);
	t1 = rdtsc();
	for (unsigned i = 0; i < NOPS; i++)
		patched[i] = best(ops[i].loop);
	for (unsigned i = 0; i < NOPS; i++) {
		char u[16], h[16];

		ratio(u, unpatched[i], patched[i]);
		ratio(h, hypercall[i], patched[i]);
		if (hypercall[i])
			kprintf("# bench: %-11s patched %7lu  unpatched %7lu (x%s)  hypercall %8lu (x%s)\n", ops[i].op,
				patched[i], unpatched[i], u, hypercall[i], h);
		else
			kprintf("# bench: %-11s patched %7lu  unpatched %7lu (x%s)\n", ops[i].op, patched[i],
				unpatched[i], u);
	}
	kprintf("# bench: patching %u sites: %lu cycles, %lu sites/ms\n", nsites, (unsigned long)(t1 - t0),
		(unsigned long)((t1 - t0) >> 32 || t1 == t0 ? 0 : div_u64(nsites * rt_tsc_khz(), (u32)(t1 - t0))));
	tap(1, "bench");
	machine_exit(0);
}
