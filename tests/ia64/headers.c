/* headers.c: the generated IA-64 headers are C the host compiler takes with every warning an
 * error, and they say what the reference (Linux 3.12) says: patch types, getreg/setreg
 * register numbers, hyperprivop numbers, Xen shared-area offsets and the order of every
 * table. Each fact is a static assertion, so the test is "does it compile". */
#include <stddef.h>

#include "kernel_types.h"

#include "paravirt.h"
#include "paravirt_const.h"
#include "paravirt_patch.h"

#define SAME(a, b) _Static_assert((a) == (b), #a " is " #b)
#define SLOT(table, member, n) SAME(offsetof(struct table, member), (n) * sizeof(void *))

SAME(PARAVIRT_HYPERVISOR_TYPE_NATIVE, 0);
SAME(PARAVIRT_HYPERVISOR_TYPE_XEN, 1);

SAME(PARAVIRT_PATCH_TYPE_FC, 1);
SAME(PARAVIRT_PATCH_TYPE_THASH, 2);
SAME(PARAVIRT_PATCH_TYPE_GET_CPUID, 3);
SAME(PARAVIRT_PATCH_TYPE_GET_PMD, 4);
SAME(PARAVIRT_PATCH_TYPE_PTCGA, 5);
SAME(PARAVIRT_PATCH_TYPE_GET_RR, 6);
SAME(PARAVIRT_PATCH_TYPE_SET_RR, 7);
SAME(PARAVIRT_PATCH_TYPE_SET_RR0_TO_RR4, 8);
SAME(PARAVIRT_PATCH_TYPE_SSM_I, 9);
SAME(PARAVIRT_PATCH_TYPE_RSM_I, 10);
SAME(PARAVIRT_PATCH_TYPE_GET_PSR_I, 11);
SAME(PARAVIRT_PATCH_TYPE_INTRIN_LOCAL_IRQ_RESTORE, 12);
SAME(PARAVIRT_PATCH_TYPE_GETREG, 0x10000000);
SAME(PARAVIRT_PATCH_TYPE_SETREG, 0x20000000);
SAME(PARAVIRT_PATCH_TYPE_BR_SWITCH_TO, 0x30000000);
SAME(PARAVIRT_PATCH_TYPE_BR_LEAVE_SYSCALL, 0x30000001);
SAME(PARAVIRT_PATCH_TYPE_BR_WORK_PROCESSED_SYSCALL, 0x30000002);
SAME(PARAVIRT_PATCH_TYPE_BR_LEAVE_KERNEL, 0x30000003);

SAME(_IA64_REG_GP, 1025);
SAME(_IA64_REG_IP, 1016);
SAME(_IA64_REG_PSR, 1019);
SAME(_IA64_REG_SP, 1036);
SAME(_IA64_REG_TP, 1037);
SAME(_IA64_REG_AR_KR0, 3072);
SAME(_IA64_REG_AR_KR7, 3079);
SAME(_IA64_REG_AR_RSC, 3088);
SAME(_IA64_REG_AR_BSP, 3089);
SAME(_IA64_REG_AR_BSPSTORE, 3090);
SAME(_IA64_REG_AR_RNAT, 3091);
SAME(_IA64_REG_AR_FCR, 3093);
SAME(_IA64_REG_AR_EFLAG, 3096);
SAME(_IA64_REG_AR_CSD, 3097);
SAME(_IA64_REG_AR_SSD, 3098);
SAME(_IA64_REG_AR_CFLAG, 3099);
SAME(_IA64_REG_AR_FSR, 3100);
SAME(_IA64_REG_AR_FIR, 3101);
SAME(_IA64_REG_AR_FDR, 3102);
SAME(_IA64_REG_AR_CCV, 3104);
SAME(_IA64_REG_AR_UNAT, 3108);
SAME(_IA64_REG_AR_FPSR, 3112);
SAME(_IA64_REG_AR_ITC, 3116);
SAME(_IA64_REG_AR_PFS, 3136);
SAME(_IA64_REG_AR_LC, 3137);
SAME(_IA64_REG_AR_EC, 3138);
SAME(_IA64_REG_CR_DCR, 4096);
SAME(_IA64_REG_CR_ITM, 4097);
SAME(_IA64_REG_CR_IVA, 4098);
SAME(_IA64_REG_CR_PTA, 4104);
SAME(_IA64_REG_CR_IPSR, 4112);
SAME(_IA64_REG_CR_ISR, 4113);
SAME(_IA64_REG_CR_IIP, 4115);
SAME(_IA64_REG_CR_IFA, 4116);
SAME(_IA64_REG_CR_ITIR, 4117);
SAME(_IA64_REG_CR_IIPA, 4118);
SAME(_IA64_REG_CR_IFS, 4119);
SAME(_IA64_REG_CR_IIM, 4120);
SAME(_IA64_REG_CR_IHA, 4121);
SAME(_IA64_REG_CR_LID, 4160);
SAME(_IA64_REG_CR_IVR, 4161);
SAME(_IA64_REG_CR_TPR, 4162);
SAME(_IA64_REG_CR_EOI, 4163);
SAME(_IA64_REG_CR_IRR0, 4164);
SAME(_IA64_REG_CR_IRR3, 4167);
SAME(_IA64_REG_CR_ITV, 4168);
SAME(_IA64_REG_CR_PMV, 4169);
SAME(_IA64_REG_CR_CMCV, 4170);
SAME(_IA64_REG_CR_LRR0, 4176);
SAME(_IA64_REG_CR_LRR1, 4177);

SAME(HYPERPRIVOP_RFI, 0x1);
SAME(HYPERPRIVOP_SSM_I, 0x7);
SAME(HYPERPRIVOP_GET_IVR, 0x8);
SAME(HYPERPRIVOP_SET_ITM, 0xc);
SAME(HYPERPRIVOP_PTC_GA, 0xe);
SAME(HYPERPRIVOP_SET_KR, 0x12);
SAME(HYPERPRIVOP_FC, 0x13);
SAME(HYPERPRIVOP_GET_PSR, 0x19);
SAME(HYPERPRIVOP_SET_RR0_TO_RR4, 0x1a);
SAME(XSI_BASE, 0xfffffffffff00000UL);
SAME(XSI_PSR_I_ADDR, 0xfffffffffff00000UL + 0x4c18);
SAME(XSI_IPSR, 0xfffffffffff00000UL + 0x4880);
SAME(XSI_IFA, 0xfffffffffff00000UL + 0x48a0);
SAME(XSI_PSR_IC, 0xfffffffffff00000UL + 0x4c10);
SAME(XSI_BANKNUM, 0xfffffffffff00000UL + 0x4c4c);
SAME(XSI_BANK1_R16, 0xfffffffffff00000UL + 0x4400);
SAME(XSI_B1NAT, 0xfffffffffff00000UL + 0x4500);
SAME(XSI_ITC_OFFSET, 0xfffffffffff00000UL + 0x4d50);
SAME(XSI_ITC_LAST, 0xfffffffffff00000UL + 0x4d58);
SAME(IA64_PSR_I, 1 << 14);

SLOT(pv_init_ops, banner, 0);
SLOT(pv_init_ops, post_smp_prepare_boot_cpu, 5);
SLOT(pv_init_ops, patch_bundle, 6);
SLOT(pv_init_ops, patch_branch, 8);
SLOT(pv_fsys_data, fsys_bubble_down, 1);
SLOT(pv_patchdata, end_mckinley_e9_patchlist, 7);
SLOT(pv_patchdata, gate_section, 8);
SLOT(pv_cpu_ops, fc, 0);
SLOT(pv_cpu_ops, getreg, 4);
SLOT(pv_cpu_ops, setreg, 5);
SLOT(pv_cpu_ops, set_rr0_to_rr4, 9);
SLOT(pv_cpu_ops, intrin_local_irq_restore, 13);
SAME(sizeof(struct pv_cpu_ops), 14 * sizeof(void *));
SLOT(pv_cpu_asm_switch, leave_kernel, 3);
SLOT(pv_iosapic_ops, __write, 3);
SLOT(pv_irq_ops, resend_irq, 4);
SLOT(pv_time_ops, sched_clock, 3);
SAME(offsetof(struct pv_info, name), 8);
SAME(sizeof(struct paravirt_patch_site_bundle), 24);
SAME(sizeof(struct paravirt_patch_site_inst), 24);
SAME(sizeof(struct paravirt_patch_site_branch), 16);
SAME(sizeof(struct paravirt_patch_bundle_elem), 24);

/* the wrappers of plain calls compile and keep their types */
static int calls(struct rsvd_region *r)
{
	paravirt_banner();
	return paravirt_reserve_memory(r) + paravirt_arch_setup_nomca() + assign_irq_vector(1);
}

int main(void)
{
	return calls(0) ? 0 : 0;
}
