// SPDX-License-Identifier: GPL-2.0-or-later
/* kallsyms decoding from dump memory: see kallsyms.h for the table format. */
#include "kallsyms.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KSYM_MAX_SYMS  (4u << 20)  /* far above any kernel's ~200k */
#define KSYM_NAMES_MAX (64u << 20) /* bytes of kallsyms_names we accept */
#define KSYM_CHUNK     65536

/* Add context to err (if any) and keep rc. */
static enum pcs_errcode wrap(enum pcs_errcode rc, struct pcs_error *err, const char *what)
{
	if (err)
		pcs_error_wrap(err, "%s", what);
	return rc;
}

static enum pcs_errcode vmci_sym(const struct pcs_target *t, const char *name, uint64_t *addr,
				 bool need, struct pcs_error *err)
{
	char key[64];

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	if (pcs_vmcoreinfo_u64(t, key, addr, NULL) == PCS_OK)
		return PCS_OK;
	*addr = 0;
	if (!need)
		return PCS_OK;
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "VMCOREINFO has no SYMBOL(%s): this kernel does not export its "
			     "kallsyms tables (Linux 6.0+ does)",
			     name);
}

enum pcs_errcode pcs_kallsyms_tables(const struct pcs_target *t, struct pcs_kallsyms_tables *tab,
				     struct pcs_error *err)
{
	enum pcs_errcode rc;

	memset(tab, 0, sizeof(*tab));
	if ((rc = vmci_sym(t, "kallsyms_num_syms", &tab->num_syms, true, err)) ||
	    (rc = vmci_sym(t, "kallsyms_names", &tab->names, true, err)) ||
	    (rc = vmci_sym(t, "kallsyms_token_table", &tab->token_table, true, err)) ||
	    (rc = vmci_sym(t, "kallsyms_token_index", &tab->token_index, true, err)))
		return rc;
	vmci_sym(t, "kallsyms_offsets", &tab->offsets, false, NULL);
	vmci_sym(t, "kallsyms_relative_base", &tab->relative_base, false, NULL);
	if (!tab->offsets || !tab->relative_base) {
		tab->offsets = tab->relative_base = 0;
		return vmci_sym(t, "kallsyms_addresses", &tab->addresses, true, err);
	}
	return PCS_OK;
}

/* A forward reader of kallsyms_names through a window of dump memory. */
struct cursor {
	const struct pcs_target *t;
	uint64_t base, pos; /* window start, absolute position */
	size_t len;	    /* bytes valid in buf */
	uint8_t buf[KSYM_CHUNK];
};

static enum pcs_errcode cursor_fill(struct cursor *c, uint8_t *b, struct pcs_error *err)
{
	enum pcs_errcode rc;

	/* read up to the end of the 64 KiB-aligned chunk, no page beyond it */
	c->base = c->pos;
	c->len = KSYM_CHUNK - (size_t)(c->pos % KSYM_CHUNK);
	if ((rc = pcs_read_paged(c->t, PCS_KVADDR, c->base, c->buf, c->len, err))) {
		c->len = 0;
		return wrap(rc, err, "reading kallsyms_names");
	}
	*b = c->buf[c->pos++ - c->base];
	return PCS_OK;
}

static inline enum pcs_errcode cursor_byte(struct cursor *c, uint8_t *b, struct pcs_error *err)
{
	if (c->pos - c->base < c->len) {
		*b = c->buf[c->pos++ - c->base];
		return PCS_OK;
	}
	return cursor_fill(c, b, err);
}

static uint64_t sym_addr(const struct pcs_kallsyms *ks, uint64_t base, int32_t off)
{
	if (!ks->absolute_percpu)
		return base + (uint32_t)off;
	if (off >= 0)
		return (uint64_t)(int64_t)off;
	return base - 1 - (uint64_t)(int64_t)off;
}

static enum pcs_errcode load_addresses(const struct pcs_target *t,
				       const struct pcs_kallsyms_tables *tab,
				       struct pcs_kallsyms *ks, struct pcs_error *err)
{
	enum pcs_errcode rc;

	if (tab->addresses) {
		rc = pcs_read_paged(t, PCS_KVADDR, tab->addresses, ks->addr, ks->n * 8, err);
		return rc ? wrap(rc, err, "reading kallsyms_addresses") : PCS_OK;
	}
	int32_t *off = malloc(ks->n * 4);
	uint64_t base;
	size_t neg = 0;

	if (!off)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for kallsyms");
	if ((rc = pcs_read_paged(t, PCS_KVADDR, tab->offsets, off, ks->n * 4, err)) ||
	    (rc = pcs_read_u64(t, tab->relative_base, &base, err))) {
		free(off);
		return wrap(rc, err, "reading kallsyms_offsets");
	}
	for (size_t i = 0; i < ks->n; i++)
		neg += off[i] < 0;
	/* ABSOLUTE_PERCPU stores the (many) image symbols as negative offsets */
	ks->absolute_percpu = neg > ks->n / 2;
	for (size_t i = 0; i < ks->n; i++)
		ks->addr[i] = sym_addr(ks, base, off[i]);
	free(off);
	return PCS_OK;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

static bool is_global(char type)
{
	return type >= 'A' && type <= 'Z';
}

static enum pcs_errcode build_hash(struct pcs_kallsyms *ks, struct pcs_error *err)
{
	ks->hcap = 1;
	while (ks->hcap < ks->n * 2)
		ks->hcap <<= 1;
	ks->hash = calloc(ks->hcap, sizeof(*ks->hash));
	if (!ks->hash)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for kallsyms");
	for (size_t i = 0; i < ks->n; i++) {
		const char *nm = ks->names + ks->name[i];
		size_t h = name_hash(nm) & (ks->hcap - 1);

		for (;; h = (h + 1) & (ks->hcap - 1)) {
			uint32_t e = ks->hash[h];

			if (!e) {
				ks->hash[h] = (uint32_t)i + 1;
				break;
			}
			if (strcmp(ks->names + ks->name[e - 1], nm) == 0) {
				/* keep the first; a global wins over a same-named local */
				if (!is_global(ks->type[e - 1]) && is_global(ks->type[i]))
					ks->hash[h] = (uint32_t)i + 1;
				break;
			}
		}
	}
	return PCS_OK;
}

static enum pcs_errcode load_tokens(const struct pcs_target *t,
				    const struct pcs_kallsyms_tables *tab, char **table,
				    uint16_t index[256], struct pcs_error *err)
{
	size_t max = 0, len;
	enum pcs_errcode rc;

	if ((rc = pcs_read_paged(t, PCS_KVADDR, tab->token_index, index, 256 * 2, err)))
		return wrap(rc, err, "reading kallsyms_token_index");
	for (int i = 0; i < 256; i++)
		if (index[i] > max)
			max = index[i];
	len = max + 256; /* the last token is shorter than that */
	*table = malloc(len + 1);
	if (!*table)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for kallsyms");
	if ((rc = pcs_read_paged(t, PCS_KVADDR, tab->token_table, *table, len, err)))
		return wrap(rc, err, "reading kallsyms_token_table");
	(*table)[len] = '\0';
	if (!memchr(*table + max, '\0', len - max))
		return pcs_error_set(err, PCS_ERR_CORRUPT,
				     "kallsyms_token_table at 0x%" PRIx64 " is not NUL-terminated",
				     tab->token_table);
	return PCS_OK;
}

/*
 * Append one expanded symbol to names: the type letter is the first expanded
 * character; the name starts right after it (the letter stays in names, unused).
 */
static enum pcs_errcode expand_one(struct cursor *c, const char *tokens, const uint16_t *index,
				   const uint16_t *toklen, size_t toklen_max,
				   struct pcs_kallsyms *ks, size_t *used, size_t *cap, size_t i,
				   struct pcs_error *err)
{
	enum pcs_errcode rc;
	uint8_t b, hi;
	size_t len, start = *used;

	if ((rc = cursor_byte(c, &b, err)))
		return rc;
	len = b;
	if (b & 0x80) {
		if ((rc = cursor_byte(c, &hi, err)))
			return rc;
		len = (b & 0x7fu) | ((size_t)hi << 7);
	}
	if (!len)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms entry %zu has length 0", i);
	while (*used + len * toklen_max + 1 > *cap) {
		size_t ncap = *cap * 2;
		char *n = ncap <= KSYM_NAMES_MAX * 2 ? realloc(ks->names, ncap) : NULL;

		if (!n)
			return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms names exceed %u MiB",
					     KSYM_NAMES_MAX >> 19);
		ks->names = n;
		*cap = ncap;
	}
	char *out = ks->names + *used;

	while (len--) {
		if ((rc = cursor_byte(c, &b, err)))
			return rc;
		memcpy(out, tokens + index[b], toklen[b]);
		out += toklen[b];
	}
	if (out == ks->names + start)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms entry %zu is empty", i);
	*out++ = '\0';
	ks->type[i] = ks->names[start];
	ks->name[i] = (uint32_t)start + 1;
	*used = (size_t)(out - ks->names);
	return PCS_OK;
}

enum pcs_errcode pcs_kallsyms_load(const struct pcs_target *t,
				   const struct pcs_kallsyms_tables *tab, struct pcs_kallsyms **out,
				   struct pcs_error *err)
{
	struct pcs_kallsyms *ks;
	struct cursor *c = NULL;
	char *tokens = NULL;
	uint16_t index[256];
	uint32_t num;
	size_t used = 0, cap;
	enum pcs_errcode rc;

	*out = NULL;
	if ((rc = pcs_read_u32(t, tab->num_syms, &num, err)))
		return wrap(rc, err, "reading kallsyms_num_syms");
	if (!num || num > KSYM_MAX_SYMS)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms_num_syms is %" PRIu32, num);
	ks = calloc(1, sizeof(*ks));
	c = calloc(1, sizeof(*c));
	if (!ks || !c) {
		free(c);
		free(ks);
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for kallsyms");
	}
	ks->n = num;
	cap = (size_t)num * 32; /* names average ~20 bytes: one allocation, no regrowth */
	ks->addr = malloc(num * sizeof(*ks->addr));
	ks->name = malloc(num * sizeof(*ks->name));
	ks->type = malloc(num);
	ks->names = malloc(cap);
	if (!ks->addr || !ks->name || !ks->type || !ks->names) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for kallsyms");
		goto fail;
	}
	if ((rc = load_addresses(t, tab, ks, err)) ||
	    (rc = load_tokens(t, tab, &tokens, index, err)))
		goto fail;
	uint16_t toklen[256];
	size_t toklen_max = 1;

	for (int b = 0; b < 256; b++) {
		toklen[b] = (uint16_t)strlen(tokens + index[b]);
		if (toklen[b] > toklen_max)
			toklen_max = toklen[b];
	}
	c->t = t;
	c->pos = tab->names;
	for (size_t i = 0; i < num; i++)
		if ((rc =
			 expand_one(c, tokens, index, toklen, toklen_max, ks, &used, &cap, i, err)))
			goto fail;
	ks->names_len = used;
	if ((rc = build_hash(ks, err)))
		goto fail;
	free(tokens);
	free(c);
	*out = ks;
	return PCS_OK;
fail:
	free(tokens);
	free(c);
	pcs_kallsyms_free(ks);
	return rc;
}

struct text_sym {
	uint64_t addr;
	uint32_t name;
	char type;
};

static int text_sym_cmp(const void *a, const void *b)
{
	const struct text_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name; /* stable: file order */
}

enum pcs_errcode pcs_kallsyms_parse_text(const char *text, size_t len, struct pcs_kallsyms **out,
					 struct pcs_error *err)
{
	struct pcs_kallsyms *ks = calloc(1, sizeof(*ks));
	struct text_sym *v = NULL;
	size_t n = 0, cap = 0, used = 0, nonzero = 0;
	enum pcs_errcode rc = PCS_OK;

	*out = NULL;
	if (!ks || !(ks->names = malloc(len + 1)))
		goto nomem;
	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos, *eol = memchr(line, '\n', len - pos);
		size_t l = eol ? (size_t)(eol - line) : len - pos;
		char *end;
		uint64_t a;

		pos += l + 1;
		errno = 0;
		a = strtoull(line, &end, 16);
		if (errno || end == line || end + 3 > line + l || end[0] != ' ' || end[2] != ' ')
			continue;
		const char *nm = end + 3, *nend = nm;

		while (nend < line + l && *nend != '\t' && *nend != ' ')
			nend++;
		if (nend == nm || n >= KSYM_MAX_SYMS)
			continue;
		if (n == cap) {
			struct text_sym *nv =
			    realloc(v, (cap = cap ? cap * 2 : 65536) * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
		}
		v[n++] = (struct text_sym){.addr = a, .name = (uint32_t)used, .type = end[1]};
		memcpy(ks->names + used, nm, (size_t)(nend - nm));
		used += (size_t)(nend - nm);
		ks->names[used++] = '\0';
		nonzero += a != 0;
	}
	if (!n) {
		rc = pcs_error_set(err, PCS_ERR_NOSYM, "no symbols in the kallsyms text");
		goto fail;
	}
	if (!nonzero) {
		rc = pcs_error_set(err, PCS_ERR_NOSYM,
				   "every kallsyms address is 0: kptr_restrict hides them "
				   "(root with kernel.kptr_restrict <= 1 sees them)");
		goto fail;
	}
	qsort(v, n, sizeof(*v), text_sym_cmp);
	ks->n = n;
	ks->names_len = used;
	ks->addr = malloc(n * sizeof(*ks->addr));
	ks->name = malloc(n * sizeof(*ks->name));
	ks->type = malloc(n);
	if (!ks->addr || !ks->name || !ks->type)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		ks->addr[i] = v[i].addr;
		ks->name[i] = v[i].name;
		ks->type[i] = v[i].type;
	}
	free(v);
	v = NULL;
	if ((rc = build_hash(ks, err)))
		goto fail;
	*out = ks;
	return PCS_OK;
nomem:
	rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory for kallsyms");
fail:
	free(v);
	pcs_kallsyms_free(ks);
	return rc;
}

enum pcs_errcode pcs_kallsyms_adopt(struct pcs_kallsyms *ks, struct pcs_error *err)
{
	if (!ks->n || ks->n > KSYM_MAX_SYMS || !ks->names_len || ks->names[ks->names_len - 1])
		return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms: bad count or names");
	for (size_t i = 0; i < ks->n; i++) {
		if (ks->name[i] >= ks->names_len || (i && ks->addr[i] < ks->addr[i - 1]))
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "kallsyms entry %zu: name or address out of order", i);
	}
	if (!ks->hash)
		return build_hash(ks, err);
	/* a saved index: a power of two above n, entries naming symbols, an empty slot */
	if (ks->hcap <= ks->n || (ks->hcap & (ks->hcap - 1)))
		return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms: name index of %zu slots",
				     ks->hcap);
	bool empty = false;

	for (size_t h = 0; h < ks->hcap; h++) {
		if (ks->hash[h] > ks->n)
			return pcs_error_set(err, PCS_ERR_CORRUPT,
					     "kallsyms: name index slot %zu out of range", h);
		empty |= !ks->hash[h];
	}
	if (!empty)
		return pcs_error_set(err, PCS_ERR_CORRUPT, "kallsyms: name index full");
	return PCS_OK;
}

void pcs_kallsyms_free(struct pcs_kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->addr);
	if (!ks->borrowed) {
		free(ks->name);
		free(ks->type);
		free(ks->names);
		free(ks->hash);
	}
	free(ks);
}

bool pcs_kallsyms_lookup(const struct pcs_kallsyms *ks, const char *name, uint64_t *addr)
{
	if (!ks || !ks->hcap)
		return false;
	for (size_t h = name_hash(name) & (ks->hcap - 1);; h = (h + 1) & (ks->hcap - 1)) {
		uint32_t e = ks->hash[h];

		if (!e)
			return false;
		if (strcmp(ks->names + ks->name[e - 1], name) == 0) {
			*addr = ks->addr[e - 1];
			return true;
		}
	}
}

bool pcs_kallsyms_symbolize(const struct pcs_kallsyms *ks, uint64_t addr, const char **name,
			    uint64_t *off, uint64_t *size)
{
	size_t lo = 0, hi;

	if (!ks || !ks->n)
		return false;
	/* absolute per-cpu symbols come first, below the image: skip them */
	hi = ks->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->addr[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || ks->addr[lo - 1] > addr)
		return false;
	size_t i = lo - 1;

	while (i > 0 && ks->addr[i - 1] == ks->addr[i])
		i--; /* the first of aliases, like the kernel's own lookup */
	size_t next = lo;

	while (next < ks->n && ks->addr[next] == ks->addr[i])
		next++;
	if (next >= ks->n)
		return false; /* past the last symbol: size unknown */
	*name = ks->names + ks->name[i];
	*off = addr - ks->addr[i];
	*size = ks->addr[next] - ks->addr[i];
	return true;
}
