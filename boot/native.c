/* The multiboot entry's C side: bare hardware (qemu -cpu max). It sets up what the probes run
 * on (GDT with a TSS, IDT, the PICs masked, the local APIC, the TSC's rate against the PIT),
 * makes the native backend the running one, and runs the probes. Output: COM1; the end:
 * qemu's isa-debug-exit port. */
#include "boot.h"
#include "host.h"
#include "patch.h"

#define COM1 0x3f8
#define DEBUG_EXIT 0xf4

extern u64 boot_tsc_khz, boot_tsc0;
extern long boot_wall_s;
extern char trap_vectors[];

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

/* The hardware TSS: only rsp0 matters (the stack a trap from ring 3 lands on). */
struct hw_tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1, ist[7], reserved2;
	u16 reserved3, iomap_base;
} __attribute__((packed));
struct hw_tss boot_tss __attribute__((aligned(16)));

static struct desc_struct seg(u32 flags)
{
	/* base 0, limit 4 GiB (ignored in long mode but for data), flags in the high word */
	return (struct desc_struct){ 0x0000ffff, flags | 0x000f0000 };
}

/* A 16-byte system descriptor (TSS type 9 when available) for base and limit */
void pack_tss_desc(struct desc_struct *d, unsigned long base, u32 limit)
{
	d[0].a = (u32)(base << 16) | (limit & 0xffff);
	d[0].b = (u32)(base & 0xff000000) | (limit & 0xf0000) | 0x8900 | ((u32)(base >> 16) & 0xff);
	d[1].a = (u32)((u64)base >> 32);
	d[1].b = 0;
}

static void gdt_init(void)
{
	struct desc_ptr p = { sizeof(cpu_gdt) - 1, (unsigned long)cpu_gdt };

	cpu_gdt[KERNEL_CS / 8] = seg(0x00a09b00);	/* 64-bit code, ring 0 */
	cpu_gdt[KERNEL_DS / 8] = seg(0x00c09300);
	cpu_gdt[4] = seg(0x00c0fb00);			/* user 32-bit code */
	cpu_gdt[5] = seg(0x00c0f300);			/* user data */
	cpu_gdt[6] = seg(0x00a0fb00);			/* user 64-bit code */
	boot_tss.iomap_base = sizeof(boot_tss);
	pack_tss_desc(&cpu_gdt[GDT_ENTRY_TSS], (unsigned long)&boot_tss, sizeof(boot_tss) - 1);
	asm volatile("lgdt %0\n\t"
		     "pushq %1\n\t"
		     "lea 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\tmov %2, %%ss\n\t"
		     "mov %2, %%ds\n\t"
		     "mov %2, %%es\n\t"
		     "ltr %w3"
		     : : "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(GDT_ENTRY_TSS * 8) : "rax", "memory");
}

static void idt_init(void)
{
	struct desc_ptr p = { sizeof(idt_table) - 1, (unsigned long)idt_table };

	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		unsigned long h = (unsigned long)trap_vectors + 16 * v;

		idt_table[v].w[0] = (u32)(KERNEL_CS << 16) | (h & 0xffff);
		idt_table[v].w[1] = (u32)(h & 0xffff0000) | 0x8e00 | (v == 3 ? 0x6000 : 0);
		idt_table[v].w[2] = (u32)(h >> 32);
		idt_table[v].w[3] = 0;
	}
	asm volatile("lidt %0" : : "m"(p));
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

/* Seconds since 1970 from the RTC (years 2000-2099). */
static long rtc_seconds(void)
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
	pv_activate(&native_backend);
	boot_run(ENV_NATIVE);
}
