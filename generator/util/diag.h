/*
 * Diagnostics: what is wrong with the input, where, and what to do.
 * Library code appends here and returns a status; only main prints, sorted
 * like a compiler's, so an editor sees every error of a build at once.
 *
 * A message is kept as its English printf format (its key in the message
 * catalogue) with its arguments as they were printed, so that whoever
 * prints it can put the arguments into a translation of the format
 * (messages.c); the English text is kept too, for sorting and for tests.
 */
#ifndef VALO_DIAG_H
#define VALO_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A note says what a build did not do and why; it is not a fault. */
enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/*
 * A format and its arguments, each printed and ending in NUL; or a text,
 * with args NULL.
 */
struct diag_text {
	char	*id;		/* the English printf format, or text */
	char	*args;
	size_t	 argslen;	/* bytes of args */
};

struct diag {
	enum diag_level	 level;
	char		*file;	/* relative to the site folder; may be "" */
	unsigned	 line;	/* 1-based, 0 if not known */
	unsigned	 col;	/* 1-based, 0 if not known */
	char		*msg;	/* what is wrong, in English */
	char		*hint;	/* what to do, in English; may be NULL */
	struct diag_text m;	/* msg as format and arguments */
	struct diag_text h;	/* hint as format and arguments; id NULL if none */
	char		*excerpt; /* the source line col points into, or NULL */
	char		*version; /* the approved version it is in, or NULL */
	char		*detail;  /* a library's own words on it, or NULL */
};

struct diags {
	struct diag	*v;
	size_t		 len;
	size_t		 cap;
	size_t		 errors;
};

#define DIAGS_INIT { NULL, 0, 0, 0 }

/*
 * Adds a diagnostic. msg is a printf format; hint is text, or NULL. Both
 * are the keys of their translations, so pass string literals (or N_()
 * marked ones); for a hint with arguments use diag_hintf.
 */
void	diag_add(struct diags *, enum diag_level, const char *file,
	    unsigned line, unsigned col, const char *hint, const char *fmt, ...)
	    __attribute__((format(printf, 7, 8)));
void	diag_vadd(struct diags *, enum diag_level, const char *file,
	    unsigned line, unsigned col, const char *hint, const char *fmt,
	    va_list);
#define diag_error(d, f, l, c, h, ...) \
	diag_add((d), DIAG_ERROR, (f), (l), (c), (h), __VA_ARGS__)
#define diag_warn(d, f, l, c, h, ...) \
	diag_add((d), DIAG_WARNING, (f), (l), (c), (h), __VA_ARGS__)
#define diag_note(d, f, l, c, h, ...) \
	diag_add((d), DIAG_NOTE, (f), (l), (c), (h), __VA_ARGS__)
/* Gives the last diagnostic added a hint made from a printf format. */
void	diag_hintf(struct diags *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Gives the last diagnostic added what a library said about it. */
void	diag_detail(struct diags *, const char *text);
/* Gives the last diagnostic added the source line its column is on. */
void	diag_excerpt(struct diags *, const char *line, size_t len);
/* Appends a copy of g to d. */
void	diag_copy(struct diags *d, const struct diag *g);
/* Appends g to b, for a render worker to send. */
struct buf;
void	diag_pack(struct buf *b, const struct diag *g);
/* Adds the diagnostic packed at p to d; returns its end, NULL if cut off. */
const char *diag_unpack(struct diags *d, const char *p, const char *end);
/* Moves every entry of src to the end of dst. */
void	diags_move(struct diags *dst, struct diags *src);
/* Sorts by file, line, column, then message, for stable output. */
void	diags_sort(struct diags *);
void	diag_free(struct diag *);
void	diags_free(struct diags *);

/* Marks a string for the catalogue where it is not an argument above. */
#define N_(s) (s)
/*
 * Marks a word or phrase given as an argument to a message ("a table",
 * "text"): it is translated where the message is, in the context
 * "argument". The mark is a leading \001, which diag_add takes off and
 * keeps with the argument, so that a name an editor wrote ("text" as a
 * column) is never taken for the word. Use W_ words only as arguments
 * of diagnostics.
 */
#define DIAG_WORD '\001'
#define W_(s) ("\001" s)

#endif
