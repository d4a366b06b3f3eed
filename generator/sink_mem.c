/*
 * The memory sink of output.h: every file kept in memory, for the preview
 * server and for tests. Files written by a build become visible together
 * at commit; an aborted build leaves the previous ones.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util/hmap.h"
#include "util/mem.h"

/* A file, shared by the live build and the next one that kept it. */
struct mem_file {
	char		*path;
	char		*data;
	size_t		 len;
	unsigned	 refs;
};

struct files {
	struct mem_file	**v;
	size_t		 len;
	size_t		 cap;
	struct hmap	 by_path;
	/* Carried over from the live build: a write replaces them. */
	struct hmap	 carried;
};

struct sink_mem {
	struct output	 base;
	pthread_mutex_t	 lock;		/* of next, for the writers */
	pthread_rwlock_t live_lock;	/* of live: readers and commit */
	struct files	 live;		/* what readers see */
	struct files	 next;		/* the build under way */
};

static void
file_drop(struct mem_file *f)
{
	if (--f->refs > 0)
		return;
	free(f->path);
	free(f->data);
	free(f);
}

static void
files_free(struct files *f)
{
	size_t i;

	for (i = 0; i < f->len; i++)
		file_drop(f->v[i]);
	free(f->v);
	hmap_free(&f->by_path);
	hmap_free(&f->carried);
	memset(f, 0, sizeof(*f));
}

static void
files_add(struct files *fs, struct mem_file *f)
{
	fs->v = xgrow(fs->v, &fs->cap, fs->len + 1, sizeof(*fs->v));
	fs->v[fs->len++] = f;
}

static int
mem_begin(struct output *base, struct diags *d)
{
	struct sink_mem *o = (struct sink_mem *)base;

	(void)d;
	files_free(&o->next);
	return 0;
}

static int
mem_write(struct output *base, struct output_cursor *c, const char *rel,
    const void *data, size_t len)
{
	struct sink_mem *o = (struct sink_mem *)base;
	struct mem_file *f = xcalloc(1, sizeof(*f)), *old;
	size_t i;
	int rc = 0;

	(void)c;
	f->path = xstrdup(rel);
	f->data = xmalloc(len + 1);
	memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	f->refs = 1;
	pthread_mutex_lock(&o->lock);
	if ((old = hmap_put(&o->next.by_path, f->path, f)) == NULL)
		files_add(&o->next, f);
	else if (hmap_get(&o->next.carried, rel) == old) {
		/* A page written again over the build it was carried from. */
		for (i = 0; o->next.v[i] != old; i++)
			;
		o->next.v[i] = f;
		hmap_set(&o->next.by_path, rel, f);
		hmap_set(&o->next.carried, rel, NULL);
		file_drop(old);
	} else
		rc = -1;
	pthread_mutex_unlock(&o->lock);
	if (rc == -1) {
		free(f->path);
		free(f->data);
		free(f);
		errno = EEXIST;
		return -1;
	}
	atomic_fetch_add(&o->base.written, 1);
	return 0;
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp((*(struct mem_file *const *)a)->path,
	    (*(struct mem_file *const *)b)->path);
}

static const struct output_ops mem_ops;

/* Shares the live build's file rel with the next one. */
static int
mem_keep(struct output *base, struct output_cursor *c, const char *rel)
{
	struct sink_mem *o = (struct sink_mem *)base;
	struct mem_file *f;
	int rc = 0;

	(void)c;
	pthread_mutex_lock(&o->lock);
	if ((f = hmap_get(&o->live.by_path, rel)) == NULL) {
		errno = ENOENT;
		rc = -1;
	} else if (hmap_put(&o->next.by_path, f->path, f) != NULL) {
		errno = EEXIST;
		rc = -1;
	} else {
		f->refs++;
		files_add(&o->next, f);
	}
	pthread_mutex_unlock(&o->lock);
	if (rc == 0)
		atomic_fetch_add(&o->base.kept, 1);
	return rc;
}

int
output_mem_carry(struct output *base)
{
	struct sink_mem *o = (struct sink_mem *)base;
	struct mem_file *f;
	size_t i;

	if (base->ops != &mem_ops)
		return -1;
	pthread_mutex_lock(&o->lock);
	for (i = 0; i < o->live.len; i++) {
		f = o->live.v[i];
		if (hmap_put(&o->next.by_path, f->path, f) != NULL)
			continue;
		f->refs++;
		files_add(&o->next, f);
		hmap_put(&o->next.carried, f->path, f);
	}
	pthread_mutex_unlock(&o->lock);
	return 0;
}

static int
mem_commit(struct output *base, struct diags *d)
{
	struct sink_mem *o = (struct sink_mem *)base;
	struct hmap by_path = HMAP_INIT;
	size_t i;

	(void)d;
	if (o->next.len > 1)
		qsort(o->next.v, o->next.len, sizeof(*o->next.v), file_cmp);
	/* Anew: a replaced file's key was the path of the one it replaced. */
	for (i = 0; i < o->next.len; i++)
		hmap_put(&by_path, o->next.v[i]->path, o->next.v[i]);
	pthread_mutex_lock(&o->lock);
	hmap_free(&o->next.by_path);
	hmap_free(&o->next.carried);
	o->next.by_path = by_path;
	pthread_rwlock_wrlock(&o->live_lock);
	files_free(&o->live);
	o->live = o->next;
	pthread_rwlock_unlock(&o->live_lock);
	memset(&o->next, 0, sizeof(o->next));
	o->base.have_old = o->live.len > 0;
	pthread_mutex_unlock(&o->lock);
	return 0;
}

static void
mem_abort(struct output *base)
{
	struct sink_mem *o = (struct sink_mem *)base;

	files_free(&o->next);
}

static void
mem_free(struct output *base)
{
	struct sink_mem *o = (struct sink_mem *)base;

	files_free(&o->live);
	files_free(&o->next);
	pthread_mutex_destroy(&o->lock);
	pthread_rwlock_destroy(&o->live_lock);
	free(o->base.name);
	free(o);
}

static const struct output_ops mem_ops = {
	mem_begin, mem_write, mem_keep, NULL, mem_commit, mem_abort, mem_free
};

struct output *
output_mem_new(void)
{
	struct sink_mem *o = xcalloc(1, sizeof(*o));

	o->base.ops = &mem_ops;
	o->base.name = xstrdup("memory");
	pthread_mutex_init(&o->lock, NULL);
	pthread_rwlock_init(&o->live_lock, NULL);
	return &o->base;
}

void
output_mem_read(struct output *base, int begin)
{
	struct sink_mem *o = (struct sink_mem *)base;

	if (begin)
		pthread_rwlock_rdlock(&o->live_lock);
	else
		pthread_rwlock_unlock(&o->live_lock);
}

const char *
output_mem_get(const struct output *base, const char *rel, size_t *len)
{
	const struct sink_mem *o = (const struct sink_mem *)base;
	const struct mem_file *f = hmap_get(&o->live.by_path, rel);

	if (f == NULL)
		return NULL;
	*len = f->len;
	return f->data;
}

void
output_mem_each(const struct output *base,
    void (*fn)(const char *, const char *, size_t, void *), void *arg)
{
	const struct sink_mem *o = (const struct sink_mem *)base;
	size_t i;

	for (i = 0; i < o->live.len; i++)
		fn(o->live.v[i]->path, o->live.v[i]->data, o->live.v[i]->len,
		    arg);
}
