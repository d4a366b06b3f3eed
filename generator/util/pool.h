/*
 * A pool of threads for one parallel loop: fn(arg, worker, i) for every i
 * in [0, n), each i exactly once, on jobs threads of which the calling
 * thread is worker 0. Items are handed out one at a time from a shared
 * counter, so a few large pages do not leave a thread idle. Returns after
 * every item is done.
 */
#ifndef VALO_POOL_H
#define VALO_POOL_H

#include <stddef.h>

typedef void	pool_fn(void *arg, int worker, size_t i);

/* Returns the number of threads used (at most jobs, at least 1). */
int	pool_run(int jobs, size_t n, pool_fn *, void *arg);

/* The number of cores online, at least 1. */
int	pool_cores(void);

#endif
