/*
 * The git sink of output.h: each file a blob written straight into the
 * repository's object database (from the render threads, each with a
 * handle of its own), then one tree of them committed to a branch. No
 * checkout, no temporary folder: the working tree and the index are not
 * touched. A blob or tree the database holds already is not written
 * again, so an unchanged file costs its hash alone.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2/sys/odb_backend.h>

#include "output.h"
#include "repo.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/pool.h"

struct blob {
	char	*path;
	git_oid	 id;
};

struct sink_git {
	struct output	 base;
	struct repo	*repo;		/* borrowed */
	char		*ref;		/* "refs/heads/pages" */
	char		*message;
	pthread_mutex_t	 lock;		/* guards v */
	struct blob	*v;
	size_t		 len;
	size_t		 cap;
	int		 have_tip;
	git_oid		 tip;		/* the branch before, if have_tip */
	git_oid		 result;	/* the branch after */
	int		 committed;	/* a new commit was made */
};

static int
gsink_begin(struct output *base, struct diags *d)
{
	(void)base;
	(void)d;
	return 0;
}

static int
gsink_write(struct output *base, struct output_cursor *c, const char *rel,
    const void *data, size_t len)
{
	struct sink_git *o = (struct sink_git *)base;
	struct repo_writer *w;
	git_odb *odb;
	git_oid id;
	int rc, have;

	(void)c;
	if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0 ||
	    (odb = repo_odb_take(o->repo)) == NULL) {
		errno = EIO;
		return -1;
	}
	have = repo_has(odb, &id);
	repo_odb_give(o->repo, odb);
	/* Unchanged since it was last published: there already. */
	if (!have) {
		if ((w = repo_writer_take(o->repo)) == NULL) {
			errno = EIO;
			return -1;
		}
		rc = w->loose->write(w->loose, &id, data, len,
		    GIT_OBJECT_BLOB);
		repo_writer_give(o->repo, w);
		if (rc < 0) {
			errno = EIO;
			return -1;
		}
	}
	pthread_mutex_lock(&o->lock);
	o->v = xgrow(o->v, &o->cap, o->len + 1, sizeof(*o->v));
	o->v[o->len].path = xstrdup(rel);
	git_oid_cpy(&o->v[o->len].id, &id);
	o->len++;
	pthread_mutex_unlock(&o->lock);
	atomic_fetch_add(&o->base.written, 1);
	return 0;
}

static int
blob_cmp(const void *a, const void *b)
{
	return strcmp(((const struct blob *)a)->path,
	    ((const struct blob *)b)->path);
}

/*
 * Writes the tree of blobs v[0..n), whose paths all start with the skip
 * bytes of their folder, into *out. Returns 0, or -1.
 */
static int
write_tree(git_repository *r, const struct blob *v, size_t n, size_t skip,
    git_oid *out)
{
	git_treebuilder *tb = NULL;
	const char *name, *slash;
	size_t i = 0, j, len;
	git_oid sub;
	char *dir;
	int rc = -1;

	if (git_treebuilder_new(&tb, r, NULL) < 0)
		return -1;
	while (i < n) {
		name = v[i].path + skip;
		if ((slash = strchr(name, '/')) == NULL) {
			if (git_treebuilder_insert(NULL, tb, name, &v[i].id,
			    GIT_FILEMODE_BLOB) < 0)
				goto out;
			i++;
			continue;
		}
		/* A folder: every path that continues with "name/". */
		len = (size_t)(slash - name) + 1;
		for (j = i + 1; j < n && strncmp(v[j].path + skip, name,
		    len) == 0; j++)
			;
		if (write_tree(r, v + i, j - i, skip + len, &sub) < 0)
			goto out;
		dir = xstrndup(name, len - 1);
		rc = git_treebuilder_insert(NULL, tb, dir, &sub,
		    GIT_FILEMODE_TREE);
		free(dir);
		if (rc < 0) {
			rc = -1;
			goto out;
		}
		i = j;
	}
	rc = git_treebuilder_write(out, tb) < 0 ? -1 : 0;
out:
	git_treebuilder_free(tb);
	return rc;
}

/* One folder of the top level, written by a thread of the pool. */
struct subtree {
	const struct blob	*v;
	size_t			 n;
	size_t			 skip;
	git_oid			 id;
	int			 rc;
};

struct trees {
	struct repo	*repo;
	struct subtree	*v;
};

static void
subtree_item(void *arg, int worker, size_t i)
{
	struct trees *t = arg;
	struct subtree *st = &t->v[i];
	struct repo_writer *w = repo_writer_take(t->repo);

	(void)worker;
	st->rc = w == NULL ? -1 : write_tree(w->git, st->v, st->n, st->skip,
	    &st->id);
	if (w != NULL)
		repo_writer_give(t->repo, w);
}

/*
 * Writes the whole tree into *out. A page is a folder of its own, so a
 * site of ten thousand pages is as many trees: the folders of the top
 * level are written in parallel. Returns 0, or -1.
 */
static int
write_site_tree(struct sink_git *o, git_oid *out)
{
	struct trees t = { o->repo, NULL };
	struct repo_writer *w = NULL;
	git_treebuilder *tb = NULL;
	const char *name, *slash;
	size_t i, j, n = 0, cap = 0, len, k;
	char *dir;
	int rc = -1;

	for (i = 0; i < o->len; i = j) {
		name = o->v[i].path;
		j = i + 1;
		if ((slash = strchr(name, '/')) == NULL)
			continue;
		len = (size_t)(slash - name) + 1;
		while (j < o->len && strncmp(o->v[j].path, name, len) == 0)
			j++;
		t.v = xgrow(t.v, &cap, n + 1, sizeof(*t.v));
		t.v[n].v = o->v + i;
		t.v[n].n = j - i;
		t.v[n].skip = len;
		n++;
	}
	pool_run(pool_cores(), n, subtree_item, &t);
	if ((w = repo_writer_take(o->repo)) == NULL ||
	    git_treebuilder_new(&tb, w->git, NULL) < 0)
		goto out;
	for (i = 0, k = 0; i < o->len; ) {
		name = o->v[i].path;
		if (strchr(name, '/') == NULL) {
			if (git_treebuilder_insert(NULL, tb, name, &o->v[i].id,
			    GIT_FILEMODE_BLOB) < 0)
				goto out;
			i++;
			continue;
		}
		if (t.v[k].rc < 0)
			goto out;
		dir = xstrndup(name, t.v[k].skip - 1);
		len = git_treebuilder_insert(NULL, tb, dir, &t.v[k].id,
		    GIT_FILEMODE_TREE) < 0;
		free(dir);
		if (len)
			goto out;
		i += t.v[k++].n;
	}
	rc = git_treebuilder_write(out, tb) < 0 ? -1 : 0;
out:
	git_treebuilder_free(tb);
	if (w != NULL)
		repo_writer_give(o->repo, w);
	free(t.v);
	return rc;
}

/* Who publishes: the repository's user, else the environment's, else Valo. */
static int
signature(git_repository *r, git_signature **out)
{
	const char *name = getenv("GIT_COMMITTER_NAME");
	const char *email = getenv("GIT_COMMITTER_EMAIL");
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	git_signature *def = NULL;
	git_time_t when;
	int rc;

	if (git_signature_default(&def, r) == 0) {
		name = def->name;
		email = def->email;
	}
	when = epoch && *epoch ? (git_time_t)strtoll(epoch, NULL, 10) :
	    (git_time_t)time(NULL);
	rc = git_signature_new(out, name && *name ? name : "Valo",
	    email && *email ? email : "valo@localhost", when, 0);
	git_signature_free(def);
	return rc;
}

static int
gsink_commit(struct output *base, struct diags *d)
{
	struct sink_git *o = (struct sink_git *)base;
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_reference *ref = NULL;
	git_oid tid;
	size_t i;
	int rc = -1;

	if (o->len > 1)
		qsort(o->v, o->len, sizeof(*o->v), blob_cmp);
	for (i = 1; i < o->len; i++)
		if (strcmp(o->v[i - 1].path, o->v[i].path) == 0) {
			diag_error(d, o->v[i].path, 0, 0, NULL,
			    "the file was written twice");
			return -1;
		}
	if (write_site_tree(o, &tid) < 0) {
		repo_error(d, "", "Check that the repository is writable and "
		    "sound (git fsck).", "cannot write the site's tree");
		return -1;
	}
	if (o->have_tip) {
		if (git_commit_lookup(&parent, o->repo->git, &o->tip) < 0) {
			repo_error(d, o->ref, "Check the branch with git log, or "
			    "publish to another with --branch.",
			    "cannot read the branch");
			goto out;
		}
		/* The same site as last time: nothing to commit. */
		if (git_oid_equal(git_commit_tree_id(parent), &tid)) {
			git_oid_cpy(&o->result, &o->tip);
			rc = 0;
			goto out;
		}
	}
	if (git_tree_lookup(&tree, o->repo->git, &tid) < 0 ||
	    signature(o->repo->git, &sig) < 0 ||
	    git_commit_create(&o->result, o->repo->git, NULL, sig, sig, NULL,
	    o->message, tree, parent ? 1 : 0,
	    (const git_commit **)&parent) < 0) {
		repo_error(d, o->ref, "Check that the repository is writable "
		    "and sound (git fsck).", "cannot make the commit");
		goto out;
	}
	/* Only if nobody moved the branch meanwhile. */
	if (git_reference_create_matching(&ref, o->repo->git, o->ref,
	    &o->result, o->have_tip, o->have_tip ? &o->tip : NULL,
	    "valo publish") < 0) {
		repo_error(d, o->ref, "Publish again.",
		    "cannot move the branch");
		goto out;
	}
	o->committed = 1;
	rc = 0;
out:
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

static void
gsink_abort(struct output *base)
{
	/* The blobs written stay unreferenced; git gc removes them. */
	(void)base;
}

static void
gsink_free(struct output *base)
{
	struct sink_git *o = (struct sink_git *)base;
	size_t i;

	for (i = 0; i < o->len; i++)
		free(o->v[i].path);
	free(o->v);
	free(o->ref);
	free(o->message);
	free(o->base.name);
	pthread_mutex_destroy(&o->lock);
	free(o);
}

static const struct output_ops gsink_ops = {
	gsink_begin, gsink_write, NULL, NULL, gsink_commit, gsink_abort, gsink_free
};

struct output *
output_git_new(struct repo *r, const char *branch, const char *message,
    struct diags *d)
{
	struct sink_git *o;
	git_reference *ref = NULL;
	char *name = xasprintf("refs/heads/%s", branch);
	int rc;

	if (!git_reference_is_valid_name(name)) {
		diag_error(d, "", 0, 0, "Give a branch name such as pages.",
		    "\"%s\" is not a valid branch name", branch);
		free(name);
		return NULL;
	}
	o = xcalloc(1, sizeof(*o));
	o->base.ops = &gsink_ops;
	o->base.name = xasprintf("branch %s", branch);
	o->repo = r;
	o->ref = name;
	o->message = xstrdup(message);
	pthread_mutex_init(&o->lock, NULL);
	rc = git_reference_lookup(&ref, r->git, name);
	if (rc == 0) {
		git_object *obj = NULL;
		if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
			repo_error(d, "", "Publish to another branch with --branch.",
			    "branch %s is not a commit",
			    branch);
			git_reference_free(ref);
			gsink_free(&o->base);
			return NULL;
		}
		git_oid_cpy(&o->tip, git_object_id(obj));
		o->have_tip = 1;
		git_object_free(obj);
		git_reference_free(ref);
	} else if (rc != GIT_ENOTFOUND) {
		repo_error(d, "", "Check the branch with git log, or publish "
		    "to another with --branch.", "cannot read branch %s", branch);
		gsink_free(&o->base);
		return NULL;
	}
	return &o->base;
}

int
output_git_result(const struct output *base, struct git_oid *out)
{
	const struct sink_git *o = (const struct sink_git *)base;

	git_oid_cpy(out, &o->result);
	return o->committed;
}
