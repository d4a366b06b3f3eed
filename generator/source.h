/*
 * The source tree a build reads: a folder on disk. Everything the build
 * reads from the site goes through here, so that another backend (a git
 * commit's tree) can stand in for the folder without the rest knowing.
 */
#ifndef VALO_SOURCE_H
#define VALO_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"

struct source_file {
	char		*path;		/* relative to the listed folder */
	uint64_t	 size;
	uint64_t	 mtime_ns;	/* for the rebuild cache */
	uint64_t	 ino;
};

struct source_list {
	struct source_file	*v;
	size_t			 len;
	size_t			 cap;
};

struct source {
	char	*root;		/* the site folder */
	char	*realroot;	/* its canonical path, for symlink checks */
};

/* Opens the site folder root. Returns NULL after adding a diagnostic. */
struct source	*source_open(const char *root, struct diags *);
void		 source_free(struct source *);

/*
 * Lists every regular file below dir (relative to the root), sorted by
 * path, skipping names that start with '.'. A symbolic link is followed
 * only if it stays inside dir; otherwise it is an error. A missing dir
 * is an empty list. Returns 0, or -1 after adding diagnostics.
 */
int	source_list(struct source *, const char *dir, struct source_list *,
	    struct diags *);
void	source_list_free(struct source_list *);

/*
 * Reads path (relative to the root) into out, replacing its contents.
 * Reads at most max bytes if max is not 0 and sets *whole to whether the
 * whole file was read. Returns 0, or -1 with errno set.
 */
int	source_read(struct source *, const char *path, struct buf *out,
	    size_t max, int *whole);

/* Returns the absolute-or-relative OS path of path, for copying. */
char	*source_path(const struct source *, const char *path);

#endif
