/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to core/: memory-model discovery used by pcs_kernel_init(), and the
 * linear map (PAGE_OFFSET, PHYS_OFFSET) shared with the page-table layouts.
 */
#ifndef PCS_MEMMODEL_H
#define PCS_MEMMODEL_H

#include "kernel.h"
#include "target.h"

/* Fill k->mm (needs k->t, k->page.size, k->page_shift, k->version); never fails. */
void pcs_memmodel_init(struct pcs_kernel *k);

/*
 * The linear map: lm_va = paddr - phys_offset + page_offset. The one place that
 * knows, per architecture and kernel version, where it is.
 */
struct pcs_linear_map {
	uint64_t page_offset;  /* first linear-map VA (PAGE_OFFSET, page_offset_base) */
	uint64_t phys_offset;  /* PA mapped at page_offset: arm64 PHYS_OFFSET; 0 on x86_64 */
	bool have_phys_offset; /* arm64: NUMBER(PHYS_OFFSET) or memstart_addr was readable */
	uint64_t size;	       /* bytes the linear map spans */
	unsigned int va_bits;  /* arm64: CONFIG_ARM64_VA_BITS (NUMBER(VA_BITS)) */
	bool la57;	       /* x86_64: 5-level paging */
};

/*
 * Read the linear map of t for kernel version (0: unknown, taken as recent).
 * arm64: NUMBER(VA_BITS) (required), NUMBER(PHYS_OFFSET) else memstart_addr,
 * NUMBER(TCR_EL1_T1SZ), and where the image lies (NUMBER(kimage_voffset) with
 * swapper_pg_dir) to tell the pre-5.4 from the flipped layout. x86_64:
 * NUMBER(pgtable_l5_enabled) else __pgtable_l5_enabled, page_offset_base else
 * the default for the paging mode and version.
 */
enum pcs_errcode pcs_linear_map_read(const struct pcs_target *t, uint32_t version,
				     struct pcs_linear_map *lm, struct pcs_error *err);

/* arm64 PAGE_OFFSET for a configured VA_BITS: -(1 << VA_BITS) from 5.4, ~0 << (VA_BITS - 1) before.
 */
uint64_t pcs_arm64_page_offset(unsigned int va_bits, uint32_t kernel_version);

#endif /* PCS_MEMMODEL_H */
