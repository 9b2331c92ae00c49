/* Sites of the spec's asm macros, as entry code uses them. Those with CLBR_NONE are also
 * functions the probes call: the site may change no register at all. The others are never
 * run (they leave, or need ring 0): their patched bytes are checked. */
#include "paravirt_asm.h"

#define FN(name) .globl name; .type name, @function; name:

	.text
FN(m_irq_disable_none)
	DISABLE_INTERRUPTS(CLBR_NONE)
	ret
FN(m_irq_enable_none)
	ENABLE_INTERRUPTS(CLBR_NONE)
	ret
FN(m_irq_disable_any)
	DISABLE_INTERRUPTS(CLBR_ANY)
	ret
FN(m_irq_enable_any)
	ENABLE_INTERRUPTS(CLBR_ANY)
	ret
FN(m_iret)
	INTERRUPT_RETURN
#ifdef __x86_64__
FN(m_swapgs)
	SWAPGS
	ret
FN(m_sysexit)
	ENABLE_INTERRUPTS_SYSEXIT32
FN(m_sysret64)
	USERGS_SYSRET64
FN(m_sysret32)
	USERGS_SYSRET32
FN(m_get_cr0)
	GET_CR0_INTO_RAX
	ret

/* An exception's entry as Xen makes it: the interrupted rcx (rdi here) and r11 (rsi) on the
 * stack under the frame, then PARAVIRT_ADJUST_EXCEPTION_FRAME. Returns the bytes of those
 * two words still on the stack (16 if the backend leaves them); what rcx and r11 held after
 * the site goes to m_frame_rcx and m_frame_r11. */
FN(m_adjust_exception_frame)
	push %rbx
	mov %rsp, %rbx
	push %rsi
	push %rdi
	xor %ecx, %ecx
	xor %r11d, %r11d
	PARAVIRT_ADJUST_EXCEPTION_FRAME
	mov %rcx, m_frame_rcx(%rip)
	mov %r11, m_frame_r11(%rip)
	mov %rbx, %rax
	sub %rsp, %rax
	mov %rbx, %rsp
	pop %rbx
	ret

/* SWAPGS_UNSAFE_STACK as a syscall entry runs it, on a stack it may not use: here none at
 * all (a call, or anything that pushes, faults). */
FN(m_swapgs_unsafe)
	mov %rsp, %rax
	xor %esp, %esp
	SWAPGS_UNSAFE_STACK
	mov %rax, %rsp
	ret

	.data
	.balign 8
	.globl m_frame_rcx, m_frame_r11
m_frame_rcx:
	.quad 0
m_frame_r11:
	.quad 0
	.text
#else
FN(m_sysexit)
	ENABLE_INTERRUPTS_SYSEXIT
FN(m_get_cr0)
	GET_CR0_INTO_EAX
	ret
#endif

	.section .note.GNU-stack, "", @progbits
