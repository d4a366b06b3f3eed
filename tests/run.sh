#!/bin/sh
# make check: every test suite, then the same C tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then the browser checks.
# Each suite ends with "N passed, N failed"; the last line adds them up.
B=${B:-build}
# The suites read messages in English unless they ask for another language.
LANGUAGE=en; export LANGUAGE
TOTAL_PASS=0 TOTAL_FAIL=0 BROKEN=

suite() {
	name=$1; shift
	echo "== $name"
	out=$B/log-$(echo "$name" | tr ' /' '--').txt
	"$@" >"$out" 2>&1
	status=$?
	cat "$out"
	counts=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	if [ -z "$counts" ]; then
		# node --test prints "# pass N" and "# fail N".
		p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out" | tail -1)
		f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out" | tail -1)
	else
		p=$(echo "$counts" | sed 's/.*\b\([0-9][0-9]*\) passed.*/\1/')
		f=$(echo "$counts" | sed 's/.* \([0-9][0-9]*\) failed.*/\1/')
	fi
	TOTAL_PASS=$((TOTAL_PASS + ${p:-0}))
	TOTAL_FAIL=$((TOTAL_FAIL + ${f:-0}))
	if [ "$status" != 0 ] || [ -z "$p" ]; then
		BROKEN="$BROKEN, $name"
		[ "${f:-0}" = 0 ] && TOTAL_FAIL=$((TOTAL_FAIL + 1))
	fi
}

suite "unit" "$B/unit"
suite "mustache spec" "$B/mustache-spec" tests/spec/mustache
suite "golden sites" tests/sites.sh "$B/valo"
suite "bad input" tests/bad.sh "$B/valo"
suite "rebuild" tests/rebuild.sh "$B/valo"
suite "command line" tests/cli.sh "$B/valo"
suite "messages" tests/messages.sh "$B/valo"
suite "participation" tests/participation.sh "$B/valo"
suite "git" tests/git.sh "$B/valo"
suite "history" tests/history.sh "$B/valo"
suite "serve" tests/serve.sh "$B/valo"
suite "output safety" tests/output.sh "$B/valo"
suite "injection" tests/inject.sh "$B/valo"
suite "parallel rendering" tests/parallel.sh "$B/valo"
suite "faults" tests/faults.sh "$B/valo"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
suite "unit (sanitizers)" "$B/unit-asan"
suite "mustache spec (sanitizers)" "$B/mustache-spec-asan" tests/spec/mustache
WORK=$B/test-sites-asan suite "golden sites (sanitizers)" tests/sites.sh "$B/valo-asan"
WORK=$B/test-bad-asan suite "bad input (sanitizers)" tests/bad.sh "$B/valo-asan"
WORK=$B/test-rebuild-asan suite "rebuild (sanitizers)" tests/rebuild.sh "$B/valo-asan"
WORK=$B/test-cli-asan suite "command line (sanitizers)" tests/cli.sh "$B/valo-asan"
WORK=$B/test-messages-asan suite "messages (sanitizers)" tests/messages.sh "$B/valo-asan"
WORK=$B/test-participation-asan ICAL_CHECK=$B/ical-check suite "participation (sanitizers)" tests/participation.sh "$B/valo-asan"
WORK=$B/test-git-asan suite "git (sanitizers)" tests/git.sh "$B/valo-asan"
WORK=$B/test-history-asan suite "history (sanitizers)" tests/history.sh "$B/valo-asan"
WORK=$B/test-serve-asan suite "serve (sanitizers)" tests/serve.sh "$B/valo-asan"
WORK=$B/test-output-asan suite "output safety (sanitizers)" tests/output.sh "$B/valo-asan"
WORK=$B/test-inject-asan suite "injection (sanitizers)" tests/inject.sh "$B/valo-asan"
WORK=$B/test-parallel-asan suite "parallel rendering (sanitizers)" tests/parallel.sh "$B/valo-asan"
suite "fuzzing, 5 s a parser" tests/fuzz/check.sh
suite "editors' guide examples" tests/ohje/run.sh "$B/valo"
if [ -d tests/browser ]; then
	suite "browser" tests/browser/run.sh "$B/valo"
fi

[ -n "$BROKEN" ] && echo "failing suites: ${BROKEN#, }"
echo "check: $TOTAL_PASS passed, $TOTAL_FAIL failed"
[ "$TOTAL_FAIL" = 0 ] && [ -z "$BROKEN" ]
