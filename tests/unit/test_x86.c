/* test_x86.c: the x86 family's own knowledge: how signatures bind to argument and return words
 * (i386 splits 64-bit values low word first and pushes a fourth word), site lengths, patch type
 * numbers and offsets, clobber masks, and the assembler's lengths, relocations and effects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "spec.h"
#include "util.h"
#include "x86/analyze.h"

static const char spec_text[] =
	"pvopsc: 1\n"
	"arches:\n"
	"  - {name: x86_64, family: x86, word_bits: 64, arg_regs: [rdi, rsi, rdx, rcx], ret_regs: [rax],\n"
	"     call_clobbers: [rax, rcx, rdx, rsi, rdi, r8-r11], callee_save_clobbers: [rax],\n"
	"     clobber_mask: [rax, rcx, rdx, rdi, rsi, r8, r9, r10, r11]}\n"
	"  - {name: i386, family: x86, word_bits: 32, arg_regs: [eax, edx, ecx], stack_args: 1,\n"
	"     ret_regs: [eax, edx], call_clobbers: [eax, ecx, edx], callee_save_clobbers: [eax, edx],\n"
	"     clobber_mask: [eax, ecx, edx, edi]}\n"
	"types:\n"
	"  - {name: pte_t, kind: struct, bits: 64}\n"
	"backends:\n"
	"  - {name: native, hypervisor_type: 0}\n"
	"tables:\n"
	"  - name: pv_info\n"
	"    ops: [{name: name, type: const char *}]\n"
	"  - name: pv_a\n"
	"    ops:\n"
	"      - {name: set_pte, sig: \"void (pte_t *p, pte_t v)\", kind: patchable}\n"
	"      - {name: four, sig: \"void (int a, long long b, int c)\", kind: patchable}\n"
	"      - {name: tsc, sig: u64 (void), kind: patchable}\n"
	"  - name: pv_b\n"
	"    ops:\n"
	"      - {name: fl, sig: unsigned long (void), kind: callee_save, site_bytes: {x86_64: 14}}\n"
	"      - {name: ret, sig: void (void), kind: jump}\n"
	"      - {name: q, sig: void (void), kind: patchable, kinds: {i386: call}, arches: [i386]}\n";

static struct spec *load(void)
{
	struct spec *s = spec_parse("t.yaml", xstrdup(spec_text), strlen(spec_text));

	assert_non_null(s);
	assert_int_equal(diag_error_count(), 0);
	return s;
}

static const struct x86_opinfo *info(const struct x86_arch *x, const struct spec *s, const char *qname)
{
	const struct spec_op *op = NULL;

	for (size_t t = 0; t < s->tables.n && !op; t++) {
		const struct spec_table *tab = s->tables.v[t];
		for (size_t i = 0; i < tab->ops.n; i++)
			if (strcmp(((struct spec_op *)tab->ops.v[i])->qname, qname) == 0)
				op = tab->ops.v[i];
	}
	assert_non_null(op);
	assert_non_null(x86_info(x, op));
	return x86_info(x, op);
}

static void binding_i386(void **state)
{
	struct spec *s = load();
	struct x86_arch x;
	const struct x86_opinfo *in;

	(void)state;
	x86_arch_build(&x, s, spec_arch(s, "i386"));
	/* a 64-bit struct by value: two registers, low word first */
	in = info(&x, s, "pv_a.set_pte");
	assert_null(in->bind.error);
	assert_int_equal(in->bind.nwords, 3);
	assert_int_equal(in->bind.w[0].reg, 0); /* eax: p */
	assert_int_equal(in->bind.w[1].reg, 2); /* edx: v, low */
	assert_int_equal(in->bind.w[1].part, 0);
	assert_int_equal(in->bind.w[2].reg, 1); /* ecx: v, high */
	assert_int_equal(in->bind.w[2].part, 1);
	/* the fourth word goes on the stack */
	in = info(&x, s, "pv_a.four");
	assert_null(in->bind.error);
	assert_int_equal(in->bind.nwords, 4);
	assert_int_equal(in->bind.nstack, 1);
	assert_int_equal(in->bind.w[3].reg, -1);
	assert_int_equal(in->bind.w[3].param, 2);
	/* a 64-bit return: edx:eax */
	in = info(&x, s, "pv_a.tsc");
	assert_int_equal(in->bind.ret_words, 2);
	/* kinds: a plain call on i386 */
	assert_int_equal(info(&x, s, "pv_b.q")->kind, OP_CALL);
	/* masks: callee-save sites may change eax and edx */
	assert_int_equal(x86_mask_of(&x.conv, info(&x, s, "pv_b.fl")->clobbers), 0x5);
	assert_int_equal(x86_mask_of(&x.conv, info(&x, s, "pv_a.tsc")->clobbers), 0x7);
	assert_int_equal(x86_mask_of(&x.conv, info(&x, s, "pv_b.ret")->clobbers), 0);
	x86_arch_free(&x);
	spec_free(s);
	diag_reset();
}

static void numbering_x86_64(void **state)
{
	struct spec *s = load();
	struct x86_arch x;

	(void)state;
	x86_arch_build(&x, s, spec_arch(s, "x86_64"));
	/* pv_info holds data only: the slots start at pv_a; pv_b.q is not on x86_64 */
	assert_int_equal(info(&x, s, "pv_a.set_pte")->type, 0);
	assert_int_equal(info(&x, s, "pv_a.tsc")->type, 2);
	assert_int_equal(info(&x, s, "pv_b.fl")->type, 3);
	assert_int_equal(info(&x, s, "pv_b.ret")->offset, 8);
	assert_int_equal(x.nslots, 5);
	/* sites: call *slot(%rip) is 6 bytes; site_bytes pads to 14 */
	assert_int_equal(info(&x, s, "pv_a.tsc")->site, 6);
	assert_int_equal(info(&x, s, "pv_b.fl")->site, 14);
	assert_int_equal(info(&x, s, "pv_b.fl")->pad, 8);
	/* x86_64 needs no split: one word per value */
	assert_int_equal(info(&x, s, "pv_a.four")->bind.nwords, 3);
	assert_int_equal(info(&x, s, "pv_a.tsc")->bind.ret_words, 1);
	assert_int_equal(x86_mask_of(&x.conv, info(&x, s, "pv_a.tsc")->clobbers), 0x1ff);
	x86_arch_free(&x);
	spec_free(s);
	diag_reset();
}

static struct x86_code assemble(const char *text, int bits)
{
	struct x86_code c;

	assert_true(x86_assemble(text, bits, NULL, NULL, (struct pos){"t", 1, 1}, "x86-code", NULL, NULL, &c));
	return c;
}

static void sequences(void **state)
{
	struct x86_code c;

	(void)state;
	c = assemble("pushfq; popq %rax", 64);
	assert_int_equal(c.len, 2);
	assert_int_equal(c.writes, 1u << 0);
	assert_int_equal(c.stack, 0);
	assert_true(c.falls_through);
	x86_code_free(&c);
	/* a %rip-relative operand: a relocation relative to the end of its instruction */
	c = assemble("movb $1, v+1(%rip)", 64);
	assert_int_equal(c.len, 7);
	assert_int_equal(c.nrelocs, 1);
	assert_int_equal(c.relocs[0].off, 2);
	assert_true(c.relocs[0].pcrel);
	assert_int_equal(c.relocs[0].addend, 1 - 4 - 1);
	x86_code_free(&c);
	/* a call inside counts; a jump out does not fall through */
	c = assemble("jz 1f; call f; 1: swapgs; sysretq", 64);
	assert_true(c.calls);
	assert_false(c.falls_through);
	assert_int_equal(c.len, 2 + 5 + 3 + 3);
	x86_code_free(&c);
	c = assemble("push %eax; popf", 32);
	assert_int_equal(c.writes, 0);
	x86_code_free(&c);
	c = assemble("pushf", 32);
	assert_int_equal(c.stack, -4);
	x86_code_free(&c);
	assert_false(x86_assemble("mov %rax, %rbx", 32, NULL, NULL, (struct pos){"t", 1, 1}, "x86-code", NULL, NULL, &c));
	assert_int_equal(diag_error_count(), 1);
	diag_reset();
	/* the per-cpu segment: the arch's prefix byte (gs 0x65, fs 0x64), an absolute field, and the
	 * listing names the register; without one it is an error */
	static const struct { const char *seg; int bits; unsigned char prefix; } pc[] = {
		{"gs", 64, 0x65}, {"fs", 32, 0x64},
	};
	for (size_t i = 0; i < sizeof(pc) / sizeof(pc[0]); i++) {
		assert_true(x86_assemble("movb $1, %percpu:v+1", pc[i].bits, pc[i].seg, NULL, (struct pos){"t", 1, 1},
					 "x86-code", NULL, NULL, &c));
		assert_int_equal(c.bytes[0], pc[i].prefix);
		assert_int_equal(c.nrelocs, 1);
		assert_false(c.relocs[0].pcrel);
		assert_int_equal(c.relocs[0].addend, 1);
		assert_string_equal(c.text, pc[i].bits == 64 ? "movb $1, %gs:v+1" : "movb $1, %fs:v+1");
		x86_code_free(&c);
	}
	assert_false(x86_assemble("movb $1, %percpu:v", 64, NULL, NULL, (struct pos){"t", 1, 1}, "x86-code", NULL, NULL, &c));
	assert_int_equal(diag_error_count(), 1);
	diag_reset();
}

#define RAX (1u << 0)
#define RCX (1u << 1)
#define RDX (1u << 2)
#define RBX (1u << 3)
#define R8 (1u << 8)

/* What an instruction writes, as the architecture defines it (the SDM's operand lists), read
 * from its bytes by the decoder: implicit destinations too, the stack pointer only as an
 * operand; .byte data the same way, each decoded instruction a step with its name. */
static void decoded_effects(void **state)
{
	static const struct {
		const char *text;
		int bits;
		unsigned writes;
		int stack;
	} cases[] = {
		{"cpuid", 64, RAX | RBX | RCX | RDX, 0},
		{"rdtsc", 64, RAX | RDX, 0},
		{"rdtscp", 64, RAX | RCX | RDX, 0},
		{"rdmsr", 32, RAX | RDX, 0},
		{"wrmsr", 64, 0, 0},
		{"wbnoinvd; serialize", 64, 0, 0},
		{"rdpid %r8", 64, R8, 0},
		{"rdpid %ecx", 32, RCX, 0},
		{"push %rax; pop %rcx", 64, RCX, 0},
		{"pushfq", 64, 0, -8},
		{"xchg %rax, %rdx", 64, RAX | RDX, 0},
		{"mov %ah, %bl", 64, RBX, 0},
		{"cltd", 32, RDX, 0},
		{".byte 0x0f, 0xa2", 64, RAX | RBX | RCX | RDX, 0},
		{".byte 0xf3, 0x0f, 0xc7, 0xf8", 64, RAX, 0},
		{".byte 0x50; .byte 0x59", 64, RCX, 0},
		{".byte 0x9c", 32, 0, -4},
	};
	struct x86_code c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		c = assemble(cases[i].text, cases[i].bits);
		if (c.writes != cases[i].writes || c.stack != cases[i].stack)
			fail_msg("'%s': writes %#x, stack %d; want %#x, %d", cases[i].text, c.writes, c.stack,
				 cases[i].writes, cases[i].stack);
		x86_code_free(&c);
	}
	/* one .byte statement, two instructions: two steps at that statement, named */
	c = assemble("nop; .byte 0x0f, 0x31, 0x0f, 0xa2", 64);
	assert_int_equal(c.nsteps, 3);
	assert_null(c.steps[0].what);
	assert_string_equal(c.steps[1].what, "rdtsc");
	assert_string_equal(c.steps[2].what, "cpuid");
	assert_int_equal(c.steps[1].off, 5);
	assert_int_equal(c.steps[2].writes, RAX | RBX | RCX | RDX);
	assert_int_equal(c.len, 5);
	x86_code_free(&c);
	/* data that ends inside an instruction, or is not a byte, is refused */
	assert_false(x86_assemble(".byte 0x0f", 64, NULL, NULL, (struct pos){"t", 1, 1}, "x86-code", NULL, NULL, &c));
	assert_false(x86_assemble(".byte 0x100", 64, NULL, NULL, (struct pos){"t", 1, 1}, "x86-code", NULL, NULL, &c));
	assert_false(x86_assemble(".byte sym", 64, NULL, NULL, (struct pos){"t", 1, 1}, "x86-code", NULL, NULL, &c));
	assert_int_equal(diag_error_count(), 3);
	diag_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(binding_i386),
		cmocka_unit_test(decoded_effects),
		cmocka_unit_test(numbering_x86_64),
		cmocka_unit_test(sequences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
