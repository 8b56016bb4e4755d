// SPDX-License-Identifier: GPL-2.0-or-later
/* Streaming JSON writer (see jsonw.h). */
#include "jsonw.h"

#include <inttypes.h>
#include <string.h>

void pcs_jsonw_init(struct pcs_jsonw *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
}

static void put_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

/* Separator, newline and indentation before an item, then its key. */
static void item(struct pcs_jsonw *w, const char *key)
{
	if (w->depth) {
		fputs(w->has_items[w->depth] ? ",\n" : "\n", w->fp);
		w->has_items[w->depth] = true;
		for (unsigned int i = 0; i < w->depth; i++)
			fputs("  ", w->fp);
	}
	if (key) {
		put_string(w->fp, key);
		fputs(": ", w->fp);
	}
}

static void open_(struct pcs_jsonw *w, const char *key, char c)
{
	item(w, key);
	fputc(c, w->fp);
	if (w->depth + 1 < PCS_JSONW_MAX_DEPTH)
		w->depth++;
	w->has_items[w->depth] = false;
}

static void close_(struct pcs_jsonw *w, char c)
{
	bool had = w->has_items[w->depth];

	if (w->depth)
		w->depth--;
	if (had) {
		fputc('\n', w->fp);
		for (unsigned int i = 0; i < w->depth; i++)
			fputs("  ", w->fp);
	}
	fputc(c, w->fp);
	if (!w->depth)
		fputc('\n', w->fp);
}

void pcs_jsonw_begin_object(struct pcs_jsonw *w, const char *key)
{
	open_(w, key, '{');
}

void pcs_jsonw_end_object(struct pcs_jsonw *w)
{
	close_(w, '}');
}

void pcs_jsonw_begin_array(struct pcs_jsonw *w, const char *key)
{
	open_(w, key, '[');
}

void pcs_jsonw_end_array(struct pcs_jsonw *w)
{
	close_(w, ']');
}

void pcs_jsonw_string(struct pcs_jsonw *w, const char *key, const char *s)
{
	item(w, key);
	put_string(w->fp, s ? s : "");
}

void pcs_jsonw_u64(struct pcs_jsonw *w, const char *key, uint64_t v)
{
	item(w, key);
	fprintf(w->fp, "%" PRIu64, v);
}

void pcs_jsonw_i64(struct pcs_jsonw *w, const char *key, int64_t v)
{
	item(w, key);
	fprintf(w->fp, "%" PRId64, v);
}

void pcs_jsonw_bool(struct pcs_jsonw *w, const char *key, bool v)
{
	item(w, key);
	fputs(v ? "true" : "false", w->fp);
}

void pcs_jsonw_addr(struct pcs_jsonw *w, const char *key, uint64_t v)
{
	item(w, key);
	fprintf(w->fp, "\"0x%" PRIx64 "\"", v);
}

void pcs_jsonw_null(struct pcs_jsonw *w, const char *key)
{
	item(w, key);
	fputs("null", w->fp);
}
