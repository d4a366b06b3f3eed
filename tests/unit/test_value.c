#include <stdlib.h>

#include "test.h"
#include "value.h"
#include "yaml.h"

TEST(value_map_set_replaces)
{
	struct arena a = ARENA_INIT;
	struct value *m = value_map(&a);

	value_set(&a, m, "k", value_cstring(&a, "one"));
	value_set(&a, m, "k", value_cstring(&a, "two"));
	CHECK(m->len == 1);
	CHECK_STR(value_get(m, "k")->str, "two");
	CHECK(value_get(m, "missing") == NULL);
	arena_free(&a);
}

TEST(yaml_nested_maps)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const char *y = "site:\n  title: Valo\n  nested: {deep: 3}\n";
	struct value *v = yaml_parse(&a, y, strlen(y), "t.yaml", 0, &d);
	struct buf b = BUF_INIT;

	CHECK(v != NULL);
	CHECK_STR(value_get(value_get(v, "site"), "title")->str, "Valo");
	value_write(value_get(value_get(value_get(v, "site"), "nested"),
	    "deep"), &b);
	CHECK_STR(b.data, "3");
	CHECK(value_get(value_get(v, "site"), "nope") == NULL);
	buf_free(&b);
	diags_free(&d);
	arena_free(&a);
}

TEST(value_truthiness)
{
	struct arena a = ARENA_INIT;

	CHECK(!value_truthy(NULL));
	CHECK(!value_truthy(value_null(&a)));
	CHECK(!value_truthy(value_bool(&a, 0)));
	CHECK(!value_truthy(value_cstring(&a, "")));
	CHECK(!value_truthy(value_list(&a)));
	CHECK(value_truthy(value_number(&a, 0)));
	CHECK(value_truthy(value_cstring(&a, "x")));
	arena_free(&a);
}

TEST(value_numbers_shortest)
{
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;

	value_write(value_number(&a, 85), &b);
	buf_putc(&b, ' ');
	value_write(value_number(&a, 1.21), &b);
	buf_putc(&b, ' ');
	value_write(value_number(&a, -0.5), &b);
	CHECK_STR(b.data, "85 1.21 -0.5");
	buf_free(&b);
	arena_free(&a);
}

TEST(yaml_scalar_types)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const char *y = "a: 12\nb: '12'\nc: true\nd: ~\ne: 2022-05-10\n"
	    "f: -1.5e3\ng: 12 kpl\n";
	struct value *v = yaml_parse(&a, y, strlen(y), "t.yaml", 0, &d);

	CHECK(v && v->type == VAL_MAP);
	CHECK(value_get(v, "a")->type == VAL_NUMBER);
	CHECK(value_get(v, "b")->type == VAL_STRING);
	CHECK(value_get(v, "c")->type == VAL_BOOL);
	CHECK(value_get(v, "d")->type == VAL_NULL);
	CHECK(value_get(v, "e")->type == VAL_STRING);
	CHECK(value_get(v, "f")->u.number == -1500);
	CHECK(value_get(v, "g")->type == VAL_STRING);
	CHECK(value_get(v, "g")->line == 7);
	diags_free(&d);
	arena_free(&a);
}

TEST(yaml_errors_have_lines)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const char *dup = "title: a\nx: 1\ntitle: b\n";
	const char *bad = "title: [unclosed\nnext: 1\n";

	CHECK(yaml_parse(&a, dup, strlen(dup), "f.md", 1, &d) == NULL);
	CHECK(d.len == 1 && d.v[0].line == 4);
	CHECK(yaml_parse(&a, bad, strlen(bad), "f.md", 1, &d) == NULL);
	CHECK(d.len == 2 && d.v[1].line >= 2);
	diags_free(&d);
	arena_free(&a);
}
