/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compare the cached pages of one file (an address_space) with a reference copy,
 * page by page, reporting every differing byte range.
 *
 * The reference is a callback, so the same comparison serves a file on the host,
 * a file inside an ext4 image or a tar archive (core/refsrc.h) or, live, the file
 * read with O_DIRECT. Pages the dump does not hold, inconsistent slots and
 * unreadable entries are counted, never compared.
 *
 *	struct pcs_verify_cb cb = { .diff = print_diff, .arg = out };
 *	pcs_verify_mapping(&k, mapping, read_ref_page, reffile, &cb, &stats, &err);
 */
#ifndef PCS_VERIFY_H
#define PCS_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "kernel.h"
#include "pagecache.h"

/*
 * Read page index (page_size bytes) of the reference into buf; bytes past EOF
 * are zero. *got: bytes the reference really has there (0: past its end).
 */
typedef enum pcs_errcode (*pcs_ref_page_fn)(void *ref, uint64_t index, uint32_t page_size,
					    void *buf, size_t *got, struct pcs_error *err);

/* One differing byte range of one page. */
struct pcs_verify_diff {
	uint64_t index;	      /* page index in the file */
	uint32_t offset;      /* byte offset inside the page */
	uint64_t file_offset; /* index * page_size + offset */
	uint32_t length;
	const uint8_t *vmcore; /* length bytes as cached */
	const uint8_t *ref;    /* length bytes of the reference */
	const struct pcs_page_row *row;
};

/* What became of a cached page. */
enum pcs_verify_verdict {
	PCS_VERIFY_MATCH,
	PCS_VERIFY_DIFFERS,
	PCS_VERIFY_BEYOND_EOF,	  /* cached, but the reference ends before this page */
	PCS_VERIFY_EXCLUDED,	  /* the dump does not hold the page */
	PCS_VERIFY_INCONSISTENT,  /* the slot does not belong to this file (see row->why) */
	PCS_VERIFY_ERROR,	  /* entry unusable or unreadable (row->why) */
	PCS_VERIFY_REF_UNREADABLE /* the reference could not be read there */
};

struct pcs_verify_stats {
	uint64_t cached; /* pages with an entry in the tree (not holes, not shadows) */
	uint64_t compared, matching, differing, beyond_eof;
	uint64_t excluded, inconsistent, errors, ref_unreadable;
	uint64_t ranges, bytes;	 /* differing byte ranges and bytes */
	uint64_t nrpages;	 /* address_space.nrpages */
	uint64_t reread_matched; /* cb->reread: differed, matched when read again */
};

struct pcs_verify_cb {
	/* every differing range, in file order (may be NULL); nonzero stops */
	int (*diff)(const struct pcs_verify_diff *d, void *arg);
	/* every cached page that did not match, with its verdict (may be NULL) */
	int (*page)(const struct pcs_page_row *row, enum pcs_verify_verdict v, void *arg);
	void *arg;
	size_t merge_gap; /* 0: PCS_DIFF_MERGE_GAP_DEFAULT */
	/*
	 * Live memory: a page that differs is read again (memory at row->paddr and
	 * the reference) and only what still differs is reported; a page that then
	 * matches counts in stats->reread_matched.
	 */
	bool reread;
};

/*
 * Compare every cached page of the address_space at mapping with ref. stats is
 * filled even when a callback stops the walk. Fails only when the tree itself
 * cannot be walked.
 */
enum pcs_errcode pcs_verify_mapping(const struct pcs_kernel *k, uint64_t mapping,
				    pcs_ref_page_fn ref, void *refarg,
				    const struct pcs_verify_cb *cb, struct pcs_verify_stats *stats,
				    struct pcs_error *err);

/*
 * The same for the indices [first, first + count) only (count 0: to the end), so
 * that one file can be compared in pieces (core/worksplit.h): the pieces' callbacks
 * and stats, taken in index order, are those of the whole walk.
 */
enum pcs_errcode pcs_verify_mapping_range(const struct pcs_kernel *k, uint64_t mapping,
					  uint64_t first, uint64_t count, pcs_ref_page_fn ref,
					  void *refarg, const struct pcs_verify_cb *cb,
					  struct pcs_verify_stats *stats, struct pcs_error *err);

/* "match", "differs", "beyond-eof", "excluded", "inconsistent", "error", "ref-unreadable". */
const char *pcs_verify_verdict_name(enum pcs_verify_verdict v);

#endif /* PCS_VERIFY_H */
