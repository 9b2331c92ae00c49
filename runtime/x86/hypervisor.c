/* The hypervisor model the Xen backend runs on in user space (see xen.h): each hypercall is
 * counted and does to the model's state what Xen does to the domain's. On the way back to the
 * guest, as Xen does, a pending event is delivered if the guest has events unmasked. */
#include "host.h"
#include "pv.h"
#include "xen.h"

struct xen_hv xen_hv;
struct shared_info xen_shared_info;

/* The generated direct irq sequences reach the two bytes at the spec's XEN_vcpu_info_pending
 * and XEN_vcpu_info_mask: the model's vcpu_info must have them there, as Xen's has. */
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_pending) == XEN_vcpu_info_pending,
	       "the model's vcpu_info has evtchn_upcall_pending at the spec's XEN_vcpu_info_pending");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_mask) == XEN_vcpu_info_mask,
	       "the model's vcpu_info has evtchn_upcall_mask at the spec's XEN_vcpu_info_mask");
_Static_assert(__builtin_offsetof(struct xen_hv, calls) == 0, "entry.S counts calls[] at xen_hv");

u64 xen_pfn_to_mfn(u64 pfn)
{
	return pfn + XEN_MFN_OFFSET;
}

u64 xen_mfn_to_pfn(u64 mfn)
{
	return mfn - XEN_MFN_OFFSET;
}

/* The guest's pointer to a machine address of its memory; 0 for an address that is none of the
 * domain's frames (a guest pointer, for one, where Xen wants a machine address). */
static void *guest_ptr(u64 ma)
{
	u64 mfn = ma >> PAGE_SHIFT;

	if (mfn < XEN_MFN_OFFSET || mfn - XEN_MFN_OFFSET >= XEN_MFN_OFFSET)
		return 0;
	return (void *)(uintptr_t)(xen_mfn_to_pfn(mfn) << PAGE_SHIFT | (ma & 4095));
}

/* A 64-bit argument, as the guest's arch passes it: one word on x86_64; on i386 two, the low
 * one first. ARG64_WORDS: how many words it takes. */
#ifdef __x86_64__
#define ARG64_WORDS 1
static u64 arg64(const unsigned long *a)
{
	return a[0];
}
#else
#define ARG64_WORDS 2
static u64 arg64(const unsigned long *a)
{
	return (u64)a[1] << 32 | a[0];
}
#endif

static u64 boot_ns;	/* system time 0 */

static u64 system_ns(void)
{
	return rt_now_ns() - boot_ns;
}

/* Publish the TSC scale and a fresh (tsc, system time) pair, as Xen does on every vcpu
 * schedule; the version is odd meanwhile so a reader retries. */
static void update_time(void)
{
	struct vcpu_time_info *t = &xen_hv.vcpu[0]->time;
	u64 mul = div_u64(1000000ULL << 32, (u32)rt_tsc_khz());	/* ns per cycle, 32.32 fixed point */
	int shift = 0;

	/* normalize mul to 32 bits; each halving doubles the delta instead */
	while (mul >> 32) {
		mul >>= 1;
		shift++;
	}
	while (!(mul >> 31)) {
		mul <<= 1;
		shift--;
	}
	__atomic_add_fetch(&t->version, 1, __ATOMIC_SEQ_CST);
	t->tsc_timestamp = rdtsc();
	t->system_time = system_ns();
	t->tsc_to_system_mul = (u32)mul;
	t->tsc_shift = (signed char)shift;
	__atomic_add_fetch(&t->version, 1, __ATOMIC_SEQ_CST);
}

RT_HOST void xen_hv_reset(int placement)
{
	xen_hv = (struct xen_hv){ .periodic = 1, .memory_kb = XEN_DOMAIN_KB, .placement = placement,
			    .nr_vcpus = NR_CPUS };
	xen_shared_info = (struct shared_info){ 0 };
	for (unsigned cpu = 0; cpu < NR_CPUS; cpu++) {
		xen_hv.vcpu[cpu] = &xen_shared_info.vcpu_info[cpu];
		xen_hv.vcpu[cpu]->evtchn_upcall_mask = 1;	/* a vcpu starts masked */
	}
	boot_ns = rt_now_ns();
	xen_shared_info.wc_sec = (u32)rt_wall_s();
	update_time();
}

RT_HOST void xen_hv_zero_counts(void)
{
	for (unsigned i = 0; i < XEN_NR_HYPERCALLS; i++)
		xen_hv.calls[i] = 0;
	for (unsigned i = 0; i < XEN_NR_MMUEXT; i++)
		xen_hv.mmuext[i] = 0;
	xen_hv.batched = xen_hv.batch_failed = xen_hv.upcalls = xen_hv.emulated = xen_hv.pt_updates = 0;
}

/* The model's hypercall page: only the iret hypercall is entered there (the event callback's
 * way back), counted, then the iret to the same ring a process may take (x86_64: past the
 * flags word the caller pushed). The other hypercalls are calls of xen_hypercall. */
asm(".pushsection .text\n"
    ".globl hypercall_page\n"
    ".balign 32\n"
    "hypercall_page:\n"
    "\t.fill 23 * 32, 1, 0xcc\n"
#ifdef __x86_64__
    "\tincq xen_hv + 23 * 8(%rip)\n"
    "\tadd $8, %rsp\n"
    "\tiretq\n"
#else
    "\tincl xen_hv + 23 * 4\n"
    "\tiret\n"
#endif
    ".popsection");
_Static_assert(__HYPERVISOR_iret == 23, "the model's hypercall page has the iret entry 23rd");

/* Enter the guest's event callback as Xen does: a frame that returns here (x86_64: rcx and r11
 * above it), a jump. The callback returns by iret, which a process may take to its own ring.
 * (x86_64: the callback in rdi; i386, kernel code: in eax.) */
void xen_hv_bounce(unsigned long callback);
asm(".pushsection .text\n"
    ".globl xen_hv_bounce\n"
    "xen_hv_bounce:\n"
#ifdef __x86_64__
    "\tmov %rsp, %rax\n"
    "\tmov %ss, %ecx\n"
    "\tpush %rcx\n"
    "\tpush %rax\n"
    "\tpushfq\n"
    "\tmov %cs, %ecx\n"
    "\tpush %rcx\n"
    "\tlea 1f(%rip), %rcx\n"
    "\tpush %rcx\n"
    "\tpush %r11\n"
    "\tpush %rcx\n"
    "\tjmp *%rdi\n"
#else
    "\tpushfl\n"
    "\tpushl %cs\n"
    "\tpushl $1f\n"
    "\tjmp *%eax\n"
#endif
    "1:\tret\n"
    ".popsection");

/* The upcall: events masked meanwhile, the guest's registered callback runs (an event stays
 * pending while there is none). */
static void deliver_events(void)
{
	unsigned long callback = xen_hv.callbacks[CALLBACKTYPE_event];
	struct vcpu_info *v = xen_hv.vcpu[0];

	if (v->evtchn_upcall_pending && !v->evtchn_upcall_mask && callback) {
		xen_hv.upcalls++;
		v->evtchn_upcall_mask = 1;
		xen_hv_bounce(callback);
		v->evtchn_upcall_mask = 0;	/* Xen's iret restores it from the frame's IF */
	}
}

/* Move a vcpu's vcpu_info to the guest's frame and offset: Xen copies what it holds and writes
 * only there from now on. Refused where the model plays a Xen without it, or for a place
 * that crosses a page. */
static long register_vcpu_info(unsigned cpu, const struct vcpu_register_vcpu_info *r)
{
	struct vcpu_info *to;

	if (!xen_hv.placement)
		return -38;	/* ENOSYS */
	if (cpu >= xen_hv.nr_vcpus)
		return -2;	/* ENOENT: Xen refuses any op on a vcpu the domain has not */
	if (r->offset + sizeof(*to) > 4096 || !(to = guest_ptr(r->mfn << PAGE_SHIFT | r->offset)))
		return -22;
	*to = *xen_hv.vcpu[cpu];
	xen_hv.vcpu[cpu] = to;
	return 0;
}

/* ptr: the entry's machine address, its low bits the command; val: a machine entry */
static long mmu_update(const struct mmu_update *req, unsigned count, unsigned long domid)
{
	if (domid != DOMID_SELF)
		return -1;	/* -EPERM: the model has no other domain */
	for (unsigned i = 0; i < count; i++) {
		u64 *pte = guest_ptr(req[i].ptr & ~7ULL);

		if (!pte)
			return -22;
		switch (req[i].ptr & 7) {
		case MMU_NORMAL_PT_UPDATE:
			*pte = req[i].val;
			break;
		case MMU_PT_UPDATE_PRESERVE_AD:
			/* the accessed and dirty bits the CPU set meanwhile survive the update */
			*pte = req[i].val | (*pte & (_PAGE_ACCESSED | _PAGE_DIRTY));
			break;
		default:
			return -22;	/* -EINVAL */
		}
		xen_hv.pt_updates++;
	}
	return 0;
}

static long mmuext_op(const struct mmuext_op *op, unsigned count, unsigned long domid)
{
	if (domid != DOMID_SELF)
		return -1;
	for (unsigned i = 0; i < count; i++) {
		if (op[i].cmd >= XEN_NR_MMUEXT)
			return -22;
		xen_hv.mmuext[op[i].cmd]++;
		switch (op[i].cmd) {
		case MMUEXT_PIN_L1_TABLE:
		case MMUEXT_PIN_L2_TABLE:
		case MMUEXT_PIN_L3_TABLE:
		case MMUEXT_PIN_L4_TABLE:
			xen_hv.pinned++;
			break;
		case MMUEXT_UNPIN_TABLE:
			if (!xen_hv.pinned)
				return -22;
			xen_hv.pinned--;
			break;
		case MMUEXT_NEW_BASEPTR:
			xen_hv.baseptr = op[i].arg1.mfn;
			break;
		case MMUEXT_INVLPG_LOCAL:
			xen_hv.invlpg = op[i].arg1.linear_addr;
			break;
		case MMUEXT_INVLPG_MULTI:
			xen_hv.invlpg = op[i].arg1.linear_addr;
			xen_hv.flushmask = *op[i].arg2.vcpumask;
			break;
		case MMUEXT_TLB_FLUSH_MULTI:
			xen_hv.flushmask = *op[i].arg2.vcpumask;
			break;
		case MMUEXT_SET_LDT:
			xen_hv.ldt_base = op[i].arg1.linear_addr;
			xen_hv.ldt_ents = op[i].arg2.nr_ents;
			break;
		}
	}
	return 0;
}

static long set_trap_table(const struct trap_info *t)
{
	unsigned n = 0;

	for (; t->address; t++, n++)
		if (n < sizeof(xen_hv.traps) / sizeof(xen_hv.traps[0]))
			xen_hv.traps[n] = *t;
	xen_hv.ntraps = n;
	return 0;
}

static long do_call(unsigned op, const unsigned long *a);

static long multicall(struct multicall_entry *mc, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		mc[i].result = do_call((unsigned)mc[i].op, mc[i].args);
		xen_hv.batched++;
		xen_hv.batch_failed += mc[i].result < 0;
	}
	return 0;
}

static long do_call(unsigned op, const unsigned long *a)
{
	switch (op) {
	case __HYPERVISOR_set_trap_table:
		return set_trap_table((const struct trap_info *)a[0]);
	case __HYPERVISOR_mmu_update:
		return mmu_update((const struct mmu_update *)a[0], (unsigned)a[1], a[3]);
	case __HYPERVISOR_set_gdt:
		xen_hv.gdt_mfn = *(const unsigned long *)a[0];
		xen_hv.gdt_entries = (unsigned)a[1];
		return 0;
	case __HYPERVISOR_stack_switch:
		xen_hv.kernel_ss = a[0];
		xen_hv.kernel_sp = a[1];
		return 0;
	case __HYPERVISOR_fpu_taskswitch:
		xen_hv.ts = a[0] != 0;
		return 0;
	case __HYPERVISOR_platform_op: {
		const struct xen_platform_settime *st = (const void *)a[0];

		if (st->cmd != XENPF_settime)
			return -38;	/* -ENOSYS */
		xen_shared_info.wc_version++;
		xen_shared_info.wc_sec = st->secs - (u32)div_u64(st->system_time, 1000000000);
		return 0;
	}
	case __HYPERVISOR_set_debugreg:
		if (a[0] >= 8)
			return -22;
		xen_hv.debugreg[a[0]] = a[1];
		return 0;
	case __HYPERVISOR_get_debugreg:
		return a[0] < 8 ? (long)xen_hv.debugreg[a[0]] : -22;
	case __HYPERVISOR_update_descriptor: {
		/* (the descriptor's machine address, the descriptor) */
		u64 ma = arg64(a), *desc = guest_ptr(ma);

		if (!desc || (ma & 7))
			return -22;
		*desc = arg64(a + ARG64_WORDS);
		return 0;
	}
	case __HYPERVISOR_memory_op: {
		struct xen_memory_map *map = (void *)a[1];

		if (a[0] != XENMEM_memory_map || map->nr_entries < 1)
			return -22;
		map->nr_entries = 1;
		map->buffer[0] = (struct e820entry){ 0, (u64)xen_hv.memory_kb << 10, 1 };
		return 0;
	}
	case __HYPERVISOR_multicall:
		return multicall((struct multicall_entry *)a[0], (unsigned)a[1]);
	case __HYPERVISOR_update_va_mapping: {
		/* (va, the machine entry, flags); Xen validates a present entry: its frame must be
		 * the domain's */
		u64 pte = arg64(a + 1);
		unsigned long flags = a[1 + ARG64_WORDS];

		if ((pte & _PAGE_PRESENT) && !guest_ptr(pte & PTE_PFN_MASK))
			return -22;
		xen_hv.va = a[0];
		xen_hv.va_pte = pte;
		if (flags & UVMF_INVLPG)
			xen_hv.invlpg = a[0];
		return 0;
	}
	case __HYPERVISOR_set_timer_op:
		xen_hv.timer = arg64(a);
		update_time();
		return 0;
	case __HYPERVISOR_xen_version:
		return a[0] == XENVER_version ? (long)XEN_VERSION : -38;
	case __HYPERVISOR_vm_assist:
		if (a[0] == VMASST_CMD_enable && a[1] == VMASST_TYPE_writable_pagetables)
			xen_hv.writable_pagetables = 1;
		return 0;
	case __HYPERVISOR_vcpu_op:
		if (a[0] == VCPUOP_register_vcpu_info)
			return register_vcpu_info((unsigned)a[1], (const struct vcpu_register_vcpu_info *)a[2]);
		if (a[0] == VCPUOP_is_up)
			return a[1] >= xen_hv.nr_vcpus ? -2 : a[1] == 0 && !xen_hv.vcpu_down;
		if (a[0] == VCPUOP_down)
			xen_hv.vcpu_down = 1;
		else if (a[0] == VCPUOP_up)
			xen_hv.vcpu_down = 0;
		else if (a[0] == VCPUOP_stop_periodic_timer)
			xen_hv.periodic = 0;
		else
			return -38;
		return 0;
	case __HYPERVISOR_set_segment_base:
		switch (a[0]) {
		case SEGBASE_FS: xen_hv.fs_base = a[1]; return 0;
		case SEGBASE_GS_USER: xen_hv.gs_user = a[1]; return 0;
		case SEGBASE_GS_KERNEL: xen_hv.gs_kernel = a[1]; return 0;
		case SEGBASE_GS_USER_SEL: xen_hv.gs_sel = a[1]; return 0;
		}
		return -22;
	case __HYPERVISOR_mmuext_op:
		return mmuext_op((const struct mmuext_op *)a[0], (unsigned)a[1], a[3]);
	case __HYPERVISOR_sched_op:
		if (a[0] == SCHEDOP_block) {
			/* blocking unmasks events; the vcpu wakes on the next one, its timer's */
			xen_hv.vcpu[0]->evtchn_upcall_mask = 0;
			xen_hv.vcpu[0]->evtchn_upcall_pending = 1;
			update_time();
		}
		return 0;
	case __HYPERVISOR_callback_op: {
		const struct callback_register *cb = (const void *)a[1];

		if (a[0] != CALLBACKOP_register || cb->type > CALLBACKTYPE_syscall)
			return -22;
		xen_hv.callbacks[cb->type] = cb->address;
		return 0;
	}
	case __HYPERVISOR_physdev_op:
		if (a[0] != PHYSDEVOP_set_iopl)
			return -38;
		xen_hv.iopl = ((const struct physdev_set_iopl *)a[1])->iopl;
		return 0;
	}
	return -38;
}

long xen_hypercall(unsigned op, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
	const unsigned long a[4] = { a1, a2, a3, a4 };
	long r;

	if (op >= XEN_NR_HYPERCALLS)
		return -38;
	xen_hv.calls[op]++;
	r = do_call(op, a);
	deliver_events();
	return r;
}

void xen_emulate_write_cr4(unsigned long cr4)
{
	xen_hv.emulated++;
	xen_hv.cr4 = cr4;
}
