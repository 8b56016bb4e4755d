/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pcwatch capture record (capture-kmod/pcwatch_record.h, docs/capture-record.md):
 * read from a dump and decoded with every count and index checked against the
 * record's own capacities, so nothing a corrupt record says can take a reader out
 * of it. Version 2 (hit ring, per-hit stack and bytes, hardware-watchpoint ranges)
 * and version 1 (the first 4 hits, panic mode only) records decode into the same
 * view: a version 2 struct pcw_record plus the stored hits in order, oldest first.
 */
#ifndef PCS_CAPTURE_RECORD_H
#define PCS_CAPTURE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture-kmod/pcwatch_record.h"
#include "error.h"
#include "target.h"

/* bytes before hits[]: magic .. release (v1), .. reserved2 (v2) */
#define PCS_CAPTURE_V1_HDR_SIZE 152u
#define PCS_CAPTURE_HDR_SIZE	216u
/* sizeof(struct pcw_record) of each version */
#define PCS_CAPTURE_V1_SIZE 251448u
#define PCS_CAPTURE_V2_SIZE 340568u
#define PCS_CAPTURE_V1_HITS 4u

struct pcs_capture_record {
	uint64_t addr;		 /* virtual address it was read at (== raw->self) */
	uint32_t version;	 /* of the record in the dump: 1 or 2 */
	struct pcw_record *raw;	 /* own copy in the version 2 layout; strings NUL-terminated,
				    hits[].nr_stack at most PCW_HIT_STACK */
	uint32_t nr_files;	 /* files[] in use, <= PCW_MAX_FILES */
	uint32_t nr_pages;	 /* pages[] in use, <= PCW_MAX_PAGES */
	uint32_t nr_ranges;	 /* ranges[] in use, <= PCW_MAX_RANGES (v1: 0) */
	uint32_t nr_hits_stored; /* hits readable through pcs_capture_hit() */
	uint64_t nr_hits_seen;	 /* raw->nr_hits (v2 saturated: the highest stored seq) */
	/* v2: hits older than the ring's last max_hits; v1: hits beyond the first 4 */
	uint64_t nr_hits_overwritten;
	/* seen, neither overwritten nor stored: a ring slot not (yet) holding its hit */
	uint64_t nr_hits_lost;
	uint32_t nr_hits_bad; /* ring slots whose seq does not fit their position or the count */
	uint32_t order[PCW_MAX_HITS]; /* hits[] index of the i-th stored hit, oldest first */
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

/* Read the record at addr from the dump (magic and version first, then its size), decode it. */
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

/*
 * Where the record is (core/capture_find.c): the pcwatch module's symbol
 * pcwatch_record, else (unless symbol_only: a live kernel, where a log line may
 * name a module since unloaded) the last "pcwatch: record at 0x..." kernel log
 * line. *how says which, for messages. PCS_ERR_NOTFOUND with one line if neither.
 */
enum pcs_errcode pcs_capture_record_find(const struct pcs_target *t, bool symbol_only,
					 uint64_t *addr, const char **how, struct pcs_error *err);

/* The i-th stored hit, oldest first (i < nr_hits_stored), else NULL. */
const struct pcw_rec_hit *pcs_capture_hit(const struct pcs_capture_record *r, uint32_t i);

/* The page the i-th stored hit names (its slot), NULL if outside pages[] in use. */
const struct pcw_rec_page *pcs_capture_hit_page(const struct pcs_capture_record *r, uint32_t i);

/* The hwbp range the i-th stored hit names (its range), NULL if none or outside ranges[]. */
const struct pcw_rec_range *pcs_capture_hit_range(const struct pcs_capture_record *r, uint32_t i);

/* ranges[i] if i < nr_ranges, else NULL. */
const struct pcw_rec_range *pcs_capture_range(const struct pcs_capture_record *r, uint32_t i);

/* Path of files[file], "?" if file is outside files[] in use. */
const char *pcs_capture_file_path(const struct pcs_capture_record *r, uint32_t file);

/* Path of the file a page was armed from, "?" if its file index is outside files[] in use. */
const char *pcs_capture_page_path(const struct pcs_capture_record *r, const struct pcw_rec_page *p);

/* "armed", "disarmed", "stuck", else "empty". */
const char *pcs_capture_state_name(uint32_t state);

/* "panic", "log", "hwbp", else "unknown". */
const char *pcs_capture_mode_name(uint32_t mode);

#endif /* PCS_CAPTURE_RECORD_H */
