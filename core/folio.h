/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Folios (compound pages) as the page cache holds them.
 *
 * Given what an i_pages slot points at (a head page, or on kernels before 5.1 a
 * tail page of a shmem THP), find the head page, the order from the kernel's own
 * structures for that version (see enum pcs_order_src) and the file indices the
 * folio covers: [index, index + nr_pages).
 */
#ifndef PCS_FOLIO_H
#define PCS_FOLIO_H

#include <stdint.h>

#include "kernel.h"
#include "xarray.h"

#define PCS_FOLIO_MAX_ORDER 20 /* larger is treated as corruption */

struct pcs_folio {
	uint64_t head;	  /* struct page address of the head page (== struct folio) */
	uint64_t flags;	  /* head page.flags */
	uint64_t mapping; /* head page.mapping (raw, low bits may tag anon/movable) */
	uint64_t index;	  /* file index of the first page (head page.index) */
	unsigned int order;
	uint64_t nr_pages; /* 1 << order */
};

/* Describe the folio containing struct page page. */
enum pcs_errcode pcs_folio_of_page(const struct pcs_kernel *k, uint64_t page, struct pcs_folio *f,
				   struct pcs_error *err);

/*
 * Order of the large folio whose head page (PG_head set) is head, from where this
 * kernel keeps it (k->order_src); PCS_ERR_CORRUPT for 0 or > PCS_FOLIO_MAX_ORDER.
 */
enum pcs_errcode pcs_folio_order(const struct pcs_kernel *k, uint64_t head, unsigned int *order,
				 struct pcs_error *err);

/*
 * struct page address of file index index inside folio f, or 0 when f does not
 * cover index.
 */
uint64_t pcs_folio_page(const struct pcs_kernel *k, const struct pcs_folio *f, uint64_t index);

/*
 * Visit every folio of the tree at root (an address_space's i_pages) once, in
 * index order, however it is stored (one multi-index entry, or - 5.1..5.16 - the
 * head page repeated in every slot, or - before 5.1 - one slot per subpage).
 * Value/retry/zero entries are skipped. Return nonzero from fn to stop.
 */
typedef int (*pcs_folio_fn)(const struct pcs_folio *f, void *arg);
enum pcs_errcode pcs_folio_walk(const struct pcs_kernel *k, uint64_t root, pcs_folio_fn fn,
				void *arg, struct pcs_error *err);

#endif /* PCS_FOLIO_H */
