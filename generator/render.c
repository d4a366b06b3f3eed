#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "content.h"
#include "deps.h"
#include "history.h"
#include "hyphen.h"
#include "lang.h"
#include "page_history.h"
#include "participate.h"
#include "render.h"
#include "tags.h"
#include "util/mem.h"
#include "util/text.h"

static struct value *
str(struct arena *a, const char *s)
{
	return s ? value_string_ref(a, s, strlen(s)) : value_null(a);
}

/*
 * A URL segment from the theme's strings, or the default where the theme
 * has none or it is not a plain segment (lower case letters, digits, -).
 */
static const char *
url_segment(const struct value *i18n, const char *key, const char *def)
{
	const struct value *v = value_get(i18n, key);
	const char *s;

	if (v == NULL || v->type != VAL_STRING || v->len == 0)
		return def;
	for (s = v->str; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return def;
	return v->str;
}

void
render_env_init(struct render_env *env, const struct site *s,
    const struct theme *t, const struct history *h, struct repo *r,
    struct arena *a)
{
	const struct config *c = s->cfg;
	struct value *v = value_map(a);
	int k;

	memset(env, 0, sizeof(*env));
	env->site = s;
	env->theme = t;
	env->history = h;
	env->repo = r;
	env->version = "Valo " VALO_VERSION;
	value_append(a, v, "title", str(a, c->title));
	value_append(a, v, "description", str(a, c->description));
	value_append(a, v, "lang", str(a, c->language));
	value_append(a, v, "base_url", str(a, c->base_url));
	value_append(a, v, "feedback_email", str(a, c->feedback_email));
	value_append(a, v, "home_url", str(a, c->base_path));
	/* The site's root, where its own files are, in every language. */
	value_append(a, v, "root_url", str(a, c->base_path));
	value_append(a, v, "css_url", str(a, arena_printf(a, "%scss/valo.css",
	    c->base_path)));
	value_append(a, v, "generator", str(a, env->version));
	env->site_value = v;
	for (k = 0; k < c->nlangs; k++) {
		env->langs[k].strings = t->strings[k];
		env->langs[k].history_seg = url_segment(t->strings[k],
		    "history_url", "muutoshistoria");
	}
	env->changes_seg = url_segment(t->i18n, "changes_url", "muutokset");
	env->versions_seg = url_segment(t->i18n, "versions_url", "versiot");
	if (h != NULL)
		value_append(a, v, "changes_url", str(a, arena_printf(a,
		    "%s%s/", c->base_path, env->changes_seg)));
}

const struct value *
render_strings(const struct render_env *env, const struct page *p)
{
	return env->langs[p ? p->lang : 0].strings;
}

void
render_commit_date(const struct value *strings, int64_t time, int offset,
    char iso[11], char display[40])
{
	struct buf b = BUF_INIT;
	time_t t = (time_t)(time + (int64_t)offset * 60);
	struct tm tm;
	unsigned y, m, d;

	memset(&tm, 0, sizeof(tm));
	gmtime_r(&t, &tm);
	/* A commit's time is the committer's word: keep it to four digits. */
	y = (unsigned)(tm.tm_year + 1900) % 10000u;
	m = (unsigned)(tm.tm_mon + 1) % 100u;
	d = (unsigned)tm.tm_mday % 100u;
	snprintf(iso, 11, "%04u-%02u-%02u", y, m, d);
	lang_date(&b, strings, (int)y, (int)m, (int)d);
	snprintf(display, 40, "%s", b.data ? b.data : "");
	buf_free(&b);
}

struct value *
render_date(struct arena *a, const struct value *strings, int64_t time,
    int offset)
{
	struct value *m = value_map(a);
	char iso[11], display[40];

	render_commit_date(strings, time, offset, iso, display);
	value_append(a, m, "date", value_string(a, iso, strlen(iso)));
	value_append(a, m, "date_display", value_string(a, display,
	    strlen(display)));
	return m;
}

struct value *
render_generated(const struct render_env *env, struct arena *a,
    const char *title, const char *kind, const char *seg)
{
	return render_generated_in(env, a, 0, title, kind, seg);
}

struct value *
render_generated_in(const struct render_env *env, struct arena *a, int lang,
    const char *title, const char *kind, const char *seg)
{
	const struct config *c = env->site->cfg;
	struct value *v = value_map(a), *l = value_list(a);

	value_append(a, v, "title", str(a, title));
	value_append(a, v, "kind", str(a, kind));
	value_append(a, v, "url", str(a, arena_printf(a, "%s%s/",
	    c->base_path, seg)));
	value_append(a, v, "permalink", str(a, arena_printf(a, "%s%s/",
	    c->base_url, seg)));
	value_append(a, v, "lang", str(a, c->langs[lang].code));
	value_push(a, l, env->site->langs[lang].home->ref);
	value_append(a, v, "breadcrumbs", l);
	return v;
}

void
render_env_archive(struct render_env *env, const struct archive *ar,
    struct arena *a)
{
	struct value *m = value_map(a);

	env->archive = ar;
	value_append(a, m, "tag", str(a, ar->tag));
	value_append(a, m, "message", str(a, ar->message));
	value_append(a, m, "date", render_date(a, env->langs[0].strings,
	    ar->time, ar->offset));
	value_append(a, m, "versions_url", str(a, ar->versions_url));
	value_append(a, m, "home_url", str(a, ar->current->cfg->base_path));
	value_append(a, env->site_value, "archive", m);
}

static void
dep_page(const struct render_env *env, enum dep_kind kind,
    const struct page *p)
{
	if (env->deps != NULL && p != NULL)
		deps_add(env->deps, kind, p->src);
}

void
render_env_participation(struct render_env *env,
    const struct participation *part, struct arena *a)
{
	env->part = part;
	value_append(a, env->site_value, "consultations", part->consultations);
	value_append(a, env->site_value, "events", part->events);
	value_append(a, env->site_value, "commitments", part->commitments);
	value_append(a, env->site_value, "feeds", part->feeds);
}

/*
 * Appends s percent-encoded for a URL's query, as RFC 3986 leaves only
 * its unreserved characters as they are (mailto: too, RFC 6068).
 */
static void
query_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *c;

	for (c = (const unsigned char *)s; *c; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("-._~", *c))
			buf_putc(b, *c);
		else
			buf_printf(b, "%%%c%c", hex[*c >> 4], hex[*c & 15]);
}

/*
 * Where a reader gives feedback on page p: the site's form with the
 * page's address as "sivu", else an e-mail with its title and address
 * filled in.
 */
static struct value *
feedback_url(const struct render_env *env, struct arena *a,
    const struct value *strings, const char *title, const char *permalink)
{
	const struct config *c = env->site->cfg;
	struct buf b = BUF_INIT;
	struct value *v;
	const char *subject = value_get(strings, "feedback_subject") ?
	    value_get(strings, "feedback_subject")->str : "Palaute";

	if (c->feedback_url != NULL) {
		buf_puts(&b, c->feedback_url);
		buf_puts(&b, strchr(c->feedback_url, '?') ? "&sivu=" : "?sivu=");
		query_escape(&b, permalink);
	} else if (c->feedback_email != NULL) {
		buf_printf(&b, "mailto:%s?subject=", c->feedback_email);
		query_escape(&b, subject);
		query_escape(&b, ": ");
		query_escape(&b, title ? title : c->title);
		buf_puts(&b, "&body=");
		query_escape(&b, permalink);
		query_escape(&b, "\n\n");
	} else
		return value_null(a);
	v = value_string(a, b.data, b.len);
	buf_free(&b);
	return v;
}

/*
 * A consultation's "heard" or "outcome" as HTML: Markdown like the
 * page's own, its links checked against the site, lines counted from
 * the value's own in the front matter.
 */
static struct value *
fm_markdown(const struct render_env *env, struct arena *a,
    const struct page *p, const struct value *v, struct diags *d)
{
	struct md_result md;
	struct page q;

	if (v == NULL || v->type != VAL_STRING)
		return value_null(a);
	q = *p;
	q.body_line = v->line + (strchr(v->str, '\n') != NULL);
	memset(&md, 0, sizeof(md));
	if (markdown_render(env->site, render_strings(env, p), &q, v->str,
	    strlen(v->str), a, &md, d) == -1)
		return value_null(a);
	return value_string_ref(a, md.html, md.len);
}

/* What the page shows of participation: its consultation, commitments. */
static void
participation_context(const struct render_env *env, struct arena *a,
    const struct page *p, struct value *v, struct diags *d)
{
	const struct value *pv = participation_page(env->part, p), *c, *l;
	struct value *m;
	size_t i;

	/* Lists of consultations and events may show on any page. */
	for (i = 0; env->part && i < env->part->nconsults; i++)
		dep_page(env, DEP_META, env->part->consults[i]);
	/* A key without a print would make the page stale for ever. */
	for (i = 0; env->deps != NULL && env->part != NULL && i < 2; i++)
		if (env->site->data != NULL && value_get(env->site->data,
		    i ? "sitoumukset" : "tapahtumat") != NULL)
			deps_add(env->deps, DEP_DATA, i ? "sitoumukset" :
			    "tapahtumat");
	if (pv == NULL)
		return;
	if ((c = value_get(pv, "consultation")) != NULL) {
		m = value_map(a);
		for (i = 0; i < c->len; i++)
			value_append(a, m, c->u.pairs[i].key,
			    c->u.pairs[i].val);
		value_append(a, m, "heard_html", fm_markdown(env, a, p,
		    value_get(c, "heard"), d));
		value_append(a, m, "outcome_html", fm_markdown(env, a, p,
		    value_get(c, "outcome"), d));
		value_append(a, v, "consultation", m);
	}
	l = value_get(pv, "commitments");
	value_append(a, v, "commitments", l ? (struct value *)l :
	    value_list(a));
	value_append(a, v, "has_commitments", value_bool(a, l && l->len));
}

/* A menu as this page sees it: which entry it is, or is under. */
static struct value *
menu(const struct render_env *env, struct arena *a,
    struct page *const *pages, size_t n, const struct page *p)
{
	struct value *l = value_list(a), *m;
	const struct page *up;
	size_t i;
	int active;

	if (env->deps != NULL)
		deps_add(env->deps, DEP_MENU, "");
	for (i = 0; i < n; i++) {
		dep_page(env, DEP_META, pages[i]);
		for (active = 0, up = p; up != NULL && !active; up = up->parent)
			active = up == pages[i];
		m = value_map(a);
		value_append(a, m, "title", str(a, pages[i]->title));
		value_append(a, m, "url", str(a, pages[i]->url));
		value_append(a, m, "current", value_bool(a, pages[i] == p));
		value_append(a, m, "active", value_bool(a, active));
		value_push(a, l, m);
	}
	return l;
}

/*
 * "site" as a page in language lang sees it: its title, description and
 * front page, and its menus.
 */
static struct value *
site_context(const struct render_env *env, struct arena *a,
    const struct page *p, int lang)
{
	const struct site *s = env->site;
	const struct config_lang *cl = &s->cfg->langs[lang];
	const struct site_lang *l = &s->langs[lang];
	struct value *v = value_map(a);
	size_t i;

	for (i = 0; i < env->site_value->len; i++)
		value_append(a, v, env->site_value->u.pairs[i].key,
		    env->site_value->u.pairs[i].val);
	if (lang != 0) {
		if (cl->title != NULL)
			value_set(a, v, "title", str(a, cl->title));
		if (cl->description != NULL)
			value_set(a, v, "description", str(a,
			    cl->description));
		value_set(a, v, "lang", str(a, cl->code));
		value_set(a, v, "home_url", str(a, l->home->url));
	}
	value_append(a, v, "menu", menu(env, a, l->menu_pages, l->nmenu, p));
	value_append(a, v, "footer_menu", menu(env, a, l->footer_pages,
	    l->nfooter, p));
	return v;
}

/*
 * The language switcher: for each language, p's version in it, or its
 * front page where p has none (or p is NULL, a page Valo makes). The
 * page's own language is marked current.
 */
static struct value *
translations(const struct render_env *env, struct arena *a,
    const struct page *p, int lang)
{
	const struct site *s = env->site;
	const char *urls[LANGS_MAX];
	const struct page *to;
	int k;

	for (k = 0; k < s->cfg->nlangs; k++) {
		to = p ? p->tr[k] : NULL;
		if (to == NULL && p != NULL && k == lang)
			to = p;
		urls[k] = to ? to->url : NULL;
		dep_page(env, DEP_META, to ? to : s->langs[k].home);
	}
	return render_translations(env, a, urls, lang);
}

struct value *
render_translations(const struct render_env *env, struct arena *a,
    const char *const *urls, int lang)
{
	const struct site *s = env->site;
	struct value *l = value_list(a), *m;
	const struct value *name;
	int k;

	for (k = 0; k < s->cfg->nlangs; k++) {
		m = value_map(a);
		name = value_get(env->langs[k].strings, "lang_name");
		value_append(a, m, "lang", str(a, s->cfg->langs[k].code));
		value_append(a, m, "name", name && name->type == VAL_STRING ?
		    (struct value *)name : str(a, s->cfg->langs[k].code));
		value_append(a, m, "url", str(a, urls[k] ? urls[k] :
		    s->langs[k].home->url));
		value_append(a, m, "home", value_bool(a, urls[k] == NULL));
		value_append(a, m, "current", value_bool(a, k == lang));
		value_push(a, l, m);
	}
	return l;
}

/* hreflang links: the page's versions that are built, itself too. */
static struct value *
alternates(const struct render_env *env, struct arena *a,
    const struct page *p)
{
	const struct config *c = env->site->cfg;
	struct value *l = value_list(a), *m;
	int k;

	for (k = 0; k < c->nlangs && p->tr[p->lang] == p; k++) {
		if (p->tr[k] == NULL)
			continue;
		m = value_map(a);
		value_append(a, m, "lang", str(a, c->langs[k].code));
		value_append(a, m, "permalink", str(a, arena_printf(a, "%s%s",
		    c->base_url, p->tr[k]->url + strlen(c->base_path))));
		value_push(a, l, m);
	}
	/* One version alone has no alternates. */
	return l->len > 1 ? l : value_list(a);
}

static struct value *
toc(struct arena *a, const struct md_result *md)
{
	struct value *l = value_list(a), *m;
	size_t i;

	for (i = 0; i < md->nheadings; i++) {
		if (md->headings[i].level > 3)
			continue;
		m = value_map(a);
		value_append(a, m, "id", str(a, md->headings[i].id));
		value_append(a, m, "title", str(a, md->headings[i].title));
		value_append(a, m, "level",
		    value_number(a, md->headings[i].level));
		value_append(a, m, "sub", value_bool(a,
		    md->headings[i].level == 3));
		value_push(a, l, m);
	}
	return l;
}

/*
 * The page's history in its context: when it was first published (the
 * date in its front matter, or else the commit that added it) and last
 * updated (its newest change with a change note), and its history page.
 */
static void
history_context(const struct render_env *env, struct arena *a,
    const struct page *p, struct value *v)
{
	const struct page_history *h = p->history;
	struct value *first = NULL, *up = NULL;

	if (h->first != NULL)
		first = render_date(a, render_strings(env, p), h->first->time,
		    h->first->offset);
	if (h->updated != NULL) {
		up = render_date(a, render_strings(env, p), h->updated->time,
		    h->updated->offset);
		/* Not "updated" before it says it was published. */
		if (p->date && strncmp(value_get(up, "date")->str, p->date,
		    10) <= 0)
			up = NULL;
	}
	if (p->date == NULL && first != NULL) {
		value_set(a, v, "date", value_get(first, "date"));
		value_set(a, v, "date_display", value_get(first,
		    "date_display"));
	}
	if (up != NULL)
		value_append(a, v, "updated", up);
	value_append(a, v, "history_url", str(a, arena_printf(a, "%s%s/",
	    p->url, env->langs[p->lang].history_seg)));
	value_append(a, v, "history_count", value_number(a,
	    (double)(h->nmajor + h->nminor)));
}

static struct value *
page_context(const struct render_env *env, struct arena *a,
    const struct page *p, const struct md_result *md, struct diags *d)
{
	struct value *v = value_map(a), *l;
	const struct page *up;
	struct page **crumbs;
	size_t i, n;
	static const char *const kinds[] = { "home", "section", "page" };

	value_append(a, v, "title", str(a, p->title));
	value_append(a, v, "description", str(a, p->description));
	value_append(a, v, "summary", str(a, p->summary));
	value_append(a, v, "url", str(a, p->url));
	value_append(a, v, "permalink", str(a, arena_printf(a, "%s%s",
	    env->site->cfg->base_url,
	    p->url + strlen(env->site->cfg->base_path))));
	value_append(a, v, "kind", str(a, kinds[p->kind]));
	value_append(a, v, "feedback_url", feedback_url(env, a,
	    render_strings(env, p), p->title,
	    arena_printf(a, "%s%s", env->site->cfg->base_url,
	    p->url + strlen(env->site->cfg->base_path))));
	value_append(a, v, "is_home", value_bool(a, p->kind == PAGE_HOME));
	value_append(a, v, "is_section", value_bool(a,
	    p->kind == PAGE_SECTION));
	value_append(a, v, "is_page", value_bool(a, p->kind == PAGE_PAGE));
	value_append(a, v, "draft", value_bool(a, p->draft));
	value_append(a, v, "date", p->date ? value_string(a, p->date, 10) :
	    value_null(a));
	value_append(a, v, "date_display", str(a, p->date_display));
	if (p->history != NULL)
		history_context(env, a, p, v);
	if (env->archive != NULL) {
		/* The page as it is now; gone now, today's front page. */
		const struct page *now = site_page(env->archive->current,
		    p->src);
		if (now == NULL)
			now = hmap_get(env->archive->moved, p->src);
		value_append(a, v, "current_url", str(a, now ? now->url :
		    env->archive->current->cfg->base_path));
	}
	value_append(a, v, "lang", str(a, env->site->cfg->langs[p->lang].code));
	value_append(a, v, "alternates", alternates(env, a, p));
	value_append(a, v, "content", value_string_ref(a, md->html, md->len));
	l = p->toc && md->nheadings > 1 ? toc(a, md) : value_list(a);
	value_append(a, v, "toc", l);
	value_append(a, v, "has_toc", value_bool(a, l->len > 0));
	value_append(a, v, "tags", p->tags ? p->tags : value_list(a));
	value_append(a, v, "has_tags", value_bool(a, p->tags && p->tags->len));
	value_append(a, v, "tag_links", tags_links(env, a, p));

	/* Breadcrumbs: home first, the page itself not included. */
	for (n = 0, up = p->parent; up != NULL; up = up->parent)
		n++;
	crumbs = arena_alloc(a, (n ? n : 1) * sizeof(*crumbs));
	for (i = n, up = p->parent; up != NULL; up = up->parent)
		crumbs[--i] = (struct page *)up;
	l = value_list(a);
	for (i = 0; i < n; i++) {
		dep_page(env, DEP_META, crumbs[i]);
		value_push(a, l, crumbs[i]->ref);
	}
	value_append(a, v, "breadcrumbs", l);
	/* Which pages are around it, and then what they show. */
	dep_page(env, DEP_PLACE, p);
	dep_page(env, DEP_META, p->prev);
	dep_page(env, DEP_META, p->next);
	for (i = 0; i < p->nchildren; i++)
		dep_page(env, DEP_META, p->children[i]);

	value_append(a, v, "has_pager", value_bool(a, p->prev || p->next));
	if (p->prev)
		value_append(a, v, "prev", p->prev->ref);
	if (p->next)
		value_append(a, v, "next", p->next->ref);
	if (p->parent)
		value_append(a, v, "section", p->parent->ref);
	l = value_list(a);
	for (i = 0; i < p->nchildren; i++)
		if (p->children[i]->kind == PAGE_PAGE)
			value_push(a, l, p->children[i]->ref);
	value_append(a, v, "pages", l);
	value_append(a, v, "has_pages", value_bool(a, l->len > 0));
	l = value_list(a);
	for (i = 0; i < p->nchildren; i++)
		if (p->children[i]->kind == PAGE_SECTION)
			value_push(a, l, p->children[i]->ref);
	value_append(a, v, "sections", l);
	value_append(a, v, "has_sections", value_bool(a, l->len > 0));
	participation_context(env, a, p, v, d);
	return v;
}

static void
trace_template(void *arg, const char *name, size_t len)
{
	deps_add_key(arg, dep_key(DEP_TEMPLATE, name, len));
}

static void
trace_data(void *arg, const char *name, size_t len)
{
	deps_add_key(arg, dep_key(DEP_DATA, name, len));
}

/* What the body read: the pages it links to, data, the list of files. */
static void
dep_body(const struct render_env *env, const struct md_result *md)
{
	size_t i;

	if (env->deps == NULL)
		return;
	for (i = 0; i < md->nlinked; i++)
		deps_add(env->deps, DEP_META, md->linked[i]->src);
	for (i = 0; i < md->ndata; i++)
		deps_add(env->deps, DEP_DATA, md->data[i]);
	if (md->files)
		deps_add(env->deps, DEP_FILES, "");
}

/* The language a page Valo makes says it is in, by its "lang". */
static int
page_lang(const struct config *c, const struct value *page)
{
	const struct value *v = page && page->type == VAL_MAP ?
	    value_get(page, "lang") : NULL;
	int k;

	for (k = 0; v != NULL && v->type == VAL_STRING && k < c->nlangs; k++)
		if (strcmp(v->str, c->langs[k].code) == 0)
			return k;
	return 0;
}

int
render_template(const struct render_env *env, struct arena *a,
    const struct page *p, const char *tmpl, struct value *page,
    struct buf *out, struct diags *d)
{
	struct value *ctx = value_map(a);
	struct mu_trace trace = { trace_template, trace_data,
	    env->site->data, env->deps };
	char *err = NULL;
	int lang = p ? p->lang : page_lang(env->site->cfg, page);

	if (env->deps != NULL)
		deps_add(env->deps, DEP_SITE, "");
	dep_page(env, DEP_META, p);
	/* History pages, the changes page, 404: feedback names them too. */
	if (page != NULL && page->type == VAL_MAP &&
	    value_get(page, "feedback_url") == NULL) {
		const struct value *u = value_get(page, "url");
		const struct value *t = value_get(page, "title");
		const char *bp = env->site->cfg->base_path;
		if (u != NULL && u->type == VAL_STRING &&
		    strncmp(u->str, bp, strlen(bp)) == 0)
			value_append(a, page, "feedback_url", feedback_url(env,
			    a, env->langs[lang].strings,
			    t && t->type == VAL_STRING ? t->str : NULL,
			    arena_printf(a, "%s%s", env->site->cfg->base_url,
			    u->str + strlen(bp))));
	}
	if (page != NULL && page->type == VAL_MAP &&
	    env->site->cfg->nlangs > 1 &&
	    value_get(page, "translations") == NULL)
	{
		value_append(a, page, "translations", translations(env, a, p,
		    lang));
		value_append(a, page, "has_translations", value_bool(a, 1));
	}
	value_append(a, ctx, "site", site_context(env, a, p, lang));
	value_append(a, ctx, "i18n", (struct value *)env->langs[lang].strings);
	value_append(a, ctx, "data", env->site->data);
	value_append(a, ctx, "page", page);
	buf_reset(out);
	if (mu_render_traced(env->theme->templates, tmpl, ctx, out, &err,
	    env->deps ? &trace : NULL) == -1) {
		diag_error(d, p ? p->file : env->theme->dir, 0, 0,
		    "Check the theme's templates.", "cannot render the page "
		    "with template \"%s\": %s", tmpl, err ? err : "error");
		free(err);
		return -1;
	}
	/* The hyphenator knows the site's own language alone. */
	if (env->hyphen != NULL && lang == 0)
		hyphen_buf(env->hyphen, out);
	return 0;
}

int
render_page(const struct render_env *env, struct page *p, struct arena *a,
    struct buf *src, struct buf *out, struct md_result *md,
    struct diags *d)
{
	static const char *const layouts[] = { "home", "section", "page" };
	const char *body = "";
	size_t len = 0, bad, i;
	int rc;

	/* Its own text, even if it cannot be read: then that may change. */
	if (env->deps != NULL)
		deps_add(env->deps, DEP_BODY, p->src);
	if (!p->implicit) {
		if (source_read(env->site->src, p->file, src, PAGE_MAX_SIZE,
		    NULL) == -1) {
			diag_error(d, p->file, 0, 0, NULL,
			    "cannot read the file");
			return -1;
		}
		if (!utf8_valid(src->data, src->len, &bad)) {
			diag_error(d, p->file, line_of(src->data, bad), 0,
			    "Save the file as UTF-8 (most editors have it "
			    "under \"Save as\" or \"Encoding\").",
			    "the text is not valid UTF-8");
			return -1;
		}
		if (p->body_off <= src->len) {
			body = src->data + p->body_off;
			len = src->len - p->body_off;
		}
	}
	rc = markdown_render(env->site, render_strings(env, p), p, body, len,
	    a, md, d);
	/* A page that failed is stale until what it read changes. */
	dep_body(env, md);
	if (rc == -1)
		return -1;
	p->ids = xcalloc(md->nheadings ? md->nheadings : 1, sizeof(*p->ids));
	for (i = 0; i < md->nheadings; i++)
		p->ids[i] = xstrdup(md->headings[i].id);
	p->nids = md->nheadings;
	return render_template(env, a, p, p->layout ? p->layout : layouts[p->kind],
	    page_context(env, a, p, md, d), out, d);
}

int
render_404(const struct render_env *env, struct arena *a, struct buf *out,
    struct diags *d)
{
	struct value *page = value_map(a), *t;
	const char *title;

	t = value_get(env->theme->i18n, "not_found_title");
	title = t && t->type == VAL_STRING ? t->str : "Sivua ei löytynyt";
	value_append(a, page, "title", str(a, title));
	value_append(a, page, "kind", str(a, "404"));
	value_append(a, page, "url", str(a, arena_printf(a, "%s404.html",
	    env->site->cfg->base_path)));
	value_append(a, page, "lang", str(a, env->site->cfg->language));
	value_append(a, page, "breadcrumbs", value_list(a));
	return render_template(env, a, NULL, "404", page, out, d);
}
