// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kallsyms tables of a kernel that does not export them in VMCOREINFO (before
 * Linux 6.0), located in the kernel image by their structure. scripts/kallsyms.c
 * (64-bit, every label 8-aligned) lays them out in .rodata as
 *
 *   kallsyms_offsets        u32 x num   (kallsyms_addresses u64 x num without
 *   kallsyms_relative_base  u64          CONFIG_KALLSYMS_BASE_RELATIVE)
 *   kallsyms_num_syms       u32
 *   kallsyms_names          entries: a length byte, then that many token bytes
 *   kallsyms_markers        u32 x ceil(num / 256): offset in names of entry 256 k
 *   kallsyms_token_table    256 NUL-terminated tokens
 *   kallsyms_token_index    u16 x 256: offset of each token in the table
 *
 * The search: a token index (0 first, 255 increments of 2 to 514, i.e. non-empty
 * tokens) whose table precedes it (every token printable, ending where the next
 * begins, the last one followed only by alignment zeros); the markers right
 * before the table (walked back, strictly ascending to a 0); the names before
 * those, with the symbol count 8 bytes before them: the entries must fall exactly
 * on every marker and end at the markers (alignment zeros aside). Then the
 * addresses before the count: decoded, ascending, holding _stext equal to
 * VMCOREINFO's SYMBOL(_stext) (and _text, if kept, not above it). Anything less
 * is not accepted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "kscan.h"

#define IDX_BYTES	   512u
#define TOKEN_MAX	   512u		    /* longest token accepted */
#define ENTRY_MAX	   (2u + TOKEN_MAX) /* bytes of one names entry, beyond any real one */
#define MARKERS_MAX	   (KSYM_FIND_MAX_SYMS / 256u)
#define NAMES_MAX	   (64u << 20)
#define KSYM_FIND_MAX_SYMS (4u << 20)

struct find {
	const struct pcs_target *t;
	uint64_t stext; /* VMCOREINFO SYMBOL(_stext), 0 if absent */
	struct pcs_kallsyms_tables tab;
	struct pcs_kallsyms *ks;
	enum pcs_errcode fatal; /* NOMEM stops the search */
	char why[160];		/* the deepest reason a candidate failed */
	int depth;		/* how far that candidate got */
	struct pcs_error *err;
};

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void reject(struct find *f, int depth, uint64_t at, const char *why)
{
	if (depth <= f->depth)
		return;
	f->depth = depth;
	snprintf(f->why, sizeof(f->why), "%s (candidate at 0x%" PRIx64 ")", why, at);
}

/* 0 first, then 255 increments of 2..TOKEN_MAX+1: a token index. */
static int index_shape(const uint8_t *p)
{
	if (le16(p) != 0)
		return 0;
	for (unsigned i = 1; i < 256; i++) {
		unsigned d = (unsigned)le16(p + 2 * i) - le16(p + 2 * i - 2);

		if (d < 2 || d > TOKEN_MAX + 1)
			return 0;
	}
	return 1;
}

static int printable(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

/* The token table ending right before the index at idx_at; its address or 0. */
static uint64_t token_table(struct find *f, uint64_t idx_at, const uint16_t *idx)
{
	size_t span = idx[255] + TOKEN_MAX + 8;
	uint8_t *b = malloc(span + IDX_BYTES);
	uint64_t found = 0;

	if (!b || span > idx_at)
		goto out;
	/* the table and the index itself, read as evidence (the scan's read is not) */
	if (pcs_read_paged(f->t, PCS_KVADDR, idx_at - span, b, span + IDX_BYTES, NULL)) {
		reject(f, 1, idx_at, "the memory before a token index is not in the dump");
		goto out;
	}
	for (int i = 0; i < 256; i++)
		if (le16(b + span + 2 * i) != idx[i]) {
			reject(f, 1, idx_at, "a token index changed under the scan");
			goto out;
		}
	/* the table starts 8-aligned; its last token ends < 8 bytes before the index */
	for (size_t x = 0; x + idx[255] + 2 <= span && !found; x++) {
		uint64_t tt = idx_at - span + x;
		const uint8_t *p = b + x;
		size_t i, k = 0;

		if (tt % 8)
			continue;
		for (i = 0; i < 256; i++) {
			size_t end = i < 255 ? idx[i + 1] - 1u : (size_t)-1;

			for (k = idx[i]; x + k < span && printable(p[k]) && k < end; k++)
				;
			if (x + k >= span || p[k] != '\0' || (i < 255 && k != end))
				break;
		}
		if (i < 256)
			continue;
		/* k: the last token's NUL; only zeros up to the index, fewer than 8 */
		size_t tail = span - (x + k + 1);
		int zeros = tail < 8;

		for (size_t z = x + k + 1; zeros && z < span; z++)
			zeros = b[z] == 0;
		if (zeros)
			found = tt;
	}
	if (!found)
		reject(f, 1, idx_at, "no token table of printable tokens before a token index");
out:
	free(b);
	return found;
}

/*
 * The markers before the token table at tt: walked back from its end (a 4-byte
 * alignment pad aside), strictly descending to 0. *m of them into mk; their start.
 */
static uint64_t markers(struct find *f, uint64_t tt, uint32_t *mk, size_t *m)
{
	uint64_t a = tt - 4;
	uint32_t v, prev = 0;
	size_t n = 0;

	if (pcs_read_u32(f->t, a, &v, NULL))
		return 0;
	if (v == 0) /* alignment pad */
		a -= 4;
	for (; n < MARKERS_MAX; a -= 4) {
		if (pcs_read_u32(f->t, a, &v, NULL))
			break;
		if (n && (v >= prev || prev - v < 2 * 256 || prev - v > ENTRY_MAX * 256))
			break;
		mk[n++] = v;
		prev = v;
		if (v == 0)
			break;
	}
	if (!n || mk[n - 1] != 0 || n < 2) {
		reject(f, 2, tt, "no ascending kallsyms_markers before a token table");
		return 0;
	}
	for (size_t i = 0; i < n / 2; i++) { /* walked backwards: reverse */
		uint32_t s = mk[i];

		mk[i] = mk[n - 1 - i];
		mk[n - 1 - i] = s;
	}
	*m = n;
	return a;
}

/*
 * Do num entries from names fall on every marker and end within 8 bytes (zeros)
 * before mstart? b holds the bytes [names, mstart).
 */
static int names_fit(const uint8_t *b, size_t blen, uint32_t num, const uint32_t *mk, size_t m)
{
	size_t off = 0;

	for (uint32_t i = 0; i < num; i++) {
		if (i % 256 == 0 && (i / 256 >= m || off != mk[i / 256]))
			return 0;
		if (off >= blen)
			return 0;
		size_t len = b[off++];

		if (len & 0x80) {
			if (off >= blen)
				return 0;
			len = (len & 0x7f) | (size_t)b[off++] << 7;
		}
		if (!len || len > ENTRY_MAX)
			return 0;
		off += len;
	}
	if (off > blen || blen - off >= 8)
		return 0;
	while (off < blen)
		if (b[off++])
			return 0;
	return 1;
}

/*
 * Are the decoded symbols the kernel's: ascending, with _stext (= SYMBOL(_stext))
 * and _text, when kept (KALLSYMS_ALL=n keeps only [_stext, _etext) and init text),
 * not above it?
 */
static const char *symbols_ok(const struct find *f, const struct pcs_kallsyms *ks)
{
	uint64_t text, stext;

	for (size_t i = 1; i < ks->n; i++)
		if (ks->addr[i] < ks->addr[i - 1])
			return "addresses are not ascending";
	if (!pcs_kallsyms_lookup(ks, "_stext", &stext))
		return "no _stext among the symbols";
	if (pcs_kallsyms_lookup(ks, "_text", &text) && text > stext)
		return "_text is above _stext";
	if (f->stext && stext != f->stext)
		return "_stext differs from VMCOREINFO's SYMBOL(_stext)";
	return NULL;
}

/* Decode with the address layout in tab; keep it when the symbols check out. */
static int try_layout(struct find *f, const struct pcs_kallsyms_tables *tab, uint64_t at)
{
	struct pcs_kallsyms *ks = NULL;
	struct pcs_error e = {0};
	enum pcs_errcode rc = pcs_kallsyms_load(f->t, tab, &ks, &e);
	const char *why;

	if (rc == PCS_ERR_NOMEM) {
		f->fatal = rc;
		pcs_error_set(f->err, rc, "%s", e.msg);
		return 1;
	}
	if (rc) {
		reject(f, 4, at, "the tables do not decode");
		return 0;
	}
	if ((why = symbols_ok(f, ks))) {
		reject(f, 5, at, why);
		pcs_kallsyms_free(ks);
		return 0;
	}
	f->tab = *tab;
	f->ks = ks;
	return 1;
}

/* The names (and count, addresses) before markers at mstart; 1 when found (or fatal). */
static int names_before(struct find *f, uint64_t mstart, const uint32_t *mk, size_t m,
			struct pcs_kallsyms_tables *tab)
{
	/* names end after the last group (<= 256 entries) past the last marker */
	uint64_t hi = mstart - mk[m - 1];
	uint64_t lo = hi - (uint64_t)256 * ENTRY_MAX;
	int done = 0;

	for (uint64_t s = hi & ~UINT64_C(7); s >= lo && !done; s -= 8) {
		uint32_t num;

		if (pcs_read_u32(f->t, s - 8, &num, NULL) || !num || num > KSYM_FIND_MAX_SYMS ||
		    (num + 255) / 256 != m || mstart - s > NAMES_MAX)
			continue;
		size_t blen = (size_t)(mstart - s);
		uint8_t *b = malloc(blen);

		if (!b) {
			f->fatal = PCS_ERR_NOMEM;
			pcs_error_set(f->err, PCS_ERR_NOMEM, "out of memory for kallsyms");
			return 1;
		}
		if (pcs_read_paged(f->t, PCS_KVADDR, s, b, blen, NULL) ||
		    !names_fit(b, blen, num, mk, m)) {
			free(b);
			reject(f, 3, mstart, "kallsyms_names do not fall on the markers");
			continue;
		}
		free(b);
		tab->num_syms = s - 8;
		tab->names = s;
		/* relative: relative_base at count - 8, offsets 8-aligned before it */
		tab->relative_base = s - 16;
		tab->offsets = tab->relative_base - (((uint64_t)num * 4 + 7) & ~UINT64_C(7));
		tab->addresses = 0;
		if (try_layout(f, tab, s))
			return 1;
		/* absolute: addresses right before the count */
		tab->offsets = tab->relative_base = 0;
		tab->addresses = s - 8 - (uint64_t)num * 8;
		done = try_layout(f, tab, s);
	}
	return done;
}

static int scan_chunk(void *vctx, uint64_t base, const uint8_t *buf, size_t len)
{
	struct find *f = vctx;
	uint32_t *mk = NULL;

	for (size_t o = (size_t)((8 - base % 8) % 8); o + IDX_BYTES <= len; o += 8) {
		const uint8_t *p = buf + o;

		if (p[0] || p[1] || !index_shape(p))
			continue;
		uint64_t at = base + o, tt, ms;
		struct pcs_kallsyms_tables tab = {0};
		uint16_t idx[256];
		size_t m = 0;

		for (int i = 0; i < 256; i++)
			idx[i] = le16(p + 2 * i);
		if (!(tt = token_table(f, at, idx)))
			continue;
		if (!mk && !(mk = malloc(MARKERS_MAX * sizeof(*mk)))) {
			f->fatal = PCS_ERR_NOMEM;
			pcs_error_set(f->err, PCS_ERR_NOMEM, "out of memory for kallsyms");
			return 1;
		}
		if (!(ms = markers(f, tt, mk, &m)))
			continue;
		tab.token_index = at;
		tab.token_table = tt;
		if (names_before(f, ms, mk, m, &tab)) {
			free(mk);
			return 1;
		}
	}
	free(mk);
	return 0;
}

enum pcs_errcode pcs_kallsyms_find(const struct pcs_target *t, uint64_t lo, uint64_t hi,
				   struct pcs_kallsyms_tables *tab, struct pcs_kallsyms **out,
				   struct pcs_error *err)
{
	struct find f = {.t = t, .err = err};
	struct pcs_error se = {0};
	enum pcs_errcode rc;

	*out = NULL;
	if (pcs_vmcoreinfo_u64(t, "SYMBOL(_stext)", &f.stext, NULL))
		f.stext = 0;
	rc = pcs_kscan(t, lo, hi, IDX_BYTES - 1, scan_chunk, &f, &se);
	if (f.fatal)
		return f.fatal;
	if (f.ks) {
		*tab = f.tab;
		*out = f.ks;
		return PCS_OK;
	}
	if (rc == PCS_ERR_CORRUPT)
		return pcs_error_set(err, rc, "searching the kernel image for kallsyms: %s",
				     se.msg);
	if (rc)
		return pcs_error_set(err, rc, "%s", se.msg);
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "no kallsyms tables in the kernel image 0x%" PRIx64 "-0x%" PRIx64
			     "%s%s",
			     lo, hi, f.why[0] ? ": " : "", f.why);
}
