#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "build.h"
#include "config.h"
#include "content.h"
#include "output.h"
#include "source.h"
#include "test.h"
#include "util/buf.h"
#include "util/mem.h"

static void
put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0 && write(fd, text, strlen(text)) ==
	    (ssize_t)strlen(text));
	close(fd);
}

/*
 * Without the atomic exchange, the old output is renamed aside before the
 * new one takes its place; if that second step fails, the old site must
 * come back rather than leave no site at all.
 */
TEST(swap_by_rename_puts_the_old_site_back)
{
	char dir[64], final[96], file[128], aside[96], staging[96];
	struct stat st;

	snprintf(dir, sizeof(dir), "/tmp/valo-test-swap-%ld", (long)getpid());
	snprintf(final, sizeof(final), "%s/public", dir);
	snprintf(file, sizeof(file), "%s/index.html", final);
	snprintf(aside, sizeof(aside), "%s/.public.old", dir);
	snprintf(staging, sizeof(staging), "%s/.public.staging", dir);
	remove_tree(dir);
	CHECK(mkdir(dir, 0755) == 0 && mkdir(final, 0755) == 0);
	put_file(file, "vanha\n");
	/* No staging folder: the second rename fails. */
	CHECK(output_swap_by_rename(staging, final, aside) == -1);
	CHECK(stat(file, &st) == 0 && st.st_size == 6);
	CHECK(stat(aside, &st) == -1);
	/* And with one, the swap happens. */
	CHECK(mkdir(staging, 0755) == 0);
	CHECK(output_swap_by_rename(staging, final, aside) == 0);
	CHECK(stat(file, &st) == -1);
	CHECK(stat(aside, &st) == 0);
	remove_tree(dir);
}

struct compare {
	const char	*expected;	/* folder of the golden output */
	size_t		 files;
	size_t		 same;
};

static void
compare_one(const char *rel, const char *data, size_t len, void *arg)
{
	struct compare *c = arg;
	struct diags d = DIAGS_INIT;
	struct source *src = source_dir_open(c->expected, &d);
	struct buf b = BUF_INIT;

	c->files++;
	if (src != NULL && source_read(src, rel, &b, 0, NULL) == 0 &&
	    b.len == len && memcmp(b.data, data, len) == 0)
		c->same++;
	else
		test_fail(__FILE__, __LINE__, rel);
	buf_free(&b);
	source_free(src);
	diags_free(&d);
}

/* The memory sink holds the same files as the golden folder build. */
TEST(memory_output_equals_the_golden_site)
{
	struct build_opts o;
	struct build_stats st;
	struct diags d = DIAGS_INIT;
	struct output *out = output_mem_new();
	struct compare c = { "tests/sites/basic/expected", 0, 0 };
	char dir[64], cmd[512];
	size_t len;

	snprintf(dir, sizeof(dir), "/tmp/valo-test-mem-%ld", (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir %s && cp -R "
	    "tests/fixtures/site.conf tests/fixtures/themes "
	    "tests/sites/basic/content %s", dir, dir, dir);
	CHECK(system(cmd) == 0);
	memset(&o, 0, sizeof(o));
	o.root = dir;
	o.out = out;
	o.jobs = 2;
	CHECK(build_site(&o, &st, &d) == 0);
	output_mem_each(out, compare_one, &c);
	/* Every file but the folder's marker, which is the folder sink's. */
	CHECK(c.files > 10 && c.same == c.files);
	CHECK(output_mem_get(out, ".valo-output", &len) == NULL);
	CHECK(output_mem_get(out, "strategia/arvot/index.html", &len) != NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	output_free(out);
	diags_free(&d);
}

/*
 * Resolving leaves what was loaded as it was, and gives the same result
 * when it runs again: an alias stays as written in the front matter.
 */
TEST(resolve_runs_again_and_leaves_the_loaded_pages)
{
	struct config cfg;
	struct diags d = DIAGS_INIT;
	struct source *src;
	struct site s;
	struct page *p;
	const struct value *al;
	char *first;
	size_t pages;

	src = source_dir_open("tests/sites/basic", &d);
	CHECK(src != NULL);
	memset(&cfg, 0, sizeof(cfg));
	cfg.title = xstrdup("T");
	cfg.language = xstrdup("fi");
	cfg.base_url = xstrdup("https://example.fi/kainuu/");
	cfg.base_path = xstrdup("/kainuu/");
	site_init(&s, &cfg, src);
	CHECK(content_load(&s, NULL, NULL, 1, &d) == 0);
	CHECK(content_resolve(&s, &d) == 0);
	p = site_page(&s, "strategia/arvot.md");
	CHECK(p != NULL && p->nalias_urls == 1);
	if (p == NULL || p->nalias_urls != 1)
		goto out;
	CHECK_STR(p->alias_urls[0], "/kainuu/vanhat/arvot/");
	first = xstrdup(p->url);
	pages = s.npages;
	CHECK(content_resolve(&s, &d) == 0);
	CHECK(d.errors == 0 && s.npages == pages);
	CHECK_STR(p->url, first);
	CHECK(p->nalias_urls == 1);
	CHECK_STR(p->alias_urls[0], "/kainuu/vanhat/arvot/");
	al = p->aliases->u.items[0];
	CHECK_STR(al->str, "/vanhat/arvot/");
	CHECK(s.home != NULL && s.home->nchildren > 0);
	free(first);
out:
	site_free(&s);
	source_free(src);
	config_free(&cfg);
	diags_free(&d);
}
