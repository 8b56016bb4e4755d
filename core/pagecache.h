/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page cache of one file (struct address_space), one row per base page, in
 * index order, streamed to a callback: nothing is buffered beyond one page.
 *
 * Large folios expand to one row per page. With opts.nr_index set, indices in
 * [0, nr_index) with no entry get a PCS_PAGE_NOT_CACHED row (holes of the file).
 *
 * Every slot's folio is checked against the slot: its page.mapping (low
 * PAGE_MAPPING_FLAGS bits stripped) must be the walked address_space and its
 * index range must cover the slot's index. A slot that fails either check is a
 * PCS_PAGE_INCONSISTENT row: never read, hashed or compared.
 *
 *	struct pcs_pagecache_opts o = { .hash = PCS_HASH_MD5, .nr_index = pages };
 *	pcs_pagecache_walk(&k, mapping, &o, print_row, fp, &sum, &err);
 */
#ifndef PCS_PAGECACHE_H
#define PCS_PAGECACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"
#include "pagehash.h"

enum pcs_page_status {
	PCS_PAGE_PRESENT,      /* cached and contained in the dump */
	PCS_PAGE_EXCLUDED,     /* cached, but the dump does not contain it (PCS_ERR_NODATA) */
	PCS_PAGE_NOT_CACHED,   /* no entry (hole), only with opts.nr_index */
	PCS_PAGE_SHADOW,       /* value entry: evicted, workingset shadow (or swap/DAX) */
	PCS_PAGE_ERROR,	       /* entry unusable (retry entry, bad page pointer, read error) */
	PCS_PAGE_INCONSISTENT, /* the slot's folio belongs to another file or another index */
};

struct pcs_page_row {
	uint64_t index;	 /* page index in the file */
	uint64_t offset; /* file offset: index * page_size */
	uint64_t page;	 /* struct page address; 0 for holes / shadows; INCONSISTENT: the slot's */
	uint64_t pfn;
	uint64_t paddr;
	uint64_t vaddr; /* linear-map VA of paddr; 0 when unknown */
	uint64_t folio; /* head page of the folio */
	unsigned int folio_order;
	uint64_t entry; /* raw i_pages slot value (the shadow value for shadows) */
	enum pcs_page_status status;
	const char *why;	  /* ERROR / EXCLUDED / INCONSISTENT: one sentence; else NULL */
	const void *data;	  /* page contents (page_size bytes) when present and read */
	struct pcs_digest digest; /* when opts.hash and present; len 0 otherwise */
};

/* Return 0 to continue, nonzero to stop (the walk then returns PCS_OK). */
typedef int (*pcs_page_row_fn)(const struct pcs_page_row *row, void *arg);

struct pcs_pagecache_opts {
	enum pcs_hash_algo hash; /* PCS_HASH_NONE: no digest */
	bool no_read;		 /* don't read page contents (status then never EXCLUDED) */
	uint64_t nr_index;	 /* > 0: report holes below this index as NOT_CACHED */
	uint64_t first;		 /* first index of interest */
	uint64_t count;		 /* indices of interest from first; 0: to the end */
};

struct pcs_pagecache_summary {
	uint64_t rows, present, excluded, not_cached, shadow, errors, inconsistent;
	uint64_t folios, large_folios;
	uint64_t nrpages; /* address_space.nrpages as the kernel counted it */
};

struct pcs_mapping_info {
	uint64_t mapping; /* struct address_space address */
	uint64_t host;	  /* struct inode address */
	uint64_t nrpages;
	uint64_t i_pages; /* address of the tree root */
};

struct pcs_inode_info {
	uint64_t inode;
	uint64_t ino;
	uint64_t size; /* i_size in bytes */
	uint64_t sb;
	uint64_t mapping; /* i_mapping */
};

enum pcs_errcode pcs_mapping_read(const struct pcs_kernel *k, uint64_t mapping,
				  struct pcs_mapping_info *mi, struct pcs_error *err);
enum pcs_errcode pcs_inode_read(const struct pcs_kernel *k, uint64_t inode,
				struct pcs_inode_info *ii, struct pcs_error *err);

/*
 * Walk the page cache of the address_space at mapping. sum (may be NULL) is
 * filled even when fn stops the walk early. opts may be NULL.
 */
enum pcs_errcode pcs_pagecache_walk(const struct pcs_kernel *k, uint64_t mapping,
				    const struct pcs_pagecache_opts *opts, pcs_page_row_fn fn,
				    void *arg, struct pcs_pagecache_summary *sum,
				    struct pcs_error *err);

/* "present", "excluded", "not-cached", "shadow", "error", "inconsistent". */
const char *pcs_page_status_name(enum pcs_page_status s);

#endif /* PCS_PAGECACHE_H */
