#!/bin/sh
# Participation: consultations shown as they are on the build date, events
# with calendars that libical reads back, commitments with their deadlines,
# Atom feeds that are valid RFC 4287, a feedback link on every page, and
# output that is the same bytes for the same date.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TESTS/.." && pwd)
ICAL=${ICAL_CHECK:-$(dirname "$VALO")/ical-check}
WORK=${WORK:-$TESTS/../build/test-participation}
rm -rf "$WORK" && mkdir -p "$WORK"
. "$TESTS/lib.sh"
# Long words of a Finnish page carry soft hyphens (U+00AD): not for grep.
has() { sed 's/\xc2\xad//g' "$1" | grep -qF -- "$2"; }
unset SOURCE_DATE_EPOCH

site=$WORK/site
rm -rf "$site" && cp -R "$TESTS/participation/site" "$site" &&
    cp -R "$ROOT/themes" "$site/" || exit 1
build() { # OUT DATE
	"$VALO" -q -C "$site" build --today "$2" --out "$1" >"$WORK/out" 2>"$WORK/err"
}

# 17.5.2025: one consultation open (closes tomorrow), one to come, one
# ended with what was heard; events to come and past.
build "$WORK/a" 2025-05-17 && ok || { no "build on 2025-05-17 failed"; errs; }
P=$WORK/a
f=$P/kuulemiset/auki/index.html
has "$f" 'href="mailto:kysely@example.fi"' && ok || no "the open consultation has no way to answer"
has "$P/index.html" 'href="/kuulemiset/auki/"' && ok || no "the home page does not show the open consultation"
has "$P/kuulemiset/paattynyt/index.html" '<strong>696</strong>' && ok ||
	no "what was heard is not shown as Markdown"
has "$P/kuulemiset/paattynyt/index.html" 'href="/"' && ok ||
	no "the outcome's link is not resolved"
# The order of the consultations page: open, coming, ended.
o=$(grep -n 'href="/kuulemiset/auki/"' "$P/kuulemiset/index.html" | head -1 | cut -d: -f1)
u=$(grep -n 'href="/kuulemiset/tuleva/"' "$P/kuulemiset/index.html" | head -1 | cut -d: -f1)
e=$(grep -n 'href="/kuulemiset/paattynyt/"' "$P/kuulemiset/index.html" | head -1 | cut -d: -f1)
[ -n "$o" ] && [ -n "$u" ] && [ -n "$e" ] && [ "$o" -lt "$u" ] && [ "$u" -lt "$e" ] && ok ||
	no "the consultations page is not open, coming, ended ($o $u $e)"

# Every page's feedback link: an e-mail with its title and address.
for p in index.html kuulemiset/auki/index.html tapahtumat/index.html; do
	has "$P/$p" 'mailto:palaute@example.fi?subject=' && ok || no "$p has no feedback link"
done
has "$f" 'Palveluverkon%20kysely' && has "$f" 'https%3A%2F%2Fexample.fi%2Fkuulemiset%2Fauki%2F' &&
	ok || no "the feedback link does not name the page, encoded"

# Calendars: one a event and one of all, valid for libical, UIDs stable.
ics=$(ls "$P"/tapahtumat/*.ics 2>/dev/null | wc -l)
[ "$ics" = 4 ] && ok || no "expected 3 event calendars and the feed, found $ics"
"$ICAL" "$P"/tapahtumat/*.ics 2>"$WORK/ical.err" && ok || { no "a calendar does not parse back"; cat "$WORK/ical.err"; }
has "$P/tapahtumat/asukasilta-kajaani.ics" 'UID:asukasilta-kajaani@example.fi' && ok || no "the UID is not the event's id at the host"
has "$P/tapahtumat/asukasilta-kajaani.ics" 'DTSTART;TZID=Europe/Helsinki:20250520T173000' && ok ||
	no "the start is not in Finnish time"
has "$P/tapahtumat/asukasilta-kajaani.ics" 'SUMMARY:Asukasilta Kajaanissa\; kysy\, kerro' && ok ||
	no "the title is not escaped as RFC 5545 says"
has "$P/tapahtumat/paivatapahtuma-kuhmo.ics" 'DTSTART;VALUE=DATE:20250525' && ok || no "an all-day event is not a date"
# DTSTAMP is the build time: noon of --today in Finland, 09:00 UTC.
has "$P/tapahtumat/kalenteri.ics" 'DTSTAMP:20250517T090000Z' && ok || no "DTSTAMP is not the build time"
has "$P/tapahtumat/index.html" 'href="/tapahtumat/asukasilta-kajaani.ics"' && ok ||
	no "the events page does not link the event's calendar"

# Atom feeds: of consultations, events and news, linked from every head.
for feed in kuulemiset tapahtumat ajankohtaista; do
	python3 "$TESTS/atom-check.py" "$P/$feed/atom.xml" >"$WORK/first-$feed" && ok ||
		no "$feed/atom.xml is not a valid Atom feed"
	has "$P/index.html" "type=\"application/atom+xml\" href=\"/$feed/atom.xml\"" && ok ||
		no "no autodiscovery link to $feed/atom.xml"
done
grep -qx 'Uusi uutinen' "$WORK/first-ajankohtaista" && ok || no "the news feed is not newest first"

# The same date builds the same bytes; the next day a rebuild of the same
# output takes nothing over that the day changed.
build "$WORK/b" 2025-05-17 && diff -r "$WORK/a" "$WORK/b" >"$WORK/diff" 2>&1 && ok ||
	no "two builds on one date differ: $(head -3 "$WORK/diff")"
cp "$P/kuulemiset/auki/index.html" "$WORK/auki-17.html"
build "$WORK/a" 2025-05-19 && ok || { no "build on 2025-05-19 failed"; errs; }
cmp -s "$WORK/auki-17.html" "$P/kuulemiset/auki/index.html" && no "a rebuild the day after kept the consultation open" || ok
has "$P/index.html" 'href="/kuulemiset/auki/"' && no "the home page still shows a closed consultation" || ok

# Commitments: a deadline passed and not done is late; unknowns say so.
f=$P/seuranta/sitoumukset/index.html
has "$f" 'Talous ylijäämäiseksi' && has "$f" 'Kotisairaala koko alueelle' && ok ||
	no "the commitments page does not list them"
has "$P/kuulemiset/auki/index.html" 'Kotisairaala koko alueelle' && ok ||
	no "a page does not show the commitments that concern it"

# SOURCE_DATE_EPOCH is the build time when --today is not given.
SOURCE_DATE_EPOCH=1747468800 "$VALO" -q -C "$site" build --out "$WORK/sde" 2>"$WORK/err" && ok || { no "build with SOURCE_DATE_EPOCH failed"; errs; }
has "$WORK/sde/tapahtumat/kalenteri.ics" 'DTSTAMP:20250517T080000Z' && ok ||
	no "SOURCE_DATE_EPOCH is not the calendars' DTSTAMP"

# Wrong dates are errors at their lines, in the editor's language.
cp "$site/content/kuulemiset/auki.md" "$WORK/auki.md"
sed -i 's/^closes: 2025-05-18$/closes: 2025-04-18/' "$site/content/kuulemiset/auki.md"
"$VALO" -C "$site" check --today 2025-05-17 >"$WORK/out" 2>"$WORK/err"
[ $? = 1 ] && has "$WORK/err" 'content/kuulemiset/auki.md:6:' &&
    has "$WORK/err" 'the consultation closes (2025-04-18) before it opens (2025-05-01)' &&
    ok || { no "closes before opens is not an error at its line"; errs; }
cp "$WORK/auki.md" "$site/content/kuulemiset/auki.md"
printf -- '- id: Huono Tunniste\n  title: X\n  start: 2025-02-30\n' >"$site/content/data/tapahtumat.yaml"
"$VALO" -C "$site" check --today 2025-05-17 >"$WORK/out" 2>"$WORK/err"
[ $? = 1 ] && has "$WORK/err" 'content/data/tapahtumat.yaml:1:7: error: the event'"'"'s id "Huono Tunniste" is not a slug' &&
    has "$WORK/err" 'content/data/tapahtumat.yaml:3:10: error: "2025-02-30" is not a date' &&
    ok || { no "bad events are not errors at their lines"; errs; }
printf -- '- id: x\n  title: X\n  status: valmis\n  pages: [ei/ole.md]\n' >"$site/content/data/sitoumukset.yaml"
"$VALO" -C "$site" check --today 2025-05-17 >"$WORK/out" 2>"$WORK/err"
[ $? = 1 ] && has "$WORK/err" 'content/data/sitoumukset.yaml:3:11: error: status "valmis" is not one of the statuses' &&
    has "$WORK/err" 'content/data/sitoumukset.yaml:4:10: error: "pages": there is no page ei/ole.md' &&
    ok || { no "bad commitments are not errors at their lines"; errs; }
"$VALO" -C "$site" check --today 2025-02-30 >"$WORK/out" 2>"$WORK/err"
[ $? = 2 ] && ok || no "--today with an impossible date is not wrong usage"

# In git: a change of a commitment's status, with a change note, is a
# change of the commitments page, in its history.
repo=$WORK/repo
rm -rf "$repo" && cp -R "$TESTS/participation/site" "$repo" && cp -R "$ROOT/themes" "$repo/"
G() { git -C "$repo" -c user.name=T -c user.email=t@example.fi "$@"; }
G init -q -b main && G add -A && G commit -qm "Sivusto" &&
    sed -i 's/^  status: planned$/  status: started/' "$repo/content/data/sitoumukset.yaml" &&
    G commit -qam "Kansalaisraati käynnistyi" -m "Muutos: Kansalaisraadin valmistelu alkoi." ||
    no "cannot make the repository"
"$VALO" -q -C "$repo" build --today 2025-05-17 --out "$WORK/git" 2>"$WORK/err" && ok || { no "build in git failed"; errs; }
has "$WORK/git/seuranta/sitoumukset/muutoshistoria/index.html" 'Kansalaisraadin valmistelu alkoi.' && ok ||
	no "the commitments page's history lacks the change of a status"
echo "participation: $pass passed, $fail failed"
[ "$fail" = 0 ]
