/* SPDX-License-Identifier: GPL-2.0 */
/* pcw.h - internal interfaces of pcwatch.ko (one file per job, see Kbuild). */
#ifndef PCW_H
#define PCW_H

#include <linux/types.h>
#include <linux/mm_types.h>
#include <linux/version.h>
#include "pcwatch_record.h"

#define PCW_MSG_LEN 384

/*
 * The error of the last failing control operation, in the kernel's words;
 * printed once (pr_err) and kept for the status file.
 */
struct pcw_err {
	int code;
	char msg[PCW_MSG_LEN];
};

__printf(3, 4) int pcw_fail(struct pcw_err *err, int code, const char *fmt, ...);

/* Runtime state of one slot of pcwatch_record.pages[] (not in the record). */
struct pcw_slot {
	struct page *page; /* pinned base page while armed */
	void *ptep;	   /* arm64: the linear-map pte */
	unsigned int open; /* log mode: pending re-protections (pcw_log_lock) */
	bool dying;	   /* log mode: being disarmed, no more re-protection */
};

extern struct pcw_record pcwatch_record;
extern struct pcw_slot pcw_slots[PCW_MAX_PAGES];

/* pcw_arch_*.c: the linear-map entry of one page */
int pcw_arch_init(struct pcw_err *err);
/* Describe how the linear map translates va (for status / refusal messages). */
int pcw_arch_check(unsigned long va, struct pcw_err *err);
int pcw_arch_protect(unsigned int slot, struct pcw_err *err);
int pcw_arch_restore(unsigned int slot, struct pcw_err *err);
/* The current linear-map entry of va and its level; 0 if not found. */
u64 pcw_arch_read_pte(unsigned long va, u32 *level);
const char *pcw_arch_pgd_source(void);
const char *pcw_arch_restore_verdict(const struct pcw_rec_page *p);
/* log mode, any context: entry armed -> writable ("open") and back; is va writable now */
void pcw_arch_open(unsigned int slot);
void pcw_arch_close(unsigned int slot);
bool pcw_arch_writable_now(unsigned long va);

/* pcw_hit.c: the hit ring */
struct pcw_hit_in {
	struct pt_regs *regs; /* the writer's */
	u64 addr;
	u64 esr;
	bool is_write;
	bool force_print;
	u32 mode;
	u32 slot;  /* pages[] index or PCW_NONE */
	u32 range; /* ranges[] index or PCW_NONE */
	u32 flags; /* PCW_HIT_BEFORE etc. */
};
u64 pcw_hit_record(const struct pcw_hit_in *in);
void pcw_hit_after(u64 seq);
u64 pcw_hit_count(void);
const char *pcw_mode_name(u32 mode);
u64 pcw_regs_lr(struct pt_regs *regs);

/* pcw_log.c + pcw_log_<arch>.c: mode=log */
int pcw_slot_of(u64 addr);
bool pcw_log_fault(struct pt_regs *regs, u64 addr, u64 esr);
int pcw_log_close_match(int cpu, struct task_struct *t, u64 pc, u64 sp);
void pcw_log_quiesce(unsigned int slot);
unsigned int pcw_log_pending(void);
unsigned int pcw_log_overflow(void);
unsigned long pcw_log_refaults(void);
bool pcw_refault_take(u64 pc, u64 addr, u64 *seq);
void pcw_refault_note(struct task_struct *t, u64 pc, u64 addr, u64 seq);
void pcw_arch_log_opened(struct pt_regs *regs);
int pcw_log_init(void);
void pcw_log_exit(void);
int pcw_log_available(struct pcw_err *err);
const char *pcw_log_hook(void);
/* pcw_hwbp.c + pcw_hwbp_arch.c: mode=hwbp */
struct perf_event;
int pcw_hwbp_arm(struct page *page, unsigned long va, unsigned int len, enum pcw_source src,
		 int file, bool then_panic, struct pcw_err *err);
int pcw_hwbp_disarm(unsigned int idx, struct pcw_err *err);
int pcw_hwbp_disarm_all(struct pcw_err *err);
unsigned int pcw_hwbp_in_use(void);
unsigned int pcw_hwbp_armed(void);
bool pcw_hwbp_trap_after(void);
void pcw_hwbp_arch_hit(struct perf_event *bp, struct pt_regs *regs, u64 seq);
void pcw_hwbp_arch_quiesce(void);
u32 pcw_hwbp_max(void);
int pcw_hwbp_arch_init(void);
void pcw_hwbp_arch_exit(void);
int pcw_file_hwbp(const char *path, loff_t offset, unsigned int len, bool readin, bool then_panic,
		  struct pcw_err *err);

#ifdef CONFIG_X86_64
struct die_args;
int pcw_log_debug(struct die_args *args);
void pcw_arch_flush_later(unsigned int slot);
bool pcw_pf_hooked(void);
#endif

/* pcw_sym.c: non-exported symbols, panic_on_oops */
unsigned long pcw_lookup_name(const char *name);
const char *pcw_lookup_method(void);
int pcw_sym_init(void);
int pcw_panic_on_oops_get(void);
int pcw_panic_on_oops_set(int val);
int pcw_post_notifiers(void);

/* pcw_hash.c */
int pcw_md5(const void *data, size_t len, u8 out[16]);
int pcw_hash_init(void);
void pcw_hash_exit(void);

/* pcw_watch.c: arming and disarming pages; callers hold pcw_lock */
extern struct mutex pcw_lock;
extern bool pcw_allow_no_kdump;
extern bool pcw_set_panic;
extern struct pcw_err pcw_last_err;
int pcw_arm_page(struct page *page, enum pcw_source src, int file, u32 mode, struct pcw_err *err);
int pcw_arm_pfn(unsigned long pfn, enum pcw_source src, u32 mode, struct pcw_err *err);
int pcw_disarm_slot(unsigned int slot, struct pcw_err *err);
unsigned int pcw_unarm_slots(const unsigned long *mine);
int pcw_disarm_all(struct pcw_err *err);
int pcw_precheck(struct pcw_err *err);
int pcw_find_pfn(unsigned long pfn);

/* pcw_file.c: arm by path */
struct pcw_file_req {
	const char *path;
	loff_t offset;
	loff_t length; /* 0: to the end of the file */
	bool readin;
	u32 mode; /* enum pcw_mode: PANIC or LOG */
};
int pcw_arm_file(const struct pcw_file_req *req, unsigned int *armed, unsigned int *skipped,
		 struct pcw_err *err);
void pcw_files_release(void);

/* pcw_die.c */
int pcw_die_init(void);
void pcw_die_exit(void);

/* pcw_ctl.c */
int pcw_ctl_init(void);
void pcw_ctl_exit(void);
int pcw_ctl_exec(char *cmd, struct pcw_err *err);

#endif /* PCW_H */
