#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "content.h"
#include "csv.h"
#include "markdown.h"
#include "test.h"
#include "util/buf.h"
#include "util/text.h"

static char *
slug(const char *s)
{
	struct buf b = BUF_INIT;

	slugify(&b, s, strlen(s));
	return buf_detach(&b);
}

TEST(slug_folds_nordic_letters)
{
	char *s;

	CHECK_STR(s = slug("Yhteistyö ja ÄÄNI å"), "yhteistyo-ja-aani-a");
	free(s);
	CHECK_STR(s = slug("  Arvot & periaatteet!  "), "arvot-periaatteet");
	free(s);
	CHECK_STR(s = slug("2025 – tavoitteet"), "2025-tavoitteet");
	free(s);
	CHECK_STR(s = slug("Café Ölüdeniz"), "cafe-oludeniz");
	free(s);
	CHECK_STR(s = slug("!!!"), "");
	free(s);
}

TEST(utf8_rejects_bad_bytes)
{
	size_t bad = 0;

	CHECK(utf8_valid("hyvää päivää", strlen("hyvää päivää"), &bad));
	CHECK(!utf8_valid("hyv\xe4\xe4", 5, &bad) && bad == 3);
	CHECK(!utf8_valid("\xc0\xaf", 2, &bad) && bad == 0);	/* overlong */
	CHECK(!utf8_valid("\xed\xa0\x80", 3, &bad));		/* surrogate */
	CHECK(!utf8_valid("\xe2\x82", 2, &bad));		/* cut short */
}

TEST(front_matter_split_finds_the_block)
{
	const char *t = "---\ntitle: x\n---\nbody\n";
	size_t off, len, body;

	CHECK(front_matter_split(t, strlen(t), &off, &len, &body) == 1);
	CHECK(off == 4 && len == 9 && strcmp(t + body, "body\n") == 0);
	CHECK(front_matter_split("no front", 8, &off, &len, &body) == 0);
	CHECK(front_matter_split("---\ntitle: x\n", 13, &off, &len, &body)
	    == -1);
	t = "---\r\ntitle: x\r\n---\r\nbody";
	CHECK(front_matter_split(t, strlen(t), &off, &len, &body) == 1);
	CHECK(strcmp(t + body, "body") == 0);
}

TEST(csv_rows_become_maps)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const char *t = "\xef\xbb\xbfkunta,osuus\nKajaani,12.5\n\"Kuhmo, keskusta\",\n";
	struct value *v = csv_read(&a, t, strlen(t), "x.csv", &d);

	CHECK(v && v->type == VAL_LIST && v->len == 2);
	CHECK_STR(value_get(v->u.items[0], "kunta")->str, "Kajaani");
	CHECK(value_get(v->u.items[0], "osuus")->u.number == 12.5);
	CHECK_STR(value_get(v->u.items[1], "kunta")->str, "Kuhmo, keskusta");
	CHECK(value_get(v->u.items[1], "osuus")->type == VAL_NULL);
	t = "a,b\n1\n";
	CHECK(csv_read(&a, t, strlen(t), "x.csv", &d) == NULL);
	CHECK(d.errors == 1 && d.v[0].line == 2);
	t = "a,a\n1,2\n";
	CHECK(csv_read(&a, t, strlen(t), "x.csv", &d) == NULL);
	CHECK(d.errors == 2);
	diags_free(&d);
	arena_free(&a);
}

TEST(config_rejects_unknown_keys)
{
	struct config c;
	struct diags d = DIAGS_INIT;
	struct source *src;
	char dir[64], path[96];
	int fd;
	const char *t = "[site]\ntitle = T\nbase_url = https://x.fi/sub\n"
	    "colour = red\n[build]\njobs = many\n";

	snprintf(dir, sizeof(dir), "/tmp/valo-test-conf-%ld", (long)getpid());
	snprintf(path, sizeof(path), "%s/site.conf", dir);
	CHECK(mkdir(dir, 0700) == 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, t, strlen(t)) == (ssize_t)strlen(t));
	close(fd);
	src = source_dir_open(dir, &d);
	CHECK(src != NULL);
	CHECK(config_load(&c, src, "site.conf", &d) == -1);
	CHECK(d.errors == 2 && d.v[0].line == 4 && d.v[1].line == 6);
	CHECK_STR(c.base_url, "https://x.fi/sub/");
	CHECK_STR(c.base_path, "/sub/");
	unlink(path);
	rmdir(dir);
	source_free(src);
	config_free(&c);
	diags_free(&d);
}

TEST(text_distance_by_code_point)
{
	CHECK(text_distance("title", 5, "titel", 5, 0) == 2);
	CHECK(text_distance("Kajani", 6, "Kajaani", 7, 1) == 1);
	/* ä is one code point of two bytes; Ä folds to it. */
	CHECK(text_distance("mistä", 6, "mista", 5, 0) == 1);
	CHECK(text_distance("RISTIJÄRVI", 11, "Ristijärvi", 11, 1) == 0);
	CHECK(text_distance("RISTIJÄRVI", 11, "Ristijärvi", 11, 0) == 9);
	CHECK(text_distance("", 0, "abc", 3, 0) == 3);
	/* Long names are never close; bad bytes count one each. */
	CHECK(text_distance("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    65, "a", 1, 0) == SIZE_MAX);
	CHECK(text_distance("\xff\xfe", 2, "ab", 2, 0) == 2);
}

/* Slugs as make_url appends them: after the parent's URL. */
static char *
slug_after(const char *prefix, const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, prefix);
	slugify(&b, s, n);
	return buf_detach(&b);
}

TEST(text_slug_folds_latin_diacritics)
{
	static const char *const cases[][2] = {
		{ "Tiếng Việt", "tieng-viet" },
		{ "Crème brûlée à la française", "creme-brulee-a-la-francaise" },
		{ "Ñandú Çağ Şişli", "nandu-cag-sisli" },
		{ "Dvořák Žižkov", "dvorak-zizkov" },
		{ "ÅNGSTRÖM Ångström", "angstrom-angstrom" },
		/* No decomposition: the stroke and the dot fold by hand. */
		{ "Tromsø Łódź Đakovo Ħamrun", "tromso-lodz-dakovo-hamrun" },
		{ "İstanbul Işık", "istanbul-isik" },
		/* Full case folding: one letter may become two. */
		{ "Straße STRASSE ẞ", "strasse-strasse-ss" },
		{ "ﬁnal", "final" },
		/* Letters of their own, not a letter with a mark. */
		{ "Æsir Œuvre Þór", "æsir-œuvre-þor" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_STR(s = slug(cases[i][0]), cases[i][1]);
		free(s);
	}
}

TEST(text_slug_keeps_other_scripts)
{
	static const char *const cases[][2] = {
		{ "Привет", "привет" },
		{ "Привет, мир!", "привет-мир" },
		/* The breve of й is part of the letter, here and composed. */
		{ "Йошкар-Ола ёж", "йошкар-ола-ёж" },
		/* Greek accents go, as Latin ones do. */
		{ "Ελληνικά ΑΘΉΝΑ", "ελληνικα-αθηνα" },
		/* Vowel signs are marks: dropping them would make "हनद". */
		{ "हिन्दी भाषा", "हिन्दी-भाषा" },
		{ "日本語のテキスト", "日本語のテキスト" },
		{ "한국어 문서", "한국어-문서" },
		{ "العربية ١٢٣", "العربية-١٢٣" },
		{ "עברית", "עברית" },
		{ "ภาษาไทย", "ภาษาไทย" },
		{ "Kajaani 2025 Каяани", "kajaani-2025-каяани" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_STR(s = slug(cases[i][0]), cases[i][1]);
		free(s);
	}
}

TEST(text_slug_separators_and_marks)
{
	char *s;

	/* Decomposed input composes as typed in one piece. */
	CHECK_STR(s = slug("Hyva\xcc\x88 e\xcc\x81" "cole"), "hyva-ecole");
	free(s);
	CHECK_STR(s = slug("\xd0\xb8\xcc\x86"), "й");	/* и + breve */
	free(s);
	/* A mark with no letter before it is no letter. */
	CHECK_STR(s = slug("\xcc\x81\xcc\x88"), "");
	free(s);
	CHECK_STR(s = slug("a \xcc\x81 b"), "a-b");
	free(s);
	/* Symbols, punctuation and emoji separate; runs of them once. */
	CHECK_STR(s = slug("a&b — c…d"), "a-b-c-d");
	free(s);
	CHECK_STR(s = slug("Juhla \xf0\x9f\x8e\x89 2025!"), "juhla-2025");
	free(s);
	CHECK_STR(s = slug("x² ½ €"), "x");
	free(s);
	/* Invisible characters join: a soft hyphen, a zero-width joiner. */
	CHECK_STR(s = slug("Yhteis\xc2\xadty\xc3\xb6"), "yhteistyo");
	free(s);
	CHECK_STR(s = slug("a\xe2\x80\x8d" "b"), "ab");
	free(s);
	/* No-break and other spaces separate as a space does. */
	CHECK_STR(s = slug("a\xc2\xa0" "b\xe2\x80\x83" "c"), "a-b-c");
	free(s);
	CHECK_STR(s = slug(""), "");
	free(s);
	CHECK_STR(s = slug(" -- "), "");
	free(s);
}

TEST(text_slug_survives_invalid_utf8)
{
	char *s;

	/* Latin-1 text: each byte that is not UTF-8 separates. */
	CHECK_STR(s = slug("hyv\xe4\xe4 p\xe4iv\xe4\xe4"), "hyv-p-iv");
	free(s);
	CHECK_STR(s = slug("\xff\xfe\xfd"), "");
	free(s);
	/* Cut short, overlong, a surrogate: valid text around them stays. */
	CHECK_STR(s = slug("Ääni\xe2\x82"), "aani");
	free(s);
	CHECK_STR(s = slug("a\xc0\xaf" "b"), "a-b");
	free(s);
	CHECK_STR(s = slug("Kaj\xed\xa0\x80" "aani"), "kaj-aani");
	free(s);
	/* What is there already stays, and no '-' comes after it. */
	CHECK_STR(s = slug_after("/kainuu/", "\xff" "abc", 4), "/kainuu/abc");
	free(s);
	/* n, not the NUL, ends the text; an embedded NUL separates. */
	CHECK_STR(s = slug_after("", "ab\0cd", 5), "ab-cd");
	free(s);
	CHECK_STR(s = slug_after("", "Ärrä", 2), "a");
	free(s);
}

TEST(text_slug_is_its_own_slug)
{
	static const char *const in[] = {
		"Yhteistyö ja ÄÄNI å", "Йошкар-Ола ёж", "हिन्दी भाषा",
		"Straße", "Ελληνικά", "ǅemal", "Ｆｕｌｌ", "µ-mittari",
		"\xe1\xbe\xb3\xe1\xbe\xbc", "Æsir", "ΐ",
	};
	struct buf again = BUF_INIT;
	size_t i;
	char *s;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		s = slug(in[i]);
		buf_reset(&again);
		slugify(&again, s, strlen(s));
		CHECK_STR(again.len ? again.data : "", s);
		CHECK(utf8_valid(s, strlen(s), NULL));
		free(s);
	}
	buf_free(&again);
}

TEST(text_casefold_for_sorting)
{
	struct buf b = BUF_INIT;

	text_casefold(&b, "ÄÄNESTYS Straße Привет",
	    strlen("ÄÄNESTYS Straße Привет"));
	CHECK_STR(b.data, "äänestys strasse привет");
	/* Decomposed input composes: "a" and U+0308 is one "ä". */
	buf_reset(&b);
	text_casefold(&b, "A\xcc\x88", 3);
	CHECK_STR(b.data, "ä");
	/* Not UTF-8: as it is. */
	buf_reset(&b);
	text_casefold(&b, "\xff" "A", 2);
	CHECK(b.len == 2 && memcmp(b.data, "\xff" "A", 2) == 0);
	buf_free(&b);
}
