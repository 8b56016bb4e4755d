// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 descriptor decoder. The layouts follow the Arm ARM (VMSAv8-64
 * stage 1) and Linux's pgtable-hwdef.h / pgtable-prot.h / memory.h; the
 * version bounds on software bits follow the kernel history noted per row.
 */
#include "arm64_pte.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pte_fields.h"

#define KV(a, b) PCS_KERNEL_VERSION(a, b, 0)

/* Conditions for field rows (struct pcs_pte_field_desc.cond / nocond). */
#define ARM64_LPA2   (1u << 0) /* 4K/16K granule with FEAT_LPA2 52-bit OA */
#define ARM64_LPA64K (1u << 1) /* 64K granule with FEAT_LPA 52-bit OA */

#define BIT64(n) (UINT64_C(1) << (n))

static const char *const ap_names[] = {
    "EL1 read-write, EL0 none",
    "EL1 read-write, EL0 read-write",
    "EL1 read-only, EL0 none",
    "EL1 read-only, EL0 read-only",
};

static const char *const sh_names[] = {
    "non-shareable",
    "reserved",
    "outer shareable",
    "inner shareable",
};

static const char *const aptable_names[] = {
    "no limit below",
    "no EL0 access below",
    "read-only below",
    "read-only, no EL0 access below",
};

#define FLAG	PCS_PTE_FLAG
#define FLAG_KV PCS_PTE_FLAG_KV
#define ENUM	PCS_PTE_ENUM
#define HEX	PCS_PTE_HEX
#define ARCH	PCS_PTE_ARCH
#define ON_T	PCS_PTE_ON_TABLE
#define ON_L	PCS_PTE_ON_LEAF
#define ON_INV	PCS_PTE_ON_INVALID

/* Table descriptor (levels above the last, bits[1:0] = 0b11). */
static const struct pcs_pte_field_desc arm64_table_fields[] = {
    HEX("OA[51:50]", 8, 9, ON_T, ARM64_LPA2, 0),
    HEX("OA[51:48]", 12, 15, ON_T, ARM64_LPA64K, 0),
    FLAG("PXNTable", 59, ON_T, "privileged execute-never below", ""),
    FLAG("UXNTable", 60, ON_T, "unprivileged execute-never below", ""),
    ENUM("APTable", 61, 62, ON_T, 0, aptable_names),
    FLAG("NSTable", 63, ON_T, "next levels non-secure", ""),
};

/*
 * Block and page descriptors, and Linux's reading of invalid-but-present
 * leaves. Software bits: PTE_WRITE moved from bit 57 onto DBM (51) in 4.3
 * (4.3-4.13 only with CONFIG_ARM64_HW_AFDBM=y, the default); PTE_DEVMAP
 * arrived with ARCH_HAS_PTE_DEVMAP (5.3) and left with devmap (6.17);
 * PMD_PRESENT_INVALID (59) came with THP migration (5.10); PTE_PROT_NONE (58)
 * and PMD_PRESENT_INVALID were replaced in 6.10 by PTE_PRESENT_INVALID
 * (= nG when !PTE_VALID) and bit 58 became PTE_UFFD_WP.
 */
static const struct pcs_pte_field_desc arm64_leaf_fields[] = {
    ARCH("AttrIndx", 2, 4, ON_L),
    FLAG("NS", 5, ON_L, "non-secure", ""),
    ENUM("AP[2:1]", 6, 7, ON_L, 0, ap_names),
    ENUM("SH", 8, 9, ON_L, ARM64_LPA2, sh_names),
    HEX("OA[51:50]", 8, 9, ON_L, ARM64_LPA2, 0),
    FLAG("AF", 10, ON_L, "accessed", "not accessed (first access faults)"),
    FLAG("nG", 11, ON_L, "not global (per ASID)", "global"),
    FLAG_KV("PTE_PRESENT_INVALID", 11, ON_INV, KV(6, 10), 0, "present to Linux, invalid to the MMU",
	    ""),
    HEX("OA[51:48]", 12, 15, ON_L, ARM64_LPA64K, 0),
    FLAG("GP", 50, ON_L, "guarded page (BTI)", ""),
    FLAG_KV("DBM", 51, ON_L, KV(4, 3), 0, "PTE_WRITE: writable, hardware dirty tracking",
	    "PTE_WRITE clear: not writable"),
    FLAG_KV("DBM", 51, ON_L, 0, KV(4, 3), "dirty bit modifier", ""),
    FLAG("Contiguous", 52, ON_L, "contiguous hint (one TLB entry for the run)", ""),
    FLAG("PXN", 53, ON_L, "privileged execute-never", "kernel-executable"),
    FLAG("UXN", 54, ON_L, "unprivileged execute-never", "user-executable"),
    FLAG("PTE_DIRTY", 55, ON_L, "software dirty", ""),
    FLAG("PTE_SPECIAL", 56, ON_L, "special (no struct page)", ""),
    FLAG_KV("PTE_WRITE", 57, ON_L, 0, KV(4, 3), "writable", ""),
    FLAG_KV("PTE_DEVMAP", 57, ON_L, KV(5, 3), KV(6, 17), "device (ZONE_DEVICE) mapping", ""),
    FLAG_KV("PTE_PROT_NONE", 58, ON_INV, 0, KV(6, 10), "PROT_NONE: present to Linux, no access",
	    ""),
    FLAG_KV("PTE_UFFD_WP", 58, ON_L, KV(6, 10), 0, "userfaultfd write-protected", ""),
    FLAG_KV("PMD_PRESENT_INVALID", 59, ON_INV, KV(5, 10), KV(6, 10),
	    "huge pmd present to Linux, invalid to the MMU", ""),
};

/*
 * MAIR_EL1 slots as Linux programs them (arch/arm64/include/asm/memory.h).
 * 5.10 moved MT_NORMAL to index 0 (for MTE's MT_NORMAL_TAGGED); 5.14 dropped
 * the unused Normal-WT and Device-GRE slots. Index 5 is MT_NORMAL_iNC_oWB
 * only in the newest kernels; older ones leave it unprogrammed.
 */
static const struct {
	uint32_t since, until;
	const char *name[8];
} arm64_mair_layouts[] = {
    {0,
     KV(5, 10),
     {"MT_DEVICE_nGnRnE", "MT_DEVICE_nGnRE", "MT_DEVICE_GRE", "MT_NORMAL_NC", "MT_NORMAL",
      "MT_NORMAL_WT", NULL, NULL}},
    {KV(5, 10),
     KV(5, 14),
     {"MT_NORMAL", "MT_NORMAL_TAGGED", "MT_NORMAL_NC", "MT_NORMAL_WT", "MT_DEVICE_nGnRnE",
      "MT_DEVICE_nGnRE", "MT_DEVICE_GRE", NULL}},
    {KV(5, 14),
     0,
     {"MT_NORMAL", "MT_NORMAL_TAGGED", "MT_NORMAL_NC", "MT_DEVICE_nGnRnE", "MT_DEVICE_nGnRE",
      "MT_NORMAL_iNC_oWB", NULL, NULL}},
};

const char *pcs_arm64_mt_name(unsigned int attrindx, uint32_t kernel_version)
{
	for (size_t i = 0; i < sizeof(arm64_mair_layouts) / sizeof(arm64_mair_layouts[0]); i++) {
		if (!pcs_pte_version_in(kernel_version, arm64_mair_layouts[i].since,
					arm64_mair_layouts[i].until))
			continue;
		if (attrindx < 8 && arm64_mair_layouts[i].name[attrindx])
			return arm64_mair_layouts[i].name[attrindx];
		break;
	}
	return "unused MAIR slot";
}

static void arm64_arch_text(const struct pcs_pte_field_desc *f, uint64_t value, char *buf,
			    size_t len, const void *arg)
{
	const struct pcs_arm64_fmt *fmt = arg;

	if (strcmp(f->name, "AttrIndx") == 0)
		snprintf(buf, len, "%s",
			 pcs_arm64_mt_name((unsigned int)value, fmt->kernel_version));
}

enum pcs_errcode pcs_arm64_fmt_check(const struct pcs_arm64_fmt *f, struct pcs_error *err)
{
	if (f->page_shift != 12 && f->page_shift != 14 && f->page_shift != 16)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "arm64 granule of %u bytes (4K, 16K or 64K expected)",
				     f->page_shift < 32 ? 1u << f->page_shift : 0);
	if (f->va_bits < 25 || f->va_bits > 52 || (f->va_bits > 48 && f->va_bits < 52))
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "arm64 VA_BITS=%u", f->va_bits);
	if (f->va_bits == 52 && f->page_shift != 16 && !f->pa52)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "arm64 52-bit VA with %uK pages needs LPA2",
				     (1u << f->page_shift) >> 10);
	return PCS_OK;
}

enum pcs_errcode pcs_arm64_fmt_default(uint32_t page_size, uint32_t kernel_version,
				       struct pcs_arm64_fmt *f, struct pcs_error *err)
{
	f->page_shift = page_size == 65536   ? 16
			: page_size == 16384 ? 14
			: page_size == 4096  ? 12
					     : 0;
	f->va_bits = 48;
	f->pa52 = f->page_shift == 16;
	f->kernel_version = kernel_version;
	f->brief = false;
	if (!f->page_shift)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				     "arm64 granule of %u bytes (4K, 16K or 64K expected)",
				     page_size);
	return PCS_OK;
}

int pcs_arm64_start_level(const struct pcs_arm64_fmt *f)
{
	unsigned int per = f->page_shift - 3;
	unsigned int levels = (f->va_bits - f->page_shift + per - 1) / per;

	return 4 - (int)levels;
}

unsigned int pcs_arm64_level_shift(const struct pcs_arm64_fmt *f, int level)
{
	return f->page_shift + (unsigned int)(3 - level) * (f->page_shift - 3);
}

const char *pcs_arm64_level_name(const struct pcs_arm64_fmt *f, int level)
{
	static const char *const names[] = {"p4d", "pud", "pmd", "pte"};

	if (level == pcs_arm64_start_level(f))
		return "pgd";
	if (level < 0 || level > 3)
		return "?";
	return names[level];
}

enum pcs_errcode pcs_arm64_level_by_name(const struct pcs_arm64_fmt *f, const char *name,
					 int *level, struct pcs_error *err)
{
	static const char *const names[] = {"p4d", "pud", "pmd", "pte"};

	if (strcmp(name, "pgd") == 0) {
		*level = pcs_arm64_start_level(f);
		return PCS_OK;
	}
	for (int i = 0; i < 4; i++) {
		if (strcmp(name, names[i]) == 0 && i > pcs_arm64_start_level(f)) {
			*level = i;
			return PCS_OK;
		}
	}
	return pcs_error_set(err, PCS_ERR_INVAL,
			     "arm64 with %uK pages and %u-bit VA has no level \"%s\"",
			     (1u << f->page_shift) >> 10, f->va_bits, name);
}

bool pcs_arm64_block_allowed(const struct pcs_arm64_fmt *f, int level)
{
	int lowest = f->page_shift == 12 ? 1 : 2;

	if (f->pa52)
		lowest--;
	return level >= lowest && level <= 2;
}

uint64_t pcs_arm64_cont_size(const struct pcs_arm64_fmt *f, int level)
{
	/* CONT_PTES / CONT_PMDS per granule (pgtable-hwdef.h). */
	static const unsigned int cont_ptes[] = {16, 128, 32};
	static const unsigned int cont_pmds[] = {16, 32, 32};
	unsigned int g = (f->page_shift - 12) / 2;

	if (level == 3)
		return (uint64_t)cont_ptes[g] << pcs_arm64_level_shift(f, 3);
	if (level == 2)
		return (uint64_t)cont_pmds[g] << pcs_arm64_level_shift(f, 2);
	return 0;
}

uint64_t pcs_arm64_desc_oa(const struct pcs_arm64_fmt *f, uint64_t raw, int level, bool table)
{
	unsigned int shift = table ? f->page_shift : pcs_arm64_level_shift(f, level);

	if (f->pa52 && f->page_shift == 16)
		return (raw & pcs_pte_mask(shift, 47)) | pcs_pte_bits(raw, 12, 15) << 48;
	if (f->pa52)
		return (raw & pcs_pte_mask(shift, 49)) | pcs_pte_bits(raw, 8, 9) << 50;
	return raw & pcs_pte_mask(shift, 47);
}

static enum pcs_pte_kind arm64_kind(const struct pcs_arm64_fmt *f, uint64_t raw, int level)
{
	bool leaf_level = level == 3 || pcs_arm64_block_allowed(f, level);
	uint32_t kv = f->kernel_version ? f->kernel_version : UINT32_MAX;

	if (!(raw & 1)) {
		bool present;

		if (!raw)
			return PCS_PTE_NONE;
		if (kv >= KV(6, 10))
			present = raw & BIT64(11);
		else
			present = (raw & BIT64(58)) ||
				  (level < 3 && kv >= KV(5, 10) && (raw & BIT64(59)));
		return leaf_level && present ? PCS_PTE_PRESENT_INVALID : PCS_PTE_INVALID;
	}
	if (raw & 2)
		return level == 3 ? PCS_PTE_PAGE : PCS_PTE_TABLE;
	return level < 3 && pcs_arm64_block_allowed(f, level) ? PCS_PTE_BLOCK : PCS_PTE_RESERVED;
}

static void arm64_leaf_verdict(const struct pcs_arm64_fmt *f, struct pcs_pte_decode *d)
{
	uint64_t raw = d->raw;
	unsigned int ap = (unsigned int)pcs_pte_bits(raw, 6, 7);
	bool pxn = raw & BIT64(53), uxn = raw & BIT64(54);
	uint32_t kv = f->kernel_version ? f->kernel_version : UINT32_MAX;
	bool sw_write = kv >= KV(4, 3) ? raw & BIT64(51) : raw & BIT64(57);
	char size[16], linux_bits[64] = "";
	char *v = d->verdict;
	size_t n = sizeof(d->verdict);

	d->user = ap & 1;
	d->writable = !(ap & 2);
	d->kernel_exec = !pxn && !(ap == 1);
	d->user_exec = !uxn;
	pcs_pte_size_name(d->size, size, sizeof(size));

	if (d->kind == PCS_PTE_PRESENT_INVALID)
		pcs_pte_verdict_add(v, n, ", ", "no access (PROT_NONE or invalidated)");
	else if (!d->user && !uxn)
		pcs_pte_verdict_add(v, n, ", ", "user execute-only");
	else
		pcs_pte_verdict_add(v, n, ", ", "%s %s, %s", d->user ? "user" : "kernel",
				    d->writable ? "read-write" : "read-only",
				    (d->user ? uxn : pxn) ? "non-executable" : "executable");
	pcs_pte_verdict_add(v, n, ", ", "%s %s", size, d->level == 3 ? "page" : "block");
	if (d->contiguous) {
		char cont[16];

		pcs_pte_size_name(pcs_arm64_cont_size(f, d->level), cont, sizeof(cont));
		pcs_pte_verdict_add(v, n, ", ", "contiguous (%s run)", cont);
	}
	if (!(raw & BIT64(10)))
		pcs_pte_verdict_add(v, n, ", ", "not accessed");

	if (sw_write)
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "write");
	if (kv >= KV(4, 3) && sw_write && !(ap & 2))
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "dirty (hw)");
	if (raw & BIT64(55))
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "dirty (sw)");
	if (raw & BIT64(56))
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "special");
	if (linux_bits[0])
		pcs_pte_verdict_add(v, n, "; ", "Linux: %s", linux_bits);
}

static void arm64_table_verdict(struct pcs_pte_decode *d)
{
	unsigned int apt = (unsigned int)pcs_pte_bits(d->raw, 61, 62);

	snprintf(d->verdict, sizeof(d->verdict), "next-level table at 0x%" PRIx64, d->oa);
	if (apt)
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "APTable: %s",
				    aptable_names[apt]);
	if (d->raw & BIT64(60))
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "UXNTable");
	if (d->raw & BIT64(59))
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "PXNTable");
	if (d->raw & BIT64(63))
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "NSTable");
}

enum pcs_errcode pcs_arm64_pte_decode(const struct pcs_arm64_fmt *f, uint64_t raw, int level,
				      struct pcs_pte_decode *d, struct pcs_error *err)
{
	struct pcs_pte_fields_ctx ctx = {
	    .kernel_version = f->kernel_version,
	    .arch_text = arm64_arch_text,
	    .arg = f,
	};
	enum pcs_errcode rc = pcs_arm64_fmt_check(f, err);
	unsigned int oa_lsb;

	if (rc)
		return rc;
	if (level < pcs_arm64_start_level(f) || level > 3)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "arm64 %uK/%u-bit VA has no lookup level %d",
				     (1u << f->page_shift) >> 10, f->va_bits, level);

	/* brief: the fields table stays unwritten (a walk per read would clear 3 KiB a level) */
	memset(d, 0, f->brief ? offsetof(struct pcs_pte_decode, fields) : sizeof(*d));
	d->verdict[0] = '\0';
	d->raw = raw;
	d->arch = PCS_ARCH_ARM64;
	d->level = level;
	d->level_name = pcs_arm64_level_name(f, level);
	d->kind = arm64_kind(f, raw, level);
	if (f->pa52)
		ctx.cond = f->page_shift == 16 ? ARM64_LPA64K : ARM64_LPA2;

	if (!f->brief)
		pcs_pte_field_add(d, "type", 0, 1, raw & 3, "%s", pcs_pte_kind_name(d->kind));

	switch (d->kind) {
	case PCS_PTE_NONE: snprintf(d->verdict, sizeof(d->verdict), "not present"); return PCS_OK;
	case PCS_PTE_INVALID:
		snprintf(d->verdict, sizeof(d->verdict),
			 "not present (non-zero: swap or migration entry)");
		return PCS_OK;
	case PCS_PTE_RESERVED:
		if (level == 3)
			snprintf(d->verdict, sizeof(d->verdict),
				 "reserved encoding 0b01 at level 3 (faults)");
		else
			snprintf(d->verdict, sizeof(d->verdict),
				 "block not allowed at level %d with %uK pages (faults)", level,
				 (1u << f->page_shift) >> 10);
		return PCS_OK;
	case PCS_PTE_TABLE:
		d->oa = pcs_arm64_desc_oa(f, raw, level, true);
		if (f->brief)
			return PCS_OK;
		pcs_pte_field_add(d, "table", f->page_shift,
				  f->pa52 && f->page_shift != 16 ? 49 : 47, d->oa, "0x%" PRIx64,
				  d->oa);
		ctx.on = PCS_PTE_ON_TABLE;
		pcs_pte_fields_apply(arm64_table_fields,
				     sizeof(arm64_table_fields) / sizeof(arm64_table_fields[0]),
				     &ctx, raw, d);
		arm64_table_verdict(d);
		return PCS_OK;
	case PCS_PTE_PRESENT_INVALID:
	case PCS_PTE_BLOCK:
	case PCS_PTE_PAGE: break;
	}

	d->size = UINT64_C(1) << pcs_arm64_level_shift(f, level);
	d->oa = pcs_arm64_desc_oa(f, raw, level, false);
	d->contiguous = raw & BIT64(52);
	if (f->brief)
		return PCS_OK;
	oa_lsb = pcs_arm64_level_shift(f, level);
	pcs_pte_field_add(d, "OA", oa_lsb, f->pa52 && f->page_shift != 16 ? 49 : 47, d->oa,
			  "0x%" PRIx64, d->oa);
	ctx.on = PCS_PTE_ON_LEAF | (d->kind == PCS_PTE_PRESENT_INVALID ? PCS_PTE_ON_INVALID : 0);
	pcs_pte_fields_apply(arm64_leaf_fields,
			     sizeof(arm64_leaf_fields) / sizeof(arm64_leaf_fields[0]), &ctx, raw,
			     d);
	arm64_leaf_verdict(f, d);
	return PCS_OK;
}
