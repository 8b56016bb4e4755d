// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel layout discovery: struct offsets, page flag bits, tree generation. */
#include "kernel.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "memmodel.h"

enum pcs_errcode pcs_kernel_offset(const struct pcs_target *t, const char *type, const char *member,
				   uint64_t *off, struct pcs_error *err)
{
	char key[160];
	enum pcs_errcode rc;

	rc = pcs_member_offset(t, type, member, off, NULL);
	if (rc == PCS_OK)
		return PCS_OK;
	snprintf(key, sizeof(key), "OFFSET(%s.%s)", type, member);
	if (pcs_vmcoreinfo_u64(t, key, off, NULL) == PCS_OK)
		return PCS_OK;
	return pcs_error_set(err, PCS_ERR_NOTYPE,
			     "struct %s has no member %s in the type info or VMCOREINFO", type,
			     member);
}

enum pcs_errcode pcs_kernel_size(const struct pcs_target *t, const char *type, uint64_t *size,
				 struct pcs_error *err)
{
	char key[160];

	if (pcs_type_size(t, type, size, NULL) == PCS_OK)
		return PCS_OK;
	snprintf(key, sizeof(key), "SIZE(%s)", type);
	if (pcs_vmcoreinfo_u64(t, key, size, NULL) == PCS_OK)
		return PCS_OK;
	return pcs_error_set(err, PCS_ERR_NOTYPE,
			     "struct %s is in neither the type info nor VMCOREINFO", type);
}

/* Offset of an optional member: PCS_OFF_NONE when absent. */
static uint64_t opt_offset(const struct pcs_target *t, const char *type, const char *member)
{
	uint64_t off;

	if (pcs_kernel_offset(t, type, member, &off, NULL) != PCS_OK)
		return PCS_OFF_NONE;
	return off;
}

static bool has_member(const struct pcs_target *t, const char *type, const char *member)
{
	return opt_offset(t, type, member) != PCS_OFF_NONE;
}

/* Bit number of a page flag: enum pageflags, then VMCOREINFO NUMBER(PG_x) / PG_x_mask. */
static int page_flag_bit(const struct pcs_target *t, const char *name)
{
	char key[64];
	int64_t v;
	uint64_t u;

	if (pcs_enum_value(t, name, &v, NULL) == PCS_OK && v >= 0 && v < 64)
		return (int)v;
	snprintf(key, sizeof(key), "NUMBER(%s)", name);
	if (pcs_vmcoreinfo_u64(t, key, &u, NULL) == PCS_OK && u < 64)
		return (int)u;
	snprintf(key, sizeof(key), "NUMBER(%s_mask)", name);
	if (pcs_vmcoreinfo_u64(t, key, &u, NULL) == PCS_OK && u && !(u & (u - 1)))
		return __builtin_ctzll(u);
	return -1;
}

static void init_pageflags(struct pcs_kernel *k)
{
	const struct pcs_target *t = k->t;

	k->pg.locked = page_flag_bit(t, "PG_locked");
	k->pg.uptodate = page_flag_bit(t, "PG_uptodate");
	k->pg.dirty = page_flag_bit(t, "PG_dirty");
	k->pg.lru = page_flag_bit(t, "PG_lru");
	k->pg.head = page_flag_bit(t, "PG_head");
	k->pg.private_ = page_flag_bit(t, "PG_private");
	k->pg.writeback = page_flag_bit(t, "PG_writeback");
	k->pg.slab = page_flag_bit(t, "PG_slab");
}

/* VMCOREINFO NUMBER(name) as the u32 it was printed from (%ld of an int: may be negative). */
static uint32_t page_type_value(const struct pcs_target *t, const char *name)
{
	char key[64];
	uint64_t v;

	snprintf(key, sizeof(key), "NUMBER(%s)", name);
	if (pcs_vmcoreinfo_u64(t, key, &v, NULL) != PCS_OK)
		return 0;
	return (uint32_t)v;
}

static void init_pagetypes(struct pcs_kernel *k)
{
	k->pgtype.slab = page_type_value(k->t, "PAGE_SLAB_MAPCOUNT_VALUE");
	k->pgtype.hugetlb = page_type_value(k->t, "PAGE_HUGETLB_MAPCOUNT_VALUE");
	k->pgtype.buddy = page_type_value(k->t, "PAGE_BUDDY_MAPCOUNT_VALUE");
}

bool pcs_page_type_is(uint32_t page_type, uint32_t value)
{
	if (!value)
		return false;
	if (!(value & 0xffffffu)) /* 6.12+: the type is the top byte */
		return page_type >> 24 == value >> 24;
	/* up to 6.11: PageType(page, flag) with value == ~flag */
	return (page_type & (0xf0000000u | ~value)) == 0xf0000000u;
}

static enum pcs_errcode init_page(struct pcs_kernel *k, struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	enum pcs_errcode rc;

	rc = pcs_kernel_size(t, "page", &k->page.size, err);
	if (rc)
		return rc;
	if (k->page.size < 32 || k->page.size > 256)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "sizeof(struct page) is %" PRIu64,
				     k->page.size);
	rc = pcs_kernel_offset(t, "page", "flags", &k->page.flags, err);
	if (rc)
		return rc;
	rc = pcs_kernel_offset(t, "page", "mapping", &k->page.mapping, err);
	if (rc)
		return rc;
	/* page->index went away in 6.16 ("__folio_index"); folio->index is the same word. */
	k->page.index = opt_offset(t, "page", "index");
	if (k->page.index == PCS_OFF_NONE)
		k->page.index = opt_offset(t, "page", "__folio_index");
	if (k->page.index == PCS_OFF_NONE)
		k->page.index = opt_offset(t, "folio", "index");
	if (k->page.index == PCS_OFF_NONE)
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "neither struct page.index nor struct folio.index is known");
	k->page.refcount = opt_offset(t, "page", "_refcount");
	if (k->page.refcount == PCS_OFF_NONE)
		k->page.refcount = opt_offset(t, "page", "_count");
	/* Renamed compound_info in 7.1 (may then hold a mask, see folio.c). */
	k->page.compound_head = opt_offset(t, "page", "compound_head");
	k->compound_info_mask = false;
	if (k->page.compound_head == PCS_OFF_NONE) {
		k->page.compound_head = opt_offset(t, "page", "compound_info");
		k->compound_info_mask = k->page.compound_head != PCS_OFF_NONE &&
					!(k->page.size & (k->page.size - 1)) &&
					has_member(t, "zone", "vmemmap_tails");
	}
	k->page.private_ = opt_offset(t, "page", "private");
	k->page.page_type = opt_offset(t, "page", "page_type");
	if (k->page.page_type == PCS_OFF_NONE)
		k->page.page_type = opt_offset(t, "page", "_mapcount");
	return PCS_OK;
}

/*
 * Where the folio order lives, newest layout first (drgn's compound_order() makes
 * the same choice): folio._folio_order (6.1..6.5), low byte of folio._flags_1
 * (6.6+), page[1].compound_order (4.6..6.2).
 */
static void init_order(struct pcs_kernel *k)
{
	const struct pcs_target *t = k->t;
	uint64_t off;

	k->order_src = PCS_ORDER_NONE;
	k->order_off = 0;
	if ((off = opt_offset(t, "folio", "_folio_order")) != PCS_OFF_NONE) {
		k->order_src = PCS_ORDER_FOLIO_ORDER;
		k->order_off = off;
	} else if ((off = opt_offset(t, "folio", "_flags_1")) != PCS_OFF_NONE) {
		k->order_src = PCS_ORDER_FLAGS_1;
		k->order_off = off; /* little-endian: the low byte is the first */
	} else if ((off = opt_offset(t, "page", "compound_order")) != PCS_OFF_NONE) {
		k->order_src = PCS_ORDER_COMPOUND_ORDER;
		k->order_off = k->page.size + off;
	}
}

static enum pcs_errcode init_mapping(struct pcs_kernel *k, struct pcs_error *err)
{
	const struct pcs_target *t = k->t;

	k->mapping.i_pages = opt_offset(t, "address_space", "i_pages");
	if (k->mapping.i_pages == PCS_OFF_NONE)
		k->mapping.i_pages = opt_offset(t, "address_space", "page_tree");
	if (k->mapping.i_pages == PCS_OFF_NONE)
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "struct address_space has neither i_pages nor page_tree");
	k->mapping.nrpages = opt_offset(t, "address_space", "nrpages");
	k->mapping.host = opt_offset(t, "address_space", "host");

	k->inode.i_mapping = opt_offset(t, "inode", "i_mapping");
	k->inode.i_ino = opt_offset(t, "inode", "i_ino");
	k->inode.i_size = opt_offset(t, "inode", "i_size");
	k->inode.i_sb = opt_offset(t, "inode", "i_sb");
	return PCS_OK;
}

/* Slots per node from the gap between slots[] and the tag/mark bitmaps. */
static uint32_t chunk_shift(const struct pcs_target *t, const char *node, uint64_t slots)
{
	static const char *const bitmaps[] = {"marks", "tags"};

	for (size_t i = 0; i < sizeof(bitmaps) / sizeof(bitmaps[0]); i++) {
		uint64_t off = opt_offset(t, node, bitmaps[i]);
		uint64_t n;

		if (off == PCS_OFF_NONE || off <= slots)
			continue;
		n = (off - slots) / 8;
		if (n == 16)
			return 4;
		if (n == 64)
			return 6;
	}
	return 6; /* XA_CHUNK_SHIFT / RADIX_TREE_MAP_SHIFT unless CONFIG_BASE_SMALL */
}

static enum pcs_errcode init_tree(struct pcs_kernel *k, struct pcs_error *err)
{
	const struct pcs_target *t = k->t;
	struct pcs_xa_layout *xa = &k->xa;
	const char *node;
	enum pcs_errcode rc;

	if (has_member(t, "xarray", "xa_head")) {
		xa->kind = PCS_TREE_XARRAY;
		node = "xa_node";
		rc = pcs_kernel_offset(t, "xarray", "xa_head", &xa->root_head, err);
	} else if (has_member(t, "radix_tree_root", "rnode")) {
		xa->kind = PCS_TREE_RADIX;
		node = "radix_tree_node";
		rc = pcs_kernel_offset(t, "radix_tree_root", "rnode", &xa->root_head, err);
		if (!rc && !has_member(t, node, "shift"))
			return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
					     "radix_tree_node has no shift member (kernel before "
					     "4.7): height-based radix trees are not supported");
	} else {
		return pcs_error_set(err, PCS_ERR_NOTYPE,
				     "neither struct xarray.xa_head nor "
				     "radix_tree_root.rnode is known");
	}
	if (rc)
		return rc;
	if ((rc = pcs_kernel_offset(t, node, "shift", &xa->node_shift, err)) ||
	    (rc = pcs_kernel_offset(t, node, "offset", &xa->node_offset, err)) ||
	    (rc = pcs_kernel_offset(t, node, "count", &xa->node_count, err)) ||
	    (rc = pcs_kernel_offset(t, node, "parent", &xa->node_parent, err)) ||
	    (rc = pcs_kernel_offset(t, node, "slots", &xa->node_slots, err)))
		return rc;
	xa->chunk_shift = chunk_shift(t, node, xa->node_slots);
	return PCS_OK;
}

enum pcs_errcode pcs_kernel_init(struct pcs_kernel *k, const struct pcs_target *t,
				 struct pcs_error *err)
{
	enum pcs_errcode rc;

	memset(k, 0, sizeof(*k));
	k->t = t;
	k->version = t->kernel_version;
	k->page_size = t->page_size;
	if (!k->page_size || (k->page_size & (k->page_size - 1)))
		return pcs_error_set(err, PCS_ERR_INVAL, "target page size %u is not a power of 2",
				     k->page_size);
	k->page_shift = (uint32_t)__builtin_ctz(k->page_size);

	if ((rc = init_page(k, err)) || (rc = init_mapping(k, err)) || (rc = init_tree(k, err)))
		return pcs_error_wrap(err, "kernel layout");
	init_order(k);
	init_pageflags(k);
	init_pagetypes(k);
	pcs_memmodel_init(k);
	return PCS_OK;
}

enum pcs_errcode pcs_page_flags(const struct pcs_kernel *k, uint64_t page, uint64_t *flags,
				struct pcs_error *err)
{
	enum pcs_errcode rc = pcs_read_u64(k->t, page + k->page.flags, flags, err);

	if (rc)
		return pcs_error_wrap(err, "reading page.flags of struct page 0x%" PRIx64, page);
	return PCS_OK;
}

static const char *order_src_name(enum pcs_order_src src)
{
	switch (src) {
	case PCS_ORDER_FOLIO_ORDER: return "folio._folio_order";
	case PCS_ORDER_FLAGS_1: return "low byte of folio._flags_1";
	case PCS_ORDER_COMPOUND_ORDER: return "page[1].compound_order";
	default: return "unknown";
	}
}

void pcs_kernel_describe(const struct pcs_kernel *k, FILE *fp)
{
	fprintf(fp, "page size:       %u\n", k->page_size);
	fprintf(fp,
		"struct page:     %" PRIu64 " bytes (flags +%" PRIu64 ", mapping +%" PRIu64
		", index +%" PRIu64 ")\n",
		k->page.size, k->page.flags, k->page.mapping, k->page.index);
	fprintf(fp, "i_pages:         %s, %u slots per node\n",
		k->xa.kind == PCS_TREE_XARRAY ? "xarray" : "radix tree", 1u << k->xa.chunk_shift);
	fprintf(fp, "folio order:     %s (+%" PRIu64 " from the head page)\n",
		order_src_name(k->order_src), k->order_off);
	fprintf(fp, "PG_head:         %d\n", k->pg.head);
	if (!k->mm.ok) {
		fprintf(fp, "memory model:    unknown: %s\n", k->mm.why);
		return;
	}
	fprintf(fp, "vmemmap:         0x%" PRIx64 " (%s)\n", k->mm.vmemmap,
		k->mm.source ? k->mm.source : "?");
	fprintf(fp, "PAGE_OFFSET:     0x%" PRIx64 "\n", k->mm.page_offset);
	fprintf(fp, "PHYS_OFFSET:     0x%" PRIx64 "\n", k->mm.phys_offset);
}
