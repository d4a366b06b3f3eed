#!/usr/bin/env python3
"""The editors' guide's table of messages, from po/fi.po: every
diagnostic's message in Finnish and in English, with "…" for what varies,
sorted as Finnish is.
    po/table.py [PO]                  prints it
    po/table.py --update GUIDE [PO]   puts it under "### Ilmoitukset
                                      suomeksi" in GUIDE (make po does)
tests/ohje/run.sh checks that OHJE.md has it as printed."""
import re
import sys


def entries(path):
    """(flags, msgctxt, msgid, msgstr) of each entry of a po file."""
    out, cur, key = [], None, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                out.append(cur)
            cur, key = None, None
            continue
        if cur is None:
            cur = {"flags": "", "msgctxt": None, "msgid": "", "msgstr": ""}
        if line.startswith("#,"):
            cur["flags"] += line[2:]
        elif line.startswith("#."):
            cur["flags"] += " comment:" + line[2:].strip()
        elif line.startswith("#"):
            continue
        else:
            m = re.match(r'^(msgctxt|msgid|msgstr) "(.*)"$', line)
            if m:
                key = m.group(1)
                cur[key] = unquote(m.group(2))
            elif line.startswith('"') and key:
                cur[key] += unquote(line[1:-1])
    if cur:
        out.append(cur)
    return out


def unquote(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


CONV = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|z|j|t|L)?[diouxXcspeEfFgGaA]")


def shown(s):
    """The message as the guide shows it: conversions as …, in code."""
    s = CONV.sub("…", s).replace("%%", "%")
    s = s.replace("|", "\\|")
    return "`" + s + "`" if "`" not in s else "``" + s + "``"


def table(path):
    rows = []
    for e in entries(path):
        fl = e["flags"]
        if not e["msgid"] or e["msgctxt"] or "comment:hint" in fl:
            continue  # the header, words given to messages, hints
        if e["msgid"].startswith("valo: ") or e["msgid"] in (
                "error", "warning", "note", "in version %s: "):
            continue  # status lines and the words around every message
        if "%s" == e["msgid"]:
            continue
        rows.append((e["msgstr"] or e["msgid"], e["msgid"]))
    # Finnish order: å, ä, ö after z.
    order = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
    rows.sort(key=lambda r: (r[0].lower().translate(order), r[1]))
    lines = ["| Ilmoitus | Englanniksi |", "|---|---|"]
    lines += ["| %s | %s |" % (shown(fi), shown(en)) for fi, en in rows]
    return lines


HEADING = "### Ilmoitukset suomeksi"


def update(guide, lines):
    """Replaces the table under HEADING in the guide with lines."""
    text = open(guide, encoding="utf-8").read().split("\n")
    at = text.index(HEADING)
    start = next(i for i in range(at, len(text)) if text[i].startswith("|"))
    end = start
    while end < len(text) and text[end].startswith("|"):
        end += 1
    text[start:end] = lines
    open(guide, "w", encoding="utf-8").write("\n".join(text))


def main():
    args = sys.argv[1:]
    if args[:1] == ["--update"]:
        update(args[1], table(args[2] if len(args) > 2 else "po/fi.po"))
    else:
        print("\n".join(table(args[0] if args else "po/fi.po")))


main()
