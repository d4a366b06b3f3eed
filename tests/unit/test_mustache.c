/*
 * What Valo relies on in the template engine beyond the Mustache spec
 * (tests/spec runs the spec itself): diagnostics, limits, escaping,
 * Valo's truthiness and rendering from many threads at once.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"
#include "test.h"
#include "yaml.h"

/* Adds templates given as name, source pairs, ending with NULL. */
static struct mu_set *
set_of(struct diags *d, const char *first, ...)
{
	struct mu_set *set = mu_set_new();
	const char *name, *src;
	va_list ap;

	va_start(ap, first);
	for (name = first; name != NULL; name = va_arg(ap, const char *)) {
		src = va_arg(ap, const char *);
		mu_set_add(set, name, name, src, strlen(src), d);
	}
	va_end(ap);
	return set;
}

/* Renders name against YAML data; returns the output, or the error. */
static char *
render_yaml(const struct mu_set *set, const char *name, const char *yaml)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct buf out = BUF_INIT;
	struct value *v;
	char *err = NULL;

	v = yaml_parse(&a, yaml, strlen(yaml), "data.yaml", 0, &d);
	if (mu_render(set, name, v, &out, &err) == -1) {
		buf_free(&out);
		out.data = err;
	}
	diags_free(&d);
	arena_free(&a);
	return out.data != NULL ? out.data : buf_detach(&out);
}

static int
contains(const char *s, const char *part)
{
	return s != NULL && strstr(s, part) != NULL;
}

TEST(mustache_check_reports_missing_templates)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = mu_set_new();
	const char *page = "<h1>é {{>header}}</h1>\n"
	    "  {{> footr }}\n"
	    "{{<base}}{{/base}}\n"
	    "{{>*dynamic}}\n";

	mu_set_add(set, "layouts/page.html", "layouts/page.html", page,
	    strlen(page), &d);
	mu_set_add(set, "footer", "footer.html", "f", 1, &d);
	CHECK(d.len == 0);
	CHECK(mu_set_has(set, "footer"));
	CHECK(!mu_set_has(set, "header"));

	/* Dynamic names are only known while rendering. */
	CHECK(mu_set_check(set, &d) == 3);
	CHECK(d.len == 3 && d.errors == 3);
	diags_sort(&d);
	CHECK_STR(d.v[0].file, "layouts/page.html");
	CHECK(d.v[0].line == 1 && d.v[0].col == 7);
	CHECK(contains(d.v[0].msg, "{{>header}}"));
	CHECK(contains(d.v[0].msg, "no template named \"header\""));
	CHECK(d.v[1].line == 2 && d.v[1].col == 3);
	CHECK_STR(d.v[1].hint, "Did you mean {{>footer}}?");
	CHECK(d.v[2].line == 3 && d.v[2].col == 1);
	CHECK(contains(d.v[2].msg, "{{<base}}"));
	CHECK(contains(d.v[2].hint, "\"base\""));
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_unclosed_section_is_an_error)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = mu_set_new();
	const char *src = "<ul>\n  {{#items}}\n    <li>{{.}}</li>\n</ul>\n";

	CHECK(mu_set_add(set, "list", "list.html", src, strlen(src), &d) ==
	    -1);
	CHECK(!mu_set_has(set, "list"));
	CHECK(d.len == 1);
	if (d.len == 1) {
		CHECK_STR(d.v[0].file, "list.html");
		CHECK(d.v[0].line == 2 && d.v[0].col == 3);
		CHECK_STR(d.v[0].msg, "{{#items}} is not closed");
		CHECK_STR(d.v[0].hint, "Close it with {{/items}}.");
	}
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_mismatched_close_is_an_error)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = mu_set_new();
	const char *src = "{{#a}}\n  x {{/b}}\n";

	CHECK(mu_set_add(set, "t", "t.html", src, strlen(src), &d) == -1);
	CHECK(d.len == 1);
	if (d.len == 1) {
		CHECK(d.v[0].line == 2 && d.v[0].col == 5);
		CHECK(contains(d.v[0].msg, "{{/b}} does not match {{#a}}"));
		CHECK(contains(d.v[0].msg, "line 1, column 1"));
		CHECK_STR(d.v[0].hint,
		    "Close {{#a}} with {{/a}} first, or fix the name.");
	}
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_malformed_tags_are_errors)
{
	static const struct {
		const char	*src;
		unsigned	 line, col;
		const char	*msg;
	} bad[] = {
		{ "ok\n{{/a}}", 2, 1, "{{/a}} closes nothing" },
		{ "a {{title", 1, 3, "{{ is not closed" },
		{ "{{{title}}", 1, 1, "{{{ is not closed" },
		{ "x\n\t{{! note", 2, 2, "{{! is not closed" },
		{ "{{ }}", 1, 1, "the {{}} tag has no name" },
		{ "{{#}}{{/}}", 1, 1, "the {{#}} tag has no name" },
		{ "{{first name}}", 1, 1, "contains a space" },
		{ "{{a..b}}", 1, 1, "has an empty part" },
		{ "{{=<%%>=}}", 1, 1, "two delimiters" },
		{ "{{<base}}{{$a}}{{/base}}", 1, 16, "does not match {{$a}}" },
	};
	struct diags d = DIAGS_INIT;
	struct mu_set *set = mu_set_new();
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		diags_free(&d);
		CHECK(mu_set_add(set, "t", "t", bad[i].src,
		    strlen(bad[i].src), &d) == -1);
		CHECK(d.len == 1);
		if (d.len != 1)
			continue;
		CHECK(d.v[0].line == bad[i].line && d.v[0].col == bad[i].col);
		CHECK(contains(d.v[0].msg, bad[i].msg));
		CHECK(d.v[0].hint != NULL);
	}
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_recursion_stops_with_an_error)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d,
	    "self", "x{{>self}}",
	    "a", "{{<b}}{{/b}}",
	    "b", "{{>a}}",
	    "tree", "{{name}}({{#kids}}{{>tree}}{{/kids}})",
	    NULL);
	struct buf out = BUF_INIT;
	char *err = NULL, *s;

	CHECK(d.len == 0);
	buf_puts(&out, "kept");
	CHECK(mu_render(set, "self", NULL, &out, &err) == -1);
	CHECK(contains(err, "{{>self}}"));
	CHECK(contains(err, "100 deep"));
	CHECK(contains(err, "self:1:2"));
	/* A failed render leaves the buffer as it found it. */
	CHECK_STR(out.data, "kept");
	free(err);
	err = NULL;
	CHECK(mu_render(set, "a", NULL, &out, &err) == -1);
	CHECK(err != NULL);
	free(err);

	/*
	 * Recursion that ends is fine. (Leaves need kids: [], or they
	 * would find their parent's kids down the context stack.)
	 */
	s = render_yaml(set, "tree", "{name: a, kids: [{name: b, kids: "
	    "[{name: c, kids: []}]}, {name: d, kids: []}]}");
	CHECK_STR(s, "a(b(c())d())");
	free(s);
	buf_free(&out);
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_unknown_template_is_an_error)
{
	struct mu_set *set = mu_set_new();
	struct buf out = BUF_INIT;
	char *err = NULL;

	CHECK(mu_render(set, "nope", NULL, &out, &err) == -1);
	CHECK(contains(err, "\"nope\""));
	free(err);
	buf_free(&out);
	mu_set_free(set);
	mu_set_free(NULL);
}

TEST(mustache_html_escaping)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d,
	    "t", "{{s}}|{{{s}}}|{{&s}}|{{=<% %>=}}<%s%>|<%{s}%>", NULL);
	char *s = render_yaml(set, "t", "s: \"a & b < c > d \\\" e ' f\"");

	CHECK_STR(s, "a &amp; b &lt; c &gt; d &quot; e &#39; f"
	    "|a & b < c > d \" e ' f|a & b < c > d \" e ' f"
	    "|a &amp; b &lt; c &gt; d &quot; e &#39; f"
	    "|a & b < c > d \" e ' f");
	free(s);
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_valo_truthiness)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d, "t",
	    "{{#zero}}0 is true {{/zero}}"
	    "{{^empty}}'' is false {{/empty}}"
	    "{{^none}}[] is false {{/none}}"
	    "{{#map}}{{k}} {{/map}}"
	    "[{{map}}][{{list}}]{{n}} {{f}} {{#list}}{{.}}{{/list}}",
	    NULL);
	char *s = render_yaml(set, "t", "{zero: 0, empty: '', none: [], "
	    "map: {k: v}, list: [1, 2.5], n: -3, f: false}");

	CHECK_STR(s, "0 is true '' is false [] is false v [][]-3 false 12.5");
	free(s);
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_layouts_keep_indentation)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d,
	    "base",
	    "<body>\n"
	    "  <main>\n"
	    "    {{$content}}\n"
	    "    <p>nothing here</p>\n"
	    "    {{/content}}\n"
	    "  </main>\n"
	    "  {{>footer}}\n"
	    "</body>\n",
	    "footer", "<footer>\n\n  {{year}}\n</footer>\n",
	    "page",
	    "{{<*layout}}\n"
	    "{{$content}}\n"
	    "<h1>{{title}}</h1>\n"
	    "{{#items}}\n"
	    "<p>{{.}}</p>\n"
	    "{{/items}}\n"
	    "{{/content}}\n"
	    "{{/*layout}}\n",
	    NULL);
	char *s;

	CHECK(d.len == 0);
	s = render_yaml(set, "page",
	    "{layout: base, title: Hi, year: 2024, items: [a, b]}");
	/* Blank lines of an indented partial stay blank. */
	CHECK_STR(s,
	    "<body>\n"
	    "  <main>\n"
	    "    <h1>Hi</h1>\n"
	    "    <p>a</p>\n"
	    "    <p>b</p>\n"
	    "  </main>\n"
	    "  <footer>\n"
	    "\n"
	    "    2024\n"
	    "  </footer>\n"
	    "</body>\n");
	free(s);
	s = render_yaml(set, "base", "{year: 1}");
	CHECK(contains(s, "\n    <p>nothing here</p>\n  </main>\n"));
	free(s);
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_inline_partials_are_not_indented)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d,
	    "outer", "<div>\n  {{>mid}}\n</div>\n",
	    "mid", "<p>{{>svg}}</p>\n{{>svg}}\n",
	    "svg", "<svg>\n</svg>",
	    NULL);
	char *s = render_yaml(set, "outer", "{}");

	/*
	 * Only lines a standalone tag expands are indented; a standalone
	 * tag's line ending goes with it, and svg has none of its own.
	 */
	CHECK_STR(s, "<div>\n  <p><svg>\n</svg></p>\n  <svg>\n  </svg>"
	    "</div>\n");
	free(s);
	diags_free(&d);
	mu_set_free(set);
}

TEST(mustache_later_add_replaces)
{
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d, "t", "one", "t", "two", NULL);
	char *s = render_yaml(set, "t", "{}");

	CHECK_STR(s, "two");
	free(s);
	diags_free(&d);
	mu_set_free(set);
}

#define NTHREADS	8
#define NRENDERS	200

struct job {
	const struct mu_set	*set;
	const struct value	*data;
	const char		*want;
	int			 bad;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct buf out = BUF_INIT;
	char *err = NULL;
	int i;

	for (i = 0; i < NRENDERS; i++) {
		buf_reset(&out);
		if (mu_render(j->set, "page", j->data, &out, &err) == -1) {
			free(err);
			err = NULL;
			j->bad++;
		} else if (strcmp(out.data, j->want) != 0)
			j->bad++;
	}
	buf_free(&out);
	return NULL;
}

TEST(mustache_threads_render_the_same)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct mu_set *set = set_of(&d,
	    "base", "<title>{{$title}}{{site}}{{/title}}</title>\n"
	    "  {{$body}}\n  {{/body}}\n",
	    "item", "<li>{{name}}{{#tags}} #{{.}}{{/tags}}</li>\n",
	    "page", "{{<base}}{{$title}}{{page.title}} - {{site}}{{/title}}"
	    "{{$body}}\n<ul>\n{{#page.items}}\n  {{>item}}\n{{/page.items}}\n"
	    "</ul>\n{{/body}}{{/base}}\n",
	    NULL);
	const char *y = "site: Valo\npage:\n  title: <Home>\n  items:\n"
	    "    - {name: a, tags: [x, y]}\n    - {name: b}\n"
	    "    - {name: c & d, tags: [z]}\n";
	struct value *data = yaml_parse(&a, y, strlen(y), "d.yaml", 0, &d);
	struct job jobs[NTHREADS];
	pthread_t th[NTHREADS];
	struct buf ref = BUF_INIT;
	char *err = NULL;
	int i, started = 0;

	CHECK(d.len == 0);
	CHECK(mu_render(set, "page", data, &ref, &err) == 0);
	CHECK_STR(ref.data, "<title>&lt;Home&gt; - Valo</title>\n"
	    "  <ul>\n"
	    "    <li>a #x #y</li>\n"
	    "    <li>b</li>\n"
	    "    <li>c &amp; d #z</li>\n"
	    "  </ul>\n");
	for (i = 0; i < NTHREADS; i++) {
		jobs[i].set = set;
		jobs[i].data = data;
		jobs[i].want = ref.data;
		jobs[i].bad = 0;
		if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0)
			break;
		started++;
	}
	CHECK(started == NTHREADS);
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		CHECK(jobs[i].bad == 0);
	}
	free(err);
	buf_free(&ref);
	diags_free(&d);
	arena_free(&a);
	mu_set_free(set);
}
