/*
 * CSV data files to values, with libcsv: a list with one map per row,
 * keyed by the header row. Cells that read as numbers become numbers,
 * empty cells null, the rest text.
 */
#ifndef VALO_CSV_H
#define VALO_CSV_H

#include <stddef.h>

#include "util/arena.h"
#include "util/diag.h"
#include "value.h"

/* Returns the rows, or NULL after adding diagnostics for file. */
struct value	*csv_read(struct arena *, const char *text, size_t len,
		    const char *file, struct diags *);

#endif
