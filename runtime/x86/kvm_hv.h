/* The model of KVM the KVM backend runs on in user space (a test double; a kernel links
 * backends/kvm/x86/hypercall.S instead): it takes the backend's vmcalls and MSR writes, does
 * what KVM does with them to the guest's memory 1:1, and logs every MMU record it processed,
 * with the hypercall it came in. */
#ifndef RT_X86_KVM_HV_H
#define RT_X86_KVM_HV_H

#include "kvm.h"

#define KVM_HV_LOG 128
/* KVM 2.6.30 copies at most this much of a KVM_HC_MMU_OP buffer per call, whole records. */
#define KVM_HV_MMU_CHUNK 512

struct kvm_hv_record {
	u32 op;		/* KVM_MMU_OP_* */
	u64 phys;	/* write_pte: the entry; release_pt: the page */
	u64 val;	/* write_pte: the value written */
	unsigned long call;	/* the number of the hypercall it came in (1: the first) */
};

struct kvm_hv {
	unsigned long hypercalls;	/* every vmcall */
	unsigned long mmu_op_calls;	/* KVM_HC_MMU_OP ones */
	unsigned long msr_writes;
	unsigned long bad_calls;	/* unknown numbers, bad buffers: answered with an error */
	unsigned nrec;			/* records processed (only the first KVM_HV_LOG are kept) */
	struct kvm_hv_record rec[KVM_HV_LOG];
	u64 system_time_msr, wall_clock_msr;	/* the last values written */
};

extern struct kvm_hv kvm_hv;

/* A fresh guest: nothing registered, the boot time now. */
RT_HOST void kvm_hv_reset(void);
/* Zero what the model counts and logs, leaving its state. */
RT_HOST void kvm_hv_zero_counts(void);

#endif
