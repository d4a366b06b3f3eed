#!/bin/sh
# Injection: markup in every place where content and data reach a page.
# A site with the default theme gets, in every front matter field that a
# template prints, every data cell that a ```table or ```chart block or a
# template reading data.* shows, and the Markdown text around them, a
# payload P(N) with its own number N:
#   <script>alert(N)</script>"><img src=x onerror=alert(N)>'><svg onload=alert(N)>
# (text only: a javascript: address is refused before it gets this far).
# The build must succeed; no output file may hold a live form of the
# payload (a tag, or a quote that ends an attribute), and each N that a
# page shows must be there in its escaped form. The date is not tested:
# only YYYY-MM-DD passes, and the page shows a date made from it; the
# slug is printed nowhere but in addresses, which are made of its letters.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
LANGUAGE=en; export LANGUAGE
TESTS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TESTS/.." && pwd)
WORK=${WORK:-$TESTS/../build/test-inject}
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { echo "FAIL $*"; fail=$((fail+1)); }

# The payload, and the same for a YAML "..." string and a CSV "..." cell.
p() {
	printf '<script>alert(%s)</script>"><img src=x onerror=alert(%s)>'"'"'><svg onload=alert(%s)>' "$1" "$1" "$1"
}
y() { p "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
c() { p "$1" | sed 's/"/""/g'; }

site=$WORK/site
mkdir -p "$site/content/osio" "$site/content/data" &&
cp -R "$ROOT/themes" "$site/" || exit 1
cat >"$site/site.conf" <<EOF
[site]
title = Sivusto $(p 1)
description = Kuvaus $(p 2)
base_url = https://example.fi/
language = fi
theme = default
EOF

cat >"$site/content/_index.md" <<EOF
---
title: "Etusivu $(y 3)"
description: "$(y 4)"
summary: "$(y 5)"
---
Tervetuloa $(p 6) sivustolle.
EOF
cat >"$site/content/osio/_index.md" <<EOF
---
title: "Osio $(y 7)"
description: "$(y 8)"
summary: "$(y 9)"
menu: main
toc: true
---
## Osion otsikko \`$(p 10)\`

Teksti.

## Toinen otsikko

Teksti.
EOF
cat >"$site/content/osio/sivu.md" <<EOF
---
title: "Sivu $(y 11)"
description: "$(y 12)"
summary: "$(y 13)"
date: 2025-03-31
weight: 1
tags: ["$(y 14)", "$(y 15)"]
aliases: [/vanha-sivu/]
slug: "$(y 16)"
toc: true
---
## Otsikko \`$(p 17)\`

[Linkki](toinen.md "$(p 18 | sed 's/"/\\"/g')") ja kuva
![$(p 19)](kuva.png) ja teksti $(p 20).

## Taulukko

| Sarake | $(p 21) |
|:--|--:|
| $(p 22) | 1 |

\`\`\`table
data: rivit.csv
columns: [nimi, arvo, kuvaus]
labels: {nimi: "$(y 23)", arvo: Arvo, kuvaus: Kuvaus}
caption: "$(y 24)"
\`\`\`

## Kaaviot

\`\`\`chart
type: bar
data: rivit.csv
x: nimi
y: arvo
labels: {nimi: Nimi, arvo: "$(y 25)"}
title: "$(y 26)"
description: "$(y 27)"
\`\`\`

\`\`\`chart
type: stacked
data: osuudet.csv
x: nimi
y: [a, b]
unit: "%"
labels: {nimi: Nimi, a: "$(y 28)", b: B}
title: Osuudet
description: Kaksi osuutta.
\`\`\`

\`\`\`chart
type: timeline
data: aikajana.yaml
x: aika
y: vaihe
text: kuvaus
title: Aikajana
description: Vaiheet.
\`\`\`
EOF
printf 'kuva' >"$site/content/osio/kuva.png"
cat >"$site/content/osio/toinen.md" <<EOF
---
title: "Toinen $(y 29)"
description: "Kuvaus {{site.title}} {{{page.content}}} {{>head}}"
weight: 2
menu: footer
---
Toinen sivu.
EOF
cat >"$site/content/osio/data.md" <<EOF
---
title: "Data $(y 30)"
layout: datalist
weight: 3
---
Data sivupohjasta.
EOF
cat >"$site/content/data/rivit.csv" <<EOF
nimi,arvo,kuvaus
"$(c 31)",10,"$(c 32)"
"$(c 33)",20,"$(c 34)"
EOF
cat >"$site/content/data/osuudet.csv" <<EOF
nimi,a,b
"$(c 35)",60,40
EOF
cat >"$site/content/data/aikajana.yaml" <<EOF
- aika: "$(y 36)"
  vaihe: "$(y 37)"
  kuvaus: "$(y 38)"
- aika: "2025"
  vaihe: Toinen
  kuvaus: "$(y 39)"
EOF
# A template that reads data.* itself, as a theme may.
cat >"$site/themes/default/templates/datalist.mustache" <<'EOF'
{{<base}}
{{$main}}
<h1>{{page.title}}</h1>
<ul>
{{#data.rivit}}
<li title="{{nimi}}" data-kuvaus='{{kuvaus}}'>{{nimi}}: {{kuvaus}} {{arvo}}</li>
{{/data.rivit}}
{{#data.aikajana}}
<li>{{aika}} {{vaihe}} {{kuvaus}}</li>
{{/data.aikajana}}
</ul>
{{/main}}
{{/base}}
EOF

out=$site/public
if "$VALO" -C "$site" build >"$WORK/stdout" 2>"$WORK/stderr"; then
	ok
else
	no "the build failed:"; sed 's/^/    /' "$WORK/stderr" | head -20
fi
# Raw HTML in the text is shown, with a warning.
grep -q 'warning: raw HTML is shown as text' "$WORK/stderr" && ok ||
	no "no warning about the raw HTML in the text"

# No live payload in any page: no tag, and no quote left to end an
# attribute (the theme quotes every attribute with "; a ' is harmless
# inside those, which cmark-gfm leaves as it is in text). The data files
# are copied as they are, for download, and are not pages.
for live in '<script>alert(' '<img src=x onerror' '<svg onload' \
    '"><img' '"&gt;&lt;img' "'><svg"; do
	files=$(grep -rlF --include='*.html' --include='*.xml' -- "$live" \
	    "$out" 2>/dev/null | sed "s|$out/||")
	[ -z "$files" ] && ok || no "live \"$live\" in: $files"
done

# Each payload that a page shows is there, escaped. 16 is the slug.
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 17 18 19 20 21 22 23 24 \
    25 26 27 28 29 30 31 32 33 34 35 36 37 38 39; do
	grep -rqF -- "&lt;script&gt;alert($n)&lt;/script&gt;" "$out" && ok ||
		no "payload $n is not on any page, escaped"
done
# Template tags in a value are text, never run.
grep -qF '{{site.title}} {{{page.content}}} {{&gt;head}}' \
    "$out/osio/toinen/index.html" && ok ||
	no "template tags in a description were not printed as they are"
# The alias page names the page by its title, escaped.
grep -qF '&lt;script&gt;alert(11)&lt;/script&gt;' \
    "$out/vanha-sivu/index.html" && ok ||
	no "the alias page does not show the title, escaped"
# The slug became an address of letters only.
ls "$out/osio" | grep -qx 'script-alert-16-script-img-src-x-onerror-alert-16-svg-onload-alert-16' && ok ||
	no "the slug is not made of its letters: $(ls "$out/osio" | tr '\n' ' ')"

echo "inject: $pass passed, $fail failed"
[ "$fail" = 0 ]
