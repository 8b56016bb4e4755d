// SPDX-License-Identifier: GPL-2.0-or-later
/* SLUB: slab of a page, object of an address, allocated or free (mm/slub.c, mm/slab.h). */
#include "slab.h"
#include "roots.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SLAB_MAX_OBJECTS 0x7fffu     /* counters.objects is 15 bits */
#define SLAB_MAX_SIZE	 (64u << 20) /* larger object strides are treated as corruption */

static uint64_t opt(const struct pcs_target *t, const char *type, const char *member)
{
	uint64_t off;

	return pcs_kernel_offset(t, type, member, &off, NULL) ? PCS_OFF_NONE : off;
}

enum pcs_errcode pcs_slub_init(struct pcs_slub *s, const struct pcs_kernel *k,
			       struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	const char *slab = "slab";
	uint64_t sym;
	uint32_t n;
	enum pcs_errcode rc;

	memset(s, 0, sizeof(*s));
	s->k = k;
	s->pg_slab = k->pg.slab; /* enum pageflags, else VMCOREINFO (core/kernel.c) */
	/* 6.10+: no PG_slab; a slab's head page carries the slab page type instead */
	if (s->pg_slab < 0 && !(k->pgtype.slab && k->page.page_type != PCS_OFF_NONE))
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "neither PG_slab (enum pageflags, VMCOREINFO) nor a slab page "
				     "type (VMCOREINFO PAGE_SLAB_MAPCOUNT_VALUE) is known");
	if (opt(t, "kmem_cache", "cpu_slab") == PCS_OFF_NONE)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "struct kmem_cache has no cpu_slab: not a SLUB kernel");
	/* 5.17 moved the slab fields of struct page into struct slab. */
	if (opt(t, "slab", "slab_cache") == PCS_OFF_NONE)
		slab = "page";
	if ((rc = pcs_kernel_offset(t, slab, "slab_cache", &s->o_slab_cache, err)) ||
	    (rc = pcs_kernel_offset(t, slab, "freelist", &s->o_freelist, err)) ||
	    (rc = pcs_kernel_offset(t, slab, "counters", &s->o_counters, err)) ||
	    (rc = pcs_kernel_offset(t, "kmem_cache", "cpu_slab", &s->o_cpu_slab, err)) ||
	    (rc = pcs_kernel_offset(t, "kmem_cache", "size", &s->o_size, err)) ||
	    (rc = pcs_kernel_offset(t, "kmem_cache", "object_size", &s->o_object_size, err)) ||
	    (rc = pcs_kernel_offset(t, "kmem_cache", "offset", &s->o_offset, err)) ||
	    (rc = pcs_kernel_offset(t, "kmem_cache", "name", &s->o_name, err)) ||
	    (rc = pcs_kernel_offset(t, "kmem_cache_cpu", "freelist", &s->o_c_freelist, err)))
		return pcs_error_wrap(err, "SLUB layout");
	s->o_c_slab = opt(t, "kmem_cache_cpu", "slab");
	if (s->o_c_slab == PCS_OFF_NONE)
		s->o_c_slab = opt(t, "kmem_cache_cpu", "page"); /* before 5.17 */
	s->o_red_left_pad = opt(t, "kmem_cache", "red_left_pad");
	s->o_random = opt(t, "kmem_cache", "random");
	s->hardened = s->o_random != PCS_OFF_NONE;
	s->swab = !k->version || k->version >= PCS_KERNEL_VERSION(5, 7, 0);
	if (pcs_symbol(t, "__per_cpu_offset", &sym, NULL) == PCS_OK &&
	    pcs_nr_cpu_ids(t, &n, NULL) == PCS_OK && n > 0 && n <= 8192) {
		s->per_cpu_offset = sym;
		s->nr_cpu_ids = n;
	}
	return PCS_OK;
}

bool pcs_slub_is_slab(const struct pcs_slub *s, uint64_t head_flags, uint32_t head_page_type)
{
	if (s->pg_slab >= 0)
		return head_flags >> s->pg_slab & 1;
	return pcs_page_type_is(head_page_type, s->k->pgtype.slab);
}

uint64_t pcs_swab64(uint64_t v)
{
	return __builtin_bswap64(v);
}

uint64_t pcs_slub_freeptr_decode(const struct pcs_slub *s, uint64_t stored, uint64_t random,
				 uint64_t ptr_addr)
{
	if (!s->hardened)
		return stored;
	return stored ^ random ^ (s->swab ? pcs_swab64(ptr_addr) : ptr_addr);
}

const char *pcs_obj_state_name(enum pcs_obj_state state)
{
	switch (state) {
	case PCS_OBJ_ALLOCATED: return "allocated";
	case PCS_OBJ_FREE: return "free";
	default: return "unknown";
	}
}

struct cache_info {
	uint64_t random, cpu_slab;
	uint32_t offset;
};

static enum pcs_errcode read_cache(const struct pcs_slub *s, uint64_t cache,
				   struct pcs_slab_object *o, struct cache_info *ci,
				   struct pcs_error *err)
{
	const struct pcs_target *t = s->k->t;
	uint64_t name;
	enum pcs_errcode rc;

	memset(ci, 0, sizeof(*ci));
	o->red_left_pad = 0;
	if ((rc = pcs_read_u32(t, cache + s->o_size, &o->size, err)) ||
	    (rc = pcs_read_u32(t, cache + s->o_object_size, &o->object_size, err)) ||
	    (rc = pcs_read_u32(t, cache + s->o_offset, &ci->offset, err)) ||
	    (rc = pcs_read_u64(t, cache + s->o_cpu_slab, &ci->cpu_slab, err)) ||
	    (rc = pcs_read_u64(t, cache + s->o_name, &name, err)))
		return pcs_error_wrap(err, "kmem_cache 0x%" PRIx64, cache);
	if (s->o_red_left_pad != PCS_OFF_NONE &&
	    (rc = pcs_read_u32(t, cache + s->o_red_left_pad, &o->red_left_pad, err)))
		return pcs_error_wrap(err, "kmem_cache 0x%" PRIx64, cache);
	if (s->o_random != PCS_OFF_NONE &&
	    (rc = pcs_read_u64(t, cache + s->o_random, &ci->random, err)))
		return pcs_error_wrap(err, "kmem_cache 0x%" PRIx64, cache);
	/* the name is a string of unknown length: read up to the end of its page */
	memset(o->cache_name, 0, sizeof(o->cache_name));
	for (size_t n = sizeof(o->cache_name) - 1; n > 0; n /= 2)
		if (pcs_read(t, PCS_KVADDR, name, o->cache_name, n, NULL) == PCS_OK)
			break;
	o->cache_name[sizeof(o->cache_name) - 1] = '\0';
	if (!o->size || o->size > SLAB_MAX_SIZE || o->object_size > o->size ||
	    ci->offset + 8 > o->size || o->red_left_pad >= o->size)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "kmem_cache 0x%" PRIx64 " (%s): size %u, object_size %u, "
				     "offset %u, red_left_pad %u",
				     cache, o->cache_name, o->size, o->object_size, ci->offset,
				     o->red_left_pad);
	return PCS_OK;
}

/* Is p the start of one of the slab's objects? */
static bool is_object(const struct pcs_slab_object *o, uint64_t p)
{
	uint64_t rel = p - o->base - o->red_left_pad;

	return p >= o->base + o->red_left_pad && rel % o->size == 0 && rel / o->size < o->objects;
}

/*
 * Follow a free list from head: 1 if it reaches o->object, 0 if it ends without,
 * -1 (with o->why) when it leaves the slab, loops or cannot be read.
 */
static int on_freelist(const struct pcs_slub *s, const struct cache_info *ci,
		       struct pcs_slab_object *o, uint64_t head, const char *what)
{
	uint64_t p = head, stored;

	for (uint32_t n = 0; p; n++) {
		if (n > o->objects || !is_object(o, p)) {
			snprintf(o->why, sizeof(o->why),
				 "%s of slab 0x%" PRIx64 " leaves the slab at 0x%" PRIx64, what,
				 o->slab, p);
			return -1;
		}
		if (p == o->object)
			return 1;
		if (pcs_read_u64(s->k->t, p + ci->offset, &stored, NULL)) {
			snprintf(o->why, sizeof(o->why),
				 "free pointer of object 0x%" PRIx64 " is not in the dump", p);
			return -1;
		}
		p = pcs_slub_freeptr_decode(s, stored, ci->random, p + ci->offset);
	}
	return 0;
}

/* A frozen slab may be a CPU's slab, whose free objects are also on c->freelist. */
static int on_cpu_freelists(const struct pcs_slub *s, const struct cache_info *ci,
			    struct pcs_slab_object *o)
{
	const struct pcs_target *t = s->k->t;

	if (!s->per_cpu_offset || s->o_c_slab == PCS_OFF_NONE) {
		snprintf(o->why, sizeof(o->why),
			 "slab 0x%" PRIx64 " is frozen and the per-CPU slabs are not known "
			 "(__per_cpu_offset, nr_cpu_ids)",
			 o->slab);
		return -1;
	}
	for (uint32_t cpu = 0; cpu < s->nr_cpu_ids; cpu++) {
		uint64_t off, c, cslab, head;
		char what[48];
		int r;

		if (pcs_read_u64(t, s->per_cpu_offset + 8ull * cpu, &off, NULL) ||
		    pcs_read_u64(t, ci->cpu_slab + off + s->o_c_slab, &cslab, NULL)) {
			snprintf(o->why, sizeof(o->why),
				 "kmem_cache_cpu of CPU %u of %s is not in the dump", cpu,
				 o->cache_name);
			return -1;
		}
		if (cslab != o->slab)
			continue;
		c = ci->cpu_slab + off;
		if (pcs_read_u64(t, c + s->o_c_freelist, &head, NULL)) {
			snprintf(o->why, sizeof(o->why),
				 "kmem_cache_cpu.freelist of CPU %u is not in the dump", cpu);
			return -1;
		}
		snprintf(what, sizeof(what), "CPU %u freelist", cpu);
		r = on_freelist(s, ci, o, head, what);
		if (r)
			return r;
	}
	return 0;
}

enum pcs_errcode pcs_slub_object(const struct pcs_slub *s, uint64_t slab, uint64_t head_pfn,
				 uint64_t addr, struct pcs_slab_object *o, struct pcs_error *err)
{
	const struct pcs_target *t = s->k->t;
	struct cache_info ci;
	uint64_t counters, freelist, rel;
	enum pcs_errcode rc;
	int r;

	memset(o, 0, sizeof(*o));
	o->slab = slab;
	if ((rc = pcs_read_u64(t, slab + s->o_slab_cache, &o->cache, err)) ||
	    (rc = pcs_read_u64(t, slab + s->o_freelist, &freelist, err)) ||
	    (rc = pcs_read_u64(t, slab + s->o_counters, &counters, err)))
		return pcs_error_wrap(err, "slab 0x%" PRIx64, slab);
	if ((rc = pcs_paddr_to_lmva(s->k, pcs_pfn_to_paddr(s->k, head_pfn), &o->base, err)))
		return rc;
	if ((rc = read_cache(s, o->cache, o, &ci, err)))
		return pcs_error_wrap(err, "slab 0x%" PRIx64, slab);
	o->inuse = (uint32_t)(counters & 0xffff);
	o->objects = (uint32_t)(counters >> 16 & SLAB_MAX_OBJECTS);
	o->frozen = counters >> 31 & 1;
	if (addr < o->base)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "0x%" PRIx64 " is below slab 0x%" PRIx64 " (0x%" PRIx64 ")",
				     addr, slab, o->base);
	rel = addr - o->base;
	o->index = rel / o->size;
	o->in_object = o->index < o->objects;
	o->object = o->base + o->index * o->size + o->red_left_pad;
	o->offset = (int64_t)(addr - o->object);
	if (!o->in_object) {
		snprintf(o->why, sizeof(o->why), "beyond the slab's %u objects", o->objects);
		return PCS_OK;
	}
	r = on_freelist(s, &ci, o, freelist, "freelist");
	if (!r && o->frozen)
		r = on_cpu_freelists(s, &ci, o);
	o->state = r > 0 ? PCS_OBJ_FREE : r == 0 ? PCS_OBJ_ALLOCATED : PCS_OBJ_UNKNOWN;
	return PCS_OK;
}
