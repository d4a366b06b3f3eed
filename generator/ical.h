/*
 * Events as iCalendar (RFC 5545), with libical: one event as a file of
 * its own (a VCALENDAR with one VEVENT) and every event as one feed to
 * subscribe to. libical builds the components and writes them, so the
 * escaping of text, the folding of lines at 75 octets (never inside a
 * UTF-8 character) and the CRLF line ends are its, not ours.
 *
 * The output depends on nothing but the arguments: not on the clock (the
 * time stamp is the build's), not on TZ, not on the machine's tzdata
 * (the Europe/Helsinki time zone is written out from the EU rules that
 * Finland follows, never expanded from a zone database), so two builds of
 * one commit write the same bytes.
 *
 * Times are Finnish wall-clock times, written with TZID=Europe/Helsinki.
 * A time that a change of clocks skips (03:30 on the last Sunday of
 * March) or repeats (03:30 on the last Sunday of October) is written as
 * it was given: RFC 5545 section 3.3.5 tells every calendar how to read
 * it (a skipped time with the offset before the change, a repeated one
 * as its first occurrence), so nothing is guessed here.
 */
#ifndef VALO_ICAL_H
#define VALO_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"

/* A wall-clock time in Europe/Helsinki, or a date alone. */
struct ical_time {
	int	year;		/* 1-3000, as far as libical goes */
	int	month;		/* 1-12 */
	int	day;		/* 1-31, within the month */
	int	hour;		/* 0-23; unused if all_day */
	int	minute;		/* 0-59; unused if all_day */
	int	all_day;	/* 1: a date without a time of day */
};

/*
 * One event. Every string is borrowed, UTF-8, and may be NULL where it
 * says so; white space alone counts as NULL there. Text may hold any
 * character but the control characters (tab is allowed everywhere, line
 * ends in description and accessibility only: CRLF and CR are read as
 * LF), and is written without the white space around it, which libical's
 * parser would take off. uid has no white space.
 *
 * URL is the remote link if there is one, for that is what a reader
 * opens the event in a calendar for; otherwise the page. DESCRIPTION is
 * the description, then the accessibility, the remote link and the page,
 * each after a blank line and its label, so that calendars that show no
 * URL (many do not) still show both links. LOCATION is "place,
 * municipality", or either alone.
 */
struct ical_event {
	const char	*file;		/* for diagnostics; may be NULL */
	const char	*uid;		/* stable id, such as the slug */
	const char	*title;		/* SUMMARY */
	struct ical_time start;		/* DTSTART */
	struct ical_time end;		/* DTEND; only if has_end */
	int		 has_end;
	const char	*place;		/* LOCATION; may be NULL */
	const char	*municipality;	/* after place; may be NULL */
	const char	*description;	/* may be NULL */
	const char	*accessibility;	/* of the venue; may be NULL */
	const char	*remote_url;	/* http(s); may be NULL */
	const char	*page_url;	/* http(s); may be NULL */
	int		 cancelled;	/* STATUS:CANCELLED */
};

/*
 * What every calendar of a site shares. RFC 5546 (and libical's check of
 * it) wants an ORGANIZER in every event that a calendar publishes, which
 * must be an address: organizer_email is required.
 */
struct ical_site {
	const char	*host;		/* after "@" in every UID */
	const char	*name;		/* X-WR-CALNAME of the feed */
	const char	*organizer;	/* its CN; may be NULL */
	const char	*organizer_email; /* ORGANIZER, as mailto: */
	int64_t		 build_time;	/* DTSTAMP, seconds since 1970, UTC */
	/* Labels in DESCRIPTION; NULL for the Finnish ones. */
	const char	*label_accessibility;	/* "Esteettömyys" */
	const char	*label_remote;		/* "Etäosallistuminen" */
	const char	*label_page;		/* "Lisätietoja" */
};

/*
 * The start and end of an all-day event are its first and last day, as
 * people write them; DTEND, which RFC 5545 makes exclusive, is the day
 * after end. start and end are both dates or both times, and end is not
 * before start. A timed event whose end equals its start is written
 * without DTEND, which means the same (RFC 5545 allows no DTEND equal to
 * DTSTART). Every calendar has the VTIMEZONE, used or not: RFC 5545 wants
 * one component at least, and it tells a calendar app the zone.
 */

/*
 * Appends e as a calendar of its own (without X-WR-CALNAME, so that an
 * app adds it to a calendar of the reader's rather than making one) to
 * out. Returns 0, or -1 after adding diagnostics if e or s is not valid
 * (out is then as it was).
 */
int	ical_event(struct buf *out, const struct ical_event *e,
	    const struct ical_site *s, struct diags *);

/*
 * Appends the n events of v, in that order, as one calendar named
 * s->name to out. Returns 0, or -1 after adding a diagnostic for every
 * event that is not valid or has the uid of an earlier one (calendars
 * keep one event of a UID); out is then as it was.
 */
int	ical_feed(struct buf *out, const struct ical_event *v, size_t n,
	    const struct ical_site *s, struct diags *);

/*
 * Checks that text[0..len) is a calendar as Valo writes them: UTF-8,
 * CRLF line ends, lines of at most 75 octets; one VCALENDAR with PRODID
 * and VERSION 2.0 that libical parses without an error; a UID, DTSTAMP,
 * DTSTART and SUMMARY in every VEVENT, and no UID twice; a VTIMEZONE for
 * every TZID used; and libical's RFC 5546 restrictions for its METHOD.
 * Returns 0, or -1 with *why set to what is wrong, in English, for the
 * caller to free. Broken input may make libical's parser print a line on
 * stderr ("Encountered END before BEGIN"); it cannot be told not to.
 */
int	ical_check(const char *text, size_t len, char **why);

#endif
