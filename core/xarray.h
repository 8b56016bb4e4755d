/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Walk an XArray (4.20+) or a radix tree (4.7..4.19), selected by k->xa.kind,
 * reporting every non-empty slot once, in ascending index order.
 *
 * A multi-index entry (a large folio stored once with sibling slots after it) is
 * reported once, with nr = the number of indices it covers; sibling slots are never
 * reported. Value entries (workingset shadows, swap entries; "exceptional" entries
 * in the radix tree) are reported as PCS_XA_VALUE, never as pointers.
 *
 * Corruption never hangs: node shift must be a multiple of the chunk shift, at most
 * 64 and one step below the parent's; every child's parent and offset must point
 * back; at most max_nodes nodes are visited. Violations return PCS_ERR_CORRUPT
 * with one sentence naming the node.
 */
#ifndef PCS_XARRAY_H
#define PCS_XARRAY_H

#include <stdint.h>

#include "kernel.h"

enum pcs_xa_kind {
	PCS_XA_POINTER,	 /* an object pointer: struct page / struct folio in i_pages */
	PCS_XA_VALUE,	 /* xa_is_value() / radix exceptional: shadow or swap entry */
	PCS_XA_RETRY,	 /* XA_RETRY_ENTRY / RADIX_TREE_RETRY: caught mid-update */
	PCS_XA_ZERO,	 /* XA_ZERO_ENTRY: reserved slot */
	PCS_XA_INTERNAL, /* another internal entry (e.g. an error entry) */
};

struct pcs_xa_entry {
	uint64_t index; /* first index covered */
	uint64_t nr;	/* number of indices covered (1 + siblings) << node shift */
	uint64_t entry; /* raw slot value */
	enum pcs_xa_kind kind;
	uint64_t node; /* xa_node holding the slot; 0 when stored in xa_head */
	uint32_t slot; /* slot index in node */
};

/* Return 0 to continue, nonzero to stop the walk (the walk then returns PCS_OK). */
typedef int (*pcs_xa_fn)(const struct pcs_xa_entry *e, void *arg);

#define PCS_XA_MAX_NODES_DEFAULT (1u << 22)

struct pcs_xa_opts {
	uint64_t first;	    /* first index of interest */
	uint64_t count;	    /* number of indices of interest from first; 0: to the end */
			    /* an entry overlapping the range is reported whole */
	uint32_t max_nodes; /* 0: PCS_XA_MAX_NODES_DEFAULT */
};

/*
 * Walk the tree whose root (struct xarray or struct radix_tree_root) is at kvaddr
 * root. opts may be NULL.
 */
enum pcs_errcode pcs_xa_walk(const struct pcs_kernel *k, uint64_t root,
			     const struct pcs_xa_opts *opts, pcs_xa_fn fn, void *arg,
			     struct pcs_error *err);

/* Classify a raw slot value of a leaf (kernel-generation aware). */
enum pcs_xa_kind pcs_xa_classify(const struct pcs_kernel *k, uint64_t entry);

/* Name of a kind: "pointer", "value", "retry", "zero", "internal". */
const char *pcs_xa_kind_name(enum pcs_xa_kind kind);

#endif /* PCS_XARRAY_H */
