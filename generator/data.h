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

/*
 * The file of data name below content/ ("data/henkilosto.csv"), or
 * NULL. A data file of YAML that is a table is also offered as CSV at
 * data/NAME.csv (data_csv_rel), which no file of its own can be: names
 * are unique without their extension.
 */
const char	*data_file(const struct site *, const char *name);
/* Whether data name is offered as CSV: a CSV file, or YAML as a table. */
int		 data_has_csv(const struct site *, const char *name);

#endif
