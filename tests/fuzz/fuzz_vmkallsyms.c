// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the kernel's own kallsyms decoding (core/kallsyms.c, the dump-alone path):
 * the input is kernel memory at TAB holding the token table (+0x1000), token index
 * (+0x2000), names (+0x3000), offsets (+0x4000), relative base (+0x5000) and symbol
 * count (+0x5008) that VMCOREINFO's SYMBOL(kallsyms_*) would point at. Byte 0 bit 0
 * asks for a lookup of "init_task", bits 1-7 shift the looked-up address.
 */
#include "fake_kallsyms.h"
#include "fuzz.h"
#include "kallsyms.h"

#define TAB UINT64_C(0xffff800009000000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_target ft;
	struct pcs_kallsyms_tables tab = {
	    .num_syms = TAB + 0x5008,
	    .names = TAB + 0x3000,
	    .token_table = TAB + 0x1000,
	    .token_index = TAB + 0x2000,
	    .offsets = TAB + 0x4000,
	    .relative_base = TAB + 0x5000,
	};
	struct pcs_kallsyms *ks = NULL;
	struct pcs_error err;
	const char *name;
	uint64_t a, off, sz;

	if (size < 0x5010 || size > FUZZ_MAX_INPUT)
		return 0;
	fake_init(&ft, PCS_ARCH_ARM64, PCS_KERNEL_VERSION(6, 1, 0));
	fuzz_map(&ft, PCS_KVADDR, TAB, data, size);
	if (pcs_kallsyms_load(&ft.t, &tab, &ks, &err) == PCS_OK) {
		if (data[0] & 1)
			pcs_kallsyms_lookup(ks, "init_task", &a);
		pcs_kallsyms_symbolize(ks, UINT64_C(0xffff800008000000) + ((uint64_t)data[0] << 4),
				       &name, &off, &sz);
		pcs_kallsyms_free(ks);
	}
	fake_free(&ft);
	return 0;
}

/* Seed: five symbols ("foo", "bar_foo", "init_task", a local "foo", a 130-byte
 * name with the 6.1 two-byte length) at base 0xffff800008000000. */
static size_t fuzz_seed(int i, uint8_t *buf, size_t cap)
{
	const int32_t offs[5] = {0x10, 0x20, 0x30, 0x40, 0x50};

	if (i > 0 || cap < FAKE_KSYM_SMALL_SIZE)
		return 0;
	memset(buf, 0, FAKE_KSYM_SMALL_SIZE);
	fake_ksym_small(buf, offs, UINT64_C(0xffff800008000000));
	return FAKE_KSYM_SMALL_SIZE;
}
