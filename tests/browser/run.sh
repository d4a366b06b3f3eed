#!/bin/sh
# Browser and HTML checks of the example site; `make check` runs it as
#   tests/browser/run.sh build/valo
# 1. installs the npm packages (npm ci) when node_modules is missing or
#    older than package-lock.json;
# 2. builds the example site with VALO into build/browser-site;
# 3. html-validate over every .html file of the output;
# 4. node --test tests/browser/ (headless Chromium: axe-core, narrow
#    screens, keyboard, no JavaScript, 404, screenshots in build/screenshots;
#    and valo serve's live reload, with VALO as the binary).
# Exits non-zero if anything fails. node --test prints last, so its
# "# pass N" and "# fail N" lines end the output.
set -u

if [ $# -lt 1 ]; then
	echo "usage: $0 VALO   (e.g. tests/browser/run.sh build/valo)" >&2
	exit 2
fi
case $1 in
/*) VALO=$1 ;;
*) VALO=$(pwd)/$1 ;;
esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SITE=$ROOT/build/browser-site
CHROMIUM=/usr/bin/chromium

if [ ! -x "$VALO" ]; then
	echo "browser: $VALO is not an executable; run make build/valo first" >&2
	exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "browser: node and npm are needed: apt-get install -y nodejs npm" >&2
	exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
	echo "browser: $CHROMIUM is missing: apt-get install -y chromium" >&2
	exit 1
fi

# npm writes node_modules/.package-lock.json on every install: it is the
# time node_modules was last installed.
if [ ! -f "$HERE/node_modules/.package-lock.json" ] ||
   [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
	echo "browser: npm ci"
	if ! (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error); then
		echo "browser: npm ci failed in $HERE" >&2
		exit 1
	fi
fi

cd "$ROOT" || exit 1
mkdir -p "$ROOT/build"
echo "browser: building the example site into build/browser-site"
if ! "$VALO" -q -C "$ROOT" build --out "$SITE"; then
	echo "browser: $VALO build failed: the browser tests need the example site" >&2
	exit 1
fi

echo "browser: html-validate"
node "$HERE/validate.mjs" "$SITE"
validate=$?

VALO=$VALO VALO_SITE_DIR=$SITE node --test --test-reporter=tap "$HERE/"
tests=$?

[ "$validate" = 0 ] && [ "$tests" = 0 ]
