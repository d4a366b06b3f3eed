#!/bin/sh
# The command line: exit statuses, help, valo new and valo check.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-cli}
rm -rf "$WORK" && mkdir -p "$WORK"
. "$TESTS/lib.sh"
pass=0 fail=0
expect() { # STATUS DESCRIPTION COMMAND...
	want=$1 what=$2; shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"; got=$?
	if [ "$got" = "$want" ]; then pass=$((pass+1)); else
		echo "FAIL $what: status $got, not $want"; cat "$WORK/err"; fail=$((fail+1)); fi
}
has() { # FILE TEXT DESCRIPTION
	if grep -qF -- "$2" "$1"; then pass=$((pass+1)); else
		echo "FAIL $3: no \"$2\" in:"; cat "$1"; fail=$((fail+1)); fi
}

site=$WORK/site
assemble "$TESTS/sites/basic" "$site" || exit 1
expect 0 "--version" "$VALO" --version
has "$WORK/out" "valo 0.1" "--version prints the version"
expect 0 "--help" "$VALO" --help
has "$WORK/out" "usage: valo" "--help prints usage"
expect 0 "build --help" "$VALO" build --help
has "$WORK/out" "--drafts" "build --help names its options"
expect 2 "no command" "$VALO"
expect 2 "unknown command" "$VALO" -C "$site" publsh
has "$WORK/err" 'unknown command "publsh"' "unknown command is named"
expect 2 "unknown option" "$VALO" -C "$site" build --fast
expect 0 "check of a good site" "$VALO" -C "$site" check
[ -e "$site/public" ] && { echo "FAIL check wrote public/"; fail=$((fail+1)); } || pass=$((pass+1))
expect 0 "new page" "$VALO" -C "$site" new strategia/uusi-linjaus
has "$site/content/strategia/uusi-linjaus.md" 'title: "Uusi linjaus"' "new page has a title from its name"
has "$site/content/strategia/uusi-linjaus.md" "draft: true" "new page is a draft"
echo "muokattu" >>"$site/content/strategia/uusi-linjaus.md"
expect 1 "new refuses to overwrite" "$VALO" -C "$site" new strategia/uusi-linjaus
has "$WORK/err" "not overwriting" "the refusal says why"
has "$site/content/strategia/uusi-linjaus.md" "muokattu" "the editor's work is kept"
expect 2 "new outside content" "$VALO" -C "$site" new ../ulos
expect 0 "build with drafts" "$VALO" -q -C "$site" build --drafts --out "$WORK/drafts"
[ -f "$WORK/drafts/strategia/uusi-linjaus/index.html" ] && pass=$((pass+1)) ||
	{ echo "FAIL --drafts did not build the draft"; fail=$((fail+1)); }
expect 0 "build without drafts" "$VALO" -q -C "$site" build --out "$WORK/nodrafts"
[ -e "$WORK/nodrafts/strategia/uusi-linjaus" ] && { echo "FAIL a draft was built"; fail=$((fail+1)); } || pass=$((pass+1))
expect 0 "base url" "$VALO" -q -C "$site" build --base-url https://example.org/kainuu --out "$WORK/sub"
has "$WORK/sub/strategia/index.html" 'href="/kainuu/strategia/arvot/"' "links carry the base path"
expect 1 "bad base url" "$VALO" -q -C "$site" build --base-url ftp://x --out "$WORK/ftp"
# A page saved with a byte order mark (Windows editors write one) builds,
# and [ylös](#) is a link to the top of the page, not a missing heading.
printf '\357\273\277---\ntitle: Merkitty sivu\n---\n[Ylös](#)\n' \
    >"$site/content/bom.md"
expect 0 "a page with a byte order mark and a # link" "$VALO" -q -C "$site" \
    build --out "$WORK/bom"
has "$WORK/bom/bom/index.html" "Merkitty sivu" "the page's title is read after the mark"
has "$WORK/bom/bom/index.html" '<a href="#">Ylös</a>' "# stays a link to the top"
# -q and -C stand after the command too, as in git and hugo; a word that
# is the value of the command's own option stays that value.
"$VALO" -q -C "$site" build --out "$WORK/before" 2>"$WORK/err-before"
expect 0 "options after the command" "$VALO" build -q -C "$site" --out "$WORK/after"
cmp -s "$WORK/err" "$WORK/err-before" && [ -f "$WORK/after/index.html" ] &&
	pass=$((pass+1)) || { echo "FAIL build -q -C is not valo -q -C build:"
	cat "$WORK/err"; fail=$((fail+1)); }
expect 0 "check -C after the command" "$VALO" check -C "$site"
expect 0 "new -C after the command" "$VALO" new strategia/jalkeen -C"$site"
[ -f "$site/content/strategia/jalkeen.md" ] && pass=$((pass+1)) ||
	{ echo "FAIL new -C: no content/strategia/jalkeen.md"; fail=$((fail+1)); }
rm -f "$site/content/strategia/jalkeen.md"
abs=$(cd "$site" && pwd)
(cd "$WORK" && "$VALO" build --out -q -C "$abs" >/dev/null 2>&1)
[ -f "$WORK/-q/index.html" ] && pass=$((pass+1)) ||
	{ echo "FAIL --out -q: -q was not taken as the folder"; fail=$((fail+1)); }

# Headings: one title (the front matter's), no level skipped; warnings
# that name the line and what to write.
mkdir -p "$WORK/ots/content" && cp -R "$site/site.conf" "$site/themes" "$WORK/ots/" &&
printf -- '---\ntitle: Etusivu\n---\nHei.\n' >"$WORK/ots/content/_index.md" &&
printf -- '---\ntitle: Otsikot\n---\n# Iso\n\n## Osio\n\n#### Liian syvä\n\n### Oikein\n' \
    >"$WORK/ots/content/otsikot.md"
expect 0 "check with heading warnings" "$VALO" -C "$WORK/ots" check
has "$WORK/err" "content/otsikot.md:4:1: warning: a heading of the first level (#) in the text" \
    "a # heading in the text is named"
has "$WORK/err" "content/otsikot.md:8:1: warning: the heading skips from level 2 to level 4" \
    "a skipped level is named"
has "$WORK/err" "Write ### here" "the skipped level's hint says what to write"
[ "$(grep -c 'warning: the heading' "$WORK/err")" = 1 ] && pass=$((pass+1)) ||
	{ echo "FAIL ### after #### was warned about"; fail=$((fail+1)); }

# Images say what they show: none, a file name or "kuva" is an error with
# file:line and what to write; "-" marks decoration, with an empty alt.
mkdir -p "$WORK/img/content" && cp -R "$site/site.conf" "$site/themes" "$WORK/img/" &&
printf -- '---\ntitle: Etusivu\n---\nHei.\n' >"$WORK/img/content/_index.md" &&
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$WORK/img/content/kartta.svg" &&
printf -- '---\ntitle: Kuvat\n---\n![](kartta.svg)\n\n![Kuva](kartta.svg)\n\n![kartta.svg](kartta.svg)\n\n![kartta](kartta.svg)\n' \
    >"$WORK/img/content/kuvat.md"
expect 1 "images without a description" "$VALO" -C "$WORK/img" check
has "$WORK/err" "content/kuvat.md:4: error: an image without a description" "an empty description is an error"
has "$WORK/err" 'content/kuvat.md:6: error: the image'"'"'s description "Kuva" does not say what it shows' "\"Kuva\" is an error"
has "$WORK/err" 'content/kuvat.md:8: error: the image'"'"'s description "kartta.svg"' "the file name is an error"
has "$WORK/err" 'content/kuvat.md:10: error: the image'"'"'s description "kartta"' "the file name without its extension is an error"
has "$WORK/err" "![-](kuva.png)" "the hint says how to mark decoration"
printf -- '---\ntitle: Kuvat\n---\n![Kainuun kunnat kartalla](kartta.svg)\n\n![-](kartta.svg)\n' \
    >"$WORK/img/content/kuvat.md"
expect 0 "described and decorative images" "$VALO" -q -C "$WORK/img" build
has "$WORK/img/public/kuvat/index.html" 'alt="Kainuun kunnat kartalla"' "a description is the alt text"
has "$WORK/img/public/kuvat/index.html" 'alt=""' "a decorative image has an empty alt text"

# A name as an editor says it: the file gets its slug, the page the name.
expect 0 "new with a title for a name" "$VALO" -C "$site" new "strategia/Hyvä Sivu"
has "$WORK/out" "content/strategia/hyva-sivu.md" "new prints the slugged file"
has "$site/content/strategia/hyva-sivu.md" 'title: "Hyvä Sivu"' "the name is the page's title"
rm -f "$site/content/strategia/hyva-sivu.md"
expect 2 "new with no letters" "$VALO" -C "$site" new "strategia/!!!"

# A version in another language of the site keeps its code: arvot.sv.md.
lang=$WORK/lang
assemble "$TESTS/sites/kielet" "$lang" || exit 1
cp -R "$TESTS/fixtures/themes/mini/archetypes" "$lang/themes/kielet/"
expect 0 "new in another language" "$VALO" -C "$lang" new "osio/Värderingar.sv"
has "$WORK/out" "content/osio/varderingar.sv.md" "new keeps the language's code"
has "$lang/content/osio/varderingar.sv.md" 'title: "Värderingar"' "the title has no code"
expect 0 "new of a code the site has not" "$VALO" -C "$lang" new "osio/muistio.se"
has "$WORK/out" "content/osio/muistio-se.md" "an unknown code is part of the name"

# A page that does not render has no headings to check links against:
# its own error is reported, not one for every link to its headings.
mkdir -p "$WORK/fail/content" && cp -R "$site/site.conf" "$site/themes" "$WORK/fail/" &&
printf -- '---\ntitle: Etusivu\n---\nKatso [osio](a.md#osio).\n' >"$WORK/fail/content/_index.md" &&
printf -- '---\ntitle: A\n---\n## Osio\n\n[rikki](ei-ole.md)\n' >"$WORK/fail/content/a.md"
expect 1 "a page with a broken link" "$VALO" -C "$WORK/fail" check
has "$WORK/err" "content/a.md:6: error: link to a page that does not exist: ei-ole.md" "the broken link is named"
[ "$(grep -c ': error: ' "$WORK/err")" = 1 ] && pass=$((pass+1)) ||
	{ echo "FAIL links to a failed page's headings were reported too:"; cat "$WORK/err"; fail=$((fail+1)); }

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
