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
