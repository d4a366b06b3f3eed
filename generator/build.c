#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cache.h"
#include "config.h"
#include "content.h"
#include "data.h"
#include "markdown.h"
#include "output.h"
#include "render.h"
#include "site.h"
#include "source.h"
#include "theme.h"
#include "url.h"
#include "util/mem.h"
#include "util/pool.h"
#include "util/procpool.h"

/*
 * What a render worker owns: a child process of its own (util/procpool.h),
 * because cmark-gfm keeps its table of special inline characters in a
 * process-wide variable that every parser sets and clears; two parsers in
 * threads of one process break each other's strikethrough and autolinks,
 * silently. A page's result comes back to the building process as bytes.
 */
struct worker {
	struct arena	 arena;		/* reset after every page */
	struct buf	 src;
	struct buf	 html;
	struct diags	 diags;
	struct output_cursor cursor;	/* when it writes pages itself */
};

/* What became of a page in a worker, the first number of its result. */
enum page_state {
	PAGE_FAILED,		/* it did not render */
	PAGE_HTML,		/* rendered; the HTML follows */
	PAGE_WRITTEN,		/* written to the output by the worker */
	PAGE_KEPT,		/* the same as the old output's: linked */
	PAGE_UNWRITTEN		/* the worker could not write it */
};

struct build {
	const struct build_opts	*opts;
	struct site		*site;
	struct render_env	 env;
	struct output		*out;
	struct cache		*cache;		/* NULL: render every page */
	struct page		**queue;		/* the pages to render */
	size_t			 nqueue;
	struct worker		 worker;	/* in each child its own */
	struct output_cursor	 cursor;	/* the building process's */
	struct diags		 diags;		/* of the pages rendered */
	size_t			 files;
	size_t			 rendered;
	size_t			 done;
	struct timespec		 last;		/* of the last progress report */
	struct buf		*racy;		/* VALO_TEST_RACY_THREADS */
	pid_t			 pid;		/* of the building process */
};

/*
 * A page's result as bytes: the HTML (if it rendered), its heading ids,
 * its links to other pages' headings and its diagnostics. Pointers to
 * pages stay valid: the workers are forks of the building process.
 */
static void
put_u32(struct buf *b, uint32_t v)
{
	buf_put(b, &v, sizeof(v));
}

static void
put_str(struct buf *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;

	buf_put(b, &n, sizeof(n));
	if (s)
		buf_put(b, s, n);
}

struct reader {
	const char	*p;
	const char	*end;
};

static uint32_t
get_u32(struct reader *r)
{
	uint32_t v = 0;

	if ((size_t)(r->end - r->p) >= sizeof(v)) {
		memcpy(&v, r->p, sizeof(v));
		r->p += sizeof(v);
	}
	return v;
}

/* Returns a new copy of the next string, or NULL for a NULL one. */
static char *
get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (n == UINT32_MAX || n > (size_t)(r->end - r->p))
		return NULL;
	s = xstrndup(r->p, n);
	r->p += n;
	return s;
}

/* In a worker: renders page i of the list and puts the result in out. */
static void
render_child(void *arg, size_t i, struct buf *out)
{
	struct build *b = arg;
	struct worker *w = &b->worker;
	struct page *p = b->queue[i];
	struct md_result md;
	size_t k;
	int rc;

	struct output *o = b->out;
	size_t written;
	enum page_state state;

	memset(&md, 0, sizeof(md));
	rc = render_page(&b->env, p, &w->arena, &w->src, &w->html, &md,
	    &w->diags);
	state = rc == 0 ? PAGE_HTML : PAGE_FAILED;
	/*
	 * A worker that can write the file itself spares the building
	 * process the bytes; in the building process itself, the counts
	 * are its own already.
	 */
	if (state == PAGE_HTML && o != NULL && o->from_workers &&
	    getpid() != b->pid) {
		written = atomic_load(&o->written);
		if (output_page(o, &w->cursor, p->out, w->html.data,
		    w->html.len) == -1) {
			diag_error(&w->diags, p->out, 0, 0, NULL,
			    "cannot write the output file: %s",
			    strerror(errno));
			state = PAGE_UNWRITTEN;
		} else
			state = atomic_load(&o->written) != written ?
			    PAGE_WRITTEN : PAGE_KEPT;
	}
	put_u32(out, state);
	put_u32(out, state == PAGE_HTML ? (uint32_t)w->html.len : 0);
	if (state == PAGE_HTML)
		buf_put(out, w->html.data, w->html.len);
	put_u32(out, (uint32_t)p->nids);
	for (k = 0; k < p->nids; k++)
		put_str(out, p->ids[k]);
	/* Even a failed page reports its links: every error at once. */
	put_u32(out, (uint32_t)md.nfragments);
	for (k = 0; k < md.nfragments; k++) {
		buf_put(out, &md.fragments[k].to, sizeof(md.fragments[k].to));
		put_u32(out, md.fragments[k].line);
		put_str(out, md.fragments[k].id);
	}
	put_u32(out, (uint32_t)w->diags.len);
	for (k = 0; k < w->diags.len; k++) {
		const struct diag *g = &w->diags.v[k];
		put_u32(out, g->level);
		put_u32(out, g->line);
		put_u32(out, g->col);
		put_str(out, g->file);
		put_str(out, g->msg);
		put_str(out, g->hint);
	}
	diags_free(&w->diags);
	page_forget(p);
	arena_reset(&w->arena);
}

/* In the building process: takes page i's result in. */
static void
render_done(void *arg, size_t i, const char *data, size_t len)
{
	struct build *b = arg;
	struct page *p = b->queue[i];
	struct reader r = { data, data + len };
	struct timespec now;
	uint32_t ok, hlen, n, k;
	size_t errors = b->diags.len;
	const char *html;

	ok = get_u32(&r);
	hlen = get_u32(&r);
	if (hlen > (size_t)(r.end - r.p))
		hlen = 0;
	html = r.p;
	r.p += hlen;
	n = get_u32(&r);
	p->ids = xcalloc(n ? n : 1, sizeof(*p->ids));
	for (k = 0; k < n && r.p < r.end; k++)
		p->ids[p->nids++] = get_str(&r);
	n = get_u32(&r);
	p->links = xcalloc(n ? n : 1, sizeof(*p->links));
	for (k = 0; k < n && (size_t)(r.end - r.p) >= sizeof(struct page *);
	    k++) {
		struct page_link *l = &p->links[p->nlinks++];
		memcpy(&l->to, r.p, sizeof(l->to));
		r.p += sizeof(l->to);
		l->line = get_u32(&r);
		l->id = get_str(&r);
		if (l->id == NULL)
			l->id = xstrdup("");
	}
	n = get_u32(&r);
	for (k = 0; k < n && r.p < r.end; k++) {
		uint32_t level = get_u32(&r), line = get_u32(&r);
		uint32_t col = get_u32(&r);
		char *file = get_str(&r), *msg = get_str(&r);
		char *hint = get_str(&r);
		diag_add(&b->diags, (enum diag_level)level, file ? file : "",
		    line, col, hint, "%s", msg ? msg : "");
		free(file);
		free(msg);
		free(hint);
	}
	b->rendered++;
	switch (ok) {
	case PAGE_HTML:
		if (b->out && output_page(b->out, &b->cursor, p->out, html,
		    hlen) == -1) {
			diag_error(&b->diags, p->out, 0, 0, NULL,
			    "cannot write the output file: %s",
			    strerror(errno));
			break;
		}
		b->files++;
		p->clean = b->diags.len == errors;
		break;
	case PAGE_WRITTEN:
	case PAGE_KEPT:
		atomic_fetch_add(ok == PAGE_WRITTEN ? &b->out->written :
		    &b->out->kept, 1);
		b->files++;
		p->clean = b->diags.len == errors;
		break;
	default:
		break;
	}
	b->done++;
	/* At most ten times a second. */
	if (b->opts->progress) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - b->last.tv_sec) * 1000 +
		    (now.tv_nsec - b->last.tv_nsec) / 1000000 > 100) {
			b->opts->progress(b->done, b->site->npages,
			    b->opts->progress_arg);
			b->last = now;
		}
	}
}

static int
jobs_for(const struct build_opts *o, const struct config *c)
{
	int n = o->jobs ? o->jobs : c->jobs ? c->jobs : pool_cores();

	return n > 64 ? 64 : n;
}

/* Links to headings of other pages, now that every page has its ids. */
static void
check_links(const struct site *s, struct diags *d)
{
	size_t i, k, j;

	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		for (k = 0; k < p->nlinks; k++) {
			const struct page_link *l = &p->links[k];
			/* A page that failed has no ids to check against. */
			if (l->to->ids == NULL)
				continue;
			for (j = 0; j < l->to->nids; j++)
				if (strcmp(l->to->ids[j], l->id) == 0)
					break;
			if (j == l->to->nids)
				diag_error(d, p->file, l->line, 0,
				    "Check the heading's id: its text in lower "
				    "case, with a for ä and å, o for ö, and - "
				    "for spaces and punctuation.",
				    "%s has no heading #%s", l->to->file,
				    l->id);
		}
	}
}

/*
 * Protection off, for the test that shows it is needed: the pages are
 * rendered in threads of this process, as Valo once did, and their
 * results taken in afterwards, so that the threads do nothing but render.
 */
static void
racy_item(void *arg, int worker, size_t i)
{
	struct build *b = arg;
	struct build one = *b;

	(void)worker;
	memset(&one.worker, 0, sizeof(one.worker));
	render_child(&one, i, &b->racy[i]);
	arena_free(&one.worker.arena);
	buf_free(&one.worker.src);
	buf_free(&one.worker.html);
}

static int
render_racy(struct build *b, int jobs)
{
	size_t i;
	int rc;

	b->racy = xcalloc(b->nqueue ? b->nqueue : 1, sizeof(*b->racy));
	rc = pool_run(jobs, b->nqueue, racy_item, b);
	for (i = 0; i < b->nqueue; i++) {
		render_done(b, i, b->racy[i].data, b->racy[i].len);
		buf_free(&b->racy[i]);
	}
	free(b->racy);
	b->racy = NULL;
	return rc;
}

static void
render_all(struct build *b, int jobs, struct build_stats *st,
    struct diags *d)
{
	struct site *s = b->site;
	size_t i, cap = 0;
	int rc;

	/* Unchanged since the last build: the old file stands as it is. */
	for (i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (b->cache && cache_restore(b->cache, s, p)) {
			if (output_keep(b->out, &b->cursor, p->out) == 0) {
				b->files++;
				continue;
			}
			page_forget(p);
		}
		if (p->broken)
			continue;
		b->queue = xgrow(b->queue, &cap, b->nqueue + 1, sizeof(*b->queue));
		b->queue[b->nqueue++] = p;
	}
	b->done = s->npages - b->nqueue;
	b->pid = getpid();
	if (getenv("VALO_TEST_RACY_THREADS") != NULL)
		rc = render_racy(b, jobs);
	else
		rc = procpool_run(jobs, b->nqueue, render_child, render_done,
		    b);
	if (rc == -1)
		diag_error(&b->diags, "", 0, 0, "Build again; if it happens "
		    "again, report it with the site that causes it.",
		    "a render worker ended abnormally; its pages were not "
		    "built");
	st->jobs = rc < 1 ? jobs : rc;
	st->pages = s->npages;
	st->files = b->files;
	st->rendered = b->rendered;
	diags_move(d, &b->diags);
	if (b->out)
		output_cursor_close(b->out, &b->cursor);
	if (b->out)
		output_cursor_close(b->out, &b->worker.cursor);
	arena_free(&b->worker.arena);
	buf_free(&b->worker.src);
	buf_free(&b->worker.html);
	free(b->queue);
	b->queue = NULL;
	check_links(s, d);
}

/* The largest file copied as it is (an attachment or a theme's file). */
#define ATTACHMENT_MAX_SIZE	(128u * 1024 * 1024)

/* "/base/vanha/" -> "vanha/index.html": an alias page's file. */
static char *
alias_out(const char *url, const char *base_path)
{
	return xasprintf("%sindex.html", url + strlen(base_path));
}

/* An old address: a small page that sends the reader to the new one. */
static void
write_alias(struct build *b, const struct page *p, const char *url,
    struct buf *h, struct diags *d)
{
	const char *bp = b->site->cfg->base_path;
	char *rel;

	buf_reset(h);
	buf_printf(h, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", b->site->cfg->language);
	buf_put_html(h, p->title, strlen(p->title));
	buf_puts(h, "</title>\n<link rel=\"canonical\" href=\"");
	buf_put_html(h, b->site->cfg->base_url, strlen(b->site->cfg->base_url));
	buf_put_html(h, p->url + strlen(bp), strlen(p->url + strlen(bp)));
	buf_puts(h, "\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
	buf_put_html(h, p->url, strlen(p->url));
	buf_puts(h, "\">\n</head>\n<body>\n<p><a href=\"");
	buf_put_html(h, p->url, strlen(p->url));
	buf_puts(h, "\">");
	buf_put_html(h, p->title, strlen(p->title));
	buf_puts(h, "</a></p>\n</body>\n</html>\n");
	rel = alias_out(url, bp);
	if (b->out && output_write(b->out, rel, h->data, h->len) == -1)
		diag_error(d, rel, 0, 0, NULL, "cannot write: %s",
		    strerror(errno));
	free(rel);
}

/* sitemap.xml for search engines, and a robots.txt that names it. */
static void
write_sitemap(struct build *b, const struct theme *t, struct buf *h,
    struct build_stats *st, struct diags *d)
{
	const struct site *s = b->site;
	const char *base = s->cfg->base_url, *bp = s->cfg->base_path;
	size_t i;

	buf_reset(h);
	buf_puts(h, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		buf_puts(h, "<url><loc>");
		buf_put_html(h, base, strlen(base));
		buf_put_html(h, p->url + strlen(bp), strlen(p->url + strlen(bp)));
		buf_puts(h, "</loc>");
		if (p->date)
			buf_printf(h, "<lastmod>%.10s</lastmod>", p->date);
		buf_puts(h, "</url>\n");
	}
	buf_puts(h, "</urlset>\n");
	if (b->out && output_write(b->out, "sitemap.xml", h->data, h->len) == -1)
		diag_error(d, "sitemap.xml", 0, 0, NULL, "cannot write: %s",
		    strerror(errno));
	st->files++;
	for (i = 0; i < t->statics.len; i++)
		if (strcmp(t->statics.v[i].path, "robots.txt") == 0)
			return;
	buf_reset(h);
	buf_printf(h, "User-agent: *\nAllow: /\nSitemap: %ssitemap.xml\n",
	    base);
	if (b->out && output_write(b->out, "robots.txt", h->data, h->len) == -1)
		diag_error(d, "robots.txt", 0, 0, NULL, "cannot write: %s",
		    strerror(errno));
	st->files++;
}

/*
 * Copies file path of the source to rel in the output. Files are read
 * whole, so their size is limited: a video belongs on a video service.
 */
static void
copy_file(struct build *b, const char *path, const char *rel, struct buf *h,
    struct diags *d)
{
	uint64_t size;

	if (source_read(b->site->src, path, h, ATTACHMENT_MAX_SIZE + 1,
	    &size) == -1)
		diag_error(d, path, 0, 0, NULL, "cannot read: %s",
		    strerror(errno));
	else if (size > ATTACHMENT_MAX_SIZE)
		diag_error(d, path, 0, 0, "Make the file smaller, or publish "
		    "it elsewhere and link to it.", "the file is %llu bytes; "
		    "a file beside pages can be at most %u",
		    (unsigned long long)size, ATTACHMENT_MAX_SIZE);
	else if (output_write(b->out, rel, h->data, h->len) == -1)
		diag_error(d, path, 0, 0, NULL, "cannot write %s: %s", rel,
		    strerror(errno));
}

static void
write_extras(struct build *b, struct theme *t, struct build_stats *st,
    struct diags *d)
{
	struct site *s = b->site;
	struct arena a = ARENA_INIT;
	struct buf h = BUF_INIT;
	size_t i, j;
	char *from;

	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		for (j = 0; j < p->nalias_urls; j++) {
			write_alias(b, p, p->alias_urls[j], &h, d);
			st->files++;
		}
	}
	write_sitemap(b, t, &h, st, d);
	if (render_404(&b->env, &a, &h, d) == 0) {
		if (output_write(b->out, "404.html", h.data, h.len) == -1)
			diag_error(d, "404.html", 0, 0, NULL, "cannot write");
		st->files++;
	}
	for (i = 0; i < t->statics.len; i++) {
		from = xasprintf("%s/static/%s", t->dir, t->statics.v[i].path);
		copy_file(b, from, t->statics.v[i].path, &h, d);
		st->files++;
		free(from);
	}
	/* Page bundles and data: every other file in content/ goes along. */
	for (i = 0; i < s->nattachments; i++) {
		from = xasprintf("content/%s", s->attachments[i]->path);
		copy_file(b, from, s->attachments[i]->path, &h, d);
		st->files++;
		free(from);
	}
	buf_free(&h);
	arena_free(&a);
}

/*
 * Every file of the output and where it comes from, before anything is
 * written: two things that map to one path are an error naming both,
 * never "the last one wins".
 */
struct plan {
	struct hmap	 by_rel;	/* rel -> where from */
	struct arena	 arena;
	struct diags	*diags;
};

static void
plan(struct plan *pl, const char *rel, const char *from)
{
	const char *r = arena_strdup(&pl->arena, rel);
	const char *f = arena_strdup(&pl->arena, from);
	const char *other = hmap_put(&pl->by_rel, r, (void *)f);

	if (other != NULL)
		diag_error(pl->diags, from, 0, 0, "Rename or move one of "
		    "them.", "%s would also be written from %s", rel, other);
}

static int
plan_outputs(const struct site *s, const struct theme *t, struct diags *d)
{
	const char *bp = s->cfg->base_path;
	struct plan pl = { HMAP_INIT, ARENA_INIT, d };
	size_t i, j, errors = d->errors;
	int robots = 0;
	char *rel, *from;

	for (i = 0; i < s->npages; i++)
		plan(&pl, s->pages[i]->out, s->pages[i]->file);
	for (i = 0; i < s->npages; i++)
		for (j = 0; j < s->pages[i]->nalias_urls; j++) {
			rel = alias_out(s->pages[i]->alias_urls[j], bp);
			from = xasprintf("%s (alias %s)", s->pages[i]->file,
			    s->pages[i]->alias_urls[j]);
			plan(&pl, rel, from);
			free(rel);
			free(from);
		}
	plan(&pl, "404.html", "the 404 page");
	plan(&pl, "sitemap.xml", "the sitemap");
	for (i = 0; i < t->statics.len; i++)
		if (strcmp(t->statics.v[i].path, "robots.txt") == 0)
			robots = 1;
	/* A theme's own robots.txt stands instead of Valo's. */
	if (!robots)
		plan(&pl, "robots.txt", "robots.txt (made by Valo)");
	for (i = 0; i < t->statics.len; i++) {
		from = xasprintf("%s/static/%s", t->dir, t->statics.v[i].path);
		plan(&pl, t->statics.v[i].path, from);
		free(from);
	}
	for (i = 0; i < s->nattachments; i++) {
		from = xasprintf("content/%s", s->attachments[i]->path);
		plan(&pl, s->attachments[i]->path, from);
		free(from);
	}
	hmap_free(&pl.by_rel);
	arena_free(&pl.arena);
	return d->errors == errors ? 0 : -1;
}

static double
since(struct timespec *t)
{
	struct timespec now;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &now);
	s = (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9;
	*t = now;
	return s;
}

int
build_site(const struct build_opts *o, struct build_stats *st,
    struct diags *d)
{
	struct config cfg;
	struct source *src = o->src, *own_src = NULL;
	struct output *out = o->out, *own_out = NULL;
	struct site site;
	struct theme theme;
	struct build b;
	struct cache cache;
	struct fm_memo memo;
	struct timespec now, t;
	uint64_t key = 0, start_ns;
	char *outdir = NULL;
	size_t i, errors = d->errors;
	size_t shared;
	int rc = -1, begun = 0, jobs;

	memset(st, 0, sizeof(*st));
	memset(&theme, 0, sizeof(theme));
	memset(&cache, 0, sizeof(cache));
	memset(&site, 0, sizeof(site));
	clock_gettime(CLOCK_REALTIME, &now);
	start_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	clock_gettime(CLOCK_MONOTONIC, &t);
	memset(&b, 0, sizeof(b));
	if (src == NULL && (src = own_src = source_dir_open(o->root, d)) ==
	    NULL)
		return -1;
	if (config_load(&cfg, src, "site.conf", d) == -1)
		goto out0;
	if (o->drafts)
		cfg.drafts = 1;
	if (cfg.drafts && !o->check_only && o->out == NULL &&
	    o->out_dir == NULL)
		diag_warn(d, "site.conf", 0, 0,
		    "Preview drafts with --out into another folder, and "
		    "publish only a build without drafts.",
		    "draft pages are built into %s/, the folder that is "
		    "published", cfg.output);
	if (o->base_url && config_set_base_url(&cfg, o->base_url, d) == -1)
		goto out0;
	if (!o->check_only && out == NULL) {
		outdir = o->out_dir ? xstrdup(o->out_dir) :
		    xasprintf("%s/%s", o->root, cfg.output);
		/* The lock is held from before the cache is read. */
		if ((out = own_out = output_dir_open(outdir, o->root, o->force,
		    d)) == NULL)
			goto out0;
	}
	site_init(&site, &cfg, src);
	markdown_init();
	jobs = jobs_for(o, &cfg);
	if (out != NULL && out->cache != NULL)
		cache_load(&cache, out->cache);
	memo.fn = cache_front_matter;
	memo.arg = &cache;
	content_load(&site, cache.len ? &memo : NULL, jobs, d);
	shared = d->errors;
	data_load(&site, d);
	/*
	 * Hostile input: no front matter or data value may be an address
	 * that runs script (url.c). data.c adds the data files it could read
	 * in the order of site.content: they are matched up in that order.
	 */
	for (i = 0; i < site.nloaded; i++)
		url_check_value(site.all[i]->fm, site.all[i]->file, d);
	{
		size_t k = 0;
		for (i = 0; i < site.content.len && k < site.data->len; i++) {
			const char *f = site.content.v[i].path;
			const char *dot = strrchr(f, '.');
			const char *name = site.data->u.pairs[k].key;
			char *file;

			if (strncmp(f, "data/", 5) != 0 || dot == NULL ||
			    (size_t)(dot - f - 5) != strlen(name) ||
			    strncmp(f + 5, name, strlen(name)) != 0)
				continue;
			file = xasprintf("content/%s", f);
			url_check_value(site.data->u.pairs[k++].val, file, d);
			free(file);
		}
	}
	theme_load(&theme, src, &site.arena, cfg.theme, cfg.language, d);
	st->t_load = since(&t);
	/*
	 * Wrong front matter or addresses do not stop the checks of links,
	 * headings and charts, so an editor sees every error at once; broken
	 * data or templates would only make the rest misleading.
	 */
	if (d->errors != shared)
		goto out;
	content_resolve(&site, d);
	st->t_resolve = since(&t);
	shared = d->errors;
	for (i = 0; i < site.npages; i++) {
		struct page *p = site.pages[i];
		if (p->layout && !mu_set_has(theme.templates, p->layout))
			diag_error(d, p->file, 0, 0,
			    "Name a template of the theme, or remove the "
			    "line to use the default.",
			    "layout \"%s\" is not a template of the theme",
			    p->layout);
	}
	plan_outputs(&site, &theme, d);
	if (d->errors != shared)
		goto out;

	b.opts = o;
	b.site = &site;
	render_env_init(&b.env, &site, &theme, &site.arena);
	/* With errors found already, check the rest but write nothing. */
	if (out != NULL && d->errors == errors) {
		if (output_begin(out, d) == -1)
			goto out;
		begun = 1;
		b.out = out;
		key = cache_key(&site, theme.hash);
		/* Pages are taken over only from an old output that exists. */
		if (out->have_old && out->cache != NULL) {
			cache_accept(&cache, key);
			if (cache.key_ok)
				b.cache = &cache;
		}
	}
	render_all(&b, jobs, st, d);
	st->t_render = since(&t);
	if (d->errors == errors && b.out)
		write_extras(&b, &theme, st, d);
	st->t_extras = since(&t);
	if (begun) {
		if (d->errors != errors)
			output_abort(out);
		else if (output_commit(out, d) == 0) {
			st->written = atomic_load(&out->written);
			st->kept = atomic_load(&out->kept);
			/* Without a cache the next build is slower, not wrong. */
			if (out->cache != NULL && cache_save(&site, key,
			    out->cache, start_ns) == -1)
				unlink(out->cache);
		}
		st->t_commit = since(&t);
	}
	if (d->errors == errors)
		rc = 0;
out:
	cache_free(&cache);
	theme_free(&theme);
	site_free(&site);
out0:
	output_free(own_out);
	free(outdir);
	config_free(&cfg);
	source_free(own_src);
	return rc;
}
