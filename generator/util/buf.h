/*
 * Growable byte buffers. The contents are always NUL-terminated so that
 * buf.data can be handed to C string functions; len excludes the NUL.
 * Allocation failure exits the program (see xmalloc in mem.h): there are
 * no out-of-memory branches to test.
 */
#ifndef VALO_BUF_H
#define VALO_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_grow(struct buf *, size_t);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
/* Appends s with the five HTML-special characters escaped. */
void	 buf_put_html(struct buf *, const char *, size_t);
void	 buf_reset(struct buf *);
/* Hands the contents to the caller (to free) and empties the buffer. */
char	*buf_detach(struct buf *);
void	 buf_free(struct buf *);

#endif
