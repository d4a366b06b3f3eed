#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csv.h"
#include "util/mem.h"

/* More columns than this is not a data table an editor meant to write. */
#define CSV_MAX_COLUMNS	256

struct csvread {
	struct arena	*arena;
	const char	*file;
	struct diags	*diags;
	struct value	*rows;
	const char	*header[CSV_MAX_COLUMNS];
	size_t		 ncols;
	struct value	*row;		/* row being read, NULL before first */
	size_t		 col;
	unsigned	 line;		/* line being fed to the parser */
	unsigned	 row_line;	/* line the current row started on */
	int		 failed;
};

static void
field(void *s, size_t n, void *arg)
{
	struct csvread *r = arg;
	struct value *v;
	double d;

	if (r->failed)
		return;
	if (r->col == 0)
		r->row_line = r->line;
	if (r->rows == NULL) {
		/* Still in the header row. */
		if (r->col >= CSV_MAX_COLUMNS) {
			diag_error(r->diags, r->file, r->line, 0, NULL,
			    "more than %d columns", CSV_MAX_COLUMNS);
			r->failed = 1;
			return;
		}
		if (s == NULL || n == 0) {
			diag_error(r->diags, r->file, r->line, 0,
			    "Give every column a name in the first row.",
			    "column %zu has no name", r->col + 1);
			r->failed = 1;
			return;
		}
		r->header[r->col++] = arena_strndup(r->arena, s, n);
		return;
	}
	if (r->col >= r->ncols) {
		diag_error(r->diags, r->file, r->row_line, 0,
		    "Check for a missing quote or an extra comma.",
		    "this row has more cells than the %zu columns of the "
		    "first row", r->ncols);
		r->failed = 1;
		return;
	}
	if (s == NULL)
		v = value_null(r->arena);
	else if (value_parse_number(s, n, &d)) {
		v = value_number(r->arena, d);
		v->str = arena_strndup(r->arena, s, n);
		v->len = n;
	} else
		v = value_string(r->arena, s, n);
	v->line = r->row_line;
	v->col = (unsigned)r->col + 1;
	if (r->row == NULL) {
		r->row = value_map(r->arena);
		r->row->line = r->row_line;
	}
	value_append(r->arena, r->row, r->header[r->col++], v);
}

static void
row_end(int c, void *arg)
{
	struct csvread *r = arg;
	size_t i, j;

	(void)c;
	if (r->failed)
		return;
	if (r->rows == NULL) {
		/* End of the header row. */
		for (i = 0; i < r->col; i++)
			for (j = 0; j < i; j++)
				if (strcmp(r->header[i], r->header[j]) == 0) {
					diag_error(r->diags, r->file, r->line,
					    0, "Give each column its own name.",
					    "column \"%s\" is named twice",
					    r->header[i]);
					r->failed = 1;
					return;
				}
		/* Excel in Finnish saves "CSV" with semicolons. */
		if (r->col == 1 && strchr(r->header[0], ';') != NULL) {
			diag_error(r->diags, r->file, r->line, 0,
			    "Save it as comma-separated CSV (in Excel: \"CSV "
			    "UTF-8 (comma delimited)\"), or replace each ; "
			    "with a comma.", "the columns are separated by "
			    "semicolons, not commas");
			r->failed = 1;
			return;
		}
		r->ncols = r->col;
		r->rows = value_list(r->arena);
		r->rows->line = 1;
		r->col = 0;
		return;
	}
	if (r->col < r->ncols) {
		diag_error(r->diags, r->file, r->row_line, 0,
		    "Add the missing cells; leave a cell empty with two "
		    "commas in a row.",
		    "this row has %zu cells, the first row %zu", r->col,
		    r->ncols);
		r->failed = 1;
		return;
	}
	value_push(r->arena, r->rows, r->row);
	r->row = NULL;
	r->col = 0;
}

struct value *
csv_read(struct arena *a, const char *text, size_t len, const char *file,
    struct diags *d)
{
	struct csv_parser p;
	struct csvread r;
	const char *line, *end = text + len, *nl;

	memset(&r, 0, sizeof(r));
	r.arena = a;
	r.file = file;
	r.diags = d;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
	    CSV_EMPTY_IS_NULL) != 0) {
		diag_error(d, file, 0, 0, NULL, "cannot start the CSV parser");
		return NULL;
	}
	/* Fed a line at a time so that errors can name their line. */
	for (line = text; line < end && !r.failed; line = nl) {
		nl = memchr(line, '\n', (size_t)(end - line));
		nl = nl ? nl + 1 : end;
		r.line++;
		if (csv_parse(&p, line, (size_t)(nl - line), field, row_end,
		    &r) != (size_t)(nl - line)) {
			diag_error(d, file, r.line, 0,
			    "Put quotes around a cell only at its start and "
			    "end; write a quote inside a cell as two (\"\").",
			    "malformed CSV: %s", csv_strerror(csv_error(&p)));
			r.failed = 1;
		}
	}
	if (!r.failed && csv_fini(&p, field, row_end, &r) != 0) {
		diag_error(d, file, r.line, 0, "Close the quoted cell.",
		    "the file ends inside a quoted cell");
		r.failed = 1;
	}
	csv_free(&p);
	if (r.failed)
		return NULL;
	if (r.rows == NULL) {
		diag_error(d, file, 1, 0,
		    "Write the column names on the first row.",
		    "the file is empty");
		return NULL;
	}
	return r.rows;
}

/* One field, quoted, with its separator before it unless it is first. */
static void
put_field(struct buf *out, const char *s, size_t n, int first)
{
	size_t need = n * 2 + 2;

	if (!first)
		buf_putc(out, ',');
	buf_grow(out, need + 1);
	out->len += csv_write(out->data + out->len, need, s, n);
	out->data[out->len] = '\0';
}

int
csv_write_rows(const struct value *rows, struct buf *out)
{
	const struct value *r, *v;
	const char **keys = NULL;
	struct buf cell = BUF_INIT;
	size_t i, j, k, nkeys = 0, cap = 0, start = out->len;

	if (rows == NULL || rows->type != VAL_LIST || rows->len == 0)
		return -1;
	for (i = 0; i < rows->len; i++) {
		r = rows->u.items[i];
		if (r->type != VAL_MAP)
			goto bad;
		for (j = 0; j < r->len; j++) {
			v = r->u.pairs[j].val;
			if (v->type == VAL_LIST || v->type == VAL_MAP)
				goto bad;
			for (k = 0; k < nkeys &&
			    strcmp(keys[k], r->u.pairs[j].key) != 0; k++)
				;
			if (k == nkeys) {
				if (nkeys == cap) {
					cap = cap ? cap * 2 : 16;
					keys = xrealloc(keys, cap *
					    sizeof(*keys));
				}
				keys[nkeys++] = r->u.pairs[j].key;
			}
		}
	}
	for (k = 0; k < nkeys; k++)
		put_field(out, keys[k], strlen(keys[k]), k == 0);
	buf_puts(out, "\r\n");
	for (i = 0; i < rows->len; i++) {
		r = rows->u.items[i];
		for (k = 0; k < nkeys; k++) {
			/* Numbers as they were written: "12.50" stays. */
			v = value_get(r, keys[k]);
			buf_reset(&cell);
			if (v != NULL && v->type == VAL_NUMBER && v->str)
				buf_put(&cell, v->str, v->len);
			else
				value_write(v, &cell);
			put_field(out, cell.data ? cell.data : "", cell.len,
			    k == 0);
		}
		buf_puts(out, "\r\n");
	}
	buf_free(&cell);
	free(keys);
	return 0;
bad:
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
	free(keys);
	return -1;
}
