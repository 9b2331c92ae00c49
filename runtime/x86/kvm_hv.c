/* The model of KVM (see kvm_hv.h). Built as kernel code, as the backend that calls it. */
#include "host.h"
#include "kvm_hv.h"

struct kvm_hv kvm_hv;

static u64 boot_ns;
static struct pvclock_vcpu_time_info *vcpu_clock;

/* As KVM chooses them: mul and shift such that ns = ((tsc << shift) * mul) >> 32, with mul
 * below 2^32 (KVM's kvm_get_time_scale, from the TSC's rate to 10^9 per second). */
static void time_scale(u64 tsc_hz, u32 *mul, signed char *shift)
{
	u64 ns_hz = 1000000000ULL, tps = tsc_hz;
	int s = 0;

	while (tps > ns_hz * 2 || (tps >> 32)) {
		tps >>= 1;
		s--;
	}
	while ((u32)tps <= ns_hz || (ns_hz >> 32)) {
		if ((ns_hz >> 32) || ((u32)tps & 0x80000000u))
			ns_hz >>= 1;
		else
			tps <<= 1;
		s++;
	}
	*mul = (u32)div_u64(ns_hz << 32, (u32)tps);
	*shift = (signed char)s;
}

/* On every entry to the guest, as KVM does: a fresh (tsc, system time) pair. */
static void update_clock(void)
{
	struct pvclock_vcpu_time_info *t = vcpu_clock;

	if (!t)
		return;
	t->version++;	/* odd: a reader retries */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	u32 mul;
	signed char shift;

	time_scale(rt_tsc_khz() * 1000, &mul, &shift);
	t->tsc_to_system_mul = mul;
	t->tsc_shift = shift;
	t->tsc_timestamp = rdtsc();
	t->system_time = rt_now_ns() - boot_ns;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->version++;
}

static void log_record(u32 op, u64 phys, u64 val)
{
	if (kvm_hv.nrec < KVM_HV_LOG)
		kvm_hv.rec[kvm_hv.nrec] = (struct kvm_hv_record){ op, phys, val, kvm_hv.hypercalls };
	kvm_hv.nrec++;
}

/* One KVM_HC_MMU_OP: process whole records of the buffer, at most a chunk; say how many bytes. */
static long mmu_op(unsigned long len, u64 phys)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)phys;
	unsigned long done = 0, max = len < KVM_HV_MMU_CHUNK ? len : KVM_HV_MMU_CHUNK;

	while (done + sizeof(struct kvm_mmu_op_header) <= max) {
		struct kvm_mmu_op_header h;
		unsigned long size;

		__builtin_memcpy(&h, p + done, sizeof(h));
		size = h.op == KVM_MMU_OP_WRITE_PTE ? sizeof(struct kvm_mmu_op_write_pte)
		       : h.op == KVM_MMU_OP_FLUSH_TLB ? sizeof(struct kvm_mmu_op_flush_tlb)
		       : h.op == KVM_MMU_OP_RELEASE_PT ? sizeof(struct kvm_mmu_op_release_pt) : 0;
		if (!size || done + size > max)
			break;
		if (h.op == KVM_MMU_OP_WRITE_PTE) {
			struct kvm_mmu_op_write_pte w;

			__builtin_memcpy(&w, p + done, sizeof(w));
			*(volatile u64 *)(uintptr_t)w.pte_phys = w.pte_val;
			log_record(h.op, w.pte_phys, w.pte_val);
		} else if (h.op == KVM_MMU_OP_RELEASE_PT) {
			struct kvm_mmu_op_release_pt r;

			__builtin_memcpy(&r, p + done, sizeof(r));
			log_record(h.op, r.pt_phys, 0);
		} else {
			log_record(h.op, 0, 0);
		}
		done += size;
	}
	if (!done)
		kvm_hv.bad_calls++;
	return done ? (long)done : -1;
}

long kvm_hypercall3(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3)
{
	long r = -1000;	/* -KVM_ENOSYS */

	kvm_hv.hypercalls++;
	if (nr == KVM_HC_MMU_OP) {
		kvm_hv.mmu_op_calls++;
		r = mmu_op(a1, (u64)a2 | (u64)a3 << 32);
	} else {
		kvm_hv.bad_calls++;
	}
	update_clock();
	return r;
}

void kvm_write_msr(unsigned int msr, u64 value)
{
	kvm_hv.msr_writes++;
	if (msr == MSR_KVM_SYSTEM_TIME) {
		kvm_hv.system_time_msr = value;
		vcpu_clock = value & 1 ? (struct pvclock_vcpu_time_info *)(uintptr_t)(value & ~1ULL) : 0;
		update_clock();
	} else if (msr == MSR_KVM_WALL_CLOCK) {
		struct pvclock_wall_clock *w = (struct pvclock_wall_clock *)(uintptr_t)value;
		u64 wall = (u64)rt_wall_s() * 1000000000ULL - (rt_now_ns() - boot_ns);

		kvm_hv.wall_clock_msr = value;
		w->version++;
		__atomic_thread_fence(__ATOMIC_RELEASE);
		w->sec = (u32)div_u64(wall, 1000000000);
		w->nsec = (u32)(wall - (u64)w->sec * 1000000000ULL);
		__atomic_thread_fence(__ATOMIC_RELEASE);
		w->version++;
	} else {
		kvm_hv.bad_calls++;
	}
}

RT_HOST void kvm_hv_reset(void)
{
	kvm_hv_zero_counts();
	kvm_hv.system_time_msr = kvm_hv.wall_clock_msr = 0;
	vcpu_clock = 0;
	boot_ns = rt_now_ns();
}

RT_HOST void kvm_hv_zero_counts(void)
{
	u64 system_time = kvm_hv.system_time_msr, wall_clock = kvm_hv.wall_clock_msr;

	/* byte by byte: a struct assignment may become a call of libc's memset */
	for (unsigned i = 0; i < sizeof(kvm_hv); i++)
		((volatile unsigned char *)&kvm_hv)[i] = 0;
	kvm_hv.system_time_msr = system_time;
	kvm_hv.wall_clock_msr = wall_clock;
}
