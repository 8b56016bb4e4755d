// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_ctl.c - debugfs interface: <debugfs>/pcwatch/control and status.
 *
 * control takes one command per line (see docs/pcwatch.md):
 *   arm path=PATH [offset=N] [length=N] [readin=1] [mode=panic|log]
 *   arm pfn=N[,N...] | arm phys=ADDR | arm va=ADDR   [mode=panic|log]
 *   disarm all | disarm slot=N | disarm pfn=N
 *   reset                    forget disarmed entries (nothing armed)
 * A failing command fails the write(2) with its errno, prints one line
 * "pcwatch: error: ..." and leaves the message in status (last_error).
 * hits lists the hit ring, one line per stored hit (docs/pcwatch.md).
 */
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/kexec.h>
#include <linux/utsname.h>
#include "pcw.h"

static struct dentry *pcw_dir;

static const char *const pcw_state_names[] = {"empty", "armed", "disarmed", "stuck"};
static const char *const pcw_src_names[] = {"?", "file", "pfn", "phys", "va"};

static char *pcw_arg(char *tok, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) || tok[n] != '=')
		return NULL;
	return tok + n + 1;
}

static int pcw_num(const char *s, u64 *v, struct pcw_err *err)
{
	if (!s || kstrtoull(s, 0, v))
		return pcw_fail(err, -EINVAL, "bad number '%s'", s ? s : "");
	return 0;
}

/* mode=hwbp: path= offset= length=, or phys=/va= with length= (one range per command). */
static int pcw_ctl_arm_hwbp(enum pcw_source src, const struct pcw_file_req *req, char *where,
			    bool then_panic, struct pcw_err *err)
{
	unsigned long va, pfn;
	struct page *page, *head;
	u64 num;
	int ret;

	if (!req->length)
		return pcw_fail(err, -EINVAL, "mode=hwbp needs length= (bytes to watch)");
	if (src == PCW_SRC_FILE)
		return pcw_file_hwbp(req->path, req->offset, req->length, req->readin, then_panic,
				     err);
	if (src != PCW_SRC_PHYS && src != PCW_SRC_VA)
		return pcw_fail(err, -EINVAL, "mode=hwbp takes path=, phys= or va= (with length=)");
	if (pcw_num(where, &num, err))
		return err->code;
	if (src == PCW_SRC_PHYS) {
		pfn = PHYS_PFN(num);
		if (!pfn_valid(pfn))
			return pcw_fail(err, -EINVAL, "phys 0x%llx is not valid RAM", num);
		va = (unsigned long)page_address(pfn_to_page(pfn)) + (num & ~PAGE_MASK);
	} else {
		if (!virt_addr_valid((void *)(unsigned long)num))
			return pcw_fail(err, -EINVAL, "va 0x%llx is not in the linear map", num);
		va = num;
		pfn = PHYS_PFN(__pa(va));
	}
	page = pfn_to_page(pfn);
	head = compound_head(page);
	if (!get_page_unless_zero(head))
		return pcw_fail(err, -EINVAL, "pfn 0x%lx is free (refcount 0): nothing to pin",
				pfn);
	ret = pcw_hwbp_arm(page, va, req->length, src, -1, then_panic, err);
	if (ret)
		put_page(page);
	else
		pr_info("pcwatch: hwbp on 0x%lx+%llu (pfn 0x%lx)%s\n", va, (u64)req->length, pfn,
			then_panic ? ", then panic" : "");
	return ret;
}

/*
 * arm pfn=|phys=|va=A,B,...: all or nothing, like a file: when one of the list is refused, the
 * ones this command armed before it are undone.
 */
static int pcw_ctl_arm_pfns(enum pcw_source src, u32 mode, char *pfns, struct pcw_err *err)
{
	unsigned long *mine = bitmap_zalloc(PCW_MAX_PAGES, GFP_KERNEL);
	unsigned int armed = 0;
	int ret = 0, slot;
	char *v;
	u64 num;

	if (!mine)
		return pcw_fail(err, -ENOMEM, "no memory");
	while ((v = strsep(&pfns, ",")) && *v) {
		unsigned long pfn;

		ret = pcw_num(v, &num, err);
		if (ret)
			break;
		if (src == PCW_SRC_PFN) {
			pfn = num;
		} else if (src == PCW_SRC_PHYS) {
			pfn = PHYS_PFN(num);
		} else {
			if (!virt_addr_valid((void *)(unsigned long)num)) {
				ret = pcw_fail(err, -EINVAL, "va 0x%llx is not in the linear map",
					       num);
				break;
			}
			pfn = PHYS_PFN(__pa((unsigned long)num));
		}
		ret = pcw_arm_pfn(pfn, src, mode, err);
		if (ret)
			break;
		slot = pcw_find_pfn(pfn);
		if (slot >= 0)
			__set_bit(slot, mine);
		armed++;
		pr_info("pcwatch: armed pfn 0x%lx (mode %s)\n", pfn, pcw_mode_name(mode));
	}
	if (ret && armed) {
		pr_info("pcwatch: '%s' refused; undoing the %u pages armed before it\n", v, armed);
		pcw_unarm_slots(mine);
	}
	bitmap_free(mine);
	return ret;
}

static int pcw_ctl_arm(char **toks, int ntok, struct pcw_err *err)
{
	struct pcw_file_req req = {0};
	unsigned int armed = 0, skipped = 0;
	char *v, *pfns = NULL;
	u64 num;
	int i, ret;
	enum pcw_source src = 0;
	u32 mode = PCW_MODE_PANIC;
	bool then_panic = false;

	for (i = 1; i < ntok; i++) {
		if (!(v = pcw_arg(toks[i], "mode")))
			continue;
		if (!strcmp(v, "panic"))
			mode = PCW_MODE_PANIC;
		else if (!strcmp(v, "log"))
			mode = PCW_MODE_LOG;
		else if (!strcmp(v, "hwbp"))
			mode = PCW_MODE_HWBP;
		else
			return pcw_fail(err, -EINVAL, "unknown mode '%s' (panic, log, hwbp)", v);
	}
	if (mode == PCW_MODE_PANIC)
		ret = pcw_precheck(err);
	else if (mode == PCW_MODE_LOG)
		ret = pcw_log_available(err);
	else
		ret = 0;
	if (ret)
		return ret;
	req.mode = mode;
	for (i = 1; i < ntok; i++) {
		if (pcw_arg(toks[i], "mode")) {
			continue;
		} else if ((v = pcw_arg(toks[i], "then"))) {
			if (strcmp(v, "panic") || mode != PCW_MODE_HWBP)
				return pcw_fail(err, -EINVAL,
						"then= takes 'panic', with mode=hwbp");
			then_panic = true;
		} else if ((v = pcw_arg(toks[i], "path"))) {
			req.path = v;
			src = PCW_SRC_FILE;
		} else if ((v = pcw_arg(toks[i], "offset"))) {
			if (pcw_num(v, &num, err))
				return err->code;
			req.offset = num;
		} else if ((v = pcw_arg(toks[i], "length"))) {
			if (pcw_num(v, &num, err))
				return err->code;
			req.length = num;
		} else if ((v = pcw_arg(toks[i], "readin"))) {
			req.readin = v[0] == '1' || v[0] == 'y';
		} else if ((v = pcw_arg(toks[i], "pfn"))) {
			pfns = v;
			src = PCW_SRC_PFN;
		} else if ((v = pcw_arg(toks[i], "phys"))) {
			pfns = v;
			src = PCW_SRC_PHYS;
		} else if ((v = pcw_arg(toks[i], "va"))) {
			pfns = v;
			src = PCW_SRC_VA;
		} else {
			return pcw_fail(err, -EINVAL, "unknown argument '%s'", toks[i]);
		}
	}
	if (mode == PCW_MODE_HWBP)
		return pcw_ctl_arm_hwbp(src, &req, pfns, then_panic, err);
	switch (src) {
	case PCW_SRC_FILE:
		ret = pcw_arm_file(&req, &armed, &skipped, err);
		pr_info("pcwatch: %s: armed %u pages (mode %s), %u skipped (not cached or already "
			"armed)\n",
			req.path, armed, pcw_mode_name(mode), skipped);
		return ret;
	case PCW_SRC_PFN:
	case PCW_SRC_PHYS:
	case PCW_SRC_VA: return pcw_ctl_arm_pfns(src, mode, pfns, err);
	default: return pcw_fail(err, -EINVAL, "arm needs path=, pfn=, phys= or va=");
	}
}

static int pcw_ctl_disarm(char **toks, int ntok, struct pcw_err *err)
{
	char *v;
	u64 num;
	int slot;

	if (ntok != 2)
		return pcw_fail(err, -EINVAL, "usage: disarm all | slot=N | pfn=N");
	if (!strcmp(toks[1], "all")) {
		pcw_hwbp_disarm_all(err);
		return pcw_disarm_all(err);
	}
	if ((v = pcw_arg(toks[1], "range"))) {
		if (pcw_num(v, &num, err))
			return err->code;
		return pcw_hwbp_disarm(num, err);
	}
	if ((v = pcw_arg(toks[1], "slot"))) {
		if (pcw_num(v, &num, err))
			return err->code;
		return pcw_disarm_slot(num, err);
	}
	if ((v = pcw_arg(toks[1], "pfn"))) {
		if (pcw_num(v, &num, err))
			return err->code;
		slot = pcw_find_pfn(num);
		if (slot < 0)
			return pcw_fail(err, -ENOENT, "pfn 0x%llx is not armed", num);
		return pcw_disarm_slot(slot, err);
	}
	return pcw_fail(err, -EINVAL, "usage: disarm all | slot=N | pfn=N");
}

static int pcw_ctl_reset(struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;

	if (r->nr_armed)
		return pcw_fail(err, -EBUSY, "%u pages still armed", r->nr_armed);
	if (pcw_hwbp_armed())
		return pcw_fail(err, -EBUSY, "%u hwbp ranges still armed", pcw_hwbp_armed());
	memset(r->ranges, 0, sizeof(r->ranges));
	r->nr_ranges = 0;
	memset(r->pages, 0, sizeof(r->pages[0]) * r->nr_pages);
	memset(r->files, 0, sizeof(r->files));
	r->nr_pages = 0;
	r->nr_files = 0;
	pcw_files_release();
	return 0;
}

/* Execute one command line (modified in place).  Caller holds nothing. */
int pcw_ctl_exec(char *line, struct pcw_err *err)
{
	char *toks[16], *t;
	int ntok = 0, ret;

	while ((t = strsep(&line, " \t")) && ntok < (int)ARRAY_SIZE(toks))
		if (*t)
			toks[ntok++] = t;
	if (!ntok)
		return 0;
	mutex_lock(&pcw_lock);
	if (!strcmp(toks[0], "arm"))
		ret = pcw_ctl_arm(toks, ntok, err);
	else if (!strcmp(toks[0], "disarm"))
		ret = pcw_ctl_disarm(toks, ntok, err);
	else if (!strcmp(toks[0], "reset"))
		ret = pcw_ctl_reset(err);
	else
		ret = pcw_fail(err, -EINVAL, "unknown command '%s'", toks[0]);
	if (ret && !pcwatch_record.nr_armed)
		pcw_files_release();
	if (ret) {
		pr_err("pcwatch: error: %s\n", err->msg);
		pcw_last_err = *err;
	}
	mutex_unlock(&pcw_lock);
	return ret;
}

static ssize_t pcw_control_write(struct file *file, const char __user *ubuf, size_t len,
				 loff_t *ppos)
{
	struct pcw_err err = {0};
	char *buf, *line, *rest;
	int ret = 0;

	if (len > 4096)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	rest = buf;
	while (!ret && (line = strsep(&rest, "\n")))
		ret = pcw_ctl_exec(line, &err);
	kfree(buf);
	return ret ? ret : len;
}

static const struct file_operations pcw_control_fops = {
    .owner = THIS_MODULE,
    .write = pcw_control_write,
};

static void pcw_show_md5(struct seq_file *m, const char *key, const u8 *d)
{
	seq_printf(m, " %s=%16phN", key, d);
}

static int pcw_status_show(struct seq_file *m, void *v)
{
	struct pcw_record *r = &pcwatch_record;
	unsigned int i;
	u8 md5[16];
	u32 lvl;

	mutex_lock(&pcw_lock);
	seq_printf(m, "record=0x%lx size=%u version=%u release=%s\n", (unsigned long)r->self,
		   r->size, r->version, r->release);
	seq_printf(m, "pgtable=%s\n", pcw_arch_pgd_source());
	seq_printf(m, "symbols=%s\n", pcw_lookup_method());
	seq_printf(m, "kdump_loaded=%d allow_no_kdump=%d panic_on_oops=%d saved_panic_on_oops=%d\n",
		   kexec_crash_loaded(), pcw_allow_no_kdump, pcw_panic_on_oops_get(),
		   (int)r->panic_on_oops_saved);
	seq_printf(m, "crash_kexec_post_notifiers=%d\n", pcw_post_notifiers());
	seq_printf(m, "armed=%u entries=%u files=%u hits=%u\n", r->nr_armed, r->nr_pages,
		   r->nr_files, r->nr_hits);
	seq_printf(m,
		   "hits_seen=%llu hits_stored=%u max_hits=%u printk_suppressed=%u "
		   "reprotect_count=%llu reprotect_ns_max=%llu reprotect_ns_mean=%llu "
		   "reprotect_pending=%u reprotect_overflow=%u refaults=%lu\n",
		   pcw_hit_count(), r->nr_hits < PCW_MAX_HITS ? r->nr_hits : PCW_MAX_HITS,
		   r->max_hits, r->printk_suppressed, r->reprotect_count, r->reprotect_ns_max,
		   r->reprotect_count ? r->reprotect_ns_total / r->reprotect_count : 0,
		   pcw_log_pending(), pcw_log_overflow(), pcw_log_refaults());
	seq_printf(m, "log_hook=%s\n", pcw_log_hook());
	seq_printf(m, "max_bp=%u bp_in_use=%u ranges=%u ranges_armed=%u\n", r->max_bp,
		   pcw_hwbp_in_use(), r->nr_ranges, pcw_hwbp_armed());
	for (i = 0; i < r->nr_ranges; i++) {
		struct pcw_rec_range *g = &r->ranges[i];

		seq_printf(m,
			   "range idx=%u state=%s src=%s va=0x%llx phys=0x%llx pfn=0x%llx len=%u "
			   "nr_bp=%u then_panic=%u ino=%llu index=%llu hits=%u\n",
			   i, pcw_state_names[g->state & 3], pcw_src_names[g->source % 5], g->vaddr,
			   g->paddr, g->pfn, g->len, g->nr_bp, g->then_panic, g->ino, g->index,
			   g->hits);
	}
	seq_printf(m, "last_error=%d %s\n", pcw_last_err.code, pcw_last_err.msg);
	for (i = 0; i < r->nr_files; i++)
		seq_printf(m, "file %u ino=%llu dev=%u:%u size=%llu pages=%u path=%s\n", i,
			   r->files[i].ino, MAJOR(r->files[i].dev), MINOR(r->files[i].dev),
			   r->files[i].size, r->files[i].nr_pages, r->files[i].path);
	for (i = 0; i < r->nr_pages; i++) {
		struct pcw_rec_page *p = &r->pages[i];

		if (p->state == PCW_EMPTY)
			continue;
		seq_printf(m, "page slot=%u state=%s src=%s pfn=0x%llx va=0x%llx phys=0x%llx", i,
			   pcw_state_names[p->state], pcw_src_names[p->source], p->pfn, p->vaddr,
			   p->paddr);
		seq_printf(m, " ino=%llu index=%llu order=%u", p->ino, p->index, p->folio_order);
		seq_printf(m, " pte_orig=0x%016llx pte_armed=0x%016llx pte_now=0x%016llx",
			   p->orig_pte, p->armed_pte, pcw_arch_read_pte(p->vaddr, &lvl));
		seq_printf(m, " pte_restored=0x%016llx level=%u restore=%s", p->restored_pte,
			   p->pte_level,
			   p->state == PCW_DISARMED ? pcw_arch_restore_verdict(p) : "-");
		pcw_show_md5(m, "md5_arm", p->md5);
		if (p->state == PCW_ARMED &&
		    !pcw_md5((void *)(unsigned long)p->vaddr, PAGE_SIZE, md5))
			pcw_show_md5(m, "md5_now", md5);
		seq_printf(m, " hits=%u mode=%s", p->hits, pcw_mode_name(p->mode));
		if (p->file < r->nr_files)
			seq_printf(m, " path=%s", r->files[p->file].path);
		seq_putc(m, '\n');
	}
	mutex_unlock(&pcw_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcw_status);

/* "%pS" text without blanks: "f+0x2c/0x44 [mod]" -> "f+0x2c/0x44[mod]" */
static void pcw_put_sym(struct seq_file *m, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i]; i++)
		if (s[i] != ' ')
			seq_putc(m, s[i]);
}

static int pcw_hits_show(struct seq_file *m, void *v)
{
	struct pcw_record *r = &pcwatch_record;
	u64 n = pcw_hit_count(), first, seq;
	struct pcw_rec_hit h;
	unsigned int k;

	first = n > PCW_MAX_HITS ? n - PCW_MAX_HITS + 1 : 1;
	for (seq = first; seq <= n; seq++) {
		h = r->hits[(seq - 1) % PCW_MAX_HITS]; /* a copy: hits may arrive meanwhile */
		smp_rmb();
		if (h.seq != seq)
			continue; /* overwritten or being written */
		seq_printf(
		    m,
		    "seq=%llu mode=%s slot=%d range=%d addr=0x%llx pfn=0x%llx "
		    "offset=0x%llx pc=0x%llx lr=0x%llx sp=0x%llx esr=0x%llx comm=%.16s pid=%u "
		    "cpu=%u time_ns=%llu mono_ns=%llu flags=0x%x data=0x%llx before=%16phN "
		    "after=%16phN sym=",
		    h.seq, pcw_mode_name(h.mode), h.slot == PCW_NONE ? -1 : (int)h.slot,
		    h.range == PCW_NONE ? -1 : (int)h.range, h.addr, h.pfn, h.offset, h.pc, h.lr,
		    h.sp, h.esr, h.comm, h.pid, h.cpu, h.time_ns, h.mono_ns, h.flags, h.data_addr,
		    h.before, h.after);
		pcw_put_sym(m, h.pc_sym, sizeof(h.pc_sym));
		seq_puts(m, " stack=");
		for (k = 0; k < h.nr_stack && k < PCW_HIT_STACK; k++) {
			if (k)
				seq_putc(m, ',');
			pcw_put_sym(m, h.stack_sym[k], PCW_STACK_SYM_LEN);
		}
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pcw_hits);

int pcw_ctl_init(void)
{
	pcw_dir = debugfs_create_dir("pcwatch", NULL);
	if (IS_ERR_OR_NULL(pcw_dir))
		return pcw_dir ? PTR_ERR(pcw_dir) : -ENODEV;
	debugfs_create_file("control", 0200, pcw_dir, NULL, &pcw_control_fops);
	debugfs_create_file("status", 0400, pcw_dir, NULL, &pcw_status_fops);
	debugfs_create_file("hits", 0400, pcw_dir, NULL, &pcw_hits_fops);
	return 0;
}

void pcw_ctl_exit(void)
{
	debugfs_remove_recursive(pcw_dir);
}
