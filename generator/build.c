#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cache.h"
#include "changes.h"
#include "config.h"
#include "content.h"
#include "data.h"
#include "history.h"
#include "markdown.h"
#include "output.h"
#include "page_history.h"
#include "render.h"
#include "repo.h"
#include "site.h"
#include "source.h"
#include "theme.h"
#include "url.h"
#include "versions.h"
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

/*
 * What a render worker does with a page: render it, or its history page,
 * or the change view of its k-th major change.
 */
enum job_kind { JOB_PAGE, JOB_HISTORY, JOB_CHANGE };

struct job {
	struct page	*page;
	enum job_kind	 kind;
	size_t		 k;
};

struct build {
	const struct build_opts	*opts;
	struct site		*site;
	struct render_env	 env;
	struct output		*out;
	struct cache		*cache;		/* NULL: render every page */
	struct job		*queue;		/* what to render */
	size_t			 nqueue;
	struct worker		 worker;	/* in each child its own */
	struct output_cursor	 cursor;	/* the building process's */
	struct diags		 diags;		/* of the pages rendered */
	size_t			 files;
	size_t			 rendered;
	size_t			 done;
	struct timespec		 last;		/* of the last progress report */
	size_t			 total;		/* jobs, taken over or not */
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

/* Where job j's file goes in the output (the caller frees it). */
static char *
job_rel(const struct build *b, const struct job *j)
{
	switch (j->kind) {
	case JOB_HISTORY:
		return changes_history_rel(&b->env, j->page);
	case JOB_CHANGE:
		return changes_view_rel(&b->env, j->page, j->k);
	default:
		return xstrdup(j->page->out);
	}
}

/* In a worker: renders job i of the list and puts the result in out. */
static void
render_child(void *arg, size_t i, struct buf *out)
{
	struct build *b = arg;
	struct worker *w = &b->worker;
	const struct job *j = &b->queue[i];
	struct page *p = j->page;
	struct md_result md;
	size_t k;
	int rc;

	struct output *o = b->out;
	size_t written;
	enum page_state state;
	char *rel;

	memset(&md, 0, sizeof(md));
	if (j->kind == JOB_PAGE)
		rc = render_page(&b->env, p, &w->arena, &w->src, &w->html,
		    &md, &w->diags);
	else if (j->kind == JOB_HISTORY)
		rc = changes_render_history(&b->env, p, &w->arena, &w->html,
		    &w->diags);
	else
		rc = changes_render_view(&b->env, p, j->k, &w->arena,
		    &w->html, &w->diags);
	state = rc == 0 ? PAGE_HTML : PAGE_FAILED;
	/*
	 * A worker that can write the file itself spares the building
	 * process the bytes; in the building process itself, the counts
	 * are its own already.
	 */
	if (state == PAGE_HTML && o != NULL && o->from_workers &&
	    getpid() != b->pid) {
		written = atomic_load(&o->written);
		rel = job_rel(b, j);
		if (output_page(o, &w->cursor, rel, w->html.data,
		    w->html.len) == -1) {
			diag_error(&w->diags, rel, 0, 0, NULL,
			    "cannot write the output file: %s",
			    strerror(errno));
			state = PAGE_UNWRITTEN;
		} else
			state = atomic_load(&o->written) != written ?
			    PAGE_WRITTEN : PAGE_KEPT;
		free(rel);
	}
	put_u32(out, state);
	put_u32(out, state == PAGE_HTML ? (uint32_t)w->html.len : 0);
	if (state == PAGE_HTML)
		buf_put(out, w->html.data, w->html.len);
	/* Only a page's own render has ids for the link check. */
	put_u32(out, j->kind == JOB_PAGE ? (uint32_t)p->nids : 0);
	for (k = 0; j->kind == JOB_PAGE && k < p->nids; k++)
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
	if (j->kind == JOB_PAGE)
		page_forget(p);
	arena_reset(&w->arena);
}

/* In the building process: takes page i's result in. */
static void
render_done(void *arg, size_t i, const char *data, size_t len)
{
	struct build *b = arg;
	const struct job *j = &b->queue[i];
	struct page *p = j->page;
	struct reader r = { data, data + len };
	struct timespec now;
	uint32_t ok, hlen, n, k;
	size_t errors = b->diags.len;
	const char *html;
	char *rel;

	ok = get_u32(&r);
	hlen = get_u32(&r);
	if (hlen > (size_t)(r.end - r.p))
		hlen = 0;
	html = r.p;
	r.p += hlen;
	n = get_u32(&r);
	if (j->kind == JOB_PAGE)
		p->ids = xcalloc(n ? n : 1, sizeof(*p->ids));
	for (k = 0; k < n && r.p < r.end; k++)
		p->ids[p->nids++] = get_str(&r);
	n = get_u32(&r);
	if (j->kind == JOB_PAGE)
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
	if (j->kind == JOB_PAGE)
		b->rendered++;
	switch (ok) {
	case PAGE_HTML:
		rel = job_rel(b, j);
		if (b->out && output_page(b->out, &b->cursor, rel, html,
		    hlen) == -1) {
			diag_error(&b->diags, rel, 0, 0, NULL,
			    "cannot write the output file: %s",
			    strerror(errno));
			free(rel);
			break;
		}
		free(rel);
		b->files++;
		if (j->kind == JOB_PAGE)
			p->clean = b->diags.len == errors;
		break;
	case PAGE_WRITTEN:
	case PAGE_KEPT:
		atomic_fetch_add(ok == PAGE_WRITTEN ? &b->out->written :
		    &b->out->kept, 1);
		b->files++;
		if (j->kind == JOB_PAGE)
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
			b->opts->progress(b->done, b->total,
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

/*
 * Links to headings of other pages, now that every page has its ids:
 * one map of "page#id" for all of them, so that the check costs the
 * links plus the headings, never their product.
 */
static void
check_links(const struct site *s, struct diags *d)
{
	struct hmap ids = HMAP_INIT, targets = HMAP_INIT;
	struct arena a = ARENA_INIT;
	struct buf key = BUF_INIT;
	size_t i, k, j;

	/* Only the ids of pages that are linked to: most have no links. */
	for (i = 0; i < s->npages; i++)
		for (k = 0; k < s->pages[i]->nlinks; k++) {
			const struct page *to = s->pages[i]->links[k].to;
			if (hmap_put(&targets, to->src, (void *)to) != NULL)
				continue;
			for (j = 0; j < to->nids; j++) {
				char *id = arena_printf(&a, "%s#%s", to->src,
				    to->ids[j]);
				hmap_put(&ids, id, id);
			}
		}
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		for (k = 0; k < p->nlinks; k++) {
			const struct page_link *l = &p->links[k];
			/* A page that failed has no ids to check against. */
			if (l->to->ids == NULL)
				continue;
			buf_reset(&key);
			buf_printf(&key, "%s#%s", l->to->src, l->id);
			if (hmap_get(&ids, key.data) == NULL)
				diag_error(d, p->file, l->line, 0,
				    "Check the heading's id: its text in lower "
				    "case, with a for ä and å, o for ö, and - "
				    "for spaces and punctuation.",
				    "%s has no heading #%s", l->to->file,
				    l->id);
		}
	}
	buf_free(&key);
	hmap_free(&ids);
	hmap_free(&targets);
	arena_free(&a);
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

/*
 * Queues job (p, kind, k) unless the rebuild cache says its old file
 * stands: a history page or change view depends on nothing the cache key
 * does not cover (the key has the history's tip).
 */
static void
queue(struct build *b, size_t *cap, struct page *p, enum job_kind kind,
    size_t k)
{
	struct job j = { p, kind, k };
	char *rel;

	b->total++;
	if (kind != JOB_PAGE && b->cache) {
		rel = job_rel(b, &j);
		if (output_keep(b->out, &b->cursor, rel) == 0) {
			free(rel);
			b->files++;
			return;
		}
		free(rel);
	}
	b->queue = xgrow(b->queue, cap, b->nqueue + 1, sizeof(*b->queue));
	b->queue[b->nqueue++] = j;
}

static void
render_all(struct build *b, int jobs, struct build_stats *st,
    struct diags *d)
{
	struct site *s = b->site;
	size_t i, k, cap = 0;
	int rc;

	/* Unchanged since the last build: the old file stands as it is. */
	for (i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (b->cache && cache_restore(b->cache, s, p)) {
			if (output_keep(b->out, &b->cursor, p->out) == 0) {
				b->files++;
				b->total++;
				continue;
			}
			page_forget(p);
		}
		if (p->broken)
			continue;
		queue(b, &cap, p, JOB_PAGE, 0);
	}
	/* The history pages after the pages: residents look at those first. */
	for (i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (p->history == NULL || p->broken)
			continue;
		queue(b, &cap, p, JOB_HISTORY, 0);
		for (k = 0; k < p->history->nmajor; k++)
			queue(b, &cap, p, JOB_CHANGE, k);
	}
	b->done = b->total - b->nqueue;
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
		if (p->history && (p->history->updated || p->history->first)) {
			const struct hist_commit *c = p->history->updated ?
			    p->history->updated : p->history->first;
			char iso[11], display[16];
			render_commit_date(c->time, c->offset, iso, display);
			if (p->date == NULL || strncmp(iso, p->date, 10) > 0)
				buf_printf(h, "<lastmod>%s</lastmod>", iso);
			else
				buf_printf(h, "<lastmod>%.10s</lastmod>",
				    p->date);
		} else if (p->date)
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

struct extra_write {
	struct build		*b;
	struct build_stats	*st;
	struct diags		*d;
};

static int
extra_write(const char *rel, const char *data, size_t len, void *arg)
{
	struct extra_write *x = arg;

	x->st->files++;
	if (output_write(x->b->out, rel, data, len) == -1) {
		diag_error(x->d, rel, 0, 0, NULL, "cannot write: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
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
	/* An archived version is not for search engines. */
	if (b->opts->archive == NULL)
		write_sitemap(b, t, &h, st, d);
	if (b->env.history != NULL) {
		struct extra_write x = { b, st, d };
		changes_render_site(&b->env, &a, extra_write, &x, d);
		arena_reset(&a);
	}
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
plan_outputs(const struct site *s, const struct theme *t,
    const struct render_env *env, struct diags *d)
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
	for (i = 0; env->history && i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (p->history == NULL)
			continue;
		rel = changes_history_rel(env, p);
		from = xasprintf("%s (its history)", p->file);
		plan(&pl, rel, from);
		free(rel);
		for (j = 0; j < p->history->nmajor; j++) {
			rel = changes_view_rel(env, p, j);
			plan(&pl, rel, from);
			free(rel);
		}
		free(from);
	}
	if (env->history) {
		rel = xasprintf("%s/index.html", env->changes_seg);
		plan(&pl, rel, "the changes page");
		free(rel);
		rel = xasprintf("%s/atom.xml", env->changes_seg);
		plan(&pl, rel, "the feed of changes");
		free(rel);
	}
	if (s->cfg->versions && env->history) {
		rel = xasprintf("%s/index.html", env->versions_seg);
		plan(&pl, rel, "the versions page");
		free(rel);
	}
	plan(&pl, "404.html", "the 404 page");
	if (env->archive)
		goto done;
	plan(&pl, "sitemap.xml", "the sitemap");
	for (i = 0; i < t->statics.len; i++)
		if (strcmp(t->statics.v[i].path, "robots.txt") == 0)
			robots = 1;
	/* A theme's own robots.txt stands instead of Valo's. */
	if (!robots)
		plan(&pl, "robots.txt", "robots.txt (made by Valo)");
done:
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

/* Does commit id hold the site (its site.conf)? */
static int
committed(struct repo *r, const git_oid *id)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	char *path = xasprintf("%ssite.conf", r->prefix);
	int found;

	found = git_commit_lookup(&c, r->git, id) == 0 &&
	    git_commit_tree(&t, c) == 0 &&
	    git_tree_entry_bypath(&e, t, path) == 0;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	free(path);
	return found;
}

/*
 * The site's history: from the repository and commit of a git source, or
 * else from the repository that holds the site folder, at HEAD. Returns 1
 * with h loaded (and *own set to a repository to free, if one was
 * opened), 0 where there is none (with a note saying why), -1 after an
 * error.
 */
static int
load_history(const struct build_opts *o, const struct config *cfg,
    int jobs, struct history *h, struct repo **repo, struct repo **own,
    struct diags *d)
{
	struct diags quiet = DIAGS_INIT;
	struct history_opts ho;
	git_oid head;
	const git_oid *tip = o->commit;
	char *cache;
	int rc;

	*own = NULL;
	if ((*repo = o->repo) == NULL) {
		if ((*repo = *own = repo_open(o->root, &quiet)) == NULL) {
			diags_free(&quiet);
			diag_note(d, "", 0, 0, "Keep the site in a git "
			    "repository (git init; git add .; git commit) "
			    "to show each page's history.", "the site folder "
			    "is not in a git repository: pages show no "
			    "history of changes");
			return 0;
		}
		if (git_reference_name_to_id(&head, (*repo)->git, "HEAD") < 0) {
			diag_note(d, "", 0, 0, "Commit the site to show each "
			    "page's history.", "the repository has no commits "
			    "yet: pages show no history of changes");
			return 0;
		}
		tip = &head;
		if (!committed(*repo, tip)) {
			diag_note(d, "", 0, 0, "Commit the site to show each "
			    "page's history.", "the site folder is not "
			    "committed in its repository: pages show no "
			    "history of changes");
			return 0;
		}
	}
	cache = xasprintf("%svalo/history",
	    git_repository_commondir((*repo)->git));
	memset(&ho, 0, sizeof(ho));
	ho.jobs = jobs;
	ho.trailer = cfg->history_note;
	ho.cache = cache;
	rc = history_load(h, *repo, tip, &ho, d);
	free(cache);
	if (rc == -1)
		return -1;
	if (h->shallow)
		diag_warn(d, "", 0, 0, "Fetch the whole history with: git "
		    "fetch --unshallow", "the repository is a shallow clone: "
		    "what changed before its oldest commit is not known, and "
		    "pages that existed then show no date of first "
		    "publication");
	return 1;
}

/*
 * Approved versions: each built in full from its tag's content/, with
 * today's settings and theme (so that each carries the banner and today's
 * accessible templates), under versiot/TAG/ of this output, and a page
 * that lists them. A version that does not build is an error like any
 * other: an approved text must stay readable.
 */
static void
build_versions(struct build *b, struct repo *repo, struct build_stats *st,
    struct diags *d)
{
	const struct site *s = b->site;
	struct versions vs;
	struct hmap moved = HMAP_INIT;
	struct arena a = ARENA_INIT;
	struct buf h = BUF_INIT;
	size_t i, k;
	char *rel;

	if (!mu_set_has(b->env.theme->templates, "versions")) {
		diag_note(d, b->env.theme->dir, 0, 0, "Copy versions.mustache "
		    "and archive.mustache from the default theme.", "the theme "
		    "has no template for approved versions: none are built");
		return;
	}
	if (versions_list(&vs, repo, s->cfg->versions, d) == -1)
		return;
	/* A page that moved since links to where it is now. */
	for (i = 0; i < s->npages; i++) {
		const struct hist_file *f = history_file(b->env.history,
		    s->pages[i]->src);
		for (k = 0; f && k < f->len; k++)
			if (f->v[k]->kind == HIST_RENAMED && f->v[k]->old_path)
				hmap_put(&moved, f->v[k]->old_path,
				    s->pages[i]);
	}
	for (i = 0; i < vs.len; i++) {
		const struct version *v = &vs.v[i];
		struct diags vd = DIAGS_INIT;
		struct build_stats vst;
		struct build_opts vo = *b->opts;
		struct archive ar;
		git_commit *c = NULL;
		struct source *tag, *ov;
		struct output *po;
		char *prefix = versions_prefix(&b->env, v);
		char *base = xasprintf("%s%s", s->cfg->base_url, prefix);
		char *list = xasprintf("%s%s/", s->cfg->base_path,
		    b->env.versions_seg);

		if (git_commit_lookup(&c, repo->git, &v->commit) < 0 ||
		    (tag = source_git_open(repo, c, d)) == NULL) {
			repo_error(d, "site.conf", NULL, "cannot read version "
			    "%s", v->tag);
			git_commit_free(c);
			free(prefix);
			free(base);
			free(list);
			continue;
		}
		ov = source_overlay_open(s->src, tag, "content");
		po = output_prefix_new(b->out, prefix);
		ar.tag = v->tag;
		ar.time = v->time;
		ar.offset = v->offset;
		ar.message = v->message;
		ar.current = s;
		ar.moved = &moved;
		ar.versions_url = list;
		vo.src = ov;
		vo.repo = repo;
		vo.commit = &v->commit;
		vo.out = po;
		vo.out_dir = NULL;
		vo.base_url = base;
		vo.drafts = 0;
		vo.archive = &ar;
		vo.progress = NULL;
		build_site(&vo, &vst, &vd);
		st->files += vst.files;
		for (k = 0; k < vd.len; k++) {
			struct diag *g = &vd.v[k];
			diag_add(d, g->level, g->file, g->line, g->col, g->hint,
			    "in version %s: %s", v->tag, g->msg);
		}
		diags_free(&vd);
		output_free(po);
		source_free(ov);
		git_commit_free(c);
		free(prefix);
		free(base);
		free(list);
	}
	if (versions_render_page(&b->env, &vs, &a, &h, d) == 0) {
		rel = xasprintf("%s/index.html", b->env.versions_seg);
		if (output_write(b->out, rel, h.data, h.len) == -1)
			diag_error(d, rel, 0, 0, NULL, "cannot write: %s",
			    strerror(errno));
		st->files++;
		free(rel);
	}
	buf_free(&h);
	arena_free(&a);
	hmap_free(&moved);
	versions_free(&vs);
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
	struct history hist;
	struct repo *repo = NULL, *own_repo = NULL;
	struct page_history *ph = NULL;
	int have_history = 0;
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
	memset(&hist, 0, sizeof(hist));
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
	if (o->no_history)
		cfg.history = 0;
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
	if (cfg.history && d->errors == shared &&
	    !(mu_set_has(theme.templates, "history") &&
	    mu_set_has(theme.templates, "change") &&
	    mu_set_has(theme.templates, "changes")))
		diag_note(d, theme.dir, 0, 0, "Copy history.mustache, "
		    "change.mustache and changes.mustache from the default "
		    "theme.", "the theme has no templates for the history of "
		    "changes: pages show none");
	else if (cfg.history && d->errors == shared && o->archive == NULL) {
		have_history = load_history(o, &cfg, jobs, &hist, &repo,
		    &own_repo, d);
		if (have_history == -1)
			goto out;
	}
	if (have_history == 1) {
		ph = page_history_build(&site, &hist);
		for (i = 0; i < site.npages; i++)
			site.pages[i]->history = &ph[i];
	}
	st->t_history = since(&t);
	b.opts = o;
	b.site = &site;
	render_env_init(&b.env, &site, &theme, have_history == 1 ? &hist :
	    NULL, repo, &site.arena);
	if (o->archive)
		render_env_archive(&b.env, o->archive, &site.arena);
	plan_outputs(&site, &theme, &b.env, d);
	if (d->errors != shared)
		goto out;

	/* With errors found already, check the rest but write nothing. */
	if (out != NULL && d->errors == errors) {
		if (output_begin(out, d) == -1)
			goto out;
		begun = 1;
		b.out = out;
		key = cache_key(&site, theme.hash);
		/* Every page shows its history: a new commit changes them. */
		if (have_history == 1) {
			struct { uint64_t key; git_oid tip; int authors; } k;
			memset(&k, 0, sizeof(k));
			k.key = key;
			k.tip = hist.tip;
			k.authors = cfg.history_authors;
			key = hash_bytes(&k, sizeof(k)) ^
			    hash_bytes(cfg.history_note,
			    strlen(cfg.history_note));
		}
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
	if (d->errors == errors && b.out && have_history == 1 && cfg.versions)
		build_versions(&b, repo, st, d);
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
	for (i = 0; i < site.npages; i++)
		site.pages[i]->history = NULL;
	page_history_free(ph, site.npages);
	history_free(&hist);
	repo_free(own_repo);
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
