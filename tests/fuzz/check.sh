#!/bin/sh
# The quick fuzzing of `make check`: builds every target of tests/fuzz
# (tests/fuzz/lib.sh) and runs each for FUZZ_SECONDS (default 5) from the
# committed corpus, tests/fuzz/corpus/NAME, which it leaves as it is. The
# inputs of past findings, tests/fuzz/crashes/NAME-*, are run first: they
# must not crash again. A target passes when it built and found nothing.
# Logs and findings: build/fuzz/check/NAME/.
set -u
. "$(dirname "$0")/lib.sh"
SECONDS_EACH=${FUZZ_SECONDS:-5}
pass=0 fail=0
if ! command -v "$FUZZ_CC" >/dev/null; then
	echo "fuzz: no $FUZZ_CC (make check installs clang and libclang-rt-14-dev)"
	lib=1
elif fuzz_build_lib; then
	lib=0
else
	echo "fuzz: the generator does not build with $FUZZ_CC"
	lib=1
fi
for t in $FUZZ_TARGETS; do
	W=$FB/check/$t
	rm -rf "$W"
	mkdir -p "$W/new" "$W/crashes"
	if [ "$lib" != 0 ] || ! fuzz_build_target "$t" >"$W/build.txt" 2>&1; then
		cat "$W/build.txt" 2>/dev/null
		echo "fuzz $t: FAILED: does not build"
		fail=$((fail + 1))
		continue
	fi
	for f in "$ROOT"/tests/fuzz/crashes/"$t"-*; do
		[ -f "$f" ] && cp "$f" "$W/crashes/"
	done
	# New inputs go to new/, the first folder; the others are only read.
	"$FB/$t/fuzz" -max_total_time="$SECONDS_EACH" $(fuzz_options "$t") \
	    -print_final_stats=1 -artifact_prefix="$W/" \
	    "$W/new" "$ROOT/tests/fuzz/corpus/$t" "$W/crashes" >"$W/log.txt" 2>&1
	rc=$?
	set -- $(fuzz_stats "$W/log.txt")
	found=$(ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* 2>/dev/null)
	if [ "$rc" = 0 ] && [ -z "$found" ]; then
		echo "fuzz $t: ok: $1 runs in $SECONDS_EACH s, cov $3, ft $4"
		pass=$((pass + 1))
	else
		# The sanitizer's report: what, where, and the stack.
		sed -n '/^==[0-9]*==ERROR\|runtime error\|^fuzz: \|ALARM\|out-of-memory/,/^SUMMARY/p' \
		    "$W/log.txt" | head -40
		echo "fuzz $t: FAILED (exit $rc; log: $W/log.txt):" $found
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
