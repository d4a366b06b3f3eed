/*
 * A very small unit-test harness. TEST(name) defines and registers a test;
 * CHECK and friends record a failure and go on, so one run shows every
 * broken assertion. main.c runs them and ends with "N passed, N failed".
 */
#ifndef VALO_TEST_H
#define VALO_TEST_H

#include <string.h>

void	test_register(const char *name, void (*fn)(void), const char *file);
void	test_fail(const char *file, int line, const char *what);
void	test_fail_str(const char *file, int line, const char *what,
	    const char *got, const char *want);

/* Writes text to dir/content/name, a failed check if it cannot. */
void	test_put(const char *dir, const char *name, const char *text);

#define TEST(name)							\
	static void name(void);						\
	__attribute__((constructor)) static void reg_##name(void)	\
	{ test_register(#name, name, __FILE__); }			\
	static void name(void)

#define CHECK(c) do {							\
	if (!(c))							\
		test_fail(__FILE__, __LINE__, #c);			\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ == NULL || strcmp(g_, w_) != 0)				\
		test_fail_str(__FILE__, __LINE__, #got, g_, w_);	\
} while (0)

#endif
