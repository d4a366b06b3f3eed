#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "ical.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"

/* 2025-01-01T00:00:00Z */
#define BUILD	1735689600

static const struct ical_site site = {
	"strategia.example.fi", "Kainuun hyvinvointialue, tapahtumat",
	"Kainuun hyvinvointialue", "osallisuus@example.fi", BUILD,
	NULL, NULL, NULL,
};

static struct ical_event
event(void)
{
	struct ical_event e;

	memset(&e, 0, sizeof(e));
	e.file = "content/tapahtumat/asukasilta.md";
	e.uid = "asukasilta";
	e.title = "Asukasilta";
	e.start = (struct ical_time){ 2025, 5, 15, 18, 0, 0 };
	e.end = (struct ical_time){ 2025, 5, 15, 20, 0, 0 };
	e.has_end = 1;
	return e;
}

/* e as a calendar of its own, checked by ical_check; NULL on failure. */
static char *
render(const struct ical_event *e, const struct ical_site *s)
{
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	char *why = NULL;

	if (ical_event(&b, e, s, &d) == -1) {
		test_fail_str(__FILE__, __LINE__, "ical_event",
		    d.len > 0 ? d.v[0].msg : "", "0");
		diags_free(&d);
		buf_free(&b);
		return NULL;
	}
	diags_free(&d);
	if (ical_check(b.data, b.len, &why) == -1) {
		test_fail_str(__FILE__, __LINE__, "ical_check", why, "valid");
		free(why);
	}
	return buf_detach(&b);
}

/* Whether text has the physical line line, CRLF-ended. */
static int
has_line(const char *text, const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && strncmp(p + n, "\r\n",
		    2) == 0)
			return 1;
		p++;
	}
	return 0;
}

static size_t
count(const char *text, const char *s)
{
	size_t n = 0;

	while ((text = strstr(text, s)) != NULL) {
		n++;
		text++;
	}
	return n;
}

/* text with RFC 5545 folding undone. */
static char *
unfold(const char *text)
{
	struct buf b = BUF_INIT;
	const char *p;

	for (p = text; *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		buf_putc(&b, *p);
	}
	buf_putc(&b, '\0');
	b.len--;
	return buf_detach(&b);
}

/* text without its first physical line that starts with prefix. */
static char *
without_line(const char *text, const char *prefix)
{
	struct buf b = BUF_INIT;
	const char *p = text, *end;

	while ((p = strstr(p, prefix)) != NULL && p != text && p[-1] != '\n')
		p++;
	if (p == NULL)
		return xstrdup(text);
	end = strstr(p, "\r\n");
	buf_put(&b, text, (size_t)(p - text));
	buf_puts(&b, end != NULL ? end + 2 : "");
	return buf_detach(&b);
}

/* The first VEVENT of text, parsed; *cal to free. */
static icalcomponent *
parse_event(const char *text, icalcomponent **cal)
{
	*cal = icalparser_parse_string(text);
	if (*cal == NULL)
		return NULL;
	return icalcomponent_get_first_component(*cal, ICAL_VEVENT_COMPONENT);
}

/* Whether ical_check refuses text; its reason must contain want. */
static int
refused(const char *text, size_t len, const char *want)
{
	char *why = NULL;
	int r;

	r = ical_check(text, len, &why) == -1 && why != NULL &&
	    strstr(why, want) != NULL;
	if (!r)
		test_fail_str(__FILE__, __LINE__, "ical_check", why, want);
	free(why);
	return r;
}

static const char golden[] =
    "BEGIN:VCALENDAR\r\n"
    "PRODID:-//Valo//Valo static site generator//FI\r\n"
    "VERSION:2.0\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Helsinki\r\n"
    "BEGIN:STANDARD\r\n"
    "TZNAME:EET\r\n"
    "TZOFFSETFROM:+0300\r\n"
    "TZOFFSETTO:+0200\r\n"
    "DTSTART:19961027T040000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZNAME:EEST\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0300\r\n"
    "DTSTART:19810329T030000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
    "END:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:asukasilta@strategia.example.fi\r\n"
    "DTSTAMP:20250101T000000Z\r\n"
    "DTSTART;TZID=Europe/Helsinki:20250515T180000\r\n"
    "DTEND;TZID=Europe/Helsinki:20250515T200000\r\n"
    "SUMMARY:Asukasilta\r\n"
    "LOCATION:Kaupungintalo\\, valtuustosali\\, Kajaani\r\n"
    "DESCRIPTION:Kerro\\, miten palvelut toimivat.\\n\\nEsteettömyys: "
    "Esteetön \r\n"
    " sisäänkäynti.\\n\\nLisätietoja: https:\r\n"
    " //strategia.example.fi/tapahtumat/asukasilta/\r\n"
    "URL:https://strategia.example.fi/tapahtumat/asukasilta/\r\n"
    "ORGANIZER;CN=Kainuun hyvinvointialue:mailto:osallisuus@example.fi\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static struct ical_event
golden_event(void)
{
	struct ical_event e = event();

	e.place = "Kaupungintalo, valtuustosali";
	e.municipality = "Kajaani";
	e.description = "Kerro, miten palvelut toimivat.";
	e.accessibility = "Esteetön sisäänkäynti.";
	e.page_url = "https://strategia.example.fi/tapahtumat/asukasilta/";
	return e;
}

TEST(ical_event_matches_golden_bytes)
{
	struct ical_event e = golden_event();
	char *a = render(&e, &site);

	CHECK_STR(a, golden);
	free(a);
}

/*
 * The output must not depend on the zone of the machine, nor on the day
 * it runs: the golden text above holds for a build in 2025 on a machine
 * in New York, and again with another build time only in DTSTAMP.
 */
TEST(ical_event_is_reproducible)
{
	struct ical_event e = golden_event();
	struct ical_site s = site;
	char *a, *b, *tz, *g;
	const char *old = getenv("TZ");

	tz = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", "America/New_York", 1);
	tzset();
	a = render(&e, &site);
	b = render(&e, &site);
	CHECK_STR(a, golden);
	CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
	free(a);
	free(b);
	setenv("TZ", "Pacific/Kiritimati", 1);
	tzset();
	s.build_time = 1700000000;
	a = render(&e, &s);
	g = xstrdup(golden);
	memcpy(strstr(g, "DTSTAMP:") + 8, "20231114T221320Z", 16);
	CHECK_STR(a, g);
	free(a);
	free(g);
	if (tz != NULL)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
}

TEST(ical_text_escaping_round_trips)
{
	static const char desc[] = "Pilkku, puolipiste; kenoviiva \\ ja\n"
	    "uusi rivi: \"lainaus\" ääkköset åÅ € \\n ei rivinvaihto.\n\n"
	    "\tSisennys.";
	static const char title[] = "Sote, kunta; vaikuta \\ nyt";
	struct ical_event e = event();
	icalcomponent *cal, *ev;
	char *a, *u;

	e.description = desc;
	e.title = title;
	e.place = "Sali 1; 2. krs";
	a = render(&e, &site);
	CHECK(a != NULL);
	if (a == NULL)
		return;
	u = unfold(a);
	CHECK(strstr(u, "SUMMARY:Sote\\, kunta\\; vaikuta \\\\ nyt\r\n") !=
	    NULL);
	CHECK(strstr(u, "DESCRIPTION:Pilkku\\, puolipiste\\; kenoviiva "
	    "\\\\ ja\\nuusi rivi: \"lainaus\"") != NULL);
	CHECK(strstr(u, "\\\\n ei rivinvaihto.\\n\\n\tSisennys.\r\n") !=
	    NULL);
	ev = parse_event(a, &cal);
	CHECK(ev != NULL);
	if (ev != NULL) {
		CHECK_STR(icalcomponent_get_description(ev), desc);
		CHECK_STR(icalcomponent_get_summary(ev), title);
		CHECK_STR(icalcomponent_get_location(ev), "Sali 1; 2. krs");
	}
	if (cal != NULL)
		icalcomponent_free(cal);
	free(u);
	free(a);
}

/* Line ends as an editor's file may have them: CRLF and CR are LF. */
TEST(ical_text_line_ends_become_lf)
{
	struct ical_event e = event();
	icalcomponent *cal, *ev;
	char *a;

	e.description = "Yksi\r\nkaksi\rkolme\n\n";
	a = render(&e, &site);
	ev = a != NULL ? parse_event(a, &cal) : NULL;
	CHECK(ev != NULL);
	if (ev != NULL)
		CHECK_STR(icalcomponent_get_description(ev),
		    "Yksi\nkaksi\nkolme");
	if (ev != NULL)
		icalcomponent_free(cal);
	free(a);
}

/*
 * Every physical line of text is at most 75 octets and whole UTF-8 by
 * itself; returns the number of lines of the property name starts.
 */
static size_t
check_folding(const char *text, const char *name)
{
	const char *p = text, *end;
	size_t bad, n = 0, len;
	int in = 0;

	for (; *p != '\0'; p = end + 2) {
		end = strstr(p, "\r\n");
		if (end == NULL) {
			CHECK(!"text ends in CRLF");
			break;
		}
		len = (size_t)(end - p);
		CHECK(len <= 75);
		if (!utf8_valid(p, len, &bad))
			test_fail_str(__FILE__, __LINE__,
			    "a fold splits a character", p, "whole");
		if (*p != ' ')
			in = strncmp(p, name, strlen(name)) == 0 &&
			    (p[strlen(name)] == ':' || p[strlen(name)] == ';');
		if (in)
			n++;
	}
	return n;
}

TEST(ical_folding_keeps_characters_whole)
{
	static const char words[] = "Kainuun hyvinvointialueen "
	    "asukasilta: äänestä, vaikuta ja kerro mielipiteesi "
	    "sosiaali- ja terveyspalveluista Sotkamossa, Suomussalmella, "
	    "Hyrynsalmella, Puolangalla, Paltamossa, Ristijärvellä ja "
	    "Kuhmossa; yhteistyössä järjestöjen kanssa. Tervetuloa! ";
	struct buf t = BUF_INIT;
	struct ical_event e = event();
	icalcomponent *cal, *ev;
	const char *p;
	char *a;
	size_t chars, pass;

	/* Once with spaces to break at, once with ä alone, no ASCII. */
	for (pass = 0; pass < 2; pass++) {
		buf_reset(&t);
		for (chars = 0; chars < 300; chars++) {
			p = pass == 0 ? words + t.len % (sizeof(words) - 1) :
			    "ä";
			/* One whole character at a time. */
			buf_put(&t, p, (*p & 0x80) ? 2 : 1);
		}
		e.title = t.data;
		a = render(&e, &site);
		CHECK(a != NULL);
		if (a == NULL)
			continue;
		CHECK(check_folding(a, "SUMMARY") >= (pass == 0 ? 5 : 9));
		ev = parse_event(a, &cal);
		CHECK(ev != NULL);
		if (ev != NULL)
			CHECK_STR(icalcomponent_get_summary(ev), t.data);
		if (cal != NULL)
			icalcomponent_free(cal);
		free(a);
	}
	buf_free(&t);
}

TEST(ical_vtimezone_is_present_and_referenced)
{
	static const struct {
		int	month, day, hour;
		int	utc_hour;
	} v[] = {
		{ 1, 15, 12, 10 },	/* EET, +02 */
		{ 7, 1, 12, 9 },	/* EEST, +03 */
		{ 3, 30, 2, 0 },	/* before the change */
		{ 3, 30, 4, 1 },	/* after it */
		{ 10, 26, 2, 23 },	/* summer time: 23 the day before */
		{ 10, 26, 5, 3 },	/* winter again */
	};
	struct ical_event e = event();
	struct icaltimetype t;
	icalcomponent *cal;
	icaltimezone *zone;
	size_t i;
	char *a;

	a = render(&e, &site);
	CHECK(a != NULL);
	if (a == NULL)
		return;
	CHECK(strstr(a, "BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n") != NULL);
	CHECK(has_line(a, "DTSTART;TZID=Europe/Helsinki:20250515T180000"));
	CHECK(has_line(a, "DTEND;TZID=Europe/Helsinki:20250515T200000"));
	CHECK(has_line(a, "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"));
	CHECK(has_line(a, "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"));
	/* The zone written works: libical converts times with it. */
	cal = icalparser_parse_string(a);
	zone = cal != NULL ? icalcomponent_get_timezone(cal,
	    "Europe/Helsinki") : NULL;
	CHECK(zone != NULL);
	for (i = 0; zone != NULL && i < sizeof(v) / sizeof(v[0]); i++) {
		t = icaltime_null_time();
		t.year = 2025;
		t.month = v[i].month;
		t.day = v[i].day;
		t.hour = v[i].hour;
		icaltimezone_convert_time(&t, zone,
		    icaltimezone_get_utc_timezone());
		if (t.hour != v[i].utc_hour)
			test_fail(__FILE__, __LINE__, "UTC hour of a "
			    "Helsinki time");
	}
	if (cal != NULL)
		icalcomponent_free(cal);
	free(a);
}

/*
 * 03:30 on 2025-03-30 never comes (clocks go from 03:00 to 04:00), and
 * 03:30 on 2025-10-26 comes twice. Both are written as given, with the
 * TZID: RFC 5545 section 3.3.5 says how calendars read them.
 */
TEST(ical_dst_change_keeps_wall_clock)
{
	struct ical_event e = event();
	char *a;

	e.start = (struct ical_time){ 2025, 3, 30, 3, 30, 0 };
	e.end = (struct ical_time){ 2025, 3, 30, 4, 15, 0 };
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a,
	    "DTSTART;TZID=Europe/Helsinki:20250330T033000"));
	CHECK(a != NULL && has_line(a,
	    "DTEND;TZID=Europe/Helsinki:20250330T041500"));
	free(a);
	e.start = (struct ical_time){ 2025, 10, 26, 3, 30, 0 };
	e.end = (struct ical_time){ 2025, 10, 26, 3, 45, 0 };
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a,
	    "DTSTART;TZID=Europe/Helsinki:20251026T033000"));
	CHECK(a != NULL && has_line(a,
	    "DTEND;TZID=Europe/Helsinki:20251026T034500"));
	free(a);
}

TEST(ical_all_day_event_is_dates)
{
	static const struct {
		struct ical_time start, end;
		int		 has_end;
		const char	*dtstart, *dtend;
	} v[] = {
		{ { 2025, 6, 1, 0, 0, 1 }, { 0, 0, 0, 0, 0, 0 }, 0,
		    "DTSTART;VALUE=DATE:20250601", NULL },
		{ { 2025, 6, 1, 0, 0, 1 }, { 2025, 6, 1, 0, 0, 1 }, 1,
		    "DTSTART;VALUE=DATE:20250601",
		    "DTEND;VALUE=DATE:20250602" },
		{ { 2025, 6, 28, 0, 0, 1 }, { 2025, 6, 30, 0, 0, 1 }, 1,
		    "DTSTART;VALUE=DATE:20250628",
		    "DTEND;VALUE=DATE:20250701" },
		{ { 2025, 12, 31, 0, 0, 1 }, { 2025, 12, 31, 0, 0, 1 }, 1,
		    "DTSTART;VALUE=DATE:20251231",
		    "DTEND;VALUE=DATE:20260101" },
		/* The last day whose day after libical can write. */
		{ { 3000, 12, 30, 0, 0, 1 }, { 3000, 12, 30, 0, 0, 1 }, 1,
		    "DTSTART;VALUE=DATE:30001230",
		    "DTEND;VALUE=DATE:30001231" },
	};
	struct ical_event e = event();
	size_t i;
	char *a;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		e.start = v[i].start;
		e.end = v[i].end;
		e.has_end = v[i].has_end;
		a = render(&e, &site);
		CHECK(a != NULL);
		if (a == NULL)
			continue;
		if (!has_line(a, v[i].dtstart))
			test_fail_str(__FILE__, __LINE__, "DTSTART", a,
			    v[i].dtstart);
		if (v[i].dtend != NULL ? !has_line(a, v[i].dtend) :
		    strstr(a, "DTEND") != NULL)
			test_fail_str(__FILE__, __LINE__, "DTEND", a,
			    v[i].dtend != NULL ? v[i].dtend : "none");
		CHECK(strstr(a, "DTSTART;TZID") == NULL);
		free(a);
	}
}

/* A timed event that ends as it starts has no DTEND: the same meaning. */
TEST(ical_zero_length_event_has_no_dtend)
{
	struct ical_event e = event();
	char *a;

	e.end = e.start;
	a = render(&e, &site);
	CHECK(a != NULL && strstr(a, "DTEND") == NULL);
	free(a);
}

TEST(ical_leap_day)
{
	static const struct ical_time bad[] = {
		{ 2025, 2, 29, 12, 0, 0 }, { 2100, 2, 29, 0, 0, 1 },
		{ 2023, 2, 29, 0, 0, 1 },
	};
	struct ical_event e = event();
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	size_t i;
	char *a;

	e.start = (struct ical_time){ 2024, 2, 29, 18, 0, 0 };
	e.end = (struct ical_time){ 2024, 2, 29, 19, 30, 0 };
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a,
	    "DTSTART;TZID=Europe/Helsinki:20240229T180000"));
	free(a);
	e.start = (struct ical_time){ 2024, 2, 28, 0, 0, 1 };
	e.end = (struct ical_time){ 2024, 2, 29, 0, 0, 1 };
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a, "DTEND;VALUE=DATE:20240301"));
	free(a);
	e.start = (struct ical_time){ 2000, 2, 29, 0, 0, 1 };
	e.has_end = 0;
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a, "DTSTART;VALUE=DATE:20000229"));
	free(a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.start = bad[i];
		CHECK(ical_event(&b, &e, &site, &d) == -1);
		CHECK(d.errors == i + 1 && b.len == 0);
	}
	CHECK(d.len > 0 && strstr(d.v[0].msg, "2025-02-29 12:00") != NULL);
	diags_free(&d);
	buf_free(&b);
}

TEST(ical_uid_is_stable)
{
	struct ical_event e = event();
	struct ical_site s = site;
	char *a, *b;

	a = render(&e, &site);
	s.build_time = BUILD + 86400 * 30;
	b = render(&e, &s);
	CHECK(a != NULL && has_line(a, "UID:asukasilta@strategia.example.fi"));
	CHECK(b != NULL && has_line(b, "UID:asukasilta@strategia.example.fi"));
	free(a);
	free(b);
	e.uid = "asukasilta-2";
	a = render(&e, &site);
	CHECK(a != NULL &&
	    has_line(a, "UID:asukasilta-2@strategia.example.fi"));
	free(a);
}

TEST(ical_dtstamp_is_the_build_time)
{
	static const struct {
		int64_t		 t;
		const char	*line;
	} v[] = {
		{ BUILD, "DTSTAMP:20250101T000000Z" },
		{ 1700000000, "DTSTAMP:20231114T221320Z" },
		{ 951782400, "DTSTAMP:20000229T000000Z" },
		{ 0, "DTSTAMP:19700101T000000Z" },
		{ INT64_C(32535215999), "DTSTAMP:30001231T235959Z" },
	};
	struct ical_event e = event();
	struct ical_site s = site;
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	size_t i;
	char *a;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		s.build_time = v[i].t;
		a = render(&e, &s);
		if (a == NULL || !has_line(a, v[i].line))
			test_fail_str(__FILE__, __LINE__, "DTSTAMP", a,
			    v[i].line);
		free(a);
	}
	s.build_time = -1;
	CHECK(ical_event(&b, &e, &s, &d) == -1 && d.errors == 1);
	s.build_time = INT64_C(32535216000);	/* 3001-01-01 */
	CHECK(ical_event(&b, &e, &s, &d) == -1 && d.errors == 2);
	CHECK(b.len == 0);
	diags_free(&d);
	buf_free(&b);
}

TEST(ical_url_is_remote_link_else_page)
{
	struct ical_event e = event();
	icalcomponent *cal, *ev;
	char *a;

	e.remote_url = "https://teams.example.com/l/meetup-join/19%3a?x=1";
	e.page_url = "https://strategia.example.fi/tapahtumat/a/";
	e.accessibility = "Pyörätuoliluiska.";
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a,
	    "URL:https://teams.example.com/l/meetup-join/19%3a?x=1"));
	ev = a != NULL ? parse_event(a, &cal) : NULL;
	CHECK(ev != NULL);
	if (ev != NULL) {
		CHECK_STR(icalcomponent_get_description(ev),
		    "Esteettömyys: Pyörätuoliluiska.\n\n"
		    "Etäosallistuminen: "
		    "https://teams.example.com/l/meetup-join/19%3a?x=1\n\n"
		    "Lisätietoja: https://strategia.example.fi/tapahtumat/a/");
		icalcomponent_free(cal);
	}
	free(a);
	e.remote_url = NULL;
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a,
	    "URL:https://strategia.example.fi/tapahtumat/a/"));
	free(a);
	e.page_url = NULL;
	a = render(&e, &site);
	CHECK(a != NULL && strstr(a, "\r\nURL:") == NULL);
	free(a);
}

TEST(ical_labels_can_be_given)
{
	struct ical_event e = event();
	struct ical_site s = site;
	char *a, *u;

	s.label_accessibility = "Accessibility";
	s.label_remote = "Join online";
	s.label_page = "More";
	e.accessibility = "Ramp.";
	e.remote_url = "https://meet.example.com/x";
	e.page_url = "https://strategia.example.fi/en/x/";
	a = render(&e, &s);
	u = a != NULL ? unfold(a) : NULL;
	CHECK(u != NULL && strstr(u, "DESCRIPTION:Accessibility: Ramp.\\n\\n"
	    "Join online: https://meet.example.com/x\\n\\nMore: "
	    "https://strategia.example.fi/en/x/\r\n") != NULL);
	free(u);
	free(a);
}

/* libical's parser trims values and drops blank ones: so do we. */
TEST(ical_white_space_around_text_is_dropped)
{
	struct ical_event e = event();
	icalcomponent *cal, *ev;
	char *a;

	e.title = "  Asukasilta\t";
	e.place = " \t";
	e.description = "\n  Ensin.\n\n  Sisennetty.  \n";
	e.accessibility = "   ";
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a, "SUMMARY:Asukasilta"));
	CHECK(a != NULL && strstr(a, "LOCATION") == NULL);
	CHECK(a != NULL && strstr(a, "Esteett") == NULL);
	ev = a != NULL ? parse_event(a, &cal) : NULL;
	CHECK(ev != NULL);
	if (ev != NULL) {
		CHECK_STR(icalcomponent_get_summary(ev), "Asukasilta");
		CHECK_STR(icalcomponent_get_description(ev),
		    "Ensin.\n\n  Sisennetty.");
		icalcomponent_free(cal);
	}
	free(a);
}

TEST(ical_location_joins_place_and_municipality)
{
	struct ical_event e = event();
	char *a;

	e.municipality = "Kuhmo";
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a, "LOCATION:Kuhmo"));
	free(a);
	e.place = "Kuhmo-talo";
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a, "LOCATION:Kuhmo-talo\\, Kuhmo"));
	free(a);
	e.place = e.municipality = NULL;
	a = render(&e, &site);
	CHECK(a != NULL && strstr(a, "LOCATION") == NULL);
	free(a);
}

TEST(ical_cancelled_event_has_status)
{
	struct ical_event e = event();
	char *a;

	a = render(&e, &site);
	CHECK(a != NULL && strstr(a, "STATUS") == NULL);
	free(a);
	e.cancelled = 1;
	a = render(&e, &site);
	CHECK(a != NULL && has_line(a, "STATUS:CANCELLED"));
	free(a);
}

TEST(ical_feed_keeps_the_order_given)
{
	struct ical_event v[3];
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	icalcomponent *cal, *ev;
	icalproperty *p;
	const char *x, *y, *z;
	char *why = NULL;

	v[0] = v[1] = v[2] = event();
	v[0].uid = "syksy";
	v[0].start.month = v[0].end.month = 9;
	v[1].uid = "kevat";
	v[1].start.month = v[1].end.month = 3;
	v[2].uid = "kesa";
	v[2].start = (struct ical_time){ 2025, 7, 1, 0, 0, 1 };
	v[2].has_end = 0;
	CHECK(ical_feed(&b, v, 3, &site, &d) == 0 && d.len == 0);
	CHECK(ical_check(b.data, b.len, &why) == 0);
	free(why);
	x = strstr(b.data, "UID:syksy@");
	y = strstr(b.data, "UID:kevat@");
	z = strstr(b.data, "UID:kesa@");
	CHECK(x != NULL && y != NULL && z != NULL && x < y && y < z);
	CHECK(count(b.data, "BEGIN:VTIMEZONE") == 1);
	CHECK(has_line(b.data,
	    "X-WR-CALNAME:Kainuun hyvinvointialue, tapahtumat"));
	/* The name comes back as it was given. */
	cal = icalparser_parse_string(b.data);
	p = cal != NULL ? icalcomponent_get_first_property(cal,
	    ICAL_X_PROPERTY) : NULL;
	CHECK(p != NULL);
	if (p != NULL) {
		CHECK_STR(icalproperty_get_x_name(p), "X-WR-CALNAME");
		CHECK_STR(icalproperty_get_x(p),
		    "Kainuun hyvinvointialue, tapahtumat");
	}
	ev = cal != NULL ? icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT) : NULL;
	CHECK(ev != NULL && strcmp(icalcomponent_get_uid(ev),
	    "syksy@strategia.example.fi") == 0);
	if (cal != NULL)
		icalcomponent_free(cal);
	diags_free(&d);
	buf_free(&b);
}

TEST(ical_feed_of_no_events_is_valid)
{
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	char *why = NULL;

	CHECK(ical_feed(&b, NULL, 0, &site, &d) == 0);
	CHECK(ical_check(b.data, b.len, &why) == 0);
	CHECK(strstr(b.data, "VEVENT") == NULL);
	free(why);
	diags_free(&d);
	buf_free(&b);
}

TEST(ical_feed_refuses_shared_identifiers)
{
	struct ical_event v[3];
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;

	v[0] = v[1] = v[2] = event();
	v[1].uid = "toinen";
	v[2].file = "content/tapahtumat/kopio.md";
	CHECK(ical_feed(&b, v, 3, &site, &d) == -1 && b.len == 0);
	CHECK(d.errors == 1);
	CHECK(d.len == 1 && strcmp(d.v[0].file,
	    "content/tapahtumat/kopio.md") == 0 &&
	    strstr(d.v[0].msg, "asukasilta.md") != NULL);
	diags_free(&d);
	buf_free(&b);
}

/* One bad event: a diagnostic at its file, and no feed at all. */
TEST(ical_feed_refuses_a_bad_event)
{
	struct ical_event v[2];
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;

	v[0] = v[1] = event();
	v[1].uid = "toinen";
	v[1].file = "content/tapahtumat/toinen.md";
	v[1].end.hour = 17;
	buf_puts(&b, "ennen");
	CHECK(ical_feed(&b, v, 2, &site, &d) == -1);
	CHECK_STR(b.data, "ennen");
	CHECK(d.len == 1 && strcmp(d.v[0].file,
	    "content/tapahtumat/toinen.md") == 0);
	diags_free(&d);
	buf_free(&b);
}

TEST(ical_invalid_input_fails_cleanly)
{
	struct ical_event e;
	struct ical_site s;
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	size_t i;

	for (i = 0;; i++) {
		e = event();
		s = site;
		switch (i) {
		case 0: e.end.hour = 17; break;		/* before start */
		case 1: e.start.month = 13; break;
		case 2: e.start.month = 4; e.start.day = 31; break;
		case 3: e.start.hour = 24; break;
		case 4: e.end.minute = 60; break;
		case 5: e.start.day = 0; break;
		case 6: e.start.year = 3001; break;
		case 7: e.end.all_day = 1; break;
		case 8: e.title = NULL; break;
		case 9: e.title = ""; break;
		case 10: e.uid = NULL; break;
		case 11: e.title = "Rivi\nrikki"; break;
		case 12: e.title = "Kello\x07"; break;
		case 13: e.description = "rikki \xc3("; break;
		case 14: e.page_url = "/tapahtumat/x/"; break;
		case 15: e.remote_url = "javascript:alert(1)"; break;
		case 16: e.remote_url = "https://x.example/\r\nSTATUS:X"; break;
		case 17: e.remote_url = "https://"; break;
		case 18: s.organizer_email = NULL; break;
		case 19: s.organizer_email = "ei osoite"; break;
		case 20: s.host = NULL; break;
		case 21: s.host = "a@b"; break;
		case 22: e.start = (struct ical_time){ 3000, 12, 31, 0, 0, 1 };
			e.end = e.start; break;
		case 23: e.start.all_day = e.end.all_day = 1;
			e.end.day = 14; break;
		case 24: e.accessibility = "\x1b[31m"; break;
		case 25: s.organizer = "Nimi\n"; break;
		case 26: s.label_page = "Lisää\r\nX-EVIL:1"; break;
		case 27: e.title = " \t "; break;
		case 28: e.uid = "asukas ilta"; break;
		case 29: s.name = NULL; s.organizer_email = "@"; break;
		default: goto done;
		}
		buf_puts(&b, "x");
		if (ical_event(&b, &e, &s, &d) != -1 || d.errors != i + 1 ||
		    strcmp(b.data, "x") != 0) {
			test_fail(__FILE__, __LINE__, "invalid input");
			printf("    case %zu\n", i);
		}
		buf_reset(&b);
	}
done:
	CHECK(strstr(d.v[0].msg, "ends before it starts") != NULL);
	CHECK_STR(d.v[0].file, "content/tapahtumat/asukasilta.md");
	diags_free(&d);
	buf_free(&b);
}

/* A feed needs a name; a single event's file has none. */
TEST(ical_feed_needs_a_name)
{
	struct ical_event e = event();
	struct ical_site s = site;
	struct buf b = BUF_INIT;
	struct diags d = DIAGS_INIT;
	char *a;

	s.name = NULL;
	CHECK(ical_feed(&b, &e, 1, &s, &d) == -1 && d.errors == 1);
	a = render(&e, &s);
	CHECK(a != NULL && strstr(a, "X-WR-CALNAME") == NULL);
	free(a);
	diags_free(&d);
	buf_free(&b);
}

TEST(ical_check_accepts_what_valo_writes)
{
	struct ical_event e = golden_event();
	char *why = (char *)"unset";

	CHECK(ical_check(golden, strlen(golden), &why) == 0 && why == NULL);
	e.cancelled = 1;
	e.start = (struct ical_time){ 2024, 2, 29, 0, 0, 1 };
	e.end = e.start;
	free(render(&e, &site));
}

TEST(ical_check_refuses_broken_calendars)
{
	static const char two_uids[] =
	    "BEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20250101T000000Z\r\n"
	    "DTSTART;VALUE=DATE:20250101\r\nSUMMARY:x\r\n"
	    "ORGANIZER:mailto:a@b\r\nEND:VEVENT\r\n";
	struct buf b = BUF_INIT;
	char *t, *u;
	size_t i;

	CHECK(refused("", 0, "empty"));
	CHECK(refused("garbage", 7, "CRLF"));
	CHECK(refused("garbage\r\n", 9, "no calendar"));
	CHECK(refused("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30,
	    "no calendar"));
	CHECK(refused("BEGIN:VCALENDAR\r\n\0", 18, "NUL"));
	CHECK(refused("BEGIN:VCALENDAR\xff\r\n", 18, "UTF-8"));

	t = without_line(golden, "UID:");
	CHECK(refused(t, strlen(t), "a VEVENT has no UID"));
	free(t);
	t = without_line(golden, "DTSTAMP:");
	CHECK(refused(t, strlen(t), "DTSTAMP"));
	free(t);
	t = without_line(golden, "SUMMARY:");
	CHECK(refused(t, strlen(t), "SUMMARY"));
	free(t);
	t = without_line(golden, "VERSION:");
	CHECK(refused(t, strlen(t), "VERSION"));
	free(t);
	/* Without it, libical's RFC 5546 check of METHOD:PUBLISH fails. */
	t = without_line(golden, "ORGANIZER");
	CHECK(refused(t, strlen(t), "ORGANIZER"));
	free(t);

	/* Two calendars, one after the other. */
	buf_puts(&b, golden);
	buf_puts(&b, golden);
	CHECK(refused(b.data, b.len, "exactly one VCALENDAR"));

	/* LF alone, and an unfolded line. */
	buf_reset(&b);
	for (i = 0; golden[i] != '\0'; i++)
		if (golden[i] != '\r')
			buf_putc(&b, golden[i]);
	CHECK(refused(b.data, b.len, "LF alone"));
	u = unfold(golden);
	CHECK(refused(u, strlen(u), "longer than 75"));
	free(u);

	/* A TZID that no VTIMEZONE defines. */
	buf_reset(&b);
	buf_put(&b, golden, (size_t)(strstr(golden, "BEGIN:VTIMEZONE") -
	    golden));
	buf_puts(&b, strstr(golden, "END:VTIMEZONE\r\n") + 15);
	CHECK(refused(b.data, b.len, "Europe/Helsinki"));

	/* A value libical cannot read, which it marks X-LIC-ERROR. */
	buf_reset(&b);
	t = strstr(golden, "20250515T180000");
	buf_put(&b, golden, (size_t)(t - golden));
	buf_puts(&b, "2025banana");
	buf_puts(&b, t + 15);
	CHECK(refused(b.data, b.len, "libical"));

	/* Two events of one UID. */
	buf_reset(&b);
	buf_puts(&b, "BEGIN:VCALENDAR\r\nPRODID:x\r\nVERSION:2.0\r\n"
	    "METHOD:PUBLISH\r\n");
	buf_puts(&b, two_uids);
	buf_puts(&b, two_uids);
	buf_puts(&b, "END:VCALENDAR\r\n");
	CHECK(refused(b.data, b.len, "UID \"a@b\""));
	buf_free(&b);
}
