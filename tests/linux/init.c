/* init.c: the whole user space of the Linux boot test. It runs as pid 1, reads the kernel's
 * log (no /proc needed), prints TAP lines on the console for the harness to count, and ends
 * the run with a reboot, which qemu's -no-reboot (and Xen, for dom0) turns into an exit.
 *
 * The harness tells it what to expect through the kernel command line: an unknown
 * `pvopsc_expect=native` or `=xen` reaches init as an environment variable. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <unistd.h>

#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

static int failures;

static void check(int ok, const char *what, const char *detail)
{
	printf("%sok - %s%s%s\n", ok ? "" : "not ", what, detail ? ": " : "", detail ? detail : "");
	failures += !ok;
}

static int logged(const char *log, const char *text)
{
	return log && strstr(log, text) != NULL;
}

int main(void)
{
	const char *expect = getenv("pvopsc_expect");
	struct utsname u;
	char *log = NULL;
	int size, n = -1;

	/* the console is stdout when the kernel opened it for us; open it if not */
	if (fcntl(1, F_GETFD) < 0) {
		int fd = open("/dev/console", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("pvopsc-init: start\n");
	check(getpid() == 1, "init runs as pid 1", NULL);
	check(uname(&u) == 0 && strncmp(u.release, "6.1.", 4) == 0, "the kernel is Linux 6.1",
	      uname(&u) == 0 ? u.release : "uname failed");

	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size > 0 && (log = calloc(1, (size_t)size + 1)))
		n = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	check(n > 0, "init reads the kernel log", NULL);
	if (n < 0) {
		free(log);
		log = NULL;
	}

	check(logged(log, "Booting paravirtualized kernel on ") || logged(log, "Booting kernel on "),
	      "the kernel says where it boots", NULL);
	if (expect && strcmp(expect, "native") == 0) {
		check(logged(log, "Booting paravirtualized kernel on bare hardware"), "the kernel boots on bare hardware", NULL);
		check(!logged(log, "Hypervisor detected"), "no hypervisor detected", NULL);
	} else if (expect && strcmp(expect, "xen") == 0) {
		check(logged(log, "Hypervisor detected: Xen PV"), "Hypervisor detected: Xen PV", NULL);
		check(logged(log, "Booting kernel on Xen"), "Booting kernel on Xen", NULL);
	} else {
		check(0, "the harness says what to expect", expect ? expect : "pvopsc_expect is not set");
	}
	check(!logged(log, "WARNING:") && !logged(log, "BUG:"), "no warning or BUG in the kernel log", NULL);

	printf("pvopsc-init: done, %d failed\n", failures);
	sync();
	reboot(RB_AUTOBOOT);
	printf("not ok - reboot returned\n");
	for (;;)
		pause();
}
