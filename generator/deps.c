#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "deps.h"
#include "site.h"
#include "theme.h"
#include "util/hmap.h"
#include "util/mem.h"

uint64_t
dep_key(enum dep_kind kind, const char *name, size_t len)
{
	unsigned char k = (unsigned char)kind;

	return hash_mix(hash_mix(0, &k, 1), name, len);
}

void
deps_add_key(struct deps *d, uint64_t key)
{
	/* A page reads its neighbours again and again: skip the last. */
	if (d->len > 0 && d->v[d->len - 1] == key)
		return;
	d->v = xgrow(d->v, &d->cap, d->len + 1, sizeof(*d->v));
	d->v[d->len++] = key;
}

void
deps_add(struct deps *d, enum dep_kind kind, const char *name)
{
	deps_add_key(d, dep_key(kind, name, strlen(name)));
}

static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void
deps_tidy(struct deps *d)
{
	size_t i, n = 0;

	if (d->len < 2)
		return;
	qsort(d->v, d->len, sizeof(*d->v), key_cmp);
	for (i = 0; i < d->len; i++)
		if (n == 0 || d->v[n - 1] != d->v[i])
			d->v[n++] = d->v[i];
	d->len = n;
}

void
deps_free(struct deps *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* Open addressing on the key, which is a hash already. */
static struct print_slot *
slot(const struct prints *p, uint64_t key)
{
	size_t i = (size_t)key & (p->cap - 1);

	while (p->v[i].print != 0 && p->v[i].key != key)
		i = (i + 1) & (p->cap - 1);
	return &p->v[i];
}

void
prints_set(struct prints *p, uint64_t key, uint64_t print)
{
	struct print_slot *s, *old;
	size_t i, oldcap = p->cap;

	if (print == 0)
		print = 1;
	if ((p->len + 1) * 2 > p->cap) {
		old = p->v;
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xcalloc(p->cap, sizeof(*p->v));
		for (i = 0; i < oldcap; i++)
			if (old[i].print != 0)
				*slot(p, old[i].key) = old[i];
		free(old);
	}
	s = slot(p, key);
	if (s->print == 0)
		p->len++;
	s->key = key;
	s->print = print;
}

uint64_t
prints_get(const struct prints *p, uint64_t key)
{
	return p->cap ? slot(p, key)->print : 0;
}

void
prints_free(struct prints *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static void
put(struct prints *p, enum dep_kind kind, const char *name, uint64_t print)
{
	prints_set(p, dep_key(kind, name, strlen(name)), print);
}

static uint64_t
mix_page(uint64_t h, const struct page *p)
{
	return hash_mix_str(h, p ? p->src : NULL);
}

/* What page_ref and the page's own context show of its front matter. */
static uint64_t
meta_print(const struct page *p)
{
	uint64_t h = p->fm_hash;

	h = hash_mix(h, &p->kind, sizeof(p->kind));
	h = hash_mix_str(h, p->url);
	h = hash_mix_str(h, p->title);
	h = hash_mix_str(h, p->date);
	h = hash_mix(h, &p->draft, sizeof(p->draft));
	return h;
}

static uint64_t
place_print(const struct page *p)
{
	uint64_t h = 0;
	size_t i;

	h = mix_page(h, p->parent);
	h = mix_page(h, p->prev);
	h = mix_page(h, p->next);
	for (i = 0; i < p->nchildren; i++)
		h = mix_page(h, p->children[i]);
	/* The language switcher: its versions, or the languages' homes. */
	for (i = 0; i < LANGS_MAX; i++)
		h = mix_page(h, p->tr[i]);
	/* A history is the site's, whose tip is in the site's print. */
	return hash_mix(h, p->history ? "h" : "", p->history ? 1 : 0);
}

void
prints_of_site(struct prints *pr, const struct site *s,
    const struct theme *t, uint64_t site_print)
{
	uint64_t all = 0, h = 0;
	size_t i, n;
	const char *f, *dot;
	char *name;

	/* A template added or removed may be a partial that was missing. */
	for (i = 0; i < mu_set_len(t->templates); i++) {
		f = mu_set_name(t->templates, i);
		put(pr, DEP_TEMPLATE, f, mu_set_hash(t->templates, f));
		h = hash_mix_str(h, f);
	}
	put(pr, DEP_SITE, "", hash_mix(config_hash(s->cfg) ^
	    t->strings_hash ^ site_print, &h, sizeof(h)));
	h = 0;
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		put(pr, DEP_META, p->src, meta_print(p));
		put(pr, DEP_PLACE, p->src, place_print(p));
		put(pr, DEP_BODY, p->src, hash_mix(p->body_off, p->id,
		    sizeof(p->id)));
	}
	for (n = 0; n < (size_t)s->cfg->nlangs; n++) {
		const struct site_lang *l = &s->langs[n];
		for (i = 0; i < l->nmenu; i++)
			h = mix_page(h, l->menu_pages[i]);
		h = hash_mix(h, "|", 1);
		for (i = 0; i < l->nfooter; i++)
			h = mix_page(h, l->footer_pages[i]);
		h = mix_page(h, l->home);
	}
	put(pr, DEP_MENU, "", h);
	/* Links to files and drafts are checked against these. */
	h = 0;
	for (i = 0; i < s->content.len; i++) {
		f = s->content.v[i].path;
		h = hash_mix_str(h, f);
		if (strncmp(f, "data/", 5) != 0 ||
		    (dot = strrchr(f, '.')) == NULL || dot < f + 5)
			continue;
		/* data/kunnat.yaml is the data "kunnat". */
		n = (size_t)(dot - f - 5);
		name = xstrndup(f + 5, n);
		put(pr, DEP_DATA, name, hash_bytes(s->content.v[i].id,
		    SOURCE_ID_LEN));
		all = hash_mix(all, s->content.v[i].id, SOURCE_ID_LEN);
		all = hash_mix_str(all, name);
		free(name);
	}
	for (i = 0; i < s->ndrafts; i++)
		h = mix_page(h, s->drafts[i]);
	put(pr, DEP_FILES, "", h);
	put(pr, DEP_DATA, "", all);
}

int
deps_stale(const struct deps *d, const struct prints *then,
    const struct prints *now)
{
	size_t i;
	uint64_t p;

	for (i = 0; i < d->len; i++) {
		p = prints_get(now, d->v[i]);
		if (p == 0 || p != prints_get(then, d->v[i]))
			return 1;
	}
	return 0;
}
