/*
 * Pages by their keywords (front matter "tags"): a page for each tag that
 * lists its pages, newest first, and an index of every tag with how many
 * pages have it.
 *
 *   /avainsanat/                   every tag
 *   /avainsanat/kestava-kehitys/   the pages with "Kestävä kehitys"
 *
 * A tag's address is its slug (text.h), so tags that differ only in case
 * or accents ("Talous", "talous") are one tag, shown as the first page
 * (by source path) writes it. A tag with no letter or digit has no page.
 * The segment comes from the theme's strings (tags_url), as the history's
 * do. Without a tag on any page there are no tag pages at all.
 */
#ifndef VALO_TAGS_H
#define VALO_TAGS_H

#include "render.h"

/*
 * Tells plan(arg, rel, from) every file that tags_write will write, so
 * that a page at the same address is an error before anything is
 * written.
 */
void	tags_plan(const struct render_env *, const struct site *,
	    void (*plan)(void *, const char *rel, const char *from),
	    void *arg);

/*
 * Renders the tag index (template "tagindex") and the page of each tag
 * (template "taglist") and writes them with write(rel, bytes, len, arg).
 * Returns 0, or -1 after diagnostics.
 */
int	tags_write(const struct render_env *, struct arena *,
	    int (*write)(const char *rel, const char *, size_t, void *),
	    void *arg, struct diags *);

/*
 * Page p's tags for its template: [{name, url}], url null for a tag
 * that has no page. Depends on p's own tags only, so a page need not be
 * rendered again when other pages' tags change.
 */
struct value	*tags_links(const struct render_env *, struct arena *,
		    const struct page *p);

#endif
