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

#include "roots.h"

#define CHUNK 65536

static bool is_init_task(const struct pcs_target *t, uint64_t task, uint64_t o_pid,
			 uint64_t o_tasks)
{
	uint32_t pid;
	uint64_t next, prev;

	return pcs_read_u32(t, task + o_pid, &pid, NULL) == PCS_OK && pid == 0 &&
	       pcs_read_u64(t, task + o_tasks, &next, NULL) == PCS_OK &&
	       pcs_read_u64(t, next + 8, &prev, NULL) == PCS_OK && prev == task + o_tasks;
}

enum pcs_errcode pcs_root_init_task(const struct pcs_target *t, uint64_t *addr,
				    struct pcs_error *err)
{
	static const char name[] = "swapper/0"; /* with its NUL */
	uint64_t lo, hi, o_comm, o_pid, o_tasks, start;
	enum pcs_errcode rc;
	uint8_t *buf;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if (pcs_member_offset(t, "task_struct", "comm", &o_comm, NULL) ||
	    pcs_member_offset(t, "task_struct", "pid", &o_pid, NULL) ||
	    pcs_member_offset(t, "task_struct", "tasks", &o_tasks, NULL))
		return pcs_error_set(
		    err, PCS_ERR_NOSYM,
		    "init_task: no task_struct comm/pid/tasks layout to find it by");
	start = lo;
	if (pcs_symbol(t, "__init_begin", &start, NULL) || start < lo || start >= hi)
		start = lo;
	if (!(buf = malloc(CHUNK + sizeof(name))))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	size_t carry = 0;

	for (uint64_t a = start; a < hi;) {
		size_t n = CHUNK - (size_t)(a % CHUNK);

		if (n > hi - a)
			n = (size_t)(hi - a);
		enum pcs_errcode rrc = pcs_read_paged(t, PCS_KVADDR, a, buf + carry, n, NULL);

		if (rrc == PCS_ERR_CORRUPT)
			break; /* a damaged dump: stop rather than read on through it */
		if (rrc) {
			carry = 0;
			a += n;
			continue;
		}
		size_t len = carry + n;
		uint64_t base = a - carry;

		for (uint8_t *p = buf; (p = memmem(p, (size_t)(buf + len - p), name, sizeof(name)));
		     p++) {
			uint64_t task = base + (uint64_t)(p - buf) - o_comm;

			if (task % 8 == 0 && is_init_task(t, task, o_pid, o_tasks)) {
				free(buf);
				*addr = task;
				return PCS_OK;
			}
		}
		carry = len < sizeof(name) - 1 ? len : sizeof(name) - 1;
		memmove(buf, buf + len - carry, carry);
		a += n;
	}
	free(buf);
	return pcs_error_set(err, PCS_ERR_NOSYM,
			     "init_task: no task named swapper/0 with pid 0 in the kernel image "
			     "0x%" PRIx64 "-0x%" PRIx64,
			     start, hi);
}
