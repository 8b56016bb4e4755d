/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The standalone implementation of struct pcs_target: memory and VMCOREINFO
 * from libkdumpfile, symbols from the vmlinux ELF symbol table (relocated by
 * VMCOREINFO KERNELOFFSET), struct layouts from a type provider (BTF or DWARF).
 */
#ifndef SA_TARGET_H
#define SA_TARGET_H

#include <libkdumpfile/kdumpfile.h>
#include <stdbool.h>

#include "dumphdr.h"
#include "elfsyms.h"
#include "kcore.h"
#include "pte_walker.h"
#include "recorder.h"
#include "target.h"
#include "types.h"

enum sa_open_flags {
	SA_NEED_VMLINUX = 1 << 0, /* needs types: a vmlinux, else the dump's own BTF */
	SA_NO_VERIFY = 1 << 1,	  /* accept a vmlinux that does not match */
	SA_TYPES_DWARF = 1 << 2,  /* force DWARF types */
	SA_NO_TYPES = 1 << 3,	  /* symbols only: do not load type information */
	SA_READ_ONCE = 1 << 4,	  /* pages are read once: a small libkdumpfile cache */
	SA_NO_KCACHE = 1 << 5,	  /* the per-kernel cache (kcache.h) neither read nor written */
};

/*
 * libkdumpfile's page cache size with SA_READ_ONCE (its default is 1024 pages).
 * Version 0.5.1 searches the cache linearly on every read, so a streaming
 * command that rarely reads a page twice (verify) is faster with a small one.
 * The size is set when the dump is opened, before the first read: resizing
 * later frees pages its address translation still points into (a use after
 * free in libkdumpfile, see docs/upstream-libkdumpfile.md).
 */
#define SA_READ_ONCE_CACHE_PAGES 64

enum sa_match {
	SA_MATCH_UNKNOWN = -1,
	SA_MATCH_NO = 0,
	SA_MATCH_YES = 1,
};

struct sa_target {
	struct pcs_target t;
	kdump_ctx_t *kd;
	int fd;
	const char *vmcore_path;
	const char *vmlinux_path;
	struct sa_elf *elf;	    /* NULL without vmlinux */
	struct sa_types *types;	    /* vmlinux BTF/DWARF, or the dump's BTF; may be NULL */
	struct pcs_kallsyms *ksyms; /* without vmlinux: kallsyms from the dump, lazily */
	char types_from[128];	    /* provenance: "vmlinux BTF", "dump BTF at 0x..." */
	char syms_from[128];	    /* provenance: "vmlinux ELF symbol table", ... */
	char types_why[320];	    /* why the dump gave no types ("" if it did / not tried) */
	char syms_why[320];	    /* why the dump gave no kallsyms */
	uint64_t btf_addr;	    /* dump BTF: kernel virtual address and size */
	uint32_t btf_size;
	uint64_t ktab_end;	  /* kallsyms found by structure: the end of its tables */
	bool kcache_off;	  /* --no-cache, or recording the reads (bundle) */
	struct sa_kcache *kcache; /* the per-kernel cache entry (kcache.h), lazily */
	void *btf_blob;		  /* the dump's BTF blob kept for the cache */
	/* without vmlinux: data roots derived from the dump (core/roots.h), cached */
	struct sa_root {
		char name[32];
		uint64_t addr;
		enum pcs_errcode rc;
		char why[200];
	} roots[8];
	size_t nroots;
	unsigned root_depth;   /* derivations under way */
	bool types_lazy;       /* without vmlinux: the dump's BTF not looked for yet */
	uint64_t kaslr_offset; /* VMCOREINFO KERNELOFFSET */
	char format[32];       /* "kdump-compressed", "elf", ... */
	int dump_level;	       /* makedumpfile -d, -1 if unknown */
	char build_id[129];    /* VMCOREINFO BUILD-ID, "" if absent */
	enum sa_match match;
	kdump_bmp_t *pagemap; /* file.pagemap, NULL if unavailable */
	/*
	 * The dump's headers as validated by core/dumphdr (the one parse of
	 * them). ELF: libkdumpfile zero-fills the part of a PT_LOAD past
	 * p_filesz (where makedumpfile -E puts filtered pages); we report those
	 * as not in the dump instead.
	 */
	struct pcs_dump_layout layout;
	bool elf_holes; /* some PT_LOAD has p_filesz < p_memsz */
	addrxlat_ctx_t *xctx;
	addrxlat_sys_t *xsys;
	bool pagemap_tried;
	char match_how[160]; /* "BUILD-ID 1234... equal", ... */
	/*
	 * --record (bundle): every read through t is recorded, NULL otherwise. Code in
	 * standalone/ that reads the dump for itself (the BTF blob, kallsyms tables) must
	 * go through pcs_read(&st->t, ...), not kdump_read(), or vmcore.mini lacks it.
	 */
	struct pcs_recorder *rec;
	/* live mode (/proc/kcore): memory, VMCOREINFO from kc; kd is NULL */
	struct sa_kcore *kc;
	const char *rec_path; /* where sa_close() writes the recorded ranges */
	/*
	 * Translations of virtual pages read before (kdump-compressed dumps): a read
	 * inside one such page goes to the physical page directly instead of walking
	 * the page tables again (struct pages in vmemmap, xa_nodes: several per page
	 * cached). Only successful reads fill it; a miss or a failure takes the
	 * ordinary path, so errors read the same.
	 */
	struct sa_tlb {
		uint64_t vpage, ppage; /* vpage 0: empty */
	} tlb[4096];
	/*
	 * Kernel virtual reads of a dump are translated by core's page-table walker,
	 * set up on the first one from VMCOREINFO alone through kboot (this dump's
	 * physical memory and VMCOREINFO, no symbols or types: the set-up never
	 * recurses into loading them). Only when it cannot be set up (kwalk_why says
	 * why) does libkdumpfile's own translation (libaddrxlat) serve instead.
	 */
	enum { SA_KWALK_UNSET, SA_KWALK_BUSY, SA_KWALK_OK, SA_KWALK_NONE } kwalk_state;
	struct pcs_target kboot;
	struct pcs_pte_walker kwalk;
	char kwalk_why[200];
	/*
	 * Translations larger than a page: spans of 1 GiB and more (the arm64
	 * linear map, x86_64 1 GiB pages) newest first in kbig, smaller blocks
	 * (2 MiB) in kblock by their 2 MiB-aligned address.
	 */
	struct sa_kspan {
		uint64_t vbase, pbase, size; /* size 0: empty */
	} kbig[4], kblock[1024];
};

/* How kernel virtual addresses are translated (for `info`), into buf. */
const char *sa_kvaddr_how(struct sa_target *st, char *buf, size_t len);

enum pcs_errcode sa_open(const char *vmcore, const char *vmlinux, unsigned int flags,
			 struct sa_target **out, struct pcs_error *err);
/*
 * As sa_open(), recording every memory read when record is not NULL: sa_close()
 * then writes the physical ranges read (page tables of every kernel virtual
 * address included) to the file record, one "0xSTART 0xEND" line each.
 */
enum pcs_errcode sa_open_rec(const char *vmcore, const char *vmlinux, unsigned int flags,
			     const char *record, struct sa_target **out, struct pcs_error *err);
void sa_close(struct sa_target *st);

/* Is vmcore the running kernel (/proc/kcore, by path or by file identity)? */
bool sa_is_live_path(const char *vmcore);
/*
 * Live mode (standalone/sa_live.c): fill st from /proc/kcore st->vmcore_path
 * (memory, VMCOREINFO), /proc/kallsyms (symbols, modules too); types come from
 * sa_live_types() (/sys/kernel/btf/vmlinux, or $PCSLEUTH_LIVE_BTF).
 */
enum pcs_errcode sa_live_init(struct sa_target *st, struct pcs_error *err);
enum pcs_errcode sa_live_types(struct sa_target *st, struct pcs_error *err);

/* Read a ranges file written by sa_close() (--record) into rs. */
enum pcs_errcode sa_ranges_load(const char *path, struct pcs_rangeset *rs, struct pcs_error *err);

/*
 * Another handle on the same dump for a worker thread: memory reads only
 * (t.ops->read; the other operations fail), through its own libkdumpfile context
 * opened on the same file, so that nothing of libkdumpfile is shared between
 * threads (see docs/pcsleuth.md, "Threads"). cache_pages > 0: its libkdumpfile
 * cache size, set before its first read. Free with sa_close().
 */
enum pcs_errcode sa_open_reader(const struct sa_target *st, unsigned int cache_pages,
				struct sa_target **out, struct pcs_error *err);

/* PC → "func+0x4c/0x70" for kernel-image addresses (KASLR applied). */
bool sa_symbolize_kernel(struct sa_target *st, uint64_t addr, char *buf, size_t len);

/* Is the page at this physical address stored in the dump? */
bool sa_phys_present(struct sa_target *st, uint64_t paddr);

/* libkdumpfile's (libaddrxlat's) own translation of a kernel virtual address. */
enum pcs_errcode sa_xlat_kvaddr(struct sa_target *st, uint64_t vaddr, uint64_t *paddr);

/* Is page frame pfn stored in the dump (makedumpfile bitmap, else a 1-byte read)? */
bool sa_pfn_present(struct sa_target *st, uint64_t pfn);

#endif
