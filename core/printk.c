// SPDX-License-Identifier: GPL-2.0-or-later
#include "printk.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* pcs_error_wrap() returns PCS_OK when err is NULL: keep the code then. */
#define WRAP(rc, err, ...) ((err) ? pcs_error_wrap(err, __VA_ARGS__) : (rc))

#define PRB_MAX_RECORDS (1u << 24)

struct prb {
	const struct pcs_target *t;
	uint64_t descs, infos, data;
	uint32_t count_bits, size_bits;
	uint64_t head_id, tail_id;
	uint64_t desc_size, info_size;
	uint64_t o_state, o_text_lpos, o_begin, o_next;
	uint64_t o_seq, o_ts, o_text_len, o_caller;
};

static enum pcs_errcode off(const struct pcs_target *t, const char *type, const char *m,
			    uint64_t *o, struct pcs_error *err)
{
	return pcs_kernel_offset(t, type, m, o, err);
}

static enum pcs_errcode prb_init(struct prb *p, const struct pcs_target *t, uint64_t prb_ptr,
				 struct pcs_error *err)
{
	uint64_t prb, o_desc_ring, o_text_ring, o_count_bits, o_descs, o_infos, o_head, o_tail;
	uint64_t o_size_bits, o_data, o_counter = 0;
	enum pcs_errcode rc;

	memset(p, 0, sizeof(*p));
	p->t = t;
	if ((rc = pcs_read_u64(t, prb_ptr, &prb, err)))
		return WRAP(rc, err, "reading prb");
	if ((rc = off(t, "printk_ringbuffer", "desc_ring", &o_desc_ring, err)) ||
	    (rc = off(t, "printk_ringbuffer", "text_data_ring", &o_text_ring, err)) ||
	    (rc = off(t, "prb_desc_ring", "count_bits", &o_count_bits, err)) ||
	    (rc = off(t, "prb_desc_ring", "descs", &o_descs, err)) ||
	    (rc = off(t, "prb_desc_ring", "infos", &o_infos, err)) ||
	    (rc = off(t, "prb_desc_ring", "head_id", &o_head, err)) ||
	    (rc = off(t, "prb_desc_ring", "tail_id", &o_tail, err)) ||
	    (rc = off(t, "prb_data_ring", "size_bits", &o_size_bits, err)) ||
	    (rc = off(t, "prb_data_ring", "data", &o_data, err)) ||
	    (rc = off(t, "prb_desc", "state_var", &p->o_state, err)) ||
	    (rc = off(t, "prb_desc", "text_blk_lpos", &p->o_text_lpos, err)) ||
	    (rc = off(t, "prb_data_blk_lpos", "begin", &p->o_begin, err)) ||
	    (rc = off(t, "prb_data_blk_lpos", "next", &p->o_next, err)) ||
	    (rc = off(t, "printk_info", "seq", &p->o_seq, err)) ||
	    (rc = off(t, "printk_info", "ts_nsec", &p->o_ts, err)) ||
	    (rc = off(t, "printk_info", "text_len", &p->o_text_len, err)) ||
	    (rc = pcs_kernel_size(t, "prb_desc", &p->desc_size, err)) ||
	    (rc = pcs_kernel_size(t, "printk_info", &p->info_size, err)))
		return WRAP(rc, err, "printk ring buffer layout");
	if (off(t, "printk_info", "caller_id", &p->o_caller, NULL))
		p->o_caller = UINT64_MAX;
	off(t, "atomic_long_t", "counter", &o_counter, NULL);
	uint64_t dr = prb + o_desc_ring, tr = prb + o_text_ring;

	if ((rc = pcs_read_u32(t, dr + o_count_bits, &p->count_bits, err)) ||
	    (rc = pcs_read_u64(t, dr + o_descs, &p->descs, err)) ||
	    (rc = pcs_read_u64(t, dr + o_infos, &p->infos, err)) ||
	    (rc = pcs_read_u64(t, dr + o_head + o_counter, &p->head_id, err)) ||
	    (rc = pcs_read_u64(t, dr + o_tail + o_counter, &p->tail_id, err)) ||
	    (rc = pcs_read_u32(t, tr + o_size_bits, &p->size_bits, err)) ||
	    (rc = pcs_read_u64(t, tr + o_data, &p->data, err)))
		return WRAP(rc, err, "reading the printk ring buffer");
	/* CONFIG_LOG_BUF_SHIFT <= 25 and 2^5-byte records: count_bits <= 20, size_bits <= 25 */
	if (p->count_bits > 24 || p->size_bits > 34 || p->size_bits < 4)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "printk ring buffer: count_bits %u size_bits %u",
				     p->count_bits, p->size_bits);
	return PCS_OK;
}

#define DESC_SV_BITS	 64
#define DESC_FLAGS_SHIFT (DESC_SV_BITS - 2)
#define DESC_ID_MASK	 ((UINT64_C(1) << DESC_FLAGS_SHIFT) - 1)
enum { desc_reserved, desc_committed, desc_finalized, desc_reusable };

static enum pcs_errcode prb_walk(struct prb *p, pcs_printk_fn fn, void *arg, uint64_t *skipped,
				 struct pcs_error *err)
{
	uint64_t count = UINT64_C(1) << p->count_bits;
	uint64_t dsize = UINT64_C(1) << p->size_bits;
	char *text = malloc(dsize < 65536 ? dsize : 65536);
	uint64_t id = p->tail_id;
	uint32_t n = 0;

	/* the ring holds at most count descriptors from tail_id to head_id */
	if (((p->head_id - p->tail_id) & DESC_ID_MASK) >= count) {
		free(text);
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "printk ring buffer: tail_id %" PRIu64 " head_id %" PRIu64
				     " span more than its %" PRIu64 " descriptors",
				     p->tail_id, p->head_id, count);
	}
	for (;;) {
		uint64_t idx = id & (count - 1);
		uint64_t desc = p->descs + idx * p->desc_size;
		uint64_t info = p->infos + idx * p->info_size;
		uint64_t sv, begin, next;

		if (++n > PRB_MAX_RECORDS || n > count + 1)
			break;
		if (pcs_read_u64(p->t, desc + p->o_state, &sv, NULL) ||
		    pcs_read_u64(p->t, desc + p->o_text_lpos + p->o_begin, &begin, NULL) ||
		    pcs_read_u64(p->t, desc + p->o_text_lpos + p->o_next, &next, NULL)) {
			if (skipped)
				(*skipped)++;
			goto next;
		}
		unsigned int state = (unsigned int)(sv >> DESC_FLAGS_SHIFT) & 3;

		if ((sv & DESC_ID_MASK) != (id & DESC_ID_MASK) ||
		    (state != desc_committed && state != desc_finalized))
			goto next;
		if ((begin & 1) || begin == next) /* data-less record */
			goto next;
		uint64_t bwrap = begin >> p->size_bits, nwrap = next >> p->size_bits;
		uint64_t start, len;

		if (bwrap == nwrap) {
			start = begin & (dsize - 1);
			len = next - begin;
		} else if (bwrap + 1 == nwrap) {
			start = 0;
			len = next & (dsize - 1);
		} else {
			goto next;
		}
		if (len < 8 || len > 65536)
			goto next;
		start += 8; /* unsigned long id at the start of the block */
		len -= 8;
		uint16_t text_len = 0;
		struct pcs_printk_rec r = {0};

		pcs_read(p->t, PCS_KVADDR, info + p->o_text_len, &text_len, 2, NULL);
		pcs_read_u64(p->t, info + p->o_seq, &r.seq, NULL);
		pcs_read_u64(p->t, info + p->o_ts, &r.ts_nsec, NULL);
		if (p->o_caller != UINT64_MAX)
			pcs_read_u32(p->t, info + p->o_caller, &r.caller_id, NULL);
		if (text_len < len)
			len = text_len;
		if (len && pcs_read(p->t, PCS_KVADDR, p->data + start, text, len, NULL)) {
			if (skipped)
				(*skipped)++;
			goto next;
		}
		r.text = text;
		r.len = len;
		if (fn(&r, arg))
			break;
	next:
		if ((id & DESC_ID_MASK) == (p->head_id & DESC_ID_MASK))
			break;
		id = (id + 1) & DESC_ID_MASK;
	}
	free(text);
	return PCS_OK;
}

/* Pre-5.10: log_buf of struct printk_log records. */
static enum pcs_errcode logbuf_walk(const struct pcs_target *t, pcs_printk_fn fn, void *arg,
				    uint64_t *skipped, struct pcs_error *err)
{
	uint64_t a_buf, a_len, a_first, a_next, buf, hsize, o_ts, o_len, o_text_len;
	uint32_t buflen, first, nexti;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(t, "log_buf", &a_buf, err)) ||
	    (rc = pcs_symbol(t, "log_buf_len", &a_len, err)) ||
	    (rc = pcs_symbol(t, "log_first_idx", &a_first, err)) ||
	    (rc = pcs_symbol(t, "log_next_idx", &a_next, err)))
		return WRAP(rc, err, "no printk ring buffer (prb) and no log_buf");
	if ((rc = pcs_kernel_size(t, "printk_log", &hsize, err)) ||
	    (rc = off(t, "printk_log", "ts_nsec", &o_ts, err)) ||
	    (rc = off(t, "printk_log", "len", &o_len, err)) ||
	    (rc = off(t, "printk_log", "text_len", &o_text_len, err)))
		return rc;
	if ((rc = pcs_read_u64(t, a_buf, &buf, err)) ||
	    (rc = pcs_read_u32(t, a_len, &buflen, err)) ||
	    (rc = pcs_read_u32(t, a_first, &first, err)) ||
	    (rc = pcs_read_u32(t, a_next, &nexti, err)))
		return rc;
	char text[1024];
	uint32_t idx = first, wraps = 0;

	for (uint32_t n = 0; idx != nexti && n < PRB_MAX_RECORDS; n++) {
		uint16_t len = 0, tl = 0;
		struct pcs_printk_rec r = {.seq = n};

		if (idx + hsize > buflen ||
		    pcs_read(t, PCS_KVADDR, buf + idx + o_len, &len, 2, NULL)) {
			if (skipped)
				(*skipped)++;
			break;
		}
		if (len == 0 && !wraps++) { /* wrap marker (a second one: a cycle) */
			idx = 0;
			continue;
		}
		if (len < hsize) { /* shorter than its own header: corrupt, stop */
			if (skipped)
				(*skipped)++;
			break;
		}
		pcs_read(t, PCS_KVADDR, buf + idx + o_text_len, &tl, 2, NULL);
		pcs_read_u64(t, buf + idx + o_ts, &r.ts_nsec, NULL);
		if (tl > sizeof(text))
			tl = sizeof(text);
		if (pcs_read(t, PCS_KVADDR, buf + idx + hsize, text, tl, NULL) == PCS_OK) {
			r.text = text;
			r.len = tl;
			if (fn(&r, arg))
				break;
		} else if (skipped) {
			(*skipped)++;
		}
		idx += len;
	}
	return PCS_OK;
}

enum pcs_errcode pcs_printk_walk(const struct pcs_target *t, pcs_printk_fn fn, void *arg,
				 uint64_t *skipped, struct pcs_error *err)
{
	uint64_t prb_ptr;
	char buf[64];

	if (skipped)
		*skipped = 0;
	if (pcs_vmcoreinfo(t, "SYMBOL(prb)", buf, sizeof(buf), NULL) == PCS_OK)
		prb_ptr = strtoull(buf, NULL, 16);
	else if (pcs_symbol(t, "prb", &prb_ptr, NULL) != PCS_OK)
		return logbuf_walk(t, fn, arg, skipped, err);
	struct prb p;
	enum pcs_errcode rc = prb_init(&p, t, prb_ptr, err);

	if (rc)
		return rc;
	return prb_walk(&p, fn, arg, skipped, err);
}

void pcs_printk_ts(const struct pcs_printk_rec *r, char *buf, size_t len)
{
	snprintf(buf, len, "[%5" PRIu64 ".%06" PRIu64 "] ", r->ts_nsec / 1000000000,
		 (r->ts_nsec % 1000000000) / 1000);
}
