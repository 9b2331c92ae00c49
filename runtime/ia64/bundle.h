/* bundle.h: IA-64 instruction bundles as a patcher sees them: 128 bits, little-endian, a
 * 5-bit template naming the unit of each of three 41-bit slots (and the stops), and the
 * IP-relative branch whose 21-bit displacement counts bundles. */
#ifndef PVOPSC_IA64_BUNDLE_H
#define PVOPSC_IA64_BUNDLE_H

#include <stdbool.h>
#include <stdint.h>

#define BUNDLE_BYTES 16
#define SLOT_MASK ((UINT64_C(1) << 41) - 1)

/* The nops a patcher writes: M and I units share an encoding, B has its own. */
#define NOP_MI (UINT64_C(1) << 27)
#define NOP_B (UINT64_C(2) << 37)

struct bundle {
	unsigned tmpl;    /* 0-31 */
	uint64_t slot[3]; /* 41 bits each */
};

void bundle_get(const unsigned char *p, struct bundle *b);
void bundle_put(unsigned char *p, const struct bundle *b);
/* The unit of slot i under template t: 'M', 'I', 'B', 'F', 'L' (the long immediate of an MLX)
 * or 'X'; 0 for a reserved template. */
char bundle_unit(unsigned tmpl, int i);
/* A bundle of three nops, no stops ({ .mii nop.m 0; nop.i 0; nop.i 0 }). */
void bundle_nops(unsigned char *p);
/* Is slot i of b a nop of its unit? */
bool slot_is_nop(const struct bundle *b, int i);

/* An IP-relative branch (B1/B3: br.cond, br.call and their kin): its target relative to the
 * address of the bundle holding it. */
bool branch_is_iprel(const struct bundle *b, int i);
int64_t branch_disp(uint64_t insn);
/* Re-aim: false when the displacement does not fit 21 bits of bundles (+-16 MiB). */
bool branch_set_disp(uint64_t *insn, int64_t disp);

#endif
