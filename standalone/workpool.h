/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The standalone tool's workers for core/exec.h: N threads, each reading the dump
 * through its own handle (sa_open_reader()), running the jobs of one analysis at
 * a time while the calling thread preps them and reports their results in order.
 *
 *	struct sa_workpool *wp;
 *	if (sa_workpool_new(st, jobs, &wp, &err)) ...
 *	o.exec = sa_workpool_exec(wp);   // NULL with one job: the calling thread alone
 *	...
 *	sa_workpool_free(wp);
 */
#ifndef SA_WORKPOOL_H
#define SA_WORKPOOL_H

#include "exec.h"
#include "sa_target.h"

struct sa_workpool;

/*
 * workers == 1: no threads, no extra handles. cache_pages > 0: the workers'
 * libkdumpfile cache size (sa_open_reader()).
 */
enum pcs_errcode sa_workpool_new(const struct sa_target *st, unsigned int workers,
				 unsigned int cache_pages, struct sa_workpool **out,
				 struct pcs_error *err);
/* The exec to hand to the core; NULL for a pool of one. */
const struct pcs_exec *sa_workpool_exec(const struct sa_workpool *wp);
void sa_workpool_free(struct sa_workpool *wp);

/* The default for -j: the CPUs online (at least 1). */
unsigned int sa_default_jobs(void);

#endif /* SA_WORKPOOL_H */
