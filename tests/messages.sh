#!/bin/sh
# Messages: the Finnish catalogue is complete and in step with the sources;
# diagnostics come in the site's or the user's language; the CI formats;
# and the commands of examples/ci run as written on a site in git.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$TESTS/.." && pwd)
WORK=${WORK:-$TESTS/../build/test-messages}
rm -rf "$WORK" && mkdir -p "$WORK"
. "$TESTS/lib.sh"
same() { # FILE EXPECTED DESCRIPTION
	if cmp -s "$1" "$2"; then ok; else
		no "$3:"; diff -u "$2" "$1" | head -30; fi
}
has() { # FILE TEXT DESCRIPTION
	if grep -qF -- "$2" "$1"; then ok; else
		no "$3: no \"$2\" in:"; head -20 "$1"; fi
}

# Every message of the sources has a Finnish translation, none fuzzy:
# extracted afresh, so a message added without one fails here.
cp -R "$ROOT/po" "$ROOT/generator" "$WORK/" && mkdir -p "$WORK/src" &&
    mv "$WORK/po" "$WORK/generator" "$WORK/src/"
(cd "$WORK/src" && sh po/extract.sh) 2>"$WORK/extract.err" || { no "po/extract.sh failed"; cat "$WORK/extract.err"; }
msgmerge -q --no-wrap "$ROOT/po/fi.po" "$WORK/src/po/valo.pot" -o "$WORK/fi.po"
stats=$(msgfmt -c --statistics -o /dev/null "$WORK/fi.po" 2>&1)
case $stats in
*untranslated*|*fuzzy*) no "messages without a Finnish translation: $stats"
	msgattrib --untranslated --only-fuzzy "$WORK/fi.po" 2>/dev/null | head -20
	msgattrib --untranslated "$WORK/fi.po" | grep '^msgid' | head -20 ;;
*) ok ;;
esac
msgfmt -c -o /dev/null "$ROOT/po/fi.po" 2>"$WORK/msgfmt.err" && ok || { no "po/fi.po does not compile"; cat "$WORK/msgfmt.err"; }
# po/valo.pot is the sources' as they are (make po rewrites it).
if diff -q "$WORK/src/po/valo.pot" "$ROOT/po/valo.pot" >/dev/null; then ok; else
	no "po/valo.pot is out of date: run make po"; diff "$ROOT/po/valo.pot" "$WORK/src/po/valo.pot" | head; fi

# One site with an error, a warning and a note in every language and format.
site=$WORK/site
assemble "$TESTS/messages/site" "$site" || exit 1
for lang in fi en; do
	for f in text json github gitlab; do
		LANGUAGE=$lang "$VALO" -C "$site" check --format $f \
		    >"$WORK/$lang.$f.out" 2>"$WORK/$lang.$f.err"
		[ $? = 1 ] && ok || no "check --format $f ($lang) did not exit 1"
		if [ $f = text ]; then
			same "$WORK/$lang.$f.err" "$TESTS/messages/expected/$lang.text" "text in $lang"
		else
			same "$WORK/$lang.$f.out" "$TESTS/messages/expected/$lang.$f" "$f in $lang"
		fi
	done
done
# The site's language decides where LANGUAGE is not set; a Finnish
# locale does for an English site.
(unset LANGUAGE; LANG=C.UTF-8 "$VALO" -C "$site" check) 2>"$WORK/site-lang.err"
same "$WORK/site-lang.err" "$TESTS/messages/expected/fi.text" "a Finnish site speaks Finnish"
sed -i 's/^language = fi$/language = en/' "$site/site.conf"
(unset LANGUAGE; LANG=C.UTF-8 "$VALO" -C "$site" check) 2>"$WORK/en-site.err"
has "$WORK/en-site.err" "error: " "an English site speaks English"
(unset LANGUAGE; LC_ALL=fi_FI.UTF-8 "$VALO" -C "$site" check) 2>"$WORK/fi-locale.err"
has "$WORK/fi-locale.err" "virhe: " "a Finnish locale speaks Finnish"
"$VALO" -C "$site" check --format yaml >"$WORK/out" 2>"$WORK/err"
[ $? = 2 ] && ok || no "an unknown --format is wrong usage"

# examples/ci: the valo commands of each workflow, as written there, on
# the example site in git: a broken link is reported in the CI's format,
# and once fixed the site publishes to the branch pages.
repo=$WORK/repo
mkdir -p "$repo" && cp -R "$ROOT/site.conf" "$ROOT/content" "$ROOT/themes" "$repo/"
git -C "$repo" init -q -b main && git -C "$repo" add -A &&
    git -C "$repo" -c user.name=T -c user.email=t@example.fi commit -qm alku
printf '\n[Rikki](ei-ole.md)\n' >>"$repo/content/_index.md"
git -C "$repo" -c user.name=T -c user.email=t@example.fi commit -qam rikki
cmd() { # FILE WORD: the line of FILE that runs "valo WORD", made runnable
	grep -o "[^ ]*build/valo $2.*" "$1" | head -1 | sed "s#^[^ ]*build/valo#\"\$VALO\"#"
}
gh=$(cmd "$ROOT/examples/ci/github-actions.yml" check)
gl=$(cmd "$ROOT/examples/ci/gitlab-ci.yml" check)
[ "$gh" = '"$VALO" check --format github' ] && ok || no "github-actions.yml runs: $gh"
[ "$gl" = '"$VALO" check --format gitlab > gl-code-quality-report.json' ] && ok ||
    no "gitlab-ci.yml runs: $gl"
(cd "$repo" && eval "$gh") >"$WORK/gh.out" 2>"$WORK/gh.err"
[ $? = 1 ] && ok || no "the github check passed a broken link"
has "$WORK/gh.out" "::error file=content/_index.md,line=" "an annotation on the broken link"
(cd "$repo" && eval "$gl") 2>"$WORK/gl.err"
[ $? = 1 ] && ok || no "the gitlab check passed a broken link"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r and all(set(i)>={"description","check_name","fingerprint","severity","location"} for i in r)' \
    "$repo/gl-code-quality-report.json" && ok || no "the Code Quality report is not a list of issues"
rm "$repo/gl-code-quality-report.json"
git -C "$repo" -c user.name=T -c user.email=t@example.fi revert --no-edit HEAD >/dev/null
pub=$(cmd "$ROOT/examples/ci/github-actions.yml" publish)
[ "$pub" = "$(cmd "$ROOT/examples/ci/gitlab-ci.yml" publish)" ] && ok || no "the two workflows publish differently"
(cd "$repo" && eval "$pub") >"$WORK/pub.out" 2>"$WORK/pub.err"
[ $? = 0 ] && ok || { no "publish as in the workflows failed"; cat "$WORK/pub.err"; }
git -C "$repo" rev-parse -q --verify pages >/dev/null && ok || no "no branch pages after publishing"
echo "messages: $pass passed, $fail failed"
[ "$fail" = 0 ]
