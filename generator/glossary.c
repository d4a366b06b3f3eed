/*
 * The glossary (glossary.h): its entries read and checked, the names
 * each is found by, the list for the glossary page, and the first use of
 * each term on a page marked up as a link to its explanation.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <libvoikko/voikko.h>

#include "data.h"
#include "glossary.h"
#include "render.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/text.h"
#include "value.h"

/*
 * Words remembered with their base forms, at most; then the memo starts
 * again, so a site of a million different words does not keep them all.
 */
#define GLOSSARY_MEMO_MAX	100000
/* Longer words are not analysed: no term is so long. */
#define GLOSSARY_WORD_MAX	128
/* Base forms kept of one word, at most. */
#define GLOSSARY_BASES_MAX	32

struct entry {
	const char	*term;
	const char	*id;		/* its anchor on the glossary page */
	const char	*abbr;		/* or NULL */
	const char	*explanation;
	const char	*link_url;	/* or NULL */
	const char	*link_title;
	const char	*link_src;	/* the page it links to, or NULL */
	const struct value *forms;	/* a list of texts, or NULL */
	const char	*key;		/* for sorting: see collate() */
	int		 group;		/* 0: not a letter; 1..29: A to Ö */
};

/* A name of several words: all but the last as written, in lower case. */
struct phrase {
	size_t		 entry;
	const char	**words;
	size_t		 nwords;	/* before the last */
	const char	**last;		/* the last word and its base forms */
	size_t		 nlast;
};

/*
 * What looking words up changes: voikko's handle, which one thread at a
 * time may use, and the words analysed so far. Behind a pointer, so that
 * the glossary stays read-only to those who mark pages: the memo only
 * remembers what would be worked out the same way again.
 */
struct lookup {
	pthread_mutex_t		 lock;
	struct VoikkoHandle	*v;		/* NULL: no Finnish dictionary */
	struct hmap		 memo;		/* word as written -> bases */
	struct arena		 arena;		/* the memo's */
	size_t			 nmemo;
	struct buf		 low;
	struct buf		 word;
};

/* A word's forms in lower case: as written, its base forms, ... */
struct bases {
	size_t		 n;
	const char	*v[];
};

struct glossary {
	const struct site *site;	/* borrowed: the pages */
	struct arena	 arena;
	struct entry	*v;		/* sorted A to Ö */
	size_t		 len;
	const char	*url;		/* of the glossary page, or NULL */
	const char	*page_src;
	int		 fi;		/* a Finnish site: case endings known */
	struct hmap	 names;		/* one word, lower case -> entry + 1 */
	struct hmap	 abbrs;		/* as written -> entry + 1 */
	struct hmap	 starts;	/* first one or two bytes of names */
	struct phrase	*phrases;
	size_t		 nphrases;
	struct value	*value;		/* site.glossary */
	struct lookup	*look;
};

static const struct glossary *current;

/*
 * The entries marked so far on the page being rendered. A page's body is
 * rendered first, then the Markdown of its front matter (a consultation's
 * "heard" and "outcome", rendered with a copy of the page and shown after
 * the body): those continue the page, so a term marked in the body is
 * not marked again there. Per thread, as render_racy renders in threads.
 */
static _Thread_local struct {
	const struct glossary	*g;
	const char		*src;
	char			*used;
} page_seen;

/*
 * Finnish case endings, taken off a word voikko does not know to find
 * the term in it: "soten" is "sote", "Innokylässä" is "Innokylä". The
 * illative doubles the vowel before its n ("soteen"): "en" takes that
 * off.
 */
static const char *const endings[] = {
	"n", "t", "a", "ä", "ta", "tä", "na", "nä", "ksi", "ssa", "ssä",
	"sta", "stä", "lla", "llä", "lta", "ltä", "lle", "an", "en", "in",
	"on", "un", "yn", "än", "ön", "ja", "jä", "ineen", "ine"
};

/* Ids the theme uses; an entry's id must not take them (markdown.c). */
static const char *const reserved[] = { "valo-", "chart-", "table-" };

static const char *const keys[] = { "term", "forms", "abbreviation",
    "explanation", "link", NULL };

void
glossary_use(const struct glossary *g)
{
	current = g;
}

const struct glossary *
glossary_current(void)
{
	return current;
}

/*
 * The length of the letter or digit at s (n bytes), or 0: ASCII, and the
 * letters of Latin-1 and Latin Extended-A, as hyphen.c counts them.
 */
static size_t
wordchar(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c;

	if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9'))
		return 1;
	if (n < 2 || *s < 0xC3 || *s > 0xC5 || (s[1] & 0xC0) != 0x80)
		return 0;
	c = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	return c >= 0xC0 && c <= 0x17F && c != 0xD7 && c != 0xF7 ? 2 : 0;
}

/* Appends s[0..n) in lower case: ASCII and Latin-1 ("Ä" as "ä"). */
static void
put_lower(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			buf_putc(b, s[i] + ('a' - 'A'));
		else if (s[i] == 0xC3 && i + 1 < n && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9E && s[i + 1] != 0x97) {
			buf_putc(b, 0xC3);
			buf_putc(b, s[++i] + 0x20);
		} else
			buf_putc(b, s[i]);
}

static char *
lower_dup(struct arena *a, struct buf *tmp, const char *s, size_t n)
{
	buf_reset(tmp);
	put_lower(tmp, s, n);
	return arena_strndup(a, tmp->data ? tmp->data : "", tmp->len);
}

/* ---- sorting A to Ö ----------------------------------------------------- */

/*
 * Appends the sort key of s: in the Finnish alphabet Å, Ä and Ö come
 * after Z (with Æ as Ä, Ø as Ö and Ü as Y); any other letter sorts as
 * its slug does, without its marks; what is not a letter as a space.
 */
static void
collate(struct buf *b, const char *s)
{
	const unsigned char *c = (const unsigned char *)s;
	struct buf one = BUF_INIT;
	size_t k;

	while (*c != '\0') {
		for (k = 1; (c[k] & 0xC0) == 0x80; k++)
			;
		if (c[0] == 0xC3 && k == 2 && (c[1] == 0xA5 || c[1] == 0x85))
			buf_putc(b, '{');
		else if (c[0] == 0xC3 && k == 2 && (c[1] == 0xA4 ||
		    c[1] == 0x84 || c[1] == 0xA6 || c[1] == 0x86))
			buf_putc(b, '|');
		else if (c[0] == 0xC3 && k == 2 && (c[1] == 0xB6 ||
		    c[1] == 0x96 || c[1] == 0xB8 || c[1] == 0x98))
			buf_putc(b, '}');
		else if (c[0] == 0xC3 && k == 2 && (c[1] == 0xBC ||
		    c[1] == 0x9C))
			buf_putc(b, 'y');
		else {
			buf_reset(&one);
			slugify(&one, (const char *)c, k);
			if (one.len > 0)
				buf_put(b, one.data, one.len);
			else
				buf_putc(b, ' ');
		}
		c += k;
	}
	buf_free(&one);
}

/* The group of sort key k: 1 to 26 for A to Z, 27 to 29 Å Ä Ö, else 0. */
static int
group_of(const char *k)
{
	while (*k == ' ')
		k++;
	if (*k >= 'a' && *k <= 'z')
		return *k - 'a' + 1;
	if (*k >= '{' && *k <= '}')
		return *k - '{' + 27;
	return 0;
}

static const char *const group_letter[] = { "#", "A", "B", "C", "D", "E",
    "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U", "V", "W", "X", "Y", "Z", "Å", "Ä", "Ö" };
/* Their ids: ASCII, as an address shows them. */
static const char *const group_id[] = { "muut", "a", "b", "c", "d", "e",
    "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s",
    "t", "u", "v", "w", "x", "y", "z", "aa", "ae", "oe" };

static int
by_letter(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c;

	if (a->group != b->group)
		return a->group - b->group;
	if ((c = strcmp(a->key, b->key)) != 0)
		return c;
	return strcmp(a->term, b->term);
}

/* ---- reading the data ------------------------------------------------- */

struct reader {
	struct glossary		*g;
	const struct site	*s;
	const char		*file;
	const struct value	*map;		/* the entry */
	struct diags		*d;
	struct hmap		 seen;		/* name, lower case -> value */
	struct hmap		 seen_abbr;	/* as written -> value */
	struct hmap		 seen_id;	/* id -> value */
	struct buf		 tmp;
};

/* A key's text, or NULL: missing or empty, or not text (an error). */
static const char *
entry_text(struct reader *r, const char *key, int required)
{
	const struct value *v = value_get(r->map, key);

	if (v == NULL || v->type == VAL_NULL || (v->type == VAL_STRING &&
	    v->str[strspn(v->str, " \t\r\n")] == '\0')) {
		if (required) {
			diag_error(r->d, r->file, v ? v->line : r->map->line,
			    v ? v->col : r->map->col, NULL,
			    "this item has no \"%s\"", key);
			diag_hintf(r->d, "Add a line \"%s: ...\" to the item.",
			    key);
		}
		return NULL;
	}
	if (v->type != VAL_STRING && !(v->type == VAL_NUMBER && v->str)) {
		diag_error(r->d, r->file, v->line, v->col,
		    "Write it as text on the same line, in quotes if needed.",
		    "\"%s\" must be text, not %s", key,
		    value_type_name(v->type));
		return NULL;
	}
	return v->str;
}

/* Whether v (a name, an abbreviation or an id) was seen; notes it if not. */
static int
duplicate(struct reader *r, struct hmap *seen, const char *key,
    const struct value *v, const char *shown)
{
	const struct value *first = hmap_get(seen, key);

	if (first == NULL) {
		hmap_put(seen, key, (void *)v);
		return 0;
	}
	diag_error(r->d, r->file, v->line, v->col, "Explain each term once: "
	    "join the two entries, or take the repeated word out of one of "
	    "them.", "\"%s\" is in the glossary twice, first on line %u",
	    shown, first->line);
	return 1;
}

static int
is_draft(const struct site *s, const struct page *p)
{
	size_t i;

	for (i = 0; i < s->ndrafts; i++)
		if (s->drafts[i] == p)
			return 1;
	return 0;
}

/* Where the entry's link goes: an address, or a page with a #heading. */
static int
entry_link(struct reader *r, struct entry *e, const char *link)
{
	struct arena *a = &r->g->arena;
	const struct value *v = value_get(r->map, "link");
	const struct page *p;
	const char *hash;
	char *path;

	if (strncmp(link, "https://", 8) == 0 ||
	    strncmp(link, "http://", 7) == 0) {
		e->link_url = link;
		e->link_title = link;
		return 0;
	}
	hash = strchr(link, '#');
	path = arena_strndup(a, link, hash ? (size_t)(hash - link) :
	    strlen(link));
	p = site_page(r->s, path);
	if (p != NULL && is_draft(r->s, p)) {
		diag_error(r->d, r->file, v->line, v->col,
		    "Publish that page first, or remove the link.",
		    "link to the draft page %s", link);
		return -1;
	}
	if (p == NULL) {
		diag_error(r->d, r->file, v->line, v->col, NULL,
		    "\"%s\": there is no page %s", "link", path);
		diag_hintf(r->d, "Write the page's path below content/, such "
		    "as %s.", "strategia/palvelulupaus.md");
		return -1;
	}
	e->link_url = hash ? arena_printf(a, "%s%s", p->url, hash) : p->url;
	e->link_title = p->title ? p->title : p->url;
	e->link_src = p->src;
	return 0;
}

/* The forms of the entry: NULL if none, else a list of texts. */
static const struct value *
entry_forms(struct reader *r)
{
	const struct value *v = value_get(r->map, "forms"), *it;
	size_t i, errors = r->d->errors;

	if (v == NULL || v->type == VAL_NULL)
		return NULL;
	if (v->type != VAL_LIST) {
		diag_error(r->d, r->file, v->line, v->col,
		    "Write a list: one \"- item\" per line under the key, "
		    "or [a, b].", "\"%s\" must be a list", "forms");
		return NULL;
	}
	for (i = 0; i < v->len; i++) {
		it = v->u.items[i];
		if (it->type != VAL_STRING)
			diag_error(r->d, r->file, it->line, it->col,
			    "Write each item as text.",
			    "items of \"%s\" must be text, not %s", "forms",
			    value_type_name(it->type));
	}
	return r->d->errors == errors ? v : NULL;
}

/* The anchor of term t: its slug, kept off the theme's own ids. */
static const char *
entry_id(struct reader *r, const char *t)
{
	size_t i;

	buf_reset(&r->tmp);
	slugify(&r->tmp, t, strlen(t));
	if (r->tmp.len == 0)
		return "termi";
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strncmp(r->tmp.data, reserved[i], strlen(reserved[i])) == 0)
			break;
	if (strcmp(r->tmp.data, "main") == 0 ||
	    i < sizeof(reserved) / sizeof(reserved[0]))
		return arena_printf(&r->g->arena, "t-%s", r->tmp.data);
	return arena_strndup(&r->g->arena, r->tmp.data, r->tmp.len);
}

/*
 * Reads the entry r->map into e; checks its names against those seen.
 * Returns 0, or -1 after an error (the entry is then left out).
 */
static int
read_entry(struct reader *r, struct entry *e)
{
	struct arena *a = &r->g->arena;
	const struct value *forms, *tv, *av;
	const char *link;
	size_t i, k, errors = r->d->errors;
	char *low;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < r->map->len; i++) {
		const char *key = r->map->u.pairs[i].key;
		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(keys[k], key) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		diag_error(r->d, r->file, r->map->u.pairs[i].val->line, 1, NULL,
		    "unknown key \"%s\" in this item", key);
		diag_hintf(r->d, "Known keys: %s.", "term, forms, abbreviation, "
		    "explanation, link");
	}
	e->term = entry_text(r, "term", 1);
	e->explanation = entry_text(r, "explanation", 1);
	e->abbr = entry_text(r, "abbreviation", 0);
	e->forms = forms = entry_forms(r);
	if ((link = entry_text(r, "link", 0)) != NULL)
		entry_link(r, e, link);
	if (r->d->errors != errors)
		return -1;
	tv = value_get(r->map, "term");
	low = lower_dup(a, &r->tmp, e->term, strlen(e->term));
	duplicate(r, &r->seen, low, tv, e->term);
	for (i = 0; forms != NULL && i < forms->len; i++) {
		const struct value *f = forms->u.items[i];
		char *fl = lower_dup(a, &r->tmp, f->str, f->len);
		/* The term again among its own forms is no harm. */
		if (strcmp(fl, low) != 0)
			duplicate(r, &r->seen, fl, f, f->str);
	}
	if ((av = value_get(r->map, "abbreviation")) != NULL && e->abbr)
		duplicate(r, &r->seen_abbr, e->abbr, av, e->abbr);
	/* "YTA-alue" and "yta alue" differ, but not as addresses. */
	e->id = entry_id(r, e->term);
	if (r->d->errors == errors)
		duplicate(r, &r->seen_id, e->id, tv, e->term);
	return r->d->errors == errors ? 0 : -1;
}

/* ---- the names an entry is found by ------------------------------------ */

/* Notes the first one or two bytes of name (lower case) as a start. */
static void
add_start(struct glossary *g, const char *name)
{
	size_t n = strlen(name) < 2 ? strlen(name) : 2;

	if (n > 0 && hmap_getn(&g->starts, name, n) == NULL)
		hmap_put(&g->starts, arena_strndup(&g->arena, name, n), g);
}

/* Whether word w[0..n) may be, or be an inflection of, some name. */
static int
may_start(const struct glossary *g, const char *w, size_t n)
{
	struct buf *low = &g->look->low;

	buf_reset(low);
	put_lower(low, w, n < 4 ? n : 4);
	return (low->len >= 2 && hmap_getn(&g->starts, low->data, 2)) ||
	    (low->len >= 1 && hmap_getn(&g->starts, low->data, 1));
}

static void add_bases(const struct glossary *, const char *, size_t,
    const char **, size_t *);

/* Adds name (a term or a form) of entry i to the names it is found by. */
static void
add_name(struct glossary *g, size_t i, const char *name)
{
	struct arena *a = &g->arena;
	struct phrase *ph;
	struct buf tmp = BUF_INIT;
	const char *s, *e, *last[GLOSSARY_BASES_MAX];
	const char **words = NULL;
	size_t n, nw = 0, cap = 0, nlast = 0;
	char *low;

	for (s = name; *s != '\0'; s = e) {
		while (*s == ' ' || *s == '\t')
			s++;
		for (e = s; *e != '\0' && *e != ' ' && *e != '\t'; e++)
			;
		/* "sosiaali- ja terveydenhuolto": the text's word has no -. */
		for (n = (size_t)(e - s); n > 0 && s[n - 1] == '-'; n--)
			;
		if (n == 0)
			continue;
		words = xgrow(words, &cap, nw + 1, sizeof(*words));
		words[nw++] = lower_dup(a, &tmp, s, n);
	}
	if (nw == 1) {
		if (hmap_get(&g->names, words[0]) == NULL)
			hmap_put(&g->names, words[0],
			    (void *)(uintptr_t)(i + 1));
		add_start(g, words[0]);
	} else if (nw > 1) {
		g->phrases = arena_realloc(a, g->phrases, g->nphrases *
		    sizeof(*g->phrases), (g->nphrases + 1) *
		    sizeof(*g->phrases));
		ph = &g->phrases[g->nphrases++];
		ph->entry = i;
		ph->nwords = nw - 1;
		ph->words = arena_alloc(a, nw * sizeof(*ph->words));
		memcpy(ph->words, words, nw * sizeof(*words));
		low = (char *)words[nw - 1];
		add_bases(g, low, strlen(low), last, &nlast);
		ph->last = arena_alloc(a, (nlast ? nlast : 1) *
		    sizeof(*ph->last));
		for (n = 0; n < nlast; n++)
			ph->last[n] = arena_strdup(a, last[n]);
		ph->nlast = nlast;
	}
	free(words);
	buf_free(&tmp);
}

/* More words first: "sosiaali- ja terveydenhuolto" before "ja ...". */
static int
by_words(const void *x, const void *y)
{
	const struct phrase *a = x, *b = y;

	return (b->nwords > a->nwords) - (b->nwords < a->nwords);
}

/*
 * Adds s[0..n) (lower case, arena) to v[0..*n) unless it is there or v
 * is full.
 */
static void
add_form(struct arena *a, const char **v, size_t *nv, const char *s,
    size_t n)
{
	size_t i;

	if (n == 0 || *nv == GLOSSARY_BASES_MAX)
		return;
	for (i = 0; i < *nv; i++)
		if (strlen(v[i]) == n && memcmp(v[i], s, n) == 0)
			return;
	v[(*nv)++] = arena_strndup(a, s, n);
}

static const struct bases *bases_of(const struct glossary *, const char *,
    size_t);

/*
 * The forms word w[0..n) may stand for, into v[0..*nv): the word in lower
 * case; its base forms from voikko; where voikko knows nothing of it, on
 * a Finnish site, the word without each case ending it has; and for
 * "YTA-alueella", "yta-" with each such form of "alueella". Strings in
 * the memo's arena. Called with the lookup's lock held, or while the
 * glossary is being built.
 */
static void
add_bases(const struct glossary *g, const char *w, size_t n, const char **v,
    size_t *nv)
{
	struct lookup *l = g->look;
	struct arena *a = &l->arena;
	struct voikko_mor_analysis **an;
	const struct bases *last;
	char *base, *low;
	size_t i, k, el;
	int known = 0;

	*nv = 0;
	buf_reset(&l->word);
	put_lower(&l->word, w, n);
	low = arena_strndup(a, l->word.data ? l->word.data : "", l->word.len);
	add_form(a, v, nv, low, strlen(low));
	if (l->v != NULL && n < GLOSSARY_WORD_MAX) {
		buf_reset(&l->word);
		buf_put(&l->word, w, n);
		if ((an = voikkoAnalyzeWordCstr(l->v, l->word.data)) != NULL) {
			for (i = 0; an[i] != NULL; i++) {
				base = voikko_mor_analysis_value_cstr(an[i],
				    "BASEFORM");
				if (base == NULL)
					continue;
				known = 1;
				buf_reset(&l->word);
				put_lower(&l->word, base, strlen(base));
				add_form(a, v, nv, l->word.data, l->word.len);
				voikko_free_mor_analysis_value_cstr(base);
			}
			voikko_free_mor_analysis(an);
		}
	}
	for (i = 0; !known && g->fi &&
	    i < sizeof(endings) / sizeof(endings[0]); i++) {
		el = strlen(endings[i]);
		k = strlen(low);
		if (k > el + 1 && strcmp(low + k - el, endings[i]) == 0)
			add_form(a, v, nv, low, k - el);
	}
	/* The last part of a compound with a hyphen is what inflects. */
	for (k = n; k > 0 && w[k - 1] != '-'; k--)
		;
	if (k > 1 && k < n) {
		last = bases_of(g, w + k, n - k);
		for (i = 0; i < last->n; i++) {
			buf_reset(&l->word);
			put_lower(&l->word, w, k);
			buf_puts(&l->word, last->v[i]);
			add_form(a, v, nv, l->word.data, l->word.len);
		}
	}
}

/* add_bases of w[0..n), remembered. Called with the lookup's lock held. */
static const struct bases *
bases_of(const struct glossary *g, const char *w, size_t n)
{
	struct lookup *l = g->look;
	struct bases *b;
	const char *v[GLOSSARY_BASES_MAX];
	size_t nv;

	if ((b = hmap_getn(&l->memo, w, n)) != NULL)
		return b;
	add_bases(g, w, n, v, &nv);
	b = arena_alloc(&l->arena, sizeof(*b) + nv * sizeof(b->v[0]));
	b->n = nv;
	memcpy(b->v, v, nv * sizeof(v[0]));
	hmap_put(&l->memo, arena_strndup(&l->arena, w, n), b);
	l->nmemo++;
	return b;
}

/* ---- building ---------------------------------------------------------- */

static struct value *
str(struct arena *a, const char *s)
{
	return s ? value_cstring(a, s) : value_null(a);
}

/* site.glossary: {url, count, groups: [{letter, id, entries: [...]}]}. */
static void
make_value(struct glossary *g)
{
	struct arena *a = &g->arena;
	struct value *m = value_map(a), *groups = value_list(a);
	struct value *grp = NULL, *list = NULL, *ev, *lv;
	const struct entry *e;
	size_t i;
	int at = -1;

	for (i = 0; i < g->len; i++) {
		e = &g->v[i];
		if (e->group != at) {
			at = e->group;
			grp = value_map(a);
			list = value_list(a);
			value_append(a, grp, "letter", str(a, group_letter[at]));
			value_append(a, grp, "id", str(a, arena_printf(a,
			    "valo-glossary-%s", group_id[at])));
			value_append(a, grp, "entries", list);
			value_push(a, groups, grp);
		}
		ev = value_map(a);
		value_append(a, ev, "term", str(a, e->term));
		value_append(a, ev, "id", str(a, e->id));
		value_append(a, ev, "abbreviation", str(a, e->abbr));
		value_append(a, ev, "explanation", str(a, e->explanation));
		if (e->link_url != NULL) {
			lv = value_map(a);
			value_append(a, lv, "url", str(a, e->link_url));
			value_append(a, lv, "title", str(a, e->link_title));
			value_append(a, ev, "link", lv);
		}
		value_push(a, list, ev);
	}
	value_append(a, m, "url", str(a, g->url));
	value_append(a, m, "count", value_number(a, (double)g->len));
	value_append(a, m, "groups", groups);
	value_append(a, m, "has_entries", value_bool(a, g->len > 0));
	g->value = m;
}

struct glossary *
glossary_build(const struct site *s, struct diags *d)
{
	const struct value *list = s->data ? value_get(s->data,
	    GLOSSARY_DATA) : NULL;
	struct reader r;
	struct glossary *g;
	struct buf key = BUF_INIT;
	const char *f, *err;
	size_t i, k, cap = 0;

	if (list == NULL)
		return NULL;
	g = xcalloc(1, sizeof(*g));
	g->site = s;
	g->look = xcalloc(1, sizeof(*g->look));
	pthread_mutex_init(&g->look->lock, NULL);
	memset(&r, 0, sizeof(r));
	r.g = g;
	r.s = s;
	r.d = d;
	f = data_file(s, GLOSSARY_DATA);
	r.file = arena_printf(&g->arena, "content/%s", f ? f :
	    "data/" GLOSSARY_DATA ".yaml");
	g->fi = s->cfg != NULL && s->cfg->language != NULL &&
	    strcmp(s->cfg->language, "fi") == 0;
	for (i = 0; i < s->npages; i++)
		if (s->pages[i]->layout != NULL &&
		    strcmp(s->pages[i]->layout, "glossary") == 0) {
			g->url = s->pages[i]->url;
			g->page_src = s->pages[i]->src;
			break;
		}
	if (list->type != VAL_LIST && list->type != VAL_NULL) {
		diag_error(d, r.file, list->line, 1, "Write each term as an "
		    "item of a list, starting \"- term: ...\", with its "
		    "explanation on the next line.",
		    "the glossary must be a list");
		list = NULL;
	}
	for (i = 0; list != NULL && list->type == VAL_LIST && i < list->len;
	    i++) {
		r.map = list->u.items[i];
		if (r.map->type != VAL_MAP) {
			diag_error(d, r.file, r.map->line, r.map->col,
			    "Write each entry as keys and values: \"- term: "
			    "...\", \"explanation: ...\".",
			    "a glossary entry must be a map of keys");
			continue;
		}
		g->v = xgrow(g->v, &cap, g->len + 1, sizeof(*g->v));
		if (read_entry(&r, &g->v[g->len]) == -1)
			continue;
		buf_reset(&key);
		collate(&key, g->v[g->len].term);
		g->v[g->len].key = arena_strndup(&g->arena, key.data ?
		    key.data : "", key.len);
		g->v[g->len].group = group_of(g->v[g->len].key);
		g->len++;
	}
	hmap_free(&r.seen);
	hmap_free(&r.seen_abbr);
	hmap_free(&r.seen_id);
	buf_free(&r.tmp);
	buf_free(&key);
	if (g->len > 0)
		qsort(g->v, g->len, sizeof(*g->v), by_letter);
	/* Only a Finnish site has voikko's base forms (hyphen.c). */
	if (g->fi && g->len > 0)
		g->look->v = voikkoInit(&err, "fi", NULL);
	for (i = 0; i < g->len; i++) {
		const struct entry *e = &g->v[i];
		add_name(g, i, e->term);
		for (k = 0; e->forms != NULL && k < e->forms->len; k++)
			add_name(g, i, e->forms->u.items[k]->str);
		if (e->abbr != NULL && hmap_get(&g->abbrs, e->abbr) == NULL) {
			hmap_put(&g->abbrs, e->abbr, (void *)(uintptr_t)(i + 1));
			/* "sote" begins a sentence as "Sote". */
			if (e->abbr[0] >= 'a' && e->abbr[0] <= 'z') {
				char *up = arena_strdup(&g->arena, e->abbr);
				up[0] = (char)(up[0] - 'a' + 'A');
				hmap_put(&g->abbrs, up,
				    (void *)(uintptr_t)(i + 1));
			}
		}
	}
	if (g->nphrases > 1)
		qsort(g->phrases, g->nphrases, sizeof(*g->phrases), by_words);
	make_value(g);
	if (g->url == NULL && g->len > 0)
		diag_note(d, r.file, 0, 0, "Add a page for the glossary, such "
		    "as content/sanasto.md with the line \"layout: glossary\" "
		    "in its front matter.", "no page has the layout "
		    "\"glossary\": the terms are not explained where they "
		    "are used");
	return g;
}

void
glossary_free(struct glossary *g)
{
	if (g == NULL)
		return;
	if (current == g)
		current = NULL;
	if (page_seen.g == g) {
		free(page_seen.used);
		memset(&page_seen, 0, sizeof(page_seen));
	}
	if (g->look->v != NULL)
		voikkoTerminate(g->look->v);
	pthread_mutex_destroy(&g->look->lock);
	hmap_free(&g->look->memo);
	arena_free(&g->look->arena);
	buf_free(&g->look->low);
	buf_free(&g->look->word);
	free(g->look);
	hmap_free(&g->names);
	hmap_free(&g->abbrs);
	hmap_free(&g->starts);
	arena_free(&g->arena);
	free(g->v);
	free(g);
}

void
glossary_env(struct render_env *env, const struct glossary *g,
    struct arena *a)
{
	if (g != NULL)
		value_append(a, env->site_value, "glossary", g->value);
}

/* ---- marking a page ---------------------------------------------------- */

struct tok {
	size_t	s, e;
	int	hyphen;		/* "sote-keskus": parts joined by '-' */
};

struct marker {
	const struct glossary	*g;
	const struct page	*p;
	cmark_mem		*mem;
	char			*used;		/* entry i marked already */
	struct tok		*toks;
	size_t			 ntoks;
	size_t			 captoks;
	struct buf		 low;
	struct buf		 out;
	struct buf		 lit;
};

/*
 * The words of t[0..n): runs of letters and digits, a '-' between two
 * of them joining them into one word.
 */
static void
tokens(struct marker *m, const char *t, size_t n)
{
	size_t i = 0, k;
	struct tok *w;

	m->ntoks = 0;
	while (i < n) {
		if ((k = wordchar(t + i, n - i)) == 0) {
			i++;
			continue;
		}
		m->toks = xgrow(m->toks, &m->captoks, m->ntoks + 1,
		    sizeof(*m->toks));
		w = &m->toks[m->ntoks++];
		w->s = i;
		w->hyphen = 0;
		for (;;) {
			while (i < n && (k = wordchar(t + i, n - i)) != 0)
				i += k;
			if (i + 1 < n && t[i] == '-' &&
			    wordchar(t + i + 1, n - i - 1) != 0) {
				w->hyphen = 1;
				i++;
				continue;
			}
			break;
		}
		w->e = i;
	}
}

/* Whether only spaces and hyphens lie between words: "sosiaali- ja". */
static int
spaced(const char *t, size_t s, size_t e)
{
	if (s >= e)
		return 0;
	for (; s < e; s++)
		if (t[s] == ' ' || t[s] == '\t' || t[s] == '-')
			continue;
		else if ((unsigned char)t[s] == 0xC2 && s + 1 < e &&
		    (unsigned char)t[s + 1] == 0xA0)
			s++;	/* a no-break space */
		else
			return 0;
	return 1;
}

/* Whether word w[0..n) in lower case is s. */
static int
lower_is(struct marker *m, const char *w, size_t n, const char *s)
{
	buf_reset(&m->low);
	put_lower(&m->low, w, n);
	return m->low.data != NULL && strcmp(m->low.data, s) == 0;
}

/* Whether phrase ph starts at word i of t: it then ends at word *last. */
static int
phrase_at(struct marker *m, const struct phrase *ph, const char *t,
    size_t i, size_t *last)
{
	const struct bases *b;
	const struct tok *w = m->toks;
	size_t j, k;

	if (i + ph->nwords >= m->ntoks)
		return 0;
	for (j = 0; j < ph->nwords; j++)
		if (!lower_is(m, t + w[i + j].s, w[i + j].e - w[i + j].s,
		    ph->words[j]) || !spaced(t, w[i + j].e, w[i + j + 1].s))
			return 0;
	j = i + ph->nwords;
	b = bases_of(m->g, t + w[j].s, w[j].e - w[j].s);
	for (k = 0; k < b->n; k++) {
		size_t x;
		for (x = 0; x < ph->nlast; x++)
			if (strcmp(b->v[k], ph->last[x]) == 0) {
				*last = j;
				return 1;
			}
	}
	return 0;
}

/*
 * The entry, not marked yet, that word w[0..n) is found to be, or -1;
 * *abbr set if it is the entry's abbreviation.
 */
static long
find_word(struct marker *m, const char *w, size_t n, int *abbr)
{
	const struct glossary *g = m->g;
	const struct bases *b;
	uintptr_t e;
	size_t i;

	*abbr = 0;
	if ((e = (uintptr_t)hmap_getn(&g->abbrs, w, n)) != 0 &&
	    !m->used[e - 1]) {
		*abbr = 1;
		return (long)e - 1;
	}
	if (!may_start(g, w, n))
		return -1;
	b = bases_of(g, w, n);
	for (i = 0; i < b->n; i++)
		if ((e = (uintptr_t)hmap_get(&g->names, b->v[i])) != 0 &&
		    !m->used[e - 1])
			return (long)e - 1;
	return -1;
}

/* The line of n in the page's file. */
static unsigned
file_line(const struct marker *m, cmark_node *n)
{
	int line = 0;

	for (; n != NULL && line <= 0; n = cmark_node_parent(n))
		line = cmark_node_get_start_line(n);
	return m->p->body_line + (unsigned)(line > 0 ? line : 1) - 1;
}

/*
 * The term as a link to its entry, described by its explanation: a
 * screen reader says it on the link, hidden from the eye, which follows
 * the link instead (by mouse, finger or keyboard alike). The id is the
 * entry's and the line's: each entry is marked once in a text, and the
 * texts of one page (its body, a consultation's outcome) are on lines
 * of their own.
 */
static void
put_term(struct marker *m, const struct entry *e, const char *t, size_t n,
    int abbr, unsigned line)
{
	struct buf *b = &m->out;

	buf_reset(b);
	buf_puts(b, "<a class=\"term\" href=\"");
	buf_put_html(b, m->g->url, strlen(m->g->url));
	buf_putc(b, '#');
	buf_put_html(b, e->id, strlen(e->id));
	buf_printf(b, "\" aria-describedby=\"valo-term-%s-%u\"><dfn>", e->id,
	    line);
	if (abbr)
		buf_puts(b, "<abbr>");
	buf_put_html(b, t, n);
	if (abbr)
		buf_puts(b, "</abbr>");
	buf_printf(b, "</dfn></a><span id=\"valo-term-%s-%u\" hidden>", e->id,
	    line);
	if (abbr) {
		buf_put_html(b, e->term, strlen(e->term));
		buf_puts(b, ": ");
	}
	buf_put_html(b, e->explanation, strlen(e->explanation));
	buf_puts(b, "</span>");
}

static void
insert(struct marker *m, cmark_node *before, cmark_node_type type,
    const char *s, size_t n)
{
	cmark_node *x = cmark_node_new_with_mem(type, m->mem);
	char *lit = xstrndup(s, n);

	cmark_node_set_literal(x, lit);
	free(lit);
	cmark_node_insert_before(before, x);
}

/* Marks the terms of text node t not marked yet. */
static void
mark_text(struct marker *m, cmark_node *t)
{
	const struct glossary *g = m->g;
	const char *lit = cmark_node_get_literal(t), *tx;
	const struct tok *w;
	size_t i, j, k, from = 0, s, e, last, n;
	long hit;
	int abbr;

	if (lit == NULL || *lit == '\0')
		return;
	buf_reset(&m->lit);
	buf_puts(&m->lit, lit);
	tx = m->lit.data;
	n = m->lit.len;
	tokens(m, tx, n);
	for (i = 0; i < m->ntoks; i++) {
		w = &m->toks[i];
		hit = -1;
		abbr = 0;
		s = w->s;
		e = w->e;
		for (k = 0; k < g->nphrases && hit < 0; k++)
			if (!m->used[g->phrases[k].entry] &&
			    phrase_at(m, &g->phrases[k], tx, i, &last)) {
				hit = (long)g->phrases[k].entry;
				e = m->toks[last].e;
				i = last;
			}
		if (hit < 0)
			hit = find_word(m, tx + s, e - s, &abbr);
		/* "HYTE-neuvottelut", "sote-keskus": a part alone. */
		for (j = w->s; hit < 0 && w->hyphen && j < w->e; j = k + 1) {
			for (k = j; k < w->e && tx[k] != '-'; k++)
				;
			if ((hit = find_word(m, tx + j, k - j, &abbr)) >= 0) {
				s = j;
				e = k;
			}
		}
		if (hit < 0)
			continue;
		m->used[hit] = 1;
		if (s > from)
			insert(m, t, CMARK_NODE_TEXT, tx + from, s - from);
		put_term(m, &g->v[hit], tx + s, e - s, abbr, file_line(m, t));
		insert(m, t, CMARK_NODE_HTML_INLINE, m->out.data, m->out.len);
		from = e;
	}
	if (from == 0)
		return;
	if (from < n)
		cmark_node_set_literal(t, tx + from);
	else
		cmark_node_unlink(t);
}

/* Whether block n holds raw HTML, in which a link may not be put. */
static int
has_html(cmark_node *n)
{
	cmark_node *c;

	for (c = cmark_node_first_child(n); c != NULL; c = cmark_node_next(c))
		if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE ||
		    has_html(c))
			return 1;
	return 0;
}

/* Paragraphs and table cells have text to mark; a heading is another's. */
static cmark_node *
text_block(cmark_node *n)
{
	for (n = cmark_node_parent(n); n != NULL; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH ||
		    strcmp(cmark_node_get_type_string(n), "table_cell") == 0)
			return n;
	return NULL;
}

/* Nodes whose text is not marked: their own words, or a link already. */
static int
skipped(cmark_node *n)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING:
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return 1;
	default:
		return strcmp(cmark_node_get_type_string(n),
		    "table_header") == 0;
	}
}

int
glossary_mark(const struct glossary *g, struct cmark_node *doc,
    const struct page *p, struct cmark_mem *mem)
{
	struct marker m;
	const struct page *real;
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *n, *blk, *last_blk = NULL, **texts = NULL;
	size_t i, ntexts = 0, cap = 0;
	int skip = 0, raw = 0;

	/* The glossary is in the site's own language: its pages alone. */
	if (g == NULL || p->lang != 0)
		return 0;
	if (g->url == NULL || g->len == 0 || doc == NULL ||
	    (g->page_src != NULL && strcmp(p->src, g->page_src) == 0) ||
	    (p->layout != NULL && strcmp(p->layout, "glossary") == 0))
		return 1;
	/* Collected first: the tree must not change under the iterator. */
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (skipped(n)) {
			skip += ev == CMARK_EVENT_ENTER ? 1 : -1;
			continue;
		}
		if (ev != CMARK_EVENT_ENTER || skip > 0 ||
		    cmark_node_get_type(n) != CMARK_NODE_TEXT ||
		    (blk = text_block(n)) == NULL)
			continue;
		if (blk != last_blk) {
			last_blk = blk;
			raw = has_html(blk);
		}
		if (raw)
			continue;
		texts = xgrow(texts, &cap, ntexts + 1, sizeof(*texts));
		texts[ntexts++] = n;
	}
	cmark_iter_free(it);

	memset(&m, 0, sizeof(m));
	m.g = g;
	m.p = p;
	m.mem = mem;
	/* The page itself starts afresh; a copy of it continues it. */
	real = site_page(g->site, p->src);
	if (real == NULL || real == p || page_seen.g != g ||
	    page_seen.src == NULL || strcmp(page_seen.src, p->src) != 0) {
		free(page_seen.used);
		page_seen.g = g;
		page_seen.src = real != NULL ? real->src : NULL;
		page_seen.used = xcalloc(g->len, 1);
		/* The page an entry links to explains it already. */
		for (i = 0; i < g->len; i++)
			page_seen.used[i] = g->v[i].link_src != NULL &&
			    strcmp(g->v[i].link_src, p->src) == 0;
	}
	m.used = page_seen.used;
	pthread_mutex_lock(&g->look->lock);
	if (g->look->nmemo >= GLOSSARY_MEMO_MAX) {
		hmap_free(&g->look->memo);
		arena_reset(&g->look->arena);
		g->look->nmemo = 0;
	}
	for (i = 0; i < ntexts; i++)
		mark_text(&m, texts[i]);
	pthread_mutex_unlock(&g->look->lock);
	free(m.toks);
	free(texts);
	buf_free(&m.low);
	buf_free(&m.out);
	buf_free(&m.lit);
	return 1;
}
