#!/usr/bin/env python3
"""Tables for tests/bench/run.sh (stdlib only).

  report.py summary RESULTS_DIR NAME   one line about one measurement
  report.py report  RESULTS_DIR        the Markdown report (RESULTS.md)

RESULTS_DIR holds, per measurement NAME: NAME.json (hyperfine --export-json),
NAME.time (GNU time "%e %U %S %M" per run, warmup runs first), NAME.warmup
(how many warmup runs); plus meta.txt (key=value) and notes.txt.
Wall = hyperfine's median; CPU = median over the timed runs of user+sys
(GNU time); peak = largest max RSS over the timed runs (GNU time %M).
"""
import json, os, re, statistics, sys


def load(d, name):
    """Stats of one measurement, or None if it was not run or failed."""
    try:
        with open(os.path.join(d, name + ".json")) as f:
            r = json.load(f)["results"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None
    runs = []
    try:
        with open(os.path.join(d, name + ".time")) as f:
            for line in f:
                m = re.fullmatch(r"\s*([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*", line)
                if m:
                    runs.append(tuple(float(x) for x in m.groups()))
        with open(os.path.join(d, name + ".warmup")) as f:
            runs = runs[int(f.read().strip() or 0):]
    except OSError:
        pass
    return {
        "wall": r["median"], "min": r["min"], "max": r["max"], "mean": r["mean"],
        "n": len(r["times"]),
        "cpu": statistics.median(u + s for _, u, s, _ in runs) if runs
        else r["user"] + r["system"],
        "cpu_mean_hf": r["user"] + r["system"],
        "peak": max(k for *_, k in runs) / 1024 if runs else None,
    }


def read_meta(d):
    meta = {}
    try:
        with open(os.path.join(d, "meta.txt")) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                meta[k] = v
    except OSError:
        pass
    return meta


def f2(x, nd=2):
    return "-" if x is None else "%.*f" % (nd, x)


def secs(x):
    if x is None:
        return "-"
    return "%.3f" % x if x < 10 else "%.2f" % x if x < 100 else "%.1f" % x


def wall_cell(s):
    w = secs(s["wall"])
    if s["n"] > 1:
        w += " (%s–%s)" % (secs(s["min"]), secs(s["max"]))
    return w


def summary(d, name):
    s = load(d, name)
    if s is None:
        return "%s: no result" % name
    return "%s: wall %s s median of %d, CPU %s s, peak %s MiB" % (
        name, wall_cell(s), s["n"], f2(s["cpu"]), f2(s["peak"], 0))


def pair_walls(d, a, b):
    """Paired runs: [(a's wall, b's wall)], from files a and b of GNU time."""
    def walls(name):
        try:
            with open(os.path.join(d, name)) as f:
                return [float(l.split()[0]) for l in f
                        if re.fullmatch(r"\s*[\d.]+ [\d.]+ [\d.]+ \d+\s*", l)]
        except OSError:
            return []
    return list(zip(walls(a), walls(b)))


def pairs(d):
    """Paired disk runs: [(valo wall, cp wall)], from pair-*.time."""
    return pair_walls(d, "pair-valo.time", "pair-cp.time")


def pairs_line(d):
    pr = pairs(d)
    if not pr:
        return None, "no paired runs"
    rs = [v / c for v, c in pr if c > 0]
    med = statistics.median(rs)
    return med, ("%d alternating pairs, Valo / `cp -r` per pair: %s; median %.2f×; "
                 "medians Valo %.2f s, `cp -r` %.2f s; fastest Valo %.2f s, `cp -r` %.2f s" % (
                     len(pr), ", ".join("%.2f" % r for r in rs), med,
                     statistics.median(v for v, _ in pr), statistics.median(c for _, c in pr),
                     min(v for v, _ in pr), min(c for _, c in pr)))


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def serve_load(d, name):
    try:
        with open(os.path.join(d, "serve-%s.json" % name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def pct(v, q):
    """The q-th percentile by nearest rank: p90 of 20 is the 18th."""
    v = sorted(v)
    return v[max(0, -(-len(v) * q // 100) - 1)]


def report(d):
    meta = read_meta(d)
    M = lambda k, dflt="-": meta.get(k, dflt)
    S = {}
    for fn in os.listdir(d):
        if fn.endswith(".json"):
            S[fn[:-5]] = load(d, fn[:-5])
    g = S.get
    try:
        with open(os.path.join(d, "notes.txt")) as f:
            notes = [l.rstrip("\n") for l in f if l.strip()]
    except OSError:
        notes = []
    out = []
    p = out.append

    p("# Valo benchmark results")
    p("")
    p("Made by `make bench` (`tests/bench/run.sh build/valo`)%s%s; see "
      "tests/bench/README.md for the method." % (
          ", BENCH_QUICK=1 (Jekyll and Eleventy skipped)" if M("quick") == "1" else "",
          ", BENCH_LARGE=1" if M("large") == "1" else ""))
    p("")
    p("- Date: %s" % M("date"))
    p("- Machine: %s cores (`nproc`), %s, %s RAM, %s, %s" % (
        M("nproc"), M("cpu"), M("mem"), M("kernel"), M("os")))
    p("- Output folders: tmpfs %s; disk %s" % (M("fs_tmp"), M("fs_disk")))
    p("- Load average (1, 5, 15 min) at the start: %s; at the end: %s (the "
      "benchmark itself keeps about 1-2 busy; more means other work shared "
      "the machine)" % (M("load_start"), M("load_end")))
    p("- Valo: %s, commit %s" % (M("v_valo"), M("commit")))
    vs = [M(k) for k in ("v_hugo", "v_jekyll", "v_eleventy", "v_cmark",
                         "v_hyperfine", "v_git") if k in meta]
    p("- Tools: " + ", ".join(vs))
    p("- Runs: hyperfine `--warmup 1 --runs %s` (%s for Jekyll/Eleventy at "
      "10k), output folder removed in `--prepare` (not timed). Wall = median "
      "(min–max); CPU = median over the runs of user+sys; peak = largest max "
      "RSS over the runs (GNU time `%%M`); MiB = 2^20 bytes." % (
          M("runs"), M("slow_runs")))
    p("")

    def ratio_cells(s, h):
        if h is None or s is None:
            return "-", "-"
        return (f2(ratio(h["wall"], s["wall"])) + "×",
                f2(ratio(h["peak"], s["peak"]), 1) + "×")

    labels = [("valo-%d", "Valo"), ("valo-%d-j1", "Valo `--jobs 1`"),
              ("hugo-%d", "Hugo"), ("jekyll-%d", "Jekyll"),
              ("eleventy-%d", "Eleventy")]
    for n in (1000, 10000, 100000):
        if g("valo-%d" % n) is None and g("hugo-%d" % n) is None:
            continue
        h = g("hugo-%d" % n)
        mb = int(M("md_bytes_%d" % n, "0")) / 1e6
        p("## %s pages, cold build, output on tmpfs" % format(n, ","))
        p("")
        p("Corpus: `gen-corpus.py --pages %d --seed 1`, %.1f MB of Markdown. "
          "Valo writes %s files (the %s pages, home and section pages, 404 and "
          "site files), "
          "%.0f MB." % (n, mb, M("files_valo-%d" % n), format(n, ","),
                        int(M("bytes_valo-%d" % n, "0")) / 1e6))
        p("")
        p("| tool | runs | wall s, median (min–max) | CPU s | peak MiB | "
          "pages written | Hugo wall / tool wall | Hugo peak / tool peak |")
        p("|---|---|---|---|---|---|---|---|")
        for key, label in labels:
            s = g(key % n)
            if s is None:
                continue
            rw, rm = ratio_cells(s, h)
            pg = M("pages_" + (key % n), "-") if "j1" not in key else "same"
            p("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
                label, s["n"], wall_cell(s), f2(s["cpu"]), f2(s["peak"], 0),
                pg, rw, rm))
        c, cp = g("cmark-%d" % n), g("cp-%d" % n)
        if c:
            p("| *floor:* cmark-gfm, all bodies in one process (%.1f MB) | %d | "
              "%s | %s | %s | - | - | - |" % (
                  int(M("bodies_%d" % n, "0")) / 1e6, c["n"], wall_cell(c),
                  f2(c["cpu"]), f2(c["peak"], 0)))
        if cp:
            p("| *floor:* `cp -r` of Valo's output, tmpfs to tmpfs | %d | %s | "
              "%s | %s | - | - | - |" % (cp["n"], wall_cell(cp),
                                         f2(cp["cpu"]), f2(cp["peak"], 0)))
        p("")
        v = g("valo-%d" % n)
        if v and c:
            p("Valo / cmark-gfm floor: %.2f× wall, %.2f× CPU." % (
                v["wall"] / c["wall"], v["cpu"] / c["cpu"]))
            p("")

    v, j1 = g("valo-10000"), g("valo-10000-j1")
    if v and j1:
        p("## Threads (10k, tmpfs)")
        p("")
        p("| threads | wall s | CPU s | CPU / wall |")
        p("|---|---|---|---|")
        p("| `--jobs 1` | %s | %s | %s |" % (wall_cell(j1), f2(j1["cpu"]),
                                            f2(j1["cpu"] / j1["wall"])))
        p("| default (%s cores) | %s | %s | %s |" % (
            M("nproc"), wall_cell(v), f2(v["cpu"]), f2(v["cpu"] / v["wall"])))
        p("")
        p("Speed-up of the default over `--jobs 1`: %.2f×. Output identical "
          "(`diff -r` of the two trees): **%s**." % (
              j1["wall"] / v["wall"], M("identical_jobs", "not checked")))
        p("")

    v, pl = g("valo-10000"), g("valo-10000-plain")
    if v and pl:
        p("## Plain language (10k, tmpfs)")
        p("")
        p("The bench site turns the plain-language checks off, as the anchors "
          "do no such analysis; with the defaults of a Finnish site "
          "(`[plain]` unset) every page rendered is also checked and the "
          "build prints the counts.")
        p("")
        p("| build | wall s | CPU s | peak MiB |")
        p("|---|---|---|---|")
        p("| checks off (the bench site) | %s | %s | %s |" % (
            wall_cell(v), f2(v["cpu"]), f2(v["peak"], 0)))
        p("| checks on (the defaults) | %s | %s | %s |" % (
            wall_cell(pl), f2(pl["cpu"]), f2(pl["peak"], 0)))
        p("")
        p("Cost of the checks: +%.0f %% wall, +%.0f %% CPU." % (
            100 * (pl["wall"] / v["wall"] - 1), 100 * (pl["cpu"] / v["cpu"] - 1)))
        p("")

    se = g("valo-10000-search")
    if v and se:
        p("## Search index (10k, tmpfs)")
        p("")
        p("The bench theme has no search page, as the anchors make no "
          "index; with the default theme's search page and strings Valo "
          "writes the index under `haku/data/` (%s bytes in %s files) "
          "while the pages render." % (M("search_bytes"), M("search_files")))
        p("")
        p("| build | wall s | CPU s | peak MiB |")
        p("|---|---|---|---|")
        p("| without search (the bench site) | %s | %s | %s |" % (
            wall_cell(v), f2(v["cpu"]), f2(v["peak"], 0)))
        p("| with search | %s | %s | %s |" % (
            wall_cell(se), f2(se["cpu"]), f2(se["peak"], 0)))
        p("")
        p("hyperfine medians (all runs of one, then all of the other): "
          "+%.0f %% wall, +%.0f %% CPU." % (
            100 * (se["wall"] / v["wall"] - 1), 100 * (se["cpu"] / v["cpu"] - 1)))
        sp = pair_walls(d, "search-pair-search.time", "search-pair-plain.time")
        if sp:
            rs = sorted(s / b for s, b in sp if b > 0)
            p("")
            p("Paired (GNU time wall, %d alternating pairs): with / without "
              "search per pair, median **+%.1f %%** (quartiles +%.1f %% and "
              "+%.1f %%); medians %.3f s and %.3f s. Cost of the index "
              "(target: at most +20 %% wall): the median paired ratio." % (
                  len(rs), 100 * (statistics.median(rs) - 1),
                  100 * (rs[len(rs) // 4] - 1), 100 * (rs[3 * len(rs) // 4] - 1),
                  statistics.median(s for s, _ in sp),
                  statistics.median(b for _, b in sp)))
        p("")

    vd, cd = g("valo-10000-disk"), g("cp-10000-disk")
    if vd or cd:
        p("## 10k, output on disk (%s)" % M("fs_disk"))
        p("")
        p("Each run's `--prepare` removes the previous tree and runs `sync`, "
          "so no run pays for the previous one's writeback; the writeback of a "
          "run's own files is not waited for (neither tool calls fsync).")
        p("")
        p("| what | runs | wall s, median (min–max) | CPU s | peak MiB |")
        p("|---|---|---|---|---|")
        if vd:
            p("| Valo | %d | %s | %s | %s |" % (vd["n"], wall_cell(vd),
                                              f2(vd["cpu"]), f2(vd["peak"], 0)))
        if cd:
            p("| *floor:* `cp -r` of Valo's output tree (from tmpfs) | %d | %s | "
              "%s | - |" % (cd["n"], wall_cell(cd), f2(cd["cpu"])))
        if vd and cd:
            p("")
            p("Valo / `cp -r`, hyperfine medians: %.2f× wall." % (vd["wall"] / cd["wall"]))
        pmed, ptext = pairs_line(d)
        if pmed is not None:
            p("")
            p("Paired (GNU time wall, each run after `rm -rf` + `sync`): %s." % ptext)
        p("")

    w = g("warm-10000")
    if w:
        p("## Warm rebuild (10k, tmpfs)")
        p("")
        p("Each run: restore `%s`, build into OUT, touch a marker, append a "
          "sentence to that page (all untimed), then the timed build into the "
          "same OUT. Files newer than the marker after the last run: **%s** of "
          "%s%s. Edited text present in the output: %s." % (
              M("warm_page"), M("warm_changed"), M("warm_files"),
              "" if M("warm_changed") in ("0", "1") else
              " (see build/bench/results/warm-changed.txt)",
              M("warm_has_edit")))
        p("")
        p("| what | runs | wall s, median (min–max) | CPU s | peak MiB |")
        p("|---|---|---|---|---|")
        p("| Valo rebuild after one edit | %d | %s | %s | %s |" % (
            w["n"], wall_cell(w), f2(w["cpu"]), f2(w["peak"], 0)))
        if v:
            p("| Valo cold build (for comparison) | %d | %s | %s | %s |" % (
                v["n"], wall_cell(v), f2(v["cpu"]), f2(v["peak"], 0)))
        p("")

    gsrc, gpub, grep_ = g("valo-10000-source"), g("valo-10000-publish"), g("valo-10000-republish")
    gbase = g("valo-10000-baseline")
    if gsrc or gpub or gbase:
        p("## 10k from git: `build --source HEAD` and `publish` (tmpfs)")
        p("")
        p("The 10k site committed to a repository of its own and packed "
          "(`git gc`; objects %s), on tmpfs. `publish` writes %s files into "
          "the repository and commits them to `pages`; a cold publish runs "
          "after the branch and its objects were removed (not timed), a "
          "republish finds the same site and makes no commit (commits on "
          "`pages` at the end: %s). `--source HEAD` output identical to the "
          "folder build (`diff -r`): %s." % (
              M("git_site_pack"), M("publish_files"), M("publish_commits"),
              M("identical_source", "not checked")))
        p("")
        p("| what | runs | wall s, median (min–max) | CPU s | peak MiB | wall / folder build |")
        p("|---|---|---|---|---|---|")
        for s_, label in ((v, "Valo, folder build (the 10k row above)"),
                          (gbase, "Valo before this version (%s), folder build" % M("v_baseline", "?")),
                          (gsrc, "`build --source HEAD`"),
                          (gpub, "`publish`, cold"),
                          (grep_, "`publish`, nothing changed")):
            if s_:
                p("| %s | %d | %s | %s | %s | %s |" % (
                    label, s_["n"], wall_cell(s_), f2(s_["cpu"]), f2(s_["peak"], 0),
                    "%.2f×" % (s_["wall"] / v["wall"]) if v else "-"))
        p("")

    vg, hg, hgi, gl = g("valo-git"), g("hugo-git"), g("hugo-git-info"), g("git-log")
    vn, vh, vc = g("valo-git-nohist"), g("valo-git-hist"), g("valo-git-hist-cold")
    vnn, vnh = g("valo-git-notes-nohist"), g("valo-git-notes")
    if vg or hg or gl or vh:
        p("## History: 1k pages, 2,000 commits (tmpfs)")
        p("")
        p("Corpus: `gen-corpus.py --pages 1000 --commits 2000 --seed 1` "
          "(.git %s), cloned with settings and the default theme committed on "
          "top. Valo with history writes every page's history page besides "
          "the pages; the corpus's commits carry no change notes, so they are "
          "all minor. \"Every commit noted\" is the same history with a change "
          "note in every commit (tests/bench/addnotes.py): %s change views." %
          (M("git_size"), M("change_views")))
        p("")
        p("| what | runs | wall s, median (min–max) | CPU s | peak MiB | × without history |")
        p("|---|---|---|---|---|---|")
        for s, base, label in (
                (vg, None, "Valo, plain (bench theme)"),
                (vn, None, "Valo `--no-history`"),
                (vh, vn, "Valo with history (walk cached)"),
                (vc, vn, "Valo with history, cold (no walk cache)"),
                (vnn, None, "Every commit noted: `--no-history`"),
                (vnh, vnn, "Every commit noted: with history and change views"),
                (hg, None, "Hugo, plain"), (hgi, hg, "Hugo `--enableGitInfo`"),
                (gl, None, "`git log --name-only --format=%H`")):
            if s:
                p("| %s | %d | %s | %s | %s | %s |" % (
                    label, s["n"], wall_cell(s), f2(s["cpu"]), f2(s["peak"], 0),
                    "%.2f×" % (s["wall"] / base["wall"]) if base else "-"))
        p("")
        if vn and vc:
            p("Valo's history cost, cold: %.2f× its build without history "
              "(target: at most 1.5×)." % (vc["wall"] / vn["wall"]))
        if hg and hgi:
            p("Hugo's GitInfo cost: %.2f× its plain build." % (hgi["wall"] / hg["wall"]))
        p("")
        ln, lh, lc = g("valo-git10-nohist"), g("valo-git10-hist"), g("valo-git10-hist-cold")
        if ln:
            p("10,000 pages, 20,000 commits (BENCH_LARGE=1):")
            p("")
            p("| what | runs | wall s, median (min–max) | CPU s | peak MiB | × without history |")
            p("|---|---|---|---|---|---|")
            for s_, base, label in ((ln, None, "Valo `--no-history`"),
                                    (lh, ln, "Valo with history (walk cached)"),
                                    (lc, ln, "Valo with history, cold")):
                if s_:
                    p("| %s | %d | %s | %s | %s | %s |" % (
                        label, s_["n"], wall_cell(s_), f2(s_["cpu"]), f2(s_["peak"], 0),
                        "%.2f×" % (s_["wall"] / base["wall"]) if base else "-"))
            p("")

    sv, sh = serve_load(d, "valo"), serve_load(d, "hugo")
    if sv or sh:
        p("## Preview server (10k, tmpfs)")
        p("")
        p("From a save complete (a temporary file renamed over the page) to the "
          "server answering with the new text, polled every millisecond over one "
          "connection; 20 saves of the text of 20 different pages. Load: `wrk -t2 "
          "-c4 -d10s` against one page, on the same two cores as the server.")
        p("")
        p("| server | start to first page | save to served: median | p90 | max "
          "| front matter | template | data | RSS after | load: requests/s | errors |")
        p("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, r in (("`valo serve`", sv), ("`hugo server`", sh)):
            if not r:
                continue
            ed = r["edits"]
            ld = r.get("load") or {}
            errs = "%s socket, %s non-2xx" % (ld.get("socket_errors") or "no",
                                              ld.get("non2xx", "-")) if ld else "-"
            ms = lambda k: ("%.0f ms" % r[k]) if r.get(k) is not None else "-"
            p("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %s | %s | %s | %.0f MiB | %s | %s |" % (
                name, r["start_ms"], pct(ed, 50), pct(ed, 90), max(ed),
                ms("front_matter_ms"), ms("template_ms"), ms("data_ms"),
                r["memory_kib"]["VmRSS"] / 1024,
                "%.0f" % ld["rps"] if ld.get("rps") else "-", errs))
        p("")
        if sv:
            p("Valo's saves of a page's text render that page alone; a front "
              "matter edit renders what shows the page (its section, neighbours, "
              "links to it) after loading the site again; the template edit "
              "renders every page that uses it.")
            p("")

    e = g("example")
    if e:
        p("## Example site")
        p("")
        p("`valo -C <repo> build --out /dev/shm/valo-bench/example` (%s "
          "Markdown files, %s output files): wall %s s, CPU %s s, peak %s MiB "
          "(%d runs)." % (M("pages_example"), M("files_example"), wall_cell(e),
                          f2(e["cpu"]), f2(e["peak"], 0), e["n"]))
        p("")

    # ---- targets ----
    T = []

    def le(what, limit, val, unit, fmt="%.3f"):
        if val is None:
            T.append((what, "≤ " + (fmt % limit) + unit, "not measured", "-"))
            return
        ok = val <= limit
        T.append((what, "≤ " + (fmt % limit) + unit, (fmt % val) + unit,
                  "PASS" if ok else "**FAIL** (%.2f× the limit)" % (val / limit)))

    def ge(what, limit, val):
        if val is None:
            T.append((what, "≥ %.1f×" % limit, "not measured", "-"))
            return
        ok = val >= limit
        T.append((what, "≥ %.1f×" % limit, "%.2f×" % val,
                  "PASS" if ok else "**FAIL** (%.0f%% of the target)" % (100 * val / limit)))

    v = g("valo-10000")
    h = g("hugo-10000")
    c = g("cmark-10000")
    le("10k cold, tmpfs: wall (median)", 1.0, v and v["wall"], " s")
    le("10k cold, tmpfs: CPU user+sys (median)", 1.5, v and v["cpu"], " s", "%.2f")
    le("10k cold, tmpfs: peak RSS", 100, v and v["peak"], " MiB", "%.0f")
    ge("10k: Hugo wall / Valo wall (same run)", 6, ratio(h and h["wall"], v and v["wall"]))
    ge("10k: Hugo peak RSS / Valo peak RSS", 10, ratio(h and h["peak"], v and v["peak"]))
    le("10k: Valo wall / cmark-gfm floor wall", 1.5,
       ratio(v and v["wall"], c and c["wall"]), "×", "%.2f")
    if vd or cd:
        pmed, _ = pairs_line(d)
        le("10k to disk: Valo wall / `cp -r` of its output (%s)" % (
            "median of paired runs" if pmed is not None else "hyperfine medians"),
           1.25, pmed if pmed is not None else ratio(vd and vd["wall"], cd and cd["wall"]),
           "×", "%.2f")
    if M("large") == "1":
        v100 = g("valo-100000")
        le("100k: wall / 10k wall (medians)", 11,
           ratio(v100 and v100["wall"], v and v["wall"]), "×", "%.1f")
        if v100 and v:
            T[-1] = T[-1][:2] + (T[-1][2] + " (%.2f s / %.3f s; fastest runs: %.1f×)" % (
                v100["wall"], v["wall"], v100["min"] / v["min"]),) + T[-1][3:]
        le("100k: peak RSS", 400, v100 and v100["peak"], " MiB", "%.0f")
    else:
        T.append(("100k: wall ≤ 11× 10k, peak ≤ 400 MiB", "-",
                  "not run (BENCH_LARGE=1)", "-"))
    le("Warm rebuild, one page edited: wall", 0.25, w and w["wall"], " s")
    le("`valo serve`: save to served, median of 20 pages' text", 100,
       sv and pct(sv["edits"], 50), " ms", "%.0f")
    le("`valo serve`: save to served, p90", 150, sv and pct(sv["edits"], 90), " ms", "%.0f")
    if sv and sv.get("load"):
        ld = sv["load"]
        okl = ld.get("rps") and not ld.get("socket_errors") and not ld.get("non2xx")
        T.append(("`valo serve` under load (wrk, 4 connections, 10 s)", "no errors",
                  "%s requests/s, %s" % ("%.0f" % ld["rps"] if ld.get("rps") else "-",
                                         "no errors" if okl else "errors"),
                  "PASS" if okl else "**FAIL**"))
    if w:
        ch = int(M("warm_changed", "-1"))
        T.append(("Warm rebuild: only changed files rewritten", "1 file (the edited page)",
                  "%d file%s newer than the first build" % (ch, "" if ch == 1 else "s"),
                  "PASS" if ch == 1 else "**FAIL**"))
    if v and j1:
        util = v["cpu"] / v["wall"]
        T.append(("Both cores used (10k: CPU / wall of the default build)", "≥ 1.5",
                  "%.2f (speed-up over `--jobs 1`: %.2f×)" % (util, j1["wall"] / v["wall"]),
                  "PASS" if util >= 1.5 else "**FAIL**"))
    gsrc, gpub = g("valo-10000-source"), g("valo-10000-publish")
    gbase = g("valo-10000-baseline")
    le("10k `build --source HEAD` wall / folder build wall", 1.25,
       ratio(gsrc and gsrc["wall"], v and v["wall"]), "×", "%.2f")
    le("10k `publish` (cold) wall / folder build wall", 1.5,
       ratio(gpub and gpub["wall"], v and v["wall"]), "×", "%.2f")
    if gbase:
        le("10k folder build: no regression (wall / the baseline's, same run)", 1.05,
           ratio(v and v["wall"], gbase["wall"]), "×", "%.2f")
    ids = M("identical_source", None)
    T.append(("`--source HEAD` output identical to the folder build", "identical",
              ids or "not checked", "PASS" if ids == "yes" else "**FAIL**" if ids else "-"))
    idj = M("identical_jobs", None)
    T.append(("Output identical with `--jobs 1` and default (`diff -r`)", "identical",
              idj or "not checked", "PASS" if idj == "yes" else "**FAIL**" if idj else "-"))

    p("## Targets")
    p("")
    p("| target | limit | measured | result |")
    p("|---|---|---|---|")
    for row in T:
        p("| %s | %s | %s | %s |" % row)
    p("")
    npass = sum(1 for r in T if r[3] == "PASS")
    nfail = sum(1 for r in T if r[3].startswith("**FAIL"))
    p("%d targets pass, %d fail." % (npass, nfail))
    p("")
    if notes:
        p("## Notes")
        p("")
        for n in notes:
            p("- " + n)
        p("")
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "pairs":
        print("disk pairs: " + pairs_line(sys.argv[2])[1])
    elif len(sys.argv) == 4 and sys.argv[1] == "summary":
        print(summary(sys.argv[2], sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        sys.stdout.write(report(sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
