#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/pool.h"
#include "util/text.h"

/*
 * Words.
 */

/*
 * Upper to lower case, by ranges and pairs as Unicode has them; the
 * script's fold() has the same table, and the two must agree.
 */
uint32_t
search_fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14A && c <= 0x177) || (c >= 0x200 && c <= 0x21F) ||
	    (c >= 0x222 && c <= 0x233))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return c & 1 ? c + 1 : c;
	if (c == 0x130)
		return 'i';
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
		return c + 32;
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 37;
	if (c == 0x38C)
		return 0x3CC;
	if (c == 0x38E || c == 0x38F)
		return c + 63;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

int
search_is_word(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z');
	return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	    (c >= 0x370 && c <= 0x3FF && c != 0x37E && c != 0x387) ||
	    (c >= 0x400 && c <= 0x4FF);
}

/*
 * A letter followed by a combining mark, as an editor that saves
 * decomposed text writes ä: the composed letter, or 0. The script
 * composes the query (NFC) before it folds, for every letter.
 */
static uint32_t
compose(char base, uint32_t mark)
{
	static const struct {
		char		 base;
		uint16_t	 mark;
		uint16_t	 to;
	} t[] = {
		{ 'a', 0x300, 0xE0 }, { 'a', 0x301, 0xE1 },
		{ 'a', 0x308, 0xE4 }, { 'a', 0x30A, 0xE5 },
		{ 'e', 0x300, 0xE8 }, { 'e', 0x301, 0xE9 },
		{ 'e', 0x308, 0xEB }, { 'i', 0x301, 0xED },
		{ 'i', 0x308, 0xEF }, { 'n', 0x303, 0xF1 },
		{ 'o', 0x301, 0xF3 }, { 'o', 0x303, 0xF5 },
		{ 'o', 0x308, 0xF6 }, { 'u', 0x301, 0xFA },
		{ 'u', 0x308, 0xFC }, { 's', 0x30C, 0x161 },
		{ 'z', 0x30C, 0x17E },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].base == base && t[i].mark == mark)
			return t[i].to;
	return 0;
}

/*
 * A byte's folded self if it is an ASCII letter or digit, else 0, as for
 * every byte of UTF-8's above ASCII.
 */
static const unsigned char ascii_word[256] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
	['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
	['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
	['z'] = 'z',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
	['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
	['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
	['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
	['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
	['Z'] = 'z',
};

/*
 * search_words, inline: where fn is known (the index's on_word), the
 * compiler makes the call per word a direct one.
 */
static inline __attribute__((always_inline)) void
scan_words(const char *s, size_t n,
    void (*fn)(void *, const char *, size_t), void *arg)
{
	const unsigned char *u = (const unsigned char *)s;
	/*
	 * A word's bytes go to w[len % WRAP]: one past SEARCH_WORD_MAX is
	 * no word, and writing it around costs less than a test a byte.
	 */
	enum { WRAP = 64 };
	char w[WRAP + 16];
	size_t i = 0, k, len = 0, extra = 0;
	uint32_t c, to;
	unsigned char f;

	memset(w, 0, sizeof(w));
	/*
	 * extra: the bytes of the word that are not characters of their
	 * own, for its length in characters.
	 */
	while (i < n) {
		f = ascii_word[u[i]];
		if (f != 0) {
			/* A run of ASCII letters and digits: most of a text. */
			do {
				w[len % WRAP] = (char)f;
				len++;
			} while (++i < n && (f = ascii_word[u[i]]) != 0);
			if (i == n || u[i] >= 0x80)
				continue;
		} else if (u[i] >= 0x80) {
			/* ä, ö, å: two bytes, C3 and one of 80 to BF. */
			if (u[i] == 0xC3 && i + 1 < n &&
			    (u[i + 1] & 0xC0) == 0x80) {
				c = 0xC0 | (u[i + 1] & 0x3F);
				k = 2;
			} else
				k = utf8_get(u + i, n - i, &c);
			i += k;
			if (c == 0xAD)
				continue;
			if (c >= 0x300 && c < 0x370) {
				/* A mark may make a letter of ASCII. */
				if (len > 0 && len <= SEARCH_WORD_MAX &&
				    (unsigned char)w[len - 1] < 0x80 &&
				    (to = compose(w[len - 1], c)) != 0) {
					utf8_put(w + len - 1, to);
					len++;
					extra++;
				}
				continue;
			}
			if (search_is_word(c)) {
				/* İ folds to ASCII i. */
				c = search_fold(c);
				k = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
				utf8_put(w + len % WRAP, c);
				len += k;
				extra += k - 1;
				continue;
			}
		} else
			i++;
		if (len == 0)
			continue;
		if (len - extra >= 2 && len <= SEARCH_WORD_MAX)
			fn(arg, w, len);
		memset(w, 0, 16);
		len = extra = 0;
	}
	if (len - extra >= 2 && len <= SEARCH_WORD_MAX)
		fn(arg, w, len);
}

void
search_words_scalar(const char *s, size_t n,
    void (*fn)(void *, const char *, size_t), void *arg)
{
	scan_words(s, n, fn, arg);
}

/*
 * The fast way through a text, where the compiler has vectors (GCC and
 * Clang) and the machine is little-endian: a word costs a few
 * instructions, not the two mispredicted branches per word (where it
 * starts, where it ends) of a loop a byte at a time, which were most of
 * the index's time.
 */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SCAN_FAST	1

typedef unsigned char bytes16 __attribute__((vector_size(16)));

/* Bit j: the top bit of byte j of v, each byte 0 or 0xFF. */
static inline uint64_t
top_bits(bytes16 v)
{
	uint64_t h[2];

	memcpy(h, &v, sizeof(h));
	return ((h[0] & 0x8080808080808080ULL) * 0x0002040810204081ULL >>
	    56) | ((h[1] & 0x8080808080808080ULL) * 0x0002040810204081ULL >>
	    56) << 8;
}
#endif

/* What scan_fast keeps from one text to the next. */
struct scan {
	unsigned char	*pad;		/* a NUL, the text, NULs */
	unsigned char	*fold;		/* the text folded */
	size_t		 cap;
};

static void
scan_free(struct scan *sc)
{
	free(sc->pad);
	free(sc->fold);
	memset(sc, 0, sizeof(*sc));
}

#ifdef SCAN_FAST
/* Run fold[at..at+len) of ASCII and Latin-1 letters, to fnk if a word. */
static inline __attribute__((always_inline)) void
fast_word(const unsigned char *fold, size_t at, size_t len,
    void (*fnk)(void *, const char *, size_t, const uint64_t *), void *arg)
{
	static const unsigned char ones[32] = {
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
		0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	};
	uint64_t k[2], m[2];

	/* One letter of two bytes is no word. */
	if (len > SEARCH_WORD_MAX || len < 2 ||
	    (len == 2 && fold[at] == 0xC3))
		return;
	memcpy(k, fold + at, 16);
	memcpy(m, ones + 16 - (len < 16 ? len : 16), 16);
	k[0] &= m[0];
	k[1] &= m[1];
	fnk(arg, (const char *)fold + at, len, k);
}
#endif

/*
 * scan_words, with fnk given each word and its first 16 bytes as two
 * numbers (NULs after the word), the word itself not NUL-padded.
 *
 * Sixteen bytes at a time, it marks the runs of bytes that are not
 * ASCII separators and folds them. A run of ASCII letters and digits
 * and of Latin-1's letters (C3 and 80 to BF but × and ÷) is then a word
 * as it is; any other run, which may hold marks, soft hyphens, dashes
 * or bytes that are not UTF-8, goes to scan_words and fn.
 */
static inline __attribute__((always_inline)) void
scan_fast(struct scan *sc, const char *s, size_t n,
    void (*fnk)(void *, const char *, size_t, const uint64_t *),
    void (*fn)(void *, const char *, size_t), void *arg)
{
#ifdef SCAN_FAST
	size_t blocks = (n + 63) / 64, b, j, at, st, carry = SIZE_MAX;
	uint64_t run, other, starts, ends, in = 0, carry_other = 0, o;
	unsigned char *fold;
	const unsigned char *q;

	if (sc->cap < blocks * 64 + 64) {
		sc->cap = blocks * 64 + 64 > 2 * sc->cap ? blocks * 64 + 64 :
		    2 * sc->cap;
		free(sc->pad);
		free(sc->fold);
		sc->pad = xmalloc(sc->cap + 2);
		sc->fold = xmalloc(sc->cap);
	}
	sc->pad[0] = '\0';
	memcpy(sc->pad + 1, s, n);
	memset(sc->pad + 1 + n, 0, blocks * 64 + 64 + 1 - n);
	fold = sc->fold;
	memset(fold + blocks * 64, 0, 16);
	for (b = 0; b < blocks; b++) {
		run = other = 0;
		for (j = 0; j < 4; j++) {
			bytes16 v, vp, vn, lower, alpha, digit, lead, second,
			    word, hi, up;
			q = sc->pad + 1 + b * 64 + j * 16;
			memcpy(&v, q, 16);
			memcpy(&vp, q - 1, 16);
			memcpy(&vn, q + 1, 16);
			lower = v | 0x20;
			alpha = (bytes16)((lower >= 'a') & (lower <= 'z'));
			digit = (bytes16)((v >= '0') & (v <= '9'));
			/* ä is C3 A4; Ä C3 84; × C3 97 is no letter. */
			lead = (bytes16)((v == 0xC3) & (vn >= 0x80) &
			    (vn <= 0xBF) & (vn != 0x97) & (vn != 0xB7));
			second = (bytes16)((vp == 0xC3) & (v >= 0x80) &
			    (v <= 0xBF) & (v != 0x97) & (v != 0xB7));
			word = alpha | digit | lead | second;
			hi = (bytes16)(v >= 0x80);
			/* Upper case: A to Z, and À to Þ (80 to 9E after C3). */
			up = alpha | (second & (bytes16)(v < 0x9F));
			v |= up & 0x20;
			memcpy(fold + b * 64 + j * 16, &v, 16);
			run |= top_bits(word | hi) << (j * 16);
			other |= top_bits(hi & ~word) << (j * 16);
		}
		/* A run's ends: where it starts, and the byte after it. */
		starts = run & ~(run << 1 | in);
		ends = ~run & (run << 1 | in);
		in = run >> 63;
		while (ends != 0) {
			at = b * 64 + (size_t)__builtin_ctzll(ends);
			if (carry != SIZE_MAX) {
				st = carry;
				o = carry_other | (other &
				    ((1ULL << (at - b * 64)) - 1));
				carry = SIZE_MAX;
			} else {
				j = (size_t)__builtin_ctzll(starts);
				st = b * 64 + j;
				o = other & (~0ULL << j) &
				    ((1ULL << (at - b * 64)) - 1);
				starts &= starts - 1;
			}
			ends &= ends - 1;
			if (o != 0)
				scan_words(s + st, at - st, fn, arg);
			else
				fast_word(fold, st, at - st, fnk, arg);
		}
		if (starts != 0) {
			j = (size_t)__builtin_ctzll(starts);
			carry = b * 64 + j;
			carry_other = other & (~0ULL << j);
		} else if (carry != SIZE_MAX)
			carry_other |= other;
	}
	/* A run to the end of the last block: the text ends in a word. */
	if (carry != SIZE_MAX && carry_other != 0)
		scan_words(s + carry, n - carry, fn, arg);
	else if (carry != SIZE_MAX)
		fast_word(fold, carry, n - carry, fnk, arg);
#else
	(void)sc;
	(void)fnk;
	scan_words(s, n, fn, arg);
#endif
}

/* search_words's caller's fn, for scan_fast. */
struct padded {
	void	(*fn)(void *, const char *, size_t);
	void	 *arg;
};

static void
padded_word(void *arg, const char *w, size_t n, const uint64_t *k)
{
	struct padded *pw = arg;
	char buf[SEARCH_WORD_MAX + 16];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, w, n);
	pw->fn(pw->arg, buf, n);
	(void)k;
}

static void
padded_scalar(void *arg, const char *w, size_t n)
{
	struct padded *pw = arg;

	pw->fn(pw->arg, w, n);
}

void
search_words(const char *s, size_t n,
    void (*fn)(void *, const char *, size_t), void *arg)
{
	struct padded pw = { fn, arg };
	struct scan sc;

	memset(&sc, 0, sizeof(sc));
	scan_fast(&sc, s, n, padded_word, padded_scalar, &pw);
	scan_free(&sc);
}

/*
 * Stems.
 */

struct search_stemmer {
	struct sb_stemmer	*sb;	/* NULL: words are their stems */
	const char		*name;	/* the script's for it */
	int			 finnish;	/* and two rules of its own */
	struct buf		 buf;
};

struct search_stemmer *
search_stemmer_new(const char *lang)
{
	struct search_stemmer *st = xcalloc(1, sizeof(*st));

	/* The languages whose stemmer the script has too. */
	static const char *const known[][2] = {
		{ "fi", "finnish" }, { "sv", "swedish" }, { "en", "english" },
	};
	size_t i;

	st->name = "none";
	for (i = 0; lang != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(lang, known[i][0]) == 0 &&
		    (st->sb = sb_stemmer_new(known[i][1], "UTF_8")) != NULL) {
			st->name = known[i][1];
			st->finnish = i == 0;
		}
	return st;
}

const char *
search_stemmer_name(const struct search_stemmer *st)
{
	return st->name;
}

/*
 * The bytes of the Finnish vowel (V1 of the Snowball stemmer) that
 * s[0..n) ends in, or 0.
 */
static size_t
vowel_at_end(const char *s, size_t n)
{
	if (n >= 1 && s[n - 1] != '\0' && strchr("aeiouy", s[n - 1]) != NULL)
		return 1;
	/* ä and ö: C3 A4, C3 B6 */
	if (n >= 2 && (unsigned char)s[n - 2] == 0xC3 &&
	    ((unsigned char)s[n - 1] == 0xA4 ||
	    (unsigned char)s[n - 1] == 0xB6))
		return 2;
	return 0;
}

const char *
search_stem(struct search_stemmer *st, const char *w, size_t n, size_t *len)
{
	const sb_symbol *r;
	size_t i, k, v;

	*len = n;
	if (st->sb == NULL)
		return w;
	for (i = 0; i < n; i++)
		if (w[i] >= '0' && w[i] <= '9')
			return w;
	buf_reset(&st->buf);
	buf_put(&st->buf, w, n);
	/* ihminen, ihmisen: Snowball gives ihmin and ihmis. */
	if (st->finnish && n >= 5 && memcmp(w + n - 4, "inen", 4) == 0) {
		st->buf.len -= 3;
		buf_puts(&st->buf, "se");
	}
	r = sb_stemmer_stem(st->sb, (const sb_symbol *)st->buf.data,
	    (int)st->buf.len);
	if (r == NULL)
		return w;
	k = (size_t)sb_stemmer_length(st->sb);
	buf_reset(&st->buf);
	buf_put(&st->buf, r, k);
	/*
	 * päätös, päätöksen: Snowball gives päätös and päätöks. Not in a
	 * stem of three letters (yksi is not ysi).
	 */
	if (st->finnish && k >= 4 &&
	    memcmp(st->buf.data + k - 2, "ks", 2) == 0 &&
	    (v = vowel_at_end(st->buf.data, k - 2)) != 0 && k - 2 > v) {
		st->buf.data[k - 2] = 's';
		st->buf.data[--k] = '\0';
		st->buf.len = k;
	}
	*len = k;
	return st->buf.data;
}

void
search_stemmer_free(struct search_stemmer *st)
{
	if (st == NULL)
		return;
	if (st->sb != NULL)
		sb_stemmer_delete(st->sb);
	buf_free(&st->buf);
	free(st);
}

/*
 * The text of Markdown.
 */

#define MD_NESTING	8	/* brackets in brackets read as links */

static int
is_alnum_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/*
 * The end of the bracket that s[i] opens, closed by close; or n. Each
 * byte looked at costs one of *budget, and with none left there is no
 * end: a line of brackets that never close would otherwise take time in
 * its length squared.
 */
static size_t
matching(const char *s, size_t n, size_t i, char open, char close,
    size_t *budget)
{
	size_t depth = 0;

	for (; i < n && *budget > 0; i++, (*budget)--) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == open)
			depth++;
		else if (s[i] == close && --depth == 0)
			return i;
	}
	return n;
}

/* What a line may spend on looking for brackets' ends: enough for any
   that a person wrote. */
#define MATCH_BUDGET(len)	(16 * (len) + 4096)

/* The bytes that may begin inline markup. */
static const unsigned char md_special[256] = {
	['\\'] = 1, ['*'] = 1, ['`'] = 1, ['~'] = 1, ['_'] = 1, ['|'] = 1,
	['<'] = 1, ['&'] = 1, ['!'] = 1, ['['] = 1,
};

/* The bytes of s[0..n) before the first of md_special's. */
static size_t
plain_run(const char *s, size_t n)
{
	size_t i = 0;

#ifdef SCAN_FAST
	for (; i + 16 <= n; i += 16) {
		bytes16 v;
		uint64_t bits;
		memcpy(&v, s + i, 16);
		bits = top_bits((bytes16)((v == '\\') | (v == '*') |
		    (v == '`') | (v == '~') | (v == '_') | (v == '|') |
		    (v == '<') | (v == '&') | (v == '!') | (v == '[')));
		if (bits != 0)
			return i + (size_t)__builtin_ctzll(bits);
	}
#endif
	while (i < n && !md_special[(unsigned char)s[i]])
		i++;
	return i;
}

/*
 * Appends what a reader sees of inline Markdown s[0..n), looking for
 * the ends of brackets while *budget lasts (see matching). What it
 * appends is never longer than s: room for it is made once, and bytes
 * are put without a call each.
 */
static void
inline_text(struct buf *out, const char *s, size_t n, int depth,
    size_t *budget)
{
	static const struct {
		const char	*name;
		const char	*text;
	} ent[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
		{ "shy", "" },
	};
	size_t i = 0, j, k, e;
	const char *rep;
	unsigned char c;

	if (out->len + n + 1 > out->cap)
		buf_grow(out, n + 1);
	while (i < n) {
		/* Plain text, the most of it, in one piece. */
		j = i + plain_run(s + i, n - i);
		if (j > i) {
			memcpy(out->data + out->len, s + i, j - i);
			out->len += j - i;
			i = j;
			continue;
		}
		c = (unsigned char)s[i];
		switch (c) {
		case '\\':
			if (i + 1 < n && s[i + 1] != '\n') {
				out->data[out->len++] = s[i + 1];
				i += 2;
				continue;
			}
			break;
		case '*':
		case '`':
		case '~':
			i++;
			continue;
		case '_':
			/* snake_case keeps it; _emphasis_ does not. */
			if (i > 0 && i + 1 < n && is_alnum_byte(s[i - 1]) &&
			    is_alnum_byte(s[i + 1]))
				break;
			i++;
			continue;
		case '|':
			out->data[out->len++] = ' ';
			i++;
			continue;
		case '<':
			/* An HTML tag or an autolink: none of it is text. */
			if (i + 1 < n && (strchr("/!?", s[i + 1]) != NULL ||
			    is_alnum_byte(s[i + 1])) && s[i + 1] != '\0') {
				for (j = i + 1; j < n && s[j] != '>' &&
				    s[j] != '<'; j++)
					;
				if (j < n && s[j] == '>') {
					out->data[out->len++] = ' ';
					i = j + 1;
					continue;
				}
			}
			break;
		case '&':
			for (j = i + 1; j < n && j - i <= 32 &&
			    (is_alnum_byte(s[j]) || s[j] == '#') &&
			    (unsigned char)s[j] < 0x80; j++)
				;
			if (j < n && s[j] == ';' && j > i + 1) {
				for (e = 0; e < sizeof(ent) / sizeof(ent[0]);
				    e++)
					if (strlen(ent[e].name) == j - i - 1 &&
					    memcmp(ent[e].name, s + i + 1,
					    j - i - 1) == 0)
						break;
				rep = e < sizeof(ent) / sizeof(ent[0]) ?
				    ent[e].text : " ";
				memcpy(out->data + out->len, rep, strlen(rep));
				out->len += strlen(rep);
				i = j + 1;
				continue;
			}
			break;
		case '!':
			if (i + 1 < n && s[i + 1] == '[') {
				i++;
				continue;
			}
			break;
		case '[':
			if (depth >= MD_NESTING)
				break;
			j = matching(s, n, i, '[', ']', budget);
			if (j == n)
				break;
			/* A footnote's mark is a number, not text. */
			if (i + 1 < n && s[i + 1] == '^') {
				i = j + 1;
				continue;
			}
			inline_text(out, s + i + 1, j - i - 1, depth + 1,
			    budget);
			k = j + 1;
			if (k < n && s[k] == '(') {
				k = matching(s, n, k, '(', ')', budget);
				i = k < n ? k + 1 : n;
			} else if (k < n && s[k] == '[') {
				k = matching(s, n, k, '[', ']', budget);
				i = k < n ? k + 1 : n;
			} else
				i = k;
			continue;
		default:
			break;
		}
		out->data[out->len++] = s[i];
		i++;
	}
	out->data[out->len] = '\0';
}

/* s[0..n) after up to three spaces: their number, or 4 for code. */
static size_t
indent(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 4 && s[i] == ' '; i++)
		;
	return i < n && s[i] == '\t' ? 4 : i;
}

/* A line of only c (and spaces), at least min of them. */
static int
line_of_only(const char *s, size_t n, char c, size_t min)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (s[i] == c)
			count++;
		else if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return count >= min;
}

/* A line of a table's delimiter row: | :--- | ---: | */
static int
table_rule(const char *s, size_t n)
{
	size_t i;
	int dash = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '-')
			dash = 1;
		else if (strchr("|: \t", s[i]) == NULL || s[i] == '\0')
			return 0;
	return dash && memchr(s, '|', n) != NULL;
}

/* Ends the text's current line, once. */
static void
end_line(struct buf *b)
{
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		buf_putc(b, '\n');
}

/*
 * Ends the text's paragraph; done, if not NULL, takes it and the text
 * starts anew. The index reads a paragraph while it is still in the
 * cache, not the whole text again afterwards.
 */
static void
para_done(struct buf *text, void (*done)(void *, struct buf *), void *arg)
{
	end_line(text);
	if (done != NULL && text->len > 0) {
		done(arg, text);
		buf_reset(text);
	}
}

/* search_markdown, giving done each paragraph of the text. */
static void
md_text(const char *md, size_t n, struct buf *heads, struct buf *text,
    void (*done)(void *, struct buf *), void *arg)
{
	const char *p = md, *end = md + n, *eol, *q;
	size_t len, ind, run, para = SIZE_MAX, budget;
	char fence = 0;
	size_t fence_len = 0;
	int comment = 0;

	for (; p < end; p = eol + (eol < end)) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		ind = indent(p, len);
		q = p + (ind < 4 ? ind : 0);
		len -= (size_t)(q - p);
		if (fence) {
			for (run = 0; run < len && q[run] == fence; run++)
				;
			if (ind < 4 && run >= fence_len &&
			    line_of_only(q, len, fence, run))
				fence = 0;
			continue;
		}
		if (comment) {
			if (memmem(q, len, "-->", 3) != NULL)
				comment = 0;
			continue;
		}
		if (ind < 4 && len >= 3 && (q[0] == '`' || q[0] == '~')) {
			for (run = 0; run < len && q[run] == q[0]; run++)
				;
			if (run >= 3 && (q[0] == '~' ||
			    memchr(q + run, '`', len - run) == NULL)) {
				fence = q[0];
				fence_len = run;
				para_done(text, done, arg);
				para = SIZE_MAX;
				continue;
			}
		}
		if (line_of_only(q, len, ' ', 0) || len == 0) {
			para_done(text, done, arg);
			para = SIZE_MAX;
			continue;
		}
		if (ind < 4 && q[0] == '#') {
			for (run = 0; run < len && q[run] == '#'; run++)
				;
			if (run <= 6 && (run == len || q[run] == ' ' ||
			    q[run] == '\t')) {
				size_t hl = len;
				const char *brace;
				/* {#id} and a closing run of # are not text. */
				if ((brace = memchr(q + run, '{', len - run)) &&
				    brace + 1 < q + len && brace[1] == '#')
					hl = (size_t)(brace - q);
				while (hl > run && (q[hl - 1] == ' ' ||
				    q[hl - 1] == '#' || q[hl - 1] == '\t'))
					hl--;
				while (run < hl && (q[run] == ' ' ||
				    q[run] == '\t'))
					run++;
				budget = MATCH_BUDGET(hl - run);
				inline_text(heads, q + run, hl - run, 0,
				    &budget);
				end_line(heads);
				para_done(text, done, arg);
				para = SIZE_MAX;
				continue;
			}
		}
		if (ind < 4 && (q[0] == '=' || q[0] == '-') &&
		    line_of_only(q, len, q[0], 1)) {
			/* Under a paragraph, it makes it a heading. */
			if (para != SIZE_MAX && para < text->len) {
				buf_put(heads, text->data + para,
				    text->len - para);
				end_line(heads);
				text->len = para;
				text->data[para] = '\0';
			}
			para_done(text, done, arg);
			para = SIZE_MAX;
			continue;
		}
		if (ind < 4 && (line_of_only(q, len, '*', 3) ||
		    line_of_only(q, len, '_', 3) || table_rule(q, len))) {
			para_done(text, done, arg);
			para = SIZE_MAX;
			continue;
		}
		if (ind < 4 && len > 1 && q[0] == '[' && q[1] != '^') {
			size_t j;
			budget = MATCH_BUDGET(len);
			j = matching(q, len, 0, '[', ']', &budget);
			if (j + 1 < len && q[j + 1] == ':')
				continue;
		}
		if (ind < 4 && len >= 4 && memcmp(q, "<!--", 4) == 0) {
			if (memmem(q, len, "-->", 3) == NULL)
				comment = 1;
			continue;
		}
		/* Quotes and list items: their markers are not text. */
		for (;;) {
			size_t d;
			while (len > 0 && (q[0] == ' ' || q[0] == '\t')) {
				q++;
				len--;
			}
			if (len > 0 && q[0] == '>') {
				q++;
				len--;
				continue;
			}
			if (len > 1 && strchr("-*+", q[0]) != NULL &&
			    q[0] != '\0' && (q[1] == ' ' || q[1] == '\t')) {
				q += 2;
				len -= 2;
				continue;
			}
			for (d = 0; d < len && d < 9 && q[d] >= '0' &&
			    q[d] <= '9'; d++)
				;
			if (d > 0 && d + 1 < len && (q[d] == '.' ||
			    q[d] == ')') && (q[d + 1] == ' ' ||
			    q[d + 1] == '\t')) {
				q += d + 2;
				len -= d + 2;
				continue;
			}
			if (len > 3 && q[0] == '[' && strchr(" xX", q[1]) &&
			    q[1] != '\0' && q[2] == ']' && q[3] == ' ') {
				q += 4;
				len -= 4;
				continue;
			}
			break;
		}
		if (para == SIZE_MAX)
			para = text->len;
		budget = MATCH_BUDGET(len);
		inline_text(text, q, len, 0, &budget);
		buf_putc(text, ' ');
	}
	para_done(text, done, arg);
}

void
search_markdown(const char *md, size_t n, struct buf *heads, struct buf *text)
{
	md_text(md, n, heads, text, NULL, NULL);
}

/*
 * The excerpt of a result: s up to SEARCH_EXCERPT characters, spaces
 * and line ends made single spaces, cut at a space, with … if cut.
 */
static char *
excerpt(const char *s)
{
	struct buf b = BUF_INIT;
	size_t chars = 0, cut = 0;
	int space = 0;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			space = b.len > 0;
			continue;
		}
		if ((c & 0xC0) != 0x80) {
			if (chars + space >= SEARCH_EXCERPT) {
				if (cut > 0) {
					b.len = cut;
					b.data[cut] = '\0';
				}
				buf_puts(&b, "…");
				break;
			}
			if (space) {
				cut = b.len;
				buf_putc(&b, ' ');
				chars++;
				space = 0;
			}
			chars++;
		}
		buf_putc(&b, (char)c);
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_detach(&b);
}

/*
 * The index.
 */

/*
 * Where a word or stem was on the page read, in one byte: a title match,
 * a heading match, and how often in the text, up to 15 (all that weight()
 * tells apart).
 */
#define HIT_TITLE	0x80u
#define HIT_HEADING	0x40u
#define HIT_TEXT	0x0Fu

/* A stem as one thread saw it. */
struct ent {
	char		*stem;		/* in the thread's arena */
	size_t		 len;
	uint32_t	 gid;		/* its number in the index, +1 */
	uint32_t	 doc;		/* the last page it was in, +1 */
	unsigned	 hits;		/* in it: HIT_* */
};

#define ENT_MAX		(1u << 24)	/* a pair has 24 bits for it */

/*
 * Folded word -> ent number: the one lookup made for every word of every
 * page, so not hmap's, which hashes a byte at a time and compares with
 * strncmp (a third of the index's time with it). The slot counts the
 * word's hits on the page itself: a word then costs one read of memory,
 * and its stem is read once a page, not once a word.
 */
struct wslot {
	union {
		uint64_t	 k[2];	/* the word, if len <= 16 */
		const char	*key;	/* else it, in the arena */
	} u;
	uint32_t	 len;		/* 0: free */
	uint32_t	 ent;
	uint32_t	 doc;		/* the last page it was in, +1 */
	uint8_t		 hits;		/* in it: HIT_* */
};

struct wtab {
	struct wslot	*v;
	size_t		 cap;		/* a power of two */
	size_t		 len;
};

static uint64_t
whash(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, x;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&x, s, 8);
		h = (h ^ x) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	/* Not memcpy: its bytes, loaded again as one word, stall. */
	for (x = 0; n > 0; n--)
		x = x << 8 | (unsigned char)s[n - 1];
	h = (h ^ x) * 0xC4CEB9FE1A85EC53ULL;
	return h ^ h >> 29;
}

/* memcmp(a, b, n) == 0 for a word: inline, as a call costs more. */
static int
same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	for (; n > 0; a++, b++, n--)
		if (*a != *b)
			return 0;
	return 1;
}

/*
 * The slot of word w[0..n), whose first 16 bytes (NUL after the word)
 * are k: its own, or the free one for it. Most words are 16 bytes or
 * shorter and are compared in the slot, with no other memory read.
 */
static inline struct wslot *
wtab_find(const struct wtab *t, const char *w, size_t n, const uint64_t *k)
{
	uint64_t h;
	size_t i;

	if (n <= 16)
		h = (k[0] * 0xFF51AFD7ED558CCDULL) ^
		    (k[1] * 0xC4CEB9FE1A85EC53ULL);
	else
		h = whash(w, n);
	h ^= h >> 29;
	for (i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct wslot *e = &t->v[i];
		if (e->len == 0)
			return e;
		if (e->len != n)
			continue;
		if (n <= 16 ? e->u.k[0] == k[0] && e->u.k[1] == k[1] :
		    same_bytes(e->u.key, w, n))
			return e;
	}
}

static void
wtab_grow(struct wtab *t)
{
	struct wslot *old = t->v, *e;
	size_t i, cap = t->cap;

	t->cap = cap ? cap * 2 : 4096;
	t->v = xcalloc(t->cap, sizeof(*t->v));
	for (i = 0; i < cap; i++)
		if (old[i].len != 0) {
			e = wtab_find(t, old[i].len <= 16 ? NULL :
			    old[i].u.key, old[i].len, old[i].u.k);
			*e = old[i];
		}
	free(old);
}

/* What one thread of search_index owns. */
struct tstate {
	struct search_stemmer	*st;
	struct arena		 arena;
	struct wtab		 words;		/* word -> ent */
	struct hmap		 stems;		/* stem -> ent +1 */
	struct ent		*ents;
	size_t			 nents;
	size_t			 capents;
	uint32_t		*touched;	/* page's slots, then ents */
	size_t			 ntouched;
	size_t			 captouched;
	struct buf		 src, heads, text;
	struct buf		 ex;		/* first text, for excerpt */
	struct scan		 scan;
	uint32_t		 doc;		/* the page read, +1 */
	unsigned		 field;		/* HIT_* of the words read */
};

/* What one page gave. */
struct doc {
	int		 thread;
	uint32_t	*pairs;		/* ent number << 8 | weight */
	size_t		 npairs;
	const char	*title;		/* borrowed */
	const char	*url;
	const char	*section;
	char		*excerpt;
};

struct indexer {
	search_load_fn		*load;
	void			*arg;
	struct tstate		*t;
	int			 first;		/* thread w's is t[first+w] */
	struct doc		*docs;
};

/*
 * A page counted before search_index: its part of a doc, the thread
 * being the counting indexer's.
 */
struct search_counted {
	int		 thread;
	uint32_t	*pairs;
	size_t		 npairs;
	char		*excerpt;
};

/* What one counting thread counted, to free. */
struct counted_list {
	struct search_counted	**v;
	size_t			 len;
	size_t			 cap;
};

struct search_indexer {
	struct tstate		*t;		/* one a counting thread */
	struct counted_list	*counted;	/* the same */
	int			 jobs;
};

static void
tstate_free(struct tstate *t)
{
	search_stemmer_free(t->st);
	free(t->words.v);
	hmap_free(&t->stems);
	arena_free(&t->arena);
	free(t->ents);
	free(t->touched);
	buf_free(&t->src);
	buf_free(&t->heads);
	buf_free(&t->text);
	buf_free(&t->ex);
	scan_free(&t->scan);
}

/* The table grown, with the page's slots found again in it. */
static void
words_grow(struct tstate *t)
{
	size_t i;

	wtab_grow(&t->words);
	t->ntouched = 0;
	for (i = 0; i < t->words.cap; i++)
		if (t->words.v[i].len != 0 && t->words.v[i].doc == t->doc) {
			t->touched = xgrow(t->touched, &t->captouched,
			    t->ntouched + 1, sizeof(*t->touched));
			t->touched[t->ntouched++] = (uint32_t)i;
		}
}

/* Word w[0..n) of the page read, whose first 16 bytes (NULs after) are k. */
static void
count_word(void *arg, const char *w, size_t n, const uint64_t *k)
{
	struct tstate *t = arg;
	struct wslot *slot;
	uintptr_t v;
	const char *s;
	struct ent *e;
	size_t sl;
	unsigned fresh, h;

	if ((t->words.len + 1) * 4 > t->words.cap * 3)
		words_grow(t);
	slot = wtab_find(&t->words, w, n, k);
	if (slot->len == 0) {
		s = search_stem(t->st, w, n, &sl);
		v = (uintptr_t)hmap_getn(&t->stems, s, sl);
		if (v == 0) {
			if (t->nents >= ENT_MAX)
				return;
			t->ents = xgrow(t->ents, &t->capents, t->nents + 1,
			    sizeof(*t->ents));
			e = &t->ents[t->nents++];
			memset(e, 0, sizeof(*e));
			e->stem = arena_strndup(&t->arena, s, sl);
			e->len = sl;
			v = t->nents;
			hmap_put(&t->stems, e->stem, (void *)v);
		}
		if (n <= 16)
			memcpy(slot->u.k, k, sizeof(slot->u.k));
		else
			slot->u.key = arena_strndup(&t->arena, w, n);
		slot->len = (uint32_t)n;
		slot->ent = (uint32_t)(v - 1);
		t->words.len++;
	}
	/*
	 * Whether the page has had the word before is as likely as not: no
	 * branch on it, nor on the count.
	 */
	if (t->ntouched == t->captouched)
		t->touched = xgrow(t->touched, &t->captouched, t->ntouched + 1,
		    sizeof(*t->touched));
	fresh = slot->doc != t->doc;
	t->touched[t->ntouched] = (uint32_t)(slot - t->words.v);
	t->ntouched += fresh;
	slot->doc = t->doc;
	h = slot->hits & (fresh - 1);
	slot->hits = (uint8_t)((h | (t->field & ~HIT_TEXT)) +
	    (t->field == HIT_TEXT && (h & HIT_TEXT) != HIT_TEXT));
}

static void
on_word(void *arg, const char *w, size_t n)
{
	uint64_t k[2];

	/* search_words pads the word with NULs to 16 bytes. */
	memcpy(k, w, sizeof(k));
	count_word(arg, w, n, k);
}

/* Hits h added to those of a stem: text up to HIT_TEXT. */
static unsigned
add_hits(unsigned to, unsigned h)
{
	unsigned text = (to & HIT_TEXT) + (h & HIT_TEXT);

	return ((to | h) & ~HIT_TEXT) | (text < HIT_TEXT ? text : HIT_TEXT);
}

/*
 * A page's weight for a stem: any title match outranks any without one,
 * a heading (or the description, summary, tags) any text alone.
 */
static unsigned
weight(unsigned hits)
{
	unsigned w = (hits & HIT_TITLE ? 64 : 0) +
	    (hits & HIT_HEADING ? 16 : 0) + (hits & HIT_TEXT);

	return w ? w : 1;
}

/*
 * The page's words, in t->touched, to its stems there: several words may
 * have one stem.
 */
static void
page_stems(struct tstate *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->ntouched; i++) {
		const struct wslot *s = &t->words.v[t->touched[i]];
		struct ent *e = &t->ents[s->ent];
		if (e->doc != t->doc) {
			e->doc = t->doc;
			e->hits = 0;
			t->touched[n++] = s->ent;
		}
		e->hits = add_hits(e->hits, s->hits);
	}
	t->ntouched = n;
}

/* A paragraph of a page's text: its words, and the excerpt's start. */
static void
text_done(void *arg, struct buf *text)
{
	struct tstate *t = arg;

	if (t->ex.len < 4 * SEARCH_EXCERPT) {
		buf_put(&t->ex, text->data, text->len);
		buf_putc(&t->ex, ' ');
	}
	scan_fast(&t->scan, text->data, text->len, count_word, on_word, t);
}

/*
 * Page p, as page number doc (+1) of t: its postings (stem number << 8 |
 * weight) to *pairs, its excerpt returned.
 */
static char *
count_page(struct tstate *t, uint32_t doc, const struct search_page *p,
    uint32_t **pairs, size_t *npairs)
{
	size_t k;

	buf_reset(&t->heads);
	buf_reset(&t->text);
	buf_reset(&t->ex);
	t->doc = doc;
	t->ntouched = 0;
	t->field = HIT_TEXT;
	if (p->md != NULL)
		md_text(p->md, p->mdlen, &t->heads, &t->text, text_done, t);
	t->field = HIT_TITLE;
	if (p->title != NULL)
		scan_fast(&t->scan, p->title, strlen(p->title), count_word,
		    on_word, t);
	t->field = HIT_HEADING;
	if (p->about != NULL)
		scan_fast(&t->scan, p->about, strlen(p->about), count_word,
		    on_word, t);
	scan_fast(&t->scan, t->heads.data ? t->heads.data : "", t->heads.len,
	    count_word, on_word, t);
	page_stems(t);
	*npairs = t->ntouched;
	*pairs = xcalloc(t->ntouched ? t->ntouched : 1, sizeof(**pairs));
	for (k = 0; k < t->ntouched; k++)
		(*pairs)[k] = t->touched[k] << 8 |
		    weight(t->ents[t->touched[k]].hits);
	return excerpt(p->excerpt ? p->excerpt :
	    t->ex.data ? t->ex.data : "");
}

static void
index_page(void *arg, int worker, size_t i)
{
	struct indexer *ix = arg;
	struct tstate *t = &ix->t[ix->first + worker];
	struct doc *d = &ix->docs[i];
	struct search_page p;

	memset(&p, 0, sizeof(p));
	buf_reset(&t->src);
	if (ix->load(ix->arg, i, &p, &t->src) == -1) {
		p.md = NULL;
		p.mdlen = 0;
	}
	d->title = p.title ? p.title : "";
	d->url = p.url ? p.url : "";
	d->section = p.section;
	if (p.counted != NULL) {
		/* Counted already: its part taken over. */
		d->thread = p.counted->thread;
		d->pairs = p.counted->pairs;
		d->npairs = p.counted->npairs;
		d->excerpt = p.counted->excerpt;
		p.counted->pairs = NULL;
		p.counted->excerpt = NULL;
		return;
	}
	d->thread = ix->first + worker;
	d->excerpt = count_page(t, (uint32_t)i + 1, &p, &d->pairs,
	    &d->npairs);
}

struct search_indexer *
search_indexer_new(const char *lang, int jobs)
{
	struct search_indexer *ix = xcalloc(1, sizeof(*ix));
	int w;

	ix->jobs = jobs < 1 ? 1 : jobs;
	ix->t = xcalloc((size_t)ix->jobs, sizeof(*ix->t));
	ix->counted = xcalloc((size_t)ix->jobs, sizeof(*ix->counted));
	for (w = 0; w < ix->jobs; w++)
		ix->t[w].st = search_stemmer_new(lang);
	return ix;
}

struct search_counted *
search_indexer_count(struct search_indexer *ix, int worker,
    const struct search_page *p)
{
	struct tstate *t = &ix->t[worker];
	struct counted_list *l = &ix->counted[worker];
	struct search_counted *c = xcalloc(1, sizeof(*c));

	c->thread = worker;
	/* A number of its own: it only tells one page from the next. */
	c->excerpt = count_page(t, (uint32_t)l->len + 1, p, &c->pairs,
	    &c->npairs);
	l->v = xgrow(l->v, &l->cap, l->len + 1, sizeof(*l->v));
	l->v[l->len++] = c;
	return c;
}

void
search_indexer_free(struct search_indexer *ix)
{
	size_t i;
	int w;

	if (ix == NULL)
		return;
	for (w = 0; w < ix->jobs; w++) {
		struct counted_list *l = &ix->counted[w];
		for (i = 0; i < l->len; i++) {
			free(l->v[i]->pairs);
			free(l->v[i]->excerpt);
			free(l->v[i]);
		}
		free(l->v);
		/* Its tables, unless an index took them over. */
		if (ix->t != NULL)
			tstate_free(&ix->t[w]);
	}
	free(ix->t);
	free(ix->counted);
	free(ix);
}

/* Appends s as a JSON string. */
static void
json_str(struct buf *b, const char *s)
{
	const char *run;

	buf_putc(b, '"');
	for (run = s; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_put(b, run, (size_t)(s - run));
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else
			buf_printf(b, "\\u%04x", c);
		run = s + 1;
	}
	buf_put(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

static void
add_file(struct search_files *f, size_t *cap, char *name, struct buf *b)
{
	f->v = xgrow(f->v, cap, f->len + 1, sizeof(*f->v));
	f->v[f->len].name = name;
	f->v[f->len].len = b->len;
	if (b->data == NULL)
		buf_puts(b, "");
	f->v[f->len].data = buf_detach(b);
	f->len++;
}

/*
 * Keeps the max best of postings v[0..m) (page << 8 | weight, by page):
 * every one above the weight that the max-th best has, and of those with
 * that weight the first pages. They stay in page order. Returns max.
 * Linear, not a sort: a common word is on most pages of a large site.
 */
static size_t
keep_best(uint32_t *v, size_t m, size_t max)
{
	size_t count[256], above = 0, same, i, k;
	unsigned t;

	memset(count, 0, sizeof(count));
	for (i = 0; i < m; i++)
		count[v[i] & 0xFF]++;
	for (t = 255; t > 0 && above + count[t] < max; t--)
		above += count[t];
	same = max - above;
	for (i = k = 0; i < m; i++) {
		if ((v[i] & 0xFF) == t) {
			if (same == 0)
				continue;
			same--;
		} else if ((v[i] & 0xFF) < t)
			continue;
		v[k++] = v[i];
	}
	return k;
}

/*
 * Writes v in decimal at p, returning its end: the postings are most of
 * the index, and printf's machinery cost more than the rest of it.
 */
static char *
put_uint(char *p, unsigned v)
{
	char d[12];
	size_t i = sizeof(d);

	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	memcpy(p, d + i, sizeof(d) - i);
	return p + sizeof(d) - i;
}

/* The postings of every stem, merged from the threads' tables. */
struct postings {
	char		**stems;	/* by number; the threads' */
	size_t		 n;
	uint32_t	*order;		/* numbers, by stem */
	uint32_t	*off;		/* g's: post[off[g]..off[g+1]) */
	uint32_t	*count;		/* how many of them are kept */
	uint32_t	*post;		/* page << 8 | weight, by page */
};

struct stem_ref {
	const char	*stem;
	uint32_t	 g;		/* its number */
};

static int
by_stem(const void *a, const void *b)
{
	return strcmp(((const struct stem_ref *)a)->stem,
	    ((const struct stem_ref *)b)->stem);
}

/*
 * Numbers the stems of every thread in the order of the pages, so that
 * each stem's postings come out sorted by page, and sorts them.
 */
static void
merge(struct indexer *ix, size_t n, struct postings *ps)
{
	struct hmap gmap = HMAP_INIT;
	struct stem_ref *refs;
	size_t i, k, g, total = 0, capn = 0, capc = 0;

	memset(ps, 0, sizeof(*ps));
	for (i = 0; i < n; i++) {
		struct doc *d = &ix->docs[i];
		struct tstate *t = &ix->t[d->thread];
		for (k = 0; k < d->npairs; k++) {
			struct ent *e = &t->ents[d->pairs[k] >> 8];
			if (e->gid == 0) {
				uintptr_t v = (uintptr_t)hmap_getn(&gmap,
				    e->stem, e->len);
				if (v == 0) {
					ps->stems = xgrow(ps->stems, &capn,
					    ps->n + 1, sizeof(*ps->stems));
					ps->stems[ps->n++] = e->stem;
					v = ps->n;
					hmap_put(&gmap, e->stem, (void *)v);
					ps->count = xgrow(ps->count, &capc,
					    ps->n, sizeof(*ps->count));
					ps->count[ps->n - 1] = 0;
				}
				e->gid = (uint32_t)v;
			}
			ps->count[e->gid - 1]++;
			total++;
		}
	}
	hmap_free(&gmap);
	if (ps->count == NULL)
		ps->count = xcalloc(1, sizeof(*ps->count));
	ps->off = xcalloc(ps->n + 1, sizeof(*ps->off));
	for (g = 0; g < ps->n; g++)
		ps->off[g + 1] = ps->off[g] + ps->count[g];
	ps->post = xcalloc(total ? total : 1, sizeof(*ps->post));
	memset(ps->count, 0, ps->n * sizeof(*ps->count));
	for (i = 0; i < n; i++) {
		struct doc *d = &ix->docs[i];
		struct tstate *t = &ix->t[d->thread];
		for (k = 0; k < d->npairs; k++) {
			g = t->ents[d->pairs[k] >> 8].gid - 1;
			ps->post[ps->off[g] + ps->count[g]++] =
			    (uint32_t)i << 8 | (d->pairs[k] & 0xFF);
		}
	}
	refs = xcalloc(ps->n ? ps->n : 1, sizeof(*refs));
	for (g = 0; g < ps->n; g++) {
		refs[g].stem = ps->stems[g];
		refs[g].g = (uint32_t)g;
	}
	qsort(refs, ps->n, sizeof(*refs), by_stem);
	ps->order = xcalloc(ps->n ? ps->n : 1, sizeof(*ps->order));
	for (g = 0; g < ps->n; g++)
		ps->order[g] = refs[g].g;
	free(refs);
}

static void
postings_free(struct postings *ps)
{
	free(ps->stems);
	free(ps->order);
	free(ps->off);
	free(ps->count);
	free(ps->post);
}

#define BLOCK		256	/* stems one thread writes at a time */

/* The JSON entries of a block of stems, one after another. */
struct entries {
	struct buf	 b;
	size_t		 end[BLOCK];	/* where each ends in b */
};

struct emit {
	struct postings	*ps;
	struct entries	*blocks;
	const struct doc *docs;
	size_t		 ndocs;
	struct buf	*chunks;
};

/* Block j of the stems in order: "STEM":[P,W,...] for each. */
static void
emit_block(void *arg, int worker, size_t j)
{
	struct emit *em = arg;
	struct postings *ps = em->ps;
	struct entries *e = &em->blocks[j];
	size_t k, i, m;

	for (k = j * BLOCK; k < ps->n && k < (j + 1) * BLOCK; k++) {
		uint32_t g = ps->order[k], *v = ps->post + ps->off[g], prev = 0;
		char *p;
		m = ps->count[g];
		if (m > SEARCH_POSTINGS_MAX)
			m = keep_best(v, m, SEARCH_POSTINGS_MAX);
		buf_putc(&e->b, '"');
		buf_puts(&e->b, ps->stems[g]);
		buf_puts(&e->b, "\":[");
		/* A posting is at most 10 + 1 + 3 digits and two commas. */
		buf_grow(&e->b, m * 16 + 1);
		p = e->b.data + e->b.len;
		for (i = 0; i < m; i++) {
			if (i > 0)
				*p++ = ',';
			p = put_uint(p, (v[i] >> 8) - prev);
			*p++ = ',';
			p = put_uint(p, v[i] & 0xFF);
			prev = v[i] >> 8;
		}
		*p++ = ']';
		*p = '\0';
		e->b.len = (size_t)(p - e->b.data);
		e->end[k - j * BLOCK] = e->b.len;
	}
}

/* Chunk j of the page list: [[TITLE,URL,SECTION,EXCERPT],...]. */
static void
emit_chunk(void *arg, int worker, size_t j)
{
	struct emit *em = arg;
	struct buf *b = &em->chunks[j];
	size_t i;

	buf_putc(b, '[');
	for (i = j * SEARCH_CHUNK; i < em->ndocs && i < (j + 1) * SEARCH_CHUNK;
	    i++) {
		const struct doc *d = &em->docs[i];
		buf_puts(b, i > j * SEARCH_CHUNK ? ",\n[" : "[");
		json_str(b, d->title);
		buf_putc(b, ',');
		json_str(b, d->url);
		buf_putc(b, ',');
		json_str(b, d->section ? d->section : "");
		buf_putc(b, ',');
		json_str(b, d->excerpt);
		buf_putc(b, ']');
	}
	buf_puts(b, "]\n");
}

/* Both of the above: blocks first, then chunks. */
static void
emit_item(void *arg, int worker, size_t i)
{
	struct emit *em = arg;
	size_t nblocks = (em->ps->n + BLOCK - 1) / BLOCK;

	if (i < nblocks)
		emit_block(arg, worker, i);
	else
		emit_chunk(arg, worker, i - nblocks);
}

/* h with s[0..n) mixed in, eight bytes at a time. */
static uint64_t
hash_data(uint64_t h, const char *s, size_t n)
{
	uint64_t x;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&x, s, 8);
		h = (h ^ x) * 0xFF51AFD7ED558CCDULL;
		h ^= h >> 32;
	}
	return h ^ whash(s, n);
}

/*
 * The format, version 1: every file JSON, in one folder.
 *
 * index.json, the manifest: {"version":1, "hash":H, "stemmer":"finnish"
 * or "none", "pages":N, "chunk":C, "shards":[[FIRST,BYTES],...]}. H, 16
 * hex digits, changes with any file of the index; the script asks for
 * the others with ?v=H, so that no browser mixes an old file with a new
 * manifest. Shard i holds the stems from its FIRST up to the next
 * shard's FIRST (stems compare as bytes, as UTF-16 in the script); BYTES
 * is its size, for the script's budget.
 *
 * tI.json, shard I: {"STEM":[P,W,P,W,...],...}, the stems in order; P
 * the page number, as the difference to the one before it in the list
 * (the first as it is), W the weight (weight() above). At most
 * SEARCH_POSTINGS_MAX pages a stem, those of the highest weight.
 *
 * pJ.json, chunk J of the pages: [[TITLE,URL,SECTION,EXCERPT],...] for
 * pages J*C up to J*C+C-1; SECTION may be "".
 */
void
search_index(size_t n, search_load_fn *load, void *arg, const char *lang,
    int jobs, struct search_indexer *early, struct search_files *out)
{
	struct indexer ix;
	struct postings ps;
	struct emit em;
	struct buf b = BUF_INIT, *shard = NULL;
	size_t i, j, k, nblocks, nchunks, capf = 0, capfirst = 0, start;
	uint64_t hash;
	int w, nt;

	memset(out, 0, sizeof(*out));
	if (jobs < 1)
		jobs = 1;
	ix.load = load;
	ix.arg = arg;
	/* The counting threads' tables first, then the pool's. */
	ix.first = early != NULL ? early->jobs : 0;
	nt = ix.first + jobs;
	ix.t = xcalloc((size_t)nt, sizeof(*ix.t));
	if (early != NULL) {
		memcpy(ix.t, early->t, (size_t)early->jobs * sizeof(*ix.t));
		free(early->t);
		early->t = NULL;
	}
	ix.docs = xcalloc(n ? n : 1, sizeof(*ix.docs));
	for (w = ix.first; w < nt; w++)
		ix.t[w].st = search_stemmer_new(lang);
	pool_run(jobs, n, index_page, &ix);
	merge(&ix, n, &ps);

	/* The JSON, on the threads; then cut into shards in order. */
	nblocks = (ps.n + BLOCK - 1) / BLOCK;
	nchunks = (n + SEARCH_CHUNK - 1) / SEARCH_CHUNK;
	em.ps = &ps;
	em.blocks = xcalloc(nblocks ? nblocks : 1, sizeof(*em.blocks));
	em.docs = ix.docs;
	em.ndocs = n;
	em.chunks = xcalloc(nchunks ? nchunks : 1, sizeof(*em.chunks));
	pool_run(jobs, nblocks + nchunks, emit_item, &em);
	add_file(out, &capf, xstrdup("index.json"), &b);
	for (j = 0; j < nblocks; j++) {
		struct entries *e = &em.blocks[j];
		for (k = 0, start = 0; k < BLOCK && j * BLOCK + k < ps.n; k++) {
			size_t len = e->end[k] - start;
			if (shard == NULL || shard->len + len + 3 >
			    SEARCH_SHARD_BYTES) {
				if (shard != NULL) {
					buf_puts(shard, "}\n");
					add_file(out, &capf, xasprintf(
					    "t%zu.json", out->nshards - 1),
					    shard);
				}
				out->firsts = xgrow(out->firsts, &capfirst,
				    out->nshards + 1, sizeof(*out->firsts));
				out->firsts[out->nshards++] = xstrdup(
				    ps.stems[ps.order[j * BLOCK + k]]);
				shard = &b;
				buf_putc(shard, '{');
			} else
				buf_putc(shard, ',');
			buf_put(shard, e->b.data + start, len);
			start = e->end[k];
		}
		buf_free(&e->b);
	}
	if (shard != NULL) {
		buf_puts(shard, "}\n");
		add_file(out, &capf, xasprintf("t%zu.json", out->nshards - 1),
		    shard);
	}
	for (j = 0; j < nchunks; j++)
		add_file(out, &capf, xasprintf("p%zu.json", j), &em.chunks[j]);

	/* The manifest, last: now H is known. */
	hash = whash("valo-search-1", 13);
	for (k = 1; k < out->len; k++) {
		hash = hash_data(hash, out->v[k].name, strlen(out->v[k].name));
		hash = hash_data(hash, out->v[k].data, out->v[k].len);
	}
	buf_printf(&b, "{\"version\":1,\"hash\":\"%016llx\",\"stemmer\":\"%s\","
	    "\"pages\":%zu,\"chunk\":%d,\"shards\":[",
	    (unsigned long long)hash, search_stemmer_name(ix.t[ix.first].st), n,
	    SEARCH_CHUNK);
	for (k = 0; k < out->nshards; k++)
		buf_printf(&b, "%s[\"%s\",%zu]", k ? ",\n" : "\n",
		    out->firsts[k], out->v[k + 1].len);
	buf_puts(&b, "]}\n");
	free(out->v[0].data);
	out->v[0].len = b.len;
	out->v[0].data = buf_detach(&b);

	postings_free(&ps);
	for (i = 0; i < n; i++) {
		free(ix.docs[i].pairs);
		free(ix.docs[i].excerpt);
	}
	for (w = 0; w < nt; w++)
		tstate_free(&ix.t[w]);
	free(em.blocks);
	free(em.chunks);
	free(ix.t);
	free(ix.docs);
	buf_free(&b);
}

void
search_files_free(struct search_files *f)
{
	size_t i;

	for (i = 0; i < f->len; i++) {
		free(f->v[i].name);
		free(f->v[i].data);
	}
	for (i = 0; i < f->nshards; i++)
		free(f->firsts[i]);
	free(f->v);
	free(f->firsts);
	memset(f, 0, sizeof(*f));
}

size_t
search_shard_of(char *const *firsts, size_t nshards, const char *word)
{
	size_t lo = 0, hi = nshards, mid;

	/* The first shard whose first is greater, less one. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(firsts[mid], word) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 ? lo - 1 : 0;
}
