// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of the page-table walkers, in the style of libkdumpfile's
 * addrxlat tests: a synthetic page-table image (physical address → entry),
 * then a list of "vaddr → paddr" or "vaddr → error" expectations per granule
 * and VA size. The fake target serves physical reads from the image: a table
 * page listed in the image reads as its entries (zero elsewhere); any other
 * page is missing from the dump (PCS_ERR_NODATA), as makedumpfile would leave it.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arm64_pgtable.h"
#include "crash_machdep.h"
#include "pte.h"
#include "pte_walker.h"
#include "unit.h"
#include "x86_64_pgtable.h"

#define KV PCS_KERNEL_VERSION

struct ent {
	uint64_t addr, val;
};

struct kv {
	const char *key;
	const char *val;
};

struct sym {
	const char *name;
	uint64_t addr;
};

struct image {
	uint64_t table_size;
	const uint64_t *tables;	 /* physical bases of table pages, 0-terminated */
	const struct ent *ents;	 /* physical entries, {0, 0}-terminated */
	const struct ent *kvmem; /* kernel-virtual u64 cells (mm->pgd), {0, 0}-terminated */
	const struct kv *vmcoreinfo;
	const struct sym *syms;
};

static enum pcs_errcode fake_read(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				  size_t len, struct pcs_error *err)
{
	const struct image *im = priv;
	const struct ent *e = as == PCS_KPHYSADDR ? im->ents : im->kvmem;
	bool in_table = false;
	uint64_t val = 0;

	if (len != 8 || (addr & 7))
		return pcs_error_set(err, PCS_ERR_READ, "fake: unaligned read at 0x%" PRIx64, addr);
	for (; e && (e->addr || e->val); e++)
		if (e->addr == addr) {
			memcpy(buf, &e->val, 8);
			return PCS_OK;
		}
	if (as == PCS_KPHYSADDR)
		for (const uint64_t *t = im->tables; *t; t++)
			in_table |= addr >= *t && addr < *t + im->table_size;
	if (!in_table)
		return pcs_error_set(err, PCS_ERR_NODATA, "%s 0x%" PRIx64 " is not in the dump",
				     as == PCS_KPHYSADDR ? "physical" : "virtual", addr);
	memcpy(buf, &val, 8);
	return PCS_OK;
}

static enum pcs_errcode fake_symbol(void *priv, const char *name, uint64_t *addr,
				    struct pcs_error *err)
{
	const struct image *im = priv;

	for (const struct sym *s = im->syms; s && s->name; s++)
		if (strcmp(s->name, name) == 0) {
			*addr = s->addr;
			return PCS_OK;
		}
	return pcs_error_set(err, PCS_ERR_NOSYM, "no symbol %s", name);
}

static enum pcs_errcode fake_member_offset(void *priv, const char *type, const char *member,
					   uint64_t *off, struct pcs_error *err)
{
	(void)priv;
	if (strcmp(type, "mm_struct") == 0 && strcmp(member, "pgd") == 0) {
		*off = 0x48;
		return PCS_OK;
	}
	return pcs_error_set(err, PCS_ERR_NOTYPE, "no %s.%s", type, member);
}

static enum pcs_errcode fake_type_size(void *priv, const char *type, uint64_t *size,
				       struct pcs_error *err)
{
	(void)priv;
	(void)size;
	return pcs_error_set(err, PCS_ERR_NOTYPE, "no %s", type);
}

static enum pcs_errcode fake_vmcoreinfo(void *priv, const char *key, char *buf, size_t len,
					struct pcs_error *err)
{
	const struct image *im = priv;

	for (const struct kv *k = im->vmcoreinfo; k && k->key; k++)
		if (strcmp(k->key, key) == 0) {
			snprintf(buf, len, "%s", k->val);
			return PCS_OK;
		}
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "no VMCOREINFO %s", key);
}

static const struct pcs_target_ops fake_ops = {
    .read = fake_read,
    .symbol_addr = fake_symbol,
    .member_offset = fake_member_offset,
    .type_size = fake_type_size,
    .vmcoreinfo = fake_vmcoreinfo,
};

static struct pcs_target target(const struct image *im, enum pcs_arch arch, uint32_t page_size,
				uint32_t kv)
{
	struct pcs_target t = {&fake_ops, (void *)im, arch, page_size, kv, ""};

	return t;
}

/* One expectation: vaddr translates to paddr, or the walk fails with code + message prefix. */
struct xlat {
	uint64_t vaddr;
	uint64_t paddr;
	enum pcs_errcode code;
	const char *msg;     /* error message prefix, or a substring of the leaf's verdict */
	unsigned int levels; /* entries the walk must record (0: don't check) */
};

static struct pcs_pte_walk w;
static struct pcs_error err;

static void check(const char *regime, const struct xlat *x, enum pcs_errcode rc)
{
	static char name[200]; /* unit_case points at it after return */

	if (x->code == PCS_OK)
		snprintf(name, sizeof(name), "%s: 0x%016" PRIx64 " -> 0x%" PRIx64 " (%s)", regime,
			 x->vaddr, x->paddr, x->msg ? x->msg : "mapped");
	else
		snprintf(name, sizeof(name), "%s: 0x%016" PRIx64 " -> %s", regime, x->vaddr,
			 x->msg);
	CASE(name)
	{
		EXPECT(rc == x->code);
		if (rc != x->code)
			fprintf(stderr, "    got %s: %s\n", pcs_errcode_name(rc),
				rc ? err.msg : w.verdict);
		if (x->code == PCS_OK) {
			EXPECT(w.mapped);
			EXPECT_EQ_U64(w.paddr, x->paddr);
			if (x->msg)
				EXPECT(strstr(w.verdict, x->msg) != NULL);
		} else {
			EXPECT(!w.mapped);
			EXPECT(strncmp(err.msg, x->msg, strlen(x->msg)) == 0);
			if (strncmp(err.msg, x->msg, strlen(x->msg)) != 0)
				fprintf(stderr, "    message: %s\n", err.msg);
		}
		if (x->levels)
			EXPECT(w.nlevels == x->levels);
	}
}

static void run_arm64(const char *regime, const struct image *im, struct pcs_arm64_fmt f,
		      uint64_t root, const struct xlat *xs)
{
	struct pcs_target t = target(im, PCS_ARCH_ARM64, 1u << f.page_shift, f.kernel_version);
	struct pcs_arm64_layout l = {.kfmt = f, .ufmt = f};

	for (; xs->vaddr || xs->msg; xs++)
		check(regime, xs, pcs_arm64_walk(&t, &l, root, xs->vaddr, &w, &err));
}

static void run_x86_64(const char *regime, const struct image *im, bool la57, uint64_t root,
		       const struct xlat *xs)
{
	struct pcs_target t = target(im, PCS_ARCH_X86_64, 4096, KV(6, 1, 0));
	struct pcs_x86_64_layout l = {.la57 = la57, .kernel_version = KV(6, 1, 0)};

	for (; xs->vaddr || xs->msg; xs++)
		check(regime, xs, pcs_x86_64_walk(&t, &l, root, xs->vaddr, &w, &err));
}

/*
 * arm64, 4K pages, 48-bit VA (pgd L0 → pud L1 → pmd L2 → pte L3), kernel 5.4.
 * Kernel VAs: 0xffff000000000000 + (pgd << 39 | pud << 30 | pmd << 21 | pte << 12).
 */
static const uint64_t a4k_tables[] = {0x1000, 0x2000, 0x3000, 0x4000, 0};
static const struct ent a4k_ents[] = {
    {0x1000, 0x2003},		  /* pgd[0] -> pud 0x2000 */
    {0x1008, 0x0000008000000401}, /* pgd[1]: block at level 0: not with 4K/48 */
    {0x1018, 0x5000000000002003}, /* pgd[3] -> pud 0x2000, APTable read-only, UXNTable */
    {0x2000, 0x3003},		  /* pud[0] -> pmd 0x3000 */
    {0x2008, 0x0060000040000701}, /* pud[1]: 1G block at 0x40000000 */
    {0x3000, 0x4003},		  /* pmd[0] -> pte 0x4000 */
    {0x3008, 0x0060000080200701}, /* pmd[1]: 2M block at 0x80200000 */
    {0x3020, 0x9003},		  /* pmd[4] -> pte table 0x9000, not in the dump */
    {0x4000, 0x006800022277d713}, /* pte[0]: the seed's page, before */
    {0x4008, 0x00e000022277d793}, /* pte[1]: the seed's page, after pte_wrprotect */
    {0x4018, 0x0460000055555f92}, /* pte[3]: PAGE_NONE (PTE_PROT_NONE) */
    {0x4020, 0x0000000066666401}, /* pte[4]: 0b01 at level 3: reserved */
    {0x4080, 0x0078000012340703}, /* pte[16]: contiguous run of 16 */
    {0x4088, 0x0078000012341703}, /* pte[17] */
    {0, 0},
};
static const struct image a4k = {0x1000, a4k_tables, a4k_ents, NULL, NULL, NULL};
static const struct xlat a4k_cases[] = {
    {0xffff000000000123, 0x22277d123, PCS_OK,
     "kernel read-write, non-executable, 4K page; Linux: write, dirty (hw)", 4},
    {0xffff000000001abc, 0x22277dabc, PCS_OK,
     "kernel read-only, non-executable, 4K page; Linux: dirty (sw)", 4},
    {0xffff018000000123, 0x22277d123, PCS_OK,
     "dirty (hw); table bits limit it to kernel read-only, non-executable", 4},
    {0xffff000000010456, 0x12340456, PCS_OK, "contiguous (64K run)", 4},
    {0xffff000000011fff, 0x12341fff, PCS_OK, "contiguous", 4},
    {0xffff000000212345, 0x80212345, PCS_OK, "2M block", 3},
    {0xffff000041234567, 0x41234567, PCS_OK, "1G block", 2},
    {0xffff000000600000, 0, PCS_ERR_NOTFOUND, "pmd not present: pmd[3] = 0x0", 3},
    {0xffff000000002000, 0, PCS_ERR_NOTFOUND, "pte not present: pte[2] = 0x0", 4},
    {0xffff010000000000, 0, PCS_ERR_NOTFOUND, "pgd not present: pgd[2] = 0x0", 1},
    {0xffff000000003000, 0, PCS_ERR_NOTFOUND,
     "pte present but invalid to the MMU: pte[3] = 0x460000055555f92", 4},
    {0xffff000000004000, 0, PCS_ERR_NOTFOUND, "bad pte: pte[4] = 0x66666401 (reserved encoding", 4},
    {0xffff008000000000, 0, PCS_ERR_NOTFOUND,
     "bad pgd: pgd[1] = 0x8000000401 (block not allowed at level 0", 1},
    {0xffff000000800000, 0, PCS_ERR_NODATA,
     "reading pte[0] at physical 0x9000: physical 0x9000 is not in the dump", 3},
    /* TTBR0 (user half) walked from the same root */
    {0x0000000000001000, 0x22277d000, PCS_OK, "4K page", 4},
    {0x0001000000000000, 0, PCS_ERR_INVAL, "0x0001000000000000 is outside the user half", 0},
    {0xfff0000000000000, 0, PCS_ERR_INVAL, "0xfff0000000000000 is outside the kernel half", 0},
    {0, 0, 0, NULL, 0},
};

/* arm64, 16K pages, 47-bit VA: pgd L1 (11 bits) → pmd L2 → pte L3. */
static const uint64_t a16k_tables[] = {0x10000, 0x14000, 0x18000, 0};
static const struct ent a16k_ents[] = {
    {0x10000, 0x14003},		   /* pgd[0] -> pmd 0x14000 */
    {0x14000, 0x18003},		   /* pmd[0] -> pte 0x18000 */
    {0x14008, 0x0060000042000701}, /* pmd[1]: 32M block */
    {0x18000, 0x0068000012344703}, /* pte[0] */
    {0, 0},
};
static const struct image a16k = {0x4000, a16k_tables, a16k_ents, NULL, NULL, NULL};
static const struct xlat a16k_cases[] = {
    {0xffff800000000123, 0x12344123, PCS_OK, "16K page", 3},
    {0xffff800003234567, 0x43234567, PCS_OK, "32M block", 2},
    {0xffff800000014000, 0, PCS_ERR_NOTFOUND, "pte not present: pte[5] = 0x0", 3},
    {0xffff000000000000, 0, PCS_ERR_INVAL, "0xffff000000000000 is outside the kernel half", 0},
    {0, 0, 0, NULL, 0},
};

/* arm64, 64K pages, 42-bit VA: pgd L2 (13 bits) → pte L3; 52-bit OA (LPA). */
static const uint64_t a64k_tables[] = {0x100000, 0x110000, 0};
static const struct ent a64k_ents[] = {
    {0x100000, 0x110003},	    /* pgd[0] -> pte 0x110000 */
    {0x100008, 0x0060000060000701}, /* pgd[1]: 512M block */
    {0x110008, 0x0068000012350703}, /* pte[1] */
    {0x110010, 0x0068000012365703}, /* pte[2]: OA[51:48] = 5 */
    {0, 0},
};
static const struct image a64k = {0x10000, a64k_tables, a64k_ents, NULL, NULL, NULL};
static const struct xlat a64k_cases[] = {
    {0xfffffc0000011234, 0x12351234, PCS_OK, "64K page", 2},
    {0xfffffc0000020010, 0x5000012360010, PCS_OK, "64K page", 2},
    {0xfffffc0020012345, 0x60012345, PCS_OK, "512M block", 1},
    {0xfffffc0000030000, 0, PCS_ERR_NOTFOUND, "pte not present: pte[3] = 0x0", 2},
    {0, 0, 0, NULL, 0},
};

/* arm64, 64K pages, 48-bit VA (the lab's bookworm-arm64-64k kernel and the usual distribution
 * 64K layout): pgd L1 (6 bits) → pmd L2 (13 bits) → pte L3 (13 bits). */
static const uint64_t a64k48_tables[] = {0x100000, 0x110000, 0x120000, 0};
static const struct ent a64k48_ents[] = {
    {0x100000, 0x110003},	    /* pgd[0] -> pmd 0x110000 */
    {0x110000, 0x120003},	    /* pmd[0] -> pte 0x120000 */
    {0x110008, 0x0060000060000701}, /* pmd[1]: 512M block */
    {0x120008, 0x0068000012350703}, /* pte[1] */
    {0, 0},
};
static const struct image a64k48 = {0x10000, a64k48_tables, a64k48_ents, NULL, NULL, NULL};
static const struct xlat a64k48_cases[] = {
    {0xffff000000011234, 0x12351234, PCS_OK, "64K page", 3},
    {0xffff000020012345, 0x60012345, PCS_OK, "512M block", 2},
    {0xffff000000020000, 0, PCS_ERR_NOTFOUND, "pte not present: pte[2] = 0x0", 3},
    {0xffff040000000000, 0, PCS_ERR_NOTFOUND, "pgd not present: pgd[1] = 0x0", 1},
    {0xfff0000000000000, 0, PCS_ERR_INVAL, "0xfff0000000000000 is outside the kernel half", 0},
    {0, 0, 0, NULL, 0},
};

/* arm64, 4K pages, 52-bit VA with LPA2: pgd L-1 (4 bits) → p4d L0 → pud → pmd → pte. */
static const uint64_t a52_tables[] = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0};
static const struct ent a52_ents[] = {
    {0x1000, 0x2003},		  /* pgd[0] -> p4d */
    {0x2000, 0x3003},		  /* p4d[0] -> pud */
    {0x2008, 0x0060800000000401}, /* p4d[1]: 512G block at 0x800000000000 */
    {0x3000, 0x4003},		  /* pud[0] -> pmd */
    {0x4000, 0x5003},		  /* pmd[0] -> pte */
    {0x5008, 0x0068000012345703}, /* pte[1]: OA[51:50] = 3 */
    {0, 0},
};
static const struct image a52 = {0x1000, a52_tables, a52_ents, NULL, NULL, NULL};
static const struct xlat a52_cases[] = {
    {0xfff0000000001055, 0xc000012345055, PCS_OK, "4K page", 5},
    {0xfff0008123456789, 0x800123456789, PCS_OK, "512G block", 2},
    {0xfff0000000002000, 0, PCS_ERR_NOTFOUND, "pte not present: pte[2] = 0x0", 5},
    {0xfff1000000000000, 0, PCS_ERR_NOTFOUND, "pgd not present: pgd[1] = 0x0", 1},
    {0, 0, 0, NULL, 0},
};

/* x86_64, 4-level: pgd (PML4) → pud → pmd → pte. */
static const uint64_t x4_tables[] = {0x1000, 0x2000, 0x3000, 0x4000, 0};
static const struct ent x4_ents[] = {
    {0x1800, 0x2063},		  /* pgd[256] -> pud */
    {0x2000, 0x3063},		  /* pud[0] -> pmd */
    {0x2008, 0x80000000400001e3}, /* pud[1]: 1G page */
    {0x1808, 0x8000000000002061}, /* pgd[257] -> pud: read-only, supervisor, no-execute below */
    {0x3000, 0x4063},		  /* pmd[0] -> pte */
    {0x3008, 0x800000007fe001e3}, /* pmd[1]: 2M page */
    {0x4000, 0x8000000012345163}, /* pte[0] */
    {0x4010, 0x8000000012346100}, /* pte[2]: PROT_NONE */
    {0x4018, 0x0000000012347025}, /* pte[3]: user read-only executable */
    {0, 0},
};
static const struct image x4 = {0x1000, x4_tables, x4_ents, NULL, NULL, NULL};
static const struct xlat x4_cases[] = {
    {0xffff800000000abc, 0x12345abc, PCS_OK, "kernel read-write, non-executable, 4K page", 4},
    {0xffff800000201234, 0x7fe01234, PCS_OK, "2M page (PS)", 3},
    {0xffff800052345678, 0x52345678, PCS_OK, "1G page (PS)", 2},
    {0xffff800000003004, 0x12347004, PCS_OK, "user read-only, executable", 4},
    {0xffff808000003004, 0x12347004, PCS_OK,
     "user read-only, executable, 4K page; table bits limit it to kernel read-only, "
     "non-executable",
     4},
    {0xffff800000001000, 0, PCS_ERR_NOTFOUND, "pte not present: pte[1] = 0x0", 4},
    {0xffff800000002000, 0, PCS_ERR_NOTFOUND,
     "pte present but invalid to the MMU: pte[2] = 0x8000000012346100", 4},
    {0xffff880000000000, 0, PCS_ERR_NOTFOUND, "pgd not present: pgd[272] = 0x0", 1},
    {0x0000800000000000, 0, PCS_ERR_INVAL, "0x0000800000000000 is not canonical", 0},
    {0, 0, 0, NULL, 0},
};

/* x86_64, 5-level (LA57): pgd (PML5) → p4d → pud → pmd → pte. */
static const uint64_t x5_tables[] = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0};
static const struct ent x5_ents[] = {
    {0x1800, 0x2063},		  /* pgd[256] -> p4d */
    {0x2000, 0x3063},		  /* p4d[0] -> pud */
    {0x3000, 0x4063},		  /* pud[0] -> pmd */
    {0x4000, 0x5063},		  /* pmd[0] -> pte */
    {0x5028, 0x8000000abcdef163}, /* pte[5] */
    {0, 0},
};
static const struct image x5 = {0x1000, x5_tables, x5_ents, NULL, NULL, NULL};
static const struct xlat x5_cases[] = {
    {0xff00000000005123, 0xabcdef123, PCS_OK, "4K page", 5},
    {0xff00008000000000, 0, PCS_ERR_NOTFOUND, "p4d not present: p4d[1] = 0x0", 2},
    {0x0100000000000000, 0, PCS_ERR_INVAL, "0x0100000000000000 is not canonical", 0},
    {0, 0, 0, NULL, 0},
};

static void walk_records_every_level(void)
{
	struct pcs_target t = target(&a4k, PCS_ARCH_ARM64, 4096, KV(5, 4, 0));
	struct pcs_arm64_layout l = {.kfmt = {12, 48, false, KV(5, 4, 0)}};
	static const char *const names[] = {"pgd", "pud", "pmd", "pte"};

	l.ufmt = l.kfmt;
	l.have_linear = true;
	l.phys_offset = 0;
	l.page_offset = pcs_arm64_page_offset(48, KV(5, 4, 0));
	CASE("arm64 walk records each level: name, index, entry paddr and linear-map vaddr, raw")
	{
		EXPECT(pcs_arm64_walk(&t, &l, 0x1000, 0xffff000000011000, &w, &err) == PCS_OK);
		EXPECT(w.nlevels == 4);
		for (unsigned int i = 0; i < w.nlevels && i < 4; i++)
			EXPECT_STREQ(w.lv[i].d.level_name, names[i]);
		EXPECT(w.lv[3].index == 17);
		EXPECT_EQ_U64(w.lv[3].table_paddr, 0x4000);
		EXPECT_EQ_U64(w.lv[3].entry_paddr, 0x4088);
		EXPECT_EQ_U64(w.lv[3].entry_vaddr, 0xffff000000004088);
		EXPECT_EQ_U64(w.lv[3].d.raw, 0x0078000012341703);
		EXPECT(w.lv[3].d.contiguous);
		EXPECT(!w.user_half);
		EXPECT(w.va_bits == 48);
		EXPECT_EQ_U64(w.page_size, 4096);
	}
}

static void linear_map(void)
{
	CASE("arm64 PAGE_OFFSET: -(1 << VA_BITS) from 5.4, ~0 << (VA_BITS - 1) before")
	{
		EXPECT_EQ_U64(pcs_arm64_page_offset(48, KV(6, 1, 0)), 0xffff000000000000);
		EXPECT_EQ_U64(pcs_arm64_page_offset(52, KV(6, 12, 0)), 0xfff0000000000000);
		EXPECT_EQ_U64(pcs_arm64_page_offset(48, KV(4, 19, 0)), 0xffff800000000000);
		EXPECT_EQ_U64(pcs_arm64_page_offset(39, KV(4, 19, 0)), 0xffffffc000000000);
	}
	CASE("arm64 linear map with a negative PHYS_OFFSET (randomised linear map)")
	{
		struct pcs_arm64_layout l = {.have_linear = true,
					     .phys_offset = 0xffffd2f340000000,
					     .page_offset = 0xffff000000000000};
		uint64_t va = 0;

		EXPECT(pcs_arm64_phys_to_virt(&l, 0x40000000, &va));
		EXPECT_EQ_U64(va, 0xffff2d0d00000000);
	}
}

/*
 * Whole path through the target: VMCOREINFO, symbols, swapper_pg_dir made
 * physical with kimage_voffset, and a user walk from mm->pgd (a linear-map
 * VA translated through the kernel tables: pud[1] maps 0x40000000 1G).
 */
static const uint64_t t4k_tables[] = {0x1000,	  0x2000,     0x3000,	  0x4000, 0x40006000,
				      0x40007000, 0x40008000, 0x40009000, 0};
static const struct ent t4k_ents[] = {
    {0x1000, 0x2003},
    {0x2000, 0x3003},
    {0x2008, 0x0060000040000701}, /* pud[1]: 1G block at 0x40000000 */
    {0x3000, 0x4003},
    {0x4000, 0x006800022277d713},
    {0x40006000, 0x40007003},	      /* user pgd[0] */
    {0x40007000, 0x40008003},	      /* user pud[0] */
    {0x40008000, 0x40009003},	      /* user pmd[0] */
    {0x40009080, 0x0020000099999fc3}, /* user pte[16]: read-only executable */
    {0, 0},
};
static const struct ent t4k_kvmem[] = {
    {0xffff0000c0000048, 0xffff000040006000}, /* mm_struct 0xffff0000c0000000: pgd */
    {0, 0},
};
static const struct kv t4k_vmcoreinfo[] = {
    {"NUMBER(VA_BITS)", "48"},
    {"NUMBER(TCR_EL1_T1SZ)", "16"},
    {"NUMBER(kimage_voffset)", "0xffff800008000000"},
    {"NUMBER(PHYS_OFFSET)", "0x0"},
    {NULL, NULL},
};
static const struct sym t4k_syms[] = {
    {"swapper_pg_dir", 0xffff800008001000}, /* - kimage_voffset = 0x1000 */
    {NULL, 0},
};
static const struct image t4k = {0x1000, t4k_tables, t4k_ents, t4k_kvmem, t4k_vmcoreinfo, t4k_syms};
/* VMCOREINFO of Debian 13's 6.12.118 arm64 kernel under QEMU -cpu max,lpa2=off (as on a Kunpeng
 * 920): memstart_addr = 0x40000000 - (_PAGE_OFFSET(48) - _PAGE_OFFSET(52)). */
static const struct kv kunpeng_vmcoreinfo[] = {
    {"NUMBER(VA_BITS)", "52"},
    {"NUMBER(TCR_EL1_T1SZ)", "0x10"},
    {"NUMBER(PHYS_OFFSET)", "0xfff1000040000000"},
    {"NUMBER(kimage_voffset)", "0xffffb716e8200000"},
    {NULL, NULL},
};
static const struct sym kunpeng_syms[] = {{"swapper_pg_dir", 0xffffb716e8201000}, {NULL, 0}};

static const uint64_t tx5_tables[] = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0};
static const struct kv tx5_vmcoreinfo[] = {
    {"NUMBER(pgtable_l5_enabled)", "1"},
    {"NUMBER(phys_base)", "0"},
    {"SYMBOL(init_top_pgt)", "ffffffff80001000"},
    {NULL, NULL},
};
static const struct image tx5 = {0x1000, tx5_tables, x5_ents, NULL, tx5_vmcoreinfo, NULL};

/* A 4.19-style layout: the image below the linear map (VA_BITS=48, no T1SZ). */
static const struct kv t419_vmcoreinfo[] = {
    {"NUMBER(VA_BITS)", "48"},
    {"NUMBER(kimage_voffset)", "0xfffeffffc8000000"},
    {"NUMBER(PHYS_OFFSET)", "0x40000000"},
    {NULL, NULL},
};
static const struct sym t419_syms[] = {
    {"swapper_pg_dir", 0xffff000008e1d000},
    {NULL, 0},
};
static const struct image t419 = {0x1000, t4k_tables, t4k_ents, NULL, t419_vmcoreinfo, t419_syms};
static const struct kv nova_vmcoreinfo[] = {
    {"NUMBER(kimage_voffset)", "0xffff800008000000"},
    {NULL, NULL},
};
static const struct image nova = {0x1000, t4k_tables, t4k_ents, NULL, nova_vmcoreinfo, t4k_syms};

static void layouts(void)
{
	struct pcs_arm64_layout l;

	CASE("arm64 4.19 layout: image below the linear map, PAGE_OFFSET 0xffff800000000000")
	{
		struct pcs_target t = target(&t419, PCS_ARCH_ARM64, 4096, KV(4, 19, 0));

		EXPECT(pcs_arm64_layout_read(&t, &l, &err) == PCS_OK);
		EXPECT_EQ_U64(l.page_offset, 0xffff800000000000);
		EXPECT_EQ_U64(l.phys_offset, 0x40000000);
		EXPECT_EQ_U64(l.swapper_pg_dir, 0x40e1d000);
		EXPECT(l.kfmt.va_bits == 48);
	}
	CASE("arm64 image placement wins over a wrong version: 5.4+ layout seen on a '4.19' dump")
	{
		struct pcs_target t = target(&t4k, PCS_ARCH_ARM64, 4096, KV(4, 19, 0));

		EXPECT(pcs_arm64_layout_read(&t, &l, &err) == PCS_OK);
		EXPECT_EQ_U64(l.page_offset, 0xffff000000000000);
	}
	CASE("arm64 16K pages with T1SZ 17 is a 47-bit, 3-level kernel half")
	{
		static const struct kv vi[] = {
		    {"NUMBER(VA_BITS)", "47"},
		    {"NUMBER(TCR_EL1_T1SZ)", "17"},
		    {"NUMBER(kimage_voffset)", "0xffff800008000000"},
		    {NULL, NULL},
		};
		const struct image im = {0x4000, a16k_tables, a16k_ents, NULL, vi, t4k_syms};
		struct pcs_target t = target(&im, PCS_ARCH_ARM64, 16384, KV(6, 1, 0));

		EXPECT(pcs_arm64_layout_read(&t, &l, &err) == PCS_OK);
		EXPECT(l.kfmt.page_shift == 14 && l.kfmt.va_bits == 47);
		EXPECT(pcs_arm64_start_level(&l.kfmt) == 1);
		EXPECT(!l.have_linear);
	}
	CASE("arm64 6.12 built for 52-bit VA on a CPU without LPA2 (48-bit at run time, as on "
	     "Kunpeng 920): the linear map spans PAGE_OFFSET..PAGE_END, PHYS_OFFSET shifted")
	{
		const struct image im = {0x1000, t4k_tables,	     t4k_ents,
					 NULL,	 kunpeng_vmcoreinfo, kunpeng_syms};
		struct pcs_target t = target(&im, PCS_ARCH_ARM64, 4096, KV(6, 12, 0));
		struct pcs_linear_map lm;
		uint64_t va = 0;

		EXPECT(pcs_linear_map_read(&t, KV(6, 12, 0), &lm, &err) == PCS_OK);
		EXPECT_EQ_U64(lm.page_offset, 0xfff0000000000000);
		EXPECT_EQ_U64(lm.size, (UINT64_C(1) << 52) - (UINT64_C(1) << 47));
		EXPECT(pcs_arm64_layout_read(&t, &l, &err) == PCS_OK);
		EXPECT(l.kfmt.va_bits == 48 && !l.kfmt.pa52);
		EXPECT_EQ_U64(l.linear_size, lm.size);
		EXPECT(pcs_arm64_phys_to_virt(&l, 0x46135000, &va));
		EXPECT_EQ_U64(va, 0xffff000006135000);
		EXPECT(va - l.page_offset < l.linear_size);
	}
	CASE("crash's --machdep for a 52-bit VA 4K kernel at 48-bit VA: the PHYS_OFFSET of a "
	     "-(1 << 48) PAGE_OFFSET and 48 physical address bits; none for other layouts")
	{
		static const struct kv vi52[] = {
		    {"NUMBER(VA_BITS)", "52"},
		    {"NUMBER(TCR_EL1_T1SZ)", "0xc"},
		    {"NUMBER(PHYS_OFFSET)", "0x40000000"},
		    {"NUMBER(kimage_voffset)", "0xffff800008000000"},
		    {NULL, NULL},
		};
		const struct image im = {0x1000, t4k_tables,	     t4k_ents,
					 NULL,	 kunpeng_vmcoreinfo, kunpeng_syms};
		const struct image im52 = {0x1000, t4k_tables, t4k_ents, NULL, vi52, t4k_syms};
		struct pcs_target t = target(&im, PCS_ARCH_ARM64, 4096, KV(6, 12, 0));
		struct pcs_target t52 = target(&im52, PCS_ARCH_ARM64, 4096, KV(6, 12, 0));
		struct pcs_target t48 = target(&t4k, PCS_ARCH_ARM64, 4096, KV(6, 1, 0));
		struct pcs_crash_machdep md;

		EXPECT(pcs_crash_machdep(&t, KV(6, 12, 0), &md, &err) == PCS_OK);
		EXPECT_STREQ(md.args, "-m phys_offset=0x40000000 -m max_physmem_bits=48");
		EXPECT(md.why != NULL);
		EXPECT(pcs_crash_machdep(&t52, KV(6, 12, 0), &md, &err) == PCS_OK);
		EXPECT_STREQ(md.args, "");
		EXPECT(md.why == NULL);
		EXPECT(pcs_crash_machdep(&t48, KV(6, 1, 0), &md, &err) == PCS_OK);
		EXPECT_STREQ(md.args, "");
	}
	CASE("arm64 16K pages, 52-bit VA: the linear map ends at PAGE_END = -(1 << 46)")
	{
		static const struct kv vi[] = {
		    {"NUMBER(VA_BITS)", "52"},
		    {"NUMBER(TCR_EL1_T1SZ)", "0xc"},
		    {"NUMBER(PHYS_OFFSET)", "0x40000000"},
		    {"NUMBER(kimage_voffset)", "0xffff800008000000"},
		    {NULL, NULL},
		};
		const struct image im = {0x4000, a16k_tables, a16k_ents, NULL, vi, t4k_syms};
		struct pcs_target t = target(&im, PCS_ARCH_ARM64, 16384, KV(6, 12, 0));
		struct pcs_linear_map lm;

		EXPECT(pcs_linear_map_read(&t, KV(6, 12, 0), &lm, &err) == PCS_OK);
		EXPECT_EQ_U64(lm.size, (UINT64_C(1) << 52) - (UINT64_C(1) << 46));
	}
	CASE("arm64 dump without NUMBER(VA_BITS): the layout names what is missing")
	{
		struct pcs_target t = target(&nova, PCS_ARCH_ARM64, 4096, KV(6, 1, 0));

		EXPECT(pcs_arm64_layout_read(&t, &l, &err) == PCS_ERR_NOTFOUND);
		EXPECT_STREQ(err.msg, "arm64 page-table layout: no VMCOREINFO NUMBER(VA_BITS)");
	}
}

static void through_target(void)
{
	struct pcs_target t = target(&t4k, PCS_ARCH_ARM64, 4096, KV(6, 1, 0));
	struct pcs_arm64_layout l;
	uint64_t pa = 0;

	CASE("arm64 layout from VMCOREINFO: 4K, T1SZ 16 → 48-bit, swapper_pg_dir at 0x1000")
	{
		EXPECT(pcs_arm64_layout_read(&t, &l, &err) == PCS_OK);
		EXPECT(l.kfmt.page_shift == 12 && l.kfmt.va_bits == 48 && !l.kfmt.pa52);
		EXPECT_EQ_U64(l.swapper_pg_dir, 0x1000);
		EXPECT_EQ_U64(l.page_offset, 0xffff000000000000);
		EXPECT(l.have_linear);
	}
	CASE("arm64 pcs_pte_translate of a kernel address through swapper_pg_dir")
	{
		EXPECT(pcs_pte_translate(&t, 0xffff000000000042, &pa, &err) == PCS_OK);
		EXPECT_EQ_U64(pa, 0x22277d042);
	}
	CASE("arm64 walker with the layout read once translates like pcs_pte_translate")
	{
		struct pcs_pte_walker pw;

		EXPECT(pcs_pte_walker_init(&pw, &t, &err) == PCS_OK);
		EXPECT(pcs_pte_walker_translate(&pw, 0xffff000000000fff, &pa, &err) == PCS_OK);
		EXPECT_EQ_U64(pa, 0x22277dfff);
		EXPECT(pcs_pte_walker_walk(&pw, 0xffff0000c0000000, 0x10000, &w, &err) == PCS_OK);
		EXPECT_EQ_U64(w.paddr, 0x99999000);
	}
	CASE("kvtop: an arm64 linear-map address by __lm_to_phys, the whole linear map as span")
	{
		struct pcs_pte_walker pw;
		uint64_t vb = 0, pb = 1, span = 0;

		EXPECT(pcs_pte_walker_init(&pw, &t, &err) == PCS_OK);
		EXPECT(pcs_pte_walker_kvtop(&pw, 0xffff000000000042, &pa, &vb, &pb, &span, &err) ==
		       PCS_OK);
		EXPECT_EQ_U64(pa, 0x42); /* PHYS_OFFSET 0; the tables are not consulted */
		EXPECT_EQ_U64(vb, 0xffff000000000000);
		EXPECT_EQ_U64(pb, 0);
		EXPECT_EQ_U64(span, UINT64_C(1) << 47);
	}
	CASE("kvtop without PHYS_OFFSET walks (brief decode): the 1G block and its base")
	{
		struct pcs_pte_walker pw;
		uint64_t vb = 0, pb = 0, span = 0;

		EXPECT(pcs_pte_walker_init(&pw, &t, &err) == PCS_OK);
		pw.l.arm64.have_linear = false;
		EXPECT(pcs_pte_walker_kvtop(&pw, 0xffff000040000123, &pa, &vb, &pb, &span, &err) ==
		       PCS_OK);
		EXPECT_EQ_U64(pa, 0x40000123);
		EXPECT_EQ_U64(vb, 0xffff000040000000);
		EXPECT_EQ_U64(pb, 0x40000000);
		EXPECT_EQ_U64(span, UINT64_C(1) << 30);
		/* the same walk in full agrees */
		EXPECT(pcs_pte_walker_walk(&pw, 0, 0xffff000040000123, &w, &err) == PCS_OK);
		EXPECT(w.paddr == pa && w.page_size == span && w.lv[w.nlevels - 1].d.nfields > 0);
		/* and a hole is an error naming the level, as in a full walk */
		EXPECT(pcs_pte_walker_kvtop(&pw, 0xffff000080000000, &pa, &vb, &pb, &span, &err) !=
		       PCS_OK);
		EXPECT(strstr(err.msg, "not present") != NULL);
	}
	CASE("arm64 user address with no mm is refused with a sentence")
	{
		EXPECT(pcs_pte_walk(&t, 0, 0x10000, &w, &err) == PCS_ERR_INVAL);
		EXPECT(strstr(err.msg, "is a user address") != NULL);
	}
	CASE(
	    "arm64 user address walked from mm->pgd (linear-map VA made physical by a kernel walk)")
	{
		EXPECT(pcs_pte_walk(&t, 0xffff0000c0000000, 0x10123, &w, &err) == PCS_OK);
		EXPECT(w.user_half);
		EXPECT_EQ_U64(w.root_paddr, 0x40006000);
		EXPECT_EQ_U64(w.paddr, 0x99999123);
		EXPECT_STREQ(w.verdict, "user read-only, executable, 4K page");
		EXPECT(w.user && !w.writable && w.user_exec && !w.kernel_exec);
		EXPECT_EQ_U64(w.lv[0].entry_vaddr, 0xffff000040006000);
	}
	CASE("arm64 kernel address with an mm still walks swapper_pg_dir (TTBR1)")
	{
		EXPECT(pcs_pte_walk(&t, 0xffff0000c0000000, 0xffff000000000042, &w, &err) ==
		       PCS_OK);
		EXPECT_EQ_U64(w.root_paddr, 0x1000);
	}
	CASE("arm64 mm whose mm_struct is not in the dump: the read error, with context")
	{
		EXPECT(pcs_pte_walk(&t, 0xffff0000d0000000, 0x10123, &w, &err) == PCS_ERR_NODATA);
		EXPECT(strncmp(err.msg, "reading mm_struct 0xffff0000d0000000 pgd", 40) == 0);
	}

	struct pcs_target tx = target(&tx5, PCS_ARCH_X86_64, 4096, KV(6, 1, 0));
	struct pcs_x86_64_layout xl;

	CASE(
	    "x86_64 layout from VMCOREINFO: LA57, init_top_pgt at 0x1000, default page_offset_base")
	{
		EXPECT(pcs_x86_64_layout_read(&tx, &xl, &err) == PCS_OK);
		EXPECT(xl.la57);
		EXPECT_EQ_U64(xl.init_top_pgt, 0x1000);
		EXPECT_EQ_U64(xl.page_offset_base, 0xff11000000000000);
	}
	CASE("x86_64 5-level walk through the target")
	{
		EXPECT(pcs_pte_walk(&tx, 0, 0xff00000000005123, &w, &err) == PCS_OK);
		EXPECT_EQ_U64(w.paddr, 0xabcdef123);
		EXPECT(w.nlevels == 5);
		EXPECT_STREQ(w.lv[0].d.level_name, "pgd");
		EXPECT_STREQ(w.lv[1].d.level_name, "p4d");
		EXPECT_EQ_U64(w.lv[0].entry_vaddr, 0xff11000000001800);
		EXPECT(w.va_bits == 57);
	}
	CASE("x86_64 with SME: the C-bit (NUMBER(sme_mask)) is not part of the address")
	{
		static const struct kv vi[] = {
		    {"NUMBER(pgtable_l5_enabled)", "0"},	  {"NUMBER(phys_base)", "0"},
		    {"NUMBER(sme_mask)", "140737488355328"}, /* bit 47 */
		    {"SYMBOL(init_top_pgt)", "ffffffff80001000"}, {NULL, NULL},
		};
		static const struct ent e[] = {
		    {0x1800, 0x800000002063}, /* pgd[256] -> pud, encrypted */
		    {0x2000, 0x800000003063},
		    {0x3000, 0x800000004063},
		    {0x4000, 0x8000800012345163}, /* pte[0], encrypted */
		    {0, 0},
		};
		const struct image im = {0x1000, x4_tables, e, NULL, vi, NULL};
		struct pcs_target ts = target(&im, PCS_ARCH_X86_64, 4096, KV(6, 1, 0));

		EXPECT(pcs_pte_walk(&ts, 0, 0xffff800000000abc, &w, &err) == PCS_OK);
		EXPECT_EQ_U64(w.paddr, 0x12345abc);
		EXPECT_EQ_U64(w.lv[3].d.raw, 0x8000800012345163);
		EXPECT(pcs_pte_field(&w.lv[3].d, "SME C-bit") != NULL);
	}
	CASE("walking an unknown architecture is unsupported")
	{
		struct pcs_target tu = target(&t4k, PCS_ARCH_UNKNOWN, 4096, 0);

		EXPECT(pcs_pte_walk(&tu, 0, 0, &w, &err) == PCS_ERR_UNSUPPORTED);
	}
}

int main(void)
{
	run_arm64("arm64 4K/48", &a4k, (struct pcs_arm64_fmt){12, 48, false, KV(5, 4, 0), false},
		  0x1000, a4k_cases);
	run_arm64("arm64 16K/47", &a16k, (struct pcs_arm64_fmt){14, 47, false, KV(6, 1, 0), false},
		  0x10000, a16k_cases);
	run_arm64("arm64 64K/42 LPA", &a64k,
		  (struct pcs_arm64_fmt){16, 42, true, KV(6, 1, 0), false}, 0x100000, a64k_cases);
	run_arm64("arm64 64K/48", &a64k48, (struct pcs_arm64_fmt){16, 48, true, KV(6, 1, 0), false},
		  0x100000, a64k48_cases);
	run_arm64("arm64 4K/52 LPA2", &a52,
		  (struct pcs_arm64_fmt){12, 52, true, KV(6, 12, 0), false}, 0x1000, a52_cases);
	run_x86_64("x86_64 4-level", &x4, false, 0x1000, x4_cases);
	run_x86_64("x86_64 5-level", &x5, true, 0x1000, x5_cases);
	walk_records_every_level();
	linear_map();
	layouts();
	through_target();
	UNIT_EXIT();
}
