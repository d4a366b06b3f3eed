/*
 * Consultations (kuulemiset): a page whose front matter has "opens" and
 * "closes" asks the region's residents for their views. This module reads
 * those keys and the others of a consultation, checks them, and says at a
 * given moment whether the consultation is upcoming, open, closed or done.
 *
 * Dates are written in Finnish local time (Europe/Helsinki) and kept as
 * UTC seconds, so that one build time compares with them whatever the
 * TZ of the process; the zone's rules come from libical's reading of the
 * system's tzdata, never from TZ or the C library's local time, which
 * other threads may rely on.
 *
 * Local times that do not exist (the hour skipped on the last Sunday of
 * March, 03:00-03:59) or that occur twice (the hour repeated on the last
 * Sunday of October, 03:00-03:59) are read as RFC 5545 (3.3.5) reads them,
 * so that a consultation shared as iCalendar means the same moment: a
 * skipped time with the offset before the change (03:30 is 04:30 summer
 * time), a repeated time as its first occurrence (summer time).
 */
#ifndef VALO_CONSULT_H
#define VALO_CONSULT_H

#include <stdint.h>

#include "util/arena.h"
#include "util/date.h"
#include "util/diag.h"
#include "value.h"

enum consult_status {
	CONSULT_UPCOMING,	/* now < opens */
	CONSULT_OPEN,		/* opens <= now <= closes */
	CONSULT_CLOSED,		/* closes < now, no "outcome" yet */
	CONSULT_DONE		/* closes < now, with "outcome" */
};

/*
 * One consultation as read from front matter. The value and string
 * pointers are borrowed from the front matter, except participate when
 * "mailto:" was added: that copy is in the arena given to consult_read.
 */
struct consult {
	/*
	 * UTC seconds: opens is the first second open, the time written or
	 * 00:00:00 of a day written alone; closes the last, the time
	 * written (open through 14:00:00, closed at 14:00:01) or 23:59:59.
	 */
	int64_t		 opens;
	int64_t		 closes;
	int		 has_time_open;	/* opens gave a time of day */
	int		 has_time_close;
	struct date	 opens_date;	/* the local dates as written */
	struct date	 closes_date;
	const char	*participate;	/* https:, http: or mailto:; or NULL */
	int		 participate_is_mail;
	const struct value *questions;	/* list of text, or NULL */
	const struct value *municipalities; /* list of text, or NULL */
	const char	*audience;	/* each text, or NULL */
	const char	*heard;
	const char	*outcome;
	int		 example;	/* an example, not a real one */
};

/*
 * Reads the consultation in front matter fm (a map, or NULL) of file,
 * checking it against the build time now (UTC seconds): the dates, where
 * to take part, the lists, and what is written before its time. Returns 1
 * with *out filled if fm has "opens" or "closes", 0 if it has neither
 * (the page is no consultation), -1 after adding errors to d; warnings
 * alone do not make it -1. Allocates only a "mailto:" address, in a.
 */
int	consult_read(struct arena *a, const struct value *fm, const char *file,
	    int64_t now, struct consult *out, struct diags *d);

/*
 * The status of c at now. For an open one, sets *days_left (if not NULL)
 * to the local calendar days from now to its last day: 0 when it closes
 * today, 1 tomorrow; otherwise to -1.
 */
enum consult_status consult_status(const struct consult *c, int64_t now,
	    int *days_left);

/* "upcoming", "open", "closed" or "done", for templates. */
const char *consult_status_name(enum consult_status);

/*
 * Local calendar days from the day of from to the day of to (negative if
 * to's day is earlier), counted on the Helsinki calendar: the hours of a
 * day around a change of the clocks do not matter.
 */
int	consult_days_between(int64_t from, int64_t to);

/*
 * The UTC seconds of a Helsinki wall-clock time, read as said above. Sets
 * *skipped (if not NULL) to 1 if the time does not exist, else 0.
 */
int64_t	consult_local_time(struct date d, int hour, int min, int sec,
	    int *skipped);

/* Seconds to add to UTC at t to get Helsinki's time: 7200 or 10800. */
int	consult_utc_offset(int64_t t);

/*
 * Writes t as Finns write a day, "22.3.2017", or with_time a time too,
 * "22.3.2017 klo 14.00" (the hour without a leading zero: "klo 9.05"), in
 * Helsinki time, to out. Returns out.
 */
#define CONSULT_FORMAT_MAX	32
char	*consult_format(char out[CONSULT_FORMAT_MAX], int64_t t,
	    int with_time);

#endif
