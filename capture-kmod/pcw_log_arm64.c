// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_log_arm64.c - mode=log on arm64: catch the fault before the oops, re-protect later.
 *
 * A kernel write to a read-only linear-map page ends in __do_kernel_fault(addr, esr, regs)
 * (do_page_fault -> no_context), which oopses via die_kernel_fault().  A kprobe on its first
 * instruction (a patchable-entry NOP: an ordinary BRK probe, not an ftrace one) sees
 * x0 = addr, x1 = ESR, x2 = the fault's pt_regs.  For a permission write fault on a log-mode
 * page pcw_log_fault() records the hit and makes the entry writable; the probe then returns
 * as if __do_kernel_fault had returned (pc = lr, the pre-handler returns 1: no step of the
 * probed instruction), do_page_fault returns 0 and the faulting store is retried.
 *
 * arm64 offers modules no kernel single step, so the page is re-protected by a per-cpu
 * pinned hard hrtimer PCW_REARM_NS later.  The store is retried by the instruction right
 * after the exception return; if the timer interrupt is taken before it (get_irq_regs()->pc
 * is still the faulting pc), the timer is pushed on and the page stays open.  The time a page
 * stays writable is measured into reprotect_ns_max/total.  el1_abort runs do_mem_abort with
 * the interrupted context's IRQ mask, so the timer may also interrupt the rest of the fault
 * handler: an interrupted pc in do_page_fault/do_mem_abort/el1_abort with an sp below the
 * fault's pt_regs (same task) also means "not yet".
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/hrtimer.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/kallsyms.h>
#include <linux/string.h>
#include <asm/irq_regs.h>
#include "pcw.h"

#define PCW_REARM_NS	    20000
#define PCW_ESR_EC(esr)	    (((esr) >> 26) & 0x3f)
#define PCW_ESR_EC_DABT_CUR 0x25
#define PCW_ESR_WNR	    (1UL << 6)
#define PCW_ESR_CM	    (1UL << 8)
#define PCW_FSC_PERM(esr)   (((esr)&0x3c) == 0x0c)

static DEFINE_PER_CPU(struct hrtimer, pcw_rearm_timer);
static bool pcw_kp_on;
static int pcw_kp_err;

u64 pcw_regs_lr(struct pt_regs *regs)
{
	return regs->regs[30];
}

static int pcw_kdf_pre(struct kprobe *kp, struct pt_regs *kregs)
{
	u64 addr = kregs->regs[0], esr = kregs->regs[1];
	struct pt_regs *regs = (struct pt_regs *)kregs->regs[2];

	if (PCW_ESR_EC(esr) != PCW_ESR_EC_DABT_CUR || !(esr & PCW_ESR_WNR) || (esr & PCW_ESR_CM) ||
	    !PCW_FSC_PERM(esr) || !regs)
		return 0;
	if (!pcw_log_fault(regs, addr, esr))
		return 0;
	/* return from __do_kernel_fault: nothing of it has run yet (entry NOPs) */
	instruction_pointer_set(kregs, kregs->regs[30]);
	return 1;
}

static struct kprobe pcw_kdf_kp = {
    .symbol_name = "__do_kernel_fault",
    .pre_handler = pcw_kdf_pre,
};

/*
 * Was the interrupted pc on the way back from the fault (IRQs are enabled there when the
 * writer had them enabled: el1_abort -> do_mem_abort -> do_page_fault, after the probe)?
 */
static bool pcw_in_fault_return(u64 pc)
{
	static const char *const fns[] = {"do_page_fault", "do_mem_abort", "el1_abort",
					  "__do_kernel_fault", "do_translation_fault"};
	char name[KSYM_NAME_LEN];
	unsigned int i;

	snprintf(name, sizeof(name), "%ps", (void *)(unsigned long)pc);
	for (i = 0; i < ARRAY_SIZE(fns); i++)
		if (!strcmp(name, fns[i]))
			return true;
	return false;
}

static enum hrtimer_restart pcw_rearm_fn(struct hrtimer *t)
{
	struct pt_regs *regs = get_irq_regs();
	bool k = regs && !user_mode(regs);
	u64 pc = k ? instruction_pointer(regs) : 0;

	if (pcw_log_close_match(smp_processor_id(), NULL, pc,
				k && pcw_in_fault_return(pc) ? regs->sp : 0) == 2) {
		hrtimer_forward_now(t, ns_to_ktime(PCW_REARM_NS));
		return HRTIMER_RESTART;
	}
	return HRTIMER_NORESTART;
}

void pcw_arch_log_opened(struct pt_regs *regs)
{
	hrtimer_start(this_cpu_ptr(&pcw_rearm_timer), ns_to_ktime(PCW_REARM_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

int pcw_log_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
	{
		hrtimer_init(per_cpu_ptr(&pcw_rearm_timer, cpu), CLOCK_MONOTONIC,
			     HRTIMER_MODE_REL_PINNED_HARD);
		per_cpu_ptr(&pcw_rearm_timer, cpu)->function = pcw_rearm_fn;
	}
	pcw_kp_err = register_kprobe(&pcw_kdf_kp);
	pcw_kp_on = !pcw_kp_err;
	if (pcw_kp_err)
		pr_warn("pcwatch: kprobe on __do_kernel_fault: %d: mode=log unavailable\n",
			pcw_kp_err);
	return 0;
}

void pcw_log_exit(void)
{
	int cpu;

	if (pcw_kp_on)
		unregister_kprobe(&pcw_kdf_kp);
	pcw_kp_on = false;
	for_each_possible_cpu(cpu) hrtimer_cancel(per_cpu_ptr(&pcw_rearm_timer, cpu));
}

int pcw_log_available(struct pcw_err *err)
{
	if (!pcw_kp_on)
		return pcw_fail(err, -EOPNOTSUPP,
				"mode=log needs a kprobe on __do_kernel_fault, which failed (%d)",
				pcw_kp_err);
	return 0;
}

const char *pcw_log_hook(void)
{
	return pcw_kp_on ? "kprobe __do_kernel_fault, re-protect by pinned hrtimer" : "none";
}
