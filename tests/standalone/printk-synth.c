// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * core/printk.c on a synthetic lockless printk ring buffer: a record in the same
 * wrap, a record wrapped to the start of the data ring, a reusable descriptor and
 * a descriptor whose id does not match (overwritten). Prints PASS:/FAIL: lines.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printk.h"

#define BASE UINT64_C(0xffff800000000000)
static unsigned char mem[1 << 14];
static uint64_t brk_ = 64;

static uint64_t alloc(size_t n)
{
	uint64_t a = BASE + brk_;

	brk_ += (n + 63) & ~(size_t)63;
	return a;
}

static void put64(uint64_t a, uint64_t v)
{
	memcpy(&mem[a - BASE], &v, 8);
}
static void put32(uint64_t a, uint32_t v)
{
	memcpy(&mem[a - BASE], &v, 4);
}
static void put16(uint64_t a, uint16_t v)
{
	memcpy(&mem[a - BASE], &v, 2);
}

static const struct {
	const char *t, *m;
	uint64_t off;
} offs[] = {
    {"printk_ringbuffer", "desc_ring", 0}, {"printk_ringbuffer", "text_data_ring", 48},
    {"prb_desc_ring", "count_bits", 0},	   {"prb_desc_ring", "descs", 8},
    {"prb_desc_ring", "infos", 16},	   {"prb_desc_ring", "head_id", 24},
    {"prb_desc_ring", "tail_id", 32},	   {"prb_data_ring", "size_bits", 0},
    {"prb_data_ring", "data", 8},	   {"prb_desc", "state_var", 0},
    {"prb_desc", "text_blk_lpos", 8},	   {"prb_data_blk_lpos", "begin", 0},
    {"prb_data_blk_lpos", "next", 8},	   {"printk_info", "seq", 0},
    {"printk_info", "ts_nsec", 8},	   {"printk_info", "text_len", 16},
    {"printk_info", "caller_id", 20},	   {"atomic_long_t", "counter", 0},
};
static const struct {
	const char *t;
	uint64_t size;
} sizes[] = {{"prb_desc", 24}, {"printk_info", 32}};

static uint64_t sym_prb;

static enum pcs_errcode f_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
			       size_t len, struct pcs_error *err)
{
	(void)priv;
	(void)as;
	if (addr < BASE || addr - BASE + len > sizeof(mem))
		return pcs_error_set(err, PCS_ERR_NODATA, "0x%" PRIx64 " not in the dump", addr);
	memcpy(buf, &mem[addr - BASE], len);
	return PCS_OK;
}

static enum pcs_errcode f_sym(void *priv, const char *name, uint64_t *addr, struct pcs_error *err)
{
	(void)priv;
	if (strcmp(name, "prb"))
		return pcs_error_set(err, PCS_ERR_NOSYM, "no %s", name);
	*addr = sym_prb;
	return PCS_OK;
}

static enum pcs_errcode f_off(void *priv, const char *type, const char *member, uint64_t *off,
			      struct pcs_error *err)
{
	(void)priv;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (!strcmp(offs[i].t, type) && !strcmp(offs[i].m, member)) {
			*off = offs[i].off;
			return PCS_OK;
		}
	return pcs_error_set(err, PCS_ERR_NOTYPE, "no %s.%s", type, member);
}

static enum pcs_errcode f_size(void *priv, const char *type, uint64_t *size, struct pcs_error *err)
{
	(void)priv;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!strcmp(sizes[i].t, type)) {
			*size = sizes[i].size;
			return PCS_OK;
		}
	return pcs_error_set(err, PCS_ERR_NOTYPE, "no %s", type);
}

static enum pcs_errcode f_vmci(void *priv, const char *key, char *buf, size_t len,
			       struct pcs_error *err)
{
	(void)priv;
	(void)buf;
	(void)len;
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "no %s", key);
}

static const struct pcs_target_ops ops = {
    .read = f_read,
    .symbol_addr = f_sym,
    .member_offset = f_off,
    .type_size = f_size,
    .vmcoreinfo = f_vmci,
};

#define COUNT_BITS 2
#define SIZE_BITS  7
static uint64_t descs, infos, data;

static void record(uint64_t id, unsigned int state, uint64_t begin, uint64_t next, const char *text,
		   uint64_t seq)
{
	uint64_t idx = id & ((1u << COUNT_BITS) - 1);
	uint64_t d = descs + idx * 24, in = infos + idx * 32;
	uint64_t size = UINT64_C(1) << SIZE_BITS;

	put64(d, ((uint64_t)state << 62) | id);
	put64(d + 8, begin);
	put64(d + 16, next);
	put64(in, seq);
	put64(in + 8, seq * 1000000000ULL + 123456000ULL);
	put16(in + 16, (uint16_t)strlen(text));
	put32(in + 20, 0x80000000u);
	/* data block: wrapped blocks start at index 0 */
	uint64_t at = (begin >> SIZE_BITS) == (next >> SIZE_BITS) ? begin & (size - 1) : 0;

	put64(data + at, id);
	memcpy(&mem[data + at + 8 - BASE], text, strlen(text));
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
	struct pcs_target t = {.ops = &ops, .arch = PCS_ARCH_ARM64, .page_size = 4096};
	struct pcs_error err = {0};
	int fails = 0;
	const char *wrapped = "this record wrapped to the start of the data ring";

	sym_prb = alloc(8);
	uint64_t rb = alloc(96);

	descs = alloc(24 << COUNT_BITS);
	infos = alloc(32 << COUNT_BITS);
	data = alloc(1u << SIZE_BITS);
	put64(sym_prb, rb);
	put32(rb + 0, COUNT_BITS);
	put64(rb + 8, descs);
	put64(rb + 16, infos);
	put32(rb + 48, SIZE_BITS);
	put64(rb + 56, data);
	/* ids 5..9 over 4 descriptors: 5 overwritten by 9 (reserved), 6 reusable */
	record(6, 3, 128 + 0, 128 + 16, "gone", 6);
	record(7, 2, 128 + 64, 128 + 80, "world!", 7);
	record(8, 1, 128 + 80, 256 + 64, wrapped, 8);	      /* 8 + 49 bytes, aligned */
	put64(descs + (9 & 3) * 24, ((uint64_t)0 << 62) | 9); /* reserved: being written */
	put64(rb + 24, 9);				      /* head_id */
	put64(rb + 32, 6);				      /* tail_id */

	struct seen s = {0};
	uint64_t skipped = 0;
	enum pcs_errcode rc = pcs_printk_walk(&t, on_rec, &s, &skipped, &err);
	int ok = rc == PCS_OK && s.n == 2 && !strcmp(s.text[0], "world!") && s.seq[0] == 7 &&
		 !strcmp(s.text[1], wrapped) && s.seq[1] == 8;

	printf("%s: printk-synth-records", ok ? "PASS" : "FAIL");
	if (!ok)
		printf(": rc %d n %d [%s] [%s] %s", rc, s.n, s.text[0], s.text[1], err.msg);
	printf("\n");
	fails += !ok;

	char ts[32];
	struct pcs_printk_rec r = {.ts_nsec = 796021377000ULL};

	pcs_printk_ts(&r, ts, sizeof(ts));
	ok = !strcmp(ts, "[  796.021377] ");
	printf("%s: printk-synth-timestamp%s%s\n", ok ? "PASS" : "FAIL", ok ? "" : ": ",
	       ok ? "" : ts);
	fails += !ok;

	/* corrupt: count_bits absurd -> an error, not a 2^40-step walk */
	put32(rb + 0, 40);
	rc = pcs_printk_walk(&t, on_rec, &s, &skipped, &err);
	ok = rc == PCS_ERR_CORRUPT;
	printf("%s: printk-synth-corrupt%s%s\n", ok ? "PASS" : "FAIL", ok ? "" : ": ",
	       ok ? "" : err.msg);
	fails += !ok;
	return fails ? 1 : 0;
}
