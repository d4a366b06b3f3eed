/*
 * The source tree a build reads. Everything the build reads from the site
 * (site.conf, pages, data, the theme, attachments) goes through here, from
 * one of two backends: a folder on disk (source_dir.c) or the tree of a git
 * commit (source_git.c). The rest of Valo cannot tell them apart.
 *
 * A backend is safe to read from several threads at once.
 */
#ifndef VALO_SOURCE_H
#define VALO_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"

/*
 * What identifies a file's bytes without reading them: for a folder its
 * size, modification time and inode; for a commit its blob id. Two equal
 * ids mean the same bytes; the rebuild cache compares nothing else.
 */
#define SOURCE_ID_LEN	24

struct source_file {
	char		*path;		/* relative to the listed folder */
	unsigned char	 id[SOURCE_ID_LEN];
	/*
	 * When the file last changed, for backends that go by time (0
	 * otherwise): a file changed in the same instant as a build cannot
	 * yet be told apart from a later edit.
	 */
	uint64_t	 mtime_ns;
};

struct source_list {
	struct source_file	*v;
	size_t			 len;
	size_t			 cap;
};

struct source;

struct source_ops {
	int	(*list)(struct source *, const char *dir, struct source_list *,
		    struct diags *);
	int	(*read)(struct source *, const char *path, struct buf *,
		    size_t max, uint64_t *size);
	void	(*free)(struct source *);
};

struct source {
	const struct source_ops	*ops;
	/* For messages: "the working folder" or "commit 1a2b3c4d". */
	char			*name;
};

/*
 * The folder backend: the site folder root. Returns NULL after adding a
 * diagnostic.
 */
struct source	*source_dir_open(const char *root, struct diags *);

/*
 * The git backend: the tree of commit c of repository r (the site folder
 * inside it: r's prefix). r and c must outlive the source. Returns NULL
 * after adding a diagnostic.
 */
struct repo;
struct git_commit;
struct source	*source_git_open(struct repo *r, struct git_commit *c,
		    struct diags *);

/*
 * Folder dir (such as "content") read from over, which the result takes
 * over, and everything else from under, which must outlive it.
 */
struct source	*source_overlay_open(struct source *under,
		    struct source *over, const char *dir);

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
/* Sorts l by path; for backends. */
void	source_list_sort(struct source_list *);

/*
 * Reads path (relative to the root) into out, replacing its contents.
 * Reads at most max bytes if max is not 0. Sets *size, if not NULL, to
 * the size of the whole file. Returns 0, or -1 with errno set (ENOENT for
 * a file that is not there).
 */
int	source_read(struct source *, const char *path, struct buf *out,
	    size_t max, uint64_t *size);

#endif
