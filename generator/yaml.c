#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "yaml.h"

/* Deeper nesting than this is refused rather than risking the stack. */
#define YAML_MAX_DEPTH	64

struct yparse {
	yaml_parser_t	 parser;
	struct arena	*arena;
	const char	*file;
	unsigned	 line_offset;
	struct diags	*diags;
};

static int
is_null_word(const char *s, size_t n)
{
	return n == 0 || (n == 1 && *s == '~') ||
	    (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) ||
	    !memcmp(s, "NULL", 4)));
}

static int
bool_word(const char *s, size_t n)
{
	if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "True", 4) ||
	    !memcmp(s, "TRUE", 4))))
		return 1;
	if ((n == 5 && (!memcmp(s, "false", 5) || !memcmp(s, "False", 5) ||
	    !memcmp(s, "FALSE", 5))))
		return 0;
	return -1;
}

static struct value *
scalar(struct yparse *y, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	struct value *v;
	double d;
	int b;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
	    ev->data.scalar.tag != NULL)
		v = value_string(y->arena, s, n);
	else if (is_null_word(s, n))
		v = value_null(y->arena);
	else if ((b = bool_word(s, n)) >= 0)
		v = value_bool(y->arena, b);
	else if (value_parse_number(s, n, &d)) {
		v = value_number(y->arena, d);
		v->str = arena_strndup(y->arena, s, n);
		v->len = n;
	} else
		v = value_string(y->arena, s, n);
	return v;
}

static void
event_error(struct yparse *y, const yaml_event_t *ev, const char *hint,
    const char *msg)
{
	diag_error(y->diags, y->file,
	    (unsigned)ev->start_mark.line + 1 + y->line_offset,
	    (unsigned)ev->start_mark.column + 1, hint, "%s", msg);
}

static int
next(struct yparse *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->parser, ev))
		return 1;
	diag_error(y->diags, y->file,
	    (unsigned)y->parser.problem_mark.line + 1 + y->line_offset,
	    (unsigned)y->parser.problem_mark.column + 1,
	    "Check the indentation and quote values that contain ': ' or "
	    "start with a special character.",
	    "invalid YAML: %s%s%s",
	    y->parser.problem ? y->parser.problem : "syntax error",
	    y->parser.context ? " " : "",
	    y->parser.context ? y->parser.context : "");
	return 0;
}

static struct value *parse_node(struct yparse *, yaml_event_t *, int);

static struct value *
parse_sequence(struct yparse *y, int depth)
{
	struct value *list = value_list(y->arena), *item;
	yaml_event_t ev;

	for (;;) {
		if (!next(y, &ev))
			return NULL;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return list;
		}
		item = parse_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (item == NULL)
			return NULL;
		value_push(y->arena, list, item);
	}
}

static struct value *
parse_mapping(struct yparse *y, int depth)
{
	struct value *map = value_map(y->arena), *val;
	yaml_event_t ev;
	const char *key;
	unsigned kline;

	for (;;) {
		if (!next(y, &ev))
			return NULL;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return map;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			event_error(y, &ev, "Write keys as plain words.",
			    "a key must be plain text, not a list or a map");
			yaml_event_delete(&ev);
			return NULL;
		}
		key = arena_strndup(y->arena,
		    (const char *)ev.data.scalar.value,
		    ev.data.scalar.length);
		kline = (unsigned)ev.start_mark.line + 1 + y->line_offset;
		if (value_get(map, key) != NULL) {
			diag_error(y->diags, y->file, kline,
			    (unsigned)ev.start_mark.column + 1,
			    "Remove one of the two, or rename one.",
			    "key \"%s\" is given twice", key);
			yaml_event_delete(&ev);
			return NULL;
		}
		yaml_event_delete(&ev);
		if (!next(y, &ev))
			return NULL;
		val = parse_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (val == NULL)
			return NULL;
		value_append(y->arena, map, key, val);
	}
}

static struct value *
parse_node(struct yparse *y, yaml_event_t *ev, int depth)
{
	struct value *v = NULL;

	if (depth > YAML_MAX_DEPTH) {
		event_error(y, ev, "Flatten the structure.",
		    "YAML is nested too deeply");
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		v = scalar(y, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		v = parse_sequence(y, depth);
		break;
	case YAML_MAPPING_START_EVENT:
		v = parse_mapping(y, depth);
		break;
	case YAML_ALIAS_EVENT:
		event_error(y, ev, "Write the value out in full.",
		    "YAML aliases (*name) are not supported");
		return NULL;
	default:
		event_error(y, ev, NULL, "unexpected YAML structure");
		return NULL;
	}
	if (v != NULL && v->line == 0) {
		v->line = (unsigned)ev->start_mark.line + 1 + y->line_offset;
		v->col = (unsigned)ev->start_mark.column + 1;
	}
	return v;
}

struct value *
yaml_parse(struct arena *a, const char *text, size_t len, const char *file,
    unsigned line_offset, struct diags *d)
{
	struct yparse y;
	yaml_event_t ev;
	struct value *root = NULL;
	int done = 0;

	memset(&y, 0, sizeof(y));
	y.arena = a;
	y.file = file;
	y.line_offset = line_offset;
	y.diags = d;
	if (!yaml_parser_initialize(&y.parser)) {
		diag_error(d, file, 0, 0, NULL, "cannot start the YAML parser");
		return NULL;
	}
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text,
	    len);
	yaml_parser_set_encoding(&y.parser, YAML_UTF8_ENCODING);
	while (!done) {
		if (!next(&y, &ev))
			goto out;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (root != NULL) {
				event_error(&y, &ev, "Keep one document in "
				    "the file; remove the extra '---'.",
				    "more than one YAML document");
				yaml_event_delete(&ev);
				root = NULL;
				goto out;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			root = parse_node(&y, &ev, 0);
			if (root == NULL) {
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
	if (root == NULL)
		root = value_null(a);
out:
	yaml_parser_delete(&y.parser);
	return root;
}
