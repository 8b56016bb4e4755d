// SPDX-License-Identifier: GPL-2.0
/*
 * slot_redirect - a deliberately redirected page-cache slot (lab scenario redirect-slot).
 *
 * On load: opens FILE, looks up the page-cache pages of index J (`index`) and K (`holds`)
 * (both must already be cached, order-0), and under the i_pages lock replaces the XArray
 * slot of index J with K's page.  Nothing else is touched: no page flags, no ->mapping,
 * no ->index, no counters.  Afterwards
 *   - slot J and slot K of the mapping both hold K's page (pfn_in_slot),
 *   - J's page (orphan_pfn) still says mapping = FILE, index = J, uptodate, on the LRU,
 *     but no slot of the tree points at it.
 * References: the module keeps the reference read_mapping_page() gave it on both pages
 * (K: nothing may free it while it sits in two slots; J: the orphan is leaked on purpose,
 * and the extra reference makes reclaim's refcount freeze fail, so reclaim never tries to
 * delete it from the tree at index J -- which would now remove K's page from slot J).
 * The file stays open so the inode cannot be evicted (eviction would truncate K's page
 * at index K only and trip over the page count).
 *
 * Do not read the file through the page cache afterwards: filemap_get_read_batch()
 * advances by folio->index, so a read() that starts at slot J can make no progress
 * (6.1: the folio lies beyond end_offset) and spins.  The lab scenario crashes at once.
 *
 * Parameters: path=FILE (default /data/firmware.bin), index=J (default 7), holds=K
 * (default 9).  Read-only results (/sys/module/slot_redirect/parameters/): done (Y once
 * the slot is redirected), pfn_in_slot (K's pfn), orphan_pfn (J's pfn), ino, mapping
 * (address_space address, hex), slot_addr (address of slot J in its xa_node, hex; it
 * holds K's struct page address), page_in_slot (that value, hex), orphan_page (J's
 * struct page address, hex).
 * rmmod puts J's page back into slot J (if the slot still holds K's page) and drops the
 * references.
 */
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/mm.h>
#include <linux/err.h>
#include <linux/xarray.h>

static char *path = "/data/firmware.bin";
module_param(path, charp, 0444);
static unsigned long idx_j = 7;
module_param_named(index, idx_j, ulong, 0444);
static unsigned long idx_k = 9;
module_param_named(holds, idx_k, ulong, 0444);

static bool done;
module_param(done, bool, 0444);
static unsigned long pfn_in_slot;
module_param(pfn_in_slot, ulong, 0444);
static unsigned long orphan_pfn;
module_param(orphan_pfn, ulong, 0444);
static unsigned long ino;
module_param(ino, ulong, 0444);

static struct file *file;
static struct page *page_j, *page_k;
static void **slot;

enum { F_MAPPING, F_SLOT, F_PAGE_IN_SLOT, F_ORPHAN_PAGE };

static int fact_get(char *buf, const struct kernel_param *kp)
{
	switch ((unsigned long)kp->arg) {
	case F_MAPPING: return sprintf(buf, "0x%lx\n", file ? (unsigned long)file->f_mapping : 0UL);
	case F_SLOT: return sprintf(buf, "0x%lx\n", (unsigned long)slot);
	case F_PAGE_IN_SLOT: return sprintf(buf, "0x%lx\n", (unsigned long)page_k);
	case F_ORPHAN_PAGE: return sprintf(buf, "0x%lx\n", (unsigned long)page_j);
	}
	return -EINVAL;
}

static const struct kernel_param_ops fact_ops = {
    .get = fact_get,
};
module_param_cb(mapping, &fact_ops, (void *)F_MAPPING, 0444);
module_param_cb(slot_addr, &fact_ops, (void *)F_SLOT, 0444);
module_param_cb(page_in_slot, &fact_ops, (void *)F_PAGE_IN_SLOT, 0444);
module_param_cb(orphan_page, &fact_ops, (void *)F_ORPHAN_PAGE, 0444);

static void release(void)
{
	if (page_j)
		put_page(page_j);
	if (page_k)
		put_page(page_k);
	page_j = page_k = NULL;
	if (file)
		filp_close(file, NULL);
	file = NULL;
}

static int __init slot_redirect_init(void)
{
	struct address_space *mapping;
	void *cur;
	int ret = 0;

	if (idx_j == idx_k)
		return -EINVAL;
	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		file = NULL;
		return ret;
	}
	mapping = file->f_mapping;
	ino = file_inode(file)->i_ino;
	page_j = read_mapping_page(mapping, idx_j, file);
	if (IS_ERR(page_j)) {
		ret = PTR_ERR(page_j);
		page_j = NULL;
		goto fail;
	}
	page_k = read_mapping_page(mapping, idx_k, file);
	if (IS_ERR(page_k)) {
		ret = PTR_ERR(page_k);
		page_k = NULL;
		goto fail;
	}
	if (PageCompound(page_j) || PageCompound(page_k)) {
		pr_err("slot_redirect: %s: large folios are not handled\n", path);
		ret = -EOPNOTSUPP;
		goto fail;
	}

	{
		XA_STATE(xas, &mapping->i_pages, idx_j);

		xas_lock_irq(&xas);
		cur = xas_load(&xas);
		if (cur != page_j || !xas.xa_node || xas_invalid(&xas)) {
			xas_unlock_irq(&xas);
			pr_err("slot_redirect: slot %lu does not hold the page just looked up\n",
			       idx_j);
			ret = -EAGAIN;
			goto fail;
		}
		slot = (void **)&xas.xa_node->slots[xas.xa_offset];
		xas_store(&xas, page_k);
		ret = xas_error(&xas);
		xas_unlock_irq(&xas);
	}
	if (ret) {
		slot = NULL;
		goto fail;
	}
	orphan_pfn = page_to_pfn(page_j);
	pfn_in_slot = page_to_pfn(page_k);
	done = true;
	pr_info("slot_redirect: %s (ino %lu, mapping %px): slot %lu (at %px) now holds the page of "
		"index %lu (pfn 0x%lx); the page of index %lu (pfn 0x%lx) is orphaned\n",
		path, ino, mapping, idx_j, slot, idx_k, pfn_in_slot, idx_j, orphan_pfn);
	return 0;
fail:
	release();
	return ret;
}

static void __exit slot_redirect_exit(void)
{
	XA_STATE(xas, &file->f_mapping->i_pages, idx_j);

	xas_lock_irq(&xas);
	if (xas_load(&xas) == page_k)
		xas_store(&xas, page_j);
	xas_unlock_irq(&xas);
	release();
}

module_init(slot_redirect_init);
module_exit(slot_redirect_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pcsleuth sample: a page-cache slot redirected to another page of the file");
