// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz VMCOREINFO parsing: the input is VMCOREINFO text (KEY=VALUE lines), served
 * by the fake target's vmcoreinfo op. Every key is parsed as a number, and the
 * readers that take the memory layout from VMCOREINFO run on it (arm64 and
 * x86_64 layouts, kernel release). Seeds include the VMCOREINFO of the lab's
 * arm64 and amd64 6.1 dumps (tests/fuzz/seeds/fuzz_vmcoreinfo/).
 */
#include "arm64_pgtable.h"
#include "fuzz.h"
#include "kernel.h"
#include "x86_64_pgtable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	static char text[1 << 16];
	struct pcs_error err;
	char val[128];
	uint64_t v;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fake_init(&ft, PCS_ARCH_ARM64, 0);
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		if (!eq || ft.nvmci >= FAKE_MAX || eq - line >= 64)
			continue;
		*eq = '\0';
		fake_vmci_set(&ft, line, eq + 1);
	}
	for (int i = 0; i < ft.nvmci; i++) {
		pcs_vmcoreinfo_u64(&ft.t, ft.vmci[i].key, &v, &err);
		pcs_vmcoreinfo(&ft.t, ft.vmci[i].key, val, sizeof(val), &err);
	}
	if (pcs_vmcoreinfo(&ft.t, "OSRELEASE", val, sizeof(val), &err) == PCS_OK)
		ft.t.kernel_version = pcs_parse_osrelease(val);
	if (pcs_vmcoreinfo_u64(&ft.t, "PAGESIZE", &v, &err) == PCS_OK && v <= 65536)
		ft.t.page_size = (uint32_t)v;
	{
		struct pcs_arm64_layout l;

		pcs_arm64_layout_read(&ft.t, &l, &err);
	}
	ft.t.arch = PCS_ARCH_X86_64;
	{
		struct pcs_x86_64_layout l;

		pcs_x86_64_layout_read(&ft.t, &l, &err);
	}
	fake_free(&ft);
	return 0;
}

static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	static const char seed[] = "OSRELEASE=6.1.0-57-arm64\nPAGESIZE=4096\n"
				   "SYMBOL(swapper_pg_dir)=ffffc2ed93a58000\nNUMBER(VA_BITS)=48\n"
				   "NUMBER(kimage_voffset)=0xffffc2ed52200000\n"
				   "NUMBER(PHYS_OFFSET)=0x40000000\nNUMBER(TCR_EL1_T1SZ)=0x10\n"
				   "KERNELOFFSET=42ed8a400000\nOFFSET(page.mapping)=24\n";

	if (i > 0 || cap < sizeof(seed))
		return 0;
	memcpy(buf, seed, sizeof(seed) - 1);
	return sizeof(seed) - 1;
}
