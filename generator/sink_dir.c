/*
 * The folder sink of output.h. A build writes into a staging folder beside
 * the output folder, which replaces the old output in one atomic exchange
 * only when the whole build has succeeded. A file whose bytes equal the
 * old output's is linked from it rather than written, so unchanged files
 * keep their modification times; files are always created anew, never
 * truncated, so a write can never reach through such a link into the live
 * site.
 *
 * Valo replaces only a folder it made: one with the marker file in it,
 * or an empty one. A lock file beside the output keeps two builds apart.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "util/buf.h"
#include "util/mem.h"

#define MARKER		".valo-output"
#define MARKER_TEXT	"This folder is made by Valo: every build replaces " \
			"it whole.\n"

struct sink_dir {
	struct output	 base;
	char		*final;		/* the output folder */
	char		*staging;	/* beside it, named after it */
	int		 lockfd;
	int		 locked;	/* lockfd holds the lock */
};

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

int
remove_tree(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, rm_entry, 32, FTW_DEPTH | FTW_PHYS);
}

/*
 * Makes the folders above path. Most often only the last one is missing
 * (the page's own folder), so that is tried first, going up only on ENOENT.
 */
static int
make_dir(char *p)
{
	char *s;
	int rc;

	if (mkdir(p, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT || (s = strrchr(p, '/')) == NULL || s == p)
		return -1;
	*s = '\0';
	rc = make_dir(p);
	*s = '/';
	return rc == 0 && (mkdir(p, 0755) == 0 || errno == EEXIST) ? 0 : -1;
}

static int
make_parents(const char *path)
{
	char *p = xstrdup(path), *s = strrchr(p, '/');
	int rc = 0;

	if (s != NULL && s != p) {
		*s = '\0';
		rc = make_dir(p);
	}
	free(p);
	return rc;
}

/* "dir/public" + ".staging" -> "dir/.public.staging". */
static char *
beside(const char *dir, const char *suffix)
{
	const char *slash = strrchr(dir, '/');

	if (slash == NULL)
		return xasprintf(".%s%s", dir, suffix);
	return xasprintf("%.*s/.%s%s", (int)(slash - dir), dir, slash + 1,
	    suffix);
}

/* A new file: never one that is there, which may be linked to the old. */
static int
create_at(int fd, const char *path)
{
	return openat(fd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

/* Returns 1 if the file path below fd (or AT_FDCWD) holds exactly data. */
static int
same_at(int fd, const char *tail, const void *data, size_t len)
{
	char chunk[65536];
	struct stat st;
	size_t off = 0;
	ssize_t n;
	int f, same = 0;

	if ((f = openat(fd, tail, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(f, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == len) {
		same = 1;
		while (same && off < len) {
			n = read(f, chunk, sizeof(chunk));
			if (n <= 0 || memcmp(chunk, (const char *)data + off,
			    (size_t)n) != 0)
				same = 0;
			else
				off += (size_t)n;
		}
	}
	close(f);
	return same;
}

/* Writes all of data to fd and closes it. Returns 0, or -1 with errno. */
static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;
	int saved;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

static void
dir_cursor_close(struct output_cursor *c)
{
	if (c->base != NULL) {
		close(c->newfd);
		if (c->oldfd != -1)
			close(c->oldfd);
	}
	free(c->base);
	c->base = NULL;
	c->newfd = c->oldfd = -1;
}

/*
 * Points c at the folder holding rel's own folder and returns the rest of
 * rel ("slug/index.html"), or NULL if the folders cannot be opened.
 */
static const char *
cursor_at(struct sink_dir *o, struct output_cursor *c, const char *rel)
{
	const char *last = strrchr(rel, '/'), *cut = NULL, *p;
	char *path;
	size_t n;

	for (p = rel; last != NULL && p < last; p++)
		if (*p == '/')
			cut = p;
	n = cut ? (size_t)(cut - rel) : 0;
	if (c->base != NULL && strlen(c->base) == n &&
	    strncmp(c->base, rel, n) == 0)
		return rel + (cut ? n + 1 : 0);
	dir_cursor_close(c);
	path = xasprintf("%s/%.*s", o->staging, (int)n, rel);
	if (make_dir(path) == -1 ||
	    (c->newfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		free(path);
		return NULL;
	}
	free(path);
	path = xasprintf("%s/%.*s", o->final, (int)n, rel);
	c->oldfd = o->base.have_old ? open(path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC) : -1;
	free(path);
	c->base = xstrndup(rel, n);
	return rel + (cut ? n + 1 : 0);
}

/* Makes the folder of tail (a path with at most one '/') below fd. */
static void
make_leaf_dir(int fd, const char *tail)
{
	const char *slash = strchr(tail, '/');
	char *dir;

	if (slash == NULL)
		return;
	dir = xstrndup(tail, (size_t)(slash - tail));
	mkdirat(fd, dir, 0755);
	free(dir);
}

static int
link_at(struct output_cursor *c, const char *tail)
{
	if (linkat(c->oldfd, tail, c->newfd, tail, 0) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	make_leaf_dir(c->newfd, tail);
	return linkat(c->oldfd, tail, c->newfd, tail, 0);
}

static int
dir_keep(struct output *base, struct output_cursor *c, const char *rel)
{
	struct sink_dir *o = (struct sink_dir *)base;
	const char *tail = cursor_at(o, c, rel);

	if (tail == NULL || c->oldfd == -1 || link_at(c, tail) == -1)
		return -1;
	atomic_fetch_add(&o->base.kept, 1);
	return 0;
}

static int
dir_write(struct output *base, struct output_cursor *c, const char *rel,
    const void *data, size_t len)
{
	struct sink_dir *o = (struct sink_dir *)base;
	const char *tail = cursor_at(o, c, rel);
	int fd;

	if (tail == NULL)
		return -1;
	if (c->oldfd != -1 && same_at(c->oldfd, tail, data, len)) {
		if (link_at(c, tail) == 0) {
			atomic_fetch_add(&o->base.kept, 1);
			return 0;
		}
		if (errno == EEXIST)
			return -1;
	}
	fd = create_at(c->newfd, tail);
	if (fd == -1 && errno == ENOENT) {
		make_leaf_dir(c->newfd, tail);
		fd = create_at(c->newfd, tail);
	}
	if (fd == -1 || write_all(fd, data, len) == -1)
		return -1;
	atomic_fetch_add(&o->base.written, 1);
	return 0;
}

/*
 * Removes the previous output, now at path. Removing ten thousand folders
 * takes longer than the rest of a rebuild, and nobody needs to wait for
 * it: the tree is renamed aside and removed by a grandchild process in a
 * session of its own, with none of valo's open files (`valo build | cat`
 * must not wait for it). The child exits at once and is reaped here; the
 * grandchild is then init's to reap. It keeps no file of valo's open, the
 * lock least of all. Without processes it is removed here.
 */
static void
discard(const char *path, struct diags *d)
{
	char *trash = xasprintf("%s.trash.%ld", path, (long)getpid());
	pid_t pid;
	int null, status;

	if (rename(path, trash) == 0 && (pid = fork()) != -1) {
		if (pid == 0) {
			if ((null = open("/dev/null", O_RDWR)) != -1) {
				dup2(null, STDIN_FILENO);
				dup2(null, STDOUT_FILENO);
				dup2(null, STDERR_FILENO);
			}
			/* The output's lock above all: the next build waits. */
			close_range(3, ~0U, 0);
			setsid();
			if (fork() == 0) {
				remove_tree(trash);
				_exit(0);
			}
			_exit(0);
		}
		waitpid(pid, &status, 0);
		free(trash);
		return;
	}
	if (remove_tree(access(trash, F_OK) == 0 ? trash : path) == -1)
		diag_warn(d, path, 0, 0, "Remove it by hand.",
		    "cannot remove the previous output: %s", strerror(errno));
	free(trash);
}

int
output_swap_by_rename(const char *staging, const char *final,
    const char *aside)
{
	int saved;

	if (remove_tree(aside) == -1 || rename(final, aside) == -1)
		return -1;
	if (rename(staging, final) == 0)
		return 0;
	saved = errno;
	/* The old site comes back: never no site at all. */
	rename(aside, final);
	errno = saved;
	return -1;
}

static int
dir_begin(struct output *base, struct diags *d)
{
	struct sink_dir *o = (struct sink_dir *)base;
	struct output_cursor c = { NULL, -1, -1 };

	/* A staging folder left by a build that was killed. */
	if (remove_tree(o->staging) == -1 || make_parents(o->staging) == -1 ||
	    mkdir(o->staging, 0755) == -1) {
		diag_error(d, o->staging, 0, 0,
		    "Check that the folder is writable.",
		    "cannot make the staging folder: %s", strerror(errno));
		return -1;
	}
	if (dir_write(base, &c, MARKER, MARKER_TEXT, strlen(MARKER_TEXT))
	    == -1) {
		dir_cursor_close(&c);
		diag_error(d, o->staging, 0, 0,
		    "Check that the folder is writable.",
		    "cannot write into the staging folder: %s",
		    strerror(errno));
		return -1;
	}
	dir_cursor_close(&c);
	/* The marker is Valo's, not one of the site's files. */
	atomic_store(&o->base.written, 0);
	atomic_store(&o->base.kept, 0);
	return 0;
}

static int
dir_commit(struct output *base, struct diags *d)
{
	struct sink_dir *o = (struct sink_dir *)base;
	char *old;

	if (!o->base.have_old) {
		/* An empty folder, or none: make way for the new one. */
		if (rmdir(o->final) == -1 && errno != ENOENT &&
		    remove_tree(o->final) == -1)
			goto fail;
		if (rename(o->staging, o->final) == 0)
			return 0;
		goto fail;
	}
	/* One atomic step: readers see either the old or the new site. */
	if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->final,
	    RENAME_EXCHANGE) == 0) {
		discard(o->staging, d);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		goto fail;
	/* Filesystems without the exchange: two renames, a short gap. */
	old = xasprintf("%s.old", o->staging);
	if (output_swap_by_rename(o->staging, o->final, old) == -1) {
		free(old);
		goto fail;
	}
	discard(old, d);
	free(old);
	return 0;
fail:
	diag_error(d, o->final, 0, 0, "Check that the folder is writable.",
	    "cannot put the new output in place: %s", strerror(errno));
	remove_tree(o->staging);
	return -1;
}

static void
dir_abort(struct output *base)
{
	struct sink_dir *o = (struct sink_dir *)base;

	remove_tree(o->staging);
}

static void
dir_free(struct output *base)
{
	struct sink_dir *o = (struct sink_dir *)base;

	/*
	 * Closing the lock file releases the lock; the file stays, emptied
	 * first so that nobody is told of a build that has ended.
	 */
	if (o->lockfd != -1) {
		if (o->locked)
			(void)!ftruncate(o->lockfd, 0);
		close(o->lockfd);
	}
	free(o->final);
	free(o->staging);
	free(o->base.name);
	free(o->base.cache);
	free(o);
}

static const struct output_ops dir_ops = {
	dir_begin, dir_write, dir_keep, dir_cursor_close, dir_commit,
	dir_abort, dir_free
};

/*
 * Takes the lock beside the output. Returns 0, or -1 after a diagnostic
 * naming the process that holds it.
 */
static int
lock(struct sink_dir *o, struct diags *d)
{
	char *path = beside(o->final, ".valo-lock"), who[64];
	ssize_t n;

	if (make_parents(path) == -1 || (o->lockfd = open(path,
	    O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		diag_error(d, path, 0, 0, "Check that the folder is writable.",
		    "cannot make the lock file: %s", strerror(errno));
		free(path);
		return -1;
	}
	if (flock(o->lockfd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(o->lockfd, who, sizeof(who) - 1, 0);
		who[n > 0 ? n : 0] = '\0';
		who[strcspn(who, "\n")] = '\0';
		if (*who)
			diag_error(d, o->final, 0, 0, "Wait for it to finish, "
			    "then build again.", "another valo (process %s) is "
			    "building into this folder now", who);
		else
			diag_error(d, o->final, 0, 0, "Wait for it to finish, "
			    "then build again.", "another valo is building "
			    "into this folder now");
		free(path);
		return -1;
	}
	o->locked = 1;
	/* Who holds it, for the message above in another build. */
	n = snprintf(who, sizeof(who), "%ld\n", (long)getpid());
	if (ftruncate(o->lockfd, 0) == 0)
		(void)!pwrite(o->lockfd, who, (size_t)n, 0);
	free(path);
	return 0;
}

/* Returns 1 if real is dir or inside it. */
static int
under(const char *real, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return strncmp(real, dir, n) == 0 && (real[n] == '/' || real[n] == 0);
}

/* The canonical path of dir, which need not exist yet. */
static char *
real_out(const char *dir)
{
	char *real = realpath(dir, NULL), *parent, *slash, *r;

	if (real != NULL || errno != ENOENT)
		return real;
	parent = xstrdup(dir);
	if ((slash = strrchr(parent, '/')) == NULL)
		r = realpath(".", NULL);
	else {
		*slash = '\0';
		r = real_out(*parent ? parent : "/");
	}
	if (r != NULL) {
		real = xasprintf("%s/%s", strcmp(r, "/") ? r : "",
		    slash ? slash + 1 : dir);
		free(r);
	}
	free(parent);
	return real;
}

/* Refuses an output folder that holds or is the site's own sources. */
static int
check_place(struct sink_dir *o, const char *root, struct diags *d)
{
	static const char *const kept[] = { "content", "themes", ".git" };
	char *out = real_out(o->final), *site = realpath(root, NULL), *p;
	size_t i;
	int rc = 0;

	if (out == NULL || site == NULL) {
		diag_error(d, o->final, 0, 0, NULL,
		    "cannot find the output folder: %s", strerror(errno));
		rc = -1;
		goto out;
	}
	if (under(site, out)) {
		diag_error(d, o->final, 0, 0, "Build into a folder of its "
		    "own, such as public.", "the output folder holds the "
		    "site itself; Valo would replace the site's sources");
		rc = -1;
	}
	for (i = 0; rc == 0 && i < sizeof(kept) / sizeof(kept[0]); i++) {
		p = xasprintf("%s/%s", site, kept[i]);
		if (under(out, p)) {
			diag_error(d, o->final, 0, 0, "Build into a folder of "
			    "its own, such as public.", "the output folder is "
			    "inside %s/; Valo would replace the site's "
			    "sources", kept[i]);
			rc = -1;
		}
		free(p);
	}
out:
	free(out);
	free(site);
	return rc;
}

/*
 * Valo 0.1 wrote no marker, but its rebuild cache beside the output shows
 * that it made the folder.
 */
static int
made_before_markers(const char *dir)
{
	char *cache = beside(dir, ".valo-cache"), head[16];
	ssize_t n = 0;
	int fd;

	if ((fd = open(cache, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, head, sizeof(head));
		close(fd);
	}
	free(cache);
	return n >= 11 && memcmp(head, "valo-cache ", 11) == 0;
}

/*
 * Returns 1 if dir may be replaced: it has the marker, or nothing in it.
 * Sets *exists and *empty.
 */
static int
ours(const char *dir, int *exists, int *empty, struct diags *d)
{
	struct dirent *e;
	struct stat st;
	char *marker;
	DIR *f;
	int mine;

	*exists = *empty = 0;
	if (lstat(dir, &st) == -1)
		return errno == ENOENT;
	*exists = 1;
	if (!S_ISDIR(st.st_mode)) {
		diag_error(d, dir, 0, 0, "Give --out a folder.",
		    "the output is not a folder");
		return -1;
	}
	marker = xasprintf("%s/" MARKER, dir);
	mine = lstat(marker, &st) == 0 && S_ISREG(st.st_mode);
	free(marker);
	if (mine || made_before_markers(dir))
		return 1;
	if ((f = opendir(dir)) == NULL)
		return 0;
	*empty = 1;
	while ((e = readdir(f)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			*empty = 0;
			break;
		}
	closedir(f);
	return *empty;
}

struct output *
output_dir_open(const char *dir, const char *root, int force,
    struct diags *d)
{
	struct sink_dir *o = xcalloc(1, sizeof(*o));
	int mine, exists, empty;

	o->base.ops = &dir_ops;
	o->base.from_workers = 1;
	o->base.name = xstrdup(dir);
	o->base.cache = beside(dir, ".valo-cache");
	o->final = xstrdup(dir);
	o->staging = beside(dir, ".staging");
	o->lockfd = -1;
	if (check_place(o, root, d) == -1 || lock(o, d) == -1)
		goto fail;
	if ((mine = ours(dir, &exists, &empty, d)) == -1)
		goto fail;
	if (!mine && !force) {
		diag_error(d, dir, 0, 0, "Give --out a new or empty folder, "
		    "or replace this one and everything in it with --force.",
		    "the folder exists and was not made by Valo; not "
		    "replacing it");
		goto fail;
	}
	o->base.have_old = exists && !empty;
	return &o->base;
fail:
	dir_free(&o->base);
	return NULL;
}
