/* image.S: the rest of the test image the patcher works on (tests/ia64/patcher.t): the entry
 * point, one .paravirt_branches site per branch type, .paravirt_insts sites of single-slot
 * bodies (one of them a type only the fallback has), the entry points the branches aim at,
 * far from their sites, and pv_cpu_ops, which the stubs load from. */
#include "paravirt_patch.h"

	.section .paravirt_insts, "a"
	.previous

	.text
	.global _start
_start:
B_SWITCH_TO:
	PARAVIRT_PATCH_SITE_BR(PARAVIRT_PATCH_TYPE_BR_SWITCH_TO)
B_LEAVE_SYSCALL:
	PARAVIRT_PATCH_SITE_BR(PARAVIRT_PATCH_TYPE_BR_LEAVE_SYSCALL)
B_WORK_PROCESSED_SYSCALL:
	PARAVIRT_PATCH_SITE_BR(PARAVIRT_PATCH_TYPE_BR_WORK_PROCESSED_SYSCALL)
B_LEAVE_KERNEL:
	PARAVIRT_PATCH_SITE_BR(PARAVIRT_PATCH_TYPE_BR_LEAVE_KERNEL)

/* An inst site: the tagged slot and the one after it. */
#define INST_SITE(type, insn) \
	{ .mmi ; [1:] insn ; [2:] nop.m 0 ; nop.i 0 ;; } ; .xdata8 ".paravirt_insts", 1b, 2b, type

	INST_SITE(PARAVIRT_PATCH_TYPE_FC, fc r8)
	INST_SITE(PARAVIRT_PATCH_TYPE_THASH, thash r8 = r8)
	INST_SITE(PARAVIRT_PATCH_TYPE_GET_RR, mov r8 = rr[r8])
	INST_SITE(PARAVIRT_PATCH_TYPE_SET_RR, mov rr[r8] = r9)
	INST_SITE(PARAVIRT_PATCH_TYPE_SETREG + _IA64_REG_AR_RSC, mov ar.rsc = r8)

	.skip 0x10000 /* the entry points are 64 KiB away: the displacement is not a short one */
#ifdef FAR_ENTRIES
	.skip 0x1000000 /* 16 MiB more: beyond an IP-relative branch's reach */
#endif
#define ENTRY(name) .global name ; .proc name ; name: { .mib ; nop.m 0 ; nop.i 0 ; br.ret.sptk.many b0 ;; } ; .endp name
	ENTRY(ia64_native_switch_to)
	ENTRY(ia64_native_leave_syscall)
	ENTRY(ia64_native_work_processed_syscall)
	ENTRY(ia64_native_leave_kernel)
	ENTRY(xen_switch_to)
	ENTRY(xen_leave_syscall)
	ENTRY(xen_work_processed_syscall)
	ENTRY(xen_leave_kernel)

	.data
	.align 8
	.global pv_cpu_ops
pv_cpu_ops:
	.skip 8 * 32
