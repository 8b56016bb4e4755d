/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hex + ASCII dump of a buffer (one page, usually) to a FILE* - stdout for the
 * standalone tool, crash's fp in the extension. With a reference buffer, bytes that
 * differ are marked: ANSI reverse-red when colour is on, otherwise a '*' after each
 * differing byte and a marker column at the end of the line.
 *
 *   ffff000012345000: 48 65 6c 6c 6f 00 00 00 ...  Hello...
 */
#ifndef PCS_HEXDUMP_H
#define PCS_HEXDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcs_hexdump_opts {
	uint64_t base;	      /* address printed for offset 0 */
	const void *ref;      /* NULL: no diff marks */
	bool colour;	      /* ANSI colours (caller decides, e.g. isatty()) */
	bool only_diff;	      /* print only lines with differences (plus context) */
	unsigned int context; /* with only_diff: equal lines shown around them */
	bool show_ref;	      /* with ref: print the reference line under a differing one */
};

/* Dump len bytes of buf; opts may be NULL. Returns the number of differing bytes. */
size_t pcs_hexdump(FILE *fp, const void *buf, size_t len, const struct pcs_hexdump_opts *opts);

#endif /* PCS_HEXDUMP_H */
