/*
 * History: what happened to every file under content/ in the commits
 * behind the commit a site is built from, found by one revision walk for
 * the whole site (never one per page) and cached between builds, so that
 * a rebuild walks only the commits that are new.
 *
 * The walk follows the first-parent line from the tip, the line on which
 * changes were published. A merge brings in the commits of its other
 * parents: each of those is compared with its own parent, so its change
 * note stays with the files it touched, and it is dated by the merge, when
 * it reached the line. A merge itself records only what differs from
 * every parent (a conflict resolved by hand). Renames are detected, so a
 * file's history follows it across renames and moves; a file deleted and
 * restored keeps its history, as its path is the same.
 *
 * A change note is a trailer of the commit message ("Muutos: ..."; the
 * word is set in site.conf). A commit with a note is a major change of
 * every file it touches; one without is a minor change.
 */
#ifndef VALO_HISTORY_H
#define VALO_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "util/arena.h"
#include "util/diag.h"
#include "util/hmap.h"

struct repo;

struct hist_change;

/* A commit that changed something below content/. */
struct hist_commit {
	git_oid		 id;
	int64_t		 time;		/* seconds: when it reached the line */
	int		 offset;	/* of that time, minutes east of UTC */
	const char	*note;		/* the change note; NULL: minor */
	const char	*author;	/* the author's name */
	const char	*message;	/* the message's first line */
	const struct hist_change *changes;	/* its own, in changes[] */
	size_t		 nchanges;
};

enum hist_kind { HIST_ADDED, HIST_MODIFIED, HIST_DELETED, HIST_RENAMED };

/* One commit's change to one file. */
struct hist_change {
	const struct hist_commit *commit;
	enum hist_kind	 kind;
	const char	*path;		/* below content/, after the change
					   (deleted: the path it had) */
	const char	*old_path;	/* before it; NULL when added */
	git_oid		 old_blob;	/* zero when added */
	git_oid		 new_blob;	/* zero when deleted */
};

/* A file's changes, by the path it has at the tip. */
struct hist_file {
	const char		 *path;		/* below content/ */
	const struct hist_change **v;		/* newest first */
	size_t			  len;
	/*
	 * The clone is shallow and the file was there at its boundary:
	 * what came before is not known (not even when it was added).
	 */
	int			  truncated;
};

/*
 * A shallow clone's boundary: the file at path was in the tree of a
 * commit whose parents are missing, older than commits[0..at-1] and newer
 * than commits[at..]. Kept for the cache, as renames newer than the
 * boundary decide which file it is at the tip.
 */
struct hist_mark {
	size_t		 at;
	const char	*path;		/* below content/, at the boundary */
};

struct history {
	struct hist_commit	*commits;	/* newest first */
	size_t			 ncommits;
	struct hist_change	*changes;	/* by commit, as commits[] */
	size_t			 nchanges;
	/*
	 * Every path that a change or a boundary names, followed to its
	 * path at the tip (a file deleted since keeps its last path);
	 * sorted by path.
	 */
	struct hist_file	*files;
	size_t			 nfiles;
	struct hmap		 by_path;	/* path -> struct hist_file */
	git_oid			 tip;
	int			 shallow;	/* the walk met missing parents */
	/* Commits compared by this load: 0 when the cache was the tip's. */
	size_t			 walked;
	/* For history.c and its cache: */
	struct hist_mark	*marks;		/* by at */
	size_t			 nmarks;
	const struct hist_change **vall;	/* every files[].v */
	struct arena		 arena;		/* strings */
	struct arena		*arenas;	/* the walk threads' strings */
	size_t			 narenas;
};

struct history_opts {
	const char	*trailer;	/* "Muutos" */
	/*
	 * A file for the cache, or NULL for none; a cache that does not
	 * match (another trailer, prefix, shallow boundary or format) is
	 * ignored and replaced. Its folder is made if missing.
	 */
	const char	*cache;
	/*
	 * Threads for comparing commits: 0 for one a core (8 at most). The
	 * history is the same whatever the number.
	 */
	int		 jobs;
};

/*
 * Walks the history of repository r from commit tip, for the files below
 * r->prefix's content/. Returns 0, or -1 after a diagnostic (a history
 * that cannot be read; a broken cache is not an error, only slower, and
 * neither is a cache that cannot be written). The history is empty after
 * a failure; history_free is safe either way.
 */
int	history_load(struct history *, struct repo *r, const git_oid *tip,
	    const struct history_opts *, struct diags *);

/*
 * Reads a cache file's bytes (history_load's format) into an empty
 * history, as history_load would use it: the records, the files indexed.
 * The cache must have been written for this trailer word, site prefix
 * and shallow key (a hash of the repository's shallow file; 0 for none).
 * Returns 0, or -1 with the history empty if the bytes are not such a
 * cache. Exposed for the fuzz target: a cache file is input.
 */
int	history_cache_parse(struct history *, const char *data, size_t len,
	    const char *trailer, const char *prefix, uint64_t shallow);

/* The history of the file at path (below content/), or NULL. */
const struct hist_file	*history_file(const struct history *,
			    const char *path);

void	history_free(struct history *);

#endif
