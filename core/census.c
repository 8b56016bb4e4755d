// SPDX-License-Identifier: GPL-2.0-or-later
/* The page-cache census: memory map -> folios by mapping -> cross-check with i_pages. */
#include "census.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "pagecache.h"

/* A head struct page claiming (mapping, index). */
struct claim {
	uint64_t mapping, index, page, pfn;
	unsigned int order;
};

struct census {
	const struct pcs_kernel *k;
	struct pcs_census *c;
	struct claim *claims;
	size_t nclaims, cap_claims, cap_files, cap_anomalies;
	enum pcs_errcode rc; /* PCS_ERR_NOMEM once an allocation failed */
};

const char *pcs_census_kind_name(enum pcs_census_kind kind)
{
	switch (kind) {
	case PCS_CENSUS_INCONSISTENT: return "inconsistent";
	case PCS_CENSUS_ORPHAN: return "orphan";
	case PCS_CENSUS_NOT_INODE: return "not-inode";
	case PCS_CENSUS_TREE: return "tree";
	}
	return "?";
}

/* Grow *v (of *cap elements of size sz) to hold n + 1; false when out of memory. */
static bool reserve(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 1024;
	if (ncap > SIZE_MAX / sz)
		return false;
	p = realloc(*v, ncap * sz);
	if (!p)
		return false;
	*v = p;
	*cap = ncap;
	return true;
}

static void anomaly(struct census *cs, enum pcs_census_kind kind, uint64_t mapping, uint64_t index,
		    uint64_t page, uint64_t pfn, uint64_t slot, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void anomaly(struct census *cs, enum pcs_census_kind kind, uint64_t mapping, uint64_t index,
		    uint64_t page, uint64_t pfn, uint64_t slot, const char *fmt, ...)
{
	struct pcs_census *c = cs->c;
	struct pcs_census_anomaly *a;
	va_list ap;

	if (cs->rc)
		return;
	if (!reserve((void **)&c->anomalies, &cs->cap_anomalies, c->nanomalies, sizeof(*a))) {
		cs->rc = PCS_ERR_NOMEM;
		return;
	}
	a = &c->anomalies[c->nanomalies++];
	*a = (struct pcs_census_anomaly){.kind = kind,
					 .mapping = mapping,
					 .index = index,
					 .page = page,
					 .pfn = pfn,
					 .slot = slot};
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
}

static uint32_t page_u32(const struct pcs_kernel *k, const uint8_t *raw, uint64_t off)
{
	uint32_t v = 0;

	if (off != PCS_OFF_NONE && off + 4 <= k->page.size)
		memcpy(&v, raw + off, 4);
	return v;
}

static bool flag(uint64_t flags, int bit)
{
	return bit >= 0 && ((flags >> bit) & 1);
}

/* Keep the head pages whose page.mapping is a plain address_space pointer. */
static int on_page(const struct pcs_memmap_page *p, void *arg)
{
	struct census *cs = arg;
	const struct pcs_kernel *k = cs->k;
	struct pcs_census_stats *st = &cs->c->stats;
	uint64_t flags = pcs_page_field(k, p->raw, k->page.flags);
	uint64_t mapping = pcs_page_field(k, p->raw, k->page.mapping);
	uint32_t type = page_u32(k, p->raw, k->page.page_type);
	struct claim *cl;
	unsigned int order = 0;

	if (k->page.compound_head != PCS_OFF_NONE &&
	    (pcs_page_field(k, p->raw, k->page.compound_head) & 1)) {
		st->tail++;
		return 0;
	}
	if (flag(flags, k->pg.slab) ||
	    (k->page.page_type != PCS_OFF_NONE && pcs_page_type_is(type, k->pgtype.slab))) {
		st->slab++;
		return 0;
	}
	if (!mapping)
		return 0;
	if (mapping & PCS_PAGE_MAPPING_FLAGS) {
		st->anon++;
		return 0;
	}
	if (k->page.page_type != PCS_OFF_NONE && pcs_page_has_type(type) &&
	    !pcs_page_type_is(type, k->pgtype.hugetlb)) {
		st->typed++;
		return 0;
	}
	if (flag(flags, k->pg.head) && pcs_folio_order(k, p->page, &order, NULL))
		order = 0; /* unreadable or corrupt order: count the head page alone */
	if (!reserve((void **)&cs->claims, &cs->cap_claims, cs->nclaims, sizeof(*cl))) {
		cs->rc = PCS_ERR_NOMEM;
		return 1;
	}
	cl = &cs->claims[cs->nclaims++];
	*cl = (struct claim){.mapping = mapping,
			     .index = pcs_page_field(k, p->raw, k->page.index),
			     .page = p->page,
			     .pfn = p->pfn,
			     .order = order};
	st->folios++;
	st->pages += 1ull << order;
	return 0;
}

static int cmp_claim(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;

	if (x->mapping != y->mapping)
		return x->mapping < y->mapping ? -1 : 1;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return 0;
}

/* Every claim of a mapping that is not an inode's page cache is an anomaly. */
static void not_inode(struct census *cs, const struct claim *cl, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void not_inode(struct census *cs, const struct claim *cl, size_t n, const char *fmt, ...)
{
	char what[PCS_CENSUS_WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < n; i++)
		anomaly(
		    cs, PCS_CENSUS_NOT_INODE, cl[i].mapping, cl[i].index, cl[i].page, cl[i].pfn, 0,
		    "struct page 0x%" PRIx64 " (pfn %" PRIu64 ") claims mapping 0x%" PRIx64 " %s",
		    cl[i].page, cl[i].pfn, cl[i].mapping, what);
}

/* One mapping's claims (sorted by index) merged with its tree rows (ascending index). */
struct merge {
	struct census *cs;
	const struct claim *cl;
	size_t n, next;
	struct pcs_census_file *f;
};

static void orphan(struct merge *m, const struct claim *cl, const struct pcs_page_row *row)
{
	char holds[PCS_CENSUS_WHY_MAX];

	if (!row)
		snprintf(holds, sizeof(holds), "nothing");
	else if (row->status == PCS_PAGE_SHADOW)
		snprintf(holds, sizeof(holds), "shadow entry 0x%" PRIx64, row->entry);
	else if (row->status == PCS_PAGE_ERROR && row->why)
		snprintf(holds, sizeof(holds), "0x%" PRIx64 " (%s)", row->entry, row->why);
	else
		snprintf(holds, sizeof(holds), "0x%" PRIx64, row->entry);
	anomaly(m->cs, PCS_CENSUS_ORPHAN, cl->mapping, cl->index, cl->page, cl->pfn,
		row ? row->entry : 0,
		"struct page 0x%" PRIx64 " (pfn %" PRIu64 ") claims mapping 0x%" PRIx64
		" index %" PRIu64 ", but i_pages[%" PRIu64 "] holds %s",
		cl->page, cl->pfn, cl->mapping, cl->index, cl->index, holds);
}

static int merge_row(const struct pcs_page_row *row, void *arg)
{
	struct merge *m = arg;

	while (m->next < m->n && m->cl[m->next].index < row->index)
		orphan(m, &m->cl[m->next++], NULL);
	/* (a head page in the slot of its own index is never an INCONSISTENT row) */
	for (; m->next < m->n && m->cl[m->next].index == row->index; m->next++)
		if (row->page != m->cl[m->next].page)
			orphan(m, &m->cl[m->next], row);
	if (row->status == PCS_PAGE_INCONSISTENT)
		anomaly(m->cs, PCS_CENSUS_INCONSISTENT, m->f->mapping, row->index, row->page,
			row->pfn, row->entry, "%s", row->why ? row->why : "inconsistent slot");
	else if (row->page && (row->status == PCS_PAGE_PRESENT || row->status == PCS_PAGE_EXCLUDED))
		m->f->tree_pages++;
	return m->cs->rc != PCS_OK;
}

static struct pcs_census_file *add_file(struct census *cs)
{
	struct pcs_census *c = cs->c;

	if (!reserve((void **)&c->files, &cs->cap_files, c->nfiles, sizeof(*c->files))) {
		cs->rc = PCS_ERR_NOMEM;
		return NULL;
	}
	memset(&c->files[c->nfiles], 0, sizeof(*c->files));
	return &c->files[c->nfiles++];
}

/* Check one mapping, claimed by cl[0..n) (sorted by index). */
static void census_mapping(struct census *cs, const struct claim *cl, size_t n)
{
	const struct pcs_kernel *k = cs->k;
	const struct pcs_pagecache_opts o = {.hash = PCS_HASH_NONE, .no_read = true};
	uint64_t mapping = cl[0].mapping;
	struct pcs_mapping_info mi;
	struct pcs_inode_info ii;
	struct pcs_census_file *f;
	struct pcs_error e = {0};
	struct merge m = {.cs = cs, .cl = cl, .n = n};
	enum pcs_errcode rc;

	if (pcs_mapping_read(k, mapping, &mi, &e)) {
		not_inode(cs, cl, n, "which cannot be read (%s)", e.msg);
		return;
	}
	if (!mi.host) {
		not_inode(cs, cl, n, "whose host is NULL: not an inode's page cache");
		return;
	}
	if (pcs_inode_read(k, mi.host, &ii, &e)) {
		not_inode(cs, cl, n, "whose host 0x%" PRIx64 " cannot be read (%s)", mi.host,
			  e.msg);
		return;
	}
	if (ii.mapping != mapping) {
		not_inode(cs, cl, n,
			  "whose host 0x%" PRIx64 " has i_mapping 0x%" PRIx64
			  ": not that inode's page cache",
			  mi.host, ii.mapping);
		return;
	}
	f = add_file(cs);
	if (!f)
		return;
	*f = (struct pcs_census_file){.mapping = mapping,
				      .inode = mi.host,
				      .ino = ii.ino,
				      .sb = ii.sb,
				      .size = ii.size,
				      .nrpages = mi.nrpages};
	for (size_t i = 0; i < n; i++)
		f->memmap_pages += 1ull << cl[i].order;
	m.f = f;
	rc = pcs_pagecache_walk(k, mapping, &o, merge_row, &m, NULL, &e);
	if (rc == PCS_ERR_NOMEM) {
		cs->rc = rc;
	} else if (rc) {
		anomaly(cs, PCS_CENSUS_TREE, mapping, 0, 0, 0, 0,
			"i_pages of mapping 0x%" PRIx64 " (inode 0x%" PRIx64
			") cannot be walked, %zu claims left unchecked: %s",
			mapping, mi.host, n - m.next, e.msg);
	} else {
		while (m.next < n && !cs->rc)
			orphan(&m, &cl[m.next++], NULL);
	}
}

enum pcs_errcode pcs_census_take(const struct pcs_kernel *k, struct pcs_census *c,
				 struct pcs_error *err)
{
	struct census cs = {.k = k, .c = c};
	enum pcs_errcode rc;

	memset(c, 0, sizeof(*c));
	if (k->mapping.host == PCS_OFF_NONE || k->mapping.nrpages == PCS_OFF_NONE ||
	    k->inode.i_mapping == PCS_OFF_NONE || k->inode.i_ino == PCS_OFF_NONE ||
	    k->inode.i_size == PCS_OFF_NONE || k->inode.i_sb == PCS_OFF_NONE)
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "page-cache census: the type info lacks address_space.host / "
				     "nrpages or inode.i_mapping / i_ino / i_size / i_sb");
	rc = pcs_memmap_scan(k, on_page, &cs, &c->stats.memmap, err);
	if (!rc && cs.rc)
		rc = pcs_error_set(err, cs.rc, "page-cache census: out of memory after %zu folios",
				   cs.nclaims);
	if (rc) {
		free(cs.claims);
		return rc;
	}
	qsort(cs.claims, cs.nclaims, sizeof(*cs.claims), cmp_claim);
	for (size_t lo = 0, hi; lo < cs.nclaims && !cs.rc; lo = hi) {
		for (hi = lo + 1; hi < cs.nclaims && cs.claims[hi].mapping == cs.claims[lo].mapping;
		     hi++)
			;
		c->stats.mappings++;
		census_mapping(&cs, cs.claims + lo, hi - lo);
	}
	free(cs.claims);
	if (cs.rc)
		return pcs_error_set(err, cs.rc, "page-cache census: out of memory");
	return PCS_OK;
}

static int cmp_file(const void *key, const void *elem)
{
	uint64_t m = *(const uint64_t *)key, e = ((const struct pcs_census_file *)elem)->mapping;

	return m < e ? -1 : m > e;
}

const struct pcs_census_file *pcs_census_find(const struct pcs_census *c, uint64_t mapping)
{
	if (!c->nfiles)
		return NULL;
	return bsearch(&mapping, c->files, c->nfiles, sizeof(*c->files), cmp_file);
}

void pcs_census_free(struct pcs_census *c)
{
	free(c->files);
	free(c->anomalies);
	memset(c, 0, sizeof(*c));
}
