/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Write a small ELF vmcore (the layout of the kernel's /proc/vmcore and of
 * `makedumpfile -E`): ELF64 ET_CORE, one PT_NOTE with the source dump's notes
 * (VMCOREINFO, per-CPU NT_PRSTATUS) copied byte for byte, and one PT_LOAD per
 * run of physical pages that the source dump holds, with the source's virtual
 * address for it where the source is ELF. Pages the source lacks are left out,
 * so the small dump lacks them too.
 */
#ifndef SA_MINI_VMCORE_H
#define SA_MINI_VMCORE_H

#include "recorder.h"
#include "sa_target.h"

struct sa_mini_stats {
	uint64_t pages;	     /* pages written */
	uint64_t absent;     /* pages asked for that the source dump lacks */
	uint64_t segments;   /* PT_LOAD count */
	uint64_t note_bytes; /* PT_NOTE size */
	uint64_t file_bytes; /* size of the written file */
};

/* Copy the pages of the (normalized) ranges from src into a new ELF vmcore at path. */
enum pcs_errcode sa_mini_vmcore_write(struct sa_target *src, const struct pcs_rangeset *ranges,
				      const char *path, struct sa_mini_stats *stats,
				      struct pcs_error *err);

#endif
