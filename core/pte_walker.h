/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A page-table walker with the dump's layout read once, for callers that
 * translate many addresses (pcs_pte_walk() re-reads VMCOREINFO each call).
 *
 *	struct pcs_pte_walker pw;
 *
 *	if (pcs_pte_walker_init(&pw, t, &err))
 *		return ...;
 *	for (...)
 *		rc = pcs_pte_walker_translate(&pw, vaddr, &paddr, &err);
 */
#ifndef PCS_PTE_WALKER_H
#define PCS_PTE_WALKER_H

#include "arm64_pgtable.h"
#include "pte.h"
#include "x86_64_pgtable.h"

struct pcs_pte_walker {
	const struct pcs_target *t;
	enum pcs_arch arch;
	union {
		struct pcs_arm64_layout arm64;
		struct pcs_x86_64_layout x86_64;
	} l;
};

/* Read the translation layout of t's dump (VMCOREINFO, root table symbols). */
enum pcs_errcode pcs_pte_walker_init(struct pcs_pte_walker *pw, const struct pcs_target *t,
				     struct pcs_error *err);

/* As pcs_pte_walk(), with the layout read by pcs_pte_walker_init(). */
enum pcs_errcode pcs_pte_walker_walk(const struct pcs_pte_walker *pw, uint64_t mm, uint64_t vaddr,
				     struct pcs_pte_walk *w, struct pcs_error *err);

/* Kernel virtual address → physical address. */
enum pcs_errcode pcs_pte_walker_translate(const struct pcs_pte_walker *pw, uint64_t vaddr,
					  uint64_t *paddr, struct pcs_error *err);

/*
 * Kernel virtual address → physical address for reading memory, with the span
 * the same translation holds for: an arm64 linear-map address by the kernel's
 * own arithmetic (__lm_to_phys: vaddr - PAGE_OFFSET + PHYS_OFFSET, when the dump
 * gives PHYS_OFFSET; span: the linear map), anything else by walking (span: the
 * page or block that maps it). base_vaddr and base_paddr: where the span starts.
 */
enum pcs_errcode pcs_pte_walker_kvtop(const struct pcs_pte_walker *pw, uint64_t vaddr,
				      uint64_t *paddr, uint64_t *base_vaddr, uint64_t *base_paddr,
				      uint64_t *span, struct pcs_error *err);

#endif /* PCS_PTE_WALKER_H */
