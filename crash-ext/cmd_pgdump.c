// SPDX-License-Identifier: GPL-2.0-or-later
/* pgdump: hex + ASCII dump of one page (core/hexdump.h), diffed against a reference page. */
#include "defs.h" /* crash */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "ext.h"
#include "hexdump.h"
#include "pte.h"

static void print_bytes(const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		fprintf(fp, "%s%02x", i ? " " : "", p[i]);
}

static int print_range(const struct pcs_diff_range *r, void *arg)
{
	uint32_t done;

	(void)arg;
	fprintf(fp, "  +%#06x..+%#06x (%u byte%s)\n", r->off, r->off + r->len - 1, r->len,
		r->len == 1 ? "" : "s");
	for (done = 0; done < r->len; done += 16) {
		uint32_t n = r->len - done < 16 ? r->len - done : 16;

		fprintf(fp, "    dump %#06x: ", r->off + done);
		print_bytes(r->vmcore + done, n);
		fprintf(fp, "\n     ref %#06x: ", r->off + done);
		print_bytes(r->ref + done, n);
		fprintf(fp, "\n");
	}
	return 0;
}

void cmd_pgdump(void)
{
	const struct pcs_target *t;
	const struct pcs_kernel *k;
	struct pcs_error err = {0};
	struct pcs_hexdump_opts ho = {0};
	const char *ref = NULL;
	uint64_t pfn = 0, paddr = 0, vaddr = 0, index = 0, base;
	int c, nsel = 0, have_index = 0, by_vaddr = 0, fd = -1;
	uint8_t *buf = NULL, *rbuf = NULL;
	size_t got = 0, ndiff = 0, nranges;
	enum pcs_errcode rc;

	while ((c = getopt(argcnt, args, "r:x:p:P:")) != EOF) {
		switch (c) {
		case 'r': ref = optarg; break;
		case 'x':
			if (!pcx_parse_u64(optarg, 0, &index))
				cmd_usage(pc->curcmd, SYNOPSIS);
			have_index = 1;
			break;
		case 'p':
			if (!pcx_parse_u64(optarg, 0, &pfn))
				cmd_usage(pc->curcmd, SYNOPSIS);
			nsel++;
			paddr = UINT64_MAX; /* from pfn below */
			break;
		case 'P':
			if (!pcx_parse_u64(optarg, 1, &paddr))
				cmd_usage(pc->curcmd, SYNOPSIS);
			nsel++;
			break;
		default: argerrs++; break;
		}
	}
	if (args[optind]) {
		if (!pcx_parse_u64(args[optind], 1, &vaddr) || args[optind + 1])
			argerrs++;
		by_vaddr = 1;
		nsel++;
	}
	if (argerrs || nsel != 1 || (!!ref != have_index))
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (pcx_context(&t, &k, &err))
		goto fail;
	if (by_vaddr) {
		if (pcs_pte_translate(t, vaddr, &paddr, &err))
			goto fail;
	} else if (paddr == UINT64_MAX) {
		paddr = pcs_pfn_to_paddr(k, pfn);
	}
	paddr &= ~((uint64_t)k->page_size - 1);
	pfn = pcs_paddr_to_pfn(k, paddr);
	base = by_vaddr ? vaddr & ~((uint64_t)k->page_size - 1) : paddr;

	buf = malloc(k->page_size);
	rbuf = malloc(k->page_size);
	if (!buf || !rbuf) {
		pcs_error_set(&err, PCS_ERR_NOMEM, "page buffers");
		goto fail;
	}
	if (ref) {
		fd = open(ref, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			pcs_error_set(&err, PCS_ERR_IO, "cannot open %s: %s", ref, strerror(errno));
			goto fail;
		}
		if (pcs_ref_read_page(fd, index, k->page_size, rbuf, &got, &err))
			goto fail;
	}

	fprintf(fp, "PFN %llx  PHYSADDR %llx", (ulonglong)pfn, (ulonglong)paddr);
	if (by_vaddr)
		fprintf(fp, "  VADDR %llx", (ulonglong)vaddr);
	if (ref)
		fprintf(fp, "  REFERENCE %s page %llu%s", ref, (ulonglong)index,
			got ? "" : " (beyond its end: zeros)");
	fprintf(fp, "\n");

	rc = pcs_read(t, PCS_KPHYSADDR, paddr, buf, k->page_size, &err);
	if (rc == PCS_ERR_NODATA) {
		fprintf(fp, "page excluded: the dump does not contain pfn %llx (%s)\n",
			(ulonglong)pfn, err.msg);
		goto out;
	}
	if (rc)
		goto fail;

	ho.base = base;
	ho.ref = ref ? rbuf : NULL;
	ho.colour = false;
	pcs_hexdump(fp, buf, k->page_size, &ho);
	if (ref) {
		nranges = pcs_diff_page(buf, rbuf, k->page_size, PCS_DIFF_MERGE_GAP_DEFAULT, NULL,
					NULL, &ndiff);
		if (!nranges) {
			fprintf(fp, "IDENTICAL to the reference page\n");
		} else {
			fprintf(fp, "DIFFERS: %zu byte%s in %zu range%s\n", ndiff,
				ndiff == 1 ? "" : "s", nranges, nranges == 1 ? "" : "s");
			pcs_diff_page(buf, rbuf, k->page_size, PCS_DIFF_MERGE_GAP_DEFAULT,
				      print_range, NULL, NULL);
		}
	}
	goto out;
fail:
	pcx_error(NULL, &err);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	free(rbuf);
}
