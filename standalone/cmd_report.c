// SPDX-License-Identifier: GPL-2.0-or-later
/* pcsleuth report: the pcwatch capture record - who wrote into the watched page cache. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_record.h"
#include "cli.h"
#include "json.h"
#include "kernel.h"
#include "pagehash.h"
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

/*
 * Where the record is: the module's exported symbol, else the address pcwatch logged.
 * Live: the loaded module's symbol only (a log line may be from a module since
 * unloaded, whose memory is gone).
 */
static enum pcs_errcode find_record(struct sa_target *st, const struct log_ctx *log, bool live,
				    uint64_t *addr, const char **how, struct pcs_error *err)
{
	uint64_t mod, a;

	*how = NULL;
	if (pcs_module_find(&st->t, "pcwatch", &mod, NULL) == PCS_OK &&
	    pcs_module_symbol(&st->t, mod, "pcwatch_record", &a, NULL) == PCS_OK) {
		*addr = a;
		*how = "module symbol pcwatch_record";
	}
	if (!*how && live)
		return pcs_error_set(err, PCS_ERR_NOTFOUND,
				     "pcwatch is not loaded in the running kernel (no module "
				     "pcwatch with a symbol pcwatch_record)");
	if (!*how) {
		for (size_t i = log->n; i-- > 0;) {
			const char *p = strstr(log->lines[i], "pcwatch: record at ");

			if (p && sscanf(p + 19, "%" SCNx64, &a) == 1) {
				*addr = a;
				*how = "kernel log line 'pcwatch: record at'";
				break;
			}
		}
	}
	if (!*how)
		return pcs_error_set(
		    err, PCS_ERR_NOTFOUND,
		    "no pcwatch capture record in this dump (pcwatch.ko not loaded)");
	return PCS_OK;
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
	const struct pcw_record *rec = NULL;
	enum pcs_errcode frc = find_record(st, &log, live, &raddr, &how, &err);

	if (frc == PCS_OK &&
	    (frc = pcs_capture_record_read_stable(&st->t, raddr, how, live ? SA_LIVE_ATTEMPTS : 1,
						  &cr, &err)) == PCS_OK)
		rec = cr.raw;
	if (live && frc != PCS_OK) {
		/* live: no kernel log or panic message to fall back on: one line */
		for (size_t i = 0; i < log.n; i++)
			free(log.lines[i]);
		free(log.lines);
		sa_close(st);
		rc = sa_fail(&c, "report", &err);
		return frc == PCS_ERR_NOTFOUND ? SA_EXIT_INPUT : rc;
	}
	struct json_object *doc = c.json ? json_object_new_object() : NULL;
	struct json_object *jhits = NULL;
	uint32_t nhits = 0;
	char story[1024] = "";

	if (frc == PCS_OK) {
		uint32_t nf = cr.nr_files, np = cr.nr_pages;

		nhits = cr.nr_hits_stored;
		if (doc) {
			struct json_object *r = json_object_new_object(),
					   *jf = json_object_new_array();

			json_object_object_add(r, "address", pcs_json_addr(raddr));
			json_object_object_add(r, "found_by", json_object_new_string(how));
			json_object_object_add(r, "release", json_object_new_string(rec->release));
			json_object_object_add(r, "nr_pages",
					       json_object_new_int((int)rec->nr_pages));
			json_object_object_add(r, "nr_armed",
					       json_object_new_int((int)rec->nr_armed));
			json_object_object_add(r, "nr_hits",
					       json_object_new_int((int)rec->nr_hits));
			for (uint32_t i = 0; i < nf; i++) {
				struct json_object *o = json_object_new_object();

				json_object_object_add(o, "path",
						       json_object_new_string(rec->files[i].path));
				json_object_object_add(
				    o, "ino", json_object_new_int64((int64_t)rec->files[i].ino));
				json_object_object_add(
				    o, "size", json_object_new_int64((int64_t)rec->files[i].size));
				json_object_object_add(
				    o, "nr_pages",
				    json_object_new_int((int)rec->files[i].nr_pages));
				json_object_array_add(jf, o);
			}
			json_object_object_add(r, "files", jf);
			json_object_object_add(doc, "record", r);
			jhits = json_object_new_array();
		} else {
			printf("pcwatch capture record at 0x%" PRIx64 " (found by %s), kernel %s\n",
			       raddr, how, rec->release);
			printf("watched: %u file%s, %u pages (%u armed), %u hit%s recorded\n", nf,
			       nf == 1 ? "" : "s", rec->nr_pages, rec->nr_armed, rec->nr_hits,
			       rec->nr_hits == 1 ? "" : "s");
			for (uint32_t i = 0; i < nf; i++) {
				printf("  file %s: ino %" PRIu64 ", size %" PRIu64
				       ", %u pages armed\n",
				       rec->files[i].path, rec->files[i].ino, rec->files[i].size,
				       rec->files[i].nr_pages);
			}
		}
		/* pages whose content changed since arming */
		struct pcs_hasher *h = NULL;
		unsigned char *pbuf = malloc(st->t.page_size);
		uint32_t changed = 0, missing = 0;

		if (pbuf && pcs_hasher_new(PCS_HASH_MD5, &h, NULL) == PCS_OK) {
			for (uint32_t i = 0; i < np; i++) {
				struct pcs_digest d;
				const struct pcw_rec_page *p = &rec->pages[i];

				if (p->state == PCW_EMPTY)
					continue;
				if (pcs_hash_page(h, &st->t, p->paddr, pbuf, &d, NULL) != PCS_OK) {
					missing++;
					continue;
				}
				if (memcmp(d.bytes, p->md5, 16) != 0) {
					changed++;
					if (!doc)
						printf("  page pfn %" PRIu64 " (file index %" PRIu64
						       ", %s): content differs from its md5 at arm "
						       "time\n",
						       p->pfn, p->index,
						       pcs_capture_state_name(p->state));
				}
			}
			pcs_hasher_free(h);
		}
		free(pbuf);
		if (!doc && (changed || missing))
			printf("  %u watched page%s changed since arming, %u %s\n", changed,
			       changed == 1 ? "" : "s", missing,
			       live ? "unreadable" : "not in the dump");
		for (uint32_t i = 0; i < nhits; i++) {
			const struct pcw_rec_hit *hit = &rec->hits[i];
			struct pcs_symbol_info pc, lr;
			struct pcs_error se = {0};
			const struct pcw_rec_page *p = pcs_capture_hit_page(&cr, i);
			const char *path = pcs_capture_page_path(&cr, p);
			uint64_t foff = p ? p->index * st->t.page_size + hit->offset : 0;

			pcs_symbolize(&st->t, ksym, st, hit->pc, &pc, &se);
			if (hit->lr)
				pcs_symbolize(&st->t, ksym, st, hit->lr, &lr, NULL);
			if (doc) {
				struct json_object *o = json_object_new_object();

				json_object_object_add(o, "addr", pcs_json_addr(hit->addr));
				json_object_object_add(o, "pfn",
						       json_object_new_int64((int64_t)hit->pfn));
				json_object_object_add(o, "page_offset",
						       json_object_new_int64((int64_t)hit->offset));
				json_object_object_add(o, "file", json_object_new_string(path));
				if (p) {
					json_object_object_add(
					    o, "index", json_object_new_int64((int64_t)p->index));
					json_object_object_add(
					    o, "file_offset", json_object_new_int64((int64_t)foff));
				}
				json_object_object_add(o, "pc", pcs_json_addr(hit->pc));
				json_object_object_add(o, "pc_symbol",
						       json_object_new_string(pc.text));
				json_object_object_add(o, "function",
						       json_object_new_string(pc.func));
				json_object_object_add(o, "module",
						       json_object_new_string(pc.module));
				json_object_object_add(o, "pc_symbol_recorded",
						       json_object_new_string(hit->pc_sym));
				if (hit->lr)
					json_object_object_add(o, "lr_symbol",
							       json_object_new_string(lr.text));
				json_object_object_add(o, "pid",
						       json_object_new_int((int)hit->pid));
				json_object_object_add(o, "comm",
						       json_object_new_string(hit->comm));
				json_object_object_add(o, "cpu",
						       json_object_new_int((int)hit->cpu));
				json_object_object_add(o, "is_write",
						       json_object_new_boolean(hit->is_write));
				json_object_object_add(o, "esr", pcs_json_addr(hit->esr));
				json_object_array_add(jhits, o);
			} else {
				printf("hit %u: %s at 0x%" PRIx64 " = pfn %" PRIu64 " + 0x%" PRIx64
				       "\n",
				       i, hit->is_write ? "write" : "access", hit->addr, hit->pfn,
				       hit->offset);
				if (p)
					printf("       = %s page %" PRIu64
					       ", file offset 0x%" PRIx64 " (%" PRIu64 ")\n",
					       path, p->index, foff, foff);
				printf("       by pc 0x%" PRIx64 " %s", hit->pc, pc.text);
				if (hit->pc_sym[0] &&
				    !strstr(hit->pc_sym, pc.func[0] ? pc.func : "\x01"))
					printf(" (pcwatch recorded %s)", hit->pc_sym);
				printf("\n");
				if (hit->lr)
					printf("       lr 0x%" PRIx64 " %s\n", hit->lr, lr.text);
				printf("       task %s pid %u cpu %u, esr/error code 0x%" PRIx64
				       "\n",
				       hit->comm, hit->pid, hit->cpu, hit->esr);
			}
			if (i == 0)
				snprintf(story, sizeof(story),
					 "%s wrote into the page cache of %s: page %" PRIu64
					 ", file offset 0x%" PRIx64 " (task %s, pid %u)",
					 pc.func[0] ? pc.text : hit->pc_sym, path, p ? p->index : 0,
					 foff, hit->comm, hit->pid);
		}
		if (doc)
			json_object_object_add(doc, "hits", jhits);
		else if (!nhits)
			printf("no hit recorded: nothing wrote into the watched pages %s\n",
			       live ? "so far" : "before the dump");
	} else {
		if (doc) {
			json_object_object_add(doc, "record", NULL);
			json_object_object_add(doc, "record_error", pcs_json_error(&err));
		} else {
			printf("%s\n", err.msg);
		}
	}
	if (doc) {
		struct json_object *jl = json_object_new_array();

		for (size_t i = from; i < to; i++)
			json_object_array_add(jl, json_object_new_string(log.lines[i]));
		json_object_object_add(doc, "log", jl);
		if (lrc)
			json_object_object_add(doc, "log_error", pcs_json_error(&lerr));
		if (story[0])
			json_object_object_add(doc, "verdict", json_object_new_string(story));
		sa_json_print_c(&c, doc);
		json_object_put(doc);
	} else {
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
