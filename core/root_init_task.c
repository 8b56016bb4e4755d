// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * init_task, CPU 0's idle task, lives in the kernel image's .data, after the init
 * sections. It is found by its structure: the name init_idle() gives it,
 * "swapper/0", at task_struct.comm, pid 0, and a consistent tasks list
 * (tasks.next->prev == &tasks). The scan starts at __init_begin (a text-range
 * symbol text-only kallsyms keeps), else _stext, and stops at the image's end.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kscan.h"
#include "roots.h"

static const char swapper0[] = "swapper/0"; /* with its NUL */

static bool is_init_task(const struct pcs_target *t, uint64_t task, uint64_t o_comm, uint64_t o_pid,
			 uint64_t o_tasks)
{
	char comm[sizeof(swapper0)];
	uint32_t pid;
	uint64_t next, prev;

	/* the name again, read as evidence (the scan's read is not) */
	return pcs_read(t, PCS_KVADDR, task + o_comm, comm, sizeof(comm), NULL) == PCS_OK &&
	       !memcmp(comm, swapper0, sizeof(comm)) &&
	       pcs_read_u32(t, task + o_pid, &pid, NULL) == PCS_OK && pid == 0 &&
	       pcs_read_u64(t, task + o_tasks, &next, NULL) == PCS_OK &&
	       pcs_read_u64(t, next + 8, &prev, NULL) == PCS_OK && prev == task + o_tasks;
}

struct scan_ctx {
	const struct pcs_target *t;
	uint64_t o_comm, o_pid, o_tasks, found;
};

static int scan_chunk(void *vctx, uint64_t base, const uint8_t *buf, size_t len)
{
	struct scan_ctx *c = vctx;

	for (const uint8_t *p = buf;
	     (p = memmem(p, (size_t)(buf + len - p), swapper0, sizeof(swapper0))); p++) {
		uint64_t task = base + (uint64_t)(p - buf) - c->o_comm;

		if (task % 8 == 0 && is_init_task(c->t, task, c->o_comm, c->o_pid, c->o_tasks)) {
			c->found = task;
			return 1;
		}
	}
	return 0;
}

enum pcs_errcode pcs_root_init_task(const struct pcs_target *t, uint64_t *addr,
				    struct pcs_error *err)
{
	struct scan_ctx c = {.t = t};
	uint64_t lo, hi, start;
	enum pcs_errcode rc;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if (pcs_member_offset(t, "task_struct", "comm", &c.o_comm, NULL) ||
	    pcs_member_offset(t, "task_struct", "pid", &c.o_pid, NULL) ||
	    pcs_member_offset(t, "task_struct", "tasks", &c.o_tasks, NULL))
		return pcs_error_set(
		    err, PCS_ERR_NOSYM,
		    "init_task: no task_struct comm/pid/tasks layout to find it by");
	start = lo;
	if (pcs_symbol(t, "__init_begin", &start, NULL) || start < lo || start >= hi)
		start = lo;
	/* a corrupt page ends the scan (not found): reading on through it is unsafe */
	rc = pcs_kscan(t, start, hi, sizeof(swapper0) - 1, scan_chunk, &c, NULL);
	if (rc == PCS_ERR_NOMEM)
		return pcs_error_set(err, rc, "out of memory");
	if (c.found) {
		*addr = c.found;
		return PCS_OK;
	}
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "init_task: no task named swapper/0 with pid 0 in the kernel image "
			     "0x%" PRIx64 "-0x%" PRIx64,
			     start, hi);
}
