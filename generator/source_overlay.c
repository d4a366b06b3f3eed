/*
 * One folder of a source seen through another: an archived version of the
 * site is its old content/ with today's settings and theme, so that every
 * version carries the banner that says it is old, and today's accessible
 * templates.
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "util/mem.h"

struct source_overlay {
	struct source	 base;
	struct source	*under;		/* everything else; borrowed */
	struct source	*over;		/* the folder; owned */
	char		*dir;		/* "content" */
	size_t		 dirlen;
};

static int
is_over(const struct source_overlay *s, const char *path)
{
	return strncmp(path, s->dir, s->dirlen) == 0 &&
	    (path[s->dirlen] == '\0' || path[s->dirlen] == '/');
}

static int
ov_list(struct source *base, const char *dir, struct source_list *l,
    struct diags *d)
{
	struct source_overlay *s = (struct source_overlay *)base;

	return source_list(is_over(s, dir) ? s->over : s->under, dir, l, d);
}

static int
ov_read(struct source *base, const char *path, struct buf *out, size_t max,
    uint64_t *size)
{
	struct source_overlay *s = (struct source_overlay *)base;

	return source_read(is_over(s, path) ? s->over : s->under, path, out,
	    max, size);
}

static void
ov_free(struct source *base)
{
	struct source_overlay *s = (struct source_overlay *)base;

	source_free(s->over);
	free(s->dir);
	free(s->base.name);
	free(s);
}

static const struct source_ops overlay_ops = { ov_list, ov_read, ov_free };

struct source *
source_overlay_open(struct source *under, struct source *over,
    const char *dir)
{
	struct source_overlay *s = xcalloc(1, sizeof(*s));

	s->base.ops = &overlay_ops;
	s->base.name = xstrdup(over->name);
	s->under = under;
	s->over = over;
	s->dir = xstrdup(dir);
	s->dirlen = strlen(dir);
	return &s->base;
}
