/*
 * One page to bytes: its Markdown to HTML, its context (site, page, data,
 * strings) and the theme's template to the finished document.
 */
#ifndef VALO_RENDER_H
#define VALO_RENDER_H

#include "markdown.h"
#include "site.h"
#include "theme.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

struct render_env {
	const struct site	*site;
	const struct theme	*theme;
	struct value		*site_value;	/* shared part of "site" */
	const char		*version;	/* "Valo 0.1" */
};

/* Builds the parts of the context that every page shares. */
void	render_env_init(struct render_env *, const struct site *,
	    const struct theme *, struct arena *);

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

/* Renders the 404 page, which has no source file. */
int	render_404(const struct render_env *, struct arena *, struct buf *out,
	    struct diags *);

#endif
