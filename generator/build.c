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
#include "csv.h"
#include "data.h"
#include "deps.h"
#include "glossary.h"
#include "history.h"
#include "hyphen.h"
#include "markdown.h"
#include "output.h"
#include "page_history.h"
#include "participate.h"
#include "plain.h"
#include "render.h"
#include "repo.h"
#include "search_page.h"
#include "site.h"
#include "source.h"
#include "tags.h"
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
	struct deps	 deps;		/* what the page read (live builds) */
	struct plain	*plain;		/* the plain-language checker, or NULL */
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
	size_t		 rec;		/* its record, in a live build */
};

/*
 * A live build's record of one file it rendered or took over: what the
 * file read, so that the next build knows whether it still stands.
 */
struct record {
	char		*rel;
	struct page	*page;
	enum job_kind	 kind;
	size_t		 k;
	struct deps	 deps;
	int		 failed;	/* it did not render: no file */
};

struct build {
	struct build_opts	 o;		/* the caller's, copied */
	struct participation	 part;		/* consultations, events, ... */
	struct glossary		*glossary;	/* data sanasto, or NULL */
	/* The search indexes, made while the pages render, or NULL. */
	struct search_prepared	*search;
	/* Their pages' words, counted as the pages load, or NULL. */
	struct search_early	*early;
	int64_t			 now;		/* the build time */
	const struct build_opts	*opts;		/* &o */
	struct config		 cfg;
	struct source		*own_src;
	struct output		*own_out;
	char			*outdir;
	struct site		 site_store;
	int			 site_init;
	struct theme		 theme;
	struct cache		 cache_store;
	struct history		 hist;
	int			 have_history;
	struct repo		*repo;
	struct repo		*own_repo;
	struct page_history	*ph;
	struct hyphen		*hyphen;
	/* Live builds: a record per file rendered from a page, by rel. */
	struct record		*recs;
	size_t			 nrecs;
	size_t			 caprecs;
	struct hmap		 by_rel;
	struct prints		 prints;	/* of every input, as read */
	const struct build	*prev;		/* while building: the last */
	struct site		*site;
	struct render_env	 env;
	struct output		*out;
	struct cache		*cache;		/* NULL: render every page */
	struct job		*queue;		/* what to render */
	size_t			 nqueue;
	struct worker		 worker;	/* in each child its own */
	struct output_cursor	 cursor;	/* the building process's */
	struct diags		 diags;		/* of the pages rendered */
	/* What the search thread wrote while the pages rendered. */
	struct output_cursor	 search_cursor;
	struct diags		 search_diags;
	size_t			 search_files;
	size_t			 files;
	size_t			 rendered;
	size_t			 done;
	struct timespec		 last;		/* of the last progress report */
	size_t			 total;		/* jobs, taken over or not */
	struct buf		*racy;		/* VALO_TEST_RACY_THREADS */
	struct hyphen		**racy_hy;	/* one a thread but the first */
	struct plain		**racy_plain;	/* likewise */
	/*
	 * Plain language, checked on every page rendered of a Finnish site;
	 * the warnings kept only for check --plain, the counts always.
	 */
	struct plain_limits	 plain_lim;
	const char		**gloss;	/* the glossary's terms */
	size_t			 ngloss;
	int			 plain_on;
	int			 plain_report;
	struct plain_stats	 plain;
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
	struct plain_stats ps;
	size_t k;
	int rc;

	struct output *o = b->out;
	size_t written;
	enum page_state state;
	char *rel;

	memset(&md, 0, sizeof(md));
	w->deps.len = 0;
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
	memset(&ps, 0, sizeof(ps));
	/* A section without _index.md has no text: src is another page's. */
	/* The checker is Finnish: the pages in the site's own language. */
	if (rc == 0 && j->kind == JOB_PAGE && w->plain != NULL &&
	    p->lang == 0 && !p->implicit && p->body_off <= w->src.len) {
		struct diags quiet = DIAGS_INIT;
		plain_check(w->plain, p->file, w->src.data + p->body_off,
		    w->src.len - p->body_off, p->body_line,
		    b->plain_report ? &w->diags : &quiet, &ps);
		diags_free(&quiet);
	}
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
	for (k = 0; k < w->diags.len; k++)
		diag_pack(out, &w->diags.v[k]);
	put_u32(out, (uint32_t)w->deps.len);
	buf_put(out, w->deps.v, w->deps.len * sizeof(*w->deps.v));
	put_u32(out, (uint32_t)ps.sentences);
	put_u32(out, (uint32_t)ps.long_sentences);
	put_u32(out, (uint32_t)ps.long_words);
	put_u32(out, (uint32_t)ps.passive_paragraphs);
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
	size_t errors = b->diags.len, errs = b->diags.errors;
	const char *html;
	char *rel;

	ok = get_u32(&r);
	hlen = get_u32(&r);
	if (hlen > (size_t)(r.end - r.p))
		hlen = 0;
	html = r.p;
	r.p += hlen;
	/*
	 * A page that failed keeps no ids: check_links then passes over the
	 * links to it instead of calling each of them broken.
	 */
	n = get_u32(&r);
	if (j->kind == JOB_PAGE && ok != PAGE_FAILED)
		p->ids = xcalloc(n ? n : 1, sizeof(*p->ids));
	for (k = 0; k < n && r.p < r.end; k++) {
		char *id = get_str(&r);
		if (p->ids != NULL && j->kind == JOB_PAGE && ok != PAGE_FAILED)
			p->ids[p->nids++] = id;
		else
			free(id);
	}
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
	for (k = 0; k < n && r.p != NULL && r.p < r.end; k++)
		r.p = diag_unpack(&b->diags, r.p, r.end);
	if (r.p == NULL)
		r.p = r.end;
	n = get_u32(&r);
	if (b->recs != NULL) {
		struct record *rec = &b->recs[j->rec];
		for (k = 0; k < n && (size_t)(r.end - r.p) >= sizeof(uint64_t);
		    k++) {
			uint64_t key;
			memcpy(&key, r.p, sizeof(key));
			r.p += sizeof(key);
			deps_add_key(&rec->deps, key);
		}
		deps_tidy(&rec->deps);
		rec->failed = ok == PAGE_FAILED || ok == PAGE_UNWRITTEN ||
		    b->diags.errors != errs;
	} else
		r.p += (size_t)(r.end - r.p) / sizeof(uint64_t) < n ?
		    (size_t)(r.end - r.p) : n * sizeof(uint64_t);
	b->plain.sentences += get_u32(&r);
	b->plain.long_sentences += get_u32(&r);
	b->plain.long_words += get_u32(&r);
	b->plain.passive_paragraphs += get_u32(&r);
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
			if (hmap_get(&ids, key.data) != NULL)
				continue;
			diag_error(d, p->file, l->line, 0,
			    "Check the heading's id: its text in lower case, "
			    "with a for ä and å, o for ö, and - for spaces "
			    "and punctuation.",
			    "%s has no heading #%s", l->to->file, l->id);
			/* char ** is not const char *const * without a cast. */
			markdown_hint_id(d, l->id,
			    (const char *const *)l->to->ids, l->to->nids);
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

	memset(&one.worker, 0, sizeof(one.worker));
	if (b->env.deps != NULL)
		one.env.deps = &one.worker.deps;
	/* A hyphenator keeps what it has seen: one for each thread. */
	if (b->env.hyphen != NULL && worker > 0) {
		const char *why;
		if (b->racy_hy[worker] == NULL)
			b->racy_hy[worker] = hyphen_open(b->cfg.language, &why);
		one.env.hyphen = b->racy_hy[worker];
	}
	if (b->worker.plain != NULL) {
		const char *why;
		if (worker > 0 && b->racy_plain[worker] == NULL)
			b->racy_plain[worker] = plain_new(&b->plain_lim,
			    b->gloss, b->ngloss, &why);
		one.worker.plain = worker > 0 ? b->racy_plain[worker] :
		    b->worker.plain;
	}
	render_child(&one, i, &b->racy[i]);
	deps_free(&one.worker.deps);
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
	b->racy_hy = xcalloc((size_t)jobs + 1, sizeof(*b->racy_hy));
	b->racy_plain = xcalloc((size_t)jobs + 1, sizeof(*b->racy_plain));
	rc = pool_run(jobs, b->nqueue, racy_item, b);
	for (i = 0; i <= (size_t)jobs; i++)
		hyphen_close(b->racy_hy[i]);
	free(b->racy_hy);
	b->racy_hy = NULL;
	for (i = 0; i <= (size_t)jobs; i++)
		plain_free(b->racy_plain[i]);
	free(b->racy_plain);
	b->racy_plain = NULL;
	for (i = 0; i < b->nqueue; i++) {
		render_done(b, i, b->racy[i].data, b->racy[i].len);
		buf_free(&b->racy[i]);
	}
	free(b->racy);
	b->racy = NULL;
	return rc;
}

/* A live build's record of job j, at rel (which it takes). */
static size_t
record(struct build *b, const struct job *j, char *rel)
{
	struct record *r;

	b->recs = xgrow(b->recs, &b->caprecs, b->nrecs + 1, sizeof(*b->recs));
	r = &b->recs[b->nrecs];
	memset(r, 0, sizeof(*r));
	r->rel = rel;
	r->page = j->page;
	r->kind = j->kind;
	r->k = j->k;
	return b->nrecs++;
}

/*
 * Takes file r over from the build before if nothing it read has
 * changed since: its output, what it read and, for a page, its heading
 * ids and links (to this build's pages of the same sources).
 */
static int
take_over(struct build *b, struct record *r)
{
	const struct build *pv = b->prev;
	const struct record *old;
	struct page *p = r->page, *to;
	size_t i;

	if (pv == NULL || (old = hmap_get(&pv->by_rel, r->rel)) == NULL ||
	    old->failed || old->kind != r->kind || old->k != r->k ||
	    strcmp(old->page->src, p->src) != 0 ||
	    deps_stale(&old->deps, &pv->prints, &b->prints))
		return 0;
	if (r->kind == JOB_PAGE)
		for (i = 0; i < old->page->nlinks; i++)
			if (site_page(b->site, old->page->links[i].to->src) ==
			    NULL)
				return 0;
	if (output_keep(b->out, &b->cursor, r->rel) == -1)
		return 0;
	for (i = 0; i < old->deps.len; i++)
		deps_add_key(&r->deps, old->deps.v[i]);
	if (r->kind != JOB_PAGE)
		return 1;
	page_forget(p);
	p->ids = xcalloc(old->page->nids ? old->page->nids : 1,
	    sizeof(*p->ids));
	for (i = 0; i < old->page->nids; i++)
		p->ids[p->nids++] = xstrdup(old->page->ids[i]);
	p->links = xcalloc(old->page->nlinks ? old->page->nlinks : 1,
	    sizeof(*p->links));
	for (i = 0; i < old->page->nlinks; i++) {
		const struct page_link *l = &old->page->links[i];
		to = site_page(b->site, l->to->src);
		p->links[p->nlinks].to = to;
		p->links[p->nlinks].line = l->line;
		p->links[p->nlinks++].id = xstrdup(l->id);
	}
	p->clean = old->page->clean;
	return 1;
}

/*
 * Queues job (p, kind, k) unless the rebuild cache says its old file
 * stands (a history page or change view depends on nothing the cache key
 * does not cover: the key has the history's tip), or, in a live build,
 * nothing it read has changed since the build before.
 */
static void
queue(struct build *b, size_t *cap, struct page *p, enum job_kind kind,
    size_t k)
{
	struct job j = { p, kind, k, 0 };
	char *rel;

	b->total++;
	if (b->opts->live && b->out) {
		j.rec = record(b, &j, job_rel(b, &j));
		if (take_over(b, &b->recs[j.rec])) {
			b->files++;
			return;
		}
	} else if (kind != JOB_PAGE && b->cache) {
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

/* An index file, written from the search thread. */
static int
search_data_write(const char *rel, const char *data, size_t len, void *arg)
{
	struct build *b = arg;

	b->search_files++;
	if (output_page(b->out, &b->search_cursor, rel, data, len) == -1) {
		diag_error(&b->search_diags, rel, 0, 0, NULL,
		    "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The search indexes come from the pages' sources, not from what
 * renders: from the words counted as the pages loaded (b->early), and
 * the few pages not counted then, on a thread of the building process
 * while the workers render. The thread reads the model alone, which the
 * workers' results (render_done) do not touch.
 */
static void
prepare_search(void *arg)
{
	struct build *b = arg;

	b->search = search_prepare(&b->env, jobs_for(b->opts, &b->cfg),
	    b->early);
	b->early = NULL;
	/* A folder takes files from any thread: the index's, meanwhile. */
	if (b->out->from_workers) {
		search_write_data(&b->env, b->search, search_data_write, b);
		output_cursor_close(b->out, &b->search_cursor);
	}
}

/* Renders the jobs queued, taking their results in. */
static void
render_queue(struct build *b, int jobs, struct build_stats *st)
{
	const char *why;
	int rc;

	b->done = b->total - b->nqueue;
	b->pid = getpid();
	if (b->opts->live)
		b->env.deps = &b->worker.deps;
	/* Made before the fork: each worker then has a checker of its own. */
	if (b->plain_on)
		b->worker.plain = plain_new(&b->plain_lim, b->gloss, b->ngloss,
		    &why);
	/*
	 * A few pages render here: a preview's threads must not be
	 * forked for them (and a fork costs more than a page).
	 */
	if (getenv("VALO_TEST_RACY_THREADS") != NULL ||
	    (b->opts->live && b->nqueue <= 4))
		rc = render_racy(b, getenv("VALO_TEST_RACY_THREADS") ? jobs :
		    1);
	else
		rc = procpool_run_beside(jobs, b->nqueue, render_child,
		    render_done, b, b->out ? prepare_search : NULL, b);
	if (rc == -1)
		diag_error(&b->diags, "", 0, 0, "Build again; if it happens "
		    "again, report it with the site that causes it.",
		    "a render worker ended abnormally; its pages were not "
		    "built");
	st->jobs = rc < 1 ? jobs : rc;
	diags_move(&b->diags, &b->search_diags);
	b->files += b->search_files;
	b->search_files = 0;
	b->env.deps = NULL;
	if (b->out)
		output_cursor_close(b->out, &b->cursor);
	if (b->out)
		output_cursor_close(b->out, &b->worker.cursor);
	arena_free(&b->worker.arena);
	buf_free(&b->worker.src);
	buf_free(&b->worker.html);
	deps_free(&b->worker.deps);
	plain_free(b->worker.plain);
	b->worker.plain = NULL;
	free(b->queue);
	b->queue = NULL;
	b->nqueue = 0;
}

static void
render_all(struct build *b, int jobs, struct build_stats *st,
    struct diags *d)
{
	struct site *s = b->site;
	size_t i, k, cap = 0;

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
	for (i = 0; i < b->nrecs; i++)
		hmap_put(&b->by_rel, b->recs[i].rel, &b->recs[i]);
	render_queue(b, jobs, st);
	st->pages = s->npages;
	st->files = b->files;
	st->rendered = b->rendered;
	st->plain = b->plain;
	st->plain_checked = b->plain_on;
	diags_move(d, &b->diags);
	check_links(s, d);
}

/*
 * The time the site is shown at: the caller's (--today), the
 * reproducible-builds convention's, the commit's built (the newest of
 * the history), or, for files outside git, the clock.
 */
static int64_t
build_time(const struct build *b, const struct build_opts *o)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	long long t;

	if (o->has_today)
		return o->today;
	if (sde != NULL && (t = strtoll(sde, &end, 10)) > 0 && *end == '\0')
		return (int64_t)t;
	if (b->have_history == 1 && b->hist.ncommits > 0)
		return b->hist.commits[0].time;
	return (int64_t)time(NULL);
}

/*
 * Plain language is checked on a Finnish site (the guidance it follows is
 * Finnish) where libvoikko's dictionary is there; hyphenation has said
 * when it is not. The glossary's terms (data sanasto: a list of maps
 * with term and forms) count as explained words.
 */
static void
plain_setup(struct build *b, const struct build_opts *o)
{
	const struct value *g, *t, *f;
	size_t i, k, cap = 0;

	b->plain_lim.sentence_words = b->cfg.plain_sentence_words;
	b->plain_lim.word_length = b->cfg.plain_word_length;
	b->plain_lim.passive_share = b->cfg.plain_passive_share;
	b->plain_report = o->plain;
	b->plain_on = b->hyphen != NULL && (b->plain_lim.sentence_words ||
	    b->plain_lim.word_length || b->plain_lim.passive_share);
	g = b->site->data ? value_get(b->site->data, "sanasto") : NULL;
	for (i = 0; g != NULL && g->type == VAL_LIST && i < g->len; i++) {
		t = value_get(g->u.items[i], "term");
		f = value_get(g->u.items[i], "forms");
		for (k = 0; ; k++) {
			const struct value *v = k == 0 ? t : f &&
			    f->type == VAL_LIST && k - 1 < f->len ?
			    f->u.items[k - 1] : NULL;
			if (v == NULL)
				break;
			if (v->type != VAL_STRING)
				continue;
			b->gloss = xgrow(b->gloss, &cap, b->ngloss + 1,
			    sizeof(*b->gloss));
			b->gloss[b->ngloss++] = v->str;
		}
	}
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
	int k, nv;

	buf_reset(h);
	buf_printf(h, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"%s>"
	    "\n", s->cfg->nlangs > 1 ?
	    " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"" : "");
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		buf_puts(h, "<url><loc>");
		buf_put_html(h, base, strlen(base));
		buf_put_html(h, p->url + strlen(bp), strlen(p->url + strlen(bp)));
		buf_puts(h, "</loc>");
		if (p->history && (p->history->updated || p->history->first)) {
			const struct hist_commit *c = p->history->updated ?
			    p->history->updated : p->history->first;
			char iso[11], display[40];
			render_commit_date(NULL, c->time, c->offset, iso,
			    display);
			if (p->date == NULL || strncmp(iso, p->date, 10) > 0)
				buf_printf(h, "<lastmod>%s</lastmod>", iso);
			else
				buf_printf(h, "<lastmod>%.10s</lastmod>",
				    p->date);
		} else if (p->date)
			buf_printf(h, "<lastmod>%.10s</lastmod>", p->date);
		/* Every version of the page names all of them, itself too. */
		for (k = nv = 0; k < s->cfg->nlangs; k++)
			nv += p->tr[k] != NULL;
		for (k = 0; nv > 1 && k < s->cfg->nlangs; k++) {
			const struct page *q = p->tr[k];
			if (q == NULL)
				continue;
			buf_printf(h, "\n<xhtml:link rel=\"alternate\" "
			    "hreflang=\"%s\" href=\"", s->cfg->langs[k].code);
			buf_put_html(h, base, strlen(base));
			buf_put_html(h, q->url + strlen(bp),
			    strlen(q->url + strlen(bp)));
			buf_puts(h, "\"/>");
		}
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
	/* Kept from file to file: most go to one folder after another. */
	struct output_cursor	 cursor;
};

static int
extra_write(const char *rel, const char *data, size_t len, void *arg)
{
	struct extra_write *x = arg;

	x->st->files++;
	if (output_page(x->b->out, &x->cursor, rel, data, len) == -1) {
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
		struct extra_write x = { b, st, d, { NULL, -1, -1 } };
		changes_render_site(&b->env, &a, extra_write, &x, d);
		output_cursor_close(b->out, &x.cursor);
		arena_reset(&a);
	}
	{
		struct extra_write x = { b, st, d, { NULL, -1, -1 } };
		participation_write(&b->part, s, extra_write, &x, d);
		search_write(&b->env, jobs_for(b->opts, &b->cfg), b->search,
		    extra_write, &x, d);
		b->search = NULL;
		output_cursor_close(b->out, &x.cursor);
	}
	{
		struct extra_write x = { b, st, d, { NULL, -1, -1 } };
		tags_write(&b->env, &a, extra_write, &x, d);
		output_cursor_close(b->out, &x.cursor);
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
	/* Data of YAML that is a table goes for download as CSV too. */
	for (i = 0; s->data && i < s->data->len; i++) {
		const char *name = s->data->u.pairs[i].key;
		const char *f = data_file(s, name);
		char *rel;
		if (f == NULL || strcmp(strrchr(f, '.'), ".csv") == 0)
			continue;
		buf_reset(&h);
		if (csv_write_rows(s->data->u.pairs[i].val, &h) == -1)
			continue;
		rel = xasprintf("data/%s.csv", name);
		if (output_write(b->out, rel, h.data, h.len) == -1)
			diag_error(d, rel, 0, 0, NULL, "cannot write: %s",
			    strerror(errno));
		st->files++;
		free(rel);
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

static void
plan_cb(void *pl, const char *rel, const char *from)
{
	plan(pl, rel, from);
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
	if (env->part != NULL)
		participation_plan(env->part, s, plan_cb, &pl);
	search_plan(env, plan_cb, &pl);
	tags_plan(env, s, plan_cb, &pl);
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
	for (i = 0; s->data && i < s->data->len; i++) {
		const char *f = data_file(s, s->data->u.pairs[i].key);
		if (f == NULL || strcmp(strrchr(f, '.'), ".csv") == 0 ||
		    !data_has_csv(s, s->data->u.pairs[i].key))
			continue;
		rel = xasprintf("data/%s.csv", s->data->u.pairs[i].key);
		from = xasprintf("content/%s (as CSV)", f);
		plan(&pl, rel, from);
		free(rel);
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
		vo.live = 0;
		build_site(&vo, &vst, &vd);
		st->files += vst.files;
		for (k = 0; k < vd.len; k++) {
			diag_copy(d, &vd.v[k]);
			if (d->v[d->len - 1].version == NULL)
				d->v[d->len - 1].version = xstrdup(v->tag);
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

void
build_free(struct build *b)
{
	size_t i;

	if (b == NULL)
		return;
	search_prepared_free(b->search);
	search_early_free(b->early);
	for (i = 0; i < b->nrecs; i++) {
		free(b->recs[i].rel);
		deps_free(&b->recs[i].deps);
	}
	free(b->recs);
	hmap_free(&b->by_rel);
	prints_free(&b->prints);
	hyphen_close(b->hyphen);
	free(b->gloss);
	participation_free(&b->part);
	glossary_free(b->glossary);
	if (b->site_init) {
		for (i = 0; i < b->site->npages; i++)
			b->site->pages[i]->history = NULL;
		page_history_free(b->ph, b->site->npages);
		site_free(b->site);
	}
	history_free(&b->hist);
	repo_free(b->own_repo);
	cache_free(&b->cache_store);
	theme_free(&b->theme);
	output_free(b->own_out);
	free(b->outdir);
	config_free(&b->cfg);
	source_free(b->own_src);
	free(b);
}

/* The print of what every page shows besides the site's files. */
static uint64_t
history_print(const struct build *b)
{
	return b->have_history == 1 ? hash_bytes(&b->hist.tip,
	    sizeof(b->hist.tip)) : 0;
}

/*
 * Files that a watch saw change are stale whatever their ids say: an
 * edit within the same clock tick, of the same size, has the same id.
 */
static void
forget_changed(struct build *prev, const char *const *changed, size_t n)
{
	const char *f, *dot;
	size_t i;

	for (i = 0; prev && i < n; i++) {
		if (strncmp(changed[i], "content/", 8) != 0)
			continue;
		f = changed[i] + 8;
		prints_set(&prev->prints, dep_key(DEP_BODY, f, strlen(f)), 1);
		if (strncmp(f, "data/", 5) != 0 ||
		    (dot = strrchr(f, '.')) == NULL || dot < f + 5)
			continue;
		prints_set(&prev->prints, dep_key(DEP_DATA, f + 5,
		    (size_t)(dot - f - 5)), 1);
		prints_set(&prev->prints, dep_key(DEP_DATA, "", 0), 1);
	}
}

struct build *
build_keep(const struct build_opts *o, struct build *prev,
    const char *const *changed, size_t nchanged, struct build_stats *st,
    struct diags *d)
{
	struct build *b = xcalloc(1, sizeof(*b));
	struct source *src = o->src;
	struct output *out = o->out;
	struct site *site = &b->site_store;
	struct fm_memo memo;
	struct page_reader reader;
	struct timespec now, t;
	const char *why;
	uint64_t key = 0, start_ns;
	size_t i, errors = d->errors;
	size_t shared, theme_errors;
	int ok = 0, begun = 0, jobs, lang;

	b->o = *o;
	b->opts = &b->o;
	b->site = site;
	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_REALTIME, &now);
	start_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (src == NULL && (src = b->own_src = source_dir_open(o->root, d)) ==
	    NULL)
		goto out;
	if (config_load(&b->cfg, src, "site.conf", d) == -1)
		goto out;
	if (o->drafts)
		b->cfg.drafts = 1;
	if (o->no_history)
		b->cfg.history = 0;
	if (b->cfg.drafts && !o->check_only && o->out == NULL &&
	    o->out_dir == NULL)
		diag_warn(d, "site.conf", 0, 0,
		    "Preview drafts with --out into another folder, and "
		    "publish only a build without drafts.",
		    "draft pages are built into %s/, the folder that is "
		    "published", b->cfg.output);
	if (o->base_url && config_set_base_url(&b->cfg, o->base_url, d) == -1)
		goto out;
	if (!o->check_only && out == NULL) {
		b->outdir = o->out_dir ? xstrdup(o->out_dir) :
		    xasprintf("%s/%s", o->root, b->cfg.output);
		/* The lock is held from before the cache is read. */
		if ((out = b->own_out = output_dir_open(b->outdir, o->root,
		    o->force, d)) == NULL)
			goto out;
	}
	site_init(site, &b->cfg, src);
	b->site_init = 1;
	markdown_init();
	jobs = jobs_for(o, &b->cfg);
	if (out != NULL && out->cache != NULL)
		cache_load(&b->cache_store, out->cache);
	memo.fn = cache_front_matter;
	memo.arg = &b->cache_store;
	/*
	 * The theme first: with search, the loading threads read each page
	 * whole and count its words, and the index need not read it again.
	 */
	shared = d->errors;
	theme_load(&b->theme, src, &site->arena, b->cfg.theme, &b->cfg, d);
	theme_errors = d->errors - shared;
	if (out != NULL && theme_errors == 0 &&
	    (b->early = search_early_new(&b->theme, &b->cfg, jobs)) != NULL) {
		reader.fn = search_early_read;
		reader.arg = b->early;
	}
	content_load(site, b->cache_store.len ? &memo : NULL,
	    b->early != NULL ? &reader : NULL, jobs, d);
	shared = d->errors - theme_errors;
	data_load(site, d);
	/*
	 * Hostile input: no front matter or data value may be an address
	 * that runs script (url.c). data.c adds the data files it could read
	 * in the order of site.content: they are matched up in that order.
	 */
	for (i = 0; i < site->nloaded; i++)
		url_check_value(site->all[i]->fm, site->all[i]->file, d);
	{
		size_t k = 0;
		for (i = 0; i < site->content.len && k < site->data->len; i++) {
			const char *f = site->content.v[i].path;
			const char *dot = strrchr(f, '.');
			const char *name = site->data->u.pairs[k].key;
			char *file;

			if (strncmp(f, "data/", 5) != 0 || dot == NULL ||
			    (size_t)(dot - f - 5) != strlen(name) ||
			    strncmp(f + 5, name, strlen(name)) != 0)
				continue;
			file = xasprintf("content/%s", f);
			url_check_value(site->data->u.pairs[k++].val, file, d);
			free(file);
		}
	}
	st->t_load = since(&t);
	/*
	 * Wrong front matter or addresses do not stop the checks of links,
	 * headings and charts, so an editor sees every error at once; broken
	 * data or templates would only make the rest misleading.
	 */
	if (d->errors != shared)
		goto out;
	/* Dates in lists are written as each page's language writes them. */
	for (lang = 0; lang < b->cfg.nlangs; lang++)
		site->langs[lang].strings = b->theme.strings[lang];
	content_resolve(site, d);
	st->t_resolve = since(&t);
	shared = d->errors;
	for (i = 0; i < site->npages; i++) {
		struct page *p = site->pages[i];
		if (p->layout && !mu_set_has(b->theme.templates, p->layout))
			diag_error(d, p->file, 0, 0,
			    "Name a template of the theme, or remove the "
			    "line to use the default.",
			    "layout \"%s\" is not a template of the theme",
			    p->layout);
	}
	if (b->cfg.history && d->errors == shared &&
	    !(mu_set_has(b->theme.templates, "history") &&
	    mu_set_has(b->theme.templates, "change") &&
	    mu_set_has(b->theme.templates, "changes")))
		diag_note(d, b->theme.dir, 0, 0, "Copy history.mustache, "
		    "change.mustache and changes.mustache from the default "
		    "theme.", "the theme has no templates for the history of "
		    "changes: pages show none");
	else if (b->cfg.history && d->errors == shared && o->archive == NULL) {
		b->have_history = load_history(o, &b->cfg, jobs, &b->hist,
		    &b->repo, &b->own_repo, d);
		if (b->have_history == -1)
			goto out;
	}
	if (b->have_history == 1) {
		b->ph = page_history_build(site, &b->hist);
		for (i = 0; i < site->npages; i++)
			site->pages[i]->history = &b->ph[i];
	}
	st->t_history = since(&t);
	b->now = build_time(b, o);
	participation_build(&b->part, site, b->now, d);
	render_env_init(&b->env, site, &b->theme, b->have_history == 1 ?
	    &b->hist : NULL, b->repo, &site->arena);
	render_env_participation(&b->env, &b->part, &site->arena);
	/* Terms explained where first used, in the workers too (glossary.h). */
	b->glossary = glossary_build(site, d);
	glossary_env(&b->env, b->glossary, &site->arena);
	glossary_use(b->glossary);
	if (o->archive)
		render_env_archive(&b->env, o->archive, &site->arena);
	b->env.hyphen = b->hyphen = hyphen_open(b->cfg.language, &why);
	if (why != NULL)
		diag_note(d, "site.conf", 0, 0, "Install libvoikko's Finnish "
		    "dictionary: apt-get install voikko-fi", "long words are "
		    "not hyphenated: %s", why);
	plain_setup(b, o);
	plan_outputs(site, &b->theme, &b->env, d);
	if (d->errors != shared)
		goto out;
	if (o->live) {
		prints_of_site(&b->prints, site, &b->theme, history_print(b));
		forget_changed(prev, changed, nchanged);
		b->prev = prev;
	}

	/* With errors found already, check the rest but write nothing. */
	if (out != NULL && d->errors == errors) {
		if (output_begin(out, d) == -1)
			goto out;
		begun = 1;
		b->out = out;
		key = cache_key(site, b->theme.hash);
		/* Statuses and "päättyy huomenna" change with the day. */
		if (participation_dated(site)) {
			int64_t day = (b->now + consult_utc_offset(b->now)) /
			    86400;
			key ^= hash_bytes(&day, sizeof(day));
		}
		/* Every page shows its history: a new commit changes them. */
		if (b->have_history == 1) {
			struct { uint64_t key; git_oid tip; int authors; } k;
			memset(&k, 0, sizeof(k));
			k.key = key;
			k.tip = b->hist.tip;
			k.authors = b->cfg.history_authors;
			key = hash_bytes(&k, sizeof(k)) ^
			    hash_bytes(b->cfg.history_note,
			    strlen(b->cfg.history_note));
		}
		/* Pages are taken over only from an old output that exists. */
		if (out->have_old && out->cache != NULL) {
			cache_accept(&b->cache_store, key);
			if (b->cache_store.key_ok)
				b->cache = &b->cache_store;
		}
	}
	shared = d->errors;
	render_all(b, jobs, st, d);
	b->prev = NULL;
	st->t_render = since(&t);
	/* A preview shows the pages that rendered; the rest are errors. */
	if (o->live && b->out)
		shared = d->errors;
	else
		shared = errors;
	if (d->errors == shared && b->out)
		write_extras(b, &b->theme, st, d);
	if (d->errors == shared && b->out && b->have_history == 1 &&
	    b->cfg.versions)
		build_versions(b, b->repo, st, d);
	st->t_extras = since(&t);
	if (begun) {
		if (d->errors != shared)
			goto out;
		if (output_commit(out, d) == 0) {
			st->written = atomic_load(&out->written);
			st->kept = atomic_load(&out->kept);
			/* Without a cache the next build is slower, not wrong. */
			if (out->cache != NULL && cache_save(site, key,
			    out->cache, start_ns) == -1)
				unlink(out->cache);
		}
		begun = 0;
		st->t_commit = since(&t);
	}
	ok = d->errors == errors || (o->live && b->out);
out:
	if (begun)
		output_abort(out);
	if (!ok) {
		build_free(b);
		return NULL;
	}
	return b;
}

/* Whether sorted deps d hold key. */
static int
deps_have(const struct deps *d, uint64_t key)
{
	size_t lo = 0, hi = d->len, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->v[mid] == key)
			return 1;
		if (d->v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
build_again(struct build *b, const char *const *changed, size_t n,
    struct build_stats *st, struct diags *d)
{
	struct site *s = b->site;
	struct buf text = BUF_INIT;
	struct record *r;
	struct page *p;
	struct timespec t;
	uint64_t *keys = NULL, *prints = NULL;
	size_t i, k, cap = 0;
	int rc = 0;

	if (!b->opts->live || b->out == NULL || n == 0)
		return 0;
	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &t);
	keys = xcalloc(n, sizeof(*keys));
	prints = xcalloc(n, sizeof(*prints));
	/* Only the text of pages that are built, under the same heads. */
	for (i = 0; i < n; i++) {
		if (strncmp(changed[i], "content/", 8) != 0 ||
		    (p = site_page(s, changed[i] + 8)) == NULL ||
		    p->implicit || p->out == NULL ||
		    (r = hmap_get(&b->by_rel, p->out)) == NULL ||
		    r->page != p ||
		    source_read(s->src, p->file, &text, PAGE_MAX_SIZE + 1,
		    NULL) == -1 || text.len > PAGE_MAX_SIZE ||
		    !page_same_head(p, text.data, text.len))
			goto out;
		keys[i] = dep_key(DEP_BODY, p->src, strlen(p->src));
		prints[i] = hash_bytes(text.data, text.len);
	}
	st->t_load = since(&t);
	if (output_begin(b->out, d) == -1)
		goto out;
	if (output_mem_carry(b->out) == -1) {
		output_abort(b->out);
		goto out;
	}
	b->files = b->rendered = b->done = b->total = 0;
	for (i = 0; i < b->nrecs; i++) {
		r = &b->recs[i];
		for (k = 0; k < n && !deps_have(&r->deps, keys[k]); k++)
			;
		if (k == n)
			continue;
		r->deps.len = 0;
		r->failed = 0;
		if (r->kind == JOB_PAGE)
			page_forget(r->page);
		b->queue = xgrow(b->queue, &cap, b->nqueue + 1,
		    sizeof(*b->queue));
		b->queue[b->nqueue].page = r->page;
		b->queue[b->nqueue].kind = r->kind;
		b->queue[b->nqueue].k = r->k;
		b->queue[b->nqueue++].rec = i;
		b->total++;
	}
	for (i = 0; i < n; i++)
		prints_set(&b->prints, keys[i], prints[i]);
	render_queue(b, 1, st);
	st->pages = s->npages;
	st->files = b->files;
	st->rendered = b->rendered;
	st->plain = b->plain;
	st->plain_checked = b->plain_on;
	diags_move(d, &b->diags);
	check_links(s, d);
	/*
	 * The search index holds every page's words: the text edited changes
	 * it, though no list or title does. Made while the pages rendered,
	 * if they were many; else now.
	 */
	{
		struct extra_write x = { b, st, d, { NULL, -1, -1 } };
		struct search_prepared *sp = b->search != NULL ? b->search :
		    search_prepare(&b->env, jobs_for(b->opts, &b->cfg), NULL);
		b->search = NULL;
		search_write_data(&b->env, sp, extra_write, &x);
		output_cursor_close(b->out, &x.cursor);
		search_prepared_free(sp);
	}
	st->t_render = since(&t);
	/* Failed pages keep their old files, for the preview's error page. */
	if (output_commit(b->out, d) == 0) {
		st->written = atomic_load(&b->out->written);
		st->kept = atomic_load(&b->out->kept);
	}
	st->t_commit = since(&t);
	rc = 1;
out:
	buf_free(&text);
	free(keys);
	free(prints);
	return rc;
}

const char *
build_page_out(const struct build *b, const char *file)
{
	const struct page *p;

	if (b == NULL || strncmp(file, "content/", 8) != 0 ||
	    (p = site_page(b->site, file + 8)) == NULL)
		return NULL;
	return p->out;
}

int
build_site(const struct build_opts *o, struct build_stats *st,
    struct diags *d)
{
	size_t errors = d->errors;
	struct build *b = build_keep(o, NULL, NULL, 0, st, d);

	build_free(b);
	return b != NULL && d->errors == errors ? 0 : -1;
}
