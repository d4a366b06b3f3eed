#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/mem.h"

enum key_type { KEY_STRING, KEY_BOOL, KEY_INT };

struct key {
	const char	*section;
	const char	*name;
	enum key_type	 type;
	size_t		 off;
};

#define STR(s, n, f)	{ s, n, KEY_STRING, offsetof(struct config, f) }
#define BOOL(s, n, f)	{ s, n, KEY_BOOL, offsetof(struct config, f) }
#define INT(s, n, f)	{ s, n, KEY_INT, offsetof(struct config, f) }

static const struct key keys[] = {
	STR("site", "title", title),
	STR("site", "description", description),
	STR("site", "base_url", base_url),
	STR("site", "language", language),
	STR("site", "languages", languages),
	STR("site", "theme", theme),
	STR("site", "output", output),
	STR("site", "feedback_email", feedback_email),
	STR("site", "feedback_url", feedback_url),
	BOOL("markdown", "unsafe", unsafe_html),
	BOOL("build", "drafts", drafts),
	INT("build", "jobs", jobs),
	BOOL("history", "enabled", history),
	STR("history", "note", history_note),
	BOOL("history", "authors", history_authors),
	STR("history", "versions", versions),
	INT("check", "title_length", title_length),
	INT("plain", "sentence_words", plain_sentence_words),
	INT("plain", "word_length", plain_word_length),
	INT("plain", "passive_share", plain_passive_share),
};

struct reader {
	const char	*p;		/* the rest of the file */
	const char	*end;
	unsigned	 line;	/* inih calls the reader once per line */
	struct config	*cfg;
	const char	*name;
	struct diags	*diags;
};

static char *
read_line(char *str, int num, void *arg)
{
	struct reader *r = arg;
	const char *nl;
	size_t n;

	if (r->p >= r->end || num < 2)
		return NULL;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	n = nl ? (size_t)(nl - r->p) + 1 : (size_t)(r->end - r->p);
	if (n > (size_t)num - 1)
		n = (size_t)num - 1;
	memcpy(str, r->p, n);
	str[n] = '\0';
	r->p += n;
	/* A line longer than inih's buffer comes in pieces: count it once. */
	if (str[n - 1] == '\n' || r->p == r->end)
		r->line++;
	return str;
}

static void
known_keys(char *hint, size_t sz)
{
	size_t i, n;

	n = 0;
	hint[0] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && n < sz; i++)
		n += (size_t)snprintf(hint + n, sz - n, "%s[%s] %s%s",
		    i ? " " : "",
		    keys[i].section, keys[i].name,
		    i + 1 < sizeof(keys) / sizeof(keys[0]) ? "," : ".");
}

/* A language code as sites name them: "fi", "sv", "smn". */
static int
lang_code(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || n > 3)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/*
 * [sv] title = ...: kept in the next free slot of langs past the ones
 * that languages = names, matched to them once the whole file is read.
 */
static void
lang_setting(struct reader *r, const char *section, const char *name,
    const char *val)
{
	struct config *c = r->cfg;
	struct config_lang *l = NULL;
	char **sp;
	int i;

	for (i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i].code, section) == 0)
			l = &c->langs[i];
	if (l == NULL) {
		if (c->nlangs == LANGS_MAX) {
			diag_error(r->diags, r->name, r->line, 0, NULL,
			    "more than %d languages", LANGS_MAX);
			return;
		}
		l = &c->langs[c->nlangs++];
		l->code = xstrdup(section);
		l->line = r->line;
	}
	if (strcmp(name, "title") == 0)
		sp = &l->title;
	else if (strcmp(name, "description") == 0)
		sp = &l->description;
	else {
		diag_error(r->diags, r->name, r->line, 0,
		    "A language's section has title and description.",
		    "unknown setting \"%s\" in section [%s]", name, section);
		return;
	}
	free(*sp);
	*sp = xstrdup(val);
}

static int
handler(void *arg, const char *section, const char *name, const char *val)
{
	struct reader *r = arg;
	const struct key *k = NULL;
	char hint[1024], *end, **sp;
	size_t i;
	long n;

	if (lang_code(section, strlen(section)) &&
	    strcmp(section, "site") != 0) {
		lang_setting(r, section, name, val);
		return 1;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			k = &keys[i];
	if (k == NULL) {
		known_keys(hint, sizeof(hint));
		diag_error(r->diags, r->name, r->line, 0, NULL,
		    "unknown setting \"%s\" in section [%s]", name, section);
		diag_hintf(r->diags, "Known keys: %s", hint);
		return 1;
	}
	switch (k->type) {
	case KEY_STRING:
		if (k->off == offsetof(struct config, languages))
			r->cfg->languages_line = r->line;
		sp = (char **)((char *)r->cfg + k->off);
		free(*sp);
		*sp = xstrdup(val);
		break;
	case KEY_BOOL:
		if (strcmp(val, "true") == 0 || strcmp(val, "yes") == 0)
			*(int *)((char *)r->cfg + k->off) = 1;
		else if (strcmp(val, "false") == 0 || strcmp(val, "no") == 0)
			*(int *)((char *)r->cfg + k->off) = 0;
		else
			diag_error(r->diags, r->name, r->line, 0,
			    "Write true or false.",
			    "\"%s\" must be true or false, not \"%s\"",
			    name, val);
		break;
	case KEY_INT:
		errno = 0;
		n = strtol(val, &end, 10);
		if (*val == '\0' || *end != '\0' || errno || n < 0 || n > 256)
			diag_error(r->diags, r->name, r->line, 0,
			    "Write a whole number from 0 to 256.",
			    "\"%s\" must be a number, not \"%s\"", name, val);
		else
			*(int *)((char *)r->cfg + k->off) = (int)n;
		break;
	}
	return 1;
}

int
config_set_base_url(struct config *cfg, const char *url, struct diags *d)
{
	const char *p;
	size_t n = strlen(url);

	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		diag_error(d, "site.conf", 0, 0,
		    "Write the address the site is published at, such as "
		    "https://example.fi/.",
		    "base_url \"%s\" is not an http:// or https:// address",
		    url);
		return -1;
	}
	free(cfg->base_url);
	free(cfg->base_path);
	cfg->base_url = xasprintf("%s%s", url,
	    n && url[n - 1] == '/' ? "" : "/");
	p = strchr(cfg->base_url + (url[4] == 's' ? 8 : 7), '/');
	cfg->base_path = xstrdup(p ? p : "/");
	return 0;
}

/* A git trailer key: letters, digits and '-', as git itself accepts. */
static int
trailer_word(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s; s++)
		if (!(*s == '-' || (*s >= '0' && *s <= '9') ||
		    (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return 0;
	return 1;
}

static void	languages(struct config *, const char *, struct diags *);

static void
defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->theme = xstrdup("default");
	cfg->output = xstrdup("public");
	cfg->base_url = xstrdup("/");
	cfg->base_path = xstrdup("/");
	cfg->history = 1;
	cfg->history_note = xstrdup("Muutos");
	/* Search engines show about 60 characters of a title. */
	cfg->title_length = 70;
	/* plain.h's defaults; it says which guidance each follows. */
	cfg->plain_sentence_words = 20;
	cfg->plain_word_length = 25;
	cfg->plain_passive_share = 50;
}

int
config_load(struct config *cfg, struct source *src, const char *name,
    struct diags *d)
{
	struct buf b = BUF_INIT;
	int rc;

	if (source_read(src, name, &b, 0, NULL) == -1) {
		defaults(cfg);
		languages(cfg, name, d);
		diag_error(d, name, 0, 0,
		    "Run valo in the site's folder, or name it with -C DIR.",
		    "cannot open the site's settings in %s: %s", src->name,
		    strerror(errno));
		return -1;
	}
	rc = config_parse(cfg, b.data, b.len, name, d);
	buf_free(&b);
	return rc;
}

/*
 * Orders langs as languages = names them, the site's language first,
 * and checks that every [code] section is one of them.
 */
static void
languages(struct config *cfg, const char *name, struct diags *d)
{
	struct config_lang sections[LANGS_MAX], *l;
	const char *s, *e;
	int nsec = cfg->nlangs, i, j;

	memcpy(sections, cfg->langs, sizeof(sections));
	memset(cfg->langs, 0, sizeof(cfg->langs));
	cfg->nlangs = 0;
	s = cfg->languages ? cfg->languages : cfg->language ? cfg->language :
	    "fi";
	for (;;) {
		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		for (e = s; *e && *e != ' ' && *e != ',' && *e != '\t'; e++)
			continue;
		if (!lang_code(s, (size_t)(e - s))) {
			diag_error(d, name, cfg->languages_line, 0,
			    "Write language codes such "
			    "as fi, sv and en, separated by spaces.",
			    "\"%.*s\" is not a language code", (int)(e - s), s);
		} else if (cfg->nlangs == LANGS_MAX) {
			diag_error(d, name, cfg->languages_line, 0, NULL,
			    "more than %d languages", LANGS_MAX);
			break;
		} else {
			for (j = 0; j < cfg->nlangs; j++)
				if (strlen(cfg->langs[j].code) ==
				    (size_t)(e - s) && strncmp(
				    cfg->langs[j].code, s, (size_t)(e - s)) == 0)
					break;
			if (j == cfg->nlangs)
				cfg->langs[cfg->nlangs++].code =
				    xstrndup(s, (size_t)(e - s));
		}
		s = e;
	}
	if (cfg->nlangs == 0)
		cfg->langs[cfg->nlangs++].code = xstrdup("fi");
	if (cfg->languages != NULL && cfg->language != NULL &&
	    strcmp(cfg->language, cfg->langs[0].code) != 0)
		diag_error(d, name, cfg->languages_line, 0,
		    "Name the site's own language "
		    "first in languages, or leave language out.",
		    "language = %s, but languages starts with %s",
		    cfg->language, cfg->langs[0].code);
	free(cfg->language);
	cfg->language = xstrdup(cfg->langs[0].code);
	for (i = 0; i < nsec; i++) {
		l = NULL;
		for (j = 0; j < cfg->nlangs; j++)
			if (strcmp(cfg->langs[j].code, sections[i].code) == 0)
				l = &cfg->langs[j];
		if (l == NULL || l == &cfg->langs[0]) {
			if (l != NULL)
				diag_error(d, name, sections[i].line, 0,
				    "The site's own language has its title "
				    "and description under [site].",
				    "section [%s] is the site's own language",
				    sections[i].code);
			else
				diag_error(d, name, sections[i].line, 0,
				    "Add it to [site] languages, or remove "
				    "the section.", "section [%s] is not one "
				    "of the site's languages",
				    sections[i].code);
			free(sections[i].code);
			free(sections[i].title);
			free(sections[i].description);
			continue;
		}
		free(sections[i].code);
		l->title = sections[i].title;
		l->description = sections[i].description;
		l->line = sections[i].line;
	}
	cfg->langs[0].title = NULL;
	cfg->langs[0].description = NULL;
}

int
config_parse(struct config *cfg, const char *text, size_t len,
    const char *name, struct diags *d)
{
	struct reader r;
	size_t errors = d->errors;
	int rc;

	defaults(cfg);
	memset(&r, 0, sizeof(r));
	r.cfg = cfg;
	r.name = name;
	r.diags = d;
	r.p = text;
	r.end = text + len;
	rc = ini_parse_stream(read_line, &r, handler, &r);
	if (rc > 0)
		diag_error(d, name, (unsigned)rc, 0,
		    "Write settings as key = value under a [section] line.",
		    "cannot read this line");
	if (cfg->title == NULL || *cfg->title == '\0')
		diag_error(d, name, 0, 0, "Add title = ... under [site].",
		    "the site has no title");
	languages(cfg, name, d);
	if (strcmp(cfg->base_url, "/") == 0)
		diag_error(d, name, 0, 0, "Add base_url = https://... under [site].",
		    "the site has no base_url");
	else {
		char *url = xstrdup(cfg->base_url);
		config_set_base_url(cfg, url, d);
		free(url);
	}
	if (cfg->theme && (strchr(cfg->theme, '/') || cfg->theme[0] == '.'))
		diag_error(d, name, 0, 0, "Name a folder under themes/.",
		    "theme \"%s\" is not a plain folder name", cfg->theme);
	if (!trailer_word(cfg->history_note))
		diag_error(d, name, 0, 0, "Write one word, such as Muutos or "
		    "Change, under [history] as note = Muutos.",
		    "the change note word \"%s\" is not one word",
		    cfg->history_note);
	if (cfg->versions && (*cfg->versions == '\0' ||
	    strchr(cfg->versions, '/') != NULL))
		diag_error(d, name, 0, 0, "Write a tag name pattern such as "
		    "strategia-*.", "versions \"%s\" is not a tag pattern",
		    cfg->versions);
	return d->errors == errors ? 0 : -1;
}

void
config_free(struct config *cfg)
{
	free(cfg->title);
	free(cfg->description);
	free(cfg->base_url);
	free(cfg->base_path);
	free(cfg->language);
	free(cfg->languages);
	for (int i = 0; i < cfg->nlangs; i++) {
		free(cfg->langs[i].code);
		free(cfg->langs[i].title);
		free(cfg->langs[i].description);
	}
	free(cfg->theme);
	free(cfg->output);
	free(cfg->feedback_email);
	free(cfg->feedback_url);
	free(cfg->history_note);
	free(cfg->versions);
	memset(cfg, 0, sizeof(*cfg));
}

uint64_t
config_hash(const struct config *c)
{
	uint64_t h = 0;

	h = hash_mix_str(h, c->title);
	h = hash_mix_str(h, c->description);
	h = hash_mix_str(h, c->base_url);
	h = hash_mix_str(h, c->language);
	for (int i = 0; i < c->nlangs; i++) {
		h = hash_mix_str(h, c->langs[i].code);
		h = hash_mix_str(h, c->langs[i].title);
		h = hash_mix_str(h, c->langs[i].description);
	}
	h = hash_mix_str(h, c->theme);
	h = hash_mix_str(h, c->feedback_email);
	h = hash_mix_str(h, c->feedback_url);
	h = hash_mix(h, &c->unsafe_html, sizeof(c->unsafe_html));
	h = hash_mix(h, &c->drafts, sizeof(c->drafts));
	h = hash_mix(h, &c->history, sizeof(c->history));
	h = hash_mix_str(h, c->history_note);
	h = hash_mix(h, &c->history_authors, sizeof(c->history_authors));
	h = hash_mix_str(h, c->versions);
	h = hash_mix(h, &c->title_length, sizeof(c->title_length));
	h = hash_mix(h, &c->plain_sentence_words,
	    sizeof(c->plain_sentence_words));
	h = hash_mix(h, &c->plain_word_length, sizeof(c->plain_word_length));
	h = hash_mix(h, &c->plain_passive_share,
	    sizeof(c->plain_passive_share));
	return h;
}
