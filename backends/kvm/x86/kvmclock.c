/* The KVM x86 backend's clocks, after Linux 2.6.30's kvmclock.c: KVM keeps a
 * pvclock_vcpu_time_info per vcpu up to date once the guest wrote its physical address (bit 0
 * set) to MSR_KVM_SYSTEM_TIME; sched_clock is that system time, run on by the TSC. The wall
 * clock is the time at system time 0, which KVM writes where MSR_KVM_WALL_CLOCK points, plus
 * the system time. Built as kernel code: no libc. */
#include "kvm.h"
#include "pv.h"

/* One vcpu here (a kernel has one per cpu, registered as each cpu comes up). */
struct pvclock_vcpu_time_info kvm_hv_clock __attribute__((aligned(64)));
static struct pvclock_wall_clock wall_clock;

int kvm_guest_init(void)
{
	kvm_write_msr(MSR_KVM_SYSTEM_TIME, (u64)(uintptr_t)&kvm_hv_clock | 1);
	return kvm_hv_clock.version == 0;	/* KVM answers by filling it in */
}

/* ns = system_time + (tsc - tsc_timestamp), shifted by tsc_shift, times mul / 2^32; the
 * product in two 32-bit halves, as i386 has no 64x64 multiply. */
static u64 tsc_to_ns(u64 cycles, u32 mul, int shift)
{
	u64 lo, hi;

	if (shift >= 0)
		cycles <<= shift;
	else
		cycles >>= -shift;
	lo = (u64)(u32)cycles * mul;
	hi = (cycles >> 32) * mul;
	return hi + (lo >> 32);
}

/* A consistent reading: KVM makes version odd while it updates, then even again. */
static u64 system_ns(void)
{
	const volatile struct pvclock_vcpu_time_info *t = &kvm_hv_clock;
	u32 v;
	u64 ns;

	do {
		v = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		ns = t->system_time + tsc_to_ns(rdtsc() - t->tsc_timestamp, t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != t->version);
	return ns;
}

unsigned long long kvm_clock_read(void)
{
	return system_ns();
}

unsigned long kvm_get_wallclock(void)
{
	const volatile struct pvclock_wall_clock *w = &wall_clock;
	u32 v, sec, nsec;

	kvm_write_msr(MSR_KVM_WALL_CLOCK, (u64)(uintptr_t)&wall_clock);
	do {
		v = w->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		sec = w->sec;
		nsec = w->nsec;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != w->version);
	return sec + (unsigned long)div_u64(nsec + system_ns(), 1000000000);
}

/* A guest cannot set the host's clock. */
int kvm_set_wallclock(unsigned long now)
{
	(void)now;
	return -1;
}
