// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the pcwatch capture record decoder (core/capture_record.c): the input is
 * the first bytes of a record (header, hits[], files[], pages[]; shorter than the
 * 251448-byte record is allowed). It is decoded as it is (truncated records must
 * be refused), then zero-padded to the full size and decoded again, directly and
 * through a fake target with the record mapped at its own self address, and every
 * hit, page and file of an accepted record is looked at the way pcsleuth report
 * does. Committed seeds (tests/fuzz/seeds/fuzz_capture_record/) are the records of
 * the lab's pcwatch-seed dumps (arm64 and amd64 6.1) cut to their first 8 pages.
 */
#include "capture_record.h"
#include "fuzz.h"

#define FUZZ_RECORD_VA 0xffff800001000000ull

static size_t use(const struct pcs_capture_record *r)
{
	size_t n = strlen(r->raw->release);

	for (uint32_t i = 0; i < r->nr_files; i++)
		n += strlen(r->raw->files[i].path);
	for (uint32_t i = 0; i < r->nr_pages; i++) {
		const struct pcw_rec_page *p = &r->raw->pages[i];

		n += strlen(pcs_capture_state_name(p->state)) + strlen(pcs_capture_page_path(r, p));
	}
	for (uint32_t i = 0; i < r->nr_hits_stored; i++) {
		const struct pcw_rec_page *p = pcs_capture_hit_page(r, i);

		n += strlen(r->raw->hits[i].comm) + strlen(r->raw->hits[i].pc_sym);
		n += strlen(pcs_capture_page_path(r, p));
		if (p)
			n += (size_t)(p->index * 4096 + r->raw->hits[i].offset) & 1;
	}
	if (pcs_capture_hit_page(r, r->nr_hits_stored))
		abort(); /* past the stored hits there is no page */
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	static uint8_t *rec; /* the fake target's memory at FUZZ_RECORD_VA */
	const size_t full = sizeof(struct pcw_record);
	struct pcs_capture_record r;
	struct pcs_error err;
	uint64_t self = 0;

	if (size > full)
		return 0;
	if (!rec) {
		fake_init(&ft, PCS_ARCH_ARM64, 0);
		rec = fake_map(&ft, PCS_KVADDR, FUZZ_RECORD_VA, full);
	}
	if (size >= 40)
		memcpy(&self, data + 32, 8);
	/* 1. as given: short inputs are refused, never read past */
	if (pcs_capture_record_parse(data, size, self, NULL, &r, &err) == PCS_OK) {
		if (size < full)
			abort(); /* a truncated record was accepted */
		use(&r);
		pcs_capture_record_free(&r);
	}
	/* 2. zero-padded to the full record, at its own address */
	memset(rec, 0, full);
	if (size)
		memcpy(rec, data, size);
	if (pcs_capture_record_parse(rec, full, self, "fuzz", &r, &err) == PCS_OK) {
		use(&r);
		pcs_capture_record_free(&r);
	}
	/* 3. through a target, at a fixed address (self usually differs: refused) */
	if (pcs_capture_record_read(&ft.t, FUZZ_RECORD_VA, "fuzz", &r, &err) == PCS_OK) {
		use(&r);
		pcs_capture_record_free(&r);
	}
	/* 4. at the end of mapped memory: the read of the whole record must fail cleanly */
	if (pcs_capture_record_read(&ft.t, FUZZ_RECORD_VA + full - 16, "fuzz", &r, &err) == PCS_OK)
		abort();
	return 0;
}

/* Seed: a synthetic record with one file, two pages (one armed) and one hit. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	struct pcw_record *r;
	size_t n = offsetof(struct pcw_record, pages) + 2 * sizeof(struct pcw_rec_page);

	if (i > 0 || cap < sizeof(*r))
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->magic[0] = PCW_MAGIC0;
	r->magic[1] = PCW_MAGIC1;
	r->version = PCW_RECORD_VERSION;
	r->size = sizeof(*r);
	r->arch = PCW_ARCH_AARCH64;
	r->page_size = 4096;
	r->self = FUZZ_RECORD_VA;
	r->max_pages = PCW_MAX_PAGES;
	r->max_files = PCW_MAX_FILES;
	r->max_hits = PCW_MAX_HITS;
	r->nr_pages = 2;
	r->nr_files = 1;
	r->nr_hits = 1;
	r->nr_armed = 1;
	strcpy(r->release, "6.1.0-57-arm64");
	r->files[0].ino = 14;
	r->files[0].size = 8192;
	r->files[0].nr_pages = 2;
	strcpy(r->files[0].path, "/data/firmware.bin");
	for (uint32_t p = 0; p < 2; p++) {
		r->pages[p].pfn = 0x41000 + p;
		r->pages[p].index = p;
		r->pages[p].state = p ? PCW_DISARMED : PCW_ARMED;
		r->pages[p].source = PCW_SRC_FILE;
		r->pages[p].pte_level = 3;
	}
	r->hits[0].slot = 0;
	r->hits[0].offset = 0x6a6;
	r->hits[0].is_write = 1;
	strcpy(r->hits[0].comm, "kworker/0:1");
	strcpy(r->hits[0].pc_sym, "stray_ip_newid+0x2c/0x60 [stray_writer]");
	memcpy(buf, r, n);
	free(r);
	return n;
}
