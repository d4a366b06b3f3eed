/*
 * Pages: every .md file under content/ becomes a page with its front matter;
 * resolving gives each its URL, section, neighbours and menus, and checks
 * that no two pages claim the same URL.
 */
#ifndef VALO_CONTENT_H
#define VALO_CONTENT_H

#include "site.h"
#include "util/diag.h"

/* Largest page source Valo reads: past this it is surely not a page. */
#define PAGE_MAX_SIZE	(8u * 1024 * 1024)
/* Front matter past this is text that belongs in the page. */
#define FM_MAX_SIZE	(64u * 1024)
/* Longest path of a file under content/, in bytes. */
#define PATH_MAX_LEN	512
/* Most pages in a site. */
#define PAGES_MAX	1000000

/*
 * Front matter known from an earlier build: fn returns page p's front
 * matter, built in arena a, and sets p's body offsets and hash, if p's
 * source is unchanged since; otherwise NULL. Called from several threads.
 */
struct fm_memo {
	struct value	*(*fn)(void *arg, struct page *p, struct arena *a);
	void		*arg;
};

/*
 * A step that needs each page's text (the search index counts its
 * words) and may take it as content_load reads the page: fn is given
 * each page it read whole, on the loading thread worker (0..jobs-1, one
 * call at a time on each), with its source. A page taken from the memo,
 * or one whose front matter is wrong, is not read for it.
 */
struct page_reader {
	void	(*fn)(void *arg, int worker, const struct page *,
		    const struct buf *src);
	void	*arg;
};

/*
 * Lists content/, reads the front matter of every page (on jobs threads;
 * from memo, if not NULL, where a file is unchanged; whole, for reader,
 * if not NULL) and fills site->all. Data files (content/data/) are left
 * to data_load. Returns 0, or -1 after adding diagnostics.
 */
int	content_load(struct site *, const struct fm_memo *,
	    const struct page_reader *, int jobs, struct diags *);

/*
 * Builds sections, URLs, output paths, sort orders, neighbours and menus,
 * and checks for URL collisions. Returns 0, or -1 after diagnostics.
 */
int	content_resolve(struct site *, struct diags *);

/*
 * Splits text into front matter and body. Returns 1 and sets the offsets
 * (fm_off/fm_len: the YAML; body_off: the first byte after the closing
 * line) if text starts with a front matter block; 0 if it has none; -1 if
 * the block is not closed.
 */
int	front_matter_split(const char *text, size_t len, size_t *fm_off,
	    size_t *fm_len, size_t *body_off);

/*
 * Whether text (the whole file of page p, as saved now) has the front
 * matter that p was loaded from, byte for byte, so that only its body
 * can have changed.
 */
int	page_same_head(const struct page *p, const char *text, size_t len);

#endif
