/*
 * The checks of a page's text for its readers, warnings most of them, and
 * the addresses of files written with %20: a page is rendered alone, in a
 * site made by hand, and its diagnostics are read from the list. The
 * titles are checked where pages are resolved, in a site of files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "content.h"
#include "markdown.h"
#include "source.h"
#include "test.h"
#include "util/mem.h"
#include "yaml.h"

struct fix {
	struct config	 cfg;
	struct site	 s;
	struct page	 p;
	struct arena	 a;
	struct diags	 d;
	struct md_result r;
	int		 rc;
};

/* A site with two attachments and one data file, and its page sivu.md. */
static void
setup(struct fix *f)
{
	static const char data[] = "luvut:\n  - {n: a, v: 1}\n";
	static int file;

	markdown_init();
	memset(f, 0, sizeof(*f));
	f->cfg.base_path = "/";
	site_init(&f->s, &f->cfg, NULL);
	hmap_put(&f->s.published, "Kajaani kuva.PNG", &file);
	hmap_put(&f->s.published, "50% osuus.png", &file);
	f->s.data = yaml_parse(&f->a, data, strlen(data), "data", 0, &f->d);
	f->p.kind = PAGE_PAGE;
	f->p.src = "sivu.md";
	f->p.file = "content/sivu.md";
	f->p.dir = "";
	f->p.url = "/sivu/";
	f->p.body_line = 4;
}

/* Renders text as the body of page f->p, its first line at line 4. */
static int
run(struct fix *f, const char *text)
{
	return f->rc = markdown_render(&f->s, NULL, &f->p, text, strlen(text),
	    &f->a, &f->r, &f->d);
}

static void
render(struct fix *f, const char *text)
{
	setup(f);
	run(f, text);
}

static void
fix_free(struct fix *f)
{
	hmap_free(&f->s.published);
	arena_free(&f->a);
	diags_free(&f->d);
}

/* The number of diagnostics of level at line whose message has msg. */
static size_t
count(const struct diags *d, enum diag_level level, unsigned line,
    const char *msg)
{
	size_t i, n = 0;

	for (i = 0; i < d->len; i++)
		if (d->v[i].level == level && d->v[i].line == line &&
		    strstr(d->v[i].msg, msg) != NULL)
			n++;
	return n;
}

/* The hint of the one diagnostic whose message has msg, or NULL. */
static const char *
hint_of(const struct diags *d, const char *msg)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strstr(d->v[i].msg, msg) != NULL)
			return d->v[i].hint;
	return NULL;
}

TEST(md_vague_link_texts_warn)
{
	struct fix f;

	render(&f, "Lue [tästä](#a) tai [Lue lisää…](#a) tai "
	    "[klikkaa  TÄSTÄ!](#a).\n\n"
	    "Osoite <https://kainuu.fi/ohje> ja www.kela.fi ja "
	    "[https://x.fi](https://x.fi).\n\n"
	    "[Palvelulupaus 2025](#a) ja [Lisää tästä aiheesta](#a) ja "
	    "[Täältä löydät ohjeet](#a).\n\n## A\n");
	CHECK(f.rc == 0 && f.d.errors == 0);
	CHECK(count(&f.d, DIAG_WARNING, 4,
	    "the link text \"tästä\" does not say where") == 1);
	CHECK(count(&f.d, DIAG_WARNING, 4, "\"Lue lisää…\"") == 1);
	CHECK(count(&f.d, DIAG_WARNING, 4, "\"klikkaa TÄSTÄ!\"") == 1);
	CHECK(count(&f.d, DIAG_WARNING, 6, "\"https://kainuu.fi/ohje\"") ==
	    1);
	CHECK(count(&f.d, DIAG_WARNING, 6, "\"www.kela.fi\"") == 1);
	CHECK(count(&f.d, DIAG_WARNING, 6, "\"https://x.fi\"") == 1);
	/* Words that only start or end like them say where. */
	CHECK(count(&f.d, DIAG_WARNING, 8, "the link text") == 0);
	CHECK_STR(hint_of(&f.d, "\"tästä\""), "Write what the reader finds "
	    "there, e.g. [Palvelulupaus 2025](palvelulupaus.md).");
	CHECK(f.d.len == 6);
	fix_free(&f);
}

TEST(md_chart_without_description_warns)
{
	struct fix f;

	render(&f, "```chart\ndata: luvut\nx: n\ny: v\ntitle: Luvut\n```\n\n"
	    "```chart\ndata: luvut\nx: n\ny: v\ntitle: Luvut\n"
	    "description: \" \"\n```\n\n"
	    "```chart\ndata: luvut\nx: n\ny: v\ntitle: Luvut\n"
	    "description: Luku on yksi.\n```\n");
	CHECK(f.rc == 0 && f.d.errors == 0);
	/* At the block's first setting; at an empty description's line. */
	CHECK(count(&f.d, DIAG_WARNING, 5, "the chart has no description") ==
	    1);
	CHECK(count(&f.d, DIAG_WARNING, 16, "the chart has no description") ==
	    1);
	CHECK(f.d.len == 2);
	CHECK(hint_of(&f.d, "no description") != NULL &&
	    strstr(hint_of(&f.d, "no description"), "description: ") != NULL);
	fix_free(&f);
}

TEST(md_page_without_text_warns)
{
	struct fix f;

	render(&f, " \n\t\r\n\n");
	CHECK(f.rc == 0 && f.d.len == 1 &&
	    count(&f.d, DIAG_WARNING, 1, "the page has no text") == 1);
	CHECK_STR(hint_of(&f.d, "no text"),
	    "Write the page's text below the closing ---.");
	fix_free(&f);
	render(&f, "\nTeksti.\n");
	CHECK(f.d.len == 0);
	fix_free(&f);
}

/* A section lists its pages, and a layout of its own has its content. */
TEST(md_section_without_text_is_fine)
{
	struct fix f;

	setup(&f);
	f.p.kind = PAGE_SECTION;
	CHECK(run(&f, "") == 0 && f.d.len == 0);
	f.p.kind = PAGE_HOME;
	CHECK(run(&f, "\n") == 0 && f.d.len == 0);
	f.p.kind = PAGE_PAGE;
	f.p.layout = "search";
	CHECK(run(&f, "\n") == 0 && f.d.len == 0);
	f.p.layout = "page";
	CHECK(run(&f, "\n") == 0 && f.d.len == 1);
	fix_free(&f);
}

/* %20 names the file with a space; the page keeps a working address. */
TEST(md_percent_escapes_find_the_file)
{
	struct fix f;

	render(&f, "![Kajaanin tori](Kajaani%20kuva.PNG)\n\n"
	    "[Liite](<Kajaani kuva.PNG>) ja [osuus](50%25%20osuus.png) ja "
	    "[ankkuri](Kajaani%20kuva.PNG#x)\n");
	CHECK(f.rc == 0 && f.d.len == 0);
	CHECK(strstr(f.r.html, "src=\"/Kajaani%20kuva.PNG\"") != NULL);
	CHECK(strstr(f.r.html, "href=\"/Kajaani%20kuva.PNG\"") != NULL);
	CHECK(strstr(f.r.html, "href=\"/50%25%20osuus.png\"") != NULL);
	CHECK(strstr(f.r.html, "href=\"/Kajaani%20kuva.PNG#x\"") != NULL);
	fix_free(&f);
	render(&f, "![Kuva](Kajaani%2Fkuva.PNG)\n");
	CHECK(f.rc == -1 && count(&f.d, DIAG_ERROR, 4,
	    "link to a file that does not exist: Kajaani%2Fkuva.PNG") == 1);
	fix_free(&f);
}

/* Only what looks like a failed link or image is an error. */
TEST(md_raw_links)
{
	struct fix f;

	render(&f, "Teksti [1](katso alla), \\[x\\](a b.png), "
	    "`[y](c d.png)` ja [z] (e f.png).\n");
	CHECK(f.rc == 0 && f.d.len == 0);
	fix_free(&f);
	render(&f, "Rivi.\n![*Tori*](Kajaani kuva.PNG \"Tori\") ja\n"
	    "[liite](https://x.fi/a b.pdf)\n");
	CHECK(f.rc == -1);
	CHECK(count(&f.d, DIAG_ERROR, 5, "this image did not become an "
	    "image: its address \"Kajaani kuva.PNG\" has a space") == 1);
	CHECK_STR(hint_of(&f.d, "did not become an image"), "Write the "
	    "address as <Kajaani kuva.PNG> or Kajaani%20kuva.PNG, or rename "
	    "the file without spaces.");
	CHECK(count(&f.d, DIAG_ERROR, 6, "this link did not become a link: "
	    "its address \"https://x.fi/a b.pdf\" has a space") == 1);
	CHECK_STR(hint_of(&f.d, "did not become a link"), "Write the "
	    "address as <https://x.fi/a b.pdf> or https://x.fi/a%20b.pdf.");
	fix_free(&f);
}

TEST(md_table_cells_counted)
{
	struct fix f;

	render(&f, "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n"
	    "1 | 2 | 3\n| 1 | \\| | |\n| 1 | `x|y` | 3 |\n| 1 |\n\n"
	    "> | a |\n> |---|\n> | 1 | 2 |\n");
	CHECK(f.rc == -1 && f.d.len == 3);
	CHECK(count(&f.d, DIAG_ERROR, 9,
	    "this table row has 4 cells; the header has 3") == 1);
	CHECK(count(&f.d, DIAG_ERROR, 10,
	    "this table row has 1 cell; the header has 3") == 1);
	CHECK(count(&f.d, DIAG_ERROR, 14,
	    "this table row has 2 cells; the header has 1") == 1);
	CHECK(f.d.len == 3 && f.d.v[2].col == 3);
	fix_free(&f);
}

TEST(md_missing_heading_hints)
{
	struct fix f;
	static const char *const ids[] = { "a", "b", "c", "d", "e", "f" };
	static const char *const near[] = { "tavoitteet", "tavoite", "x" };
	struct diags d = DIAGS_INIT;

	render(&f, "[x](#mistä-luvut-tulevat) [y](#zzz)\n\n"
	    "## Mistä luvut tulevat\n");
	CHECK(f.rc == -1 && f.d.len == 2);
	CHECK_STR(hint_of(&f.d, "#mistä"), "Did you mean #mista-luvut-tulevat?");
	CHECK_STR(hint_of(&f.d, "#zzz"), "Link to one of the page's headings: "
	    "#mista-luvut-tulevat.");
	fix_free(&f);
	diag_error(&d, "a.md", 1, 0, NULL, "x");
	markdown_hint_id(&d, "tavoitteet", ids, 6);
	CHECK_STR(d.v[0].hint, "Link to one of the page's headings: #a, #b, "
	    "#c, #d, #e, ….");
	diag_error(&d, "a.md", 1, 0, NULL, "x");
	markdown_hint_id(&d, "x", ids, 0);
	CHECK_STR(d.v[1].hint, "The page has no headings: link to the page "
	    "itself, without #x.");
	/* The closest, not the first that is close. */
	diag_error(&d, "a.md", 1, 0, NULL, "x");
	markdown_hint_id(&d, "Tavoitee", near, 3);
	CHECK_STR(d.v[2].hint, "Did you mean #tavoite?");
	diags_free(&d);
}

TEST(md_titles_long_and_twice)
{
	struct config cfg;
	struct diags d = DIAGS_INIT;
	struct source *src;
	struct site s;
	char dir[64], cmd[256];
	size_t i;

	snprintf(dir, sizeof(dir), "/tmp/valo-test-titles-%ld",
	    (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s/content/a "
	    "%s/content/b", dir, dir, dir);
	CHECK(system(cmd) == 0);
	test_put(dir, "_index.md", "---\ntitle: Etusivu\n---\nT.\n");
	test_put(dir, "a/arvot.md", "---\ntitle: Arvot\n---\nT.\n");
	test_put(dir, "a/toinen.md", "---\ndate: 2025-01-01\ntitle: Arvot\n---\n"
	    "T.\n");
	test_put(dir, "a/kolmas.md", "---\ntitle: Arvot\n---\nT.\n");
	test_put(dir, "b/arvot.md", "---\ntitle: Arvot\n---\nT.\n");
	/* 71 characters, 80 bytes. */
	test_put(dir, "b/pitka.md", "---\ntitle: Äöå äöå äöå äöå äöå äöå äöå "
	    "äöå äöå strategian seuranta ja tavoitteet 1\n---\nT.\n");
	test_put(dir, "b/juuri.md", "---\ntitle: Äöå äöå äöå äöå äöå äöå äöå "
	    "äöå äöå strategian seuranta ja tavoitteita\n---\nT.\n");
	src = source_dir_open(dir, &d);
	CHECK(src != NULL);
	memset(&cfg, 0, sizeof(cfg));
	cfg.title = xstrdup("T");
	cfg.base_path = xstrdup("/");
	cfg.title_length = 70;
	site_init(&s, &cfg, src);
	CHECK(content_load(&s, NULL, NULL, 1, &d) == 0);
	CHECK(content_resolve(&s, &d) == 0);
	CHECK(d.errors == 0 && d.len == 3);
	/* By file name: kolmas.md and toinen.md come after arvot.md. */
	CHECK(count(&d, DIAG_WARNING, 2, "the title \"Arvot\" is also the "
	    "title of content/a/arvot.md") == 1);
	CHECK(count(&d, DIAG_WARNING, 3, "the title \"Arvot\" is also the "
	    "title of content/a/arvot.md") == 1);
	CHECK(count(&d, DIAG_WARNING, 2, "the title is 71 characters long; "
	    "at most 70 are shown in search results") == 1);
	/* Said of the page they are about. */
	for (i = 0; i < d.len; i++)
		CHECK(strcmp(d.v[i].file, strstr(d.v[i].msg, "long") ?
		    "content/b/pitka.md" : d.v[i].line == 2 ?
		    "content/a/kolmas.md" : "content/a/toinen.md") == 0);
	CHECK_STR(hint_of(&d, "is also the title"), "Give each page of a "
	    "section its own title, so that lists and search results tell "
	    "them apart.");
	CHECK_STR(hint_of(&d, "characters long"), "Shorten the title; say "
	    "the rest in description: or in the text.");
	/* 0 turns the limit off. */
	diags_free(&d);
	cfg.title_length = 0;
	CHECK(content_resolve(&s, &d) == 0 && d.len == 2);
	site_free(&s);
	source_free(src);
	free(cfg.title);
	free(cfg.base_path);
	diags_free(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}
