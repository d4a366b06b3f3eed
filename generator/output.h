/*
 * Output: the finished files of a build. They are written to a staging
 * folder beside the output folder, which replaces the old output in one
 * atomic exchange only when the whole build has succeeded; a failed or
 * interrupted build leaves the old output as it was.
 *
 * A file whose bytes equal the old output's is linked from it rather than
 * written, so unchanged files keep their modification times.
 */
#ifndef VALO_OUTPUT_H
#define VALO_OUTPUT_H

#include <stdatomic.h>
#include <stddef.h>

#include "util/diag.h"

struct output {
	char	*final;		/* the output folder */
	char	*staging;	/* beside it, named after it */
	int	 have_old;	/* final exists: compare with it */
	atomic_size_t	 written;	/* files written anew */
	atomic_size_t	 kept;		/* files linked from the old output */
};

/* Starts a build into folder dir. Returns 0, or -1 after a diagnostic. */
int	output_begin(struct output *, const char *dir, struct diags *);

/*
 * Writes rel (a path inside the output) with data. Safe to call from
 * several threads for different paths. Returns 0, or -1 with errno set.
 */
int	output_write(struct output *, const char *rel, const void *data,
	    size_t len);

/*
 * A thread's handle on the folder it last wrote into. Pages come in order
 * of their source paths, so most follow one another into the same
 * section's folder; working relative to it spares the kernel a walk of
 * the whole path for every file. Start it zeroed; one per thread.
 */
struct output_cursor {
	char	*base;		/* "blogi/matkat", below the output */
	int	 newfd;		/* that folder in the staging tree */
	int	 oldfd;		/* in the old output, or -1 */
};

/* Like output_write, for many files from one thread. */
int	output_page(struct output *, struct output_cursor *, const char *rel,
	    const void *data, size_t len);

/*
 * Takes rel over from the old output unchanged (a page the rebuild cache
 * says is the same). Returns 0, or -1 if there is no such old file.
 */
int	output_keep(struct output *, struct output_cursor *, const char *rel);

void	output_cursor_close(struct output_cursor *);

/* Copies the file at OS path from to rel. Returns 0, or -1 with errno. */
int	output_copy(struct output *, const char *rel, const char *from);

/* Swaps the staging folder in. Returns 0, or -1 after a diagnostic. */
int	output_commit(struct output *, struct diags *);

/* Removes the staging folder; the old output stays. */
void	output_abort(struct output *);

void	output_free(struct output *);

/* Removes a folder and everything in it. Returns 0, or -1 with errno. */
int	remove_tree(const char *);

#endif
