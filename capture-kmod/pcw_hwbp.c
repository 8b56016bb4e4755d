// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_hwbp.c - mode=hwbp: hardware data watchpoints on a byte range of the linear map.
 *
 * One arm command is one ranges[] entry: len bytes at a linear-map address inside one page,
 * split into naturally aligned 1/2/4/8-byte pieces, each a wide (every CPU) kernel
 * watchpoint (register_wide_hw_breakpoint, HW_BREAKPOINT_W).  No page-table change, so it
 * also works on a block-mapped linear map.  The page is pinned while armed.  A CPU without
 * a free watchpoint makes the registration fail: the arm is refused and nothing is left.
 *
 * A hit is recorded in the ring (mode hwbp, range index, slot PCW_NONE).  x86 data
 * breakpoints trap after the write (flags AFTER: after[] holds the written bytes, before[]
 * unknown).  arm64 watchpoint exceptions are taken before the store, and with a custom
 * overflow handler the kernel does not step over it: pcw_hwbp_arch_hit() disables that
 * watchpoint on this CPU and re-enables it later (pcw_arch_*.c / pcw_hwbp_arm64 part below).
 * then=panic: the first hit panics (kdump) once recorded.
 */
#include <linux/kernel.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <linux/pagemap.h>
#include <linux/mm.h>
#include <linux/err.h>
#include <linux/timekeeping.h>
#include "pcw.h"

#define PCW_BP_PER_RANGE 8

struct pcw_hwbp_range {
	struct perf_event *__percpu *bp[PCW_BP_PER_RANGE];
	unsigned long addr[PCW_BP_PER_RANGE];
	unsigned int len[PCW_BP_PER_RANGE];
	unsigned int nr;
	struct page *page;
	bool dying;
};

static struct pcw_hwbp_range pcw_hwbp[PCW_MAX_RANGES];

static void pcw_hwbp_handler(struct perf_event *bp, struct perf_sample_data *data,
			     struct pt_regs *regs)
{
	unsigned long idx = (unsigned long)bp->overflow_handler_context;
	struct pcw_rec_range *rg = &pcwatch_record.ranges[idx];
	struct pcw_hit_in in = {0};
	u64 seq;

	if (idx >= PCW_MAX_RANGES || READ_ONCE(rg->state) != PCW_ARMED || pcw_hwbp[idx].dying) {
		pcw_hwbp_arch_hit(bp, regs, 0);
		return;
	}
	/* arm64: the same store again after an early re-enable (see pcw_log.c "refault") */
	if (!pcw_hwbp_trap_after() &&
	    pcw_refault_take(instruction_pointer(regs), bp->attr.bp_addr, &seq)) {
		pcw_hwbp_arch_hit(bp, regs, seq);
		return;
	}
	in.regs = regs;
	in.addr = bp->attr.bp_addr;
	in.is_write = true;
	in.mode = PCW_MODE_HWBP;
	in.slot = PCW_NONE;
	in.range = idx;
	in.flags = pcw_hwbp_trap_after() ? PCW_HIT_AFTER : PCW_HIT_BEFORE;
	if (rg->then_panic)
		in.flags |= PCW_HIT_PANIC;
	in.force_print = rg->then_panic;
	seq = pcw_hit_record(&in);
	if (rg->then_panic)
		panic("pcwatch: hardware watchpoint hit on range %lu (then=panic)", idx);
	pcw_hwbp_arch_hit(bp, regs, seq);
}

static void pcw_hwbp_release(unsigned int idx)
{
	struct pcw_hwbp_range *h = &pcw_hwbp[idx];
	unsigned int i;

	h->dying = true;
	pcw_hwbp_arch_quiesce();
	for (i = 0; i < h->nr; i++)
		if (h->bp[i])
			unregister_wide_hw_breakpoint(h->bp[i]);
	memset(h->bp, 0, sizeof(h->bp));
	h->nr = 0;
	if (h->page)
		put_page(h->page);
	h->page = NULL;
}

/* Arm len bytes at linear-map va of page (a reference the range keeps on success). */
int pcw_hwbp_arm(struct page *page, unsigned long va, unsigned int len, enum pcw_source src,
		 int file, bool then_panic, struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;
	struct pcw_rec_range *rg;
	struct pcw_hwbp_range *h;
	struct perf_event_attr attr;
	unsigned long a = va, end = va + len;
	unsigned int idx;
	struct inode *host;
	struct page *head;
	struct address_space *m;

	if (!len || len > PAGE_SIZE || ((va ^ (end - 1)) & PAGE_MASK))
		return pcw_fail(err, -EINVAL,
				"hwbp range 0x%lx+%u must be 1..%lu bytes inside one page", va, len,
				PAGE_SIZE);
	for (idx = 0; idx < r->nr_ranges; idx++)
		if (r->ranges[idx].state != PCW_ARMED && !pcw_hwbp[idx].nr)
			break;
	if (idx >= PCW_MAX_RANGES)
		return pcw_fail(err, -ENOSPC, "all %u hwbp ranges used", PCW_MAX_RANGES);
	h = &pcw_hwbp[idx];
	rg = &r->ranges[idx];
	memset(h, 0, sizeof(*h));
	memset(rg, 0, sizeof(*rg));
	rg->vaddr = va;
	rg->paddr = PFN_PHYS(page_to_pfn(page)) + (va & ~PAGE_MASK);
	rg->pfn = page_to_pfn(page);
	rg->len = len;
	rg->source = src;
	rg->file = file < 0 ? PCW_NONE : file;
	rg->then_panic = then_panic;
	rg->arm_time_ns = ktime_get_real_ns();
	head = compound_head(page);
	m = READ_ONCE(head->mapping);
	if (m && !((unsigned long)m & PAGE_MAPPING_FLAGS)) {
		rg->mapping = (unsigned long)m;
		rg->index = READ_ONCE(head->index) + (page - head);
		host = READ_ONCE(m->host);
		if (host)
			rg->ino = host->i_ino;
	}
	WRITE_ONCE(rg->state, PCW_ARMED); /* before the first hit can come */
	if (idx == r->nr_ranges)
		WRITE_ONCE(r->nr_ranges, idx + 1);
	while (a < end) {
		unsigned int l = 8;
		struct perf_event *__percpu *bp;

		while (l > 1 && ((a & (l - 1)) || a + l > end))
			l >>= 1;
		if (h->nr >= PCW_BP_PER_RANGE) {
			pcw_fail(err, -E2BIG,
				 "hwbp range 0x%lx+%u needs more than %d aligned watchpoints: "
				 "arm a shorter or better aligned range",
				 va, len, PCW_BP_PER_RANGE);
			goto fail;
		}
		hw_breakpoint_init(&attr);
		attr.bp_addr = a;
		attr.bp_len = l == 8   ? HW_BREAKPOINT_LEN_8
			      : l == 4 ? HW_BREAKPOINT_LEN_4
			      : l == 2 ? HW_BREAKPOINT_LEN_2
				       : HW_BREAKPOINT_LEN_1;
		attr.bp_type = HW_BREAKPOINT_W;
		bp = register_wide_hw_breakpoint(&attr, pcw_hwbp_handler,
						 (void *)(unsigned long)idx);
		if (IS_ERR((void __force *)bp)) {
			long e = PTR_ERR((void __force *)bp);

			if (e == -ENOSPC)
				pcw_fail(
				    err, -ENOSPC,
				    "refused: no free hardware watchpoint for 0x%lx+%u (piece %u "
				    "of this range; the CPU offers %u data watchpoints, in use by "
				    "pcwatch before this arm: %u)",
				    a, l, h->nr + 1, r->max_bp, pcw_hwbp_in_use());
			else
				pcw_fail(err, (int)e,
					 "register_wide_hw_breakpoint(0x%lx, len %u) failed: %ld",
					 a, l, e);
			goto fail;
		}
		h->bp[h->nr] = bp;
		h->addr[h->nr] = a;
		h->len[h->nr] = l;
		h->nr++;
		a += l;
	}
	rg->nr_bp = h->nr;
	h->page = page;
	return 0;
fail:
	WRITE_ONCE(rg->state, PCW_EMPTY);
	pcw_hwbp_release(idx);
	if (idx + 1 == r->nr_ranges)
		WRITE_ONCE(r->nr_ranges, idx);
	return err->code;
}

unsigned int pcw_hwbp_in_use(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < PCW_MAX_RANGES; i++)
		n += pcw_hwbp[i].nr;
	return n;
}

int pcw_hwbp_disarm(unsigned int idx, struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;

	if (idx >= r->nr_ranges || r->ranges[idx].state != PCW_ARMED)
		return pcw_fail(err, -ENOENT, "range %u is not armed", idx);
	WRITE_ONCE(r->ranges[idx].state, PCW_DISARMED);
	pcw_hwbp_release(idx);
	return 0;
}

int pcw_hwbp_disarm_all(struct pcw_err *err)
{
	unsigned int i;

	for (i = 0; i < pcwatch_record.nr_ranges; i++)
		if (pcwatch_record.ranges[i].state == PCW_ARMED)
			pcw_hwbp_disarm(i, err);
	return 0;
}

unsigned int pcw_hwbp_armed(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < pcwatch_record.nr_ranges; i++)
		n += pcwatch_record.ranges[i].state == PCW_ARMED;
	return n;
}
