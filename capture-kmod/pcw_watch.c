// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_watch.c - arm and disarm watched pages; the capture record.
 *
 * A watched page is pinned (one reference held) so reclaim, drop_caches and
 * migration leave it where it is, then its linear-map entry is made
 * read-only.  The first armed page sets panic_on_oops (so the oops of the
 * stray writer goes to kdump with its registers); the last disarmed page
 * restores the previous value.  All of this runs under pcw_lock; the die
 * notifier only reads the record.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/kexec.h>
#include <linux/mutex.h>
#include <linux/timekeeping.h>
#include "pcw.h"

DEFINE_MUTEX(pcw_lock);
struct pcw_record pcwatch_record;
EXPORT_SYMBOL_GPL(pcwatch_record);
struct pcw_slot pcw_slots[PCW_MAX_PAGES];
struct pcw_err pcw_last_err;
bool pcw_allow_no_kdump;
bool pcw_set_panic = true;

#define PCW_POO_UNSET 0xffffffffu

int pcw_fail(struct pcw_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

int pcw_precheck(struct pcw_err *err)
{
	bool loaded = kexec_crash_loaded();

	pcwatch_record.kdump_loaded = loaded;
	if (!loaded && !pcw_allow_no_kdump)
		return pcw_fail(
		    err, -ENOEXEC,
		    "no crash kernel is loaded (kexec -p): a hit would oops without a vmcore. "
		    "Load a crash kernel, or set allow_no_kdump=1 to arm anyway");
	return 0;
}

int pcw_find_pfn(unsigned long pfn)
{
	unsigned int i, n = READ_ONCE(pcwatch_record.nr_pages);

	for (i = 0; i < n; i++)
		if (pcwatch_record.pages[i].state == PCW_ARMED &&
		    pcwatch_record.pages[i].pfn == pfn)
			return i;
	return -1;
}

/* Who owns the page: mapping, inode number, page-cache index of this base page. */
static void pcw_page_owner(struct page *page, struct pcw_rec_page *p)
{
	struct page *head = compound_head(page);
	struct address_space *m;
	struct inode *host;

	p->folio_order = PageCompound(head) ? compound_order(head) : 0;
	rcu_read_lock(); /* inodes are freed after an RCU grace period */
	m = READ_ONCE(head->mapping);
	if (m && !((unsigned long)m & PAGE_MAPPING_FLAGS)) {
		p->mapping = (unsigned long)m;
		p->index = READ_ONCE(head->index) + (page - head);
		host = READ_ONCE(m->host);
		if (host)
			p->ino = host->i_ino;
	}
	rcu_read_unlock();
}

static int pcw_poo_arm(struct pcw_err *err)
{
	int old;

	if (!pcw_set_panic || pcwatch_record.panic_on_oops_saved != PCW_POO_UNSET)
		return 0;
	old = pcw_panic_on_oops_get();
	if (old < 0)
		return pcw_fail(err, old,
				"cannot read panic_on_oops (%d): mount /proc or set "
				"set_panic_on_oops=0 and boot with oops=panic",
				old);
	if (old != 1 && pcw_panic_on_oops_set(1))
		return pcw_fail(err, -EIO, "cannot set panic_on_oops=1");
	pcwatch_record.panic_on_oops_saved = old;
	if (old != 1)
		pr_info("pcwatch: panic_on_oops %d -> 1 while armed\n", old);
	if (pcw_post_notifiers() == 1)
		pr_warn("pcwatch: crash_kexec_post_notifiers is set: a hit's vmcore will hold the "
			"panic CPU's registers, not the writer's\n");
	return 0;
}

static void pcw_poo_disarm(void)
{
	u32 old = pcwatch_record.panic_on_oops_saved;

	if (old == PCW_POO_UNSET)
		return;
	if (old != 1) {
		pcw_panic_on_oops_set(old);
		pr_info("pcwatch: panic_on_oops restored to %u\n", old);
	}
	pcwatch_record.panic_on_oops_saved = PCW_POO_UNSET;
}

/* Arm one base page.  The caller's reference on page becomes pcwatch's pin on success. */
int pcw_arm_page(struct page *page, enum pcw_source src, int file, u32 mode, struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;
	unsigned long pfn = page_to_pfn(page), va;
	struct pcw_rec_page *p;
	unsigned int slot;
	int ret;

	if (PageHighMem(page))
		return pcw_fail(err, -EINVAL, "pfn 0x%lx is highmem: it has no linear map", pfn);
	if (pcw_find_pfn(pfn) >= 0)
		return pcw_fail(err, -EEXIST, "pfn 0x%lx is already armed", pfn);
	va = (unsigned long)page_address(page);
	ret = pcw_arch_check(va, err);
	if (ret)
		return ret;
	for (slot = 0; slot < r->nr_pages; slot++)
		if (r->pages[slot].state == PCW_EMPTY)
			break;
	if (slot >= PCW_MAX_PAGES)
		return pcw_fail(err, -ENOSPC, "all %u slots used (disarm all, then reset)",
				PCW_MAX_PAGES);
	if (mode == PCW_MODE_PANIC) {
		ret = pcw_poo_arm(err);
		if (ret)
			return ret;
	}

	p = &r->pages[slot];
	memset(p, 0, sizeof(*p));
	p->pfn = pfn;
	p->vaddr = va;
	p->paddr = PFN_PHYS(pfn);
	p->source = src;
	p->file = file < 0 ? 0xffffffffu : file;
	p->arm_time_ns = ktime_get_real_ns();
	p->mode = mode;
	pcw_page_owner(page, p);
	pcw_md5((void *)va, PAGE_SIZE, p->md5);
	pcw_slots[slot].page = page;
	pcw_slots[slot].open = 0;
	pcw_slots[slot].dying = false;

	/* publish before protecting: a write right after the flush must be recognised */
	WRITE_ONCE(p->state, PCW_ARMED);
	smp_wmb();
	if (slot == r->nr_pages)
		WRITE_ONCE(r->nr_pages, slot + 1);
	WRITE_ONCE(r->nr_armed, r->nr_armed + 1);
	ret = pcw_arch_protect(slot, err);
	if (ret) {
		WRITE_ONCE(p->state, PCW_EMPTY);
		pcw_slots[slot].page = NULL;
		WRITE_ONCE(r->nr_armed, r->nr_armed - 1);
		if (slot + 1 == r->nr_pages)
			WRITE_ONCE(r->nr_pages, slot);
		if (!r->nr_armed)
			pcw_poo_disarm();
		return ret;
	}
	if (file >= 0)
		r->files[file].nr_pages++;
	return 0;
}

int pcw_arm_pfn(unsigned long pfn, enum pcw_source src, u32 mode, struct pcw_err *err)
{
	struct page *page, *head;
	int ret;

	if (!pfn_valid(pfn))
		return pcw_fail(err, -EINVAL, "pfn 0x%lx is not valid RAM", pfn);
	page = pfn_to_page(pfn);
	head = compound_head(page);
	if (!get_page_unless_zero(head))
		return pcw_fail(err, -EINVAL, "pfn 0x%lx is free (refcount 0): nothing to pin",
				pfn);
	if (compound_head(page) != head) {
		put_page(head);
		return pcw_fail(err, -EAGAIN, "pfn 0x%lx changed its folio while pinning", pfn);
	}
	ret = pcw_arm_page(page, src, -1, mode, err);
	if (ret)
		put_page(page);
	return ret;
}

int pcw_disarm_slot(unsigned int slot, struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;
	struct pcw_rec_page *p;
	int ret;

	if (slot >= r->nr_pages || r->pages[slot].state != PCW_ARMED)
		return pcw_fail(err, -ENOENT, "slot %u is not armed", slot);
	p = &r->pages[slot];
	if (p->mode == PCW_MODE_LOG)
		pcw_log_quiesce(slot); /* no re-protection after this; pending ones drained */
	ret = pcw_arch_restore(slot, err);
	if (ret) {
		WRITE_ONCE(p->state, PCW_STUCK);
	} else {
		WRITE_ONCE(p->state, PCW_DISARMED);
		put_page(pcw_slots[slot].page);
		pcw_slots[slot].page = NULL;
	}
	WRITE_ONCE(r->nr_armed, r->nr_armed - 1);
	if (!r->nr_armed)
		pcw_poo_disarm();
	return ret;
}

/*
 * Undo a slot armed by a command that then failed, so that a refused command changes nothing:
 * the original entry comes back and the slot is empty again.  A slot hit in the meantime (log
 * mode) is disarmed instead: the record keeps the page its hits name.
 */
static int pcw_unarm_slot(unsigned int slot, struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;
	struct pcw_rec_page *p = &r->pages[slot];
	u32 file = p->file;
	int ret;

	if (READ_ONCE(p->hits))
		return pcw_disarm_slot(slot, err);
	ret = pcw_disarm_slot(slot, err);
	if (ret)
		return ret; /* PCW_STUCK: left as it is, visible in the status */
	if (file < PCW_MAX_FILES && r->files[file].nr_pages)
		r->files[file].nr_pages--;
	memset(p, 0, sizeof(*p)); /* PCW_EMPTY */
	while (r->nr_pages && r->pages[r->nr_pages - 1].state == PCW_EMPTY)
		WRITE_ONCE(r->nr_pages, r->nr_pages - 1);
	return 0;
}

/*
 * The arming of a command that failed half-way: undo every slot set in @mine (a bitmap of
 * PCW_MAX_PAGES bits, the slots that command armed).  Returns how many were undone.
 */
unsigned int pcw_unarm_slots(const unsigned long *mine)
{
	struct pcw_err err = {0};
	unsigned int slot, n = 0;

	for_each_set_bit(slot, mine, PCW_MAX_PAGES)
	{
		if (pcw_unarm_slot(slot, &err))
			pr_warn("pcwatch: slot %u: cannot undo its arming: %s\n", slot, err.msg);
		else
			n++;
	}
	return n;
}

int pcw_disarm_all(struct pcw_err *err)
{
	unsigned int i;
	int ret = 0, r1;

	for (i = 0; i < pcwatch_record.nr_pages; i++) {
		if (pcwatch_record.pages[i].state != PCW_ARMED)
			continue;
		r1 = pcw_disarm_slot(i, err);
		if (r1 && !ret)
			ret = r1;
	}
	if (!pcwatch_record.nr_armed)
		pcw_files_release();
	return ret;
}
