/*
 * Valo's search page: reads the index that `valo build` writes (its format
 * is described in generator/search.c, above search_index) and shows the
 * pages a query finds. The only script of the site, and only on the
 * search page (search.mustache); without it that page lists every page
 * from A to Ö instead.
 *
 * A query is split, folded and stemmed exactly as search.c does the
 * pages: fold() and isWord() are its tables; stemFinnish(),
 * stemSwedish() and stemEnglish() ports of the Snowball stemmers that
 * libstemmer 2.2 has, the Finnish one with search.c's two additions,
 * chosen by the index's "stemmer". If one changes, the other must, and
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

	/*
	 * For stemSwedish and stemEnglish: the first entry of list (a string,
	 * or an array whose first item is the suffix) that ends w at or after
	 * lb. The lists are longest first, so this is the longest, as
	 * Snowball's substring among finds it.
	 */
	function suffixOf(w, list, lb) {
		var k, s;
		for (k = 0; k < list.length; k++) {
			s = typeof list[k] === 'string' ? list[k] : list[k][0];
			if (w.length - s.length >= lb &&
			    w.slice(w.length - s.length) === s)
				return list[k];
		}
		return null;
	}

	/*
	 * Where a region of Snowball begins, looking from i: after the first
	 * letter not in vowels that follows one in vowels; -1 if none does.
	 */
	function regionAfter(w, i, vowels) {
		while (i < w.length && !has(vowels, w[i]))
			i++;
		while (i < w.length && has(vowels, w[i]))
			i++;
		return i < w.length ? i + 1 : -1;
	}

	/*
	 * The Snowball Swedish stemmer as libstemmer 2.2 has it (Snowball's
	 * algorithms/swedish.sbl), on a folded word, offsets as in
	 * stemFinnish. It has only R1, which never begins before the fourth
	 * letter, and a word of under three letters has none.
	 */
	var SV_V = 'aeiouyäåö', SV_S_ENDING = 'bcdfghjklmnoprtvy';
	var SV_MAIN = ['heterna', 'hetens', 'anden', 'heten', 'heter',
	    'arnas', 'ernas', 'ornas', 'andes', 'arens', 'andet', 'arna',
	    'erna', 'orna', 'ande', 'arne', 'aste', 'aren', 'ades', 'erns',
	    'ade', 'are', 'ern', 'ens', 'het', 'ast', 'ad', 'en', 'ar', 'er',
	    'or', 'as', 'es', 'at', 'a', 'e', 's'];
	var SV_PAIRS = ['dd', 'gd', 'nn', 'dt', 'gt', 'kt', 'tt'];
	var SV_OTHER = ['fullt', 'löst', 'lig', 'els', 'ig'];

	function stemSwedish(word) {
		var w = word, p1 = w.length, i, s;

		/* mark_regions */
		if (w.length >= 3 && (i = regionAfter(w, 0, SV_V)) >= 0)
			p1 = Math.max(i, 3);
		/*
		 * main_suffix: only a suffix in R1 counts, so a shorter one
		 * can be taken where a longer begins before it. The letter
		 * before -s may be outside R1.
		 */
		s = suffixOf(w, SV_MAIN, p1);
		if (s && (s !== 's' || has(SV_S_ENDING, w[w.length - 2])))
			w = w.slice(0, -s.length);
		/* consonant_pair: a pair in R1 loses its last letter. */
		if (suffixOf(w, SV_PAIRS, p1))
			w = w.slice(0, -1);
		/* other_suffix: -löst and -fullt lose only the t. */
		s = suffixOf(w, SV_OTHER, p1);
		if (s)
			w = w.slice(0, s === 'löst' || s === 'fullt' ? -1 :
			    -s.length);
		return w;
	}

	/*
	 * The Snowball English (Porter2) stemmer as libstemmer 2.2 has it
	 * (Snowball's algorithms/english.sbl), on a folded word, offsets as
	 * in stemFinnish. Unlike in the Swedish one, a step takes the
	 * longest suffix of the whole word and then does nothing if that is
	 * not in its region: a shorter one is not tried.
	 */
	var EN_V = 'aeiouy', EN_V_WXY = 'aeiouywxY', EN_LI = 'cdeghkmnrt';
	/* exception1: words stemmed by hand, or left as they are. */
	var EN_WORDS = { skis: 'ski', skies: 'sky', dying: 'die',
	    lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
	    ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl',
	    sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas',
	    cosmos: 'cosmos', bias: 'bias', andes: 'andes' };
	/* exception2: words after step 1a that the other steps would spoil. */
	var EN_KEEP = ['inning', 'outing', 'canning', 'herring', 'earring',
	    'proceed', 'exceed', 'succeed'];
	/* R1 of a word that begins so is after this, not where it would be. */
	var EN_PREFIX = /^(gener|commun|arsen)/;
	var EN_1A = ['sses', 'ied', 'ies', 'ss', 'us', 's'];
	var EN_1B = ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed'];
	var EN_DOUBLE = ['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt'];
	/* [suffix, replacement, the letters one of which must precede it] */
	var EN_2 = [['ization', 'ize'], ['ational', 'ate'],
	    ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
	    ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'],
	    ['entli', 'ent'], ['ation', 'ate'], ['alism', 'al'],
	    ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'],
	    ['fulli', 'ful'], ['enci', 'ence'], ['anci', 'ance'],
	    ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'],
	    ['bli', 'ble'], ['ogi', 'og', 'l'], ['li', '', EN_LI]];
	/* -ative in R2 only */
	var EN_3 = [['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'],
	    ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''], ['ical', 'ic'],
	    ['ness', ''], ['ful', '']];
	/* -ion after s or t only */
	var EN_4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant',
	    'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er',
	    'ic'];

	/* shortv: w[0..pos) ends in a short syllable. */
	function shortSyllable(w, pos) {
		if (pos >= 3)
			return !has(EN_V_WXY, w[pos - 1]) &&
			    has(EN_V, w[pos - 2]) && !has(EN_V, w[pos - 3]);
		return pos === 2 && !has(EN_V, w[1]) && has(EN_V, w[0]);
	}

	function stemEnglish(word) {
		var w = word, p1, p2, found = false, i, e, start;

		if (Object.prototype.hasOwnProperty.call(EN_WORDS, w))
			return EN_WORDS[w];
		if (w.length < 3)
			return w;
		/*
		 * prelude: a y that begins the word or follows a vowel is a
		 * consonant, Y, until the end. A y made Y is no vowel for the
		 * next one (sayyy is saYyY).
		 */
		for (i = 0; i < w.length; i++)
			if (w[i] === 'y' && (i === 0 || has(EN_V, w[i - 1]))) {
				w = w.slice(0, i) + 'Y' + w.slice(i + 1);
				found = true;
			}
		/* mark_regions: R2 is found in R1 as R1 in the word. */
		p1 = p2 = w.length;
		e = EN_PREFIX.exec(w);
		i = e ? e[0].length : regionAfter(w, 0, EN_V);
		if (i >= 0) {
			p1 = i;
			if ((i = regionAfter(w, i, EN_V)) >= 0)
				p2 = i;
		}
		/* Step_1a: -s goes if a vowel precedes the letter before it. */
		e = suffixOf(w, EN_1A, 0);
		start = e ? w.length - e.length : 0;
		if (e === 'sses')
			w = w.slice(0, start) + 'ss';
		else if (e === 'ied' || e === 'ies')
			w = w.slice(0, start) + (start >= 2 ? 'i' : 'ie');
		else if (e === 's' && /[aeiouy]/.test(w.slice(0, start - 1)))
			w = w.slice(0, start);
		if (EN_KEEP.indexOf(w) < 0) {
			/*
			 * Step_1b: -eed in R1 is -ee; -ed and -ing go after a
			 * vowel, and what is left is mended as a word: -at,
			 * -bl, -iz, and a short syllable with nothing in R1
			 * after it, get their e back (hoped, hope); a double
			 * letter loses one (hopping, hop).
			 */
			e = suffixOf(w, EN_1B, 0);
			start = e ? w.length - e.length : 0;
			if (e === 'eed' || e === 'eedly') {
				if (start >= p1)
					w = w.slice(0, start) + 'ee';
			} else if (e && /[aeiouy]/.test(w.slice(0, start))) {
				w = w.slice(0, start);
				if (suffixOf(w, ['at', 'bl', 'iz'], 0))
					w += 'e';
				else if (suffixOf(w, EN_DOUBLE, 0))
					w = w.slice(0, -1);
				else if (w.length === p1 &&
				    shortSyllable(w, w.length))
					w += 'e';
			}
			/* Step_1c: not the first letter, nor after a vowel. */
			i = w.length - 1;
			if (i >= 2 && has('yY', w[i]) && !has(EN_V, w[i - 1]))
				w = w.slice(0, i) + 'i';
			/* Step_2 */
			e = suffixOf(w, EN_2, 0);
			if (e && (start = w.length - e[0].length) >= p1 &&
			    (!e[2] || has(e[2], w[start - 1])))
				w = w.slice(0, start) + e[1];
			/* Step_3 */
			e = suffixOf(w, EN_3, 0);
			if (e && (start = w.length - e[0].length) >= p1 &&
			    (e[0] !== 'ative' || start >= p2))
				w = w.slice(0, start) + e[1];
			/* Step_4 */
			e = suffixOf(w, EN_4, 0);
			if (e && (start = w.length - e.length) >= p2 &&
			    (e !== 'ion' || has('st', w[start - 1])))
				w = w.slice(0, start);
			/*
			 * Step_5: -e in R2 goes, and in R1 if no short
			 * syllable is before it; -ll in R2 is -l.
			 */
			i = w.length - 1;
			if (w[i] === 'e' ? i >= p2 || (i >= p1 &&
			    !shortSyllable(w, i)) :
			    w[i] === 'l' && i >= p2 && w[i - 1] === 'l')
				w = w.slice(0, i);
		}
		/* postlude */
		return found ? w.replace(/Y/g, 'y') : w;
	}

	/*
	 * search_stem() of search.c: the manifest's stemmer, and for Finnish
	 * its two additions. A word with a digit is left as it is.
	 */
	function stem(word, stemmer) {
		var w = word;

		if (/[0-9]/.test(w))
			return w;
		if (stemmer === 'swedish')
			return stemSwedish(w);
		if (stemmer === 'english')
			return stemEnglish(w);
		if (stemmer !== 'finnish')
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
