/* The small "kernel" the x86 runtime runs in user space: the types the generated headers
 * expect (runtime/kernel_types.h), the structures the backends' implementations
 * work on, and the calling-convention attribute that joins code built as the kernel is built
 * (i386: -mregparm=3) with ordinary user-space code. Include it before the generated headers. */
#ifndef RT_X86_KERNEL_H
#define RT_X86_KERNEL_H

#include <stdint.h>

/* i386 kernel code is built with -mregparm=3 (pv sites pass arguments in eax, edx, ecx) and
 * -DRT_KERNEL; libc and the runtime's host code are not. Every function one side calls on
 * the other is declared RT_HOST: the stack convention in kernel code too. (Host code must not
 * see the attribute: gcc takes an explicit regparm(0) for a different type than the default.) */
#if defined(__i386__) && defined(RT_KERNEL)
#define RT_HOST __attribute__((regparm(0)))
#else
#define RT_HOST
#endif

#include "../kernel_types.h"

/* A segment descriptor is 8 bytes on both (a gate_desc 16 on x86_64). */
struct desc_struct {
	u32 a, b;
};

struct desc_ptr {
	unsigned short size;
	unsigned long address;
} __attribute__((packed));

#define GDT_ENTRIES 32
#define IDT_ENTRIES 256
#define TLS_ENTRIES 3
#ifdef __x86_64__
#define GDT_ENTRY_TLS_MIN 12
#define GDT_ENTRY_TSS 8
#else
#define GDT_ENTRY_TLS_MIN 6
#define GDT_ENTRY_TSS 16
#endif
#define GDT_ENTRY_LDT (GDT_ENTRY_TSS + 2)

/* The fields of the kernel's structures that the ops read or write. */
struct thread_struct {
	struct desc_struct tls_array[TLS_ENTRIES];
	unsigned long sp0;
	unsigned short sysenter_cs;
};

struct tss_struct {
	unsigned long sp0;
	unsigned short ss0;
};

struct mm_struct {
	pgd_t *pgd;
	int pinned;	/* Xen: its page tables are read-only and validated */
};

struct cpumask {
	unsigned long bits[1];
};

/* A ticket lock: head is the ticket now served, tail the next one to take (little-endian:
 * head is the low half of slock). */
struct raw_spinlock {
	union {
		volatile u32 slock;
		struct {
			volatile u16 head, tail;
		};
	};
};

#define X86_EFLAGS_CF 0x00000001
#define X86_EFLAGS_IF 0x00000200
#define X86_EFLAGS_IOPL 0x00003000
#define X86_EFLAGS_ID 0x00200000

#define X86_CR0_TS 0x00000008
#define X86_CR4_PSE 0x00000010
#define X86_CR4_PGE 0x00000080

#define _PAGE_PRESENT 0x001ULL
#define PAGE_SHIFT 12
#define PTE_PFN_MASK 0x000ffffffffff000ULL

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

/* n / d. Kernel code on i386 must not divide 64-bit numbers with '/': gcc would call libgcc's
 * __udivdi3 with the arguments in registers (-mregparm=3), which libgcc does not take. */
static inline u64 div_u64(u64 n, u32 d)
{
#ifdef __i386__
	u32 hi = (u32)(n >> 32), qhi = hi / d, qlo, r = hi % d;

	asm("divl %4" : "=a"(qlo), "=d"(r) : "a"((u32)n), "d"(r), "rm"(d));
	return (u64)qhi << 32 | qlo;
#else
	return n / d;
#endif
}

/* Per-cpu data, as Linux keeps it: a variable defined per cpu is a template in its own section;
 * cpu n's copy is at __per_cpu_offset[n] from it, and the per-cpu segment (gs on x86_64, fs on
 * i386) has the running cpu's offset as its base, so `%gs:var` is this cpu's var. The model
 * runs on cpu 0 (setup_per_cpu_areas loads its offset). */
#define NR_CPUS 2
#define DEFINE_PER_CPU(type, name) __attribute__((section(".data.percpu"))) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
extern unsigned long __per_cpu_offset[NR_CPUS];
#define per_cpu(var, cpu) (*(__typeof__(&(var)))((char *)&(var) + __per_cpu_offset[cpu]))
#ifdef __x86_64__
#define PER_CPU_SEG "%%gs:"
#else
#define PER_CPU_SEG "%%fs:"
#endif
/* This cpu's value of a word-sized per-cpu variable, read through the segment. */
#define percpu_read(var) \
	({ __typeof__(var) v__; asm volatile("mov " PER_CPU_SEG "%c1, %0" : "=r"(v__) : "i"(&(var))); v__; })
/* ... and its write. */
#define percpu_write(var, val) do { \
	__typeof__(var) v__ = (val); \
	asm volatile("mov %1, " PER_CPU_SEG "%c0" : : "i"(&(var)), "r"(v__) : "memory"); \
} while (0)
/* Copy the per-cpu templates for every cpu and point this process's per-cpu segment at cpu 0's. */
RT_HOST void setup_per_cpu_areas(void);

/* The fixed mappings set_fixmap fills: one page-table entry each, the first of a page-table
 * page of their own, which a kernel hooks into its tables (the boot kernel does). */
#define FIX_SLOTS 16
extern pte_t fixmap_ptes[4096 / sizeof(pte_t)];

/* A page of memory. The model reaches every page at its own address (Linux: page->virtual,
 * or the fixmap slot kmap_atomic maps it at). */
struct page {
	void *virtual;
	int pinned;	/* Xen: a page-table page, which may only be mapped read-only */
};

/* A cpu's kmap_atomic slots (enum km_type; Linux: asm/kmap_types.h), at these fixmap entries. */
#define FIX_KMAP_BEGIN 8
_Static_assert(FIX_KMAP_BEGIN + KM_TYPE_NR <= FIX_SLOTS, "the kmap slots are fixmap entries");

#define PAGE_KERNEL 0x063ULL	/* present, writable, accessed, dirty */
#define PAGE_KERNEL_RO 0x061ULL

/* The entry of a cpu's kmap slot, and what it holds to map a page there. */
#define kmap_slot(type) (&fixmap_ptes[FIX_KMAP_BEGIN + (type)])
#define kmap_entry(page, prot) (((uintptr_t)(page)->virtual & PTE_PFN_MASK) | (prot))

/* The per-cpu descriptor tables (one cpu). */
extern struct desc_struct cpu_gdt[GDT_ENTRIES];
extern gate_desc idt_table[IDT_ENTRIES];

#endif
