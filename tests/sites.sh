#!/bin/sh
# Golden tests: each tests/sites/NAME is built and the output compared with
# tests/sites/NAME/expected byte for byte; it is built twice, with one and
# with four jobs, and both builds must be identical.
#   sites.sh VALO          run
#   sites.sh VALO --update write the expected output anew (after a change
#                          you meant; review the diff before committing)
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-sites}
. "$TESTS/lib.sh"
pass=0 fail=0
for dir in "$TESTS"/sites/*/; do
	name=$(basename "$dir")
	site=$WORK/$name
	assemble "$dir" "$site" || { echo "FAIL $name: cannot assemble"; fail=$((fail+1)); continue; }
	args=$(cat "$dir/args" 2>/dev/null)
	if ! "$VALO" -q -C "$site" build --jobs 1 --out "$site/out1" $args 2>"$site/stderr"; then
		echo "FAIL $name: build failed"; cat "$site/stderr"; fail=$((fail+1)); continue
	fi
	"$VALO" -q -C "$site" build --jobs 4 --out "$site/out4" $args 2>>"$site/stderr"
	if ! diff -r "$site/out1" "$site/out4" >/dev/null; then
		echo "FAIL $name: output differs with 1 and 4 jobs"; fail=$((fail+1)); continue
	fi
	if [ "$2" = --update ]; then
		rm -rf "$dir/expected" && cp -R "$site/out1" "$dir/expected"
		echo "updated $name"
	fi
	if diff -ru "$dir/expected" "$site/out1" >"$site/diff"; then
		pass=$((pass+1))
	else
		echo "FAIL $name: output differs from expected:"; head -40 "$site/diff"
		fail=$((fail+1))
	fi
done
echo "sites: $pass passed, $fail failed"
[ "$fail" = 0 ]
