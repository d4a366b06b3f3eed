/*
 * The site model: what the load and resolve steps build and the render
 * step reads. After content_resolve it is read-only, so render workers
 * share it without locks; the only fields written later are the per-page
 * results a page's own worker fills in (see struct page).
 */
#ifndef VALO_SITE_H
#define VALO_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "source.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "value.h"

enum page_kind { PAGE_HOME, PAGE_SECTION, PAGE_PAGE };

struct cache_page;
struct page_history;

struct page {
	enum page_kind	 kind;
	char		*src;		/* "strategia/arvot.md", below content/ */
	char		*file;		/* "content/strategia/arvot.md" */
	char		*dir;		/* folder of src: "strategia", or "" */
	char		*url;		/* "/strategia/arvot/", with base path */
	char		*out;		/* "strategia/arvot/index.html" */
	int		 implicit;	/* a section with no _index.md */
	/*
	 * Its language, an index into cfg->langs: "arvot.sv.md" is the
	 * Swedish version of "arvot.md", which is in the site's own
	 * language (0). key is the name its versions share: "arvot.md".
	 */
	int		 lang;
	char		*key;

	/* From the front matter (strings live in the site arena). */
	struct value	*fm;
	const char	*title;
	const char	*description;
	const char	*summary;
	const char	*date;		/* YYYY-MM-DD, or NULL */
	const char	*layout;
	const char	*menu;		/* "main", "footer", "none" or NULL */
	const char	*slug;
	struct value	*aliases;	/* as written: list of strings, or NULL */
	struct value	*tags;		/* list of strings, or NULL */
	int		 draft;
	int		 toc;
	int		 broken;	/* its front matter cannot be read */
	long		 weight;	/* 0: none given, sorts last */
	char		 date_display[40];	/* resolved: "23.11.2026" */

	uint64_t	 fm_hash;	/* of everything before the body */
	size_t		 body_off;	/* where the Markdown starts */
	unsigned	 body_line;	/* its line in the file */
	unsigned char	 id[SOURCE_ID_LEN];	/* the source file's */
	uint64_t	 mtime_ns;

	/*
	 * Resolved: computed from the loaded fields above by content_resolve,
	 * which never changes those, and computed anew when it runs again.
	 */
	const char	**alias_urls;	/* "/base/old/": the aliases' URLs */
	size_t		 nalias_urls;
	struct page	*parent;	/* enclosing section; NULL for home */
	struct page	**children;	/* sections: sorted members */
	size_t		 nchildren;
	size_t		 capchildren;
	struct page	*prev;		/* neighbours among the pages */
	struct page	*next;
	struct value	*ref;		/* {title, url, ...} for lists */
	/* The versions of this page built, by language; NULL: none. */
	struct page	*tr[LANGS_MAX];
	/* Set by the history step after resolve; NULL without history. */
	const struct page_history *history;

	/*
	 * Written by the one worker that renders this page (or taken from
	 * the rebuild cache) and read only after every worker has finished:
	 * its heading ids and its links to headings of other pages, which
	 * are checked once every page's ids are known.
	 */
	char		**ids;
	size_t		 nids;
	struct page_link *links;
	size_t		 nlinks;
	int		 clean;		/* rendered without any diagnostic */
	/* Taken over unchanged: its record in the rebuild cache. */
	const struct cache_page *cached;
};

struct page_link {
	struct page	*to;
	char		*id;
	unsigned	 line;
};

/* A language's own part of the site: its front page and menus. */
struct site_lang {
	/* The theme's strings for it: how it writes dates (lang.h). */
	const struct value *strings;
	struct page	*home;
	struct page	**menu_pages;	/* the main menu's entries */
	size_t		 nmenu;
	struct page	**footer_pages;
	size_t		 nfooter;
};

struct site {
	struct config	*cfg;		/* borrowed */
	struct source	*src;		/* borrowed */
	struct arena	 arena;		/* site values */
	struct arena	 rarena;	/* resolved values, reset by resolve */
	struct arena	*arenas;	/* front matter, one per load thread */
	int		 narenas;
	struct page	**pages;	/* every page that is built, by src */
	size_t		 npages;
	struct page	*home;		/* langs[0].home */
	struct site_lang langs[LANGS_MAX];	/* as cfg->langs */
	struct hmap	 by_src;	/* src path -> page (drafts too) */
	struct hmap	 by_url;	/* url -> page */
	struct source_list content;	/* every file under content/ */
	size_t		 nloaded;	/* s->all[0..nloaded): from files */
	/*
	 * Resolved: the files under content/ that are copied as they are
	 * (attachments and data files, less those of draft pages), and the
	 * same by path, for checking links to files.
	 */
	const struct source_file **attachments;
	size_t		 nattachments;
	struct hmap	 published;
	struct value	*data;		/* data file name -> value */
	uint64_t	 data_hash;	/* of every data file's bytes */
	struct page	**drafts;	/* left out: links to them are errors */
	size_t		 ndrafts;
	struct page	**all;		/* every page struct, for freeing */
	size_t		 nall;
	size_t		 capall;
};

void	site_init(struct site *, struct config *, struct source *);
void	site_free(struct site *);

/* Frees what a render (or the cache) gave p: ids and links. */
void	page_forget(struct page *);

/* Returns the page built from content path src, or NULL. */
struct page	*site_page(const struct site *, const char *src);

#endif
