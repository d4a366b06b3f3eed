/*
 * CSV data files to values, with libcsv: a list with one map per row,
 * keyed by the header row. Cells that read as numbers become numbers,
 * empty cells null, the rest text.
 */
#ifndef VALO_CSV_H
#define VALO_CSV_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "value.h"

/* Returns the rows, or NULL after adding diagnostics for file. */
struct value	*csv_read(struct arena *, const char *text, size_t len,
		    const char *file, struct diags *);

/*
 * rows (a list of maps of plain values, as csv_read gives and YAML data
 * often is) as CSV, RFC 4180, every field quoted by libcsv: a header of
 * every key in the order first seen, then a line a row. Returns 0, or -1
 * if rows is no such table (out is then as it was).
 */
int	csv_write_rows(const struct value *rows, struct buf *out);

#endif
