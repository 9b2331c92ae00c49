/* Traps, natively and in the Xen guest: counts by vector, the way back from an expected
 * fault, the timer's end of interrupt, and the Xen event upcall's work. */
#include "boot.h"
#include "pv.h"

volatile unsigned long trap_count[256];
volatile unsigned long trap_last_ip, trap_last_error;
extern unsigned long catch_ip, catch_vector;
void (*trap_hook[256])(struct trap_frame *f);

/* The exception table (Linux's __ex_table): where a fault at an instruction resumes. Entries
 * come from paravirt_insns.S (native_iret) and the native backend's safe MSR forms. */
struct extable_entry {
	unsigned long insn, fixup;
};
extern const struct extable_entry __start___ex_table[], __stop___ex_table[];

static unsigned long extable_fixup(unsigned long ip)
{
	const struct extable_entry *e;

	for (e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == ip)
			return e->fixup;
	return 0;
}

void trap_handler(struct trap_frame *f)
{
	unsigned v = (unsigned)f->vector & 255;
	unsigned long fixup;

	trap_count[v]++;
	if (v < 32) {
		trap_last_ip = f->ip;
		trap_last_error = f->error;
	}
	if (v == 13 && (fixup = extable_fixup(f->ip))) {
		f->ip = fixup;
		return;
	}
	if (trap_hook[v]) {
		trap_hook[v](f);
		return;
	}
	if (v < 32 && v != 3 && v != 1) {
		if (!catch_ip) {
			kprintf("PANIC: unexpected trap %u at %lx error %lx (cs %lx flags %lx)\n", v, f->ip, f->error,
				f->cs, f->flags);
			machine_exit(3);
		}
		catch_vector = v;
		f->ip = catch_ip;
		catch_ip = 0;
	}
}
