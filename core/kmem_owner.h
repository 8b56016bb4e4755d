/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who owns a physical address of the dumped kernel's memory: a slab object, a
 * module's text or data, a kernel-image symbol, a task's stack, a page table,
 * the memory map (a struct page), a vmalloc area, a page-cache page, an
 * anonymous or a free page; "unknown" with the page's flags otherwise.
 *
 * The mappings that are not the linear map are collected once when the context
 * is made: module regions and task stacks (translated page by page with the
 * kernel page tables), vmalloc areas (vmap_area_list, their vm_struct.pages),
 * the memory map (each present section's struct pages, translated), and the
 * kernel image (_text.._end). Everything else comes from the page's struct page.
 *
 *	struct pcs_kmem_owner *ko;
 *	pcs_kmem_owner_new(k, ksym, karg, fs, &ko, &err);
 *	pcs_kmem_owner_of(ko, paddr, &owner, &err);
 *	pcs_kmem_owner_free(ko);
 */
#ifndef PCS_KMEM_OWNER_H
#define PCS_KMEM_OWNER_H

#include <stdbool.h>
#include <stdint.h>

#include "fs.h"
#include "kernel.h"
#include "slab.h"
#include "symbolize.h"

enum pcs_owner_kind {
	PCS_OWNER_UNKNOWN = 0,
	PCS_OWNER_SLAB,
	PCS_OWNER_MODULE,
	PCS_OWNER_KERNEL,
	PCS_OWNER_STACK,
	PCS_OWNER_PGTABLE,
	PCS_OWNER_MEMMAP,
	PCS_OWNER_VMALLOC,
	PCS_OWNER_PAGECACHE,
	PCS_OWNER_ANON,
	PCS_OWNER_FREE,
};

/* "slab", "module", "kernel", "stack", "page-table", "memmap", "vmalloc", "page-cache", ... */
const char *pcs_owner_kind_name(enum pcs_owner_kind kind);

struct pcs_owner {
	enum pcs_owner_kind kind;
	uint64_t paddr;		     /* the address asked about */
	uint64_t pfn, page;	     /* its page frame and struct page (0: unknown) */
	uint64_t flags;		     /* page.flags of the (head) page, when read */
	bool flags_read;	     /* flags is valid */
	char flag_names[96];	     /* "reserved|dirty" ... for unknown pages */
	uint64_t vaddr;		     /* the address in the owner's own mapping (module, stack,
					vmalloc, kernel image, vmemmap; linear map otherwise) */
	struct pcs_slab_object slab; /* SLAB */
	char module[64];	     /* MODULE */
	char section[32];	     /* MODULE: ".bss", ".data", ".text" ... */
	char symbol[192];	     /* MODULE, KERNEL, VMALLOC (the area's caller): "name+0xoff" */
	uint32_t pid;		     /* STACK */
	char comm[17];
	uint64_t task;
	uint64_t mapping, index, inode; /* PAGECACHE (index: page index in the file) */
	char path[256];
	uint64_t offset; /* in the owner's unit: module section, stack, vmalloc area, struct page,
			    page-cache page */
	uint64_t described_pfn;	       /* MEMMAP: the pfn whose struct page holds the address */
	uint64_t area_start, area_end; /* VMALLOC */
	char mm[32];		       /* PGTABLE: "init_mm" when on the kernel walk */
	char why[160];		       /* UNKNOWN or details that could not be found */
};

struct pcs_kmem_owner;

/*
 * Build the context. kfn names kernel-image addresses ("name+0xoff/0xsize"; may
 * be NULL), fs names page-cache files (may be NULL). Parts that cannot be read
 * (no SLUB layout, no vmap_area_list ...) are left out and noted, not fatal.
 */
enum pcs_errcode pcs_kmem_owner_new(const struct pcs_kernel *k, pcs_ksym_fn kfn, void *karg,
				    const struct pcs_fs *fs, struct pcs_kmem_owner **out,
				    struct pcs_error *err);
void pcs_kmem_owner_free(struct pcs_kmem_owner *ko);

/* Attribute one physical address. Fails only on allocation failure. */
enum pcs_errcode pcs_kmem_owner_of(struct pcs_kmem_owner *ko, uint64_t paddr, struct pcs_owner *o,
				   struct pcs_error *err);

/* The kernel-image address of [pa, pa + len) in *va: true only when the whole range lies in
 * the image's physical range and outside its [__init_begin, __init_end), which the kernel
 * frees and unmaps after boot (those pages are reused: they have no image alias). */
bool pcs_kmem_owner_image_alias(const struct pcs_kmem_owner *ko, uint64_t pa, uint64_t len,
				uint64_t *va);

/* The SLUB layout, NULL when this kernel's slabs cannot be decoded. */
const struct pcs_slub *pcs_kmem_owner_slub(const struct pcs_kmem_owner *ko);

/* Is the entry at physical address entry_paddr on the kernel page-table walk of vaddr? */
bool pcs_kmem_owner_kernel_pte(const struct pcs_kmem_owner *ko, uint64_t vaddr,
			       uint64_t entry_paddr);

/* One line describing o, e.g. "kmalloc-512 object 0x... +0x88 (allocated)". */
void pcs_owner_describe(const struct pcs_owner *o, char *buf, size_t len);

#endif /* PCS_KMEM_OWNER_H */
