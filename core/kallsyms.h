/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own symbol table (kallsyms) decoded from dump memory, for when no
 * vmlinux is at hand. The tables are located by VMCOREINFO's SYMBOL(kallsyms_names),
 * _num_syms, _token_table, _token_index and _offsets + _relative_base (or
 * _addresses), exported since Linux 6.0; every read goes through the target.
 *
 * Format (scripts/kallsyms.c): kallsyms_names holds one entry per symbol, a length
 * byte (two bytes if its top bit is set, 6.1+) then that many token indices; a
 * token expands through kallsyms_token_index[] into kallsyms_token_table. The
 * first expanded character is the nm-style type ('T', 'D', 'b', ...). Addresses:
 * relative_base + (u32)offset, or with KALLSYMS_ABSOLUTE_PERCPU (x86_64) an
 * offset >= 0 is absolute (per-cpu) and a negative one relative_base - 1 - offset.
 */
#ifndef PCS_KALLSYMS_H
#define PCS_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

/* Where the tables are (kernel virtual addresses). relative_base 0 => addresses[]. */
struct pcs_kallsyms_tables {
	uint64_t num_syms, names, token_table, token_index, offsets, relative_base, addresses;
};

struct pcs_kallsyms {
	size_t n;
	uint64_t *addr;	      /* in kallsyms order (sorted by address) */
	uint32_t *name;	      /* offset of the name in names */
	char *type;	      /* nm type letter */
	char *names;	      /* NUL-separated */
	size_t names_len;     /* bytes used in names */
	uint32_t *hash;	      /* open addressing: index + 1, 0 = empty */
	size_t hcap;	      /* power of two */
	bool absolute_percpu; /* the offsets were in KALLSYMS_ABSOLUTE_PERCPU form */
	bool borrowed;	      /* name, type, names, hash are the caller's (pcs_kallsyms_adopt) */
};

/* The table addresses from VMCOREINFO; PCS_ERR_NOSYM naming the first missing key. */
enum pcs_errcode pcs_kallsyms_tables(const struct pcs_target *t, struct pcs_kallsyms_tables *tab,
				     struct pcs_error *err);
/* Decode the tables; *out freed with pcs_kallsyms_free. */
enum pcs_errcode pcs_kallsyms_load(const struct pcs_target *t,
				   const struct pcs_kallsyms_tables *tab, struct pcs_kallsyms **out,
				   struct pcs_error *err);
/*
 * Parse /proc/kallsyms text ("ADDR TYPE NAME [MODULE]" per line; module symbols
 * included, their module name dropped), sorted by address. PCS_ERR_NOSYM when
 * every address is 0 (kptr_restrict hides them from this user).
 */
enum pcs_errcode pcs_kallsyms_parse_text(const char *text, size_t len, struct pcs_kallsyms **out,
					 struct pcs_error *err);
void pcs_kallsyms_free(struct pcs_kallsyms *ks);
/*
 * Check and index a table filled in by the caller (n, addr, name, type, names,
 * names_len, e.g. from a cache file): every name inside names and NUL-terminated,
 * addresses ascending. PCS_ERR_CORRUPT saying what is wrong. With hash and hcap
 * set (a name index saved by pcs_kallsyms_index() of the same table) the index is
 * checked to be well-formed (a power of two, entries in range, an empty slot)
 * instead of rebuilt; its fitness for lookups is the caller's to vouch for (a
 * checksum). ks->borrowed: pcs_kallsyms_free() frees only ks->addr and ks.
 */
enum pcs_errcode pcs_kallsyms_adopt(struct pcs_kallsyms *ks, struct pcs_error *err);

/*
 * For kernels before 6.0 (no kallsyms keys in VMCOREINFO): find the tables in the
 * kernel image [lo, hi) by their structure (kallsyms_find.c), strictly validated,
 * and decode them. PCS_ERR_NOSYM with the reason the nearest candidate failed.
 */
enum pcs_errcode pcs_kallsyms_find(const struct pcs_target *t, uint64_t lo, uint64_t hi,
				   struct pcs_kallsyms_tables *tab, struct pcs_kallsyms **out,
				   struct pcs_error *err);

/* Address of name (a global one if the name is also a local's); false if absent. */
bool pcs_kallsyms_lookup(const struct pcs_kallsyms *ks, const char *name, uint64_t *addr);
/* Symbol at or below addr (its size: distance to the next symbol); false if none. */
bool pcs_kallsyms_symbolize(const struct pcs_kallsyms *ks, uint64_t addr, const char **name,
			    uint64_t *off, uint64_t *size);

#endif /* PCS_KALLSYMS_H */
