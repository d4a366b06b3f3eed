/*
 * A page's history as residents see it: the site's history (history.h)
 * narrowed to the page's file and the data files its charts and tables
 * show, split into major changes (with a change note), which are listed
 * and move the "updated" date, and minor ones, which are only counted.
 */
#ifndef VALO_PAGE_HISTORY_H
#define VALO_PAGE_HISTORY_H

#include <stddef.h>

#include "history.h"
#include "site.h"

struct page_change {
	const struct hist_change *change;
	/* The data file it changed ("henkilosto.csv"), or NULL: the page. */
	const char		*data;
};

struct page_history {
	struct page_change	*major;		/* newest first */
	size_t			 nmajor;
	size_t			 nminor;
	/* The commit that added the page; NULL where that is not known. */
	const struct hist_commit *first;
	/* The newest major change after that, or NULL. */
	const struct hist_commit *updated;
	int			 truncated;	/* a shallow clone's */
};

/*
 * Gives every page of s its history from h: returns an array parallel to
 * s->pages (the caller frees it with page_history_free), reading each
 * page's source for the data files it shows. Pages without a file (an
 * implicit section) get an empty history.
 */
struct page_history	*page_history_build(const struct site *s,
			    const struct history *h);
void			 page_history_free(struct page_history *, size_t n);

/*
 * The data files that the ```chart and ```table blocks of Markdown text
 * name with "data:", as chart.c reads them (without the extension).
 * Calls fn for each, in order, duplicates included.
 */
void	page_data_names(const char *text, size_t len,
	    void (*fn)(const char *name, size_t len, void *), void *arg);

#endif
