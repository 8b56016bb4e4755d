// SPDX-License-Identifier: GPL-2.0-or-later
/* Which derived root comes from where (see roots.h), and the kernel image's bounds. */
#include "roots.h"

#include <string.h>

static const struct {
	const char *name;
	enum pcs_errcode (*derive)(const struct pcs_target *, uint64_t *, struct pcs_error *);
} roots[] = {
    {"init_task", pcs_root_init_task},
    {"super_blocks", pcs_root_super_blocks},
    {"modules", pcs_root_modules},
    {"_text", pcs_root_text},
    {"_end", pcs_root_end},
    {"__init_end", pcs_root_init_end},
    {"__per_cpu_offset", pcs_root_per_cpu_offset},
    {"runqueues", pcs_root_runqueues},
};

bool pcs_root_known(const char *name)
{
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (strcmp(roots[i].name, name) == 0)
			return true;
	return false;
}

enum pcs_errcode pcs_root_derive(const struct pcs_target *t, const char *name, uint64_t *addr,
				 struct pcs_error *err)
{
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (strcmp(roots[i].name, name) == 0)
			return roots[i].derive(t, addr, err);
	return pcs_error_set(err, PCS_ERR_NOSYM, "%s: no way to derive it from the dump", name);
}

enum pcs_errcode pcs_image_range(const struct pcs_target *t, uint64_t *lo, uint64_t *hi,
				 struct pcs_error *err)
{
	if (pcs_vmcoreinfo_u64(t, "SYMBOL(_stext)", lo, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "VMCOREINFO has no SYMBOL(_stext) to place the kernel image");
	if (pcs_symbol(t, "_end", hi, NULL) || *hi <= *lo || *hi - *lo > PCS_IMAGE_MAX)
		*hi = *lo + PCS_IMAGE_MAX;
	return PCS_OK;
}
