// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth report: the pcwatch capture record - who wrote into the watched page cache. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_print.h"
#include "capture_record.h"
#include "cli.h"
#include "jsonw.h"
#include "kernel.h"
#include "printk.h"
#include "symbolize.h"

static const char help[] =
    "usage: pcsleuth report VMCORE [-k VMLINUX] [--log-lines N] [--json]\n"
    "       pcsleuth report --live [-k VMLINUX] [--log-lines N] [--json]\n"
    "\n"
    "When pcwatch.ko's capture record is in the dump (module symbol pcwatch_record,\n"
    "or the 'pcwatch: record at' log line; checked by magic and self address): the\n"
    "watched files and pages, each recorded hit (fault address -> pfn -> file and\n"
    "offset), the writer's PC and LR as symbol+offset [module] resolved from the dump,\n"
    "whether each watched page still has its arm-time md5, and the oops text from\n"
    "the printk ring buffer. Without a record: says so and shows the panic message.\n"
    "Record version 2 also gives every stored hit of its ring (the last 64, oldest\n"
    "first: seq, mode panic|log|hwbp, time, recorded stack, bytes before -> after),\n"
    "hits overwritten and lost, hardware-watchpoint ranges and the log mode's\n"
    "re-protect window; version 1 records (the first 4 hits) are read too. crash's\n"
    "pcwatch command (pcmd5.so) prints the same listing.\n"
    "\n"
    "--live (root): pcwatch's status and hits in the running kernel: the record of\n"
    "the loaded module (its symbol pcwatch_record, via /proc/kallsyms and the module\n"
    "list), read from /proc/kcore until two reads agree, and pcwatch's kernel log\n"
    "lines instead of the oops.\n"
    "\n"
    "  --log-lines N   lines of kernel log around the oops (default 40)\n"
    "exit: 0 a record with at least one hit, 1 no record or no hit, 2 usage,\n"
    "      3 unusable input (--live: pcwatch not loaded), 4 kernel data unreadable\n"
    "      (--live: the record changed between each of 4 reads)\n";

struct log_ctx {
	char **lines;
	size_t n, cap;
};

static int collect_log(const struct pcs_printk_rec *r, void *arg)
{
	struct log_ctx *c = arg;
	char ts[32];
	const char *p = r->text, *end = r->text + r->len;

	pcs_printk_ts(r, ts, sizeof(ts));
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (c->n == c->cap) {
			size_t nc = c->cap ? c->cap * 2 : 1024;
			char **nl2 = realloc(c->lines, nc * sizeof(*nl2));

			if (!nl2)
				return 1;
			c->lines = nl2;
			c->cap = nc;
		}
		char *line = malloc(strlen(ts) + len + 1);

		if (!line)
			return 1;
		sprintf(line, "%s%.*s", ts, (int)len, p);
		c->lines[c->n++] = line;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

static bool ksym(void *arg, uint64_t addr, char *buf, size_t len)
{
	return sa_symbolize_kernel(arg, addr, buf, len);
}

static bool is_oops_start(const char *l)
{
	return strstr(l, "Unable to handle kernel") || strstr(l, "BUG: unable to handle") ||
	       strstr(l, "Internal error:") || strstr(l, "general protection fault") ||
	       strstr(l, "Oops:") || strstr(l, "kernel BUG at");
}

int cmd_report(int argc, char **argv)
{
	enum { O_LINES = 1 };
	static const struct option lo[] = {
	    SA_COMMON_LONGOPTS,
	    {"log-lines", required_argument, NULL, O_LINES},
	    {0},
	};
	struct sa_common c = {0};
	uint64_t nlines = 40;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "hk:", lo, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(help, stdout); return 0;
		case O_LINES:
			if (!sa_parse_u64(optarg, &nlines))
				return sa_usage_error("report", "--log-lines: not a number");
			break;
		default:
			if (!sa_common_opt(&c, opt, optarg))
				return sa_usage_error("report", "bad option");
		}
	}
	if (argc - optind != 1)
		return sa_usage_error("report", "expected one VMCORE");
	c.vmcore = argv[optind];
	struct sa_target *st;

	if ((rc = sa_open_common(&c, "report", true, &st)))
		return rc;
	const bool live = sa_live(&c);
	struct pcs_error err = {0}, lerr = {0};
	struct log_ctx log = {0};
	uint64_t skipped = 0;
	enum pcs_errcode lrc = pcs_printk_walk(&st->t, collect_log, &log, &skipped, &lerr);

	/* oops window: from the last oops start (or the last nlines) to the end */
	size_t from = log.n > nlines ? log.n - nlines : 0;

	for (size_t i = log.n; i-- > 0;)
		if (is_oops_start(log.lines[i])) {
			from = i;
			/* the oops begins a few lines earlier ("Unable to handle", "Mem abort
			 * info") */
			for (size_t j = i; j-- > 0 && i - j <= 16;)
				if (strstr(log.lines[j], "Unable to handle kernel") ||
				    strstr(log.lines[j], "BUG: unable to handle") ||
				    strstr(log.lines[j], "BUG: kernel NULL pointer"))
					from = j;
			break;
		}
	size_t to = log.n;

	if (to - from > nlines * 2)
		to = from + nlines * 2;
	/* live: pcwatch's own lines ("pcwatch: ...": record address, arming, hits, errors),
	 * the last nlines of them */
	if (live) {
		size_t keep = 0;

		for (size_t i = 0; i < log.n; i++) {
			const char *text = strstr(log.lines[i], "] ");

			text = text ? text + 2 : log.lines[i];
			if (!strncmp(text, "pcwatch", 7))
				log.lines[keep++] = log.lines[i];
			else
				free(log.lines[i]);
		}
		log.n = keep;
		from = keep > nlines ? keep - nlines : 0;
		to = keep;
	}

	uint64_t raddr = 0;
	const char *how = NULL;
	struct pcs_capture_record cr = {0};
	enum pcs_errcode frc = pcs_capture_record_find(&st->t, live, &raddr, &how, &err);

	if (frc == PCS_OK)
		frc = pcs_capture_record_read_stable(&st->t, raddr, how,
						     live ? SA_LIVE_ATTEMPTS : 1, &cr, &err);
	if (live && frc != PCS_OK) {
		/* live: no kernel log or panic message to fall back on: one line */
		for (size_t i = 0; i < log.n; i++)
			free(log.lines[i]);
		free(log.lines);
		sa_close(st);
		rc = sa_fail(&c, "report", &err);
		return frc == PCS_ERR_NOTFOUND ? SA_EXIT_INPUT : rc;
	}
	const struct pcs_capture_print po = {
	    .t = &st->t, .kfn = ksym, .karg = st, .how = how, .live = live, .check_pages = true};
	char story[1024] = "";

	if (frc == PCS_OK)
		pcs_capture_verdict(&po, &cr, story, sizeof(story));
	if (c.json) {
		struct pcs_jsonw w;

		pcs_jsonw_init(&w, stdout);
		pcs_jsonw_begin_object(&w, NULL);
		if (frc == PCS_OK) {
			pcs_capture_print_json(&po, &cr, &w);
		} else {
			pcs_jsonw_null(&w, "record");
			pcs_jsonw_begin_object(&w, "record_error");
			pcs_jsonw_string(&w, "error", pcs_errcode_name(err.code));
			pcs_jsonw_string(&w, "message", err.msg);
			pcs_jsonw_end_object(&w);
		}
		pcs_jsonw_begin_array(&w, "log");
		for (size_t i = from; i < to; i++)
			pcs_jsonw_string(&w, NULL, log.lines[i]);
		pcs_jsonw_end_array(&w);
		if (lrc) {
			pcs_jsonw_begin_object(&w, "log_error");
			pcs_jsonw_string(&w, "error", pcs_errcode_name(lerr.code));
			pcs_jsonw_string(&w, "message", lerr.msg);
			pcs_jsonw_end_object(&w);
		}
		if (story[0])
			pcs_jsonw_string(&w, "verdict", story);
		pcs_jsonw_string(&w, "source", live ? "live" : "dump");
		pcs_jsonw_end_object(&w);
	} else {
		if (frc == PCS_OK)
			pcs_capture_print_text(&po, &cr, stdout);
		else
			printf("%s\n", err.msg);
		if (lrc)
			printf("kernel log unavailable: %s\n", lerr.msg);
		else {
			printf("kernel log (%s, %zu lines%s):\n",
			       live	       ? "pcwatch's lines"
			       : frc == PCS_OK ? "the oops"
					       : "the end, with the panic message",
			       to - from, skipped ? ", some records missing from the dump" : "");
			for (size_t i = from; i < to; i++)
				printf("  %s\n", log.lines[i]);
		}
		if (story[0])
			printf("verdict: %s\n", story);
	}
	const uint32_t nhits = cr.nr_hits_stored;

	for (size_t i = 0; i < log.n; i++)
		free(log.lines[i]);
	free(log.lines);
	pcs_capture_record_free(&cr);
	if (frc != PCS_OK && frc != PCS_ERR_NOTFOUND) {
		fprintf(stderr, "pcsleuth report: %s\n", err.msg);
		rc = SA_EXIT_ANALYSIS;
	} else {
		rc = frc == PCS_OK && nhits ? SA_EXIT_OK : SA_EXIT_DIFF;
	}
	sa_close(st);
	return rc;
}
