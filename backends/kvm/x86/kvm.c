/* The KVM x86 backend's implementations, after what Linux 2.6.30's KVM guest does
 * (arch/x86/kernel/kvm.c): page-table writes, the user TLB flush and the release of
 * page-table pages are KVM_HC_MMU_OP hypercalls; in lazy MMU mode the records queue up and
 * go in one hypercall when the mode ends (or the queue is full). Everything else is native.
 * Built as kernel code: no libc. */
#include "kvm.h"
#include "patch.h"

/* Physical addresses: the kernel's direct map; the user-space model maps memory 1:1. */
static u64 phys_of(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* ---- the hypercall, and the queue of lazy MMU mode ---- */

static struct {
	unsigned char buf[KVM_MMU_QUEUE_SIZE];
	unsigned int len;
} queue;	/* filled in the kernel's lazy MMU mode (paravirt_get_lazy_mode), which KVM's lazy_mode ops keep */

unsigned int kvm_mmu_queue_len(void)
{
	return queue.len;
}

/* Hand KVM a buffer of records; it says how much it took each time, until all is done. */
static void mmu_op(const void *buffer, unsigned int len)
{
	const unsigned char *p = buffer;

	while (len) {
		long done = kvm_hypercall3(KVM_HC_MMU_OP, len, (unsigned long)phys_of(p), 0);

		if (done <= 0 || (unsigned long)done > len)
			break;	/* KVM refused the rest: nothing a guest can do about it here */
		p += done;
		len -= (unsigned int)done;
	}
}

static void queue_flush(void)
{
	if (queue.len)
		mmu_op(queue.buf, queue.len);
	queue.len = 0;
}

/* A record goes to KVM now, or into the queue while in lazy MMU mode. */
static void deferred_mmu_op(const void *record, unsigned int len)
{
	if (paravirt_get_lazy_mode() != PARAVIRT_LAZY_MMU) {
		mmu_op(record, len);
		return;
	}
	if (queue.len + len > sizeof(queue.buf))
		queue_flush();
	for (unsigned int i = 0; i < len; i++)	/* no memcpy: kernel code calls no libc */
		queue.buf[queue.len + i] = ((const unsigned char *)record)[i];
	queue.len += len;
}

static void mmu_write(void *dest, u64 val)
{
	struct kvm_mmu_op_write_pte w = { { KVM_MMU_OP_WRITE_PTE, 0 }, phys_of(dest), val };

	deferred_mmu_op(&w, sizeof(w));
}

/* ---- pv_init_ops ---- */

unsigned int kvm_patch(u8 type, u16 clobber, void *insnbuf, unsigned long addr, unsigned int len)
{
	return pv_patch_op(&kvm_backend, type, clobber, insnbuf, addr, len);
}

/* ---- pv_mmu_ops ---- */

void kvm_set_pte(pte_t *ptep, pte_t pteval)
{
	mmu_write(ptep, pteval.pte);
}

void kvm_set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pteval)
{
	(void)mm;
	(void)addr;
	mmu_write(ptep, pteval.pte);
}

void kvm_set_pmd(pmd_t *pmdp, pmd_t pmdval)
{
	mmu_write(pmdp, pmdval.pmd);
}

void kvm_set_pud(pud_t *pudp, pud_t pudval)
{
	mmu_write(pudp, pudval.pud);
}

#ifdef __x86_64__
void kvm_set_pgd(pgd_t *pgdp, pgd_t pgdval)
{
	mmu_write(pgdp, pgdval.pgd);
}
#else
/* PAE: KVM writes the two words of an entry at once, so the atomic write is the plain one. */
void kvm_set_pte_atomic(pte_t *ptep, pte_t pteval)
{
	mmu_write(ptep, pteval.pte);
}

void kvm_pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	mmu_write(ptep, 0);
}

void kvm_pmd_clear(pmd_t *pmdp)
{
	mmu_write(pmdp, 0);
}
#endif

void kvm_flush_tlb(void)
{
	struct kvm_mmu_op_flush_tlb f = { { KVM_MMU_OP_FLUSH_TLB, 0 } };

	deferred_mmu_op(&f, sizeof(f));
}

/* A page that held page tables is one no more: KVM stops shadowing it, at once. */
void kvm_release_pt(unsigned long pfn)
{
	struct kvm_mmu_op_release_pt r = { { KVM_MMU_OP_RELEASE_PT, 0 }, (u64)pfn << PAGE_SHIFT };

	mmu_op(&r, sizeof(r));
}

void kvm_enter_lazy_mmu(void)
{
	paravirt_enter_lazy_mmu();
}

void kvm_leave_lazy_mmu(void)
{
	queue_flush();
	paravirt_leave_lazy_mmu();
}
