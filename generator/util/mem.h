/*
 * Allocation that never returns NULL. Valo cannot do anything useful after
 * running out of memory, so it says so and exits instead of threading an
 * untestable error path through every caller.
 */
#ifndef VALO_MEM_H
#define VALO_MEM_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grows an array of n elements of size sz to hold at least want. */
void	*xgrow(void *, size_t *cap, size_t want, size_t sz);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* a + b and a * b; a size that does not fit is out of memory too. */
size_t	 xadd(size_t a, size_t b);
size_t	 xmul(size_t a, size_t b);

#endif
