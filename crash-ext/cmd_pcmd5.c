// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcmd5: one row per page-cache page of a file (core/pagecache.h), hashed, and
 * with -r compared with a reference file (core/diff.h). Crash-style columns.
 */
#include "defs.h" /* crash */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "ext.h"
#include "fs.h"
#include "pagecache.h"
#include "pagehash.h"

struct pcmd5_run {
	const struct pcs_kernel *k;
	int ref_fd;
	uint8_t *ref_buf;
	uint64_t differing;
	uint64_t beyond_eof;
	int ref_failed;
	struct pcs_error ref_err;
};

static void print_bytes(const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		fprintf(fp, "%s%02x", i ? " " : "", p[i]);
}

static int print_range(const struct pcs_diff_range *r, void *arg)
{
	uint32_t done;

	(void)arg;
	fprintf(fp, "              +%#06x..+%#06x (%u byte%s)\n", r->off, r->off + r->len - 1,
		r->len, r->len == 1 ? "" : "s");
	for (done = 0; done < r->len; done += 16) {
		uint32_t n = r->len - done < 16 ? r->len - done : 16;

		fprintf(fp, "                dump %#06x: ", r->off + done);
		print_bytes(r->vmcore + done, n);
		fprintf(fp, "\n                 ref %#06x: ", r->off + done);
		print_bytes(r->ref + done, n);
		fprintf(fp, "\n");
	}
	return 0;
}

static int pcmd5_row(const struct pcs_page_row *row, void *arg)
{
	struct pcmd5_run *run = arg;
	char hex[2 * PCS_DIGEST_MAX + 1];
	const char *status = pcs_page_status_name(row->status);
	int differs = 0;
	size_t got = 0;

	if (run->ref_fd >= 0 && row->status == PCS_PAGE_PRESENT && row->data && !run->ref_failed) {
		if (pcs_ref_read_page(run->ref_fd, row->index, run->k->page_size, run->ref_buf,
				      &got, &run->ref_err)) {
			run->ref_failed = 1;
		} else if (pcs_diff_page(row->data, run->ref_buf, run->k->page_size,
					 PCS_DIFF_MERGE_GAP_DEFAULT, NULL, NULL, NULL)) {
			differs = 1;
			run->differing++;
			status = "DIFFERS";
		}
		if (!run->ref_failed && !got)
			run->beyond_eof++;
	}
	pcs_digest_hex(&row->digest, hex);
	fprintf(fp, "%8llu  %10llx  %16llx  %9llx  %12llx  %16llx  %2u  %-10s  %s",
		(ulonglong)row->index, (ulonglong)row->offset, (ulonglong)row->page,
		(ulonglong)row->pfn, (ulonglong)row->paddr, (ulonglong)row->vaddr, row->folio_order,
		status, hex[0] ? hex : "-");
	if (row->status == PCS_PAGE_SHADOW || row->status == PCS_PAGE_ERROR ||
	    row->status == PCS_PAGE_INCONSISTENT)
		fprintf(fp, "  entry %llx", (ulonglong)row->entry);
	if (run->ref_fd >= 0 && row->status == PCS_PAGE_PRESENT && !run->ref_failed && !got)
		fprintf(fp, "  (beyond end of reference)");
	if (row->why && (row->status == PCS_PAGE_ERROR || row->status == PCS_PAGE_EXCLUDED ||
			 row->status == PCS_PAGE_INCONSISTENT))
		fprintf(fp, "  (%s)", row->why);
	fprintf(fp, "\n");
	if (differs)
		pcs_diff_page(row->data, run->ref_buf, run->k->page_size,
			      PCS_DIFF_MERGE_GAP_DEFAULT, print_range, NULL, NULL);
	return 0;
}

/* Kernel address given with -d / -f: follow one pointer member. */
static enum pcs_errcode follow(const struct pcs_target *t, const char *type, const char *member,
			       uint64_t addr, uint64_t *out, struct pcs_error *err)
{
	uint64_t off;
	enum pcs_errcode rc;

	rc = pcs_kernel_offset(t, type, member, &off, err);
	if (!rc)
		rc = pcs_read_u64(t, addr + off, out, err);
	if (!rc && !*out)
		rc = pcs_error_set(err, PCS_ERR_NOTFOUND, "%s %llx has no %s", type,
				   (unsigned long long)addr, member);
	return rc;
}

void cmd_pcmd5(void)
{
	const struct pcs_target *t;
	const struct pcs_kernel *k;
	struct pcs_error err = {0};
	struct pcs_pagecache_opts opts = {.hash = PCS_HASH_MD5};
	struct pcs_pagecache_summary sum = {0};
	struct pcs_mapping_info mi = {0};
	struct pcs_inode_info ii = {0};
	struct pcmd5_run run = {.ref_fd = -1};
	const char *ref = NULL, *how = NULL, *path = NULL;
	uint64_t addr = 0, inode = 0, mapping = 0;
	enum pcs_errcode rc;
	int c, nsel = 0;

	while ((c = getopt(argcnt, args, "r:H:i:m:d:f:")) != EOF) {
		switch (c) {
		case 'r': ref = optarg; break;
		case 'H':
			if (pcs_hash_parse(optarg, &opts.hash, &err)) {
				error(INFO, "%s\n", err.msg);
				cmd_usage(pc->curcmd, SYNOPSIS);
			}
			break;
		case 'i':
		case 'm':
		case 'd':
		case 'f':
			if (!pcx_parse_u64(optarg, 1, &addr) || !addr) {
				error(INFO, "invalid address: %s\n", optarg);
				cmd_usage(pc->curcmd, SYNOPSIS);
			}
			how = c == 'i'	 ? "inode"
			      : c == 'm' ? "mapping"
			      : c == 'd' ? "dentry"
					 : "file";
			nsel++;
			break;
		default: argerrs++; break;
		}
	}
	if (args[optind]) {
		path = args[optind];
		nsel++;
		if (args[optind + 1])
			argerrs++;
	}
	if (argerrs || nsel != 1)
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (pcx_context(&t, &k, &err))
		goto fail;

	if (path) {
		const struct pcs_fs *fs;

		if (pcx_fs(&fs, &err) || pcs_fs_lookup(fs, path, &inode, &err))
			goto fail;
	} else if (!strcmp(how, "inode")) {
		inode = addr;
	} else if (!strcmp(how, "mapping")) {
		mapping = addr;
	} else if (!strcmp(how, "dentry")) {
		if (follow(t, "dentry", "d_inode", addr, &inode, &err))
			goto fail;
	} else {
		if (follow(t, "file", "f_mapping", addr, &mapping, &err))
			goto fail;
	}
	if (inode) {
		if (pcs_inode_read(k, inode, &ii, &err))
			goto fail;
		mapping = ii.mapping;
	}
	if (pcs_mapping_read(k, mapping, &mi, &err))
		goto fail;
	if (!inode && mi.host) {
		/* -m / -f: the host inode gives i_size (holes below it are listed). */
		if (pcs_inode_read(k, mi.host, &ii, &err))
			goto fail;
		inode = mi.host;
	}
	if (inode && ii.size)
		opts.nr_index = (ii.size + k->page_size - 1) / k->page_size;

	if (ref) {
		run.ref_fd = open(ref, O_RDONLY | O_CLOEXEC);
		if (run.ref_fd < 0) {
			error(INFO, "cannot open %s: %s\n", ref, strerror(errno));
			return;
		}
		run.ref_buf = malloc(k->page_size);
		if (!run.ref_buf) {
			close(run.ref_fd);
			error(INFO, "out of memory\n");
			return;
		}
	}
	run.k = k;

	if (path)
		fprintf(fp, "PATH %s  ", path);
	fprintf(fp, "INODE %llx  MAPPING %llx  I_SIZE %llu  NRPAGES %llu\n", (ulonglong)inode,
		(ulonglong)mapping, (ulonglong)ii.size, (ulonglong)mi.nrpages);
	if (ref)
		fprintf(fp, "REFERENCE %s\n", ref);
	fprintf(fp, "%8s  %10s  %16s  %9s  %12s  %16s  %2s  %-10s  %s\n", "INDEX", "OFFSET", "PAGE",
		"PFN", "PHYSADDR", "VADDR", "OR", "STATUS", pcs_hash_name(opts.hash));
	rc = pcs_pagecache_walk(k, mapping, &opts, pcmd5_row, &run, &sum, &err);

	fprintf(fp,
		"%s: pages %llu  cached %llu  present %llu  excluded %llu  not-cached %llu"
		"  shadow %llu  errors %llu  inconsistent %llu  folios %llu  large-folios %llu",
		pcs_hash_name(opts.hash), (ulonglong)sum.rows,
		(ulonglong)(sum.present + sum.excluded + sum.inconsistent), (ulonglong)sum.present,
		(ulonglong)sum.excluded, (ulonglong)sum.not_cached, (ulonglong)sum.shadow,
		(ulonglong)sum.errors, (ulonglong)sum.inconsistent, (ulonglong)sum.folios,
		(ulonglong)sum.large_folios);
	if (ref)
		fprintf(fp, "  differing %llu", (ulonglong)run.differing);
	fprintf(fp, "  nrpages %llu\n", (ulonglong)sum.nrpages);
	if (sum.excluded)
		fprintf(fp, "WARNING: %llu cached page%s not in the dump (excluded), not hashed\n",
			(ulonglong)sum.excluded, sum.excluded == 1 ? "" : "s");
	if (sum.inconsistent)
		fprintf(
		    fp,
		    "WARNING: %llu page-cache slot%s inconsistent (another file's folio, or one "
		    "not covering the slot's index), not hashed\n",
		    (ulonglong)sum.inconsistent, sum.inconsistent == 1 ? "" : "s");
	if (run.ref_failed)
		pcx_error("reference", &run.ref_err);
	if (run.ref_fd >= 0)
		close(run.ref_fd);
	free(run.ref_buf);
	if (rc)
		goto fail;
	return;
fail:
	pcx_error(NULL, &err);
}
