#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "util/arena.h"
#include "util/mem.h"

/*
 * Both versions are read into trees of elements and text, leniently, the
 * way a browser would (a stray '<' is text, an unclosed element ends with
 * its parent, an end tag that closes nothing is ignored), so that whatever
 * the bytes, what is written from a tree is balanced. The children of a
 * block are then compared as a sequence of items: block elements, and runs
 * of inline content between them. Items equal after normalisation are
 * anchors; between two anchors, old and new items are paired by tag and
 * similar text, a pair of blocks is compared the same way one level down,
 * a pair of runs word by word. What stays unpaired is shown whole as
 * removed or inserted, inside its own element so that lists stay lists
 * and rows stay rows.
 *
 * The work is bounded three ways: the tree is at most MAX_DEPTH deep (past
 * it, tags are dropped and their text kept), so every recursion below is
 * too; one sequence comparison gives up past MAX_D edits; and one call may
 * take BUDGET steps in all. What gives up is shown whole as removed and
 * inserted, which is still right, only coarser.
 */

#define MAX_DEPTH	64
#define MAX_D		2000
#define BUDGET		((size_t)48 * 1024 * 1024)
/* Changed items of one region compared each with each, at most. */
#define PAIR_CELLS	65536
/* Words of an item compared for its similarity, and nodes read for them. */
#define SKETCH		128
#define SKETCH_NODES	4096
/* Leaf blocks this short pair up whatever their words (cells, headings). */
#define SHORT_WORDS	4
/* Otherwise they pair up from this similarity (of 1000). */
#define MIN_SIM		300

#define NONE		((size_t)-1)
#define OLD_PREFIX	"diff-old-"

/* Element classes, and flags of nodes beside them. */
enum {
	T_BLOCK = 1 << 0,	/* an item of its parent, not part of a run */
	T_STRICT = 1 << 1,	/* holds only elements: no <ins>/<del> in it */
	T_VOID = 1 << 2,	/* no content, no end tag */
	T_ATOM = 1 << 3,	/* compared and shown whole */
	T_PRE = 1 << 4,		/* whitespace counts */
	T_RAW = 1 << 5,		/* content is text up to its end tag */
	T_HEAD = 1 << 6,	/* h1-h6 */
	F_WS = 1 << 7,		/* text, only ASCII whitespace */
	F_INPRE = 1 << 8,	/* inside <pre> */
	F_SC = 1 << 9,		/* written as <x/>: no content */
	F_HASBLOCK = 1 << 10	/* has a T_BLOCK child */
};

static const struct tagclass {
	const char	*name;
	unsigned	 flags;
} tagclasses[] = {	/* sorted, for bsearch */
	{ "address", T_BLOCK }, { "area", T_VOID },
	{ "article", T_BLOCK }, { "aside", T_BLOCK }, { "audio", T_ATOM },
	{ "base", T_VOID }, { "blockquote", T_BLOCK }, { "body", T_BLOCK },
	{ "br", T_VOID }, { "canvas", T_ATOM }, { "caption", T_BLOCK },
	{ "col", T_VOID }, { "colgroup", T_BLOCK | T_STRICT },
	{ "dd", T_BLOCK }, { "details", T_BLOCK }, { "dialog", T_BLOCK },
	{ "div", T_BLOCK }, { "dl", T_BLOCK | T_STRICT }, { "dt", T_BLOCK },
	{ "embed", T_VOID | T_ATOM }, { "fieldset", T_BLOCK },
	{ "figcaption", T_BLOCK }, { "figure", T_BLOCK },
	{ "footer", T_BLOCK }, { "form", T_BLOCK },
	{ "h1", T_BLOCK | T_HEAD }, { "h2", T_BLOCK | T_HEAD },
	{ "h3", T_BLOCK | T_HEAD }, { "h4", T_BLOCK | T_HEAD },
	{ "h5", T_BLOCK | T_HEAD }, { "h6", T_BLOCK | T_HEAD },
	{ "head", T_BLOCK }, { "header", T_BLOCK }, { "hgroup", T_BLOCK },
	{ "hr", T_BLOCK | T_VOID }, { "html", T_BLOCK },
	{ "iframe", T_ATOM | T_RAW }, { "img", T_VOID | T_ATOM },
	{ "input", T_VOID | T_ATOM }, { "legend", T_BLOCK },
	{ "li", T_BLOCK }, { "link", T_VOID }, { "main", T_BLOCK },
	{ "math", T_ATOM }, { "menu", T_BLOCK | T_STRICT },
	{ "meta", T_VOID }, { "nav", T_BLOCK }, { "object", T_ATOM },
	{ "ol", T_BLOCK | T_STRICT }, { "p", T_BLOCK }, { "param", T_VOID },
	{ "picture", T_ATOM }, { "pre", T_BLOCK | T_PRE },
	{ "script", T_ATOM | T_RAW }, { "search", T_BLOCK },
	{ "section", T_BLOCK }, { "select", T_ATOM }, { "source", T_VOID },
	{ "style", T_ATOM | T_RAW }, { "summary", T_BLOCK },
	{ "svg", T_ATOM }, { "table", T_BLOCK | T_STRICT },
	{ "tbody", T_BLOCK | T_STRICT }, { "td", T_BLOCK },
	{ "template", T_ATOM }, { "textarea", T_ATOM | T_RAW },
	{ "tfoot", T_BLOCK | T_STRICT }, { "th", T_BLOCK },
	{ "thead", T_BLOCK | T_STRICT }, { "tr", T_BLOCK | T_STRICT },
	{ "track", T_VOID }, { "ul", T_BLOCK | T_STRICT },
	{ "video", T_ATOM }, { "wbr", T_VOID },
};

/*
 * Attributes that name or point to ids. Their values are ignored when
 * comparing (chart-L18 becomes chart-L20 when a line is added above the
 * chart) and never copied from the old version, whose ids the new one
 * may also have.
 */
static const char *const idattrs[] = {
	"id", "for", "headers", "aria-labelledby", "aria-describedby",
	"aria-controls", "aria-owns", "aria-details", "aria-errormessage",
	"aria-flowto", "aria-activedescendant",
};

enum { N_ROOT, N_ELEM, N_TEXT };

struct node {
	size_t		 off;		/* in the document: open tag, or text */
	size_t		 len;
	size_t		 nlen;		/* of the name, after the '<' */
	size_t		 first;		/* child, or NONE */
	size_t		 next;		/* sibling, or NONE */
	uint64_t	 hash;		/* of the subtree, normalised */
	unsigned	 flags;
	int		 type;
};

struct doc {
	const char	*s;
	size_t		 n;
	struct node	*v;		/* v[0] is the root */
	size_t		 len;
	size_t		 cap;
};

enum { IT_RUN, IT_BLOCK };

/* An item of a block's content: a block element, or a run of inline. */
struct item {
	int		 type;
	size_t		 first;		/* the element; a run's first node */
	size_t		 last;		/* a run's last node */
	uint64_t	 hash;
	int		 sketched;
	uint64_t	*sk;		/* word hashes, sorted, unique */
	size_t		 nsk;
	size_t		 words;		/* counted up to SKETCH_NODES nodes */
};

enum { K_WORD, K_WS, K_ATOM, K_OPEN, K_CLOSE, K_VOID };

/* A token of a run: a word, whitespace, an atom or a tag. */
struct tok {
	int		 kind;
	size_t		 off;		/* text: its bytes in the document */
	size_t		 len;
	size_t		 node;
	uint64_t	 hash;
	int		 pre;		/* whitespace that counts */
};

struct tokv {
	struct tok	*v;
	size_t		 len;
	size_t		 cap;
};

enum { M_NONE, M_INS, M_DEL };
enum { OLD, NEW };
/* How an element is written: as it is, without ids, with ids renamed. */
enum { W_RAW, W_STRIP, W_RENAME };

struct ctx {
	const struct doc	*o;	/* borrowed, like the rest */
	const struct doc	*n;
	const struct diff_labels *l;
	struct buf		*out;
	struct diff_stats	*st;
	struct arena		 a;	/* items and sketches: owned */
	size_t			 budget;	/* steps left */
	int			 mark;	/* the <ins>/<del> open now */
	struct tokv		 ot;	/* scratch for runs: owned */
	struct tokv		 nt;
	uint64_t		 sk[SKETCH];	/* scratch for a sketch */
};

/* Pairing of a region: 'P' old and new, 'D' old only, 'I' new only. */
struct pop {
	char		 op;
	size_t		 i;
	size_t		 j;
};

static int
isws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
isalpha_(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Returns 1 if s[0..n) is word in any case. */
static int
eqi(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || lower(s[i]) != word[i])
			return 0;
	return word[n] == '\0';
}

/* Returns 1 if the names a[0..n) and b[0..m) are the same in any case. */
static int
same_name(const char *a, size_t n, const char *b, size_t m)
{
	size_t i;

	if (n != m)
		return 0;
	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

static uint64_t
fnv(uint64_t h, const char *s, size_t n, int fold)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)(fold ? lower(s[i]) : s[i]);
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Order matters: mix(mix(h, a), b) != mix(mix(h, b), a). */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

#define SEED_TEXT	0x84222325cbf29ce4ULL
#define SEED_ELEM	0xcbf29ce484222325ULL
#define SEED_RUN	0x3c6ef372fe94f82bULL
#define SEED_WORD	0xa54ff53a5f1d36f1ULL
#define SEED_WS		0x510e527fade682d1ULL
#define HASH_WS		0x9b05688c2b3e6c1fULL

static int
tagclass_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tagclass *)elem)->name);
}

static unsigned
tag_flags(const char *name, size_t n)
{
	const struct tagclass *t;
	char low[16];
	size_t i;

	if (n >= sizeof(low))
		return 0;
	for (i = 0; i < n; i++)
		low[i] = lower(name[i]);
	low[n] = '\0';
	t = bsearch(low, tagclasses, sizeof(tagclasses) /
	    sizeof(tagclasses[0]), sizeof(tagclasses[0]), tagclass_cmp);
	return t ? t->flags : 0;
}

static int
is_idattr(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(idattrs) / sizeof(idattrs[0]); i++)
		if (eqi(name, n, idattrs[i]))
			return 1;
	return 0;
}

static int
is_href(const char *name, size_t n)
{
	return eqi(name, n, "href") || eqi(name, n, "xlink:href");
}

/*
 * Words and whitespace. A no-break space separates words too ("70 000"
 * has two), but is whitespace that differs from a plain space.
 */
static size_t
hardspace(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (n >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)
		return 3;
	if (n >= 6 && memcmp(s, "&nbsp;", 6) == 0)
		return 6;
	return 0;
}

/*
 * The kind and length of the token at s[0..n), n > 0. In <pre> a line
 * break ends whitespace, so that an indent that changed is all that is
 * marked.
 */
static int
text_tok(const char *s, size_t n, int pre, size_t *len)
{
	size_t i = 0;

	if (isws(s[0])) {
		while (i < n && isws(s[i]) && !(pre && i > 0 &&
		    s[i - 1] == '\n'))
			i++;
		*len = i;
		return K_WS;
	}
	if ((i = hardspace(s, n)) > 0) {
		*len = i;
		return K_WS;
	}
	/* Whole UTF-8 sequences: none of their bytes is ASCII. */
	while (i < n && !isws(s[i]) && hardspace(s + i, n - i) == 0)
		i++;
	*len = i;
	return K_WORD;
}

/* Any run of spaces is a space, except in <pre>. */
static uint64_t
tok_hash(int kind, const char *s, size_t n, int pre)
{
	if (kind == K_WORD)
		return fnv(SEED_WORD, s, n, 0);
	if (!pre && isws(s[0]))
		return HASH_WS;
	return fnv(SEED_WS, s, n, 0);
}

/* An attribute of a tag: offsets in the tag's bytes. */
struct attr {
	size_t	 name;
	size_t	 nlen;
	size_t	 val;
	size_t	 vlen;
	size_t	 end;
};

/*
 * Reads the attribute at s[*i] of a tag s[0..n). Returns 1 with *a, 0 at
 * the tag's '>' (then at s[*i]), or -1 if the input ends first.
 */
static int
next_attr(const char *s, size_t n, size_t *i, struct attr *a)
{
	size_t k = *i, j;
	const char *e;

	while (k < n && (isws(s[k]) || s[k] == '/'))
		k++;
	if (k >= n)
		return -1;
	if (s[k] == '>') {
		*i = k;
		return 0;
	}
	a->name = k++;	/* the first character may be anything, even '=' */
	while (k < n && !isws(s[k]) && s[k] != '/' && s[k] != '>' &&
	    s[k] != '=')
		k++;
	a->nlen = k - a->name;
	a->val = k;
	a->vlen = 0;
	for (j = k; j < n && isws(s[j]); j++)
		;
	if (j < n && s[j] == '=') {
		for (j++; j < n && isws(s[j]); j++)
			;
		if (j >= n)
			return -1;
		if (s[j] == '"' || s[j] == '\'') {
			if ((e = memchr(s + j + 1, s[j], n - j - 1)) == NULL)
				return -1;
			a->val = j + 1;
			a->vlen = (size_t)(e - s) - a->val;
			k = (size_t)(e - s) + 1;
		} else {
			a->val = j;
			while (j < n && !isws(s[j]) && s[j] != '>')
				j++;
			a->vlen = j - a->val;
			k = j;
		}
	}
	a->end = k;
	*i = k;
	return 1;
}

/* Hashes a value with the ids of url(#id) left out. */
static uint64_t
value_hash(uint64_t h, const char *v, size_t n)
{
	size_t i = 0, t = 0;

	while (i + 5 <= n) {
		if (memcmp(v + i, "url(#", 5) != 0) {
			i++;
			continue;
		}
		h = fnv(h, v + t, i + 5 - t, 0);
		for (i += 5; i < n && v[i] != ')'; i++)
			;
		t = i;
	}
	return fnv(h, v + t, n - t, 0);
}

/* The hash of an open tag: its name and attributes, without ids. */
static uint64_t
tag_hash(const char *s, size_t n, size_t nlen)
{
	uint64_t h = fnv(SEED_ELEM, s + 1, nlen, 1);
	struct attr a;
	size_t p = 1 + nlen;

	while (next_attr(s, n, &p, &a) == 1) {
		h = fnv(mix(h, 1), s + a.name, a.nlen, 1);
		if (is_idattr(s + a.name, a.nlen) || (is_href(s + a.name,
		    a.nlen) && a.vlen > 0 && s[a.val] == '#'))
			h = mix(h, 2);
		else
			h = value_hash(mix(h, 3), s + a.val, a.vlen);
	}
	return h;
}

/* Parsing. */

static size_t
add_node(struct doc *d, int type, size_t off, size_t len)
{
	struct node *e;

	d->v = xgrow(d->v, &d->cap, d->len + 1, sizeof(*d->v));
	e = &d->v[d->len];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->off = off;
	e->len = len;
	e->first = e->next = NONE;
	return d->len++;
}

struct open {
	size_t	 node;
	size_t	 last;		/* its last child so far */
};

struct parser {
	struct doc	*d;
	struct open	 st[MAX_DEPTH + 1];
	size_t		 depth;		/* st[0] is the root */
	size_t		 dropped;	/* open tags past MAX_DEPTH */
	size_t		 pre;		/* <pre> open */
};

static void
append(struct parser *p, size_t c)
{
	struct open *top = &p->st[p->depth];

	if (top->last == NONE)
		p->d->v[top->node].first = c;
	else
		p->d->v[top->last].next = c;
	top->last = c;
	if (p->d->v[c].flags & T_BLOCK)
		p->d->v[top->node].flags |= F_HASBLOCK;
	if (p->pre)
		p->d->v[c].flags |= F_INPRE;
}

static void
add_text(struct parser *p, size_t off, size_t len)
{
	const char *s = p->d->s + off;
	size_t i, c;

	if (len == 0)
		return;
	c = add_node(p->d, N_TEXT, off, len);
	for (i = 0; i < len && isws(s[i]); i++)
		;
	if (i == len)
		p->d->v[c].flags |= F_WS;
	append(p, c);
}

/* Where the end tag of raw text element name starts, from s[i]; or n. */
static size_t
raw_end(const char *s, size_t n, size_t i, const char *name, size_t nlen)
{
	size_t k;
	const char *e;

	while ((e = memchr(s + i, '<', n - i)) != NULL) {
		i = (size_t)(e - s);
		if (i + 2 + nlen <= n && s[i + 1] == '/') {
			for (k = 0; k < nlen && lower(s[i + 2 + k]) ==
			    lower(name[k]); k++)
				;
			if (k == nlen && (i + 2 + nlen == n ||
			    isws(s[i + 2 + nlen]) || s[i + 2 + nlen] == '>' ||
			    s[i + 2 + nlen] == '/'))
				return i;
		}
		i++;
	}
	return n;
}

static size_t
name_len(const char *s, size_t n, size_t i)
{
	size_t k = i;

	while (k < n && !isws(s[k]) && s[k] != '/' && s[k] != '>')
		k++;
	return k - i;
}

/* Adds an element; returns it if it is open now (has content), or NONE. */
static size_t
open_tag(struct parser *p, size_t off, size_t len, size_t nlen, int sc)
{
	struct doc *d = p->d;
	unsigned fl = tag_flags(d->s + off + 1, nlen);
	size_t c;

	if (!(fl & T_VOID) && !sc && p->depth >= MAX_DEPTH) {
		p->dropped++;
		return NONE;
	}
	c = add_node(d, N_ELEM, off, len);
	d->v[c].nlen = nlen;
	d->v[c].flags = fl | (sc ? F_SC : 0);
	append(p, c);
	if ((fl & T_VOID) || sc)
		return NONE;
	p->depth++;
	p->st[p->depth].node = c;
	p->st[p->depth].last = NONE;
	if (fl & T_PRE)
		p->pre++;
	return c;
}

static void
close_tag(struct parser *p, const char *name, size_t nlen)
{
	const struct node *e;
	size_t k;

	if (p->dropped > 0) {
		p->dropped--;
		return;
	}
	for (k = p->depth; k > 0; k--) {
		e = &p->d->v[p->st[k].node];
		if (same_name(p->d->s + e->off + 1, e->nlen, name, nlen))
			break;
	}
	if (k == 0)
		return;
	while (p->depth >= k) {
		if (p->d->v[p->st[p->depth].node].flags & T_PRE)
			p->pre--;
		p->depth--;
	}
}

/*
 * Where the comment whose text starts at s[i], after "<!--", ends: after
 * its "-->", or n. As for browsers, "<!-->" and "<!--->" are empty.
 */
static size_t
comment_end(const char *s, size_t n, size_t i)
{
	const char *e;

	while (i < n && (e = memchr(s + i, '>', n - i)) != NULL) {
		i = (size_t)(e - s) + 1;
		if (e[-1] == '-' && e[-2] == '-')
			return i;
	}
	return n;
}

/*
 * Reads d->s into nodes. Linear: every scan that fails to find its end
 * runs to the end of the input and takes all of it, as a browser's
 * tokenizer does at the end of the file inside a tag or comment.
 */
static void
parse(struct doc *d)
{
	struct parser p;
	const char *s = d->s, *e;
	size_t n = d->n, i = 0, t = 0, q, k, nlen;
	struct attr a;
	int r;

	memset(&p, 0, sizeof(p));
	p.d = d;
	p.st[0].node = add_node(d, N_ROOT, 0, 0);
	p.st[0].last = NONE;
	while (i < n) {
		if ((e = memchr(s + i, '<', n - i)) == NULL)
			break;
		i = (size_t)(e - s);
		if (i + 1 >= n)
			break;
		if (s[i + 1] == '!' || s[i + 1] == '?') {
			/* A comment, doctype or <?...>: dropped. */
			add_text(&p, t, i - t);
			if (s[i + 1] == '!' && i + 3 < n && s[i + 2] == '-' &&
			    s[i + 3] == '-')
				i = comment_end(s, n, i + 4);
			else if ((e = memchr(s + i, '>', n - i)) != NULL)
				i = (size_t)(e - s) + 1;
			else
				i = n;
			t = i;
			continue;
		}
		if (s[i + 1] == '/' && i + 2 < n && isalpha_(s[i + 2])) {
			if ((e = memchr(s + i, '>', n - i)) == NULL)
				break;	/* the rest is text */
			add_text(&p, t, i - t);
			close_tag(&p, s + i + 2, name_len(s, n, i + 2));
			i = t = (size_t)(e - s) + 1;
			continue;
		}
		if (!isalpha_(s[i + 1])) {
			i++;
			continue;
		}
		nlen = name_len(s, n, i + 1);
		q = i + 1 + nlen;
		while ((r = next_attr(s, n, &q, &a)) == 1)
			;
		if (r == -1)
			break;	/* the rest is text */
		add_text(&p, t, i - t);
		k = open_tag(&p, i, q + 1 - i, nlen, s[q - 1] == '/');
		i = t = q + 1;
		if (k != NONE && (d->v[k].flags & T_RAW)) {
			q = raw_end(s, n, i, s + d->v[k].off + 1, nlen);
			add_text(&p, i, q - i);
			i = t = q;
		}
	}
	add_text(&p, t, n - t);
}

/* Hashes every subtree, children (which come later) first. */
static void
hash_doc(struct doc *d)
{
	struct node *e;
	const char *s;
	size_t i, k, p, len;
	uint64_t h;
	int kind, skipws;

	for (i = d->len; i-- > 0;) {
		e = &d->v[i];
		s = d->s + e->off;
		if (e->type == N_TEXT) {
			h = SEED_TEXT;
			for (p = 0; p < e->len; p += len) {
				kind = text_tok(s + p, e->len - p,
				    e->flags & F_INPRE, &len);
				h = mix(h, tok_hash(kind, s + p, len,
				    e->flags & F_INPRE));
			}
			e->hash = h;
			continue;
		}
		h = e->type == N_ROOT ? SEED_ELEM : tag_hash(s, e->len,
		    e->nlen);
		/* Whitespace between blocks is not content. */
		skipws = e->type == N_ROOT || ((e->flags & F_HASBLOCK) &&
		    !(e->flags & (T_PRE | F_INPRE)));
		for (k = e->first; k != NONE; k = d->v[k].next)
			if (!skipws || !(d->v[k].flags & F_WS))
				h = mix(h, d->v[k].hash);
		e->hash = mix(h, 4);
	}
}

/* Writing. */

/* Text as it is, but never a '<' or a NUL byte: the input may have them. */
static void
put_safe(struct buf *b, const char *s, size_t n)
{
	size_t i, t = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '<' && s[i] != '\0')
			continue;
		buf_put(b, s + t, i - t);
		buf_puts(b, s[i] == '<' ? "&lt;" : "\xef\xbf\xbd");
		t = i + 1;
	}
	buf_put(b, s + t, n - t);
}

/* A value in double quotes, as put_safe but for the quote too. */
static void
put_value(struct buf *b, const char *s, size_t n)
{
	size_t i, t = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '"')
			continue;
		put_safe(b, s + t, i - t);
		buf_puts(b, "&quot;");
		t = i + 1;
	}
	put_safe(b, s + t, n - t);
}

/*
 * An element's name. The input's own <ins> and <del> (strikethrough is
 * <del>) become <u> and <s>: they look the same but are not the changes.
 */
static void
put_name(struct buf *b, const char *s, size_t n)
{
	if (eqi(s, n, "ins"))
		buf_putc(b, 'u');
	else if (eqi(s, n, "del"))
		buf_putc(b, 's');
	else
		put_safe(b, s, n);
}

/* An id-naming value with every id in it renamed. */
static void
put_renamed(struct buf *b, const char *name, size_t nlen, const char *v,
    size_t vlen, int list)
{
	size_t i = 0, t = 0;

	buf_putc(b, ' ');
	put_safe(b, name, nlen);
	buf_puts(b, "=\"");
	if (list) {
		/* id, aria-labelledby="a b": every word is an id. */
		while (i < vlen) {
			if (isws(v[i]) || (i > 0 && !isws(v[i - 1]))) {
				i++;
				continue;
			}
			put_value(b, v + t, i - t);
			buf_puts(b, OLD_PREFIX);
			t = i++;
		}
	} else if (vlen > 0 && v[0] == '#') {
		buf_putc(b, '#');
		buf_puts(b, OLD_PREFIX);
		t = i = 1;
	} else {
		while (i + 5 <= vlen) {
			if (memcmp(v + i, "url(#", 5) != 0) {
				i++;
				continue;
			}
			put_value(b, v + t, i + 5 - t);
			buf_puts(b, OLD_PREFIX);
			t = i += 5;
		}
	}
	put_value(b, v + t, vlen - t);
	buf_putc(b, '"');
}

static int
has_ref(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i + 5 <= n; i++)
		if (memcmp(v + i, "url(#", 5) == 0)
			return 1;
	return 0;
}

/*
 * An open tag. From the old version, W_STRIP leaves out what names ids;
 * W_RENAME, for atoms such as charts whose parts point to each other
 * (fill="url(#chart-L18-p0)"), prefixes every id and reference instead,
 * so that the old chart still draws and still has its title.
 */
static void
put_open(struct ctx *c, const struct doc *d, size_t i, int mode)
{
	const struct node *e = &d->v[i];
	const char *s = d->s + e->off, *v;
	struct buf *b = c->out;
	struct attr a;
	size_t p = 1 + e->nlen;

	buf_putc(b, '<');
	put_name(b, s + 1, e->nlen);
	if (mode == W_RAW) {
		put_safe(b, s + p, e->len - p);
		return;
	}
	while (next_attr(s, e->len, &p, &a) == 1) {
		v = s + a.val;
		if (is_idattr(s + a.name, a.nlen)) {
			if (mode == W_RENAME)
				put_renamed(b, s + a.name, a.nlen, v, a.vlen,
				    1);
			continue;
		}
		if (mode == W_RENAME && ((is_href(s + a.name, a.nlen) &&
		    a.vlen > 0 && v[0] == '#') || has_ref(v, a.vlen))) {
			put_renamed(b, s + a.name, a.nlen, v, a.vlen, 0);
			continue;
		}
		buf_putc(b, ' ');
		put_safe(b, s + a.name, a.end - a.name);
	}
	if (e->flags & F_SC)
		buf_putc(b, '/');
	buf_putc(b, '>');
}

static void
put_close(struct ctx *c, const struct doc *d, size_t i)
{
	const struct node *e = &d->v[i];

	buf_puts(c->out, "</");
	put_name(c->out, d->s + e->off + 1, e->nlen);
	buf_putc(c->out, '>');
}

/* A subtree as it is (or without its ids), balanced. */
static void
put_tree(struct ctx *c, const struct doc *d, size_t i, int mode)
{
	const struct node *e = &d->v[i];
	size_t k;

	if (e->type == N_TEXT) {
		put_safe(c->out, d->s + e->off, e->len);
		return;
	}
	put_open(c, d, i, mode);
	if (e->flags & (T_VOID | F_SC))
		return;
	for (k = e->first; k != NONE; k = d->v[k].next)
		put_tree(c, d, k, mode);
	put_close(c, d, i);
}

static void
put_label(struct ctx *c, const char *s)
{
	if (s == NULL)
		s = "";
	buf_puts(c->out, "<span class=\"visually-hidden\">");
	buf_put_html(c->out, s, strlen(s));
	buf_puts(c->out, "</span>");
}

/* Closes the <ins> or <del> open, if any, and opens m, if any. */
static void
set_mark(struct ctx *c, int m)
{
	if (c->mark == m)
		return;
	if (c->mark == M_INS) {
		put_label(c, c->l ? c->l->ins_end : NULL);
		buf_puts(c->out, "</ins>");
	} else if (c->mark == M_DEL) {
		put_label(c, c->l ? c->l->del_end : NULL);
		buf_puts(c->out, "</del>");
	}
	if (m == M_INS) {
		buf_puts(c->out, "<ins>");
		put_label(c, c->l ? c->l->ins_start : NULL);
	} else if (m == M_DEL) {
		buf_puts(c->out, "<del>");
		put_label(c, c->l ? c->l->del_start : NULL);
	}
	c->mark = m;
}

/*
 * A token of a run, inside mark. Tags close the mark first, so that it
 * never spans one. Whitespace opens no mark of its own (the words around
 * it do) except in <pre>, where it is what changed.
 */
static void
put_tok(struct ctx *c, const struct doc *d, const struct tok *t, int mark,
    int side)
{
	switch (t->kind) {
	case K_WS:
		if (c->mark != mark && !t->pre)
			mark = M_NONE;
		set_mark(c, mark);
		put_safe(c->out, d->s + t->off, t->len);
		return;
	case K_WORD:
	case K_ATOM:
		set_mark(c, mark);
		if (t->kind == K_WORD)
			put_safe(c->out, d->s + t->off, t->len);
		else
			put_tree(c, d, t->node, side == OLD ? W_RENAME :
			    W_RAW);
		if (mark == M_INS)
			c->st->words_inserted++;
		else if (mark == M_DEL)
			c->st->words_deleted++;
		return;
	case K_OPEN:
	case K_VOID:
		set_mark(c, M_NONE);
		put_open(c, d, t->node, side == OLD ? W_STRIP : W_RAW);
		return;
	default:
		set_mark(c, M_NONE);
		put_close(c, d, t->node);
		return;
	}
}

/* Runs as tokens. */

static void
push_tok(struct tokv *tv, int kind, size_t off, size_t len, size_t node,
    uint64_t hash, int pre)
{
	struct tok *t;

	tv->v = xgrow(tv->v, &tv->cap, tv->len + 1, sizeof(*tv->v));
	t = &tv->v[tv->len++];
	t->kind = kind;
	t->off = off;
	t->len = len;
	t->node = node;
	t->hash = hash;
	t->pre = pre;
}

/* <a class="anchor" href="#id">#</a> after a heading's text. */
static int
is_anchor(const struct doc *d, const struct node *e)
{
	const char *s = d->s + e->off, *v;
	struct attr a;
	size_t p = 1 + e->nlen, i;

	if (!eqi(s + 1, e->nlen, "a"))
		return 0;
	while (next_attr(s, e->len, &p, &a) == 1) {
		if (!eqi(s + a.name, a.nlen, "class"))
			continue;
		v = s + a.val;
		for (i = 0; i + 6 <= a.vlen; i++)
			if (memcmp(v + i, "anchor", 6) == 0 &&
			    (i == 0 || isws(v[i - 1])) &&
			    (i + 6 == a.vlen || isws(v[i + 6])))
				return 1;
	}
	return 0;
}

static void
flatten(struct tokv *tv, const struct doc *d, size_t i, int noanchor)
{
	const struct node *e = &d->v[i];
	const char *s = d->s + e->off;
	size_t p, len, k;
	int kind, pre = (e->flags & F_INPRE) != 0;

	if (e->type == N_TEXT) {
		for (p = 0; p < e->len; p += len) {
			kind = text_tok(s + p, e->len - p, pre, &len);
			push_tok(tv, kind, e->off + p, len, i,
			    tok_hash(kind, s + p, len, pre), pre);
		}
		return;
	}
	if (e->flags & T_ATOM) {
		push_tok(tv, K_ATOM, 0, 0, i, e->hash, 0);
		return;
	}
	if (e->flags & (T_VOID | F_SC)) {
		push_tok(tv, K_VOID, 0, 0, i, 0, 0);
		return;
	}
	if (noanchor && is_anchor(d, e))
		return;
	push_tok(tv, K_OPEN, 0, 0, i, 0, 0);
	for (k = e->first; k != NONE; k = d->v[k].next)
		flatten(tv, d, k, noanchor);
	push_tok(tv, K_CLOSE, 0, 0, i, 0, 0);
}

static void
flatten_run(struct tokv *tv, const struct doc *d, const struct item *it,
    int noanchor)
{
	size_t k;

	tv->len = 0;
	for (k = it->first;; k = d->v[k].next) {
		flatten(tv, d, k, noanchor);
		if (k == it->last)
			break;
	}
}

/* Sequences. */

/*
 * Myers' O(ND) difference of a[0..n) and b[0..m). Returns 0 with *ops,
 * n + m or fewer of 'E' (equal), 'D' (a's only) and 'I' (b's only),
 * which the caller frees, and *nops; or -1 if they differ in more than
 * MAX_D places or the work would pass the budget left.
 */
static int
myers(struct ctx *c, const uint64_t *a, size_t n, const uint64_t *b,
    size_t m, char **opsp, size_t *nops)
{
	size_t pre = 0, suf = 0, work, cap = 0, total, pos, i;
	int32_t *v = NULL, *trace = NULL, *r;
	long d, k, x, y, max, off, pk, px, py, found = -1;
	char *ops;

	while (pre < n && pre < m && a[pre] == b[pre])
		pre++;
	while (suf < n - pre && suf < m - pre &&
	    a[n - 1 - suf] == b[m - 1 - suf])
		suf++;
	work = pre + suf;
	if (work > c->budget || n > INT32_MAX / 2 || m > INT32_MAX / 2)
		return -1;
	a += pre;
	b += pre;
	n -= pre + suf;
	m -= pre + suf;
	max = (long)(n + m < MAX_D ? n + m : MAX_D);
	off = max + 1;
	v = xcalloc((size_t)(2 * max + 3), sizeof(*v));
	for (d = 0; d <= max && found < 0 && work <= c->budget; d++) {
		for (k = -d; k <= d && work <= c->budget; k += 2) {
			if (k == -d || (k != d && v[off + k - 1] <
			    v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			y = x - k;
			while (x < (long)n && y < (long)m && a[x] == b[y]) {
				x++;
				y++;
			}
			work += (size_t)(x - v[off + k]) + 1;
			v[off + k] = (int32_t)x;
			if (x >= (long)n && y >= (long)m) {
				found = d;
				break;
			}
		}
		if (found >= 0 || work > c->budget)
			break;
		/* Round d is kept for the way back: 2d + 1 values from d². */
		trace = xgrow(trace, &cap, (size_t)((d + 1) * (d + 1)),
		    sizeof(*trace));
		memcpy(trace + d * d, v + off - d, (size_t)(2 * d + 1) *
		    sizeof(*v));
	}
	free(v);
	c->budget -= work < c->budget ? work : c->budget;
	if (found < 0) {
		free(trace);
		return -1;
	}

	total = pre + suf + n + m;
	ops = xmalloc(total + 1);
	pos = pre + n + m;
	x = (long)n;
	y = (long)m;
	for (d = found; d > 0; d--) {
		k = x - y;
		r = trace + (d - 1) * (d - 1) + (d - 1);	/* r[k] */
		if (k == -d || (k != d && r[k - 1] < r[k + 1]))
			pk = k + 1;
		else
			pk = k - 1;
		px = r[pk];
		py = px - pk;
		while (x > px && y > py) {
			ops[--pos] = 'E';
			x--;
			y--;
		}
		if (x == px) {
			ops[--pos] = 'I';
			y--;
		} else {
			ops[--pos] = 'D';
			x--;
		}
	}
	while (x > 0 && y > 0) {
		ops[--pos] = 'E';
		x--;
		y--;
	}
	free(trace);
	/* The ops of the middle are at [pos, pre + n + m): move them. */
	memset(ops, 'E', pre);
	memmove(ops + pre, ops + pos, pre + n + m - pos);
	i = pre + (pre + n + m - pos);
	memset(ops + i, 'E', suf);
	*nops = i + suf;
	*opsp = ops;
	return 0;
}

/* Items. */

static int
is_leaf(const struct node *e)
{
	return e->type != N_ROOT && (!(e->flags & F_HASBLOCK) ||
	    (e->flags & T_PRE));
}

/* Adds the run first..last, unless it is only whitespace between blocks. */
static void
add_run(const struct doc *d, struct item *v, size_t *n, size_t first,
    size_t last)
{
	size_t k;
	uint64_t h = SEED_RUN;
	int empty = 1;

	for (k = first;; k = d->v[k].next) {
		if ((d->v[k].flags & (F_WS | F_INPRE)) != F_WS)
			empty = 0;
		h = mix(h, d->v[k].hash);
		if (k == last)
			break;
	}
	if (empty)
		return;
	memset(&v[*n], 0, sizeof(v[*n]));
	v[*n].type = IT_RUN;
	v[*n].first = first;
	v[*n].last = last;
	v[*n].hash = h;
	(*n)++;
}

/* The items of element (or root) e's content, in the arena; *np of them. */
static struct item *
items(struct ctx *c, const struct doc *d, size_t e, size_t *np)
{
	const struct node *x = &d->v[e];
	struct item *v;
	size_t k, count = 0, n = 0, first = NONE, last = NONE;

	*np = 0;
	for (k = x->first; k != NONE; k = d->v[k].next)
		count++;
	/* Never NULL, which callers would offset (undefined, even by 0). */
	v = arena_calloc(&c->a, count ? count : 1, sizeof(*v));
	if (count == 0 || (x->flags & (T_VOID | F_SC | T_ATOM)))
		return v;
	if (is_leaf(x)) {
		for (k = x->first; k != NONE; k = d->v[k].next)
			last = k;
		add_run(d, v, &n, x->first, last);
		*np = n;
		return v;
	}
	for (k = x->first; k != NONE; k = d->v[k].next) {
		if (!(d->v[k].flags & T_BLOCK)) {
			if (first == NONE)
				first = k;
			last = k;
			continue;
		}
		if (first != NONE)
			add_run(d, v, &n, first, last);
		first = NONE;
		memset(&v[n], 0, sizeof(v[n]));
		v[n].type = IT_BLOCK;
		v[n].first = v[n].last = k;
		v[n].hash = d->v[k].hash;
		n++;
	}
	if (first != NONE)
		add_run(d, v, &n, first, last);
	*np = n;
	return v;
}

static void
sketch_node(struct ctx *c, const struct doc *d, size_t i, struct item *it,
    size_t *visits)
{
	const struct node *e = &d->v[i];
	const char *s = d->s + e->off;
	size_t p, len, k;

	if (++*visits > SKETCH_NODES)
		return;
	if (e->type == N_TEXT) {
		for (p = 0; p < e->len; p += len)
			if (text_tok(s + p, e->len - p, 0, &len) == K_WORD) {
				it->words++;
				if (it->nsk < SKETCH)
					c->sk[it->nsk++] = fnv(SEED_WORD,
					    s + p, len, 0);
			}
		return;
	}
	for (k = e->first; k != NONE; k = d->v[k].next)
		sketch_node(c, d, k, it, visits);
}

static int
u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The words of an item, for how alike two are: some, sorted, unique. */
static void
sketch(struct ctx *c, const struct doc *d, struct item *it)
{
	size_t k, visits = 0, i, n = 0;

	if (it->sketched)
		return;
	it->sketched = 1;
	for (k = it->first;; k = d->v[k].next) {
		sketch_node(c, d, k, it, &visits);
		if (k == it->last)
			break;
	}
	qsort(c->sk, it->nsk, sizeof(*c->sk), u64cmp);
	for (i = 0; i < it->nsk; i++)
		if (n == 0 || c->sk[i] != c->sk[n - 1])
			c->sk[n++] = c->sk[i];
	it->nsk = n;
	/* Only what is used: a region may have a great many items. */
	it->sk = arena_alloc(&c->a, (n ? n : 1) * sizeof(*it->sk));
	memcpy(it->sk, c->sk, n * sizeof(*it->sk));
	c->budget -= visits < c->budget ? visits : c->budget;
}

/* How alike two items' words are, 0 to 1000 (Dice's coefficient). */
static int
similarity(struct ctx *c, struct item *x, struct item *y)
{
	size_t i = 0, j = 0, common = 0;

	sketch(c, c->o, x);
	sketch(c, c->n, y);
	if (x->nsk + y->nsk == 0)
		return 1000;
	while (i < x->nsk && j < y->nsk) {
		if (x->sk[i] == y->sk[j]) {
			common++;
			i++;
			j++;
		} else if (x->sk[i] < y->sk[j])
			i++;
		else
			j++;
	}
	c->budget -= i + j < c->budget ? i + j : c->budget;
	return (int)(2000 * common / (x->nsk + y->nsk));
}

/*
 * Whether old item x and new item y are one block changed, and how much
 * alike they are (1 to 1001), or -1. Only the same kind pairs up: runs
 * with runs, a <p> with a <p>. Blocks of blocks (lists, tables, rows)
 * always can, to be compared inside; leaf blocks when their words are
 * alike or few.
 */
static int
pair_score(struct ctx *c, struct item *x, struct item *y)
{
	const struct node *ex, *ey;
	int sim;

	if (x->type != y->type)
		return -1;
	if (x->type == IT_RUN)
		return 1 + similarity(c, x, y);
	ex = &c->o->v[x->first];
	ey = &c->n->v[y->first];
	if (!same_name(c->o->s + ex->off + 1, ex->nlen, c->n->s + ey->off + 1,
	    ey->nlen))
		return -1;
	if ((ex->flags | ey->flags) & (T_VOID | F_SC))
		return 1;
	sim = similarity(c, x, y);
	if (is_leaf(ex) && is_leaf(ey) && sim < MIN_SIM &&
	    (x->words > SHORT_WORDS || y->words > SHORT_WORDS))
		return -1;
	return 1 + sim;
}

/*
 * Pairs the old items a[0..p) with the new b[0..q), in order, for the
 * most likeness in all; writes the pairing to out (p + q entries at most)
 * and returns its length. Past PAIR_CELLS, or when the budget is spent,
 * pairs them by position instead.
 */
static size_t
pair_region(struct ctx *c, struct item *a, size_t p, struct item *b,
    size_t q, struct pop *out)
{
	size_t i, j, n = 0, w = q + 1;
	int *score, *sc, s;
	struct pop t;

	if (p == 0 || q == 0 || p * q > PAIR_CELLS ||
	    c->budget < p * q * 2 * SKETCH) {
		for (i = 0; i < p || i < q; i++) {
			if (i < p && i < q && pair_score(c, &a[i], &b[i]) >= 0) {
				out[n].op = 'P';
				out[n].i = i;
				out[n++].j = i;
				continue;
			}
			if (i < p) {
				out[n].op = 'D';
				out[n++].i = i;
			}
			if (i < q) {
				out[n].op = 'I';
				out[n++].j = i;
			}
		}
		return n;
	}
	score = xcalloc((p + 1) * w, sizeof(*score));
	sc = xmalloc(p * q * sizeof(*sc));
	for (i = 1; i <= p; i++)
		for (j = 1; j <= q; j++) {
			s = sc[(i - 1) * q + j - 1] = pair_score(c, &a[i - 1],
			    &b[j - 1]);
			score[i * w + j] = score[(i - 1) * w + j];
			if (score[i * w + j - 1] > score[i * w + j])
				score[i * w + j] = score[i * w + j - 1];
			if (s >= 0 && score[(i - 1) * w + j - 1] + s >
			    score[i * w + j])
				score[i * w + j] = score[(i - 1) * w + j - 1] +
				    s;
		}
	for (i = p, j = q; i > 0 || j > 0;) {
		if (i > 0 && j > 0 && (s = sc[(i - 1) * q + j - 1]) >= 0 &&
		    score[i * w + j] == score[(i - 1) * w + j - 1] + s) {
			out[n].op = 'P';
			out[n].i = --i;
			out[n++].j = --j;
		} else if (i > 0 && score[i * w + j] == score[(i - 1) * w + j]) {
			out[n].op = 'D';
			out[n++].i = --i;
		} else {
			out[n].op = 'I';
			out[n++].j = --j;
		}
	}
	for (i = 0; i < n / 2; i++) {
		t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	free(score);
	free(sc);
	return n;
}

/* Emitting. */

static void diff_items(struct ctx *, struct item *, size_t, struct item *,
    size_t, unsigned);

/*
 * A line break where the source has one (node k is whitespace with a
 * line break): after a block, after the <ul> of a list. Whitespace
 * between blocks is not compared, but the output is read by people too.
 */
static void
put_break(struct ctx *c, const struct doc *d, size_t k)
{
	if (k != NONE && (d->v[k].flags & F_WS) &&
	    memchr(d->s + d->v[k].off, '\n', d->v[k].len) != NULL)
		buf_putc(c->out, '\n');
}

/* An item unchanged: the new one as it is. */
static void
emit_same(struct ctx *c, const struct item *it)
{
	size_t k;

	for (k = it->first;; k = c->n->v[k].next) {
		put_tree(c, c->n, k, W_RAW);
		if (k == it->last)
			break;
	}
	if (it->type == IT_BLOCK)
		put_break(c, c->n, c->n->v[it->first].next);
}

/*
 * An item only one side has, shown whole inside its own elements: an old
 * <li> stays an <li>, with its words in <del>. In a parent that holds
 * only elements (pflags has T_STRICT), stray text gets no mark: a new one
 * is written as it is, an old one left out. top: count it as a block.
 */
static void
emit_whole(struct ctx *c, int side, const struct item *it, unsigned pflags,
    int top)
{
	const struct doc *d = side == OLD ? c->o : c->n;
	int mark = side == OLD ? M_DEL : M_INS;
	const struct node *e;
	struct item *v;
	size_t i, n;

	if (it->type == IT_RUN) {
		if (pflags & T_STRICT) {
			if (side == NEW)
				emit_same(c, it);
			return;
		}
		/* A removed heading's anchor link would point nowhere. */
		flatten_run(&c->ot, d, it, side == OLD && (pflags & T_HEAD));
		for (i = 0; i < c->ot.len; i++)
			put_tok(c, d, &c->ot.v[i], mark, side);
		set_mark(c, M_NONE);
		return;
	}
	e = &d->v[it->first];
	if (top) {
		if (side == OLD)
			c->st->blocks_deleted++;
		else
			c->st->blocks_inserted++;
	}
	if (e->flags & (T_VOID | F_SC)) {	/* <hr> */
		if (!(pflags & T_STRICT)) {
			set_mark(c, mark);
			put_tree(c, d, it->first, side == OLD ? W_STRIP :
			    W_RAW);
			set_mark(c, M_NONE);
		} else if (side == NEW)
			put_tree(c, d, it->first, W_RAW);
		put_break(c, d, e->next);
		return;
	}
	put_open(c, d, it->first, side == OLD ? W_STRIP : W_RAW);
	if (!is_leaf(e))
		put_break(c, d, e->first);
	v = items(c, d, it->first, &n);
	for (i = 0; i < n; i++)
		emit_whole(c, side, &v[i], e->flags, 0);
	put_close(c, d, it->first);
	put_break(c, d, e->next);
}

/*
 * Two runs, word by word. Only the new version's tags are kept; removed
 * words go where they were among the new words, after the end tags and
 * before the start tags that come there, so no tag of the old version
 * is needed to keep the nesting.
 */
static void
word_diff(struct ctx *c, const struct item *x, const struct item *y)
{
	const struct doc *o = c->o, *n = c->n;
	struct tokv *ot = &c->ot, *nt = &c->nt;
	size_t *oi, *ni, no = 0, nn = 0, i, j, k, g, t, u, np = 0, nops;
	uint64_t *oh, *nh;
	char *ops;
	int ws;

	flatten_run(ot, o, x, 0);
	flatten_run(nt, n, y, 0);
	oi = xmalloc((ot->len + 1) * sizeof(*oi));
	ni = xmalloc((nt->len + 1) * sizeof(*ni));
	oh = xmalloc((ot->len + 1) * sizeof(*oh));
	nh = xmalloc((nt->len + 1) * sizeof(*nh));
	for (i = 0; i < ot->len; i++)
		if (ot->v[i].kind <= K_ATOM) {
			oh[no] = ot->v[i].hash;
			oi[no++] = i;
		}
	for (i = 0; i < nt->len; i++)
		if (nt->v[i].kind <= K_ATOM) {
			nh[nn] = nt->v[i].hash;
			ni[nn++] = i;
		}
	if (myers(c, oh, no, nh, nn, &ops, &nops) == -1) {
		/* Too different to say how: all of it went, all came. */
		ops = xmalloc(no + nn + 1);
		memset(ops, 'D', no);
		memset(ops + no, 'I', nn);
		nops = no + nn;
	}

	i = j = k = 0;
	while (k < nops) {
		if (ops[k] == 'E') {
			for (; np < ni[j]; np++)
				put_tok(c, n, &nt->v[np], M_NONE, NEW);
			put_tok(c, n, &nt->v[np++], M_NONE, NEW);
			i++;
			j++;
			k++;
			continue;
		}
		/*
		 * A group of changes: with the spaces between its changed
		 * words, so that "a b" for "x y" is one <del> and one <ins>.
		 */
		g = k;
		for (;;) {
			while (g < nops && ops[g] != 'E')
				g++;
			for (t = k, u = i; t < g; t++)
				u += ops[t] != 'I';
			ws = 1;
			for (t = g; t < nops && ops[t] == 'E'; t++, u++)
				if (ot->v[oi[u]].kind != K_WS)
					ws = 0;
			if (!ws || t == g || t == nops)
				break;
			g = t;
		}
		/* Removed words after the new end tags before them. */
		while (np < nt->len && nt->v[np].kind == K_CLOSE)
			put_tok(c, n, &nt->v[np++], M_NONE, NEW);
		for (t = k, u = i; t < g; t++)
			if (ops[t] != 'I')
				put_tok(c, o, &ot->v[oi[u++]], M_DEL, OLD);
		for (t = k, u = j; t < g; t++) {
			if (ops[t] == 'D')
				continue;
			for (; np < ni[u]; np++)
				put_tok(c, n, &nt->v[np], M_NONE, NEW);
			put_tok(c, n, &nt->v[np++], M_INS, NEW);
			u++;
		}
		for (t = k; t < g; t++) {
			i += ops[t] != 'I';
			j += ops[t] != 'D';
		}
		k = g;
	}
	for (; np < nt->len; np++)
		put_tok(c, n, &nt->v[np], M_NONE, NEW);
	set_mark(c, M_NONE);
	free(ops);
	free(oi);
	free(ni);
	free(oh);
	free(nh);
}

/* Old item x and new item y, paired: what changed inside. */
static void
emit_pair(struct ctx *c, struct item *x, struct item *y, unsigned pflags)
{
	const struct node *e;
	struct item *a, *b;
	size_t na, nb;

	/* Stray text in a list or table gets no mark, as in emit_whole. */
	if (x->hash == y->hash || (y->type == IT_RUN &&
	    (pflags & T_STRICT))) {
		emit_same(c, y);
		return;
	}
	if (y->type == IT_RUN) {
		c->st->blocks_changed++;
		word_diff(c, x, y);
		return;
	}
	e = &c->n->v[y->first];
	if (e->flags & (T_VOID | F_SC)) {
		emit_same(c, y);	/* only its attributes changed */
		return;
	}
	put_open(c, c->n, y->first, W_RAW);
	if (!is_leaf(e))
		put_break(c, c->n, e->first);
	a = items(c, c->o, x->first, &na);
	b = items(c, c->n, y->first, &nb);
	diff_items(c, a, na, b, nb, e->flags);
	put_close(c, c->n, y->first);
	put_break(c, c->n, e->next);
}

/* Old items a[0..p) changed into new b[0..q), with no item the same. */
static void
emit_region(struct ctx *c, struct item *a, size_t p, struct item *b,
    size_t q, unsigned pflags)
{
	struct pop *ops;
	size_t n, k, s, t;

	if (p + q == 0)
		return;
	ops = xmalloc((p + q) * sizeof(*ops));
	n = pair_region(c, a, p, b, q, ops);
	/* Between two pairs, the removed items first, then the new ones. */
	for (s = 0; s < n; s = k + 1) {
		for (k = s; k < n && ops[k].op != 'P'; k++)
			;
		for (t = s; t < k; t++)
			if (ops[t].op == 'D')
				emit_whole(c, OLD, &a[ops[t].i], pflags, 1);
		for (t = s; t < k; t++)
			if (ops[t].op == 'I')
				emit_whole(c, NEW, &b[ops[t].j], pflags, 1);
		if (k < n)
			emit_pair(c, &a[ops[k].i], &b[ops[k].j], pflags);
	}
	free(ops);
}

/*
 * The content of a block, old items a[0..p) and new b[0..q): the same
 * ones found first, then the regions between them paired up.
 */
static void
diff_items(struct ctx *c, struct item *a, size_t p, struct item *b,
    size_t q, unsigned pflags)
{
	uint64_t *ah, *bh;
	size_t i, j, k, i0, j0, nops;
	char *ops;

	ah = xmalloc((p + 1) * sizeof(*ah));
	bh = xmalloc((q + 1) * sizeof(*bh));
	for (i = 0; i < p; i++)
		ah[i] = a[i].hash;
	for (j = 0; j < q; j++)
		bh[j] = b[j].hash;
	if (myers(c, ah, p, bh, q, &ops, &nops) == -1) {
		free(ah);
		free(bh);
		emit_region(c, a, p, b, q, pflags);
		return;
	}
	free(ah);
	free(bh);
	i = j = k = 0;
	while (k < nops) {
		i0 = i;
		j0 = j;
		for (; k < nops && ops[k] != 'E'; k++) {
			if (ops[k] == 'D')
				i++;
			else
				j++;
		}
		emit_region(c, a + i0, i - i0, b + j0, j - j0, pflags);
		if (k < nops) {
			emit_same(c, &b[j]);
			i++;
			j++;
			k++;
		}
	}
	free(ops);
}

int
diff_html(const char *old, size_t oldlen, const char *new_, size_t newlen,
    const struct diff_labels *labels, struct buf *out,
    struct diff_stats *stats)
{
	struct ctx c;
	struct doc o, n;
	struct diff_stats local;
	struct item *a, *b;
	size_t na, nb;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	if (stats == NULL)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	o.s = old ? old : "";
	o.n = old ? oldlen : 0;
	n.s = new_ ? new_ : "";
	n.n = new_ ? newlen : 0;
	parse(&o);
	parse(&n);
	hash_doc(&o);
	hash_doc(&n);
	if (o.v[0].hash == n.v[0].hash)
		goto done;

	c.o = &o;
	c.n = &n;
	c.l = labels;
	c.out = out;
	c.st = stats;
	c.budget = BUDGET;
	a = items(&c, &o, 0, &na);
	b = items(&c, &n, 0, &nb);
	diff_items(&c, a, na, b, nb, 0);
	stats->markup_only = stats->words_inserted == 0 &&
	    stats->words_deleted == 0 && stats->blocks_inserted == 0 &&
	    stats->blocks_deleted == 0;
	rc = 0;
done:
	free(o.v);
	free(n.v);
	free(c.ot.v);
	free(c.nt.v);
	arena_free(&c.a);
	return rc;
}
