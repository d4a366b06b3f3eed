/*
 * Diagnostics: what is wrong with the input, where, and what to do.
 * Library code appends here and returns a status; only main prints, sorted
 * like a compiler's, so an editor sees every error of a build at once.
 */
#ifndef VALO_DIAG_H
#define VALO_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* A note says what a build did not do and why; it is not a fault. */
enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	enum diag_level	 level;
	char		*file;	/* relative to the site folder; may be "" */
	unsigned	 line;	/* 1-based, 0 if not known */
	unsigned	 col;	/* 1-based, 0 if not known */
	char		*msg;	/* what is wrong */
	char		*hint;	/* what to do; may be NULL */
};

struct diags {
	struct diag	*v;
	size_t		 len;
	size_t		 cap;
	size_t		 errors;
};

#define DIAGS_INIT { NULL, 0, 0, 0 }

/*
 * Adds a diagnostic. hint may be NULL; msg is a printf format.
 */
void	diag_add(struct diags *, enum diag_level, const char *file,
	    unsigned line, unsigned col, const char *hint, const char *fmt, ...)
	    __attribute__((format(printf, 7, 8)));
#define diag_error(d, f, l, c, h, ...) \
	diag_add((d), DIAG_ERROR, (f), (l), (c), (h), __VA_ARGS__)
#define diag_warn(d, f, l, c, h, ...) \
	diag_add((d), DIAG_WARNING, (f), (l), (c), (h), __VA_ARGS__)
#define diag_note(d, f, l, c, h, ...) \
	diag_add((d), DIAG_NOTE, (f), (l), (c), (h), __VA_ARGS__)
/* Moves every entry of src to the end of dst. */
void	diags_move(struct diags *dst, struct diags *src);
/* Sorts by file, line, column, then message, for stable output. */
void	diags_sort(struct diags *);
void	diags_print(const struct diags *, FILE *, int color);
void	diags_free(struct diags *);

#endif
