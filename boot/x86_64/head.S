/* The x86_64 boot image's two entry points: mb_entry, where a multiboot loader starts it in
 * 32-bit protected mode on bare hardware, goes to long mode on identity page tables and runs
 * native_start; xen_entry, which Xen's ELF notes name, runs xen_start in the 64-bit PV guest
 * Xen built (rsi = start_info). The entry taken chooses the backend. */
#include "boot.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00010003	/* page-aligned modules, memory info, a.out kludge addresses */

	.section .multiboot, "a"
	.balign 4
mb_header:
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	/* qemu refuses an ELF64 unless these say where the image goes */
	.long mb_header, __image_start, __load_end, __bss_end, mb_entry

/* Xen's ELF notes (name "Xen"): what Xen 4.17 needs to build dom0 from this image. */
	.section .note.Xen, "a", @note
	.macro xen_note type, value:vararg
	.balign 4
	.long 4, 2f - 1f, \type
	.asciz "Xen"
1:	\value
2:	.balign 4
	.endm
	xen_note 6, .asciz "pvopsc-boot"	/* GUEST_OS */
	xen_note 7, .asciz "1"			/* GUEST_VERSION */
	xen_note 5, .asciz "xen-3.0"		/* XEN_VERSION */
	xen_note 8, .asciz "generic"		/* LOADER */
	xen_note 3, .quad 0			/* VIRT_BASE */
	xen_note 4, .quad 0			/* PADDR_OFFSET */
	xen_note 1, .quad xen_entry		/* ENTRY */
	xen_note 2, .quad hypercall_page	/* HYPERCALL_PAGE */
	xen_note 10, .asciz ""			/* FEATURES */

	.section .text.boot, "ax"
	.code32
	.globl mb_entry
mb_entry:
	cli
	cld
	mov $boot_stack_top, %esp
	mov %ebx, mb_info		/* the multiboot information */
	/* identity-map the first 4 GiB with 2 MiB pages: the image, and the local APIC */
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax			/* present, writable, large */
	mov %eax, boot_pd(, %ecx, 8)
	movl $0, boot_pd + 4(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd + 3, %eax
	mov %eax, boot_pdpt(, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jb 2b
	movl $boot_pdpt + 3, boot_pml4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x6a0, %eax			/* PAE, global pages, and SSE's OSFXSR, OSXMMEXCPT */
	mov %eax, %cr4
	mov $0xc0000080, %ecx		/* EFER: long mode, no-execute */
	rdmsr
	or $0x900, %eax
	wrmsr
	mov %cr0, %eax
	and $~0x4, %eax			/* no FPU emulation */
	or $0x80010023, %eax		/* paging, write-protect, NE, MP, protection */
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $KERNEL_CS, $1f
	.code64
1:	mov $KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	mov $boot_stack_top, %rsp
	call native_start
3:	hlt
	jmp 3b

	.globl xen_entry
xen_entry:
	cld
	lea boot_stack_top(%rip), %rsp
	mov %rsi, %rdi
	call xen_start
4:	jmp 4b

/* Xen fills it with one 32-byte entry per hypercall. */
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

	.section .rodata
	.balign 8
boot_gdt:
	.quad 0
	.quad 0
	.quad 0x00af9b000000ffff	/* KERNEL_CS: 64-bit code */
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
boot_pml4:
	.skip 4096
boot_pdpt:
	.skip 4096
	.globl boot_pd
boot_pd:
	.skip 4 * 4096
	.balign 16
boot_stack:
	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
