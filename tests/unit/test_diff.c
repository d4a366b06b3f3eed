#include <stdio.h>
#include <stdlib.h>

#include "diff.h"
#include "test.h"
#include "util/buf.h"

static const struct diff_labels labels = {
	"Lisätty:", "Lisäys päättyy.", "Poistettu:", "Poisto päättyy."
};

#define DEL(w)	"<del><span class=\"visually-hidden\">Poistettu:</span>" w \
		"<span class=\"visually-hidden\">Poisto päättyy.</span></del>"
#define INS(w)	"<ins><span class=\"visually-hidden\">Lisätty:</span>" w \
		"<span class=\"visually-hidden\">Lisäys päättyy.</span></ins>"

/* Not strstr: ASan's measures the whole rest of s each call. */
static size_t
count(const char *s, const char *what)
{
	size_t n = 0, len = strlen(what);

	for (; *s != '\0'; s++)
		if (*s == what[0] && strncmp(s, what, len) == 0)
			n++;
	return n;
}

static int
is_void(const char *name)
{
	static const char *const v[] = { "br", "hr", "img", "input", "wbr",
	    "col", "meta", "link" };
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(name, v[i]) == 0)
			return 1;
	return 0;
}

/*
 * Checks that the tags of html nest, that <ins> and <del> are never in
 * one another nor directly in a list, table or row, and that no id is
 * there twice. Returns NULL or what is wrong.
 */
static const char *
check_html(const char *html, char *why, size_t cap)
{
	char stack[256][16], name[16], ids[64][64];
	size_t depth = 0, nids = 0, i, n;
	const char *s = html, *e, *q;
	int close;

	while ((s = strchr(s, '<')) != NULL) {
		close = s[1] == '/';
		q = s + 1 + close;
		for (n = 0; n < sizeof(name) - 1 && ((*q >= 'a' && *q <= 'z') ||
		    (*q >= '0' && *q <= '9')); n++)
			name[n] = *q++;
		name[n] = '\0';
		if ((e = strchr(s, '>')) == NULL) {
			snprintf(why, cap, "unended tag at %.20s", s);
			return why;
		}
		/* ids */
		for (q = s; q < e && (q = strstr(q, " id=\"")) != NULL && q < e;
		    q += 5) {
			size_t l = strcspn(q + 5, "\"");
			char id[64];

			snprintf(id, sizeof(id), "%.*s", (int)l, q + 5);
			for (i = 0; i < nids; i++)
				if (strcmp(ids[i], id) == 0) {
					snprintf(why, cap, "id %s twice", id);
					return why;
				}
			if (nids < 64)
				snprintf(ids[nids++], sizeof(ids[0]), "%s", id);
		}
		if (!close && !is_void(name) && e[-1] != '/') {
			if ((strcmp(name, "ins") == 0 || strcmp(name, "del") ==
			    0) && depth > 0) {
				const char *p = stack[depth - 1];

				for (i = 0; i < depth; i++)
					if (strcmp(stack[i], "ins") == 0 ||
					    strcmp(stack[i], "del") == 0) {
						snprintf(why, cap, "<%s> in <%s>",
						    name, stack[i]);
						return why;
					}
				if (strcmp(p, "ul") == 0 || strcmp(p, "ol") == 0 ||
				    strcmp(p, "table") == 0 ||
				    strcmp(p, "tbody") == 0 ||
				    strcmp(p, "thead") == 0 ||
				    strcmp(p, "tr") == 0) {
					snprintf(why, cap, "<%s> in <%s>", name,
					    p);
					return why;
				}
			}
			if (depth == 256)
				return "too deep";
			snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
		} else if (close) {
			if (depth == 0 || strcmp(stack[depth - 1], name) != 0) {
				snprintf(why, cap, "</%s> closes <%s>", name,
				    depth ? stack[depth - 1] : "nothing");
				return why;
			}
			depth--;
		}
		s = e + 1;
	}
	if (depth != 0) {
		snprintf(why, cap, "<%s> not closed", stack[depth - 1]);
		return why;
	}
	return NULL;
}

/* Diffs old and new, checks the result is well formed; returns rc. */
static int
diff(const char *old, const char *new_, struct buf *out,
    struct diff_stats *st, int line)
{
	char why[128];
	const char *bad;
	int rc;

	buf_reset(out);
	rc = diff_html(old, strlen(old), new_, strlen(new_), &labels, out, st);
	if (rc == 0 && (bad = check_html(out->data, why, sizeof(why))) !=
	    NULL)
		test_fail_str(__FILE__, line, "well-formed output", bad,
		    out->data);
	return rc;
}

#define DIFF(o, n)	diff((o), (n), &out, &st, __LINE__)
#define HAS(s)		do {						\
	if (strstr(out.data ? out.data : "", (s)) == NULL)		\
		test_fail_str(__FILE__, __LINE__, "output has", out.data, (s)); \
} while (0)

TEST(diff_one_word_in_paragraph)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<p>Kainuussa asuu noin 70 000 ihmistä.</p>\n",
	    "<p>Kainuussa asuu noin 71 000 ihmistä.</p>\n") == 0);
	CHECK_STR(out.data, "<p>Kainuussa asuu noin " DEL("70") INS("71")
	    " 000 ihmistä.</p>\n");
	CHECK(st.words_inserted == 1 && st.words_deleted == 1);
	CHECK(st.blocks_changed == 1 && st.blocks_inserted == 0 &&
	    st.blocks_deleted == 0 && !st.markup_only);
	buf_free(&out);
}

TEST(diff_changed_words_are_one_run)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<p>Alue rekrytoi myös ulkomailta ja kehittää.</p>",
	    "<p>Alue palkkaa lisää väkeä ja kehittää.</p>") == 0);
	HAS("<p>Alue " DEL("rekrytoi myös ulkomailta") INS("palkkaa lisää "
	    "väkeä") " ja kehittää.</p>");
	CHECK(count(out.data, "<del>") == 1 && count(out.data, "<ins>") == 1);
	CHECK(st.words_deleted == 3 && st.words_inserted == 3);
	buf_free(&out);
}

TEST(diff_changed_list_item)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<ul>\n<li>Yksi</li>\n<li>Kaksi ja kolme</li>\n"
	    "<li>Neljä</li>\n</ul>\n",
	    "<ul>\n<li>Yksi</li>\n<li>Kaksi ja viisi</li>\n"
	    "<li>Neljä</li>\n</ul>\n") == 0);
	HAS("<li>Yksi</li>");
	HAS("<li>Kaksi ja " DEL("kolme") INS("viisi") "</li>");
	HAS("<li>Neljä</li>");
	CHECK(count(out.data, "<li>") == 3);
	CHECK(st.blocks_changed == 1 && st.words_deleted == 1);
	buf_free(&out);
}

TEST(diff_inserted_list_item)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<ol>\n<li>Yksi</li>\n<li>Kolme</li>\n</ol>\n",
	    "<ol>\n<li>Yksi</li>\n<li>Kaksi <em>tärkeää</em></li>\n"
	    "<li>Kolme</li>\n</ol>\n") == 0);
	HAS("<li>Yksi</li>\n<li>" INS("Kaksi ") "<em>" INS("tärkeää")
	    "</em></li>\n<li>Kolme</li>");
	CHECK(st.blocks_inserted == 1 && st.words_inserted == 2 &&
	    st.blocks_deleted == 0 && st.words_deleted == 0);
	buf_free(&out);
}

TEST(diff_deleted_list_item)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	/* The old item's id is a footnote's the new version has too. */
	CHECK(DIFF("<ol>\n<li id=\"fn-1\">Vanha viite</li>\n"
	    "<li id=\"fn-2\">Pysyy</li>\n</ol>\n",
	    "<ol>\n<li id=\"fn-1\">Pysyy</li>\n</ol>\n") == 0);
	HAS("<li>" DEL("Vanha viite") "</li>\n<li id=\"fn-1\">Pysyy</li>");
	CHECK(count(out.data, "id=") == 1);
	CHECK(st.blocks_deleted == 1 && st.words_deleted == 2);
	buf_free(&out);
}

TEST(diff_table_cell)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;
	const char *t =
	    "<section class=\"table-scroll\" tabindex=\"0\" "
	    "aria-labelledby=\"table-L36\"><table><caption id=\"table-L36\">"
	    "Henkilöstö</caption>\n<thead><tr><th scope=\"col\">Ryhmä</th>"
	    "<th scope=\"col\" class=\"num\">Määrä</th></tr></thead>\n"
	    "<tbody>\n<tr><td>Lääkärit</td><td class=\"num\">144</td></tr>\n"
	    "<tr><td>Psykologit</td><td class=\"num\">%s</td></tr>\n"
	    "</tbody>\n</table></section>\n";
	char o[1024], n[1024];

	snprintf(o, sizeof(o), t, "36");
	snprintf(n, sizeof(n), t, "38");
	CHECK(DIFF(o, n) == 0);
	HAS("<td class=\"num\">" DEL("36") INS("38") "</td>");
	HAS("<td>Lääkärit</td><td class=\"num\">144</td>");
	HAS("<td>Psykologit</td>");
	CHECK(count(out.data, "<del>") == 1 && count(out.data, "<ins>") == 1);
	CHECK(st.blocks_changed == 1);
	buf_free(&out);
}

TEST(diff_deleted_table_row)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<table>\n<tbody>\n<tr><td>A</td><td>1</td></tr>\n"
	    "<tr><td headers=\"h1\">B</td><td>2</td></tr>\n</tbody>\n"
	    "</table>\n",
	    "<table>\n<tbody>\n<tr><td>A</td><td>1</td></tr>\n</tbody>\n"
	    "</table>\n") == 0);
	HAS("<tbody>\n<tr><td>A</td><td>1</td></tr>\n<tr><td>" DEL("B")
	    "</td><td>" DEL("2") "</td></tr>\n</tbody>");
	CHECK(strstr(out.data, "headers") == NULL);
	CHECK(st.blocks_deleted == 1);
	buf_free(&out);
}

TEST(diff_inserted_paragraph)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<p>Ensimmäinen.</p>\n<p>Kolmas.</p>\n",
	    "<p>Ensimmäinen.</p>\n<p>Toinen <a href=\"/x/\">linkki</a>.</p>\n"
	    "<p>Kolmas.</p>\n") == 0);
	CHECK_STR(out.data, "<p>Ensimmäinen.</p>\n<p>" INS("Toinen ")
	    "<a href=\"/x/\">" INS("linkki") "</a>" INS(".") "</p>\n"
	    "<p>Kolmas.</p>\n");
	CHECK(st.blocks_inserted == 1 && st.words_inserted == 3);
	buf_free(&out);
}

TEST(diff_deleted_heading)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<h2 id=\"tausta\">Tausta <a class=\"anchor\" "
	    "href=\"#tausta\" aria-label=\"Linkki tähän otsikkoon: Tausta\">#"
	    "</a></h2>\n<p>Teksti.</p>\n", "<p>Teksti.</p>\n") == 0);
	HAS("<h2>" DEL("Tausta "));
	CHECK(strstr(out.data, "id=") == NULL);
	CHECK(strstr(out.data, "anchor") == NULL);
	CHECK(strstr(out.data, "#") == NULL);
	CHECK(st.blocks_deleted == 1 && st.words_deleted == 1);
	buf_free(&out);
}

TEST(diff_changed_heading_keeps_new_anchor)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<h2 id=\"avoimet-tehtavat\">Avoimet tehtävät <a "
	    "class=\"anchor\" href=\"#avoimet-tehtavat\">#</a></h2>\n",
	    "<h2 id=\"avoimet-tyot\">Avoimet työt <a "
	    "class=\"anchor\" href=\"#avoimet-tyot\">#</a></h2>\n") == 0);
	CHECK_STR(out.data, "<h2 id=\"avoimet-tyot\">Avoimet "
	    DEL("tehtävät") INS("työt") " <a class=\"anchor\" "
	    "href=\"#avoimet-tyot\">#</a></h2>\n");
	buf_free(&out);
}

TEST(diff_link_target_only)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<p>Lue <a href=\"/vanha/\">lisää</a> tästä.</p>\n",
	    "<p>Lue <a href=\"/uusi/\">lisää</a> tästä.</p>\n") == 0);
	CHECK(out.len > 0);
	CHECK_STR(out.data, "<p>Lue <a href=\"/uusi/\">lisää</a> tästä.</p>\n");
	CHECK(st.markup_only == 1);
	CHECK(st.words_inserted == 0 && st.words_deleted == 0);

	/* Emphasis only. */
	CHECK(DIFF("<p>Tärkeä asia.</p>", "<p><strong>Tärkeä</strong> asia.</p>")
	    == 0);
	CHECK(st.markup_only == 1);
	CHECK(strstr(out.data, "<ins>") == NULL);
	buf_free(&out);
}

TEST(diff_identical)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;
	const char *p = "<h2 id=\"a\">A</h2>\n<p>Sama teksti.</p>\n";

	buf_puts(&out, "ennen");
	CHECK(diff_html(p, strlen(p), p, strlen(p), &labels, &out, &st) == -1);
	CHECK_STR(out.data, "ennen");
	CHECK(st.blocks_changed == 0 && !st.markup_only);
	CHECK(diff_html("", 0, "", 0, &labels, &out, NULL) == -1);
	CHECK(diff_html(NULL, 0, "\n \n", 3, &labels, &out, NULL) == -1);
	CHECK_STR(out.data, "ennen");

	/* The output is appended to what is there. */
	CHECK(diff_html("<p>a</p>", 8, "<p>b</p>", 8, &labels, &out, NULL) ==
	    0);
	CHECK(strncmp(out.data, "ennen<p>", 8) == 0);
	buf_free(&out);
}

#define CHART \
	"<figure class=\"chart chart-bar\" aria-labelledby=\"chart-L%d-title\">\n" \
	"<figcaption id=\"chart-L%d-title\">Osuudet</figcaption>\n" \
	"<svg role=\"img\" aria-labelledby=\"chart-L%d-svgtitle\" " \
	"viewBox=\"0 0 400 100\"><title id=\"chart-L%d-svgtitle\">Osuudet" \
	"</title><defs><pattern id=\"chart-L%d-p0\" width=\"8\" height=\"8\">" \
	"<rect width=\"8\" height=\"8\" fill=\"#1f5fa8\"/></pattern></defs>\n" \
	"<rect x=\"1\" y=\"30\" width=\"%d\" height=\"24\" " \
	"fill=\"url(#chart-L%d-p0)\"/><text x=\"286\" y=\"47\">32 %%</text>\n" \
	"</svg>\n" \
	"<div class=\"chart-table\"><section class=\"table-scroll\" " \
	"tabindex=\"0\" aria-labelledby=\"chart-L%d-table\"><table><caption " \
	"id=\"chart-L%d-table\">Osuudet taulukkona</caption>\n" \
	"<tbody>\n<tr><th scope=\"row\">Psykologit</th><td class=\"num\">%d" \
	"</td></tr>\n</tbody>\n</table></section>\n</div>\n</figure>\n"

static void
chart(char *b, size_t cap, const char *before, int line, int width, int v)
{
	snprintf(b, cap, "%s" CHART, before, line, line, line, line, line,
	    width, line, line, line, v);
}

TEST(diff_chart_id_shift)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;
	char o[4096], n[4096];

	chart(o, sizeof(o), "<p>Johdanto.</p>\n", 18, 279, 32);
	chart(n, sizeof(n), "<p>Johdanto.</p>\n", 20, 279, 32);
	CHECK(DIFF(o, n) == -1);
	CHECK(out.len == 0);

	/* A line more above: the chart's ids shift, it is the same. */
	chart(n, sizeof(n), "<p>Johdanto.</p>\n<p>Uusi.</p>\n", 20, 279, 32);
	CHECK(DIFF(o, n) == 0);
	CHECK(st.blocks_inserted == 1 && st.words_inserted == 1);
	CHECK(st.words_deleted == 0 && st.blocks_changed == 0);
	CHECK(count(out.data, "<ins>") == 1);
	buf_free(&out);
}

TEST(diff_chart_changed)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;
	char o[4096], n[4096];

	chart(o, sizeof(o), "", 18, 279, 32);
	chart(n, sizeof(n), "", 20, 288, 33);
	CHECK(DIFF(o, n) == 0);
	/* The old drawing whole, its ids renamed so that it still draws. */
	HAS("<del><span class=\"visually-hidden\">Poistettu:</span><svg "
	    "role=\"img\" aria-labelledby=\"diff-old-chart-L18-svgtitle\"");
	HAS("<pattern id=\"diff-old-chart-L18-p0\"");
	HAS("fill=\"url(#diff-old-chart-L18-p0)\"");
	HAS("<ins><span class=\"visually-hidden\">Lisätty:</span><svg "
	    "role=\"img\" aria-labelledby=\"chart-L20-svgtitle\"");
	/* The table, cell by cell. */
	HAS("<td class=\"num\">" DEL("32") INS("33") "</td>");
	CHECK(count(out.data, "<figure") == 1);
	CHECK(count(out.data, "<table") == 1);
	buf_free(&out);
}

TEST(diff_emphasis_nesting)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<p>Tämä on <em>tärkeä asia</em> meille.</p>",
	    "<p>Tämä on <em>hyvin <strong>tärkeä</strong></em> asia "
	    "<a href=\"/x/\">kaikille</a>.</p>") == 0);
	HAS("<em>" INS("hyvin ") "<strong>tärkeä</strong></em>");
	HAS("<a href=\"/x/\">" INS("kaikille") "</a>");
	CHECK(strstr(out.data, DEL("meille.")) != NULL ||
	    strstr(out.data, DEL("meille")) != NULL);

	/* Old markup across the change, none of it in the new. */
	CHECK(DIFF("<p>a <b>b <i>c d</i> e</b> f</p>",
	    "<p>a <i>x <b>c</b></i> y f</p>") == 0);
	CHECK(st.words_deleted > 0 && st.words_inserted > 0);

	/* Strikethrough in the text is not a change. */
	CHECK(DIFF("<p>Hinta <del>10</del> 8 euroa.</p>",
	    "<p>Hinta <del>10</del> 7 euroa.</p>") == 0);
	HAS("<s>10</s> " DEL("8") INS("7"));
	CHECK(count(out.data, "<del>") == 1);
	buf_free(&out);
}

TEST(diff_pre_whitespace)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<pre><code>a\n  b\n</code></pre>\n",
	    "<pre><code>a\n    b\n</code></pre>\n") == 0);
	HAS("<pre><code>a\n" DEL("  ") INS("    ") "b\n</code></pre>");

	/* Elsewhere whitespace is whitespace. */
	CHECK(DIFF("<p>a b</p>\n", "<p>a\n b</p>\n\n") == -1);
	buf_free(&out);
}

TEST(diff_list_structure_changes)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	/* A nested list added under an item, and a whole list removed. */
	CHECK(DIFF("<ul>\n<li>Yksi</li>\n<li>Kaksi</li>\n</ul>\n"
	    "<ol>\n<li>Pois</li>\n</ol>\n<p>Loppu.</p>\n",
	    "<ul>\n<li>Yksi\n<ul>\n<li>Alakohta</li>\n</ul>\n</li>\n"
	    "<li>Kaksi</li>\n</ul>\n<p>Loppu.</p>\n") == 0);
	HAS("<ul>\n<li>" INS("Alakohta") "</li>\n</ul>");
	HAS("<ol>\n<li>" DEL("Pois") "</li>\n</ol>");
	CHECK(st.blocks_inserted == 1 && st.blocks_deleted == 1);

	/* Blockquotes are compared inside. */
	CHECK(DIFF("<blockquote>\n<p>Sitaatti yksi.</p>\n<p>Kaksi.</p>\n"
	    "</blockquote>\n", "<blockquote>\n<p>Sitaatti yksi.</p>\n"
	    "<p>Kolme.</p>\n</blockquote>\n") == 0);
	HAS("<blockquote>\n<p>Sitaatti yksi.</p>\n<p>" DEL("Kaksi.")
	    INS("Kolme.") "</p>\n</blockquote>");
	buf_free(&out);
}

TEST(diff_different_paragraphs_do_not_pair)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;

	CHECK(DIFF("<p>Ensin oli tämä pitkä kappale aivan muusta aiheesta.</p>\n",
	    "<p>Nyt tilalla on uusi teksti, jossa ei ole samoja sanoja.</p>\n")
	    == 0);
	CHECK(count(out.data, "<p>") == 2);
	CHECK(st.blocks_deleted == 1 && st.blocks_inserted == 1 &&
	    st.blocks_changed == 0);
	buf_free(&out);
}

static void
garbage(const char *o, size_t olen, const char *n, size_t nlen)
{
	struct buf out = BUF_INIT;
	struct diff_stats st;
	int rc;

	rc = diff_html(o, olen, n, nlen, &labels, &out, &st);
	CHECK(rc == 0 || rc == -1);
	CHECK(rc == 0 ? out.len > 0 : out.len == 0);
	CHECK(count(out.data ? out.data : "", "<ins>") ==
	    count(out.data ? out.data : "", "</ins>"));
	CHECK(count(out.data ? out.data : "", "<del>") ==
	    count(out.data ? out.data : "", "</del>"));
	CHECK(diff_html(o, olen, o, olen, &labels, &out, NULL) == -1);
	buf_free(&out);
}

#define GARBAGE(o, n)	garbage((o), sizeof(o) - 1, (n), sizeof(n) - 1)

TEST(diff_garbage)
{
	static const char nul[] = "<p>a\0b <b\0>c</p>\0<ul><li>\0";
	size_t i;
	char *deep, *deep2;

	GARBAGE("<p>a <b>b", "<p>a <b>c");
	GARBAGE("</p></ul></li>x", "<li><li><td>y</tr>");
	GARBAGE("< a <", "<<<<><>");
	GARBAGE("<p title=\"x>y", "<p title='x>y'>z</p>");
	GARBAGE("<!-- x", "<!-- x -->y<!x");
	GARBAGE("<ins>a</ins><del>b", "<INS>a</del></ins><del x>c");
	GARBAGE("<p>a</p>", "<p title=\"<ins>\">a</p>");
	GARBAGE("<script>if (a<b) x</script>", "<script>if (a<c)");
	GARBAGE("<svg><p>x</svg></p>", "<svg/><hr/><hr>");
	GARBAGE("<a class=\"anchor\">#</a>", "");
	GARBAGE("", "<table><tr>x<td>y</td></tr></table>");
	GARBAGE("<ul>x<li>a</li></ul>", "<ul>y<li>b</li></ul>");
	GARBAGE("<h2><a class=anchor>#</a></h2>", "<p>");
	garbage(nul, sizeof(nul) - 1, nul + 3, sizeof(nul) - 4);
	garbage(nul, sizeof(nul) - 1, "", 0);

	/* 10,000 levels: the depth is capped, not the stack. */
	deep = malloc(10000 * 11 + 16);
	deep2 = malloc(10000 * 11 + 16);
	deep[0] = deep2[0] = '\0';
	for (i = 0; i < 10000; i++) {
		memcpy(deep + i * 5, "<div>", 5);
		memcpy(deep2 + i * 3, "<b>", 3);
	}
	memcpy(deep + 50000, "x", 2);
	memcpy(deep2 + 30000, "y", 2);
	garbage(deep, strlen(deep), deep2, strlen(deep2));
	strcpy(deep2, deep);
	deep2[50000] = 'y';
	for (i = 0; i < 10000; i++)
		memcpy(deep2 + 50001 + i * 6, "</div>", 6);
	deep2[50001 + 60000] = '\0';
	garbage(deep, strlen(deep), deep2, strlen(deep2));
	free(deep);
	free(deep2);
}

/*
 * Pages of a few megabytes: the right marks, and a bounded result where
 * the work budget runs out. (Speed is measured by make bench, not here.)
 */
TEST(diff_large)
{
	struct buf o = BUF_INIT, n = BUF_INIT, out = BUF_INIT;
	struct diff_stats st;
	size_t i;
	int intag;

	for (i = 0; i < 20000; i++) {
		buf_printf(&o, "<h3 id=\"h%zu\">Otsikko %zu</h3>\n<p>Kappale %zu "
		    "jossa on sanoja ja <em>korostus</em> sekä luku %zu.</p>\n",
		    i, i, i, i * 7);
		buf_printf(&n, "<h3 id=\"h%zu\">Otsikko %zu</h3>\n<p>Kappale %zu "
		    "jossa on sanoja ja <em>korostus</em> sekä luku %zu.</p>\n",
		    i, i, i, i % 100 == 0 ? i * 7 + 1 : i * 7);
	}
	CHECK(diff_html(o.data, o.len, n.data, n.len, &labels, &out, &st) == 0);
	CHECK(st.blocks_changed == 200 && st.words_inserted == 200);
	/* Every word different: given up on, shown whole, still quick. */
	for (i = 0, intag = 0; i < n.len; i++)
		if (n.data[i] == '<' || n.data[i] == '>')
			intag = n.data[i] == '<';
		else if (!intag && n.data[i] >= 'a' && n.data[i] <= 'z')
			n.data[i] = (char)('a' + (n.data[i] - 'a' + 1) % 26);
	buf_reset(&out);
	CHECK(diff_html(o.data, o.len, n.data, n.len, &labels, &out, &st) == 0);
	CHECK(count(out.data, "<ins>") == count(out.data, "</ins>"));
	/* One paragraph of a megabyte, one word changed. */
	buf_reset(&o);
	buf_reset(&n);
	buf_puts(&o, "<p>");
	for (i = 0; i < 100000; i++)
		buf_printf(&o, "sana%zu ", i % 977);
	buf_puts(&n, o.data);
	n.data[500000] = n.data[500000] == 'x' ? 'y' : 'x';
	buf_reset(&out);
	CHECK(diff_html(o.data, o.len, n.data, n.len, &labels, &out, &st) == 0);
	CHECK(st.words_inserted == 1 && st.words_deleted == 1);
	buf_free(&o);
	buf_free(&n);
	buf_free(&out);
}
