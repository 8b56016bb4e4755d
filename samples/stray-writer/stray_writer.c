// SPDX-License-Identifier: GPL-2.0
/*
 * stray_writer - reproduces the pcsleuth seed case: a driver keeps a raw pointer
 * into a page-cache page after dropping its reference and keeps writing a
 * 2-byte incrementing id (like the seed's ip_newid) through it.
 *
 * As in the seed's wan module, the stale pointer lives in a heap object of the
 * driver's own: the `hdr` field of a `struct wan_sess` allocated with kmalloc()
 * (the size puts it in the generic kmalloc-512 cache), and the module global
 * array `sess_table` points at that object.  The value in `hdr` is exactly
 * page_address(page) (page-aligned linear-map address, offset 0), so a memory
 * search for any address inside the page finds the object field
 * (object + offsetof(struct wan_sess, hdr)).  No module global holds the page
 * address or the object address: the read-only parameters below compute them on
 * read, so a search for "who points at the object" finds sess_table[0].
 * A second session (sess_table[1]) is healthy: its hdr points at its own
 * kmalloc'ed buffer.
 *
 * Parameters:
 *   path=FILE        file whose page-cache page is hit (default /data/firmware.bin)
 *   index=N          page index within the file (default 3)
 *   offset=N         byte offset inside the page (default 0x6a6, as in the seed)
 *   period_ms=N      write period (default 100)
 * Controls (/sys/module/stray_writer/parameters/):
 *   paused           1 = stop writing, 0 = write (the kthread acknowledges in `idle`)
 *   rearm            write anything: look the page up again and store the new raw
 *                    pointer in the same object's hdr (again without a reference);
 *                    models the driver being handed a new buffer that happens to be
 *                    that page again
 * Read-only facts: target_pfn, target_vaddr (the stale page_address(), decimal),
 * writes, last_id, idle; the stale pointer's home: sess_obj (object address, hex),
 * sess_hdr_offset (offset of hdr in the object, decimal), sess_size (object size
 * requested from kmalloc), sess_cache (the kmalloc cache's name, empty if unknown),
 * sess_holder (&sess_table[0], hex), sess_hdr (the value stored in hdr, hex).
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/kthread.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stddef.h>
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
static unsigned long writes;
module_param(writes, ulong, 0444);
static unsigned int last_id;
module_param(last_id, uint, 0444);
static bool idle = true;
module_param(idle, bool, 0444);

#define WAN_SESS_MAGIC 0x534e4157U /* bytes "WANS" in memory (little-endian) */
#define WAN_MAX_SESS   4

/* A WAN session, in the style of the seed's wan module. 256 < size <= 512. */
struct wan_sess {
	u32 magic;
	u32 id;
	u16 ip_id; /* last IP id written into hdr */
	u16 flags;
	u32 mtu;
	u64 rx_packets;
	u64 tx_packets;
	char name[16];
	u8 cfg[256];
	void *hdr;  /* STALE in session 0: page_address() of a page-cache page, no reference */
	void *priv; /* session 1: its own buffer */
	u64 last_jiffies;
	u8 tail[64];
};

static struct wan_sess *sess_table[WAN_MAX_SESS];
static DEFINE_MUTEX(stray_lock);
static struct task_struct *stray_task;

/* The recognisable culprit: writes a 16-bit "IP id" into the session's header. */
static noinline void stray_ip_newid(struct wan_sess *sess)
{
	__be16 *id = (__be16 *)((char *)READ_ONCE(sess->hdr) + offset);

	sess->ip_id++;
	WRITE_ONCE(*id, cpu_to_be16(sess->ip_id));
	sess->tx_packets++;
	sess->last_jiffies = jiffies;
	last_id = sess->ip_id;
	writes++;
}

/*
 * The generic cache kmalloc(sizeof(struct wan_sess), GFP_KERNEL) uses, named as the kernel
 * names its kmalloc caches ("kmalloc-512", "kmalloc-1k"); empty where that is not simple
 * (random kmalloc caches / buckets on 6.6+).  stray_resolve() also has the kernel itself
 * say which slab the object is in (kmem_dump_obj, on the console and in dmesg).
 */
static char sess_cache_buf[32];

static const char *sess_cache_name(void)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
	if (!sess_cache_buf[0] && kmalloc_type(GFP_KERNEL) == KMALLOC_NORMAL) {
		struct kmem_cache *s =
		    kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(sizeof(struct wan_sess))];
		unsigned int sz = s ? kmem_cache_size(s) : 0;

		if (sz && sz % 1024 == 0)
			snprintf(sess_cache_buf, sizeof(sess_cache_buf), "kmalloc-%uk", sz / 1024);
		else if (sz)
			snprintf(sess_cache_buf, sizeof(sess_cache_buf), "kmalloc-%u", sz);
	}
#endif
	return sess_cache_buf;
}

static int stray_resolve(void)
{
	struct wan_sess *sess = sess_table[0];
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
	put_page(page); /* the bug: keep the pointer, drop the reference */
	filp_close(f, NULL);
	WRITE_ONCE(sess->hdr, addr);
	pr_info("stray_writer: %s index %lu -> pfn 0x%lx vaddr %px, kept in %s object %px +0x%zx "
		"(sess_table[0] at %px), writing at +0x%x every %u ms\n",
		path, pgindex, target_pfn, addr, sess_cache_name(), sess,
		offsetof(struct wan_sess, hdr), &sess_table[0], offset, period_ms);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
	pr_info("stray_writer: sess_table[0]->hdr:");
	kmem_dump_obj(&sess->hdr); /* " slab kmalloc-512 start ... pointer offset 304 size 512" */
#endif
	return 0;
}

static int stray_thread(void *unused)
{
	while (!kthread_should_stop()) {
		struct wan_sess *sess = READ_ONCE(sess_table[0]);

		if (!READ_ONCE(paused) && sess && READ_ONCE(sess->hdr)) {
			idle = false;
			stray_ip_newid(sess);
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

/*
 * Read-only facts computed on read (no global keeps a copy of these addresses).
 * kp->arg selects the fact.
 */
enum { F_TARGET_VADDR, F_OBJ, F_HDR_OFFSET, F_SIZE, F_CACHE, F_HOLDER, F_HDR };

static int fact_get(char *buf, const struct kernel_param *kp)
{
	struct wan_sess *sess = READ_ONCE(sess_table[0]);
	void *hdr = sess ? READ_ONCE(sess->hdr) : NULL;

	switch ((unsigned long)kp->arg) {
	case F_TARGET_VADDR: return sprintf(buf, "%lu\n", (unsigned long)hdr);
	case F_OBJ: return sprintf(buf, "0x%lx\n", (unsigned long)sess);
	case F_HDR_OFFSET: return sprintf(buf, "%zu\n", offsetof(struct wan_sess, hdr));
	case F_SIZE: return sprintf(buf, "%zu\n", sizeof(struct wan_sess));
	case F_CACHE: return sprintf(buf, "%s\n", sess_cache_name());
	case F_HOLDER: return sprintf(buf, "0x%lx\n", (unsigned long)&sess_table[0]);
	case F_HDR: return sprintf(buf, "0x%lx\n", (unsigned long)hdr);
	}
	return -EINVAL;
}

static const struct kernel_param_ops fact_ops = {
    .get = fact_get,
};
module_param_cb(target_vaddr, &fact_ops, (void *)F_TARGET_VADDR, 0444);
module_param_cb(sess_obj, &fact_ops, (void *)F_OBJ, 0444);
module_param_cb(sess_hdr_offset, &fact_ops, (void *)F_HDR_OFFSET, 0444);
module_param_cb(sess_size, &fact_ops, (void *)F_SIZE, 0444);
module_param_cb(sess_cache, &fact_ops, (void *)F_CACHE, 0444);
module_param_cb(sess_holder, &fact_ops, (void *)F_HOLDER, 0444);
module_param_cb(sess_hdr, &fact_ops, (void *)F_HDR, 0444);

static struct wan_sess *sess_new(u32 id)
{
	struct wan_sess *s = kmalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->magic = WAN_SESS_MAGIC;
	s->id = id;
	s->mtu = 1500;
	snprintf(s->name, sizeof(s->name), "wan%u", id);
	return s;
}

static void sess_free_all(void)
{
	int i;

	for (i = 0; i < WAN_MAX_SESS; i++) {
		if (!sess_table[i])
			continue;
		kfree(sess_table[i]->priv);
		kfree(sess_table[i]);
		sess_table[i] = NULL;
	}
}

static int __init stray_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct wan_sess) <= 256 || sizeof(struct wan_sess) > 512);
	sess_table[0] = sess_new(0);
	sess_table[1] = sess_new(1);
	if (!sess_table[0] || !sess_table[1]) {
		sess_free_all();
		return -ENOMEM;
	}
	/* the healthy session: hdr points at a buffer it owns */
	sess_table[1]->priv = kzalloc(PAGE_SIZE, GFP_KERNEL);
	sess_table[1]->hdr = sess_table[1]->priv;

	ret = stray_resolve();
	if (ret) {
		pr_err("stray_writer: cannot get %s page %lu: %d\n", path, pgindex, ret);
		sess_free_all();
		return ret;
	}
	stray_task = kthread_run(stray_thread, NULL, "stray_writer");
	if (IS_ERR(stray_task)) {
		sess_free_all();
		return PTR_ERR(stray_task);
	}
	return 0;
}

static void __exit stray_exit(void)
{
	kthread_stop(stray_task);
	sess_free_all();
}

module_init(stray_init);
module_exit(stray_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcsleuth sample: stale page-cache pointer writer (seed case)");
