/* The Xen x86 backend, and the hypervisor it runs on in user space: a model in the same
 * process that keeps Xen's public ABI where the guest sees it (the vcpu_info layout, hypercall
 * and command numbers, each hypercall's arguments: machine addresses where Xen wants them,
 * 64-bit values by value, split in two words on i386), counts every hypercall, and applies its
 * effect to state the tests read. The model's machine frames are the guest's pseudo-physical
 * ones plus XEN_MFN_OFFSET. (The real Xen's glue is in guest/.) */
#ifndef XEN_X86_H
#define XEN_X86_H

/* Hypercall numbers (Xen's public xen.h) */
#define __HYPERVISOR_set_trap_table 0
#define __HYPERVISOR_mmu_update 1
#define __HYPERVISOR_set_gdt 2
#define __HYPERVISOR_stack_switch 3
#define __HYPERVISOR_fpu_taskswitch 5
#define __HYPERVISOR_platform_op 7
#define __HYPERVISOR_set_debugreg 8
#define __HYPERVISOR_get_debugreg 9
#define __HYPERVISOR_update_descriptor 10
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13
#define __HYPERVISOR_update_va_mapping 14
#define __HYPERVISOR_set_timer_op 15
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_iret 23
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_set_segment_base 25
#define __HYPERVISOR_mmuext_op 26
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_callback_op 30
#define __HYPERVISOR_physdev_op 33
#define XEN_NR_HYPERCALLS 34

/* Selectors of a PV guest (Linux's __USER_CS, __USER_DS, __USER32_CS, __KERNEL_DS) */
#ifdef __x86_64__
#define XEN_USER_CS 0x33
#define XEN_USER32_CS 0x23
#define XEN_USER_DS 0x2b
#define XEN_KERNEL_DS 0x18
#else
#define XEN_USER_CS 0x73
#define XEN_USER_DS 0x7b
#define XEN_KERNEL_DS 0x69	/* ring 1 */
#endif

#if !defined(__ASSEMBLER__)
#include "kernel.h"

/* mmuext_op commands */
enum {
	MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
	MMUEXT_UNPIN_TABLE, MMUEXT_NEW_BASEPTR, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL,
	MMUEXT_TLB_FLUSH_MULTI, MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL,
	MMUEXT_FLUSH_CACHE, MMUEXT_SET_LDT, XEN_NR_MMUEXT
};
/* The table a pgd is, as Xen pins it: 4 levels on x86_64, the PAE pdpt (L3) on i386. */
#ifdef __x86_64__
#define MMUEXT_PIN_PGD MMUEXT_PIN_L4_TABLE
#else
#define MMUEXT_PIN_PGD MMUEXT_PIN_L3_TABLE
#endif

struct mmuext_op {
	unsigned int cmd;
	union {
		unsigned long mfn;
		unsigned long linear_addr;
	} arg1;
	union {
		unsigned int nr_ents;
		const unsigned long *vcpumask;
	} arg2;
};

/* An mmu_update request: ptr's low two bits say how */
#define MMU_NORMAL_PT_UPDATE 0
#define MMU_PT_UPDATE_PRESERVE_AD 2
struct mmu_update {
	u64 ptr;
	u64 val;
};
#define _PAGE_RW 0x002ULL
#define _PAGE_ACCESSED 0x020ULL
#define _PAGE_DIRTY 0x040ULL

struct trap_info {
	u8 vector;
	u8 flags;	/* privilege level that may raise it with int */
	u16 cs;
	unsigned long address;	/* 0 ends the table */
};

struct multicall_entry {	/* Xen's layout: six arguments, whatever a call uses */
	unsigned long op;
	long result;
	unsigned long args[6];
};

#define UVMF_INVLPG 2
#define DOMID_SELF 0x7ff0
#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3
#define VCPUOP_set_periodic_timer 6
#define VCPUOP_stop_periodic_timer 7
#define VCPUOP_register_vcpu_info 10
#define PHYSDEVOP_set_iopl 6
#define SEGBASE_FS 0
#define SEGBASE_GS_USER 1
#define SEGBASE_GS_KERNEL 2
#define SEGBASE_GS_USER_SEL 3
#define VMASST_CMD_enable 0
#define VMASST_TYPE_writable_pagetables 2
#define CALLBACKOP_register 0
#define CALLBACKTYPE_event 0
#define CALLBACKTYPE_failsafe 1
#define CALLBACKTYPE_syscall 2
#define XENMEM_memory_map 9
#define XENVER_version 0
#define XENPF_settime 17

struct callback_register {
	u16 type;
	unsigned long address;
};
struct physdev_set_iopl {
	u32 iopl;
};
struct xen_platform_settime {
	u32 cmd;
	u32 secs, nsecs;
	u64 system_time;
};
struct e820entry {
	u64 addr, size;
	u32 type;
};
struct xen_memory_map {
	unsigned int nr_entries;
	struct e820entry *buffer;
};

/* The shared structures, in Xen's layout */
struct vcpu_time_info {
	u32 version;	/* odd while the hypervisor updates the rest */
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;	/* ns at tsc_timestamp */
	u32 tsc_to_system_mul;	/* ns = ((tsc delta << shift) * mul) >> 32 */
	signed char tsc_shift;
	signed char pad1[3];
};

struct arch_vcpu_info {
	unsigned long cr2;
	unsigned long pad[sizeof(long) == 8 ? 1 : 5];
};

struct vcpu_info {
	u8 evtchn_upcall_pending;
	u8 evtchn_upcall_mask;
	unsigned long evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};

/* Where a vcpu's vcpu_info is to live from now on (VCPUOP_register_vcpu_info). */
struct vcpu_register_vcpu_info {
	u64 mfn;	/* the machine frame holding it */
	u32 offset;	/* in that frame; it may not cross into the next */
	u32 rsvd;
};

#define XEN_LEGACY_MAX_VCPUS 32
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];	/* until a vcpu's is placed elsewhere */
	unsigned long evtchn_pending[sizeof(long) * 8];
	unsigned long evtchn_mask[sizeof(long) * 8];
	u32 wc_version;
	u32 wc_sec;	/* wall clock at system time 0 */
	u32 wc_nsec;
};

/* The shared page; each cpu's own vcpu_info (placed there at boot, if Xen lets it: the
 * direct irq sequences reach it through the per-cpu segment), and where the cpu's vcpu_info
 * is: the placed one, or shared_info's. */
extern struct shared_info xen_shared_info;
DECLARE_PER_CPU(struct vcpu_info, xen_vcpu_info);
DECLARE_PER_CPU(struct vcpu_info *, xen_vcpu);

/* ---- the hypervisor model ---- */

struct xen_hv {
	unsigned long calls[XEN_NR_HYPERCALLS];	/* traps into the hypervisor, by number (first:
						 * entry.S counts the iret hypercall there) */
	unsigned long mmuext[XEN_NR_MMUEXT];	/* mmuext_op commands done, by command */
	unsigned long batched;	/* hypercalls done inside multicalls */
	unsigned long batch_failed;	/* of them, those that failed */
	unsigned long upcalls;	/* events delivered to the guest */
	unsigned long emulated;	/* privileged instructions trapped and emulated */
	unsigned long pt_updates;	/* page-table entries written by mmu_update */
	unsigned long debugreg[8];
	int ts;	/* cr0.TS, as fpu_taskswitch left it */
	unsigned long cr4;	/* the guest's cr4, as emulated */
	unsigned long baseptr;	/* mfn of the running pgd */
	unsigned long pinned;	/* page tables pinned */
	unsigned long invlpg;	/* last address invalidated */
	unsigned long flushmask;	/* vcpus of the last multi-cpu flush */
	unsigned long kernel_ss, kernel_sp;
	unsigned long gdt_mfn;
	unsigned gdt_entries;
	unsigned ntraps;
	struct trap_info traps[8];	/* the first ones of the trap table */
	unsigned long ldt_base;
	unsigned ldt_ents;
	unsigned iopl;
	unsigned long fs_base, gs_user, gs_kernel, gs_sel;
	unsigned long callbacks[3];
	int writable_pagetables;
	unsigned long va;	/* the last update_va_mapping */
	u64 va_pte;
	u64 timer;	/* the one-shot timer's deadline, system time */
	int periodic;	/* the periodic tick (on at boot, as Xen starts a vcpu) */
	int vcpu_down;
	unsigned long memory_kb;	/* the domain's RAM */
	int placement;	/* VCPUOP_register_vcpu_info is offered (Xen 3.4 on) */
	unsigned nr_vcpus;	/* the vcpus the domain has: 0 up, the others down */
	struct vcpu_info *vcpu[NR_CPUS];	/* where each vcpu's vcpu_info is */
};
extern struct xen_hv xen_hv;

/* The model's machine frames: the guest's pseudo-physical frames (its pointers' page numbers)
 * moved above every frame a user-space pointer can have (x86_64: 47 bits of address, i386:
 * 32), so that a pointer where Xen wants a machine address is refused. On i386 a machine
 * address has more than 32 bits, as with PAE: it travels in two words. */
#ifdef __x86_64__
#define XEN_MFN_OFFSET (1ULL << 35)
#else
#define XEN_MFN_OFFSET (1ULL << 20)
#endif
#define XEN_VERSION ((3UL << 16) | 4)
#define XEN_DOMAIN_KB (256UL << 10)

/* The domain's frames: the model's sit at XEN_MFN_OFFSET in machine memory; a real guest's
 * are the domain builder's pfn -> mfn table and Xen's machine -> physical table. */
u64 xen_pfn_to_mfn(u64 pfn);
u64 xen_mfn_to_pfn(u64 mfn);

/* The guest's way in, one entry for every hypercall as Xen's hypercall page has one each. */
long xen_hypercall(unsigned op, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4);
/* The hypercalls with a 64-bit argument (xen.c): one register on x86_64, on i386 two, the low
 * word first. The pte is a machine one. */
long xen_update_va_mapping(unsigned long va, u64 pte, unsigned long flags);
long xen_set_timer_op(u64 deadline);
/* The machine address of a byte of the kernel's memory (virtual = pseudo-physical address). */
u64 xen_machine_addr(const void *p);
/* Privileged instructions the guest executes and Xen emulates (the model cannot trap them). */
void xen_emulate_write_cr4(unsigned long cr4);

/* A fresh domain: model state, vcpu_info in shared info, clocks from now; `placement`: the
 * hypervisor lets the guest move a vcpu_info (VCPUOP_register_vcpu_info). */
RT_HOST void xen_hv_reset(int placement);
/* Zero what the model counts (hypercalls, commands, upcalls), leaving its state. */
RT_HOST void xen_hv_zero_counts(void);

/* Place every cpu's vcpu_info in its per-cpu area if Xen lets it; the backend to run: the one
 * whose irq ops reach the placed vcpu_info through the per-cpu segment, or xen_backend, whose
 * C irq ops work on wherever xen_vcpu points. */
const struct paravirt_backend *xen_setup_vcpu_info_placement(void);

/* The guest's event upcall work, for xen_check_events: force delivery of a pending event. */
void xen_force_evtchn_callback(void);
/* The event callback Xen enters (entry.S): on x86_64 with rcx and r11 pushed above the
 * hardware frame, on i386 the hardware frame; events masked. It runs xen_evtchn_upcall and
 * returns through the iret hypercall's entry in the hypercall page (the real one, or the
 * model's). */
void xen_hypervisor_callback(void);
void xen_evtchn_upcall(void);
/* Consume every event pending on a vcpu: its pending flags, and the pending bits of unmasked
 * channels (the kernel binds none it handles). */
void xen_consume_events(struct vcpu_info *v);

#endif /* !__ASSEMBLER__ */
#endif
