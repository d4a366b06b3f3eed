#include <stdio.h>
#include <stdlib.h>

#include "chart.h"
#include "test.h"
#include "yaml.h"

/* Data as the site would load it: file base names to rows. */
static const char data_yaml[] =
    "henkilosto:\n"
    "  - {yksikko: Keskusta, lkm: 12345, osuus: 12.50, muutos: -5}\n"
    "  - {yksikko: \"<script>alert(1)</script>\", lkm: 1234.5, "
    "osuus: 9, muutos: ~}\n"
    "  - {yksikko: Itä, lkm: 100, osuus: 78.5, muutos: 3}\n"
    "luvut:\n"
    "  - {n: a, v: 10}\n"
    "  - {n: b, v: 9}\n"
    "  - {n: c, v: 100}\n"
    "  - {n: d, v: 9}\n"
    "jakauma:\n"
    "  - {alue: Pohjoinen, miehet: 48.5, naiset: 51.5}\n"
    "  - {alue: Etelä, miehet: 50, naiset: 49.6}\n"
    "vuodet:\n"
    "  - {vuosi: \"2019\", otsikko: Alku, kuvaus: Yhdistys perustettiin.}\n"
    "  - {vuosi: \"2021\", otsikko: Kasvu, kuvaus: Jäseniä tuli lisää.}\n"
    "asetus: {a: 1}\n"
    "sanat: [yksi, kaksi]\n"
    "tyhja: []\n";

struct fix {
	struct arena	 a;
	struct diags	 d;
	struct value	*data;
	struct value	*i18n;
	struct buf	 out;
};

static void
fix_init(struct fix *f)
{
	struct diags d = DIAGS_INIT;

	memset(f, 0, sizeof(*f));
	f->data = yaml_parse(&f->a, data_yaml, strlen(data_yaml), "data", 0,
	    &d);
	CHECK(f->data != NULL && d.len == 0);
	diags_free(&d);
}

static void
fix_free(struct fix *f)
{
	buf_free(&f->out);
	diags_free(&f->d);
	arena_free(&f->a);
}

/* Renders a block whose spec starts on line 12 of page.md. */
static int
render(struct fix *f, const char *kind, const char *spec)
{
	return chart_block(&f->a, kind, spec, strlen(spec), "page.md", 12,
	    f->data, f->i18n, &f->out, NULL, &f->d);
}

static const char *
out(const struct fix *f)
{
	return f->out.data ? f->out.data : "";
}

static int
has(const struct fix *f, const char *s)
{
	return strstr(out(f), s) != NULL;
}

/* Whether a occurs in the output, and before b. */
static int
before(const struct fix *f, const char *a, const char *b)
{
	const char *pa = strstr(out(f), a), *pb = strstr(out(f), b);

	return pa != NULL && pb != NULL && pa < pb;
}

/* Exactly one diagnostic, an error at line, whose message contains msg. */
static int
one_error(const struct fix *f, unsigned line, const char *msg)
{
	if (f->d.len != 1) {
		printf("    %zu diagnostics\n", f->d.len);
		return 0;
	}
	if (f->d.v[0].line != line || strstr(f->d.v[0].msg, msg) == NULL)
		printf("    page.md:%u: %s\n", f->d.v[0].line, f->d.v[0].msg);
	return f->d.v[0].level == DIAG_ERROR && f->d.v[0].line == line &&
	    strstr(f->d.v[0].msg, msg) != NULL &&
	    strcmp(f->d.v[0].file, "page.md") == 0;
}

static int
hint_has(const struct fix *f, const char *s)
{
	return f->d.len > 0 && f->d.v[0].hint != NULL &&
	    strstr(f->d.v[0].hint, s) != NULL;
}

TEST(chart_table_default_columns)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: henkilosto.csv\ncaption: Väki\n")
	    == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, "<section class=\"table-scroll\" tabindex=\"0\" "
	    "aria-labelledby=\"table-L12\"><table>"
	    "<caption id=\"table-L12\">Väki</caption>"));
	CHECK(has(&f, "<thead><tr><th scope=\"col\">yksikko</th>"
	    "<th scope=\"col\" class=\"num\">lkm</th>"
	    "<th scope=\"col\" class=\"num\">osuus</th>"
	    "<th scope=\"col\" class=\"num\">muutos</th></tr></thead>"));
	CHECK(has(&f, "<tr><td>Keskusta</td>"));
	CHECK(has(&f, "</tbody>\n</table></section>\n"));
	fix_free(&f);
}

TEST(chart_table_columns_and_labels)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: henkilosto\ncolumns: [lkm, yksikko]\n"
	    "labels:\n  lkm: Henkilöä\n  yksikko: Yksikkö & osasto\n"
	    "caption: C\n") == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, "<tr><th scope=\"col\" class=\"num\">Henkilöä</th>"
	    "<th scope=\"col\">Yksikkö &amp; osasto</th></tr>"));
	CHECK(has(&f, "<tr><td class=\"num\">12\xc2\xa0" "345</td>"
	    "<td>Keskusta</td></tr>"));
	CHECK(!has(&f, "osuus"));
	fix_free(&f);
}

TEST(chart_table_sort_numeric)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: luvut.yaml\nsort: v\ncaption: C\n")
	    == 0);
	/* Numerically, and the two 9s keep their order (b before d). */
	CHECK(before(&f, "<td>b</td>", "<td>d</td>"));
	CHECK(before(&f, "<td>d</td>", "<td>a</td>"));
	CHECK(before(&f, "<td>a</td>", "<td>c</td>"));
	buf_reset(&f.out);
	CHECK(render(&f, "table", "data: luvut.yaml\nsort: -v\ncaption: C\n")
	    == 0);
	CHECK(before(&f, "<td>c</td>", "<td>a</td>"));
	CHECK(before(&f, "<td>a</td>", "<td>b</td>"));
	CHECK(before(&f, "<td>b</td>", "<td>d</td>"));
	CHECK(f.d.len == 0);
	fix_free(&f);
}

TEST(chart_table_sort_strings)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: henkilosto\ncolumns: [yksikko]\n"
	    "sort: yksikko\ncaption: C\n") == 0);
	/* Byte order: '<' < 'I' < 'K'. */
	CHECK(before(&f, "&lt;script&gt;", "<td>Itä</td>"));
	CHECK(before(&f, "<td>Itä</td>", "<td>Keskusta</td>"));
	buf_reset(&f.out);
	CHECK(render(&f, "table", "data: henkilosto\ncolumns: [yksikko]\n"
	    "sort: -yksikko\ncaption: C\n") == 0);
	CHECK(before(&f, "<td>Keskusta</td>", "<td>Itä</td>"));
	CHECK(before(&f, "<td>Itä</td>", "&lt;script&gt;"));
	fix_free(&f);
}

TEST(chart_table_finnish_numbers)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: henkilosto\ncaption: C\n") == 0);
	/* Thousands apart from 1 000 up, as tables group them. */
	CHECK(has(&f, "<td class=\"num\">1\xc2\xa0" "234,5</td>"));
	CHECK(has(&f, "<td class=\"num\">12\xc2\xa0" "345</td>"));
	CHECK(has(&f, "<td class=\"num\">12,50</td>"));
	CHECK(has(&f, "<td class=\"num\">78,5</td>"));
	CHECK(has(&f, "<td class=\"num\">100</td>"));
	/* A real minus sign, and an en dash for an empty numeric cell. */
	CHECK(has(&f, "<td class=\"num\">\xe2\x88\x92" "5</td>"));
	CHECK(has(&f, "<td class=\"num\">\xe2\x80\x93</td>"));
	fix_free(&f);
}

/* A whole number that may be a year is written as a year is. */
TEST(chart_table_years_stay_whole)
{
	struct fix f;
	const char *data = "v:\n  - {vuosi: 2024, lkm: 3548}\n"
	    "  - {vuosi: 1899, lkm: 2024.5}\n";
	struct diags d = DIAGS_INIT;

	fix_init(&f);
	f.data = yaml_parse(&f.a, data, strlen(data), "data", 0, &d);
	CHECK(render(&f, "table", "data: v\ncaption: C\n") == 0);
	CHECK(has(&f, "<td class=\"num\">2024</td>"));
	CHECK(has(&f, "<td class=\"num\">3\xc2\xa0" "548</td>"));
	CHECK(has(&f, "<td class=\"num\">1\xc2\xa0" "899</td>"));
	CHECK(has(&f, "<td class=\"num\">2\xc2\xa0" "024,5</td>"));
	diags_free(&d);
	fix_free(&f);
}

TEST(chart_numbers_without_source_text)
{
	struct fix f;
	struct value *rows, *row;

	fix_init(&f);
	/* Computed numbers have no source text: shortest form decides. */
	rows = value_list(&f.a);
	row = value_map(&f.a);
	value_append(&f.a, row, "v", value_number(&f.a, 1234567.25));
	value_push(&f.a, rows, row);
	row = value_map(&f.a);
	value_append(&f.a, row, "v", value_number(&f.a, -0.0001));
	value_push(&f.a, rows, row);
	row = value_map(&f.a);
	value_append(&f.a, row, "v", value_number(&f.a, 0.1 + 0.2));
	value_push(&f.a, rows, row);
	value_set(&f.a, f.data, "laskettu", rows);
	CHECK(render(&f, "table", "data: laskettu\ncaption: C\n") == 0);
	CHECK(has(&f, ">1\xc2\xa0" "234\xc2\xa0" "567,25<"));
	CHECK(has(&f, ">\xe2\x88\x92" "0,0001<"));
	CHECK(has(&f, ">0,3<"));
	fix_free(&f);
}

TEST(chart_table_escapes_data)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: henkilosto\ncaption: \"<b>x</b>\"\n"
	    "labels: {lkm: \"<i>\"}\n") == 0);
	CHECK(!has(&f, "<script"));
	CHECK(!has(&f, "<b>"));
	CHECK(!has(&f, "<i>"));
	CHECK(has(&f, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
	CHECK(has(&f, "&lt;b&gt;x&lt;/b&gt;"));
	fix_free(&f);
}

TEST(chart_table_without_caption)
{
	struct fix f;
	struct diags d = DIAGS_INIT;
	const char *i18n = "table: Table\n";

	fix_init(&f);
	CHECK(render(&f, "table", "data: luvut\n") == 0);
	CHECK(has(&f, "tabindex=\"0\" aria-label=\"Taulukko\"><table>\n"));
	CHECK(!has(&f, "<caption"));
	/* Recommended, not required: a warning. */
	CHECK(f.d.len == 1 && f.d.errors == 0 && f.d.v[0].line == 12);
	buf_reset(&f.out);
	f.i18n = yaml_parse(&f.a, i18n, strlen(i18n), "i18n", 0, &d);
	CHECK(render(&f, "table", "data: luvut\n") == 0);
	CHECK(has(&f, "aria-label=\"Table\""));
	diags_free(&d);
	fix_free(&f);
}

TEST(chart_bar_output)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: Henkilöstö\n"
	    "description: Keskustassa on eniten väkeä.\n"
	    "data: henkilosto.csv\nx: yksikko\ny: lkm\nunit: hlöä\n") == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, "<figure class=\"chart chart-bar\" "
	    "aria-labelledby=\"chart-L12-title\">\n"
	    "<figcaption id=\"chart-L12-title\">Henkilöstö</figcaption>\n"
	    "<svg role=\"img\" "
	    "aria-labelledby=\"chart-L12-svgtitle chart-L12-svgdesc\" "
	    "viewBox=\"0 0 400 "));
	/* The chart never scrolls: only the table has a scroll region. */
	CHECK(!has(&f, "chart-scroll"));
	CHECK(has(&f, "</svg>\n<p class=\"chart-desc\">"));
	CHECK(has(&f, "<title id=\"chart-L12-svgtitle\">Henkilöstö</title>"
	    "<desc id=\"chart-L12-svgdesc\">Keskustassa on eniten väkeä."
	    "</desc>"));
	CHECK(has(&f, "<p class=\"chart-desc\">Keskustassa on eniten väkeä."
	    "</p>"));
	/* Value labels carry the unit after a no-break space. */
	CHECK(has(&f, ">12\xc2\xa0" "345\xc2\xa0hlöä</text>"));
	CHECK(has(&f, "<caption id=\"chart-L12-table\">Henkilöstö \xe2\x80\x93"
	    " Kaavion tiedot taulukkona</caption>"));
	CHECK(has(&f, "<th scope=\"col\" class=\"num\">lkm (hlöä)</th>"));
	CHECK(has(&f, "<tr><th scope=\"row\">Keskusta</th>"
	    "<td class=\"num\">12\xc2\xa0" "345</td></tr>"));
	CHECK(!has(&f, "<script"));
	CHECK(!has(&f, "<?xml"));
	CHECK(has(&f, "</table></section>\n</div>\n</figure>\n"));
	fix_free(&f);
}

TEST(chart_bar_without_description)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\ndata: luvut\nx: n\ny: v\n") ==
	    0);
	CHECK(has(&f, "aria-labelledby=\"chart-L12-svgtitle\" viewBox"));
	CHECK(!has(&f, "<desc"));
	CHECK(!has(&f, "chart-desc"));
	fix_free(&f);
}

/* A segment too narrow for its value has it under the bar, pointed to. */
TEST(chart_stacked_narrow_segment_keeps_its_value)
{
	struct fix f;
	const char *data = "o:\n  - {palvelu: Kotihoito, oma: 79, osto: 3, "
	    "seteli: 18}\n";
	struct diags d = DIAGS_INIT;

	fix_init(&f);
	f.data = yaml_parse(&f.a, data, strlen(data), "data", 0, &d);
	CHECK(render(&f, "chart", "type: stacked\ntitle: T\ndata: o\n"
	    "x: palvelu\ny: [oma, osto, seteli]\n") == 0);
	/* 79 and 18 inside their segments, 3 under its own with a line. */
	CHECK(has(&f, ">79\xc2\xa0%</text>"));
	CHECK(has(&f, ">18\xc2\xa0%</text>"));
	CHECK(has(&f, ">3\xc2\xa0%</text>"));
	CHECK(has(&f, "<path d=\"M322,"));
	diags_free(&d);
	fix_free(&f);
}

TEST(chart_stacked_output)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "type: stacked\ntitle: Sukupuoli\n"
	    "data: jakauma\nx: alue\ny: [miehet, naiset]\n"
	    "labels: {miehet: Miehet, naiset: Naiset}\n") == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, "<figure class=\"chart chart-stacked\""));
	CHECK(has(&f, "<pattern id=\"chart-L12-p0\""));
	CHECK(has(&f, "<pattern id=\"chart-L12-p1\""));
	CHECK(has(&f, "fill=\"url(#chart-L12-p1)\""));
	CHECK(has(&f, ">Miehet</text>"));
	CHECK(has(&f, ">Naiset</text>"));
	CHECK(has(&f, ">51,5\xc2\xa0%</text>"));
	CHECK(has(&f, "<th scope=\"col\" class=\"num\">Naiset (%)</th>"));
	CHECK(has(&f, "<td class=\"num\">49,6</td>"));
	fix_free(&f);
}

TEST(chart_pattern_ids_unique_per_chart)
{
	struct fix f;
	const char *spec = "type: stacked\ntitle: S\ndata: jakauma\nx: alue\n"
	    "y: [miehet, naiset]\n";

	fix_init(&f);
	CHECK(chart_block(&f.a, "chart", spec, strlen(spec), "page.md", 40,
	    f.data, NULL, &f.out, NULL, &f.d) == 0);
	CHECK(render(&f, "chart", spec) == 0);
	CHECK(has(&f, "id=\"chart-L40-p0\""));
	CHECK(has(&f, "id=\"chart-L12-p0\""));
	CHECK(has(&f, "id=\"chart-L40-title\""));
	fix_free(&f);
}

TEST(chart_timeline_output)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "type: timeline\ntitle: Historia\n"
	    "description: Tärkeimmät vuodet.\ndata: vuodet\nx: vuosi\n"
	    "y: otsikko\ntext: kuvaus\n") == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, "<figure class=\"chart chart-timeline\""));
	CHECK(has(&f, ">2019</text>"));
	CHECK(has(&f, ">Alku</text>"));
	CHECK(has(&f, ">Yhdistys perustettiin.</text>"));
	CHECK(has(&f, "<tr><th scope=\"row\">2021</th><td>Kasvu</td>"
	    "<td>Jäseniä tuli lisää.</td></tr>"));
	CHECK(before(&f, "<circle", "</svg>"));
	fix_free(&f);
}

/*
 * The lines of the first <text> at or after p, joined with spaces into
 * dst. Returns the number of lines, or 0 if there is no <text>; sets
 * *widest to the characters of the longest line.
 */
static size_t
text_lines(const char *p, char *dst, size_t dstsz, size_t *widest)
{
	const char *end, *q, *e;
	size_t n = 0, len = 0, c;

	*widest = 0;
	dst[0] = '\0';
	if ((p = strstr(p, "<text ")) == NULL ||
	    (end = strstr(p, "</text>")) == NULL)
		return 0;
	for (q = strchr(p, '>') + 1; q < end; q = e) {
		if (strncmp(q, "<tspan", 6) == 0) {
			q = strchr(q, '>') + 1;
			e = strstr(q, "</tspan>");
		} else
			e = end;
		if (e == NULL || e > end || len + (e - q) + 2 > dstsz)
			return 0;
		if (n++ > 0)
			dst[len++] = ' ';
		memcpy(dst + len, q, e - q);
		len += e - q;
		dst[len] = '\0';
		for (c = 0; q < e; q++)
			if (((unsigned char)*q & 0xc0) != 0x80)
				c++;
		if (c > *widest)
			*widest = c;
		if (strncmp(e, "</tspan>", 8) == 0)
			e += 8;
	}
	return n;
}

/* Removes the spaces of s, in place; returns s. */
static char *
squeeze(char *s)
{
	char *p, *q;

	for (p = q = s; *p != '\0'; p++)
		if (*p != ' ')
			*q++ = *p;
	*q = '\0';
	return s;
}

/* Rows of data "pitka": one long label and a short one. */
static void
long_rows(struct fix *f, const char *name)
{
	struct value *rows, *row;

	rows = value_list(&f->a);
	row = value_map(&f->a);
	value_append(&f->a, row, "n", value_cstring(&f->a, name));
	value_append(&f->a, row, "v", value_number(&f->a, 60));
	value_append(&f->a, row, "w", value_number(&f->a, 40));
	value_push(&f->a, rows, row);
	row = value_map(&f->a);
	value_append(&f->a, row, "n", value_cstring(&f->a, "Lyhyt"));
	value_append(&f->a, row, "v", value_number(&f->a, 30));
	value_append(&f->a, row, "w", value_number(&f->a, 70));
	value_push(&f->a, rows, row);
	value_set(&f->a, f->data, "pitka", rows);
}

TEST(chart_long_labels_wrap_without_loss)
{
	struct fix f;
	char lines[512];
	size_t widest;
	const char *name = "Pohjois-Pohjanmaan sairaanhoitopiirin "
	    "kuntayhtymän erikoissairaanhoidon palvelualue, joka on pitkä";

	fix_init(&f);
	long_rows(&f, name);
	CHECK(render(&f, "chart", "title: T\ndata: pitka\nx: n\ny: v\n") ==
	    0);
	/* On lines of their own above the bars, whole, no tooltip... */
	CHECK(text_lines(strstr(out(&f), "<path"), lines, sizeof(lines),
	    &widest) == 3);
	CHECK_STR(lines, name);
	CHECK(widest <= 38);
	CHECK(!has(&f, "\xe2\x80\xa6"));
	CHECK(!has(&f, "<title>Pohjois"));
	CHECK(before(&f, ">Pohjois-Pohjanmaan", "<rect"));
	/* ...and in full in the table. */
	CHECK(has(&f, "<th scope=\"row\">Pohjois-Pohjanmaan sairaanhoitopiirin "
	    "kuntayhtymän erikoissairaanhoidon palvelualue, joka on pitkä"
	    "</th>"));
	fix_free(&f);
}

TEST(chart_narrow_and_never_truncated)
{
	struct fix f;
	struct buf name = BUF_INIT, spec = BUF_INIT;
	char *lines, *want;
	const char *p;
	size_t i, widest, n;

	/* 60 words, one of them longer than a line, and a long series. */
	for (i = 0; i < 60; i++)
		buf_printf(&name, "%ssana%zu", i ? " " : "", i);
	buf_puts(&name, " Kaksikymmentäkolmetuhattaneljäsataaviisikymmentä"
	    "kuusimiljoonaa loppu");
	lines = malloc(name.len + 64);
	want = squeeze(strdup(name.data));
	fix_init(&f);
	long_rows(&f, name.data);
	buf_printf(&spec, "type: stacked\ntitle: T\ndata: pitka\nx: n\n"
	    "y: [v, w]\nlabels: {w: \"%s\"}\n", name.data);
	for (i = 0; i < 2; i++) {
		buf_reset(&f.out);
		CHECK(render(&f, "chart", i == 0 ?
		    "title: T\ndata: pitka\nx: n\ny: v\n" : spec.data) == 0);
		CHECK(f.d.len == 0);
		CHECK(has(&f, "viewBox=\"0 0 400 "));
		CHECK(!has(&f, "\xe2\x80\xa6"));
		CHECK(!has(&f, "<title>sana0"));
		/* The row's label, and in the stacked legend the series'. */
		p = strstr(out(&f), i == 0 ? "<path" : "url(#chart-L12-p1)");
		n = text_lines(p, lines, name.len + 64, &widest);
		CHECK(n > 8);
		CHECK(widest <= 38);
		/* Every character, the long word broken in two. */
		CHECK_STR(squeeze(lines), want);
	}
	/* The stacked chart has a scale from 0 to 100 %. */
	CHECK(has(&f, ">0</text>"));
	CHECK(has(&f, ">75</text>"));
	CHECK(has(&f, ">100\xc2\xa0%</text>"));
	/* The timeline stays at its own narrow width. */
	buf_reset(&f.out);
	CHECK(render(&f, "chart", "type: timeline\ntitle: T\ndata: vuodet\n"
	    "x: vuosi\ny: otsikko\n") == 0);
	CHECK(has(&f, "viewBox=\"0 0 360 "));
	CHECK(!has(&f, "chart-scroll"));
	free(lines);
	free(want);
	buf_free(&name);
	buf_free(&spec);
	fix_free(&f);
}

TEST(chart_deterministic)
{
	struct fix f;
	const char *specs[] = {
		"title: B\ndata: henkilosto\nx: yksikko\ny: muutos\n",
		"type: stacked\ntitle: S\ndata: jakauma\nx: alue\n"
		    "y: [miehet, naiset]\nsort: -miehet\n",
		"type: timeline\ntitle: T\ndata: vuodet\nx: vuosi\n"
		    "y: otsikko\ntext: kuvaus\n",
	};
	char *first;
	size_t i;

	fix_init(&f);
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		buf_reset(&f.out);
		CHECK(render(&f, "chart", specs[i]) == 0);
		first = strdup(out(&f));
		buf_reset(&f.out);
		CHECK(render(&f, "chart", specs[i]) == 0);
		CHECK_STR(out(&f), first);
		free(first);
	}
	CHECK(f.d.len == 0);
	fix_free(&f);
}

TEST(chart_bar_negative_values)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: Muutos\ndata: henkilosto\n"
	    "x: yksikko\ny: muutos\nunit: '%'\n") == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, ">\xe2\x88\x92" "5\xc2\xa0%</text>"));
	/* The empty cell gets no bar, only a dash. */
	CHECK(has(&f, ">\xe2\x80\x93</text>"));
	fix_free(&f);
}

/* Errors: one diagnostic each, at the line in the page, nothing written. */

TEST(chart_error_unknown_key)
{
	struct fix f;

	fix_init(&f);
	buf_puts(&f.out, "before");
	CHECK(render(&f, "table", "data: luvut\ncolumnz:\n  - n\n") == -1);
	CHECK(one_error(&f, 13, "unknown key \"columnz\""));
	CHECK(hint_has(&f, "Did you mean \"columns\"?"));
	CHECK(hint_has(&f, "data, columns, labels, sort, caption"));
	CHECK_STR(out(&f), "before");
	fix_free(&f);
}

TEST(chart_error_unknown_key_for_type)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\ndata: luvut\nx: n\ny: v\n"
	    "text: n\n") == -1);
	CHECK(one_error(&f, 16, "unknown key \"text\" in a bar chart"));
	fix_free(&f);
}

TEST(chart_error_missing_key)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "data: luvut\nx: n\ny: v\n") == -1);
	CHECK(one_error(&f, 12, "needs the key \"title\""));
	fix_free(&f);
}

TEST(chart_error_empty_spec)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "") == -1);
	CHECK(one_error(&f, 12, "needs settings"));
	fix_free(&f);
}

TEST(chart_error_yaml_syntax)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\ndata: [luvut\n") == -1);
	CHECK(f.d.len == 1 && f.d.v[0].line >= 13);
	CHECK(out(&f)[0] == '\0');
	fix_free(&f);
}

TEST(chart_error_unknown_type)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\ntype: pie\ndata: luvut\nx: n\n"
	    "y: v\n") == -1);
	CHECK(one_error(&f, 13, "unknown chart type \"pie\""));
	CHECK(hint_has(&f, "timeline"));
	fix_free(&f);
}

TEST(chart_error_missing_data)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "caption: C\ndata: henkilsto.csv\n") == -1);
	CHECK(one_error(&f, 13, "no data file \"henkilsto\""));
	CHECK(hint_has(&f, "Did you mean \"henkilosto\"?"));
	CHECK(hint_has(&f, "Data files: henkilosto, luvut, jakauma"));
	fix_free(&f);
}

TEST(chart_error_data_not_rows)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "table", "data: asetus.yaml\n") == -1);
	CHECK(one_error(&f, 12, "is a map, not a list of rows"));
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: sanat.yml\n") == -1);
	CHECK(one_error(&f, 12, "row 1 of data \"sanat\" is a text"));
	fix_free(&f);
}

TEST(chart_error_empty_data)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\n\ndata: tyhja\nx: n\ny: v\n") ==
	    -1);
	CHECK(one_error(&f, 14, "data \"tyhja\" has no rows"));
	fix_free(&f);
}

TEST(chart_error_unknown_column)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\ndata: henkilosto\nx: yksikko\n"
	    "y: lukumaara\n") == -1);
	CHECK(one_error(&f, 15, "no column \"lukumaara\""));
	CHECK(hint_has(&f, "Columns in henkilosto: yksikko, lkm, osuus, "
	    "muutos."));
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: luvut\ncolumns:\n  - n\n  - w\n") ==
	    -1);
	CHECK(one_error(&f, 15, "no column \"w\""));
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: luvut\nsort: -x\n") == -1);
	CHECK(one_error(&f, 13, "cannot sort by \"x\""));
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: luvut\nlabels:\n  n: Nimi\n"
	    "  vv: Arvo\n") == -1);
	CHECK(one_error(&f, 15, "label for unknown column \"vv\""));
	fix_free(&f);
}

TEST(chart_error_not_a_number)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: T\ndata: henkilosto\nx: lkm\n"
	    "y: yksikko\n") == -1);
	CHECK(one_error(&f, 15, "row 1 (12345): \"Keskusta\" is not a "
	    "number"));
	fix_free(&f);
}

TEST(chart_error_stacked_sum)
{
	struct fix f;
	struct value *rows, *row;

	fix_init(&f);
	rows = value_list(&f.a);
	row = value_map(&f.a);
	value_append(&f.a, row, "x", value_cstring(&f.a, "Hyvä"));
	value_append(&f.a, row, "a", value_number(&f.a, 50));
	value_append(&f.a, row, "b", value_number(&f.a, 50));
	value_push(&f.a, rows, row);
	row = value_map(&f.a);
	value_append(&f.a, row, "x", value_cstring(&f.a, "Huono"));
	value_append(&f.a, row, "a", value_number(&f.a, 60));
	value_append(&f.a, row, "b", value_number(&f.a, 38.2));
	value_push(&f.a, rows, row);
	value_set(&f.a, f.data, "osuudet", rows);
	CHECK(render(&f, "chart", "type: stacked\ntitle: T\ndata: osuudet\n"
	    "x: x\ny: [a, b]\n") == -1);
	CHECK(one_error(&f, 16, "row 2 (Huono): the shares add up to 98.2, "
	    "not 100"));
	diags_free(&f.d);
	CHECK(render(&f, "chart", "type: stacked\ntitle: T\ndata: osuudet\n"
	    "x: x\ny: a\n") == -1);
	CHECK(one_error(&f, 16, "at least two columns"));
	fix_free(&f);
}

TEST(chart_error_too_many_rows)
{
	struct fix f;
	struct value *rows, *row;
	size_t i;

	fix_init(&f);
	rows = value_list(&f.a);
	for (i = 0; i < 1001; i++) {
		row = value_map(&f.a);
		value_append(&f.a, row, "n", value_number(&f.a, (double)i));
		value_append(&f.a, row, "v", value_number(&f.a, 1));
		value_push(&f.a, rows, row);
	}
	value_set(&f.a, f.data, "iso", rows);
	CHECK(render(&f, "chart", "title: T\ndata: iso\nx: n\ny: v\n") == -1);
	CHECK(one_error(&f, 13, "has 1001 rows; a bar chart shows at most "
	    "1000"));
	/* A table may be longer. */
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: iso\ncaption: C\n") == 0);
	CHECK(f.d.len == 0);
	fix_free(&f);
}

TEST(chart_error_bad_values_in_spec)
{
	struct fix f;

	fix_init(&f);
	CHECK(render(&f, "chart", "title: [a, b]\ndata: luvut\nx: n\ny: v\n")
	    == -1);
	CHECK(one_error(&f, 12, "\"title\" must be text"));
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: {a: 1}\n") == -1);
	CHECK(one_error(&f, 12, "must be the name of a data file"));
	diags_free(&f.d);
	CHECK(render(&f, "table", "data: luvut\ncolumns: n\n") == -1);
	CHECK(one_error(&f, 13, "must be a list of column names"));
	diags_free(&f.d);
	CHECK(render(&f, "chart", "title: T\ndata: luvut\nx: n\n"
	    "y: [v, v]\n") == -1);
	CHECK(one_error(&f, 15, "\"y\" of a bar chart is one column"));
	fix_free(&f);
}

TEST(chart_error_points_at_list_item)
{
	struct fix f;

	fix_init(&f);
	/* The second series is text: the error names its line. */
	CHECK(render(&f, "chart", "type: stacked\ntitle: T\ndata: henkilosto\n"
	    "x: yksikko\ny:\n  - lkm\n  - yksikko\n") == -1);
	CHECK(one_error(&f, 18, "column \"yksikko\" of data \"henkilosto\", "
	    "row 1 (Keskusta): \"Keskusta\" is not a number"));
	fix_free(&f);
}

TEST(chart_numeric_column_names)
{
	struct fix f;
	struct diags d = DIAGS_INIT;
	const char *y = "- {kunta: Oulu, 2023: 5}\n- {kunta: Turku, 2023: 7}\n";

	fix_init(&f);
	value_set(&f.a, f.data, "vuosi", yaml_parse(&f.a, y, strlen(y), "v",
	    0, &d));
	CHECK(render(&f, "chart", "title: T\ndata: vuosi\nx: kunta\n"
	    "y: 2023\n") == 0);
	CHECK(f.d.len == 0);
	CHECK(has(&f, "<th scope=\"col\" class=\"num\">2023</th>"));
	diags_free(&d);
	fix_free(&f);
}
