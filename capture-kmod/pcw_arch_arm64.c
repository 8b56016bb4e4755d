// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_arch_arm64.c - find and write-protect the linear-map PTE of one page.
 *
 * The walk starts at the table TTBR1_EL1 points to (swapper_pg_dir while in
 * the kernel, also with KPTI), so it needs neither init_mm nor
 * swapper_pg_dir, which are not exported and, with CONFIG_KALLSYMS_ALL=n,
 * not even in kallsyms.  Only a level-3 page entry can be changed for one
 * page: block mappings and contiguous (PTE_CONT) entries are refused.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/sysreg.h>
#include <asm/tlbflush.h>
#include <asm/barrier.h>
#include "pcw.h"

#define PCW_FIX_HINT                                                                               \
	"boot with rodata=full or debug_pagealloc=on for a page-granular linear "                  \
	"map (on 5.11-6.3 any crashkernel= parameter also gives one)"

static pgd_t *pcw_pgd;
static char pcw_pgd_desc[96];

const char *pcw_arch_pgd_source(void)
{
	return pcw_pgd_desc;
}

/* The physical address of the level-0 table in TTBR1_EL1 (BADDR, minus ASID and CnP). */
static phys_addr_t pcw_ttbr1_table(void)
{
	u64 ttbr = read_sysreg(ttbr1_el1);

#ifdef CONFIG_ARM64_PA_BITS_52
	return (ttbr & GENMASK_ULL(47, 6)) | ((ttbr & GENMASK_ULL(5, 2)) << 46);
#else
	return ttbr & GENMASK_ULL(47, 1);
#endif
}

int pcw_arch_init(struct pcw_err *err)
{
	phys_addr_t pa = pcw_ttbr1_table();
	unsigned long sym = pcw_lookup_name("swapper_pg_dir");

	pcw_pgd = (pgd_t *)__va(pa);
	if (sym && __pa_symbol(sym) != pa)
		pr_warn(
		    "pcwatch: TTBR1_EL1 table %pa differs from swapper_pg_dir %pa; using TTBR1\n",
		    &pa, &(phys_addr_t){__pa_symbol(sym)});
	snprintf(pcw_pgd_desc, sizeof(pcw_pgd_desc), "ttbr1_el1 table=0x%llx%s",
		 (unsigned long long)pa,
		 sym ? " (= swapper_pg_dir)" : " (swapper_pg_dir not in kallsyms)");
	return 0;
}

/*
 * Walk the kernel page tables to the level-3 entry of va.  Refuse anything
 * that is not a plain, valid, non-contiguous page entry.
 */
static int pcw_walk(unsigned long va, pte_t **ptepp, struct pcw_err *err)
{
	pgd_t *pgdp = pcw_pgd + pgd_index(va);
	pgd_t pgd = READ_ONCE(*pgdp);
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	if (pgd_none(pgd) || pgd_bad(pgd))
		return pcw_fail(err, -EFAULT, "pgd not present: pgd[%lu] = 0x%llx for va 0x%lx",
				(unsigned long)pgd_index(va), (u64)pgd_val(pgd), va);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	{
		p4d_t *p4dp = p4d_offset(pgdp, va);
		p4d_t p4d = READ_ONCE(*p4dp);

		if (p4d_none(p4d) || p4d_bad(p4d))
			return pcw_fail(err, -EFAULT, "p4d not present: p4d = 0x%llx for va 0x%lx",
					(u64)p4d_val(p4d), va);
		pudp = pud_offset(p4dp, va);
	}
#else
	pudp = pud_offset(pgdp, va);
#endif
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return pcw_fail(err, -EFAULT, "pud not present: pud = 0x%llx for va 0x%lx",
				(u64)pud_val(pud), va);
	if (pud_sect(pud))
		return pcw_fail(
		    err, -EOPNOTSUPP,
		    "refused: va 0x%lx is mapped by a %luMiB block in the linear map "
		    "(pud 0x%llx): one page cannot be write-protected alone. Fix: " PCW_FIX_HINT,
		    va, PUD_SIZE >> 20, (u64)pud_val(pud));
	pmdp = pmd_offset(pudp, va);
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd))
		return pcw_fail(err, -EFAULT, "pmd not present: pmd = 0x%llx for va 0x%lx",
				(u64)pmd_val(pmd), va);
	if (pmd_sect(pmd))
		return pcw_fail(
		    err, -EOPNOTSUPP,
		    "refused: va 0x%lx is mapped by a %luMiB block in the linear map "
		    "(pmd 0x%llx%s): one page cannot be write-protected alone. Fix: " PCW_FIX_HINT,
		    va, PMD_SIZE >> 20, (u64)pmd_val(pmd),
		    (pmd_val(pmd) & PTE_CONT) ? ", contiguous" : "");
	ptep = pte_offset_kernel(pmdp, va);
	pte = READ_ONCE(*ptep);
	if (!pte_valid(pte))
		return pcw_fail(err, -EFAULT, "pte not valid: pte = 0x%llx for va 0x%lx",
				(u64)pte_val(pte), va);
	if (pte_val(pte) & PTE_CONT)
		return pcw_fail(
		    err, -EOPNOTSUPP,
		    "refused: va 0x%lx has a contiguous pte (PTE_CONT, pte 0x%llx): the 16 "
		    "entries share one TLB entry and one cannot be changed alone "
		    "(break-before-make). Fix: " PCW_FIX_HINT,
		    va, (u64)pte_val(pte));
	*ptepp = ptep;
	return 0;
}

int pcw_arch_check(unsigned long va, struct pcw_err *err)
{
	pte_t *ptep;

	return pcw_walk(va, &ptep, err);
}

u64 pcw_arch_read_pte(unsigned long va, u32 *level)
{
	struct pcw_err err;
	pte_t *ptep;

	*level = 3;
	if (pcw_walk(va, &ptep, &err))
		return 0;
	return pte_val(READ_ONCE(*ptep));
}

/* Replace *ptep old -> new (permission bits only: no break-before-make needed). */
static int pcw_pte_swap(pte_t *ptep, u64 old, u64 new, unsigned long va)
{
	if (cmpxchg64((u64 *)ptep, old, new) != old)
		return -EAGAIN;
	dsb(ishst);
	isb();
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	return 0;
}

int pcw_arch_protect(unsigned int slot, struct pcw_err *err)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	unsigned long va = (unsigned long)p->vaddr;
	pte_t *ptep;
	u64 old, new;
	int ret;

	ret = pcw_walk(va, &ptep, err);
	if (ret)
		return ret;
	old = pte_val(READ_ONCE(*ptep));
	/* Read-only with hardware DBM: clear DBM (= PTE_WRITE), set AP[2] (PTE_RDONLY). */
	new = (old & ~(u64)(PTE_WRITE | PTE_DBM)) | PTE_RDONLY;
	p->orig_pte = old;
	p->pte_level = 3;
	ret = pcw_pte_swap(ptep, old, new, va);
	if (ret)
		return pcw_fail(err, ret, "pte of va 0x%lx changed while arming (0x%llx)", va, old);
	p->armed_pte = pte_val(READ_ONCE(*ptep));
	pcw_slots[slot].ptep = ptep;
	return 0;
}

int pcw_arch_restore(unsigned int slot, struct pcw_err *err)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	unsigned long va = (unsigned long)p->vaddr;
	pte_t *ptep = pcw_slots[slot].ptep;
	u64 cur = pte_val(READ_ONCE(*ptep));

	if (cur == p->orig_pte && p->mode == PCW_MODE_LOG) { /* left open by a log-mode hit */
		flush_tlb_kernel_range(va, va + PAGE_SIZE);
		p->restored_pte = cur;
		return 0;
	}
	if (cur != p->armed_pte || pcw_pte_swap(ptep, p->armed_pte, p->orig_pte, va))
		return pcw_fail(
		    err, -EBUSY,
		    "pte of va 0x%lx changed behind pcwatch (armed 0x%llx, now 0x%llx): "
		    "left as is, page stays pinned",
		    va, p->armed_pte, cur);
	p->restored_pte = pte_val(READ_ONCE(*ptep));
	return 0;
}

/*
 * mode=log, any context (kprobe, hard irq): the armed entry back to the original (open) and
 * back.  Permission-only changes; flush_tlb_kernel_range() is a broadcast TLBI (no IPI).
 */
void pcw_arch_open(unsigned int slot)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	pte_t *ptep = pcw_slots[slot].ptep;

	if (pte_val(READ_ONCE(*ptep)) == p->armed_pte)
		pcw_pte_swap(ptep, p->armed_pte, p->orig_pte, p->vaddr);
	else
		flush_tlb_kernel_range(p->vaddr, p->vaddr + PAGE_SIZE);
}

void pcw_arch_close(unsigned int slot)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];

	pcw_pte_swap(pcw_slots[slot].ptep, p->orig_pte, p->armed_pte, p->vaddr);
}

bool pcw_arch_writable_now(unsigned long va)
{
	u32 lvl;
	u64 pte = pcw_arch_read_pte(va, &lvl);

	return (pte & PTE_VALID) && !(pte & PTE_RDONLY);
}

/* How the entry read back after disarm compares with the original. */
const char *pcw_arch_restore_verdict(const struct pcw_rec_page *p)
{
	return p->restored_pte == p->orig_pte ? "exact" : "MISMATCH";
}
