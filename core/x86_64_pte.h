/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_64 page-table entries (4- and 5-level paging) decoded with Linux's
 * software bits (arch/x86/include/asm/pgtable_types.h).
 * Levels are numbered as the hardware does: 5 = PML5, 4 = PML4, 3 = PDPT
 * (pud), 2 = PD (pmd), 1 = PT (pte).
 */
#ifndef PCS_X86_64_PTE_H
#define PCS_X86_64_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "pte.h"

/* Linux's name of level: "pgd" for the top (5 with LA57, else 4), then p4d, pud, pmd, pte. */
const char *pcs_x86_64_level_name(int level, bool la57);

/* "pte" → 1 ... "pgd" → 5 (la57) or 4; -1 for an unknown name or p4d without LA57. */
int pcs_x86_64_level_by_name(const char *name, bool la57);

/* Decode one entry found at level. Pure: no target, no allocation. */
enum pcs_errcode pcs_x86_64_pte_decode(uint64_t raw, int level, bool la57, uint32_t kernel_version,
				       struct pcs_pte_decode *out, struct pcs_error *err);

#endif /* PCS_X86_64_PTE_H */
