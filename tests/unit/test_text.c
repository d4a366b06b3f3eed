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
	CHECK_STR(s = slug("Café Ölüdeniz"), "café-olüdeniz");
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
