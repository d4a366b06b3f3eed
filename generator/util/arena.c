#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "mem.h"

#define ARENA_ALIGN	16
#define ARENA_MIN	(64 * 1024)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c;
	size_t sz;
	void *p;

	n = xadd(n, ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (a->head == NULL || a->head->size - a->used < n) {
		sz = a->head ? xmul(a->head->size, 2) : ARENA_MIN;
		while (sz < n)
			sz = xmul(sz, 2);
		c = xmalloc(xadd(sizeof(*c), sz));
		c->size = sz;
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->total += sz;
	}
	p = a->head->data + a->used;
	a->used += n;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t sz)
{
	void *p;

	if (sz && n > (size_t)-1 / sz) {
		fputs("valo: out of memory\n", stderr);
		abort();
	}
	p = arena_alloc(a, n * sz);
	memset(p, 0, n * sz);
	return p;
}

void *
arena_realloc(struct arena *a, void *old, size_t oldsz, size_t newsz)
{
	void *p;

	/* Growing the most recent allocation in place is the common case. */
	if (old != NULL && a->head != NULL &&
	    (unsigned char *)old + ((oldsz + ARENA_ALIGN - 1) &
	    ~(size_t)(ARENA_ALIGN - 1)) == a->head->data + a->used &&
	    (unsigned char *)old >= a->head->data) {
		size_t off = (size_t)((unsigned char *)old - a->head->data);
		size_t need = xadd(newsz, ARENA_ALIGN - 1) &
		    ~(size_t)(ARENA_ALIGN - 1);
		if (off + need <= a->head->size) {
			a->used = off + need;
			return old;
		}
	}
	p = arena_alloc(a, newsz);
	if (old != NULL)
		memcpy(p, old, oldsz < newsz ? oldsz : newsz);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, xadd(n, 1));

	/* An empty string may come as NULL (an empty heading's text). */
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next, *keep = NULL;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL || c->size > keep->size) {
			free(keep);
			keep = c;
		} else
			free(c);
	}
	a->head = keep;
	a->used = 0;
	a->total = keep ? keep->size : 0;
	if (keep)
		keep->next = NULL;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = a->total = 0;
}
