/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte-level validation of a vmcore's own headers before any dump library
 * parses them: the ELF header, program headers, section headers and notes of an
 * ELF vmcore; the kdump-compressed (diskdump) header, sub-header, notes,
 * VMCOREINFO, bitmaps and page descriptors; the record markers of
 * makedumpfile's flattened format. Every field is checked against the file size
 * and against the other fields; the first bad one is reported as one sentence
 * naming the field and its value (PCS_ERR_MALFORMED).
 *
 * Reads go through a callback so the fuzz harness reaches the same code with
 * an in-memory file. Little-endian dumps only (arm64 and x86_64).
 */
#ifndef PCS_DUMPHDR_H
#define PCS_DUMPHDR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct pcs_dumpfile {
	/* Read up to len bytes at off; returns the count read (short at EOF) or -1. */
	long (*pread)(void *priv, void *buf, size_t len, uint64_t off);
	void *priv;
	uint64_t size; /* file size in bytes */
};

enum pcs_dumpfmt {
	PCS_DUMPFMT_UNKNOWN = 0, /* no known signature: left to the dump library */
	PCS_DUMPFMT_ELF,
	PCS_DUMPFMT_KDUMP,
	PCS_DUMPFMT_FLAT, /* makedumpfile -F output */
};

/* A range of the file: an ELF program header, or the kdump sub-header's notes. */
struct pcs_dump_seg {
	uint64_t offset, filesz; /* in the file */
	uint64_t paddr, vaddr;	 /* PT_LOAD: where it sits (vaddr UINT64_MAX or 0: none) */
	uint64_t memsz;		 /* PT_LOAD: bytes of memory (filesz..memsz not stored) */
};

/*
 * What the validated headers say, so no other part of the program parses them
 * again: the format, the ELF PT_LOADs and the notes (ELF PT_NOTEs in header
 * order; a kdump-compressed dump's sub-header copy of the ELF notes).
 */
struct pcs_dump_layout {
	enum pcs_dumpfmt fmt;
	struct pcs_dump_seg *loads; /* ELF only */
	size_t nloads;
	struct pcs_dump_seg *notes;
	size_t nnotes;
	uint64_t vmcoreinfo_off, vmcoreinfo_size; /* the VMCOREINFO text; size 0: none */
	unsigned int elf_machine;		  /* ELF: e_machine (62 x86_64, 183 aarch64) */
};

void pcs_dump_layout_free(struct pcs_dump_layout *lay);

/*
 * Validate the headers of f. *lay (if non-NULL) gets what they describe, also
 * on failure as far as it got (free it with pcs_dump_layout_free either way).
 * Returns PCS_OK, PCS_ERR_MALFORMED with a message naming the field, PCS_ERR_IO
 * on read failure or PCS_ERR_NOMEM.
 */
enum pcs_errcode pcs_dumphdr_check(const struct pcs_dumpfile *f, struct pcs_dump_layout *lay,
				   struct pcs_error *err);

/* The same over an open file descriptor; path is for messages. */
enum pcs_errcode pcs_dumphdr_check_fd(int fd, const char *path, struct pcs_dump_layout *lay,
				      struct pcs_error *err);

#endif /* PCS_DUMPHDR_H */
