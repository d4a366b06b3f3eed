/*
 * YAML text to values with libyaml, and, when libyaml refuses the text,
 * what the editor typed in words they can act on.
 *
 * libyaml names its own states ("mapping values are not allowed in this
 * context"), and some mistakes surface lines away from where they were
 * made: a no-break space pasted after "title:" makes libyaml read the next
 * line as more of the same text and fail there. So on failure this file
 * reads the text around the place itself, names the character that was
 * typed, shows the line with a caret under it, and says what to type.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util/buf.h"
#include "util/mem.h"
#include "yaml.h"

/* Deeper nesting than this is refused rather than risking the stack. */
#define YAML_MAX_DEPTH	64
/*
 * A line is shown under a message only if the column is this many bytes
 * into it at most, and cut this many bytes after the column: a caret at
 * column 5000 helps nobody, and a terminal wraps a long line anyway.
 */
#define EXCERPT_BEFORE	240
#define EXCERPT_AFTER	80
/* Text quoted back in a hint is cut after this many bytes. */
#define HINT_TEXT_MAX	160

/*
 * A no-break space (U+00A0, what Word pastes) where YAML needs an
 * ordinary space: in the indentation, after a list's "-", or after a
 * key's ":". YAML takes it for a letter, so there the line becomes plain
 * text that starts at index. Found by reading the lines before parsing;
 * libyaml's events then tell whether it really read the line so.
 */
struct nbsp {
	size_t	 index;		/* libyaml's index of the text */
	size_t	 off;		/* the no-break space's byte */
	int	 dash;		/* it follows a list's "-" */
	int	 cleared;	/* libyaml read it inside text */
};

struct yparse {
	yaml_parser_t	 parser;
	struct arena	*arena;
	const char	*text;		/* borrowed, len bytes */
	size_t		 len;
	const char	*file;
	unsigned	 line_offset;
	struct diags	*diags;
	struct nbsp	*nb;		/* in the order of the text */
	size_t		 nnb;
	size_t		 nbcap;
	size_t		 nbnext;	/* first one no event passed */
	const struct nbsp *match;	/* one the last event starts at */
	int		 have_last;	/* the last scalar event: */
	yaml_mark_t	 last_start;
	yaml_mark_t	 last_end;
	yaml_scalar_style_t last_style;
};

/* A place in the text: its byte, where its line begins, line and column. */
struct where {
	size_t		 off;
	size_t		 bol;
	unsigned	 line;
	unsigned	 col;
};

/*
 * One line as a block of YAML reads it: indentation, list dashes, a key
 * and its colon, the value. Offsets into the text; colon and value are eol
 * when the line has no "key: ".
 */
struct yline {
	size_t	 bol;
	size_t	 eol;		/* before the line break, CR too */
	size_t	 content;	/* after the indentation */
	size_t	 item;		/* after the "- " of list items */
	size_t	 colon;
	size_t	 value;
	size_t	 end;		/* eol less trailing blanks */
};

static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static int
is_nbsp(const struct yparse *y, size_t i, size_t end)
{
	return i + 1 < end && (unsigned char)y->text[i] == 0xc2 &&
	    (unsigned char)y->text[i + 1] == 0xa0;
}

/*
 * Returns the length of the UTF-8 character at p, 0 if the bytes there
 * are not one; *cp gets the code point.
 */
static size_t
u8char(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	size_t n, i;
	unsigned c = p[0], lo = 0x80, hi = 0xbf;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	c &= 0x7f >> n;
	for (i = 1; i < n; i++) {
		if (!is_cont(p[i]))
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	*cp = c;
	return n;
}

/*
 * Returns the byte offset of libyaml's character index. libyaml counts
 * characters (a CR LF as two), the printer counts every byte that is not
 * a UTF-8 continuation byte as a column: the same on any text libyaml got
 * as far as parsing.
 */
static size_t
index_off(const struct yparse *y, size_t index)
{
	const unsigned char *s = (const unsigned char *)y->text;
	size_t i, n = 0;

	for (i = 0; i < y->len; i++) {
		if (is_cont(s[i]))
			continue;
		if (n++ == index)
			return i;
	}
	return y->len;
}

/*
 * Returns the place of byte off. Lines are counted at LF only, as the
 * editor's program counts them, not also at the Unicode line separators
 * libyaml counts; the page's line_offset is added.
 */
static struct where
where_off(const struct yparse *y, size_t off)
{
	const unsigned char *s = (const unsigned char *)y->text;
	struct where w;
	size_t i;

	if (off > y->len)
		off = y->len;
	w.off = off;
	w.bol = 0;
	w.line = 1 + y->line_offset;
	w.col = 1;
	for (i = 0; i < off; i++)
		if (s[i] == '\n') {
			w.line++;
			w.bol = i + 1;
		}
	for (i = w.bol; i < off; i++)
		if (!is_cont(s[i]))
			w.col++;
	return w;
}

static struct where
where_mark(const struct yparse *y, const yaml_mark_t *m)
{
	return where_off(y, index_off(y, m->index));
}

/* Whether code point c would show as nothing, or move the cursor. */
static int
unshowable(unsigned c)
{
	return (c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0) ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

/*
 * Appends s[0..n), with what a terminal would act on or show as nothing
 * (controls, line separators, zero-width and direction marks) and bytes
 * that are not UTF-8 as one '?' for each column they count as, so that a
 * caret under the text stays under the right character; quote doubles
 * each single quote, as YAML's single quotes want it.
 */
static void
put_shown(struct buf *b, const char *str, size_t n, int quote)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, k, m;
	unsigned c = 0;

	for (i = 0; i < n; i += m) {
		/* A column: one byte and the continuation bytes after it. */
		for (m = 1; i + m < n && is_cont(s[i + m]); m++)
			continue;
		if (is_cont(s[i]))
			continue;
		k = u8char(s + i, s + i + m, &c);
		if (k != m || unshowable(c))
			buf_putc(b, '?');
		else {
			if (quote && c == '\'')
				buf_putc(b, '\'');
			buf_put(b, s + i, m);
		}
	}
}

/*
 * Gives the last diagnostic the line w is on, if it is not empty, for the
 * printer to show with a caret under w's column (put_shown).
 */
static void
excerpt(struct yparse *y, struct where w)
{
	const unsigned char *s = (const unsigned char *)y->text, *nl;
	struct buf b = BUF_INIT;
	size_t eol, end;

	if (w.off - w.bol > EXCERPT_BEFORE)
		return;
	nl = w.bol < y->len ? memchr(s + w.bol, '\n', y->len - w.bol) : NULL;
	eol = nl != NULL ? (size_t)(nl - s) : y->len;
	if (eol > w.bol && s[eol - 1] == '\r')
		eol--;
	/* The end of the text, as a rule: nothing to point at. */
	if (eol == w.bol)
		return;
	end = eol;
	if (end > w.off && end - w.off > EXCERPT_AFTER) {
		end = w.off + EXCERPT_AFTER;
		while (end < eol && is_cont(s[end]))
			end++;
	}
	put_shown(&b, y->text + w.bol, end - w.bol, 0);
	if (end < eol)
		buf_puts(&b, "\xe2\x80\xa6");
	diag_excerpt(y->diags, b.len ? b.data : "", b.len);
	buf_free(&b);
}

/* Reads the line that byte off is on. */
static void
line_at(const struct yparse *y, size_t off, struct yline *l)
{
	const char *s = y->text, *nl;
	size_t i, eol;
	char q;

	if (off > y->len)
		off = y->len;
	for (i = off; i > 0 && s[i - 1] != '\n'; i--)
		continue;
	l->bol = i;
	nl = off < y->len ? memchr(s + off, '\n', y->len - off) : NULL;
	eol = nl != NULL ? (size_t)(nl - s) : y->len;
	if (eol > l->bol && s[eol - 1] == '\r')
		eol--;
	l->eol = eol;
	for (i = l->bol; i < eol && s[i] == ' '; i++)
		continue;
	l->content = i;
	while (i + 1 < eol && s[i] == '-' && (s[i + 1] == ' ' ||
	    s[i + 1] == '\t'))
		for (i += 2; i < eol && (s[i] == ' ' || s[i] == '\t'); i++)
			continue;
	l->item = i;
	l->colon = l->value = eol;
	/* A key in quotes may hold ": "; look for the colon after it. */
	if (i < eol && (s[i] == '"' || s[i] == '\'')) {
		q = s[i];
		for (i++; i < eol && s[i] != q; i++)
			continue;
	}
	for (; i < eol; i++) {
		if (s[i] == '#' && i > l->item && (s[i - 1] == ' ' ||
		    s[i - 1] == '\t'))
			break;
		if (s[i] == ':' && (i + 1 == eol || s[i + 1] == ' ' ||
		    s[i + 1] == '\t')) {
			l->colon = i;
			for (i++; i < eol && (s[i] == ' ' || s[i] == '\t'); i++)
				continue;
			l->value = i;
			break;
		}
	}
	for (i = eol; i > l->bol && (s[i - 1] == ' ' || s[i - 1] == '\t'); i--)
		continue;
	l->end = i;
}

/*
 * Appends s[0..n) as YAML text in quotes, for a hint to show: in double
 * quotes, or in single quotes when it holds a double quote or a backslash
 * (which double quotes would read as an escape), a single quote doubled.
 */
static void
put_quoted(struct buf *b, const char *s, size_t n)
{
	int single = memchr(s, '"', n) != NULL || memchr(s, '\\', n) != NULL;
	int cut = 0;

	if (n > HINT_TEXT_MAX) {
		for (n = HINT_TEXT_MAX; n > 0 && is_cont((unsigned char)s[n]);
		    n--)
			continue;
		cut = 1;
	}
	buf_putc(b, single ? '\'' : '"');
	put_shown(b, s, n, single);
	if (cut)
		buf_puts(b, "\xe2\x80\xa6");
	buf_putc(b, single ? '\'' : '"');
}

/*
 * Gives the last diagnostic the hint to type the text s[0..n), whose
 * value starts at byte v of line l, in straight quotes: as "key: text",
 * "- text" or the text alone, as it stands on the line. The quotes are an
 * argument, not part of the format, so a translation cannot turn them
 * into typographic ones.
 */
static void
hint_quoted(struct yparse *y, const struct yline *l, size_t v, int straight,
    const char *s, size_t n)
{
	struct buf key = BUF_INIT, val = BUF_INIT;
	size_t k;

	put_quoted(&val, s, n);
	if (l->colon < v) {
		for (k = l->colon; k > l->content && (y->text[k - 1] == ' ' ||
		    y->text[k - 1] == '\t'); k--)
			continue;
		put_shown(&key, y->text + l->content, k - l->content, 0);
		if (key.data == NULL)
			buf_puts(&key, "");
		if (straight)
			diag_hintf(y->diags, "Use straight quotes: %s: %s",
			    key.data, val.data);
		else
			diag_hintf(y->diags, "Put the text in quotes: %s: %s",
			    key.data, val.data);
	} else if (l->item > l->content && l->item <= v) {
		if (straight)
			diag_hintf(y->diags, "Use straight quotes: - %s",
			    val.data);
		else
			diag_hintf(y->diags, "Put the text in quotes: - %s",
			    val.data);
	} else {
		if (straight)
			diag_hintf(y->diags, "Use straight quotes: %s",
			    val.data);
		else
			diag_hintf(y->diags, "Put the text in quotes: %s",
			    val.data);
	}
	buf_free(&key);
	buf_free(&val);
}

/*
 * Returns the length of the typographic quote that s[0..n) starts with,
 * 0 if none: ” “ „ ’ ‘ ‚ « », which Word types for the " key.
 */
static size_t
curly(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0x98 ||
	    s[2] == 0x99 || s[2] == 0x9a || s[2] == 0x9c || s[2] == 0x9d ||
	    s[2] == 0x9e))
		return 3;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0xab || s[1] == 0xbb))
		return 2;
	return 0;
}

/* Returns the length of the typographic quote s[0..n) ends with, or 0. */
static size_t
curly_end(const char *s, size_t n)
{
	if (n >= 3 && curly(s + n - 3, 3) == 3)
		return 3;
	if (n >= 2 && curly(s + n - 2, 2) == 2)
		return 2;
	return 0;
}

/*
 * The typographic quotes around the text s[0..n) (from the opening one),
 * in message, and the text between them in straight quotes in the hint.
 */
static void
quotes_error(struct yparse *y, const struct yline *l, size_t v)
{
	const char *s = y->text + v;
	size_t n = l->end - v, on = curly(s, n), cn;
	char open[4] = "", close[4] = "";
	struct where w = where_off(y, v);

	memcpy(open, s, on);
	cn = curly_end(s + on, n - on);
	if (cn > 0) {
		memcpy(close, s + n - cn, cn);
		n -= cn;
	} else if (on == 3) {
		/* None on the line: name the one that pairs with it. */
		memcpy(close, s, 3);
		close[2] = s[2] == '\x98' || s[2] == '\x99' || s[2] == '\x9a' ?
		    '\x99' : '\x9d';
	} else
		memcpy(close, "\xc2\xbb", 2);
	diag_error(y->diags, y->file, w.line, w.col, NULL,
	    "typographic quotes %s %s do not quote text in YAML", open,
	    close);
	excerpt(y, w);
	hint_quoted(y, l, v, 1, s + on, n - on);
}

static void
nbsp_error(struct yparse *y, const struct nbsp *c)
{
	struct where w = where_off(y, c->off);

	diag_error(y->diags, y->file, w.line, w.col,
	    "Delete it and type an ordinary space.",
	    "a no-break space (U+00A0) where a space belongs");
	excerpt(y, w);
}

/*
 * Finds the no-break spaces that stand where YAML needs a space (struct
 * nbsp), line by line. Lines inside quoted or block text are read too:
 * the events decide later which ones libyaml took as a line of YAML.
 */
static void
nbsp_scan(struct yparse *y)
{
	const char *s = y->text, *nl;
	size_t bol, eol, i, j, at, nb, index = 0, counted;
	struct nbsp *c;

	if (y->len < 2 || memmem(s, y->len, "\xc2\xa0", 2) == NULL)
		return;
	for (bol = 0; bol < y->len; bol = eol + 1) {
		nl = memchr(s + bol, '\n', y->len - bol);
		eol = nl != NULL ? (size_t)(nl - s) : y->len;
		/* at: where the text starts; nb: the no-break space. */
		at = nb = eol;
		for (i = bol; i < eol; i++) {
			if (s[i] == ' ')
				continue;
			if (!is_nbsp(y, i, eol))
				break;
			if (at == eol)
				at = nb = i;
			i++;
		}
		if (at == eol && i + 1 < eol && s[i] == '-' &&
		    is_nbsp(y, i + 1, eol)) {
			at = i;
			nb = i + 1;
		} else if (at == eol) {
			while (i + 1 < eol && s[i] == '-' && s[i + 1] == ' ')
				for (i += 2; i < eol && s[i] == ' '; i++)
					continue;
			/* What cannot start a plain key is no key. */
			if (i < eol && strchr("\"'[]{}|>#&*!%@`,?:\t\r",
			    s[i]) == NULL) {
				for (j = i; j < eol; j++) {
					if (s[j] == '#' && (s[j - 1] == ' ' ||
					    s[j - 1] == '\t'))
						break;
					if (s[j] != ':')
						continue;
					if (is_nbsp(y, j + 1, eol)) {
						at = i;
						nb = j + 1;
						break;
					}
					if (j + 1 == eol || s[j + 1] == ' ' ||
					    s[j + 1] == '\t' ||
					    s[j + 1] == '\r')
						break;
				}
			}
		}
		counted = bol;
		if (at < eol) {
			for (; counted < at; counted++)
				if (!is_cont((unsigned char)s[counted]))
					index++;
			y->nb = xgrow(y->nb, &y->nbcap, y->nnb + 1,
			    sizeof(*y->nb));
			c = &y->nb[y->nnb++];
			c->index = index;
			c->off = nb;
			c->dash = s[at] == '-';
			c->cleared = 0;
		}
		for (; counted < eol; counted++)
			if (!is_cont((unsigned char)s[counted]))
				index++;
		/* The line break. */
		index++;
	}
}

/*
 * Moves past the no-break spaces that the event ev has passed or holds,
 * noting in y->match one that starts the plain text ev is: whether that
 * is a mistake is for the caller, who knows whether ev is a key. That one
 * stays suspect: if the text goes on over the next line and fails there,
 * it may still be the cause (nbsp_blame).
 */
static void
nbsp_track(struct yparse *y, const yaml_event_t *ev)
{
	struct nbsp *c;

	y->match = NULL;
	for (; y->nbnext < y->nnb; y->nbnext++) {
		c = &y->nb[y->nbnext];
		if (c->index == ev->start_mark.index &&
		    ev->type == YAML_SCALAR_EVENT &&
		    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
			y->match = c;
			continue;
		}
		if (c->index >= ev->start_mark.index &&
		    c->index >= ev->end_mark.index)
			break;
		c->cleared = 1;
	}
}

/*
 * Parses text to its end, as a check: returns 1 if libyaml takes all of
 * it, else 0 with *index where it failed.
 */
static int
parses(const char *text, size_t len, size_t *index)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int ok = 0, type;

	*index = 0;
	if (!yaml_parser_initialize(&p))
		return 0;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			*index = p.problem_mark.index;
			break;
		}
		type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT) {
			ok = 1;
			break;
		}
	}
	yaml_parser_delete(&p);
	return ok;
}

/*
 * Whether a no-break space before libyaml's failure at index is what made
 * it fail: if with ordinary spaces in their place the text parses, or
 * fails only further on, the first one is reported.
 */
static int
nbsp_blame(struct yparse *y, size_t index)
{
	struct buf b = BUF_INIT;
	const struct nbsp *first = NULL;
	size_t i, from = 0, got;
	int better;

	/* One byte shorter for each, but the same characters. */
	for (i = 0; i < y->nnb && y->nb[i].index <= index; i++) {
		if (y->nb[i].cleared)
			continue;
		if (first == NULL)
			first = &y->nb[i];
		buf_put(&b, y->text + from, y->nb[i].off - from);
		buf_putc(&b, ' ');
		from = y->nb[i].off + 2;
	}
	if (first == NULL)
		return 0;
	buf_put(&b, y->text + from, y->len - from);
	better = parses(b.data, b.len, &got) || got > index;
	buf_free(&b);
	if (better)
		nbsp_error(y, first);
	return better;
}

/* A tab at or, for libyaml's tab problems, before off on its line. */
static int
tab_error(struct yparse *y, size_t off, const char *problem)
{
	struct yline l;
	size_t t, i;
	struct where w;
	int indent = 1;

	line_at(y, off, &l);
	t = off;
	if (off >= y->len || y->text[off] != '\t') {
		if (strstr(problem, "tab character") == NULL)
			return 0;
		for (t = l.bol; t < l.eol && y->text[t] == ' '; t++)
			continue;
		if (t == l.eol || y->text[t] != '\t')
			return 0;
	}
	for (i = l.bol; i < t; i++)
		if (y->text[i] != ' ' && y->text[i] != '\t' &&
		    y->text[i] != '-')
			indent = 0;
	w = where_off(y, t);
	if (indent)
		diag_error(y->diags, y->file, w.line, w.col,
		    "Indent with spaces, not the Tab key.",
		    "a tab character is used for indentation");
	else
		diag_error(y->diags, y->file, w.line, w.col,
		    "Type an ordinary space instead of the tab.",
		    "a tab character where YAML needs a space");
	excerpt(y, w);
	return 1;
}

/*
 * The character at off, which cannot start plain text, starts a value:
 * as text in quotes it would be fine.
 */
static int
starter_error(struct yparse *y, size_t off, const char *what)
{
	struct yline l;
	struct where w;

	line_at(y, off, &l);
	if (off != l.value && !(l.colon == l.eol && off == l.item))
		return 0;
	w = where_off(y, off);
	diag_error(y->diags, y->file, w.line, w.col, NULL,
	    "text that is not in quotes cannot start with \"%s\"", what);
	excerpt(y, w);
	hint_quoted(y, &l, off, 0, y->text + off, l.end - off);
	return 1;
}

/* A line where a key belongs has text and no "key:". */
static void
no_key_error(struct yparse *y, size_t off)
{
	struct where w = where_off(y, off);

	diag_error(y->diags, y->file, w.line, w.col,
	    "Write it as key: value; if it continues the text above, indent "
	    "it with spaces.",
	    "invalid YAML: the line has no key (key: value)");
	excerpt(y, w);
}

/* The line above l with something on it other than a comment, if any. */
static int
prev_line(const struct yparse *y, const struct yline *l, struct yline *pl)
{
	size_t p;

	for (p = l->bol; p > 0; p = pl->bol) {
		line_at(y, p - 1, pl);
		if (pl->content < pl->eol && y->text[pl->content] != '#')
			return 1;
	}
	return 0;
}

/*
 * The line at off does not start where the key on the line above starts,
 * nor anywhere else YAML could take it: names that key, which is where
 * a line of the same group starts.
 */
static int
misaligned(struct yparse *y, size_t off)
{
	struct yline l, pl;
	struct where w, pw;
	struct buf key = BUF_INIT;
	size_t k;

	line_at(y, off, &l);
	if (off != l.content || !prev_line(y, &l, &pl) ||
	    pl.colon == pl.eol || l.content - l.bol == pl.item - pl.bol)
		return 0;
	for (k = pl.colon; k > pl.item && (y->text[k - 1] == ' ' ||
	    y->text[k - 1] == '\t'); k--)
		continue;
	if (k - pl.item > 40)
		for (k = pl.item + 40; k > pl.item &&
		    is_cont((unsigned char)y->text[k]); k--)
			continue;
	put_shown(&key, y->text + pl.item, k - pl.item, 0);
	w = where_off(y, off);
	pw = where_off(y, pl.item);
	diag_error(y->diags, y->file, w.line, w.col, NULL,
	    "invalid YAML: the line is not lined up with the line above it");
	excerpt(y, w);
	diag_hintf(y->diags, "Start it in the same column as \"%s\" on line "
	    "%u.", key.data ? key.data : "", pw.line);
	buf_free(&key);
	return 1;
}

/*
 * libyaml's "mapping values are not allowed in this context": the colon
 * at off, followed by a space, is where YAML cannot start a key.
 */
static int
colon_error(struct yparse *y, size_t off)
{
	struct yline l, pl;
	struct where w, pw;
	const char *s = y->text;
	size_t v;

	line_at(y, off, &l);
	v = l.value;
	if (l.colon < off && v <= off) {
		/* The line's own "key: " came first: the colon is text. */
		if (curly(s + v, l.end - v) > 0) {
			quotes_error(y, &l, v);
			return 1;
		}
		if (strchr("\"'[]{}|>&*!%@`#,", s[v]) != NULL)
			return 0;
		w = where_off(y, off);
		diag_error(y->diags, y->file, w.line, w.col, NULL,
		    "a colon followed by a space in text that is not in "
		    "quotes");
		excerpt(y, w);
		hint_quoted(y, &l, v, 0, s + v, l.end - v);
		return 1;
	}
	if (l.colon != off)
		return 0;
	/*
	 * The line's key was read as more of the plain text before it: the
	 * text of a key above, when this line is indented deeper than that
	 * key, else a line that has no key.
	 */
	if (y->have_last && y->last_style == YAML_PLAIN_SCALAR_STYLE &&
	    y->last_start.line < y->last_end.line &&
	    y->last_end.line == y->parser.problem_mark.line) {
		line_at(y, index_off(y, y->last_start.index), &pl);
		if (l.content - l.bol > pl.content - pl.bol) {
			pw = where_off(y, pl.content);
			w = where_off(y, l.content);
			diag_error(y->diags, y->file, w.line, w.col, NULL,
			    "invalid YAML: the line is indented more than the "
			    "key on line %u", pw.line);
			excerpt(y, w);
			diag_hintf(y->diags, "Start it in the same column as "
			    "the key on line %u; if it continues that text, "
			    "put the whole text in quotes.", pw.line);
			return 1;
		}
	}
	if (!prev_line(y, &l, &pl) || pl.colon != pl.eol ||
	    pl.content - pl.bol != l.content - l.bol || s[pl.content] == '-')
		return 0;
	no_key_error(y, pl.content);
	return 1;
}

/* Reader errors: bytes that are not text. */
static void
reader_error(struct yparse *y)
{
	const yaml_parser_t *p = &y->parser;
	struct where w = where_off(y, p->problem_offset);

	if (strcmp(p->problem, "control characters are not allowed") == 0) {
		diag_error(y->diags, y->file, w.line, w.col,
		    "Delete it; it may have come in with text pasted from "
		    "another program.",
		    "an invisible control character (U+%04X) in the text",
		    (unsigned)p->problem_value);
	} else if (strstr(p->problem, "UTF-8") != NULL ||
	    strcmp(p->problem, "invalid Unicode character") == 0) {
		diag_error(y->diags, y->file, w.line, w.col,
		    "Save the file as UTF-8.",
		    "invalid YAML: the text is not valid UTF-8");
	} else
		diag_error(y->diags, y->file, w.line, w.col, NULL,
		    "invalid YAML: %s", p->problem);
	excerpt(y, w);
}

/*
 * Adds the diagnostic for libyaml's failure: what the editor typed, where
 * it is and what to type instead; libyaml's own words only for what is
 * not foreseen here.
 */
static void
explain(struct yparse *y)
{
	const yaml_parser_t *p = &y->parser;
	const char *problem = p->problem ? p->problem : "";
	const char *context = p->context ? p->context : "";
	struct where w, cw;
	struct yline l;
	size_t off, coff;
	char c[2] = "";

	if (p->error == YAML_READER_ERROR && p->problem != NULL) {
		reader_error(y);
		return;
	}
	off = index_off(y, p->problem_mark.index);
	coff = index_off(y, p->context_mark.index);
	w = where_off(y, off);
	cw = where_off(y, coff);
	if (off < y->len)
		c[0] = y->text[off];
	if (nbsp_blame(y, p->problem_mark.index) || tab_error(y, off, problem))
		return;
	if (strcmp(problem, "mapping values are not allowed in this "
	    "context") == 0) {
		if (colon_error(y, off))
			return;
		diag_error(y->diags, y->file, w.line, w.col,
		    "Put the text in quotes, or check the indentation.",
		    "invalid YAML: a colon followed by a space where no key "
		    "can start");
	} else if (strcmp(problem, "found character that cannot start any "
	    "token") == 0 && c[0] != '\0' && strchr("@`", c[0]) != NULL) {
		if (starter_error(y, off, c))
			return;
		diag_error(y->diags, y->file, w.line, w.col,
		    "Put the text in quotes.", "text that is not in quotes "
		    "cannot start with \"%s\"", c);
	} else if (strcmp(context, "while scanning an alias") == 0 ||
	    strcmp(context, "while scanning an anchor") == 0 ||
	    strcmp(context, "while scanning a tag") == 0 ||
	    strcmp(context, "while scanning a directive") == 0) {
		/* *tärkeä*, &, !, % at the start: text read as YAML's. */
		c[0] = coff < y->len ? y->text[coff] : '\0';
		if (starter_error(y, coff, c))
			return;
		diag_error(y->diags, y->file, cw.line, cw.col,
		    "Put the text in quotes.", "text that is not in quotes "
		    "cannot start with \"%s\"", c);
		w = cw;
	} else if (strcmp(problem, "block sequence entries are not allowed "
	    "in this context") == 0) {
		if (starter_error(y, off, "- "))
			return;
		diag_error(y->diags, y->file, w.line, w.col,
		    "Check the indentation: a list starts on the line after "
		    "its key, each item with - and a space.",
		    "invalid YAML: a list item where none can start");
	} else if (strcmp(problem, "did not find expected node content") ==
	    0) {
		if (strchr(",]}", c[0]) != NULL && c[0] != '\0' &&
		    strstr(context, "flow") != NULL)
			diag_error(y->diags, y->file, w.line, w.col,
			    "Write the value, or delete the extra comma.",
			    "invalid YAML: a value is missing before \"%s\"",
			    c);
		else if (c[0] > ' ' && c[0] < 0x7f && starter_error(y, off, c))
			return;
		else
			diag_error(y->diags, y->file, w.line, w.col,
			    "Write the value, or put the text in quotes.",
			    "invalid YAML: a value is missing here");
	} else if (strcmp(context, "while scanning a quoted scalar") == 0 &&
	    (strcmp(problem, "found unexpected end of stream") == 0 ||
	    strcmp(problem, "found unexpected document indicator") == 0)) {
		c[0] = coff < y->len ? y->text[coff] : '"';
		diag_error(y->diags, y->file, cw.line, cw.col, NULL,
		    "invalid YAML: the quote %s is not closed", c);
		diag_hintf(y->diags, "Add a closing %s where the text ends, "
		    "or delete this one.", c);
		w = cw;
	} else if (strcmp(context, "while parsing a quoted scalar") == 0) {
		diag_error(y->diags, y->file, w.line, w.col,
		    "Write \\\\ for a backslash, or put the text in single "
		    "quotes.", "invalid YAML: a backslash (\\) in text in "
		    "double quotes");
	} else if (strcmp(problem, "did not find expected ',' or ']'") == 0) {
		diag_error(y->diags, y->file, w.line, w.col,
		    "Add ] after the last item, and separate the items with "
		    "commas.", "invalid YAML: the [ on line %u is not closed "
		    "with ]", cw.line);
	} else if (strcmp(problem, "did not find expected ',' or '}'") == 0) {
		diag_error(y->diags, y->file, w.line, w.col,
		    "Add } after the last item, and separate the items with "
		    "commas.", "invalid YAML: the { on line %u is not closed "
		    "with }", cw.line);
	} else if (strcmp(problem, "could not find expected ':'") == 0) {
		no_key_error(y, coff);
		return;
	} else if (strcmp(problem, "did not find expected key") == 0) {
		line_at(y, off, &l);
		if (misaligned(y, off))
			return;
		if (off == l.content && l.item > l.content)
			diag_error(y->diags, y->file, w.line, w.col,
			    "Write the list's key and a colon on a line of "
			    "its own above it.",
			    "invalid YAML: a list item where a key belongs");
		else if (off == l.content)
			diag_error(y->diags, y->file, w.line, w.col,
			    "Start it in the same column as the other keys "
			    "at its level.", "invalid YAML: the line is not "
			    "lined up with the keys above it");
		else if (y->have_last &&
		    y->last_style != YAML_PLAIN_SCALAR_STYLE &&
		    index_off(y, y->last_end.index) <= off &&
		    index_off(y, y->last_end.index) > l.bol &&
		    l.value < l.end) {
			diag_error(y->diags, y->file, w.line, w.col, NULL,
			    "invalid YAML: text after the closing quote");
			excerpt(y, w);
			hint_quoted(y, &l, l.value, 0, y->text + l.value,
			    l.end - l.value);
			return;
		} else
			diag_error(y->diags, y->file, w.line, w.col,
			    "Put the whole text in quotes, or check the "
			    "indentation.", "invalid YAML: more text where "
			    "the value should end");
	} else if (strcmp(problem, "did not find expected '-' indicator") ==
	    0) {
		if (misaligned(y, off))
			return;
		diag_error(y->diags, y->file, w.line, w.col,
		    "Start it in the same column as the other items, with - "
		    "and a space.", "invalid YAML: the line is not lined up "
		    "with the list items above it");
	} else
		diag_error(y->diags, y->file, w.line, w.col,
		    "Check the indentation, and put text in quotes if it "
		    "contains \": \" or starts with a special character.",
		    "invalid YAML: %s", p->problem ? p->problem :
		    "syntax error");
	excerpt(y, w);
}

static int
is_null_word(const char *s, size_t n)
{
	return n == 0 || (n == 1 && *s == '~') ||
	    (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
	    !memcmp(s, "NULL", 4)));
}

static int
bool_word(const char *s, size_t n)
{
	if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) ||
	    !memcmp(s, "TRUE", 4))))
		return 1;
	if ((n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) ||
	    !memcmp(s, "FALSE", 5))))
		return 0;
	return -1;
}

static struct value *
scalar(struct yparse *y, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	struct value *v;
	double d;
	int b;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    ev->data.scalar.tag != NULL)
		v = value_string(y->arena, s, n);
	else if (is_null_word(s, n))
		v = value_null(y->arena);
	else if ((b = bool_word(s, n)) >= 0)
		v = value_bool(y->arena, b);
	else if (value_parse_number(s, n, &d)) {
		v = value_number(y->arena, d);
		v->str = arena_strndup(y->arena, s, n);
		v->len = n;
	} else
		v = value_string(y->arena, s, n);
	return v;
}

static int
next(struct yparse *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->parser, ev)) {
		explain(y);
		return 0;
	}
	nbsp_track(y, ev);
	if (ev->type == YAML_SCALAR_EVENT) {
		y->have_last = 1;
		y->last_start = ev->start_mark;
		y->last_end = ev->end_mark;
		y->last_style = ev->data.scalar.style;
	}
	return 1;
}

/*
 * A list item like - ”Hyvä: arvo” parses, as a map from ”Hyvä to arvo”:
 * the key opens a typographic quote and its value on the same line
 * closes one.
 */
static int
curly_pair(struct yparse *y, const yaml_event_t *k, const yaml_event_t *v)
{
	const char *ks = (const char *)k->data.scalar.value;
	const char *vs;
	size_t kn = k->data.scalar.length, vn;
	struct yline l;

	if (v->type != YAML_SCALAR_EVENT ||
	    v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    k->start_mark.line != v->end_mark.line)
		return 0;
	vs = (const char *)v->data.scalar.value;
	vn = v->data.scalar.length;
	if (curly(ks, kn) == 0 || curly_end(ks + curly(ks, kn),
	    kn - curly(ks, kn)) > 0 || curly_end(vs, vn) == 0)
		return 0;
	line_at(y, index_off(y, k->start_mark.index), &l);
	l.colon = l.value = l.eol;
	quotes_error(y, &l, index_off(y, k->start_mark.index));
	return 1;
}

static struct value *parse_node(struct yparse *, yaml_event_t *, int);

static struct value *
parse_sequence(struct yparse *y, int depth)
{
	struct value *list = value_list(y->arena), *item;
	yaml_event_t ev;

	for (;;) {
		if (!next(y, &ev))
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return list;
		}
		item = parse_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (item == NULL)
			return NULL;
		value_push(y->arena, list, item);
	}
}

static struct value *
parse_mapping(struct yparse *y, int depth)
{
	struct value *map = value_map(y->arena), *val;
	yaml_event_t ev, kev;
	struct where w;
	const char *key;

	for (;;) {
		if (!next(y, &ev))
			return NULL;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return map;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			w = where_mark(y, &ev.start_mark);
			diag_error(y->diags, y->file, w.line, w.col,
			    "Write keys as plain words.",
			    "a key must be plain text, not a list or a map");
			excerpt(y, w);
			yaml_event_delete(&ev);
			return NULL;
		}
		if (y->match != NULL) {
			nbsp_error(y, y->match);
			yaml_event_delete(&ev);
			return NULL;
		}
		key = arena_strndup(y->arena,
		    (const char *)ev.data.scalar.value,
		    ev.data.scalar.length);
		if (value_get(map, key) != NULL) {
			w = where_mark(y, &ev.start_mark);
			diag_error(y->diags, y->file, w.line, w.col,
			    "Remove one of the two, or rename one.",
			    "key \"%s\" is given twice", key);
			excerpt(y, w);
			yaml_event_delete(&ev);
			return NULL;
		}
		kev = ev;
		if (!next(y, &ev)) {
			yaml_event_delete(&kev);
			return NULL;
		}
		if (kev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    curly_pair(y, &kev, &ev)) {
			yaml_event_delete(&kev);
			yaml_event_delete(&ev);
			return NULL;
		}
		yaml_event_delete(&kev);
		val = parse_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (val == NULL)
			return NULL;
		value_append(y->arena, map, key, val);
	}
}

static struct value *
parse_node(struct yparse *y, yaml_event_t *ev, int depth)
{
	struct value *v = NULL;
	struct where w = { 0, 0, 0, 0 };

	if (depth > YAML_MAX_DEPTH) {
		w = where_mark(y, &ev->start_mark);
		diag_error(y->diags, y->file, w.line, w.col,
		    "Flatten the structure.", "YAML is nested too deeply");
		excerpt(y, w);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		/* Text that a no-break space made of a whole line of YAML. */
		if (y->match != NULL && (depth == 0 || y->match->dash)) {
			nbsp_error(y, y->match);
			return NULL;
		}
		v = scalar(y, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		v = parse_sequence(y, depth);
		break;
	case YAML_MAPPING_START_EVENT:
		v = parse_mapping(y, depth);
		break;
	case YAML_ALIAS_EVENT:
		w = where_mark(y, &ev->start_mark);
		diag_error(y->diags, y->file, w.line, w.col,
		    "Write the value out in full, or put the text in quotes.",
		    "YAML aliases (*name) are not supported");
		excerpt(y, w);
		return NULL;
	default:
		w = where_mark(y, &ev->start_mark);
		diag_error(y->diags, y->file, w.line, w.col, NULL,
		    "unexpected YAML structure");
		excerpt(y, w);
		return NULL;
	}
	if (v != NULL && v->line == 0) {
		v->line = (unsigned)ev->start_mark.line + 1 + y->line_offset;
		v->col = (unsigned)ev->start_mark.column + 1;
	}
	return v;
}

struct value *
yaml_parse(struct arena *a, const char *text, size_t len, const char *file,
    unsigned line_offset, struct diags *d)
{
	struct yparse y;
	yaml_event_t ev;
	struct value *root = NULL;
	struct where w;
	int done = 0;

	memset(&y, 0, sizeof(y));
	y.arena = a;
	y.text = text;
	y.len = len;
	y.file = file;
	y.line_offset = line_offset;
	y.diags = d;
	if (!yaml_parser_initialize(&y.parser)) {
		diag_error(d, file, 0, 0, NULL, "cannot start the YAML parser");
		return NULL;
	}
	nbsp_scan(&y);
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text,
	    len);
	yaml_parser_set_encoding(&y.parser, YAML_UTF8_ENCODING);
	while (!done) {
		if (!next(&y, &ev)) {
			root = NULL;
			goto out;
		}
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root != NULL) {
				w = where_mark(&y, &ev.start_mark);
				diag_error(d, file, w.line, w.col,
				    "Keep one document in the file; remove "
				    "the extra '---'.",
				    "more than one YAML document");
				excerpt(&y, w);
				yaml_event_delete(&ev);
				root = NULL;
				goto out;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			root = parse_node(&y, &ev, 0);
			if (root == NULL) {
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
	if (root == NULL)
		root = value_null(a);
out:
	yaml_parser_delete(&y.parser);
	free(y.nb);
	return root;
}
