#include <string.h>

#include "csv.h"
#include "data.h"
#include "util/text.h"
#include "yaml.h"

/* Data files are read whole and kept; this keeps a typo from eating RAM. */
#define DATA_MAX_SIZE	(16u * 1024 * 1024)

int
data_load(struct site *s, struct diags *d)
{
	struct buf b = BUF_INIT;
	struct value *v;
	size_t i, errors = d->errors, bad;
	char *file, *name, *dot;
	int yaml, csv;

	s->data = value_map(&s->arena);
	for (i = 0; i < s->content.len; i++) {
		const struct source_file *f = &s->content.v[i];
		if (strncmp(f->path, "data/", 5) != 0)
			continue;
		file = arena_printf(&s->arena, "content/%s", f->path);
		dot = strrchr(f->path, '.');
		yaml = dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"));
		csv = dot && !strcmp(dot, ".csv");
		if (strchr(f->path + 5, '/') != NULL || (!yaml && !csv)) {
			diag_error(d, file, 0, 0,
			    "Keep data files directly in content/data/, named "
			    "NAME.yaml or NAME.csv.",
			    "not a data file Valo can read");
			continue;
		}
		if (source_read(s->src, file, &b, DATA_MAX_SIZE + 1, NULL)
		    == -1) {
			diag_error(d, file, 0, 0, NULL, "cannot read the file");
			continue;
		}
		if (b.len > DATA_MAX_SIZE) {
			diag_error(d, file, 0, 0, "Split the data.",
			    "the file is larger than %u bytes", DATA_MAX_SIZE);
			continue;
		}
		if (!utf8_valid(b.data, b.len, &bad)) {
			diag_error(d, file, line_of(b.data, bad), 0,
			    "Save the file as UTF-8.", "not valid UTF-8 text");
			continue;
		}
		s->data_hash = s->data_hash * 31 ^ hash_bytes(b.data, b.len) ^
		    hash_bytes(f->path, strlen(f->path));
		name = arena_strndup(&s->arena, f->path + 5,
		    (size_t)(dot - f->path - 5));
		if (value_get(s->data, name) != NULL) {
			diag_error(d, file, 0, 0,
			    "Rename one of them: templates and charts find "
			    "data by name without the extension.",
			    "another data file is also called \"%s\"", name);
			continue;
		}
		v = yaml ? yaml_parse(&s->arena, b.data, b.len, file, 0, d) :
		    csv_read(&s->arena, b.data, b.len, file, d);
		if (v != NULL)
			value_append(&s->arena, s->data, name, v);
	}
	buf_free(&b);
	return d->errors == errors ? 0 : -1;
}

const char *
data_file(const struct site *s, const char *name)
{
	const char *f, *dot;
	size_t i, n = strlen(name);

	for (i = 0; i < s->content.len; i++) {
		f = s->content.v[i].path;
		if (strncmp(f, "data/", 5) == 0 && strncmp(f + 5, name, n) == 0 &&
		    (dot = strrchr(f, '.')) == f + 5 + n)
			return f;
	}
	return NULL;
}

int
data_has_csv(const struct site *s, const char *name)
{
	const char *f = data_file(s, name), *dot;
	struct buf b = BUF_INIT;
	int ok;

	if (f == NULL)
		return 0;
	dot = strrchr(f, '.');
	if (strcmp(dot, ".csv") == 0)
		return 1;
	ok = csv_write_rows(value_get(s->data, name), &b) == 0;
	buf_free(&b);
	return ok;
}
