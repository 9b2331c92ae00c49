/* The boot kernel: what its parts share. The kernel itself is the generated x86 interface, the
 * backends, and the reference patcher, as the user-space runtime builds them; this is only
 * what a machine needs around them: entry, traps, console, the probes' driver. */
#ifndef BOOT_H
#define BOOT_H

#define BOOT_STACK_SIZE 16384

/* Selectors: Linux's GDT layout (kernel.h's GDT_ENTRY_* continue it) */
#ifdef __x86_64__
#define KERNEL_CS 0x10
#define KERNEL_DS 0x18
#else
#define KERNEL_CS 0x60
#define KERNEL_DS 0x68
#endif

/* Vectors the probes use */
#define VEC_TIMER 0x40	/* the local APIC timer */
#define VEC_PROBE 0x81	/* a gate a probe writes, then raises with int */
#define VEC_XEN_UPCALL 0xf0	/* counts Xen's event upcalls */

#ifndef __ASSEMBLER__
#include <string.h>	/* boot/console.c has the few functions it declares that are used */

#include "kernel.h"

/* The saved state of a trap: general registers as trap.S pushes them, then the CPU's frame. */
struct trap_frame {
#ifdef __x86_64__
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
#else
	unsigned long edi, esi, ebp, esp_, ebx, edx, ecx, eax;
#endif
	unsigned long vector, error, ip, cs, flags;
};

/* Traps: counts by vector, and the way back from an expected fault. */
extern volatile unsigned long trap_count[256];
extern volatile unsigned long trap_last_ip, trap_last_error;
/* Run fn(arg); a fault in it ends it: returns the vector, or -1 if it did not fault. */
int trap_catch(void (*fn)(void *), void *arg);
void trap_init(void);	/* native: the IDT, all 256 vectors */

/* Output: the serial port natively, the Xen console in the guest. */
extern void (*console_write)(const char *s, unsigned long n);
/* printf's %[-][0][width][l|ll](d u x s c p) into buf; returns the length (no NUL) */
unsigned long vformat_line(char *buf, unsigned long size, const char *fmt, __builtin_va_list ap);
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
__attribute__((noreturn)) void machine_exit(int code);
extern void (*machine_exit_hook)(int code);

/* The TAP stream: the plan, one line per check. */
void tap_plan(unsigned n);
void tap(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern unsigned tap_failed;

/* The probes and their driver (probes.c, main.c). */
struct paravirt_backend;
enum boot_env { ENV_NATIVE, ENV_XEN };
/* Patch for backend be and run the probes of env. */
void boot_run(enum boot_env env, const struct paravirt_backend *be);
/* How the per-cpu segment's base is set, if not by the gs base MSR (rt_set_percpu_base). */
extern int (*percpu_base_by)(unsigned long base);
extern const char *boot_cmdline;	/* the loader's command line for the kernel */
/* make bench's measurements instead of the probes (command line "bench") */
__attribute__((noreturn)) void bench_run(const struct paravirt_backend *be, enum boot_env env);
void probes_init(enum boot_env env);
/* Seconds since 1970 from the CMOS clock (years 2000-2099); under Xen dom0 reads it through
 * Xen's emulation of the ports. */
long rtc_seconds(void);

struct probe_ctx {
	int xen;	/* the Xen backend is the running one */
	u64 digest;	/* what the probe saw */
	const char *bad;	/* the first expectation that failed */
};

#define NATIVE 1
#define XEN 2
#define NO_CANARY 4	/* a fault inside a site, or a jump op: the canaries cannot follow it */
struct boot_probe {
	const char *ops;	/* the ops it runs */
	void (*run)(struct probe_ctx *c);
	unsigned env;	/* NATIVE | XEN: where it runs; NO_CANARY */
};
/* The negative image replaces an implementation here (the good one has nothing to do). */
void boot_tamper(void);
extern const struct boot_probe boot_probes[];
extern const unsigned nboot_probes;


static inline void outb(unsigned short port, unsigned char v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
#endif
#endif
