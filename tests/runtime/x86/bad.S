/* Implementations that break the callee-save convention, for the negative clobber test: each
 * changes a register a callee-save op must keep, always (xor with a constant, not). */
	.text
	.globl bad_save_fl, bad_restore_fl
	.type bad_save_fl, @function
	.type bad_restore_fl, @function
#ifdef __x86_64__
/* writes r8: scratch for a C function, kept by a callee-save op (a C function left unthunked) */
bad_save_fl:
	pushfq
	popq %rax
	xorq $0x5a5a, %r8
	ret
/* changes its argument register, which a callee-save op keeps */
bad_restore_fl:
	pushq %rdi
	popfq
	notq %rdi
	ret
#else
/* writes ecx: scratch for a C function, kept by a callee-save op */
bad_save_fl:
	pushf
	popl %eax
	xorl $0x5a5a, %ecx
	ret
/* writes ebx, which no call may change */
bad_restore_fl:
	pushl %eax
	popf
	notl %ebx
	ret
#endif
	.size bad_save_fl, bad_restore_fl - bad_save_fl
	.size bad_restore_fl, . - bad_restore_fl

	.section .note.GNU-stack, "", @progbits
