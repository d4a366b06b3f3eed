#include <stdint.h>
#include <string.h>

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

void
slugify(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = b->len, len;
	int dash = 0;

	while (i < n) {
		unsigned c = s[i];
		char out = 0;

		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				out = (char)c;
			else if (c >= 'A' && c <= 'Z')
				out = (char)(c - 'A' + 'a');
			i++;
		} else if (c == 0xc3 && i + 1 < n) {
			/* Latin-1 letters: the Nordic ones fold, the rest stay. */
			unsigned d = s[i + 1];
			if (d == 0xa4 || d == 0x84 || d == 0xa5 || d == 0x85)
				out = 'a';
			else if (d == 0xb6 || d == 0x96)
				out = 'o';
			if (out == 0 && d != 0x97 && d != 0xb7) {
				if (dash && b->len > start)
					buf_putc(b, '-');
				dash = 0;
				/* Upper case À..Þ to lower case. */
				buf_putc(b, 0xc3);
				buf_putc(b, (int)(d >= 0x80 && d <= 0x9e ?
				    d + 0x20 : d));
			}
			i += 2;
			if (out == 0)
				continue;
		} else {
			/* Other non-ASCII: keep whole characters as they are. */
			len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (i + len > n)
				len = n - i;
			/* General punctuation (U+2000..U+206F) is a separator. */
			if (!(c == 0xe2 && i + 1 < n && s[i + 1] == 0x80) &&
			    c != 0xc2) {
				if (dash && b->len > start)
					buf_putc(b, '-');
				dash = 0;
				buf_put(b, s + i, len);
			} else
				dash = 1;
			i += len;
			continue;
		}
		if (out) {
			if (dash && b->len > start)
				buf_putc(b, '-');
			dash = 0;
			buf_putc(b, out);
		} else
			dash = 1;
	}
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
