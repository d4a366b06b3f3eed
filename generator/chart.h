/*
 * Fenced ```chart and ```table blocks: data from content/data drawn as
 * accessible inline SVG charts and HTML tables at build time.
 */
#ifndef VALO_CHART_H
#define VALO_CHART_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "value.h"

/*
 * Renders one block. kind is "chart" or "table"; spec is the block's text
 * (YAML), whose first line is line spec_line of file. data maps data file
 * names (without extension) to their values; i18n holds the theme's UI
 * strings. Appends HTML to out and returns 0, or returns -1 after adding
 * diagnostics that name file and line. If dname is not NULL, it is set to
 * the name of the data the block asked for (in the arena), or NULL. Uses only its arguments: safe to
 * call from several threads with different arenas and buffers.
 */
int	chart_block(struct arena *, const char *kind, const char *spec,
	    size_t len, const char *file, unsigned spec_line,
	    const struct value *data, const struct value *i18n,
	    struct buf *out, const char **dname, struct diags *);

#endif
