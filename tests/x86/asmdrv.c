/* asmdrv.c: runs the compiler's x86 assembler on sequences, for asm.t to compare with gas.
 * stdin: one sequence per line, "BITS TEXT" (statements separated by ';').
 * stdout: per line, the bytes in hex (relocation fields 00), then " R OFF" per relocation, or
 * "error" (the diagnostics go to stderr). */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "x86/asm.h"

int main(void)
{
	char line[4096];

	while (fgets(line, sizeof(line), stdin)) {
		struct x86_code code;
		char *text = strchr(line, ' ');
		int bits = 0;

		line[strcspn(line, "\n")] = '\0';
		sscanf(line, "%d", &bits);
		if (!text)
			continue;
		if (!x86_assemble(text + 1, bits, NULL, NULL, (struct pos){"stdin", 1, 1}, "x86-code", NULL, NULL, &code)) {
			puts("error");
			continue;
		}
		for (int i = 0; i < code.len; i++)
			printf("%02x", code.bytes[i]);
		for (int i = 0; i < code.nrelocs; i++)
			printf(" R%d", code.relocs[i].off);
		putchar('\n');
		x86_code_free(&code);
	}
	diag_flush(stderr);
	return 0;
}
