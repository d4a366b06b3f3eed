/*
 * The glossary: its entries checked where they are written, and the first
 * use of each term on a page marked as a link to its explanation. Pages
 * are rendered with markdown_render in a site made by hand, the glossary
 * made current as a build makes it; what they say is read from the HTML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "glossary.h"
#include "hyphen.h"
#include "markdown.h"
#include "render.h"
#include "test.h"
#include "util/buf.h"
#include "yaml.h"

static const char entries[] =
    "- term: hyvinvointialue\n"
    "  explanation: Alue, joka vastaa sosiaali- ja terveyspalveluista.\n"
    "- term: palvelulupaus\n"
    "  explanation: Mitä alue lupaa asukkaille.\n"
    "  link: strategia/palvelulupaus.md\n"
    "- term: hyvinvoinnin ja terveyden edistäminen\n"
    "  abbreviation: HYTE\n"
    "  explanation: Työ hyvinvoinnin ja terveyden hyväksi.\n"
    "- term: yhteistyöalue\n"
    "  abbreviation: YTA\n"
    "  forms: [YTA-alue]\n"
    "  explanation: Pohjois-Suomen alueiden yhteistyö.\n"
    "- term: sote\n"
    "  explanation: Sosiaali- ja terveydenhuolto <ja> & muu.\n"
    "- term: Innokylä\n"
    "  explanation: Paikka, jossa toimintamalleja julkaistaan.\n"
    "  link: https://example.fi/innokyla\n"
    "- term: monituottajamalli\n"
    "  explanation: Palveluja tuottaa alue itse ja muut.\n";

struct fix {
	struct config	 cfg;
	struct site	 s;
	struct page	 gloss;		/* sanasto.md, layout glossary */
	struct page	 promise;	/* strategia/palvelulupaus.md */
	struct page	 draft;		/* luonnos.md, a draft */
	struct page	*pages[2];
	struct page	*drafts[1];
	struct page	 p;		/* sivu.md, the page rendered */
	struct arena	 a;
	struct diags	 d;
	struct md_result r;
	struct glossary	*g;
};

static void
page(struct page *p, const char *src, const char *url, const char *title)
{
	memset(p, 0, sizeof(*p));
	p->kind = PAGE_PAGE;
	p->src = (char *)src;
	p->file = (char *)"content/x.md";
	p->dir = (char *)"";
	p->url = (char *)url;
	p->title = title;
	p->body_line = 4;
}

/* A site with a glossary of yaml (line 1 of data/sanasto.yaml). */
static void
setup_with(struct fix *f, const char *yaml, int with_page)
{
	struct value *data, *list;

	markdown_init();
	memset(f, 0, sizeof(*f));
	f->cfg.base_path = "/";
	f->cfg.language = "fi";
	site_init(&f->s, &f->cfg, NULL);
	page(&f->gloss, "sanasto.md", "/sanasto/", "Sanasto");
	f->gloss.layout = "glossary";
	page(&f->promise, "strategia/palvelulupaus.md",
	    "/strategia/palvelulupaus/", "Palvelulupaus");
	page(&f->draft, "luonnos.md", "/luonnos/", "Luonnos");
	page(&f->p, "sivu.md", "/sivu/", "Sivu");
	f->pages[0] = &f->promise;
	f->pages[1] = &f->gloss;
	f->s.pages = f->pages;
	f->s.npages = with_page ? 2 : 1;
	f->drafts[0] = &f->draft;
	f->s.drafts = f->drafts;
	f->s.ndrafts = 1;
	hmap_put(&f->s.by_src, f->promise.src, &f->promise);
	hmap_put(&f->s.by_src, f->gloss.src, &f->gloss);
	hmap_put(&f->s.by_src, f->draft.src, &f->draft);
	list = yaml_parse(&f->a, yaml, strlen(yaml), "content/data/sanasto.yaml",
	    0, &f->d);
	data = value_map(&f->a);
	value_append(&f->a, data, GLOSSARY_DATA, list);
	f->s.data = data;
	f->g = glossary_build(&f->s, &f->d);
	glossary_use(f->g);
}

static void
setup(struct fix *f)
{
	setup_with(f, entries, 1);
	CHECK(f->g != NULL && f->d.len == 0);
}

/* Renders text as the body of page p; returns its HTML. */
static const char *
render_in(struct fix *f, struct page *p, const char *text)
{
	memset(&f->r, 0, sizeof(f->r));
	if (markdown_render(&f->s, NULL, p, text, strlen(text), &f->a, &f->r,
	    &f->d) == -1 || f->r.html == NULL)
		return "";
	return f->r.html;
}

static const char *
render(struct fix *f, const char *text)
{
	return render_in(f, &f->p, text);
}

static void
fix_free(struct fix *f)
{
	glossary_free(f->g);
	CHECK(glossary_current() == NULL);
	hmap_free(&f->s.by_src);
	arena_free(&f->a);
	diags_free(&f->d);
}

/* How many times s occurs in h. */
static size_t
count(const char *h, const char *s)
{
	size_t n = 0;

	while ((h = strstr(h, s)) != NULL) {
		n++;
		h += strlen(s);
	}
	return n;
}

/* The diagnostic whose message has msg, or NULL. */
static const struct diag *
diag_with(const struct diags *d, const char *msg)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		if (strstr(d->v[i].msg, msg) != NULL)
			return &d->v[i];
	return NULL;
}

TEST(glossary_matches_base_forms)
{
	struct fix f;
	const char *h;

	setup(&f);
	h = render(&f, "Kainuun hyvinvointialueella on monituottajamalliin "
	    "liittyviä asioita.\n");
	CHECK(strstr(h, "<a class=\"term\" href=\"/sanasto/#hyvinvointialue\" "
	    "aria-describedby=\"valo-term-hyvinvointialue-4\"><dfn>"
	    "hyvinvointialueella</dfn></a><span "
	    "id=\"valo-term-hyvinvointialue-4\" hidden>Alue, joka vastaa "
	    "sosiaali- ja terveyspalveluista.</span>") != NULL);
	CHECK(strstr(h, "<dfn>monituottajamalliin</dfn>") != NULL);
	/* The text around them stays as it was. */
	CHECK(strstr(h, "<p>Kainuun <a class=\"term\"") != NULL);
	CHECK(strstr(h, "</span> on <a class=\"term\"") != NULL);
	CHECK(strstr(h, "</span> liittyviä asioita.</p>") != NULL);
	/* The page's body now depends on the glossary's data. */
	CHECK(f.r.ndata == 1 && strcmp(f.r.data[0], GLOSSARY_DATA) == 0);
	fix_free(&f);
}

TEST(glossary_marks_the_first_use_only)
{
	struct fix f;
	const char *h, *first, *second;

	setup(&f);
	h = render(&f, "Ensin sote.\n\n- Sitten hyvinvointialue ja sote.\n"
	    "- Lopuksi hyvinvointialueen sote.\n");
	CHECK(count(h, "href=\"/sanasto/#sote\"") == 1);
	CHECK(count(h, "href=\"/sanasto/#hyvinvointialue\"") == 1);
	first = strstr(h, "<dfn>sote</dfn>");
	second = strstr(h, "<dfn>hyvinvointialue</dfn>");
	CHECK(first != NULL && second != NULL && first < second);
	CHECK(strstr(h, "Ensin <a class=\"term\"") != NULL);
	CHECK(strstr(h, "Lopuksi hyvinvointialueen sote.") != NULL);
	/* Another page starts afresh. */
	h = render(&f, "Taas sote.\n");
	CHECK(count(h, "href=\"/sanasto/#sote\"") == 1);
	fix_free(&f);
}

TEST(glossary_skips_headings_links_code_and_table_headers)
{
	struct fix f;
	const char *h;

	setup(&f);
	h = render(&f, "## Hyvinvointialue ja sote\n\n"
	    "[hyvinvointialue](https://example.fi/) ja `sote` ja "
	    "![hyvinvointialue](https://example.fi/kuva.png)\n\n"
	    "```\nhyvinvointialue\n```\n\n"
	    "| hyvinvointialue | x |\n|---|---|\n| sote | y |\n\n"
	    "Lopuksi hyvinvointialue.\n");
	CHECK(count(h, "class=\"term\"") == 2);
	/* The table's body is text; its header names columns. */
	CHECK(strstr(h, "<td><a class=\"term\" href=\"/sanasto/#sote\"") !=
	    NULL);
	CHECK(strstr(h, "<th>hyvinvointialue</th>") != NULL);
	CHECK(strstr(h, "Lopuksi <a class=\"term\" "
	    "href=\"/sanasto/#hyvinvointialue\"") != NULL);
	CHECK(strstr(h, "<code>sote</code>") != NULL);
	CHECK(strstr(h, ">hyvinvointialue</a>") != NULL);
	fix_free(&f);
}

TEST(glossary_skips_raw_html_and_its_own_pages)
{
	struct fix f;
	const char *h;

	setup(&f);
	f.cfg.unsafe_html = 1;
	h = render(&f, "<a href=\"/x/\">sote</a> ja hyvinvointialue\n\n"
	    "Toinen: sote.\n");
	/* No link inside the editor's link: the paragraph is left alone. */
	CHECK(strstr(h, "<a href=\"/x/\">sote</a> ja hyvinvointialue") !=
	    NULL);
	CHECK(strstr(h, "Toinen: <a class=\"term\" href=\"/sanasto/#sote\"") !=
	    NULL);
	f.cfg.unsafe_html = 0;
	/* The glossary's own page explains every term already. */
	h = render_in(&f, &f.gloss, "Sote ja hyvinvointialue.\n");
	CHECK(count(h, "class=\"term\"") == 0);
	/* The page an entry links to explains that entry. */
	h = render_in(&f, &f.promise, "Palvelulupaus ja sote.\n");
	CHECK(count(h, "#palvelulupaus") == 0 && count(h, "#sote") == 1);
	fix_free(&f);
}

TEST(glossary_abbreviations_match_as_written_and_whole)
{
	struct fix f;
	const char *h;

	setup(&f);
	h = render(&f, "Hyte ja hyte eivät ole lyhenteitä. KYTAT ei ole YTA. "
	    "HYTE-neuvottelut käytiin.\n");
	CHECK(strstr(h, "<dfn><abbr>HYTE</abbr></dfn></a><span "
	    "id=\"valo-term-hyvinvoinnin-ja-terveyden-edistaminen-4\" hidden>"
	    "hyvinvoinnin ja terveyden edistäminen: Työ hyvinvoinnin ja "
	    "terveyden hyväksi.</span>-neuvottelut käytiin.") != NULL);
	CHECK(strstr(h, "Hyte ja hyte eivät") != NULL);
	CHECK(strstr(h, "KYTAT ei ole <a class=\"term\" "
	    "href=\"/sanasto/#yhteistyoalue\"") != NULL);
	CHECK(strstr(h, "<dfn><abbr>YTA</abbr></dfn>") != NULL);
	/* The abbreviation inflected with a colon; the term's own words. */
	h = render(&f, "HYTE:n työ ja hyvinvoinnin ja terveyden edistämistä.\n");
	CHECK(strstr(h, "<dfn><abbr>HYTE</abbr></dfn></a>") != NULL &&
	    strstr(h, "</span>:n työ") != NULL);
	CHECK(count(h, "class=\"term\"") == 1);
	h = render(&f, "Tehdään hyvinvoinnin ja terveyden edistämistä.\n");
	CHECK(strstr(h, "<dfn>hyvinvoinnin ja terveyden edistämistä</dfn>") !=
	    NULL);
	fix_free(&f);
}

TEST(glossary_matches_words_voikko_does_not_know)
{
	struct fix f;
	const char *h;

	setup(&f);
	/* Case endings of unknown words; a form inflected after a hyphen. */
	h = render(&f, "Soten malli on Innokylässä, ja YTA-alueella "
	    "tehdään yhteistyötä.\n");
	CHECK(strstr(h, "<dfn>Soten</dfn>") != NULL);
	CHECK(strstr(h, "<dfn>Innokylässä</dfn>") != NULL);
	CHECK(strstr(h, "<dfn>YTA-alueella</dfn>") != NULL);
	/* A part of a compound with a hyphen, where the whole is no term. */
	h = render(&f, "Sote-keskus.\n");
	CHECK(strstr(h, "<dfn>Sote</dfn></a><span") != NULL &&
	    strstr(h, "</span>-keskus.") != NULL);
	/* A word only beginning like a term is not it. */
	h = render(&f, "Sotessakaan ei soteutettu.\n");
	CHECK(count(h, "class=\"term\"") == 0);
	fix_free(&f);
}

TEST(glossary_continues_a_page_in_its_front_matter)
{
	struct fix f;
	struct page q;
	const char *h;

	setup(&f);
	/* The body of a page of the site, then its consultation's outcome. */
	h = render_in(&f, &f.promise, "Sote.\n");
	CHECK(count(h, "#sote") == 1);
	q = f.promise;
	q.body_line = 2;
	h = render_in(&f, &q, "Sote ja hyvinvointialue.\n");
	CHECK(count(h, "#sote") == 0 && count(h, "#hyvinvointialue") == 1);
	/* Rendered again, as an old version is, the page starts afresh. */
	h = render_in(&f, &f.promise, "Sote.\n");
	CHECK(count(h, "#sote") == 1);
	fix_free(&f);
}

TEST(glossary_markup_is_escaped_and_keeps_soft_hyphens)
{
	struct fix f;
	struct hyphen *hy;
	struct buf out = BUF_INIT;
	const char *h, *why;

	setup(&f);
	h = render(&f, "A & sote <b>\n");
	CHECK(strstr(h, "hidden>Sosiaali- ja terveydenhuolto &lt;ja&gt; "
	    "&amp; muu.</span>") != NULL);
	CHECK(strstr(h, "A &amp; <a class=\"term\"") != NULL);
	/* Hyphenation runs on the finished HTML: only on the words. */
	h = render(&f, "Hyvinvointialueella.\n");
	if ((hy = hyphen_open("fi", &why)) != NULL) {
		hyphen_html(hy, h, strlen(h), &out);
		CHECK(strstr(out.data, "href=\"/sanasto/#hyvinvointialue\" "
		    "aria-describedby=\"valo-term-hyvinvointialue-4\"><dfn>"
		    "Hy\xC2\xADvin") != NULL);
		CHECK(strstr(out.data, "la</dfn></a><span "
		    "id=\"valo-term-hyvinvointialue-4\" hidden>") != NULL);
		hyphen_close(hy);
	}
	buf_free(&out);
	fix_free(&f);
}

TEST(glossary_lists_terms_a_to_o_umlaut)
{
	static const char yaml[] =
	    "- {term: öljy, explanation: x}\n"
	    "- {term: äiti, explanation: x}\n"
	    "- {term: Åland, explanation: x}\n"
	    "- {term: zeta, explanation: x}\n"
	    "- {term: Aakkonen, explanation: x, abbreviation: AK}\n"
	    "- {term: aamu, explanation: x}\n";
	struct render_env env;
	const struct value *groups, *gl;
	struct fix f;
	size_t i;
	const char *want[] = { "A", "Z", "Å", "Ä", "Ö" };

	setup_with(&f, yaml, 1);
	CHECK(f.d.len == 0);
	memset(&env, 0, sizeof(env));
	env.site_value = value_map(&f.a);
	glossary_env(&env, f.g, &f.a);
	gl = value_get(env.site_value, "glossary");
	groups = gl ? value_get(gl, "groups") : NULL;
	CHECK(groups != NULL && groups->len == 5);
	for (i = 0; groups != NULL && i < groups->len && i < 5; i++)
		CHECK_STR(value_get(groups->u.items[i], "letter")->str, want[i]);
	if (groups != NULL && groups->len == 5) {
		const struct value *a = value_get(groups->u.items[0], "entries");
		CHECK(a->len == 2);
		CHECK_STR(value_get(a->u.items[0], "term")->str, "Aakkonen");
		CHECK_STR(value_get(a->u.items[0], "id")->str, "aakkonen");
		CHECK_STR(value_get(a->u.items[0], "abbreviation")->str, "AK");
		CHECK_STR(value_get(a->u.items[1], "term")->str, "aamu");
		CHECK_STR(value_get(groups->u.items[3], "id")->str,
		    "valo-glossary-ae");
	}
	CHECK_STR(value_get(gl, "url")->str, "/sanasto/");
	fix_free(&f);
}

TEST(glossary_errors_name_the_line)
{
	static const char yaml[] =
	    "- term: sote\n"				/* 1 */
	    "  explanation: x\n"
	    "- explanation: ei sanaa\n"			/* 3 */
	    "- term: ilman selitystä\n"			/* 4 */
	    "- term: Sote\n"				/* 5 */
	    "  explanation: toinen\n"
	    "- term: linkki\n"				/* 7 */
	    "  explanation: x\n"
	    "  link: strategia/ei-ole.md\n"		/* 9 */
	    "- term: luonnos\n"				/* 10 */
	    "  explanation: x\n"
	    "  link: luonnos.md\n"			/* 12 */
	    "- term: muoto\n"				/* 13 */
	    "  explanation: x\n"
	    "  forms: [sote]\n"				/* 15 */
	    "- term: avain\n"				/* 16 */
	    "  explanation: x\n"
	    "  selitys: x\n"				/* 18 */
	    "- pelkkä teksti\n"				/* 19 */
	    "- term: hyvä\n"				/* 20 */
	    "  explanation: x\n"
	    "  link: strategia/palvelulupaus.md#lupaus\n";
	const struct diag *g;
	struct fix f;

	setup_with(&f, yaml, 1);
	CHECK(f.d.errors == 8);
	g = diag_with(&f.d, "this item has no \"term\"");
	CHECK(g != NULL && g->line == 3);
	g = diag_with(&f.d, "this item has no \"explanation\"");
	CHECK(g != NULL && g->line == 4);
	CHECK(g != NULL && strcmp(g->file, "content/data/sanasto.yaml") == 0);
	g = diag_with(&f.d, "\"Sote\" is in the glossary twice, first on "
	    "line 1");
	CHECK(g != NULL && g->line == 5);
	g = diag_with(&f.d, "\"sote\" is in the glossary twice, first on "
	    "line 1");
	CHECK(g != NULL && g->line == 15);
	g = diag_with(&f.d, "\"link\": there is no page strategia/ei-ole.md");
	CHECK(g != NULL && g->line == 9 && g->hint != NULL);
	g = diag_with(&f.d, "link to the draft page luonnos.md");
	CHECK(g != NULL && g->line == 12);
	g = diag_with(&f.d, "unknown key \"selitys\" in this item");
	CHECK(g != NULL && g->line == 18);
	g = diag_with(&f.d, "a glossary entry must be a map of keys");
	CHECK(g != NULL && g->line == 19);
	/* The right ones are kept: the first sote, and the last entry. */
	{
		struct render_env env;
		const struct value *gl;

		memset(&env, 0, sizeof(env));
		env.site_value = value_map(&f.a);
		glossary_env(&env, f.g, &f.a);
		gl = value_get(env.site_value, "glossary");
		CHECK(gl != NULL && value_get(gl, "count")->u.number == 2);
	}
	fix_free(&f);
}

TEST(glossary_must_be_a_list_and_needs_a_page)
{
	const struct diag *g;
	struct fix f;
	const char *h;

	setup_with(&f, "term: sote\n", 1);
	g = diag_with(&f.d, "the glossary must be a list");
	CHECK(g != NULL && g->line == 1 && f.d.errors == 1);
	fix_free(&f);
	/* No glossary page: a note, and no links to nowhere. */
	setup_with(&f, entries, 0);
	CHECK(f.d.errors == 0);
	g = diag_with(&f.d, "no page has the layout \"glossary\"");
	CHECK(g != NULL && g->level == DIAG_NOTE);
	h = render(&f, "Sote.\n");
	CHECK(count(h, "class=\"term\"") == 0);
	CHECK(f.r.ndata == 1);
	fix_free(&f);
	/* No data sanasto: no glossary, and pages do not depend on one. */
	markdown_init();
	memset(&f, 0, sizeof(f));
	f.cfg.base_path = "/";
	site_init(&f.s, &f.cfg, NULL);
	f.g = glossary_build(&f.s, &f.d);
	CHECK(f.g == NULL && f.d.len == 0);
	glossary_use(NULL);
	h = render(&f, "Sote.\n");
	CHECK(count(h, "class=\"term\"") == 0 && f.r.ndata == 0);
	fix_free(&f);
}
