#include <string.h>

#include "lang.h"

static void
copy(char *dst, size_t sz, const struct value *strings, const char *key,
    const char *def)
{
	const struct value *v = value_get(strings, key);
	const char *s = v && v->type == VAL_STRING && v->len < sz ? v->str :
	    def;

	memcpy(dst, s, strlen(s) + 1);
}

void
lang_numfmt(const struct value *strings, struct numfmt *f)
{
	copy(f->group, sizeof(f->group), strings, "number_group", "\xc2\xa0");
	copy(f->decimal, sizeof(f->decimal), strings, "number_decimal", ",");
}

void
lang_date(struct buf *b, const struct value *strings, int y, int m, int d)
{
	const struct value *v = value_get(strings, "date_format");
	const struct value *months = value_get(strings, "months");
	const struct value *name;
	const char *f = v && v->type == VAL_STRING ? v->str : "{d}.{m}.{y}";

	for (; *f != '\0'; f++) {
		if (strncmp(f, "{d}", 3) == 0) {
			buf_printf(b, "%d", d);
			f += 2;
		} else if (strncmp(f, "{m}", 3) == 0) {
			buf_printf(b, "%d", m);
			f += 2;
		} else if (strncmp(f, "{y}", 3) == 0) {
			buf_printf(b, "%d", y);
			f += 2;
		} else if (strncmp(f, "{month}", 7) == 0) {
			name = months && months->type == VAL_LIST &&
			    m >= 1 && (size_t)m <= months->len ?
			    months->u.items[m - 1] : NULL;
			if (name != NULL && name->type == VAL_STRING)
				buf_puts(b, name->str);
			else
				buf_printf(b, "%d", m);
			f += 6;
		} else
			buf_putc(b, *f);
	}
}
