/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcsleuth bundle: the pieces shared by cmd_bundle.c, bundle_run.c and bundle_html.c. */
#ifndef SA_BUNDLE_H
#define SA_BUNDLE_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"

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

#endif
