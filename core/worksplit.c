// SPDX-License-Identifier: GPL-2.0-or-later
/* Cutting a file's index space into job ranges (core/worksplit.h). */
#include "worksplit.h"

size_t pcs_split_ranges(uint64_t nrpages, uint64_t span, uint64_t per)
{
	uint64_t n;

	if (!per)
		per = 1;
	n = nrpages / per + (nrpages % per != 0);
	if (n > span)
		n = span;
	if (n < 1)
		n = 1;
	return n > SIZE_MAX ? SIZE_MAX : (size_t)n;
}

/* span * i / n without overflow (span < 2^64, i <= n) */
static uint64_t scaled(uint64_t span, size_t n, size_t i)
{
	return (uint64_t)((unsigned __int128)span * i / n);
}

void pcs_split_range(uint64_t span, size_t n, size_t i, uint64_t *first, uint64_t *count)
{
	if (!n)
		n = 1;
	*first = i ? scaled(span, n, i) : 0;
	*count = i + 1 < n ? scaled(span, n, i + 1) - *first : 0;
}
