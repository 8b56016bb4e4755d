// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Specification of standalone/kcore.c (live mode's /proc/kcore reader) on a
 * synthetic ELF core file laid out like kcore: a PT_NOTE with CORE notes and the
 * VMCOREINFO note, the kernel image's PT_LOAD first (p_paddr inside the linear map's
 * range, as KCORE_TEXT), a linear-map PT_LOAD with p_paddr, a vmalloc PT_LOAD with
 * p_paddr -1. Virtual and physical reads (physical ones through the linear map), reads across and
 * outside segments (NODATA, never zeros), VMCOREINFO keys, and the errors for a missing file and a
 * file that is not an ELF64 core.
 */
#include <elf.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../standalone/kcore.c"
#include "unit.h"

#define LIN  UINT64_C(0xffff888000000000)
#define VMAL UINT64_C(0xffffc90000000000)
#define TEXT UINT64_C(0xffffffff81000000)
#define PHYS UINT64_C(0x100000)

static const char vmci[] = "OSRELEASE=6.1.0-57-amd64\nPAGESIZE=4096\nKERNELOFFSET=ee00000\n";

static size_t note(unsigned char *p, const char *name, uint32_t type, const void *d, uint32_t dl)
{
	Elf64_Nhdr nh = {.n_namesz = (uint32_t)strlen(name) + 1, .n_descsz = dl, .n_type = type};
	size_t o = 0;

	memcpy(p, &nh, sizeof(nh));
	o += sizeof(nh);
	memcpy(p + o, name, nh.n_namesz);
	o += (nh.n_namesz + 3u) & ~3u;
	memcpy(p + o, d, dl);
	return o + ((dl + 3u) & ~3u);
}

static int make_core(const char *path, uint16_t machine)
{
	static unsigned char f[0x4000];
	Elf64_Ehdr eh = {.e_type = ET_CORE,
			 .e_machine = machine,
			 .e_version = EV_CURRENT,
			 .e_phoff = sizeof(Elf64_Ehdr),
			 .e_ehsize = sizeof(Elf64_Ehdr),
			 .e_phentsize = sizeof(Elf64_Phdr),
			 .e_phnum = 4};
	unsigned char prs[64] = {0};
	size_t nl = 0;

	memset(f, 0, sizeof(f));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(f, &eh, sizeof(eh));
	nl += note(f + 0x400 + nl, "CORE", 1, prs, sizeof(prs));
	nl += note(f + 0x400 + nl, "VMCOREINFO", 0, vmci, sizeof(vmci) - 1);
	Elf64_Phdr ph[4] = {
	    {.p_type = PT_NOTE, .p_offset = 0x400, .p_filesz = nl},
	    /* the kernel image over the linear map's second page, other bytes (kcore reads
	     * zeros there once the kernel unmapped its freed __init pages from the image) */
	    {.p_type = PT_LOAD,
	     .p_offset = 0x3000,
	     .p_vaddr = TEXT,
	     .p_paddr = PHYS + 0x1000,
	     .p_filesz = 0x1000,
	     .p_memsz = 0x1000},
	    {.p_type = PT_LOAD,
	     .p_offset = 0x1000,
	     .p_vaddr = LIN + PHYS,
	     .p_paddr = PHYS,
	     .p_filesz = 0x2000,
	     .p_memsz = 0x2000},
	    {.p_type = PT_LOAD,
	     .p_offset = 0x3000,
	     .p_vaddr = VMAL,
	     .p_paddr = (Elf64_Addr)-1,
	     .p_filesz = 0x1000,
	     .p_memsz = 0x1000},
	};
	memcpy(f + sizeof(eh), ph, sizeof(ph));
	for (int i = 0; i < 0x3000; i++)
		f[0x1000 + i] = (unsigned char)(i * 7 + (i >> 8));
	FILE *fp = fopen(path, "wb");

	if (!fp)
		return 0;
	int ok = fwrite(f, 1, sizeof(f), fp) == sizeof(f);

	return fclose(fp) == 0 && ok;
}

int main(void)
{
	char path[256];
	struct sa_kcore *kc = NULL;
	struct pcs_error err = {0};
	unsigned char b[0x20], want[0x20];
	char v[64];
	uint64_t pa = 0;

	snprintf(path, sizeof(path), "%s/pcs-kcore-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemp(path);

	if (fd >= 0)
		close(fd);
	CASE("a kcore-shaped ELF core opens: arch, segments, VMCOREINFO")
	{
		EXPECT(fd >= 0 && make_core(path, EM_X86_64));
		EXPECT(sa_kcore_open(path, &kc, &err) == PCS_OK);
		EXPECT(kc && kc->arch == PCS_ARCH_X86_64 && kc->nsegs == 3);
		EXPECT(kc && sa_kcore_vmcoreinfo(kc, "OSRELEASE", v, sizeof(v), &err) == PCS_OK);
		EXPECT_STREQ(v, "6.1.0-57-amd64");
		EXPECT(kc && sa_kcore_vmcoreinfo(kc, "KERNELOFFSET", v, sizeof(v), &err) == PCS_OK);
		EXPECT_STREQ(v, "ee00000");
		EXPECT(kc && sa_kcore_vmcoreinfo(kc, "OSRELEASE2", v, sizeof(v), &err) ==
				 PCS_ERR_NOTFOUND);
	}
	for (int i = 0; i < 0x20; i++)
		want[i] = (unsigned char)((0x1fe0 + i) * 7 + ((0x1fe0 + i) >> 8));
	CASE("virtual and physical reads of the linear map give the same bytes")
	{
		EXPECT(kc &&
		       sa_kcore_read(kc, PCS_KVADDR, LIN + PHYS + 0x1fe0, b, 0x20, &err) ==
			   PCS_OK &&
		       !memcmp(b, want, 0x20));
		memset(b, 0, sizeof(b));
		EXPECT(kc &&
		       sa_kcore_read(kc, PCS_KPHYSADDR, PHYS + 0x1fe0, b, 0x20, &err) == PCS_OK &&
		       !memcmp(b, want, 0x20));
		EXPECT(kc && sa_kcore_virt_to_phys(kc, LIN + PHYS + 0x10, &pa) &&
		       pa == PHYS + 0x10);
		EXPECT(kc && sa_kcore_phys_mapped(kc, PHYS + 0x1fff) &&
		       !sa_kcore_phys_mapped(kc, PHYS + 0x2000));
	}
	CASE("a physical address the kernel image also covers is read through the linear map")
	{
		unsigned char t[0x20];

		for (int i = 0; i < 0x20; i++)
			t[i] = (unsigned char)((0x1000 + i) * 7 + ((0x1000 + i) >> 8));
		EXPECT(kc &&
		       sa_kcore_read(kc, PCS_KPHYSADDR, PHYS + 0x1000, b, 0x20, &err) == PCS_OK &&
		       !memcmp(b, t, 0x20));
		/* the image's own virtual addresses read its segment */
		for (int i = 0; i < 0x20; i++)
			t[i] = (unsigned char)((0x2000 + i) * 7 + ((0x2000 + i) >> 8));
		EXPECT(kc && sa_kcore_read(kc, PCS_KVADDR, TEXT, b, 0x20, &err) == PCS_OK &&
		       !memcmp(b, t, 0x20));
		EXPECT(kc && sa_kcore_virt_to_phys(kc, TEXT + 0x10, &pa) && pa == PHYS + 0x1010);
	}
	CASE("vmalloc: readable by virtual address, no physical address")
	{
		EXPECT(kc && sa_kcore_read(kc, PCS_KVADDR, VMAL + 8, b, 8, &err) == PCS_OK);
		EXPECT(kc && !sa_kcore_virt_to_phys(kc, VMAL + 8, &pa));
	}
	CASE("memory outside every segment is NODATA, also half-way through a read")
	{
		EXPECT(kc && sa_kcore_read(kc, PCS_KVADDR, LIN + PHYS + 0x1fe0, b, 0x20 + 0x10,
					   &err) != PCS_OK);
		EXPECT(kc && sa_kcore_read(kc, PCS_KVADDR, LIN, b, 8, &err) == PCS_ERR_NODATA &&
		       strstr(err.msg, "not mapped in"));
		EXPECT(kc && sa_kcore_read(kc, PCS_KPHYSADDR, 0, b, 8, &err) == PCS_ERR_NODATA);
	}
	CASE("a worker's handle reads the same")
	{
		struct sa_kcore *d = NULL;

		EXPECT(kc && sa_kcore_dup(kc, &d, &err) == PCS_OK);
		EXPECT(d &&
		       sa_kcore_read(d, PCS_KPHYSADDR, PHYS + 0x1fe0, b, 0x20, &err) == PCS_OK &&
		       !memcmp(b, want, 0x20));
		sa_kcore_close(d);
	}
	sa_kcore_close(kc);
	kc = NULL;
	CASE("errors: no such file names kcore's absence; not an ELF core; other machine")
	{
		EXPECT(sa_kcore_open("/nonexistent/kcore", &kc, &err) == PCS_ERR_IO && !kc &&
		       strstr(err.msg, "no /nonexistent/kcore"));
		EXPECT(make_core(path, EM_PPC64));
		EXPECT(sa_kcore_open(path, &kc, &err) == PCS_ERR_MALFORMED && !kc &&
		       strstr(err.msg, "e_machine"));
		FILE *fp = fopen(path, "wb");

		EXPECT(fp && fputs("not an ELF file at all", fp) >= 0 && fclose(fp) == 0);
		EXPECT(sa_kcore_open(path, &kc, &err) == PCS_ERR_MALFORMED && !kc &&
		       strstr(err.msg, "not an ELF64 core"));
	}
	unlink(path);
	UNIT_EXIT();
}
