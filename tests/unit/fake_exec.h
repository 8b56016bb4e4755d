/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A struct pcs_exec for unit tests, without threads: it preps a whole window of
 * jobs, runs their work in reverse order on "workers" 0..2 (all reading through
 * the same target), then calls done in order - the most out-of-order schedule a
 * real pool may produce, made deterministic.
 */
#ifndef PCS_FAKE_EXEC_H
#define PCS_FAKE_EXEC_H

#include <stdbool.h>

#include "exec.h"

struct fake_exec {
	struct pcs_exec x;
	const struct pcs_target *targets[3];
	unsigned long locks, unlocks;
};

static inline void fake_exec_run(void *priv, const struct pcs_jobs *j)
{
	size_t w = j->window ? j->window : 12, prepped = 0, ran = 0, done = 0;
	bool stop = false;

	(void)priv;
	for (;;) {
		while (!stop && prepped < j->n && prepped - done < w) {
			if (j->prep)
				j->prep(j->arg, prepped);
			prepped++;
		}
		if (done == prepped)
			break;
		for (size_t i = prepped; i-- > ran;)
			j->work(j->arg, i, (unsigned int)(i % 3));
		ran = prepped;
		while (done < prepped)
			if (j->done(j->arg, done++))
				stop = true;
	}
}

static inline void fake_exec_lock(void *priv)
{
	((struct fake_exec *)priv)->locks++;
}

static inline void fake_exec_unlock(void *priv)
{
	((struct fake_exec *)priv)->unlocks++;
}

static inline void fake_exec_init(struct fake_exec *fx, const struct pcs_target *t)
{
	static const struct pcs_exec_ops ops = {
	    .run = fake_exec_run, .lock = fake_exec_lock, .unlock = fake_exec_unlock};

	fx->targets[0] = fx->targets[1] = fx->targets[2] = t;
	fx->x = (struct pcs_exec){.ops = &ops, .priv = fx, .workers = 3, .targets = fx->targets};
	fx->locks = fx->unlocks = 0;
}

#endif /* PCS_FAKE_EXEC_H */
