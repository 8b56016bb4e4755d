// SPDX-License-Identifier: GPL-2.0-or-later
#include "tasks.h"

#include "loopcheck.h"

#include <inttypes.h>
#include <string.h>

/* pcs_error_wrap() returns PCS_OK when err is NULL: keep the code then. */
#define WRAP(rc, err, ...) ((err) ? pcs_error_wrap(err, __VA_ARGS__) : (rc))

#define SA_MAX_TASKS (1u << 22)

enum pcs_errcode sa_task_by_pid(const struct pcs_target *t, uint64_t pid, uint64_t *task,
				uint64_t *mm, char comm[17], struct pcs_error *err)
{
	uint64_t init_task, o_tasks, o_pid, o_mm, o_comm;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(t, "init_task", &init_task, err)) ||
	    (rc = pcs_member_offset(t, "task_struct", "tasks", &o_tasks, err)) ||
	    (rc = pcs_member_offset(t, "task_struct", "pid", &o_pid, err)) ||
	    (rc = pcs_member_offset(t, "task_struct", "mm", &o_mm, err)) ||
	    (rc = pcs_member_offset(t, "task_struct", "comm", &o_comm, err)))
		return rc;
	uint64_t head = init_task + o_tasks, pos = head;

	struct pcs_loopcheck lc = PCS_LOOPCHECK_INIT;

	for (uint32_t n = 0; n < SA_MAX_TASKS; n++) {
		uint64_t tsk = pos - o_tasks;

		if (pcs_loopcheck_step(&lc, pos))
			break;
		uint32_t p;

		if ((rc = pcs_read_u32(t, tsk + o_pid, &p, err)))
			return WRAP(rc, err, "walking init_task.tasks");
		if (p == pid) {
			*task = tsk;
			if ((rc = pcs_read_u64(t, tsk + o_mm, mm, err)))
				return rc;
			memset(comm, 0, 17);
			pcs_read(t, PCS_KVADDR, tsk + o_comm, comm, 16, NULL);
			return PCS_OK;
		}
		if ((rc = pcs_read_u64(t, pos, &pos, err)))
			return WRAP(rc, err, "walking init_task.tasks");
		if (pos == head)
			return pcs_error_set(err, PCS_ERR_NOTFOUND, "no task with pid %" PRIu64,
					     pid);
	}
	return pcs_error_set(err, PCS_ERR_CORRUPT, "init_task.tasks does not end (loop?)");
}
