/*
 * The git repository that holds the site, through libgit2: opening it
 * apart from the user's environment, naming commits, and handles on its
 * object database for threads. Shared by the git source (build
 * --source), the git output (publish) and publish itself.
 */
#ifndef VALO_REPO_H
#define VALO_REPO_H

#include <pthread.h>

#include <git2.h>

#include "util/diag.h"

/*
 * A thread's way to write objects: loose objects, fast-compressed, with
 * no look-ups in packs and no rescans of them on every miss (the caller
 * has checked that the object is new), and a repository around it for
 * tree builders.
 */
struct repo_writer {
	git_odb		*odb;
	git_odb_backend	*loose;		/* owned by odb */
	git_repository	*git;		/* wraps odb */
};

struct repo {
	git_repository	*git;
	/* The site folder inside the repository's tree: "" or "site/". */
	char		*prefix;
	char		*objects;	/* the object folder, for more handles */
	pthread_mutex_t	 lock;		/* guards idle */
	git_odb		**idle;		/* object database handles not in use */
	size_t		 nidle;
	size_t		 capidle;
	struct repo_writer **idlew;	/* writers not in use */
	size_t		 nidlew;
	size_t		 capidlew;
};

/*
 * Opens the repository that holds the site folder root (root itself or a
 * folder above it; a bare repository only as root). No global, XDG or
 * system git configuration is read. Returns NULL after a diagnostic.
 */
struct repo	*repo_open(const char *root, struct diags *);
void		 repo_free(struct repo *);

/*
 * Finds the commit that ref names (a branch, tag, commit id, HEAD~3...).
 * Returns it (the caller frees it), or NULL after a diagnostic.
 */
git_commit	*repo_commit(struct repo *, const char *ref, struct diags *);

/*
 * An object database handle for the calling thread alone, to give back
 * with repo_odb_give: libgit2 objects are not to be shared by threads.
 * Returns NULL if none can be opened.
 */
git_odb		*repo_odb_take(struct repo *);
void		 repo_odb_give(struct repo *, git_odb *);

/* A writer for the calling thread alone; NULL if none can be made. */
struct repo_writer	*repo_writer_take(struct repo *);
void			 repo_writer_give(struct repo *, struct repo_writer *);

/*
 * Returns 1 if the repository (as odb, a handle from repo_odb_take, saw
 * it, plus loose objects written since) has object id.
 */
int	repo_has(git_odb *, const git_oid *);

/*
 * Adds an error for file with libgit2's last message after fmt's text.
 */
void	repo_error(struct diags *, const char *file, const char *hint,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* "1a2b3c4d": the first eight hex digits of id, in a static buffer. */
const char	*repo_short(const git_oid *);

#endif
