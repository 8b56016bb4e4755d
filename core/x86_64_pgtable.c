// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64 page-table walk: PML5 (LA57) / PML4 → PDPT → PD → PT, every entry
 * read with a physical read of the target.
 */
#include "x86_64_pgtable.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "memmodel.h"
#include "pte_fields.h"

uint64_t pcs_x86_64_kimg_to_phys(const struct pcs_x86_64_layout *l, uint64_t vaddr)
{
	return vaddr - PCS_X86_64_START_KERNEL_MAP + l->phys_base;
}

/* Read a kernel variable (an unsigned long) by symbol. */
static enum pcs_errcode read_var(const struct pcs_target *t, const char *name, uint64_t *val,
				 struct pcs_error *err)
{
	uint64_t addr;
	enum pcs_errcode rc = pcs_symbol(t, name, &addr, err);

	if (rc)
		return rc;
	return pcs_read_u64(t, addr, val, err);
}

enum pcs_errcode pcs_x86_64_layout_read(const struct pcs_target *t, struct pcs_x86_64_layout *l,
					struct pcs_error *err)
{
	struct pcs_linear_map lm;
	uint64_t sym;
	enum pcs_errcode rc;

	memset(l, 0, sizeof(*l));
	l->kernel_version =
	    t->kernel_version ? t->kernel_version : pcs_parse_osrelease(t->osrelease);
	/* LA57 and page_offset_base: the memory model's rules. */
	rc = pcs_linear_map_read(t, l->kernel_version, &lm, err);
	if (rc)
		return pcs_error_wrap(err, "x86_64 page-table layout");
	l->la57 = lm.la57;
	l->page_offset_base = lm.page_offset;
	if (pcs_vmcoreinfo_u64(t, "NUMBER(phys_base)", &l->phys_base, NULL) != PCS_OK) {
		rc = read_var(t, "phys_base", &l->phys_base, err);
		if (rc)
			return pcs_error_wrap(err, "x86_64 phys_base");
	}
	if (pcs_vmcoreinfo_u64(t, "NUMBER(sme_mask)", &l->sme_mask, NULL) != PCS_OK)
		l->sme_mask = 0;
	rc = pcs_symbol(t, "init_top_pgt", &sym, err);
	if (rc)
		rc = pcs_vmcoreinfo_u64(t, "SYMBOL(init_top_pgt)", &sym, err);
	if (rc)
		return pcs_error_wrap(err, "x86_64 init_top_pgt");
	l->init_top_pgt = pcs_x86_64_kimg_to_phys(l, sym);
	return PCS_OK;
}

enum pcs_errcode pcs_x86_64_walk(const struct pcs_target *t, const struct pcs_x86_64_layout *l,
				 uint64_t root_paddr, uint64_t vaddr, struct pcs_pte_walk *w,
				 struct pcs_error *err)
{
	unsigned int va_bits = l->la57 ? 57 : 48;
	int top = l->la57 ? 5 : 4;
	uint64_t table = root_paddr;
	uint64_t hi = vaddr >> (va_bits - 1);
	enum pcs_errcode rc;

	memset(w, 0, sizeof(*w));
	w->arch = PCS_ARCH_X86_64;
	w->vaddr = vaddr;
	w->root_paddr = root_paddr;
	w->va_bits = va_bits;
	w->user_half = hi == 0;
	if (hi != 0 && hi != (~UINT64_C(0) >> (va_bits - 1)))
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "0x%016" PRIx64 " is not canonical for %d-level paging", vaddr,
				     top);

	for (int level = top; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (unsigned int)(level - 1);
		struct pcs_pte_walk_level *lv = &w->lv[w->nlevels];
		uint64_t raw;

		lv->index = (unsigned int)((vaddr >> shift) & 511);
		lv->table_paddr = table;
		lv->entry_paddr = table + 8 * (uint64_t)lv->index;
		lv->entry_vaddr = l->page_offset_base ? l->page_offset_base + lv->entry_paddr : 0;
		rc = pcs_read(t, PCS_KPHYSADDR, lv->entry_paddr, &raw, sizeof(raw), err);
		if (rc)
			return pcs_error_wrap(err, "reading %s[%u] at physical 0x%" PRIx64,
					      pcs_x86_64_level_name(level, l->la57), lv->index,
					      lv->entry_paddr);
		/* The SME C-bit sits inside the address field: decode without it. */
		rc = pcs_x86_64_pte_decode(raw & ~l->sme_mask, level, l->la57, l->kernel_version,
					   &lv->d, err);
		if (rc)
			return rc;
		if (raw & l->sme_mask) {
			lv->d.raw = raw;
			pcs_pte_field_add(
			    &lv->d, "SME C-bit", (unsigned int)__builtin_ctzll(l->sme_mask),
			    (unsigned int)__builtin_ctzll(l->sme_mask), 1, "encrypted");
		}
		w->nlevels++;
		switch (lv->d.kind) {
		case PCS_PTE_TABLE: table = lv->d.oa; continue;
		case PCS_PTE_BLOCK:
		case PCS_PTE_PAGE: pcs_pte_walk_mapped(w, lv); return PCS_OK;
		default: return pcs_pte_walk_stopped(w, lv, err);
		}
	}
	return pcs_error_set(err, PCS_ERR_CORRUPT, "x86_64 walk of 0x%" PRIx64 " ran past the pte",
			     vaddr);
}

enum pcs_errcode pcs_x86_64_walk_mm(const struct pcs_target *t, const struct pcs_x86_64_layout *l,
				    uint64_t mm, uint64_t vaddr, struct pcs_pte_walk *w,
				    struct pcs_error *err)
{
	uint64_t off, pgd;
	enum pcs_errcode rc;

	if (!mm) {
		if (!(vaddr >> 63))
			return pcs_error_set(
			    err, PCS_ERR_INVAL,
			    "0x%016" PRIx64
			    " is a user address: name the process (mm_struct) to walk",
			    vaddr);
		return pcs_x86_64_walk(t, l, l->init_top_pgt, vaddr, w, err);
	}
	rc = pcs_member_offset(t, "mm_struct", "pgd", &off, err);
	if (rc)
		return rc;
	rc = pcs_read_u64(t, mm + off, &pgd, err);
	if (rc)
		return pcs_error_wrap(err, "reading mm_struct 0x%" PRIx64 " pgd", mm);
	rc = pcs_x86_64_walk(t, l, l->init_top_pgt, pgd, w, err);
	if (rc)
		return pcs_error_wrap(err, "translating mm_struct 0x%" PRIx64 " pgd 0x%" PRIx64, mm,
				      pgd);
	/* mm->pgd carries the kernel half too: walk every address from it. */
	return pcs_x86_64_walk(t, l, w->paddr, vaddr, w, err);
}
