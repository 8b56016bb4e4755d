// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reference scan: a sorted table of target ranges and one streaming pass
 * over physical memory, section by section, in large reads.
 */
#include "refs.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
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

/* One worker's view: its kernel (its own reads), scratch space and current job. */
struct scan {
	const struct pcs_kernel *k;
	const struct pcs_ref_table *tab;
	const struct pcs_ref_range *pte;
	uint64_t oa_mask, valid_mask, valid_bits; /* quick descriptor test */
	struct pcs_pte_decode *dec;
	uint8_t *buf;
	struct unit_result *res; /* the job being scanned */
	uint64_t max_hits;
};

/* A job: up to CHUNK_PAGES pages of one section. */
struct unit {
	size_t sec; /* ordinal of its section */
	uint64_t pfn, n;
};

enum page_outcome { PAGE_SEARCHED, PAGE_NOT_IN_DUMP, PAGE_UNREADABLE };

/* What a job found, replayed in order on the calling thread. */
struct unit_result {
	bool whole;		   /* read at once: every page searched */
	uint8_t page[CHUNK_PAGES]; /* else each page's enum page_outcome */
	struct pcs_ref_hit *hits;  /* in address order */
	size_t nhits, cap;
	bool full; /* max_hits reached: the scan stopped there */
	bool nomem;
};

struct pscan {
	struct scan *w; /* per worker */
	unsigned int workers;
	struct pcs_kernel *ks;
	struct pcs_mem_section *secs;
	size_t nsecs, seccap;
	struct unit *units;
	size_t nunits, unitcap;
	struct unit_result *slots; /* job i in slots[i % window] */
	size_t window;
	pcs_ref_hit_fn fn;
	void *arg;
	struct pcs_ref_scan_stats *st;
	bool stop, nomem;
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

static void add_hit(struct scan *sc, uint64_t paddr, uint64_t v, const struct pcs_ref_range *r)
{
	struct unit_result *u = sc->res;

	if (u->nhits == u->cap) {
		size_t nc = u->cap ? 2 * u->cap : 16;
		struct pcs_ref_hit *h = realloc(u->hits, nc * sizeof(*h));

		if (!h) {
			u->nomem = u->full = true;
			return;
		}
		u->hits = h;
		u->cap = nc;
	}
	u->hits[u->nhits++] = (struct pcs_ref_hit){.paddr = paddr, .value = v, .range = r};
	if (sc->max_hits && u->nhits >= sc->max_hits)
		u->full = true;
}

static void match(struct scan *sc, uint64_t paddr, const uint8_t *buf, size_t len)
{
	const uint64_t lo = sc->tab->lo, span = sc->tab->hi - sc->tab->lo;
	size_t nw = len / 8;

	for (size_t i = 0; i < nw && !sc->res->full; i++) {
		uint64_t v;
		const struct pcs_ref_range *r;

		memcpy(&v, buf + 8 * i, 8);
		if (v - lo < span && (r = pcs_ref_table_find(sc->tab, v)))
			add_hit(sc, paddr + 8 * i, v, r);
		else if (sc->pte && pte_match(sc, v))
			add_hit(sc, paddr + 8 * i, v, sc->pte);
	}
}

/* A worker: scan one job's pages with its own reads. */
static void scan_unit(void *arg, size_t i, unsigned int worker)
{
	struct pscan *ps = arg;
	struct scan *sc = &ps->w[worker];
	const struct unit *un = &ps->units[i];
	const struct pcs_kernel *k = sc->k;
	uint64_t ps_ = k->page_size, pa = pcs_pfn_to_paddr(k, un->pfn);

	sc->res = &ps->slots[i % ps->window];
	if (pcs_read(k->t, PCS_KPHYSADDR, pa, sc->buf, un->n * ps_, NULL) == PCS_OK) {
		sc->res->whole = true;
		match(sc, pa, sc->buf, un->n * ps_);
		return;
	}
	/* some page of the chunk is missing: one page at a time */
	sc->res->whole = false;
	for (uint64_t p = 0; p < un->n && !sc->res->full; p++) {
		enum pcs_errcode rc =
		    pcs_read(k->t, PCS_KPHYSADDR, pa + p * ps_, sc->buf, ps_, NULL);

		if (rc == PCS_ERR_NODATA) {
			sc->res->page[p] = PAGE_NOT_IN_DUMP;
		} else if (rc) {
			sc->res->page[p] = PAGE_UNREADABLE;
		} else {
			sc->res->page[p] = PAGE_SEARCHED;
			match(sc, pa + p * ps_, sc->buf, ps_);
		}
	}
}

static void unit_prep(void *arg, size_t i)
{
	struct pscan *ps = arg;
	struct unit_result *u = &ps->slots[i % ps->window];

	u->nhits = 0;
	u->full = u->nomem = false;
}

/* The statistics of pages [0, upto) of a job, as the one-thread scan counts them. */
static void count_pages(struct pcs_ref_scan_stats *st, const struct unit *un,
			const struct unit_result *u, uint64_t upto)
{
	if (u->whole) {
		st->pages += un->n; /* counted before the chunk is matched */
		return;
	}
	for (uint64_t p = 0; p < upto && p < un->n; p++) {
		if (u->page[p] == PAGE_NOT_IN_DUMP)
			st->not_in_dump++;
		else if (u->page[p] == PAGE_UNREADABLE)
			st->unreadable++;
		else
			st->pages++;
	}
}

/* The calling thread, in order: hand the job's hits to fn; stop where fn stops. */
static int unit_done(void *arg, size_t i)
{
	struct pscan *ps = arg;
	const struct unit *un = &ps->units[i];
	const struct unit_result *u = &ps->slots[i % ps->window];
	uint64_t psz = ps->ks[0].page_size, pa = pcs_pfn_to_paddr(&ps->ks[0], un->pfn);

	if (ps->stop)
		return 1;
	ps->st->sections = un->sec + 1;
	for (size_t h = 0; h < u->nhits; h++) {
		if (ps->fn(&u->hits[h], ps->arg)) {
			ps->stop = true;
			count_pages(ps->st, un, u, (u->hits[h].paddr - pa) / psz + 1);
			return 1;
		}
	}
	if (u->nomem) {
		ps->nomem = ps->stop = true;
		return 1;
	}
	count_pages(ps->st, un, u, un->n);
	return 0;
}

/* Sections and their jobs, in address order. */
static int on_section(const struct pcs_mem_section *s, void *arg)
{
	struct pscan *ps = arg;

	if (ps->nsecs == ps->seccap) {
		size_t nc = ps->seccap ? 2 * ps->seccap : 64;
		struct pcs_mem_section *v = realloc(ps->secs, nc * sizeof(*v));

		if (!v)
			goto nomem;
		ps->secs = v;
		ps->seccap = nc;
	}
	ps->secs[ps->nsecs] = *s;
	for (uint64_t pfn = s->start_pfn; pfn < s->end_pfn; pfn += CHUNK_PAGES) {
		if (ps->nunits == ps->unitcap) {
			size_t nc = ps->unitcap ? 2 * ps->unitcap : 256;
			struct unit *v = realloc(ps->units, nc * sizeof(*v));

			if (!v)
				goto nomem;
			ps->units = v;
			ps->unitcap = nc;
		}
		ps->units[ps->nunits++] = (struct unit){
		    .sec = ps->nsecs,
		    .pfn = pfn,
		    .n = s->end_pfn - pfn < CHUNK_PAGES ? s->end_pfn - pfn : CHUNK_PAGES};
	}
	ps->nsecs++;
	return 0;
nomem:
	ps->nomem = true;
	return 1;
}

enum pcs_errcode pcs_ref_scan(const struct pcs_kernel *k, const struct pcs_exec *x,
			      const struct pcs_ref_table *tab, const struct pcs_ref_range *pte,
			      uint64_t max_hits, pcs_ref_hit_fn fn, void *arg,
			      struct pcs_ref_scan_stats *st, struct pcs_error *err)
{
	struct pscan ps = {.fn = fn, .arg = arg, .st = st, .workers = pcs_exec_workers(x)};
	struct pcs_jobs jobs = {
	    .prep = unit_prep, .work = scan_unit, .done = unit_done, .arg = &ps};
	struct pcs_error serr = {0};
	enum pcs_errcode rc = PCS_OK, src;

	memset(st, 0, sizeof(*st));
	/* a failing section list still has its first sections searched, as one pass would */
	src = pcs_memmap_for_each_section(k, on_section, &ps, &serr);
	ps.window = 4 * (size_t)ps.workers;
	ps.ks = pcs_exec_kernels(x, k);
	ps.w = calloc(ps.workers, sizeof(*ps.w));
	ps.slots = calloc(ps.window, sizeof(*ps.slots));
	if (ps.nomem || !ps.ks || !ps.w || !ps.slots) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory planning the scan");
		goto out;
	}
	for (unsigned int i = 0; i < ps.workers; i++) {
		struct scan *sc = &ps.w[i];

		*sc = (struct scan){.k = &ps.ks[i], .tab = tab, .pte = pte, .max_hits = max_hits};
		if (pte) {
			if (k->t->arch == PCS_ARCH_X86_64) {
				sc->oa_mask = 0x000ffffffffff000ull; /* bits 51:12 */
				sc->valid_mask = sc->valid_bits = 1; /* _PAGE_PRESENT */
			} else {
				/* bits 47:PAGE_SHIFT (+ 51:48 with 52-bit PAs, checked by the
				 * decoder) */
				sc->oa_mask = 0x0003ffffffffffffull & ~((uint64_t)k->page_size - 1);
				sc->valid_mask = sc->valid_bits = 3; /* valid page descriptor */
			}
			if (!(sc->dec = malloc(sizeof(*sc->dec)))) {
				rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
				goto out;
			}
		}
		if (!(sc->buf = malloc(CHUNK_PAGES * (size_t)k->page_size))) {
			rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for the scan buffer");
			goto out;
		}
	}
	jobs.n = ps.nunits;
	jobs.window = ps.window;
	pcs_exec_run(x, &jobs);
	if (ps.nomem)
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory collecting hits");
	else if (!ps.stop && src)
		rc = pcs_error_set(err, src, "%s", serr.msg);
	else if (!ps.stop)
		st->sections = ps.nsecs;
	if (!rc && !st->sections)
		rc = pcs_error_set(err, PCS_ERR_CORRUPT,
				   "mem_section lists no section with a memory map");
out:
	for (unsigned int i = 0; ps.w && i < ps.workers; i++) {
		free(ps.w[i].buf);
		free(ps.w[i].dec);
	}
	for (size_t i = 0; ps.slots && i < ps.window; i++)
		free(ps.slots[i].hits);
	free(ps.w);
	free(ps.slots);
	free(ps.ks);
	free(ps.secs);
	free(ps.units);
	return rc;
}
