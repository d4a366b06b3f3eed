#include <errno.h>
#include <stdlib.h>

#include "output.h"
#include "util/mem.h"

int
output_begin(struct output *o, struct diags *d)
{
	atomic_store(&o->written, 0);
	atomic_store(&o->kept, 0);
	return o->ops->begin(o, d);
}

int
output_page(struct output *o, struct output_cursor *c, const char *rel,
    const void *data, size_t len)
{
	return o->ops->write(o, c, rel, data, len);
}

int
output_write(struct output *o, const char *rel, const void *data,
    size_t len)
{
	struct output_cursor c = { NULL, -1, -1 };
	int rc = o->ops->write(o, &c, rel, data, len);

	output_cursor_close(o, &c);
	return rc;
}

int
output_keep(struct output *o, struct output_cursor *c, const char *rel)
{
	if (o->ops->keep == NULL || !o->have_old) {
		errno = ENOENT;
		return -1;
	}
	return o->ops->keep(o, c, rel);
}

static const struct output_ops prefix_ops;
static struct output *unprefixed(struct output *);

void
output_cursor_close(struct output *o, struct output_cursor *c)
{
	/* A prefix sink's cursors are its parent's. */
	o = unprefixed(o);
	if (o->ops->cursor_close)
		o->ops->cursor_close(c);
}

int
output_commit(struct output *o, struct diags *d)
{
	return o->ops->commit(o, d);
}

void
output_abort(struct output *o)
{
	o->ops->abort(o);
}

void
output_free(struct output *o)
{
	if (o != NULL)
		o->ops->free(o);
}

/*
 * The prefix sink: files written below a folder of another output that a
 * build has begun (an archived version inside the site). It begins and
 * commits nothing itself; the output around it does.
 */
struct output_prefix {
	struct output	 base;
	struct output	*parent;
	char		*prefix;	/* "versiot/strategia-2022/" */
};

static int
prefix_begin(struct output *o, struct diags *d)
{
	(void)o;
	(void)d;
	return 0;
}

static int
prefix_write(struct output *base, struct output_cursor *c, const char *rel,
    const void *data, size_t len)
{
	struct output_prefix *o = (struct output_prefix *)base;
	char *path = xasprintf("%s%s", o->prefix, rel);
	int rc = o->parent->ops->write(o->parent, c, path, data, len);

	free(path);
	return rc;
}

static int
prefix_commit(struct output *o, struct diags *d)
{
	(void)o;
	(void)d;
	return 0;
}

static void
prefix_abort(struct output *o)
{
	(void)o;
}

static void
prefix_free(struct output *base)
{
	struct output_prefix *o = (struct output_prefix *)base;

	free(o->prefix);
	free(o->base.name);
	free(o);
}

static const struct output_ops prefix_ops = {
	prefix_begin, prefix_write, NULL, NULL, prefix_commit, prefix_abort,
	prefix_free
};

static struct output *
unprefixed(struct output *o)
{
	while (o->ops == &prefix_ops)
		o = ((struct output_prefix *)o)->parent;
	return o;
}

struct output *
output_prefix_new(struct output *parent, const char *prefix)
{
	struct output_prefix *o = xcalloc(1, sizeof(*o));

	o->base.ops = &prefix_ops;
	o->base.name = xasprintf("%s/%s", parent->name, prefix);
	o->base.from_workers = parent->from_workers;
	o->parent = parent;
	o->prefix = xstrdup(prefix);
	return &o->base;
}
