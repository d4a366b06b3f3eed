#include <stdlib.h>

#include "test.h"
#include "url.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "value.h"
#include "yaml.h"

static int
bad(const char *u)
{
	return url_dangerous(u, strlen(u), 0);
}

static int
bad_image(const char *u)
{
	return url_dangerous(u, strlen(u), 1);
}

TEST(url_dangerous_schemes_in_any_spelling)
{
	static const char *const v[] = {
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", "JaVaScRiPt:x",
		"javascript:", "  javascript:x", "\tjavascript:x",
		"\x01\x1f javascript:x", "java\tscript:x", "java\nscript:x",
		"java\rscript:x", "j\ta\nv\ra\x0bscript:x", "javascript\t:x",
		/* Character references, as in an attribute or Markdown. */
		"jav&#x61;script:x", "jav&#X61;script:x", "jav&#x0061;script:x",
		"&#106;avascript:x", "&#106avascript:x",
		"&#0000106;avascript:x",
		"&#x6A;&#x61;&#x76;&#x61;script:x", "javascript&colon;x",
		"javascript&#58;x", "java&Tab;script:x",
		"java&NewLine;script:x",
		"&#9;javascript:x", "java&#x0D;script:x",
		/* Percent escapes: more than a browser decodes, never less. */
		"jav%61script:x", "javascript%3Ax", "%20javascript:x",
		"vbscript:msgbox(1)", "VBScript:x", "vbscript&colon;x",
		"file:///etc/passwd", "FILE:x", "File://palvelin/jako",
		"data:text/html,<script>alert(1)</script>",
		"data:text/html;base64,PHNjcmlwdD4=", "data:,x", "DATA:x",
		"data:image/svg+xml,<svg onload=alert(1)>",
		/* A raster image is not one outside an image. */
		"data:image/png;base64,iVBORw0KGgo=",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!bad(v[i]))
			test_fail_str(__FILE__, __LINE__, "not dangerous", v[i],
			    "dangerous");
	CHECK(url_dangerous("java\0script:x", 14, 0));
	CHECK(url_dangerous("\0javascript:x", 13, 0));
}

TEST(url_harmless_addresses_pass)
{
	static const char *const v[] = {
		"https://example.fi/", "http://example.fi/a?b=javascript:x",
		"HTTPS://EXAMPLE.FI", "mailto:palaute@example.fi",
		"tel:+358401234567", "sivu.md",
		"../strategia/arvot.md#avoimuus",
		"#x", "#", "/polku/", "", " ", "javascript-opas.md",
		"javascript.md", "javascript/opas.md", "javascripts:x",
		"java-script:x", "xjavascript:x", "x:javascript:y",
		"./javascript:x", "1javascript:x", "?q=javascript:x",
		"data", "data.csv", "files/x.pdf", "file.pdf", "filer:x",
		"&#xFFFD;javascript:x", "&amp;javascript:x",
		"&nbsp;javascript:x",
		"\xc2\xa0javascript:x", "jav&unknown;script:x",
		"ftp://example.fi/", "urn:isbn:951", "#javascript:x",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (bad(v[i]))
			test_fail_str(__FILE__, __LINE__, "dangerous", v[i],
			    "harmless");
	/* Only the first len bytes count. */
	CHECK(!url_dangerous("javascript:x", 4, 0));
	CHECK(!url_dangerous("javascript:x", 0, 0));
}

TEST(url_images_may_be_raster_data)
{
	CHECK(!bad_image("data:image/png;base64,iVBORw0KGgo="));
	CHECK(!bad_image("DATA:IMAGE/PNG;BASE64,iVBORw0KGgo="));
	CHECK(!bad_image("data:image/gif;base64,R0lGOD"));
	CHECK(!bad_image("data:image/jpeg;base64,/9j/"));
	CHECK(!bad_image("data:image/webp;base64,UklG"));
	CHECK(!bad_image("data:image/png,x"));
	CHECK(!bad_image("  data:image/png;base64,x"));
	CHECK(!bad_image("kuva.png"));
	CHECK(!bad_image("https://example.fi/kuva.png"));
	CHECK(bad_image("data:image/svg+xml;base64,PHN2Zz4="));
	CHECK(bad_image("data:image/pngx;base64,x"));
	CHECK(bad_image("data:image/png"));
	CHECK(bad_image("data:image/jpg;base64,x"));
	CHECK(bad_image("data:text/html,x"));
	CHECK(bad_image("data:image/png/../svg+xml,x"));
	CHECK(bad_image("javascript:alert(1)"));
	CHECK(bad_image("file:///kuva.png"));
}

static char *
show(const char *s, size_t n)
{
	struct buf b = BUF_INIT;

	url_show(&b, s, n);
	return buf_detach(&b);
}

TEST(url_show_makes_controls_visible)
{
	char *s, long_url[300];

	CHECK_STR(s = show("java\tscript:x", 13), "java\\tscript:x");
	free(s);
	CHECK_STR(s = show("a\nb\x01", 4), "a\\nb\\x01");
	free(s);
	memset(long_url, 'a', sizeof(long_url));
	s = show(long_url, sizeof(long_url));
	CHECK(strlen(s) < 120 && strstr(s, "…") != NULL);
	free(s);
	/* Cut only between characters. */
	memset(long_url, 'a', sizeof(long_url));
	memcpy(long_url + 99, "ä", 2);
	s = show(long_url, sizeof(long_url));
	CHECK(strstr(s, "ä…") != NULL);
	free(s);
}

TEST(url_check_value_walks_the_tree)
{
	static const char text[] =
	    "otsikko: Hyvä\n"
	    "linkki: \"  javascript:alert(1)  \"\n"
	    "lista:\n"
	    "  - https://example.fi/\n"
	    "  - kartta:\n"
	    "      osoite: vbscript:x\n"
	    "      kuva: data:image/png;base64,iVBORw0KGgo=\n"
	    "luku: 12\n"
	    "teksti: \"JavaScript on ohjelmointikieli\"\n";
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct value *v;

	v = yaml_parse(&a, text, sizeof(text) - 1, "x.yaml", 0, &d);
	CHECK(v != NULL && d.len == 0);
	url_check_value(v, "x.yaml", &d);
	CHECK(d.errors == 2);
	if (d.len == 2) {
		CHECK_STR(d.v[0].file, "x.yaml");
		CHECK(d.v[0].line == 2 && d.v[0].col == 9);
		CHECK(strstr(d.v[0].msg, "javascript:alert(1)") != NULL);
		CHECK(strstr(d.v[0].msg, "alert(1)  ") == NULL);
		CHECK(d.v[1].line == 6);
		CHECK(strstr(d.v[1].msg, "vbscript:x") != NULL);
		CHECK(d.v[1].hint != NULL);
	}
	diags_free(&d);
	url_check_value(NULL, "x.yaml", &d);
	CHECK(d.len == 0);
	arena_free(&a);
}
