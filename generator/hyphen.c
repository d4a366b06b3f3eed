#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libvoikko/voikko.h>

#include "hyphen.h"
#include "util/diag.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/mem.h"

#define SHY	"\xC2\xAD"

struct hyphen {
	struct VoikkoHandle	*v;
	struct hmap		 memo;	/* word -> word with soft hyphens */
	struct arena		 arena;	/* memo's strings */
	struct buf		 word;	/* the word asked about, NUL-ended */
	struct buf		 page;	/* hyphen_buf's */
	struct buf		 hy;	/* a word being hyphenated */
};

struct hyphen *
hyphen_open(const char *lang, const char **why)
{
	struct hyphen *h;
	struct VoikkoHandle *v;
	const char *err = NULL;

	*why = NULL;
	/* libvoikko's dictionaries in Debian are Finnish only. */
	if (lang == NULL || strcmp(lang, "fi") != 0)
		return NULL;
	if ((v = voikkoInit(&err, "fi", NULL)) == NULL) {
		*why = err ? err : W_("no Finnish dictionary");
		return NULL;
	}
	/* No lone letter at either end of a line: "a-lue". */
	voikkoSetBooleanOption(v, VOIKKO_OPT_NO_UGLY_HYPHENATION, 1);
	h = xcalloc(1, sizeof(*h));
	h->v = v;
	return h;
}

void
hyphen_close(struct hyphen *h)
{
	if (h == NULL)
		return;
	voikkoTerminate(h->v);
	hmap_free(&h->memo);
	arena_free(&h->arena);
	buf_free(&h->word);
	buf_free(&h->page);
	buf_free(&h->hy);
	free(h);
}

static const unsigned char ascii_letter[256] = {
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

/*
 * The length of the letter at s (which has n bytes), or 0 if s is not
 * one: ASCII letters, and the letters of Latin-1 and Latin Extended-A
 * (Finnish, Swedish, Sámi and the names of neighbouring countries).
 */
static size_t
letter(const unsigned char *s, size_t n)
{
	unsigned c;

	if (ascii_letter[*s])
		return 1;
	/* U+00C0 to U+017F start with 0xC3 to 0xC5. */
	if (n < 2 || *s < 0xC3 || *s > 0xC5 || (s[1] & 0xC0) != 0x80)
		return 0;
	c = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	if ((c >= 0xC0 && c <= 0x17F) && c != 0xD7 && c != 0xF7)
		return 2;
	return 0;
}

/* A word as it is put out: with its soft hyphens, and its length. */
struct done {
	size_t	 len;
	char	 text[];
};

/* Puts the long word w (n bytes) with its soft hyphens. */
static void
put_word(struct hyphen *h, const char *w, size_t n, struct buf *out)
{
	struct done *d;
	char *pat;
	size_t i, c, k, plen;

	if ((d = hmap_getn(&h->memo, w, n)) == NULL) {
		buf_reset(&h->word);
		buf_put(&h->word, w, n);
		/*
		 * The points as a pattern, one byte a character ('-': a break
		 * before it), put in here: voikkoInsertHyphensCstr leaks one
		 * allocation a call in libvoikko 4.3.
		 */
		pat = voikkoHyphenateCstr(h->v, h->word.data);
		plen = pat ? strlen(pat) : 0;
		buf_reset(&h->hy);
		for (i = 0, c = 0; i < n; c++) {
			if (c > 0 && c < plen && pat[c] == '-')
				buf_puts(&h->hy, SHY);
			k = letter((const unsigned char *)w + i, n - i);
			buf_put(&h->hy, w + i, k ? k : 1);
			i += k ? k : 1;
		}
		if (pat != NULL)
			voikkoFreeCstr(pat);
		d = arena_alloc(&h->arena, sizeof(*d) + h->hy.len + 1);
		d->len = h->hy.len;
		memcpy(d->text, h->hy.data, h->hy.len + 1);
		hmap_put(&h->memo, arena_strndup(&h->arena, w, n), d);
	}
	buf_put(out, d->text, d->len);
}

/*
 * Hyphenates the long words of text t[0..n): puts what lies between
 * *from and each such word as it is, then the word, and moves *from on.
 */
static void
put_text(struct hyphen *h, const char *t, size_t n, const char **from,
    struct buf *out)
{
	const unsigned char *s = (const unsigned char *)t;
	size_t i = 0, start, chars, k;

	while (i < n) {
		if (t[i] == '&') {
			/* An entity is not a word. */
			for (k = i + 1; k < n && k - i < 32 && t[k] != ';' &&
			    t[k] != '<'; k++)
				;
			i = k < n && t[k] == ';' ? k + 1 : i + 1;
			continue;
		}
		if (letter(s + i, n - i) == 0) {
			i++;
			continue;
		}
		start = i;
		chars = 0;
		while (i < n && (k = letter(s + i, n - i)) != 0) {
			i += k;
			chars++;
		}
		if (chars < HYPHEN_MIN_WORD)
			continue;
		buf_put(out, *from, (size_t)(t + start - *from));
		put_word(h, t + start, i - start, out);
		*from = t + i;
	}
}

/* Elements whose text is not prose to break. */
static int
skipped(const char *name, size_t n)
{
	static const char *const names[] = { "head", "script", "style",
	    "pre", "code", "kbd", "samp", "textarea", "svg", "title" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncasecmp(names[i], name, n) == 0)
			return 1;
	return 0;
}

void
hyphen_html(struct hyphen *h, const char *html, size_t len, struct buf *out)
{
	const char *p = html, *end = html + len, *q, *name, *from = html;
	size_t n;
	unsigned depth = 0;
	int closing;

	/* Most pages gain a few soft hyphens: one allocation. */
	buf_grow(out, len + len / 16 + 64);
	while (p < end) {
		if (*p != '<') {
			q = memchr(p, '<', (size_t)(end - p));
			q = q ? q : end;
			if (depth == 0)
				put_text(h, p, (size_t)(q - p), &from, out);
			p = q;
			continue;
		}
		/* Comments and tags stay as they are. */
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			q = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
			p = q ? q + 3 : end;
			continue;
		}
		closing = p + 1 < end && p[1] == '/';
		name = p + 1 + closing;
		for (n = 0; name + n < end && ((name[n] | 0x20) >= 'a' &&
		    (name[n] | 0x20) <= 'z'); n++)
			;
		/* Quoted attribute values may hold '>' as it is. */
		for (q = name + n; q < end && *q != '>'; q++)
			if (*q == '"' || *q == '\'') {
				const char *c = memchr(q + 1, *q,
				    (size_t)(end - q - 1));
				q = c ? c : end - 1;
			}
		q = q < end ? q + 1 : end;
		if (n > 0 && skipped(name, n)) {
			if (closing) {
				if (depth > 0)
					depth--;
			} else if (q - p < 3 || q[-2] != '/')
				depth++;
		}
		p = q;
	}
	buf_put(out, from, (size_t)(end - from));
}

void
hyphen_buf(struct hyphen *h, struct buf *html)
{
	struct buf t;

	buf_reset(&h->page);
	hyphen_html(h, html->data, html->len, &h->page);
	t = *html;
	*html = h->page;
	h->page = t;
}
