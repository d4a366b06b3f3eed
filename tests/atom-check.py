#!/usr/bin/env python3
"""atom-check.py FEED [ENTRIES]: the rules of RFC 4287 that Valo's feeds
must keep: one id, title and updated (RFC 3339) on the feed and on each
entry, an author, a self link, entries with an alternate link and ids of
the site that are unique; ENTRIES, if given, the number of entries. Exits
1 with what is wrong."""
import re
import sys
import xml.etree.ElementTree as ET

A = "{http://www.w3.org/2005/Atom}"
DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def one(e, name):
    l = e.findall(A + name)
    assert len(l) == 1, "%s: %d" % (name, len(l))
    return l[0]


def main():
    t = ET.parse(sys.argv[1]).getroot()
    assert t.tag == A + "feed", t.tag
    one(t, "id")
    one(t, "title")
    assert DATE.match(one(t, "updated").text)
    assert t.find(A + "author/" + A + "name") is not None, "no author"
    assert any(l.get("rel") == "self" for l in t.findall(A + "link")), "no self link"
    es = t.findall(A + "entry")
    if len(sys.argv) > 2:
        assert len(es) == int(sys.argv[2]), "%d entries" % len(es)
    else:
        assert es, "no entries"
    ids = set()
    for e in es:
        i = one(e, "id").text
        assert re.match(r"^https://example\.fi/", i) and i not in ids, i
        ids.add(i)
        one(e, "title")
        assert DATE.match(one(e, "updated").text)
        assert any(l.get("rel") == "alternate" for l in e.findall(A + "link"))
    # The first entry's title, for the caller to check the order.
    print(es[0].find(A + "title").text)


try:
    main()
except (AssertionError, ET.ParseError) as e:
    sys.stderr.write("%s: %s\n" % (sys.argv[1], e))
    sys.exit(1)
