// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth files: every cached file, including ones no process has open. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fs.h"
#include "json.h"
#include "kernel.h"
#include "pagecache.h"

static const char help[] =
    "usage: pcsleuth files VMCORE [-k VMLINUX] [PREFIX] [--all] [--no-count] [--json]\n"
    "       pcsleuth files VMCORE -k VMLINUX --memmap [PREFIX] [--json]\n"
    "\n"
    "List the files with pages in the page cache: path, struct inode, inode number,\n"
    "size, pages cached (nrpages) and how many of those pages the dump contains.\n"
    "Walks every superblock's inode list (super_blocks -> s_inodes), so files no\n"
    "process has open are listed too. Paths come from the dentry cache and the\n"
    "superblock's mount; inodes with no dentry are shown as FSTYPE:DEV:inode N.\n"
    "PREFIX keeps only paths starting with it. A file whose i_pages holds another\n"
    "file's folio, or one not covering the slot's index, is flagged (inconsistent).\n"
    "\n"
    "With --memmap, the census: every struct page of the memory map (mem_section)\n"
    "is read, page-cache folios are grouped by the address_space they claim, each\n"
    "must be an inode's (host->i_mapping == mapping) and its i_pages is walked once\n"
    "to cross-check both sides. Lists every file found that way (also ones no\n"
    "superblock list reaches): mapping, inode, ino, size, nrpages, pages the memory\n"
    "map claims for it (MEMMAP) and pages i_pages holds at their index (TREE); then\n"
    "the anomalies: inconsistent (a slot holds another file's folio or one not\n"
    "covering its index), orphan (a folio claims an index whose slot holds another\n"
    "page or nothing; a page caught mid-removal looks the same), not-inode (a page\n"
    "claims a mapping that is no inode's page cache), tree (i_pages unwalkable).\n"
    "JSON: {\"files\":[...],\"anomalies\":[{\"kind\",\"mapping\",\"index\",\"page\",\n"
    "\"pfn\",\"slot\",\"why\"}],\"summary\":{...}}.\n"
    "\n"
    "  --all        also list inodes with no cached pages\n"
    "  --no-count   do not walk each file's pages to count those in the dump\n"
    "  --memmap     the census from the memory map, with its anomalies\n"
    "  --live       the running kernel (/proc/kcore; root) instead of VMCORE\n"
    "exit: 0 ok, 1 inconsistent slots / census anomalies found, 2 usage,\n"
    "      3 unusable input, 4 kernel data unreadable\n";

struct files_ctx {
	struct sa_target *st;
	const struct pcs_kernel *k;
	const char *prefix;
	bool json, count;
	struct json_object *arr;
	uint64_t nfiles, npages, nindump, ninconsistent;
	uint64_t in_dump, inconsistent;
};

static int count_row(const struct pcs_page_row *row, void *arg)
{
	struct files_ctx *c = arg;

	if (row->status == PCS_PAGE_INCONSISTENT)
		c->inconsistent++; /* not this file's page: never counted as in the dump */
	else if (row->page && row->status != PCS_PAGE_SHADOW &&
		 row->status != PCS_PAGE_NOT_CACHED && sa_pfn_present(c->st, row->pfn))
		c->in_dump++;
	return 0;
}

static int on_file(const struct pcs_fs_file *f, void *arg)
{
	struct files_ctx *c = arg;
	char indump[32] = "-";

	if (c->prefix && strncmp(f->path, c->prefix, strlen(c->prefix)) != 0)
		return 0;
	c->in_dump = c->inconsistent = 0;
	if (c->count && f->nrpages) {
		struct pcs_pagecache_opts o = {.hash = PCS_HASH_NONE, .no_read = true};
		struct pcs_error e = {0};

		if (pcs_pagecache_walk(c->k, f->mapping, &o, count_row, c, NULL, &e) == PCS_OK)
			snprintf(indump, sizeof(indump), "%" PRIu64, c->in_dump);
		else
			snprintf(indump, sizeof(indump), "?");
	}
	c->nfiles++;
	c->npages += f->nrpages;
	c->nindump += c->in_dump;
	c->ninconsistent += c->inconsistent;
	if (c->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "path", json_object_new_string(f->path));
		json_object_object_add(o, "has_path", json_object_new_boolean(f->has_path));
		json_object_object_add(o, "fstype", json_object_new_string(f->fstype));
		json_object_object_add(o, "dev", json_object_new_string(f->sb_id));
		json_object_object_add(o, "inode", pcs_json_addr(f->inode));
		json_object_object_add(o, "ino", json_object_new_int64((int64_t)f->ino));
		json_object_object_add(o, "mode", json_object_new_int(f->mode));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)f->size));
		json_object_object_add(o, "mapping", pcs_json_addr(f->mapping));
		json_object_object_add(o, "nrpages", json_object_new_int64((int64_t)f->nrpages));
		if (c->count) {
			json_object_object_add(o, "pages_in_dump",
					       json_object_new_int64((int64_t)c->in_dump));
			json_object_object_add(o, "inconsistent",
					       json_object_new_int64((int64_t)c->inconsistent));
		}
		json_object_array_add(c->arr, o);
	} else {
		printf("%-18" PRIx64 " %9" PRIu64 " %12" PRIu64 " %8" PRIu64 " %8s  %-6s %s",
		       f->inode, f->ino, f->size, f->nrpages, indump, f->fstype, f->path);
		if (c->inconsistent)
			printf("  (%" PRIu64 " inconsistent slot%s)", c->inconsistent,
			       c->inconsistent == 1 ? "" : "s");
		printf("\n");
	}
	return 0;
}

int cmd_files(int argc, char **argv)
{
	enum { O_ALL = 1, O_NOCOUNT, O_MEMMAP };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"all", no_argument, NULL, O_ALL},
	    {"no-count", no_argument, NULL, O_NOCOUNT},
	    {"memmap", no_argument, NULL, O_MEMMAP},
	    {0},
	};
	struct sa_common c = {0};
	bool all = false, count = true, memmap = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "hk:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case O_ALL: all = true; break;
		case O_NOCOUNT: count = false; break;
		case O_MEMMAP: memmap = true; break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("files", "bad option");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return sa_usage_error("files", "expected VMCORE [PREFIX]");
	if (memmap && (all || !count))
		return sa_usage_error("files", "--memmap lists what the memory map holds: no --all "
					       "or --no-count");
	c.vmcore = argv[optind];
	struct sa_target *st;

	if ((rc = sa_open_common(&c, "files", true, &st)))
		return rc;
	struct pcs_error err = {0};
	struct pcs_kernel k;
	struct pcs_fs fs;
	struct files_ctx fc = {.st = st, .k = &k, .json = c.json, .count = count};

	fc.prefix = argc - optind == 2 ? argv[optind + 1] : NULL;
	if (memmap) {
		if (pcs_kernel_init(&k, &st->t, &err))
			rc = sa_fail(&c, "files", &err);
		else
			rc = sa_files_memmap(&c, &k, fc.prefix);
		goto out;
	}
	if (pcs_kernel_init(&k, &st->t, &err) || pcs_fs_init(&fs, &k, &err)) {
		rc = sa_fail(&c, "files", &err);
		goto out;
	}
	if (c.json)
		fc.arr = json_object_new_array();
	else
		printf("%-18s %9s %12s %8s %8s  %-6s %s\n", "INODE", "INO", "SIZE", "CACHED",
		       "INDUMP", "FS", "PATH");
	enum pcs_errcode wrc = pcs_fs_for_each_inode(&fs, !all, on_file, &fc, &err);

	if (c.json) {
		struct json_object *o = json_object_new_object(), *s = json_object_new_object();

		json_object_object_add(o, "files", fc.arr);
		json_object_object_add(s, "files", json_object_new_int64((int64_t)fc.nfiles));
		json_object_object_add(s, "pages_cached",
				       json_object_new_int64((int64_t)fc.npages));
		if (count) {
			json_object_object_add(s, "pages_in_dump",
					       json_object_new_int64((int64_t)fc.nindump));
			json_object_object_add(s, "inconsistent",
					       json_object_new_int64((int64_t)fc.ninconsistent));
		}
		json_object_object_add(o, "summary", s);
		if (wrc)
			json_object_object_add(o, "error", pcs_json_error(&err));
		sa_json_print_c(&c, o);
		json_object_put(o);
	} else {
		printf("%" PRIu64 " files, %" PRIu64 " pages cached", fc.nfiles, fc.npages);
		if (count)
			printf(", %" PRIu64 " in the dump", fc.nindump);
		printf("\n");
		if (count && fc.npages && !fc.nindump)
			printf("WARNING: no cached page is in this dump (makedumpfile filtered the "
			       "page "
			       "cache?)\n");
		if (fc.ninconsistent)
			printf("WARNING: %" PRIu64
			       " page-cache slot%s hold%s another file's folio or "
			       "one not covering the slot's index (see pcsleuth md5)\n",
			       fc.ninconsistent, fc.ninconsistent == 1 ? "" : "s",
			       fc.ninconsistent == 1 ? "s" : "");
	}
	rc = fc.ninconsistent ? SA_EXIT_DIFF : 0;
	if (wrc) {
		fprintf(stderr, "pcsleuth files: %s\n", err.msg);
		rc = SA_EXIT_ANALYSIS;
	}
out:
	sa_close(st);
	return rc;
}
