#include <string.h>

#include "url.h"
#include "util/diag.h"
#include "util/text.h"

const char *const url_hint =
    N_("Link to a page of the site or to an https:// address; javascript:, "
    "vbscript:, file: and data: addresses are not allowed (an image may "
    "be data:image/png, gif, jpeg or webp).");

/*
 * Named references that decode to ASCII. Only these can change how a
 * scheme or a style reads; any other name decodes to a character that is
 * not ASCII, which ends a scheme just as an undecoded '&' does. A browser
 * decodes these names only with their ';'.
 */
static const struct {
	const char	*name;
	char		 c;
} named[] = {
	{ "Tab", '\t' }, { "NewLine", '\n' }, { "colon", ':' },
	{ "sol", '/' }, { "bsol", '\\' }, { "semi", ';' }, { "comma", ',' },
	{ "period", '.' }, { "plus", '+' }, { "lpar", '(' }, { "rpar", ')' },
	{ "excl", '!' }, { "num", '#' }, { "percnt", '%' }, { "amp", '&' },
	{ "AMP", '&' }, { "quot", '"' }, { "QUOT", '"' }, { "apos", '\'' },
	{ "lt", '<' }, { "LT", '<' }, { "gt", '>' }, { "GT", '>' },
	{ "equals", '=' }, { "quest", '?' }, { "commat", '@' },
	{ "lowbar", '_' }, { "UnderBar", '_' }, { "ast", '*' },
	{ "midast", '*' }, { "dollar", '$' }, { "lsqb", '[' },
	{ "lbrack", '[' }, { "rsqb", ']' }, { "rbrack", ']' }, { "lcub", '{' },
	{ "lbrace", '{' }, { "rcub", '}' }, { "rbrace", '}' },
	{ "verbar", '|' }, { "vert", '|' }, { "VerticalLine", '|' },
	{ "grave", '`' }, { "DiacriticalGrave", '`' }, { "Hat", '^' },
};

static int
is_alpha(long c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
lower(long c)
{
	return c >= 'A' && c <= 'Z' ? (int)(c - 'A' + 'a') : (int)c;
}

size_t
url_charref(const char *s, size_t n, unsigned long *cp)
{
	size_t i, k, len;
	unsigned long v = 0;
	int hex, d, digits = 0;

	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		hex = s[2] == 'x' || s[2] == 'X';
		for (i = hex ? 3 : 2; i < n; i++) {
			d = hex ? text_hex((unsigned char)s[i]) :
			    s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1;
			if (d < 0)
				break;
			/* Past U+10FFFF it is U+FFFD, however long. */
			if (v <= 0x10FFFF)
				v = v * (hex ? 16 : 10) + (unsigned long)d;
			digits++;
		}
		if (digits == 0)
			return 0;
		/*
		 * The semicolon is optional. 0x80-0x9F map to Windows-1252
		 * letters, none of them ASCII, so they stay what they are.
		 */
		if (i < n && s[i] == ';')
			i++;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = 0xFFFD;
		*cp = v;
		return i;
	}
	for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		len = strlen(named[k].name);
		if (len + 2 <= n && memcmp(s + 1, named[k].name, len) == 0 &&
		    s[len + 1] == ';') {
			*cp = (unsigned char)named[k].c;
			return len + 2;
		}
	}
	return 0;
}

/*
 * The next character of u as the URL parser sees it, from u[*i]: a
 * character reference or a percent escape decoded (the parser itself
 * decodes neither in a scheme; decoding them too catches an address some
 * other program decodes once more). -1 at the end. Bytes of multibyte
 * UTF-8 come one by one, as values over 0x7F: none is a scheme letter.
 */
static long
next(const char *u, size_t n, size_t *i)
{
	unsigned long cp;
	size_t k;
	int h1, h2;

	if (*i >= n)
		return -1;
	if (u[*i] == '&' && (k = url_charref(u + *i, n - *i, &cp)) > 0) {
		*i += k;
		return (long)cp;
	}
	if (u[*i] == '%' && *i + 2 < n &&
	    (h1 = text_hex((unsigned char)u[*i + 1])) >= 0 &&
	    (h2 = text_hex((unsigned char)u[*i + 2])) >= 0) {
		*i += 3;
		return h1 * 16 + h2;
	}
	return (unsigned char)u[(*i)++];
}

/*
 * What the URL parser drops: C0 controls and spaces in front, tabs and
 * newlines anywhere. Dropping all of them anywhere is stricter.
 */
static int
ignored(long c)
{
	return c >= 0 && (c <= 0x20 || c == 0x7F);
}

int
url_dangerous(const char *url, size_t len, int image)
{
	static const char *const images[] = {
		"image/png", "image/gif", "image/jpeg", "image/webp"
	};
	char scheme[16], type[16];
	size_t i = 0, n = 0, k;
	long c;

	while ((c = next(url, len, &i)) != -1 && ignored(c))
		continue;
	if (!is_alpha(c))
		return 0;
	/* A scheme: a letter, then letters, digits, '+', '-', '.', then ':'. */
	for (; c != ':'; c = next(url, len, &i)) {
		if (c == -1)
			return 0;
		if (ignored(c))
			continue;
		if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' &&
		    c != '-' && c != '.')
			return 0;
		/* Longer than any scheme refused here. */
		if (n == sizeof(scheme) - 1)
			return 0;
		scheme[n++] = (char)lower(c);
	}
	scheme[n] = '\0';
	if (strcmp(scheme, "javascript") == 0 ||
	    strcmp(scheme, "vbscript") == 0 || strcmp(scheme, "file") == 0)
		return 1;
	if (strcmp(scheme, "data") != 0)
		return 0;
	if (!image)
		return 1;
	/* data:[type][;base64],data: the type must be a raster image. */
	for (n = 0; (c = next(url, len, &i)) != ';' && c != ','; ) {
		if (c == -1 || n == sizeof(type) - 1)
			return 1;
		if (!ignored(c))
			type[n++] = (char)lower(c);
	}
	type[n] = '\0';
	for (k = 0; k < sizeof(images) / sizeof(images[0]); k++)
		if (strcmp(type, images[k]) == 0)
			return 0;
	return 1;
}

void
url_show(struct buf *b, const char *url, size_t len)
{
	size_t i;
	unsigned char c;

	buf_put(b, "", 0);
	for (i = 0; i < len; i++) {
		c = (unsigned char)url[i];
		/* Cut only at the start of a character. */
		if (i >= 100 && (c & 0xC0) != 0x80) {
			buf_puts(b, "…");
			return;
		}
		if (c == '\t')
			buf_puts(b, "\\t");
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else if (c < 0x20 || c == 0x7F)
			buf_printf(b, "\\x%02x", c);
		else
			buf_putc(b, c);
	}
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

void
url_check_value(const struct value *v, const char *file, struct diags *d)
{
	struct buf b = BUF_INIT;
	size_t i, s, e;

	if (v == NULL)
		return;
	switch (v->type) {
	case VAL_STRING:
		for (s = 0, e = v->len; s < e && space(v->str[s]); s++)
			continue;
		while (e > s && space(v->str[e - 1]))
			e--;
		/* Raster images as data: are harmless, even as a link. */
		if (!url_dangerous(v->str + s, e - s, 1))
			break;
		url_show(&b, v->str + s, e - s);
		diag_error(d, file, v->line, v->col,
		    "Write an https:// address, or text that does not start "
		    "like an address: javascript:, vbscript:, file: and data: "
		    "addresses could run script on the page.",
		    "the value is an unsafe address: %s", b.data);
		buf_free(&b);
		break;
	case VAL_LIST:
		for (i = 0; i < v->len; i++)
			url_check_value(v->u.items[i], file, d);
		break;
	case VAL_MAP:
		for (i = 0; i < v->len; i++)
			url_check_value(v->u.pairs[i].val, file, d);
		break;
	default:
		break;
	}
}
