#!/bin/sh
# make fuzz: builds one libFuzzer binary per parser with clang, ASan and
# UBSan (tests/fuzz/lib.sh), and runs each for FUZZ_SECONDS (default 60)
# with its dictionary, from a working corpus in build/fuzz/NAME/corpus
# that starts as the committed one (tests/fuzz/corpus/NAME) and keeps what
# each run adds. Give target names as arguments to run only those.
# Findings are written to build/fuzz/NAME/ (crash-*, leak-*, timeout-*,
# oom-*); the run fails if it found any.
set -u
. "$(dirname "$0")/lib.sh"
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=${*:-$FUZZ_TARGETS}
echo "fuzz: building the generator with $FUZZ_CC, ASan, UBSan and libFuzzer"
fuzz_build_lib || { echo "fuzz: the generator does not build"; exit 1; }
status=0
for t in $TARGETS; do
	fuzz_build_target "$t" || { echo "fuzz $t: does not build"; status=1; continue; }
	mkdir -p "$FB/$t/corpus"
	cp "$ROOT/tests/fuzz/corpus/$t"/* "$FB/$t/corpus/" 2>/dev/null
	touch "$FB/$t/.start"
	(cd "$FB/$t" && ./fuzz -max_total_time="$SECONDS_EACH" \
	    $(fuzz_options "$t") -print_final_stats=1 -artifact_prefix="$FB/$t/" \
	    corpus >log.txt 2>&1)
	set -- $(fuzz_stats "$FB/$t/log.txt")
	# Only this run's: older findings stay until deleted, but do not count.
	found=$(find "$FB/$t" -maxdepth 1 -newer "$FB/$t/.start" \( -name 'crash-*' \
	    -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
	if [ -n "$found" ]; then
		grep -E 'ERROR|runtime error|SUMMARY|^fuzz: ' "$FB/$t/log.txt" | tail -5
		echo "fuzz $t: FOUND PROBLEMS (log: $FB/$t/log.txt):" $found
		status=1
	else
		echo "fuzz $t: no problems in $SECONDS_EACH s: $1 runs, $2/s, cov $3, ft $4, corpus $5"
	fi
done
exit $status
