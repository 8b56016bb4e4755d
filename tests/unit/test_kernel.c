// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of kernel layout discovery and the memory model. */
#include "fake_target.h"
#include "kernel.h"
#include "unit.h"

static void arm64(struct fake_target *ft, uint32_t version)
{
	fake_layout_xarray(ft);
	ft->t.arch = PCS_ARCH_ARM64;
	ft->t.kernel_version = version;
	ft->nsyms = 0; /* no page_offset_base / vmemmap_base on arm64 */
	fake_vmci_set(ft, "NUMBER(VA_BITS)", "48");
	fake_vmci_set(ft, "NUMBER(PHYS_OFFSET)", "0x40000000");
}

int main(void)
{
	struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_error err;
	uint64_t v, pfn;

	CASE("x86_64: vmemmap_base and page_offset_base are read from the dump")
	{
		fake_layout_xarray(&ft);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(k.mm.ok);
		EXPECT_EQ_U64(k.mm.vmemmap, FAKE_VMEMMAP);
		EXPECT_EQ_U64(k.mm.page_offset, FAKE_PAGE_OFFSET);
		EXPECT(pcs_page_to_pfn(&k, FAKE_VMEMMAP + 64 * 0x1234, &pfn, &err) == PCS_OK);
		EXPECT_EQ_U64(pfn, 0x1234);
		EXPECT(pcs_pfn_to_page(&k, 0x1234, &v, &err) == PCS_OK);
		EXPECT_EQ_U64(v, FAKE_VMEMMAP + 64 * 0x1234);
		EXPECT_EQ_U64(pcs_pfn_to_paddr(&k, 0x1234), 0x1234000);
		EXPECT(pcs_paddr_to_lmva(&k, 0x1234000, &v, &err) == PCS_OK);
		EXPECT_EQ_U64(v, FAKE_PAGE_OFFSET + 0x1234000);
		EXPECT(pcs_lmva_to_paddr(&k, v, &pfn, &err) == PCS_OK);
		EXPECT_EQ_U64(pfn, 0x1234000);
		fake_free(&ft);
	}

	CASE("x86_64: without vmemmap_base, vmemmap comes from the first present mem_section")
	{
		fake_layout_xarray(&ft);
		ft.nsyms = 1; /* keep page_offset_base only */
		/* SPARSEMEM_EXTREME: roots array -> one root page of 16-byte mem_sections. */
		const uint64_t roots = 0xffff888050000000ull, root0 = 0xffff888050001000ull;
		fake_map(&ft, PCS_KVADDR, roots, 64);
		fake_map(&ft, PCS_KVADDR, root0, 4096);
		fake_put_u64(&ft, roots, root0);
		fake_put_u64(&ft, root0 + 16 * 1, 0xffffc90000000000ull | 0x7); /* present|map */
		fake_vmci_set(&ft, "SYMBOL(mem_section)", "ffff888050000000");
		fake_vmci_set(&ft, "LENGTH(mem_section)", "2048");
		fake_vmci_set(&ft, "SIZE(mem_section)", "16");
		fake_vmci_set(&ft, "OFFSET(mem_section.section_mem_map)", "0");
		fake_vmci_set(&ft, "NUMBER(MAX_PHYSMEM_BITS)", "46");
		fake_vmci_set(&ft, "NUMBER(SECTION_SIZE_BITS)", "27");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.mm.vmemmap, 0xffffc90000000000ull);
		EXPECT_STREQ(k.mm.source, "mem_section");
		fake_free(&ft);
	}

	CASE(
	    "arm64 6.1: VMCOREINFO VMEMMAP_START and PHYS_OFFSET give vmemmap; flipped PAGE_OFFSET")
	{
		arm64(&ft, PCS_KERNEL_VERSION(6, 1, 0));
		fake_vmci_set(&ft, "NUMBER(VMEMMAP_START)", "0xfffffc0000000000");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(k.mm.ok);
		EXPECT_EQ_U64(k.mm.page_offset, 0xffff000000000000ull);
		EXPECT_EQ_U64(k.mm.vmemmap, 0xfffffc0000000000ull - 0x40000ull * 64);
		/* First RAM page: pfn 0x40000 sits at VMEMMAP_START. */
		EXPECT(pcs_page_to_pfn(&k, 0xfffffc0000000000ull, &pfn, &err) == PCS_OK);
		EXPECT_EQ_U64(pfn, 0x40000);
		EXPECT(pcs_paddr_to_lmva(&k, 0x40001000, &v, &err) == PCS_OK);
		EXPECT_EQ_U64(v, 0xffff000000001000ull);
		fake_free(&ft);
	}

	CASE("arm64: a negative PHYS_OFFSET (RAM below the linear-map base) still round-trips")
	{
		arm64(&ft, PCS_KERNEL_VERSION(6, 1, 0));
		fake_vmci_set(&ft, "NUMBER(PHYS_OFFSET)", "0xffffffff80000000");
		fake_vmci_set(&ft, "NUMBER(VMEMMAP_START)", "0xfffffc0000000000");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.mm.vmemmap, 0xfffffc0000000000ull + 0x80000ull * 64);
		EXPECT(pcs_paddr_to_lmva(&k, 0, &v, &err) == PCS_OK);
		EXPECT_EQ_U64(v, 0xffff000080000000ull);
		EXPECT(pcs_lmva_to_paddr(&k, v, &pfn, &err) == PCS_OK);
		EXPECT_EQ_U64(pfn, 0);
		EXPECT(pcs_pfn_to_page(&k, 0, &v, &err) == PCS_OK);
		EXPECT(pcs_page_to_pfn(&k, v, &pfn, &err) == PCS_OK);
		EXPECT_EQ_U64(pfn, 0);
		fake_free(&ft);
	}

	CASE("arm64 5.4 without VMEMMAP_START: the 5.4 formula (0xfffffdffffe00000)")
	{
		arm64(&ft, PCS_KERNEL_VERSION(5, 4, 0));
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.mm.page_offset, 0xffff000000000000ull);
		EXPECT_EQ_U64(k.mm.vmemmap, 0xfffffdffffe00000ull - 0x40000ull * 64);
		fake_free(&ft);
	}

	CASE("arm64 5.11+ without VMEMMAP_START: the 5.11 formula (0xfffffc0000000000)")
	{
		arm64(&ft, PCS_KERNEL_VERSION(5, 15, 0));
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.mm.vmemmap, 0xfffffc0000000000ull - 0x40000ull * 64);
		fake_free(&ft);
	}

	CASE("arm64 4.19: PAGE_OFFSET in the top half, vmemmap below it (0xffff7e0000000000)")
	{
		arm64(&ft, PCS_KERNEL_VERSION(4, 19, 0));
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.mm.page_offset, 0xffff800000000000ull);
		EXPECT_EQ_U64(k.mm.vmemmap, 0xffff7e0000000000ull - 0x40000ull * 64);
		EXPECT(pcs_paddr_to_lmva(&k, 0x40000000, &v, &err) == PCS_OK);
		EXPECT_EQ_U64(v, 0xffff800000000000ull);
		fake_free(&ft);
	}

	CASE("arm64 without NUMBER(VA_BITS): conversions fail naming what is missing")
	{
		arm64(&ft, PCS_KERNEL_VERSION(6, 1, 0));
		ft.nvmci = 0;
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK); /* the walk itself is fine */
		EXPECT(!k.mm.ok);
		EXPECT(pcs_page_to_pfn(&k, 0xfffffc0000000000ull, &pfn, &err) ==
		       PCS_ERR_UNSUPPORTED);
		EXPECT(strstr(err.msg, "NUMBER(VA_BITS)") != NULL);
		fake_free(&ft);
	}

	CASE("an address that is not a struct page boundary is rejected")
	{
		fake_layout_xarray(&ft);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(pcs_page_to_pfn(&k, FAKE_VMEMMAP + 65, &pfn, &err) == PCS_ERR_CORRUPT);
		EXPECT(pcs_lmva_to_paddr(&k, 0xffffffff81000000ull - (1ull << 47), &pfn, &err) ==
		       PCS_ERR_INVAL);
		fake_free(&ft);
	}

	CASE("missing address_space.i_pages fails init with a sentence naming it")
	{
		fake_layout_xarray(&ft);
		fake_member_del(&ft, "address_space", "i_pages");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_ERR_NOTYPE);
		EXPECT(strstr(err.msg, "i_pages") != NULL);
		fake_free(&ft);
	}

	CASE("struct offsets fall back to VMCOREINFO OFFSET(page.flags)")
	{
		fake_layout_xarray(&ft);
		fake_member_del(&ft, "page", "flags");
		fake_vmci_set(&ft, "OFFSET(page.flags)", "0");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.page.flags, 0);
		fake_free(&ft);
	}

	CASE("PG_head falls back to VMCOREINFO NUMBER(PG_head_mask) without enum info")
	{
		struct pcs_target_ops ops = fake_ops;

		fake_layout_xarray(&ft);
		ops.enum_value = NULL;
		ft.t.ops = &ops;
		fake_vmci_set(&ft, "NUMBER(PG_head_mask)", "65536");
		fake_vmci_set(&ft, "NUMBER(PG_private)", "13");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.pg.head, 16);
		EXPECT_EQ_U64(k.pg.private_, 13);
		EXPECT(k.pg.dirty == -1);
		fake_free(&ft);
	}

	CASE("layout generations: xarray for 6.1, radix tree for 4.19, chunk shift 6")
	{
		fake_layout_xarray(&ft);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(k.xa.kind == PCS_TREE_XARRAY);
		EXPECT_EQ_U64(k.xa.chunk_shift, 6);
		EXPECT(k.order_src == PCS_ORDER_FOLIO_ORDER);
		EXPECT_EQ_U64(k.order_off, 81);
		fake_free(&ft);
		fake_layout_radix(&ft);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT(k.xa.kind == PCS_TREE_RADIX);
		fake_free(&ft);
	}

	CASE("PG_slab comes from enum pageflags, else VMCOREINFO NUMBER(PG_slab)")
	{
		fake_layout_xarray(&ft);
		fake_enum_set(&ft, "PG_slab", 9);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.pg.slab, 9);
		fake_free(&ft);
		fake_layout_xarray(&ft);
		fake_vmci_set(&ft, "NUMBER(PG_slab)", "7");
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.pg.slab, 7);
		EXPECT_EQ_U64(k.pgtype.slab, 0);
		fake_free(&ft);
	}

	CASE("page.page_type, else page._mapcount; page-type values as VMCOREINFO prints them")
	{
		fake_layout_xarray(&ft);
		fake_member_set(&ft, "page", "_mapcount", 48);
		fake_vmci_set(&ft, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)",
			      "-1048577"); /* 6.10 ~0x100000 */
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		EXPECT_EQ_U64(k.page.page_type, 48);
		EXPECT_EQ_U64(k.pgtype.slab, 0xffefffff);
		EXPECT_EQ_U64(k.pgtype.hugetlb, 0);
		fake_free(&ft);
	}

	CASE("page types: ~PG_x (up to 6.11) and PGTY_x << 24 (6.12+) encodings")
	{
		/* 6.10: slab = ~0x00100000; a slab page has only that bit cleared below the base */
		EXPECT(pcs_page_type_is(0xffefffff, 0xffefffff));
		EXPECT(!pcs_page_type_is(0xffffff7f, 0xffefffff)); /* a buddy page */
		EXPECT(!pcs_page_type_is(0xffffffff, 0xffefffff)); /* _mapcount -1 */
		EXPECT(!pcs_page_type_is(3, 0xffefffff));	   /* mapped three times */
		/* 6.12: PGTY_slab 0xf5, PGTY_hugetlb 0xf4 in the top byte */
		EXPECT(pcs_page_type_is(0xf5000000, 0xf5000000));
		EXPECT(pcs_page_type_is(0xf5000123, 0xf5000000)); /* low bits are the type's data */
		EXPECT(!pcs_page_type_is(0xf4000000, 0xf5000000));
		EXPECT(!pcs_page_type_is(0xf5000000, 0)); /* unknown value: never */
		EXPECT(pcs_page_has_type(0xf0000000));
		EXPECT(pcs_page_has_type(0xffffff7f));
		EXPECT(!pcs_page_has_type(0xffffffff));
		EXPECT(!pcs_page_has_type(0));
	}

	CASE("describe names the order source and where vmemmap came from")
	{
		char *out = NULL;
		size_t sz = 0;
		FILE *fp = open_memstream(&out, &sz);

		fake_layout_xarray(&ft);
		EXPECT(pcs_kernel_init(&k, &ft.t, &err) == PCS_OK);
		pcs_kernel_describe(&k, fp);
		fclose(fp);
		EXPECT(strstr(out, "folio._folio_order") != NULL);
		EXPECT(strstr(out, "variable vmemmap_base") != NULL);
		free(out);
		fake_free(&ft);
	}

	UNIT_EXIT();
}
