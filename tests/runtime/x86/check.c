/* The x86 runtime test program, built per arch from the generated headers:
 *   check native|xen|kvm     every probe (one per op) through its wrapper, unpatched, then
 *                              patched by the reference patcher, each time plain and with
 *                              canaries around every site; then every site's bytes
 *   check policies             the KVM backend patched by its own policy and by another handed
 *                              over at run time: sites differ, results and canaries do not
 *   check patcher              the patcher's decisions on made-up sites, its NOPs, and
 *                              patching and restoring this binary
 *   check clobbers             implementations that break the callee-save convention are caught
 * It prints `ok - ...` / `not ok - ...` and, for the script that runs it, `site ...` and
 * `nops ...` lines of bytes to compare with gas and objdump. */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canary.h"
#include "host.h"
#include "kvm_hv.h"
#include "probe.h"
#include "records.h"
#include "xen.h"

#ifdef __x86_64__
static const char arch[] = "x86_64";
#else
static const char arch[] = "i386";
#endif
static const char *mode;
static int failures;

#define SITES __parainstructions, __parainstructions_end
#define NSITES ((unsigned)(__parainstructions_end - __parainstructions))

static void result(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%s - %s %s: ", pass ? "ok" : "not ok", arch, mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !pass;
}

static void die(const char *what)
{
	result(0, "%s failed", what);
	exit(1);
}

static int type_of(const char *op)
{
	for (int t = 0; t < PARAVIRT_PATCH_COUNT; t++)
		if (paravirt_ops[t].name && !strcmp(paravirt_ops[t].name, op))
			return t;
	return -1;
}

/* Whether user mode can run p's op under be (t: the op's type): its probe says what the op
 * needs that user mode lacks, for native's implementation or a backend's own. Probes that do
 * not run have their sites' bytes checked. */
static int runs_here(const struct probe *p, const struct paravirt_backend *be, unsigned t)
{
	int natives = pv_impl(be, t) == pv_impl(&native_backend, t);

	return !(p->def->needs & NEEDS_RING0) || !natives;
}

/* Some probe runs op: at its wrapper, or at an asm macro's site. */
static int probed(const char *op)
{
	for (unsigned i = 0; i < nprobes; i++)
		if (probes[i].def && !strcmp(probes[i].op, op))
			return 1;
	return 0;
}

/* The ops expected to have no probe (PV_UNPROBED, comma-separated: a spec's new op before its
 * probe is written); any other op without one is a failure. */
static int expected_unprobed(const char *op)
{
	const char *list = getenv("PV_UNPROBED");
	size_t n = strlen(op);

	for (const char *s = list; s && *s; s += strcspn(s, ","), s += *s == ',')
		if (strncmp(s, op, n) == 0 && (s[n] == ',' || !s[n]))
			return 1;
	return 0;
}

/* ---- running probes ---- */

struct run {
	u64 digest;
	const char *bad;	/* the probe's failed expectation */
	unsigned hits;		/* site runs the canaries watched */
	char broken[160];	/* which site changed which registers */
};

/* The backends the driver boots: native; Xen on a hypervisor that refuses vcpu_info placement
 * (the C irq ops on shared_info's vcpu_info); Xen where placement succeeds (the direct irq
 * sequences on the per-cpu vcpu_info); KVM. */
enum hv { HV_NATIVE, HV_XEN, HV_XEN_PLACED, HV_KVM };

/* A fresh start for a probe: an empty boot log, a fresh Xen domain (the guest's event
 * handler registered and vcpu_info placed or not, as at boot) and KVM guest (its clock
 * registered, as at boot), nothing counted. Returns the backend the boot chose. */
static const struct paravirt_backend *prep(enum hv hv)
{
	const struct paravirt_backend *be = &native_backend;

	rt_log_clear();
	xen_hv_reset(hv == HV_XEN_PLACED);
	kvm_hv_reset();
	if (hv == HV_XEN || hv == HV_XEN_PLACED) {
		xen_arch_setup();
		be = xen_setup_vcpu_info_placement();
	}
	if (hv == HV_KVM) {
		if (kvm_guest_init())
			die("registering the KVM clock");
		be = &kvm_backend;
	}
	xen_hv_zero_counts();
	kvm_hv_zero_counts();
	return be;
}

/* The bytes of frame the backend's sequence for an op takes off its site's stack (Xen's
 * exception frame adjustment): where a site leaves the stack pointer, out of line or inline. */
static long stack_taken(const struct paravirt_backend *be, unsigned type)
{
	const struct paravirt_insn *in = pv_insn(be, type);

	return in ? in->stack : 0;
}

static struct run run_probe(const struct probe *p, enum hv hv, int canaries)
{
	struct probe_ctx c = { hv == HV_XEN || hv == HV_XEN_PLACED, hv == HV_KVM, NULL, 0xcbf29ce484222325ULL, NULL };
	struct run r = { 0 };
	int t = type_of(p->op);

	c.be = prep(hv);
	if (canaries && cx_arm())
		die("making the text writable for the canaries");
	p->def->run(&c);
	/* an op KVM leaves to native never exits to KVM */
	if (hv == HV_KVM && t >= 0 && pv_impl(&kvm_backend, (unsigned)t) == pv_impl(&native_backend, (unsigned)t) &&
	    (kvm_hv.hypercalls || kvm_hv.msr_writes) && !c.bad)
		c.bad = "an op KVM leaves to native made a vmcall or an MSR write";
	if (canaries) {
		if (cx_disarm())
			die("making the text read-only again");
		for (unsigned i = 0; i < cx_nsites; i++) {
			const struct cx_site *s = &cx_sites[i];

			long taken = s->hits ? stack_taken(c.be, s->rec->instrtype) : 0;

			r.hits += s->hits;
			if ((s->broken || s->sp_moved != taken) && !r.broken[0])
				snprintf(r.broken, sizeof(r.broken), "its %s site at %p changed %s%s",
					 paravirt_ops[s->rec->instrtype].name, (void *)s->rec->instr,
					 cx_reg_names(s->broken), s->sp_moved != taken ? " and the stack pointer" : "");
		}
	}
	r.digest = c.digest;
	r.bad = c.bad;
	return r;
}

/* What went wrong across a probe's four runs ([patched][canaries]), or NULL. */
static const char *judge(const struct run r[2][2], int site_op)
{
	static char why[256];
	static const char *const run_name[2][2] = { { "unpatched", "unpatched, with canaries" },
						    { "patched", "patched, with canaries" } };

	for (int p = 0; p < 2; p++) {
		if (r[p][1].broken[0]) {	/* first: it explains a wrong result with canaries */
			snprintf(why, sizeof(why), "%s: %s", run_name[p][1], r[p][1].broken);
			return why;
		}
		for (int k = 0; k < 2; k++) {
			if (r[p][k].bad) {
				snprintf(why, sizeof(why), "%s: %s", run_name[p][k], r[p][k].bad);
				return why;
			}
		}
		if (site_op && !r[p][1].hits) {
			snprintf(why, sizeof(why), "%s: no site ran", run_name[p][1]);
			return why;
		}
		if (r[p][0].digest != r[p][1].digest) {
			snprintf(why, sizeof(why), "%s: a different result with canaries", run_name[p][0]);
			return why;
		}
	}
	return r[0][0].digest != r[1][0].digest ? "the patched result differs from the unpatched" : NULL;
}

/* ---- checking patched sites ---- */

/* The table slot the original site called through: after any pushes a .S macro saves
 * registers with, call or jmp *slot (x86_64: slot(%rip); i386: absolute, maybe %cs:). */
static void *const *slot_of(const unsigned char *p, const unsigned char *at, unsigned len)
{
	unsigned i = 0;
	int32_t d;

	while (i < len && ((p[i] >= 0x50 && p[i] <= 0x57) ||
			   (p[i] == 0x41 && i + 1 < len && p[i + 1] >= 0x50 && p[i + 1] <= 0x57)))
		i += p[i] == 0x41 ? 2 : 1;
	if (i < len && p[i] == 0x2e)	/* %cs: */
		i++;
	if (i + 6 > len || p[i] != 0xff || (p[i + 1] != 0x15 && p[i + 1] != 0x25))
		return NULL;
	memcpy(&d, p + i + 2, sizeof(d));
#ifdef __x86_64__
	return (void *const *)(at + i + 6 + d);
#else
	(void)at;
	return (void *const *)(uintptr_t)(u32)d;
#endif
}

static const char *check_site(const struct paravirt_backend *be, const struct paravirt_patch_site *s,
			      const struct pv_result *r, const unsigned char *orig)
{
	const struct paravirt_op_info *op = &paravirt_ops[s->instrtype];
	const struct paravirt_insn *in = pv_insn(be, s->instrtype);
	void *const *slot;
	int32_t rel;
	void *target;

	switch (r->how) {
	case PV_CALL:
	case PV_JMP:
		if ((r->how == PV_JMP) != (op->kind == PV_KIND_JUMP))
			return "a jump op must become a jmp, any other a call";
		if (s->instr[0] != (r->how == PV_JMP ? 0xe9 : 0xe8))
			return "no call or jmp rel32 at the site";
		memcpy(&rel, s->instr + 1, sizeof(rel));
		target = s->instr + 5 + rel;
		slot = slot_of(orig, s->instr, s->len);
		if (!slot)
			return "the original site has no indirect call";
		if (target != *slot)
			return "the direct call does not go where the indirect call went";
		if (target != pv_impl(be, s->instrtype))
			return "the direct call does not reach the backend's implementation";
		return NULL;
	case PV_INLINE:
		if (!in || in->len != r->used)
			return "the inlined code is not the backend's sequence";
		for (unsigned i = 0; i < in->len; i++) {
			int in_reloc = 0;

			for (unsigned k = 0; k < in->nrelocs; k++)
				in_reloc |= i >= in->relocs[k].off && i < in->relocs[k].off + 4u;
			if (!in_reloc && s->instr[i] != in->bytes[i])
				return "the inlined bytes differ from the backend's sequence";
		}
		for (unsigned k = 0; k < in->nrelocs; k++) {
			int32_t here, there;

			memcpy(&here, s->instr + in->relocs[k].off, 4);
			memcpy(&there, (const unsigned char *)in->src + in->relocs[k].off, 4);
			if (in->relocs[k].pcrel ? (intptr_t)s->instr + here != (intptr_t)in->src + there : here != there)
				return "a relocated field does not reach what the sequence's body reaches";
		}
		return NULL;
	case PV_NOPS:
		return r->used ? "a NOP'd site with code" : NULL;
	case PV_KEEP:
		return memcmp(s->instr, orig, s->len) ? "a site left as is has changed" : NULL;
	default:
		return "no such outcome";
	}
}

static void on_site(const struct paravirt_patch_site *s, const struct pv_result *r, void *ctx)
{
	((struct pv_result *)ctx)[s - __parainstructions] = *r;
}

extern char m_get_cr0[];

/* A policy handed to the patcher at run time (check policies), and what came of it. */
static const unsigned char *run_policy;
static enum pv_how *site_how;	/* [NSITES]: each site's outcome, if set */
static u64 *probe_digest;	/* [nprobes]: each probe's patched result, if set */

/* Patch with the backend; check and print every site. Returns the original bytes. */
static unsigned char *patch_and_check(const struct paravirt_backend *be)
{
	struct pv_result *res = calloc(NSITES, sizeof(*res));
	unsigned char *orig = malloc(pv_site_bytes(SITES)), *o;
	struct pv_apply a = { .save = orig, .report = on_site, .ctx = res, .policy = run_policy };
	unsigned bad = 0, kept_ok = 0, kept = 0, want_kept;
	int ruled = run_policy != NULL;	/* a policy may leave more sites as they are */

	for (unsigned t = 0; be->policy && t < PARAVIRT_PATCH_COUNT; t++)
		ruled |= be->policy[t] != PV_POLICY_DEFAULT;
	if (!res || !orig)
		die("allocation");
	if (pv_apply(be, SITES, &a))
		die("pv_apply");
	o = orig;
	for (unsigned i = 0; i < NSITES; i++) {
		const struct paravirt_patch_site *s = &__parainstructions[i];
		const char *why = check_site(be, s, &res[i], o);

		if (why) {
			result(0, "the %s site at %p (%s, %s): %s", paravirt_ops[s->instrtype].name, (void *)s->instr,
			       pv_how_name(res[i].how), res[i].why, why);
			bad++;
		}
		if (res[i].how == PV_KEEP) {
			kept++;
			/* GET_CR0 keeps all but the return register; the .S irq sites keep every
			 * register, so a C function's thunk may not go there either */
			kept_ok += (char *)s->instr == m_get_cr0 ||
				   (!pv_insn(be, s->instrtype) && s->clobbers == CLBR_NONE &&
				    (s->instrtype == PARAVIRT_PATCH_pv_irq_ops_irq_disable ||
				     s->instrtype == PARAVIRT_PATCH_pv_irq_ops_irq_enable));
		}
		if (site_how)
			site_how[i] = res[i].how;
		if (ruled)
			printf("report %s %s: %s\n", paravirt_ops[s->instrtype].name, pv_how_name(res[i].how), res[i].why);
		printf("site %s %s %u %u ", paravirt_ops[s->instrtype].name, pv_how_name(res[i].how), res[i].used, s->len);
		for (unsigned k = 0; k < s->len; k++)
			printf("%02x", s->instr[k]);
		putchar('\n');
		o += s->len;
	}
	result(!bad, "%u sites patched: %u inlined, %u NOPs, %u calls, %u jumps, %u kept; calls and jumps go where "
		     "the indirect calls went, inlined bytes are the backend's, relocated", NSITES, a.count[PV_INLINE],
	       a.count[PV_NOPS], a.count[PV_CALL], a.count[PV_JMP], a.count[PV_KEEP]);
	want_kept = pv_insn(be, PARAVIRT_PATCH_pv_irq_ops_irq_disable) ? 1 : 3;
	if (!ruled)
		result(kept == want_kept && kept_ok == kept,
		       "the sites left as they are save less than a call may change: GET_CR0_INTO_%s's%s; %u kept",
		       sizeof(long) == 8 ? "RAX" : "EAX",
		       want_kept == 3 ? ", and DISABLE_ and ENABLE_INTERRUPTS(CLBR_NONE) with no inline sequence" : "", kept);
	free(res);
	return orig;
}

/* The ops a hypervisor's backend does not override have native's implementation in its
 * tables (its initializer says "from native"); their probes, run under it, expect what native
 * does. */
static void check_fallbacks(const struct paravirt_backend *be, const char *who, const int *passed)
{
	unsigned ops = 0, ran = 0;

	for (unsigned t = 0; t < PARAVIRT_PATCH_COUNT; t++) {
		void *fn = pv_impl(be, t);

		if (!fn || fn == (void *)paravirt_nop || fn != pv_impl(&native_backend, t))
			continue;
		ops++;
		for (unsigned i = 0; i < nprobes; i++)
			ran += passed[i] && !probes[i].what && !strcmp(probes[i].op, paravirt_ops[t].name);
	}
	result(ops > 0 && ran > 0, "%u ops %s does not override reach native's implementations; the %u of them "
				   "user mode can run did what native does", ops, who, ran);
}

/* Where cpu 0's vcpu_info is after the boot, and which backend the boot chose (also for a
 * domain of one vcpu). */
static void check_placement(enum hv hv, const struct paravirt_backend *be)
{
	if (hv == HV_XEN_PLACED) {
		result(be == &xen_vcpu_info_placement_backend && xen_hv.vcpu[0] == &per_cpu(xen_vcpu_info, 0) &&
			       xen_hv.vcpu[0] != &xen_vcpu_info && xen_hv.vcpu[1] == &per_cpu(xen_vcpu_info, 1),
		       "vcpu_info placement succeeded: each cpu's vcpu_info is its per-cpu copy, and the setup "
		       "chose the direct irq sequences");
		/* a domain of one vcpu (as the boot under Xen has): cpu 1 does not exist, so it is not
		 * placed and does not stop cpu 0's placement */
		xen_hv_reset(1);
		xen_hv.nr_vcpus = 1;
		xen_arch_setup();
		result(xen_setup_vcpu_info_placement() == &xen_vcpu_info_placement_backend &&
			       xen_hv.vcpu[0] == &per_cpu(xen_vcpu_info, 0) &&
			       xen_hv.vcpu[1] == &xen_shared_info.vcpu_info[1],
		       "vcpu_info placement in a domain of one vcpu: cpu 0's is placed, the missing cpu 1 is "
		       "skipped, and the setup chose the direct irq sequences");
		prep(hv);
	} else if (hv == HV_XEN)
		result(be == &xen_backend && xen_hv.vcpu[0] == &xen_shared_info.vcpu_info[0] &&
			       !pv_insn(be, PARAVIRT_PATCH_pv_irq_ops_save_fl),
		       "vcpu_info placement refused: vcpu_info stays in shared_info, and the setup chose the C irq ops");
}

#ifdef __x86_64__
void m_swapgs_unsafe(void);

/* SWAPGS_UNSAFE_STACK's site (macros.S) holds native's swapgs itself, and patched the running
 * backend's sequence or NOPs, never a call. User mode cannot run swapgs (the boot test runs
 * it in ring 0); NOPs run here, with no stack at all. */
static void check_swapgs_unsafe(const struct paravirt_backend *be, int patched)
{
	static const unsigned char swapgs[3] = { 0x0f, 0x01, 0xf8 }, nop3[3] = { 0x0f, 0x1f, 0x00 };
	const struct paravirt_patch_site *site = NULL;
	int nop = pv_impl(be, PARAVIRT_PATCH_pv_cpu_ops_swapgs) == (void *)paravirt_nop;

	for (unsigned i = 0; i < NSITES; i++)
		if (__parainstructions[i].instrtype == PARAVIRT_PATCH_pv_cpu_ops_swapgs &&
		    __parainstructions[i].len < CX_MIN_SITE)
			site = &__parainstructions[i];
	if (!site || site->len != 3) {
		result(0, "SWAPGS_UNSAFE_STACK: no 3-byte site of swapgs");
	} else if (!patched || !nop) {
		result(!memcmp(site->instr, swapgs, 3), "SWAPGS_UNSAFE_STACK: %s, its 3-byte site holds swapgs itself, "
		       "no call", patched ? "patched" : "unpatched");
	} else {
		int ok = !memcmp(site->instr, nop3, 3);
		if (ok)
			m_swapgs_unsafe();
		result(ok, "SWAPGS_UNSAFE_STACK: patched, its site is a 3-byte NOP (%s's swapgs does nothing), which "
		       "ran with no stack at all", be->name);
	}
}
#endif

static int run_backend(enum hv hv)
{
	const struct paravirt_backend *be = prep(hv);
	struct run (*runs)[2][2] = calloc(nprobes, sizeof(*runs));
	int *passed = calloc(nprobes, sizeof(*passed));
	unsigned char *orig = NULL;
	unsigned missing = 0, ran = 0;

	if (!runs || !passed || cx_init(SITES))
		die("allocation");
	check_placement(hv, be);
	pv_activate(be);
	for (int t = 0; t < PARAVIRT_PATCH_COUNT; t++) {
		const char *op = paravirt_ops[t].name;

		if (!op || probed(op) || paravirt_ops[t].kind == PV_KIND_JUMP)
			continue;
		if (expected_unprobed(op)) {
			printf("unprobed %s\n", op);
		} else {
			result(0, "%s has no probe", op);
			missing++;
		}
	}
	result(!missing, "every one of the %d ops has a probe, or is a jump op, or is expected to have none "
			 "(PV_UNPROBED) (%u probes)", PARAVIRT_PATCH_COUNT, nprobes);

	for (int patched = 0; patched < 2; patched++) {
		if (patched)
			orig = patch_and_check(be);
#ifdef __x86_64__
		check_swapgs_unsafe(be, patched);
#endif
		for (unsigned i = 0; i < nprobes; i++) {
			int t = type_of(probes[i].op);

			if (probes[i].def && t >= 0 && runs_here(&probes[i], be, (unsigned)t)) {
				runs[i][patched][0] = run_probe(&probes[i], hv, 0);
				runs[i][patched][1] = run_probe(&probes[i], hv, 1);
			}
		}
	}

	for (unsigned i = 0; i < nprobes; i++) {
		const struct probe *p = &probes[i];
		int t = type_of(p->op);
		char name[96];
		const char *why;

		passed[i] = 0;

		snprintf(name, sizeof(name), "%s%s%s%s", p->op, p->what ? " (" : "", p->what ? p->what : "", p->what ? ")" : "");
		if (t < 0) {
			result(0, "%s: a probe of no op", name);
		} else if (!p->def && paravirt_ops[t].kind == PV_KIND_JUMP) {
			result(1, "%s: a jump op, never returns: its sites are checked by their bytes", name);
		} else if (!p->def && probed(p->op)) {
			result(1, "%s: run at an asm macro's site (below)", name);
		} else if (!p->def) {
			result(expected_unprobed(p->op), "%s: no probe of its own: its sites (if any) are checked by their bytes", name);
		} else if (!runs_here(p, be, (unsigned)t)) {
			result(1, "%s: its implementation needs ring 0: not run, its sites are checked by their bytes", name);
		} else {
			why = judge(runs[i], paravirt_ops[t].kind != PV_KIND_CALL);
			if (probe_digest)
				probe_digest[i] = runs[i][1][0].digest;
			result(!why, "%s: %s", name, why ? why : "same result unpatched and patched, canaries kept at every site");
			passed[i] = !why;
			ran++;
		}
	}
	result(ran > 0, "%u of %u probes ran in user mode", ran, nprobes);
	if (hv == HV_XEN || hv == HV_XEN_PLACED)
		check_fallbacks(be, "Xen", passed);
	if (hv == HV_KVM)
		check_fallbacks(be, "KVM", passed);
	if (pv_restore(SITES, orig))
		die("pv_restore");
	free(orig);
	free(runs);
	free(passed);
	return 0;
}

/* ---- the patcher on made-up sites ---- */

static int page_writable(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char perms[8];
	int w = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%lx-%lx %7s%*[^\n]", &lo, &hi, perms) == 3)
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi)
			w = perms[1] == 'w';
	fclose(f);
	return w;
}

static int writable_while;

static void during_apply(const struct paravirt_patch_site *s, const struct pv_result *r, void *ctx)
{
	(void)r;
	if (s == __parainstructions)
		writable_while = page_writable(s->instr);
	++*(unsigned *)ctx;
}

struct expect {
	const char *what;
	const struct paravirt_backend *be;
	const char *op;
	unsigned clobbers, len;
	enum pv_how how;
	const char *why;
	const void *target;	/* call/jmp: the implementation */
	unsigned long at;	/* where the site is (0: here) */
};

static void expect_site(const struct expect *e)
{
	unsigned char buf[64], nops[64];
	struct pv_patcher p;
	struct pv_result r;
	int t = type_of(e->op), ok;
	unsigned long at = e->at ? e->at : (unsigned long)expect_site;

	memset(buf, 0xcc, sizeof(buf));
	pv_patcher_init(&p, e->be);
	r = pv_patch_site(&p, t < 0 ? PARAVIRT_PATCH_COUNT : (unsigned)t, e->clobbers, buf, at, e->len);
	ok = r.how == e->how && !strcmp(r.why, e->why) && buf[e->len] == 0xcc;
	if (ok && r.how == PV_KEEP)
		ok = buf[0] == 0xcc;
	if (ok && (r.how == PV_CALL || r.how == PV_JMP)) {
		int32_t rel;

		memcpy(&rel, buf + 1, 4);
		ok = buf[0] == (r.how == PV_JMP ? 0xe9 : 0xe8) && at + 5 + (unsigned long)(long)rel == (unsigned long)e->target;
	}
	if (ok && r.how != PV_KEEP) {
		pv_fill_nops(nops, e->len - r.used);
		ok = !memcmp(buf + r.used, nops, e->len - r.used);
	}
	result(ok, "%s: %s (%s)%s", e->what, pv_how_name(e->how), e->why, ok ? "" : ": not so");
}

static int run_patcher(void)
{
	struct paravirt_backend nulls = native_backend;
	struct pv_time_ops time = *native_backend.pv_time_ops;
	unsigned char buf[64], *copy;
	size_t bytes = pv_site_bytes(SITES), sum = 0;
	struct pv_apply a = { .report = during_apply };
	unsigned reported = 0, counted = 0;

	/* native with a policy: what each word does to a site the default would patch otherwise */
	static unsigned char policy[PARAVIRT_PATCH_COUNT];
	struct paravirt_backend ruled = native_backend;

	policy[PARAVIRT_PATCH_pv_irq_ops_save_fl] = PV_POLICY_CALL;
	policy[PARAVIRT_PATCH_pv_cpu_ops_alloc_ldt] = PV_POLICY_CALL;
	policy[PARAVIRT_PATCH_pv_cpu_ops_read_cr0] = PV_POLICY_INDIRECT;
	policy[PARAVIRT_PATCH_pv_cpu_ops_read_cr4] = PV_POLICY_NOPS;
	policy[PARAVIRT_PATCH_pv_cpu_ops_write_cr4] = PV_POLICY_NOPS;
	policy[PARAVIRT_PATCH_pv_irq_ops_irq_disable] = PV_POLICY_INLINE;
	policy[PARAVIRT_PATCH_pv_cpu_ops_swapgs] = PV_POLICY_CALL;
	ruled.policy = policy;
	time.get_wallclock = NULL;
	nulls.pv_time_ops = &time;
	const struct expect cases[] = {
		{ "policy call: native save_fl, which has a sequence", &ruled, "pv_irq_ops.save_fl", CLBR_CALLEE,
		  __PV_OP_pv_irq_ops_save_fl(SITE_LEN), PV_CALL, "the policy asks for a call", native_save_fl, 0 },
		{ "policy call: a no-op (alloc_ldt) becomes a call of paravirt_nop", &ruled, "pv_cpu_ops.alloc_ldt", CLBR_CALL,
		  6, PV_CALL, "the policy asks for a call", paravirt_nop, 0 },
		{ "policy indirect: read_cr0", &ruled, "pv_cpu_ops.read_cr0", CLBR_CALL, 6, PV_KEEP,
		  "the policy leaves the indirect call", NULL, 0 },
		{ "policy nops: refused for read_cr4, which returns a value", &ruled, "pv_cpu_ops.read_cr4", CLBR_CALL, 6,
		  PV_KEEP, "the policy asks for NOPs, but the op returns", NULL, 0 },
		{ "policy nops: write_cr4", &ruled, "pv_cpu_ops.write_cr4", CLBR_CALL, 6, PV_NOPS,
		  "the policy makes it NOPs", NULL, 0 },
		{ "policy inline: native irq_disable, as the default", &ruled, "pv_irq_ops.irq_disable", CLBR_CALLEE,
		  __PV_OP_pv_irq_ops_irq_disable(SITE_LEN), PV_INLINE, "the backend's sequence fits", NULL, 0 },
		{ "an unknown patch type", &native_backend, "no op", CLBR_ANY, 6, PV_KEEP, "no op has this patch type", NULL, 0 },
		{ "a plain call op", &native_backend, "pv_init_ops.patch", CLBR_ANY, 6, PV_KEEP,
		  "the op is a plain call: it has no patch sites", NULL, 0 },
		{ "native save_fl in its site", &native_backend, "pv_irq_ops.save_fl", CLBR_CALLEE,
		  __PV_OP_pv_irq_ops_save_fl(SITE_LEN), PV_INLINE, "the backend's sequence fits", NULL, 0 },
		{ "Xen (vcpu_info placed) irq_disable in a site just its size", &xen_vcpu_info_placement_backend,
		  "pv_irq_ops.irq_disable", CLBR_CALLEE, sizeof(long) == 8 ? 9 : 8, PV_INLINE, "the backend's sequence fits",
		  NULL, 0 },
		{ "Xen (vcpu_info placed) irq_enable in a 10-byte site", &xen_vcpu_info_placement_backend,
		  "pv_irq_ops.irq_enable", CLBR_CALLEE, 10, PV_CALL, "the sequence does not fit the site",
		  xen_irq_enable_direct, 0 },
		{ "Xen (vcpu_info in shared_info) irq_enable: a call to the C version's thunk", &xen_backend,
		  "pv_irq_ops.irq_enable", CLBR_CALLEE, __PV_OP_pv_irq_ops_irq_enable(SITE_LEN), PV_CALL,
		  "no inline sequence", xen_pv_irq_ops.irq_enable.func, 0 },
		{ "read_cr0 (no sequence)", &native_backend, "pv_cpu_ops.read_cr0", CLBR_CALL, 6, PV_CALL,
		  "no inline sequence", native_read_cr0, 0 },
		{ "read_cr0 at a site that keeps all but the return register", &native_backend, "pv_cpu_ops.read_cr0",
		  CLBR_RET_REG, 9, PV_KEEP, "a call may change registers this site keeps", NULL, 0 },
		{ "read_cr0 at a 4-byte site", &native_backend, "pv_cpu_ops.read_cr0", CLBR_CALL, 4, PV_KEEP,
		  "the site is shorter than a call", NULL, 0 },
		{ "Xen iret", &xen_backend, "pv_cpu_ops.iret", CLBR_NONE, 6, PV_JMP, "no inline sequence", xen_iret, 0 },
		{ "a no-op (alloc_ldt)", &native_backend, "pv_cpu_ops.alloc_ldt", CLBR_CALL, 6, PV_NOPS, "the op does nothing", NULL, 0 },
		{ "Xen swapgs (a no-op) at a site that may change nothing", &xen_backend, "pv_cpu_ops.swapgs", CLBR_NONE, 6,
		  PV_NOPS, "the op does nothing", NULL, 0 },
#ifdef __x86_64__
		{ "policy call: a 3-byte site (SWAPGS_UNSAFE_STACK's) holds a sequence, no call can go there: native's swapgs",
		  &ruled, "pv_cpu_ops.swapgs", CLBR_NONE, 3, PV_INLINE, "the backend's sequence fits", NULL, 0 },
		{ "Xen swapgs (a no-op) at a 3-byte site", &xen_backend, "pv_cpu_ops.swapgs", CLBR_NONE, 3, PV_NOPS,
		  "the op does nothing", NULL, 0 },
		{ "native pte_val (identity: a register move)", &native_backend, "pv_mmu_ops.pte_val", CLBR_CALLEE, 6,
		  PV_INLINE, "the backend's sequence fits", NULL, 0 },
		{ "read_cr0 at a site 8 GiB away", &native_backend, "pv_cpu_ops.read_cr0", CLBR_CALL, 6, PV_KEEP,
		  "the implementation is out of rel32 reach", NULL, (unsigned long)native_read_cr0 + (8UL << 30) },
		{ "Xen save_fl 8 GiB from its body: the per-cpu field is absolute, it still inlines",
		  &xen_vcpu_info_placement_backend, "pv_irq_ops.save_fl", CLBR_CALLEE, 16, PV_INLINE,
		  "the backend's sequence fits", NULL, (unsigned long)xen_save_fl_direct + (8UL << 30) },
#else
		{ "native pte_val (identity: nothing on i386)", &native_backend, "pv_mmu_ops.pte_val", CLBR_CALLEE, 6,
		  PV_INLINE, "the backend's sequence is empty", NULL, 0 },
#endif
		{ "a backend with no implementation", &nulls, "pv_time_ops.get_wallclock", CLBR_CALL, 6, PV_KEEP,
		  "the backend has no implementation", NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_site(&cases[i]);

	memset(buf, 0xcc, sizeof(buf));
	result(pv_patch_op(&native_backend, PARAVIRT_PATCH_pv_cpu_ops_read_cr0, CLBR_NONE, buf, (unsigned long)buf, 6) == 6 &&
		       buf[0] == 0xcc,
	       "pv_patch_op: a site left as is uses all its bytes, untouched");
	result(pv_patch_op(&native_backend, PARAVIRT_PATCH_pv_irq_ops_save_fl, CLBR_CALLEE, buf, (unsigned long)buf, 14) == 2,
	       "pv_patch_op: an inlined pushf; pop uses 2 bytes");

	for (unsigned n = 1; n <= 40; n++) {
		memset(buf, 0xcc, sizeof(buf));
		pv_fill_nops(buf, n);
		if (buf[n] != 0xcc)
			result(0, "pv_fill_nops(%u) writes past its bytes", n);
		printf("nops %u ", n);
		for (unsigned k = 0; k < n; k++)
			printf("%02x", buf[k]);
		putchar('\n');
	}

	/* this binary: patched while writable, then read-only; restored byte for byte */
	copy = malloc(bytes);
	a.save = malloc(bytes);
	if (!copy || !a.save)
		die("allocation");
	for (struct paravirt_patch_site *s = __parainstructions; s < __parainstructions_end; s++) {
		memcpy(copy + sum, s->instr, s->len);
		sum += s->len;
	}
	result(sum == bytes && NSITES > 0, "pv_site_bytes: %zu bytes in %u sites", bytes, NSITES);
	/* every site pads its record to the full struct (x86_64: 12 bytes of fields, 16 of record),
	 * so the section is a whole number of records and NSITES, end - begin, counts them all */
	size_t section = (size_t)((char *)__parainstructions_end - (char *)__parainstructions);
	result(section % sizeof(struct paravirt_patch_site) == 0,
	       ".parainstructions is %zu bytes: a whole number of %zu-byte records", section,
	       sizeof(struct paravirt_patch_site));
	result(page_writable(__parainstructions->instr) == 0, "the text is read-only before patching");
	a.ctx = &reported;
	if (pv_apply(&native_backend, SITES, &a))
		die("pv_apply");
	for (int h = 0; h < PV_NHOW; h++)
		counted += a.count[h];
	result(reported == NSITES && counted == NSITES, "pv_apply reports every site once: %u reported, %u counted",
	       reported, counted);
	result(writable_while == 1, "the text is writable while patching");
	result(page_writable(__parainstructions->instr) == 0, "and read-only again after");
	result(!memcmp(copy, a.save, bytes) && memcmp(copy, __parainstructions->instr, __parainstructions->len),
	       "pv_apply saves every site's bytes before it patches them");
	if (pv_restore(SITES, a.save))
		die("pv_restore");
	sum = 0;
	for (struct paravirt_patch_site *s = __parainstructions; s < __parainstructions_end; s++) {
		if (memcmp(copy + sum, s->instr, s->len))
			break;
		sum += s->len;
	}
	result(sum == bytes && page_writable(__parainstructions->instr) == 0,
	       "pv_restore gives back every site's original bytes, and the text is read-only again");
	free(a.save);
	free(copy);
	return 0;
}

/* ---- negative: implementations that break the convention are caught ---- */

void bad_save_fl(void);
void bad_restore_fl(void);

/* Run op's probe with canaries, its slot (offset off in pv_irq_ops) holding fn, unpatched and
 * then patched as a direct call; true if a site of the op changed register reg each time
 * (reg NULL: if no site of the op changed anything). */
static void caught(const char *op, size_t off, void *fn, const char *reg, const char *what)
{
	struct paravirt_backend be = native_backend;
	struct pv_irq_ops irq = *native_backend.pv_irq_ops;
	const struct probe *p = NULL;
	int t = type_of(op), r = reg ? cx_reg(reg) : -1;
	unsigned char *save = malloc(pv_site_bytes(SITES));

	for (unsigned i = 0; i < nprobes && !p; i++)
		if (!strcmp(probes[i].op, op) && !probes[i].what)
			p = &probes[i];
	if (!p || t < 0 || !save || (reg && r < 0))
		die("finding the probe");
	memcpy((char *)&irq + off, &fn, sizeof(fn));
	be.pv_irq_ops = &irq;
	be.ninsns = 0;	/* every site a direct call */
	for (int patched = 0; patched < 2; patched++) {
		unsigned hit = 0, seen = 0;

		pv_activate(&be);
		if (patched && pv_apply(&be, SITES, &(struct pv_apply){ .save = save }))
			die("pv_apply");
		run_probe(p, 0, 1);
		for (unsigned i = 0; i < cx_nsites; i++) {
			if (cx_sites[i].rec->instrtype != t || !cx_sites[i].hits)
				continue;
			seen++;
			hit += reg ? (cx_sites[i].broken >> r & 1) : cx_sites[i].broken == 0;
		}
		result(seen && hit == seen, "%s: %s", what,
		       patched ? "patched, a direct call to it" : "unpatched, an indirect call through the table");
		if (patched && pv_restore(SITES, save))
			die("pv_restore");
	}
	pv_activate(&native_backend);
	free(save);
}

static int run_clobbers(void)
{
	if (cx_init(SITES))
		die("allocation");
#ifdef __x86_64__
	caught("pv_irq_ops.save_fl", PV_OFFSET_pv_irq_ops_save_fl, bad_save_fl, "r8",
	       "a save_fl that changes r8 (C may, a callee-save op may not) is caught at its site");
	caught("pv_irq_ops.restore_fl", PV_OFFSET_pv_irq_ops_restore_fl, bad_restore_fl, "rdi",
	       "a restore_fl that changes its argument register rdi is caught at its site");
#else
	caught("pv_irq_ops.save_fl", PV_OFFSET_pv_irq_ops_save_fl, bad_save_fl, "ecx",
	       "a save_fl that changes ecx (C may, a callee-save op may not) is caught at its site");
	caught("pv_irq_ops.restore_fl", PV_OFFSET_pv_irq_ops_restore_fl, bad_restore_fl, "ebx",
	       "a restore_fl that changes ebx is caught at its site");
#endif
	caught("pv_irq_ops.save_fl", PV_OFFSET_pv_irq_ops_save_fl, native_save_fl, NULL,
	       "the real save_fl keeps every canary (the control)");
	caught("pv_irq_ops.restore_fl", PV_OFFSET_pv_irq_ops_restore_fl, native_restore_fl, NULL,
	       "the real restore_fl keeps every canary (the control)");
	return 0;
}

/* One binary, two policies for the KVM backend: its own (the spec says nothing: the patcher
 * decides) and the one a VT hypervisor might hand over at boot, whose hardware does page
 * tables and interrupt flags itself: the MMU sites keep their indirect calls, the irq ones
 * become direct calls rather than the inline sequences, and the CPU lazy-mode hooks NOPs. The
 * sites differ; every probe's result is the same; the canaries hold under both. */
static int run_policies(void)
{
	static unsigned char vt[PARAVIRT_PATCH_COUNT];
	enum pv_how *how[2];
	u64 *digest[2];
	unsigned differ = 0, same = 0, ran = 0, by[PV_NHOW] = { 0 };

	for (unsigned t = 0; t < PARAVIRT_PATCH_COUNT; t++) {
		const char *n = paravirt_ops[t].name;
		if (!n)
			continue;
		vt[t] = !strncmp(n, "pv_mmu_ops.", 11) ? PV_POLICY_INDIRECT :
			!strncmp(n, "pv_irq_ops.", 11) ? PV_POLICY_CALL :
			!strncmp(n, "pv_cpu_ops.lazy_mode.", 21) ? PV_POLICY_NOPS : PV_POLICY_DEFAULT;
	}
	for (int k = 0; k < 2; k++) {
		how[k] = calloc(NSITES, sizeof(*how[k]));
		digest[k] = calloc(nprobes, sizeof(*digest[k]));
		if (!how[k] || !digest[k])
			die("allocation");
		site_how = how[k];
		probe_digest = digest[k];
		run_policy = k ? vt : kvm_backend.policy;
		mode = k ? "kvm, the VT policy" : "kvm, its own policy";
		run_backend(HV_KVM);
	}
	mode = "policies";
	for (unsigned i = 0; i < NSITES; i++) {
		differ += how[0][i] != how[1][i];
		by[how[1][i]] += how[0][i] != how[1][i];
	}
	for (unsigned i = 0; i < nprobes; i++) {	/* a probe that ran has a digest (FNV: never 0) */
		ran += digest[0][i] || digest[1][i];
		same += (digest[0][i] || digest[1][i]) && digest[0][i] == digest[1][i];
	}
	result(differ > 0, "%u of %u sites are patched differently under the two policies (the VT one: %u left "
			   "indirect, %u calls, %u NOPs where the other did otherwise)", differ, NSITES, by[PV_KEEP],
	       by[PV_CALL], by[PV_NOPS]);
	result(ran > 0 && same == ran, "every probe's patched result is the same under both policies (%u of the %u "
				       "that ran)", same, ran);
	for (int k = 0; k < 2; k++) {
		free(how[k]);
		free(digest[k]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	cpu_set_t one;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mode = argc > 1 ? argv[1] : "";
	/* one cpu throughout: cpuid's APIC id and rdtscp's aux are the same at every call */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	setup_per_cpu_areas();
	if (!strcmp(mode, "native"))
		run_backend(HV_NATIVE);
	else if (!strcmp(mode, "xen"))
		run_backend(HV_XEN);
	else if (!strcmp(mode, "xen-placed"))
		run_backend(HV_XEN_PLACED);
	else if (!strcmp(mode, "kvm"))
		run_backend(HV_KVM);
	else if (!strcmp(mode, "policies"))
		run_policies();
	else if (!strcmp(mode, "patcher"))
		run_patcher();
	else if (!strcmp(mode, "clobbers"))
		run_clobbers();
	else if (!strcmp(mode, "records"))
		failures += run_records(arch);
	else {
		fprintf(stderr, "usage: %s native|xen|xen-placed|kvm|policies|patcher|clobbers|records\n", argv[0]);
		return 2;
	}
	return failures != 0;
}
