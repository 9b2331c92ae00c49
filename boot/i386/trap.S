/* Native traps on i386: an IDT entry point for each of the 256 vectors, all into
 * trap_handler (regparm: the frame in eax) with a struct trap_frame. */
#include "boot.h"

	.text
	.macro vector n
	.balign 16
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushl $0			/* the CPU pushed no error code */
	.endif
	pushl $\n
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
	pusha
	mov %esp, %eax
	mov %esp, %ebp
	and $-16, %esp
	call trap_handler
	mov %ebp, %esp
	popa
	add $8, %esp			/* vector, error code */
	iret

/* int trap_catch(fn, arg) (regparm: eax, edx): as x86_64/trap.S's */
	.globl trap_catch
trap_catch:
	push %ebx
	push %esi
	push %edi
	push %ebp
	mov %esp, catch_sp
	movl $1f, catch_ip
	xchg %eax, %edx
	call *%edx
	movl $0, catch_ip
	mov $-1, %eax
	jmp 2f
1:	mov catch_sp, %esp
	mov catch_vector, %eax
2:	pop %ebp
	pop %edi
	pop %esi
	pop %ebx
	ret

	.globl catch_ip, catch_vector
	.section .bss
	.balign 4
catch_sp: .skip 4
catch_ip: .skip 4
catch_vector: .skip 4

	.section .note.GNU-stack, "", @progbits
