/* The reference x86 patcher (see patch.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "patch.h"

/* Where an op table's slots are: its first patch type, its number of slots, its backend
 * member (the generated X-macro lists the tables in patch-type order). */
static const struct {
	unsigned first, n;
	size_t member;
} tables[] = {
#define PV_TABLE(t) { offsetof(struct paravirt_patch_template, t) / sizeof(void *), \
		      sizeof(struct t) / sizeof(void *), offsetof(struct paravirt_backend, t) },
	PARAVIRT_OP_TABLES(PV_TABLE)
};

void pv_activate(const struct paravirt_backend *be)
{
#define PV_COPY(t) t = *be->t;
	PARAVIRT_TABLES(PV_COPY)
}

void *pv_impl(const struct paravirt_backend *be, unsigned type)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (type - tables[i].first < tables[i].n) {
			const char *table = *(const char *const *)((const char *)be + tables[i].member);
			void *fn;

			/* a slot is a function pointer, or a paravirt_callee_save holding one */
			memcpy(&fn, table + (type - tables[i].first) * sizeof(void *), sizeof(fn));
			return fn;
		}
	}
	return NULL;
}

const struct paravirt_insn *pv_insn(const struct paravirt_backend *be, unsigned type)
{
	for (unsigned i = 0; i < be->ninsns; i++)
		if (be->insns[i].type == type)
			return &be->insns[i];
	return NULL;
}

void pv_patcher_init(struct pv_patcher *p, const struct paravirt_backend *be)
{
	memset(p, 0, sizeof(*p));
	p->be = be;
	p->policy = be->policy;
	for (unsigned i = 0; i < be->ninsns; i++)
		if (be->insns[i].type < PARAVIRT_PATCH_COUNT)
			p->insn[be->insns[i].type] = &be->insns[i];
}

/* The recommended NOPs of 1 to 11 bytes, end to end: the one of n bytes starts at n(n-1)/2.
 * 0f 1f (nopl) exists on every 64-bit CPU and every P6 or later; the 66 and 2e prefixes only
 * lengthen it (what gas and AMD's guides use up to 11 bytes). */
static const unsigned char nops[] = {
	0x90,
	0x66, 0x90,
	0x0f, 0x1f, 0x00,
	0x0f, 0x1f, 0x40, 0x00,
	0x0f, 0x1f, 0x44, 0x00, 0x00,
	0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00,
	0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00,
};
#define NOP_MAX 11
_Static_assert(sizeof(nops) == NOP_MAX * (NOP_MAX + 1) / 2, "one NOP of each length");

void pv_fill_nops(unsigned char *buf, unsigned n)
{
	while (n) {
		unsigned k = n < NOP_MAX ? n : NOP_MAX;

		memcpy(buf, nops + k * (k - 1) / 2, k);
		buf += k;
		n -= k;
	}
}

/* *v = d, the value of a 32-bit relative field, if the field can hold it. i386 addresses wrap
 * at 4 GiB, so any d reaches there; x86_64 reaches +-2 GiB. */
static int rel32(long long d, int32_t *v)
{
	if (sizeof(void *) == 8 && d != (int32_t)d)
		return 0;
	*v = (int32_t)(uint32_t)d;
	return 1;
}

/* Copy a sequence for a site at addr: a relocated field comes from the linked body at src,
 * and a pc-relative one moves by (src - addr) to keep its target. */
static int put_insn(const struct paravirt_insn *in, unsigned char *code, unsigned long addr)
{
	if (in->len)
		memcpy(code, in->bytes, in->len);
	for (unsigned i = 0; i < in->nrelocs; i++) {
		const struct paravirt_reloc *rel = &in->relocs[i];
		int32_t v;

		memcpy(&v, (const unsigned char *)in->src + rel->off, sizeof(v));
		if (rel->pcrel && !rel32((long long)v + (long long)(uintptr_t)in->src - (long long)addr, &v))
			return 0;
		memcpy(code + rel->off, &v, sizeof(v));
	}
	return 1;
}

static struct pv_result keep(const char *why)
{
	return (struct pv_result){ PV_KEEP, 0, why };
}

struct pv_result pv_patch_site(const struct pv_patcher *p, unsigned type, unsigned clobbers,
			       unsigned char *buf, unsigned long addr, unsigned len)
{
	unsigned char code[256];	/* a record's length is a byte */
	const struct paravirt_op_info *op;
	const struct paravirt_insn *in;
	struct pv_result r;
	unsigned policy;
	int32_t v;
	void *fn;

	if (type >= PARAVIRT_PATCH_COUNT)
		return keep("no op has this patch type");
	op = &paravirt_ops[type];
	if (op->kind == PV_KIND_CALL)
		return keep("the op is a plain call: it has no patch sites");
	in = p->insn[type];
	fn = pv_impl(p->be, type);
	policy = p->policy ? p->policy[type] : PV_POLICY_DEFAULT;
	/* a site shorter than an indirect call holds a sequence (a .S macro's, where there may be
	 * no stack): there is no call to leave or make, only a sequence or NOPs to put */
	if (len < 6 && (policy == PV_POLICY_CALL || policy == PV_POLICY_INDIRECT))
		policy = PV_POLICY_DEFAULT;
	if (policy == PV_POLICY_INDIRECT)
		return keep("the policy leaves the indirect call");
	if (policy == PV_POLICY_NOPS && (op->returns || op->kind == PV_KIND_JUMP))
		return keep("the policy asks for NOPs, but the op returns");
	if (policy == PV_POLICY_NOPS) {
		r = (struct pv_result){ PV_NOPS, 0, "the policy makes it NOPs" };
	} else if (policy != PV_POLICY_CALL && (fn == (void *)paravirt_nop || (in && in->src == (const void *)paravirt_nop))) {
		r = (struct pv_result){ PV_NOPS, 0, "the op does nothing" };
	} else if (policy != PV_POLICY_CALL && in && in->len <= len && put_insn(in, code, addr)) {
		r = (struct pv_result){ PV_INLINE, in->len,
					in->len ? "the backend's sequence fits" : "the backend's sequence is empty" };
	} else if (!fn) {
		return keep(in && in->len > len ? "the sequence does not fit the site, and the backend has no implementation"
					       : "the backend has no implementation");
	} else if (len < 5) {
		return keep(in && in->len > len && policy != PV_POLICY_CALL
				    ? "the sequence does not fit the site, nor does a call (5 bytes)"
				    : "the site is shorter than a call");
	} else if (op->kind != PV_KIND_JUMP && (op->clobbers & ~clobbers)) {
		/* a .S site that saves less than a call may change, as Linux leaves it */
		return keep("a call may change registers this site keeps");
	} else if (!rel32((long long)(uintptr_t)fn - (long long)(addr + 5), &v)) {
		return keep("the implementation is out of rel32 reach");
	} else {
		code[0] = op->kind == PV_KIND_JUMP ? 0xe9 : 0xe8;
		memcpy(code + 1, &v, sizeof(v));
		r = (struct pv_result){ op->kind == PV_KIND_JUMP ? PV_JMP : PV_CALL, 5,
					!in ? "no inline sequence" :
					policy == PV_POLICY_CALL ? "the policy asks for a call" :
					in->len > len ? "the sequence does not fit the site" :
					"a relocated field of the sequence would not reach" };
	}
	pv_fill_nops(code + r.used, len - r.used);
	memcpy(buf, code, len);
	return r;
}

unsigned pv_patch_op(const struct paravirt_backend *be, u8 type, u16 clobbers, void *buf,
		     unsigned long addr, unsigned len)
{
	struct pv_patcher p;
	struct pv_result r;

	pv_patcher_init(&p, be);
	r = pv_patch_site(&p, type, clobbers, buf, addr, len);
	return r.how == PV_KEEP ? len : r.used;
}

/* The pages holding [begin, end)'s sites (and PV_TEXT_SLACK bytes past the last one), up to
 * the end of text_end's page when it is given. */
static int text_span(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end,
		     const void *text_end, uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	*lo = UINTPTR_MAX;
	*hi = 0;
	for (const struct paravirt_patch_site *s = begin; s < end; s++) {
		if ((uintptr_t)s->instr < *lo)
			*lo = (uintptr_t)s->instr;
		if ((uintptr_t)s->instr + s->len > *hi)
			*hi = (uintptr_t)s->instr + s->len;
	}
	if (*lo > *hi)
		return 0;
	*lo &= ~(page - 1);
	*hi = (*hi + PV_TEXT_SLACK + page - 1) & ~(page - 1);
	if (text_end && *hi > (((uintptr_t)text_end + page - 1) & ~(page - 1)))
		*hi = ((uintptr_t)text_end + page - 1) & ~(page - 1);
	return 1;
}

/* Writable, or back to read-execute. When making it writable fails part-way (a hole in the
 * span), what was changed is put back before the error is returned. */
static int protect(uintptr_t lo, uintptr_t hi, int writable)
{
	int err;

	if (!mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC | (writable ? PROT_WRITE : 0)))
		return 0;
	err = errno;
	mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC);
	errno = err;
	return -1;
}

int pv_text_writable(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end,
		     int writable)
{
	uintptr_t lo, hi;

	/* still executable while writable: the patcher may share a page with the sites */
	return text_span(begin, end, NULL, &lo, &hi) ? protect(lo, hi, writable) : 0;
}

/* Sites sorted by address (as a linker emits them) are checked against the furthest end so
 * far; others pairwise. A site of no bytes overlaps nothing. */
int pv_check_sites(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end,
		   const void *text, const void *text_end, const struct paravirt_patch_site **bad)
{
	uintptr_t reach = 0;
	int sorted = 1;

	for (const struct paravirt_patch_site *s = begin; s < end; s++) {
		uintptr_t a = (uintptr_t)s->instr, b = a + s->len;
		if (b < a || (text_end && (a < (uintptr_t)text || b > (uintptr_t)text_end)))
			goto refuse;
		if (s > begin && a < (uintptr_t)s[-1].instr)
			sorted = 0;
		if (sorted && s->len && a < reach)
			goto refuse;
		if (s->len && b > reach)
			reach = b;
		continue;
refuse:
		if (bad)
			*bad = s;
		errno = EINVAL;
		return -1;
	}
	for (const struct paravirt_patch_site *s = begin; !sorted && s < end; s++)
		for (const struct paravirt_patch_site *t = begin; t < s; t++)
			if (s->len && t->len && (uintptr_t)s->instr < (uintptr_t)t->instr + t->len &&
			    (uintptr_t)t->instr < (uintptr_t)s->instr + s->len) {
				if (bad)
					*bad = s;
				errno = EINVAL;
				return -1;
			}
	return 0;
}

/* The program's text, as GNU ld's default script bounds it (weak: a kernel's script may not). */
extern const char __executable_start[] __attribute__((weak)), etext[] __attribute__((weak));

int pv_apply(const struct paravirt_backend *be, struct paravirt_patch_site *begin,
	     struct paravirt_patch_site *end, struct pv_apply *a)
{
	unsigned char *save = a ? a->save : NULL;
	const void *text = a && a->text_end ? a->text : __executable_start;
	const void *text_end = a && a->text_end ? a->text_end : etext;
	struct pv_patcher p;
	uintptr_t lo, hi;
	int err;

	if (pv_check_sites(begin, end, text, text_end, NULL))
		return -1;
	pv_patcher_init(&p, be);
	if (a && a->policy)
		p.policy = a->policy;
	if (!text_span(begin, end, text_end, &lo, &hi))
		return 0;
	if (protect(lo, hi, 1))
		return -1;
	for (struct paravirt_patch_site *s = begin; s < end; s++) {
		struct pv_result r;

		if (save) {
			memcpy(save, s->instr, s->len);
			save += s->len;
		}
		r = pv_patch_site(&p, s->instrtype, s->clobbers, s->instr, (unsigned long)s->instr, s->len);
		if (a) {
			a->count[r.how]++;
			if (a->report)
				a->report(s, &r, a->ctx);
		}
	}
	if (!protect(lo, hi, 0))
		return 0;
	err = errno;
	protect(lo, hi, 0); /* once more: never leave it writable */
	errno = err;
	return -1;
}

int pv_restore(struct paravirt_patch_site *begin, struct paravirt_patch_site *end, const unsigned char *save)
{
	uintptr_t lo, hi;

	if (pv_check_sites(begin, end, NULL, NULL, NULL))
		return -1;
	if (!text_span(begin, end, NULL, &lo, &hi))
		return 0;
	if (protect(lo, hi, 1))
		return -1;
	for (struct paravirt_patch_site *s = begin; s < end; s++) {
		memcpy(s->instr, save, s->len);
		save += s->len;
	}
	return protect(lo, hi, 0);
}

size_t pv_site_bytes(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end)
{
	size_t n = 0;

	for (const struct paravirt_patch_site *s = begin; s < end; s++)
		n += s->len;
	return n;
}

const char *pv_how_name(enum pv_how how)
{
	static const char *const names[PV_NHOW] = { "inlined", "nops", "call", "jmp", "kept" };

	return how < PV_NHOW ? names[how] : "?";
}
