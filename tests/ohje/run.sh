#!/bin/sh
# The examples of OHJE.md, the editors' guide, built as they are written.
#   tests/ohje/run.sh VALO
#
# A marker, an HTML comment on the line just before a fenced block (not
# shown when the guide is rendered), says what the block is:
#
#   <!-- esimerkki: content/PATH -->  the whole file content/PATH of one
#       working example site. All of them are built together, with the
#       fixture site.conf and themes, in build/test-ohje/good: the build
#       must succeed without errors or warnings.
#   <!-- tiedosto: content/PATH -->   (no block) a file the examples link
#       to, such as an image; the test puts a small placeholder there.
#   <!-- virhe: content/PATH -->      a broken file. It is added to the
#       working examples in a site of its own; the build must exit with 1.
#   <!-- varoitus: content/PATH -->   likewise, but the build succeeds (0)
#       and prints a warning.
#   <!-- tuloste -->                  after a virhe or varoitus block: what
#       valo printed. Every line that starts with "content/" and every hint
#       line under it (indented) must be a line of valo's stderr as is;
#       after a komento block: the command's whole output, exactly.
#   <!-- komento -->                  one command line "build/valo ...",
#       run in a site made of the real site.conf and themes/ and the
#       working examples (build/test-ohje/cmd), in the guide's order.
#       Without a tuloste block it must exit with 0.
#   <!-- luotu: content/PATH -->      the file a komento block created
#       there, as it is (the date line may differ: it is today's).
#   <!-- viesti: muutos -->           a commit message that must carry a
#       "Muutos:" trailer (git interpret-trailers); "viesti: korjaus" one
#       that must not.
#
# Blocks of shell commands (```sh) need no marker: their "build/valo" lines
# run in build/test-ohje/cmd and must succeed, and their "git add" and
# "git commit" lines run in a scratch repository made of the examples; a
# commit whose line mentions "Muutos:" must carry that trailer. Any other
# fenced block without a marker is an error: every example is tested.
#
# The table of messages under "### Ilmoitukset suomeksi" must be what
# po/table.py makes of the catalogue po/fi.po.
#
# The last line is "ohje: N passed, N failed".
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$TESTS/.." && pwd)
GUIDE=${GUIDE:-$ROOT/OHJE.md}
WORK=${WORK:-$ROOT/build/test-ohje}
BLOCKS=$WORK/blocks
pass=0 fail=0

ok() { pass=$((pass+1)); }
bad() { echo "FAIL $*"; fail=$((fail+1)); }

# The guide shows what editors see: messages in the site's language.
unset LANGUAGE

# Nothing here may reach the project's own repository.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY

[ -x "$VALO" ] || { echo "usage: $0 VALO"; echo "ohje: 0 passed, 1 failed"; exit 1; }
[ -f "$GUIDE" ] || { echo "FAIL no $GUIDE"; echo "ohje: 0 passed, 1 failed"; exit 1; }
rm -rf "$WORK" && mkdir -p "$BLOCKS" || exit 1

# The manifest: one line per block or marker, "KIND N LINE ARG": block N
# is in $BLOCKS/N (0 for a marker without a block), LINE is the line of
# the guide it starts on, ARG the marker's argument (or a block's info).
awk -v dir="$BLOCKS" '
function fence_len(s, c,   n) {
	n = 0
	while (substr(s, n + 1, 1) == c)
		n++
	return n
}
function complain(msg) {
	print "error 0 " NR " " msg
}
infence {
	c = substr($0, 1, 1)
	if (c == fchar && fence_len($0, c) >= flen) {
		rest = substr($0, fence_len($0, c) + 1)
		if (rest ~ /^[ \t]*$/) {
			infence = 0
			if (file != "")
				close(file)
			next
		}
	}
	if (file != "")
		print > file
	next
}
/^<!-- [a-z]+(: [^ ]+)? -->[ \t]*$/ {
	if (pending != "")
		complain("marker \"" pending "\" of line " pline " has no block")
	m = $0
	sub(/^<!-- /, "", m)
	sub(/ -->[ \t]*$/, "", m)
	kind = m
	arg = ""
	if (index(m, ": ")) {
		kind = substr(m, 1, index(m, ": ") - 1)
		arg = substr(m, index(m, ": ") + 2)
	}
	if (kind == "tiedosto") {
		print "tiedosto 0 " NR " " arg
		pending = ""
		next
	}
	pending = kind
	parg = arg
	pline = NR
	next
}
{
	c = substr($0, 1, 1)
	if ((c == "`" || c == "~") && fence_len($0, c) >= 3) {
		fchar = c
		flen = fence_len($0, c)
		info = substr($0, flen + 1)
		gsub(/[ \t]/, "", info)
		n++
		file = dir "/" n
		printf "" > file
		infence = 1
		if (pending != "") {
			print pending " " n " " NR " " parg
			pending = ""
		} else if (info == "sh")
			print "sh " n " " NR " " info
		else
			print "unmarked " n " " NR " " info
		next
	}
	if (pending != "") {
		complain("marker \"" pending "\" of line " pline " is not right before its block")
		pending = ""
	}
}
END {
	if (infence)
		complain("a block is not closed")
	if (pending != "")
		complain("marker \"" pending "\" of line " pline " has no block")
}' "$GUIDE" >"$WORK/manifest" || { bad "cannot read the blocks of $GUIDE"; }

# Paths of the guide are relative to the site, not to the guide.
check_path() {
	case $1 in
	content/*) case $1 in *..*) return 1 ;; esac ;;
	*) return 1 ;;
	esac
}

# Copies the working examples (and placeholder files) into site $1.
add_examples() {
	while read -r kind n line arg; do
		check_path "$arg" || continue
		case $kind in
		esimerkki)
			mkdir -p "$1/$(dirname "$arg")" && cp "$BLOCKS/$n" "$1/$arg" ;;
		tiedosto)
			mkdir -p "$1/$(dirname "$arg")" &&
			    echo "Esimerkkitiedosto: $arg" >"$1/$arg" ;;
		esac
	done <"$WORK/manifest"
}

# Checks that every line of block $1 that starts with "content/", and each
# indented hint line, is a whole line of file $2.
lines_in() {
	grep -q '^content/' "$1" || { why="; no line starting \"content/\" shown"; return 1; }
	why=
	while IFS= read -r want; do
		case $want in
		content/*|"    "*) ;;
		*) continue ;;
		esac
		grep -qxF -- "$want" "$2" || why="$why; no line \"$want\""
	done <"$1"
	[ -z "$why" ]
}

ngood=0 nerr=0 nwarn=0 ncmd=0 nmsg=0
while read -r kind n line arg; do
	case $kind in
	error) bad "OHJE.md:$line: $arg"; continue ;;
	unmarked) bad "OHJE.md:$line: a \`\`\`$arg block without a marker (every example is tested)"; continue ;;
	esimerkki|tiedosto|virhe|varoitus|luotu)
		check_path "$arg" || { bad "OHJE.md:$line: \"$arg\" is not a path under content/"; continue; } ;;
	esac
	[ "$kind" = esimerkki ] && ngood=$((ngood+1))
done <"$WORK/manifest"

# 1. The working examples, together. $WORK/src keeps their sources as
# they were before any build, for the sites of the broken files.
src=$WORK/src good=$WORK/good
mkdir -p "$src" && cp -R "$TESTS/fixtures/site.conf" "$TESTS/fixtures/themes" "$src"/
add_examples "$src"
cp -R "$src" "$good"
if [ "$ngood" = 0 ]; then
	bad "OHJE.md has no working examples"
elif "$VALO" -C "$good" build >"$WORK/good.stdout" 2>"$WORK/good.stderr"; then
	if grep -q "warning:" "$WORK/good.stderr"; then
		bad "the working examples build with warnings:"
		sed 's/^/    /' "$WORK/good.stderr"
		fail=$((fail + ngood - 1))
	else
		pass=$((pass + ngood))
	fi
else
	bad "the working examples do not build:"
	sed 's/^/    /' "$WORK/good.stderr" | head -40
	fail=$((fail + ngood - 1))
fi

# 2. Each broken file in a site of its own; 3. the commands, in order.
cmd=$WORK/cmd
# build/ is there as in the project, where build/valo lives.
mkdir -p "$cmd/content" "$cmd/build" && cp -R "$ROOT/site.conf" "$ROOT/themes" "$cmd"/
add_examples "$cmd"
# The commands site is a repository of its own, as the real site is, so
# that "build --source" and "publish" read a commit of it (and never the
# project's own repository, which holds build/).
cmdgit() { (cd "$cmd" && GIT_DIR=$cmd/.git GIT_WORK_TREE=$cmd command git \
    -c user.name=Testi -c user.email=testi@example.fi "$@"); }
printf 'build/\npublic/\n' >"$cmd/.gitignore"
cmdgit init -q && cmdgit add -A && cmdgit commit -q -m "Esimerkit" ||
	bad "cannot make the commands site a git repository"
gitrepo=$WORK/git
last='' lastn='' lastline='' lastarg='' lastout=''
finish() {
	# The block before a tuloste (or before anything else) is complete.
	case $last in
	virhe|varoitus)
		[ -n "$1" ] || bad "OHJE.md:$lastline: $last without a tuloste block" ;;
	komento)
		if [ -z "$1" ]; then
			if [ "$(cat "$lastout.status")" = 0 ]; then ok; else
				bad "OHJE.md:$lastline: $(cat "$BLOCKS/$lastn") failed:"
				sed 's/^/    /' "$lastout"
			fi
		fi ;;
	esac
	last=
}
while read -r kind n line arg; do
	case $kind in
	tuloste)
		case $last in
		virhe|varoitus)
			want=1; [ "$last" = varoitus ] && want=0
			status=$(cat "$lastout.status")
			if [ "$status" != "$want" ]; then
				bad "OHJE.md:$lastline: $last $lastarg: exit status $status, not $want"
				sed 's/^/    /' "$lastout"
			elif ! lines_in "$BLOCKS/$n" "$lastout"; then
				bad "OHJE.md:$line: the output shown is not what valo prints: ${why#; }"
				sed 's/^/    /' "$lastout"
			else
				ok
			fi ;;
		komento)
			if diff -u "$BLOCKS/$n" "$lastout" >"$lastout.diff"; then ok; else
				bad "OHJE.md:$line: the output shown is not what the command prints:"
				sed 's/^/    /' "$lastout.diff"
			fi ;;
		*)
			bad "OHJE.md:$line: a tuloste block after no virhe, varoitus or komento" ;;
		esac
		last=
		continue ;;
	esac
	finish ""
	case $kind in
	virhe|varoitus)
		check_path "$arg" || continue
		if [ "$kind" = virhe ]; then nerr=$((nerr+1)); else nwarn=$((nwarn+1)); fi
		site=$WORK/$kind-$n
		cp -R "$src" "$site"
		mkdir -p "$site/$(dirname "$arg")" && cp "$BLOCKS/$n" "$site/$arg"
		"$VALO" -C "$site" build >"$site/stdout" 2>"$site/stderr"
		echo $? >"$site/stderr.status"
		last=$kind lastn=$n lastline=$line lastarg=$arg lastout=$site/stderr ;;
	komento)
		ncmd=$((ncmd+1))
		lastout=$WORK/komento-$n
		set -f
		# shellcheck disable=SC2046
		set -- $(cat "$BLOCKS/$n")
		set +f
		if [ "$1" != build/valo ] || [ "$(wc -l <"$BLOCKS/$n")" != 1 ]; then
			bad "OHJE.md:$line: a komento block holds one line \"build/valo ...\""
			continue
		fi
		shift
		(cd "$cmd" && "$VALO" "$@") >"$lastout" 2>&1
		echo $? >"$lastout.status"
		last=komento lastn=$n lastline=$line ;;
	luotu)
		if [ ! -f "$cmd/$arg" ]; then
			bad "OHJE.md:$line: no command created $arg"
		elif sed 's/^date: [0-9-]*$/date: PVM/' "$cmd/$arg" >"$WORK/luotu-$n" &&
		    sed 's/^date: [0-9-]*$/date: PVM/' "$BLOCKS/$n" |
		    diff -u - "$WORK/luotu-$n" >"$WORK/luotu-$n.diff"; then
			ok
		else
			bad "OHJE.md:$line: $arg is not what the command creates:"
			sed 's/^/    /' "$WORK/luotu-$n.diff"
		fi ;;
	viesti)
		nmsg=$((nmsg+1))
		trailer=$(git interpret-trailers --parse <"$BLOCKS/$n" | grep '^Muutos: .')
		case $arg in
		muutos) if [ -n "$trailer" ]; then ok; else
			    bad "OHJE.md:$line: the commit message has no Muutos: trailer"; fi ;;
		korjaus) if [ -z "$trailer" ]; then ok; else
			    bad "OHJE.md:$line: the commit message has a Muutos: trailer"; fi ;;
		*) bad "OHJE.md:$line: viesti is \"muutos\" or \"korjaus\", not \"$arg\"" ;;
		esac ;;
	sh)
		why='' ran=0
		while IFS= read -r cl; do
			case $cl in
			"build/valo "*|"git add "*|"git commit "*) ran=1 ;;
			esac
			case $cl in
			"build/valo "*)
				set -f
				# shellcheck disable=SC2086
				set -- $cl
				set +f
				shift
				# The guide says to commit before publishing.
				[ "$1" = publish ] && cmdgit add -A &&
				    { cmdgit diff --cached --quiet ||
				    cmdgit commit -q -m "Muutokset"; }
				# A preview runs until Ctrl-C: it must serve the front
				# page (on a free port), then stop cleanly.
				if [ "$1" = serve ]; then
					(cd "$cmd" && exec "$VALO" "$@" --port 0) >"$WORK/sh-$n" 2>&1 &
					sp=$! k=0 url=
					while [ "$k" -lt 100 ] && [ -z "$url" ]; do
						url=$(grep '^valo: ' "$WORK/sh-$n" | grep -o 'http://[^ ]*/' | head -1)
						[ -n "$url" ] || { sleep 0.1; k=$((k + 1)); }
					done
					[ -n "$url" ] && curl -sf -o /dev/null "$url" ||
					    why="$why; \"$cl\" did not serve the site: $(head -3 "$WORK/sh-$n")"
					kill -INT "$sp" 2>/dev/null
					wait "$sp" || why="$why; \"$cl\" did not stop on Ctrl-C"
					continue
				fi
				(cd "$cmd" && "$VALO" "$@") >"$WORK/sh-$n" 2>&1 ||
				    why="$why; \"$cl\" failed: $(head -3 "$WORK/sh-$n")" ;;
			"git add "*|"git commit "*)
				# Only ever in the scratch repository, never the project's.
				if [ ! -d "$gitrepo/.git" ] && ! { mkdir -p "$gitrepo" &&
				    cp -R "$cmd/content" "$gitrepo"/ && git init -q "$gitrepo" &&
				    (cd "$gitrepo" && GIT_DIR=$gitrepo/.git && export GIT_DIR &&
				    git add -A && git -c user.name=Testi -c user.email=testi@example.fi \
				        -c commit.gpgsign=false commit -q -m alku); }; then
					why="$why; cannot make a git repository"
					continue
				fi
				case $cl in
				"git add "*)
					# The editor changed the files before adding them.
					for f in ${cl#git add }; do
						[ -f "$gitrepo/$f" ] && echo "muutos $n" >>"$gitrepo/$f"
					done ;;
				esac
				before=$(GIT_DIR=$gitrepo/.git git rev-parse -q --verify HEAD)
				# shellcheck disable=SC2317
				(git() { command git -c user.name=Testi -c user.email=testi@example.fi \
				    -c commit.gpgsign=false "$@"; }
				cd "$gitrepo" && GIT_DIR=$gitrepo/.git GIT_WORK_TREE=$gitrepo \
				    GIT_CEILING_DIRECTORIES=$WORK && export GIT_DIR GIT_WORK_TREE \
				    GIT_CEILING_DIRECTORIES && eval "$cl") >"$WORK/sh-$n" 2>&1 ||
				    { why="$why; \"$cl\" failed: $(head -3 "$WORK/sh-$n")"; continue; }
				case $cl in
				"git commit "*)
					after=$(GIT_DIR=$gitrepo/.git git rev-parse -q --verify HEAD)
					[ "$after" != "$before" ] || why="$why; \"$cl\" made no commit"
					t=$(GIT_DIR=$gitrepo/.git git log -1 --format='%(trailers:key=Muutos,valueonly)' | grep .)
					case $cl in
					*Muutos*) [ -n "$t" ] || why="$why; \"$cl\" made no Muutos: trailer" ;;
					*) [ -z "$t" ] || why="$why; \"$cl\" made a Muutos: trailer" ;;
					esac ;;
				esac ;;
			esac
		done <"$BLOCKS/$n"
		# Blocks of other commands (make, python3) are not counted.
		[ "$ran" = 1 ] && ncmd=$((ncmd+1))
		if [ -n "$why" ]; then bad "OHJE.md:$line: ${why#; }"
		elif [ "$ran" = 1 ]; then ok; fi ;;
	esac
done <"$WORK/manifest"
finish ""

# 4. The table of messages is the catalogue's (po/table.py, make po).
awk '/^### Ilmoitukset suomeksi/ { on = 1; next }
on && /^#/ { exit }
on && /^\|/ { print }' "$GUIDE" >"$WORK/table"
python3 "$ROOT/po/table.py" "$ROOT/po/fi.po" >"$WORK/table-po"
nmsgs=$(($(wc -l <"$WORK/table-po") - 2))
if cmp -s "$WORK/table" "$WORK/table-po"; then ok; else
	bad "OHJE.md: the table under \"### Ilmoitukset suomeksi\" is not the catalogue's: run make po"
	diff "$WORK/table-po" "$WORK/table" | head -10
fi

echo "ohje: $ngood working examples, $nerr error examples, $nwarn warning examples, $ncmd command blocks, $nmsg commit messages, $nmsgs translated messages"
echo "ohje: $pass passed, $fail failed"
[ "$fail" = 0 ]
