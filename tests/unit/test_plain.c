#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "content.h"
#include "plain.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/text.h"

static const struct plain_limits defaults = {
	PLAIN_SENTENCE_WORDS, PLAIN_WORD_LENGTH, PLAIN_PASSIVE_SHARE
};

/* Checks body (its first line line 1 of "t.md") into d and st. */
static void
run(const struct plain_limits *lim, const char *const *gloss, size_t ngloss,
    const char *body, struct diags *d, struct plain_stats *st)
{
	const char *why;
	struct plain *p = plain_new(lim, gloss, ngloss, &why);

	CHECK(p != NULL);
	if (p == NULL)
		return;
	memset(st, 0, sizeof(*st));
	plain_check(p, "t.md", body, strlen(body), 1, d, st);
	plain_free(p);
}

/* How many of d's messages contain s. */
static size_t
count(const struct diags *d, const char *s)
{
	size_t i, n = 0;

	for (i = 0; i < d->len; i++)
		if (strstr(d->v[i].msg, s) != NULL)
			n++;
	return n;
}

TEST(plain_sentences_do_not_end_at_abbreviations_or_dates)
{
	struct plain_limits lim = { 9, 0, 0 };
	struct diags d = DIAGS_INIT;
	struct plain_stats st;

	run(&lim, NULL, 0,
	    "Esim. 1.1.2026 alkaen palveluja on mm. Kajaanissa n. 3 000 "
	    "asiakkaalle. Kokous on 3. päivänä klo 12.30. Lue lisää, ks. "
	    "Liite 2 jne. Seuraava lause alkaa tästä! Vrt. Kainuun strategia "
	    "ym. Oulun suunnitelma (s. 4).\n", &d, &st);
	CHECK(st.sentences == 5);
	/* "3 000" is one number; the first sentence has ten words. */
	CHECK(d.len == 1 && st.long_sentences == 1);
	if (d.len == 1)
		CHECK_STR(d.v[0].msg, "a sentence of 10 words; plain language "
		    "keeps them to 9 at most");
	diags_free(&d);
}

/*
 * The words of each sentence, counted where a sentence of more than one
 * word is reported: the tokenizer reads ASCII without decoding it, so
 * the signs inside words and the characters beyond ASCII are checked.
 */
TEST(plain_words_are_split_where_finnish_splits_them)
{
	struct plain_limits lim = { 1, 0, 0 };
	struct diags d = DIAGS_INIT;
	struct plain_stats st;
	static const char *const want[] = {
		"a sentence of 21 words; plain language keeps them to 1 at "
		"most",
		"a sentence of 3 words; plain language keeps them to 1 at most",
		"a sentence of 3 words; plain language keeps them to 1 at most",
		"a sentence of 2 words; plain language keeps them to 1 at most",
		"a sentence of 2 words; plain language keeps them to 1 at most",
		"a sentence of 3 words; plain language keeps them to 1 at most",
	};
	size_t i;

	/*
	 * One word each: "EU:n", "1.1.2026", "3,5", "12.30", "vaa'an",
	 * "sosiaali-", "-suunnitelma", "asia-asiakirja", "3 000", the
	 * code, "öljy's" (with U+2019), "so-siaali" (with a soft hyphen);
	 * "x—y" is two, the dash, "¼" and "×" none.
	 */
	run(&lim, NULL, 0,
	    "EU:n päätös 1.1.2026 oli 3,5 ja klo 12.30 vaa'an sosiaali- ja "
	    "-suunnitelma asia-asiakirja 3 000 `koodi` Äänestys "
	    "öljy\xE2\x80\x99s \xE2\x80\x93 x\xE2\x80\x94y \xC2\xBC "
	    "\xC3\x97" "2 so\xC2\xADsiaali.\n"
	    "ESIM. Kainuun strategia. Lue lisää JNE. Seuraava lause. "
	    "Kolmas -- loppu - -- . Sanat kä-\n"
	    "sin.\n", &d, &st);
	CHECK(st.sentences == 6);
	CHECK(d.len == sizeof(want) / sizeof(want[0]));
	for (i = 0; i < d.len && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(d.v[i].msg, want[i]);
	if (d.len == 6) {
		/* "ESIM." in capitals is still no end of a sentence. */
		CHECK(d.v[1].line == 2 && d.v[1].col == 1);
		/* "JNE." before a capital is. */
		CHECK(d.v[3].line == 2 && d.v[3].col == 43);
	}
	diags_free(&d);
}

TEST(plain_long_sentence_is_reported_where_it_starts)
{
	struct plain_limits lim = { 20, 0, 0 };
	struct diags d = DIAGS_INIT;
	struct plain_stats st;
	const char *why;
	struct plain *p = plain_new(&lim, NULL, 0, &why);
	const char *body =
	    "## Otsikko, jossa on paljon sanoja mutta otsikko ei ole virke "
	    "eikä sitä lasketa lainkaan mukaan\n"
	    "\n"
	    "Tämä on lyhyt. Tämä virke on pitkä, koska siinä kerrotaan\n"
	    "monesta asiasta yhtä aikaa, eikä lukija jaksa seurata, mitä\n"
	    "kaikkea siinä sanotaan ja miksi. Tämä on taas lyhyt.\n";

	CHECK(p != NULL);
	if (p == NULL)
		return;
	memset(&st, 0, sizeof(st));
	/* The body starts on line 5 of the file, after the front matter. */
	plain_check(p, "sivu.md", body, strlen(body), 5, &d, &st);
	CHECK(st.sentences == 3);
	CHECK(d.len == 1);
	if (d.len == 1) {
		CHECK_STR(d.v[0].file, "sivu.md");
		CHECK(d.v[0].level == DIAG_WARNING);
		CHECK(d.v[0].line == 7);
		CHECK(d.v[0].col == 18);
		CHECK_STR(d.v[0].msg, "a sentence of 21 words; plain language "
		    "keeps them to 20 at most");
		CHECK_STR(d.v[0].hint,
		    "Split it into two sentences, one thing in each.");
	}
	plain_free(p);
	diags_free(&d);
}

TEST(plain_long_word_is_reported_once_unless_in_the_glossary)
{
	static const char *const gloss[] = {
		"sosiaalihuoltopalvelukokonaisuus", "hyvinvointialue"
	};
	struct diags d = DIAGS_INIT;
	struct plain_stats st;
	const char *body =
	    "Kerromme tässä palveluista.\n"
	    "\n"
	    "Sosiaalihuoltopalvelukokonaisuus on laaja. Se kuuluu "
	    "sosiaalihuoltopalvelukokonaisuuteen, ja "
	    "sosiaalihuoltopalvelukokonaisuuden osat ovat monet.\n"
	    "\n"
	    "Sosiaali- ja terveyspalvelukokonaisuudet ovat laajoja, mutta "
	    "hyvinvointialue-strategiatyöryhmä on lyhyt osista.\n";

	run(&defaults, NULL, 0, body, &d, &st);
	CHECK(st.long_words == 2);
	CHECK(d.len == 2);
	if (d.len == 2) {
		CHECK_STR(d.v[0].msg, "the word "
		    "\"Sosiaalihuoltopalvelukokonaisuus\" is 32 letters long "
		    "and not in the glossary");
		CHECK(d.v[0].line == 3 && d.v[0].col == 1);
		CHECK_STR(d.v[0].hint, "Split it into shorter words "
		    "(\"sosiaalihuollon palvelut\", not "
		    "\"sosiaalihuoltopalvelut\") or explain it in "
		    "content/data/sanasto.yaml.");
		/* A hyphenated word counts by its parts. */
		CHECK_STR(d.v[1].msg, "the word "
		    "\"terveyspalvelukokonaisuudet\" is 27 letters long "
		    "and not in the glossary");
		CHECK(d.v[1].line == 5 && d.v[1].col == 14);
	}
	diags_free(&d);

	/* In the glossary, inflected or not, it is explained. */
	run(&defaults, gloss, 2, body, &d, &st);
	CHECK(st.long_words == 1 && d.len == 1);
	if (d.len == 1)
		CHECK(strstr(d.v[0].msg, "terveyspalvelu") != NULL);
	diags_free(&d);
}

TEST(plain_passive_paragraphs_are_reported)
{
	struct diags d = DIAGS_INIT;
	struct plain_stats st;

	run(&defaults, NULL, 0,
	    "Palveluja kehitetään yhdessä asukkaiden kanssa. Päätökset "
	    "tehdään aluevaltuustossa. Asiakkaita kuullaan, ennen kuin "
	    "muutoksista päätetään. Hyvinvointialue järjestää palvelut.\n"
	    "\n"
	    "Hyvinvointialue järjestää palvelut. Aluevaltuusto päättää "
	    "strategiasta. Asukkaat voivat vaikuttaa. Palveluja "
	    "kehitetään.\n"
	    "\n"
	    "Päätöstä ei ole vielä tehty. Asiasta ei päätetty. Palvelut on "
	    "järjestetty uudelleen. Aluehallitus ei käsittele asiaa.\n"
	    "\n"
	    "- Palveluja järjestetään lähellä.\n"
	    "- Asukkaita kuullaan.\n"
	    "- Tiedotteet julkaistaan verkossa.\n"
	    "\n"
	    "Palvelut tuotetaan. Asiat hoidetaan.\n", &d, &st);
	CHECK(st.passive_paragraphs == 3);
	CHECK(d.len == 3);
	if (d.len == 3) {
		CHECK_STR(d.v[0].msg,
		    "4 of 5 verbs in this paragraph are passive");
		CHECK(d.v[0].line == 1);
		CHECK_STR(d.v[0].hint, "Say who does it: \"hyvinvointialue "
		    "järjestää\" rather than \"järjestetään\".");
		CHECK_STR(d.v[1].msg,
		    "3 of 4 verbs in this paragraph are passive");
		CHECK(d.v[1].line == 5);
		CHECK_STR(d.v[2].msg, "3 of 3 verbs in this list are passive");
		CHECK(d.v[2].line == 7);
	}
	diags_free(&d);
}

/*
 * voikko is asked once per spelling and the answer kept: a checker
 * that has seen thousands of words, and the same page before, still
 * counts the verbs of the page as a new one does.
 */
TEST(plain_remembered_verbs_count_as_new_ones)
{
	static const char body[] =
	    "Palveluja kehitetään yhdessä asukkaiden kanssa. Päätökset "
	    "tehdään aluevaltuustossa. Asiakkaita kuullaan, ennen kuin "
	    "muutoksista päätetään. Hyvinvointialue järjestää "
	    "palvelut.\n";
	struct diags d = DIAGS_INIT;
	struct plain_stats st;
	struct buf filler = BUF_INIT;
	const char *why;
	struct plain *p = plain_new(&defaults, NULL, 0, &why);
	size_t i, round;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	/* 2,000 spellings: the memo grows, and keeps what it had. */
	for (i = 0; i < 2000; i++)
		buf_printf(&filler, "%s%c%c%c.\n\n", i % 2 ? "Sana" : "sana",
		    'a' + (int)(i % 26), 'a' + (int)(i / 26 % 26),
		    'a' + (int)(i / 676));
	memset(&st, 0, sizeof(st));
	for (round = 0; round < 3; round++) {
		plain_check(p, "t.md", body, strlen(body), 1, &d, &st);
		if (round == 1)
			plain_check(p, "filler.md", filler.data, filler.len, 1,
			    &d, &st);
	}
	CHECK(st.passive_paragraphs == 3);
	CHECK(d.len == 3);
	for (i = 0; i < d.len; i++)
		CHECK_STR(d.v[i].msg,
		    "4 of 5 verbs in this paragraph are passive");
	buf_free(&filler);
	plain_free(p);
	diags_free(&d);
}

TEST(plain_skips_code_tables_html_and_addresses)
{
	struct plain_limits lim = { 3, 10, 1 };
	struct diags d = DIAGS_INIT;
	struct plain_stats st;

	run(&lim, NULL, 0,
	    "```\n"
	    "Tämä koodi on pitkä eikä sitä lueta, vaikka siinä olisi "
	    "sosiaalihuoltopalvelukokonaisuus.\n"
	    "```\n"
	    "\n"
	    "```chart\n"
	    "title: Palvelujen kehittämissuunnitelma tehdään\n"
	    "```\n"
	    "\n"
	    "| Taulukkolaskentaohjelma | kerrotaan tässä pitkästi |\n"
	    "|---|---|\n"
	    "| tehdään | päätetään |\n"
	    "\n"
	    "<div>Sosiaalihuoltopalvelukokonaisuus tehdään tässä.</div>\n"
	    "\n"
	    "Lue [ohje](https://example.fi/sosiaalihuoltopalvelut).\n"
	    "\n"
	    "Aja `valo check --plain sosiaalihuoltopalvelut`.\n"
	    "\n"
	    "Katso https://example.fi/kehittamissuunnitelmat.\n", &d, &st);
	CHECK(st.sentences == 3);
	CHECK(d.len == 0);
	diags_free(&d);
}

TEST(plain_limit_zero_turns_a_check_off)
{
	static const struct plain_limits off = { 0, 0, 0 };
	struct plain_limits lim;
	struct diags d = DIAGS_INIT;
	struct plain_stats st;
	const char *body =
	    "Palveluja kehitetään. Päätökset tehdään aluevaltuustossa, "
	    "jossa sosiaalihuoltopalvelukokonaisuudesta päätetään.\n"
	    "Asiakkaita kuullaan.\n";

	run(&off, NULL, 0, body, &d, &st);
	CHECK(d.len == 0 && st.sentences == 3);
	diags_free(&d);
	lim = off;
	lim.sentence_words = 4;
	run(&lim, NULL, 0, body, &d, &st);
	CHECK(d.len == 1 && st.long_sentences == 1);
	diags_free(&d);
	lim = off;
	lim.word_length = 25;
	run(&lim, NULL, 0, body, &d, &st);
	CHECK(d.len == 1 && st.long_words == 1);
	diags_free(&d);
	lim = off;
	lim.passive_share = 50;
	run(&lim, NULL, 0, body, &d, &st);
	CHECK(d.len == 1 && st.passive_paragraphs == 1);
	diags_free(&d);
}

TEST(plain_settings_are_read_from_site_conf)
{
	static const char conf[] = "[site]\ntitle = T\n"
	    "base_url = https://example.fi/\n";
	static const char set[] = "[site]\ntitle = T\n"
	    "base_url = https://example.fi/\n"
	    "[plain]\nsentence_words = 15\nword_length = 0\n"
	    "passive_share = 70\n";
	struct config cfg;
	struct diags d = DIAGS_INIT;

	CHECK(config_parse(&cfg, conf, sizeof(conf) - 1, "site.conf",
	    &d) == 0);
	CHECK(cfg.plain_sentence_words == PLAIN_SENTENCE_WORDS);
	CHECK(cfg.plain_word_length == PLAIN_WORD_LENGTH);
	CHECK(cfg.plain_passive_share == PLAIN_PASSIVE_SHARE);
	config_free(&cfg);
	CHECK(config_parse(&cfg, set, sizeof(set) - 1, "site.conf",
	    &d) == 0);
	CHECK(cfg.plain_sentence_words == 15);
	CHECK(cfg.plain_word_length == 0);
	CHECK(cfg.plain_passive_share == 70);
	config_free(&cfg);
	CHECK(d.len == 0);
	diags_free(&d);
}

/* Checks every page under dir, recursively, as the site would be. */
static void
check_dir(struct plain *p, const char *dir, struct diags *d,
    struct plain_stats *st, size_t *pages)
{
	DIR *dp;
	struct dirent *e;
	struct buf b = BUF_INIT;
	char path[1024], chunk[4096];
	size_t n, fo, fl, bo, i, before;
	unsigned lines;
	FILE *f;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "data") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 3, ".md") != 0) {
			check_dir(p, path, d, st, pages);
			continue;
		}
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		buf_reset(&b);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_put(&b, chunk, n);
		fclose(f);
		if (b.data == NULL || front_matter_split(b.data, b.len, &fo,
		    &fl, &bo) != 1)
			continue;
		before = d->len;
		plain_check(p, path, b.data + bo, b.len - bo,
		    line_of(b.data, bo), d, st);
		lines = line_of(b.data, b.len);
		/* Every warning points into the page's body. */
		for (i = before; i < d->len; i++)
			CHECK(d->v[i].line >= line_of(b.data, bo) &&
			    d->v[i].line <= lines);
		(*pages)++;
	}
	closedir(dp);
	buf_free(&b);
}

TEST(plain_reads_the_example_site)
{
	struct diags d = DIAGS_INIT;
	struct plain_stats st;
	const char *why;
	struct plain *p = plain_new(&defaults, NULL, 0, &why);
	size_t pages = 0;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	memset(&st, 0, sizeof(st));
	check_dir(p, "content", &d, &st, &pages);
	CHECK(pages > 10);
	CHECK(st.sentences > 20 * pages);
	CHECK(d.len == st.long_sentences + st.long_words +
	    st.passive_paragraphs);
	CHECK(count(&d, "a sentence of") == st.long_sentences);
	CHECK(count(&d, "letters long") == st.long_words);
	CHECK(count(&d, "are passive") == st.passive_paragraphs);
	plain_free(p);
	diags_free(&d);
}
