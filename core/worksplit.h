/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cutting work into jobs for core/exec.h: pure arithmetic, no reads.
 *
 * A file's page cache is cut by index into ranges holding about `per` cached
 * pages each (its nrpages spread evenly over its size); the last range is open
 * (count 0: to the end of the index space), so pages past i_size are still
 * walked, once. Memory is cut into runs of at most `per` pages inside a section.
 */
#ifndef PCS_WORKSPLIT_H
#define PCS_WORKSPLIT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Ranges for a file of span index slots (i_size in pages, rounded up) with
 * nrpages cached pages, about per (> 0) pages each: at least 1, at most
 * max(span, 1).
 */
size_t pcs_split_ranges(uint64_t nrpages, uint64_t span, uint64_t per);

/*
 * Range i of n over [0, span): indices [*first, *first + *count); the last
 * range has *count 0 (open-ended). Ranges are contiguous and cover every index.
 */
void pcs_split_range(uint64_t span, size_t n, size_t i, uint64_t *first, uint64_t *count);

#endif /* PCS_WORKSPLIT_H */
