#include <stdlib.h>

#include "hyphen.h"
#include "test.h"
#include "util/buf.h"

#define SHY	"\xC2\xAD"

static char *
hy(struct hyphen *h, const char *html)
{
	struct buf b = BUF_INIT;

	hyphen_html(h, html, strlen(html), &b);
	return b.data ? buf_detach(&b) : calloc(1, 1);
}

#define CHECK_HY(h, in, want) do {					\
	char *got_ = hy(h, in);						\
	CHECK_STR(got_, want);						\
	free(got_);							\
} while (0)

TEST(hyphen_breaks_long_finnish_words_at_syllables)
{
	const char *why;
	struct hyphen *h = hyphen_open("fi", &why);

	CHECK(h != NULL);
	if (h == NULL)
		return;
	CHECK_HY(h, "<p>Saavutettavuusseloste</p>",
	    "<p>Saa" SHY "vu" SHY "tet" SHY "ta" SHY "vuus" SHY "se" SHY "los"
	    SHY "te</p>");
	/* Short words, numbers and entities stay as they are. */
	CHECK_HY(h, "<p>Kainuu 3 548 &amp; hyvinvointi&shy;alue</p>",
	    "<p>Kainuu 3 548 &amp; hy" SHY "vin" SHY "voin" SHY "ti&shy;alue"
	    "</p>");
	/* Nor tags, attributes, the head, code or charts. */
	CHECK_HY(h, "<head><title>Saavutettavuusseloste</title></head>"
	    "<a title=\"Saavutettavuusseloste\" href=\"/saavutettavuusseloste/\">"
	    "x</a><code>palvelulupaukset</code><svg><text>palvelulupaukset"
	    "</text></svg><pre>palvelulupaukset</pre>",
	    "<head><title>Saavutettavuusseloste</title></head>"
	    "<a title=\"Saavutettavuusseloste\" href=\"/saavutettavuusseloste/\">"
	    "x</a><code>palvelulupaukset</code><svg><text>palvelulupaukset"
	    "</text></svg><pre>palvelulupaukset</pre>");
	/* Text after a skipped element is prose again. */
	CHECK_HY(h, "<code>x</code> palvelulupaukset <!-- palvelulupaukset -->",
	    "<code>x</code> pal" SHY "ve" SHY "lu" SHY "lu" SHY "pauk" SHY
	    "set <!-- palvelulupaukset -->");
	hyphen_close(h);
}

TEST(hyphen_is_for_finnish_only)
{
	const char *why = "x";

	CHECK(hyphen_open("en", &why) == NULL && why == NULL);
}
