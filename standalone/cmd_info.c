// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth info: what is this vmcore, and does the vmlinux match it? */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "crash_machdep.h"
#include "dump_src.h"
#include "kallsyms.h"

static const char help[] =
    "usage: pcsleuth info VMCORE [-k VMLINUX] [--json] [--no-verify] [--symbols]\n"
    "\n"
    "Describe a vmcore: format, architecture, kernel release, page size, makedumpfile\n"
    "dump level with its bits decoded (and a warning when page-cache pages were\n"
    "filtered out: bits 2/4), KASLR offset, BUILD-ID, and - with -k - whether the\n"
    "vmlinux matches the dump (BUILD-ID, else linux_banner/OSRELEASE), and where\n"
    "types and symbols come from: the vmlinux, or without -k the dump itself (the\n"
    "kernel's BTF found in its image, kallsyms from VMCOREINFO's tables or, before\n"
    "Linux 6.0, found in the kernel image by their structure). When the crash utility\n"
    "misreads the dump's memory layout, a \"crash:\" line gives the --machdep options\n"
    "that correct it (an arm64 kernel built for 52-bit VA, run with 48-bit VA).\n"
    "\n"
    "  -k, --vmlinux FILE   debug vmlinux of the dumped kernel\n"
    "      --no-verify      report a mismatching vmlinux instead of failing\n"
    "      --live           the running kernel (/proc/kcore; root) instead of VMCORE\n"
    "      --symbols        without -k: print the dump's kallsyms (ADDRESS TYPE NAME\n"
    "                       per line, like System.map) instead\n"
    "      --json           JSON output\n"
    "exit: 0 ok, 2 usage, 3 unusable vmcore / mismatching vmlinux\n";

static const char *const level_bits[5] = {
    "zero pages", "non-private cache pages", "private cache pages", "user pages", "free pages",
};

/* --symbols: the dump's own kallsyms, System.map style. */
static int print_symbols(struct sa_target *st, const struct sa_common *c)
{
	struct pcs_error err = {0};
	int rc = SA_EXIT_OK;

	if (st->vmlinux_path) {
		rc = sa_usage_error("info", "--symbols prints the dump's own kallsyms: without -k");
	} else if (sa_dump_symbols(st, &err)) {
		rc = sa_fail(c, "info", &err);
	} else {
		const struct pcs_kallsyms *ks = st->ksyms;

		for (size_t i = 0; i < ks->n; i++)
			printf("%016" PRIx64 " %c %s\n", ks->addr[i], ks->type[i],
			       ks->names + ks->name[i]);
	}
	sa_close(st);
	return rc;
}

int cmd_info(int argc, char **argv)
{
	enum { OPT_SYMBOLS = 0x200 };
	static const struct option lo[] = {
	    {"symbols", no_argument, NULL, OPT_SYMBOLS}, SA_COMMON_LONGOPTS, {0}};
	struct sa_common c = {0};
	struct sa_target *st;
	bool symbols = false;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "hk:", lo, NULL)) != -1) {
		if (opt == 'h') {
			fputs(help, stdout);
			return 0;
		}
		if (opt == OPT_SYMBOLS) {
			symbols = true;
			continue;
		}
		if (!sa_common_opt(&c, opt, optarg))
			return sa_usage_error("info", "bad option");
	}
	if (optind != argc - 1)
		return sa_usage_error("info", "expected one VMCORE");
	c.vmcore = argv[optind];
	/* info reports a mismatch rather than refusing */
	bool strict = !c.no_verify;

	c.no_verify = true;
	c.no_types = true;
	rc = sa_open_common(&c, "info", false, &st);
	if (rc)
		return rc;

	/* provenance: without -k, what the dump itself offers */
	struct pcs_error terr = {0}, serr = {0};

	if (symbols)
		return print_symbols(st, &c);
	if (!st->vmlinux_path) {
		sa_dump_symbols(st, &serr);
		if (!st->kc)
			sa_dump_types(st, &terr); /* terr says why not */
		else if (!st->types)
			sa_live_types(st, &terr);
	} else {
		snprintf(st->types_from, sizeof(st->types_from), "vmlinux (%s)",
			 c.dwarf ? "DWARF" : "BTF, else DWARF");
	}
	/* the data roots the analyses use that kallsyms lacks (KALLSYMS_ALL=n): derived */
	static const char *const roots[] = {
	    "init_task", "super_blocks", "modules",	     "_text",
	    "_end",	 "__init_end",	 "__per_cpu_offset", "runqueues"};
	struct json_object *jroots = json_object_new_object();
	char troots[1024] = "";

	for (size_t i = 0; !st->vmlinux_path && st->ksyms && i < sizeof(roots) / sizeof(*roots);
	     i++) {
		uint64_t a;
		struct pcs_error re = {0};
		char v[240];
		size_t l = strlen(troots);

		if (pcs_kallsyms_lookup(st->ksyms, roots[i], &a))
			continue;
		if (sa_dump_root(st, roots[i], &a, &re) == PCS_OK)
			snprintf(v, sizeof(v), "0x%" PRIx64, a);
		else
			snprintf(v, sizeof(v), "not derived: %.200s", re.msg);
		json_object_object_add(jroots, roots[i], json_object_new_string(v));
		snprintf(troots + l, sizeof(troots) - l, "               %s %s\n", roots[i], v);
	}
	const char *types_from = st->types_from[0] ? st->types_from : "none";
	const char *syms_from = st->syms_from[0] ? st->syms_from : "VMCOREINFO only";

	char levels[160] = "";
	bool cache_filtered = false;

	if (st->dump_level >= 0) {
		for (int b = 0; b < 5; b++) {
			if (!(st->dump_level & (1 << b)))
				continue;
			if (levels[0])
				strcat(levels, ", ");
			strcat(levels, level_bits[b]);
		}
		cache_filtered = st->dump_level & (2 | 4);
	}
	uint64_t ncpus = 0;
	kdump_num_t n;

	if (st->kd && kdump_get_number_attr(st->kd, KDUMP_ATTR_NUM_CPUS, &n) == KDUMP_OK)
		ncpus = n;
	else if (st->kc)
		ncpus = (uint64_t)sysconf(_SC_NPROCESSORS_ONLN);
	char crashtime[64] = "";

	pcs_vmcoreinfo(&st->t, "CRASHTIME", crashtime, sizeof(crashtime), NULL);
	const char *match = !st->vmlinux_path		? "no vmlinux given"
			    : st->match == SA_MATCH_YES ? "matches"
			    : st->match == SA_MATCH_NO	? "DOES NOT MATCH"
							: "unknown";
	char warn[256] = "", kvhow[300];

	sa_kvaddr_how(st, kvhow, sizeof(kvhow));
	struct pcs_crash_machdep md;
	struct pcs_error merr = {0};

	if (pcs_crash_machdep(&st->t, st->t.kernel_version, &md, &merr))
		md.args[0] = '\0'; /* no linear map: "kernel VA" above says why */

	const char *note =
	    st->elf_holes ? "this ELF dump was filtered (makedumpfile -E -d N; the level is not "
			    "recorded): memory without file data is reported as not in the dump, "
			    "never as zeros; `pcsleuth files` shows which cached pages it holds"
			  : NULL;
	if (cache_filtered)
		snprintf(warn, sizeof(warn),
			 "dump level %d filters page-cache pages (bit %s): file contents are NOT "
			 "in this dump",
			 st->dump_level,
			 (st->dump_level & 6) == 6 ? "2+4"
			 : (st->dump_level & 2)	   ? "2"
						   : "4");

	if (c.json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "vmcore", json_object_new_string(st->vmcore_path));
		json_object_object_add(o, "format", json_object_new_string(st->format));
		json_object_object_add(o, "arch",
				       json_object_new_string(pcs_arch_name(st->t.arch)));
		json_object_object_add(o, "osrelease", json_object_new_string(st->t.osrelease));
		json_object_object_add(o, "page_size", json_object_new_int64(st->t.page_size));
		json_object_object_add(o, "dump_level",
				       st->dump_level >= 0 ? json_object_new_int(st->dump_level)
							   : NULL);
		struct json_object *bits = json_object_new_array();

		for (int b = 0; b < 5 && st->dump_level >= 0; b++)
			if (st->dump_level & (1 << b))
				json_object_array_add(bits, json_object_new_string(level_bits[b]));
		json_object_object_add(o, "excluded", bits);
		json_object_object_add(o, "page_cache_filtered",
				       json_object_new_boolean(cache_filtered));
		json_object_object_add(o, "elf_filtered", json_object_new_boolean(st->elf_holes));
		if (note)
			json_object_object_add(o, "note", json_object_new_string(note));
		char kaslr[32];

		snprintf(kaslr, sizeof(kaslr), "0x%" PRIx64, st->kaslr_offset);
		json_object_object_add(o, "kaslr_offset", json_object_new_string(kaslr));
		json_object_object_add(o, "build_id", json_object_new_string(st->build_id));
		json_object_object_add(o, "cpus", json_object_new_int64((int64_t)ncpus));
		if (crashtime[0])
			json_object_object_add(o, "crashtime", json_object_new_string(crashtime));
		if (st->vmlinux_path) {
			json_object_object_add(o, "vmlinux",
					       json_object_new_string(st->vmlinux_path));
			json_object_object_add(o, "vmlinux_match", json_object_new_string(match));
			json_object_object_add(o, "vmlinux_match_how",
					       json_object_new_string(st->match_how));
			json_object_object_add(
			    o, "types",
			    json_object_new_string(st->types ? st->types->kind : "none"));
		}
		json_object_object_add(o, "types_from", json_object_new_string(types_from));
		if (terr.msg[0])
			json_object_object_add(o, "types_error", json_object_new_string(terr.msg));
		json_object_object_add(o, "symbols_from", json_object_new_string(syms_from));
		if (serr.msg[0])
			json_object_object_add(o, "symbols_error",
					       json_object_new_string(serr.msg));
		json_object_object_add(o, "derived_roots", jroots);
		json_object_object_add(o, "kvaddr_translation", json_object_new_string(kvhow));
		json_object_object_add(o, "crash_machdep", json_object_new_string(md.args));
		jroots = NULL;
		struct json_object *w = json_object_new_array();

		if (warn[0])
			json_object_array_add(w, json_object_new_string(warn));
		json_object_object_add(o, "warnings", w);
		sa_json_print_c(&c, o);
		json_object_put(o);
	} else {
		printf("vmcore:        %s\n", st->vmcore_path);
		printf("format:        %s\n", st->format);
		printf("arch:          %s\n", pcs_arch_name(st->t.arch));
		printf("release:       %s\n", st->t.osrelease);
		printf("page size:     %u\n", st->t.page_size);
		if (st->dump_level >= 0)
			printf("dump level:    %d (excluded: %s)\n", st->dump_level,
			       levels[0] ? levels : "nothing");
		else if (st->kc)
			printf("dump level:    none (the running kernel: all memory readable)\n");
		else
			printf("dump level:    unknown (%s dumps do not record it)\n", st->format);
		printf("cpus:          %" PRIu64 "\n", ncpus);
		if (crashtime[0]) {
			time_t ct = (time_t)strtoll(crashtime, NULL, 10);
			struct tm tm;
			char when[64] = "";

			if (ct > 0 && gmtime_r(&ct, &tm))
				strftime(when, sizeof(when), " (%Y-%m-%d %H:%M:%S UTC)", &tm);
			printf("crash time:    %s%s\n", crashtime, when);
		}
		printf("kaslr offset:  0x%" PRIx64 "\n", st->kaslr_offset);
		printf("build-id:      %s\n",
		       st->build_id[0] ? st->build_id : "(not in VMCOREINFO)");
		if (st->vmlinux_path) {
			printf("vmlinux:       %s: %s (%s)\n", st->vmlinux_path, match,
			       st->match_how);
		} else {
			printf("vmlinux:       not given (-k VMLINUX to check it)\n");
		}
		printf("types:         %s\n", terr.msg[0] ? terr.msg : types_from);
		printf("symbols:       %s\n", serr.msg[0] ? serr.msg : syms_from);
		if (troots[0])
			printf("derived roots:\n%s", troots);
		printf("kernel VA:     %s\n", kvhow);
		if (md.args[0])
			printf("crash:         crash %s VMLINUX VMCORE (%s)\n", md.args, md.why);
		if (note)
			printf("note: %s\n", note);
		if (warn[0])
			printf("WARNING: %s\n", warn);
	}
	json_object_put(jroots);
	rc = 0;
	if (strict && st->vmlinux_path && st->match == SA_MATCH_NO) {
		fprintf(stderr, "pcsleuth info: vmlinux %s does not match the dump (%s)\n",
			st->vmlinux_path, st->match_how);
		rc = SA_EXIT_INPUT;
	}
	sa_close(st);
	return rc;
}
