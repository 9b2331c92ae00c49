/* fuzz_patch.c: libFuzzer target: any bytes as an array of patch-site records (4 bytes each:
 * offset into a 2-page text, patch type, length, policy) for the reference patcher, x86_64,
 * native backend. Whatever the records, pv_apply either refuses them and leaves the text as it
 * was, or patches it and pv_restore gives every byte back; it never writes outside the text
 * (guard pages around it would fault) and never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "patch.h"

#define PAGE 4096
#define TEXT (2 * PAGE)
#define MAX_SITES 64

static unsigned char *text, orig[TEXT], save[MAX_SITES * 255];

static void setup(void)
{
	/* guard, text, text, guard: the guards are never mapped accessible */
	unsigned char *m = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		abort();
	text = m + PAGE;
	mprotect(text, TEXT, PROT_READ | PROT_WRITE);
	for (int i = 0; i < TEXT; i++)
		text[i] = (unsigned char)(0xc3 ^ (i * 7));
	memcpy(orig, text, TEXT);
	mprotect(text, TEXT, PROT_READ | PROT_EXEC);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct paravirt_patch_site sites[MAX_SITES];
	unsigned char policy[PARAVIRT_PATCH_COUNT];
	size_t n = size / 4 < MAX_SITES ? size / 4 : MAX_SITES;
	struct pv_apply a;
	int rc;

	if (!text)
		setup();
	memset(policy, PV_POLICY_DEFAULT, sizeof(policy));
	for (size_t i = 0; i < n; i++) {
		const uint8_t *d = data + 4 * i;
		/* offsets reach past the text on both sides: a site may start before it */
		long off = (long)((d[0] | (d[1] & 0x3f) << 8)) - 512;
		sites[i] = (struct paravirt_patch_site){ .instr = text + off, .instrtype = d[2] % (PARAVIRT_PATCH_COUNT + 2),
							 .len = d[3], .clobbers = (unsigned short)(d[1] >> 6 ? 0xffff : 0) };
		policy[d[2] % PARAVIRT_PATCH_COUNT] = d[1] >> 6;
	}
	a = (struct pv_apply){ .text = text, .text_end = text + TEXT, .save = save, .policy = policy };
	rc = pv_apply(&native_backend, sites, sites + n, &a);
	if (rc != 0) {
		if (memcmp(orig, text, TEXT))
			abort(); /* refused, yet written */
		return 0;
	}
	if (pv_restore(sites, sites + n, save) || memcmp(orig, text, TEXT))
		abort(); /* patched, but not given back exactly */
	return 0;
}
