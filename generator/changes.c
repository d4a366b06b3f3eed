#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "content.h"
#include "csv.h"
#include "diff.h"
#include "history.h"
#include "markdown.h"
#include "page_history.h"
#include "repo.h"
#include "util/mem.h"
#include "yaml.h"

/* The site-wide page lists this many commits; each page lists all. */
#define SITE_CHANGES_MAX	500
/* And its feed this many. */
#define FEED_MAX		50

static struct value *
str(struct arena *a, const char *s)
{
	return s ? value_string_ref(a, s, strlen(s)) : value_null(a);
}

static const char *
i18n(const struct render_env *env, const struct page *p, const char *key,
    const char *def)
{
	const struct value *v = value_get(render_strings(env, p), key);

	return v && v->type == VAL_STRING ? v->str : def;
}

/* "strategia/arvot/" for "strategia/arvot/index.html", "" for home. */
static size_t
out_dir_len(const struct page *p)
{
	const char *slash = strrchr(p->out, '/');

	return slash ? (size_t)(slash - p->out) + 1 : 0;
}

static void
hex12(const struct hist_commit *c, char out[13])
{
	char full[GIT_OID_HEXSZ + 1];

	git_oid_tostr(full, sizeof(full), &c->id);
	memcpy(out, full, 12);
	out[12] = '\0';
}

char *
changes_history_rel(const struct render_env *env, const struct page *p)
{
	return xasprintf("%.*s%s/index.html", (int)out_dir_len(p), p->out,
	    env->langs[p->lang].history_seg);
}

char *
changes_view_rel(const struct render_env *env, const struct page *p,
    size_t k)
{
	char id[13];

	hex12(p->history->major[k].change->commit, id);
	return xasprintf("%.*s%s/%s/index.html", (int)out_dir_len(p), p->out,
	    env->langs[p->lang].history_seg, id);
}

static const char *
history_url(const struct render_env *env, struct arena *a,
    const struct page *p)
{
	return arena_printf(a, "%s%s/", p->url,
	    env->langs[p->lang].history_seg);
}

static const char *
view_url(const struct render_env *env, struct arena *a,
    const struct page *p, size_t k)
{
	char id[13];

	hex12(p->history->major[k].change->commit, id);
	return arena_printf(a, "%s%s/%s/", p->url,
	    env->langs[p->lang].history_seg, id);
}

static struct value *
commit_value(const struct render_env *env, struct arena *a,
    const struct page *p, const struct hist_commit *c)
{
	struct value *m = render_date(a, render_strings(env, p), c->time,
	    c->offset);

	value_append(a, m, "note", str(a, c->note));
	if (env->site->cfg->history_authors)
		value_append(a, m, "author", str(a, c->author));
	return m;
}

/* The context every page of the history shares with the page it is of. */
static struct value *
base_context(const struct render_env *env, struct arena *a,
    const struct page *p, const char *title, const char *url)
{
	struct value *v = value_map(a), *l;
	const struct page *up;
	size_t n, i;
	const struct page **crumbs;

	value_append(a, v, "title", str(a, title));
	value_append(a, v, "url", str(a, url));
	value_append(a, v, "permalink", str(a, arena_printf(a, "%s%s",
	    env->site->cfg->base_url, url + strlen(env->site->cfg->base_path))));
	value_append(a, v, "lang", str(a, env->site->cfg->langs[p->lang].code));
	value_append(a, v, "page_title", str(a, p->title));
	value_append(a, v, "page_url", str(a, p->url));
	value_append(a, v, "history_url", str(a, history_url(env, a, p)));
	for (n = 0, up = p; up != NULL; up = up->parent)
		n++;
	crumbs = arena_alloc(a, n * sizeof(*crumbs));
	for (i = n, up = p; up != NULL; up = up->parent)
		crumbs[--i] = up;
	l = value_list(a);
	for (i = 0; i < n; i++)
		value_push(a, l, crumbs[i]->ref);
	value_append(a, v, "breadcrumbs", l);
	return v;
}

int
changes_render_history(const struct render_env *env, struct page *p,
    struct arena *a, struct buf *out, struct diags *d)
{
	const struct page_history *h = p->history;
	struct value *v, *l, *m;
	const char *title;
	size_t k;

	title = arena_printf(a, "%s: %s", i18n(env, p, "history_title",
	    "Muutoshistoria"), p->title);
	v = base_context(env, a, p, title, history_url(env, a, p));
	value_append(a, v, "kind", str(a, "history"));
	l = value_list(a);
	for (k = 0; k < h->nmajor; k++) {
		const struct page_change *c = &h->major[k];
		m = commit_value(env, a, p, c->change->commit);
		value_append(a, m, "url", str(a, view_url(env, a, p, k)));
		value_append(a, m, "data", str(a, c->data));
		value_append(a, m, "first", value_bool(a,
		    c->change->commit == h->first));
		value_push(a, l, m);
	}
	value_append(a, v, "changes", l);
	value_append(a, v, "has_changes", value_bool(a, l->len > 0));
	value_append(a, v, "minor", value_number(a, (double)h->nminor));
	value_append(a, v, "has_minor", value_bool(a, h->nminor > 0));
	if (h->first != NULL)
		value_append(a, v, "first", commit_value(env, a, p, h->first));
	value_append(a, v, "truncated", value_bool(a, h->truncated));
	return render_template(env, a, p, "history", v, out, d);
}

/* Reads blob id into out; returns 0, or -1 if it cannot be read. */
static int
read_blob(const struct render_env *env, const git_oid *id, struct buf *out)
{
	git_odb *odb;
	git_odb_object *obj;

	buf_reset(out);
	if ((odb = repo_odb_take(env->repo)) == NULL)
		return -1;
	if (git_odb_read(&obj, odb, id) < 0) {
		repo_odb_give(env->repo, odb);
		return -1;
	}
	repo_odb_give(env->repo, odb);
	buf_put(out, git_odb_object_data(obj), git_odb_object_size(obj));
	git_odb_object_free(obj);
	return 0;
}

/*
 * One version of the page as HTML: its Markdown body rendered as the
 * page's is now, links resolved against today's site. A link that no
 * longer resolves is no error of today's build: its diagnostics are
 * dropped. Sets *title to the version's title, where it has one.
 */
static const char *
version_html(const struct render_env *env, struct page *p, struct arena *a,
    const char *text, size_t len, const char **title)
{
	struct diags scratch = DIAGS_INIT;
	struct md_result md;
	struct value *fm, *t;
	size_t fm_off = 0, fm_len = 0, body = 0;
	const char *html = "";

	*title = NULL;
	if (front_matter_split(text, len, &fm_off, &fm_len, &body) == 1) {
		fm = yaml_parse(a, text + fm_off, fm_len, p->file, 1, &scratch);
		if (fm && (t = value_get(fm, "title")) != NULL &&
		    t->type == VAL_STRING)
			*title = t->str;
	} else
		body = 0;
	if (body > len)
		body = len;
	memset(&md, 0, sizeof(md));
	if (markdown_render(env->site, render_strings(env, p), p, text + body,
	    len - body, a, &md, &scratch) == 0 && md.html)
		html = md.html;
	diags_free(&scratch);
	return html;
}

/* A data value as HTML that the diff can compare cell by cell. */
static void
data_html(const struct value *v, struct buf *b, int depth)
{
	size_t i, j;

	if (v == NULL || depth > 16)
		return;
	switch (v->type) {
	case VAL_LIST:
		if (v->len > 0 && v->u.items[0]->type == VAL_MAP) {
			const struct value *head = v->u.items[0];
			buf_puts(b, "<table>\n<thead><tr>");
			for (j = 0; j < head->len; j++) {
				buf_puts(b, "<th scope=\"col\">");
				buf_put_html(b, head->u.pairs[j].key,
				    strlen(head->u.pairs[j].key));
				buf_puts(b, "</th>");
			}
			buf_puts(b, "</tr></thead>\n<tbody>\n");
			for (i = 0; i < v->len; i++) {
				buf_puts(b, "<tr>");
				for (j = 0; j < head->len; j++) {
					buf_puts(b, "<td>");
					data_html(value_get(v->u.items[i],
					    head->u.pairs[j].key), b,
					    depth + 1);
					buf_puts(b, "</td>");
				}
				buf_puts(b, "</tr>\n");
			}
			buf_puts(b, "</tbody>\n</table>\n");
			return;
		}
		buf_puts(b, "<ul>\n");
		for (i = 0; i < v->len; i++) {
			buf_puts(b, "<li>");
			data_html(v->u.items[i], b, depth + 1);
			buf_puts(b, "</li>\n");
		}
		buf_puts(b, "</ul>\n");
		return;
	case VAL_MAP:
		buf_puts(b, "<ul>\n");
		for (i = 0; i < v->len; i++) {
			buf_puts(b, "<li>");
			buf_put_html(b, v->u.pairs[i].key,
			    strlen(v->u.pairs[i].key));
			buf_puts(b, ": ");
			data_html(v->u.pairs[i].val, b, depth + 1);
			buf_puts(b, "</li>\n");
		}
		buf_puts(b, "</ul>\n");
		return;
	case VAL_NULL:
		return;
	case VAL_BOOL:
		buf_puts(b, v->u.boolean ? "true" : "false");
		return;
	default:
		if (v->str)
			buf_put_html(b, v->str, v->len);
		else
			buf_printf(b, "%g", v->u.number);
		return;
	}
}

/* One version of data file path (below content/) as HTML. */
static const char *
data_version_html(struct arena *a, const char *path, const char *text,
    size_t len)
{
	struct diags scratch = DIAGS_INIT;
	struct buf b = BUF_INIT;
	const struct value *v;
	const char *dot = strrchr(path, '.');
	char *html;

	if (dot && strcmp(dot, ".csv") == 0)
		v = csv_read(a, text, len, path, &scratch);
	else
		v = yaml_parse(a, text, len, path, 0, &scratch);
	diags_free(&scratch);
	data_html(v, &b, 0);
	html = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return html;
}

int
changes_render_view(const struct render_env *env, struct page *p, size_t k,
    struct arena *a, struct buf *out, struct diags *d)
{
	const struct page_history *h = p->history;
	const struct page_change *pc = &h->major[k];
	const struct hist_change *c = pc->change;
	struct diff_labels labels;
	struct diff_stats st;
	struct buf blob = BUF_INIT, marked = BUF_INIT;
	const char *old = NULL, *now = NULL, *old_title = NULL, *title;
	const char *new_title = NULL;
	struct value *v, *m;
	int rc, same;

	/* Spaced, so that no reader runs a label into the word it marks. */
	labels.ins_start = arena_printf(a, "%s ", i18n(env, p, "diff_ins_start",
	    "Lisätty:"));
	labels.ins_end = arena_printf(a, " %s", i18n(env, p, "diff_ins_end",
	    "Lisäys päättyy."));
	labels.del_start = arena_printf(a, "%s ", i18n(env, p, "diff_del_start",
	    "Poistettu:"));
	labels.del_end = arena_printf(a, " %s", i18n(env, p, "diff_del_end",
	    "Poisto päättyy."));
	if (!git_oid_is_zero(&c->old_blob) && read_blob(env, &c->old_blob,
	    &blob) == 0)
		old = pc->data ? data_version_html(a, c->old_path, blob.data,
		    blob.len) : version_html(env, p, a, blob.data, blob.len,
		    &old_title);
	if (!git_oid_is_zero(&c->new_blob) && read_blob(env, &c->new_blob,
	    &blob) == 0)
		now = pc->data ? data_version_html(a, c->path, blob.data,
		    blob.len) : version_html(env, p, a, blob.data, blob.len,
		    &new_title);
	buf_free(&blob);
	memset(&st, 0, sizeof(st));
	if (old == NULL || now == NULL) {
		/*
		 * Added or deleted whole: the text as it was, unmarked; every
		 * word marked would say nothing the note does not.
		 */
		buf_puts(&marked, now ? now : old ? old : "");
		same = 0;
	} else
		same = diff_html(old, strlen(old), now, strlen(now), &labels,
		    &marked, &st) == -1;

	title = arena_printf(a, "%s: %s", i18n(env, p, "change_title",
	    "Muutos"), p->title);
	v = base_context(env, a, p, title, view_url(env, a, p, k));
	value_append(a, v, "kind", str(a, "change"));
	m = commit_value(env, a, p, c->commit);
	value_append(a, m, "data", str(a, pc->data));
	value_append(a, m, "added", value_bool(a, c->kind == HIST_ADDED));
	value_append(a, m, "deleted", value_bool(a, c->kind == HIST_DELETED));
	value_append(a, m, "renamed_from", c->kind == HIST_RENAMED &&
	    c->old_path && !pc->data ? str(a, arena_printf(a, "content/%s",
	    c->old_path)) : value_null(a));
	/* A title changed with the text is shown: the diff has no title. */
	if (old_title && new_title && strcmp(old_title, new_title) != 0)
		value_append(a, m, "old_title", str(a, old_title));
	/* A change view is never empty: say what kind of change it was. */
	value_append(a, m, "same_text", value_bool(a, same));
	value_append(a, m, "markup_only", value_bool(a, !same &&
	    st.markup_only));
	value_append(a, m, "marked", value_bool(a, old && now && !same));
	value_append(a, m, "content", value_string(a, marked.data ?
	    marked.data : "", marked.len));
	value_append(a, m, "words_inserted",
	    value_number(a, (double)st.words_inserted));
	value_append(a, m, "words_deleted",
	    value_number(a, (double)st.words_deleted));
	buf_free(&marked);
	value_append(a, v, "change", m);
	if (k + 1 < h->nmajor)
		value_append(a, v, "older", str(a, view_url(env, a, p, k + 1)));
	if (k > 0)
		value_append(a, v, "newer", str(a, view_url(env, a, p, k - 1)));
	value_append(a, v, "has_pager", value_bool(a, h->nmajor > 1));
	{
		struct value *crumbs = value_get(v, "breadcrumbs"), *e;
		e = value_map(a);
		value_append(a, e, "title", str(a, i18n(env, p, "history_title",
		    "Muutoshistoria")));
		value_append(a, e, "url", str(a, history_url(env, a, p)));
		value_push(a, crumbs, e);
	}
	rc = render_template(env, a, p, "change", v, out, d);
	return rc;
}

/* A page's change at one commit, for the site's list. */
struct site_change {
	const struct hist_commit	*commit;
	const struct page		*page;
	size_t				 k;
};

static int
by_commit(const void *a, const void *b)
{
	const struct site_change *x = a, *y = b;

	int c;

	if (x->commit != y->commit)
		return x->commit < y->commit ? -1 : 1;
	/* By path, not by address: the order must not depend on malloc. */
	if ((c = strcmp(x->page->src, y->page->src)) != 0)
		return c;
	return x->k < y->k ? -1 : x->k > y->k;
}

/* RFC 3339 with the commit's own offset: 2026-11-23T10:00:00+02:00. */
static void
rfc3339(struct buf *b, int64_t time, int offset)
{
	time_t t = (time_t)(time + (int64_t)offset * 60);
	struct tm tm;
	int off = offset < 0 ? -offset : offset;

	gmtime_r(&t, &tm);
	buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+', off / 60, off % 60);
}

static void
feed(const struct render_env *env, struct arena *a,
    const struct site_change *v, size_t n, struct buf *b)
{
	const struct config *cfg = env->site->cfg;
	const char *base = cfg->base_url, *bp = cfg->base_path;
	const char *title = i18n(env, NULL, "changes_title", "Muutokset");
	size_t i, j, entries = 0;
	char hex[GIT_OID_HEXSZ + 1];

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	buf_put_html(b, cfg->language, strlen(cfg->language));
	buf_puts(b, "\">\n<title>");
	buf_put_html(b, cfg->title, strlen(cfg->title));
	buf_puts(b, " – ");
	buf_put_html(b, title, strlen(title));
	buf_printf(b, "</title>\n<id>%s%s/</id>\n", base, env->changes_seg);
	buf_printf(b, "<link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"%s%s/atom.xml\"/>\n", base, env->changes_seg);
	buf_printf(b, "<link rel=\"alternate\" type=\"text/html\" "
	    "href=\"%s%s/\"/>\n<updated>", base, env->changes_seg);
	/* The newest change, or the commit built: never the clock. */
	if (n > 0)
		rfc3339(b, v[0].commit->time, v[0].commit->offset);
	else if (env->history->ncommits > 0)
		rfc3339(b, env->history->commits[0].time,
		    env->history->commits[0].offset);
	else {
		/* No commit applies: the reproducible-builds convention. */
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		char *end = NULL;
		long long t = sde ? strtoll(sde, &end, 10) : 0;
		rfc3339(b, end && *end == '\0' && t > 0 ? (int64_t)t : 0, 0);
	}
	buf_puts(b, "</updated>\n<author><name>");
	buf_put_html(b, cfg->title, strlen(cfg->title));
	buf_puts(b, "</name></author>\n");
	for (i = 0; i < n && entries < FEED_MAX; i = j, entries++) {
		const struct hist_commit *c = v[i].commit;
		const struct page *p = v[i].page;
		const char *url = view_url(env, a, p, v[i].k);

		git_oid_tostr(hex, sizeof(hex), &c->id);
		buf_puts(b, "<entry>\n<title>");
		buf_put_html(b, c->note, strlen(c->note));
		buf_printf(b, "</title>\n<id>%s%s/#%s</id>\n", base,
		    env->changes_seg, hex);
		buf_puts(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
		buf_put_html(b, base, strlen(base));
		buf_put_html(b, url + strlen(bp), strlen(url + strlen(bp)));
		buf_puts(b, "\"/>\n<updated>");
		rfc3339(b, c->time, c->offset);
		buf_puts(b, "</updated>\n<content type=\"html\">");
		/* The note and the pages it changed, as escaped HTML. */
		{
			struct buf h = BUF_INIT;
			buf_puts(&h, "<p>");
			buf_put_html(&h, c->note, strlen(c->note));
			buf_puts(&h, "</p>\n<ul>\n");
			for (j = i; j < n && v[j].commit == c; j++) {
				const char *u = view_url(env, a, v[j].page,
				    v[j].k);
				buf_puts(&h, "<li><a href=\"");
				buf_put_html(&h, base, strlen(base));
				buf_put_html(&h, u + strlen(bp),
				    strlen(u + strlen(bp)));
				buf_puts(&h, "\">");
				buf_put_html(&h, v[j].page->title,
				    strlen(v[j].page->title));
				buf_puts(&h, "</a></li>\n");
			}
			buf_puts(&h, "</ul>");
			buf_put_html(b, h.data, h.len);
			buf_free(&h);
		}
		buf_puts(b, "</content>\n</entry>\n");
	}
	buf_puts(b, "</feed>\n");
}

int
changes_render_site(const struct render_env *env, struct arena *a,
    int (*write)(const char *, const char *, size_t, void *), void *arg,
    struct diags *d)
{
	const struct site *s = env->site;
	struct site_change *v = NULL;
	struct value *page, *l, *m = NULL, *pages = NULL;
	struct buf b = BUF_INIT;
	size_t i, k, n = 0, cap = 0, commits = 0;
	const char *title = i18n(env, NULL, "changes_title", "Muutokset");
	char *rel;
	int rc = 0;

	for (i = 0; i < s->npages; i++) {
		const struct page_history *h = s->pages[i]->history;
		for (k = 0; h && k < h->nmajor; k++) {
			v = xgrow(v, &cap, n + 1, sizeof(*v));
			v[n].commit = h->major[k].change->commit;
			v[n].page = s->pages[i];
			v[n].k = k;
			n++;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), by_commit);

	page = render_generated(env, a, title, "changes", env->changes_seg);
	value_append(a, page, "is_changes", value_bool(a, 1));
	l = value_list(a);
	for (i = 0; i < n; i++) {
		if (i == 0 || v[i].commit != v[i - 1].commit) {
			if (++commits > SITE_CHANGES_MAX)
				break;
			m = commit_value(env, a, NULL, v[i].commit);
			pages = value_list(a);
			value_append(a, m, "pages", pages);
			value_push(a, l, m);
		}
		{
			struct value *e = value_map(a);
			value_append(a, e, "title", str(a, v[i].page->title));
			value_append(a, e, "url", str(a, view_url(env, a,
			    v[i].page, v[i].k)));
			value_push(a, pages, e);
		}
	}
	value_append(a, page, "changes", l);
	value_append(a, page, "has_changes", value_bool(a, l->len > 0));
	value_append(a, page, "more", value_bool(a, commits >
	    SITE_CHANGES_MAX));
	if (render_template(env, a, NULL, "changes", page, &b, d) == -1)
		rc = -1;
	else {
		rel = xasprintf("%s/index.html", env->changes_seg);
		if (write(rel, b.data, b.len, arg) == -1)
			rc = -1;
		free(rel);
	}
	buf_reset(&b);
	feed(env, a, v, n, &b);
	rel = xasprintf("%s/atom.xml", env->changes_seg);
	if (write(rel, b.data, b.len, arg) == -1)
		rc = -1;
	free(rel);
	buf_free(&b);
	free(v);
	return rc;
}
