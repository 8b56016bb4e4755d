// SPDX-License-Identifier: GPL-2.0
/*
 * stray_writer - reproduces the pcsleuth seed case: a driver keeps a raw pointer
 * into a page-cache page after dropping its reference and keeps writing a
 * 2-byte incrementing id (like the seed's ip_newid) through it.
 *
 * Parameters:
 *   path=FILE        file whose page-cache page is hit (default /data/firmware.bin)
 *   index=N          page index within the file (default 3)
 *   offset=N         byte offset inside the page (default 0x6a6, as in the seed)
 *   period_ms=N      write period (default 100)
 * Controls (/sys/module/stray_writer/parameters/):
 *   paused           1 = stop writing, 0 = write (the kthread acknowledges in `idle`)
 *   rearm            write anything: look the page up again and keep the new raw
 *                    pointer (again without a reference); models the driver being
 *                    handed a new buffer that happens to be that page again
 * Read-only facts: target_pfn, target_vaddr (the stale page_address()), writes, last_id, idle.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/version.h>

static char *path = "/data/firmware.bin";
module_param(path, charp, 0444);
static unsigned long pgindex = 3;
module_param_named(index, pgindex, ulong, 0444);
static unsigned int offset = 0x6a6;
module_param(offset, uint, 0444);
static unsigned int period_ms = 100;
module_param(period_ms, uint, 0644);
static bool paused;
module_param(paused, bool, 0644);

static unsigned long target_pfn;
module_param(target_pfn, ulong, 0444);
static unsigned long target_vaddr;
module_param(target_vaddr, ulong, 0444);
static unsigned long writes;
module_param(writes, ulong, 0444);
static unsigned int last_id;
module_param(last_id, uint, 0444);
static bool idle = true;
module_param(idle, bool, 0444);

static void *stale; /* raw pointer, no reference held */
static DEFINE_MUTEX(stray_lock);
static struct task_struct *stray_task;
static u16 stray_id;

/* The recognisable culprit: writes a 16-bit "IP id" at a raw address. */
static noinline void stray_ip_newid(void *hdr)
{
	__be16 *id = hdr;

	stray_id++;
	WRITE_ONCE(*id, cpu_to_be16(stray_id));
	last_id = stray_id;
	writes++;
}

static int stray_resolve(void)
{
	struct file *f;
	struct page *page;
	void *addr;

	if (offset > PAGE_SIZE - 2)
		return -EINVAL;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	page = read_mapping_page(f->f_mapping, pgindex, f);
	if (IS_ERR(page)) {
		filp_close(f, NULL);
		return PTR_ERR(page);
	}
	addr = page_address(page);
	target_pfn = page_to_pfn(page);
	target_vaddr = (unsigned long)addr;
	put_page(page); /* the bug: keep the pointer, drop the reference */
	filp_close(f, NULL);
	WRITE_ONCE(stale, addr);
	pr_info("stray_writer: %s index %lu -> pfn 0x%lx vaddr %px, writing at +0x%x every %u ms\n",
		path, pgindex, target_pfn, addr, offset, period_ms);
	return 0;
}

static int stray_thread(void *unused)
{
	while (!kthread_should_stop()) {
		void *p = READ_ONCE(stale);

		if (!READ_ONCE(paused) && p) {
			idle = false;
			stray_ip_newid((char *)p + offset);
		} else {
			idle = true;
		}
		msleep_interruptible(READ_ONCE(period_ms) ? READ_ONCE(period_ms) : 1);
	}
	idle = true;
	return 0;
}

static int rearm_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	mutex_lock(&stray_lock);
	ret = stray_resolve();
	mutex_unlock(&stray_lock);
	return ret;
}

static int rearm_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "0\n");
}

static const struct kernel_param_ops rearm_ops = {
    .set = rearm_set,
    .get = rearm_get,
};
module_param_cb(rearm, &rearm_ops, NULL, 0644);

static int __init stray_init(void)
{
	int ret = stray_resolve();

	if (ret) {
		pr_err("stray_writer: cannot get %s page %lu: %d\n", path, pgindex, ret);
		return ret;
	}
	stray_task = kthread_run(stray_thread, NULL, "stray_writer");
	if (IS_ERR(stray_task))
		return PTR_ERR(stray_task);
	return 0;
}

static void __exit stray_exit(void)
{
	kthread_stop(stray_task);
}

module_init(stray_init);
module_exit(stray_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcsleuth sample: stale page-cache pointer writer (seed case)");
