/* Output and the TAP stream: a small printf onto the console the entry chose, and the way
 * out of the machine. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "boot.h"

void (*console_write)(const char *s, unsigned long n);
void (*machine_exit_hook)(int code);
unsigned tap_failed;
static unsigned tap_n;

static void put(char **o, char *end, char c)
{
	if (*o < end)
		*(*o)++ = c;
}

/* %[-][0][width][l|ll](d u x s c p), enough for the kernel's lines */
unsigned long vformat_line(char *buf, unsigned long size, const char *f, va_list ap)
{
	char *o = buf, *end = buf + size;

	for (; *f; f++) {
		char digits[24], pad = ' ';
		unsigned width = 0, longs = 0, n = 0, base = 10, left = 0;
		unsigned long long v;
		int neg = 0;

		if (*f != '%') {
			put(&o, end, *f);
			continue;
		}
		if (*++f == '-')
			left = 1, f++;
		if (*f == '0')
			pad = '0', f++;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (unsigned)(*f++ - '0');
		while (*f == 'l')
			longs++, f++;
		switch (*f) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			for (n = 0; s[n]; n++)
				;
			while (!left && width > n)
				put(&o, end, ' '), width--;
			while (*s)
				put(&o, end, *s++);
			while (left && width > n)
				put(&o, end, ' '), width--;
			continue;
		}
		case 'c':
			put(&o, end, (char)va_arg(ap, int));
			continue;
		case 'p':
			v = (unsigned long)va_arg(ap, void *);
			base = 16;
			put(&o, end, '0'), put(&o, end, 'x');
			break;
		case 'd':
			v = longs > 1 ? (unsigned long long)va_arg(ap, long long) :
			    longs ? (unsigned long long)va_arg(ap, long) : (unsigned long long)va_arg(ap, int);
			if ((long long)v < 0)
				neg = 1, v = -v;
			break;
		case 'u':
		case 'x':
			base = *f == 'x' ? 16 : 10;
			v = longs > 1 ? va_arg(ap, unsigned long long) :
			    longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			break;
		default:
			put(&o, end, *f);
			continue;
		}
		do {	/* div_u64: no libgcc division on i386 */
			unsigned long long q = div_u64(v, base);

			digits[n++] = "0123456789abcdef"[v - q * base];
			v = q;
		} while (v);
		if (neg)
			digits[n++] = '-';
		while (width > n)
			put(&o, end, pad), width--;
		while (n)
			put(&o, end, digits[--n]);
	}
	return (unsigned long)(o - buf);
}

static void vprint(const char *prefix, const char *fmt, va_list ap)
{
	char line[256];
	unsigned long n = 0;

	while (prefix[n])
		line[n] = prefix[n], n++;
	n += vformat_line(line + n, sizeof(line) - n - 1, fmt, ap);
	line[n++] = '\n';
	console_write(line, n);
}

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	console_write(buf, vformat_line(buf, sizeof(buf), fmt, ap));
	va_end(ap);
}

void tap_plan(unsigned n)
{
	kprintf("1..%u\n", n);
}

void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!ok)
		tap_failed++;
	va_start(ap, fmt);
	vprint(ok ? "ok - " : "not ok - ", fmt, ap);
	va_end(ap);
}

void machine_exit(int code)
{
	machine_exit_hook(code);
	for (;;)
		asm volatile("hlt");
}

/* ---- what gcc may call, and the two calls of the patcher's text protection ---- */

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *o = d;
	const unsigned char *i = s;

	while (n--)
		*o++ = *i++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *o = d;

	while (n--)
		*o++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* The kernel's text is writable as the boot page tables map it (natively, and as Xen builds
 * dom0): the patcher's protection changes have nothing to do. */
int mprotect(void *addr, size_t len, int prot)
{
	(void)addr, (void)len, (void)prot;
	return 0;
}

/* errno, for the patcher's mprotect calls: one CPU, no threads, so one int. */
int *__errno_location(void)
{
	static int err;
	return &err;
}

long sysconf(int name)
{
	(void)name;
	return 4096;	/* the only thing asked: _SC_PAGESIZE */
}

/* ---- what the canary harness (tests/runtime/x86/canary.c, shared with the user-space
 * tests) takes from libc ---- */

FILE *stderr;

static unsigned char heap[64 << 10] __attribute__((aligned(16)));
static size_t heap_used;

void *calloc(size_t n, size_t size)
{
	size_t bytes = (n * size + 15) & ~15UL;
	void *p;

	if (bytes > sizeof(heap) - heap_used)
		return 0;
	p = heap + heap_used;
	heap_used += bytes;
	return memset(p, 0, bytes);
}

/* insertion sort: a few hundred records, once */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base, tmp[64];

	if (size > sizeof(tmp))
		abort();
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j && cmp(b + (j - 1) * size, b + j * size) > 0; j--) {
			memcpy(tmp, b + j * size, size);
			memcpy(b + j * size, b + (j - 1) * size, size);
			memcpy(b + (j - 1) * size, tmp, size);
		}
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	const unsigned char *b = base;

	while (n) {
		const unsigned char *mid = b + n / 2 * size;
		int c = cmp(key, mid);

		if (!c)
			return (void *)mid;
		if (c > 0) {
			b = mid + size;
			n -= n / 2 + 1;
		} else {
			n /= 2;
		}
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	unsigned long n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vformat_line(buf, size - 1, fmt, ap);
	va_end(ap);
	buf[n] = 0;
	return (int)n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	unsigned long n;

	(void)f;
	va_start(ap, fmt);
	n = vformat_line(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write("PANIC: ", 7);
	console_write(buf, n);
	return (int)n;
}

void abort(void)
{
	kprintf("PANIC: abort\n");
	machine_exit(3);
}
