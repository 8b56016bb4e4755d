/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A chunked scan of kernel virtual memory for searches by structure (the BTF
 * blob, init_task, the kallsyms tables): [lo, hi) is read in chunks ending on
 * 64 KiB boundaries; the last `carry` bytes of a chunk are kept in front of the
 * next one so that a pattern up to carry + 1 bytes long is seen whole once;
 * pages the dump lacks (holes, excluded pages) are skipped and break the carry;
 * a corrupt page stops the scan, because reading on through a damaged dump is
 * what makes libkdumpfile 0.5.1 crash. The scan reads with pcs_read_search(), so
 * a recording target (`pcsleuth bundle`) does not keep what it passes over: a
 * finder reads what it takes again with pcs_read(), and the search run again on
 * the small dump finds it there (the pages around it missing).
 */
#ifndef PCS_KSCAN_H
#define PCS_KSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "target.h"

#define PCS_KSCAN_CHUNK 65536u

/*
 * Called for each chunk read: buf holds len bytes of memory at base (the carried
 * bytes first). Return 0 to go on, non-zero to stop the scan.
 */
typedef int (*pcs_kscan_fn)(void *ctx, uint64_t base, const uint8_t *buf, size_t len);

/*
 * Scan [lo, hi) (carry < PCS_KSCAN_CHUNK). PCS_OK when the range was done or fn
 * stopped it; PCS_ERR_CORRUPT with the read's error at a corrupt page;
 * PCS_ERR_NOMEM.
 */
enum pcs_errcode pcs_kscan(const struct pcs_target *t, uint64_t lo, uint64_t hi, size_t carry,
			   pcs_kscan_fn fn, void *ctx, struct pcs_error *err);

#endif /* PCS_KSCAN_H */
