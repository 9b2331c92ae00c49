/* The Xen entry's C side: dom0 of the real Xen 4.17 (64-bit PV, kernel in ring 3). It maps the
 * shared info page, installs a trap table and the event callback, binds the timer's VIRQ,
 * makes the Xen backend the running one, and runs the probes. Output: Xen's console; the end:
 * SCHEDOP_shutdown (reboot), which qemu -no-reboot turns into its exit. */
#include "boot.h"
#include "guest.h"
#include "host.h"
#include "patch.h"

#define FLAT_KERNEL_CS 0xe033
#define CALLBACKOP_register 0

extern u64 boot_tsc_khz, boot_tsc0;
extern long boot_wall_s;
extern char xen_trap_vectors[], xen_upcall_entry[];
extern void (*trap_hook[256])(struct trap_frame *f);

/* qemu's isa-debug-exit port ends the run at once (dom0 may reach it with an IOPL that lets
 * the kernel at its ports); where there is none, Xen reboots, which qemu -no-reboot ends. */
static void xen_exit(int code)
{
	u32 iopl = 1;

	kprintf("# exit %d\n", code);
	xen_hypercall(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, (unsigned long)&iopl, 0, 0);
	asm volatile("outl %0, %1" : : "a"((u32)code), "Nd"(0xf4));
	xen_reboot();
}

static void upcall(struct trap_frame *f)
{
	(void)f;
	xen_evtchn_do_upcall();
}

/* A gate for vector v to handler h, as Xen's trap table takes it (ring 3 may raise it) */
void xen_gate(gate_desc *g, unsigned long h, unsigned dpl)
{
	g->w[0] = (u32)(FLAT_KERNEL_CS << 16) | (h & 0xffff);
	g->w[1] = (u32)(h & 0xffff0000) | 0x8e00 | dpl << 13;
	g->w[2] = (u32)(h >> 32);
	g->w[3] = 0;
}

static void traps_init(void)
{
	static struct trap_info traps[33];
	struct callback_register cb = { CALLBACKTYPE_event, (unsigned long)xen_upcall_entry };

	for (unsigned v = 0; v < 32; v++) {
		traps[v] = (struct trap_info){ (u8)v, v == 3 ? 3 : 0, FLAT_KERNEL_CS,
					       (unsigned long)xen_trap_vectors + 32 * v };
		xen_gate(&idt_table[v], traps[v].address, traps[v].flags);
	}
	xen_hypercall(__HYPERVISOR_set_trap_table, (unsigned long)traps, 0, 0, 0);
	trap_hook[VEC_XEN_UPCALL] = upcall;
	xen_hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register, (unsigned long)&cb, 0, 0);
}

/* A PV kernel's gs base is Xen's to set. */
static int xen_percpu_base(unsigned long base)
{
	return xen_hypercall(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, base, 0, 0) ? -1 : 0;
}

void xen_start(const struct start_info *si)
{
	const struct paravirt_backend *be;
	long r;

	console_write = xen_console_write;
	machine_exit_hook = xen_exit;
	r = xen_guest_init(si);
	kprintf("# %s: %lu pages, shared info at %lx: mapped (%ld)\n", si->magic, si->nr_pages, si->shared_info, r);
	if (r)
		machine_exit(2);
	/* this cpu's vcpu_info (where the clock is too), before anything reads it */
	percpu_base_by = xen_percpu_base;
	setup_per_cpu_areas();
	be = xen_setup_vcpu_info_placement();
	kprintf("# vcpu_info %s\n", be == &xen_backend ? "in shared_info: the C irq ops" : "placed: the direct irq ops");
	traps_init();
	boot_tsc0 = rdtsc();
	boot_tsc_khz = xen_get_tsc_khz();
	boot_wall_s = (long)xen_shared_page.wc_sec + (long)div_u64(xen_sched_clock(), 1000000000);
	/* the probes' one-shot timer is the only event: no periodic tick */
	xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0, 0);
	r = xen_bind_timer();
	kprintf("# VIRQ_TIMER on port %ld\n", r);
	boot_cmdline = si->cmd_line;
	pv_activate(be);
	paravirt_pagetable_setup_start((pgd_t *)si->pt_base);	/* Xen built the tables it runs on */
	boot_run(ENV_XEN, be);
}
