/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one JSON schema both front ends emit (json-c objects; never printf JSON).
 * Addresses are strings "0x..." (64-bit values do not survive JSON numbers in
 * most readers); indices, offsets, pfns and counts are integers.
 *
 * page row:  {"index":0,"offset":0,"page":"0x...","pfn":123,"paddr":"0x...",
 *             "vaddr":"0x...","folio":"0x...","folio_order":0,"status":"present",
 *             "hash":"d41d8cd98f00b204e9800998ecf8427e",
 *             "ref":"match"|"differs"|"beyond-eof",
 *             "diffs":[{"offset":16,"length":4,"vmcore":"deadbeef","ref":"00000000"}]}
 *             ("hash" only with a digest; "entry":"0x..." for shadow/error/inconsistent
 *              rows; "why" for error/excluded/inconsistent rows; an inconsistent row's
 *              "page"/"pfn" are the slot's, not this file's; "ref"/"diffs" only after a
 *              comparison)
 * summary:   {"hash_algo":"md5","nrpages":N,"rows":N,"present":N,"excluded":N,
 *             "not_cached":N,"shadow":N,"errors":N,"inconsistent":N,"folios":N,
 *             "large_folios":N,"differing":N}
 * error:     {"error":"nodata","message":"..."}
 */
#ifndef PCS_JSON_H
#define PCS_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "diff.h"
#include "error.h"
#include "pagecache.h"

/* "0x%llx" string object. */
struct json_object *pcs_json_addr(uint64_t addr);

/* Bytes as a lower-case hex string object ("00ff..."). */
struct json_object *pcs_json_hex(const uint8_t *p, size_t n);

/* A page row (see above). */
struct json_object *pcs_json_page_row(const struct pcs_page_row *row);

/* Record a comparison on a row object: "ref" = "match"/"differs"/"beyond-eof". */
void pcs_json_row_set_ref(struct json_object *row, const char *verdict);

/* Append one differing range to row["diffs"] (created on first use). */
void pcs_json_row_add_diff(struct json_object *row, const struct pcs_diff_range *r);

/* Summary; differing < 0 omits "differing" (no reference given). */
struct json_object *pcs_json_summary(const struct pcs_pagecache_summary *s, enum pcs_hash_algo algo,
				     int64_t differing);

/* {"error": pcs_errcode_name(code), "message": msg}. */
struct json_object *pcs_json_error(const struct pcs_error *err);

#endif /* PCS_JSON_H */
