# Shared by tests/fuzz/run.sh (make fuzz) and tests/fuzz/check.sh (make
# check): the list of targets, and how to build and run one. Sourced, not
# run. Builds go to build/fuzz/ (FUZZ_BUILD): the generator's objects once
# in obj/, then one binary per target, build/fuzz/NAME/fuzz.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FB=${FUZZ_BUILD:-$ROOT/build/fuzz}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_TARGETS="yaml csv mustache chart front_matter config cache markdown date slug url rawhtml history_cache diff data_names hyphen plain ical consult search"
# The Makefile's packages, so that a new library cannot be missed here.
FUZZ_PKGS=$(sed -n 's/^PKGS[[:space:]]*=[[:space:]]*//p' "$ROOT/Makefile")
# UBSan stops at the first finding (halt_on_error), so that libFuzzer saves
# the input; the checks stay recoverable only so that a suppressions file
# can hide a finding already known during a long run.
FUZZ_CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer \
-fsanitize=address,undefined \
-D_GNU_SOURCE -DVALO_VERSION=\"0.1\" -iquote $ROOT/generator \
$(pkg-config --cflags $FUZZ_PKGS 2>/dev/null)"
FUZZ_LIBS="$(pkg-config --libs $FUZZ_PKGS 2>/dev/null) -lcmark-gfm-extensions -lcsv -lstemmer -lpthread -ldl -lm"
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# Compiles the generator (all but main.c) into $FB/obj, with coverage for
# libFuzzer, on every core; only what changed, unless a header or the
# flags did. Returns non-zero, with the compiler's messages, if any fails.
fuzz_build_lib() {
	mkdir -p "$FB/obj"
	flags="$FUZZ_CC $FUZZ_CFLAGS -fsanitize=fuzzer-no-link"
	if [ "$(cat "$FB/obj/flags" 2>/dev/null)" != "$flags" ] ||
	    [ -n "$(find "$ROOT/generator" -name '*.h' -newer "$FB/obj/flags" 2>/dev/null)" ]; then
		rm -f "$FB"/obj/*.o
		echo "$flags" >"$FB/obj/flags"
	fi
	jobs=$(nproc 2>/dev/null || echo 2)
	n=0
	for src in $(ls "$ROOT"/generator/*.c "$ROOT"/generator/util/*.c | grep -v '/main\.c$'); do
		obj=$FB/obj/$(echo "${src#$ROOT/generator/}" | tr / _ | sed 's/\.c$/.o/')
		[ -f "$obj" ] && [ ! "$src" -nt "$obj" ] && continue
		rm -f "$obj"
		$FUZZ_CC $FUZZ_CFLAGS -fsanitize=fuzzer-no-link -c -o "$obj.tmp" "$src" &&
		    mv "$obj.tmp" "$obj" &
		n=$((n + 1))
		[ "$n" -ge "$jobs" ] && { wait; n=0; }
	done
	wait
	# An object that is missing failed to compile.
	for src in $(ls "$ROOT"/generator/*.c "$ROOT"/generator/util/*.c | grep -v '/main\.c$'); do
		obj=$FB/obj/$(echo "${src#$ROOT/generator/}" | tr / _ | sed 's/\.c$/.o/')
		[ -f "$obj" ] || return 1
	done
	# Objects of sources that are gone would not link.
	for obj in "$FB"/obj/*.o; do
		src=$ROOT/generator/$(basename "$obj" .o | sed 's/^util_/util\//').c
		[ -f "$src" ] || rm -f "$obj"
	done
}

# Links target $1 (yaml, csv, ...) as $FB/$1/fuzz.
fuzz_build_target() {
	mkdir -p "$FB/$1"
	T=$(echo "$1" | tr a-z A-Z)
	$FUZZ_CC $FUZZ_CFLAGS -fsanitize=fuzzer -DFUZZ_$T \
	    -DFUZZ_ROOT="\"$ROOT\"" -o "$FB/$1/fuzz" "$ROOT/tests/fuzz/fuzz.c" \
	    "$FB"/obj/*.o $FUZZ_LIBS
}

# The libFuzzer options of target $1: its dictionary, the longest input,
# and 10 s for one input (in this build) before it counts as a hang.
fuzz_options() {
	case $1 in
	date) echo "-max_len=64" ;;
	slug) echo "-max_len=4096" ;;
	*) echo "-max_len=65536" ;;
	esac
	echo "-timeout=10"
	[ -f "$ROOT/tests/fuzz/dict/$1.dict" ] &&
	    echo "-dict=$ROOT/tests/fuzz/dict/$1.dict"
}

# Prints "EXECS EXECS_PER_S COV FT CORPUS_SIZE SLOWEST_S" from libFuzzer's
# output in file $1 (with -print_final_stats=1); "-" where it has none.
fuzz_stats() {
	awk '
	/^stat::number_of_executed_units:/ { ex = $2 }
	/^stat::average_exec_per_sec:/ { eps = $2 }
	/ cov: / { for (i = 1; i < NF; i++) {
		if ($i == "cov:") cov = $(i + 1)
		if ($i == "ft:") ft = $(i + 1)
		if ($i == "corp:") { c = $(i + 1); sub("/.*", "", c); corp = c } } }
	/^stat::slowest_unit_time_sec:/ { slow = $2 }
	END { printf "%s %s %s %s %s %s\n", ex ? ex : "-", eps ? eps : "-",
	    cov ? cov : "-", ft ? ft : "-", corp ? corp : "-", slow != "" ? slow : "-" }
	' "$1"
}
