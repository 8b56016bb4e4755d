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

#include <stdint.h>

#include "error.h"

struct sa_types;

struct sa_types_ops {
	enum pcs_errcode (*member_offset)(struct sa_types *ty, const char *type, const char *member,
					  uint64_t *off, struct pcs_error *err);
	enum pcs_errcode (*type_size)(struct sa_types *ty, const char *type, uint64_t *size,
				      struct pcs_error *err);
	enum pcs_errcode (*enum_value)(struct sa_types *ty, const char *name, int64_t *value,
				       struct pcs_error *err);
	void (*destroy)(struct sa_types *ty);
};

struct sa_types {
	const struct sa_types_ops *ops;
	const char *kind; /* "BTF", "DWARF" */
};

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
