/*
 * Addresses that must never reach a page: javascript: and vbscript: run
 * script, file: opens the reader's own files, data: can carry a whole
 * page with script. Links, images, raw HTML, front matter and data are
 * all checked with the one classification here.
 */
#ifndef VALO_URL_H
#define VALO_URL_H

#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"
#include "value.h"

/*
 * Returns 1 if a browser would take url[0..len) as a javascript:,
 * vbscript:, file: or data: address, read as a browser reads it: any
 * case, character references (&#106; &colon;) and percent escapes
 * decoded, ASCII whitespace and control characters before and inside the
 * scheme ignored. Stricter than a browser where the two differ, never
 * less strict. An image (image != 0) may be data:image/png, gif, jpeg or
 * webp. Returns 0 for anything else: https:, mailto:, relative paths.
 */
int	url_dangerous(const char *url, size_t len, int image);

/* The hint for an unsafe link or image address. */
extern const char *const url_hint;

/*
 * Decodes the character reference at s[0..n), which starts with '&', the
 * way a browser does in an attribute value. Returns its length and sets
 * *cp to the code point, or returns 0 if s does not start one.
 */
size_t	url_charref(const char *s, size_t n, unsigned long *cp);

/*
 * Appends url for a message: control characters as \t, \n or \xNN, and
 * cut after about 100 bytes, between characters, with "…".
 */
void	url_show(struct buf *, const char *url, size_t len);

/*
 * Adds an error at file and the value's line for every string in v (lists
 * and maps are walked) that is, trimmed, an address url_dangerous refuses
 * (data:image/png and the like are allowed). v may be NULL.
 */
void	url_check_value(const struct value *v, const char *file,
	    struct diags *);

#endif
