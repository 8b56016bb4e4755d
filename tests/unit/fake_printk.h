/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The printk types of a fake target, both layouts core/printk.c reads: the
 * 5.10+ lockless ring (struct printk_ringbuffer, prb_desc, printk_info) and the
 * older log_buf of struct printk_log records. Offsets are made up but
 * consistent; the unit test and the fuzz harness build rings against them.
 */
#ifndef PCS_FAKE_PRINTK_H
#define PCS_FAKE_PRINTK_H

#include "fake_target.h"

static inline void fake_printk_types(struct fake_target *ft)
{
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
	    {"printk_log", "ts_nsec", 0},	   {"printk_log", "len", 8},
	    {"printk_log", "text_len", 10},
	};

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		fake_member_set(ft, offs[i].t, offs[i].m, offs[i].off);
	fake_size_set(ft, "prb_desc", 24);
	fake_size_set(ft, "printk_info", 32);
	fake_size_set(ft, "printk_log", 16);
}

#endif /* PCS_FAKE_PRINTK_H */
