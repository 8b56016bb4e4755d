// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPARSEMEM's mem_section table (include/linux/mmzone.h): roots of sections,
 * each section_mem_map encoding (mem_map - section_start_pfn) | flags.
 */
#include "memmap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SECTION_HAS_MEM_MAP 0x2ull
#define SECTION_MAP_MASK    (~0x3full)
#define ROOT_CHUNK	    512u  /* root pointers read at once */
#define PAGE_CHUNK	    1024u /* struct pages read at once */
#define MAX_ROOTS	    (1ull << 26)

static bool vi(const struct pcs_kernel *k, const char *key, uint64_t *v)
{
	return pcs_vmcoreinfo_u64(k->t, key, v, NULL) == PCS_OK;
}

uint64_t pcs_page_field(const struct pcs_kernel *k, const uint8_t *raw, uint64_t off)
{
	uint64_t v = 0;

	if (off != PCS_OFF_NONE && off + 8 <= k->page.size)
		memcpy(&v, raw + off, 8);
	return v;
}

unsigned int pcs_memmap_section_bits(const struct pcs_kernel *k)
{
	uint64_t bits;

	if (vi(k, "NUMBER(SECTION_SIZE_BITS)", &bits) && bits >= 20 && bits <= 40)
		return (unsigned int)bits;
	if (k->t->arch == PCS_ARCH_ARM64) {
		/* arch/arm64/include/asm/sparsemem.h: 30 until 5.11, then 27 (29 for 64K pages) */
		if (k->version && k->version < PCS_KERNEL_VERSION(5, 12, 0))
			return 30;
		return k->page_shift == 16 ? 29 : 27;
	}
	return 27; /* x86_64 */
}

struct table {
	uint64_t roots, nroots, size, off, per_root;
	bool extreme;
	unsigned int pfn_shift; /* SECTION_SIZE_BITS - PAGE_SHIFT */
};

static enum pcs_errcode table_read(const struct pcs_kernel *k, struct table *tb,
				   struct pcs_error *err)
{
	uint64_t physbits;
	unsigned int bits = pcs_memmap_section_bits(k);

	memset(tb, 0, sizeof(*tb));
	if (!vi(k, "SYMBOL(mem_section)", &tb->roots) || !tb->roots)
		return pcs_error_set(
		    err, PCS_ERR_UNSUPPORTED,
		    "VMCOREINFO has no SYMBOL(mem_section): not a SPARSEMEM kernel?");
	if (!vi(k, "LENGTH(mem_section)", &tb->nroots) || !tb->nroots || tb->nroots > MAX_ROOTS)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "VMCOREINFO has no usable LENGTH(mem_section)");
	if (pcs_kernel_size(k->t, "mem_section", &tb->size, NULL) || !tb->size ||
	    tb->size > k->page_size)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "sizeof(struct mem_section) is in neither the type info nor "
				     "VMCOREINFO");
	if (pcs_kernel_offset(k->t, "mem_section", "section_mem_map", &tb->off, NULL))
		tb->off = 0;
	if (bits <= k->page_shift)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "SECTION_SIZE_BITS %u <= PAGE_SHIFT %u",
				     bits, k->page_shift);
	tb->pfn_shift = bits - k->page_shift;
	/* Without SPARSEMEM_EXTREME the table is a static array, one section per root. */
	tb->extreme = true;
	if (vi(k, "NUMBER(MAX_PHYSMEM_BITS)", &physbits) && physbits > bits &&
	    physbits - bits < 40 && tb->nroots == 1ull << (physbits - bits))
		tb->extreme = false;
	tb->per_root = tb->extreme ? k->page_size / tb->size : 1;
	return PCS_OK;
}

/* Visit the sections of one root (a page of struct mem_section). */
static int visit_root(const struct pcs_kernel *k, const struct table *tb, uint64_t i, uint64_t base,
		      pcs_mem_section_fn fn, void *arg)
{
	uint8_t *buf = malloc(tb->per_root * tb->size);
	int stop = 0;

	if (!buf)
		return -1;
	if (pcs_read(k->t, PCS_KVADDR, base, buf, tb->per_root * tb->size, NULL)) {
		free(buf);
		return 0; /* a root the dump does not hold: skipped */
	}
	for (uint64_t j = 0; j < tb->per_root && !stop; j++) {
		uint64_t map = 0, nr = i * tb->per_root + j;
		struct pcs_mem_section s;

		if (tb->off + 8 <= tb->size)
			memcpy(&map, buf + j * tb->size + tb->off, 8);
		if (!(map & SECTION_HAS_MEM_MAP))
			continue;
		s.nr = nr;
		s.start_pfn = nr << tb->pfn_shift;
		s.end_pfn = (nr + 1) << tb->pfn_shift;
		s.mem_map = (map & SECTION_MAP_MASK) + s.start_pfn * k->page.size;
		stop = fn(&s, arg);
	}
	free(buf);
	return stop;
}

enum pcs_errcode pcs_memmap_for_each_section(const struct pcs_kernel *k, pcs_mem_section_fn fn,
					     void *arg, struct pcs_error *err)
{
	struct table tb;
	enum pcs_errcode rc = table_read(k, &tb, err);
	uint64_t ptrs[ROOT_CHUNK];

	if (rc)
		return rc;
	if (!tb.extreme) {
		for (uint64_t i = 0; i < tb.nroots; i++) {
			int r = visit_root(k, &tb, i, tb.roots + i * tb.size, fn, arg);

			if (r < 0)
				return pcs_error_set(err, PCS_ERR_NOMEM, "reading mem_section");
			if (r)
				break;
		}
		return PCS_OK;
	}
	for (uint64_t i = 0; i < tb.nroots; i += ROOT_CHUNK) {
		uint64_t n = tb.nroots - i < ROOT_CHUNK ? tb.nroots - i : ROOT_CHUNK;

		if (pcs_read(k->t, PCS_KVADDR, tb.roots + 8 * i, ptrs, 8 * n, NULL)) {
			/* part of the array is missing: one pointer at a time */
			for (uint64_t j = 0; j < n; j++)
				if (pcs_read_u64(k->t, tb.roots + 8 * (i + j), &ptrs[j], NULL))
					ptrs[j] = 0;
		}
		for (uint64_t j = 0; j < n; j++) {
			int r;

			if (!ptrs[j])
				continue;
			r = visit_root(k, &tb, i + j, ptrs[j], fn, arg);
			if (r < 0)
				return pcs_error_set(err, PCS_ERR_NOMEM, "reading mem_section");
			if (r)
				return PCS_OK;
		}
	}
	return PCS_OK;
}

struct scan {
	const struct pcs_kernel *k;
	pcs_memmap_page_fn fn;
	void *arg;
	struct pcs_memmap_stats *st;
	uint8_t *buf;
	int stopped;
};

static int visit_pages(struct scan *sc, uint64_t pfn, uint64_t page, const uint8_t *raw, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		struct pcs_memmap_page p = {.pfn = pfn + i,
					    .page = page + i * sc->k->page.size,
					    .raw = raw + i * sc->k->page.size};

		sc->st->pages++;
		if (sc->fn(&p, sc->arg))
			return sc->stopped = 1;
	}
	return 0;
}

static int scan_section(const struct pcs_mem_section *s, void *arg)
{
	struct scan *sc = arg;
	uint64_t sz = sc->k->page.size;

	sc->st->sections++;
	for (uint64_t pfn = s->start_pfn; pfn < s->end_pfn; pfn += PAGE_CHUNK) {
		uint64_t n = s->end_pfn - pfn < PAGE_CHUNK ? s->end_pfn - pfn : PAGE_CHUNK;
		uint64_t page = s->mem_map + (pfn - s->start_pfn) * sz;

		if (!pcs_read(sc->k->t, PCS_KVADDR, page, sc->buf, n * sz, NULL)) {
			if (visit_pages(sc, pfn, page, sc->buf, n))
				return 1;
			continue;
		}
		/* part of the chunk is missing: one struct page at a time */
		for (uint64_t i = 0; i < n; i++) {
			if (pcs_read(sc->k->t, PCS_KVADDR, page + i * sz, sc->buf, sz, NULL)) {
				sc->st->unreadable++;
				continue;
			}
			if (visit_pages(sc, pfn + i, page + i * sz, sc->buf, 1))
				return 1;
		}
	}
	return 0;
}

enum pcs_errcode pcs_memmap_scan(const struct pcs_kernel *k, pcs_memmap_page_fn fn, void *arg,
				 struct pcs_memmap_stats *stats, struct pcs_error *err)
{
	struct pcs_memmap_stats local = {0};
	struct scan sc = {.k = k, .fn = fn, .arg = arg, .st = stats ? stats : &local};
	enum pcs_errcode rc;

	memset(sc.st, 0, sizeof(*sc.st));
	if (!k->mm.ok)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "%s", k->mm.why);
	sc.buf = malloc(PAGE_CHUNK * k->page.size);
	if (!sc.buf)
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a struct page buffer");
	rc = pcs_memmap_for_each_section(k, scan_section, &sc, err);
	free(sc.buf);
	if (!rc && !sc.st->sections)
		rc = pcs_error_set(err, PCS_ERR_CORRUPT,
				   "mem_section lists no section with a memory map");
	return rc;
}
