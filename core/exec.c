// SPDX-License-Identifier: GPL-2.0-or-later
/* The single-threaded side of core/exec.h: jobs inline, in order. */
#include "exec.h"

#include <stdlib.h>

static bool threaded(const struct pcs_exec *x)
{
	return x && x->workers > 1 && x->ops && x->ops->run;
}

unsigned int pcs_exec_workers(const struct pcs_exec *x)
{
	return threaded(x) ? x->workers : 1;
}

void pcs_exec_run(const struct pcs_exec *x, const struct pcs_jobs *j)
{
	if (threaded(x)) {
		x->ops->run(x->priv, j);
		return;
	}
	for (size_t i = 0; i < j->n; i++) {
		if (j->prep)
			j->prep(j->arg, i);
		j->work(j->arg, i, 0);
		if (j->done(j->arg, i))
			break;
	}
}

void pcs_exec_lock(const struct pcs_exec *x)
{
	if (threaded(x) && x->ops->lock)
		x->ops->lock(x->priv);
}

void pcs_exec_unlock(const struct pcs_exec *x)
{
	if (threaded(x) && x->ops->unlock)
		x->ops->unlock(x->priv);
}

struct pcs_kernel *pcs_exec_kernels(const struct pcs_exec *x, const struct pcs_kernel *k)
{
	unsigned int n = pcs_exec_workers(x);
	struct pcs_kernel *v = calloc(n, sizeof(*v));

	if (!v)
		return NULL;
	for (unsigned int i = 0; i < n; i++) {
		v[i] = *k;
		if (threaded(x))
			v[i].t = x->targets[i];
	}
	return v;
}
