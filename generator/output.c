#include <sys/stat.h>

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

int
output_begin(struct output *o, const char *dir, struct diags *d)
{
	const char *slash = strrchr(dir, '/');
	struct stat st;

	memset(o, 0, sizeof(o[0]));
	o->final = xstrdup(dir);
	if (slash)
		o->staging = xasprintf("%.*s/.%s.staging",
		    (int)(slash - dir), dir, slash + 1);
	else
		o->staging = xasprintf(".%s.staging", dir);
	o->have_old = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	/* A staging folder left by a build that was killed. */
	if (remove_tree(o->staging) == -1 || make_parents(o->staging) == -1 ||
	    mkdir(o->staging, 0755) == -1) {
		diag_error(d, o->staging, 0, 0,
		    "Check that the folder is writable.",
		    "cannot make the staging folder: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd == -1 && errno == ENOENT) {
		make_parents(path);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	return fd;
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

static int
link_old(struct output *o, const char *rel, const char *to)
{
	char *from = xasprintf("%s/%s", o->final, rel);
	int rc = link(from, to);

	if (rc == -1 && errno == ENOENT) {
		make_parents(to);
		rc = link(from, to);
	}
	free(from);
	return rc;
}

int
output_write(struct output *o, const char *rel, const void *data,
    size_t len)
{
	char *path = xasprintf("%s/%s", o->staging, rel), *old;
	int fd, same, rc = -1;

	if (o->have_old) {
		old = xasprintf("%s/%s", o->final, rel);
		same = same_at(AT_FDCWD, old, data, len);
		free(old);
		if (same && link_old(o, rel, path) == 0) {
			atomic_fetch_add(&o->kept, 1);
			free(path);
			return 0;
		}
	}
	if ((fd = create(path)) != -1 && write_all(fd, data, len) == 0) {
		atomic_fetch_add(&o->written, 1);
		rc = 0;
	}
	free(path);
	return rc;
}

void
output_cursor_close(struct output_cursor *c)
{
	if (c->base != NULL) {
		close(c->newfd);
		if (c->oldfd != -1)
			close(c->oldfd);
	}
	free(c->base);
	memset(c, 0, sizeof(*c));
}

/*
 * Points c at the folder holding rel's own folder and returns the rest of
 * rel ("slug/index.html"), or NULL if the folders cannot be opened.
 */
static const char *
cursor_at(struct output *o, struct output_cursor *c, const char *rel)
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
	output_cursor_close(c);
	path = xasprintf("%s/%.*s", o->staging, (int)n, rel);
	if (make_dir(path) == -1 ||
	    (c->newfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		free(path);
		return NULL;
	}
	free(path);
	path = xasprintf("%s/%.*s", o->final, (int)n, rel);
	c->oldfd = o->have_old ? open(path, O_RDONLY | O_DIRECTORY |
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

int
output_keep(struct output *o, struct output_cursor *c, const char *rel)
{
	const char *tail = cursor_at(o, c, rel);

	if (tail == NULL || c->oldfd == -1 || link_at(c, tail) == -1)
		return -1;
	atomic_fetch_add(&o->kept, 1);
	return 0;
}

int
output_page(struct output *o, struct output_cursor *c, const char *rel,
    const void *data, size_t len)
{
	const char *tail = cursor_at(o, c, rel);
	int fd;

	if (tail == NULL)
		return output_write(o, rel, data, len);
	if (c->oldfd != -1 && same_at(c->oldfd, tail, data, len) &&
	    link_at(c, tail) == 0) {
		atomic_fetch_add(&o->kept, 1);
		return 0;
	}
	fd = openat(c->newfd, tail, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644);
	if (fd == -1 && errno == ENOENT) {
		make_leaf_dir(c->newfd, tail);
		fd = openat(c->newfd, tail, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0644);
	}
	if (fd == -1 || write_all(fd, data, len) == -1)
		return -1;
	atomic_fetch_add(&o->written, 1);
	return 0;
}

int
output_copy(struct output *o, const char *rel, const char *from)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int fd, rc;

	if ((fd = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(&b, chunk, (size_t)n);
	close(fd);
	rc = n == -1 ? -1 : output_write(o, rel, b.data ? b.data : "", b.len);
	buf_free(&b);
	return rc;
}

/*
 * Removes the previous output, now at path. Removing ten thousand folders
 * takes longer than the rest of a rebuild, and nobody needs to wait for
 * it: the tree is renamed aside and a child process removes it while valo
 * returns. Without a child it is removed here.
 */
static void
discard(const char *path, struct diags *d)
{
	char *trash = xasprintf("%s.trash.%ld", path, (long)getpid());
	pid_t pid;

	if (rename(path, trash) == 0 && (pid = fork()) != -1) {
		if (pid == 0) {
			/* A new session: the shell's ^C does not stop it. */
			setsid();
			remove_tree(trash);
			_exit(0);
		}
		free(trash);
		return;
	}
	if (remove_tree(access(trash, F_OK) == 0 ? trash : path) == -1)
		diag_warn(d, path, 0, 0, "Remove it by hand.",
		    "cannot remove the previous output: %s", strerror(errno));
	free(trash);
}

int
output_commit(struct output *o, struct diags *d)
{
	char *old;

	if (!o->have_old) {
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
	if (remove_tree(old) == -1 || rename(o->final, old) == -1 ||
	    rename(o->staging, o->final) == -1) {
		free(old);
		goto fail;
	}
	remove_tree(old);
	free(old);
	return 0;
fail:
	diag_error(d, o->final, 0, 0, "Check that the folder is writable.",
	    "cannot put the new output in place: %s", strerror(errno));
	output_abort(o);
	return -1;
}

void
output_abort(struct output *o)
{
	if (o->staging)
		remove_tree(o->staging);
}

void
output_free(struct output *o)
{
	free(o->final);
	free(o->staging);
	memset(o, 0, sizeof(*o));
}
