// SPDX-License-Identifier: GPL-2.0-or-later
/* The shared JSON schema (see json.h), built with json-c. */
#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct json_object *pcs_json_addr(uint64_t addr)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return json_object_new_string(buf);
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

struct json_object *pcs_json_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	struct json_object *s;
	char *buf = malloc(2 * n + 1);

	if (!buf)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 15];
	}
	buf[2 * n] = '\0';
	s = json_object_new_string(buf);
	free(buf);
	return s;
}

struct json_object *pcs_json_page_row(const struct pcs_page_row *row)
{
	struct json_object *o = json_object_new_object();
	bool located = row->status == PCS_PAGE_PRESENT || row->status == PCS_PAGE_EXCLUDED;

	if (!o)
		return NULL;
	add(o, "index", json_object_new_uint64(row->index));
	add(o, "offset", json_object_new_uint64(row->offset));
	if (row->page)
		add(o, "page", pcs_json_addr(row->page));
	if (row->status == PCS_PAGE_INCONSISTENT && row->pfn)
		add(o, "pfn", json_object_new_uint64(row->pfn));
	if (located) {
		add(o, "pfn", json_object_new_uint64(row->pfn));
		add(o, "paddr", pcs_json_addr(row->paddr));
		if (row->vaddr)
			add(o, "vaddr", pcs_json_addr(row->vaddr));
	}
	if (row->folio) {
		add(o, "folio", pcs_json_addr(row->folio));
		add(o, "folio_order", json_object_new_int((int)row->folio_order));
	}
	add(o, "status", json_object_new_string(pcs_page_status_name(row->status)));
	if (row->digest.len) {
		char hex[2 * PCS_DIGEST_MAX + 1];

		pcs_digest_hex(&row->digest, hex);
		add(o, "hash", json_object_new_string(hex));
	}
	if (row->status == PCS_PAGE_SHADOW || row->status == PCS_PAGE_ERROR ||
	    row->status == PCS_PAGE_INCONSISTENT)
		add(o, "entry", pcs_json_addr(row->entry));
	if (row->why && (row->status == PCS_PAGE_ERROR || row->status == PCS_PAGE_EXCLUDED ||
			 row->status == PCS_PAGE_INCONSISTENT))
		add(o, "why", json_object_new_string(row->why));
	return o;
}

void pcs_json_row_set_ref(struct json_object *row, const char *verdict)
{
	add(row, "ref", json_object_new_string(verdict));
}

void pcs_json_row_add_diff(struct json_object *row, const struct pcs_diff_range *r)
{
	struct json_object *diffs, *d;

	if (!json_object_object_get_ex(row, "diffs", &diffs)) {
		diffs = json_object_new_array();
		add(row, "diffs", diffs);
	}
	d = json_object_new_object();
	add(d, "offset", json_object_new_uint64(r->off));
	add(d, "length", json_object_new_uint64(r->len));
	add(d, "vmcore", pcs_json_hex(r->vmcore, r->len));
	add(d, "ref", pcs_json_hex(r->ref, r->len));
	json_object_array_add(diffs, d);
}

struct json_object *pcs_json_summary(const struct pcs_pagecache_summary *s, enum pcs_hash_algo algo,
				     int64_t differing)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add(o, "hash_algo", json_object_new_string(pcs_hash_name(algo)));
	add(o, "nrpages", json_object_new_uint64(s->nrpages));
	add(o, "rows", json_object_new_uint64(s->rows));
	add(o, "present", json_object_new_uint64(s->present));
	add(o, "excluded", json_object_new_uint64(s->excluded));
	add(o, "not_cached", json_object_new_uint64(s->not_cached));
	add(o, "shadow", json_object_new_uint64(s->shadow));
	add(o, "errors", json_object_new_uint64(s->errors));
	add(o, "inconsistent", json_object_new_uint64(s->inconsistent));
	add(o, "folios", json_object_new_uint64(s->folios));
	add(o, "large_folios", json_object_new_uint64(s->large_folios));
	if (differing >= 0)
		add(o, "differing", json_object_new_int64(differing));
	return o;
}

struct json_object *pcs_json_error(const struct pcs_error *err)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	add(o, "error", json_object_new_string(pcs_errcode_name(err->code)));
	add(o, "message", json_object_new_string(err->msg));
	return o;
}
