/*
 * The history of content/ (history.h): one first-parent walk from the tip,
 * a tree diff per commit that changed content/, and an index from every
 * path to the changes of the file it names at the tip.
 *
 * The records (commits, their changes, shallow boundaries) come out of
 * the walk newest first and are what the cache keeps; the files are
 * worked out from them on every load, as that is cheap and a rename newer
 * than the cache decides which file an old change belongs to.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "history.h"
#include "repo.h"
#include "util/buf.h"
#include "util/mem.h"

/*
 * The cache: CACHE_MAGIC, then (integers little-endian; a string is a
 * u32 length and its bytes, without NUL; a length of NOSTR is NULL):
 *
 *	trailer, prefix, u64 shallow key, tip (20 bytes),
 *	u64 commits, u64 changes, u64 marks, u64 flags (FLAG_SHALLOW),
 *	per commit: id, i64 time, i32 offset, u64 changes, note, author,
 *	    message;
 *	per change: u8 kind, path, old path, old blob, new blob;
 *	per mark: u64 at, path;
 *	CACHE_END.
 */
#define CACHE_MAGIC	"valo-history 1\n"
#define CACHE_END	"end\n"
#define NOSTR		0xffffffffu
#define FLAG_SHALLOW	1u	/* the walk met a shallow boundary */
/* The fewest bytes a record can take: counts above what fits are lies. */
#define MIN_COMMIT	(GIT_OID_RAWSZ + 8 + 4 + 8 + 3 * 4)
#define MIN_CHANGE	(1 + 2 * 4 + 2 * GIT_OID_RAWSZ)
#define MIN_MARK	(8 + 4)

#define RECENT_TREES	64

/* A change found by comparing two trees. */
struct delta {
	enum hist_kind	 kind;
	const char	*path;		/* in the arena, as hist_change's */
	const char	*old_path;
	git_oid		 old_blob;
	git_oid		 new_blob;
};

/* What one load's walk has found, before it joins the cache's records. */
struct walk {
	struct history	*h;		/* its arena holds the strings */
	git_repository	*git;		/* borrowed */
	char		*sub;		/* prefix + "content" */
	const char	*trailer;	/* borrowed; NULL: none */
	struct diags	*d;
	struct hist_commit *commits;
	size_t		 ncommits;
	size_t		 capcommits;
	struct hist_change *changes;
	size_t		 nchanges;
	size_t		 capchanges;
	struct hist_mark *marks;
	size_t		 nmarks;
	size_t		 capmarks;
	int		 shallow;	/* met a boundary */
	struct hmap	 shallowids;	/* hex ids listed in the shallow file */
	char		*shallowtext;	/* the file, holding the keys */
	uint64_t	 shallowkey;	/* its hash, for the cache; 0: none */
	struct delta	*ds;		/* the commit's being compared */
	size_t		 nds;
	size_t		 capds;
	size_t		 added;		/* of ds: added files */
	size_t		 deleted;
	git_diff_options diffopts;
	git_diff_find_options findopts;
	git_tree	*recent[RECENT_TREES];	/* see tree_lookup */
	size_t		 nextrecent;
	/* The last commit whose content tree was looked up, and that tree. */
	git_oid		 memo;
	git_oid		 memosub;
	int		 memohas;	/* -1: no memo; 0: no content/ there */
};

/* Reads the whole file at path into b; returns 0 or -1. */
static int
read_file(const char *path, struct buf *b)
{
	char tmp[65536];
	size_t n;
	FILE *f;
	int rc;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(b, tmp, n);
	rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}

/*
 * Reads the repository's shallow file: the commits whose parents a
 * shallow clone does not have. libgit2 1.5 does not read it itself.
 */
static void
read_shallow(struct walk *w)
{
	char *path, *p, *save = NULL;
	struct buf b = BUF_INIT;
	int rc;

	path = xasprintf("%sshallow", git_repository_commondir(w->git));
	rc = read_file(path, &b);
	free(path);
	if (rc < 0 || b.len == 0) {
		buf_free(&b);
		return;
	}
	w->shallowkey = hash_bytes(b.data, b.len);
	w->shallowtext = buf_detach(&b);
	for (p = strtok_r(w->shallowtext, "\n", &save); p != NULL;
	    p = strtok_r(NULL, "\n", &save))
		hmap_set(&w->shallowids, p, p);
}

/*
 * Finds the id of the content tree of commit c. Returns 1, 0 if the
 * commit has no such folder, or -1 after a diagnostic.
 */
static int
content_id(struct walk *w, git_commit *c, git_oid *out)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int rc;

	if (w->memohas >= 0 && git_oid_equal(&w->memo, git_commit_id(c))) {
		git_oid_cpy(out, &w->memosub);
		return w->memohas;
	}
	if (git_commit_tree(&root, c) < 0) {
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot read the tree of commit %s",
		    repo_short(git_commit_id(c)));
		return -1;
	}
	rc = git_tree_entry_bypath(&e, root, w->sub);
	if (rc == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_oid_cpy(out, git_tree_entry_id(e));
		rc = 1;
	} else {
		memset(out, 0, sizeof(*out));
		rc = 0;
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	git_oid_cpy(&w->memo, git_commit_id(c));
	git_oid_cpy(&w->memosub, out);
	w->memohas = rc;
	return rc;
}

/*
 * Looks up tree id (NULL: none) for the caller to free. The last
 * RECENT_TREES are kept: a commit's folders are its parent's, compared
 * next, and libgit2 keeps no tree over 4 kB in its cache, so that at
 * 10,000 pages (500 to a folder) every folder was read and inflated
 * twice.
 */
static int
tree_lookup(struct walk *w, git_tree **t, const git_oid *id)
{
	size_t i;

	*t = NULL;
	if (id == NULL)
		return 0;
	for (i = 0; i < RECENT_TREES; i++)
		if (w->recent[i] != NULL &&
		    git_oid_equal(git_tree_id(w->recent[i]), id))
			return git_object_dup((git_object **)t,
			    (git_object *)w->recent[i]);
	if (git_tree_lookup(t, w->git, id) < 0) {
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot read tree %s", repo_short(id));
		return -1;
	}
	i = w->nextrecent++ % RECENT_TREES;
	git_tree_free(w->recent[i]);
	return git_object_dup((git_object **)&w->recent[i], (git_object *)*t);
}

/* The change notes of msg joined with spaces, or NULL: a minor change. */
static const char *
note_of(struct walk *w, const char *msg)
{
	git_message_trailer_array t;
	struct buf b = BUF_INIT;
	const char *note = NULL;
	size_t i;
	int found = 0;

	/* Most messages do not name the word at all: no parse for them. */
	if (w->trailer == NULL || *w->trailer == '\0' ||
	    strcasestr(msg, w->trailer) == NULL)
		return NULL;
	memset(&t, 0, sizeof(t));
	if (git_message_trailers(&t, msg) < 0)
		return NULL;
	for (i = 0; i < t.count; i++) {
		if (strcasecmp(t.trailers[i].key, w->trailer) != 0)
			continue;
		if (found)
			buf_putc(&b, ' ');
		buf_puts(&b, t.trailers[i].value);
		found = 1;
	}
	if (found)
		note = arena_strndup(&w->h->arena, b.data ? b.data : "", b.len);
	git_message_trailer_array_free(&t);
	buf_free(&b);
	return note;
}

/* Adds the record of commit c, dated by commit when. */
static void
add_commit(struct walk *w, git_commit *c, git_commit *when)
{
	struct hist_commit *r;
	const git_signature *a = git_commit_author(c);
	const char *msg = git_commit_message(c), *nl;

	if (msg == NULL)
		msg = "";
	w->commits = xgrow(w->commits, &w->capcommits, w->ncommits + 1,
	    sizeof(*w->commits));
	r = &w->commits[w->ncommits++];
	memset(r, 0, sizeof(*r));
	git_oid_cpy(&r->id, git_commit_id(c));
	r->time = git_commit_time(when);
	r->offset = git_commit_time_offset(when);
	r->note = note_of(w, msg);
	r->author = arena_strdup(&w->h->arena, a && a->name ? a->name : "");
	nl = strchr(msg, '\n');
	r->message = arena_strndup(&w->h->arena, msg,
	    nl ? (size_t)(nl - msg) : strlen(msg));
}

/* Returns 1 if mode is a file's (a blob or a link), not a submodule's. */
static int
is_file(uint16_t mode)
{
	return mode == GIT_FILEMODE_BLOB ||
	    mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
}

/* Adds a change of the kind k (paths in the arena) to ds. */
static struct delta *
add_delta(struct walk *w, enum hist_kind k)
{
	struct delta *dl;

	w->ds = xgrow(w->ds, &w->capds, w->nds + 1, sizeof(*w->ds));
	dl = &w->ds[w->nds++];
	memset(dl, 0, sizeof(*dl));
	dl->kind = k;
	if (k == HIST_ADDED)
		w->added++;
	else if (k == HIST_DELETED)
		w->deleted++;
	return dl;
}

/*
 * Orders tree entries as git sorts a tree: by name, a folder's as if it
 * ended in '/'. That differs from strcmp only where one name begins the
 * other, rare enough to find out after strcmp, which is fast on the
 * long alike names of pages.
 */
static int
entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *x = git_tree_entry_name(a), *y = git_tree_entry_name(b);
	size_t nx, ny, n;
	int c = strcmp(x, y), cx, cy;

	if (c != 0) {
		nx = strlen(x);
		ny = strlen(y);
		n = nx < ny ? nx : ny;
		if (nx == ny || memcmp(x, y, n) != 0)
			return c;
	} else
		n = strlen(x);
	cx = (unsigned char)x[n];
	cy = (unsigned char)y[n];
	if (cx == 0 && git_tree_entry_type(a) == GIT_OBJECT_TREE)
		cx = '/';
	if (cy == 0 && git_tree_entry_type(b) == GIT_OBJECT_TREE)
		cy = '/';
	return cx - cy;
}

static int diff_trees(struct walk *, const git_oid *, const git_oid *,
    struct buf *);

/* Entry e of the folder at path is there on one side only. */
static int
one_side(struct walk *w, const git_tree_entry *e, struct buf *path,
    enum hist_kind k)
{
	struct delta *dl;
	size_t len = path->len;
	int rc;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		buf_puts(path, git_tree_entry_name(e));
		buf_putc(path, '/');
		rc = diff_trees(w, k == HIST_DELETED ? git_tree_entry_id(e) :
		    NULL, k == HIST_ADDED ? git_tree_entry_id(e) : NULL, path);
		path->len = len;
		path->data[len] = '\0';
		return rc;
	}
	if (!is_file(git_tree_entry_filemode(e)))
		return 0;
	dl = add_delta(w, k);
	dl->path = arena_printf(&w->h->arena, "%s%s",
	    path->data ? path->data : "", git_tree_entry_name(e));
	if (k == HIST_DELETED) {
		dl->old_path = dl->path;
		git_oid_cpy(&dl->old_blob, git_tree_entry_id(e));
	} else
		git_oid_cpy(&dl->new_blob, git_tree_entry_id(e));
	return 0;
}

/*
 * Adds to w->ds the files that differ between trees a and b (NULL: an
 * empty tree), below path. Not git_diff_tree_to_tree: its iterators made
 * it 40 us a commit, nine tenths of a walk; this goes only into the
 * folders whose ids differ, and compares their entries side by side.
 */
static int
diff_trees(struct walk *w, const git_oid *a, const git_oid *b,
    struct buf *path)
{
	git_tree *ta = NULL, *tb = NULL;
	const git_tree_entry *ea, *eb;
	struct delta *dl;
	size_t i = 0, j = 0, na, nb, len = path->len;
	int c, rc = -1;

	if (tree_lookup(w, &ta, a) < 0 || tree_lookup(w, &tb, b) < 0)
		goto out;
	na = ta ? git_tree_entrycount(ta) : 0;
	nb = tb ? git_tree_entrycount(tb) : 0;
	while (i < na || j < nb) {
		ea = i < na ? git_tree_entry_byindex(ta, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(tb, j) : NULL;
		c = ea == NULL ? 1 : eb == NULL ? -1 : entry_cmp(ea, eb);
		if (c < 0) {
			if (one_side(w, ea, path, HIST_DELETED) < 0)
				goto out;
			i++;
			continue;
		}
		if (c > 0) {
			if (one_side(w, eb, path, HIST_ADDED) < 0)
				goto out;
			j++;
			continue;
		}
		i++;
		j++;
		if (git_oid_equal(git_tree_entry_id(ea),
		    git_tree_entry_id(eb)) && git_tree_entry_filemode(ea) ==
		    git_tree_entry_filemode(eb))
			continue;
		if (git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
		    git_tree_entry_type(eb) == GIT_OBJECT_TREE) {
			buf_puts(path, git_tree_entry_name(ea));
			buf_putc(path, '/');
			rc = diff_trees(w, git_tree_entry_id(ea),
			    git_tree_entry_id(eb), path);
			path->len = len;
			path->data[len] = '\0';
			if (rc < 0)
				goto out;
			rc = -1;
		} else if (is_file(git_tree_entry_filemode(ea)) &&
		    is_file(git_tree_entry_filemode(eb))) {
			dl = add_delta(w, HIST_MODIFIED);
			dl->path = arena_printf(&w->h->arena, "%s%s",
			    path->data ? path->data : "",
			    git_tree_entry_name(eb));
			dl->old_path = dl->path;
			git_oid_cpy(&dl->old_blob, git_tree_entry_id(ea));
			git_oid_cpy(&dl->new_blob, git_tree_entry_id(eb));
		} else if (one_side(w, ea, path, HIST_DELETED) < 0 ||
		    one_side(w, eb, path, HIST_ADDED) < 0)
			goto out;
	}
	rc = 0;
out:
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

/*
 * Puts in w->ds what git_diff_find_similar finds between trees a and b:
 * renames, exact or of files that changed a little too (half alike).
 * Only for commits that add and delete files, the ones with renames.
 */
static int
diff_renames(struct walk *w, const git_oid *a, const git_oid *b)
{
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	const git_diff_delta *dd;
	struct delta *dl;
	enum hist_kind kind;
	size_t i, n;
	int rc = -1;

	w->nds = w->added = w->deleted = 0;
	if (tree_lookup(w, &ta, a) < 0 || tree_lookup(w, &tb, b) < 0)
		goto out;
	if (git_diff_tree_to_tree(&diff, w->git, ta, tb, &w->diffopts) < 0 ||
	    git_diff_find_similar(diff, &w->findopts) < 0)
		goto out;
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		dd = git_diff_get_delta(diff, i);
		switch (dd->status) {
		case GIT_DELTA_ADDED:
			kind = HIST_ADDED;
			break;
		case GIT_DELTA_DELETED:
			kind = HIST_DELETED;
			break;
		case GIT_DELTA_MODIFIED:
		case GIT_DELTA_TYPECHANGE:
			kind = HIST_MODIFIED;
			break;
		case GIT_DELTA_RENAMED:
			kind = HIST_RENAMED;
			break;
		default:
			continue;
		}
		if ((kind != HIST_DELETED && !is_file(dd->new_file.mode)) ||
		    (kind != HIST_ADDED && !is_file(dd->old_file.mode)))
			continue;
		dl = add_delta(w, kind);
		dl->path = arena_strdup(&w->h->arena, kind == HIST_DELETED ?
		    dd->old_file.path : dd->new_file.path);
		if (kind == HIST_ADDED)
			dl->old_path = NULL;
		else if (strcmp(dd->old_file.path, dl->path) == 0)
			dl->old_path = dl->path;
		else
			dl->old_path = arena_strdup(&w->h->arena,
			    dd->old_file.path);
		if (kind != HIST_ADDED)
			git_oid_cpy(&dl->old_blob, &dd->old_file.id);
		if (kind != HIST_DELETED)
			git_oid_cpy(&dl->new_blob, &dd->new_file.id);
	}
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

/*
 * Returns 1 if the merge got change dl as it is from the other parent
 * whose content tree is t (NULL: that parent has no content/).
 */
static int
from_parent(git_tree *t, const struct delta *dl)
{
	git_tree_entry *e = NULL;
	int same;

	if (t == NULL)
		return dl->kind == HIST_DELETED;
	if (git_tree_entry_bypath(&e, t, dl->path) < 0)
		return dl->kind == HIST_DELETED;
	if (dl->kind == HIST_DELETED)
		same = !is_file(git_tree_entry_filemode(e));
	else
		same = git_oid_equal(git_tree_entry_id(e), &dl->new_blob);
	git_tree_entry_free(e);
	return same;
}

/*
 * Records what commit c changed between content trees from and to (NULL:
 * none), dated by commit when, leaving out what came as it is from one of
 * the other parents' trees (a merge's).
 */
static int
record(struct walk *w, git_commit *c, git_commit *when, const git_oid *from,
    const git_oid *to, git_tree **others, size_t nothers)
{
	struct buf path = BUF_INIT;
	struct hist_change *ch;
	const struct delta *dl;
	size_t i, k;
	int rc, added = 0;

	w->nds = w->added = w->deleted = 0;
	rc = diff_trees(w, from, to, &path);
	buf_free(&path);
	if (rc == 0 && w->added > 0 && w->deleted > 0)
		rc = diff_renames(w, from, to);
	if (rc < 0) {
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot compare commit %s with its parent",
		    repo_short(git_commit_id(c)));
		return -1;
	}
	for (i = 0; i < w->nds; i++) {
		dl = &w->ds[i];
		for (k = 0; k < nothers; k++)
			if (from_parent(others[k], dl))
				break;
		if (k < nothers)
			continue;
		if (!added) {
			add_commit(w, c, when);
			added = 1;
		}
		w->changes = xgrow(w->changes, &w->capchanges,
		    w->nchanges + 1, sizeof(*w->changes));
		ch = &w->changes[w->nchanges++];
		memset(ch, 0, sizeof(*ch));
		ch->kind = dl->kind;
		ch->path = dl->path;
		ch->old_path = dl->old_path;
		git_oid_cpy(&ch->old_blob, &dl->old_blob);
		git_oid_cpy(&ch->new_blob, &dl->new_blob);
		w->commits[w->ncommits - 1].nchanges++;
	}
	return 0;
}

static int
mark_cb(const char *root, const git_tree_entry *e, void *arg)
{
	struct walk *w = arg;
	struct hist_mark *m;

	if (!is_file(git_tree_entry_filemode(e)))
		return 0;
	w->marks = xgrow(w->marks, &w->capmarks, w->nmarks + 1,
	    sizeof(*w->marks));
	m = &w->marks[w->nmarks++];
	m->at = w->ncommits;
	m->path = arena_printf(&w->h->arena, "%s%s", root,
	    git_tree_entry_name(e));
	return 0;
}

/*
 * Commit c is as far as a shallow clone goes: what it has was there
 * before what is known, and is marked so; none of it counts as added.
 */
static int
boundary(struct walk *w, git_commit *c)
{
	git_oid id;
	git_tree *t = NULL;
	int rc;

	w->shallow = 1;
	if ((rc = content_id(w, c, &id)) <= 0)
		return rc;
	if (tree_lookup(w, &t, &id) < 0)
		return -1;
	rc = git_tree_walk(t, GIT_TREEWALK_PRE, mark_cb, w);
	git_tree_free(t);
	if (rc < 0) {
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot read tree %s", repo_short(&id));
		return -1;
	}
	return 0;
}

/* Returns 1 if the shallow file lists commit c. */
static int
listed_shallow(struct walk *w, git_commit *c)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (w->shallowids.len == 0)
		return 0;
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	return hmap_get(&w->shallowids, hex) != NULL;
}

/*
 * Records the changes of commit c against its first parent, dated by
 * commit when; a merge's only where it differs from every parent.
 * Gives c's first parent in *parent (NULL at a root or a boundary) if
 * parent is not NULL. Returns 0, or -1 after a diagnostic.
 */
static int
compare(struct walk *w, git_commit *c, git_commit *when, git_commit **parent)
{
	git_commit *p = NULL, *q;
	git_tree **others = NULL;
	git_oid cid, pid, qid;
	unsigned i, np = git_commit_parentcount(c);
	size_t nothers = 0;
	int hc, hp, hq, rc = -1, own = 1;

	if (parent != NULL)
		*parent = NULL;
	w->h->walked++;
	if (listed_shallow(w, c))
		return boundary(w, c);
	if ((hc = content_id(w, c, &cid)) < 0)
		return -1;
	if (np == 0)
		return hc ? record(w, c, when, NULL, &cid, NULL, 0) : 0;
	if ((rc = git_commit_parent(&p, c, 0)) == GIT_ENOTFOUND)
		return boundary(w, c);
	if (rc < 0) {
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot read the parent of commit %s",
		    repo_short(git_commit_id(c)));
		return -1;
	}
	rc = -1;
	/* The parent's first: it is the memo for the next commit. */
	for (i = 1; i < np; i++) {
		if ((hq = git_commit_parent(&q, c, i)) == GIT_ENOTFOUND) {
			w->shallow = 1;
			continue;
		}
		if (hq < 0) {
			repo_error(w->d, "", "Check the repository with git "
			    "fsck.", "cannot read a parent of commit %s",
			    repo_short(git_commit_id(c)));
			goto out;
		}
		hq = content_id(w, q, &qid);
		git_commit_free(q);
		if (hq < 0)
			goto out;
		/* A merge of a branch that main had not moved past. */
		if (hc == hq && (!hc || git_oid_equal(&cid, &qid)))
			own = 0;
		others = xrealloc(others, (nothers + 1) * sizeof(*others));
		if (tree_lookup(w, &others[nothers], hq ? &qid : NULL) < 0)
			goto out;
		nothers++;
	}
	if ((hp = content_id(w, p, &pid)) < 0)
		goto out;
	if (hc == hp && (!hc || git_oid_equal(&cid, &pid)))
		own = 0;
	if (own && record(w, c, when, hp ? &pid : NULL, hc ? &cid : NULL,
	    others, nothers) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < nothers; i++)
		git_tree_free(others[i]);
	free(others);
	if (rc == 0 && parent != NULL)
		*parent = p;
	else
		git_commit_free(p);
	return rc;
}

/*
 * The commits a merge brings in: those reachable from its other parents
 * and not from the first. Not git_revwalk: libgit2 1.5 reads every parent
 * it meets and gives up at the first one a shallow clone does not have,
 * where this stops, as git does, at the commits of the shallow file.
 */
#define R_BORING	1u	/* reachable from the first parent */
#define R_QUEUED	2u
#define R_EXPANDED	4u	/* its parents are known */
#define R_MISSING	8u	/* not in this clone */
/* Commits looked at after the last one brought in, for clock skew. */
#define SLOP		5

struct rnode {
	git_oid		 id;
	int64_t		 time;
	unsigned	 flags;
	unsigned	 nparents;
	size_t		 parents;	/* the first in rwalk.par */
	size_t		 children;	/* brought-in ones not yet in order */
};

struct rwalk {
	struct rnode	*v;
	size_t		 len;
	size_t		 cap;
	struct hmap	 ids;		/* hex id -> index + 1 */
	struct arena	 keys;
	size_t		*par;		/* parents, by index */
	size_t		 npar;
	size_t		 cappar;
	size_t		*heap;		/* newest first */
	size_t		 nheap;
	size_t		 capheap;
	size_t		 interesting;	/* queued and not boring */
};

static int
newer(const struct rwalk *r, size_t a, size_t b)
{
	if (r->v[a].time != r->v[b].time)
		return r->v[a].time > r->v[b].time;
	return a < b;
}

static void
heap_push(struct rwalk *r, size_t n)
{
	size_t i, up;

	r->heap = xgrow(r->heap, &r->capheap, r->nheap + 1, sizeof(*r->heap));
	for (i = r->nheap++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!newer(r, n, r->heap[up]))
			break;
		r->heap[i] = r->heap[up];
	}
	r->heap[i] = n;
}

static size_t
heap_pop(struct rwalk *r)
{
	size_t top = r->heap[0], last = r->heap[--r->nheap], i = 0, k;

	for (;;) {
		k = 2 * i + 1;
		if (k >= r->nheap)
			break;
		if (k + 1 < r->nheap && newer(r, r->heap[k + 1], r->heap[k]))
			k++;
		if (!newer(r, r->heap[k], last))
			break;
		r->heap[i] = r->heap[k];
		i = k;
	}
	if (r->nheap > 0)
		r->heap[i] = last;
	return top;
}

/* The node of commit id, made (and its commit read for its time) if new. */
static size_t
rnode_get(struct walk *w, struct rwalk *r, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct rnode *n;
	git_commit *c;
	void *v;

	git_oid_tostr(hex, sizeof(hex), id);
	if ((v = hmap_get(&r->ids, hex)) != NULL)
		return (size_t)(uintptr_t)v - 1;
	r->v = xgrow(r->v, &r->cap, r->len + 1, sizeof(*r->v));
	n = &r->v[r->len];
	memset(n, 0, sizeof(*n));
	git_oid_cpy(&n->id, id);
	if (git_commit_lookup(&c, w->git, id) < 0) {
		n->flags = R_MISSING;
		n->time = INT64_MIN;
	} else {
		n->time = git_commit_time(c);
		git_commit_free(c);
	}
	hmap_set(&r->ids, arena_strdup(&r->keys, hex),
	    (void *)(uintptr_t)(r->len + 1));
	return r->len++;
}

/* Marks node n and what is known of its ancestors reachable from the first. */
static void
mark_boring(struct rwalk *r, size_t n)
{
	size_t *stack = NULL, nstack = 0, cap = 0, i;

	stack = xgrow(stack, &cap, 1, sizeof(*stack));
	stack[nstack++] = n;
	while (nstack > 0) {
		n = stack[--nstack];
		if (r->v[n].flags & R_BORING)
			continue;
		r->v[n].flags |= R_BORING;
		if (r->v[n].flags & R_QUEUED)
			r->interesting--;
		if (!(r->v[n].flags & R_EXPANDED))
			continue;
		for (i = 0; i < r->v[n].nparents; i++) {
			stack = xgrow(stack, &cap, nstack + 1, sizeof(*stack));
			stack[nstack++] = r->par[r->v[n].parents + i];
		}
	}
	free(stack);
}

static void
enqueue(struct rwalk *r, size_t n)
{
	if (r->v[n].flags & (R_QUEUED | R_EXPANDED | R_MISSING))
		return;
	r->v[n].flags |= R_QUEUED;
	if (!(r->v[n].flags & R_BORING))
		r->interesting++;
	heap_push(r, n);
}

/* Learns the parents of node n, passing on its being boring. */
static int
expand(struct walk *w, struct rwalk *r, size_t n)
{
	git_commit *c;
	size_t p;
	unsigned i, np;

	r->v[n].flags = (r->v[n].flags & ~R_QUEUED) | R_EXPANDED;
	if (!(r->v[n].flags & R_BORING))
		r->interesting--;
	if (git_commit_lookup(&c, w->git, &r->v[n].id) < 0)
		return -1;
	/* A boundary of a shallow clone: its parents are not here. */
	np = listed_shallow(w, c) ? 0 : git_commit_parentcount(c);
	r->v[n].parents = r->npar;
	for (i = 0; i < np; i++) {
		p = rnode_get(w, r, git_commit_parent_id(c, i));
		r->par = xgrow(r->par, &r->cappar, r->npar + 1,
		    sizeof(*r->par));
		r->par[r->npar++] = p;
		r->v[n].nparents++;
		if (r->v[p].flags & R_MISSING)
			w->shallow = 1;
		if (r->v[n].flags & R_BORING)
			mark_boring(r, p);
		enqueue(r, p);
	}
	git_commit_free(c);
	return 0;
}

/*
 * Records the commits that merge m brings in, each dated by m: newest
 * first, and never a commit after one of its parents.
 */
static int
bring_in(struct walk *w, git_commit *m)
{
	struct rwalk r;
	git_commit *b;
	size_t i, k, n, p, slop = SLOP;
	unsigned np = git_commit_parentcount(m);
	int rc = -1;

	memset(&r, 0, sizeof(r));
	n = rnode_get(w, &r, git_commit_parent_id(m, 0));
	mark_boring(&r, n);
	enqueue(&r, n);
	for (i = 1; i < np; i++)
		enqueue(&r, rnode_get(w, &r, git_commit_parent_id(m, i)));
	while (r.nheap > 0) {
		if (r.interesting == 0 && slop-- == 0)
			break;
		if (expand(w, &r, heap_pop(&r)) < 0)
			goto out;
	}
	/* In order: a commit once every brought-in child of it is. */
	for (i = 0; i < r.len; i++) {
		if ((r.v[i].flags & (R_BORING | R_MISSING | R_EXPANDED)) !=
		    R_EXPANDED)
			continue;
		for (k = 0; k < r.v[i].nparents; k++)
			r.v[r.par[r.v[i].parents + k]].children++;
	}
	r.nheap = 0;
	for (i = 0; i < r.len; i++)
		if ((r.v[i].flags & (R_BORING | R_MISSING | R_EXPANDED)) ==
		    R_EXPANDED && r.v[i].children == 0)
			heap_push(&r, i);
	while (r.nheap > 0) {
		n = heap_pop(&r);
		if (git_commit_lookup(&b, w->git, &r.v[n].id) < 0)
			goto out;
		rc = compare(w, b, m, NULL);
		git_commit_free(b);
		if (rc < 0)
			return rc;
		rc = -1;
		for (k = 0; k < r.v[n].nparents; k++) {
			p = r.par[r.v[n].parents + k];
			if ((r.v[p].flags & (R_BORING | R_MISSING |
			    R_EXPANDED)) == R_EXPANDED &&
			    --r.v[p].children == 0)
				heap_push(&r, p);
		}
	}
	rc = 0;
out:
	if (rc < 0)
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot walk the commits that merge %s brings in",
		    repo_short(git_commit_id(m)));
	free(r.v);
	free(r.par);
	free(r.heap);
	hmap_free(&r.ids);
	arena_free(&r.keys);
	return rc;
}

/*
 * Walks the first-parent line from tip until commit stop (not included;
 * NULL: none), recording into w. Sets *met if stop was reached.
 */
static int
walk_line(struct walk *w, const git_oid *tip, const git_oid *stop, int *met)
{
	git_commit *c = NULL, *p;
	int merge;

	*met = 0;
	if (git_commit_lookup(&c, w->git, tip) < 0) {
		repo_error(w->d, "", "Check the repository with git fsck.",
		    "cannot read commit %s", repo_short(tip));
		return -1;
	}
	while (c != NULL) {
		if (stop != NULL && git_oid_equal(git_commit_id(c), stop)) {
			*met = 1;
			break;
		}
		merge = git_commit_parentcount(c) > 1;
		if (compare(w, c, c, &p) < 0 ||
		    (merge && p != NULL && bring_in(w, c) < 0)) {
			git_commit_free(p);
			git_commit_free(c);
			return -1;
		}
		git_commit_free(c);
		c = p;
	}
	git_commit_free(c);
	return 0;
}

/* Points the commits at their changes and the changes at their commits. */
static int
link_records(struct history *h)
{
	size_t i, k, at = 0;

	for (i = 0; i < h->ncommits; i++) {
		if (h->commits[i].nchanges > h->nchanges - at)
			return -1;
		h->commits[i].changes = h->changes + at;
		for (k = 0; k < h->commits[i].nchanges; k++)
			h->changes[at + k].commit = &h->commits[i];
		at += h->commits[i].nchanges;
	}
	return at == h->nchanges ? 0 : -1;
}

/* The file that name means at this point of the walk, made if new. */
static size_t
file_for(struct history *h, struct hmap *names, size_t *cap,
    const char *name)
{
	void *v = hmap_get(names, name);
	struct hist_file *f;

	if (v != NULL)
		return (size_t)(uintptr_t)v - 1;
	h->files = xgrow(h->files, cap, h->nfiles + 1, sizeof(*h->files));
	f = &h->files[h->nfiles];
	memset(f, 0, sizeof(*f));
	f->path = name;
	hmap_set(names, name, (void *)(uintptr_t)(h->nfiles + 1));
	return h->nfiles++;
}

struct by_path {
	const char	*path;
	size_t		 i;		/* in files[] before the sort */
};

static int
by_path_cmp(const void *a, const void *b)
{
	return strcmp(((const struct by_path *)a)->path,
	    ((const struct by_path *)b)->path);
}

/*
 * Works out the files from the records: walking from the newest, a name
 * means the file at the tip of the same name until a rename to it says
 * which file an older name is. A commit's names are all looked up
 * before its renames take effect, so that a swap or a chain of renames
 * in one commit goes right.
 */
static void
index_files(struct history *h)
{
	struct hmap names = HMAP_INIT;
	struct hist_file *sorted;
	struct by_path *order;
	size_t *of = NULL, *rank, *fill;
	size_t i, k, m = 0, at = 0, cap = 0;
	const struct hist_change *ch;

	if (h->nchanges)
		of = xmalloc(xmul(h->nchanges, sizeof(*of)));
	for (i = 0; i <= h->ncommits; i++) {
		for (; m < h->nmarks && h->marks[m].at == i; m++) {
			k = file_for(h, &names, &cap, h->marks[m].path);
			h->files[k].truncated = 1;
		}
		if (i == h->ncommits)
			break;
		for (k = 0; k < h->commits[i].nchanges; k++) {
			of[at + k] = file_for(h, &names, &cap,
			    h->changes[at + k].path);
			h->files[of[at + k]].len++;
		}
		for (k = 0; k < h->commits[i].nchanges; k++) {
			ch = &h->changes[at + k];
			if (ch->kind == HIST_RENAMED &&
			    strcmp(ch->old_path, ch->path) != 0)
				hmap_set(&names, ch->old_path,
				    (void *)(uintptr_t)(of[at + k] + 1));
		}
		at += h->commits[i].nchanges;
	}
	hmap_free(&names);

	order = xmalloc(xmul(h->nfiles + 1, sizeof(*order)));
	rank = xmalloc(xmul(h->nfiles + 1, sizeof(*rank)));
	fill = xcalloc(h->nfiles + 1, sizeof(*fill));
	for (i = 0; i < h->nfiles; i++) {
		order[i].path = h->files[i].path;
		order[i].i = i;
	}
	if (h->nfiles > 1)
		qsort(order, h->nfiles, sizeof(*order), by_path_cmp);
	sorted = xmalloc(xmul(h->nfiles + 1, sizeof(*sorted)));
	for (i = 0; i < h->nfiles; i++) {
		sorted[i] = h->files[order[i].i];
		rank[order[i].i] = i;
	}
	free(h->files);
	h->files = sorted;
	h->vall = xmalloc(xmul(h->nchanges + 1, sizeof(*h->vall)));
	for (i = 0, at = 0; i < h->nfiles; i++) {
		h->files[i].v = h->vall + at;
		at += h->files[i].len;
		hmap_set(&h->by_path, h->files[i].path, &h->files[i]);
	}
	for (i = 0; i < h->nchanges; i++) {
		k = rank[of[i]];
		h->files[k].v[fill[k]++] = &h->changes[i];
	}
	free(of);
	free(order);
	free(rank);
	free(fill);
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	free(h->commits);
	free(h->changes);
	free(h->marks);
	free(h->files);
	free(h->vall);
	hmap_free(&h->by_path);
	arena_free(&h->arena);
	memset(h, 0, sizeof(*h));
}

const struct hist_file *
history_file(const struct history *h, const char *path)
{
	return hmap_get(&h->by_path, path);
}

/* The cache's writer. */

static void
put_u64(struct buf *b, uint64_t v)
{
	unsigned char x[8];
	int i;

	for (i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, x, 8);
}

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, x, 4);
}

static void
put_str(struct buf *b, const char *s)
{
	size_t n;

	if (s == NULL) {
		put_u32(b, NOSTR);
		return;
	}
	n = strlen(s);
	put_u32(b, (uint32_t)n);
	buf_put(b, s, n);
}

static void
put_oid(struct buf *b, const git_oid *id)
{
	buf_put(b, id->id, GIT_OID_RAWSZ);
}

static void
cache_write(const struct history *h, struct buf *b, const char *trailer,
    const char *prefix, uint64_t shallow)
{
	const struct hist_commit *c;
	const struct hist_change *ch;
	size_t i;

	buf_puts(b, CACHE_MAGIC);
	put_str(b, trailer ? trailer : "");
	put_str(b, prefix);
	put_u64(b, shallow);
	put_oid(b, &h->tip);
	put_u64(b, h->ncommits);
	put_u64(b, h->nchanges);
	put_u64(b, h->nmarks);
	put_u64(b, h->shallow ? FLAG_SHALLOW : 0);
	for (i = 0; i < h->ncommits; i++) {
		c = &h->commits[i];
		put_oid(b, &c->id);
		put_u64(b, (uint64_t)c->time);
		put_u32(b, (uint32_t)c->offset);
		put_u64(b, c->nchanges);
		put_str(b, c->note);
		put_str(b, c->author);
		put_str(b, c->message);
	}
	for (i = 0; i < h->nchanges; i++) {
		ch = &h->changes[i];
		buf_putc(b, (int)ch->kind);
		put_str(b, ch->path);
		put_str(b, ch->old_path);
		put_oid(b, &ch->old_blob);
		put_oid(b, &ch->new_blob);
	}
	for (i = 0; i < h->nmarks; i++) {
		put_u64(b, h->marks[i].at);
		put_str(b, h->marks[i].path);
	}
	buf_puts(b, CACHE_END);
}

/*
 * Writes the cache to a file of its own name and renames it over path,
 * so that a build stopped halfway or another build at the same time
 * leaves the old cache or the new, never a mix. A failure leaves no
 * cache, which only makes the next build walk again.
 */
static void
cache_save(const struct history *h, const char *path, const char *trailer,
    const char *prefix, uint64_t shallow)
{
	struct buf b = BUF_INIT;
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	FILE *f;
	int ok;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		/* The git folder's valo/ on the first build; 0777 & umask. */
		(void)mkdir(dir, 0777);
	}
	free(dir);
	cache_write(h, &b, trailer, prefix, shallow);
	if ((f = fopen(tmp, "wb")) == NULL)
		goto out;
	ok = fwrite(b.data, 1, b.len, f) == b.len;
	ok &= !ferror(f);
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, path) == -1)
		unlink(tmp);
out:
	buf_free(&b);
	free(tmp);
}

/* The cache's reader: every read checks that the bytes are there. */

struct cursor {
	const unsigned char	*p;
	const unsigned char	*end;
	int			 bad;
};

static uint64_t
get_u64(struct cursor *c)
{
	uint64_t v = 0;
	int i;

	if (c->bad || c->end - c->p < 8) {
		c->bad = 1;
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += 8;
	return v;
}

static uint32_t
get_u32(struct cursor *c)
{
	uint32_t v = 0;
	int i;

	if (c->bad || c->end - c->p < 4) {
		c->bad = 1;
		return 0;
	}
	for (i = 0; i < 4; i++)
		v |= (uint32_t)c->p[i] << (8 * i);
	c->p += 4;
	return v;
}

static void
get_oid(struct cursor *c, git_oid *id)
{
	if (c->bad || c->end - c->p < GIT_OID_RAWSZ) {
		c->bad = 1;
		memset(id, 0, sizeof(*id));
		return;
	}
	git_oid_fromraw(id, c->p);
	c->p += GIT_OID_RAWSZ;
}

/* A string into a; NULL for NOSTR, or (with c->bad) for bad bytes. */
static const char *
get_str(struct cursor *c, struct arena *a)
{
	uint32_t n = get_u32(c);
	const char *s;

	if (c->bad || n == NOSTR)
		return NULL;
	if ((size_t)(c->end - c->p) < n || memchr(c->p, '\0', n) != NULL) {
		c->bad = 1;
		return NULL;
	}
	s = arena_strndup(a, (const char *)c->p, n);
	c->p += n;
	return s;
}

/* Returns 1 if the next string is s; reads it. */
static int
same_str(struct cursor *c, const char *s)
{
	uint32_t n = get_u32(c);
	int same;

	if (c->bad || n == NOSTR || (size_t)(c->end - c->p) < n) {
		c->bad = 1;
		return 0;
	}
	same = strlen(s) == n && memcmp(c->p, s, n) == 0;
	c->p += n;
	return same;
}

/*
 * Reads a cache's records into h (empty), without indexing them.
 * Returns 0, or -1 with h empty.
 */
static int
cache_read(struct history *h, const char *data, size_t len,
    const char *trailer, const char *prefix, uint64_t shallow)
{
	struct cursor c;
	struct hist_commit *hc;
	struct hist_change *ch;
	uint64_t nc, nch, nm, sum = 0, kind;
	size_t i;

	memset(h, 0, sizeof(*h));
	c.p = (const unsigned char *)data;
	c.end = c.p + len;
	c.bad = 0;
	if (len < sizeof(CACHE_MAGIC) - 1 ||
	    memcmp(data, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1) != 0)
		return -1;
	c.p += sizeof(CACHE_MAGIC) - 1;
	if (!same_str(&c, trailer ? trailer : "") || !same_str(&c, prefix) ||
	    get_u64(&c) != shallow || c.bad)
		return -1;
	get_oid(&c, &h->tip);
	nc = get_u64(&c);
	nch = get_u64(&c);
	nm = get_u64(&c);
	h->shallow = (get_u64(&c) & FLAG_SHALLOW) != 0;
	if (c.bad || nc > (uint64_t)(c.end - c.p) / MIN_COMMIT ||
	    nch > (uint64_t)(c.end - c.p) / MIN_CHANGE ||
	    nm > (uint64_t)(c.end - c.p) / MIN_MARK)
		goto bad;
	h->commits = xcalloc((size_t)nc + 1, sizeof(*h->commits));
	h->changes = xcalloc((size_t)nch + 1, sizeof(*h->changes));
	h->marks = xcalloc((size_t)nm + 1, sizeof(*h->marks));
	for (i = 0; i < nc && !c.bad; i++) {
		hc = &h->commits[i];
		get_oid(&c, &hc->id);
		hc->time = (int64_t)get_u64(&c);
		hc->offset = (int)(int32_t)get_u32(&c);
		hc->nchanges = (size_t)get_u64(&c);
		hc->note = get_str(&c, &h->arena);
		hc->author = get_str(&c, &h->arena);
		hc->message = get_str(&c, &h->arena);
		if (hc->nchanges == 0 || hc->nchanges > nch - sum ||
		    hc->author == NULL || hc->message == NULL)
			c.bad = 1;
		else
			sum += hc->nchanges;
		h->ncommits++;
	}
	if (sum != nch)
		c.bad = 1;
	for (i = 0; i < nch && !c.bad; i++) {
		ch = &h->changes[i];
		if (c.p == c.end) {
			c.bad = 1;
			break;
		}
		kind = *c.p++;
		ch->path = get_str(&c, &h->arena);
		ch->old_path = get_str(&c, &h->arena);
		get_oid(&c, &ch->old_blob);
		get_oid(&c, &ch->new_blob);
		if (kind > HIST_RENAMED || ch->path == NULL ||
		    *ch->path == '\0' ||
		    (kind == HIST_ADDED) != (ch->old_path == NULL) ||
		    (ch->old_path != NULL && *ch->old_path == '\0'))
			c.bad = 1;
		ch->kind = (enum hist_kind)kind;
		h->nchanges++;
	}
	for (i = 0; i < nm && !c.bad; i++) {
		h->marks[i].at = (size_t)get_u64(&c);
		h->marks[i].path = get_str(&c, &h->arena);
		if (h->marks[i].path == NULL || *h->marks[i].path == '\0' ||
		    h->marks[i].at > nc ||
		    (i > 0 && h->marks[i].at < h->marks[i - 1].at))
			c.bad = 1;
		h->nmarks++;
	}
	if (c.bad || (size_t)(c.end - c.p) != sizeof(CACHE_END) - 1 ||
	    memcmp(c.p, CACHE_END, sizeof(CACHE_END) - 1) != 0 ||
	    link_records(h) < 0)
		goto bad;
	return 0;
bad:
	history_free(h);
	return -1;
}

int
history_cache_parse(struct history *h, const char *data, size_t len,
    const char *trailer, const char *prefix, uint64_t shallow)
{
	if (cache_read(h, data, len, trailer, prefix, shallow) < 0)
		return -1;
	index_files(h);
	return 0;
}

/*
 * Puts the walk's records before the cache's (already in h, older than
 * all of them), or in place of them if keep is 0.
 */
static void
join(struct history *h, struct walk *w, int keep)
{
	size_t nc = keep ? h->ncommits : 0, nch = keep ? h->nchanges : 0;
	size_t nm = keep ? h->nmarks : 0, i;
	struct hist_commit *commits;
	struct hist_change *changes;
	struct hist_mark *marks;

	commits = xmalloc(xmul(xadd(w->ncommits, nc), sizeof(*commits)) + 1);
	changes = xmalloc(xmul(xadd(w->nchanges, nch), sizeof(*changes)) + 1);
	marks = xmalloc(xmul(xadd(w->nmarks, nm), sizeof(*marks)) + 1);
	if (w->ncommits)
		memcpy(commits, w->commits, w->ncommits * sizeof(*commits));
	if (nc)
		memcpy(commits + w->ncommits, h->commits,
		    nc * sizeof(*commits));
	if (w->nchanges)
		memcpy(changes, w->changes, w->nchanges * sizeof(*changes));
	if (nch)
		memcpy(changes + w->nchanges, h->changes,
		    nch * sizeof(*changes));
	if (w->nmarks)
		memcpy(marks, w->marks, w->nmarks * sizeof(*marks));
	for (i = 0; i < nm; i++) {
		marks[w->nmarks + i] = h->marks[i];
		marks[w->nmarks + i].at += w->ncommits;
	}
	free(h->commits);
	free(h->changes);
	free(h->marks);
	h->commits = commits;
	h->ncommits = w->ncommits + nc;
	h->changes = changes;
	h->nchanges = w->nchanges + nch;
	h->marks = marks;
	h->nmarks = w->nmarks + nm;
}

int
history_load(struct history *h, struct repo *r, const git_oid *tip,
    const struct history_opts *o, struct diags *d)
{
	struct walk w;
	struct buf b = BUF_INIT;
	git_oid cached;
	size_t i;
	int have = 0, met = 0, rc = -1, shallow = 0;

	memset(h, 0, sizeof(*h));
	memset(&w, 0, sizeof(w));
	w.h = h;
	w.git = r->git;
	w.sub = xasprintf("%scontent", r->prefix);
	w.trailer = o->trailer;
	w.d = d;
	w.memohas = -1;
	read_shallow(&w);
	if (git_diff_options_init(&w.diffopts, GIT_DIFF_OPTIONS_VERSION) < 0 ||
	    git_diff_find_options_init(&w.findopts,
	    GIT_DIFF_FIND_OPTIONS_VERSION) < 0) {
		repo_error(d, "", "Reinstall libgit2 (Debian: libgit2-1.5).",
		    "cannot set up comparing commits");
		goto out;
	}
	/* No blob is read to tell text from binary: nothing shows lines. */
	w.diffopts.flags = GIT_DIFF_SKIP_BINARY_CHECK;
	/* Exact renames, and moves with an edit (half the lines alike). */
	w.findopts.flags = GIT_DIFF_FIND_RENAMES;

	if (o->cache != NULL && read_file(o->cache, &b) == 0 &&
	    cache_read(h, b.data ? b.data : "", b.len, o->trailer, r->prefix,
	    w.shallowkey) == 0) {
		have = 1;
		git_oid_cpy(&cached, &h->tip);
		shallow = h->shallow;
	}
	buf_free(&b);
	if (have && git_oid_equal(&cached, tip)) {
		index_files(h);
		rc = 0;
		goto out;
	}
	if (walk_line(&w, tip, have ? &cached : NULL, &met) < 0) {
		history_free(h);
		goto out;
	}
	/* The walk set it for what it found; the cache's is older. */
	h->shallow = w.shallow || (have && met && shallow);
	join(h, &w, have && met);
	git_oid_cpy(&h->tip, tip);
	if (link_records(h) < 0) {
		/* The walk makes the counts; they always add up. */
		history_free(h);
		diag_error(d, "", 0, 0, "Report this as a bug in Valo.",
		    "the history's records do not add up");
		goto out;
	}
	index_files(h);
	if (o->cache != NULL)
		cache_save(h, o->cache, o->trailer, r->prefix, w.shallowkey);
	rc = 0;
out:
	hmap_free(&w.shallowids);
	free(w.shallowtext);
	for (i = 0; i < RECENT_TREES; i++)
		git_tree_free(w.recent[i]);
	free(w.ds);
	free(w.commits);
	free(w.changes);
	free(w.marks);
	free(w.sub);
	return rc;
}
