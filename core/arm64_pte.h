/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arm64 stage-1 VMSAv8-64 descriptors: geometry of a translation regime and
 * the decoder of one descriptor (table, block, page) with Linux's software bits
 * and MAIR memory-type names for the kernel version.
 */
#ifndef PCS_ARM64_PTE_H
#define PCS_ARM64_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

/* One translation regime (one TTBR half) as Linux configures it. */
struct pcs_arm64_fmt {
	unsigned int page_shift; /* granule: 12 (4K), 14 (16K), 16 (64K) */
	unsigned int va_bits;	 /* input bits translated: 64 - TnSZ, 36..52 */
	bool pa52;		 /* 52-bit OA encoding: FEAT_LPA (64K) or FEAT_LPA2 (4K/16K) */
	uint32_t kernel_version; /* names software bits and AttrIndx; 0: newest */
	bool brief;		 /* decode kind, oa and size only (translation), no fields */
};

/* Fill f for a granule with 48-bit VA (52-bit OA layout on 64K). */
enum pcs_errcode pcs_arm64_fmt_default(uint32_t page_size, uint32_t kernel_version,
				       struct pcs_arm64_fmt *f, struct pcs_error *err);

/* PCS_ERR_UNSUPPORTED unless granule and VA size form a regime the MMU supports. */
enum pcs_errcode pcs_arm64_fmt_check(const struct pcs_arm64_fmt *f, struct pcs_error *err);

/* First lookup level: -1 (4K, 52-bit LPA2) .. 2 (64K, 42-bit). */
int pcs_arm64_start_level(const struct pcs_arm64_fmt *f);

/* log2 of the bytes one entry at level covers (4K: 3 → 12, 2 → 21, 1 → 30, 0 → 39). */
unsigned int pcs_arm64_level_shift(const struct pcs_arm64_fmt *f, int level);

/* Linux's name of level: the top one is "pgd", then p4d/pud/pmd/pte by level. */
const char *pcs_arm64_level_name(const struct pcs_arm64_fmt *f, int level);

/* "pte" → 3, "pmd" → 2, "pud" → 1, "p4d" → 0, "pgd" → start level. */
enum pcs_errcode pcs_arm64_level_by_name(const struct pcs_arm64_fmt *f, const char *name,
					 int *level, struct pcs_error *err);

/* Can a block descriptor appear at level for this granule and OA size? */
bool pcs_arm64_block_allowed(const struct pcs_arm64_fmt *f, int level);

/* Bytes covered by a run of Contiguous entries at level (0 if no contiguous hint there). */
uint64_t pcs_arm64_cont_size(const struct pcs_arm64_fmt *f, int level);

/* The kernel's MT_* name of MAIR index attrindx for that kernel version. */
const char *pcs_arm64_mt_name(unsigned int attrindx, uint32_t kernel_version);

/* Output address (next table or mapped base) of a valid descriptor at level. */
uint64_t pcs_arm64_desc_oa(const struct pcs_arm64_fmt *f, uint64_t raw, int level, bool table);

/* Decode one descriptor found at level. Pure: no target, no allocation. */
enum pcs_errcode pcs_arm64_pte_decode(const struct pcs_arm64_fmt *f, uint64_t raw, int level,
				      struct pcs_pte_decode *out, struct pcs_error *err);

#endif /* PCS_ARM64_PTE_H */
