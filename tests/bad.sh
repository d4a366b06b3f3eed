#!/bin/sh
# Bad input: each tests/bad/NAME is a small site with one thing wrong. The
# build must fail with exit status 1, print every line of NAME/expect (a
# "file:line: error: ..." text, matched literally), in Finnish every line
# of NAME/expect.fi, and leave the existing output folder exactly as it
# was, with no staging folder left behind.
# NAME/setup.sh, if present, runs in the assembled site first (for inputs
# that are generated rather than committed: huge or binary files, links).
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-bad}
. "$TESTS/lib.sh"
pass=0 fail=0
for dir in "$TESTS"/bad/*/; do
	name=$(basename "$dir")
	site=$WORK/$name
	assemble "$dir" "$site" || { echo "FAIL $name: cannot assemble"; fail=$((fail+1)); continue; }
	[ -f "$dir/setup.sh" ] && (cd "$site" && sh "$dir/setup.sh")
	# The output of an earlier build: Valo's marker and an old page.
	mkdir -p "$site/public/vanha"
	echo "edellinen versio" >"$site/public/vanha/index.html"
	: >"$site/public/.valo-output"
	before=$(cd "$site/public" && find . -type f -exec md5sum {} + | sort)
	"$VALO" -C "$site" build >"$site/stdout" 2>"$site/stderr"
	status=$?
	after=$(cd "$site/public" && find . -type f -exec md5sum {} + | sort)
	why=
	[ "$status" = 1 ] || why="exit status $status, not 1"
	while IFS= read -r want; do
		[ -z "$want" ] && continue
		grep -qF -- "$want" "$site/stderr" || why="$why; no \"$want\""
	done <"$dir/expect"
	[ "$before" = "$after" ] || why="$why; public/ was changed"
	[ -e "$site/.public.staging" ] && why="$why; staging folder left behind"
	# The same in Finnish, as the editors see it.
	if [ -f "$dir/expect.fi" ]; then
		LANGUAGE=fi "$VALO" -C "$site" build >"$site/stdout" \
		    2>"$site/stderr.fi"
		[ $? = 1 ] || why="$why; in Finnish not exit status 1"
		while IFS= read -r want; do
			[ -z "$want" ] && continue
			grep -qF -- "$want" "$site/stderr.fi" ||
			    why="$why; no \"$want\" in Finnish"
		done <"$dir/expect.fi"
	else
		why="$why; no expect.fi (the messages in Finnish)"
	fi
	if [ -z "$why" ]; then
		pass=$((pass+1))
	else
		echo "FAIL $name: ${why#; }"; sed 's/^/    /' "$site/stderr" | head -10
		[ -f "$site/stderr.fi" ] && sed 's/^/    /' "$site/stderr.fi" | head -10
		fail=$((fail+1))
	fi
done
echo "bad: $pass passed, $fail failed"
[ "$fail" = 0 ]
