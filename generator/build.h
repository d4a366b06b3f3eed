/*
 * A whole build: the steps in order, with front matter read on a pool of
 * threads and pages rendered in a pool of worker processes. Output is the
 * same whatever the number of jobs.
 */
#ifndef VALO_BUILD_H
#define VALO_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "plain.h"
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
	int		 plain;		/* report plain-language warnings */
	/*
	 * The build time that consultations, events and commitments are
	 * shown at, if the caller gives one (--today); else the time of
	 * SOURCE_DATE_EPOCH, of the commit built, or the clock.
	 */
	int		 has_today;
	int64_t		 today;
	int		 jobs;		/* 0: site.conf's, or one per core */
	/*
	 * A build a preview keeps (build_keep): it records what each file
	 * read, and a page that does not render leaves the rest standing.
	 */
	int		 live;
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
	/* Plain language of the pages rendered, if it was checked. */
	int	plain_checked;
	struct plain_stats plain;
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

/*
 * A finished build kept in memory, its model and what each of its files
 * read (valo serve): so that after an edit only what the edit touched is
 * rendered again.
 */
struct build;

/*
 * As build_site, keeping the build. With prev (the last build of the
 * same site into the same output), a file whose inputs have not changed
 * since prev is taken over rather than rendered; changed names files
 * known to have changed since ("content/a.md"), whatever their ids say.
 * prev must outlive the call, and may be freed after it. Returns NULL
 * after errors that leave nothing to show; with o->live, a build whose
 * only errors are in single pages is returned and committed, less those
 * pages.
 */
struct build	*build_keep(const struct build_opts *, struct build *prev,
		    const char *const *changed, size_t nchanged,
		    struct build_stats *, struct diags *);

/*
 * Brings live build b up to date after the files changed were saved, if
 * every one is a page whose front matter is still as b read it: only
 * the files that read those pages are rendered again. Returns 1 when
 * done (with diagnostics in d), 0 when the change needs build_keep.
 */
int	build_again(struct build *, const char *const *changed,
	    size_t nchanged, struct build_stats *, struct diags *);

/* The output file (rel) of the page read from file, or NULL. */
const char	*build_page_out(const struct build *, const char *file);

void	build_free(struct build *);

#endif
