/*
 * The git backend of source.h: the site as it was at one commit, read
 * from the repository's object database and never from the working tree.
 * The commit's tree is walked once when the source opens; a file's
 * identity is its blob id.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "repo.h"
#include "source.h"
#include "util/mem.h"

/* How many symbolic links one path may go through. */
#define LINK_HOPS	8

struct entry {
	char		*path;		/* relative to the site folder */
	git_oid		 id;
	git_filemode_t	 mode;
};

struct source_git {
	struct source	 base;
	struct repo	*repo;		/* borrowed */
	struct entry	*v;		/* every blob, sorted by path */
	size_t		 len;
	size_t		 cap;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
	    ((const struct entry *)b)->path);
}

static const struct entry *
find(const struct source_git *s, const char *path)
{
	struct entry key;

	key.path = (char *)path;
	return s->len ? bsearch(&key, s->v, s->len, sizeof(*s->v),
	    entry_cmp) : NULL;
}

static int
walk_cb(const char *root, const git_tree_entry *e, void *arg)
{
	struct source_git *s = arg;
	struct entry *n;
	git_filemode_t mode = git_tree_entry_filemode(e);

	/* Blobs and links; folders are walked into, submodules left out. */
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
	    mode != GIT_FILEMODE_LINK)
		return 0;
	s->v = xgrow(s->v, &s->cap, s->len + 1, sizeof(*s->v));
	n = &s->v[s->len++];
	n->path = xasprintf("%s%s", root, git_tree_entry_name(e));
	git_oid_cpy(&n->id, git_tree_entry_id(e));
	n->mode = mode;
	return 0;
}

/* Returns 1 if some component of path (after skip bytes) starts with '.'. */
static int
hidden(const char *path, size_t skip)
{
	const char *p = path + skip;

	if (*p == '.')
		return 1;
	while ((p = strchr(p, '/')) != NULL)
		if (*++p == '.')
			return 1;
	return 0;
}

/*
 * Joins a link's target to the folder of the link at path, folding "."
 * and ".."; returns NULL if it leaves the site or is absolute.
 */
static char *
link_target(const char *path, const char *target, size_t len)
{
	char *out = xmalloc(strlen(path) + len + 2), *seg, *t, *save = NULL;
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (len == 0 || target[0] == '/') {
		free(out);
		return NULL;
	}
	memcpy(out, path, n);
	out[n] = '\0';
	t = xstrndup(target, len);
	for (seg = strtok_r(t, "/", &save); seg; seg = strtok_r(NULL, "/",
	    &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *up = strrchr(out, '/');
			if (*out == '\0') {
				free(t);
				free(out);
				return NULL;
			}
			if (up)
				*up = '\0';
			else
				*out = '\0';
			continue;
		}
		n = strlen(out);
		if (n)
			out[n++] = '/';
		strcpy(out + n, seg);
	}
	free(t);
	return out;
}

static int gsrc_read(struct source *, const char *, struct buf *, size_t,
    uint64_t *);

/*
 * Follows the symbolic link e to a blob inside dir, as the folder backend
 * does. Returns that blob's entry, or NULL after a diagnostic.
 */
static const struct entry *
follow(struct source_git *s, const struct entry *e, const char *dir,
    struct diags *d)
{
	struct buf b = BUF_INIT;
	const struct entry *to = e;
	size_t n = strlen(dir);
	char *path = NULL;
	int hops;

	for (hops = 0; to != NULL && to->mode == GIT_FILEMODE_LINK &&
	    hops < LINK_HOPS; hops++) {
		free(path);
		path = NULL;
		if (gsrc_read(&s->base, to->path, &b, 0, NULL) == -1)
			break;
		path = link_target(to->path, b.data, b.len);
		if (path == NULL || strncmp(path, dir, n) != 0 ||
		    path[n] != '/') {
			to = NULL;
			break;
		}
		to = find(s, path);
	}
	if (to == NULL || to->mode == GIT_FILEMODE_LINK)
		diag_error(d, e->path, 0, 0,
		    "Copy the file into the folder instead, or remove the "
		    "link.", "symbolic link points outside %s/ (or to a "
		    "folder, or nowhere)", dir);
	free(path);
	buf_free(&b);
	return to != NULL && to->mode != GIT_FILEMODE_LINK ? to : NULL;
}

static int
gsrc_list(struct source *base, const char *dir, struct source_list *l,
    struct diags *d)
{
	struct source_git *s = (struct source_git *)base;
	const struct entry *e, *to;
	size_t i, n = strlen(dir);
	int rc = 0;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < s->len; i++) {
		e = &s->v[i];
		if (strncmp(e->path, dir, n) != 0 || e->path[n] != '/' ||
		    hidden(e->path, n + 1))
			continue;
		to = e;
		if (e->mode == GIT_FILEMODE_LINK &&
		    (to = follow(s, e, dir, d)) == NULL) {
			rc = -1;
			continue;
		}
		l->v = xgrow(l->v, &l->cap, l->len + 1, sizeof(*l->v));
		memset(&l->v[l->len], 0, sizeof(l->v[l->len]));
		l->v[l->len].path = xstrdup(e->path + n + 1);
		memcpy(l->v[l->len].id, to->id.id, GIT_OID_RAWSZ);
		l->len++;
	}
	/* Sorted already: the entries are, and a prefix keeps the order. */
	return rc;
}

static int
gsrc_read(struct source *base, const char *path, struct buf *out, size_t max,
    uint64_t *size)
{
	struct source_git *s = (struct source_git *)base;
	const struct entry *e = find(s, path);
	git_odb_object *obj = NULL;
	git_odb *odb;
	size_t len;
	int hops;

	buf_reset(out);
	for (hops = 0; e != NULL && e->mode == GIT_FILEMODE_LINK &&
	    hops < LINK_HOPS; hops++) {
		struct buf t = BUF_INIT;
		char *to;
		if (gsrc_read(base, e->path, &t, 0, NULL) == -1) {
			buf_free(&t);
			return -1;
		}
		to = link_target(e->path, t.data, t.len);
		buf_free(&t);
		e = to ? find(s, to) : NULL;
		free(to);
	}
	if (e == NULL || e->mode == GIT_FILEMODE_LINK) {
		errno = ENOENT;
		return -1;
	}
	if ((odb = repo_odb_take(s->repo)) == NULL) {
		errno = EIO;
		return -1;
	}
	/*
	 * A packed blob cannot be inflated in part: a read of a page's
	 * head inflates all of it, and its render again. Keeping the blobs
	 * between the two cost 50 MB at 10,000 pages and measured no faster.
	 */
	if (git_odb_read(&obj, odb, &e->id) < 0) {
		repo_odb_give(s->repo, odb);
		errno = EIO;
		return -1;
	}
	repo_odb_give(s->repo, odb);
	len = git_odb_object_size(obj);
	if (size)
		*size = len;
	buf_put(out, git_odb_object_data(obj), max && len > max ? max : len);
	git_odb_object_free(obj);
	return 0;
}

static void
gsrc_free(struct source *base)
{
	struct source_git *s = (struct source_git *)base;
	size_t i;

	for (i = 0; i < s->len; i++)
		free(s->v[i].path);
	free(s->v);
	free(s->base.name);
	free(s);
}

static const struct source_ops gsrc_ops = { gsrc_list, gsrc_read, gsrc_free };

struct source *
source_git_open(struct repo *r, git_commit *c, struct diags *d)
{
	struct source_git *s;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *te = NULL;
	size_t n = strlen(r->prefix);

	if (git_commit_tree(&tree, c) < 0) {
		repo_error(d, "", "Check the repository with git fsck.",
		    "cannot read the tree of commit %s",
		    repo_short(git_commit_id(c)));
		return NULL;
	}
	if (n > 0) {
		/* The site is a folder of the repository: read that alone. */
		char *p = xstrndup(r->prefix, n - 1);
		int rc = git_tree_entry_bypath(&te, tree, p);
		free(p);
		if (rc < 0 || git_tree_entry_type(te) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, r->git, git_tree_entry_id(te)) < 0) {
			diag_error(d, r->prefix, 0, 0, "Give a commit that "
			    "has the site, or run valo in another folder.",
			    "commit %s has no folder %s",
			    repo_short(git_commit_id(c)), r->prefix);
			git_tree_entry_free(te);
			git_tree_free(tree);
			return NULL;
		}
		git_tree_entry_free(te);
	}
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &gsrc_ops;
	s->base.name = xasprintf("commit %s", repo_short(git_commit_id(c)));
	s->repo = r;
	if (git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, walk_cb, s) < 0) {
		repo_error(d, "", "Check the repository with git fsck.",
		    "cannot read the tree of commit %s",
		    repo_short(git_commit_id(c)));
		git_tree_free(sub);
		git_tree_free(tree);
		gsrc_free(&s->base);
		return NULL;
	}
	git_tree_free(sub);
	git_tree_free(tree);
	if (s->len > 1)
		qsort(s->v, s->len, sizeof(*s->v), entry_cmp);
	return &s->base;
}
