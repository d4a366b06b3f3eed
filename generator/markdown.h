/*
 * Markdown to HTML with cmark-gfm, plus what a site needs on top: heading
 * ids and self-links, a table of contents, links between pages rewritten
 * from .md paths to URLs (and checked), page bundle files, chart and table
 * blocks, and raw HTML escaped unless the site allows it.
 */
#ifndef VALO_MARKDOWN_H
#define VALO_MARKDOWN_H

#include <stddef.h>

#include "site.h"
#include "util/arena.h"
#include "util/diag.h"
#include "value.h"

struct md_heading {
	const char	*id;
	const char	*title;		/* plain text */
	int		 level;
};

/* A link to a heading of another page, checked once all are rendered. */
struct md_fragment {
	struct page	*to;
	const char	*id;
	unsigned	 line;
	unsigned	 col;
};

struct md_result {
	const char		*html;
	size_t			 len;
	struct md_heading	*headings;	/* every heading, in order */
	size_t			 nheadings;
	struct md_fragment	*fragments;
	size_t			 nfragments;
	/* What the body read of the site, besides its own text. */
	struct page		**linked;	/* pages it links to */
	size_t			 nlinked;
	const char		**data;		/* data its blocks asked for */
	size_t			 ndata;
	int			 files;		/* it looked up files, drafts
						   or addresses */
};

/*
 * Call once, before any page renders. No two pages may render at once in
 * one process: cmark-gfm has process-wide state (see markdown.c).
 */
void	markdown_init(void);

/*
 * cmark-gfm's allocator over arena a for the calling thread, until the
 * next call (NULL: none); its blocks go when the arena is reset. cmark's
 * hooks take no context, hence the thread-local. The parsers of
 * markdown_render and plain_check use it.
 */
struct cmark_mem *markdown_mem(struct arena *a);

/*
 * Renders the body of page p (text[0..len), starting at line p->body_line
 * of p->file). All memory comes from arena a, including the result.
 * i18n gives UI strings (the heading self-link's label). Returns 0, or -1
 * after adding diagnostics; warnings may be added either way.
 */
int	markdown_render(const struct site *, const struct value *i18n,
	    struct page *p, const char *text, size_t len, struct arena *a,
	    struct md_result *, struct diags *);

/*
 * Gives the last diagnostic of d, about a link to heading #want that is
 * not among ids[0..n) of the page it links to, a hint: the id meant, if
 * one is close once want is made a slug as heading ids are, or a few ids
 * to choose from.
 */
void	markdown_hint_id(struct diags *, const char *want,
	    const char *const *ids, size_t n);

#endif
