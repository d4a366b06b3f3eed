#!/bin/sh
# Faults: a build killed (SIGKILL) at any moment leaves the output either
# the old complete site or the new complete site; a full disk and an
# output folder that cannot be written give a clear error and leave the old
# output in place. Needs root for the small file systems (mount -t tmpfs).
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-faults}
. "$TESTS/lib.sh"
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { echo "FAIL $*"; fail=$((fail+1)); }
# Every file below a folder with its checksum, the marker included.
snap() { (cd "$1" 2>/dev/null && find . -type f -exec md5sum {} + | sort); }
MOUNTS=
cleanup() { for m in $MOUNTS; do umount "$m" 2>/dev/null; done; }
trap cleanup EXIT
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

# A site of 800 pages; the new version changes the title every page shows.
site=$WORK/site
assemble "$TESTS/sites/basic" "$site" || exit 1
python3 - "$site/content/sivut" <<'PY' || exit 1
import os, sys
d = sys.argv[1]
os.makedirs(d)
for i in range(800):
    with open(os.path.join(d, "s%d.md" % i), "w") as f:
        f.write("---\ntitle: Sivu %d\n---\nSivun %d teksti, **lihavoitu**.\n" % (i, i))
PY
"$VALO" -q -C "$site" build --out "$WORK/old" 2>/dev/null || no "the old site does not build"
sed -i 's/^title = .*/title = Uusi nimi/' "$site/site.conf"
"$VALO" -q -C "$site" build --out "$WORK/new" 2>/dev/null || no "the new site does not build"
old=$(snap "$WORK/old") new=$(snap "$WORK/new")
[ "$old" != "$new" ] && ok || no "the two versions are the same"

# Killed at random moments: old or new, never a mix, never nothing.
# The kills are spread over a build's whole length, measured here, since
# machines differ tenfold: a fixed delay kills nothing on a fast one.
rm -rf "$site/public" && cp -R "$WORK/old" "$site/public"
t0=$(date +%s%N)
"$VALO" -q -C "$site" build 2>/dev/null
length=$(( ($(date +%s%N) - t0) / 1000 ))
killed=0 mixed=0
for i in $(seq 15); do
	rm -rf "$site/public" "$site"/.public.*
	cp -R "$WORK/old" "$site/public"
	"$VALO" -q -C "$site" build 2>/dev/null &
	pid=$!
	sleep "$(awk -v l="$length" -v i="$i" 'BEGIN { printf "%.6f", l * ((i * 7) % 16) / 16 / 1e6 }')"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	now=$(snap "$site/public")
	if [ "$now" != "$old" ] && [ "$now" != "$new" ]; then
		mixed=$((mixed + 1))
		echo "    kill $i: public/ is neither the old nor the new site"
	fi
done
[ "$mixed" = 0 ] && ok || no "$mixed of 15 killed builds left a mixed or broken site"
[ "$killed" -gt 5 ] && ok || no "only $killed builds were still running when killed"
echo "    $killed of 15 builds killed while running"
# And the next build after a kill cleans up and succeeds.
"$VALO" -q -C "$site" build 2>"$WORK/err" && [ "$(snap "$site/public")" = "$new" ] &&
	ok || { no "a build after the kills failed or differs"; head -5 "$WORK/err"; }

# A full disk: a small file system holds the old output; the new one does
# not fit. The build fails, says why, and the old output stays.
small=$WORK/small
mkdir -p "$small"
if mount -t tmpfs -o size=2m tmpfs "$small"; then
	MOUNTS="$MOUNTS $small"
	tiny=$WORK/tiny
	assemble "$TESTS/sites/basic" "$tiny" || exit 1
	"$VALO" -q -C "$tiny" build --out "$small/public" 2>/dev/null ||
		no "the small site does not fit 2 MB"
	before=$(snap "$small/public")
	"$VALO" -q -C "$site" build --force --out "$small/public" 2>"$WORK/err"
	status=$?
	[ "$status" = 1 ] && ok || no "full disk: exit status $status, not 1"
	grep -q "No space left on device" "$WORK/err" && ok ||
		{ no "full disk: the error does not say why"; head -5 "$WORK/err"; }
	[ "$(snap "$small/public")" = "$before" ] && ok ||
		no "full disk: the old output was changed"
	[ -z "$(ls -A "$small" | grep -v -e '^public$' -e valo-lock -e valo-cache)" ] && ok ||
		no "full disk: left behind: $(ls -A "$small" | tr '\n' ' ')"
else
	no "cannot mount a small tmpfs (the test needs root)"
fi

# An output folder that cannot be written: a read-only file system.
ro=$WORK/ro
mkdir -p "$ro"
if mount -t tmpfs -o size=4m tmpfs "$ro"; then
	MOUNTS="$MOUNTS $ro"
	"$VALO" -q -C "$site" build --out "$ro/public" 2>/dev/null
	before=$(snap "$ro/public")
	mount -o remount,ro "$ro"
	"$VALO" -q -C "$site" build --out "$ro/public" 2>"$WORK/err"
	status=$?
	[ "$status" = 1 ] && ok || no "read-only: exit status $status, not 1"
	grep -q "Read-only file system" "$WORK/err" && ok ||
		{ no "read-only: the error does not say why"; head -5 "$WORK/err"; }
	[ "$(snap "$ro/public")" = "$before" ] && ok || no "read-only: the output changed"
else
	no "cannot mount a tmpfs (the test needs root)"
fi

echo "faults: $pass passed, $fail failed"
[ "$fail" = 0 ]
