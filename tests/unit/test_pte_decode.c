// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of the descriptor decoders (no dump): every case is one raw
 * value, where it was found, for which kernel, and what it must mean.
 */
#include <stdint.h>

#include "arm64_pte.h"
#include "pte.h"
#include "unit.h"
#include "x86_64_pte.h"

#define KV PCS_KERNEL_VERSION

/* The seed's pte of the corrupted page, before and after pte_wrprotect(). */
#define SEED_BEFORE UINT64_C(0x006800022277d713)
#define SEED_AFTER  UINT64_C(0x00e000022277d793)

static struct pcs_pte_decode d, d2;
static struct pcs_error err;

static uint64_t field(const struct pcs_pte_decode *x, const char *name)
{
	const struct pcs_pte_field *f = pcs_pte_field(x, name);

	return f ? f->value : UINT64_C(0xdead);
}

static const char *field_text(const struct pcs_pte_decode *x, const char *name)
{
	const struct pcs_pte_field *f = pcs_pte_field(x, name);

	return f ? f->text : "(no such field)";
}

static struct pcs_arm64_fmt fmt(unsigned int page_shift, unsigned int va_bits, bool pa52,
				uint32_t kv)
{
	struct pcs_arm64_fmt f = {page_shift, va_bits, pa52, kv, false};

	return f;
}

static void arm64_geometry(void)
{
	static const struct {
		unsigned int page_shift, va_bits;
		bool pa52;
		int start;
		const char *top_level_name_below; /* name of start + 1 */
	} g[] = {
	    {12, 39, false, 1, "pmd"}, {12, 48, false, 0, "pud"}, {12, 52, true, -1, "p4d"},
	    {14, 36, false, 2, "pte"}, {14, 47, false, 1, "pmd"}, {14, 48, false, 0, "pud"},
	    {14, 52, true, 0, "pud"},  {16, 42, false, 2, "pte"}, {16, 48, true, 1, "pmd"},
	    {16, 52, true, 1, "pmd"},
	};

	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		struct pcs_arm64_fmt f = fmt(g[i].page_shift, g[i].va_bits, g[i].pa52, 0);
		char name[64];

		snprintf(name, sizeof(name), "arm64 %uK pages, %u-bit VA: walk starts at level %d",
			 (1u << g[i].page_shift) >> 10, g[i].va_bits, g[i].start);
		CASE(name)
		{
			EXPECT(pcs_arm64_fmt_check(&f, &err) == PCS_OK);
			EXPECT(pcs_arm64_start_level(&f) == g[i].start);
			EXPECT_STREQ(pcs_arm64_level_name(&f, g[i].start), "pgd");
			EXPECT_STREQ(pcs_arm64_level_name(&f, g[i].start + 1),
				     g[i].top_level_name_below);
			EXPECT_STREQ(pcs_arm64_level_name(&f, 3), "pte");
			EXPECT(pcs_arm64_level_shift(&f, 3) == g[i].page_shift);
		}
	}
	CASE("arm64 52-bit VA with 4K pages and no LPA2 is rejected")
	{
		struct pcs_arm64_fmt f = fmt(12, 52, false, 0);

		EXPECT(pcs_arm64_fmt_check(&f, &err) == PCS_ERR_UNSUPPORTED);
	}
	CASE("arm64 block sizes: 4K → 1G/2M, 16K → 32M, 64K → 512M (and 4T with LPA)")
	{
		struct pcs_arm64_fmt f4 = fmt(12, 48, false, 0), f16 = fmt(14, 48, false, 0);
		struct pcs_arm64_fmt f64 = fmt(16, 48, true, 0), f4l = fmt(12, 52, true, 0);

		EXPECT(pcs_arm64_block_allowed(&f4, 1) && pcs_arm64_block_allowed(&f4, 2));
		EXPECT(!pcs_arm64_block_allowed(&f4, 0) && !pcs_arm64_block_allowed(&f4, 3));
		EXPECT(pcs_arm64_block_allowed(&f4l, 0));
		EXPECT(!pcs_arm64_block_allowed(&f16, 1) && pcs_arm64_block_allowed(&f16, 2));
		EXPECT_EQ_U64(UINT64_C(1) << pcs_arm64_level_shift(&f16, 2), 32 << 20);
		EXPECT_EQ_U64(UINT64_C(1) << pcs_arm64_level_shift(&f64, 2), 512 << 20);
		EXPECT(pcs_arm64_block_allowed(&f64, 1));
		EXPECT_EQ_U64(UINT64_C(1) << pcs_arm64_level_shift(&f64, 1), UINT64_C(4) << 40);
	}
	CASE("arm64 contiguous runs: 4K pte 64K, 4K pmd 32M, 16K pte 2M, 64K pte 2M")
	{
		struct pcs_arm64_fmt f4 = fmt(12, 48, false, 0), f16 = fmt(14, 48, false, 0);
		struct pcs_arm64_fmt f64 = fmt(16, 48, true, 0);

		EXPECT_EQ_U64(pcs_arm64_cont_size(&f4, 3), 64 << 10);
		EXPECT_EQ_U64(pcs_arm64_cont_size(&f4, 2), 32 << 20);
		EXPECT_EQ_U64(pcs_arm64_cont_size(&f16, 3), 2 << 20);
		EXPECT_EQ_U64(pcs_arm64_cont_size(&f64, 3), 2 << 20);
	}
}

static void arm64_seed(void)
{
	struct pcs_arm64_fmt f54 = fmt(12, 48, false, KV(5, 4, 0));

	CASE("seed pte before: valid 4K page, AF, inner shareable, MT_NORMAL on 5.4")
	{
		EXPECT(pcs_arm64_pte_decode(&f54, SEED_BEFORE, 3, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_PAGE);
		EXPECT_STREQ(d.level_name, "pte");
		EXPECT_EQ_U64(d.oa, 0x22277d000);
		EXPECT_EQ_U64(d.size, 4096);
		EXPECT_EQ_U64(field(&d, "AttrIndx"), 4);
		EXPECT_STREQ(field_text(&d, "AttrIndx"), "MT_NORMAL");
		EXPECT_EQ_U64(field(&d, "SH"), 3);
		EXPECT_STREQ(field_text(&d, "SH"), "inner shareable");
		EXPECT_EQ_U64(field(&d, "AF"), 1);
		EXPECT_EQ_U64(field(&d, "nG"), 0);
		EXPECT_EQ_U64(field(&d, "NS"), 0);
	}
	CASE("seed pte before: kernel read-write (AP[2:1]=00), DBM = PTE_WRITE, PXN and UXN")
	{
		EXPECT_EQ_U64(field(&d, "AP[2:1]"), 0);
		EXPECT_STREQ(field_text(&d, "AP[2:1]"), "EL1 read-write, EL0 none");
		EXPECT_EQ_U64(field(&d, "DBM"), 1);
		EXPECT_STREQ(field_text(&d, "DBM"), "PTE_WRITE: writable, hardware dirty tracking");
		EXPECT_EQ_U64(field(&d, "PXN"), 1);
		EXPECT_EQ_U64(field(&d, "UXN"), 1);
		EXPECT_EQ_U64(field(&d, "PTE_DIRTY"), 0);
		EXPECT_EQ_U64(field(&d, "Contiguous"), 0);
		EXPECT(d.writable && !d.user && !d.kernel_exec && !d.user_exec);
		EXPECT_STREQ(
		    d.verdict,
		    "kernel read-write, non-executable, 4K page; Linux: write, dirty (hw)");
	}
	CASE("seed pte after pte_wrprotect: AP[2] read-only, DBM cleared, PTE_DIRTY set")
	{
		EXPECT(pcs_arm64_pte_decode(&f54, SEED_AFTER, 3, &d2, &err) == PCS_OK);
		EXPECT(d2.kind == PCS_PTE_PAGE);
		EXPECT_EQ_U64(d2.oa, 0x22277d000);
		EXPECT_EQ_U64(field(&d2, "AP[2:1]"), 2);
		EXPECT_STREQ(field_text(&d2, "AP[2:1]"), "EL1 read-only, EL0 none");
		EXPECT_EQ_U64(field(&d2, "DBM"), 0);
		EXPECT_EQ_U64(field(&d2, "PTE_DIRTY"), 1);
		EXPECT(!d2.writable);
		EXPECT_STREQ(d2.verdict,
			     "kernel read-only, non-executable, 4K page; Linux: dirty (sw)");
	}
	CASE("the two seed ptes differ in bits 7, 51, 55: exactly AP[2:1], DBM and PTE_DIRTY")
	{
		unsigned int differing = 0;

		EXPECT_EQ_U64(SEED_BEFORE ^ SEED_AFTER,
			      (UINT64_C(1) << 7) | (UINT64_C(1) << 51) | (UINT64_C(1) << 55));
		EXPECT(d.nfields == d2.nfields);
		for (unsigned int i = 0; i < d.nfields && i < d2.nfields; i++) {
			EXPECT_STREQ(d.fields[i].name, d2.fields[i].name);
			if (d.fields[i].value == d2.fields[i].value)
				continue;
			differing++;
			EXPECT(strcmp(d.fields[i].name, "AP[2:1]") == 0 ||
			       strcmp(d.fields[i].name, "DBM") == 0 ||
			       strcmp(d.fields[i].name, "PTE_DIRTY") == 0);
		}
		EXPECT(differing == 3);
	}
	CASE("decode VALUE --arch arm64 (defaults: pte, 4K) gives the same decode")
	{
		struct pcs_pte_decode x;

		EXPECT(pcs_pte_decode_value(PCS_ARCH_ARM64, SEED_BEFORE, NULL, 0, KV(5, 4, 0), &x,
					    &err) == PCS_OK);
		EXPECT_STREQ(x.verdict, d.verdict);
		EXPECT(x.nfields == d.nfields);
	}
}

static void arm64_mair(void)
{
	CASE(
	    "AttrIndx 4 is MT_NORMAL before 5.10, MT_DEVICE_nGnRnE on 5.10, MT_DEVICE_nGnRE on 6.1")
	{
		EXPECT_STREQ(pcs_arm64_mt_name(4, KV(4, 19, 0)), "MT_NORMAL");
		EXPECT_STREQ(pcs_arm64_mt_name(4, KV(5, 4, 0)), "MT_NORMAL");
		EXPECT_STREQ(pcs_arm64_mt_name(4, KV(5, 10, 0)), "MT_DEVICE_nGnRnE");
		EXPECT_STREQ(pcs_arm64_mt_name(4, KV(6, 1, 0)), "MT_DEVICE_nGnRE");
	}
	CASE("AttrIndx 0 is MT_NORMAL from 5.10, MT_DEVICE_nGnRnE before")
	{
		EXPECT_STREQ(pcs_arm64_mt_name(0, KV(5, 4, 0)), "MT_DEVICE_nGnRnE");
		EXPECT_STREQ(pcs_arm64_mt_name(0, KV(5, 10, 0)), "MT_NORMAL");
		EXPECT_STREQ(pcs_arm64_mt_name(0, KV(6, 12, 0)), "MT_NORMAL");
		EXPECT_STREQ(pcs_arm64_mt_name(1, KV(6, 1, 0)), "MT_NORMAL_TAGGED");
	}
	CASE("unknown kernel version names AttrIndx with the newest layout")
	{
		EXPECT_STREQ(pcs_arm64_mt_name(0, 0), "MT_NORMAL");
		EXPECT_STREQ(pcs_arm64_mt_name(7, 0), "unused MAIR slot");
	}
	CASE("the seed's first pte read on a 6.1 kernel names device memory (wrong era, visible)")
	{
		struct pcs_arm64_fmt f61 = fmt(12, 48, false, KV(6, 1, 0));

		EXPECT(pcs_arm64_pte_decode(&f61, SEED_BEFORE, 3, &d, &err) == PCS_OK);
		EXPECT_STREQ(field_text(&d, "AttrIndx"), "MT_DEVICE_nGnRE");
	}
}

static void arm64_kinds(void)
{
	struct pcs_arm64_fmt f61 = fmt(12, 48, false, KV(6, 1, 0));
	struct pcs_arm64_fmt f54 = fmt(12, 48, false, KV(5, 4, 0));
	struct pcs_arm64_fmt f612 = fmt(12, 48, false, KV(6, 12, 0));

	CASE("arm64 pmd 0x0060000080200701 is a 2M block (PROT_SECT_NORMAL)")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x0060000080200701, 2, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_BLOCK);
		EXPECT_STREQ(d.level_name, "pmd");
		EXPECT_EQ_U64(d.oa, 0x80200000);
		EXPECT_EQ_U64(d.size, 2 << 20);
		EXPECT_STREQ(field_text(&d, "AttrIndx"), "MT_NORMAL");
		EXPECT_STREQ(d.verdict, "kernel read-write, non-executable, 2M block");
	}
	CASE("arm64 pud block on 4K pages is 1G")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x0060000040000701, 1, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_BLOCK);
		EXPECT_EQ_U64(d.size, 1 << 30);
		EXPECT(strstr(d.verdict, "1G block") != NULL);
	}
	CASE("arm64 contiguous PAGE_KERNEL pte is flagged with its run size")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x0078000012340703, 3, &d, &err) == PCS_OK);
		EXPECT(d.contiguous);
		EXPECT_EQ_U64(field(&d, "Contiguous"), 1);
		EXPECT_STREQ(d.verdict,
			     "kernel read-write, non-executable, 4K page, contiguous (64K "
			     "run); Linux: write, dirty (hw)");
	}
	CASE("arm64 table descriptor: next table, UXNTable and PXNTable named")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x1800000000003003, 2, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_TABLE);
		EXPECT_EQ_U64(d.oa, 0x3000);
		EXPECT_EQ_U64(field(&d, "PXNTable"), 1);
		EXPECT_EQ_U64(field(&d, "UXNTable"), 1);
		EXPECT_EQ_U64(field(&d, "APTable"), 0);
		EXPECT_EQ_U64(field(&d, "NSTable"), 0);
		EXPECT(pcs_pte_field(&d, "AttrIndx") == NULL);
		EXPECT_STREQ(d.verdict, "next-level table at 0x3000, UXNTable, PXNTable");
	}
	CASE("arm64 APTable=10 reads 'read-only below'")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x4000000000003003, 1, &d, &err) == PCS_OK);
		EXPECT_STREQ(field_text(&d, "APTable"), "read-only below");
	}
	CASE("arm64 zero entry is 'not present'")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0, 2, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_NONE);
		EXPECT_STREQ(d.verdict, "not present");
	}
	CASE("arm64 0b01 at level 3 is reserved (faults)")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x66666401, 3, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_RESERVED);
	}
	CASE("arm64 block at level 0 with 4K pages and no LPA2 faults")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x0000008000000401, 0, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_RESERVED);
		EXPECT_STREQ(d.verdict, "block not allowed at level 0 with 4K pages (faults)");
	}
	CASE("arm64 PAGE_NONE pte on 5.4: PTE_PROT_NONE (bit 58) makes it present to Linux")
	{
		EXPECT(pcs_arm64_pte_decode(&f54, 0x0460000055555f92, 3, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_PRESENT_INVALID);
		EXPECT_EQ_U64(d.oa, 0x55555000);
		EXPECT_EQ_U64(field(&d, "PTE_PROT_NONE"), 1);
		EXPECT(pcs_pte_field(&d, "PTE_PRESENT_INVALID") == NULL);
		EXPECT(strncmp(d.verdict, "no access (PROT_NONE", 20) == 0);
	}
	CASE("arm64 PAGE_NONE pte on 6.12: PTE_PRESENT_INVALID (nG while invalid), bit 58 is "
	     "uffd-wp")
	{
		EXPECT(pcs_arm64_pte_decode(&f612, 0x0060000055555f92, 3, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_PRESENT_INVALID);
		EXPECT_EQ_U64(field(&d, "PTE_PRESENT_INVALID"), 1);
		EXPECT(pcs_pte_field(&d, "PTE_PROT_NONE") == NULL);
		EXPECT_EQ_U64(field(&d, "PTE_UFFD_WP"), 0);
	}
	CASE("arm64 non-zero invalid pte without PROT_NONE is a swap/migration entry")
	{
		EXPECT(pcs_arm64_pte_decode(&f54, 0x0000000012345600, 3, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_INVALID);
	}
	CASE("arm64 software bits follow the kernel: PTE_DEVMAP on 6.1, not on 4.19; PTE_WRITE=57 "
	     "on 4.2")
	{
		struct pcs_arm64_fmt f419 = fmt(12, 48, false, KV(4, 19, 0));
		struct pcs_arm64_fmt f42 = fmt(12, 48, false, KV(4, 2, 0));

		EXPECT(pcs_arm64_pte_decode(&f61, SEED_BEFORE, 3, &d, &err) == PCS_OK);
		EXPECT(pcs_pte_field(&d, "PTE_DEVMAP") != NULL);
		EXPECT(pcs_arm64_pte_decode(&f419, SEED_BEFORE, 3, &d, &err) == PCS_OK);
		EXPECT(pcs_pte_field(&d, "PTE_DEVMAP") == NULL);
		EXPECT(pcs_arm64_pte_decode(&f42, 0x0260000012345713, 3, &d, &err) == PCS_OK);
		EXPECT_EQ_U64(field(&d, "PTE_WRITE"), 1);
		EXPECT_STREQ(field_text(&d, "DBM"), "");
		EXPECT(strstr(d.verdict, "Linux: write") != NULL);
	}
	CASE("arm64 user execute-only mapping (no PTE_USER, UXN clear)")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x0020000012345f03, 3, &d, &err) == PCS_OK);
		EXPECT(d.user_exec);
		EXPECT(strncmp(d.verdict, "user execute-only", 17) == 0);
	}
	CASE("arm64 user read-only executable page (AP=11, UXN clear)")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, 0x0020000099999fc3, 3, &d, &err) == PCS_OK);
		EXPECT(d.user && !d.writable && d.user_exec);
		EXPECT_STREQ(field_text(&d, "nG"), "not global (per ASID)");
		EXPECT_STREQ(d.verdict, "user read-only, executable, 4K page");
	}
	CASE("arm64 level out of range for the regime is an error")
	{
		EXPECT(pcs_arm64_pte_decode(&f61, SEED_BEFORE, -1, &d, &err) == PCS_ERR_INVAL);
		EXPECT(pcs_arm64_pte_decode(&f61, SEED_BEFORE, 4, &d, &err) == PCS_ERR_INVAL);
	}
}

static void arm64_oa52(void)
{
	CASE("arm64 LPA2 (4K, 52-bit): OA[51:50] from bits 9:8, no SH field")
	{
		struct pcs_arm64_fmt f = fmt(12, 52, true, KV(6, 12, 0));

		EXPECT(pcs_arm64_pte_decode(&f, 0x0068000012345703, 3, &d, &err) == PCS_OK);
		EXPECT_EQ_U64(d.oa, 0xc000012345000);
		EXPECT_EQ_U64(field(&d, "OA[51:50]"), 3);
		EXPECT(pcs_pte_field(&d, "SH") == NULL);
	}
	CASE("arm64 LPA2 table descriptor carries OA[51:50] too")
	{
		struct pcs_arm64_fmt f = fmt(14, 52, true, KV(6, 12, 0));

		EXPECT(pcs_arm64_pte_decode(&f, 0x0000000012344103, 2, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_TABLE);
		EXPECT_EQ_U64(d.oa, 0x4000012344000);
	}
	CASE("arm64 LPA2 4K: 512G block at level 0")
	{
		struct pcs_arm64_fmt f = fmt(12, 52, true, KV(6, 12, 0));

		EXPECT(pcs_arm64_pte_decode(&f, 0x0060800000000401, 0, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_BLOCK);
		EXPECT_EQ_U64(d.size, UINT64_C(512) << 30);
		EXPECT(strstr(d.verdict, "512G block") != NULL);
	}
	CASE("arm64 64K LPA: OA[51:48] from bits 15:12, SH stays")
	{
		struct pcs_arm64_fmt f = fmt(16, 52, true, KV(6, 1, 0));

		EXPECT(pcs_arm64_pte_decode(&f, 0x0068000012365703, 3, &d, &err) == PCS_OK);
		EXPECT_EQ_U64(d.oa, 0x5000012360000);
		EXPECT_EQ_U64(field(&d, "OA[51:48]"), 5);
		EXPECT_STREQ(field_text(&d, "SH"), "inner shareable");
		EXPECT(strstr(d.verdict, "64K page") != NULL);
	}
	CASE("arm64 64K LPA keeps OA bit 47 (OA[47:16] in bits 47:16; libaddrxlat 0.5.1 drops it)")
	{
		struct pcs_arm64_fmt f = fmt(16, 52, true, KV(6, 1, 0));

		EXPECT_EQ_U64(pcs_arm64_desc_oa(&f, 0x0000800000010703, 3, false), 0x800000010000);
	}
	CASE("arm64 LPA2 keeps OA bit 49 (OA[49:12] in bits 49:12; libaddrxlat 0.5.1 drops it)")
	{
		struct pcs_arm64_fmt f = fmt(12, 52, true, KV(6, 12, 0));

		EXPECT_EQ_U64(pcs_arm64_desc_oa(&f, 0x0002000000001403, 3, false), 0x2000000001000);
	}
	CASE("arm64 48-bit OA ignores bits above 47 and below the granule")
	{
		struct pcs_arm64_fmt f = fmt(12, 48, false, KV(6, 1, 0));

		EXPECT_EQ_U64(pcs_arm64_desc_oa(&f, 0x00ffffffffffff03, 3, false), 0xfffffffff000);
		EXPECT_EQ_U64(pcs_arm64_desc_oa(&f, 0x00000000403ff701, 2, false), 0x40200000);
	}
}

static void decode_value_names(void)
{
	CASE("decode VALUE --level pmd on arm64 4K decodes at level 2")
	{
		EXPECT(pcs_pte_decode_value(PCS_ARCH_ARM64, 0x0060000080200701, "pmd", 4096,
					    KV(6, 1, 0), &d, &err) == PCS_OK);
		EXPECT(d.level == 2 && d.kind == PCS_PTE_BLOCK);
	}
	CASE("decode VALUE --level p4d on arm64 4K 48-bit is refused (no such level)")
	{
		EXPECT(pcs_pte_decode_value(PCS_ARCH_ARM64, 0, "p4d", 4096, 0, &d, &err) ==
		       PCS_ERR_INVAL);
	}
	CASE("decode VALUE with a 12K granule is refused")
	{
		EXPECT(pcs_pte_decode_value(PCS_ARCH_ARM64, 0, NULL, 12288, 0, &d, &err) ==
		       PCS_ERR_UNSUPPORTED);
	}
	CASE("decode VALUE --arch unknown is unsupported")
	{
		EXPECT(pcs_pte_decode_value(PCS_ARCH_UNKNOWN, 0, NULL, 0, 0, &d, &err) ==
		       PCS_ERR_UNSUPPORTED);
	}
	CASE("size names")
	{
		char b[16];

		EXPECT_STREQ(pcs_pte_size_name(4096, b, sizeof(b)), "4K");
		EXPECT_STREQ(pcs_pte_size_name(2 << 20, b, sizeof(b)), "2M");
		EXPECT_STREQ(pcs_pte_size_name(32 << 20, b, sizeof(b)), "32M");
		EXPECT_STREQ(pcs_pte_size_name(UINT64_C(1) << 30, b, sizeof(b)), "1G");
		EXPECT_STREQ(pcs_pte_size_name(UINT64_C(512) << 30, b, sizeof(b)), "512G");
		EXPECT_STREQ(pcs_pte_size_name(UINT64_C(4) << 40, b, sizeof(b)), "4T");
	}
}

static void x86_64(void)
{
	CASE("x86_64 kernel pte 0x8000000012345163: P RW A D G NX")
	{
		EXPECT(pcs_x86_64_pte_decode(0x8000000012345163, 1, false, KV(6, 1, 0), &d, &err) ==
		       PCS_OK);
		EXPECT(d.kind == PCS_PTE_PAGE);
		EXPECT_STREQ(d.level_name, "pte");
		EXPECT_EQ_U64(d.oa, 0x12345000);
		EXPECT_EQ_U64(field(&d, "NX"), 1);
		EXPECT_EQ_U64(field(&d, "G"), 1);
		EXPECT_EQ_U64(field(&d, "D"), 1);
		EXPECT_EQ_U64(field(&d, "US"), 0);
		EXPECT_EQ_U64(field(&d, "PAT"), 0);
		EXPECT(pcs_pte_field(&d, "PS") == NULL);
		EXPECT_EQ_U64(field(&d, "PKEY"), 0);
		EXPECT_STREQ(d.verdict,
			     "kernel read-write, non-executable, 4K page, global; Linux: dirty");
	}
	CASE("x86_64 pmd with PS is a 2M page; PAT moves to bit 12")
	{
		EXPECT(pcs_x86_64_pte_decode(0x800000007fe011e3, 2, false, KV(6, 1, 0), &d, &err) ==
		       PCS_OK);
		EXPECT(d.kind == PCS_PTE_BLOCK);
		EXPECT_EQ_U64(d.oa, 0x7fe00000);
		EXPECT_EQ_U64(d.size, 2 << 20);
		EXPECT_EQ_U64(field(&d, "PS"), 1);
		EXPECT_EQ_U64(field(&d, "PAT"), 1);
		EXPECT(strstr(d.verdict, "2M page (PS)") != NULL);
	}
	CASE("x86_64 pud with PS is a 1G page")
	{
		EXPECT(pcs_x86_64_pte_decode(0x80000000400001e3, 3, false, 0, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_BLOCK && d.size == (UINT64_C(1) << 30));
	}
	CASE("x86_64 PS in a pgd entry is reserved")
	{
		EXPECT(pcs_x86_64_pte_decode(0x00000000400000e3, 4, false, 0, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_RESERVED);
	}
	CASE("x86_64 table entry: _KERNPG_TABLE to 0x2000")
	{
		EXPECT(pcs_x86_64_pte_decode(0x2063, 4, false, 0, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_TABLE);
		EXPECT_STREQ(d.level_name, "pgd");
		EXPECT_EQ_U64(d.oa, 0x2000);
		EXPECT_STREQ(d.verdict, "next-level table at 0x2000, supervisor-only below");
	}
	CASE("x86_64 PROT_NONE pte (G without P) is present to Linux")
	{
		EXPECT(pcs_x86_64_pte_decode(0x8000000012346100, 1, false, 0, &d, &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_PRESENT_INVALID);
		EXPECT_EQ_U64(field(&d, "_PAGE_PROTNONE"), 1);
	}
	CASE("x86_64 user pte: read-only, executable, soft-dirty, protection key 5")
	{
		EXPECT(pcs_x86_64_pte_decode(0x2800000012347825, 1, false, KV(6, 1, 0), &d, &err) ==
		       PCS_OK);
		EXPECT(d.user && !d.writable && d.user_exec);
		EXPECT_EQ_U64(field(&d, "PKEY"), 5);
		EXPECT_EQ_U64(field(&d, "_PAGE_SOFT_DIRTY"), 1);
		EXPECT_STREQ(d.verdict, "user read-only, executable, 4K page; Linux: soft-dirty");
	}
	CASE("x86_64 software bits follow the kernel: _PAGE_SAVED_DIRTY only from 6.6")
	{
		EXPECT(pcs_x86_64_pte_decode(0x8000000012345163, 1, false, KV(6, 1, 0), &d, &err) ==
		       PCS_OK);
		EXPECT(pcs_pte_field(&d, "_PAGE_SAVED_DIRTY") == NULL);
		EXPECT(pcs_x86_64_pte_decode(0x8000000012345163, 1, false, KV(6, 6, 0), &d, &err) ==
		       PCS_OK);
		EXPECT(pcs_pte_field(&d, "_PAGE_SAVED_DIRTY") != NULL);
	}
	CASE("x86_64 level names: 4-level pgd/pud/pmd/pte, 5-level adds p4d")
	{
		EXPECT_STREQ(pcs_x86_64_level_name(4, false), "pgd");
		EXPECT_STREQ(pcs_x86_64_level_name(4, true), "p4d");
		EXPECT_STREQ(pcs_x86_64_level_name(5, true), "pgd");
		EXPECT_STREQ(pcs_x86_64_level_name(3, true), "pud");
		EXPECT(pcs_x86_64_level_by_name("p4d", false) == -1);
		EXPECT(pcs_x86_64_level_by_name("pmd", false) == 2);
	}
	CASE("decode VALUE --arch x86_64 --level pmd")
	{
		EXPECT(pcs_pte_decode_value(PCS_ARCH_X86_64, 0x800000007fe001e3, "pmd", 0, 0, &d,
					    &err) == PCS_OK);
		EXPECT(d.kind == PCS_PTE_BLOCK);
	}
}

int main(void)
{
	arm64_geometry();
	arm64_seed();
	arm64_mair();
	arm64_kinds();
	arm64_oa52();
	decode_value_names();
	x86_64();
	UNIT_EXIT();
}
