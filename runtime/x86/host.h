/* What the user-space process offers the code built as the kernel is built: clocks and a boot
 * log. Declared RT_HOST so that i386 code built with -mregparm=3 calls them correctly. */
#ifndef RT_X86_HOST_H
#define RT_X86_HOST_H

#include "kernel.h"

/* CLOCK_MONOTONIC_RAW, the clock the native TSC calibration counts against. */
RT_HOST u64 rt_now_ns(void);
/* The TSC's rate in kHz, measured once against rt_now_ns (as a kernel measures it against the
 * PIT or HPET): the native backend's calibration and the Xen model's. */
RT_HOST u64 rt_tsc_khz(void);
/* CLOCK_REALTIME in seconds: the machine's battery-backed clock, as user space sees it. */
RT_HOST long rt_wall_s(void);
/* Append a line to the boot log (printf format); rt_log_text gives it, rt_log_clear empties it. */
RT_HOST __attribute__((format(printf, 1, 2))) void rt_log(const char *fmt, ...);
RT_HOST const char *rt_log_text(void);
RT_HOST void rt_log_clear(void);

/* Make base the per-cpu segment's base (x86_64: gs, by arch_prctl; i386: fs, a TLS descriptor).
 * Returns 0, or -1. */
RT_HOST int rt_set_percpu_base(unsigned long base);

#endif
