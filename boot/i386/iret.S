/* unsigned long iret_to(unsigned long flags) (regparm: eax): build a same-privilege interrupt
 * frame for the label below (the flags given, this code segment) and leave through the iret
 * op's patch site (INTERRUPT_RETURN); returns the flags the label found. */
#include "boot.h"
#include "paravirt_asm.h"

	.text
	.globl iret_to
iret_to:
	pushf
	push %eax
	mov %cs, %ecx
	push %ecx
	push $1f
	INTERRUPT_RETURN
1:	pushf
	pop %eax
	popf
	ret

	.section .note.GNU-stack, "", @progbits
