/*
 * One page to bytes: its Markdown to HTML, its context (site, page, data,
 * strings) and the theme's template to the finished document.
 */
#ifndef VALO_RENDER_H
#define VALO_RENDER_H

#include <stdint.h>

#include "markdown.h"
#include "site.h"
#include "theme.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

struct history;
struct participation;
struct hyphen;
struct repo;

/* An approved version being built under today's site: its banner. */
struct archive {
	const char		*tag;
	int64_t			 time;		/* the tag's */
	int			 offset;
	const char		*message;
	const struct site	*current;	/* today's site */
	/* Old content paths of today's pages that moved: path -> page. */
	const struct hmap	*moved;
	const char		*versions_url;	/* today's list of versions */
};

/* What differs by language: its strings, its history pages' folder. */
struct render_lang {
	const struct value	*strings;	/* the theme's for it */
	const char		*history_seg;
};

struct render_env {
	const struct site	*site;
	const struct theme	*theme;
	struct value		*site_value;	/* shared part of "site" */
	const char		*version;	/* "Valo 0.1" */
	/*
	 * The site's history, where it has one (pages then have theirs in
	 * page->history), and the repository to read old versions from.
	 */
	const struct history	*history;
	struct repo		*repo;
	/* URL segments of the changes and versions pages: "muutokset". */
	const char		*changes_seg;
	const char		*versions_seg;
	const struct archive	*archive;	/* NULL: today's site */
	/*
	 * Where a render notes what it reads (deps.h), or NULL. The one
	 * thing a render writes besides its output: each worker has its own.
	 */
	struct deps		*deps;
	/* Soft hyphens in long words, or NULL (hyphen.h): per process. */
	struct hyphen		*hyphen;
	/* Consultations, events, commitments (participate.h), or NULL. */
	const struct participation *part;
	struct render_lang	 langs[LANGS_MAX];	/* as cfg->langs */
};

/* The strings of p's language; of the site's own where p is NULL. */
const struct value *render_strings(const struct render_env *,
		    const struct page *p);

/* Builds the parts of the context that every page shares. */
void	render_env_init(struct render_env *, const struct site *,
	    const struct theme *, const struct history *, struct repo *,
	    struct arena *);

/* Gives the pages what part says: site.consultations and the rest. */
void	render_env_participation(struct render_env *,
	    const struct participation *part, struct arena *);

/* Makes env render an archived version: the banner, noindex. */
void	render_env_archive(struct render_env *, const struct archive *,
	    struct arena *);

/*
 * Renders page p into out (replacing its contents). src is a scratch
 * buffer for the page's source; a is the worker's arena, reset by the
 * caller after the page is written. Heading ids are stored in p->ids for
 * the fragment check; md receives the fragment links to check. Returns 0,
 * or -1 after adding diagnostics.
 */
int	render_page(const struct render_env *, struct page *, struct arena *,
	    struct buf *src, struct buf *out, struct md_result *md,
	    struct diags *);

/*
 * Renders template tmpl with page as the context's "page" (p, the page it
 * is about, may be NULL). Returns 0, or -1 after a diagnostic.
 */
int	render_template(const struct render_env *, struct arena *,
	    const struct page *p, const char *tmpl, struct value *page,
	    struct buf *out, struct diags *);

/*
 * {date: "2026-11-23", date_display: "23.11.2026"} for a commit's time,
 * the display as strings' language writes dates (lang.h).
 */
struct value	*render_date(struct arena *, const struct value *strings,
		    int64_t time, int offset);

/*
 * The context of a page Valo makes itself at base path + seg + "/", with
 * the front page as its breadcrumb.
 */
struct value	*render_generated(const struct render_env *, struct arena *,
		    const char *title, const char *kind, const char *seg);
/* The same in language lang (seg then starts with its folder, "sv/"). */
struct value	*render_generated_in(const struct render_env *,
		    struct arena *, int lang, const char *title,
		    const char *kind, const char *seg);

/*
 * The language switcher of a page (page.translations): urls[k] is its
 * version in language k, NULL where it has none (the link then leads to
 * that language's front page, and says so); lang is the page's own.
 */
struct value	*render_translations(const struct render_env *,
		    struct arena *, const char *const *urls, int lang);

/* "2026-11-23" and "23.11.2026" for a commit's time, as render_date. */
void	render_commit_date(const struct value *strings, int64_t time,
	    int offset, char iso[11], char display[40]);

/* Renders the 404 page, which has no source file. */
int	render_404(const struct render_env *, struct arena *, struct buf *out,
	    struct diags *);

#endif
