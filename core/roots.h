/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data roots a kernel built with KALLSYMS_ALL=n does not name (its kallsyms hold
 * text symbols only), derived from VMCOREINFO, the types and the structures they
 * lead to, never from hard-coded offsets. Each root has its own file:
 *   init_task     root_init_task.c
 *   super_blocks  root_super_blocks.c
 *   modules       root_modules.c
 *   _text, _end, __init_end                  root_image.c
 *   __per_cpu_offset, runqueues, nr_cpu_ids  root_percpu.c
 * The kernel image is [SYMBOL(_stext), _end) (_end from kallsyms when present,
 * else _stext + PCS_IMAGE_MAX).
 */
#ifndef PCS_ROOTS_H
#define PCS_ROOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"

#define PCS_IMAGE_MAX (128ull << 20)

/* Is name a root derive_root() knows? */
bool pcs_root_known(const char *name);
/* Derive root name; PCS_ERR_NOSYM with the reason when it cannot be. */
enum pcs_errcode pcs_root_derive(const struct pcs_target *t, const char *name, uint64_t *addr,
				 struct pcs_error *err);

/* The kernel image's bounds as described above. */
enum pcs_errcode pcs_image_range(const struct pcs_target *t, uint64_t *lo, uint64_t *hi,
				 struct pcs_error *err);

enum pcs_errcode pcs_root_init_task(const struct pcs_target *t, uint64_t *addr,
				    struct pcs_error *err);
enum pcs_errcode pcs_root_text(const struct pcs_target *t, uint64_t *addr, struct pcs_error *err);
enum pcs_errcode pcs_root_end(const struct pcs_target *t, uint64_t *addr, struct pcs_error *err);
enum pcs_errcode pcs_root_init_end(const struct pcs_target *t, uint64_t *addr,
				   struct pcs_error *err);
enum pcs_errcode pcs_root_per_cpu_offset(const struct pcs_target *t, uint64_t *addr,
					 struct pcs_error *err);
enum pcs_errcode pcs_root_runqueues(const struct pcs_target *t, uint64_t *addr,
				    struct pcs_error *err);
/*
 * The number of possible CPUs: the value of nr_cpu_ids when the target names it,
 * else counted from the root task group's runqueues (root_percpu.c).
 */
enum pcs_errcode pcs_nr_cpu_ids(const struct pcs_target *t, uint32_t *nr, struct pcs_error *err);
enum pcs_errcode pcs_root_modules(const struct pcs_target *t, uint64_t *addr,
				  struct pcs_error *err);
enum pcs_errcode pcs_root_super_blocks(const struct pcs_target *t, uint64_t *addr,
				       struct pcs_error *err);

#endif /* PCS_ROOTS_H */
