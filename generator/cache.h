/*
 * The rebuild cache: a plain file beside the output folder that lets a
 * build skip pages whose source has not changed since the last build of
 * the same site. Safe to delete at any time; a build without it renders
 * every page.
 *
 * It holds a key for everything that all pages depend on (settings,
 * theme, data, every page's front matter and path) and, per page, what
 * identifies its source file (source.h: a stat triple or a blob id) with the
 * page's heading ids and its links to other pages' headings, so links can
 * still be checked without rendering the page.
 */
#ifndef VALO_CACHE_H
#define VALO_CACHE_H

#include <stdint.h>

#include "site.h"
#include "util/hmap.h"

struct cache_page {
	char		*src;
	unsigned char	 id[SOURCE_ID_LEN];	/* the source file's */
	uint64_t	 fm_hash;
	size_t		 body_off;
	unsigned	 body_line;
	const char	*fm;		/* the front matter, serialised */
	size_t		 fmlen;
	const char	*rec;		/* the whole record, in text */
	size_t		 reclen;
	const char	*ids;		/* "I id\nI id\n...", in text */
	const char	*links;		/* "L to-src\tid\tline\n..." */
};

struct cache {
	uint64_t		 key;		/* of the file */
	int			 key_ok;	/* ...and of this build */
	char			*text;		/* the whole file */
	struct cache_page	*v;
	size_t			 len;
	size_t			 cap;
	struct hmap		 by_src;
};

/* Returns the key of everything the pages of s share. */
uint64_t	cache_key(const struct site *, uint64_t theme_hash);

/*
 * Reads the cache at path. A missing or damaged cache is an empty one,
 * not an error.
 */
void	cache_load(struct cache *, const char *path);
/* The same from text (NUL-terminated at len), which c then owns. */
void	cache_parse(struct cache *, char *text, size_t len);

/*
 * If p's source file is unchanged since c was written, sets p's body
 * offsets and front matter hash and returns its front matter, built in
 * arena a; otherwise returns NULL. The front matter depends on the file
 * alone, so this holds whatever else changed. (An fm_memo of content.h,
 * so that loading pages does not depend on the cache.)
 */
struct value	*cache_front_matter(void *cache, struct page *,
		    struct arena *);

/* Lets pages be taken over only if the shared inputs are unchanged. */
void	cache_accept(struct cache *, uint64_t key);

/*
 * If p's source and everything pages share are unchanged since c was
 * written, restores p's ids and links and returns 1; otherwise 0.
 */
int	cache_restore(const struct cache *, const struct site *,
	    struct page *);

/*
 * Writes the cache of the pages of s that rendered cleanly, leaving out
 * sources changed at or after since_ns (their times cannot yet tell a
 * later edit apart). Returns 0, or -1 with errno set.
 */
int	cache_save(const struct site *, uint64_t key, const char *path,
	    uint64_t since_ns);

void	cache_free(struct cache *);

#endif
