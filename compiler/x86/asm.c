/* asm.c: a small assembler for the AT&T syntax of the spec's instruction sequences.
 *
 * It exists so that the compiler knows, at generation time, every sequence's bytes, length,
 * relocations and the registers it writes: sites are sized from their real encoding and a
 * sequence that does not fit, or writes what its site does not allow, is an error before
 * anything is written. It encodes what gas encodes for the same text (the x86 tests compare
 * byte for byte), for the instructions paravirt sequences use: moves and arithmetic on general
 * registers and memory, stack and flag instructions, control and system instructions, local
 * labels and branches, calls and jumps to symbols; and `.byte` data, for what it does not
 * encode. Anything else is an error, never a guess. What each instruction writes comes from
 * decoding its bytes (decode.c), for `.byte` data as for the assembler's own encodings.
 *
 * Statements are separated by newlines or ';'; '#' starts a comment. Operands may use the
 * spec's constants by name; another name is a symbol, which becomes a relocation. */
#include "asm.h"
#include "decode.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RIP 16 /* a base register number for %rip */
#define MAX_OPS 3
#define MAX_LABELS 64
#define MAX_INSNS 256
#define MAX_DATA 24 /* bytes of one instruction's encoding, or of one .byte statement */

static const char *const names64[X86_NGPR] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const names32[X86_NGPR] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
					      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const names16[X86_NGPR] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
					      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const names8[X86_NGPR] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
					     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *const high8[4] = {"ah", "ch", "dh", "bh"};
static const char *const segs[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
static const unsigned char seg_prefix[6] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65};
#define PERCPU "percpu" /* %percpu: the arch's per-cpu segment */

int x86_gpr(const char *name, int bits)
{
	const char *const *names = bits == 64 ? names64 : names32;

	for (int i = 0; i < (bits == 64 ? X86_NGPR : 8); i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *x86_gpr_name(int num, int bits)
{
	return num < 0 || num >= X86_NGPR ? "?" : bits == 64 ? names64[num] : names32[num];
}

char x86_gpr_letter(int num)
{
	static const char letters[8] = {'a', 'c', 'd', 'b', 0, 0, 'S', 'D'};
	return num >= 0 && num < 8 ? letters[num] : 0;
}

/* The recommended multi-byte NOPs, 1 to 8 bytes (longer padding is several of them). */
static const char *const nops[9] = {
	"", "0x90", "0x66,0x90", "0x0f,0x1f,0x00", "0x0f,0x1f,0x40,0x00", "0x0f,0x1f,0x44,0x00,0x00",
	"0x66,0x0f,0x1f,0x44,0x00,0x00", "0x0f,0x1f,0x80,0x00,0x00,0x00,0x00",
	"0x0f,0x1f,0x84,0x00,0x00,0x00,0x00,0x00"};

char *x86_nop_bytes(int n)
{
	struct buf b = {0};

	buf_puts(&b, "");
	while (n > 0) {
		int k = n > 8 ? 8 : n;
		buf_printf(&b, "%s%s", b.len ? "," : "", nops[k]);
		n -= k;
	}
	return buf_steal(&b);
}

/* ---- operands ---- */

enum okind { O_NONE, O_REG, O_IMM, O_MEM, O_CR, O_DR };

struct expr {
	long long val;
	char *sym;  /* at most one symbol, added */
	int label;  /* a local label of the sequence, or -1 */
	bool fwd;   /* numeric label reference: 1f (forward) or 1b */
	bool given; /* anything written at all */
};

struct opnd {
	enum okind kind;
	size_t off, len; /* in the text, for messages */
	bool star;  /* '*': an indirect call or jump target */
	int reg, size;
	bool high8, rex8; /* ah..bh need no REX; spl..dil need one */
	struct expr e;    /* O_IMM value, O_MEM displacement */
	int seg;          /* O_MEM: segment prefix byte, 0 for none */
	int base, index, scale;
};

enum form {
	F_FIXED, F_ALU, F_TEST, F_MOV, F_PUSH, F_POP, F_INCDEC, F_UNARY, F_SHIFT, F_LEA, F_MOVX,
	F_SETCC, F_JCC, F_JMP, F_CALL, F_SYS, F_XCHG, F_BT, F_RDPID, F_BYTES
};

struct insn {
	size_t off;        /* of the mnemonic */
	enum form form;
	int op;            /* the form's sub-opcode */
	int size;          /* operand size in bytes, 0 until known */
	const char *fixed; /* F_FIXED: hex bytes; F_MOVX: its source size in op */
	unsigned char *data; /* F_BYTES: the bytes */
	int ndata;
	int stack;         /* F_FIXED: words pushed (-) or popped (+) */
	bool stops;        /* F_FIXED: does not fall through */
	bool near;         /* a branch to a local label uses rel32 */
	bool sx;           /* F_MOVX: sign-extending */
	int nops;
	struct opnd o[MAX_OPS];
	int at, len;       /* this pass */
};

struct label {
	char *name;
	int insn; /* defined before this instruction (ninsns: at the end) */
};

struct asmctx {
	const char *text;
	int bits;
	const char *percpu; /* the segment `%percpu:` stands for, or NULL */
	const struct node *src;
	struct pos where;
	const char *check;
	x86_const_fn consts;
	void *cctx;
	bool failed;
	struct insn *insns; /* grown as statements come: a site's one call costs one insn */
	int ninsns, cap;
	struct label labels[MAX_LABELS];
	int nlabels;
};

static void PRINTF(3, 4) fail(struct asmctx *c, size_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(c->src ? node_pos_at(c->src, off) : c->where, c->check, fmt, ap);
	va_end(ap);
	c->failed = true;
}

static bool is_ident(int ch, bool first)
{
	return isalpha(ch) || ch == '_' || ch == '.' || ch == '$' || (!first && isdigit(ch));
}

static size_t skip_space(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Register name at s[i..end) after '%': fills o; false if it is none of the mode's. */
static bool parse_reg(struct asmctx *c, size_t i, size_t end, struct opnd *o)
{
	size_t n = 0;
	char name[8];

	while (i + n < end && isalnum((unsigned char)c->text[i + n]) && n < sizeof(name) - 1)
		n++;
	memcpy(name, c->text + i, n);
	name[n] = '\0';
	if (i + n != end)
		return false;
	for (int r = 0; r < X86_NGPR; r++) {
		static const char *const *const tables[4] = {names64, names32, names16, names8};
		static const int sizes[4] = {8, 4, 2, 1};
		for (int t = 0; t < 4; t++) {
			if (strcmp(name, tables[t][r]) != 0)
				continue;
			if (c->bits == 32 && (r >= 8 || sizes[t] == 8 || (t == 3 && r >= 4)))
				return false;
			o->kind = O_REG;
			o->reg = r;
			o->size = sizes[t];
			o->rex8 = t == 3 && r >= 4 && r < 8;
			return true;
		}
	}
	for (int r = 0; r < 4; r++)
		if (strcmp(name, high8[r]) == 0) {
			o->kind = O_REG;
			o->reg = r;
			o->size = 1;
			o->high8 = true;
			return true;
		}
	if ((strncmp(name, "cr", 2) == 0 || strncmp(name, "db", 2) == 0) && isdigit((unsigned char)name[2]) &&
	    !name[3]) {
		int num = name[2] - '0';
		if (name[0] == 'c' && num != 0 && num != 2 && num != 3 && num != 4 && num != 8)
			return false;
		if (num == 8 && c->bits == 32)
			return false;
		o->kind = name[0] == 'c' ? O_CR : O_DR;
		o->reg = num;
		return true;
	}
	return false;
}

static int find_label(const struct asmctx *c, const char *name)
{
	for (int i = 0; i < c->nlabels; i++)
		if (strcmp(c->labels[i].name, name) == 0)
			return i;
	return -1;
}

/* A term of digits [start, i): a number added to e, or a numeric label reference (1f, 1b). */
static bool add_number(struct asmctx *c, size_t start, size_t i, int sign, struct expr *e)
{
	char *stop, *num = xstrndup(c->text + start, i - start);
	size_t n = strlen(num);
	unsigned long long v;

	if (n >= 2 && (num[n - 1] == 'f' || num[n - 1] == 'b') && strspn(num, "0123456789") == n - 1) {
		if (e->label >= 0 || e->sym || sign < 0) {
			fail(c, start, "a label reference stands alone");
			free(num);
			return false;
		}
		e->fwd = num[n - 1] == 'f';
		num[n - 1] = '\0';
		e->sym = num;
		e->label = -2; /* resolved by the branch: numeric labels repeat */
		return true;
	}
	v = strtoull(num, &stop, 0);
	if (*stop) {
		fail(c, start, "bad number '%s'", num);
		free(num);
		return false;
	}
	e->val += sign * (long long)v;
	free(num);
	return true;
}

/* A name [start, i): a constant's value added to e, or e's one symbol. */
static bool add_name(struct asmctx *c, size_t start, size_t i, int sign, struct expr *e)
{
	char *name = xstrndup(c->text + start, i - start);
	long long v;

	if (c->consts && c->consts(name, &v, c->cctx)) {
		e->val += sign * v;
		free(name);
	} else if (e->sym || e->label != -1 || sign < 0) {
		fail(c, start, "'%s': an operand may add one symbol, no more", name);
		free(name);
		return false;
	} else {
		e->sym = name;
	}
	return true;
}

/* expr := ['-'] term { ('+'|'-') term }; term := number | name | label reference. */
static bool parse_expr(struct asmctx *c, size_t i, size_t end, struct expr *e)
{
	int sign = 1;

	e->label = -1;
	i = skip_space(c->text, i, end);
	if (i >= end) {
		fail(c, i, "expected an expression");
		return false;
	}
	e->given = true;
	for (;;) {
		size_t start;
		i = skip_space(c->text, i, end);
		if (i < end && (c->text[i] == '-' || c->text[i] == '+')) {
			sign = c->text[i] == '-' ? -sign : sign;
			i++;
			continue;
		}
		start = i;
		if (i < end && isdigit((unsigned char)c->text[i])) {
			while (i < end && isalnum((unsigned char)c->text[i]))
				i++;
			if (!add_number(c, start, i, sign, e))
				return false;
		} else if (i < end && is_ident((unsigned char)c->text[i], true)) {
			while (i < end && is_ident((unsigned char)c->text[i], false))
				i++;
			if (!add_name(c, start, i, sign, e))
				return false;
		} else {
			fail(c, i, i < end ? "unexpected '%c' in an expression" : "expected a number or a name",
			     i < end ? c->text[i] : ' ');
			return false;
		}
		i = skip_space(c->text, i, end);
		if (i >= end)
			return true;
		if (c->text[i] != '+' && c->text[i] != '-') {
			fail(c, i, "unexpected '%c' in an expression", c->text[i]);
			return false;
		}
		sign = 1;
	}
}

/* The base (or the index) register of a memory operand, text [s, e) (empty: no base). */
static bool address_reg(struct asmctx *c, size_t s, size_t e, bool index, int *slot)
{
	struct opnd r = {0};

	if (s == e) {
		if (index)
			fail(c, s, "expected an index register");
		return !index;
	}
	if (c->text[s] != '%') {
		fail(c, s, "expected a register");
		return false;
	}
	if (!index && c->bits == 64 && e - s == 4 && strncmp(c->text + s, "%rip", 4) == 0) {
		*slot = RIP;
		return true;
	}
	if (!parse_reg(c, s + 1, e, &r) || r.kind != O_REG || r.size != c->bits / 8) {
		fail(c, s, "'%.*s' is not a %d-bit address register", (int)(e - s), c->text + s, c->bits);
		return false;
	}
	if (index && r.reg == X86_SP) {
		fail(c, s, "the stack pointer cannot be an index");
		return false;
	}
	*slot = r.reg;
	return true;
}

/* "(%base,%index,scale)" at text[i] == '('; end is the ')' */
static bool parse_mem_regs(struct asmctx *c, size_t i, size_t end, struct opnd *o)
{
	size_t parts[3][2];
	int n = 0;

	i++;
	for (size_t p = i; n < 3; p++) {
		if (p == end || c->text[p] == ',') {
			parts[n][0] = skip_space(c->text, i, p);
			size_t e = p;
			while (e > parts[n][0] && (c->text[e - 1] == ' ' || c->text[e - 1] == '\t'))
				e--;
			parts[n++][1] = e;
			i = p + 1;
			if (p == end)
				break;
		}
	}
	if (n == 3 && i <= end) {
		fail(c, i, "too many parts in a memory operand");
		return false;
	}
	for (int k = 0; k < n && k < 2; k++)
		if (!address_reg(c, parts[k][0], parts[k][1], k == 1, k == 0 ? &o->base : &o->index))
			return false;
	if (n == 3) {
		struct expr sc = {0};
		if (!parse_expr(c, parts[2][0], parts[2][1], &sc))
			return false;
		if (sc.sym || sc.label != -1 || (sc.val != 1 && sc.val != 2 && sc.val != 4 && sc.val != 8)) {
			fail(c, parts[2][0], "the scale is 1, 2, 4 or 8");
			return false;
		}
		o->scale = (int)sc.val;
	}
	if (o->base == RIP && o->index >= 0) {
		fail(c, parts[1][0], "%%rip takes no index");
		return false;
	}
	return true;
}

/* "%seg:" before a memory operand [i, colon) (%percpu: is the arch's per-cpu segment). */
static bool parse_segment(struct asmctx *c, size_t i, size_t colon, struct opnd *o)
{
	const char *seg = c->text + i + 1;
	size_t seglen = colon - i - 1;

	if (seglen == strlen(PERCPU) && strncmp(seg, PERCPU, seglen) == 0) {
		if (!c->percpu) {
			fail(c, i, "'%%%s:' on an arch without percpu_segment", PERCPU);
			return false;
		}
		seg = c->percpu;
		seglen = strlen(seg);
	}
	for (int s = 0; s < 6; s++)
		if (seglen == 2 && strncmp(seg, segs[s], 2) == 0)
			o->seg = seg_prefix[s];
	if (!o->seg) {
		fail(c, i, "unknown segment register '%.*s'", (int)(colon - i), c->text + i);
		return false;
	}
	return true;
}

/* A memory operand [i, end) after its segment: "disp(base, index, scale)", any part left out. */
static bool parse_memory(struct asmctx *c, size_t i, size_t end, struct opnd *o)
{
	size_t paren = end;

	o->kind = O_MEM;
	if (end > i && c->text[end - 1] == ')') {
		int depth = 0;
		for (size_t p = end; p-- > i;) {
			depth += c->text[p] == ')' ? 1 : c->text[p] == '(' ? -1 : 0;
			if (depth == 0) {
				paren = p;
				break;
			}
		}
		if (paren == end) {
			fail(c, end - 1, "unbalanced parentheses");
			return false;
		}
		if (!parse_mem_regs(c, paren, end - 1, o))
			return false;
	} else if (memchr(c->text + i, '(', end - i) || memchr(c->text + i, ')', end - i)) {
		fail(c, i, "unbalanced parentheses");
		return false;
	}
	if (skip_space(c->text, i, paren) < paren && !parse_expr(c, i, paren, &o->e))
		return false;
	if (o->base < 0 && o->index < 0 && !o->e.given) {
		fail(c, i, "expected an operand");
		return false;
	}
	if (o->e.label != -1 && (o->base >= 0 || o->index >= 0 || o->seg)) {
		fail(c, i, "a label is a branch target, not an address");
		return false;
	}
	if (o->base == RIP && !o->e.sym) {
		fail(c, i, "a %%rip-relative operand names a symbol (a copied sequence moves)");
		return false;
	}
	return true;
}

static bool parse_operand(struct asmctx *c, size_t i, size_t end, struct opnd *o)
{
	o->off = i;
	o->len = end - i;
	o->base = o->index = -1;
	o->scale = 1;
	o->e.label = -1;
	if (i < end && c->text[i] == '*') {
		o->star = true;
		i = skip_space(c->text, i + 1, end);
	}
	if (i >= end) {
		fail(c, o->off, "expected an operand");
		return false;
	}
	if (c->text[i] == '$') {
		o->kind = O_IMM;
		if (!parse_expr(c, i + 1, end, &o->e))
			return false;
		if (o->e.label != -1) {
			fail(c, i + 1, "a label is not an immediate");
			return false;
		}
		return true;
	}
	if (c->text[i] == '%') {
		size_t colon = i;
		while (colon < end && c->text[colon] != ':')
			colon++;
		if (colon == end) {
			if (parse_reg(c, i + 1, end, o))
				return true;
			fail(c, i, "unknown register '%.*s'", (int)(end - i), c->text + i);
			return false;
		}
		if (!parse_segment(c, i, colon, o))
			return false;
		i = skip_space(c->text, colon + 1, end);
	}
	return parse_memory(c, i, end, o);
}

/* ---- the instruction set ---- */

/* What an instruction writes is not listed: decode.c reads it from the encoding. */
struct fixed {
	const char *name, *b32, *b64; /* hex; NULL: not in that mode */
	int stack;
	bool stops;
};

static const struct fixed fixed[] = {
	{"cli", "fa", "fa", 0, false},        {"sti", "fb", "fb", 0, false},
	{"clts", "0f06", "0f06", 0, false},   {"wbinvd", "0f09", "0f09", 0, false},
	{"invd", "0f08", "0f08", 0, false},   {"rdtsc", "0f31", "0f31", 0, false},
	{"rdtscp", "0f01f9", "0f01f9", 0, false},
	{"rdmsr", "0f32", "0f32", 0, false}, {"wrmsr", "0f30", "0f30", 0, false},
	{"rdpmc", "0f33", "0f33", 0, false}, {"cpuid", "0fa2", "0fa2", 0, false},
	{"swapgs", NULL, "0f01f8", 0, false}, {"sysexit", "0f35", NULL, 0, true},
	{"sysexitl", "0f35", "0f35", 0, true}, {"sysexitq", NULL, "480f35", 0, true},
	{"sysretl", NULL, "0f07", 0, true},   {"sysretq", NULL, "480f07", 0, true},
	{"iret", "cf", "cf", 0, true},        {"iretl", "cf", "cf", 0, true},
	{"iretq", NULL, "48cf", 0, true},     {"pushf", "9c", "9c", -1, false},
	{"pushfl", "9c", NULL, -1, false},    {"pushfq", NULL, "9c", -1, false},
	{"popf", "9d", "9d", 1, false},       {"popfl", "9d", NULL, 1, false},
	{"popfq", NULL, "9d", 1, false},      {"nop", "90", "90", 0, false},
	{"hlt", "f4", "f4", 0, false},        {"ret", "c3", "c3", 1, true},
	{"retl", "c3", NULL, 1, true},        {"retq", NULL, "c3", 1, true},
	{"int3", "cc", "cc", 0, false},       {"pause", "f390", "f390", 0, false},
	{"lfence", "0faee8", "0faee8", 0, false}, {"mfence", "0faef0", "0faef0", 0, false},
	{"sfence", "0faef8", "0faef8", 0, false}, {"cld", "fc", "fc", 0, false},
	{"std", "fd", "fd", 0, false},        {"clc", "f8", "f8", 0, false},
	{"stc", "f9", "f9", 0, false},        {"cmc", "f5", "f5", 0, false},
	{"sahf", "9e", "9e", 0, false},       {"lahf", "9f", "9f", 0, false},
	{"cltd", "99", "99", 0, false},      {"cqto", NULL, "4899", 0, false},
	{"cwtl", "98", "98", 0, false},      {"cltq", NULL, "4898", 0, false},
	{"ud2", "0f0b", "0f0b", 0, true},
	{"wbnoinvd", "f30f09", "f30f09", 0, false}, {"serialize", "0f01e8", "0f01e8", 0, false},
};

struct family_name {
	const char *name;
	enum form form;
	int op;
};

/* Mnemonics that take an operand-size suffix (b, w, l, q). */
static const struct family_name sized[] = {
	{"mov", F_MOV, 0},   {"movabs", F_MOV, 1}, {"add", F_ALU, 0},  {"or", F_ALU, 1},
	{"adc", F_ALU, 2},   {"sbb", F_ALU, 3},    {"and", F_ALU, 4},  {"sub", F_ALU, 5},
	{"xor", F_ALU, 6},   {"cmp", F_ALU, 7},    {"test", F_TEST, 0}, {"push", F_PUSH, 0},
	{"pop", F_POP, 0},   {"inc", F_INCDEC, 0}, {"dec", F_INCDEC, 1}, {"not", F_UNARY, 2},
	{"neg", F_UNARY, 3}, {"rol", F_SHIFT, 0},  {"ror", F_SHIFT, 1}, {"rcl", F_SHIFT, 2},
	{"rcr", F_SHIFT, 3}, {"shl", F_SHIFT, 4},  {"sal", F_SHIFT, 4}, {"shr", F_SHIFT, 5},
	{"sar", F_SHIFT, 7}, {"lea", F_LEA, 0},    {"xchg", F_XCHG, 0}, {"bt", F_BT, 4},
	{"bts", F_BT, 5},    {"btr", F_BT, 6},     {"btc", F_BT, 7},
};

/* System instructions on a memory or 16-bit operand: opcode 0f 00 / 0f 01 and the /digit. */
static const struct {
	const char *name;
	int opcode, digit;
	bool mem_only, writes;
} sys[] = {
	{"sgdt", 1, 0, true, false}, {"sidt", 1, 1, true, false}, {"lgdt", 1, 2, true, false},
	{"lidt", 1, 3, true, false}, {"invlpg", 1, 7, true, false}, {"sldt", 0, 0, false, true},
	{"str", 0, 1, false, true},  {"lldt", 0, 2, false, false}, {"ltr", 0, 3, false, false},
};

static const char *const conds[] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
				    "s", "no-s", "p", "np", "l", "ge", "le", "g"};
static const struct {
	const char *name;
	int cc;
} cond_alias[] = {
	{"c", 2}, {"nae", 2}, {"nb", 3}, {"nc", 3}, {"z", 4}, {"nz", 5}, {"na", 6}, {"nbe", 7},
	{"ns", 9}, {"pe", 10}, {"po", 11}, {"nge", 12}, {"nl", 13}, {"ng", 14}, {"nle", 15},
};

static int cond_of(const char *s)
{
	for (int i = 0; i < 16; i++)
		if (strcmp(s, conds[i]) == 0)
			return i;
	for (size_t i = 0; i < ARRAY_SIZE(cond_alias); i++)
		if (strcmp(s, cond_alias[i].name) == 0)
			return cond_alias[i].cc;
	return -1;
}

static int suffix_size(char ch)
{
	return ch == 'b' ? 1 : ch == 'w' ? 2 : ch == 'l' ? 4 : ch == 'q' ? 8 : 0;
}

/* Mnemonic -> form; false if unknown. */
/* A mnemonic whose operand size is its suffix (or its operands'): movzbl, movswq, addl, add. */
static bool lookup_sized(struct asmctx *c, const char *m, struct insn *in)
{
	size_t n = strlen(m);

	/* movzbl, movswq, movslq: source size then destination size */
	if (n == 6 && (strncmp(m, "movz", 4) == 0 || strncmp(m, "movs", 4) == 0) && suffix_size(m[4]) &&
	    suffix_size(m[5]) > suffix_size(m[4])) {
		in->form = F_MOVX;
		in->sx = m[3] == 's';
		in->op = suffix_size(m[4]);
		in->size = suffix_size(m[5]);
		if ((in->op == 4 && (!in->sx || in->size != 8)) || (in->size == 8 && c->bits == 32))
			return false;
		return true;
	}
	for (int pass = 0; pass < 2; pass++) {
		char base[16];
		if (n >= sizeof(base) || (pass == 1 && (n < 2 || !suffix_size(m[n - 1]))))
			continue;
		memcpy(base, m, n + 1);
		if (pass == 1)
			base[n - 1] = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(sized); i++)
			if (strcmp(base, sized[i].name) == 0) {
				in->form = sized[i].form;
				in->op = sized[i].op;
				if (pass == 1) {
					in->size = suffix_size(m[n - 1]);
					if (in->size == 8 && c->bits == 32)
						return false;
				}
				return true;
			}
	}
	return false;
}

/* The form a mnemonic is encoded by (false: not one this assembler knows for the mode). */
static bool lookup(struct asmctx *c, const char *m, struct insn *in)
{
	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (strcmp(m, fixed[i].name) == 0) {
			const char *b = c->bits == 64 ? fixed[i].b64 : fixed[i].b32;
			if (!b)
				return false;
			in->form = F_FIXED;
			in->fixed = b;
			in->stack = fixed[i].stack;
			in->stops = fixed[i].stops;
			return true;
		}
	for (size_t i = 0; i < ARRAY_SIZE(sys); i++)
		if (strcmp(m, sys[i].name) == 0) {
			in->form = F_SYS;
			in->op = (int)i;
			return true;
		}
	if (strcmp(m, ".byte") == 0 || strcmp(m, "rdpid") == 0) {
		in->form = m[0] == '.' ? F_BYTES : F_RDPID;
		return true;
	}
	if (strcmp(m, "jmp") == 0 || strcmp(m, c->bits == 64 ? "jmpq" : "jmpl") == 0) {
		in->form = F_JMP;
		return true;
	}
	if (strcmp(m, "call") == 0 || strcmp(m, c->bits == 64 ? "callq" : "calll") == 0) {
		in->form = F_CALL;
		return true;
	}
	if (m[0] == 'j' && cond_of(m + 1) >= 0 && strcmp(m + 1, "no-s") != 0) {
		in->form = F_JCC;
		in->op = cond_of(m + 1);
		return true;
	}
	if (strncmp(m, "set", 3) == 0 && cond_of(m + 3) >= 0 && strcmp(m + 3, "no-s") != 0) {
		in->form = F_SETCC;
		in->op = cond_of(m + 3);
		return true;
	}
	return lookup_sized(c, m, in);
}

/* ---- parsing statements ---- */

static bool add_label(struct asmctx *c, const char *name, size_t off)
{
	bool numeric = strspn(name, "0123456789") == strlen(name);

	if (!numeric && find_label(c, name) >= 0) {
		fail(c, off, "label '%s' is defined twice", name);
		return false;
	}
	if (c->nlabels == MAX_LABELS) {
		fail(c, off, "more than %d labels", MAX_LABELS);
		return false;
	}
	c->labels[c->nlabels].name = xstrdup(name);
	c->labels[c->nlabels++].insn = c->ninsns;
	return true;
}

static void free_operands(struct insn *in)
{
	for (int k = 0; k < MAX_OPS; k++) {
		free(in->o[k].e.sym);
		in->o[k].e.sym = NULL;
	}
	free(in->data);
	in->data = NULL;
}

/* `.byte` data: constant expressions, each a byte (-128 .. 255). */
static bool parse_bytes(struct asmctx *c, size_t i, size_t end, struct insn *in)
{
	if (i == end) {
		fail(c, i, ".byte needs at least one value");
		return false;
	}
	while (i < end) {
		size_t j = i, e;
		struct expr x = {0};
		while (j < end && c->text[j] != ',')
			j++;
		e = j;
		while (e > i && (c->text[e - 1] == ' ' || c->text[e - 1] == '\t'))
			e--;
		if (!parse_expr(c, i, e, &x))
			return false;
		if (x.sym || x.label >= 0 || x.val < -128 || x.val > 255) {
			fail(c, i, "a .byte value is a constant from -128 to 255");
			free(x.sym);
			return false;
		}
		if (in->ndata == MAX_DATA) {
			fail(c, i, "at most %d values in one .byte statement", MAX_DATA);
			return false;
		}
		in->data = xrealloc(in->data, (size_t)in->ndata + 1);
		in->data[in->ndata++] = (unsigned char)x.val;
		if (j < end && skip_space(c->text, j + 1, end) == end) {
			fail(c, j, "expected a value after ','");
			return false;
		}
		i = j < end ? skip_space(c->text, j + 1, end) : j;
	}
	return true;
}

/* Define the labels ("name:") a statement starts with; where the rest starts, or (size_t)-1
 * after an error. */
static size_t take_labels(struct asmctx *c, size_t i, size_t end)
{
	for (;;) {
		size_t j;
		i = skip_space(c->text, i, end);
		j = i;
		while (j < end && is_ident((unsigned char)c->text[j], j == i && !isdigit((unsigned char)c->text[j])))
			j++;
		if (!(j > i && j < end && c->text[j] == ':'))
			return i;
		char *name = xstrndup(c->text + i, j - i);
		bool ok = add_label(c, name, i);
		free(name);
		if (!ok)
			return (size_t)-1;
		i = j + 1;
	}
}

/* The next instruction's slot, cleared (the array grows as statements are parsed). */
static struct insn *next_insn(struct asmctx *c)
{
	struct insn *in;

	if (c->ninsns == c->cap) {
		int cap = c->cap ? 2 * c->cap : 4;
		c->insns = xrealloc(c->insns, sizeof(*c->insns) * (size_t)cap);
		memset(c->insns + c->cap, 0, sizeof(*c->insns) * (size_t)(cap - c->cap));
		c->cap = cap;
	}
	in = &c->insns[c->ninsns];
	free_operands(in); /* what a statement that failed to parse left there */
	memset(in, 0, sizeof(*in));
	return in;
}

/* The comma-separated operands [i, end) (commas inside parentheses do not separate). */
static bool parse_operands(struct asmctx *c, size_t i, size_t end, struct insn *in)
{
	while (i < end) {
		size_t j = i;
		int depth = 0;
		while (j < end && (depth > 0 || c->text[j] != ',')) {
			depth += c->text[j] == '(' ? 1 : c->text[j] == ')' ? -1 : 0;
			j++;
		}
		if (in->nops == MAX_OPS) {
			fail(c, i, "too many operands");
			return false;
		}
		size_t e = j;
		while (e > i && (c->text[e - 1] == ' ' || c->text[e - 1] == '\t'))
			e--;
		if (!parse_operand(c, i, e, &in->o[in->nops++]))
			return false;
		if (j == end)
			break;
		i = skip_space(c->text, j + 1, end);
		if (i == end) {
			fail(c, j, "expected an operand after ','");
			return false;
		}
	}
	return true;
}

static void parse_statement(struct asmctx *c, size_t i, size_t end)
{
	struct insn *in;
	size_t m0;
	char mnem[24];

	i = take_labels(c, i, end);
	if (i == (size_t)-1)
		return;
	while (end > i && (c->text[end - 1] == ' ' || c->text[end - 1] == '\t'))
		end--;
	if (i == end)
		return;
	if (c->ninsns == MAX_INSNS) {
		fail(c, i, "more than %d instructions", MAX_INSNS);
		return;
	}
	m0 = i;
	while (i < end && !isspace((unsigned char)c->text[i]))
		i++;
	in = next_insn(c);
	in->off = m0;
	snprintf(mnem, sizeof(mnem), "%.*s", (int)(i - m0), c->text + m0);
	if (i - m0 >= sizeof(mnem) || !lookup(c, mnem, in)) {
		fail(c, m0, "'%.*s' is not an instruction this assembler knows for %d-bit code (its bytes may be "
		     "given with .byte)", (int)(i - m0),
		     c->text + m0, c->bits);
		return;
	}
	i = skip_space(c->text, i, end);
	if (in->form == F_BYTES ? parse_bytes(c, i, end, in) : parse_operands(c, i, end, in))
		c->ninsns++;
}

/* A name that a label of the sequence defines is that label, wherever it is defined. */
static void resolve_labels(struct asmctx *c)
{
	for (int i = 0; i < c->ninsns; i++)
		for (int k = 0; k < c->insns[i].nops; k++) {
			struct opnd *o = &c->insns[i].o[k];
			int l = o->e.sym && o->e.label == -1 ? find_label(c, o->e.sym) : -1;
			if (l < 0)
				continue;
			if (o->kind != O_MEM || o->star || o->base >= 0 || o->index >= 0 || o->seg) {
				fail(c, o->off, "label '%s' is a branch target, not an operand", o->e.sym);
				continue;
			}
			free(o->e.sym);
			o->e.sym = NULL;
			o->e.label = l;
		}
}

/* ---- encoding ---- */

struct enc {
	unsigned char b[MAX_DATA];
	int n;
	struct x86_reloc rel[2];
	int nrel;
};

static void put(struct enc *e, unsigned v)
{
	if (e->n < (int)sizeof(e->b))
		e->b[e->n++] = (unsigned char)v;
}

static void put_le(struct enc *e, long long v, int size)
{
	for (int i = 0; i < size; i++)
		put(e, (unsigned)((unsigned long long)v >> (8 * i)) & 0xff);
}

static bool fits8(long long v) { return v >= -128 && v <= 127; }
static bool fits32s(long long v) { return v >= -2147483648LL && v <= 2147483647LL; }

/* An immediate of `size` bytes holding expression x (a symbol needs 4 bytes). */
static bool put_imm(struct asmctx *c, struct enc *e, const struct opnd *o, int size)
{
	long long v = o->e.val;
	bool ok = size == 1   ? v >= -128 && v <= 255
		  : size == 2 ? v >= -32768 && v <= 65535
		  : size == 4 ? (v >= -2147483648LL && v <= 4294967295LL)
			      : true;

	if (!ok) {
		fail(c, o->off, "$%lld does not fit in %d bytes", v, size);
		return false;
	}
	if (o->e.sym) {
		if (size != 4) {
			fail(c, o->off, "a symbol needs a 32-bit field here");
			return false;
		}
		e->rel[e->nrel++] = (struct x86_reloc){e->n, false, o->e.sym, v};
		v = 0;
	}
	put_le(e, v, size);
	return true;
}

/* Prefixes, REX and the opcode for an instruction whose ModRM has reg field `reg` and r/m
 * operand `rm` (a register or memory), then ModRM, SIB and displacement. imm_len is the size
 * of what follows (for %rip-relative addends). */
struct modrm {
	int reg;                /* 0-15 */
	const struct opnd *rm;  /* O_REG or O_MEM */
	int rm_reg;             /* when rm is NULL: a register number */
};

/* The prefixes before the opcode: segment, operand size, REX (false: 32-bit code needs one). */
static bool put_prefixes(struct asmctx *c, struct enc *e, int size, bool wide_default, struct modrm m, int rmreg,
			 bool force_rex)
{
	const struct opnd *rm = m.rm;
	int rex = 0;

	if (rm && rm->kind == O_MEM && rm->seg)
		put(e, (unsigned)rm->seg);
	if (size == 2)
		put(e, 0x66);
	if (size == 8 && !wide_default)
		rex |= 8;
	if (m.reg >= 8)
		rex |= 4;
	if (rm && rm->kind == O_MEM) {
		if (rm->index >= 8)
			rex |= 2;
		if (rm->base >= 8 && rm->base != RIP)
			rex |= 1;
	} else if (rmreg >= 8) {
		rex |= 1;
	}
	if (rex || force_rex) {
		if (c->bits == 32) {
			fail(c, rm ? rm->off : 0, "this operand needs a REX prefix, which 32-bit code has not");
			return false;
		}
		put(e, 0x40u | (unsigned)rex);
	}
	return true;
}

/* ModRM, SIB and displacement of a memory operand; reg is the ModRM reg field. A symbol in the
 * displacement (or a %rip base) leaves a relocation; imm_len bytes of immediate follow. */
static bool put_mem(struct asmctx *c, struct enc *e, int reg, const struct opnd *rm, int imm_len)
{
	unsigned r = (unsigned)(reg & 7) << 3;
	long long disp = rm->e.val;
	bool sym = rm->e.sym != NULL;

	if (rm->base == RIP) {
		put(e, 0x05u | r);
		e->rel[e->nrel++] = (struct x86_reloc){e->n, true, rm->e.sym, disp - 4 - imm_len};
		put_le(e, 0, 4);
		return true;
	}
	if (!fits32s(disp) && !(c->bits == 32 && disp >= 0 && disp <= 4294967295LL)) {
		fail(c, rm->off, "displacement %lld does not fit in 32 bits", disp);
		return false;
	}
	if (rm->base < 0 && rm->index < 0) { /* absolute */
		if (c->bits == 64) {
			put(e, 0x04u | r);
			put(e, 0x25);
		} else {
			put(e, 0x05u | r);
		}
	} else {
		int mod = (disp == 0 && !sym && (rm->base < 0 || (rm->base & 7) != 5)) ? 0
			  : (fits8(disp) && !sym && rm->base >= 0)			     ? 1
											     : 2;
		bool sib = rm->index >= 0 || rm->base < 0 || (rm->base & 7) == X86_SP;
		if (rm->base < 0)
			mod = 0; /* index only: disp32, no base */
		put(e, (unsigned)(mod << 6) | r | (sib ? 4u : (unsigned)(rm->base & 7)));
		if (sib) {
			int ss = rm->scale == 8 ? 3 : rm->scale == 4 ? 2 : rm->scale == 2 ? 1 : 0;
			int idx = rm->index >= 0 ? rm->index & 7 : 4;
			int base = rm->base >= 0 ? rm->base & 7 : 5;
			put(e, (unsigned)(ss << 6 | idx << 3 | base));
		}
		if (mod == 1) {
			put_le(e, disp, 1);
			return true;
		}
		if (mod == 0 && rm->base >= 0)
			return true;
	}
	if (sym) {
		e->rel[e->nrel++] = (struct x86_reloc){e->n, false, rm->e.sym, disp};
		disp = 0;
	}
	put_le(e, disp, 4);
	return true;
}

static bool encode_op(struct asmctx *c, struct enc *e, int size, bool wide_default, const char *opcode,
		      struct modrm m, int imm_len, bool force_rex)
{
	const struct opnd *rm = m.rm;
	int rmreg = rm ? (rm->kind == O_MEM ? -1 : rm->high8 ? rm->reg + 4 : rm->reg) : m.rm_reg;

	if (!put_prefixes(c, e, size, wide_default, m, rmreg, force_rex))
		return false;
	for (const char *p = opcode; p[0] && p[1]; p += 2) {
		char hex[3] = {p[0], p[1], 0};
		put(e, (unsigned)strtoul(hex, NULL, 16));
	}
	if (m.reg < 0) /* no ModRM (the register is in the opcode) */
		return true;
	if (!rm || rm->kind != O_MEM) {
		put(e, 0xc0u | (unsigned)((m.reg & 7) << 3) | (unsigned)(rmreg & 7));
		return true;
	}
	return put_mem(c, e, m.reg, rm, imm_len);
}

static bool is_reg(const struct opnd *o) { return o->kind == O_REG && !o->star; }
static bool is_mem(const struct opnd *o) { return o->kind == O_MEM && !o->star && o->e.label == -1; }
static bool is_rm(const struct opnd *o) { return is_reg(o) || is_mem(o); }

static bool want(struct asmctx *c, const struct insn *in, int n)
{
	if (in->nops != n) {
		fail(c, in->off, "this instruction takes %d operand%s", n, n == 1 ? "" : "s");
		return false;
	}
	return true;
}

/* The operand size: the suffix, or the register operands' (which must agree). */
static int op_size(struct asmctx *c, struct insn *in, int first, int last)
{
	int size = in->size;

	for (int i = first; i <= last && i < in->nops; i++) {
		const struct opnd *o = &in->o[i];
		if (o->kind != O_REG)
			continue;
		if (size && o->size != size) {
			fail(c, o->off, "operand size mismatch: '%.*s' is not %d byte%s", (int)o->len, c->text + o->off,
			     size, size == 1 ? "" : "s");
			return 0;
		}
		size = o->size;
	}
	if (!size)
		fail(c, in->off, "the operand size is ambiguous: add a suffix (b, w, l%s)", c->bits == 64 ? ", q" : "");
	return size;
}

/* Byte registers: ah..bh and spl..dil cannot meet in one instruction. */
static bool byte_regs_ok(struct asmctx *c, const struct insn *in)
{
	bool hi = false, rex = false;

	for (int i = 0; i < in->nops; i++) {
		const struct opnd *o = &in->o[i];
		hi |= o->kind == O_REG && o->high8;
		rex |= o->kind == O_REG && (o->rex8 || o->reg >= 8 || (o->size == 8));
		rex |= o->kind == O_MEM && (o->base >= 8 && o->base != RIP);
		rex |= o->kind == O_MEM && o->index >= 8;
	}
	if (hi && rex) {
		fail(c, in->off, "%%ah, %%bh, %%ch and %%dh cannot be used with a REX prefix");
		return false;
	}
	return true;
}

static int rnum(const struct opnd *o) { return o->high8 ? o->reg + 4 : o->reg; }


static bool enc_alu(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	int size;
	char opc[3];

	if (!want(c, in, 2) || !(size = op_size(c, in, 0, 1)))
		return false;
	if (!is_rm(d) || (s->kind != O_IMM && !is_rm(s)) || (is_mem(s) && is_mem(d))) {
		fail(c, in->off, "operands must be: $imm, %%reg or memory; then %%reg or memory (not two memory)");
		return false;
	}
	if (s->kind == O_IMM) {
		long long v = s->e.val;
		bool acc = is_reg(d) && d->reg == 0 && !d->high8;
		if (size == 8 && !fits32s(v)) {
			fail(c, s->off, "$%lld does not fit a sign-extended 32-bit immediate", v);
			return false;
		}
		if (size == 1) {
			if (acc) {
				snprintf(opc, sizeof(opc), "%02x", 0x04 + 8 * in->op);
				return encode_op(c, e, 1, false, opc, (struct modrm){-1, NULL, -1}, 1, false) &&
				       put_imm(c, e, s, 1);
			}
			return encode_op(c, e, 1, false, "80", (struct modrm){in->op, d, 0}, 1, d->rex8) &&
			       put_imm(c, e, s, 1);
		}
		if (!s->e.sym && fits8(v))
			return encode_op(c, e, size, false, "83", (struct modrm){in->op, d, 0}, 1, false) &&
			       put_imm(c, e, s, 1);
		int isz = size == 2 ? 2 : 4;
		if (acc) {
			snprintf(opc, sizeof(opc), "%02x", 0x05 + 8 * in->op);
			return encode_op(c, e, size, false, opc, (struct modrm){-1, NULL, -1}, isz, false) &&
			       put_imm(c, e, s, isz);
		}
		return encode_op(c, e, size, false, "81", (struct modrm){in->op, d, 0}, isz, false) &&
		       put_imm(c, e, s, isz);
	}
	if (!byte_regs_ok(c, in))
		return false;
	if (is_reg(s)) { /* reg -> r/m */
		snprintf(opc, sizeof(opc), "%02x", 8 * in->op + (size == 1 ? 0 : 1));
		return encode_op(c, e, size, false, opc, (struct modrm){rnum(s), d, 0}, 0, s->rex8 || d->rex8);
	}
	snprintf(opc, sizeof(opc), "%02x", 8 * in->op + (size == 1 ? 2 : 3));
	return encode_op(c, e, size, false, opc, (struct modrm){rnum(d), s, 0}, 0, d->rex8);
}

static bool enc_test(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	int size;

	if (!want(c, in, 2) || !(size = op_size(c, in, 0, 1)))
		return false;

	if (s->kind == O_IMM && is_rm(d)) {
		int isz = size == 1 ? 1 : size == 2 ? 2 : 4;
		if (size == 8 && !fits32s(s->e.val)) {
			fail(c, s->off, "$%lld does not fit a sign-extended 32-bit immediate", s->e.val);
			return false;
		}
		if (is_reg(d) && d->reg == 0 && !d->high8)
			return encode_op(c, e, size, false, size == 1 ? "a8" : "a9", (struct modrm){-1, NULL, -1}, isz,
					 false) &&
			       put_imm(c, e, s, isz);
		return encode_op(c, e, size, false, size == 1 ? "f6" : "f7", (struct modrm){0, d, 0}, isz, d->rex8) &&
		       put_imm(c, e, s, isz);
	}
	if (!is_rm(s) || !is_rm(d) || (is_mem(s) && is_mem(d)) || !byte_regs_ok(c, in)) {
		if (!c->failed)
			fail(c, in->off, "operands must be: $imm, %%reg or memory; then %%reg or memory");
		return false;
	}
	/* the register goes in ModRM.reg; between two registers, the first operand does */
	const struct opnd *r = is_reg(s) ? s : d, *m = r == s ? d : s;
	return encode_op(c, e, size, false, size == 1 ? "84" : "85", (struct modrm){rnum(r), m, 0}, 0,
			 s->rex8 || d->rex8);
}

/* mov to or from a control or debug register: with a word-sized general register. */
static bool enc_mov_special(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	bool from = s->kind == O_CR || s->kind == O_DR;
	struct opnd *g = from ? d : s, *x = from ? s : d;

	if (!is_reg(g) || g->size != c->bits / 8 || (in->size && in->size != c->bits / 8) || x->star) {
		fail(c, g->off, "a %s register moves to or from a %d-bit general register",
		     x->kind == O_CR ? "control" : "debug", c->bits);
		return false;
	}
	const char *opc2 = x->kind == O_CR ? (from ? "0f20" : "0f22") : (from ? "0f21" : "0f23");
	return encode_op(c, e, 4, true, opc2, (struct modrm){x->reg, g, 0}, 0, false);
}

/* mov $imm: into a register (b0+r, b8+r; movabs's 64-bit immediate), or into memory (c6, c7). */
static bool enc_mov_imm(struct asmctx *c, struct insn *in, struct enc *e, int size)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	char opc[3];

	if (is_reg(d)) {
		if (size == 8 && (in->op == 1 || (!fits32s(s->e.val) && !s->e.sym))) {
			if (s->e.sym) {
				fail(c, s->off, "a symbol needs a 32-bit field here");
				return false;
			}
			snprintf(opc, sizeof(opc), "%02x", 0xb8 + (d->reg & 7));
			return encode_op(c, e, 8, false, opc, (struct modrm){-1, NULL, d->reg}, 8, false) &&
			       (put_le(e, s->e.val, 8), true);
		}
		if (size == 8)
			return encode_op(c, e, 8, false, "c7", (struct modrm){0, d, 0}, 4, false) && put_imm(c, e, s, 4);
		snprintf(opc, sizeof(opc), "%02x", (size == 1 ? 0xb0 : 0xb8) + (rnum(d) & 7));
		return encode_op(c, e, size, false, opc, (struct modrm){-1, NULL, d->reg}, size, d->rex8) &&
		       put_imm(c, e, s, size == 1 ? 1 : size == 2 ? 2 : 4);
	}
	int isz = size == 1 ? 1 : size == 2 ? 2 : 4;
	if (size == 8 && !fits32s(s->e.val)) {
		fail(c, s->off, "$%lld does not fit a sign-extended 32-bit immediate", s->e.val);
		return false;
	}
	return encode_op(c, e, size, false, size == 1 ? "c6" : "c7", (struct modrm){0, d, 0}, isz, false) &&
	       put_imm(c, e, s, isz);
}

static bool enc_mov(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	int size;
	char opc[3];

	if (!want(c, in, 2))
		return false;
	if (s->kind == O_CR || s->kind == O_DR || d->kind == O_CR || d->kind == O_DR)
		return enc_mov_special(c, in, e);
	if (!(size = op_size(c, in, 0, 1)))
		return false;
	if (!is_rm(d) || (s->kind != O_IMM && !is_rm(s)) || (is_mem(s) && is_mem(d))) {
		fail(c, in->off, "operands must be: $imm, %%reg or memory; then %%reg or memory (not two memory)");
		return false;
	}
	if (!byte_regs_ok(c, in))
		return false;
	if (in->op == 1 && (s->kind != O_IMM || !is_reg(d) || size != 8)) {
		fail(c, in->off, "movabs moves a 64-bit immediate into a 64-bit register");
		return false;
	}
	if (s->kind == O_IMM)
		return enc_mov_imm(c, in, e, size);
	/* 32-bit code moves the accumulator to and from an absolute address with a0..a3 */
	const struct opnd *mem = is_mem(s) ? s : is_mem(d) ? d : NULL, *acc = mem == s ? d : s;
	if (c->bits == 32 && mem && mem->base < 0 && mem->index < 0 && acc->reg == 0 && !acc->high8) {
		if (mem->seg)
			put(e, (unsigned)mem->seg);
		if (size == 2)
			put(e, 0x66);
		put(e, (unsigned)((mem == s ? 0xa0 : 0xa2) + (size == 1 ? 0 : 1)));
		if (mem->e.sym)
			e->rel[e->nrel++] = (struct x86_reloc){e->n, false, mem->e.sym, mem->e.val};
		put_le(e, mem->e.sym ? 0 : mem->e.val, 4);
		return true;
	}
	if (is_reg(s)) {
		snprintf(opc, sizeof(opc), "%02x", size == 1 ? 0x88 : 0x89);
		return encode_op(c, e, size, false, opc, (struct modrm){rnum(s), d, 0}, 0, s->rex8 || d->rex8);
	}
	snprintf(opc, sizeof(opc), "%02x", size == 1 ? 0x8a : 0x8b);
	return encode_op(c, e, size, false, opc, (struct modrm){rnum(d), s, 0}, 0, d->rex8);
}

static bool enc_pushpop(struct asmctx *c, struct insn *in, struct enc *e, int *stack)
{
	struct opnd *o = &in->o[0];
	bool push = in->form == F_PUSH;
	int word = c->bits / 8;
	char opc[3];

	if (!want(c, in, 1))
		return false;
	if (in->size && in->size != word) {
		fail(c, in->off, "push and pop move %d-byte words here", word);
		return false;
	}
	*stack = push ? -1 : 1;
	if (o->kind == O_IMM && push) {
		if (!o->e.sym && fits8(o->e.val))
			return encode_op(c, e, 4, true, "6a", (struct modrm){-1, NULL, -1}, 1, false) && put_imm(c, e, o, 1);
		if (c->bits == 64 && !fits32s(o->e.val)) {
			fail(c, o->off, "$%lld does not fit a sign-extended 32-bit immediate", o->e.val);
			return false;
		}
		return encode_op(c, e, 4, true, "68", (struct modrm){-1, NULL, -1}, 4, false) && put_imm(c, e, o, 4);
	}
	if (is_reg(o)) {
		if (o->size != word) {
			fail(c, o->off, "push and pop move %d-bit registers here", c->bits);
			return false;
		}
		snprintf(opc, sizeof(opc), "%02x", (push ? 0x50 : 0x58) + (o->reg & 7));
		return encode_op(c, e, 4, true, opc, (struct modrm){-1, NULL, o->reg}, 0, false);
	}
	if (is_mem(o))
		return encode_op(c, e, 4, true, push ? "ff" : "8f", (struct modrm){push ? 6 : 0, o, 0}, 0, false);
	fail(c, o->off, "push takes $imm, a register or memory; pop a register or memory");
	return false;
}

static bool enc_unary(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *o = &in->o[0];
	int size;
	char opc[3];

	if (!want(c, in, 1) || !(size = op_size(c, in, 0, 0)))
		return false;
	if (!is_rm(o)) {
		fail(c, o->off, "expected a register or memory");
		return false;
	}
	if (in->form == F_INCDEC && c->bits == 32 && is_reg(o) && size != 1) { /* 40+r, 48+r */
		snprintf(opc, sizeof(opc), "%02x", (in->op ? 0x48 : 0x40) + o->reg);
		return encode_op(c, e, size, false, opc, (struct modrm){-1, NULL, o->reg}, 0, false);
	}
	if (in->form == F_INCDEC)
		return encode_op(c, e, size, false, size == 1 ? "fe" : "ff", (struct modrm){in->op, o, 0}, 0, o->rex8);
	return encode_op(c, e, size, false, size == 1 ? "f6" : "f7", (struct modrm){in->op, o, 0}, 0, o->rex8);
}

static bool enc_shift(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd one = {.kind = O_IMM, .e = {.val = 1, .label = -1}};
	struct opnd *cnt, *d;
	int size;

	if (in->nops != 1 && in->nops != 2) {
		fail(c, in->off, "a shift takes a count ($imm or %%cl) and a destination");
		return false;
	}
	cnt = in->nops == 1 ? &one : &in->o[0];
	d = &in->o[in->nops - 1];
	if (!(size = op_size(c, in, in->nops - 1, in->nops - 1)) || !is_rm(d))
		return false;
	if (cnt->kind == O_REG && cnt->reg == 1 && cnt->size == 1 && !cnt->high8)
		return encode_op(c, e, size, false, size == 1 ? "d2" : "d3", (struct modrm){in->op, d, 0}, 0, d->rex8);
	if (cnt->kind != O_IMM || cnt->e.sym || cnt->e.val < 0 || cnt->e.val > 255) {
		fail(c, cnt->off, "the count is $0..255 or %%cl");
		return false;
	}
	if (cnt->e.val == 1)
		return encode_op(c, e, size, false, size == 1 ? "d0" : "d1", (struct modrm){in->op, d, 0}, 0, d->rex8);
	return encode_op(c, e, size, false, size == 1 ? "c0" : "c1", (struct modrm){in->op, d, 0}, 1, d->rex8) &&
	       put_imm(c, e, cnt, 1);
}

/* xchg: 90+r with the accumulator, else 86/87 (a memory operand goes in r/m). */
static bool enc_xchg(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	int size;

	if (!(size = op_size(c, in, 0, 1)) || !is_rm(s) || !is_rm(d) || (is_mem(s) && is_mem(d)) || !byte_regs_ok(c, in)) {
		if (!c->failed)
			fail(c, in->off, "xchg takes two registers, or a register and memory");
		return false;
	}
	if (is_reg(s) && is_reg(d) && size != 1 && (s->reg == 0 || d->reg == 0) &&
	    !(c->bits == 64 && size == 4 && s->reg == 0 && d->reg == 0)) {
		char opc[3];
		int other = s->reg == 0 ? d->reg : s->reg;
		snprintf(opc, sizeof(opc), "%02x", 0x90 + (other & 7));
		return encode_op(c, e, size, false, opc, (struct modrm){-1, NULL, other}, 0, false);
	}
	if (is_mem(s)) {
		struct opnd t = *s;
		*s = *d;
		*d = t;
	}
	return encode_op(c, e, size, false, size == 1 ? "86" : "87", (struct modrm){rnum(s), d, 0}, 0,
			 s->rex8 || d->rex8);
}

/* bt, bts, btr, btc: a bit number $0..255 (0f ba /op) or in a register (0f a3, ab, b3, bb). */
static bool enc_bt(struct asmctx *c, struct insn *in, struct enc *e)
{
	static const char *const bt_reg[4] = {"0fa3", "0fab", "0fb3", "0fbb"};
	struct opnd *s = &in->o[0], *d = &in->o[1];
	int size;

	if (!(size = op_size(c, in, 0, 1)) || size == 1 || !is_rm(d)) {
		if (!c->failed)
			fail(c, in->off, "bt takes $imm or a register, then a 16-, 32- or 64-bit operand");
		return false;
	}
	if (s->kind == O_IMM) {
		if (s->e.sym || s->e.val < 0 || s->e.val > 255) {
			fail(c, s->off, "the bit number is $0..255");
			return false;
		}
		return encode_op(c, e, size, false, "0fba", (struct modrm){in->op, d, 0}, 1, false) && put_imm(c, e, s, 1);
	}
	if (!is_reg(s)) {
		fail(c, s->off, "expected $imm or a register");
		return false;
	}
	return encode_op(c, e, size, false, bt_reg[in->op - 4], (struct modrm){s->reg, d, 0}, 0, false);
}

static bool enc_two_reg(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *s = &in->o[0], *d = &in->o[1];
	int size;

	if (!want(c, in, 2))
		return false;
	switch (in->form) {
	case F_LEA:
		if (!is_mem(s) || !is_reg(d) || !(size = op_size(c, in, 1, 1)) || size == 1) {
			if (!c->failed)
				fail(c, in->off, "lea takes memory and a 16-, 32- or 64-bit register");
			return false;
		}
		return encode_op(c, e, size, false, "8d", (struct modrm){d->reg, s, 0}, 0, false);
	case F_MOVX:
		if (!is_rm(s) || !is_reg(d) || d->size != in->size || (is_reg(s) && s->size != in->op)) {
			fail(c, in->off, "operands must be a %d-byte register or memory, then a %d-byte register", in->op,
			     in->size);
			return false;
		}
		if (in->op == 4)
			return encode_op(c, e, 8, false, "63", (struct modrm){d->reg, s, 0}, 0, false);
		return encode_op(c, e, in->size, false, in->sx ? (in->op == 1 ? "0fbe" : "0fbf") : (in->op == 1 ? "0fb6" : "0fb7"),
				 (struct modrm){d->reg, s, 0}, 0, s->rex8);
	case F_XCHG:
		return enc_xchg(c, in, e);
	default:
		return enc_bt(c, in, e);
	}
}

/* A branch's target: a local label (resolved to an instruction index) or a symbol. */
static int target_of(struct asmctx *c, const struct insn *in, const struct opnd *o)
{
	int at = (int)(in - c->insns);

	if (o->e.label >= 0)
		return c->labels[o->e.label].insn;
	if (o->e.label == -2) { /* numeric: the nearest definition in the direction given */
		int best = -1;
		for (int i = 0; i < c->nlabels; i++) {
			if (strcmp(c->labels[i].name, o->e.sym) != 0)
				continue;
			int li = c->labels[i].insn;
			if (o->e.fwd ? li > at && (best < 0 || li < best) : li <= at && li > best)
				best = li;
		}
		if (best < 0)
			fail(c, o->off, "no label %s%s %s this instruction", o->e.sym, o->e.fwd ? "f" : "b",
			     o->e.fwd ? "after" : "before");
		return best < 0 ? -1 : best;
	}
	return -1;
}

/* A branch at `here` to instruction `target` (ninsns: the end): rel8 when layout found it
 * near enough, else rel32. */
static void branch_to_label(struct asmctx *c, const struct insn *in, struct enc *e, int here, int target)
{
	int dest = target < c->ninsns ? c->insns[target].at : c->insns[c->ninsns - 1].at + c->insns[c->ninsns - 1].len;

	if (in->form == F_CALL) {
		put(e, 0xe8);
		put_le(e, dest - (here + 5), 4);
	} else if (!in->near) {
		put(e, in->form == F_JCC ? 0x70u + (unsigned)in->op : 0xeb);
		put_le(e, dest - (here + 2), 1);
	} else if (in->form == F_JCC) {
		put(e, 0x0f);
		put(e, 0x80u + (unsigned)in->op);
		put_le(e, dest - (here + 6), 4);
	} else {
		put(e, 0xe9);
		put_le(e, dest - (here + 5), 4);
	}
}

static bool enc_branch(struct asmctx *c, struct insn *in, struct enc *e, int here, bool *stops, bool *calls)
{
	struct opnd *o = &in->o[0];
	int target;

	if (!want(c, in, 1))
		return false;
	*stops = in->form == F_JMP;
	*calls = in->form == F_CALL;
	if (o->star) { /* indirect: *%reg or *mem */
		struct opnd t = *o;
		t.star = false;
		if (in->form == F_JCC || (t.kind == O_REG && t.size != c->bits / 8) || (t.kind != O_REG && t.kind != O_MEM) ||
		    t.e.label != -1) {
			fail(c, o->off, "an indirect target is *%%reg (%d-bit) or *memory", c->bits);
			return false;
		}
		return encode_op(c, e, 4, true, "ff", (struct modrm){in->form == F_CALL ? 2 : 4, &t, 0}, 0, false);
	}
	if (o->kind != O_MEM || o->base >= 0 || o->index >= 0 || o->seg) {
		fail(c, o->off, "a branch goes to a label or a symbol (use '*' for an indirect target)");
		return false;
	}
	target = target_of(c, in, o);
	if (c->failed)
		return false;
	if (target < 0 && !o->e.sym) {
		fail(c, o->off, "a branch goes to a label or a symbol, not to a number");
		return false;
	}
	if (target < 0) { /* a symbol: always rel32 */
		if (in->form == F_JCC) {
			put(e, 0x0f);
			put(e, 0x80u + (unsigned)in->op);
		} else {
			put(e, in->form == F_CALL ? 0xe8 : 0xe9);
		}
		e->rel[e->nrel++] = (struct x86_reloc){e->n, true, o->e.sym, o->e.val - 4};
		put_le(e, 0, 4);
		return true;
	}
	if (o->e.val) {
		fail(c, o->off, "a label reference takes no offset");
		return false;
	}
	branch_to_label(c, in, e, here, target);
	return true;
}

static bool enc_sys(struct asmctx *c, struct insn *in, struct enc *e)
{
	struct opnd *o = &in->o[0];

	if (!want(c, in, 1))
		return false;
	if (sys[in->op].mem_only ? !is_mem(o) : !(is_mem(o) || (is_reg(o) && o->size != 1 && o->size != 8))) {
		fail(c, o->off, sys[in->op].mem_only ? "expected a memory operand" : "expected memory or a 16/32-bit register");
		return false;
	}
	/* only the stores to a 16-bit register take an operand-size prefix */
	int size = is_reg(o) && o->size == 2 && sys[in->op].writes ? 2 : 4;
	return encode_op(c, e, size, false, sys[in->op].opcode ? "0f01" : "0f00",
			 (struct modrm){sys[in->op].digit, o, 0}, 0, false);
}

/* What the encoder knows of an instruction's control flow; the registers it writes come from
 * decoding the bytes. */
struct effect {
	int stack;
	bool stops, calls;
};

static bool encode(struct asmctx *c, struct insn *in, int here, struct enc *e, struct effect *fx)
{
	memset(e, 0, sizeof(*e));
	memset(fx, 0, sizeof(*fx));
	switch (in->form) {
	case F_FIXED:
		if (!want(c, in, 0))
			return false;
		fx->stack = in->stack;
		fx->stops = in->stops;
		return encode_op(c, e, 4, true, in->fixed, (struct modrm){-1, NULL, -1}, 0, false);
	case F_ALU: return enc_alu(c, in, e);
	case F_TEST: return enc_test(c, in, e);
	case F_MOV: return enc_mov(c, in, e);
	case F_PUSH:
	case F_POP: return enc_pushpop(c, in, e, &fx->stack);
	case F_INCDEC:
	case F_UNARY: return enc_unary(c, in, e);
	case F_SHIFT: return enc_shift(c, in, e);
	case F_SETCC:
		if (!want(c, in, 1))
			return false;
		if (!is_rm(&in->o[0]) || (is_reg(&in->o[0]) && in->o[0].size != 1)) {
			fail(c, in->o[0].off, "set%s takes a byte register or memory", conds[in->op]);
			return false;
		}
		char opc[5];
		snprintf(opc, sizeof(opc), "0f%02x", 0x90 + in->op);
		return encode_op(c, e, 1, false, opc, (struct modrm){0, &in->o[0], 0}, 0, in->o[0].rex8);
	case F_JCC:
	case F_JMP:
	case F_CALL: return enc_branch(c, in, e, here, &fx->stops, &fx->calls);
	case F_SYS: return enc_sys(c, in, e);
	case F_RDPID: /* rdpid reg: f3 0f c7 /7, the mandatory prefix before any REX */
		if (!want(c, in, 1))
			return false;
		if (!is_reg(&in->o[0]) || in->o[0].size != c->bits / 8) {
			fail(c, in->o[0].off, "rdpid takes a %d-bit register", c->bits);
			return false;
		}
		put(e, 0xf3);
		return encode_op(c, e, 4, true, "0fc7", (struct modrm){7, &in->o[0], 0}, 0, false);
	case F_BYTES:
		for (int k = 0; k < in->ndata; k++)
			put(e, in->data[k]);
		return true;
	default: return enc_two_reg(c, in, e);
	}
}

/* Lay out every instruction at its offset; true when no short branch needed to grow. */
static bool layout(struct asmctx *c, bool *stable)
{
	int at = 0;

	*stable = true;
	for (int i = 0; i < c->ninsns; i++) {
		struct enc e;
		struct effect fx;
		c->insns[i].at = at;
		if (!encode(c, &c->insns[i], at, &e, &fx))
			return false;
		c->insns[i].len = e.n;
		at += e.n;
	}
	for (int i = 0; i < c->ninsns; i++) {
		struct insn *in = &c->insns[i];
		if ((in->form != F_JCC && in->form != F_JMP) || in->near || in->o[0].star)
			continue;
		int t = target_of(c, in, &in->o[0]);
		if (t < 0)
			continue;
		int dest = t < c->ninsns ? c->insns[t].at : at;
		if (!fits8(dest - (in->at + in->len))) {
			in->near = true;
			*stable = false;
		}
	}
	return true;
}

static void add_step(struct x86_code *out, size_t off, unsigned writes, bool calls, const char *what)
{
	out->steps = xrealloc(out->steps, sizeof(*out->steps) * (size_t)(out->nsteps + 1));
	out->steps[out->nsteps++] = (struct x86_step){off, writes, calls, what ? xstrdup(what) : NULL};
	out->writes |= writes;
	out->calls |= calls;
}

/* An instruction the assembler encoded: what it writes, as the decoder reads the bytes; its
 * stack and control flow, as its form says. */
static bool assembled_effects(struct asmctx *c, const struct insn *in, const unsigned char *b, int n,
			      const struct effect *fx, struct x86_code *out)
{
	struct x86_decoded d;

	if (!x86_decode(b, n, c->bits, &d) || d.len != n) {
		fail(c, in->off, "the decoder does not read this instruction's encoding as one instruction");
		return false;
	}
	add_step(out, in->off, d.writes, fx->calls, NULL);
	out->stack += fx->stack * (c->bits / 8);
	out->falls_through = !fx->stops;
	return true;
}

/* The .byte statements first..last (consecutive), whose bytes start at b: decoded into
 * instructions, each a step at the statement its first byte belongs to. */
static bool decode_data(struct asmctx *c, int first, int last, const unsigned char *b, struct x86_code *out)
{
	int total = c->insns[last].at + c->insns[last].len - c->insns[first].at;

	for (int at = 0, k = first; at < total;) {
		struct x86_decoded d;
		while (k < last && c->insns[k + 1].at - c->insns[first].at <= at)
			k++;
		if (!x86_decode(b + at, total - at, c->bits, &d)) {
			fail(c, c->insns[k].off, "byte %d of this data does not start an instruction the decoder "
			     "knows for %d-bit code", at - (c->insns[k].at - c->insns[first].at), c->bits);
			return false;
		}
		add_step(out, c->insns[k].off, d.writes, d.calls, d.text);
		out->stack += d.stack * (c->bits / 8);
		out->falls_through = !d.stops;
		at += d.len;
	}
	return true;
}

/* Add one statement to the listing, with the register `%percpu:` stands for. */
static void list_statement(struct buf *listing, const char *st, size_t n, const char *percpu)
{
	static const char tag[] = "%" PERCPU ":";
	const size_t taglen = sizeof(tag) - 1;

	if (listing->len)
		buf_printf(listing, "\n");
	for (size_t k = 0; k < n;) {
		if (percpu && n - k >= taglen && strncmp(st + k, tag, taglen) == 0) {
			buf_printf(listing, "%%%s:", percpu);
			k += taglen;
		} else {
			buf_printf(listing, "%c", st[k++]);
		}
	}
}

/* Parse every statement of the text (lines, ';'-separated, '#' comments), and list each as
 * the output's text shows it. */
static void parse_all(struct asmctx *c, struct buf *listing)
{
	const char *text = c->text;
	size_t n = strlen(text);

	for (size_t i = 0; i < n;) {
		size_t eol = i, end;
		while (eol < n && text[eol] != '\n')
			eol++;
		end = i;
		while (end < eol && text[end] != '#')
			end++;
		for (size_t s = i, p = i; p <= end; p++) {
			if (p < end && text[p] != ';')
				continue;
			size_t a = skip_space(text, s, p), b = p;
			while (b > a && isspace((unsigned char)text[b - 1]))
				b--;
			if (b > a)
				list_statement(listing, text + a, b - a, c->percpu);
			parse_statement(c, s, p);
			s = p + 1;
		}
		i = eol + 1;
	}
}

/* Encode every instruction at its place, with its relocations, and what each writes (a run
 * of .byte data decoded as the instructions it holds). */
static bool encode_all(struct asmctx *c, struct buf *bytes, struct x86_code *out)
{
	bool ok = true;

	for (int i = 0; ok && i < c->ninsns; i++) {
		struct enc e;
		struct effect fx;
		struct insn *in = &c->insns[i];
		ok = encode(c, in, in->at, &e, &fx);
		for (int r = 0; ok && r < e.nrel; r++) {
			out->relocs = xrealloc(out->relocs, sizeof(*out->relocs) * (size_t)(out->nrelocs + 1));
			out->relocs[out->nrelocs++] = (struct x86_reloc){in->at + e.rel[r].off, e.rel[r].pcrel,
									 xstrdup(e.rel[r].sym), e.rel[r].addend};
		}
		buf_add(bytes, (const char *)e.b, (size_t)e.n);
		if (ok && in->form == F_BYTES) {
			int last = i;
			while (last + 1 < c->ninsns && c->insns[last + 1].form == F_BYTES) {
				last++;
				buf_add(bytes, (const char *)c->insns[last].data, (size_t)c->insns[last].ndata);
			}
			ok = decode_data(c, i, last, (const unsigned char *)bytes->data + in->at, out);
			i = last;
		} else if (ok) {
			ok = assembled_effects(c, in, e.b, e.n, &fx, out);
		}
	}
	return ok;
}

static void asmctx_free(struct asmctx *c)
{
	for (int i = 0; i < c->nlabels; i++)
		free(c->labels[i].name);
	for (int i = 0; i < c->cap; i++)
		free_operands(&c->insns[i]);
	free(c->insns);
	free(c);
}

bool x86_assemble(const char *text, int bits, const char *percpu, const struct node *src, struct pos where, const char *check,
		  x86_const_fn consts, void *cctx, struct x86_code *out)
{
	struct asmctx *c = xcalloc(1, sizeof(*c));
	struct buf bytes = {0}, listing = {0};
	bool stable = false, ok;

	memset(out, 0, sizeof(*out));
	*c = (struct asmctx){.text = text, .bits = bits, .percpu = percpu, .src = src, .where = where, .check = check,
			     .consts = consts, .cctx = cctx};
	parse_all(c, &listing);
	if (!c->failed)
		resolve_labels(c);
	for (int pass = 0; !c->failed && !stable && pass < 2 * MAX_INSNS; pass++)
		layout(c, &stable);
	out->falls_through = true;
	ok = !c->failed && encode_all(c, &bytes, out);
	asmctx_free(c);
	if (!ok) {
		buf_free(&bytes);
		buf_free(&listing);
		x86_code_free(out);
		return false;
	}
	out->len = (int)bytes.len;
	out->bytes = (unsigned char *)buf_steal(&bytes);
	out->text = listing.data ? buf_steal(&listing) : xstrdup("");
	return true;
}

void x86_code_free(struct x86_code *c)
{
	for (int i = 0; i < c->nrelocs; i++)
		free(c->relocs[i].sym);
	free(c->relocs);
	for (int i = 0; i < c->nsteps; i++)
		free(c->steps[i].what);
	free(c->steps);
	free(c->bytes);
	free(c->text);
	memset(c, 0, sizeof(*c));
}
