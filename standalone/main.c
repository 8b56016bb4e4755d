// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth: offline page-cache forensics on a vmcore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "version.h"

static const char usage[] =
    "usage: pcsleuth COMMAND [OPTIONS] ...\n"
    "\n"
    "Find who corrupted the Linux page cache, from a vmcore (kdump-compressed or ELF)\n"
    "and the kernel's debug vmlinux (-k; or $PCSLEUTH_VMLINUX). Without -k, types and\n"
    "symbols come from the dump itself: the kernel's BTF (CONFIG_DEBUG_INFO_BTF) and its\n"
    "kallsyms (VMCOREINFO, Linux 6.0+; older kernels: found in the kernel image);\n"
    "`pcsleuth info VMCORE` says what it found. Both are cached per kernel build in\n"
    "$PCSLEUTH_KERNEL_CACHE (\"off\": none), else $XDG_CACHE_HOME/pcsleuth/kernels, else\n"
    "~/.cache/pcsleuth/kernels; --no-cache (any command) neither reads nor writes it.\n"
    "\n"
    "commands:\n"
    "  info     VMCORE [-k VMLINUX]            format, arch, release, dump level, vmlinux match\n"
    "  files    VMCORE [-k VMLINUX] [PREFIX]   cached files: path, inode, size, pages cached/in "
    "dump\n"
    "  files    VMCORE [-k VMLINUX] --memmap   the census from the memory map, with anomalies\n"
    "  md5      VMCORE [-k VMLINUX] (PATH | --inode A | --mapping A) [--ref FILE] [--hash "
    "md5|sha256]\n"
    "                                          per-page hashes of a cached file, diff against a "
    "reference\n"
    "  pgdump   VMCORE (--pfn N | --paddr A | --vaddr A) [--ref FILE --index I]\n"
    "                                          hex + ASCII dump of one page, differing bytes "
    "marked\n"
    "  refs     VMCORE [-k VMLINUX] (--pfn N | --paddr A | --vaddr A) [--len N] [--depth N]\n"
    "           [-j N]\n"
    "                                          who still points into a page: slab objects,\n"
    "                                          modules, symbols, stacks, page tables\n"
    "  ptewalk  VMCORE VADDR [--pid P | --mm A] [-k VMLINUX]   page-table walk, every field "
    "decoded\n"
    "  ptewalk  --decode VALUE [--arch arm64|x86_64] [--level pte|pmd|pud|p4d|pgd]  (no dump)\n"
    "  report   VMCORE [-k VMLINUX]             the pcwatch capture: stray write, writer, oops "
    "text\n"
    "  verify   VMCORE [-k VMLINUX] --ref SOURCE [--at PREFIX] [-j N]\n"
    "                                          every cached page under PREFIX against a "
    "directory,\n"
    "                                          ext2/3/4 image or tar archive\n"
    "  bundle   VMCORE [-k VMLINUX] [PATH...] [--ref SOURCE [--at PREFIX]] -o DIR [--tar]\n"
    "                                          evidence for a bug report: a small ELF vmcore\n"
    "                                          with only the memory the analyses read, their\n"
    "                                          text and JSON, and report.html\n"
    "\n"
    "  COMMAND --live [-k VMLINUX] ...          the running kernel instead of a vmcore (root;\n"
    "                                          /proc/kcore, /proc/kallsyms, kernel BTF): info,\n"
    "                                          files, md5, pgdump, ptewalk, verify, refs\n"
    "  report --live                            pcwatch's status and hits in the running kernel\n"
    "                                          (exit 3 if pcwatch is not loaded)\n"
    "  md5 --live PATH --ref-direct, verify --live --ref-direct --at PREFIX\n"
    "                                          the reference is the file itself read with\n"
    "                                          O_DIRECT (bypassing the page cache)\n"
    "\n"
    "Every command takes --help, --json (one JSON document on stdout) and --no-cache.\n"
    "\n"
    "exit status:\n"
    "  0  success; md5 --ref: no differences\n"
    "  1  differences found (md5 --ref, pgdump --ref, verify); inconsistent page-cache\n"
    "     slots (md5, files, verify); census anomalies (files --memmap); refs: no\n"
    "     reference found\n"
    "  2  usage error\n"
    "  3  unusable input: vmcore/vmlinux unreadable, truncated, wrong format, vmlinux does not\n"
    "     match the dump, file not found\n"
    "  4  analysis failed: kernel data in the dump corrupt or unreadable\n"
    "  5  incomplete: needed pages are not in the dump (makedumpfile filtered them);\n"
    "     no differences among the pages that are\n"
    "\n"
    "See pcsleuth(1) (docs/pcsleuth.1).\n";

#ifdef __SANITIZE_ADDRESS__
/*
 * libkdumpfile 0.5.1 leaks one allocation in addrxlat_sys_os_init() for some dumps
 * (QEMU ELF on arm64): not ours, and LeakSanitizer would turn it into a failure.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libaddrxlat.so\nleak:libkdumpfile.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
	    {"info", cmd_info},	    {"files", cmd_files},     {"md5", cmd_md5},
	    {"pgdump", cmd_pgdump}, {"ptewalk", cmd_ptewalk}, {"report", cmd_report},
	    {"verify", cmd_verify}, {"refs", cmd_refs},	      {"bundle", cmd_bundle},
	};

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? SA_EXIT_USAGE : SA_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		sa_print_version(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			char **av = sa_live_argv(&argc, argv);
			int rc = cmds[i].fn(argc - 1, av + 1);

			/* before any atexit handler (LeakSanitizer's exits without flushing) */
			fflush(stdout);
			if (av != argv)
				free(av);
			return rc;
		}
	}
	fprintf(stderr, "pcsleuth: unknown command '%s' (try 'pcsleuth --help')\n", argv[1]);
	return SA_EXIT_USAGE;
}
