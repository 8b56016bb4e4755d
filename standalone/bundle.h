/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcsleuth bundle: the pieces shared by cmd_bundle.c, bundle_run.c and bundle_html.c. */
#ifndef SA_BUNDLE_H
#define SA_BUNDLE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include <limits.h>
#include <stdint.h>

#include "error.h"
#include "recorder.h"
#include "refsrc.h"

/* One analysis run by the bundle: pcsleuth ARGS... VMCORE with --record. */
struct sa_bundle_run {
	const char *name;  /* "report", "md5", "ptewalk", "pgdump", "verify" */
	char out[64];	   /* file in the bundle directory holding its stdout */
	int status;	   /* exit status; -signal when killed */
	char errline[512]; /* last line of its stderr */
};

/*
 * Run this pcsleuth binary on argv (argv[0] is the command name, NULL-terminated)
 * in directory cwd (NULL: this one) with stdout to outpath and stderr to errpath.
 * Fills r->status and r->errline.
 */
enum pcs_errcode sa_bundle_exec(char *const argv[], const char *cwd, const char *outpath,
				const char *errpath, struct sa_bundle_run *r,
				struct pcs_error *err);

/* Write DIR/report.html from the JSON documents in dir (bundle.json names them). */
enum pcs_errcode sa_bundle_html(const char *dir, struct json_object *manifest,
				struct pcs_error *err);

/* Write the files of dir (not subdirectories) into a compressed tar archive. */
enum pcs_errcode sa_bundle_tar(const char *dir, const char *archive, struct pcs_error *err);

#define SA_BUNDLE_MAX_PAGES 16
#define SA_BUNDLE_MAX_PATHS 256

/* A page to walk (ptewalk) and dump (pgdump). */
struct sa_bundle_page {
	uint64_t pfn;
	int64_t index; /* -1: unknown */
	int pathno;    /* 1-based into paths, 0: none */
	uint64_t vaddr;
};

/* One bundle being written (cmd_bundle.c). */
struct sa_bundle {
	const char *vmcore, *vmlinux, *ref, *at, *dir;
	char vmcore_abs[PATH_MAX], vmlinux_abs[PATH_MAX];
	char work[2048];
	bool created_dir, json, no_verify, dwarf;
	struct pcs_refsrc *refsrc;
	struct json_object *runs; /* manifest "runs" */
	int nrec;
	struct pcs_rangeset ranges;
	const char *paths[SA_BUNDLE_MAX_PATHS];
	char *path_store[SA_BUNDLE_MAX_PATHS];
	char reffile[SA_BUNDLE_MAX_PATHS]
		    [PATH_MAX]; /* extracted reference of paths[i], "" if none */
	int npaths;
	struct sa_bundle_page pages[SA_BUNDLE_MAX_PAGES];
	int npages;
};

/* JSON accessors that accept a missing object: NULL / false when absent. */
const char *sa_bundle_jstr(struct json_object *o, const char *k);
bool sa_bundle_jint(struct json_object *o, const char *k, int64_t *out); /* number or "0x.." */
struct json_object *sa_bundle_jarr(struct json_object *o, const char *k);

/* The files (md5) and the affected pages (ptewalk, pgdump), deduplicated. */
void sa_bundle_add_path(struct sa_bundle *b, const char *p);
int sa_bundle_path_no(struct sa_bundle *b, const char *p); /* 1-based, 0: not a bundled file */
void sa_bundle_add_page(struct sa_bundle *b, uint64_t pfn, int64_t index, int pathno,
			uint64_t vaddr);
/* Differing and inconsistent pages of an md5 document. */
void sa_bundle_pages_from_md5(struct sa_bundle *b, int pathno, struct json_object *doc);
/* a's linear-map address from the md5 row of its pfn. */
void sa_bundle_vaddr_from_md5(struct sa_bundle_page *a, struct json_object *doc);
/* Copy the reference of paths[i] out of --ref into the work directory (reffile[i]). */
void sa_bundle_extract_ref(struct sa_bundle *b, int i);

#endif
