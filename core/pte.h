/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page-table entries, decoded and walked, for arm64 and x86_64.
 *
 * A decoder turns one raw descriptor into a list of named fields (name, bit
 * range, value, short text) and a one-line verdict. Front ends print the
 * list in their own style; nothing here prints. The field layouts are data
 * (struct pcs_pte_field_desc tables in arm64_pte.c / x86_64_pte.c), gated by
 * kernel version where Linux changed the meaning of a bit.
 *
 * A walker reads the tables through the target (physical reads only) and
 * records every level: entry address (physical and linear-map virtual), raw
 * value and decode. It stops at a block/page or at the first entry that maps
 * nothing, with a message in kernel words ("pmd not present: pmd[3] = 0x0").
 */
#ifndef PCS_PTE_H
#define PCS_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "target.h"

enum pcs_pte_kind {
	PCS_PTE_NONE,	 /* all zero: nothing mapped */
	PCS_PTE_INVALID, /* not valid to the MMU and not present to Linux (swap, migration) */
	PCS_PTE_PRESENT_INVALID, /* invalid to the MMU, present to Linux (PROT_NONE, THP split) */
	PCS_PTE_RESERVED,	 /* encoding the MMU treats as a fault (arm64 0b01 at level 3) */
	PCS_PTE_TABLE,		 /* points to the next-level table */
	PCS_PTE_BLOCK,		 /* maps a block above page level (arm64 block, x86 PS) */
	PCS_PTE_PAGE,		 /* maps one base page */
};

/* One decoded field. bits are inclusive: msb >= lsb. */
struct pcs_pte_field {
	const char *name; /* "AttrIndx", "AP[2:1]", "PTE_DIRTY", "NX" */
	uint8_t lsb, msb;
	uint64_t value; /* the field's value, shifted down (OA: the address itself) */
	char text[64];	/* "MT_NORMAL", "EL1 read-write, EL0 none", "set", "" */
};

#define PCS_PTE_MAX_FIELDS  40
#define PCS_PTE_VERDICT_MAX 160

struct pcs_pte_decode {
	uint64_t raw;
	enum pcs_arch arch;
	int level;		/* arm64: hardware lookup level -1..3; x86_64: 5 (PML5)..1 (PT) */
	const char *level_name; /* "pgd", "p4d", "pud", "pmd", "pte" */
	enum pcs_pte_kind kind;
	uint64_t
	    oa; /* next-level table (TABLE) or mapped frame base (BLOCK/PAGE/PRESENT_INVALID) */
	uint64_t size;	  /* bytes mapped by a leaf; 0 otherwise */
	bool contiguous;  /* arm64 Contiguous hint set on a leaf */
	bool writable;	  /* hardware: writable at the privilege that owns it */
	bool user;	  /* accessible from user mode */
	bool kernel_exec; /* executable in kernel mode */
	bool user_exec;	  /* executable in user mode */
	unsigned int nfields;
	struct pcs_pte_field fields[PCS_PTE_MAX_FIELDS];
	char verdict[PCS_PTE_VERDICT_MAX]; /* "kernel read-write, non-executable, 4K page" */
};

/* Find a decoded field by name; NULL if the decode has no such field. */
const struct pcs_pte_field *pcs_pte_field(const struct pcs_pte_decode *d, const char *name);

/* "none", "invalid", "present-invalid", "reserved", "table", "block", "page" */
const char *pcs_pte_kind_name(enum pcs_pte_kind kind);

/* "4K", "2M", "1G", "512M", "64K" ... for a power-of-two size. */
const char *pcs_pte_size_name(uint64_t size, char *buf, unsigned int len);

/*
 * Decode one raw descriptor with no dump (the `ptewalk --decode VALUE` form).
 * level_name: "pte" (default when NULL), "pmd", "pud", "p4d" or "pgd"; for
 * arm64 "pgd" means the top level of a 48-bit VA layout for that granule.
 * page_size: 4096/16384/65536 (arm64; 0 = 4096), ignored for x86_64.
 */
enum pcs_errcode pcs_pte_decode_value(enum pcs_arch arch, uint64_t raw, const char *level_name,
				      uint32_t page_size, uint32_t kernel_version,
				      struct pcs_pte_decode *out, struct pcs_error *err);

#define PCS_PTE_MAX_LEVELS	 5
#define PCS_PTE_WALK_VERDICT_MAX 256

struct pcs_pte_walk_level {
	unsigned int index;   /* index of the entry within its table */
	uint64_t table_paddr; /* physical address of the table */
	uint64_t entry_paddr; /* physical address of the entry */
	uint64_t entry_vaddr; /* linear-map virtual address of the entry (0: unknown) */
	struct pcs_pte_decode d;
};

struct pcs_pte_walk {
	enum pcs_arch arch;
	uint64_t vaddr;
	uint64_t root_paddr; /* swapper_pg_dir / init_top_pgt / mm->pgd, physical */
	bool user_half;	     /* arm64: TTBR0 (user) half; x86_64: lower canonical half */
	unsigned int va_bits;
	unsigned int nlevels; /* entries recorded in lv[] */
	struct pcs_pte_walk_level lv[PCS_PTE_MAX_LEVELS];
	bool mapped;	    /* the walk reached a block or page */
	uint64_t paddr;	    /* physical address vaddr translates to */
	uint64_t page_size; /* size of the mapping that translated it */
	/*
	 * Effective access once the table levels' limits (arm64 APTable,
	 * PXNTable, UXNTable; x86_64 RW, US, NX on every level) are applied
	 * to the leaf's own bits.
	 */
	bool writable, user, kernel_exec, user_exec;
	char verdict[PCS_PTE_WALK_VERDICT_MAX]; /* the leaf's verdict or the stop reason */
};

/*
 * Walk the page tables of the target for vaddr. mm == 0: kernel tables
 * (swapper_pg_dir / init_top_pgt); otherwise mm is the address of a struct
 * mm_struct whose pgd is used. Returns PCS_OK when vaddr is mapped;
 * PCS_ERR_NOTFOUND (with w filled up to the stopping entry and a message such
 * as "pmd not present: pmd[3] = 0x0") when it is not; the read's code when a
 * table cannot be read.
 */
enum pcs_errcode pcs_pte_walk(const struct pcs_target *t, uint64_t mm, uint64_t vaddr,
			      struct pcs_pte_walk *w, struct pcs_error *err);

/* Kernel virtual address → physical address via the kernel's page tables. */
enum pcs_errcode pcs_pte_translate(const struct pcs_target *t, uint64_t vaddr, uint64_t *paddr,
				   struct pcs_error *err);

#endif /* PCS_PTE_H */
