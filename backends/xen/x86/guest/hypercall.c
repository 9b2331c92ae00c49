/* The real-Xen glue of guest.h. Hypercalls enter Xen through the page it filled, one 32-byte
 * stub per hypercall: arguments in rdi, rsi, rdx, r10, r8 (x86_64; rcx and r11 are lost) or
 * ebx, ecx, edx, esi, edi (i386), the result in rax/eax. Every hypercall is counted in
 * xen_hv.calls, as the model counts them. (i386 builds, for the tables' sake, but cannot run
 * here: Debian's Xen 4.17 has no 32-bit PV.) */
#include "guest.h"
#include "pv.h"

struct xen_hv xen_hv;	/* here only its counts: the hypervisor is the real one */
const struct start_info *xen_start_info;
volatile unsigned long xen_upcalls;
volatile u64 xen_timer_rearm;
static u32 timer_port;

/* The shared page, which xen_guest_init maps over this page of the image: struct shared_info
 * has Xen's layout where the backend reads it (vcpu_info[], the event masks, the wall clock). */
struct xen_shared_page xen_shared_page __attribute__((aligned(4096), section(".bss.xen_shared")));
asm(".globl xen_shared_info\n.set xen_shared_info, xen_shared_page");

/* A multicall's entries, counted as the model counts them: done, and failed. */
static void count_batch(const struct multicall_entry *mc, unsigned long n)
{
	xen_hv.batched += n;
	for (unsigned long i = 0; i < n; i++)
		xen_hv.batch_failed += mc[i].result < 0;
}

long xen_hypercall(unsigned op, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4)
{
	const unsigned long batch = a1, nbatch = a2;
	long ret;

	if (op < XEN_NR_HYPERCALLS)
		xen_hv.calls[op]++;
#ifdef __x86_64__
	register unsigned long r10 asm("r10") = a4;

	asm volatile("call *%[stub]"
		     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10)
		     : [stub] "r"(hypercall_page + op * 32)
		     : "rcx", "r11", "r8", "memory");
#else
	asm volatile("call *%[stub]"
		     : "=a"(ret), "+b"(a1), "+c"(a2), "+d"(a3), "+S"(a4)
		     : [stub] "a"(hypercall_page + op * 32)
		     : "edi", "memory");
#endif
	if (op == __HYPERVISOR_multicall)
		count_batch((const struct multicall_entry *)batch, nbatch);
	return ret;
}

/* A PV guest's mov to cr4 traps; Xen emulates what it allows. */
void xen_emulate_write_cr4(unsigned long cr4)
{
	asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

long xen_guest_init(const struct start_info *si)
{
	xen_start_info = si;
	/* the page, present, writable, user (ring 3 kernel) */
	return xen_update_va_mapping((unsigned long)&xen_shared_page, si->shared_info | 7, UVMF_INVLPG);
}

/* The domain builder's pfn -> mfn table, and Xen's read-only machine -> physical table at the
 * start of its reserved area (x86_64 PV: HYPERVISOR_VIRT_START). */
#ifdef __x86_64__
#define MACH2PHYS ((const unsigned long *)0xffff800000000000UL)
#else
#define MACH2PHYS ((const unsigned long *)0xf5800000UL)
#endif

u64 xen_pfn_to_mfn(u64 pfn)
{
	return ((const unsigned long *)xen_start_info->mfn_list)[pfn];
}

u64 xen_mfn_to_pfn(u64 mfn)
{
	return MACH2PHYS[mfn];
}

/* The kernel runs where Xen loaded it: virtual address = pseudo-physical address. */
unsigned long xen_virt_to_mfn(const void *va)
{
	return (unsigned long)xen_pfn_to_mfn((unsigned long)va >> PAGE_SHIFT);
}

void xen_console_write(const char *s, unsigned long n)
{
	xen_hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, n, (unsigned long)s, 0);
}

void xen_reboot(void)
{
	u32 reason = SHUTDOWN_reboot;

	for (;;)
		xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (unsigned long)&reason, 0, 0);
}

long xen_bind_timer(void)
{
	struct {
		u32 virq, vcpu, port;
	} bind = { VIRQ_TIMER, 0, 0 };
	long r = xen_hypercall(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, (unsigned long)&bind, 0, 0);

	if (r)
		return r;
	timer_port = bind.port;
	__atomic_and_fetch(&xen_shared_page.evtchn_mask[timer_port / (8 * sizeof(long))],
			   ~(1UL << (timer_port % (8 * sizeof(long)))),
			   __ATOMIC_SEQ_CST);
	return timer_port;
}

/* The system time of vcpu 0, as Xen publishes it (the backend reads it the same way). */
void xen_timer_in(u64 ns)
{
	xen_set_timer_op(xen_sched_clock() + ns);
}

void xen_timer_every(u64 ns)
{
	u64 period = ns;	/* struct vcpu_set_periodic_timer */

	if (ns)
		xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0, (unsigned long)&period, 0);
	else
		xen_hypercall(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0, 0);
}

void xen_evtchn_do_upcall(void)
{
	xen_consume_events(percpu_read(xen_vcpu));	/* shared_info's, or where it was placed */
	xen_upcalls++;
	if (xen_timer_rearm)
		xen_timer_in(xen_timer_rearm);
}
