#!/usr/bin/env python3
"""Filter for `git fast-export | addnotes.py | git fast-import`: gives every
commit message a change note trailer ("Muutos: <its subject>"), so that the
benchmark can time a history whose every change is a major one, with a
change view for each page it touched."""
import sys

inp, out = sys.stdin.buffer, sys.stdout.buffer
in_commit = False
while True:
    line = inp.readline()
    if not line:
        break
    if line.startswith(b"commit "):
        in_commit = True
    elif line.startswith(b"data "):
        n = int(line[5:])
        data = inp.read(n)
        if in_commit:
            subject = data.split(b"\n", 1)[0].strip()
            data = data.rstrip(b"\n") + b"\n\nMuutos: " + subject + b".\n"
            in_commit = False
        out.write(b"data %d\n" % len(data))
        out.write(data)
        continue
    elif line.startswith((b"blob", b"reset", b"tag", b"done")):
        in_commit = False
    out.write(line)
