#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libical/ical.h>

#include "ical.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/text.h"

#define PRODID	"-//Valo//Valo static site generator//FI"
#define TZID	"Europe/Helsinki"

/*
 * The last year libical writes: it counts a later one as no time at all
 * (icaltime_is_valid_time) and writes zeros. The last second of that
 * year is the last DTSTAMP.
 */
#define YEAR_MAX	3000
#define STAMP_MAX	INT64_C(32535215999)

/* The longest line RFC 5545 allows, in octets, CRLF not counted. */
#define LINE_MAX_OCTETS	75

static const char *const url_hint_ical =
    N_("A calendar is read outside the site: give the whole address, "
    "starting with https://.");

/*
 * Adds a diagnostic and returns -1 if s is not text a calendar can
 * carry: invalid UTF-8, or a control character other than tab (and line
 * ends, where lines is set). libical would drop some of these and pass
 * the others on, which no parser takes back.
 */
static int
check_text(struct diags *d, const char *file, const char *what,
    const char *s, int lines)
{
	size_t n = strlen(s), i, bad;
	unsigned char c;

	if (!utf8_valid(s, n, &bad)) {
		diag_error(d, file, 0, 0, NULL,
		    "%s is not valid UTF-8 (byte %zu)", what, bad + 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\t' || (lines && (c == '\n' || c == '\r')))
			continue;
		if (c < 0x20 || c == 0x7f) {
			diag_error(d, file, 0, 0, NULL,
			    "%s has a control character (byte %zu)", what,
			    i + 1);
			return -1;
		}
	}
	return 0;
}

/*
 * libical's parser takes the white space around a value off, and a
 * value of white space alone for none: such text is written trimmed
 * (put_text), and a field of white space alone is left out.
 */
static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

/*
 * A link in a calendar is opened from the reader's calendar, where a
 * path of the site means nothing, so only whole http(s) addresses do.
 * URI values are written by libical as they are, unescaped: a space or
 * a line end would break the line, so those are refused too.
 */
static int
check_url(struct diags *d, const char *file, const char *what,
    const char *url)
{
	size_t n;

	if (check_text(d, file, what, url, 0) == -1)
		return -1;
	if (strncasecmp(url, "https://", 8) == 0)
		n = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		n = 7;
	else
		n = 0;
	if (n == 0 || url[n] == '\0' || url[n] == '/' ||
	    strpbrk(url, " \t") != NULL) {
		diag_error(d, file, 0, 0, url_hint_ical,
		    "%s must be a whole http:// or https:// address, not "
		    "\"%s\"", what, url);
		return -1;
	}
	return 0;
}

static int
check_time(struct diags *d, const char *file, const char *what,
    const struct ical_time *t)
{
	int ok;

	ok = t->year >= 1 && t->year <= YEAR_MAX && t->month >= 1 &&
	    t->month <= 12 && t->day >= 1 &&
	    t->day <= icaltime_days_in_month(t->month, t->year);
	if (t->all_day) {
		if (!ok)
			diag_error(d, file, 0, 0, NULL,
			    "%s is not a possible date: %04d-%02d-%02d", what,
			    t->year, t->month, t->day);
		return ok ? 0 : -1;
	}
	ok = ok && t->hour >= 0 && t->hour <= 23 && t->minute >= 0 &&
	    t->minute <= 59;
	if (!ok)
		diag_error(d, file, 0, 0, NULL,
		    "%s is not a possible time: %04d-%02d-%02d %02d:%02d", what,
		    t->year, t->month, t->day, t->hour, t->minute);
	return ok ? 0 : -1;
}

/* Orders two valid times of the same kind as wall-clock readings. */
static long long
time_key(const struct ical_time *t)
{
	long long k;

	k = ((long long)t->year * 13 + t->month) * 32 + t->day;
	if (!t->all_day)
		k = (k * 24 + t->hour) * 60 + t->minute;
	return k;
}

/* Adds a diagnostic for every way e is not an event to write. */
static int
check_event(const struct ical_event *e, struct diags *d)
{
	const char *f = e->file != NULL ? e->file : "";
	int rc = 0;

	if (blank(e->uid)) {
		diag_error(d, f, 0, 0, NULL, "%s is empty",
		    W_("the event's identifier"));
		rc = -1;
	} else if (check_text(d, f, W_("the event's identifier"), e->uid,
	    0) == -1)
		rc = -1;
	else if (strpbrk(e->uid, " \t") != NULL) {
		/* Written as it is: UIDs are compared as they are. */
		diag_error(d, f, 0, 0,
		    "Use the event's slug, such as asukasilta-2025.",
		    "the event's identifier \"%s\" has white space", e->uid);
		rc = -1;
	}
	if (blank(e->title)) {
		diag_error(d, f, 0, 0, NULL, "%s is empty",
		    W_("the event's title"));
		rc = -1;
	} else if (check_text(d, f, W_("the event's title"), e->title,
	    0) == -1)
		rc = -1;
	if (!blank(e->place) &&
	    check_text(d, f, W_("the event's place"), e->place, 0) == -1)
		rc = -1;
	if (!blank(e->municipality) && check_text(d, f,
	    W_("the event's municipality"), e->municipality, 0) == -1)
		rc = -1;
	if (!blank(e->description) && check_text(d, f,
	    W_("the event's description"), e->description, 1) == -1)
		rc = -1;
	if (!blank(e->accessibility) && check_text(d, f,
	    W_("the event's accessibility"), e->accessibility, 1) == -1)
		rc = -1;
	if (!blank(e->remote_url) && check_url(d, f,
	    W_("the event's remote link"), e->remote_url) == -1)
		rc = -1;
	if (!blank(e->page_url) && check_url(d, f,
	    W_("the event's page address"), e->page_url) == -1)
		rc = -1;
	if (check_time(d, f, W_("the event's start"), &e->start) == -1)
		return -1;
	if (!e->has_end)
		return rc;
	if (check_time(d, f, W_("the event's end"), &e->end) == -1)
		return -1;
	if (e->start.all_day != e->end.all_day) {
		diag_error(d, f, 0, 0, NULL, "the event's start and end must "
		    "both be dates, or both dates with a time of day");
		return -1;
	}
	/* An all-day end is written as the day after, which must exist. */
	if (e->end.all_day && e->end.year == YEAR_MAX && e->end.month == 12 &&
	    e->end.day == 31) {
		diag_error(d, f, 0, 0, NULL,
		    "%s is not a possible date: %04d-%02d-%02d",
		    W_("the event's end"), e->end.year, e->end.month,
		    e->end.day);
		return -1;
	}
	if (time_key(&e->end) < time_key(&e->start)) {
		diag_error(d, f, 0, 0, NULL, "the event ends before it starts");
		return -1;
	}
	return rc;
}

static int
check_site(const struct ical_site *s, int feed, struct diags *d)
{
	const char *at;
	int rc = 0;

	/* Text first: the messages after it quote the value. */
	if (s->host != NULL && check_text(d, "", W_("the calendar's host"),
	    s->host, 0) == -1)
		rc = -1;
	else if (blank(s->host) || strpbrk(s->host, " \t@/") != NULL) {
		diag_error(d, "", 0, 0,
		    "Give the host name alone, such as strategia.example.fi.",
		    "%s must be a host name, not \"%s\"",
		    W_("the calendar's host"), s->host != NULL ? s->host : "");
		rc = -1;
	}
	if (feed) {
		if (blank(s->name)) {
			diag_error(d, "", 0, 0, NULL, "%s is empty",
			    W_("the calendar's name"));
			rc = -1;
		} else if (check_text(d, "", W_("the calendar's name"),
		    s->name, 0) == -1)
			rc = -1;
	}
	if (!blank(s->organizer) && check_text(d, "",
	    W_("the calendar's organizer"), s->organizer, 0) == -1)
		rc = -1;
	at = s->organizer_email != NULL ? strchr(s->organizer_email, '@') :
	    NULL;
	if (s->organizer_email != NULL && check_text(d, "",
	    W_("the calendar's organizer address"), s->organizer_email,
	    0) == -1)
		rc = -1;
	else if (at == NULL || at == s->organizer_email || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL ||
	    strpbrk(s->organizer_email, " \t") != NULL) {
		diag_error(d, "", 0, 0, "Every event a calendar publishes "
		    "names its organizer by an e-mail address (RFC 5546).",
		    "%s must be an e-mail address, not \"%s\"",
		    W_("the calendar's organizer address"),
		    s->organizer_email != NULL ? s->organizer_email : "");
		rc = -1;
	}
	if ((!blank(s->label_accessibility) && check_text(d, "",
	    W_("a label of the calendar"), s->label_accessibility, 0) == -1) ||
	    (!blank(s->label_remote) && check_text(d, "",
	    W_("a label of the calendar"), s->label_remote, 0) == -1) ||
	    (!blank(s->label_page) && check_text(d, "",
	    W_("a label of the calendar"), s->label_page, 0) == -1))
		rc = -1;
	if (s->build_time < 0 || s->build_time > STAMP_MAX ||
	    (int64_t)(time_t)s->build_time != s->build_time) {
		diag_error(d, "", 0, 0, NULL,
		    "the build time %lld is not between the years 1970 "
		    "and %d", (long long)s->build_time, YEAR_MAX);
		rc = -1;
	}
	return rc;
}

/*
 * Appends s to b without the white space around it (see blank), with
 * CRLF and CR read as LF: libical drops a CR, which would join the lines
 * around a lone one.
 */
static void
put_text(struct buf *b, const char *s)
{
	size_t n, i;

	s += strspn(s, " \t\r\n");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (i = 0; i < n; i++) {
		if (s[i] != '\r')
			buf_putc(b, s[i]);
		else if (i + 1 == n || s[i + 1] != '\n')
			buf_putc(b, '\n');
	}
}

/* s, which is not blank, trimmed by put_text into b. */
static const char *
trimmed(struct buf *b, const char *s)
{
	buf_reset(b);
	put_text(b, s);
	return b->data;
}

static void
put_part(struct buf *b, const char *label, const char *s)
{
	if (b->len > 0)
		buf_puts(b, "\n\n");
	if (label != NULL)
		buf_printf(b, "%s: ", label);
	put_text(b, s);
}

static struct icaltimetype
to_ical(const struct ical_time *t)
{
	struct icaltimetype v;

	/* Floating: the TZID parameter, not a zone of libical, says where. */
	v = t->all_day ? icaltime_null_date() : icaltime_null_time();
	v.year = t->year;
	v.month = t->month;
	v.day = t->day;
	if (!t->all_day) {
		v.hour = t->hour;
		v.minute = t->minute;
	}
	return v;
}

/* DTSTART or DTEND (end set) of t, with its TZID if it has a time. */
static icalproperty *
time_prop(const struct ical_time *t, int end)
{
	struct icaltimetype v = to_ical(t);
	icalproperty *p;

	if (end && t->all_day)
		icaltime_adjust(&v, 1, 0, 0, 0);
	p = end ? icalproperty_new_dtend(v) : icalproperty_new_dtstart(v);
	if (!t->all_day)
		icalproperty_add_parameter(p, icalparameter_new_tzid(TZID));
	return p;
}

/*
 * Europe/Helsinki by the EU rules, which Finland has followed since
 * 1981 (summer time) and 1996 (its end in October). Written out here
 * rather than taken from libical's zone database, whose VTIMEZONE lists
 * changes up to the current year and so differs from year to year and
 * from machine to machine. Winters from 1981 to 1995 (summer time then
 * ended in September) read as summer time by these rules: no event
 * Valo publishes is that old, and a rule for them would be one more
 * observance in every file.
 */
static icalcomponent *
helsinki(void)
{
	static const struct {
		icalcomponent_kind	 kind;
		const char		*name;
		int			 from, to;	/* s east of UTC */
		int			 y, m, d, h;	/* first, local */
		const char		*rule;
	} obs[] = {
		{ ICAL_XSTANDARD_COMPONENT, "EET", 3 * 3600, 2 * 3600,
		    1996, 10, 27, 4, "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" },
		{ ICAL_XDAYLIGHT_COMPONENT, "EEST", 2 * 3600, 3 * 3600,
		    1981, 3, 29, 3, "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" },
	};
	icalcomponent *tz, *c;
	struct icaltimetype t;
	size_t i;

	tz = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
	icalcomponent_add_property(tz, icalproperty_new_tzid(TZID));
	for (i = 0; i < sizeof(obs) / sizeof(obs[0]); i++) {
		c = icalcomponent_new(obs[i].kind);
		icalcomponent_add_property(c,
		    icalproperty_new_tzname(obs[i].name));
		icalcomponent_add_property(c,
		    icalproperty_new_tzoffsetfrom(obs[i].from));
		icalcomponent_add_property(c,
		    icalproperty_new_tzoffsetto(obs[i].to));
		t = icaltime_null_time();
		t.year = obs[i].y;
		t.month = obs[i].m;
		t.day = obs[i].d;
		t.hour = obs[i].h;
		icalcomponent_add_property(c, icalproperty_new_dtstart(t));
		icalcomponent_add_property(c, icalproperty_new_rrule(
		    icalrecurrencetype_from_string(obs[i].rule)));
		icalcomponent_add_component(tz, c);
	}
	return tz;
}

/* The VCALENDAR around the events, with the time zone they refer to. */
static icalcomponent *
calendar(const struct ical_site *s, int feed)
{
	struct buf b = BUF_INIT;
	icalcomponent *cal;
	icalproperty *p;

	cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal,
	    icalproperty_new_method(ICAL_METHOD_PUBLISH));
	if (feed) {
		p = icalproperty_new_x(trimmed(&b, s->name));
		icalproperty_set_x_name(p, "X-WR-CALNAME");
		icalcomponent_add_property(cal, p);
		buf_free(&b);
	}
	/*
	 * Always, even for a feed of all-day events or none: a calendar
	 * needs one component (RFC 5545 section 3.6), and a calendar app
	 * learns from it which zone the calendar is in.
	 */
	icalcomponent_add_component(cal, helsinki());
	return cal;
}

/*
 * e, which check_event has accepted, as a VEVENT. libical copies every
 * string it is given, so one buffer serves for all of them.
 */
static icalcomponent *
vevent(const struct ical_event *e, const struct ical_site *s,
    struct icaltimetype stamp)
{
	struct buf b = BUF_INIT;
	icalcomponent *ev;
	icalproperty *p;
	const char *url;

	ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	buf_printf(&b, "%s@%s", e->uid, s->host);
	icalcomponent_add_property(ev, icalproperty_new_uid(b.data));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
	icalcomponent_add_property(ev, time_prop(&e->start, 0));
	if (e->has_end && (e->end.all_day ||
	    time_key(&e->end) != time_key(&e->start)))
		icalcomponent_add_property(ev, time_prop(&e->end, 1));
	icalcomponent_add_property(ev,
	    icalproperty_new_summary(trimmed(&b, e->title)));

	buf_reset(&b);
	if (!blank(e->place))
		put_text(&b, e->place);
	if (!blank(e->place) && !blank(e->municipality))
		buf_puts(&b, ", ");
	if (!blank(e->municipality))
		put_text(&b, e->municipality);
	if (b.len > 0)
		icalcomponent_add_property(ev,
		    icalproperty_new_location(b.data));

	buf_reset(&b);
	if (!blank(e->description))
		put_part(&b, NULL, e->description);
	if (!blank(e->accessibility))
		put_part(&b, !blank(s->label_accessibility) ?
		    s->label_accessibility : "Esteettömyys", e->accessibility);
	if (!blank(e->remote_url))
		put_part(&b, !blank(s->label_remote) ? s->label_remote :
		    "Etäosallistuminen", e->remote_url);
	if (!blank(e->page_url))
		put_part(&b, !blank(s->label_page) ? s->label_page :
		    "Lisätietoja", e->page_url);
	if (b.len > 0)
		icalcomponent_add_property(ev,
		    icalproperty_new_description(b.data));

	url = !blank(e->remote_url) ? e->remote_url : e->page_url;
	if (!blank(url))
		icalcomponent_add_property(ev, icalproperty_new_url(url));

	buf_reset(&b);
	buf_printf(&b, "mailto:%s", s->organizer_email);
	p = icalproperty_new_organizer(b.data);
	if (!blank(s->organizer))
		icalproperty_add_parameter(p,
		    icalparameter_new_cn(trimmed(&b, s->organizer)));
	icalcomponent_add_property(ev, p);

	if (e->cancelled)
		icalcomponent_add_property(ev,
		    icalproperty_new_status(ICAL_STATUS_CANCELLED));
	buf_free(&b);
	return ev;
}

/* Writes cal to out and frees it. */
static int
finish(struct buf *out, icalcomponent *cal, struct diags *d)
{
	char *text;

	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (text == NULL) {
		diag_error(d, "", 0, 0, NULL,
		    "libical could not write a calendar");
		diag_detail(d, icalerror_strerror(icalerrno));
		return -1;
	}
	buf_puts(out, text);
	icalmemory_free_buffer(text);
	return 0;
}

/*
 * Calendars keep one event of a UID, so two events of one identifier
 * would show as one, and which one would be up to the calendar.
 */
static int
same_uid(const struct ical_event *v, size_t n, struct diags *d)
{
	struct hmap seen = HMAP_INIT;
	const struct ical_event *first;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (blank(v[i].uid))
			continue;
		first = hmap_put(&seen, v[i].uid, (void *)&v[i]);
		if (first == NULL)
			continue;
		diag_error(d, v[i].file != NULL ? v[i].file : "", 0, 0,
		    "Give every event an identifier of its own.",
		    "the event's identifier \"%s\" is also that of the event "
		    "in %s", v[i].uid, first->file != NULL ? first->file : "");
		rc = -1;
	}
	hmap_free(&seen);
	return rc;
}

static int
write_events(struct buf *out, const struct ical_event *v, size_t n,
    const struct ical_site *s, int feed, struct diags *d)
{
	struct icaltimetype stamp;
	icalcomponent *cal;
	size_t i;
	int rc;

	rc = check_site(s, feed, d);
	for (i = 0; i < n; i++)
		if (check_event(&v[i], d) == -1)
			rc = -1;
	/* Only of valid events: the message quotes the identifier. */
	if (rc == 0 && same_uid(v, n, d) == -1)
		rc = -1;
	if (rc == -1)
		return -1;
	stamp = icaltime_from_timet_with_zone((time_t)s->build_time, 0,
	    icaltimezone_get_utc_timezone());
	cal = calendar(s, feed);
	for (i = 0; i < n; i++)
		icalcomponent_add_component(cal, vevent(&v[i], s, stamp));
	return finish(out, cal, d);
}

int
ical_event(struct buf *out, const struct ical_event *e,
    const struct ical_site *s, struct diags *d)
{
	return write_events(out, e, 1, s, 0, d);
}

int
ical_feed(struct buf *out, const struct ical_event *v, size_t n,
    const struct ical_site *s, struct diags *d)
{
	return write_events(out, v, n, s, 1, d);
}

/*
 * What libical cannot see once it has parsed: the bytes themselves.
 * Returns NULL, or what is wrong with *line set.
 */
static const char *
check_bytes(const char *t, size_t len, size_t *line)
{
	size_t i, start = 0, bad;

	*line = 1;
	if (len == 0)
		return "it is empty";
	if (memchr(t, '\0', len) != NULL)
		return "it has a NUL byte";
	if (!utf8_valid(t, len, &bad)) {
		*line = line_of(t, bad);
		return "it is not valid UTF-8";
	}
	for (i = 0; i < len; i++) {
		if (t[i] == '\r' && (i + 1 == len || t[i + 1] != '\n'))
			return "a CR is not followed by LF";
		if (t[i] != '\n')
			continue;
		if (i == 0 || t[i - 1] != '\r')
			return "a line ends in LF alone, not CRLF";
		if (i - 1 - start > LINE_MAX_OCTETS)
			return "a line is longer than 75 octets";
		start = i + 1;
		(*line)++;
	}
	if (start != len)
		return "the last line does not end in CRLF";
	return NULL;
}

/* The first X-LIC-ERROR in c or below it, or NULL if there is none. */
static icalproperty *
first_error(icalcomponent *c)
{
	icalcompiter i;
	icalcomponent *k;
	icalproperty *p;

	if ((p = icalcomponent_get_first_property(c,
	    ICAL_XLICERROR_PROPERTY)) != NULL)
		return p;
	for (i = icalcomponent_begin_component(c, ICAL_ANY_COMPONENT);
	    (k = icalcompiter_deref(&i)) != NULL; icalcompiter_next(&i))
		if ((p = first_error(k)) != NULL)
			return p;
	return NULL;
}

static char *
error_why(icalproperty *p)
{
	const char *s = icalproperty_get_xlicerror(p);

	return xasprintf("libical: %s", s != NULL ? s : "an error");
}

static int
has_zone(icalcomponent *cal, const char *tzid)
{
	icalcompiter i;
	icalcomponent *z;
	icalproperty *p;
	const char *id;

	for (i = icalcomponent_begin_component(cal, ICAL_VTIMEZONE_COMPONENT);
	    (z = icalcompiter_deref(&i)) != NULL; icalcompiter_next(&i)) {
		p = icalcomponent_get_first_property(z, ICAL_TZID_PROPERTY);
		id = p != NULL ? icalproperty_get_tzid(p) : NULL;
		if (id != NULL && strcmp(id, tzid) == 0)
			return 1;
	}
	return 0;
}

/*
 * The first TZID in c or below it that no VTIMEZONE of cal defines, or
 * NULL. A VTIMEZONE's own times are local and carry none, so it is not
 * looked into (has_zone walks its properties).
 */
static const char *
unknown_zone(icalcomponent *cal, icalcomponent *c)
{
	icalcompiter i;
	icalcomponent *k;
	icalproperty *p;
	icalparameter *z;
	const char *id;

	if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT)
		return NULL;
	for (p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
		z = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
		if (z == NULL)
			continue;
		id = icalparameter_get_tzid(z);
		if (id == NULL || !has_zone(cal, id))
			return id != NULL ? id : "";
	}
	for (i = icalcomponent_begin_component(c, ICAL_ANY_COMPONENT);
	    (k = icalcompiter_deref(&i)) != NULL; icalcompiter_next(&i))
		if ((id = unknown_zone(cal, k)) != NULL)
			return id;
	return NULL;
}

/* The property that some VEVENT of cal has not exactly once, or NULL. */
static const char *
event_lacks(icalcomponent *cal)
{
	static const struct {
		icalproperty_kind	 kind;
		const char		*name;
	} need[] = {
		{ ICAL_UID_PROPERTY, "UID" },
		{ ICAL_DTSTAMP_PROPERTY, "DTSTAMP" },
		{ ICAL_DTSTART_PROPERTY, "DTSTART" },
		{ ICAL_SUMMARY_PROPERTY, "SUMMARY" },
	};
	icalcompiter i;
	icalcomponent *ev;
	size_t k;

	for (i = icalcomponent_begin_component(cal, ICAL_VEVENT_COMPONENT);
	    (ev = icalcompiter_deref(&i)) != NULL; icalcompiter_next(&i))
		for (k = 0; k < sizeof(need) / sizeof(need[0]); k++)
			if (icalcomponent_count_properties(ev,
			    need[k].kind) != 1)
				return need[k].name;
	return NULL;
}

/* The first UID that two VEVENTs of cal share, or NULL. */
static const char *
shared_uid(icalcomponent *cal)
{
	struct hmap seen = HMAP_INIT;
	icalcompiter i;
	icalcomponent *ev;
	const char *uid, *dup = NULL;

	for (i = icalcomponent_begin_component(cal, ICAL_VEVENT_COMPONENT);
	    dup == NULL && (ev = icalcompiter_deref(&i)) != NULL;
	    icalcompiter_next(&i)) {
		/* Borrowed from cal, which outlives the map. */
		uid = icalcomponent_get_uid(ev);
		if (uid != NULL && hmap_put(&seen, uid, ev) != NULL)
			dup = uid;
	}
	hmap_free(&seen);
	return dup;
}

int
ical_check(const char *text, size_t len, char **why)
{
	icalcomponent *cal = NULL;
	icalproperty *p;
	const char *s, *version;
	char *copy;
	size_t line;
	int rc = -1;

	*why = NULL;
	if ((s = check_bytes(text, len, &line)) != NULL) {
		*why = xasprintf("line %zu: %s", line, s);
		return -1;
	}
	copy = xstrndup(text, len);
	cal = icalparser_parse_string(copy);
	free(copy);
	if (cal == NULL) {
		*why = xstrdup("libical finds no calendar in it");
		goto out;
	}
	if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		*why = xstrdup("it is not exactly one VCALENDAR");
		goto out;
	}
	/* Before the restrictions, which add errors of their own. */
	if ((p = first_error(cal)) != NULL) {
		*why = error_why(p);
		goto out;
	}
	p = icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY);
	version = p != NULL ? icalproperty_get_version(p) : NULL;
	if (icalcomponent_count_properties(cal, ICAL_VERSION_PROPERTY) != 1 ||
	    version == NULL || strcmp(version, "2.0") != 0) {
		*why = xstrdup("it has no VERSION:2.0");
		goto out;
	}
	if (icalcomponent_count_properties(cal, ICAL_PRODID_PROPERTY) != 1) {
		*why = xstrdup("it has no PRODID");
		goto out;
	}
	if ((s = event_lacks(cal)) != NULL) {
		*why = xasprintf("a VEVENT has no %s, or more than one", s);
		goto out;
	}
	if ((s = shared_uid(cal)) != NULL) {
		*why = xasprintf("two VEVENTs have the UID \"%s\"", s);
		goto out;
	}
	if ((s = unknown_zone(cal, cal)) != NULL) {
		*why = xasprintf("no VTIMEZONE defines TZID \"%s\"", s);
		goto out;
	}
	if (!icalrestriction_check(cal)) {
		p = first_error(cal);
		*why = p != NULL ? error_why(p) :
		    xstrdup("libical's restrictions fail");
		goto out;
	}
	rc = 0;
out:
	if (cal != NULL)
		icalcomponent_free(cal);
	return rc;
}
