#!/bin/sh
# History: a repository made here with major and minor commits, a rename
# and move, a data change, a delete and restore, a merge, a tag and
# non-ASCII paths. Checks the dates on pages, the history pages, the
# change views (the exact words marked), the changes page and its feed,
# the sitemap, an approved version, shallow clones, a folder without git,
# and that the same commit builds the same bytes.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TESTS/.." && pwd)
WORK=${WORK:-$TESTS/../build/test-history}
. "$TESTS/lib.sh"
# has FILE TEXT: FILE holds TEXT (fixed string).
# The text of a page as read: without the soft hyphens of long words.
plain() { sed 's/\xc2\xad//g' "$@" 2>/dev/null; }
has() { plain "$1" | grep -qF -- "$2"; }

rm -rf "$WORK" && mkdir -p "$WORK/home" || exit 1
WORK=$(cd "$WORK" && pwd)
GIT_AUTHOR_NAME="Eeva Editori" GIT_COMMITTER_NAME="Eeva Editori"
hermetic_git "$WORK/home"
g() { git -c core.quotePath=false -c protocol.file.allow=always "$@"; }
# commit DAY SUBJECT [NOTE]: everything, at 10:00 Finnish time on
# 2026-02-DAY (January 10th for day 0), NOTE a paragraph of its own.
commit() {
	if [ "$1" = 0 ]; then when="2026-01-10T10:00:00+02:00"
	else when=$(printf '2026-02-%02dT10:00:00+02:00' "$1"); fi
	g -C "$repo" add -A &&
	GIT_AUTHOR_DATE=$when GIT_COMMITTER_DATE=$when \
	    g -C "$repo" commit -q -m "$2" ${3:+-m "$3"} || exit 1
}
id() { g -C "$repo" rev-parse "$1" | cut -c1-12; }
# The text of every <del> or <ins> ($2) in file $1, hidden labels left
# out, one a line.
marks() {
	python3 - "$1" "$2" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = t[t.find('class="content diff"'):]
tag = sys.argv[2]
for m in re.finditer(r"<%s>(.*?)</%s>" % (tag, tag), t, re.S):
    s = re.sub(r'<span class="visually-hidden">.*?</span>', "", m.group(1))
    print(re.sub(r"<[^>]*>", "", s).strip())
PY
}

# The site: the default theme, with approved versions.
repo=$WORK/repo
site=$repo
mkdir -p "$site/content/data" "$site/content/osio" "$site/content/päätökset" || exit 1
cp -R "$ROOT/themes" "$site/"
cat >"$site/site.conf" <<'EOF'
[site]
title = Historiasivusto
base_url = https://example.fi/
language = fi
theme = default

[history]
versions = strategia-*
EOF
printf '/public/\n/.public.*\n/out*/\n' >"$site/.gitignore"
printf -- '---\ntitle: Etusivu\n---\nTervetuloa.\n' >"$site/content/_index.md"
cat >"$site/content/asukkaat.md" <<'EOF'
---
title: Asukkaat
---
Kainuussa asuu noin 70 000 ihmistä.

- Kajaani
- Sotkamo
- Suomussalmi

| Kunta | Asukkaita |
|-------|-----------|
| Kajaani | 36000 |
| Sotkamo | 10000 |
EOF
printf -- '---\ntitle: Arvot\n---\nArvomme ovat avoimuus ja yhdessä tekeminen.\n' >"$site/content/arvot.md"
printf -- '---\ntitle: Vanha sivu\n---\nTämä sivu kertoo palveluista. Se siirtyy myöhemmin.\n' >"$site/content/vanha.md"
printf -- '---\ntitle: Osio\n---\nOsion sivut.\n' >"$site/content/osio/_index.md"
printf -- '---\ntitle: Poistettava\n---\nTämä sivu poistetaan ja palautetaan.\n' >"$site/content/poistettava.md"
printf -- '---\ntitle: Päätös\n---\nPäätöksen teksti.\n' >"$site/content/päätökset/ä.md"
printf 'kunta,luku\nKajaani,5\nSotkamo,7\n' >"$site/content/data/luvut.csv"
cat >"$site/content/tilastot.md" <<'EOF'
---
title: Tilastot
---
Luvut taulukkona.

```table
data: luvut.csv
caption: Luvut kunnittain
```
EOF
g init -q -b main "$repo" || exit 1
commit 0 "Ensimmäinen versio" "Muutos: Sivusto julkaistiin."
sed -i 's/70 000/71 000/' "$site/content/asukkaat.md"
commit 1 "Asukasluku" "Muutos: Asukasluku päivitettiin."
sed -i 's/^- Sotkamo$/- Sotkamo ja Vuokatti/; s/| Sotkamo | 10000 |/| Sotkamo | 10500 |/' "$site/content/asukkaat.md"
commit 2 "Kunnat" "Muutos: Kunnat ja luvut tarkennettiin."
GIT_COMMITTER_DATE="2026-02-02T12:00:00+02:00" g -C "$repo" tag -a strategia-2026 -m "Aluevaltuusto hyväksyi 2.2.2026" || exit 1
sed -i 's/ihmistä\./ihmistä!/' "$site/content/asukkaat.md"
commit 3 "Kirjoitusvirhe"
g -C "$repo" mv content/vanha.md content/osio/uusi.md || exit 1
sed -i 's/Se siirtyy myöhemmin\./Se siirtyi osioon./' "$site/content/osio/uusi.md"
commit 4 "Siirto" "Muutos: Sivu siirrettiin osioon."
printf 'kunta,luku\nKajaani,5\nSotkamo,9\n' >"$site/content/data/luvut.csv"
commit 5 "Luvut" "Muutos: Luvut päivitettiin."
g -C "$repo" rm -q content/poistettava.md || exit 1
commit 6 "Poisto" "Muutos: Sivu poistettiin."
g -C "$repo" checkout -q HEAD~1 -- content/poistettava.md || exit 1
commit 7 "Palautus" "Muutos: Sivu palautettiin."
g -C "$repo" checkout -q -b haara || exit 1
sed -i 's/avoimuus/avoimuus, vastuullisuus/' "$site/content/arvot.md"
commit 8 "Arvot" "Muutos: Arvot päivitettiin haarassa."
g -C "$repo" checkout -q main || exit 1
sed -i 's/Päätöksen teksti\./Päätöksen koko teksti./' "$site/content/päätökset/ä.md"
commit 9 "Päätös tarkennettiin"
GIT_AUTHOR_DATE="2026-02-10T10:00:00+02:00" GIT_COMMITTER_DATE="2026-02-10T10:00:00+02:00" \
    g -C "$repo" merge -q --no-ff -m "Yhdistetään haara" haara || exit 1

run -q -C "$site" build
[ "$status" = 0 ] && ok || { no "build in the repository: status $status"; errs; }
P=$site/public
# The commits by their subjects.
c_luku=$(id ':/^Asukasluku') c_kunnat=$(id ':/^Kunnat') c_siirto=$(id ':/^Siirto')
c_data=$(id ':/^Luvut')

# Dates under the title: first published, last major change.
f=$P/asukkaat/index.html
has "$f" 'Julkaistu <time datetime="2026-01-10">10.1.2026</time>' && ok ||
	no "asukkaat: no publication date from the first commit"
has "$f" 'Päivitetty <time datetime="2026-02-02">2.2.2026</time>' && ok ||
	no "asukkaat: the updated date is not that of the last major change (the typo fix is minor)"
has "$f" 'href="/asukkaat/muutoshistoria/"' && ok || no "asukkaat: no link to its history"
has "$f" 'type="application/atom+xml" href="/muutokset/atom.xml"' && ok ||
	no "asukkaat: no feed autodiscovery in the head"

# The history page: major changes newest first, minor counted.
f=$P/asukkaat/muutoshistoria/index.html
[ -f "$f" ] && ok || no "no asukkaat/muutoshistoria/index.html"
notes=$(plain "$f" | grep -o 'muutoshistoria/[0-9a-f]*/">[^<]*' | sed 's/.*">//' | tr '\n' '|')
[ "$notes" = "Kunnat ja luvut tarkennettiin.|Asukasluku päivitettiin.|Sivusto julkaistiin.|" ] && ok ||
	no "asukkaat history lists: $notes"
has "$f" 'Lisäksi 1 pienempää korjausta' && ok || no "asukkaat history does not count the one minor change"

# Change views: exactly the words that changed, in their blocks.
f=$P/asukkaat/muutoshistoria/$c_luku/index.html
[ "$(marks "$f" del)" = "70" ] && [ "$(marks "$f" ins)" = "71" ] && ok ||
	no "change $c_luku: deleted '$(marks "$f" del)', inserted '$(marks "$f" ins)', want 70 and 71"
has "$f" 'Asukasluku päivitettiin.' && ok || no "change $c_luku does not show its note"
has "$f" '<meta name="robots" content="noindex">' && ok || no "a change view is indexed"
f=$P/asukkaat/muutoshistoria/$c_kunnat/index.html
[ "$(marks "$f" ins | tr '\n' '|')" = "ja Vuokatti|10500|" ] && ok ||
	no "change $c_kunnat inserted: $(marks "$f" ins | tr '\n' '|')"
[ "$(marks "$f" del | tr '\n' '|')" = "10000|" ] && ok ||
	no "change $c_kunnat deleted: $(marks "$f" del | tr '\n' '|')"
grep -q '<li>Sotkamo<ins>' "$f" || grep -q '<li>Sotkamo <ins>' "$f" && ok ||
	no "change $c_kunnat: the inserted words are not inside the list item"
grep -q '<td><del>.*10000.*</del><ins>.*10500.*</ins></td>' "$f" && ok ||
	no "change $c_kunnat: the changed cell is not marked inside its <td>"
grep -c 'class="visually-hidden">Lisätty:' "$f" | grep -qx 2 && ok ||
	no "change $c_kunnat: inserted words are not announced to screen readers"

# A rename and move keeps the history from before it.
f=$P/osio/uusi/muutoshistoria/index.html
has "$f" 'Sivusto julkaistiin.' && has "$f" 'Sivu siirrettiin osioon.' && ok ||
	no "osio/uusi: the history from before the move is lost"
has "$P/osio/uusi/index.html" 'Julkaistu <time datetime="2026-01-10">' && ok ||
	no "osio/uusi: publication date is not the first commit of content/vanha.md"
has "$P/osio/uusi/muutoshistoria/$c_siirto/index.html" 'content/vanha.md' && ok ||
	no "the move's change view does not say where the page came from"

# A data file's change is a change of the page that shows it.
f=$P/tilastot/muutoshistoria/index.html
has "$f" 'Luvut päivitettiin.' && has "$f" 'luvut.csv' && ok ||
	no "tilastot: the change of data/luvut.csv is not in its history"
f=$P/tilastot/muutoshistoria/$c_data/index.html
[ "$(marks "$f" del)" = "7" ] && [ "$(marks "$f" ins)" = "9" ] && ok ||
	no "data change view: deleted '$(marks "$f" del)', inserted '$(marks "$f" ins)', want 7 and 9"
has "$P/arvot/muutoshistoria/index.html" 'Luvut päivitettiin.' && no "arvot shows a data change it does not show" || ok

# Deleted and restored: one history.
f=$P/poistettava/muutoshistoria/index.html
has "$f" 'Sivu poistettiin.' && has "$f" 'Sivu palautettiin.' && has "$f" 'Sivusto julkaistiin.' && ok ||
	no "poistettava: deleted and restored, its history is not whole"

# A merge: the branch's note stays with its page, dated by the merge.
f=$P/arvot/muutoshistoria/index.html
has "$f" '<time datetime="2026-02-10">10.2.2026</time> <a' && has "$f" 'Arvot päivitettiin haarassa.' && ok ||
	no "arvot: the branch's change is not listed at the merge's date"
f=$P/paatokset/a/muutoshistoria/index.html
has "$f" 'Lisäksi 1 pienempää korjausta' && ok || no "päätökset/ä: its minor change is not counted"
has "$f" 'haarassa' && no "päätökset/ä shows a note of a commit that did not touch it" || ok

# The site's changes, as a page and as a valid Atom feed.
f=$P/muutokset/index.html
for n in 'Sivusto julkaistiin.' 'Asukasluku päivitettiin.' 'Arvot päivitettiin haarassa.' 'Luvut päivitettiin.'; do
	has "$f" "$n" || { no "the changes page lacks: $n"; continue; }
	ok
done
first=$(python3 "$TESTS/atom-check.py" "$P/muutokset/atom.xml" 8) && ok ||
	no "muutokset/atom.xml is not a valid Atom feed"
[ "$first" = "Arvot päivitettiin haarassa." ] && ok ||
	no "the newest entry of the feed is not the newest change: $first"
grep -q '<loc>https://example.fi/asukkaat/</loc><lastmod>2026-02-02</lastmod>' "$P/sitemap.xml" && ok ||
	no "sitemap: lastmod of asukkaat is not its last major change"

# An approved version, built in full under versiot/TAG/.
f=$P/versiot/strategia-2026/asukkaat/index.html
has "$f" 'Arkistoitu versio strategia-2026' && ok || no "the archived page has no banner"
has "$f" '<meta name="robots" content="noindex">' && ok || no "the archived page is indexed"
has "$f" '71 000 ihmistä.' && ! has "$f" 'ihmistä!' && ok ||
	no "the archived page is not the text of the tag"
has "$f" 'href="/asukkaat/"' && ok || no "the archived page does not link to the page as it is now"
has "$P/versiot/strategia-2026/vanha/index.html" 'Se siirtyy myöhemmin.' && ok ||
	no "the archived version lacks a page that has since moved"
has "$P/versiot/strategia-2026/vanha/index.html" 'href="/osio/uusi/"' && ok ||
	no "the moved page's archived copy does not link to where it is now"
f=$P/versiot/index.html
has "$f" 'strategia-2026' && has "$f" 'Aluevaltuusto hyväksyi 2.2.2026' && ok ||
	no "the versions page does not list the tag with its message"
has "$f" 'Sivu siirrettiin osioon.' && ok || no "the versions page does not list what changed since the version"
grep -q 'versiot' "$P/sitemap.xml" && no "the sitemap lists archived pages" || ok

# Authors only where site.conf asks.
grep -rqF 'Eeva Editori' "$P" && no "authors are shown without [history] authors = true" || ok
sed -i 's/^\[history\]$/[history]\nauthors = true/' "$site/site.conf"
run -q -C "$site" build --out "$site/out-authors"
has "$site/out-authors/asukkaat/muutoshistoria/index.html" 'Eeva Editori' && ok ||
	no "[history] authors = true does not show who made the changes"
g -C "$repo" checkout -q -- site.conf

# The same commit builds the same bytes: again from scratch, with the
# history cache warm, and from the commit with --source.
run -q -C "$site" build --out "$site/out2"
diff -r -x .valo-output "$P" "$site/out2" >"$WORK/diff" && ok ||
	{ no "a second build differs:"; head -5 "$WORK/diff"; }
run -q -C "$site" build --source HEAD --out "$site/out3"
diff -r -x .valo-output "$P" "$site/out3" >"$WORK/diff" && ok ||
	{ no "build --source HEAD differs from the folder's build:"; head -5 "$WORK/diff"; }

# A new commit: the rebuild sees it (the cache walks only it).
sed -i 's/yhdessä tekeminen/yhdessä tekeminen ja rohkeus/' "$site/content/arvot.md"
commit 11 "Rohkeus" "Muutos: Rohkeus lisättiin arvoihin."
run -q -C "$site" build
has "$P/arvot/index.html" 'Päivitetty <time datetime="2026-02-11">' && ok ||
	no "after a new commit the page's updated date did not move"
has "$P/asukkaat/muutoshistoria/$c_luku/index.html" '<ins>' && ok ||
	no "after a new commit an old change view is gone"

# A shallow clone: says what is missing and how to fetch it; still builds.
g clone -q --depth 3 "file://$repo" "$WORK/shallow" || exit 1
run -C "$WORK/shallow" build
[ "$status" = 0 ] && ok || { no "build of a shallow clone: status $status"; errs; }
has "$WORK/err" 'git fetch --unshallow' && ok || no "a shallow clone's build does not say how to fetch the history"
has "$WORK/shallow/public/asukkaat/index.html" 'Julkaistu' &&
	no "a shallow clone claims a publication date it cannot know" || ok
has "$WORK/shallow/public/arvot/index.html" 'Päivitetty <time datetime="2026-02-11">' && ok ||
	no "a shallow clone lost the change it does have"

# The example site in its own repository (a clone, with the working
# tree's site files committed on top, and an approved version tagged in
# the clone only): dates, histories, change views, the changes page, the
# feed and the archived version. Its history is the project's; in a
# shallow clone of it, only what is there.
ex=$WORK/example
g clone -q "$ROOT" "$ex" || exit 1
rm -rf "$ex/content" "$ex/themes" && cp -R "$ROOT/site.conf" "$ROOT/content" "$ROOT/themes" "$ex/"
g -C "$ex" add -A site.conf content themes
g -C "$ex" diff --cached --quiet ||
	GIT_AUTHOR_DATE="2026-12-01T10:00:00+02:00" GIT_COMMITTER_DATE="2026-12-01T10:00:00+02:00" \
	    g -C "$ex" commit -q -m "Testin kopio" || exit 1
GIT_COMMITTER_DATE="2026-12-01T11:00:00+02:00" \
    g -C "$ex" tag -a strategia-2022 -m "Aluevaltuusto hyväksyi strategian 21.11.2022." || exit 1
run -q -C "$ex" build
[ "$status" = 0 ] && ok || { no "the example site does not build in its repository"; errs; }
E=$ex/public
n=$(find "$E" -name index.html ! -path '*/versiot/*' | while read -r f; do
	plain "$f" | grep -q 'href="[^"]*/muutoshistoria/">Muutoshistoria</a>' && echo "$f"
done | wc -l)
[ "$n" -ge 30 ] && ok || no "the example site: only $n pages link to their history"
has "$E/saavutettavuusseloste/index.html" '<time datetime=' && ok ||
	no "the example site: saavutettavuusseloste shows no dates"
v=$(find "$E/saavutettavuusseloste/muutoshistoria" -mindepth 2 -name index.html | head -1)
[ -n "$v" ] && grep -q 'class="change-note"' "$v" && ok ||
	no "the example site: saavutettavuusseloste has no change view"
has "$E/muutokset/index.html" '<ol class="history"' && ok || no "the example site: no changes page"
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$E/muutokset/atom.xml" && ok ||
	no "the example site: the feed is not XML"
has "$E/versiot/strategia-2022/strategia/arvot/index.html" 'Arkistoitu versio strategia-2022' && ok ||
	no "the example site: no archived version"
has "$E/versiot/index.html" 'Aluevaltuusto hyväksyi strategian 21.11.2022.' && ok ||
	no "the example site: the versions page does not list the tag"

# No git: a one-line note, and the site as before; the same for a folder
# inside a repository that does not hold it (build/ of a checkout).
nogit=$(mktemp -d) || exit 1
trap 'rm -rf "$nogit"' EXIT
cp -R "$site/site.conf" "$site/content" "$site/themes" "$nogit/"
run -C "$nogit" build
[ "$status" = 0 ] && ok || { no "build without git: status $status"; errs; }
[ "$(grep -c 'not in a git repository: pages show no history' "$WORK/err")" = 1 ] && ok ||
	{ no "no one-line note without git"; errs; }
[ -e "$nogit/public/muutokset" ] && no "a site without git has a changes page" || ok
run -q -C "$nogit" build
[ -s "$WORK/err" ] && no "-q still prints the note: $(cat "$WORK/err")" || ok
mkdir -p "$WORK/untracked" && cp -R "$site/site.conf" "$site/content" "$site/themes" "$WORK/untracked/"
run -C "$WORK/untracked" build
[ "$status" = 0 ] && [ "$(grep -c 'pages show no history' "$WORK/err")" = 1 ] && ok ||
	{ no "an uncommitted site folder inside a repository: status $status"; errs; }

# Markup in a change is text in its change view too, as on the page.
printf '\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n' >>"$site/content/arvot.md"
commit 12 "Merkintää" "Muutos: Arvoihin lisättiin merkintää."
run -q -C "$site" build
[ "$status" = 0 ] && ok || { no "build after a commit with markup: status $status"; errs; }
v=$P/arvot/muutoshistoria/$(id HEAD)/index.html
has "$v" '&lt;script&gt;alert(1)&lt;/script&gt;' && ! grep -qi '<script\|<img src=x' "$v" && ok ||
	no "the change view of a commit with markup holds it live"

# A draft, dated and committed, claims no publication in a preview.
printf -- '---\ntitle: Luonnos\ndate: 2026-02-01\ndraft: true\n---\nKesken.\n' >"$site/content/osio/luonnos.md"
commit 13 "Luonnos"
run -q -C "$site" build --drafts --out "$site/out-drafts"
[ "$status" = 0 ] && [ -f "$site/out-drafts/osio/luonnos/index.html" ] && ok ||
	{ no "build --drafts: status $status"; errs; }
has "$site/out-drafts/osio/luonnos/index.html" 'Julkaistu' &&
	no "a draft page says it was published" || ok
grep -q 'href="/osio/luonnos/"' "$site/out-drafts/osio/index.html" && ok ||
	no "the section's list of pages does not show the draft"
sed -n '/href="\/osio\/luonnos\/"/,/<\/li>/p' "$site/out-drafts/osio/index.html" | grep -q 'Julkaistu' &&
	no "the list of pages says a draft was published" || ok

echo "history: $pass passed, $fail failed"
[ "$fail" = 0 ]
