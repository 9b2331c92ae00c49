/* The KVM backend's ways into the hypervisor, as a kernel links them (the user-space runtime
 * links its model of KVM instead): vmcall with the number in eax and up to three arguments
 * in ebx, ecx, edx, and wrmsr. Both follow the kernel's calling convention (x86_64: rdi, rsi,
 * rdx, rcx; i386 -mregparm=3: eax, edx, ecx, then the stack). */

	.text

/* long kvm_hypercall3(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3) */
	.globl kvm_hypercall3
	.type kvm_hypercall3, @function
kvm_hypercall3:
#ifdef __x86_64__
	push %rbx
	mov %edi, %eax
	mov %rsi, %rbx
	xchg %rdx, %rcx		/* a2 to ecx, a3 to edx */
	vmcall
	pop %rbx
#else
	push %ebx
	mov %edx, %ebx		/* a1 */
	mov 8(%esp), %edx	/* a3, above the saved ebx and the return address */
	vmcall			/* nr in eax, a2 already in ecx */
	pop %ebx
#endif
	ret
	.size kvm_hypercall3, . - kvm_hypercall3

/* void kvm_write_msr(unsigned int msr, u64 value) */
	.globl kvm_write_msr
	.type kvm_write_msr, @function
kvm_write_msr:
#ifdef __x86_64__
	mov %edi, %ecx
	mov %esi, %eax
	shr $32, %rsi
	mov %esi, %edx
#else
	xchg %eax, %ecx		/* msr to ecx, the value's high word (ecx) to eax */
	xchg %eax, %edx		/* high word to edx, low word to eax */
#endif
	wrmsr
	ret
	.size kvm_write_msr, . - kvm_write_msr

	.section .note.GNU-stack, "", @progbits
