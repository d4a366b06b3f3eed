/*
 * ical-check FILE...: parses each calendar file back with libical and
 * checks what Valo relies on (ical_check); prints what is wrong and exits
 * 1 if any file fails. For the tests of the calendars a build writes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ical.h"
#include "util/buf.h"

int
main(int argc, char *argv[])
{
	struct buf b = BUF_INIT;
	char chunk[65536], *why;
	size_t n;
	int i, rc = 0;
	FILE *f;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			fprintf(stderr, "%s: cannot open\n", argv[i]);
			rc = 1;
			continue;
		}
		buf_reset(&b);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_put(&b, chunk, n);
		fclose(f);
		why = NULL;
		if (ical_check(b.data ? b.data : "", b.len, &why) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], why ? why : "invalid");
			rc = 1;
		}
		free(why);
	}
	buf_free(&b);
	return rc;
}
