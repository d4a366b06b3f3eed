/*
 * Diagnostics keep their format and arguments, and messages.c puts them
 * into a translation from the catalogue (build/locale, made by make).
 */
#include <stdio.h>
#include <stdlib.h>

#include "messages.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"

/* The catalogue beside the unit binary, as valo finds its own. */
static const char *
localedir(void)
{
	const char *b = getenv("B");
	static char dir[512];

	snprintf(dir, sizeof(dir), "%s/locale", b && *b ? b : "build");
	return dir;
}

static void
language(const char *l)
{
	setenv("LANGUAGE", l, 1);
	msg_language("fi", localedir());
}

TEST(diag_keeps_format_and_arguments)
{
	struct diags d = DIAGS_INIT;
	const char *a;

	diag_error(&d, "f.md", 3, 1, NULL, "%s|%d|%zu|%u|%.*s|%llu|%c|%%|%5.2f|%x",
	    "sana", -7, (size_t)12, 4u, 3, "abcdef", 1ULL << 40, 'q', 2.5, 255u);
	CHECK_STR(d.v[0].msg, "sana|-7|12|4|abc|1099511627776|q|%| 2.50|ff");
	CHECK_STR(d.v[0].m.id, "%s|%d|%zu|%u|%.*s|%llu|%c|%%|%5.2f|%x");
	a = d.v[0].m.args;
	CHECK_STR(a, "sana");
	a += strlen(a) + 1;
	CHECK_STR(a, "-7");
	a += strlen(a) + 1;
	CHECK_STR(a, "12");
	CHECK(d.v[0].h.id == NULL && d.v[0].hint == NULL);
	diags_free(&d);
}

TEST(diag_hint_with_arguments)
{
	struct diags d = DIAGS_INIT;

	diag_warn(&d, "f.md", 1, 0, "Plain hint 100 %", "m");
	CHECK(d.v[0].h.args == NULL);
	diag_hintf(&d, "Did you mean \"%s\"?", "title");
	CHECK_STR(d.v[0].hint, "Did you mean \"title\"?");
	CHECK_STR(d.v[0].h.id, "Did you mean \"%s\"?");
	CHECK(d.v[0].h.args != NULL);
	diags_free(&d);
}

TEST(diag_pack_round_trip)
{
	struct diags d = DIAGS_INIT, e = DIAGS_INIT;
	struct buf b = BUF_INIT;
	const char *end;

	diag_error(&d, "a.md", 2, 5, NULL, "x %s y %d", "z", 9);
	diag_hintf(&d, "h %s", "w");
	diag_excerpt(&d, "title: x\tyz", 8);
	diag_detail(&d, "git: gone");
	diag_pack(&b, &d.v[0]);
	end = diag_unpack(&e, b.data, b.data + b.len);
	CHECK(end == b.data + b.len);
	CHECK(e.len == 1 && e.errors == 1);
	CHECK_STR(e.v[0].msg, "x z y 9");
	CHECK_STR(e.v[0].m.id, "x %s y %d");
	CHECK(e.v[0].m.argslen == d.v[0].m.argslen);
	CHECK_STR(e.v[0].hint, "h w");
	CHECK_STR(e.v[0].excerpt, "title: x");
	CHECK_STR(e.v[0].detail, "git: gone");
	/* Cut anywhere, it adds nothing and says so. */
	CHECK(diag_unpack(&e, b.data, b.data + b.len - 1) == NULL);
	CHECK(e.len == 1);
	buf_free(&b);
	diags_free(&d);
	diags_free(&e);
}

TEST(msg_fill_positions_and_order)
{
	struct diags d = DIAGS_INIT;
	struct buf b = BUF_INIT;

	language("en");
	diag_error(&d, "", 0, 0, NULL, "%s then %d", "eka", 2);
	msg_fill(&b, "%2$d ennen: %1$s (100 %%)", &d.v[0].m);
	CHECK_STR(b.data, "2 ennen: eka (100 %)");
	buf_reset(&b);
	msg_fill(&b, "%s, %d", &d.v[0].m);
	CHECK_STR(b.data, "eka, 2");
	buf_free(&b);
	diags_free(&d);
}

TEST(msg_language_choice)
{
	const char *old = getenv("LANG");

	setenv("LANGUAGE", "", 1);
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "C.UTF-8", 1);
	CHECK_STR(msg_language("fi", localedir()), "fi");
	CHECK_STR(msg_language("en", localedir()), "en");
	CHECK_STR(msg_language(NULL, localedir()), "en");
	setenv("LANG", "fi_FI.UTF-8", 1);
	CHECK_STR(msg_language("en", localedir()), "fi");
	setenv("LANG", "sv_FI.UTF-8", 1);
	CHECK_STR(msg_language("en", localedir()), "sv");
	CHECK_STR(msg_language("fi", localedir()), "fi");
	setenv("LANGUAGE", "en_GB:en", 1);
	CHECK_STR(msg_language("fi", localedir()), "en");
	if (old != NULL)
		setenv("LANG", old, 1);
	else
		unsetenv("LANG");
	language("en");
}

TEST(msg_finnish_from_the_catalogue)
{
	struct diags d = DIAGS_INIT;
	struct buf b = BUF_INIT;

	language("fi");
	CHECK_STR(msg_level(DIAG_ERROR), "virhe");
	diag_error(&d, "a.md", 3, 1, NULL, "unknown front matter key \"%s\"",
	    "titel");
	msg_message(&b, &d.v[0]);
	CHECK(strstr(b.data, "titel") != NULL);
	CHECK(strstr(b.data, "unknown") == NULL);
	/* A message the catalogue lacks stays as it was said. */
	buf_reset(&b);
	diag_error(&d, "a.md", 3, 1, NULL, "no such message %d", 5);
	msg_message(&b, &d.v[1]);
	CHECK_STR(b.data, "no such message 5");
	language("en");
	buf_reset(&b);
	msg_message(&b, &d.v[0]);
	CHECK_STR(b.data, "unknown front matter key \"titel\"");
	CHECK_STR(msg_level(DIAG_ERROR), "error");
	buf_free(&b);
	diags_free(&d);
}

/* An argument is translated only where it is a W_() word, by context. */
TEST(msg_arguments_translated_by_context)
{
	struct diags d = DIAGS_INIT;
	struct buf b = BUF_INIT;

	language("fi");
	diag_error(&d, "a.md", 1, 1, NULL, "\"%s\" must be text, not %s",
	    "text", W_("list"));
	/* The English text has no mark. */
	CHECK_STR(d.v[0].msg, "\"text\" must be text, not list");
	msg_message(&b, &d.v[0]);
	/* "text" is a W_() word too, but as a name an editor wrote it stays. */
	CHECK(strstr(b.data, "”text”") != NULL || strstr(b.data, "\"text\"") != NULL);
	CHECK(strstr(b.data, "lista") != NULL);
	/* A message without a translation still gets its words translated. */
	buf_reset(&b);
	diag_error(&d, "a.md", 1, 1, NULL, "no such message: %s", W_("list"));
	msg_message(&b, &d.v[1]);
	CHECK_STR(b.data, "no such message: lista");
	language("en");
	buf_reset(&b);
	msg_message(&b, &d.v[1]);
	CHECK_STR(b.data, "no such message: list");
	buf_free(&b);
	diags_free(&d);
}

static void
print_to(const struct diags *d, enum msg_format f, struct buf *out)
{
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	msg_print(d, fp, f, 0);
	fclose(fp);
	buf_reset(out);
	buf_put(out, s, n);
	free(s);
}

TEST(msg_formats)
{
	struct diags d = DIAGS_INIT;
	struct buf b = BUF_INIT;

	language("en");
	diag_error(&d, "content/a,b.md", 4, 7, "Write \"x\".",
	    "bad: %s", "50% \"q\"\n");
	diag_excerpt(&d, "\tkey:  x", 8);
	diag_note(&d, "", 0, 0, NULL, "just so");
	print_to(&d, MSG_TEXT, &b);
	CHECK_STR(b.data, "content/a,b.md:4:7: error: bad: 50% \"q\"\n\n"
	    "    4 | \tkey:  x\n      | \t     ^\n    Write \"x\".\n"
	    "note: just so\n");
	print_to(&d, MSG_JSON, &b);
	CHECK_STR(b.data, "{\"file\":\"content/a,b.md\",\"line\":4,\"column\":7,"
	    "\"severity\":\"error\",\"message\":\"bad: 50% \\\"q\\\"\\n\","
	    "\"hint\":\"Write \\\"x\\\".\",\"id\":\"bad: %s\"}\n"
	    "{\"file\":\"\",\"line\":0,\"column\":0,\"severity\":\"note\","
	    "\"message\":\"just so\",\"hint\":null,\"id\":\"just so\"}\n");
	print_to(&d, MSG_GITHUB, &b);
	CHECK_STR(b.data, "::error file=content/a%2Cb.md,line=4,col=7::bad: "
	    "50%25 \"q\"%0A%0AWrite \"x\".\n::notice::just so\n");
	print_to(&d, MSG_GITLAB, &b);
	CHECK(strncmp(b.data, "[\n  {\"description\":\"bad: 50% \\\"q\\\"\\n — "
	    "Write \\\"x\\\".\",\"check_name\":\"bad: %s\",\"fingerprint\":\"",
	    72) == 0);
	CHECK(strstr(b.data, "\"severity\":\"major\",\"location\":{\"path\":"
	    "\"content/a,b.md\",\"lines\":{\"begin\":4}}}") != NULL);
	CHECK(strstr(b.data, "\"severity\":\"info\",\"location\":{\"path\":"
	    "\"site.conf\",\"lines\":{\"begin\":1}}}\n]\n") != NULL);
	diags_free(&d);
	print_to(&d, MSG_GITLAB, &b);
	CHECK_STR(b.data, "[]\n");
	buf_free(&b);
}
