// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF vmcore headers (/proc/vmcore, makedumpfile -E): ELF64, little-endian,
 * ET_CORE, x86_64 or aarch64; program headers inside the file; every PT_LOAD
 * and PT_NOTE inside the file; notes well formed; section headers (vmcores have
 * none) either absent or consistent. libkdumpfile 0.5.1 trusts e_shoff,
 * e_shnum, e_shentsize and e_phentsize: garbage there crashes it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "dumphdr_impl.h"

#define EHDR_SIZE  64
#define PHDR_SIZE  56
#define SHDR_SIZE  64
#define PT_LOAD	   1
#define PT_NOTE	   4
#define PN_XNUM	   0xffff
#define SHT_NOBITS 8

static enum pcs_errcode bad(struct pcs_error *err, const char *field, uint64_t val, const char *why)
{
	return pcs_error_set(err, PCS_ERR_MALFORMED, "ELF header %s 0x%" PRIx64 ": %s", field, val,
			     why);
}

static enum pcs_errcode check_phdr(const struct pcs_dumpfile *f, unsigned int i,
				   const unsigned char *ph, struct pcs_dump_layout *lay,
				   struct pcs_error *err)
{
	uint32_t type = dh_le32(ph);
	uint64_t off = dh_le64(ph + 8), vaddr = dh_le64(ph + 16), paddr = dh_le64(ph + 24);
	uint64_t filesz = dh_le64(ph + 32), memsz = dh_le64(ph + 40);
	char where[64];

	if (type != PT_LOAD && type != PT_NOTE)
		return PCS_OK;
	if (!dh_fits(f, off, filesz))
		return pcs_error_set(
		    err, PCS_ERR_MALFORMED,
		    "program header %u (%s): p_offset 0x%" PRIx64 " + p_filesz 0x%" PRIx64
		    " is past the end of the file (%" PRIu64 " bytes; truncated?)",
		    i, type == PT_LOAD ? "PT_LOAD" : "PT_NOTE", off, filesz, f->size);
	struct pcs_dump_seg seg = {
	    .offset = off, .filesz = filesz, .paddr = paddr, .vaddr = vaddr, .memsz = memsz};

	if (type == PT_NOTE) {
		enum pcs_errcode rc;

		snprintf(where, sizeof(where), "program header %u (PT_NOTE)", i);
		rc = pcs_dh_notes(f, off, filesz, where, lay, err);
		return rc ? rc : pcs_dh_push_seg(&lay->notes, &lay->nnotes, seg, err);
	}
	if (filesz > memsz)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "program header %u (PT_LOAD): p_filesz 0x%" PRIx64
				     " is larger than p_memsz 0x%" PRIx64,
				     i, filesz, memsz);
	if (paddr != UINT64_MAX && memsz > UINT64_MAX - paddr)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "program header %u (PT_LOAD): p_paddr 0x%" PRIx64
				     " + p_memsz 0x%" PRIx64 " wraps around",
				     i, paddr, memsz);
	if (vaddr != UINT64_MAX && memsz && memsz - 1 > UINT64_MAX - vaddr)
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "program header %u (PT_LOAD): p_vaddr 0x%" PRIx64
				     " + p_memsz 0x%" PRIx64 " wraps around",
				     i, vaddr, memsz);
	return pcs_dh_push_seg(&lay->loads, &lay->nloads, seg, err);
}

static enum pcs_errcode check_sections(const struct pcs_dumpfile *f, const unsigned char *eh,
				       struct pcs_error *err)
{
	uint64_t shoff = dh_le64(eh + 40);
	uint16_t shentsize = dh_le16(eh + 58), shnum = dh_le16(eh + 60),
		 shstrndx = dh_le16(eh + 62);

	if (!shoff) {
		if (shnum)
			return bad(err, "e_shnum", shnum, "section headers but e_shoff is 0");
		return PCS_OK;
	}
	if (!shnum)
		return bad(err, "e_shoff", shoff,
			   "section headers with e_shnum 0 (extended numbering) are not supported");
	if (shentsize != SHDR_SIZE)
		return bad(err, "e_shentsize", shentsize, "expected 64");
	if (shoff < EHDR_SIZE || !dh_fits(f, shoff, (uint64_t)shnum * SHDR_SIZE))
		return bad(err, "e_shoff", shoff, "section headers are not inside the file");
	if (shstrndx && shstrndx >= shnum)
		return bad(err, "e_shstrndx", shstrndx, "not below e_shnum");
	for (unsigned int i = 0; i < shnum; i++) {
		unsigned char sh[SHDR_SIZE];
		enum pcs_errcode rc =
		    pcs_dh_read(f, sh, SHDR_SIZE, shoff + (uint64_t)i * SHDR_SIZE, err);

		if (rc)
			return rc;
		uint64_t off = dh_le64(sh + 24), size = dh_le64(sh + 32);

		if (dh_le32(sh + 4) != SHT_NOBITS && !dh_fits(f, off, size))
			return pcs_error_set(err, PCS_ERR_MALFORMED,
					     "section header %u: sh_offset 0x%" PRIx64
					     " + sh_size 0x%" PRIx64 " is past the end of the file",
					     i, off, size);
		if (i == shstrndx && size > DH_MAX_STRTAB)
			return pcs_error_set(err, PCS_ERR_MALFORMED,
					     "section header %u (names): sh_size 0x%" PRIx64
					     " is too large",
					     i, size);
	}
	return PCS_OK;
}

enum pcs_errcode pcs_dh_check_elf(const struct pcs_dumpfile *f, struct pcs_dump_layout *lay,
				  struct pcs_error *err)
{
	unsigned char eh[EHDR_SIZE];
	enum pcs_errcode rc;

	if (!dh_fits(f, 0, EHDR_SIZE))
		return pcs_error_set(err, PCS_ERR_MALFORMED,
				     "ELF header: file of %" PRIu64 " bytes is truncated", f->size);
	rc = pcs_dh_read(f, eh, EHDR_SIZE, 0, err);
	if (rc)
		return rc;
	if (eh[4] != 2)
		return bad(err, "EI_CLASS", eh[4],
			   "only 64-bit (ELFCLASS64) vmcores are supported");
	if (eh[5] != 1)
		return bad(err, "EI_DATA", eh[5], "only little-endian vmcores are supported");
	if (dh_le16(eh + 16) != 4)
		return bad(err, "e_type", dh_le16(eh + 16), "not a core file (ET_CORE)");
	uint16_t mach = dh_le16(eh + 18);

	if (mach != 62 && mach != 183)
		return bad(err, "e_machine", mach, "neither x86_64 (62) nor aarch64 (183)");
	lay->elf_machine = mach;
	/* e_ehsize is not checked: QEMU's dump-guest-memory writes 8. */

	uint64_t phoff = dh_le64(eh + 32);
	uint16_t phentsize = dh_le16(eh + 54), phnum = dh_le16(eh + 56);

	if (phentsize != PHDR_SIZE)
		return bad(err, "e_phentsize", phentsize, "expected 56");
	if (!phnum)
		return bad(err, "e_phnum", phnum, "no program headers");
	if (phnum == PN_XNUM)
		return bad(err, "e_phnum", phnum, "extended numbering is not supported");
	if (phoff < EHDR_SIZE || !dh_fits(f, phoff, (uint64_t)phnum * PHDR_SIZE))
		return bad(err, "e_phoff", phoff,
			   "program headers are not inside the file (truncated?)");
	rc = check_sections(f, eh, err);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < phnum; i++) {
		unsigned char ph[PHDR_SIZE];

		rc = pcs_dh_read(f, ph, PHDR_SIZE, phoff + (uint64_t)i * PHDR_SIZE, err);
		if (rc)
			return rc;
		rc = check_phdr(f, i, ph, lay, err);
		if (rc)
			return rc;
	}
	if (!lay->nnotes)
		return bad(err, "e_phnum", phnum, "no PT_NOTE program header");
	if (!lay->nloads)
		return bad(err, "e_phnum", phnum, "no PT_LOAD program header");
	return PCS_OK;
}
