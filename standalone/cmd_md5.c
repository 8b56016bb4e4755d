// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth md5: per-page hashes of a cached file, compared with a reference. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "json.h"
#include "kernel.h"
#include "pagecache.h"
#include "pagehash.h"
#include "refsrc.h"
#include "resolve.h"

#define MD5_MAX_HOLE_ROWS (1u << 20) /* not-cached rows are listed below this many pages */

static const char help[] =
    "usage: pcsleuth md5 VMCORE [-k VMLINUX] (PATH | --inode ADDR | --mapping ADDR)\n"
    "                    [--ref FILE] [--hash md5|sha256] [--quiet] [--json]\n"
    "       pcsleuth md5 --live [-k VMLINUX] PATH [--ref FILE | --ref-direct] ...\n"
    "\n"
    "One row per page of the file's page cache, in index order: index, file offset,\n"
    "struct page, pfn, physical address, linear-map address, hash and status\n"
    "(present / excluded: the dump does not contain it / not-cached: a hole, listed in\n"
    "files of up to 2^20 pages / shadow: evicted /\n"
    "error / inconsistent: the slot holds a folio of another file, or one that does not\n"
    "cover the slot's index; its page and pfn are shown, the reason follows).\n"
    "Pages missing from the dump are reported as missing, never hashed as zeros;\n"
    "inconsistent slots are never hashed or compared.\n"
    "With --ref, each present page is compared with the same page of FILE: 'match' or\n"
    "'DIFFERS' followed by every differing byte range with its bytes (vmcore vs ref).\n"
    "PATH is looked up in the dump's dentry cache (from pid 1's root, across mounts).\n"
    "\n"
    "  -k, --vmlinux FILE   debug vmlinux of the dumped kernel (or $PCSLEUTH_VMLINUX;\n"
    "                       without it: the dump's own BTF and kallsyms)\n"
    "      --inode ADDR     struct inode address instead of PATH\n"
    "      --mapping ADDR   struct address_space address instead of PATH\n"
    "      --ref FILE       reference copy of the file (e.g. from disk)\n"
    "      --live           the running kernel (/proc/kcore; root): a page that differs\n"
    "                       is read again (memory and reference) before it is reported\n"
    "      --ref-direct     with --live: the reference is PATH itself read with O_DIRECT\n"
    "                       (bypassing the page cache); a file system that refuses\n"
    "                       O_DIRECT (tmpfs) is an error, never a silent fallback\n"
    "      --hash ALGO      md5 (default) or sha256\n"
    "  -q, --quiet          print only pages that differ or are not in the dump\n"
    "      --json           JSON: {\"file\":{...},\"pages\":[...],\"summary\":{...}}\n"
    "exit: 0 no differences (all cached pages present), 1 differences found or\n"
    "      inconsistent slots, 2 usage, 3 unusable input / file not found,\n"
    "      4 kernel data unreadable, 5 some cached pages not in the dump (none of the\n"
    "      others differ, no slot inconsistent)\n";

struct md5_ctx {
	const struct pcs_kernel *k;
	bool json, quiet;
	int ref_fd;
	uint64_t ref_size;
	uint32_t page_size;
	unsigned char *refbuf, *fresh;
	struct pcs_reffile *rf; /* --ref-direct */
	bool live;
	uint64_t transient; /* live: differed, then matched when read again */
	struct json_object *rows;
	uint64_t differing, diff_bytes;
	struct json_object *cur;
	char hdr_printed;
};

static int print_range(const struct pcs_diff_range *r, void *arg)
{
	struct md5_ctx *c = arg;

	if (c->cur) {
		pcs_json_row_add_diff(c->cur, r);
		return 0;
	}
	printf("        +0x%03x (%u byte%s): vmcore", r->off, r->len, r->len == 1 ? "" : "s");
	for (uint32_t i = 0; i < r->len && i < 32; i++)
		printf(" %02x", r->vmcore[i]);
	printf("%s | ref", r->len > 32 ? " ..." : "");
	for (uint32_t i = 0; i < r->len && i < 32; i++)
		printf(" %02x", r->ref[i]);
	printf("%s\n", r->len > 32 ? " ..." : "");
	return 0;
}

/*
 * Live: the page differed; read it (and the reference) again before reporting it.
 * Returns the ranges that still differ, *data the contents compared last.
 */
static size_t reread(struct md5_ctx *c, const struct pcs_page_row *row, const void **data)
{
	size_t got = 0, n;

	if (pcs_read(c->k->t, PCS_KPHYSADDR, row->paddr, c->fresh, c->page_size, NULL) ||
	    (c->rf ? pcs_reffile_read_page(c->rf, row->index, c->page_size, c->refbuf, &got, NULL)
		   : pcs_ref_read_page(c->ref_fd, row->index, c->page_size, c->refbuf, &got, NULL)))
		return pcs_diff_page(*data, c->refbuf, c->page_size, PCS_DIFF_MERGE_GAP_DEFAULT,
				     NULL, NULL, NULL);
	n = pcs_diff_page(c->fresh, c->refbuf, c->page_size, PCS_DIFF_MERGE_GAP_DEFAULT, NULL, NULL,
			  NULL);
	*data = c->fresh;
	if (!n)
		c->transient++;
	return n;
}

static int on_row(const struct pcs_page_row *row, void *arg)
{
	struct md5_ctx *c = arg;
	char hex[2 * PCS_DIGEST_MAX + 1];
	const char *verdict = NULL;
	const void *data = row->data;
	size_t nranges = 0;

	if ((c->ref_fd >= 0 || c->rf) && row->status == PCS_PAGE_PRESENT && row->data) {
		size_t got = 0;
		struct pcs_error e = {0};

		if (c->rf ? pcs_reffile_read_page(c->rf, row->index, c->page_size, c->refbuf, &got,
						  &e)
			  : pcs_ref_read_page(c->ref_fd, row->index, c->page_size, c->refbuf, &got,
					      &e)) {
			verdict = "ref-unreadable";
		} else if (!got) {
			verdict = "beyond-eof";
		} else {
			nranges = pcs_diff_page(row->data, c->refbuf, c->page_size,
						PCS_DIFF_MERGE_GAP_DEFAULT, NULL, NULL, NULL);
			if (nranges && c->live)
				nranges = reread(c, row, &data);
			verdict = nranges ? "differs" : "match";
			if (nranges)
				c->differing++;
		}
	}
	if (c->json) {
		struct json_object *o = pcs_json_page_row(row);

		if (verdict) {
			pcs_json_row_set_ref(o, verdict);
			if (nranges) {
				c->cur = o;
				pcs_diff_page(data, c->refbuf, c->page_size,
					      PCS_DIFF_MERGE_GAP_DEFAULT, print_range, c, NULL);
				c->cur = NULL;
			}
		}
		json_object_array_add(c->rows, o);
		return 0;
	}
	if (c->quiet && row->status == PCS_PAGE_PRESENT && !nranges)
		return 0;
	if (!c->hdr_printed) {
		printf("%6s %-10s %-18s %-9s %-12s %-18s %-32s %s\n", "INDEX", "OFFSET", "PAGE",
		       "PFN", "PADDR", "VADDR", "HASH", "STATUS");
		c->hdr_printed = 1;
	}
	pcs_digest_hex(&row->digest, hex);
	if (row->status == PCS_PAGE_INCONSISTENT) {
		printf("%6" PRIu64 " 0x%-8" PRIx64 " 0x%-16" PRIx64 " %-9" PRIu64
		       " %-12s %-18s %-32s %s",
		       row->index, row->offset, row->page, row->pfn, "-", "-", "-",
		       pcs_page_status_name(row->status));
	} else if (row->status == PCS_PAGE_NOT_CACHED || row->status == PCS_PAGE_SHADOW) {
		printf("%6" PRIu64 " 0x%-8" PRIx64 " %-18s %-9s %-12s %-18s %-32s %s", row->index,
		       row->offset, "-", "-", "-", "-", "-", pcs_page_status_name(row->status));
		if (row->status == PCS_PAGE_SHADOW)
			printf(" (entry 0x%" PRIx64 ")", row->entry);
	} else {
		printf("%6" PRIu64 " 0x%-8" PRIx64 " 0x%-16" PRIx64 " %-9" PRIu64 " 0x%-10" PRIx64
		       " 0x%-16" PRIx64 " %-32s %s",
		       row->index, row->offset, row->page, row->pfn, row->paddr, row->vaddr,
		       row->digest.len ? hex : "-", pcs_page_status_name(row->status));
	}
	if (verdict)
		printf("  %s", nranges ? "DIFFERS" : verdict);
	if (row->folio_order)
		printf("  (folio 0x%" PRIx64 " order %u)", row->folio, row->folio_order);
	if (row->why)
		printf("  (%s)", row->why);
	printf("\n");
	if (nranges)
		pcs_diff_page(data, c->refbuf, c->page_size, PCS_DIFF_MERGE_GAP_DEFAULT,
			      print_range, c, NULL);
	return 0;
}

int cmd_md5(int argc, char **argv)
{
	enum { O_INODE = 1, O_MAPPING, O_REF, O_HASH, O_REF_DIRECT };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"inode", required_argument, NULL, O_INODE},
	    {"mapping", required_argument, NULL, O_MAPPING},
	    {"ref", required_argument, NULL, O_REF},
	    {"hash", required_argument, NULL, O_HASH},
	    {"ref-direct", no_argument, NULL, O_REF_DIRECT},
	    {"quiet", no_argument, NULL, 'q'},
	    {0},
	};
	struct sa_common c = {0};
	const char *ref = NULL, *hash = "md5", *path = NULL;
	uint64_t inode = 0, mapping = 0;
	bool quiet = false, ref_direct = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "hk:q", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case 'q': quiet = true; break;
		case O_REF: ref = optarg; break;
		case O_HASH: hash = optarg; break;
		case O_REF_DIRECT: ref_direct = true; break;
		case O_INODE:
			if (!sa_parse_u64(optarg, &inode) || !inode)
				return sa_usage_error("md5", "--inode: '%s' is not an address",
						      optarg);
			break;
		case O_MAPPING:
			if (!sa_parse_u64(optarg, &mapping) || !mapping)
				return sa_usage_error("md5", "--mapping: '%s' is not an address",
						      optarg);
			break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("md5", "bad option");
		}
	}
	int nargs = argc - optind;

	if (nargs < 1)
		return sa_usage_error("md5", "missing VMCORE");
	c.vmcore = argv[optind];
	if (nargs == 2)
		path = argv[optind + 1];
	if (nargs > 2 || (!!path + !!inode + !!mapping) != 1)
		return sa_usage_error("md5", "give exactly one of PATH, --inode, --mapping");
	if (ref_direct && !sa_live(&c))
		return sa_usage_error("md5", "--ref-direct reads the live file: it needs --live");
	if (ref_direct && ref)
		return sa_usage_error("md5", "--ref and --ref-direct exclude each other");
	enum pcs_hash_algo algo;
	struct pcs_error err = {0};

	if (pcs_hash_parse(hash, &algo, &err))
		return sa_usage_error("md5", "%s", err.msg);

	struct md5_ctx mc = {.json = c.json, .quiet = quiet, .ref_fd = -1};

	if (ref) {
		struct stat sb;

		mc.ref_fd = open(ref, O_RDONLY | O_CLOEXEC);
		if (mc.ref_fd < 0 || fstat(mc.ref_fd, &sb)) {
			pcs_error_set(&err, PCS_ERR_IO, "reference %s: %s", ref, strerror(errno));
			return sa_fail(&c, "md5", &err);
		}
		mc.ref_size = (uint64_t)sb.st_size;
	}
	struct sa_target *st;
	struct pcs_refsrc *direct_src = NULL;

	rc = sa_open_common(&c, "md5", true, &st);
	if (rc)
		goto out_fd;
	struct pcs_kernel k;
	struct sa_file f;

	enum pcs_errcode orc;

	for (int attempt = 1;; attempt++) {
		orc = pcs_kernel_init(&k, &st->t, &err);
		if (!orc)
			orc = sa_resolve_file(&k, path, inode, mapping, &f, &err);
		if (!sa_live_retry(&c, "md5", orc, &err, attempt))
			break;
	}
	if (orc) {
		rc = sa_fail(&c, "md5", &err);
		if (rc == SA_EXIT_INCOMPLETE)
			rc = SA_EXIT_ANALYSIS;
		goto out;
	}
	mc.k = &k;
	mc.page_size = k.page_size;
	mc.live = st->kc != NULL;
	mc.refbuf = malloc(k.page_size);
	mc.fresh = malloc(k.page_size);
	if (ref_direct) {
		/* the file's own path on the running system: PATH, or the one resolved */
		const char *live_path = path ? path : f.path;
		struct pcs_refsrc *root = NULL;

		if (!live_path[0]) {
			pcs_error_set(&err, PCS_ERR_NOTFOUND,
				      "--ref-direct: the file has no path to open");
		} else if (!pcs_refsrc_open_direct("/", &root, &err)) {
			if (pcs_reffile_open(root, live_path, &mc.rf, &err) == PCS_OK) {
				mc.ref_size = pcs_reffile_size(mc.rf);
				ref = live_path;
			}
		}
		if (!mc.rf) {
			pcs_refsrc_close(root);
			pcs_error_wrap(&err, "--ref-direct %s", live_path);
			rc = sa_fail(&c, "md5", &err);
			if (rc != SA_EXIT_USAGE)
				rc = SA_EXIT_INPUT;
			goto out;
		}
		direct_src = root;
	}
	if (!mc.refbuf || !mc.fresh) {
		pcs_error_set(&err, PCS_ERR_NOMEM, "out of memory");
		rc = sa_fail(&c, "md5", &err);
		goto out;
	}
	struct pcs_pagecache_opts o = {.hash = algo};

	/*
	 * Holes get not-cached rows only in files of at most MD5_MAX_HOLE_ROWS pages: a
	 * sparse or corrupt i_size of terabytes would print billions of rows.
	 */
	if (f.size != UINT64_MAX && f.size / k.page_size < MD5_MAX_HOLE_ROWS)
		o.nr_index = (f.size + k.page_size - 1) / k.page_size;

	struct json_object *doc = NULL, *jf = NULL;

	if (c.json) {
		doc = json_object_new_object();
		jf = json_object_new_object();
		if (f.path[0])
			json_object_object_add(jf, "path", json_object_new_string(f.path));
		json_object_object_add(jf, "inode", pcs_json_addr(f.inode));
		json_object_object_add(jf, "ino", json_object_new_int64((int64_t)f.ino));
		json_object_object_add(jf, "mapping", pcs_json_addr(f.mapping));
		if (f.size != UINT64_MAX)
			json_object_object_add(jf, "size", json_object_new_int64((int64_t)f.size));
		json_object_object_add(jf, "nrpages", json_object_new_int64((int64_t)f.nrpages));
		json_object_object_add(jf, "page_size", json_object_new_int64(k.page_size));
		if (ref) {
			json_object_object_add(jf, "ref", json_object_new_string(ref));
			if (ref_direct)
				json_object_object_add(jf, "ref_direct",
						       json_object_new_boolean(true));
			json_object_object_add(jf, "ref_size",
					       json_object_new_int64((int64_t)mc.ref_size));
		}
		json_object_object_add(doc, "file", jf);
		mc.rows = json_object_new_array();
	} else {
		printf("file %s: inode 0x%" PRIx64 " ino %" PRIu64 ", size %" PRIu64 ", %" PRIu64
		       " pages cached, mapping 0x%" PRIx64 "\n",
		       f.path[0] ? f.path : "(no path)", f.inode, f.ino,
		       f.size == UINT64_MAX ? 0 : f.size, f.nrpages, f.mapping);
		if (ref && f.size != UINT64_MAX && f.size != mc.ref_size)
			printf("note: reference %s is %" PRIu64 " bytes, the cached file %" PRIu64
			       "\n",
			       ref, mc.ref_size, f.size);
	}
	struct pcs_pagecache_summary sum = {0};
	enum pcs_errcode wrc;

	for (int attempt = 1;; attempt++) {
		wrc = pcs_pagecache_walk(&k, f.mapping, &o, on_row, &mc, &sum, &err);
		if (!sa_live_retry(&c, "md5", wrc, &err, attempt))
			break;
		memset(&sum, 0, sizeof(sum));
		mc.differing = mc.transient = 0;
		if (c.json) {
			json_object_put(mc.rows);
			mc.rows = json_object_new_array();
		} else {
			printf("(restarted: the kernel changed a structure under the walk)\n");
			mc.hdr_printed = 0;
		}
	}

	if (c.json) {
		json_object_object_add(doc, "pages", mc.rows);
		struct json_object *js =
		    pcs_json_summary(&sum, algo, ref ? (int64_t)mc.differing : -1);

		if (mc.live && ref)
			json_object_object_add(js, "reread_matched",
					       json_object_new_int64((int64_t)mc.transient));
		json_object_object_add(doc, "summary", js);
		if (wrc)
			json_object_object_add(doc, "error", pcs_json_error(&err));
		sa_json_print_c(&c, doc);
		json_object_put(doc);
	} else {
		printf("summary: %" PRIu64 " rows, %" PRIu64 " pages cached (nrpages %" PRIu64
		       "), %" PRIu64 " present, %" PRIu64 " excluded from the dump, %" PRIu64
		       " not cached, %" PRIu64 " shadow, %" PRIu64 " errors, %" PRIu64
		       " inconsistent, %" PRIu64 " folios (%" PRIu64 " large)",
		       sum.rows, sum.present + sum.excluded + sum.errors + sum.inconsistent,
		       sum.nrpages, sum.present, sum.excluded, sum.not_cached, sum.shadow,
		       sum.errors, sum.inconsistent, sum.folios, sum.large_folios);
		if (ref)
			printf("; %" PRIu64 " differ from %s%s", mc.differing, ref,
			       ref_direct ? " (read with O_DIRECT)" : "");
		if (mc.live && ref)
			printf("; %" PRIu64 " differed at first and matched when read again",
			       mc.transient);
		printf("\n");
	}
	if (wrc) {
		fprintf(stderr, "pcsleuth md5: %s\n", err.msg);
		rc = sa_exit_for(wrc);
		if (rc == SA_EXIT_INCOMPLETE || rc == SA_EXIT_INPUT)
			rc = SA_EXIT_ANALYSIS;
	} else if (mc.differing || sum.inconsistent) {
		if (sum.inconsistent && !c.json)
			fprintf(stderr,
				"pcsleuth md5: %" PRIu64 " page-cache slot%s inconsistent (another "
				"file's folio, or one not covering the slot's index): not hashed\n",
				sum.inconsistent, sum.inconsistent == 1 ? " is" : "s are");
		rc = SA_EXIT_DIFF;
	} else if (sum.excluded || sum.errors) {
		if (!c.json)
			fprintf(stderr,
				"pcsleuth md5: %" PRIu64 " cached pages are not in the dump%s\n",
				sum.excluded + sum.errors,
				st->dump_level > 0 && (st->dump_level & 6)
				    ? " (makedumpfile dump level filters page cache)"
				    : "");
		rc = SA_EXIT_INCOMPLETE;
	} else {
		rc = SA_EXIT_OK;
	}
out:
	free(mc.refbuf);
	free(mc.fresh);
	if (mc.rf)
		pcs_reffile_close(mc.rf);
	pcs_refsrc_close(direct_src);
	sa_close(st);
out_fd:
	if (mc.ref_fd >= 0)
		close(mc.ref_fd);
	return rc;
}
