#include <errno.h>
#include <stdlib.h>

#include "output.h"

int
output_begin(struct output *o, struct diags *d)
{
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

void
output_cursor_close(struct output *o, struct output_cursor *c)
{
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
