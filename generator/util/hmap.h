/*
 * String-keyed hash map with open addressing. Keys are borrowed: they must
 * outlive the map. Used for the site's link tables (source path and URL to
 * page), which must stay fast at 100,000 pages.
 */
#ifndef VALO_HMAP_H
#define VALO_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	const char	*key;
	void		*val;
	uint64_t	 hash;
};

struct hmap {
	struct hmap_slot	*slots;
	size_t			 len;
	size_t			 cap;	/* a power of two, or 0 */
};

#define HMAP_INIT { NULL, 0, 0 }

uint64_t	 hash_bytes(const void *, size_t);
/* h with n bytes at p mixed in; hash_mix_str tells NULL from "". */
uint64_t	 hash_mix(uint64_t h, const void *p, size_t n);
uint64_t	 hash_mix_str(uint64_t h, const char *s);
/* Returns the value stored under key, or NULL. */
void		*hmap_get(const struct hmap *, const char *key);
/* The same for the key of n bytes at key, which need not end there. */
void		*hmap_getn(const struct hmap *, const char *key, size_t n);
/*
 * Stores val under key unless the key is there already; returns the value
 * that was there (the map is then unchanged), or NULL.
 */
void		*hmap_put(struct hmap *, const char *key, void *val);
/* Stores val under key, replacing what was there. */
void		 hmap_set(struct hmap *, const char *key, void *val);
void		 hmap_free(struct hmap *);

#endif
