#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "procpool.h"

/* Results a child collects before it writes them to its pipe. */
#define BATCH	(64 * 1024)

/* Each result travels as the item's number and its length, then bytes. */
struct frame {
	uint64_t	i;
	uint64_t	len;
};

struct child {
	pid_t		 pid;
	int		 fd;		/* read end of its pipe; -1 at EOF */
	struct buf	 in;		/* bytes read, not yet whole frames */
	size_t		 used;		/* of in, handed on already */
};

static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

_Noreturn static void
child_loop(atomic_size_t *next, size_t n, procpool_fn *fn, void *arg,
    int fd)
{
	struct buf b = BUF_INIT;
	struct frame f;
	size_t i, at;

	while ((i = atomic_fetch_add(next, 1)) < n) {
		at = b.len;
		buf_put(&b, &f, sizeof(f));	/* room for the frame */
		fn(arg, i, &b);
		f.i = i;
		f.len = b.len - at - sizeof(f);
		memcpy(b.data + at, &f, sizeof(f));
		/*
		 * Results go in batches: one write, and one wake-up of the
		 * parent, a page cost more than rendering a small page.
		 */
		if (b.len >= BATCH) {
			if (write_all(fd, b.data, b.len) == -1)
				_exit(1);
			buf_reset(&b);
		}
	}
	if (b.len > 0 && write_all(fd, b.data, b.len) == -1)
		_exit(1);
	/* No atexit handlers, no flushing of the parent's stdio buffers. */
	_exit(0);
}

/* Hands on every whole frame in c's buffer. */
static void
frames(struct child *c, procpool_done *done, void *arg)
{
	struct frame f;

	while (c->in.len - c->used >= sizeof(f)) {
		memcpy(&f, c->in.data + c->used, sizeof(f));
		if (c->in.len - c->used - sizeof(f) < f.len)
			break;
		done(arg, (size_t)f.i, c->in.data + c->used + sizeof(f),
		    (size_t)f.len);
		c->used += sizeof(f) + (size_t)f.len;
	}
	/* Keep only the unfinished frame. */
	if (c->used > 0) {
		memmove(c->in.data, c->in.data + c->used, c->in.len - c->used);
		c->in.len -= c->used;
		c->used = 0;
	}
}

static int
in_process(size_t n, procpool_fn *fn, procpool_done *done, void *arg)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_reset(&b);
		fn(arg, i, &b);
		done(arg, i, b.data ? b.data : "", b.len);
	}
	buf_free(&b);
	return 1;
}

int
procpool_run(int jobs, size_t n, procpool_fn *fn, procpool_done *done,
    void *arg)
{
	return procpool_run_beside(jobs, n, fn, done, arg, NULL, NULL);
}

struct beside {
	void	(*fn)(void *);
	void	*arg;
};

static void *
beside_main(void *p)
{
	struct beside *b = p;

	b->fn(b->arg);
	return NULL;
}

int
procpool_run_beside(int jobs, size_t n, procpool_fn *fn, procpool_done *done,
    void *arg, void (*beside)(void *), void *barg)
{
	struct beside bs = { beside, barg };
	pthread_t thread;
	int threaded = 0;
	struct child *c;
	struct pollfd *pf;
	atomic_size_t *next;
	char chunk[65536];
	int k, started = 0, open, fds[2], status, rc;
	pid_t parent;
	ssize_t r;
	nfds_t np;

	if ((size_t)jobs > n)
		jobs = (int)n;
	if (jobs <= 1 || (next = mmap(NULL, sizeof(*next), PROT_READ |
	    PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED) {
		if (beside != NULL)
			beside(barg);
		return in_process(n, fn, done, arg);
	}
	atomic_init(next, 0);
	c = xcalloc((size_t)jobs, sizeof(*c));
	pf = xcalloc((size_t)jobs, sizeof(*pf));
	parent = getpid();
	for (k = 0; k < jobs; k++) {
		if (pipe2(fds, O_CLOEXEC) == -1)
			break;
		if ((c[k].pid = fork()) == -1) {
			close(fds[0]);
			close(fds[1]);
			break;
		}
		if (c[k].pid == 0) {
			/*
			 * A build killed (SIGKILL) takes its workers along:
			 * an orphan would go on writing into the staging
			 * folder, holding the output's lock.
			 */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
			    getppid() != parent)
				_exit(1);
			close(fds[0]);
			for (int j = 0; j < k; j++)
				close(c[j].fd);
			child_loop(next, n, fn, arg, fds[1]);
		}
		close(fds[1]);
		c[k].fd = fds[0];
		started++;
	}
	rc = started;
	if (started == 0) {
		free(c);
		free(pf);
		munmap(next, sizeof(*next));
		if (beside != NULL)
			beside(barg);
		return in_process(n, fn, done, arg);
	}
	/* Without a thread, beside waits for the loop, and runs after it. */
	if (beside != NULL)
		threaded = pthread_create(&thread, NULL, beside_main, &bs) == 0;
	for (open = started; open > 0; ) {
		for (k = 0, np = 0; k < started; k++)
			if (c[k].fd != -1) {
				pf[np].fd = c[k].fd;
				pf[np].events = POLLIN;
				pf[np++].revents = 0;
			}
		if (poll(pf, np, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (k = 0; k < started; k++) {
			nfds_t j;
			if (c[k].fd == -1)
				continue;
			for (j = 0; j < np && pf[j].fd != c[k].fd; j++)
				;
			if (j == np || pf[j].revents == 0)
				continue;
			r = read(c[k].fd, chunk, sizeof(chunk));
			if (r == -1 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(c[k].fd);
				c[k].fd = -1;
				open--;
				continue;
			}
			buf_put(&c[k].in, chunk, (size_t)r);
			frames(&c[k], done, arg);
		}
	}
	for (k = 0; k < started; k++) {
		if (c[k].fd != -1)
			close(c[k].fd);
		while (waitpid(c[k].pid, &status, 0) == -1 && errno == EINTR)
			;
		/* A child that died mid-item left a part of a frame. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    c[k].in.len > 0)
			rc = -1;
		buf_free(&c[k].in);
	}
	free(c);
	free(pf);
	munmap(next, sizeof(*next));
	if (threaded)
		pthread_join(thread, NULL);
	else if (beside != NULL)
		beside(barg);
	return rc;
}
