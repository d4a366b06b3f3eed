#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "consult.h"
#include "test.h"
#include "yaml.h"

struct fix {
	struct arena	 a;
	struct diags	 d;
	struct consult	 c;
};

/*
 * UTC seconds of a UTC time, worked out apart from the module (timegm
 * reads no zone), so that a wrong offset in it fails here.
 */
static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

static struct date
day(int y, int m, int d)
{
	struct date dt;

	dt.year = y;
	dt.month = m;
	dt.day = d;
	return dt;
}

/* Reads front matter that starts on line 2 of k.md, as a page's does. */
static int
rd(struct fix *f, const char *yaml, int64_t now)
{
	struct value *fm;

	memset(f, 0, sizeof(*f));
	fm = yaml_parse(&f->a, yaml, strlen(yaml), "k.md", 1, &f->d);
	CHECK(fm != NULL);
	return consult_read(&f->a, fm, "k.md", now, &f->c, &f->d);
}

static void
fix_free(struct fix *f)
{
	diags_free(&f->d);
	arena_free(&f->a);
}

/* The only diagnostic is this one, at k.md:line:col. */
#define ONE(f, lvl, ln, cl, message, hnt) do {				\
	CHECK((f)->d.len == 1);						\
	if ((f)->d.len == 1) {						\
		CHECK((f)->d.v[0].level == (lvl));			\
		CHECK((f)->d.v[0].line == (ln));			\
		CHECK((f)->d.v[0].col == (cl));				\
		CHECK_STR((f)->d.v[0].file, "k.md");			\
		CHECK_STR((f)->d.v[0].msg, (message));			\
		CHECK_STR((f)->d.v[0].hint, (hnt));			\
	}								\
} while (0)

#define OPEN_MAY							\
	"opens: 2025-05-05\n"						\
	"closes: 2025-05-18\n"						\
	"participate: https://www.otakantaa.fi/fi/hankkeet/1/\n"

TEST(consult_not_a_consultation)
{
	struct fix f;

	CHECK(rd(&f, "title: Sivu\nparticipate: x\n", 0) == 0);
	CHECK(f.d.len == 0);
	fix_free(&f);
	CHECK(rd(&f, "opens:\ncloses: ~\n", 0) == 0);
	CHECK(f.d.len == 0);
	fix_free(&f);
	memset(&f, 0, sizeof(f));
	CHECK(consult_read(&f.a, NULL, "k.md", 0, &f.c, &f.d) == 0);
	fix_free(&f);
}

TEST(consult_status_each_state)
{
	struct fix f;
	int days;

	/* Read at the build time of each state, so none is an error. */
	CHECK(rd(&f, OPEN_MAY, utc(2025, 5, 1, 0, 0, 0)) == 1);
	CHECK(f.d.len == 0);
	/* Midnight of 5 May in summer time is 21:00 UTC the day before. */
	CHECK(f.c.opens == utc(2025, 5, 4, 21, 0, 0));
	CHECK(f.c.closes == utc(2025, 5, 18, 20, 59, 59));
	CHECK(!f.c.has_time_open && !f.c.has_time_close);
	CHECK(f.c.opens_date.day == 5 && f.c.closes_date.day == 18);
	CHECK(consult_status(&f.c, utc(2025, 5, 4, 20, 59, 59), &days) ==
	    CONSULT_UPCOMING && days == -1);
	CHECK(consult_status(&f.c, utc(2025, 5, 4, 21, 0, 0), &days) ==
	    CONSULT_OPEN && days == 13);
	CHECK(consult_status(&f.c, utc(2025, 5, 10, 9, 0, 0), &days) ==
	    CONSULT_OPEN && days == 8);
	CHECK(consult_status(&f.c, utc(2025, 5, 18, 21, 0, 0), &days) ==
	    CONSULT_CLOSED && days == -1);
	CHECK(consult_status(&f.c, utc(2025, 5, 10, 9, 0, 0), NULL) ==
	    CONSULT_OPEN);
	fix_free(&f);

	CHECK(rd(&f, OPEN_MAY "heard: Toivottiin iltavastaanottoa.\n"
	    "outcome: Vastaanotto on auki torstaisin klo 20 asti.\n",
	    utc(2025, 6, 1, 0, 0, 0)) == 1);
	CHECK(f.d.len == 0);
	CHECK(consult_status(&f.c, utc(2025, 6, 1, 0, 0, 0), &days) ==
	    CONSULT_DONE && days == -1);
	/* What was heard alone is not yet an outcome. */
	f.c.outcome = NULL;
	CHECK(consult_status(&f.c, utc(2025, 6, 1, 0, 0, 0), NULL) ==
	    CONSULT_CLOSED);
	fix_free(&f);

	CHECK_STR(consult_status_name(CONSULT_UPCOMING), "upcoming");
	CHECK_STR(consult_status_name(CONSULT_OPEN), "open");
	CHECK_STR(consult_status_name(CONSULT_CLOSED), "closed");
	CHECK_STR(consult_status_name(CONSULT_DONE), "done");
}

TEST(consult_closes_at_end_of_day)
{
	struct fix f;
	int days;

	CHECK(rd(&f, OPEN_MAY, utc(2025, 5, 18, 12, 0, 0)) == 1);
	/* 2025-05-18 23:59 local, summer time. */
	CHECK(consult_status(&f.c, utc(2025, 5, 18, 20, 59, 0), &days) ==
	    CONSULT_OPEN && days == 0);
	CHECK(consult_status(&f.c, utc(2025, 5, 18, 20, 59, 59), &days) ==
	    CONSULT_OPEN && days == 0);
	/* 2025-05-19 00:00 local. */
	CHECK(consult_status(&f.c, utc(2025, 5, 19, 0, 0, 0) - 3 * 3600,
	    &days) == CONSULT_CLOSED);
	/* 01:00 local on the last day is still the 17th in UTC: days by
	 * the UTC calendar would say 1. */
	CHECK(consult_status(&f.c, utc(2025, 5, 17, 22, 0, 0), &days) ==
	    CONSULT_OPEN && days == 0);
	/* 23:30 local the day before is the 17th in both. */
	CHECK(consult_status(&f.c, utc(2025, 5, 17, 20, 30, 0), &days) ==
	    CONSULT_OPEN && days == 1);
	fix_free(&f);
}

TEST(consult_days_across_dst)
{
	struct fix f;
	int days;

	CHECK(rd(&f, "opens: 2025-03-30\ncloses: 2025-10-26\n"
	    "participate: kuuleminen@kainuu.fi\n", utc(2025, 1, 1, 0, 0, 0)) ==
	    1);
	CHECK(f.d.len == 0);
	/* Both midnight and end of day are in winter time, +02:00. */
	CHECK(f.c.opens == utc(2025, 3, 29, 22, 0, 0));
	CHECK(f.c.closes == utc(2025, 10, 26, 21, 59, 59));
	/* The first day: its 23 hours are one day of the calendar. */
	CHECK(consult_status(&f.c, utc(2025, 3, 29, 21, 59, 59), &days) ==
	    CONSULT_UPCOMING);
	CHECK(consult_status(&f.c, utc(2025, 3, 29, 22, 0, 0), &days) ==
	    CONSULT_OPEN && days == 210);
	/* 23:30 summer time on 30 March, then 00:30 on the 31st, which is
	 * still the 30th in UTC. */
	CHECK(consult_status(&f.c, utc(2025, 3, 30, 20, 30, 0), &days) ==
	    CONSULT_OPEN && days == 210);
	CHECK(consult_status(&f.c, utc(2025, 3, 30, 21, 30, 0), &days) ==
	    CONSULT_OPEN && days == 209);
	/* 23:30 on the 25th, summer time, then midnight: 1, then 0. */
	CHECK(consult_status(&f.c, utc(2025, 10, 25, 20, 30, 0), &days) ==
	    CONSULT_OPEN && days == 1);
	CHECK(consult_status(&f.c, utc(2025, 10, 25, 21, 0, 0), &days) ==
	    CONSULT_OPEN && days == 0);
	/* 03:30 twice on the last day, then its 25th hour. */
	CHECK(consult_status(&f.c, utc(2025, 10, 26, 0, 30, 0), &days) ==
	    CONSULT_OPEN && days == 0);
	CHECK(consult_status(&f.c, utc(2025, 10, 26, 1, 30, 0), &days) ==
	    CONSULT_OPEN && days == 0);
	CHECK(consult_status(&f.c, utc(2025, 10, 26, 21, 59, 59), &days) ==
	    CONSULT_OPEN && days == 0);
	CHECK(consult_status(&f.c, utc(2025, 10, 26, 22, 0, 0), &days) ==
	    CONSULT_CLOSED);
	fix_free(&f);

	/* 00:45 to 00:30 the next day is one day, 22 h 45 min: counting
	 * elapsed hours would say 0. */
	CHECK(consult_days_between(utc(2025, 3, 29, 22, 45, 0),
	    utc(2025, 3, 30, 21, 30, 0)) == 1);
	CHECK(consult_days_between(utc(2025, 3, 30, 21, 30, 0),
	    utc(2025, 3, 29, 22, 45, 0)) == -1);
}

TEST(consult_local_time_dst)
{
	int skipped;

	CHECK(consult_utc_offset(utc(2025, 3, 30, 0, 59, 59)) == 7200);
	CHECK(consult_utc_offset(utc(2025, 3, 30, 1, 0, 0)) == 10800);
	CHECK(consult_utc_offset(utc(2025, 10, 26, 0, 59, 59)) == 10800);
	CHECK(consult_utc_offset(utc(2025, 10, 26, 1, 0, 0)) == 7200);
	/* Spring: 02:59 winter, 03:00-03:59 skipped, 04:00 summer. */
	CHECK(consult_local_time(day(2025, 3, 30), 2, 59, 0, &skipped) ==
	    utc(2025, 3, 30, 0, 59, 0) && !skipped);
	CHECK(consult_local_time(day(2025, 3, 30), 3, 0, 0, &skipped) ==
	    utc(2025, 3, 30, 1, 0, 0) && skipped);
	CHECK(consult_local_time(day(2025, 3, 30), 3, 30, 0, &skipped) ==
	    utc(2025, 3, 30, 1, 30, 0) && skipped);
	CHECK(consult_local_time(day(2025, 3, 30), 4, 0, 0, &skipped) ==
	    utc(2025, 3, 30, 1, 0, 0) && !skipped);
	/* Autumn: 03:00-03:59 twice; the first, in summer time. */
	CHECK(consult_local_time(day(2025, 10, 26), 2, 59, 0, &skipped) ==
	    utc(2025, 10, 25, 23, 59, 0) && !skipped);
	CHECK(consult_local_time(day(2025, 10, 26), 3, 30, 0, &skipped) ==
	    utc(2025, 10, 26, 0, 30, 0) && !skipped);
	CHECK(consult_local_time(day(2025, 10, 26), 4, 0, 0, &skipped) ==
	    utc(2025, 10, 26, 2, 0, 0) && !skipped);
	/* A leap day, and tzdata's rules far ahead. */
	CHECK(consult_local_time(day(2024, 2, 29), 12, 0, 0, NULL) ==
	    utc(2024, 2, 29, 10, 0, 0));
	CHECK(consult_local_time(day(2199, 7, 1), 12, 0, 0, NULL) ==
	    utc(2199, 7, 1, 9, 0, 0));
}

TEST(consult_gap_time_warns)
{
	struct fix f;

	CHECK(rd(&f, "opens: 2025-03-30T03:30\ncloses: 2025-04-30\n"
	    "participate: https://kainuu.fi/k\n", utc(2025, 3, 1, 0, 0, 0)) ==
	    1);
	ONE(&f, DIAG_WARNING, 2, 8,
	    "\"2025-03-30T03:30\" is in the hour skipped when the clocks go "
	    "forward",
	    "It is read as 30.3.2025 klo 4.30, an hour later in summer time; "
	    "write that, or a time before the change.");
	CHECK(f.c.opens == utc(2025, 3, 30, 1, 30, 0));
	fix_free(&f);
}

TEST(consult_leap_day)
{
	struct fix f;

	CHECK(rd(&f, "opens: 2024-02-01\ncloses: 2024-02-29\n",
	    utc(2024, 6, 1, 0, 0, 0)) == 1);
	CHECK(f.d.len == 0);
	CHECK(f.c.closes == utc(2024, 2, 29, 21, 59, 59));
	CHECK(consult_status(&f.c, utc(2024, 2, 28, 12, 0, 0), NULL) ==
	    CONSULT_OPEN);
	fix_free(&f);

	CHECK(rd(&f, "opens: 2025-02-01\ncloses: 2025-02-29\n",
	    utc(2025, 6, 1, 0, 0, 0)) == -1);
	ONE(&f, DIAG_ERROR, 3, 9,
	    "\"2025-02-29\" is not a day of the calendar",
	    "2025-02 has 28 days.");
	fix_free(&f);
}

TEST(consult_times_with_minutes)
{
	struct fix f;
	char s[CONSULT_FORMAT_MAX];
	int days;

	CHECK(rd(&f, "opens: 2025-05-05T09:30\ncloses: 2025-05-18 14:15\n"
	    "participate: https://kainuu.fi/k\n", utc(2025, 5, 1, 0, 0, 0)) ==
	    1);
	CHECK(f.d.len == 0);
	CHECK(f.c.has_time_open && f.c.has_time_close);
	CHECK(f.c.opens == utc(2025, 5, 5, 6, 30, 0));
	CHECK(f.c.closes == utc(2025, 5, 18, 11, 15, 0));
	CHECK(consult_status(&f.c, utc(2025, 5, 5, 6, 29, 59), NULL) ==
	    CONSULT_UPCOMING);
	CHECK(consult_status(&f.c, utc(2025, 5, 18, 11, 15, 0), &days) ==
	    CONSULT_OPEN && days == 0);
	CHECK(consult_status(&f.c, utc(2025, 5, 18, 11, 15, 1), NULL) ==
	    CONSULT_CLOSED);
	/* 23:59 the day before: one day left, though only 14 hours. */
	CHECK(consult_status(&f.c, utc(2025, 5, 17, 20, 59, 0), &days) ==
	    CONSULT_OPEN && days == 1);
	CHECK_STR(consult_format(s, f.c.opens, f.c.has_time_open),
	    "5.5.2025 klo 9.30");
	CHECK_STR(consult_format(s, f.c.closes, f.c.has_time_close),
	    "18.5.2025 klo 14.15");
	fix_free(&f);
}

TEST(consult_format_finnish)
{
	char s[CONSULT_FORMAT_MAX];

	/* Winter time, +02:00. */
	CHECK_STR(consult_format(s, utc(2017, 3, 22, 12, 0, 0), 0),
	    "22.3.2017");
	CHECK_STR(consult_format(s, utc(2017, 3, 22, 12, 0, 0), 1),
	    "22.3.2017 klo 14.00");
	/* 22:30 UTC is the next day in Helsinki. */
	CHECK_STR(consult_format(s, utc(2024, 12, 31, 22, 30, 0), 1),
	    "1.1.2025 klo 0.30");
	CHECK_STR(consult_format(s, utc(2025, 10, 26, 21, 59, 59), 1),
	    "26.10.2025 klo 23.59");
	CHECK_STR(consult_format(s, utc(2025, 7, 4, 6, 5, 0), 1),
	    "4.7.2025 klo 9.05");
}

/* The process's TZ is the reader's, not Helsinki's: it must not count. */
TEST(consult_ignores_tz)
{
	char *old = getenv("TZ"), *keep = old ? strdup(old) : NULL;
	char s[CONSULT_FORMAT_MAX];

	setenv("TZ", "America/Los_Angeles", 1);
	tzset();
	CHECK(consult_local_time(day(2025, 5, 18), 23, 59, 59, NULL) ==
	    utc(2025, 5, 18, 20, 59, 59));
	CHECK_STR(consult_format(s, utc(2025, 5, 18, 21, 30, 0), 1),
	    "19.5.2025 klo 0.30");
	if (keep != NULL)
		setenv("TZ", keep, 1);
	else
		unsetenv("TZ");
	tzset();
	free(keep);
}

TEST(consult_participate_normalised)
{
	struct fix f;

	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n"
	    "participate: kuuleminen@kainuu.fi\n", 0) == 1);
	CHECK(f.d.len == 0);
	CHECK_STR(f.c.participate, "mailto:kuuleminen@kainuu.fi");
	CHECK(f.c.participate_is_mail);
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n"
	    "participate: mailto:kuuleminen@kainuu.fi?subject=Kuuleminen\n",
	    0) == 1);
	CHECK_STR(f.c.participate,
	    "mailto:kuuleminen@kainuu.fi?subject=Kuuleminen");
	CHECK(f.c.participate_is_mail);
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n"
	    "participate: HTTPS://Kainuu.fi/kysely?id=3\n", 0) == 1);
	CHECK_STR(f.c.participate, "HTTPS://Kainuu.fi/kysely?id=3");
	CHECK(!f.c.participate_is_mail);
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n"
	    "participate: http://kainuu.fi\n", 0) == 1);
	CHECK_STR(f.c.participate, "http://kainuu.fi");
	fix_free(&f);
}

TEST(consult_participate_errors)
{
	static const char *const bad[] = {
		"kysely", "ftp://kainuu.fi/x", "https://", "https:///polku",
		"kuuleminen@kainuu", "mailto:kuuleminen", "a b@kainuu.fi",
		"@kainuu.fi", "x@@kainuu.fi", "x@kainuu..fi",
		"https://kainuu.fi/a b"
	};
	struct fix f;
	size_t i;

	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n"
	    "participate: www.kainuu.fi/kysely\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 4, 14,
	    "\"www.kainuu.fi/kysely\" is not a web address or an e-mail "
	    "address", "Did you mean https://www.kainuu.fi/kysely?");
	fix_free(&f);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf y = BUF_INIT;

		buf_printf(&y, "opens: 2025-05-05\ncloses: 2025-05-18\n"
		    "participate: \"%s\"\n", bad[i]);
		CHECK(rd(&f, y.data, 0) == -1);
		CHECK(f.d.len == 1 && f.d.v[0].line == 4);
		CHECK(f.d.len == 1 && strstr(f.d.v[0].msg, bad[i]) != NULL &&
		    strstr(f.d.v[0].msg, "is not a web address") != NULL);
		CHECK_STR(f.d.v[0].hint, "Write the address of the survey, "
		    "starting with https://, or an e-mail address such as "
		    "etunimi.sukunimi@kainuu.fi.");
		fix_free(&f);
		buf_free(&y);
	}
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n"
	    "participate: [a, b]\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 4, 14, "\"participate\" must be text, not a list",
	    "Write the address of the survey, starting with https://, or an "
	    "e-mail address such as etunimi.sukunimi@kainuu.fi.");
	fix_free(&f);
}

TEST(consult_participate_required)
{
	struct fix f;

	/* Open now, and not yet open: an error at "closes". */
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n",
	    utc(2025, 5, 10, 0, 0, 0)) == -1);
	ONE(&f, DIAG_ERROR, 3, 9,
	    "the consultation has not closed but has no \"participate\"",
	    "Add participate: with the address of the survey (https://...) "
	    "or an e-mail address for the answers.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n",
	    utc(2025, 4, 1, 0, 0, 0)) == -1);
	CHECK(f.d.len == 1);
	fix_free(&f);
	/* Closed: where to answer no longer matters. */
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2025-05-18\n",
	    utc(2025, 5, 18, 21, 0, 0)) == 1);
	CHECK(f.d.len == 0);
	fix_free(&f);
}

TEST(consult_date_errors)
{
	struct fix f;

	CHECK(rd(&f, "opens: 2025-05-18\ncloses: 2025-05-05\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9,
	    "the consultation closes (2025-05-05) before it opens (2025-05-18)",
	    "Check both: \"opens\" is the first day to take part, \"closes\" "
	    "the last.");
	fix_free(&f);
	/* Open one day, from midnight to its end. */
	CHECK(rd(&f, "opens: 2025-05-18\ncloses: 2025-05-18\n",
	    utc(2026, 1, 1, 0, 0, 0)) == 1);
	CHECK(f.d.len == 0 && f.c.closes - f.c.opens == 86399);
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-18T14:00\ncloses: 2025-05-18T13:59\n", 0)
	    == -1);
	CHECK(f.d.len == 1);
	fix_free(&f);

	CHECK(rd(&f, "opens: 2025-02-30\ncloses: 2025-05-18\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 2, 8, "\"2025-02-30\" is not a day of the calendar",
	    "2025-02 has 28 days.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-13-01T10:00\ncloses: 2025-05-18\n", 0) ==
	    -1);
	ONE(&f, DIAG_ERROR, 2, 8, "\"2025-13-01\" is not a day of the calendar",
	    "The month is 01 to 12, the day 01 to 31: YYYY-MM-DD.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 14:00\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9, "\"14:00\" is a time without a date",
	    "Write the date before the time, for example 2025-05-18T14:00.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: klo 16.00\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9, "\"klo 16.00\" is a time without a date",
	    "Write the date before the time, for example 2025-05-18T14:00.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 18.5.2025\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9, "\"18.5.2025\" is not a date",
	    "Write it as YYYY-MM-DD: 2025-05-18.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 18.5.2025 klo 9.00\n", 0) ==
	    -1);
	ONE(&f, DIAG_ERROR, 3, 9, "\"18.5.2025 klo 9.00\" is not a date",
	    "Write it as YYYY-MM-DD: 2025-05-18T09:00.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: toukokuussa\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9, "\"toukokuussa\" is not a date",
	    "Write a date of the calendar as YYYY-MM-DD, for example "
	    "2025-03-31; a time may follow: 2025-03-31T14:00.");
	fix_free(&f);
	CHECK(rd(&f, "opens: [2025-05-05]\ncloses: 2025-05-18\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 2, 8, "\"opens\" must be a date, not a list",
	    "Write a date of the calendar as YYYY-MM-DD, for example "
	    "2025-03-31; a time may follow: 2025-03-31T14:00.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-05\ncloses: 2205-05-18\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9,
	    "\"2205-05-18\": the year 2205 is out of range",
	    "Check the year: it must be from 1900 to 2199.");
	fix_free(&f);
}

TEST(consult_time_errors)
{
	static const char *const bad[] = {
		"2025-05-18T24:00", "2025-05-18T14:60", "2025-05-18T14:00:00",
		"2025-05-18T14:00Z", "2025-05-18T14:00+03:00",
		"2025-05-18T14.00", "2025-05-18T1", "2025-05-18T", "2025-05-18x"
	};
	struct fix f;
	struct buf want = BUF_INIT, y = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&y);
		buf_printf(&y, "opens: 2025-05-05\ncloses: \"%s\"\n", bad[i]);
		buf_reset(&want);
		buf_printf(&want, "the time in \"%s\" is not HH:MM", bad[i]);
		CHECK(rd(&f, y.data, 0) == -1);
		ONE(&f, DIAG_ERROR, 3, 9, want.data, "Write the time in "
		    "Finnish time as HH:MM after a T, for example "
		    "2025-05-18T14:00, without seconds or a time zone.");
		fix_free(&f);
	}
	buf_free(&y);
	buf_free(&want);
}

TEST(consult_both_dates_required)
{
	struct fix f;

	CHECK(rd(&f, "title: K\ncloses: 2025-05-18\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 3, 9, "\"closes\" is given but \"opens\" is not",
	    "Add the first day of the consultation, for example "
	    "opens: 2025-05-01.");
	fix_free(&f);
	CHECK(rd(&f, "opens: 2025-05-18\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 2, 8, "\"opens\" is given but \"closes\" is not",
	    "Add the last day of the consultation, for example "
	    "closes: 2025-05-31.");
	fix_free(&f);
}

TEST(consult_outcome_before_close_warns)
{
	struct fix f;

	CHECK(rd(&f, OPEN_MAY "heard: Paljon palautetta.\n",
	    utc(2025, 5, 10, 0, 0, 0)) == 1);
	ONE(&f, DIAG_WARNING, 5, 8,
	    "\"heard\" is given but the consultation has not closed yet",
	    "Fill it in after the consultation closes (18.5.2025), or correct "
	    "\"closes\".");
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "outcome: Aukioloa pidennettiin.\n",
	    utc(2025, 4, 10, 0, 0, 0)) == 1);
	ONE(&f, DIAG_WARNING, 5, 10,
	    "\"outcome\" is given but the consultation has not closed yet",
	    "Fill it in after the consultation closes (18.5.2025), or correct "
	    "\"closes\".");
	fix_free(&f);
	/* Blank is not given. */
	CHECK(rd(&f, OPEN_MAY "outcome: \"  \"\n", utc(2025, 5, 10, 0, 0, 0))
	    == 1);
	CHECK(f.d.len == 0 && f.c.outcome == NULL);
	fix_free(&f);
}

TEST(consult_municipalities)
{
	struct fix f;

	CHECK(rd(&f, OPEN_MAY "municipalities: [Kajaani, Ristijärvi, "
	    "Suomussalmi]\n", 0) == 1);
	CHECK(f.d.len == 0 && f.c.municipalities != NULL &&
	    f.c.municipalities->len == 3);
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "municipalities:\n  - Sotkamo\n  - Kajani\n",
	    0) == -1);
	ONE(&f, DIAG_ERROR, 7, 5, "\"Kajani\" is not a municipality of Kainuu",
	    "Did you mean \"Kajaani\"? The municipalities of Kainuu: "
	    "Hyrynsalmi, Kajaani, Kuhmo, Paltamo, Puolanka, Ristijärvi, "
	    "Sotkamo, Suomussalmi.");
	CHECK(f.c.municipalities == NULL);
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "municipalities: [ristijarvi]\n", 0) == -1);
	CHECK(f.d.len == 1 && f.d.v[0].hint != NULL &&
	    strncmp(f.d.v[0].hint, "Did you mean \"Ristijärvi\"?", 27) == 0);
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "municipalities: [Oulu]\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 5, 18, "\"Oulu\" is not a municipality of Kainuu",
	    "The municipalities of Kainuu: Hyrynsalmi, Kajaani, Kuhmo, "
	    "Paltamo, Puolanka, Ristijärvi, Sotkamo, Suomussalmi.");
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "municipalities: Kajaani\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 5, 17, "\"municipalities\" must be a list",
	    "Write a list: one \"- item\" per line under the key, or [a, b].");
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "municipalities: [[Kajaani]]\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 5, 18,
	    "items of \"municipalities\" must be text, not list",
	    "Write each item as text.");
	fix_free(&f);
}

TEST(consult_other_keys)
{
	struct fix f;

	CHECK(rd(&f, OPEN_MAY "questions:\n  - Mikä toimii?\n"
	    "  - Mitä muuttaisit?\naudience: Kajaanin asukkaat\n"
	    "example: true\n", 0) == 1);
	CHECK(f.d.len == 0);
	CHECK(f.c.questions != NULL && f.c.questions->len == 2);
	CHECK_STR(f.c.audience, "Kajaanin asukkaat");
	CHECK(f.c.example == 1);
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "example: kyllä\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 5, 10,
	    "\"example\" must be true or false, not text",
	    "Write true or false.");
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "questions: Mikä toimii?\n", 0) == -1);
	ONE(&f, DIAG_ERROR, 5, 12, "\"questions\" must be a list",
	    "Write a list: one \"- item\" per line under the key, or [a, b].");
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "questions:\n  - {Mitä mieltä olet: hyvä}\n",
	    0) == -1);
	ONE(&f, DIAG_ERROR, 6, 5,
	    "items of \"questions\" must be text, not map",
	    "Write each question as text, in quotes if it contains \": \".");
	fix_free(&f);
	CHECK(rd(&f, OPEN_MAY "heard:\n  - yksi\n", utc(2025, 6, 1, 0, 0, 0))
	    == -1);
	ONE(&f, DIAG_ERROR, 6, 3, "\"heard\" must be text, not a list",
	    "Write text; for several lines, write | after the colon and "
	    "indent the lines under it.");
	fix_free(&f);
}
