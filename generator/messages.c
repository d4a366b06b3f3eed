#include <libintl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "util/buf.h"
#include "util/hmap.h"

#define DOMAIN "valo"

static const char *lang = "en";
static char set[4];	/* the LANGUAGE msg_language set, or "" */

/* "fi" or "sv" where a locale or language name is one of those. */
static const char *
lang_of(const char *name)
{
	if (name == NULL)
		return NULL;
	if (strncmp(name, "fi", 2) == 0 && (name[2] == '\0' ||
	    strchr("_.@:", name[2]) != NULL))
		return "fi";
	if (strncmp(name, "sv", 2) == 0 && (name[2] == '\0' ||
	    strchr("_.@:", name[2]) != NULL))
		return "sv";
	return NULL;
}

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
msg_language(const char *site_lang, const char *localedir)
{
	const char *l, *loc, *ls, *ll;

	loc = env("LC_ALL");
	if (loc == NULL)
		loc = env("LC_MESSAGES");
	if (loc == NULL)
		loc = env("LANG");
	ls = lang_of(site_lang);
	ll = lang_of(loc);
	/*
	 * LANGUAGE is the user's own choice of message language, unless it
	 * is what an earlier call set for gettext.
	 */
	if (env("LANGUAGE") != NULL && strcmp(env("LANGUAGE"), set) != 0)
		l = lang_of(env("LANGUAGE"));
	else if ((ls && !strcmp(ls, "fi")) || (ll && !strcmp(ll, "fi")))
		l = "fi";
	else
		l = ls ? ls : ll;
	if (l == NULL) {
		lang = "en";
		return lang;
	}
	/*
	 * gettext reads LANGUAGE, but not in the C locale; C.UTF-8 is in
	 * every glibc, where a Finnish locale often is not installed. Only
	 * messages change: numbers in the output never depend on a locale.
	 */
	if (setlocale(LC_MESSAGES, "") == NULL ||
	    strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0 ||
	    strcmp(setlocale(LC_MESSAGES, NULL), "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	setenv("LANGUAGE", l, 1);
	snprintf(set, sizeof(set), "%s", l);
	/* textdomain forgets what gettext looked up in another language. */
	textdomain(DOMAIN);
	bindtextdomain(DOMAIN, localedir);
	bind_textdomain_codeset(DOMAIN, "UTF-8");
	lang = l;
	return lang;
}

const char *
msg_lang(void)
{
	return lang;
}

const char *
msg_tr(const char *msgid)
{
	if (strcmp(lang, "en") == 0 || msgid == NULL || *msgid == '\0')
		return msgid;
	return dgettext(DOMAIN, msgid);
}

/* The n-th (0-based) argument of t, or "". */
static const char *
arg_at(const struct diag_text *t, size_t n)
{
	const char *p = t->args, *end = t->args + t->argslen;

	while (p != NULL && p < end) {
		if (n-- == 0)
			return p;
		p += strlen(p) + 1;
	}
	return "";
}

/* An argument; a W_() word translated, by its context "argument". */
static void
put_arg(struct buf *b, const char *arg)
{
	struct buf key = BUF_INIT;
	const char *tr;

	if (*arg != DIAG_WORD) {
		buf_puts(b, arg);
		return;
	}
	arg++;
	if (strcmp(lang, "en") == 0) {
		buf_puts(b, arg);
		return;
	}
	buf_puts(&key, "argument\004");
	buf_puts(&key, arg);
	tr = dgettext(DOMAIN, key.data);
	buf_puts(b, tr == key.data ? arg : tr);
	buf_free(&key);
}

void
msg_fill(struct buf *b, const char *tr, const struct diag_text *t)
{
	const char *p, *q;
	size_t next = 0, n;

	for (p = tr; *p != '\0';) {
		if (*p != '%') {
			q = strchr(p, '%');
			n = q ? (size_t)(q - p) : strlen(p);
			buf_put(b, p, n);
			p += n;
			continue;
		}
		if (p[1] == '%') {
			buf_putc(b, '%');
			p += 2;
			continue;
		}
		p++;
		n = 0;
		for (q = p; *q >= '0' && *q <= '9'; q++)
			n = n * 10 + (size_t)(*q - '0');
		if (*q == '$' && n > 0) {
			p = q + 1;
			n--;
		} else
			n = next++;
		p += strspn(p, "-+ #0'*.0123456789hlLzjt");
		if (*p != '\0')
			p++;
		put_arg(b, arg_at(t, n));
	}
}

void
msg_text(struct buf *b, const struct diag_text *t, const char *en)
{

	/*
	 * A message the catalogue lacks (or keeps as it is) still gets its
	 * W_() words translated: the format is filled again.
	 */
	if (t->id == NULL || strcmp(lang, "en") == 0)
		buf_puts(b, en);
	else if (t->args == NULL)
		buf_puts(b, msg_tr(t->id));
	else
		msg_fill(b, msg_tr(t->id), t);
}

void
msg_message(struct buf *b, const struct diag *g)
{
	struct diag_text v = { NULL, NULL, 0 };
	struct buf en = BUF_INIT;

	if (g->version != NULL) {
		v.id = (char *)"in version %s: ";
		v.args = g->version;
		v.argslen = strlen(g->version) + 1;
		buf_printf(&en, "in version %s: ", g->version);
		msg_text(b, &v, en.data);
		buf_free(&en);
	}
	msg_text(b, &g->m, g->msg);
	if (g->detail != NULL)
		buf_printf(b, " (%s)", g->detail);
}

void
msg_hint(struct buf *b, const struct diag *g)
{
	if (g->hint != NULL)
		msg_text(b, &g->h, g->hint);
}

const char *
msg_level(enum diag_level l)
{
	return l == DIAG_ERROR ? _("error") : l == DIAG_WARNING ?
	    _("warning") : _("note");
}

int
msg_format_parse(const char *s, enum msg_format *f)
{
	static const char *names[] = { "text", "json", "github", "gitlab" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum msg_format)i;
			return 0;
		}
	return -1;
}

/*
 * The source line under the message, with a caret under the column, as
 * compilers show it. Tabs stay tabs above and below, so the caret lines
 * up whatever the tab width; a character of several bytes is one column.
 */
static void
print_excerpt(FILE *f, const struct diag *g)
{
	const unsigned char *p, *end;
	size_t cols = 0;

	fprintf(f, "%5u | %s\n      | ", g->line, g->excerpt);
	p = (const unsigned char *)g->excerpt;
	end = p + strlen(g->excerpt);
	for (; p < end && cols + 1 < g->col; p++, cols++) {
		if (*p == '\t')
			fputc('\t', f);
		else if ((*p & 0xc0) != 0x80)
			fputc(' ', f);
		else
			continue;
	}
	fputs("^\n", f);
}

static void
print_text(const struct diag *g, FILE *f, int color, struct buf *b)
{
	const char *on = "", *off = "";

	if (color) {
		on = g->level == DIAG_ERROR ? "\033[1;31m" :
		    g->level == DIAG_WARNING ? "\033[1;33m" : "\033[1m";
		off = "\033[0m";
	}
	if (*g->file && g->line && g->col)
		fprintf(f, "%s:%u:%u: ", g->file, g->line, g->col);
	else if (*g->file && g->line)
		fprintf(f, "%s:%u: ", g->file, g->line);
	else if (*g->file)
		fprintf(f, "%s: ", g->file);
	buf_reset(b);
	msg_message(b, g);
	fprintf(f, "%s%s%s: %s\n", on, msg_level(g->level), off, b->data);
	if (g->excerpt != NULL && g->line && g->col)
		print_excerpt(f, g);
	if (g->hint != NULL) {
		buf_reset(b);
		msg_hint(b, g);
		fprintf(f, "    %s\n", b->data);
	}
}

static void
put_json(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static const char *
level_key(enum diag_level l)
{
	return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" :
	    "note";
}

static void
print_json(const struct diag *g, FILE *f, struct buf *b)
{
	fputs("{\"file\":", f);
	put_json(f, g->file);
	fprintf(f, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"message\":",
	    g->line, g->col, level_key(g->level));
	buf_reset(b);
	msg_message(b, g);
	put_json(f, b->data);
	fputs(",\"hint\":", f);
	if (g->hint != NULL) {
		buf_reset(b);
		msg_hint(b, g);
		put_json(f, b->data);
	} else
		fputs("null", f);
	fputs(",\"id\":", f);
	put_json(f, g->m.id ? g->m.id : g->msg);
	fputs("}\n", f);
}

/* GitHub's workflow commands: % and line ends escaped, in properties , and : too. */
static void
put_github(FILE *f, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (property && *s == ':')
			fputs("%3A", f);
		else if (property && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
}

static void
print_github(const struct diag *g, FILE *f, struct buf *b)
{
	fprintf(f, "::%s", g->level == DIAG_ERROR ? "error" :
	    g->level == DIAG_WARNING ? "warning" : "notice");
	if (*g->file) {
		fputs(" file=", f);
		put_github(f, g->file, 1);
		if (g->line)
			fprintf(f, ",line=%u", g->line);
		if (g->line && g->col)
			fprintf(f, ",col=%u", g->col);
	}
	fputs("::", f);
	buf_reset(b);
	msg_message(b, g);
	if (g->hint != NULL) {
		buf_putc(b, '\n');
		msg_hint(b, g);
	}
	put_github(f, b->data, 0);
	fputc('\n', f);
}

static void
print_gitlab(const struct diag *g, FILE *f, struct buf *b, int first)
{
	uint64_t h;
	char line[16];

	snprintf(line, sizeof(line), "%u", g->line);
	h = hash_mix_str(hash_mix_str(hash_mix_str(hash_mix_str(0,
	    g->file), g->m.id ? g->m.id : g->msg), g->msg), line);
	fputs(first ? "\n  " : ",\n  ", f);
	fputs("{\"description\":", f);
	buf_reset(b);
	msg_message(b, g);
	if (g->hint != NULL) {
		buf_puts(b, " — ");
		msg_hint(b, g);
	}
	put_json(f, b->data);
	fputs(",\"check_name\":", f);
	put_json(f, g->m.id ? g->m.id : g->msg);
	fprintf(f, ",\"fingerprint\":\"%016llx\",\"severity\":\"%s\","
	    "\"location\":{\"path\":", (unsigned long long)h,
	    g->level == DIAG_ERROR ? "major" : g->level == DIAG_WARNING ?
	    "minor" : "info");
	put_json(f, *g->file ? g->file : "site.conf");
	fprintf(f, ",\"lines\":{\"begin\":%u}}}", g->line ? g->line : 1);
}

void
msg_print(const struct diags *d, FILE *f, enum msg_format fmt, int color)
{
	struct buf b = BUF_INIT;
	size_t i;

	if (fmt == MSG_GITLAB)
		fputc('[', f);
	for (i = 0; i < d->len; i++) {
		switch (fmt) {
		case MSG_TEXT:
			print_text(&d->v[i], f, color, &b);
			break;
		case MSG_JSON:
			print_json(&d->v[i], f, &b);
			break;
		case MSG_GITHUB:
			print_github(&d->v[i], f, &b);
			break;
		case MSG_GITLAB:
			print_gitlab(&d->v[i], f, &b, i == 0);
			break;
		}
	}
	if (fmt == MSG_GITLAB)
		fputs(d->len ? "\n]\n" : "]\n", f);
	buf_free(&b);
}
