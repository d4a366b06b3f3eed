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

struct mem_file {
	char	*path;
	char	*data;
	size_t	 len;
};

struct files {
	struct mem_file	**v;
	size_t		 len;
	size_t		 cap;
	struct hmap	 by_path;
};

struct sink_mem {
	struct output	 base;
	pthread_mutex_t	 lock;
	struct files	 live;		/* what readers see */
	struct files	 next;		/* the build under way */
};

static void
files_free(struct files *f)
{
	size_t i;

	for (i = 0; i < f->len; i++) {
		free(f->v[i]->path);
		free(f->v[i]->data);
		free(f->v[i]);
	}
	free(f->v);
	hmap_free(&f->by_path);
	memset(f, 0, sizeof(*f));
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
	struct mem_file *f = xcalloc(1, sizeof(*f));
	int rc = 0;

	(void)c;
	f->path = xstrdup(rel);
	f->data = xmalloc(len + 1);
	memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	pthread_mutex_lock(&o->lock);
	if (hmap_put(&o->next.by_path, f->path, f) != NULL)
		rc = -1;
	else {
		o->next.v = xgrow(o->next.v, &o->next.cap, o->next.len + 1,
		    sizeof(*o->next.v));
		o->next.v[o->next.len++] = f;
	}
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

static int
mem_commit(struct output *base, struct diags *d)
{
	struct sink_mem *o = (struct sink_mem *)base;

	(void)d;
	if (o->next.len > 1)
		qsort(o->next.v, o->next.len, sizeof(*o->next.v), file_cmp);
	pthread_mutex_lock(&o->lock);
	files_free(&o->live);
	o->live = o->next;
	memset(&o->next, 0, sizeof(o->next));
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
	free(o->base.name);
	free(o);
}

static const struct output_ops mem_ops = {
	mem_begin, mem_write, NULL, NULL, mem_commit, mem_abort, mem_free
};

struct output *
output_mem_new(void)
{
	struct sink_mem *o = xcalloc(1, sizeof(*o));

	o->base.ops = &mem_ops;
	o->base.name = xstrdup("memory");
	pthread_mutex_init(&o->lock, NULL);
	return &o->base;
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
