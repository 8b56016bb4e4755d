// SPDX-License-Identifier: GPL-2.0-or-later
#include "mini_vmcore.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The source's notes, byte for byte: its ELF PT_NOTE segments, or the kdump
 * sub-header's copy, where core/dumphdr found (and checked) them.
 */
static enum pcs_errcode source_notes(struct sa_target *src, unsigned char **out, size_t *len,
				     struct pcs_error *err)
{
	const struct pcs_dump_layout *lay = &src->layout;
	unsigned char *buf = NULL;
	size_t n = 0;

	*out = NULL;
	*len = 0;
	for (size_t i = 0; i < lay->nnotes; i++) {
		const struct pcs_dump_seg *s = &lay->notes[i];
		unsigned char *nb = s->filesz ? realloc(buf, n + s->filesz) : buf;

		if (s->filesz && !nb) {
			free(buf);
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		}
		buf = nb;
		if (s->filesz &&
		    pread(src->fd, buf + n, s->filesz, (off_t)s->offset) != (ssize_t)s->filesz) {
			free(buf);
			return pcs_error_set(err, PCS_ERR_IO,
					     "%s: cannot read the notes at 0x%" PRIx64,
					     src->vmcore_path, s->offset);
		}
		n += s->filesz;
	}
	if (!n)
		return pcs_error_set(err, PCS_ERR_UNSUPPORTED, "%s has no ELF notes to copy",
				     src->vmcore_path);
	*out = buf;
	*len = n;
	return PCS_OK;
}

/* ELF source: the virtual address its PT_LOAD gives paddr, else 0. */
static uint64_t source_vaddr(const struct sa_target *src, uint64_t paddr)
{
	for (size_t i = 0; i < src->layout.nloads; i++) {
		const struct pcs_dump_seg *l = &src->layout.loads[i];

		if (paddr >= l->paddr && paddr - l->paddr < l->memsz && l->vaddr &&
		    l->vaddr != UINT64_MAX)
			return l->vaddr + (paddr - l->paddr);
	}
	return 0;
}

struct seg {
	uint64_t paddr, len, data_off; /* data_off: into the page buffer */
};

struct mini {
	struct seg *segs;
	size_t nsegs, cap;
	unsigned char *data;
	uint64_t dlen, dcap;
};

static enum pcs_errcode add_page(struct mini *m, uint64_t paddr, const void *page, uint64_t ps,
				 struct pcs_error *err)
{
	if (m->dlen + ps > m->dcap) {
		uint64_t nc = m->dcap ? m->dcap * 2 : 1 << 20;
		unsigned char *nd = realloc(m->data, nc);

		if (!nd)
			return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		m->data = nd;
		m->dcap = nc;
	}
	memcpy(m->data + m->dlen, page, ps);
	if (m->nsegs && m->segs[m->nsegs - 1].paddr + m->segs[m->nsegs - 1].len == paddr) {
		m->segs[m->nsegs - 1].len += ps;
	} else {
		if (m->nsegs == m->cap) {
			size_t nc = m->cap ? m->cap * 2 : 64;
			struct seg *ns = realloc(m->segs, nc * sizeof(*ns));

			if (!ns)
				return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
			m->segs = ns;
			m->cap = nc;
		}
		m->segs[m->nsegs++] = (struct seg){paddr, ps, m->dlen};
	}
	m->dlen += ps;
	return PCS_OK;
}

static enum pcs_errcode write_all(int fd, const void *buf, size_t len, uint64_t off,
				  const char *path, struct pcs_error *err)
{
	const unsigned char *p = buf;

	while (len) {
		ssize_t w = pwrite(fd, p, len, (off_t)off);

		if (w <= 0)
			return pcs_error_set(err, PCS_ERR_IO, "%s: %s", path,
					     w < 0 ? strerror(errno) : "short write");
		p += w;
		off += (uint64_t)w;
		len -= (size_t)w;
	}
	return PCS_OK;
}

enum pcs_errcode sa_mini_vmcore_write(struct sa_target *src, const struct pcs_rangeset *ranges,
				      const char *path, struct sa_mini_stats *stats,
				      struct pcs_error *err)
{
	uint64_t ps = src->t.page_size ? src->t.page_size : 4096;
	struct mini m = {0};
	unsigned char *notes = NULL, *page = NULL;
	size_t nlen = 0;
	enum pcs_errcode rc;
	int fd = -1;

	memset(stats, 0, sizeof(*stats));
	rc = source_notes(src, &notes, &nlen, err);
	if (rc)
		return rc;
	page = malloc(ps);
	if (!page) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ranges->n; i++) {
		uint64_t end = (ranges->v[i].end + ps - 1) & ~(ps - 1);

		for (uint64_t pa = ranges->v[i].start & ~(ps - 1); pa < end; pa += ps) {
			if (m.nsegs && pa < m.segs[m.nsegs - 1].paddr + m.segs[m.nsegs - 1].len)
				continue; /* granule rounding overlap */
			if (!sa_pfn_present(src, pa / ps) ||
			    pcs_read(&src->t, PCS_KPHYSADDR, pa, page, ps, NULL) != PCS_OK) {
				stats->absent++;
				continue;
			}
			rc = add_page(&m, pa, page, ps, err);
			if (rc)
				goto out;
			stats->pages++;
		}
	}

	Elf64_Ehdr eh = {0};
	size_t nph = 1 + m.nsegs;
	uint64_t note_off = sizeof(eh) + nph * sizeof(Elf64_Phdr);
	uint64_t data_off = (note_off + nlen + ps - 1) & ~(ps - 1);

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = src->t.arch == PCS_ARCH_ARM64 ? EM_AARCH64 : EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	if (nph >= PN_XNUM) {
		rc = pcs_error_set(err, PCS_ERR_UNSUPPORTED,
				   "%zu memory segments: more than an ELF header can count", nph);
		goto out;
	}
	eh.e_phnum = (Elf64_Half)nph;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = pcs_error_set(err, PCS_ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = write_all(fd, &eh, sizeof(eh), 0, path, err);
	Elf64_Phdr nph_note = {.p_type = PT_NOTE,
			       .p_offset = note_off,
			       .p_filesz = nlen,
			       .p_memsz = nlen,
			       .p_align = 0};

	if (!rc)
		rc = write_all(fd, &nph_note, sizeof(nph_note), sizeof(eh), path, err);
	for (size_t i = 0; !rc && i < m.nsegs; i++) {
		Elf64_Phdr ph = {.p_type = PT_LOAD,
				 .p_flags = PF_R | PF_W | PF_X,
				 .p_offset = data_off + m.segs[i].data_off,
				 .p_vaddr = source_vaddr(src, m.segs[i].paddr),
				 .p_paddr = m.segs[i].paddr,
				 .p_filesz = m.segs[i].len,
				 .p_memsz = m.segs[i].len,
				 .p_align = 0};

		rc = write_all(fd, &ph, sizeof(ph), sizeof(eh) + (1 + i) * sizeof(ph), path, err);
	}
	if (!rc)
		rc = write_all(fd, notes, nlen, note_off, path, err);
	if (!rc && m.dlen)
		rc = write_all(fd, m.data, m.dlen, data_off, path, err);
	if (!rc && fsync(fd) && errno != EINVAL)
		rc = pcs_error_set(err, PCS_ERR_IO, "%s: %s", path, strerror(errno));
	stats->segments = m.nsegs;
	stats->note_bytes = nlen;
	stats->file_bytes = data_off + m.dlen;
out:
	if (fd >= 0 && close(fd) && !rc)
		rc = pcs_error_set(err, PCS_ERR_IO, "%s: %s", path, strerror(errno));
	free(page);
	free(notes);
	free(m.segs);
	free(m.data);
	return rc;
}
