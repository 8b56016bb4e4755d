// SPDX-License-Identifier: GPL-2.0-or-later
/* One row per base page of an address_space, streamed (mm/filemap.c's view). */
#include "pagecache.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "xarray.h"

const char *pcs_page_status_name(enum pcs_page_status s)
{
	switch (s) {
	case PCS_PAGE_PRESENT: return "present";
	case PCS_PAGE_EXCLUDED: return "excluded";
	case PCS_PAGE_NOT_CACHED: return "not-cached";
	case PCS_PAGE_SHADOW: return "shadow";
	case PCS_PAGE_ERROR: return "error";
	case PCS_PAGE_INCONSISTENT: return "inconsistent";
	}
	return "?";
}

static enum pcs_errcode read_field(const struct pcs_kernel *k, uint64_t base, uint64_t off,
				   const char *what, uint64_t *val, struct pcs_error *err)
{
	if (off == PCS_OFF_NONE) {
		*val = 0;
		return pcs_error_set(err, PCS_ERR_NOTYPE, "%s is not in this kernel's type info",
				     what);
	}
	if (pcs_read_u64(k->t, base + off, val, err))
		return pcs_error_wrap(err, "reading %s at 0x%" PRIx64, what, base + off);
	return PCS_OK;
}

enum pcs_errcode pcs_mapping_read(const struct pcs_kernel *k, uint64_t mapping,
				  struct pcs_mapping_info *mi, struct pcs_error *err)
{
	enum pcs_errcode rc;

	memset(mi, 0, sizeof(*mi));
	mi->mapping = mapping;
	mi->i_pages = mapping + k->mapping.i_pages;
	rc = read_field(k, mapping, k->mapping.nrpages, "address_space.nrpages", &mi->nrpages, err);
	if (!rc)
		rc = read_field(k, mapping, k->mapping.host, "address_space.host", &mi->host, err);
	return rc;
}

enum pcs_errcode pcs_inode_read(const struct pcs_kernel *k, uint64_t inode,
				struct pcs_inode_info *ii, struct pcs_error *err)
{
	enum pcs_errcode rc;

	memset(ii, 0, sizeof(*ii));
	ii->inode = inode;
	if ((rc = read_field(k, inode, k->inode.i_mapping, "inode.i_mapping", &ii->mapping, err)) ||
	    (rc = read_field(k, inode, k->inode.i_ino, "inode.i_ino", &ii->ino, err)) ||
	    (rc = read_field(k, inode, k->inode.i_size, "inode.i_size", &ii->size, err)) ||
	    (rc = read_field(k, inode, k->inode.i_sb, "inode.i_sb", &ii->sb, err)))
		return rc;
	return PCS_OK;
}

struct pc_walk {
	const struct pcs_kernel *k;
	uint64_t mapping; /* the address_space walked */
	const struct pcs_pagecache_opts *o;
	uint64_t first, last; /* inclusive */
	uint64_t next;	      /* lowest index not yet reported */
	uint64_t last_folio;
	struct pcs_hasher *hasher;
	void *buf;
	pcs_page_row_fn fn;
	void *arg;
	bool stopped;
	struct pcs_pagecache_summary *sum;
	char why[PCS_ERRMSG_MAX];
};

static int put_row(struct pc_walk *w, struct pcs_page_row *row)
{
	struct pcs_pagecache_summary *s = w->sum;

	row->offset = row->index << w->k->page_shift;
	s->rows++;
	switch (row->status) {
	case PCS_PAGE_PRESENT: s->present++; break;
	case PCS_PAGE_EXCLUDED: s->excluded++; break;
	case PCS_PAGE_NOT_CACHED: s->not_cached++; break;
	case PCS_PAGE_SHADOW: s->shadow++; break;
	case PCS_PAGE_ERROR: s->errors++; break;
	case PCS_PAGE_INCONSISTENT: s->inconsistent++; break;
	}
	if (w->fn && w->fn(row, w->arg))
		w->stopped = true;
	return w->stopped;
}

/* NOT_CACHED rows for [w->next, end) within the range and below opts.nr_index. */
static int put_holes(struct pc_walk *w, uint64_t end)
{
	uint64_t lim = w->o->nr_index;

	if (end > lim)
		end = lim;
	for (uint64_t i = w->next > w->first ? w->next : w->first; i < end && i <= w->last; i++) {
		struct pcs_page_row row = {.index = i, .status = PCS_PAGE_NOT_CACHED};

		if (put_row(w, &row))
			return 1;
	}
	return 0;
}

/* Fill in where the page is and what the dump holds of it. */
static void locate_page(struct pc_walk *w, struct pcs_page_row *row)
{
	const struct pcs_kernel *k = w->k;
	struct pcs_error e;

	if (pcs_page_to_pfn(k, row->page, &row->pfn, &e)) {
		row->status = PCS_PAGE_ERROR;
		snprintf(w->why, sizeof(w->why), "%s", e.msg);
		row->why = w->why;
		return;
	}
	row->paddr = pcs_pfn_to_paddr(k, row->pfn);
	if (pcs_paddr_to_lmva(k, row->paddr, &row->vaddr, NULL))
		row->vaddr = 0;
	row->status = PCS_PAGE_PRESENT;
	if (w->o->no_read)
		return;
	switch (pcs_read(k->t, PCS_KPHYSADDR, row->paddr, w->buf, k->page_size, &e)) {
	case PCS_OK:
		row->data = w->buf;
		if (w->hasher && pcs_hash_buf(w->hasher, w->buf, k->page_size, &row->digest, &e)) {
			row->status = PCS_PAGE_ERROR;
			snprintf(w->why, sizeof(w->why), "%s", e.msg);
			row->why = w->why;
		}
		return;
	case PCS_ERR_NODATA:
		row->status = PCS_PAGE_EXCLUDED; /* never hashed */
		row->why = "the dump does not contain this page";
		return;
	default:
		row->status = PCS_PAGE_ERROR;
		snprintf(w->why, sizeof(w->why), "%s", e.msg);
		row->why = w->why;
	}
}

/*
 * Is the slot's folio this file's page at index i? If not, make row an
 * INCONSISTENT row saying what the slot holds instead.
 */
static bool consistent(struct pc_walk *w, const struct pcs_folio *f, uint64_t entry, uint64_t i,
		       struct pcs_page_row *row)
{
	uint64_t owner = f->mapping & ~PCS_PAGE_MAPPING_FLAGS;

	if (owner == w->mapping && pcs_folio_page(w->k, f, i))
		return true;
	row->status = PCS_PAGE_INCONSISTENT;
	row->page = entry;
	if (pcs_page_to_pfn(w->k, entry, &row->pfn, NULL))
		row->pfn = 0;
	if (!owner)
		snprintf(w->why, sizeof(w->why),
			 "slot i_pages[%" PRIu64 "] holds folio 0x%" PRIx64 " (index %" PRIu64
			 ") whose mapping is NULL (truncated or freed), not this file's",
			 i, f->head, f->index);
	else if (owner != w->mapping)
		snprintf(w->why, sizeof(w->why),
			 "slot i_pages[%" PRIu64 "] holds folio 0x%" PRIx64 " of mapping 0x%" PRIx64
			 " (index %" PRIu64 "), not this file's",
			 i, f->head, f->mapping, f->index);
	else
		snprintf(w->why, sizeof(w->why),
			 "slot i_pages[%" PRIu64 "] holds folio 0x%" PRIx64 " (index %" PRIu64
			 ", order %u), which does not cover index %" PRIu64,
			 i, f->head, f->index, f->order, i);
	row->why = w->why;
	return false;
}

static int pc_entry(const struct pcs_xa_entry *e, void *arg)
{
	struct pc_walk *w = arg;
	const struct pcs_kernel *k = w->k;
	uint64_t end = e->nr > UINT64_MAX - e->index ? UINT64_MAX : e->index + e->nr;
	struct pcs_folio f = {0};
	struct pcs_error err;
	bool have_folio = false;

	if (put_holes(w, e->index))
		return 1;
	if (e->kind == PCS_XA_POINTER) {
		if (pcs_folio_of_page(k, e->entry, &f, &err)) {
			snprintf(w->why, sizeof(w->why), "%s", err.msg);
		} else {
			have_folio = true;
			if (f.head != w->last_folio) {
				w->last_folio = f.head;
				w->sum->folios++;
				if (f.order)
					w->sum->large_folios++;
			}
		}
	}
	for (uint64_t i = e->index > w->first ? e->index : w->first; i < end && i <= w->last; i++) {
		struct pcs_page_row row = {.index = i, .entry = e->entry};

		switch (e->kind) {
		case PCS_XA_VALUE: row.status = PCS_PAGE_SHADOW; break;
		case PCS_XA_ZERO: row.status = PCS_PAGE_NOT_CACHED; break;
		case PCS_XA_RETRY:
			row.status = PCS_PAGE_ERROR;
			row.why = "retry entry: the slot was being changed when the dump was taken";
			break;
		case PCS_XA_INTERNAL:
			row.status = PCS_PAGE_ERROR;
			row.why = "unexpected internal entry";
			break;
		case PCS_XA_POINTER:
			if (!have_folio) {
				row.status = PCS_PAGE_ERROR;
				row.why = w->why;
				row.page = e->entry;
				break;
			}
			row.folio = f.head;
			row.folio_order = f.order;
			if (!consistent(w, &f, e->entry, i, &row))
				break;
			row.page = pcs_folio_page(k, &f, i);
			locate_page(w, &row);
			break;
		}
		if (put_row(w, &row))
			return 1;
	}
	if (end > w->next)
		w->next = end;
	return 0;
}

enum pcs_errcode pcs_pagecache_walk(const struct pcs_kernel *k, uint64_t mapping,
				    const struct pcs_pagecache_opts *opts, pcs_page_row_fn fn,
				    void *arg, struct pcs_pagecache_summary *sum,
				    struct pcs_error *err)
{
	static const struct pcs_pagecache_opts defaults;
	struct pcs_pagecache_summary local = {0};
	struct pcs_mapping_info mi;
	struct pcs_xa_opts xo = {0};
	struct pc_walk w = {.k = k, .mapping = mapping, .fn = fn, .arg = arg, .last = UINT64_MAX};
	enum pcs_errcode rc;

	w.o = opts ? opts : &defaults;
	w.sum = sum ? sum : &local;
	memset(w.sum, 0, sizeof(*w.sum));
	w.first = xo.first = w.o->first;
	xo.count = w.o->count;
	if (w.o->count)
		w.last = w.o->count - 1 > UINT64_MAX - w.o->first ? UINT64_MAX
								  : w.o->first + w.o->count - 1;
	rc = pcs_mapping_read(k, mapping, &mi, err);
	if (rc && rc != PCS_ERR_NOTYPE)
		return rc;
	w.sum->nrpages = mi.nrpages;
	if (!w.o->no_read) {
		w.buf = malloc(k->page_size);
		if (!w.buf)
			return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a page buffer");
		if (w.o->hash != PCS_HASH_NONE) {
			rc = pcs_hasher_new(w.o->hash, &w.hasher, err);
			if (rc)
				goto out;
		}
	}
	rc = pcs_xa_walk(k, mi.i_pages, &xo, pc_entry, &w, err);
	if (rc)
		pcs_error_wrap(err, "walking i_pages of address_space 0x%" PRIx64, mapping);
	else if (!w.stopped)
		put_holes(&w, UINT64_MAX);
out:
	pcs_hasher_free(w.hasher);
	free(w.buf);
	return rc;
}
