/* Probes: each runs one op through its generated wrapper (or an asm macro's site) and says
 * what happened: a digest of the results and effects, to compare unpatched with patched, and
 * the first expectation that failed. Probes are kernel code (probes.k.c); the driver is not. */
#ifndef PROBE_H
#define PROBE_H

#include "kernel.h"

struct paravirt_backend;

struct probe_ctx {
	int xen;	/* a Xen backend is the running one */
	int kvm;	/* the KVM backend is */
	const struct paravirt_backend *be;	/* the running backend */
	u64 digest;
	const char *bad;
};

typedef RT_HOST void probe_fn(struct probe_ctx *c);

/* What a probe's op needs, for some implementations, that user mode does not have */
#define NEEDS_RING0 1	/* native's implementation needs ring 0: run only other backends' */

struct probe_def {
	probe_fn *run;
	unsigned needs;		/* NEEDS_* */
};

struct probe {
	const char *op;		/* the op, as paravirt_ops[] names it */
	const char *what;	/* a site that is not the op's wrapper (an asm macro), or NULL */
	const struct probe_def *def;	/* NULL: none (a jump op never returns): only its sites exist */
};

extern const struct probe probes[];
extern const unsigned nprobes;

/* A site op's site length, from the generated __PV_OP_<op>(m) */
#define SITE_LEN(slot, type, len, pad) (len)

#endif
