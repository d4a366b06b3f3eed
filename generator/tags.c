#include <stdlib.h>
#include <string.h>

#include "mustache.h"
#include "page_history.h"
#include "tags.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/text.h"

/* One tag: the pages that have it, by its slug. */
struct tag {
	const char		*name;	/* as the first page writes it */
	const char		*slug;
	const char		*fold;	/* name case folded, for sorting */
	const struct page	**pages;
	size_t			 npages;
	size_t			 cap;
};

/* The pages of one tag, each with the date it is listed by. */
struct tagged {
	const struct page	*page;
	char			 date[11];	/* "2026-11-23", or "" */
	char			 display[40];
};

struct tagset {
	struct tag	*v;
	size_t		 n;
	size_t		 cap;
	struct hmap	 by_slug;	/* slug -> index + 1 */
};

static struct value *
str(struct arena *a, const char *s)
{
	return s ? value_string_ref(a, s, strlen(s)) : value_null(a);
}

/*
 * The URL segment of the tag pages: the theme's "tags_url" if it is a
 * slug of its own (so it needs no escaping), else "avainsanat".
 */
static const char *
tags_seg(const struct render_env *env, struct arena *a)
{
	const struct value *v = value_get(env->theme->i18n, "tags_url");
	struct buf b = BUF_INIT;
	const char *seg = "avainsanat";

	if (v != NULL && v->type == VAL_STRING && v->len > 0) {
		slugify(&b, v->str, v->len);
		if (b.len == v->len && memcmp(b.data, v->str, b.len) == 0)
			seg = arena_strdup(a, v->str);
	}
	buf_free(&b);
	return seg;
}

/* A theme from before tag pages has no templates for them: no pages. */
static int
tags_themed(const struct render_env *env)
{
	return mu_set_has(env->theme->templates, "tagindex") &&
	    mu_set_has(env->theme->templates, "taglist");
}

/* The slug of tag v in a, or NULL if it has no letter or digit. */
static const char *
tag_slug(struct arena *a, const struct value *v, struct buf *b)
{
	if (v == NULL || v->type != VAL_STRING)
		return NULL;
	buf_reset(b);
	slugify(b, v->str, v->len);
	return b->len > 0 ? arena_strndup(a, b->data, b->len) : NULL;
}

static int
tag_cmp(const void *x, const void *y)
{
	const struct tag *a = x, *b = y;
	int c = strcmp(a->fold, b->fold);

	return c ? c : strcmp(a->slug, b->slug);
}

/*
 * Every tag of the built pages, in the order of their case-folded names.
 * The pages are in s->pages order (by source path); a page that gives a
 * tag twice, or two spellings of one, is counted once.
 */
static void
tags_collect(const struct site *s, struct arena *a, struct tagset *ts)
{
	struct buf b = BUF_INIT;
	struct tag *t;
	const char *slug;
	uintptr_t k;
	size_t i, j;

	memset(ts, 0, sizeof(*ts));
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		for (j = 0; p->tags != NULL && j < p->tags->len; j++) {
			if ((slug = tag_slug(a, p->tags->u.items[j], &b)) ==
			    NULL)
				continue;
			k = (uintptr_t)hmap_get(&ts->by_slug, slug);
			if (k == 0) {
				ts->v = xgrow(ts->v, &ts->cap, ts->n + 1,
				    sizeof(*ts->v));
				t = &ts->v[ts->n++];
				memset(t, 0, sizeof(*t));
				t->name = p->tags->u.items[j]->str;
				t->slug = slug;
				buf_reset(&b);
				text_casefold(&b, t->name, strlen(t->name));
				t->fold = arena_strndup(a, b.data, b.len);
				hmap_put(&ts->by_slug, slug, (void *)(uintptr_t)ts->n);
			} else
				t = &ts->v[k - 1];
			if (t->npages > 0 && t->pages[t->npages - 1] == p)
				continue;
			t->pages = xgrow(t->pages, &t->cap, t->npages + 1,
			    sizeof(*t->pages));
			t->pages[t->npages++] = p;
		}
	}
	buf_free(&b);
	/* The map points into v by index: sorting ends its use. */
	hmap_free(&ts->by_slug);
	if (ts->n > 1)
		qsort(ts->v, ts->n, sizeof(*ts->v), tag_cmp);
}

static void
tags_free(struct tagset *ts)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		free(ts->v[i].pages);
	free(ts->v);
}

void
tags_plan(const struct render_env *env, const struct site *s,
    void (*plan)(void *, const char *, const char *), void *arg)
{
	struct arena a = ARENA_INIT;
	struct tagset ts;
	const char *seg = tags_seg(env, &a);
	size_t i;

	if (!tags_themed(env)) {
		arena_free(&a);
		return;
	}
	tags_collect(s, &a, &ts);
	if (ts.n > 0)
		plan(arg, arena_printf(&a, "%s/index.html", seg),
		    "the index of tags");
	for (i = 0; i < ts.n; i++)
		plan(arg, arena_printf(&a, "%s/%s/index.html", seg,
		    ts.v[i].slug), arena_printf(&a, "%s (tag \"%s\")",
		    ts.v[i].pages[0]->file, ts.v[i].name));
	tags_free(&ts);
	arena_free(&a);
}

/*
 * Newest first: by the page's date, or where it has none the day its
 * file was added (as the page itself shows); undated pages last.
 */
static int
tagged_cmp(const void *x, const void *y)
{
	const struct tagged *a = x, *b = y;
	int c = strcmp(b->date, a->date);

	if (c == 0)
		c = strcmp(a->page->title ? a->page->title : "",
		    b->page->title ? b->page->title : "");
	return c ? c : strcmp(a->page->src, b->page->src);
}

static void
tagged_date(const struct render_env *env, struct tagged *t)
{
	const struct page *p = t->page;

	t->date[0] = t->display[0] = '\0';
	if (p->date != NULL) {
		memcpy(t->date, p->date, 10);
		t->date[10] = '\0';
		memcpy(t->display, p->date_display, sizeof(t->display));
	} else if (p->history != NULL && p->history->first != NULL)
		render_commit_date(render_strings(env, p),
		    p->history->first->time,
		    p->history->first->offset, t->date, t->display);
}

/* The page of tag t, at seg/slug/. */
static int
tag_page(const struct render_env *env, struct arena *a, const char *seg,
    const struct tag *t, struct value *crumb, struct buf *out,
    struct diags *d)
{
	struct tagged *v;
	struct value *page, *l, *m;
	size_t i;

	v = xcalloc(t->npages, sizeof(*v));
	for (i = 0; i < t->npages; i++) {
		v[i].page = t->pages[i];
		tagged_date(env, &v[i]);
	}
	qsort(v, t->npages, sizeof(*v), tagged_cmp);
	page = render_generated(env, a, t->name, "tag",
	    arena_printf(a, "%s/%s", seg, t->slug));
	value_push(a, value_get(page, "breadcrumbs"), crumb);
	l = value_list(a);
	for (i = 0; i < t->npages; i++) {
		const struct page *p = v[i].page;
		m = value_map(a);
		value_append(a, m, "title", str(a, p->title));
		value_append(a, m, "url", str(a, p->url));
		value_append(a, m, "description", str(a, p->description));
		value_append(a, m, "summary", str(a, p->summary));
		value_append(a, m, "date", v[i].date[0] ?
		    value_cstring(a, v[i].date) : value_null(a));
		value_append(a, m, "date_display", value_cstring(a,
		    v[i].display));
		value_append(a, m, "draft", value_bool(a, p->draft));
		value_push(a, l, m);
	}
	value_append(a, page, "pages", l);
	value_append(a, page, "count", value_number(a, (double)t->npages));
	free(v);
	return render_template(env, a, NULL, "taglist", page, out, d);
}

int
tags_write(const struct render_env *env, struct arena *a,
    int (*write)(const char *, const char *, size_t, void *), void *arg,
    struct diags *d)
{
	const struct value *title = value_get(env->theme->i18n, "tags");
	struct tagset ts;
	struct value *page, *l, *m, *crumb;
	struct buf b = BUF_INIT;
	const char *seg = tags_seg(env, a), *index_url;
	size_t i;
	int rc = 0;

	if (!tags_themed(env))
		return 0;
	tags_collect(env->site, a, &ts);
	if (ts.n == 0)
		goto out;
	page = render_generated(env, a, title && title->type == VAL_STRING ?
	    title->str : "Avainsanat", "tags", seg);
	index_url = value_get(page, "url")->str;
	l = value_list(a);
	for (i = 0; i < ts.n; i++) {
		m = value_map(a);
		value_append(a, m, "name", str(a, ts.v[i].name));
		value_append(a, m, "url", str(a, arena_printf(a, "%s%s/",
		    index_url, ts.v[i].slug)));
		value_append(a, m, "count", value_number(a,
		    (double)ts.v[i].npages));
		value_push(a, l, m);
	}
	value_append(a, page, "all_tags", l);
	if (render_template(env, a, NULL, "tagindex", page, &b, d) == -1 ||
	    write(arena_printf(a, "%s/index.html", seg), b.data, b.len,
	    arg) == -1)
		rc = -1;

	/* Each tag's page has the index as its last breadcrumb. */
	crumb = value_map(a);
	value_append(a, crumb, "title", value_get(page, "title"));
	value_append(a, crumb, "url", str(a, index_url));
	for (i = 0; i < ts.n; i++) {
		if (tag_page(env, a, seg, &ts.v[i], crumb, &b, d) == -1 ||
		    write(arena_printf(a, "%s/%s/index.html", seg,
		    ts.v[i].slug), b.data, b.len, arg) == -1)
			rc = -1;
	}
out:
	buf_free(&b);
	tags_free(&ts);
	return rc;
}

struct value *
tags_links(const struct render_env *env, struct arena *a,
    const struct page *p)
{
	struct value *l = value_list(a), *m;
	struct buf b = BUF_INIT;
	const char *seg, *slug;
	size_t i;
	int themed;

	if (p == NULL || p->tags == NULL)
		return l;
	seg = tags_seg(env, a);
	themed = tags_themed(env);
	for (i = 0; i < p->tags->len; i++) {
		const struct value *v = p->tags->u.items[i];
		if (v->type != VAL_STRING)
			continue;
		slug = tag_slug(a, v, &b);
		m = value_map(a);
		value_append(a, m, "name", str(a, v->str));
		value_append(a, m, "url", slug && themed ? str(a, arena_printf(a,
		    "%s%s/%s/", env->site->cfg->base_path, seg, slug)) :
		    value_null(a));
		value_push(a, l, m);
	}
	buf_free(&b);
	return l;
}
