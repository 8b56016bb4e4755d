// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of the read recorder (core/recorder.h) behind `pcsleuth bundle`. */
#include <stdlib.h>

#include "fake_target.h"
#include "recorder.h"
#include "unit.h"

static int ranges_are(const struct pcs_rangeset *rs, const uint64_t *want, size_t n)
{
	if (rs->n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (rs->v[i].start != want[2 * i] || rs->v[i].end != want[2 * i + 1])
			return 0;
	return 1;
}

static enum pcs_errcode xlat_plus(void *priv, uint64_t vaddr, uint64_t *paddr)
{
	(void)priv;
	if (vaddr < 0xffff000000000000ULL)
		return PCS_ERR_READ;
	*paddr = vaddr - 0xffff000000000000ULL;
	return PCS_OK;
}

int main(void)
{
	CASE("adjacent and overlapping ranges coalesce, in any order")
	{
		struct pcs_rangeset rs = {0};
		static const uint64_t want[] = {0x1000, 0x4000, 0x8000, 0x9000};

		pcs_rangeset_add(&rs, 0x8000, 0x9000, NULL);
		pcs_rangeset_add(&rs, 0x2000, 0x3000, NULL);
		pcs_rangeset_add(&rs, 0x1000, 0x2000, NULL); /* adjacent before */
		pcs_rangeset_add(&rs, 0x2800, 0x4000, NULL); /* overlaps the end */
		pcs_rangeset_add(&rs, 0x8000, 0x8800, NULL); /* contained */
		pcs_rangeset_normalize(&rs);
		EXPECT(ranges_are(&rs, want, 2));
		EXPECT_EQ_U64(pcs_rangeset_bytes(&rs), 0x4000);
		pcs_rangeset_free(&rs);
	}
	CASE("an empty or inverted range adds nothing")
	{
		struct pcs_rangeset rs = {0};

		pcs_rangeset_add(&rs, 0x5000, 0x5000, NULL);
		pcs_rangeset_add(&rs, 0x6000, 0x5000, NULL);
		pcs_rangeset_normalize(&rs);
		EXPECT_EQ_U64(rs.n, 0);
		pcs_rangeset_free(&rs);
	}
	CASE("a range growing backwards over its predecessor still coalesces")
	{
		struct pcs_rangeset rs = {0};
		static const uint64_t want[] = {0x1000, 0x5000};

		pcs_rangeset_add(&rs, 0x1000, 0x2000, NULL);
		pcs_rangeset_normalize(&rs);
		pcs_rangeset_add(&rs, 0x4000, 0x5000, NULL);
		pcs_rangeset_add(&rs, 0x1800, 0x4800, NULL);
		pcs_rangeset_normalize(&rs);
		EXPECT(ranges_are(&rs, want, 1));
		pcs_rangeset_free(&rs);
	}
	CASE("many scattered repeated pages stay bounded and exact")
	{
		struct pcs_rangeset rs = {0};

		for (int round = 0; round < 50; round++)
			for (uint64_t p = 0; p < 3000; p++)
				pcs_rangeset_add(&rs, (p * 7919 % 3000) * 0x2000,
						 (p * 7919 % 3000) * 0x2000 + 0x1000, NULL);
		pcs_rangeset_normalize(&rs);
		EXPECT_EQ_U64(rs.n, 3000);
		EXPECT(rs.cap <= 16384);
		EXPECT_EQ_U64(pcs_rangeset_bytes(&rs), 3000 * 0x1000);
		int sorted = 1;

		for (size_t i = 1; i < rs.n; i++)
			sorted &= rs.v[i - 1].end < rs.v[i].start;
		EXPECT(sorted);
		pcs_rangeset_free(&rs);
	}
	CASE("the recorder forwards reads and records the physical pages touched")
	{
		struct fake_target ft;
		struct pcs_recorder *r;
		uint64_t v = 0, sym = 0, unmapped = 9;
		uint8_t buf[16];
		size_t n;

		fake_init(&ft, PCS_ARCH_X86_64, PCS_KERNEL_VERSION(6, 1, 0));
		uint8_t *m = fake_map(&ft, PCS_KPHYSADDR, 0x10000, 0x4000);

		m[0x8] = 0x42;
		fake_sym_set(&ft, "jiffies", 0x1234);
		EXPECT(pcs_recorder_new(&r, NULL) == PCS_OK);
		pcs_recorder_wrap(r, &ft.t);
		pcs_recorder_set_xlat(r, xlat_plus, NULL);
		EXPECT(pcs_read(&ft.t, PCS_KPHYSADDR, 0x10008, &v, 8, NULL) == PCS_OK);
		EXPECT_EQ_U64(v, 0x42);
		EXPECT(pcs_symbol(&ft.t, "jiffies", &sym, NULL) == PCS_OK);
		EXPECT_EQ_U64(sym, 0x1234);
		/* crosses into the next page */
		EXPECT(pcs_read(&ft.t, PCS_KPHYSADDR, 0x12ff8, buf, 16, NULL) == PCS_OK);
		/* a page the dump lacks is recorded too (and stays absent in a mini dump) */
		EXPECT(pcs_read(&ft.t, PCS_KPHYSADDR, 0x90000, buf, 8, NULL) == PCS_ERR_NODATA);
		/* kernel virtual: translated at finish (fake has no page tables: backend xlat) */
		pcs_read(&ft.t, PCS_KVADDR, 0xffff000000020010ULL, buf, 8, NULL);
		pcs_recorder_note_kvaddr(r, 0x1000); /* untranslatable */
		EXPECT(pcs_recorder_finish(r, &ft.t, &unmapped, NULL) == PCS_OK);
		const struct pcs_range *rg = pcs_recorder_ranges(r, &n);

		EXPECT_EQ_U64(n, 4);
		if (n == 4) {
			EXPECT_EQ_U64(rg[0].start, 0x10000);
			EXPECT_EQ_U64(rg[0].end, 0x11000);
			EXPECT_EQ_U64(rg[1].start, 0x12000);
			EXPECT_EQ_U64(rg[1].end, 0x14000);
			EXPECT_EQ_U64(rg[2].start, 0x20000);
			EXPECT_EQ_U64(rg[2].end, 0x21000);
			EXPECT_EQ_U64(rg[3].start, 0x90000);
		}
		EXPECT_EQ_U64(unmapped, 1);
		pcs_recorder_free(r);
		for (int i = 0; i < ft.nmem; i++)
			free(ft.mem[i].data);
	}
	UNIT_EXIT();
}
