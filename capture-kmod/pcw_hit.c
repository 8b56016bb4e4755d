// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_hit.c - record one hit in the capture record's ring (every mode).
 *
 * Hit n (1-based, atomic counter) goes to hits[(n - 1) % PCW_MAX_HITS]; its seq is written
 * last (0 while the entry is being filled).  nr_hits counts every hit and saturates at
 * PCW_NONE.  Called from exception context (arm64 kprobe/die, x86 #PF tracepoint/die):
 * no locks beyond the printk rate limit's trylock, NMI-safe clocks only.
 */
#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/pid.h>
#include <linux/smp.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/atomic.h>
#include "pcw.h"

static atomic64_t pcw_hit_seq = ATOMIC64_INIT(0);
static DEFINE_RATELIMIT_STATE(pcw_hit_rs, 5 * HZ, 10);

static const char *const pcw_mode_names[] = {"panic", "log", "hwbp"};

const char *pcw_mode_name(u32 mode)
{
	return mode < ARRAY_SIZE(pcw_mode_names) ? pcw_mode_names[mode] : "?";
}

/* The return addresses from the writer's pc outwards (the handler's own frames dropped). */
static void pcw_hit_stack(struct pcw_rec_hit *h, u64 pc)
{
	unsigned long ent[32];
	unsigned int n, i, first = 0, k;

	n = stack_trace_save(ent, ARRAY_SIZE(ent), 0);
	for (i = 0; i < n; i++) {
		if (ent[i] == pc) {
			first = i;
			break;
		}
	}
	if (i == n) { /* the unwinder did not report the pc itself: put it first */
		h->stack[0] = pc;
		k = 1;
		first = n;
	} else {
		k = 0;
	}
	for (i = first; i < n && k < PCW_HIT_STACK; i++, k++)
		h->stack[k] = ent[i];
	h->nr_stack = k;
	for (i = 0; i < k; i++)
		snprintf(h->stack_sym[i], PCW_STACK_SYM_LEN, "%pS",
			 (void *)(unsigned long)h->stack[i]);
}

u64 pcw_hit_record(const struct pcw_hit_in *in)
{
	struct pcw_record *r = &pcwatch_record;
	struct pt_regs *regs = in->regs;
	struct pcw_rec_hit *h;
	u64 seq, pfn, off, pc = instruction_pointer(regs);

	seq = atomic64_inc_return(&pcw_hit_seq);
	WRITE_ONCE(r->nr_hits, seq >= PCW_NONE ? PCW_NONE : (u32)seq);
	h = &r->hits[(seq - 1) % PCW_MAX_HITS];
	WRITE_ONCE(h->seq, 0);
	smp_wmb();
	memset(h, 0, offsetof(struct pcw_rec_hit, seq));
	if (in->slot != PCW_NONE) {
		struct pcw_rec_page *p = &r->pages[in->slot];

		pfn = p->pfn;
		off = in->addr - p->vaddr;
		atomic_inc((atomic_t *)&p->hits);
	} else {
		struct pcw_rec_range *rg = &r->ranges[in->range];

		pfn = rg->pfn;
		off = in->addr - (rg->vaddr & PAGE_MASK);
		atomic_inc((atomic_t *)&rg->hits);
	}
	h->time_ns = ktime_get_real_fast_ns();
	h->mono_ns = ktime_get_mono_fast_ns();
	h->addr = in->addr;
	h->pc = pc;
	h->lr = pcw_regs_lr(regs);
	h->sp = regs->sp;
	h->esr = in->esr;
	h->pfn = pfn;
	h->offset = off;
	h->slot = in->slot;
	h->pid = task_pid_nr(current);
	h->cpu = raw_smp_processor_id();
	h->is_write = in->is_write;
	memcpy(h->comm, current->comm, sizeof(h->comm));
	h->comm[sizeof(h->comm) - 1] = 0;
	snprintf(h->pc_sym, sizeof(h->pc_sym), "%pS", (void *)(unsigned long)pc);
	h->mode = in->mode;
	h->range = in->range;
	h->flags = in->flags;
	h->data_addr = in->addr & ~15ULL;
	memset(h->before, 0, sizeof(h->before));
	memset(h->after, 0, sizeof(h->after));
	if (in->flags & PCW_HIT_BEFORE)
		memcpy(h->before, (void *)(unsigned long)h->data_addr, PCW_HIT_BYTES);
	if (in->flags & PCW_HIT_AFTER)
		memcpy(h->after, (void *)(unsigned long)h->data_addr, PCW_HIT_BYTES);
	memset(h->stack, 0, sizeof(h->stack));
	memset(h->stack_sym, 0, sizeof(h->stack_sym));
	pcw_hit_stack(h, pc);
	smp_wmb();
	WRITE_ONCE(h->seq, seq);

	if (in->mode == PCW_MODE_PANIC || in->force_print || __ratelimit(&pcw_hit_rs))
		pr_emerg("pcwatch: HIT #%llu: %s at 0x%llx = watched pfn 0x%llx + 0x%llx (mode %s) "
			 "by %s[%d] on cpu %d, pc %pS\n",
			 seq, in->is_write ? "write" : "access", in->addr, pfn, off,
			 pcw_mode_name(in->mode), current->comm, task_pid_nr(current),
			 raw_smp_processor_id(), (void *)(unsigned long)pc);
	else
		atomic_inc((atomic_t *)&r->printk_suppressed);
	return seq;
}

/* The bytes once the write completed, if hit seq is still in the ring. */
void pcw_hit_after(u64 seq)
{
	struct pcw_rec_hit *h = &pcwatch_record.hits[(seq - 1) % PCW_MAX_HITS];

	if (READ_ONCE(h->seq) != seq)
		return;
	memcpy(h->after, (void *)(unsigned long)h->data_addr, PCW_HIT_BYTES);
	smp_wmb();
	WRITE_ONCE(h->flags, h->flags | PCW_HIT_AFTER);
}

u64 pcw_hit_count(void)
{
	return atomic64_read(&pcw_hit_seq);
}
