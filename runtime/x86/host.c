/* The host services of host.h, on libc. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#ifdef __x86_64__
#include <asm/prctl.h>
#else
#include <asm/ldt.h>
#endif

#include "host.h"

static char log_buf[4096];
static size_t log_len;

static u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (u64)ts.tv_sec * 1000000000u + (u64)ts.tv_nsec;
}

u64 rt_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC_RAW);
}

/* A TSC reading and the clock at the same moment: the clock is read on both sides, again
 * until the two are within 10 us (a preemption in between would skew the rate). */
static void tsc_and_ns(u64 *tsc, u64 *ns)
{
	u64 a, b;

	do {
		a = rt_now_ns();
		*tsc = rdtsc();
		b = rt_now_ns();
	} while (b - a > 10000);
	*ns = a + (b - a) / 2;
}

u64 rt_tsc_khz(void)
{
	static u64 khz;
	u64 c0, t0, c1, t1;

	if (!khz) {
		tsc_and_ns(&c0, &t0);
		do	/* 10 ms: the ends' uncertainty is then below 0.1% */
			tsc_and_ns(&c1, &t1);
		while (t1 - t0 < 10000000);
		khz = (c1 - c0) * 1000000 / (t1 - t0);
	}
	return khz;
}

long rt_wall_s(void)
{
	return (long)(clock_ns(CLOCK_REALTIME) / 1000000000u);
}

void rt_log(const char *fmt, ...)
{
	size_t room = sizeof(log_buf) - log_len - 2;	/* keep the newline and the NUL */
	va_list ap;
	int n;

	if (log_len + 2 > sizeof(log_buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(log_buf + log_len, room + 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	log_len += (size_t)n < room ? (size_t)n : room;
	log_buf[log_len++] = '\n';
	log_buf[log_len] = 0;
}

const char *rt_log_text(void)
{
	return log_buf;
}

void rt_log_clear(void)
{
	log_len = 0;
	log_buf[0] = 0;
}

int rt_set_percpu_base(unsigned long base)
{
#ifdef __x86_64__
	return syscall(SYS_arch_prctl, ARCH_SET_GS, base) ? -1 : 0;
#else
	/* a flat 4 GiB data segment at base: offsets wrap, so a base "below" the template works */
	struct user_desc d = { .entry_number = (unsigned)-1, .base_addr = (unsigned)base, .limit = 0xfffff,
			       .seg_32bit = 1, .limit_in_pages = 1, .useable = 1 };

	if (syscall(SYS_set_thread_area, &d))
		return -1;
	asm volatile("mov %0, %%fs" : : "r"(d.entry_number * 8 + 3));
	return 0;
#endif
}
