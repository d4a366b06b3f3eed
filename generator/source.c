#include <stdlib.h>
#include <string.h>

#include "source.h"

void
source_free(struct source *s)
{
	if (s != NULL)
		s->ops->free(s);
}

int
source_list(struct source *s, const char *dir, struct source_list *l,
    struct diags *d)
{
	return s->ops->list(s, dir, l, d);
}

int
source_read(struct source *s, const char *path, struct buf *out,
    size_t max, uint64_t *size)
{
	return s->ops->read(s, path, out, max, size);
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct source_file *)a)->path,
	    ((const struct source_file *)b)->path);
}

void
source_list_sort(struct source_list *l)
{
	if (l->len > 1)
		qsort(l->v, l->len, sizeof(*l->v), file_cmp);
}

void
source_list_free(struct source_list *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
