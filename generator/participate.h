/*
 * Participation: the consultations among the pages (front matter read by
 * consult.c), the events of data/tapahtumat and the tracked commitments
 * of data/sitoumukset, checked and put into values for the templates at
 * one build time; and the files they make: a calendar for each event and
 * for all (ical.c), Atom feeds of consultations, events and news.
 *
 * Built once after the site is resolved, then read-only: the render
 * workers only look things up.
 */
#ifndef VALO_PARTICIPATE_H
#define VALO_PARTICIPATE_H

#include <stdint.h>

#include "consult.h"
#include "ical.h"
#include "site.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/hmap.h"
#include "value.h"

struct participation {
	struct arena	 arena;
	int64_t		 now;		/* the build time, UTC seconds */
	/* site.consultations, site.events, site.commitments, site.feeds */
	struct value	*consultations;
	struct value	*events;
	struct value	*commitments;
	struct value	*feeds;		/* [{title, url}] for the head */
	struct hmap	 by_page;	/* page src -> {consultation, commitments} */
	struct ical_event *ev;		/* the events, in the data's order */
	size_t		 nev;
	/* The pages that list them (by layout), or NULL. */
	const struct page *consult_page;
	const struct page *events_page;
	const struct page *news_page;
	const struct page **consults;	/* consultation pages, newest first */
	size_t		 nconsults;
};

/*
 * Reads and checks what site s says about participation, as it is at
 * time now. Returns 0, or -1 after adding diagnostics (p is then still
 * safe to use and to free).
 */
int	participation_build(struct participation *p, const struct site *s,
	    int64_t now, struct diags *);
void	participation_free(struct participation *);

/* What a page shows of it: {consultation, commitments}, or NULL. */
const struct value *participation_page(const struct participation *,
	    const struct page *);

/* Whether the site has anything whose look depends on the date. */
int	participation_dated(const struct site *);

/*
 * The files it makes, output path and a description, each given to
 * plan; then (participation_write) their bytes to write. Both return -1
 * after a diagnostic.
 */
void	participation_plan(const struct participation *, const struct site *,
	    void (*plan)(void *, const char *rel, const char *from), void *);
int	participation_write(const struct participation *, const struct site *,
	    int (*write)(const char *rel, const char *data, size_t len, void *),
	    void *, struct diags *);

#endif
