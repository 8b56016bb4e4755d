// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/kscan.c, the search of kernel memory by structure: a
 * pattern straddling a 64 KiB chunk boundary is seen whole once; a page the dump
 * lacks costs only that page (a pattern in the next page of the same chunk is
 * found), and no pattern is seen across it; a recording target (`pcsleuth
 * bundle`) keeps none of what the search passed over.
 */
#include <stdlib.h>

#include "fake_target.h"
#include "kscan.h"
#include "recorder.h"
#include "unit.h"

#define IMG UINT64_C(0xffff800009000000)
#define PG  4096u

static const char pat[] = "PCSLEUTH"; /* 8 bytes, no NUL */

struct hits {
	uint64_t at[16];
	int n;
	int stop_after; /* 0: never stop */
};

static int find_pat(void *vctx, uint64_t base, const uint8_t *buf, size_t len)
{
	struct hits *h = vctx;

	for (size_t o = 0; o + 8 <= len; o++)
		if (!memcmp(buf + o, pat, 8) && h->n < 16) {
			h->at[h->n++] = base + o;
			if (h->stop_after && h->n == h->stop_after)
				return 1;
		}
	return 0;
}

/* Map [IMG, IMG + npages pages) one page per region, leaving out page `hole`. */
static uint8_t *map_pages(struct fake_target *ft, uint8_t **pages, int npages, int hole)
{
	for (int i = 0; i < npages; i++)
		pages[i] = i == hole ? NULL : fake_map(ft, PCS_KVADDR, IMG + (uint64_t)i * PG, PG);
	return pages[0];
}

/* The backend's translation of the fake image: physical = virtual - IMG. */
static enum pcs_errcode img_xlat(void *priv, uint64_t vaddr, uint64_t *paddr)
{
	(void)priv;
	if (vaddr < IMG)
		return PCS_ERR_READ;
	*paddr = vaddr - IMG;
	return PCS_OK;
}

int main(void)
{
	static struct fake_target ft;
	uint8_t *pg[40];

	CASE("a pattern across a 64 KiB chunk boundary is seen once, at its address")
	{
		struct hits h = {0};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		map_pages(&ft, pg, 32, -1);
		memcpy(pg[15] + PG - 3, pat, 3);
		memcpy(pg[16], pat + 3, 5);
		EXPECT(pcs_kscan(&ft.t, IMG, IMG + 32 * PG, 7, find_pat, &h, NULL) == PCS_OK);
		EXPECT_EQ_U64(h.n, 1);
		EXPECT_EQ_U64(h.at[0], IMG + 16 * PG - 3);
		fake_free(&ft);
	}
	CASE("a missing page skips only itself: the next page of its chunk is searched")
	{
		struct hits h = {0};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		map_pages(&ft, pg, 16, 1);
		memcpy(pg[0] + 100, pat, 8);
		memcpy(pg[2] + 8, pat, 8);
		memcpy(pg[15] + PG - 8, pat, 8); /* the last bytes of the range */
		EXPECT(pcs_kscan(&ft.t, IMG, IMG + 16 * PG, 7, find_pat, &h, NULL) == PCS_OK);
		EXPECT_EQ_U64(h.n, 3);
		EXPECT_EQ_U64(h.at[0], IMG + 100);
		EXPECT_EQ_U64(h.at[1], IMG + 2 * PG + 8);
		EXPECT_EQ_U64(h.at[2], IMG + 16 * PG - 8);
		fake_free(&ft);
	}
	CASE("no pattern is seen across a missing page")
	{
		struct hits h = {0};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		map_pages(&ft, pg, 4, 1);
		memcpy(pg[0] + PG - 4, pat, 4);
		memcpy(pg[2], pat + 4, 4);
		EXPECT(pcs_kscan(&ft.t, IMG, IMG + 4 * PG, 7, find_pat, &h, NULL) == PCS_OK);
		EXPECT_EQ_U64(h.n, 0);
		fake_free(&ft);
	}
	CASE("an unaligned range and a stop from the callback")
	{
		struct hits h = {.stop_after = 1};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		map_pages(&ft, pg, 20, -1);
		memcpy(pg[3] + 5, pat, 8);
		memcpy(pg[18], pat, 8);
		EXPECT(pcs_kscan(&ft.t, IMG + 17, IMG + 20 * PG - 1, 7, find_pat, &h, NULL) ==
		       PCS_OK);
		EXPECT_EQ_U64(h.n, 1);
		EXPECT_EQ_U64(h.at[0], IMG + 3 * PG + 5);
		fake_free(&ft);
	}
	CASE("a recording target keeps none of what the search passed over")
	{
		struct hits h = {0};
		struct pcs_recorder *r;
		uint64_t unmapped = 0;
		size_t n = 9;

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		map_pages(&ft, pg, 16, -1);
		memcpy(pg[5], pat, 8);
		EXPECT(pcs_recorder_new(&r, NULL) == PCS_OK);
		pcs_recorder_wrap(r, &ft.t);
		pcs_recorder_set_xlat(r, img_xlat, NULL);
		EXPECT(pcs_kscan(&ft.t, IMG, IMG + 16 * PG, 7, find_pat, &h, NULL) == PCS_OK);
		EXPECT_EQ_U64(h.n, 1);
		EXPECT(pcs_recorder_finish(r, &ft.t, &unmapped, NULL) == PCS_OK);
		pcs_recorder_ranges(r, &n);
		EXPECT_EQ_U64(n, 0);
		EXPECT_EQ_U64(unmapped, 0);
		/* what a finder reads again with pcs_read() is kept */
		uint8_t b[8];

		EXPECT(pcs_read(&ft.t, PCS_KVADDR, h.at[0], b, 8, NULL) == PCS_OK);
		EXPECT(pcs_recorder_finish(r, &ft.t, &unmapped, NULL) == PCS_OK);
		const struct pcs_range *rg = pcs_recorder_ranges(r, &n);

		EXPECT_EQ_U64(n, 1);
		EXPECT(n == 1 && rg[0].start == 5 * PG && rg[0].end == 6 * PG);
		pcs_recorder_free(r);
		fake_free(&ft);
	}
	CASE("a carry as long as a chunk is refused")
	{
		struct hits h = {0};
		struct pcs_error err = {0};

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		EXPECT(pcs_kscan(&ft.t, IMG, IMG + PG, PCS_KSCAN_CHUNK, find_pat, &h, &err) ==
		       PCS_ERR_INVAL);
		fake_free(&ft);
	}
	UNIT_EXIT();
}
