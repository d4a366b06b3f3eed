/*
 * Soft hyphens in long words of a finished page, where libvoikko's Finnish
 * hyphenator allows a break: a narrow screen then breaks
 * "Saavutettavuusseloste" as "Saavutettavuus-seloste" rather than
 * anywhere, without a hyphen. Browsers show U+00AD only at a line break,
 * and screen readers, search and copying ignore it.
 */
#ifndef VALO_HYPHEN_H
#define VALO_HYPHEN_H

#include <stddef.h>

#include "util/buf.h"

/* Words shorter than this (in characters) are left alone. */
#define HYPHEN_MIN_WORD	10

struct hyphen;

/*
 * A hyphenator for language lang ("fi"), or NULL where libvoikko has no
 * dictionary for it (*why then says so, or is NULL for a language
 * libvoikko does not hyphenate at all).
 */
struct hyphen	*hyphen_open(const char *lang, const char **why);
void		 hyphen_close(struct hyphen *);

/*
 * Copies the HTML document html to out with soft hyphens in the long
 * words of its text: not in tags or attributes, nor in head, script,
 * style, pre, code, kbd, samp, textarea or svg, nor in entities. Keeps
 * the hyphenation of each word it has seen, so one instance belongs to one
 * thread.
 */
void	hyphen_html(struct hyphen *, const char *html, size_t len,
	    struct buf *out);
/* The same in place. */
void	hyphen_buf(struct hyphen *, struct buf *html);

#endif
