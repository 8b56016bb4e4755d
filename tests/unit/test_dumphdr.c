// SPDX-License-Identifier: GPL-2.0-or-later
/* Specification of the vmcore header validator (core/dumphdr.c). */
#include "dumphdr.h"
#include "fake_dump.h"
#include "unit.h"

/* Check f after writing n bytes of v at off; restores the bytes. */
static enum pcs_errcode check_with(struct fake_file *f, size_t off, uint64_t v, int n,
				   struct pcs_error *err)
{
	unsigned char old[8];
	struct pcs_dumpfile df = fake_dumpfile(f);
	enum pcs_errcode rc;

	memcpy(old, f->data + off, (size_t)n);
	fake_put(f->data + off, v, n);
	pcs_error_clear(err);
	rc = pcs_dumphdr_check(&df, NULL, err);
	memcpy(f->data + off, old, (size_t)n);
	return rc;
}

/* pcs_dumphdr_check into lay, freeing what lay held before. */
static enum pcs_errcode check_lay(const struct pcs_dumpfile *df, struct pcs_dump_layout *lay,
				  struct pcs_error *err)
{
	pcs_dump_layout_free(lay);
	return pcs_dumphdr_check(df, lay, err);
}

#define EXPECT_BAD(f, off, v, n, word)                                                             \
	do {                                                                                       \
		struct pcs_error e_;                                                               \
		EXPECT(check_with(f, off, v, n, &e_) == PCS_ERR_MALFORMED);                        \
		EXPECT(strstr(e_.msg, word) != NULL);                                              \
		if (!strstr(e_.msg, word))                                                         \
			fprintf(stderr, "  message: %s\n", e_.msg);                                \
	} while (0)

int main(void)
{
	struct fake_file elf = fake_elf_dump(), kd = fake_kdump_dump();
	struct pcs_error err;
	struct pcs_dump_layout lay = {0};

	CASE("a well-formed ELF vmcore passes")
	{
		struct pcs_dumpfile df = fake_dumpfile(&elf);
		EXPECT(check_lay(&df, &lay, &err) == PCS_OK);
		EXPECT(lay.fmt == PCS_DUMPFMT_ELF);
	}
	CASE("the ELF layout lists each PT_LOAD with its addresses and each PT_NOTE")
	{
		struct pcs_dumpfile df = fake_dumpfile(&elf);
		EXPECT(check_lay(&df, &lay, &err) == PCS_OK);
		EXPECT(lay.nloads == 1 && lay.nnotes == 1);
		EXPECT(lay.nloads == 1 && lay.loads[0].offset == FAKE_PAGE &&
		       lay.loads[0].paddr == 0 && lay.loads[0].vaddr == 0xffff888000000000ull &&
		       lay.loads[0].filesz == FAKE_PAGE && lay.loads[0].memsz == FAKE_PAGE);
		EXPECT(lay.nnotes == 1 && lay.notes[0].offset == 176);
	}
	CASE("a well-formed kdump-compressed vmcore passes")
	{
		struct pcs_dumpfile df = fake_dumpfile(&kd);
		EXPECT(check_lay(&df, &lay, &err) == PCS_OK);
		EXPECT(lay.fmt == PCS_DUMPFMT_KDUMP);
		if (err.code)
			fprintf(stderr, "  %s\n", err.msg);
		EXPECT(lay.nloads == 0); /* kdump: the sub-header's note copy, if any */
	}
	CASE("garbage e_shoff (libkdumpfile 0.5.1 SIGSEGV) names e_shoff")
	EXPECT_BAD(&elf, 40, 0x4141414141414141ull, 8, "e_shoff 0x4141414141414141");
	CASE("e_shoff 0 with e_shnum 0xffff (libkdumpfile SIGSEGV) names e_shnum")
	EXPECT_BAD(&elf, 60, 0xffff, 2, "e_shnum 0xffff");
	CASE("e_phentsize 0 (libkdumpfile SIGSEGV) names e_phentsize")
	EXPECT_BAD(&elf, 54, 0, 2, "e_phentsize 0x0");
	CASE("e_phoff past the end of the file")
	EXPECT_BAD(&elf, 32, 0x10000000, 8, "e_phoff 0x10000000");
	CASE("e_phnum PN_XNUM")
	EXPECT_BAD(&elf, 56, 0xffff, 2, "e_phnum 0xffff");
	CASE("big-endian or 32-bit ELF")
	{
		EXPECT_BAD(&elf, 5, 2, 1, "EI_DATA");
		EXPECT_BAD(&elf, 4, 1, 1, "EI_CLASS");
	}
	CASE("PT_LOAD p_filesz past the end names the program header")
	EXPECT_BAD(&elf, 64 + 56 + 32, 0x2000, 8, "program header 1 (PT_LOAD)");
	CASE("PT_LOAD p_filesz above p_memsz")
	EXPECT_BAD(&elf, 64 + 56 + 40, 0x100, 8, "p_memsz 0x100");
	CASE("PT_NOTE p_offset past the end")
	EXPECT_BAD(&elf, 64 + 8, 0xfffffffffff0ull, 8, "program header 0 (PT_NOTE)");
	CASE("note n_descsz beyond the notes")
	EXPECT_BAD(&elf, 176 + 4, 0x7fffffff, 4, "n_descsz 2147483647");
	CASE("VMCOREINFO key starting with '.' (libkdumpfile 0.5.1 SIGSEGV)")
	EXPECT_BAD(&elf, 176 + 24, '.', 1, "has key \".SRELEASE\"");
	CASE("VMCOREINFO with a NUL inside its text (libkdumpfile 0.5.1 SIGSEGV)")
	EXPECT_BAD(&elf, 176 + 24 + 3, 0, 1, "NUL byte");
	CASE("kdump block_size not a page size")
	EXPECT_BAD(&kd, 428, 4097, 4, "block_size 4097");
	CASE("kdump sub_hdr_size past the end")
	EXPECT_BAD(&kd, 432, 1000, 4, "sub_hdr_size 1000");
	CASE("kdump max_mapnr beyond the bitmap")
	{
		EXPECT_BAD(&kd, 440, 1u << 30, 4, "max_mapnr_64");
		EXPECT_BAD(&kd, FAKE_PAGE + 96, 1u << 30, 8, "max_mapnr_64");
	}
	CASE("kdump sub-header note range past the end")
	EXPECT_BAD(&kd, FAKE_PAGE + 48, 1ull << 40, 8, "offset_note");
	CASE("kdump dump bitmap with more pages than descriptors fit")
	{
		struct pcs_dumpfile df = fake_dumpfile(&kd);
		memset(kd.data + 3 * FAKE_PAGE, 0xff, 512);
		EXPECT(pcs_dumphdr_check(&df, NULL, &err) == PCS_ERR_MALFORMED);
		EXPECT(strstr(err.msg, "pfn 0x8 is dumped but not in the memory bitmap") != NULL);
		memset(kd.data + 2 * FAKE_PAGE, 0xff, 512);
		EXPECT(pcs_dumphdr_check(&df, NULL, &err) == PCS_ERR_MALFORMED);
		EXPECT(strstr(err.msg, "4096 dumped pages need descriptors") != NULL);
		memset(kd.data + 2 * FAKE_PAGE, 0, 512);
		memset(kd.data + 3 * FAKE_PAGE, 0, 512);
		kd.data[2 * FAKE_PAGE] = 0xff;
		kd.data[3 * FAKE_PAGE] = 1;
	}
	CASE("kdump page data not right after the descriptors (bitmap counts too few)")
	{
		struct pcs_dumpfile df = fake_dumpfile(&kd);
		unsigned char *d = kd.data + 4 * FAKE_PAGE;
		fake_put(d, 4 * FAKE_PAGE + 48, 8);
		fake_put(d + 8, 100, 4);
		fake_put(d + 12, 1, 4);
		EXPECT(pcs_dumphdr_check(&df, NULL, &err) == PCS_ERR_MALFORMED);
		EXPECT(strstr(err.msg, "not where the 1 descriptors the bitmap counts end") !=
		       NULL);
		fake_put(d, 4 * FAKE_PAGE + 24, 8);
		fake_put(d + 8, FAKE_PAGE, 4);
		fake_put(d + 12, 0, 4);
	}
	CASE("kdump dump bitmap counting one page more: descriptor offset before the data")
	EXPECT_BAD(&kd, 3 * FAKE_PAGE, 3, 1, "descriptor 0");
	CASE("kdump page descriptor offset past the end")
	EXPECT_BAD(&kd, 4 * FAKE_PAGE, 1ull << 40, 8, "descriptor 0");
	CASE("kdump page descriptor size with no compression flag")
	EXPECT_BAD(&kd, 4 * FAKE_PAGE + 8, 100, 4, "size 100");
	CASE("kdump page descriptor with two compression flags")
	EXPECT_BAD(&kd, 4 * FAKE_PAGE + 12, 3, 4, "flags 0x3");
	CASE("truncated kdump file is reported as truncated")
	{
		struct fake_file t = kd;
		t.size = 4 * FAKE_PAGE + 100;
		struct pcs_dumpfile df = fake_dumpfile(&t);
		EXPECT(pcs_dumphdr_check(&df, NULL, &err) == PCS_ERR_MALFORMED);
		EXPECT(strstr(err.msg, "truncated") != NULL);
	}
	CASE("flattened format: bad header type, missing end marker, good file")
	{
		struct fake_file fl = fake_flat_dump();
		struct pcs_dumpfile df = fake_dumpfile(&fl);
		fl.data[23] = 0;
		EXPECT(check_lay(&df, &lay, &err) == PCS_ERR_MALFORMED);
		EXPECT(lay.fmt == PCS_DUMPFMT_FLAT && strstr(err.msg, "header type 0"));
		fl.data[23] = 1;
		df.size = 4096 + 24;
		EXPECT(check_lay(&df, &lay, &err) == PCS_ERR_MALFORMED);
		EXPECT(strstr(err.msg, "end marker") != NULL);
		df.size = fl.size;
		EXPECT(check_lay(&df, &lay, &err) == PCS_OK);
		fl.data[4096 + 14] = 0x7f; /* buf_size past the end */
		EXPECT(check_lay(&df, &lay, &err) == PCS_ERR_MALFORMED);
		EXPECT(strstr(err.msg, "buf_size") != NULL);
		free(fl.data);
	}
	CASE("unknown signatures are left to the dump library")
	{
		struct fake_file g = {calloc(1, 4096), 4096};
		struct pcs_dumpfile df = fake_dumpfile(&g);
		EXPECT(check_lay(&df, &lay, &err) == PCS_OK && lay.fmt == PCS_DUMPFMT_UNKNOWN);
		free(g.data);
	}
	pcs_dump_layout_free(&lay);
	free(elf.data);
	free(kd.data);
	UNIT_EXIT();
}
