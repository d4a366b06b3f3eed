/*
 * The preview server: the site built into memory and served over HTTP,
 * rebuilt whenever a file of it changes, with pages that reload
 * themselves. Nothing is written to disk; what is served is what a build
 * would write, except that HTML pages get the reload script (and a
 * Content-Security-Policy that lets it run) and a failed build's pages
 * become the list of its errors.
 */
#ifndef VALO_SERVE_H
#define VALO_SERVE_H

#include <stddef.h>

#include "util/diag.h"

struct build_stats;

struct serve_opts {
	const char	*root;		/* the site folder */
	const char	*bind;		/* an IPv4 or IPv6 address; NULL: 127.0.0.1 */
	int		 port;		/* 0: any free one */
	int		 drafts;	/* build drafts too */
	/* A commit to serve instead of the files; then nothing is watched. */
	const char	*ref;
	int		 has_today;	/* --today: the build time */
	int64_t		 today;
	/*
	 * Called after every build, from the thread that called serve_run:
	 * n counts builds from 1, ms is how long it took, st what it did
	 * (NULL when nothing could be built), d its diagnostics (failed
	 * pages or a failed build when d->errors). The callee may empty d.
	 */
	void		(*built)(unsigned n, double ms,
			    const struct build_stats *st, struct diags *d,
			    void *arg);
	/* Called once, when the server listens at url. */
	void		(*listening)(const char *url, void *arg);
	void		*arg;
};

/*
 * Builds and serves the site until stop_fd becomes readable (main makes
 * it a signalfd for SIGINT and SIGTERM, which it has blocked, so that the
 * server's threads never take them). Returns 0 when stopped, or -1 after
 * a diagnostic when the server could not start. A failed build does not
 * stop it: its errors are served instead of the pages they concern (all
 * of them when they concern what every page is made from).
 */
int	serve_run(const struct serve_opts *, int stop_fd, struct diags *);

#endif
