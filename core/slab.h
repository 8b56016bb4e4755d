/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLUB objects: which kmem_cache object holds a kernel address, and whether that
 * object is allocated or free.
 *
 * The slab is the head page of the folio: struct slab overlays struct page
 * (5.17+: slab_cache, freelist, counters; before, the same fields of struct
 * page). counters packs inuse:16, objects:15, frozen:1. Object k of a slab whose
 * first byte is at base starts at base + k * size + red_left_pad (slub_debug
 * red zones). Free objects are chained through a pointer at object + offset,
 * stored as freelist_ptr() does with CONFIG_SLAB_FREELIST_HARDENED:
 *
 *	stored = next ^ s->random ^ swab(&stored)	(5.7+; without swab 4.14..5.6)
 *
 * and as the plain next pointer without it (no kmem_cache.random).
 *
 * A slab's free objects are its own freelist plus, while it is some CPU's
 * slab (frozen), that CPU's kmem_cache_cpu.freelist.
 */
#ifndef PCS_SLAB_H
#define PCS_SLAB_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

struct pcs_slub {
	const struct pcs_kernel *k;
	int pg_slab; /* PG_slab bit of the head page's flags; -1 (6.10+): the slab page type */
	/* struct slab (5.17+) or struct page */
	uint64_t o_slab_cache, o_freelist, o_counters;
	/* struct kmem_cache; o_red_left_pad / o_random: PCS_OFF_NONE when not configured */
	uint64_t o_cpu_slab, o_size, o_object_size, o_offset, o_red_left_pad, o_name, o_random;
	/* struct kmem_cache_cpu */
	uint64_t o_c_freelist, o_c_slab;
	bool hardened;		 /* kmem_cache.random exists: free pointers are encoded */
	bool swab;		 /* hardened pointers byte-swap their address (5.7+) */
	uint64_t per_cpu_offset; /* &__per_cpu_offset[0], 0 when unknown */
	uint32_t nr_cpu_ids;
};

/* Find the layout; PCS_ERR_UNSUPPORTED (naming what is missing) unless SLUB. */
enum pcs_errcode pcs_slub_init(struct pcs_slub *s, const struct pcs_kernel *k,
			       struct pcs_error *err);

/*
 * Is a page with these head page flags and u32 head page.page_type a slab? PG_slab
 * up to 6.9; from 6.10 (no PG_slab) the slab page type VMCOREINFO names.
 */
bool pcs_slub_is_slab(const struct pcs_slub *s, uint64_t head_flags, uint32_t head_page_type);

/* swab() of a 64-bit value. */
uint64_t pcs_swab64(uint64_t v);

/* freelist_ptr(): the next free object from the word stored at ptr_addr (of a cache whose
 * kmem_cache.random is random; ignored unless s->hardened). */
uint64_t pcs_slub_freeptr_decode(const struct pcs_slub *s, uint64_t stored, uint64_t random,
				 uint64_t ptr_addr);

enum pcs_obj_state {
	PCS_OBJ_UNKNOWN = 0,
	PCS_OBJ_ALLOCATED,
	PCS_OBJ_FREE,
};

/* "allocated", "free", "unknown" */
const char *pcs_obj_state_name(enum pcs_obj_state state);

struct pcs_slab_object {
	uint64_t cache;	      /* struct kmem_cache */
	char cache_name[64];  /* kmem_cache.name */
	uint32_t size;	      /* kmem_cache.size: stride between objects */
	uint32_t object_size; /* kmem_cache.object_size */
	uint32_t red_left_pad;
	uint64_t slab; /* struct slab (head struct page) */
	uint64_t base; /* linear-map address of the slab's first byte */
	uint32_t objects, inuse;
	bool frozen;	 /* a CPU slab (or on a CPU's partial list) */
	bool in_object;	 /* false: addr is in the slab's unused tail, no object */
	uint64_t index;	 /* object number in the slab */
	uint64_t object; /* object start (after the left red zone) */
	int64_t offset;	 /* addr - object (negative: in the left red zone) */
	enum pcs_obj_state state;
	char why[160]; /* state unknown: why */
};

/*
 * The object of slab (struct slab address; its first page is head_pfn) that holds
 * the linear-map address addr, and its state.
 */
enum pcs_errcode pcs_slub_object(const struct pcs_slub *s, uint64_t slab, uint64_t head_pfn,
				 uint64_t addr, struct pcs_slab_object *o, struct pcs_error *err);

#endif /* PCS_SLAB_H */
