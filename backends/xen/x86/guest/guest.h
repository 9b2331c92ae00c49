/* The Xen backend's glue to the real hypervisor, for a kernel that runs as Xen's 64-bit PV
 * guest: hypercalls through the hypercall page, the start_info page, the shared_info page
 * mapped where the backend's vcpu_info is, the console, event channels and the timer. (The
 * user-space runtime links the model hypervisor instead: the two define the same calls.) */
#ifndef XEN_GUEST_H
#define XEN_GUEST_H

#include "xen.h"

#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_event_channel_op 32
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_reboot 1
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_unmask 9
#define VIRQ_TIMER 0

/* Xen's start_info (public xen.h): what the domain builder hands the guest in rsi. */
struct start_info {
	char magic[32];	/* "xen-3.0-x86_64" */
	unsigned long nr_pages;
	unsigned long shared_info;	/* machine address of the shared info page */
	u32 flags;
	unsigned long store_mfn;
	u32 store_evtchn;
	union {
		struct {
			unsigned long mfn;
			u32 evtchn;
		} domU;
		struct {
			u32 info_off, info_size;
		} dom0;
	} console;
	unsigned long pt_base;	/* virtual address of the page directory */
	unsigned long nr_pt_frames;
	unsigned long mfn_list;	/* virtual address of the pfn -> mfn table */
	unsigned long mod_start, mod_len;
	char cmd_line[1024];
	unsigned long first_p2m_pfn, nr_p2m_frames;
};

/* Xen's shared_info page as the hardware-independent part lays it out: 32 vcpu_infos, then
 * the event channels' pending and mask bits, then the wall clock. */
struct xen_shared_page {
	struct vcpu_info vcpu_info[32];
	unsigned long evtchn_pending[sizeof(long) * 8];
	unsigned long evtchn_mask[sizeof(long) * 8];
	u32 wc_version, wc_sec, wc_nsec;
};
extern struct xen_shared_page xen_shared_page;
extern char hypercall_page[];
extern const struct start_info *xen_start_info;

/* Map the shared page (the backend's xen_shared_info); 0 or Xen's error. */
long xen_guest_init(const struct start_info *si);
void xen_console_write(const char *s, unsigned long n);
__attribute__((noreturn)) void xen_reboot(void);
/* Bind VIRQ_TIMER to a channel, unmasked; returns the port or Xen's error. */
long xen_bind_timer(void);
/* The event upcall's work: clear what is pending, count it, and set the next timer event
 * xen_timer_rearm ns ahead if that is not 0. */
void xen_evtchn_do_upcall(void);
extern volatile unsigned long xen_upcalls;
extern volatile u64 xen_timer_rearm;
/* The machine frame of a page of the kernel (the domain builder's pfn -> mfn table). */
unsigned long xen_virt_to_mfn(const void *va);
/* A one-shot timer event ns from now. */
void xen_timer_in(u64 ns);
/* A timer event every ns (at least 1 ms); 0 stops them. */
void xen_timer_every(u64 ns);

#endif
