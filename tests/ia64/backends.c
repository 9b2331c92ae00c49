/* backends.c: the generated IA-64 backend tables, linked with stand-ins for what they name
 * (stand_ins.c, made from paravirt_backends.h), say what Linux 3.12's say: the globals start
 * as bare hardware, each backend's setup installs its tables, and the branch targets carry
 * the BR_ types in order. Prints `ok - NAME` / `not ok - NAME` per fact. */
#include <stdio.h>
#include <string.h>

#include "kernel_types.h"

#include "paravirt_backends.h"

static int failed;

static void expect(const char *name, int cond)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	failed |= !cond;
}

int main(void)
{
	expect("default-name", strcmp(pv_info.name, "bare hardware") == 0);
	expect("default-not-enabled", !paravirt_enabled() && get_kernel_rpl() == 0);
	expect("default-banner-null", pv_init_ops.banner == NULL && pv_time_ops.clocksource_resume == NULL);
	expect("default-getreg", pv_cpu_ops.getreg == ia64_native_getreg_func);
	expect("default-switch-to", pv_cpu_asm_switch.switch_to == (unsigned long)ia64_native_switch_to);
	expect("default-gate-list",
	       paravirt_get_gate_patchlist(PV_GATE_END_VTOP) == (unsigned long)__paravirt_end_gate_vtop_patchlist);

	xen_setup_pv_ops();
	expect("xen-name", strcmp(pv_info.name, "Xen/ia64") == 0);
	expect("xen-enabled", paravirt_enabled() == 1 && get_kernel_rpl() == 2);
	expect("xen-cpu-ops", pv_cpu_ops.fc == xen_fc && pv_cpu_ops.intrin_local_irq_restore == xen_intrin_local_irq_restore);
	expect("xen-time-ops", pv_time_ops.clocksource_resume == xen_itc_jitter_data_reset);
	expect("xen-patch-inst-inherited-null", pv_init_ops.patch_inst == NULL);
	expect("xen-fsys", paravirt_get_fsys_bubble_down() == xen_fsys_bubble_down &&
			       paravirt_get_fsyscall_table() == (unsigned long *)xen_fsyscall_table);
	expect("xen-gate-section", paravirt_get_gate_section() == (void *)__xen_start_gate_section);
	expect("xen-asm-switch", pv_cpu_asm_switch.leave_kernel == (unsigned long)xen_leave_kernel);
	const char *const entries[] = {xen_switch_to, xen_leave_syscall, xen_work_processed_syscall, xen_leave_kernel};
	int targets = xen_branch_target_nelems == 4;
	for (unsigned long i = 0; targets && i < 4; i++)
		targets = xen_branch_target[i].type == 0x30000000 + i && xen_branch_target[i].entry == entries[i];
	expect("xen-branch-targets", targets);

	ia64_native_setup_pv_ops();
	expect("native-again", strcmp(pv_info.name, "bare hardware") == 0 && pv_cpu_ops.fc == ia64_native_fc_func &&
				       pv_cpu_asm_switch.switch_to == (unsigned long)ia64_native_switch_to);
	expect("native-branch-targets", ia64_native_branch_target_nelems == 4 &&
						ia64_native_branch_target[3].entry == ia64_native_leave_kernel);
	return failed;
}
