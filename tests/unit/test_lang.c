#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "content.h"
#include "lang.h"
#include "test.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/mem.h"
#include "yaml.h"

static int
parse(struct config *c, const char *text, struct diags *d)
{
	return config_parse(c, text, strlen(text), "site.conf", d);
}

/* Whether d has an error at line saying exactly msg. */
static int
has(const struct diags *d, unsigned line, const char *msg)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (d->v[i].line == line && strcmp(d->v[i].msg, msg) == 0)
			return 1;
	return 0;
}

TEST(config_languages)
{
	struct config c;
	struct diags d = DIAGS_INIT;

	CHECK(parse(&c, "[site]\ntitle = T\nbase_url = https://e.fi/\n"
	    "languages = fi sv, en\n[sv]\ntitle = Webbplats\n"
	    "description = Om\n", &d) == 0);
	CHECK(c.nlangs == 3);
	CHECK_STR(c.language, "fi");
	CHECK_STR(c.langs[0].code, "fi");
	CHECK_STR(c.langs[1].code, "sv");
	CHECK_STR(c.langs[2].code, "en");
	CHECK_STR(c.langs[1].title, "Webbplats");
	CHECK_STR(c.langs[1].description, "Om");
	CHECK(c.langs[0].title == NULL && c.langs[2].title == NULL);
	config_free(&c);

	/* One language, as before: language alone, or nothing at all. */
	CHECK(parse(&c, "[site]\ntitle = T\nbase_url = https://e.fi/\n"
	    "language = en\n", &d) == 0);
	CHECK(c.nlangs == 1);
	CHECK_STR(c.langs[0].code, "en");
	config_free(&c);
	CHECK(parse(&c, "[site]\ntitle = T\nbase_url = https://e.fi/\n",
	    &d) == 0);
	CHECK(c.nlangs == 1);
	CHECK_STR(c.language, "fi");
	config_free(&c);
	CHECK(d.len == 0);
	diags_free(&d);
}

TEST(config_languages_wrong)
{
	struct config c;
	struct diags d = DIAGS_INIT;

	CHECK(parse(&c, "[site]\ntitle = T\nbase_url = https://e.fi/\n"
	    "language = sv\nlanguages = fi Svenska sv\n[en]\ntitle = E\n"
	    "[fi]\ntitle = F\n[sv]\nname = S\n", &d) == -1);
	CHECK(has(&d, 5, "\"Svenska\" is not a language code"));
	CHECK(has(&d, 5, "language = sv, but languages starts with fi"));
	CHECK(has(&d, 7, "section [en] is not one of the site's languages"));
	CHECK(has(&d, 9, "section [fi] is the site's own language"));
	CHECK(has(&d, 11, "unknown setting \"name\" in section [sv]"));
	/* The rest still stands. */
	CHECK(c.nlangs == 2);
	CHECK_STR(c.langs[1].code, "sv");
	config_free(&c);
	diags_free(&d);
}

static struct value *
strings(struct arena *a, const char *yaml)
{
	struct diags d = DIAGS_INIT;
	struct value *v = yaml_parse(a, yaml, strlen(yaml), "x.yaml", 0, &d);

	CHECK(d.len == 0);
	diags_free(&d);
	return v;
}

TEST(lang_dates_and_numbers)
{
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	struct numfmt nf;
	struct value *en = strings(&a, "date_format: \"{d} {month} {y}\"\n"
	    "months: [January, February, March, April, May, June, July, "
	    "August, September, October, November, December]\n"
	    "number_group: \",\"\nnumber_decimal: \".\"\n");
	struct value *fi = strings(&a, "number_group: \"\\u00A0\"\n");

	lang_date(&b, en, 2025, 3, 4);
	CHECK_STR(b.data, "4 March 2025");
	buf_reset(&b);
	/* Finnish where the strings say nothing. */
	lang_date(&b, NULL, 2025, 12, 31);
	CHECK_STR(b.data, "31.12.2025");
	buf_reset(&b);
	/* A month past the list is its number, never a read past it. */
	lang_date(&b, en, 2025, 13, 1);
	CHECK_STR(b.data, "1 13 2025");
	lang_numfmt(en, &nf);
	CHECK_STR(nf.group, ",");
	CHECK_STR(nf.decimal, ".");
	lang_numfmt(fi, &nf);
	CHECK_STR(nf.group, "\xc2\xa0");
	CHECK_STR(nf.decimal, ",");
	buf_free(&b);
	arena_free(&a);
}

TEST(content_languages)
{
	struct config cfg;
	struct diags d = DIAGS_INIT;
	struct source *src;
	struct site s;
	struct page *fi, *sv, *en, *only, *sec;
	char dir[64], cmd[256];

	snprintf(dir, sizeof(dir), "/tmp/valo-test-lang-%ld", (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/content/osio",
	    dir, dir);
	CHECK(system(cmd) == 0);
	test_put(dir, "_index.md", "---\ntitle: Etusivu\n---\nT.\n");
	test_put(dir, "_index.sv.md", "---\ntitle: Startsida\n---\nT.\n");
	test_put(dir, "osio/arvot.md", "---\ntitle: Arvot\nmenu: none\n---\n"
	    "T.\n");
	test_put(dir, "osio/arvot.sv.md", "---\ntitle: Värderingar\n"
	    "slug: varderingar\n---\nT.\n");
	test_put(dir, "osio/arvot.en.md", "---\ntitle: Values\n---\nT.\n");
	test_put(dir, "vain.md", "---\ntitle: Vain\n---\nT.\n");
	/* Not a language of the site: a page in Finnish, and a warning. */
	test_put(dir, "muut.se.md", "---\ntitle: Muut\n---\nT.\n");
	src = source_dir_open(dir, &d);
	CHECK(src != NULL);
	CHECK(parse(&cfg, "[site]\ntitle = T\nbase_url = https://e.fi/\n"
	    "languages = fi sv en\n[en]\ntitle = Site\n", &d) == 0);
	site_init(&s, &cfg, src);
	CHECK(content_load(&s, NULL, NULL, 1, &d) == 0);
	CHECK(content_resolve(&s, &d) == 0);
	CHECK(d.errors == 0 && d.len == 1);
	CHECK(has(&d, 0, "\"se\" is not one of the site's languages "
	    "(fi, sv, en): the page is built as a page in fi"));
	fi = site_page(&s, "osio/arvot.md");
	sv = site_page(&s, "osio/arvot.sv.md");
	en = site_page(&s, "osio/arvot.en.md");
	only = site_page(&s, "vain.md");
	CHECK(fi && sv && en && only);
	if (!fi || !sv || !en || !only)
		goto out;
	CHECK(fi->lang == 0 && sv->lang == 1 && en->lang == 2);
	CHECK_STR(fi->url, "/osio/arvot/");
	CHECK_STR(sv->url, "/sv/osio/varderingar/");
	CHECK_STR(en->url, "/en/osio/arvot/");
	CHECK_STR(en->out, "en/osio/arvot/index.html");
	CHECK_STR(site_page(&s, "muut.se.md")->url, "/muut-se/");
	/* Each knows the others; a page alone knows itself. */
	CHECK(fi->tr[0] == fi && fi->tr[1] == sv && fi->tr[2] == en);
	CHECK(en->tr[1] == sv && sv->tr[0] == fi);
	CHECK(only->tr[0] == only && only->tr[1] == NULL);
	/* Every language has a front page, made up where none is written. */
	CHECK_STR(s.langs[1].home->title, "Startsida");
	CHECK(s.langs[2].home->implicit);
	CHECK_STR(s.langs[2].home->title, "Site");
	CHECK_STR(s.langs[2].home->url, "/en/");
	/* A section of its own in each language, under its own home. */
	sec = sv->parent;
	CHECK(sec->lang == 1 && sec->implicit &&
	    sec->parent == s.langs[1].home);
	CHECK_STR(sec->url, "/sv/osio/");
	CHECK(sec->tr[0] == fi->parent);
	/* Menus of each language hold only its own pages. */
	CHECK(s.langs[1].nmenu == 1 && s.langs[1].menu_pages[0] == sec);
	CHECK(s.langs[0].nmenu == 1 && s.langs[0].menu_pages[0] == fi->parent);
out:
	site_free(&s);
	source_free(src);
	config_free(&cfg);
	diags_free(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}
