/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's BTF blob in dump memory (CONFIG_DEBUG_INFO_BTF puts it in the .BTF
 * section of the kernel image's read-only data; with KALLSYMS_ALL=n no symbol
 * points to it). Found by its structure, never by a hard-coded offset: the magic
 * 0xeB9F, version 1, flags 0, hdr_len 24, a type section starting right after the
 * header and a string section right after the types that begins and ends with NUL.
 */
#ifndef PCS_BTF_FIND_H
#define PCS_BTF_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "target.h"

#define PCS_BTF_MAX_SIZE (256u << 20)

struct pcs_btf_header {
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint64_t total; /* hdr_len + the end of the later section */
};

/*
 * Check a BTF header (avail bytes at hdr, at least 24 are needed). NULL if it is
 * consistent (h filled), else why not. magic_ok says whether magic+version matched
 * (a blob that starts like BTF but is inconsistent is corrupt, not absent).
 */
const char *pcs_btf_check_header(const void *hdr, size_t avail, struct pcs_btf_header *h,
				 int *magic_ok);
/* Check the whole blob (h from pcs_btf_check_header): the string section's ends. */
const char *pcs_btf_check_blob(const void *blob, const struct pcs_btf_header *h);

/*
 * Search kernel virtual [lo, hi) for a valid blob; on success *blob (malloc'd,
 * *size bytes) and *addr. PCS_ERR_NOTFOUND if none, PCS_ERR_CORRUPT naming the
 * address and the fault if only an inconsistent one was seen.
 */
enum pcs_errcode pcs_btf_find(const struct pcs_target *t, uint64_t lo, uint64_t hi, uint64_t *addr,
			      void **blob, uint32_t *size, struct pcs_error *err);

#endif /* PCS_BTF_FIND_H */
