/* bundle.c: encode and decode IA-64 bundles (see bundle.h). */
#include "bundle.h"

#include <stddef.h>

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

void bundle_get(const unsigned char *p, struct bundle *b)
{
	uint64_t lo = le64(p), hi = le64(p + 8);

	b->tmpl = (unsigned)(lo & 0x1f);
	b->slot[0] = (lo >> 5) & SLOT_MASK;
	b->slot[1] = ((lo >> 46) | (hi << 18)) & SLOT_MASK;
	b->slot[2] = (hi >> 23) & SLOT_MASK;
}

void bundle_put(unsigned char *p, const struct bundle *b)
{
	uint64_t lo = (uint64_t)b->tmpl | (b->slot[0] & SLOT_MASK) << 5 | (b->slot[1] & SLOT_MASK) << 46;
	uint64_t hi = (b->slot[1] & SLOT_MASK) >> 18 | (b->slot[2] & SLOT_MASK) << 23;

	put_le64(p, lo);
	put_le64(p + 8, hi);
}

/* Units by template, in pairs (the odd one of a pair adds a stop at the end). */
static const char *const units[16] = {
	"MII", "MII", "MLX", NULL, "MMI", "MMI", "MFI", "MMF",
	"MIB", "MBB", NULL, "BBB", "MMB", NULL, "MFB", NULL,
};

char bundle_unit(unsigned tmpl, int i)
{
	const char *u = tmpl < 32 ? units[tmpl >> 1] : NULL;

	if (!u || i < 0 || i > 2)
		return 0;
	if (u[1] == 'L' && i == 2)
		return 'X';
	return u[i];
}

void bundle_nops(unsigned char *p)
{
	const struct bundle b = {0x00, {NOP_MI, NOP_MI, NOP_MI}};
	bundle_put(p, &b);
}

bool slot_is_nop(const struct bundle *b, int i)
{
	uint64_t s = b->slot[i] & ~UINT64_C(0x3f); /* whatever the qualifying predicate */
	char u = bundle_unit(b->tmpl, i);

	if (u == 'M' || u == 'I')
		return (s & ~(((UINT64_C(1) << 20) - 1) << 6 | UINT64_C(1) << 36)) == NOP_MI;
	if (u == 'B')
		return (s & ~(((UINT64_C(1) << 20) - 1) << 6 | UINT64_C(1) << 36)) == NOP_B;
	return false;
}

bool branch_is_iprel(const struct bundle *b, int i)
{
	unsigned op = (unsigned)(b->slot[i] >> 37) & 0xf;
	return bundle_unit(b->tmpl, i) == 'B' && (op == 4 || op == 5);
}

int64_t branch_disp(uint64_t insn)
{
	int64_t imm = (int64_t)((insn >> 13) & 0xfffff) | (int64_t)((insn >> 36) & 1) << 20;

	if (imm & (INT64_C(1) << 20))
		imm -= INT64_C(1) << 21;
	return imm * BUNDLE_BYTES;
}

bool branch_set_disp(uint64_t *insn, int64_t disp)
{
	if (disp % BUNDLE_BYTES != 0)
		return false;
	int64_t imm = disp / BUNDLE_BYTES;
	if (imm < -(INT64_C(1) << 20) || imm >= INT64_C(1) << 20)
		return false;
	uint64_t u = (uint64_t)imm & ((UINT64_C(1) << 21) - 1);
	*insn &= ~(UINT64_C(0xfffff) << 13 | UINT64_C(1) << 36);
	*insn |= (u & 0xfffff) << 13 | (u >> 20) << 36;
	return true;
}
