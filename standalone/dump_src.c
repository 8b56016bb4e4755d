// SPDX-License-Identifier: GPL-2.0-or-later
#include "dump_src.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "btf_find.h"
#include "kcache.h"
#include "kallsyms.h"
#include "roots.h"
#include <string.h>

#define IMAGE_SCAN_MAX (256ull << 20) /* no kernel image is larger */

/* Write the cache entry with the BTF blob at hand: loaded from the dump, else the entry's. */
static void store(struct sa_target *st)
{
	if (st->btf_blob)
		sa_kcache_store(st, st->btf_blob, st->btf_size, st->btf_addr);
	else if (st->kcache->btf)
		sa_kcache_store(st, st->kcache->btf, st->kcache->btf_size, st->kcache->btf_addr);
	else
		sa_kcache_store(st, NULL, 0, 0);
}

/* The per-kernel cache entry, read once; NULL when the cache is off. */
static struct sa_kcache *kcache(struct sa_target *st)
{
	if (st->kcache_off)
		return NULL;
	if (!st->kcache && !(st->kcache = calloc(1, sizeof(*st->kcache))))
		return NULL;
	sa_kcache_load(st, st->kcache);
	return st->kcache;
}

/*
 * Before Linux 6.0 VMCOREINFO does not point to the kallsyms tables: find them in
 * the kernel image by their structure (core/kallsyms_find.c), from SYMBOL(_stext).
 */
static enum pcs_errcode image_symbols(struct sa_target *st, struct pcs_error *err)
{
	struct pcs_kallsyms_tables tab;
	struct pcs_error e = {0};
	enum pcs_errcode rc;
	uint64_t lo;

	if (pcs_vmcoreinfo_u64(&st->t, "SYMBOL(_stext)", &lo, NULL) || !lo)
		snprintf(e.msg, sizeof(e.msg), "VMCOREINFO has no SYMBOL(_stext)");
	else if (!(rc = pcs_kallsyms_find(&st->t, lo, lo + IMAGE_SCAN_MAX, &tab, &st->ksyms, &e))) {
		snprintf(st->syms_from, sizeof(st->syms_from),
			 "kernel image kallsyms at 0x%" PRIx64 " (found by structure, %zu symbols)",
			 tab.names, st->ksyms->n);
		st->ktab_end = tab.token_index + 256 * 2;
		return PCS_OK;
	} else if (rc == PCS_ERR_NOMEM)
		return pcs_error_set(err, rc, "%s", e.msg);
	snprintf(st->syms_why, sizeof(st->syms_why),
		 "no kallsyms from the dump: VMCOREINFO names no kallsyms tables (Linux before "
		 "6.0) and %.230s",
		 e.msg);
	return pcs_error_set(err, PCS_ERR_NOSYM, "%s", st->syms_why);
}

enum pcs_errcode sa_dump_symbols(struct sa_target *st, struct pcs_error *err)
{
	struct pcs_kallsyms_tables tab;
	struct pcs_error e = {0};
	enum pcs_errcode rc;

	if (st->ksyms)
		return PCS_OK;
	if (st->syms_why[0])
		return pcs_error_set(err, PCS_ERR_NOSYM, "%s", st->syms_why);
	struct sa_kcache *kc = kcache(st);

	if (kc && kc->ks) {
		st->ksyms = kc->ks;
		kc->ks = NULL;
		snprintf(st->syms_from, sizeof(st->syms_from), "%.100s, cached", kc->syms_from);
		return PCS_OK;
	}
	rc = pcs_kallsyms_tables(&st->t, &tab, &e);
	if (rc == PCS_ERR_NOSYM) {
		if ((rc = image_symbols(st, err)) == PCS_OK && kc)
			store(st);
		return rc;
	}
	if (rc || (rc = pcs_kallsyms_load(&st->t, &tab, &st->ksyms, &e))) {
		snprintf(st->syms_why, sizeof(st->syms_why), "no kallsyms from the dump: %.280s",
			 e.msg);
		return pcs_error_set(err, rc, "%s", st->syms_why);
	}
	snprintf(st->syms_from, sizeof(st->syms_from), "VMCOREINFO kallsyms (%zu symbols)",
		 st->ksyms->n);
	if (kc)
		store(st);
	return PCS_OK;
}

/* A kernel symbol from VMCOREINFO or kallsyms, 0 if neither has it. */
static uint64_t image_sym(struct sa_target *st, const char *name)
{
	uint64_t a = 0;
	char key[64];

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	if (pcs_vmcoreinfo_u64(&st->t, key, &a, NULL) == PCS_OK)
		return a;
	if (st->ksyms && pcs_kallsyms_lookup(st->ksyms, name, &a))
		return a;
	return 0;
}

/*
 * The kernel image's read-only data holds .BTF. With kallsyms: after its own
 * tables (the last of .rodata; .BTF follows in RO_DATA) up to __init_begin or _end;
 * the symbols __start_BTF/__stop_BTF (KALLSYMS_ALL=y) are only a starting point,
 * the blob is checked the same way. Without kallsyms: from _stext on.
 */
static void scan_range(struct sa_target *st, uint64_t *lo, uint64_t *hi)
{
	static const char *const tables[] = {"kallsyms_token_index",   "kallsyms_token_table",
					     "kallsyms_names",	       "kallsyms_offsets",
					     "kallsyms_relative_base", "kallsyms_num_syms"};
	uint64_t start = image_sym(st, "__start_BTF"), end;

	*lo = image_sym(st, "_stext");
	if (start) {
		*lo = start;
	} else {
		for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			uint64_t a = image_sym(st, tables[i]);

			if (a > *lo)
				*lo = a;
		}
	}
	if (st->ktab_end > *lo) /* .BTF follows the kallsyms tables in RO_DATA */
		*lo = st->ktab_end;
	end = image_sym(st, "__init_begin");
	if (!end || end <= *lo)
		end = image_sym(st, "_end");
	if (!end || end <= *lo || end - *lo > IMAGE_SCAN_MAX)
		end = *lo + IMAGE_SCAN_MAX;
	*hi = end;
}

enum pcs_errcode sa_dump_types(struct sa_target *st, struct pcs_error *err)
{
	uint64_t lo, hi, addr;
	void *blob = NULL;
	uint32_t size;
	enum pcs_errcode rc;

	sa_dump_symbols(st, NULL);
	struct sa_kcache *kc = kcache(st);

	if (kc && kc->btf && sa_types_open_btf_raw(kc->btf, kc->btf_size, &st->types, NULL) == 0) {
		st->btf_addr = kc->btf_addr;
		st->btf_size = kc->btf_size; /* the blob stays in kc (for a later store) */
		snprintf(st->types_from, sizeof(st->types_from),
			 "dump BTF at 0x%" PRIx64 " (%" PRIu32 " bytes, cached)", st->btf_addr,
			 st->btf_size);
		return PCS_OK;
	}
	scan_range(st, &lo, &hi);
	if (!lo)
		return pcs_error_set(
		    err, PCS_ERR_NOTYPE,
		    "no type information: VMCOREINFO has no SYMBOL(_stext) to find "
		    "the kernel image by; give the kernel's debug vmlinux: -k VMLINUX");
	rc = pcs_btf_find(&st->t, lo, hi, &addr, &blob, &size, err);
	if (rc == PCS_ERR_NOTFOUND && lo != image_sym(st, "_stext") && image_sym(st, "_stext"))
		rc = pcs_btf_find(&st->t, image_sym(st, "_stext"), lo, &addr, &blob, &size, err);
	if (rc == PCS_ERR_NOTFOUND)
		return pcs_error_set(
		    err, PCS_ERR_NOTYPE,
		    "no type information: the dump's kernel image holds no BTF (kernel %s built "
		    "without CONFIG_DEBUG_INFO_BTF?) and no vmlinux was given; install the "
		    "kernel's debug vmlinux (Debian: linux-image-%s-dbg) and pass -k VMLINUX",
		    st->t.osrelease, st->t.osrelease);
	if (rc) {
		if (err)
			pcs_error_wrap(err, "no type information (give -k VMLINUX)");
		return rc;
	}
	rc = sa_types_open_btf_raw(blob, size, &st->types, err);
	if (rc || !kc)
		free(blob);
	if (rc) {
		if (err)
			pcs_error_wrap(err, "the kernel's BTF in the dump at 0x%" PRIx64, addr);
		return rc;
	}
	st->btf_addr = addr;
	st->btf_size = size;
	snprintf(st->types_from, sizeof(st->types_from),
		 "dump BTF at 0x%" PRIx64 " (%" PRIu32 " bytes)", addr, size);
	if (kc) {
		st->btf_blob = blob;
		store(st);
	}
	return PCS_OK;
}

enum pcs_errcode sa_dump_root(struct sa_target *st, const char *name, uint64_t *addr,
			      struct pcs_error *err)
{
	struct pcs_error e = {0};
	struct sa_root *r;

	for (size_t i = 0; i < st->nroots; i++) {
		r = &st->roots[i];
		if (strcmp(r->name, name))
			continue;
		if (r->rc == PCS_OK)
			*addr = r->addr;
		return r->rc ? pcs_error_set(err, r->rc, "%s", r->why) : PCS_OK;
	}
	if (st->nroots >= sizeof(st->roots) / sizeof(st->roots[0]))
		return pcs_error_set(err, PCS_ERR_NOSYM, "%s: too many derived roots", name);
	r = &st->roots[st->nroots++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->rc = PCS_ERR_NOSYM; /* while deriving: no recursion into itself */
	snprintf(r->why, sizeof(r->why), "%s: derivation loops", name);
	size_t idx = st->nroots - 1;
	uint64_t a = 0;

	st->root_depth++;
	enum pcs_errcode rc = pcs_root_derive(&st->t, name, &a, &e);

	st->root_depth--;
	r = &st->roots[idx];
	/* a failure inside another derivation may be that one's recursion: not final */
	if (rc && st->root_depth) {
		st->nroots = idx;
		return pcs_error_set(err, rc, "%s", e.msg);
	}
	r->rc = rc;
	r->addr = a;
	snprintf(r->why, sizeof(r->why), "%.190s", e.msg);
	if (r->rc == PCS_OK) {
		*addr = r->addr;
		if (!strstr(st->syms_from, "derived"))
			snprintf(st->syms_from + strlen(st->syms_from),
				 sizeof(st->syms_from) - strlen(st->syms_from), " + derived roots");
		return PCS_OK;
	}
	return pcs_error_set(err, r->rc, "%s (give -k VMLINUX)", r->why);
}
