#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "mem.h"

/*
 * Prints the conversion of fmt that starts at p (just after its '%') with
 * its argument from ap, onto out and, as one argument, onto args. Returns
 * where the conversion ends. The format attribute on diag_add has had the
 * compiler check that ap holds what the conversion says.
 */
static const char *
take_arg(const char *p, va_list *ap, struct buf *out, struct buf *args)
{
	char spec[32];
	const char *start = p - 1;
	int stars[2], nstar = 0, lng = 0, shrt = 0;
	size_t at = out->len, n;

	while (strchr("-+ #0'", *p) != NULL && *p != '\0')
		p++;
	if (*p == '*') {
		stars[nstar++] = va_arg(*ap, int);
		p++;
	} else
		while (*p >= '0' && *p <= '9')
			p++;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			stars[nstar++] = va_arg(*ap, int);
			p++;
		} else
			while (*p >= '0' && *p <= '9')
				p++;
	}
	for (;; p++) {
		if (*p == 'l')
			lng++;
		else if (*p == 'h')
			shrt++;
		else if (*p == 'z' || *p == 'j' || *p == 't')
			lng = 3;
		else if (*p != 'L')
			break;
	}
	n = (size_t)(p - start) + 1;
	if (*p == '\0' || n >= sizeof(spec))
		return p;
	memcpy(spec, start, n);
	spec[n] = '\0';
#define EMIT(v) do {							\
	if (nstar == 0)							\
		buf_printf(out, spec, v);				\
	else if (nstar == 1)						\
		buf_printf(out, spec, stars[0], v);			\
	else								\
		buf_printf(out, spec, stars[0], stars[1], v);		\
} while (0)
	switch (*p) {
	case 'd': case 'i':
		if (lng == 3)
			EMIT(va_arg(*ap, size_t));
		else if (lng == 2)
			EMIT(va_arg(*ap, long long));
		else if (lng == 1)
			EMIT(va_arg(*ap, long));
		else
			EMIT(va_arg(*ap, int));
		break;
	case 'u': case 'o': case 'x': case 'X':
		if (lng == 3)
			EMIT(va_arg(*ap, size_t));
		else if (lng == 2)
			EMIT(va_arg(*ap, unsigned long long));
		else if (lng == 1)
			EMIT(va_arg(*ap, unsigned long));
		else
			EMIT(va_arg(*ap, unsigned));
		break;
	case 'c':
		EMIT(va_arg(*ap, int));
		break;
	case 's': {
		const char *v = va_arg(*ap, const char *);
		/* A W_() word keeps its mark in args, for the translation. */
		if (v != NULL && *v == DIAG_WORD) {
			buf_putc(args, DIAG_WORD);
			v++;
		}
		EMIT(v);
		break;
	}
	case 'p':
		EMIT(va_arg(*ap, void *));
		break;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
	case 'a': case 'A':
		EMIT(va_arg(*ap, double));
		break;
	default:
		break;
	}
#undef EMIT
	(void)shrt;
	buf_put(args, out->data + at, out->len - at);
	buf_putc(args, '\0');
	return p + 1;
}

/* Prints fmt with ap into text t and returns the English text. */
static char *
text_vset(struct diag_text *t, const char *fmt, va_list ap)
{
	struct buf out = BUF_INIT, args = BUF_INIT;
	va_list aq;
	const char *p;

	va_copy(aq, ap);
	for (p = fmt; *p != '\0';) {
		if (*p != '%') {
			buf_putc(&out, *p++);
		} else if (p[1] == '%') {
			buf_putc(&out, '%');
			p += 2;
		} else
			p = take_arg(p + 1, &aq, &out, &args);
	}
	va_end(aq);
	t->id = xstrdup(fmt);
	t->argslen = args.len;
	t->args = buf_detach(&args);
	return buf_detach(&out);
}

static char *
text_set(struct diag_text *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = text_vset(t, fmt, ap);
	va_end(ap);
	return s;
}

void
diag_vadd(struct diags *d, enum diag_level level, const char *file,
    unsigned line, unsigned col, const char *hint, const char *fmt,
    va_list ap)
{
	struct diag *g;

	d->v = xgrow(d->v, &d->cap, d->len + 1, sizeof(*d->v));
	g = &d->v[d->len++];
	memset(g, 0, sizeof(*g));
	g->level = level;
	g->file = xstrdup(file ? file : "");
	g->line = line;
	g->col = col;
	g->msg = text_vset(&g->m, fmt, ap);
	if (hint != NULL) {
		/* A hint given as text has no arguments: args stays NULL. */
		g->h.id = xstrdup(hint);
		g->hint = xstrdup(hint);
	}
	if (level == DIAG_ERROR)
		d->errors++;
}

void
diag_add(struct diags *d, enum diag_level level, const char *file,
    unsigned line, unsigned col, const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, level, file, line, col, hint, fmt, ap);
	va_end(ap);
}

void
diag_hintf(struct diags *d, const char *fmt, ...)
{
	struct diag *g;
	va_list ap;

	if (d->len == 0)
		return;
	g = &d->v[d->len - 1];
	free(g->hint);
	free(g->h.id);
	free(g->h.args);
	va_start(ap, fmt);
	g->hint = text_vset(&g->h, fmt, ap);
	va_end(ap);
}

void
diag_detail(struct diags *d, const char *text)
{
	struct diag *g;

	if (d->len == 0 || text == NULL)
		return;
	g = &d->v[d->len - 1];
	free(g->detail);
	g->detail = xstrdup(text);
}

void
diag_excerpt(struct diags *d, const char *line, size_t len)
{
	struct diag *g;

	if (d->len == 0)
		return;
	g = &d->v[d->len - 1];
	free(g->excerpt);
	g->excerpt = xstrndup(line, len);
}

static void
text_copy(struct diag_text *dst, const struct diag_text *src)
{
	dst->id = src->id ? xstrdup(src->id) : NULL;
	dst->argslen = src->argslen;
	dst->args = NULL;
	if (src->args != NULL) {
		dst->args = xmalloc(src->argslen + 1);
		memcpy(dst->args, src->args, src->argslen + 1);
	}
}

void
diag_copy(struct diags *d, const struct diag *g)
{
	struct diag *c;

	d->v = xgrow(d->v, &d->cap, d->len + 1, sizeof(*d->v));
	c = &d->v[d->len++];
	c->level = g->level;
	c->file = xstrdup(g->file ? g->file : "");
	c->line = g->line;
	c->col = g->col;
	c->msg = xstrdup(g->msg ? g->msg : "");
	c->hint = g->hint ? xstrdup(g->hint) : NULL;
	if (g->m.id != NULL)
		text_copy(&c->m, &g->m);
	else
		c->msg = (free(c->msg), text_set(&c->m, "%s", g->msg ? g->msg : ""));
	text_copy(&c->h, &g->h);
	c->excerpt = g->excerpt ? xstrdup(g->excerpt) : NULL;
	c->version = g->version ? xstrdup(g->version) : NULL;
	c->detail = g->detail ? xstrdup(g->detail) : NULL;
	if (c->level == DIAG_ERROR)
		d->errors++;
}

/* Packing for a render worker's pipe: NULL is length UINT32_MAX. */
static void
pack_bytes(struct buf *b, const char *s, size_t len)
{
	uint32_t n = s == NULL ? UINT32_MAX : (uint32_t)len;

	buf_put(b, &n, sizeof(n));
	if (s != NULL)
		buf_put(b, s, len);
}

static void
pack_str(struct buf *b, const char *s)
{
	pack_bytes(b, s, s ? strlen(s) : 0);
}

void
diag_pack(struct buf *b, const struct diag *g)
{
	uint32_t v[3] = { g->level, g->line, g->col };

	buf_put(b, v, sizeof(v));
	pack_str(b, g->file);
	pack_str(b, g->msg);
	pack_str(b, g->hint);
	pack_str(b, g->m.id);
	pack_bytes(b, g->m.args, g->m.argslen);
	pack_str(b, g->h.id);
	pack_bytes(b, g->h.args, g->h.argslen);
	pack_str(b, g->excerpt);
	pack_str(b, g->version);
	pack_str(b, g->detail);
}

/* Returns a copy of the next packed string, or NULL; *bad on a short read. */
static char *
unpack_bytes(const char **p, const char *end, size_t *len, int *bad)
{
	uint32_t n;
	char *s;

	if (*bad || (size_t)(end - *p) < sizeof(n)) {
		*bad = 1;
		return NULL;
	}
	memcpy(&n, *p, sizeof(n));
	*p += sizeof(n);
	if (n == UINT32_MAX)
		return NULL;
	if ((size_t)(end - *p) < n) {
		*bad = 1;
		return NULL;
	}
	s = xmalloc((size_t)n + 1);
	memcpy(s, *p, n);
	s[n] = '\0';
	*p += n;
	if (len != NULL)
		*len = n;
	return s;
}

const char *
diag_unpack(struct diags *d, const char *p, const char *end)
{
	struct diag g;
	uint32_t v[3];
	int bad = 0;

	if ((size_t)(end - p) < sizeof(v))
		return NULL;
	memcpy(v, p, sizeof(v));
	p += sizeof(v);
	memset(&g, 0, sizeof(g));
	g.level = v[0] <= DIAG_NOTE ? (enum diag_level)v[0] : DIAG_ERROR;
	g.line = v[1];
	g.col = v[2];
	g.file = unpack_bytes(&p, end, NULL, &bad);
	g.msg = unpack_bytes(&p, end, NULL, &bad);
	g.hint = unpack_bytes(&p, end, NULL, &bad);
	g.m.id = unpack_bytes(&p, end, NULL, &bad);
	g.m.args = unpack_bytes(&p, end, &g.m.argslen, &bad);
	g.h.id = unpack_bytes(&p, end, NULL, &bad);
	g.h.args = unpack_bytes(&p, end, &g.h.argslen, &bad);
	g.excerpt = unpack_bytes(&p, end, NULL, &bad);
	g.version = unpack_bytes(&p, end, NULL, &bad);
	g.detail = unpack_bytes(&p, end, NULL, &bad);
	if (!bad && g.msg != NULL)
		diag_copy(d, &g);
	diag_free(&g);
	return bad ? NULL : p;
}

void
diags_move(struct diags *dst, struct diags *src)
{
	if (src->len == 0)
		return;
	dst->v = xgrow(dst->v, &dst->cap, dst->len + src->len, sizeof(*dst->v));
	memcpy(dst->v + dst->len, src->v, src->len * sizeof(*src->v));
	dst->len += src->len;
	dst->errors += src->errors;
	free(src->v);
	src->v = NULL;
	src->len = src->cap = src->errors = 0;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	int c;

	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(x->msg, y->msg);
}

void
diags_sort(struct diags *d)
{
	if (d->len > 1)
		qsort(d->v, d->len, sizeof(*d->v), diag_cmp);
}

void
diag_free(struct diag *g)
{
	free(g->file);
	free(g->msg);
	free(g->hint);
	free(g->m.id);
	free(g->m.args);
	free(g->h.id);
	free(g->h.args);
	free(g->excerpt);
	free(g->version);
	free(g->detail);
}

void
diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->len; i++)
		diag_free(&d->v[i]);
	free(d->v);
	d->v = NULL;
	d->len = d->cap = d->errors = 0;
}
