# Shared by the site tests: assemble a test site from the fixtures.
#   assemble CASE_DIR DEST
# DEST gets fixtures/site.conf and fixtures/themes, then the case's own files
# (which may replace them), without its expected/ folder or test metadata.
assemble() {
	rm -rf "$2" && mkdir -p "$2" &&
	cp -R "$TESTS/fixtures/site.conf" "$TESTS/fixtures/themes" "$2"/ &&
	(cd "$1" && tar cf - --exclude=./expected --exclude=./expect \
	    --exclude=./setup.sh --exclude=./args .) | (cd "$2" && tar xf -)
}
