#!/bin/sh
# Output safety: Valo replaces only a folder it made (or an empty one), never
# the sources, holds a lock while it builds, refuses two inputs that map to
# one output path, leaves the attachments of drafts out, copies data files,
# does not keep `valo build | cat` waiting for the old tree's removal, and
# puts alias pages at the same place on every build.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-output}
. "$TESTS/lib.sh"
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { echo "FAIL $*"; fail=$((fail+1)); }
# Runs valo, stdout and stderr to $WORK/out and $WORK/err; sets $status.
run() { "$VALO" "$@" >"$WORK/out" 2>"$WORK/err"; status=$?; }
# Says what went wrong, if anything, with the command's stderr.
errs() { sed 's/^/    /' "$WORK/err" | head -8; }
# Every file under a folder, hidden ones too, with its checksum.
snap() { (cd "$1" 2>/dev/null && find . -type f -exec md5sum {} + 2>/dev/null | sort); }
# A fresh copy of the small test site.
site() { assemble "$TESTS/sites/basic" "$1" || exit 1; }
# NAME COUNT: COUNT generated pages in content/NAME/ of site $site.
pages() {
	python3 - "$site/content/$1" "$2" <<'EOF' || exit 1
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
for i in range(n):
    with open(os.path.join(d, "s%d.md" % i), "w") as f:
        f.write("---\ntitle: Sivu %d\n---\nSivun %d teksti.\n" % (i, i))
EOF
}
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

# A build marks the folder it makes as its own.
site=$WORK/merkki
site "$site"
run -q -C "$site" build
[ "$status" = 0 ] && [ -f "$site/public/.valo-output" ] && ok ||
	{ no "a build wrote no public/.valo-output (status $status)"; errs; }

# --out into a folder Valo did not make: refused before writing anything.
site=$WORK/vieras
site "$site"
mkdir -p "$WORK/tehtavat"
echo "muista varmuuskopio" >"$WORK/tehtavat/tehtavalista.txt"
before=$(snap "$WORK/tehtavat")
run -q -C "$site" build --out "$WORK/tehtavat"
[ "$status" = 1 ] && ok || { no "--out into a folder with tehtavalista.txt: status $status, not 1"; errs; }
grep -q 'tehtavat' "$WORK/err" && grep -qF -- '--force' "$WORK/err" && ok ||
	{ no "the refusal does not name the folder and --force"; errs; }
[ "$(snap "$WORK/tehtavat")" = "$before" ] && ok ||
	no "the foreign folder was changed: $(ls -A "$WORK/tehtavat" | tr '\n' ' ')"
# The default output folder, made by hand, is just as foreign.
mkdir -p "$site/public" && echo "oma" >"$site/public/tehtavalista.txt"
before=$(snap "$site/public")
run -q -C "$site" build
[ "$status" = 1 ] && [ "$(snap "$site/public")" = "$before" ] && ok ||
	{ no "a hand-made public/ was not refused (status $status) or was changed"; errs; }
# --force replaces it anyway.
run -q -C "$site" build --force --out "$WORK/tehtavat"
[ "$status" = 0 ] && [ ! -e "$WORK/tehtavat/tehtavalista.txt" ] &&
    [ -f "$WORK/tehtavat/index.html" ] && ok ||
	{ no "--force did not replace the folder (status $status)"; errs; }

# An empty folder is taken.
site=$WORK/tyhja
site "$site"
mkdir -p "$WORK/tyhja-ulos"
run -q -C "$site" build --out "$WORK/tyhja-ulos"
[ "$status" = 0 ] && [ -f "$WORK/tyhja-ulos/index.html" ] && ok ||
	{ no "an empty --out folder was not used (status $status)"; errs; }

# A folder Valo made is replaced on the next build.
site=$WORK/oma
site "$site"
run -q -C "$site" build
echo "jäänne" >"$site/public/jaanne.txt"
run -q -C "$site" build
[ "$status" = 0 ] && [ ! -e "$site/public/jaanne.txt" ] &&
    [ -f "$site/public/index.html" ] && ok ||
	{ no "a rebuild did not replace Valo's own public/ (status $status)"; errs; }

# The output folder may not be the sources: refused, sources untouched,
# --force or not. Each case gets a fresh site in a folder of its own, so
# that "the folder above the site" holds nothing else.
refuse_out() { # DESCRIPTION CONF_OUTPUT OUT (relative to the site; - for none)
	for force in "" --force; do
		site=$WORK/lahde/site
		rm -rf "$WORK/lahde" && site "$site"
		[ -n "$2" ] && printf 'output = %s\n' "$2" >>"$site/site.conf"
		before=$(snap "$WORK/lahde")
		case $3 in
		-) run -q -C "$site" build $force ;;
		.) run -q -C "$site" build $force --out "$site" ;;
		..) run -q -C "$site" build $force --out "$WORK/lahde" ;;
		*) run -q -C "$site" build $force --out "$site/$3" ;;
		esac
		after=$(snap "$WORK/lahde")
		[ "$status" = 1 ] && ok || { no "$1 $force: status $status, not 1"; errs; }
		[ "$before" = "$after" ] && ok || no "$1 $force: the sources were changed"
	done
}
refuse_out "output = content in site.conf" content -
refuse_out "--out the site folder" "" .
refuse_out "--out content/" "" content
refuse_out "--out a folder inside content/" "" content/ulos
refuse_out "--out a folder inside themes/" "" themes/ulos
refuse_out "--out the folder above the site" "" ..
refuse_out "--out site/.. (the folder above, not normalized)" "" ../site/..
refuse_out "--out content/ through site/../site" "" ../site/content

# The lock: while another process holds it, a build stops at once.
site=$WORK/lukko
site "$site"
"$VALO" -q -C "$site" build >/dev/null 2>&1 &
last=$!
wait $last
before=$(snap "$site/public")
lock=$site/.public.valo-lock
flock "$lock" sleep 5 &
holder=$!
i=0
while flock -n "$lock" true 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
printf '\nMuutettu.\n' >>"$site/content/tietoa.md"
run -q -C "$site" build
[ "$status" = 1 ] && ok || { no "build with the lock held: status $status, not 1"; errs; }
grep -q 'another valo' "$WORK/err" && ok || { no "no \"another valo\" in the message"; errs; }
# The holder is not a valo here; the build before it has ended.
grep 'another valo' "$WORK/err" | sed 's/.*another valo//' | grep -qw "$last" &&
	{ no "the message names process $last, a build that has ended"; errs; } || ok
[ "$(snap "$site/public")" = "$before" ] && ok || no "a build without the lock changed public/"
# flock(1) runs sleep with the locked file open: end both.
kill $(ps -o pid= --ppid $holder) $holder 2>/dev/null
wait $holder 2>/dev/null
run -q -C "$site" build
[ "$status" = 0 ] && grep -q 'Muutettu' "$site/public/tietoa/index.html" && ok ||
	{ no "build after the lock was let go: status $status"; errs; }

# Two real builds at once: one may lose the lock, nothing else goes wrong;
# the loser's message names no process but the winner. Three rounds, each
# from scratch, the later ones with the lock file of the earlier left.
site=$WORK/kaksi
site "$site"
pages sivut 3000
why= whypid= missing=
for round in 1 2 3; do
	rm -rf "$site/public" "$site/.public.valo-cache"
	"$VALO" -q -C "$site" build >/dev/null 2>"$WORK/err1" &
	p1=$!
	"$VALO" -q -C "$site" build >/dev/null 2>"$WORK/err2" &
	p2=$!
	wait $p1; s1=$?
	wait $p2; s2=$?
	for n in 1 2; do
		eval s=\$s$n
		[ "$s" = 0 ] && continue
		if [ "$s" = 1 ] && grep -q 'another valo' "$WORK/err$n"; then
			[ $n = 1 ] && other=$p2 || other=$p1
			for pid in $(grep 'another valo' "$WORK/err$n" | sed 's/.*another valo//' | grep -o '[0-9][0-9]*'); do
				[ "$pid" = "$other" ] ||
					whypid="$whypid; round $round: \"$(grep 'another valo' "$WORK/err$n")\" while process $other held the lock"
			done
		else
			why="$why; round $round, build $n: status $s: $(head -3 "$WORK/err$n")"
		fi
	done
	[ "$s1" != 0 ] && [ "$s2" != 0 ] && why="$why; round $round: both failed"
	n=$(find "$site/public/sivut" -mindepth 2 -name index.html 2>/dev/null | wc -l)
	[ "$n" = 3000 ] || missing="$missing; round $round: $n"
done
[ -z "$why" ] && ok || no "two builds at once: ${why#; }"
[ -z "$whypid" ] && ok || no "the lock message names the wrong process: ${whypid#; }"
[ -z "$missing" ] && ok || no "after two builds at once public/sivut does not have 3000 pages: ${missing#; }"

# Two things for one output path: an error naming both, old output kept.
collide() { # DESCRIPTION FILE1 FILE2 (FILE2 is added after the first build)
	site=$WORK/tormays
	site "$site"
	run -q -C "$site" build
	before=$(snap "$site/public")
	mkdir -p "$(dirname "$site/$3")" && echo "<p>toinen</p>" >"$site/$3"
	run -q -C "$site" build
	[ "$status" = 1 ] && ok || { no "$1: status $status, not 1"; errs; }
	grep -qF "$2" "$WORK/err" && grep -qF "$3" "$WORK/err" && ok ||
		{ no "$1: the error does not name $2 and $3"; errs; }
	[ "$(snap "$site/public")" = "$before" ] && ok || no "$1: public/ was changed"
}
collide "page and attachment" content/tietoa.md content/tietoa/index.html
collide "theme sitemap.xml" sitemap.xml themes/mini/static/sitemap.xml
collide "theme 404.html" 404.html themes/mini/static/404.html
collide "attachment and theme static file" themes/mini/static/css/valo.css content/css/valo.css

# A theme's robots.txt replaces the generated one.
site=$WORK/robots
site "$site"
printf 'User-agent: *\nDisallow: /luonnokset/\n' >"$site/themes/mini/static/robots.txt"
run -q -C "$site" build
[ "$status" = 0 ] && cmp -s "$site/themes/mini/static/robots.txt" "$site/public/robots.txt" && ok ||
	{ no "the theme's robots.txt was not used (status $status)"; errs; }

# Attachments of drafts stay out unless --drafts.
site=$WORK/luonnos
site "$site"
mkdir -p "$site/content/luonnos/liitteet" "$site/content/osio/ala"
printf -- '---\ntitle: Luonnos\ndraft: true\n---\nKesken.\n' >"$site/content/luonnos/index.md"
printf 'PNG' >"$site/content/luonnos/kuva.png"
printf 'PDF' >"$site/content/luonnos/liitteet/liite.pdf"
printf -- '---\ntitle: Osio\ndraft: true\n---\nKesken.\n' >"$site/content/osio/_index.md"
printf 'teksti' >"$site/content/osio/muistio.txt"
printf 'teksti' >"$site/content/osio/ala/taulukko.txt"
run -q -C "$site" build
[ "$status" = 0 ] && ok || { no "build with draft bundles: status $status"; errs; }
for f in luonnos/kuva.png luonnos/liitteet/liite.pdf osio/muistio.txt osio/ala/taulukko.txt; do
	[ -e "$site/public/$f" ] && no "the draft's attachment $f was published" || ok
done
run -q -C "$site" build --drafts --out "$WORK/luonnokset"
[ "$status" = 0 ] && [ -f "$WORK/luonnokset/luonnos/kuva.png" ] &&
    [ -f "$WORK/luonnokset/osio/ala/taulukko.txt" ] && ok ||
	{ no "--drafts did not copy the drafts' attachments (status $status)"; errs; }
# A published page may not link to one.
printf '\nKatso [kuva](luonnos/kuva.png).\n' >>"$site/content/tietoa.md"
before=$(snap "$site/public")
run -q -C "$site" build
[ "$status" = 1 ] && grep -qF 'content/tietoa.md' "$WORK/err" && ok ||
	{ no "a link to a draft's attachment: status $status, not 1 naming content/tietoa.md"; errs; }
[ "$(snap "$site/public")" = "$before" ] && ok || no "a failed build changed public/"

# Data files are copied, so that links to them work.
site=$WORK/data
site "$site"
printf 'kunta,asukkaita\nKajaani,36000\n' >"$site/content/data/x.csv"
printf -- '---\ntitle: Aineisto\n---\nLataa [aineisto](data/x.csv).\n' >"$site/content/aineisto.md"
run -q -C "$site" build
[ "$status" = 0 ] && ok || { no "build with a link to data/x.csv: status $status"; errs; }
cmp -s "$site/content/data/x.csv" "$site/public/data/x.csv" && ok ||
	no "public/data/x.csv is missing or differs"

# `valo build | cat` returns before the old tree is gone. 5,000 pages give
# an old tree that `rm -rf` takes about half a second to remove on a
# 2-core machine, while the build itself and the shell's next command take
# milliseconds; so if the pipeline waited for the removal (the removing
# process keeping the pipe open), nothing of the old tree is left when it
# returns, and if it did not wait, the old tree is still there beside
# public/. Looking for it is more reliable than timing, which a busy
# machine skews; the time is shown for the record.
site=$WORK/putki
site "$site"
pages sivut 5000
run -q -C "$site" build
rm -rf "$site/content/sivut"
start=$(date +%s%N)
( "$VALO" -C "$site" build 2>&1; echo "END $?" ) | cat >"$WORK/putki.out"
end=$(date +%s%N)
left=$(cd "$site" && ls -A | grep -vxE 'content|themes|site\.conf|public|\.public\.valo-(cache|lock)')
ms=$(( (end - start) / 1000000 ))
grep -q '^END 0$' "$WORK/putki.out" && ok || no "valo build | cat failed: $(cat "$WORK/putki.out")"
[ -n "$left" ] && ok ||
	no "valo build | cat waited for the old output to be removed (${ms} ms, nothing left beside public/)"
# The process removing the old tree does not hold the lock: the next
# build, started while it still works, goes ahead.
run -q -C "$site" build
[ "$status" = 0 ] && ok ||
	{ no "a build while the old tree is removed: status $status"; errs; }
i=0
while [ -n "$left" ] && [ $i -lt 200 ]; do
	sleep 0.1; i=$((i+1))
	left=$(cd "$site" && ls -A | grep -vxE 'content|themes|site\.conf|public|\.public\.valo-(cache|lock)')
done
[ -z "$left" ] && ok || no "the old output was not removed after 20 s: $left"
n=$(find "$site/public/sivut" -name index.html 2>/dev/null | wc -l)
[ "$n" -le 1 ] && ok || no "public/sivut still has $n pages"

# The rebuild cache keeps alias pages where they were, with a base path.
site=$WORK/alias
site "$site"
printf -- '---\ntitle: Uusi osoite\naliases: [/vanha-osoite/]\n---\nSiirretty.\n' >"$site/content/uusi.md"
run -q -C "$site" build --base-url https://example.org/kainuu
run -q -C "$site" build --base-url https://example.org/kainuu
[ "$status" = 0 ] && [ -f "$site/public/vanha-osoite/index.html" ] && ok ||
	{ no "no public/vanha-osoite/index.html after the second build (status $status)"; errs; }
[ -e "$site/public/kainuu" ] && no "the second build made public/kainuu/" || ok

echo "output: $pass passed, $fail failed"
[ "$fail" = 0 ]
