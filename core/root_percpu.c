// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-CPU roots when kallsyms lacks them (KALLSYMS_ALL=n):
 *  - every possible CPU's runqueue: init_task.sched_task_group is the root task
 *    group; its cfs_rq[cpu]->rq is that CPU's struct rq (rq.cpu == cpu checks it;
 *    the first index failing the check ends the possible CPUs: nr_cpu_ids).
 *  - __per_cpu_offset: the array in the image's .data (from __init_end to _end)
 *    whose entries differ from each other as the runqueues do: off[i] - off[0] ==
 *    rq[i] - rq[0] for every CPU (at least two CPUs are needed to tell it apart).
 *  - runqueues: rq[0] - __per_cpu_offset[0].
 */
#include <inttypes.h>
#include <stdlib.h>

#include "roots.h"

#define CPUS_MAX 8192
#define CHUNK	 65536

/* rq[i] for the possible CPUs; *n of them. */
static enum pcs_errcode runqueues_of(const struct pcs_target *t, uint64_t *rq, uint32_t max,
				     uint32_t *n, struct pcs_error *err)
{
	uint64_t task, o_tg, o_cfs, o_rq, o_cpu, tg, arr;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(t, "init_task", &task, err)))
		return rc;
	if (pcs_member_offset(t, "task_struct", "sched_task_group", &o_tg, NULL) ||
	    pcs_member_offset(t, "task_group", "cfs_rq", &o_cfs, NULL) ||
	    pcs_member_offset(t, "cfs_rq", "rq", &o_rq, NULL) ||
	    pcs_member_offset(t, "rq", "cpu", &o_cpu, NULL))
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "per-cpu roots: no task_group.cfs_rq / cfs_rq.rq layout "
				     "(kernel without CONFIG_FAIR_GROUP_SCHED?)");
	if (pcs_read_u64(t, task + o_tg, &tg, NULL) || !tg ||
	    pcs_read_u64(t, tg + o_cfs, &arr, NULL) || !arr)
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "per-cpu roots: init_task's root task group is unreadable");
	*n = 0;
	for (uint32_t i = 0; i < max; i++) {
		uint64_t cfs, r;
		int32_t cpu;

		if (pcs_read_u64(t, arr + 8ull * i, &cfs, NULL) || !cfs ||
		    pcs_read_u64(t, cfs + o_rq, &r, NULL) ||
		    pcs_read(t, PCS_KVADDR, r + o_cpu, &cpu, 4, NULL) || cpu != (int32_t)i)
			break;
		rq[(*n)++] = r;
	}
	if (!*n)
		return pcs_error_set(err, PCS_ERR_NOSYM,
				     "per-cpu roots: the root task group has no CPU 0 runqueue");
	return PCS_OK;
}

enum pcs_errcode pcs_nr_cpu_ids(const struct pcs_target *t, uint32_t *nr, struct pcs_error *err)
{
	uint64_t sym, *rq;
	enum pcs_errcode rc;

	if (pcs_symbol(t, "nr_cpu_ids", &sym, NULL) == PCS_OK)
		return pcs_read_u32(t, sym, nr, err);
	if (!(rq = malloc(CPUS_MAX * sizeof(*rq))))
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	rc = runqueues_of(t, rq, CPUS_MAX, nr, err);
	free(rq);
	return rc;
}

enum pcs_errcode pcs_root_per_cpu_offset(const struct pcs_target *t, uint64_t *addr,
					 struct pcs_error *err)
{
	uint64_t lo, hi, start, *rq, *w;
	uint32_t n;
	enum pcs_errcode rc;

	if ((rc = pcs_image_range(t, &lo, &hi, err)))
		return rc;
	if (!(rq = malloc(CPUS_MAX * sizeof(*rq))) || !(w = malloc(CHUNK + CPUS_MAX * 8))) {
		free(rq);
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	}
	if ((rc = runqueues_of(t, rq, CPUS_MAX, &n, err)))
		goto out;
	rc = PCS_ERR_NOSYM;
	if (n < 2) {
		pcs_error_set(err, rc,
			      "__per_cpu_offset: one CPU only, its array cannot be told apart");
		goto out;
	}
	if (pcs_symbol(t, "__init_end", &start, NULL) || start < lo || start >= hi)
		start = lo;
	for (uint64_t a = start & ~7ull; a < hi; a += CHUNK) {
		size_t len = CHUNK + 8ull * n;

		if (a + len > hi)
			break;
		enum pcs_errcode rrc = pcs_read_paged(t, PCS_KVADDR, a, w, len, NULL);

		if (rrc == PCS_ERR_CORRUPT)
			break; /* a damaged dump: stop rather than read on through it */
		if (rrc)
			continue;
		for (size_t i = 0; i < CHUNK / 8; i++) {
			uint32_t c = 1;

			while (c < n && w[i + c] - w[i] == rq[c] - rq[0])
				c++;
			/* the offsets of distinct CPUs differ, and runqueues is in the image */
			if (c == n && w[i + 1] != w[i] && rq[0] - w[i] >= lo && rq[0] - w[i] < hi) {
				*addr = a + 8 * i;
				rc = PCS_OK;
				goto out;
			}
		}
	}
	pcs_error_set(
	    err, rc,
	    "__per_cpu_offset: no array in the image's data matches the %" PRIu32 " runqueues", n);
out:
	free(rq);
	free(w);
	return rc;
}

enum pcs_errcode pcs_root_runqueues(const struct pcs_target *t, uint64_t *addr,
				    struct pcs_error *err)
{
	uint64_t pco, off0, rq0;
	uint32_t n;
	enum pcs_errcode rc;

	if ((rc = pcs_symbol(t, "__per_cpu_offset", &pco, err)))
		return rc;
	if ((rc = runqueues_of(t, &rq0, 1, &n, err)))
		return rc;
	if ((rc = pcs_read_u64(t, pco, &off0, err)))
		return rc;
	*addr = rq0 - off0;
	return PCS_OK;
}
