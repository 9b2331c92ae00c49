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
#else
FN(m_sysexit)
	ENABLE_INTERRUPTS_SYSEXIT
FN(m_get_cr0)
	GET_CR0_INTO_EAX
	ret
#endif

	.section .note.GNU-stack, "", @progbits
