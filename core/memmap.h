/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory map (SPARSEMEM): which page frames exist and where their struct
 * pages are, from the mem_section table VMCOREINFO names (SYMBOL(mem_section),
 * LENGTH(mem_section), SIZE(mem_section), OFFSET(mem_section.section_mem_map),
 * NUMBER(SECTION_SIZE_BITS)). No data symbols are needed: Debian's kernels have
 * KALLSYMS_ALL=n.
 *
 *	pcs_memmap_for_each_section(&k, on_section, arg, &err);
 *	pcs_memmap_scan(&k, on_page, arg, &stats, &err);    // every struct page, in bulk
 */
#ifndef PCS_MEMMAP_H
#define PCS_MEMMAP_H

#include <stdint.h>

#include "kernel.h"

/* One present memory section: page frames [start_pfn, end_pfn). */
struct pcs_mem_section {
	uint64_t nr; /* section number */
	uint64_t start_pfn, end_pfn;
	uint64_t mem_map; /* struct page address of start_pfn */
};

/* Return nonzero to stop (the walk then returns PCS_OK). */
typedef int (*pcs_mem_section_fn)(const struct pcs_mem_section *s, void *arg);

/*
 * Every section with a memory map, in ascending pfn order. PCS_ERR_UNSUPPORTED
 * (naming the missing VMCOREINFO entry) when the dump does not describe the
 * table; a root that cannot be read is skipped, not fatal.
 */
enum pcs_errcode pcs_memmap_for_each_section(const struct pcs_kernel *k, pcs_mem_section_fn fn,
					     void *arg, struct pcs_error *err);

/* log2 of the section size in bytes (NUMBER(SECTION_SIZE_BITS), else the arch default). */
unsigned int pcs_memmap_section_bits(const struct pcs_kernel *k);

struct pcs_memmap_page {
	uint64_t pfn;
	uint64_t page;	    /* struct page address */
	const uint8_t *raw; /* the struct page, k->page.size bytes */
};

typedef int (*pcs_memmap_page_fn)(const struct pcs_memmap_page *p, void *arg);

struct pcs_memmap_stats {
	uint64_t sections;
	uint64_t pages;	     /* struct pages visited */
	uint64_t unreadable; /* struct pages the dump does not hold (skipped) */
};

/*
 * Visit every struct page of every present section, read in bulk. Struct pages
 * the dump does not contain are counted in stats->unreadable, not visited.
 * stats may be NULL.
 */
enum pcs_errcode pcs_memmap_scan(const struct pcs_kernel *k, pcs_memmap_page_fn fn, void *arg,
				 struct pcs_memmap_stats *stats, struct pcs_error *err);

/* Raw 64-bit field of a struct page image (0 when off is PCS_OFF_NONE or out of range). */
uint64_t pcs_page_field(const struct pcs_kernel *k, const uint8_t *raw, uint64_t off);

#endif /* PCS_MEMMAP_H */
