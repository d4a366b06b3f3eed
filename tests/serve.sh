#!/bin/sh
# valo serve: the test site with the default theme served from memory on a
# free port. Pages, redirects, the 404 page, headers and validators; no
# path reaches a file outside the site; an edit is served within seconds,
# a broken page turns into the error page and back; nothing is written to
# disk; Ctrl-C ends it with status 0. Every wait polls with a deadline.
VALO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
TESTS=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-$TESTS/../build/test-serve}
. "$TESTS/lib.sh"

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
WORK=$(cd "$WORK" && pwd)
site=$WORK/site
assemble "$TESTS/sites/basic" "$site" || exit 1
cp -R "$TESTS/../themes" "$site"/ &&
sed -i 's/^theme = .*/theme = default/' "$site/site.conf" || exit 1

pid=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; pid=; }
trap stop EXIT
trap 'stop; exit 1' INT TERM HUP

# until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds.
until_ok() {
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1; n=$((n - 1))
	done
	return 1
}
# get PATH [CURL ARGS...]: the status in $code, the body in $WORK/body,
# the headers in $WORK/head.
get() {
	p=$1; shift
	rm -f "$WORK/body"
	code=$(curl -s --max-time 5 -o "$WORK/body" -D "$WORK/head" \
	    -w '%{http_code}' "$@" "$URL${p#/}")
}
header() { grep -i "^$1:" "$WORK/head" | sed 's/^[^:]*: *//' | tr -d '\r'; }
has() { grep -qF -- "$1" "$WORK/body" 2>/dev/null; }
empty() { [ ! -s "$WORK/body" ]; }

# The server's messages go to their own file: run() rewrites $WORK/err.
"$VALO" -C "$site" serve --port 0 2>"$WORK/serve.err" &
pid=$!
port() { grep -q 'serving http://127\.0\.0\.1:[0-9]*/' "$WORK/serve.err"; }
serrs() { sed 's/^/    /' "$WORK/serve.err" | head -8; }
if ! until_ok 10 port; then
	echo "FAIL no \"serving\" line within 10 s:"; serrs
	echo "serve: 0 passed, 1 failed"; exit 1
fi
URL=$(sed -n 's|^valo: serving \(http://127\.0\.0\.1:[0-9]*/\) (Ctrl-C stops)$|\1|p' "$WORK/serve.err")
[ -n "$URL" ] && ok || no "the serving line is not as documented: $(cat "$WORK/serve.err")"

# A second server on the same port says so, and stops.
run -C "$site" serve --port "$(echo "$URL" | sed 's|.*:\([0-9]*\)/$|\1|')"
[ "$status" = 1 ] && grep -q 'Address already in use' "$WORK/err" && ok ||
	{ no "a taken port: status $status"; errs; }

get /
[ "$code" = 200 ] && ok || no "/: $code"
header Content-Type | grep -qx 'text/html; charset=utf-8' && ok ||
	no "/: Content-Type $(header Content-Type)"
has '<script src="/__valo/reload.js" defer></script></body>' && ok ||
	no "/: no reload script before </body>"
has "script-src 'self'" && ! has "script-src 'none'" && ok ||
	no "/: the served page's CSP does not let the reload script run"
[ "$(header Cache-Control)" = no-cache ] && ok || no "/: Cache-Control $(header Cache-Control)"
# Connections are kept open: a page and its files come over one.
curl -sv -o /dev/null -o /dev/null "$URL" "${URL}tietoa/" 2>"$WORK/keep" &&
	grep -q 'Re-using existing connection' "$WORK/keep" && ! grep -qi '^< Connection: close' "$WORK/keep" && ok ||
	no "the server closes the connection after each answer"

get /tietoa/
[ "$code" = 200 ] && has '<h1>' && ok || no "/tietoa/: $code"
get /strategia
[ "$code" = 301 ] && [ "$(header Location)" = /strategia/ ] && ok ||
	no "/strategia: $code, Location $(header Location)"
get /ei-ole/
[ "$code" = 404 ] && has 'Sivua ei löytynyt' && ok ||
	no "a missing page: $code, not the theme's 404 page"
get /css/valo.css
[ "$code" = 200 ] && header Content-Type | grep -qx 'text/css; charset=utf-8' &&
	cmp -s "$WORK/body" "$site/themes/default/static/css/valo.css" && ok ||
	no "/css/valo.css: $code $(header Content-Type)"
get /favicon.svg
header Content-Type | grep -q '^image/svg+xml' && ok || no "/favicon.svg: $(header Content-Type)"

# HEAD: the headers of GET, no body (curl -I writes the headers there).
get /css/valo.css -I
[ "$code" = 200 ] && ! has '{' &&
	[ "$(header Content-Length)" = "$(wc -c <"$site/themes/default/static/css/valo.css" | tr -d ' ')" ] &&
	ok || no "HEAD /css/valo.css: $code, body $(wc -c <"$WORK/body") bytes, length $(header Content-Length)"

# Validators.
get /css/valo.css
etag=$(header ETag)
modified=$(header Last-Modified)
case $etag in \"?*\") ok ;; *) no "no quoted ETag: $etag" ;; esac
get /css/valo.css -H "If-None-Match: $etag"
[ "$code" = 304 ] && empty && ok || no "If-None-Match: $code"
get /css/valo.css -H 'If-None-Match: "other"'
[ "$code" = 200 ] && ok || no "If-None-Match with another tag: $code"
get /css/valo.css -H "If-Modified-Since: $modified"
[ "$code" = 304 ] && ok || no "If-Modified-Since: $code"
get /css/valo.css -H "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT"
[ "$code" = 200 ] && ok || no "If-Modified-Since 1970: $code"

# Nothing outside the site, whatever the spelling: never site.conf's text
# (its feedback_email key) nor /etc/passwd's.
for p in '/../site.conf' '/%2e%2e/site.conf' '/..%2fsite.conf' \
    '/%252e%252e/site.conf' '//etc/passwd' '/css/../../site.conf' \
    '/%2e%2e%2f%2e%2e%2fsite.conf' '/css/..%5c..%5csite.conf' \
    '/index.html%00.css' '/%00' '/../../../../etc/passwd'; do
	get "$p" --path-as-is
	case $code in
	400|404) ok ;;
	*) no "$p: status $code" ;;
	esac
	! has 'feedback_email' && ! has 'root:' && ok || no "$p: served a file from outside the site"
done

get / -X POST
[ "$code" = 405 ] && header Allow | grep -q 'GET, HEAD' && ok || no "POST: $code, Allow $(header Allow)"
get / -X DELETE
[ "$code" = 405 ] && ok || no "DELETE: $code"

# The event stream: open, its type, and it ends when curl gives up.
code=$(curl -s -N --max-time 2 -o "$WORK/events" -D "$WORK/head" -w '%{http_code}' "${URL}__valo/events")
[ "$code" = 200 ] && header Content-Type | grep -q '^text/event-stream' && ok ||
	no "/__valo/events: $code $(header Content-Type)"
get /__valo/reload.js
[ "$code" = 200 ] && has "EventSource('/__valo/events')" && has valo-scroll && ok ||
	no "/__valo/reload.js: $code"

# An edit as an editor's program saves: a new file renamed over the old.
# A stream opened before it tells of the rebuild.
curl -s -N --max-time 8 "${URL}__valo/events" >"$WORK/events2" &
cpid=$!
until_ok 5 test -s "$WORK/events2" || no "the event stream sent nothing on opening"
sed 's/^title: .*/title: Muokattu otsikko/' "$site/content/tietoa.md" >"$site/content/.tietoa.tmp" &&
	mv "$site/content/.tietoa.tmp" "$site/content/tietoa.md" || exit 1
edited() { get /tietoa/; [ "$code" = 200 ] && has 'Muokattu otsikko'; }
until_ok 5 edited && ok || no "the edit was not served within 5 s: $code"
until_ok 5 grep -q '^data: [0-9]' "$WORK/events2" && ok || no "the event stream did not tell of the rebuild"
kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null
grep -q '^valo: rebuilt in [0-9]* ms ([0-9]* of [0-9]* pages rendered)$' "$WORK/serve.err" && ok ||
	no "no \"rebuilt in N ms (N of N pages rendered)\" line"

# A save of a page's text renders that page alone; the rest is taken over.
sed 's/^Tehty Valolla/Tehty yhä Valolla/' "$site/content/tietoa.md" >"$site/content/.tietoa.tmp" &&
	mv "$site/content/.tietoa.tmp" "$site/content/tietoa.md" || exit 1
body() { get /tietoa/; [ "$code" = 200 ] && has 'Tehty yhä Valolla'; }
until_ok 5 body && ok || no "an edit of the text was not served within 5 s: $code"
until_ok 5 grep -q '^valo: rebuilt in [0-9]* ms (1 of [0-9]* pages rendered)$' "$WORK/serve.err" && ok ||
	{ no "an edit of one page's text rendered more than the page:"; tail -3 "$WORK/serve.err"; }

# The search index follows the text: a word just written is found.
printf '\nKuukkelimonni lensi pihaan.\n' >>"$site/content/tietoa.md"
indexed() {
	t=0
	while get "/haku/data/t$t.json" && [ "$code" = 200 ]; do
		has '"kuukkelim' && return 0
		t=$((t + 1))
	done
	return 1
}
until_ok 5 indexed && ok || no "a word added to a page's text is not in the search index"

# An error in one page's text: that page is the error page, the rest stand.
cp "$site/content/tietoa.md" "$WORK/tietoa.good"
printf '\nKatso [puuttuva](ei-ole.md).\n' >>"$site/content/tietoa.md"
onebad() { get /tietoa/; [ "$code" = 500 ]; }
until_ok 5 onebad && has 'content/tietoa.md:' && has 'ei-ole.md' && ok ||
	no "a page with a broken link is not its error page: $code"
get /
[ "$code" = 200 ] && has '<h1' && ok || no "another page while one is broken: $code"
get /ei-ole/
[ "$code" = 404 ] && ok || no "a missing page while one page is broken: $code"
cp "$WORK/tietoa.good" "$site/content/tietoa.md"
until_ok 5 body && ok || no "fixing the link did not bring the page back: $code"

# A build into public/ while the preview runs: the preview writes nothing
# there and takes no lock, so both go on.
run -C "$site" -q build
[ "$status" = 0 ] && [ -f "$site/public/index.html" ] && ok ||
	{ no "valo build while serving: status $status"; errs; }
get /
[ "$code" = 200 ] && ok || no "the preview after a build into public/: $code"
rm -rf "$site/public"

# A page whose front matter is broken: the site cannot be built, and
# every page is the error page until it is fixed.
cp "$site/content/tietoa.md" "$WORK/tietoa.good"
printf -- '---\ntitle: Rikki\n\nEi loppua.\n' >"$site/content/.tietoa.tmp" &&
	mv "$site/content/.tietoa.tmp" "$site/content/tietoa.md" || exit 1
broken() { get /tietoa/; [ "$code" = 500 ]; }
until_ok 5 broken && ok || no "a broken page is not answered with 500: $code"
has 'content/tietoa.md:1' && has 'The site has errors' && ok || {
	no "the error page does not name the file and line:"; head -c 600 "$WORK/body"; echo; }
get /
[ "$code" = 500 ] && ok || no "/ while broken: $code"
get /ei-ole/
[ "$code" = 500 ] && ok || no "a missing page while broken: $code"
get /css/valo.css
[ "$code" = 200 ] && ok || no "the stylesheet while broken: $code"
cp "$WORK/tietoa.good" "$site/content/.tietoa.tmp" &&
	mv "$site/content/.tietoa.tmp" "$site/content/tietoa.md" || exit 1
fixed() { get /tietoa/; [ "$code" = 200 ]; }
until_ok 5 fixed && has 'Muokattu otsikko' && ok || no "fixing the page did not bring it back: $code"

# A new section folder is watched too.
mkdir -p "$site/content/uusi/syva"
printf -- '---\ntitle: Syvä sivu\n---\nTekstiä.\n' >"$site/content/uusi/syva/sivu.md"
deep() { get /uusi/syva/sivu/; [ "$code" = 200 ] && has 'Syvä sivu'; }
until_ok 5 deep && ok || no "a page in a new folder was not served: $code"

[ ! -e "$site/public" ] && [ ! -e "$site/.public.staging" ] && ok ||
	no "serve wrote the output folder"

kill -INT "$pid"
gone() { ! kill -0 "$pid" 2>/dev/null; }
if until_ok 5 gone; then
	wait "$pid"; status=$?
	[ "$status" = 0 ] && ok || { no "Ctrl-C: exit status $status"; serrs; }
else
	no "Ctrl-C did not stop the server within 5 s"
fi
pid=

# --open hands the address to the desktop's xdg-open (here a stand-in).
mkdir -p "$WORK/bin"
printf '#!/bin/sh\necho "$@" >"%s/opened"\n' "$WORK" >"$WORK/bin/xdg-open"
chmod +x "$WORK/bin/xdg-open"
PATH="$WORK/bin:$PATH" "$VALO" -C "$site" serve --port 0 --open 2>"$WORK/serve.err" &
pid=$!
opened() { [ -s "$WORK/opened" ]; }
if until_ok 10 opened; then
	grep -q "^http://127\.0\.0\.1:[0-9]*/\$" "$WORK/opened" && ok ||
		no "--open gave xdg-open $(cat "$WORK/opened")"
else
	no "--open did not run xdg-open"; serrs
fi
kill -INT "$pid"; wait "$pid"; status=$?
[ "$status" = 0 ] && ok || no "--open: exit status $status"
pid=

# Wrong usage, and a port that is taken.
run -C "$site" serve --port 70000
[ "$status" = 2 ] && ok || no "--port 70000: status $status"
run -C "$site" serve --bind nowhere
[ "$status" = 1 ] && grep -q 'not an IP address' "$WORK/err" && ok ||
	{ no "--bind nowhere: status $status"; errs; }

echo "serve: $pass passed, $fail failed"
[ "$fail" = 0 ]
