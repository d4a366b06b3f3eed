#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <libvoikko/voikko.h>

#include "markdown.h"
#include "plain.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/mem.h"

/*
 * Stands in the prose for what is read as one word but is no Finnish
 * word: inline code, or a link whose text is its address.
 */
#define OPAQUE	'\x01'

#define SHY	0xAD	/* soft hyphen: inside a word, not a letter */

/* Where a byte of a block's prose came from. */
struct mark {
	size_t		 off;	/* in the prose */
	unsigned	 line;	/* in the body, 1-based */
	unsigned	 col;	/* 1-based byte column; 0 if not known */
};

/* A word of a block's prose. */
struct word {
	size_t		 start;
	size_t		 end;
	unsigned	 flags;	/* T_* */
};

enum {
	T_LETTER	= 1 << 0,	/* has a letter */
	T_NUMBER	= 1 << 1,	/* digits, perhaps with . , : inside */
	T_UPPER		= 1 << 2,	/* starts with a capital */
	T_LOWER		= 1 << 3,	/* starts with a small letter */
	T_OPAQUE	= 1 << 4,
	T_END		= 1 << 5,	/* ends a sentence */
};

/*
 * What voikko says a word can be, as far as the passive share goes;
 * memoised for each spelling.
 */
enum {
	V_FINITE	= 1 << 0,	/* personal, not only connegative */
	V_PASSIVE	= 1 << 1,	/* ...of person 4: "tehdään" */
	V_NEGATION	= 1 << 2,	/* "ei", "emme", "eikä" */
	V_CONNEG	= 1 << 3,	/* can follow "ei": "tee", "tehdä" */
	V_CONNEG_PASSIVE = 1 << 4,	/* ...in the passive: "tehdä" */
	V_OLLA		= 1 << 5,	/* a personal form of "olla" */
	V_PARTICIPLE	= 1 << 6,	/* "tehty": with "on", a passive */
};

/* A spelling in the memo, and what voikko says it can be. */
struct memo_slot {
	const char	*key;	/* in p->arena, not NUL-ended; NULL: free */
	size_t		 len;
	uint64_t	 hash;
	unsigned	 flags;	/* V_* */
};

/* The verbs of one sentence, in the order they come. */
struct chain {
	size_t	 verbs;
	size_t	 passive;
	int	 neg;	/* words since a negation verb waiting for its verb */
	int	 olla;	/* words since an active "olla"; -1 if none */
};

/* A paragraph or a whole list, whose passive share is judged at once. */
struct unit {
	unsigned	 line;	/* in the body */
	unsigned	 col;
	int		 list;
	size_t		 sentences;
	size_t		 verbs;
	size_t		 passive;
};

struct plain {
	struct VoikkoHandle	*v;
	struct plain_limits	 lim;
	struct hmap		 glossary;	/* lower case term -> itself */
	struct memo_slot	*memo;		/* open addressing */
	size_t			 nmemo;
	size_t			 capmemo;	/* a power of two, or 0 */
	struct arena		 arena;		/* keys of both */
	struct buf		 tmp;		/* a word, NUL-ended */
	struct buf		 low;		/* the same in lower case */

	/* The page being checked. */
	const char		*file;
	const char		*body;
	size_t			 len;
	unsigned		 first_line;
	struct diags		*d;
	struct plain_stats	*st;
	size_t			*lines;		/* offset of each body line */
	size_t			 nlines;
	size_t			 caplines;
	struct hmap		 said;		/* long words warned about */
	struct arena		 page;		/* said's keys, cmark's tree */

	/* The block being checked: its prose, words and their places. */
	struct buf		 text;
	struct mark		*marks;
	size_t			 nmarks;
	size_t			 capmarks;
	struct word		*words;
	size_t			 nwords;
	size_t			 capwords;
	unsigned		 line;		/* of the inline being read */
};

/*
 * Abbreviations of Finnish official text, which end in a full stop that
 * does not end the sentence. Single letters ("n.", "s.", "t.", initials)
 * are known without a list. Small ASCII letters only: see abbrev().
 */
static const char *const abbrevs[] = {
	"ao", "ed", "eli", "em", "esim", "jne", "klo", "ko", "kpl", "ks",
	"milj", "ml", "mm", "mrd", "nro", "ns", "os", "prof", "puh", "so",
	"tms", "tri", "ts", "vrt", "vs", "yht", "ym", "yms",
};

/* ...of which these may also end one, when a capital follows. */
static const char *const closing_abbrevs[] = { "jne", "tms", "yms" };

static const char *const extensions[] = {
	"table", "strikethrough", "autolink", "tasklist"
};

/* decode() beyond ASCII. */
static size_t
decode_multi(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	uint32_t c;

	if (s[0] >= 0xC2 && s[0] < 0xE0) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] < 0xF0) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] < 0xF5) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len > n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

/*
 * Decodes the character at s (n > 0 bytes left) into *cp; returns its
 * length. A byte that does not start valid UTF-8 is U+FFFD of length 1.
 * Most of the prose is ASCII: that case is kept small enough to inline.
 */
static inline size_t
decode(const char *s, size_t n, uint32_t *cp)
{
	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	return decode_multi(s, n, cp);
}

static void
encode(struct buf *b, uint32_t cp)
{
	char s[4];

	if (cp < 0x80) {
		buf_putc(b, (int)cp);
		return;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xC0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | cp >> 12);
		s[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, s, 3);
	} else {
		s[0] = (char)(0xF0 | cp >> 18);
		s[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		s[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		buf_put(b, s, 4);
	}
}

/* word_char() beyond ASCII. */
static int
word_char_multi(uint32_t cp)
{
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB2 || cp == 0xB3 ||
		    cp == 0xB5 || cp == 0xB9 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if (cp < 0x2000)
		return 1;
	if (cp < 0x2C00 || (cp >= 0x3000 && cp < 0x3040) ||
	    (cp >= 0xFE00 && cp < 0xFF00) || cp == 0xFFFD)
		return 0;
	return 1;
}

/*
 * Whether cp is part of a word: a letter or digit of any script. Most of
 * Latin-1's signs, and the punctuation, symbols and spaces from U+2000
 * on (dashes, quotes, the ellipsis, the euro), are not. Asked of every
 * character: ASCII is kept small enough to inline.
 */
static inline int
word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' &&
		    (cp | 0x20) <= 'z');
	return word_char_multi(cp);
}

static int
hyphen(uint32_t cp)
{
	return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

static int
digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

/* The small letter of a Latin capital, or cp itself. */
static uint32_t
lower_cp(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 0x20;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return cp & 1 ? cp + 1 : cp;
	if (cp == 0x178)
		return 0xFF;
	return cp;
}

/* Puts s[0..n) in lower case into b, which it empties first. */
static void
lower(struct buf *b, const char *s, size_t n)
{
	uint32_t cp;
	size_t i, k;

	buf_reset(b);
	for (i = 0; i < n; i += k) {
		k = decode(s + i, n - i, &cp);
		if (cp == 0xFFFD && k == 1)
			buf_putc(b, s[i]);
		else
			encode(b, lower_cp(cp));
	}
	buf_putc(b, '\0');
	b->len--;
}

/*
 * The value of key in analysis a, copied into buf of sz bytes (cut off
 * there); "" where a has none.
 */
static const char *
value(struct voikko_mor_analysis *a, const char *key, char *buf, size_t sz)
{
	char *v = voikko_mor_analysis_value_cstr(a, key);

	buf[0] = '\0';
	if (v != NULL) {
		strncpy(buf, v, sz - 1);
		buf[sz - 1] = '\0';
		voikko_free_mor_analysis_value_cstr(v);
	}
	return buf;
}

static int
finite_mood(const char *mood)
{
	return strcmp(mood, "indicative") == 0 ||
	    strcmp(mood, "conditional") == 0 ||
	    strcmp(mood, "imperative") == 0 ||
	    strcmp(mood, "potential") == 0;
}

/*
 * The V_* flags of one analysis of a verb. voikko's NEGATIVE is "false"
 * for a form used without "ei", "true" for a connegative, "both" for one
 * spelt alike in both uses ("saa", "ole").
 */
static unsigned
verb_flags(struct voikko_mor_analysis *a, int *weak)
{
	char person[8], mood[32], neg[8], number[16], base[16];
	unsigned f = 0;

	value(a, "PERSON", person, sizeof(person));
	value(a, "MOOD", mood, sizeof(mood));
	if (person[0] == '\0' || !finite_mood(mood))
		return 0;
	value(a, "NEGATIVE", neg, sizeof(neg));
	value(a, "NUMBER", number, sizeof(number));
	if (strcmp(value(a, "BASEFORM", base, sizeof(base)), "olla") == 0)
		f |= V_OLLA;
	if (strcmp(neg, "true") != 0) {
		/*
		 * A singular imperative is spelt like many nouns' partitive
		 * ("halua", "alusta"): such a form alone makes a verb only
		 * where the word has no other reading.
		 */
		if (strcmp(mood, "imperative") == 0 &&
		    strcmp(person, "2") == 0 && strcmp(number, "singular") == 0)
			*weak = 1;
		else
			f |= V_FINITE;
		if (strcmp(person, "4") == 0)
			f |= V_PASSIVE;
	}
	if (strcmp(neg, "false") != 0) {
		f |= V_CONNEG;
		if (strcmp(person, "4") == 0)
			f |= V_CONNEG_PASSIVE;
	}
	return f;
}

/* What word w (NUL-ended) can be, from all of voikko's analyses of it. */
static unsigned
classify(struct plain *p, const char *w)
{
	struct voikko_mor_analysis **v;
	char cls[32], part[32], number[16], sija[16];
	unsigned f = 0;
	int weak = 0, other = 0;
	size_t i;

	if ((v = voikkoAnalyzeWordCstr(p->v, w)) == NULL)
		return f;
	for (i = 0; v[i] != NULL; i++) {
		value(v[i], "CLASS", cls, sizeof(cls));
		if (strcmp(cls, "kieltosana") == 0) {
			f |= V_NEGATION;
			continue;
		}
		if (strcmp(cls, "teonsana") == 0) {
			f |= verb_flags(v[i], &weak);
			continue;
		}
		other = 1;
		value(v[i], "PARTICIPLE", part, sizeof(part));
		value(v[i], "NUMBER", number, sizeof(number));
		value(v[i], "SIJAMUOTO", sija, sizeof(sija));
		if (strcmp(part, "past_passive") == 0 &&
		    strcmp(number, "singular") == 0 &&
		    strcmp(sija, "nimento") == 0)
			f |= V_PARTICIPLE;
	}
	voikko_free_mor_analysis(v);
	if (weak && !other)
		f |= V_FINITE;
	if (!(f & V_FINITE))
		f &= ~(unsigned)V_PASSIVE;
	return f;
}

/*
 * The hash of a spelling in the memo, from eight bytes at a time, each
 * step mixed so that every byte reaches the low bits that pick a slot.
 * A shorter word is read as two overlapping halves, or three bytes of
 * it (the length is hashed too): no loop over its bytes. Every word of
 * the prose is looked up, and hmap's FNV-1a, a byte at a time, and its
 * strncmp took a seventh of the time of a check.
 */
static uint64_t
memo_hash(const char *s, size_t n)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = n, w;
	uint32_t a, b;

	for (; n > 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	if (n == 8)
		memcpy(&w, s, 8);
	else if (n >= 4) {
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (n > 0)
		w = (uint64_t)(unsigned char)s[0] << 16 |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (unsigned char)s[n - 1];
	else
		w = 0;
	h = (h ^ w) * k;
	return h ^ h >> 32;
}

/* The slot of s[0..n), whose hash is h, in m; or the free one for it. */
static struct memo_slot *
memo_find(struct memo_slot *m, size_t cap, const char *s, size_t n,
    uint64_t h)
{
	size_t i;

	for (i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1))
		if (m[i].key == NULL || (m[i].hash == h && m[i].len == n &&
		    memcmp(m[i].key, s, n) == 0))
			return &m[i];
}

/* Makes room in the memo for one more spelling. */
static void
memo_reserve(struct plain *p)
{
	struct memo_slot *old = p->memo;
	size_t oldcap = p->capmemo, i;

	if ((p->nmemo + 1) * 4 <= p->capmemo * 3)
		return;
	p->capmemo = oldcap ? xmul(oldcap, 2) : 1024;
	p->memo = xcalloc(p->capmemo, sizeof(*p->memo));
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL)
			*memo_find(p->memo, p->capmemo, old[i].key,
			    old[i].len, old[i].hash) = old[i];
	free(old);
}

/* The V_* flags of the word s[0..n), asking voikko once per spelling. */
static unsigned
word_flags(struct plain *p, const char *s, size_t n)
{
	struct memo_slot *m;
	uint64_t h = memo_hash(s, n);

	memo_reserve(p);
	m = memo_find(p->memo, p->capmemo, s, n, h);
	if (m->key != NULL)
		return m->flags;
	buf_reset(&p->tmp);
	buf_put(&p->tmp, s, n);
	m->flags = classify(p, p->tmp.data);
	m->key = arena_strndup(&p->arena, s, n);
	m->len = n;
	m->hash = h;
	p->nmemo++;
	return m->flags;
}

/* Calls fn with each base form voikko gives word w (NUL-ended). */
static int
any_base(struct plain *p, const char *w,
    int (*fn)(struct plain *, const char *, void *), void *arg)
{
	struct voikko_mor_analysis **v;
	char *base;
	size_t i;
	int found = 0;

	if ((v = voikkoAnalyzeWordCstr(p->v, w)) == NULL)
		return 0;
	for (i = 0; v[i] != NULL && !found; i++) {
		base = voikko_mor_analysis_value_cstr(v[i], "BASEFORM");
		if (base != NULL) {
			found = fn(p, base, arg);
			voikko_free_mor_analysis_value_cstr(base);
		}
	}
	voikko_free_mor_analysis(v);
	return found;
}

static int
glossary_has(struct plain *p, const char *s, void *arg)
{
	lower(&p->low, s, strlen(s));
	return hmap_getn(&p->glossary, p->low.data, p->low.len) != NULL;
}

static int
glossary_add(struct plain *p, const char *s, void *arg)
{
	lower(&p->low, s, strlen(s));
	if (p->low.len > 0 && hmap_getn(&p->glossary, p->low.data,
	    p->low.len) == NULL) {
		char *k = arena_strndup(&p->arena, p->low.data, p->low.len);
		hmap_put(&p->glossary, k, k);
	}
	return 0;
}

/*
 * Adds a glossary term: as written, each of its words, and the base
 * forms voikko gives them, so that a term written inflected still counts.
 */
static void
add_term(struct plain *p, const char *term)
{
	const char *s = term, *e;
	char *w;
	size_t n;

	glossary_add(p, term, NULL);
	while (*s) {
		while (*s == ' ' || *s == '-')
			s++;
		for (e = s; *e && *e != ' '; e++)
			;
		/* "hyvinvointikertomus ja -suunnitelma" */
		for (n = (size_t)(e - s); n > 0 && s[n - 1] == '-'; n--)
			;
		if (n > 0) {
			w = xstrndup(s, n);
			glossary_add(p, w, NULL);
			any_base(p, w, glossary_add, NULL);
			free(w);
		}
		s = e;
	}
}

struct plain *
plain_new(const struct plain_limits *lim, const char *const *glossary,
    size_t nglossary, const char **why)
{
	struct plain *p;
	struct VoikkoHandle *v;
	const char *err = NULL;
	size_t i;

	*why = NULL;
	if ((v = voikkoInit(&err, "fi", NULL)) == NULL) {
		*why = err ? err : "no Finnish dictionary";
		return NULL;
	}
	cmark_gfm_core_extensions_ensure_registered();
	p = xcalloc(1, sizeof(*p));
	p->v = v;
	p->lim = *lim;
	if (p->lim.sentence_words < 0)
		p->lim.sentence_words = 0;
	if (p->lim.word_length < 0)
		p->lim.word_length = 0;
	if (p->lim.passive_share < 0 || p->lim.passive_share >= 100)
		p->lim.passive_share = 0;
	for (i = 0; i < nglossary; i++)
		if (glossary[i] != NULL)
			add_term(p, glossary[i]);
	return p;
}

void
plain_free(struct plain *p)
{
	if (p == NULL)
		return;
	voikkoTerminate(p->v);
	hmap_free(&p->glossary);
	free(p->memo);
	hmap_free(&p->said);
	arena_free(&p->arena);
	arena_free(&p->page);
	buf_free(&p->tmp);
	buf_free(&p->low);
	buf_free(&p->text);
	free(p->lines);
	free(p->marks);
	free(p->words);
	free(p);
}

/* Notes that the prose from here on comes from line, column col. */
static void
mark(struct plain *p, unsigned line, unsigned col)
{
	if (p->nmarks == p->capmarks)
		p->marks = xgrow(p->marks, &p->capmarks, p->nmarks + 1,
		    sizeof(*p->marks));
	p->marks[p->nmarks].off = p->text.len;
	p->marks[p->nmarks].line = line;
	p->marks[p->nmarks].col = col;
	p->nmarks++;
}

static void
mark_node(struct plain *p, cmark_node *n)
{
	int line = cmark_node_get_start_line(n);

	if (line > 0) {
		p->line = (unsigned)line;
		mark(p, p->line, (unsigned)cmark_node_get_start_column(n));
	} else
		mark(p, p->line, 0);
}

/* A link whose text is its address, as autolinks are. */
static int
bare_link(cmark_node *n)
{
	cmark_node *c = cmark_node_first_child(n);
	const char *url = cmark_node_get_url(n), *lit;

	if (c == NULL || cmark_node_next(c) != NULL ||
	    cmark_node_get_type(c) != CMARK_NODE_TEXT || url == NULL ||
	    (lit = cmark_node_get_literal(c)) == NULL)
		return 0;
	if (strncmp(url, "mailto:", 7) == 0)
		url += 7;
	else if (strncmp(url, "http://", 7) == 0 && strncmp(lit, "http", 4))
		url += 7;
	return strcmp(url, lit) == 0;
}

/* Puts the prose of the inlines under n into p->text. */
static void
collect(struct plain *p, cmark_node *n)
{
	cmark_node *c;
	const char *lit;

	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			mark_node(p, c);
			if ((lit = cmark_node_get_literal(c)) != NULL)
				buf_puts(&p->text, lit);
			break;
		case CMARK_NODE_CODE:
			mark_node(p, c);
			buf_putc(&p->text, OPAQUE);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(&p->text, ' ');
			mark(p, ++p->line, 0);
			break;
		case CMARK_NODE_LINK:
			if (bare_link(c)) {
				mark_node(p, cmark_node_first_child(c));
				buf_putc(&p->text, OPAQUE);
			} else
				collect(p, c);
			break;
		case CMARK_NODE_IMAGE:
		case CMARK_NODE_HTML_INLINE:
			/* An image's text is checked as such elsewhere. */
			buf_putc(&p->text, ' ');
			break;
		default:
			collect(p, c);
			break;
		}
	}
}

static void
add_word(struct plain *p, size_t start, size_t end, unsigned flags)
{
	if (p->nwords == p->capwords)
		p->words = xgrow(p->words, &p->capwords, p->nwords + 1,
		    sizeof(*p->words));
	p->words[p->nwords].start = start;
	p->words[p->nwords].end = end;
	p->words[p->nwords].flags = flags;
	p->nwords++;
}

/* The character at i of t[0..n), or 0 at the end. */
static uint32_t
cp_at(const char *t, size_t n, size_t i)
{
	uint32_t cp;

	if (i >= n)
		return 0;
	decode(t + i, n - i, &cp);
	return cp;
}

/*
 * Whether cp, no word character, between prev and next, continues a
 * word: a soft hyphen, a hyphen before a letter ("asia-asiakirja"), a
 * stop, comma or colon between digits ("1.1.2026", "3,5", "12.30"), a
 * colon before a case ending ("EU:n"), an apostrophe between letters.
 */
static int
joins(uint32_t prev, uint32_t cp, uint32_t next)
{
	if (cp == SHY)
		return 1;
	if (hyphen(cp))
		return word_char(next);
	if ((cp == '.' || cp == ',' || cp == ':') && digit(prev) &&
	    digit(next))
		return 1;
	if (cp == ':' && word_char(prev) && word_char(next) && !digit(next))
		return 1;
	if ((cp == '\'' || cp == 0x2019) && word_char(prev) &&
	    word_char(next) && !digit(prev) && !digit(next))
		return 1;
	return 0;
}

/* Whether the ASCII byte c is a letter or digit; see word_char(). */
static int
ascii_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' &&
	    (c | 0x20) <= 'z');
}

/* Whether the ASCII byte c may be inside a word though no letter. */
static int
ascii_joiner(unsigned char c)
{
	return c == '-' || c == '.' || c == ',' || c == ':' || c == '\'';
}

/*
 * Splits p->text into words. A hyphen starts a word before a letter
 * ("-suunnitelma") and ends one after it ("sosiaali-"). This runs over
 * every byte of the prose, so inside a word ASCII is read without
 * decoding: a letter or digit goes on, any other byte but a few signs
 * (a space, OPAQUE) ends it. Other characters are decoded, and the one
 * after them only where they may join two parts of a word.
 */
static void
tokenize(struct plain *p)
{
	const char *t = p->text.data;
	size_t n = p->text.len, i = 0, start, k;
	uint32_t cp, prev, first;
	unsigned char c;
	unsigned f;

	p->nwords = 0;
	while (i < n) {
		if (t[i] == OPAQUE) {
			add_word(p, i, i + 1, T_OPAQUE);
			i++;
			continue;
		}
		k = decode(t + i, n - i, &cp);
		/* A word starts at a letter or digit, or a hyphen before one */
		first = hyphen(cp) ? cp_at(t, n, i + k) : cp;
		if (!word_char(first)) {
			i += k;
			continue;
		}
		start = i;
		prev = 0;
		/* The first letter is the word's T_UPPER or T_LOWER. */
		f = digit(first) ? 0 : lower_cp(first) != first ? T_UPPER :
		    T_LOWER;
		while (i < n) {
			c = (unsigned char)t[i];
			if (ascii_word(c)) {
				f |= digit(c) ? T_NUMBER : T_LETTER;
				prev = c;
				i++;
				continue;
			}
			if (c < 0x80 && !ascii_joiner(c))
				break;
			k = decode(t + i, n - i, &cp);
			if (word_char(cp))
				f |= digit(cp) ? T_NUMBER : T_LETTER;
			else if (!joins(prev, cp, cp_at(t, n, i + k)) &&
			    !(i == start && hyphen(cp))) {
				/* "sosiaali-" keeps its hyphen */
				if (hyphen(cp) && word_char(prev))
					i += k;
				break;
			}
			prev = cp;
			i += k;
		}
		add_word(p, start, i,
		    f & T_LETTER ? f & ~(unsigned)T_NUMBER : f);
	}
}

static int
space_at(const char *t, size_t n, size_t i, size_t *k)
{
	uint32_t cp;

	*k = decode(t + i, n - i, &cp);
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0 ||
	    cp == 0x202F || (cp >= 0x2000 && cp <= 0x200A);
}

/* Closing quotes, brackets and emphasis that may follow a full stop. */
static int
closer_at(const char *t, size_t n, size_t i, size_t *k)
{
	uint32_t cp;

	*k = decode(t + i, n - i, &cp);
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
	    cp == '*' || cp == '_' || cp == 0x201D || cp == 0x2019 ||
	    cp == 0xBB;
}

/*
 * Whether word w (t[s..e)) is an abbreviation of the list v, in any
 * case. The lists are ASCII, and lower() makes no ASCII of any other
 * byte, so the word is compared as it stands, with its ASCII capitals
 * made small: this runs at every full stop, and lower() copied it.
 */
static int
abbrev(const char *t, size_t s, size_t e, const char *const *v, size_t nv)
{
	size_t i, j, n = e - s;
	char c;

	for (i = 0; i < nv; i++) {
		/* The prose has no NUL to match the end of v[i]. */
		for (j = 0; j < n; j++) {
			c = t[s + j];
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != v[i][j])
				break;
		}
		if (j == n && v[i][n] == '\0')
			return 1;
	}
	return 0;
}

/*
 * Whether the sentence ends after word i: a '!', '?', '.' or '…' after
 * it, then a space. A full stop ends none where a small letter follows
 * (an ordinal, "3. päivä", or an abbreviation not listed), nor after a
 * listed abbreviation or a single letter ("n. 3 000"); a date is one word.
 */
static int
ends_after(struct plain *p, size_t i)
{
	const char *t = p->text.data;
	const struct word *w = &p->words[i];
	const struct word *next = i + 1 < p->nwords ? w + 1 : NULL;
	size_t e = next ? next->start : p->text.len, k, j;
	uint32_t cp;
	int stop = 0;

	if (next == NULL)
		return 1;
	for (j = w->end; j < e; j += k) {
		k = decode(t + j, e - j, &cp);
		if (cp == '.' || cp == '!' || cp == '?' || cp == 0x2026)
			break;
	}
	if (j >= e)
		return 0;
	stop = cp == '.' || cp == 0x2026;
	for (j += k; j < e; j += k) {
		k = decode(t + j, e - j, &cp);
		if (!(cp == '.' || cp == '!' || cp == '?' || cp == 0x2026) &&
		    !closer_at(t, e, j, &k))
			break;
	}
	if (j >= e || !space_at(t, e, j, &k))
		return 0;
	if (!stop)
		return 1;
	if (t[w->end] == '.' && !(w->flags & T_OPAQUE)) {
		if (abbrev(t, w->start, w->end, abbrevs,
		    sizeof(abbrevs) / sizeof(abbrevs[0])))
			return (next->flags & T_UPPER) && abbrev(t,
			    w->start, w->end, closing_abbrevs,
			    sizeof(closing_abbrevs) /
			    sizeof(closing_abbrevs[0]));
		if ((w->flags & T_LETTER) &&
		    decode(t + w->start, w->end - w->start, &cp) ==
		    w->end - w->start)
			return 0;
	}
	return !(next->flags & T_LOWER);
}

/* The place in the body of byte off of p->text. */
static void
place(const struct plain *p, size_t off, unsigned *line, unsigned *col)
{
	size_t i;

	*line = 0;
	*col = 0;
	for (i = p->nmarks; i-- > 0; )
		if (p->marks[i].off <= off) {
			*line = p->marks[i].line;
			if (p->marks[i].col > 0)
				*col = p->marks[i].col +
				    (unsigned)(off - p->marks[i].off);
			return;
		}
}

/* Body line l (1-based) as s[0..*n), or NULL past the end. */
static const char *
body_line(const struct plain *p, unsigned l, size_t *n)
{
	size_t s, e;

	if (l == 0 || l > p->nlines)
		return NULL;
	s = p->lines[l - 1];
	e = l < p->nlines ? p->lines[l] - 1 : p->len;
	if (e > s && p->body[e - 1] == '\r')
		e--;
	*n = e - s;
	return p->body + s;
}

/* The line in the file of body line l, or 0 if not known. */
static unsigned
file_line(const struct plain *p, unsigned l)
{
	return l ? p->first_line + l - 1 : 0;
}

/* Gives the last warning body line l to show, if there is one. */
static void
excerpt(const struct plain *p, unsigned l)
{
	const char *s;
	size_t n;

	if ((s = body_line(p, l, &n)) != NULL)
		diag_excerpt(p->d, s, n);
}

/*
 * The body place of the prose bytes w[0..n) at off in p->text. The
 * column cmark gives a text node is where its literal starts; an entity
 * or escape before the word moves it, so it is checked against the line,
 * and the word looked for there if it does not match.
 */
static void
locate(const struct plain *p, size_t off, const char *w, size_t n,
    unsigned *line, unsigned *col)
{
	const char *s, *f;
	size_t len;

	place(p, off, line, col);
	if ((s = body_line(p, *line, &len)) == NULL) {
		*col = 0;
		return;
	}
	if (*col > 0 && *col - 1 + n <= len && memcmp(s + *col - 1, w, n) == 0)
		return;
	f = n > 0 && n <= len ? memmem(s, len, w, n) : NULL;
	*col = f ? (unsigned)(f - s) + 1 : 0;
}

/* The letters of s[0..n), soft hyphens left out. */
static size_t
letters(const char *s, size_t n)
{
	uint32_t cp;
	size_t i, k, c = 0;

	for (i = 0; i < n; i += k) {
		k = decode(s + i, n - i, &cp);
		if (cp != SHY)
			c++;
	}
	return c;
}

/* The key a long word is warned about once a page by: its base form. */
static int
first_base(struct plain *p, const char *base, void *arg)
{
	struct buf *key = arg;

	lower(key, base, strlen(base));
	return 1;
}

/* Whether s[0..n) or a base form of it is in the glossary. */
static int
explained(struct plain *p, const char *s, size_t n)
{
	int found;

	lower(&p->low, s, n);
	if (hmap_getn(&p->glossary, p->low.data, p->low.len) != NULL)
		return 1;
	buf_reset(&p->tmp);
	buf_put(&p->tmp, s, n);
	found = any_base(p, p->tmp.data, glossary_has, NULL);
	return found;
}

/* Warns about part t[s..e) of word w if it is long and unexplained. */
static void
long_part(struct plain *p, const struct word *w, size_t s, size_t e)
{
	const char *t = p->text.data;
	struct buf key = BUF_INIT;
	unsigned line, col;
	size_t n;

	if ((n = letters(t + s, e - s)) <= (size_t)p->lim.word_length)
		return;
	if (explained(p, t + w->start, w->end - w->start) ||
	    explained(p, t + s, e - s))
		return;
	buf_reset(&p->tmp);
	buf_put(&p->tmp, t + s, e - s);
	if (!any_base(p, p->tmp.data, first_base, &key))
		lower(&key, t + s, e - s);
	if (hmap_getn(&p->said, key.data, key.len) == NULL) {
		hmap_put(&p->said, arena_strndup(&p->page, key.data, key.len),
		    p);
		p->st->long_words++;
		locate(p, s, t + s, e - s, &line, &col);
		diag_warn(p->d, p->file, file_line(p, line), col,
		    "Split it into shorter words (\"sosiaalihuollon "
		    "palvelut\", not \"sosiaalihuoltopalvelut\") or explain "
		    "it in content/data/sanasto.yaml.",
		    "the word \"%.*s\" is %zu letters long and not in the "
		    "glossary", (int)(e - s), t + s, n);
		excerpt(p, line);
	}
	buf_free(&key);
}

/* Checks each part of a hyphenated word on its own. */
static void
long_word(struct plain *p, const struct word *w)
{
	const char *t = p->text.data;
	size_t i = w->start, s = w->start, k;
	uint32_t cp;

	/* No part has more letters than the word has bytes. */
	if (w->end - w->start <= (size_t)p->lim.word_length)
		return;
	for (; i <= w->end; i += k) {
		k = 1;
		if (i < w->end) {
			k = decode(t + i, w->end - i, &cp);
			if (!hyphen(cp))
				continue;
		}
		if (i > s)
			long_part(p, w, s, i);
		s = i + k;
	}
}

/* Counts the verbs of a word in chain c. */
static void
verb(struct chain *c, unsigned f)
{
	if (c->neg > 0) {
		if (f & (V_CONNEG | V_PARTICIPLE)) {
			/*
			 * The verb "ei" waits for: "ei tehdä" and "ei tehty"
			 * are passive, "ei ole" may become so.
			 */
			c->neg = 0;
			if (f & (V_CONNEG_PASSIVE | V_PARTICIPLE))
				c->passive++;
			else if (f & V_OLLA)
				c->olla = 0;
			return;
		}
		if (++c->neg > 3)
			c->neg = 0;
	}
	if (f & V_NEGATION) {
		c->verbs++;
		c->neg = 1;
		c->olla = -1;
		return;
	}
	if (f & V_FINITE) {
		c->verbs++;
		if (f & V_PASSIVE)
			c->passive++;
		c->olla = (f & V_OLLA) && !(f & V_PASSIVE) ? 0 : -1;
		return;
	}
	if (c->olla >= 0) {
		/* "on tehty", "ei ole vielä päätetty" */
		if (f & V_PARTICIPLE) {
			c->passive++;
			c->olla = -1;
		} else if (++c->olla > 3)
			c->olla = -1;
	}
}

/* Whether word i is a group of thousands of the number before it. */
static int
thousands(const struct plain *p, size_t i)
{
	const char *t = p->text.data;
	const struct word *w = &p->words[i], *b = w - 1;
	size_t k, gap;
	uint32_t cp;

	if (i == 0 || w->end - w->start != 3 || b->end - b->start > 3 ||
	    !(w->flags & T_NUMBER) || !(b->flags & T_NUMBER) ||
	    strspn(t + w->start, "0123456789") < 3 ||
	    strspn(t + b->start, "0123456789") != b->end - b->start)
		return 0;
	gap = w->start - b->end;
	k = decode(t + b->end, gap, &cp);
	return k == gap && (cp == ' ' || cp == 0xA0 || cp == 0x202F);
}

/* Checks the sentence of words [a, b) of the block. */
static void
sentence(struct plain *p, size_t a, size_t b, int heading, int verbs,
    struct unit *u)
{
	struct chain c = { 0, 0, 0, -1 };
	const char *t = p->text.data;
	const struct word *w;
	size_t i, words = 0, s, e;
	unsigned line, col;

	for (i = a; i < b; i++) {
		w = &p->words[i];
		if (!thousands(p, i))
			words++;
		if (!(w->flags & T_LETTER))
			continue;
		if (p->lim.word_length > 0)
			long_word(p, w);
		s = w->start;
		e = w->end;
		while (s < e && t[s] == '-')
			s++;
		while (e > s && t[e - 1] == '-')
			e--;
		if (verbs && e > s)
			verb(&c, word_flags(p, t + s, e - s));
	}
	if (heading || words == 0)
		return;
	p->st->sentences++;
	u->sentences++;
	u->verbs += c.verbs;
	u->passive += c.passive;
	if (p->lim.sentence_words > 0 &&
	    words > (size_t)p->lim.sentence_words) {
		w = &p->words[a];
		p->st->long_sentences++;
		locate(p, w->start, t + w->start, w->end - w->start, &line,
		    &col);
		diag_warn(p->d, p->file, file_line(p, line), col,
		    "Split it into two sentences, one thing in each.",
		    "a sentence of %zu words; plain language keeps them to %d "
		    "at most", words, p->lim.sentence_words);
		excerpt(p, line);
	}
}

/* Checks the inlines of paragraph or heading n, in unit u. */
static void
block(struct plain *p, cmark_node *n, int heading, struct unit *u)
{
	size_t i, a, ends = 0;
	int verbs;

	buf_reset(&p->text);
	p->nmarks = 0;
	p->line = (unsigned)cmark_node_get_start_line(n);
	mark(p, p->line, 0);
	collect(p, n);
	buf_putc(&p->text, '\0');
	p->text.len--;
	tokenize(p);
	for (i = 0; i < p->nwords; i++)
		if (ends_after(p, i)) {
			p->words[i].flags |= T_END;
			ends++;
		}
	/*
	 * The verbs count for nothing but the passive share, which is not
	 * judged in a paragraph of too few sentences: most of the time of
	 * a check on a new site goes to asking voikko about them. A list
	 * may have more in its next item.
	 */
	verbs = !heading && p->lim.passive_share > 0 &&
	    (u->list || ends >= PLAIN_PASSIVE_MIN);
	for (a = 0, i = 0; i < p->nwords; i++)
		if (p->words[i].flags & T_END) {
			sentence(p, a, i + 1, heading, verbs, u);
			a = i + 1;
		}
}

static void
unit_start(struct unit *u, cmark_node *n, int list)
{
	memset(u, 0, sizeof(*u));
	u->line = (unsigned)cmark_node_get_start_line(n);
	u->col = (unsigned)cmark_node_get_start_column(n);
	u->list = list;
}

static void
unit_end(struct plain *p, const struct unit *u)
{
	if (p->lim.passive_share == 0 || u->sentences < PLAIN_PASSIVE_MIN ||
	    u->verbs < PLAIN_PASSIVE_MIN ||
	    u->passive * 100 <= (size_t)p->lim.passive_share * u->verbs)
		return;
	p->st->passive_paragraphs++;
	if (u->list)
		diag_warn(p->d, p->file, file_line(p, u->line), u->col,
		    "Say who does it: \"hyvinvointialue järjestää\" rather "
		    "than \"järjestetään\".",
		    "%zu of %zu verbs in this list are passive", u->passive,
		    u->verbs);
	else
		diag_warn(p->d, p->file, file_line(p, u->line), u->col,
		    "Say who does it: \"hyvinvointialue järjestää\" rather "
		    "than \"järjestetään\".",
		    "%zu of %zu verbs in this paragraph are passive",
		    u->passive, u->verbs);
	excerpt(p, u->line);
}

/*
 * Checks the blocks under n. A paragraph is a unit of its own; a list,
 * with all its items, is one, in which u is the list's.
 */
static void
walk(struct plain *p, cmark_node *n, struct unit *u)
{
	struct unit own;
	cmark_node *c;

	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_PARAGRAPH:
			if (u != NULL) {
				block(p, c, 0, u);
				break;
			}
			unit_start(&own, c, 0);
			block(p, c, 0, &own);
			unit_end(p, &own);
			break;
		case CMARK_NODE_HEADING:
			unit_start(&own, c, 0);
			block(p, c, 1, &own);
			break;
		case CMARK_NODE_LIST:
			if (u != NULL) {
				walk(p, c, u);
				break;
			}
			unit_start(&own, c, 1);
			walk(p, c, &own);
			unit_end(p, &own);
			break;
		case CMARK_NODE_ITEM:
		case CMARK_NODE_BLOCK_QUOTE:
			walk(p, c, u);
			break;
		default:
			/* Code (charts, tables), HTML, tables, breaks. */
			break;
		}
	}
}

/* Notes where each line of the body starts. */
static void
index_lines(struct plain *p)
{
	const char *s = p->body, *end = p->body + p->len, *nl;

	p->nlines = 0;
	for (;;) {
		p->lines = xgrow(p->lines, &p->caplines, p->nlines + 1,
		    sizeof(*p->lines));
		p->lines[p->nlines++] = (size_t)(s - p->body);
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			break;
		s = nl + 1;
	}
}

void
plain_check(struct plain *p, const char *file, const char *body, size_t len,
    unsigned first_line, struct diags *d, struct plain_stats *st)
{
	struct plain_stats none;
	cmark_parser *parser;
	cmark_node *doc;
	size_t i;

	memset(&none, 0, sizeof(none));
	p->file = file;
	p->body = body;
	p->len = len;
	p->first_line = first_line ? first_line : 1;
	p->d = d;
	p->st = st ? st : &none;
	hmap_free(&p->said);
	arena_reset(&p->page);
	index_lines(p);
	parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS,
	    markdown_mem(&p->page));
	for (i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++)
		cmark_parser_attach_syntax_extension(parser,
		    cmark_find_syntax_extension(extensions[i]));
	cmark_parser_feed(parser, body, len);
	doc = cmark_parser_finish(parser);
	walk(p, doc, NULL);
	/* Nothing to free: p->page holds the parser and the tree. */
	markdown_mem(NULL);
	p->st = NULL;
	p->d = NULL;
}
