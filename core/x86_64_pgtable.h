/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 page-table walker (4-level and 5-level paging) through physical
 * reads of the target, rooted at init_top_pgt or mm->pgd.
 */
#ifndef PCS_X86_64_PGTABLE_H
#define PCS_X86_64_PGTABLE_H

#include "pte.h"
#include "target.h"
#include "x86_64_pte.h"

/* __START_KERNEL_map: where the kernel image is mapped. */
#define PCS_X86_64_START_KERNEL_MAP UINT64_C(0xffffffff80000000)

struct pcs_x86_64_layout {
	bool la57;		   /* 5-level paging in use */
	uint64_t phys_base;	   /* physical load offset of the image */
	uint64_t page_offset_base; /* first linear-map VA */
	uint64_t init_top_pgt;	   /* physical address of the kernel's top table (0: unknown) */
	uint64_t sme_mask;	   /* AMD SME encryption bit in entries (NUMBER(sme_mask)), or 0 */
	uint32_t kernel_version;
};

/*
 * Read the layout: LA57 and page_offset_base from pcs_linear_map_read()
 * (core/memmodel.h), NUMBER(phys_base) (else the phys_base variable),
 * init_top_pgt (symbol, else SYMBOL(init_top_pgt)), and the SME C-bit from
 * NUMBER(sme_mask) when the dump has it.
 */
enum pcs_errcode pcs_x86_64_layout_read(const struct pcs_target *t, struct pcs_x86_64_layout *l,
					struct pcs_error *err);

/* Kernel-image VA → PA: va - __START_KERNEL_map + phys_base. */
uint64_t pcs_x86_64_kimg_to_phys(const struct pcs_x86_64_layout *l, uint64_t vaddr);

/* Walk vaddr (must be canonical for the paging mode) from root_paddr. */
enum pcs_errcode pcs_x86_64_walk(const struct pcs_target *t, const struct pcs_x86_64_layout *l,
				 uint64_t root_paddr, uint64_t vaddr, struct pcs_pte_walk *w,
				 struct pcs_error *err);

/* Root init_top_pgt when mm == 0, else mm->pgd (translated through the kernel tables). */
enum pcs_errcode pcs_x86_64_walk_mm(const struct pcs_target *t, const struct pcs_x86_64_layout *l,
				    uint64_t mm, uint64_t vaddr, struct pcs_pte_walk *w,
				    struct pcs_error *err);

#endif /* PCS_X86_64_PGTABLE_H */
