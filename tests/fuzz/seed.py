#!/usr/bin/env python3
"""Writes the seeds of tests/fuzz/corpus/NAME/ that are taken from the
repository: the files named repo-*, replaced each time. The hand-written
seeds (edge-*) and inputs found by fuzzing (found-*) are left as they are.

    tests/fuzz/seed.py [build/valo]

With a valo binary, the rebuild caches of two builds become CACHE seeds.
The Mustache spec's templates need PyYAML (python3-yaml); without it they
are skipped. Run it after the example site or the tests change a lot; the
corpus is committed, so `make check` and `make fuzz` never run this."""

import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
MAX = 8192  # larger seeds only slow every run down

seeds = {}


def add(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX:
        return
    h = hashlib.sha1(data).hexdigest()
    t = seeds.setdefault(target, {})
    if h in t:
        return
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:60]
    t[h] = ("repo-%s-%s" % (name, h[:8]), data)


def files(*patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(ROOT, p), recursive=True)
    return sorted(set(f for f in out if os.path.isfile(f)))


def rel(f):
    return os.path.relpath(f, ROOT)


def read(f):
    with open(f, "rb") as fp:
        return fp.read()


def front_matter(text):
    """(yaml, body) of a page, or (None, text)."""
    m = re.match(rb"(?:\xef\xbb\xbf)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t\r]*(?:\n|$)",
                 text, re.S | re.M)
    if not m:
        return None, text
    return m.group(1), text[m.end():]


def split_headings(text, size=4096):
    """Pieces of a long Markdown text, cut before headings."""
    parts, cur = [], b""
    for line in text.splitlines(keepends=True):
        if line.startswith(b"#") and len(cur) > size // 2:
            parts.append(cur)
            cur = b""
        cur += line
    parts.append(cur)
    return [p[:size] for p in parts]


PAGES = files("content/**/*.md", "tests/sites/**/content/**/*.md",
              "tests/bad/**/content/**/*.md")
DOCS = files("README.md", "OHJE.md", "tests/bench/README.md")

# Pages: whole files for FRONT_MATTER, bodies for MARKDOWN, the YAML for
# YAML, fenced chart and table blocks for CHART, headings and file names
# for SLUG, dates for DATE.
for f in PAGES:
    text = read(f)
    add("front_matter", rel(f), text)
    fm, body = front_matter(text)
    if fm is not None:
        add("yaml", rel(f) + "-fm", fm)
        for d in re.findall(rb"^date:\s*['\"]?([^'\"\n]*)", fm, re.M):
            add("date", rel(f), d.strip())
        for s in re.findall(rb"^slug:\s*(.*)", fm, re.M):
            add("slug", rel(f) + "-slug", s.strip())
    for piece in split_headings(body):
        add("markdown", rel(f), piece)
    for kind, spec in re.findall(rb"^```(chart|table)[ \t]*\n(.*?)^```", body,
                                 re.S | re.M):
        add("chart", rel(f) + "-" + kind.decode(), spec)
        add("yaml", rel(f) + "-" + kind.decode(), spec)
    for h in re.findall(rb"^#{1,6}[ \t]+(.*)", body, re.M)[:2]:
        add("slug", rel(f) + "-h", h.strip())
    add("slug", rel(f) + "-name", os.path.basename(f)[:-3])
for f in DOCS:
    for i, piece in enumerate(split_headings(read(f))):
        add("markdown", "%s-%d" % (rel(f), i), piece)
    for kind, spec in re.findall(rb"^```(chart|table)[ \t]*\n(.*?)^```",
                                 read(f), re.S | re.M):
        add("chart", rel(f) + "-" + kind.decode(), spec)

for f in files("content/data/*.yaml", "themes/*/i18n/*.yaml",
               "tests/**/data/*.yaml", "tests/**/data/*.yml",
               "tests/spec/mustache/*.yml", "tests/fuzz/site/**/*.yaml"):
    add("yaml", rel(f), read(f))
for f in files("content/data/*.csv", "tests/**/data/*.csv",
               "tests/fuzz/site/**/*.csv"):
    add("csv", rel(f), read(f))
for f in files("themes/**/*.mustache", "tests/fixtures/**/*.mustache",
               "tests/bad/**/*.mustache", "tests/sites/**/*.mustache"):
    add("mustache", rel(f), read(f))
for f in files("site.conf", "tests/**/site.conf"):
    add("config", rel(f), read(f))

try:
    import yaml
    for f in files("tests/spec/mustache/*.yml"):
        for t in yaml.safe_load(read(f)).get("tests", []):
            name = "spec-%s-%s" % (os.path.basename(f)[:-4], t["name"])
            add("mustache", name, t["template"])
            for k, v in (t.get("partials") or {}).items():
                add("mustache", name + "-" + k, v)
except ImportError:
    print("seed.py: no PyYAML: the Mustache spec's templates are left out",
          file=sys.stderr)

# Rebuild caches, as a build writes them beside its output.
if len(sys.argv) > 1:
    valo = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        sites = [("example", [("site.conf", "site.conf"),
                              ("content", "content"), ("themes", "themes")]),
                 ("basic", [("tests/fixtures/site.conf", "site.conf"),
                            ("tests/fixtures/themes", "themes"),
                            ("tests/sites/basic/content", "content")])]
        for name, parts in sites:
            d = os.path.join(tmp, name)
            os.mkdir(d)
            for src, dst in parts:
                src = os.path.join(ROOT, src)
                (shutil.copytree if os.path.isdir(src) else shutil.copy)(
                    src, os.path.join(d, dst))
            subprocess.run([valo, "-q", "-C", d, "build", "--jobs", "1"],
                           check=True)
            for c in glob.glob(os.path.join(d, ".*.valo-cache")):
                data = read(c)
                add("cache", name, data[:MAX])
                # A few records alone: the whole file is large.
                recs = re.split(rb"(?m)^(?=P )", data)
                for i, r in enumerate(recs[1:6]):
                    add("cache", "%s-%d" % (name, i), recs[0] + r)

for target, t in sorted(seeds.items()):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for old in glob.glob(os.path.join(d, "repo-*")):
        os.remove(old)
    for name, data in t.values():
        with open(os.path.join(d, name), "wb") as fp:
            fp.write(data)
    print("seed.py: %s: %d seeds from the repository" % (target, len(t)))
