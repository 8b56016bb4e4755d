/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page-cache census: every page-cache folio the memory map knows of,
 * grouped by the address_space it claims, cross-checked against that file's
 * i_pages tree. Finds files no superblock list reaches and pages the tree lost.
 *
 * One pass over the memory map (pcs_memmap_scan(): no data symbols, VMCOREINFO
 * and type info only) keeps every head struct page whose page.mapping is a
 * plain address_space pointer: tail pages, slab pages (struct slab overlays
 * mapping with slab_cache), other page types (buddy, page table, offline...;
 * hugetlb pages are kept) and anon / movable / KSM mappings (PAGE_MAPPING_FLAGS)
 * are skipped. Then, per mapping, in ascending address order:
 *   - the mapping must be an inode's: mapping->host non-NULL and
 *     host->i_mapping == mapping; otherwise every page claiming it is a
 *     PCS_CENSUS_NOT_INODE anomaly and the mapping is not a file;
 *   - its i_pages is walked once (pcs_pagecache_walk(), no_read): every
 *     PCS_PAGE_INCONSISTENT slot is a PCS_CENSUS_INCONSISTENT anomaly, and every
 *     folio whose head claims (mapping, index) while i_pages[index] holds
 *     another page or nothing is a PCS_CENSUS_ORPHAN anomaly (a page caught
 *     mid-removal looks the same; the reason says what was seen);
 *   - a tree that cannot be walked is one PCS_CENSUS_TREE anomaly.
 * Memory is linear in the page-cache folios found; time is one sort of them plus
 * one tree walk per mapping.
 *
 *	struct pcs_census c;
 *	if (pcs_census_take(&k, &c, &err))
 *		die(err.msg);
 *	for (size_t i = 0; i < c.nfiles; i++)
 *		printf("%lx ino %lu: %lu pages\n", c.files[i].inode, c.files[i].ino,
 *		       c.files[i].memmap_pages);
 *	for (size_t i = 0; i < c.nanomalies; i++)
 *		printf("%s: %s\n", pcs_census_kind_name(c.anomalies[i].kind),
 *		       c.anomalies[i].why);
 *	const struct pcs_census_file *f = pcs_census_find(&c, mapping);
 *	pcs_census_free(&c);
 */
#ifndef PCS_CENSUS_H
#define PCS_CENSUS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "memmap.h"

/* A file (inode address_space) some struct page claims. */
struct pcs_census_file {
	uint64_t mapping;      /* struct address_space */
	uint64_t inode;	       /* mapping->host */
	uint64_t ino, sb;      /* host->i_ino, host->i_sb */
	uint64_t size;	       /* host->i_size in bytes */
	uint64_t nrpages;      /* mapping->nrpages: what the kernel counted */
	uint64_t memmap_pages; /* base pages of the folios whose head claims this mapping */
	uint64_t tree_pages;   /* base pages i_pages holds for this file at their own index */
};

enum pcs_census_kind {
	PCS_CENSUS_INCONSISTENT, /* i_pages[index] holds another file's folio, or one not
				    covering index */
	PCS_CENSUS_ORPHAN,	 /* a folio claims (mapping, index), i_pages[index] holds
				    another page or nothing */
	PCS_CENSUS_NOT_INODE,	 /* a folio claims a mapping that is not an inode's page cache */
	PCS_CENSUS_TREE,	 /* the mapping's i_pages could not be walked */
};

#define PCS_CENSUS_WHY_MAX 256

struct pcs_census_anomaly {
	enum pcs_census_kind kind;
	uint64_t mapping; /* the address_space concerned */
	uint64_t index;	  /* the file index (0 for PCS_CENSUS_TREE) */
	uint64_t page;	  /* ORPHAN / NOT_INODE: the claiming struct page; INCONSISTENT:
			     the page in the slot; 0 for TREE */
	uint64_t pfn;	  /* pfn of page (0 when unknown) */
	uint64_t slot;	  /* raw i_pages[index] entry; 0: nothing there or not looked at */
	char why[PCS_CENSUS_WHY_MAX]; /* one sentence */
};

struct pcs_census_stats {
	struct pcs_memmap_stats memmap; /* sections, struct pages visited, unreadable */
	uint64_t tail;			/* tail pages (their head speaks for them) */
	uint64_t slab;			/* slab pages */
	uint64_t typed;			/* other page types with a mapping word set */
	uint64_t anon;			/* mapping tagged anon / movable / KSM */
	uint64_t folios;		/* page-cache folios: heads with a plain mapping */
	uint64_t pages;			/* base pages of those folios */
	uint64_t mappings;		/* distinct mappings they claim */
};

struct pcs_census {
	struct pcs_census_file *files; /* ascending mapping address */
	size_t nfiles;
	struct pcs_census_anomaly *anomalies; /* grouped by mapping (ascending), then index */
	size_t nanomalies;
	struct pcs_census_stats stats;
};

/*
 * Take the census of k's dump into *c (which pcs_census_free() releases, also
 * after a failure). Fails only when it cannot run at all: no usable memory map
 * (PCS_ERR_UNSUPPORTED / PCS_ERR_CORRUPT from pcs_memmap_scan()), type info
 * without address_space.host or the inode fields (PCS_ERR_NOTYPE), or
 * PCS_ERR_NOMEM. What the dump gets wrong is an anomaly, not an error.
 */
enum pcs_errcode pcs_census_take(const struct pcs_kernel *k, struct pcs_census *c,
				 struct pcs_error *err);

/* The file record of mapping, or NULL (binary search). */
const struct pcs_census_file *pcs_census_find(const struct pcs_census *c, uint64_t mapping);

void pcs_census_free(struct pcs_census *c);

/* "inconsistent", "orphan", "not-inode", "tree". */
const char *pcs_census_kind_name(enum pcs_census_kind kind);

#endif /* PCS_CENSUS_H */
