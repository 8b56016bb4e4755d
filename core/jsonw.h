/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A streaming JSON writer on a FILE (no json-c): for output both front ends must
 * print byte for byte the same, including the crash extension, which does not
 * link json-c. Strings are escaped (RFC 8259); addresses are "0x..." strings,
 * like core/json.h. Pretty-printed, two spaces per level.
 *
 *	struct pcs_jsonw w;
 *	pcs_jsonw_init(&w, fp);
 *	pcs_jsonw_begin_object(&w, NULL);
 *	pcs_jsonw_addr(&w, "paddr", pa);
 *	pcs_jsonw_end_object(&w);
 */
#ifndef PCS_JSONW_H
#define PCS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PCS_JSONW_MAX_DEPTH 32

struct pcs_jsonw {
	FILE *fp;
	unsigned int depth;
	bool has_items[PCS_JSONW_MAX_DEPTH]; /* a comma is due before the next item */
};

void pcs_jsonw_init(struct pcs_jsonw *w, FILE *fp);
/* key is NULL for array elements and the top-level value. */
void pcs_jsonw_begin_object(struct pcs_jsonw *w, const char *key);
void pcs_jsonw_end_object(struct pcs_jsonw *w);
void pcs_jsonw_begin_array(struct pcs_jsonw *w, const char *key);
void pcs_jsonw_end_array(struct pcs_jsonw *w);
void pcs_jsonw_string(struct pcs_jsonw *w, const char *key, const char *s);
void pcs_jsonw_u64(struct pcs_jsonw *w, const char *key, uint64_t v);
void pcs_jsonw_i64(struct pcs_jsonw *w, const char *key, int64_t v);
void pcs_jsonw_bool(struct pcs_jsonw *w, const char *key, bool v);
void pcs_jsonw_null(struct pcs_jsonw *w, const char *key);
/* "0x%llx" string. */
void pcs_jsonw_addr(struct pcs_jsonw *w, const char *key, uint64_t v);

#endif /* PCS_JSONW_H */
