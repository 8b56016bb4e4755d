// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/capture_record.c on synthetic pcwatch records: a good
 * record decodes with its strings terminated; every count and index is checked
 * against the record's own capacities; truncated, foreign and stale records are
 * refused with one line naming the problem.
 */
#include <stdlib.h>

#include "capture_record.h"
#include "fake_target.h"
#include "unit.h"

#define VA UINT64_C(0xffff800001000000)

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
	r->nr_pages = 3;
	r->nr_files = 1;
	r->nr_hits = 6; /* more than stored */
	r->nr_armed = 2;
	strcpy(r->release, "6.1.0-57-arm64");
	strcpy(r->files[0].path, "/data/firmware.bin");
	for (uint32_t i = 0; i < 3; i++) {
		r->pages[i].pfn = 0x41000 + i;
		r->pages[i].index = i;
		r->pages[i].state = i == 2 ? PCW_DISARMED : PCW_ARMED;
		r->pages[i].file = 0;
	}
	r->pages[1].file = 7; /* beyond nr_files */
	for (uint32_t i = 0; i < PCW_MAX_HITS; i++)
		r->hits[i].slot = i;
	return r;
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

static enum pcs_errcode parse(const struct pcw_record *r, size_t len,
			      struct pcs_capture_record *out, struct pcs_error *err)
{
	return pcs_capture_record_parse(r, len, VA, "test", out, err);
}

int main(void)
{
	struct pcs_capture_record cr;
	struct pcs_error err;
	struct pcw_record *r;

	CASE("a good record decodes; hits beyond max_hits are counted, not stored")
	{
		r = good();
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.addr, VA);
		EXPECT_EQ_U64(cr.nr_pages, 3);
		EXPECT_EQ_U64(cr.nr_files, 1);
		EXPECT_EQ_U64(cr.nr_hits_stored, PCW_MAX_HITS);
		EXPECT_EQ_U64(cr.raw->nr_hits, 6);
		EXPECT_STREQ(cr.raw->release, "6.1.0-57-arm64");
		pcs_capture_record_free(&cr);
		EXPECT(cr.raw == NULL);
		free(r);
	}
	CASE("indexes inside the record are checked: hit slot, page file")
	{
		r = good();
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT(pcs_capture_hit_page(&cr, 0) == &cr.raw->pages[0]);
		EXPECT(pcs_capture_hit_page(&cr, 2) == &cr.raw->pages[2]);
		EXPECT(pcs_capture_hit_page(&cr, 3) == NULL); /* slot 3 >= nr_pages */
		EXPECT(pcs_capture_hit_page(&cr, 4) == NULL); /* beyond the stored hits */
		EXPECT_STREQ(pcs_capture_page_path(&cr, &cr.raw->pages[0]), "/data/firmware.bin");
		EXPECT_STREQ(pcs_capture_page_path(&cr, &cr.raw->pages[1]), "?");
		EXPECT_STREQ(pcs_capture_page_path(&cr, NULL), "?");
		EXPECT_STREQ(pcs_capture_state_name(cr.raw->pages[2].state), "disarmed");
		EXPECT_STREQ(pcs_capture_state_name(77), "empty");
		pcs_capture_record_free(&cr);
		free(r);
	}
	CASE("unterminated strings are cut at their field's end")
	{
		r = good();
		memset(r->release, 'A', sizeof(r->release));
		memset(r->files[0].path, 'p', sizeof(r->files[0].path));
		memset(r->hits[1].comm, 'c', sizeof(r->hits[1].comm));
		memset(r->hits[3].pc_sym, 's', sizeof(r->hits[3].pc_sym));
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(strlen(cr.raw->release), sizeof(r->release) - 1);
		EXPECT_EQ_U64(strlen(cr.raw->files[0].path), PCW_PATH_LEN - 1);
		EXPECT_EQ_U64(strlen(cr.raw->hits[1].comm), 15);
		EXPECT_EQ_U64(strlen(cr.raw->hits[3].pc_sym), PCW_SYM_LEN - 1);
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
		r->nr_armed = 4;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "nr_armed 4 exceeds nr_pages 3") != NULL);
		r->nr_armed = 0;
		r->max_hits = 1000;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "max_hits is 1000, the version 1 layout has 4") != NULL);
		EXPECT(cr.raw == NULL);
		free(r);
	}
	CASE("short, foreign, stale and other-version records are refused")
	{
		r = good();
		EXPECT(parse(r, 100, &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "100 bytes, shorter than its 152-byte header") != NULL);
		EXPECT(parse(r, sizeof(*r) - 1, &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "251447 bytes of its 251448") != NULL);
		r->self = VA + 4096;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "(stale copy?)") != NULL);
		r->self = VA;
		r->version = 2;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_UNSUPPORTED);
		EXPECT_STREQ(err.msg, "pcwatch record version 2 size 251448; this pcsleuth reads "
				      "version 1 size 251448");
		r->version = 1;
		r->magic[1] ^= 1;
		EXPECT(parse(r, sizeof(*r), &cr, &err) == PCS_ERR_CORRUPT);
		EXPECT_STREQ(err.msg, "pcwatch record at 0xffff800001000000 (found by test) has a "
				      "bad magic");
		EXPECT(cr.raw == NULL);
		free(r);
	}
	CASE("read from a target: whole record, or the page that is missing")
	{
		static struct fake_target ft;

		r = good();
		fake_init(&ft, PCS_ARCH_ARM64, 0);
		memcpy(fake_map(&ft, PCS_KVADDR, VA, sizeof(*r)), r, sizeof(*r));
		EXPECT(pcs_capture_record_read(&ft.t, VA, "test", &cr, &err) == PCS_OK);
		EXPECT_EQ_U64(cr.nr_pages, 3);
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
	}
	CASE("live: read until two copies agree; a record changing on every read is refused")
	{
		static struct pcs_target_ops ops;

		r = good();
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
	UNIT_EXIT();
}
