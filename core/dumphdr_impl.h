/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by dumphdr*.c (not part of the core API). */
#ifndef PCS_DUMPHDR_IMPL_H
#define PCS_DUMPHDR_IMPL_H

#include <stdbool.h>
#include <string.h>

#include "dumphdr.h"

/* Limits on what a real vmcore holds; bigger values are treated as corrupt. */
#define DH_MAX_NOTES   (16u << 20) /* bytes of notes (PT_NOTE / sub-header notes) */
#define DH_MAX_VMCI    (1u << 20)  /* bytes of VMCOREINFO */
#define DH_MAX_STRTAB  (1u << 20)  /* bytes of an ELF section name table */
#define DH_MAX_SUBHDR  1024	   /* sub-header blocks */
#define DH_MAX_RECORDS (1u << 24)  /* flattened-format records walked */

static inline uint16_t dh_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t dh_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t dh_le64(const unsigned char *p)
{
	return (uint64_t)dh_le32(p) | (uint64_t)dh_le32(p + 4) << 32;
}

static inline uint64_t dh_be64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* [off, off + len) lies inside the file (no overflow). */
static inline bool dh_fits(const struct pcs_dumpfile *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

/* Read exactly len bytes at off (the caller checked dh_fits). */
enum pcs_errcode pcs_dh_read(const struct pcs_dumpfile *f, void *buf, size_t len, uint64_t off,
			     struct pcs_error *err);

/* Walk ELF-format notes in [off, off + size): every header and payload fits. */
/* Walk ELF-format notes in [off, off + size): every header and payload fits. The
 * VMCOREINFO note's text, if any, goes to lay. */
enum pcs_errcode pcs_dh_notes(const struct pcs_dumpfile *f, uint64_t off, uint64_t size,
			      const char *where, struct pcs_dump_layout *lay,
			      struct pcs_error *err);

/* VMCOREINFO text in [off, off + size): keys libkdumpfile can take (no empty path parts). */
enum pcs_errcode pcs_dh_vmcoreinfo(const struct pcs_dumpfile *f, uint64_t off, uint64_t size,
				   const char *where, struct pcs_error *err);

/* Append s to *v (*n entries); PCS_ERR_NOMEM on failure. */
enum pcs_errcode pcs_dh_push_seg(struct pcs_dump_seg **v, size_t *n, struct pcs_dump_seg s,
				 struct pcs_error *err);

/* lay is never NULL here (pcs_dumphdr_check passes a scratch one). */
enum pcs_errcode pcs_dh_check_elf(const struct pcs_dumpfile *f, struct pcs_dump_layout *lay,
				  struct pcs_error *err);
enum pcs_errcode pcs_dh_check_kdump(const struct pcs_dumpfile *f, struct pcs_dump_layout *lay,
				    struct pcs_error *err);
enum pcs_errcode pcs_dh_check_flat(const struct pcs_dumpfile *f, struct pcs_error *err);

#endif /* PCS_DUMPHDR_IMPL_H */
