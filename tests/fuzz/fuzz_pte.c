// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz page-table descriptor decoding and walks (core/pte.c, arm64_pte.c,
 * x86_64_pte.c, arm64_pgtable.c, x86_64_pgtable.c). Input: byte 0 arch (bit 0:
 * x86_64), bits 1-2 granule (arm64 4K/16K/64K), bit 3 la57 (x86_64); byte 1 kernel
 * version; bytes 8..15 a raw descriptor decoded at every level; bytes 16..23 the
 * virtual address walked; bytes 24..31 the root table's physical address. The
 * whole input is physical memory from address 0 (the tables).
 */
#include "arm64_pgtable.h"
#include "fuzz.h"
#include "pte.h"
#include "x86_64_pgtable.h"

static const uint32_t versions[] = {PCS_KERNEL_VERSION(4, 19, 0), PCS_KERNEL_VERSION(5, 4, 0),
				    PCS_KERNEL_VERSION(6, 1, 0), PCS_KERNEL_VERSION(6, 6, 0), 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	static struct pcs_pte_walk w;
	static const char *const levels[] = {"pte", "pmd", "pud", "p4d", "pgd"};
	struct pcs_pte_decode d;
	struct pcs_error err;
	uint64_t raw, va, root;

	if (size < 32 || size > FUZZ_MAX_INPUT)
		return 0;
	bool x86 = data[0] & 1, la57 = data[0] & 8;
	uint32_t ps = 4096u << (2 * ((data[0] >> 1) & 3) > 4 ? 4 : 2 * ((data[0] >> 1) & 3));
	uint32_t kv = versions[data[1] % 5];

	memcpy(&raw, data + 8, 8);
	memcpy(&va, data + 16, 8);
	memcpy(&root, data + 24, 8);
	for (int l = 0; l < 5; l++)
		pcs_pte_decode_value(x86 ? PCS_ARCH_X86_64 : PCS_ARCH_ARM64, raw, levels[l], ps, kv,
				     &d, &err);
	fake_init(&ft, x86 ? PCS_ARCH_X86_64 : PCS_ARCH_ARM64, kv);
	ft.t.page_size = x86 ? 4096 : ps;
	fuzz_map(&ft, PCS_KPHYSADDR, 0, data, size);
	if (x86) {
		struct pcs_x86_64_layout l = {.la57 = la57, .kernel_version = kv};

		pcs_x86_64_walk(&ft.t, &l, root, va, &w, &err);
	} else {
		struct pcs_arm64_layout l = {0};

		if (pcs_arm64_fmt_default(ps, kv, &l.kfmt, &err) == PCS_OK) {
			l.ufmt = l.kfmt;
			pcs_arm64_walk(&ft.t, &l, root, va, &w, &err);
		}
	}
	fake_free(&ft);
	return 0;
}

static void put(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, 8);
}

/* Seeds: a 4-level walk to a 4K page on x86_64 and on arm64 (4K granule). */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	const size_t n = 6 * 4096;

	if (i > 1 || cap < n)
		return 0;
	memset(buf, 0, n);
	buf[0] = i == 0; /* x86_64 / arm64 */
	buf[1] = 2;	 /* 6.1 */
	if (i == 0) {	 /* 0xffff888000201000: pgd 273, pud 0, pmd 1, pte 1 */
		put(buf, 8, 0x8000000000005063ull);
		put(buf, 16, 0xffff888000201000ull);
		put(buf, 24, 0x1000);
		put(buf, 0x1000 + 273 * 8, 0x2063);
		put(buf, 0x2000 + 0 * 8, 0x3063);
		put(buf, 0x3000 + 1 * 8, 0x4063);
		put(buf, 0x4000 + 1 * 8, 0x8000000000005063ull);
	} else { /* 0xffff000000201000: pgd 0, pud 0, pmd 1, pte 1 */
		put(buf, 8, 0x0068000000005713ull);
		put(buf, 16, 0xffff000000201000ull);
		put(buf, 24, 0x1000);
		put(buf, 0x1000, 0x2003);
		put(buf, 0x2000, 0x3003);
		put(buf, 0x3000 + 8, 0x4003);
		put(buf, 0x4000 + 8, 0x0068000000005713ull);
	}
	return n;
}
