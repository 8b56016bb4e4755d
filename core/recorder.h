/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A recording struct pcs_target: wraps another target, forwards every op and
 * remembers which memory was read, so that a front end can write a small dump
 * holding exactly what an analysis needed (`pcsleuth bundle`).
 *
 * Physical reads are recorded as page ranges. Kernel virtual reads are recorded
 * as virtual pages; pcs_recorder_finish() walks each through the kernel page
 * tables with core's own walker (physical reads through the wrapped target, so
 * the table pages are recorded too) and adds the page it maps. The backend's own
 * translation (libaddrxlat) reads tables the target never sees; this walk puts
 * them in the set. Reads made by a search passing over memory
 * (pcs_read_search()) are not recorded; the search's finds are.
 *
 *	struct pcs_recorder *r;
 *
 *	pcs_recorder_new(&r, &err);
 *	pcs_recorder_wrap(r, &st->t);      // st->t now records into r
 *	... analyses on &st->t ...
 *	pcs_recorder_finish(r, &st->t, &err);
 *	ranges = pcs_recorder_ranges(r, &n);
 */
#ifndef PCS_RECORDER_H
#define PCS_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "target.h"

/* Half-open byte range [start, end). */
struct pcs_range {
	uint64_t start, end;
};

/*
 * A set of byte ranges. pcs_rangeset_add() appends (merging with the last
 * range when they touch); pcs_rangeset_normalize() sorts and coalesces
 * overlapping and adjacent ranges.
 */
struct pcs_rangeset {
	struct pcs_range *v;
	size_t n, cap;
	size_t sorted_n; /* v[0..sorted_n) is normalized */
};

enum pcs_errcode pcs_rangeset_add(struct pcs_rangeset *rs, uint64_t start, uint64_t end,
				  struct pcs_error *err);
void pcs_rangeset_normalize(struct pcs_rangeset *rs);
/* Total bytes covered (after normalize). */
uint64_t pcs_rangeset_bytes(const struct pcs_rangeset *rs);
void pcs_rangeset_free(struct pcs_rangeset *rs);

struct pcs_recorder;

/* Optional backend translation, used when core's walker cannot translate an address. */
typedef enum pcs_errcode (*pcs_recorder_xlat_fn)(void *priv, uint64_t vaddr, uint64_t *paddr);

enum pcs_errcode pcs_recorder_new(struct pcs_recorder **out, struct pcs_error *err);
void pcs_recorder_free(struct pcs_recorder *r);

/* Make t record into r: t's ops and priv are saved in r and replaced. Once per r. */
void pcs_recorder_wrap(struct pcs_recorder *r, struct pcs_target *t);
void pcs_recorder_set_xlat(struct pcs_recorder *r, pcs_recorder_xlat_fn fn, void *priv);

/* Note a kernel virtual address translated outside the target (backend translation). */
void pcs_recorder_note_kvaddr(struct pcs_recorder *r, uint64_t vaddr);

/*
 * Translate the recorded virtual pages (t: the wrapped target) and normalize.
 * Addresses neither walker nor backend can translate are counted in *unmapped.
 */
enum pcs_errcode pcs_recorder_finish(struct pcs_recorder *r, const struct pcs_target *t,
				     uint64_t *unmapped, struct pcs_error *err);

/* The physical ranges recorded (page aligned, sorted, coalesced after finish). */
const struct pcs_range *pcs_recorder_ranges(const struct pcs_recorder *r, size_t *n);

#endif /* PCS_RECORDER_H */
