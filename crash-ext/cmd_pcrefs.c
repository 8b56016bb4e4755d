// SPDX-License-Identifier: GPL-2.0-or-later
/* pcrefs: who still points into a page (core/refs.h), text or the pcsleuth refs JSON. */
#include "defs.h" /* crash */

#include <string.h>

#include "ext.h"
#include "fs.h"
#include "pte.h"
#include "refs.h"

#define PCX_MAX_DEPTH 16

/* Kernel-image symbols from crash's symbol table ("name+0xoff"). */
static bool crash_ksym(void *arg, uint64_t addr, char *buf, size_t len)
{
	struct syment *sp;
	ulong off = 0;

	(void)arg;
	sp = value_search((ulong)addr, &off);
	if (!sp || !sp->name)
		return false;
	snprintf(buf, len, "%s+0x%lx", sp->name, off);
	return true;
}

void cmd_pcrefs(void)
{
	const struct pcs_target *t;
	const struct pcs_kernel *k;
	const struct pcs_fs *fs = NULL;
	struct pcs_error err = {0};
	struct pcs_refs r;
	struct pcs_refs_query q = {.depth = 1, .kfn = crash_ksym};
	uint64_t v, addr = 0, len = 0;
	int c, nsel = 0, json = 0, by = 0;

	while ((c = getopt(argcnt, args, "jl:d:p:P:")) != EOF) {
		switch (c) {
		case 'j': json = 1; break;
		case 'l':
			if (!pcx_parse_u64(optarg, 0, &len) || !len)
				cmd_usage(pc->curcmd, SYNOPSIS);
			break;
		case 'd':
			if (!pcx_parse_u64(optarg, 0, &v) || !v || v > PCX_MAX_DEPTH)
				cmd_usage(pc->curcmd, SYNOPSIS);
			q.depth = (unsigned int)v;
			break;
		case 'p':
		case 'P':
			if (!pcx_parse_u64(optarg, c == 'P', &addr))
				cmd_usage(pc->curcmd, SYNOPSIS);
			by = c;
			nsel++;
			break;
		default: argerrs++; break;
		}
	}
	if (args[optind]) {
		if (!pcx_parse_u64(args[optind], 1, &addr) || args[optind + 1])
			argerrs++;
		by = 'v';
		nsel++;
	}
	if (argerrs || nsel != 1)
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (pcx_context(&t, &k, &err))
		goto fail;
	if (by == 'p')
		addr = pcs_pfn_to_paddr(k, addr);
	if (by == 'v') {
		physaddr_t pa;

		/* pcsleuth's walker, as pcsleuth refs --vaddr; crash's kvtop() as the fallback */
		if (pcs_pte_translate(t, addr, &v, &err) == PCS_OK) {
			addr = v;
		} else if (kvtop(CURRENT_CONTEXT(), addr, &pa, 0)) {
			addr = pa;
			pcs_error_clear(&err);
		} else {
			goto fail;
		}
	}
	q.paddr = len ? addr : addr & ~((uint64_t)k->page_size - 1);
	q.len = len ? len : k->page_size;
	{
		struct pcs_error fs_err = {0};

		if (pcx_fs(&fs, &fs_err) == PCS_OK)
			q.fs = fs; /* else: page-cache pages are named by inode, not path */
	}
	if (pcs_refs_find(k, &q, &r, &err))
		goto fail;
	if (json)
		pcs_refs_print_json(&r, fp);
	else
		pcs_refs_print_text(&r, fp);
	pcs_refs_free(&r);
	return;
fail:
	pcx_error(NULL, &err);
}
