/* void swapgs_unsafe(void): SWAPGS_UNSAFE_STACK as syscall entry runs it, where the stack is
 * the user's and may not be used: here there is none at all (rsp 0, interrupts off), so a
 * call or a push at the site would fault. */
#include "paravirt_asm.h"

	.text
	.globl swapgs_unsafe
swapgs_unsafe:
	pushfq
	cli
	mov %rsp, %rax
	xor %esp, %esp
	SWAPGS_UNSAFE_STACK
	mov %rax, %rsp
	popfq
	ret

	.section .note.GNU-stack, "", @progbits
