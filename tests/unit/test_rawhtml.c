#include <stdio.h>

#include "rawhtml.h"
#include "test.h"
#include "util/diag.h"

/*
 * Checks html from line 10 of "x.md"; returns the number of errors and
 * leaves the first message (or "") in first.
 */
static size_t
check(const char *html, char *first, size_t cap, unsigned *line)
{
	struct diags d = DIAGS_INIT;
	size_t n;

	n = rawhtml_check(html, strlen(html), "x.md", 10, &d);
	snprintf(first, cap, "%s", d.len ? d.v[0].msg : "");
	if (line)
		*line = d.len ? d.v[0].line : 0;
	if (n != d.errors)
		test_fail(__FILE__, __LINE__, "returned count != errors");
	diags_free(&d);
	return n;
}

static void
allowed(const char *file, int line, const char *html)
{
	char msg[512];

	if (check(html, msg, sizeof(msg), NULL) != 0)
		test_fail_str(file, line, html, msg, "(no error)");
}

static void
refused(const char *file, int line, const char *html, const char *want)
{
	char msg[512];

	check(html, msg, sizeof(msg), NULL);
	if (strstr(msg, want) == NULL)
		test_fail_str(file, line, html, msg, want);
}

#define ALLOWED(h)	allowed(__FILE__, __LINE__, (h))
#define REFUSED(h, w)	refused(__FILE__, __LINE__, (h), (w))

TEST(rawhtml_formatting_passes)
{
	ALLOWED("<b>lihava</b>");
	ALLOWED("<abbr title=\"javascript: opas\">JS</abbr>");
	ALLOWED("<a href=\"https://example.fi/\">x</a>");
	ALLOWED("<a href=\"../sivu/\">x</a> <a href='#x'>y</a>");
	ALLOWED("<a href=\"mailto:a@example.fi\">a</a>");
	ALLOWED("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"\">");
	ALLOWED("<img src='kuva.png' alt=\"\" width=10>");
	ALLOWED("<p class=\"onnistui\" data-onclick=\"x\" on=\"1\">x</p>");
	ALLOWED("<div>\n<p>a < b ja c > d</p>\n</div>\n");
	ALLOWED("<!-- <script>alert(1)</script> -->");
	ALLOWED("<!DOCTYPE html>");
	ALLOWED("<p style=\"color: red; text-align: right\">x</p>");
	ALLOWED("<scriptx>x</scriptx> <styles>");
	ALLOWED("<details><summary>Lisää</summary>teksti</details>");
	ALLOWED("</div>");
	ALLOWED("<br/>");
	ALLOWED("x <");
}

TEST(rawhtml_refuses_elements)
{
	REFUSED("<script>alert(1)</script>", "element <script> is not");
	REFUSED("<SCRIPT SRC=x></SCRIPT>", "<script>");
	REFUSED("<ScRiPt>", "<script>");
	REFUSED("<script/src=x>", "<script>");
	REFUSED("<script\n>", "<script>");
	REFUSED("</script>", "<script>");
	REFUSED("</script/>", "<script>");
	REFUSED("<iframe src=\"https://example.com\"></iframe>", "<iframe>");
	REFUSED("<object data=x></object>", "<object>");
	REFUSED("<embed src=x>", "<embed>");
	REFUSED("<style>p{}</style>", "<style>");
	REFUSED("<form action=/x><input></form>", "<form>");
	REFUSED("<frameset>", "<frameset>");
	REFUSED("<base href=\"https://example.com/\">", "<base>");
	REFUSED("<meta http-equiv=refresh content=0>", "<meta>");
	REFUSED("<noscript><p title=\"</noscript><img src=x>\"></noscript>",
	    "<noscript>");
	REFUSED("<textarea>", "<textarea>");
	REFUSED("<svg><![CDATA[x]]></svg>", "CDATA");
	/* Inside an attribute value of a comment-like thing: still a tag. */
	REFUSED("<!--> <script>x</script>", "<script>");
	REFUSED("<!---> <script>x</script>", "<script>");
	REFUSED("<!-- x --!> <script>x</script>", "<script>");
}

TEST(rawhtml_refuses_event_attributes)
{
	REFUSED("<img src=x onerror=alert(1)>",
	    "event attribute onerror= is not");
	REFUSED("<img src=x ONERROR=\"alert(1)\">", "onerror=");
	REFUSED("<p OnClick='x'>", "onclick=");
	REFUSED("<img/onload=alert(1)>", "onload=");
	REFUSED("<a title=\"x\"onclick=\"y\">", "onclick=");
	REFUSED("<div onmouseover>", "onmouseover=");
	REFUSED("<div\n\tonfocus\n=\n'x'>", "onfocus=");
	REFUSED("<svg onload=alert(1)>", "onload=");
	REFUSED("</p onclick=x>", "onclick=");
	/* An unquoted value runs to a space: "/onload" is part of it. */
	ALLOWED("<img src=x/onload=alert(1)>");
	/* Inside a quoted value it is text. */
	ALLOWED("<a title=\"x onclick=y\">");
}

TEST(rawhtml_refuses_styles_that_load)
{
	REFUSED("<p style=\"background: url(x.png)\">", "style attribute "
	    "with url( is not");
	REFUSED("<p style=\"background: URL(x.png)\">", "url(");
	REFUSED("<p style=\"background: url (x.png)\">", "url(");
	REFUSED("<p style='background: u\\72l(x.png)'>", "url(");
	REFUSED("<p style='background: \\75 rl(x.png)'>", "url(");
	REFUSED("<p style='background: &#x75;rl(x.png)'>", "url(");
	REFUSED("<p style='background: ur/**/l(x.png)'>", "url(");
	REFUSED("<p style=\"width: expression(alert(1))\">", "expression(");
	REFUSED("<p style=\"width: EXPRESSION (alert(1))\">", "expression(");
	REFUSED("<p style=\"background: image-set('x.png' 1x)\">",
	    "image-set(");
	ALLOWED("<p style=\"font-weight: bold\">");
}

TEST(rawhtml_refuses_unsafe_addresses)
{
	REFUSED("<a href=\"javascript:alert(1)\">x</a>",
	    "unsafe address in raw HTML href=: javascript:alert(1)");
	REFUSED("<a href=javascript:alert(1)>x</a>", "href=");
	REFUSED("<a HREF=\"JAVASCRIPT:x\">", "href=");
	REFUSED("<a href=\"jav&#x61;script:x\">", "jav&#x61;script:x");
	REFUSED("<a href=\"&#106;avascript:x\">", "href=");
	REFUSED("<a href=\"&#106avascript:x\">", "href=");
	REFUSED("<a href=\"java&Tab;script:x\">", "href=");
	REFUSED("<a href=\" \tjava\nscript:x\">", "href=");
	REFUSED("<a href=\"javascript&colon;x\">", "href=");
	REFUSED("<a href=\"vbscript:x\">", "href=");
	REFUSED("<a href=\"file:///etc/passwd\">", "href=");
	REFUSED("<a href=\"data:image/png;base64,x\">", "href=");
	REFUSED("<img src=\"data:text/html,x\">", "src=");
	REFUSED("<img src=\"data:image/svg+xml,x\">", "src=");
	REFUSED("<svg><a xlink:href=\"javascript:x\">", "xlink:href=");
	REFUSED("<button formaction=\"javascript:x\">", "formaction=");
	REFUSED("<svg><animate attributeName=href values=\"javascript:x\">",
	    "values=");
	ALLOWED("<a href=\"javascript-opas/\">x</a>");
	ALLOWED("<img src=\"data:image/webp;base64,x\">");
}

TEST(rawhtml_tag_left_open_and_lines)
{
	struct diags d = DIAGS_INIT;
	char msg[512];
	unsigned line;

	REFUSED("<img src=x", "raw HTML tag <img> is not closed");
	REFUSED("<div>\n<a title=\"x\n", "tag <a> is not closed");
	REFUSED("<P\n", "<p>");
	CHECK(check("<p>\n\n<script>", msg, sizeof(msg), &line) == 1);
	CHECK(line == 12);
	CHECK(check("<div\n  onclick=x>", msg, sizeof(msg), &line) == 1);
	CHECK(line == 11);
	CHECK(check("<b>x</b> <i>y</i>", msg, sizeof(msg), &line) == 0);
	/* A NUL byte ends nothing early. */
	CHECK(rawhtml_check("<p>\0<script>", 12, "x.md", 1, &d) == 1);
	diags_free(&d);
}
