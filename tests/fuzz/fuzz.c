/*
 * libFuzzer targets for every parser of Valo, one per build: compile with
 * one of -DFUZZ_YAML, -DFUZZ_CSV, -DFUZZ_MUSTACHE, -DFUZZ_CHART,
 * -DFUZZ_FRONT_MATTER, -DFUZZ_CONFIG, -DFUZZ_CACHE, -DFUZZ_MARKDOWN,
 * -DFUZZ_DATE, -DFUZZ_SLUG, -DFUZZ_URL, -DFUZZ_RAWHTML,
 * -DFUZZ_HISTORY_CACHE, -DFUZZ_DIFF, -DFUZZ_DATA_NAMES, -DFUZZ_HYPHEN,
 * -DFUZZ_PLAIN, -DFUZZ_ICAL, -DFUZZ_CONSULT or -DFUZZ_SEARCH, and
 * -DFUZZ_ROOT=\"/path/of/the/repository\"
 * (tests/fuzz/lib.sh does; see tests/fuzz/README.md). Each feeds the
 * input to the parser and checks that it returns, with an error or a
 * value: crashes, leaks and undefined behaviour are found by the
 * sanitizers. DATE, SLUG, URL, DIFF and HYPHEN also check what the result must be, and
 * abort with "fuzz: ..." when it is not.
 *
 * The input is copied into a buffer of its own size plus a NUL, as every
 * caller in Valo passes text (struct buf is always NUL-terminated), so a
 * read past the end still shows up. MARKDOWN, CHART, FRONT_MATTER and
 * CACHE work against a fixed site, tests/fuzz/site/, loaded once.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "chart.h"
#include "config.h"
#include "consult.h"
#include "ical.h"
#include "plain.h"
#include "search.h"
#include "messages.h"
#include "content.h"
#include "csv.h"
#include "data.h"
#include "diff.h"
#include "history.h"
#include "hyphen.h"
#include "markdown.h"
#include "mustache.h"
#include "page_history.h"
#include "rawhtml.h"
#include "url.h"
#include "source.h"
#include "util/date.h"
#include "util/mem.h"
#include "util/text.h"
#include "yaml.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT	"."
#endif

#if !defined(FUZZ_YAML) && !defined(FUZZ_CSV) && !defined(FUZZ_MUSTACHE) && \
    !defined(FUZZ_CHART) && !defined(FUZZ_FRONT_MATTER) && \
    !defined(FUZZ_CONFIG) && !defined(FUZZ_CACHE) && \
    !defined(FUZZ_MARKDOWN) && !defined(FUZZ_DATE) && !defined(FUZZ_SLUG) && \
    !defined(FUZZ_URL) && !defined(FUZZ_RAWHTML) && \
    !defined(FUZZ_HISTORY_CACHE) && !defined(FUZZ_DIFF) && \
    !defined(FUZZ_DATA_NAMES) && !defined(FUZZ_HYPHEN) && \
    !defined(FUZZ_PLAIN) && !defined(FUZZ_ICAL) && !defined(FUZZ_CONSULT) && \
    !defined(FUZZ_SEARCH)
#error "define one of FUZZ_YAML, FUZZ_CSV, FUZZ_MUSTACHE, FUZZ_CHART, FUZZ_FRONT_MATTER, FUZZ_CONFIG, FUZZ_CACHE, FUZZ_MARKDOWN, FUZZ_DATE, FUZZ_SLUG, FUZZ_URL, FUZZ_RAWHTML, FUZZ_HISTORY_CACHE, FUZZ_DIFF, FUZZ_DATA_NAMES, FUZZ_HYPHEN, FUZZ_PLAIN, FUZZ_ICAL, FUZZ_CONSULT, FUZZ_SEARCH"
#endif

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A property the result must have: its failure is a finding. */
#define FUZZ_CHECK(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz: %s:%d: check failed: %s\n",	\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

#if defined(FUZZ_MARKDOWN) || defined(FUZZ_CHART) || \
    defined(FUZZ_FRONT_MATTER) || defined(FUZZ_CACHE)
/*
 * The fixed site: loaded, its data read and resolved once, like a build
 * does before it renders; read-only afterwards, except cfg.unsafe_html,
 * which MARKDOWN sets for each render.
 */
struct fuzz_file {
	char	*path;		/* "content/strategia/arvot.md" */
	char	*data;
	size_t	 len;
};

static struct {
	struct config	 cfg;
	struct source	*src;
	struct site	 site;
	struct arena	 arena;		/* the UI strings */
	struct value	*i18n;
	struct fuzz_file *files;	/* every file of content/, in memory */
	size_t		 nfiles;
} fz;

static void
fuzz_fail(const char *what, struct diags *d)
{
	msg_print(d, stderr, MSG_TEXT, 0);
	fprintf(stderr, "fuzz: cannot %s (%s/tests/fuzz/site)\n", what,
	    FUZZ_ROOT);
	exit(1);
}

static void
fuzz_site_load(void)
{
	struct diags d = DIAGS_INIT;
	struct source *root;
	struct buf b = BUF_INIT;
	size_t i;
	char *path;

	if ((fz.src = source_dir_open(FUZZ_ROOT "/tests/fuzz/site", &d)) ==
	    NULL || config_load(&fz.cfg, fz.src, "site.conf", &d) == -1)
		fuzz_fail("read site.conf", &d);
	site_init(&fz.site, &fz.cfg, fz.src);
	markdown_init();
	if (content_load(&fz.site, NULL, NULL, 1, &d) == -1 ||
	    data_load(&fz.site, &d) == -1 ||
	    content_resolve(&fz.site, &d) == -1 || d.errors)
		fuzz_fail("load the site", &d);
	if ((root = source_dir_open(FUZZ_ROOT, &d)) == NULL ||
	    source_read(root, "themes/default/i18n/fi.yaml", &b, 0, NULL) ==
	    -1 || (fz.i18n = yaml_parse(&fz.arena, b.data, b.len, "fi.yaml",
	    0, &d)) == NULL)
		fuzz_fail("read themes/default/i18n/fi.yaml", &d);
	source_free(root);
	fz.files = xcalloc(fz.site.content.len, sizeof(*fz.files));
	for (i = 0; i < fz.site.content.len; i++) {
		path = xasprintf("content/%s", fz.site.content.v[i].path);
		if (source_read(fz.src, path, &b, 0, NULL) == -1)
			fuzz_fail(path, &d);
		fz.files[i].path = path;
		fz.files[i].len = b.len;
		fz.files[i].data = buf_detach(&b);
	}
	fz.nfiles = fz.site.content.len;
	buf_free(&b);
	diags_free(&d);
}

static struct page *
fuzz_page(const char *src)
{
	struct page *p = site_page(&fz.site, src);

	if (p == NULL) {
		fprintf(stderr, "fuzz: no page %s in tests/fuzz/site\n", src);
		exit(1);
	}
	return p;
}
#endif

#if defined(FUZZ_FRONT_MATTER)
/*
 * A source (source.h) of the fixed site held in memory, with one more
 * page whose bytes are the input: loading the site reads its front matter
 * the way a build does, with the first kilobyte read first.
 */
#define FUZZ_PAGE	"strategia/fuzz.md"

struct mem_source {
	struct source	 base;
	const char	*page;
	size_t		 len;
};

static int
mem_list(struct source *base, const char *dir, struct source_list *l,
    struct diags *d)
{
	size_t i;

	(void)base;
	(void)d;
	if (strcmp(dir, "content") != 0)
		return 0;
	for (i = 0; i <= fz.site.content.len; i++) {
		l->v = xgrow(l->v, &l->cap, l->len + 1, sizeof(*l->v));
		memset(&l->v[l->len], 0, sizeof(l->v[l->len]));
		l->v[l->len++].path = xstrdup(i < fz.site.content.len ?
		    fz.site.content.v[i].path : FUZZ_PAGE);
	}
	source_list_sort(l);
	return 0;
}

static int
mem_read(struct source *base, const char *path, struct buf *out, size_t max,
    uint64_t *size)
{
	struct mem_source *s = (struct mem_source *)base;
	const char *data = NULL;
	size_t i, len = 0, want;

	if (strcmp(path, "content/" FUZZ_PAGE) == 0) {
		data = s->page;
		len = s->len;
	} else
		for (i = 0; i < fz.nfiles && data == NULL; i++)
			if (strcmp(fz.files[i].path, path) == 0) {
				data = fz.files[i].data;
				len = fz.files[i].len;
			}
	if (data == NULL) {
		errno = ENOENT;
		return -1;
	}
	want = max && len > max ? max : len;
	buf_reset(out);
	buf_put(out, data, want);
	if (size)
		*size = len;
	return 0;
}

static void
mem_free(struct source *base)
{
	(void)base;
}

static const struct source_ops mem_ops = { mem_list, mem_read, mem_free };
#endif

#if defined(FUZZ_MARKDOWN)
/* Renders text as the body of page src, as render.c does. */
static void
render_body(const char *src, int unsafe, const char *text, size_t len)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct md_result r;
	size_t i, n = 0;

	fz.cfg.unsafe_html = unsafe;
	markdown_render(&fz.site, fz.i18n, fuzz_page(src), text, len, &a, &r,
	    &d);
	/* What the caller reads afterwards must be there. */
	if (r.html != NULL)
		FUZZ_CHECK(strlen(r.html) == r.len);
	for (i = 0; i < r.nheadings; i++)
		n += strlen(r.headings[i].id) + strlen(r.headings[i].title);
	for (i = 0; i < r.nfragments; i++)
		n += strlen(r.fragments[i].to->url) +
		    strlen(r.fragments[i].id);
	(void)n;
	diags_free(&d);
	arena_free(&a);
}
#endif

#if defined(FUZZ_SLUG)
/* UTF-8 as the Unicode standard's table 3-7 has it, byte by byte. */
static int
utf8_reference(const unsigned char *s, size_t n, size_t *bad)
{
	size_t i = 0, k, len;
	unsigned c, lo, hi;

	while (i < n) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			break;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (i + len > n || s[i + 1] < lo || s[i + 1] > hi)
			break;
		for (k = 2; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				break;
		if (k < len)
			break;
		i += len;
	}
	*bad = i;
	return i == n;
}
#endif

#if defined(FUZZ_SEARCH)
static void
fuzz_search_word(void *arg, const char *w, size_t len)
{
	size_t n;

	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(search_stem(arg, w, len, &n) != NULL && n > 0);
}

/* Each word and a newline, to compare the two ways of finding them. */
static void
fuzz_collect_word(void *arg, const char *w, size_t len)
{
	buf_put(arg, w, len);
	buf_putc(arg, '\n');
}
#endif

#if defined(FUZZ_DATA_NAMES)
static const char	*data_names_input;
static size_t		 data_names_size;

static void
data_name_seen(const char *name, size_t len, void *arg)
{
	(void)arg;
	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(name >= data_names_input &&
	    name + len <= data_names_input + data_names_size);
}
#endif

#if defined(FUZZ_DIFF)
/*
 * The changes marked in diff_html's output: each <ins> and <del> closed,
 * none inside another (so as many <ins> as </ins>, <del> as </del>).
 */
static void
fuzz_diff_marks(const struct buf *b)
{
	static const char *const tags[] = { "<ins>", "</ins>", "<del>",
	    "</del>" };
	size_t i, k, len;
	int open = -1;		/* 0: in <ins>, 2: in <del> */

	for (i = 0; i < b->len; i++) {
		if (b->data[i] != '<')
			continue;
		for (k = 0; k < 4; k++) {
			len = strlen(tags[k]);
			if (b->len - i >= len &&
			    memcmp(b->data + i, tags[k], len) == 0)
				break;
		}
		if (k == 0 || k == 2) {
			FUZZ_CHECK(open == -1);
			open = (int)k;
		} else if (k == 1 || k == 3) {
			FUZZ_CHECK(open == (int)k - 1);
			open = -1;
		}
	}
	FUZZ_CHECK(open == -1);
}
#endif

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
#if defined(FUZZ_MARKDOWN) || defined(FUZZ_CHART) || \
    defined(FUZZ_FRONT_MATTER) || defined(FUZZ_CACHE)
	fuzz_site_load();
#endif
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	char *s = xmalloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';

#if defined(FUZZ_YAML)
	/* As data files are: no value may be an address that runs script. */
	url_check_value(yaml_parse(&a, s, size, "fuzz.yaml", 0, &d),
	    "fuzz.yaml", &d);
#elif defined(FUZZ_CSV)
	{
		/*
		 * Rows read are written back for download (csv_write_rows),
		 * and what is written reads back as the same number of rows.
		 */
		struct value *v = csv_read(&a, s, size, "fuzz.csv", &d);
		struct buf out = BUF_INIT;

		size_t bad;

		url_check_value(v, "fuzz.csv", &d);
		/*
		 * As data_load reads them: UTF-8 text (a NUL byte would end a
		 * column's name short, and the name read back is another).
		 */
		if (v != NULL && utf8_valid(s, size, &bad) &&
		    memchr(s, '\0', size) == NULL &&
		    csv_write_rows(v, &out) == 0) {
			struct diags d2 = DIAGS_INIT;
			struct value *w = csv_read(&a, out.data, out.len,
			    "back.csv", &d2);
			FUZZ_CHECK(w != NULL && w->len == v->len);
			diags_free(&d2);
		}
		buf_free(&out);
	}
#elif defined(FUZZ_MUSTACHE)
	{
		struct mu_set *set = mu_set_new();
		struct buf out = BUF_INIT;
		char *err = NULL;
		const char *y = "a: {b: [1, 2, {c: x}]}\nlist: [1, 2, 3]\n";
		struct value *ctx = yaml_parse(&a, y, strlen(y), "ctx", 0, &d);

		/* The template may name itself as a partial: recursion. */
		if (mu_set_add(set, "t", "t.mustache", s, size, &d) == 0) {
			mu_set_check(set, &d);
			mu_render(set, "t", ctx, &out, &err);
		}
		free(err);
		buf_free(&out);
		mu_set_free(set);
	}
#elif defined(FUZZ_CHART)
	{
		/* The spec as both kinds of block, with the site's data. */
		static const char *const kinds[] = { "chart", "table" };
		struct buf out = BUF_INIT;
		size_t i;

		for (i = 0; i < 2; i++) {
			buf_reset(&out);
			chart_block(&a, kinds[i], s, size, "fuzz.md", 1,
			    fz.site.data, fz.i18n, &out, NULL, &d);
		}
		buf_free(&out);
	}
#elif defined(FUZZ_FRONT_MATTER)
	{
		/*
		 * The input is a page of the site: its front matter is read
		 * and checked, then resolved with the other pages' (URL,
		 * slug, aliases, menus, order) even after errors in it, as
		 * build.c does.
		 */
		struct mem_source ms;
		struct site site;
		size_t i, shared;

		memset(&ms, 0, sizeof(ms));
		ms.base.ops = &mem_ops;
		ms.base.name = (char *)"fuzz";
		ms.page = s;
		ms.len = size;
		site_init(&site, &fz.cfg, &ms.base);
		content_load(&site, NULL, NULL, 1, &d);
		shared = d.errors;
		/* build.c: an address that runs script stops the build here. */
		for (i = 0; i < site.nloaded; i++)
			url_check_value(site.all[i]->fm, site.all[i]->file, &d);
		if (d.errors == shared)
			content_resolve(&site, &d);
		site_free(&site);
	}
#elif defined(FUZZ_CONFIG)
	{
		struct config cfg;

		config_parse(&cfg, s, size, "site.conf", &d);
		config_free(&cfg);
	}
#elif defined(FUZZ_CACHE)
	{
		/*
		 * A damaged rebuild cache must read as an empty one; each page
		 * record it holds gives front matter, ids and links, whose
		 * targets are looked up in the site.
		 */
		struct cache c;
		struct buf out = BUF_INIT;
		struct value *fm;
		size_t i;

		cache_parse(&c, s, size);	/* c owns s now */
		s = NULL;
		cache_accept(&c, c.key);
		for (i = 0; i < c.len && i < 64; i++) {
			struct page p;

			memset(&p, 0, sizeof(p));
			p.src = c.v[i].src;
			memcpy(p.id, c.v[i].id, sizeof(p.id));
			if ((fm = cache_front_matter(&c, &p, &a)) != NULL)
				value_write(fm, &out);
			if (cache_restore(&c, &fz.site, &p))
				page_forget(&p);
		}
		buf_free(&out);
		cache_free(&c);
	}
#elif defined(FUZZ_MARKDOWN)
	/* render.c turns away a page that is not UTF-8 before this. */
	if (utf8_valid(s, size, NULL)) {
		render_body("strategia/arvot.md", 0, s, size);
		render_body("_index.md", 1, s, size);
	}
#elif defined(FUZZ_DATE)
	{
		static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
		    30, 31, 30, 31 };
		struct date dt;
		char ymd[32];
		int leap;

		if (date_parse(s, &dt)) {
			FUZZ_CHECK(strlen(s) >= 10);
			FUZZ_CHECK(dt.year >= 1 && dt.year <= 9999);
			FUZZ_CHECK(dt.month >= 1 && dt.month <= 12);
			leap = (dt.year % 4 == 0 && dt.year % 100 != 0) ||
			    dt.year % 400 == 0;
			FUZZ_CHECK(dt.day >= 1 && dt.day <= mdays[dt.month - 1] +
			    (dt.month == 2 && leap));
			snprintf(ymd, sizeof(ymd), "%04d-%02d-%02d", dt.year,
			    dt.month, dt.day);
			FUZZ_CHECK(memcmp(ymd, s, 10) == 0);
			FUZZ_CHECK(s[10] == '\0' || s[10] == 'T' ||
			    s[10] == ' ');
		}
	}
#elif defined(FUZZ_URL)
	{
		/*
		 * The same address with the scheme's letters in upper case, or
		 * behind a tab, is judged the same.
		 */
		int bad = url_dangerous(s, size, 0);
		int img = url_dangerous(s, size, 1);
		char *t = xmalloc(size + 1);
		size_t i;

		FUZZ_CHECK(bad || !img);
		/* Without references or escapes, whose names keep their case. */
		if (memchr(s, '&', size) || memchr(s, '%', size)) {
			free(t);
			goto url_done;
		}
		for (i = 0; i < size && s[i] != ':'; i++)
			t[i] = s[i] >= 'a' && s[i] <= 'z' ?
			    (char)(s[i] - 'a' + 'A') : s[i];
		memcpy(t + i, s + i, size - i);
		FUZZ_CHECK(url_dangerous(t, size, 0) == bad);
		free(t);
url_done:
		url_check_value(NULL, "fuzz", &d);
	}
#elif defined(FUZZ_RAWHTML)
	rawhtml_check(s, size, "fuzz.md", 1, &d);
#elif defined(FUZZ_HYPHEN)
	{
		/*
		 * HTML as a page's: the result is the input with soft hyphens
		 * added, and only between two letters of a word.
		 */
		static struct hyphen *h;
		static int tried;
		struct buf out = BUF_INIT;
		const char *why, *o, *in = s;
		size_t k;

		if (!tried++)
			h = hyphen_open("fi", &why);
		if (h != NULL) {
			hyphen_html(h, s, size, &out);
			for (o = out.data, k = 0; o && k < out.len;) {
				if (out.len - k >= 2 && memcmp(o + k, "\xC2\xAD",
				    2) == 0 && (in >= s + size ||
				    memcmp(in, "\xC2\xAD", 2) != 0)) {
					FUZZ_CHECK(k > 0 && in < s + size);
					k += 2;
					continue;
				}
				FUZZ_CHECK(in < s + size && *in == o[k]);
				in++;
				k++;
			}
			FUZZ_CHECK(in == s + size);
		}
		buf_free(&out);
	}
#elif defined(FUZZ_PLAIN)
	{
		/* A page's text: warnings only, each at a line of the text. */
		static struct plain *pl;
		static int tried;
		struct plain_limits lim = { 5, 12, 30 };
		struct plain_stats st;
		const char *why, *gloss[] = { "hyvinvointialue" };
		size_t i, lines = 1;

		if (!tried++)
			pl = plain_new(&lim, gloss, 1, &why);
		if (pl != NULL) {
			memset(&st, 0, sizeof(st));
			plain_check(pl, "fuzz.md", s, size, 1, &d, &st);
			/* Lines as cmark counts them: a lone CR ends one too. */
			for (i = 0; i < size; i++)
				lines += s[i] == '\n' || (s[i] == '\r' &&
				    (i + 1 == size || s[i + 1] != '\n'));
			for (i = 0; i < d.len; i++) {
				FUZZ_CHECK(d.v[i].level == DIAG_WARNING);
				FUZZ_CHECK(d.v[i].line >= 1 &&
				    d.v[i].line <= lines);
			}
		}
	}
#elif defined(FUZZ_SEARCH)
	{
		/*
		 * A page's Markdown to the words of its index: the text comes
		 * out no longer than it went in, every word is non-empty and
		 * has a non-empty stem.
		 */
		static struct search_stemmer *st;
		struct buf heads = BUF_INIT, text = BUF_INIT;

		if (st == NULL)
			st = search_stemmer_new("fi");
		search_markdown(s, size, &heads, &text);
		FUZZ_CHECK(heads.len + text.len <= 2 * size + 2);
		search_words(text.data ? text.data : "", text.len,
		    fuzz_search_word, st);
		search_words(heads.data ? heads.data : "", heads.len,
		    fuzz_search_word, st);
		/* Sixteen bytes at a time or one: the same words. */
		buf_reset(&heads);
		buf_reset(&text);
		search_words(s, size, fuzz_collect_word, &heads);
		search_words_scalar(s, size, fuzz_collect_word, &text);
		FUZZ_CHECK(heads.len == text.len && (heads.len == 0 ||
		    memcmp(heads.data, text.data, heads.len) == 0));
		buf_free(&heads);
		buf_free(&text);
	}
#elif defined(FUZZ_ICAL)
	{
		char *why = NULL;
		ical_check(s, size, &why);
		free(why);
	}
#elif defined(FUZZ_CONSULT)
	{
		/* Front matter; whatever it says, the status is one of four. */
		struct arena a = ARENA_INIT;
		struct value *fm = yaml_parse(&a, s, size, "fuzz.md", 1, &d);
		struct consult c;
		int days;

		if (fm != NULL && consult_read(&a, fm, "fuzz.md",
		    1760000000, &c, &d) == 1) {
			enum consult_status st = consult_status(&c, 1760000000,
			    &days);
			FUZZ_CHECK(st == CONSULT_UPCOMING || st == CONSULT_OPEN ||
			    st == CONSULT_CLOSED || st == CONSULT_DONE);
			FUZZ_CHECK(st != CONSULT_OPEN || days >= 0);
		}
		arena_free(&a);
	}
#elif defined(FUZZ_DATA_NAMES)
	/* Every name found is a non-empty run of the input itself. */
	data_names_input = s;
	data_names_size = size;
	page_data_names(s, size, data_name_seen, NULL);
#elif defined(FUZZ_HISTORY_CACHE)
	{
		/*
		 * A damaged history cache (in the git folder, written by
		 * Valo) must read as none; one that reads must give every
		 * change to exactly one file, the files sorted by path.
		 */
		struct history h;
		size_t i, k, n = 0;

		if (history_cache_parse(&h, s, size, "Muutos", "", 0) == 0) {
			for (i = 0; i < h.nfiles; i++) {
				FUZZ_CHECK(history_file(&h, h.files[i].path) ==
				    &h.files[i]);
				FUZZ_CHECK(i == 0 || strcmp(h.files[i - 1].path,
				    h.files[i].path) < 0);
				for (k = 0; k < h.files[i].len; k++)
					FUZZ_CHECK(h.files[i].v[k]->commit->
					    nchanges > 0);
				n += h.files[i].len;
			}
			FUZZ_CHECK(n == h.nchanges);
		} else
			FUZZ_CHECK(h.ncommits == 0 && h.nfiles == 0);
		history_free(&h);
	}
#elif defined(FUZZ_DIFF)
	{
		/*
		 * Two versions of a page: split at the first NUL byte, or in
		 * half, each copied to a buffer of its own size. A version
		 * is the same as itself.
		 */
		static const struct diff_labels l = { "Lisätty:",
		    "Lisäys päättyy.", "Poistettu:", "Poisto päättyy." };
		struct buf out = BUF_INIT;
		struct diff_stats st;
		const char *z = memchr(s, '\0', size);
		size_t on = z ? (size_t)(z - s) : size / 2;
		size_t nn = size - on - (z != NULL);
		char *o = xmalloc(on), *n = xmalloc(nn);

		memcpy(o, s, on);
		memcpy(n, s + size - nn, nn);
		if (diff_html(o, on, n, nn, &l, &out, &st) == 0) {
			FUZZ_CHECK(out.len > 0);
			fuzz_diff_marks(&out);
			FUZZ_CHECK(!st.markup_only || (st.words_inserted == 0 &&
			    st.words_deleted == 0));
		} else
			FUZZ_CHECK(out.len == 0);
		FUZZ_CHECK(diff_html(n, nn, n, nn, &l, &out, NULL) == -1);
		buf_free(&out);
		free(o);
		free(n);
	}
#elif defined(FUZZ_SLUG)
	{
		struct buf b = BUF_INIT, again = BUF_INIT;
		size_t bad = (size_t)-1, rbad = (size_t)-1, i, n, start;
		const char *slug;
		int ok, rok;

		ok = utf8_valid(s, size, &bad);
		rok = utf8_reference((const unsigned char *)s, size, &rbad);
		FUZZ_CHECK(ok == rok);
		FUZZ_CHECK(ok || bad == rbad);

		/* After other text, as make_url appends to the parent's URL. */
		buf_puts(&b, "/kainuu/");
		start = b.len;
		slugify(&b, s, size);
		FUZZ_CHECK(b.len >= start && b.data[b.len] == '\0');
		slug = b.data + start;
		n = b.len - start;
		/* What text.h promises holds for text: UTF-8 input. */
		if (ok) {
			FUZZ_CHECK(n == 0 || (slug[0] != '-' &&
			    slug[n - 1] != '-'));
			for (i = 0; i < n; i++) {
				unsigned char c = (unsigned char)slug[i];
				FUZZ_CHECK(c >= 0x80 || (c >= 'a' && c <= 'z') ||
				    (c >= '0' && c <= '9') || c == '-');
				FUZZ_CHECK(c != '-' || slug[i + 1] != '-');
			}
			FUZZ_CHECK(utf8_valid(slug, n, NULL));
			/* A slug is its own slug: "slug:" may be one. */
			slugify(&again, slug, n);
			FUZZ_CHECK(again.len == n &&
			    (n == 0 || memcmp(again.data, slug, n) == 0));
		}
		buf_free(&again);
		buf_free(&b);
	}
#endif
	free(s);
	diags_free(&d);
	arena_free(&a);
	return 0;
}
