#include <stdlib.h>
#include <string.h>

#include "theme.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "yaml.h"

static const char *const required[] = { "home", "section", "page", "404" };

int
theme_load(struct theme *t, struct source *src, struct arena *a,
    const char *name, const char *lang, struct diags *d)
{
	struct source_list l;
	struct buf b = BUF_INIT;
	size_t i, n, errors = d->errors;
	char *dir, *file, *tname;
	uint64_t h = 0;

	memset(t, 0, sizeof(*t));
	t->dir = xasprintf("themes/%s", name);
	t->templates = mu_set_new();
	dir = xasprintf("%s/templates", t->dir);
	if (source_list(src, dir, &l, d) == -1)
		goto out;
	if (l.len == 0)
		diag_error(d, dir, 0, 0, "Check [site] theme in site.conf.",
		    "the theme has no templates");
	for (i = 0; i < l.len; i++) {
		n = strlen(l.v[i].path);
		if (n <= 9 || strcmp(l.v[i].path + n - 9, ".mustache") != 0)
			continue;
		file = xasprintf("%s/%s", dir, l.v[i].path);
		tname = xstrndup(l.v[i].path, n - 9);
		if (source_read(src, file, &b, 0, NULL) == -1)
			diag_error(d, file, 0, 0, NULL, "cannot read the file");
		else {
			h = hash_bytes(b.data, b.len) ^ (h * 31);
			mu_set_add(t->templates, tname, file, b.data, b.len, d);
		}
		free(file);
		free(tname);
	}
	source_list_free(&l);
	if (d->errors == errors) {
		mu_set_check(t->templates, d);
		for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
			if (!mu_set_has(t->templates, required[i]))
				diag_error(d, dir, 0, 0,
				    "Add the template to the theme.",
				    "the theme has no %s.mustache",
				    required[i]);
	}

	file = xasprintf("%s/i18n/%s.yaml", t->dir, lang);
	if (source_read(src, file, &b, 0, NULL) == -1) {
		diag_error(d, file, 0, 0,
		    "Add the file, or set [site] language in site.conf to a "
		    "language the theme has.",
		    "the theme has no strings for language \"%s\"", lang);
	} else {
		t->strings_hash = hash_bytes(b.data, b.len);
		h = t->strings_hash ^ (h * 31);
		t->i18n = yaml_parse(a, b.data, b.len, file, 0, d);
		if (t->i18n != NULL && t->i18n->type != VAL_MAP) {
			diag_error(d, file, 1, 1, "Write key: text lines.",
			    "the strings must be a map");
			t->i18n = NULL;
		}
	}
	free(file);
	if (t->i18n == NULL)
		t->i18n = value_map(a);
	free(dir);
	dir = xasprintf("%s/static", t->dir);
	source_list(src, dir, &t->statics, d);
	t->hash = h;
out:
	free(dir);
	buf_free(&b);
	return d->errors == errors ? 0 : -1;
}

void
theme_free(struct theme *t)
{
	free(t->dir);
	mu_set_free(t->templates);
	source_list_free(&t->statics);
	memset(t, 0, sizeof(*t));
}
