/* The multiboot entry's C side: bare hardware (qemu -cpu max). It sets up what the probes run
 * on (GDT with a TSS, IDT, the PICs masked, the local APIC, the TSC's rate against the PIT),
 * makes the native backend the running one, and runs the probes. Output: COM1; the end:
 * qemu's isa-debug-exit port. */
#include "boot.h"
#include "desc.h"
#include "host.h"
#include "patch.h"

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4

extern u64 boot_tsc_khz, boot_tsc0;
extern long boot_wall_s;

static void serial_write(const char *s, unsigned long n)
{
	for (; n; n--, s++) {
		if (*s == '\n')
			serial_write("\r", 1);
		while (!(inb(COM1 + 5) & 0x20))
			;
		outb(COM1, (unsigned char)*s);
	}
}

static void debug_exit(int code)
{
	asm volatile("outl %0, %1" : : "a"((u32)code), "Nd"(DEBUG_EXIT));
}

/* 10 ms of the PIT (1193182 Hz) on channel 2, its gate through port 0x61, against the TSC */
static u64 tsc_khz_by_pit(void)
{
	unsigned count = 11932;
	u64 t0, t1;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);	/* channel 2, lobyte/hibyte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	t1 = rdtsc();
	return (t1 - t0) / 10;
}

static unsigned cmos(unsigned reg)
{
	unsigned v;

	outb(0x70, (unsigned char)reg);
	v = inb(0x71);
	return (v & 15) + (v >> 4) * 10;	/* BCD */
}

long rtc_seconds(void)
{
	static const unsigned days_before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	unsigned y, mo, d, h, mi, s;
	long days;

	while (inb(0x70), outb(0x70, 10), inb(0x71) & 0x80)
		;	/* an update in progress */
	s = cmos(0), mi = cmos(2), h = cmos(4), d = cmos(7), mo = cmos(8), y = 2000 + cmos(9);
	days = (long)(y - 1970) * 365 + (y - 1969) / 4 + days_before[mo - 1] + d - 1;
	if (mo > 2 && y % 4 == 0)
		days++;
	return ((days * 24 + h) * 60 + mi) * 60 + s;
}

/* The multiboot information's command line (flags bit 2) */
extern u32 mb_info;
static const char *multiboot_cmdline(void)
{
	const u32 *mbi = (const u32 *)(unsigned long)mb_info;

	return mbi && (mbi[0] & 4) ? (const char *)(unsigned long)mbi[4] : "";
}

void native_start(void)
{
	console_write = serial_write;
	machine_exit_hook = debug_exit;
	gdt_init();
	idt_init();
	outb(0x21, 0xff);	/* both PICs masked: the local APIC's timer is the only interrupt */
	outb(0xa1, 0xff);
	boot_tsc0 = rdtsc();
	boot_tsc_khz = tsc_khz_by_pit();
	boot_wall_s = rtc_seconds();
	boot_cmdline = multiboot_cmdline();
	pv_activate(&native_backend);
	boot_run(ENV_NATIVE, &native_backend);
}
