// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the structural search of a pre-6.0 kernel's kallsyms tables
 * (core/kallsyms_find.c): the input is the kernel image's memory at IMG, searched
 * whole; VMCOREINFO's SYMBOL(_stext) is IMG + 0x10000. Byte 0 bit 0 asks for a
 * lookup of "_stext" in what was found.
 */
#include "fake_kallsyms.h"
#include "fuzz.h"
#include "kallsyms.h"

#define IMG   UINT64_C(0xffff800010000000)
#define STEXT (IMG + 0x10000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_kallsyms_tables tab;
	struct pcs_kallsyms *ks = NULL;
	struct pcs_error err;
	uint64_t a;

	if (size < 1024 || size > FUZZ_MAX_INPUT)
		return 0;
	fake_init(&ft, PCS_ARCH_ARM64, PCS_KERNEL_VERSION(5, 10, 0));
	fuzz_map(&ft, PCS_KVADDR, IMG, data, size);
	fake_vmci_set(&ft, "SYMBOL(_stext)", "ffff800010010000");
	if (pcs_kallsyms_find(&ft.t, IMG, IMG + size, &tab, &ks, &err) == PCS_OK) {
		if (data[0] & 1)
			pcs_kallsyms_lookup(ks, "_stext", &a);
		pcs_kallsyms_free(ks);
	}
	fake_free(&ft);
	return 0;
}

/* Seeds: 300 symbols (two marker groups) with relative offsets, then absolute
 * addresses, after 64 bytes of code-like filler. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	static struct fake_ksym syms[300];
	static char names[300][12];
	struct fake_ksym_layout l;
	size_t n;

	if (i > 1)
		return 0;
	syms[0] = (struct fake_ksym){'T', "_stext", STEXT};
	for (uint32_t k = 1; k < 300; k++) {
		snprintf(names[k], sizeof(names[k]), "f%u", k);
		syms[k] = (struct fake_ksym){'t', names[k], STEXT + 0x20 * k};
	}
	memset(buf, 0, cap < 65536 ? cap : 65536);
	for (size_t k = 0; k < 64; k++)
		buf[k] = (uint8_t)(k * 37 + 11);
	n = fake_ksym_image(buf, cap, 64, syms, 300, i == 0, IMG, &l);
	return n < 1024 ? 1024 : n;
}
