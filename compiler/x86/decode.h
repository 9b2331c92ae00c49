/* decode.h: what an encoded x86 instruction does to the general registers, as the Zydis
 * decoder (libzydis, a maintained decoder of the whole instruction set) reads its bytes: the
 * registers it writes, explicitly or implicitly (rsp for push and pop, edx:eax for rdtsc, all
 * four for cpuid, ...). The assembler's own encodings and a sequence's `.byte` data are read
 * the same way, so no table of effects is kept by hand. */
#ifndef PVOPSC_X86_DECODE_H
#define PVOPSC_X86_DECODE_H

#include <stdbool.h>

struct x86_decoded {
	int len;         /* bytes of the instruction */
	unsigned writes; /* general registers written (bit = register number); the stack pointer
			  * only when written as an operand, not as a push, pop or call moves it */
	int stack;       /* words pushed (-) or popped (+) */
	bool calls;      /* a call: the callee's clobbers count too */
	bool stops;      /* does not fall through (ret, iret, jmp, sysret, sysexit, ud2) */
	char text[64];   /* AT&T text, for diagnostics: "rdpid %rax" */
};

/* Decode the instruction at b (at most len bytes) for a `bits`-bit mode; false if the bytes
 * are not an instruction the decoder knows (or are cut short). */
bool x86_decode(const unsigned char *b, int len, int bits, struct x86_decoded *d);

#endif
