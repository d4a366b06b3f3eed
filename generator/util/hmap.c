#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "mem.h"

/* FNV-1a: short keys, no adversary, and good enough spread. */
uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
hash_mix(uint64_t h, const void *p, size_t n)
{
	return (h ^ hash_bytes(p, n)) * 0x100000001b3ULL + 1;
}

uint64_t
hash_mix_str(uint64_t h, const char *s)
{
	return hash_mix(h, s ? s : "\1", s ? strlen(s) + 1 : 1);
}

static struct hmap_slot *
find(const struct hmap_slot *slots, size_t cap, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	for (;; i = (i + 1) & (cap - 1)) {
		const struct hmap_slot *s = &slots[i];
		if (s->key == NULL ||
		    (s->hash == h && strcmp(s->key, key) == 0))
			return (struct hmap_slot *)s;
	}
}

void *
hmap_get(const struct hmap *m, const char *key)
{
	struct hmap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find(m->slots, m->cap, key, hash_bytes(key, strlen(key)));
	return s->key ? s->val : NULL;
}

void *
hmap_getn(const struct hmap *m, const char *key, size_t n)
{
	uint64_t h;
	size_t i;

	if (m->cap == 0)
		return NULL;
	h = hash_bytes(key, n);
	for (i = (size_t)h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		const struct hmap_slot *s = &m->slots[i];
		if (s->key == NULL)
			return NULL;
		if (s->hash == h && strncmp(s->key, key, n) == 0 &&
		    s->key[n] == '\0')
			return s->val;
	}
}

void *
hmap_put(struct hmap *m, const char *key, void *val)
{
	struct hmap_slot *s, *old = m->slots;
	uint64_t h = hash_bytes(key, strlen(key));
	size_t i, oldcap = m->cap;

	if ((m->len + 1) * 4 > m->cap * 3) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i].key != NULL)
				*find(m->slots, m->cap, old[i].key,
				    old[i].hash) = old[i];
		free(old);
	}
	s = find(m->slots, m->cap, key, h);
	if (s->key != NULL)
		return s->val;
	s->key = key;
	s->val = val;
	s->hash = h;
	m->len++;
	return NULL;
}

void
hmap_set(struct hmap *m, const char *key, void *val)
{
	if (hmap_put(m, key, val) != NULL)
		find(m->slots, m->cap, key, hash_bytes(key, strlen(key)))->val =
		    val;
}

void
hmap_free(struct hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
