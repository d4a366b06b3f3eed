#include <stdarg.h>
#include <string.h>

#include "rawhtml.h"
#include "url.h"
#include "util/buf.h"
#include "util/text.h"

/*
 * Elements refused, start or end tag. Besides those that run, embed or
 * submit, the ones whose content a browser's tokenizer reads as plain
 * text (textarea, title, xmp, noscript, ...): inside them a browser and
 * the scan below would disagree on where tags are, and script hides in
 * such a disagreement. base, meta and link change where the page's own
 * addresses and styles come from.
 */
static const char *const refused[] = {
	"script", "iframe", "frame", "frameset", "object", "embed", "applet",
	"style", "form", "base", "meta", "link", "noscript", "noembed",
	"noframes", "xmp", "plaintext", "textarea", "title",
};

/* Attributes whose value a browser follows or loads as an address. */
static const char *const url_attrs[] = {
	"href", "src", "action", "formaction", "xlink:href", "poster",
	"background", "cite", "data", "codebase", "lowsrc", "dynsrc",
	/* SVG animation sets other attributes, href too, to these. */
	"to", "from", "values",
};

/* A style that loads or computes: an address, or script in old IE. */
static const char *const style_refused[] = {
	"url(", "expression(", "image-set(",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const hint_element =
    N_("Remove it: a page may not have scripts, frames, embedded objects, "
    "style sheets, forms or elements read as plain text, even with "
    "[markdown] unsafe = true. Link to the video, map or form instead; "
    "styles belong in the theme's CSS.");

struct scan {
	const char	*s;
	size_t		 len;
	const char	*file;
	unsigned	 line;
	struct diags	*diags;
	size_t		 errors;
	struct buf	 name;		/* lower case */
	struct buf	 tmp;
	size_t		 tname;		/* the last tag's name */
	size_t		 tnlen;
	struct buf	 msg;
};

static int
ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int
alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static unsigned
line_at(const struct scan *sc, size_t off)
{
	unsigned line = sc->line;
	size_t i;

	for (i = 0; i < off && i < sc->len; i++)
		if (sc->s[i] == '\n')
			line++;
	return line;
}

/*
 * Adds an error at offset at, once: "<script>x</script>" is two tags but
 * one mistake, even in two nodes of the Markdown, one after the other.
 */
static void
report(struct scan *sc, size_t at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
report(struct scan *sc, size_t at, const char *hint, const char *fmt, ...)
{
	unsigned line = line_at(sc, at);
	va_list ap;
	size_t i;

	buf_reset(&sc->msg);
	va_start(ap, fmt);
	buf_vprintf(&sc->msg, fmt, ap);
	va_end(ap);
	for (i = sc->diags->len; i-- > 0; ) {
		const struct diag *g = &sc->diags->v[i];
		if (g->line != line || strcmp(g->file, sc->file) != 0)
			break;
		if (strcmp(g->msg, sc->msg.data) == 0)
			return;
	}
	va_start(ap, fmt);
	diag_vadd(sc->diags, DIAG_ERROR, sc->file, line, 0, hint, fmt, ap);
	va_end(ap);
	sc->errors++;
}

static void
lowered(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_reset(b);
	buf_put(b, "", 0);
	for (i = 0; i < n; i++)
		buf_putc(b, lower(s[i]));
}

static int
one_of(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

/*
 * The style as CSS reads it, for a search: character references, CSS
 * escapes and comments undone, white space dropped, letters in lower
 * case; anything not ASCII becomes '?'.
 */
static void
css_plain(struct buf *out, const char *v, size_t n)
{
	struct buf t = BUF_INIT;
	unsigned long cp;
	size_t i, k;
	int h, digits;

	buf_reset(out);
	buf_put(out, "", 0);
	for (i = 0; i < n; ) {
		if (v[i] == '&' && (k = url_charref(v + i, n - i, &cp)) > 0) {
			buf_putc(&t, cp < 0x80 ? (int)cp : '?');
			i += k;
		} else
			buf_putc(&t, v[i++]);
	}
	for (i = 0; i < t.len; ) {
		char c = t.data[i];
		if (c == '/' && i + 1 < t.len && t.data[i + 1] == '*') {
			for (i += 2; i < t.len && !(t.data[i] == '*' &&
			    i + 1 < t.len && t.data[i + 1] == '/'); i++)
				continue;
			i = i < t.len ? i + 2 : t.len;
		} else if (c == '\\' && i + 1 < t.len) {
			/* Up to six hex digits and a space, or one character. */
			for (i++, cp = 0, digits = 0; digits < 6 && i < t.len &&
			    (h = text_hex(t.data[i])) >= 0; digits++, i++)
				cp = cp * 16 + (unsigned long)h;
			if (digits > 0) {
				if (i < t.len && ws(t.data[i]))
					i++;
				if (cp < 0x80 && !ws((char)cp))
					buf_putc(out, lower((char)cp));
				else if (cp >= 0x80)
					buf_putc(out, '?');
			} else
				buf_putc(out, lower(t.data[i++]));
		} else {
			if (!ws(c))
				buf_putc(out, lower(c));
			i++;
		}
	}
	/* A NUL would end the search early. */
	for (i = 0; i < out->len; i++)
		if (out->data[i] == '\0')
			out->data[i] = '?';
	buf_free(&t);
}

static void
element(struct scan *sc, size_t at, const char *name, size_t n)
{
	lowered(&sc->name, name, n);
	if (!one_of(sc->name.data, refused, NELEM(refused)))
		return;
	report(sc, at, hint_element, "raw HTML element <%s> is not allowed",
	    sc->name.data);
}

/* Raster images may come as data:image/png and the like. */
static int
image_attr(const char *el, size_t elen, const char *attr)
{
	static const char *const imgs[] = {
		"img", "image", "source", "input", "picture", "video"
	};
	struct buf b = BUF_INIT;
	int r;

	if (strcmp(attr, "src") && strcmp(attr, "poster") &&
	    strcmp(attr, "href") && strcmp(attr, "xlink:href"))
		return 0;
	lowered(&b, el, elen);
	r = one_of(b.data, imgs, NELEM(imgs));
	buf_free(&b);
	return r;
}

static void
attribute(struct scan *sc, size_t at, const char *el, size_t elen,
    const char *name, size_t n, const char *val, size_t vlen)
{
	const char *a;
	size_t i;

	lowered(&sc->name, name, n);
	a = sc->name.data;
	buf_reset(&sc->tmp);
	if (n > 2 && a[0] == 'o' && a[1] == 'n') {
		url_show(&sc->tmp, a, n);
		report(sc, at, "Remove the attribute: pages run no script. "
		    "Make it a link to a page instead.",
		    "raw HTML event attribute %s= is not allowed",
		    sc->tmp.data);
	} else if (strcmp(a, "style") == 0) {
		css_plain(&sc->tmp, val, vlen);
		for (i = 0; i < NELEM(style_refused); i++)
			if (strstr(sc->tmp.data, style_refused[i]) != NULL)
				break;
		if (i == NELEM(style_refused))
			return;
		report(sc, at, "Remove the style attribute; give the element "
		    "a class and style that in the theme's CSS.",
		    "raw HTML style attribute with %s is not allowed",
		    style_refused[i]);
	} else if (one_of(a, url_attrs, NELEM(url_attrs)) &&
	    url_dangerous(val, vlen, image_attr(el, elen, a))) {
		url_show(&sc->tmp, val, vlen);
		report(sc, at, url_hint, "unsafe address in raw HTML %s=: %s",
		    a, sc->tmp.data);
	}
}

/*
 * Reads the tag at s[at] == '<' as a browser's tokenizer does and checks
 * its name and attributes. Returns the offset after its '>', or the end
 * of the text, with *closed 0, if the text ends first.
 */
static size_t
tag(struct scan *sc, size_t at, int *closed)
{
	const char *s = sc->s;
	size_t len = sc->len, p = at + 1, name, nlen, an, alen, v, vlen;
	char q;

	*closed = 0;
	if (p < len && s[p] == '/')
		p++;
	for (name = p; p < len && !ws(s[p]) && s[p] != '/' && s[p] != '>'; )
		p++;
	nlen = p - name;
	sc->tname = name;
	sc->tnlen = nlen;
	element(sc, at, s + name, nlen);
	for (;;) {
		/* A '/' between attributes only separates them. */
		while (p < len && (ws(s[p]) || s[p] == '/'))
			p++;
		if (p >= len)
			return len;
		if (s[p] == '>') {
			*closed = 1;
			return p + 1;
		}
		/* A name may start with '='; it ends at =, /, > or space. */
		for (an = p++; p < len && !ws(s[p]) && s[p] != '/' &&
		    s[p] != '>' && s[p] != '='; )
			p++;
		alen = p - an;
		while (p < len && ws(s[p]))
			p++;
		v = p;
		vlen = 0;
		if (p < len && s[p] == '=') {
			for (p++; p < len && ws(s[p]); )
				p++;
			if (p < len && (s[p] == '"' || s[p] == '\'')) {
				q = s[p++];
				for (v = p; p < len && s[p] != q; )
					p++;
				vlen = p - v;
				if (p < len)
					p++;
			} else {
				for (v = p; p < len && !ws(s[p]) &&
				    s[p] != '>'; )
					p++;
				vlen = p - v;
			}
		}
		attribute(sc, an, s + name, nlen, s + an, alen, s + v, vlen);
	}
}

/* Returns the offset after the first needle in s[from..len), or len. */
static size_t
past(const struct scan *sc, size_t from, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= sc->len; i++)
		if (memcmp(sc->s + i, needle, n) == 0)
			return i + n;
	return sc->len;
}

size_t
rawhtml_check(const char *html, size_t len, const char *file, unsigned line,
    struct diags *d)
{
	struct scan sc;
	size_t i = 0, a, b;
	int closed;

	memset(&sc, 0, sizeof(sc));
	sc.s = html;
	sc.len = len;
	sc.file = file;
	sc.line = line;
	sc.diags = d;
	while (i < len) {
		if (html[i] != '<' || i + 1 >= len) {
			i++;
			continue;
		}
		if (len - i >= 4 && memcmp(html + i, "<!--", 4) == 0) {
			/* "<!-->" and "<!--->" end a comment too. */
			a = past(&sc, i + 2, "-->");
			b = past(&sc, i + 4, "--!>");
			i = a < b ? a : b;
		} else if (len - i >= 9 &&
		    memcmp(html + i, "<![CDATA[", 9) == 0) {
			/* "]]>" ends it in SVG, ">" in HTML: refused. */
			report(&sc, i, hint_element,
			    "raw HTML element <%s> is not allowed", "![CDATA[");
			i += 9;
		} else if (alpha(html[i + 1]) || (html[i + 1] == '/' &&
		    i + 2 < len && alpha(html[i + 2]))) {
			a = i;
			i = tag(&sc, i, &closed);
			/*
			 * What follows this node would become the rest of the
			 * tag: more attributes, from anywhere.
			 */
			if (!closed) {
				lowered(&sc.name, html + sc.tname, sc.tnlen);
				buf_reset(&sc.tmp);
				url_show(&sc.tmp, sc.name.data, sc.name.len);
				report(&sc, a, "End the tag with > before the "
				    "blank line.", "raw HTML tag <%s> is not "
				    "closed", sc.tmp.data);
			}
		} else if (html[i + 1] == '!' || html[i + 1] == '?' ||
		    html[i + 1] == '/') {
			/* <!DOCTYPE>, <?...>, </3>: ignored up to '>'. */
			i = past(&sc, i + 2, ">");
		} else
			i++;
	}
	buf_free(&sc.name);
	buf_free(&sc.tmp);
	buf_free(&sc.msg);
	return sc.errors;
}
