/*
 * Runs the official Mustache spec against generator/mustache.c.
 *
 *	mustache-spec folder
 *
 * Every *.yml file of folder is a list of tests: a template, its partials,
 * the data and the expected output. Each test gets a fresh template set
 * holding the template as "__test" and its partials under their names.
 * Prints one line per failing test, one count line per file, and last
 * "mustache: N passed, N failed". Exits 1 if any test failed, 2 if a file
 * could not be read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "mustache.h"
#include "util/mem.h"
#include "yaml.h"

#define TEST_NAME	"__test"

struct count {
	size_t	passed;
	size_t	failed;
};

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char tmp[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(&b, tmp, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/*
 * The text of a YAML scalar as written: a template or expected output
 * that YAML reads as a number or a word is still text here.
 */
static const char *
text(const struct value *v, size_t *len)
{
	*len = 0;
	if (v == NULL)
		return "";
	switch (v->type) {
	case VAL_STRING:
	case VAL_NUMBER:
		if (v->str == NULL)
			return "";
		*len = v->len;
		return v->str;
	case VAL_BOOL:
		*len = v->u.boolean ? 4 : 5;
		return v->u.boolean ? "true" : "false";
	default:
		return "";
	}
}

/* Prints s quoted, with line endings and control bytes made visible. */
static void
show(const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	putchar('"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
report(const char *file, const char *name, const char *got, size_t gotlen,
    const char *want, size_t wantlen)
{
	printf("FAIL %s: %s\n  got:  ", file, name);
	show(got, gotlen);
	fputs("\n  want: ", stdout);
	show(want, wantlen);
	putchar('\n');
}

/*
 * Runs one test. Returns 1 if it passed.
 */
static int
run(const char *file, const struct value *test)
{
	struct mu_set *set = mu_set_new();
	struct diags d = DIAGS_INIT;
	struct buf out = BUF_INIT, msg = BUF_INIT;
	const struct value *partials, *name;
	const char *tname, *src, *want;
	char *err = NULL;
	size_t i, len, wantlen;
	int ok = 0;

	name = value_get(test, "name");
	tname = name != NULL && name->type == VAL_STRING ? name->str : "?";
	want = text(value_get(test, "expected"), &wantlen);

	src = text(value_get(test, "template"), &len);
	mu_set_add(set, TEST_NAME, "template", src, len, &d);
	partials = value_get(test, "partials");
	if (partials != NULL && partials->type == VAL_MAP)
		for (i = 0; i < partials->len; i++) {
			src = text(partials->u.pairs[i].val, &len);
			mu_set_add(set, partials->u.pairs[i].key,
			    partials->u.pairs[i].key, src, len, &d);
		}
	if (d.len > 0) {
		for (i = 0; i < d.len; i++)
			buf_printf(&msg, "%s:%u:%u: %s; ", d.v[i].file,
			    d.v[i].line, d.v[i].col, d.v[i].msg);
		report(file, tname, msg.data, msg.len, want, wantlen);
		goto out;
	}
	if (mu_render(set, TEST_NAME, value_get(test, "data"), &out,
	    &err) == -1) {
		report(file, tname, err, strlen(err), want, wantlen);
		goto out;
	}
	if (out.len != wantlen || memcmp(out.data ? out.data : "", want,
	    wantlen) != 0) {
		report(file, tname, out.data ? out.data : "", out.len, want,
		    wantlen);
		goto out;
	}
	ok = 1;
out:
	free(err);
	buf_free(&out);
	buf_free(&msg);
	diags_free(&d);
	mu_set_free(set);
	return ok;
}

/*
 * Runs every test of one spec file. Returns -1 if it cannot be read.
 */
static int
runfile(const char *dir, const char *file, struct count *total)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	struct count c = { 0, 0 };
	const struct value *root, *tests;
	char *path, *src = NULL;
	size_t len, i;
	int rc = -1;

	path = xasprintf("%s/%s", dir, file);
	if ((src = slurp(path, &len)) == NULL) {
		fprintf(stderr, "mustache-spec: cannot read %s\n", path);
		goto out;
	}
	root = yaml_parse(&a, src, len, path, 0, &d);
	tests = value_get(root, "tests");
	if (root == NULL || tests == NULL || tests->type != VAL_LIST) {
		msg_print(&d, stderr, MSG_TEXT, 0);
		fprintf(stderr, "mustache-spec: %s: no list of tests\n", path);
		goto out;
	}
	for (i = 0; i < tests->len; i++) {
		if (run(file, tests->u.items[i]))
			c.passed++;
		else
			c.failed++;
	}
	printf("%s: %zu passed, %zu failed\n", file, c.passed, c.failed);
	total->passed += c.passed;
	total->failed += c.failed;
	rc = 0;
out:
	free(path);
	free(src);
	diags_free(&d);
	arena_free(&a);
	return rc;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char *argv[])
{
	struct count total = { 0, 0 };
	struct dirent *de;
	DIR *dir;
	char **files = NULL;
	size_t nfiles = 0, cap = 0, i, n;
	int bad = 0;

	if (argc != 2) {
		fputs("usage: mustache-spec folder\n", stderr);
		return 2;
	}
	if ((dir = opendir(argv[1])) == NULL) {
		perror(argv[1]);
		return 2;
	}
	while ((de = readdir(dir)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 4, ".yml") != 0)
			continue;
		files = xgrow(files, &cap, nfiles + 1, sizeof(*files));
		files[nfiles++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (nfiles > 1)
		qsort(files, nfiles, sizeof(*files), cmp);
	for (i = 0; i < nfiles; i++) {
		if (runfile(argv[1], files[i], &total) == -1)
			bad = 1;
		free(files[i]);
	}
	free(files);
	if (nfiles == 0) {
		fprintf(stderr, "mustache-spec: no .yml files in %s\n",
		    argv[1]);
		bad = 1;
	}
	printf("mustache: %zu passed, %zu failed\n", total.passed,
	    total.failed);
	if (bad)
		return 2;
	return total.failed > 0 ? 1 : 0;
}
