// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_log_x86.c - mode=log on x86-64: open the page at the fault, single-step the store.
 *
 * The exceptions:page_fault_kernel tracepoint (pcw_die.c) runs in exc_page_fault before
 * do_kern_addr_fault().  For a write/protection fault (error code exactly PROT|WRITE) on a
 * log-mode page pcw_log_fault() records the hit and makes the 4K direct-map entry writable;
 * do_kern_addr_fault() then finds it writable (spurious_kernel_fault()) and returns, and
 * the store is retried.  The tracepoint also sets TF in the fault's flags: after the retried
 * store the CPU raises #DB (DR6.BS), whose DIE_DEBUG notification (pcw_die.c) re-protects
 * the page (entry back to the armed value, invlpg here), clears TF and consumes the step.  A
 * rep string store is stepped per iteration: the entry stays open while ip is unchanged.
 * Other CPUs may have cached the open entry meanwhile: an irq_work -> work item then flushes
 * the page on every CPU (on_each_cpu invlpg).
 */
#include <linux/kernel.h>
#include <linux/irq_work.h>
#include <linux/workqueue.h>
#include <linux/smp.h>
#include <linux/bitops.h>
#include <linux/kdebug.h>
#include <linux/sched.h>
#include <asm/debugreg.h>
#include "pcw.h"

static unsigned long pcw_flush_bits[BITS_TO_LONGS(PCW_MAX_PAGES)];

u64 pcw_regs_lr(struct pt_regs *regs)
{
	return 0;
}

static void pcw_invlpg(void *va)
{
	asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}

static void pcw_flush_workfn(struct work_struct *w)
{
	unsigned int i;

	for_each_set_bit(i, pcw_flush_bits, PCW_MAX_PAGES)
	{
		if (test_and_clear_bit(i, pcw_flush_bits))
			on_each_cpu(pcw_invlpg,
				    (void *)(unsigned long)pcwatch_record.pages[i].vaddr, 1);
	}
}
static DECLARE_WORK(pcw_flush_work, pcw_flush_workfn);

static void pcw_flush_irqwork(struct irq_work *w)
{
	schedule_work(&pcw_flush_work);
}
static struct irq_work pcw_flush_iw;

/* After a re-protect (any context, NMI-like #DB included). */
void pcw_arch_flush_later(unsigned int slot)
{
	pcw_invlpg((void *)(unsigned long)pcwatch_record.pages[slot].vaddr);
	set_bit(slot, pcw_flush_bits);
	irq_work_queue(&pcw_flush_iw);
}

void pcw_arch_log_opened(struct pt_regs *regs)
{
	regs->flags |= X86_EFLAGS_TF;
}

/* DIE_DEBUG: our single step? */
int pcw_log_debug(struct die_args *args)
{
	unsigned long *dr6 = (unsigned long *)args->err;
	struct pt_regs *regs = args->regs;
	int ret;

	if (!dr6 || !regs || !(*dr6 & DR_STEP) || user_mode(regs))
		return NOTIFY_DONE;
	ret = pcw_log_close_match(-1, current, instruction_pointer(regs), 0);
	if (!ret)
		return NOTIFY_DONE;
	if (ret == 2)
		regs->flags |= X86_EFLAGS_TF;
	else
		regs->flags &= ~X86_EFLAGS_TF;
	*dr6 &= ~DR_STEP;
	return (*dr6 & DR_TRAP_BITS) ? NOTIFY_DONE : NOTIFY_STOP;
}

int pcw_log_init(void)
{
	init_irq_work(&pcw_flush_iw, pcw_flush_irqwork);
	return 0;
}

void pcw_log_exit(void)
{
	irq_work_sync(&pcw_flush_iw);
	flush_work(&pcw_flush_work);
}

int pcw_log_available(struct pcw_err *err)
{
	if (!pcw_pf_hooked())
		return pcw_fail(err, -EOPNOTSUPP,
				"mode=log needs the exceptions:page_fault_kernel tracepoint, "
				"which is not available");
	return 0;
}

const char *pcw_log_hook(void)
{
	return pcw_pf_hooked() ? "tracepoint page_fault_kernel, re-protect by single step" : "none";
}
