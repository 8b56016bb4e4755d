// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth pgdump: hex + ASCII dump of one page, differences from a reference marked. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diff.h"
#include "hexdump.h"
#include "json.h"
#include "kernel.h"
#include "pte.h"

static const char help[] =
    "usage: pcsleuth pgdump VMCORE (--pfn N | --paddr A | --vaddr A) [--ref FILE --index I]\n"
    "                       [-k VMLINUX] [--diff-only] [--colour|--no-colour] [--json]\n"
    "\n"
    "Hex + ASCII dump of one page of the dump. With --ref FILE --index I, bytes that\n"
    "differ from page I of FILE are highlighted: reverse red on a terminal, otherwise a\n"
    "'*' after the byte and a marker column; --diff-only prints only the lines with\n"
    "differences (and a line of context). --vaddr is translated by the kernel's page\n"
    "tables; --paddr and --vaddr are rounded down to the page.\n"
    "--live reads the running kernel (/proc/kcore; root) instead of VMCORE.\n"
    "exit: 0 ok / identical, 1 differs from the reference, 2 usage, 3 unusable input,\n"
    "      5 the page is not in the dump\n";

static int add_diff(const struct pcs_diff_range *r, void *arg)
{
	pcs_json_row_add_diff(arg, r);
	return 0;
}

int cmd_pgdump(int argc, char **argv)
{
	enum { O_PFN = 1, O_PADDR, O_VADDR, O_REF, O_INDEX, O_DIFFONLY, O_COLOUR, O_NOCOLOUR };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"pfn", required_argument, NULL, O_PFN},
	    {"paddr", required_argument, NULL, O_PADDR},
	    {"vaddr", required_argument, NULL, O_VADDR},
	    {"ref", required_argument, NULL, O_REF},
	    {"index", required_argument, NULL, O_INDEX},
	    {"diff-only", no_argument, NULL, O_DIFFONLY},
	    {"colour", no_argument, NULL, O_COLOUR},
	    {"color", no_argument, NULL, O_COLOUR},
	    {"no-colour", no_argument, NULL, O_NOCOLOUR},
	    {"no-color", no_argument, NULL, O_NOCOLOUR},
	    {0},
	};
	struct sa_common c = {0};
	const char *ref = NULL;
	uint64_t pfn = 0, paddr = 0, vaddr = 0, index = 0;
	int which = 0, colour = -1, opt, rc;
	bool have_index = false, diff_only = false;

	while ((opt = getopt_long(argc, argv, "hk:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case O_PFN:
		case O_PADDR:
		case O_VADDR: {
			uint64_t v;

			if (!sa_parse_u64(optarg, &v))
				return sa_usage_error("pgdump", "'%s' is not a number", optarg);
			if (which)
				return sa_usage_error("pgdump",
						      "give one of --pfn, --paddr, --vaddr");
			which = opt;
			if (opt == O_PFN)
				pfn = v;
			else if (opt == O_PADDR)
				paddr = v;
			else
				vaddr = v;
			break;
		}
		case O_REF: ref = optarg; break;
		case O_INDEX:
			if (!sa_parse_u64(optarg, &index))
				return sa_usage_error("pgdump", "--index: not a number");
			have_index = true;
			break;
		case O_DIFFONLY: diff_only = true; break;
		case O_COLOUR: colour = 1; break;
		case O_NOCOLOUR: colour = 0; break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("pgdump", "bad option");
		}
	}
	if (argc - optind != 1)
		return sa_usage_error("pgdump", "expected one VMCORE");
	if (!which)
		return sa_usage_error("pgdump", "give one of --pfn, --paddr, --vaddr");
	if (!!ref != have_index)
		return sa_usage_error("pgdump", "--ref and --index go together");
	c.vmcore = argv[optind];

	struct sa_target *st;

	if ((rc = sa_open_common(&c, "pgdump", false, &st)))
		return rc;
	struct pcs_error err = {0};
	uint32_t ps = st->t.page_size;
	unsigned char *buf = malloc(ps), *refbuf = ref ? malloc(ps) : NULL;
	int fd = -1;

	if (!buf || (ref && !refbuf)) {
		pcs_error_set(&err, PCS_ERR_NOMEM, "out of memory");
		rc = sa_fail(&c, "pgdump", &err);
		goto out;
	}
	if (which == O_PFN)
		paddr = pfn * ps;
	if (which == O_VADDR) {
		vaddr &= ~(uint64_t)(ps - 1);
		if (pcs_pte_translate(&st->t, vaddr, &paddr, &err)) {
			/* fall back on libkdumpfile's own translation */
			if (sa_xlat_kvaddr(st, vaddr, &paddr) == PCS_OK)
				pcs_error_clear(&err);
			if (err.code) {
				rc = sa_fail(&c, "pgdump", &err);
				goto out;
			}
		}
	}
	paddr &= ~(uint64_t)(ps - 1);
	pfn = paddr / ps;
	if (pcs_read(&st->t, PCS_KPHYSADDR, paddr, buf, ps, &err)) {
		rc = sa_fail(&c, "pgdump", &err);
		goto out;
	}
	if (ref) {
		fd = open(ref, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			pcs_error_set(&err, PCS_ERR_IO, "reference %s: %s", ref, strerror(errno));
			rc = sa_fail(&c, "pgdump", &err);
			goto out;
		}
		if (pcs_ref_read_page(fd, index, ps, refbuf, NULL, &err)) {
			rc = sa_fail(&c, "pgdump", &err);
			goto out;
		}
	}
	size_t ndiff = 0;

	if (ref)
		pcs_diff_page(buf, refbuf, ps, PCS_DIFF_MERGE_GAP_DEFAULT, NULL, NULL, &ndiff);
	if (c.json) {
		struct json_object *o = json_object_new_object();
		char *hex = malloc(2 * (size_t)ps + 1);

		json_object_object_add(o, "pfn", json_object_new_int64((int64_t)pfn));
		json_object_object_add(o, "paddr", pcs_json_addr(paddr));
		if (which == O_VADDR)
			json_object_object_add(o, "vaddr", pcs_json_addr(vaddr));
		if (hex) {
			for (uint32_t i = 0; i < ps; i++)
				sprintf(hex + 2 * i, "%02x", buf[i]);
			json_object_object_add(o, "bytes", json_object_new_string(hex));
			free(hex);
		}
		if (ref) {
			json_object_object_add(o, "ref", json_object_new_string(ref));
			json_object_object_add(o, "index", json_object_new_int64((int64_t)index));
			json_object_object_add(o, "differing_bytes",
					       json_object_new_int64((int64_t)ndiff));
			pcs_diff_page(buf, refbuf, ps, PCS_DIFF_MERGE_GAP_DEFAULT, add_diff, o,
				      NULL);
		}
		sa_json_print_c(&c, o);
		json_object_put(o);
	} else {
		struct pcs_hexdump_opts ho = {
		    .base = which == O_VADDR ? vaddr : paddr,
		    .ref = refbuf,
		    .colour = colour < 0 ? isatty(1) : colour,
		    .only_diff = diff_only,
		    .context = 1,
		    .show_ref = ref != NULL,
		};

		printf("page pfn %" PRIu64 " paddr 0x%" PRIx64, pfn, paddr);
		if (which == O_VADDR)
			printf(" vaddr 0x%" PRIx64, vaddr);
		if (ref)
			printf(", compared with %s page %" PRIu64, ref, index);
		printf("\n");
		pcs_hexdump(stdout, buf, ps, &ho);
		if (ref)
			printf("%zu byte%s differ%s\n", ndiff, ndiff == 1 ? "" : "s",
			       ndiff == 1 ? "s" : "");
	}
	rc = ndiff ? SA_EXIT_DIFF : SA_EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(refbuf);
	sa_close(st);
	return rc;
}
