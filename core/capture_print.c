// SPDX-License-Identifier: GPL-2.0-or-later
/* The listing of a pcwatch capture record, text and JSON; see capture_print.h. */
#include "capture_print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pagehash.h"

/* Where a stored hit lies: its page (PTE modes) or range (hwbp), and the file offset. */
struct hit_loc {
	const struct pcw_rec_page *page;
	const struct pcw_rec_range *range;
	const char *path;
	bool has_index;
	uint64_t index, foff;
};

static void hit_loc(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
		    uint32_t i, struct hit_loc *l)
{
	const struct pcw_rec_hit *h = pcs_capture_hit(r, i);

	memset(l, 0, sizeof(*l));
	l->page = pcs_capture_hit_page(r, i);
	l->range = l->page ? NULL : pcs_capture_hit_range(r, i);
	l->path = l->page    ? pcs_capture_page_path(r, l->page)
		  : l->range ? pcs_capture_file_path(r, l->range->file)
			     : "?";
	if (l->page || l->range) {
		l->has_index = true;
		l->index = l->page ? l->page->index : l->range->index;
		l->foff = l->index * o->t->page_size + h->offset;
	}
}

/* Watched pages whose content differs from the arm-time md5 (changed) or not readable. */
struct page_check {
	uint32_t changed, missing;
	uint32_t *which; /* pages[] index of each changed page */
};

static void check_pages(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			struct page_check *c)
{
	struct pcs_hasher *h = NULL;
	unsigned char *buf;

	memset(c, 0, sizeof(*c));
	if (!o->check_pages || !r->nr_pages)
		return;
	buf = malloc(o->t->page_size);
	c->which = calloc(r->nr_pages, sizeof(*c->which));
	if (buf && c->which && pcs_hasher_new(PCS_HASH_MD5, &h, NULL) == PCS_OK) {
		for (uint32_t i = 0; i < r->nr_pages; i++) {
			const struct pcw_rec_page *p = &r->raw->pages[i];
			struct pcs_digest d;

			if (p->state == PCW_EMPTY)
				continue;
			if (pcs_hash_page(h, o->t, p->paddr, buf, &d, NULL) != PCS_OK)
				c->missing++;
			else if (memcmp(d.bytes, p->md5, 16) != 0)
				c->which[c->changed++] = i;
		}
		pcs_hasher_free(h);
	}
	free(buf);
}

static void symbolize(const struct pcs_capture_print *o, uint64_t addr, struct pcs_symbol_info *s)
{
	memset(s, 0, sizeof(*s));
	pcs_symbolize(o->t, o->kfn, o->karg, addr, s, NULL);
	if (!s->text[0])
		snprintf(s->text, sizeof(s->text), "0x%" PRIx64, addr);
}

/* "2026-12-01 05:40:01.123456789 UTC" */
static void fmt_time(uint64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!ns || !gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	size_t n = strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);

	snprintf(buf + n, len - n, ".%09" PRIu64 " UTC", ns % 1000000000u);
}

static void fmt_flags(uint32_t f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", f & PCW_HIT_BEFORE ? " before" : "",
		 f & PCW_HIT_AFTER ? " after" : "", f & PCW_HIT_PANIC ? " panic" : "",
		 f & ~(uint32_t)(PCW_HIT_BEFORE | PCW_HIT_AFTER | PCW_HIT_PANIC) ? " unknown" : "");
	if (!buf[0])
		snprintf(buf, len, " none");
}

static void hexbytes(const uint8_t *b, char *out)
{
	for (int i = 0; i < PCW_HIT_BYTES; i++)
		sprintf(out + 3 * i, "%02x%s", b[i], i + 1 < PCW_HIT_BYTES ? " " : "");
}

static bool both_bytes(const struct pcw_rec_hit *h)
{
	return (h->flags & (PCW_HIT_BEFORE | PCW_HIT_AFTER)) == (PCW_HIT_BEFORE | PCW_HIT_AFTER);
}

static uint64_t reprotect_mean(const struct pcw_record *raw)
{
	return raw->reprotect_count ? raw->reprotect_ns_total / raw->reprotect_count : 0;
}

static void text_header(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			FILE *fp)
{
	const struct pcw_record *raw = r->raw;
	uint32_t nf = r->nr_files;

	if (r->version == 1)
		fprintf(fp, "pcwatch capture record at 0x%" PRIx64 " (found by %s), kernel %s\n",
			r->addr, o->how ? o->how : "address", raw->release);
	else
		fprintf(fp,
			"pcwatch capture record at 0x%" PRIx64
			" (found by %s), version %u, kernel %s\n",
			r->addr, o->how ? o->how : "address", r->version, raw->release);
	fprintf(fp, "watched: %u file%s, %u pages (%u armed), %u hit%s recorded\n", nf,
		nf == 1 ? "" : "s", raw->nr_pages, raw->nr_armed, raw->nr_hits,
		raw->nr_hits == 1 ? "" : "s");
	for (uint32_t i = 0; i < nf; i++)
		fprintf(fp, "  file %s: ino %" PRIu64 ", size %" PRIu64 ", %u pages armed\n",
			raw->files[i].path, raw->files[i].ino, raw->files[i].size,
			raw->files[i].nr_pages);
	if (r->version == 1) {
		if (r->nr_hits_overwritten)
			fprintf(fp, "  (version 1 record: only the first %u hits stored)\n",
				r->nr_hits_stored);
		return;
	}
	fprintf(fp, "  %u hardware-watchpoint range%s (the CPU offers %u%s)\n", r->nr_ranges,
		r->nr_ranges == 1 ? "" : "s", raw->max_bp, raw->max_bp ? "" : ": unknown");
	for (uint32_t i = 0; i < r->nr_ranges; i++) {
		const struct pcw_rec_range *g = &raw->ranges[i];

		fprintf(fp,
			"  range %u: 0x%" PRIx64 " len %u = pfn %" PRIu64 " + 0x%" PRIx64
			", %s page %" PRIu64 ", %s, %u hit%s, %u watchpoint%s%s\n",
			i, g->vaddr, g->len, g->pfn, g->paddr & (o->t->page_size - 1),
			pcs_capture_file_path(r, g->file), g->index,
			pcs_capture_state_name(g->state), g->hits, g->hits == 1 ? "" : "s",
			g->nr_bp, g->nr_bp == 1 ? "" : "s", g->then_panic ? ", then=panic" : "");
	}
	fprintf(fp,
		"hits: %" PRIu64 " seen, %u stored, %" PRIu64 " overwritten, %" PRIu64
		" lost, %u bad ring slot%s; %u hit line%s not printed (rate limit)\n",
		r->nr_hits_seen, r->nr_hits_stored, r->nr_hits_overwritten, r->nr_hits_lost,
		r->nr_hits_bad, r->nr_hits_bad == 1 ? "" : "s", raw->printk_suppressed,
		raw->printk_suppressed == 1 ? "" : "s");
	fprintf(fp,
		"re-protect window (log mode): %" PRIu64 " re-protection%s, max %" PRIu64
		" ns, mean %" PRIu64 " ns\n",
		raw->reprotect_count, raw->reprotect_count == 1 ? "" : "s", raw->reprotect_ns_max,
		reprotect_mean(raw));
}

static void text_bytes(const struct pcw_rec_hit *h, FILE *fp)
{
	char hb[3 * PCW_HIT_BYTES + 1], ha[3 * PCW_HIT_BYTES + 1], mark[3 * PCW_HIT_BYTES + 1];

	if (!(h->flags & (PCW_HIT_BEFORE | PCW_HIT_AFTER)))
		return;
	hexbytes(h->before, hb);
	hexbytes(h->after, ha);
	fprintf(fp, "       bytes at 0x%" PRIx64 ":\n", h->data_addr);
	if (h->flags & PCW_HIT_BEFORE)
		fprintf(fp, "         before %s\n", hb);
	if (h->flags & PCW_HIT_AFTER)
		fprintf(fp, "         after  %s\n", ha);
	if (both_bytes(h)) {
		int n = 0;

		memset(mark, ' ', sizeof(mark));
		for (int i = 0; i < PCW_HIT_BYTES; i++)
			if (h->before[i] != h->after[i]) {
				mark[3 * i] = mark[3 * i + 1] = '^';
				n = 3 * i + 2;
			}
		mark[n] = '\0';
		if (n)
			fprintf(fp, "                %s changed\n", mark);
		else
			fprintf(fp, "                (no byte changed)\n");
	}
}

static void text_hit(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
		     uint32_t i, FILE *fp)
{
	const struct pcw_rec_hit *h = pcs_capture_hit(r, i);
	struct pcs_symbol_info pc, lr;
	struct hit_loc l;

	hit_loc(o, r, i, &l);
	symbolize(o, h->pc, &pc);
	if (r->version == 1)
		fprintf(fp, "hit %u: ", i);
	else
		fprintf(fp, "hit %u (seq %" PRIu64 ", mode %s): ", i, h->seq,
			pcs_capture_mode_name(h->mode));
	fprintf(fp, "%s at 0x%" PRIx64 " = pfn %" PRIu64 " + 0x%" PRIx64 "\n",
		h->is_write ? "write" : "access", h->addr, h->pfn, h->offset);
	if (l.range)
		fprintf(fp, "       watchpoint range %u (0x%" PRIx64 " len %u)\n", h->range,
			l.range->vaddr, l.range->len);
	if (l.has_index)
		fprintf(fp,
			"       = %s page %" PRIu64 ", file offset 0x%" PRIx64 " (%" PRIu64 ")\n",
			l.path, l.index, l.foff, l.foff);
	fprintf(fp, "       by pc 0x%" PRIx64 " %s", h->pc, pc.text);
	if (h->pc_sym[0] && !strstr(h->pc_sym, pc.func[0] ? pc.func : "\x01"))
		fprintf(fp, " (pcwatch recorded %s)", h->pc_sym);
	fprintf(fp, "\n");
	if (h->lr) {
		symbolize(o, h->lr, &lr);
		fprintf(fp, "       lr 0x%" PRIx64 " %s\n", h->lr, lr.text);
	}
	fprintf(fp, "       task %s pid %u cpu %u, esr/error code 0x%" PRIx64 "\n", h->comm, h->pid,
		h->cpu, h->esr);
	if (r->version == 1)
		return;
	char ts[64], fl[64];

	fmt_time(h->time_ns, ts, sizeof(ts));
	fmt_flags(h->flags, fl, sizeof(fl));
	fprintf(fp, "       time %s, monotonic %" PRIu64 ".%06" PRIu64 " s; flags%s\n", ts,
		h->mono_ns / 1000000000u, h->mono_ns % 1000000000u / 1000u, fl);
	for (uint32_t k = 0; k < h->nr_stack; k++)
		fprintf(fp, "       #%u 0x%" PRIx64 " %s\n", k, h->stack[k],
			h->stack_sym[k][0] ? h->stack_sym[k] : "?");
	text_bytes(h, fp);
}

void pcs_capture_print_text(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			    FILE *fp)
{
	struct page_check c;

	text_header(o, r, fp);
	check_pages(o, r, &c);
	for (uint32_t k = 0; k < c.changed; k++) {
		const struct pcw_rec_page *p = &r->raw->pages[c.which[k]];

		fprintf(fp,
			"  page pfn %" PRIu64 " (file index %" PRIu64
			", %s): content differs from its md5 at arm time\n",
			p->pfn, p->index, pcs_capture_state_name(p->state));
	}
	if (c.changed || c.missing)
		fprintf(fp, "  %u watched page%s changed since arming, %u %s\n", c.changed,
			c.changed == 1 ? "" : "s", c.missing,
			o->live ? "unreadable" : "not in the dump");
	free(c.which);
	for (uint32_t i = 0; i < r->nr_hits_stored; i++)
		text_hit(o, r, i, fp);
	if (!r->nr_hits_stored)
		fprintf(fp, "no hit recorded: nothing wrote into the watched pages %s\n",
			o->live ? "so far" : "before the dump");
}

static void json_hex(struct pcs_jsonw *w, const char *key, const uint8_t *b)
{
	char s[2 * PCW_HIT_BYTES + 1];

	for (int i = 0; i < PCW_HIT_BYTES; i++)
		sprintf(s + 2 * i, "%02x", b[i]);
	pcs_jsonw_string(w, key, s);
}

static void json_hit(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
		     uint32_t i, struct pcs_jsonw *w)
{
	const struct pcw_rec_hit *h = pcs_capture_hit(r, i);
	struct pcs_symbol_info pc, lr;
	struct hit_loc l;

	hit_loc(o, r, i, &l);
	symbolize(o, h->pc, &pc);
	pcs_jsonw_begin_object(w, NULL);
	pcs_jsonw_u64(w, "seq", h->seq);
	pcs_jsonw_string(w, "mode", pcs_capture_mode_name(h->mode));
	pcs_jsonw_addr(w, "addr", h->addr);
	pcs_jsonw_u64(w, "pfn", h->pfn);
	pcs_jsonw_u64(w, "page_offset", h->offset);
	pcs_jsonw_string(w, "file", l.path);
	if (l.has_index) {
		pcs_jsonw_u64(w, "index", l.index);
		pcs_jsonw_u64(w, "file_offset", l.foff);
	}
	if (l.page)
		pcs_jsonw_u64(w, "slot", h->slot);
	if (l.range)
		pcs_jsonw_u64(w, "range", h->range);
	pcs_jsonw_addr(w, "pc", h->pc);
	pcs_jsonw_string(w, "pc_symbol", pc.text);
	pcs_jsonw_string(w, "function", pc.func);
	pcs_jsonw_string(w, "module", pc.module);
	pcs_jsonw_string(w, "pc_symbol_recorded", h->pc_sym);
	if (h->lr) {
		symbolize(o, h->lr, &lr);
		pcs_jsonw_addr(w, "lr", h->lr);
		pcs_jsonw_string(w, "lr_symbol", lr.text);
	}
	pcs_jsonw_u64(w, "pid", h->pid);
	pcs_jsonw_string(w, "comm", h->comm);
	pcs_jsonw_u64(w, "cpu", h->cpu);
	pcs_jsonw_bool(w, "is_write", h->is_write != 0);
	pcs_jsonw_addr(w, "esr", h->esr);
	pcs_jsonw_u64(w, "time_ns", h->time_ns);
	pcs_jsonw_u64(w, "mono_ns", h->mono_ns);
	pcs_jsonw_u64(w, "flags", h->flags);
	pcs_jsonw_begin_array(w, "stack");
	for (uint32_t k = 0; k < h->nr_stack; k++) {
		pcs_jsonw_begin_object(w, NULL);
		pcs_jsonw_addr(w, "addr", h->stack[k]);
		pcs_jsonw_string(w, "symbol", h->stack_sym[k]);
		pcs_jsonw_end_object(w);
	}
	pcs_jsonw_end_array(w);
	if (h->flags & (PCW_HIT_BEFORE | PCW_HIT_AFTER))
		pcs_jsonw_addr(w, "data_addr", h->data_addr);
	if (h->flags & PCW_HIT_BEFORE)
		json_hex(w, "before", h->before);
	if (h->flags & PCW_HIT_AFTER)
		json_hex(w, "after", h->after);
	if (both_bytes(h)) {
		pcs_jsonw_begin_array(w, "changed");
		for (int k = 0; k < PCW_HIT_BYTES; k++)
			if (h->before[k] != h->after[k])
				pcs_jsonw_u64(w, NULL, (uint64_t)k);
		pcs_jsonw_end_array(w);
	}
	pcs_jsonw_end_object(w);
}

static void json_ranges(const struct pcs_capture_record *r, struct pcs_jsonw *w)
{
	pcs_jsonw_begin_array(w, "ranges");
	for (uint32_t i = 0; i < r->nr_ranges; i++) {
		const struct pcw_rec_range *g = &r->raw->ranges[i];

		pcs_jsonw_begin_object(w, NULL);
		pcs_jsonw_addr(w, "vaddr", g->vaddr);
		pcs_jsonw_u64(w, "len", g->len);
		pcs_jsonw_addr(w, "paddr", g->paddr);
		pcs_jsonw_u64(w, "pfn", g->pfn);
		pcs_jsonw_string(w, "file", pcs_capture_file_path(r, g->file));
		pcs_jsonw_u64(w, "index", g->index);
		pcs_jsonw_u64(w, "ino", g->ino);
		pcs_jsonw_string(w, "state", pcs_capture_state_name(g->state));
		pcs_jsonw_u64(w, "hits", g->hits);
		pcs_jsonw_u64(w, "nr_bp", g->nr_bp);
		pcs_jsonw_bool(w, "then_panic", g->then_panic != 0);
		pcs_jsonw_end_object(w);
	}
	pcs_jsonw_end_array(w);
}

void pcs_capture_print_json(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			    struct pcs_jsonw *w)
{
	const struct pcw_record *raw = r->raw;
	struct page_check c;

	pcs_jsonw_begin_object(w, "record");
	pcs_jsonw_addr(w, "address", r->addr);
	pcs_jsonw_string(w, "found_by", o->how ? o->how : "address");
	pcs_jsonw_u64(w, "version", r->version);
	pcs_jsonw_string(w, "release", raw->release);
	pcs_jsonw_u64(w, "nr_pages", raw->nr_pages);
	pcs_jsonw_u64(w, "nr_armed", raw->nr_armed);
	pcs_jsonw_u64(w, "nr_hits", raw->nr_hits);
	pcs_jsonw_u64(w, "hits_seen", r->nr_hits_seen);
	pcs_jsonw_u64(w, "hits_stored", r->nr_hits_stored);
	pcs_jsonw_u64(w, "hits_overwritten", r->nr_hits_overwritten);
	pcs_jsonw_u64(w, "hits_lost", r->nr_hits_lost);
	pcs_jsonw_u64(w, "bad_ring_slots", r->nr_hits_bad);
	pcs_jsonw_u64(w, "printk_suppressed", raw->printk_suppressed);
	pcs_jsonw_u64(w, "max_bp", raw->max_bp);
	pcs_jsonw_begin_object(w, "reprotect");
	pcs_jsonw_u64(w, "count", raw->reprotect_count);
	pcs_jsonw_u64(w, "ns_max", raw->reprotect_ns_max);
	pcs_jsonw_u64(w, "ns_mean", reprotect_mean(raw));
	pcs_jsonw_end_object(w);
	pcs_jsonw_begin_array(w, "files");
	for (uint32_t i = 0; i < r->nr_files; i++) {
		pcs_jsonw_begin_object(w, NULL);
		pcs_jsonw_string(w, "path", raw->files[i].path);
		pcs_jsonw_u64(w, "ino", raw->files[i].ino);
		pcs_jsonw_u64(w, "size", raw->files[i].size);
		pcs_jsonw_u64(w, "nr_pages", raw->files[i].nr_pages);
		pcs_jsonw_end_object(w);
	}
	pcs_jsonw_end_array(w);
	json_ranges(r, w);
	check_pages(o, r, &c);
	pcs_jsonw_begin_array(w, "pages_changed");
	for (uint32_t k = 0; k < c.changed; k++) {
		const struct pcw_rec_page *p = &raw->pages[c.which[k]];

		pcs_jsonw_begin_object(w, NULL);
		pcs_jsonw_u64(w, "pfn", p->pfn);
		pcs_jsonw_u64(w, "index", p->index);
		pcs_jsonw_string(w, "file", pcs_capture_page_path(r, p));
		pcs_jsonw_string(w, "state", pcs_capture_state_name(p->state));
		pcs_jsonw_end_object(w);
	}
	pcs_jsonw_end_array(w);
	pcs_jsonw_u64(w, "pages_unreadable", c.missing);
	free(c.which);
	pcs_jsonw_end_object(w);
	pcs_jsonw_begin_array(w, "hits");
	for (uint32_t i = 0; i < r->nr_hits_stored; i++)
		json_hit(o, r, i, w);
	pcs_jsonw_end_array(w);
}

void pcs_capture_verdict(const struct pcs_capture_print *o, const struct pcs_capture_record *r,
			 char *buf, size_t len)
{
	const struct pcw_rec_hit *h = pcs_capture_hit(r, 0);
	struct pcs_symbol_info pc;
	struct hit_loc l;

	buf[0] = '\0';
	if (!h)
		return;
	hit_loc(o, r, 0, &l);
	symbolize(o, h->pc, &pc);
	snprintf(buf, len,
		 "%s wrote into the page cache of %s: page %" PRIu64 ", file offset 0x%" PRIx64
		 " (task %s, pid %u)",
		 pc.func[0] ? pc.text : h->pc_sym, l.path, l.index, l.foff, h->comm, h->pid);
}
