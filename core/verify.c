// SPDX-License-Identifier: GPL-2.0-or-later
/* Cached pages of one file against a reference copy. */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

#include "diff.h"

const char *pcs_verify_verdict_name(enum pcs_verify_verdict v)
{
	switch (v) {
	case PCS_VERIFY_MATCH: return "match";
	case PCS_VERIFY_DIFFERS: return "differs";
	case PCS_VERIFY_BEYOND_EOF: return "beyond-eof";
	case PCS_VERIFY_EXCLUDED: return "excluded";
	case PCS_VERIFY_INCONSISTENT: return "inconsistent";
	case PCS_VERIFY_ERROR: return "error";
	case PCS_VERIFY_REF_UNREADABLE: return "ref-unreadable";
	}
	return "?";
}

struct vwalk {
	const struct pcs_kernel *k;
	pcs_ref_page_fn ref;
	void *refarg;
	const struct pcs_verify_cb *cb;
	struct pcs_verify_stats *st;
	uint8_t *refbuf, *fresh;
	const struct pcs_page_row *row;
	int stop;
};

static int on_range(const struct pcs_diff_range *r, void *arg)
{
	struct vwalk *w = arg;
	struct pcs_verify_diff d = {
	    .index = w->row->index,
	    .offset = r->off,
	    .file_offset = w->row->offset + r->off,
	    .length = r->len,
	    .vmcore = r->vmcore,
	    .ref = r->ref,
	    .row = w->row,
	};

	w->st->ranges++;
	if (w->cb && w->cb->diff && w->cb->diff(&d, w->cb->arg))
		w->stop = 1;
	return w->stop;
}

static enum pcs_verify_verdict compare(struct vwalk *w, const struct pcs_page_row *row)
{
	uint32_t ps = w->k->page_size;
	size_t got = 0, nbytes = 0;
	size_t gap = w->cb && w->cb->merge_gap ? w->cb->merge_gap : PCS_DIFF_MERGE_GAP_DEFAULT;

	if (w->ref(w->refarg, row->index, ps, w->refbuf, &got, NULL))
		return PCS_VERIFY_REF_UNREADABLE;
	if (!got)
		return PCS_VERIFY_BEYOND_EOF;
	w->row = row;
	const void *data = row->data;

	if (w->cb && w->cb->reread && w->fresh &&
	    pcs_diff_page(data, w->refbuf, ps, gap, NULL, NULL, NULL) &&
	    pcs_read(w->k->t, PCS_KPHYSADDR, row->paddr, w->fresh, ps, NULL) == PCS_OK &&
	    w->ref(w->refarg, row->index, ps, w->refbuf, &got, NULL) == PCS_OK && got) {
		data = w->fresh;
		if (!pcs_diff_page(data, w->refbuf, ps, gap, NULL, NULL, NULL)) {
			w->st->reread_matched++;
			return PCS_VERIFY_MATCH;
		}
	}
	if (!pcs_diff_page(data, w->refbuf, ps, gap, on_range, w, &nbytes))
		return PCS_VERIFY_MATCH;
	w->st->bytes += nbytes;
	return PCS_VERIFY_DIFFERS;
}

static int on_row(const struct pcs_page_row *row, void *arg)
{
	struct vwalk *w = arg;
	struct pcs_verify_stats *st = w->st;
	enum pcs_verify_verdict v;

	switch (row->status) {
	case PCS_PAGE_NOT_CACHED:
	case PCS_PAGE_SHADOW: return 0;
	case PCS_PAGE_EXCLUDED: v = PCS_VERIFY_EXCLUDED; break;
	case PCS_PAGE_ERROR: v = PCS_VERIFY_ERROR; break;
	case PCS_PAGE_PRESENT: v = row->data ? compare(w, row) : PCS_VERIFY_ERROR; break;
	case PCS_PAGE_INCONSISTENT: v = PCS_VERIFY_INCONSISTENT; break;
	default: v = PCS_VERIFY_ERROR; break;
	}
	st->cached++;
	switch (v) {
	case PCS_VERIFY_MATCH: st->compared++, st->matching++; break;
	case PCS_VERIFY_DIFFERS: st->compared++, st->differing++; break;
	case PCS_VERIFY_BEYOND_EOF: st->beyond_eof++; break;
	case PCS_VERIFY_EXCLUDED: st->excluded++; break;
	case PCS_VERIFY_INCONSISTENT: st->inconsistent++; break;
	case PCS_VERIFY_ERROR: st->errors++; break;
	case PCS_VERIFY_REF_UNREADABLE: st->ref_unreadable++; break;
	}
	if (!w->stop && v != PCS_VERIFY_MATCH && w->cb && w->cb->page &&
	    w->cb->page(row, v, w->cb->arg))
		w->stop = 1;
	return w->stop;
}

enum pcs_errcode pcs_verify_mapping(const struct pcs_kernel *k, uint64_t mapping,
				    pcs_ref_page_fn ref, void *refarg,
				    const struct pcs_verify_cb *cb, struct pcs_verify_stats *stats,
				    struct pcs_error *err)
{
	return pcs_verify_mapping_range(k, mapping, 0, 0, ref, refarg, cb, stats, err);
}

enum pcs_errcode pcs_verify_mapping_range(const struct pcs_kernel *k, uint64_t mapping,
					  uint64_t first, uint64_t count, pcs_ref_page_fn ref,
					  void *refarg, const struct pcs_verify_cb *cb,
					  struct pcs_verify_stats *stats, struct pcs_error *err)
{
	struct pcs_pagecache_opts o = {.hash = PCS_HASH_NONE, .first = first, .count = count};
	struct pcs_pagecache_summary sum;
	struct vwalk w = {.k = k, .ref = ref, .refarg = refarg, .cb = cb, .st = stats};
	enum pcs_errcode rc;

	memset(stats, 0, sizeof(*stats));
	w.refbuf = malloc(k->page_size);
	if (cb && cb->reread)
		w.fresh = malloc(k->page_size);
	if (!w.refbuf || (cb && cb->reread && !w.fresh)) {
		free(w.refbuf);
		free(w.fresh);
		return pcs_error_set(err, PCS_ERR_NOMEM, "allocating a page buffer");
	}
	rc = pcs_pagecache_walk(k, mapping, &o, on_row, &w, &sum, err);
	stats->nrpages = sum.nrpages;
	free(w.refbuf);
	free(w.fresh);
	return rc;
}
