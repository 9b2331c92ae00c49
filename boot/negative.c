/* The negative image: save_fl's slot holds an implementation that changes r8, which a
 * callee-save op must keep (tests/runtime/x86/bad.S, as the user-space canary test uses).
 * The canaries must catch it at save_fl's sites while they are unpatched. */
#include "boot.h"
#include "pv.h"

void bad_save_fl(void);

void boot_tamper(void)
{
	void (*bad)(void) = bad_save_fl;

	memcpy((char *)&pv_irq_ops + PV_OFFSET_pv_irq_ops_save_fl, &bad, sizeof(bad));
	kprintf("# negative image: pv_irq_ops.save_fl is bad_save_fl\n");
}
