// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the pcwatch capture record is in a dump (docs/capture-record.md): the
 * module's exported symbol pcwatch_record, else the address pcwatch logged at
 * load ("pcwatch: record at 0x..."), the last such line of the kernel log.
 * Shared by pcsleuth report and crash's pcwatch command.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture_record.h"
#include "printk.h"
#include "symbolize.h"

#define LOG_TAG "pcwatch: record at "

struct log_find {
	uint64_t addr;
	bool found;
};

static int scan_log(const struct pcs_printk_rec *r, void *arg)
{
	struct log_find *f = arg;
	const char *p = r->text, *end = r->text + r->len;
	const size_t n = sizeof(LOG_TAG) - 1;
	char num[24];

	/* every occurrence in the record (its text is not NUL-terminated) */
	for (; (size_t)(end - p) > n; p++) {
		size_t k = 0;

		if (memcmp(p, LOG_TAG, n))
			continue;
		while (k < sizeof(num) - 1 && p + n + k < end && p[n + k] != '\n' &&
		       p[n + k] != ' ')
			num[k] = p[n + k], k++;
		num[k] = '\0';
		if (sscanf(num, "%" SCNx64, &f->addr) == 1)
			f->found = true;
	}
	return 0;
}

enum pcs_errcode pcs_capture_record_find(const struct pcs_target *t, bool symbol_only,
					 uint64_t *addr, const char **how, struct pcs_error *err)
{
	struct log_find f = {0};
	uint64_t mod, a, skipped = 0;

	*how = NULL;
	if (pcs_module_find(t, "pcwatch", &mod, NULL) == PCS_OK &&
	    pcs_module_symbol(t, mod, "pcwatch_record", &a, NULL) == PCS_OK) {
		*addr = a;
		*how = "module symbol pcwatch_record";
		return PCS_OK;
	}
	if (symbol_only)
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "pcwatch is not loaded in the running kernel (no module "
				     "pcwatch with a symbol pcwatch_record)");
	if (pcs_printk_walk(t, scan_log, &f, &skipped, NULL) == PCS_OK && f.found) {
		*addr = f.addr;
		*how = "kernel log line 'pcwatch: record at'";
		return PCS_OK;
	}
	return pcs_error_set(err, PCS_ERR_NOTFOUND,
			     "no pcwatch capture record in this dump (pcwatch.ko not loaded)");
}
