/*
 * Bump allocator. A render worker owns one and resets it after each page,
 * so the memory a page needs is bounded by that page alone and freed in one
 * step. Not thread-safe: one arena, one thread.
 */
#ifndef VALO_ARENA_H
#define VALO_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;	/* current chunk, newest first */
	size_t			 used;	/* bytes used in head */
	size_t			 total;	/* bytes in all chunks */
};

#define ARENA_INIT { NULL, 0, 0 }

void	*arena_alloc(struct arena *, size_t);
void	*arena_calloc(struct arena *, size_t, size_t);
/* Like realloc; the old block stays allocated until the next reset. */
void	*arena_realloc(struct arena *, void *, size_t oldsz, size_t newsz);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Frees everything but the largest chunk, which is kept for reuse. */
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);

#endif
