// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of folios, page-cache rows and page hashing on synthetic memory. */
#include "fake_target.h"
#include "folio.h"
#include "json.h"
#include "kernel.h"
#include "pagecache.h"
#include "pagehash.h"
#include "unit.h"

#define MAPPING	      0xffff888020000000ull /* struct address_space; i_pages at +8 */
#define XA	      (MAPPING + 8)
#define NODE0	      0xffff888020100000ull
#define PG_HEAD	      (1ull << 6)
#define MD5_ZERO_PAGE "620f0b67a91f7f74151bc5be745b7110"

struct rows {
	int n;
	struct pcs_page_row r[64];
	char hash[64][2 * PCS_DIGEST_MAX + 1];
	char why[64][PCS_ERRMSG_MAX];
	char json[64][1024];
	int hashed_excluded;
	int read_inconsistent; /* inconsistent rows that came with page data or a digest */
};

static int collect(const struct pcs_page_row *row, void *arg)
{
	struct rows *s = arg;

	if (s->n < 64) {
		struct json_object *o = pcs_json_page_row(row);

		s->r[s->n] = *row;
		s->r[s->n].data = NULL;
		s->r[s->n].why = NULL;
		pcs_digest_hex(&row->digest, s->hash[s->n]);
		snprintf(s->why[s->n], sizeof(s->why[0]), "%s", row->why ? row->why : "");
		snprintf(s->json[s->n], sizeof(s->json[0]), "%s", json_object_to_json_string(o));
		json_object_put(o);
	}
	if (row->status == PCS_PAGE_EXCLUDED && row->digest.len)
		s->hashed_excluded++;
	if (row->status == PCS_PAGE_INCONSISTENT && (row->data || row->digest.len))
		s->read_inconsistent++;
	s->n++;
	return 0;
}

#define OTHER_MAPPING 0xffff888020200000ull /* another file's address_space */

static int count_folio(const struct pcs_folio *f, void *arg)
{
	struct pcs_folio *out = arg;

	out[out[0].nr_pages == 0 ? 0 : 1] = *f;
	out[2].nr_pages++; /* count */
	return 0;
}

static void setup(struct fake_target *ft, struct pcs_kernel *k)
{
	struct pcs_error err;

	fake_map(ft, PCS_KVADDR, MAPPING, 128);
	fake_put_u64(ft, MAPPING + 88, 0); /* nrpages, set by tests */
	if (pcs_kernel_init(k, &ft->t, &err))
		fprintf(stderr, "kernel init: %s\n", err.msg);
}

/* A folio of 1 << order pages from pfn, head flagged, tails pointing at it. */
static uint64_t make_folio(struct fake_target *ft, const struct pcs_kernel *k, uint64_t pfn,
			   unsigned int order, uint64_t index, int fill)
{
	uint64_t head = fake_page(pfn), n = 1ull << order;

	fake_map(ft, PCS_KVADDR, head, 64 * n);
	for (uint64_t i = 0; i < n; i++) {
		fake_cached_page(ft, pfn + i, i ? 0 : (order ? PG_HEAD : 0), MAPPING, index + i,
				 fill + (int)i, false);
		if (i)
			fake_put_u64(ft, head + 64 * i + 8, head + 1);
	}
	if (order) {
		switch (k->order_src) {
		case PCS_ORDER_FLAGS_1: fake_put_u64(ft, head + k->order_off, order); break;
		default: fake_put_u8(ft, head + k->order_off, (uint8_t)order); break;
		}
	}
	return head;
}

int main(void)
{
	struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_error err;
	struct rows *s = calloc(1, sizeof(*s));
	struct pcs_folio f, fs[3];

	CASE("order-2 folio at index 4 appears once and covers 4..7")
	{
		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 2, 4, 'a');
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 4, head);
		for (unsigned int i = 5; i < 8; i++)
			fake_slot(&ft, NODE0, i, xa_mk_sibling(4));
		memset(fs, 0, sizeof(fs));
		EXPECT(pcs_folio_walk(&k, XA, count_folio, fs, &err) == PCS_OK);
		EXPECT_EQ_U64(fs[2].nr_pages, 1);
		EXPECT_EQ_U64(fs[0].head, head);
		EXPECT_EQ_U64(fs[0].order, 2);
		EXPECT_EQ_U64(fs[0].index, 4);
		EXPECT_EQ_U64(fs[0].nr_pages, 4);
		EXPECT_EQ_U64(pcs_folio_page(&k, &fs[0], 7), head + 3 * 64);
		EXPECT_EQ_U64(pcs_folio_page(&k, &fs[0], 8), 0);
		fake_free(&ft);
	}

	CASE("a tail page resolves to its head through compound_head")
	{
		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 2, 4, 'a');
		EXPECT(pcs_folio_of_page(&k, head + 2 * 64, &f, &err) == PCS_OK);
		EXPECT_EQ_U64(f.head, head);
		EXPECT_EQ_U64(f.order, 2);
		fake_free(&ft);
	}

	CASE("6.6+ layout: folio order is the low byte of folio._flags_1")
	{
		fake_layout_xarray(&ft);
		fake_member_del(&ft, "folio", "_folio_order");
		setup(&ft, &k);
		EXPECT(k.order_src == PCS_ORDER_FLAGS_1);
		uint64_t head = make_folio(&ft, &k, 1000, 3, 0, 'a');
		fake_put_u64(&ft, head + 64, 0xab00 | 3); /* other _flags_1 bits set */
		EXPECT(pcs_folio_of_page(&k, head, &f, &err) == PCS_OK);
		EXPECT_EQ_U64(f.order, 3);
		fake_free(&ft);
	}

	CASE("4.x layout: folio order is page[1].compound_order")
	{
		fake_layout_radix(&ft);
		setup(&ft, &k);
		EXPECT(k.order_src == PCS_ORDER_COMPOUND_ORDER);
		EXPECT_EQ_U64(k.order_off, 64 + 17);
		uint64_t head = make_folio(&ft, &k, 1000, 1, 0, 'a');
		EXPECT(pcs_folio_of_page(&k, head, &f, &err) == PCS_OK);
		EXPECT_EQ_U64(f.order, 1);
		fake_free(&ft);
	}

	CASE("5.1..5.16 layout: the head page repeated in every slot is one folio")
	{
		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 2, 0, 'a');
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		for (unsigned int i = 0; i < 4; i++)
			fake_slot(&ft, NODE0, i, head);
		memset(fs, 0, sizeof(fs));
		EXPECT(pcs_folio_walk(&k, XA, count_folio, fs, &err) == PCS_OK);
		EXPECT_EQ_U64(fs[2].nr_pages, 1);
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, NULL, collect, s, NULL, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 4);
		EXPECT_EQ_U64(s->r[3].page, head + 3 * 64);
		fake_free(&ft);
	}

	CASE("before 5.1 (radix tree) each slot holds its own subpage: one folio, a row per page")
	{
		struct pcs_pagecache_summary sum;

		fake_layout_radix(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 1, 0, 'a');
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, NODE0 | 1);
		fake_slot(&ft, NODE0, 0, head);
		fake_slot(&ft, NODE0, 1, head + 64); /* the tail page itself */
		memset(fs, 0, sizeof(fs));
		EXPECT(pcs_folio_walk(&k, XA, count_folio, fs, &err) == PCS_OK);
		EXPECT_EQ_U64(fs[2].nr_pages, 1);
		EXPECT_EQ_U64(fs[0].order, 1);
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, NULL, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT_EQ_U64(s->r[1].page, head + 64);
		EXPECT_EQ_U64(s->r[1].pfn, 1001);
		EXPECT_EQ_U64(sum.folios, 1);
		fake_free(&ft);
	}

	CASE("a head page whose order is corrupt (0 with PG_head) is PCS_ERR_CORRUPT")
	{
		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 1, 0, 'a');
		fake_put_u8(&ft, head + k.order_off, 0);
		EXPECT(pcs_folio_of_page(&k, head, &f, &err) == PCS_ERR_CORRUPT);
		fake_free(&ft);
	}

	CASE("large folio expands to one row per page with consecutive pfns and file offsets")
	{
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 2, 4, 'a');
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 4, head);
		for (unsigned int i = 5; i < 8; i++)
			fake_slot(&ft, NODE0, i, xa_mk_sibling(4));
		fake_put_u64(&ft, MAPPING + 88, 4);
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, NULL, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 4);
		for (int i = 0; i < 4 && i < s->n; i++) {
			EXPECT_EQ_U64(s->r[i].index, 4 + i);
			EXPECT_EQ_U64(s->r[i].offset, (4 + i) * 4096ull);
			EXPECT_EQ_U64(s->r[i].pfn, 1000 + i);
			EXPECT_EQ_U64(s->r[i].paddr, (1000ull + i) * 4096);
			EXPECT_EQ_U64(s->r[i].vaddr, FAKE_PAGE_OFFSET + (1000ull + i) * 4096);
			EXPECT_EQ_U64(s->r[i].folio, head);
			EXPECT_EQ_U64(s->r[i].folio_order, 2);
			EXPECT(s->r[i].status == PCS_PAGE_PRESENT);
		}
		EXPECT_EQ_U64(sum.folios, 1);
		EXPECT_EQ_U64(sum.large_folios, 1);
		EXPECT_EQ_U64(sum.present, 4);
		EXPECT_EQ_U64(sum.nrpages, 4);
		fake_free(&ft);
	}

	CASE("excluded page is reported excluded, never hashed")
	{
		struct pcs_pagecache_opts o = {.hash = PCS_HASH_MD5};
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, fake_cached_page(&ft, 10, 0, MAPPING, 0, 0, false));
		fake_slot(&ft, NODE0, 1, fake_cached_page(&ft, 11, 0, MAPPING, 1, 0, true));
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, &o, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT(s->r[0].status == PCS_PAGE_PRESENT);
		EXPECT_STREQ(s->hash[0], MD5_ZERO_PAGE);
		EXPECT(s->r[1].status == PCS_PAGE_EXCLUDED);
		EXPECT_EQ_U64(s->r[1].digest.len, 0);
		EXPECT_STREQ(s->hash[1], "");
		EXPECT_EQ_U64(s->hashed_excluded, 0);
		EXPECT_EQ_U64(sum.excluded, 1);
		EXPECT_EQ_U64(sum.present, 1);
		fake_free(&ft);
	}

	CASE("value entry gives a shadow row; holes below nr_index are not-cached rows")
	{
		struct pcs_pagecache_opts o = {.nr_index = 5};
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 1, fake_cached_page(&ft, 10, 0, MAPPING, 1, 0, false));
		fake_slot(&ft, NODE0, 3, xa_mk_value(77));
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, &o, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 5);
		EXPECT(s->r[0].status == PCS_PAGE_NOT_CACHED);
		EXPECT(s->r[1].status == PCS_PAGE_PRESENT);
		EXPECT(s->r[2].status == PCS_PAGE_NOT_CACHED);
		EXPECT(s->r[3].status == PCS_PAGE_SHADOW);
		EXPECT_EQ_U64(s->r[3].entry, xa_mk_value(77));
		EXPECT_EQ_U64(s->r[3].page, 0);
		EXPECT(s->r[4].status == PCS_PAGE_NOT_CACHED);
		EXPECT_EQ_U64(sum.shadow, 1);
		EXPECT_EQ_U64(sum.not_cached, 3);
		EXPECT_STREQ(pcs_page_status_name(PCS_PAGE_NOT_CACHED), "not-cached");
		fake_free(&ft);
	}

	CASE("retry entry gives an error row, the walk goes on")
	{
		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, XA_RETRY_ENTRY);
		fake_slot(&ft, NODE0, 1, fake_cached_page(&ft, 10, 0, MAPPING, 1, 0, false));
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, NULL, collect, s, NULL, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT(s->r[0].status == PCS_PAGE_ERROR);
		EXPECT(s->r[1].status == PCS_PAGE_PRESENT);
		fake_free(&ft);
	}

	CASE("a slot holding another file's folio is inconsistent: never read, hashed or compared")
	{
		struct pcs_pagecache_opts o = {.hash = PCS_HASH_MD5};
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, fake_cached_page(&ft, 10, 0, MAPPING, 0, 0, false));
		uint64_t alien = fake_cached_page(&ft, 12, 0, OTHER_MAPPING, 9, 'x', false);
		fake_slot(&ft, NODE0, 7, alien);
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, &o, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT(s->r[1].status == PCS_PAGE_INCONSISTENT);
		EXPECT_EQ_U64(s->r[1].index, 7);
		EXPECT_EQ_U64(s->r[1].page, alien);
		EXPECT_EQ_U64(s->r[1].pfn, 12);
		EXPECT_EQ_U64(s->r[1].entry, alien);
		EXPECT_EQ_U64(s->r[1].digest.len, 0);
		EXPECT_EQ_U64(s->read_inconsistent, 0);
		EXPECT(strstr(s->why[1], "slot i_pages[7] holds folio 0xffffea00000003") != NULL);
		EXPECT(strstr(s->why[1],
			      "of mapping 0xffff888020200000 (index 9), not this file's") != NULL);
		EXPECT_EQ_U64(sum.inconsistent, 1);
		EXPECT_EQ_U64(sum.present, 1);
		EXPECT_EQ_U64(sum.errors, 0);
		EXPECT_STREQ(pcs_page_status_name(PCS_PAGE_INCONSISTENT), "inconsistent");
		/* JSON: status, the slot's page and pfn, the raw entry, the reason; no hash */
		EXPECT(strstr(s->json[1], "\"status\": \"inconsistent\"") != NULL);
		EXPECT(strstr(s->json[1], "\"pfn\": 12") != NULL);
		EXPECT(strstr(s->json[1], "\"entry\": \"0xffffea0000000300\"") != NULL);
		EXPECT(strstr(s->json[1], "not this file's") != NULL);
		EXPECT(strstr(s->json[1], "\"hash\"") == NULL);
		EXPECT(strstr(s->json[1], "\"paddr\"") == NULL);
		struct json_object *js = pcs_json_summary(&sum, PCS_HASH_MD5, -1);
		EXPECT(strstr(json_object_to_json_string(js), "\"inconsistent\": 1") != NULL);
		json_object_put(js);
		fake_free(&ft);
	}

	CASE("a slot holding this file's folio of another index is inconsistent (does not cover)")
	{
		struct pcs_pagecache_opts o = {.hash = PCS_HASH_MD5};
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		uint64_t p0 = fake_cached_page(&ft, 10, 0, MAPPING, 0, 0, false);
		fake_cached_page(&ft, 11, 0, MAPPING, 1, 0, false); /* lost its slot */
		fake_slot(&ft, NODE0, 0, p0);
		fake_slot(&ft, NODE0, 1, p0);
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, &o, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT(s->r[0].status == PCS_PAGE_PRESENT);
		EXPECT(s->r[1].status == PCS_PAGE_INCONSISTENT);
		EXPECT_EQ_U64(s->r[1].page, p0);
		EXPECT_EQ_U64(s->r[1].digest.len, 0);
		EXPECT_EQ_U64(s->read_inconsistent, 0);
		EXPECT(strstr(s->why[1], "(index 0, order 0), which does not cover index 1") !=
		       NULL);
		EXPECT_EQ_U64(sum.inconsistent, 1);
		EXPECT_EQ_U64(sum.present, 1);
		fake_free(&ft);
	}

	CASE("a large folio stored at an index outside its range: every index inconsistent")
	{
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 2, 8, 'a'); /* covers 8..11 */
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 4, head);
		for (unsigned int i = 5; i < 8; i++)
			fake_slot(&ft, NODE0, i, xa_mk_sibling(4));
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, NULL, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 4);
		EXPECT_EQ_U64(sum.inconsistent, 4);
		EXPECT(s->r[3].status == PCS_PAGE_INCONSISTENT);
		EXPECT_EQ_U64(s->r[3].folio, head);
		EXPECT_EQ_U64(s->r[3].folio_order, 2);
		EXPECT(strstr(s->why[3], "(index 8, order 2), which does not cover index 7") !=
		       NULL);
		fake_free(&ft);
	}

	CASE("a slot holding a folio whose mapping is NULL is inconsistent; tag bits are stripped")
	{
		struct pcs_pagecache_summary sum;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 0, fake_cached_page(&ft, 10, 0, 0, 0, 0, false));
		fake_slot(&ft, NODE0, 1, fake_cached_page(&ft, 11, 0, MAPPING | 2, 1, 0, false));
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, NULL, collect, s, &sum, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT(s->r[0].status == PCS_PAGE_INCONSISTENT);
		EXPECT(strstr(s->why[0], "whose mapping is NULL") != NULL);
		EXPECT(s->r[1].status == PCS_PAGE_PRESENT);
		fake_free(&ft);
	}

	CASE("index range limits the rows")
	{
		struct pcs_pagecache_opts o = {.first = 5, .count = 2};

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		uint64_t head = make_folio(&ft, &k, 1000, 2, 4, 'a');
		fake_node(&ft, NODE0, 0, 0, 0);
		fake_put_u64(&ft, XA + 8, xa_mk_node(NODE0));
		fake_slot(&ft, NODE0, 4, head);
		for (unsigned int i = 5; i < 8; i++)
			fake_slot(&ft, NODE0, i, xa_mk_sibling(4));
		memset(s, 0, sizeof(*s));
		EXPECT(pcs_pagecache_walk(&k, MAPPING, &o, collect, s, NULL, &err) == PCS_OK);
		EXPECT_EQ_U64(s->n, 2);
		EXPECT_EQ_U64(s->r[0].index, 5);
		EXPECT_EQ_U64(s->r[1].index, 6);
		fake_free(&ft);
	}

	CASE("pcs_hash_page: md5 and sha256 of a page; excluded page gives NODATA and no digest")
	{
		struct pcs_hasher *h;
		struct pcs_digest d;
		char hex[2 * PCS_DIGEST_MAX + 1];
		uint8_t buf[FAKE_PAGE_SIZE];

		fake_layout_xarray(&ft);
		fake_cached_page(&ft, 10, 0, 0, 0, 0, false);
		fake_cached_page(&ft, 11, 0, 0, 0, 0, true);
		EXPECT(pcs_hasher_new(PCS_HASH_MD5, &h, &err) == PCS_OK);
		EXPECT(pcs_hash_page(h, &ft.t, 10 * 4096, buf, &d, &err) == PCS_OK);
		pcs_digest_hex(&d, hex);
		EXPECT_STREQ(hex, MD5_ZERO_PAGE);
		EXPECT(pcs_hash_page(h, &ft.t, 11 * 4096, buf, &d, &err) == PCS_ERR_NODATA);
		EXPECT_EQ_U64(d.len, 0);
		pcs_hasher_free(h);
		EXPECT(pcs_hasher_new(PCS_HASH_SHA256, &h, &err) == PCS_OK);
		EXPECT(pcs_hash_buf(h, "abc", 3, &d, &err) == PCS_OK);
		pcs_digest_hex(&d, hex);
		EXPECT_STREQ(hex,
			     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		pcs_hasher_free(h);
		fake_free(&ft);
	}

	CASE("hash names parse both ways")
	{
		enum pcs_hash_algo a;

		EXPECT(pcs_hash_parse("sha256", &a, &err) == PCS_OK && a == PCS_HASH_SHA256);
		EXPECT(pcs_hash_parse("crc32", &a, &err) == PCS_ERR_INVAL);
		EXPECT_STREQ(pcs_hash_name(PCS_HASH_MD5), "md5");
	}

	CASE("inode helper reads i_mapping, i_ino, i_size, i_sb")
	{
		struct pcs_inode_info ii;
		const uint64_t inode = 0xffff888030000000ull;

		fake_layout_xarray(&ft);
		setup(&ft, &k);
		fake_map(&ft, PCS_KVADDR, inode, 128);
		fake_put_u64(&ft, inode + 48, MAPPING);
		fake_put_u64(&ft, inode + 64, 4242);
		fake_put_u64(&ft, inode + 80, 10000);
		fake_put_u64(&ft, inode + 40, 0xffff888040000000ull);
		EXPECT(pcs_inode_read(&k, inode, &ii, &err) == PCS_OK);
		EXPECT_EQ_U64(ii.mapping, MAPPING);
		EXPECT_EQ_U64(ii.ino, 4242);
		EXPECT_EQ_U64(ii.size, 10000);
		fake_free(&ft);
	}

	free(s);
	UNIT_EXIT();
}
