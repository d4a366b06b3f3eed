/*
 * libFuzzer targets for every parser of Valo, one per build: compile with
 * -DFUZZ_YAML, -DFUZZ_CSV, -DFUZZ_MUSTACHE, -DFUZZ_CHART or
 * -DFUZZ_FRONT_MATTER (see `make fuzz`). Each feeds the input to the
 * parser and checks only that it returns, with an error or a value:
 * crashes, leaks and undefined behaviour are found by the sanitizers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "content.h"
#include "csv.h"
#include "mustache.h"
#include "util/mem.h"
#include "yaml.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct diags d = DIAGS_INIT;
	const char *s = (const char *)data;

#if defined(FUZZ_YAML)
	yaml_parse(&a, s, size, "fuzz.yaml", 0, &d);
#elif defined(FUZZ_CSV)
	csv_read(&a, s, size, "fuzz.csv", &d);
#elif defined(FUZZ_MUSTACHE)
	{
		struct mu_set *set = mu_set_new();
		struct buf out = BUF_INIT;
		char *err = NULL;
		const char *y = "a: {b: [1, 2, {c: x}]}\nlist: [1, 2, 3]\n";
		struct value *ctx = yaml_parse(&a, y, strlen(y), "ctx", 0, &d);

		/* The template may name itself as a partial: recursion. */
		if (mu_set_add(set, "t", "t.mustache", s, size, &d) == 0) {
			mu_set_check(set, &d);
			mu_render(set, "t", ctx, &out, &err);
		}
		free(err);
		buf_free(&out);
		mu_set_free(set);
	}
#elif defined(FUZZ_CHART)
	{
		const char *csv = "kunta,a,b\nKajaani,40,60\nKuhmo,,100\n"
		    "\"Pitkä, nimi\",99.5,0.5\n";
		struct value *files = value_map(&a);
		struct buf out = BUF_INIT;

		value_append(&a, files, "d", csv_read(&a, csv, strlen(csv),
		    "d.csv", &d));
		chart_block(&a, size && data[0] % 2 ? "table" : "chart", s,
		    size, "fuzz.md", 1, files, value_map(&a), &out, &d);
		buf_free(&out);
	}
#elif defined(FUZZ_FRONT_MATTER)
	{
		size_t off, len, body;

		if (front_matter_split(s, size, &off, &len, &body) == 1)
			yaml_parse(&a, s + off, len, "fuzz.md", 1, &d);
	}
#else
#error "define one of FUZZ_YAML, FUZZ_CSV, FUZZ_MUSTACHE, FUZZ_CHART, FUZZ_FRONT_MATTER"
#endif
	diags_free(&d);
	arena_free(&a);
	return 0;
}
