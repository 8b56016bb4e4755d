/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A per-kernel cache of what the dump alone yields and is slow to get: the raw
 * BTF blob (found in the kernel image and decompressed from the dump) and the
 * decoded kallsyms table with its name index, both used in place from the mapped
 * file (loading costs less than reading a vmlinux's symbol table with -k). One file per kernel
 * build, named by VMCOREINFO's BUILD-ID (no BUILD-ID: no cache), in $PCSLEUTH_KERNEL_CACHE ("off":
 * no cache), else $XDG_CACHE_HOME/pcsleuth/kernels, else ~/.cache/pcsleuth/kernels. Addresses are
 * stored without the KASLR offset, so other boots of the same build hit too.
 * Written atomically (a temporary file renamed); on load everything is checked
 * (magic, version, BUILD-ID and OSRELEASE, sizes, a SHA-256 of the contents, the
 * names, ascending addresses, _stext against VMCOREINFO) and an entry failing any
 * check is ignored (and rewritten by the run), never trusted. Off with --no-cache
 * and while recording the reads for a bundle (its mini vmcore must hold them).
 */
#ifndef SA_KCACHE_H
#define SA_KCACHE_H

#include "sa_target.h"

struct sa_kcache {
	bool loaded;	 /* the file was read (valid or not) */
	const void *btf; /* NULL if not cached; inside map */
	void *map;	 /* the file, mapped */
	size_t map_len;
	uint32_t btf_size;
	uint64_t btf_addr;	 /* in this dump (KASLR offset added) */
	struct pcs_kallsyms *ks; /* NULL if not cached; owned until taken */
	char syms_from[128];
};

/* Read this kernel's entry into kc (once); absent parts stay NULL. */
void sa_kcache_load(struct sa_target *st, struct sa_kcache *kc);
/* Write the entry: the dump's BTF blob (at btf_addr in this dump) and st's kallsyms. */
void sa_kcache_store(struct sa_target *st, const void *btf, uint32_t btf_size, uint64_t btf_addr);
void sa_kcache_free(struct sa_kcache *kc);

#endif /* SA_KCACHE_H */
