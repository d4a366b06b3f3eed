/*
 * YAML text to values, with libyaml. Used for front matter, data files,
 * i18n strings and chart specifications.
 */
#ifndef VALO_YAML_H
#define VALO_YAML_H

#include <stddef.h>

#include "util/arena.h"
#include "util/diag.h"
#include "value.h"

/*
 * Parses the one document in text. Lines in diagnostics and in the values
 * are shifted by line_offset, so front matter reports lines of its file.
 * Plain scalars become null, booleans (true/false) or numbers where they
 * read as such; everything else is a string. Returns NULL after adding a
 * diagnostic for file; an empty document is a VAL_NULL value. The
 * diagnostic names what the editor typed (a tab, a no-break space,
 * typographic quotes, a colon in text) at its own line and column, with
 * the source line as its excerpt and what to type instead as its hint.
 */
struct value	*yaml_parse(struct arena *, const char *text, size_t len,
		    const char *file, unsigned line_offset, struct diags *);

#endif
