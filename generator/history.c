/*
 * The history of content/ (history.h): one first-parent walk from the tip,
 * a tree diff per commit that changed content/, and an index from every
 * path to the changes of the file it names at the tip.
 *
 * The walk has two halves. The commits are read in order on the calling
 * thread, each parent's id coming from its child: that plans the work,
 * one item per commit to compare with its parent. The comparisons, where
 * the time goes (trees read and inflated from the packs), are made on
 * several threads at once, each with a repository handle of its own, as
 * libgit2 objects are not to be shared by threads; they take the items as
 * they are planned, in blocks of consecutive commits, since a commit's
 * trees are its parent's, compared next. The results are joined in the
 * items' order, so that the history, and the cache, are the same bytes
 * whatever the number of threads.
 *
 * The records (commits, their changes, shallow boundaries) come out of
 * the walk newest first and are what the cache keeps; the files are
 * worked out from them on every load, as that is cheap and a rename newer
 * than the cache decides which file an old change belongs to.
 */
#include <sys/stat.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <git2/sys/odb_backend.h>

#include "history.h"
#include "repo.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/pool.h"

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
/*
 * Threads at most. They read the same packs, whose delta caches libgit2
 * shares between handles behind locks of its own, and fills faster the
 * more places of the history are read at once: beyond a few threads that
 * costs more than it gains.
 */
#define MAX_JOBS	8
/*
 * Items a thread takes at a time. A block's first commit reads the trees
 * that the thread before it read for its parent's; 64 keep that a few in
 * a hundred. A history of one block or less is compared on the calling
 * thread alone: starting threads would cost more than they save.
 */
#define BLOCK		64
#define NO_FAIL		SIZE_MAX

/* A change found by comparing two trees. */
struct delta {
	enum hist_kind	 kind;
	const char	*path;		/* in the arena, as hist_change's */
	const char	*old_path;
	git_oid		 old_blob;
	git_oid		 new_blob;
};

/*
 * A tree as it is stored, with where its entries are: what a comparison
 * needs, without libgit2's parse into entries of its own, and the bytes
 * themselves, which two versions of a folder mostly share.
 */
struct rent {
	uint32_t	 start;		/* of the entry in data */
	uint32_t	 name;		/* of its name, NUL-terminated */
	uint16_t	 mode;		/* as git_tree_entry_filemode has it */
};

struct rtree {
	git_oid		 id;
	void		*raw;		/* the bytes, from backend... */
	git_odb_backend	*backend;
	git_odb_object	*obj;		/* ...or from the odb's cache */
	const unsigned char *data;	/* raw or obj's */
	size_t		 size;
	struct rent	*e;
	size_t		 n;
	int		 refs;		/* the recent ring's and callers' */
};

/* A commit as a comparison needs it: its id (for messages), its tree. */
struct side {
	git_oid		 id;
	git_oid		 tree;
};

enum item_kind {
	I_COMPARE,	/* with the first parent (and a merge's others) */
	I_ROOT,		/* a commit without parents: all of it is added */
	I_BOUNDARY,	/* a shallow clone's: its files are marked */
	I_FAIL		/* the walk failed here: err says why */
};

/*
 * One commit to compare with its parent, planned by the walk; the thread
 * that takes it fills in the results. Threads read only the plain fields:
 * c and when are the walking thread's.
 */
struct item {
	enum item_kind	 kind;
	git_commit	*c;		/* for the record */
	git_commit	*when;		/* dates it */
	struct side	 self;
	struct side	 parent;	/* the first (I_COMPARE) */
	struct side	*others;	/* a merge's other parents, present */
	size_t		 nothers;
	/*
	 * Why it failed; set by the walk where reading the parents failed
	 * (after what the comparison reads first, as the walk once did).
	 */
	struct diags	*err;
	/* Results, in the arrays of worker: */
	int		 worker;
	size_t		 changes;
	size_t		 nchanges;
	size_t		 marks;
	size_t		 nmarks;
};

struct block {
	size_t		 first;		/* the index of v[0] */
	size_t		 n;
	struct item	 v[BLOCK];
};

struct walk;

/* A thread comparing items, and what it has found. */
struct worker {
	struct walk	*w;		/* shared; read only here */
	git_repository	*git;		/* its own (worker 0: the caller's) */
	git_odb		*odb;
	int		 own;		/* git is this one's to free */
	pthread_t	 thread;
	struct diags	 d;		/* the item's failure, until moved */
	struct arena	 arena;		/* the changes' paths */
	struct hist_change *changes;	/* by item; commit set when joined */
	size_t		 nchanges;
	size_t		 capchanges;
	struct hist_mark *marks;	/* by item; at set when joined */
	size_t		 nmarks;
	size_t		 capmarks;
	struct delta	*ds;		/* the commit's being compared */
	size_t		 nds;
	size_t		 capds;
	size_t		 added;		/* of ds: added files */
	size_t		 deleted;
	struct rtree	*recent[RECENT_TREES];	/* see rtree_read */
	uint32_t	 recentkey[RECENT_TREES];	/* ids' first bytes */
	size_t		 nextrecent;
	struct rent	*scratch;	/* for rtree_parse */
	size_t		 capscratch;
	/* The last root tree whose content tree was looked up, and that. */
	git_oid		 memo;
	git_oid		 memosub;
	int		 memohas;	/* -1: no memo; 0: no content/ there */
	struct item	*it;		/* the item being compared */
};

/* What one load's walk has found, before it joins the cache's records. */
struct walk {
	struct history	*h;		/* its arena: the commits' strings */
	git_repository	*git;		/* borrowed */
	char		*gitdir;	/* for the threads' handles */
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
	git_diff_options diffopts;
	git_diff_find_options findopts;
	/* The plan: blocks of items, handed to the workers. */
	pthread_mutex_t	 lock;		/* guards blocks, nblocks, next, done */
	pthread_cond_t	 more;		/* a block or the end was published */
	struct block	**blocks;	/* published, in order */
	size_t		 nblocks;
	size_t		 capblocks;
	size_t		 next;		/* the next block to take */
	int		 done;		/* the plan is complete */
	struct block	*cur;		/* being planned, not yet published */
	size_t		 nitems;
	atomic_size_t	 fail;		/* the first item that failed */
	struct worker	*workers;
	int		 jobs;
	int		 started;	/* the threads were started */
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

/* Trees as they are stored. */

/* The mode git_tree_entry_filemode gives for the stored mode m. */
static uint16_t
normal_mode(unsigned m)
{
	if ((m & 0170000) == 0040000)
		return GIT_FILEMODE_TREE;
	if (m & 0100)
		return GIT_FILEMODE_BLOB_EXECUTABLE;
	if ((m & 0170000) == 0160000)
		return GIT_FILEMODE_COMMIT;
	if ((m & 0170000) == 0120000)
		return GIT_FILEMODE_LINK;
	return GIT_FILEMODE_BLOB;
}

/* Where entry i of t ends: the next one begins. */
static size_t
rent_end(const struct rtree *t, size_t i)
{
	return i + 1 < t->n ? t->e[i + 1].start : t->size;
}

static const char *
rent_name(const struct rtree *t, size_t i)
{
	return (const char *)t->data + t->e[i].name;
}

static size_t
rent_namelen(const struct rtree *t, size_t i)
{
	return rent_end(t, i) - GIT_OID_RAWSZ - 1 - t->e[i].name;
}

/* The id of entry i, the last bytes of the entry. */
static const unsigned char *
rent_id(const struct rtree *t, size_t i)
{
	return t->data + rent_end(t, i) - GIT_OID_RAWSZ;
}

/*
 * Finds t's entries: "mode name\0id", as libgit2's parse checks them,
 * into scratch (grown as needed) and then an array of their own, so that
 * a tree's is allocated once. Returns 0, or -1 if t is not a tree.
 */
static int
rtree_parse(struct rtree *t, struct rent **scratch, size_t *cap)
{
	const unsigned char *p = t->data, *end = p + t->size, *start, *nul;
	struct rent *e;
	size_t n = 0;
	unsigned m;

	if (t->size >= UINT32_MAX)
		return -1;
	while (p < end) {
		start = p;
		/* The modes of files and folders, nearly every entry's. */
		if (end - p > 7 && memcmp(p, "100644 ", 7) == 0) {
			m = 0100644;
			p += 7;
		} else if (end - p > 6 && memcmp(p, "40000 ", 6) == 0) {
			m = 040000;
			p += 6;
		} else {
			m = 0;
			if (*p < '0' || *p > '7')
				return -1;
			while (p < end && *p >= '0' && *p <= '7')
				if ((m = m * 8 + (unsigned)(*p++ - '0')) >
				    UINT16_MAX)
					return -1;
			if (p == end || *p++ != ' ')
				return -1;
		}
		if (p == end ||
		    (nul = memchr(p, '\0', (size_t)(end - p))) == NULL ||
		    nul == p || nul - p > UINT16_MAX ||
		    (size_t)(end - nul - 1) < GIT_OID_RAWSZ)
			return -1;
		*scratch = xgrow(*scratch, cap, n + 1, sizeof(**scratch));
		e = &(*scratch)[n++];
		e->start = (uint32_t)(start - t->data);
		e->name = (uint32_t)(p - t->data);
		e->mode = normal_mode(m);
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	t->n = n;
	if (n > 0) {
		t->e = xmalloc(xmul(n, sizeof(*t->e)));
		memcpy(t->e, *scratch, n * sizeof(*t->e));
	}
	return 0;
}

static void
rtree_unref(struct rtree *t)
{
	if (t == NULL || --t->refs > 0)
		return;
	if (t->raw != NULL)
		git_odb_backend_data_free(t->backend, t->raw);
	git_odb_object_free(t->obj);
	free(t->e);
	free(t);
}

/*
 * Reads object id into t straight from the object database's backends,
 * as git_odb_read does, but not into libgit2's cache: that keeps every
 * tree under 4 kB, most versions of most folders, each read once here,
 * and filling that memory page by page took a fifth of the walk. What
 * the backends do not have (a pack added since, the empty tree) is left
 * to git_odb_read.
 */
static int
odb_read(struct worker *wk, struct rtree *t, const git_oid *id)
{
	git_odb_backend *b;
	git_object_t type = GIT_OBJECT_INVALID;
	size_t i, n = git_odb_num_backends(wk->odb), len = 0;
	void *raw = NULL;
	int rc;

	for (i = 0; i < n; i++) {
		if (git_odb_get_backend(&b, wk->odb, i) < 0 || b->read == NULL)
			continue;
		rc = b->read(&raw, &len, &type, b, id);
		if (rc == GIT_ENOTFOUND || rc == GIT_PASSTHROUGH)
			continue;
		if (rc < 0)
			return -1;
		t->raw = raw;
		t->backend = b;
		t->data = raw;
		t->size = len;
		return type == GIT_OBJECT_TREE ? 0 : -1;
	}
	if (git_odb_read(&t->obj, wk->odb, id) < 0)
		return -1;
	t->data = git_odb_object_data(t->obj);
	t->size = git_odb_object_size(t->obj);
	return git_odb_object_type(t->obj) == GIT_OBJECT_TREE ? 0 : -1;
}

/*
 * Reads tree id for the caller to unref; no diagnostic. The last
 * RECENT_TREES are kept, the only cache (see odb_read): a commit's
 * folders are its parent's, compared next. Their ids' first bytes are
 * kept apart, for a scan of four cache lines.
 */
static int
rtree_read(struct worker *wk, struct rtree **out, const git_oid *id)
{
	struct rtree *t;
	uint32_t key;
	size_t i;

	*out = NULL;
	memcpy(&key, id->id, sizeof(key));
	for (i = 0; i < RECENT_TREES; i++)
		if (wk->recentkey[i] == key && wk->recent[i] != NULL &&
		    git_oid_equal(&wk->recent[i]->id, id)) {
			wk->recent[i]->refs++;
			*out = wk->recent[i];
			return 0;
		}
	t = xcalloc(1, sizeof(*t));
	git_oid_cpy(&t->id, id);
	t->refs = 1;
	if (odb_read(wk, t, id) < 0 ||
	    rtree_parse(t, &wk->scratch, &wk->capscratch) < 0) {
		/* Read, but not a tree (or not one that parses). */
		if (t->data != NULL)
			git_error_set_str(GIT_ERROR_INVALID, "not a tree");
		rtree_unref(t);
		return -1;
	}
	i = wk->nextrecent++ % RECENT_TREES;
	rtree_unref(wk->recent[i]);
	wk->recent[i] = t;
	wk->recentkey[i] = key;
	t->refs++;
	*out = t;
	return 0;
}

/* Reads tree id (NULL: none, *out NULL) for the caller to unref. */
static int
rtree_get(struct worker *wk, struct rtree **out, const git_oid *id)
{
	*out = NULL;
	if (id == NULL)
		return 0;
	if (rtree_read(wk, out, id) < 0) {
		repo_error(&wk->d, "", "Check the repository with git fsck.",
		    "cannot read tree %s", repo_short(id));
		return -1;
	}
	return 0;
}

/* The entry of t named name (len bytes), or -1. */
static long
rtree_find(const struct rtree *t, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (rent_namelen(t, i) == len &&
		    memcmp(rent_name(t, i), name, len) == 0)
			return (long)i;
	return -1;
}

/*
 * Finds the id of the content tree of commit s. Returns 1, 0 if the
 * commit has no such folder, or -1 after a diagnostic. A folder on the
 * way that cannot be read counts as none, as with git_tree_entry_bypath.
 */
static int
content_of(struct worker *wk, const struct side *s, git_oid *out)
{
	struct rtree *t = NULL, *sub;
	const char *name = wk->w->sub, *slash;
	size_t len;
	long k;
	int rc = 0;

	if (wk->memohas >= 0 && git_oid_equal(&wk->memo, &s->tree)) {
		git_oid_cpy(out, &wk->memosub);
		return wk->memohas;
	}
	if (rtree_read(wk, &t, &s->tree) < 0) {
		repo_error(&wk->d, "", "Check the repository with git fsck.",
		    "cannot read the tree of commit %s", repo_short(&s->id));
		return -1;
	}
	memset(out, 0, sizeof(*out));
	for (;;) {
		slash = strchr(name, '/');
		len = slash ? (size_t)(slash - name) : strlen(name);
		if ((k = rtree_find(t, name, len)) < 0 ||
		    t->e[k].mode != GIT_FILEMODE_TREE)
			break;
		if (slash == NULL) {
			git_oid_fromraw(out, rent_id(t, (size_t)k));
			rc = 1;
			break;
		}
		git_oid_fromraw(out, rent_id(t, (size_t)k));
		if (rtree_read(wk, &sub, out) < 0)
			break;
		rtree_unref(t);
		t = sub;
		name = slash + 1;
	}
	rtree_unref(t);
	if (rc == 0)
		memset(out, 0, sizeof(*out));
	git_oid_cpy(&wk->memo, &s->tree);
	git_oid_cpy(&wk->memosub, out);
	wk->memohas = rc;
	return rc;
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
add_delta(struct worker *wk, enum hist_kind k)
{
	struct delta *dl;

	wk->ds = xgrow(wk->ds, &wk->capds, wk->nds + 1, sizeof(*wk->ds));
	dl = &wk->ds[wk->nds++];
	memset(dl, 0, sizeof(*dl));
	dl->kind = k;
	if (k == HIST_ADDED)
		wk->added++;
	else if (k == HIST_DELETED)
		wk->deleted++;
	return dl;
}

/* path and then entry i's name of t, in the worker's arena. */
static const char *
path_of(struct worker *wk, const struct buf *path, const struct rtree *t,
    size_t i)
{
	size_t n = rent_namelen(t, i);
	char *s = arena_alloc(&wk->arena, xadd(path->len, n + 1));

	if (path->len > 0)
		memcpy(s, path->data, path->len);
	memcpy(s + path->len, rent_name(t, i), n);
	s[path->len + n] = '\0';
	return s;
}

/*
 * Orders tree entries as git sorts a tree: by name, a folder's as if it
 * ended in '/'.
 */
static int
rent_cmp(const struct rtree *ta, size_t i, const struct rtree *tb, size_t j)
{
	size_t nx = rent_namelen(ta, i), ny = rent_namelen(tb, j);
	size_t n = nx < ny ? nx : ny;
	const char *x = rent_name(ta, i), *y = rent_name(tb, j);
	int c = memcmp(x, y, n), cx, cy;

	if (c != 0)
		return c;
	cx = n < nx ? (unsigned char)x[n] :
	    ta->e[i].mode == GIT_FILEMODE_TREE ? '/' : 0;
	cy = n < ny ? (unsigned char)y[n] :
	    tb->e[j].mode == GIT_FILEMODE_TREE ? '/' : 0;
	return cx - cy;
}

/* The length of the longest common beginning of a and b (n bytes). */
static size_t
common_prefix(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i = 0;
	uint64_t x, y;

	/* memcmp compares a block many bytes at a time. */
	while (i + 256 <= n && memcmp(a + i, b + i, 256) == 0)
		i += 256;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/*
 * The number of entries, from ta's i-th and tb's j-th on, that the two
 * trees have byte for byte alike: the same names, modes and ids, nothing
 * to compare. A commit changes a file or two of a folder, and comparing
 * the rest as memory is many times faster than entry by entry.
 */
static size_t
same_run(const struct rtree *ta, size_t i, const struct rtree *tb, size_t j)
{
	size_t sa = ta->e[i].start, sb = tb->e[j].start, len, lo, hi, mid;

	len = common_prefix(ta->data + sa, tb->data + sb,
	    ta->size - sa < tb->size - sb ? ta->size - sa : tb->size - sb);
	if (len < rent_end(ta, i) - sa)
		return 0;
	/* The entries of ta that end within the bytes alike. */
	for (lo = i + 1, hi = ta->n; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (rent_end(ta, mid) - sa <= len)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Bytes alike parse alike: tb's entries end where ta's do. */
	if (j + (lo - i) > tb->n ||
	    rent_end(tb, j + (lo - i) - 1) - sb != rent_end(ta, lo - 1) - sa)
		return 0;
	return lo - i;
}

static int diff_trees(struct worker *, const git_oid *, const git_oid *,
    struct buf *);

/* Entry i of tree t, in the folder at path, is there on one side only. */
static int
one_side(struct worker *wk, const struct rtree *t, size_t i,
    struct buf *path, enum hist_kind k)
{
	struct delta *dl;
	git_oid id;
	size_t len = path->len;
	int rc;

	git_oid_fromraw(&id, rent_id(t, i));
	if (t->e[i].mode == GIT_FILEMODE_TREE) {
		buf_put(path, rent_name(t, i), rent_namelen(t, i));
		buf_putc(path, '/');
		rc = diff_trees(wk, k == HIST_DELETED ? &id : NULL,
		    k == HIST_ADDED ? &id : NULL, path);
		path->len = len;
		path->data[len] = '\0';
		return rc;
	}
	if (!is_file(t->e[i].mode))
		return 0;
	dl = add_delta(wk, k);
	dl->path = path_of(wk, path, t, i);
	if (k == HIST_DELETED) {
		dl->old_path = dl->path;
		git_oid_cpy(&dl->old_blob, &id);
	} else
		git_oid_cpy(&dl->new_blob, &id);
	return 0;
}

/*
 * Adds to wk->ds the files that differ between trees a and b (NULL: an
 * empty tree), below path. Not git_diff_tree_to_tree: its iterators made
 * it 40 us a commit, nine tenths of a walk; this goes only into the
 * folders whose ids differ, and compares their entries side by side,
 * skipping what is alike byte for byte.
 */
static int
diff_trees(struct worker *wk, const git_oid *a, const git_oid *b,
    struct buf *path)
{
	struct rtree *ta = NULL, *tb = NULL;
	struct delta *dl;
	git_oid ia, ib;
	size_t i = 0, j = 0, na, nb, len = path->len, k;
	int c, rc = -1;

	if (rtree_get(wk, &ta, a) < 0 || rtree_get(wk, &tb, b) < 0)
		goto out;
	na = ta ? ta->n : 0;
	nb = tb ? tb->n : 0;
	while (i < na || j < nb) {
		if (i < na && j < nb) {
			k = same_run(ta, i, tb, j);
			i += k;
			j += k;
			if (i == na || j == nb)
				continue;
		}
		c = i == na ? 1 : j == nb ? -1 : rent_cmp(ta, i, tb, j);
		if (c < 0) {
			if (one_side(wk, ta, i, path, HIST_DELETED) < 0)
				goto out;
			i++;
			continue;
		}
		if (c > 0) {
			if (one_side(wk, tb, j, path, HIST_ADDED) < 0)
				goto out;
			j++;
			continue;
		}
		k = i++;
		if (memcmp(rent_id(ta, k), rent_id(tb, j), GIT_OID_RAWSZ) ==
		    0 && ta->e[k].mode == tb->e[j].mode) {
			j++;
			continue;
		}
		git_oid_fromraw(&ia, rent_id(ta, k));
		git_oid_fromraw(&ib, rent_id(tb, j));
		if (ta->e[k].mode == GIT_FILEMODE_TREE &&
		    tb->e[j].mode == GIT_FILEMODE_TREE) {
			buf_put(path, rent_name(tb, j), rent_namelen(tb, j));
			buf_putc(path, '/');
			rc = diff_trees(wk, &ia, &ib, path);
			path->len = len;
			path->data[len] = '\0';
			if (rc < 0)
				goto out;
			rc = -1;
		} else if (is_file(ta->e[k].mode) && is_file(tb->e[j].mode)) {
			dl = add_delta(wk, HIST_MODIFIED);
			dl->path = path_of(wk, path, tb, j);
			dl->old_path = dl->path;
			git_oid_cpy(&dl->old_blob, &ia);
			git_oid_cpy(&dl->new_blob, &ib);
		} else if (one_side(wk, ta, k, path, HIST_DELETED) < 0 ||
		    one_side(wk, tb, j, path, HIST_ADDED) < 0)
			goto out;
		j++;
	}
	rc = 0;
out:
	rtree_unref(ta);
	rtree_unref(tb);
	return rc;
}

/*
 * Looks up tree id (NULL: none) through libgit2, for the caller to free:
 * for what needs its objects (rename detection, merges, boundaries).
 */
static int
tree_lookup(struct worker *wk, git_tree **t, const git_oid *id)
{
	*t = NULL;
	if (id == NULL)
		return 0;
	if (git_tree_lookup(t, wk->git, id) < 0) {
		repo_error(&wk->d, "", "Check the repository with git fsck.",
		    "cannot read tree %s", repo_short(id));
		return -1;
	}
	return 0;
}

/*
 * Puts in wk->ds what git_diff_find_similar finds between trees a and b:
 * renames, exact or of files that changed a little too (half alike).
 * Only for commits that add and delete files, the ones with renames.
 */
static int
diff_renames(struct worker *wk, const git_oid *a, const git_oid *b)
{
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	const git_diff_delta *dd;
	struct delta *dl;
	enum hist_kind kind;
	size_t i, n;
	int rc = -1;

	wk->nds = wk->added = wk->deleted = 0;
	if (tree_lookup(wk, &ta, a) < 0 || tree_lookup(wk, &tb, b) < 0)
		goto out;
	if (git_diff_tree_to_tree(&diff, wk->git, ta, tb,
	    &wk->w->diffopts) < 0 ||
	    git_diff_find_similar(diff, &wk->w->findopts) < 0)
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
		dl = add_delta(wk, kind);
		dl->path = arena_strdup(&wk->arena, kind == HIST_DELETED ?
		    dd->old_file.path : dd->new_file.path);
		if (kind == HIST_ADDED)
			dl->old_path = NULL;
		else if (strcmp(dd->old_file.path, dl->path) == 0)
			dl->old_path = dl->path;
		else
			dl->old_path = arena_strdup(&wk->arena,
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
 * Records what the item's commit changed between content trees from and
 * to (NULL: none), leaving out what came as it is from one of the other
 * parents' trees (a merge's).
 */
static int
record(struct worker *wk, const git_oid *from, const git_oid *to,
    git_tree **others, size_t nothers)
{
	struct item *it = wk->it;
	struct buf path = BUF_INIT;
	struct hist_change *ch;
	const struct delta *dl;
	size_t i, k;
	int rc;

	wk->nds = wk->added = wk->deleted = 0;
	rc = diff_trees(wk, from, to, &path);
	buf_free(&path);
	if (rc == 0 && wk->added > 0 && wk->deleted > 0)
		rc = diff_renames(wk, from, to);
	if (rc < 0) {
		repo_error(&wk->d, "", "Check the repository with git fsck.",
		    "cannot compare commit %s with its parent",
		    repo_short(&it->self.id));
		return -1;
	}
	it->changes = wk->nchanges;
	for (i = 0; i < wk->nds; i++) {
		dl = &wk->ds[i];
		for (k = 0; k < nothers; k++)
			if (from_parent(others[k], dl))
				break;
		if (k < nothers)
			continue;
		wk->changes = xgrow(wk->changes, &wk->capchanges,
		    wk->nchanges + 1, sizeof(*wk->changes));
		ch = &wk->changes[wk->nchanges++];
		memset(ch, 0, sizeof(*ch));
		ch->kind = dl->kind;
		ch->path = dl->path;
		ch->old_path = dl->old_path;
		git_oid_cpy(&ch->old_blob, &dl->old_blob);
		git_oid_cpy(&ch->new_blob, &dl->new_blob);
		it->nchanges++;
	}
	return 0;
}

static int
mark_cb(const char *root, const git_tree_entry *e, void *arg)
{
	struct worker *wk = arg;
	struct hist_mark *m;

	if (!is_file(git_tree_entry_filemode(e)))
		return 0;
	wk->marks = xgrow(wk->marks, &wk->capmarks, wk->nmarks + 1,
	    sizeof(*wk->marks));
	m = &wk->marks[wk->nmarks++];
	m->at = 0;
	m->path = arena_printf(&wk->arena, "%s%s", root,
	    git_tree_entry_name(e));
	wk->it->nmarks++;
	return 0;
}

/*
 * The item's commit is as far as a shallow clone goes: what it has was
 * there before what is known, and is marked so; none of it counts as
 * added.
 */
static int
boundary(struct worker *wk)
{
	git_oid id;
	git_tree *t = NULL;
	int rc;

	wk->it->marks = wk->nmarks;
	if ((rc = content_of(wk, &wk->it->self, &id)) <= 0)
		return rc;
	if (tree_lookup(wk, &t, &id) < 0)
		return -1;
	rc = git_tree_walk(t, GIT_TREEWALK_PRE, mark_cb, wk);
	git_tree_free(t);
	if (rc < 0) {
		repo_error(&wk->d, "", "Check the repository with git fsck.",
		    "cannot read tree %s", repo_short(&id));
		return -1;
	}
	return 0;
}

/*
 * Records the changes of the item's commit against its first parent; a
 * merge's only where they differ from every parent. Returns 0, or -1
 * after a diagnostic (in wk->d, or the walk's in it->err).
 */
static int
compare(struct worker *wk, struct item *it)
{
	git_tree **others = NULL;
	git_oid cid, pid, qid;
	size_t i, nothers = 0;
	int hc, hp, hq, rc = -1, own = 1;

	wk->it = it;
	if (it->kind == I_FAIL)
		return -1;
	if (it->kind == I_BOUNDARY)
		return boundary(wk);
	if ((hc = content_of(wk, &it->self, &cid)) < 0)
		return -1;
	if (it->kind == I_ROOT)
		return hc ? record(wk, NULL, &cid, NULL, 0) : 0;
	/* The parent's last: it is the memo for the next commit. */
	if (it->nothers > 0)
		others = xcalloc(it->nothers, sizeof(*others));
	for (i = 0; i < it->nothers; i++) {
		if ((hq = content_of(wk, &it->others[i], &qid)) < 0)
			goto out;
		/* A merge of a branch that main had not moved past. */
		if (hc == hq && (!hc || git_oid_equal(&cid, &qid)))
			own = 0;
		if (tree_lookup(wk, &others[nothers], hq ? &qid : NULL) < 0)
			goto out;
		nothers++;
	}
	/* The walk could not read a parent: after what came before it. */
	if (it->err != NULL)
		goto out;
	if ((hp = content_of(wk, &it->parent, &pid)) < 0)
		goto out;
	if (hc == hp && (!hc || git_oid_equal(&cid, &pid)))
		own = 0;
	if (own && record(wk, hp ? &pid : NULL, hc ? &cid : NULL,
	    others, nothers) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < nothers; i++)
		git_tree_free(others[i]);
	free(others);
	return rc;
}

/* Compares item at (the at-th of the plan), noting a failure. */
static void
work(struct worker *wk, struct item *it, size_t at)
{
	size_t f;

	it->worker = (int)(wk - wk->w->workers);
	it->changes = wk->nchanges;
	it->marks = wk->nmarks;
	if (compare(wk, it) == 0)
		return;
	/* Its own reason comes first; the walk's was for later. */
	if (wk->d.len > 0) {
		if (it->err != NULL) {
			diags_free(it->err);
			free(it->err);
		}
		it->err = xcalloc(1, sizeof(*it->err));
		diags_move(it->err, &wk->d);
	}
	f = atomic_load(&wk->w->fail);
	while (at < f && !atomic_compare_exchange_weak(&wk->w->fail, &f, at))
		;
}

/*
 * Compares the items of the blocks as they are published, until the plan
 * is complete. Items after one that failed are left: the load fails with
 * the first failure in the plan's order, whichever thread met it.
 */
static void
work_blocks(struct worker *wk)
{
	struct walk *w = wk->w;
	struct block *b;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (w->next == w->nblocks && !w->done)
			pthread_cond_wait(&w->more, &w->lock);
		b = w->next < w->nblocks ? w->blocks[w->next++] : NULL;
		pthread_mutex_unlock(&w->lock);
		if (b == NULL)
			return;
		for (i = 0; i < b->n; i++) {
			if (b->first + i > atomic_load(&w->fail))
				break;
			work(wk, &b->v[i], b->first + i);
		}
	}
}

/* Lets go of the worker's libgit2 objects, on the thread that used them. */
static void
worker_close(struct worker *wk)
{
	size_t i;

	for (i = 0; i < RECENT_TREES; i++) {
		rtree_unref(wk->recent[i]);
		wk->recent[i] = NULL;
	}
	git_odb_free(wk->odb);
	wk->odb = NULL;
	if (wk->own)
		git_repository_free(wk->git);
	wk->git = NULL;
}

/*
 * A thread of the walk: a repository handle of its own on the same
 * folder, with the repository's configuration (renames follow its
 * diff.renameLimit). One that cannot be opened leaves the work to the
 * others; the calling thread works too, so that the walk always ends.
 */
static void *
worker_main(void *arg)
{
	struct worker *wk = arg;

	if (git_repository_open_ext(&wk->git, wk->w->gitdir,
	    GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
	    NULL) < 0)
		return NULL;
	wk->own = 1;
	if (git_repository_odb(&wk->odb, wk->git) == 0)
		work_blocks(wk);
	worker_close(wk);
	return NULL;
}

static void
worker_free(struct worker *wk)
{
	worker_close(wk);
	diags_free(&wk->d);
	arena_free(&wk->arena);
	free(wk->changes);
	free(wk->marks);
	free(wk->ds);
	free(wk->scratch);
}

/* The plan: made on the calling thread, from commits. */

/* Starts the threads, once there is a block for them to take. */
static void
start_workers(struct walk *w)
{
	int i;

	w->started = 1;
	for (i = 1; i < w->jobs; i++)
		if (pthread_create(&w->workers[i].thread, NULL, worker_main,
		    &w->workers[i]) != 0)
			break;	/* fewer threads is slower, not wrong */
	w->jobs = i;
}

/* Hands the block being planned to the workers; last: the plan is done. */
static void
publish(struct walk *w, int last)
{
	pthread_mutex_lock(&w->lock);
	if (w->cur != NULL) {
		w->blocks = xgrow(w->blocks, &w->capblocks, w->nblocks + 1,
		    sizeof(*w->blocks));
		w->blocks[w->nblocks++] = w->cur;
		w->cur = NULL;
	}
	if (last)
		w->done = 1;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
	if (!last && !w->started)
		start_workers(w);
}

/* A new item at the end of the plan: commit c (or NULL), dated by when. */
static struct item *
item_new(struct walk *w, enum item_kind kind, git_commit *c,
    git_commit *when)
{
	struct item *it;

	if (w->cur != NULL && w->cur->n == BLOCK)
		publish(w, 0);
	if (w->cur == NULL) {
		w->cur = xcalloc(1, sizeof(*w->cur));
		w->cur->first = w->nitems;
	}
	it = &w->cur->v[w->cur->n++];
	w->nitems++;
	it->kind = kind;
	if (c != NULL) {
		git_commit_dup(&it->c, c);
		git_commit_dup(&it->when, when);
		git_oid_cpy(&it->self.id, git_commit_id(c));
		git_oid_cpy(&it->self.tree, git_commit_tree_id(c));
	}
	return it;
}

/* The diagnostics of a failure of item it, found by the walk. */
static struct diags *
item_err(struct walk *w, struct item *it)
{
	size_t f = atomic_load(&w->fail);

	it->err = xcalloc(1, sizeof(*it->err));
	while (w->nitems - 1 < f &&
	    !atomic_compare_exchange_weak(&w->fail, &f, w->nitems - 1))
		;
	return it->err;
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
 * Plans the comparison of commit c with its first parent, dated by
 * commit when: reads its parents. Gives c's first parent in *parent
 * (NULL at a root or a boundary) if parent is not NULL. Returns 0, or -1
 * with the failure in the plan.
 */
static int
plan(struct walk *w, git_commit *c, git_commit *when, git_commit **parent)
{
	struct item *it;
	git_commit *p = NULL, *q;
	unsigned i, np = git_commit_parentcount(c);
	int rc;

	if (parent != NULL)
		*parent = NULL;
	if (listed_shallow(w, c)) {
		w->shallow = 1;
		item_new(w, I_BOUNDARY, c, when);
		return 0;
	}
	if (np == 0) {
		item_new(w, I_ROOT, c, when);
		return 0;
	}
	if ((rc = git_commit_parent(&p, c, 0)) == GIT_ENOTFOUND) {
		w->shallow = 1;
		item_new(w, I_BOUNDARY, c, when);
		return 0;
	}
	it = item_new(w, I_COMPARE, c, when);
	if (rc < 0) {
		repo_error(item_err(w, it), "", "Check the repository with "
		    "git fsck.", "cannot read the parent of commit %s",
		    repo_short(git_commit_id(c)));
		return -1;
	}
	for (i = 1; i < np; i++) {
		if ((rc = git_commit_parent(&q, c, i)) == GIT_ENOTFOUND) {
			w->shallow = 1;
			continue;
		}
		if (rc < 0) {
			repo_error(item_err(w, it), "", "Check the repository "
			    "with git fsck.", "cannot read a parent of commit "
			    "%s", repo_short(git_commit_id(c)));
			git_commit_free(p);
			return -1;
		}
		it->others = xrealloc(it->others,
		    (it->nothers + 1) * sizeof(*it->others));
		git_oid_cpy(&it->others[it->nothers].id, git_commit_id(q));
		git_oid_cpy(&it->others[it->nothers].tree,
		    git_commit_tree_id(q));
		it->nothers++;
		git_commit_free(q);
	}
	git_oid_cpy(&it->parent.id, git_commit_id(p));
	git_oid_cpy(&it->parent.tree, git_commit_tree_id(p));
	if (parent != NULL)
		*parent = p;
	else
		git_commit_free(p);
	return 0;
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
 * Plans the commits that merge m brings in, each dated by m: newest
 * first, and never a commit after one of its parents.
 */
static int
bring_in(struct walk *w, git_commit *m)
{
	struct rwalk r;
	git_commit *b;
	size_t i, k, n, p, slop = SLOP;
	unsigned np = git_commit_parentcount(m);
	int rc = -1, planned = 0;

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
		rc = plan(w, b, m, NULL);
		git_commit_free(b);
		if (rc < 0) {
			/* The plan says why. */
			planned = 1;
			goto out;
		}
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
	if (rc < 0 && !planned)
		repo_error(item_err(w, item_new(w, I_FAIL, NULL, NULL)), "",
		    "Check the repository with git fsck.",
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
 * Plans the first-parent line from tip until commit stop (not included;
 * NULL: none). Sets *met if stop was reached. Returns 0 (a failure on
 * the way is in the plan, and ends it), or -1 after a diagnostic if the
 * tip cannot be read.
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
	/* A thread's failure ends the walk too: the load fails. */
	while (c != NULL && atomic_load(&w->fail) == NO_FAIL) {
		if (stop != NULL && git_oid_equal(git_commit_id(c), stop)) {
			*met = 1;
			break;
		}
		merge = git_commit_parentcount(c) > 1;
		if (plan(w, c, c, &p) < 0 ||
		    (merge && p != NULL && bring_in(w, c) < 0)) {
			git_commit_free(p);
			break;
		}
		git_commit_free(c);
		c = p;
	}
	git_commit_free(c);
	return 0;
}

/*
 * Joins the items' results in the plan's order, on the calling thread:
 * the records of the commits that changed something, their changes, the
 * boundaries' marks. Returns 0, or -1 with the first item's failure.
 */
static int
collect(struct walk *w)
{
	const struct worker *wk;
	struct hist_mark *m;
	struct item *it;
	size_t b, i, k;

	for (b = 0; b < w->nblocks; b++)
		for (i = 0; i < w->blocks[b]->n; i++) {
			it = &w->blocks[b]->v[i];
			if (it->err != NULL) {
				diags_move(w->d, it->err);
				return -1;
			}
			w->h->walked++;
			wk = &w->workers[it->worker];
			for (k = 0; k < it->nmarks; k++) {
				w->marks = xgrow(w->marks, &w->capmarks,
				    w->nmarks + 1, sizeof(*w->marks));
				m = &w->marks[w->nmarks++];
				*m = wk->marks[it->marks + k];
				m->at = w->ncommits;
			}
			if (it->nchanges == 0)
				continue;
			add_commit(w, it->c, it->when);
			w->changes = xgrow(w->changes, &w->capchanges,
			    w->nchanges + it->nchanges, sizeof(*w->changes));
			memcpy(w->changes + w->nchanges,
			    wk->changes + it->changes,
			    it->nchanges * sizeof(*w->changes));
			w->nchanges += it->nchanges;
			w->commits[w->ncommits - 1].nchanges = it->nchanges;
		}
	return 0;
}

/*
 * Walks: plans the items on this thread while the workers compare them,
 * then compares what is left, and joins the results. Returns 0, or -1
 * after a diagnostic.
 */
static int
walk(struct walk *w, const git_oid *tip, const git_oid *stop, int *met)
{
	int i, rc;

	rc = walk_line(w, tip, stop, met);
	publish(w, 1);
	work_blocks(&w->workers[0]);
	for (i = 1; w->started && i < w->jobs; i++)
		pthread_join(w->workers[i].thread, NULL);
	worker_close(&w->workers[0]);
	if (rc < 0)
		return -1;
	return collect(w);
}

/* Frees the plan and the workers (their arenas unless handed over). */
static void
walk_free(struct walk *w)
{
	struct item *it;
	size_t b, i;
	int k;

	for (b = 0; b < w->nblocks; b++) {
		for (i = 0; i < w->blocks[b]->n; i++) {
			it = &w->blocks[b]->v[i];
			git_commit_free(it->c);
			git_commit_free(it->when);
			free(it->others);
			if (it->err != NULL) {
				diags_free(it->err);
				free(it->err);
			}
		}
		free(w->blocks[b]);
	}
	free(w->blocks);
	for (k = 0; w->workers != NULL && k < w->jobs; k++)
		worker_free(&w->workers[k]);
	free(w->workers);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->more);
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
	size_t i;

	if (h == NULL)
		return;
	free(h->commits);
	free(h->changes);
	free(h->marks);
	free(h->files);
	free(h->vall);
	hmap_free(&h->by_path);
	arena_free(&h->arena);
	for (i = 0; i < h->narenas; i++)
		arena_free(&h->arenas[i]);
	free(h->arenas);
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
	int have = 0, met = 0, rc = -1, shallow = 0, i;

	memset(h, 0, sizeof(*h));
	memset(&w, 0, sizeof(w));
	w.h = h;
	w.git = r->git;
	w.gitdir = xstrdup(git_repository_path(r->git));
	w.sub = xasprintf("%scontent", r->prefix);
	w.trailer = o->trailer;
	w.d = d;
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.more, NULL);
	atomic_init(&w.fail, NO_FAIL);
	w.jobs = o->jobs > 0 ? o->jobs : pool_cores();
	if (w.jobs > MAX_JOBS)
		w.jobs = MAX_JOBS;
	w.workers = xcalloc((size_t)w.jobs, sizeof(*w.workers));
	for (i = 0; i < w.jobs; i++) {
		w.workers[i].w = &w;
		w.workers[i].memohas = -1;
	}
	/* The calling thread's worker uses the caller's handle. */
	w.workers[0].git = r->git;
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
	if (git_repository_odb(&w.workers[0].odb, r->git) < 0) {
		repo_error(d, "", "Check the repository with git fsck.",
		    "cannot open the object database");
		history_free(h);
		goto out;
	}
	if (walk(&w, tip, have ? &cached : NULL, &met) < 0) {
		history_free(h);
		goto out;
	}
	/* The walk set it for what it found; the cache's is older. */
	h->shallow = w.shallow || (have && met && shallow);
	join(h, &w, have && met);
	git_oid_cpy(&h->tip, tip);
	/* The changes' paths are in the workers' arenas: the history's now. */
	h->arenas = xcalloc((size_t)w.jobs, sizeof(*h->arenas));
	for (i = 0; i < w.jobs; i++) {
		h->arenas[h->narenas++] = w.workers[i].arena;
		memset(&w.workers[i].arena, 0, sizeof(w.workers[i].arena));
	}
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
	walk_free(&w);
	hmap_free(&w.shallowids);
	free(w.shallowtext);
	free(w.commits);
	free(w.changes);
	free(w.marks);
	free(w.sub);
	free(w.gitdir);
	return rc;
}
