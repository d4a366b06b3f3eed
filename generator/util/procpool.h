/*
 * A pool of processes for one parallel loop, for work that is not safe in
 * threads of one process (a library with process-wide state): fn(arg, i,
 * out) runs in a child process for every i in [0, n), each exactly once,
 * and appends item i's result to out; done(arg, i, data, len) then runs in
 * the calling process with those bytes, one item at a time, in the order
 * the results arrive. Items are handed out one at a time from a counter
 * the children share, so a few large items do not leave a child idle.
 *
 * The children are forked from the caller, so they see everything the
 * caller had (pointers into it stay valid for them) and change nothing of
 * it: only the bytes come back. The caller must have no other threads
 * running.
 */
#ifndef VALO_PROCPOOL_H
#define VALO_PROCPOOL_H

#include <stddef.h>

#include "buf.h"

typedef void	procpool_fn(void *arg, size_t i, struct buf *out);
typedef void	procpool_done(void *arg, size_t i, const char *data,
		    size_t len);

/*
 * Runs the loop on jobs child processes (with jobs of 1, or if no child
 * can be made, in the calling process). Returns the number of processes
 * used, or -1 if a child ended abnormally: the items it had taken then
 * have had no done call.
 */
int	procpool_run(int jobs, size_t n, procpool_fn *, procpool_done *,
	    void *arg);

/*
 * The same, with beside(barg) running meanwhile on a thread of the
 * calling process, started once the children are forked (a fork copies
 * only the thread that makes it): work of the caller's own that needs
 * nothing the loop makes, done while the children work. It has ended
 * when this returns; with no children it runs first, alone.
 */
int	procpool_run_beside(int jobs, size_t n, procpool_fn *,
	    procpool_done *, void *arg, void (*beside)(void *), void *barg);

#endif
