# Shared by the site tests. They read Valo's messages in English, whatever
# the site's language and the locale; the Finnish ones are tested where
# a test sets LANGUAGE=fi itself.
LANGUAGE=en
export LANGUAGE

# Assemble a test site from the fixtures.
#   assemble CASE_DIR DEST
# DEST gets fixtures/site.conf and fixtures/themes, then the case's own files
# (which may replace them), without its expected/ folder or test metadata.
assemble() {
	rm -rf "$2" && mkdir -p "$2" &&
	cp -R "$TESTS/fixtures/site.conf" "$TESTS/fixtures/themes" "$2"/ &&
	(cd "$1" && tar cf - --exclude=./expected --exclude=./expect --exclude=./expect.fi \
	    --exclude=./setup.sh --exclude=./args .) | (cd "$2" && tar xf -)
}

# The test tallies: ok, no "what failed"; run VALO ARGS... with its output
# in $WORK/out and $WORK/err and its exit status in $status; errs shows
# the first lines of that stderr.
pass=0 fail=0
ok() { pass=$((pass+1)); }
no() { echo "FAIL $*"; fail=$((fail+1)); }
run() { "$VALO" "$@" >"$WORK/out" 2>"$WORK/err"; status=$?; }
errs() { sed 's/^/    /' "$WORK/err" | head -8; }

# git for tests: neither the system's nor the user's settings (HOME is
# $1), a fixed identity, no environment that points git elsewhere.
hermetic_git() {
	unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	    GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG GIT_CONFIG_PARAMETERS \
	    GIT_CONFIG_COUNT GIT_NAMESPACE GIT_CEILING_DIRECTORIES
	mkdir -p "$1"
	export GIT_CONFIG_NOSYSTEM=1 HOME="$1" XDG_CONFIG_HOME="$1/.config"
	export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-T} GIT_AUTHOR_EMAIL=t@example.fi
	export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-T} GIT_COMMITTER_EMAIL=t@example.fi
}
