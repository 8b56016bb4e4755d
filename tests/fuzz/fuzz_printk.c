// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the printk ring readers (core/printk.c), both layouts. The input is kernel
 * memory at ARENA; byte 0 bit 0 picks the pre-5.10 log_buf of struct printk_log
 * records, else the 5.10+ lockless ring: the variable prb (at ARENA + 8) points
 * at struct printk_ringbuffer; log_buf (ARENA + 16), log_buf_len (+24),
 * log_first_idx (+28) and log_next_idx (+32) for the old one.
 */
#include "fake_printk.h"
#include "fuzz.h"
#include "printk.h"

#define ARENA 0xffff800000000000ull

static void layout(struct fake_target *ft, bool old)
{
	fake_init(ft, PCS_ARCH_ARM64, 0);
	fake_printk_types(ft);
	if (old) {
		fake_sym_set(ft, "log_buf", ARENA + 16);
		fake_sym_set(ft, "log_buf_len", ARENA + 24);
		fake_sym_set(ft, "log_first_idx", ARENA + 28);
		fake_sym_set(ft, "log_next_idx", ARENA + 32);
	} else {
		fake_sym_set(ft, "prb", ARENA + 8);
	}
}

static int on_rec(const struct pcs_printk_rec *r, void *arg)
{
	char ts[64];
	unsigned long *n = arg;

	pcs_printk_ts(r, ts, sizeof(ts));
	for (size_t i = 0; i < r->len; i++) /* every byte reported must be readable */
		*n += (unsigned char)r->text[i] == 0xff;
	return ++*n > 100000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_error err;
	uint64_t skipped;
	unsigned long n = 0;

	if (size < 64 || size > FUZZ_MAX_INPUT)
		return 0;
	layout(&ft, data[0] & 1);
	fuzz_map(&ft, PCS_KVADDR, ARENA, data, size);
	pcs_printk_walk(&ft.t, on_rec, &n, &skipped, &err);
	fake_free(&ft);
	return 0;
}

/* Seeds: a lockless ring with two records (one wrapped), and a log_buf with two. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	static struct fake_target ft;
	const uint64_t rb = ARENA + 64, descs = ARENA + 256, infos = ARENA + 512,
		       data = ARENA + 1024;

	if (i > 1)
		return 0;
	layout(&ft, i == 1);
	fake_map(&ft, PCS_KVADDR, ARENA, 2048);
	if (i == 0) {
		fake_put_u64(&ft, ARENA + 8, rb);
		fake_put_u32(&ft, rb, 2);
		fake_put_u64(&ft, rb + 8, descs);
		fake_put_u64(&ft, rb + 16, infos);
		fake_put_u64(&ft, rb + 24, 7); /* head_id */
		fake_put_u64(&ft, rb + 32, 6); /* tail_id */
		fake_put_u32(&ft, rb + 48, 7); /* size_bits: 128-byte data ring */
		fake_put_u64(&ft, rb + 56, data);
		for (uint64_t id = 6; id <= 7; id++) {
			uint64_t d = descs + (id & 3) * 24, in = infos + (id & 3) * 32;
			uint64_t begin = id == 6 ? 128 : 128 + 64,
				 next = id == 6 ? 128 + 32 : 256 + 40;

			fake_put_u64(&ft, d, (2ull << 62) | id); /* committed */
			fake_put_u64(&ft, d + 8, begin);
			fake_put_u64(&ft, d + 16, next);
			fake_put_u64(&ft, in, id);
			fake_put_u64(&ft, in + 8, id * 1000000000ull);
			fake_put_u16(&ft, in + 16, 20);
			uint64_t at = id == 6 ? 0 : 0; /* wrapped blocks start at 0 */

			fake_put_u64(&ft, data + at + (id == 6 ? 0 : 32), id);
			fake_put_str(&ft, data + at + (id == 6 ? 8 : 40), "a printk record text");
		}
	} else {
		fake_put_u64(&ft, ARENA + 16, ARENA + 256);
		fake_put_u32(&ft, ARENA + 24, 512);
		fake_put_u32(&ft, ARENA + 28, 0);
		fake_put_u32(&ft, ARENA + 32, 80);
		fake_put_u16(&ft, ARENA + 256 + 8, 40);
		fake_put_u16(&ft, ARENA + 256 + 10, 11);
		fake_put_str(&ft, ARENA + 256 + 16, "first line");
		fake_put_u16(&ft, ARENA + 296 + 8, 40);
		fake_put_u16(&ft, ARENA + 296 + 10, 12);
		fake_put_str(&ft, ARENA + 296 + 16, "second line");
	}
	size_t n = fuzz_dump_region(&ft, PCS_KVADDR, ARENA, buf, cap, 0);

	buf[0] = (uint8_t)i;
	fake_free(&ft);
	return n;
}
