// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcsleuth bundle: report.html, one self-contained page (inline CSS and JS, no
 * network, no external fonts) made from the bundle's JSON: the verdict, a page
 * map of each file, the byte diffs, the decoded page-table entries, the oops.
 * Every string from the dump is HTML-escaped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	return o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, k, &v)
		   ? v
		   : NULL;
}

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v = get(o, k);

	return v ? json_object_get_string(v) : NULL;
}

static int64_t num(struct json_object *o, const char *k, int64_t dflt)
{
	struct json_object *v = get(o, k);

	if (!v)
		return dflt;
	if (json_object_is_type(v, json_type_string))
		return (int64_t)strtoull(json_object_get_string(v), NULL, 0);
	return json_object_get_int64(v);
}

static size_t alen(struct json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static struct json_object *load(const char *dir, const char *name)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return json_object_from_file(p);
}

static const char css[] =
    "body{font-family:sans-serif;margin:1.5em;color:#222;background:#fafafa}"
    "h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}"
    "table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:2px 6px;"
    "text-align:left;vertical-align:top}th{background:#eee}"
    "pre{background:#fff;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:.85em}"
    ".verdict{background:#fde8e8;border-left:6px solid #c62828;padding:.6em 1em;font-weight:bold}"
    ".map{display:flex;flex-wrap:wrap;gap:1px;max-width:100%}"
    ".c{width:9px;height:9px;background:#9ccc65;cursor:pointer}"
    ".c.diff{background:#e53935}.c.nd{background:#9e9e9e}.c.inc{background:#fb8c00}"
    ".c.nc{background:#e0e0e0}.c.sh{background:#bbdefb}.c.err{background:#6a1b9a}"
    ".c.hit{outline:2px solid #000}.c.sel{outline:2px solid #1565c0}"
    ".legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;"
    "width:10px;height:10px;margin-right:4px;vertical-align:middle}"
    "code,.mono{font-family:monospace}.b{background:#e53935;color:#fff}.muted{color:#777}"
    "#cell{min-height:1.2em;font-family:monospace}";

static const char js[] =
    "document.querySelectorAll('.map').forEach(function(m){m.addEventListener('click',"
    "function(e){var c=e.target;if(!c.classList.contains('c'))return;"
    "document.querySelectorAll('.c.sel').forEach(function(x){x.classList.remove('sel')});"
    "c.classList.add('sel');document.getElementById('cell').textContent=c.title;});});";

static void legend(FILE *f)
{
	static const char *const items[][2] = {
	    {"", "matches / present"}, {"diff", "differs from the reference"},
	    {"nd", "not in the dump"}, {"inc", "inconsistent slot"},
	    {"nc", "not cached"},      {"sh", "shadow (evicted)"},
	    {"err", "unreadable"},     {"hit", "written (capture record)"},
	};
	fputs("<p class=\"legend\">", f);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		fprintf(f, "<span><i class=\"c %s\"></i>%s</span>", items[i][0], items[i][1]);
	fputs("</p>\n", f);
}

static bool hit_index(struct json_object *rep, const char *path, int64_t index)
{
	struct json_object *hits = get(rep, "hits");

	for (size_t i = 0; i < alen(hits); i++) {
		struct json_object *h = json_object_array_get_idx(hits, i);
		const char *hf = str(h, "file");

		if (hf && path && !strcmp(hf, path) && num(h, "index", -1) == index)
			return true;
	}
	return false;
}

static void page_map(FILE *f, struct json_object *md5, struct json_object *rep)
{
	struct json_object *file = get(md5, "file"), *rows = get(md5, "pages"),
			   *sum = get(md5, "summary");
	const char *path = str(file, "path");

	fputs("<h3>", f);
	esc(f, path ? path : "(file)");
	fprintf(f,
		"</h3>\n<p>inode %" PRId64 ", size %" PRId64 " bytes, %" PRId64
		" pages cached; present %" PRId64 ", not in the dump %" PRId64
		", inconsistent %" PRId64 ", differing %" PRId64 "</p>\n",
		num(file, "ino", 0), num(file, "size", 0), num(file, "nrpages", 0),
		num(sum, "present", 0), num(sum, "excluded", 0), num(sum, "inconsistent", 0),
		num(sum, "differing", 0));
	legend(f);
	fputs("<div class=\"map\">", f);
	for (size_t i = 0; i < alen(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		const char *st = str(r, "status"), *ref = str(r, "ref"), *cls = "";
		int64_t index = num(r, "index", -1);

		if (!st)
			st = "?";
		if (!strcmp(st, "excluded"))
			cls = "nd";
		else if (!strcmp(st, "inconsistent"))
			cls = "inc";
		else if (!strcmp(st, "not_cached") || !strcmp(st, "not-cached"))
			cls = "nc";
		else if (!strcmp(st, "shadow"))
			cls = "sh";
		else if (!strcmp(st, "error"))
			cls = "err";
		else if (ref && !strcmp(ref, "differs"))
			cls = "diff";
		fprintf(f, "<i class=\"c %s%s\" title=\"index %" PRId64 ": ", cls,
			hit_index(rep, path, index) ? " hit" : "", index);
		esc(f, st);
		if (ref) {
			fputs(", ", f);
			esc(f, ref);
		}
		fprintf(f, ", pfn %" PRId64 "\"></i>", num(r, "pfn", -1));
	}
	fputs("</div>\n<p id=\"cell\" class=\"muted\"></p>\n", f);
}

static void diffs_of(FILE *f, struct json_object *md5)
{
	struct json_object *rows = get(md5, "pages");
	const char *path = str(get(md5, "file"), "path");
	int64_t ps = num(get(md5, "file"), "page_size", 4096);
	int n = 0;

	for (size_t i = 0; i < alen(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i), *d = get(r, "diffs");

		for (size_t j = 0; j < alen(d); j++) {
			struct json_object *x = json_object_array_get_idx(d, j);
			int64_t index = num(r, "index", 0), off = num(x, "offset", 0);

			if (!n++)
				fputs("<table><tr><th>file</th><th>where</th><th>length</th>"
				      "<th>vmcore</th><th>reference</th></tr>\n",
				      f);
			fputs("<tr><td>", f);
			esc(f, path);
			fprintf(f,
				"</td><td>index %" PRId64 ", offset 0x%" PRIx64
				" (file offset 0x%" PRIx64 "), pfn %" PRId64 "</td><td>%" PRId64
				"</td><td class=\"mono\">",
				index, (uint64_t)off, (uint64_t)(index * ps + off),
				num(r, "pfn", -1), num(x, "length", 0));
			esc(f, str(x, "vmcore"));
			fputs("</td><td class=\"mono\">", f);
			esc(f, str(x, "ref"));
			fputs("</td></tr>\n", f);
		}
	}
	if (n)
		fputs("</table>\n", f);
}

static void ptes(FILE *f, struct json_object *pw)
{
	for (size_t i = 0; i < alen(pw); i++) {
		struct json_object *w = json_object_array_get_idx(pw, i), *lv = get(w, "levels");

		fputs("<p><b>", f);
		esc(f, str(w, "vaddr"));
		fputs("</b> &rarr; ", f);
		esc(f, str(w, "paddr") ? str(w, "paddr") : "?");
		fputs(": ", f);
		esc(f, str(w, "verdict"));
		fputs("</p>\n<table><tr><th>level</th><th>index</th><th>entry</th><th>raw</th>"
		      "<th>kind</th><th>fields</th><th>meaning</th></tr>\n",
		      f);
		for (size_t j = 0; j < alen(lv); j++) {
			struct json_object *l = json_object_array_get_idx(lv, j),
					   *fl = get(l, "fields");

			fputs("<tr><td>", f);
			esc(f, str(l, "level"));
			fprintf(f, "</td><td>%" PRId64 "</td><td class=\"mono\">",
				num(l, "index", -1));
			esc(f, str(l, "entry_paddr"));
			fputs("</td><td class=\"mono\">", f);
			esc(f, str(l, "raw"));
			fputs("</td><td>", f);
			esc(f, str(l, "kind"));
			fputs("</td><td class=\"mono\">", f);
			for (size_t k = 0; k < alen(fl); k++) {
				struct json_object *x = json_object_array_get_idx(fl, k);
				const char *t = str(x, "text");

				esc(f, str(x, "name"));
				fputc('=', f);
				esc(f, str(x, "value"));
				if (t && *t) {
					fputs(" (", f);
					esc(f, t);
					fputc(')', f);
				}
				fputs("<br>", f);
			}
			fputs("</td><td>", f);
			esc(f, str(l, "verdict"));
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
}

/* The 16-byte lines of a pgdump around each differing range, differing bytes marked. */
static void hexlines(FILE *f, struct json_object *pg)
{
	const char *hex = str(pg, "bytes");
	struct json_object *d = get(pg, "diffs");
	size_t hl = hex ? strlen(hex) / 2 : 0;

	if (!hl || !alen(d))
		return;
	fprintf(f, "<p>pfn %" PRId64 " (", num(pg, "pfn", -1));
	esc(f, str(pg, "paddr"));
	fprintf(f, "), page index %" PRId64 ": %" PRId64 " differing bytes</p>\n<pre>",
		num(pg, "index", -1), num(pg, "differing_bytes", 0));
	int64_t shown = -1;

	for (size_t i = 0; i < alen(d); i++) {
		struct json_object *x = json_object_array_get_idx(d, i);
		int64_t off = num(x, "offset", 0), len = num(x, "length", 0);

		for (int64_t line = (off & ~15) - 16; line <= ((off + len - 1) & ~15) + 16;
		     line += 16) {
			if (line < 0 || line <= shown || (size_t)line >= hl)
				continue;
			shown = line;
			fprintf(f, "%04" PRIx64 ": ", (uint64_t)line);
			for (int64_t b = line; b < line + 16 && (size_t)b < hl; b++) {
				bool mark = false;

				for (size_t k = 0; k < alen(d); k++) {
					struct json_object *y = json_object_array_get_idx(d, k);
					int64_t o = num(y, "offset", 0);

					if (b >= o && b < o + num(y, "length", 0))
						mark = true;
				}
				fprintf(f, mark ? "<span class=\"b\">%.2s</span> " : "%.2s ",
					hex + 2 * b);
			}
			fputc('\n', f);
		}
	}
	fputs("</pre>\n", f);
}

static void report_part(FILE *f, struct json_object *rep)
{
	struct json_object *hits = get(rep, "hits"), *log = get(rep, "log");
	const char *verdict = str(rep, "verdict");

	fputs("<h2>Verdict</h2>\n<div class=\"verdict\">", f);
	esc(f, verdict ? verdict : "no verdict (no pcwatch capture record in the dump)");
	fputs("</div>\n", f);
	if (alen(hits)) {
		fputs("<table><tr><th>writer</th><th>task</th><th>file</th><th>where</th>"
		      "<th>address</th></tr>\n",
		      f);
		for (size_t i = 0; i < alen(hits); i++) {
			struct json_object *h = json_object_array_get_idx(hits, i);

			fputs("<tr><td><code>", f);
			esc(f, str(h, "pc_symbol"));
			fputs("</code><br>function <b>", f);
			esc(f, str(h, "function"));
			fputs("</b></td><td>", f);
			esc(f, str(h, "comm"));
			fprintf(f, " (pid %" PRId64 ", cpu %" PRId64 ")</td><td>",
				num(h, "pid", -1), num(h, "cpu", -1));
			esc(f, str(h, "file"));
			fprintf(f,
				"</td><td>index %" PRId64 ", offset 0x%" PRIx64
				"</td><td class=\"mono\">",
				num(h, "index", -1), (uint64_t)num(h, "page_offset", 0));
			esc(f, str(h, "addr"));
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs("<h2>Oops and kernel log</h2>\n<pre>", f);
	for (size_t i = 0; i < alen(log); i++) {
		esc(f, json_object_get_string(json_object_array_get_idx(log, i)));
		fputc('\n', f);
	}
	fputs("</pre>\n", f);
}

static void verify_part(FILE *f, struct json_object *ver)
{
	struct json_object *d = get(ver, "differences"), *sum = get(ver, "summary"),
			   *pc = get(sum, "page_cache_in_dump");

	if (pc && !json_object_get_boolean(pc))
		fputs("<p class=\"verdict\">The dump does not contain the page cache (makedumpfile "
		      "dump level with bits 2/4, e.g. -d 31): nothing to compare.</p>\n",
		      f);
	if (!alen(d))
		return;
	fputs("<h2>Differences from the reference (verify)</h2>\n<table><tr><th>file</th>"
	      "<th>where</th><th>length</th><th>vmcore</th><th>reference</th></tr>\n",
	      f);
	for (size_t i = 0; i < alen(d) && i < 200; i++) {
		struct json_object *x = json_object_array_get_idx(d, i);

		fputs("<tr><td>", f);
		esc(f, str(x, "path"));
		fprintf(f,
			"</td><td>index %" PRId64 ", offset 0x%" PRIx64 " (file offset 0x%" PRIx64
			"), pfn %" PRId64 "</td><td>%" PRId64 "</td><td class=\"mono\">",
			num(x, "index", -1), (uint64_t)num(x, "offset", 0),
			(uint64_t)num(x, "file_offset", 0), num(x, "pfn", -1), num(x, "length", 0));
		esc(f, str(x, "vmcore"));
		fputs("</td><td class=\"mono\">", f);
		esc(f, str(x, "ref"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void files_part(FILE *f, struct json_object *fl)
{
	struct json_object *files = get(fl, "files");

	if (!alen(files))
		return;
	fputs("<h2>Cached files nearby</h2>\n<table><tr><th>path</th><th>inode</th><th>size</th>"
	      "<th>pages cached</th><th>in the dump</th><th>inconsistent</th></tr>\n",
	      f);
	for (size_t i = 0; i < alen(files) && i < 500; i++) {
		struct json_object *x = json_object_array_get_idx(files, i);

		fputs("<tr><td>", f);
		esc(f, str(x, "path"));
		fprintf(f,
			"</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%" PRId64
			"</td><td>%" PRId64 "</td><td>%" PRId64 "</td></tr>\n",
			num(x, "ino", 0), num(x, "size", 0), num(x, "nrpages", 0),
			num(x, "pages_in_dump", 0), num(x, "inconsistent", 0));
	}
	fputs("</table>\n", f);
}

enum pcs_errcode sa_bundle_html(const char *dir, struct json_object *man, struct pcs_error *err)
{
	char p[4096];
	struct json_object *runs = get(man, "runs"), *rep = load(dir, "report.json"), *ver = NULL;
	FILE *f;

	snprintf(p, sizeof(p), "%s/report.html", dir);
	f = fopen(p, "w");
	if (!f) {
		json_object_put(rep);
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", p, strerror(errno));
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>pcsleuth: ",
	      f);
	esc(f, str(man, "vmcore"));
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>pcsleuth evidence bundle</h1>\n",
		css);
	fputs("<p>vmcore <b>", f);
	esc(f, str(man, "vmcore"));
	fputs("</b> (", f);
	esc(f, str(man, "format"));
	fputs(", ", f);
	esc(f, str(man, "arch"));
	fputs(", Linux ", f);
	esc(f, str(man, "osrelease"));
	fprintf(f,
		", %" PRId64 " bytes); vmcore.mini: %" PRId64 " bytes, %" PRId64 " pages (%" PRId64
		" asked for are not in the dump)</p>\n",
		num(man, "vmcore_bytes", 0), num(man, "mini_bytes", 0), num(man, "mini_pages", 0),
		num(man, "pages_not_in_dump", 0));
	report_part(f, rep);
	fputs("<h2>Page maps</h2>\n<p class=\"muted\">One cell per cached page, in index order; "
	      "click a cell for its details.</p>\n",
	      f);
	for (size_t i = 0; i < alen(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i), *d;
		const char *name = str(r, "name");

		if (!name || strcmp(name, "md5") || !(d = load(dir, str(r, "file"))))
			continue;
		page_map(f, d, rep);
		diffs_of(f, d);
		json_object_put(d);
	}
	for (size_t i = 0; i < alen(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i);

		if (str(r, "name") && !strcmp(str(r, "name"), "verify"))
			ver = load(dir, str(r, "file"));
	}
	verify_part(f, ver);
	json_object_put(ver);
	struct json_object *fl = load(dir, "files.json");

	files_part(f, fl);
	json_object_put(fl);
	fputs("<h2>Affected pages</h2>\n", f);
	for (size_t i = 0; i < alen(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i), *d;
		const char *name = str(r, "name");

		if (!name || (strcmp(name, "pgdump") && strcmp(name, "ptewalk")) ||
		    !(d = load(dir, str(r, "file"))))
			continue;
		if (!strcmp(name, "pgdump"))
			hexlines(f, d);
		else
			ptes(f, d);
		json_object_put(d);
	}
	fputs("<h2>Files in this bundle</h2>\n<ul>", f);
	for (size_t i = 0; i < alen(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i), *a = get(r, "args");

		fputs("<li><code>", f);
		esc(f, str(r, "file"));
		fputs("</code>: pcsleuth", f);
		for (size_t j = 0; j < alen(a); j++) {
			fputc(' ', f);
			if (j == 1)
				fputs("VMCORE ", f);
			esc(f, json_object_get_string(json_object_array_get_idx(a, j)));
		}
		fprintf(f, " (exit %" PRId64 ")</li>", num(r, "exit", 0));
	}
	fprintf(f, "</ul>\n<script>%s</script>\n</body></html>\n", js);
	json_object_put(rep);
	if (fclose(f))
		return pcs_error_set(err, PCS_ERR_IO, "%s: %s", p, strerror(errno));
	return PCS_OK;
}
