// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth refs: who still points into a page (core/refs.h). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fs.h"
#include "kernel.h"
#include "pte.h"
#include "refs.h"
#include "workpool.h"

static const char help[] =
    "usage: pcsleuth refs VMCORE [-k VMLINUX] (--pfn N | --paddr A | --vaddr A) [--len N]\n"
    "                     [--depth N] [-j N] [--json]\n"
    "\n"
    "Every aligned 8-byte word of the dump's physical memory that points into the range:\n"
    "its linear-map address, its kernel-image address (when the range is in the image),\n"
    "the struct page of each of its pages and of their head page (folio), or a page-table\n"
    "entry mapping one of its pages. All memory is searched in one pass; pages the dump\n"
    "does not hold are counted, never read as zeros. Each word is attributed to its owner:\n"
    "a slab object (cache, object, offset, allocated or free), a module (section and\n"
    "symbol), a kernel symbol, a task stack, a page table, a struct page, a vmalloc area,\n"
    "a page-cache page, or \"unknown\" with the page's flags.\n"
    "\n"
    "  --pfn N, --paddr A   the page (or, with --len, the range starting there)\n"
    "  --vaddr A            a kernel virtual address, translated by the page tables\n"
    "  --len N              bytes to search for (default: the whole page containing\n"
    "                       the address)\n"
    "  --depth N            also find who holds each slab object found, N-1 levels deep:\n"
    "                       words pointing anywhere into [object, object + object_size)\n"
    "                       (default 1: only the range's references)\n"
    "  -j, --jobs N         search on N threads (default: the CPUs online; 1: no\n"
    "                       threads); the output is the same for every N\n"
    "  --live               the running kernel (/proc/kcore; root) instead of VMCORE\n"
    "  --json               one JSON document: \"range\", \"refs\" (each with \"holders\"),\n"
    "                       \"summary\"\n"
    "exit: 0 references found, 1 none found, 2 usage, 3 unusable input (address not in\n"
    "      any memory section of the dump), 4 kernel data unreadable\n";

static bool ksym(void *arg, uint64_t addr, char *buf, size_t len)
{
	return sa_symbolize_kernel(arg, addr, buf, len);
}

static int refs_run(const struct sa_common *c, struct sa_target *st, int which, uint64_t addr,
		    uint64_t len, bool have_len, unsigned int depth, const struct pcs_exec *x)
{
	struct pcs_error err = {0};
	struct pcs_kernel k;
	struct pcs_fs fs;
	struct pcs_refs r;
	struct pcs_refs_query q = {.depth = depth, .kfn = ksym, .karg = st, .exec = x};
	uint64_t ps = st->t.page_size, paddr = addr;

	if (pcs_kernel_init(&k, &st->t, &err))
		return sa_fail(c, "refs", &err);
	if (which == 'p')
		paddr = addr * ps;
	if (which == 'v' && pcs_pte_translate(&st->t, addr, &paddr, &err)) {
		if (sa_xlat_kvaddr(st, addr, &paddr) != PCS_OK)
			return sa_fail(c, "refs", &err);
		pcs_error_clear(&err);
	}
	q.paddr = have_len ? paddr : paddr & ~(ps - 1);
	q.len = have_len ? len : ps;
	if (pcs_fs_init(&fs, &k, NULL) == PCS_OK)
		q.fs = &fs;
	if (pcs_refs_find(&k, &q, &r, &err)) {
		if (err.code == PCS_ERR_READ || err.code == PCS_ERR_NODATA)
			err.code = PCS_ERR_CORRUPT; /* kernel data unreadable: exit 4 */
		return sa_fail(c, "refs", &err);
	}
	if (c->json)
		pcs_refs_print_json(&r, stdout);
	else
		pcs_refs_print_text(&r, stdout);
	int rc = r.sum.hits ? SA_EXIT_OK : SA_EXIT_DIFF;

	pcs_refs_free(&r);
	return rc;
}

int cmd_refs(int argc, char **argv)
{
	enum { O_PFN = 1, O_PADDR, O_VADDR, O_LEN, O_DEPTH };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"pfn", required_argument, NULL, O_PFN},
	    {"paddr", required_argument, NULL, O_PADDR},
	    {"vaddr", required_argument, NULL, O_VADDR},
	    {"len", required_argument, NULL, O_LEN},
	    {"depth", required_argument, NULL, O_DEPTH},
	    {"jobs", required_argument, NULL, 'j'},
	    {0},
	};
	struct sa_common c = {0};
	uint64_t addr = 0, len = 0, depth = 1, v;
	bool have_len = false;
	unsigned int jobs = sa_default_jobs();
	int which = 0, opt, rc;

	while ((opt = getopt_long(argc, argv, "hk:j:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case 'j':
			if (!sa_parse_jobs(optarg, &jobs))
				return sa_usage_error("refs", "-j: a number of threads, 1..256");
			break;
		case O_PFN:
		case O_PADDR:
		case O_VADDR:
			if (!sa_parse_u64(optarg, &v))
				return sa_usage_error("refs", "'%s' is not a number", optarg);
			if (which)
				return sa_usage_error("refs",
						      "give one of --pfn, --paddr, --vaddr");
			which = opt == O_PFN ? 'p' : opt == O_PADDR ? 'P' : 'v';
			addr = v;
			break;
		case O_LEN:
			if (!sa_parse_u64(optarg, &len) || !len)
				return sa_usage_error("refs", "--len: a positive number of bytes");
			have_len = true;
			break;
		case O_DEPTH:
			if (!sa_parse_u64(optarg, &depth) || !depth || depth > PCS_REFS_MAX_DEPTH)
				return sa_usage_error("refs", "--depth: 1..%u", PCS_REFS_MAX_DEPTH);
			break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("refs", "bad option");
		}
	}
	if (argc - optind != 1)
		return sa_usage_error("refs", "expected one VMCORE");
	if (!which)
		return sa_usage_error("refs", "give one of --pfn, --paddr, --vaddr");
	c.vmcore = argv[optind];

	struct sa_target *st;
	struct sa_workpool *wp;
	struct pcs_error err = {0};

	if ((rc = sa_open_common(&c, "refs", true, &st)))
		return rc;
	if (sa_workpool_new(st, jobs, 0, &wp, &err))
		rc = sa_fail(&c, "refs", &err);
	else
		rc = refs_run(&c, st, which, addr, len, have_len, (unsigned int)depth,
			      sa_workpool_exec(wp));
	sa_workpool_free(wp);
	sa_close(st);
	return rc;
}
