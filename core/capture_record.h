/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pcwatch capture record (capture-kmod/pcwatch_record.h, docs/capture-record.md):
 * read from a dump and decoded with every count and index checked against the
 * record's own capacities, so nothing a corrupt record says can take a reader out
 * of it.
 */
#ifndef PCS_CAPTURE_RECORD_H
#define PCS_CAPTURE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "../capture-kmod/pcwatch_record.h"
#include "error.h"
#include "target.h"

/* bytes before hits[]: magic .. release */
#define PCS_CAPTURE_HDR_SIZE 152u

struct pcs_capture_record {
	uint64_t addr;		 /* virtual address it was read at (== raw->self) */
	struct pcw_record *raw;	 /* own copy; every string NUL-terminated */
	uint32_t nr_files;	 /* files[] in use, <= PCW_MAX_FILES */
	uint32_t nr_pages;	 /* pages[] in use, <= PCW_MAX_PAGES */
	uint32_t nr_hits_stored; /* hits[] filled: min(nr_hits, max_hits) */
};

/*
 * Decode len bytes of a record that sits at virtual address addr (found by how,
 * for messages; may be NULL). PCS_ERR_CORRUPT: too short, bad magic, self is not
 * addr, counts beyond the capacities; PCS_ERR_UNSUPPORTED: another version or size.
 * On success *out owns a copy (pcs_capture_record_free).
 */
enum pcs_errcode pcs_capture_record_parse(const void *buf, size_t len, uint64_t addr,
					  const char *how, struct pcs_capture_record *out,
					  struct pcs_error *err);

/* Read the record at addr from the dump (magic first, then the whole record), decode it. */
enum pcs_errcode pcs_capture_record_read(const struct pcs_target *t, uint64_t addr, const char *how,
					 struct pcs_capture_record *out, struct pcs_error *err);

/*
 * The running kernel's record, which pcwatch may change while it is read (a hit's
 * counter is raised before the hit is stored): read it until two consecutive copies
 * are the same bytes, at most attempts reads, and decode that copy. PCS_ERR_CORRUPT
 * if it changed between every two. attempts 1 is pcs_capture_record_read().
 */
enum pcs_errcode pcs_capture_record_read_stable(const struct pcs_target *t, uint64_t addr,
						const char *how, int attempts,
						struct pcs_capture_record *out,
						struct pcs_error *err);

void pcs_capture_record_free(struct pcs_capture_record *r);

/* The page a stored hit names (hits[i].slot), NULL if outside pages[] in use. */
const struct pcw_rec_page *pcs_capture_hit_page(const struct pcs_capture_record *r, uint32_t i);

/* Path of the file a page was armed from, "?" if its file index is outside files[] in use. */
const char *pcs_capture_page_path(const struct pcs_capture_record *r, const struct pcw_rec_page *p);

/* "armed", "disarmed", "stuck", else "empty". */
const char *pcs_capture_state_name(uint32_t state);

#endif /* PCS_CAPTURE_RECORD_H */
