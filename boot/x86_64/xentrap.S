/* Traps in the Xen PV guest: Xen bounces an exception (and the event upcall) to the handler
 * its trap table names, with rcx and r11 saved above the hardware frame. Each entry takes
 * them back and joins trap.S's frame layout; the way out is the iret hypercall, whose frame
 * is rax, r11, rcx, flags under the hardware one (its stub in the hypercall page pushes the
 * registers, the caller the flags). */
#include "boot.h"

#define HYPERCALL_IRET (hypercall_page + 23 * 32)

	.text
	.macro xvector n
	.balign 32
	mov (%rsp), %rcx
	mov 8(%rsp), %r11
	add $16, %rsp
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp xen_trap_common
	.endm

	.balign 32
	.globl xen_trap_vectors
xen_trap_vectors:		/* vectors 0 to 31, 32 bytes each */
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	xvector \n
	.endr
	.globl xen_trap_probe, xen_upcall_entry
xen_trap_probe:			/* a second handler, for the probes that change the trap table */
	xvector VEC_PROBE
xen_upcall_entry:
	xvector VEC_XEN_UPCALL

xen_trap_common:
	.irp r, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	push %\r
	.endr
	mov %rsp, %rdi
	mov %rsp, %rbp
	and $-16, %rsp
	call trap_handler
	mov %rbp, %rsp
	.irp r, r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax
	pop %\r
	.endr
	add $16, %rsp
	pushq $0			/* flags; the iret stub pushes rcx, r11 and rax */
	jmp HYPERCALL_IRET

	.section .note.GNU-stack, "", @progbits
