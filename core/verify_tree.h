/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * verify over a whole tree: every cached regular file under a guest prefix
 * against a reference source (core/refsrc.h), with the output both front ends
 * print (text to a FILE, or one JSON document in the core/json.h schema).
 * Files come from every superblock's inode list and from the memory-map census
 * (core/census.h), which also reports folios that claim a verified file but are
 * not in its i_pages (orphans: a stale or corrupted slot).
 *
 *	struct pcs_verify_tree_opts o = { .at = "/data", .out = stdout };
 *	rc = pcs_verify_tree(&k, &fs, src, "data.img", &o, &tot, &doc, &err);
 *
 * JSON document:
 *   {"ref":{"source":S,"kind":"ext4 image"},"at":"/data",
 *    "differences":[{"path","index","offset","file_offset","length","vmcore","ref",
 *                    "pfn","paddr"}],
 *    "files":[{"path","status","inode","ino","mapping","size","ref_size","nrpages",
 *              "cached","compared","differing","beyond_eof","excluded","inconsistent",
 *              "errors","ranges","bytes"["why"]}],
 *    "anomalies":[{"path","kind":"orphan"|"not-inode"|"tree","index","page","pfn","why"}],
 *    ["census_error": why the memory-map census could not be taken,]
 *    "summary":{"files","files_compared","files_missing_from_ref","files_differing",
 *               "files_size_differs","files_without_path","files_from_memmap_only",
 *               "anomalies","pages_cached",
 *               "pages_compared","pages_differing","ranges","bytes","pages_beyond_eof",
 *               "pages_excluded","pages_inconsistent","pages_unreadable",
 *               "page_cache_in_dump"}}
 * file status: match, differs, inconsistent, size-differs, beyond-eof, incomplete,
 * missing-ref, ref-error, error.
 */
#ifndef PCS_VERIFY_TREE_H
#define PCS_VERIFY_TREE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "fs.h"
#include "kernel.h"
#include "refsrc.h"
#include "verify.h"

struct pcs_exec;

struct pcs_verify_tree_opts {
	const char *at;	   /* guest prefix the reference's root stands for ("/") */
	bool json;	   /* build *doc instead of printing text */
	bool verbose;	   /* text: list matching files too */
	FILE *out;	   /* text output */
	FILE *progress;	   /* a "\r" progress line per file (a terminal), or NULL */
	const char *label; /* "pcsleuth verify" / "pcverify" for messages */
	/*
	 * Workers for the comparison (core/exec.h), or NULL: one thread. The output is
	 * the same either way: files are cut into jobs of a few hundred cached pages,
	 * whose results are reported in file and index order.
	 */
	const struct pcs_exec *exec;
	bool reread; /* live memory: re-read a differing page before reporting it */
};

struct pcs_verify_totals {
	uint64_t files, compared_files, missing, differing_files, size_mismatch, no_path;
	uint64_t census_only; /* files only the memory map knows (no superblock list has them) */
	uint64_t anomalies;   /* folios claiming a verified file that its i_pages lacks */
	uint64_t cached, compared, differing, ranges, bytes, beyond_eof, excluded, inconsistent,
	    errors, reread_matched;
	bool found;    /* differences, size mismatches, pages past EOF, inconsistent slots or
			  anomalies */
	bool no_cache; /* pages were cached but the dump holds none that could be compared */
};

/*
 * Verify every cached regular file under o->at. Fails only when the file list
 * cannot be built (superblock/inode lists unreadable); per-file problems are
 * results. With o->json, *doc receives the document (caller puts it).
 */
enum pcs_errcode pcs_verify_tree(const struct pcs_kernel *k, const struct pcs_fs *fs,
				 struct pcs_refsrc *src, const char *ref_spec,
				 const struct pcs_verify_tree_opts *o,
				 struct pcs_verify_totals *tot, struct json_object **doc,
				 struct pcs_error *err);

#endif /* PCS_VERIFY_TREE_H */
