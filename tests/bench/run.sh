#!/bin/bash
# Valo benchmark: Valo against Hugo, Jekyll and Eleventy on the shared corpus,
# plus floors (cmark-gfm, cp -r), threads, warm rebuild and the example site.
#
#   tests/bench/run.sh build/valo        (what `make bench` runs)
#
# Env: RUNS (default 5) timed runs per command; SLOW_RUNS (default 3) for
# Jekyll/Eleventy at 10k; BENCH_QUICK=1 skips Jekyll and Eleventy;
# BENCH_LARGE=1 adds the 100k corpus; RESULTS (default tests/bench/RESULTS.md);
# BASELINE=path/to/valo adds that binary's 10k folder build, for comparison.
# Work dir build/bench/ (corpora are generated once and kept); output on tmpfs
# in /dev/shm/valo-bench/ and on disk in build/bench/out-disk/.
# Needs python3, hyperfine, GNU time; hugo, jekyll, cmark-gfm, wrk, npm if present.
# See tests/bench/README.md for what each number means.
set -eu

[ $# -ge 1 ] || { echo "usage: $0 path/to/valo" >&2; exit 2; }
[ -x "$1" ] || { echo "bench: $1 is not an executable; run make first" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)     # the repo: where Makefile is
HERE=$ROOT/tests/bench
SHARED=$ROOT/../shared/bench
GEN=$SHARED/gen-corpus.py
ANCH=$SHARED/anchors
W=$ROOT/build/bench                   # corpora, sites, results
T=/dev/shm/valo-bench                 # tmpfs output
D=$W/out-disk                         # ext4 output
R=$W/results                          # hyperfine JSON, GNU time logs, notes
RUNS=${RUNS:-5}; SLOW_RUNS=${SLOW_RUNS:-3}
QUICK=${BENCH_QUICK:-0}; LARGE=${BENCH_LARGE:-0}
RESULTS=${RESULTS:-$HERE/RESULTS.md}
REPORT="python3 $HERE/report.py"

if [ ! -f "$GEN" ] || [ ! -d "$ANCH" ]; then
	echo "bench: $GEN or $ANCH is missing: the shared/ folder must sit" \
	    "beside the repo (../shared/bench from $ROOT)" >&2
	exit 2
fi
for t in python3 hyperfine /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t is not installed" \
	    "(Debian: apt-get install python3 hyperfine time)" >&2; exit 2; }
done

mkdir -p "$W" "$T" "$D"
# Two runs at once would share these folders and disturb each other's times.
exec 9>"$W/.lock"
if ! flock -n 9; then
	echo "bench: another benchmark is running (build/bench/.lock); wait for it" >&2
	exit 1
fi
rm -rf "$R"; mkdir -p "$R"
# A private copy: the tree's build/valo may be rebuilt while we run.
VALO=$W/valo
cp "$1" "$VALO.tmp" && mv "$VALO.tmp" "$VALO"
say() { echo "bench: $*" >&2; }
note() { echo "$*" >>"$R/notes.txt"; say "NOTE: $*"; }
meta() { printf '%s=%s\n' "$1" "$2" >>"$R/meta.txt"; }
have() { command -v "$1" >/dev/null 2>&1; }
fstype() { df -T "$1" | awk 'NR==2 { print $2 }'; }

# hf NAME RUNS WARMUP PREPARE CMD [DIR]: hyperfine over CMD (run in DIR if
# given), each run wrapped in GNU time, which appends "wall user sys maxKiB"
# to NAME.time (warmup runs first). Failures become a note, not an abort.
hf() {
	local name=$1 runs=$2 warm=$3 prep=$4 cmd=$5 dir=${6:-}
	local tcmd="/usr/bin/time -a -o $R/$name.time -f '%e %U %S %M' $cmd"
	[ -n "$dir" ] && tcmd="cd $dir && $tcmd"
	say "$name: $cmd ($runs runs)"
	echo "$warm" >"$R/$name.warmup"
	if hyperfine --style basic --runs "$runs" --warmup "$warm" -n "$name" \
	    -p "$prep" --export-json "$R/$name.json" "$tcmd" \
	    >"$R/$name.log" 2>&1; then
		$REPORT summary "$R" "$name" >&2
	else
		rm -f "$R/$name.json"
		note "$name failed (\`$cmd\`); log: build/bench/results/$name.log"
		tail -5 "$R/$name.log" >&2
		return 1
	fi
}
pages() { find "$1" -name index.html 2>/dev/null | wc -l; }
files() { find "$1" -type f 2>/dev/null | wc -l; }

# Corpus (gen-corpus.py arguments): generated once, kept; .done marks a
# finished one, so an interrupted generation starts over.
corpus() {
	local dir=$1; shift
	[ -f "$dir/.done" ] && return 0
	rm -rf "$dir"
	say "generating $dir"
	python3 "$GEN" --seed 1 "$@" --out "$dir" >&2
	touch "$dir/.done"
}

# history_repo CORPUS DIR: the corpus repository cloned to DIR, with the
# bench settings (default theme) and the themes committed on top, without
# a change note; made once and kept.
history_repo() {
	local g=$1 r=$2
	[ -f "$r/.done" ] && return 0
	rm -rf "$r" && git clone -q "$g" "$r" &&
	cp -r "$ROOT/themes" "$r/" &&
	sed 's/^theme = .*/theme = default/' "$HERE/site/site.conf" >"$r/site.conf" &&
	printf '/.done\n' >"$r/.git/info/exclude" &&
	git -C "$r" add site.conf themes &&
	git -C "$r" -c user.name=Bench -c user.email=b@example.fi commit -q -m Asetukset &&
	touch "$r/.done"
}

# The Valo site of a corpus: site.conf + themes/ from tests/bench/site,
# content/ a symlink to the corpus's content (Valo reads through it).
valo_site() {
	local s=$1 content=$2
	rm -rf "$s"; mkdir -p "$s"
	cp -r "$HERE/site/site.conf" "$HERE/site/themes" "$s/"
	ln -s "$content" "$s/content"
}

# The competitors' sites, exactly as run-anchors.sh makes them: the anchor
# config + layout, plus a copy of content (made once per corpus).
other_sites() {
	local c=$1 s=$2
	[ -f "$s/.done" ] && return 0
	rm -rf "$s"; mkdir -p "$s"
	cp -r "$ANCH/hugo" "$ANCH/jekyll" "$ANCH/eleventy" "$s/"
	cp -r "$c/content" "$s/hugo/"
	cp -r "$c/content/." "$s/jekyll/"; cp -r "$c/content/." "$s/eleventy/"
	chmod -R u+w "$s"
	touch "$s/.done"
}

ELEVENTY=$W/eleventy/node_modules/.bin/eleventy
eleventy_install() {
	[ -x "$ELEVENTY" ] && return 0
	have npm || { note "Eleventy skipped: npm is not installed"; return 1; }
	say "installing @11ty/eleventy@3.1.8 into build/bench/eleventy"
	if ! (mkdir -p "$W/eleventy" && cd "$W/eleventy" &&
	    { [ -f package.json ] || npm init -y >/dev/null; } &&
	    npm i --no-audit --no-fund @11ty/eleventy@3.1.8 >&2); then
		note "Eleventy skipped: npm i @11ty/eleventy@3.1.8 failed"
		return 1
	fi
}

# ---- machine and versions ----------------------------------------------
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta nproc "$(nproc)"
meta cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
meta mem "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
meta kernel "$(uname -sr)"
meta os "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")"
meta fs_tmp "$T ($(fstype "$T"))"
meta fs_disk "build/bench/out-disk ($(fstype "$D"))"
meta commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)$(
    [ -n "$(git -C "$ROOT" status --porcelain -- generator 2>/dev/null)" ] &&
    echo ' + uncommitted changes in generator/')"
meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta runs "$RUNS"; meta slow_runs "$SLOW_RUNS"
meta quick "$QUICK"; meta large "$LARGE"
meta v_valo "$("$VALO" --version 2>&1 | head -1) (binary sha256 $(sha256sum "$VALO" | cut -c1-12))"
meta v_hyperfine "$(hyperfine --version)"
have hugo && meta v_hugo "$(hugo version | awk '{ print $1, $2 }')"
have jekyll && meta v_jekyll "$(jekyll --version)"
have cmark-gfm && meta v_cmark "$(cmark-gfm --version | head -1 | awk '{ print $1, $2 }')"
meta v_git "$(git --version)"
[ "$(stat -f -c %T "$T")" = tmpfs ] || note "$T is not tmpfs: \"tmpfs\" figures are on $(fstype "$T")"
DISK_OK=1
if [ "$(stat -f -c %T "$D")" = tmpfs ]; then
	DISK_OK=0; note "build/bench/out-disk is on tmpfs: no disk (ext4) figures"
fi
have hugo || note "Hugo skipped: hugo is not installed (apt-get install hugo)"
if [ "$QUICK" = 1 ]; then
	note "BENCH_QUICK=1: Jekyll and Eleventy skipped"
else
	have jekyll || note "Jekyll skipped: jekyll is not installed (apt-get install jekyll)"
	eleventy_install && meta v_eleventy "Eleventy $("$ELEVENTY" --version 2>/dev/null)"
fi
have cmark-gfm || note "cmark-gfm floor skipped: cmark-gfm is not installed"

# ---- one corpus --------------------------------------------------------
# bench_corpus N: cold full builds of every tool to tmpfs, and the floors.
bench_corpus() {
	local n=$1 c=$W/corpus-$1 s=$W/site-$1 o=$W/sites-$1 runs=$RUNS
	local slow=$RUNS hruns=$RUNS hwarm=1
	[ "$n" -ge 10000 ] && slow=$SLOW_RUNS
	[ "$n" -ge 100000 ] && { hruns=1; hwarm=0; }
	corpus "$c" --pages "$n"
	meta "md_bytes_$n" "$(find "$c/content" -name '*.md' -exec cat {} + | wc -c)"
	valo_site "$s" "$c/content"
	hf "valo-$n" "$runs" 1 "rm -rf $T/valo-$n $T/.valo-$n.*" \
	    "$VALO -q -C $s build --out $T/valo-$n" || true
	meta "files_valo-$n" "$(files "$T/valo-$n")"
	meta "pages_valo-$n" "$(pages "$T/valo-$n")"

	if have hugo || { [ "$QUICK" != 1 ] && have jekyll; }; then
		say "preparing the competitors' sites for $n pages"
		other_sites "$c" "$o"
	fi
	if have hugo; then
		hf "hugo-$n" "$hruns" "$hwarm" "rm -rf $T/hugo-$n" \
		    "hugo --quiet -s $o/hugo -d $T/hugo-$n" || true
		meta "pages_hugo-$n" "$(pages "$T/hugo-$n")"
	fi
	if [ "$QUICK" != 1 ] && [ "$n" -lt 100000 ]; then
		if have jekyll; then
			hf "jekyll-$n" "$slow" 1 "rm -rf $T/jekyll-$n" \
			    "jekyll build --quiet -s $o/jekyll -d $T/jekyll-$n" || true
			meta "pages_jekyll-$n" "$(pages "$T/jekyll-$n")"
		fi
		if [ -x "$ELEVENTY" ]; then
			hf "eleventy-$n" "$slow" 1 "rm -rf $T/eleventy-$n" \
			    "$ELEVENTY --quiet --output=$T/eleventy-$n" "$o/eleventy" || true
			meta "pages_eleventy-$n" "$(pages "$T/eleventy-$n")"
		fi
	fi
	[ "$n" -ge 100000 ] && note "100k: Jekyll and Eleventy not run (10+ minutes a build); Hugo 1 run, no warmup"

	# Floors: cmark-gfm over all bodies (front matter stripped, as in
	# run-anchors.sh floors), and cp -r of Valo's own output, tmpfs.
	if have cmark-gfm; then
		[ -f "$W/bodies-$n.md" ] || find "$c/content" -name '*.md' | sort |
		    xargs awk '
		    FNR==1 { fm = ($0 == "---"); if (NR > 1) print ""; if (fm) next }
		    fm { if ($0 == "---") fm = 0; next } { print }' >"$W/bodies-$n.md"
		meta "bodies_$n" "$(wc -c <"$W/bodies-$n.md")"
		hf "cmark-$n" "$runs" 1 true "cmark-gfm -e table -e strikethrough -e autolink -e tagfilter $W/bodies-$n.md >/dev/null" || true
	fi
	if [ -d "$T/valo-$n" ]; then
		meta "bytes_valo-$n" "$(du -sb "$T/valo-$n" | cut -f1)"
		hf "cp-$n" "$runs" 1 "rm -rf $T/cp-$n" "cp -r $T/valo-$n $T/cp-$n" || true
		rm -rf "$T/cp-$n"
	fi
}

bench_corpus 1000
rm -rf "$T"/hugo-1000 "$T"/jekyll-1000 "$T"/eleventy-1000
bench_corpus 10000

# ---- 10k: threads, disk, warm rebuild ----------------------------------
C10=$W/corpus-10000 S10=$W/site-10000
hf valo-10000-j1 "$RUNS" 1 "rm -rf $T/valo-10000-j1 $T/.valo-10000-j1.*" \
    "$VALO -q -C $S10 build --jobs 1 --out $T/valo-10000-j1" || true
if [ -d "$T/valo-10000" ] && [ -d "$T/valo-10000-j1" ]; then
	if diff -r "$T/valo-10000" "$T/valo-10000-j1" >"$R/diff-jobs.txt" 2>&1; then
		meta identical_jobs yes
	else
		meta identical_jobs no
		note "--jobs 1 and default differ: $(wc -l <"$R/diff-jobs.txt") diff lines, build/bench/results/diff-jobs.txt"
	fi
fi
rm -rf "$T/valo-10000-j1"

# Plain language with the defaults: the bench site without its [plain].
SP=$W/site-10000-plain
rm -rf "$SP" && mkdir -p "$SP" && cp -r "$HERE/site/themes" "$SP/" &&
    sed '/^; The anchors do no plain/,$d' "$HERE/site/site.conf" >"$SP/site.conf" &&
    ln -s "$C10/content" "$SP/content"
hf valo-10000-plain "$RUNS" 1 "rm -rf $T/valo-10000-plain $T/.valo-10000-plain.*" \
    "$VALO -q -C $SP build --out $T/valo-10000-plain" || true
rm -rf "$T/valo-10000-plain"

# Search: the bench theme with the default theme's search page and
# strings; the index's size and files from one more build.
SS=$W/site-10000-search
rm -rf "$SS" && mkdir -p "$SS" && cp -r "$HERE/site/themes" "$HERE/site/site.conf" "$SS/" &&
    grep '^search_' "$ROOT/themes/default/i18n/fi.yaml" >>"$SS/themes/bench/i18n/fi.yaml" &&
    cp "$ROOT/themes/default/templates/search.mustache" "$SS/themes/bench/templates/" &&
    ln -s "$C10/content" "$SS/content"
hf valo-10000-search "$RUNS" 1 "rm -rf $T/valo-10000-search $T/.valo-10000-search.*" \
    "$VALO -q -C $SS build --out $T/valo-10000-search" || true
if [ -d "$T/valo-10000-search/haku/data" ]; then
	meta search_bytes "$(du -sb "$T/valo-10000-search/haku/data" | cut -f1)"
	meta search_files "$(find "$T/valo-10000-search/haku/data" -type f | wc -l)"
fi
rm -rf "$T/valo-10000-search"
# The cost of the index is a fifth of a build, and this machine's speed
# drifts by as much from one minute to the next: paired runs, alternating
# which goes first, give the figure (the median paired ratio).
SEARCH_PAIRS=${SEARCH_PAIRS:-20}
say "search pairs: without and with search alternating, $SEARCH_PAIRS pairs"
for i in $(seq "$SEARCH_PAIRS"); do
	for w in $( [ $((i % 2)) = 1 ] && echo "plain search" || echo "search plain"); do
		rm -rf "$T/valo-10000-pair" "$T"/.valo-10000-pair.*
		if [ "$w" = plain ]; then site=$S10; else site=$SS; fi
		/usr/bin/time -a -o "$R/search-pair-$w.time" -f '%e %U %S %M' \
		    "$VALO" -q -C "$site" build --out "$T/valo-10000-pair" \
		    2>/dev/null || true
	done
done
rm -rf "$T/valo-10000-pair" "$T"/.valo-10000-pair.*

if [ "$DISK_OK" = 1 ]; then
	# Disk: prepare removes the old tree and syncs, so no run pays for
	# the previous run's writeback.
	hf valo-10000-disk "$RUNS" 1 "rm -rf $D/valo-10000 $D/.valo-10000.* && sync" \
	    "$VALO -q -C $S10 build --out $D/valo-10000" || true
	if [ -d "$T/valo-10000" ]; then
		hf cp-10000-disk "$RUNS" 1 "rm -rf $D/cp-10000 && sync" \
		    "cp -r $T/valo-10000 $D/cp-10000" || true
	fi
	# Paired runs, alternating which goes first: this disk's speed drifts
	# a lot from run to run (see README), and hyperfine runs all of one
	# command before the other. The target uses the median paired ratio.
	if [ -d "$T/valo-10000" ]; then
		say "disk pairs: Valo and cp -r alternating, $RUNS pairs"
		for i in $(seq "$RUNS"); do
			for w in $( [ $((i % 2)) = 1 ] && echo "valo cp" || echo "cp valo"); do
				rm -rf "$D/valo-10000" "$D"/.valo-10000.* "$D/cp-10000"; sync
				if [ "$w" = valo ]; then
					/usr/bin/time -a -o "$R/pair-valo.time" -f '%e %U %S %M' \
					    "$VALO" -q -C "$S10" build --out "$D/valo-10000"
				else
					/usr/bin/time -a -o "$R/pair-cp.time" -f '%e %U %S %M' \
					    cp -r "$T/valo-10000" "$D/cp-10000"
				fi
			done
		done
		$REPORT pairs "$R" >&2 || true
	fi
	rm -rf "$D/valo-10000" "$D/cp-10000" "$D"/.valo-10000.*
fi

# Warm rebuild: a site with its own copy of the 10k content; each run
# restores one page, builds into OUT (untimed), touches a marker, appends a
# sentence to the page, then the timed build rebuilds into the same OUT.
WS=$W/site-10000-warm WO=$T/warm-10000
if [ ! -f "$WS/.done" ]; then
	rm -rf "$WS"; mkdir -p "$WS"
	cp -r "$HERE/site/site.conf" "$HERE/site/themes" "$WS/"
	cp -r "$C10/content" "$WS/content"
	touch "$WS/.done"
fi
rm -rf "$WS/themes"; cp -r "$HERE/site/themes" "$HERE/site/site.conf" "$WS/"
PAGE=$(cd "$WS" && find content -name '*.md' | sort | head -1)
meta warm_page "$PAGE"
cat >"$W/warm-prepare.sh" <<EOF
#!/bin/sh
set -e
cp "$C10/$PAGE" "$WS/$PAGE"
rm -rf "$WO" "$T"/.warm-10000.*
"$VALO" -q -C "$WS" build --out "$WO"
touch "$W/warm-marker"
printf '\nTämä lause lisättiin vertailua varten.\n' >>"$WS/$PAGE"
EOF
chmod +x "$W/warm-prepare.sh"
if hf warm-10000 "$RUNS" 1 "$W/warm-prepare.sh" "$VALO -q -C $WS build --out $WO"; then
	meta warm_changed "$(find "$WO" -newer "$W/warm-marker" -type f | wc -l)"
	meta warm_files "$(files "$WO")"
	find "$WO" -newer "$W/warm-marker" -type f | sed "s|^$WO/||" | head -20 >"$R/warm-changed.txt"
	meta warm_has_edit "$(grep -rlq 'Tämä lause lisättiin vertailua varten' "$WO" && echo yes || echo no)"
fi
cp "$C10/$PAGE" "$WS/$PAGE"
rm -rf "$WO" "$T"/.warm-10000.*

# ---- 10k: the preview server --------------------------------------------
# valo serve and hugo server on their own copies of the 10k content (the
# pages are edited and put back): save to served for 20 pages' text, and
# (Valo) a front matter, template and data edit; start; memory; wrk load.
PORT=$((20000 + $$ % 20000))
SV=$T/site-10000-serve HV=$T/hugo-10000-serve
rm -rf "$SV" "$HV"; mkdir -p "$SV"
cp -r "$HERE/site/site.conf" "$HERE/site/themes" "$C10/content" "$SV/"
have wrk || note "wrk is not installed (apt-get install wrk): no load figures"
say "serve: valo serve, 20 edits and wrk"
python3 "$HERE/serve.py" valo "$VALO" "$SV" "$PORT" "$R/serve-valo.json" >&2 ||
	note "valo serve measurement failed; log: build/bench/results/serve-valo.json.log"
if have hugo; then
	other_sites "$C10" "$W/sites-10000"
	cp -r "$W/sites-10000/hugo" "$HV"
	say "serve: hugo server, 20 edits and wrk"
	python3 "$HERE/serve.py" hugo "$HV" "$((PORT + 1))" "$R/serve-hugo.json" >&2 ||
		note "hugo server measurement failed; log: build/bench/results/serve-hugo.json.log"
fi
rm -rf "$SV" "$HV"

# ---- 10k from git: build --source HEAD and publish ------------------------
# A repository of the 10k site (a copy of the content, committed and packed
# as a clone would be) on tmpfs like the other outputs. build --source
# reads every input from the commit; publish writes the site into the
# repository's objects and commits it to a branch. Each cold publish runs
# after the branch and its objects are gone (prepare, not timed).
GS=$T/site-10000-git
if [ ! -f "$GS/.done" ]; then
	rm -rf "$GS"; mkdir -p "$GS"
	cp -r "$HERE/site/site.conf" "$HERE/site/themes" "$GS/"
	cp -r "$C10/content" "$GS/content"
	git -C "$GS" init -q &&
	git -C "$GS" add -A &&
	git -C "$GS" -c user.name=Bench -c user.email=bench@example.fi \
	    commit -q -m "Corpus" &&
	git -C "$GS" gc -q &&
	touch "$GS/.done"
fi
git -C "$GS" update-index -q --refresh
meta git_site_pack "$(du -sh "$GS/.git/objects" | cut -f1)"
hf valo-10000-source "$RUNS" 1 "rm -rf $T/valo-10000-source $T/.valo-10000-source.*" \
    "$VALO -q -C $GS build --source HEAD --out $T/valo-10000-source" || true
if [ -d "$T/valo-10000" ] && [ -d "$T/valo-10000-source" ]; then
	if diff -r "$T/valo-10000" "$T/valo-10000-source" >"$R/diff-source.txt" 2>&1; then
		meta identical_source yes
	else
		meta identical_source no
		note "--source HEAD and the folder build differ: build/bench/results/diff-source.txt"
	fi
fi
rm -rf "$T/valo-10000-source" "$T"/.valo-10000-source.*
UNPUBLISH="git -C $GS update-ref -d refs/heads/pages 2>/dev/null; git -C $GS prune --expire=now"
hf valo-10000-publish "$RUNS" 1 "$UNPUBLISH" "$VALO -q -C $GS publish" || true
hf valo-10000-republish "$RUNS" 1 true "$VALO -q -C $GS publish" || true
meta publish_files "$(git -C "$GS" ls-tree -r pages 2>/dev/null | wc -l)"
meta publish_commits "$(git -C "$GS" rev-list --count pages 2>/dev/null)"
# The folder build of the commit before this work, in the same run, for
# "no regression of the folder build": BASELINE=path/to/old/valo.
if [ -n "${BASELINE:-}" ] && [ -x "$BASELINE" ]; then
	cp "$BASELINE" "$W/valo-baseline"
	meta v_baseline "$("$W/valo-baseline" --version 2>&1 | head -1) (binary sha256 $(sha256sum "$W/valo-baseline" | cut -c1-12))"
	hf valo-10000-baseline "$RUNS" 1 "rm -rf $T/valo-10000-baseline $T/.valo-10000-baseline.*" \
	    "$W/valo-baseline -q -C $S10 build --out $T/valo-10000-baseline" || true
	rm -rf "$T/valo-10000-baseline" "$T"/.valo-10000-baseline.*
fi

# ---- 100k (BENCH_LARGE=1) ------------------------------------------------
if [ "$LARGE" = 1 ]; then
	rm -rf "$T"/hugo-10000 "$T"/jekyll-10000 "$T"/eleventy-10000
	bench_corpus 100000
	rm -rf "$T"/*-100000
fi

# ---- history: 1k pages, 2,000 commits ----------------------------------
G=$W/corpus-git-1000-2000
corpus "$G" --pages 1000 --commits 2000
meta git_size "$(du -sh "$G/.git" | cut -f1)"
valo_site "$W/site-git" "$G/content"
hf valo-git "$RUNS" 1 "rm -rf $T/valo-git $T/.valo-git.*" \
    "$VALO -q -C $W/site-git build --out $T/valo-git" || true
if have hugo; then
	cp -r "$ANCH/hugo/hugo.toml" "$ANCH/hugo/layouts" "$G/"   # as run-anchors.sh
	chmod -R u+w "$G/layouts" "$G/hugo.toml"
	hf hugo-git "$RUNS" 1 "rm -rf $T/hugo-git" "hugo --quiet -s $G -d $T/hugo-git" || true
	hf hugo-git-info "$RUNS" 1 "rm -rf $T/hugo-git" \
	    "hugo --quiet --enableGitInfo -s $G -d $T/hugo-git" || true
fi
hf git-log "$RUNS" 1 true "git -C $G log --name-only --format=%H >/dev/null" || true
# Valo with and without its history, on the same repository: the corpus
# cloned, with settings and the default theme committed on top (no note).
# The history cost is the ratio of the two; "cold" has no walk cache.
RG=$W/repo-git-1000-2000
history_repo "$G" "$RG"
hf valo-git-nohist "$RUNS" 1 "rm -rf $T/valo-rg $T/.valo-rg.*" \
    "$VALO -q -C $RG build --no-history --out $T/valo-rg" || true
hf valo-git-hist "$RUNS" 1 "rm -rf $T/valo-rg $T/.valo-rg.*" \
    "$VALO -q -C $RG build --out $T/valo-rg" || true
hf valo-git-hist-cold "$RUNS" 1 "rm -rf $T/valo-rg $T/.valo-rg.* $RG/.git/valo" \
    "$VALO -q -C $RG build --out $T/valo-rg" || true
# Every commit a major change: a change view for each page each touched.
RN=$W/repo-git-notes-1000-2000
if [ ! -f "$RN/.done" ]; then
	rm -rf "$RN" && git init -q -b main "$RN" &&
	git -C "$RG" fast-export main | python3 "$HERE/addnotes.py" |
	    git -C "$RN" fast-import --quiet &&
	git -C "$RN" reset -q --hard main &&
	printf '/.done\n' >"$RN/.git/info/exclude" && touch "$RN/.done"
fi
"$VALO" -q -C "$RN" build --out "$T/valo-rn" >/dev/null 2>&1 &&
	meta change_views "$(find "$T/valo-rn" -path '*/muutoshistoria/*/index.html' | wc -l)"
hf valo-git-notes "$RUNS" 1 "rm -rf $T/valo-rn $T/.valo-rn.*" \
    "$VALO -q -C $RN build --out $T/valo-rn" || true
hf valo-git-notes-nohist "$RUNS" 1 "rm -rf $T/valo-rn $T/.valo-rn.*" \
    "$VALO -q -C $RN build --no-history --out $T/valo-rn" || true
rm -rf "$T/valo-git" "$T/hugo-git" "$T/valo-rg" "$T/valo-rn"
# 10,000 pages and 20,000 commits with BENCH_LARGE=1 (generating the
# corpus takes about 20 minutes; it is kept).
if [ "$LARGE" = 1 ]; then
	G10=$W/corpus-git-10000-20000 RG10=$W/repo-git-10000-20000
	corpus "$G10" --pages 10000 --commits 20000
	history_repo "$G10" "$RG10"
	hf valo-git10-nohist 3 1 "rm -rf $T/valo-rg $T/.valo-rg.*" \
	    "$VALO -q -C $RG10 build --no-history --out $T/valo-rg" || true
	hf valo-git10-hist 3 1 "rm -rf $T/valo-rg $T/.valo-rg.*" \
	    "$VALO -q -C $RG10 build --out $T/valo-rg" || true
	hf valo-git10-hist-cold 3 1 "rm -rf $T/valo-rg $T/.valo-rg.* $RG10/.git/valo" \
	    "$VALO -q -C $RG10 build --out $T/valo-rg" || true
	rm -rf "$T/valo-rg"
fi

# ---- the example site --------------------------------------------------
if "$VALO" -q -C "$ROOT" build --out "$T/example" >"$R/example.log" 2>&1; then
	meta files_example "$(files "$T/example")"
	meta pages_example "$(find "$ROOT/content" -name '*.md' | wc -l)"
	hf example "$RUNS" 1 "rm -rf $T/example $T/.example.*" \
	    "$VALO -q -C $ROOT build --out $T/example" || true
else
	note "example site: \`valo -C . build\` failed: $(head -3 "$R/example.log" | tr '\n' ' ')"
fi
rm -rf "$T/example" "$T"/.example.*

rm -rf "$T"/valo-* "$T"/hugo-* "$T"/jekyll-* "$T"/eleventy-* "$T"/.valo-* "$GS"

# ---- report --------------------------------------------------------------
meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
$REPORT report "$R" >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
say "wrote ${RESULTS#"$ROOT"/}"
