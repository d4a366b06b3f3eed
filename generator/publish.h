/*
 * Publishing: the site as it is at a commit of its git repository, built
 * and committed to a branch (the git sink of output.h), with the checks
 * around it: uncommitted changes, the message that names the source.
 */
#ifndef VALO_PUBLISH_H
#define VALO_PUBLISH_H

#include "build.h"
#include "util/diag.h"

/* The site at one commit: what build --source reads. */
struct git_site {
	struct repo		*repo;
	struct git_commit	*commit;
	struct source		*src;
};

/*
 * Opens the repository that holds site folder root and the tree of
 * commit ref. Returns 0, or -1 after a diagnostic. Close it either way.
 */
int	git_site_open(struct git_site *, const char *root, const char *ref,
	    struct diags *);
void	git_site_close(struct git_site *);

struct publish_opts {
	struct build_opts	 build;		/* root, base_url, jobs */
	const char		*ref;		/* NULL: HEAD */
	const char		*branch;	/* NULL: "pages" */
	const char		*message;	/* NULL: one naming the commit */
	int			 allow_dirty;
};

struct publish_result {
	char	source[48];	/* the source commit's id */
	char	tip[48];	/* the branch's tip after */
	int	committed;	/* 0: the branch had this site already */
	struct build_stats stats;
};

/*
 * Builds and publishes. Refuses, when publishing HEAD of a repository
 * with a working tree, if site.conf, content/ or themes/ have uncommitted
 * changes (one diagnostic per file) unless allow_dirty. Returns 0, or -1
 * with every problem in diags; the branch then is as it was.
 */
int	publish_site(const struct publish_opts *, struct publish_result *,
	    struct diags *);

#endif
