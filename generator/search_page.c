#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "search.h"
#include "search_page.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/text.h"

#define NLETTERS	30	/* A to Z, Å, Ä, Ö, and the rest */
#define OTHER		29
#define ALL		30	/* the search page: all letters */

static const char *const letter_label[NLETTERS] = {
	"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
	"N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
	"Å", "Ä", "Ö", "#"
};
/* In URLs and ids: ASCII, and never "data", the index's folder. */
static const char *const letter_id[NLETTERS] = {
	"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
	"n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
	"aa", "ae", "oe", "muut"
};

/*
 * Where a folded letter sorts, as a Finnish reader looks for it: after
 * z come å, ä and ö (æ with ä, ø with ö), ü is y, other marks do not
 * count. Digits come before letters, everything else after.
 */
static uint32_t
collate(uint32_t c)
{
	static const char latin1[] =	/* U+00E0 to U+00FF; '.': none */
	    "aaaa\2\1\2ceeeeiiiidnoooo\3.\3uuuyy.y";

	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return c;
	if (c >= 0xE0 && c <= 0xFF && latin1[c - 0xE0] != '.')
		return latin1[c - 0xE0] < 'a' ? 'z' + (uint32_t)
		    latin1[c - 0xE0] : (uint32_t)latin1[c - 0xE0];
	if (c == 0xDF || c == 0x161)
		return 's';
	if (c == 0x17E)
		return 'z';
	return 0x1000 + c;
}

/* The next letter or digit of *s, folded and collated; 0 at the end. */
static uint32_t
next_letter(const char **s)
{
	const unsigned char *u = (const unsigned char *)*s;
	uint32_t c;
	size_t k;

	while (*u != '\0') {
		/* 4: it stops at the NUL, which continues no character. */
		k = utf8_get(u, 4, &c);
		u += k;
		if (search_is_word(c)) {
			*s = (const char *)u;
			return collate(search_fold(c));
		}
	}
	*s = (const char *)u;
	return 0;
}

/* The group a title is listed under. */
static int
letter_of(const char *title)
{
	uint32_t c = next_letter(&title);

	if (c >= 'a' && c <= 'z')
		return (int)(c - 'a');
	if (c > 'z' && c <= 'z' + 3)
		return (int)(c - 'z' - 1) + 26;
	return OTHER;
}

/* One page of the search: what it is listed and found as. */
struct listed {
	const struct page	*p;
	const char		*title;
	const char		*section;	/* NULL at the top level */
	int			 letter;
	char			*key;		/* title, collated */
};

static int
by_title(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	int r;

	if (x->letter != y->letter)
		return x->letter < y->letter ? -1 : 1;
	if ((r = strcmp(x->key, y->key)) != 0 ||
	    (r = strcmp(x->title, y->title)) != 0)
		return r;
	return strcmp(x->p->url, y->p->url);
}

/*
 * The letters and digits of title as they sort (collate), in UTF-8,
 * which keeps their order: strcmp then compares two as a reader would.
 */
static char *
sort_key(const char *title)
{
	struct buf b = BUF_INIT;
	char c8[4];
	uint32_t c;

	buf_grow(&b, strlen(title));
	while ((c = next_letter(&title)) != 0)
		buf_put(&b, c8, utf8_put(c8, c));
	buf_putc(&b, '\0');
	return buf_detach(&b);
}

/* The pages search knows: every page built, drafts left out. */
struct pages {
	struct listed	*v;		/* by letter and title */
	size_t		 len;
	struct listed	*bysrc;		/* in the site's order */
	int		 split;		/* a page for each letter */
	size_t		 count[NLETTERS];
};

/*
 * Collects the pages of site s; sorted by title (for the lists) only if
 * sort is set, as planning needs only their number by letter.
 */
static void
pages_collect(struct pages *ps, const struct site *s, int sort, int lang)
{
	size_t i;

	memset(ps, 0, sizeof(*ps));
	ps->bysrc = xcalloc(s->npages ? s->npages : 1, sizeof(*ps->bysrc));
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		struct listed *l;
		if (p->draft || p->lang != lang)
			continue;
		l = &ps->bysrc[ps->len++];
		l->p = p;
		l->title = p->title ? p->title : "";
		l->section = p->parent && p->parent != s->langs[lang].home ?
		    p->parent->title : NULL;
		l->letter = letter_of(l->title);
		ps->count[l->letter]++;
	}
	ps->v = xcalloc(ps->len ? ps->len : 1, sizeof(*ps->v));
	for (i = 0; sort && i < ps->len; i++)
		ps->bysrc[i].key = sort_key(ps->bysrc[i].title);
	memcpy(ps->v, ps->bysrc, ps->len * sizeof(*ps->v));
	if (sort)
		qsort(ps->v, ps->len, sizeof(*ps->v), by_title);
	ps->split = ps->len > SEARCH_ONE_PAGE;
}

static void
pages_free(struct pages *ps)
{
	size_t i;

	for (i = 0; i < ps->len; i++)
		free(ps->bysrc[i].key);
	free(ps->v);
	free(ps->bysrc);
}

/* Language lang's search_url, if the theme has search in it. */
static const char *
search_url(const struct theme *t, int lang)
{
	const struct value *v = value_get(t->strings[lang], "search_url");
	const char *s;

	if (v == NULL || v->type != VAL_STRING || v->len == 0 ||
	    !mu_set_has(t->templates, "search"))
		return NULL;
	for (s = v->str; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return NULL;
	return v->str;
}

const char *
search_folder(const struct render_env *env, int lang, struct arena *a)
{
	const char *url = search_url(env->theme, lang);

	if (url == NULL || lang == 0)
		return url;
	return arena_printf(a, "%s/%s", env->site->cfg->langs[lang].code,
	    url);
}

/* Whether name is a file the index always has, with nchunks chunks. */
static int
fixed_name(const char *name, size_t nchunks)
{
	char *end;
	unsigned long j;

	if (strcmp(name, "index.json") == 0)
		return 1;
	if (name[0] != 'p' || name[1] < '0' || name[1] > '9')
		return 0;
	j = strtoul(name + 1, &end, 10);
	return strcmp(end, ".json") == 0 && j < nchunks &&
	    (name[1] != '0' || name[2] == '.');
}

/* Plans rel as the index's if it is in its folder data but not planned. */
static void
claim(void (*plan)(void *, const char *, const char *), void *arg,
    const char *rel, const char *data, size_t nchunks)
{
	size_t n = strlen(data);

	if (strncmp(rel, data, n) == 0 && !fixed_name(rel + n, nchunks))
		plan(arg, rel, "the search index");
}

static void
plan_lang(const struct render_env *env, int lang,
    void (*plan)(void *, const char *, const char *), void *arg)
{
	const struct site *s = env->site;
	const struct theme *t = env->theme;
	struct arena a = ARENA_INIT;
	const char *seg = search_folder(env, lang, &a), *bp = s->cfg->base_path;
	struct pages ps;
	size_t i, j, nchunks;
	char *data;

	if (seg == NULL) {
		arena_free(&a);
		return;
	}
	pages_collect(&ps, s, 0, lang);
	nchunks = (ps.len + SEARCH_CHUNK - 1) / SEARCH_CHUNK;
	plan(arg, arena_printf(&a, "%s/index.html", seg), "the search page");
	if (ps.split)
		for (i = 0; i < NLETTERS; i++)
			if (ps.count[i] > 0)
				plan(arg, arena_printf(&a, "%s/%s/index.html",
				    seg, letter_id[i]), "the search page's "
				    "list of pages by letter");
	data = arena_printf(&a, "%s/data/", seg);
	plan(arg, arena_printf(&a, "%sindex.json", data), "the search index");
	for (j = 0; j < nchunks; j++)
		plan(arg, arena_printf(&a, "%sp%zu.json", data, j),
		    "the search index");
	/*
	 * Its shards are known only once the pages are read: whatever else
	 * is to go into the index's folder is planned as theirs too, so that
	 * the clash is told now.
	 */
	for (i = 0; i < s->npages; i++) {
		claim(plan, arg, s->pages[i]->out, data, nchunks);
		for (j = 0; j < s->pages[i]->nalias_urls; j++)
			claim(plan, arg, arena_printf(&a, "%sindex.html",
			    s->pages[i]->alias_urls[j] + strlen(bp)), data,
			    nchunks);
	}
	for (i = 0; i < s->nattachments; i++)
		claim(plan, arg, s->attachments[i]->path, data, nchunks);
	for (i = 0; i < t->statics.len; i++)
		claim(plan, arg, t->statics.v[i].path, data, nchunks);
	pages_free(&ps);
	arena_free(&a);
}

void
search_plan(const struct render_env *env,
    void (*plan)(void *, const char *, const char *), void *arg)
{
	int k;

	for (k = 0; k < env->site->cfg->nlangs; k++)
		plan_lang(env, k, plan, arg);
}

/* What the index reads of the site's pages, in the site's order. */
struct site_load {
	const struct site	*s;
	const struct listed	*v;
	const struct hmap	*counted;	/* src -> search_counted */
};

/* Appends the description, summary and tags of p, for the index. */
static void
about(struct buf *b, const struct page *p)
{
	size_t i;

	if (p->description != NULL) {
		buf_puts(b, p->description);
		buf_putc(b, '\n');
	}
	if (p->summary != NULL) {
		buf_puts(b, p->summary);
		buf_putc(b, '\n');
	}
	for (i = 0; p->tags != NULL && p->tags->type == VAL_LIST &&
	    i < p->tags->len; i++)
		if (p->tags->u.items[i]->type == VAL_STRING) {
			buf_puts(b, p->tags->u.items[i]->str);
			buf_putc(b, '\n');
		}
}

/*
 * Page i: its source into scratch, then after a NUL what the index
 * reads of its front matter.
 */
static int
load_page(void *arg, size_t i, struct search_page *sp, struct buf *scratch)
{
	struct site_load *l = arg;
	const struct page *p = l->v[i].p;
	size_t body = 0, md = 0, at;
	int rc = 0;

	sp->title = l->v[i].title;
	sp->url = p->url;
	sp->section = l->v[i].section;
	sp->excerpt = p->description;
	if ((sp->counted = hmap_get(l->counted, p->src)) != NULL)
		return 0;
	buf_reset(scratch);
	if (!p->implicit) {
		if (source_read(l->s->src, p->file, scratch, PAGE_MAX_SIZE,
		    NULL) == -1) {
			buf_reset(scratch);
			rc = -1;
		} else if (p->body_off <= scratch->len) {
			body = p->body_off;
			md = scratch->len - p->body_off;
		}
	}
	buf_putc(scratch, '\0');
	at = scratch->len;
	about(scratch, p);
	/* Only now, after the last append: scratch may have moved. */
	sp->md = scratch->data + body;
	sp->mdlen = md;
	sp->about = scratch->data + at;
	return rc;
}

static struct value *
str(struct arena *a, const char *s)
{
	return s != NULL ? value_string_ref(a, s, strlen(s)) : value_null(a);
}

static const char *
i18n(const struct render_env *env, int lang, const char *key, const char *def)
{
	const struct value *v = value_get(env->langs[lang].strings, key);

	return v != NULL && v->type == VAL_STRING ? v->str : def;
}

/*
 * The search value of one page of search (letter: ALL for the
 * search page itself, else the letter its page lists): {form,
 * script_url, index_url, letters: [{letter, id, url, has_pages,
 * current}], listed: [{letter, id, heading, pages: [{title, url,
 * section}]}]}.
 */
static struct value *
search_value(const struct render_env *env, struct arena *a, int lang,
    const struct pages *ps, const char *seg, int letter)
{
	const char *bp = env->site->cfg->base_path;
	struct value *m = value_map(a), *letters = value_list(a);
	struct value *listed = value_list(a), *l, *pages = NULL;
	size_t i;
	int k, last = -1;

	value_append(a, m, "form", value_bool(a, letter == ALL));
	value_append(a, m, "script_url", str(a, arena_printf(a,
	    "%sjs/search.js", bp)));
	value_append(a, m, "index_url", str(a, arena_printf(a,
	    "%s%s/data/index.json", bp, seg)));
	for (k = 0; k < NLETTERS; k++) {
		if (k == OTHER && ps->count[k] == 0)
			continue;
		l = value_map(a);
		value_append(a, l, "letter", str(a, k == OTHER ?
		    i18n(env, lang, "search_index_other", letter_label[k]) :
		    letter_label[k]));
		value_append(a, l, "id", str(a, letter_id[k]));
		value_append(a, l, "url", str(a, ps->split ?
		    arena_printf(a, "%s%s/%s/", bp, seg, letter_id[k]) :
		    arena_printf(a, "#search-%s", letter_id[k])));
		value_append(a, l, "has_pages", value_bool(a,
		    ps->count[k] > 0));
		value_append(a, l, "current", value_bool(a, k == letter));
		value_push(a, letters, l);
	}
	value_append(a, m, "letters", letters);
	for (i = 0; i < ps->len; i++) {
		const struct listed *e = &ps->v[i];
		struct value *pv;
		if (ps->split ? e->letter != letter : letter != ALL)
			continue;
		if (e->letter != last) {
			l = value_map(a);
			value_append(a, l, "letter", str(a, e->letter == OTHER ?
			    i18n(env, lang, "search_index_other", "#") :
			    letter_label[e->letter]));
			value_append(a, l, "id", str(a,
			    letter_id[e->letter]));
			value_append(a, l, "heading", value_bool(a,
			    !ps->split));
			pages = value_list(a);
			value_append(a, l, "pages", pages);
			value_push(a, listed, l);
			last = e->letter;
		}
		pv = value_map(a);
		value_append(a, pv, "title", str(a, e->title));
		value_append(a, pv, "url", str(a, e->p->url));
		value_append(a, pv, "section", str(a, e->section));
		value_push(a, pages, pv);
	}
	value_append(a, m, "listed", listed);
	return m;
}

/*
 * Renders one page of search: its body from the template "search"
 * (which without page.search is the header's search form), then the
 * whole page as a content page with that body, from "page".
 */
static int
search_render(const struct render_env *env, struct arena *a, int lang,
    const struct pages *ps, const char *seg, int letter, struct buf *out,
    struct diags *d)
{
	struct render_env body_env = *env;
	struct value *inner = value_map(a), *page, *crumb;
	struct buf body = BUF_INIT;
	const char *title = i18n(env, lang, "search_title", "Haku"), *path;
	int rc;

	/* Hyphens once, in the whole page: not twice in the body. */
	body_env.hyphen = NULL;
	body_env.deps = NULL;
	value_append(a, inner, "search", search_value(env, a, lang, ps, seg,
	    letter));
	value_append(a, inner, "lang", value_cstring(a,
	    env->site->cfg->langs[lang].code));
	rc = render_template(&body_env, a, NULL, "search", inner, &body, d);
	if (rc == 0) {
		path = seg;
		if (letter != ALL) {
			path = arena_printf(a, "%s/%s", seg, letter_id[letter]);
			title = arena_printf(a, "%s: %s", i18n(env, lang,
			    "search_index_title", "Sivut"), letter == OTHER ?
			    i18n(env, lang, "search_index_other", "#") :
			    letter_label[letter]);
		}
		page = render_generated_in(env, a, lang, title, "search",
		    path);
		/* Its versions: the search pages of the other languages. */
		if (env->site->cfg->nlangs > 1) {
			const char *urls[LANGS_MAX];
			int k;
			for (k = 0; k < env->site->cfg->nlangs; k++) {
				const char *f = search_folder(env, k, a);
				urls[k] = f == NULL ? NULL : arena_printf(a,
				    "%s%s/", env->site->cfg->base_path, f);
			}
			value_append(a, page, "translations",
			    render_translations(env, a, urls, lang));
			value_append(a, page, "has_translations",
			    value_bool(a, 1));
		}
		if (letter != ALL) {
			crumb = value_map(a);
			value_append(a, crumb, "title", str(a, i18n(env, lang,
			    "search_title", "Haku")));
			value_append(a, crumb, "url", str(a, arena_printf(a,
			    "%s%s/", env->site->cfg->base_path, seg)));
			value_push(a, value_get(page, "breadcrumbs"), crumb);
		}
		value_append(a, page, "content", value_string(a, body.data ?
		    body.data : "", body.len));
		value_append(a, page, "search_page", value_bool(a,
		    letter == ALL));
		/*
		 * A page by letter is a list of hundreds of titles, which
		 * wrap well enough: hyphens there cost more than they help.
		 */
		rc = render_template(letter == ALL ? env : &body_env, a, NULL,
		    "page", page, out, d);
	}
	buf_free(&body);
	return rc;
}

/* One language's index, made before its page is written. */
struct search_lang {
	int			 have;
	struct pages		 ps;
	struct search_files	 f;
	int			 written;	/* f, by search_write_data */
};

struct search_prepared {
	struct search_lang	 v[LANGS_MAX];
};

/* A page counted as it was loaded, and which it was. */
struct early_count {
	const char		*src;		/* the page's */
	struct search_counted	*c;
};

/* What one loading thread keeps. */
struct early_thread {
	struct early_count	*v;
	size_t			 len;
	size_t			 cap;
	struct buf		 about;
};

struct search_early {
	struct search_indexer	*ix[LANGS_MAX];	/* NULL: no search */
	struct early_thread	*t;
	int			 jobs;
};

struct search_early *
search_early_new(const struct theme *t, const struct config *c, int jobs)
{
	struct search_early *e;
	int k, any = 0;

	for (k = 0; k < c->nlangs; k++)
		any |= search_url(t, k) != NULL;
	if (!any)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->jobs = jobs < 1 ? 1 : jobs;
	e->t = xcalloc((size_t)e->jobs, sizeof(*e->t));
	for (k = 0; k < c->nlangs; k++)
		if (search_url(t, k) != NULL)
			e->ix[k] = search_indexer_new(c->langs[k].code,
			    e->jobs);
	return e;
}

void
search_early_read(void *arg, int worker, const struct page *p,
    const struct buf *src)
{
	struct search_early *e = arg;
	struct early_thread *t = &e->t[worker];
	struct search_page sp;

	/* The pages search_prepare will index: pages_collect's. */
	if (p->draft || e->ix[p->lang] == NULL)
		return;
	memset(&sp, 0, sizeof(sp));
	/* content_load names a page without a title by its file. */
	sp.title = p->title ? p->title : p->src;
	sp.excerpt = p->description;
	buf_reset(&t->about);
	about(&t->about, p);
	sp.about = t->about.data ? t->about.data : "";
	if (!p->implicit && p->body_off <= src->len) {
		sp.md = src->data + p->body_off;
		sp.mdlen = src->len - p->body_off;
	}
	t->v = xgrow(t->v, &t->cap, t->len + 1, sizeof(*t->v));
	t->v[t->len].src = p->src;
	t->v[t->len++].c = search_indexer_count(e->ix[p->lang], worker, &sp);
}

void
search_early_free(struct search_early *e)
{
	int k;

	if (e == NULL)
		return;
	for (k = 0; k < LANGS_MAX; k++)
		search_indexer_free(e->ix[k]);
	for (k = 0; k < e->jobs; k++) {
		free(e->t[k].v);
		buf_free(&e->t[k].about);
	}
	free(e->t);
	free(e);
}

struct search_prepared *
search_prepare(const struct render_env *env, int jobs,
    struct search_early *early)
{
	const struct site *s = env->site;
	struct search_prepared *sp = xcalloc(1, sizeof(*sp));
	struct hmap counted = HMAP_INIT;
	struct arena a = ARENA_INIT;
	struct site_load l;
	size_t i;
	int k;

	for (k = 0; early != NULL && k < early->jobs; k++)
		for (i = 0; i < early->t[k].len; i++)
			hmap_put(&counted, early->t[k].v[i].src,
			    early->t[k].v[i].c);
	for (k = 0; k < s->cfg->nlangs; k++) {
		struct search_lang *sl = &sp->v[k];
		if (search_folder(env, k, &a) == NULL)
			continue;
		pages_collect(&sl->ps, s, 1, k);
		l.s = s;
		l.v = sl->ps.bysrc;
		l.counted = &counted;
		search_index(sl->ps.len, load_page, &l, s->cfg->langs[k].code,
		    jobs, early != NULL ? early->ix[k] : NULL, &sl->f);
		sl->have = 1;
	}
	hmap_free(&counted);
	search_early_free(early);
	arena_free(&a);
	return sp;
}

void
search_prepared_free(struct search_prepared *sp)
{
	int k;

	if (sp == NULL)
		return;
	for (k = 0; k < LANGS_MAX; k++)
		if (sp->v[k].have) {
			pages_free(&sp->v[k].ps);
			search_files_free(&sp->v[k].f);
		}
	free(sp);
}

/* Language lang's index files. */
static void
write_data(const struct render_env *env, int lang, struct search_lang *sl,
    int (*write)(const char *, const char *, size_t, void *), void *arg)
{
	struct arena a = ARENA_INIT;
	const char *seg = search_folder(env, lang, &a);
	size_t i;

	for (i = 0; i < sl->f.len; i++)
		write(arena_printf(&a, "%s/data/%s", seg, sl->f.v[i].name),
		    sl->f.v[i].data, sl->f.v[i].len, arg);
	sl->written = 1;
	arena_free(&a);
}

void
search_write_data(const struct render_env *env, struct search_prepared *sp,
    int (*write)(const char *, const char *, size_t, void *), void *arg)
{
	int k;

	for (k = 0; k < env->site->cfg->nlangs; k++)
		if (sp->v[k].have)
			write_data(env, k, &sp->v[k], write, arg);
}

/* Language lang's search page and index. */
static void
write_lang(const struct render_env *env, int lang, struct search_lang *sl,
    int (*write)(const char *, const char *, size_t, void *), void *arg,
    struct diags *d)
{
	struct arena a = ARENA_INIT;
	const char *seg = search_folder(env, lang, &a);
	struct buf out = BUF_INIT;
	struct pages *ps = &sl->ps;
	int k;

	if (!sl->written)
		write_data(env, lang, sl, write, arg);
	if (search_render(env, &a, lang, ps, seg, ALL, &out, d) == 0)
		write(arena_printf(&a, "%s/index.html", seg), out.data,
		    out.len, arg);
	for (k = 0; ps->split && k < NLETTERS; k++)
		if (ps->count[k] > 0 && search_render(env, &a, lang, ps, seg,
		    k, &out, d) == 0)
			write(arena_printf(&a, "%s/%s/index.html", seg,
			    letter_id[k]), out.data, out.len, arg);
	buf_free(&out);
	arena_free(&a);
}

int
search_write(const struct render_env *env, int jobs,
    struct search_prepared *sp,
    int (*write)(const char *, const char *, size_t, void *), void *arg,
    struct diags *d)
{
	size_t errors = d->errors;
	int k;

	if (sp == NULL)
		sp = search_prepare(env, jobs, NULL);
	for (k = 0; k < env->site->cfg->nlangs; k++)
		if (sp->v[k].have)
			write_lang(env, k, &sp->v[k], write, arg, d);
	search_prepared_free(sp);
	return d->errors == errors ? 0 : -1;
}
