#!/bin/sh
# Writes po/valo.pot, the messages of Valo's sources, for translators:
# every diagnostic's message (a printf format) and hint (a text, or a
# format given to diag_hintf), and what main prints through _().
# xgettext takes one argument of a function per run: messages and hints
# are two runs, merged. Locations name the file, not the line, so that an
# edit elsewhere in a file leaves the catalogue as it is.
set -e
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$(ls generator/*.c generator/util/*.c)
x() {
	xgettext --from-code=UTF-8 --language=C --no-wrap --sort-by-file \
	    --add-location=file \
	    --package-name=valo --msgid-bugs-address=- --keyword= "$@" \
	    -o - $src
}
# Messages; functions that pass their format on to diag_vadd count as
# diag_add.
x --keyword=_ --keyword=diag_error:6 --keyword=diag_warn:6 \
    --keyword=diag_note:6 --keyword=diag_add:7 --keyword=report:4 \
    --keyword=repo_error:4 --keyword=fail:5 --flag=_:1:pass-c-format \
    --flag=diag_error:6:c-format --flag=diag_warn:6:c-format \
    --flag=diag_note:6:c-format --flag=diag_add:7:c-format \
    --flag=report:4:c-format --flag=repo_error:4:c-format \
    --flag=fail:5:c-format >"$tmp/msg.pot"
# Hints: text (N_ marks one that is not an argument) or, given to
# diag_hintf, a format. Each is commented "hint" for po/table.py.
x --keyword=N_ --keyword=diag_hintf:2 --keyword=diag_error:5 \
    --keyword=diag_warn:5 --keyword=diag_note:5 --keyword=diag_add:6 \
    --keyword=report:3 --keyword=repo_error:3 --keyword=fail:4 \
    --flag=N_:1:no-c-format --flag=diag_hintf:2:c-format \
    --flag=diag_error:5:no-c-format --flag=diag_warn:5:no-c-format \
    --flag=diag_note:5:no-c-format --flag=diag_add:6:no-c-format \
    --flag=report:3:no-c-format --flag=repo_error:3:no-c-format \
    --flag=fail:4:no-c-format | \
    sed 's/^msgid "\(..*\)"$/#. hint\nmsgid "\1"/' >"$tmp/hint.pot"
# Words given to messages as arguments, in the context "argument".
x --keyword=W_ --flag=W_:1:no-c-format | \
    sed 's/^msgid "\(..*\)"$/msgctxt "argument"\nmsgid "\1"/' >"$tmp/word.pot"
msgcat --no-wrap --sort-by-file --add-location=file -o po/valo.pot "$tmp/msg.pot" \
    "$tmp/hint.pot" "$tmp/word.pot"
# The header's date changes on every run; the file should not.
sed -i '/^"POT-Creation-Date:/d' po/valo.pot
