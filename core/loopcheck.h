/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cycle detection for walks over kernel lists in a possibly corrupted dump
 * (Brent's algorithm: O(1) memory, finds a cycle within about twice its length).
 * A list that legitimately ends (returns to its head) never trips it.
 *
 *	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;
 *	while (pos != head) {
 *		if (pcs_loopcheck_step(&lc, pos))
 *			return pcs_error_set(err, PCS_ERR_CORRUPT, "list loops");
 *		...
 *	}
 */
#ifndef PCS_LOOPCHECK_H
#define PCS_LOOPCHECK_H

#include <stdbool.h>
#include <stdint.h>

struct pcs_loopcheck {
	uint64_t saved;
	uint64_t power, lam;
};

#define PCS_LOOPCHECK_INIT                                                                         \
	{                                                                                          \
		.saved = UINT64_MAX, .power = 1, .lam = 0                                          \
	}

/* true when pos was seen before (a cycle that does not pass through the head) */
static inline bool pcs_loopcheck_step(struct pcs_loopcheck *lc, uint64_t pos)
{
	if (pos == lc->saved)
		return true;
	if (++lc->lam == lc->power) {
		lc->saved = pos;
		lc->power <<= 1;
		lc->lam = 0;
	}
	return false;
}

#endif /* PCS_LOOPCHECK_H */
