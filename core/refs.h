/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who still points into a physical range: every aligned 8-byte word of the
 * dump's physical memory whose value is
 *   - a linear-map address in the range,
 *   - a kernel-image address in it (when the range is part of the image),
 *   - an address inside the struct page of one of its pages, or of the head
 *     page (folio) such a page belongs to,
 *   - a page-table entry mapping one of its pages (the output address is in the
 *     range and the word decodes as a valid page descriptor),
 * found in one streaming pass over every present memory section (pages the
 * dump does not hold are counted, never read as zeros), and attributed to its
 * owner (core/kmem_owner.h). With depth > 1 the search goes on from each hit
 * inside a slab object: its holders are the words pointing anywhere into
 * [object, object + object_size) - members such as list_head are pointed at,
 * not only the object's start - one pass per level for all objects at once.
 *
 * A word is reported once (the same physical word found again, at a deeper
 * level or for another target, is dropped), and words inside the searched
 * range or object itself (self references: empty list heads, back pointers)
 * are counted, not reported.
 */
#ifndef PCS_REFS_H
#define PCS_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fs.h"
#include "kernel.h"
#include "kmem_owner.h"
#include "symbolize.h"

struct pcs_exec;

enum pcs_ref_via {
	PCS_VIA_LINEAR = 0,  /* a linear-map address in the range */
	PCS_VIA_IMAGE,	     /* a kernel-image address in the range */
	PCS_VIA_STRUCT_PAGE, /* into the struct page of a page in the range */
	PCS_VIA_FOLIO,	     /* into the struct page of its head page */
	PCS_VIA_PTE,	     /* a page-table entry mapping a page of the range */
	PCS_VIA_OBJECT,	     /* (holders) into the slab object held */
};

/* "linear-map", "kernel-image", "struct-page", "folio", "pte", "object" */
const char *pcs_ref_via_name(enum pcs_ref_via via);

/* --- the target table: address ranges matched against every word ---------------------- */

struct pcs_ref_range {
	uint64_t start, end;	    /* matched values: [start, end) */
	uint64_t self_pa, self_len; /* physical bytes of the target itself (0: unknown) */
	uint32_t owner;		    /* whose target: PCS_REF_TARGET_ROOT or a ref index */
	uint8_t via;		    /* enum pcs_ref_via */
};

#define PCS_REF_TARGET_ROOT UINT32_MAX

struct pcs_ref_table {
	struct pcs_ref_range *v;
	size_t n, cap;
	uint64_t lo, hi; /* bounds of all ranges, after sealing */
};

enum pcs_errcode pcs_ref_table_add(struct pcs_ref_table *t, const struct pcs_ref_range *r,
				   struct pcs_error *err);
/* Sort; where ranges overlap, the one that starts first (the longer on a tie) keeps it. */
void pcs_ref_table_seal(struct pcs_ref_table *t);
/* The range holding v, or NULL. */
const struct pcs_ref_range *pcs_ref_table_find(const struct pcs_ref_table *t, uint64_t v);
void pcs_ref_table_free(struct pcs_ref_table *t);

/* --- one streaming pass over physical memory -------------------------------------------- */

struct pcs_ref_hit {
	uint64_t paddr, value;
	const struct pcs_ref_range *range;
};

struct pcs_ref_scan_stats {
	uint64_t sections;
	uint64_t pages;	      /* pages searched */
	uint64_t not_in_dump; /* pages the dump does not hold: not searched */
	uint64_t unreadable;  /* pages whose read failed otherwise */
};

/* Return nonzero to stop the scan. */
typedef int (*pcs_ref_hit_fn)(const struct pcs_ref_hit *h, void *arg);

/*
 * Every word of every present section matched against tab (sealed) and, when pte
 * is not NULL, as a page descriptor against the physical range pte->[start, end).
 * With x (core/exec.h), runs of up to 512 pages are searched on its workers; fn
 * still sees every hit on the calling thread, in address order, and st counts
 * what a one-thread pass stopped by fn at the same hit would have counted.
 * max_hits (0: none): fn stops the scan at the latest at its max_hits-th hit, so
 * no run keeps more hits than that.
 */
enum pcs_errcode pcs_ref_scan(const struct pcs_kernel *k, const struct pcs_exec *x,
			      const struct pcs_ref_table *tab, const struct pcs_ref_range *pte,
			      uint64_t max_hits, pcs_ref_hit_fn fn, void *arg,
			      struct pcs_ref_scan_stats *st, struct pcs_error *err);

/* --- the search ----------------------------------------------------------------------- */

struct pcs_refs_query {
	uint64_t paddr, len; /* the physical range */
	unsigned int depth;  /* 1: words pointing into the range; n: n levels of holders */
	pcs_ksym_fn kfn;     /* kernel-image symbols (may be NULL) */
	void *karg;
	const struct pcs_fs *fs;     /* page-cache paths (may be NULL) */
	size_t max_per_level;	     /* 0: PCS_REFS_MAX_PER_LEVEL */
	const struct pcs_exec *exec; /* workers for the scans (core/exec.h), or NULL */
};

#define PCS_REFS_MAX_DEPTH     16
#define PCS_REFS_MAX_PER_LEVEL 10000
#define PCS_REF_ROOT	       SIZE_MAX

struct pcs_ref {
	uint64_t paddr;	 /* physical address of the word */
	uint64_t vaddr;	 /* its linear-map address (0: outside the linear map) */
	uint64_t value;	 /* the word */
	uint64_t target; /* start of what it matched: range start, or the object (holders) */
	enum pcs_ref_via via;
	unsigned int level; /* 1: points into the range; 2: into a level-1 object ... */
	size_t parent;	    /* the ref whose object this word holds, PCS_REF_ROOT */
	size_t same_object; /* PCS_REF_ROOT, or an earlier ref in the same object (its
			       holders are listed there) */
	struct pcs_owner owner;
};

struct pcs_refs_summary {
	uint64_t sections, pages_searched, pages_not_in_dump, pages_unreadable;
	unsigned int passes;
	uint64_t hits;	    /* level-1 references */
	uint64_t holders;   /* deeper levels */
	uint64_t self_refs; /* words inside the searched range/object itself, not reported */
	bool truncated;	    /* a level had more than max_per_level hits */
};

struct pcs_refs {
	uint64_t paddr, len;
	uint64_t pfn;
	uint64_t lm_vaddr;    /* linear-map address of paddr */
	uint64_t struct_page; /* struct page of the first pfn */
	uint64_t folio;	      /* its head page when it is a tail page, else 0 */
	uint64_t image_vaddr; /* kernel-image alias, 0 when not in the image */
	unsigned int depth;
	size_t limit; /* hits kept per level */
	struct pcs_ref *v;
	size_t n, cap;
	struct pcs_refs_summary sum;
};

/*
 * Run the search. PCS_ERR_NOTFOUND when the range is not inside the dump's
 * memory sections, PCS_ERR_INVAL for an empty range or a bad depth.
 */
enum pcs_errcode pcs_refs_find(const struct pcs_kernel *k, const struct pcs_refs_query *q,
			       struct pcs_refs *out, struct pcs_error *err);
void pcs_refs_free(struct pcs_refs *r);

/* Text report: the range, one block per reference with its holders, the summary. */
void pcs_refs_print_text(const struct pcs_refs *r, FILE *fp);

/*
 * JSON document (same bytes from both front ends):
 * {"range": {"paddr","len","pfn","vaddr","struct_page","folio"?,"image_vaddr"?},
 *  "depth": N,
 *  "refs": [{"kind","paddr","vaddr","value","via","target", "pfn", owner fields
 *            ("cache","object","object_size","offset","state" | "module","section",
 *             "symbol" | "pid","comm" | "path","inode","index" | ...),
 *            "holders": [same shape]}],
 *  "summary": {"sections","pages_searched","pages_not_in_dump","pages_unreadable",
 *              "passes","hits","holders","self_references","truncated"}}
 */
void pcs_refs_print_json(const struct pcs_refs *r, FILE *fp);

#endif /* PCS_REFS_H */
