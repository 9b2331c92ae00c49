/* Entry-code sites spelled as Linux's .S files spell them (PARA_SITE, PARA_PATCH, PV_CPU_*,
 * PARA_INDIRECT). The patch types must be Linux 2.6.30's own numbers (tests/x86/linux), which
 * the driver passes as IRET_TYPE and IRQ_DISABLE_TYPE. */
#include "paravirt_asm.h"

	.text
iret_site:
	PARA_SITE(PARA_PATCH(pv_cpu_ops, PV_CPU_iret), CLBR_NONE, jmp PARA_INDIRECT(pv_cpu_ops+PV_CPU_iret))
	.if PARA_PATCH(pv_cpu_ops, PV_CPU_iret) - IRET_TYPE
	.error "PARA_PATCH(pv_cpu_ops, PV_CPU_iret) is not Linux's iret type"
	.endif
irq_site:
	PARA_SITE(PARA_PATCH(pv_irq_ops, PV_IRQ_irq_disable), CLBR_EAX, call PARA_INDIRECT(pv_irq_ops+PV_IRQ_irq_disable))
	.if PARA_PATCH(pv_irq_ops, PV_IRQ_irq_disable) - IRQ_DISABLE_TYPE
	.error "PARA_PATCH(pv_irq_ops, PV_IRQ_irq_disable) is not Linux's irq_disable type"
	.endif
	/* the other asm-offsets names Linux's entry code reads */
	.if PV_CPU_irq_enable_sysexit + PV_CPU_read_cr0 + PV_IRQ_irq_enable < 0
	.error "a slot offset is negative"
	.endif
#ifdef __x86_64__
	.if PV_CPU_swapgs + PV_MMU_read_cr2 + PV_CPU_usergs_sysret32 + PV_CPU_usergs_sysret64 + PV_IRQ_adjust_exception_frame < 0
	.error "a slot offset is negative"
	.endif
cr2_entry:
	GET_CR2_INTO_RCX
#endif
