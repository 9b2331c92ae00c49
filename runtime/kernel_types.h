/* kernel_types.h: the kernel types the generated headers and tables expect, as Linux has them
 * (u64 is unsigned long long on every arch; x86 page-table entries are 64-bit, as on x86_64
 * and a PAE i386 kernel). The one prelude for everything built outside a kernel tree: the
 * x86 runtime (runtime/x86/kernel.h), the boot images and the tests' host compiles. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

/* x86 */
typedef u64 pteval_t, pmdval_t, pudval_t, pgdval_t, phys_addr_t;
typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;
typedef struct { pudval_t pud; } pud_t;
typedef struct { pgdval_t pgd; } pgd_t;
typedef struct { u64 pgprot; } pgprot_t;
/* An interrupt gate is 16 bytes on x86_64, 8 on i386. */
typedef struct {
	u32 w[sizeof(long) / 2];
} gate_desc;
struct page;
enum km_type { KM_PTE0, KM_PTE1, KM_TYPE_NR };

/* IA-64 */
typedef unsigned char ia64_vector;

#endif
