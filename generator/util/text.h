/*
 * Text helpers shared by the steps: UTF-8 checks, slugs, line counting.
 */
#ifndef VALO_TEXT_H
#define VALO_TEXT_H

#include <stddef.h>

#include "buf.h"

/*
 * Returns 1 if s[0..n) is valid UTF-8; otherwise 0, with *bad set to the
 * offset of the first invalid byte.
 */
int	utf8_valid(const char *s, size_t n, size_t *bad);

/*
 * Appends the slug of s: lower case, ä and å become a, ö becomes o, other
 * letters and digits are kept, everything else becomes one '-', with no
 * '-' at either end. Appends nothing if s has no letter or digit.
 */
void	slugify(struct buf *, const char *s, size_t n);

/* Returns the 1-based line number of offset off in s. */
unsigned line_of(const char *s, size_t off);

#endif
