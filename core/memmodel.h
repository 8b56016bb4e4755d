/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to core/: memory-model discovery used by pcs_kernel_init(). */
#ifndef PCS_MEMMODEL_H
#define PCS_MEMMODEL_H

#include "kernel.h"

/* Fill k->mm (needs k->t, k->page.size, k->page_shift, k->version); never fails. */
void pcs_memmodel_init(struct pcs_kernel *k);

#endif /* PCS_MEMMODEL_H */
