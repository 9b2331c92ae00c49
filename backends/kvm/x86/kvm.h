/* The KVM guest interface of Linux 2.6.30 (include/linux/kvm_para.h, asm/kvm_para.h,
 * asm/pvclock-abi.h) as the KVM backend uses it: the hypercall numbers, the KVM_HC_MMU_OP
 * records, the clock MSRs and the structures KVM fills, and the backend's two ways into the
 * hypervisor. A kernel links hypercall.S for those (vmcall, wrmsr); the user-space runtime
 * links its model of KVM instead (runtime/x86/kvm_hv.c). */
#ifndef BACKENDS_KVM_X86_KVM_H
#define BACKENDS_KVM_X86_KVM_H

#include "kernel.h"

#define KVM_HC_VAPIC_POLL_IRQ 1
#define KVM_HC_MMU_OP 2

#define KVM_MMU_OP_WRITE_PTE 1
#define KVM_MMU_OP_FLUSH_TLB 2
#define KVM_MMU_OP_RELEASE_PT 3

/* The records of a KVM_HC_MMU_OP buffer, back to back. */
struct kvm_mmu_op_header {
	u32 op;
	u32 pad;
};

struct kvm_mmu_op_write_pte {
	struct kvm_mmu_op_header header;
	u64 pte_phys;
	u64 pte_val;
};

struct kvm_mmu_op_flush_tlb {
	struct kvm_mmu_op_header header;
};

struct kvm_mmu_op_release_pt {
	struct kvm_mmu_op_header header;
	u64 pt_phys;
};

#define MSR_KVM_WALL_CLOCK 0x11
#define MSR_KVM_SYSTEM_TIME 0x12

/* What KVM keeps up to date for a vcpu once MSR_KVM_SYSTEM_TIME names it (bit 0: enabled):
 * system time in ns at tsc_timestamp, and the TSC's scale. version is odd while it changes. */
struct pvclock_vcpu_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;
	u32 tsc_to_system_mul;
	signed char tsc_shift;
	u8 pad[3];
} __attribute__((packed));

/* The wall-clock time at system time 0, written where MSR_KVM_WALL_CLOCK points. */
struct pvclock_wall_clock {
	u32 version;
	u32 sec;
	u32 nsec;
} __attribute__((packed));

_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock_vcpu_time_info is KVM's 32 bytes");
_Static_assert(sizeof(struct kvm_mmu_op_write_pte) == 24, "a write_pte record is 24 bytes");

/* vmcall with nr in eax and the arguments in ebx, ecx, edx; KVM's result comes back in eax.
 * KVM_HC_MMU_OP returns how many bytes of the buffer it processed. */
long kvm_hypercall3(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3);
/* wrmsr: how a guest hands KVM the clock structures' physical addresses. */
void kvm_write_msr(unsigned int msr, u64 value);

/* Boot: register the boot cpu's clock (kvmclock_init); 0 on success. */
int kvm_guest_init(void);

/* The guest's own state, for the tests: the queue of lazy MMU mode and the registered clock. */
#define KVM_MMU_QUEUE_SIZE 1024
extern struct pvclock_vcpu_time_info kvm_hv_clock;
unsigned int kvm_mmu_queue_len(void);

#endif
