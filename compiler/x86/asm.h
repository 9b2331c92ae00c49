/* asm.h: the x86 family's assembler (asm.c), for the AT&T syntax the spec's sequences use:
 * it gives each sequence's bytes, length, relocations and the registers it writes (as the
 * decoder reads them), so sites are sized and checked at generation time, never guessed. */
#ifndef PVOPSC_X86_ASM_H
#define PVOPSC_X86_ASM_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "node.h"

#define X86_NGPR 16 /* rax=0 rcx rdx rbx rsp rbp rsi rdi r8 .. r15 */
#define X86_SP 4

struct x86_reloc {
	int off;          /* of the 4-byte field in the sequence */
	bool pcrel;       /* relative to the field's own address (P) */
	char *sym;
	long long addend; /* the field holds S + A, or S + A - P when pcrel (ELF RELA) */
};

/* What one instruction does, for diagnostics at its place. */
struct x86_step {
	size_t off;      /* of the instruction in the text */
	unsigned writes; /* general registers it writes (as the decoder reads its bytes) */
	bool calls;
	char *what;      /* `.byte` data: the instruction decoded from it ("rdpid %rax"), else NULL */
};

struct x86_code {
	unsigned char *bytes; /* reloc fields hold 0 */
	int len;
	struct x86_reloc *relocs;
	int nrelocs;
	unsigned writes;    /* general registers written (bit = register number) */
	bool calls;         /* calls a function: its clobbers count too (model.c adds them) */
	bool falls_through; /* execution continues after the last byte */
	int stack;          /* net change of the stack pointer in bytes when it falls through */
	char *text;         /* the statements, one per line, without comments */
	struct x86_step *steps;
	int nsteps;
};

/* Looks up a spec constant by name (constants may be used in operands). */
typedef bool (*x86_const_fn)(const char *name, long long *value, void *ctx);

/* Assemble `text` for a `bits`-bit mode; `%percpu:` in an operand stands for the segment
 * register `percpu` names (NULL: no per-cpu segment; the listing says the register). Errors go to diag with check `check`, at the
 * character of `src` (a YAML scalar whose str is text) or at `where` when src is NULL.
 * False after an error; out is then empty. */
bool x86_assemble(const char *text, int bits, const char *percpu, const struct node *src, struct pos where,
		  const char *check, x86_const_fn consts, void *ctx, struct x86_code *out);
void x86_code_free(struct x86_code *c);

/* Number of a general register written at full width for the mode ("rdi" in 64-bit, "edi" in
 * 32-bit), or -1. */
int x86_gpr(const char *name, int bits);
const char *x86_gpr_name(int num, int bits);
/* gcc's constraint letter for a register number ('a', 'b', 'c', 'd', 'S', 'D'), or 0. */
char x86_gpr_letter(int num);

/* The longest multi-byte NOPs, as bytes "0x0f,0x1f,0x00" for a `.byte` directive, for n bytes
 * of padding (empty string for 0). */
char *x86_nop_bytes(int n);

#endif
