/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crash utility's --machdep overrides a dump needs, where crash (8.0.6 to 9.0.2 at least)
 * derives a wrong memory layout from the dump.
 */
#ifndef PCS_CRASH_MACHDEP_H
#define PCS_CRASH_MACHDEP_H

#include "error.h"
#include "target.h"

#include <stdint.h>

struct pcs_crash_machdep {
	char args[96];	 /* "-m key=value" words separated by spaces; "" when crash needs none */
	const char *why; /* what crash gets wrong without them (a static string), or NULL */
};

/*
 * Fill md with the crash options that let crash open t. The one case known:
 *
 * arm64, a kernel built for 52-bit VA running on a CPU without LPA2 (TCR_EL1.T1SZ = 16: 48-bit
 * VA at run time; Debian 13's 4K kernel on a Kunpeng 920). The kernel keeps the 52-bit
 * PAGE_OFFSET and lowers PHYS_OFFSET (memstart_addr) by _PAGE_OFFSET(48) - _PAGE_OFFSET(52).
 * crash takes its VA size from T1SZ (48) and so a PAGE_OFFSET of -(1 << 48), but keeps the
 * lowered PHYS_OFFSET of VMCOREINFO: every linear address then lands 0xfff0000000000000 too
 * high ("seek error ... memory section root table"). Its MAX_PHYSMEM_BITS of 52 makes it
 * read 4K PTEs in the LPA layout as well. The overrides: the PHYS_OFFSET that goes with a
 * PAGE_OFFSET of -(1 << 48), and 48 physical address bits.
 */
enum pcs_errcode pcs_crash_machdep(const struct pcs_target *t, uint32_t kernel_version,
				   struct pcs_crash_machdep *md, struct pcs_error *err);

#endif /* PCS_CRASH_MACHDEP_H */
