/*
 * Text helpers shared by the steps: UTF-8 checks, slugs, line counting.
 */
#ifndef VALO_TEXT_H
#define VALO_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Returns 1 if s[0..n) is valid UTF-8; otherwise 0, with *bad set to the
 * offset of the first invalid byte.
 */
int	utf8_valid(const char *s, size_t n, size_t *bad);

/* One code point of s[0..n): its length, and 0xFFFD for a bad byte. */
static inline size_t
utf8_get(const unsigned char *s, size_t n, uint32_t *c)
{
	if (s[0] < 0x80) {
		*c = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] < 0xE0 && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] >= 0xE0 && s[0] < 0xF0 && n >= 3 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x0F) << 12 |
		    (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		if (*c >= 0x800 && (*c < 0xD800 || *c >= 0xE000))
			return 3;
	} else if (s[0] >= 0xF0 && s[0] < 0xF5 && n >= 4 &&
	    (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*c = (uint32_t)(s[0] & 0x07) << 18 |
		    (uint32_t)(s[1] & 0x3F) << 12 |
		    (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
		if (*c >= 0x10000 && *c <= 0x10FFFF)
			return 4;
	}
	*c = 0xFFFD;
	return 1;
}

static inline size_t
utf8_put(char *out, uint32_t c)
{
	unsigned char *o = (unsigned char *)out;

	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xC0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xE0 | c >> 12);
		o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | c >> 18);
	o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}


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
