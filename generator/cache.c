#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "util/buf.h"
#include "util/mem.h"

#define CACHE_MAGIC	"valo-cache 1"

static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	return (h ^ hash_bytes(p, n)) * 0x100000001b3ULL + 1;
}

static uint64_t
mix_str(uint64_t h, const char *s)
{
	return mix(h, s ? s : "\1", s ? strlen(s) + 1 : 1);
}

uint64_t
cache_key(const struct site *s, uint64_t theme_hash)
{
	const struct config *c = s->cfg;
	uint64_t h = 0;
	size_t i;

	h = mix_str(h, CACHE_MAGIC " " VALO_VERSION);
	h = mix_str(h, c->title);
	h = mix_str(h, c->description);
	h = mix_str(h, c->base_url);
	h = mix_str(h, c->language);
	h = mix_str(h, c->theme);
	h = mix_str(h, c->feedback_email);
	h = mix(h, &c->unsafe_html, sizeof(c->unsafe_html));
	h = mix(h, &c->drafts, sizeof(c->drafts));
	h = mix(h, &theme_hash, sizeof(theme_hash));
	h = mix(h, &s->data_hash, sizeof(s->data_hash));
	/* Menus, lists, neighbours and links all come from these. */
	for (i = 0; i < s->npages; i++) {
		h = mix_str(h, s->pages[i]->src);
		h = mix(h, &s->pages[i]->fm_hash, sizeof(uint64_t));
	}
	for (i = 0; i < s->ndrafts; i++)
		h = mix_str(h, s->drafts[i]->src);
	/* Links to files are checked against the list of files. */
	for (i = 0; i < s->content.len; i++)
		h = mix_str(h, s->content.v[i].path);
	return h;
}

void
cache_load(struct cache *c, const char *path, uint64_t key)
{
	FILE *f;
	char *line = NULL, *p, *q;
	size_t cap = 0;
	ssize_t n;
	uint64_t k;
	struct cache_page *e = NULL;
	struct buf ids = BUF_INIT, links = BUF_INIT;

	memset(c, 0, sizeof(*c));
	c->key = key;
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (getline(&line, &cap, f) <= 0 ||
	    sscanf(line, CACHE_MAGIC " %" SCNx64, &k) != 1 || k != key)
		goto out;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		switch (line[0]) {
		case 'P':
			if (e != NULL) {
				e->ids = buf_detach(&ids);
				e->links = buf_detach(&links);
			}
			c->v = xgrow(c->v, &c->cap, c->len + 1, sizeof(*c->v));
			e = &c->v[c->len++];
			memset(e, 0, sizeof(*e));
			if (sscanf(line, "P %" SCNu64 " %" SCNu64 " %" SCNu64,
			    &e->size, &e->mtime_ns, &e->ino) != 3 ||
			    (p = strchr(line, '\t')) == NULL) {
				c->len--;
				e = NULL;
				goto bad;
			}
			e->src = xstrdup(p + 1);
			break;
		case 'I':
			if (e == NULL)
				goto bad;
			buf_puts(&ids, line + 2);
			buf_putc(&ids, '\n');
			break;
		case 'L':
			if (e == NULL || (q = strchr(line + 2, '\t')) == NULL)
				goto bad;
			buf_puts(&links, line + 2);
			buf_putc(&links, '\n');
			break;
		default:
			goto bad;
		}
	}
	if (e != NULL) {
		e->ids = buf_detach(&ids);
		e->links = buf_detach(&links);
	}
	for (size_t i = 0; i < c->len; i++)
		hmap_put(&c->by_src, c->v[i].src, &c->v[i]);
	goto out;
bad:
	/* A damaged cache is as good as none. */
	if (e != NULL) {
		e->ids = buf_detach(&ids);
		e->links = buf_detach(&links);
	}
	cache_free(c);
	c->key = key;
out:
	buf_free(&ids);
	buf_free(&links);
	free(line);
	fclose(f);
}

int
cache_restore(const struct cache *c, const struct site *s, struct page *p)
{
	const struct cache_page *e = hmap_get(&c->by_src, p->src);
	const char *l, *nl, *t1, *t2;
	size_t n, k;
	char *to;

	if (e == NULL || e->size != p->size ||
	    e->mtime_ns != p->mtime_ns || e->ino != p->ino)
		return 0;
	for (n = 0, l = e->ids; *l; l++)
		n += *l == '\n';
	p->ids = xcalloc(n ? n : 1, sizeof(*p->ids));
	for (l = e->ids; (nl = strchr(l, '\n')) != NULL; l = nl + 1)
		p->ids[p->nids++] = xstrndup(l, (size_t)(nl - l));
	for (n = 0, l = e->links; *l; l++)
		n += *l == '\n';
	p->links = xcalloc(n ? n : 1, sizeof(*p->links));
	for (l = e->links; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
		t1 = strchr(l, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (t2 == NULL || t2 > nl)
			continue;
		to = xstrndup(l, (size_t)(t1 - l));
		k = p->nlinks;
		p->links[k].to = site_page(s, to);
		free(to);
		if (p->links[k].to == NULL)
			continue;
		p->links[k].id = xstrndup(t1 + 1, (size_t)(t2 - t1 - 1));
		p->links[k].line = (unsigned)strtoul(t2 + 1, NULL, 10);
		p->nlinks++;
	}
	p->clean = 1;
	return 1;
}

int
cache_save(const struct site *s, uint64_t key, const char *path,
    uint64_t since_ns)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f;
	size_t i, k;
	int rc = -1;

	if ((f = fopen(tmp, "w")) == NULL)
		goto out;
	fprintf(f, CACHE_MAGIC " %" PRIx64 "\n", key);
	for (i = 0; i < s->npages; i++) {
		const struct page *p = s->pages[i];
		if (!p->clean || p->mtime_ns >= since_ns)
			continue;
		fprintf(f, "P %" PRIu64 " %" PRIu64 " %" PRIu64 "\t%s\n",
		    p->size, p->mtime_ns, p->ino, p->src);
		for (k = 0; k < p->nids; k++)
			fprintf(f, "I %s\n", p->ids[k]);
		for (k = 0; k < p->nlinks; k++)
			fprintf(f, "L %s\t%s\t%u\n", p->links[k].to->src,
			    p->links[k].id, p->links[k].line);
	}
	if (ferror(f) | (fclose(f) != 0))
		goto out;
	if (rename(tmp, path) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	return rc;
}

void
cache_free(struct cache *c)
{
	size_t i;

	for (i = 0; i < c->len; i++) {
		free(c->v[i].src);
		free(c->v[i].ids);
		free(c->v[i].links);
	}
	free(c->v);
	hmap_free(&c->by_src);
	memset(c, 0, sizeof(*c));
}
