#!/usr/bin/env python3
"""Preview servers under edits and load: valo serve, and hugo server beside it.

  serve.py valo VALO SITE PORT OUT.json     valo serve of SITE (a copy:
                                            its files are edited and put
                                            back)
  serve.py hugo SITE PORT OUT.json          hugo server of SITE, the same

Measures, from the moment a save is complete (an editor's program writes a
temporary file and renames it over the page) to the moment the server
answers with the new text: 20 saves of the text of 20 different pages,
then a save of a page's front matter and of the page template, and (Valo) of a
data file that one page reads. Also the time from start to the first page
served, resident memory after the edits, and a load run of wrk (4
connections, 10 s) against one page. Every file edited is put back.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time

EDITS = 20
POLL = 0.001            # seconds between requests while waiting
TIMEOUT = 30.0          # for one change to be served


def save(path, text):
    """As an editor's program saves: a temporary file renamed over it."""
    tmp = os.path.join(os.path.dirname(path), '.' + os.path.basename(path) + '.tmp')
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.rename(tmp, path)


def get(conn, url):
    conn.request('GET', url, headers={'Cache-Control': 'no-cache'})
    r = conn.getresponse()
    # The text as read: without the soft hyphens of long Finnish words.
    return r.status, r.read().decode('utf-8', 'replace').replace('\u00ad', '')


def wait_for(port, url, needle, t0):
    """Polls url until its body holds needle; returns ms since t0."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        while True:
            try:
                status, body = get(conn, url)
                if status == 200 and needle in body:
                    return (time.monotonic() - t0) * 1000
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
            if time.monotonic() - t0 > TIMEOUT:
                raise SystemExit(f'serve.py: {url} did not show {needle!r} within {TIMEOUT} s')
            time.sleep(POLL)
    finally:
        conn.close()


def rss_kib(pid):
    out = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            k, _, v = line.partition(':')
            if k in ('VmRSS', 'VmHWM'):
                out[k] = int(v.split()[0])
    return out


def url_of(site, md):
    rel = os.path.relpath(md, os.path.join(site, 'content'))
    return '/' + rel[:-3] + '/'


def pages(site, n):
    """n pages spread over the site, the same ones on every run."""
    found = []
    for d, _, files in os.walk(os.path.join(site, 'content')):
        found += [os.path.join(d, f) for f in files
                  if f.endswith('.md') and f != '_index.md']
    found.sort()
    step = max(1, len(found) // (n + 1))
    return found[step::step][:n]


def wrk(port, url):
    try:
        out = subprocess.run(['wrk', '-t2', '-c4', '-d10s', f'http://127.0.0.1:{port}{url}'],
                             capture_output=True, text=True, timeout=60).stdout
    except FileNotFoundError:
        return {'error': 'wrk is not installed'}
    rps = re.search(r'Requests/sec:\s*([\d.]+)', out)
    total = re.search(r'(\d+) requests in', out)
    errors = re.search(r'Socket errors: (.*)', out)
    non2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    return {'rps': float(rps.group(1)) if rps else None,
            'requests': int(total.group(1)) if total else None,
            'socket_errors': errors.group(1).strip() if errors else None,
            'non2xx': int(non2xx.group(1)) if non2xx else 0,
            'url': url}


def start(cmd, port, probe, log):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log,
                         start_new_session=True)
    conn = None
    while True:
        if p.poll() is not None:
            raise SystemExit(f'serve.py: {cmd[0]} ended; see {log.name}')
        try:
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
            status, _ = get(conn, probe)
            if status == 200:
                break
        except (OSError, http.client.HTTPException):
            pass
        finally:
            if conn:
                conn.close()
        if time.monotonic() - t0 > 120:
            p.kill()
            raise SystemExit(f'serve.py: {cmd[0]} did not serve {probe} within 120 s')
        time.sleep(0.005)
    return p, (time.monotonic() - t0) * 1000


def edit_text(port, md, k):
    """Appends a sentence to a page; returns the ms until it is served."""
    with open(md, encoding='utf-8') as f:
        old = f.read()
    marker = f'Muokkaus numero {k} tallennettiin.'
    t0 = time.monotonic()
    save(md, old + f'\n{marker}\n')
    return old, marker, t0


def measure(kind, cmd, site, port, out_path):
    targets = pages(site, EDITS + 1)
    probe = url_of(site, targets[0])
    log = open(out_path + '.log', 'w')
    p, start_ms = start(cmd, port, probe, log)
    res = {'server': kind, 'start_ms': start_ms, 'edits': []}
    restore = {}
    try:
        time.sleep(0.5)
        for k, md in enumerate(targets[1:], 1):
            old, marker, t0 = edit_text(port, md, k)
            restore.setdefault(md, old)
            res['edits'].append(wait_for(port, url_of(site, md), marker, t0))
            time.sleep(0.3)
        # Front matter: the title, which its section and neighbours show.
        md = targets[1]
        with open(md, encoding='utf-8') as f:
            text = f.read()
        restore.setdefault(md, text)
        title = 'Otsikko muutettiin vertailua varten'
        t0 = time.monotonic()
        save(md, re.sub(r'^title: .*$', f'title: "{title}"', text, count=1, flags=re.M))
        res['front_matter_ms'] = wait_for(port, url_of(site, md), title, t0)
        time.sleep(0.3)
        # The page template, which every regular page uses.
        tpl = os.path.join(site, *(('themes', 'bench', 'templates', 'page.mustache')
                                   if kind == 'valo' else
                                   ('layouts', '_default', 'single.html')))
        with open(tpl, encoding='utf-8') as f:
            text = f.read()
        restore.setdefault(tpl, text)
        t0 = time.monotonic()
        # Visible text: Go templates drop HTML comments.
        save(tpl, text.replace('</main>', '<p>pohja muutettiin</p></main>', 1))
        res['template_ms'] = wait_for(port, url_of(site, targets[5]),
                                      'pohja muutettiin', t0)
        time.sleep(0.5)
        if kind == 'valo':
            # A data file, which one page's table reads.
            csv = os.path.join(site, 'content', 'data', 'luvut.csv')
            t0 = time.monotonic()
            save(csv, 'vuosi,asukkaita\n2025,70123\n')
            res['data_ms'] = wait_for(port, '/taulukko/', '2025', t0)
            time.sleep(0.3)
        res['memory_kib'] = rss_kib(p.pid)
        res['load'] = wrk(port, url_of(site, targets[2]))
    finally:
        for path, text in restore.items():
            save(path, text)
        os.killpg(p.pid, signal.SIGINT)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        res['exit'] = p.returncode
        log.close()
    with open(out_path, 'w') as f:
        json.dump(res, f, indent=1)


def main():
    if len(sys.argv) == 6 and sys.argv[1] == 'valo':
        valo, site, port, out = sys.argv[2:]
        # One page reads a data file, for the data edit.
        os.makedirs(os.path.join(site, 'content', 'data'), exist_ok=True)
        save(os.path.join(site, 'content', 'data', 'luvut.csv'),
             'vuosi,asukkaita\n2024,70000\n')
        save(os.path.join(site, 'content', 'taulukko.md'),
             '---\ntitle: Taulukko\n---\n```table\ndata: luvut.csv\n'
             'caption: Asukkaita\n```\n')
        measure('valo', [valo, '-C', site, 'serve', '--port', port], site, int(port), out)
    elif len(sys.argv) == 5 and sys.argv[1] == 'hugo':
        site, port, out = sys.argv[2:]
        measure('hugo', ['hugo', 'server', '-s', site, '--port', port, '--bind', '127.0.0.1',
                         '--disableLiveReload', '--quiet'],
                site, int(port), out)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
