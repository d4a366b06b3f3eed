#include <stdlib.h>

#include "csv.h"
#include "test.h"
#include "util/buf.h"
#include "yaml.h"

static char *
csv_of(struct arena *a, const char *yaml)
{
	struct diags d = DIAGS_INIT;
	struct value *v = yaml_parse(a, yaml, strlen(yaml), "t.yaml", 0, &d);
	struct buf b = BUF_INIT;
	char *s;

	CHECK(v != NULL && d.len == 0);
	diags_free(&d);
	if (csv_write_rows(v, &b) == -1)
		return NULL;
	s = buf_detach(&b);
	return s ? s : calloc(1, 1);
}

TEST(csv_write_rows_quotes_every_field)
{
	struct arena a = ARENA_INIT;
	char *s;

	/* Every key in the order first seen; numbers as written. */
	s = csv_of(&a, "- {nimi: \"Kajaani, keskusta\", lkm: 12.50}\n"
	    "- {nimi: \"Sanoi \\\"hei\\\"\", uusi: true}\n"
	    "- {nimi: null}\n");
	CHECK_STR(s, "\"nimi\",\"lkm\",\"uusi\"\r\n"
	    "\"Kajaani, keskusta\",\"12.50\",\"\"\r\n"
	    "\"Sanoi \"\"hei\"\"\",\"\",\"true\"\r\n"
	    "\"\",\"\",\"\"\r\n");
	free(s);
	arena_free(&a);
}

TEST(csv_write_rows_only_tables)
{
	struct arena a = ARENA_INIT;

	CHECK(csv_of(&a, "a: 1\n") == NULL);
	CHECK(csv_of(&a, "- [1, 2]\n") == NULL);
	CHECK(csv_of(&a, "- {a: [1, 2]}\n") == NULL);
	CHECK(csv_of(&a, "[]\n") == NULL);
	arena_free(&a);
}

/* What it writes reads back as the same rows. */
TEST(csv_write_rows_reads_back)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct value *v, *w;
	struct buf b = BUF_INIT, c = BUF_INIT;
	const char *text = "kunta,asukkaita,huom\nKajaani,36000,\"rivi\nkaksi\"\n"
	    "Kuhmo,8000,\n";

	v = csv_read(&a, text, strlen(text), "t.csv", &d);
	CHECK(v != NULL && csv_write_rows(v, &b) == 0);
	w = csv_read(&a, b.data, b.len, "t2.csv", &d);
	CHECK(w != NULL && w->len == 2 && d.len == 0);
	CHECK(w != NULL && csv_write_rows(w, &c) == 0);
	CHECK_STR(c.data, b.data);
	buf_free(&b);
	buf_free(&c);
	diags_free(&d);
	arena_free(&a);
}
