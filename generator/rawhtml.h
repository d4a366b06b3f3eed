/*
 * Raw HTML that an editor writes into Markdown, when the site allows it
 * ([markdown] unsafe = true): it may format, never run script. Elements
 * that run or embed code (script, iframe, object, embed, style, form and
 * their kin), event attributes (on...=), style attributes that load or
 * compute (url(, expression() and addresses url.c refuses are errors.
 */
#ifndef VALO_RAWHTML_H
#define VALO_RAWHTML_H

#include <stddef.h>

#include "util/diag.h"

/*
 * Checks html[0..len), which starts on line `line` of file. The text is
 * read the way a browser's tokenizer reads it, and, to be safe where a
 * browser would read it otherwise, also from every '<' as a tag. Adds an
 * error for each thing found; returns how many.
 */
size_t	rawhtml_check(const char *html, size_t len, const char *file,
	    unsigned line, struct diags *);

#endif
