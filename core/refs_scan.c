// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reference scan: a sorted table of target ranges and one streaming pass
 * over physical memory, section by section, in large reads.
 */
#include "refs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "memmap.h"
#include "pte.h"

#define CHUNK_PAGES 512u /* pages read at once (2 MiB of 4K pages) */

enum pcs_errcode pcs_ref_table_add(struct pcs_ref_table *t, const struct pcs_ref_range *r,
				   struct pcs_error *err)
{
	if (r->end <= r->start)
		return PCS_OK;
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		struct pcs_ref_range *v = realloc(t->v, nc * sizeof(*v));

		if (!v)
			return pcs_error_set(err, PCS_ERR_NOMEM,
					     "out of memory for the target table");
		t->v = v;
		t->cap = nc;
	}
	t->v[t->n++] = *r;
	return PCS_OK;
}

static int cmp_range(const void *a, const void *b)
{
	const struct pcs_ref_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end; /* the longer first */
}

void pcs_ref_table_seal(struct pcs_ref_table *t)
{
	size_t j = 0;

	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_range);
	for (size_t i = 0; i < t->n; i++) {
		struct pcs_ref_range cur = t->v[i];

		if (j && cur.start < t->v[j - 1].end) {
			if (cur.end <= t->v[j - 1].end)
				continue;
			cur.start = t->v[j - 1].end;
		}
		t->v[j++] = cur;
	}
	t->n = j;
	t->lo = j ? t->v[0].start : 0;
	t->hi = j ? t->v[j - 1].end : 0;
}

const struct pcs_ref_range *pcs_ref_table_find(const struct pcs_ref_table *t, uint64_t v)
{
	size_t lo = 0, hi = t->n;

	if (v < t->lo || v >= t->hi)
		return NULL;
	while (lo < hi) { /* the last range starting at or below v */
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].start <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && v < t->v[lo - 1].end ? &t->v[lo - 1] : NULL;
}

void pcs_ref_table_free(struct pcs_ref_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

struct scan {
	const struct pcs_kernel *k;
	const struct pcs_ref_table *tab;
	const struct pcs_ref_range *pte;
	uint64_t oa_mask, valid_mask, valid_bits; /* quick descriptor test */
	struct pcs_pte_decode *dec;
	pcs_ref_hit_fn fn;
	void *arg;
	struct pcs_ref_scan_stats *st;
	uint8_t *buf;
	int stop;
	bool nomem;
};

/*
 * Bits a leaf entry Linux writes keeps clear, beyond what the MMU checks: random
 * data (code bytes) with the valid bit and the right address bits is not a PTE.
 * x86_64: bits 52-57 (58 is _PAGE_DEVMAP), and the protection key 59-62 unless
 * the page is a user one. arm64: AF set (PTE_AF is in every valid kernel and user
 * protection), NS clear, OA[49:48] clear (no 52-bit PAs), bits 59-63 clear (PBHA,
 * ignored).
 */
static bool linux_leaf(enum pcs_arch arch, uint64_t v)
{
	if (arch == PCS_ARCH_X86_64)
		return !(v >> 52 & 0x3f) && (!(v >> 59 & 0xf) || (v & 4));
	return (v & (1u << 10)) && !(v & (1u << 5)) && !(v >> 48 & 3) && !(v >> 59);
}

static bool pte_match(struct scan *sc, uint64_t v)
{
	const struct pcs_kernel *k = sc->k;

	if ((v & sc->valid_mask) != sc->valid_bits ||
	    (v & sc->oa_mask) - sc->pte->start >= sc->pte->end - sc->pte->start ||
	    !linux_leaf(k->t->arch, v))
		return false;
	if (pcs_pte_decode_value(k->t->arch, v, "pte", k->page_size, k->version, sc->dec, NULL))
		return false;
	return sc->dec->kind == PCS_PTE_PAGE && sc->dec->oa >= sc->pte->start &&
	       sc->dec->oa < sc->pte->end;
}

static void match(struct scan *sc, uint64_t paddr, const uint8_t *buf, size_t len)
{
	const uint64_t lo = sc->tab->lo, span = sc->tab->hi - sc->tab->lo;
	size_t nw = len / 8;

	for (size_t i = 0; i < nw && !sc->stop; i++) {
		uint64_t v;
		const struct pcs_ref_range *r;

		memcpy(&v, buf + 8 * i, 8);
		if (v - lo < span && (r = pcs_ref_table_find(sc->tab, v))) {
			struct pcs_ref_hit h = {.paddr = paddr + 8 * i, .value = v, .range = r};

			sc->stop = sc->fn(&h, sc->arg);
		} else if (sc->pte && pte_match(sc, v)) {
			struct pcs_ref_hit h = {
			    .paddr = paddr + 8 * i, .value = v, .range = sc->pte};

			sc->stop = sc->fn(&h, sc->arg);
		}
	}
}

static int scan_section(const struct pcs_mem_section *s, void *arg)
{
	struct scan *sc = arg;
	const struct pcs_kernel *k = sc->k;
	uint64_t ps = k->page_size;

	sc->st->sections++;
	for (uint64_t pfn = s->start_pfn; pfn < s->end_pfn && !sc->stop; pfn += CHUNK_PAGES) {
		uint64_t n = s->end_pfn - pfn < CHUNK_PAGES ? s->end_pfn - pfn : CHUNK_PAGES;
		uint64_t pa = pcs_pfn_to_paddr(k, pfn);

		if (pcs_read(k->t, PCS_KPHYSADDR, pa, sc->buf, n * ps, NULL) == PCS_OK) {
			sc->st->pages += n;
			match(sc, pa, sc->buf, n * ps);
			continue;
		}
		/* some page of the chunk is missing: one page at a time */
		for (uint64_t i = 0; i < n && !sc->stop; i++) {
			enum pcs_errcode rc =
			    pcs_read(k->t, PCS_KPHYSADDR, pa + i * ps, sc->buf, ps, NULL);

			if (rc == PCS_ERR_NODATA) {
				sc->st->not_in_dump++;
			} else if (rc) {
				sc->st->unreadable++;
			} else {
				sc->st->pages++;
				match(sc, pa + i * ps, sc->buf, ps);
			}
		}
	}
	return sc->stop;
}

enum pcs_errcode pcs_ref_scan(const struct pcs_kernel *k, const struct pcs_ref_table *tab,
			      const struct pcs_ref_range *pte, pcs_ref_hit_fn fn, void *arg,
			      struct pcs_ref_scan_stats *st, struct pcs_error *err)
{
	struct scan sc = {.k = k, .tab = tab, .pte = pte, .fn = fn, .arg = arg, .st = st};
	enum pcs_errcode rc;

	memset(st, 0, sizeof(*st));
	if (pte) {
		if (k->t->arch == PCS_ARCH_X86_64) {
			sc.oa_mask = 0x000ffffffffff000ull; /* bits 51:12 */
			sc.valid_mask = sc.valid_bits = 1;  /* _PAGE_PRESENT */
		} else {
			/* bits 47:PAGE_SHIFT (+ 51:48 with 52-bit PAs, checked by the decoder) */
			sc.oa_mask = 0x0003ffffffffffffull & ~((uint64_t)k->page_size - 1);
			sc.valid_mask = sc.valid_bits = 3; /* valid page descriptor */
		}
		sc.dec = malloc(sizeof(*sc.dec));
		if (!sc.dec)
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	}
	sc.buf = malloc(CHUNK_PAGES * (size_t)k->page_size);
	if (!sc.buf) {
		free(sc.dec);
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for the scan buffer");
	}
	rc = pcs_memmap_for_each_section(k, scan_section, &sc, err);
	free(sc.buf);
	free(sc.dec);
	if (!rc && !st->sections)
		rc = pcs_error_set(err, PCS_ERR_CORRUPT,
				   "mem_section lists no section with a memory map");
	return rc;
}
