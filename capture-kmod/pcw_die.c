// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_die.c - recognise the oops of a write into a watched page.
 *
 * Both arm64 (die() -> __die()) and x86 (page_fault_oops() -> __die())
 * call notify_die(DIE_OOPS, "Oops", regs, err, ...) before the
 * kexec_should_crash()/crash_kexec(regs) step, with err = ESR_EL1 on arm64
 * and the page-fault error code on x86.  The fault address is FAR_EL1 on
 * arm64; on x86 see pcw_pf_probe() (CR2 may be overwritten by then).  The notifier records the hit
 * and returns NOTIFY_DONE: the oops goes on, and with panic_on_oops set, crash_kexec() gets the
 * writer's registers.  It never panics itself.  Other oopses are left alone.
 */
#include <linux/kernel.h>
#include <linux/kdebug.h>
#include <linux/notifier.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/ptrace.h>
#include "pcw.h"

#ifdef CONFIG_ARM64
#define PCW_ESR_EC(esr)	    (((esr) >> 26) & 0x3f)
#define PCW_ESR_EC_DABT_CUR 0x25
#define PCW_ESR_WNR	    (1UL << 6)

static bool pcw_fault(struct die_args *args, u64 *addr, bool *is_write)
{
	if (PCW_ESR_EC(args->err) != PCW_ESR_EC_DABT_CUR)
		return false;
	*addr = read_sysreg(far_el1);
	*is_write = args->err & PCW_ESR_WNR;
	return true;
}

static void pcw_arch_die_init(void)
{
}

static void pcw_arch_die_exit(void)
{
}
#elif defined(CONFIG_X86_64)
#include <linux/tracepoint.h>
#include <linux/percpu.h>
#define PCW_PF_PROT  (1UL << 0)
#define PCW_PF_WRITE (1UL << 1)
#define PCW_PF_USER  (1UL << 2)

/*
 * On x86 the DIE_OOPS notifier runs after show_regs(), whose code-bytes dump
 * may itself fault (copy_from_kernel_nofault) and overwrite CR2.  So the
 * fault address is also taken where the fault enters: the x86 tracepoint
 * exceptions:page_fault_kernel (exc_page_fault, before handling), remembered
 * per cpu with its pt_regs; CR2 is the fallback.
 */
struct pcw_pf {
	struct pt_regs *regs;
	unsigned long addr;
};
static DEFINE_PER_CPU(struct pcw_pf, pcw_pf);
static struct tracepoint *pcw_pf_tp;

static void pcw_pf_probe(void *data, unsigned long address, struct pt_regs *regs,
			 unsigned long error_code)
{
	unsigned int i, n;

	if ((error_code & (PCW_PF_PROT | PCW_PF_WRITE | PCW_PF_USER)) !=
	    (PCW_PF_PROT | PCW_PF_WRITE))
		return;
	if (!READ_ONCE(pcwatch_record.nr_pages))
		return;
	/* mode=log: exactly PROT|WRITE is what spurious_kernel_fault() then lets retry */
	if (error_code == (PCW_PF_PROT | PCW_PF_WRITE) && pcw_log_fault(regs, address, error_code))
		return;
	n = READ_ONCE(pcwatch_record.nr_pages);
	for (i = 0; i < n; i++) {
		if ((address & PAGE_MASK) == pcwatch_record.pages[i].vaddr) {
			this_cpu_write(pcw_pf.regs, regs);
			this_cpu_write(pcw_pf.addr, address);
			return;
		}
	}
}

static void pcw_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "page_fault_kernel"))
		pcw_pf_tp = tp;
}

static void pcw_arch_die_init(void)
{
	int ret;

	for_each_kernel_tracepoint(pcw_find_tp, NULL);
	if (!pcw_pf_tp) {
		pr_warn("pcwatch: no page_fault_kernel tracepoint: fault address from CR2 only\n");
		return;
	}
	ret = tracepoint_probe_register(pcw_pf_tp, pcw_pf_probe, NULL);
	if (ret) {
		pr_warn("pcwatch: page_fault_kernel tracepoint: %d: fault address from CR2 only\n",
			ret);
		pcw_pf_tp = NULL;
	}
}

static void pcw_arch_die_exit(void)
{
	if (pcw_pf_tp) {
		tracepoint_probe_unregister(pcw_pf_tp, pcw_pf_probe, NULL);
		tracepoint_synchronize_unregister();
	}
}

static bool pcw_fault(struct die_args *args, u64 *addr, bool *is_write)
{
	if (args->err & PCW_PF_USER)
		return false;
	if (this_cpu_read(pcw_pf.regs) == args->regs)
		*addr = this_cpu_read(pcw_pf.addr);
	else
		*addr = read_cr2();
	*is_write = args->err & PCW_PF_WRITE;
	return true;
}

bool pcw_pf_hooked(void)
{
	return pcw_pf_tp != NULL;
}
#else
#error "pcwatch supports arm64 and x86_64"
#endif

static int pcw_die_cb(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	struct pcw_record *r = &pcwatch_record;
	struct pcw_hit_in in = {0};
	bool is_write = false;
	u64 addr = 0;
	int slot;

#ifdef CONFIG_X86_64
	if (val == DIE_DEBUG && args)
		return pcw_log_debug(args);
#endif
	if (val != DIE_OOPS || !args || !args->regs || !READ_ONCE(r->nr_armed))
		return NOTIFY_DONE;
	if (!args->str || strcmp(args->str, "Oops"))
		return NOTIFY_DONE;
	if (!pcw_fault(args, &addr, &is_write))
		return NOTIFY_DONE;
	slot = pcw_slot_of(addr);
	if (slot < 0)
		return NOTIFY_DONE;

	in.regs = args->regs;
	in.addr = addr;
	in.esr = args->err;
	in.is_write = is_write;
	in.mode = READ_ONCE(r->pages[slot].mode);
	in.slot = slot;
	in.range = PCW_NONE;
	in.flags = PCW_HIT_BEFORE | PCW_HIT_PANIC;
	in.force_print = true;
	pcw_hit_record(&in);
	return NOTIFY_DONE;
}

static struct notifier_block pcw_die_nb = {
    .notifier_call = pcw_die_cb,
    .priority = INT_MAX, /* see the fault before anyone may stop the chain */
};

int pcw_die_init(void)
{
	pcw_arch_die_init();
	return register_die_notifier(&pcw_die_nb);
}

void pcw_die_exit(void)
{
	unregister_die_notifier(&pcw_die_nb);
	pcw_arch_die_exit();
}
