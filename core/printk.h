/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel log from a dump: the 5.10+ lockless printk ring buffer (prb,
 * layout from VMCOREINFO or type info) and the older log_buf of struct printk_log
 * records. Records are streamed in sequence order; nothing is buffered beyond one.
 */
#ifndef PCS_PRINTK_H
#define PCS_PRINTK_H

#include <stddef.h>
#include <stdint.h>

#include "target.h"

struct pcs_printk_rec {
	uint64_t seq;
	uint64_t ts_nsec;
	uint32_t caller_id; /* 0x80000000|cpu or pid; 0 if unknown */
	const char *text;   /* not NUL-terminated inside; len bytes, may contain '\n' */
	size_t len;
};

/* Return nonzero to stop. */
typedef int (*pcs_printk_fn)(const struct pcs_printk_rec *r, void *arg);

/*
 * Walk every readable record, oldest first. Records whose data is missing from
 * the dump are skipped (counted in *skipped, may be NULL).
 */
enum pcs_errcode pcs_printk_walk(const struct pcs_target *t, pcs_printk_fn fn, void *arg,
				 uint64_t *skipped, struct pcs_error *err);

/* "[  796.021377] " prefix into buf. */
void pcs_printk_ts(const struct pcs_printk_rec *r, char *buf, size_t len);

#endif /* PCS_PRINTK_H */
