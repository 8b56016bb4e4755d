/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tasks of the dumped kernel: pid → task_struct → mm (for ptewalk --pid). */
#ifndef SA_TASKS_H
#define SA_TASKS_H

#include <stdint.h>

#include "target.h"

/* Find the task with this pid on init_task.tasks; *task and *mm (0 for kernel threads). */
enum pcs_errcode sa_task_by_pid(const struct pcs_target *t, uint64_t pid, uint64_t *task,
				uint64_t *mm, char comm[17], struct pcs_error *err);

#endif
