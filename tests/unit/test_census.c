// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/census.c on a synthetic memory map: one 256-page
 * section holding two files (A: two pages; B: a page and an order-2 folio), a
 * slab page, anon / KSM / movable pages and a buddy page; then the same with
 * i_pages slots redirected, emptied or unwalkable and with mappings that are
 * not an inode's.
 */
#include "census.h"
#include "fake_target.h"
#include "kernel.h"
#include "unit.h"

#define BITS	20
#define MAP_A	0xffff888020000000ull /* struct address_space: host +0, i_pages +8 */
#define MAP_B	0xffff888020001000ull
#define MAP_C	0xffff888020002000ull
#define INODE_A 0xffff888030000000ull /* struct inode: i_sb +40, i_mapping +48, ... */
#define INODE_B 0xffff888030001000ull
#define INODE_C 0xffff888030002000ull
#define NODE_A	0xffff888020100000ull
#define NODE_B	0xffff888020200000ull
#define NODE_C	0xffff888020300000ull
#define SB	0xffff888040000000ull
#define PG_HEAD (1ull << 6)
#define PG_SLAB (1ull << 9)

static void page(struct fake_target *ft, uint64_t pfn, uint64_t flags, uint64_t mapping,
		 uint64_t index)
{
	fake_put_u64(ft, fake_page(pfn) + 0, flags);
	fake_put_u64(ft, fake_page(pfn) + 24, mapping);
	fake_put_u64(ft, fake_page(pfn) + 32, index);
	fake_put_u32(ft, fake_page(pfn) + 48, 0xffffffff); /* _mapcount -1: no page type */
}

/* An inode's address_space with an i_pages node at node (slots set by the caller). */
static void file(struct fake_target *ft, uint64_t mapping, uint64_t inode, uint64_t node,
		 uint64_t ino, uint64_t nrpages)
{
	fake_map(ft, PCS_KVADDR, mapping, 128);
	fake_map(ft, PCS_KVADDR, inode, 128);
	fake_put_u64(ft, mapping + 0, inode);
	fake_put_u64(ft, mapping + 88, nrpages);
	fake_put_u64(ft, inode + 40, SB);
	fake_put_u64(ft, inode + 48, mapping);
	fake_put_u64(ft, inode + 64, ino);
	fake_put_u64(ft, inode + 80, nrpages * 4096);
	fake_node(ft, node, 0, 0, 0);
	fake_put_u64(ft, mapping + 8 + 8, xa_mk_node(node));
}

static void slot(struct fake_target *ft, uint64_t node, unsigned int i, uint64_t v)
{
	fake_slot(ft, node, i, v);
}

/* Files A (pfn 10, 11 at 0, 1) and B (pfn 12 at 0, order-2 folio pfn 16..19 at 4..7). */
static void world(struct fake_target *ft, struct pcs_kernel *k)
{
	struct pcs_error err;

	fake_layout_xarray(ft);
	fake_member_set(ft, "page", "page_type", 48);
	fake_enum_set(ft, "PG_slab", 9);
	fake_memsec_init(ft, BITS, 1);
	fake_memsec_root(ft, 0);
	fake_memsec_section(ft, 0, BITS, 256);
	for (uint64_t pfn = 0; pfn < 256; pfn++)
		fake_put_u32(ft, fake_page(pfn) + 48, 0xffffffff);

	file(ft, MAP_A, INODE_A, NODE_A, 100, 2);
	page(ft, 10, 0, MAP_A, 0);
	page(ft, 11, 0, MAP_A, 1);
	slot(ft, NODE_A, 0, fake_page(10));
	slot(ft, NODE_A, 1, fake_page(11));

	file(ft, MAP_B, INODE_B, NODE_B, 200, 5);
	page(ft, 12, 0, MAP_B, 0);
	page(ft, 16, PG_HEAD, MAP_B, 4);
	fake_put_u8(ft, fake_page(16) + 81, 2); /* folio._folio_order, in page[1] */
	for (uint64_t t = 17; t < 20; t++) {
		fake_put_u64(ft, fake_page(t) + 8, fake_page(16) + 1);	    /* compound_head | 1 */
		fake_put_u64(ft, fake_page(t) + 24, 0xdead000000000400ull); /* TAIL_MAPPING */
	}
	slot(ft, NODE_B, 0, fake_page(12));
	slot(ft, NODE_B, 4, fake_page(16));
	for (unsigned int i = 5; i < 8; i++)
		slot(ft, NODE_B, i, xa_mk_sibling(4));

	page(ft, 20, PG_SLAB, 0xffff888041000000ull, 0);  /* slab_cache where mapping is */
	page(ft, 21, 0, 0xffff888042000000ull | 1, 0);	  /* anon_vma */
	page(ft, 22, 0, 0xffff888042000000ull | 3, 0);	  /* KSM */
	page(ft, 23, 0, 0xffff888043000000ull | 2, 0);	  /* movable_operations */
	page(ft, 24, 0, 0xffff888044000000ull, 0);	  /* a buddy page ... */
	fake_put_u32(ft, fake_page(24) + 48, 0xffffff7f); /* ... (6.1: ~PG_buddy) */
	if (pcs_kernel_init(k, &ft->t, &err))
		fprintf(stderr, "kernel init: %s\n", err.msg);
}

static const struct pcs_census_anomaly *nth(const struct pcs_census *c, size_t i)
{
	static const struct pcs_census_anomaly none = {.kind = PCS_CENSUS_TREE, .why = "(none)"};

	return i < c->nanomalies ? &c->anomalies[i] : &none;
}

int main(void)
{
	static struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_census c;
	struct pcs_error err;
	char want[256];

	CASE("pages are grouped by mapping; tail, slab, anon/KSM/movable and typed pages are "
	     "skipped; a consistent cache has no anomaly")
	{
		world(&ft, &k);
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nfiles, 2);
		EXPECT_EQ_U64(c.nanomalies, 0);
		EXPECT_EQ_U64(c.files[0].mapping, MAP_A);
		EXPECT_EQ_U64(c.files[0].inode, INODE_A);
		EXPECT_EQ_U64(c.files[0].ino, 100);
		EXPECT_EQ_U64(c.files[0].sb, SB);
		EXPECT_EQ_U64(c.files[0].size, 2 * 4096);
		EXPECT_EQ_U64(c.files[0].nrpages, 2);
		EXPECT_EQ_U64(c.files[0].memmap_pages, 2);
		EXPECT_EQ_U64(c.files[0].tree_pages, 2);
		EXPECT_EQ_U64(c.files[1].mapping, MAP_B);
		EXPECT_EQ_U64(c.files[1].memmap_pages, 5);
		EXPECT_EQ_U64(c.files[1].tree_pages, 5);
		EXPECT_EQ_U64(c.stats.memmap.sections, 1);
		EXPECT_EQ_U64(c.stats.memmap.pages, 256);
		EXPECT_EQ_U64(c.stats.tail, 3);
		EXPECT_EQ_U64(c.stats.slab, 1);
		EXPECT_EQ_U64(c.stats.anon, 3);
		EXPECT_EQ_U64(c.stats.typed, 1);
		EXPECT_EQ_U64(c.stats.folios, 4);
		EXPECT_EQ_U64(c.stats.pages, 7);
		EXPECT_EQ_U64(c.stats.mappings, 2);
		EXPECT(pcs_census_find(&c, MAP_B) == &c.files[1]);
		EXPECT(pcs_census_find(&c, MAP_C) == NULL);
		pcs_census_free(&c);
		EXPECT(c.files == NULL && c.nfiles == 0);
		fake_free(&ft);
	}

	CASE("6.12+ page types: a PGTY_slab page is skipped without PG_slab, a hugetlb file page "
	     "is kept")
	{
		world(&ft, &k);
		fake_vmci_set(&ft, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)",
			      "-184549376"); /* 0xf5 << 24 */
		fake_vmci_set(&ft, "NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)", "-201326592"); /* 0xf4 */
		ft.nenums--; /* no PG_slab (the last enumerator set) */
		page(&ft, 20, 0, 0xffff888041000000ull, 0);
		fake_put_u32(&ft, fake_page(20) + 48, 0xf5000000);
		fake_put_u32(&ft, fake_page(24) + 48, 0xf0000000); /* PGTY_buddy */
		file(&ft, MAP_C, INODE_C, NODE_C, 300, 1);
		page(&ft, 30, 0, MAP_C, 0);
		fake_put_u32(&ft, fake_page(30) + 48, 0xf4000000); /* PGTY_hugetlb */
		slot(&ft, NODE_C, 0, fake_page(30));
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.pg.slab, -1);
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.stats.slab, 1);
		EXPECT_EQ_U64(c.stats.typed, 1);
		EXPECT_EQ_U64(c.nfiles, 3);
		EXPECT_EQ_U64(c.files[2].mapping, MAP_C);
		EXPECT_EQ_U64(c.files[2].memmap_pages, 1);
		EXPECT_EQ_U64(c.nanomalies, 0);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("a slot redirected to another file's folio is inconsistent, and the page that lost "
	     "the slot is an orphan")
	{
		world(&ft, &k);
		slot(&ft, NODE_A, 1, fake_page(12)); /* B's page in A's slot 1 */
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nanomalies, 2);
		EXPECT(nth(&c, 0)->kind == PCS_CENSUS_ORPHAN);
		EXPECT_EQ_U64(nth(&c, 0)->mapping, MAP_A);
		EXPECT_EQ_U64(nth(&c, 0)->index, 1);
		EXPECT_EQ_U64(nth(&c, 0)->page, fake_page(11));
		EXPECT_EQ_U64(nth(&c, 0)->pfn, 11);
		EXPECT_EQ_U64(nth(&c, 0)->slot, fake_page(12));
		snprintf(
		    want, sizeof(want),
		    "struct page 0x%llx (pfn 11) claims mapping 0x%llx index 1, but i_pages[1] "
		    "holds 0x%llx",
		    (unsigned long long)fake_page(11), MAP_A, (unsigned long long)fake_page(12));
		EXPECT_STREQ(nth(&c, 0)->why, want);
		EXPECT(nth(&c, 1)->kind == PCS_CENSUS_INCONSISTENT);
		EXPECT_EQ_U64(nth(&c, 1)->mapping, MAP_A);
		EXPECT_EQ_U64(nth(&c, 1)->index, 1);
		EXPECT_EQ_U64(nth(&c, 1)->page, fake_page(12));
		EXPECT_EQ_U64(nth(&c, 1)->pfn, 12);
		EXPECT(strstr(nth(&c, 1)->why, "not this file's") != NULL);
		EXPECT_EQ_U64(c.files[0].tree_pages, 1);
		EXPECT_EQ_U64(c.files[0].memmap_pages, 2);
		EXPECT_EQ_U64(c.files[1].tree_pages, 5); /* B itself is fine */
		EXPECT_STREQ(pcs_census_kind_name(PCS_CENSUS_ORPHAN), "orphan");
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("a slot redirected to a folio of the same file at another index is inconsistent "
	     "(index not covered), plus the orphan")
	{
		world(&ft, &k);
		slot(&ft, NODE_A, 1, fake_page(10)); /* A's index-0 page also in slot 1 */
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nanomalies, 2);
		EXPECT(nth(&c, 0)->kind == PCS_CENSUS_ORPHAN);
		EXPECT_EQ_U64(nth(&c, 0)->page, fake_page(11));
		EXPECT_EQ_U64(nth(&c, 0)->slot, fake_page(10));
		EXPECT(nth(&c, 1)->kind == PCS_CENSUS_INCONSISTENT);
		EXPECT_EQ_U64(nth(&c, 1)->index, 1);
		EXPECT_EQ_U64(nth(&c, 1)->page, fake_page(10));
		EXPECT(strstr(nth(&c, 1)->why, "which does not cover index 1") != NULL);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("a page whose slot holds nothing, or a shadow entry, is an orphan (before, between "
	     "and after the tree's entries)")
	{
		world(&ft, &k);
		slot(&ft, NODE_A, 0, 0);
		slot(&ft, NODE_B, 0, xa_mk_value(42));
		for (unsigned int i = 4; i < 8; i++)
			slot(&ft, NODE_B, i, 0);
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nanomalies, 3);
		EXPECT(nth(&c, 0)->kind == PCS_CENSUS_ORPHAN);
		EXPECT_EQ_U64(nth(&c, 0)->mapping, MAP_A);
		EXPECT_EQ_U64(nth(&c, 0)->page, fake_page(10));
		EXPECT_EQ_U64(nth(&c, 0)->slot, 0);
		EXPECT(strstr(nth(&c, 0)->why, "but i_pages[0] holds nothing") != NULL);
		EXPECT(nth(&c, 1)->kind == PCS_CENSUS_ORPHAN);
		EXPECT_EQ_U64(nth(&c, 1)->mapping, MAP_B);
		EXPECT_EQ_U64(nth(&c, 1)->page, fake_page(12));
		EXPECT_EQ_U64(nth(&c, 1)->slot, xa_mk_value(42));
		EXPECT(strstr(nth(&c, 1)->why, "holds shadow entry 0x55") != NULL);
		EXPECT_EQ_U64(nth(&c, 2)->page, fake_page(16));
		EXPECT(strstr(nth(&c, 2)->why, "index 4, but i_pages[4] holds nothing") != NULL);
		EXPECT_EQ_U64(c.files[0].tree_pages, 1);
		EXPECT_EQ_U64(c.files[1].tree_pages, 0);
		EXPECT_EQ_U64(c.files[1].memmap_pages, 5);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("two pages claiming the same index: the one the slot does not hold is an orphan")
	{
		world(&ft, &k);
		page(&ft, 13, 0, MAP_A, 1);
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nanomalies, 1);
		EXPECT(nth(&c, 0)->kind == PCS_CENSUS_ORPHAN);
		EXPECT_EQ_U64(nth(&c, 0)->page, fake_page(13));
		EXPECT_EQ_U64(c.files[0].memmap_pages, 3);
		EXPECT_EQ_U64(c.files[0].tree_pages, 2);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("pages claiming a mapping whose host does not point back are not-inode anomalies, "
	     "one per page; that mapping is no file")
	{
		world(&ft, &k);
		file(&ft, MAP_C, INODE_C, NODE_C, 300, 2);
		fake_put_u64(&ft, INODE_C + 48, MAP_A); /* host->i_mapping is another mapping */
		page(&ft, 30, 0, MAP_C, 3);
		page(&ft, 31, 0, MAP_C, 4);
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nfiles, 2);
		EXPECT(pcs_census_find(&c, MAP_C) == NULL);
		EXPECT_EQ_U64(c.nanomalies, 2);
		EXPECT(nth(&c, 0)->kind == PCS_CENSUS_NOT_INODE);
		EXPECT_EQ_U64(nth(&c, 0)->mapping, MAP_C);
		EXPECT_EQ_U64(nth(&c, 0)->index, 3);
		EXPECT_EQ_U64(nth(&c, 0)->pfn, 30);
		snprintf(want, sizeof(want),
			 "struct page 0x%llx (pfn 30) claims mapping 0x%llx whose host 0x%llx has "
			 "i_mapping 0x%llx: not that inode's page cache",
			 (unsigned long long)fake_page(30), MAP_C, INODE_C, MAP_A);
		EXPECT_STREQ(nth(&c, 0)->why, want);
		EXPECT_EQ_U64(nth(&c, 1)->pfn, 31);
		EXPECT_STREQ(pcs_census_kind_name(PCS_CENSUS_NOT_INODE), "not-inode");
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("a mapping with a NULL host or one the dump does not hold: not-inode anomalies")
	{
		world(&ft, &k);
		file(&ft, MAP_C, INODE_C, NODE_C, 300, 1);
		fake_put_u64(&ft, MAP_C, 0);
		page(&ft, 30, 0, MAP_C, 0);
		page(&ft, 31, 0, 0xffff888099000000ull, 0); /* nothing mapped there */
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nanomalies, 2);
		EXPECT(strstr(nth(&c, 0)->why, "whose host is NULL") != NULL);
		EXPECT(strstr(nth(&c, 1)->why, "which cannot be read") != NULL);
		EXPECT_EQ_U64(c.nfiles, 2);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("an i_pages that cannot be walked is one tree anomaly, its pages left unchecked")
	{
		world(&ft, &k);
		fake_put_u64(&ft, MAP_A + 16, xa_mk_node(0xffff888098000000ull)); /* not mapped */
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_OK);
		EXPECT_EQ_U64(c.nanomalies, 1);
		EXPECT(nth(&c, 0)->kind == PCS_CENSUS_TREE);
		EXPECT_EQ_U64(nth(&c, 0)->mapping, MAP_A);
		EXPECT(strstr(nth(&c, 0)->why, "2 claims left unchecked") != NULL);
		EXPECT_EQ_U64(c.files[0].tree_pages, 0);
		EXPECT_EQ_U64(c.files[1].tree_pages, 5);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	CASE("without a memory map the census fails with one sentence, and frees cleanly")
	{
		world(&ft, &k);
		ft.nvmci = 0; /* no VMCOREINFO at all */
		EXPECT(pcs_census_take(&k, &c, &err) == PCS_ERR_UNSUPPORTED);
		EXPECT(strstr(err.msg, "mem_section") != NULL);
		EXPECT(c.nfiles == 0 && c.nanomalies == 0);
		pcs_census_free(&c);
		fake_free(&ft);
	}

	UNIT_EXIT();
}
