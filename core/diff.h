/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compare a page from the dump with the same page of a reference file.
 *
 * Differing bytes are grouped into ranges; two ranges separated by fewer than
 * merge_gap equal bytes become one (so "AB?D" style corruption shows as one run,
 * not three). merge_gap 0 or 1: only adjacent bytes merge.
 */
#ifndef PCS_DIFF_H
#define PCS_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define PCS_DIFF_MERGE_GAP_DEFAULT 8

struct pcs_diff_range {
	uint32_t off; /* offset in the page */
	uint32_t len;
	const uint8_t *vmcore; /* len bytes as found in the dump */
	const uint8_t *ref;    /* len bytes of the reference file */
};

/* Return 0 to continue, nonzero to stop. */
typedef int (*pcs_diff_fn)(const struct pcs_diff_range *r, void *arg);

/*
 * Compare len bytes; call fn (may be NULL) for each range. Returns the number of
 * ranges (0: identical). *ndiff (may be NULL) gets the number of differing bytes.
 */
size_t pcs_diff_page(const void *vmcore, const void *ref, size_t len, size_t merge_gap,
		     pcs_diff_fn fn, void *arg, size_t *ndiff);

/*
 * Read page index of a reference file (fd) into buf (page_size bytes). Bytes past
 * EOF are zero, as in the page cache. *got (may be NULL) gets the bytes actually in
 * the file (0: the page lies past EOF).
 */
enum pcs_errcode pcs_ref_read_page(int fd, uint64_t index, uint32_t page_size, void *buf,
				   size_t *got, struct pcs_error *err);

#endif /* PCS_DIFF_H */
