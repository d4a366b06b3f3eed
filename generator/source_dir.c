/*
 * The folder backend of source.h: the site as it is on disk.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "util/mem.h"

/* Folders deeper than this are refused: most likely a link loop. */
#define SOURCE_MAX_DEPTH	32

struct source_dir {
	struct source	 base;
	char		*root;		/* the site folder */
};

static char *
os_path(const struct source_dir *s, const char *path)
{
	return xasprintf("%s/%s", s->root, path);
}

static int
inside(const char *real, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(real, dir, n) == 0 && (real[n] == '/' || real[n] == 0);
}

/* The stat triple that stands for the file's bytes. */
static void
stat_id(const struct stat *st, struct source_file *f)
{
	uint64_t v[3];

	v[0] = (uint64_t)st->st_size;
	v[1] = (uint64_t)st->st_mtim.tv_sec * 1000000000u +
	    (uint64_t)st->st_mtim.tv_nsec;
	v[2] = (uint64_t)st->st_ino;
	memcpy(f->id, v, sizeof(v));
	f->mtime_ns = v[1];
}

static int
walk(struct source_dir *s, const char *rel, const char *realtop,
    const char *prefix, struct source_list *l, struct diags *d, int depth)
{
	DIR *dir = NULL;
	struct dirent *e;
	struct stat st;
	char *os = NULL, *child = NULL, *cos = NULL, *real = NULL;
	int rc = -1;

	if (depth > SOURCE_MAX_DEPTH) {
		diag_error(d, rel, 0, 0, "Check for a link that points to "
		    "one of its own parent folders.",
		    "folders are nested too deeply");
		return -1;
	}
	os = os_path(s, rel);
	if ((dir = opendir(os)) == NULL) {
		rc = errno == ENOENT && depth == 0 ? 0 : -1;
		if (rc)
			diag_error(d, rel, 0, 0, NULL,
			    "cannot read the folder: %s", strerror(errno));
		goto out;
	}
	rc = 0;
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		free(child);
		free(cos);
		child = xasprintf("%s/%s", rel, e->d_name);
		cos = os_path(s, child);
		/* Relative to the open folder: no walk of the whole path. */
		if (fstatat(dirfd(dir), e->d_name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1) {
			diag_error(d, child, 0, 0, NULL, "cannot read: %s",
			    strerror(errno));
			rc = -1;
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			free(real);
			real = realpath(cos, NULL);
			if (real == NULL || !inside(real, realtop)) {
				if (real == NULL)
					diag_error(d, child, 0, 0,
					    "Copy the file into the folder "
					    "instead, or remove the link.",
					    "symbolic link points outside %s/ "
					    "(or nowhere)", prefix);
				else
					diag_error(d, child, 0, 0,
					    "Copy the file into the folder "
					    "instead, or remove the link.",
					    "symbolic link points outside %s/",
					    prefix);
				rc = -1;
				continue;
			}
			if (stat(cos, &st) == -1) {
				rc = -1;
				continue;
			}
		}
		if (S_ISDIR(st.st_mode)) {
			if (walk(s, child, realtop, prefix, l, d,
			    depth + 1) == -1)
				rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			struct source_file *f;
			l->v = xgrow(l->v, &l->cap, l->len + 1, sizeof(*l->v));
			f = &l->v[l->len++];
			f->path = xstrdup(child + strlen(prefix) + 1);
			stat_id(&st, f);
		}
	}
out:
	if (dir)
		closedir(dir);
	free(os);
	free(child);
	free(cos);
	free(real);
	return rc;
}

static int
dir_list(struct source *base, const char *dir, struct source_list *l,
    struct diags *d)
{
	struct source_dir *s = (struct source_dir *)base;
	char *os = os_path(s, dir), *realtop = realpath(os, NULL);
	int rc;

	memset(l, 0, sizeof(*l));
	free(os);
	if (realtop == NULL)
		return 0;
	rc = walk(s, dir, realtop, dir, l, d, 0);
	free(realtop);
	source_list_sort(l);
	return rc;
}

static int
dir_read(struct source *base, const char *path, struct buf *out, size_t max,
    uint64_t *size)
{
	struct source_dir *s = (struct source_dir *)base;
	char *os = os_path(s, path);
	struct stat st;
	size_t want;
	ssize_t n;
	int fd, saved;

	buf_reset(out);
	fd = open(os, O_RDONLY | O_CLOEXEC);
	free(os);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	want = (size_t)st.st_size;
	if (max && want > max)
		want = max;
	buf_grow(out, want);
	while (out->len < want) {
		n = read(fd, out->data + out->len, want - out->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
	if (size)
		*size = (uint64_t)st.st_size;
	close(fd);
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

static void
dir_free(struct source *base)
{
	struct source_dir *s = (struct source_dir *)base;

	free(s->root);
	free(s->base.name);
	free(s);
}

static const struct source_ops dir_ops = { dir_list, dir_read, dir_free };

struct source *
source_dir_open(const char *root, struct diags *d)
{
	struct source_dir *s;
	struct stat st;

	if (stat(root, &st) == -1 || !S_ISDIR(st.st_mode)) {
		diag_error(d, root, 0, 0, "Check the -C folder.",
		    "cannot open the site folder: %s",
		    strerror(S_ISDIR(st.st_mode) ? errno : ENOTDIR));
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &dir_ops;
	s->base.name = xstrdup("the working folder");
	s->root = xstrdup(root);
	return &s->base;
}
