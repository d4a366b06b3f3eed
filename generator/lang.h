/*
 * Numbers and dates the way a language writes them, as its UI strings in
 * the theme say (i18n/fi.yaml): number_group between thousands ("3 548"
 * with a no-break space in Finnish and Swedish, "3,548" in English),
 * number_decimal before decimals, date_format with {d}, {m}, {y} and
 * {month}, a name from the list months. A string missing is Finnish's.
 */
#ifndef VALO_LANG_H
#define VALO_LANG_H

#include "util/buf.h"
#include "value.h"

struct numfmt {
	char	group[16];	/* "\u00A0" */
	char	decimal[16];	/* "," */
};

void	lang_numfmt(const struct value *strings, struct numfmt *);

/* Appends day d of month m (1-12) of year y as strings' date_format. */
void	lang_date(struct buf *, const struct value *strings, int y, int m,
	    int d);

#endif
