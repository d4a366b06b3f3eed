/*
 * Consultations: their front matter read and checked, their status at a
 * build time, and their dates in Helsinki time. See consult.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "consult.h"
#include "url.h"
#include "util/buf.h"
#include "util/text.h"

#define DAY	86400

/*
 * Years a consultation may be dated in. Outside them a date is a typo
 * (2205 for 2025); and libical expands a zone's changes again on every
 * look-up past the last year it expands to (2582).
 */
#define YEAR_MIN	1900
#define YEAR_MAX	2199

/* Room for YYYY-MM-DDTHH:MM made of any ints. */
#define ISO_MAX		64

static const char *const municipalities[] = {
	"Hyrynsalmi", "Kajaani", "Kuhmo", "Paltamo", "Puolanka", "Ristijärvi",
	"Sotkamo", "Suomussalmi"
};
#define NMUNICIPALITIES	(sizeof(municipalities) / sizeof(municipalities[0]))

/* A hint given for more than one message: marked once, here. */
static const char *const date_hint = N_("Write a date of the calendar as "
    "YYYY-MM-DD, for example 2025-03-31; a time may follow: "
    "2025-03-31T14:00.");
static const char *const list_hint = N_("Write a list: one \"- item\" "
    "per line under the key, or [a, b].");
static const char *const text_hint = N_("Write text; for several lines, "
    "write | after the colon and indent the lines under it.");

/* A date or date and time as written, and the moment it means. */
struct when {
	const struct value *v;		/* borrowed from the front matter */
	const char	*text;
	struct date	 date;
	int		 has_time;
	int		 hour;
	int		 min;
	int64_t		 t;
};

/* Rounds towards minus infinity, as days before 1970 need. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of a day counted from 1970-01-01. */
static struct date
civil_from_days(int64_t z)
{
	int64_t era, doe, yoe, doy, mp;
	struct date dt;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dt.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	dt.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	dt.year = (int)(yoe + era * 400 + (dt.month <= 2));
	return dt;
}

/*
 * The zone, or NULL without tzdata. libical loads it once, under its own
 * lock, and keeps it for the life of the process.
 */
static icaltimezone *
helsinki(void)
{
	return icaltimezone_get_builtin_timezone("Europe/Helsinki");
}

int
consult_utc_offset(int64_t t)
{
	icaltimezone *zone = helsinki();
	struct icaltimetype tt = icaltime_null_time();
	struct date dt;
	int64_t day = floor_div(t, DAY), sec = t - day * DAY;

	/* Without tzdata consult_read has failed; standard time will do. */
	if (zone == NULL)
		return 7200;
	dt = civil_from_days(day);
	tt.year = dt.year;
	tt.month = dt.month;
	tt.day = dt.day;
	tt.hour = (int)(sec / 3600);
	tt.minute = (int)(sec / 60 % 60);
	tt.second = (int)(sec % 60);
	tt.zone = icaltimezone_get_utc_timezone();
	return icaltimezone_get_utc_offset_of_utc_time(zone, &tt, NULL);
}

/*
 * Not libical's own local-to-UTC conversion: it does not document which
 * moment it picks for a skipped or repeated time. Only UTC-to-offset is
 * asked of it, which has one answer; the choice is made here. The zone
 * changes at most once within a day either side (true of Helsinki).
 */
int64_t
consult_local_time(struct date d, int hour, int min, int sec, int *skipped)
{
	int64_t wall, first, second;
	int before, after, hi, lo;

	wall = days_from_civil(d.year, d.month, d.day) * DAY + hour * 3600 +
	    min * 60 + sec;
	before = consult_utc_offset(wall - DAY);
	after = consult_utc_offset(wall + DAY);
	hi = before > after ? before : after;
	lo = before > after ? after : before;
	if (skipped != NULL)
		*skipped = 0;
	/* The larger offset is the earlier moment: a repeated time's first. */
	first = wall - hi;
	if (consult_utc_offset(first) == hi)
		return first;
	second = wall - lo;
	if (consult_utc_offset(second) == lo)
		return second;
	/* Neither offset holds: skipped, read with the offset before. */
	if (skipped != NULL)
		*skipped = 1;
	return wall - before;
}

/* Days from 1970-01-01 to t's day in Helsinki. */
static int64_t
local_day(int64_t t)
{
	return floor_div(t + consult_utc_offset(t), DAY);
}

int
consult_days_between(int64_t from, int64_t to)
{
	return (int)(local_day(to) - local_day(from));
}

char *
consult_format(char out[CONSULT_FORMAT_MAX], int64_t t, int with_time)
{
	int64_t local = t + consult_utc_offset(t);
	int64_t day = floor_div(local, DAY), sec = local - day * DAY;
	struct date dt = civil_from_days(day);

	if (with_time)
		snprintf(out, CONSULT_FORMAT_MAX, "%d.%d.%d klo %d.%02d",
		    dt.day, dt.month, dt.year, (int)(sec / 3600),
		    (int)(sec / 60 % 60));
	else
		snprintf(out, CONSULT_FORMAT_MAX, "%d.%d.%d", dt.day, dt.month,
		    dt.year);
	return out;
}

/* Reads one or two digits at *s, moving *s past them; or returns -1. */
static int
short_number(const char **s)
{
	int v;

	if ((v = date_digits(*s, 1)) < 0)
		return -1;
	(*s)++;
	if (date_digits(*s, 1) >= 0)
		v = v * 10 + *(*s)++ - '0';
	return v;
}

/* A time as Finns write it, "14.00", "9:30", at *s; moves *s past it. */
static int
finnish_time(const char **s, int *hour, int *min)
{
	const char *p = *s;

	if ((*hour = short_number(&p)) < 0 || *hour > 23 ||
	    (*p != '.' && *p != ':') || (*min = date_digits(p + 1, 2)) < 0 ||
	    *min > 59)
		return 0;
	*s = p + 3;
	return 1;
}

static int
prefix(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

static int
prefix_nocase(const char *s, const char *pre)
{
	return strncasecmp(s, pre, strlen(pre)) == 0;
}

/* "14:00", "klo 14.00": a time an editor wrote where a date belongs. */
static int
time_only(const char *s)
{
	int hour, min;

	if (prefix(s, "klo "))
		s += 4;
	else if (prefix(s, "kello "))
		s += 6;
	return finnish_time(&s, &hour, &min) && *s == '\0';
}

/*
 * "18.5.2025" or "18.5.2025 klo 14.00": writes what to type instead as
 * YYYY-MM-DD[THH:MM] to iso and returns 1, if it is a day of the calendar.
 */
static int
finnish_date(const char *s, char iso[ISO_MAX])
{
	struct date dt;
	int day, month, year, hour, min;

	if ((day = short_number(&s)) < 0 || *s++ != '.' ||
	    (month = short_number(&s)) < 0 || *s++ != '.' ||
	    (year = date_digits(s, 4)) < 0)
		return 0;
	s += 4;
	snprintf(iso, ISO_MAX, "%04d-%02d-%02d", year, month, day);
	if (!date_parse(iso, &dt))
		return 0;
	if (*s == '\0')
		return 1;
	if (prefix(s, " klo "))
		s += 5;
	else if (*s == ' ' || *s == 'T')
		s++;
	if (!finnish_time(&s, &hour, &min) || *s != '\0')
		return 0;
	snprintf(iso + 10, ISO_MAX - 10, "T%02d:%02d", hour, min);
	return 1;
}

/*
 * Reads the date of key in v into w. Returns 1, 0 if there is none (a key
 * with nothing after it is none), -1 after an error.
 */
static int
read_when(const char *file, const char *key, const struct value *v,
    struct when *w, struct diags *d)
{
	const char *s;
	char day[11], iso[ISO_MAX];
	int year, month;

	memset(w, 0, sizeof(*w));
	w->v = v;
	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if (v->type == VAL_STRING || (v->type == VAL_NUMBER && v->str))
		s = w->text = v->str;
	else {
		diag_error(d, file, v->line, v->col, date_hint,
		    "\"%s\" must be a date, not a %s", key,
		    value_type_name(v->type));
		return -1;
	}
	if (date_digits(s, 4) < 0 || s[4] != '-' || date_digits(s + 5, 2) < 0 ||
	    s[7] != '-' || date_digits(s + 8, 2) < 0) {
		if (time_only(s))
			diag_error(d, file, v->line, v->col,
			    "Write the date before the time, for example "
			    "2025-05-18T14:00.",
			    "\"%s\" is a time without a date", s);
		else {
			diag_error(d, file, v->line, v->col, date_hint,
			    "\"%s\" is not a date", s);
			if (finnish_date(s, iso))
				diag_hintf(d, "Write it as YYYY-MM-DD: %s.",
				    iso);
		}
		return -1;
	}
	memcpy(day, s, 10);
	day[10] = '\0';
	year = date_digits(s, 4);
	month = date_digits(s + 5, 2);
	if (year < YEAR_MIN || year > YEAR_MAX) {
		diag_error(d, file, v->line, v->col,
		    "Check the year: it must be from 1900 to 2199.",
		    "\"%s\": the year %d is out of range", s, year);
		return -1;
	}
	if (!date_parse(day, &w->date)) {
		if (month < 1 || month > 12)
			diag_error(d, file, v->line, v->col,
			    "The month is 01 to 12, the day 01 to 31: "
			    "YYYY-MM-DD.",
			    "\"%s\" is not a day of the calendar", day);
		else {
			diag_error(d, file, v->line, v->col, NULL,
			    "\"%s\" is not a day of the calendar", day);
			diag_hintf(d, "%04d-%02d has %d days.", year, month,
			    date_days_in(year, month));
		}
		return -1;
	}
	if (s[10] == '\0')
		return 1;
	/* In this order: each test reads only what the one before found. */
	if ((s[10] != 'T' && s[10] != ' ') ||
	    (w->hour = date_digits(s + 11, 2)) < 0 || w->hour > 23 ||
	    s[13] != ':' || (w->min = date_digits(s + 14, 2)) < 0 || w->min > 59 ||
	    s[16] != '\0') {
		diag_error(d, file, v->line, v->col,
		    "Write the time in Finnish time as HH:MM after a T, for "
		    "example 2025-05-18T14:00, without seconds or a time zone.",
		    "the time in \"%s\" is not HH:MM", s);
		return -1;
	}
	w->has_time = 1;
	return 1;
}

/*
 * Sets w->t: the first second of a day without a time, or the last
 * second for the end of a period (a day written without a time is open
 * to its end). Warns about a time the clocks skip.
 */
static void
resolve(const char *file, struct when *w, int end, struct diags *d)
{
	char shown[CONSULT_FORMAT_MAX];
	int skipped;

	if (!w->has_time) {
		w->t = consult_local_time(w->date, end ? 23 : 0, end ? 59 : 0,
		    end ? 59 : 0, NULL);
		return;
	}
	w->t = consult_local_time(w->date, w->hour, w->min, 0, &skipped);
	if (skipped) {
		diag_warn(d, file, w->v->line, w->v->col, NULL,
		    "\"%s\" is in the hour skipped when the clocks go forward",
		    w->text);
		diag_hintf(d, "It is read as %s, an hour later in summer "
		    "time; write that, or a time before the change.",
		    consult_format(shown, w->t, 1));
	}
}

/* An e-mail address at s[0..n): one '@', a name, a domain with a dot. */
static int
mail_address(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n), *p;
	int dots = 0;
	unsigned char c;

	if (at == NULL || at == s || at + 1 == s + n ||
	    memchr(at + 1, '@', (size_t)(s + n - at - 1)) != NULL)
		return 0;
	for (p = s; p < at; p++) {
		c = (unsigned char)*p;
		if (c <= ' ' || c == 0x7F || strchr("\"(),:;<>[\\]", c))
			return 0;
	}
	/* Labels of letters, digits and '-' (or any non-ASCII: IDN). */
	for (p = at + 1; p < s + n; p++) {
		c = (unsigned char)*p;
		if (c == '.') {
			if (p == at + 1 || p[-1] == '.' || p + 1 == s + n)
				return 0;
			dots++;
		} else if (!(c >= 0x80 || c == '-' || (c >= '0' && c <= '9') ||
		    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			return 0;
	}
	return dots > 0;
}

/* No spaces or control characters: an address as one word. */
static int
one_word(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7F)
			return 0;
	return 1;
}

/*
 * Reads "participate" into out: an http(s) address or a mailto: one as it
 * is, a bare e-mail address with "mailto:" put before it, in a. Returns
 * 1, 0 if there is none, -1 after an error.
 */
static int
read_participate(struct arena *a, const char *file, const struct value *v,
    struct consult *out, struct diags *d)
{
	const char *s, *q, *rest;
	struct buf shown = BUF_INIT;

	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if (v->type != VAL_STRING) {
		diag_error(d, file, v->line, v->col,
		    "Write the address of the survey, starting with https://, "
		    "or an e-mail address such as "
		    "etunimi.sukunimi@kainuu.fi.",
		    "\"%s\" must be text, not a %s", "participate",
		    value_type_name(v->type));
		return -1;
	}
	s = v->str;
	if (one_word(s)) {
		if (prefix_nocase(s, "https://") ||
		    prefix_nocase(s, "http://")) {
			rest = strstr(s, "//") + 2;
			if (*rest != '\0' && *rest != '/' && *rest != '?' &&
			    *rest != '#') {
				out->participate = s;
				return 1;
			}
		} else if (prefix_nocase(s, "mailto:")) {
			q = strchr(s, '?');
			if (mail_address(s + 7, q ? (size_t)(q - s - 7) :
			    strlen(s + 7))) {
				out->participate = s;
				out->participate_is_mail = 1;
				return 1;
			}
		} else if (mail_address(s, strlen(s))) {
			out->participate = arena_printf(a, "mailto:%s", s);
			out->participate_is_mail = 1;
			return 1;
		}
	}
	url_show(&shown, s, strlen(s));
	if (prefix_nocase(s, "www.") && one_word(s)) {
		diag_error(d, file, v->line, v->col, NULL,
		    "\"%s\" is not a web address or an e-mail address",
		    shown.data);
		diag_hintf(d, "Did you mean https://%s?", shown.data);
	} else
		diag_error(d, file, v->line, v->col,
		    "Write the address of the survey, starting with https://, "
		    "or an e-mail address such as "
		    "etunimi.sukunimi@kainuu.fi.",
		    "\"%s\" is not a web address or an e-mail address",
		    shown.data);
	buf_free(&shown);
	return -1;
}

/* Text of key, or NULL if there is none or it is blank. */
static int
read_text(const char *file, const char *key, const struct value *v,
    const char **out, struct diags *d)
{
	const char *s;

	*out = NULL;
	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if (v->type != VAL_STRING && !(v->type == VAL_NUMBER && v->str)) {
		diag_error(d, file, v->line, v->col, text_hint,
		    "\"%s\" must be text, not a %s", key,
		    value_type_name(v->type));
		return -1;
	}
	for (s = v->str; *s == ' ' || *s == '\t' || *s == '\n'; s++)
		;
	if (*s != '\0')
		*out = v->str;
	return 0;
}

static void
check_municipality(const char *file, const struct value *it,
    struct diags *d)
{
	const char *close = NULL;
	size_t i, dist, best = 3;

	for (i = 0; i < NMUNICIPALITIES; i++) {
		if (strcmp(it->str, municipalities[i]) == 0)
			return;
		dist = text_distance(it->str, strlen(it->str),
		    municipalities[i], strlen(municipalities[i]), 1);
		if (dist < best) {
			best = dist;
			close = municipalities[i];
		}
	}
	if (close == NULL)
		diag_error(d, file, it->line, it->col,
		    "The municipalities of Kainuu: Hyrynsalmi, Kajaani, Kuhmo, "
		    "Paltamo, Puolanka, Ristijärvi, Sotkamo, Suomussalmi.",
		    "\"%s\" is not a municipality of Kainuu", it->str);
	else {
		diag_error(d, file, it->line, it->col, NULL,
		    "\"%s\" is not a municipality of Kainuu", it->str);
		diag_hintf(d, "Did you mean \"%s\"? The municipalities of "
		    "Kainuu: Hyrynsalmi, Kajaani, Kuhmo, Paltamo, Puolanka, "
		    "Ristijärvi, Sotkamo, Suomussalmi.", close);
	}
}

/* A list of text under key; of Kainuu's municipalities if places. */
static int
read_list(const char *file, const char *key, const struct value *v,
    int places, const struct value **out, struct diags *d)
{
	const struct value *it;
	size_t i, errors = d->errors;

	*out = NULL;
	if (v == NULL || v->type == VAL_NULL)
		return 0;
	if (v->type != VAL_LIST) {
		diag_error(d, file, v->line, v->col, list_hint,
		    "\"%s\" must be a list", key);
		return -1;
	}
	for (i = 0; i < v->len; i++) {
		it = v->u.items[i];
		if (it->type != VAL_STRING && places)
			diag_error(d, file, it->line, it->col,
			    "Write each item as text.",
			    "items of \"%s\" must be text, not %s", key,
			    value_type_name(it->type));
		else if (it->type != VAL_STRING)
			diag_error(d, file, it->line, it->col,
			    "Write each question as text, in quotes if it "
			    "contains \": \".",
			    "items of \"%s\" must be text, not %s", key,
			    value_type_name(it->type));
		else if (places)
			check_municipality(file, it, d);
	}
	if (d->errors > errors)
		return -1;
	*out = v;
	return 0;
}

int
consult_read(struct arena *a, const struct value *fm, const char *file,
    int64_t now, struct consult *out, struct diags *d)
{
	struct when o, c;
	const struct value *v;
	size_t errors = d->errors;
	int ro, rc, dates = 0, participate;
	char shown[CONSULT_FORMAT_MAX];

	memset(out, 0, sizeof(*out));
	if (fm == NULL || fm->type != VAL_MAP)
		return 0;
	ro = read_when(file, "opens", value_get(fm, "opens"), &o, d);
	rc = read_when(file, "closes", value_get(fm, "closes"), &c, d);
	if (ro == 0 && rc == 0)
		return 0;
	if (ro == 0)
		diag_error(d, file, c.v->line, c.v->col,
		    "Add the first day of the consultation, for example "
		    "opens: 2025-05-01.",
		    "\"%s\" is given but \"%s\" is not", "closes", "opens");
	else if (rc == 0)
		diag_error(d, file, o.v->line, o.v->col,
		    "Add the last day of the consultation, for example "
		    "closes: 2025-05-31.",
		    "\"%s\" is given but \"%s\" is not", "opens", "closes");
	else if (ro == 1 && rc == 1 && helsinki() == NULL)
		diag_error(d, file, o.v->line, o.v->col,
		    "Install the time zone data: the package tzdata.",
		    "the time zone of Finland (Europe/Helsinki) is not known");
	else if (ro == 1 && rc == 1) {
		resolve(file, &o, 0, d);
		resolve(file, &c, 1, d);
		if (c.t < o.t)
			diag_error(d, file, c.v->line, c.v->col,
			    "Check both: \"opens\" is the first day to take "
			    "part, \"closes\" the last.",
			    "the consultation closes (%s) before it opens (%s)",
			    c.text, o.text);
		else
			dates = 1;
	}
	out->opens = o.t;
	out->closes = c.t;
	out->has_time_open = o.has_time;
	out->has_time_close = c.has_time;
	out->opens_date = o.date;
	out->closes_date = c.date;

	participate = read_participate(a, file, value_get(fm, "participate"),
	    out, d);
	read_list(file, "questions", value_get(fm, "questions"), 0,
	    &out->questions, d);
	read_list(file, "municipalities", value_get(fm, "municipalities"), 1,
	    &out->municipalities, d);
	read_text(file, "audience", value_get(fm, "audience"), &out->audience,
	    d);
	read_text(file, "heard", value_get(fm, "heard"), &out->heard, d);
	read_text(file, "outcome", value_get(fm, "outcome"), &out->outcome, d);
	if ((v = value_get(fm, "example")) != NULL && v->type != VAL_NULL) {
		if (v->type != VAL_BOOL)
			diag_error(d, file, v->line, v->col,
			    "Write true or false.",
			    "\"%s\" must be true or false, not %s", "example",
			    value_type_name(v->type));
		else
			out->example = v->u.boolean;
	}

	/* What depends on the build time, once the dates are known. */
	if (dates && now <= out->closes) {
		if (participate == 0)
			diag_error(d, file, c.v->line, c.v->col,
			    "Add participate: with the address of the survey "
			    "(https://...) or an e-mail address for the "
			    "answers.",
			    "the consultation has not closed but has no "
			    "\"participate\"");
		consult_format(shown, out->closes, out->has_time_close);
		if (out->heard != NULL) {
			v = value_get(fm, "heard");
			diag_warn(d, file, v->line, v->col, NULL,
			    "\"%s\" is given but the consultation has not "
			    "closed yet", "heard");
			diag_hintf(d, "Fill it in after the consultation "
			    "closes (%s), or correct \"closes\".", shown);
		}
		if (out->outcome != NULL) {
			v = value_get(fm, "outcome");
			diag_warn(d, file, v->line, v->col, NULL,
			    "\"%s\" is given but the consultation has not "
			    "closed yet", "outcome");
			diag_hintf(d, "Fill it in after the consultation "
			    "closes (%s), or correct \"closes\".", shown);
		}
	}
	return d->errors > errors ? -1 : 1;
}

enum consult_status
consult_status(const struct consult *c, int64_t now, int *days_left)
{
	if (days_left != NULL)
		*days_left = -1;
	if (now < c->opens)
		return CONSULT_UPCOMING;
	if (now <= c->closes) {
		if (days_left != NULL)
			*days_left = consult_days_between(now, c->closes);
		return CONSULT_OPEN;
	}
	return c->outcome != NULL ? CONSULT_DONE : CONSULT_CLOSED;
}

const char *
consult_status_name(enum consult_status s)
{
	switch (s) {
	case CONSULT_UPCOMING: return "upcoming";
	case CONSULT_OPEN: return "open";
	case CONSULT_CLOSED: return "closed";
	case CONSULT_DONE: return "done";
	}
	return "?";
}
