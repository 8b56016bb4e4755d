// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XArray / radix tree walk (include/linux/xarray.h, lib/xarray.c; before 4.20
 * include/linux/radix-tree.h).
 *
 * XArray entry encoding (bits 1..0):  x1 value,  00 pointer,  10 internal:
 *   internal value v = entry >> 2:  v < XA_CHUNK_SIZE sibling of slot v,
 *   256 XA_RETRY_ENTRY, 257 XA_ZERO_ENTRY, entry > 4096 node (entry - 2).
 * Radix tree 4.7..4.19 (bits 1..0):  01 internal node (entry - 1) - or a sibling
 *   when it points into the parent's own slots[] -, 1 alone RADIX_TREE_RETRY,
 *   10 exceptional (shadow/swap: reported as value), 00 pointer.
 */
#include "xarray.h"

#include <inttypes.h>
#include <string.h>

#define XA_MAX_CHUNK 64
#define XA_RETRY     256
#define XA_ZERO	     257

enum slot_class { SLOT_EMPTY, SLOT_NODE, SLOT_SIBLING, SLOT_LEAF };

struct xa_walk {
	const struct pcs_kernel *k;
	uint64_t first, last; /* inclusive index range */
	uint32_t max_nodes, visited;
	pcs_xa_fn fn;
	void *arg;
	bool stopped;
	struct pcs_error *err;
};

const char *pcs_xa_kind_name(enum pcs_xa_kind kind)
{
	switch (kind) {
	case PCS_XA_POINTER: return "pointer";
	case PCS_XA_VALUE: return "value";
	case PCS_XA_RETRY: return "retry";
	case PCS_XA_ZERO: return "zero";
	case PCS_XA_INTERNAL: return "internal";
	}
	return "?";
}

enum pcs_xa_kind pcs_xa_classify(const struct pcs_kernel *k, uint64_t e)
{
	if (k->xa.kind == PCS_TREE_RADIX) {
		if ((e & 3) == 0)
			return PCS_XA_POINTER;
		if ((e & 3) == 2)
			return PCS_XA_VALUE; /* RADIX_TREE_EXCEPTIONAL_ENTRY */
		return e == 1 ? PCS_XA_RETRY : PCS_XA_INTERNAL;
	}
	if (e & 1)
		return PCS_XA_VALUE;
	if ((e & 3) == 0)
		return PCS_XA_POINTER;
	if ((e >> 2) == XA_RETRY)
		return PCS_XA_RETRY;
	if ((e >> 2) == XA_ZERO)
		return PCS_XA_ZERO;
	return PCS_XA_INTERNAL;
}

/* What a slot of node (0 for the root) holds; *target = child node / sibling slot. */
static enum slot_class slot_class(const struct pcs_kernel *k, uint64_t node, uint64_t e,
				  uint64_t *target)
{
	uint32_t chunk = 1u << k->xa.chunk_shift;

	if (!e)
		return SLOT_EMPTY;
	if (k->xa.kind == PCS_TREE_RADIX) {
		uint64_t slots = node + k->xa.node_slots;

		if ((e & 3) != 1 || e == 1)
			return SLOT_LEAF;
		if (node && e - 1 >= slots && e - 1 < slots + 8ull * chunk) {
			*target = (e - 1 - slots) / 8;
			return SLOT_SIBLING;
		}
		*target = e - 1;
		return SLOT_NODE;
	}
	if ((e & 3) != 2)
		return SLOT_LEAF;
	if (node && (e >> 2) < chunk) {
		*target = e >> 2;
		return SLOT_SIBLING;
	}
	if (e > 4096 && (e >> 2) != XA_RETRY && (e >> 2) != XA_ZERO) {
		*target = e - 2;
		return SLOT_NODE;
	}
	return SLOT_LEAF;
}

static int emit(struct xa_walk *w, uint64_t index, uint64_t nr, uint64_t e, uint64_t node,
		uint32_t slot)
{
	struct pcs_xa_entry ent = {
	    .index = index,
	    .nr = nr,
	    .entry = e,
	    .kind = pcs_xa_classify(w->k, e),
	    .node = node,
	    .slot = slot,
	};

	if (w->fn(&ent, w->arg)) {
		w->stopped = true;
		return 1;
	}
	return 0;
}

/* Highest index covered by n slots of 1 << shift indices from base; saturates. */
static uint64_t span_last(uint64_t base, uint64_t n, unsigned int shift)
{
	uint64_t len_m1;

	if (shift >= 64 || n > (UINT64_MAX >> shift))
		return UINT64_MAX;
	len_m1 = (n << shift) - 1;
	return base > UINT64_MAX - len_m1 ? UINT64_MAX : base + len_m1;
}

static enum pcs_errcode walk_node(struct xa_walk *w, uint64_t node, uint64_t parent, int want_shift,
				  uint32_t want_offset, uint64_t base)
{
	const struct pcs_kernel *k = w->k;
	const struct pcs_xa_layout *xa = &k->xa;
	const char *what = xa->kind == PCS_TREE_RADIX ? "radix_tree_node" : "xa_node";
	uint32_t chunk = 1u << xa->chunk_shift;
	uint8_t buf[512 + 8 * XA_MAX_CHUNK];
	size_t len = xa->node_slots + 8ull * chunk;
	uint64_t slots[XA_MAX_CHUNK], node_parent;
	unsigned int shift, offset;
	enum pcs_errcode rc;

	if (len > sizeof(buf) || xa->node_shift >= len || xa->node_offset >= len ||
	    xa->node_parent + 8 > len)
		return pcs_error_set(w->err, PCS_ERR_UNSUPPORTED, "%s layout too large", what);
	if (++w->visited > w->max_nodes)
		return pcs_error_set(w->err, PCS_ERR_CORRUPT,
				     "more than %u %ss visited at %s 0x%" PRIx64
				     ": the tree loops or is corrupt",
				     w->max_nodes, what, what, node);
	if (node & 7)
		return pcs_error_set(w->err, PCS_ERR_CORRUPT,
				     "%s pointer 0x%" PRIx64 " (parent 0x%" PRIx64
				     ") is misaligned",
				     what, node, parent);
	rc = pcs_read(k->t, PCS_KVADDR, node, buf, len, w->err);
	if (rc)
		return pcs_error_wrap(w->err, "reading %s 0x%" PRIx64, what, node);
	shift = buf[xa->node_shift];
	offset = buf[xa->node_offset];
	memcpy(&node_parent, buf + xa->node_parent, 8);
	memcpy(slots, buf + xa->node_slots, 8ull * chunk);

	if (shift >= 64 || shift % xa->chunk_shift)
		return pcs_error_set(w->err, PCS_ERR_CORRUPT, "%s 0x%" PRIx64 " has shift %u", what,
				     node, shift);
	if (want_shift >= 0 && shift != (unsigned int)want_shift)
		return pcs_error_set(w->err, PCS_ERR_CORRUPT,
				     "%s 0x%" PRIx64 " has shift %u, its parent 0x%" PRIx64
				     " expects %d",
				     what, node, shift, parent, want_shift);
	if (node_parent != parent)
		return pcs_error_set(w->err, PCS_ERR_CORRUPT,
				     "%s 0x%" PRIx64 " has parent 0x%" PRIx64
				     " but was reached from 0x%" PRIx64,
				     what, node, node_parent, parent);
	if (parent && offset != want_offset)
		return pcs_error_set(w->err, PCS_ERR_CORRUPT,
				     "%s 0x%" PRIx64
				     " has offset %u but sits in slot %u of 0x%" PRIx64,
				     what, node, offset, want_offset, parent);

	for (uint32_t i = 0; i < chunk; i++) {
		uint64_t e = slots[i], target = 0, index, nsib = 0;
		enum slot_class c = slot_class(k, node, e, &target);

		if (c == SLOT_EMPTY || c == SLOT_SIBLING)
			continue;
		if (shift && i > (UINT64_MAX >> shift))
			return pcs_error_set(w->err, PCS_ERR_CORRUPT,
					     "%s 0x%" PRIx64 " slot %u is beyond the index space",
					     what, node, i);
		index = base + ((uint64_t)i << shift);
		if (c == SLOT_NODE) {
			if (shift == 0)
				return pcs_error_set(w->err, PCS_ERR_CORRUPT,
						     "%s 0x%" PRIx64
						     " at shift 0 points to a node in slot %u",
						     what, node, i);
			if (span_last(index, 1, shift) < w->first || index > w->last)
				continue;
			rc = walk_node(w, target, node, (int)(shift - xa->chunk_shift), i, index);
			if (rc || w->stopped)
				return rc;
			continue;
		}
		/* A multi-index entry: the siblings after it point back at slot i. */
		while (i + 1 + nsib < chunk) {
			uint64_t t2 = 0;

			if (slot_class(k, node, slots[i + 1 + nsib], &t2) != SLOT_SIBLING ||
			    t2 != i)
				break;
			nsib++;
		}
		if (span_last(index, 1 + nsib, shift) < w->first || index > w->last)
			continue;
		if (emit(w, index, (1 + nsib) << shift, e, node, i))
			return PCS_OK;
	}
	return PCS_OK;
}

enum pcs_errcode pcs_xa_walk(const struct pcs_kernel *k, uint64_t root,
			     const struct pcs_xa_opts *opts, pcs_xa_fn fn, void *arg,
			     struct pcs_error *err)
{
	struct xa_walk w = {.k = k, .fn = fn, .arg = arg, .err = err, .last = UINT64_MAX};
	uint64_t head, target = 0;
	enum pcs_errcode rc;

	if (k->xa.chunk_shift == 0 || (1u << k->xa.chunk_shift) > XA_MAX_CHUNK)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "tree chunk shift %u",
				     k->xa.chunk_shift);
	w.max_nodes = PCS_XA_MAX_NODES_DEFAULT;
	if (opts) {
		w.first = opts->first;
		if (opts->count)
			w.last = opts->count - 1 > UINT64_MAX - opts->first
				     ? UINT64_MAX
				     : opts->first + opts->count - 1;
		if (opts->max_nodes)
			w.max_nodes = opts->max_nodes;
	}
	rc = pcs_read_u64(k->t, root + k->xa.root_head, &head, err);
	if (rc)
		return pcs_error_wrap(err, "reading the head of tree 0x%" PRIx64, root);
	switch (slot_class(k, 0, head, &target)) {
	case SLOT_EMPTY: return PCS_OK;
	case SLOT_NODE: return walk_node(&w, target, 0, -1, 0, 0);
	default:
		/* A single entry lives in the head itself and covers index 0 only. */
		if (w.first == 0)
			emit(&w, 0, 1, head, 0, 0);
		return PCS_OK;
	}
}
