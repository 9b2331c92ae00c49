/* The boot kernel's probes: each runs one op through its generated wrapper, in ring 0 on the
 * (virtual) machine or as Xen's PV guest, and checks the op's effect by another path than the
 * op: the raw instruction, the hardware's reaction (an interrupt taken, a segment loaded, a
 * page read through a new mapping), or Xen's (an event delivered, a handler run). A probe's
 * digest sums up what it saw, so the driver can compare the unpatched and the patched runs. */
#include "boot.h"
#include "desc.h"
#include "host.h"
#include "patch.h"
#include "guest.h"

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

static inline unsigned long raw_flags(void)
{
	unsigned long f;

	asm volatile("pushf; pop %0" : "=r"(f));
	return f;
}

#define RAW_CR(n)                                                      \
	static inline unsigned long raw_cr##n(void)                    \
	{                                                              \
		unsigned long v;                                       \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                              \
	}
RAW_CR(0) RAW_CR(2) RAW_CR(3) RAW_CR(4)
#ifdef __x86_64__
RAW_CR(8)
#endif

static inline u64 raw_rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void raw_wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

#define PROBE(name) static void p_##name(struct probe_ctx *c)

/* ---- the local APIC timer (native) ---- */

#define APIC ((volatile u32 *)0xfee00000UL)
#define APIC_EOI (0xb0 / 4)
#define APIC_SVR (0xf0 / 4)
#define APIC_TPR (0x80 / 4)
#define APIC_LVT_TIMER (0x320 / 4)
#define APIC_TIMER_INIT (0x380 / 4)
#define APIC_TIMER_NOW (0x390 / 4)
#define APIC_TIMER_DIV (0x3e0 / 4)
#define APIC_IRR(v) ((0x200 + 0x10 * ((v) / 32)) / 4)

/* Wait for cond, at most a second of TSC time: qemu delivers its timers from another thread,
 * late when the machine is loaded. */
#define WAIT(cond)                                                                  \
	do {                                                                        \
		u64 t0_ = rdtsc();                                                  \
		while (!(cond) && rdtsc() - t0_ < rt_tsc_khz() * 1000)              \
			asm volatile("pause" : : : "memory");                       \
	} while (0)

static void timer_eoi(struct trap_frame *f)
{
	(void)f;
	APIC[APIC_EOI] = 0;
}

extern void (*trap_hook[256])(struct trap_frame *f);

static void apic_init(void)
{
	raw_wrmsr(0x1b, raw_rdmsr(0x1b) | 0x800);	/* the APIC on, at its default base */
	APIC[APIC_SVR] = 0x1ff;
	APIC[APIC_TIMER_DIV] = 0xb;	/* divide by 1 */
	trap_hook[VEC_TIMER] = timer_eoi;
}

/* One shot after `count` bus cycles, or every `count` (periodic); 0 stops it. */
static void apic_timer(u32 count, int periodic)
{
	APIC[APIC_LVT_TIMER] = VEC_TIMER | (periodic ? 0x20000 : 0) | (count ? 0 : 0x10000);
	APIC[APIC_TIMER_INIT] = count;
}

/* The native backend's clock: the APIC timer calibrated against the TSC, periodic on Linux's
 * LOCAL_TIMER_VECTOR. Its rate is not checked: under load qemu's timers and so the
 * calibration drift far; that it is programmed, and ticks, is. */
#define LOCAL_TIMER_VECTOR 0xef

/* Interrupts on until a tick comes (at most a second); returns whether one came. */
static int a_tick(void)
{
	unsigned long before = trap_count[LOCAL_TIMER_VECTOR];

	asm volatile("sti");
	WAIT(trap_count[LOCAL_TIMER_VECTOR] != before);
	asm volatile("cli");
	return trap_count[LOCAL_TIMER_VECTOR] != before;
}

PROBE(apic_clock)
{
	trap_hook[LOCAL_TIMER_VECTOR] = timer_eoi;
	setup_boot_clock();
	want(c, (APIC[APIC_LVT_TIMER] & 0x300ff) == (0x20000 | LOCAL_TIMER_VECTOR) && APIC[APIC_TIMER_INIT],
	     "setup_boot_clock: periodic on 0xef, with the count it measured");
	want(c, a_tick() && a_tick(), "it ticks, again and again");
	APIC[APIC_LVT_TIMER] = 0x10000 | LOCAL_TIMER_VECTOR;	/* masked */
	APIC[APIC_TIMER_INIT] = 0;
	setup_secondary_clock();
	want(c, (APIC[APIC_LVT_TIMER] & 0x300ff) == (0x20000 | LOCAL_TIMER_VECTOR) && APIC[APIC_TIMER_INIT],
	     "setup_secondary_clock: programmed the same way");
	want(c, a_tick(), "and it ticks");
	apic_timer(0, 0);
}

/* ---- Xen: the event that is really pending (VIRQ_TIMER bound to a channel) ---- */

extern unsigned xen_timer_port;
extern volatile unsigned long xen_upcalls;

/* ---- pv_irq_ops ---- */

/* Interrupts (or events) really on or off: natively IF, under Xen the vcpu_info mask byte. */
static int irqs_on(const struct probe_ctx *c)
{
	return c->xen ? !percpu_read(xen_vcpu)->evtchn_upcall_mask : !!(raw_flags() & X86_EFLAGS_IF);
}

static void irqs_set(const struct probe_ctx *c, int on)
{
	if (c->xen)
		percpu_read(xen_vcpu)->evtchn_upcall_mask = !on;
	else if (on)
		asm volatile("sti" : : : "memory");
	else
		asm volatile("cli" : : : "memory");
}

PROBE(save_fl)
{
	unsigned long f;

	irqs_set(c, 0);
	f = __raw_local_save_flags();
	want(c, !(f & X86_EFLAGS_IF), "save_fl: IF clear while off");
	irqs_set(c, 1);
	f = __raw_local_save_flags();
	want(c, (f & X86_EFLAGS_IF) != 0, "save_fl: IF set while on");
	irqs_set(c, 0);
}

PROBE(restore_fl)
{
	irqs_set(c, 0);
	raw_local_irq_restore(X86_EFLAGS_IF);
	want(c, irqs_on(c), "restore_fl(IF) turns them on");
	raw_local_irq_restore(0);
	want(c, !irqs_on(c), "restore_fl(0) turns them off");
}

PROBE(irq_disable)
{
	irqs_set(c, 1);
	raw_local_irq_disable();
	want(c, !irqs_on(c), "irq_disable turns them off");
}

/* Something really pending while off, taken once irq_enable turns them on. */
static void make_pending(struct probe_ctx *c)
{
	if (c->xen) {
		xen_timer_in(100000);
		WAIT(percpu_read(xen_vcpu)->evtchn_upcall_pending);
	} else {
		apic_timer(1000, 0);
		WAIT(APIC[APIC_IRR(VEC_TIMER)] >> (VEC_TIMER % 32) & 1);
	}
}

static unsigned long taken(const struct probe_ctx *c)
{
	return c->xen ? xen_upcalls : trap_count[VEC_TIMER];
}

PROBE(irq_enable)
{
	unsigned long before;

	irqs_set(c, 0);
	before = taken(c);
	make_pending(c);
	want(c, c->xen ? percpu_read(xen_vcpu)->evtchn_upcall_pending : APIC[APIC_IRR(VEC_TIMER)] >> (VEC_TIMER % 32) & 1,
	     "an interrupt is pending");
	want(c, taken(c) == before, "held off while off");
	raw_local_irq_enable();
	/* after sti's shadow; qemu's TCG looks for interrupts only between its blocks */
	WAIT(taken(c) != before);
	want(c, irqs_on(c), "irq_enable turns them on");
	want(c, taken(c) == before + 1, "the pending one is taken");
	irqs_set(c, 0);
}

PROBE(safe_halt)
{
	unsigned long before;

	irqs_set(c, 0);
	before = taken(c);
	if (c->xen)
		xen_timer_in(1000000);
	else
		apic_timer(200000, 0);
	raw_safe_halt();
	want(c, taken(c) == before + 1, "safe_halt sleeps until the timer, and takes it");
	irqs_set(c, 0);
}

PROBE(halt)
{
	unsigned long before;

	irqs_set(c, 0);
	before = taken(c);
	/* a timer event whenever halt starts: one taken before it sleeps leaves the next to wake
	 * it (natively the APIC's periodic mode; under Xen each event's upcall sets the next, as
	 * Xen runs no periodic timer for a blocked vcpu). Xen's halt blocks with events on (with
	 * them off it takes the vcpu down). */
	if (c->xen) {
		xen_timer_rearm = 1000000;
		xen_timer_in(xen_timer_rearm);
	} else {
		apic_timer(100000, 1);
	}
	irqs_set(c, 1);
	halt();
	want(c, taken(c) > before, "halt wakes on the timer");
	irqs_set(c, 0);
	if (c->xen)
		xen_timer_rearm = 0;
	else
		apic_timer(0, 0);
}

/* ---- pv_cpu_ops (native ring 0) ---- */

PROBE(read_cr0)
{
	want(c, read_cr0() == raw_cr0(), "read_cr0 is cr0");
}

PROBE(write_cr0)
{
	unsigned long v = raw_cr0();

	write_cr0(v | X86_CR0_TS);
	want(c, raw_cr0() == (v | X86_CR0_TS), "write_cr0 sets TS");
	write_cr0(v & ~(unsigned long)X86_CR0_TS);
	want(c, raw_cr0() == (v & ~(unsigned long)X86_CR0_TS), "write_cr0 clears it");
}

static void fnop(void *unused)
{
	(void)unused;
	asm volatile("fnop");
}

/* cr0.TS on: natively the register, under Xen fpu_taskswitch(1) (Xen keeps the guest's TS) */
static void set_ts(const struct probe_ctx *c)
{
	if (c->xen)
		xen_hypercall(__HYPERVISOR_fpu_taskswitch, 1, 0, 0, 0);
	else
		asm volatile("mov %0, %%cr0" : : "r"(raw_cr0() | X86_CR0_TS));
}

/* With TS set the FPU's first use raises #NM; clts lets it run. */
PROBE(clts)
{
	set_ts(c);
	want(c, trap_catch(fnop, 0) == 7, "TS set: an FPU instruction raises #NM");
	set_ts(c);
	clts();
	want(c, trap_catch(fnop, 0) == -1, "after clts it runs");
	if (!c->xen)
		want(c, !(raw_cr0() & X86_CR0_TS), "clts clears TS");
}

#ifdef __x86_64__
/* Under Xen, write_cr0's TS is fpu_taskswitch; read_cr0 is emulated. */
PROBE(xen_cr0)
{
	unsigned long v = read_cr0();

	write_cr0(v | X86_CR0_TS);
	want(c, (read_cr0() & X86_CR0_TS) != 0, "read_cr0 shows the TS write_cr0 set");
	want(c, trap_catch(fnop, 0) == 7, "and the FPU raises #NM");
	write_cr0(v & ~(unsigned long)X86_CR0_TS);
	want(c, trap_catch(fnop, 0) == -1, "write_cr0 without TS: the FPU runs");
}
#endif

PROBE(read_cr2)
{
	asm volatile("mov %0, %%cr2" : : "r"(0x12345000UL));
	want(c, read_cr2() == 0x12345000UL, "read_cr2 is cr2");
}

PROBE(write_cr2)
{
	write_cr2(0xabcde000UL);
	want(c, raw_cr2() == 0xabcde000UL, "write_cr2 sets cr2");
}

PROBE(read_cr4)
{
	want(c, read_cr4() == raw_cr4(), "read_cr4 is cr4");
	want(c, read_cr4_safe() == raw_cr4(), "read_cr4_safe is cr4");
}

PROBE(write_cr4)
{
	unsigned long v = raw_cr4();

	write_cr4(v | 0x4);	/* TSD: rdtsc for ring 0 only */
	want(c, raw_cr4() == (v | 0x4), "write_cr4 sets TSD");
	write_cr4(v);
	want(c, raw_cr4() == v, "write_cr4 puts it back");
}

#ifdef __x86_64__
PROBE(read_cr8)
{
	asm volatile("mov %0, %%cr8" : : "r"(5UL));
	want(c, read_cr8() == 5, "read_cr8 is cr8");
	asm volatile("mov %0, %%cr8" : : "r"(0UL));
}

PROBE(write_cr8)
{
	write_cr8(3);
	want(c, raw_cr8() == 3 && (APIC[APIC_TPR] >> 4) == 3, "write_cr8 sets the priority (the APIC's TPR too)");
	write_cr8(0);
	want(c, raw_cr8() == 0, "and clears it");
}

#endif

/* The machine's leaves; in Xen's guest leaf 1 may hide features (never add one), and hides
 * the local APIC, which is Xen's. */
PROBE(cpuid)
{
	static const u32 leaves[] = { 0, 1, 7, 0x80000000, 0x80000001 };

	for (unsigned i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		u32 a = leaves[i], b, cc = 0, d, ra, rb, rc, rd;

		__cpuid(&a, &b, &cc, &d);
		asm volatile("cpuid" : "=a"(ra), "=b"(rb), "=c"(rc), "=d"(rd) : "a"(leaves[i]), "c"(0));
		if (c->xen && leaves[i] == 1)
			want(c, a == ra && b == rb && !(cc & ~rc) && !(d & ~rd) && !(d & (1u << 9)),
			     "Xen's leaf 1 is the machine's, less features a PV guest must not use (the APIC)");
		else
			want(c, a == ra && b == rb && cc == rc && d == rd, "cpuid gives the machine's leaves");
		see(c, (u64)a << 32 | b);
	}
}

#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_GS_BASE 0xc0000101
#define MSR_TSC_AUX 0xc0000103
/* an MSR the probes may write freely: nothing runs in user mode here */
#ifdef __x86_64__
#define PROBE_MSR MSR_KERNEL_GS_BASE
#else
#define PROBE_MSR 0x175	/* SYSENTER_ESP */
#endif

PROBE(read_msr)
{
	int err = 1;
	u64 v;

	raw_wrmsr(PROBE_MSR, 0x12345000ULL);
	v = paravirt_read_msr(PROBE_MSR, &err);
	want(c, v == 0x12345000ULL && err == 0, "read_msr reads the MSR");
	err = 1;
	v = paravirt_read_msr_amd(PROBE_MSR, &err);
	want(c, v == 0x12345000ULL && err == 0, "read_msr_amd reads it too");
	raw_wrmsr(PROBE_MSR, 0);
}

PROBE(write_msr)
{
	u32 hi = sizeof(long) == 8 ? 0x42 : 0;	/* SYSENTER_ESP holds an address */
	int r = paravirt_write_msr(PROBE_MSR, 0x9000, hi);

	want(c, r == 0 && raw_rdmsr(PROBE_MSR) == ((u64)hi << 32 | 0x9000), "write_msr writes the MSR");
	raw_wrmsr(PROBE_MSR, 0);
}

/* The safe forms on MSR accesses that raise #GP: the backend's exception table entry resumes
 * them with err = -EIO (a read gives 0), and a good MSR still gives err 0. A write of PKRS
 * with any of its reserved high 32 bits set faults natively (qemu's TCG checks them) and
 * under Xen. A read of an MSR that does not exist faults only under Xen, which injects the
 * #GP (msr_relaxed is off); qemu 7.2's TCG reads it as 0, so natively it shows no fault. */
#define MSR_IA32_PKRS 0x6e1
#define MSR_MISSING 0x12345678
#ifdef __x86_64__
#define GOOD_MSR 0xc0000100	/* FS_BASE: under Xen set_segment_base and Xen's rdmsr emulation */
#else
#define GOOD_MSR PROBE_MSR
#endif
static void msr_safe(struct probe_ctx *c, int read_faults)
{
	static u64 cell;
	unsigned long gp = trap_count[13];
	int err = -1;
	u64 v = paravirt_read_msr(MSR_MISSING, &err);

	if (read_faults) {
		want(c, err == -5 && v == 0 && trap_count[13] == gp + 1, "read_msr of a missing MSR: #GP caught, err -EIO, 0");
		err = 0;
		v = paravirt_read_msr_amd(MSR_MISSING, &err);
		want(c, err == -5 && v == 0 && trap_count[13] == gp + 2, "read_msr_amd of it: the same");
	} else {
		want(c, err == 0 && v == 0 && trap_count[13] == gp, "read_msr of a missing MSR: 0, no fault (TCG)");
	}
	gp = trap_count[13];
	want(c, paravirt_write_msr(MSR_IA32_PKRS, 0, 1) == -5 && trap_count[13] == gp + 1,
	     "write_msr of PKRS with a reserved bit: #GP caught, -EIO");
	want(c, paravirt_write_msr(GOOD_MSR, (u32)(unsigned long)&cell, (u32)((u64)(unsigned long)&cell >> 32)) == 0,
	     "write_msr of a good MSR: 0");
	err = -1;
	v = paravirt_read_msr(GOOD_MSR, &err);
	want(c, err == 0 && v == (unsigned long)&cell && trap_count[13] == gp + 1, "read_msr of it: err 0, the value");
	paravirt_write_msr(GOOD_MSR, 0, 0);
	see(c, v);
}

PROBE(msr_safe_native)
{
	msr_safe(c, 0);
}

PROBE(msr_safe_xen)
{
	msr_safe(c, 1);
}

PROBE(read_tsc)
{
	u64 a = rdtsc(), b = paravirt_read_tsc(), d = rdtsc();

	want(c, a <= b && b <= d, "read_tsc is the TSC");
}

PROBE(read_tscp)
{
	unsigned aux = 0;
	u64 a, b;

	raw_wrmsr(MSR_TSC_AUX, 0x2a);
	a = rdtsc();
	b = paravirt_rdtscp(&aux);
	want(c, aux == 0x2a && b >= a, "rdtscp: the TSC and TSC_AUX");
}

static void rdpmc0(void *v)
{
	*(u64 *)v = paravirt_read_pmc(0);
}

PROBE(read_pmc)
{
	u64 v = 0;
	int vec = trap_catch(rdpmc0, &v);

	/* qemu's TCG has no performance counters: rdpmc raises #UD there, which says it ran */
	want(c, vec == -1 || vec == 13 || vec == 6, "rdpmc reads counter 0, or faults where there is none");
	see(c, (u64)vec);
}

/* ---- descriptor tables ---- */

static struct desc_struct probe_gdt[GDT_ENTRIES] __attribute__((aligned(16)));

PROBE(gdt)
{
	struct desc_ptr now, mine = { sizeof(probe_gdt) - 1, (unsigned long)probe_gdt }, back;
	u16 ds;

	asm volatile("sgdt %0" : "=m"(now));
	memcpy(probe_gdt, cpu_gdt, sizeof(probe_gdt));
	load_gdt(&mine);
	store_gdt(&back);
	want(c, back.address == mine.address && back.size == mine.size, "store_gdt gives what load_gdt loaded");
	asm volatile("sgdt %0" : "=m"(back));
	want(c, back.address == (unsigned long)probe_gdt, "sgdt agrees");
	asm volatile("mov %1, %%ds; mov %%ds, %0" : "=r"(ds) : "r"(KERNEL_DS));
	want(c, ds == KERNEL_DS, "a segment loads from the new GDT");
	asm volatile("lgdt %0" : : "m"(now));
}

static void load_fs(void *sel)
{
	asm volatile("mov %0, %%fs" : : "r"(*(u16 *)sel));
}

/* Write a data segment (slot 7), load it; write it not present, loading faults (#NP). */
PROBE(write_gdt_entry)
{
	struct desc_struct d = { 0x0000ffff, 0x00cf9300 };
	u16 sel = 7 * 8;

	write_gdt_entry(cpu_gdt, 7, &d, 8);
	want(c, cpu_gdt[7].a == d.a && cpu_gdt[7].b == d.b, "the entry is written");
	want(c, trap_catch(load_fs, &sel) == -1, "and loads");
	d.b &= ~0x8000u;
	write_gdt_entry(cpu_gdt, 7, &d, 8);
	want(c, trap_catch(load_fs, &sel) == 11, "not present, it raises #NP");
	asm volatile("mov %0, %%fs" : : "r"(0));
}

/* The TSS descriptor written available, ltr marks it busy; str gives the selector. */
PROBE(load_tr_desc)
{
	struct desc_struct d[2];
	int size = (int)pack_tss_desc(d);

	write_gdt_entry(cpu_gdt, GDT_ENTRY_TSS, d, size);
	load_TR_desc();
	want(c, (cpu_gdt[GDT_ENTRY_TSS].b >> 8 & 0xf) == 0xb, "ltr marks the TSS busy");
	want(c, paravirt_store_tr() == GDT_ENTRY_TSS * 8, "store_tr gives its selector");
}

static gate_desc probe_idt[IDT_ENTRIES] __attribute__((aligned(16)));

static void int_probe(void *unused)
{
	(void)unused;
	asm volatile("int %0" : : "i"(VEC_PROBE));
}

PROBE(idt)
{
	struct desc_ptr now, mine = { sizeof(probe_idt) - 1, (unsigned long)probe_idt }, back;
	unsigned long before = trap_count[VEC_PROBE];
	gate_desc g = idt_table[VEC_PROBE];

	asm volatile("sidt %0" : "=m"(now));
	memcpy(probe_idt, idt_table, sizeof(probe_idt));
	g.w[1] &= ~0x8000u;	/* the probe vector not present in the new IDT */
	probe_idt[VEC_PROBE] = g;
	load_idt(&mine);
	store_idt(&back);
	want(c, back.address == mine.address && back.size == mine.size, "store_idt gives what load_idt loaded");
	want(c, trap_catch(int_probe, 0) == 11, "the new IDT is the one used: its absent gate raises #NP");
	write_idt_entry(probe_idt, VEC_PROBE, &idt_table[VEC_PROBE]);
	want(c, trap_catch(int_probe, 0) == -1 && trap_count[VEC_PROBE] == before + 1,
	     "write_idt_entry's gate takes the interrupt");
	asm volatile("lidt %0" : : "m"(now));
}

static struct desc_struct probe_ldt[4] __attribute__((aligned(16)));

PROBE(ldt)
{
	struct desc_struct d = { 0x0000ffff, 0x00cf9300 };
	u16 sel = 1 * 8 | 4, ldtr;

	write_ldt_entry(probe_ldt, 1, &d);
	want(c, probe_ldt[1].b == d.b, "write_ldt_entry writes the entry");
	set_ldt(probe_ldt, 4);
	asm volatile("sldt %0" : "=r"(ldtr));
	want(c, ldtr == GDT_ENTRY_LDT * 8, "set_ldt loads the LDT");
	want(c, trap_catch(load_fs, &sel) == -1, "a selector of the LDT loads");
	set_ldt(0, 0);
	asm volatile("sldt %0" : "=r"(ldtr));
	want(c, ldtr == 0 && trap_catch(load_fs, &sel) == 13, "no LDT: the same selector raises #GP");
	asm volatile("mov %0, %%fs" : : "r"(0));
}

PROBE(load_tls)
{
	struct thread_struct t = { { { 0x0000ffff, 0x00cf9300 }, { 0x0000ffff, 0x00cf9300 }, { 0x1234ffff, 0x00cf9300 } }, 0, 0 };
	u16 sel = (GDT_ENTRY_TLS_MIN + 2) * 8;

	load_TLS(&t, 0);
	want(c, cpu_gdt[GDT_ENTRY_TLS_MIN + 2].a == 0x1234ffff, "load_tls writes the GDT's TLS slots");
	want(c, trap_catch(load_fs, &sel) == -1, "and the segment loads");
	asm volatile("mov %0, %%fs" : : "r"(0));
}

PROBE(load_sp0)
{
	struct tss_struct tss = { 0, 0 };
	struct thread_struct t = { .sp0 = 0x123000UL };

	load_sp0(&tss, &t);
	want(c, tss.sp0 == t.sp0, "load_sp0 sets the TSS's sp0");
}

PROBE(set_iopl_mask)
{
	set_iopl_mask(0x3000);
	want(c, (raw_flags() & X86_EFLAGS_IOPL) == 0x3000, "IOPL 3 in the flags");
	set_iopl_mask(0);
	want(c, (raw_flags() & X86_EFLAGS_IOPL) == 0, "IOPL 0 again");
}

#ifdef __x86_64__
PROBE(load_gs_index)
{
	u16 gs;

	raw_wrmsr(MSR_GS_BASE, 0x5000);
	load_gs_index(KERNEL_DS);
	asm volatile("mov %%gs, %0" : "=r"(gs));
	want(c, gs == KERNEL_DS, "load_gs_index loads gs");
	want(c, raw_rdmsr(MSR_GS_BASE) == 0x5000, "and keeps the kernel's gs base (swapgs around it)");
	load_gs_index(0);
	raw_wrmsr(MSR_GS_BASE, 0);
}

/* The same through SWAPGS_UNSAFE_STACK (x86_64/swapgs.S), whose site holds native's swapgs
 * itself: it runs with no stack. */
void swapgs_unsafe(void);

PROBE(swapgs_unsafe)
{
	u64 gs = raw_rdmsr(MSR_GS_BASE), kgs = raw_rdmsr(MSR_KERNEL_GS_BASE);

	raw_wrmsr(MSR_GS_BASE, 0x3000);
	raw_wrmsr(MSR_KERNEL_GS_BASE, 0x4000);
	swapgs_unsafe();
	want(c, raw_rdmsr(MSR_GS_BASE) == 0x4000 && raw_rdmsr(MSR_KERNEL_GS_BASE) == 0x3000,
	     "SWAPGS_UNSAFE_STACK swaps the gs bases, with no stack at all");
	raw_wrmsr(MSR_GS_BASE, gs);
	raw_wrmsr(MSR_KERNEL_GS_BASE, kgs);
}

PROBE(swapgs)
{
	raw_wrmsr(MSR_GS_BASE, 0x1000);
	raw_wrmsr(MSR_KERNEL_GS_BASE, 0x2000);
	paravirt_swapgs();
	want(c, raw_rdmsr(MSR_GS_BASE) == 0x2000 && raw_rdmsr(MSR_KERNEL_GS_BASE) == 0x1000, "swapgs swaps the gs bases");
	paravirt_swapgs();
	raw_wrmsr(MSR_GS_BASE, 0);
	raw_wrmsr(MSR_KERNEL_GS_BASE, 0);
}

#endif

PROBE(debugreg)
{
	unsigned long dr0;
	static volatile u64 watched;
	unsigned long before = trap_count[1];

	paravirt_set_debugreg(0, (unsigned long)&watched);
	asm volatile("mov %%db0, %0" : "=r"(dr0));
	want(c, dr0 == (unsigned long)&watched && paravirt_get_debugreg(0) == dr0, "set/get_debugreg: dr0");
	paravirt_set_debugreg(7, 0x000d0001);	/* dr0: write watch, 4 bytes, local enable */
	watched = 1;
	want(c, trap_count[1] == before + 1, "the breakpoint it set is taken (#DB)");
	paravirt_set_debugreg(7, 0);
	paravirt_set_debugreg(6, 0);
}

static void nothing(void *unused)
{
	(void)unused;
}

PROBE(wbinvd)
{
	wbinvd();
	want(c, trap_catch(nothing, 0) == -1, "wbinvd runs");
}

PROBE(io_delay)
{
	u64 t = rdtsc();

	slow_down_io();
	want(c, rdtsc() > t, "io_delay runs");
}

/* ---- page tables: a fresh branch for the address PROBE_VA, built with the ops (x86_64: 4
 * levels from an empty pgd slot; i386 PAE: 3 levels from the pdpt slot head.S leaves empty,
 * which the CPU reads at each cr3 load) ---- */

#ifdef __x86_64__
#define PROBE_VA 0x0000008000000000UL	/* pgd slot 1 */
#else
#define PROBE_VA 0x40000000UL		/* pdpt slot 1 */
#endif
static u64 pt_pud[512] __attribute__((aligned(4096)));
static u64 pt_pmd[512] __attribute__((aligned(4096)));
static u64 pt_pte[512] __attribute__((aligned(4096)));
static u64 page_a[512] __attribute__((aligned(4096)));
static u64 page_b[512] __attribute__((aligned(4096)));

static u64 *pgd_now(void)
{
	return (u64 *)(unsigned long)(raw_cr3() & (sizeof(long) == 8 ? PTE_PFN_MASK : ~31UL));
}

/* one word read at va (a u64 on i386 could be read high word first) */
static void touch(void *va)
{
	(void)*(volatile unsigned long *)va;
}

static u64 pa(const void *p)
{
	return (u64)(unsigned long)p;
}

/* The branch's top entry, written through the op: the pgd (x86_64), the pdpt's pud (PAE:
 * present is the only flag it takes; the CPU reads it at the next cr3 load). */
static void set_top(u64 *pgd, int on)
{
#ifdef __x86_64__
	set_pgd((pgd_t *)&pgd[1], __pgd(on ? pa(pt_pud) | 3 : 0));
	if (on)
		set_pud((pud_t *)&pt_pud[0], __pud(pa(pt_pmd) | 3));
#else
	set_pud((pud_t *)&pgd[1], (pud_t){ on ? pa(pt_pmd) | 1 : 0 });
	__flush_tlb();
#endif
}

PROBE(page_tables)
{
	u64 *pgd = pgd_now();

	page_a[0] = 0xaaaa;
	page_b[0] = 0xbbbb;
	set_top(pgd, 1);
	set_pmd((pmd_t *)&pt_pmd[0], __pmd(pa(pt_pte) | 3));
	set_pte((pte_t *)&pt_pte[0], __pte(pa(page_a) | 3));
	__flush_tlb_single(PROBE_VA);
	want(c, pt_pmd[0] == (pa(pt_pte) | 3) && pt_pte[0] == (pa(page_a) | 3), "set_pgd/pud/pmd/pte write the entries");
	want(c, *(volatile u64 *)PROBE_VA == 0xaaaa, "the new mapping reads page A");
	/* the TLB holds the translation until flushed: each flush makes the new entry seen */
	set_pte((pte_t *)&pt_pte[0], __pte(pa(page_b) | 3));
	__flush_tlb_single(PROBE_VA);
	want(c, *(volatile u64 *)PROBE_VA == 0xbbbb, "after flush_tlb_single it reads page B");
	set_pte_at(0, PROBE_VA, (pte_t *)&pt_pte[0], __pte(pa(page_a) | 3));
	__flush_tlb();
	want(c, *(volatile u64 *)PROBE_VA == 0xaaaa, "after set_pte_at and flush_tlb_user, page A");
	set_pte((pte_t *)&pt_pte[0], __pte(pa(page_b) | 3 | 0x100));	/* global */
	__flush_tlb_global();
	touch((void *)PROBE_VA);
	want(c, *(volatile u64 *)PROBE_VA == 0xbbbb, "after flush_tlb_kernel, page B (global)");
	set_pte((pte_t *)&pt_pte[0], __pte(0));
	__flush_tlb_global();
	want(c, trap_catch(touch, (void *)PROBE_VA) == 14 && raw_cr2() == PROBE_VA,
	     "cleared, the page faults at its address");
	want(c, read_cr2() == PROBE_VA, "read_cr2 gives the fault's address");
	set_top(pgd, 0);
	__flush_tlb_global();
}

static u64 pgd_copy[512] __attribute__((aligned(4096)));

PROBE(cr3)
{
	unsigned long old = read_cr3();

	want(c, old == raw_cr3(), "read_cr3 is cr3");
	memcpy(pgd_copy, pgd_now(), sizeof(long) == 8 ? sizeof(pgd_copy) : 32);
	pt_pte[0] = pa(page_a) | 3;
	pt_pmd[0] = pa(pt_pte) | 3;
#ifdef __x86_64__
	pt_pud[0] = pa(pt_pmd) | 3;
	pgd_copy[1] = pa(pt_pud) | 3;
#else
	pgd_copy[1] = pa(pt_pmd) | 1;
#endif
	write_cr3((unsigned long)pgd_copy);
	want(c, raw_cr3() == (unsigned long)pgd_copy, "write_cr3 loads cr3");
	want(c, *(volatile u64 *)PROBE_VA == 0xaaaa, "the new page tables are the ones used");
	write_cr3(old);
	want(c, trap_catch(touch, (void *)PROBE_VA) == 14, "the old ones again: nothing there");
	pt_pte[0] = pt_pmd[0] = pt_pud[0] = 0;
}

PROBE(identity)
{
	want(c, pte_val(__pte(0x8000000123456067ULL)) == 0x8000000123456067ULL, "pte_val(__pte(v)) is v");
	want(c, __pte(0x5067).pte == 0x5067, "an entry holds the value itself");
	want(c, pmd_val(__pmd(0x1067)) == 0x1067 && pgd_val(__pgd(0x3067)) == 0x3067, "pmd, pgd too");
#ifdef __x86_64__
	want(c, pud_val(__pud(0x2067)) == 0x2067, "pud too");
#endif
}

/* iret to a frame built by iret_to (iret.S): it lands at its label with the flags given */
extern unsigned long iret_to(unsigned long flags);

PROBE(iret)
{
	/* the arithmetic flags: a guest in ring 3 cannot change IF or IOPL by iret */
	want(c, (iret_to(X86_EFLAGS_CF | 2) & 0xff) == (X86_EFLAGS_CF | 2), "iret returns through the frame, with its flags");
	want(c, (iret_to(2) & 0xff) == 2, "and with other flags");
}

PROBE(lazy)
{
	arch_enter_lazy_mmu_mode();
	set_pte((pte_t *)&pt_pte[1], __pte(0x5003));
	arch_leave_lazy_mmu_mode();
	want(c, pt_pte[1] == 0x5003, "an update in the lazy MMU mode is done by its end");
	pt_pte[1] = 0;
	arch_enter_lazy_cpu_mode();
	write_cr2(0x7000);
	arch_leave_lazy_cpu_mode();
	want(c, raw_cr2() == 0x7000, "and in the lazy CPU mode");
}

/* ---- time, boot ---- */

PROBE(time)
{
	u64 a = paravirt_sched_clock(), b;
	unsigned long khz = calibrate_tsc();

	for (volatile int i = 0; i < 100000; i++)
		;
	b = paravirt_sched_clock();
	want(c, a < b && b - a < 1000000000, "sched_clock runs forward, in nanoseconds");
	want(c, khz > 100000 && khz < 20000000, "the TSC rate is plausible");
	want(c, get_wallclock() + 2 >= (unsigned long)rt_wall_s() && get_wallclock() <= (unsigned long)rt_wall_s() + 2,
	     "the wall clock is the machine's");
}

/* Xen's clock: the system time it publishes, scaled from the TSC, against the TSC itself */
PROBE(xen_time)
{
	u64 a = paravirt_sched_clock(), t = rdtsc(), b;
	unsigned long khz = calibrate_tsc();

	while (rdtsc() - t < (u64)khz * 10)	/* 10 ms */
		asm volatile("pause");
	b = paravirt_sched_clock();
	want(c, khz > 100000 && khz < 20000000, "the TSC rate Xen publishes is plausible");
	/* loose: under load qemu's TSC and Xen's scale of it drift apart */
	want(c, b - a >= 1000000 && b - a < 1000000000, "sched_clock counts 10 ms of TSC as 1 to 1000 ms");
}

PROBE(banner)
{
	rt_log_clear();
	paravirt_banner();
	want(c, !memcmp(rt_log_text(), "Booting paravirtualized kernel on ", 34), "the banner names the backend");
}

PROBE(spinlock)
{
	static struct raw_spinlock l;

	l.slock = 0;
	__raw_spin_lock(&l);
	want(c, __raw_spin_is_locked(&l) && !__raw_spin_trylock(&l), "a taken lock is locked");
	__raw_spin_unlock(&l);
	want(c, !__raw_spin_is_locked(&l) && __raw_spin_trylock(&l), "unlocked, it can be taken");
	__raw_spin_unlock(&l);
}

#define P(name, ops, env) { ops, p_##name, env }
#ifdef __x86_64__
/* ---- Xen's own paths, checked by their effect ---- */

static void inb_61(void *unused)
{
	(void)unused;
	(void)inb(0x61);
}

/* IOPL 0 (set here directly) locks the kernel out of the ports; set_iopl_mask lets it in. */
PROBE(xen_iopl)
{
	u32 iopl = 0;

	xen_hypercall(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, (unsigned long)&iopl, 0, 0);
	want(c, trap_catch(inb_61, 0) == 13, "IOPL 0: a port read raises #GP");
	set_iopl_mask(0x3000);
	want(c, trap_catch(inb_61, 0) == -1, "set_iopl_mask(3): physdev_op lets the port read run");
}

#define FLAT_USER_DS 0xe02b

PROBE(xen_gs)
{
	u16 gs;

	load_gs_index(FLAT_USER_DS);
	asm volatile("mov %%gs, %0" : "=r"(gs));
	want(c, gs == FLAT_USER_DS, "load_gs_index: set_segment_base loads the selector");
	load_gs_index(0);
	asm volatile("mov %%gs, %0" : "=r"(gs));
	want(c, gs == 0, "and the null one");
}

#define MSR_FS_BASE 0xc0000100

/* The fs base set through write_msr (Xen: set_segment_base) is where %fs:0 reads. */
PROBE(fs_base)
{
	static unsigned long cell = 0x1234abcd;
	unsigned long v;

	want(c, paravirt_write_msr(MSR_FS_BASE, (u32)(unsigned long)&cell, (u32)((unsigned long)&cell >> 32)) == 0,
	     "write_msr(FS_BASE) succeeds");
	asm volatile("mov %%fs:0, %0" : "=r"(v));
	want(c, v == 0x1234abcd, "a read through %fs reaches the cell");
	paravirt_write_msr(MSR_FS_BASE, 0, 0);
}

extern char xen_trap_probe[];
void xen_gate(gate_desc *g, unsigned long h, unsigned dpl);

/* load_idt is set_trap_table: int3 runs the handler the new table names; write_idt_entry of
 * the loaded IDT changes Xen's table too. */
PROBE(xen_idt)
{
	struct desc_ptr mine = { sizeof(probe_idt) - 1, (unsigned long)probe_idt },
			orig = { sizeof(idt_table) - 1, (unsigned long)idt_table };
	unsigned long probe0 = trap_count[VEC_PROBE], bp0 = trap_count[3];

	memcpy(probe_idt, idt_table, sizeof(probe_idt));
	xen_gate(&probe_idt[3], (unsigned long)xen_trap_probe, 3);
	load_idt(&mine);
	asm volatile("int3");
	want(c, trap_count[VEC_PROBE] == probe0 + 1 && trap_count[3] == bp0, "load_idt: int3 runs the new handler");
	write_idt_entry(probe_idt, 3, &idt_table[3]);
	asm volatile("int3");
	want(c, trap_count[3] == bp0 + 1, "write_idt_entry: int3 runs the gate written");
	load_idt(&orig);
}

static volatile u64 scratch[512] __attribute__((aligned(4096)));

static long map_scratch(const volatile void *page, unsigned long flags)
{
	return xen_update_va_mapping((unsigned long)scratch, (u64)xen_virt_to_mfn((const void *)page) << PAGE_SHIFT | 7,
				     flags);
}

/* The mapping changed with update_va_mapping and no flush: each of the flush ops makes the
 * TLB see it (mmuext_op). */
PROBE(xen_tlb)
{
	page_a[0] = 0xaaaa;
	page_b[0] = 0xbbbb;
	scratch[0] = 0x5555;
	touch((void *)scratch);
	want(c, map_scratch(page_b, 0) == 0, "update_va_mapping without a flush");
	see(c, 0);	/* a stale read is likely, not certain: not part of the digest */
	__flush_tlb_single((unsigned long)scratch);
	want(c, scratch[0] == 0xbbbb, "flush_tlb_single: the new mapping reads page B");
	map_scratch(page_a, 0);
	__flush_tlb();
	want(c, scratch[0] == 0xaaaa, "flush_tlb_user: page A");
	map_scratch(page_b, 0);
	__flush_tlb_global();
	want(c, scratch[0] == 0xbbbb, "flush_tlb_kernel: page B");
	map_scratch(scratch, UVMF_INVLPG);
	want(c, scratch[0] == 0x5555, "mapped back");
}


/* ---- Xen: page tables, descriptor tables and cr3 through the ops, on the real hypervisor.
 * A table Xen validates must be mapped read-only; the ops make it so (alloc_pte/pmd/pud for a
 * pinned mm, activate_mm's pin, alloc_ldt, load_gdt) and writable again (release_*,
 * exit_mmap, free_ldt). ---- */

static u64 xpt_pud[512] __attribute__((aligned(4096)));
static u64 xpt_pmd[512] __attribute__((aligned(4096)));
static u64 xpt_pte[512] __attribute__((aligned(4096)));
static u64 page_c[512] __attribute__((aligned(4096)));

static void zero_page(void *p)
{
	memset(p, 0, 4096);
}

/* The branch's tables join a pinned mm: under Xen each read-only, pinned at its level (empty,
 * or with the entries a former run left, which name tables pinned before them). pte: its L1. */
static void branch_alloc(struct mm_struct *mm, u64 *pte)
{
	paravirt_alloc_pte(mm, pa(pte) >> PAGE_SHIFT);
	paravirt_alloc_pmd(mm, pa(xpt_pmd) >> PAGE_SHIFT);
	paravirt_alloc_pud(mm, pa(xpt_pud) >> PAGE_SHIFT);
}

/* Linked from the top down through the ops (mmu_update of machine entries): pud -> pmd -> pte. */
static void branch_link(u64 *pte)
{
	set_pmd((pmd_t *)&xpt_pmd[0], __pmd(pa(pte) | 3));
	set_pud((pud_t *)&xpt_pud[0], __pud(pa(xpt_pmd) | 3));
}

/* Released from the top: each unpinned, which drops its hold on the next, and writable again;
 * then emptied by plain writes (a fault says a page is still Xen's). */
static void branch_release(struct probe_ctx *c, u64 *pte)
{
	paravirt_release_pud(pa(xpt_pud) >> PAGE_SHIFT);
	paravirt_release_pmd(pa(xpt_pmd) >> PAGE_SHIFT);
	paravirt_release_pte(pa(pte) >> PAGE_SHIFT);
	want(c, trap_catch(zero_page, xpt_pud) == -1 && trap_catch(zero_page, xpt_pmd) == -1 &&
		    trap_catch(zero_page, pte) == -1,
	     "released: the tables are writable again");
}

/* An entry's frame and its present and writable bits (Xen adds the user bit, and A and D). */
#define ENTRY_BITS (PTE_PFN_MASK | 3)

PROBE(xen_page_tables)
{
	u64 *pgd = (u64 *)read_cr3();
	struct mm_struct mm = { (pgd_t *)pgd, 1 };	/* the running mm, pinned by Xen's domain builder */

	page_a[0] = 0xaaaa;
	page_b[0] = 0xbbbb;
	branch_alloc(&mm, xpt_pte);
	/* (a write to an L1 table Xen emulates as an update of its entries: no fault there) */
	want(c, trap_catch(zero_page, xpt_pmd) == 14 && trap_catch(zero_page, xpt_pud) == 14,
	     "alloc_pmd, alloc_pud: the tables are read-only");
	branch_link(xpt_pte);
	set_pte((pte_t *)&xpt_pte[0], __pte(pa(page_a) | 3));
	set_pgd((pgd_t *)&pgd[1], __pgd(pa(xpt_pud) | 3));
	want(c, (xpt_pte[0] & ENTRY_BITS) == ((u64)xen_virt_to_mfn(page_a) << PAGE_SHIFT | 3) &&
		    (xpt_pmd[0] & ENTRY_BITS) == ((u64)xen_virt_to_mfn(xpt_pte) << PAGE_SHIFT | 3),
	     "set_pte, set_pmd: the entries hold machine frames");
	want(c, (pte_val(*(pte_t *)&xpt_pte[0]) & ENTRY_BITS) == (pa(page_a) | 3) &&
		    (pud_val(*(pud_t *)&xpt_pud[0]) & ENTRY_BITS) == (pa(xpt_pmd) | 3) &&
		    (pgd_val(*(pgd_t *)&pgd[1]) & ENTRY_BITS) == (pa(xpt_pud) | 3),
	     "pte_val, pud_val, pgd_val give the pseudo-physical frames back");
	want(c, *(volatile u64 *)PROBE_VA == 0xaaaa, "set_pgd/pud/pmd/pte: the new mapping reads page A");
	set_pte((pte_t *)&xpt_pte[0], __pte(pa(page_b) | 3));
	__flush_tlb_single(PROBE_VA);
	want(c, *(volatile u64 *)PROBE_VA == 0xbbbb, "set_pte, flush_tlb_single: page B");
	set_pte((pte_t *)&xpt_pte[0], __pte(0));
	__flush_tlb_single(PROBE_VA);
	want(c, trap_catch(touch, (void *)PROBE_VA) == 14 && read_cr2() == PROBE_VA,
	     "cleared: the page faults, read_cr2 (vcpu_info) gives its address");
	set_pgd((pgd_t *)&pgd[1], __pgd(0));
	__flush_tlb();
	branch_release(c, xpt_pte);
}

/* In the lazy MMU mode the entries wait in one multicall, issued when the mode ends. */
PROBE(xen_lazy_mmu)
{
	u64 *pgd = (u64 *)read_cr3();
	struct mm_struct mm = { (pgd_t *)pgd, 1 };
	u64 *pages[3] = { page_a, page_b, page_c };
	unsigned long mc, mu, batched, failed;
	int seen = 1;

	for (unsigned k = 0; k < 3; k++)
		pages[k][0] = 0x1000 + k;
	branch_alloc(&mm, xpt_pte);
	branch_link(xpt_pte);
	set_pgd((pgd_t *)&pgd[1], __pgd(pa(xpt_pud) | 3));
	mc = xen_hv.calls[__HYPERVISOR_multicall];
	mu = xen_hv.calls[__HYPERVISOR_mmu_update];
	batched = xen_hv.batched;
	failed = xen_hv.batch_failed;
	arch_enter_lazy_mmu_mode();
	for (unsigned k = 0; k < 3; k++)
		set_pte((pte_t *)&xpt_pte[k], __pte(pa(pages[k]) | 3));
	want(c, xen_hv.calls[__HYPERVISOR_multicall] == mc && xen_hv.calls[__HYPERVISOR_mmu_update] == mu &&
		    xpt_pte[0] == 0,
	     "set_pte x3 in the lazy MMU mode: nothing issued, nothing written");
	arch_leave_lazy_mmu_mode();
	want(c, xen_hv.calls[__HYPERVISOR_multicall] == mc + 1 && xen_hv.calls[__HYPERVISOR_mmu_update] == mu &&
		    xen_hv.batched == batched + 3 && xen_hv.batch_failed == failed,
	     "at its end one multicall of the 3 mmu_updates, each done");
	for (unsigned k = 0; k < 3; k++)
		seen &= *(volatile u64 *)(PROBE_VA + k * 4096) == 0x1000 + k;
	want(c, seen, "each of the 3 new mappings reads its page");
	for (unsigned k = 0; k < 3; k++)
		set_pte((pte_t *)&xpt_pte[k], __pte(0));
	set_pgd((pgd_t *)&pgd[1], __pgd(0));
	__flush_tlb();
	branch_release(c, xpt_pte);
}

/* set_fixmap: the fixmap's page of entries is the L1 of the branch for PROBE_VA (natively the
 * alloc and release ops do nothing; under Xen they pin it and give it back); slot 3 set maps
 * the page at the slot's address. */
PROBE(set_fixmap)
{
	u64 *pgd = (u64 *)(read_cr3() & PTE_PFN_MASK), *fix = &fixmap_ptes[0].pte;
	struct mm_struct mm = { (pgd_t *)pgd, 1 };
	unsigned long va = PROBE_VA + 3 * 4096;

	page_a[0] = 0xaaaa;
	branch_alloc(&mm, fix);
	branch_link(fix);
	set_pgd((pgd_t *)&pgd[1], __pgd(pa(xpt_pud) | 3));
	__set_fixmap(3, pa(page_a), (pgprot_t){ PAGE_KERNEL });
	__flush_tlb_single(va);
	want(c, *(volatile u64 *)va == 0xaaaa, "set_fixmap: the slot maps the page at its address");
	__set_fixmap(3, 0, (pgprot_t){ 0 });
	__flush_tlb_single(va);
	want(c, trap_catch(touch, (void *)va) == 14, "set to nothing, the address faults");
	set_pgd((pgd_t *)&pgd[1], __pgd(0));
	__flush_tlb();
	branch_release(c, fix);
}

static void write_probe_va(void *v)
{
	*(volatile u64 *)PROBE_VA = (u64)(unsigned long)v;
}

/* ptep_modify_prot_start/commit: the entry made read-only between them (Xen: an mmu_update
 * that keeps the A and D bits the CPU set); then a write through it faults, a read works. */
PROBE(ptep_modify_prot)
{
	u64 *pgd = (u64 *)(read_cr3() & PTE_PFN_MASK);
	struct mm_struct mm = { (pgd_t *)pgd, 1 };
	pte_t *ptep = (pte_t *)&xpt_pte[0], p;

	page_a[0] = 0xaaaa;
	branch_alloc(&mm, xpt_pte);
	branch_link(xpt_pte);
	set_pte(ptep, __pte(pa(page_a) | 3));
	set_pgd((pgd_t *)&pgd[1], __pgd(pa(xpt_pud) | 3));
	want(c, trap_catch(write_probe_va, (void *)0x5a5a) == -1 && page_a[0] == 0x5a5a,
	     "a write through the mapping reaches page A");
	p = ptep_modify_prot_start(&mm, PROBE_VA, ptep);
	ptep_modify_prot_commit(&mm, PROBE_VA, ptep, (pte_t){ p.pte & ~_PAGE_RW });
	__flush_tlb_single(PROBE_VA);
	want(c, (pte_val(*ptep) & ENTRY_BITS) == (pa(page_a) | 1) && (ptep->pte & _PAGE_DIRTY),
	     "the entry is read-only, the page's dirty bit kept");
	want(c, trap_catch(write_probe_va, (void *)1) == 14 && *(volatile u64 *)PROBE_VA == 0x5a5a,
	     "a write faults, a read still reads page A");
	set_pte(ptep, __pte(0));
	set_pgd((pgd_t *)&pgd[1], __pgd(0));
	__flush_tlb();
	branch_release(c, xpt_pte);
}

static u64 xpgd[512] __attribute__((aligned(4096)));

/* A new pgd: the running one's entries, pinned by activate_mm (read-only, PIN_L4_TABLE); a
 * branch for PROBE_VA in it; write_cr3 switches to it (NEW_BASEPTR) and back. */
PROBE(xen_cr3)
{
	unsigned long old = read_cr3();
	struct mm_struct cur = { (pgd_t *)old, 1 }, mm = { (pgd_t *)xpgd, 0 };

	page_a[0] = 0xaaaa;
	memcpy(xpgd, (const void *)old, sizeof(xpgd));	/* with Xen's slots, which Xen fills in itself */
	paravirt_activate_mm(&cur, &mm);
	want(c, mm.pinned && trap_catch(zero_page, xpgd) == 14, "activate_mm pins the pgd: it is read-only");
	branch_alloc(&mm, xpt_pte);
	branch_link(xpt_pte);
	set_pte((pte_t *)&xpt_pte[0], __pte(pa(page_a) | 3));
	set_pgd((pgd_t *)&xpgd[1], __pgd(pa(xpt_pud) | 3));
	want(c, trap_catch(touch, (void *)PROBE_VA) == 14, "the running tables have nothing at the probe's address");
	write_cr3((unsigned long)xpgd);
	want(c, read_cr3() == (unsigned long)xpgd, "read_cr3 gives what write_cr3 loaded");
	want(c, *(volatile u64 *)PROBE_VA == 0xaaaa, "write_cr3 (NEW_BASEPTR): the new tables are the ones used");
	write_cr3(old);
	want(c, trap_catch(touch, (void *)PROBE_VA) == 14, "the old ones again: nothing there");
	arch_exit_mmap(&mm);
	want(c, !mm.pinned && trap_catch(zero_page, xpgd) == -1, "exit_mmap unpins the pgd: writable again");
	branch_release(c, xpt_pte);
}

/* A data segment of the given base: 4 GiB, DPL 3 (a PV kernel's ring), present, accessed (the
 * CPU need not write the descriptor Xen holds). */
static struct desc_struct data_seg(unsigned long base)
{
	return (struct desc_struct){ (u32)(base << 16) | 0xffff,
				     (u32)(base & 0xff000000) | 0x00cff300 | (u32)(base >> 16 & 0xff) };
}

static unsigned long fs_cell = 0x5eed;

struct fs_read {
	u16 sel;
	unsigned long v;
};

static void fs_read(void *arg)
{
	struct fs_read *r = arg;

	asm volatile("mov %1, %%fs; mov %%fs:0, %0" : "=r"(r->v) : "r"(r->sel));
}

static struct desc_struct xgdt[512] __attribute__((aligned(4096)));

/* load_gdt is set_gdt (its page read-only); write_gdt_entry is update_descriptor; the segment
 * written loads and its base reaches the cell. */
PROBE(xen_gdt)
{
	struct desc_ptr mine = { 16 * 8 - 1, (unsigned long)xgdt };
	struct desc_struct d = data_seg((unsigned long)&fs_cell);
	struct fs_read r = { 7 * 8 | 3, 0 };

	load_gdt(&mine);
	want(c, trap_catch(zero_page, xgdt) == 14, "load_gdt: Xen holds the GDT's page read-only");
	write_gdt_entry(xgdt, 7, &d, 8);
	want(c, xgdt[7].a == d.a && xgdt[7].b == d.b, "write_gdt_entry: the entry is written");
	want(c, trap_catch(fs_read, &r) == -1 && r.v == fs_cell, "the segment loads, and its base reaches the cell");
	d.b &= ~0x8000u;
	write_gdt_entry(xgdt, 7, &d, 8);
	want(c, trap_catch(fs_read, &r) == 11, "written not present: loading it raises #NP");
	asm volatile("mov %0, %%fs" : : "r"(0));
}

static struct desc_struct xldt[512] __attribute__((aligned(4096)));

/* alloc_ldt makes the LDT's page read-only; write_ldt_entry is update_descriptor; set_ldt is
 * mmuext SET_LDT; free_ldt makes the page writable again. */
PROBE(xen_ldt)
{
	struct desc_struct d = data_seg((unsigned long)&fs_cell);
	struct fs_read r = { 1 * 8 | 4 | 3, 0 };

	paravirt_alloc_ldt(xldt, 4);
	want(c, trap_catch(zero_page, xldt) == 14, "alloc_ldt: the LDT's page is read-only");
	write_ldt_entry(xldt, 1, &d);
	want(c, xldt[1].a == d.a && xldt[1].b == d.b, "write_ldt_entry: the entry is written");
	set_ldt(xldt, 4);
	want(c, trap_catch(fs_read, &r) == -1 && r.v == fs_cell, "set_ldt: a selector of the LDT loads, its base reaches the cell");
	set_ldt(0, 0);
	want(c, trap_catch(fs_read, &r) == 13, "no LDT: the same selector raises #GP");
	asm volatile("mov %0, %%fs" : : "r"(0));
	paravirt_free_ldt(xldt, 4);
	want(c, trap_catch(zero_page, xldt) == -1, "free_ldt: the page is writable again");
}

extern char xen_upcall_entry[];

/* arch_setup registers the backend's callbacks (the event one is entry.S's, on Xen's frame):
 * an event then comes through it, which consumes it and turns events on again, with the
 * boot's callback (which counts) not run; then the boot's callback is back. */
PROBE(xen_arch_setup)
{
	struct callback_register boot_cb = { CALLBACKTYPE_event, (unsigned long)xen_upcall_entry };
	struct vcpu_info *v = percpu_read(xen_vcpu);
	unsigned long upcalls;

	irqs_set(c, 0);
	upcalls = xen_upcalls;
	paravirt_arch_setup();
	xen_timer_in(100000);
	WAIT(v->evtchn_upcall_pending);
	want(c, v->evtchn_upcall_pending, "an event is pending");
	raw_local_irq_enable();
	WAIT(!v->evtchn_upcall_pending);
	want(c, !v->evtchn_upcall_pending && xen_upcalls == upcalls && irqs_on(c),
	     "the backend's event callback took it (not the boot's), and left events on");
	irqs_set(c, 0);
	xen_hypercall(__HYPERVISOR_callback_op, CALLBACKOP_register, (unsigned long)&boot_cb, 0, 0);
	xen_timer_in(100000);
	WAIT(v->evtchn_upcall_pending);
	raw_local_irq_enable();
	WAIT(xen_upcalls != upcalls);
	want(c, xen_upcalls == upcalls + 1, "the boot's callback registered again takes the next one");
	irqs_set(c, 0);
}

/* The wall clock from shared_info (wc_sec, and the system time since), against the CMOS
 * clock, which Xen's port emulation reads for dom0. */
PROBE(xen_wallclock)
{
	unsigned long w = get_wallclock();
	long rtc;

	set_iopl_mask(0x3000);
	rtc = rtc_seconds();
	want(c, (long)w + 3 >= rtc && (long)w <= rtc + 3, "get_wallclock is the machine's clock (CMOS), within 3 s");
}

extern char boot_stack_top[];

/* In the lazy CPU mode clts and load_sp0 wait in a multicall, issued when the mode ends. */
PROBE(xen_lazy_cpu)
{
	struct tss_struct tss = { 0, 0 };
	struct thread_struct t = { .sp0 = (unsigned long)boot_stack_top };
	unsigned long mc = xen_hv.calls[__HYPERVISOR_multicall], ft, ss;

	set_ts(c);
	ft = xen_hv.calls[__HYPERVISOR_fpu_taskswitch];
	ss = xen_hv.calls[__HYPERVISOR_stack_switch];
	arch_enter_lazy_cpu_mode();
	clts();
	load_sp0(&tss, &t);
	want(c, xen_hv.calls[__HYPERVISOR_multicall] == mc, "nothing issued inside the mode");
	arch_leave_lazy_cpu_mode();
	want(c, xen_hv.calls[__HYPERVISOR_multicall] == mc + 1 && xen_hv.calls[__HYPERVISOR_fpu_taskswitch] == ft &&
		    xen_hv.calls[__HYPERVISOR_stack_switch] == ss,
	     "one multicall at its end, no separate hypercalls");
	want(c, trap_catch(fnop, 0) == -1, "the batched clts took effect: the FPU runs");
}

PROBE(xen_sp0)
{
	struct tss_struct tss = { 0, 0 };
	struct thread_struct t = { .sp0 = (unsigned long)boot_stack_top };
	unsigned long ss = xen_hv.calls[__HYPERVISOR_stack_switch];

	load_sp0(&tss, &t);
	want(c, tss.sp0 == t.sp0 && xen_hv.calls[__HYPERVISOR_stack_switch] == ss + 1,
	     "load_sp0: the TSS field, and stack_switch");
}

#endif

const struct boot_probe boot_probes[] = {
	P(save_fl, "save_fl", NATIVE | XEN),
	P(restore_fl, "restore_fl", NATIVE | XEN),
	P(irq_disable, "irq_disable", NATIVE | XEN),
	P(irq_enable, "irq_enable (a pending interrupt taken)", NATIVE | XEN),
	P(safe_halt, "safe_halt (woken by the timer)", NATIVE | XEN),
	P(halt, "halt (woken by the timer)", NATIVE | XEN),
	P(read_cr0, "read_cr0", NATIVE),
	P(write_cr0, "write_cr0", NATIVE),
	P(clts, "clts (#NM before, none after)", NATIVE | XEN),
	P(read_cr2, "read_cr2", NATIVE),
	P(write_cr2, "write_cr2", NATIVE),
	P(read_cr4, "read_cr4, read_cr4_safe", NATIVE),
	P(write_cr4, "write_cr4", NATIVE),
	P(cpuid, "cpuid", NATIVE | XEN),
	P(read_msr, "read_msr, read_msr_amd", NATIVE),
	P(write_msr, "write_msr", NATIVE),
	P(msr_safe_native, "read_msr, write_msr: a write that faults (#GP to -EIO), a good MSR", NATIVE),
	P(msr_safe_xen, "read_msr, read_msr_amd, write_msr: a read and a write that fault (#GP to -EIO), a good MSR", XEN),
	P(read_tsc, "read_tsc", NATIVE | XEN),
	P(read_tscp, "read_tscp", NATIVE),
	P(read_pmc, "read_pmc", NATIVE | NO_CANARY),
	P(gdt, "load_gdt, store_gdt", NATIVE),
	P(write_gdt_entry, "write_gdt_entry", NATIVE),
	P(load_tr_desc, "load_tr_desc, store_tr", NATIVE),
	P(idt, "load_idt, store_idt, write_idt_entry", NATIVE),
	P(ldt, "set_ldt, write_ldt_entry", NATIVE),
	P(load_tls, "load_tls", NATIVE),
	P(load_sp0, "load_sp0", NATIVE),
	P(set_iopl_mask, "set_iopl_mask", NATIVE),
	P(debugreg, "get_debugreg, set_debugreg (a breakpoint taken)", NATIVE),
	P(wbinvd, "wbinvd", NATIVE),
	P(io_delay, "io_delay", NATIVE | XEN),
	P(page_tables, "set_pgd, set_pud, set_pmd, set_pte, set_pte_at, flush_tlb_single/user/kernel", NATIVE),
	P(cr3, "read_cr3, write_cr3", NATIVE),
	P(identity, "pte_val, make_pte, pmd_val, make_pmd, pud_val, make_pud, pgd_val, make_pgd", NATIVE),
	P(iret, "iret (to a frame it built)", NATIVE | XEN | NO_CANARY),
	P(lazy, "lazy_mode enter/leave (cpu and mmu)", NATIVE),
	P(time, "sched_clock, get_tsc_khz, get_wallclock", NATIVE),
	P(apic_clock, "setup_boot_clock, setup_secondary_clock (the APIC timer ticks)", NATIVE),
	P(xen_time, "sched_clock, get_tsc_khz (Xen's vcpu_time_info)", XEN),
	P(banner, "banner", NATIVE | XEN),
	P(spinlock, "spin_lock, spin_unlock, spin_trylock, spin_is_locked", NATIVE | XEN),
#ifdef __x86_64__
	P(read_cr8, "read_cr8", NATIVE),
	P(write_cr8, "write_cr8", NATIVE),
	P(xen_sp0, "load_sp0 (stack_switch)", XEN),
	P(xen_cr0, "read_cr0, write_cr0 (fpu_taskswitch: #NM)", XEN),
	P(xen_iopl, "set_iopl_mask (physdev_op set_iopl: a port read)", XEN),
	P(xen_gs, "load_gs_index (set_segment_base)", XEN),
	P(fs_base, "write_msr of FS_BASE (read through %fs)", NATIVE | XEN),
	P(xen_idt, "load_idt, write_idt_entry (set_trap_table: int3)", XEN),
	P(xen_tlb, "flush_tlb_single/user/kernel (mmuext_op, after update_va_mapping)", XEN),
	P(xen_lazy_cpu, "lazy cpu mode: clts, load_sp0 batched in one multicall", XEN),
	P(xen_page_tables, "set_pgd, set_pud, set_pmd, set_pte, alloc/release_pte/pmd/pud, flush_tlb_single (mmu_update)", XEN),
	P(xen_lazy_mmu, "lazy MMU mode: set_pte x3 batched in one multicall", XEN),
	P(xen_cr3, "activate_mm, write_cr3, read_cr3, exit_mmap (PIN_L4_TABLE, NEW_BASEPTR)", XEN),
	P(xen_gdt, "load_gdt, write_gdt_entry (set_gdt, update_descriptor: a segment loaded)", XEN),
	P(xen_ldt, "alloc_ldt, write_ldt_entry, set_ldt, free_ldt (update_descriptor, SET_LDT)", XEN),
	P(xen_wallclock, "get_wallclock (shared_info's wc_sec, against the CMOS clock)", XEN),
	P(set_fixmap, "set_fixmap (the fixmap's table in a branch: the slot maps the page)", NATIVE | XEN),
	P(xen_arch_setup, "arch_setup (callback_op: an event through the backend's callback)", XEN),
	P(ptep_modify_prot, "ptep_modify_prot_start, ptep_modify_prot_commit (made read-only: a write faults)", NATIVE | XEN),
	P(load_gs_index, "load_gs_index", NATIVE),
	P(swapgs, "swapgs", NATIVE),
	P(swapgs_unsafe, "swapgs (SWAPGS_UNSAFE_STACK: no stack, no call)", NATIVE),
#endif
};
const unsigned nboot_probes = sizeof(boot_probes) / sizeof(boot_probes[0]);

void probes_init(enum boot_env env)
{
	if (env == ENV_NATIVE)
		apic_init();
}
