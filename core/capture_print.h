/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The listing of a decoded pcwatch capture record, one printer for pcsleuth
 * report and crash's pcwatch command: the record, its files, hardware-watchpoint
 * ranges, watched pages whose content changed since arming, and every stored hit
 * oldest first (seq, time, mode, cpu, task, address -> pfn -> file + index, the
 * writer's pc/lr resolved from the dump, recorded stack, bytes before -> after),
 * with the counts of hits overwritten, lost and not printed; text or JSON
 * (core/jsonw.h). docs/capture-record.md describes the fields.
 */
#ifndef PCS_CAPTURE_PRINT_H
#define PCS_CAPTURE_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "capture_record.h"
#include "jsonw.h"
#include "symbolize.h"
#include "target.h"

struct pcs_capture_print {
	const struct pcs_target *t; /* the dump: pc/lr symbols, watched pages' content */
	pcs_ksym_fn kfn;	    /* kernel-image symbols of the front end (may be NULL) */
	void *karg;
	const char *how;  /* how the record was found */
	bool live;	  /* a running kernel: "so far", "unreadable" */
	bool check_pages; /* hash every watched page against its arm-time md5 */
};

/* The listing as text on fp. */
void pcs_capture_print_text(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			    FILE *fp);

/* Members "record" (object) and "hits" (array, oldest first) of w's open object. */
void pcs_capture_print_json(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			    struct pcs_jsonw *w);

/*
 * One sentence on the oldest stored hit ("FUNC wrote into the page cache of PATH:
 * page N, file offset 0x... (task T, pid P)"), "" when no hit is stored.
 */
void pcs_capture_verdict(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			 char *buf, size_t len);

#endif /* PCS_CAPTURE_PRINT_H */
