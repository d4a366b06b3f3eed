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
 * Appends the slug of s: letters and digits of every script, case folded
 * (lower case; ß becomes ss) and in composed form (NFC). A Latin or Greek
 * letter loses its diacritics (ä, å and é become a, a and e; ø, ł and đ
 * become o, l and d; ά becomes α); letters of other scripts keep their
 * marks (й, हि). Everything else becomes one '-', with no '-' at either
 * end. Invisible characters (soft hyphen, zero-width joiner) are dropped,
 * and a byte that is not UTF-8 separates as a space does. Appends nothing
 * if s has no letter or digit. A slug is its own slug.
 */
void	slugify(struct buf *, const char *s, size_t n);

/*
 * Appends s[0..n) case folded and composed (NFC), for comparing names
 * as a reader would: "Äänestys" as "äänestys", after "Z" and "z" both.
 * Text that is not valid UTF-8 is appended as it is.
 */
void	text_casefold(struct buf *, const char *s, size_t n);

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
