#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "value.h"

static struct value *
value_new(struct arena *a, enum value_type t)
{
	struct value *v = arena_calloc(a, 1, sizeof(*v));

	v->type = t;
	return v;
}

struct value *
value_null(struct arena *a)
{
	return value_new(a, VAL_NULL);
}

struct value *
value_bool(struct arena *a, int b)
{
	struct value *v = value_new(a, VAL_BOOL);

	v->u.boolean = b != 0;
	return v;
}

struct value *
value_number(struct arena *a, double n)
{
	struct value *v = value_new(a, VAL_NUMBER);

	v->u.number = n;
	return v;
}

struct value *
value_string_ref(struct arena *a, const char *s, size_t n)
{
	struct value *v = value_new(a, VAL_STRING);

	v->str = s;
	v->len = n;
	return v;
}

struct value *
value_string(struct arena *a, const char *s, size_t n)
{
	return value_string_ref(a, arena_strndup(a, s, n), n);
}

struct value *
value_cstring(struct arena *a, const char *s)
{
	return value_string(a, s, strlen(s));
}

struct value *
value_list(struct arena *a)
{
	return value_new(a, VAL_LIST);
}

struct value *
value_map(struct arena *a)
{
	return value_new(a, VAL_MAP);
}

void
value_push(struct arena *a, struct value *l, struct value *item)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		l->u.items = arena_realloc(a, l->u.items,
		    l->cap * sizeof(*l->u.items), cap * sizeof(*l->u.items));
		l->cap = cap;
	}
	l->u.items[l->len++] = item;
}

void
value_append(struct arena *a, struct value *m, const char *key,
    struct value *val)
{
	if (m->len == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		m->u.pairs = arena_realloc(a, m->u.pairs,
		    m->cap * sizeof(*m->u.pairs), cap * sizeof(*m->u.pairs));
		m->cap = cap;
	}
	m->u.pairs[m->len].key = key;
	m->u.pairs[m->len].val = val;
	m->len++;
}

void
value_set(struct arena *a, struct value *m, const char *key,
    struct value *val)
{
	size_t i;

	for (i = 0; i < m->len; i++)
		if (strcmp(m->u.pairs[i].key, key) == 0) {
			m->u.pairs[i].val = val;
			return;
		}
	value_append(a, m, key, val);
}

struct value *
value_getn(const struct value *m, const char *key, size_t n)
{
	size_t i;

	if (m == NULL || m->type != VAL_MAP)
		return NULL;
	for (i = 0; i < m->len; i++) {
		const char *k = m->u.pairs[i].key;
		/* The first byte settles most misses without a call. */
		if (n > 0 && k[0] != key[0])
			continue;
		if (strncmp(k, key, n) == 0 && k[n] == '\0')
			return m->u.pairs[i].val;
	}
	return NULL;
}

struct value *
value_get(const struct value *m, const char *key)
{
	return value_getn(m, key, strlen(key));
}


int
value_truthy(const struct value *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case VAL_NULL:
		return 0;
	case VAL_BOOL:
		return v->u.boolean;
	case VAL_STRING:
	case VAL_LIST:
		return v->len > 0;
	default:
		return 1;
	}
}

void
value_write(const struct value *v, struct buf *b)
{
	char tmp[32];
	double n;

	if (v == NULL)
		return;
	switch (v->type) {
	case VAL_BOOL:
		buf_puts(b, v->u.boolean ? "true" : "false");
		break;
	case VAL_NUMBER:
		n = v->u.number;
		if (isfinite(n) && n == (double)(long long)n &&
		    fabs(n) < 1e15)
			snprintf(tmp, sizeof(tmp), "%lld", (long long)n);
		else {
			/* Shortest text that reads back as the same double. */
			snprintf(tmp, sizeof(tmp), "%.15g", n);
			if (strtod(tmp, NULL) != n)
				snprintf(tmp, sizeof(tmp), "%.17g", n);
		}
		buf_puts(b, tmp);
		break;
	case VAL_STRING:
		buf_put(b, v->str, v->len);
		break;
	default:
		break;
	}
}

const char *
value_type_name(enum value_type t)
{
	switch (t) {
	case VAL_NULL: return W_("null");
	case VAL_BOOL: return W_("boolean");
	case VAL_NUMBER: return W_("number");
	case VAL_STRING: return W_("text");
	case VAL_LIST: return W_("list");
	case VAL_MAP: return W_("map");
	}
	return "?";
}


int
value_parse_number(const char *s, size_t n, double *out)
{
	size_t i = 0, digits = 0;
	char *end;

	if (n == 0 || n > 40)
		return 0;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != n)
		return 0;
	errno = 0;
	*out = strtod(s, &end);
	return end == s + n && isfinite(*out);
}
