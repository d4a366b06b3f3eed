#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "page_history.h"
#include "util/mem.h"

/* Is line [p, end) a fence opening a chart or table block? */
static int
block_fence(const char *p, const char *end, char *fence)
{
	size_t n = 0;

	while (p < end && *p == ' ' && n < 3)
		p++, n++;
	if (end - p < 3 || (p[0] != '`' && p[0] != '~') || p[1] != p[0] ||
	    p[2] != p[0])
		return 0;
	*fence = p[0];
	while (p < end && *p == *fence)
		p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((end - p >= 5 && memcmp(p, "chart", 5) == 0 && (p += 5)) ||
	    (end - p >= 5 && memcmp(p, "table", 5) == 0 && (p += 5))) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		return p == end;
	}
	return 0;
}

void
page_data_names(const char *text, size_t len,
    void (*fn)(const char *, size_t, void *), void *arg)
{
	static const char *const exts[] = { ".csv", ".yaml", ".yml" };
	const char *p = text, *end = text + len, *eol, *v, *ve;
	char fence = 0;
	size_t e, n;
	int in = 0;

	for (; p < end; p = eol + (eol < end)) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (!in) {
			in = block_fence(p, eol, &fence);
			continue;
		}
		if (eol - p >= 3 && p[0] == fence && p[1] == fence &&
		    p[2] == fence) {
			in = 0;
			continue;
		}
		/* A top-level "data:" key of the block's YAML. */
		if (eol - p < 5 || memcmp(p, "data:", 5) != 0)
			continue;
		for (v = p + 5; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		for (ve = eol; ve > v && (ve[-1] == ' ' || ve[-1] == '\t' ||
		    ve[-1] == '\r'); ve--)
			;
		if (ve - v >= 2 && (*v == '"' || *v == '\'') && ve[-1] == *v)
			v++, ve--;
		n = (size_t)(ve - v);
		for (e = 0; e < sizeof(exts) / sizeof(exts[0]); e++)
			if (n > strlen(exts[e]) && memcmp(ve - strlen(exts[e]),
			    exts[e], strlen(exts[e])) == 0) {
				n -= strlen(exts[e]);
				break;
			}
		if (n > 0)
			fn(v, n, arg);
	}
}

struct collect {
	const struct history	*h;
	struct page_change	*v;
	size_t			 len;
	size_t			 cap;
	char			 path[PATH_MAX_LEN + 16];
};

static void
add_file(struct collect *c, const struct hist_file *f, const char *data)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->len; i++) {
		c->v = xgrow(c->v, &c->cap, c->len + 1, sizeof(*c->v));
		c->v[c->len].change = f->v[i];
		c->v[c->len].data = data;
		c->len++;
	}
}

static void
add_data(const char *name, size_t len, void *arg)
{
	static const char *const exts[] = { ".csv", ".yaml", ".yml" };
	struct collect *c = arg;
	const struct hist_file *f;
	size_t e;

	if (len > PATH_MAX_LEN)
		return;
	for (e = 0; e < sizeof(exts) / sizeof(exts[0]); e++) {
		memcpy(c->path, "data/", 5);
		memcpy(c->path + 5, name, len);
		strcpy(c->path + 5 + len, exts[e]);
		if ((f = history_file(c->h, c->path)) != NULL) {
			add_file(c, f, f->path + 5);
			return;
		}
	}
}

/* Newest first; at one commit, the page's own change before data's. */
static int
by_commit(const void *a, const void *b)
{
	const struct page_change *x = a, *y = b;

	if (x->change->commit != y->change->commit)
		return x->change->commit < y->change->commit ? -1 : 1;
	if ((x->data == NULL) != (y->data == NULL))
		return x->data == NULL ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
has_data_history(const struct history *h)
{
	size_t i;

	for (i = 0; i < h->nfiles; i++)
		if (strncmp(h->files[i].path, "data/", 5) == 0)
			return 1;
	return 0;
}

static void
one_page(const struct site *s, const struct history *h, struct page *p,
    int data, struct buf *src, struct page_history *ph)
{
	const struct hist_file *f = history_file(h, p->src);
	struct collect c;
	size_t i, k;

	memset(&c, 0, sizeof(c));
	c.h = h;
	add_file(&c, f, NULL);
	if (f != NULL) {
		ph->truncated = f->truncated;
		/* The oldest addition: a page deleted and restored began then. */
		for (i = f->len; i-- > 0;)
			if (f->v[i]->kind == HIST_ADDED) {
				ph->first = f->v[i]->commit;
				break;
			}
		if (f->truncated)
			ph->first = NULL;
	}
	if (data && !p->implicit && source_read(s->src, p->file, src,
	    PAGE_MAX_SIZE, NULL) == 0 && p->body_off <= src->len)
		page_data_names(src->data + p->body_off,
		    src->len - p->body_off, add_data, &c);
	/*
	 * A page that lists events or commitments shows their data: a
	 * change of a commitment's status is a change of the page.
	 */
	if (data && p->layout != NULL && strcmp(p->layout, "events") == 0)
		add_data("tapahtumat", 10, &c);
	if (data && p->layout != NULL && strcmp(p->layout, "commitments") == 0)
		add_data("sitoumukset", 11, &c);
	if (c.len > 1)
		qsort(c.v, c.len, sizeof(*c.v), by_commit);
	ph->major = xcalloc(c.len ? c.len : 1, sizeof(*ph->major));
	for (i = 0; i < c.len; i++) {
		const struct hist_commit *hc = c.v[i].change->commit;
		/* One entry a commit; data changed before the page are not its. */
		if (i > 0 && c.v[i - 1].change->commit == hc)
			continue;
		if (ph->first != NULL && hc > ph->first)
			continue;
		if (hc->note == NULL) {
			ph->nminor++;
			continue;
		}
		ph->major[ph->nmajor++] = c.v[i];
	}
	for (k = 0; k < ph->nmajor; k++)
		if (ph->major[k].change->commit != ph->first) {
			ph->updated = ph->major[k].change->commit;
			break;
		}
	free(c.v);
}

struct page_history *
page_history_build(const struct site *s, const struct history *h)
{
	struct page_history *v = xcalloc(s->npages ? s->npages : 1,
	    sizeof(*v));
	struct buf src = BUF_INIT;
	int data = has_data_history(h);
	size_t i;

	for (i = 0; i < s->npages; i++)
		one_page(s, h, s->pages[i], data, &src, &v[i]);
	buf_free(&src);
	return v;
}

void
page_history_free(struct page_history *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].major);
	free(v);
}
