/* The Xen backend's code that cannot be C: what the inline irq sequences call, and the exits
 * to user mode, which a PV guest takes through the iret hypercall. In the user-space model
 * that hypercall is counted, then the same-privilege iret it amounts to. */
#include "xen.h"

#ifdef __x86_64__
#define IRET_COUNT xen_hv + __HYPERVISOR_iret * 8(%rip)
#else
#define IRET_COUNT xen_hv + __HYPERVISOR_iret * 4
#endif

	.text

/* Force delivery of a pending event. Called from the direct irq sequences, which save
 * nothing around the call: every register and the flags survive it. */
	.globl xen_check_events
	.type xen_check_events, @function
xen_check_events:
#ifdef __x86_64__
	pushfq
	.irp r, rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11, rbp
	push %\r
	.endr
	mov %rsp, %rbp
	and $-16, %rsp		/* the site did not align the stack; C wants it */
	call xen_force_evtchn_callback
	mov %rbp, %rsp
	.irp r, rbp, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax
	pop %\r
	.endr
	popfq
#else
	pushf
	push %eax
	push %ecx
	push %edx
	call xen_force_evtchn_callback
	pop %edx
	pop %ecx
	pop %eax
	popf
#endif
	ret
	.size xen_check_events, . - xen_check_events

/* The event callback: Xen's frame (x86_64: rcx, r11 above the hardware one, whose cs has the
 * kernel's ring 0 in it), events masked; xen_evtchn_upcall consumes what is pending; back
 * through the iret hypercall, which also restores the event mask from the frame's flags. Its
 * entry in the hypercall page takes (x86_64) the hypercall's flags word pushed, and pushes
 * the registers itself. */
	.globl xen_hypervisor_callback
	.type xen_hypervisor_callback, @function
xen_hypervisor_callback:
#ifdef __x86_64__
	pop %rcx
	pop %r11
	.irp r, rax, rcx, rdx, rsi, rdi, r8, r9, r10, r11, rbp
	push %\r
	.endr
	mov %rsp, %rbp
	and $-16, %rsp
	call xen_evtchn_upcall
	mov %rbp, %rsp
	.irp r, rbp, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax
	pop %\r
	.endr
	pushq $0			/* not returning from a system call */
#else
	push %eax
	push %ecx
	push %edx
	call xen_evtchn_upcall
	pop %edx
	pop %ecx
	pop %eax
#endif
	jmp hypercall_page + __HYPERVISOR_iret * 32
	.size xen_hypervisor_callback, . - xen_hypervisor_callback

/* Return through the frame on the stack (rip, cs, rflags, rsp, ss). */
	.globl xen_iret
	.type xen_iret, @function
xen_iret:
#ifdef __x86_64__
	incq IRET_COUNT
	iretq
#else
	incl IRET_COUNT
	iret
#endif
	.size xen_iret, . - xen_iret

/* sysexit: user eip in edx, user esp in ecx; interrupts on. x86_64 uses it for 32-bit
 * processes. */
	.globl xen_sysexit
	.type xen_sysexit, @function
xen_sysexit:
#ifdef __x86_64__
	pushq $XEN_USER_DS
	pushq %rcx
	pushfq
	orq $0x200, (%rsp)
	pushq $XEN_USER32_CS
	pushq %rdx
#else
	pushl $XEN_USER_DS
	pushl %ecx
	pushfl
	orl $0x200, (%esp)
	pushl $XEN_USER_CS
	pushl %edx
#endif
	jmp xen_iret
	.size xen_sysexit, . - xen_sysexit

#ifdef __x86_64__
/* sysret: user rip in rcx, user rflags in r11, the user stack already in rsp. */
	.macro sysret name, cs
	.globl \name
	.type \name, @function
\name:
	mov %rsp, user_rsp(%rip)
	pushq $XEN_USER_DS
	pushq user_rsp(%rip)
	pushq %r11
	pushq $\cs
	pushq %rcx
	jmp xen_iret
	.size \name, . - \name
	.endm
	sysret xen_sysret64, XEN_USER_CS
	sysret xen_sysret32, XEN_USER32_CS

	.local user_rsp
	.comm user_rsp, 8, 8
#endif

	.section .note.GNU-stack, "", @progbits
