// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_arch_x86.c - write-protect one page of the x86-64 direct map.
 *
 * Uses the kernel's own set_memory_ro()/set_memory_rw() (not exported:
 * resolved through kallsyms), which split a 2M/1G direct-map entry down to
 * 4K and flush the TLB.  After a split the "original" entry is the large one;
 * the 4K entries stay split after disarm (only _PAGE_RW is given back).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <asm/pgtable_types.h>
#include "pcw.h"

static int (*pcw_set_memory_ro)(unsigned long addr, int numpages);
static int (*pcw_set_memory_rw)(unsigned long addr, int numpages);
static char pcw_pgd_desc[96];

const char *pcw_arch_pgd_source(void)
{
	return pcw_pgd_desc;
}

int pcw_arch_init(struct pcw_err *err)
{
	pcw_set_memory_ro = (void *)pcw_lookup_name("set_memory_ro");
	pcw_set_memory_rw = (void *)pcw_lookup_name("set_memory_rw");
	if (!pcw_set_memory_ro || !pcw_set_memory_rw)
		return pcw_fail(err, -ENOENT,
				"cannot resolve set_memory_ro/set_memory_rw (symbol lookup: %s)",
				pcw_lookup_method());
	snprintf(pcw_pgd_desc, sizeof(pcw_pgd_desc), "lookup_address + set_memory_ro/rw at %px/%px",
		 pcw_set_memory_ro, pcw_set_memory_rw);
	return 0;
}

u64 pcw_arch_read_pte(unsigned long va, u32 *level)
{
	unsigned int lvl = 0;
	pte_t *ptep = lookup_address(va, &lvl);

	*level = lvl;
	return ptep ? pte_val(READ_ONCE(*ptep)) : 0;
}

int pcw_arch_check(unsigned long va, struct pcw_err *err)
{
	unsigned int lvl = 0;
	pte_t *ptep = lookup_address(va, &lvl);

	if (!ptep || !(pte_val(*ptep) & _PAGE_PRESENT))
		return pcw_fail(err, -EFAULT, "direct map has no present entry for va 0x%lx", va);
	if (!(pte_val(*ptep) & _PAGE_RW))
		return pcw_fail(err, -EPERM, "va 0x%lx is already read-only (entry 0x%llx)", va,
				(u64)pte_val(*ptep));
	return 0;
}

int pcw_arch_protect(unsigned int slot, struct pcw_err *err)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	unsigned long va = (unsigned long)p->vaddr;
	u32 lvl;
	int ret;

	p->orig_pte = pcw_arch_read_pte(va, &lvl);
	p->pte_level = lvl;
	ret = pcw_set_memory_ro(va, 1);
	if (ret)
		return pcw_fail(err, ret, "set_memory_ro(0x%lx) failed: %d", va, ret);
	p->armed_pte = pcw_arch_read_pte(va, &lvl);
	if (lvl != PG_LEVEL_4K || (p->armed_pte & _PAGE_RW)) {
		pcw_set_memory_rw(va, 1);
		return pcw_fail(err, -EIO,
				"va 0x%lx not write-protected after set_memory_ro "
				"(level %u entry 0x%llx)",
				va, lvl, p->armed_pte);
	}
	return 0;
}

/*
 * Give a writable 4K entry back the Dirty bit the original had.  Only that
 * bit is added, and only to an entry that is present and writable: a
 * concurrent hardware update (Accessed/Dirty) makes the cmpxchg fail, and
 * then the bit is either set already or the entry is left as it is.
 */
static void pcw_restore_dirty(unsigned long va, u64 orig)
{
	unsigned int lvl = 0;
	pte_t *ptep = lookup_address(va, &lvl);
	pteval_t cur;

	if (!ptep || lvl != PG_LEVEL_4K || !(orig & _PAGE_DIRTY))
		return;
	cur = pte_val(READ_ONCE(*ptep));
	if ((cur & (_PAGE_PRESENT | _PAGE_RW | _PAGE_DIRTY)) != (_PAGE_PRESENT | _PAGE_RW))
		return;
	cmpxchg64((u64 *)&ptep->pte, (u64)cur, (u64)(cur | _PAGE_DIRTY));
}

int pcw_arch_restore(unsigned int slot, struct pcw_err *err)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	unsigned long va = (unsigned long)p->vaddr;
	u32 lvl;
	u64 cur = pcw_arch_read_pte(va, &lvl);
	int ret;

	if (p->mode == PCW_MODE_LOG &&
	    (cur & ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY)) ==
		((p->armed_pte | _PAGE_RW) & ~(u64)(_PAGE_ACCESSED | _PAGE_DIRTY)))
		cur = p->armed_pte; /* left open by a log-mode hit: set_memory_rw() is fine */
	if (cur != p->armed_pte)
		return pcw_fail(
		    err, -EBUSY,
		    "entry of va 0x%lx changed behind pcwatch (armed 0x%llx, now 0x%llx): "
		    "left as is, page stays pinned",
		    va, p->armed_pte, cur);
	ret = pcw_set_memory_rw(va, 1);
	if (ret)
		return pcw_fail(err, ret, "set_memory_rw(0x%lx) failed: %d", va, ret);
	pcw_restore_dirty(va, p->orig_pte);
	p->restored_pte = pcw_arch_read_pte(va, &lvl);
	return 0;
}

/*
 * mode=log, any context: the armed 4K entry made writable (with the original's Dirty bit, so
 * the CPU need not set it) and back, by cmpxchg.  The fault path invalidates the faulting
 * CPU's TLB entry itself; the close does a local invlpg plus a deferred flush everywhere.
 */
static u64 pcw_open_value(const struct pcw_rec_page *p)
{
	return p->armed_pte | _PAGE_RW | (p->orig_pte & _PAGE_DIRTY);
}

void pcw_arch_open(unsigned int slot)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	unsigned int lvl = 0;
	pte_t *ptep = lookup_address(p->vaddr, &lvl);

	if (!ptep || lvl != PG_LEVEL_4K)
		return;
	cmpxchg64((u64 *)&ptep->pte, p->armed_pte, pcw_open_value(p));
}

void pcw_arch_close(unsigned int slot)
{
	struct pcw_rec_page *p = &pcwatch_record.pages[slot];
	const u64 ad = _PAGE_ACCESSED | _PAGE_DIRTY;
	unsigned int lvl = 0;
	pte_t *ptep = lookup_address(p->vaddr, &lvl);
	u64 cur;

	if (!ptep || lvl != PG_LEVEL_4K)
		return;
	cur = pte_val(READ_ONCE(*ptep));
	if ((cur & ~ad) != (pcw_open_value(p) & ~ad))
		return;
	cmpxchg64((u64 *)&ptep->pte, cur, p->armed_pte);
	pcw_arch_flush_later(slot);
}

bool pcw_arch_writable_now(unsigned long va)
{
	u32 lvl;
	u64 pte = pcw_arch_read_pte(va, &lvl);

	return (pte & _PAGE_PRESENT) && (pte & _PAGE_RW);
}

/*
 * How the entry read back after disarm compares with the original: "exact"
 * for a 4K original; for a split large original, the 4K entry must be the
 * armed one with _PAGE_RW and the original's Dirty bit back ("rw-split").
 */
const char *pcw_arch_restore_verdict(const struct pcw_rec_page *p)
{
	if (p->pte_level == PG_LEVEL_4K)
		return p->restored_pte == p->orig_pte ? "exact" : "MISMATCH";
	return p->restored_pte == (p->armed_pte | _PAGE_RW | (p->orig_pte & _PAGE_DIRTY))
		   ? "rw-split"
		   : "MISMATCH";
}
