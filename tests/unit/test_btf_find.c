// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of core/btf_find.c: BTF header checks (magic, version, flags,
 * hdr_len, section placement, the string section's NUL ends) and the search of
 * kernel memory: a blob across a 64 KiB chunk boundary is found, an inconsistent
 * header is reported as corrupt with its address, nothing at all as not found.
 */
#include "btf_find.h"
#include "fake_target.h"
#include "unit.h"

#define IMG UINT64_C(0xffff800009000000)

/* A minimal BTF blob: header, 16 bytes of types, strings "\0int\0". */
static size_t make_blob(uint8_t *b)
{
	const uint32_t hdr[6] = {0x00019feb | 0, 24, 0, 16, 16, 5};

	memcpy(b, hdr, sizeof(hdr));
	b[0] = 0x9f, b[1] = 0xeb, b[2] = 1, b[3] = 0;
	memset(b + 24, 0x11, 16);
	memcpy(b + 40, "\0int\0", 5);
	return 45;
}

static void set32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, 4);
}

int main(void)
{
	static struct fake_target ft;
	struct pcs_btf_header h;
	struct pcs_error err = {0};
	uint8_t b[64];
	int magic;

	CASE("a consistent header and blob pass")
	{
		make_blob(b);
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) == NULL);
		EXPECT(magic == 1);
		EXPECT_EQ_U64(h.total, 45);
		EXPECT(pcs_btf_check_blob(b, &h) == NULL);
	}
	CASE("wrong magic or version: not BTF; other faults: BTF but inconsistent")
	{
		make_blob(b);
		b[1] = 0xec;
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) && !magic);
		make_blob(b);
		b[2] = 2;
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) && !magic);
		make_blob(b);
		set32(b, 4, 32); /* hdr_len */
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) && magic);
		make_blob(b);
		set32(b, 16, 20); /* str_off no longer right after the types */
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) && magic);
		make_blob(b);
		set32(b, 12, 18); /* type_len not a multiple of 4 */
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) && magic);
		make_blob(b);
		set32(b, 20, 0x7fffffff); /* absurd string length */
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) && magic);
		EXPECT(pcs_btf_check_header(b, 20, &h, &magic) != NULL); /* too short */
	}
	CASE("the string section must start and end with NUL")
	{
		make_blob(b);
		EXPECT(pcs_btf_check_header(b, sizeof(b), &h, &magic) == NULL);
		b[40] = 'x';
		EXPECT(pcs_btf_check_blob(b, &h) != NULL);
		make_blob(b);
		b[44] = 'x';
		EXPECT(pcs_btf_check_blob(b, &h) != NULL);
	}
	CASE("search: a blob straddling a 64 KiB boundary is found at its address")
	{
		uint64_t addr;
		void *blob = NULL;
		uint32_t size;

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		uint8_t *m = fake_map(&ft, PCS_KVADDR, IMG, 3 * 65536);

		m[100] = 0x9f; /* a stray magic byte, and a header with another version */
		m[200] = 0x9f, m[201] = 0xeb, m[202] = 7;
		make_blob(m + 65536 - 10);
		EXPECT(pcs_btf_find(&ft.t, IMG, IMG + 3 * 65536, &addr, &blob, &size, &err) ==
		       PCS_OK);
		EXPECT_EQ_U64(addr, IMG + 65536 - 10);
		EXPECT_EQ_U64(size, 45);
		EXPECT(blob && memcmp(blob, m + 65536 - 10, 45) == 0);
		free(blob);
		fake_free(&ft);
	}
	CASE("search: only an inconsistent kernel header is corrupt, naming where")
	{
		uint64_t addr;
		void *blob = NULL;
		uint32_t size;

		fake_init(&ft, PCS_ARCH_ARM64, 0);
		uint8_t *m = fake_map(&ft, PCS_KVADDR, IMG, 65536);

		make_blob(m + 4096);
		set32(m + 4096, 16, 0x100); /* string offset corrupted */
		EXPECT(pcs_btf_find(&ft.t, IMG, IMG + 65536, &addr, &blob, &size, &err) ==
		       PCS_ERR_CORRUPT);
		EXPECT(strstr(err.msg, "corrupt") && strstr(err.msg, "ffff800009001000"));
		memset(m + 4096, 0, 64);
		EXPECT(pcs_btf_find(&ft.t, IMG, IMG + 65536, &addr, &blob, &size, &err) ==
		       PCS_ERR_NOTFOUND);
		fake_free(&ft);
	}
	return unit_failed;
}
