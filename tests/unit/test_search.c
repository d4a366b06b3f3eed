#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search.h"
#include "test.h"
#include "util/buf.h"

/* The words of s, folded, one a line. */
static void
collect(void *arg, const char *w, size_t n)
{
	struct buf *b = arg;

	buf_put(b, w, n);
	buf_putc(b, '\n');
}

static char *
words(const char *s)
{
	struct buf b = BUF_INIT;

	search_words(s, strlen(s), collect, &b);
	buf_putc(&b, '\0');
	b.len--;
	return buf_detach(&b);
}

static char *
stem(struct search_stemmer *st, const char *w)
{
	size_t len;
	const char *s = search_stem(st, w, strlen(w), &len);

	return strndup(s, len);
}

TEST(search_fold_keeps_nordic_letters)
{
	CHECK(search_fold(0xC4) == 0xE4);	/* Ä ä */
	CHECK(search_fold(0xD6) == 0xF6);	/* Ö ö */
	CHECK(search_fold(0xC5) == 0xE5);	/* Å å */
	CHECK(search_fold(0xE4) == 0xE4);
	CHECK(search_fold('A') == 'a' && search_fold('z') == 'z');
	/* ä is not a: no diacritic is taken off. */
	CHECK(search_fold(0xE4) != 'a' && search_fold(0xC9) == 0xE9);
	CHECK(search_fold(0x160) == 0x161);	/* Š š */
	CHECK(search_fold(0x17D) == 0x17E);	/* Ž ž */
	CHECK(search_fold(0x414) == 0x434);	/* Д д */
	CHECK(search_fold(0xD7) == 0xD7);	/* × is no letter */
	CHECK(search_is_word(0xE4) && search_is_word('7') &&
	    !search_is_word(0xD7) && !search_is_word('-') &&
	    !search_is_word(0x2013));
}

TEST(search_words_split_fold_and_skip)
{
	char *s;
	char long_word[80];

	CHECK_STR(s = words("Hyvinvointialueen PÄÄTÖKSET – Kainuu/Sotkamo, "
	    "a 2025 e-kirja"), "hyvinvointialueen\npäätökset\nkainuu\n"
	    "sotkamo\n2025\nkirja\n");
	free(s);
	/* A soft hyphen is inside the word; decomposed ä is ä. */
	CHECK_STR(s = words("hyvin\xC2\xADvointi pa\xCC\x88\x61\xCC\x88to\xCC\x88s"),
	    "hyvinvointi\npäätös\n");
	free(s);
	/* İ folds to ASCII i, inside a word of two-byte letters. */
	CHECK_STR(s = words("\xC8\xA1\xC4\xB0\xC4\x85 \xC4\xB0stanbul"),
	    "\xC8\xA1i\xC4\x85\nistanbul\n");
	free(s);
	/* Not UTF-8: the bad byte separates. */
	CHECK_STR(s = words("kai\xFFnuu"), "kai\nnuu\n");
	free(s);
	memset(long_word, 'a', sizeof(long_word) - 1);
	long_word[sizeof(long_word) - 1] = '\0';
	CHECK_STR(s = words(long_word), "");
	free(s);
	long_word[SEARCH_WORD_MAX] = '\0';
	CHECK(strlen(s = words(long_word)) == SEARCH_WORD_MAX + 1);
	free(s);
}

/* As collect, and checks the NULs after the word that the index needs. */
static void
collect_padded(void *arg, const char *w, size_t n)
{
	struct buf *b = arg;
	size_t i;

	for (i = n; i < 16; i++)
		if (w[i] != '\0')
			buf_puts(b, "(not padded)");
	collect(arg, w, n);
}

/*
 * search_words takes most text sixteen bytes at a time, and hands a run
 * with anything unusual to the scalar scan: both must find the same
 * words in any text. Random texts of pieces that each take one of the
 * paths, or lie on their border (× after C3, a C3 alone, a word across
 * 64 bytes, one just longer than SEARCH_WORD_MAX).
 */
TEST(search_words_fast_agrees_with_scalar)
{
	static const char *const pieces[] = {
		"a", "B", "k", "Z", "9", "0", " ", ",", ".", "-", "\n", "_",
		"'", "ä", "Ä", "ö", "Ö", "å", "Å", "é", "É", "ß", "þ", "Þ",
		"\xC3\x97", "\xC3\xB7", "\xC3", "\x80", "\xFF",
		"\xCC\x88", "\xCC\x81", "\xC2\xAD", "\xE2\x80\x94",
		"\xE2\x80", "š", "Š", "\xC4\xB0", "Ω", "ж", "Ж",
		"\xF0\x9F\x98\x80", "\xD7\x90", "hyvinvointialue",
		"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
		"äääääääääääääääääääääää",
	};
	char s[1024];
	struct buf fast = BUF_INIT, scalar = BUF_INIT;
	unsigned seed = 1;
	size_t n, l, it, differ = 0;
	int k, m;

	for (it = 0; it < 20000; it++) {
		/* A linear congruential generator: the same texts each run. */
		seed = seed * 1103515245u + 12345u;
		m = (int)(seed >> 16) % 60;
		for (n = 0, k = 0; k < m; k++) {
			const char *p;
			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) %
			    (sizeof(pieces) / sizeof(pieces[0]))];
			l = strlen(p);
			if (n + l >= sizeof(s))
				break;
			memcpy(s + n, p, l);
			n += l;
		}
		buf_reset(&fast);
		buf_reset(&scalar);
		search_words(s, n, collect_padded, &fast);
		search_words_scalar(s, n, collect_padded, &scalar);
		if (fast.len != scalar.len || (fast.len > 0 &&
		    memcmp(fast.data, scalar.data, fast.len) != 0)) {
			if (differ++ == 0)
				fprintf(stderr, "text %.*s\nfast %s\n"
				    "scalar %s\n", (int)n, s, fast.data,
				    scalar.data);
		}
	}
	CHECK(differ == 0);
	buf_free(&fast);
	buf_free(&scalar);
}

/*
 * Words and their stems, libstemmer's Finnish with search.c's two rules;
 * tests/browser/search.test.mjs has the same list for the script's port.
 */
static const char *const stems[][2] = {
	{ "palvelulupauksen", "palvelulupaus" },
	{ "palvelulupaus", "palvelulupaus" },
	{ "palvelulupaukset", "palvelulupaus" },
	{ "päätökset", "päätös" },
	{ "päätöksiä", "päätös" },
	{ "hyvinvointi", "hyvinvoint" },
	{ "hyvinvointialueen", "hyvinvointialue" },
	{ "hyvinvointialueella", "hyvinvointialue" },
	{ "hyvinvoin", "hyvinvo" },
	{ "yhteistyö", "yhteistyö" },
	{ "yhteistyössä", "yhteistyö" },
	{ "ihminen", "ihmis" },
	{ "ihmisten", "ihmist" },
	{ "kainuulainen", "kainuulais" },
	{ "kainuun", "kainu" },
	{ "kajaanissa", "kajaan" },
	{ "strategia", "strateg" },
	{ "kallio", "kalio" },
	{ "asukkaat", "asuk" },
	{ "taloon", "talo" },
	{ "kirjoissaankin", "kirj" },
	{ "palveluiden", "palvelu" },
	{ "sosiaalisesti", "sosiaalis" },
	{ "parempi", "paremp" },
	{ "yksi", "yks" },
	{ "kaksi", "kas" },
	{ "2025", "2025" },
	{ "covid19", "covid19" },
	{ "åland", "åland" },
	{ "ja", "ja" },
};

TEST(search_stem_finnish)
{
	struct search_stemmer *st = search_stemmer_new("fi"), *none;
	size_t i;
	char *a, *b;

	CHECK_STR(search_stemmer_name(st), "finnish");
	for (i = 0; i < sizeof(stems) / sizeof(stems[0]); i++) {
		CHECK_STR(a = stem(st, stems[i][0]), stems[i][1]);
		free(a);
	}
	/* The issue's own example: one stem for both. */
	a = stem(st, "palvelulupauksen");
	b = stem(st, "palvelulupaus");
	CHECK_STR(a, b);
	free(a);
	free(b);
	/* A compound begins with the stem of its first part. */
	a = stem(st, "hyvinvointi");
	b = stem(st, "hyvinvointialue");
	CHECK(strncmp(b, a, strlen(a)) == 0);
	free(a);
	free(b);
	search_stemmer_free(st);
	/* A language libstemmer has no stemmer for: words are their stems. */
	none = search_stemmer_new("xx");
	CHECK_STR(search_stemmer_name(none), "none");
	CHECK_STR(a = stem(none, "palvelulupauksen"), "palvelulupauksen");
	free(a);
	search_stemmer_free(none);
}

/*
 * Words and their stems, libstemmer's Swedish: a word for each kind of
 * suffix of its three steps, with and without å, ä and ö, and words it
 * leaves as they are (2.2 has no -et or -an). search.test.mjs has the
 * same list for the script's port.
 */
static const char *const sv_stems[][2] = {
	/* main_suffix */
	{ "flicka", "flick" },
	{ "flickor", "flick" },
	{ "flickorna", "flick" },
	{ "flickornas", "flick" },
	{ "flickas", "flick" },
	{ "pojke", "pojk" },
	{ "pojkar", "pojk" },
	{ "pojkarna", "pojk" },
	{ "pojkens", "pojk" },
	{ "lärare", "lär" },
	{ "läraren", "lär" },
	{ "lärarens", "lär" },
	{ "öppnade", "öppn" },
	{ "öppnades", "öppn" },
	{ "öppnat", "öppn" },
	{ "öppnandet", "öppn" },
	{ "jamande", "jam" },
	{ "älskad", "älsk" },
	{ "förhållanden", "förhåll" },
	{ "vackrast", "vackr" },
	{ "klokheten", "klok" },
	{ "klokhetens", "klok" },
	{ "ensamhet", "ensam" },
	{ "tjänsterna", "tjänst" },
	{ "adelskalendern", "adelskalend" },
	{ "husen", "hus" },
	{ "åldrarna", "åldr" },
	{ "städerna", "städ" },
	{ "ödmjukhet", "ödmjuk" },
	/* -s after a letter of s_ending only, even one before R1 */
	{ "bils", "bil" },
	{ "kurs", "kur" },
	{ "paris", "paris" },
	/* consonant_pair, in R1 only */
	{ "avbrott", "avbrot" },
	{ "allmakt", "allmak" },
	{ "gladde", "gladd" },
	/* other_suffix, after the other two */
	{ "möjligheterna", "möj" },
	{ "möjligt", "möj" },
	{ "nådigaste", "nåd" },
	{ "blodigt", "blod" },
	{ "vänligen", "vän" },
	{ "händelser", "händ" },
	{ "kärleksfullt", "kärleksfull" },
	{ "hopplöst", "hopplös" },
	/* left as they are */
	{ "huset", "huset" },
	{ "gatan", "gatan" },
	{ "år", "år" },
	{ "ssss", "ssss" },
	{ "2025", "2025" },
};

TEST(search_stem_swedish)
{
	struct search_stemmer *st = search_stemmer_new("sv");
	size_t i;
	char *a;

	CHECK_STR(search_stemmer_name(st), "swedish");
	for (i = 0; i < sizeof(sv_stems) / sizeof(sv_stems[0]); i++) {
		CHECK_STR(a = stem(st, sv_stems[i][0]), sv_stems[i][1]);
		free(a);
	}
	search_stemmer_free(st);
}

/*
 * Words and their stems, libstemmer's English (Porter2): its two lists
 * of exceptions, a word for each step, and the longest suffix of a step
 * that is not in its region leaving the word (fluently, agreement).
 * search.test.mjs has the same list for the script's port.
 */
static const char *const en_stems[][2] = {
	/* exception1: whole words */
	{ "skies", "sky" },
	{ "skis", "ski" },
	{ "dying", "die" },
	{ "lying", "lie" },
	{ "gently", "gentl" },
	{ "ugly", "ugli" },
	{ "only", "onli" },
	{ "news", "news" },
	{ "atlas", "atlas" },
	{ "andes", "andes" },
	/* exception2: after step 1a */
	{ "innings", "inning" },
	{ "herrings", "herring" },
	{ "proceed", "proceed" },
	/* step 1a */
	{ "caresses", "caress" },
	{ "ponies", "poni" },
	{ "ties", "tie" },
	{ "gas", "gas" },
	{ "gaps", "gap" },
	{ "kiwis", "kiwi" },
	/* step 1b */
	{ "agreed", "agre" },
	{ "feed", "feed" },
	{ "hopping", "hop" },
	{ "hoped", "hope" },
	{ "filing", "file" },
	{ "fizzed", "fizz" },
	{ "luxuriated", "luxuri" },
	/* step 1c and y as a consonant */
	{ "cry", "cri" },
	{ "by", "by" },
	{ "saying", "say" },
	{ "yellow", "yellow" },
	/* R1 after gener, commun, arsen */
	{ "generously", "generous" },
	{ "communication", "communic" },
	{ "arsenal", "arsenal" },
	/* steps 2 to 5 */
	{ "conditional", "condit" },
	{ "vietnamization", "vietnam" },
	{ "archaeology", "archaeolog" },
	{ "sensibility", "sensibl" },
	{ "fluently", "fluentli" },
	{ "formative", "format" },
	{ "electricity", "electr" },
	{ "goodness", "good" },
	{ "adoption", "adopt" },
	{ "replacement", "replac" },
	{ "agreement", "agreement" },
	{ "controlling", "control" },
	{ "cease", "ceas" },
	{ "rate", "rate" },
	/* ï is no vowel to it; a digit keeps a word as it is */
	{ "naïve", "naïv" },
	{ "covid19", "covid19" },
};

TEST(search_stem_english)
{
	struct search_stemmer *st = search_stemmer_new("en");
	size_t i;
	char *a;

	CHECK_STR(search_stemmer_name(st), "english");
	for (i = 0; i < sizeof(en_stems) / sizeof(en_stems[0]); i++) {
		CHECK_STR(a = stem(st, en_stems[i][0]), en_stems[i][1]);
		free(a);
	}
	search_stemmer_free(st);
}

TEST(search_markdown_text)
{
	struct buf h = BUF_INIT, t = BUF_INIT;
	const char *md =
	    "# Strategia {#alku}\n"
	    "\n"
	    "Lue [palvelulupaus](/strategia/palvelulupaus/ \"otsikko\") ja "
	    "![Kainuun kartta](kartta.svg) **nyt**.<br>Uusi rivi &amp; "
	    "loppu[^1].\n"
	    "\n"
	    "Arvot\n"
	    "-----\n"
	    "\n"
	    "```chart\n"
	    "data: salainen\n"
	    "```\n"
	    "\n"
	    "- kohta yksi\n"
	    "  1. kohta kaksi\n"
	    "> lainaus\n"
	    "\n"
	    "| Kunta | Asukkaat |\n"
	    "|---|--:|\n"
	    "| Kajaani | 36 000 |\n"
	    "\n"
	    "<!-- piilossa\n"
	    "yhä piilossa -->\n"
	    "[1]: https://example.fi/viite\n"
	    "## Lopuksi ##\n";

	search_markdown(md, strlen(md), &h, &t);
	CHECK_STR(h.data, "Strategia\nArvot\nLopuksi\n");
	CHECK_STR(t.data, "Lue palvelulupaus ja Kainuun kartta nyt. Uusi rivi & "
	    "loppu.\nkohta yksi kohta kaksi lainaus\n  Kunta   Asukkaat\n"
	    "  Kajaani   36 000\n");
	CHECK(strstr(t.data, "salainen") == NULL &&
	    strstr(t.data, "piilossa") == NULL &&
	    strstr(t.data, "example") == NULL);
	buf_free(&h);
	buf_free(&t);
}

/*
 * Brackets that never close: time in the text's length, not squared
 * (which for these 4 MB on one line is hours).
 */
TEST(search_markdown_pathological)
{
	struct buf h = BUF_INIT, t = BUF_INIT;
	size_t n = 4u << 20, i;
	char *md = malloc(n + 1);

	for (i = 0; i < n; i++)
		md[i] = i % 1000 < 990 ? '[' : "[a]("[i % 4];
	md[n - 1] = ']';
	md[n] = '\0';
	search_markdown(md, n, &h, &t);
	CHECK(t.len <= n + 2);
	buf_free(&h);
	buf_free(&t);
	free(md);
}

/* A site of pages made up for the tests. */
struct fake {
	size_t		 n;
	char		**title;
	char		**md;
	const char	*about;
	unsigned	 sleep_us;	/* per page: threads get some each */
	struct search_counted **counted;	/* or NULL */
};

static int
fake_load(void *arg, size_t i, struct search_page *p, struct buf *scratch)
{
	struct fake *f = arg;

	if (f->sleep_us)
		usleep(f->sleep_us);
	buf_puts(scratch, f->md[i]);
	p->title = f->title[i];
	p->url = "/sivu/";
	p->section = i % 2 ? "Osio" : NULL;
	p->about = i == 1 ? f->about : NULL;
	p->md = scratch->data;
	p->mdlen = scratch->len;
	p->counted = f->counted ? f->counted[i] : NULL;
	return 0;
}

/* Pages 0..n-1 of many words each: "sana<k>" for k of several ranges. */
static void
fake_init(struct fake *f, size_t n, size_t words)
{
	struct buf b = BUF_INIT;
	size_t i, k;

	memset(f, 0, sizeof(*f));
	f->n = n;
	f->title = calloc(n, sizeof(*f->title));
	f->md = calloc(n, sizeof(*f->md));
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		for (k = 0; k < words; k++)
			buf_printf(&b, "%s%c%zux ", k % 3 ? "sana" : "kirja",
			    (int)('a' + (k * 7 + i) % 26), (k * 31 + i * 17) %
			    (words * 3));
		f->md[i] = strdup(b.data);
		f->title[i] = NULL;
		asprintf(&f->title[i], "Sivu %zu", i);
	}
	buf_free(&b);
}

static void
fake_free(struct fake *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->title[i]);
		free(f->md[i]);
	}
	free(f->title);
	free(f->md);
}

static const struct search_file *
file(const struct search_files *sf, const char *name)
{
	size_t i;

	for (i = 0; i < sf->len; i++)
		if (strcmp(sf->v[i].name, name) == 0)
			return &sf->v[i];
	return NULL;
}

TEST(search_shard_choice)
{
	struct search_files sf;
	struct fake f;
	const struct search_file *t;
	char name[32], word[SEARCH_WORD_MAX + 1];
	const char *p, *q;
	size_t k, nstems = 0, single;
	int ok = 1;

	fake_init(&f, 40, 400);
	search_index(f.n, fake_load, &f, "fi", 2, NULL, &sf);
	CHECK(sf.nshards > 2);
	for (k = 0; k + 1 < sf.nshards; k++)
		CHECK(strcmp(sf.firsts[k], sf.firsts[k + 1]) < 0);
	for (k = 0; k < sf.nshards; k++) {
		snprintf(name, sizeof(name), "t%zu.json", k);
		if ((t = file(&sf, name)) == NULL) {
			CHECK(!"a shard's file is missing");
			continue;
		}
		/* Every stem of the shard is found in it; it is not full. */
		single = 0;
		for (p = t->data; (p = strstr(p, "\":[")) != NULL; p += 3) {
			for (q = p; q > t->data && q[-1] != '"'; q--)
				;
			snprintf(word, sizeof(word), "%.*s", (int)(p - q), q);
			if (search_shard_of(sf.firsts, sf.nshards, word) != k)
				ok = 0;
			single++;
			nstems++;
		}
		CHECK(t->len <= SEARCH_SHARD_BYTES || single == 1);
		CHECK(strncmp(t->data + 2, sf.firsts[k],
		    strlen(sf.firsts[k])) == 0);
	}
	CHECK(ok);
	CHECK(nstems > 100);
	/* Before the first, and past the last: the ends. */
	CHECK(search_shard_of(sf.firsts, sf.nshards, "") == 0);
	CHECK(search_shard_of(sf.firsts, sf.nshards, "\xF4") ==
	    sf.nshards - 1);
	/* The manifest names each shard with its size. */
	snprintf(name, sizeof(name), "[\"%s\",%zu]", sf.firsts[1],
	    file(&sf, "t1.json")->len);
	CHECK(strstr(file(&sf, "index.json")->data, name) != NULL);
	/* 40 pages, 8 a chunk. */
	CHECK(file(&sf, "p4.json") != NULL && file(&sf, "p5.json") == NULL);
	search_files_free(&sf);
	fake_free(&f);
}

/* The weights of stem's postings in an index: page -> weight, -1 none. */
static void
weights(const struct search_files *sf, const char *word, int *w, size_t n)
{
	char key[80], name[32];
	const struct search_file *t;
	const char *p;
	unsigned long page = 0, d, wt;
	char *end;
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = -1;
	snprintf(name, sizeof(name), "t%zu.json",
	    search_shard_of(sf->firsts, sf->nshards, word));
	snprintf(key, sizeof(key), "\"%s\":[", word);
	if ((t = file(sf, name)) == NULL ||
	    (p = strstr(t->data, key)) == NULL)
		return;
	for (p += strlen(key); *p != ']'; p = end + (*end == ',')) {
		d = strtoul(p, &end, 10);
		wt = strtoul(end + 1, &end, 10);
		page += d;
		if (page < n)
			w[page] = (int)wt;
	}
}

TEST(search_ranks_title_then_headings_then_text)
{
	struct search_files sf;
	struct fake f;
	int w[4];

	fake_init(&f, 4, 3);
	free(f.title[0]);
	f.title[0] = strdup("Palvelulupaus");
	free(f.md[1]);
	f.md[1] = strdup("Teksti.\n");
	f.about = "Kainuun palvelulupauksen kuvaus";
	free(f.md[2]);
	f.md[2] = strdup("## Palvelulupauksen tavoitteet\n\nTeksti.\n");
	free(f.md[3]);
	f.md[3] = strdup("Palvelulupaus palvelulupauksen palvelulupaukset "
	    "palvelulupaus palvelulupaus palvelulupaus palvelulupaus "
	    "palvelulupaus palvelulupaus palvelulupaus palvelulupaus "
	    "palvelulupaus palvelulupaus palvelulupaus palvelulupaus "
	    "palvelulupaus palvelulupaus palvelulupaus palvelulupaus.\n");
	search_index(f.n, fake_load, &f, "fi", 1, NULL, &sf);
	weights(&sf, "palvelulupaus", w, 4);
	CHECK(w[0] > 0 && w[1] > 0 && w[2] > 0 && w[3] > 0);
	CHECK(w[0] > w[1] && w[0] > w[2] && w[1] == w[2] && w[2] > w[3]);
	search_files_free(&sf);
	fake_free(&f);
}

static int
same_files(const struct search_files *a, const struct search_files *b)
{
	size_t i;

	if (a->len != b->len)
		return 0;
	for (i = 0; i < a->len; i++)
		if (strcmp(a->v[i].name, b->v[i].name) != 0 ||
		    a->v[i].len != b->v[i].len ||
		    memcmp(a->v[i].data, b->v[i].data, a->v[i].len) != 0)
			return 0;
	return 1;
}

/*
 * The pages are read on several threads, each with its own table of
 * stems filled in the order it happened to read them: the files must
 * not show it. The pages sleep a little so that every thread gets some.
 */
TEST(search_index_deterministic)
{
	struct search_files one, four, again;
	struct fake f;

	fake_init(&f, 48, 120);
	search_index(f.n, fake_load, &f, "fi", 1, NULL, &one);
	f.sleep_us = 2000;
	search_index(f.n, fake_load, &f, "fi", 4, NULL, &four);
	CHECK(one.len > 3);
	CHECK(same_files(&one, &four));
	/* One word more on one page: a new hash, so no stale shard. */
	free(f.md[5]);
	f.md[5] = strdup("uusi sana");
	f.sleep_us = 0;
	search_index(f.n, fake_load, &f, "fi", 4, NULL, &again);
	CHECK(!same_files(&one, &again));
	CHECK(strncmp(one.v[0].data, again.v[0].data, 40) != 0);
	search_files_free(&one);
	search_files_free(&four);
	search_files_free(&again);
	fake_free(&f);
}

/*
 * Most pages counted as the front matter is read, on two threads in
 * another order, the rest by the index itself: the same files as when
 * the index counts every page.
 */
TEST(search_index_counted_early)
{
	struct search_files all, early;
	struct search_indexer *ix;
	struct fake f;
	size_t i;

	fake_init(&f, 48, 120);
	search_index(f.n, fake_load, &f, "fi", 2, NULL, &all);
	ix = search_indexer_new("fi", 2);
	f.counted = calloc(f.n, sizeof(*f.counted));
	for (i = f.n; i-- > 0;) {
		struct search_page p;
		struct buf b = BUF_INIT;
		if (i % 7 == 3)
			continue;
		memset(&p, 0, sizeof(p));
		fake_load(&f, i, &p, &b);
		f.counted[i] = search_indexer_count(ix, (int)(i % 2), &p);
		buf_free(&b);
	}
	search_index(f.n, fake_load, &f, "fi", 3, ix, &early);
	CHECK(all.len > 3);
	CHECK(same_files(&all, &early));
	search_indexer_free(ix);
	free(f.counted);
	f.counted = NULL;
	search_files_free(&all);
	search_files_free(&early);
	fake_free(&f);
}

/* A word on more pages than an index keeps: the best are kept. */
TEST(search_postings_keep_the_best)
{
	struct search_files sf;
	struct fake f;
	size_t i, n = SEARCH_POSTINGS_MAX + 10;
	int *w = calloc(n, sizeof(*w)), kept = 0;

	fake_init(&f, n, 1);
	for (i = 0; i < n; i++) {
		free(f.md[i]);
		f.md[i] = strdup("kainuu");
	}
	free(f.title[n - 1]);
	f.title[n - 1] = strdup("Kainuu");
	search_index(f.n, fake_load, &f, "fi", 2, NULL, &sf);
	weights(&sf, "kainu", w, n);
	for (i = 0; i < n; i++)
		kept += w[i] > 0;
	CHECK(kept == SEARCH_POSTINGS_MAX);
	CHECK(w[n - 1] > w[0]);
	search_files_free(&sf);
	fake_free(&f);
	free(w);
}
