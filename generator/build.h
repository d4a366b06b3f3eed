/*
 * A whole build: the steps in order, with front matter read on a pool of
 * threads and pages rendered in a pool of worker processes. Output is the
 * same whatever the number of jobs.
 */
#ifndef VALO_BUILD_H
#define VALO_BUILD_H

#include <stddef.h>

#include "util/diag.h"

struct source;
struct output;
struct repo;
struct git_oid;
struct archive;

struct build_opts {
	const char	*root;		/* the site folder */
	/* What to read; NULL: the folder root as it is. Borrowed. */
	struct source	*src;
	/*
	 * Where src's history comes from: the repository and commit of a
	 * git source. NULL: the repository holding the folder root, at
	 * HEAD, if it is in one. Borrowed.
	 */
	struct repo	*repo;
	const struct git_oid *commit;
	/*
	 * Where the files go; NULL: the folder out_dir, or site.conf's
	 * output folder. Borrowed; committed by the build.
	 */
	struct output	*out;
	const char	*out_dir;
	int		 force;		/* replace a folder Valo did not make */
	/* An approved version built inside today's site, or NULL. */
	const struct archive *archive;
	const char	*base_url;	/* NULL: site.conf's */
	int		 drafts;	/* build drafts too */
	int		 no_history;	/* as [history] enabled = false */
	int		 check_only;	/* validate, write nothing */
	int		 jobs;		/* 0: site.conf's, or one per core */
	/* Called now and then from the building thread; may be NULL. */
	void		(*progress)(size_t done, size_t total, void *arg);
	void		*progress_arg;
};

struct build_stats {
	size_t	pages;		/* pages in the site */
	size_t	rendered;	/* of which rendered (not taken over) */
	size_t	files;		/* files in the output */
	size_t	written;	/* of which written anew */
	size_t	kept;		/* of which unchanged, linked */
	int	jobs;
	/* Seconds spent in each step, for --timings. */
	double	t_load;		/* settings, listing, front matter, data, theme */
	double	t_resolve;
	double	t_history;	/* the walk, each page's share of it */
	double	t_render;	/* pages, in parallel */
	double	t_extras;	/* aliases, 404, static and bundle files */
	double	t_commit;	/* swapping the output in, removing the old */
};

/*
 * Builds the site. Returns 0 on success, or -1 with every problem found in
 * diags (the old output is then untouched).
 */
int	build_site(const struct build_opts *, struct build_stats *,
	    struct diags *);

#endif
