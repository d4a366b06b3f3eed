/*
 * Fenced ```chart and ```table blocks, drawn at build time.
 *
 * A block is checked completely before anything is written: it either
 * renders whole or adds diagnostics and leaves the output as it was.
 * Everything a chart draws is also in the table under it. The SVG is one
 * image (role="img") with a title and a description; the table is what
 * screen reader users, and anyone after exact values, read.
 *
 * Nothing here keeps state between calls and nothing depends on the
 * locale, the clock or addresses, so the same block renders to the same
 * bytes on every build and in every thread.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "lang.h"
#include "util/text.h"
#include "yaml.h"

/* Bounds on the work one block may ask for. */
#define CHART_MAX_ROWS	1000
#define TABLE_MAX_ROWS	10000
#define MAX_SERIES	8	/* more stacked series than this are unreadable */
#define MAX_VALUE	1e15	/* keeps the scale arithmetic exact and finite */
#define MAX_DECIMALS	10
#define HINT_NAMES	30	/* names listed in a hint before "…" */

/* UTF-8 for the characters the Finnish conventions need. */
#define NBSP		"\xc2\xa0"
#define MINUS		"\xe2\x88\x92"
#define ENDASH		"\xe2\x80\x93"
#define ELLIPSIS	"\xe2\x80\xa6"

#define TEXT_COLOR	"#1a1a1a"	/* 17:1 on white */
#define TICK_COLOR	"#4a4a4a"	/* 8.9:1 */
#define GRID_COLOR	"#c4c4c4"	/* decorative: every value is labelled */
#define BAR_COLOR	"#1f5fa8"	/* 6.4:1 */

/*
 * Series fills: each at least 5:1 against white, so both the fill and
 * white text on it pass, and neighbours differ in hue and lightness.
 */
static const char *const palette[MAX_SERIES] = {
	"#1f5fa8", "#b34700", "#1e7a36", "#7b3294",
	"#a8174e", "#00707a", "#8a6100", "#5c5c5c"
};

/*
 * The texture drawn in white over each series' fill, inside an 8×8 tile,
 * so that series differ without colour. The first series is plain.
 */
static const char *const motifs[MAX_SERIES] = {
	"",
	"<path d=\"M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4\" stroke=\"#fff\" "
	    "stroke-width=\"1.6\"/>",
	"<circle cx=\"2\" cy=\"2\" r=\"1.4\" fill=\"#fff\"/>"
	    "<circle cx=\"6\" cy=\"6\" r=\"1.4\" fill=\"#fff\"/>",
	"<path d=\"M0,0 l8,8 M8,0 l-8,8\" stroke=\"#fff\" "
	    "stroke-width=\"1.2\"/>",
	"<path d=\"M0,4 h8\" stroke=\"#fff\" stroke-width=\"2\"/>",
	"<path d=\"M4,0 v8\" stroke=\"#fff\" stroke-width=\"2\"/>",
	"<path d=\"M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4\" stroke=\"#fff\" "
	    "stroke-width=\"1.6\"/>",
	"<path d=\"M0,4 h8 M4,0 v8\" stroke=\"#fff\" stroke-width=\"1.2\"/>"
};

enum chart_type {
	CHART_BAR,
	CHART_STACKED,
	CHART_TIMELINE
};

/* A piece of text; not necessarily NUL-terminated. */
struct text {
	const char	*s;
	size_t		 n;
};

/* One line of wrapped text, a slice of the original. */
struct line {
	const char	*s;
	size_t		 n;
	int		 ellipsis;	/* the text was cut after this line */
};

struct wrapped {
	struct line	*l;		/* in the arena */
	size_t		 n;
	int		 cut;		/* some text is not shown */
};

/* One block being rendered. Pointers are borrowed or in the arena. */
struct block {
	struct arena		*a;
	struct diags		*d;
	const char		*file;
	unsigned		 line;		/* first line of the spec */
	const char		*spec;
	size_t			 speclen;
	const struct value	*map;		/* the spec */
	const struct value	*data;		/* every data file */
	const struct value	*i18n;
	struct numfmt		 nf;		/* the page's language's */
	char			 id[32];	/* "chart-L12": unique per page */

	const char		*dname;		/* data name, no extension */
	const struct value	*dval;		/* the spec's data: value */
	const struct value	*list;		/* the data's rows, all maps */
	struct value		**rows;		/* the rows in display order */
	size_t			 nrows;
	const struct value	*labels;	/* column -> header, or NULL */
};

/* What the table renderer needs; the rows come from the block. */
struct table {
	const char	*id;		/* of the caption */
	struct text	 caption;	/* n == 0: none, use aria-label */
	const char	**cols;
	struct text	*heads;
	size_t		 ncols;
	int		 rowhead;	/* the first column heads its row */
};

struct chart {
	enum chart_type	 type;
	struct text	 title;
	struct text	 desc;		/* n == 0: none */
	struct text	 unit;		/* n == 0: none */
	const char	*x;
	const char	*y[MAX_SERIES];
	size_t		 ny;
	const char	*text;		/* timeline descriptions, or NULL */
};

static const char *const table_keys[] = {
	"data", "columns", "labels", "sort", "caption", NULL
};
static const char *const table_required[] = { "data", NULL };
static const char *const bar_keys[] = {
	"type", "data", "x", "y", "title", "description", "unit", "labels",
	"sort", NULL
};
static const char *const timeline_keys[] = {
	"type", "data", "x", "y", "text", "title", "description", "labels",
	"sort", NULL
};
static const char *const chart_required[] = {
	"data", "x", "y", "title", NULL
};

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Index of the character after the one at i; invalid UTF-8 is bytes. */
static size_t
cp_next(const char *s, size_t i, size_t n)
{
	for (i++; i < n && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
		continue;
	return i;
}

static size_t
cp_count(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Bytes taken by the first k characters of s. */
static size_t
cp_prefix(const char *s, size_t n, size_t k)
{
	size_t i = 0;

	while (i < n && k-- > 0)
		i = cp_next(s, i, n);
	return i;
}

static size_t
trim_end(const char *s, size_t n)
{
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	return n;
}

/*
 * Breaks s into lines of at most width characters, at spaces where there
 * are any. With maxlines 0 every character is shown, on as many lines as
 * it takes. Otherwise what does not fit on maxlines lines is cut and the
 * last line ends in an ellipsis: callers show the full text elsewhere
 * (the table, a <title>). width must be at least 2.
 */
static void
wrap(struct arena *a, const char *s, size_t n, size_t width,
    size_t maxlines, struct wrapped *w)
{
	size_t pos = 0, i, cps, end, sp, cut;

	memset(w, 0, sizeof(*w));
	/*
	 * A line broken at a space is followed by one that ends past the
	 * first one's window, so every two lines take at least width
	 * characters.
	 */
	if (maxlines == 0)
		maxlines = 2 * (cp_count(s, n) / width) + 3;
	w->l = arena_calloc(a, maxlines, sizeof(*w->l));
	while (pos < n && is_space((unsigned char)s[pos]))
		pos++;
	while (pos < n && w->n < maxlines) {
		sp = 0;
		for (i = pos, cps = 0; i < n && cps < width; cps++) {
			if (is_space((unsigned char)s[i]))
				sp = i;
			i = cp_next(s, i, n);
		}
		if (trim_end(s, n) <= i) {
			end = trim_end(s + pos, n - pos);
			w->l[w->n].s = s + pos;
			w->l[w->n++].n = end;
			break;
		}
		if (w->n + 1 == maxlines) {
			/* Room for the ellipsis; cut at a space if one is
			 * not too far back, else mid-word. */
			cut = pos + cp_prefix(s + pos, n - pos, width - 1);
			for (end = cut; end > pos &&
			    !is_space((unsigned char)s[end]); end--)
				continue;
			if (end <= pos || cp_count(s + pos, end - pos) <
			    width / 2)
				end = cut;
			w->l[w->n].s = s + pos;
			w->l[w->n].n = trim_end(s + pos, end - pos);
			w->l[w->n++].ellipsis = 1;
			w->cut = 1;
			break;
		}
		if (is_space((unsigned char)s[i]))
			end = i;
		else if (sp > pos)
			end = sp;
		else
			end = i;
		w->l[w->n].s = s + pos;
		w->l[w->n++].n = trim_end(s + pos, end - pos);
		for (pos = end; pos < n && is_space((unsigned char)s[pos]);
		    pos++)
			continue;
	}
	if (w->n == 0) {
		w->l[0].s = s;
		w->n = 1;
	}
}

/*
 * The advance of the character at s[i], in hundredths of an em. The SVG
 * inherits the page's font, so this is an estimate on the generous side
 * of DejaVu Sans, the widest common sans-serif: "i" and spaces a third
 * of an em, most small letters and digits 0.64, capitals 0.8, "M", "W"
 * and CJK a whole em.
 */
static int
cp_em(const char *s, size_t i, size_t n)
{
	unsigned char c = (unsigned char)s[i];
	unsigned char d = i + 1 < n ? (unsigned char)s[i + 1] : 0;

	if (c >= 0x80) {
		if (c == 0xc3)		/* Latin-1: "ÄÖÅ" and "äöå" */
			return d < 0x9f ? 80 : 64;
		if (c == 0xc2 && d == 0xa0)
			return 32;	/* no-break space */
		return c >= 0xe3 ? 100 : 84;
	}
	if (c != '\0' && strchr(" ijlIJ.,:;'!|", c) != NULL)
		return 32;
	if (c != '\0' && strchr("frt()[]-/\"", c) != NULL)
		return 42;
	if (c == 'm' || c == 'M' || c == 'W' || c == '%' || c == '@')
		return 100;
	if (c == 'w')
		return 82;
	if (c >= 'A' && c <= 'Z')
		return 80;
	return 64;
}

/* Estimated width of s at font size fs, in user units; see cp_em. */
static int
text_width(const char *s, size_t n, int fs)
{
	double em = 0;
	size_t i;

	for (i = 0; i < n; i = cp_next(s, i, n))
		em += cp_em(s, i, n);
	if (em > 1e7)
		em = 1e7;
	return (int)(em * fs / 100 + 0.5);
}

/* Estimated width of the widest line of w at font size fs. */
static int
wrapped_width(const struct wrapped *w, int fs)
{
	size_t i;
	int x, max = 0;

	for (i = 0; i < w->n; i++) {
		x = text_width(w->l[i].s, w->l[i].n, fs);
		if (w->l[i].ellipsis)
			x += text_width(ELLIPSIS, strlen(ELLIPSIS), fs);
		if (x > max)
			max = x;
	}
	return max;
}

/*
 * Wraps s whole on lines of at most chars characters, or fewer where wide
 * letters (capitals, "m", "w") would make a line wider than maxw units
 * at font size fs. A word longer than a line is broken.
 */
static void
wrap_fit(struct arena *a, struct text t, size_t chars, int maxw, int fs,
    struct wrapped *w)
{
	for (; chars > 2; chars--) {
		wrap(a, t.s, t.n, chars, 0, w);
		if (wrapped_width(w, fs) <= maxw)
			return;
	}
	wrap(a, t.s, t.n, 2, 0, w);
}

/*
 * Writes |d| rounded to dec decimals as the page's language writes
 * numbers (nf): in Finnish a decimal comma, a no-break space between
 * thousands (3 548); in English 3,548.5. Always a real minus sign; a
 * whole number that may be a year (1900 to 2100) is left as it is when
 * year is set, as a year is written. snprintf's decimal point follows
 * LC_NUMERIC, so whatever it writes between the digits is dropped rather
 * than assumed to be '.'.
 */
static void
num_put(struct buf *b, const struct numfmt *nf, double d, int dec, int year)
{
	char tmp[400];		/* DBL_MAX has 309 digits */
	size_t ni, i;
	const char *frac;
	int zero = 1, group;

	if (!isfinite(d)) {
		buf_puts(b, ENDASH);
		return;
	}
	if (dec < 0)
		dec = 0;
	if (dec > MAX_DECIMALS)
		dec = MAX_DECIMALS;
	snprintf(tmp, sizeof(tmp), "%.*f", dec, fabs(d));
	for (ni = 0; tmp[ni] >= '0' && tmp[ni] <= '9'; ni++)
		continue;
	for (frac = tmp + ni; *frac != '\0' && (*frac < '0' || *frac > '9');
	    frac++)
		continue;
	for (i = 0; tmp[i] != '\0'; i++)
		if (tmp[i] >= '1' && tmp[i] <= '9')
			zero = 0;
	if (d < 0 && !zero)
		buf_puts(b, MINUS);
	group = !(year && dec == 0 && d >= 1900 && d <= 2100);
	for (i = 0; i < ni; i++) {
		if (group && ni >= 4 && i > 0 && (ni - i) % 3 == 0)
			buf_puts(b, nf->group);
		buf_putc(b, tmp[i]);
	}
	if (dec > 0) {
		buf_puts(b, nf->decimal);
		buf_puts(b, frac);
	}
}

/*
 * Decimals to show for a number: as many as its source text had ("12.50"
 * keeps two), or as its shortest form needs when there is no source.
 */
static int
num_decimals(const struct value *v)
{
	char tmp[64];
	const char *s;
	size_t n, i = 0;
	int m = 0, e = 0, esign = 1;

	if (v->str != NULL && v->len > 0 && v->len < sizeof(tmp)) {
		s = v->str;
		n = v->len;
	} else {
		snprintf(tmp, sizeof(tmp), "%.15g", v->u.number);
		s = tmp;
		n = strlen(tmp);
	}
	while (i < n && (s[i] == '-' || s[i] == '+' || s[i] == ' '))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] != 'e' && s[i] != 'E' &&
	    (s[i] < '0' || s[i] > '9')) {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			m++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			esign = s[i++] == '-' ? -1 : 1;
		for (; i < n && s[i] >= '0' && s[i] <= '9' && e < 1000; i++)
			e = e * 10 + (s[i] - '0');
	}
	m -= esign * e;
	return m < 0 ? 0 : m > MAX_DECIMALS ? MAX_DECIMALS : m;
}

static void
value_num_put(struct buf *b, const struct numfmt *nf, const struct value *v)
{
	num_put(b, nf, v->u.number, num_decimals(v), 1);
}

/* A number for a message to the author: plain '.' and at most 2 decimals. */
static const char *
num_plain(struct arena *a, double d)
{
	char tmp[64], *p;
	size_t n;

	if (fabs(d) < 1e15)
		snprintf(tmp, sizeof(tmp), "%.2f", d);
	else
		snprintf(tmp, sizeof(tmp), "%.6g", d);
	/* Whatever decimal point the locale gave becomes '.'. */
	for (p = tmp; *p != '\0'; p++)
		if (*p != '-' && *p != '+' && *p != 'e' &&
		    (*p < '0' || *p > '9'))
			*p = '.';
	n = strlen(tmp);
	if (strchr(tmp, '.') != NULL && strchr(tmp, 'e') == NULL) {
		while (n > 0 && tmp[n - 1] == '0')
			n--;
		if (n > 0 && tmp[n - 1] == '.')
			n--;
	}
	return arena_strndup(a, tmp, n);
}

static struct text
i18n_text(const struct block *k, const char *key, const char *dflt)
{
	const struct value *v = value_get(k->i18n, key);
	struct text t;

	if (v != NULL && v->type == VAL_STRING) {
		t.s = v->str;
		t.n = v->len;
	} else {
		t.s = dflt;
		t.n = strlen(dflt);
	}
	return t;
}

/*
 * The text of a scalar spec value, so that "y: 2023" names the column
 * "2023". Returns NULL for lists, maps and null.
 */
static const char *
scalar_str(struct arena *a, const struct value *v, size_t *lenp)
{
	struct buf b = BUF_INIT;
	char *s;

	switch (v->type) {
	case VAL_STRING:
		*lenp = v->len;
		return v->str;
	case VAL_NUMBER:
		if (v->str != NULL) {
			*lenp = v->len;
			return v->str;
		}
		value_write(v, &b);
		s = arena_strndup(a, b.data ? b.data : "", b.len);
		*lenp = b.len;
		buf_free(&b);
		return s;
	case VAL_BOOL:
		*lenp = v->u.boolean ? 4 : 5;
		return v->u.boolean ? "true" : "false";
	default:
		return NULL;
	}
}

/*
 * The text a cell shows: numbers the Finnish way, booleans as words and
 * "–" for no value. Borrowed from the value or allocated in the arena.
 */
static struct text
cell_text(const struct block *k, const struct value *v)
{
	struct buf b = BUF_INIT;
	struct text t;

	if (v == NULL || v->type == VAL_NULL) {
		t.s = ENDASH;
		t.n = strlen(ENDASH);
	} else if (v->type == VAL_STRING) {
		t.s = v->str;
		t.n = v->len;
	} else if (v->type == VAL_BOOL)
		t = v->u.boolean ? i18n_text(k, "yes", "kyllä") :
		    i18n_text(k, "no", "ei");
	else if (v->type == VAL_NUMBER) {
		value_num_put(&b, &k->nf, v);
		t.s = arena_strndup(k->a, b.data, b.len);
		t.n = b.len;
		buf_free(&b);
	} else {
		t.s = "";
		t.n = 0;
	}
	return t;
}

static void
put_text(struct buf *b, struct text t)
{
	buf_put_html(b, t.s, t.n);
}

enum names_kind { NAMES_KEYS, NAMES_DATA, NAMES_COLUMNS };

/*
 * Gives the last diagnostic the hint "Did you mean "x"?" when one of
 * names is close to want, then the names of their kind (keys of block
 * what, data files, columns of data what), at most HINT_NAMES of them.
 */
static void
hint_names(struct diags *d, const char *want, const char *const *names,
    size_t n, enum names_kind kind, const char *what)
{
	struct buf b = BUF_INIT;
	const char *close = NULL;
	size_t i, dist, best = 3;

	for (i = 0; want != NULL && i < n; i++) {
		dist = text_distance(want, strlen(want), names[i],
		    strlen(names[i]), 1);
		if (dist < best && dist < strlen(names[i])) {
			best = dist;
			close = names[i];
		}
	}
	for (i = 0; i < n && i < HINT_NAMES; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	buf_puts(&b, n > HINT_NAMES ? ", " ELLIPSIS : ".");
	switch (kind) {
	case NAMES_KEYS:
		if (close != NULL)
			diag_hintf(d, "Did you mean \"%s\"? Known keys for %s: "
			    "%s", close, what, b.data);
		else
			diag_hintf(d, "Known keys for %s: %s", what, b.data);
		break;
	case NAMES_DATA:
		if (close != NULL)
			diag_hintf(d, "Did you mean \"%s\"? Data files: %s",
			    close, b.data);
		else
			diag_hintf(d, "Data files: %s", b.data);
		break;
	case NAMES_COLUMNS:
		if (close != NULL)
			diag_hintf(d, "Did you mean \"%s\"? Columns in %s: %s",
			    close, what, b.data);
		else
			diag_hintf(d, "Columns in %s: %s", what, b.data);
		break;
	}
	buf_free(&b);
}

static size_t
list_len(const char *const *l)
{
	size_t n = 0;

	while (l[n] != NULL)
		n++;
	return n;
}

/*
 * The line and column of a top-level key. Values know their lines, keys
 * do not: this finds the last line at or before the value's that starts
 * with the key and a colon, and falls back to the value's place.
 */
static void
key_place(const struct block *k, const char *key, const struct value *v,
    unsigned *line, unsigned *col)
{
	const char *s = k->spec, *end = k->spec + k->speclen, *p;
	size_t kl = strlen(key);
	unsigned ln = k->line, ind;

	*line = v->line ? v->line : k->line;
	*col = v->col ? v->col : 1;
	while (s < end && ln <= v->line) {
		for (p = s, ind = 0; p < end && *p == ' '; p++)
			ind++;
		if (p < end && (*p == '"' || *p == '\'') &&
		    (size_t)(end - p) > kl + 1 && memcmp(p + 1, key, kl) == 0 &&
		    p[kl + 1] == *p)
			p += kl + 2;
		else if ((size_t)(end - p) >= kl && memcmp(p, key, kl) == 0)
			p += kl;
		else
			p = NULL;
		while (p != NULL && p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p != NULL && p < end && *p == ':') {
			*line = ln;
			*col = ind + 1;
		}
		while (s < end && *s != '\n')
			s++;
		if (s < end)
			s++;
		ln++;
	}
}

/*
 * Reports each key of the spec that is not known and each required key
 * that is missing. what names the block ("a bar chart"). Returns -1 if
 * there was anything to report.
 */
static int
check_keys(struct block *k, const char *what, const char *const *known,
    const char *const *required)
{
	const struct value_pair *p;
	size_t i, j, nknown = list_len(known);
	unsigned line, col;
	int rc = 0;

	for (i = 0; i < k->map->len; i++) {
		p = &k->map->u.pairs[i];
		for (j = 0; known[j] != NULL; j++)
			if (strcmp(p->key, known[j]) == 0)
				break;
		if (known[j] != NULL)
			continue;
		key_place(k, p->key, p->val, &line, &col);
		diag_error(k->d, k->file, line, col, NULL,
		    "unknown key \"%s\" in %s", p->key, what);
		hint_names(k->d, p->key, known, nknown, NAMES_KEYS, what);
		rc = -1;
	}
	for (i = 0; required[i] != NULL; i++) {
		if (value_get(k->map, required[i]) != NULL)
			continue;
		diag_error(k->d, k->file, k->line, 1, NULL,
		    "%s needs the key \"%s\"", what, required[i]);
		diag_hintf(k->d, "Add a line such as \"%s: %s\".",
		    required[i], strcmp(required[i], "data") == 0 ?
		    "tiedosto.csv" : strcmp(required[i], "title") == 0 ?
		    "Otsikko" : "sarake");
		rc = -1;
	}
	return rc;
}

/*
 * The spec's text for key into *t (n == 0 if absent or empty). Numbers
 * and booleans count as text. Returns -1 after a diagnostic if the value
 * is a list or a map.
 */
static int
spec_text(struct block *k, const char *key, struct text *t)
{
	const struct value *v = value_get(k->map, key);

	t->s = "";
	t->n = 0;
	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if ((t->s = scalar_str(k->a, v, &t->n)) == NULL) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Write it on one line, or as a quoted string.",
		    "\"%s\" must be text, not a %s", key,
		    value_type_name(v->type));
		t->s = "";
		t->n = 0;
		return -1;
	}
	return 0;
}

/*
 * Finds the spec's data in the site's data. Names may carry a .csv,
 * .yaml or .yml extension. The data must be a non-empty list of maps
 * with at most maxrows rows.
 */
static int
resolve_data(struct block *k, const char *what, size_t maxrows)
{
	static const char *const exts[] = { ".csv", ".yaml", ".yml" };
	const struct value *v = k->dval, *row;
	const char **names, *s;
	size_t n, i, e;

	if ((s = scalar_str(k->a, v, &n)) == NULL || n == 0) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Give the name of a file in content/data, such as "
		    "\"data: henkilosto.csv\".",
		    "\"data\" must be the name of a data file");
		return -1;
	}
	for (e = 0; e < sizeof(exts) / sizeof(exts[0]); e++)
		if (n > strlen(exts[e]) && memcmp(s + n - strlen(exts[e]),
		    exts[e], strlen(exts[e])) == 0) {
			n -= strlen(exts[e]);
			break;
		}
	k->dname = arena_strndup(k->a, s, n);
	k->list = value_getn(k->data, s, n);
	if (k->list == NULL || memchr(s, '\0', n) != NULL) {
		diag_error(k->d, k->file, v->line, v->col, NULL,
		    "no data file \"%s\"", k->dname);
		if (k->data == NULL || k->data->type != VAL_MAP ||
		    k->data->len == 0)
			diag_hintf(k->d, "There are no data files: put CSV or "
			    "YAML files in content/data.");
		else {
			names = arena_calloc(k->a, k->data->len,
			    sizeof(*names));
			for (i = 0; i < k->data->len; i++)
				names[i] = k->data->u.pairs[i].key;
			hint_names(k->d, k->dname, names, k->data->len,
			    NAMES_DATA, NULL);
		}
		return -1;
	}
	if (k->list->type != VAL_LIST) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Use a CSV file with a header row, or a YAML list of "
		    "maps.",
		    "data \"%s\" is a %s, not a list of rows", k->dname,
		    value_type_name(k->list->type));
		return -1;
	}
	if (k->list->len == 0) {
		diag_error(k->d, k->file, v->line, v->col, NULL,
		    "data \"%s\" has no rows", k->dname);
		return -1;
	}
	if (k->list->len > maxrows) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Summarise the data first, or split it.",
		    "data \"%s\" has %zu rows; %s shows at most %zu",
		    k->dname, k->list->len, what, maxrows);
		return -1;
	}
	for (i = 0; i < k->list->len; i++) {
		row = k->list->u.items[i];
		if (row->type != VAL_MAP) {
			diag_error(k->d, k->file, v->line, v->col,
			    "Each row must map column names to values, as "
			    "in \"- {nimi: A, lkm: 3}\".",
			    "row %zu of data \"%s\" is a %s, not a map of "
			    "columns", i + 1, k->dname,
			    value_type_name(row->type));
			return -1;
		}
	}
	k->nrows = k->list->len;
	k->rows = arena_calloc(k->a, k->nrows, sizeof(*k->rows));
	for (i = 0; i < k->nrows; i++)
		k->rows[i] = k->list->u.items[i];
	return 0;
}

static int
has_column(const struct block *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->nrows; i++)
		if (value_get(k->rows[i], name) != NULL)
			return 1;
	return 0;
}

/*
 * Gives the last diagnostic a hint naming the data's columns, in order of
 * first appearance. Only the first rows are looked at: enough for a hint,
 * bounded for huge data.
 */
static void
columns_hint(struct block *k, const char *want)
{
	const char **names;
	const struct value *row;
	size_t i, j, m, n = 0, cap = HINT_NAMES + 1;

	names = arena_calloc(k->a, cap, sizeof(*names));
	for (i = 0; i < k->nrows && i < 100 && n < cap; i++) {
		row = k->rows[i];
		for (j = 0; j < row->len && n < cap; j++) {
			for (m = 0; m < n; m++)
				if (strcmp(names[m], row->u.pairs[j].key) == 0)
					break;
			if (m == n)
				names[n++] = row->u.pairs[j].key;
		}
	}
	hint_names(k->d, want, names, n, NAMES_COLUMNS, k->dname);
}

/*
 * The column named by spec value v (given for key). Returns NULL after
 * a diagnostic if v is not a name or the data has no such column.
 */
static const char *
column_ref(struct block *k, const char *key, const struct value *v)
{
	const char *s, *name;
	size_t n;

	if ((s = scalar_str(k->a, v, &n)) == NULL || n == 0) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Write the column's name as in the data's header.",
		    "\"%s\" must name a column", key);
		return NULL;
	}
	name = arena_strndup(k->a, s, n);
	if (strlen(name) != n || !has_column(k, name)) {
		diag_error(k->d, k->file, v->line, v->col, NULL,
		    "no column \"%s\" in data \"%s\"", name, k->dname);
		columns_hint(k, name);
		return NULL;
	}
	return name;
}

/* Checks labels: a map from known columns to text. */
static int
resolve_labels(struct block *k)
{
	const struct value *v = value_get(k->map, "labels"), *l;
	const char *key;
	unsigned line, col;
	size_t i, n;

	k->labels = NULL;
	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if (v->type != VAL_MAP) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Write one \"column: Header text\" line per column under "
		    "\"labels:\".",
		    "\"labels\" must be a map from columns to header text");
		return -1;
	}
	for (i = 0; i < v->len; i++) {
		key = v->u.pairs[i].key;
		l = v->u.pairs[i].val;
		if (!has_column(k, key)) {
			key_place(k, key, l, &line, &col);
			diag_error(k->d, k->file, line, col, NULL,
			    "label for unknown column \"%s\" in data \"%s\"",
			    key, k->dname);
			columns_hint(k, key);
			return -1;
		}
		if (scalar_str(k->a, l, &n) == NULL) {
			diag_error(k->d, k->file, l->line, l->col, NULL,
			    "the label of \"%s\" must be text", key);
			return -1;
		}
	}
	k->labels = v;
	return 0;
}

/* The header text of a column: its label, or its name. */
static struct text
column_label(const struct block *k, const char *col)
{
	const struct value *l = value_get(k->labels, col);
	struct text t;

	if (l != NULL && (t.s = scalar_str(k->a, l, &t.n)) != NULL)
		return t;
	t.s = col;
	t.n = strlen(col);
	return t;
}

struct sortrow {
	struct value		*row;
	const struct value	*key;
	size_t			 idx;
	int			 desc;
};

/* Sort order of kinds of cell: empty ones go last in both directions. */
static int
key_rank(const struct value *v)
{
	if (v == NULL)
		return 3;
	switch (v->type) {
	case VAL_NUMBER:
		return isfinite(v->u.number) ? 0 : 3;
	case VAL_STRING:
		return 1;
	case VAL_BOOL:
		return 2;
	default:
		return 3;
	}
}

/*
 * Numbers compare as numbers, strings byte by byte (UTF-8 order: upper
 * case before lower, "Ä" before "Å", not a dictionary order), and rows
 * with equal keys keep their order, so the sort is stable and total.
 */
static int
sort_cmp(const void *pa, const void *pb)
{
	const struct sortrow *a = pa, *b = pb;
	int ra = key_rank(a->key), rb = key_rank(b->key), c = 0;
	size_t n;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0)
		c = a->key->u.number < b->key->u.number ? -1 :
		    a->key->u.number > b->key->u.number;
	else if (ra == 1) {
		n = a->key->len < b->key->len ? a->key->len : b->key->len;
		if ((c = memcmp(a->key->str, b->key->str, n)) == 0)
			c = a->key->len < b->key->len ? -1 :
			    a->key->len > b->key->len;
		c = c < 0 ? -1 : c > 0;
	} else if (ra == 2)
		c = a->key->u.boolean - b->key->u.boolean;
	if (a->desc)
		c = -c;
	if (c == 0)
		c = a->idx < b->idx ? -1 : a->idx > b->idx;
	return c;
}

/*
 * Applies "sort: col" or "sort: -col" (descending) to the rows. A name
 * that starts with '-' and is a column as written sorts ascending by it.
 */
static int
apply_sort(struct block *k)
{
	const struct value *v = value_get(k->map, "sort");
	struct sortrow *sr;
	const char *s, *col;
	size_t n, i;
	int desc = 0;

	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if ((s = scalar_str(k->a, v, &n)) == NULL || n == 0 ||
	    memchr(s, '\0', n) != NULL) {
		diag_error(k->d, k->file, v->line, v->col,
		    "Write \"sort: column\", or \"sort: -column\" for "
		    "descending order.",
		    "\"sort\" must name a column");
		return -1;
	}
	col = arena_strndup(k->a, s, n);
	if (col[0] == '-' && !has_column(k, col)) {
		desc = 1;
		col++;
	}
	if (!has_column(k, col)) {
		diag_error(k->d, k->file, v->line, v->col, NULL,
		    "cannot sort by \"%s\": no such column in data \"%s\"",
		    col, k->dname);
		columns_hint(k, col);
		return -1;
	}
	sr = arena_calloc(k->a, k->nrows, sizeof(*sr));
	for (i = 0; i < k->nrows; i++) {
		sr[i].row = k->rows[i];
		sr[i].key = value_get(k->rows[i], col);
		sr[i].idx = i;
		sr[i].desc = desc;
	}
	qsort(sr, k->nrows, sizeof(*sr), sort_cmp);
	for (i = 0; i < k->nrows; i++)
		k->rows[i] = sr[i].row;
	return 0;
}

/*
 * Names a data row for a message, as "row %zu%s" with these two: its
 * number in the data (1-based, in the data's order) and, if it has one,
 * its label in parentheses (row_tag).
 */
static size_t
row_no(const struct block *k, const struct value *row)
{
	size_t i;

	for (i = 0; i < k->list->len; i++)
		if (k->list->u.items[i] == row)
			break;
	return i + 1;
}

static const char *
row_tag(const struct block *k, const struct value *row, const char *xcol)
{
	const struct value *x = xcol ? value_get(row, xcol) : NULL;
	const char *s;
	size_t n;

	if (x != NULL && (s = scalar_str(k->a, x, &n)) != NULL && n > 0) {
		if (n > 40)
			n = cp_prefix(s, n, 40);
		return arena_printf(k->a, " (%.*s)", (int)n, s);
	}
	return "";
}

/* Cells of shown columns must be single values. */
static int
check_cells(struct block *k, const char *const *cols, size_t ncols)
{
	const struct value *c;
	size_t i, j;

	for (i = 0; i < k->nrows; i++)
		for (j = 0; j < ncols; j++) {
			c = value_get(k->rows[i], cols[j]);
			if (c == NULL || (c->type != VAL_LIST &&
			    c->type != VAL_MAP))
				continue;
			diag_error(k->d, k->file, k->dval->line,
			    k->dval->col, "A cell must hold one value: text, "
			    "a number or nothing.",
			    "column \"%s\" of data \"%s\", row %zu%s, is a %s",
			    cols[j], k->dname, row_no(k, k->rows[i]),
			    row_tag(k, k->rows[i], NULL),
			    value_type_name(c->type));
			return -1;
		}
	return 0;
}

/*
 * A column is numeric if it holds numbers and nothing but numbers and
 * empty cells; its header and empty cells then align like its numbers.
 */
static int
numeric_column(const struct block *k, const char *col)
{
	const struct value *c;
	size_t i;
	int any = 0;

	for (i = 0; i < k->nrows; i++) {
		c = value_get(k->rows[i], col);
		if (c == NULL || c->type == VAL_NULL)
			continue;
		if (c->type != VAL_NUMBER)
			return 0;
		any = 1;
	}
	return any;
}

/*
 * Writes the table, scrollable on its own so a wide one does not widen
 * the page; the region is focusable so keyboard users can scroll it.
 */
static void
table_put(const struct block *k, const struct table *t, struct buf *b)
{
	const struct value *c;
	struct text label;
	int *num;
	size_t i, j;

	num = arena_calloc(k->a, t->ncols ? t->ncols : 1, sizeof(*num));
	for (j = 0; j < t->ncols; j++)
		num[j] = numeric_column(k, t->cols[j]);
	buf_puts(b, "<section class=\"table-scroll\" tabindex=\"0\" ");
	if (t->caption.n > 0)
		buf_printf(b, "aria-labelledby=\"%s\">", t->id);
	else {
		label = i18n_text(k, "table", "Taulukko");
		buf_puts(b, "aria-label=\"");
		put_text(b, label);
		buf_puts(b, "\">");
	}
	buf_puts(b, "<table>");
	if (t->caption.n > 0) {
		buf_printf(b, "<caption id=\"%s\">", t->id);
		put_text(b, t->caption);
		buf_puts(b, "</caption>");
	}
	buf_puts(b, "\n<thead><tr>");
	for (j = 0; j < t->ncols; j++) {
		buf_printf(b, "<th scope=\"col\"%s>",
		    num[j] ? " class=\"num\"" : "");
		put_text(b, t->heads[j]);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < k->nrows; i++) {
		buf_puts(b, "<tr>");
		for (j = 0; j < t->ncols; j++) {
			c = value_get(k->rows[i], t->cols[j]);
			if (j == 0 && t->rowhead)
				buf_puts(b, "<th scope=\"row\"");
			else
				buf_puts(b, "<td");
			if ((c != NULL && c->type == VAL_NUMBER) ||
			    ((c == NULL || c->type == VAL_NULL) && num[j]))
				buf_puts(b, " class=\"num\"");
			buf_putc(b, '>');
			put_text(b, cell_text(k, c));
			buf_puts(b, j == 0 && t->rowhead ? "</th>" : "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody>\n</table></section>\n");
}

static int
table_block(struct block *k, struct buf *out)
{
	const struct value *cv, *v;
	struct table t;
	size_t i;

	memset(&t, 0, sizeof(t));
	if (check_keys(k, W_("a table"), table_keys, table_required) == -1)
		return -1;
	if (spec_text(k, "caption", &t.caption) == -1)
		return -1;
	k->dval = value_get(k->map, "data");
	if (resolve_data(k, W_("a table"), TABLE_MAX_ROWS) == -1)
		return -1;
	cv = value_get(k->map, "columns");
	if (cv != NULL && cv->type != VAL_NULL) {
		if (cv->type != VAL_LIST || cv->len == 0) {
			diag_error(k->d, k->file, cv->line, cv->col,
			    "Write \"columns: [nimi, lkm]\".",
			    "\"columns\" must be a list of column names");
			return -1;
		}
		t.ncols = cv->len;
		t.cols = arena_calloc(k->a, t.ncols, sizeof(*t.cols));
		for (i = 0; i < t.ncols; i++)
			if ((t.cols[i] = column_ref(k, "columns",
			    cv->u.items[i])) == NULL)
				return -1;
	} else {
		/* The first row's columns, in the data's order. */
		v = k->rows[0];
		t.ncols = v->len;
		t.cols = arena_calloc(k->a, t.ncols ? t.ncols : 1,
		    sizeof(*t.cols));
		for (i = 0; i < t.ncols; i++)
			t.cols[i] = v->u.pairs[i].key;
		if (t.ncols == 0) {
			diag_error(k->d, k->file, k->dval->line, k->dval->col,
			    NULL, "the first row of data \"%s\" has no "
			    "columns", k->dname);
			return -1;
		}
	}
	if (resolve_labels(k) == -1 || apply_sort(k) == -1 ||
	    check_cells(k, t.cols, t.ncols) == -1)
		return -1;
	t.heads = arena_calloc(k->a, t.ncols, sizeof(*t.heads));
	for (i = 0; i < t.ncols; i++)
		t.heads[i] = column_label(k, t.cols[i]);
	t.id = arena_printf(k->a, "table-L%u", k->line);
	if (t.caption.n == 0)
		diag_warn(k->d, k->file, k->line, 1,
		    "Add \"caption: …\": it names the table for screen "
		    "readers and for everyone scanning the page.",
		    "table has no caption");
	table_put(k, &t, out);
	return 0;
}

/*
 * Checks that y holds chartable numbers in every row; empty cells are
 * allowed (no bar, or a zero share).
 */
static int
check_numbers(struct block *k, const struct chart *c, const char *col,
    const struct value *yv)
{
	const struct value *v;
	struct text t;
	size_t i;

	for (i = 0; i < k->nrows; i++) {
		v = value_get(k->rows[i], col);
		if (v == NULL || v->type == VAL_NULL)
			continue;
		if (v->type == VAL_NUMBER && isfinite(v->u.number) &&
		    fabs(v->u.number) <= MAX_VALUE)
			continue;
		if (v->type == VAL_NUMBER) {
			diag_error(k->d, k->file, yv->line, yv->col,
			    "Scale the data down, for example to thousands, "
			    "and say so in \"unit\".",
			    "column \"%s\" of data \"%s\", row %zu%s: %s is "
			    "too large to draw", col, k->dname,
			    row_no(k, k->rows[i]), row_tag(k, k->rows[i], c->x),
			    num_plain(k->a, v->u.number));
			return -1;
		}
		t = cell_text(k, v);
		if (t.n > 40)
			t.n = cp_prefix(t.s, t.n, 40);
		diag_error(k->d, k->file, yv->line, yv->col,
		    "Write numbers with a decimal point (12.5), without "
		    "units or spaces; leave the cell empty if there is no "
		    "value.",
		    "column \"%s\" of data \"%s\", row %zu%s: \"%.*s\" is "
		    "not a number", col, k->dname, row_no(k, k->rows[i]),
		    row_tag(k, k->rows[i], c->x), (int)t.n, t.s);
		return -1;
	}
	return 0;
}

/* Stacked shares: not negative, and each row adds up to 100 ± 0.5. */
static int
check_shares(struct block *k, const struct chart *c, const struct value *yv)
{
	const struct value *v;
	double sum;
	size_t i, j;

	for (i = 0; i < k->nrows; i++) {
		sum = 0;
		for (j = 0; j < c->ny; j++) {
			v = value_get(k->rows[i], c->y[j]);
			if (v == NULL || v->type != VAL_NUMBER)
				continue;
			if (v->u.number < 0) {
				diag_error(k->d, k->file, yv->line, yv->col,
				    "Shares of a whole are 0 or more.",
				    "column \"%s\" of data \"%s\", row %zu%s: "
				    "share %s is negative", c->y[j], k->dname,
				    row_no(k, k->rows[i]),
				    row_tag(k, k->rows[i], c->x),
				    num_plain(k->a, v->u.number));
				return -1;
			}
			sum += v->u.number;
		}
		if (fabs(sum - 100) > 0.5) {
			diag_error(k->d, k->file, yv->line, yv->col,
			    "In a stacked chart each row's values are "
			    "percentages that add up to 100 (±0.5 for "
			    "rounding).",
			    "data \"%s\", row %zu%s: the shares add up to %s, "
			    "not 100", k->dname, row_no(k, k->rows[i]),
			    row_tag(k, k->rows[i], c->x),
			    num_plain(k->a, sum));
			return -1;
		}
	}
	return 0;
}

/* The value label of a bar or segment: "12,5 %" with a no-break space. */
static struct text
value_label(const struct block *k, const struct chart *c,
    const struct value *v)
{
	struct buf b = BUF_INIT;
	struct text t;

	if (v == NULL || v->type != VAL_NUMBER)
		return cell_text(k, v);
	value_num_put(&b, &k->nf, v);
	if (c->unit.n > 0) {
		buf_puts(&b, NBSP);
		buf_put(&b, c->unit.s, c->unit.n);
	}
	t.s = arena_strndup(k->a, b.data, b.len);
	t.n = b.len;
	buf_free(&b);
	return t;
}

/*
 * Bars and stacked bars are drawn CHART_W units wide, narrow enough that
 * on a 375 px phone (343 px of column) a 14-unit font is still 12 px.
 * Each category's label has lines of its own above its bar, so the bar
 * spans the whole width and no label is ever cut.
 */
#define CHART_W		400
#define LABEL_FS	16
#define LABEL_LH	20	/* line height of labels and legend entries */
#define LABEL_BASE	15	/* from the top of a line to its baseline */
#define LABEL_CHARS	38	/* at most; fewer if wide letters need it */
#define LABEL_GAP	6	/* from a label's last line to its bar */
#define ROW_GAP		18	/* from a bar to the next label */
#define BAR_FS		16	/* values at the ends of bars */
#define BAR_THICK	24
#define SEG_FS		14	/* values inside stacked segments */
#define SEG_THICK	28
#define TICK_FS		14
#define GRID_OUT	3	/* gridlines reach this far past a bar */

/* From the middle of a line of text to its baseline. */
#define HALF_X(fs)	((fs) * 35 / 100)

/*
 * Writes wrapped text as a <text> whose first baseline is y; lines after
 * the first are lh lower. Text cut short carries the whole in a <title>,
 * which shows on hover.
 */
static void
svg_text(struct buf *b, const struct wrapped *w, struct text full, int x,
    int y, int lh, const char *attrs)
{
	size_t i;

	buf_printf(b, "<text x=\"%d\" y=\"%d\"%s>", x, y, attrs);
	if (w->cut) {
		buf_puts(b, "<title>");
		put_text(b, full);
		buf_puts(b, "</title>");
	}
	for (i = 0; i < w->n; i++) {
		if (w->n > 1)
			buf_printf(b, "<tspan x=\"%d\" y=\"%d\">", x,
			    y + (int)i * lh);
		buf_put_html(b, w->l[i].s, w->l[i].n);
		if (w->l[i].ellipsis)
			buf_puts(b, ELLIPSIS);
		if (w->n > 1)
			buf_puts(b, "</tspan>");
	}
	buf_puts(b, "</text>\n");
}

/*
 * Opens the chart's SVG. Every chart is drawn narrow and the theme lets
 * it shrink to the column, so it never scrolls and needs no focusable
 * box around it; the table under it scrolls in its own region.
 */
static void
svg_open(const struct block *k, const struct chart *c, struct buf *b,
    int w, int h)
{
	buf_printf(b, "<svg role=\"img\" "
	    "aria-labelledby=\"%s-svgtitle%s%s%s\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
	    k->id, c->desc.n ? " " : "", c->desc.n ? k->id : "",
	    c->desc.n ? "-svgdesc" : "", w, h, w, h);
	buf_printf(b, "<title id=\"%s-svgtitle\">", k->id);
	put_text(b, c->title);
	buf_puts(b, "</title>");
	if (c->desc.n > 0) {
		buf_printf(b, "<desc id=\"%s-svgdesc\">", k->id);
		put_text(b, c->desc);
		buf_puts(b, "</desc>");
	}
	buf_putc(b, '\n');
}

static void
svg_close(struct buf *b)
{
	buf_puts(b, "</svg>\n");
}

struct scale {
	double		min, max, step;
	int		nticks;
	int		dec;	/* decimals of the tick labels */
	struct text	unit;	/* after the last tick's number; n == 0: none */
	const struct numfmt *nf;	/* how the numbers are written */
};

/*
 * A scale from lo to hi that includes zero, with about parts + 1 ticks at
 * round steps (1, 2, 2.5 or 5 times a power of ten). Values are bounded
 * by MAX_VALUE, so every quantity here stays finite.
 */
static void
nice_scale(double lo, double hi, int parts, struct scale *s)
{
	double range, raw, p, f, m;
	int e;

	if (lo > 0)
		lo = 0;
	if (hi < 0)
		hi = 0;
	if (hi - lo < 1e-9)
		hi = lo + 1;
	range = hi - lo;
	raw = range / parts;
	e = (int)floor(log10(raw));
	p = pow(10, e);
	f = raw / p;
	m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	if (m == 10) {
		m = 1;
		e++;
		p *= 10;
	}
	s->step = m * p;
	s->min = floor(lo / s->step + 1e-9) * s->step;
	s->max = ceil(hi / s->step - 1e-9) * s->step;
	s->nticks = (int)lround((s->max - s->min) / s->step) + 1;
	s->dec = (e < 0 ? -e : 0) + (m == 2.5 && e <= 0);
	s->unit.s = "";
	s->unit.n = 0;
}

/* Maps t on scale s to [x0, x1], rounded to whole units. */
static int
scale_x(const struct scale *s, double t, int x0, int x1)
{
	return x0 + (int)lround((t - s->min) / (s->max - s->min) *
	    (x1 - x0));
}

/* The label of tick i of s, in b, which is emptied first. */
static void
tick_text(struct buf *b, const struct scale *s, int i)
{
	buf_reset(b);
	num_put(b, s->nf, s->min + i * s->step, s->dec, 0);
	if (i == s->nticks - 1 && s->unit.n > 0) {
		buf_puts(b, NBSP);
		buf_put(b, s->unit.s, s->unit.n);
	}
}

/*
 * Where a tick label w units wide goes for a tick at x: centred under
 * it, or starting or ending at it where centring would leave the chart.
 * Sets *left to its left edge and returns its text-anchor.
 */
static const char *
tick_anchor(int x, int w, int *left)
{
	if (x - w / 2 < 0) {
		*left = x;
		return "start";
	}
	if (x - w / 2 + w > CHART_W) {
		*left = x - w;
		return "end";
	}
	*left = x - w / 2;
	return "middle";
}

/* Whether the tick labels of s fit side by side between x0 and x1. */
static int
ticks_fit(const struct scale *s, int x0, int x1)
{
	struct buf b = BUF_INIT;
	int i, w, left, right = 0, fit = 1;

	for (i = 0; i < s->nticks && fit; i++) {
		tick_text(&b, s, i);
		w = text_width(b.data, b.len, TICK_FS);
		tick_anchor(scale_x(s, s->min + i * s->step, x0, x1), w,
		    &left);
		if (left < 0 || left + w > CHART_W ||
		    (i > 0 && left < right + 10))
			fit = 0;
		right = left + w;
	}
	buf_free(&b);
	return fit;
}

/*
 * The scale with the most ticks whose labels do not collide, with the
 * unit after the last one if there is room for it.
 */
static void
fit_scale(double lo, double hi, int x0, int x1, struct text unit,
    const struct numfmt *nf, struct scale *s)
{
	int parts;

	for (parts = 4; parts >= 1; parts--) {
		nice_scale(lo, hi, parts, s);
		s->nf = nf;
		s->unit = unit;
		if (ticks_fit(s, x0, x1))
			return;
		s->unit.n = 0;
		if (ticks_fit(s, x0, x1))
			return;
	}
}

/*
 * The row's category label, wrapped on lines of its own and never cut.
 * Returns the height of its lines.
 */
static int
row_label(const struct block *k, const struct chart *c,
    const struct value *row, struct wrapped *w, struct text *full)
{
	*full = cell_text(k, value_get(row, c->x));
	wrap_fit(k->a, *full, LABEL_CHARS, CHART_W, LABEL_FS, w);
	return (int)w->n * LABEL_LH;
}

/*
 * Vertical lines at each x of xs, one short line per bar: from a little
 * above the top of each bar (tops) to a little below its bottom, so that
 * they never cross the labels between the bars.
 */
static void
draw_vlines(struct buf *b, const int *xs, int nx, const int *tops,
    size_t nbars, int thick, const char *color)
{
	size_t r;
	int i;

	buf_puts(b, "<path d=\"");
	for (r = 0; r < nbars; r++)
		for (i = 0; i < nx; i++)
			buf_printf(b, "%sM%d %dv%d", r + i ? " " : "", xs[i],
			    tops[r] - GRID_OUT, thick + 2 * GRID_OUT);
	buf_printf(b, "\" stroke=\"%s\" stroke-width=\"1\" fill=\"none\"/>\n",
	    color);
}

/*
 * Gridlines of scale s across every bar; see draw_vlines. Scales have at
 * most six ticks (nice_scale: parts + 2), so xs has room to spare.
 */
static void
draw_grid(struct buf *b, const struct scale *s, int x0, int x1,
    const int *tops, size_t nbars, int thick)
{
	int xs[16], i;

	for (i = 0; i < s->nticks && i < 16; i++)
		xs[i] = scale_x(s, s->min + i * s->step, x0, x1);
	draw_vlines(b, xs, i, tops, nbars, thick, GRID_COLOR);
}

/* The tick labels of scale s, with their baseline at y. */
static void
draw_tick_labels(struct buf *b, const struct scale *s, int x0, int x1,
    int y)
{
	struct buf t = BUF_INIT;
	const char *anchor;
	int i, x, left;

	for (i = 0; i < s->nticks; i++) {
		tick_text(&t, s, i);
		x = scale_x(s, s->min + i * s->step, x0, x1);
		anchor = tick_anchor(x, text_width(t.data, t.len, TICK_FS),
		    &left);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" "
		    "font-size=\"%d\" fill=\"" TICK_COLOR "\">", x, y, anchor,
		    TICK_FS);
		buf_put_html(b, t.data, t.len);
		buf_puts(b, "</text>\n");
	}
	buf_free(&t);
}

/*
 * Writes the category label of a bar whose top is at bar_top, on the
 * lines right above it.
 */
static void
draw_row_label(struct buf *b, const struct wrapped *w, struct text full,
    int bar_top)
{
	svg_text(b, w, full, 0, bar_top - LABEL_GAP -
	    (int)w->n * LABEL_LH + LABEL_BASE, LABEL_LH,
	    " font-size=\"16\" fill=\"" TEXT_COLOR "\"");
}

/*
 * Horizontal bars, each under its category's label and as wide as the
 * chart allows, its value at its end; a few ticks below the last one.
 */
static void
draw_bar(struct block *k, const struct chart *c, struct buf *b)
{
	struct wrapped *w;
	struct text *full, *vl;
	struct scale s;
	const struct value *v;
	double lo = 0, hi = 0;
	int *top, vw = 0, px0, px1, x0, xv, y, cy, wv, bottom;
	int neg = 0;
	size_t i;

	w = arena_calloc(k->a, k->nrows, sizeof(*w));
	full = arena_calloc(k->a, k->nrows, sizeof(*full));
	vl = arena_calloc(k->a, k->nrows, sizeof(*vl));
	top = arena_calloc(k->a, k->nrows, sizeof(*top));
	y = 4;
	for (i = 0; i < k->nrows; i++) {
		y += row_label(k, c, k->rows[i], &w[i], &full[i]);
		top[i] = y + LABEL_GAP;
		y = top[i] + BAR_THICK + ROW_GAP;
		v = value_get(k->rows[i], c->y[0]);
		vl[i] = value_label(k, c, v);
		wv = text_width(vl[i].s, vl[i].n, BAR_FS) + 8;
		if (wv > vw)
			vw = wv;
		if (v != NULL && v->type == VAL_NUMBER) {
			lo = v->u.number < lo ? v->u.number : lo;
			hi = v->u.number > hi ? v->u.number : hi;
		}
	}
	neg = lo < 0;
	/* Bars keep at least 160 units; absurdly long units are clipped. */
	if (vw > (CHART_W - 160) / (neg && hi > 0 ? 2 : 1))
		vw = (CHART_W - 160) / (neg && hi > 0 ? 2 : 1);
	/* A unit in from the edges, so the zero line is drawn whole. */
	px0 = neg ? vw : 1;
	px1 = CHART_W - (hi > 0 || !neg ? vw : 1);
	fit_scale(lo, hi, px0, px1, c->unit, &k->nf, &s);
	bottom = top[k->nrows - 1] + BAR_THICK + GRID_OUT;
	svg_open(k, c, b, CHART_W, bottom + 22);
	draw_grid(b, &s, px0, px1, top, k->nrows, BAR_THICK);
	x0 = scale_x(&s, 0, px0, px1);
	for (i = 0; i < k->nrows; i++) {
		draw_row_label(b, &w[i], full[i], top[i]);
		cy = top[i] + BAR_THICK / 2;
		v = value_get(k->rows[i], c->y[0]);
		xv = x0;
		if (v != NULL && v->type == VAL_NUMBER) {
			xv = scale_x(&s, v->u.number, px0, px1);
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"" BAR_COLOR "\"/>",
			    xv < x0 ? xv : x0, top[i], abs(xv - x0),
			    BAR_THICK);
		}
		if (xv < x0)
			buf_printf(b, "<text x=\"%d\" y=\"%d\" "
			    "text-anchor=\"end\"", xv - 6,
			    cy + HALF_X(BAR_FS));
		else
			buf_printf(b, "<text x=\"%d\" y=\"%d\"", xv + 6,
			    cy + HALF_X(BAR_FS));
		buf_printf(b, " font-size=\"%d\" fill=\"" TEXT_COLOR "\">",
		    BAR_FS);
		put_text(b, vl[i]);
		buf_puts(b, "</text>\n");
	}
	draw_vlines(b, &x0, 1, top, k->nrows, BAR_THICK, TEXT_COLOR);
	draw_tick_labels(b, &s, px0, px1, bottom + 16);
	svg_close(b);
}

/* One 8×8 pattern per series, ids prefixed by the chart's. */
static void
draw_patterns(const struct block *k, const struct chart *c, struct buf *b)
{
	size_t i;

	buf_puts(b, "<defs>");
	for (i = 0; i < c->ny; i++)
		buf_printf(b, "<pattern id=\"%s-p%zu\" width=\"8\" "
		    "height=\"8\" patternUnits=\"userSpaceOnUse\">"
		    "<rect width=\"8\" height=\"8\" fill=\"%s\"/>%s"
		    "</pattern>", k->id, i, palette[i], motifs[i]);
	buf_puts(b, "</defs>\n");
}

#define LEGEND_FS	16
#define LEGEND_SWATCH	18
#define LEGEND_TEXT_X	24	/* from the swatch's left to the text */
#define LEGEND_CHARS	36	/* what fits beside a swatch */
#define LEGEND_SEP	20	/* between entries on one line */

/*
 * The legend, above the bars, in the series' order, which is also the
 * segments' order from the left: entries side by side while they fit,
 * long names wrapped, none cut. Returns its height.
 */
static int
draw_legend(const struct block *k, const struct chart *c, struct buf *b,
    int draw)
{
	struct wrapped w;
	struct text t;
	int x = 0, y = 4, iw, lh = LABEL_LH;
	size_t i;

	for (i = 0; i < c->ny; i++) {
		t = column_label(k, c->y[i]);
		wrap_fit(k->a, t, LEGEND_CHARS, CHART_W - LEGEND_TEXT_X,
		    LEGEND_FS, &w);
		iw = LEGEND_TEXT_X + wrapped_width(&w, LEGEND_FS);
		if (x > 0 && x + iw > CHART_W) {
			x = 0;
			y += lh + 6;
			lh = LABEL_LH;
		}
		if (draw) {
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"url(#%s-p%zu)\"/>", x,
			    y + (LABEL_LH - LEGEND_SWATCH) / 2, LEGEND_SWATCH,
			    LEGEND_SWATCH, k->id, i);
			svg_text(b, &w, t, x + LEGEND_TEXT_X, y + LABEL_BASE,
			    LABEL_LH, " font-size=\"16\" "
			    "fill=\"" TEXT_COLOR "\"");
		}
		if ((int)w.n * LABEL_LH > lh)
			lh = (int)w.n * LABEL_LH;
		x += iw + LEGEND_SEP;
	}
	return y + lh;
}

/*
 * 100 % bars, one per row under its label, a segment per series. Each
 * series has its own colour and texture; values are written inside
 * segments wide enough for them, and all of them are in the table.
 */
/* One segment of a stacked bar, and its value label. */
struct seg {
	int		 xa, xb;	/* its ends */
	int		 lw;		/* the label's width */
	struct text	 vl;
	size_t		 j;		/* its series */
};

#define SEG_INSIDE(g)	((g)->xb - (g)->xa >= (g)->lw + 12)
#define SEG_CALLOUT	(6 + SEG_FS + 4)	/* below a bar, for the rest */

/* The segments of row r, left to right. Returns how many (at most ny). */
static size_t
row_segments(struct block *k, const struct chart *c, size_t r,
    struct seg *g)
{
	const struct value *v;
	double sum = 0, cum = 0;
	size_t j, n = 0;

	for (j = 0; j < c->ny; j++) {
		v = value_get(k->rows[r], c->y[j]);
		if (v != NULL && v->type == VAL_NUMBER)
			sum += v->u.number;
	}
	/* check_shares keeps sum near 100: never zero. */
	for (j = 0; j < c->ny; j++) {
		v = value_get(k->rows[r], c->y[j]);
		if (v == NULL || v->type != VAL_NUMBER || v->u.number <= 0)
			continue;
		g[n].xa = (int)lround(cum / sum * CHART_W);
		cum += v->u.number;
		g[n].xb = (int)lround(cum / sum * CHART_W);
		g[n].vl = value_label(k, c, v);
		g[n].lw = text_width(g[n].vl.s, g[n].vl.n, SEG_FS);
		g[n++].j = j;
	}
	return n;
}

/*
 * The labels of segments too narrow to hold them, under the bar: each
 * below its segment where there is room, pushed right past the one
 * before where not (then all back left if the last ran off the end),
 * with a short line up to its segment.
 */
static void
draw_callouts(struct buf *b, const struct seg *g, size_t n, int bar_bottom)
{
	int x[MAX_SERIES], at, right = INT_MIN;
	size_t i, m = 0, idx[MAX_SERIES];

	for (i = 0; i < n; i++) {
		if (SEG_INSIDE(&g[i]))
			continue;
		at = (g[i].xa + g[i].xb) / 2;
		if (at - g[i].lw / 2 < 0)
			at = g[i].lw / 2;
		if (right != INT_MIN && at - g[i].lw / 2 < right + 8)
			at = right + 8 + g[i].lw / 2;
		right = at + g[i].lw - g[i].lw / 2;
		idx[m] = i;
		x[m++] = at;
	}
	if (m > 0 && right > CHART_W)
		for (i = 0; i < m; i++)
			x[i] -= right - CHART_W;
	for (i = 0; i < m; i++) {
		const struct seg *s = &g[idx[i]];
		buf_printf(b, "<path d=\"M%d,%dL%d,%d\" stroke=\"" TEXT_COLOR
		    "\" stroke-width=\"1\" fill=\"none\"/><text x=\"%d\" "
		    "y=\"%d\" text-anchor=\"middle\" font-size=\"%d\" fill=\""
		    TEXT_COLOR "\">", (s->xa + s->xb) / 2, bar_bottom, x[i],
		    bar_bottom + 5, x[i], bar_bottom + 6 + SEG_FS - 2, SEG_FS);
		put_text(b, s->vl);
		buf_puts(b, "</text>\n");
	}
}

static void
draw_stacked(struct block *k, const struct chart *c, struct buf *b)
{
	struct wrapped *w;
	struct text *full;
	struct scale s;
	struct seg g[MAX_SERIES];
	int *top, y, cy, bottom, below;
	size_t r, i, n;

	w = arena_calloc(k->a, k->nrows, sizeof(*w));
	full = arena_calloc(k->a, k->nrows, sizeof(*full));
	top = arena_calloc(k->a, k->nrows, sizeof(*top));
	y = draw_legend(k, c, b, 0) + ROW_GAP;
	for (r = 0; r < k->nrows; r++) {
		y += row_label(k, c, k->rows[r], &w[r], &full[r]);
		top[r] = y + LABEL_GAP;
		n = row_segments(k, c, r, g);
		for (below = 0, i = 0; i < n; i++)
			below |= !SEG_INSIDE(&g[i]);
		y = top[r] + SEG_THICK + (below ? SEG_CALLOUT : 0) + ROW_GAP;
	}
	s.min = 0;
	s.max = 100;
	s.step = 25;
	s.nticks = 5;
	s.dec = 0;
	s.unit = c->unit;
	s.nf = &k->nf;
	bottom = y - ROW_GAP + GRID_OUT;
	svg_open(k, c, b, CHART_W, bottom + 22);
	draw_patterns(k, c, b);
	draw_legend(k, c, b, 1);
	/* Behind the bars: only the ends above and below them show. */
	draw_grid(b, &s, 0, CHART_W, top, k->nrows, SEG_THICK);
	for (r = 0; r < k->nrows; r++) {
		draw_row_label(b, &w[r], full[r], top[r]);
		cy = top[r] + SEG_THICK / 2;
		n = row_segments(k, c, r, g);
		for (i = 0; i < n; i++) {
			buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"%d\" fill=\"url(#%s-p%zu)\" "
			    "stroke=\"#fff\" stroke-width=\"1\"/>", g[i].xa,
			    top[r], g[i].xb - g[i].xa, SEG_THICK, k->id, g[i].j);
			if (SEG_INSIDE(&g[i])) {
				/* Dark text on a white pill reads on any
				 * fill and texture, and stays right when
				 * the theme sets text to currentColor. */
				buf_printf(b, "<rect x=\"%d\" y=\"%d\" "
				    "width=\"%d\" height=\"%d\" rx=\"3\" "
				    "fill=\"#fff\"/><text x=\"%d\" y=\"%d\" "
				    "text-anchor=\"middle\" font-size=\"%d\" "
				    "fill=\"" TEXT_COLOR "\">",
				    (g[i].xa + g[i].xb) / 2 - (g[i].lw + 8) / 2,
				    cy - (SEG_FS + 6) / 2, g[i].lw + 8, SEG_FS + 6,
				    (g[i].xa + g[i].xb) / 2, cy + HALF_X(SEG_FS),
				    SEG_FS);
				put_text(b, g[i].vl);
				buf_puts(b, "</text>");
			}
			buf_putc(b, '\n');
		}
		draw_callouts(b, g, n, top[r] + SEG_THICK);
	}
	draw_tick_labels(b, &s, 0, CHART_W, bottom + 16);
	svg_close(b);
}

#define TL_W		360
#define TL_LINE_X	12
#define TL_TEXT_X	32
#define TL_DATE_FS	14
#define TL_TITLE_FS	16
#define TL_TEXT_FS	14
#define TL_TEXT_LINES	8	/* of a description; the table has all */

/*
 * A vertical timeline: a marker on a line per event, its date, title and
 * description wrapped beside it. Narrow, so that at 320 px the text is
 * still close to its natural size.
 */
static void
draw_timeline(struct block *k, const struct chart *c, struct buf *b)
{
	struct wrapped *wd, *wt, *wx;
	struct text *td, *tt, *tx;
	int *top, h, y, tw;
	size_t i, dchars, tchars, xchars;

	tw = TL_W - TL_TEXT_X - 8;
	dchars = (size_t)(tw / (TL_DATE_FS * 0.62));
	tchars = (size_t)(tw / (TL_TITLE_FS * 0.62));
	xchars = (size_t)(tw / (TL_TEXT_FS * 0.58));
	wd = arena_calloc(k->a, k->nrows, sizeof(*wd));
	wt = arena_calloc(k->a, k->nrows, sizeof(*wt));
	wx = arena_calloc(k->a, k->nrows, sizeof(*wx));
	td = arena_calloc(k->a, k->nrows, sizeof(*td));
	tt = arena_calloc(k->a, k->nrows, sizeof(*tt));
	tx = arena_calloc(k->a, k->nrows, sizeof(*tx));
	top = arena_calloc(k->a, k->nrows + 1, sizeof(*top));
	y = 8;
	for (i = 0; i < k->nrows; i++) {
		top[i] = y;
		td[i] = cell_text(k, value_get(k->rows[i], c->x));
		wrap(k->a, td[i].s, td[i].n, dchars, 2, &wd[i]);
		tt[i] = cell_text(k, value_get(k->rows[i], c->y[0]));
		wrap(k->a, tt[i].s, tt[i].n, tchars, 3, &wt[i]);
		y += 18 * (int)wd[i].n + 21 * (int)wt[i].n;
		if (c->text != NULL) {
			tx[i].s = "";
			if (value_get(k->rows[i], c->text) != NULL &&
			    value_get(k->rows[i], c->text)->type != VAL_NULL)
				tx[i] = cell_text(k,
				    value_get(k->rows[i], c->text));
			wrap(k->a, tx[i].s, tx[i].n, xchars, TL_TEXT_LINES,
			    &wx[i]);
			if (tx[i].n > 0)
				y += 4 + 19 * (int)wx[i].n;
		}
		y += 20;
	}
	h = y;
	svg_open(k, c, b, TL_W, h);
	if (k->nrows > 1)
		buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"" BAR_COLOR "\" stroke-width=\"3\"/>\n",
		    TL_LINE_X, top[0] + 9, TL_LINE_X, top[k->nrows - 1] + 9);
	for (i = 0; i < k->nrows; i++) {
		y = top[i];
		buf_printf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"7\" "
		    "fill=\"" BAR_COLOR "\" stroke=\"#fff\" "
		    "stroke-width=\"2\"/>", TL_LINE_X, y + 9);
		svg_text(b, &wd[i], td[i], TL_TEXT_X, y + 14, 18,
		    " font-size=\"14\" font-weight=\"bold\" "
		    "fill=\"" BAR_COLOR "\"");
		y += 18 * (int)wd[i].n;
		svg_text(b, &wt[i], tt[i], TL_TEXT_X, y + 17, 21,
		    " font-size=\"16\" font-weight=\"bold\" "
		    "fill=\"" TEXT_COLOR "\"");
		y += 21 * (int)wt[i].n;
		if (c->text != NULL && tx[i].n > 0)
			svg_text(b, &wx[i], tx[i], TL_TEXT_X, y + 18, 19,
			    " font-size=\"14\" fill=\"" TEXT_COLOR "\"");
	}
	svg_close(b);
}

static int
word_is(const char *s, size_t n, const char *w)
{
	return s != NULL && n == strlen(w) && memcmp(s, w, n) == 0;
}

static int
chart_spec(struct block *k, struct buf *out)
{
	const struct value *tv, *yv, *xv;
	struct chart c;
	struct table t;
	struct text sep;
	const char *what, *tstr;
	size_t i, j, n;

	memset(&c, 0, sizeof(c));
	c.type = CHART_BAR;
	what = W_("a bar chart");
	tv = value_get(k->map, "type");
	if (tv != NULL) {
		tstr = scalar_str(k->a, tv, &n);
		if (word_is(tstr, n, "stacked")) {
			c.type = CHART_STACKED;
			what = W_("a stacked chart");
		} else if (word_is(tstr, n, "timeline")) {
			c.type = CHART_TIMELINE;
			what = W_("a timeline");
		} else if (!word_is(tstr, n, "bar")) {
			diag_error(k->d, k->file, tv->line, tv->col,
			    "Use \"type: bar\" (the default), \"stacked\" or "
			    "\"timeline\".",
			    "unknown chart type \"%.*s\"",
			    tstr ? (int)n : 1, tstr ? tstr : "?");
			return -1;
		}
	}
	if (check_keys(k, what, c.type == CHART_TIMELINE ? timeline_keys :
	    bar_keys, chart_required) == -1)
		return -1;
	if (spec_text(k, "title", &c.title) == -1 ||
	    spec_text(k, "description", &c.desc) == -1 ||
	    spec_text(k, "unit", &c.unit) == -1)
		return -1;
	if (c.type == CHART_STACKED && c.unit.n == 0) {
		/* Shares that add up to 100 are percentages. */
		c.unit.s = "%";
		c.unit.n = 1;
	}
	if (c.title.n == 0) {
		tv = value_get(k->map, "title");
		diag_error(k->d, k->file, tv->line, tv->col,
		    "The title names the chart for everyone, and for screen "
		    "readers.", "the chart's title is empty");
		return -1;
	}
	k->dval = value_get(k->map, "data");
	if (resolve_data(k, what, CHART_MAX_ROWS) == -1)
		return -1;
	xv = value_get(k->map, "x");
	if ((c.x = column_ref(k, "x", xv)) == NULL)
		return -1;
	yv = value_get(k->map, "y");
	if (c.type == CHART_STACKED) {
		if (yv->type != VAL_LIST || yv->len < 2) {
			diag_error(k->d, k->file, yv->line, yv->col,
			    "Write \"y: [miehet, naiset]\": the columns of "
			    "the shares, in order.",
			    "\"y\" of a stacked chart must list at least two "
			    "columns");
			return -1;
		}
		if (yv->len > MAX_SERIES) {
			diag_error(k->d, k->file, yv->line, yv->col,
			    "Combine the smallest series into one.",
			    "a stacked chart shows at most %d series, not "
			    "%zu", MAX_SERIES, yv->len);
			return -1;
		}
		c.ny = yv->len;
		for (i = 0; i < c.ny; i++) {
			if ((c.y[i] = column_ref(k, "y", yv->u.items[i])) ==
			    NULL)
				return -1;
			for (j = 0; j < i; j++)
				if (strcmp(c.y[i], c.y[j]) == 0) {
					diag_error(k->d, k->file,
					    yv->u.items[i]->line,
					    yv->u.items[i]->col, NULL,
					    "column \"%s\" is listed twice "
					    "in \"y\"", c.y[i]);
					return -1;
				}
		}
	} else {
		if (yv->type == VAL_LIST) {
			diag_error(k->d, k->file, yv->line, yv->col,
			    c.type == CHART_BAR ? N_("For several columns "
			    "that add up to 100 use \"type: stacked\".") : NULL,
			    "\"y\" of %s is one column", what);
			return -1;
		}
		if ((c.y[0] = column_ref(k, "y", yv)) == NULL)
			return -1;
		c.ny = 1;
	}
	tv = value_get(k->map, "text");
	if (c.type == CHART_TIMELINE && tv != NULL && tv->type != VAL_NULL &&
	    (c.text = column_ref(k, "text", tv)) == NULL)
		return -1;
	if (resolve_labels(k) == -1 || apply_sort(k) == -1)
		return -1;

	memset(&t, 0, sizeof(t));
	t.cols = arena_calloc(k->a, MAX_SERIES + 2, sizeof(*t.cols));
	t.cols[t.ncols++] = c.x;
	for (i = 0; i < c.ny; i++)
		t.cols[t.ncols++] = c.y[i];
	if (c.text != NULL)
		t.cols[t.ncols++] = c.text;
	if (check_cells(k, t.cols, t.ncols) == -1)
		return -1;
	if (c.type != CHART_TIMELINE)
		for (i = 0; i < c.ny; i++)
			if (check_numbers(k, &c, c.y[i],
			    yv->type == VAL_LIST ? yv->u.items[i] : yv) == -1)
				return -1;
	if (c.type == CHART_STACKED && check_shares(k, &c, yv) == -1)
		return -1;

	/* The unit goes in the headers of value columns, not in cells. */
	t.heads = arena_calloc(k->a, t.ncols, sizeof(*t.heads));
	for (i = 0; i < t.ncols; i++) {
		t.heads[i] = column_label(k, t.cols[i]);
		if (i == 0 || i > c.ny || c.type == CHART_TIMELINE ||
		    c.unit.n == 0)
			continue;
		t.heads[i].s = arena_printf(k->a, "%.*s (%.*s)",
		    (int)t.heads[i].n, t.heads[i].s, (int)c.unit.n, c.unit.s);
		t.heads[i].n = strlen(t.heads[i].s);
	}
	t.rowhead = 1;
	t.id = arena_printf(k->a, "%s-table", k->id);
	sep = i18n_text(k, "chart_table", "Kaavion tiedot taulukkona");
	t.caption.s = arena_printf(k->a, "%.*s " ENDASH " %.*s",
	    (int)c.title.n, c.title.s, (int)sep.n, sep.s);
	t.caption.n = strlen(t.caption.s);

	buf_printf(out, "<figure class=\"chart chart-%s\" "
	    "aria-labelledby=\"%s-title\">\n<figcaption id=\"%s-title\">",
	    c.type == CHART_BAR ? "bar" : c.type == CHART_STACKED ?
	    "stacked" : "timeline", k->id, k->id);
	put_text(out, c.title);
	buf_puts(out, "</figcaption>\n");
	if (c.type == CHART_BAR)
		draw_bar(k, &c, out);
	else if (c.type == CHART_STACKED)
		draw_stacked(k, &c, out);
	else
		draw_timeline(k, &c, out);
	if (c.desc.n > 0) {
		buf_puts(out, "<p class=\"chart-desc\">");
		put_text(out, c.desc);
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "<div class=\"chart-table\">");
	table_put(k, &t, out);
	buf_puts(out, "</div>\n</figure>\n");
	return 0;
}

int
chart_block(struct arena *a, const char *kind, const char *spec, size_t len,
    const char *file, unsigned spec_line, const struct value *data,
    const struct value *i18n, struct buf *out, const char **dname,
    struct diags *diags)
{
	struct block k;
	size_t start = out->len;
	int rc = -1, table;

	memset(&k, 0, sizeof(k));
	k.a = a;
	k.d = diags;
	k.file = file;
	k.line = spec_line;
	k.spec = spec;
	k.speclen = len;
	k.data = data;
	k.i18n = i18n;
	lang_numfmt(i18n, &k.nf);
	table = kind != NULL && strcmp(kind, "table") == 0;
	if (!table && (kind == NULL || strcmp(kind, "chart") != 0)) {
		diag_error(diags, file, spec_line, 1, NULL,
		    "unknown block kind \"%s\"", kind ? kind : "(null)");
		goto out;
	}
	snprintf(k.id, sizeof(k.id), "%s-L%u", table ? "table" : "chart",
	    spec_line);
	k.map = yaml_parse(a, spec, len, file, spec_line ? spec_line - 1 : 0,
	    diags);
	if (k.map == NULL)
		goto out;
	if (k.map->type != VAL_MAP) {
		diag_error(diags, file, spec_line, 1, table ?
		    N_("Write the table's settings as YAML, such as "
		    "\"data: henkilosto.csv\" and \"caption: …\".") :
		    N_("Write the chart's settings as YAML, such as "
		    "\"data: henkilosto.csv\", \"x: …\", \"y: …\" and "
		    "\"title: …\"."),
		    "a ```%s block needs settings (a YAML map)", kind);
		goto out;
	}
	rc = table ? table_block(&k, out) : chart_spec(&k, out);
out:
	if (dname != NULL)
		*dname = k.dname;
	if (rc != 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
	}
	return rc;
}
