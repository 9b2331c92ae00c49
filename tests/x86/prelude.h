/* prelude.h: the kernel types the generated x86 headers expect, as a PAE kernel has them. */
#ifndef PRELUDE_H
#define PRELUDE_H
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef u64 pteval_t, pmdval_t, pudval_t, pgdval_t, phys_addr_t;
typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;
typedef struct { pudval_t pud; } pud_t;
typedef struct { pgdval_t pgd; } pgd_t;
typedef struct { u64 pgprot; } pgprot_t;
typedef struct { unsigned long a, b; } gate_desc;
struct page;
enum km_type { KM_PTE0, KM_PTE1, KM_TYPE_NR };
/* per-cpu data of a one-cpu kernel */
#define DEFINE_PER_CPU(type, name) __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define percpu_read(var) (var)
#define percpu_write(var, val) ((var) = (val))
#endif
