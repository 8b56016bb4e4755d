/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to core/ (kmem_owner.c): the kernel's mappings other than the linear
 * map, reversed: which virtual address (and which module, task stack or vmalloc
 * area) a physical page is mapped at, and where the memory map's struct pages
 * live physically.
 *
 * Sources: vmap_area_list (each busy area's vm_struct.pages[]) gives every
 * vmalloc page with its address; module regions and task stacks are classified
 * by address, and translated with the kernel page tables when the list did not
 * cover them (no vmap_area_list on 6.9+). The memory map: each present
 * section's struct pages, translated a mapping (often 2 MiB) at a time.
 */
#ifndef PCS_KMEM_VMAP_H
#define PCS_KMEM_VMAP_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "pte_walker.h"
#include "symbolize.h"

/* In order of precedence when one page has several. */
enum pcs_vmap_kind {
	PCS_VMAP_MODULE = 0,
	PCS_VMAP_STACK,
	PCS_VMAP_VMALLOC,
};

struct pcs_vmap_page {
	uint64_t pfn, va;
	uint32_t idx; /* into mods (region in sub), tasks or areas */
	uint8_t kind, sub;
};

struct pcs_vmap_task {
	uint64_t task, stack;
	uint32_t pid;
	char comm[17];
};

struct pcs_vmap_area {
	uint64_t start, end, caller;
};

struct pcs_vmemmap_range {
	uint64_t pa, len, va;
};

struct pcs_vmap {
	struct pcs_module_info *mods;
	size_t nmods, modcap;
	struct pcs_vmap_task *tasks; /* sorted by stack */
	size_t ntasks, taskcap;
	struct pcs_vmap_area *areas;
	size_t nareas, areacap;
	struct pcs_vmap_page *pages; /* sorted by pfn */
	size_t npages, pagecap;
	struct pcs_vmemmap_range *vmm; /* sorted by pa */
	size_t nvmm, vmmcap;
	uint64_t thread_size;
	char notes[320]; /* parts left out, and why */
};

/* Collect everything; only PCS_ERR_NOMEM is fatal (the rest is noted in m->notes). */
enum pcs_errcode pcs_vmap_build(struct pcs_vmap *m, const struct pcs_kernel *k,
				const struct pcs_pte_walker *pw, struct pcs_error *err);
void pcs_vmap_free(struct pcs_vmap *m);

const struct pcs_vmap_page *pcs_vmap_find(const struct pcs_vmap *m, uint64_t pfn);
const struct pcs_vmemmap_range *pcs_vmemmap_find(const struct pcs_vmap *m, uint64_t pa);

#endif /* PCS_KMEM_VMAP_H */
