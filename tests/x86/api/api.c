/* The names a kernel's own code calls, used as Linux 2.6.30's callers use them (arch/x86/kernel,
 * mm, xen), against op tables this program fills: each op records what it was given and
 * answers values the checks below know, so a macro that splits, joins or routes a value
 * wrongly fails. Built like a kernel: -Wall -Wextra -Werror, -mregparm=3 on i386. */
#include <stdio.h>
#include "paravirt.h"

#ifndef __HAVE_ARCH_ENTER_LAZY_MMU_MODE
#error "__HAVE_ARCH_ENTER_LAZY_MMU_MODE is not defined"
#endif
#ifndef __HAVE_ARCH_ENTER_LAZY_CPU_MODE
#error "__HAVE_ARCH_ENTER_LAZY_CPU_MODE is not defined"
#endif

/* Linux's clobber names, by the bits of its register order (eax/rax 0, ecx 1, edx 2, edi 3,
 * then on x86_64 rsi 4, r8-r11 5-8), and their relation. */
#ifdef __x86_64__
_Static_assert(CLBR_EAX == 1 && CLBR_ECX == 2 && CLBR_EDX == 4 && CLBR_EDI == 8, "CLBR_E* on x86_64");
_Static_assert(CLBR_ARG_REGS == 0x7e, "x86_64 arguments: rdi rsi rdx rcx r8 r9");
_Static_assert(CLBR_SCRATCH == 0x180, "x86_64 scratch: r10 r11");
#else
_Static_assert(CLBR_ARG_REGS == 0x7, "i386 arguments (regparm): eax edx ecx");
_Static_assert(CLBR_SCRATCH == 0, "i386 has no scratch register beyond the arguments");
#endif
_Static_assert(CLBR_CALLEE_SAVE == ((CLBR_ARG_REGS | CLBR_SCRATCH) & ~CLBR_RET_REG), "callee-save set");

#define MSR_GOOD 0x10
#define MSR_BAD 0xdead
#define EIO 5

static int failed;
static void check(int ok, const char *what)
{
	printf("%s - api: %s\n", ok ? "ok" : "not ok", what);
	failed |= !ok;
}

static u64 fake_read_msr(unsigned int msr, int *err)
{
	*err = msr == MSR_GOOD ? 0 : -EIO;
	return msr == MSR_GOOD ? 0x1122334455667788ULL : 0;
}
static u64 fake_read_msr_amd(unsigned int msr, int *err)
{
	*err = 0;
	return 0xa000000000000000ULL | msr;
}
static unsigned int written_msr, written_low, written_high;
static int fake_write_msr(unsigned int msr, unsigned int low, unsigned int high)
{
	written_msr = msr, written_low = low, written_high = high;
	return msr == MSR_BAD ? -EIO : 0;
}
static u64 fake_read_tsc(void)
{
	unsigned int lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}
static u64 fake_read_pmc(int counter)
{
	return 0x0000000700000000ULL | (unsigned int)counter;
}
static unsigned long long fake_read_tscp(unsigned int *aux)
{
	*aux = 3;
	return 0x0000000900000008ULL;
}
static unsigned long fake_get_debugreg(int regno)
{
	return 0x400 + regno;
}
static int set_regno;
static unsigned long set_value;
static void fake_set_debugreg(int regno, unsigned long value)
{
	set_regno = regno, set_value = value;
}
static unsigned long fake_store_tr(void)
{
	return 0x40;
}
static int arch_setups;
static void fake_arch_setup(void)
{
	arch_setups++;
}
static void fake_time_init(void)
{
}
/* A backend's lazy ops record the mode, as Xen's do. */
static int mmu_enters, mmu_leaves, cpu_enters, cpu_leaves;
static void fake_enter_mmu(void) { mmu_enters++; paravirt_enter_lazy_mmu(); }
static void fake_leave_mmu(void) { mmu_leaves++; paravirt_leave_lazy_mmu(); }
static void fake_enter_cpu(void) { cpu_enters++; paravirt_enter_lazy_cpu(); }
static void fake_leave_cpu(void) { cpu_leaves++; paravirt_leave_lazy_cpu(); }

struct pv_info pv_info = { .kernel_rpl = 1, .paravirt_enabled = 1, .name = "api test" };
struct pv_init_ops pv_init_ops = { .arch_setup = fake_arch_setup };
struct pv_time_ops pv_time_ops = { .time_init = fake_time_init };
struct pv_cpu_ops pv_cpu_ops = {
	.read_msr = fake_read_msr, .read_msr_amd = fake_read_msr_amd, .write_msr = fake_write_msr,
	.read_tsc = fake_read_tsc, .read_pmc = fake_read_pmc, .read_tscp = fake_read_tscp,
	.get_debugreg = fake_get_debugreg, .set_debugreg = fake_set_debugreg,
	.store_tr = fake_store_tr, .lazy_mode = { fake_enter_cpu, fake_leave_cpu },
};
struct pv_mmu_ops pv_mmu_ops = { .lazy_mode = { fake_enter_mmu, fake_leave_mmu } };
DEFINE_PER_CPU(enum paravirt_lazy_mode, paravirt_lazy_mode);

int main(void)
{
	u32 lo = 0, hi = 0, aux = 0;
	unsigned long long val = 0, p = 0;
	unsigned long dr7 = 0, tr = 0;
	u64 t1, t2;
	int err, i, mono = 1;

	if (paravirt_enabled())
		check(get_kernel_rpl() == 1, "paravirt_enabled() and get_kernel_rpl() read pv_info");
	else
		check(0, "paravirt_enabled() is 0 with pv_info.paravirt_enabled 1");
	ARCH_SETUP
	check(arch_setups == 1, "ARCH_SETUP runs pv_init_ops.arch_setup once");
	check(choose_time_init() == fake_time_init, "choose_time_init() is pv_time_ops.time_init");

	rdmsr(MSR_GOOD, lo, hi);
	check(lo == 0x55667788 && hi == 0x11223344, "rdmsr(msr, lo, hi) splits the value");
	rdmsrl(MSR_GOOD, val);
	check(val == 0x1122334455667788ULL, "rdmsrl(msr, val) gives it whole");
	lo = hi = 1;
	err = rdmsr_safe(MSR_BAD, &lo, &hi);
	check(err == -EIO && lo == 0 && hi == 0, "rdmsr_safe gives the op's error");
	check(rdmsr_safe(MSR_GOOD, &lo, &hi) == 0 && lo == 0x55667788 && hi == 0x11223344, "rdmsr_safe of a good msr");
	check(rdmsrl_safe(MSR_GOOD, &p) == 0 && p == 0x1122334455667788ULL, "rdmsrl_safe");
	check(rdmsrl_amd_safe(0x20, &p) == 0 && p == 0xa000000000000020ULL, "rdmsrl_amd_safe goes to read_msr_amd");
	wrmsr(0x30, 0x1234, 0x5678);
	check(written_msr == 0x30 && written_low == 0x1234 && written_high == 0x5678, "wrmsr(msr, lo, hi)");
	wrmsrl(0x31, 0xaabbccdd00112233ULL);
	check(written_msr == 0x31 && written_low == 0x00112233 && written_high == 0xaabbccdd, "wrmsrl splits the value");
	check(wrmsr_safe(MSR_BAD, 1, 2) == -EIO && wrmsr_safe(0x32, 1, 2) == 0, "wrmsr_safe gives the op's error");

	rdtscll(t1);
	for (i = 0; i < 1000; i++) {
		rdtscll(t2);
		mono &= t2 >= t1;
		t1 = t2;
	}
	check(mono && t1 != 0, "rdtscll(t) reads the time-stamp counter, never backwards (1000 reads)");
	rdtscl(lo);
	rdtscll(t2);
	check((u32)(t2 - lo) < 0x80000000u, "rdtscl(low) is the counter's low word");
	rdpmc(5, lo, hi);
	check(lo == 5 && hi == 7, "rdpmc(counter, lo, hi)");
	rdtscp(lo, hi, aux);
	check(lo == 8 && hi == 9 && aux == 3, "rdtscp(lo, hi, aux)");
	rdtscpll(val, aux);
	check(val == 0x0000000900000008ULL && aux == 3, "rdtscpll(val, aux)");

	get_debugreg(dr7, 7);
	check(dr7 == 0x407, "get_debugreg(var, 7)");
	set_debugreg(0x455UL, 7);
	check(set_regno == 7 && set_value == 0x455, "set_debugreg(value, 7)");
	store_tr(tr);
	check(tr == 0x40, "store_tr(tr)");

	check(paravirt_get_lazy_mode() == PARAVIRT_LAZY_NONE, "lazy mode starts as none");
	arch_flush_lazy_mmu_mode();
	arch_flush_lazy_cpu_mode();
	check(mmu_enters + mmu_leaves + cpu_enters + cpu_leaves == 0, "a flush outside a lazy mode calls no op");
	arch_enter_lazy_mmu_mode();
	check(paravirt_get_lazy_mode() == PARAVIRT_LAZY_MMU, "arch_enter_lazy_mmu_mode: mode mmu");
	arch_flush_lazy_cpu_mode();
	check(cpu_enters + cpu_leaves == 0, "flushing cpu mode in mmu mode calls no op");
	arch_flush_lazy_mmu_mode();
	check(mmu_enters == 2 && mmu_leaves == 1 && paravirt_get_lazy_mode() == PARAVIRT_LAZY_MMU,
	      "arch_flush_lazy_mmu_mode leaves and re-enters, staying in mmu mode");
	arch_leave_lazy_mmu_mode();
	check(paravirt_get_lazy_mode() == PARAVIRT_LAZY_NONE, "arch_leave_lazy_mmu_mode: mode none");
	arch_enter_lazy_cpu_mode();
	check(paravirt_get_lazy_mode() == PARAVIRT_LAZY_CPU, "arch_enter_lazy_cpu_mode: mode cpu");
	arch_flush_lazy_cpu_mode();
	check(cpu_enters == 2 && cpu_leaves == 1 && paravirt_get_lazy_mode() == PARAVIRT_LAZY_CPU,
	      "arch_flush_lazy_cpu_mode leaves and re-enters");
	arch_leave_lazy_cpu_mode();
	paravirt_enter_lazy_mmu();
	paravirt_leave_lazy(PARAVIRT_LAZY_MMU);
	check(paravirt_get_lazy_mode() == PARAVIRT_LAZY_NONE, "paravirt_leave_lazy(mode) ends the mode");
	return failed;
}
