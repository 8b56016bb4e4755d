// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/printk.c on a synthetic lockless printk ring buffer: a
 * record in the same wrap, a record wrapped to the start of the data ring, a
 * reusable descriptor and a descriptor still reserved (being written).
 */
#include "fake_printk.h"
#include "printk.h"
#include "unit.h"

#define ARENA	   UINT64_C(0xffff800000000000)
#define COUNT_BITS 2
#define SIZE_BITS  7

struct ring {
	uint64_t descs, infos, data;
};

static void record(struct fake_target *ft, const struct ring *rg, uint64_t id, unsigned int state,
		   uint64_t begin, uint64_t next, const char *text, uint64_t seq)
{
	uint64_t idx = id & ((1u << COUNT_BITS) - 1);
	uint64_t d = rg->descs + idx * 24, in = rg->infos + idx * 32;
	uint64_t size = UINT64_C(1) << SIZE_BITS;

	fake_put_u64(ft, d, ((uint64_t)state << 62) | id);
	fake_put_u64(ft, d + 8, begin);
	fake_put_u64(ft, d + 16, next);
	fake_put_u64(ft, in, seq);
	fake_put_u64(ft, in + 8, seq * 1000000000ULL + 123456000ULL);
	fake_put_u16(ft, in + 16, (uint16_t)strlen(text));
	fake_put_u32(ft, in + 20, 0x80000000u);
	/* data block: wrapped blocks start at index 0 */
	uint64_t at = (begin >> SIZE_BITS) == (next >> SIZE_BITS) ? begin & (size - 1) : 0;

	fake_put_u64(ft, rg->data + at, id);
	fake_put_bytes(ft, rg->data + at + 8, text, strlen(text));
}

struct seen {
	int n;
	char text[8][128];
	uint64_t seq[8];
};

static int on_rec(const struct pcs_printk_rec *r, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8) {
		snprintf(s->text[s->n], 128, "%.*s", (int)r->len, r->text);
		s->seq[s->n] = r->seq;
	}
	s->n++;
	return 0;
}

int main(void)
{
	static struct fake_target ft;
	struct pcs_error err = {0};
	struct ring rg;
	const char *wrapped = "this record wrapped to the start of the data ring";

	fake_init(&ft, PCS_ARCH_ARM64, 0);
	fake_printk_types(&ft);
	fake_arena(&ft, ARENA, 1 << 14);

	uint64_t prb = fake_alloc(&ft, 8), rb = fake_alloc(&ft, 96);

	rg.descs = fake_alloc(&ft, 24 << COUNT_BITS);
	rg.infos = fake_alloc(&ft, 32 << COUNT_BITS);
	rg.data = fake_alloc(&ft, 1u << SIZE_BITS);
	fake_sym_set(&ft, "prb", prb);
	fake_put_u64(&ft, prb, rb);
	fake_put_u32(&ft, rb + 0, COUNT_BITS);
	fake_put_u64(&ft, rb + 8, rg.descs);
	fake_put_u64(&ft, rb + 16, rg.infos);
	fake_put_u32(&ft, rb + 48, SIZE_BITS);
	fake_put_u64(&ft, rb + 56, rg.data);
	/* ids 5..9 over 4 descriptors: 5 overwritten by 9 (reserved), 6 reusable */
	record(&ft, &rg, 6, 3, 128 + 0, 128 + 16, "gone", 6);
	record(&ft, &rg, 7, 2, 128 + 64, 128 + 80, "world!", 7);
	record(&ft, &rg, 8, 1, 128 + 80, 256 + 64, wrapped, 8); /* 8 + 49 bytes, aligned */
	fake_put_u64(&ft, rg.descs + (9 & 3) * 24, ((uint64_t)0 << 62) | 9); /* reserved */
	fake_put_u64(&ft, rb + 24, 9);					     /* head_id */
	fake_put_u64(&ft, rb + 32, 6);					     /* tail_id */

	CASE("walk yields committed and finalized records, including one wrapped to the ring start;"
	     " skips reusable and reserved descriptors")
	{
		struct seen s = {0};
		uint64_t skipped = 0;
		enum pcs_errcode rc = pcs_printk_walk(&ft.t, on_rec, &s, &skipped, &err);

		EXPECT(rc == PCS_OK);
		EXPECT(s.n == 2);
		EXPECT_STREQ(s.text[0], "world!");
		EXPECT_EQ_U64(s.seq[0], 7);
		EXPECT_STREQ(s.text[1], wrapped);
		EXPECT_EQ_U64(s.seq[1], 8);
	}
	CASE("timestamp prints like dmesg: [  seconds.microseconds] ")
	{
		char ts[32];
		struct pcs_printk_rec r = {.ts_nsec = 796021377000ULL};

		pcs_printk_ts(&r, ts, sizeof(ts));
		EXPECT_STREQ(ts, "[  796.021377] ");
	}
	CASE("an absurd count_bits is corrupt, not a 2^40-step walk")
	{
		struct seen s = {0};
		uint64_t skipped = 0;

		fake_put_u32(&ft, rb + 0, 40);
		EXPECT(pcs_printk_walk(&ft.t, on_rec, &s, &skipped, &err) == PCS_ERR_CORRUPT);
	}
	fake_free(&ft);
	UNIT_EXIT();
}
