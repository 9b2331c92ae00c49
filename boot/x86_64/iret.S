/* unsigned long iret_to(unsigned long flags): build an interrupt frame for the label below
 * (this stack, this code and stack segment, the flags given) and leave through the iret op's
 * patch site (INTERRUPT_RETURN); returns the flags the label found. */
#include "boot.h"
#include "paravirt_asm.h"

	.text
	.globl iret_to
iret_to:
	pushfq
	mov %rsp, %rax
	mov %ss, %ecx
	pushq %rcx
	pushq %rax
	pushq %rdi
	mov %cs, %ecx
	pushq %rcx
	lea 1f(%rip), %rax
	pushq %rax
	INTERRUPT_RETURN
1:	pushfq
	pop %rax
	popfq
	ret

	.section .note.GNU-stack, "", @progbits
