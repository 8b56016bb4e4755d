// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz folio and page-flag decoding (core/folio.c, core/kernel.c): the input is
 * the vmemmap (struct page array, 64 bytes each) of pfns 0..; byte 0 picks the
 * layout (bit 0: 4.19-like compound pages, else 6.1 folios). Every struct page in
 * the input is decoded, and every 8-byte word is also tried as a struct page
 * address.
 */
#include "folio.h"
#include "fuzz.h"
#include "kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_kernel k;
	struct pcs_error err;

	if (size < 64 || size > FUZZ_MAX_INPUT)
		return 0;
	if (data[0] & 1)
		fake_layout_radix(&ft);
	else
		fake_layout_xarray(&ft);
	fuzz_map(&ft, PCS_KVADDR, FAKE_VMEMMAP, data, size);
	if (pcs_kernel_init(&k, &ft.t, &err) == PCS_OK) {
		for (size_t off = 64; off + 64 <= size && off < 64 * 256; off += 64) {
			uint64_t page = FAKE_VMEMMAP + off, flags, pfn, hint;
			struct pcs_folio f;
			unsigned int order;

			pcs_page_flags(&k, page, &flags, &err);
			if (pcs_folio_of_page(&k, page, &f, &err) == PCS_OK)
				(void)pcs_folio_page(&k, &f, f.index + 1);
			pcs_folio_order(&k, page, &order, &err);
			memcpy(&hint, data + off + 8, 8);
			pcs_page_to_pfn(&k, hint, &pfn, &err);
			pcs_folio_of_page(&k, hint & ~1ull, &f, &err);
		}
	}
	fake_free(&ft);
	return 0;
}

/* Seeds: an order-2 folio (head pfn 1, tails 2..4) and an order-0 page (pfn 5). */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	static struct fake_target ft;

	if (i > 1)
		return 0;
	if (i == 1)
		fake_layout_radix(&ft);
	else
		fake_layout_xarray(&ft);
	fake_map(&ft, PCS_KVADDR, FAKE_VMEMMAP, 64 * 8);
	fake_put_u64(&ft, fake_page(1), (1ull << 6) | (1ull << 2)); /* PG_head, uptodate */
	fake_put_u64(&ft, fake_page(1) + 24, 0xffff888012345678ull);
	fake_put_u64(&ft, fake_page(1) + 32, 8);
	fake_put_u8(&ft, fake_page(2) + (i == 1 ? 17 : 17), 2); /* order in page[1] */
	for (int p = 2; p <= 4; p++)
		fake_put_u64(&ft, fake_page(p) + 8, fake_page(1) | 1);
	fake_put_u64(&ft, fake_page(5), 1ull << 5);
	size_t n = fuzz_dump_region(&ft, PCS_KVADDR, FAKE_VMEMMAP, buf, cap, 0);

	buf[0] = (uint8_t)i;
	fake_free(&ft);
	return n;
}
