/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/kcore, the running kernel as an ELF core file, read directly (not
 * through libkdumpfile; see docs/pcsleuth.md, "Live mode"): one PT_LOAD per
 * region of kernel virtual memory (kernel text, the linear map of each RAM
 * range, vmalloc/modules, vmemmap). A kernel virtual address is read at its
 * segment's file offset; a physical address through the segments that carry
 * one (p_paddr != -1: the linear map of RAM and the kernel text). The
 * VMCOREINFO note (Linux 4.19+) gives what the dump's VMCOREINFO gives.
 * Every read is a pread() of the live memory: nothing is cached.
 */
#ifndef SA_KCORE_H
#define SA_KCORE_H

#include <stddef.h>
#include <stdint.h>

#include "target.h"

struct sa_kcore_seg {
	uint64_t vaddr, paddr, off, size; /* paddr UINT64_MAX: none */
};

struct sa_kcore {
	int fd;
	const char *path;
	enum pcs_arch arch;
	struct sa_kcore_seg *segs;
	size_t nsegs;
	char *vmcoreinfo; /* NUL-terminated text, NULL if the kernel writes none */
};

/*
 * Open path (normally /proc/kcore). Errors are one line: PCS_ERR_IO with the
 * reason (not root, no /proc/kcore), PCS_ERR_MALFORMED for a file that is not an
 * ELF64 core, PCS_ERR_UNSUPPORTED for an architecture pcsleuth does not decode.
 */
enum pcs_errcode sa_kcore_open(const char *path, struct sa_kcore **out, struct pcs_error *err);
/* Another handle on the same file (own descriptor) for a worker thread. */
enum pcs_errcode sa_kcore_dup(const struct sa_kcore *kc, struct sa_kcore **out,
			      struct pcs_error *err);
void sa_kcore_close(struct sa_kcore *kc);

/* Read len bytes; PCS_ERR_NODATA when no segment covers a byte of it. */
enum pcs_errcode sa_kcore_read(const struct sa_kcore *kc, enum pcs_addrspace as, uint64_t addr,
			       void *buf, size_t len, struct pcs_error *err);
/* Physical address of a kernel virtual one in a segment with p_paddr; false if none. */
int sa_kcore_virt_to_phys(const struct sa_kcore *kc, uint64_t vaddr, uint64_t *paddr);
/* Is the physical address inside a segment (RAM the kernel maps)? */
int sa_kcore_phys_mapped(const struct sa_kcore *kc, uint64_t paddr);
/* Raw VMCOREINFO value of key into buf; PCS_ERR_NOTFOUND if absent. */
enum pcs_errcode sa_kcore_vmcoreinfo(const struct sa_kcore *kc, const char *key, char *buf,
				     size_t len, struct pcs_error *err);

#endif /* SA_KCORE_H */
