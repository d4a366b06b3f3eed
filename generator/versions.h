/*
 * Approved versions: annotated tags whose names match site.conf's
 * [history] versions pattern. Each is built in full under
 * /versiot/TAG/ (build.c), and a versions page lists them, newest first,
 * with what changed between each and the one before.
 */
#ifndef VALO_VERSIONS_H
#define VALO_VERSIONS_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "render.h"
#include "util/diag.h"

struct repo;

struct version {
	char		*tag;		/* "strategia-2022" */
	git_oid		 commit;	/* what it points at */
	int64_t		 time;		/* the tagger's */
	int		 offset;
	char		*message;	/* the tag's message, trimmed */
};

struct versions {
	struct version	*v;		/* newest first */
	size_t		 len;
};

/*
 * Lists the annotated tags of r matching pattern (fnmatch, as git tag -l).
 * A lightweight tag or one with a name that cannot be a URL is left out
 * with a warning. Returns 0, or -1 after a diagnostic.
 */
int	versions_list(struct versions *, struct repo *r, const char *pattern,
	    struct diags *);
void	versions_free(struct versions *);

/* "versiot/strategia-2022/": where version v goes in the output. */
char	*versions_prefix(const struct render_env *, const struct version *);

/*
 * Renders the versions page (with, for each version, the major changes
 * of each page since the version before) into out. Returns 0, or -1 and
 * diagnostics.
 */
int	versions_render_page(const struct render_env *, const struct versions *,
	    struct arena *, struct buf *out, struct diags *);

#endif
