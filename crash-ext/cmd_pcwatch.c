// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcwatch: the pcwatch capture record in the dump (versions 1 and 2), listed by
 * core/capture_print.c exactly as pcsleuth report lists it: found, read and
 * decoded by core/capture_record.c; this file parses crash's arguments.
 */
#include "defs.h" /* crash */

#include <string.h>

#include "capture_print.h"
#include "capture_record.h"
#include "ext.h"

/*
 * Kernel-image symbols from crash's symbol table ("name+0xoff"). Module addresses
 * are left to core/symbolize.c, which names them from the dump's module kallsyms
 * as pcsleuth report does ("name+0xoff/0xsize [module]").
 */
static bool crash_ksym(void *arg, uint64_t addr, char *buf, size_t len)
{
	struct syment *sp;
	ulong off = 0;

	(void)arg;
	/* crash 8.0.6 on 6.12 names a module address by the last kernel symbol + offset */
	if (!in_ksymbol_range((ulong)addr) || IS_MODULE_VADDR((ulong)addr))
		return false;
	sp = value_search_base_kernel((ulong)addr, &off);
	if (!sp || !sp->name)
		return false;
	snprintf(buf, len, "%s+0x%lx", sp->name, off);
	return true;
}

void cmd_pcwatch(void)
{
	const struct pcs_target *t;
	struct pcs_error err = {0};
	struct pcs_capture_record cr;
	struct pcs_capture_print po = {.kfn = crash_ksym, .check_pages = true};
	uint64_t addr = 0;
	int c, json = 0, given = 0;
	char verdict[1024];

	while ((c = getopt(argcnt, args, "ja:")) != EOF) {
		switch (c) {
		case 'j': json = 1; break;
		case 'a':
			if (!pcx_parse_u64(optarg, 1, &addr))
				cmd_usage(pc->curcmd, SYNOPSIS);
			given = 1;
			break;
		default: argerrs++; break;
		}
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (pcx_context(&t, NULL, &err))
		goto fail;
	po.t = t;
	if (given)
		po.how = "address given";
	else if (pcs_capture_record_find(t, false, &addr, &po.how, &err))
		goto fail;
	if (pcs_capture_record_read(t, addr, po.how, &cr, &err))
		goto fail;
	if (json) {
		struct pcs_jsonw w;

		pcs_capture_verdict(&po, &cr, verdict, sizeof(verdict));
		pcs_jsonw_init(&w, fp);
		pcs_jsonw_begin_object(&w, NULL);
		pcs_capture_print_json(&po, &cr, &w);
		if (verdict[0])
			pcs_jsonw_string(&w, "verdict", verdict);
		pcs_jsonw_end_object(&w);
	} else {
		pcs_capture_print_text(&po, &cr, fp);
		pcs_capture_verdict(&po, &cr, verdict, sizeof(verdict));
		if (verdict[0])
			fprintf(fp, "verdict: %s\n", verdict);
	}
	pcs_capture_record_free(&cr);
	return;
fail:
	pcx_error(NULL, &err);
}
