/* The kernel data of kernel.h: what the descriptor and fixmap ops write, one cpu's worth. */
#include "host.h"

pte_t fixmap_ptes[4096 / sizeof(pte_t)] __attribute__((aligned(4096)));
struct desc_struct cpu_gdt[GDT_ENTRIES];
gate_desc idt_table[IDT_ENTRIES];

unsigned long __per_cpu_offset[NR_CPUS];
extern char __per_cpu_start[], __per_cpu_end[];	/* parainstructions.ld */
#define PERCPU_AREA 4096
/* page-aligned: a vcpu_info Xen is told to use may not cross a page */
static char percpu_areas[NR_CPUS][PERCPU_AREA] __attribute__((aligned(PERCPU_AREA)));

RT_HOST void setup_per_cpu_areas(void)
{
	unsigned long n = (unsigned long)(__per_cpu_end - __per_cpu_start);

	if (n > PERCPU_AREA)
		__builtin_trap();
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		for (unsigned long i = 0; i < n; i++)
			percpu_areas[cpu][i] = __per_cpu_start[i];
		__per_cpu_offset[cpu] = (unsigned long)(percpu_areas[cpu] - __per_cpu_start);
	}
	if (rt_set_percpu_base(__per_cpu_offset[0]))
		__builtin_trap();
}

/* The fixup entry code owes native_iret's __ex_table entry (Linux: bad_iret, iret_exc): an
 * iret to a bad frame faults into it. A process has no such frames; it stops there. */
asm(".pushsection .text\n"
    ".globl bad_iret, iret_exc\n"
    "bad_iret:\n"
    "iret_exc:\n"
    "\tud2\n"
    ".popsection");
