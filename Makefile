# Valo: `make` builds the generator and the example site; `make check` runs
# every test. Plain make and pkg-config, no configure step.

PKGS	 = libcmark-gfm yaml-0.1 inih libgit2 libmicrohttpd libvoikko libical libutf8proc
CC	?= cc
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-unused-parameter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LIBS	 = $(PKG_LIBS) -lcmark-gfm-extensions -lcsv -lstemmer -lpthread -ldl -lm
CPPFLAGS = -D_GNU_SOURCE -DVALO_VERSION=\"0.1\" \
	   -DLOCALEDIR=\"$(LOCALEDIR)\" -iquote generator $(PKG_CFLAGS)
# Where an installed valo finds its messages; one run from build/ uses
# build/locale.
LOCALEDIR ?= /usr/local/share/locale
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

B	 = build
SRC	 = $(sort $(wildcard generator/*.c generator/util/*.c))
LIBSRC	 = $(filter-out generator/main.c,$(SRC))
HDR	 = $(wildcard generator/*.h generator/util/*.h)
OBJ	 = $(SRC:%.c=$(B)/obj/%.o)
LIBOBJ	 = $(LIBSRC:%.c=$(B)/obj/%.o)
ASANOBJ	 = $(SRC:%.c=$(B)/asan/%.o)
ASANLIB	 = $(LIBSRC:%.c=$(B)/asan/%.o)
UNITSRC	 = $(sort $(wildcard tests/unit/*.c))

# The packages are installed first, then make runs again, so that
# pkg-config sees them when the flags are worked out.
all: deps
	@$(MAKE) --no-print-directory valo site

# The program and its message catalogues, without the example site (what
# a content repository's CI needs: examples/ci).
valo: deps
	@$(MAKE) --no-print-directory $(B)/valo $(MO)

# Debian packages needed to build and run Valo.
DEBS	 = gcc make pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
	   libyaml-dev libinih-dev libcsv-dev libgit2-dev \
	   libmicrohttpd-dev libvoikko-dev voikko-fi gettext libical-dev \
	   libutf8proc-dev libstemmer-dev
# ...and to run the browser and HTML checks of `make check`; Node.js and
# npm only where no node and npm are installed (they may come from
# elsewhere than Debian, and Debian's npm conflicts with those).
# clang and its libFuzzer and sanitizer runtimes are for tests/fuzz/check.sh.
CHECK_DEBS = chromium git curl $(FUZZ_DEBS) $(if $(shell command -v node && command -v npm),,nodejs npm)

deps:
	@tests/install-deps.sh $(DEBS)

check-deps:
	@tests/install-deps.sh $(DEBS) $(CHECK_DEBS)

$(B)/valo: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)

$(B)/obj/%.o: %.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

$(B)/asan/%.o: %.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(SANFLAGS) $(CPPFLAGS) -c -o $@ $<

$(B)/valo-asan: $(ASANOBJ)
	$(CC) $(SANFLAGS) -o $@ $(ASANOBJ) $(LIBS)

$(B)/unit: $(UNITSRC) $(LIBOBJ) tests/unit/test.h
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -iquote tests/unit -o $@ $(UNITSRC) \
	    $(LIBOBJ) $(LIBS)

$(B)/unit-asan: $(UNITSRC) $(ASANLIB) tests/unit/test.h
	$(CC) $(WARN) $(SANFLAGS) $(CPPFLAGS) -iquote tests/unit -o $@ $(UNITSRC) \
	    $(ASANLIB) $(LIBS)

# The message catalogues: po/LANG.po, checked and compiled (gettext).
PO	 = $(wildcard po/*.po)
MO	 = $(PO:po/%.po=$(B)/locale/%/LC_MESSAGES/valo.mo)

$(B)/locale/%/LC_MESSAGES/valo.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt -c -o $@ $<

# Rewrites po/valo.pot from the sources, merges it into every po/*.po and
# writes the table of messages into OHJE.md.
po:
	po/extract.sh
	for f in $(PO); do msgmerge -q -U --backup=none --no-wrap --add-location=file $$f po/valo.pot && \
	    msgattrib --no-wrap --no-obsolete --add-location=file -o $$f $$f; done
	po/table.py --update OHJE.md po/fi.po

site: $(B)/valo $(MO)
	$(B)/valo build

.PHONY: all valo deps check-deps site check golden bench fuzz clean po

$(B)/ical-check: tests/tools/ical-check.c $(LIBOBJ)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(LIBOBJ) $(LIBS)

$(B)/mustache-spec: tests/spec/mustache-spec.c $(LIBOBJ)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(LIBOBJ) $(LIBS)

$(B)/mustache-spec-asan: tests/spec/mustache-spec.c $(ASANLIB)
	$(CC) $(WARN) $(SANFLAGS) $(CPPFLAGS) -o $@ $< $(ASANLIB) $(LIBS)

TESTBIN	 = $(B)/valo $(MO) $(B)/ical-check $(B)/unit $(B)/mustache-spec $(B)/valo-asan \
	   $(B)/unit-asan $(B)/mustache-spec-asan

check: check-deps
	@$(MAKE) --no-print-directory $(TESTBIN)
	@B=$(B) tests/run.sh

# Rewrites tests/sites/*/expected after a change in output you meant.
golden: $(B)/valo
	tests/sites.sh $(B)/valo --update

clean:
	rm -rf $(B) public .public.staging

# Benchmark against Hugo, Jekyll, Eleventy (tests/bench/README.md).
BENCH_DEBS = python3 hyperfine time hugo jekyll cmark-gfm wrk
bench: deps
	@tests/install-deps.sh $(BENCH_DEBS)
	@$(MAKE) --no-print-directory $(B)/valo
	tests/bench/run.sh $(B)/valo

# Fuzzes every parser with libFuzzer for FUZZ_SECONDS each (default 60;
# tests/fuzz/README.md). `make check` runs each for 5 s: tests/fuzz/check.sh.
FUZZ_DEBS = clang libclang-rt-14-dev
FUZZ_SECONDS ?= 60
fuzz:
	@tests/install-deps.sh $(DEBS) $(FUZZ_DEBS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh
