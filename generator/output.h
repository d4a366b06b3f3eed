/*
 * Output: where the finished files of a build go. One interface, three
 * sinks:
 *
 *   folder (sink_dir.c)  staging folder beside the output, swapped in
 *                        atomically when the whole build succeeded; a lock
 *                        keeps two builds apart; only a folder Valo made
 *                        is ever replaced
 *   memory (sink_mem.c)  files kept in memory: the preview server, tests
 *   git    (sink_git.c)  blobs and trees written straight into a
 *                        repository's object database, committed to a
 *                        branch (publish)
 *
 * Nothing reaches the reader until output_commit; output_abort leaves the
 * old output as it was. Writing one path twice is an error (EEXIST), never
 * a silent replacement.
 */
#ifndef VALO_OUTPUT_H
#define VALO_OUTPUT_H

#include <stdatomic.h>
#include <stddef.h>

#include "util/diag.h"

/*
 * A thread's handle on the folder it last wrote into (folder sink). Pages
 * come in order of their source paths, so most follow one another into
 * the same section's folder; working relative to it spares the kernel a
 * walk of the whole path for every file. Start it zeroed; one per thread.
 */
struct output_cursor {
	char	*base;		/* "blogi/matkat", below the output */
	int	 newfd;		/* that folder in the staging tree */
	int	 oldfd;		/* in the old output, or -1 */
};

struct output;

struct output_ops {
	int	(*begin)(struct output *, struct diags *);
	int	(*write)(struct output *, struct output_cursor *,
		    const char *rel, const void *, size_t);
	/* NULL where there is no old output to take files over from. */
	int	(*keep)(struct output *, struct output_cursor *,
		    const char *rel);
	void	(*cursor_close)(struct output_cursor *);
	int	(*commit)(struct output *, struct diags *);
	void	(*abort)(struct output *);
	void	(*free)(struct output *);
};

struct output {
	const struct output_ops	*ops;
	char			*name;	/* for messages: "public" */
	/* The rebuild cache that goes with this output, or NULL for none. */
	char			*cache;
	int			 have_old;	/* keep can take files over */
	/*
	 * output_page and output_keep may be called from forked worker
	 * processes (the folder sink: they only make files). Their counts
	 * below are the workers' then, not this process's.
	 */
	int			 from_workers;
	atomic_size_t		 written;	/* files written anew */
	atomic_size_t		 kept;		/* unchanged, taken over */
};

/*
 * The folder sink: output folder dir of the site in folder root. Takes
 * the folder's lock (held until output_free) and refuses, after adding a
 * diagnostic and returning NULL, when another build holds it; when dir is
 * the site folder, a folder above it, or inside content/, themes/ or
 * .git/; and when dir exists, is not empty and was not made by Valo,
 * unless force.
 */
struct output	*output_dir_open(const char *dir, const char *root, int force,
		    struct diags *);

/* The memory sink. */
struct output	*output_mem_new(void);
/*
 * After output_begin: the next build starts from every file of the last
 * one, and a write replaces a file carried over (once). Returns 0, or -1
 * if o is not a memory sink.
 */
int		 output_mem_carry(struct output *);
/*
 * Reading while another thread builds: output_mem_read(o, 1) before
 * output_mem_get, (o, 0) once done with what it returned. A commit waits.
 */
void		 output_mem_read(struct output *, int begin);
/* Its file rel after a commit, or NULL; sets *len. */
const char	*output_mem_get(const struct output *, const char *rel,
		    size_t *len);
/* Calls fn for every file, in order of path. */
void		 output_mem_each(const struct output *,
		    void (*fn)(const char *rel, const char *, size_t, void *),
		    void *arg);

/*
 * The git sink: commits to refs/heads/branch of repository r (which must
 * outlive the output), with message and the branch's tip as parent. On
 * commit, no new commit is made if the tree is the tip's tree.
 */
struct repo;
struct git_oid;
struct output	*output_git_new(struct repo *r, const char *branch,
		    const char *message, struct diags *);
/* After a commit: the branch's tip; returns 1 if a commit was made. */
int		 output_git_result(const struct output *, struct git_oid *);

/*
 * The prefix sink: writes go to prefix/rel of parent, which must have
 * begun and outlive it; its commit and abort do nothing.
 */
struct output	*output_prefix_new(struct output *parent, const char *prefix);

/* Starts a build. Returns 0, or -1 after a diagnostic. */
int	output_begin(struct output *, struct diags *);

/*
 * Writes rel (a path inside the output) with data. Safe to call from
 * several threads for different paths. Returns 0, or -1 with errno set
 * (EEXIST: rel was written already).
 */
int	output_write(struct output *, const char *rel, const void *data,
	    size_t len);

/* Like output_write, for many files from one thread. */
int	output_page(struct output *, struct output_cursor *, const char *rel,
	    const void *data, size_t len);

/*
 * Takes rel over from the old output unchanged (a page the rebuild cache
 * says is the same). Returns 0, or -1 if there is no such old file.
 */
int	output_keep(struct output *, struct output_cursor *, const char *rel);

void	output_cursor_close(struct output *, struct output_cursor *);

/* Puts the new output in place. Returns 0, or -1 after a diagnostic. */
int	output_commit(struct output *, struct diags *);

/* Drops what was written; the old output stays. */
void	output_abort(struct output *);

/* Frees o (NULL is fine), releasing its lock. */
void	output_free(struct output *);

/* Removes a folder and everything in it. Returns 0, or -1 with errno. */
int	remove_tree(const char *);

/*
 * Puts folder staging at final when the atomic exchange is not available:
 * final is renamed to aside, then staging to final. If the second step
 * fails, final is put back. Returns 0, or -1 with errno set.
 */
int	output_swap_by_rename(const char *staging, const char *final,
	    const char *aside);

#endif
