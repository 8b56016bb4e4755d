// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of page diff, reference reads, hex dump and the JSON schema. */
#include <stdlib.h>
#include <unistd.h>

#include "diff.h"
#include "hexdump.h"
#include "json.h"
#include "unit.h"

struct ranges {
	int n;
	struct pcs_diff_range r[16];
};

static int collect(const struct pcs_diff_range *r, void *arg)
{
	struct ranges *s = arg;

	if (s->n < 16)
		s->r[s->n] = *r;
	s->n++;
	return 0;
}

/* Run fn's output into a string (caller frees). */
static char *dump_to_string(const void *buf, size_t len, const struct pcs_hexdump_opts *o,
			    size_t *ndiff)
{
	char *out = NULL;
	size_t sz = 0;
	FILE *fp = open_memstream(&out, &sz);

	*ndiff = pcs_hexdump(fp, buf, len, o);
	fclose(fp);
	return out;
}

int main(void)
{
	static uint8_t a[4096], b[4096];
	struct ranges s;
	size_t nd;

	CASE("identical pages give no ranges")
	{
		memset(&s, 0, sizeof(s));
		EXPECT_EQ_U64(pcs_diff_page(a, b, sizeof(a), 8, collect, &s, &nd), 0);
		EXPECT_EQ_U64(nd, 0);
	}

	CASE("diff merges adjacent bytes into one range")
	{
		memcpy(b + 100, "\xde\xad\xbe\xef", 4);
		memset(&s, 0, sizeof(s));
		EXPECT_EQ_U64(pcs_diff_page(a, b, sizeof(a), 0, collect, &s, &nd), 1);
		EXPECT_EQ_U64(s.r[0].off, 100);
		EXPECT_EQ_U64(s.r[0].len, 4);
		EXPECT_EQ_U64(s.r[0].ref[0], 0xde);
		EXPECT_EQ_U64(s.r[0].vmcore[0], 0);
		EXPECT_EQ_U64(nd, 4);
	}

	CASE("a gap shorter than merge_gap joins two runs; a longer one does not")
	{
		memset(b, 0, sizeof(b));
		b[10] = 1;
		b[14] = 1; /* gap of 3 equal bytes */
		b[40] = 1; /* gap of 25 */
		memset(&s, 0, sizeof(s));
		EXPECT_EQ_U64(pcs_diff_page(a, b, sizeof(a), 8, collect, &s, &nd), 2);
		EXPECT_EQ_U64(s.r[0].off, 10);
		EXPECT_EQ_U64(s.r[0].len, 5);
		EXPECT_EQ_U64(s.r[1].off, 40);
		EXPECT_EQ_U64(s.r[1].len, 1);
		EXPECT_EQ_U64(nd, 3);
		memset(&s, 0, sizeof(s));
		EXPECT_EQ_U64(pcs_diff_page(a, b, sizeof(a), 1, collect, &s, &nd), 3);
	}

	CASE("a difference in the last byte is a range ending at the page end")
	{
		memset(b, 0, sizeof(b));
		b[4095] = 7;
		memset(&s, 0, sizeof(s));
		EXPECT_EQ_U64(pcs_diff_page(a, b, sizeof(a), 8, collect, &s, NULL), 1);
		EXPECT_EQ_U64(s.r[0].off, 4095);
		EXPECT_EQ_U64(s.r[0].len, 1);
	}

	CASE("reference page past EOF reads as zeros, partial last page is zero-filled")
	{
		char path[] = "/tmp/pcs-ref-XXXXXX";
		int fd = mkstemp(path);
		uint8_t page[4096];
		size_t got = 99;
		struct pcs_error err;

		EXPECT(fd >= 0);
		EXPECT(write(fd, "hello", 5) == 5);
		memset(page, 0xff, sizeof(page));
		EXPECT(pcs_ref_read_page(fd, 0, 4096, page, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 5);
		EXPECT(memcmp(page, "hello", 5) == 0);
		EXPECT_EQ_U64(page[5], 0);
		EXPECT_EQ_U64(page[4095], 0);
		EXPECT(pcs_ref_read_page(fd, 3, 4096, page, &got, &err) == PCS_OK);
		EXPECT_EQ_U64(got, 0);
		close(fd);
		unlink(path);
	}

	CASE("hexdump without colour marks differing bytes with '*' and a marker column")
	{
		uint8_t x[32] = "Hello, page cache! 0123456789ab";
		uint8_t y[32];
		struct pcs_hexdump_opts o = {.base = 0xffff000012345000ull, .ref = y};

		memcpy(y, x, sizeof(x));
		y[1] = 'E';
		char *out = dump_to_string(x, sizeof(x), &o, &nd);
		EXPECT_EQ_U64(nd, 1);
		EXPECT(strstr(out, "ffff000012345000: 48 65*6c") != NULL);
		EXPECT(strstr(out, "|Hello, page cach|") != NULL);
		EXPECT(strstr(out, "<< 1 differ") != NULL);
		EXPECT(strstr(out, "\033[") == NULL);
		free(out);
	}

	CASE("hexdump with colour uses ANSI escapes, not markers")
	{
		uint8_t x[16] = "abcdefghijklmno", y[16];
		struct pcs_hexdump_opts o = {.ref = y, .colour = true};

		memcpy(y, x, sizeof(x));
		y[0] = 'A';
		char *out = dump_to_string(x, sizeof(x), &o, &nd);
		EXPECT(strstr(out, "\033[") != NULL);
		EXPECT(strstr(out, "61*") == NULL);
		free(out);
	}

	CASE("hexdump only_diff prints differing lines and '*' for skipped ones")
	{
		static uint8_t x[4096], y[4096];
		struct pcs_hexdump_opts o = {.ref = y, .only_diff = true};

		y[0] = 1;
		y[4000] = 1;
		char *out = dump_to_string(x, sizeof(x), &o, &nd);
		EXPECT_EQ_U64(nd, 2);
		EXPECT(strstr(out, "0000000000000000: ") != NULL);
		EXPECT(strstr(out, "\n*\n") != NULL);
		EXPECT(strstr(out, "0000000000000fa0: ") != NULL);
		EXPECT(strstr(out, "0000000000000010: ") == NULL);
		free(out);
	}

	CASE("JSON page row uses the shared schema; addresses are hex strings")
	{
		struct pcs_page_row row = {
		    .index = 3,
		    .offset = 3 * 4096,
		    .page = 0xfffffc0000100000ull,
		    .pfn = 0x4000,
		    .paddr = 0x4000000,
		    .vaddr = 0xffff000004000000ull,
		    .folio = 0xfffffc0000100000ull,
		    .status = PCS_PAGE_PRESENT,
		    .digest = {.algo = PCS_HASH_MD5, .len = 2, .bytes = {0xab, 0xcd}},
		};
		struct json_object *o = pcs_json_page_row(&row);
		struct pcs_diff_range r = {.off = 16,
					   .len = 2,
					   .vmcore = (const uint8_t *)"\x01\x02",
					   .ref = (const uint8_t *)"\x00\x00"};

		pcs_json_row_set_ref(o, "differs");
		pcs_json_row_add_diff(o, &r);
		const char *js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
		EXPECT(strstr(js, "\"index\":3") != NULL);
		EXPECT(strstr(js, "\"offset\":12288") != NULL);
		EXPECT(strstr(js, "\"page\":\"0xfffffc0000100000\"") != NULL);
		EXPECT(strstr(js, "\"pfn\":16384") != NULL);
		EXPECT(strstr(js, "\"paddr\":\"0x4000000\"") != NULL);
		EXPECT(strstr(js, "\"status\":\"present\"") != NULL);
		EXPECT(strstr(js, "\"hash\":\"abcd\"") != NULL);
		EXPECT(strstr(js, "\"ref\":\"differs\"") != NULL);
		EXPECT(strstr(js, "\"diffs\":[{\"offset\":16,\"length\":2,\"vmcore\":\"0102\","
				  "\"ref\":\"0000\"}]") != NULL);
		json_object_put(o);
	}

	CASE("JSON excluded row has no hash; summary counts and error object")
	{
		struct pcs_page_row row = {.index = 1,
					   .page = 0x1000,
					   .status = PCS_PAGE_EXCLUDED,
					   .why = "the dump does not contain this page"};
		struct pcs_pagecache_summary sum = {.rows = 2, .present = 1, .excluded = 1};
		struct pcs_error err = {.code = PCS_ERR_CORRUPT, .msg = "xa_node 0x1 has shift 70"};
		struct json_object *o = pcs_json_page_row(&row);
		struct json_object *so = pcs_json_summary(&sum, PCS_HASH_MD5, 0);
		struct json_object *eo = pcs_json_error(&err);

		EXPECT(strstr(json_object_to_json_string(o), "hash") == NULL);
		EXPECT(strstr(json_object_to_json_string(o), "\"status\": \"excluded\"") != NULL);
		EXPECT(strstr(json_object_to_json_string_ext(so, JSON_C_TO_STRING_PLAIN),
			      "\"excluded\":1") != NULL);
		EXPECT(strstr(json_object_to_json_string_ext(so, JSON_C_TO_STRING_PLAIN),
			      "\"differing\":0") != NULL);
		EXPECT(strstr(json_object_to_json_string_ext(eo, JSON_C_TO_STRING_PLAIN),
			      "\"message\":\"xa_node 0x1 has shift 70\"") != NULL);
		json_object_put(o);
		json_object_put(so);
		json_object_put(eo);
	}

	UNIT_EXIT();
}
