/*
 * Which files a live build renders again after an edit (build.h, deps.h):
 * a page's text, its front matter, a data file, a template and a partial,
 * each on a small site built into memory. A file taken over is the very
 * same bytes in the memory sink, so a changed pointer is a render.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "build.h"
#include "output.h"
#include "test.h"
#include "util/mem.h"

static const char *const files[][2] = {
	{ "site.conf", "[site]\ntitle = Testi\nbase_url = https://t.example/\n"
	    "language = fi\ntheme = t\n[history]\nenabled = false\n" },
	{ "themes/t/i18n/fi.yaml", "not_found_title: Ei löytynyt\n" },
	{ "themes/t/templates/home.mustache",
	    "<h1>{{page.title}}</h1>{{#page.sections}}<a href=\"{{url}}\">"
	    "{{title}}</a>{{/page.sections}}{{#page.pages}}{{title}}"
	    "{{/page.pages}}\n" },
	{ "themes/t/templates/section.mustache",
	    "<h1>{{page.title}}</h1>{{#page.pages}}<a href=\"{{url}}\">"
	    "{{title}}</a>{{/page.pages}}\n" },
	{ "themes/t/templates/page.mustache",
	    "{{>nav}}<h1>{{page.title}}</h1>{{{page.content}}}"
	    "{{#page.prev}}<a href=\"{{url}}\">{{title}}</a>{{/page.prev}}"
	    "{{#page.next}}<a href=\"{{url}}\">{{title}}</a>{{/page.next}}\n" },
	{ "themes/t/templates/numbers.mustache",
	    "<h1>{{page.title}}</h1>{{#data.luvut}}{{vuosi}}{{/data.luvut}}\n" },
	{ "themes/t/templates/nav.mustache", "<nav>{{site.title}}</nav>" },
	{ "themes/t/templates/404.mustache", "<h1>{{page.title}}</h1>\n" },
	{ "content/_index.md", "---\ntitle: Etusivu\n---\nTervetuloa.\n" },
	{ "content/a/_index.md", "---\ntitle: Osasto\n---\nOsasto.\n" },
	{ "content/a/x.md", "---\ntitle: Äks\nweight: 1\n---\nTeksti.\n" },
	{ "content/a/y.md", "---\ntitle: Yy\nweight: 2\n---\n"
	    "Katso [äks](x.md).\n" },
	{ "content/a/z.md", "---\ntitle: Zet\nweight: 3\n---\nZ.\n" },
	{ "content/b.md", "---\ntitle: Bee\n---\n```table\n"
	    "data: luvut.csv\n```\n" },
	{ "content/c.md", "---\ntitle: Cee\nlayout: numbers\n---\nC.\n" },
	{ "content/data/luvut.csv", "vuosi,lkm\n2024,1\n" },
	{ "content/data/muut.csv", "nimi,lkm\nx,1\n" },
};

/* The files of the site, in one order, for telling renders apart. */
static const char *const outs[] = {
	"index.html", "a/index.html", "a/x/index.html", "a/y/index.html",
	"a/z/index.html", "b/index.html", "c/index.html"
};
#define NOUTS	(sizeof(outs) / sizeof(outs[0]))

struct fix {
	char		 dir[64];
	struct output	*out;
	struct build	*b;
	struct build_opts o;
	const char	*seen[NOUTS];
};

static void
put(struct fix *f, const char *rel, const char *text)
{
	char path[256], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
	for (slash = path + strlen(f->dir) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, text, strlen(text)) ==
	    (ssize_t)strlen(text));
	close(fd);
}

static void
look(struct fix *f)
{
	size_t i, len;

	for (i = 0; i < NOUTS; i++)
		f->seen[i] = output_mem_get(f->out, outs[i], &len);
}

static void
fix_init(struct fix *f)
{
	struct build_stats st;
	struct diags d = DIAGS_INIT;
	size_t i;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/valo-test-deps-%ld",
	    (long)getpid());
	remove_tree(f->dir);
	mkdir(f->dir, 0755);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		put(f, files[i][0], files[i][1]);
	f->out = output_mem_new();
	f->o.root = f->dir;
	f->o.out = f->out;
	f->o.live = 1;
	f->o.jobs = 2;
	f->b = build_keep(&f->o, NULL, NULL, 0, &st, &d);
	CHECK(f->b != NULL && d.errors == 0);
	diags_free(&d);
	look(f);
	for (i = 0; i < NOUTS; i++)
		CHECK(f->seen[i] != NULL);
}

static void
fix_free(struct fix *f)
{
	build_free(f->b);
	output_free(f->out);
	remove_tree(f->dir);
}

/*
 * Saves rel with text and brings the build up to date as valo serve
 * does; returns which files were rendered again, as a string of 0 and 1
 * in the order of outs, and whether the fast way did it in *again.
 */
static const char *
edit(struct fix *f, const char *rel, const char *text, int *again)
{
	static char got[NOUTS + 1];
	const char *const changed[] = { rel };
	const char *before[NOUTS];
	struct build_stats st;
	struct diags d = DIAGS_INIT;
	struct build *b;
	size_t i;

	put(f, rel, text);
	memcpy(before, f->seen, sizeof(before));
	*again = build_again(f->b, changed, 1, &st, &d);
	if (!*again) {
		b = build_keep(&f->o, f->b, changed, 1, &st, &d);
		CHECK(b != NULL);
		if (b != NULL) {
			build_free(f->b);
			f->b = b;
		}
	}
	CHECK(d.errors == 0);
	diags_free(&d);
	look(f);
	for (i = 0; i < NOUTS; i++)
		got[i] = f->seen[i] != before[i] ? '1' : '0';
	got[NOUTS] = '\0';
	return got;
}

/* The order of outs: home, a/, x, y, z, b, c. */

TEST(deps_body_edit_renders_the_page_alone)
{
	struct fix f;
	int again;
	size_t len;

	fix_init(&f);
	CHECK_STR(edit(&f, "content/a/x.md",
	    "---\ntitle: Äks\nweight: 1\n---\nUusi teksti.\n", &again),
	    "0010000");
	CHECK(again);
	CHECK(strstr(output_mem_get(f.out, "a/x/index.html", &len),
	    "Uusi teksti.") != NULL);
	/* y links to x, but reads only its title and address. */
	CHECK_STR(edit(&f, "content/a/y.md", "---\ntitle: Yy\nweight: 2\n---\n"
	    "Katso [äks](x.md) taas.\n", &again), "0001000");
	CHECK(again);
	fix_free(&f);
}

TEST(deps_front_matter_edit_renders_what_shows_the_page)
{
	struct fix f;
	int again;

	fix_init(&f);
	/* Its section lists it, y links to it and is its neighbour. */
	CHECK_STR(edit(&f, "content/a/x.md",
	    "---\ntitle: Uusi äks\nweight: 1\n---\nTeksti.\n", &again),
	    "0111000");
	CHECK(!again);
	/* z: the section lists it, y is its neighbour; x is not. */
	CHECK_STR(edit(&f, "content/a/z.md",
	    "---\ntitle: Uusi zet\nweight: 3\n---\nZ.\n", &again),
	    "0101100");
	/* The same front matter written again changes nothing else. */
	CHECK_STR(edit(&f, "content/a/z.md",
	    "---\ntitle: Uusi zet\nweight: 3\n---\nZ.\n", &again),
	    "0000100");
	CHECK(again);
	fix_free(&f);
}

TEST(deps_data_edit_renders_the_pages_that_read_it)
{
	struct fix f;
	int again;

	fix_init(&f);
	/* b's table and c's template read luvut. */
	CHECK_STR(edit(&f, "content/data/luvut.csv", "vuosi,lkm\n2025,2\n",
	    &again), "0000011");
	CHECK(!again);
	/* Nothing reads muut. */
	CHECK_STR(edit(&f, "content/data/muut.csv", "nimi,lkm\ny,2\n",
	    &again), "0000000");
	fix_free(&f);
}

TEST(deps_template_edit_renders_the_pages_that_use_it)
{
	struct fix f;
	int again;

	fix_init(&f);
	CHECK_STR(edit(&f, "themes/t/templates/section.mustache",
	    "<h2>{{page.title}}</h2>\n", &again), "0100000");
	CHECK(!again);
	/* A partial: the pages whose template includes it. */
	CHECK_STR(edit(&f, "themes/t/templates/nav.mustache",
	    "<nav>Uusi</nav>", &again), "0011110");
	CHECK_STR(edit(&f, "themes/t/templates/numbers.mustache",
	    "<h1>{{page.title}}</h1>\n", &again), "0000001");
	fix_free(&f);
}

TEST(deps_settings_edit_renders_everything)
{
	struct fix f;
	int again;

	fix_init(&f);
	CHECK_STR(edit(&f, "site.conf", "[site]\ntitle = Uusi\nbase_url = "
	    "https://t.example/\nlanguage = fi\ntheme = t\n[history]\n"
	    "enabled = false\n", &again), "1111111");
	CHECK(!again);
	fix_free(&f);
}
