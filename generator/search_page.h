/*
 * The site's search: a page and an index for each language (search.h
 * makes the index), with the pages of that language alone, stemmed by
 * its stemmer; without script the page lists every page from A to Ö.
 * A theme has search when its strings name the page's folder
 * (search_url, a plain segment such as "haku") and it has a template
 * "search".
 */
#ifndef VALO_SEARCH_PAGE_H
#define VALO_SEARCH_PAGE_H

#include "render.h"
#include "util/arena.h"
#include "util/diag.h"

/*
 * The folder of language lang's search page below the site's root
 * ("haku", from the theme's search_url; "sv/sok" in Swedish), in arena
 * a, or NULL if the theme has no search. Each language has its own page
 * and index, of its own pages, stemmed by its own stemmer.
 */
const char *search_folder(const struct render_env *, int lang,
	    struct arena *);

/*
 * The files search makes (the page, the index, the pages by letter),
 * each given to plan with a description; and every file of the site
 * under the index's folder, so that plan reports it as a clash. Then
 * (search_write) the files themselves. search_write returns -1 after a
 * diagnostic.
 */
struct search_prepared;

void	search_plan(const struct render_env *,
	    void (*plan)(void *, const char *rel, const char *from), void *);
int	search_write(const struct render_env *, int jobs,
	    struct search_prepared *,
	    int (*write)(const char *rel, const char *data, size_t len, void *),
	    void *, struct diags *);

/*
 * The words of the pages, counted as content_load reads them (a
 * page_reader with search_early_read and the state search_early_new
 * makes, which is NULL if the theme has no search): most pages then
 * need not be read again for the index.
 */
struct search_early;
struct search_early *search_early_new(const struct theme *,
	    const struct config *, int jobs);
void	search_early_read(void *arg, int worker, const struct page *,
	    const struct buf *src);
void	search_early_free(struct search_early *);

/*
 * The indexes of every language, from the model and the pages' sources
 * alone (no template, no output): the part of search_write that takes
 * the time, which may run on its own thread while the pages render, as
 * it reads nothing they write. It takes early (or NULL) over. Then
 * search_write takes it over (NULL: it makes it itself) and frees it.
 */
struct search_prepared *search_prepare(const struct render_env *, int jobs,
	    struct search_early *early);
void	search_prepared_free(struct search_prepared *);

/*
 * The indexes' own files (below each search folder's data/) written
 * ahead of search_write, which then writes the pages alone: where the
 * output takes files from another thread while the pages render.
 */
void	search_write_data(const struct render_env *, struct search_prepared *,
	    int (*write)(const char *rel, const char *data, size_t len, void *),
	    void *);

#endif
