/* The reference x86 patcher: the job a kernel's boot code does with .parainstructions. For
 * every site record it asks a backend what belongs there and rewrites the site:
 *   - the backend's inline sequence when it has one that fits (relocated, NOP-padded);
 *   - else a direct call rel32 (jmp rel32 for a jump op) to the backend's implementation,
 *     when the site lets a call change what the op's implementation may change;
 *   - NOPs when the implementation is paravirt_nop (a no-op);
 *   - otherwise the site is left as it is, and the result says why.
 * Identity ops are inline sequences in the spec (a register move, or nothing on i386).
 * A policy (PV_POLICY_*, a byte per patch type: the backend's from the spec, or a table a
 * hypervisor hands over at boot) may ask per type for a call instead of the sequence, for the
 * indirect call to stay, or for NOPs (only for ops that return nothing). */
#ifndef RT_X86_PATCH_H
#define RT_X86_PATCH_H

#include <stddef.h>

#include "pv.h"

/* The records of the running binary, bounded by runtime/x86/parainstructions.ld. */
extern struct paravirt_patch_site __parainstructions[], __parainstructions_end[];

enum pv_how {
	PV_INLINE,	/* the backend's sequence, then NOPs */
	PV_NOPS,	/* all NOPs: the op does nothing */
	PV_CALL,	/* call rel32 to the implementation, then NOPs */
	PV_JMP,		/* jmp rel32 to the implementation, then NOPs */
	PV_KEEP,	/* left as it is: still the indirect call through the table */
	PV_NHOW
};

struct pv_result {
	enum pv_how how;
	unsigned char used;	/* bytes of code before the NOP padding */
	const char *why;
};

/* A backend, its inline sequences indexed by patch type, and the policy it patches by. */
struct pv_patcher {
	const struct paravirt_backend *be;
	const struct paravirt_insn *insn[PARAVIRT_PATCH_COUNT];
	const unsigned char *policy;	/* [PARAVIRT_PATCH_COUNT] PV_POLICY_*; NULL: all default */
};

RT_HOST void pv_patcher_init(struct pv_patcher *p, const struct paravirt_backend *be);

/* Fill buf[0..len) with what belongs at a site of `type` whose record allows `clobbers`,
 * located at addr (relative fields are computed for addr). On PV_KEEP buf is untouched. */
RT_HOST struct pv_result pv_patch_site(const struct pv_patcher *p, unsigned type, unsigned clobbers,
				       unsigned char *buf, unsigned long addr, unsigned len);

/* A backend's pv_init_ops.patch: patch one site into buf as pv_patch_site does. Returns the
 * bytes of code (NOPs follow), or len when the site is to stay as it is (buf untouched). */
RT_HOST unsigned pv_patch_op(const struct paravirt_backend *be, u8 type, u16 clobbers, void *buf,
			     unsigned long addr, unsigned len);

/* A backend's inline sequence for a patch type, or NULL. */
RT_HOST const struct paravirt_insn *pv_insn(const struct paravirt_backend *be, unsigned type);

/* The implementation a backend's tables give for a patch type (NULL: none, or no such type). */
RT_HOST void *pv_impl(const struct paravirt_backend *be, unsigned type);

/* Make a backend the running one: copy its tables into the global ones the wrappers use. */
RT_HOST void pv_activate(const struct paravirt_backend *be);

/* Fill buf with n bytes of NOPs, as few as possible (the longest are 11 bytes). */
RT_HOST void pv_fill_nops(unsigned char *buf, unsigned n);

typedef RT_HOST void pv_report_fn(const struct paravirt_patch_site *site, const struct pv_result *r,
				  void *ctx);

struct pv_apply {
	/* the text being patched: every site must lie inside [text, text_end); NULL: the
	 * program's text as the linker bounds it (__executable_start to etext) */
	const void *text, *text_end;
	unsigned char *save;	/* if set: receives every site's original bytes, in record order */
	pv_report_fn *report;	/* if set: called for every site */
	void *ctx;
	const unsigned char *policy;	/* if set: this policy instead of the backend's */
	unsigned count[PV_NHOW];	/* out: sites by outcome */
};

/* Patch every site of [begin, end) for backend be; the text is writable only meanwhile, and
 * read-execute again on every path. Nothing is written, and -1 returned with errno EINVAL,
 * when two sites overlap or one is not inside the text (a->text, a->text_end); -1 with errno
 * also when the text could not be made writable (then it is put back first). */
RT_HOST int pv_apply(const struct paravirt_backend *be, struct paravirt_patch_site *begin,
		     struct paravirt_patch_site *end, struct pv_apply *a);

/* Put back the bytes pv_apply saved, exactly (sites never overlap: pv_apply refuses it, and
 * so does this, with EINVAL). */
RT_HOST int pv_restore(struct paravirt_patch_site *begin, struct paravirt_patch_site *end,
		       const unsigned char *save);

/* Bytes all the sites of [begin, end) cover (the size of pv_apply's save buffer). */
RT_HOST size_t pv_site_bytes(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end);

/* Make the text holding [begin, end) writable (and executable) or back to read-execute. The
 * span reaches PV_TEXT_SLACK bytes past the last site, for code that brackets a site. */
#define PV_TEXT_SLACK 16
RT_HOST int pv_text_writable(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end,
			     int writable);

/* 0 when no two sites of [begin, end) overlap and each lies inside [text, text_end) (a NULL
 * text_end: no bound); else -1 with errno EINVAL, *bad (if given) the first bad record. */
RT_HOST int pv_check_sites(const struct paravirt_patch_site *begin, const struct paravirt_patch_site *end,
			   const void *text, const void *text_end, const struct paravirt_patch_site **bad);

RT_HOST const char *pv_how_name(enum pv_how how);

#endif
