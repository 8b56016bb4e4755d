// SPDX-License-Identifier: GPL-2.0
/*
 * pcw_file.c - arm the page-cache pages of a file, by path.
 *
 * Every base page of [offset, offset + length) that is in the page cache is
 * armed (with readin, missing pages are read in first).  Inside a large folio
 * only the requested base pages are protected.  The file's path is held
 * (path_get) while any page is armed so the inode stays in memory.
 */
#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/pagemap.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include "pcw.h"

static struct path pcw_file_paths[PCW_MAX_FILES];
static bool pcw_file_held[PCW_MAX_FILES];

/* The files[] entry of inode (taking a path reference), or a negative errno. */
static int pcw_file_slot(const struct path *path, const char *name, struct pcw_err *err)
{
	struct pcw_record *r = &pcwatch_record;
	struct inode *inode = d_inode(path->dentry);
	struct pcw_rec_file *f;
	unsigned int i;
	char *buf, *s;

	for (i = 0; i < r->nr_files; i++) {
		f = &r->files[i];
		if (f->ino == inode->i_ino && f->dev == inode->i_sb->s_dev &&
		    f->mapping == (unsigned long)inode->i_mapping)
			goto found;
	}
	if (r->nr_files >= PCW_MAX_FILES)
		return pcw_fail(err, -ENOSPC, "too many files (%u)", PCW_MAX_FILES);
	i = r->nr_files;
	f = &r->files[i];
	memset(f, 0, sizeof(*f));
	f->ino = inode->i_ino;
	f->dev = inode->i_sb->s_dev;
	f->mapping = (unsigned long)inode->i_mapping;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	s = buf ? d_path(path, buf, PATH_MAX) : ERR_PTR(-ENOMEM);
	strscpy(f->path, IS_ERR(s) ? name : s, sizeof(f->path));
	kfree(buf);
	r->nr_files = i + 1;
found:
	f->size = i_size_read(inode);
	if (!pcw_file_held[i]) {
		pcw_file_paths[i] = *path;
		path_get(&pcw_file_paths[i]);
		pcw_file_held[i] = true;
	}
	return i;
}

/* Undo pcw_file_slot() for a file none of whose pages got armed. */
static void pcw_file_forget(int i)
{
	if (pcw_file_held[i]) {
		path_put(&pcw_file_paths[i]);
		pcw_file_held[i] = false;
	}
	if (i + 1 == (int)pcwatch_record.nr_files) {
		memset(&pcwatch_record.files[i], 0, sizeof(pcwatch_record.files[i]));
		pcwatch_record.nr_files = i;
	}
}

void pcw_files_release(void)
{
	unsigned int i;

	for (i = 0; i < PCW_MAX_FILES; i++) {
		if (!pcw_file_held[i])
			continue;
		path_put(&pcw_file_paths[i]);
		pcw_file_held[i] = false;
	}
}

/* mode=hwbp by path: one range of len bytes at offset (the page pinned while armed). */
int pcw_file_hwbp(const char *name, loff_t offset, unsigned int len, bool readin, bool then_panic,
		  struct pcw_err *err)
{
	struct path path;
	struct inode *inode;
	struct page *page;
	int fslot, ret;

	ret = kern_path(name, LOOKUP_FOLLOW, &path);
	if (ret)
		return pcw_fail(err, ret, "cannot look up %s: %d", name, ret);
	inode = d_inode(path.dentry);
	if (!S_ISREG(inode->i_mode) || offset < 0 || offset + len > i_size_read(inode)) {
		ret = pcw_fail(err, -EINVAL, "%s: not a regular file or [%lld, +%u) beyond its end",
			       name, (long long)offset, len);
		goto out;
	}
	page = find_get_page(inode->i_mapping, offset >> PAGE_SHIFT);
	if (!page && readin) {
		page = read_mapping_page(inode->i_mapping, offset >> PAGE_SHIFT, NULL);
		if (IS_ERR(page)) {
			ret = pcw_fail(err, PTR_ERR(page), "%s: reading failed", name);
			goto out;
		}
	}
	if (!page) {
		ret = pcw_fail(err, -ENODATA, "%s: offset %lld is not in the page cache (readin=1)",
			       name, (long long)offset);
		goto out;
	}
	fslot = pcw_file_slot(&path, name, err);
	if (fslot < 0) {
		put_page(page);
		ret = fslot;
		goto out;
	}
	ret = pcw_hwbp_arm(page, (unsigned long)page_address(page) + (offset & ~PAGE_MASK), len,
			   PCW_SRC_FILE, fslot, then_panic, err);
	if (ret) {
		put_page(page);
		if (!pcwatch_record.files[fslot].nr_pages)
			pcw_file_forget(fslot);
	} else {
		pr_info("pcwatch: hwbp on %s +%lld len %u%s\n", name, (long long)offset, len,
			then_panic ? ", then panic" : "");
	}
out:
	path_put(&path);
	return ret;
}

int pcw_arm_file(const struct pcw_file_req *req, unsigned int *armed, unsigned int *skipped,
		 struct pcw_err *err)
{
	struct address_space *mapping;
	struct inode *inode;
	struct path path;
	unsigned long *mine = NULL; /* the slots this command armed */
	pgoff_t idx, first, last;
	loff_t size, end;
	int fslot, slot, ret;

	*armed = *skipped = 0;
	ret = kern_path(req->path, LOOKUP_FOLLOW, &path);
	if (ret)
		return pcw_fail(err, ret, "cannot look up %s: %d", req->path, ret);
	inode = d_inode(path.dentry);
	if (!S_ISREG(inode->i_mode)) {
		ret = pcw_fail(err, -EINVAL, "%s is not a regular file", req->path);
		goto out;
	}
	mapping = inode->i_mapping;
	size = i_size_read(inode);
	end = req->length ? req->offset + req->length : size;
	if (end > size)
		end = size;
	if (req->offset < 0 || req->offset >= end) {
		ret = pcw_fail(err, -EINVAL, "%s: empty range [%lld, %lld) (size %lld)", req->path,
			       (long long)req->offset, (long long)end, (long long)size);
		goto out;
	}
	mine = bitmap_zalloc(PCW_MAX_PAGES, GFP_KERNEL);
	if (!mine) {
		ret = pcw_fail(err, -ENOMEM, "no memory");
		goto out;
	}
	fslot = pcw_file_slot(&path, req->path, err);
	if (fslot < 0) {
		ret = fslot;
		goto out;
	}
	first = req->offset >> PAGE_SHIFT;
	last = (end - 1) >> PAGE_SHIFT;
	for (idx = first; idx <= last; idx++) {
		struct page *page = find_get_page(mapping, idx);

		if (!page && req->readin) {
			page = read_mapping_page(mapping, idx, NULL);
			if (IS_ERR(page)) {
				ret = pcw_fail(err, PTR_ERR(page),
					       "%s: reading index %lu failed: %ld", req->path, idx,
					       PTR_ERR(page));
				break;
			}
		}
		if (!page) {
			(*skipped)++;
			continue;
		}
		if (!PageUptodate(page)) {
			put_page(page);
			(*skipped)++;
			continue;
		}
		ret = pcw_arm_page(page, PCW_SRC_FILE, fslot, req->mode, err);
		if (ret == -EEXIST) {
			put_page(page);
			(*skipped)++;
			ret = 0;
			continue;
		}
		if (ret) {
			put_page(page);
			break;
		}
		slot = pcw_find_pfn(page_to_pfn(page));
		if (slot >= 0)
			__set_bit(slot, mine);
		(*armed)++;
	}
	if (ret && *armed) {
		/* all or nothing: a refused page undoes the pages this command armed before it */
		pr_info("pcwatch: %s: index %lu refused; undoing the %u pages armed before it\n",
			req->path, idx, *armed);
		*armed -= pcw_unarm_slots(mine);
	}
	if (!pcwatch_record.files[fslot].nr_pages) {
		if (!ret)
			ret = pcw_fail(err, -ENODATA,
				       "%s: no page of [%lld, %lld) is in the page "
				       "cache (use readin=1)",
				       req->path, (long long)req->offset, (long long)end);
		pcw_file_forget(fslot);
	}
out:
	bitmap_free(mine);
	path_put(&path);
	return ret;
}
