#include <string.h>

#include "date.h"

int
date_digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
date_days_in(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* "HH:MM", ":SS" optional, then "Z", "+HH:MM" or "-HH:MM" optional. */
static int
valid_time(const char *s)
{
	if (date_digits(s, 2) < 0 || date_digits(s, 2) > 23 || s[2] != ':' ||
	    date_digits(s + 3, 2) < 0 || date_digits(s + 3, 2) > 59)
		return 0;
	s += 5;
	if (*s == ':') {
		if (date_digits(s + 1, 2) < 0 || date_digits(s + 1, 2) > 60)
			return 0;
		s += 3;
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-') {
		if (date_digits(s + 1, 2) < 0 || date_digits(s + 1, 2) > 14 ||
		    s[3] != ':' || date_digits(s + 4, 2) < 0 ||
		    date_digits(s + 4, 2) > 59)
			return 0;
		s += 6;
	}
	return *s == '\0';
}

int
date_parse(const char *s, struct date *out)
{
	struct date d;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return 0;
	d.year = date_digits(s, 4);
	d.month = date_digits(s + 5, 2);
	d.day = date_digits(s + 8, 2);
	if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 ||
	    d.day > date_days_in(d.year, d.month))
		return 0;
	if (s[10] != '\0' && ((s[10] != 'T' && s[10] != ' ') ||
	    !valid_time(s + 11)))
		return 0;
	*out = d;
	return 1;
}
