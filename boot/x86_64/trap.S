/* Native traps: an IDT entry point for each of the 256 vectors, all into trap_handler with a
 * struct trap_frame; the handler may change the frame (an expected fault's way back). */
#include "boot.h"

	.text
	.macro vector n
	.balign 16
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq $0			/* the CPU pushed no error code */
	.endif
	pushq $\n
	jmp trap_common
	.endm

	.balign 16
	.globl trap_vectors
trap_vectors:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vector \n
	.endr
	.set i, 32
	.rept 224
	vector i
	.set i, i + 1
	.endr

trap_common:
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
	add $16, %rsp			/* vector, error code */
	iretq

	.section .note.GNU-stack, "", @progbits

/* int trap_catch(fn, arg): run fn(arg); a fault in it comes back here through catch_ip with
 * the stack of this call (trap_handler sets it), and returns the fault's vector; else -1. */
	.text
	.globl trap_catch
trap_catch:
	.irp r, rbx, rbp, r12, r13, r14, r15
	push %\r
	.endr
	sub $8, %rsp
	mov %rsp, catch_sp(%rip)
	lea 1f(%rip), %rax
	mov %rax, catch_ip(%rip)
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	movq $0, catch_ip(%rip)
	mov $-1, %eax
	jmp 2f
1:	mov catch_sp(%rip), %rsp
	mov catch_vector(%rip), %eax
2:	add $8, %rsp
	.irp r, r15, r14, r13, r12, rbp, rbx
	pop %\r
	.endr
	ret

	.globl catch_ip, catch_vector
	.section .bss
	.balign 8
catch_sp: .skip 8
catch_ip: .skip 8
catch_vector: .skip 8
