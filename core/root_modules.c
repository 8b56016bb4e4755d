// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modules, the head of the loaded modules' list, lives in the kernel image. A
 * struct module lives in its module's own memory (6.1: the core_layout
 * allocation; 6.4+: mem[MOD_DATA]), a vmalloc area, and its layout's base points
 * to the start of that area. So: walk VMCOREINFO's SYMBOL(vmap_area_list); in each
 * area look for an 8-byte word equal to the area's start at the place a struct
 * module keeps its base, with a consistent list (list.next->prev == &list); from
 * that module walk list to the one entry inside the kernel image: the head.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "loopcheck.h"
#include "roots.h"

#define AREA_MAX    (64ull << 20)
#define AREAS_MAX   100000
#define SCAN_BUDGET (256ull << 20) /* bytes of vmalloc areas read at most */

struct mod_offsets {
	uint64_t base; /* offset in struct module of the base of the area holding it */
	uint64_t list;
};

static enum pcs_errcode mod_offsets(const struct pcs_target *t, struct mod_offsets *o)
{
	uint64_t mem, mbase, msize;
	int64_t data;

	if (pcs_member_offset(t, "module", "list", &o->list, NULL))
		return PCS_ERR_NOTYPE;
	if (pcs_member_offset(t, "module", "core_layout.base", &o->base, NULL) == PCS_OK)
		return PCS_OK;
	if (pcs_member_offset(t, "module", "mem", &mem, NULL) ||
	    pcs_member_offset(t, "module_memory", "base", &mbase, NULL) ||
	    pcs_type_size(t, "module_memory", &msize, NULL) ||
	    pcs_enum_value(t, "MOD_DATA", &data, NULL) || data < 0)
		return PCS_ERR_NOTYPE;
	o->base = mem + (uint64_t)data * msize + mbase;
	return PCS_OK;
}

static bool list_ok(const struct pcs_target *t, uint64_t node)
{
	uint64_t next, prev;

	return pcs_read_u64(t, node, &next, NULL) == PCS_OK &&
	       pcs_read_u64(t, next + 8, &prev, NULL) == PCS_OK && prev == node;
}

/* A struct module inside [start, end), or 0. */
static uint64_t module_in(const struct pcs_target *t, const struct mod_offsets *o, uint64_t start,
			  uint64_t end)
{
	uint64_t len = end - start;
	uint64_t *w;

	if (!len || len > AREA_MAX || !(w = malloc(len)))
		return 0;
	bool damaged = false;

	for (uint64_t off = 0; off < len; off += 4096) {
		uint64_t n = len - off < 4096 ? len - off : 4096;
		enum pcs_errcode rc = damaged ? PCS_ERR_READ
					      : pcs_read_paged(t, PCS_KVADDR, start + off,
							       (uint8_t *)w + off, n, NULL);

		/* a damaged page: read no further (libkdumpfile copes badly with many) */
		damaged |= rc == PCS_ERR_CORRUPT;
		if (rc)
			for (uint64_t i = 0; i < n / 8; i++)
				w[(off / 8) + i] = 0; /* a page the dump lacks holds no match */
	}
	uint64_t found = 0;

	for (uint64_t i = 0; i < len / 8 && !found; i++) {
		uint64_t mod = start + i * 8 - o->base;

		if (w[i] == start && start + i * 8 >= start + o->base &&
		    mod + o->list + 16 <= end && list_ok(t, mod + o->list))
			found = mod;
	}
	free(w);
	return found;
}

enum pcs_errcode pcs_root_modules(const struct pcs_target *t, uint64_t *addr, struct pcs_error *err)
{
	uint64_t lo, hi, head, o_start, o_end, o_list, pos;
	struct mod_offsets o;
	enum pcs_errcode rc;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if (mod_offsets(t, &o) || pcs_member_offset(t, "vmap_area", "va_start", &o_start, NULL) ||
	    pcs_member_offset(t, "vmap_area", "va_end", &o_end, NULL) ||
	    pcs_member_offset(t, "vmap_area", "list", &o_list, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "modules: no struct module / vmap_area layout to find it by");
	if (pcs_vmcoreinfo_u64(t, "SYMBOL(vmap_area_list)", &head, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "modules: VMCOREINFO has no SYMBOL(vmap_area_list) to find a "
				     "module by");
	uint64_t mod = 0, mlo = 0, mhi = 0, budget = SCAN_BUDGET;

	/* areas in the module region first (when VMCOREINFO gives it), then the others */
	if (pcs_vmcoreinfo_u64(t, "NUMBER(MODULES_VADDR)", &mlo, NULL) ||
	    pcs_vmcoreinfo_u64(t, "NUMBER(MODULES_END)", &mhi, NULL))
		mlo = mhi = 0;
	for (int pass = 0; pass < 2 && !mod; pass++) {
		struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;

		if (pcs_read_u64(t, head, &pos, NULL))
			pos = head;
		for (unsigned n = 0; pos != head && n < AREAS_MAX && !mod; n++) {
			uint64_t va = pos - o_list, s, e;

			if (pcs_loopcheck_step(&lc, pos))
				break;
			if (!pcs_read_u64(t, va + o_start, &s, NULL) &&
			    !pcs_read_u64(t, va + o_end, &e, NULL) && e > s &&
			    (s >= mlo && e <= mhi) == (pass == 0) && e - s <= budget) {
				budget -= e - s;
				mod = module_in(t, &o, s, e);
			}
			if (pcs_read_u64(t, pos, &pos, NULL))
				break;
		}
	}
	if (!mod)
		return pcs_error_set(
		    err, PCS_ERR_NOSYM,
		    "modules: no struct module found in any vmalloc area (no module "
		    "loaded?)");
	struct pcs_loopcheck lc2 = PCS_LOOPCHECK_INIT;

	pos = mod + o.list;
	for (unsigned n = 0; n < 1u << 16; n++) {
		if (pos >= lo && pos < hi) {
			*addr = pos;
			return PCS_OK;
		}
		if (pcs_read_u64(t, pos, &pos, NULL) || pcs_loopcheck_step(&lc2, pos))
			break;
	}
	return pcs_error_set(
	    err, PCS_ERR_NOSYM,
	    "modules: the list of module 0x%" PRIx64 " reaches no head in the kernel image", mod);
}
