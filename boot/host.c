/* host.h's services for the code built as the kernel, on the machine: the TSC as the clock
 * (its rate measured by the entry: PIT natively, Xen's published scale in the guest), the
 * wall clock the entry read, and the boot log, kept and echoed as TAP comments. */
#include <stdarg.h>

#include "boot.h"
#include "host.h"

u64 boot_tsc_khz;	/* set by the entry */
long boot_wall_s;	/* the wall clock at boot_tsc0 */
u64 boot_tsc0;

int (*percpu_base_by)(unsigned long base);

/* The per-cpu segment's base: natively the gs base MSR; a PV guest cannot write that and asks
 * Xen (the Xen entry sets percpu_base_by). */
RT_HOST int rt_set_percpu_base(unsigned long base)
{
	if (percpu_base_by)
		return percpu_base_by(base);
	asm volatile("wrmsr" : : "c"(0xc0000101), "a"((u32)base), "d"((u32)((u64)base >> 32)));
	return 0;
}

RT_HOST u64 rt_tsc_khz(void)
{
	return boot_tsc_khz;
}

RT_HOST u64 rt_now_ns(void)
{
	return div_u64((rdtsc() - boot_tsc0) * 1000, (u32)boot_tsc_khz) * 1000;
}

RT_HOST long rt_wall_s(void)
{
	return boot_wall_s + (long)div_u64(rt_now_ns(), 1000000000);
}

static char log_buf[2048];
static unsigned long log_len;

RT_HOST void rt_log(const char *fmt, ...)
{
	va_list ap;
	char line[200];
	unsigned long n;

	va_start(ap, fmt);
	n = vformat_line(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n] = 0;
	kprintf("# log: %s\n", line);
	if (log_len + n + 2 > sizeof(log_buf))
		return;
	memcpy(log_buf + log_len, line, n);
	log_len += n;
	log_buf[log_len++] = '\n';
	log_buf[log_len] = 0;
}

RT_HOST const char *rt_log_text(void)
{
	return log_buf;
}

RT_HOST void rt_log_clear(void)
{
	log_len = 0;
	log_buf[0] = 0;
}
