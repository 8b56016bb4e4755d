// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth verify: every cached page of every file under a prefix against a reference. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fs.h"
#include "kernel.h"
#include "refsrc.h"
#include "verify_tree.h"
#include "workpool.h"

static const char help[] =
    "usage: pcsleuth verify VMCORE [-k VMLINUX] --ref SOURCE [--at GUEST_PREFIX] [-j N] [--json]\n"
    "       pcsleuth verify --live [-k VMLINUX] (--ref SOURCE | --ref-direct) [--at PREFIX] ...\n"
    "\n"
    "Compare every cached page of every regular file under GUEST_PREFIX (default /)\n"
    "with a reference copy, without knowing in advance which file is corrupt.\n"
    "SOURCE is a directory, an ext2/3/4 image (read with libext2fs, no mount) or a tar\n"
    "archive (libarchive; compressed too); the file GUEST_PREFIX/REL is compared with\n"
    "SOURCE's REL. Files are found through every superblock's inode list, so files no\n"
    "process has open are verified too.\n"
    "\n"
    "Text output: one line per differing byte range (path, page index, file offset,\n"
    "length, bytes in memory vs reference), then one line per file that is not clean\n"
    "(missing from the reference, size differs, pages past the reference's end, pages\n"
    "not in the dump, inconsistent slots) and a summary.\n"
    "\n"
    "  -k, --vmlinux FILE   debug vmlinux of the dumped kernel (or $PCSLEUTH_VMLINUX;\n"
    "                       without it: the dump's own BTF and kallsyms)\n"
    "      --ref SOURCE     reference: directory, ext2/3/4 image or tar archive\n"
    "      --at PREFIX      guest path the reference's root corresponds to (default /)\n"
    "      --live           the running kernel (/proc/kcore; root); a differing page is\n"
    "                       read again before it is reported, a walk that meets a\n"
    "                       structure changing under it is retried\n"
    "      --ref-direct     with --live: the reference is each file under PREFIX itself,\n"
    "                       read with O_DIRECT (bypassing the page cache); a file system\n"
    "                       that refuses O_DIRECT (tmpfs) is reported per file\n"
    "  -v, --verbose        also list the files that match\n"
    "  -j, --jobs N         compare on N threads (default: the CPUs online; 1: no\n"
    "                       threads); the output is the same for every N\n"
    "      --json           {\"differences\":[...],\"files\":[...],\"summary\":{...}}\n"
    "exit: 0 every cached page matches, 1 differences found (bytes, sizes, pages past the\n"
    "      reference's end, inconsistent slots), 2 usage, 3 unusable input (vmcore,\n"
    "      vmlinux or reference), 4 kernel data unreadable, 5 no differences but cached\n"
    "      pages are not in the dump\n";

int cmd_verify(int argc, char **argv)
{
	enum { O_REF = 1, O_AT, O_REF_DIRECT };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"ref", required_argument, NULL, O_REF},
	    {"at", required_argument, NULL, O_AT},
	    {"ref-direct", no_argument, NULL, O_REF_DIRECT},
	    {"verbose", no_argument, NULL, 'v'},
	    {"jobs", required_argument, NULL, 'j'},
	    {0},
	};
	struct sa_common c = {0};
	struct pcs_verify_tree_opts o = {.at = "/", .out = stdout};
	const char *ref = NULL;
	unsigned int jobs = sa_default_jobs();
	bool ref_direct = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "hk:vj:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case 'v': o.verbose = true; break;
		case 'j':
			if (!sa_parse_jobs(optarg, &jobs))
				return sa_usage_error("verify", "-j: a number of threads, 1..256");
			break;
		case O_REF: ref = optarg; break;
		case O_AT: o.at = optarg; break;
		case O_REF_DIRECT: ref_direct = true; break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("verify", "bad option");
		}
	}
	if (argc - optind != 1)
		return sa_usage_error("verify", "expected one VMCORE");
	c.vmcore = argv[optind];
	if (ref_direct && !sa_live(&c))
		return sa_usage_error("verify",
				      "--ref-direct reads the live files: it needs --live");
	if (ref_direct && ref)
		return sa_usage_error("verify", "--ref and --ref-direct exclude each other");
	if (!ref && !ref_direct)
		return sa_usage_error("verify",
				      "--ref SOURCE (or --live --ref-direct) is required");
	if (o.at[0] != '/')
		return sa_usage_error("verify", "--at: '%s' is not an absolute guest path", o.at);
	if (ref_direct)
		ref = o.at;
	o.reread = sa_live(&c);
	o.json = c.json;
	o.progress = !c.json && isatty(STDERR_FILENO) ? stderr : NULL;

	struct pcs_error err = {0};
	struct pcs_refsrc *src = NULL;

	if (ref_direct ? pcs_refsrc_open_direct(ref, &src, &err)
		       : pcs_refsrc_open(ref, &src, &err)) {
		pcs_error_wrap(&err, "reference");
		sa_fail(&c, "verify", &err);
		return SA_EXIT_INPUT; /* whatever went wrong, the reference is unusable */
	}
	struct sa_target *st;

	c.read_once = true; /* pages are read once: a small libkdumpfile cache */
	if ((rc = sa_open_common(&c, "verify", true, &st))) {
		pcs_refsrc_close(src);
		return rc;
	}
	struct pcs_kernel k;
	struct pcs_fs fs;
	struct pcs_verify_totals tot;
	struct json_object *doc = NULL;
	struct sa_workpool *wp = NULL;

	if (sa_workpool_new(st, jobs, SA_READ_ONCE_CACHE_PAGES, &wp, &err)) {
		rc = sa_fail(&c, "verify", &err);
		goto out;
	}
	o.exec = sa_workpool_exec(wp);
	enum pcs_errcode vrc = PCS_OK;

	for (int attempt = 1;; attempt++) {
		vrc = pcs_kernel_init(&k, &st->t, &err);
		if (!vrc)
			vrc = pcs_fs_init(&fs, &k, &err);
		if (!vrc)
			vrc = pcs_verify_tree(&k, &fs, src, ref, &o, &tot, &doc, &err);
		if (!sa_live_retry(&c, "verify", vrc, &err, attempt))
			break;
		if (!c.json)
			printf("(restarted: the kernel changed a structure under the walk)\n");
		if (doc)
			json_object_put(doc);
		doc = NULL;
	}
	if (vrc) {
		rc = sa_fail(&c, "verify", &err);
		if (rc == SA_EXIT_INCOMPLETE || rc == SA_EXIT_INPUT)
			rc = SA_EXIT_ANALYSIS;
		goto out;
	}
	if (!tot.compared_files && tot.files) {
		/* every file is missing from the reference: the wrong --at or reference */
		if (doc)
			sa_json_print_c(&c, doc);
		if (ref_direct)
			fprintf(stderr,
				"pcsleuth verify: none of the %" PRIu64 " cached files under %s "
				"could be read with O_DIRECT: no independent reference\n",
				tot.files, o.at);
		else
			fprintf(stderr,
				"pcsleuth verify: none of the %" PRIu64
				" cached files under %s is in the "
				"reference %s (wrong --at?)\n",
				tot.files, o.at, ref);
		rc = SA_EXIT_INPUT;
		goto out_doc;
	}
	if (doc) {
		sa_json_print_c(&c, doc);
	} else if (tot.no_cache) {
		printf("the page cache is not in this dump%s: nothing could be compared\n",
		       st->dump_level > 0 && (st->dump_level & 6)
			   ? " (makedumpfile dump level filters page cache)"
			   : "");
	}
	if (tot.found)
		rc = SA_EXIT_DIFF;
	else if (tot.excluded || tot.errors)
		rc = SA_EXIT_INCOMPLETE;
	else
		rc = SA_EXIT_OK;
out_doc:
	if (doc)
		json_object_put(doc);
out:
	sa_workpool_free(wp);
	sa_close(st);
	pcs_refsrc_close(src);
	return rc;
}
