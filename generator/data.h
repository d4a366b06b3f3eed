/*
 * Data files: content/data/NAME.yaml and NAME.csv, loaded once per build
 * and seen by every template and chart as data.NAME.
 */
#ifndef VALO_DATA_H
#define VALO_DATA_H

#include "site.h"
#include "util/diag.h"

/* Fills site->data. Returns 0, or -1 after adding diagnostics. */
int	data_load(struct site *, struct diags *);

#endif
