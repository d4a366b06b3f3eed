#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mem.h"

void
diag_add(struct diags *d, enum diag_level level, const char *file,
    unsigned line, unsigned col, const char *hint, const char *fmt, ...)
{
	struct diag *g;
	struct buf b = BUF_INIT;
	va_list ap;

	d->v = xgrow(d->v, &d->cap, d->len + 1, sizeof(*d->v));
	g = &d->v[d->len++];
	g->level = level;
	g->file = xstrdup(file ? file : "");
	g->line = line;
	g->col = col;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	g->msg = buf_detach(&b);
	g->hint = hint ? xstrdup(hint) : NULL;
	if (level == DIAG_ERROR)
		d->errors++;
}

void
diags_move(struct diags *dst, struct diags *src)
{
	if (src->len == 0)
		return;
	dst->v = xgrow(dst->v, &dst->cap, dst->len + src->len, sizeof(*dst->v));
	memcpy(dst->v + dst->len, src->v, src->len * sizeof(*src->v));
	dst->len += src->len;
	dst->errors += src->errors;
	free(src->v);
	src->v = NULL;
	src->len = src->cap = src->errors = 0;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->msg, y->msg);
}

void
diags_sort(struct diags *d)
{
	if (d->len > 1)
		qsort(d->v, d->len, sizeof(*d->v), diag_cmp);
}

void
diags_print(const struct diags *d, FILE *f, int color)
{
	const struct diag *g;
	const char *what, *on = "", *off = "";
	size_t i;

	for (i = 0; i < d->len; i++) {
		g = &d->v[i];
		what = g->level == DIAG_ERROR ? "error" :
		    g->level == DIAG_WARNING ? "warning" : "note";
		if (color) {
			on = g->level == DIAG_ERROR ? "\033[1;31m" :
			    g->level == DIAG_WARNING ? "\033[1;33m" : "\033[1m";
			off = "\033[0m";
		}
		if (*g->file && g->line && g->col)
			fprintf(f, "%s:%u:%u: ", g->file, g->line, g->col);
		else if (*g->file && g->line)
			fprintf(f, "%s:%u: ", g->file, g->line);
		else if (*g->file)
			fprintf(f, "%s: ", g->file);
		fprintf(f, "%s%s%s: %s\n", on, what, off, g->msg);
		if (g->hint)
			fprintf(f, "    %s\n", g->hint);
	}
}

void
diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->len; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
		free(d->v[i].hint);
	}
	free(d->v);
	d->v = NULL;
	d->len = d->cap = d->errors = 0;
}
