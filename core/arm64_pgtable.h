/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64 page-table walker: the kernel's translation layout from VMCOREINFO
 * and a walk from a root table (swapper_pg_dir or mm->pgd) through physical
 * reads of the target.
 */
#ifndef PCS_ARM64_PGTABLE_H
#define PCS_ARM64_PGTABLE_H

#include "arm64_pte.h"
#include "memmodel.h"
#include "pte.h"
#include "target.h"

struct pcs_arm64_layout {
	struct pcs_arm64_fmt kfmt;   /* TTBR1: kernel half, 64 - TCR_EL1.T1SZ bits */
	struct pcs_arm64_fmt ufmt;   /* TTBR0: user half */
	unsigned int config_va_bits; /* CONFIG_ARM64_VA_BITS (NUMBER(VA_BITS)) */
	uint64_t kimage_voffset;     /* kernel image VA - PA */
	uint64_t phys_offset;	     /* PHYS_OFFSET (memstart_addr), may be "negative" */
	uint64_t page_offset;	     /* first linear-map VA */
	bool have_linear;	     /* phys_offset/page_offset known */
	uint64_t linear_size;	     /* bytes the linear map spans from page_offset */
	uint64_t swapper_pg_dir;     /* physical address of the kernel's pgd (0: unknown) */
};

/*
 * Read the layout of the dump: granule from the target's page size,
 * NUMBER(TCR_EL1_T1SZ) (else vabits_actual, else VA_BITS),
 * NUMBER(kimage_voffset), swapper_pg_dir (symbol, else SYMBOL(swapper_pg_dir)),
 * and VA_BITS, PAGE_OFFSET and PHYS_OFFSET from pcs_linear_map_read()
 * (core/memmodel.h; pcs_arm64_page_offset() is there too).
 */
enum pcs_errcode pcs_arm64_layout_read(const struct pcs_target *t, struct pcs_arm64_layout *l,
				       struct pcs_error *err);

/* Kernel-image VA → PA (__kimg_to_phys). */
uint64_t pcs_arm64_kimg_to_phys(const struct pcs_arm64_layout *l, uint64_t vaddr);

/* PA → linear-map VA (__phys_to_virt); false when the layout lacks PHYS_OFFSET. */
bool pcs_arm64_phys_to_virt(const struct pcs_arm64_layout *l, uint64_t paddr, uint64_t *vaddr);

/*
 * Walk vaddr from root_paddr. The TTBR half is chosen by bit 55 (the top byte
 * is ignored, as with TBI); the address must be canonical for that half's
 * VA size. Results and return codes as for pcs_pte_walk().
 */
enum pcs_errcode pcs_arm64_walk(const struct pcs_target *t, const struct pcs_arm64_layout *l,
				uint64_t root_paddr, uint64_t vaddr, struct pcs_pte_walk *w,
				struct pcs_error *err);

/*
 * Walk with the root Linux would use: swapper_pg_dir for a kernel address
 * when mm == 0, else mm->pgd (a linear-map VA, translated through the kernel
 * tables). A user address with mm == 0 is an error.
 */
enum pcs_errcode pcs_arm64_walk_mm(const struct pcs_target *t, const struct pcs_arm64_layout *l,
				   uint64_t mm, uint64_t vaddr, struct pcs_pte_walk *w,
				   struct pcs_error *err);

#endif /* PCS_ARM64_PGTABLE_H */
