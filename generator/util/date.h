/*
 * Dates as editors write them in front matter: YYYY-MM-DD, optionally
 * with a time of day (T or a space, HH:MM, :SS, and Z or +HH:MM).
 */
#ifndef VALO_DATE_H
#define VALO_DATE_H

struct date {
	int	year;
	int	month;		/* 1-12 */
	int	day;		/* 1-31, within the month */
};

/*
 * Parses s whole. Returns 1 with *out set, or 0 for anything else: an
 * impossible day (2025-02-31), trailing text, a malformed time.
 */
int	date_parse(const char *s, struct date *out);
/* Reads n digits at s; returns the number, or -1. */
int	date_digits(const char *s, int n);
/* The days of month (1-12) of year, leap years counted. */
int	date_days_in(int year, int month);

#endif
