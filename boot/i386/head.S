/* The i386 boot image's entry: a multiboot loader starts it in 32-bit protected mode; it
 * turns on PAE paging on identity page tables (the first GiB, and the last, which holds the
 * local APIC; the second GiB is left to the page-table probe) and runs native_start. There
 * is no Xen entry: Debian's Xen 4.17 runs no 32-bit PV guest. */
#include "boot.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010003	/* page-aligned modules, memory info, a.out kludge addresses */

	.section .multiboot, "a"
	.balign 4
mb_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long mb_header, __image_start, __load_end, __bss_end, mb_entry

	.section .text.boot, "ax"
	.globl mb_entry
mb_entry:
	cli
	cld
	mov $boot_stack_top, %esp
	mov %ebx, mb_info		/* the multiboot information */
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax			/* present, writable, large */
	mov %eax, boot_pd(, %ecx, 8)
	add $0xc0000000, %eax
	mov %eax, boot_pd + 4096(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jb 1b
	movl $boot_pd + 1, boot_pdpt		/* a PAE pdpt entry: present, nothing else */
	movl $boot_pd + 4096 + 1, boot_pdpt + 24
	mov %cr4, %eax
	or $0x6a0, %eax			/* PAE, global pages, and SSE's OSFXSR, OSXMMEXCPT */
	mov %eax, %cr4
	mov $boot_pdpt, %eax
	mov %eax, %cr3
	mov %cr0, %eax
	and $~0x4, %eax			/* no FPU emulation */
	or $0x80010023, %eax		/* paging, write-protect, NE, MP, protection */
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $KERNEL_CS, $2f
2:	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	call native_start
3:	hlt
	jmp 3b

/* What the Xen backend's glue calls through: filled by no one here (no Xen entry). */
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

	.section .rodata
	.balign 8
boot_gdt:
	.fill KERNEL_CS / 8, 8, 0
	.quad 0x00cf9b000000ffff	/* KERNEL_CS */
	.quad 0x00cf93000000ffff	/* KERNEL_DS */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.section .bss
	.balign 4
	.globl mb_info
mb_info:
	.skip 4
	.balign 4096
boot_pd:
	.skip 2 * 4096
	.balign 32
boot_pdpt:
	.skip 32
	.balign 16
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
