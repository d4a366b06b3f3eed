/*
 * Text helpers shared by the steps: UTF-8 checks, slugs, line counting.
 */
#ifndef VALO_TEXT_H
#define VALO_TEXT_H

#include <stddef.h>

#include "buf.h"

/*
 * Returns 1 if s[0..n) is valid UTF-8; otherwise 0, with *bad set to the
 * offset of the first invalid byte.
 */
int	utf8_valid(const char *s, size_t n, size_t *bad);

/*
 * Appends the slug of s: lower case, ä and å become a, ö becomes o, other
 * letters and digits are kept, everything else becomes one '-', with no
 * '-' at either end. Appends nothing if s has no letter or digit.
 */
void	slugify(struct buf *, const char *s, size_t n);

/*
 * The edit distance (Levenshtein) of UTF-8 a[0..an) and b[0..bn), for
 * "did you mean": by code point, with upper case folded where fold is set
 * (ASCII and Latin-1 letters: Ä as ä). Names longer than 64 code points
 * are never close (SIZE_MAX): a long name is copied, not retyped.
 */
size_t	text_distance(const char *a, size_t an, const char *b, size_t bn,
	    int fold);

/* The value of hexadecimal digit c, or -1. */
int	text_hex(int c);

/* Returns the 1-based line number of offset off in s. */
unsigned line_of(const char *s, size_t off);

#endif
