/*
 * Runs every registered unit test, or those whose name contains argv[1].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

struct test {
	const char	*name;
	const char	*file;
	void		(*fn)(void);
};

static struct test	tests[1024];
static size_t		ntests;
static int		failed_now;

void
test_register(const char *name, void (*fn)(void), const char *file)
{
	if (ntests == sizeof(tests) / sizeof(tests[0])) {
		fputs("too many tests\n", stderr);
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests].file = file;
	tests[ntests].fn = fn;
	ntests++;
}

void
test_fail(const char *file, int line, const char *what)
{
	printf("  %s:%d: check failed: %s\n", file, line, what);
	failed_now = 1;
}

void
test_fail_str(const char *file, int line, const char *what, const char *got,
    const char *want)
{
	printf("  %s:%d: %s\n    got:  \"%s\"\n    want: \"%s\"\n", file, line,
	    what, got ? got : "(null)", want);
	failed_now = 1;
}

void
test_put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/content/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		test_fail(__FILE__, __LINE__, path);
		return;
	}
	fputs(text, fp);
	fclose(fp);
}

static int
cmp(const void *a, const void *b)
{
	const struct test *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	return c ? c : strcmp(x->name, y->name);
}

int
main(int argc, char *argv[])
{
	size_t i, passed = 0, failed = 0;

	qsort(tests, ntests, sizeof(tests[0]), cmp);
	for (i = 0; i < ntests; i++) {
		if (argc > 1 && strstr(tests[i].name, argv[1]) == NULL)
			continue;
		failed_now = 0;
		tests[i].fn();
		if (failed_now) {
			printf("FAIL %s (%s)\n", tests[i].name, tests[i].file);
			failed++;
		} else
			passed++;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	return failed ? 1 : 0;
}
