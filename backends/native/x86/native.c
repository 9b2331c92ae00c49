/* The native x86 backend, for the user-space runtime: what a kernel on bare hardware does for
 * every op the generated initializers name and the spec gives no code for (those bodies are
 * generated in paravirt_insns.S and must not be defined here).
 *
 * What user mode may do runs for real: pushf/popf, cpuid, rdtsc/rdtscp, page-table and
 * descriptor writes to memory, ticket locks. What needs ring 0 is the real privileged
 * instruction; the runtime tests never run those, they check the bytes patched at the sites.
 * Where Linux reaches platform hardware (the RTC, the PIT), this reaches the host's clocks.
 * Built as kernel code: no libc (host.h is the way out). */
#include "host.h"
#include "patch.h"

/* ---- boot ---- */

unsigned int native_patch(u8 type, u16 clobber, void *insnbuf, unsigned long addr, unsigned int len)
{
	return pv_patch_op(&native_backend, type, clobber, insnbuf, addr, len);
}

/* Linux sanitizes the BIOS's e820 map and says where it came from; a process has no BIOS map,
 * only the name. */
char *native_memory_setup(void)
{
	return "BIOS-e820";
}

void native_banner(void)
{
	rt_log("Booting paravirtualized kernel on %s", pv_info.name);
}

/* ---- time: the TSC, whose rate Linux measures against the PIT and this against the host's
 * clock (host.h); the wall clock is the host's, which a process cannot set (it keeps an
 * offset) ---- */

static u64 tsc_khz;
static u64 tsc_boot;
static long wall_offset;
static u32 cyc2ns_mul;	/* ns = cycles * mul >> CYC2NS_SHIFT */
#define CYC2NS_SHIFT 22

unsigned long native_get_tsc_khz(void)
{
	if (!tsc_khz) {
		tsc_khz = rt_tsc_khz();
		cyc2ns_mul = (u32)div_u64(1000000ULL << CYC2NS_SHIFT, (u32)tsc_khz);
	}
	return (unsigned long)tsc_khz;
}

void native_time_init(void)
{
	tsc_boot = rdtsc();
	native_get_tsc_khz();
}

unsigned long long native_sched_clock(void)
{
	if (!tsc_boot)
		native_time_init();
	return (rdtsc() - tsc_boot) * cyc2ns_mul >> CYC2NS_SHIFT;
}

unsigned long native_get_wallclock(void)
{
	return (unsigned long)(rt_wall_s() + wall_offset);
}

int native_set_wallclock(unsigned long now)
{
	wall_offset = (long)now - rt_wall_s();
	return 0;
}

/* ---- cpu state ---- */

#define DR(n) case n: asm volatile("mov %%db" #n ", %0" : "=r"(v)); break;
unsigned long native_get_debugreg(int regno)
{
	unsigned long v = 0;

	switch (regno) {
	DR(0) DR(1) DR(2) DR(3) DR(6) DR(7)
	}
	return v;
}
#undef DR

#define DR(n) case n: asm volatile("mov %0, %%db" #n : : "r"(value)); break;
void native_set_debugreg(int regno, unsigned long value)
{
	switch (regno) {
	DR(0) DR(1) DR(2) DR(3) DR(6) DR(7)
	}
}
#undef DR

unsigned long native_read_cr0(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

void native_write_cr0(unsigned long value)
{
	asm volatile("mov %0, %%cr0" : : "r"(value) : "memory");
}

unsigned long native_read_cr4(void)
{
	unsigned long v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* The safe read guards against CPUs without CR4; every CPU with PAE has one. */
unsigned long native_read_cr4_safe(void)
{
	return native_read_cr4();
}

void native_write_cr4(unsigned long value)
{
	asm volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}

#ifdef __x86_64__
unsigned long native_read_cr8(void)
{
	unsigned long v;

	asm volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

void native_write_cr8(unsigned long value)
{
	asm volatile("mov %0, %%cr8" : : "r"(value) : "memory");
}

void native_load_gs_index(unsigned int idx)
{
	/* the selector load replaces the user gs base, which swapgs keeps aside meanwhile */
	asm volatile("swapgs; mov %0, %%gs; mfence; swapgs" : : "r"(idx) : "memory");
}

u64 native_read_tsc(void)
{
	return rdtsc();
}

#else
void native_wbinvd(void)
{
	asm volatile("wbinvd" : : : "memory");
}
#endif

void native_load_tr_desc(void)
{
	asm volatile("ltr %w0" : : "q"(GDT_ENTRY_TSS * 8));
}

void native_load_gdt(const struct desc_ptr *dtr)
{
	asm volatile("lgdt %0" : : "m"(*dtr));
}

void native_load_idt(const struct desc_ptr *dtr)
{
	asm volatile("lidt %0" : : "m"(*dtr));
}

/* sgdt, sidt and str are refused to user mode where the CPU has UMIP */
void native_store_gdt(struct desc_ptr *dtr)
{
	asm volatile("sgdt %0" : "=m"(*dtr));
}

void native_store_idt(struct desc_ptr *dtr)
{
	asm volatile("sidt %0" : "=m"(*dtr));
}

unsigned long native_store_tr(void)
{
	unsigned long tr = 0;

	asm volatile("str %w0" : "+r"(tr));
	return tr;
}

/* An LDT descriptor (system type 2) for base and limit: two GDT slots on x86_64. */
static void pack_ldt_desc(struct desc_struct *d, unsigned long base, u32 limit)
{
	d[0].a = (u32)(base << 16) | (limit & 0xffff);
	d[0].b = (u32)(base & 0xff000000) | (limit & 0xf0000) | 0x8200 | ((u32)(base >> 16) & 0xff);
#ifdef __x86_64__
	d[1].a = (u32)((u64)base >> 32);
	d[1].b = 0;
#endif
}

void native_set_ldt(const void *desc, unsigned int entries)
{
	u16 sel = 0;

	if (entries) {
		pack_ldt_desc(&cpu_gdt[GDT_ENTRY_LDT], (unsigned long)desc, entries * 8 - 1);
		sel = GDT_ENTRY_LDT * 8;
	}
	asm volatile("lldt %w0" : : "q"(sel));
}

/* One cpu: the cpu number names the only GDT there is. */
void native_load_tls(struct thread_struct *t, unsigned int cpu)
{
	(void)cpu;
	for (unsigned i = 0; i < TLS_ENTRIES; i++)
		cpu_gdt[GDT_ENTRY_TLS_MIN + i] = t->tls_array[i];
}

void native_write_ldt_entry(struct desc_struct *ldt, int entrynum, const void *desc)
{
	ldt[entrynum] = *(const struct desc_struct *)desc;
}

/* size 8: a segment descriptor; 16: an x86_64 system descriptor (TSS, LDT) */
void native_write_gdt_entry(struct desc_struct *gdt, int entrynum, const void *desc, int size)
{
	const struct desc_struct *d = desc;

	gdt[entrynum] = d[0];
	if (size == 16)
		gdt[entrynum + 1] = d[1];
}

void native_write_idt_entry(gate_desc *idt, int entrynum, const gate_desc *gate)
{
	idt[entrynum] = *gate;
}

void native_load_sp0(struct tss_struct *tss, struct thread_struct *t)
{
	tss->sp0 = t->sp0;
#ifdef __i386__
	/* sysenter enters on the kernel stack segment of this MSR */
	if (tss->ss0 != t->sysenter_cs) {
		tss->ss0 = t->sysenter_cs;
		native_write_msr(0x174, t->sysenter_cs, 0);
	}
#endif
}

/* IOPL is set through popf; in user mode the CPU keeps it unchanged, silently. */
void native_set_iopl_mask(unsigned int mask)
{
	unsigned long fl;

	asm volatile("pushf; pop %0" : "=r"(fl));
	fl = (fl & ~(unsigned long)X86_EFLAGS_IOPL) | mask;
	asm volatile("push %0; popf" : : "r"(fl) : "memory", "cc");
}

/* The delay of an I/O cycle to the POST port, for slow ISA devices. */
void native_io_delay(void)
{
	asm volatile("outb %%al, $0x80" : : : "memory");
}

void native_cpuid(unsigned int *eax, unsigned int *ebx, unsigned int *ecx, unsigned int *edx)
{
	asm volatile("cpuid" : "+a"(*eax), "=b"(*ebx), "+c"(*ecx), "=d"(*edx));
}

/* The safe MSR accesses. A #GP on the rdmsr or wrmsr (an MSR the CPU does not have, a value
 * it refuses) goes to the kernel's trap handler, which finds the instruction in __ex_table and
 * resumes at its fixup: the error is -EIO and the value read 0. An entry is the two addresses,
 * as paravirt_insns.S has native_iret's. */
#ifdef __x86_64__
#define EXTABLE_WORD ".balign 8\n\t.quad "
#else
#define EXTABLE_WORD ".balign 4\n\t.long "
#endif
#define MSR_EXTABLE(insn, fixup) \
	".pushsection __ex_table, \"a\"\n\t" EXTABLE_WORD insn ", " fixup "\n\t.popsection\n\t"
#define MSR_SAFE(insn)                                                            \
	"1:\t" insn "\n\txor %[err], %[err]\n\tjmp 3f\n"                          \
	"2:\tmov $-5, %[err]\n\txor %%eax, %%eax\n\txor %%edx, %%edx\n"            \
	"3:\n\t" MSR_EXTABLE("1b", "2b")

u64 native_read_msr(unsigned int msr, int *err)
{
	u32 lo, hi;

	asm volatile(MSR_SAFE("rdmsr") : "=a"(lo), "=d"(hi), [err] "=r"(*err) : "c"(msr));
	return (u64)hi << 32 | lo;
}

/* AMD's K8 keeps some MSRs behind this passcode in edi. */
u64 native_read_msr_amd(unsigned int msr, int *err)
{
	u32 lo, hi;

	asm volatile(MSR_SAFE("rdmsr") : "=a"(lo), "=d"(hi), [err] "=r"(*err) : "c"(msr), "D"(0x9c5a203a));
	return (u64)hi << 32 | lo;
}

int native_write_msr(unsigned int msr, unsigned int low, unsigned int high)
{
	int err;

	asm volatile(MSR_SAFE("wrmsr") : [err] "=r"(err), "+a"(low), "+d"(high) : "c"(msr) : "memory");
	return err;
}

u64 native_read_pmc(int counter)
{
	u32 lo, hi;

	asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(counter));
	return (u64)hi << 32 | lo;
}

unsigned long long native_read_tscp(unsigned int *aux)
{
	u32 lo, hi;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux));
	return (u64)hi << 32 | lo;
}

#ifdef __i386__
/* A 32-bit kernel has the two sysret slots (the layout is Linux's on both arches) but no
 * sysret exit: nothing jumps there, and if something did it stops at once. */
asm(".pushsection .text\n"
    ".globl native_usergs_sysret64, native_usergs_sysret32\n"
    ".type native_usergs_sysret64, @function\n"
    ".type native_usergs_sysret32, @function\n"
    "native_usergs_sysret64:\n"
    "native_usergs_sysret32:\n"
    "\tud2\n"
    ".size native_usergs_sysret64, . - native_usergs_sysret64\n"
    ".size native_usergs_sysret32, . - native_usergs_sysret32\n"
    ".popsection");
#endif

/* ---- interrupts ---- */

/* The local APIC (xAPIC, at its reset base) and its timer: registers, the vector Linux gives
 * the timer, and the tick the clock events run at. */
#define APIC_REG(off) ((volatile u32 *)(0xfee00000UL + (off)))
#define APIC_LVTT 0x320
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_TDR_DIV_16 0x3
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_TIMER_PERIODIC (1u << 17)
#define LOCAL_TIMER_VECTOR 0xef
#define TIMER_HZ 250

static u32 apic_timer_count;	/* timer counts per tick, measured on the boot cpu */

static void setup_APIC_timer(void)
{
	*APIC_REG(APIC_TDCR) = APIC_TDR_DIV_16;
	*APIC_REG(APIC_LVTT) = APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR;
	*APIC_REG(APIC_TMICT) = apic_timer_count;
}

/* The timer counts at the bus clock, which nothing reports: count it down, masked, for a
 * tick's worth of TSC cycles, then make it tick periodically at that count. */
void setup_boot_APIC_clock(void)
{
	u64 cycles = native_get_tsc_khz() * 1000 / TIMER_HZ, start;

	*APIC_REG(APIC_TDCR) = APIC_TDR_DIV_16;
	*APIC_REG(APIC_LVTT) = APIC_LVT_MASKED | LOCAL_TIMER_VECTOR;
	*APIC_REG(APIC_TMICT) = 0xffffffffu;
	start = rdtsc();
	while (rdtsc() - start < cycles)
		asm volatile("pause");
	apic_timer_count = 0xffffffffu - *APIC_REG(APIC_TMCCT);
	setup_APIC_timer();
}

/* A secondary cpu's timer ticks at the boot cpu's count: the bus clock is the same. */
void setup_secondary_APIC_clock(void)
{
	setup_APIC_timer();
}

/* Mask every line of both 8259 PICs until the drivers ask for theirs. */
void native_init_IRQ(void)
{
	asm volatile("outb %%al, $0x21; outb %%al, $0xa1" : : "a"(0xff) : "memory");
}

void native_safe_halt(void)
{
	asm volatile("sti; hlt" : : : "memory");
}

void native_halt(void)
{
	asm volatile("hlt" : : : "memory");
}

/* ---- page tables and TLB ---- */

/* The kernel's own page tables are the hardware's: nothing to prepare or finish (Linux:
 * paravirt_nop on x86_64). */
void native_pagetable_setup_start(pgd_t *base)
{
	(void)base;
}

void native_pagetable_setup_done(pgd_t *base)
{
	(void)base;
}

void native_write_cr2(unsigned long value)
{
	asm volatile("mov %0, %%cr2" : : "r"(value) : "memory");
}

void native_flush_tlb_user(void)
{
	unsigned long cr3;

	asm volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

void native_flush_tlb_kernel(void)
{
	unsigned long cr4 = native_read_cr4();

	native_write_cr4(cr4 & ~(unsigned long)X86_CR4_PGE);
	native_write_cr4(cr4);
}

#ifdef __i386__
void native_flush_tlb_single(unsigned long addr)
{
	asm volatile("invlpg (%0)" : : "r"(addr) : "memory");
}
#endif

/* Ask the other cpus to flush: an IPI per cpu through the local APIC's interrupt command
 * register (xAPIC MMIO), on the TLB-invalidate vector. */
#define APIC_ICR ((volatile u32 *)0xfee00300UL)
#define APIC_ICR2 ((volatile u32 *)0xfee00310UL)
#define INVALIDATE_TLB_VECTOR 0xfd
void native_flush_tlb_others(const struct cpumask *cpus, struct mm_struct *mm, unsigned long va)
{
	(void)mm;
	(void)va;
	for (unsigned cpu = 0; cpu < 8 * sizeof(cpus->bits[0]); cpu++) {
		if (cpus->bits[0] >> cpu & 1) {
			*APIC_ICR2 = cpu << 24;
			*APIC_ICR = INVALIDATE_TLB_VECTOR;
		}
	}
}

/* A native pgd needs nothing beyond its page (Linux: 0 and paravirt_nop). */
int native_pgd_alloc(struct mm_struct *mm)
{
	(void)mm;
	return 0;
}

/* A 64-bit entry, written so that the walker never sees a present half-entry: on i386 the
 * high word goes first, and the low word, holding the present bit, last. */
static void set_entry(u64 *p, u64 v)
{
#ifdef __i386__
	volatile u32 *w = (volatile u32 *)p;

	w[1] = (u32)(v >> 32);
	asm volatile("" : : : "memory");
	w[0] = (u32)v;
#else
	*(volatile u64 *)p = v;
#endif
}

void native_set_pte(pte_t *ptep, pte_t pteval)
{
	set_entry(&ptep->pte, pteval.pte);
}

void native_set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pteval)
{
	(void)mm;
	(void)addr;
	native_set_pte(ptep, pteval);
}

void native_set_pmd(pmd_t *pmdp, pmd_t pmdval)
{
	set_entry(&pmdp->pmd, pmdval.pmd);
}

/* A PAE pud lives in the pdpt the CPU caches whole: one atomic 64-bit store. */
void native_set_pud(pud_t *pudp, pud_t pudval)
{
	__atomic_store_n(&pudp->pud, pudval.pud, __ATOMIC_SEQ_CST);
}

pte_t native_ptep_modify_prot_start(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	/* cleared while it changes, so the CPU cannot set A or D in between */
	return (pte_t){ __atomic_exchange_n(&ptep->pte, 0, __ATOMIC_SEQ_CST) };
}

void native_ptep_modify_prot_commit(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	native_set_pte_at(mm, addr, ptep, pte);
}

#ifdef __x86_64__
void native_set_pgd(pgd_t *pgdp, pgd_t pgdval)
{
	set_entry(&pgdp->pgd, pgdval.pgd);
}
#else
/* Present bit first, so the half-cleared entry is not present. */
static void clear_entry(u64 *p)
{
	volatile u32 *w = (volatile u32 *)p;

	w[0] = 0;
	asm volatile("" : : : "memory");
	w[1] = 0;
}

void native_set_pte_atomic(pte_t *ptep, pte_t pteval)
{
	__atomic_store_n(&ptep->pte, pteval.pte, __ATOMIC_SEQ_CST);
}

void native_pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	clear_entry(&ptep->pte);
}

void native_pmd_clear(pmd_t *pmdp)
{
	clear_entry(&pmdp->pmd);
}
#endif

#ifdef __i386__
/* CONFIG_HIGHPTE: a pte page in high memory is mapped as any other page. */
void *kmap_atomic(struct page *page, enum km_type type)
{
	native_set_pte(kmap_slot(type), (pte_t){ kmap_entry(page, PAGE_KERNEL) });
	return page->virtual;
}
#endif

void native_set_fixmap(unsigned int idx, phys_addr_t phys, pgprot_t flags)
{
	if (idx >= FIX_SLOTS)
		__builtin_trap();	/* Linux: BUG() */
	set_entry(&fixmap_ptes[idx].pte, (phys & PTE_PFN_MASK) | flags.pgprot);
}

/* ---- ticket spinlocks (Linux 2.6.30): take the next ticket, wait until it is served ---- */

int native_spin_is_locked(struct raw_spinlock *lock)
{
	u32 v = lock->slock;

	return (v >> 16) != (v & 0xffff);
}

int native_spin_is_contended(struct raw_spinlock *lock)
{
	u32 v = lock->slock;

	return (((v >> 16) - v) & 0xffff) > 1;
}

void native_spin_lock(struct raw_spinlock *lock)
{
	u16 mine = __atomic_fetch_add(&lock->tail, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&lock->head, __ATOMIC_ACQUIRE) != mine)
		asm volatile("pause");
}

/* The flags are for re-enabling interrupts while spinning; ticket locks spin with them as
 * they are (Linux 2.6.30 does the same). */
void native_spin_lock_flags(struct raw_spinlock *lock, unsigned long flags)
{
	(void)flags;
	native_spin_lock(lock);
}

/* Take the next ticket only if it is the one served: both halves compared and set at once. */
int native_spin_trylock(struct raw_spinlock *lock)
{
	u32 v = lock->slock;

	if ((v >> 16) != (v & 0xffff))
		return 0;
	return __atomic_compare_exchange_n(&lock->slock, &v, v + (1u << 16), 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* Serve the next ticket. Only the holder writes the head; a plain 16-bit store keeps the
 * carry out of the tail that others are taking tickets from. */
void native_spin_unlock(struct raw_spinlock *lock)
{
	__atomic_store_n(&lock->head, (u16)(lock->head + 1), __ATOMIC_RELEASE);
}
