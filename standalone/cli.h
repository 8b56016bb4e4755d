/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared pieces of the pcsleuth command line: exit statuses, errors, output. */
#ifndef SA_CLI_H
#define SA_CLI_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "kernel.h"
#include "sa_target.h"

/*
 * Exit statuses (documented in --help and docs/pcsleuth.1):
 *   0  success; md5 --ref: every page in the dump matches the reference
 *   1  md5 --ref / pgdump --ref: differences found; md5 / files: inconsistent
 *      page-cache slots; files --memmap: census anomalies
 *   2  usage error (bad option or argument)
 *   3  unusable input: vmcore or vmlinux unreadable, truncated, wrong format,
 *      vmlinux does not match the dump, file/inode not found
 *   4  analysis failed: kernel data in the dump corrupt or unreadable
 *   5  incomplete: some needed pages are not in the dump (filtered by makedumpfile);
 *      no differences among the pages that are
 */
enum {
	SA_EXIT_OK = 0,
	SA_EXIT_DIFF = 1,
	SA_EXIT_USAGE = 2,
	SA_EXIT_INPUT = 3,
	SA_EXIT_ANALYSIS = 4,
	SA_EXIT_INCOMPLETE = 5,
};

struct sa_common {
	const char *vmcore;
	const char *vmlinux;
	bool json;
	bool no_verify;
	bool dwarf;
	bool colour;
	bool no_types;	    /* info: symbols and build-id only */
	bool no_cache;	    /* --no-cache: the per-kernel cache neither read nor written */
	const char *record; /* --record FILE: write the physical ranges read (bundle) */
	bool read_once;	    /* pages are read once (verify): SA_READ_ONCE */
	bool live;	    /* --live (main() also makes /proc/kcore the VMCORE) */
};

/* Exit status for an error code. */
int sa_exit_for(enum pcs_errcode code);
/* Print "pcsleuth: CMD: msg" on stderr (and a JSON error object with --json); returns exit. */
int sa_fail(const struct sa_common *c, const char *cmd, const struct pcs_error *err);
int sa_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Open the target for c; prints the error itself. Returns 0 or an exit status. */
int sa_open_common(const struct sa_common *c, const char *cmd, bool need_vmlinux,
		   struct sa_target **st);
/* Print a JSON document on stdout. */
void sa_json_print(struct json_object *o);
/* Is c's VMCORE the running kernel (--live, or /proc/kcore given)? */
bool sa_live(const struct sa_common *c);
/*
 * Live mode: should a walk that failed with rc (a structure changing under the
 * reader: corrupt, unreadable) be run again? Says so on stderr. At most
 * SA_LIVE_ATTEMPTS attempts; never for a vmcore.
 */
#define SA_LIVE_ATTEMPTS 4
bool sa_live_retry(const struct sa_common *c, const char *cmd, enum pcs_errcode rc,
		   const struct pcs_error *err, int attempt);
/* sa_json_print() with "source": "live" or "dump" added to the object o. */
void sa_json_print_c(const struct sa_common *c, struct json_object *o);
/*
 * main(): --live puts /proc/kcore in as the VMCORE argument (after the command
 * name), unless it is given already. Returns the new argv (argc updated), or argv.
 */
char **sa_live_argv(int *argc, char **argv);
/* Parse a number (0x.. hex, decimal). false if not a number. */
bool sa_parse_u64(const char *s, uint64_t *v);
/* -j N / --jobs N: 1..256 worker threads. false if not such a number. */
bool sa_parse_jobs(const char *s, unsigned int *n);
/* Default vmlinux from $PCSLEUTH_VMLINUX if -k not given. */
const char *sa_default_vmlinux(const char *given);

/* Common long options, values >= 1000. */
#define SA_OPT_JSON	 1000
#define SA_OPT_NO_VERIFY 1001
#define SA_OPT_DWARF	 1002
#define SA_OPT_RECORD	 1003
#define SA_OPT_LIVE	 1004
#define SA_OPT_NO_CACHE	 1005
#define SA_OPT_HELP	 'h'
#define SA_COMMON_LONGOPTS                                                                         \
	{"json", no_argument, NULL, SA_OPT_JSON}, {"vmlinux", required_argument, NULL, 'k'},       \
	    {"no-verify", no_argument, NULL, SA_OPT_NO_VERIFY},                                    \
	    {"dwarf", no_argument, NULL, SA_OPT_DWARF},                                            \
	    {"record", required_argument, NULL, SA_OPT_RECORD},                                    \
	    {"live", no_argument, NULL, SA_OPT_LIVE},                                              \
	    {"no-cache", no_argument, NULL, SA_OPT_NO_CACHE},                                      \
	{                                                                                          \
		"help", no_argument, NULL, 'h'                                                     \
	}
/* Handle a common option; returns true if consumed. */
bool sa_common_opt(struct sa_common *c, int opt, const char *arg);

int cmd_info(int argc, char **argv);
int cmd_files(int argc, char **argv);
int cmd_md5(int argc, char **argv);
int cmd_pgdump(int argc, char **argv);
int cmd_ptewalk(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_bundle(int argc, char **argv);

/* files --memmap: the page-cache census of k's dump; PREFIX filters the files listed. */
int sa_files_memmap(const struct sa_common *c, const struct pcs_kernel *k, const char *prefix);
int cmd_refs(int argc, char **argv);

#endif
