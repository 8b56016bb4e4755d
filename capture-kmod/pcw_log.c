// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_log.c - mode=log: record a write fault on a watched page, let the write complete,
 * re-protect the page.  Arch-independent part.
 *
 * The arch hook (pcw_log_arm64.c: kprobe on __do_kernel_fault; pcw_log_x86.c: the
 * exceptions:page_fault_kernel tracepoint) calls pcw_log_fault() before the kernel decides
 * to oops.  It records the hit, makes the page's linear-map entry writable again ("open")
 * and notes a pending re-protection {task, cpu, faulting pc}; the arch then arranges to
 * come back once the retried store has completed (x86: single step, arm64: a pinned
 * hrtimer that checks the interrupted pc) and calls pcw_log_close_*(), which re-protects
 * the page when its last pending entry closes.  Disarm marks the slot dying (its entries
 * then close without re-protecting) and waits for them to drain.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/delay.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "pcw.h"

#define PCW_PEND_MAX 64

struct pcw_pend {
	struct task_struct *task;
	u64 pc;
	u64 regs_addr; /* the fault's pt_regs, on the writer's stack */
	u64 addr;
	u8 before[PCW_HIT_BYTES];
	u64 seq;
	u64 t_open;
	u32 slot;
	int cpu;
	bool used;
};

static struct pcw_pend pcw_pend[PCW_PEND_MAX];
static DEFINE_RAW_SPINLOCK(pcw_log_lock);
static unsigned int pcw_pend_overflow;

/*
 * Re-protections that found the 16 bytes around the address unchanged: the store may not
 * have run yet (arm64: the timer's "not yet" test missed it).  When the same task faults
 * again at the same pc and address, that is the same store again ("refault"): it reopens
 * the page under the first hit instead of counting a new one.  (A writer storing the bytes
 * that are already there is then counted once per run of such stores.)
 */
#define PCW_UNCONF_MAX 8
struct pcw_unconf {
	struct task_struct *task;
	u64 pc, addr, seq;
};
static struct pcw_unconf pcw_unconf[PCW_UNCONF_MAX];
static unsigned int pcw_unconf_next;
static unsigned long pcw_refaults;

static bool pcw_log_refault(u64 pc, u64 addr, u64 *seq)
{
	unsigned int i;

	for (i = 0; i < PCW_UNCONF_MAX; i++) {
		struct pcw_unconf *u = &pcw_unconf[i];

		if (u->task == current && u->pc == pc && u->addr == addr) {
			*seq = u->seq;
			u->task = NULL;
			pcw_refaults++;
			return true;
		}
	}
	return false;
}

/* For mode=hwbp (arm64): the same rule, taking the lock. */
bool pcw_refault_take(u64 pc, u64 addr, u64 *seq)
{
	unsigned long fl;
	bool ret;

	raw_spin_lock_irqsave(&pcw_log_lock, fl);
	ret = pcw_log_refault(pc, addr, seq);
	raw_spin_unlock_irqrestore(&pcw_log_lock, fl);
	return ret;
}

void pcw_refault_note(struct task_struct *t, u64 pc, u64 addr, u64 seq)
{
	struct pcw_unconf *u;
	unsigned long fl;

	raw_spin_lock_irqsave(&pcw_log_lock, fl);
	u = &pcw_unconf[pcw_unconf_next++ % PCW_UNCONF_MAX];
	u->task = t;
	u->pc = pc;
	u->addr = addr;
	u->seq = seq;
	raw_spin_unlock_irqrestore(&pcw_log_lock, fl);
}

unsigned long pcw_log_refaults(void)
{
	return READ_ONCE(pcw_refaults);
}

/* The armed slot holding addr (any mode), or -1. */
int pcw_slot_of(u64 addr)
{
	struct pcw_record *r = &pcwatch_record;
	unsigned int i, n = READ_ONCE(r->nr_pages);

	smp_rmb();
	for (i = 0; i < n; i++)
		if (READ_ONCE(r->pages[i].state) == PCW_ARMED &&
		    (addr & PAGE_MASK) == r->pages[i].vaddr)
			return i;
	return -1;
}

/* A fault on a page pcwatch knows (any state) whose entry is writable by now. */
static bool pcw_log_stale(u64 addr)
{
	struct pcw_record *r = &pcwatch_record;
	unsigned int i, n = READ_ONCE(r->nr_pages);

	for (i = 0; i < n; i++)
		if (READ_ONCE(r->pages[i].state) != PCW_EMPTY &&
		    (addr & PAGE_MASK) == r->pages[i].vaddr)
			return pcw_arch_writable_now(addr & PAGE_MASK);
	return false;
}

bool pcw_log_fault(struct pt_regs *regs, u64 addr, u64 esr)
{
	struct pcw_hit_in in = {0};
	struct pcw_slot *s;
	struct pcw_pend *e = NULL;
	unsigned long fl;
	unsigned int i;
	int slot;

	if (!READ_ONCE(pcwatch_record.nr_pages))
		return false;
	slot = pcw_slot_of(addr);
	if (slot < 0)
		return pcw_log_stale(addr);
	if (READ_ONCE(pcwatch_record.pages[slot].mode) != PCW_MODE_LOG)
		return false;
	s = &pcw_slots[slot];
	in.regs = regs;
	in.addr = addr;
	in.esr = esr;
	in.is_write = true;
	in.mode = PCW_MODE_LOG;
	in.slot = slot;
	in.range = PCW_NONE;
	in.flags = PCW_HIT_BEFORE;

	raw_spin_lock_irqsave(&pcw_log_lock, fl);
	if (!s->dying) {
		for (i = 0; i < PCW_PEND_MAX; i++) {
			if (!pcw_pend[i].used) {
				e = &pcw_pend[i];
				break;
			}
		}
	}
	if (e) {
		e->used = true;
		e->task = current;
		e->pc = instruction_pointer(regs);
		e->regs_addr = (unsigned long)regs;
		e->addr = addr;
		e->cpu = raw_smp_processor_id();
		e->slot = slot;
		memcpy(e->before, (void *)(unsigned long)(addr & ~15ULL), PCW_HIT_BYTES);
		if (!pcw_log_refault(e->pc, addr, &e->seq))
			e->seq = pcw_hit_record(&in);
		s->open++;
	} else {
		pcw_hit_record(&in);
		if (!s->dying)
			pcw_pend_overflow++; /* left writable until disarm */
	}
	pcw_arch_open(slot);
	if (e)
		e->t_open = ktime_get_mono_fast_ns();
	raw_spin_unlock_irqrestore(&pcw_log_lock, fl);
	if (!e && !s->dying)
		pr_warn_once("pcwatch: more than %d re-protections pending: a page stays writable "
			     "until disarm\n",
			     PCW_PEND_MAX);
	if (e)
		pcw_arch_log_opened(regs);
	return true;
}

/* Lock held. */
static void pcw_log_close(struct pcw_pend *e)
{
	struct pcw_record *r = &pcwatch_record;
	struct pcw_slot *s = &pcw_slots[e->slot];
	u64 dt;

	pcw_hit_after(e->seq);
	if (!memcmp(e->before, (void *)(unsigned long)(e->addr & ~15ULL), PCW_HIT_BYTES)) {
		struct pcw_unconf *u = &pcw_unconf[pcw_unconf_next++ % PCW_UNCONF_MAX];

		u->task = e->task;
		u->pc = e->pc;
		u->addr = e->addr;
		u->seq = e->seq;
	}
	if (s->open && !--s->open && !s->dying)
		pcw_arch_close(e->slot);
	dt = ktime_get_mono_fast_ns() - e->t_open;
	r->reprotect_count++;
	r->reprotect_ns_total += dt;
	if (dt > r->reprotect_ns_max)
		r->reprotect_ns_max = dt;
	e->used = false;
}

/*
 * Has the retried store of e still to run, seen from an interrupt (or step) with pc/sp?
 * Yes if the interrupted pc is the faulting one (x86: a rep string instruction mid-way;
 * arm64: interrupt taken right after the exception return), or (arm64, sp != 0: the arch
 * saw the interrupted pc in the fault's return path) if the writer was interrupted while
 * still in the fault handler: its sp is then below the fault's pt_regs on the same stack.
 */
static bool pcw_log_still_pending(const struct pcw_pend *e, u64 pc, u64 sp)
{
	if (e->pc == pc)
		return true;
	return sp && e->task == current && sp < e->regs_addr && sp + THREAD_SIZE > e->regs_addr;
}

/*
 * Close the pending entries of this cpu (arm64 timer) or of task t (x86 single step) whose
 * store has completed (see pcw_log_still_pending).  Returns 0 if no entry matched, 1 if all
 * matching entries closed, 2 if some remain pending.
 */
int pcw_log_close_match(int cpu, struct task_struct *t, u64 pc, u64 sp)
{
	unsigned long fl;
	unsigned int i;
	int ret = 0;

	raw_spin_lock_irqsave(&pcw_log_lock, fl);
	for (i = 0; i < PCW_PEND_MAX; i++) {
		struct pcw_pend *e = &pcw_pend[i];

		if (!e->used || (t ? e->task != t : e->cpu != cpu))
			continue;
		if (pcw_log_still_pending(e, pc, sp)) {
			ret = 2;
			continue;
		}
		if (!ret)
			ret = 1;
		pcw_log_close(e);
	}
	raw_spin_unlock_irqrestore(&pcw_log_lock, fl);
	return ret;
}

/* Disarm: no more re-protection for slot; wait for its pending entries (process context). */
void pcw_log_quiesce(unsigned int slot)
{
	struct pcw_slot *s = &pcw_slots[slot];
	unsigned long fl;
	int i;

	raw_spin_lock_irqsave(&pcw_log_lock, fl);
	s->dying = true;
	raw_spin_unlock_irqrestore(&pcw_log_lock, fl);
	for (i = 0; i < 10000 && READ_ONCE(s->open); i++)
		usleep_range(1000, 2000);
	if (READ_ONCE(s->open))
		pr_warn("pcwatch: slot %u: %u re-protections still pending after 10 s\n", slot,
			s->open);
}

unsigned int pcw_log_pending(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PCW_PEND_MAX; i++)
		n += READ_ONCE(pcw_pend[i].used);
	return n;
}

unsigned int pcw_log_overflow(void)
{
	return READ_ONCE(pcw_pend_overflow);
}
