// SPDX-License-Identifier: GPL-2.0-or-later
#include "kcore.h"

#include "dumphdr.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KCORE_MAX_PHDRS 4096
#define KCORE_MAX_NOTES (1u << 20)

static enum pcs_errcode open_error(const char *path, int e, struct pcs_error *err)
{
	if (e == ENOENT)
		return pcs_error_set(err, PCS_ERR_IO,
				     "no %s: the kernel has no CONFIG_PROC_KCORE or /proc is not "
				     "mounted; live mode needs it",
				     path);
	if (e == EACCES || e == EPERM)
		return pcs_error_set(err, PCS_ERR_IO,
				     "%s: %s: live mode needs root (CAP_SYS_RAWIO), and a kernel "
				     "lockdown in confidentiality mode refuses it even to root",
				     path, strerror(e));
	return pcs_error_set(err, PCS_ERR_IO, "%s: %s", path, strerror(e));
}

static int full_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* The program headers and notes as core/dumphdr validated them (the one parse). */
static enum pcs_errcode read_headers(struct sa_kcore *kc, struct pcs_error *err)
{
	struct pcs_dump_layout lay;
	enum pcs_errcode rc = pcs_dumphdr_check_fd(kc->fd, kc->path, &lay, err);

	if (rc == PCS_OK && lay.fmt != PCS_DUMPFMT_ELF)
		rc =
		    pcs_error_set(err, PCS_ERR_MALFORMED, "%s is not an ELF64 core file", kc->path);
	if (rc) {
		pcs_dump_layout_free(&lay);
		return rc;
	}
	kc->arch = lay.elf_machine == EM_AARCH64 ? PCS_ARCH_ARM64 : PCS_ARCH_X86_64;
	kc->segs = calloc(lay.nloads ? lay.nloads : 1, sizeof(*kc->segs));
	if (lay.vmcoreinfo_size && lay.vmcoreinfo_size <= KCORE_MAX_NOTES) {
		kc->vmcoreinfo = malloc(lay.vmcoreinfo_size + 1);
		if (kc->vmcoreinfo) {
			if (full_pread(kc->fd, kc->vmcoreinfo, lay.vmcoreinfo_size,
				       lay.vmcoreinfo_off)) {
				free(kc->vmcoreinfo);
				kc->vmcoreinfo = NULL;
			} else {
				kc->vmcoreinfo[lay.vmcoreinfo_size] = '\0';
			}
		}
	}
	if (!kc->segs) {
		pcs_dump_layout_free(&lay);
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < lay.nloads; i++) {
		const struct pcs_dump_seg *l = &lay.loads[i];

		if (l->filesz)
			kc->segs[kc->nsegs++] = (struct sa_kcore_seg){.vaddr = l->vaddr,
								      .paddr = l->paddr,
								      .off = l->offset,
								      .size = l->filesz};
	}
	pcs_dump_layout_free(&lay);
	if (!kc->nsegs)
		return pcs_error_set(err, PCS_ERR_MALFORMED, "%s has no memory segments", kc->path);
	return PCS_OK;
}

enum pcs_errcode sa_kcore_open(const char *path, struct sa_kcore **out, struct pcs_error *err)
{
	struct sa_kcore *kc = calloc(1, sizeof(*kc));
	enum pcs_errcode rc;

	*out = NULL;
	if (!kc)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	kc->path = path;
	kc->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (kc->fd < 0) {
		rc = open_error(path, errno, err);
		sa_kcore_close(kc);
		return rc;
	}
	if ((rc = read_headers(kc, err))) {
		sa_kcore_close(kc);
		return rc;
	}
	*out = kc;
	return PCS_OK;
}

enum pcs_errcode sa_kcore_dup(const struct sa_kcore *kc, struct sa_kcore **out,
			      struct pcs_error *err)
{
	struct sa_kcore *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	d->path = kc->path;
	d->arch = kc->arch;
	d->fd = open(kc->path, O_RDONLY | O_CLOEXEC);
	d->segs = calloc(kc->nsegs, sizeof(*d->segs));
	if (d->fd < 0 || !d->segs) {
		enum pcs_errcode rc = d->fd < 0
					  ? open_error(kc->path, errno, err)
					  : pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");

		sa_kcore_close(d);
		return rc;
	}
	memcpy(d->segs, kc->segs, kc->nsegs * sizeof(*d->segs));
	d->nsegs = kc->nsegs;
	*out = d;
	return PCS_OK;
}

void sa_kcore_close(struct sa_kcore *kc)
{
	if (!kc)
		return;
	if (kc->fd >= 0)
		close(kc->fd);
	free(kc->segs);
	free(kc->vmcoreinfo);
	free(kc);
}

/*
 * The segment holding addr in address space as, NULL if none. A physical address
 * can be in two segments: the kernel image (KCORE_TEXT, listed first, p_paddr
 * __pa_symbol(_text)) and the linear map (KCORE_RAM). It is read through the linear
 * map, the one with the lower virtual address on x86_64 and arm64: the kernel unmaps
 * its freed __init pages from the image mapping (arm64 free_initmem(), x86
 * free_kernel_image_pages()), /proc/kcore reads zeros there, while the page
 * allocator reuses those pages, for the page cache too.
 */
static const struct sa_kcore_seg *seg_of(const struct sa_kcore *kc, enum pcs_addrspace as,
					 uint64_t addr)
{
	const struct sa_kcore_seg *found = NULL;

	for (size_t i = 0; i < kc->nsegs; i++) {
		const struct sa_kcore_seg *s = &kc->segs[i];
		uint64_t base = as == PCS_KPHYSADDR ? s->paddr : s->vaddr;

		if (as == PCS_KPHYSADDR && s->paddr == UINT64_MAX)
			continue;
		if (addr >= base && addr - base < s->size) {
			if (as != PCS_KPHYSADDR)
				return s;
			if (!found || s->vaddr < found->vaddr)
				found = s;
		}
	}
	return found;
}

enum pcs_errcode sa_kcore_read(const struct sa_kcore *kc, enum pcs_addrspace as, uint64_t addr,
			       void *buf, size_t len, struct pcs_error *err)
{
	size_t done = 0;

	while (done < len) {
		uint64_t a = addr + done;
		const struct sa_kcore_seg *s = seg_of(kc, as, a);

		if (!s)
			return pcs_error_set(
			    err, PCS_ERR_NODATA, "%s 0x%" PRIx64 " is not mapped in %s",
			    as == PCS_KPHYSADDR ? "physical address" : "address", a, kc->path);
		uint64_t base = as == PCS_KPHYSADDR ? s->paddr : s->vaddr;
		uint64_t n = s->size - (a - base);

		if (n > len - done)
			n = len - done;
		if (full_pread(kc->fd, (char *)buf + done, n, s->off + (a - base)))
			return pcs_error_set(err, PCS_ERR_READ, "%s 0x%" PRIx64 ": %s: %s",
					     as == PCS_KPHYSADDR ? "physical address" : "address",
					     a, kc->path, strerror(errno ? errno : EIO));
		done += n;
	}
	return PCS_OK;
}

int sa_kcore_virt_to_phys(const struct sa_kcore *kc, uint64_t vaddr, uint64_t *paddr)
{
	const struct sa_kcore_seg *s = seg_of(kc, PCS_KVADDR, vaddr);

	/* a virtual range may be listed twice (text and linear map): any with p_paddr */
	for (size_t i = 0; i < kc->nsegs; i++) {
		const struct sa_kcore_seg *t = &kc->segs[i];

		if (t->paddr != UINT64_MAX && vaddr >= t->vaddr && vaddr - t->vaddr < t->size) {
			s = t;
			break;
		}
	}
	if (!s || s->paddr == UINT64_MAX)
		return 0;
	*paddr = s->paddr + (vaddr - s->vaddr);
	return 1;
}

int sa_kcore_phys_mapped(const struct sa_kcore *kc, uint64_t paddr)
{
	return seg_of(kc, PCS_KPHYSADDR, paddr) != NULL;
}

enum pcs_errcode sa_kcore_vmcoreinfo(const struct sa_kcore *kc, const char *key, char *buf,
				     size_t len, struct pcs_error *err)
{
	size_t klen = strlen(key);

	for (const char *p = kc->vmcoreinfo; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);

		if (l > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, len, "%.*s", (int)(l - klen - 1), p + klen + 1);
			return PCS_OK;
		}
		p += l + (eol ? 1 : 0);
	}
	return pcs_error_set(err, PCS_ERR_NOTFOUND, "VMCOREINFO has no %s", key);
}
