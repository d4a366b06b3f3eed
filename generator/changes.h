/*
 * The pages of a versioned site: each page's history page and a change
 * view for each of its major changes (rendered in the render workers, a
 * job each), and the site-wide changes page with its Atom feed.
 *
 *   /strategia/arvot/muutoshistoria/               the page's history
 *   /strategia/arvot/muutoshistoria/1a2b3c4d5e6f/  one change, marked
 *   /muutokset/  and  /muutokset/atom.xml          every major change
 *
 * The segments come from the theme's strings (history_url, changes_url).
 */
#ifndef VALO_CHANGES_H
#define VALO_CHANGES_H

#include "render.h"

/* Where they go in the output: "strategia/arvot/muutoshistoria/...". */
char	*changes_history_rel(const struct render_env *, const struct page *);
char	*changes_view_rel(const struct render_env *, const struct page *,
	    size_t k);

/* Page p's history page; its k-th major change. 0, or -1 and diags. */
int	changes_render_history(const struct render_env *, struct page *,
	    struct arena *, struct buf *out, struct diags *);
int	changes_render_view(const struct render_env *, struct page *,
	    size_t k, struct arena *, struct buf *out, struct diags *);

/*
 * The site's changes page and feed, written with write(rel, bytes, len,
 * arg). Returns 0, or -1 after diagnostics.
 */
int	changes_render_site(const struct render_env *, struct arena *,
	    int (*write)(const char *rel, const char *, size_t, void *),
	    void *arg, struct diags *);

#endif
