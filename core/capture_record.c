// SPDX-License-Identifier: GPL-2.0-or-later
/* Decoding the pcwatch capture record, versions 1 and 2; see capture_record.h. */
#include "capture_record.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the pcwatch record is little-endian and is decoded in place: little-endian hosts only"
#endif

_Static_assert(offsetof(struct pcw_record, max_ranges) == PCS_CAPTURE_V1_HDR_SIZE, "v1 header");
_Static_assert(offsetof(struct pcw_record, hits) == PCS_CAPTURE_HDR_SIZE, "record header");
_Static_assert(sizeof(struct pcw_record) == PCS_CAPTURE_V2_SIZE,
	       "record size (docs/capture-record.md)");
_Static_assert(sizeof(struct pcw_rec_hit) == 1128, "pcw_rec_hit");
_Static_assert(sizeof(struct pcw_rec_page) == 128, "pcw_rec_page");
_Static_assert(sizeof(struct pcw_rec_range) == 88, "pcw_rec_range");
_Static_assert(sizeof(struct pcw_rec_file) == 288, "pcw_rec_file");

/*
 * Version 1 (docs/capture-record.md): the same header up to release, 4 hits of
 * the first 232 bytes of today's pcw_rec_hit, the same files, pages without
 * mode/reserved (120 bytes).
 */
#define V1_HIT_SIZE  offsetof(struct pcw_rec_hit, seq)
#define V1_PAGE_SIZE offsetof(struct pcw_rec_page, mode)
#define V1_FILES     (PCS_CAPTURE_V1_HDR_SIZE + PCS_CAPTURE_V1_HITS * V1_HIT_SIZE)
#define V1_PAGES     (V1_FILES + PCW_MAX_FILES * sizeof(struct pcw_rec_file))
_Static_assert(V1_HIT_SIZE == 232 && V1_PAGE_SIZE == 120, "v1 hit and page");
_Static_assert(V1_FILES == 1080 && V1_PAGES == 5688, "v1 offsets");
_Static_assert(V1_PAGES + PCW_MAX_PAGES * V1_PAGE_SIZE == PCS_CAPTURE_V1_SIZE, "v1 size");

static void terminate(char *s, size_t n)
{
	s[n - 1] = '\0';
}

static uint32_t layout_size(uint32_t version)
{
	return version == 1 ? PCS_CAPTURE_V1_SIZE : version == 2 ? PCS_CAPTURE_V2_SIZE : 0;
}

static enum pcs_errcode check_counts(const struct pcw_record *r, uint32_t version, uint64_t addr,
				     struct pcs_error *err)
{
	static const char *const name[] = {"max_pages", "max_files", "max_hits", "max_ranges"};
	const uint32_t have[] = {r->max_pages, r->max_files, r->max_hits, r->max_ranges};
	const uint32_t want[] = {PCW_MAX_PAGES, PCW_MAX_FILES,
				 version == 1 ? PCS_CAPTURE_V1_HITS : PCW_MAX_HITS, PCW_MAX_RANGES};

	for (int i = 0; i < (version == 1 ? 3 : 4); i++)
		if (have[i] != want[i])
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "pcwatch record at 0x%" PRIx64
					     ": %s is %u, the version %u layout has %u",
					     addr, name[i], have[i], version, want[i]);
	if (r->nr_pages > r->max_pages)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     ": nr_pages %u exceeds max_pages %u",
				     addr, r->nr_pages, r->max_pages);
	if (r->nr_files > r->max_files)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     ": nr_files %u exceeds max_files %u",
				     addr, r->nr_files, r->max_files);
	if (version >= 2 && r->nr_ranges > r->max_ranges)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     ": nr_ranges %u exceeds max_ranges %u",
				     addr, r->nr_ranges, r->max_ranges);
	/* v2: armed ranges may be counted with the armed pages */
	if (r->nr_armed > r->nr_pages + (version >= 2 ? r->nr_ranges : 0))
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64 ": nr_armed %u exceeds %s %u",
				     addr, r->nr_armed,
				     version >= 2 ? "nr_pages + nr_ranges" : "nr_pages",
				     r->nr_pages + (version >= 2 ? r->nr_ranges : 0));
	return PCS_OK;
}

/* A version 1 record (len >= PCS_CAPTURE_V1_SIZE) into the version 2 layout at r (zeroed). */
static void convert_v1(const unsigned char *v1, struct pcw_record *r)
{
	memcpy(r, v1, PCS_CAPTURE_V1_HDR_SIZE);
	for (uint32_t i = 0; i < PCS_CAPTURE_V1_HITS; i++) {
		struct pcw_rec_hit *h = &r->hits[i];

		memcpy(h, v1 + PCS_CAPTURE_V1_HDR_SIZE + i * V1_HIT_SIZE, V1_HIT_SIZE);
		h->seq = i + 1;
		h->mode = PCW_MODE_PANIC;
		h->range = PCW_NONE;
	}
	memcpy(r->files, v1 + V1_FILES, sizeof(r->files));
	for (uint32_t i = 0; i < PCW_MAX_PAGES; i++) {
		memcpy(&r->pages[i], v1 + V1_PAGES + i * V1_PAGE_SIZE, V1_PAGE_SIZE);
		r->pages[i].mode = PCW_MODE_PANIC;
	}
}

static void order_v1(struct pcs_capture_record *out)
{
	const struct pcw_record *r = out->raw;

	out->nr_hits_seen = r->nr_hits;
	out->nr_hits_stored = r->nr_hits < r->max_hits ? r->nr_hits : r->max_hits;
	out->nr_hits_overwritten = r->nr_hits - out->nr_hits_stored;
	for (uint32_t i = 0; i < out->nr_hits_stored; i++)
		out->order[i] = i;
}

/*
 * v2 ring: hit n (1-based) is in hits[(n - 1) % max_hits]. The stored hits are the
 * slots whose seq fits their position and lies in the last max_hits of the count
 * (a saturated count: of the highest such seq), ordered by seq.
 */
static void order_v2(struct pcs_capture_record *out)
{
	const struct pcw_record *r = out->raw;
	const uint64_t max = PCW_MAX_HITS;
	uint64_t top = r->nr_hits;
	uint32_t n = 0;

	if (r->nr_hits == PCW_NONE) {
		top = 0;
		for (uint32_t i = 0; i < max; i++) {
			uint64_t s = r->hits[i].seq;

			if (s && (s - 1) % max == i && s > top)
				top = s;
		}
		if (top < PCW_NONE)
			top = PCW_NONE;
	}
	out->nr_hits_seen = top;
	out->nr_hits_overwritten = top > max ? top - max : 0;
	/* walk the window oldest first: seq first .. top */
	for (uint64_t k = 0; k < top - out->nr_hits_overwritten; k++) {
		uint64_t s = out->nr_hits_overwritten + 1 + k;
		uint32_t i = (uint32_t)((s - 1) % max);

		if (r->hits[i].seq == s)
			out->order[n++] = i;
	}
	for (uint32_t i = 0; i < max; i++) {
		uint64_t s = r->hits[i].seq;

		if (s && !(s > out->nr_hits_overwritten && s <= top && (s - 1) % max == i))
			out->nr_hits_bad++;
	}
	out->nr_hits_stored = n;
	out->nr_hits_lost = top - out->nr_hits_overwritten - n;
}

enum pcs_errcode pcs_capture_record_parse(const void *buf, size_t len, uint64_t addr,
					  const char *how, struct pcs_capture_record *out,
					  struct pcs_error *err)
{
	struct pcw_record hdr = {0};
	enum pcs_errcode rc;
	uint32_t want;

	memset(out, 0, sizeof(*out));
	if (len < PCS_CAPTURE_V1_HDR_SIZE)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64 ": %zu bytes, shorter than its "
				     "%u-byte header",
				     addr, len, PCS_CAPTURE_V1_HDR_SIZE);
	memcpy(&hdr, buf, PCS_CAPTURE_V1_HDR_SIZE);
	if (hdr.magic[0] != PCW_MAGIC0 || hdr.magic[1] != PCW_MAGIC1)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     " (found by %s) has a bad magic",
				     addr, how ? how : "address");
	if (hdr.self != addr)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64 ": self is 0x%" PRIx64
				     " (stale copy?)",
				     addr, hdr.self);
	want = layout_size(hdr.version);
	if (!want || hdr.size != want)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "pcwatch record version %u size %u; this pcsleuth reads "
				     "version 1 size %u and version 2 size %u",
				     hdr.version, hdr.size, PCS_CAPTURE_V1_SIZE,
				     PCS_CAPTURE_V2_SIZE);
	if (len < want)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64 ": %zu bytes of its %u", addr,
				     len, hdr.size);
	if (hdr.version >= 2)
		memcpy(&hdr, buf, PCS_CAPTURE_HDR_SIZE);
	if ((rc = check_counts(&hdr, hdr.version, addr, err)))
		return rc;

	struct pcw_record *r = calloc(1, sizeof(*r));

	if (!r)
		return pcs_error_set(err, PCS_ERR_NOMEM, "pcwatch record: out of memory");
	if (hdr.version == 1)
		convert_v1(buf, r);
	else
		memcpy(r, buf, sizeof(*r));
	terminate(r->release, sizeof(r->release));
	for (uint32_t i = 0; i < PCW_MAX_FILES; i++)
		terminate(r->files[i].path, sizeof(r->files[i].path));
	for (uint32_t i = 0; i < PCW_MAX_HITS; i++) {
		struct pcw_rec_hit *h = &r->hits[i];

		terminate(h->comm, sizeof(h->comm));
		terminate(h->pc_sym, sizeof(h->pc_sym));
		if (h->nr_stack > PCW_HIT_STACK)
			h->nr_stack = PCW_HIT_STACK;
		for (uint32_t j = 0; j < PCW_HIT_STACK; j++)
			terminate(h->stack_sym[j], sizeof(h->stack_sym[j]));
	}
	out->addr = addr;
	out->version = hdr.version;
	out->raw = r;
	out->nr_files = r->nr_files;
	out->nr_pages = r->nr_pages;
	out->nr_ranges = hdr.version >= 2 ? r->nr_ranges : 0;
	if (hdr.version == 1)
		order_v1(out);
	else
		order_v2(out);
	return PCS_OK;
}

/*
 * The record's bytes at addr (magic checked first: a short read of foreign memory;
 * then version and size): *buf is malloc'ed, *size the record's.
 */
static enum pcs_errcode read_raw(const struct pcs_target *t, uint64_t addr, const char *how,
				 unsigned char **buf, size_t *size, struct pcs_error *err)
{
	uint64_t magic[2];
	uint32_t vs[2];
	enum pcs_errcode rc;

	*buf = NULL;
	if ((rc = pcs_read(t, PCS_KVADDR, addr, magic, sizeof(magic), err))) {
		pcs_error_wrap(err, "pcwatch record at 0x%" PRIx64, addr);
		return rc;
	}
	if (magic[0] != PCW_MAGIC0 || magic[1] != PCW_MAGIC1)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     " (found by %s) has a bad magic",
				     addr, how ? how : "address");
	if ((rc = pcs_read(t, PCS_KVADDR, addr + 16, vs, sizeof(vs), err))) {
		pcs_error_wrap(err, "pcwatch record at 0x%" PRIx64, addr);
		return rc;
	}
	*size = layout_size(vs[0]);
	if (!*size || vs[1] != *size)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "pcwatch record version %u size %u; this pcsleuth reads "
				     "version 1 size %u and version 2 size %u",
				     vs[0], vs[1], PCS_CAPTURE_V1_SIZE, PCS_CAPTURE_V2_SIZE);
	if (!(*buf = malloc(*size)))
		return pcs_error_set(err, PCS_ERR_NOMEM,
				     "reading the pcwatch record: out of memory");
	if ((rc = pcs_read(t, PCS_KVADDR, addr, *buf, *size, err))) {
		pcs_error_wrap(err, "reading the pcwatch record");
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

enum pcs_errcode pcs_capture_record_read(const struct pcs_target *t, uint64_t addr, const char *how,
					 struct pcs_capture_record *out, struct pcs_error *err)
{
	return pcs_capture_record_read_stable(t, addr, how, 1, out, err);
}

enum pcs_errcode pcs_capture_record_read_stable(const struct pcs_target *t, uint64_t addr,
						const char *how, int attempts,
						struct pcs_capture_record *out,
						struct pcs_error *err)
{
	unsigned char *prev = NULL, *cur = NULL;
	size_t psize = 0, size = 0;
	enum pcs_errcode rc;
	int n = 1;

	memset(out, 0, sizeof(*out));
	rc = read_raw(t, addr, how, &cur, &size, err);
	/* attempts > 1: until two consecutive copies are the same bytes */
	while (!rc && attempts > 1) {
		free(prev);
		prev = cur;
		psize = size;
		if ((rc = read_raw(t, addr, how, &cur, &size, err)))
			break;
		if (psize == size && !memcmp(prev, cur, size))
			break;
		if (++n >= attempts) {
			rc = pcs_error_set(err, PCS_ERR_CORRUPT,
					   "pcwatch record at 0x%" PRIx64
					   " changed between each of %d reads (hits being "
					   "recorded?)",
					   addr, attempts);
			break;
		}
	}
	if (!rc)
		rc = pcs_capture_record_parse(cur, size, addr, how, out, err);
	free(prev);
	free(cur);
	return rc;
}

void pcs_capture_record_free(struct pcs_capture_record *r)
{
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

const struct pcw_rec_hit *pcs_capture_hit(const struct pcs_capture_record *r, uint32_t i)
{
	return r->raw && i < r->nr_hits_stored ? &r->raw->hits[r->order[i]] : NULL;
}

const struct pcw_rec_page *pcs_capture_hit_page(const struct pcs_capture_record *r, uint32_t i)
{
	const struct pcw_rec_hit *h = pcs_capture_hit(r, i);

	return h && h->slot < r->nr_pages ? &r->raw->pages[h->slot] : NULL;
}

const struct pcw_rec_range *pcs_capture_hit_range(const struct pcs_capture_record *r, uint32_t i)
{
	const struct pcw_rec_hit *h = pcs_capture_hit(r, i);

	return h ? pcs_capture_range(r, h->range) : NULL;
}

const struct pcw_rec_range *pcs_capture_range(const struct pcs_capture_record *r, uint32_t i)
{
	return r->raw && i < r->nr_ranges ? &r->raw->ranges[i] : NULL;
}

const char *pcs_capture_file_path(const struct pcs_capture_record *r, uint32_t file)
{
	return r->raw && file < r->nr_files ? r->raw->files[file].path : "?";
}

const char *pcs_capture_page_path(const struct pcs_capture_record *r, const struct pcw_rec_page *p)
{
	return p ? pcs_capture_file_path(r, p->file) : "?";
}

const char *pcs_capture_state_name(uint32_t state)
{
	switch (state) {
	case PCW_ARMED: return "armed";
	case PCW_DISARMED: return "disarmed";
	case PCW_STUCK: return "stuck";
	default: return "empty";
	}
}

const char *pcs_capture_mode_name(uint32_t mode)
{
	switch (mode) {
	case PCW_MODE_PANIC: return "panic";
	case PCW_MODE_LOG: return "log";
	case PCW_MODE_HWBP: return "hwbp";
	default: return "unknown";
	}
}
