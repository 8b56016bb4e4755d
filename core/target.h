/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one seam between the analysis core and its front ends.
 *
 * The core never opens a dump or parses debug info itself. A front end hands it a
 * struct pcs_target: memory reads, kernel symbols, struct layouts, enumerators and
 * VMCOREINFO lookups. crash-ext/ implements it with crash's readmem(),
 * symbol_value(), MEMBER_OFFSET(), STRUCT_SIZE(); standalone/ with libkdumpfile
 * (memory, VMCOREINFO) and BTF via libbpf or DWARF via libdw (types).
 *
 * Type names are struct/union tags without the keyword ("page", "xa_node").
 * Member names may be nested with dots ("i_data.i_pages") and are found through
 * anonymous unions/structs, like crash's MEMBER_OFFSET().
 */
#ifndef PCS_TARGET_H
#define PCS_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum pcs_arch {
	PCS_ARCH_UNKNOWN = 0,
	PCS_ARCH_ARM64,
	PCS_ARCH_X86_64,
};

enum pcs_addrspace {
	PCS_KVADDR,    /* kernel virtual address, translated by the backend */
	PCS_KPHYSADDR, /* physical address */
};

struct pcs_target_ops {
	/*
	 * Read exactly len bytes. Must return PCS_ERR_NODATA (not zeros!) when the
	 * dump does not contain the memory (makedumpfile-excluded page, hole).
	 */
	enum pcs_errcode (*read)(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
				 size_t len, struct pcs_error *err);
	/*
	 * Optional, same contract as read: a read made by a search by structure
	 * (core/kscan.c) passing over memory. A recording target does not record
	 * it: what a search passes over is not evidence, what it finds is read
	 * again with read. NULL: read is used.
	 */
	enum pcs_errcode (*read_search)(void *priv, enum pcs_addrspace as, uint64_t addr, void *buf,
					size_t len, struct pcs_error *err);
	/* Address of a kernel symbol, already relocated for KASLR. */
	enum pcs_errcode (*symbol_addr)(void *priv, const char *name, uint64_t *addr,
					struct pcs_error *err);
	/* Byte offset of member in struct/union type; PCS_ERR_NOTYPE if absent. */
	enum pcs_errcode (*member_offset)(void *priv, const char *type, const char *member,
					  uint64_t *off, struct pcs_error *err);
	/* sizeof(struct type); PCS_ERR_NOTYPE if absent. */
	enum pcs_errcode (*type_size)(void *priv, const char *type, uint64_t *size,
				      struct pcs_error *err);
	/* Value of an enumerator (e.g. "PG_head"); PCS_ERR_NOTYPE if absent. */
	enum pcs_errcode (*enum_value)(void *priv, const char *name, int64_t *value,
				       struct pcs_error *err);
	/*
	 * Raw VMCOREINFO value for key (e.g. "NUMBER(VA_BITS)", "OSRELEASE"),
	 * NUL-terminated into buf; PCS_ERR_NOTFOUND if the key is absent.
	 */
	enum pcs_errcode (*vmcoreinfo)(void *priv, const char *key, char *buf, size_t len,
				       struct pcs_error *err);
};

struct pcs_target {
	const struct pcs_target_ops *ops;
	void *priv;
	enum pcs_arch arch;
	uint32_t page_size;	 /* base page size in bytes */
	uint32_t kernel_version; /* PCS_KERNEL_VERSION(a, b, c) of the dump */
	char osrelease[65];
};

#define PCS_KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

/* Convenience wrappers: NULL-safe on err, consistent messages. */
enum pcs_errcode pcs_read(const struct pcs_target *t, enum pcs_addrspace as, uint64_t addr,
			  void *buf, size_t len, struct pcs_error *err);
/*
 * pcs_read() one page at a time, stopping at the first page that fails: for long
 * reads of dump memory that may be corrupt (libkdumpfile 0.5.1's cache breaks
 * after a multi-page read that stops half-way).
 */
enum pcs_errcode pcs_read_paged(const struct pcs_target *t, enum pcs_addrspace as, uint64_t addr,
				void *buf, size_t len, struct pcs_error *err);
/* A search's read (ops->read_search, else ops->read). */
enum pcs_errcode pcs_read_search(const struct pcs_target *t, enum pcs_addrspace as, uint64_t addr,
				 void *buf, size_t len, struct pcs_error *err);
enum pcs_errcode pcs_read_u64(const struct pcs_target *t, uint64_t kvaddr, uint64_t *val,
			      struct pcs_error *err);
enum pcs_errcode pcs_read_u32(const struct pcs_target *t, uint64_t kvaddr, uint32_t *val,
			      struct pcs_error *err);
enum pcs_errcode pcs_symbol(const struct pcs_target *t, const char *name, uint64_t *addr,
			    struct pcs_error *err);
enum pcs_errcode pcs_member_offset(const struct pcs_target *t, const char *type, const char *member,
				   uint64_t *off, struct pcs_error *err);
enum pcs_errcode pcs_type_size(const struct pcs_target *t, const char *type, uint64_t *size,
			       struct pcs_error *err);
enum pcs_errcode pcs_enum_value(const struct pcs_target *t, const char *name, int64_t *value,
				struct pcs_error *err);
enum pcs_errcode pcs_vmcoreinfo(const struct pcs_target *t, const char *key, char *buf, size_t len,
				struct pcs_error *err);
/* VMCOREINFO NUMBER(name)/SYMBOL(name)/OFFSET(x.y)/SIZE(x) parsed as integer. */
enum pcs_errcode pcs_vmcoreinfo_u64(const struct pcs_target *t, const char *key, uint64_t *val,
				    struct pcs_error *err);

/* Parse "6.1.0-27-arm64" into PCS_KERNEL_VERSION(6, 1, 0); 0 if unparsable. */
uint32_t pcs_parse_osrelease(const char *osrelease);

const char *pcs_arch_name(enum pcs_arch arch);

#endif /* PCS_TARGET_H */
