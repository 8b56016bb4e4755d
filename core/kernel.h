/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel layout discovery, done once per target: the struct member offsets, page
 * flag bits and memory model (SPARSEMEM_VMEMMAP) the page-cache walkers need.
 *
 * Everything is found through struct pcs_target: type info first, VMCOREINFO
 * (OFFSET(x.y), SIZE(x), NUMBER(PG_*)) as the fallback. A struct pcs_kernel is a
 * plain value: no allocation, no global state, free to copy.
 *
 *	struct pcs_kernel k;
 *	if (pcs_kernel_init(&k, target, &err))
 *		die(err.msg);
 *	pcs_pfn_to_page(&k, pfn, &page, &err);
 */
#ifndef PCS_KERNEL_H
#define PCS_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "target.h"

#define PCS_OFF_NONE UINT64_MAX /* member absent in this kernel */

/* Low bits of page.mapping that tag it: anon 0x1, movable 0x2, KSM 0x3 (PAGE_MAPPING_FLAGS). */
#define PCS_PAGE_MAPPING_FLAGS 0x3ull

/* Which tree struct address_space.i_pages (or .page_tree) is. */
enum pcs_tree_kind {
	PCS_TREE_XARRAY, /* 4.20+: struct xarray / struct xa_node */
	PCS_TREE_RADIX,	 /* 4.7..4.19: struct radix_tree_root / radix_tree_node */
};

/* Where the order of a large folio (compound page) is kept in this kernel. */
enum pcs_order_src {
	PCS_ORDER_NONE,		  /* unknown: large folios are reported unsupported */
	PCS_ORDER_FOLIO_ORDER,	  /* u8 folio._folio_order (6.1 .. 6.5) */
	PCS_ORDER_FLAGS_1,	  /* low byte of folio._flags_1 (6.6+) */
	PCS_ORDER_COMPOUND_ORDER, /* u8 page[1].compound_order (4.6 .. 6.2) */
};

/* Layout of the radix tree / XArray nodes (same shape in both generations). */
struct pcs_xa_layout {
	enum pcs_tree_kind kind;
	uint64_t root_head;   /* xarray.xa_head or radix_tree_root.rnode */
	uint64_t node_shift;  /* xa_node.shift (u8) */
	uint64_t node_offset; /* xa_node.offset (u8): slot index in the parent */
	uint64_t node_count;  /* xa_node.count (u8) */
	uint64_t node_parent; /* xa_node.parent */
	uint64_t node_slots;  /* xa_node.slots[] */
	uint32_t chunk_shift; /* XA_CHUNK_SHIFT / RADIX_TREE_MAP_SHIFT (6 or 4) */
};

/* Bit numbers in page.flags; -1 when the kernel does not say. */
struct pcs_pageflags {
	int locked, uptodate, dirty, lru, head, private_, writeback;
	int slab; /* PG_slab (gone in 6.10: slab became a page type, see pcs_pagetypes) */
};

/*
 * page.page_type values of the page types the memory-map census must tell
 * apart, from VMCOREINFO NUMBER(PAGE_SLAB_MAPCOUNT_VALUE) etc.; 0 when the dump
 * does not say. Two encodings: ~PG_x (a cleared bit, up to 6.11) and PGTY_x << 24
 * (6.12+); pcs_page_type_is() understands both.
 */
struct pcs_pagetypes {
	uint32_t slab;	  /* 6.10+ */
	uint32_t hugetlb; /* 6.9+ */
	uint32_t buddy;	  /* free pages (first page of a buddy block) */
};

/*
 * Memory model: struct page address <-> pfn <-> paddr <-> linear-map VA.
 *	page  = vmemmap + pfn * sizeof(struct page)
 *	paddr = pfn << page_shift
 *	lm_va = paddr - phys_offset + page_offset
 */
struct pcs_memmodel {
	bool ok;
	char why[256];	      /* when !ok: what was missing, one sentence */
	uint64_t vmemmap;     /* address of the struct page of pfn 0 (may be virtual) */
	uint64_t page_offset; /* linear-map VA of physical address phys_offset */
	uint64_t phys_offset; /* arm64 PHYS_OFFSET (memstart_addr); 0 on x86_64 */
	uint64_t lm_size;     /* size of the linear map (bound for pcs_lmva_to_paddr) */
	uint64_t va_bits;     /* arm64 only, informational */
	const char *source;   /* how vmemmap was found, e.g. "VMCOREINFO NUMBER(VMEMMAP_START)" */
};

struct pcs_kernel {
	const struct pcs_target *t;
	uint32_t page_size;
	uint32_t page_shift;
	uint32_t version; /* PCS_KERNEL_VERSION, copied from the target */

	struct {
		uint64_t size;	   /* sizeof(struct page) */
		uint64_t flags;	   /* page.flags */
		uint64_t mapping;  /* page.mapping */
		uint64_t index;	   /* page.index (folio.index on 6.16+) */
		uint64_t refcount; /* page._refcount (_count before 4.6); PCS_OFF_NONE */
		uint64_t
		    compound_head; /* page.compound_head (4.6+; compound_info 7.1+); PCS_OFF_NONE */
		uint64_t private_; /* page.private; PCS_OFF_NONE */
		uint64_t page_type; /* u32 page.page_type (= _mapcount), 4.18+; PCS_OFF_NONE */
	} page;

	/* 7.1+: page.compound_info may hold a mask (head = page & info), not head + 1. */
	bool compound_info_mask;

	/* Order of a large folio: read a u8 at head + order_off (relative to head page). */
	enum pcs_order_src order_src;
	uint64_t order_off;

	struct {
		uint64_t i_pages; /* address_space.i_pages (page_tree before 4.17) */
		uint64_t nrpages; /* address_space.nrpages */
		uint64_t host;	  /* address_space.host */
	} mapping;

	struct {
		uint64_t i_mapping, i_ino, i_size, i_sb; /* PCS_OFF_NONE when absent */
	} inode;

	struct pcs_xa_layout xa;
	struct pcs_pageflags pg;
	struct pcs_pagetypes pgtype;
	struct pcs_memmodel mm;
};

/*
 * Discover the layout. Fails (naming what is missing) only when the page-cache walk
 * itself is impossible: sizeof(struct page), page.flags/mapping/index, the i_pages
 * tree. A missing memory model is recorded in k->mm.why and reported by the
 * address conversions below, not here.
 */
enum pcs_errcode pcs_kernel_init(struct pcs_kernel *k, const struct pcs_target *t,
				 struct pcs_error *err);

/* Front ends that know better (crash's machdep) may override the memory model. */
void pcs_kernel_set_memmodel(struct pcs_kernel *k, uint64_t vmemmap, uint64_t page_offset,
			     uint64_t phys_offset);

/* Address conversions; PCS_ERR_UNSUPPORTED with k->mm.why when the model is unknown. */
enum pcs_errcode pcs_page_to_pfn(const struct pcs_kernel *k, uint64_t page, uint64_t *pfn,
				 struct pcs_error *err);
enum pcs_errcode pcs_pfn_to_page(const struct pcs_kernel *k, uint64_t pfn, uint64_t *page,
				 struct pcs_error *err);
uint64_t pcs_pfn_to_paddr(const struct pcs_kernel *k, uint64_t pfn);
uint64_t pcs_paddr_to_pfn(const struct pcs_kernel *k, uint64_t paddr);
enum pcs_errcode pcs_paddr_to_lmva(const struct pcs_kernel *k, uint64_t paddr, uint64_t *va,
				   struct pcs_error *err);
/* PCS_ERR_INVAL when va is not in the linear map. */
enum pcs_errcode pcs_lmva_to_paddr(const struct pcs_kernel *k, uint64_t va, uint64_t *paddr,
				   struct pcs_error *err);

/* One line per discovered item (tree kind, order source, memory model), for `info -v`. */
void pcs_kernel_describe(const struct pcs_kernel *k, FILE *fp);

/* Does a u32 page.page_type carry any page type (page_has_type(): below -128 as an int)? */
static inline bool pcs_page_has_type(uint32_t page_type)
{
	return (int32_t)page_type < -128;
}

/* Is page_type the type whose VMCOREINFO value is value (either encoding)? */
bool pcs_page_type_is(uint32_t page_type, uint32_t value);

/* Read page.flags of a struct page. */
enum pcs_errcode pcs_page_flags(const struct pcs_kernel *k, uint64_t page, uint64_t *flags,
				struct pcs_error *err);

/* Layout-lookup helpers shared by core files: type info, then VMCOREINFO. */
enum pcs_errcode pcs_kernel_offset(const struct pcs_target *t, const char *type, const char *member,
				   uint64_t *off, struct pcs_error *err);
enum pcs_errcode pcs_kernel_size(const struct pcs_target *t, const char *type, uint64_t *size,
				 struct pcs_error *err);

#endif /* PCS_KERNEL_H */
