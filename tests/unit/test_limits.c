#include <sys/wait.h>

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/mem.h"

/*
 * Runs fn in a child process and returns how it ended: sizes that do not
 * fit must end the program as out of memory, at once, never wrap around
 * into a small allocation or loop for ever.
 */
static int
ends_out_of_memory(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(5);
		/* The message is expected; keep the test output clean. */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(3);
		fn();
		_exit(0);
	}
	if (pid == -1 || waitpid(pid, &status, 0) == -1)
		return 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void
grow_buffer(void)
{
	struct buf b = BUF_INIT;

	buf_putc(&b, 'a');
	buf_grow(&b, SIZE_MAX - 1);
}

static void
grow_arena(void)
{
	struct arena a = ARENA_INIT;

	arena_alloc(&a, 16);
	arena_alloc(&a, SIZE_MAX - 3);
}

static void
grow_array(void)
{
	size_t cap = 0;

	xgrow(NULL, &cap, SIZE_MAX / 2 + 2, 16);
}

static void
add_sizes(void)
{
	xadd(SIZE_MAX, 1);
}

TEST(size_overflow_is_out_of_memory)
{
	CHECK(ends_out_of_memory(grow_buffer));
	CHECK(ends_out_of_memory(grow_arena));
	CHECK(ends_out_of_memory(grow_array));
	CHECK(ends_out_of_memory(add_sizes));
	CHECK(xadd(2, 3) == 5 && xmul(4, 5) == 20 && xmul(SIZE_MAX, 0) == 0);
}

TEST(dates_must_exist)
{
	struct date d;

	CHECK(date_parse("2025-03-31", &d) && d.year == 2025 &&
	    d.month == 3 && d.day == 31);
	CHECK(date_parse("2024-02-29", &d));
	CHECK(date_parse("2000-02-29", &d));
	CHECK(!date_parse("2025-02-29", &d));
	CHECK(!date_parse("1900-02-29", &d));
	CHECK(!date_parse("2025-02-31", &d));
	CHECK(!date_parse("2025-04-31", &d));
	CHECK(!date_parse("2025-13-01", &d));
	CHECK(!date_parse("2025-00-10", &d));
	CHECK(!date_parse("2025-3-1", &d));
	CHECK(date_parse("2015-10-12T23:31:00+02:00", &d));
	CHECK(date_parse("2025-03-31 14:00", &d));
	CHECK(date_parse("2025-03-31T14:00Z", &d));
	CHECK(!date_parse("2025-03-31 klo 14", &d));
	CHECK(!date_parse("2025-03-31T25:00", &d));
	CHECK(!date_parse("2025-03-31T14:00+02", &d));
	CHECK(!date_parse("2025-03-31x", &d));
	CHECK(!date_parse("2025-03-31 ", &d));
}
