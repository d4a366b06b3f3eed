#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "content.h"
#include "data.h"
#include "markdown.h"
#include "output.h"
#include "render.h"
#include "site.h"
#include "source.h"
#include "theme.h"
#include "util/mem.h"

/* A heading link to check once every page has its ids. */
struct fragment {
	const struct page	*from;
	struct page		*to;
	char			*id;
	unsigned		 line;
};

struct worker {
	struct build		*b;
	pthread_t		 thread;
	struct diags		 diags;
	struct fragment		*frags;
	size_t			 nfrags;
	size_t			 capfrags;
	size_t			 files;
	int			 reporter;	/* the calling thread */
};

struct build {
	const struct build_opts	*opts;
	struct site		*site;
	struct render_env	 env;
	struct output		*out;
	atomic_size_t		 next;	/* next page to take */
	atomic_size_t		 done;
};

static void
render_one(struct worker *w, struct page *p, struct arena *a,
    struct buf *src, struct buf *html)
{
	struct build *b = w->b;
	struct md_result md;
	size_t i;
	int rc;

	memset(&md, 0, sizeof(md));
	rc = render_page(&b->env, p, a, src, html, &md, &w->diags);
	/* Even a failed page reports its links: every error at once. */
	for (i = 0; i < md.nfragments; i++) {
		struct fragment *f;
		w->frags = xgrow(w->frags, &w->capfrags, w->nfrags + 1,
		    sizeof(*w->frags));
		f = &w->frags[w->nfrags++];
		f->from = p;
		f->to = md.fragments[i].to;
		f->id = xstrdup(md.fragments[i].id);
		f->line = md.fragments[i].line;
	}
	if (rc == -1)
		return;
	if (b->out && output_write(b->out, p->out, html->data, html->len) ==
	    -1)
		diag_error(&w->diags, p->out, 0, 0, NULL,
		    "cannot write the output file: %s", strerror(errno));
	else
		w->files++;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct build *b = w->b;
	struct arena a = ARENA_INIT;
	struct buf src = BUF_INIT, html = BUF_INIT;
	size_t i, n = b->site->npages;
	struct timespec last = { 0, 0 }, now;

	while ((i = atomic_fetch_add(&b->next, 1)) < n) {
		render_one(w, b->site->pages[i], &a, &src, &html);
		arena_reset(&a);
		atomic_fetch_add(&b->done, 1);
		if (w->reporter && b->opts->progress) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec * 1000 + now.tv_nsec / 1000000 -
			    (last.tv_sec * 1000 + last.tv_nsec / 1000000) >
			    100) {
				b->opts->progress(atomic_load(&b->done), n,
				    b->opts->progress_arg);
				last = now;
			}
		}
	}
	arena_free(&a);
	buf_free(&src);
	buf_free(&html);
	return NULL;
}

static int
jobs_for(const struct build_opts *o, const struct config *c, size_t pages)
{
	long n = o->jobs ? o->jobs : c->jobs ? c->jobs :
	    sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > 64)
		n = 64;
	if ((size_t)n > pages)
		n = pages ? (long)pages : 1;
	return (int)n;
}

static void
render_all(struct build *b, struct build_stats *st, struct diags *d)
{
	struct site *s = b->site;
	struct worker *w;
	size_t i, k, nfr = 0;
	int n = jobs_for(b->opts, s->cfg, s->npages);

	st->jobs = n;
	w = xcalloc((size_t)n, sizeof(*w));
	for (i = 0; i < (size_t)n; i++)
		w[i].b = b;
	w[0].reporter = 1;
	for (i = 1; i < (size_t)n; i++)
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
			/* Fewer threads is slower, not wrong. */
			n = (int)i;
			break;
		}
	work(&w[0]);
	for (i = 1; i < (size_t)n; i++)
		pthread_join(w[i].thread, NULL);
	st->pages = s->npages;
	for (i = 0; i < (size_t)n; i++) {
		diags_move(d, &w[i].diags);
		st->files += w[i].files;
		nfr += w[i].nfrags;
	}
	/* Links to headings of other pages, now that all ids are known. */
	for (i = 0; i < (size_t)n; i++) {
		for (k = 0; k < w[i].nfrags; k++) {
			struct fragment *f = &w[i].frags[k];
			size_t j;
			for (j = 0; j < f->to->nids; j++)
				if (strcmp(f->to->ids[j], f->id) == 0)
					break;
			if (j == f->to->nids && f->to->ids != NULL)
				diag_error(d, f->from->file, f->line, 0,
				    "Check the heading's id: its text in lower "
				    "case, with - for spaces.",
				    "%s has no heading #%s", f->to->file,
				    f->id);
			free(f->id);
		}
		free(w[i].frags);
	}
	(void)nfr;
	free(w);
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
	buf_put_html(h, p->url, strlen(p->url));
	buf_puts(h, "\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
	buf_put_html(h, p->url, strlen(p->url));
	buf_puts(h, "\">\n</head>\n<body>\n<p><a href=\"");
	buf_put_html(h, p->url, strlen(p->url));
	buf_puts(h, "\">");
	buf_put_html(h, p->title, strlen(p->title));
	buf_puts(h, "</a></p>\n</body>\n</html>\n");
	rel = xasprintf("%sindex.html", url + strlen(bp));
	if (b->out && output_write(b->out, rel, h->data, h->len) == -1)
		diag_error(d, rel, 0, 0, NULL, "cannot write: %s",
		    strerror(errno));
	free(rel);
}

static void
write_extras(struct build *b, struct theme *t, struct build_stats *st,
    struct diags *d)
{
	struct site *s = b->site;
	struct arena a = ARENA_INIT;
	struct buf h = BUF_INIT;
	size_t i, j;
	char *from, *rel;

	for (i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		/* content_resolve left each alias as a clean URL. */
		for (j = 0; p->aliases && j < p->aliases->len; j++) {
			write_alias(b, p, p->aliases->u.items[j]->str, &h, d);
			st->files++;
		}
	}
	if (render_404(&b->env, &a, &h, d) == 0 && b->out) {
		if (output_write(b->out, "404.html", h.data, h.len) == -1)
			diag_error(d, "404.html", 0, 0, NULL, "cannot write");
		st->files++;
	}
	for (i = 0; i < t->statics.len; i++) {
		from = xasprintf("%s/%s/static/%s", s->src->root, t->dir,
		    t->statics.v[i].path);
		if (b->out && output_copy(b->out, t->statics.v[i].path, from)
		    == -1)
			diag_error(d, from, 0, 0, NULL, "cannot copy: %s",
			    strerror(errno));
		st->files++;
		free(from);
	}
	/* Page bundles: every other file in content/ goes along. */
	for (i = 0; i < s->content.len; i++) {
		const char *path = s->content.v[i].path;
		size_t n = strlen(path);
		if (strncmp(path, "data/", 5) == 0 ||
		    (n > 3 && strcmp(path + n - 3, ".md") == 0))
			continue;
		from = xasprintf("%s/content/%s", s->src->root, path);
		rel = xstrdup(path);
		if (b->out && output_copy(b->out, rel, from) == -1)
			diag_error(d, from, 0, 0, NULL, "cannot copy: %s",
			    strerror(errno));
		st->files++;
		free(from);
		free(rel);
	}
	buf_free(&h);
	arena_free(&a);
}

int
build_site(const struct build_opts *o, struct build_stats *st,
    struct diags *d)
{
	struct config cfg;
	struct source *src = NULL;
	struct site site;
	struct theme theme;
	struct output out;
	struct build b;
	char *conf, *outdir = NULL;
	size_t i, errors = d->errors;
	int rc = -1, have_out = 0;

	memset(st, 0, sizeof(*st));
	memset(&theme, 0, sizeof(theme));
	memset(&b, 0, sizeof(b));
	conf = xasprintf("%s/site.conf", o->root);
	if (config_load(&cfg, conf, "site.conf", d) == -1) {
		free(conf);
		config_free(&cfg);
		return -1;
	}
	free(conf);
	if (o->drafts)
		cfg.drafts = 1;
	if (o->base_url && config_set_base_url(&cfg, o->base_url, d) == -1)
		goto out0;
	if ((src = source_open(o->root, d)) == NULL)
		goto out0;
	site_init(&site, &cfg, src);
	markdown_init();
	content_load(&site, d);
	data_load(&site, d);
	theme_load(&theme, src, &site.arena, cfg.theme, cfg.language, d);
	if (d->errors != errors)
		goto out;
	if (content_resolve(&site, d) == -1)
		goto out;
	for (i = 0; i < site.npages; i++) {
		struct page *p = site.pages[i];
		if (p->layout && !mu_set_has(theme.templates, p->layout))
			diag_error(d, p->file, 0, 0,
			    "Name a template of the theme, or remove the "
			    "line to use the default.",
			    "layout \"%s\" is not a template of the theme",
			    p->layout);
	}
	if (d->errors != errors)
		goto out;

	b.opts = o;
	b.site = &site;
	render_env_init(&b.env, &site, &theme, &site.arena);
	if (!o->check_only) {
		outdir = o->out ? xstrdup(o->out) :
		    xasprintf("%s/%s", o->root, cfg.output);
		if (output_begin(&out, outdir, d) == -1)
			goto out;
		have_out = 1;
		b.out = &out;
	}
	render_all(&b, st, d);
	if (d->errors == errors)
		write_extras(&b, &theme, st, d);
	if (have_out) {
		if (d->errors != errors)
			output_abort(&out);
		else if (output_commit(&out, d) == 0) {
			st->written = atomic_load(&out.written);
			st->kept = atomic_load(&out.kept);
		}
	}
	if (d->errors == errors)
		rc = 0;
out:
	if (have_out)
		output_free(&out);
	free(outdir);
	theme_free(&theme);
	site_free(&site);
out0:
	source_free(src);
	config_free(&cfg);
	return rc;
}
