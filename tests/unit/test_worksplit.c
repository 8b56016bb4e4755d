// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/worksplit.c and core/exec.c: a file's index space cut
 * into job ranges that are contiguous, non-empty, cover every index once (the
 * last one open-ended) and hold about the asked number of pages; jobs run
 * inline without an exec.
 */
#include <stdint.h>
#include <stdio.h>

#include "exec.h"
#include "unit.h"
#include "worksplit.h"

/* Do the n ranges of span cover [0, inf) contiguously, each non-empty? */
static int covers(uint64_t span, size_t n)
{
	uint64_t next = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t first, count;

		pcs_split_range(span, n, i, &first, &count);
		if (first != next)
			return 0;
		if (i + 1 < n && !count)
			return 0;
		if (i + 1 == n)
			return count == 0;
		next = first + count;
	}
	return 0;
}

static size_t order[8], norder;

static void rec_work(void *arg, size_t i, unsigned int w)
{
	(void)arg, (void)w;
	order[norder++] = 100 + i;
}

static int rec_done(void *arg, size_t i)
{
	order[norder++] = 200 + i;
	return i == *(size_t *)arg;
}

int main(void)
{
	CASE("number of ranges: about nrpages/per, at least 1, at most the span")
	{
		EXPECT_EQ_U64(pcs_split_ranges(0, 0, 512), 1);
		EXPECT_EQ_U64(pcs_split_ranges(1, 1, 512), 1);
		EXPECT_EQ_U64(pcs_split_ranges(512, 512, 512), 1);
		EXPECT_EQ_U64(pcs_split_ranges(513, 513, 512), 2);
		EXPECT_EQ_U64(pcs_split_ranges(262144, 262144, 512), 512);
		EXPECT_EQ_U64(pcs_split_ranges(10000, 3, 512), 3); /* inconsistent counts */
		EXPECT_EQ_U64(pcs_split_ranges(5, 0, 1), 1);	   /* empty file, pages past EOF */
		EXPECT_EQ_U64(pcs_split_ranges(5, 100, 0), 5);	   /* per 0 taken as 1 */
	}

	CASE("ranges are contiguous, non-empty, and the last is open-ended")
	{
		static const uint64_t spans[] = {0,   1,   2,	3,	 7,
						 511, 512, 513, 1000003, UINT64_MAX / 4096};
		int ok = 1;

		for (size_t s = 0; s < sizeof(spans) / sizeof(spans[0]); s++)
			for (size_t n = 1; n <= 9; n++)
				if ((spans[s] >= n || n == 1) && !covers(spans[s], n)) {
					fprintf(stderr, "span %llu n %zu\n",
						(unsigned long long)spans[s], n);
					ok = 0;
				}
		EXPECT(ok);
	}

	CASE("evenly cut: 1000 indices in 3 ranges")
	{
		uint64_t f, c;

		pcs_split_range(1000, 3, 0, &f, &c);
		EXPECT(f == 0 && c == 333);
		pcs_split_range(1000, 3, 1, &f, &c);
		EXPECT(f == 333 && c == 333);
		pcs_split_range(1000, 3, 2, &f, &c);
		EXPECT(f == 666 && c == 0);
	}

	CASE("without an exec: one worker, jobs inline in order, a done() stops the rest")
	{
		size_t stop_at = 1;
		struct pcs_jobs j = {.n = 4, .work = rec_work, .done = rec_done, .arg = &stop_at};

		EXPECT_EQ_U64(pcs_exec_workers(NULL), 1);
		norder = 0;
		pcs_exec_run(NULL, &j);
		EXPECT_EQ_U64(norder, 4);
		EXPECT(order[0] == 100 && order[1] == 200 && order[2] == 101 && order[3] == 201);
	}
	UNIT_EXIT();
}
