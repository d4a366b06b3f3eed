/*
 * Mustache: a compiler from template source to a flat array of nodes, and a
 * renderer that walks that array. All the whitespace rules of the spec
 * (standalone lines, indentation of partials, reindentation of blocks) are
 * settled at compile time, so rendering only copies text, looks up names
 * and follows the tree.
 *
 * The nodes of a template are stored in document order. A container
 * (section, inverted section, parent, block) is followed by its
 * descendants, and its end field is the index just past the last of them;
 * every other node has end = its index + 1. Walking a list is a loop, and
 * skipping a container is one assignment.
 *
 * Indentation. Rendering carries the current indentation. A standalone
 * partial ("  {{>p}}" alone on its line), a standalone parent tag pair or
 * an indented block adds its own for the lines of its expansion; a partial
 * or parent tag within a line starts mid-line, and its expansion is not
 * indented at all. Text nodes hold at most one line, and the first node of
 * each template line is flagged F_BOL: the indentation is due there and is
 * written just before the line's first output, so it never lands inside
 * interpolated data, and blank lines stay blank.
 *
 * Inheritance. A parent tag {{<p}} renders template p with a new scope
 * frame holding the parent tag's argument blocks. A block {{$b}} renders
 * the argument of the outermost frame that has one, so the top-level
 * template wins in multi-level inheritance; the argument is rendered in
 * the scope where it was written, so blocks nested in it resolve as the
 * author of that argument sees them. A partial is a parent without
 * arguments: it keeps the scope.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/text.h"

/* Deeper expansions than this are an error, not a stack overflow. */
#define MU_MAX_DEPTH	100	/* partials and parents inside each other */
#define MU_MAX_STEPS	10000000	/* nodes rendered for one page */
#define MU_MAX_OUTPUT	(128 * 1024 * 1024)	/* bytes of one page */
#define MU_MAX_LEVEL	1000	/* nested node lists of any kind */

#define NONE		UINT32_MAX

enum op {
	OP_TEXT,		/* literal text, at most one line */
	OP_VAR,			/* {{name}}, HTML-escaped */
	OP_RAW,			/* {{{name}}} and {{&name}} */
	OP_SECTION,		/* {{#name}} */
	OP_INVERTED,		/* {{^name}} */
	OP_PARTIAL,		/* {{>name}} */
	OP_PARENT,		/* {{<name}} */
	OP_BLOCK		/* {{$name}} */
};

#define F_BOL		0x01	/* first node of a template line */
#define F_DYN		0x02	/* partial, parent: {{>*x}}, x names it */
#define F_INDENT	0x04	/* partial, parent: standalone, indent by ind */
#define F_INTRINSIC	0x08	/* block: alone on its line, indent by ind */
#define F_LEAD		0x10	/* block: whitespace ind led its tag pair */

/* One step of a dotted name such as a.b.c. */
struct part {
	const char	*s;
	size_t		 len;
};

struct node {
	unsigned char	 op;
	unsigned char	 flags;
	uint32_t	 nparts;	/* of the dotted name; 0 for "." */
	uint32_t	 part;		/* index of its first part in parts */
	uint32_t	 end;		/* index past its last descendant */
	uint32_t	 next;		/* parent: first argument; argument:
					   the next one; 0: none */
	unsigned	 line;		/* of the tag, for diagnostics */
	unsigned	 col;
	const char	*s;		/* text, or the name as written */
	size_t		 len;
	const char	*ind;		/* indentation, see F_INDENT etc. */
	size_t		 indlen;
};

/* A compiled template. Every pointer in nodes and parts points into src. */
struct mu_tpl {
	char		*name;
	size_t		 namelen;
	char		*file;
	char		*src;
	struct node	*nodes;
	size_t		 n;
	size_t		 cap;
	struct part	*parts;
	size_t		 nparts;
	size_t		 partcap;
};

struct mu_set {
	struct mu_tpl	**v;		/* sorted by name */
	size_t		  len;
	size_t		  cap;
};

/* A container being compiled, waiting for its closing tag. */
struct open {
	uint32_t	 node;
	uint32_t	 lead;		/* whitespace node before its tag, or
					   NONE */
	uint32_t	 lastarg;	/* parent: last argument linked */
	int		 leftclear;	/* only whitespace before its tag */
	int		 isarg;		/* block: an argument of a parent */
	const char	*strip;		/* to restore at the closing tag */
	size_t		 striplen;
};

struct parser {
	struct mu_tpl	*t;
	const char	*src;
	size_t		 len;
	size_t		 pos;
	size_t		 ls;		/* where the current line starts */
	unsigned	 line;
	int		 bol;		/* no node yet on the current line */
	unsigned	 ntags;		/* tags so far on the current line */
	const char	*otag;		/* the current delimiters */
	size_t		 olen;
	const char	*ctag;
	size_t		 clen;
	const char	*strip;		/* a block's intrinsic indentation,
					   removed from each line it starts */
	size_t		 striplen;
	struct open	*stk;
	size_t		 nstk;
	size_t		 stkcap;
	const char	*file;
	struct diags	*d;
};

/* A parent tag being expanded: where its arguments are. */
struct scope {
	const struct mu_tpl	*t;
	const struct node	*parent;
	const struct scope	*outer;
};

/* The indentation to restore after an expansion. */
struct mark {
	size_t	base;
	size_t	len;
};

struct render {
	const struct mu_set	 *set;
	struct buf		 *out;
	const struct value	**stk;		/* the context stack */
	size_t			  nstk;
	size_t			  stkcap;
	char			 *ind;		/* indentation: ind[indbase..] */
	size_t			  indbase;
	size_t			  indlen;
	size_t			  indcap;
	int			  need;		/* ind is due before output */
	unsigned		  depth;
	unsigned		  level;
	unsigned long		  steps;	/* nodes rendered */
	const struct mu_trace	 *trace;	/* or NULL */
	char			 *err;
	const struct value	 *stk0[32];
	char			  ind0[128];
};

static int	 render(struct render *, const struct mu_tpl *, uint32_t,
		    uint32_t, const struct scope *);

static int
isblank_(int c)
{
	return c == ' ' || c == '\t';
}

static int
isspace_(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isblank_((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Columns count characters, not bytes: what an editor shows. */
static unsigned
column(const char *s, size_t n)
{
	unsigned c = 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static const char *
search(const char *s, size_t n, const char *pat, size_t m)
{
	const char *end = s + n;

	while (m > 0 && (size_t)(end - s) >= m) {
		s = memchr(s, pat[0], (size_t)(end - s) - m + 1);
		if (s == NULL)
			return NULL;
		if (memcmp(s, pat, m) == 0)
			return s;
		s++;
	}
	return NULL;
}

static int
sameword(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static void
tpl_free(struct mu_tpl *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->file);
	free(t->src);
	free(t->nodes);
	free(t->parts);
	free(t);
}

/*
 * Returns the template named s (n bytes), or NULL. If at is not NULL, it
 * is set to the template's index, or to where it would be inserted.
 */
static const struct mu_tpl *
find(const struct mu_set *set, const char *s, size_t n, size_t *at)
{
	size_t lo = 0, hi = set->len, mid, k;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = set->v[mid]->namelen;
		c = k < n ? memcmp(set->v[mid]->name, s, k) :
		    memcmp(set->v[mid]->name, s, n);
		if (c == 0)
			c = k < n ? -1 : k > n;
		if (c == 0) {
			if (at != NULL)
				*at = mid;
			return set->v[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (at != NULL)
		*at = lo;
	return NULL;
}

/*
 * Compiling.
 */

static const char *
opname(const struct node *n)
{
	switch (n->op) {
	case OP_SECTION:
		return "#";
	case OP_INVERTED:
		return "^";
	case OP_PARENT:
		return n->flags & F_DYN ? "<*" : "<";
	case OP_BLOCK:
		return "$";
	default:
		return "";
	}
}

static uint32_t
add(struct parser *p, enum op op, unsigned line, unsigned col, int maybol)
{
	struct mu_tpl *t = p->t;
	struct node *n;

	t->nodes = xgrow(t->nodes, &t->cap, t->n + 1, sizeof(*t->nodes));
	n = &t->nodes[t->n];
	memset(n, 0, sizeof(*n));
	n->op = op;
	n->flags = maybol && p->bol ? F_BOL : 0;
	n->end = (uint32_t)t->n + 1;
	n->line = line;
	n->col = col;
	n->s = n->ind = "";
	p->bol = 0;
	return (uint32_t)t->n++;
}

/*
 * Starts a new line at, removing the intrinsic indentation of the block
 * being compiled if the line starts with it (and it ends before limit).
 */
static void
newline(struct parser *p, size_t at, size_t limit)
{
	p->ls = p->pos = at;
	p->bol = 1;
	p->ntags = 0;
	if (p->striplen > 0 && at + p->striplen <= limit &&
	    memcmp(p->src + at, p->strip, p->striplen) == 0)
		p->pos += p->striplen;
}

/* Skips the line ending at r, if any: the end of a standalone line. */
static void
skipline(struct parser *p, size_t r)
{
	if (r >= p->len) {
		p->pos = p->len;
		return;
	}
	r += p->src[r] == '\r' ? 2 : 1;
	p->line++;
	newline(p, r, p->len);
}

static int
inparent(const struct parser *p)
{
	return p->nstk > 0 &&
	    p->t->nodes[p->stk[p->nstk - 1].node].op == OP_PARENT;
}

/*
 * Adds the literal text up to end, one node per line. Text directly inside
 * a parent tag is dropped: only its blocks mean anything.
 */
static void
text(struct parser *p, size_t end)
{
	const char *s, *nl;
	size_t n;
	uint32_t i;

	while (p->pos < end) {
		s = p->src + p->pos;
		nl = memchr(s, '\n', end - p->pos);
		n = nl != NULL ? (size_t)(nl - s) + 1 : end - p->pos;
		if (!inparent(p)) {
			i = add(p, OP_TEXT, 0, 0, 1);
			p->t->nodes[i].s = s;
			p->t->nodes[i].len = n;
		} else
			p->bol = 0;
		p->pos += n;
		if (nl != NULL) {
			p->line++;
			newline(p, p->pos, end);
		}
	}
}

/*
 * Returns the index of the whitespace node that starts the current line
 * (at ls) before a tag with only whitespace before it, or NONE.
 */
static uint32_t
leadnode(const struct parser *p, size_t ls)
{
	const struct mu_tpl *t = p->t;
	const struct node *n;

	if (t->n == 0)
		return NONE;
	n = &t->nodes[t->n - 1];
	if (n->op != OP_TEXT || n->s < p->src + ls)
		return NONE;
	return (uint32_t)t->n - 1;
}

/* Removes the whitespace that leads a standalone tag; returns it in *s. */
static size_t
poplead(struct parser *p, size_t ls, const char **s)
{
	uint32_t i = leadnode(p, ls);

	*s = "";
	if (i == NONE)
		return 0;
	p->t->n--;
	*s = p->t->nodes[i].s;
	return p->t->nodes[i].len;
}

static void fail(struct parser *, unsigned, unsigned, const char *,
    const char *, ...) __attribute__((format(printf, 5, 6)));

static void
fail(struct parser *p, unsigned line, unsigned col, const char *hint,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(p->d, DIAG_ERROR, p->file, line, col, hint, fmt, ap);
	va_end(ap);
}

/*
 * Splits a dotted name into parts appended to the template; "." has none.
 * Returns -1 after a diagnostic if the name is malformed.
 */
static int
dotted(struct parser *p, uint32_t i)
{
	struct mu_tpl *t = p->t;
	struct node *n = &t->nodes[i];
	const char *s = n->s, *end = s + n->len, *dot;

	n->part = (uint32_t)t->nparts;
	if (n->len == 1 && *s == '.')
		return 0;
	for (;;) {
		dot = memchr(s, '.', (size_t)(end - s));
		if (dot == NULL)
			dot = end;
		if (dot == s) {
			fail(p, n->line, n->col, "Write dotted names as a.b.c, "
			    "without a leading, trailing or doubled dot.",
			    "the name \"%.*s\" has an empty part", (int)n->len,
			    n->s);
			return -1;
		}
		t->parts = xgrow(t->parts, &t->partcap, t->nparts + 1,
		    sizeof(*t->parts));
		t->parts[t->nparts].s = s;
		t->parts[t->nparts].len = (size_t)(dot - s);
		t->nparts++;
		t->nodes[i].nparts++;
		if (dot == end)
			return 0;
		s = dot + 1;
	}
}

/*
 * Checks that the tag has a name without spaces and stores it in node i;
 * sigil is what precedes the name in the tag, for the message.
 */
static int
named(struct parser *p, uint32_t i, const char *s, size_t n,
    const char *sigil)
{
	const struct node *nd = &p->t->nodes[i];
	size_t k;

	p->t->nodes[i].s = s;
	p->t->nodes[i].len = n;
	if (n == 0) {
		fail(p, nd->line, nd->col, "Write a name between the "
		    "delimiters, e.g. {{title}}.", "the {{%s}} tag has no name",
		    sigil);
		return -1;
	}
	for (k = 0; k < n; k++)
		if (isspace_((unsigned char)s[k])) {
			fail(p, nd->line, nd->col, "Names cannot contain "
			    "spaces: remove it, or join the words with _ or -.",
			    "the name \"%.*s\" contains a space", (int)n, s);
			return -1;
		}
	return 0;
}

/*
 * Names the template of a partial or parent tag: a name, or with a
 * leading '*' a dotted name whose value in the context is the name.
 */
static int
target(struct parser *p, uint32_t i, const char *s, size_t n,
    const char *sigil)
{
	if (n == 0 || *s != '*')
		return named(p, i, s, n, sigil);
	p->t->nodes[i].flags |= F_DYN;
	for (s++, n--; n > 0 && isspace_((unsigned char)*s); s++, n--)
		;
	if (named(p, i, s, n, sigil) == -1)
		return -1;
	return dotted(p, i);
}

static int
delimiters(struct parser *p, const char *s, size_t n, unsigned line,
    unsigned col)
{
	const char *end = s + n, *a = s, *b;
	size_t alen, blen;

	while (s < end && !isspace_((unsigned char)*s))
		s++;
	alen = (size_t)(s - a);
	while (s < end && isspace_((unsigned char)*s))
		s++;
	b = s;
	while (s < end && !isspace_((unsigned char)*s))
		s++;
	blen = (size_t)(s - b);
	if (alen == 0 || blen == 0 || s != end ||
	    memchr(a, '=', alen) != NULL || memchr(b, '=', blen) != NULL) {
		fail(p, line, col, "Write the opening and the closing "
		    "delimiter separated by a space, e.g. {{=<% %>=}}.",
		    "a set-delimiter tag needs two delimiters without '='");
		return -1;
	}
	p->otag = a;
	p->olen = alen;
	p->ctag = b;
	p->clen = blen;
	return 0;
}

static void
push(struct parser *p, uint32_t node, uint32_t lead, int leftclear,
    int isarg)
{
	struct open *o;

	p->stk = xgrow(p->stk, &p->stkcap, p->nstk + 1, sizeof(*p->stk));
	o = &p->stk[p->nstk++];
	o->node = node;
	o->lead = lead;
	o->lastarg = 0;
	o->leftclear = leftclear;
	o->isarg = isarg;
	o->strip = p->strip;
	o->striplen = p->striplen;
}

/*
 * The whitespace that starts the line after the one ending at r: a
 * block's intrinsic indentation when its opening tag ends its line.
 */
static size_t
nextindent(const struct parser *p, size_t r, const char **s)
{
	size_t k;

	*s = "";
	if (r >= p->len)
		return 0;
	r += p->src[r] == '\r' ? 2 : 1;
	for (k = r; k < p->len && isblank_((unsigned char)p->src[k]); k++)
		;
	*s = p->src + r;
	return k - r;
}

/*
 * Opens a block. An argument block (directly inside a parent) whose tag
 * ends its line loses that line ending, and its content loses the
 * indentation of its first line. A parameter block alone on its line does
 * the same, and is re-indented where it renders by that indentation
 * (relative to the enclosing block's). A parameter block whose tag only
 * has whitespace before it may turn out, at its closing tag, to be led by
 * that whitespace.
 */
static void
openblock(struct parser *p, uint32_t i, uint32_t lead, int left, int right,
    size_t r)
{
	struct node *n;
	struct open *o;
	const char *ind;
	size_t indlen, k;
	int isarg = inparent(p);

	if (isarg) {
		o = &p->stk[p->nstk - 1];
		if (o->lastarg == 0)
			p->t->nodes[o->node].next = i;
		else
			p->t->nodes[o->lastarg].next = i;
		o->lastarg = i;
		push(p, i, NONE, 0, 1);
		if (right) {
			p->striplen = nextindent(p, r, &p->strip);
			skipline(p, r);
		}
		return;
	}
	if (left && right) {
		indlen = nextindent(p, r, &ind);
		n = &p->t->nodes[i];
		n->flags |= F_INTRINSIC;
		n->ind = ind;
		n->indlen = indlen;
		k = p->striplen;
		if (k <= indlen && memcmp(ind, p->strip, k) == 0) {
			n->ind += k;
			n->indlen -= k;
		}
		push(p, i, NONE, 0, 0);
		p->strip = ind;
		p->striplen = indlen;
		skipline(p, r);
		return;
	}
	push(p, i, lead, left, 0);
}

/*
 * Compiles the closing tag {{/s}}, whose line starts at ls; left and
 * right say whether only whitespace surrounds it on its line, which ends
 * at r. Returns -1 after a diagnostic if it closes nothing open.
 */
static int
closetag(struct parser *p, const char *s, size_t n, size_t ls, int left,
    int right, size_t r, unsigned line, unsigned col)
{
	struct mu_tpl *t = p->t;
	struct open o;
	struct node *c, *lead;
	const char *w;
	size_t wlen;
	int alone = left && right;

	if (p->nstk == 0) {
		fail(p, line, col, NULL, "{{/%.*s}} closes nothing", (int)n, s);
		diag_hintf(p->d, "Remove it, or open a section with {{#%.*s}} "
		    "before it.", (int)n, s);
		return -1;
	}
	o = p->stk[p->nstk - 1];
	c = &t->nodes[o.node];

	/* A dynamic parent {{<*name}} may be closed with a star too. */
	if ((c->flags & F_DYN) && n > 0 && *s == '*')
		for (s++, n--; n > 0 && isspace_((unsigned char)*s); s++, n--)
			;
	if (!sameword(c->s, c->len, s, n)) {
		fail(p, line, col, NULL, "{{/%.*s}} does not match {{%s%.*s}}, "
		    "the innermost open tag (line %u, column %u)", (int)n, s,
		    opname(c), (int)c->len, c->s, c->line, c->col);
		diag_hintf(p->d, "Close {{%s%.*s}} with {{/%.*s}} first, or "
		    "fix the name.", opname(c), (int)c->len, c->s,
		    (int)c->len, c->s);
		return -1;
	}
	p->nstk--;
	p->strip = o.strip;
	p->striplen = o.striplen;

	/* Whitespace before a standalone closing tag goes first. */
	if (o.isarg) {
		if (left)
			poplead(p, ls, &w);
	} else if (alone)
		poplead(p, ls, &w);
	c = &t->nodes[o.node];
	c->end = (uint32_t)t->n;

	/* A tag pair that starts and ends a line. */
	if (!o.isarg && o.leftclear && right && !(c->flags & F_INDENT) &&
	    (c->op == OP_PARENT || c->op == OP_BLOCK)) {
		w = "";
		wlen = 0;
		if (o.lead != NONE) {
			lead = &t->nodes[o.lead];
			w = lead->s;
			wlen = lead->len;
			lead->len = 0;
		}
		c->ind = w;
		c->indlen = wlen;
		c->flags |= c->op == OP_PARENT ? F_INDENT : F_LEAD;
	}
	/* An argument's closing tag keeps its line ending: see openblock. */
	if ((alone && !o.isarg) || (c->op == OP_PARENT && right &&
	    (o.leftclear || (c->flags & F_INDENT))))
		skipline(p, r);
	return 0;
}

/*
 * Finds the end of the tag at q: *ce is where its content ends, and the
 * return value where the tag does. Returns 0 after a diagnostic.
 */
static size_t
tagend(struct parser *p, size_t q, size_t cb, int sigil, size_t *ce)
{
	const char *src = p->src, *cl;
	int want = sigil == '{' ? '}' : sigil == '=' ? '=' : 0;
	size_t k;

	/* After '{' and '=', the closing delimiter follows '}' or '='. */
	for (k = cb;; k = (size_t)(cl - src) + 1) {
		cl = search(src + k, p->len - k, p->ctag, p->clen);
		if (cl == NULL)
			break;
		if (want == 0 || ((size_t)(cl - src) > cb && cl[-1] == want)) {
			*ce = (size_t)(cl - src) - (want != 0);
			return (size_t)(cl - src) + p->clen;
		}
	}
	fail(p, p->line, column(src + p->ls, q - p->ls), NULL,
	    "%.*s%s is not closed", (int)p->olen, p->otag,
	    sigil == '{' ? "{" : sigil == '!' ? "!" : "");
	diag_hintf(p->d, "Close it with %s%.*s.", want == '}' ? "}" :
	    want == '=' ? "=" : "", (int)p->clen, p->ctag);
	return 0;
}

/*
 * Compiles the tag at q. Returns -1 after a diagnostic.
 */
static int
tag(struct parser *p, size_t q)
{
	const char *src = p->src, *s, *w = "";
	size_t ls = p->ls, a = q + p->olen, cb, ce, e, r, k, n, wlen = 0;
	unsigned line = p->line, col = column(src + ls, q - ls);
	int sigil = a < p->len ? (unsigned char)src[a] : 0;
	int left, right, standalone;
	uint32_t i, lead;
	struct node *nd;

	switch (sigil) {
	case '#': case '^': case '/': case '>': case '<': case '$':
	case '&': case '!': case '{': case '=':
		cb = a + 1;
		break;
	default:
		sigil = 0;
		cb = a;
		break;
	}
	if ((e = tagend(p, q, cb, sigil, &ce)) == 0)
		return -1;

	/*
	 * A standalone tag is alone on its line but for whitespace: the
	 * line disappears from the output. Interpolations never are.
	 */
	left = p->ntags == 0 && blank(src + ls, q - ls);
	for (k = q; k < e; k++)
		if (src[k] == '\n') {
			p->line++;
			p->ls = k + 1;
		}
	p->ntags++;
	p->pos = e;
	for (r = e; r < p->len && isblank_((unsigned char)src[r]); r++)
		;
	right = r == p->len || src[r] == '\n' ||
	    (src[r] == '\r' && r + 1 < p->len && src[r + 1] == '\n');
	standalone = left && right && sigil != 0 && sigil != '{' &&
	    sigil != '&';

	while (cb < ce && isspace_((unsigned char)src[cb]))
		cb++;
	while (ce > cb && isspace_((unsigned char)src[ce - 1]))
		ce--;
	s = src + cb;
	n = ce - cb;

	switch (sigil) {
	case '/':
		return closetag(p, s, n, ls, left, right, r, line, col);
	case '$':
		lead = NONE;
		if (standalone && !inparent(p))
			poplead(p, ls, &w);
		else if (left)
			lead = leadnode(p, ls);
		i = add(p, OP_BLOCK, line, col, !standalone);
		if (named(p, i, s, n, "$") == -1)
			return -1;
		openblock(p, i, lead, left, right, r);
		return 0;
	case 0:
	case '{':
	case '&':
		i = add(p, sigil == 0 ? OP_VAR : OP_RAW, line, col, 1);
		if (named(p, i, s, n, sigil == '&' ? "&" : "") == -1)
			return -1;
		return dotted(p, i);
	default:
		break;
	}

	/* The rest may be standalone, and only then lose their line. */
	lead = NONE;
	if (standalone)
		wlen = poplead(p, ls, &w);
	else if (sigil == '<' && left)
		lead = leadnode(p, ls);
	switch (sigil) {
	case '=':
		if (delimiters(p, s, n, line, col) == -1)
			return -1;
		break;
	case '#':
	case '^':
		i = add(p, sigil == '#' ? OP_SECTION : OP_INVERTED, line, col,
		    !standalone);
		if (named(p, i, s, n, sigil == '#' ? "#" : "^") == -1 ||
		    dotted(p, i) == -1)
			return -1;
		push(p, i, NONE, 0, 0);
		break;
	case '>':
	case '<':
		i = add(p, sigil == '>' ? OP_PARTIAL : OP_PARENT, line, col,
		    !standalone);
		if (standalone) {
			nd = &p->t->nodes[i];
			nd->flags |= F_INDENT;
			nd->ind = w;
			nd->indlen = wlen;
		}
		if (target(p, i, s, n, sigil == '>' ? ">" : "<") == -1)
			return -1;
		if (sigil == '<')
			push(p, i, lead, left, 0);
		break;
	default:
		break;
	}
	if (standalone)
		skipline(p, r);
	return 0;
}

/*
 * Compiles p->src into p->t. Returns -1 after a diagnostic at the first
 * error.
 */
static int
compile(struct parser *p)
{
	const char *o;
	const struct node *n;
	size_t q;

	for (;;) {
		o = search(p->src + p->pos, p->len - p->pos, p->otag, p->olen);
		q = o != NULL ? (size_t)(o - p->src) : p->len;
		text(p, q);
		if (o == NULL)
			break;
		if (tag(p, q) == -1)
			return -1;
	}
	if (p->nstk == 0)
		return 0;

	/* The innermost is the one to close first. */
	n = &p->t->nodes[p->stk[p->nstk - 1].node];
	fail(p, n->line, n->col, NULL, "{{%s%.*s}} is not closed", opname(n),
	    (int)n->len, n->s);
	diag_hintf(p->d, "Close it with {{/%.*s}}.", (int)n->len, n->s);
	return -1;
}

struct mu_set *
mu_set_new(void)
{
	return xcalloc(1, sizeof(struct mu_set));
}

void
mu_set_free(struct mu_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->len; i++)
		tpl_free(set->v[i]);
	free(set->v);
	free(set);
}

/*
 * A later template of the same name replaces the earlier one: partials
 * are looked up by name while rendering, so nothing points at it.
 */
int
mu_set_add(struct mu_set *set, const char *name, const char *file,
    const char *src, size_t len, struct diags *d)
{
	struct parser p;
	struct mu_tpl *t;
	size_t at;
	int rc = -1;

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->namelen = strlen(name);
	t->file = xstrdup(file != NULL ? file : "");
	t->src = xstrndup(src != NULL ? src : "", src != NULL ? len : 0);

	memset(&p, 0, sizeof(p));
	p.t = t;
	p.src = t->src;
	p.len = src != NULL ? len : 0;
	p.line = 1;
	p.bol = 1;
	p.otag = "{{";
	p.olen = 2;
	p.ctag = "}}";
	p.clen = 2;
	p.strip = "";
	p.file = t->file;
	p.d = d;
	if (compile(&p) == -1)
		goto out;

	if (find(set, t->name, t->namelen, &at) != NULL) {
		tpl_free(set->v[at]);
		set->v[at] = t;
	} else {
		set->v = xgrow(set->v, &set->cap, set->len + 1,
		    sizeof(*set->v));
		memmove(set->v + at + 1, set->v + at,
		    (set->len - at) * sizeof(*set->v));
		set->v[at] = t;
		set->len++;
	}
	t = NULL;
	rc = 0;
out:
	free(p.stk);
	tpl_free(t);
	return rc;
}

int
mu_set_has(const struct mu_set *set, const char *name)
{
	return find(set, name, strlen(name), NULL) != NULL;
}

/*
 * Depth-first over the templates that template i names: state[k] is 0
 * (not seen), 1 (on the current path) or 2 (done). A name met while on
 * the path closes a loop: an error at the tag that closes it.
 */
static size_t
check_loops(const struct mu_set *set, size_t i, unsigned char *state,
    struct diags *d)
{
	const struct mu_tpl *t = set->v[i];
	const struct node *n;
	size_t j, k, added = 0;

	state[i] = 1;
	for (j = 0; j < t->n; j++) {
		n = &t->nodes[j];
		if ((n->op != OP_PARTIAL && n->op != OP_PARENT) ||
		    (n->flags & F_DYN) || find(set, n->s, n->len, &k) == NULL)
			continue;
		if (state[k] == 1) {
			diag_error(d, t->file, n->line, n->col, "Write the "
			    "repeated part out, or move it into a template of "
			    "its own that does not name this one.",
			    "{{%s%.*s}}: the template includes itself",
			    n->op == OP_PARTIAL ? ">" : "<", (int)n->len,
			    n->s);
			added++;
		} else if (state[k] == 0)
			added += check_loops(set, k, state, d);
	}
	state[i] = 2;
	return added;
}

size_t
mu_set_check(const struct mu_set *set, struct diags *d)
{
	const struct mu_tpl *t;
	const struct node *n;
	const char *close, *kind;
	size_t i, j, k, dist, best, added = 0;

	for (i = 0; i < set->len; i++) {
		t = set->v[i];
		for (j = 0; j < t->n; j++) {
			n = &t->nodes[j];
			if ((n->op != OP_PARTIAL && n->op != OP_PARENT) ||
			    (n->flags & F_DYN) ||
			    find(set, n->s, n->len, NULL) != NULL)
				continue;
			close = NULL;
			best = 3;
			for (k = 0; k < set->len; k++) {
				dist = text_distance(n->s, n->len, set->v[k]->name,
				    set->v[k]->namelen, 0);
				if (dist < best) {
					best = dist;
					close = set->v[k]->name;
				}
			}
			kind = n->op == OP_PARTIAL ? ">" : "<";
			diag_error(d, t->file, n->line, n->col, NULL,
			    "{{%s%.*s}}: there is no template named \"%.*s\"",
			    kind, (int)n->len, n->s, (int)n->len, n->s);
			if (close != NULL)
				diag_hintf(d, "Did you mean {{%s%s}}?", kind,
				    close);
			else
				diag_hintf(d, "Add a template named \"%.*s\", "
				    "or fix the name.", (int)n->len, n->s);
			added++;
		}
	}
	/* A template that includes itself would recurse until it fails. */
	if (added == 0 && set->len > 0) {
		unsigned char *state = xcalloc(set->len, 1);
		for (i = 0; i < set->len; i++)
			if (state[i] == 0)
				added += check_loops(set, i, state, d);
		free(state);
	}
	return added;
}

/*
 * Rendering.
 */

static void
pushctx(struct render *r, const struct value *v)
{
	const struct value **s;
	size_t cap;

	if (r->nstk == r->stkcap) {
		cap = r->stkcap * 2;
		if (r->stk == r->stk0) {
			s = xmalloc(cap * sizeof(*s));
			memcpy(s, r->stk0, sizeof(r->stk0));
		} else
			s = xrealloc((void *)r->stk, cap * sizeof(*s));
		r->stk = s;
		r->stkcap = cap;
	}
	r->stk[r->nstk++] = v;
}

/* Appends to the indentation; the caller restores indlen. */
static void
indent(struct render *r, const char *s, size_t n)
{
	size_t cap;
	char *p;

	if (n == 0)
		return;
	if (r->indlen + n > r->indcap) {
		for (cap = r->indcap * 2; cap < r->indlen + n; cap *= 2)
			;
		if (r->ind == r->ind0) {
			p = xmalloc(cap);
			memcpy(p, r->ind0, r->indlen);
		} else
			p = xrealloc(r->ind, cap);
		r->ind = p;
		r->indcap = cap;
	}
	memcpy(r->ind + r->indlen, s, n);
	r->indlen += n;
}

static void
flush(struct render *r)
{
	if (r->need) {
		r->need = 0;
		if (r->indlen > r->indbase)
			buf_put(r->out, r->ind + r->indbase,
			    r->indlen - r->indbase);
	}
}

/*
 * Enters the expansion of another template (a partial, a parent or an
 * argument): if ind is not NULL, its lines are indented by the current
 * indentation and ind; otherwise the expansion starts within a line and
 * is not indented at all. Returns what leave needs.
 */
static struct mark
enter(struct render *r, const char *ind, size_t indlen)
{
	struct mark m = { r->indbase, r->indlen };

	if (ind != NULL) {
		indent(r, ind, indlen);
		r->need = 1;
	} else
		r->indbase = r->indlen;
	return m;
}

/* Whatever the expansion left undone of its last line is not ours. */
static void
leave(struct render *r, struct mark m)
{
	r->indbase = m.base;
	r->indlen = m.len;
	r->need = 0;
}

/* Resolves a name against the context stack, as the spec says. */
static const struct value *
lookup(const struct render *r, const struct mu_tpl *t, const struct node *n)
{
	const struct part *p;
	const struct value *v = NULL;
	size_t i;
	uint32_t k;

	/* {{.}}: a template without dotted names may have no parts at all. */
	if (n->nparts == 0) {
		v = r->stk[r->nstk - 1];
		if (r->trace && v == r->trace->watch && r->trace->key)
			r->trace->key(r->trace->arg, "", 0);
		return v;
	}
	p = t->parts + n->part;
	for (i = r->nstk; i-- > 0;)
		if ((v = value_getn(r->stk[i], p[0].s, p[0].len)) != NULL)
			break;
	if (r->trace && r->trace->key && v != NULL && i < r->nstk &&
	    r->stk[i] == r->trace->watch)
		r->trace->key(r->trace->arg, p[0].s, p[0].len);
	for (k = 1; v != NULL && k < n->nparts; k++) {
		if (r->trace && r->trace->key && v == r->trace->watch)
			r->trace->key(r->trace->arg, p[k].s, p[k].len);
		v = value_getn(v, p[k].s, p[k].len);
	}
	/* The whole map, for a section or a partial to look into. */
	if (r->trace && r->trace->key && v != NULL && v == r->trace->watch)
		r->trace->key(r->trace->arg, "", 0);
	return v;
}

static void
interpolate(struct render *r, const struct value *v, int escape)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case VAL_STRING:
		if (v->len == 0)
			return;
		flush(r);
		if (escape)
			buf_put_html(r->out, v->str, v->len);
		else
			buf_put(r->out, v->str, v->len);
		break;
	case VAL_NUMBER:
	case VAL_BOOL:
		/* Digits, signs and words: nothing to escape. */
		flush(r);
		value_write(v, r->out);
		break;
	default:
		break;
	}
}

static void
literal(struct render *r, const struct node *n)
{
	if (n->len == 0)
		return;
	if (r->need) {
		/* Blank lines stay blank: no trailing whitespace. */
		if ((n->len == 1 && n->s[0] == '\n') ||
		    (n->len == 2 && n->s[0] == '\r' && n->s[1] == '\n'))
			r->need = 0;
		else
			flush(r);
	}
	buf_put(r->out, n->s, n->len);
}

static int
section(struct render *r, const struct mu_tpl *t, uint32_t i,
    const struct scope *sc)
{
	const struct node *n = &t->nodes[i];
	const struct value *v = lookup(r, t, n);
	size_t k;
	int rc = 0;

	if (v != NULL && v->type == VAL_LIST) {
		for (k = 0; k < v->len && rc == 0; k++) {
			pushctx(r, v->u.items[k]);
			rc = render(r, t, i + 1, n->end, sc);
			r->nstk--;
		}
		return rc;
	}
	if (!value_truthy(v))
		return 0;
	pushctx(r, v);
	rc = render(r, t, i + 1, n->end, sc);
	r->nstk--;
	return rc;
}

/* Renders a partial or a parent. */
static int
expand(struct render *r, const struct mu_tpl *t, uint32_t i,
    const struct scope *sc)
{
	const struct node *n = &t->nodes[i];
	const struct value *v;
	const struct mu_tpl *tt;
	struct scope frame;
	struct mark m;
	int rc;

	if (n->flags & F_DYN) {
		v = lookup(r, t, n);
		if (v == NULL || v->type != VAL_STRING || v->str == NULL)
			return 0;
		tt = find(r->set, v->str, v->len, NULL);
	} else
		tt = find(r->set, n->s, n->len, NULL);
	if (tt == NULL)
		return 0;
	if (r->trace && r->trace->tpl)
		r->trace->tpl(r->trace->arg, tt->name, tt->namelen);
	if (r->depth >= MU_MAX_DEPTH) {
		r->err = xasprintf("%s:%u:%u: {{%s%s%.*s}} nests templates "
		    "more than %d deep; does a template include itself "
		    "without end?", t->file, n->line, n->col,
		    n->op == OP_PARTIAL ? ">" : "<", n->flags & F_DYN ? "*" :
		    "", (int)n->len, n->s, MU_MAX_DEPTH);
		return -1;
	}
	if (n->op == OP_PARENT) {
		frame.t = t;
		frame.parent = n;
		frame.outer = sc;
		sc = &frame;
	}
	m = enter(r, n->flags & F_INDENT ? n->ind : NULL, n->indlen);
	r->depth++;
	rc = render(r, tt, 0, (uint32_t)tt->n, sc);
	r->depth--;
	leave(r, m);
	return rc;
}

static int
block(struct render *r, const struct mu_tpl *t, uint32_t i,
    const struct scope *sc)
{
	const struct node *n = &t->nodes[i], *a;
	const struct scope *f, *found = NULL;
	struct mark m;
	uint32_t k, arg = 0;
	size_t old;
	int rc;

	/* The outermost frame wins; see the comment at the top. */
	for (f = sc; f != NULL; f = f->outer)
		for (k = f->parent->next; k != 0; k = a->next) {
			a = &f->t->nodes[k];
			if (sameword(a->s, a->len, n->s, n->len)) {
				found = f;
				arg = k;
			}
		}
	if (found != NULL) {
		m = enter(r, n->flags & (F_INTRINSIC | F_LEAD) ? n->ind : NULL,
		    n->indlen);
		rc = render(r, found->t, arg + 1, found->t->nodes[arg].end,
		    found->outer);
		leave(r, m);
		return rc;
	}

	/* The default is this template's own text, indented as such. */
	if (n->flags & F_LEAD) {
		if (n->indlen > 0) {
			flush(r);
			buf_put(r->out, n->ind, n->indlen);
		}
		return render(r, t, i + 1, n->end, sc);
	}
	old = r->indlen;
	if (n->flags & F_INTRINSIC) {
		indent(r, n->ind, n->indlen);
		r->need = 1;
	}
	rc = render(r, t, i + 1, n->end, sc);
	r->indlen = old;
	return rc;
}

/*
 * Renders nodes [i, end) of t. Returns -1 with r->err set.
 */
static int
render(struct render *r, const struct mu_tpl *t, uint32_t i, uint32_t end,
    const struct scope *sc)
{
	const struct node *n;
	int rc = -1;

	if (++r->level > MU_MAX_LEVEL) {
		r->err = xasprintf("%s: sections and partials nest more "
		    "than %d deep", t->file, MU_MAX_LEVEL);
		goto out;
	}
	for (; i < end; i = n->end) {
		n = &t->nodes[i];
		/*
		 * Sections over lists inside partials of themselves can
		 * multiply without end in depth: a budget of work and bytes.
		 */
		if (++r->steps > MU_MAX_STEPS || r->out->len > MU_MAX_OUTPUT) {
			r->err = xasprintf("%s:%u:%u: the template does too much "
			    "work (over %d steps or %d bytes); does a section "
			    "or partial repeat itself?", t->file, n->line,
			    n->col, MU_MAX_STEPS, MU_MAX_OUTPUT);
			goto out;
		}
		if (n->flags & F_BOL)
			r->need = 1;
		switch (n->op) {
		case OP_TEXT:
			literal(r, n);
			break;
		case OP_VAR:
		case OP_RAW:
			interpolate(r, lookup(r, t, n), n->op == OP_VAR);
			break;
		case OP_SECTION:
			if (section(r, t, i, sc) == -1)
				goto out;
			break;
		case OP_INVERTED:
			if (!value_truthy(lookup(r, t, n)) &&
			    render(r, t, i + 1, n->end, sc) == -1)
				goto out;
			break;
		case OP_PARTIAL:
		case OP_PARENT:
			if (expand(r, t, i, sc) == -1)
				goto out;
			break;
		case OP_BLOCK:
			if (block(r, t, i, sc) == -1)
				goto out;
			break;
		}
	}
	rc = 0;
out:
	r->level--;
	return rc;
}

int
mu_render(const struct mu_set *set, const char *name,
    const struct value *ctx, struct buf *out, char **err)
{
	return mu_render_traced(set, name, ctx, out, err, NULL);
}

size_t
mu_set_len(const struct mu_set *set)
{
	return set->len;
}

const char *
mu_set_name(const struct mu_set *set, size_t i)
{
	return set->v[i]->name;
}

uint64_t
mu_set_hash(const struct mu_set *set, const char *name)
{
	const struct mu_tpl *t = find(set, name, strlen(name), NULL);

	return t ? hash_bytes(t->src, strlen(t->src)) | 1 : 0;
}

int
mu_render_traced(const struct mu_set *set, const char *name,
    const struct value *ctx, struct buf *out, char **err,
    const struct mu_trace *trace)
{
	const struct mu_tpl *t;
	struct render r;
	size_t start = out->len;
	int rc = -1;

	if ((t = find(set, name, strlen(name), NULL)) == NULL) {
		if (err != NULL)
			*err = xasprintf("there is no template named \"%s\"",
			    name);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.set = set;
	r.out = out;
	r.trace = trace;
	if (trace && trace->tpl)
		trace->tpl(trace->arg, t->name, t->namelen);
	r.stk = r.stk0;
	r.stkcap = sizeof(r.stk0) / sizeof(r.stk0[0]);
	r.ind = r.ind0;
	r.indcap = sizeof(r.ind0);
	pushctx(&r, ctx);
	if (render(&r, t, 0, (uint32_t)t->n, NULL) == -1) {
		/* Leave no half page behind. */
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		if (err != NULL)
			*err = r.err;
		else
			free(r.err);
		goto out;
	}
	rc = 0;
out:
	if (r.stk != r.stk0)
		free((void *)r.stk);
	if (r.ind != r.ind0)
		free(r.ind);
	return rc;
}
