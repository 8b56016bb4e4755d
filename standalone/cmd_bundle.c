// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcsleuth bundle: what to attach to a bug report instead of the vmcore. Runs
 * report, md5, ptewalk and pgdump on the dump (each in a child process of this
 * binary, with --record), keeps their text and JSON, and writes vmcore.mini: an
 * ELF vmcore holding exactly the memory those analyses read, on which they give
 * the same results.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "mini_vmcore.h"
#include "refsrc.h"

static const char help[] =
    "usage: pcsleuth bundle VMCORE [-k VMLINUX] [PATH...] [--ref SOURCE [--at PREFIX]]\n"
    "                       -o DIR [--force] [--tar] [--json]\n"
    "\n"
    "Write an evidence bundle for a bug report into DIR: vmcore.mini (an ELF vmcore\n"
    "holding only the memory the analyses read: page tables, struct pages, XArray\n"
    "nodes, the inode/dentry/mount chain, the printk ring, the pcwatch capture record\n"
    "and the affected pages), report.txt, the JSON of each analysis (report.json,\n"
    "md5-N.json, ptewalk-N.json, pgdump-N.json, info.json, verify.json with --ref,\n"
    "files.json: the cached files of the PATHs' directory, not reproducible from\n"
    "vmcore.mini), bundle.json\n"
    "(what was run) and report.html (one self-contained page: page map of each file,\n"
    "byte diffs, decoded PTEs, oops and verdict). md5, report, ptewalk and pgdump on\n"
    "vmcore.mini print what they print on VMCORE; pages VMCORE lacks are absent from\n"
    "vmcore.mini too.\n"
    "\n"
    "The files examined (md5) are the PATHs given; else, with --ref, those verify\n"
    "finds differing or inconsistent; else those the pcwatch capture record names.\n"
    "The affected pages (ptewalk, pgdump) are their differing or inconsistent pages\n"
    "and the pages the capture record names.\n"
    "\n"
    "  -k, --vmlinux FILE   debug vmlinux of the dumped kernel (or $PCSLEUTH_VMLINUX)\n"
    "  -o, --output DIR     the bundle directory (created; must be empty unless --force)\n"
    "      --ref SOURCE     reference: directory, ext2/3/4 image or tar archive (as verify)\n"
    "      --at PREFIX      guest path the reference's root corresponds to (default /)\n"
    "      --force          write into an existing non-empty DIR (replacing its files)\n"
    "      --tar            write DIR.tar.xz (one compressed archive) instead of DIR\n"
    "      --no-verify, --dwarf  passed on to the analyses\n"
    "      --json           print a JSON summary instead of text\n"
    "exit: 0 bundle written, 2 usage, 3 unusable input (vmcore, vmlinux, reference, no\n"
    "      such PATH, DIR not writable or not empty), 4 an analysis failed\n";

static int bundle_error(struct sa_bundle *b, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bundle_error(struct sa_bundle *b, int status, const char *fmt, ...)
{
	va_list ap;

	(void)b;
	fputs("pcsleuth bundle: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* DIR: create it, or accept it empty (any content with --force). */
static int prepare_dir(struct sa_bundle *b, bool force)
{
	struct stat sb;

	if (stat(b->dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return bundle_error(b, SA_EXIT_INPUT, "%s exists and is not a directory",
					    b->dir);
		DIR *d = opendir(b->dir);
		struct dirent *e;
		bool empty = true;

		if (!d)
			return bundle_error(b, SA_EXIT_INPUT, "%s: %s", b->dir, strerror(errno));
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				empty = false;
		closedir(d);
		if (!empty && !force)
			return bundle_error(b, SA_EXIT_INPUT,
					    "%s exists and is not empty (use --force to write into "
					    "it)",
					    b->dir);
	} else if (mkdir(b->dir, 0755) == 0) {
		b->created_dir = true;
	} else {
		return bundle_error(b, SA_EXIT_INPUT, "cannot create %s: %s", b->dir,
				    strerror(errno));
	}
	char abs[PATH_MAX];

	if (snprintf(b->work, sizeof(b->work), "%s/.work", realpath(b->dir, abs) ? abs : b->dir) >=
	    (int)sizeof(b->work)) {
		if (b->created_dir)
			rm_tree(b->dir);
		return bundle_error(b, SA_EXIT_INPUT, "%s: path too long", b->dir);
	}
	rm_tree(b->work);
	if (mkdir(b->work, 0700) != 0 || access(b->dir, W_OK) != 0) {
		int e = errno;

		if (b->created_dir)
			rm_tree(b->dir);
		return bundle_error(b, SA_EXIT_INPUT, "cannot write into %s: %s", b->dir,
				    strerror(e));
	}
	return 0;
}

static void cleanup(struct sa_bundle *b, bool failed)
{
	if (b->work[0])
		rm_tree(b->work);
	if (failed && b->created_dir)
		rm_tree(b->dir);
}

/*
 * Run `pcsleuth NAME VMCORE ARGS... [-k VMLINUX] --record REC` with stdout to
 * DIR/OUT. ref: the guest path whose extracted reference ARGS name (for the
 * manifest, which records it as "@REF"). Returns the exit status (< 0: signal),
 * or -1000 when it could not be run (message printed).
 */
static int run(struct sa_bundle *b, const char *name, const char *out, const char *const *args,
	       int refpath, bool record, struct json_object **doc)
{
	char *argv[32], rec[PATH_MAX], errp[PATH_MAX], outp[PATH_MAX], cwd[PATH_MAX] = "";
	struct sa_bundle_run r = {.name = name};
	struct pcs_error err = {0};
	struct json_object *margs = json_object_new_array();
	int ac = 0;

	argv[ac++] = (char *)name;
	argv[ac++] = (char *)b->vmcore;
	json_object_array_add(margs, json_object_new_string(name));
	for (int i = 0; args[i] && ac < 24; i++) {
		bool is_ref = refpath && i > 0 && !strcmp(args[i - 1], "--ref");
		const char *slash = is_ref ? strrchr(args[i], '/') : NULL;

		/* The reference copy by its own name, from its directory: JSON says "firmware.bin".
		 */
		argv[ac++] = (char *)(slash ? slash + 1 : args[i]);
		if (slash)
			snprintf(cwd, sizeof(cwd), "%.*s", (int)(slash - args[i]), args[i]);

		json_object_array_add(margs, json_object_new_string(is_ref ? "@REF" : args[i]));
	}
	if (b->vmlinux) {
		argv[ac++] = "-k";
		argv[ac++] = (char *)b->vmlinux;
	}
	if (b->no_verify)
		argv[ac++] = "--no-verify";
	if (b->dwarf)
		argv[ac++] = "--dwarf";
	snprintf(rec, sizeof(rec), "%s/rec-%d", b->work, ++b->nrec);
	if (record) {
		argv[ac++] = "--record";
		argv[ac++] = rec;
	}
	argv[ac] = NULL;
	snprintf(errp, sizeof(errp), "%s/err-%d", b->work, b->nrec);
	path_in(outp, sizeof(outp), b->dir, out);
	if (sa_bundle_exec(argv, cwd[0] ? cwd : NULL, outp, errp, &r, &err)) {
		json_object_put(margs);
		fprintf(stderr, "pcsleuth bundle: %s: %s\n", name, err.msg);
		return -1000;
	}
	if ((r.status < 0 || r.status == SA_EXIT_USAGE) && strcmp(name, "report"))
		fprintf(stderr, "pcsleuth bundle: %s %s: %s\n", name,
			r.status < 0 ? "crashed" : "refused its arguments", r.errline);
	if (record && (r.status >= 0 && r.status != SA_EXIT_USAGE)) {
		if (sa_ranges_load(rec, &b->ranges, &err))
			fprintf(stderr, "pcsleuth bundle: %s: %s\n", name, err.msg);
		pcs_rangeset_normalize(&b->ranges);
	}
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "name", json_object_new_string(name));
	json_object_object_add(m, "file", json_object_new_string(out));
	json_object_object_add(m, "args", margs);
	if (refpath)
		json_object_object_add(m, "ref", json_object_new_string(b->paths[refpath - 1]));
	json_object_object_add(m, "exit", json_object_new_int(r.status));
	if (r.errline[0] && r.status != 0)
		json_object_object_add(m, "message", json_object_new_string(r.errline));
	json_object_array_add(b->runs, m);
	if (doc)
		*doc = strstr(out, ".json") ? json_object_from_file(outp) : NULL;
	return r.status;
}

static int analyses(struct sa_bundle *b, const char **explicit, int nexplicit)
{
	struct json_object *rep = NULL, *ver = NULL, *md5docs[SA_BUNDLE_MAX_PATHS] = {0};
	static const char *const json_only[] = {"--json", NULL};
	static const char *const none[] = {NULL};
	int st, rc = 0;

	st = run(b, "report", "report.json", json_only, 0, true, &rep);
	if (st == -1000 || st < 0 || st == SA_EXIT_USAGE || st == SA_EXIT_INPUT) {
		struct json_object *last =
		    json_object_array_get_idx(b->runs, json_object_array_length(b->runs) - 1);
		const char *msg = st == -1000 ? "could not run" : sa_bundle_jstr(last, "message");

		rc = bundle_error(b,
				  st == SA_EXIT_INPUT || st == SA_EXIT_USAGE ? SA_EXIT_INPUT
									     : SA_EXIT_ANALYSIS,
				  "report failed (%s); no bundle written", msg ? msg : "crashed");
		goto out;
	}
	run(b, "report", "report.txt", none, 0, true, NULL);
	run(b, "info", "info.json", json_only, 0, true, NULL);
	if (b->ref) {
		const char *va[] = {"--ref", b->ref, "--at", b->at, "--json", NULL};

		st = run(b, "verify", "verify.json", va, 0, false, &ver);
		if (st == SA_EXIT_INPUT || st < 0) {
			struct json_object *last = json_object_array_get_idx(
			    b->runs, json_object_array_length(b->runs) - 1);
			const char *msg =
			    st == -1000 ? "could not run" : sa_bundle_jstr(last, "message");

			rc = bundle_error(b, SA_EXIT_INPUT, "verify --ref %s failed (%s)", b->ref,
					  msg ? msg : "crashed");
			goto out;
		}
	}
	for (int i = 0; i < nexplicit; i++)
		sa_bundle_add_path(b, explicit[i]);
	if (!nexplicit && ver) {
		struct json_object *files = sa_bundle_jarr(ver, "files");

		for (size_t i = 0; files && i < json_object_array_length(files); i++) {
			struct json_object *f = json_object_array_get_idx(files, i);
			int64_t dif = 0, inc = 0, eof = 0;

			/* pages that differ or do not belong; not files merely not in the dump */
			sa_bundle_jint(f, "differing", &dif);
			sa_bundle_jint(f, "inconsistent", &inc);
			sa_bundle_jint(f, "beyond_eof", &eof);
			if (dif || inc || eof)
				sa_bundle_add_path(b, sa_bundle_jstr(f, "path"));
		}
	}
	struct json_object *hits = sa_bundle_jarr(rep, "hits");

	if (!nexplicit)
		for (size_t i = 0; hits && i < json_object_array_length(hits); i++)
			sa_bundle_add_path(
			    b, sa_bundle_jstr(json_object_array_get_idx(hits, i), "file"));
	if (b->npaths) {
		/*
		 * The cached files around them, for context. Not recorded: it walks every
		 * inode of every superblock (~8 MB of a 1 GiB guest), so vmcore.mini does not
		 * reproduce it.
		 */
		char prefix[PATH_MAX];
		const char *slash = strrchr(b->paths[0], '/');
		const char *fa[] = {prefix, "--json", NULL};

		if (b->ref && strcmp(b->at, "/"))
			snprintf(prefix, sizeof(prefix), "%s", b->at);
		else
			snprintf(prefix, sizeof(prefix), "%.*s",
				 slash && slash != b->paths[0] ? (int)(slash - b->paths[0]) : 1,
				 b->paths[0]);
		run(b, "files", "files.json", fa, 0, false, NULL);
	}
	for (int i = 0; i < b->npaths; i++) {
		char out[64];
		const char *ma[] = {b->paths[i], "--json", NULL, NULL, NULL};

		sa_bundle_extract_ref(b, i);
		if (b->reffile[i][0]) {
			ma[2] = "--ref";
			ma[3] = b->reffile[i];
		}
		snprintf(out, sizeof(out), "md5-%d.json", i + 1);
		st = run(b, "md5", out, ma, b->reffile[i][0] ? i + 1 : 0, true, &md5docs[i]);
		if (st == SA_EXIT_INPUT && i < nexplicit) {
			struct json_object *last = json_object_array_get_idx(
			    b->runs, json_object_array_length(b->runs) - 1);

			rc = bundle_error(b, SA_EXIT_INPUT, "%s: %s", b->paths[i],
					  sa_bundle_jstr(last, "message")
					      ? sa_bundle_jstr(last, "message")
					      : "not found in the dump");
			goto out;
		}
		sa_bundle_pages_from_md5(b, i + 1, md5docs[i]);
	}
	/* The capture record's pages and verify's differences. */
	for (size_t i = 0; hits && i < json_object_array_length(hits); i++) {
		struct json_object *h = json_object_array_get_idx(hits, i);
		int64_t pfn, index = -1, addr = 0;

		if (!sa_bundle_jint(h, "pfn", &pfn))
			continue;
		sa_bundle_jint(h, "index", &index);
		sa_bundle_jint(h, "addr", &addr);
		sa_bundle_add_page(b, (uint64_t)pfn, index,
				   sa_bundle_path_no(b, sa_bundle_jstr(h, "file")), (uint64_t)addr);
	}
	struct json_object *diffs = sa_bundle_jarr(ver, "differences");

	for (size_t i = 0; diffs && i < json_object_array_length(diffs); i++) {
		struct json_object *d = json_object_array_get_idx(diffs, i);
		int64_t pfn, index = -1;

		if (sa_bundle_jint(d, "pfn", &pfn) && sa_bundle_jint(d, "index", &index))
			sa_bundle_add_page(b, (uint64_t)pfn, index,
					   sa_bundle_path_no(b, sa_bundle_jstr(d, "path")), 0);
	}
	for (int i = 0; i < b->npages; i++) {
		struct sa_bundle_page *a = &b->pages[i];
		char out[64], vabuf[32], pfnbuf[32], idxbuf[32];

		if (!a->vaddr && a->pathno)
			sa_bundle_vaddr_from_md5(a, md5docs[a->pathno - 1]);
		if (a->vaddr) {
			const char *pa[] = {vabuf, "--json", NULL};

			snprintf(vabuf, sizeof(vabuf), "0x%" PRIx64, a->vaddr);
			snprintf(out, sizeof(out), "ptewalk-%d.json", i + 1);
			run(b, "ptewalk", out, pa, 0, true, NULL);
		}
		const char *ga[] = {"--pfn", pfnbuf, "--json", NULL, NULL, NULL, NULL, NULL};
		int refp = 0;

		snprintf(pfnbuf, sizeof(pfnbuf), "%" PRIu64, a->pfn);
		if (a->pathno && a->index >= 0 && b->reffile[a->pathno - 1][0]) {
			snprintf(idxbuf, sizeof(idxbuf), "%" PRId64, a->index);
			ga[3] = "--ref";
			ga[4] = b->reffile[a->pathno - 1];
			ga[5] = "--index";
			ga[6] = idxbuf;
			refp = a->pathno;
		}
		snprintf(out, sizeof(out), "pgdump-%d.json", i + 1);
		run(b, "pgdump", out, ga, refp, true, NULL);
	}
out:
	json_object_put(rep);
	json_object_put(ver);
	for (int i = 0; i < SA_BUNDLE_MAX_PATHS; i++)
		json_object_put(md5docs[i]);
	return rc;
}

static uint64_t file_size(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

int cmd_bundle(int argc, char **argv)
{
	enum { O_REF = 1, O_AT, O_FORCE, O_TAR };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"output", required_argument, NULL, 'o'},
	    {"ref", required_argument, NULL, O_REF},
	    {"at", required_argument, NULL, O_AT},
	    {"force", no_argument, NULL, O_FORCE},
	    {"tar", no_argument, NULL, O_TAR},
	    {0},
	};
	struct sa_common c = {0};
	struct sa_bundle *b = calloc(1, sizeof(*b));
	bool force = false, tar = false;
	int opt, rc = 0;

	if (!b)
		return bundle_error(NULL, SA_EXIT_ANALYSIS, "out of memory");
	b->at = "/";
	while ((opt = getopt_long(argc, argv, "hk:o:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(help, stdout);
			free(b);
			return 0;
		case 'o': b->dir = optarg; break;
		case O_REF: b->ref = optarg; break;
		case O_AT: b->at = optarg; break;
		case O_FORCE: force = true; break;
		case O_TAR: tar = true; break;
		default:
			if (opt == SA_OPT_RECORD || !sa_common_opt(&c, opt, optarg)) {
				free(b);
				return sa_usage_error("bundle", "bad option");
			}
		}
	}
	if (argc - optind < 1 || !b->dir) {
		free(b);
		return sa_usage_error("bundle",
				      argc - optind < 1 ? "expected VMCORE" : "-o DIR is required");
	}
	if (b->at[0] != '/') {
		const char *at = b->at;

		free(b);
		return sa_usage_error("bundle", "--at: '%s' is not an absolute guest path", at);
	}
	for (int i = optind + 1; i < argc; i++)
		if (argv[i][0] != '/') {
			free(b);
			return sa_usage_error("bundle", "PATH '%s' is not an absolute guest path",
					      argv[i]);
		}
	if (argc - optind - 1 > SA_BUNDLE_MAX_PATHS) {
		free(b);
		return sa_usage_error("bundle", "at most 256 PATHs");
	}
	/* Children may run in another directory: absolute paths for what they open. */
	b->vmcore = realpath(argv[optind], b->vmcore_abs) ? b->vmcore_abs : argv[optind];
	b->vmlinux = sa_default_vmlinux(c.vmlinux);
	if (b->vmlinux && realpath(b->vmlinux, b->vmlinux_abs))
		b->vmlinux = b->vmlinux_abs;
	b->json = c.json;
	b->no_verify = c.no_verify;
	b->dwarf = c.dwarf;

	struct pcs_error err = {0};
	struct sa_target *src = NULL;
	char tardir[PATH_MAX] = "", archive[PATH_MAX] = "";
	const char *final_dir = b->dir;

	/* The vmcore must open before anything is created. */
	if (sa_open(b->vmcore, NULL, 0, &src, &err)) {
		rc = bundle_error(
		    b, sa_exit_for(err.code) == SA_EXIT_USAGE ? SA_EXIT_INPUT : SA_EXIT_INPUT, "%s",
		    err.msg);
		free(b);
		return rc;
	}
	if (b->ref && pcs_refsrc_open(b->ref, &b->refsrc, &err)) {
		sa_close(src);
		free(b);
		return bundle_error(NULL, SA_EXIT_INPUT, "reference: %s", err.msg);
	}
	if (tar) {
		/* Build in DIR.tmp-PID, archive to DIR.tar.xz. */
		snprintf(archive, sizeof(archive), "%s.tar.xz", b->dir);
		snprintf(tardir, sizeof(tardir), "%s.tmp-%d", b->dir, (int)getpid());
		if (!force && access(archive, F_OK) == 0) {
			rc = bundle_error(b, SA_EXIT_INPUT, "%s exists (use --force to replace it)",
					  archive);
			goto done;
		}
		b->dir = tardir;
	}
	if ((rc = prepare_dir(b, force)))
		goto done;
	b->runs = json_object_new_array();
	rc = analyses(b, (const char **)argv + optind + 1, argc - optind - 1);
	if (rc)
		goto fail;

	char mini[PATH_MAX];
	struct sa_mini_stats ms;

	path_in(mini, sizeof(mini), b->dir, "vmcore.mini");
	if (sa_mini_vmcore_write(src, &b->ranges, mini, &ms, &err)) {
		rc = bundle_error(b,
				  sa_exit_for(err.code) == SA_EXIT_INCOMPLETE
				      ? SA_EXIT_ANALYSIS
				      : sa_exit_for(err.code),
				  "writing vmcore.mini: %s", err.msg);
		goto fail;
	}
	uint64_t vmsize = file_size(b->vmcore);
	struct json_object *man = json_object_new_object();
	struct json_object *paths = json_object_new_array();
	const char *slash = strrchr(b->vmcore, '/');

	for (int i = 0; i < b->npaths; i++)
		json_object_array_add(paths, json_object_new_string(b->paths[i]));
	json_object_object_add(man, "vmcore",
			       json_object_new_string(slash ? slash + 1 : b->vmcore));
	json_object_object_add(man, "vmcore_bytes", json_object_new_int64((int64_t)vmsize));
	json_object_object_add(man, "arch", json_object_new_string(pcs_arch_name(src->t.arch)));
	json_object_object_add(man, "osrelease", json_object_new_string(src->t.osrelease));
	json_object_object_add(man, "format", json_object_new_string(src->format));
	json_object_object_add(man, "mini", json_object_new_string("vmcore.mini"));
	json_object_object_add(man, "mini_bytes", json_object_new_int64((int64_t)ms.file_bytes));
	json_object_object_add(man, "mini_pages", json_object_new_int64((int64_t)ms.pages));
	json_object_object_add(man, "pages_not_in_dump", json_object_new_int64((int64_t)ms.absent));
	json_object_object_add(man, "segments", json_object_new_int64((int64_t)ms.segments));
	json_object_object_add(man, "paths", paths);
	json_object_object_add(man, "runs", json_object_get(b->runs));

	char mpath[PATH_MAX];

	path_in(mpath, sizeof(mpath), b->dir, "bundle.json");
	if (json_object_to_file_ext(mpath, man,
				    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)) {
		json_object_put(man);
		rc = bundle_error(b, SA_EXIT_INPUT, "%s: %s", mpath, strerror(errno));
		goto fail;
	}
	if (sa_bundle_html(b->dir, man, &err)) {
		json_object_put(man);
		rc = bundle_error(b, SA_EXIT_INPUT, "report.html: %s", err.msg);
		goto fail;
	}
	cleanup(b, false);
	if (tar) {
		if (sa_bundle_tar(b->dir, archive, &err)) {
			json_object_put(man);
			rc = bundle_error(b, SA_EXIT_INPUT, "%s", err.msg);
			rm_tree(b->dir);
			goto done;
		}
		rm_tree(b->dir);
		final_dir = archive;
	}
	double pct = vmsize ? 100.0 * (double)ms.file_bytes / (double)vmsize : 0;

	if (b->json) {
		json_object_object_add(man, "output", json_object_new_string(final_dir));
		if (tar)
			json_object_object_add(man, "archive_bytes",
					       json_object_new_int64((int64_t)file_size(archive)));
		sa_json_print(man);
	} else {
		printf("bundle: %s\n", final_dir);
		printf("vmcore.mini: %" PRIu64 " bytes (%.2f%% of %s), %" PRIu64
		       " pages in %" PRIu64 " segments, %" PRIu64 " pages not in the dump\n",
		       ms.file_bytes, pct, b->vmcore, ms.pages, ms.segments, ms.absent);
		for (int i = 0; i < b->npaths; i++)
			printf("file: %s\n", b->paths[i]);
		printf("affected pages: %d\n", b->npages);
		if (tar)
			printf("archive: %" PRIu64 " bytes\n", file_size(archive));
	}
	json_object_put(man);
	goto done;
fail:
	cleanup(b, true);
done:
	json_object_put(b->runs);
	pcs_rangeset_free(&b->ranges);
	for (int i = 0; i < b->npaths; i++)
		free(b->path_store[i]);
	pcs_refsrc_close(b->refsrc);
	sa_close(src);
	free(b);
	return rc;
}
