/*
 * Valo's search page: reads the index that `valo build` writes (its format
 * is described in generator/search.c, above search_index) and shows the
 * pages a query finds. The only script of the site, and only on the
 * search page (search.mustache); without it that page lists every page
 * from A to Ö instead.
 *
 * A query is split, folded and stemmed exactly as search.c does the
 * pages: fold() and isWord() are its tables, stemFinnish() a port of the
 * Snowball Finnish stemmer that libstemmer 2.2 has, with search.c's two
 * additions. If one changes, the other must, and
 * tests/browser/search.test.mjs compares them.
 *
 * One query reads the manifest, the shard its word is in (and for a
 * prefix the shards after it, up to SHARD_BUDGET bytes) and the chunks
 * of the page list that hold the results it shows.
 */
(function () {
	'use strict';

	var SHOWN = 10;			/* results shown at a time */
	var TERMS = 6;			/* words of a query looked up, at most */
	var SHARD_BUDGET = 160000;	/* bytes of shards one query reads */
	var WORD_MAX = 48;		/* bytes: SEARCH_WORD_MAX */
	var PREFIX_FACTOR = 0.5;	/* a longer word's match, against the word's */
	var DELAY = 250;		/* ms of no typing before a search */

	/* search_fold() of search.c. */
	function fold(c) {
		if (c < 0x80)
			return c >= 0x41 && c <= 0x5A ? c + 32 : c;
		if (c >= 0xC0 && c <= 0xDE && c !== 0xD7)
			return c + 32;
		if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
		    (c >= 0x14A && c <= 0x177) || (c >= 0x200 && c <= 0x21F) ||
		    (c >= 0x222 && c <= 0x233))
			return c | 1;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return c & 1 ? c + 1 : c;
		if (c === 0x130)
			return 0x69;
		if (c === 0x178)
			return 0xFF;
		if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
			return c + 32;
		if (c === 0x386)
			return 0x3AC;
		if (c >= 0x388 && c <= 0x38A)
			return c + 37;
		if (c === 0x38C)
			return 0x3CC;
		if (c === 0x38E || c === 0x38F)
			return c + 63;
		if (c >= 0x410 && c <= 0x42F)
			return c + 32;
		if (c >= 0x400 && c <= 0x40F)
			return c + 80;
		return c;
	}

	/* search_is_word() of search.c. */
	function isWord(c) {
		if (c < 0x80)
			return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) ||
			    (c >= 0x41 && c <= 0x5A);
		return (c >= 0xC0 && c <= 0x24F && c !== 0xD7 && c !== 0xF7) ||
		    (c >= 0x370 && c <= 0x3FF && c !== 0x37E && c !== 0x387) ||
		    (c >= 0x400 && c <= 0x4FF);
	}

	function utf8Length(c) {
		return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	}

	/*
	 * The words of s (composed: NFC) as search_words() finds them, each
	 * {word (folded), start, end} (offsets in s, for marking); words of
	 * one character or over WORD_MAX bytes are left out.
	 */
	function words(s) {
		var out = [], cur = '', bytes = 0, chars = 0, start = -1, i, at, c;

		for (i = 0; i <= s.length; i++) {
			at = i;
			c = i < s.length ? s.codePointAt(i) : 0x20;
			if (c > 0xFFFF)
				i++;
			if (c === 0xAD || (c >= 0x300 && c < 0x370))
				continue;
			if (isWord(c)) {
				if (start < 0)
					start = at;
				c = fold(c);
				cur += String.fromCodePoint(c);
				bytes += utf8Length(c);
				chars++;
				continue;
			}
			if (chars >= 2 && bytes <= WORD_MAX)
				out.push({ word: cur, start: start, end: at });
			cur = '';
			bytes = chars = 0;
			start = -1;
		}
		return out;
	}

	/*
	 * The Snowball Finnish stemmer as libstemmer 2.2 has it (Snowball's
	 * algorithms/finnish.sbl), on a folded word. Offsets are of UTF-16
	 * units, which for these letters are characters, as libstemmer's
	 * are. A suffix list is longest first: the first that ends the word
	 * (at or after lb) and whose condition holds is Snowball's among.
	 */
	var V1 = 'aeiouyäö', V2 = 'aeiouäö', AEI = 'aäei';
	var CONS = 'bcdfghjklmnpqrstvwxz', PARTICLE_END = 'aeiouyäönt';

	function has(set, ch) {
		return ch !== undefined && ch !== '' && set.indexOf(ch) >= 0;
	}

	function stemFinnish(word) {
		var w = word, p1 = w.length, p2 = w.length, removed = false;

		function endsAt(s, pos, lb) {
			return pos - s.length >= (lb || 0) &&
			    w.slice(pos - s.length, pos) === s;
		}
		function long(pos, lb) {
			return pos - 2 >= lb && w[pos - 1] === w[pos - 2] &&
			    has('aeiouäö', w[pos - 1]);
		}
		function vi(pos, lb) {
			return pos - 2 >= lb && w[pos - 1] === 'i' &&
			    has(V2, w[pos - 2]);
		}
		/* The entry [suffix, action, condition] among list, or null. */
		function among(list, lb) {
			var k, e, start;
			for (k = 0; k < list.length; k++) {
				e = list[k];
				start = w.length - e[0].length;
				if (endsAt(e[0], w.length, lb) &&
				    (!e[2] || e[2](start, lb)))
					return e;
			}
			return null;
		}
		function cut(at) {
			w = w.slice(0, at);
		}

		var PARTICLES = [['kaan', 1], ['kään', 1], ['kin', 1],
		    ['han', 1], ['hän', 1], ['sti', 2], ['ko', 1], ['kö', 1],
		    ['pa', 1], ['pä', 1]];
		var POSSESSIVES = [['nsa', 3], ['nsä', 3], ['mme', 3],
		    ['nne', 3], ['ni', 2], ['si', 1], ['an', 4], ['än', 5],
		    ['en', 6]];
		var CASES = [['siin', 0, vi], ['seen', 0, long], ['tten', 0, vi],
		    ['lla', 0], ['ssa', 0], ['lta', 0], ['sta', 0], ['tta', 2],
		    ['llä', 0], ['ssä', 0], ['ltä', 0], ['stä', 0], ['ttä', 2],
		    ['lle', 0], ['ine', 0], ['ksi', 0], ['han', 1], ['den', 0, vi],
		    ['hen', 2], ['hin', 3], ['hon', 4], ['hän', 5], ['hön', 6],
		    ['na', 0], ['ta', 0], ['nä', 0], ['tä', 0], ['a', 8],
		    ['ä', 8], ['n', 7]];
		var OTHERS = [['imma', 0], ['impa', 0], ['immi', 0], ['impi', 0],
		    ['immä', 0], ['impä', 0], ['eja', 0], ['ejä', 0], ['mma', 1],
		    ['mpa', 1], ['mmi', 1], ['mpi', 1], ['mmä', 1], ['mpä', 1]];
		var ESSIVE = ['lla', 'na', 'ssa', 'ta', 'lta', 'sta'];
		var ESSIVE_A = ['llä', 'nä', 'ssä', 'tä', 'ltä', 'stä'];
		var i, e, start, bra, x;

		function endsAny(list, pos) {
			for (var k = 0; k < list.length; k++)
				if (endsAt(list[k], pos))
					return true;
			return false;
		}

		/* mark_regions */
		i = 0;
		while (i < w.length && !has(V1, w[i]))
			i++;
		if (i < w.length) {
			while (i < w.length && has(V1, w[i]))
				i++;
			if (i < w.length) {
				p1 = ++i;
				while (i < w.length && !has(V1, w[i]))
					i++;
				if (i < w.length) {
					while (i < w.length && has(V1, w[i]))
						i++;
					if (i < w.length)
						p2 = i + 1;
				}
			}
		}

		/* particle_etc */
		if (w.length >= p1 && (e = among(PARTICLES, p1))) {
			start = w.length - e[0].length;
			if (e[1] === 1 ? has(PARTICLE_END, w[start - 1]) :
			    p2 <= start)
				cut(start);
		}
		/* possessive */
		if (w.length >= p1 && (e = among(POSSESSIVES, p1))) {
			start = w.length - e[0].length;
			switch (e[1]) {
			case 1:
				if (w[start - 1] !== 'k')
					cut(start);
				break;
			case 2:
				cut(start);
				if (endsAt('kse', w.length))
					w = w.slice(0, -3) + 'ksi';
				break;
			case 3:
				cut(start);
				break;
			case 4:
				if (endsAny(ESSIVE, start))
					cut(start);
				break;
			case 5:
				if (endsAny(ESSIVE_A, start))
					cut(start);
				break;
			case 6:
				if (endsAny(['lle', 'ine'], start))
					cut(start);
				break;
			}
		}
		/* case_ending */
		if (w.length >= p1 && (e = among(CASES, p1))) {
			start = bra = w.length - e[0].length;
			var ok = true;
			switch (e[1]) {
			case 1: ok = w[start - 1] === 'a'; break;
			case 2: ok = w[start - 1] === 'e'; break;
			case 3: ok = w[start - 1] === 'i'; break;
			case 4: ok = w[start - 1] === 'o'; break;
			case 5: ok = w[start - 1] === 'ä'; break;
			case 6: ok = w[start - 1] === 'ö'; break;
			case 7:
				if (long(start, 0) || endsAt('ie', start))
					bra = start - 1;
				break;
			case 8:
				ok = has(V1, w[start - 1]) && has(CONS, w[start - 2]);
				break;
			}
			if (ok) {
				cut(bra);
				removed = true;
			}
		}
		/* other_endings */
		if (w.length >= p2 && (e = among(OTHERS, p2))) {
			start = w.length - e[0].length;
			if (e[1] !== 1 || !endsAt('po', start))
				cut(start);
		}
		if (removed) {
			/* i_plural */
			if (w.length - 1 >= p1 && has('ij', w[w.length - 1]))
				cut(w.length - 1);
		} else if (w.length - 2 >= p1 && w[w.length - 1] === 't' &&
		    has(V1, w[w.length - 2])) {
			/* t_plural */
			cut(w.length - 1);
			if (w.length >= p2 && (e = among([['imma', 0],
			    ['mma', 1]], p2))) {
				start = w.length - e[0].length;
				if (e[1] !== 1 || !endsAt('po', start))
					cut(start);
			}
		}
		/* tidy */
		if (w.length >= p1) {
			if (long(w.length, p1))
				cut(w.length - 1);
			if (w.length - 2 >= p1 && has(AEI, w[w.length - 1]) &&
			    has(CONS, w[w.length - 2]))
				cut(w.length - 1);
			if (w.length - 2 >= p1 && w[w.length - 1] === 'j' &&
			    has('ou', w[w.length - 2]))
				cut(w.length - 1);
			if (w.length - 2 >= p1 && w[w.length - 1] === 'o' &&
			    w[w.length - 2] === 'j')
				cut(w.length - 1);
			i = w.length;
			while (i > 0 && has(V1, w[i - 1]))
				i--;
			if (i > 0 && has(CONS, w[i - 1])) {
				x = w[i - 1];
				if (i >= 2 && w[i - 2] === x)
					w = w.slice(0, i - 1) + w.slice(i);
			}
		}
		return w;
	}

	/* search_stem() of search.c: the stemmer and its two additions. */
	function stem(word, stemmer) {
		var w = word;

		if (stemmer !== 'finnish' || /[0-9]/.test(w))
			return w;
		if (w.length >= 5 && w.slice(-4) === 'inen')
			w = w.slice(0, -3) + 'se';
		w = stemFinnish(w);
		if (w.length >= 4 && w.slice(-2) === 'ks' &&
		    has(V1, w[w.length - 3]))
			w = w.slice(0, -2) + 's';
		return w;
	}

	/* For the tests, in Node: the same functions as the page uses. */
	if (typeof module === 'object' && module.exports) {
		module.exports = { fold: fold, isWord: isWord, words: words,
		    stem: stem };
		return;
	}

	var root = document.getElementById('search');
	if (!root || !window.fetch || !window.Map || !''.normalize)
		return;
	var form = root.querySelector('form');
	var input = document.getElementById('search-q');
	var status = document.getElementById('search-status');
	var list = document.getElementById('search-results');
	var more = document.getElementById('search-more');
	var indexUrl = form.getAttribute('data-index');
	var base = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
	var said = {};
	['none', 'one', 'many', 'loading', 'error', 'short'].forEach(function (k) {
		said[k] = form.getAttribute('data-' + k) || '';
	});

	var manifest = null;	/* a promise of index.json */
	var files = {};		/* url -> promise of its JSON */
	var seq = 0;		/* the query now shown; older ones are dropped */
	var timer = null;
	var found = null;	/* {pages, keys, m}: the results of the query */
	var shownCount = 0;

	function getJSON(url, fresh) {
		if (!fresh && files[url])
			return files[url];
		var p = fetch(url, fresh ? { cache: 'no-cache' } : {}).then(
		    function (r) {
			if (!r.ok)
				throw new Error(url + ': ' + r.status);
			return r.json();
		    });
		if (!fresh) {
			files[url] = p;
			p.catch(function () { delete files[url]; });
		}
		return p;
	}

	function getManifest() {
		if (!manifest) {
			manifest = getJSON(indexUrl, true);
			manifest.catch(function () { manifest = null; });
		}
		return manifest;
	}

	function fileUrl(m, name) {
		return base + name + '?v=' + m.hash;
	}

	/* The shard that key is in: the last whose first word is <= key. */
	function shardOf(m, key) {
		var lo = 0, hi = m.shards.length, mid;
		while (lo < hi) {
			mid = (lo + hi) >> 1;
			if (m.shards[mid][0] <= key)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo > 0 ? lo - 1 : 0;
	}

	/*
	 * The shards the keys need, while the budget lasts: each key's own
	 * (the first always), then those after it that begin with it, which
	 * hold longer words.
	 */
	function shardsFor(m, keys) {
		var want = {}, order = [], used = 0, k, i, j;
		for (k = 0; k < keys.length && m.shards.length; k++) {
			i = shardOf(m, keys[k]);
			if (want[i] || (order.length &&
			    used + m.shards[i][1] > SHARD_BUDGET))
				continue;
			want[i] = true;
			order.push(i);
			used += m.shards[i][1];
		}
		for (k = 0; k < keys.length && m.shards.length; k++) {
			for (j = shardOf(m, keys[k]) + 1; j < m.shards.length &&
			    m.shards[j][0].lastIndexOf(keys[k], 0) === 0; j++) {
				if (want[j])
					continue;
				if (used + m.shards[j][1] > SHARD_BUDGET)
					break;
				want[j] = true;
				order.push(j);
				used += m.shards[j][1];
			}
		}
		return order;
	}

	/* page -> best score of a word that begins with key. */
	function scoresOf(shards, key) {
		var best = new Map();
		shards.forEach(function (sh) {
			Object.keys(sh).forEach(function (s) {
				var v, k, page = 0, sc, f;
				if (s.lastIndexOf(key, 0) !== 0)
					return;
				f = s === key ? 1 : PREFIX_FACTOR;
				v = sh[s];
				for (k = 0; k + 1 < v.length; k += 2) {
					page += v[k];
					sc = v[k + 1] * f;
					if (!(best.get(page) >= sc))
						best.set(page, sc);
				}
			});
		});
		return best;
	}

	/*
	 * The pages for keys, best first: those with every key if there are
	 * any, else those with any; by how many keys they have, then score.
	 */
	function rank(shards, keys) {
		var total = new Map(), count = new Map(), pages, all;
		keys.forEach(function (key) {
			scoresOf(shards, key).forEach(function (sc, page) {
				total.set(page, (total.get(page) || 0) + sc);
				count.set(page, (count.get(page) || 0) + 1);
			});
		});
		pages = Array.from(total.keys());
		all = pages.filter(function (p) {
			return count.get(p) === keys.length;
		});
		if (all.length)
			pages = all;
		return pages.sort(function (a, b) {
			return count.get(b) - count.get(a) ||
			    total.get(b) - total.get(a) || a - b;
		});
	}

	/* Appends text to el, each word that matches a key in <mark>. */
	function marked(el, text, keys, stemmer) {
		var at = 0;

		text = text.normalize('NFC');
		words(text).forEach(function (w) {
			var s = stem(w.word, stemmer);
			var hit = keys.some(function (k) {
				return s.lastIndexOf(k, 0) === 0 ||
				    w.word.lastIndexOf(k, 0) === 0;
			});
			if (!hit)
				return;
			el.appendChild(document.createTextNode(text.slice(at,
			    w.start)));
			var m = document.createElement('mark');
			m.textContent = text.slice(w.start, w.end);
			el.appendChild(m);
			at = w.end;
		});
		el.appendChild(document.createTextNode(text.slice(at)));
	}

	function say(text) {
		status.textContent = text;
	}

	function clear() {
		list.textContent = '';
		list.hidden = true;
		more.hidden = true;
		found = null;
		shownCount = 0;
	}

	/* Shows the next SHOWN results; focus on the first if asked. */
	function showMore(mine, focus) {
		var f = found, m = f.m, next = f.pages.slice(shownCount,
		    shownCount + SHOWN), need = {};
		next.forEach(function (p) { need[Math.floor(p / m.chunk)] = 1; });
		var chunks = Object.keys(need).map(Number);
		return Promise.all(chunks.map(function (c) {
			return getJSON(fileUrl(m, 'p' + c + '.json'));
		})).then(function (got) {
			var byChunk = {}, first = null;
			if (mine !== seq)
				return;
			chunks.forEach(function (c, k) { byChunk[c] = got[k]; });
			next.forEach(function (p) {
				var e = byChunk[Math.floor(p / m.chunk)][p % m.chunk];
				var li = document.createElement('li');
				var a = document.createElement('a');
				a.href = e[1];
				a.className = 'search-result-title';
				marked(a, e[0], f.keys, m.stemmer);
				li.appendChild(a);
				if (e[2]) {
					var sec = document.createElement('span');
					sec.className = 'search-result-section';
					sec.textContent = e[2];
					li.appendChild(sec);
				}
				if (e[3]) {
					var ex = document.createElement('p');
					ex.className = 'search-result-excerpt';
					marked(ex, e[3], f.keys, m.stemmer);
					li.appendChild(ex);
				}
				list.appendChild(li);
				if (!first)
					first = a;
			});
			shownCount += next.length;
			list.hidden = shownCount === 0;
			more.hidden = shownCount >= f.pages.length;
			if (focus && first)
				first.focus();
		});
	}

	function search(q) {
		var mine = ++seq, slow;
		var terms = words(q.normalize('NFC'));
		if (!q.trim()) {
			clear();
			say('');
			return Promise.resolve();
		}
		if (!terms.length) {
			clear();
			say(said['short']);
			return Promise.resolve();
		}
		slow = setTimeout(function () {
			if (mine === seq)
				say(said.loading);
		}, 400);
		return getManifest().then(function (m) {
			var keys = [];
			terms.forEach(function (t) {
				var k = stem(t.word, m.stemmer);
				if (keys.indexOf(k) < 0 && keys.length < TERMS)
					keys.push(k);
			});
			return Promise.all(shardsFor(m, keys).map(function (i) {
				return getJSON(fileUrl(m, 't' + i + '.json'));
			})).then(function (shards) {
				if (mine !== seq)
					return;
				clear();
				found = { m: m, keys: keys, pages: rank(shards, keys) };
				return showMore(mine, false).then(function () {
					var n = found ? found.pages.length : 0;
					if (mine !== seq)
						return;
					say(n === 0 ? said.none : n === 1 ? said.one :
					    said.many.replace('{n}', String(n)));
				});
			});
		}).catch(function () {
			if (mine === seq) {
				clear();
				say(said.error);
			}
		}).then(function () {
			clearTimeout(slow);
		});
	}

	/* The query in the address, so that back and a shared link work. */
	function remember(q) {
		var url = location.pathname + (q ? '?q=' +
		    encodeURIComponent(q) : '');
		if (window.history && history.replaceState)
			history.replaceState(null, '', url);
	}

	form.addEventListener('submit', function (ev) {
		ev.preventDefault();
		clearTimeout(timer);
		remember(input.value);
		search(input.value);
	});
	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(function () {
			remember(input.value);
			search(input.value);
		}, DELAY);
	});
	more.addEventListener('click', function () {
		if (found)
			showMore(seq, true);
	});

	root.hidden = false;
	var first = new URLSearchParams(location.search).get('q');
	if (first) {
		input.value = first;
		search(first);
	}
}());
