// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_hwbp_arch.c - the per-arch part of mode=hwbp.
 *
 * x86: data breakpoints trap after the write; nothing to do.
 * arm64: a watchpoint exception is taken before the store, and the kernel steps over it
 * only for the default overflow handler.  pcw_hwbp_arch_hit() therefore clears the enable
 * bit of the hitting watchpoint (found by its DBGWVR value) on this CPU, and a per-cpu
 * pinned hard hrtimer sets it again once the store has run (same "not yet" test as log mode:
 * the interrupted pc is still the faulting one, or the writer is still inside the exception
 * handler).  Writes on this CPU in between are not seen (window measured like log mode).
 */
#include <linux/kernel.h>
#include <linux/perf_event.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/delay.h>
#include <linux/string.h>
#include <asm/irq_regs.h>
#include "pcw.h"

#ifdef CONFIG_X86_64
bool pcw_hwbp_trap_after(void)
{
	return true;
}

void pcw_hwbp_arch_hit(struct perf_event *bp, struct pt_regs *regs, u64 seq)
{
}

void pcw_hwbp_arch_quiesce(void)
{
}

u32 pcw_hwbp_max(void)
{
	return 4; /* DR0-DR3 */
}

int pcw_hwbp_arch_init(void)
{
	return 0;
}

void pcw_hwbp_arch_exit(void)
{
}
#else
#include <asm/sysreg.h>

#define PCW_REENABLE_NS 20000
#define PCW_WVR(n)	sys_reg(2, 0, 0, n, 6)
#define PCW_WCR(n)	sys_reg(2, 0, 0, n, 7)

#define PCW_CASES(F)                                                                               \
	F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9) F(10) F(11) F(12) F(13) F(14) F(15)

static u64 pcw_wvr(int n)
{
#define F(i)                                                                                       \
	case i:                                                                                    \
		return read_sysreg_s(PCW_WVR(i));
	switch (n) {
		PCW_CASES(F)
	}
#undef F
	return 0;
}

static u64 pcw_wcr(int n)
{
#define F(i)                                                                                       \
	case i:                                                                                    \
		return read_sysreg_s(PCW_WCR(i));
	switch (n) {
		PCW_CASES(F)
	}
#undef F
	return 0;
}

static void pcw_wcr_set(int n, u64 v)
{
#define F(i)                                                                                       \
	case i:                                                                                    \
		write_sysreg_s(v, PCW_WCR(i));                                                     \
		break;
	switch (n) {
		PCW_CASES(F)
	}
#undef F
	isb();
}

struct pcw_hwbp_cpu {
	struct hrtimer timer;
	u32 disabled; /* watchpoint numbers whose E bit pcwatch cleared */
	u64 wvr[16];
	u64 pc, regs_addr, t0, addr, seq;
	u8 before[PCW_HIT_BYTES];
	struct task_struct *task;
};
static DEFINE_PER_CPU(struct pcw_hwbp_cpu, pcw_hwbp_cpu);

bool pcw_hwbp_trap_after(void)
{
	return false;
}

u32 pcw_hwbp_max(void)
{
	return ((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

void pcw_hwbp_arch_hit(struct perf_event *bp, struct pt_regs *regs, u64 seq)
{
	struct pcw_hwbp_cpu *c = this_cpu_ptr(&pcw_hwbp_cpu);
	u64 want = bp->attr.bp_addr & ~7ULL;
	int n, max = pcw_hwbp_max();

	for (n = 0; n < max && n < 16; n++) {
		u64 wcr = pcw_wcr(n);

		if (!(wcr & 1) || (pcw_wvr(n) & ~7ULL) != want)
			continue;
		pcw_wcr_set(n, wcr & ~1ULL);
		c->disabled |= 1U << n;
		c->wvr[n] = pcw_wvr(n);
	}
	c->pc = instruction_pointer(regs);
	c->regs_addr = (unsigned long)regs;
	c->task = current;
	c->t0 = ktime_get_mono_fast_ns();
	c->addr = bp->attr.bp_addr;
	c->seq = seq;
	memcpy(c->before, (void *)(unsigned long)(c->addr & ~15ULL), PCW_HIT_BYTES);
	hrtimer_start(&c->timer, ns_to_ktime(PCW_REENABLE_NS), HRTIMER_MODE_REL_PINNED_HARD);
}

static enum hrtimer_restart pcw_hwbp_timer_fn(struct hrtimer *t)
{
	struct pcw_hwbp_cpu *c = this_cpu_ptr(&pcw_hwbp_cpu);
	struct pt_regs *regs = get_irq_regs();
	struct pcw_record *r = &pcwatch_record;
	u64 dt;
	int n;

	/* debug exceptions run with interrupts masked: only "right before the store" is left */
	if (regs && !user_mode(regs) && instruction_pointer(regs) == c->pc) {
		hrtimer_forward_now(t, ns_to_ktime(PCW_REENABLE_NS));
		return HRTIMER_RESTART;
	}
	for (n = 0; n < 16; n++) {
		if (!(c->disabled & (1U << n)))
			continue;
		/* still installed (unregistering writes a zero control) and ours */
		if (pcw_wvr(n) == c->wvr[n] && (pcw_wcr(n) & ~1ULL))
			pcw_wcr_set(n, pcw_wcr(n) | 1);
	}
	c->disabled = 0;
	if (c->seq) {
		pcw_hit_after(c->seq);
		if (!memcmp(c->before, (void *)(unsigned long)(c->addr & ~15ULL), PCW_HIT_BYTES))
			pcw_refault_note(c->task, c->pc, c->addr, c->seq);
	}
	dt = ktime_get_mono_fast_ns() - c->t0;
	r->reprotect_count++;
	r->reprotect_ns_total += dt;
	if (dt > r->reprotect_ns_max)
		r->reprotect_ns_max = dt;
	return HRTIMER_NORESTART;
}

/* Before unregistering: let pending re-enables run (process context, up to 1 s per cpu). */
void pcw_hwbp_arch_quiesce(void)
{
	int cpu, i;

	for_each_possible_cpu(cpu)
	{
		struct hrtimer *t = &per_cpu_ptr(&pcw_hwbp_cpu, cpu)->timer;

		for (i = 0; i < 1000 && hrtimer_active(t); i++)
			usleep_range(1000, 2000);
	}
}

int pcw_hwbp_arch_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
	{
		struct hrtimer *t = &per_cpu_ptr(&pcw_hwbp_cpu, cpu)->timer;

		hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
		t->function = pcw_hwbp_timer_fn;
	}
	return 0;
}

void pcw_hwbp_arch_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) hrtimer_cancel(&per_cpu_ptr(&pcw_hwbp_cpu, cpu)->timer);
}
#endif
