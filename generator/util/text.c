#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"

int
utf8_valid(const char *str, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, len;
	unsigned c;

	while (i < n) {
		/* Most text is ASCII: skip it eight bytes at a time. */
		if (i + 8 <= n) {
			uint64_t w, high;
			memcpy(&w, s + i, 8);
			high = w & 0x8080808080808080ULL;
			if (high == 0) {
				i += 8;
				continue;
			}
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* Finnish has an ä every few words: jump to it. */
			i += (size_t)__builtin_ctzll(high) >> 3;
#endif
		}
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			goto fail;
		if (i + len > n)
			goto fail;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				goto fail;
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((c == 0xe0 && s[i + 1] < 0xa0) ||
		    (c == 0xed && s[i + 1] > 0x9f) ||
		    (c == 0xf0 && s[i + 1] < 0x90) ||
		    (c == 0xf4 && s[i + 1] > 0x8f))
			goto fail;
		i += len;
	}
	return 1;
fail:
	if (bad)
		*bad = i;
	return 0;
}

/*
 * Latin and Greek letters as they are after decomposition: their marks
 * are accents that a slug drops ("é" is "e", "ά" is "α"). Other scripts
 * keep theirs: a Devanagari vowel sign or the breve of Cyrillic "й" is
 * part of the letter, and dropping every mark (UTF8PROC_STRIPMARK) would
 * make "हिन्दी" "हनद" and "й" "и".
 */
static int
slug_accented(int32_t c)
{
	return (c >= 'a' && c <= 'z') || c == 0xAA || c == 0xBA ||
	    (c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF) ||
	    (c >= 0xC0 && c <= 0x2AF) || (c >= 0x1D00 && c <= 0x1DBF) ||
	    (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
	    (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xAB30 && c <= 0xAB6F) ||
	    (c >= 0xFF41 && c <= 0xFF5A);
}

/*
 * Latin letters whose diacritic is a stroke or a missing dot, which
 * Unicode does not decompose: Danish and Norwegian ø folds to o as
 * Finnish ö does, Polish ł to l, Turkish ı to i. Æ, œ, ð and þ are
 * letters of their own, not a letter with a mark, and stay.
 */
static int32_t
slug_unstroke(int32_t c)
{
	switch (c) {
	case 0xF8:	/* ø */
		return 'o';
	case 0x111:	/* đ */
		return 'd';
	case 0x127:	/* ħ */
		return 'h';
	case 0x131:	/* ı */
		return 'i';
	case 0x142:	/* ł */
		return 'l';
	case 0x167:	/* ŧ */
		return 't';
	default:
		return c;
	}
}

/* Appends '-' if a separator came after something already appended. */
static void
slug_dash(struct buf *b, size_t start, int *dash)
{
	if (*dash && b->len > start)
		buf_putc(b, '-');
	*dash = 0;
}

/*
 * Appends word w[0..n), a run of letters and digits decomposed, in its
 * composed form (NFC), so that "й" is one code point as typed.
 */
static void
slug_word(struct buf *b, size_t start, int *dash, const char *w, size_t n,
    int ascii)
{
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t len;

	if (n == 0)
		return;
	slug_dash(b, start, dash);
	if (!ascii && (len = utf8proc_map((const utf8proc_uint8_t *)w,
	    (utf8proc_ssize_t)n, &nfc, UTF8PROC_COMPOSE)) >= 0) {
		buf_put(b, nfc, (size_t)len);
		free(nfc);
	} else
		buf_put(b, w, n);
}

/*
 * The slug of s[0..n), valid UTF-8: case folded ("ß" is "ss") and
 * decomposed by utf8proc, marks of Latin and Greek letters dropped.
 * Default ignorable characters (soft hyphen, zero-width joiner) are
 * dropped too, so that they do not split a word.
 */
static void
slug_run(struct buf *b, size_t start, int *dash, const char *s, size_t n)
{
	utf8proc_uint8_t *d = NULL;
	utf8proc_ssize_t dlen, off, k;
	utf8proc_int32_t c;
	struct buf w = BUF_INIT;
	size_t i;
	int marks = 0, ascii = 1, cat;

	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	dlen = i < n ? utf8proc_map((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)n, &d, UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE |
	    UTF8PROC_IGNORE) : -1;
	if (dlen < 0) {
		/*
		 * ASCII needs no tables. Should utf8proc fail (it has no
		 * memory), other characters are kept as they are.
		 */
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)s[i];
			if ((ch >= 'a' && ch <= 'z') || (ch >= '0' &&
			    ch <= '9') || ch >= 0x80) {
				slug_dash(b, start, dash);
				buf_putc(b, ch);
			} else if (ch >= 'A' && ch <= 'Z') {
				slug_dash(b, start, dash);
				buf_putc(b, ch - 'A' + 'a');
			} else
				*dash = 1;
		}
		return;
	}
	for (off = 0; off < dlen; off += k) {
		k = utf8proc_iterate(d + off, dlen - off, &c);
		if (k <= 0)
			break;
		cat = utf8proc_category(c);
		if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
		    cat == UTF8PROC_CATEGORY_ME) {
			/* Kept on a letter of other scripts; else dropped. */
			if (marks)
				buf_put(&w, d + off, (size_t)k);
			continue;
		}
		if ((cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) ||
		    cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NL) {
			marks = cat <= UTF8PROC_CATEGORY_LO && !slug_accented(c);
			c = slug_unstroke(c);
			if (c < 0x80)
				buf_putc(&w, (int)c);
			else {
				ascii = 0;
				buf_put(&w, d + off, (size_t)k);
			}
			continue;
		}
		slug_word(b, start, dash, w.data, w.len, ascii);
		buf_reset(&w);
		*dash = 1;
		marks = 0;
		ascii = 1;
	}
	slug_word(b, start, dash, w.data, w.len, ascii);
	buf_free(&w);
	free(d);
}

void
slugify(struct buf *b, const char *str, size_t n)
{
	size_t start = b->len, i = 0, run, bad;
	int dash = 0;

	while (i < n) {
		run = n - i;
		if (!utf8_valid(str + i, run, &bad))
			run = bad;
		if (run > 0)
			slug_run(b, start, &dash, str + i, run);
		i += run;
		/* A byte that is not UTF-8 separates words, as a space does. */
		if (i < n) {
			dash = 1;
			i++;
		}
	}
}

void
text_casefold(struct buf *b, const char *s, size_t n)
{
	utf8proc_uint8_t *f = NULL;
	utf8proc_ssize_t len;

	len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
	    &f, UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
	if (len >= 0)
		buf_put(b, f, (size_t)len);
	else
		buf_put(b, s, n);
	free(f);
}

unsigned
line_of(const char *s, size_t off)
{
	unsigned line = 1;
	const char *p = s, *end = s + off;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line++;
		p++;
	}
	return line;
}

#define DISTANCE_MAX	64

/*
 * Decodes s[0..n) into at most DISTANCE_MAX code points, folded if asked.
 * A byte that starts no valid sequence counts as one code point of its
 * own. Returns their number, or -1 if there are more.
 */
static int
code_points(const char *s, size_t n, int fold, uint32_t cp[DISTANCE_MAX])
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	uint32_t c;
	int k = 0, len, i;

	while (p < end) {
		if (k == DISTANCE_MAX)
			return -1;
		c = *p;
		len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (len > end - p)
			len = 1;
		for (i = 1; i < len; i++)
			if ((p[i] & 0xC0) != 0x80)
				len = 1;
		if (len > 1) {
			c &= 0xFF >> (len + 1);
			for (i = 1; i < len; i++)
				c = c << 6 | (p[i] & 0x3F);
		}
		if (fold && ((c >= 'A' && c <= 'Z') ||
		    (c >= 0xC0 && c <= 0xDE && c != 0xD7)))
			c += 0x20;
		cp[k++] = c;
		p += len;
	}
	return k;
}

size_t
text_distance(const char *a, size_t an, const char *b, size_t bn, int fold)
{
	uint32_t x[DISTANCE_MAX], y[DISTANCE_MAX];
	size_t row[DISTANCE_MAX + 1], diag, up, best;
	int lx, ly, i, j;

	if ((lx = code_points(a, an, fold, x)) < 0 ||
	    (ly = code_points(b, bn, fold, y)) < 0)
		return SIZE_MAX;
	for (j = 0; j <= ly; j++)
		row[j] = (size_t)j;
	for (i = 1; i <= lx; i++) {
		diag = row[0];
		row[0] = (size_t)i;
		for (j = 1; j <= ly; j++) {
			up = row[j];
			best = diag + (x[i - 1] != y[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[ly];
}

int
text_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
