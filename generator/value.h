/*
 * The one value type. Front matter, YAML and CSV data, i18n strings and
 * computed page fields are all values, so templates see one model and every
 * lookup works the same way.
 *
 * Values live in an arena and are immutable once built: many render threads
 * read the same site values at once without locks. Strings are
 * NUL-terminated and may also contain NUL bytes only if len says so.
 */
#ifndef VALO_VALUE_H
#define VALO_VALUE_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"

enum value_type {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUMBER,
	VAL_STRING,
	VAL_LIST,
	VAL_MAP
};

struct value;

struct value_pair {
	const char	*key;
	struct value	*val;
};

struct value {
	enum value_type	 type;
	unsigned	 line;		/* source line, 0 if computed */
	unsigned	 col;		/* source column, 0 if computed */
	/* VAL_STRING: the text; VAL_NUMBER: the source text, or NULL. */
	const char	*str;
	size_t		 len;		/* of str; of items or pairs */
	size_t		 cap;
	union {
		int			 boolean;
		double			 number;
		struct value		**items;	/* VAL_LIST */
		struct value_pair	*pairs;		/* VAL_MAP, in order */
	} u;
};

struct value	*value_null(struct arena *);
struct value	*value_bool(struct arena *, int);
struct value	*value_number(struct arena *, double);
/* Copies s into the arena. */
struct value	*value_string(struct arena *, const char *, size_t);
struct value	*value_cstring(struct arena *, const char *);
/* Borrows s, which must outlive the value. */
struct value	*value_string_ref(struct arena *, const char *, size_t);
struct value	*value_list(struct arena *);
struct value	*value_map(struct arena *);

void	 value_push(struct arena *, struct value *list, struct value *item);
/* Appends key (borrowed) -> val; a later set of the same key replaces. */
void	 value_set(struct arena *, struct value *map, const char *key,
	    struct value *val);
/* Appends without looking for an existing key: for building fresh maps. */
void	 value_append(struct arena *, struct value *map, const char *key,
	    struct value *val);

/* Returns the value of key in map, or NULL (also if map is not a map). */
struct value	*value_get(const struct value *map, const char *key);
struct value	*value_getn(const struct value *map, const char *key, size_t);

/*
 * Truthiness as templates see it: null, false, 0-length strings and
 * lists are false; everything else, including 0, is true.
 */
int		 value_truthy(const struct value *);
/* Writes the value as text: numbers in shortest form, lists and maps empty. */
void		 value_write(const struct value *, struct buf *);
const char	*value_type_name(enum value_type);
/*
 * Reads s as a decimal number ("12", "-1.5", "2e3"), the whole of it.
 * Returns 1 and sets *out, or 0 if s is anything else.
 */
int		 value_parse_number(const char *s, size_t n, double *out);

#endif
