#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/text.h"

/*
 * 4: pages kept from a build before unsafe addresses and raw HTML were
 * checked would never be checked again.
 */
#define CACHE_MAGIC	"valo-cache 4"

/*
 * This valo: a new build of it may render pages otherwise, with the same
 * version number. Its file's size and time tell one build from another.
 */
static uint64_t
self_key(void)
{
	struct stat st;
	uint64_t k[3] = { 0, 0, 0 };

	if (stat("/proc/self/exe", &st) == 0) {
		k[0] = (uint64_t)st.st_size;
		k[1] = (uint64_t)st.st_mtim.tv_sec;
		k[2] = (uint64_t)st.st_mtim.tv_nsec;
	}
	return hash_bytes(k, sizeof(k));
}

uint64_t
cache_key(const struct site *s, uint64_t theme_hash)
{
	const struct config *c = s->cfg;
	uint64_t h = 0, self = self_key();
	size_t i;

	h = hash_mix_str(h, CACHE_MAGIC " " VALO_VERSION);
	h = hash_mix(h, &self, sizeof(self));
	h = config_hash(c) ^ h;
	h = hash_mix(h, &theme_hash, sizeof(theme_hash));
	h = hash_mix(h, &s->data_hash, sizeof(s->data_hash));
	/* Menus, lists, neighbours and links all come from these. */
	for (i = 0; i < s->npages; i++) {
		h = hash_mix_str(h, s->pages[i]->src);
		h = hash_mix(h, &s->pages[i]->fm_hash, sizeof(uint64_t));
	}
	for (i = 0; i < s->ndrafts; i++)
		h = hash_mix_str(h, s->drafts[i]->src);
	/* Links to files are checked against the list of files. */
	for (i = 0; i < s->content.len; i++)
		h = hash_mix_str(h, s->content.v[i].path);
	return h;
}

/*
 * Front matter is kept as a small self-delimiting text: a type letter,
 * "@line,col;", then for text and numbers "len:bytes", for lists and maps
 * "count;" and the items (maps: "len:key" before each value). Lengths, not
 * quotes, so any byte can be stored.
 */
static void
put_value(struct buf *b, const struct value *v)
{
	static const char tag[] = { 'N', 'B', 'D', 'S', 'A', 'M' };
	size_t i;

	buf_printf(b, "%c@%u,%u;", tag[v->type], v->line, v->col);
	switch (v->type) {
	case VAL_BOOL:
		buf_putc(b, v->u.boolean ? '1' : '0');
		break;
	case VAL_NUMBER:
		if (v->str) {
			buf_printf(b, "%zu:", v->len);
			buf_put(b, v->str, v->len);
		} else {
			struct buf t = BUF_INIT;
			value_write(v, &t);
			buf_printf(b, "%zu:%s", t.len, t.data);
			buf_free(&t);
		}
		break;
	case VAL_STRING:
		buf_printf(b, "%zu:", v->len);
		buf_put(b, v->str, v->len);
		break;
	case VAL_LIST:
		buf_printf(b, "%zu;", v->len);
		for (i = 0; i < v->len; i++)
			put_value(b, v->u.items[i]);
		break;
	case VAL_MAP:
		buf_printf(b, "%zu;", v->len);
		for (i = 0; i < v->len; i++) {
			buf_printf(b, "%zu:%s", strlen(v->u.pairs[i].key),
			    v->u.pairs[i].key);
			put_value(b, v->u.pairs[i].val);
		}
		break;
	default:
		break;
	}
}

/* Reads "len:" then len bytes; returns them or NULL past end. */
static const char *
get_bytes(const char **p, const char *end, size_t *n)
{
	char *e;
	const char *s;

	*n = (size_t)strtoul(*p, &e, 10);
	if (e >= end || *e != ':' || *n > (size_t)(end - e - 1))
		return NULL;
	s = e + 1;
	*p = s + *n;
	return s;
}

/*
 * Reads one serialised value, built in arena a; with a NULL arena only
 * checks and skips it (returning a non-NULL dummy on success).
 */
static struct value *
get_value(struct arena *a, const char **p, const char *end, int depth)
{
	static struct value skipped;
	struct value *v = &skipped, *item;
	const char *s, *key = NULL;
	unsigned line, col;
	size_t n, i, k;
	char t, *e;

	if (*p >= end || depth > 64)
		return NULL;
	t = *(*p)++;
	if (*p >= end || **p != '@')
		return NULL;
	line = (unsigned)strtoul(*p + 1, &e, 10);
	if (e >= end || *e != ',')
		return NULL;
	col = (unsigned)strtoul(e + 1, &e, 10);
	if (e >= end || *e != ';')
		return NULL;
	*p = e + 1;
	switch (t) {
	case 'N':
		if (a)
			v = value_null(a);
		break;
	case 'B':
		if (*p >= end)
			return NULL;
		if (a)
			v = value_bool(a, **p == '1');
		(*p)++;
		break;
	case 'D':
	case 'S':
		if ((s = get_bytes(p, end, &n)) == NULL)
			return NULL;
		if (a == NULL)
			break;
		v = value_string(a, s, n);
		if (t == 'D') {
			v->type = VAL_NUMBER;
			v->u.number = strtod(v->str, NULL);
		}
		break;
	case 'A':
	case 'M':
		n = (size_t)strtoul(*p, &e, 10);
		if (e >= end || *e != ';')
			return NULL;
		*p = e + 1;
		if (a)
			v = t == 'A' ? value_list(a) : value_map(a);
		for (i = 0; i < n; i++) {
			if (t == 'M') {
				if ((s = get_bytes(p, end, &k)) == NULL)
					return NULL;
				if (a)
					key = arena_strndup(a, s, k);
			}
			if ((item = get_value(a, p, end, depth + 1)) == NULL)
				return NULL;
			if (a == NULL)
				continue;
			if (t == 'A')
				value_push(a, v, item);
			else
				value_append(a, v, key, item);
		}
		break;
	default:
		return NULL;
	}
	if (a) {
		v->line = line;
		v->col = col;
	}
	return v;
}

/* Reads the rest of a P line, " id off line hash". */
static int
numbers(const char *p, const char *end, struct cache_page *e)
{
	unsigned long long v[3];
	char *q;
	int i, hi, lo;

	if (end - p < 1 + 2 * SOURCE_ID_LEN || *p++ != ' ')
		return 0;
	for (i = 0; i < SOURCE_ID_LEN; i++, p += 2) {
		if ((hi = text_hex(p[0])) == -1 || (lo = text_hex(p[1])) == -1)
			return 0;
		e->id[i] = (unsigned char)(hi << 4 | lo);
	}
	for (i = 0; i < 3; i++) {
		if (p >= end || *p != ' ')
			return 0;
		v[i] = strtoull(p + 1, &q, i == 2 ? 16 : 10);
		if (q == p + 1 || q > end)
			return 0;
		p = q;
	}
	e->body_off = (size_t)v[0];
	e->body_line = (unsigned)v[1];
	e->fm_hash = v[2];
	return p == end;
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

void
cache_load(struct cache *c, const char *path)
{
	size_t len = 0;
	char *text = slurp(path, &len);

	memset(c, 0, sizeof(*c));
	if (text != NULL)
		cache_parse(c, text, len);
}

void
cache_parse(struct cache *c, char *text, size_t len)
{
	const char *p, *end, *nl, *tab;
	struct cache_page *e = NULL;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->text = text;
	p = c->text;
	end = p + len;
	if (len < sizeof(CACHE_MAGIC) ||
	    memcmp(p, CACHE_MAGIC " ", sizeof(CACHE_MAGIC)) != 0 ||
	    (nl = memchr(p, '\n', len)) == NULL)
		goto bad;
	c->key = strtoull(p + sizeof(CACHE_MAGIC), NULL, 16);
	/* ids and links point into the text, at their first line. */
	for (p = nl + 1; p < end; p = nl + 1) {
		switch (*p) {
		case 'P':
			if (e != NULL)
				e->reclen = (size_t)(p - e->rec);
			c->v = xgrow(c->v, &c->cap, c->len + 1, sizeof(*c->v));
			e = &c->v[c->len++];
			memset(e, 0, sizeof(*e));
			e->rec = p;
			/*
			 * Not sscanf: glibc's measures the whole rest of the
			 * string each call, which made this quadratic.
			 */
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
			    (tab = memchr(p, '\t', (size_t)(nl - p))) == NULL ||
			    !numbers(p + 1, tab, e))
				goto bad;
			e->src = xstrndup(tab + 1, (size_t)(nl - tab - 1));
			break;
		case 'V':
			if (e == NULL)
				goto bad;
			e->fm = p + 2;
			p += 2;
			if (get_value(NULL, &p, end, 0) == NULL || p >= end ||
			    *p != '\n')
				goto bad;
			e->fmlen = (size_t)(p - e->fm);
			nl = p;
			break;
		case 'I':
		case 'L':
			/* "I id" and "L to\tid\tline": a letter and a space. */
			if (e == NULL ||
			    (nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
			    nl - p < 2 || p[1] != ' ')
				goto bad;
			/* Keep the first of each run; later ones follow it. */
			if (*p == 'I' && e->ids == NULL)
				e->ids = (char *)p;
			if (*p == 'L' && e->links == NULL)
				e->links = (char *)p;
			break;
		default:
			goto bad;
		}
	}
	if (e != NULL)
		e->reclen = (size_t)(end - e->rec);
	for (i = 0; i < c->len; i++)
		hmap_put(&c->by_src, c->v[i].src, &c->v[i]);
	return;
bad:
	/* A damaged cache is as good as none. */
	cache_free(c);
}

struct value *
cache_front_matter(void *arg, struct page *p, struct arena *a)
{
	const struct cache *c = arg;
	const struct cache_page *e = hmap_get(&c->by_src, p->src);
	const char *s;

	if (e == NULL || e->fm == NULL || memcmp(e->id, p->id, sizeof(e->id)))
		return NULL;
	s = e->fm;
	p->body_off = e->body_off;
	p->body_line = e->body_line;
	p->fm_hash = e->fm_hash;
	return get_value(a, &s, e->fm + e->fmlen, 0);
}

void
cache_accept(struct cache *c, uint64_t key)
{
	c->key_ok = c->len > 0 && c->key == key;
}

/* Counts the lines of a run of records starting with letter t. */
static size_t
run_len(const char *s, char t)
{
	size_t n = 0;

	for (; s != NULL && *s == t; n++) {
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	return n;
}

int
cache_restore(const struct cache *c, const struct site *s, struct page *p)
{
	const struct cache_page *e;
	const char *l, *nl, *t1, *t2;
	size_t n, k;
	char *to;

	if (!c->key_ok || (e = hmap_get(&c->by_src, p->src)) == NULL ||
	    memcmp(e->id, p->id, sizeof(e->id)))
		return 0;
	n = run_len(e->ids, 'I');
	p->ids = xcalloc(n ? n : 1, sizeof(*p->ids));
	for (l = e->ids; l && *l == 'I'; l = nl + 1) {
		if ((nl = strchr(l, '\n')) == NULL)
			nl = l + strlen(l);
		p->ids[p->nids++] = xstrndup(l + 2, (size_t)(nl - l - 2));
		if (*nl == '\0')
			break;
	}
	n = run_len(e->links, 'L');
	p->links = xcalloc(n ? n : 1, sizeof(*p->links));
	for (l = e->links; l && *l == 'L'; l = nl + 1) {
		if ((nl = strchr(l, '\n')) == NULL)
			nl = l + strlen(l);
		t1 = memchr(l + 2, '\t', (size_t)(nl - l - 2));
		t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1)) : NULL;
		if (t2 != NULL) {
			to = xstrndup(l + 2, (size_t)(t1 - l - 2));
			k = p->nlinks;
			p->links[k].to = site_page(s, to);
			free(to);
			if (p->links[k].to != NULL) {
				p->links[k].id = xstrndup(t1 + 1,
				    (size_t)(t2 - t1 - 1));
				p->links[k].line = (unsigned)strtoul(t2 + 1,
				    NULL, 10);
				p->nlinks++;
			}
		}
		if (*nl == '\0')
			break;
	}
	p->clean = 1;
	p->cached = e;
	return 1;
}

int
cache_save(const struct site *s, uint64_t key, const char *path,
    uint64_t since_ns)
{
	char *tmp = xasprintf("%s.tmp", path);
	struct buf b = BUF_INIT;
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
		/* A page taken over as it was: its record too. */
		if (p->cached != NULL) {
			const struct cache_page *e = p->cached;
			fwrite(e->rec, 1, e->reclen, f);
			continue;
		}
		buf_reset(&b);
		buf_puts(&b, "P ");
		/* Not printf: 24 calls a page showed in the profile. */
		for (k = 0; k < sizeof(p->id); k++) {
			buf_putc(&b, "0123456789abcdef"[p->id[k] >> 4]);
			buf_putc(&b, "0123456789abcdef"[p->id[k] & 15]);
		}
		buf_printf(&b, " %zu %u %" PRIx64 "\t%s\n", p->body_off,
		    p->body_line, p->fm_hash, p->src);
		if (p->fm != NULL) {
			buf_puts(&b, "V ");
			put_value(&b, p->fm);
			buf_putc(&b, '\n');
		}
		for (k = 0; k < p->nids; k++) {
			buf_puts(&b, "I ");
			buf_puts(&b, p->ids[k]);
			buf_putc(&b, '\n');
		}
		for (k = 0; k < p->nlinks; k++)
			buf_printf(&b, "L %s\t%s\t%u\n", p->links[k].to->src,
			    p->links[k].id, p->links[k].line);
		fwrite(b.data, 1, b.len, f);
	}
	if (ferror(f) | (fclose(f) != 0))
		goto out;
	if (rename(tmp, path) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		unlink(tmp);
	buf_free(&b);
	free(tmp);
	return rc;
}

void
cache_free(struct cache *c)
{
	size_t i;

	for (i = 0; i < c->len; i++)
		free(c->v[i].src);
	free(c->v);
	free(c->text);
	hmap_free(&c->by_src);
	memset(c, 0, sizeof(*c));
}
