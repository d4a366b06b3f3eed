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
	if (remove_tree(o->staging) == -1 || mkdir(o->staging, 0755) == -1) {
		diag_error(d, o->staging, 0, 0,
		    "Check that the folder is writable.",
		    "cannot make the staging folder: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
make_parents(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	free(p);
	return rc;
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

/* Returns 1 if the file at path holds exactly data. */
static int
same_file(const char *path, const void *data, size_t len)
{
	char chunk[65536];
	struct stat st;
	size_t off = 0;
	ssize_t n;
	int fd, same = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == len) {
		same = 1;
		while (same && off < len) {
			n = read(fd, chunk, sizeof(chunk));
			if (n <= 0 || memcmp(chunk, (const char *)data + off,
			    (size_t)n) != 0)
				same = 0;
			else
				off += (size_t)n;
		}
	}
	close(fd);
	return same;
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
	const char *p = data;
	ssize_t n;
	int fd, rc = -1, saved;

	if (o->have_old) {
		old = xasprintf("%s/%s", o->final, rel);
		n = same_file(old, data, len);
		free(old);
		if (n && link_old(o, rel, path) == 0) {
			atomic_fetch_add(&o->kept, 1);
			free(path);
			return 0;
		}
	}
	if ((fd = create(path)) == -1)
		goto out;
	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1)
		goto out;
	atomic_fetch_add(&o->written, 1);
	rc = 0;
out:
	free(path);
	return rc;
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
		if (remove_tree(o->staging) == -1)
			diag_warn(d, o->staging, 0, 0, "Remove it by hand.",
			    "cannot remove the previous output: %s",
			    strerror(errno));
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
