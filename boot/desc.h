/* The native entry's descriptor tables, per arch (boot/<arch>/desc.c). */
#ifndef BOOT_DESC_H
#define BOOT_DESC_H

#include "kernel.h"

void gdt_init(void);	/* cpu_gdt with Linux's layout and the TSS; loaded, with ltr */
void idt_init(void);	/* idt_table: every vector to trap.S; loaded */
/* The TSS's descriptor (available) into d; returns its size in bytes (16 on x86_64, 8 on i386). */
unsigned pack_tss_desc(struct desc_struct *d);
extern void *const boot_tss_addr;
extern const unsigned boot_tss_size;

#endif
