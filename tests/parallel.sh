#!/bin/sh
# Parallel rendering that cannot silently break: a site of 1,500 pages rich
# in strikethrough, autolinks and tables builds byte for byte the same with
# one job and with four. cmark-gfm keeps its table of special inline
# characters in a process-wide variable that every parser sets and clears,
# so Valo renders in worker processes; VALO_TEST_RACY_THREADS=1 renders in
# threads of one process instead, as Valo once did, and this test shows
# that it would notice: that build must differ.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-parallel}
. "$TESTS/lib.sh"
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { echo "FAIL $*"; fail=$((fail+1)); }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

site=$WORK/site
assemble "$TESTS/sites/basic" "$site" || exit 1
python3 - "$site/content/rinnakkain" <<'PY' || exit 1
import os, sys
d = sys.argv[1]
os.makedirs(d)
for i in range(1500):
    with open(os.path.join(d, "s%d.md" % i), "w") as f:
        f.write("---\ntitle: Sivu %d\n---\n" % i)
        for k in range(6):
            f.write("Tämä on ~~vanha~~ uusi kohta %d ja ~poistettu~ "
                    "sana, osoite https://example.fi/%d/%d ja "
                    "www.kainuu.fi/%d.\n\n" % (k, i, k, k))
        f.write("| kunta | osuus |\n|---|---:|\n| Kajaani | ~~%d~~ |\n"
                "| Kuhmo | %d |\n\n- [x] tehty ~~%d~~\n" % (i, k, i))
PY

"$VALO" -q -C "$site" build --jobs 1 --out "$WORK/one" 2>"$WORK/err1" &&
	ok || { no "build with one job failed"; head -5 "$WORK/err1"; }
"$VALO" -q -C "$site" build --jobs 4 --out "$WORK/four" 2>"$WORK/err4" &&
	ok || { no "build with four jobs failed"; head -5 "$WORK/err4"; }
n=$(grep -l '<del>vanha</del>' "$WORK"/one/rinnakkain/*/index.html | wc -l)
[ "$n" = 1500 ] && ok || no "one job: $n of 1500 pages have their strikethrough"
if diff -r "$WORK/one" "$WORK/four" >"$WORK/diff" 2>&1; then ok; else
	no "four jobs differ from one: $(grep -c '^diff' "$WORK/diff") files"
fi

# The plain-language counts are the same however the pages fall to the
# workers: a folder without _index.md has no text of its own (a worker
# once checked the page it had read before in its place).
mkdir -p "$site/content/ilman/alaosio"
for i in 1 2 3 4 5 6 7 8; do
	printf -- '---\ntitle: Sivu %s\n---\nTämä on pitkä virke, jossa on monta sanaa peräkkäin, jotta sanojen määrä ylittää rajan, jonka selkeä kieli asettaa virkkeen pituudelle, kun kirjoittaja ei huomaa sitä itse ajoissa. Lyhyt.\n' $i \
	    >"$site/content/ilman/alaosio/s$i.md"
done
for j in 1 4 4 4; do
	LANGUAGE=en "$VALO" -C "$site" check --jobs $j 2>&1 | grep '^valo: plain' >>"$WORK/plain-$j"
done
if [ "$(sort -u "$WORK/plain-4")" = "$(cat "$WORK/plain-1")" ] &&
    [ "$(wc -l <"$WORK/plain-4")" = 3 ]; then ok; else
	no "plain-language counts differ: $(cat "$WORK/plain-1") / $(sort -u "$WORK/plain-4")"; fi
rm -r "$site/content/ilman"

# The same with the protection off: the race must show, or this test could
# not see it either.
VALO_TEST_RACY_THREADS=1 "$VALO" -q -C "$site" build --jobs 4 \
    --out "$WORK/racy" 2>"$WORK/err-racy" ||
	{ no "racy build failed"; head -5 "$WORK/err-racy"; }
bad=$(diff -rq "$WORK/one" "$WORK/racy" 2>/dev/null | wc -l)
[ "$bad" -gt 0 ] && ok ||
	no "threads in one process gave no wrong page: the test cannot see the race"
echo "parallel: $pass passed, $fail failed ($bad pages differ with the protection off)"
[ "$fail" = 0 ]
