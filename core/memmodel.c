// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SPARSEMEM_VMEMMAP memory model: where struct page of pfn 0 lives (vmemmap) and
 * where the linear map starts (PAGE_OFFSET), for x86_64 and arm64.
 *
 * vmemmap, in order of trust:
 *   x86_64: the variable vmemmap_base (KASLR'd since 4.x);
 *   arm64:  VMCOREINFO NUMBER(VMEMMAP_START) - (PHYS_OFFSET >> PAGE_SHIFT) pages;
 *   both:   the encoded mem_map of the first present mem_section (drgn's method:
 *           section_mem_map = mem_map - section_start_pfn = vmemmap | flags);
 *   last:   the constants / formulas of arch/{x86,arm64}/include/asm for the version.
 */
#include "memmodel.h"

#include "memmap.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool vi(const struct pcs_kernel *k, const char *key, uint64_t *v)
{
	return pcs_vmcoreinfo_u64(k->t, key, v, NULL) == PCS_OK;
}

/* Value of a kernel variable (an unsigned long), found by symbol. */
static bool var_u64(const struct pcs_target *t, const char *name, uint64_t *v)
{
	uint64_t addr;

	return pcs_symbol(t, name, &addr, NULL) == PCS_OK &&
	       pcs_read_u64(t, addr, v, NULL) == PCS_OK;
}

/* drgn's method: a section's encoded mem_map is (mem_map - start_pfn): vmemmap itself. */
static int first_section(const struct pcs_mem_section *s, void *arg)
{
	*(struct pcs_mem_section *)arg = *s;
	return 1;
}

static bool vmemmap_from_mem_section(const struct pcs_kernel *k, uint64_t *vmemmap)
{
	struct pcs_mem_section s = {0};

	if (pcs_memmap_for_each_section(k, first_section, &s, NULL) || !s.mem_map)
		return false;
	*vmemmap = s.mem_map - s.start_pfn * k->page.size;
	return true;
}

static bool var_u32(const struct pcs_target *t, const char *name, uint64_t *v)
{
	uint64_t addr;
	uint32_t v32;

	if (pcs_symbol(t, name, &addr, NULL) != PCS_OK || pcs_read_u32(t, addr, &v32, NULL))
		return false;
	*v = v32;
	return true;
}

static void x86_64_linear_map(const struct pcs_target *t, uint32_t version,
			      struct pcs_linear_map *lm)
{
	uint64_t l5 = 0;

	if (pcs_vmcoreinfo_u64(t, "NUMBER(pgtable_l5_enabled)", &l5, NULL) != PCS_OK &&
	    !var_u32(t, "__pgtable_l5_enabled", &l5))
		l5 = 0;
	lm->la57 = l5 != 0;
	lm->phys_offset = 0;
	lm->have_phys_offset = true;
	lm->size = lm->la57 ? 1ull << 56 : 1ull << 46;
	/* Without KASLR: __PAGE_OFFSET_BASE_L5 / _L4 (the latter moved in 4.20). */
	if (!var_u64(t, "page_offset_base", &lm->page_offset))
		lm->page_offset = lm->la57 ? 0xff11000000000000ull
				  : version && version < PCS_KERNEL_VERSION(4, 20, 0)
				      ? 0xffff880000000000ull
				      : 0xffff888000000000ull;
}

/* 5.4 flipped the kernel VA space: the linear map moved to the bottom half. */
static uint64_t arm64_page_offset(unsigned int va_bits, bool flipped)
{
	return flipped ? -(UINT64_C(1) << va_bits) : ~UINT64_C(0) << (va_bits - 1);
}

uint64_t pcs_arm64_page_offset(unsigned int va_bits, uint32_t kernel_version)
{
	return arm64_page_offset(va_bits,
				 !kernel_version || kernel_version >= PCS_KERNEL_VERSION(5, 4, 0));
}

/* VA_BITS_MIN of arch/arm64/include/asm/memory.h: the VA size a 52-bit kernel falls back to. */
static unsigned int arm64_va_bits_min(unsigned int va_bits, uint32_t page_size)
{
	if (va_bits <= 48)
		return va_bits;
	return page_size == 16384 ? 47 : 48;
}

static enum pcs_errcode arm64_linear_map(const struct pcs_target *t, uint32_t version,
					 struct pcs_linear_map *lm, struct pcs_error *err)
{
	uint64_t va_bits, t1sz, voff, sym;
	unsigned int lm_bits;
	bool flipped = !version || version >= PCS_KERNEL_VERSION(5, 4, 0);
	enum pcs_errcode rc = pcs_vmcoreinfo_u64(t, "NUMBER(VA_BITS)", &va_bits, err);

	if (rc)
		return rc;
	if (va_bits < 36 || va_bits > 52)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "arm64: VMCOREINFO VA_BITS=%" PRIu64,
				     va_bits);
	lm->va_bits = (unsigned int)va_bits;
	lm->have_phys_offset =
	    pcs_vmcoreinfo_u64(t, "NUMBER(PHYS_OFFSET)", &lm->phys_offset, NULL) == PCS_OK ||
	    var_u64(t, "memstart_addr", &lm->phys_offset);
	if (!lm->have_phys_offset)
		lm->phys_offset = 0;
	/*
	 * Where the image lives tells which half of the kernel VA range holds the
	 * linear map more reliably than the version does (backports): an image in
	 * the upper half means the 5.4+ layout, linear map at the bottom
	 * (libaddrxlat decides it the same way from _stext).
	 */
	if (pcs_vmcoreinfo_u64(t, "NUMBER(kimage_voffset)", &voff, NULL) == PCS_OK &&
	    (pcs_symbol(t, "swapper_pg_dir", &sym, NULL) == PCS_OK ||
	     pcs_vmcoreinfo_u64(t, "SYMBOL(swapper_pg_dir)", &sym, NULL) == PCS_OK))
		flipped = sym >= ~UINT64_C(0) << (va_bits - 1);
	/* PAGE_OFFSET: top half before 5.4, bottom of the kernel half since ("flipped"). */
	if (!flipped) {
		lm->page_offset = arm64_page_offset(lm->va_bits, false);
		lm->size = 1ull << (va_bits - 1);
		return PCS_OK;
	}
	lm_bits = lm->va_bits;
	if (version && version < PCS_KERNEL_VERSION(5, 11, 0) &&
	    pcs_vmcoreinfo_u64(t, "NUMBER(TCR_EL1_T1SZ)", &t1sz, NULL) == PCS_OK && t1sz >= 12 &&
	    t1sz <= 28)
		lm_bits = 64 - (unsigned int)t1sz; /* 52-bit VA kernel on 48-bit hardware */
	/*
	 * The linear map spans PAGE_OFFSET = -(1 << VA_BITS) to
	 * PAGE_END = -(1 << (VA_BITS_MIN - 1)), VA_BITS_MIN being 48
	 * (47 with 16K pages) for a 52-bit VA kernel. From 5.11, on 48-bit
	 * hardware, PAGE_OFFSET stays the 52-bit one and memstart_addr
	 * (PHYS_OFFSET) is lowered by _PAGE_OFFSET(48) - _PAGE_OFFSET(52):
	 * the RAM then lies near PAGE_END.
	 */
	lm->page_offset = arm64_page_offset(lm_bits, true);
	lm->size = (1ull << lm_bits) - (1ull << (arm64_va_bits_min(lm_bits, t->page_size) - 1));
	return PCS_OK;
}

enum pcs_errcode pcs_linear_map_read(const struct pcs_target *t, uint32_t version,
				     struct pcs_linear_map *lm, struct pcs_error *err)
{
	memset(lm, 0, sizeof(*lm));
	switch (t->arch) {
	case PCS_ARCH_X86_64: x86_64_linear_map(t, version, lm); return PCS_OK;
	case PCS_ARCH_ARM64: return arm64_linear_map(t, version, lm, err);
	default:
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "no linear map for architecture %s",
				     pcs_arch_name(t->arch));
	}
}

static void x86_64_init(struct pcs_kernel *k)
{
	struct pcs_memmodel *mm = &k->mm;
	struct pcs_linear_map lm;

	pcs_linear_map_read(k->t, k->version, &lm, NULL);
	mm->phys_offset = lm.phys_offset;
	mm->lm_size = lm.size;
	mm->page_offset = lm.page_offset;
	if (var_u64(k->t, "vmemmap_base", &mm->vmemmap)) {
		mm->source = "variable vmemmap_base";
	} else if (vmemmap_from_mem_section(k, &mm->vmemmap)) {
		mm->source = "mem_section";
	} else {
		mm->vmemmap = lm.la57 ? 0xffd4000000000000ull : 0xffffea0000000000ull;
		mm->source = "x86_64 default VMEMMAP_START";
	}
	mm->ok = true;
}

static unsigned int order_base_2(uint64_t n)
{
	unsigned int s = 0;

	while ((1ull << s) < n)
		s++;
	return s;
}

/* VMEMMAP_START of arch/arm64/include/asm/memory.h, by version. */
static uint64_t arm64_vmemmap_start(const struct pcs_kernel *k, uint64_t va_bits)
{
	unsigned int spms = order_base_2(k->page.size); /* STRUCT_PAGE_MAX_SHIFT */
	unsigned int vmemmap_shift = k->page_shift - spms;

	if (k->version && k->version < PCS_KERNEL_VERSION(5, 4, 0)) {
		return arm64_page_offset((unsigned int)va_bits, false) -
		       (1ull << (va_bits - k->page_shift - 1 + spms));
	}
	if (k->version && k->version < PCS_KERNEL_VERSION(5, 11, 0)) {
		uint64_t min = va_bits > 48 ? 48 : va_bits;
		uint64_t size = ((-(1ull << (min - 1))) - (-(1ull << va_bits))) >> vmemmap_shift;

		return -size - (2ull << 20);
	}
	return -(1ull << (va_bits - vmemmap_shift));
}

static void arm64_init(struct pcs_kernel *k)
{
	struct pcs_memmodel *mm = &k->mm;
	struct pcs_linear_map lm;
	uint64_t va_bits, start;

	if (pcs_linear_map_read(k->t, k->version, &lm, NULL)) {
		snprintf(mm->why, sizeof(mm->why),
			 "arm64 memory model: VMCOREINFO has no usable NUMBER(VA_BITS)");
		return;
	}
	va_bits = mm->va_bits = lm.va_bits;
	if (!lm.have_phys_offset) {
		snprintf(mm->why, sizeof(mm->why),
			 "arm64 memory model: neither VMCOREINFO NUMBER(PHYS_OFFSET) nor the "
			 "variable memstart_addr is readable");
		return;
	}
	mm->phys_offset = lm.phys_offset;
	mm->page_offset = lm.page_offset;
	mm->lm_size = lm.size;

	if (vi(k, "NUMBER(VMEMMAP_START)", &start)) {
		mm->source = "VMCOREINFO NUMBER(VMEMMAP_START)";
	} else if (vmemmap_from_mem_section(k, &mm->vmemmap)) {
		mm->source = "mem_section";
		mm->ok = true;
		return;
	} else {
		start = arm64_vmemmap_start(k, va_bits);
		mm->source = "arm64 VMEMMAP_START formula for this kernel version";
	}
	/* vmemmap = (struct page *)VMEMMAP_START - (memstart_addr >> PAGE_SHIFT); s64 shift. */
	mm->vmemmap = start - (uint64_t)((int64_t)mm->phys_offset >> k->page_shift) * k->page.size;
	mm->ok = true;
}

void pcs_memmodel_init(struct pcs_kernel *k)
{
	memset(&k->mm, 0, sizeof(k->mm));
	switch (k->t->arch) {
	case PCS_ARCH_X86_64: x86_64_init(k); break;
	case PCS_ARCH_ARM64: arm64_init(k); break;
	default:
		snprintf(k->mm.why, sizeof(k->mm.why), "no memory model for architecture %s",
			 pcs_arch_name(k->t->arch));
	}
}

void pcs_kernel_set_memmodel(struct pcs_kernel *k, uint64_t vmemmap, uint64_t page_offset,
			     uint64_t phys_offset)
{
	k->mm.vmemmap = vmemmap;
	k->mm.page_offset = page_offset;
	k->mm.phys_offset = phys_offset;
	if (!k->mm.lm_size)
		k->mm.lm_size = 1ull << 47;
	k->mm.source = "set by the front end";
	k->mm.why[0] = '\0';
	k->mm.ok = true;
}

static enum pcs_errcode no_model(const struct pcs_kernel *k, struct pcs_error *err)
{
	return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "%s",
			     k->mm.why[0] ? k->mm.why : "memory model unknown");
}

enum pcs_errcode pcs_page_to_pfn(const struct pcs_kernel *k, uint64_t page, uint64_t *pfn,
				 struct pcs_error *err)
{
	uint64_t diff = page - k->mm.vmemmap;

	if (!k->mm.ok)
		return no_model(k, err);
	if (diff % k->page.size || diff / k->page.size >= 1ull << (56 - k->page_shift))
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "0x%" PRIx64 " is not a struct page in vmemmap 0x%" PRIx64,
				     page, k->mm.vmemmap);
	*pfn = diff / k->page.size;
	return PCS_OK;
}

enum pcs_errcode pcs_pfn_to_page(const struct pcs_kernel *k, uint64_t pfn, uint64_t *page,
				 struct pcs_error *err)
{
	if (!k->mm.ok)
		return no_model(k, err);
	*page = k->mm.vmemmap + pfn * k->page.size;
	return PCS_OK;
}

uint64_t pcs_pfn_to_paddr(const struct pcs_kernel *k, uint64_t pfn)
{
	return pfn << k->page_shift;
}

uint64_t pcs_paddr_to_pfn(const struct pcs_kernel *k, uint64_t paddr)
{
	return paddr >> k->page_shift;
}

enum pcs_errcode pcs_paddr_to_lmva(const struct pcs_kernel *k, uint64_t paddr, uint64_t *va,
				   struct pcs_error *err)
{
	uint64_t rel = paddr - k->mm.phys_offset;

	if (!k->mm.ok)
		return no_model(k, err);
	if (rel >= k->mm.lm_size)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "physical address 0x%" PRIx64 " is outside the linear map",
				     paddr);
	*va = k->mm.page_offset + rel;
	return PCS_OK;
}

enum pcs_errcode pcs_lmva_to_paddr(const struct pcs_kernel *k, uint64_t va, uint64_t *paddr,
				   struct pcs_error *err)
{
	uint64_t rel = va - k->mm.page_offset;

	if (!k->mm.ok)
		return no_model(k, err);
	if (va < k->mm.page_offset || rel >= k->mm.lm_size)
		return pcs_error_set(err, PCS_ERR_INVAL,
				     "0x%" PRIx64
				     " is not a linear-map address (PAGE_OFFSET 0x%" PRIx64 ")",
				     va, k->mm.page_offset);
	*paddr = rel + k->mm.phys_offset;
	return PCS_OK;
}
