/* i386 descriptor tables for the native entry: Linux's GDT layout (kernel segments 12 and 13,
 * the TSS at 16), and an IDT of 8-byte interrupt gates to trap.S's entry points. */
#include "boot.h"
#include "desc.h"

extern char trap_vectors[];

/* The hardware TSS: only esp0/ss0 matter (the stack a trap from ring 3 lands on). */
struct hw_tss {
	u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	u32 gpr[8], seg[6], ldt;
	u16 trap, iomap_base;
};
static struct hw_tss boot_tss __attribute__((aligned(16)));
void *const boot_tss_addr = &boot_tss;
const unsigned boot_tss_size = sizeof(boot_tss);

static struct desc_struct seg(u32 flags)
{
	return (struct desc_struct){ 0x0000ffff, flags | 0x000f0000 };
}

/* The TSS's system descriptor, available (type 9): one slot. */
unsigned pack_tss_desc(struct desc_struct *d)
{
	unsigned long base = (unsigned long)&boot_tss;
	u32 limit = sizeof(boot_tss) - 1;

	d[0].a = (u32)(base << 16) | (limit & 0xffff);
	d[0].b = (u32)(base & 0xff000000) | (limit & 0xf0000) | 0x8900 | ((u32)(base >> 16) & 0xff);
	return 8;
}

void gdt_init(void)
{
	struct desc_ptr p = { sizeof(cpu_gdt) - 1, (unsigned long)cpu_gdt };

	cpu_gdt[KERNEL_CS / 8] = seg(0x00c09b00);	/* 32-bit code, ring 0 */
	cpu_gdt[KERNEL_DS / 8] = seg(0x00c09300);
	cpu_gdt[14] = seg(0x00c0fb00);			/* user code */
	cpu_gdt[15] = seg(0x00c0f300);			/* user data */
	boot_tss.ss0 = KERNEL_DS;
	boot_tss.iomap_base = sizeof(boot_tss);
	pack_tss_desc(&cpu_gdt[GDT_ENTRY_TSS]);
	asm volatile("lgdt %0\n\t"
		     "ljmp %1, $1f\n"
		     "1:\tmov %2, %%ss\n\t"
		     "mov %2, %%ds\n\t"
		     "mov %2, %%es\n\t"
		     "ltr %w3"
		     : : "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(GDT_ENTRY_TSS * 8) : "memory");
}

void idt_init(void)
{
	struct desc_ptr p = { sizeof(idt_table) - 1, (unsigned long)idt_table };

	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		unsigned long h = (unsigned long)trap_vectors + 16 * v;

		idt_table[v].w[0] = (u32)(KERNEL_CS << 16) | (h & 0xffff);
		idt_table[v].w[1] = (u32)(h & 0xffff0000) | 0x8e00 | (v == 3 ? 0x6000 : 0);
	}
	asm volatile("lidt %0" : : "m"(p));
}
