// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of core/memmap.c: mem_section sections and the bulk struct page scan. */
#include "fake_target.h"
#include "kernel.h"
#include "memmap.h"
#include "unit.h"

#define BITS 20 /* SECTION_SIZE_BITS: 256 pfns a section with 4K pages */
#define SPAN 256

struct visits {
	uint64_t n, bad_addr, bad_raw, first, last;
	uint64_t pfns[4 * SPAN];
	int stop_after;
};

static int on_page(const struct pcs_memmap_page *p, void *arg)
{
	struct visits *v = arg;
	uint64_t flags;

	memcpy(&flags, p->raw, 8);
	if (p->page != fake_page(p->pfn))
		v->bad_addr++;
	if (flags != 0x1000 + p->pfn) /* the marker put into page.flags below */
		v->bad_raw++;
	if (v->n < 4 * SPAN)
		v->pfns[v->n] = p->pfn;
	if (!v->n)
		v->first = p->pfn;
	v->last = p->pfn;
	v->n++;
	return v->stop_after && v->n >= (uint64_t)v->stop_after;
}

struct sections {
	int n;
	struct pcs_mem_section s[8];
};

static int on_section(const struct pcs_mem_section *s, void *arg)
{
	struct sections *v = arg;

	if (v->n < 8)
		v->s[v->n] = *s;
	v->n++;
	return 0;
}

/* Put the marker 0x1000 + pfn into page.flags of the mapped struct pages of [pfn, pfn + n). */
static void mark(struct fake_target *ft, uint64_t pfn, uint64_t n)
{
	for (uint64_t i = pfn; i < pfn + n; i++)
		fake_put_u64(ft, fake_page(i), 0x1000 + i);
}

static void kinit(struct fake_target *ft, struct pcs_kernel *k)
{
	struct pcs_error err;

	if (pcs_kernel_init(k, &ft->t, &err))
		fprintf(stderr, "kernel init: %s\n", err.msg);
}

int main(void)
{
	static struct fake_target ft;
	static struct visits v;
	struct sections secs;
	struct pcs_kernel k;
	struct pcs_memmap_stats st;
	struct pcs_error err;

	CASE("SPARSEMEM_EXTREME: only sections with SECTION_HAS_MEM_MAP are listed, in pfn order")
	{
		fake_layout_xarray(&ft);
		fake_memsec_init(&ft, BITS, 4);
		fake_memsec_root(&ft, 0);
		fake_memsec_section(&ft, 1, BITS, 0);
		fake_put_u64(&ft, FAKE_MEMSEC_ROOT(0) + 16 * 2, FAKE_VMEMMAP | 0x1); /* no map */
		fake_memsec_section(&ft, 3, BITS, 0);
		fake_memsec_root(&ft, 3);
		fake_memsec_section(&ft, 3 * 256 + 5, BITS, 0);
		kinit(&ft, &k);
		memset(&secs, 0, sizeof(secs));
		EXPECT(pcs_memmap_for_each_section(&k, on_section, &secs, &err) == PCS_OK);
		EXPECT_EQ_U64(secs.n, 3);
		EXPECT_EQ_U64(secs.s[0].nr, 1);
		EXPECT_EQ_U64(secs.s[0].start_pfn, SPAN);
		EXPECT_EQ_U64(secs.s[0].end_pfn, 2 * SPAN);
		EXPECT_EQ_U64(secs.s[0].mem_map, fake_page(SPAN));
		EXPECT_EQ_U64(secs.s[1].nr, 3);
		EXPECT_EQ_U64(secs.s[2].nr, 3 * 256 + 5);
		EXPECT_EQ_U64(secs.s[2].start_pfn, (3 * 256 + 5) * SPAN);
		EXPECT_EQ_U64(pcs_memmap_section_bits(&k), BITS);
		fake_free(&ft);
	}

	CASE("scan visits exactly the present sections' pfns with their struct pages; a root that "
	     "is not in the dump and a NULL root are skipped; unreadable struct pages are counted")
	{
		fake_layout_xarray(&ft);
		fake_memsec_init(&ft, BITS, 4);
		fake_memsec_root(&ft, 0);
		fake_memsec_section(&ft, 1, BITS, SPAN);
		fake_put_u64(&ft, FAKE_MEMSEC_ROOT(0) + 16 * 2, FAKE_VMEMMAP | 0x1);
		fake_memsec_section(&ft, 3, BITS, 100); /* struct pages 100..255 not in the dump */
		fake_put_u64(&ft, FAKE_MEMSEC + 8 * 1, 0xffff888077000000ull); /* unmapped root */
		fake_memsec_root(&ft, 3);
		fake_memsec_section(&ft, 3 * 256 + 5, BITS, SPAN);
		mark(&ft, 1 * SPAN, SPAN);
		mark(&ft, 3 * SPAN, 100);
		mark(&ft, (3 * 256 + 5) * SPAN, SPAN);
		kinit(&ft, &k);
		memset(&v, 0, sizeof(v));
		EXPECT(pcs_memmap_scan(&k, on_page, &v, &st, &err) == PCS_OK);
		EXPECT_EQ_U64(st.sections, 3);
		EXPECT_EQ_U64(st.pages, SPAN + 100 + SPAN);
		EXPECT_EQ_U64(st.unreadable, SPAN - 100);
		EXPECT_EQ_U64(v.n, SPAN + 100 + SPAN);
		EXPECT_EQ_U64(v.bad_addr, 0);
		EXPECT_EQ_U64(v.bad_raw, 0);
		EXPECT_EQ_U64(v.first, SPAN);
		EXPECT_EQ_U64(v.last, (3 * 256 + 6) * SPAN - 1);
		/* ascending, no pfn twice, none outside the three sections */
		int order_ok = 1;
		for (uint64_t i = 1; i < v.n && i < 4 * SPAN; i++)
			order_ok &= v.pfns[i] > v.pfns[i - 1];
		EXPECT(order_ok);
		EXPECT_EQ_U64(v.pfns[SPAN], 3 * SPAN);
		EXPECT_EQ_U64(v.pfns[SPAN + 99], 3 * SPAN + 99);
		EXPECT_EQ_U64(v.pfns[SPAN + 100], (3 * 256 + 5) * SPAN);
		fake_free(&ft);
	}

	CASE("a nonzero return from the callback stops the scan")
	{
		fake_layout_xarray(&ft);
		fake_memsec_init(&ft, BITS, 1);
		fake_memsec_root(&ft, 0);
		fake_memsec_section(&ft, 0, BITS, SPAN);
		fake_memsec_section(&ft, 1, BITS, SPAN);
		mark(&ft, 0, 2 * SPAN);
		kinit(&ft, &k);
		memset(&v, 0, sizeof(v));
		v.stop_after = 10;
		EXPECT(pcs_memmap_scan(&k, on_page, &v, &st, &err) == PCS_OK);
		EXPECT_EQ_U64(v.n, 10);
		EXPECT_EQ_U64(st.pages, 10);
		fake_free(&ft);
	}

	CASE("SPARSEMEM without EXTREME: LENGTH(mem_section) == 1 << (MAX_PHYSMEM_BITS - "
	     "SECTION_SIZE_BITS) sections in a static array")
	{
		fake_layout_xarray(&ft);
		/* 16 sections of 16 bytes where the roots would be (room for 32 pointers) */
		fake_memsec_init(&ft, BITS, 32);
		fake_vmci_set(&ft, "LENGTH(mem_section)", "16");
		fake_vmci_set(&ft, "NUMBER(MAX_PHYSMEM_BITS)", "24");
		fake_put_u64(&ft, FAKE_MEMSEC + 16 * 0, FAKE_VMEMMAP | 0x3);
		fake_put_u64(&ft, FAKE_MEMSEC + 16 * 5, FAKE_VMEMMAP | 0x3);
		fake_put_u64(&ft, FAKE_MEMSEC + 16 * 6, FAKE_VMEMMAP | 0x1);
		fake_map(&ft, PCS_KVADDR, fake_page(0), 64 * SPAN);
		fake_map(&ft, PCS_KVADDR, fake_page(5 * SPAN), 64 * SPAN);
		mark(&ft, 0, SPAN);
		mark(&ft, 5 * SPAN, SPAN);
		kinit(&ft, &k);
		memset(&secs, 0, sizeof(secs));
		EXPECT(pcs_memmap_for_each_section(&k, on_section, &secs, &err) == PCS_OK);
		EXPECT_EQ_U64(secs.n, 2);
		EXPECT_EQ_U64(secs.s[1].nr, 5);
		EXPECT_EQ_U64(secs.s[1].mem_map, fake_page(5 * SPAN));
		memset(&v, 0, sizeof(v));
		EXPECT(pcs_memmap_scan(&k, on_page, &v, &st, &err) == PCS_OK);
		EXPECT_EQ_U64(st.sections, 2);
		EXPECT_EQ_U64(v.n, 2 * SPAN);
		EXPECT_EQ_U64(v.bad_addr, 0);
		EXPECT_EQ_U64(v.bad_raw, 0);
		EXPECT_EQ_U64(st.unreadable, 0);
		fake_free(&ft);
	}

	CASE("without SYMBOL(mem_section) the scan is PCS_ERR_UNSUPPORTED and says so")
	{
		fake_layout_xarray(&ft);
		kinit(&ft, &k);
		EXPECT(pcs_memmap_scan(&k, on_page, &v, &st, &err) == PCS_ERR_UNSUPPORTED);
		EXPECT(strstr(err.msg, "SYMBOL(mem_section)") != NULL);
		fake_free(&ft);
	}

	CASE("a table without any memory map is PCS_ERR_CORRUPT")
	{
		fake_layout_xarray(&ft);
		fake_memsec_init(&ft, BITS, 2);
		fake_memsec_root(&ft, 0);
		kinit(&ft, &k);
		EXPECT(pcs_memmap_scan(&k, on_page, &v, &st, &err) == PCS_ERR_CORRUPT);
		EXPECT_EQ_U64(st.sections, 0);
		fake_free(&ft);
	}

	UNIT_EXIT();
}
