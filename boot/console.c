/* Output and the TAP stream: a small printf onto the console the entry chose, and the way
 * out of the machine. */
#include <stdarg.h>

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

/* %[0][width][l|ll](d u x s c p), enough for the kernel's lines */
unsigned long vformat_line(char *buf, unsigned long size, const char *f, va_list ap)
{
	char *o = buf, *end = buf + size;

	for (; *f; f++) {
		char digits[24], pad = ' ';
		unsigned width = 0, longs = 0, n = 0, base = 10;
		unsigned long long v;
		int neg = 0;

		if (*f != '%') {
			put(&o, end, *f);
			continue;
		}
		if (*++f == '0')
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
			while (width > n)
				put(&o, end, ' '), width--;
			while (*s)
				put(&o, end, *s++);
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
		do {
			digits[n++] = "0123456789abcdef"[v % base];
			v /= base;
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

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *o = d;
	const unsigned char *i = s;

	while (n--)
		*o++ = *i++;
	return d;
}

void *memset(void *d, int c, unsigned long n)
{
	unsigned char *o = d;

	while (n--)
		*o++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

unsigned long strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

/* The kernel's text is writable as the boot page tables map it (natively, and as Xen builds
 * dom0): the patcher's protection changes have nothing to do. */
int mprotect(void *addr, unsigned long len, int prot)
{
	(void)addr, (void)len, (void)prot;
	return 0;
}

long sysconf(int name)
{
	(void)name;
	return 4096;	/* the only thing asked: _SC_PAGESIZE */
}
