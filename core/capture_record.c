// SPDX-License-Identifier: GPL-2.0-or-later
/* Decoding the pcwatch capture record; see capture_record.h. */
#include "capture_record.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the pcwatch record is little-endian and is decoded in place: little-endian hosts only"
#endif

_Static_assert(offsetof(struct pcw_record, hits) == PCS_CAPTURE_HDR_SIZE, "record header");
_Static_assert(sizeof(struct pcw_record) == 251448, "record size (docs/capture-record.md)");

static void terminate(char *s, size_t n)
{
	s[n - 1] = '\0';
}

static enum pcs_errcode check_counts(const struct pcw_record *r, uint64_t addr,
				     struct pcs_error *err)
{
	static const char *const name[] = {"max_pages", "max_files", "max_hits"};
	const uint32_t have[] = {r->max_pages, r->max_files, r->max_hits};
	const uint32_t want[] = {PCW_MAX_PAGES, PCW_MAX_FILES, PCW_MAX_HITS};

	for (int i = 0; i < 3; i++)
		if (have[i] != want[i])
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "pcwatch record at 0x%" PRIx64
					     ": %s is %u, the version %u layout has %u",
					     addr, name[i], have[i], PCW_RECORD_VERSION, want[i]);
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
	if (r->nr_armed > r->nr_pages)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     ": nr_armed %u exceeds nr_pages %u",
				     addr, r->nr_armed, r->nr_pages);
	return PCS_OK;
}

enum pcs_errcode pcs_capture_record_parse(const void *buf, size_t len, uint64_t addr,
					  const char *how, struct pcs_capture_record *out,
					  struct pcs_error *err)
{
	struct pcw_record hdr;
	enum pcs_errcode rc;

	memset(out, 0, sizeof(*out));
	if (len < PCS_CAPTURE_HDR_SIZE)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64 ": %zu bytes, shorter than its "
				     "%u-byte header",
				     addr, len, PCS_CAPTURE_HDR_SIZE);
	memcpy(&hdr, buf, PCS_CAPTURE_HDR_SIZE);
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
	if (hdr.size != sizeof(struct pcw_record) || hdr.version != PCW_RECORD_VERSION)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "pcwatch record version %u size %u; this pcsleuth reads "
				     "version %u size %zu",
				     hdr.version, hdr.size, PCW_RECORD_VERSION,
				     sizeof(struct pcw_record));
	if (len < sizeof(struct pcw_record))
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64 ": %zu bytes of its %u", addr,
				     len, hdr.size);
	if ((rc = check_counts(&hdr, addr, err)))
		return rc;

	struct pcw_record *r = malloc(sizeof(*r));

	if (!r)
		return pcs_error_set(err, PCS_ERR_NOMEM, "pcwatch record: out of memory");
	memcpy(r, buf, sizeof(*r));
	terminate(r->release, sizeof(r->release));
	for (uint32_t i = 0; i < PCW_MAX_FILES; i++)
		terminate(r->files[i].path, sizeof(r->files[i].path));
	for (uint32_t i = 0; i < PCW_MAX_HITS; i++) {
		terminate(r->hits[i].comm, sizeof(r->hits[i].comm));
		terminate(r->hits[i].pc_sym, sizeof(r->hits[i].pc_sym));
	}
	out->addr = addr;
	out->raw = r;
	out->nr_files = r->nr_files;
	out->nr_pages = r->nr_pages;
	out->nr_hits_stored = r->nr_hits < r->max_hits ? r->nr_hits : r->max_hits;
	return PCS_OK;
}

/* The record's bytes at addr into buf (magic checked first: a short read of foreign memory). */
static enum pcs_errcode read_raw(const struct pcs_target *t, uint64_t addr, const char *how,
				 void *buf, struct pcs_error *err)
{
	uint64_t magic[2];
	enum pcs_errcode rc;

	if ((rc = pcs_read(t, PCS_KVADDR, addr, magic, sizeof(magic), err))) {
		pcs_error_wrap(err, "pcwatch record at 0x%" PRIx64, addr);
		return rc;
	}
	if (magic[0] != PCW_MAGIC0 || magic[1] != PCW_MAGIC1)
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "pcwatch record at 0x%" PRIx64
				     " (found by %s) has a bad magic",
				     addr, how ? how : "address");
	if ((rc = pcs_read(t, PCS_KVADDR, addr, buf, sizeof(struct pcw_record), err)))
		pcs_error_wrap(err, "reading the pcwatch record");
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
	const size_t size = sizeof(struct pcw_record);
	unsigned char *prev, *cur;
	enum pcs_errcode rc;
	int n = 1;

	memset(out, 0, sizeof(*out));
	prev = malloc(size);
	cur = malloc(size);
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return pcs_error_set(err, PCS_ERR_NOMEM,
				     "reading the pcwatch record: out of memory");
	}
	rc = read_raw(t, addr, how, cur, err);
	/* attempts > 1: until two consecutive copies are the same bytes */
	while (!rc && attempts > 1) {
		unsigned char *tmp = prev;

		prev = cur;
		cur = tmp;
		if ((rc = read_raw(t, addr, how, cur, err)))
			break;
		if (!memcmp(prev, cur, size))
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

const struct pcw_rec_page *pcs_capture_hit_page(const struct pcs_capture_record *r, uint32_t i)
{
	uint32_t slot;

	if (i >= r->nr_hits_stored)
		return NULL;
	slot = r->raw->hits[i].slot;
	return slot < r->nr_pages ? &r->raw->pages[slot] : NULL;
}

const char *pcs_capture_page_path(const struct pcs_capture_record *r, const struct pcw_rec_page *p)
{
	return p && p->file < r->nr_files ? r->raw->files[p->file].path : "?";
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
