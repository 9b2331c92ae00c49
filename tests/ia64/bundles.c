/* bundles.c: print the compiler's bundling of assembler sequences, for comparison with what
 * ia64-linux-gnu-as makes of them. Input: sequences separated by lines "@@"; output: one
 * line per sequence, "N SIG" (bundle count, then each bundle's units and stops), or
 * "error: MESSAGE" when the compiler refuses the sequence. The assembler ends every
 * sequence with a stop (a label follows), so the model does too.
 *
 * "bundles --random N SEED" instead writes N random sequences in that input format, drawn
 * from instructions of every unit type and bundling flag, with random stops, predicates and
 * labels: the differential test feeds them to both the model and the assembler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ia64/asm.h"
#include "util.h"

static void report(void *ctx, size_t off, const char *msg)
{
	(void)ctx;
	printf("error: at %zu: %s\n", off, msg);
}

static void one(const char *text)
{
	struct ia64_seq s;
	struct buf sig = {0};

	if (ia64_parse(text, &s, report, NULL)) {
		if (s.n > 0)
			s.v[s.n - 1].stop = true;
		int n = ia64_bundle_sig(&s, &sig);
		printf("%d %s\n", n, sig.data ? sig.data : "");
	}
	buf_free(&sig);
	ia64_seq_free(&s);
}

/* Instructions of every kind the bundler distinguishes; '?' marks the predicable ones. */
static const char *const pool[] = {
	"?add r2 = r3, r4", "?mov r5 = r6", "?cmp.eq p6, p7 = r8, r9", "?mov r10 = 5",
	"?adds r11 = 8, r12", "?and r14 = r15, r16", "?shl r17 = r18, 3",
	"?extr.u r19 = r20, 1, 2", "?mov r21 = ip", "?mov b7 = r22", "?tbit.z p8, p9 = r23, 1",
	"?mov r24 = pr", "?zxt4 r25 = r26", "?ld8 r27 = [r28]", "?st8 [r29] = r30",
	"?ld8 r2 = [r3], 8", "?mov r4 = cr.ifa", "?mov r5 = ar.itc", "?ssm psr.i", "?srlz.d",
	"?mf", "?fc r6", "?mov r7 = psr", "?mov r9 = cpuid[r10]", "?st1.rel [r11] = r0, -1",
	"?mov.m ar.ccv = r12", "?cmpxchg8.acq r13 = [r14], r15, ar.ccv", "?itc.i r16",
	"?itc.d r17", "?ptc.ga r18, r19", "flushrs", "?br.cond.sptk.many b6", "cover", "rfi",
	"bsw.1", "epc", "?movl r20 = 0x123456789", "?break 0x13", "?nop 0", "?hint @pause",
	"?mov ar.lc = r21", "?mov rr[r8] = r9", "?mov psr.l = r10", "?thash r8 = r9",
	"?sum psr.be", "?mov r26 = r27", "?sub r2 = r3, r4", "?st8.spill [r8] = r16, 16",
	"?ld1.acq r9 = [r8]", "?mov cr.itm = r8"};

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

static void random_seqs(int count)
{
	for (int k = 0; k < count; k++) {
		int len = 1 + (int)rnd(12);
		for (int i = 0; i < len; i++) {
			const char *in = pool[rnd(ARRAY_SIZE(pool))];
			if (i > 0 && rnd(10) == 0)
				printf("L%d_%d:\n", k, i);
			if (in[0] == '?')
				printf("%s%s\n", rnd(4) == 0 ? "(p7) " : "", in + 1);
			else
				printf("%s\n", in);
			if (rnd(3) == 0)
				printf(";;\n");
		}
		printf("@@\n");
	}
}

int main(int argc, char **argv)
{
	struct buf cur = {0};
	char line[4096];

	if (argc == 4 && strcmp(argv[1], "--random") == 0) {
		rng = strtoull(argv[3], NULL, 0);
		random_seqs(atoi(argv[2]));
		return 0;
	}

	while (fgets(line, sizeof(line), stdin)) {
		if (strncmp(line, "@@", 2) == 0) {
			one(cur.data ? cur.data : "");
			cur.len = 0;
			if (cur.data)
				cur.data[0] = '\0';
			continue;
		}
		buf_puts(&cur, line);
	}
	if (cur.len)
		one(cur.data);
	buf_free(&cur);
	return 0;
}
