/* Canaries around pv sites. Arming writes `call cx_enter` over the first bytes of every site;
 * when the code reaches a site, cx_enter keeps the registers the compiled code had, loads a
 * distinct canary into every register the site's convention protects (argument registers
 * keep their values: they are the call's inputs), runs the site's own bytes in place and
 * catches it at its end (a `call cx_exit` written there meanwhile). There every register the
 * site's clobber mask does not name must hold what it was given, and the stack pointer must
 * be where it was; then the compiled code's values come back and it runs on. So the bytes
 * checked are the generated wrapper's own site, unpatched or patched, as the compiler left
 * the code around it. */
#ifndef CANARY_H
#define CANARY_H

#include "patch.h"

/* A site shorter than an indirect call holds a sequence that may run without a stack (a .S
 * macro's `sequence`): the harness, which needs one, leaves it alone. */
#define CX_MIN_SITE 6

struct cx_site {
	const struct paravirt_patch_site *rec;
	unsigned hits;		/* runs caught since cx_arm */
	unsigned broken;	/* bit r: register r (hardware number) was changed */
	long sp_moved;		/* bytes the site moved the stack pointer by (up: positive) */
	unsigned char start[5], end[5];	/* the bytes the harness's calls replace */
};

extern struct cx_site *cx_sites;
extern unsigned cx_nsites;

int cx_init(struct paravirt_patch_site *begin, struct paravirt_patch_site *end);
int cx_arm(void);
int cx_disarm(void);
/* "rcx r8" for a mask of broken registers (a static buffer) */
const char *cx_reg_names(unsigned mask);
/* Hardware number of a register by name, -1 if none. */
int cx_reg(const char *name);

#endif
