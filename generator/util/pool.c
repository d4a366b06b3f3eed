#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "mem.h"
#include "pool.h"

struct pool {
	pool_fn		*fn;
	void		*arg;
	size_t		 n;
	atomic_size_t	 next;
};

struct pool_thread {
	struct pool	*pool;
	int		 worker;
	pthread_t	 thread;
};

static void *
pool_work(void *p)
{
	struct pool_thread *t = p;
	struct pool *pool = t->pool;
	size_t i;

	while ((i = atomic_fetch_add(&pool->next, 1)) < pool->n)
		pool->fn(pool->arg, t->worker, i);
	return NULL;
}

int
pool_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

int
pool_run(int jobs, size_t n, pool_fn *fn, void *arg)
{
	struct pool pool;
	struct pool_thread *t;
	int i, started;

	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > n)
		jobs = n ? (int)n : 1;
	pool.fn = fn;
	pool.arg = arg;
	pool.n = n;
	atomic_init(&pool.next, 0);
	t = xcalloc((size_t)jobs, sizeof(*t));
	for (i = 0; i < jobs; i++) {
		t[i].pool = &pool;
		t[i].worker = i;
	}
	for (started = 1; started < jobs; started++)
		if (pthread_create(&t[started].thread, NULL, pool_work,
		    &t[started]) != 0)
			break;	/* fewer threads is slower, not wrong */
	pool_work(&t[0]);
	for (i = 1; i < started; i++)
		pthread_join(t[i].thread, NULL);
	free(t);
	return started;
}
