// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 page-table walk: one lookup level per step, from the root table to
 * a block or page, every entry read with a physical read of the target.
 */
#include "arm64_pgtable.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pte_fields.h"

#define BIT64(n) (UINT64_C(1) << (n))

uint64_t pcs_arm64_kimg_to_phys(const struct pcs_arm64_layout *l, uint64_t vaddr)
{
	return vaddr - l->kimage_voffset;
}

bool pcs_arm64_phys_to_virt(const struct pcs_arm64_layout *l, uint64_t paddr, uint64_t *vaddr)
{
	if (!l->have_linear)
		return false;
	*vaddr = paddr - l->phys_offset + l->page_offset;
	return true;
}

/* A VMCOREINFO number, else the u64 a kernel variable holds. */
static enum pcs_errcode number_or_var(const struct pcs_target *t, const char *key, const char *var,
				      uint64_t *val, struct pcs_error *err)
{
	uint64_t addr;
	enum pcs_errcode rc = pcs_vmcoreinfo_u64(t, key, val, err);

	if (rc != PCS_ERR_NOTFOUND || !var)
		return rc;
	rc = pcs_symbol(t, var, &addr, err);
	if (rc)
		return pcs_error_set(err, rc, "neither VMCOREINFO %s nor symbol %s", key, var);
	return pcs_read_u64(t, addr, val, err);
}

enum pcs_errcode pcs_arm64_layout_read(const struct pcs_target *t, struct pcs_arm64_layout *l,
				       struct pcs_error *err)
{
	uint32_t kver = t->kernel_version ? t->kernel_version : pcs_parse_osrelease(t->osrelease);
	struct pcs_linear_map lm;
	uint64_t t1sz, voff, sym;
	bool have_voff;
	enum pcs_errcode rc;

	memset(l, 0, sizeof(*l));
	rc = pcs_arm64_fmt_default(t->page_size, kver, &l->kfmt, err);
	if (rc)
		return rc;
	/* VA_BITS, PAGE_OFFSET and PHYS_OFFSET: the memory model's rules. */
	rc = pcs_linear_map_read(t, kver, &lm, err);
	if (rc)
		return pcs_error_wrap(err, "arm64 page-table layout");
	l->config_va_bits = lm.va_bits;
	rc = pcs_vmcoreinfo_u64(t, "NUMBER(TCR_EL1_T1SZ)", &t1sz, err);
	if (rc == PCS_OK && t1sz < 64)
		l->kfmt.va_bits = 64 - (unsigned int)t1sz;
	else if (number_or_var(t, "NUMBER(vabits_actual)", "vabits_actual", &t1sz, NULL) == PCS_OK)
		l->kfmt.va_bits = (unsigned int)t1sz;
	else
		l->kfmt.va_bits = l->config_va_bits;
	l->kfmt.pa52 = l->kfmt.page_shift == 16 || l->kfmt.va_bits == 52;
	rc = pcs_arm64_fmt_check(&l->kfmt, err);
	if (rc)
		return pcs_error_wrap(err, "arm64 page-table layout");
	l->ufmt = l->kfmt;

	l->page_offset = lm.page_offset;
	l->phys_offset = lm.phys_offset;
	l->have_linear = lm.have_phys_offset;
	l->linear_size = lm.size;
	have_voff = pcs_vmcoreinfo_u64(t, "NUMBER(kimage_voffset)", &voff, NULL) == PCS_OK;
	l->kimage_voffset = voff;

	rc = pcs_symbol(t, "swapper_pg_dir", &sym, err);
	if (rc)
		rc = pcs_vmcoreinfo_u64(t, "SYMBOL(swapper_pg_dir)", &sym, err);
	if (rc)
		return pcs_error_wrap(err, "arm64 swapper_pg_dir");
	if (have_voff) {
		l->swapper_pg_dir = pcs_arm64_kimg_to_phys(l, sym);
	} else if (l->have_linear) { /* before 4.6 the image lived in the linear map */
		l->swapper_pg_dir = (sym & ~l->page_offset) + l->phys_offset;
	} else {
		return pcs_error_set(
		    err, PCS_ERR_NOTFOUND,
		    "arm64 swapper_pg_dir 0x%" PRIx64
		    ": no NUMBER(kimage_voffset) or PHYS_OFFSET to make it physical",
		    sym);
	}
	return PCS_OK;
}

/* Is vaddr inside the half f translates (bits 55..va_bits all equal bit 55)? */
static bool arm64_in_half(const struct pcs_arm64_fmt *f, uint64_t vaddr, bool user)
{
	uint64_t hi = pcs_pte_bits(vaddr, f->va_bits, 55);

	return hi == (user ? 0 : pcs_pte_bits(~UINT64_C(0), f->va_bits, 55));
}

enum pcs_errcode pcs_arm64_walk(const struct pcs_target *t, const struct pcs_arm64_layout *l,
				uint64_t root_paddr, uint64_t vaddr, struct pcs_pte_walk *w,
				struct pcs_error *err)
{
	bool user = !(vaddr & BIT64(55));
	const struct pcs_arm64_fmt *f = user ? &l->ufmt : &l->kfmt;
	uint64_t table = root_paddr;
	enum pcs_errcode rc;
	int start;

	memset(w, 0, sizeof(*w));
	w->arch = PCS_ARCH_ARM64;
	w->vaddr = vaddr;
	w->root_paddr = root_paddr;
	w->user_half = user;
	w->va_bits = f->va_bits;
	rc = pcs_arm64_fmt_check(f, err);
	if (rc)
		return rc;
	if (!arm64_in_half(f, vaddr, user))
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "0x%016" PRIx64 " is outside the %s half (TTBR%d, %u-bit VA)",
				     vaddr, user ? "user" : "kernel", user ? 0 : 1, f->va_bits);

	start = pcs_arm64_start_level(f);
	for (int level = start; level <= 3; level++) {
		unsigned int shift = pcs_arm64_level_shift(f, level);
		unsigned int width = level == start ? f->va_bits - shift : f->page_shift - 3;
		struct pcs_pte_walk_level *lv = &w->lv[w->nlevels];
		uint64_t raw;

		lv->index = (unsigned int)pcs_pte_bits(vaddr, shift, shift + width - 1);
		lv->table_paddr = table;
		lv->entry_paddr = table + 8 * (uint64_t)lv->index;
		if (!pcs_arm64_phys_to_virt(l, lv->entry_paddr, &lv->entry_vaddr))
			lv->entry_vaddr = 0;
		rc = pcs_read(t, PCS_KPHYSADDR, lv->entry_paddr, &raw, sizeof(raw), err);
		if (rc)
			return pcs_error_wrap(err, "reading %s[%u] at physical 0x%" PRIx64,
					      pcs_arm64_level_name(f, level), lv->index,
					      lv->entry_paddr);
		rc = pcs_arm64_pte_decode(f, raw, level, &lv->d, err);
		if (rc)
			return rc;
		w->nlevels++;
		switch (lv->d.kind) {
		case PCS_PTE_TABLE: table = lv->d.oa; continue;
		case PCS_PTE_BLOCK:
		case PCS_PTE_PAGE: pcs_pte_walk_mapped(w, lv); return PCS_OK;
		default: return pcs_pte_walk_stopped(w, lv, err);
		}
	}
	return pcs_error_set(err, PCS_ERR_CORRUPT, "arm64 walk of 0x%" PRIx64 " ran past level 3",
			     vaddr);
}

enum pcs_errcode pcs_arm64_walk_mm(const struct pcs_target *t, const struct pcs_arm64_layout *l,
				   uint64_t mm, uint64_t vaddr, struct pcs_pte_walk *w,
				   struct pcs_error *err)
{
	uint64_t off, pgd, root;
	enum pcs_errcode rc;

	if (vaddr & BIT64(55)) {
		/* Kernel half: TTBR1 always holds swapper_pg_dir, whatever the mm. */
		if (!l->swapper_pg_dir)
			return pcs_error_set(err, PCS_ERR_NOSYM, "arm64: swapper_pg_dir unknown");
		return pcs_arm64_walk(t, l, l->swapper_pg_dir, vaddr, w, err);
	}
	if (!mm)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "0x%016" PRIx64
				     " is a user address: name the process (mm_struct) to walk",
				     vaddr);
	rc = pcs_member_offset(t, "mm_struct", "pgd", &off, err);
	if (rc)
		return rc;
	rc = pcs_read_u64(t, mm + off, &pgd, err);
	if (rc)
		return pcs_error_wrap(err, "reading mm_struct 0x%" PRIx64 " pgd", mm);
	rc = pcs_arm64_walk(t, l, l->swapper_pg_dir, pgd, w, err);
	if (rc)
		return pcs_error_wrap(err, "translating mm_struct 0x%" PRIx64 " pgd 0x%" PRIx64, mm,
				      pgd);
	root = w->paddr;
	return pcs_arm64_walk(t, l, root, vaddr, w, err);
}
