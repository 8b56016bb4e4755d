/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Type providers for the standalone front end: struct layouts and enumerators.
 *
 * An interface so the source can change without touching the target: BTF from
 * the vmlinux .BTF section (libbpf, the default: small and fast), DWARF from the
 * vmlinux .debug_info (libdw, fallback for kernels built without BTF), and later
 * BTF read from the dump's own memory (the .BTF section is allocated).
 */
#ifndef SA_TYPES_H
#define SA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strhash.h"

struct sa_types;

/* A provider's handle of a type (a BTF id, a copied Dwarf_Die): opaque to types.c. */
struct sa_type_ref {
	_Alignas(max_align_t) unsigned char bytes[64];
};

/*
 * Called for each member of a struct/union: its name (NULL for an anonymous member),
 * its offset in bits and its type. A nonzero return stops the walk and is returned.
 */
typedef int (*sa_member_fn)(void *arg, const char *name, uint64_t bitoff,
			    const struct sa_type_ref *type);

/*
 * What a provider supplies; the provider-independent rest (dotted member paths,
 * anonymous members, the offset cache, enumerators) is in types.c.
 */
struct sa_types_ops {
	/* The struct/union named type (no "struct " tag) as a handle; false if unknown. */
	bool (*aggregate)(struct sa_types *ty, const char *type, struct sa_type_ref *ref);
	/*
	 * Call fn for each member of agg (after typedefs and qualifiers); -1 if agg is
	 * not a struct/union, else fn's nonzero return or 0.
	 */
	int (*members)(struct sa_types *ty, const struct sa_type_ref *agg, sa_member_fn fn,
		       void *arg);
	enum pcs_errcode (*type_size)(struct sa_types *ty, const char *type, uint64_t *size,
				      struct pcs_error *err);
	void (*destroy)(struct sa_types *ty);
};

struct sa_types {
	const struct sa_types_ops *ops;
	const char *kind;	     /* "BTF", "DWARF" */
	struct strhash enums;	     /* enumerator name → value, filled by the provider */
	struct strhash member_cache; /* "type.member" → offset (keys owned) */
};

/* For providers: set up / free the shared part (a zeroed one frees fine). 0 or -1. */
int sa_types_init(struct sa_types *ty, const struct sa_types_ops *ops, const char *kind,
		  size_t enums_expected);
void sa_types_release(struct sa_types *ty);
/* "struct page" → "page", "union foo" → "foo". */
const char *sa_types_strip_tag(const char *type);

/* Offset of member (a dotted path, through anonymous members) in struct/union type. */
enum pcs_errcode sa_types_member_offset(struct sa_types *ty, const char *type, const char *member,
					uint64_t *off, struct pcs_error *err);
enum pcs_errcode sa_types_enum_value(struct sa_types *ty, const char *name, int64_t *value,
				     struct pcs_error *err);

static inline enum pcs_errcode sa_types_type_size(struct sa_types *ty, const char *type,
						  uint64_t *size, struct pcs_error *err)
{
	return ty->ops->type_size(ty, type, size, err);
}

/* BTF from an ELF file's .BTF section, or a raw BTF blob file. */
enum pcs_errcode sa_types_open_btf(const char *path, struct sa_types **out, struct pcs_error *err);
/* BTF from a raw in-memory blob (e.g. read from the dump). Copies data. */
enum pcs_errcode sa_types_open_btf_raw(const void *data, uint32_t size, struct sa_types **out,
				       struct pcs_error *err);
/* DWARF (.debug_info) through libdw. */
enum pcs_errcode sa_types_open_dwarf(const char *path, struct sa_types **out,
				     struct pcs_error *err);

static inline void sa_types_destroy(struct sa_types *ty)
{
	if (ty)
		ty->ops->destroy(ty);
}

#endif /* SA_TYPES_H */
