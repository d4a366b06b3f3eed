/*
 * What each file of a build read, recorded while it rendered, and what
 * those inputs were when it did: after an edit, only the files that read
 * something that changed are rendered again (valo serve).
 *
 * An input is named by a key, its kind and name hashed together, and
 * described by a print, a hash of what it was. A file is stale when one
 * of its keys has another print now, or none: nothing is guessed from
 * file names or kinds of page.
 */
#ifndef VALO_DEPS_H
#define VALO_DEPS_H

#include <stddef.h>
#include <stdint.h>

struct site;
struct theme;

enum dep_kind {
	DEP_SITE = 's',		/* settings, UI strings, history: "" */
	DEP_TEMPLATE = 't',	/* a template of the theme, by name */
	DEP_DATA = 'd',		/* a data file by name; "": all of them */
	DEP_META = 'm',		/* a page as others show it: front matter, URL */
	DEP_BODY = 'b',		/* a page's source file, by src */
	DEP_PLACE = 'p',	/* a page's section, neighbours and members */
	DEP_MENU = 'n',		/* which pages the menus hold: "" */
	DEP_FILES = 'f'		/* which files and drafts exist: "" */
};

/* The keys one file read, in no order, perhaps twice. */
struct deps {
	uint64_t	*v;
	size_t		 len;
	size_t		 cap;
};

#define DEPS_INIT { NULL, 0, 0 }

uint64_t	dep_key(enum dep_kind, const char *name, size_t len);
void		deps_add(struct deps *, enum dep_kind, const char *name);
void		deps_add_key(struct deps *, uint64_t key);
/* Sorts and drops repeats: a smaller record to keep. */
void		deps_tidy(struct deps *);
void		deps_free(struct deps *);

/* Key -> print. A print is never 0: 0 is "no such input". */
struct prints {
	struct print_slot {
		uint64_t	 key;
		uint64_t	 print;
	}		*v;
	size_t		 len;
	size_t		 cap;	/* a power of two, or 0 */
};

#define PRINTS_INIT { NULL, 0, 0 }

void		prints_set(struct prints *, uint64_t key, uint64_t print);
uint64_t	prints_get(const struct prints *, uint64_t key);
void		prints_free(struct prints *);

/*
 * The prints of every input of site s with theme t, as they are now.
 * site_print covers what is not in s or t (the history's tip).
 */
void	prints_of_site(struct prints *, const struct site *,
	    const struct theme *, uint64_t site_print);

/* Whether any input that d read has another print now than then. */
int	deps_stale(const struct deps *, const struct prints *then,
	    const struct prints *now);

#endif
