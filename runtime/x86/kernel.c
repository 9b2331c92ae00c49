/* The kernel data of kernel.h: what the descriptor and fixmap ops write, one cpu's worth. */
#include "kernel.h"

pte_t fixmap_ptes[FIX_SLOTS];
struct desc_struct cpu_gdt[GDT_ENTRIES];
gate_desc idt_table[IDT_ENTRIES];
