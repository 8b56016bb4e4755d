// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 page-table entry decoder. Layout from the SDM (4-level and 5-level
 * paging) and the names Linux gives the software-available bits.
 */
#include "x86_64_pte.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pte_fields.h"

#define KV(a, b) PCS_KERNEL_VERSION(a, b, 0)
#define BIT64(n) (UINT64_C(1) << (n))

/* __PHYSICAL_MASK_SHIFT: physical address bits 51..12 (SME's C-bit is not stripped). */
#define X86_PA_MSB 51

/* Conditions for rows. */
#define X86_PTE	  (1u << 0) /* level 1: bit 7 is PAT */
#define X86_LARGE (1u << 1) /* level 2/3 leaf: bit 7 is PS, bit 12 is PAT */
#define X86_MID	  (1u << 2) /* level 2/3: PS meaningful */

#define FLAG	PCS_PTE_FLAG
#define FLAG_IF PCS_PTE_FLAG_IF
#define FLAG_KV PCS_PTE_FLAG_KV
#define HEX	PCS_PTE_HEX
#define ON_T	PCS_PTE_ON_TABLE
#define ON_L	PCS_PTE_ON_LEAF
#define ON_INV	PCS_PTE_ON_INVALID
#define ON_TL	(PCS_PTE_ON_TABLE | PCS_PTE_ON_LEAF)

/*
 * Software bits: _PAGE_SPECIAL (SOFTW1, 9), _PAGE_UFFD_WP (SOFTW2, 10, 5.7),
 * _PAGE_SOFT_DIRTY (SOFTW3, 11, 3.11), _PAGE_SAVED_DIRTY (SOFTW5, 57, 6.6),
 * _PAGE_DEVMAP (SOFTW4, 58, 4.5 until devmap left in 6.17), _PAGE_PROTNONE
 * (= G, 8, only when !P).
 */
static const struct pcs_pte_field_desc x86_64_fields[] = {
    FLAG("P", 0, ON_TL, "present", "not present"),
    FLAG("RW", 1, ON_TL, "writable", "read-only"),
    FLAG("US", 2, ON_TL, "user", "supervisor only"),
    FLAG("PWT", 3, ON_TL, "write-through", ""),
    FLAG("PCD", 4, ON_TL, "cache disabled", ""),
    FLAG("A", 5, ON_TL, "accessed", "not accessed"),
    FLAG("D", 6, ON_L, "dirty", "clean"),
    FLAG_IF("PAT", 7, ON_L, X86_PTE, "PAT index bit 2"),
    FLAG_IF("PS", 7, ON_TL, X86_MID, "large page"),
    FLAG("G", 8, ON_L, "global", ""),
    FLAG("_PAGE_PROTNONE", 8, ON_INV, "PROT_NONE: present to Linux, no access", ""),
    FLAG("_PAGE_SPECIAL", 9, ON_L, "special (no struct page)", ""),
    FLAG_KV("_PAGE_UFFD_WP", 10, ON_L, KV(5, 7), 0, "userfaultfd write-protected", ""),
    FLAG_KV("_PAGE_SOFT_DIRTY", 11, ON_L, KV(3, 11), 0, "soft-dirty", ""),
    FLAG_IF("PAT", 12, ON_L, X86_LARGE, "PAT index bit 2"),
    FLAG_KV("_PAGE_SAVED_DIRTY", 57, ON_L, KV(6, 6), 0, "saved dirty (write-protected dirty)", ""),
    FLAG_KV("_PAGE_DEVMAP", 58, ON_L, KV(4, 5), KV(6, 17), "device (ZONE_DEVICE) mapping", ""),
    HEX("PKEY", 59, 62, ON_L, 0, KV(4, 6)),
    FLAG("NX", 63, ON_TL, "no-execute", "executable"),
};

const char *pcs_x86_64_level_name(int level, bool la57)
{
	static const char *const names[] = {"?", "pte", "pmd", "pud", "p4d", "pgd"};

	if (level == (la57 ? 5 : 4))
		return "pgd";
	if (level < 1 || level > (la57 ? 5 : 4))
		return "?";
	return names[level];
}

int pcs_x86_64_level_by_name(const char *name, bool la57)
{
	for (int level = 1; level <= (la57 ? 5 : 4); level++)
		if (strcmp(pcs_x86_64_level_name(level, la57), name) == 0)
			return level;
	return -1;
}

static enum pcs_pte_kind x86_64_kind(uint64_t raw, int level)
{
	if (!(raw & 1)) {
		if (!raw)
			return PCS_PTE_NONE;
		/* pte_present(): P | PROTNONE; pmd_present() also PSE (THP split) */
		if (level == 1 && (raw & BIT64(8)))
			return PCS_PTE_PRESENT_INVALID;
		if ((level == 2 || level == 3) && (raw & (BIT64(8) | BIT64(7))))
			return PCS_PTE_PRESENT_INVALID;
		return PCS_PTE_INVALID;
	}
	if (level == 1)
		return PCS_PTE_PAGE;
	if (raw & BIT64(7))
		return level <= 3 ? PCS_PTE_BLOCK : PCS_PTE_RESERVED;
	return PCS_PTE_TABLE;
}

static void x86_64_leaf_verdict(struct pcs_pte_decode *d)
{
	uint64_t raw = d->raw;
	char size[16], linux_bits[64] = "";
	char *v = d->verdict;
	size_t n = sizeof(d->verdict);

	d->user = raw & BIT64(2);
	d->writable = raw & BIT64(1);
	d->kernel_exec = !(raw & BIT64(63));
	d->user_exec = d->user && d->kernel_exec;
	pcs_pte_size_name(d->size, size, sizeof(size));

	if (d->kind == PCS_PTE_PRESENT_INVALID)
		pcs_pte_verdict_add(v, n, ", ", "no access (PROT_NONE or invalidated)");
	else
		pcs_pte_verdict_add(v, n, ", ", "%s %s, %s", d->user ? "user" : "kernel",
				    d->writable ? "read-write" : "read-only",
				    d->kernel_exec ? "executable" : "non-executable");
	pcs_pte_verdict_add(v, n, ", ", "%s page%s", size, d->level > 1 ? " (PS)" : "");
	if (d->kind != PCS_PTE_PRESENT_INVALID && (raw & BIT64(8)))
		pcs_pte_verdict_add(v, n, ", ", "global");
	if (!(raw & BIT64(5)))
		pcs_pte_verdict_add(v, n, ", ", "not accessed");
	if (raw & BIT64(6))
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "dirty");
	if (raw & BIT64(11))
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "soft-dirty");
	if (raw & BIT64(9))
		pcs_pte_verdict_add(linux_bits, sizeof(linux_bits), ", ", "special");
	if (linux_bits[0])
		pcs_pte_verdict_add(v, n, "; ", "Linux: %s", linux_bits);
}

static void x86_64_table_verdict(struct pcs_pte_decode *d)
{
	snprintf(d->verdict, sizeof(d->verdict), "next-level table at 0x%" PRIx64, d->oa);
	if (!(d->raw & BIT64(1)))
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "read-only below");
	if (!(d->raw & BIT64(2)))
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "supervisor-only below");
	if (d->raw & BIT64(63))
		pcs_pte_verdict_add(d->verdict, sizeof(d->verdict), ", ", "no-execute below");
}

enum pcs_errcode pcs_x86_64_pte_decode(uint64_t raw, int level, bool la57, uint32_t kernel_version,
				       struct pcs_pte_decode *d, struct pcs_error *err)
{
	struct pcs_pte_fields_ctx ctx = {.kernel_version = kernel_version};
	unsigned int shift;

	if (level < 1 || level > (la57 ? 5 : 4))
		return pcs_error_set(err, PCS_ERR_INVAL, "x86_64 %d-level paging has no level %d",
				     la57 ? 5 : 4, level);
	memset(d, 0, sizeof(*d));
	d->raw = raw;
	d->arch = PCS_ARCH_X86_64;
	d->level = level;
	d->level_name = pcs_x86_64_level_name(level, la57);
	d->kind = x86_64_kind(raw, level);
	ctx.cond = level == 1 ? X86_PTE : level <= 3 ? X86_MID : 0;

	switch (d->kind) {
	case PCS_PTE_NONE:
		pcs_pte_field_add(d, "P", 0, 0, 0, "not present");
		snprintf(d->verdict, sizeof(d->verdict), "not present");
		return PCS_OK;
	case PCS_PTE_INVALID:
		pcs_pte_field_add(d, "P", 0, 0, 0, "not present");
		snprintf(d->verdict, sizeof(d->verdict),
			 "not present (non-zero: swap or migration entry)");
		return PCS_OK;
	case PCS_PTE_RESERVED:
		pcs_pte_field_add(d, "PS", 7, 7, 1, "reserved at this level");
		snprintf(d->verdict, sizeof(d->verdict), "bad: PS set at level %d (faults)", level);
		return PCS_OK;
	case PCS_PTE_TABLE:
		d->oa = raw & pcs_pte_mask(12, X86_PA_MSB);
		pcs_pte_field_add(d, "table", 12, X86_PA_MSB, d->oa, "0x%" PRIx64, d->oa);
		ctx.on = PCS_PTE_ON_TABLE;
		pcs_pte_fields_apply(
		    x86_64_fields, sizeof(x86_64_fields) / sizeof(x86_64_fields[0]), &ctx, raw, d);
		x86_64_table_verdict(d);
		return PCS_OK;
	case PCS_PTE_PRESENT_INVALID:
	case PCS_PTE_BLOCK:
	case PCS_PTE_PAGE: break;
	}
	shift = 12 + 9 * (unsigned int)(level - 1);
	if (level > 1)
		ctx.cond |= X86_LARGE;
	d->size = UINT64_C(1) << shift;
	d->oa = raw & pcs_pte_mask(shift, X86_PA_MSB);
	pcs_pte_field_add(d, "address", shift, X86_PA_MSB, d->oa, "0x%" PRIx64, d->oa);
	ctx.on = PCS_PTE_ON_LEAF | (d->kind == PCS_PTE_PRESENT_INVALID ? PCS_PTE_ON_INVALID : 0);
	pcs_pte_fields_apply(x86_64_fields, sizeof(x86_64_fields) / sizeof(x86_64_fields[0]), &ctx,
			     raw, d);
	x86_64_leaf_verdict(d);
	return PCS_OK;
}
