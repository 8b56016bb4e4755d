// SPDX-License-Identifier: GPL-2.0
/*
 * pcwatch.ko - turn the first stray write into a watched page-cache page
 * into an oops that kdump captures with the writer's registers.
 *
 * Load-time parameters arm once at insmod (the same as one "arm" command in
 * <debugfs>/pcwatch/control); rmmod restores every PTE.  See docs/pcwatch.md.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/utsname.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "pcw.h"

static char *path;
module_param(path, charp, 0400);
MODULE_PARM_DESC(path, "arm the cached pages of this file");
static unsigned long long offset;
module_param(offset, ullong, 0400);
MODULE_PARM_DESC(offset, "with path: start of the byte range (default 0)");
static unsigned long long length;
module_param(length, ullong, 0400);
MODULE_PARM_DESC(length, "with path: length of the byte range (default: to EOF)");
static char *mode = "panic";
module_param(mode, charp, 0400);
MODULE_PARM_DESC(mode, "mode of the load-time arm: panic (default) or log");
static bool readin;
module_param(readin, bool, 0400);
MODULE_PARM_DESC(readin, "with path: read pages that are not cached yet");
static unsigned long pfns[64];
static int nr_pfns;
module_param_array(pfns, ulong, &nr_pfns, 0400);
MODULE_PARM_DESC(pfns, "arm these pfns (comma separated)");
static unsigned long long phys;
module_param(phys, ullong, 0400);
MODULE_PARM_DESC(phys, "arm the page holding this physical address");
static unsigned long va;
module_param(va, ulong, 0400);
MODULE_PARM_DESC(va, "arm the page at this linear-map virtual address");
module_param_named(allow_no_kdump, pcw_allow_no_kdump, bool, 0600);
MODULE_PARM_DESC(allow_no_kdump, "arm even when no crash kernel is loaded (no vmcore on a hit)");
module_param_named(set_panic_on_oops, pcw_set_panic, bool, 0600);
MODULE_PARM_DESC(set_panic_on_oops, "set panic_on_oops=1 while armed (default 1)");

static void pcw_record_init(void)
{
	struct pcw_record *r = &pcwatch_record;

	r->magic[0] = PCW_MAGIC0;
	r->magic[1] = PCW_MAGIC1;
	r->version = PCW_RECORD_VERSION;
	r->size = sizeof(*r);
#ifdef CONFIG_ARM64
	r->arch = PCW_ARCH_AARCH64;
#else
	r->arch = PCW_ARCH_X86_64;
#endif
	r->page_size = PAGE_SIZE;
	r->self = (unsigned long)r;
	r->max_pages = PCW_MAX_PAGES;
	r->max_files = PCW_MAX_FILES;
	r->max_hits = PCW_MAX_HITS;
	r->max_ranges = PCW_MAX_RANGES;
	r->max_bp = pcw_hwbp_max();
	r->panic_on_oops_saved = 0xffffffffu;
	strscpy(r->release, utsname()->release, sizeof(r->release));
}

/* The load-time parameters as control commands. */
static int pcw_load_params(void)
{
	struct pcw_err err = {0};
	char *cmd;
	int i, ret = 0;

	cmd = kmalloc(PATH_MAX + 128, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	if (path) {
		snprintf(cmd, PATH_MAX + 128,
			 "arm path=%s offset=%llu length=%llu readin=%d mode=%s", path, offset,
			 length, readin, mode);
		ret = pcw_ctl_exec(cmd, &err);
	}
	for (i = 0; !ret && i < nr_pfns; i++) {
		snprintf(cmd, PATH_MAX + 128, "arm pfn=%lu mode=%s", pfns[i], mode);
		ret = pcw_ctl_exec(cmd, &err);
	}
	if (!ret && phys) {
		snprintf(cmd, PATH_MAX + 128, "arm phys=%llu mode=%s", phys, mode);
		ret = pcw_ctl_exec(cmd, &err);
	}
	if (!ret && va) {
		snprintf(cmd, PATH_MAX + 128, "arm va=%lu mode=%s", va, mode);
		ret = pcw_ctl_exec(cmd, &err);
	}
	kfree(cmd);
	return ret;
}

static void pcw_teardown(void)
{
	struct pcw_err err = {0};

	mutex_lock(&pcw_lock);
	pcw_hwbp_disarm_all(&err);
	if (pcw_disarm_all(&err))
		pr_err("pcwatch: error: %s\n", err.msg);
	pcw_files_release();
	mutex_unlock(&pcw_lock);
}

static int __init pcw_init(void)
{
	struct pcw_err err = {0};
	int ret;

	pcw_record_init();
	ret = pcw_sym_init();
	if (ret)
		pr_info("pcwatch: symbol lookup %s\n", pcw_lookup_method());
	ret = pcw_arch_init(&err);
	if (ret) {
		pr_err("pcwatch: error: %s\n", err.msg);
		return ret;
	}
	ret = pcw_hash_init();
	if (ret) {
		pr_err("pcwatch: error: md5 unavailable from the crypto API: %d\n", ret);
		return ret;
	}
	pcw_hwbp_arch_init();
	ret = pcw_log_init();
	if (ret)
		goto out_hash;
	ret = pcw_die_init();
	if (ret)
		goto out_log;
	ret = pcw_ctl_init();
	if (ret)
		goto out_die;
	pr_info("pcwatch: record at 0x%lx size %u version %u (%s)\n",
		(unsigned long)&pcwatch_record, (unsigned int)sizeof(pcwatch_record),
		PCW_RECORD_VERSION, pcw_arch_pgd_source());
	ret = pcw_load_params();
	if (ret)
		goto out_ctl;
	return 0;

out_ctl:
	pcw_teardown();
	pcw_ctl_exit();
out_die:
	pcw_die_exit();
out_log:
	pcw_log_exit();
out_hash:
	pcw_hash_exit();
	return ret;
}

static void __exit pcw_exit(void)
{
	unsigned int i;

	pcw_ctl_exit();
	pcw_teardown();
	for (i = 0; i < pcwatch_record.nr_pages; i++)
		if (pcwatch_record.pages[i].state == PCW_DISARMED)
			pr_info("pcwatch: pfn 0x%llx pte 0x%016llx restored (orig 0x%016llx)\n",
				pcwatch_record.pages[i].pfn, pcwatch_record.pages[i].restored_pte,
				pcwatch_record.pages[i].orig_pte);
	pcw_log_exit();
	pcw_hwbp_arch_exit();
	pcw_die_exit();
	pcw_hash_exit();
	pr_info("pcwatch: unloaded\n");
}

module_init(pcw_init);
module_exit(pcw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcwatch: write-protect page-cache pages, catch the stray writer into kdump");
