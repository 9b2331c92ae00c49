/* The Xen x86 backend's implementations (those the spec gives no code for; the direct irq ops
 * are generated in paravirt_insns.S), after what Linux 2.6.30's Xen guest does, on the
 * hypervisor of xen.h. Built as kernel code: no libc. */
#include "host.h"
#include "patch.h"
#include "xen.h"

/* ---- batching: in a lazy mode, the hypercalls of that mode wait in a multicall ---- */

/* The mode is the kernel's own, per cpu (paravirt_get_lazy_mode): Xen's lazy_mode ops enter
 * and leave it, so generic code (arch_flush_lazy_*_mode) sees the batching Xen does. */
#define MC_MAX 32
static struct multicall_entry mc_calls[MC_MAX];
static unsigned mc_n;
/* The argument blocks of the batched calls: they must outlive their callers' frames. */
static union mc_arg {
	struct mmu_update mu;
	struct mmuext_op ext[2];
} mc_args[MC_MAX];

static void mc_flush(void)
{
	if (mc_n)
		xen_hypercall(__HYPERVISOR_multicall, (unsigned long)mc_calls, mc_n, 0, 0);
	mc_n = 0;
}

/* The argument block for the next call. */
static union mc_arg *mc_arg(void)
{
	if (mc_n == MC_MAX)
		mc_flush();
	return &mc_args[mc_n];
}

/* Make a call: now, or batched while in lazy mode `mode` (PARAVIRT_LAZY_NONE: never batched). */
static void mc_issue(enum paravirt_lazy_mode mode, unsigned op, unsigned long a1, unsigned long a2, unsigned long a3,
		     unsigned long a4)
{
	if (mode == PARAVIRT_LAZY_NONE || paravirt_get_lazy_mode() != mode) {
		xen_hypercall(op, a1, a2, a3, a4);
		return;
	}
	if (mc_n == MC_MAX)
		mc_flush();
	mc_calls[mc_n++] = (struct multicall_entry){ .op = op, .args = { a1, a2, a3, a4 } };
}

/* mmuext_op and mmu_update name whose pages they change: DOMID_SELF (the real Xen 4.17
 * refuses a domain naming itself by its id). */
static void mmuext(enum paravirt_lazy_mode mode, unsigned cmd, unsigned long arg1, unsigned long arg2)
{
	union mc_arg *a = mc_arg();

	a->ext[0] = (struct mmuext_op){ .cmd = cmd, .arg1.linear_addr = arg1, .arg2.nr_ents = (unsigned)arg2 };
	mc_issue(mode, __HYPERVISOR_mmuext_op, (unsigned long)a->ext, 1, 0, DOMID_SELF);
}

/* ---- frames: pseudo-physical to machine and back, as the platform translates them ---- */

static u64 pfn_to_mfn(u64 pfn)
{
	return xen_pfn_to_mfn(pfn);
}

u64 xen_machine_addr(const void *p)
{
	uintptr_t va = (uintptr_t)p;

	return pfn_to_mfn(va >> PAGE_SHIFT) << PAGE_SHIFT | (va & 4095);
}

/* A present entry's frame, translated one way or the other; the flags stay. */
static u64 pte_frames(u64 v, int to_machine)
{
	u64 pfn = (v & PTE_PFN_MASK) >> PAGE_SHIFT;

	if (!(v & _PAGE_PRESENT))
		return v;
	pfn = to_machine ? pfn_to_mfn(pfn) : xen_mfn_to_pfn(pfn);
	return (v & ~PTE_PFN_MASK) | (pfn << PAGE_SHIFT & PTE_PFN_MASK);
}

/* Page-table entries live in read-only pages under Xen: every write is an mmu_update of the
 * entry's machine address (its low bits say how) with a machine entry. */
static void pt_write(u64 *entry, u64 val, unsigned how)
{
	union mc_arg *a = mc_arg();

	a->mu = (struct mmu_update){ xen_machine_addr(entry) | how, val };
	mc_issue(PARAVIRT_LAZY_MMU, __HYPERVISOR_mmu_update, (unsigned long)&a->mu, 1, 0, DOMID_SELF);
}

/* ---- the calls with 64-bit arguments: one register each on x86_64, two on i386 ---- */

/* Put a 64-bit argument in a call's words at w (on i386 the low word first); the next word. */
static unsigned long *put_arg64(unsigned long *w, u64 v)
{
#ifdef __x86_64__
	*w++ = v;
#else
	*w++ = (u32)v;
	*w++ = (u32)(v >> 32);
#endif
	return w;
}

long xen_update_va_mapping(unsigned long va, u64 pte, unsigned long flags)
{
	unsigned long w[4] = { va };

	*put_arg64(w + 1, pte) = flags;
	return xen_hypercall(__HYPERVISOR_update_va_mapping, w[0], w[1], w[2], w[3]);
}

long xen_set_timer_op(u64 deadline)
{
	unsigned long w[4] = { 0 };

	put_arg64(w, deadline);
	return xen_hypercall(__HYPERVISOR_set_timer_op, w[0], w[1], w[2], w[3]);
}

/* update_descriptor(machine address of the descriptor, the descriptor) */
static void write_desc(void *where, u64 desc)
{
	unsigned long w[4] = { 0 };

	put_arg64(put_arg64(w, xen_machine_addr(where)), desc);
	mc_issue(PARAVIRT_LAZY_CPU, __HYPERVISOR_update_descriptor, w[0], w[1], w[2], w[3]);
}

/* Mark a page of the kernel's (identity-mapped) memory read-only or writable again. */
static void set_page_rw(unsigned long va, int writable)
{
	u64 pte = pfn_to_mfn(va >> PAGE_SHIFT) << PAGE_SHIFT | _PAGE_PRESENT | (writable ? _PAGE_RW : 0);

	xen_update_va_mapping(va & ~4095UL, pte, UVMF_INVLPG);
}

/* ---- boot ---- */

/* The backend the sites are patched for: the direct irq sequences only once every cpu's
 * vcpu_info is placed (xen_setup_vcpu_info_placement). */
static const struct paravirt_backend *xen_running = &xen_backend;

unsigned int xen_patch(u8 type, u16 clobber, void *insnbuf, unsigned long addr, unsigned int len)
{
	return pv_patch_op(xen_running, type, clobber, insnbuf, addr, len);
}

static void register_callback(unsigned type, void (*fn)(void))
{
	struct callback_register cb = { (u16)type, (unsigned long)fn };

	xen_hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register, (unsigned long)&cb, 0, 0);
}

void xen_consume_events(struct vcpu_info *v)
{
	v->evtchn_upcall_pending = 0;
	for (unsigned long sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST); sel; sel &= sel - 1) {
		unsigned w = (unsigned)__builtin_ctzl(sel);

		__atomic_and_fetch(&xen_shared_info.evtchn_pending[w], xen_shared_info.evtchn_mask[w],
				   __ATOMIC_SEQ_CST);
	}
}

/* The event callback's work (entry.S's xen_hypervisor_callback, entered with events masked;
 * its iret turns them on again): this kernel binds no channel, so what is pending is consumed. */
void xen_evtchn_upcall(void)
{
	xen_consume_events(percpu_read(xen_vcpu));
}

void xen_arch_setup(void)
{
	xen_hypercall(__HYPERVISOR_vm_assist, VMASST_CMD_enable, VMASST_TYPE_writable_pagetables, 0, 0);
	register_callback(CALLBACKTYPE_event, xen_hypervisor_callback);
	register_callback(CALLBACKTYPE_failsafe, xen_iret);
#ifdef __x86_64__
	register_callback(CALLBACKTYPE_syscall, xen_sysret64);
#endif
}

char *xen_memory_setup(void)
{
	struct e820entry e;
	struct xen_memory_map map = { 1, &e };

	if (xen_hypercall(__HYPERVISOR_memory_op, XENMEM_memory_map, (unsigned long)&map, 0, 0) == 0)
		rt_log("Xen: %lu kB RAM", (unsigned long)(e.size >> 10));
	return "Xen";
}

/* The boot page tables become pinned: from now on Xen validates every change to them. */
static pgd_t boot_pgd[4] __attribute__((aligned(32)));

void xen_post_allocator_init(void)
{
	mmuext(PARAVIRT_LAZY_NONE, MMUEXT_PIN_PGD, pfn_to_mfn((uintptr_t)boot_pgd >> PAGE_SHIFT), 0);
}

void xen_banner(void)
{
	long v = xen_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);

	rt_log("Booting paravirtualized kernel on %s", pv_info.name);
	rt_log("Xen version: %ld.%ld", v >> 16, v & 0xffff);
}

/* ---- time: Xen's per-vcpu time info, read under its version as a seqlock ---- */

/* (delta << shift) * mul >> 32, in 32-bit pieces (no 128-bit product on i386) */
static u64 scale_delta(u64 delta, u32 mul, int shift)
{
	delta = shift < 0 ? delta >> -shift : delta << shift;
	return (delta >> 32) * mul + ((delta & 0xffffffffu) * mul >> 32);
}

static u64 clock_ns(void)
{
	const volatile struct vcpu_time_info *t = &percpu_read(xen_vcpu)->time;
	u32 version;
	u64 ns;

	do {
		version = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		ns = t->system_time + scale_delta(rdtsc() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != t->version);
	return ns;
}

#define NS_PER_TICK 4000000	/* HZ 250 */

/* Xen's periodic tick is replaced by the one-shot timer the clock events program. */
void xen_time_init(void)
{
	u64 next = clock_ns() + NS_PER_TICK;

	xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0, 0);
	xen_set_timer_op(next);
}

unsigned long xen_get_wallclock(void)
{
	return xen_shared_info.wc_sec +
	       (unsigned long)div_u64(xen_shared_info.wc_nsec + clock_ns(), 1000000000);
}

/* Setting the machine's clock is the control domain's, through the platform hypercall. */
int xen_set_wallclock(unsigned long now)
{
	struct xen_platform_settime op = { XENPF_settime, (u32)now, 0, clock_ns() };

	return (int)xen_hypercall(__HYPERVISOR_platform_op, (unsigned long)&op, 0, 0, 0);
}

unsigned long long xen_sched_clock(void)
{
	return clock_ns();
}

/* The TSC's rate, from the scale Xen publishes: kHz = 10^6 * 2^32 / mul, then the shift. */
unsigned long xen_get_tsc_khz(void)
{
	const struct vcpu_time_info *t = &percpu_read(xen_vcpu)->time;
	u64 khz = div_u64(1000000ULL << 32, t->tsc_to_system_mul);

	return (unsigned long)(t->tsc_shift < 0 ? khz << -t->tsc_shift : khz >> t->tsc_shift);
}

/* ---- cpu state: what a PV guest may not do itself, it asks Xen for ---- */

unsigned long xen_get_debugreg(int regno)
{
	return (unsigned long)xen_hypercall(__HYPERVISOR_get_debugreg, (unsigned long)regno, 0, 0, 0);
}

void xen_set_debugreg(int regno, unsigned long value)
{
	xen_hypercall(__HYPERVISOR_set_debugreg, (unsigned long)regno, value, 0, 0);
}

void xen_clts(void)
{
	mc_issue(PARAVIRT_LAZY_CPU, __HYPERVISOR_fpu_taskswitch, 0, 0, 0, 0);
}

/* Of cr0 only TS is the guest's to change. */
void xen_write_cr0(unsigned long value)
{
	mc_issue(PARAVIRT_LAZY_CPU, __HYPERVISOR_fpu_taskswitch, (value & X86_CR0_TS) != 0, 0, 0, 0);
}

/* Global pages and large pages are Xen's: the guest may not turn them on. */
void xen_write_cr4(unsigned long value)
{
	xen_emulate_write_cr4(value & ~(unsigned long)(X86_CR4_PGE | X86_CR4_PSE));
}

void xen_load_gdt(const struct desc_ptr *dtr)
{
	unsigned long mfn = (unsigned long)pfn_to_mfn(dtr->address >> PAGE_SHIFT);

	set_page_rw(dtr->address, 0);	/* Xen checks the descriptors once and keeps them */
	xen_hypercall(__HYPERVISOR_set_gdt, (unsigned long)&mfn, (dtr->size + 1u) / 8, 0, 0);
}

/* A gate's handler address, selector and privilege, as the trap table says them. */
static int gate_trap(const gate_desc *g, unsigned vector, struct trap_info *t)
{
	const u32 *w = g->w;

	if (!(w[1] & 0x8000))	/* not present */
		return 0;
	t->vector = (u8)vector;
	t->flags = (u8)(w[1] >> 13 & 3);
	t->cs = (u16)(w[0] >> 16);
	t->address = (w[1] & 0xffff0000u) | (w[0] & 0xffff);
#ifdef __x86_64__
	t->address |= (unsigned long)w[2] << 32;
#endif
	return 1;
}

static unsigned long loaded_idt;	/* the IDT whose gates Xen's trap table holds */

void xen_load_idt(const struct desc_ptr *dtr)
{
	static struct trap_info traps[IDT_ENTRIES + 1];
	const gate_desc *idt = (const gate_desc *)dtr->address;
	unsigned n = 0;

	for (unsigned v = 0; v < (dtr->size + 1u) / sizeof(gate_desc) && v < IDT_ENTRIES; v++)
		n += gate_trap(&idt[v], v, &traps[n]);
	traps[n].address = 0;
	loaded_idt = dtr->address;
	xen_hypercall(__HYPERVISOR_set_trap_table, (unsigned long)traps, 0, 0, 0);
}

void xen_set_ldt(const void *desc, unsigned int entries)
{
	mmuext(PARAVIRT_LAZY_CPU, MMUEXT_SET_LDT, (unsigned long)desc, entries);
}

void xen_load_tls(struct thread_struct *t, unsigned int cpu)
{
	(void)cpu;	/* one cpu, one GDT */
	for (unsigned i = 0; i < TLS_ENTRIES; i++)
		write_desc(&cpu_gdt[GDT_ENTRY_TLS_MIN + i],
			   (u64)t->tls_array[i].b << 32 | t->tls_array[i].a);
}

#ifdef __x86_64__
void xen_load_gs_index(unsigned int idx)
{
	xen_hypercall(__HYPERVISOR_set_segment_base, SEGBASE_GS_USER_SEL, idx, 0, 0);
}
#endif

void xen_write_ldt_entry(struct desc_struct *ldt, int entrynum, const void *desc)
{
	const struct desc_struct *d = desc;

	write_desc(&ldt[entrynum], (u64)d->b << 32 | d->a);
}

/* 16-byte system descriptors (TSS, LDT) are Xen's own to set up: only segments are written. */
void xen_write_gdt_entry(struct desc_struct *gdt, int entrynum, const void *desc, int size)
{
	const struct desc_struct *d = desc;

	if (size == 8)
		write_desc(&gdt[entrynum], (u64)d->b << 32 | d->a);
}

/* The IDT is ordinary memory; a gate of the loaded one also goes to Xen's trap table. */
void xen_write_idt_entry(gate_desc *idt, int entrynum, const gate_desc *gate)
{
	struct trap_info t[2] = { { 0 } };

	idt[entrynum] = *gate;
	if ((unsigned long)idt == loaded_idt && gate_trap(gate, (unsigned)entrynum, &t[0]))
		xen_hypercall(__HYPERVISOR_set_trap_table, (unsigned long)t, 0, 0, 0);
}

/* An LDT's pages are read-only while they are one, as Xen requires of descriptor pages. */
static void ldt_pages(struct desc_struct *ldt, unsigned entries, int writable)
{
	unsigned long va = (unsigned long)ldt & ~4095UL, end = (unsigned long)(ldt + entries);

	for (; va < end; va += 4096)
		set_page_rw(va, writable);
}

void xen_alloc_ldt(struct desc_struct *ldt, unsigned int entries)
{
	ldt_pages(ldt, entries, 0);
}

void xen_free_ldt(struct desc_struct *ldt, unsigned int entries)
{
	ldt_pages(ldt, entries, 1);
}

void xen_load_sp0(struct tss_struct *tss, struct thread_struct *t)
{
	mc_issue(PARAVIRT_LAZY_CPU, __HYPERVISOR_stack_switch, XEN_KERNEL_DS, t->sp0, 0, 0);
	tss->sp0 = t->sp0;
}

/* The kernel runs in ring 1 (i386) or 3 under Xen: IOPL 0 would lock it out of its ports. */
void xen_set_iopl_mask(unsigned int mask)
{
	struct physdev_set_iopl io = { mask ? (mask >> 12) & 3 : 1 };

	xen_hypercall(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, (unsigned long)&io, 0, 0);
}

/* Xen emulates the I/O ports: there is no ISA bus to wait for. */
void xen_io_delay(void)
{
}

/* The machine's cpuid, less what a PV guest must not use: the local APIC, ACPI, machine
 * checks, MTRRs and thermal control (Xen's), monitor/mwait and the x2APIC. */
#define LEAF1_EDX_HIDDEN ((1u << 9) | (1u << 7) | (1u << 14) | (1u << 12) | (1u << 22) | (1u << 29))
#define LEAF1_ECX_HIDDEN ((1u << 3) | (1u << 21))
void xen_cpuid(unsigned int *eax, unsigned int *ebx, unsigned int *ecx, unsigned int *edx)
{
	unsigned leaf = *eax;

	asm volatile("cpuid" : "+a"(*eax), "=b"(*ebx), "+c"(*ecx), "=d"(*edx));
	if (leaf == 1) {
		*edx &= ~LEAF1_EDX_HIDDEN;
		*ecx &= ~LEAF1_ECX_HIDDEN;
	}
}

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176

int xen_write_msr_safe(unsigned int msr, unsigned int low, unsigned int high)
{
	switch (msr) {
#ifdef __x86_64__
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE: {
		static const unsigned which[] = { SEGBASE_FS, SEGBASE_GS_KERNEL, SEGBASE_GS_USER };

		return xen_hypercall(__HYPERVISOR_set_segment_base, which[msr - MSR_FS_BASE],
				     (unsigned long)high << 32 | low, 0, 0) ? -5 : 0;	/* -EIO */
	}
#endif
	/* the fast system call entries are Xen's, set up by callback registration */
	case MSR_STAR:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_SYSCALL_MASK:
	case MSR_IA32_SYSENTER_CS:
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		return 0;
	}
	return native_write_msr(msr, low, high);
}

void xen_enter_lazy_cpu(void)
{
	paravirt_enter_lazy_cpu();
}

void xen_leave_lazy_cpu(void)
{
	mc_flush();
	paravirt_leave_lazy_cpu();
}

/* ---- interrupts ---- */

DEFINE_PER_CPU(struct vcpu_info, xen_vcpu_info);
DEFINE_PER_CPU(struct vcpu_info *, xen_vcpu);

/* Each cpu's vcpu_info starts as shared_info's; it moves into the cpu's per-cpu area if Xen
 * lets it (Xen 3.4 on). Only the vcpus the domain has are placed (VCPUOP_is_up fails for one
 * it has not: those cpus never run). From the first cpu refused on, none tries: the direct
 * sequences need every running cpu's placed. */
const struct paravirt_backend *xen_setup_vcpu_info_placement(void)
{
	int placed = 1;

	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		struct vcpu_info *v = &per_cpu(xen_vcpu_info, cpu);
		struct vcpu_register_vcpu_info info = { pfn_to_mfn((uintptr_t)v >> PAGE_SHIFT),
							(u32)((uintptr_t)v & 4095), 0 };

		per_cpu(xen_vcpu, cpu) = &xen_shared_info.vcpu_info[cpu];
		if (xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_is_up, cpu, 0, 0) < 0)
			continue;
		if (placed && xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, cpu,
					    (unsigned long)&info, 0) == 0)
			per_cpu(xen_vcpu, cpu) = v;
		else
			placed = 0;
	}
	if (placed)
		rt_log("Xen: using vcpu_info placement");
	xen_running = placed ? &xen_vcpu_info_placement_backend : &xen_backend;
	return xen_running;
}

/* The irq ops in C, on wherever this cpu's vcpu_info is (the callee-save thunks adapt them):
 * events are masked while the mask byte is set; unmasking with one pending delivers it. */
unsigned long xen_save_fl(void)
{
	return percpu_read(xen_vcpu)->evtchn_upcall_mask ? 0 : X86_EFLAGS_IF;
}

static void unmask_events(struct vcpu_info *v)
{
	v->evtchn_upcall_mask = 0;
	asm volatile("" : : : "memory");	/* unmask, then look: an event in between is seen */
	if (v->evtchn_upcall_pending)
		xen_force_evtchn_callback();
}

void xen_restore_fl(unsigned long flags)
{
	struct vcpu_info *v = percpu_read(xen_vcpu);

	if (flags & X86_EFLAGS_IF)
		unmask_events(v);
	else
		v->evtchn_upcall_mask = 1;
}

void xen_irq_disable(void)
{
	percpu_read(xen_vcpu)->evtchn_upcall_mask = 1;
}

void xen_irq_enable(void)
{
	unmask_events(percpu_read(xen_vcpu));
}

/* Every event channel starts masked, until a driver binds it. */
void xen_init_IRQ(void)
{
	for (unsigned i = 0; i < sizeof(xen_shared_info.evtchn_mask) / sizeof(xen_shared_info.evtchn_mask[0]); i++)
		xen_shared_info.evtchn_mask[i] = ~0UL;
	percpu_read(xen_vcpu)->evtchn_pending_sel = 0;
}

/* Any hypercall returns through Xen's event check: the cheapest is asking the version. */
void xen_force_evtchn_callback(void)
{
	xen_hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0);
}

/* Blocking enables events and returns when one has come. */
void xen_safe_halt(void)
{
	xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0);
}

/* With events masked nothing would wake the vcpu: that is taking it down. */
void xen_halt(void)
{
	if (percpu_read(xen_vcpu)->evtchn_upcall_mask)
		xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_down, 0, 0, 0);
	else
		xen_safe_halt();
}

/* ---- page tables ---- */

static unsigned long cr3;	/* what the guest last loaded: Xen holds the machine frame */

/* Xen built the boot page tables and runs on them (the kernel's are pinned once set up). */
void xen_pagetable_setup_start(pgd_t *base)
{
	cr3 = (uintptr_t)base;
}

void xen_pagetable_setup_done(pgd_t *base)
{
	mmuext(PARAVIRT_LAZY_NONE, MMUEXT_PIN_PGD, pfn_to_mfn((uintptr_t)base >> PAGE_SHIFT), 0);
}

/* Xen writes the faulting address into vcpu_info on a page fault. */
unsigned long xen_read_cr2(void)
{
	return percpu_read(xen_vcpu)->arch.cr2;
}

void xen_write_cr2(unsigned long value)
{
	percpu_read(xen_vcpu)->arch.cr2 = value;
}

unsigned long xen_read_cr3(void)
{
	return cr3;
}

void xen_write_cr3(unsigned long value)
{
	cr3 = value;
	mmuext(PARAVIRT_LAZY_CPU, MMUEXT_NEW_BASEPTR, pfn_to_mfn(value >> PAGE_SHIFT), 0);
}

/* A table Xen validates may be mapped only read-only: the pgd's page turns read-only before it
 * is pinned, writable once unpinned. (The tables under it are alloc_pte/pmd/pud's: read-only
 * and pinned when they join a pinned mm.) */
static void pin_mm(struct mm_struct *mm, int pin)
{
	unsigned long pgd = (uintptr_t)mm->pgd;

	if (mm->pinned == pin)
		return;
	if (pin) {
		set_page_rw(pgd, 0);
		mmuext(PARAVIRT_LAZY_NONE, MMUEXT_PIN_PGD, pfn_to_mfn(pgd >> PAGE_SHIFT), 0);
	} else {
		mmuext(PARAVIRT_LAZY_NONE, MMUEXT_UNPIN_TABLE, pfn_to_mfn(pgd >> PAGE_SHIFT), 0);
		set_page_rw(pgd, 1);
	}
	mm->pinned = pin;
}

void xen_activate_mm(struct mm_struct *prev, struct mm_struct *next)
{
	(void)prev;
	pin_mm(next, 1);
}

void xen_dup_mmap(struct mm_struct *oldmm, struct mm_struct *mm)
{
	(void)oldmm;
	pin_mm(mm, 1);
}

void xen_exit_mmap(struct mm_struct *mm)
{
	pin_mm(mm, 0);
}

void xen_flush_tlb_user(void)
{
	mmuext(PARAVIRT_LAZY_NONE, MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
}

void xen_flush_tlb_kernel(void)
{
	mmuext(PARAVIRT_LAZY_NONE, MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
}

void xen_flush_tlb_single(unsigned long addr)
{
	mmuext(PARAVIRT_LAZY_NONE, MMUEXT_INVLPG_LOCAL, addr, 0);
}

/* va ~0: the whole TLB (Linux's TLB_FLUSH_ALL) */
void xen_flush_tlb_others(const struct cpumask *cpus, struct mm_struct *mm, unsigned long va)
{
	union mc_arg *a = mc_arg();

	(void)mm;
	a->ext[0] = (struct mmuext_op){ .cmd = va == ~0UL ? MMUEXT_TLB_FLUSH_MULTI : MMUEXT_INVLPG_MULTI,
					.arg1.linear_addr = va, .arg2.vcpumask = cpus->bits };
	mc_issue(PARAVIRT_LAZY_NONE, __HYPERVISOR_mmuext_op, (unsigned long)a->ext, 1, 0, DOMID_SELF);
}

/* A pgd needs Xen only once pinned (activate_mm); this kernel has no separate user pgd. */
int xen_pgd_alloc(struct mm_struct *mm)
{
	mm->pinned = 0;
	return 0;
}

/* exit_mmap unpinned it; a pgd still pinned is unpinned before its page is reused. */
void xen_pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	(void)pgd;
	pin_mm(mm, 0);
}

/* A page-table page of a pinned mm is read-only and pinned as its level before use. */
static void alloc_table(struct mm_struct *mm, unsigned long pfn, unsigned level)
{
	if (!mm->pinned)
		return;
	set_page_rw(pfn << PAGE_SHIFT, 0);
	mmuext(PARAVIRT_LAZY_NONE, level, pfn_to_mfn(pfn), 0);
}

static void release_table(unsigned long pfn)
{
	mmuext(PARAVIRT_LAZY_NONE, MMUEXT_UNPIN_TABLE, pfn_to_mfn(pfn), 0);
	set_page_rw(pfn << PAGE_SHIFT, 1);
}

void xen_alloc_pte(struct mm_struct *mm, unsigned long pfn)
{
	alloc_table(mm, pfn, MMUEXT_PIN_L1_TABLE);
}

void xen_alloc_pmd(struct mm_struct *mm, unsigned long pfn)
{
	alloc_table(mm, pfn, MMUEXT_PIN_L2_TABLE);
}

void xen_alloc_pud(struct mm_struct *mm, unsigned long pfn)
{
	alloc_table(mm, pfn, MMUEXT_PIN_L3_TABLE);
}

void xen_release_pte(unsigned long pfn)
{
	release_table(pfn);
}

void xen_release_pmd(unsigned long pfn)
{
	release_table(pfn);
}

void xen_release_pud(unsigned long pfn)
{
	release_table(pfn);
}

void xen_set_pte(pte_t *ptep, pte_t pteval)
{
	pt_write(&ptep->pte, pteval.pte, MMU_NORMAL_PT_UPDATE);
}

void xen_set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pteval)
{
	(void)mm;
	(void)addr;
	xen_set_pte(ptep, pteval);
}

void xen_set_pmd(pmd_t *pmdp, pmd_t pmdval)
{
	pt_write(&pmdp->pmd, pmdval.pmd, MMU_NORMAL_PT_UPDATE);
}

void xen_set_pud(pud_t *pudp, pud_t pudval)
{
	pt_write(&pudp->pud, pudval.pud, MMU_NORMAL_PT_UPDATE);
}

/* Xen keeps A and D up to date itself (commit preserves them): nothing to clear first. */
pte_t xen_ptep_modify_prot_start(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	return *ptep;
}

void xen_ptep_modify_prot_commit(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	(void)mm;
	(void)addr;
	pt_write(&ptep->pte, pte.pte, MMU_PT_UPDATE_PRESERVE_AD);
}

/* Entries hold machine frames; the kernel sees pseudo-physical ones. */
pteval_t xen_pte_val(pte_t pte)
{
	return pte_frames(pte.pte, 0);
}

pte_t xen_make_pte(pteval_t val)
{
	return (pte_t){ pte_frames(val, 1) };
}

pgdval_t xen_pgd_val(pgd_t pgd)
{
	return pte_frames(pgd.pgd, 0);
}

pgd_t xen_make_pgd(pgdval_t val)
{
	return (pgd_t){ pte_frames(val, 1) };
}

pmdval_t xen_pmd_val(pmd_t pmd)
{
	return pte_frames(pmd.pmd, 0);
}

pmd_t xen_make_pmd(pmdval_t val)
{
	return (pmd_t){ pte_frames(val, 1) };
}

#ifdef __x86_64__
pudval_t xen_pud_val(pud_t pud)
{
	return pte_frames(pud.pud, 0);
}

pud_t xen_make_pud(pudval_t val)
{
	return (pud_t){ pte_frames(val, 1) };
}

void xen_set_pgd(pgd_t *pgdp, pgd_t pgdval)
{
	pt_write(&pgdp->pgd, pgdval.pgd, MMU_NORMAL_PT_UPDATE);
}
#else
void xen_set_pte_atomic(pte_t *ptep, pte_t pteval)
{
	pt_write(&ptep->pte, pteval.pte, MMU_NORMAL_PT_UPDATE);
}

void xen_pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	pt_write(&ptep->pte, 0, MMU_NORMAL_PT_UPDATE);
}

void xen_pmd_clear(pmd_t *pmdp)
{
	pt_write(&pmdp->pmd, 0, MMU_NORMAL_PT_UPDATE);
}
#endif

void xen_enter_lazy_mmu(void)
{
	paravirt_enter_lazy_mmu();
}

void xen_leave_lazy_mmu(void)
{
	mc_flush();
	paravirt_leave_lazy_mmu();
}

/* A fixmap maps a pseudo-physical page: its entry gets the machine frame. */
void xen_set_fixmap(unsigned int idx, phys_addr_t phys, pgprot_t flags)
{
	if (idx >= FIX_SLOTS)
		__builtin_trap();	/* Linux: BUG() */
	pt_write(&fixmap_ptes[idx].pte, pte_frames((phys & PTE_PFN_MASK) | flags.pgprot, 1), MMU_NORMAL_PT_UPDATE);
}

#ifdef __i386__
/* A pinned pte page is Xen's to validate: the guest may only map it read-only. */
void *xen_kmap_atomic_pte(struct page *page, enum km_type type)
{
	xen_set_pte(kmap_slot(type), xen_make_pte(kmap_entry(page, page->pinned ? PAGE_KERNEL_RO : PAGE_KERNEL)));
	return page->virtual;
}
#endif
