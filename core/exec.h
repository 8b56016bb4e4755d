/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running an analysis's jobs on several threads, when the front end can.
 *
 * The core has no threads of its own. An analysis that splits its work (verify:
 * chunks of files; refs: ranges of physical memory) numbers its jobs in output
 * order and hands them to pcs_exec_run(). A front end that can read the dump
 * from several threads at once passes a struct pcs_exec whose workers each have
 * their own struct pcs_target (standalone/: one libkdumpfile context per thread);
 * without one (NULL, or one worker) the jobs run one after another on the
 * calling thread with the caller's own target (crash-ext/: crash's readmem() is
 * not thread-safe).
 *
 *	struct pcs_jobs j = { .n = n, .prep = open_ref, .work = compare, .done = emit, .arg = c };
 *	pcs_exec_run(exec, &j);
 *
 * Order: prep(i) and done(i) run on the calling thread, prep in increasing i,
 * done in increasing i once work(i) has finished; work(i) runs on some worker
 * between them, with that worker's target. At most `window` jobs are prepped
 * and not yet done. So results merged in done() come out exactly as a
 * single-threaded run would produce them.
 */
#ifndef PCS_EXEC_H
#define PCS_EXEC_H

#include <stddef.h>

#include "kernel.h"
#include "target.h"

struct pcs_jobs {
	size_t n;      /* jobs 0 .. n-1 */
	size_t window; /* most jobs prepped and not yet done; 0: 4 per worker */
	/* calling thread, in order, before work(i) (may be NULL) */
	void (*prep)(void *arg, size_t i);
	/* any worker; `worker` < pcs_exec_workers(), for per-worker scratch space */
	void (*work)(void *arg, size_t i, unsigned int worker);
	/*
	 * calling thread, in order, for every job prepped. Nonzero: prep no further
	 * job (those already prepped still get work() and done()).
	 */
	int (*done)(void *arg, size_t i);
	void *arg;
};

struct pcs_exec_ops {
	/* Run the jobs as described above; returns when every prepped job is done. */
	void (*run)(void *priv, const struct pcs_jobs *jobs);
	/* One mutex for state the jobs share (a reference source that is not thread-safe). */
	void (*lock)(void *priv);
	void (*unlock)(void *priv);
};

struct pcs_exec {
	const struct pcs_exec_ops *ops;
	void *priv;
	unsigned int workers;			 /* >= 1 */
	const struct pcs_target *const *targets; /* one per worker, for memory reads */
};

/* Workers jobs can run on: 1 without an exec. */
unsigned int pcs_exec_workers(const struct pcs_exec *x);

/* Run jobs (inline on the calling thread when x is NULL or has one worker). */
void pcs_exec_run(const struct pcs_exec *x, const struct pcs_jobs *jobs);

/* The exec's mutex; no-ops without threads. */
void pcs_exec_lock(const struct pcs_exec *x);
void pcs_exec_unlock(const struct pcs_exec *x);

/*
 * One struct pcs_kernel per worker: copies of k reading through each worker's
 * target (k itself when single-threaded). Free with free(); NULL when out of
 * memory.
 */
struct pcs_kernel *pcs_exec_kernels(const struct pcs_exec *x, const struct pcs_kernel *k);

#endif /* PCS_EXEC_H */
