// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/refs*.c and core/jsonw.c: the target table (sorted,
 * overlaps), the physical scan (excluded pages counted, never read as zeros),
 * attribution of each word, the holders of slab objects one level up (each
 * object searched once, each word reported once), self references, page-table
 * entries, bad ranges, and the JSON document. Run through an exec that
 * schedules the scan's jobs out of order (fake_exec.h), the result is the same,
 * also when a level is truncated mid-scan.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fake_exec.h"
#include "fake_slub.h"
#include "jsonw.h"
#include "kernel.h"
#include "refs.h"
#include "unit.h"

#define KC	   0xffffffff82200000ull
#define TARGET_PFN 10
#define SLAB_PFN   20

static uint64_t obj(unsigned int k)
{
	return FS_LM(SLAB_PFN * FAKE_PAGE_SIZE) + 64ull * k;
}

static const struct pcs_ref *find_ref(const struct pcs_refs *r, uint64_t paddr)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].paddr == paddr)
			return &r->v[i];
	return NULL;
}

/* Physical memory: the target page, a slab, plain pages, a PTE, an excluded page. */
static void build(struct fake_target *ft)
{
	uint8_t *p;

	fs_init(ft);
	fs_cache(ft, KC, "kmalloc-64", 64, 64, 32, 0);
	p = fs_page(ft, TARGET_PFN);
	/* a pointer into itself: a self reference, not reported */
	fs_put_phys_u64(p, 0x100, FS_LM(TARGET_PFN * 4096 + 0x40));
	/* object 3 of the slab holds two pointers into the target page */
	p = fs_page(ft, SLAB_PFN);
	fs_slab(ft, SLAB_PFN, KC, 0, 64, 64, false);
	fs_put_phys_u64(p, 3 * 64 + 0x10, FS_LM(TARGET_PFN * 4096 + 0x6a6));
	fs_put_phys_u64(p, 3 * 64 + 0x18, FS_LM(TARGET_PFN * 4096));
	/* a plain page pointing at the target's struct page (its lru) */
	p = fs_page(ft, 21);
	fs_put_phys_u64(p, 0x80, fake_page(TARGET_PFN) + 8);
	/* the holders of object 3: into it, and at its start */
	p = fs_page(ft, 22);
	fs_put_phys_u64(p, 0x40, obj(3) + 0x20);
	fs_put_phys_u64(p, 0x48, obj(3));
	/* a present, writable, NX x86_64 PTE mapping the target page; and a non-present one */
	p = fs_page(ft, 23);
	fs_put_phys_u64(p, 0x08, 0x8000000000000063ull | TARGET_PFN * 4096);
	fs_put_phys_u64(p, 0x10, 0x8000000000000062ull | TARGET_PFN * 4096);
	/* code bytes that look present with the right address bits: not a Linux PTE */
	fs_put_phys_u64(p, 0x18, 0x29000000000001bdull | TARGET_PFN * 4096);
	/* a page-cache page (index 7 of an inode's mapping) holding a pointer into the target */
	p = fs_page(ft, 24);
	fs_put_phys_u64(p, 0x30, FS_LM(TARGET_PFN * 4096 + 0x10));
	fake_map(ft, PCS_KVADDR, 0xffff888070000000ull, 256);		/* struct address_space */
	fake_put_u64(ft, 0xffff888070000000ull, 0xffff888070001000ull); /* ->host */
	fake_put_u64(ft, fake_page(24) + 24, 0xffff888070000000ull);	/* page.mapping */
	fake_put_u64(ft, fake_page(24) + 32, 7);			/* page.index */
	/* an excluded page holding a pointer: not searched, counted */
	p = fs_page(ft, 30);
	fs_put_phys_u64(p, 0x10, FS_LM(TARGET_PFN * 4096));
	fake_exclude(ft, PCS_KPHYSADDR, 30 * 4096);
}

static char *json_of(const struct pcs_refs *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		abort();
	pcs_refs_print_json(r, fp);
	fclose(fp);
	return buf;
}

int main(void)
{
	struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_error err;
	struct pcs_refs r;
	struct pcs_refs_query q = {.paddr = TARGET_PFN * 4096, .len = 4096, .depth = 1};
	const struct pcs_ref *a, *b;

	CASE("the target table: sorted, found by binary search, bounds outside are no match")
	{
		struct pcs_ref_table t = {0};
		struct pcs_ref_range r1 = {.start = 0x3000, .end = 0x4000, .owner = 1},
				     r2 = {.start = 0x1000, .end = 0x1040, .owner = 2},
				     r3 = {.start = 0x9000, .end = 0x9008, .owner = 3};

		EXPECT(!pcs_ref_table_add(&t, &r1, &err) && !pcs_ref_table_add(&t, &r2, &err) &&
		       !pcs_ref_table_add(&t, &r3, &err));
		pcs_ref_table_seal(&t);
		EXPECT_EQ_U64(t.lo, 0x1000);
		EXPECT_EQ_U64(t.hi, 0x9008);
		EXPECT(pcs_ref_table_find(&t, 0x0fff) == NULL);
		EXPECT(pcs_ref_table_find(&t, 0x1000)->owner == 2);
		EXPECT(pcs_ref_table_find(&t, 0x103f)->owner == 2);
		EXPECT(pcs_ref_table_find(&t, 0x1040) == NULL);
		EXPECT(pcs_ref_table_find(&t, 0x3fff)->owner == 1);
		EXPECT(pcs_ref_table_find(&t, 0x9007)->owner == 3);
		EXPECT(pcs_ref_table_find(&t, 0x9008) == NULL);
		EXPECT(pcs_ref_table_find(&t, UINT64_MAX) == NULL);
		pcs_ref_table_free(&t);
	}

	CASE("overlapping targets: the one starting first keeps the overlap, none is lost")
	{
		struct pcs_ref_table t = {0};
		struct pcs_ref_range r1 = {.start = 0x1000, .end = 0x2000, .owner = 1},
				     r2 = {.start = 0x1800, .end = 0x2800, .owner = 2},
				     r3 = {.start = 0x1100,
					   .end = 0x1200,
					   .owner = 3},		       /* inside r1 */
		    r4 = {.start = 0x1000, .end = 0x1000, .owner = 4}; /* empty */

		pcs_ref_table_add(&t, &r2, &err);
		pcs_ref_table_add(&t, &r1, &err);
		pcs_ref_table_add(&t, &r3, &err);
		pcs_ref_table_add(&t, &r4, &err);
		pcs_ref_table_seal(&t);
		EXPECT_EQ_U64(t.n, 2);
		EXPECT(pcs_ref_table_find(&t, 0x1150)->owner == 1);
		EXPECT(pcs_ref_table_find(&t, 0x1fff)->owner == 1);
		EXPECT(pcs_ref_table_find(&t, 0x2000)->owner == 2);
		EXPECT(pcs_ref_table_find(&t, 0x27ff)->owner == 2);
		pcs_ref_table_free(&t);
	}

	build(&ft);
	EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);

	CASE("depth 1: every word pointing into the page, attributed; excluded pages counted")
	{
		EXPECT(pcs_refs_find(&k, &q, &r, &err) == PCS_OK);
		EXPECT_EQ_U64(r.sum.hits, 5);
		EXPECT_EQ_U64(r.n, 5);
		EXPECT_EQ_U64(r.sum.passes, 1);
		EXPECT_EQ_U64(r.sum.sections, 1);
		EXPECT_EQ_U64(r.sum.pages_searched, 6); /* 10, 20, 21, 22, 23, 24 */
		EXPECT_EQ_U64(r.sum.pages_not_in_dump, FS_NPAGES - 6);
		EXPECT_EQ_U64(r.sum.self_refs, 1);
		EXPECT_EQ_U64(r.lm_vaddr, FS_LM(TARGET_PFN * 4096));
		EXPECT_EQ_U64(r.struct_page, fake_page(TARGET_PFN));
		/* refs are in physical-address order */
		for (size_t i = 1; i < r.n; i++)
			EXPECT(r.v[i - 1].paddr < r.v[i].paddr);
		a = find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x10);
		EXPECT(a && a->owner.kind == PCS_OWNER_SLAB && a->via == PCS_VIA_LINEAR);
		EXPECT(a && !strcmp(a->owner.slab.cache_name, "kmalloc-64"));
		EXPECT(a && a->owner.slab.object == obj(3) && a->owner.slab.offset == 0x10);
		EXPECT(a && a->owner.slab.state == PCS_OBJ_ALLOCATED);
		EXPECT(a && a->vaddr == obj(3) + 0x10 && a->level == 1 &&
		       a->parent == PCS_REF_ROOT);
		b = find_ref(&r, 21 * 4096 + 0x80);
		EXPECT(b && b->via == PCS_VIA_STRUCT_PAGE && b->owner.kind == PCS_OWNER_UNKNOWN);
		b = find_ref(&r, 23 * 4096 + 0x08);
		EXPECT(b && b->via == PCS_VIA_PTE && b->target == TARGET_PFN * 4096);
		EXPECT(find_ref(&r, 23 * 4096 + 0x10) == NULL); /* not present: no mapping */
		EXPECT(find_ref(&r, 23 * 4096 + 0x18) == NULL); /* reserved/pkey bits set */
		EXPECT(find_ref(&r, 30 * 4096 + 0x10) == NULL); /* excluded: never zeros either */
		b = find_ref(&r, 24 * 4096 + 0x30);
		EXPECT(b && b->owner.kind == PCS_OWNER_PAGECACHE && b->owner.index == 7 &&
		       b->owner.inode == 0xffff888070001000ull && b->owner.offset == 0x30);
		EXPECT(find_ref(&r, 22 * 4096 + 0x40) == NULL); /* a holder: depth 2 only */
		pcs_refs_free(&r);
	}

	CASE("depth 2: the holders of the slab object, searched once for its two words")
	{
		q.depth = 2;
		EXPECT(pcs_refs_find(&k, &q, &r, &err) == PCS_OK);
		EXPECT_EQ_U64(r.sum.passes, 2);
		EXPECT_EQ_U64(r.sum.hits, 5);
		EXPECT_EQ_U64(r.sum.holders, 2); /* not 4: one target for the object */
		a = find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x10);
		b = find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x18);
		EXPECT(a && b && b->same_object == (size_t)(a - r.v));
		const struct pcs_ref *h1 = find_ref(&r, 22 * 4096 + 0x40),
				     *h2 = find_ref(&r, 22 * 4096 + 0x48);

		EXPECT(h1 && h1->level == 2 && h1->via == PCS_VIA_OBJECT &&
		       h1->parent == (size_t)(a - r.v) && h1->target == obj(3));
		EXPECT(h2 && h2->value == obj(3) && h2->parent == (size_t)(a - r.v));
		char *js = json_of(&r);

		EXPECT(strstr(js, "\"kind\": \"slab\"") && strstr(js, "\"cache\": \"kmalloc-64\""));
		EXPECT(strstr(js, "\"state\": \"allocated\"") && strstr(js, "\"holders\": ["));
		EXPECT(strstr(js, "\"via\": \"pte\"") && strstr(js, "\"self_references\": 1"));
		EXPECT(strstr(js, "\"pages_not_in_dump\": 250") && strstr(js, "\"passes\": 2"));
		free(js);
		pcs_refs_free(&r);
		q.depth = 1;
	}

	CASE("a range outside every memory section is bad input")
	{
		struct pcs_refs_query bad = q;

		bad.paddr = 4096ull * 1000;
		EXPECT(pcs_refs_find(&k, &bad, &r, &err) == PCS_ERR_NOTFOUND);
		EXPECT(strstr(err.msg, "0x3e8000 is not in any memory section") != NULL);
		bad.paddr = 4096ull * 250; /* starts inside, ends outside */
		bad.len = 7 * 4096;
		EXPECT(pcs_refs_find(&k, &bad, &r, &err) == PCS_ERR_NOTFOUND);
		EXPECT(strstr(err.msg, "0x100000 is not in any memory section") != NULL);
	}

	CASE("an empty range or a depth of 0 is refused")
	{
		struct pcs_refs_query bad = q;

		bad.len = 0;
		EXPECT(pcs_refs_find(&k, &bad, &r, &err) == PCS_ERR_INVAL);
		bad.len = 8;
		bad.depth = 0;
		EXPECT(pcs_refs_find(&k, &bad, &r, &err) == PCS_ERR_INVAL);
	}

	CASE("a part of a page: only words pointing into [paddr, paddr + len)")
	{
		struct pcs_refs_query part = q;

		part.paddr = TARGET_PFN * 4096 + 0x600;
		part.len = 0x100;
		EXPECT(pcs_refs_find(&k, &part, &r, &err) == PCS_OK);
		EXPECT(find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x10) != NULL); /* +0x6a6 */
		EXPECT(find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x18) == NULL); /* +0x0 */
		EXPECT(find_ref(&r, 21 * 4096 + 0x80) != NULL);		       /* struct page */
		pcs_refs_free(&r);
	}
	CASE("with workers (jobs run out of order): the same document, depth 1 and 2")
	{
		struct fake_exec fx;

		for (unsigned int depth = 1; depth <= 2; depth++) {
			struct pcs_refs_query qx = q;
			char *one, *many;

			fake_exec_init(&fx, &ft.t);
			qx.depth = depth;
			EXPECT(!pcs_refs_find(&k, &qx, &r, &err));
			one = json_of(&r);
			pcs_refs_free(&r);
			qx.exec = &fx.x;
			EXPECT(!pcs_refs_find(&k, &qx, &r, &err));
			many = json_of(&r);
			pcs_refs_free(&r);
			EXPECT_STREQ(many, one);
			free(one);
			free(many);
		}
	}

	CASE("truncated at 1 hit per level: the same partial counts with and without workers")
	{
		struct fake_exec fx;
		struct pcs_refs_query qx = q;
		char *one, *many;
		uint64_t pages;

		fake_exec_init(&fx, &ft.t);
		qx.max_per_level = 1;
		EXPECT(!pcs_refs_find(&k, &qx, &r, &err));
		EXPECT(r.sum.truncated);
		pages = r.sum.pages_searched;
		one = json_of(&r);
		pcs_refs_free(&r);
		EXPECT(!pcs_refs_find(&k, &q, &r, &err));
		/* the scan stopped at the second hit (pfn 20), before the last pages */
		EXPECT(pages < r.sum.pages_searched);
		pcs_refs_free(&r);
		qx.exec = &fx.x;
		EXPECT(!pcs_refs_find(&k, &qx, &r, &err));
		many = json_of(&r);
		pcs_refs_free(&r);
		EXPECT_STREQ(many, one);
		free(one);
		free(many);
	}

	CASE("6.12 (no PG_slab; the slab is a PGTY_slab page type): the object and its holders")
	{
		struct pcs_refs_query q2 = q;

		fake_enum_del(&ft, "PG_slab");
		fake_put_u64(&ft, fake_page(SLAB_PFN), 0); /* no page flags at all */
		fake_member_set(&ft, "page", "page_type", 48);
		fake_put_u32(&ft, fake_page(SLAB_PFN) + 48, 0xf5000000);
		fake_vmci_set(&ft, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)", "-184549376");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		q2.depth = 2;
		EXPECT(pcs_refs_find(&k, &q2, &r, &err) == PCS_OK);
		a = find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x10);
		EXPECT(a && a->owner.kind == PCS_OWNER_SLAB);
		EXPECT(a && !strcmp(a->owner.slab.cache_name, "kmalloc-64"));
		EXPECT(a && a->owner.slab.object == obj(3) && a->owner.slab.offset == 0x10);
		EXPECT_EQ_U64(r.sum.holders, 2);
		pcs_refs_free(&r);
	}

	CASE("6.12 page types: a PGTY_buddy page is a free page, a PGTY_table page a page table")
	{
		uint32_t version = ft.t.kernel_version;

		ft.t.kernel_version = PCS_KERNEL_VERSION(6, 12, 0);
		fake_vmci_set(&ft, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)",
			      "-268435456"); /* 0xf0 << 24 */
		fake_put_u32(&ft, fake_page(21) + 48, 0xf0000000);
		fake_put_u32(&ft, fake_page(24) + 48, 0xf2000000);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_refs_find(&k, &q, &r, &err) == PCS_OK);
		b = find_ref(&r, 21 * 4096 + 0x80);
		EXPECT(b && b->owner.kind == PCS_OWNER_FREE);
		b = find_ref(&r, 24 * 4096 + 0x30);
		EXPECT(b && b->owner.kind == PCS_OWNER_PGTABLE);
		a = find_ref(&r, SLAB_PFN * 4096 + 3 * 64 + 0x10);
		EXPECT(a && a->owner.kind == PCS_OWNER_SLAB);
		pcs_refs_free(&r);
		/* before 6.9 page_type is decoded the old way only: 0xf0000000 is no buddy there */
		ft.t.kernel_version = PCS_KERNEL_VERSION(6, 1, 0);
		fake_put_u32(&ft, fake_page(24) + 48, 0xffffffff);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_refs_find(&k, &q, &r, &err) == PCS_OK);
		b = find_ref(&r, 24 * 4096 + 0x30);
		EXPECT(b && b->owner.kind == PCS_OWNER_PAGECACHE);
		pcs_refs_free(&r);
		ft.t.kernel_version = version;
	}

	CASE("a page of the freed __init range has no kernel-image alias (arm64 and x86 unmap it)")
	{
		/* the image: pfns 8..12 at _text 0xffffffff81000000, __init pfns 9..10 (the
		 * target page 10 is one: freed, reused); 4-level tables at pfns 40..43 map
		 * only the pages still mapped after boot (8, 11, 12) */
		const uint64_t text = 0xffffffff81000000ull, kmap = 0xffffffff80000000ull;
		uint8_t *pt;

		fs_put_phys_u64(fs_page(&ft, 40), 511 * 8, 41 * 4096 | 0x63);
		fs_put_phys_u64(fs_page(&ft, 41), 510 * 8, 42 * 4096 | 0x63);
		fs_put_phys_u64(fs_page(&ft, 42), 8 * 8, 43 * 4096 | 0x63);
		pt = fs_page(&ft, 43);
		for (uint64_t pfn = 8; pfn <= 12; pfn++)
			if (pfn != 9 && pfn != 10)
				fs_put_phys_u64(pt, (pfn - 8) * 8, pfn * 4096 | 0x163);
		fake_vmci_set(&ft, "NUMBER(pgtable_l5_enabled)", "0");
		fake_vmci_set(&ft, "NUMBER(phys_base)", "0");
		fake_sym_set(&ft, "init_top_pgt", kmap + 40 * 4096);
		fake_sym_set(&ft, "_text", text);
		fake_sym_set(&ft, "__init_begin", text + 0x1000);
		fake_sym_set(&ft, "__init_end", text + 0x3000);
		fake_sym_set(&ft, "_end", text + 0x5000);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_refs_find(&k, &q, &r, &err) == PCS_OK);
		EXPECT_EQ_U64(r.image_vaddr, 0); /* not "kernel image 0xffffffff81002000" */
		EXPECT_EQ_U64(r.lm_vaddr, FS_LM(TARGET_PFN * 4096));
		pcs_refs_free(&r);
		/* a page of the image outside __init keeps its alias */
		struct pcs_refs_query q3 = {.paddr = 11 * 4096, .len = 4096, .depth = 1};

		EXPECT(pcs_refs_find(&k, &q3, &r, &err) == PCS_OK);
		EXPECT_EQ_U64(r.image_vaddr, text + 0x3000);
		pcs_refs_free(&r);
	}
	fake_free(&ft);

	CASE("jsonw: strings escaped, nesting and commas")
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		struct pcs_jsonw w;

		pcs_jsonw_init(&w, fp);
		pcs_jsonw_begin_object(&w, NULL);
		pcs_jsonw_string(&w, "s", "a\"b\\c\nd\x01");
		pcs_jsonw_begin_array(&w, "a");
		pcs_jsonw_u64(&w, NULL, 1);
		pcs_jsonw_i64(&w, NULL, -2);
		pcs_jsonw_end_array(&w);
		pcs_jsonw_begin_array(&w, "e");
		pcs_jsonw_end_array(&w);
		pcs_jsonw_addr(&w, "p", 0xffff0000deadbeefull);
		pcs_jsonw_bool(&w, "t", true);
		pcs_jsonw_end_object(&w);
		fclose(fp);
		EXPECT_STREQ(
		    buf,
		    "{\n  \"s\": \"a\\\"b\\\\c\\nd\\u0001\",\n  \"a\": [\n    1,\n    -2\n  ],\n"
		    "  \"e\": [],\n  \"p\": \"0xffff0000deadbeef\",\n  \"t\": true\n}\n");
		free(buf);
	}
	UNIT_EXIT();
}
