#include <stdlib.h>
#include <string.h>

#include "util/text.h"

#include "theme.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "yaml.h"

static const char *const required[] = { "home", "section", "page", "404" };

/* The strings of language lang: its file's map, or an empty one. */
static struct value *
load_strings(struct theme *t, struct source *src, struct arena *a,
    const char *lang, struct buf *b, uint64_t *h, struct diags *d)
{
	struct value *v = NULL;
	char *file = xasprintf("%s/i18n/%s.yaml", t->dir, lang);

	*h = 0;
	if (source_read(src, file, b, 0, NULL) == -1) {
		diag_error(d, file, 0, 0,
		    "Add the file (copy another language's and translate "
		    "it), or remove the language from [site] in site.conf.",
		    "the theme has no strings for language \"%s\"", lang);
	} else {
		*h = hash_bytes(b->data, b->len);
		v = yaml_parse(a, b->data, b->len, file, 0, d);
		if (v != NULL && v->type != VAL_MAP) {
			diag_error(d, file, 1, 1, "Write key: text lines.",
			    "the strings must be a map");
			v = NULL;
		}
	}
	free(file);
	return v ? v : value_map(a);
}

/*
 * The strings Valo itself puts on pages, whatever the templates: on a
 * site of one language a missing one is said in Finnish, on a site of
 * several that would be the wrong language.
 */
static const char *const generator_keys[] = {
	"lang_name", "number_group", "number_decimal", "date_format", "months",
	"heading_anchor", "footnote_back", "table", "chart_table",
	"data_download", "data_files", "yes", "no",
};

/*
 * Every language has every string: each key another language has, each
 * key a template names as i18n.KEY, and on a site of several languages
 * each that Valo itself needs. A page in a language that lacks one
 * would show nothing where the text should be.
 */
static void
complete(const struct theme *t, struct source *src, const struct config *c,
    struct buf *b, struct diags *d)
{
	struct source_list l;
	const char *s, *e, *end;
	char *file, *name;
	const char *key;
	size_t i, j;
	int k, m;

	for (k = 0; k < c->nlangs; k++)
		for (m = 0; m < c->nlangs; m++) {
			if (m == k)
				continue;
			for (i = 0; i < t->strings[m]->len; i++) {
				key = t->strings[m]->u.pairs[i].key;
				if (value_get(t->strings[k], key) != NULL)
					continue;
				/* Said once: by the first language with it. */
				for (j = 0; (int)j < m; j++)
					if (value_get(t->strings[j], key))
						break;
				if ((int)j < m && (int)j != k)
					continue;
				file = xasprintf("%s/i18n/%s.yaml", t->dir,
				    c->langs[k].code);
				diag_error(d, file, 0, 0, NULL, "the UI string "
				    "\"%s\" is missing", key);
				diag_hintf(d, "Add a line %s: \"...\" to the "
				    "file; i18n/%s.yaml has it on line %u.", key,
				    c->langs[m].code,
				    t->strings[m]->u.pairs[i].val->line);
				free(file);
			}
		}
	for (k = 0; c->nlangs > 1 && k < c->nlangs; k++)
		for (i = 0; i < sizeof(generator_keys) /
		    sizeof(generator_keys[0]); i++) {
			key = generator_keys[i];
			/* Another language has it: said above already. */
			for (m = 0; m < c->nlangs; m++)
				if (value_get(t->strings[m], key) != NULL)
					break;
			if (value_get(t->strings[k], key) != NULL ||
			    m < c->nlangs)
				continue;
			file = xasprintf("%s/i18n/%s.yaml", t->dir,
			    c->langs[k].code);
			diag_error(d, file, 0, 0, NULL, "the UI string \"%s\" "
			    "is missing", key);
			diag_hintf(d, "Add a line %s: \"...\" to it: Valo "
			    "needs it on a site of several languages.", key);
			free(file);
		}
	file = xasprintf("%s/templates", t->dir);
	if (source_list(src, file, &l, d) == -1) {
		free(file);
		return;
	}
	free(file);
	for (i = 0; i < l.len; i++) {
		file = xasprintf("%s/templates/%s", t->dir, l.v[i].path);
		if (source_read(src, file, b, 0, NULL) == -1) {
			free(file);
			continue;
		}
		end = b->data + b->len;
		for (s = b->data; (s = memmem(s, (size_t)(end - s), "i18n.",
		    5)) != NULL; s = e) {
			s += 5;
			for (e = s; e < end && ((*e >= 'a' && *e <= 'z') ||
			    (*e >= '0' && *e <= '9') || *e == '_'); e++)
				continue;
			if (e == s)
				continue;
			name = xstrndup(s, (size_t)(e - s));
			for (k = 0; k < c->nlangs; k++) {
				if (value_get(t->strings[k], name) != NULL)
					continue;
				diag_error(d, file, line_of(b->data,
				    (size_t)(s - b->data)), 0, NULL,
				    "the template uses the UI string \"%s\", "
				    "which %s/i18n/%s.yaml does not have", name,
				    t->dir, c->langs[k].code);
				diag_hintf(d, "Add a line %s: \"...\" to %s/"
				    "i18n/%s.yaml.", name, t->dir,
				    c->langs[k].code);
			}
			free(name);
		}
		free(file);
	}
	source_list_free(&l);
}

int
theme_load(struct theme *t, struct source *src, struct arena *a,
    const char *name, const struct config *c, struct diags *d)
{
	struct source_list l;
	struct buf b = BUF_INIT;
	size_t i, n, errors = d->errors;
	char *dir, *file, *tname;
	uint64_t h = 0, th;
	int k;

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
	th = h;
	if (d->errors == errors) {
		mu_set_check(t->templates, d);
		for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
			if (!mu_set_has(t->templates, required[i]))
				diag_error(d, dir, 0, 0,
				    "Add the template to the theme.",
				    "the theme has no %s.mustache",
				    required[i]);
	}

	for (k = 0; k < c->nlangs; k++) {
		t->strings[k] = load_strings(t, src, a, c->langs[k].code, &b,
		    &h, d);
		t->strings_hash = hash_mix(t->strings_hash, &h, sizeof(h));
	}
	h = t->strings_hash ^ (th * 31);
	t->i18n = t->strings[0];
	if (d->errors == errors)
		complete(t, src, c, &b, d);
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
