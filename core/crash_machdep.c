// SPDX-License-Identifier: GPL-2.0-or-later
/* The crash utility's --machdep overrides a dump needs (crash_machdep.h). */
#include "crash_machdep.h"

#include "memmodel.h"

#include <inttypes.h>
#include <stdio.h>

enum pcs_errcode pcs_crash_machdep(const struct pcs_target *t, uint32_t kernel_version,
				   struct pcs_crash_machdep *md, struct pcs_error *err)
{
	struct pcs_linear_map lm;
	uint64_t t1sz, phys48;
	enum pcs_errcode rc;

	md->args[0] = '\0';
	md->why = NULL;
	if (t->arch != PCS_ARCH_ARM64)
		return PCS_OK;
	rc = pcs_linear_map_read(t, kernel_version, &lm, err);
	if (rc)
		return rc;
	/* a 52-bit VA 4K kernel (its linear map at -(1 << 52)) with T1SZ 16 */
	if (lm.va_bits != 52 || t->page_size != 4096 || !lm.have_phys_offset ||
	    lm.page_offset != pcs_arm64_page_offset(52, kernel_version) ||
	    pcs_vmcoreinfo_u64(t, "NUMBER(TCR_EL1_T1SZ)", &t1sz, NULL) != PCS_OK || t1sz != 16)
		return PCS_OK;
	phys48 = lm.phys_offset + (pcs_arm64_page_offset(48, kernel_version) -
				   pcs_arm64_page_offset(52, kernel_version));
	snprintf(md->args, sizeof(md->args), "-m phys_offset=0x%" PRIx64 " -m max_physmem_bits=48",
		 phys48);
	md->why = "a 52-bit VA kernel run with 48-bit VA: crash takes the 48-bit layout from "
		  "TCR_EL1 but keeps the lowered 52-bit PHYS_OFFSET";
	return PCS_OK;
}
