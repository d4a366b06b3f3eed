#!/bin/sh
# make fuzz: builds one libFuzzer binary per parser with clang, ASan and
# UBSan, and runs each for FUZZ_SECONDS (default 60) from a seed corpus
# taken from the repository (spec templates, data files, pages). Findings
# are written to build/fuzz/NAME/crash-*; the run fails if there are any.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$ROOT/build/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
CFLAGS="-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -DVALO_VERSION=\"0.1\" -iquote $ROOT/generator $(pkg-config --cflags libcmark-gfm yaml-0.1)"
LIBS="$(pkg-config --libs libcmark-gfm yaml-0.1 inih) -lcmark-gfm-extensions -lcsv -lpthread -ldl -lm"
SRC=$(ls "$ROOT"/generator/*.c "$ROOT"/generator/util/*.c | grep -v '/main.c$')
mkdir -p "$B"
status=0
for t in yaml csv mustache chart front_matter; do
	T=$(echo "$t" | tr a-z A-Z)
	mkdir -p "$B/$t/corpus"
	case $t in
	yaml) cp "$ROOT"/content/data/*.yaml "$ROOT"/tests/spec/mustache/*.yml "$B/$t/corpus/" ;;
	csv) cp "$ROOT"/content/data/*.csv "$B/$t/corpus/" ;;
	mustache) cp "$ROOT"/themes/default/templates/*.mustache "$B/$t/corpus/" ;;
	chart) printf 'type: stacked\ndata: d\nx: kunta\ny: [a, b]\ntitle: T\n' >"$B/$t/corpus/seed" ;;
	front_matter) cp "$ROOT"/content/*.md "$B/$t/corpus/" ;;
	esac
	clang $CFLAGS -DFUZZ_$T -o "$B/$t/fuzz" "$ROOT/tests/fuzz/fuzz.c" $SRC $LIBS || exit 1
	(cd "$B/$t" && ./fuzz -max_total_time="$SECONDS_EACH" -max_len=65536 \
	    -print_final_stats=1 corpus 2>&1 | tail -3)
	if ls "$B/$t"/crash-* "$B/$t"/leak-* "$B/$t"/timeout-* >/dev/null 2>&1; then
		echo "fuzz $t: FOUND PROBLEMS: $(ls "$B/$t"/crash-* "$B/$t"/leak-* "$B/$t"/timeout-* 2>/dev/null)"
		status=1
	else
		echo "fuzz $t: no problems in $SECONDS_EACH s"
	fi
done
exit $status
