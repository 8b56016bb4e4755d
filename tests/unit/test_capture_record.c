// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/capture_record.c and core/capture_print.c on synthetic
 * pcwatch records, version 2 and version 1: a good record decodes with its
 * strings terminated; every count and index is checked against the record's own
 * capacities; the version 2 hit ring is read oldest first by seq, with the hits
 * overwritten, lost and in bad slots counted; a version 1 record decodes into the
 * same view; truncated, foreign, stale and other-version records are refused with
 * one line naming the problem; the shared printer lists it all.
 */
#include <stdio.h>
#include <stdlib.h>

#include "capture_print.h"
#include "capture_record.h"
#include "fake_target.h"
#include "unit.h"

#define VA UINT64_C(0xffff800001000000)

/* Version 2: 3 pages (one names a file beyond nr_files), 1 file, 1 range, no hit. */
static struct pcw_record *good(void)
{
	struct pcw_record *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->magic[0] = PCW_MAGIC0;
	r->magic[1] = PCW_MAGIC1;
	r->version = PCW_RECORD_VERSION;
	r->size = sizeof(*r);
	r->arch = PCW_ARCH_AARCH64;
	r->page_size = 4096;
	r->self = VA;
	r->max_pages = PCW_MAX_PAGES;
	r->max_files = PCW_MAX_FILES;
	r->max_hits = PCW_MAX_HITS;
	r->max_ranges = PCW_MAX_RANGES;
	r->nr_pages = 3;
	r->nr_files = 1;
	r->nr_ranges = 1;
	r->nr_armed = 2;
	r->max_bp = 4;
	strcpy(r->release, "6.1.0-57-arm64");
	strcpy(r->files[0].path, "/data/firmware.bin");
	for (uint32_t i = 0; i < 3; i++) {
		r->pages[i].pfn = 0x41000 + i;
		r->pages[i].index = i;
		r->pages[i].state = i == 2 ? PCW_DISARMED : PCW_ARMED;
		r->pages[i].file = 0;
		r->pages[i].mode = PCW_MODE_LOG;
	}
	r->pages[1].file = 7; /* beyond nr_files */
	r->ranges[0].vaddr = 0xffff0000065716a6;
	r->ranges[0].len = 2;
	r->ranges[0].pfn = 0x46571;
	r->ranges[0].index = 3;
	r->ranges[0].file = 0;
	r->ranges[0].state = PCW_ARMED;
	r->ranges[0].nr_bp = 1;
	return r;
}

/* Store hit seq (1-based) where the module puts it: hits[(seq - 1) % max_hits]. */
static void put_hit(struct pcw_record *r, uint64_t seq)
{
	struct pcw_rec_hit *h = &r->hits[(seq - 1) % PCW_MAX_HITS];

	memset(h, 0, sizeof(*h));
	h->seq = seq;
	h->mode = PCW_MODE_LOG;
	h->slot = (uint32_t)(seq % 3);
	h->range = PCW_NONE;
	h->addr = 0xffff000041000000 + 0x1000 * h->slot + 0x6a6;
	h->offset = 0x6a6;
	h->is_write = 1;
	h->pid = (uint32_t)seq;
	strcpy(h->comm, "stray_writer");
	strcpy(h->pc_sym, "stray_ip_newid+0x3c/0x6c [stray_writer]");
}

/* hits 1..n stored as the ring keeps them */
static struct pcw_record *with_hits(uint32_t n)
{
	struct pcw_record *r = good();

	r->nr_hits = n;
	for (uint64_t s = 1; s <= n; s++)
		put_hit(r, s);
	return r;
}

/* A version 1 record (docs/capture-record.md, "Version 1"): 251448 bytes. */
#define V1_HIT(i)  (152 + (i)*232)
#define V1_FILE(i) (1080 + (i)*288)
#define V1_PAGE(i) (5688 + (i)*120)

static unsigned char *good_v1(uint32_t nr_hits)
{
	unsigned char *b = calloc(1, PCS_CAPTURE_V1_SIZE);
	struct pcw_record hdr = {0};

	if (!b)
		abort();
	hdr.magic[0] = PCW_MAGIC0;
	hdr.magic[1] = PCW_MAGIC1;
	hdr.version = 1;
	hdr.size = PCS_CAPTURE_V1_SIZE;
	hdr.arch = PCW_ARCH_X86_64;
	hdr.page_size = 4096;
	hdr.self = VA;
	hdr.max_pages = PCW_MAX_PAGES;
	hdr.max_files = PCW_MAX_FILES;
	hdr.max_hits = 4;
	hdr.nr_pages = 2;
	hdr.nr_files = 1;
	hdr.nr_hits = nr_hits;
	hdr.nr_armed = 2;
	strcpy(hdr.release, "6.1.0-57-amd64");
	memcpy(b, &hdr, 152);
	for (uint32_t i = 0; i < 4 && i < nr_hits; i++) {
		struct pcw_rec_hit h = {0};

		h.addr = 0xff11000004816000 + i;
		h.slot = i % 2;
		h.offset = 0x6a6;
		h.pid = 100 + i;
		strcpy(h.comm, "stray_writer");
		strcpy(h.pc_sym, "stray_write_id+0x4c/0x70 [stray_writer]");
		memcpy(b + V1_HIT(i), &h, 232);
	}
	struct pcw_rec_file f = {.ino = 14, .size = 8192, .nr_pages = 2};

	strcpy(f.path, "/data/v1.bin");
	memcpy(b + V1_FILE(0), &f, sizeof(f));
	for (uint32_t i = 0; i < 2; i++) {
		struct pcw_rec_page p = {.pfn = 0x4816 + i, .index = i, .state = PCW_ARMED};

		memset(p.md5, 0xa5, 16);
		p.folio_order = 0;
		p.pte_level = 1;
		memcpy(b + V1_PAGE(i), &p, 120);
	}
	return b;
}

/* A live record: pcwatch raises nr_hits after each of the first `changes` whole-record reads. */
static struct {
	struct fake_target ft;
	struct pcw_record *mem;
	int changes;
} live;

static enum pcs_errcode live_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				  size_t len, struct pcs_error *err)
{
	enum pcs_errcode rc = fake_read(priv, as, addr, buf, len, err);

	if (!rc && len == sizeof(struct pcw_record) && live.changes > 0) {
		live.changes--;
		live.mem->nr_hits++;
	}
	return rc;
}

static enum pcs_errcode parse(const void *r, size_t len, struct pcs_capture_record *out,
			      struct pcs_error *err)
{
	return pcs_capture_record_parse(r, len, VA, "test", out, err);
}

/* The printer's text or JSON for r read through a target holding only the record. */
static char *print(const struct pcs_capture_record *cr, bool json)
{
	static struct fake_target ft;
	struct pcs_capture_print o = {.how = "test", .check_pages = true};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		abort();
	fake_init(&ft, PCS_ARCH_ARM64, 0);
	o.t = &ft.t;
	if (json) {
		struct pcs_jsonw w;

		pcs_jsonw_init(&w, fp);
		pcs_jsonw_begin_object(&w, NULL);
		pcs_capture_print_json(&o, cr, &w);
		pcs_jsonw_end_object(&w);
	} else {
		pcs_capture_print_text(&o, cr, fp);
	}
	fclose(fp);
	fake_free(&ft);
	return buf;
}

int main(void)
{
	struct pcs_capture_record cr;
	struct pcs_error err;
	struct pcw_record *r;

	CASE("v2: a wrapped ring is read oldest first by seq; overwritten hits are counted")
	{
		r = with_hits(70); /* hits 65..70 overwrote 1..6 in slots 0..5 */
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.version, 2);
		EXPECT_EQ_U64(cr.nr_hits_seen, 70);
		EXPECT_EQ_U64(cr.nr_hits_stored, 64);
		EXPECT_EQ_U64(cr.nr_hits_overwritten, 6);
		EXPECT_EQ_U64(cr.nr_hits_lost, 0);
		EXPECT_EQ_U64(cr.nr_hits_bad, 0);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 0)->seq, 7);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 57)->seq, 64);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 58)->seq, 65);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 63)->seq, 70);
		EXPECT(pcs_capture_hit(&cr, 64) == NULL);
		EXPECT(pcs_capture_hit_page(&cr, 64) == NULL);
		for (uint32_t i = 1; i < 64; i++)
			EXPECT(pcs_capture_hit(&cr, i)->seq ==
			       pcs_capture_hit(&cr, i - 1)->seq + 1);
		pcs_capture_record_free(&cr);
		EXPECT(cr.raw == NULL);
		free(r);
	}
	CASE("v2: an unwrapped ring; a counted hit not (yet) in its slot is lost")
	{
		r = with_hits(3);
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_stored, 3);
		EXPECT_EQ_U64(cr.nr_hits_overwritten, 0);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 2)->seq, 3);
		pcs_capture_record_free(&cr);
		r->nr_hits = 4; /* counter raised, hit 4 not stored when the dump was taken */
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_stored, 3);
		EXPECT_EQ_U64(cr.nr_hits_lost, 1);
		pcs_capture_record_free(&cr);
		free(r);
		/* wrapped: slot of hit 66 still holds hit 2 */
		r = with_hits(66);
		put_hit(r, 2);
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_stored, 63);
		EXPECT_EQ_U64(cr.nr_hits_lost, 1);
		EXPECT_EQ_U64(cr.nr_hits_bad, 1); /* seq 2 is older than the ring's window */
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 0)->seq, 3);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 62)->seq, 65);
		pcs_capture_record_free(&cr);
		free(r);
	}
	CASE("v2: corrupt seqs (wrong slot, beyond the count, huge) are not hits")
	{
		r = with_hits(5);
		r->hits[1].seq = 3;		     /* seq 3 belongs in slot 2 */
		r->hits[10].seq = 11;		     /* beyond nr_hits 5 */
		r->hits[20].seq = UINT64_C(1) << 60; /* wrong slot and beyond */
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_stored, 4);
		EXPECT_EQ_U64(cr.nr_hits_lost, 1);
		EXPECT_EQ_U64(cr.nr_hits_bad, 3);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 1)->seq, 3);
		pcs_capture_record_free(&cr);
		/* a saturated count: the window ends at the highest seq that fits its slot */
		r->nr_hits = PCW_NONE;
		memset(r->hits, 0, sizeof(r->hits));
		put_hit(r, UINT64_MAX);
		put_hit(r, UINT64_MAX - 1);
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_seen, UINT64_MAX);
		EXPECT_EQ_U64(cr.nr_hits_stored, 2);
		EXPECT_EQ_U64(pcs_capture_hit(&cr, 1)->seq, UINT64_MAX);
		EXPECT_EQ_U64(cr.nr_hits_lost, 62);
		pcs_capture_record_free(&cr);
		memset(r->hits, 0, sizeof(r->hits));
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_seen, PCW_NONE);
		EXPECT_EQ_U64(cr.nr_hits_stored, 0);
		EXPECT_EQ_U64(cr.nr_hits_overwritten, PCW_NONE - 64);
		pcs_capture_record_free(&cr);
		free(r);
	}
	CASE("indexes inside the record are checked: hit slot, hit range, page and range file")
	{
		r = with_hits(4);
		r->hits[3].slot = PCW_NONE; /* hwbp hit on range 0 */
		r->hits[3].range = 0;
		r->hits[3].mode = PCW_MODE_HWBP;
		r->hits[2].slot = 9;  /* beyond nr_pages */
		r->hits[0].range = 1; /* beyond nr_ranges (and it has a page) */
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT(pcs_capture_hit_page(&cr, 0) == &cr.raw->pages[1]);
		EXPECT(pcs_capture_hit_page(&cr, 1) == &cr.raw->pages[2]);
		EXPECT(pcs_capture_hit_page(&cr, 2) == NULL);
		EXPECT(pcs_capture_hit_page(&cr, 3) == NULL);
		EXPECT(pcs_capture_hit_range(&cr, 3) == &cr.raw->ranges[0]);
		EXPECT(pcs_capture_hit_range(&cr, 0) == NULL);
		EXPECT(pcs_capture_hit_range(&cr, 1) == NULL); /* PCW_NONE */
		EXPECT(pcs_capture_range(&cr, 0) == &cr.raw->ranges[0]);
		EXPECT(pcs_capture_range(&cr, 1) == NULL);
		EXPECT(pcs_capture_range(&cr, PCW_NONE) == NULL);
		EXPECT_STREQ(pcs_capture_file_path(&cr, cr.raw->ranges[0].file),
			     "/data/firmware.bin");
		EXPECT_STREQ(pcs_capture_file_path(&cr, 1), "?");
		EXPECT_STREQ(pcs_capture_page_path(&cr, &cr.raw->pages[0]), "/data/firmware.bin");
		EXPECT_STREQ(pcs_capture_page_path(&cr, &cr.raw->pages[1]), "?");
		EXPECT_STREQ(pcs_capture_page_path(&cr, NULL), "?");
		EXPECT_STREQ(pcs_capture_state_name(cr.raw->pages[2].state), "disarmed");
		EXPECT_STREQ(pcs_capture_state_name(77), "empty");
		EXPECT_STREQ(pcs_capture_mode_name(PCW_MODE_HWBP), "hwbp");
		EXPECT_STREQ(pcs_capture_mode_name(9), "unknown");
		pcs_capture_record_free(&cr);
		free(r);
	}
	CASE("unterminated strings are cut at their field's end; nr_stack at its capacity")
	{
		r = with_hits(4);
		memset(r->release, 'A', sizeof(r->release));
		memset(r->files[0].path, 'p', sizeof(r->files[0].path));
		memset(r->hits[1].comm, 'c', sizeof(r->hits[1].comm));
		memset(r->hits[3].pc_sym, 's', sizeof(r->hits[3].pc_sym));
		memset(r->hits[2].stack_sym, 'k', sizeof(r->hits[2].stack_sym));
		r->hits[2].nr_stack = 1000;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(strlen(cr.raw->release), sizeof(r->release) - 1);
		EXPECT_EQ_U64(strlen(cr.raw->files[0].path), PCW_PATH_LEN - 1);
		EXPECT_EQ_U64(strlen(cr.raw->hits[1].comm), 15);
		EXPECT_EQ_U64(strlen(cr.raw->hits[3].pc_sym), PCW_SYM_LEN - 1);
		EXPECT_EQ_U64(cr.raw->hits[2].nr_stack, PCW_HIT_STACK);
		for (int k = 0; k < PCW_HIT_STACK; k++)
			EXPECT_EQ_U64(strlen(cr.raw->hits[2].stack_sym[k]), PCW_STACK_SYM_LEN - 1);
		pcs_capture_record_free(&cr);
		free(r);
	}
	CASE("counts beyond the capacities are corrupt, with the field named")
	{
		r = good();
		r->nr_pages = PCW_MAX_PAGES + 1;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "nr_pages 2049 exceeds max_pages 2048") != NULL);
		r->nr_pages = 3;
		r->nr_files = 17;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "nr_files 17 exceeds max_files 16") != NULL);
		r->nr_files = 1;
		r->nr_ranges = 17;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "nr_ranges 17 exceeds max_ranges 16") != NULL);
		r->nr_ranges = 1;
		r->nr_armed = 5;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "nr_armed 5 exceeds nr_pages + nr_ranges 4") != NULL);
		r->nr_armed = 4; /* 3 pages and 1 range armed */
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		pcs_capture_record_free(&cr);
		r->max_hits = 1000;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "max_hits is 1000, the version 2 layout has 64") != NULL);
		r->max_hits = PCW_MAX_HITS;
		r->max_ranges = 4;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "max_ranges is 4, the version 2 layout has 16") != NULL);
		EXPECT(cr.raw == NULL);
		free(r);
	}
	CASE("short, foreign, stale and other-version records are refused")
	{
		r = good();
		EXPECT(parse(r, 100, &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "100 bytes, shorter than its 152-byte header") != NULL);
		EXPECT(parse(r, sizeof(*r) - 1, &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "340567 bytes of its 340568") != NULL);
		r->self = VA + 4096;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "(stale copy?)") != NULL);
		r->self = VA;
		r->version = 3;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_UNSUPPORTED);
		EXPECT_STREQ(err.msg, "pcwatch record version 3 size 340568; this pcsleuth reads "
				      "version 1 size 251448 and version 2 size 340568");
		r->version = 1; /* a version 1 header with the version 2 size */
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_UNSUPPORTED);
		r->version = 2;
		r->magic[1] ^= 1;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT_STREQ(err.msg, "pcwatch record at 0xffff800001000000 (found by test) has a "
				      "bad magic");
		EXPECT(cr.raw == NULL);
		free(r);
	}
	CASE("v1: converted into the same view, the first 4 hits in panic mode")
	{
		unsigned char *b = good_v1(6);

		EXPECT(parse(b, PCS_CAPTURE_V1_SIZE, &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.version, 1);
		EXPECT_EQ_U64(cr.nr_pages, 2);
		EXPECT_EQ_U64(cr.nr_ranges, 0);
		EXPECT_EQ_U64(cr.nr_hits_seen, 6);
		EXPECT_EQ_U64(cr.nr_hits_stored, 4);
		EXPECT_EQ_U64(cr.nr_hits_overwritten, 2); /* v1: not stored */
		EXPECT_EQ_U64(cr.nr_hits_lost, 0);
		for (uint32_t i = 0; i < 4; i++) {
			const struct pcw_rec_hit *h = pcs_capture_hit(&cr, i);

			EXPECT_EQ_U64(h->seq, i + 1);
			EXPECT_EQ_U64(h->mode, PCW_MODE_PANIC);
			EXPECT_EQ_U64(h->range, PCW_NONE);
			EXPECT_EQ_U64(h->nr_stack, 0);
			EXPECT_EQ_U64(h->pid, 100 + i);
			EXPECT_EQ_U64(h->addr, 0xff11000004816000 + i);
			EXPECT_STREQ(h->pc_sym, "stray_write_id+0x4c/0x70 [stray_writer]");
		}
		EXPECT(pcs_capture_hit_page(&cr, 1) == &cr.raw->pages[1]);
		EXPECT(pcs_capture_hit_range(&cr, 1) == NULL);
		EXPECT_EQ_U64(cr.raw->pages[1].pfn, 0x4817);
		EXPECT_EQ_U64(cr.raw->pages[1].pte_level, 1);
		EXPECT_EQ_U64(cr.raw->pages[1].md5[15], 0xa5);
		EXPECT_EQ_U64(cr.raw->pages[1].mode, PCW_MODE_PANIC);
		EXPECT_STREQ(cr.raw->files[0].path, "/data/v1.bin");
		EXPECT_STREQ(cr.raw->release, "6.1.0-57-amd64");
		pcs_capture_record_free(&cr);
		/* its own capacities and length */
		EXPECT(parse(b, PCS_CAPTURE_V1_SIZE - 1, &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "251447 bytes of its 251448") != NULL);
		((struct pcw_record *)b)->max_hits = 64;
		EXPECT(parse(b, PCS_CAPTURE_V1_SIZE, &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "max_hits is 64, the version 1 layout has 4") != NULL);
		((struct pcw_record *)b)->max_hits = 4;
		memset(b + V1_HIT(2) + 88, 'c', 16);   /* comm */
		memset(b + V1_FILE(0) + 32, 'p', 256); /* path */
		EXPECT(parse(b, PCS_CAPTURE_V1_SIZE, &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(strlen(pcs_capture_hit(&cr, 2)->comm), 15);
		EXPECT_EQ_U64(strlen(cr.raw->files[0].path), 255);
		pcs_capture_record_free(&cr);
		free(b);
		b = good_v1(1);
		EXPECT(parse(b, PCS_CAPTURE_V1_SIZE, &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_hits_stored, 1);
		EXPECT_EQ_U64(cr.nr_hits_overwritten, 0);
		pcs_capture_record_free(&cr);
		free(b);
	}
	CASE("read from a target: v2 and v1 by their sizes, or the page that is missing")
	{
		static struct fake_target ft;
		unsigned char *b = good_v1(2);

		r = with_hits(2);
		fake_init(&ft, PCS_ARCH_ARM64, 0);
		memcpy(fake_map(&ft, PCS_KVADDR, VA, sizeof(*r)), r, sizeof(*r));
		EXPECT(pcs_capture_record_read(&ft.t, VA, "test", &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_pages, 3);
		EXPECT_EQ_U64(cr.nr_hits_stored, 2);
		pcs_capture_record_free(&cr);
		/* a version 1 record with only its own 251448 bytes mapped */
		((struct pcw_record *)b)->self = VA + 0x200000;
		memcpy(fake_map(&ft, PCS_KVADDR, VA + 0x200000, PCS_CAPTURE_V1_SIZE), b,
		       PCS_CAPTURE_V1_SIZE);
		EXPECT(pcs_capture_record_read(&ft.t, VA + 0x200000, "test", &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.version, 1);
		EXPECT_EQ_U64(cr.nr_hits_stored, 2);
		pcs_capture_record_free(&cr);
		/* a record whose tail is not in the dump */
		r->self = VA + 0x100000;
		memcpy(fake_map(&ft, PCS_KVADDR, VA + 0x100000, 4096), r, 4096);
		EXPECT(pcs_capture_record_read(&ft.t, VA + 0x100000, "test", &cr, &err) != PCS_OK);
		EXPECT(strstr(err.msg, "reading the pcwatch record") != NULL);
		EXPECT(pcs_capture_record_read(&ft.t, VA - 4096, "test", &cr, &err) != PCS_OK);
		EXPECT(strstr(err.msg, "pcwatch record at 0xffff800000fff000") != NULL);
		fake_free(&ft);
		free(r);
		free(b);
	}
	CASE("live: read until two copies agree; a record changing on every read is refused")
	{
		static struct pcs_target_ops ops;

		r = with_hits(6);
		fake_init(&live.ft, PCS_ARCH_ARM64, 0);
		ops = *live.ft.t.ops;
		ops.read = live_read;
		live.ft.t.ops = &ops;
		live.mem = (struct pcw_record *)fake_map(&live.ft, PCS_KVADDR, VA, sizeof(*r));
		memcpy(live.mem, r, sizeof(*r));
		live.changes = 2; /* reads 1 and 2 see 6 and 7 hits, reads 3 and 4 see 8 */
		EXPECT(pcs_capture_record_read_stable(&live.ft.t, VA, "test", 4, &cr, &err) ==
		       PCS_OK);
		EXPECT_EQ_U64(cr.raw->nr_hits, 8);
		EXPECT_EQ_U64(cr.nr_hits_lost, 2); /* counted, not (yet) stored */
		pcs_capture_record_free(&cr);
		live.changes = 100;
		EXPECT(pcs_capture_record_read_stable(&live.ft.t, VA, "test", 4, &cr, &err) ==
		       PCS_ERR_CORRUPT);
		EXPECT_STREQ(err.msg, "pcwatch record at 0xffff800001000000 changed between each "
				      "of 4 reads (hits being recorded?)");
		EXPECT_EQ_U64(live.changes, 96);
		EXPECT(cr.raw == NULL);
		/* one attempt: the first copy, as for a dump */
		EXPECT(pcs_capture_record_read_stable(&live.ft.t, VA, "test", 1, &cr, &err) ==
		       PCS_OK);
		EXPECT_EQ_U64(live.changes, 95);
		pcs_capture_record_free(&cr);
		fake_free(&live.ft);
		free(r);
	}
	CASE("printer: every stored hit with seq, stack, bytes before -> after; counts; ranges")
	{
		char *s;

		r = with_hits(66);
		r->printk_suppressed = 9;
		r->reprotect_count = 4;
		r->reprotect_ns_max = 9000;
		r->reprotect_ns_total = 20000;
		struct pcw_rec_hit *h = &r->hits[(66 - 1) % PCW_MAX_HITS];

		h->slot = PCW_NONE;
		h->range = 0;
		h->mode = PCW_MODE_HWBP;
		h->offset = 0x6a6;
		h->flags = PCW_HIT_BEFORE | PCW_HIT_AFTER;
		h->data_addr = 0xffff0000065716a0;
		h->before[6] = 0xfb;
		h->before[7] = 0x07;
		h->after[6] = 0x01;
		h->after[7] = 0x1e;
		h->nr_stack = 2;
		h->stack[0] = 0xffff80000812345c;
		strcpy(h->stack_sym[0], "stray_ip_newid+0x3c/0x6c [stray_writer]");
		h->stack[1] = 0xffff800008123500;
		strcpy(h->stack_sym[1], "stray_thread+0xb4/0xb8 [stray_writer]");
		h->time_ns = UINT64_C(1796103601) * 1000000000u + 5;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		s = print(&cr, false);
		EXPECT(strstr(s, "version 2, kernel 6.1.0-57-arm64\n") != NULL);
		EXPECT(strstr(s,
			      "hits: 66 seen, 64 stored, 2 overwritten, 0 lost, 0 bad ring slots; "
			      "9 hit lines not printed (rate limit)\n") != NULL);
		EXPECT(strstr(s, "re-protect window (log mode): 4 re-protections, max 9000 ns, "
				 "mean 5000 ns\n") != NULL);
		EXPECT(strstr(s,
			      "  range 0: 0xffff0000065716a6 len 2 = pfn 288113 + 0x0, "
			      "/data/firmware.bin page 3, armed, 0 hits, 1 watchpoint\n") != NULL);
		EXPECT(strstr(s, "hit 0 (seq 3, mode log): write at") != NULL);
		EXPECT(strstr(s, "hit 63 (seq 66, mode hwbp): write at") != NULL);
		EXPECT(strstr(s,
			      "       watchpoint range 0 (0xffff0000065716a6 len 2)\n"
			      "       = /data/firmware.bin page 3, file offset 0x36a6 (13990)\n") !=
		       NULL);
		EXPECT(
		    strstr(
			s,
			"       #1 0xffff800008123500 stray_thread+0xb4/0xb8 [stray_writer]\n") !=
		    NULL);
		EXPECT(strstr(s, "time 2026-12-01 05:40:01.000000005 UTC") != NULL);
		EXPECT(strstr(s, "flags before after\n") != NULL);
		EXPECT(strstr(s, "         before 00 00 00 00 00 00 fb 07 00") != NULL);
		EXPECT(strstr(s, "         after  00 00 00 00 00 00 01 1e 00") != NULL);
		EXPECT(strstr(s, "                                  ^^ ^^ changed\n") != NULL);
		EXPECT(strstr(s, "3 watched pages changed since arming") == NULL);
		EXPECT(strstr(s, "0 watched pages changed since arming, 3 not in the dump\n") !=
		       NULL);
		free(s);
		s = print(&cr, true);
		EXPECT(strstr(s, "\"hits_overwritten\": 2,") != NULL);
		EXPECT(strstr(s, "\"ns_mean\": 5000") != NULL);
		EXPECT(strstr(s, "\"before\": \"000000000000fb070000000000000000\"") != NULL);
		EXPECT(strstr(s, "\"range\": 0,") != NULL);
		EXPECT(strstr(s, "\"symbol\": \"stray_thread+0xb4/0xb8 [stray_writer]\"") != NULL);
		EXPECT(strstr(s, "\"changed\": [\n") != NULL);
		free(s);
		pcs_capture_record_free(&cr);
		/* a v1 record is listed as before version 2 */
		unsigned char *b = good_v1(6);

		EXPECT(parse(b, PCS_CAPTURE_V1_SIZE, &cr, &err) == PCS_OK);
		s = print(&cr, false);
		EXPECT(strstr(s, "(found by test), kernel 6.1.0-57-amd64\n") != NULL);
		EXPECT(strstr(s, "  (version 1 record: only the first 4 hits stored)\n") != NULL);
		EXPECT(strstr(s, "\nhit 3: access at 0xff11000004816003 = pfn 0 + 0x6a6\n") !=
		       NULL);
		EXPECT(strstr(s, "seq") == NULL);
		free(s);
		pcs_capture_record_free(&cr);
		free(b);
		free(r);
	}
	UNIT_EXIT();
}
