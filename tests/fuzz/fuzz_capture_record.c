// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the pcwatch capture record decoder (core/capture_record.c) and its
 * printer (core/capture_print.c): the input is the first bytes of a record of
 * version 1 or 2 (header, hits[], files[], ranges[], pages[]; shorter than the
 * record is allowed). It is decoded as it is (truncated records must be refused),
 * then zero-padded to the version 2 size (the larger) and decoded again, directly
 * and through a fake target with the record mapped at its own self address, and
 * every stored hit (oldest first: seqs must increase), range, page and file of an
 * accepted record is looked at and printed (text and JSON) the way pcsleuth report
 * does. Committed seeds (tests/fuzz/seeds/fuzz_capture_record/) are the version 1
 * records of the lab's pcwatch-seed dumps (arm64 and amd64 6.1) cut to their first
 * 8 pages; fuzz_seed() adds synthetic version 1 and 2 records.
 */
#include "capture_print.h"
#include "capture_record.h"
#include "fuzz.h"

#define FUZZ_RECORD_VA 0xffff800001000000ull

static size_t use(const struct pcs_capture_record *r)
{
	static FILE *null;
	static struct fake_target ft;
	size_t n = strlen(r->raw->release);
	uint64_t prev = 0;

	for (uint32_t i = 0; i < r->nr_files; i++)
		n += strlen(r->raw->files[i].path);
	for (uint32_t i = 0; i < r->nr_pages; i++) {
		const struct pcw_rec_page *p = &r->raw->pages[i];

		n += strlen(pcs_capture_state_name(p->state)) + strlen(pcs_capture_page_path(r, p));
	}
	for (uint32_t i = 0; i < r->nr_ranges; i++)
		n += strlen(pcs_capture_file_path(r, pcs_capture_range(r, i)->file));
	if (r->nr_hits_stored > PCW_MAX_HITS ||
	    r->nr_hits_stored + r->nr_hits_overwritten + r->nr_hits_lost != r->nr_hits_seen)
		abort(); /* every hit seen is stored, overwritten or lost */
	for (uint32_t i = 0; i < r->nr_hits_stored; i++) {
		const struct pcw_rec_hit *h = pcs_capture_hit(r, i);
		const struct pcw_rec_page *p = pcs_capture_hit_page(r, i);
		const struct pcw_rec_range *g = pcs_capture_hit_range(r, i);

		if (h->seq <= prev || h->nr_stack > PCW_HIT_STACK)
			abort(); /* oldest first, stack within its capacity */
		prev = h->seq;
		n += strlen(h->comm) + strlen(h->pc_sym);
		for (uint32_t k = 0; k < h->nr_stack; k++)
			n += strlen(h->stack_sym[k]);
		n += strlen(pcs_capture_page_path(r, p));
		if (p)
			n += (size_t)(p->index * 4096 + h->offset) & 1;
		if (g)
			n += strlen(pcs_capture_file_path(r, g->file));
	}
	if (pcs_capture_hit(r, r->nr_hits_stored) || pcs_capture_hit_page(r, r->nr_hits_stored))
		abort(); /* past the stored hits there is no hit */
	/* the printer, over a target without the watched pages */
	if (!null) {
		null = fopen("/dev/null", "w");
		fake_init(&ft, PCS_ARCH_ARM64, 0);
	}
	if (null) {
		struct pcs_capture_print o = {.t = &ft.t, .how = "fuzz", .check_pages = true};
		struct pcs_jsonw w;
		char verdict[256];

		pcs_capture_print_text(&o, r, null);
		pcs_jsonw_init(&w, null);
		pcs_jsonw_begin_object(&w, NULL);
		pcs_capture_print_json(&o, r, &w);
		pcs_jsonw_end_object(&w);
		pcs_capture_verdict(&o, r, verdict, sizeof(verdict));
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	static uint8_t *rec; /* the fake target's memory at FUZZ_RECORD_VA */
	const size_t full = sizeof(struct pcw_record); /* version 2: the larger */
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
		if (size < (r.version == 1 ? PCS_CAPTURE_V1_SIZE : PCS_CAPTURE_V2_SIZE))
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

/*
 * Seeds: a synthetic version 2 record (one file, two pages, one hwbp range, a ring
 * of 66 hits wrapped, one with stack and bytes) cut after its first range; and a
 * version 1 record with one hit, cut after its second page.
 */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	struct pcw_record *r;
	size_t n;

	if (i > 1 || cap < sizeof(*r))
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->magic[0] = PCW_MAGIC0;
	r->magic[1] = PCW_MAGIC1;
	r->version = 2;
	r->size = sizeof(*r);
	r->arch = PCW_ARCH_AARCH64;
	r->page_size = 4096;
	r->self = FUZZ_RECORD_VA;
	r->max_pages = PCW_MAX_PAGES;
	r->max_files = PCW_MAX_FILES;
	r->max_hits = PCW_MAX_HITS;
	r->max_ranges = PCW_MAX_RANGES;
	r->nr_pages = 2;
	r->nr_files = 1;
	r->nr_ranges = 1;
	r->nr_armed = 2;
	r->max_bp = 4;
	r->reprotect_count = 3;
	r->reprotect_ns_max = 7000;
	r->reprotect_ns_total = 12000;
	strcpy(r->release, "6.1.0-57-arm64");
	r->files[0].ino = 14;
	r->files[0].size = 8192;
	r->files[0].nr_pages = 2;
	strcpy(r->files[0].path, "/data/firmware.bin");
	r->ranges[0].vaddr = 0xffff0000065716a6ull;
	r->ranges[0].len = 2;
	r->ranges[0].index = 1;
	r->ranges[0].state = PCW_ARMED;
	r->ranges[0].nr_bp = 1;
	for (uint32_t p = 0; p < 2; p++) {
		r->pages[p].pfn = 0x41000 + p;
		r->pages[p].index = p;
		r->pages[p].state = p ? PCW_DISARMED : PCW_ARMED;
		r->pages[p].source = PCW_SRC_FILE;
		r->pages[p].pte_level = 3;
		r->pages[p].mode = PCW_MODE_LOG;
	}
	if (i == 0) {
		r->nr_hits = 66;
		for (uint64_t s = 1; s <= 66; s++) {
			struct pcw_rec_hit *h = &r->hits[(s - 1) % PCW_MAX_HITS];

			h->seq = s;
			h->mode = s == 66 ? PCW_MODE_HWBP : PCW_MODE_LOG;
			h->slot = s == 66 ? PCW_NONE : (uint32_t)(s & 1);
			h->range = s == 66 ? 0 : PCW_NONE;
			h->offset = 0x6a6;
			h->is_write = 1;
			strcpy(h->comm, "stray_writer");
			strcpy(h->pc_sym, "stray_ip_newid+0x3c/0x6c [stray_writer]");
		}
		struct pcw_rec_hit *h = &r->hits[1];

		h->flags = PCW_HIT_BEFORE | PCW_HIT_AFTER;
		h->after[6] = 1;
		h->nr_stack = 2;
		strcpy(h->stack_sym[0], "stray_ip_newid+0x3c/0x6c [stray_writer]");
		strcpy(h->stack_sym[1], "stray_thread+0xb4/0xb8 [stray_writer]");
		n = offsetof(struct pcw_record, pages);
		memcpy(buf, r, n);
	} else {
		/* version 1: header, 4 hits of 232 bytes, files, pages of 120 bytes */
		r->version = 1;
		r->size = PCS_CAPTURE_V1_SIZE;
		r->max_hits = 4;
		r->nr_hits = 1;
		memset(buf, 0, PCS_CAPTURE_V1_SIZE);
		memcpy(buf, r, PCS_CAPTURE_V1_HDR_SIZE);
		r->hits[0].offset = 0x6a6;
		r->hits[0].is_write = 1;
		strcpy(r->hits[0].comm, "kworker/0:1");
		memcpy(buf + 152, &r->hits[0], 232);
		memcpy(buf + 1080, &r->files[0], sizeof(r->files[0]));
		for (uint32_t p = 0; p < 2; p++)
			memcpy(buf + 5688 + p * 120, &r->pages[p], 120);
		n = 5688 + 2 * 120;
	}
	free(r);
	return n;
}
