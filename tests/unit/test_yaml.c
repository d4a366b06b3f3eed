/*
 * What yaml_parse says when libyaml refuses the text: the place, the
 * editor's mistake in words, the line with its caret, what to type.
 */
#include <stdlib.h>

#include "test.h"
#include "util/buf.h"
#include "util/text.h"
#include "yaml.h"

/* "\u00a0" is not allowed in C11 outside identifiers' ranges: spell it. */
#define NBSP	"\xc2\xa0"
#define RDQ	"\xe2\x80\x9d"		/* ” */
#define LDQ	"\xe2\x80\x9c"		/* “ */
#define LOW	"\xe2\x80\x9e"		/* „ */

/*
 * Parses text, as front matter when fm (its lines start on line 2), and
 * returns its one diagnostic, or NULL (a failed check) if it parsed or
 * said more than one thing.
 */
static const struct diag *
one_error(struct arena *a, struct diags *d, const char *text, int fm)
{
	struct value *v;

	v = yaml_parse(a, text, strlen(text), fm ? "p.md" : "d.yaml",
	    fm ? 1 : 0, d);
	CHECK(v == NULL);
	CHECK(d->len == 1 && d->errors == 1);
	return v == NULL && d->len == 1 ? &d->v[0] : NULL;
}

#define CHECK_DIAG(g, l, c, m, h, x) do {				\
	CHECK((g) != NULL);						\
	if ((g) == NULL)						\
		break;							\
	CHECK((g)->line == (l));					\
	CHECK((g)->col == (c));						\
	CHECK_STR((g)->msg, (m));					\
	CHECK_STR((g)->hint, (h));					\
	CHECK_STR((g)->excerpt, (x));					\
} while (0)

/* Parses text as a data file and checks that it is taken as it is. */
static struct value *
parses(struct arena *a, const char *text)
{
	struct diags d = DIAGS_INIT;
	struct value *v = yaml_parse(a, text, strlen(text), "d.yaml", 0, &d);

	CHECK(v != NULL);
	CHECK(d.len == 0);
	diags_free(&d);
	return v;
}

TEST(yaml_tab_in_indentation)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	g = one_error(&a, &d, "title: Sivu\n\tdate: 2025-01-01\n", 1);
	CHECK_DIAG(g, 3, 1, "a tab character is used for indentation",
	    "Indent with spaces, not the Tab key.", "\tdate: 2025-01-01");
	diags_free(&d);
	/* Between a list's dash and its item, and on a line of its own. */
	g = one_error(&a, &d, "tags:\n-\tyksi\n", 0);
	CHECK_DIAG(g, 2, 2, "a tab character is used for indentation",
	    "Indent with spaces, not the Tab key.", "-\tyksi");
	diags_free(&d);
	g = one_error(&a, &d, "a: 1\n\t\nb: 2\n", 0);
	CHECK(g != NULL && g->line == 2 && g->col == 1);
	diags_free(&d);
	/* After the colon a tab is a space to YAML too. */
	parses(&a, "title:\tArvot\n");
	arena_free(&a);
}

TEST(yaml_nbsp_after_key)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	/* libyaml fails on the next line; the space is on this one. */
	g = one_error(&a, &d, "title:" NBSP "Arvot\ndate: 2025-01-01\n", 1);
	CHECK_DIAG(g, 2, 7, "a no-break space (U+00A0) where a space belongs",
	    "Delete it and type an ordinary space.", "title:" NBSP "Arvot");
	diags_free(&d);
	g = one_error(&a, &d, "date: 2025-01-01\ntitle:" NBSP "Arvot\n", 1);
	CHECK(g != NULL && g->line == 3 && g->col == 7);
	diags_free(&d);
	/* Alone it parses, as the text "title: Arvot". */
	g = one_error(&a, &d, "title:" NBSP "Arvot\n", 1);
	CHECK(g != NULL && g->line == 2 && g->col == 7);
	diags_free(&d);
	/* In a list of maps the item's text runs into the next line. */
	g = one_error(&a, &d, "- nimi:" NBSP "Kajaani\n  lkm: 5\n", 0);
	CHECK_DIAG(g, 1, 8, "a no-break space (U+00A0) where a space belongs",
	    "Delete it and type an ordinary space.",
	    "- nimi:" NBSP "Kajaani");
	diags_free(&d);
	arena_free(&a);
}

TEST(yaml_nbsp_in_indentation)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	g = one_error(&a, &d, "tags:\n  - a\n " NBSP "- b\n", 1);
	CHECK_DIAG(g, 4, 2, "a no-break space (U+00A0) where a space belongs",
	    "Delete it and type an ordinary space.", " " NBSP "- b");
	diags_free(&d);
	/* It parses, with a key " b" that nobody can see. */
	g = one_error(&a, &d, "a:\n " NBSP "b: 1\n", 0);
	CHECK(g != NULL && g->line == 2 && g->col == 2);
	diags_free(&d);
	/* After a list's dash: the item would be the text "- b". */
	g = one_error(&a, &d, "tags:\n  -" NBSP "b\n", 0);
	CHECK_DIAG(g, 2, 4, "a no-break space (U+00A0) where a space belongs",
	    "Delete it and type an ordinary space.", "  -" NBSP "b");
	diags_free(&d);
	/* A line of nothing else. */
	g = one_error(&a, &d, "title: x\n" NBSP "\ndate: 2025-01-01\n", 1);
	CHECK(g != NULL && g->line == 3 && g->col == 1);
	diags_free(&d);
	arena_free(&a);
}

/* In text, a no-break space is text: Word puts one between 5 and %. */
TEST(yaml_nbsp_in_text_is_text)
{
	struct arena a = ARENA_INIT;
	struct value *v;

	v = parses(&a, "title: Arvot ja" NBSP "muut, kaikki yhdess\xc3\xa4\n");
	CHECK(v != NULL && value_get(v, "title") != NULL);
	if (v != NULL && value_get(v, "title") != NULL)
		CHECK_STR(value_get(v, "title")->str,
		    "Arvot ja" NBSP "muut, kaikki yhdess\xc3\xa4");
	v = parses(&a, "title: Strategia:" NBSP "arvot\n");
	if (v != NULL && value_get(v, "title") != NULL)
		CHECK_STR(value_get(v, "title")->str,
		    "Strategia:" NBSP "arvot");
	parses(&a, "title: \"Huom:" NBSP "t\xc3\xa4m\xc3\xa4\"\n");
	parses(&a, "kuvaus: |\n  Huom:" NBSP "t\xc3\xa4m\xc3\xa4\n  " NBSP
	    "sisennetty\nb: 1\n");
	parses(&a, "kuvaus: Pitk\xc3\xa4 teksti\n  jatkuu:" NBSP
	    "t\xc3\xa4ss\xc3\xa4\n");
	/* A list of texts, one of which has a no-break space after ':'. */
	v = parses(&a, "- Huom:" NBSP "t\xc3\xa4rke\xc3\xa4\n- Toinen\n");
	CHECK(v != NULL && v->type == VAL_LIST);
	parses(&a, "a: 5" NBSP "%\n");
	arena_free(&a);
}

/* Unrelated to a failure further on, it is not blamed for it. */
TEST(yaml_nbsp_not_blamed_for_other_errors)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	g = one_error(&a, &d, "kuvaus: |\n  Huom:" NBSP "x\n  " NBSP
	    "y\nb: [1, 2\n", 0);
	CHECK(g != NULL && g->line == 5 && g->col == 1);
	CHECK(g != NULL && strstr(g->msg, "[ on line 4") != NULL);
	diags_free(&d);
	g = one_error(&a, &d, "a:\n- Huom:" NBSP "x\n- y\nb: \"z\n", 0);
	CHECK(g != NULL && g->line == 4 && g->col == 4);
	diags_free(&d);
	arena_free(&a);
}

TEST(yaml_typographic_quotes)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;
	struct value *v;

	g = one_error(&a, &d, "title: " RDQ "Hyv\xc3\xa4: arvo" RDQ "\n", 1);
	CHECK_DIAG(g, 2, 8,
	    "typographic quotes " RDQ " " RDQ " do not quote text in YAML",
	    "Use straight quotes: title: \"Hyv\xc3\xa4: arvo\"",
	    "title: " RDQ "Hyv\xc3\xa4: arvo" RDQ);
	diags_free(&d);
	g = one_error(&a, &d, "title: " LOW "Hyv\xc3\xa4: arvo" RDQ "\n", 1);
	CHECK(g != NULL && g->col == 8);
	if (g != NULL)
		CHECK_STR(g->msg, "typographic quotes " LOW " " RDQ
		    " do not quote text in YAML");
	diags_free(&d);
	/* ’ as the only quote: the message names the pair. */
	g = one_error(&a, &d, "- nimi: \xe2\x80\x99Hyv\xc3\xa4: arvo\n", 0);
	CHECK_DIAG(g, 1, 9, "typographic quotes \xe2\x80\x99 \xe2\x80\x99 do "
	    "not quote text in YAML",
	    "Use straight quotes: - nimi: \"Hyv\xc3\xa4: arvo\"",
	    "- nimi: \xe2\x80\x99Hyv\xc3\xa4: arvo");
	diags_free(&d);
	/* As a list's item it parses, as a map from ”Hyvä to arvo”. */
	g = one_error(&a, &d, "- " LDQ "Hyv\xc3\xa4: arvo" RDQ "\n", 0);
	CHECK_DIAG(g, 1, 3,
	    "typographic quotes " LDQ " " RDQ " do not quote text in YAML",
	    "Use straight quotes: - \"Hyv\xc3\xa4: arvo\"",
	    "- " LDQ "Hyv\xc3\xa4: arvo" RDQ);
	diags_free(&d);
	/* Where it parses as meant, the quotes are text. */
	v = parses(&a, "title: " RDQ "Hyv\xc3\xa4 arvo" RDQ "\n");
	if (v != NULL && value_get(v, "title") != NULL)
		CHECK_STR(value_get(v, "title")->str,
		    RDQ "Hyv\xc3\xa4 arvo" RDQ);
	parses(&a, "title: Kirja " LDQ "Arvot" RDQ " ilmestyi\n");
	parses(&a, "title: \"" RDQ "Hyv\xc3\xa4: arvo" RDQ "\"\n");
	arena_free(&a);
}

TEST(yaml_colon_in_text)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	g = one_error(&a, &d, "title: Strategia: arvot\n", 1);
	CHECK_DIAG(g, 2, 17,
	    "a colon followed by a space in text that is not in quotes",
	    "Put the text in quotes: title: \"Strategia: arvot\"",
	    "title: Strategia: arvot");
	/* The hint is a format with arguments, for the translation. */
	CHECK(g != NULL && g->h.id != NULL &&
	    strcmp(g->h.id, "Put the text in quotes: %s: %s") == 0);
	diags_free(&d);
	/* Nested, on the second line, with CR LF line ends. */
	g = one_error(&a, &d, "- nimi: Kajaani\r\n  kuvaus: Kainuun keskus: "
	    "kaupunki  \r\n", 0);
	CHECK_DIAG(g, 2, 25,
	    "a colon followed by a space in text that is not in quotes",
	    "Put the text in quotes: kuvaus: \"Kainuun keskus: kaupunki\"",
	    "  kuvaus: Kainuun keskus: kaupunki  ");
	diags_free(&d);
	/* Double quotes or a backslash in it: single quotes. */
	g = one_error(&a, &d, "title: Sano \"hei\": it's C:\\x\n", 1);
	CHECK(g != NULL && g->hint != NULL && strcmp(g->hint,
	    "Put the text in quotes: title: 'Sano \"hei\": it''s C:\\x'") == 0);
	diags_free(&d);
	arena_free(&a);
}

TEST(yaml_other_errors_in_plain_words)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	g = one_error(&a, &d, "title: Sivu\ntags: [yksi, kaksi\n"
	    "date: 2025-01-01\n", 1);
	CHECK_DIAG(g, 4, 5,
	    "invalid YAML: the [ on line 3 is not closed with ]",
	    "Add ] after the last item, and separate the items with commas.",
	    "date: 2025-01-01");
	diags_free(&d);
	g = one_error(&a, &d, "title: \"Sivu\ndate: 2025-01-01\n", 1);
	CHECK_DIAG(g, 2, 8, "invalid YAML: the quote \" is not closed",
	    "Add a closing \" where the text ends, or delete this one.",
	    "title: \"Sivu");
	diags_free(&d);
	g = one_error(&a, &d, "title: @Kajaani\n", 1);
	CHECK_DIAG(g, 2, 8,
	    "text that is not in quotes cannot start with \"@\"",
	    "Put the text in quotes: title: \"@Kajaani\"", "title: @Kajaani");
	diags_free(&d);
	g = one_error(&a, &d, "title: *t\xc3\xa4rke\xc3\xa4*\n", 1);
	CHECK(g != NULL && g->col == 8 && g->hint != NULL && strcmp(g->hint,
	    "Put the text in quotes: title: \"*t\xc3\xa4rke\xc3\xa4*\"") == 0);
	diags_free(&d);
	g = one_error(&a, &d, "title: Sivu\n  date: 2025-01-01\n", 1);
	CHECK_DIAG(g, 3, 3,
	    "invalid YAML: the line is indented more than the key on line 2",
	    "Start it in the same column as the key on line 2; if it "
	    "continues that text, put the whole text in quotes.",
	    "  date: 2025-01-01");
	diags_free(&d);
	g = one_error(&a, &d, "title: Sivu\nSivu on hyv\xc3\xa4\n"
	    "date: 2025-01-01\n", 1);
	CHECK_DIAG(g, 3, 1, "invalid YAML: the line has no key (key: value)",
	    "Write it as key: value; if it continues the text above, indent "
	    "it with spaces.", "Sivu on hyv\xc3\xa4");
	diags_free(&d);
	g = one_error(&a, &d, "title: \"C:\\polku\"\n", 1);
	CHECK(g != NULL && g->line == 2 && g->col == 11);
	diags_free(&d);
	g = one_error(&a, &d, "title: \"Hyv\xc3\xa4\" arvo\n", 1);
	CHECK_DIAG(g, 2, 15, "invalid YAML: text after the closing quote",
	    "Put the text in quotes: title: '\"Hyv\xc3\xa4\" arvo'",
	    "title: \"Hyv\xc3\xa4\" arvo");
	diags_free(&d);
	g = one_error(&a, &d, "a:\n  b: 1\n c: 2\n", 0);
	CHECK_DIAG(g, 3, 2,
	    "invalid YAML: the line is not lined up with the line above it",
	    "Start it in the same column as \"b\" on line 2.", " c: 2");
	diags_free(&d);
	/* A key of a list's item, between the dashes and the keys. */
	g = one_error(&a, &d, "- ajankohta: \"Kes\xc3\xa4kuu 2022\"\n"
	    "  tapahtuma: alkaa\n- ajankohta: \"21.11.2022\"\n"
	    " tapahtuma: \"Aluevaltuusto\"\n", 0);
	CHECK_DIAG(g, 4, 2,
	    "invalid YAML: the line is not lined up with the line above it",
	    "Start it in the same column as \"ajankohta\" on line 3.",
	    " tapahtuma: \"Aluevaltuusto\"");
	diags_free(&d);
	g = one_error(&a, &d, "title: x\n- a\n", 1);
	CHECK_DIAG(g, 3, 1, "invalid YAML: a list item where a key belongs",
	    "Write the list's key and a colon on a line of its own above it.",
	    "- a");
	diags_free(&d);
	/* Word's line break inside a paragraph, pasted. */
	g = one_error(&a, &d, "title: Sivu\vja\n", 1);
	CHECK_DIAG(g, 2, 12,
	    "an invisible control character (U+000B) in the text",
	    "Delete it; it may have come in with text pasted from another "
	    "program.", "title: Sivu?ja");
	diags_free(&d);
	arena_free(&a);
}

TEST(yaml_key_errors_show_the_line)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const struct diag *g;

	g = one_error(&a, &d, "title: a\nx: 1\ntitle: b\n", 1);
	CHECK_DIAG(g, 4, 1, "key \"title\" is given twice",
	    "Remove one of the two, or rename one.", "title: b");
	diags_free(&d);
	arena_free(&a);
}

/* Any bytes: no crash, and what is shown cannot upset a terminal. */
TEST(yaml_errors_on_any_bytes)
{
	static const char *bits[] = { "a", ": ", ":", " ", "  ", "\t", "\n",
	    "\r\n", "- ", "-", NBSP, RDQ, LOW, "\"", "'", "[", "]", "{", "}",
	    ",", "#", "@", "*", "&", "!", "%", "|", ">", "\\", "\xff", "\x80",
	    "\xe2\x80", "\x1b[31m", "\xe2\x80\xa8", "---", "\xc3\xa4", "?",
	    "\v" };
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct buf b = BUF_INIT;
	struct value *v;
	unsigned long r = 1;
	size_t i, k, n, bad;
	int round;

	for (round = 0; round < 3000; round++) {
		buf_reset(&b);
		n = 1 + round % 40;
		for (k = 0; k < n; k++) {
			r = r * 6364136223846793005UL + 1442695040888963407UL;
			buf_puts(&b, bits[(r >> 33) % (sizeof(bits) /
			    sizeof(bits[0]))]);
		}
		/* A NUL in the middle, now and then. */
		if (round % 7 == 0 && b.len > 2)
			b.data[b.len / 2] = '\0';
		v = yaml_parse(&a, b.data, b.len, "x.yaml", 3, &d);
		CHECK((v == NULL) == (d.errors > 0));
		for (i = 0; i < d.len; i++) {
			CHECK(d.v[i].line >= 4);
			CHECK(d.v[i].col >= 1);
			if (d.v[i].excerpt == NULL)
				continue;
			CHECK(utf8_valid(d.v[i].excerpt,
			    strlen(d.v[i].excerpt), &bad));
			for (k = 0; d.v[i].excerpt[k] != '\0'; k++)
				CHECK((unsigned char)d.v[i].excerpt[k] >=
				    0x20 || d.v[i].excerpt[k] == '\t');
		}
		diags_free(&d);
	}
	buf_free(&b);
	arena_free(&a);
}

TEST(yaml_long_lines)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct buf b = BUF_INIT;
	const struct diag *g;
	size_t i;

	/* The colon far out: no excerpt, and the hint's text cut. */
	buf_puts(&b, "title: ");
	for (i = 0; i < 100000; i++)
		buf_puts(&b, i % 2 ? "a" : "\xc3\xa4");
	buf_puts(&b, ": b\n");
	g = one_error(&a, &d, b.data, 1);
	CHECK(g != NULL && g->line == 2 && g->col == 100008);
	CHECK(g != NULL && g->excerpt == NULL);
	CHECK(g != NULL && g->hint != NULL && strlen(g->hint) < 220);
	CHECK(g != NULL && g->hint != NULL && strstr(g->hint,
	    "\xe2\x80\xa6\"") != NULL);
	diags_free(&d);
	/* The colon near the start: the line is cut after it. */
	buf_reset(&b);
	buf_puts(&b, "title: A: ");
	for (i = 0; i < 5000; i++)
		buf_putc(&b, 'b');
	g = one_error(&a, &d, b.data, 0);
	CHECK(g != NULL && g->excerpt != NULL &&
	    strlen(g->excerpt) == 8 + 80 + 3);
	diags_free(&d);
	buf_free(&b);
	arena_free(&a);
}
