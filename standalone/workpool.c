// SPDX-License-Identifier: GPL-2.0-or-later
/* Worker threads running core/exec.h jobs, results reported in job order. */
#include "workpool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sa_workpool {
	struct pcs_exec x;
	unsigned int n;
	struct sa_target **readers;
	const struct pcs_target **targets;
	pthread_t *threads;
	unsigned int started;
	pthread_mutex_t user; /* pcs_exec_lock() */
	/* everything below under mu */
	pthread_mutex_t mu;
	pthread_cond_t more; /* a job was prepped, or quit */
	pthread_cond_t fin;  /* a job finished */
	const struct pcs_jobs *jobs;
	size_t window;
	bool *finished; /* job i: finished[i % window] */
	size_t taken;	/* jobs workers took */
	size_t prepped; /* jobs prepped */
	bool quit;
};

struct worker_arg {
	struct sa_workpool *wp;
	unsigned int id;
};

static void *worker(void *arg)
{
	struct worker_arg *wa = arg;
	struct sa_workpool *wp = wa->wp;
	unsigned int id = wa->id;

	free(wa);
	pthread_mutex_lock(&wp->mu);
	for (;;) {
		while (!wp->quit && !(wp->jobs && wp->taken < wp->prepped))
			pthread_cond_wait(&wp->more, &wp->mu);
		if (wp->quit)
			break;
		const struct pcs_jobs *j = wp->jobs;
		size_t i = wp->taken++;

		pthread_mutex_unlock(&wp->mu);
		j->work(j->arg, i, id);
		pthread_mutex_lock(&wp->mu);
		wp->finished[i % wp->window] = true;
		pthread_cond_broadcast(&wp->fin);
	}
	pthread_mutex_unlock(&wp->mu);
	return NULL;
}

static void pool_run(void *priv, const struct pcs_jobs *j)
{
	struct sa_workpool *wp = priv;
	size_t window = j->window ? j->window : 4 * (size_t)wp->n;
	size_t prepped = 0, done = 0;
	bool stop = false;
	bool *finished = calloc(window, sizeof(*finished));

	if (!finished) { /* no room to track jobs: run them here */
		for (size_t i = 0; i < j->n && !stop; i++) {
			if (j->prep)
				j->prep(j->arg, i);
			j->work(j->arg, i, 0);
			stop = j->done(j->arg, i);
		}
		return;
	}
	pthread_mutex_lock(&wp->mu);
	wp->jobs = j;
	wp->window = window;
	wp->finished = finished;
	wp->taken = wp->prepped = 0;
	pthread_mutex_unlock(&wp->mu);
	for (;;) {
		while (!stop && prepped < j->n && prepped - done < window) {
			if (j->prep)
				j->prep(j->arg, prepped);
			pthread_mutex_lock(&wp->mu);
			finished[prepped % window] = false;
			wp->prepped = ++prepped;
			pthread_cond_signal(&wp->more);
			pthread_mutex_unlock(&wp->mu);
		}
		if (done == prepped)
			break;
		pthread_mutex_lock(&wp->mu);
		while (!finished[done % window])
			pthread_cond_wait(&wp->fin, &wp->mu);
		pthread_mutex_unlock(&wp->mu);
		if (j->done(j->arg, done))
			stop = true;
		done++;
	}
	pthread_mutex_lock(&wp->mu);
	wp->jobs = NULL;
	wp->finished = NULL;
	pthread_mutex_unlock(&wp->mu);
	free(finished);
}

static void pool_lock(void *priv)
{
	pthread_mutex_lock(&((struct sa_workpool *)priv)->user);
}

static void pool_unlock(void *priv)
{
	pthread_mutex_unlock(&((struct sa_workpool *)priv)->user);
}

static const struct pcs_exec_ops pool_ops = {
    .run = pool_run,
    .lock = pool_lock,
    .unlock = pool_unlock,
};

unsigned int sa_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (unsigned int)n;
}

enum pcs_errcode sa_workpool_new(const struct sa_target *st, unsigned int workers,
				 unsigned int cache_pages, struct sa_workpool **out,
				 struct pcs_error *err)
{
	struct sa_workpool *wp = calloc(1, sizeof(*wp));
	enum pcs_errcode rc;

	*out = NULL;
	if (!wp)
		return pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
	wp->n = workers ? workers : 1;
	pthread_mutex_init(&wp->mu, NULL);
	pthread_mutex_init(&wp->user, NULL);
	pthread_cond_init(&wp->more, NULL);
	pthread_cond_init(&wp->fin, NULL);
	if (wp->n == 1) {
		*out = wp;
		return PCS_OK;
	}
	wp->readers = calloc(wp->n, sizeof(*wp->readers));
	wp->targets = calloc(wp->n, sizeof(*wp->targets));
	wp->threads = calloc(wp->n, sizeof(*wp->threads));
	if (!wp->readers || !wp->targets || !wp->threads) {
		rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	for (unsigned int i = 0; i < wp->n; i++) {
		if ((rc = sa_open_reader(st, cache_pages, &wp->readers[i], err)))
			goto fail;
		wp->targets[i] = &wp->readers[i]->t;
	}
	for (; wp->started < wp->n; wp->started++) {
		struct worker_arg *wa = malloc(sizeof(*wa));
		int e;

		if (!wa) {
			rc = pcs_error_set(err, PCS_ERR_NOMEM, "out of memory");
			goto fail;
		}
		*wa = (struct worker_arg){.wp = wp, .id = wp->started};
		if ((e = pthread_create(&wp->threads[wp->started], NULL, worker, wa))) {
			free(wa);
			rc =
			    pcs_error_set(err, PCS_ERR_NOMEM, "starting worker thread %u of %u: %s",
					  wp->started + 1, wp->n, strerror(e));
			goto fail;
		}
	}
	wp->x = (struct pcs_exec){
	    .ops = &pool_ops, .priv = wp, .workers = wp->n, .targets = wp->targets};
	*out = wp;
	return PCS_OK;
fail:
	sa_workpool_free(wp);
	return rc;
}

const struct pcs_exec *sa_workpool_exec(const struct sa_workpool *wp)
{
	return wp && wp->n > 1 ? &wp->x : NULL;
}

void sa_workpool_free(struct sa_workpool *wp)
{
	if (!wp)
		return;
	pthread_mutex_lock(&wp->mu);
	wp->quit = true;
	pthread_cond_broadcast(&wp->more);
	pthread_mutex_unlock(&wp->mu);
	for (unsigned int i = 0; i < wp->started; i++)
		pthread_join(wp->threads[i], NULL);
	for (unsigned int i = 0; wp->readers && i < wp->n; i++)
		sa_close(wp->readers[i]);
	free(wp->readers);
	free(wp->targets);
	free(wp->threads);
	pthread_cond_destroy(&wp->more);
	pthread_cond_destroy(&wp->fin);
	pthread_mutex_destroy(&wp->mu);
	pthread_mutex_destroy(&wp->user);
	free(wp);
}
