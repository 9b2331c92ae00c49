/* The harness's way into and out of a site (see canary.h): the C side, cx_on_enter and
 * cx_on_exit, decides what the registers hold; these only move them, on the stack of the
 * code under test (it has no red zone). Register arrays are by hardware number. */
#ifdef __x86_64__
#define REGS rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
#define WORD 8
#define AT(sym) sym(%rip)
#define SCRATCH rbx
#define SP rsp
#else
#define REGS eax, ecx, edx, ebx, esp, ebp, esi, edi
#define WORD 4
#define AT(sym) sym
#define SCRATCH ebx
#define SP esp
#endif

	/* every register into area[] */
	.macro save area
	.set off, 0
	.irp r, REGS
	mov %\r, AT(\area+off)
	.set off, off + WORD
	.endr
	.endm

	/* every register but the stack pointer from area[] */
	.macro load area
	.set off, 0
	.irp r, REGS
	.ifnc \r, SP
	mov AT(\area+off), %\r
	.endif
	.set off, off + WORD
	.endr
	.endm

	/* call C with the stack aligned as C expects (the site's code did not align it) */
	.macro callc fn
	mov %SP, %SCRATCH
	and $-16, %SP
	call \fn
	mov %SCRATCH, %SP
	.endm

	.text

/* Reached by the call written over a site's first bytes: the return address says which. */
	.globl cx_enter
	.type cx_enter, @function
cx_enter:
	pop AT(cx_ret)
	save cx_gcc
	callc cx_on_enter
	load cx_in
	jmp *AT(cx_jump)
	.size cx_enter, . - cx_enter

/* Reached by the call written at the end of the site that ran. */
	.globl cx_exit
	.type cx_exit, @function
cx_exit:
	pop AT(cx_ret)
	save cx_out
	callc cx_on_exit
	load cx_in
	jmp *AT(cx_jump)
	.size cx_exit, . - cx_exit

	.section .note.GNU-stack, "", @progbits
