/* One probe per op: it calls the op's generated wrapper (plain calls too) and checks what the
 * running backend must have done: native hardware, or Xen (the model of xen.h, whose state
 * and hypercall counts the driver resets before every probe). A probe of an op whose native
 * implementation needs ring 0 is only run under Xen and checks Xen's behaviour. Kernel code:
 * no libc. */
#include "host.h"
#include "kvm_hv.h"
#include "patch.h"
#include "probe.h"
#include "xen.h"

/* ---- helpers ---- */

static void see(struct probe_ctx *c, u64 v)
{
	c->digest = (c->digest ^ v) * 0x100000001b3ULL;
}

static void want(struct probe_ctx *c, int ok, const char *what)
{
	if (!ok && !c->bad)
		c->bad = what;
	see(c, (u64)ok);
}

#define HC(name) xen_hv.calls[__HYPERVISOR_##name]
/* cpu 0's vcpu_info where Xen reads and writes it: placed in the per-cpu area, or shared_info's */
#define XV (xen_hv.vcpu[0])

static unsigned long hypercalls(void)
{
	unsigned long n = 0;

	for (unsigned i = 0; i < XEN_NR_HYPERCALLS; i++)
		n += xen_hv.calls[i];
	return n;
}

/* Xen's effect when the Xen backend runs, none at all natively. */
static void xen_want(struct probe_ctx *c, int xen_ok, const char *what)
{
	want(c, c->xen ? xen_ok : hypercalls() == 0, what);
}

/* KVM's effect when the KVM backend runs; no vmcall and no MSR write for KVM otherwise. */
static void kvm_want(struct probe_ctx *c, int kvm_ok, const char *what)
{
	want(c, c->kvm ? kvm_ok : kvm_hv.hypercalls == 0 && kvm_hv.msr_writes == 0, what);
}

/* KVM's record i: op, on phys (write_pte: the entry, release_pt: the page), with val, taken
 * in hypercall number call. */
static int kvm_record(unsigned i, u32 op, u64 phys, u64 val, unsigned long call)
{
	const struct kvm_hv_record *r = &kvm_hv.rec[i];

	return i < kvm_hv.nrec && i < KVM_HV_LOG && r->op == op && r->phys == phys && r->val == val && r->call == call;
}

static u64 addr(const void *p)
{
	return (u64)(uintptr_t)p;
}

static int contains(const char *s, const char *sub)
{
	for (; *s; s++) {
		const char *a = s, *b = sub;

		while (*b && *a == *b)
			a++, b++;
		if (!*b)
			return 1;
	}
	return 0;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static inline unsigned long flags(void)
{
	unsigned long f;

	asm volatile("pushf; pop %0" : "=r"(f));
	return f;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

/* An entry's value as the backend keeps it: Xen holds machine frames (present entries). */
static u64 mach(const struct probe_ctx *c, u64 v)
{
	return c->xen && (v & _PAGE_PRESENT) ? v + ((u64)XEN_MFN_OFFSET << PAGE_SHIFT) : v;
}

/* The entry that maps the page at va as Xen takes it: the machine frame, present, writable or
 * read-only. */
static u64 kernel_pte(unsigned long va, int writable)
{
	return xen_machine_addr((const void *)(va & ~4095UL)) | _PAGE_PRESENT | (writable ? _PAGE_RW : 0);
}

/* A present entry with NX (bit 63) and a frame above 4 GiB: on i386 both words travel. */
#define PTE_V 0x8000000123456067ULL
#define PTE_NOT_PRESENT 0x8000000000000ae4ULL

/* The probes: PROBE(table, op) defines op's, which probes[] below finds by the name the
 * generated PARAVIRT_OPS list gives it (table_op, '_' for '.'); an op with none has only its
 * sites. PROBE_RING0: native's implementation needs ring 0 (privileged instructions, port I/O,
 * the local APIC), so the probe runs only under a backend with its own. An asm macro's probe
 * is named after the macro. */
#define PROBE_AS(table, op, fn, needs) const struct probe_def probe_##table##_##op = { fn, needs }
#define PROBE_NEEDS(table, op, needs)                           \
	static RT_HOST void p_##table##_##op(struct probe_ctx *c); \
	PROBE_AS(table, op, p_##table##_##op, needs);             \
	static RT_HOST void p_##table##_##op(struct probe_ctx *c)
#define PROBE(table, op) PROBE_NEEDS(table, op, 0)
#define PROBE_RING0(table, op) PROBE_NEEDS(table, op, NEEDS_RING0)

/* every op's probe, if this file defines one */
#define PROBE_DECL(op, table, member) extern const struct probe_def probe_##op __attribute__((weak));
PARAVIRT_OPS(PROBE_DECL)

/* ---- pv_init_ops ---- */

/* The backend's patch op, on a buffer standing for a save_fl site (static: a relocated
 * operand must reach from it, as from the text). */
PROBE(pv_init_ops, patch)
{
	static unsigned char buf[40];
	unsigned len = __PV_OP_pv_irq_ops_save_fl(SITE_LEN), n, i;
	const struct paravirt_insn *in = pv_insn(c->be, PARAVIRT_PATCH_pv_irq_ops_save_fl);

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = 0xcc;
	n = paravirt_patch(PARAVIRT_PATCH_pv_irq_ops_save_fl, CLBR_CALLEE, buf, (unsigned long)buf, len);
	if (!in || (c->be->policy && c->be->policy[PARAVIRT_PATCH_pv_irq_ops_save_fl] == PV_POLICY_CALL)) {
		/* Xen without vcpu_info placement: the C version; or a policy asking for a call */
		want(c, n == 5 && buf[0] == 0xe8, "with no sequence (or a call by policy), patch makes the site a direct call");
		see(c, n);
		return;
	}
	want(c, n == in->len, "patch returns the length of the backend's save_fl sequence");
	for (i = 0; i < n; i++)
		if (buf[i] != in->bytes[i] && !(in->nrelocs && i >= in->relocs[0].off && i < in->relocs[0].off + 4u))
			break;
	want(c, i == n, "patch copies the sequence");
	want(c, buf[len - 1] != 0xcc && buf[len] == 0xcc, "patch fills the site, and no more");
	if (c->xen && in->nrelocs) {
		int32_t f;

		/* %gs:/%fs: and an absolute field: the per-cpu template's address, which the
		 * segment's base makes this cpu's copy */
		__builtin_memcpy(&f, buf + in->relocs[0].off, 4);
		want(c, (unsigned long)(long)f == (unsigned long)&xen_vcpu_info.evtchn_upcall_mask,
		     "the operand of Xen's direct save_fl is the per-cpu vcpu_info's mask, wherever the site is");
	}
	see(c, n);
}

PROBE(pv_init_ops, arch_setup)
{
	paravirt_arch_setup();
	xen_want(c, HC(vm_assist) == 1 && xen_hv.writable_pagetables && HC(callback_op) >= 2 &&
		 xen_hv.callbacks[CALLBACKTYPE_event], "Xen setup asks for writable page tables and registers its callbacks");
}

PROBE(pv_init_ops, memory_setup)
{
	const char *who = paravirt_memory_setup();

	want(c, streq(who, c->xen ? "Xen" : "BIOS-e820"), "memory_setup names where the memory map came from");
	xen_want(c, HC(memory_op) == 1 && contains(rt_log_text(), "Xen: 262144 kB RAM"),
		 "Xen's memory map comes from memory_op");
}

PROBE(pv_init_ops, post_allocator_init)
{
	paravirt_post_allocator_init();
	xen_want(c, xen_hv.mmuext[MMUEXT_PIN_PGD] == 1, "Xen pins the boot page tables (native: no such op)");
}

PROBE(pv_init_ops, banner)
{
	paravirt_banner();
	want(c, contains(rt_log_text(), c->xen ? "Booting paravirtualized kernel on Xen" :
					c->kvm ? "Booting paravirtualized kernel on KVM" :
						 "Booting paravirtualized kernel on bare hardware"),
	     "the banner names the backend");
	xen_want(c, contains(rt_log_text(), "Xen version: 3.4"), "the banner has Xen's version");
}

/* ---- pv_time_ops ---- */

PROBE(pv_time_ops, time_init)
{
	u64 before = c->xen ? xen_sched_clock() : 0;

	paravirt_time_init();
	/* the deadline is by value (i386: two words): one tick (4 ms) after the call */
	xen_want(c, HC(vcpu_op) == 1 && !xen_hv.periodic && HC(set_timer_op) == 1 && xen_hv.timer >= before + 4000000 &&
			    xen_hv.timer <= xen_sched_clock() + 4000000,
		 "Xen's periodic tick gives way to a one-shot timer, a tick from now");
	want(c, (c->xen ? xen_sched_clock() : native_sched_clock()) < 1000000000,
	     "the clock counts from boot");
}

PROBE(pv_time_ops, get_wallclock)
{
	unsigned long now = (unsigned long)rt_wall_s(), w = get_wallclock();

	want(c, w + 1 >= now && w <= now + 1, "the wall clock is the machine's");
	kvm_want(c, kvm_hv.msr_writes == 1 && kvm_hv.wall_clock_msr && kvm_hv.hypercalls == 0,
		 "KVM writes the boot time where MSR_KVM_WALL_CLOCK points; the system time is the clock's");
}

PROBE(pv_time_ops, set_wallclock)
{
	unsigned long now = (unsigned long)rt_wall_s() + 86400, w;
	int r = set_wallclock(now);

	w = c->xen ? xen_get_wallclock() : native_get_wallclock();
	if (c->kvm) {
		w = kvm_get_wallclock();
		want(c, r == -1 && w + 1 < now, "a KVM guest cannot set the host's clock: it refuses, the clock runs on");
	} else {
		want(c, r == 0, "setting the clock succeeds");
		want(c, w >= now && w <= now + 1, "the clock runs on from the time set");
	}
	xen_want(c, HC(platform_op) == 1, "Xen sets it through platform_op");
	set_wallclock((unsigned long)rt_wall_s());
}

PROBE(pv_time_ops, sched_clock)
{
	u64 a = paravirt_sched_clock(), b = paravirt_sched_clock();

	want(c, a <= b && b - a < 1000000000, "sched_clock runs forward, in nanoseconds");
	kvm_want(c, kvm_hv.hypercalls == 0 && kvm_hv.msr_writes == 0 && (kvm_hv.system_time_msr & 1) &&
			    kvm_hv.system_time_msr == (addr(&kvm_hv_clock) | 1) && kvm_hv_clock.tsc_to_system_mul,
		 "kvmclock reads the pvclock_vcpu_time_info registered at boot, no exit to KVM");
}

PROBE(pv_time_ops, get_tsc_khz)
{
	unsigned long khz = calibrate_tsc(), n = native_get_tsc_khz();

	want(c, khz > 100000 && khz < 10000000, "the TSC runs between 100 MHz and 10 GHz");
	want(c, khz / 50 * 49 < n && n < khz / 50 * 51, "the rate is the calibrated one (Xen: as published, within 2%)");
}

/* ---- pv_cpu_ops ---- */

PROBE_RING0(pv_cpu_ops, get_debugreg)
{
	xen_hv.debugreg[3] = 0x1234;
	want(c, paravirt_get_debugreg(3) == 0x1234 && HC(get_debugreg) == 1, "Xen reads dr3 for the guest");
}

PROBE_RING0(pv_cpu_ops, set_debugreg)
{
	paravirt_set_debugreg(7, 0x401);
	want(c, xen_hv.debugreg[7] == 0x401 && HC(set_debugreg) == 1, "Xen writes dr7 for the guest");
}

PROBE_RING0(pv_cpu_ops, clts)
{
	xen_hv.ts = 1;
	clts();
	want(c, !xen_hv.ts && HC(fpu_taskswitch) == 1, "clts clears TS through fpu_taskswitch");
}

PROBE_RING0(pv_cpu_ops, read_cr0)
{
	see(c, read_cr0());
}

PROBE_RING0(pv_cpu_ops, write_cr0)
{
	write_cr0(X86_CR0_TS | 1);
	want(c, xen_hv.ts && HC(fpu_taskswitch) == 1, "of cr0, Xen takes TS");
}

PROBE_RING0(pv_cpu_ops, read_cr4_safe)
{
	see(c, read_cr4_safe());
}

PROBE_RING0(pv_cpu_ops, read_cr4)
{
	see(c, read_cr4());
}

PROBE_RING0(pv_cpu_ops, write_cr4)
{
	write_cr4(X86_CR4_PGE | X86_CR4_PSE | 0x20);
	want(c, xen_hv.cr4 == 0x20 && xen_hv.emulated == 1, "Xen keeps PGE and PSE off");
}

#ifdef __x86_64__
PROBE_RING0(pv_cpu_ops, read_cr8)
{
	see(c, read_cr8());
}

/* Both backends need ring 0 here: the probe holds the op's site. */
PROBE_RING0(pv_cpu_ops, write_cr8)
{
	write_cr8(0);
	see(c, 0);
}

PROBE_RING0(pv_cpu_ops, load_gs_index)
{
	load_gs_index(0x2b);
	want(c, xen_hv.gs_sel == 0x2b && HC(set_segment_base) == 1, "Xen loads the user gs selector");
}

/* The op is only for entry code (PARAVIRT_ADJUST_EXCEPTION_FRAME, macros.S): Xen's takes its
 * frame off the stack, which a C caller cannot give it. */
unsigned long m_adjust_exception_frame(unsigned long rcx, unsigned long r11);
extern unsigned long m_frame_rcx, m_frame_r11;

PROBE(PARAVIRT_ADJUST_EXCEPTION_FRAME, site)
{
	unsigned long left = m_adjust_exception_frame(0x1c1c1c1c, 0x11b11b);

	see(c, left);
	if (c->xen)
		want(c, left == 0 && m_frame_rcx == 0x1c1c1c1c && m_frame_r11 == 0x11b11b && hypercalls() == 0,
		     "Xen takes its 16 bytes of frame back into rcx and r11");
	else
		want(c, left == 16 && m_frame_rcx == 0 && hypercalls() == 0, "a native exception frame is left as it is");
}
#endif

PROBE_RING0(pv_cpu_ops, load_tr_desc)
{
	load_TR_desc();
	want(c, hypercalls() == 0, "Xen loads the TSS itself");
}

PROBE_RING0(pv_cpu_ops, load_gdt)
{
	struct desc_ptr d = { GDT_ENTRIES * 8 - 1, (unsigned long)cpu_gdt };

	load_gdt(&d);
	want(c, HC(set_gdt) == 1 && xen_hv.gdt_entries == GDT_ENTRIES &&
		xen_hv.gdt_mfn == ((unsigned long)cpu_gdt >> PAGE_SHIFT) + XEN_MFN_OFFSET,
	     "Xen takes the GDT by machine frame");
	want(c, HC(update_va_mapping) == 1 && xen_hv.va == ((unsigned long)cpu_gdt & ~4095UL) &&
		xen_hv.va_pte == kernel_pte((unsigned long)cpu_gdt, 0),
	     "the GDT's page turns read-only (its machine frame, by value)");
}

/* An interrupt gate to addr (kernel code segment, privilege dpl). */
static gate_desc make_gate(unsigned long addr, unsigned dpl)
{
	gate_desc g = { { 0 } };

	g.w[0] = 0x10u << 16 | (u32)(addr & 0xffff);
	g.w[1] = (u32)(addr & 0xffff0000u) | 0x8000 | dpl << 13 | 0xe00;
#ifdef __x86_64__
	g.w[2] = (u32)(addr >> 32);
#endif
	return g;
}

PROBE_RING0(pv_cpu_ops, load_idt)
{
	static gate_desc idt[16];
	struct desc_ptr d = { sizeof(idt) - 1, (unsigned long)idt };

	idt[3] = make_gate(0x12345678, 3);
	idt[14] = make_gate(0x9abcdef0, 0);
	load_idt(&d);
	want(c, HC(set_trap_table) == 1 && xen_hv.ntraps == 2, "Xen gets a trap per present gate");
	want(c, xen_hv.traps[0].vector == 3 && xen_hv.traps[0].flags == 3 && xen_hv.traps[0].cs == 0x10 &&
		xen_hv.traps[0].address == 0x12345678 && xen_hv.traps[1].vector == 14 &&
		xen_hv.traps[1].address == 0x9abcdef0, "each trap has the gate's vector, privilege, selector, handler");
}

PROBE_RING0(pv_cpu_ops, store_gdt)
{
	struct desc_ptr d;

	store_gdt(&d);
	see(c, d.size);
}

PROBE_RING0(pv_cpu_ops, store_idt)
{
	struct desc_ptr d;

	store_idt(&d);
	see(c, d.size);
}

PROBE_RING0(pv_cpu_ops, set_ldt)
{
	static struct desc_struct ldt[8];

	set_ldt(ldt, 8);
	want(c, xen_hv.mmuext[MMUEXT_SET_LDT] == 1 && xen_hv.ldt_base == (unsigned long)ldt && xen_hv.ldt_ents == 8,
	     "Xen sets the LDT by address and size");
}

PROBE_RING0(pv_cpu_ops, store_tr)
{
	see(c, paravirt_store_tr());
}

static const struct thread_struct tls_thread = {
	.tls_array = { { 0x1000ffff, 0x00cff200 }, { 0x2000ffff, 0x00cff300 }, { 0x3000ffff, 0x00cff200 } },
};

static int tls_in_gdt(void)
{
	for (unsigned i = 0; i < TLS_ENTRIES; i++) {
		const struct desc_struct *g = &cpu_gdt[GDT_ENTRY_TLS_MIN + i], *t = &tls_thread.tls_array[i];

		if (g->a != t->a || g->b != t->b)
			return 0;
	}
	return 1;
}

static void clear_tls(void)
{
	for (unsigned i = 0; i < TLS_ENTRIES; i++)
		cpu_gdt[GDT_ENTRY_TLS_MIN + i] = (struct desc_struct){ 0, 0 };
}

PROBE(pv_cpu_ops, load_tls)
{
	struct thread_struct t = tls_thread;

	clear_tls();
	load_TLS(&t, 0);
	want(c, tls_in_gdt(), "the thread's TLS descriptors are in the GDT");
	xen_want(c, HC(update_descriptor) == 3, "through one update_descriptor each");
}

static int desc_eq(const struct desc_struct *a, const struct desc_struct *b)
{
	return a->a == b->a && a->b == b->b;
}

PROBE(pv_cpu_ops, write_ldt_entry)
{
	struct desc_struct ldt[4] = { { 0, 0 } }, d = { 0x1234ffff, 0x00cff200 }, zero = { 0, 0 };

	write_ldt_entry(ldt, 2, &d);
	want(c, desc_eq(&ldt[2], &d) && desc_eq(&ldt[1], &zero) && desc_eq(&ldt[3], &zero), "the entry, and only it, is written");
	xen_want(c, HC(update_descriptor) == 1, "through update_descriptor");
	if (c->xen) {
		/* Xen's ABI: (machine address, descriptor), by value; (pointer, pointer) is refused */
		u64 v = 0x00cff3000000ffffULL;

		want(c, xen_hypercall(__HYPERVISOR_update_descriptor, (uintptr_t)&ldt[1], (uintptr_t)&v, 0, 0) == -22 &&
				desc_eq(&ldt[1], &zero),
		     "update_descriptor refuses a guest pointer for the descriptor's machine address");
	}
}

PROBE(pv_cpu_ops, write_gdt_entry)
{
	struct desc_struct gdt[4] = { { 0, 0 } }, d[2] = { { 0x0000ffff, 0x00cf9a00 }, { 7, 7 } }, zero = { 0, 0 };

	write_gdt_entry(gdt, 1, d, 8);
	want(c, desc_eq(&gdt[1], &d[0]) && desc_eq(&gdt[2], &zero), "an 8-byte descriptor is written");
	xen_want(c, HC(update_descriptor) == 1, "through update_descriptor");
}

static int gate_eq(const gate_desc *a, const gate_desc *b)
{
	for (unsigned i = 0; i < sizeof(a->w) / sizeof(a->w[0]); i++)
		if (a->w[i] != b->w[i])
			return 0;
	return 1;
}

PROBE(pv_cpu_ops, write_idt_entry)
{
	static gate_desc idt[8];
	gate_desc g = make_gate(0x4000, 0);
	struct desc_ptr d = { sizeof(idt) - 1, (unsigned long)idt };

	static gate_desc other[1];

	if (c->xen)	/* Xen holds some other IDT */
		xen_load_idt(&(struct desc_ptr){ sizeof(other) - 1, (unsigned long)other });
	write_idt_entry(idt, 5, &g);
	want(c, gate_eq(&idt[5], &g), "the gate is written");
	if (!c->xen)
		return;
	want(c, HC(set_trap_table) == 1, "a gate of an IDT Xen does not hold stays the guest's");
	xen_load_idt(&d);
	write_idt_entry(idt, 6, &g);
	want(c, HC(set_trap_table) == 3 && xen_hv.traps[0].vector == 6 && xen_hv.ntraps == 1,
	     "a gate of the loaded IDT also goes to Xen's trap table");
}

static struct desc_struct ldt_page[8] __attribute__((aligned(64)));

PROBE(pv_cpu_ops, alloc_ldt)
{
	paravirt_alloc_ldt(ldt_page, 8);
	xen_want(c, HC(update_va_mapping) == 1 && xen_hv.va == ((unsigned long)ldt_page & ~4095UL) &&
		 xen_hv.va_pte == kernel_pte((unsigned long)ldt_page, 0), "an LDT's page turns read-only under Xen");
	if (c->xen) {
		/* Xen's ABI: the entry by value; given a pointer to it, the page is not mapped */
		u64 pte = kernel_pte((unsigned long)ldt_page, 0);

		xen_hypercall(__HYPERVISOR_update_va_mapping, (unsigned long)ldt_page & ~4095UL, (uintptr_t)&pte,
			      UVMF_INVLPG, 0);
		want(c, xen_hv.va_pte != pte && !(xen_hv.va_pte & _PAGE_PRESENT),
		     "update_va_mapping given a pointer to the entry does not map the page");
	}
}

PROBE(pv_cpu_ops, free_ldt)
{
	paravirt_free_ldt(ldt_page, 8);
	xen_want(c, HC(update_va_mapping) == 1 && xen_hv.va_pte == kernel_pte((unsigned long)ldt_page, 1),
		 "and writable again");
}

PROBE(pv_cpu_ops, load_sp0)
{
	struct tss_struct tss = { 0, 0 };
	struct thread_struct t = { .sp0 = 0xdead000 };

	load_sp0(&tss, &t);
	want(c, tss.sp0 == 0xdead000, "the TSS has the thread's kernel stack");
	xen_want(c, HC(stack_switch) == 1 && xen_hv.kernel_sp == 0xdead000, "Xen switches to it");
}

PROBE(pv_cpu_ops, set_iopl_mask)
{
	set_iopl_mask(0x3000);
	if (!c->xen) {
		want(c, !(flags() & X86_EFLAGS_IOPL), "in user mode the CPU keeps IOPL 0");
		return;
	}
	want(c, HC(physdev_op) == 1 && xen_hv.iopl == 3, "Xen sets IOPL 3");
	set_iopl_mask(0);
	want(c, xen_hv.iopl == 1, "IOPL 0 becomes 1 (the kernel's ring)");
}

/* Both backends need ring 0 here: the probe holds the op's site. */
PROBE_RING0(pv_cpu_ops, wbinvd)
{
	wbinvd();
	see(c, 0);
}

PROBE_RING0(pv_cpu_ops, io_delay)
{
	slow_down_io();
	want(c, hypercalls() == 0, "Xen needs no I/O delay");
	kvm_want(c, kvm_hv.hypercalls == 0, "KVM needs none either (KVM_FEATURE_NOP_IO_DELAY)");
}

/* Features Xen hides from a PV guest in leaf 1: APIC, ACPI, MCE, MCA, MTRR, ACC (edx);
 * MONITOR, x2APIC (ecx). */
#define HIDDEN_EDX ((1u << 9) | (1u << 22) | (1u << 7) | (1u << 14) | (1u << 12) | (1u << 29))
#define HIDDEN_ECX ((1u << 3) | (1u << 21))

PROBE(pv_cpu_ops, cpuid)
{
	for (u32 leaf = 0; leaf < 2; leaf++) {
		u32 a = leaf, b = 0, cx = 0, d = 0, ra, rb, rc, rd;

		__cpuid(&a, &b, &cx, &d);
		cpuid(leaf, &ra, &rb, &rc, &rd);
		if (c->xen && leaf == 1) {
			rd &= ~HIDDEN_EDX;
			rc &= ~HIDDEN_ECX;
		}
		/* leaf 1's ebx holds the APIC id of the cpu that ran it: the driver pins one */
		want(c, a == ra && b == rb && cx == rc && d == rd,
		     c->xen ? "Xen's cpuid is the machine's, less what a PV guest must not use" : "cpuid is the machine's");
		see(c, (u64)a << 32 | d);
	}
}

PROBE_RING0(pv_cpu_ops, read_msr_amd)
{
	int err;

	see(c, paravirt_read_msr_amd(0xc0010015, &err));
}

PROBE_RING0(pv_cpu_ops, read_msr)
{
	int err;

	see(c, paravirt_read_msr(0x1b, &err));
}

PROBE_RING0(pv_cpu_ops, write_msr)
{
#ifdef __x86_64__
	int r = paravirt_write_msr(0xc0000100, 0x1000, 0x7f);	/* MSR_FS_BASE */

	want(c, r == 0 && xen_hv.fs_base == 0x7f00001000 && HC(set_segment_base) == 1, "Xen sets the fs base");
#else
	int r = paravirt_write_msr(0x174, 0x60, 0);	/* MSR_IA32_SYSENTER_CS */

	want(c, r == 0 && hypercalls() == 0, "Xen sets up sysenter itself");
#endif
}

PROBE(pv_cpu_ops, read_tsc)
{
	u64 a = rdtsc(), t = paravirt_read_tsc(), b = rdtsc();

	want(c, a <= t && t <= b, "read_tsc reads the TSC");
}

PROBE_RING0(pv_cpu_ops, read_pmc)
{
	see(c, paravirt_read_pmc(0));
}

PROBE(pv_cpu_ops, read_tscp)
{
	u32 a, b, cx, d, lo, hi, aux = 0, mine;
	u64 t0, t;

	cpuid(0x80000001, &a, &b, &cx, &d);
	if (!(d & 1u << 27)) {
		want(c, 1, "");
		return;
	}
	t0 = rdtsc();
	t = paravirt_rdtscp(&aux);
	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(mine));
	want(c, t0 <= t && t <= ((u64)hi << 32 | lo) && aux == mine, "read_tscp reads the TSC and the cpu's aux");
	see(c, aux);
}

/* i386 has no swapgs: native's does nothing there */
#ifdef __x86_64__
PROBE_RING0(pv_cpu_ops, swapgs)
#else
PROBE(pv_cpu_ops, swapgs)
#endif
{
	paravirt_swapgs();
	want(c, hypercalls() == 0, "swapgs is nothing here");
}

/* Lazy cpu mode: under Xen, descriptor writes wait for leave and go in one multicall. */
PROBE(pv_cpu_ops, lazy_mode_enter)
{
	struct thread_struct t = tls_thread;

	clear_tls();
	arch_enter_lazy_cpu_mode();
	load_TLS(&t, 0);
	if (c->xen)
		want(c, HC(update_descriptor) == 0 && HC(multicall) == 0 && !tls_in_gdt(), "in lazy mode the writes wait");
	/* the kernel's mode is the backend's: Xen's enter records it; native's does nothing */
	want(c, paravirt_get_lazy_mode() == (c->xen ? PARAVIRT_LAZY_CPU : PARAVIRT_LAZY_NONE),
	     "paravirt_get_lazy_mode() says the mode the backend batches in");
	arch_leave_lazy_cpu_mode();
	want(c, paravirt_get_lazy_mode() == PARAVIRT_LAZY_NONE, "no lazy mode after leave");
	want(c, tls_in_gdt(), "the writes are done when lazy mode ends");
	xen_want(c, HC(multicall) == 1 && xen_hv.batched == 3, "in one multicall of three");
}
/* enter and leave: one probe, both sites */
PROBE_AS(pv_cpu_ops, lazy_mode_leave, p_pv_cpu_ops_lazy_mode_enter, 0);

/* ---- pv_irq_ops ---- */

PROBE_RING0(pv_irq_ops, init_IRQ)
{
	paravirt_init_IRQ();
	want(c, xen_shared_info.evtchn_mask[0] == ~0UL, "every event channel starts masked");
}

/* The flags user code can count on: IF, ID, IOPL and the reserved bit 1. */
#define STABLE_FLAGS (X86_EFLAGS_IF | X86_EFLAGS_ID | X86_EFLAGS_IOPL | 0x2)

PROBE(pv_irq_ops, save_fl)
{
	if (c->xen) {
		XV->evtchn_upcall_mask = 0;
		want(c, __raw_local_save_flags() == X86_EFLAGS_IF, "events unmasked: exactly IF");
		XV->evtchn_upcall_mask = 1;
		want(c, __raw_local_save_flags() == 0, "events masked: 0");
	} else {
		unsigned long f = __raw_local_save_flags(), b = flags();

		want(c, f & X86_EFLAGS_IF, "user mode runs with IF");
		want(c, !((f ^ b) & STABLE_FLAGS), "save_fl is pushf");
		see(c, f & STABLE_FLAGS);
	}
	want(c, hypercalls() == 0, "no hypercall");
}

PROBE(pv_irq_ops, restore_fl)
{
	if (!c->xen) {
		unsigned long f = flags(), with, without;

		raw_local_irq_restore(f | X86_EFLAGS_ID);
		with = flags();
		raw_local_irq_restore(f & ~(unsigned long)X86_EFLAGS_ID);
		without = flags();
		raw_local_irq_restore(f);
		want(c, (with & X86_EFLAGS_ID) && !(without & X86_EFLAGS_ID), "restore_fl is popf");
		return;
	}
	XV->evtchn_upcall_mask = 0;
	raw_local_irq_restore(0);
	want(c, XV->evtchn_upcall_mask == 1, "no IF masks events");
	raw_local_irq_restore(X86_EFLAGS_IF);
	want(c, XV->evtchn_upcall_mask == 0 && hypercalls() == 0, "IF unmasks them; none pending, no hypercall");
	XV->evtchn_upcall_mask = 1;
	XV->evtchn_upcall_pending = 1;
	raw_local_irq_restore(0);
	want(c, XV->evtchn_upcall_pending && hypercalls() == 0, "masked: the event waits");
	raw_local_irq_restore(X86_EFLAGS_IF);
	want(c, !XV->evtchn_upcall_mask && !XV->evtchn_upcall_pending &&
		HC(xen_version) == 1 && xen_hv.upcalls == 1, "unmasked with an event pending: one hypercall delivers it");
}

PROBE_RING0(pv_irq_ops, irq_disable)
{
	XV->evtchn_upcall_mask = 0;
	raw_local_irq_disable();
	want(c, XV->evtchn_upcall_mask == 1 && hypercalls() == 0, "irq_disable masks events");
}

PROBE_RING0(pv_irq_ops, irq_enable)
{
	XV->evtchn_upcall_mask = 1;
	raw_local_irq_enable();
	want(c, XV->evtchn_upcall_mask == 0 && hypercalls() == 0, "irq_enable unmasks; none pending, no hypercall");
	XV->evtchn_upcall_mask = 1;
	XV->evtchn_upcall_pending = 1;
	raw_local_irq_enable();
	want(c, !XV->evtchn_upcall_mask && !XV->evtchn_upcall_pending && HC(xen_version) == 1 &&
		xen_hv.upcalls == 1, "with an event pending: one hypercall delivers it");
}

PROBE_RING0(pv_irq_ops, safe_halt)
{
	XV->evtchn_upcall_mask = 1;
	raw_safe_halt();
	want(c, HC(sched_op) == 1 && !XV->evtchn_upcall_mask && xen_hv.upcalls == 1,
	     "the vcpu blocks with events on, and wakes on one");
}

PROBE_RING0(pv_irq_ops, halt)
{
	XV->evtchn_upcall_mask = 1;
	halt();
	want(c, HC(vcpu_op) == 1 && xen_hv.vcpu_down, "halting with events masked takes the vcpu down");
	XV->evtchn_upcall_mask = 0;
	halt();
	want(c, HC(sched_op) == 1, "with events on it blocks");
}

/* The spec's asm macros, with CLBR_NONE (macros.S) */
void m_irq_disable_none(void);
void m_irq_enable_none(void);

PROBE_RING0(DISABLE_INTERRUPTS, clbr_none)
{
	XV->evtchn_upcall_mask = 0;
	m_irq_disable_none();
	want(c, XV->evtchn_upcall_mask == 1, "DISABLE_INTERRUPTS masks events");
}

PROBE_RING0(ENABLE_INTERRUPTS, clbr_none)
{
	XV->evtchn_upcall_mask = 1;
	XV->evtchn_upcall_pending = 1;
	m_irq_enable_none();
	want(c, !XV->evtchn_upcall_mask && !XV->evtchn_upcall_pending && HC(xen_version) == 1,
	     "ENABLE_INTERRUPTS unmasks and delivers the pending event");
}

/* ---- pv_apic_ops: nothing to do on either ---- */

PROBE_RING0(pv_apic_ops, setup_boot_clock)
{
	setup_boot_clock();
	want(c, hypercalls() == 0, "nothing to do");
}

PROBE_RING0(pv_apic_ops, setup_secondary_clock)
{
	setup_secondary_clock();
	want(c, hypercalls() == 0, "nothing to do");
}

PROBE(pv_apic_ops, startup_ipi_hook)
{
	startup_ipi_hook(1, 0x9000, 0x8000);
	want(c, hypercalls() == 0, "nothing to do");
}

/* ---- pv_mmu_ops ---- */

static pgd_t pgd_page[512] __attribute__((aligned(4096)));

PROBE(pv_mmu_ops, pagetable_setup_start)
{
	paravirt_pagetable_setup_start(pgd_page);
	want(c, hypercalls() == 0, "nothing to do before the kernel's page tables exist");
	if (c->xen)
		want(c, xen_read_cr3() == (unsigned long)pgd_page, "Xen runs on the boot tables: read_cr3 gives them");
}

PROBE(pv_mmu_ops, pagetable_setup_done)
{
	paravirt_pagetable_setup_done(pgd_page);
	xen_want(c, xen_hv.mmuext[MMUEXT_PIN_PGD] == 1 && xen_hv.pinned == 1, "Xen pins the kernel's page tables");
}

PROBE_RING0(pv_mmu_ops, read_cr2)
{
	XV->arch.cr2 = 0xbad000;
	want(c, read_cr2() == 0xbad000, "the fault address is the one Xen stored in vcpu_info");
}

PROBE_RING0(pv_mmu_ops, write_cr2)
{
	write_cr2(0x1234);
	want(c, XV->arch.cr2 == 0x1234, "it goes to vcpu_info");
}

PROBE_RING0(pv_mmu_ops, read_cr3)
{
	xen_write_cr3(0x7000);
	want(c, read_cr3() == 0x7000, "read_cr3 gives what was loaded");
}

PROBE_RING0(pv_mmu_ops, write_cr3)
{
	write_cr3(0x5000);
	want(c, xen_hv.mmuext[MMUEXT_NEW_BASEPTR] == 1 && xen_hv.baseptr == 5 + XEN_MFN_OFFSET,
	     "Xen switches to the pgd's machine frame");
}

static int pin_expected(const struct probe_ctx *c, const struct mm_struct *mm, int pinned)
{
	/* a pinned pgd's page is read-only, an unpinned one's writable */
	return c->xen ? mm->pinned == pinned && xen_hv.pinned == (unsigned long)pinned &&
				xen_hv.va_pte == kernel_pte((unsigned long)mm->pgd, !pinned)
		      : hypercalls() == 0;
}

PROBE(pv_mmu_ops, activate_mm)
{
	struct mm_struct prev = { pgd_page, 1 }, next = { pgd_page, 0 };

	paravirt_activate_mm(&prev, &next);
	want(c, pin_expected(c, &next, 1), "Xen pins the next mm's page tables (native: nothing)");
}

PROBE(pv_mmu_ops, dup_mmap)
{
	struct mm_struct old = { pgd_page, 1 }, mm = { pgd_page, 0 };

	arch_dup_mmap(&old, &mm);
	want(c, pin_expected(c, &mm, 1), "Xen pins the copy's page tables (native: nothing)");
}

PROBE(pv_mmu_ops, exit_mmap)
{
	struct mm_struct mm = { pgd_page, 1 };

	xen_hv.pinned = c->xen;
	arch_exit_mmap(&mm);
	want(c, c->xen ? pin_expected(c, &mm, 0) && xen_hv.mmuext[MMUEXT_UNPIN_TABLE] == 1 : mm.pinned == 1,
	     "Xen unpins them (native: nothing)");
}

PROBE_RING0(pv_mmu_ops, flush_tlb_user)
{
	__flush_tlb();
	if (c->kvm)
		want(c, kvm_hv.mmu_op_calls == 1 && kvm_hv.nrec == 1 && kvm_record(0, KVM_MMU_OP_FLUSH_TLB, 0, 0, 1),
		     "KVM flushes the TLB: one KVM_HC_MMU_OP with one flush_tlb record");
	else
		want(c, xen_hv.mmuext[MMUEXT_TLB_FLUSH_LOCAL] == 1, "Xen flushes the TLB");
}

PROBE_RING0(pv_mmu_ops, flush_tlb_kernel)
{
	__flush_tlb_global();
	want(c, xen_hv.mmuext[MMUEXT_TLB_FLUSH_LOCAL] == 1, "Xen flushes the TLB");
}

PROBE_RING0(pv_mmu_ops, flush_tlb_single)
{
	__flush_tlb_single(0x7000);
	want(c, xen_hv.mmuext[MMUEXT_INVLPG_LOCAL] == 1 && xen_hv.invlpg == 0x7000, "Xen invalidates the page");
}

PROBE_RING0(pv_mmu_ops, flush_tlb_others)
{
	struct cpumask cpus = { { 6 } };
	struct mm_struct mm = { pgd_page, 1 };

	flush_tlb_others(&cpus, &mm, ~0UL);
	want(c, xen_hv.mmuext[MMUEXT_TLB_FLUSH_MULTI] == 1 && xen_hv.flushmask == 6, "Xen flushes the others' TLBs");
	flush_tlb_others(&cpus, &mm, 0x8000);
	want(c, xen_hv.mmuext[MMUEXT_INVLPG_MULTI] == 1 && xen_hv.invlpg == 0x8000, "or one page of them");
}

PROBE(pv_mmu_ops, pgd_alloc)
{
	struct mm_struct mm = { pgd_page, 1 };

	want(c, paravirt_pgd_alloc(&mm) == 0, "pgd_alloc succeeds");
	xen_want(c, !mm.pinned, "a new pgd is not pinned yet");
}

PROBE(pv_mmu_ops, pgd_free)
{
	struct mm_struct mm = { pgd_page, 1 };

	xen_hv.pinned = c->xen;
	paravirt_pgd_free(&mm, pgd_page);
	xen_want(c, !mm.pinned && xen_hv.mmuext[MMUEXT_UNPIN_TABLE] == 1, "Xen unpins a pgd still pinned");
}

/* A page-table page of a pinned mm: read-only and pinned at its level under Xen. */
static void want_table(struct probe_ctx *c, unsigned level, unsigned long pfn)
{
	xen_want(c, xen_hv.mmuext[level] == 1 && HC(update_va_mapping) == 1 && xen_hv.va == pfn << PAGE_SHIFT &&
		 xen_hv.va_pte == kernel_pte(pfn << PAGE_SHIFT, 0), "Xen makes the page read-only and pins it");
}

PROBE(pv_mmu_ops, alloc_pte)
{
	struct mm_struct mm = { pgd_page, 1 };

	paravirt_alloc_pte(&mm, 0x123);
	want_table(c, MMUEXT_PIN_L1_TABLE, 0x123);
	mm.pinned = 0;
	paravirt_alloc_pte(&mm, 0x124);
	want(c, hypercalls() == (c->xen ? 2u : 0u), "a table of an mm not pinned needs nothing");
}

PROBE(pv_mmu_ops, alloc_pmd)
{
	struct mm_struct mm = { pgd_page, 1 };

	paravirt_alloc_pmd(&mm, 0x125);
	want_table(c, MMUEXT_PIN_L2_TABLE, 0x125);
}

/* Four arguments: on i386 the fourth goes on the stack around the site. */
PROBE(pv_mmu_ops, alloc_pmd_clone)
{
	paravirt_alloc_pmd_clone(0x10, 0x20, 0, 4);
	want(c, hypercalls() == 0, "nothing to do");
}

PROBE(pv_mmu_ops, alloc_pud)
{
	struct mm_struct mm = { pgd_page, 1 };

	paravirt_alloc_pud(&mm, 0x126);
	want_table(c, MMUEXT_PIN_L3_TABLE, 0x126);
}

static void want_released(struct probe_ctx *c, unsigned long pfn)
{
	xen_want(c, xen_hv.mmuext[MMUEXT_UNPIN_TABLE] == 1 && xen_hv.va == pfn << PAGE_SHIFT &&
		 xen_hv.va_pte == kernel_pte(pfn << PAGE_SHIFT, 1), "Xen unpins the page and makes it writable");
	kvm_want(c, kvm_hv.mmu_op_calls == 1 && kvm_hv.nrec == 1 &&
			    kvm_record(0, KVM_MMU_OP_RELEASE_PT, (u64)pfn << PAGE_SHIFT, 0, 1),
		 "KVM stops shadowing the page: one release_pt record of its address");
}

PROBE(pv_mmu_ops, release_pte)
{
	paravirt_release_pte(0x123);
	want_released(c, 0x123);
}

PROBE(pv_mmu_ops, release_pmd)
{
	paravirt_release_pmd(0x125);
	want_released(c, 0x125);
}

PROBE(pv_mmu_ops, release_pud)
{
	paravirt_release_pud(0x126);
	want_released(c, 0x126);
}

/* An entry written: the value is there; under Xen through one mmu_update. */
static void want_entry(struct probe_ctx *c, const void *entry, u64 got, u64 value)
{
	want(c, got == value, "the entry holds the value");
	xen_want(c, HC(mmu_update) == 1 && xen_hv.pt_updates == 1, "Xen writes it with mmu_update");
	kvm_want(c, kvm_hv.hypercalls == 1 && kvm_hv.nrec == 1 && kvm_record(0, KVM_MMU_OP_WRITE_PTE, addr(entry), value, 1),
		 "KVM writes it: one KVM_HC_MMU_OP with one write_pte record of the entry's address and value");
	see(c, got);
}

PROBE(pv_mmu_ops, set_pte)
{
	pte_t p = { 0 };

	set_pte(&p, (pte_t){ PTE_V });
	want_entry(c, &p, p.pte, PTE_V);
	if (c->xen) {
		/* Xen's ABI: the entry's machine address; a guest pointer is refused */
		struct mmu_update old = { (uintptr_t)&p, 0x1067 };

		want(c, xen_hypercall(__HYPERVISOR_mmu_update, (unsigned long)&old, 1, 0, DOMID_SELF) == -22 &&
				p.pte == PTE_V,
		     "mmu_update refuses a guest pointer for the entry's machine address");
	}
}

PROBE(pv_mmu_ops, set_pte_at)
{
	struct mm_struct mm = { pgd_page, 0 };
	pte_t p = { 0 };

	set_pte_at(&mm, 0x400000, &p, (pte_t){ PTE_V });
	want_entry(c, &p, p.pte, PTE_V);
}

PROBE(pv_mmu_ops, set_pmd)
{
	pmd_t p = { 0 };

	set_pmd(&p, (pmd_t){ PTE_V });
	want_entry(c, &p, p.pmd, PTE_V);
}

PROBE(pv_mmu_ops, set_pud)
{
	pud_t p = { 0 };

	set_pud(&p, (pud_t){ PTE_V });
	want_entry(c, &p, p.pud, PTE_V);
}

PROBE(pv_mmu_ops, pte_update)
{
	struct mm_struct mm = { pgd_page, 0 };
	pte_t p = { PTE_V };

	pte_update(&mm, 0x400000, &p);
	want(c, p.pte == PTE_V && hypercalls() == 0, "nothing to do");
}

PROBE(pv_mmu_ops, pte_update_defer)
{
	struct mm_struct mm = { pgd_page, 0 };
	pte_t p = { PTE_V };

	pte_update_defer(&mm, 0x400000, &p);
	want(c, p.pte == PTE_V && hypercalls() == 0, "nothing to do");
}

PROBE(pv_mmu_ops, ptep_modify_prot_start)
{
	struct mm_struct mm = { pgd_page, 0 };
	pte_t p = { PTE_V }, old = ptep_modify_prot_start(&mm, 0x400000, &p);

	want(c, old.pte == PTE_V, "it gives the entry");
	want(c, p.pte == (c->xen ? PTE_V : 0), "natively cleared meanwhile; Xen keeps it (commit keeps A and D)");
}

PROBE(pv_mmu_ops, ptep_modify_prot_commit)
{
	struct mm_struct mm = { pgd_page, 0 };
	pte_t p = { 0x1063 };	/* accessed and dirty */

	ptep_modify_prot_commit(&mm, 0x400000, &p, (pte_t){ 0x2003 });
	want(c, p.pte == (c->xen ? 0x2063ULL : 0x2003ULL), "natively the new entry; Xen keeps A and D the CPU set");
	xen_want(c, HC(mmu_update) == 1, "through mmu_update");
}

/* Identity natively; Xen translates present entries' frames, both ways. */
#define VALUE_PROBES(type, field, val, make_op, make)                                            \
	PROBE(pv_mmu_ops, val)                                                                   \
	{                                                                                        \
		type e = { mach(c, PTE_V) }, n = { PTE_NOT_PRESENT };                             \
		want(c, val(e) == PTE_V && val(n) == PTE_NOT_PRESENT, #val " gives the kernel's value"); \
		see(c, val(e));                                                                  \
	}                                                                                        \
	PROBE(pv_mmu_ops, make_op)                                                               \
	{                                                                                        \
		want(c, make(PTE_V).field == mach(c, PTE_V) && make(PTE_NOT_PRESENT).field == PTE_NOT_PRESENT, \
		     #make " makes the backend's entry");                                        \
		see(c, make(PTE_V).field);                                                       \
	}
VALUE_PROBES(pte_t, pte, pte_val, make_pte, __pte)
VALUE_PROBES(pgd_t, pgd, pgd_val, make_pgd, __pgd)
VALUE_PROBES(pmd_t, pmd, pmd_val, make_pmd, __pmd)
#ifdef __x86_64__
VALUE_PROBES(pud_t, pud, pud_val, make_pud, __pud)

PROBE(pv_mmu_ops, set_pgd)
{
	pgd_t p = { 0 };

	set_pgd(&p, (pgd_t){ PTE_V });
	want_entry(c, &p, p.pgd, PTE_V);
}
#else
PROBE(pv_mmu_ops, set_pte_atomic)
{
	pte_t p = { 0 };

	set_pte_atomic(&p, (pte_t){ PTE_V });
	want_entry(c, &p, p.pte, PTE_V);
}

PROBE(pv_mmu_ops, pte_clear)
{
	struct mm_struct mm = { pgd_page, 0 };
	pte_t p = { PTE_V };

	pte_clear(&mm, 0x400000, &p);
	want_entry(c, &p, p.pte, 0);
}

PROBE(pv_mmu_ops, pmd_clear)
{
	pmd_t p = { PTE_V };

	pmd_clear(&p);
	want_entry(c, &p, p.pmd, 0);
}
#endif

/* Lazy MMU mode: under Xen, entry writes wait for leave and go in one multicall. */
PROBE(pv_mmu_ops, lazy_mode_enter)
{
	pte_t a = { 0 }, b = { 0 };

	arch_enter_lazy_mmu_mode();
	set_pte(&a, (pte_t){ PTE_V });
	set_pte(&b, (pte_t){ PTE_V + 0x1000 });
	if (c->xen)
		want(c, HC(mmu_update) == 0 && HC(multicall) == 0 && a.pte == 0, "in lazy mode the writes wait");
	if (c->kvm)
		want(c, kvm_hv.hypercalls == 0 && a.pte == 0 && kvm_mmu_queue_len() == 2 * sizeof(struct kvm_mmu_op_write_pte),
		     "in lazy mode the writes wait in the queue");
	/* the kernel's mode is the backend's (native's enter does nothing), so generic code's
	 * flush reaches the batch and stays in the mode */
	enum paravirt_lazy_mode mode = c->xen || c->kvm ? PARAVIRT_LAZY_MMU : PARAVIRT_LAZY_NONE;
	want(c, paravirt_get_lazy_mode() == mode, "paravirt_get_lazy_mode() says the mode the backend batches in");
	arch_flush_lazy_mmu_mode();
	want(c, a.pte == PTE_V && b.pte == PTE_V + 0x1000 && paravirt_get_lazy_mode() == mode,
	     "arch_flush_lazy_mmu_mode() does the waiting writes, and the mode goes on");
	arch_leave_lazy_mmu_mode();
	want(c, a.pte == PTE_V && b.pte == PTE_V + 0x1000 && paravirt_get_lazy_mode() == PARAVIRT_LAZY_NONE,
	     "they are done when lazy mode ends, and no mode is left");
	xen_want(c, HC(multicall) == 1 && xen_hv.batched == 2, "in one multicall of two");
	kvm_want(c, kvm_hv.hypercalls == 1 && kvm_hv.nrec == 2 && kvm_record(0, KVM_MMU_OP_WRITE_PTE, addr(&a), PTE_V, 1) &&
			    kvm_record(1, KVM_MMU_OP_WRITE_PTE, addr(&b), PTE_V + 0x1000, 1) && kvm_mmu_queue_len() == 0,
		 "in one KVM_HC_MMU_OP of two write_pte records, in order");
	if (c->kvm) {	/* a batch bigger than KVM takes at once: as many calls as it needs */
		static pte_t many[30];
		unsigned n = sizeof(many) / sizeof(many[0]), per = KVM_HV_MMU_CHUNK / sizeof(struct kvm_mmu_op_write_pte), ok = 1;

		kvm_hv_zero_counts();
		arch_enter_lazy_mmu_mode();
		__flush_tlb();
		for (unsigned i = 0; i < n; i++)
			set_pte(&many[i], (pte_t){ PTE_V + ((u64)i << PAGE_SHIFT) });
		arch_leave_lazy_mmu_mode();
		for (unsigned i = 0; i < n; i++)
			ok &= many[i].pte == PTE_V + ((u64)i << PAGE_SHIFT) &&
			      kvm_record(i + 1, KVM_MMU_OP_WRITE_PTE, addr(&many[i]), many[i].pte, i + 1 <= per ? 1 : 2);
		want(c, ok && kvm_record(0, KVM_MMU_OP_FLUSH_TLB, 0, 0, 1) && kvm_hv.nrec == n + 1 && kvm_hv.mmu_op_calls == 2,
		     "a flush and 30 writes queued: KVM takes them in two calls, whole records, in order");
		for (unsigned i = 0; i < n; i++)
			many[i].pte = 0;
	}
}
/* enter and leave: one probe, both sites */
PROBE_AS(pv_mmu_ops, lazy_mode_leave, p_pv_mmu_ops_lazy_mode_enter, 0);

#ifdef __i386__
PROBE(pv_mmu_ops, kmap_atomic_pte)
{
	static u64 ptes[512] __attribute__((aligned(4096)));
	struct page pg = { ptes, 1 };
	u64 pte = ((uintptr_t)ptes & PTE_PFN_MASK) | (c->xen ? PAGE_KERNEL_RO : PAGE_KERNEL);

	want(c, kmap_atomic_pte(&pg, KM_PTE1) == ptes, "the page is reached at its address");
	want(c, fixmap_ptes[FIX_KMAP_BEGIN + KM_PTE1].pte == mach(c, pte),
	     "its kmap slot maps it, writable natively, read-only under Xen (pinned)");
	xen_want(c, HC(mmu_update) == 1, "Xen writes the slot with mmu_update");
}
#endif

PROBE(pv_mmu_ops, set_fixmap)
{
	__set_fixmap(3, 0x5000, (pgprot_t){ 0x63 });
	want(c, fixmap_ptes[3].pte == mach(c, 0x5063), "the fixmap entry maps the page");
	xen_want(c, HC(mmu_update) == 1, "Xen writes it with mmu_update");
}

/* ---- pv_lock_ops (Xen: native's) ---- */

static struct raw_spinlock lock;

PROBE(pv_lock_ops, spin_is_locked)
{
	lock.slock = 0;
	want(c, !__raw_spin_is_locked(&lock), "a new lock is free");
	native_spin_lock(&lock);
	want(c, __raw_spin_is_locked(&lock), "a taken lock is locked");
	native_spin_unlock(&lock);
}

PROBE(pv_lock_ops, spin_is_contended)
{
	lock.slock = 1u << 16;	/* held */
	want(c, !__raw_spin_is_contended(&lock), "held, nobody waiting");
	lock.slock = 2u << 16;	/* held, one waiting */
	want(c, __raw_spin_is_contended(&lock), "held, one waiting");
}

PROBE(pv_lock_ops, spin_lock)
{
	lock.slock = 0;
	__raw_spin_lock(&lock);
	want(c, lock.head == 0 && lock.tail == 1, "the lock takes ticket 0, served at once");
	native_spin_unlock(&lock);
}

PROBE(pv_lock_ops, spin_lock_flags)
{
	lock.slock = 0x00050005;
	__raw_spin_lock_flags(&lock, X86_EFLAGS_IF);
	want(c, lock.head == 5 && lock.tail == 6, "the lock takes ticket 5, served at once");
}

PROBE(pv_lock_ops, spin_trylock)
{
	lock.slock = 0;
	want(c, __raw_spin_trylock(&lock) && lock.tail == 1, "a free lock is taken");
	want(c, !__raw_spin_trylock(&lock) && lock.tail == 1, "a held one is not");
}

PROBE(pv_lock_ops, spin_unlock)
{
	lock.slock = 0x0000ffff;	/* ticket 0xffff served, tail wrapped: the carry must not reach it */
	__raw_spin_unlock(&lock);
	want(c, lock.head == 0 && lock.tail == 0, "the next ticket is served, wrapping within 16 bits");
}

/* ---- jump ops: their sites, never run (they leave) ---- */

#define JUMP_SITE(name, wrapper) \
	static __attribute__((used)) void j_##name(void) { wrapper(); }
JUMP_SITE(irq_enable_sysexit, paravirt_irq_enable_sysexit)
JUMP_SITE(iret, paravirt_iret)
JUMP_SITE(usergs_sysret64, paravirt_usergs_sysret64)
JUMP_SITE(usergs_sysret32, paravirt_usergs_sysret32)

/* Every op of the generated list, with its probe or none, then the asm macros' sites. */
#define PROBE_OF(op, table, member) { #table "." #member, 0, &probe_##op },
const struct probe probes[] = {
	PARAVIRT_OPS(PROBE_OF)
	{ "pv_irq_ops.irq_disable", "DISABLE_INTERRUPTS(CLBR_NONE)", &probe_DISABLE_INTERRUPTS_clbr_none },
	{ "pv_irq_ops.irq_enable", "ENABLE_INTERRUPTS(CLBR_NONE)", &probe_ENABLE_INTERRUPTS_clbr_none },
#ifdef __x86_64__
	{ "pv_irq_ops.adjust_exception_frame", "PARAVIRT_ADJUST_EXCEPTION_FRAME", &probe_PARAVIRT_ADJUST_EXCEPTION_FRAME_site },
#endif
};
const unsigned nprobes = sizeof(probes) / sizeof(probes[0]);
