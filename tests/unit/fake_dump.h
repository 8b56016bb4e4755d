/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Minimal valid vmcore files in memory, for the header validator's unit tests
 * and fuzz seeds: an ELF vmcore (PT_NOTE with a VMCOREINFO note, one PT_LOAD of
 * one page) and a kdump-compressed one (header version 6, sub-header with the
 * same note, two one-block bitmaps, one uncompressed page).
 */
#ifndef PCS_FAKE_DUMP_H
#define PCS_FAKE_DUMP_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dumphdr.h"

#define FAKE_PAGE 4096

struct fake_file {
	unsigned char *data;
	size_t size;
};

static inline void fake_put(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A VMCOREINFO note; returns its size (multiple of 4). */
static inline size_t fake_vmcoreinfo_note(unsigned char *p)
{
	static const char text[] = "OSRELEASE=6.1.0-fake\nPAGESIZE=4096\n";
	size_t descsz = sizeof(text) - 1;

	fake_put(p, 11, 4);
	fake_put(p + 4, descsz, 4);
	fake_put(p + 8, 0, 4);
	memcpy(p + 12, "VMCOREINFO", 11);
	memcpy(p + 24, text, descsz);
	return 24 + ((descsz + 3) & ~(size_t)3);
}

/* ehdr @0, 2 phdrs @64, notes @176, page @4096. */
static inline struct fake_file fake_elf_dump(void)
{
	struct fake_file f = {calloc(1, 2 * FAKE_PAGE), 2 * FAKE_PAGE};
	unsigned char *p = f.data, *ph;
	size_t nsz;

	memcpy(p, "\177ELF\2\1\1", 7);
	fake_put(p + 16, 4, 2);	 /* ET_CORE */
	fake_put(p + 18, 62, 2); /* EM_X86_64 */
	fake_put(p + 20, 1, 4);
	fake_put(p + 32, 64, 8); /* e_phoff */
	fake_put(p + 52, 64, 2);
	fake_put(p + 54, 56, 2);
	fake_put(p + 56, 2, 2);
	nsz = fake_vmcoreinfo_note(p + 176);
	ph = p + 64; /* PT_NOTE */
	fake_put(ph, 4, 4);
	fake_put(ph + 8, 176, 8);
	fake_put(ph + 32, nsz, 8);
	fake_put(ph + 40, nsz, 8);
	ph += 56; /* PT_LOAD */
	fake_put(ph, 1, 4);
	fake_put(ph + 8, FAKE_PAGE, 8);
	fake_put(ph + 16, 0xffff888000000000ull, 8);
	fake_put(ph + 24, 0, 8);
	fake_put(ph + 32, FAKE_PAGE, 8);
	fake_put(ph + 40, FAKE_PAGE, 8);
	memset(p + FAKE_PAGE, 0xa5, FAKE_PAGE);
	return f;
}

/*
 * block 0 header, block 1 sub-header (notes @ 4096+104), blocks 2-3 bitmaps
 * (max_mapnr 8, pfn 0 dumped), descriptor @ 4*4096, page @ 4*4096+24.
 */
static inline struct fake_file fake_kdump_dump(void)
{
	size_t size = 4 * FAKE_PAGE + 24 + FAKE_PAGE;
	struct fake_file f = {calloc(1, size), size};
	unsigned char *p = f.data, *sub = p + FAKE_PAGE;
	size_t nsz;

	memcpy(p, "KDUMP   ", 8);
	fake_put(p + 8, 6, 4);
	fake_put(p + 428, FAKE_PAGE, 4); /* block_size */
	fake_put(p + 432, 1, 4);	 /* sub_hdr_size */
	fake_put(p + 436, 2, 4);	 /* bitmap_blocks */
	fake_put(p + 440, 8, 4);	 /* max_mapnr */
	fake_put(p + 460, 1, 4);	 /* nr_cpus */
	fake_put(sub + 8, 1, 4);	 /* dump_level */
	nsz = fake_vmcoreinfo_note(sub + 104);
	fake_put(sub + 32, FAKE_PAGE + 104 + 24, 8); /* offset_vmcoreinfo */
	fake_put(sub + 40, nsz - 24, 8);
	fake_put(sub + 48, FAKE_PAGE + 104, 8); /* offset_note */
	fake_put(sub + 56, nsz, 8);
	fake_put(sub + 96, 8, 8); /* max_mapnr_64 */
	p[2 * FAKE_PAGE] = 0xff;  /* memory bitmap: pfns 0-7 exist */
	p[3 * FAKE_PAGE] = 0x01;  /* dump bitmap: pfn 0 dumped */
	fake_put(p + 4 * FAKE_PAGE, 4 * FAKE_PAGE + 24, 8);
	fake_put(p + 4 * FAKE_PAGE + 8, FAKE_PAGE, 4);
	memset(p + 4 * FAKE_PAGE + 24, 0x5a, FAKE_PAGE);
	return f;
}

static inline long fake_file_pread(void *priv, void *buf, size_t len, uint64_t off)
{
	const struct fake_file *f = priv;

	if (off >= f->size)
		return 0;
	if (len > f->size - off)
		len = f->size - off;
	memcpy(buf, f->data + off, len);
	return (long)len;
}

static inline struct pcs_dumpfile fake_dumpfile(struct fake_file *f)
{
	return (struct pcs_dumpfile){.pread = fake_file_pread, .priv = f, .size = f->size};
}

/* A flattened-format file (makedumpfile -F): header, one 8-byte record at offset 0, end marker. */
static inline struct fake_file fake_flat_dump(void)
{
	struct fake_file f = {calloc(1, 4096 + 16 + 8 + 16), 4096 + 16 + 8 + 16};

	memcpy(f.data, "makedumpfile", 12);
	f.data[23] = f.data[31] = 1; /* type 1, version 1 (big-endian) */
	f.data[4096 + 15] = 8;	     /* record: offset 0, 8 bytes */
	memset(f.data + 4096 + 24, 0xff, 16);
	return f;
}

/*
 * Seed i of a fuzz corpus of whole dump files: 0 the fake ELF dump, 1 the fake
 * kdump-compressed one, 2 the flattened one; only the first nkinds are given.
 * Returns the bytes written to buf (at most cap), 0 past the last seed.
 */
static inline size_t fake_dump_seed(int i, int nkinds, uint8_t *buf, size_t cap)
{
	struct fake_file f;

	if (i >= nkinds || i > 2)
		return 0;
	f = i == 0 ? fake_elf_dump() : i == 1 ? fake_kdump_dump() : fake_flat_dump();
	size_t n = f.size < cap ? f.size : cap;

	memcpy(buf, f.data, n);
	free(f.data);
	return n;
}

#endif /* PCS_FAKE_DUMP_H */
