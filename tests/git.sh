#!/bin/sh
# Git sources and publish: `build --source REF` gives the
# same bytes as a build of a clean checkout of REF, whatever the working
# tree holds; `publish` commits the output as the tree of a branch without
# touching the working tree or the index, refuses uncommitted sources, and
# works in a bare repository. The repositories are made here, under $WORK.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-git}
. "$TESTS/lib.sh"
has() { grep -qF -- "$1" "$WORK/err"; }

rm -rf "$WORK" && mkdir -p "$WORK/home" || exit 1
WORK=$(cd "$WORK" && pwd)
hermetic_git "$WORK/home"
g() { git -c core.quotePath=false "$@"; }
# The same, quiet, for looking at what valo left (a branch may be missing).
q() { git -c core.quotePath=false "$@" 2>/dev/null; }
commit() { # REPO MESSAGE
	g -C "$1" add -A && g -C "$1" commit -q -m "$2" || exit 1
}
# The files of an output folder, without Valo's marker, one a line.
files() { (cd "$1" && find . -type f ! -name .valo-output | sed 's|^\./||' | LC_ALL=C sort); }
# Two output folders hold the same files with the same bytes (the marker,
# which only says that Valo made the folder, left out).
same() { diff -r -x .valo-output "$1" "$2" >"$WORK/diff" 2>&1; }
# expect REPO REF SUBDIR NAME: $WORK/exp-NAME is a normal build of a clean
# checkout of REF (its SUBDIR holds the site).
expect() {
	co=$WORK/co-$4
	rm -rf "$co" && g clone -q -n "$1" "$co" &&
	g -C "$co" checkout -q --detach "$(g -C "$1" rev-parse "$2^{commit}")" || exit 1
	"$VALO" -q -C "$co/$3" build --out "$WORK/exp-$4" 2>"$WORK/err" ||
		{ echo "cannot build a checkout of $2:"; cat "$WORK/err"; exit 1; }
}
# source_same SITE REF NAME: build --source REF equals $WORK/exp-NAME.
source_same() {
	rm -rf "$WORK/got-$3"
	run -q -C "$1" build --source "$2" --out "$WORK/got-$3"
	[ "$status" = 0 ] && ok || { no "build --source $2: status $status"; errs; }
	same "$WORK/exp-$3" "$WORK/got-$3" && ok ||
		{ no "build --source $2 differs from a build of a checkout:"; head -10 "$WORK/diff"; }
}
# tree_is REPO BRANCH DIR: BRANCH's tree holds exactly DIR's files, same bytes.
tree_is() {
	q -C "$1" ls-tree -r --name-only "$2" | LC_ALL=C sort >"$WORK/tree"
	files "$3" >"$WORK/want"
	cmp -s "$WORK/tree" "$WORK/want" && ok ||
		{ no "branch $2 does not list the files of a folder build:"; diff "$WORK/want" "$WORK/tree" | head -10; }
	bad=
	while IFS= read -r f; do
		q -C "$1" cat-file blob "$2:$f" | cmp -s - "$3/$f" || bad="$bad $f"
	done <"$WORK/want"
	[ -z "$bad" ] && ok || no "files in branch $2 differ from the folder build:$bad"
}

# The repository: the test site at its root, three commits.
repo=$WORK/repo
assemble "$TESTS/sites/basic" "$repo" || exit 1
printf '/public/\n/.public.*\n' >"$repo/.gitignore"
g init -q -b main "$repo" || exit 1
commit "$repo" "Ensimmäinen versio"
g -C "$repo" tag v1
printf -- '---\ntitle: Päätös\n---\nPäätöksen teksti.\n' >"$repo/content/päätös.md"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$repo/content/strategia/kää.svg"
sed -i 's/^Tehty Valolla\.$/Tehty Valolla, versio kaksi./' "$repo/content/tietoa.md"
commit "$repo" "Päätös"
g -C "$repo" branch vakaa
sed -i 's/^Tehty Valolla, versio kaksi\.$/Tehty Valolla, versio kolme./' "$repo/content/tietoa.md"
sed -i 's/^title = Testisivusto$/title = Testisivusto 3/' "$repo/site.conf"
printf '\n/* kolmas */\n' >>"$repo/themes/mini/static/css/valo.css"
commit "$repo" "Kolmas versio"
head=$(g -C "$repo" rev-parse HEAD)

# A tag, a branch, a commit id (full and short) and HEAD~1.
expect "$repo" v1 . v1
expect "$repo" vakaa . vakaa
expect "$repo" HEAD . head
source_same "$repo" v1 v1
source_same "$repo" vakaa vakaa
source_same "$repo" "$head" head
source_same "$repo" "$(g -C "$repo" rev-parse --short=10 HEAD)" head
source_same "$repo" HEAD~1 vakaa
same "$WORK/exp-v1" "$WORK/exp-head" && no "the commits give the same site: the test proves nothing" || ok
# Names with ä: the page and the attachment are there, as in the checkout.
[ -f "$WORK/got-vakaa/strategia/kää.svg" ] && ok || no "build --source vakaa has no strategia/kää.svg"
grep -rqF 'Päätöksen teksti' "$WORK/got-vakaa" && ok || no "build --source vakaa has no page from content/päätös.md"

# The working tree differs from the commit: --source reads the commit only,
# into the usual output folder, past a rebuild cache of the edited tree.
printf '\nMUOKATTU TYÖPUUSSA.\n' >>"$repo/content/tietoa.md"
rm "$repo/content/strategia/linjaus-yksi.md"
sed -i 's/^title = .*/title = Muokattu/' "$repo/site.conf"
run -q -C "$repo" build
[ "$status" = 0 ] && ok || { no "build of the edited working tree: status $status"; errs; }
run -q -C "$repo" build --source HEAD
[ "$status" = 0 ] && ok || { no "build --source HEAD into public/: status $status"; errs; }
grep -q 'MUOKATTU' "$repo/public/tietoa/index.html" &&
	no "build --source HEAD shows the working tree's edit" || ok
grep -q 'versio kolme' "$repo/public/tietoa/index.html" && ok ||
	no "build --source HEAD does not show the committed text"
[ -f "$repo/public/strategia/linjaus-yksi/index.html" ] && ok ||
	no "a page deleted in the working tree but in HEAD was not built"
same "$WORK/exp-head" "$repo/public" && ok ||
	{ no "build --source HEAD into public/ differs from a checkout build:"; head -10 "$WORK/diff"; }
g -C "$repo" checkout -q -- . || exit 1

# A site in a subfolder of its repository.
repo2=$WORK/repo2
mkdir -p "$repo2" && echo "Muuta" >"$repo2/LUEMINUT.txt"
assemble "$TESTS/sites/basic" "$repo2/sivusto" || exit 1
printf '/public/\n/.public.*\n' >"$repo2/sivusto/.gitignore"
g init -q -b main "$repo2" || exit 1
commit "$repo2" "Sivusto alikansiossa"
printf '\nTyöpuun muutos.\n' >>"$repo2/sivusto/content/tietoa.md"
expect "$repo2" HEAD sivusto sub
source_same "$repo2/sivusto" HEAD sub
g -C "$repo2" checkout -q -- .
run -q -C "$repo2/sivusto" publish
[ "$status" = 0 ] && ok || { no "publish of a site in a subfolder: status $status"; errs; }
tree_is "$repo2" pages "$WORK/exp-sub"

# A bare clone, before anything is published: no working tree, no check.
g clone -q --bare "$repo" "$WORK/bare.git" || exit 1
run -q -C "$WORK/bare.git" publish
[ "$status" = 0 ] && ok || { no "publish in a bare repository: status $status"; errs; }
[ -n "$(g -C "$WORK/bare.git" ls-tree -r pages 2>/dev/null)" ] && ok ||
	no "publish in a bare repository left no pages branch"
tree_is "$WORK/bare.git" pages "$WORK/exp-head"

# publish: the output becomes the tree of branch pages; the working tree
# and the index are left alone. (git status first, a second after the last
# commit, so that it has no reason of its own to rewrite the index.)
sleep 1
g -C "$repo" status --porcelain >/dev/null
index=$(md5sum <"$repo/.git/index")
run -q -C "$repo" publish
[ "$status" = 0 ] && ok || { no "publish: status $status"; errs; }
tree_is "$repo" pages "$WORK/exp-head"
q -C "$repo" ls-tree -r --name-only pages | grep -q 'valo-output' &&
	no "the published tree holds the .valo-output marker" || ok
[ -z "$(g -C "$repo" status --porcelain)" ] && ok ||
	no "publish changed the working tree: $(g -C "$repo" status --porcelain | head -5)"
[ "$(md5sum <"$repo/.git/index")" = "$index" ] && ok || no "publish changed .git/index"
[ "$(g -C "$repo" rev-parse HEAD)" = "$head" ] &&
    [ "$(g -C "$repo" symbolic-ref HEAD)" = refs/heads/main ] && ok ||
	no "publish moved HEAD"
q -C "$repo" log -1 --format=%B pages | grep -q "$head" && ok ||
	no "the commit message does not name $head: $(q -C "$repo" log -1 --format=%B pages)"
first=$(q -C "$repo" rev-parse pages)

# Nothing new: no new commit. (Without -q, which keeps all but errors quiet.)
run -C "$repo" publish
[ "$status" = 0 ] && ok || { no "second publish: status $status"; errs; }
[ "$(q -C "$repo" rev-list --count pages)" = 1 ] && ok ||
	no "publishing twice made $(q -C "$repo" rev-list --count pages) commits, not 1"
grep -qi 'up to date' "$WORK/err" && ok || { no "the second publish does not say it is up to date"; errs; }

# A new commit: a second publish commit on top of the first.
printf '\nNeljäs versio.\n' >>"$repo/content/tietoa.md"
commit "$repo" "Neljäs versio"
head=$(g -C "$repo" rev-parse HEAD)
expect "$repo" HEAD . head4
run -q -C "$repo" publish
[ "$status" = 0 ] && ok || { no "publish of a new commit: status $status"; errs; }
[ "$(q -C "$repo" rev-list --count pages)" = 2 ] &&
    [ "$(q -C "$repo" rev-parse pages^)" = "$first" ] && ok ||
	no "the new publish commit's parent is not the first one"
q -C "$repo" log -1 --format=%B pages | grep -q "$head" && ok ||
	no "the second commit message does not name $head"
tree_is "$repo" pages "$WORK/exp-head4"

# --message replaces the first line; --branch another branch.
run -q -C "$repo" publish --branch viesti --message "Kevään julkaisu"
[ "$status" = 0 ] && ok || { no "publish --message: status $status"; errs; }
[ "$(q -C "$repo" log -1 --format=%s viesti)" = "Kevään julkaisu" ] && ok ||
	no "--message is not the first line: $(q -C "$repo" log -1 --format=%B viesti 2>&1)"
q -C "$repo" log -1 --format=%B viesti | grep -q "$head" && ok ||
	no "with --message the commit message no longer names $head"
pages=$(q -C "$repo" rev-parse pages)
run -q -C "$repo" publish --branch muu
[ "$status" = 0 ] && ok || { no "publish --branch muu: status $status"; errs; }
tree=$(q -C "$repo" rev-parse 'muu^{tree}')
[ -n "$tree" ] && [ "$tree" = "$(q -C "$repo" rev-parse 'pages^{tree}')" ] &&
    [ "$(q -C "$repo" rev-parse pages)" = "$pages" ] && ok ||
	no "publish --branch muu did not write muu alone"
run -q -C "$repo" publish --source v1 --branch vanha
[ "$status" = 0 ] && ok || { no "publish --source v1: status $status"; errs; }
tree_is "$repo" vanha "$WORK/exp-v1"

# Uncommitted sources are refused, naming the file; nothing is published.
printf '\nViides versio.\n' >>"$repo/content/tietoa.md"
commit "$repo" "Viides versio"
dirty() { # DESCRIPTION FILE
	run -q -C "$repo" publish
	[ "$status" = 1 ] && ok || { no "publish with $1: status $status, not 1"; errs; }
	grep -qF "$2" "$WORK/err" && ok || { no "publish with $1 does not name $2"; errs; }
	[ "$(q -C "$repo" rev-parse pages)" = "$pages" ] && ok || no "publish with $1 published"
	g -C "$repo" reset -q && g -C "$repo" checkout -q -- . && g -C "$repo" clean -qfd content themes
}
printf '\nKESKEN.\n' >>"$repo/content/tietoa.md"
dirty "a modified page" content/tietoa.md
printf -- '---\ntitle: Uusi\n---\nUusi sivu.\n' >"$repo/content/uusi.md"
dirty "an untracked page" content/uusi.md
rm "$repo/content/strategia/linjaus-yksi.md"
dirty "a deleted page" content/strategia/linjaus-yksi.md
printf '\n/* kesken */\n' >>"$repo/themes/mini/static/css/valo.css"
g -C "$repo" add themes
dirty "a staged theme file" themes/mini/static/css/valo.css
printf '\nKESKEN.\n' >>"$repo/content/tietoa.md"
run -q -C "$repo" publish --allow-dirty
[ "$status" = 0 ] && ok || { no "publish --allow-dirty: status $status"; errs; }
blob=$(g -C "$repo" cat-file blob pages:tietoa/index.html 2>/dev/null)
case $blob in
*KESKEN*) no "publish --allow-dirty published the working tree" ;;
*"Viides versio"*) ok ;;
*) no "publish --allow-dirty did not publish the last commit" ;;
esac
g -C "$repo" checkout -q -- .

# Errors: not a repository, an unknown REF, a REF that is not a commit.
plain=$(mktemp -d) || exit 1
trap 'rm -rf "$plain"' EXIT
assemble "$TESTS/sites/basic" "$plain/site" || exit 1
if GIT_CEILING_DIRECTORIES=$plain git -C "$plain/site" rev-parse 2>/dev/null; then
	no "$plain is inside a git repository: cannot test outside one"
else
	GIT_CEILING_DIRECTORIES=$plain && export GIT_CEILING_DIRECTORIES
	for cmd in "build --source HEAD" publish; do
		run -q -C "$plain/site" $cmd
		[ "$status" = 1 ] && has "not a git repository" && ok ||
			{ no "$cmd outside a repository: status $status, not 1 with \"not a git repository\""; errs; }
	done
	unset GIT_CEILING_DIRECTORIES
fi
for cmd in build publish; do
	for ref in nosuchtag 'HEAD^{tree}'; do
		case $cmd in
		build) run -q -C "$repo" build --source "$ref" --out "$WORK/ei" ;;
		publish) run -q -C "$repo" publish --source "$ref" --branch ei ;;
		esac
		[ "$status" = 1 ] && has "\"$ref\"" && has "not a commit" && ok ||
			{ no "$cmd --source $ref: status $status, not 1 with \"$ref\" and not a commit"; errs; }
	done
done
q -C "$repo" rev-parse -q --verify ei >/dev/null && no "a failed publish made branch ei" || ok

# The user's git settings are not read: a broken ~/.gitconfig changes nothing.
mkdir -p "$WORK/rikki/.config/git"
printf '[[[\n' >"$WORK/rikki/.gitconfig"
printf '[[[\n' >"$WORK/rikki/.config/git/config"
rm -rf "$WORK/got-rikki"
env HOME="$WORK/rikki" XDG_CONFIG_HOME="$WORK/rikki/.config" \
    "$VALO" -q -C "$repo" build --source v1 --out "$WORK/got-rikki" >"$WORK/out" 2>"$WORK/err"
status=$?
[ "$status" = 0 ] && ok || { no "build --source with a broken ~/.gitconfig: status $status"; errs; }
same "$WORK/exp-v1" "$WORK/got-rikki" && ok ||
	{ no "build --source with a broken ~/.gitconfig differs:"; head -10 "$WORK/diff"; }

echo "git: $pass passed, $fail failed"
[ "$fail" = 0 ]
