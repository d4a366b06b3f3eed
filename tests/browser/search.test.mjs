// Search on the example site (run.sh builds it into build/browser-site, or
// VALO_SITE_DIR): the search page with its script, in headless Chromium.
//   - the script's stemmer against the same words and stems as the C unit
//     test (tests/unit/test_search.c), which libstemmer gives;
//   - queries find the right page first: a word in the title, an inflected
//     form ("palvelulupauksen"), words with ä and ö, a prefix that is also
//     a misspelling, and one typed into the header's form on another page;
//   - what one query downloads, every response counted (the page, its CSS,
//     the script, the index), stays under 300 kB;
//   - results are announced (role="status"), marked (<mark>), reachable
//     from the keyboard, and fit a 320 px screen;
//   - without JavaScript the page lists every page of the index, A to Ö.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { REPO, SITE_DIR } from './site.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SCRIPT = path.join(REPO, 'themes', 'default', 'static', 'js', 'search.js');
const BUDGET = 300 * 1024;
const SEARCH = '/haku/';

let server, browser, manifest;

before(async () => {
	if (!existsSync(path.join(SITE_DIR, 'haku', 'index.html')))
		assert.fail(`no search page in ${SITE_DIR}: run tests/browser/run.sh build/valo`);
	manifest = JSON.parse(readFileSync(path.join(SITE_DIR, 'haku', 'data', 'index.json'), 'utf8'));
	server = await startServer(SITE_DIR);
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
	});
});

after(async () => {
	await browser?.close();
	await server?.close();
});

const url = (p) => new URL(p, server.url).href;

// The script's own functions, as Node runs it (it exports them there).
function scriptExports() {
	const sandbox = { module: { exports: {} } };
	vm.runInNewContext(readFileSync(SCRIPT, 'utf8'), sandbox, { filename: SCRIPT });
	return sandbox.module.exports;
}

// tests/unit/test_search.c's list: libstemmer's Finnish and search.c's rules.
const STEMS = [
	['palvelulupauksen', 'palvelulupaus'], ['palvelulupaus', 'palvelulupaus'],
	['palvelulupaukset', 'palvelulupaus'], ['päätökset', 'päätös'],
	['päätöksiä', 'päätös'], ['hyvinvointi', 'hyvinvoint'],
	['hyvinvointialueen', 'hyvinvointialue'], ['hyvinvointialueella', 'hyvinvointialue'],
	['hyvinvoin', 'hyvinvo'], ['yhteistyö', 'yhteistyö'], ['yhteistyössä', 'yhteistyö'],
	['ihminen', 'ihmis'], ['ihmisten', 'ihmist'], ['kainuulainen', 'kainuulais'],
	['kainuun', 'kainu'], ['kajaanissa', 'kajaan'], ['strategia', 'strateg'],
	['kallio', 'kalio'], ['asukkaat', 'asuk'], ['taloon', 'talo'],
	['kirjoissaankin', 'kirj'], ['palveluiden', 'palvelu'],
	['sosiaalisesti', 'sosiaalis'], ['parempi', 'paremp'], ['yksi', 'yks'],
	['kaksi', 'kas'], ['2025', '2025'], ['covid19', 'covid19'], ['åland', 'åland'],
	['ja', 'ja'],
];

test('search.js folds, splits and stems as search.c does', () => {
	const s = scriptExports();
	for (const [word, stem] of STEMS)
		assert.equal(s.stem(word, 'finnish'), stem, `stem of ${word}`);
	assert.equal(s.stem('palvelulupauksen', 'none'), 'palvelulupauksen');
	// Array.from: the script's arrays are of its own context.
	const words = (t) => Array.from(s.words(t.normalize('NFC')), (w) => w.word);
	assert.deepEqual(words('Hyvinvointialueen PÄÄTÖKSET – Kainuu/Sotkamo, a 2025 e-kirja'),
		['hyvinvointialueen', 'päätökset', 'kainuu', 'sotkamo', '2025', 'kirja']);
	assert.deepEqual(words('hyvin\u00ADvointi pa\u0308a\u0308to\u0308s'), ['hyvinvointi', 'päätös']);
	assert.deepEqual(words('\u0221\u0130\u0105 \u0130stanbul'), ['\u0221i\u0105', 'istanbul']);
	assert.deepEqual(words('a'.repeat(49)), []);
	assert.equal(words('a'.repeat(48))[0].length, 48);
	assert.equal(s.fold(0xC4), 0xE4);
	assert.equal(s.fold(0xE4), 0xE4);
	assert.ok(!s.isWord(0x2013) && s.isWord(0xF6));
});

// tests/unit/test_search.c's lists: libstemmer's Swedish and English.
const SV_STEMS = [
	['flicka', 'flick'], ['flickor', 'flick'], ['flickorna', 'flick'],
	['flickornas', 'flick'], ['flickas', 'flick'], ['pojke', 'pojk'],
	['pojkar', 'pojk'], ['pojkarna', 'pojk'], ['pojkens', 'pojk'],
	['lärare', 'lär'], ['läraren', 'lär'], ['lärarens', 'lär'],
	['öppnade', 'öppn'], ['öppnades', 'öppn'], ['öppnat', 'öppn'],
	['öppnandet', 'öppn'], ['jamande', 'jam'], ['älskad', 'älsk'],
	['förhållanden', 'förhåll'], ['vackrast', 'vackr'], ['klokheten', 'klok'],
	['klokhetens', 'klok'], ['ensamhet', 'ensam'], ['tjänsterna', 'tjänst'],
	['adelskalendern', 'adelskalend'], ['husen', 'hus'], ['åldrarna', 'åldr'],
	['städerna', 'städ'], ['ödmjukhet', 'ödmjuk'], ['bils', 'bil'],
	['kurs', 'kur'], ['paris', 'paris'], ['avbrott', 'avbrot'],
	['allmakt', 'allmak'], ['gladde', 'gladd'], ['möjligheterna', 'möj'],
	['möjligt', 'möj'], ['nådigaste', 'nåd'], ['blodigt', 'blod'],
	['vänligen', 'vän'], ['händelser', 'händ'], ['kärleksfullt', 'kärleksfull'],
	['hopplöst', 'hopplös'], ['huset', 'huset'], ['gatan', 'gatan'],
	['år', 'år'], ['ssss', 'ssss'], ['2025', '2025'],
];
const EN_STEMS = [
	['skies', 'sky'], ['skis', 'ski'], ['dying', 'die'], ['lying', 'lie'],
	['gently', 'gentl'], ['ugly', 'ugli'], ['only', 'onli'], ['news', 'news'],
	['atlas', 'atlas'], ['andes', 'andes'], ['innings', 'inning'],
	['herrings', 'herring'], ['proceed', 'proceed'], ['caresses', 'caress'],
	['ponies', 'poni'], ['ties', 'tie'], ['gas', 'gas'], ['gaps', 'gap'],
	['kiwis', 'kiwi'], ['agreed', 'agre'], ['feed', 'feed'], ['hopping', 'hop'],
	['hoped', 'hope'], ['filing', 'file'], ['fizzed', 'fizz'],
	['luxuriated', 'luxuri'], ['cry', 'cri'], ['by', 'by'], ['saying', 'say'],
	['yellow', 'yellow'], ['generously', 'generous'],
	['communication', 'communic'], ['arsenal', 'arsenal'],
	['conditional', 'condit'], ['vietnamization', 'vietnam'],
	['archaeology', 'archaeolog'], ['sensibility', 'sensibl'],
	['fluently', 'fluentli'], ['formative', 'format'], ['electricity', 'electr'],
	['goodness', 'good'], ['adoption', 'adopt'], ['replacement', 'replac'],
	['agreement', 'agreement'], ['controlling', 'control'], ['cease', 'ceas'],
	['rate', 'rate'], ['naïve', 'naïv'], ['covid19', 'covid19'],
];

test('search.js stems Swedish and English as search.c does', () => {
	const s = scriptExports();
	for (const [word, stem] of SV_STEMS)
		assert.equal(s.stem(word, 'swedish'), stem, `Swedish stem of ${word}`);
	for (const [word, stem] of EN_STEMS)
		assert.equal(s.stem(word, 'english'), stem, `English stem of ${word}`);
	// Finnish's own two rules are not the others' (ihminen, päätöksen).
	assert.equal(s.stem('ihminen', 'swedish'), 'ihmin');
	assert.equal(s.stem('ihminen', 'english'), 'ihminen');
});

// Runs a query on the search page (or as the page loads with ?q=) and
// returns { status, results: [{href, title, marks}], bytes, files }, every
// response of the page counted in bytes.
async function query(page, q, { viaAddress = false, at = SEARCH } = {}) {
	const files = [];
	let pending = [];
	page.removeAllListeners('response');
	page.on('response', (res) => {
		pending.push(res.body().then((b) => files.push({ url: res.url(), bytes: b.length }), () => {}));
	});
	if (viaAddress) {
		await page.goto(url(`${at}?q=${encodeURIComponent(q)}`), { waitUntil: 'load' });
	} else {
		await page.goto(url(at), { waitUntil: 'load' });
		await page.fill('#search-q', q);
		await page.press('#search-q', 'Enter');
	}
	await page.waitForFunction(() => {
		const s = document.getElementById('search-status');
		return s && s.textContent && !/…$/.test(s.textContent);
	}, null, { timeout: 10000 });
	await page.waitForLoadState('networkidle');
	await Promise.all(pending);
	const found = await page.evaluate(() => ({
		status: document.getElementById('search-status').textContent,
		results: [...document.querySelectorAll('#search-results > li')].map((li) => ({
			href: li.querySelector('a').getAttribute('href'),
			title: li.querySelector('a').textContent,
			marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
		})),
	}));
	return { ...found, files, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

function describe(r) {
	return `${r.status}; ${r.results.slice(0, 5).map((x) => `${x.title} (${x.href})`).join(', ')}`;
}

// The headings and title of a built page, as text.
function headings(href) {
	const html = readFileSync(path.join(SITE_DIR, href, 'index.html'), 'utf8');
	return [...html.matchAll(/<(h[1-6]|title)\b[^>]*>([\s\S]*?)<\/\1>/g)]
		.map((m) => m[2].replace(/<[^>]+>/g, '').replace(/\u00AD/g, '')).join('\n');
}

test('queries find the right page first', async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	try {
		await t.test('"palvelulupauksen" finds the page Palvelulupaus', async () => {
			const r = await query(page, 'palvelulupauksen');
			assert.equal(r.results[0]?.href, '/strategia/palvelulupaus/', describe(r));
			assert.match(r.status, /^\d+ tulosta$|^1 tulos$/);
			assert.ok(r.results[0].marks.some((m) => /palvelulupaus/i.test(m)), 'the title has no <mark>');
		});
		await t.test('"hyvinvointi" finds a page with it in the title, and compounds', async () => {
			const r = await query(page, 'hyvinvointi');
			assert.match(r.results[0]?.title ?? '', /hyvinvoin/i, describe(r));
			// Compounds match too: hyvinvointialue, hyvinvointikertomus.
			assert.ok(r.results.some((x) => x.marks.some((m) => /^hyvinvointi./i.test(m))), describe(r));
		});
		await t.test('"hyvinvointialueen päätökset" finds the page with both in a heading', async () => {
			const r = await query(page, 'hyvinvointialueen päätökset');
			assert.equal(r.results[0]?.href, '/osallistuminen/aikajana/', describe(r));
			assert.match(headings(r.results[0].href), /päätökset/i);
		});
		await t.test('"yhteistyö" finds a page with it in a heading first', async () => {
			const r = await query(page, 'yhteistyö');
			assert.ok(r.results.length > 0, describe(r));
			assert.match(headings(r.results[0].href), /yhteistyö/i, describe(r));
		});
		await t.test('"hyvinvoin", cut short, still finds by its beginning', async () => {
			const r = await query(page, 'hyvinvoin');
			assert.ok(r.results.length > 0, describe(r));
			assert.match(r.results[0].title, /hyvinvoin/i, describe(r));
		});
		await t.test('"PALVELULUPAU" in capitals, as a prefix, the same', async () => {
			const r = await query(page, 'PALVELULUPAU', { viaAddress: true });
			assert.equal(r.results[0]?.href, '/strategia/palvelulupaus/', describe(r));
		});
		await t.test('a word that is nowhere: no results, and it says so', async () => {
			const r = await query(page, 'xylofoniorkesteri');
			assert.equal(r.results.length, 0);
			assert.match(r.status, /^Ei tuloksia/);
		});
		await t.test('one query downloads under 300 kB, every response counted', async () => {
			const r = await query(page, 'hyvinvointialueen päätökset');
			const list = r.files.map((f) => `${new URL(f.url).pathname} ${f.bytes}`).join(', ');
			assert.ok(r.bytes < BUDGET, `${r.bytes} bytes: ${list}`);
			assert.ok(r.files.some((f) => /\/haku\/data\/t\d+\.json/.test(f.url)), `no shard read: ${list}`);
			t.diagnostic(`"hyvinvointialueen päätökset": ${r.bytes} bytes in ${r.files.length} responses: ${list}`);
		});
		assert.deepEqual(errors, [], 'the script logged errors');
	} finally {
		await context.close();
	}
});

// Each language has its search page and index, of its own pages, stemmed
// by its own stemmer: an inflected Swedish or English word finds the page
// in that language first, and never a page in another.
test('the Swedish and English search pages find their own pages by stemmed words', async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		for (const [at, lang, stemmer, q, want, status] of [
			['/sv/sok/', 'sv', 'swedish', 'värderingarna', '/sv/strategi/varderingar/', /^\d+ resultat$/],
			['/en/search/', 'en', 'english', 'promises', '/en/strategy/service-promise/', /^\d+ results?$/],
		]) {
			await t.test(`"${q}" on ${at}`, async () => {
				const m = JSON.parse(readFileSync(path.join(SITE_DIR, at, 'data', 'index.json'), 'utf8'));
				assert.equal(m.stemmer, stemmer);
				const r = await query(page, q, { at });
				assert.equal(r.results[0]?.href, want, describe(r));
				assert.match(r.status, status);
				assert.ok(r.results.every((x) => x.href.startsWith(`/${lang}/`)), describe(r));
				assert.equal(await page.getAttribute('html', 'lang'), lang);
				assert.ok(r.files.every((f) => !/\/haku\/data\//.test(f.url)), 'read the Finnish index');
			});
		}
	} finally {
		await context.close();
	}
});

test('the header\'s form on another page goes to the results', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await page.goto(url('/strategia/'), { waitUntil: 'load' });
		await page.fill('#site-search-q', 'palvelulupaus');
		await Promise.all([page.waitForURL(/\/haku\/\?q=palvelulupaus$/), page.press('#site-search-q', 'Enter')]);
		await page.waitForFunction(() => /tulos/.test(document.getElementById('search-status')?.textContent ?? ''));
		const first = await page.getAttribute('#search-results > li:first-child a', 'href');
		assert.equal(first, '/strategia/palvelulupaus/');
		assert.equal(await page.inputValue('#search-q'), 'palvelulupaus');
		// The search page has its own form: none in the header there.
		assert.equal(await page.locator('#site-search-q').count(), 0);
	} finally {
		await context.close();
	}
});

test('keyboard and screen reader: a labelled field, a status, Tab to the results', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await page.goto(url(SEARCH), { waitUntil: 'load' });
		const form = page.locator('form[role="search"]');
		assert.equal(await form.count(), 1);
		assert.ok(await page.isVisible('#search-q'), 'the field is hidden with script on');
		assert.equal(await page.locator('label[for="search-q"]').count(), 1);
		const status = page.locator('#search-status');
		assert.equal(await status.getAttribute('role'), 'status');
		assert.equal(await status.getAttribute('aria-live'), 'polite');
		// From the skip link to the field, by Tab alone.
		await page.focus('#search-q');
		await page.keyboard.type('palvelulupaus');
		await page.keyboard.press('Enter');
		await page.waitForFunction(() => /tulos/.test(document.getElementById('search-status').textContent));
		await page.keyboard.press('Tab');	// the button
		await page.keyboard.press('Tab');	// the first result
		const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
		assert.equal(focused, '/strategia/palvelulupaus/');
		// Enter on it opens the page.
		await Promise.all([page.waitForURL(/\/strategia\/palvelulupaus\/$/), page.keyboard.press('Enter')]);
	} finally {
		await context.close();
	}
});

test('at 320 px: the form and results fit, with no sideways scrolling', async () => {
	const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
	const page = await context.newPage();
	try {
		await page.goto(url(`${SEARCH}?q=hyvinvointialueen`), { waitUntil: 'load' });
		await page.waitForFunction(() => /tulos/.test(document.getElementById('search-status').textContent));
		const m = await page.evaluate(() => ({
			scroll: document.documentElement.scrollWidth,
			width: document.documentElement.clientWidth,
			input: document.getElementById('search-q').getBoundingClientRect().width,
			button: document.querySelector('.search-form button').getBoundingClientRect(),
		}));
		assert.ok(m.scroll <= m.width, `scrolls sideways: ${m.scroll} > ${m.width}`);
		assert.ok(m.input >= 150, `the field is only ${m.input} px wide`);
		assert.ok(m.button.right <= m.width && m.button.height >= 44, `the button: ${JSON.stringify(m.button)}`);
		// The header's form on another page fits as well.
		await page.goto(url('/'), { waitUntil: 'load' });
		const h = await page.evaluate(() => ({
			scroll: document.documentElement.scrollWidth,
			width: document.documentElement.clientWidth,
			input: document.getElementById('site-search-q').getBoundingClientRect().width,
			languages: document.querySelector('header nav.languages') !== null,
		}));
		assert.ok(h.scroll <= h.width, `the front page scrolls sideways: ${h.scroll} > ${h.width}`);
		// On a site of several languages their codes share the row: a
		// field of 120 px still shows a long word (15 letters).
		const min = h.languages ? 120 : 150;
		assert.ok(h.input >= min, `the header's field is only ${h.input} px wide`);
	} finally {
		await context.close();
	}
});

test('without JavaScript: every page of the index, A to Ö, and no dead form', async () => {
	const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await page.goto(url(SEARCH), { waitUntil: 'load' });
		assert.ok(!(await page.isVisible('#search-q')), 'the form shows without the script that runs it');
		assert.ok(await page.isVisible('.search-noscript'));
		const links = await page.$$eval('.search-index a', (as) => as.map((a) => a.getAttribute('href')));
		assert.equal(links.length, manifest.pages, 'not every page of the index is listed');
		assert.equal(new Set(links).size, links.length);
		// Grouped by letter, the groups in Finnish order, each letter linked.
		const groups = await page.$$eval('h3.search-letter', (hs) => hs.map((h) => h.textContent));
		const order = 'ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ';
		const known = groups.filter((g) => order.includes(g));
		assert.deepEqual(known, [...known].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
		for (const g of groups) {
			const id = await page.$eval(`h3.search-letter:text-is("${g}")`, (h) => h.id);
			assert.equal(await page.locator(`.search-letters a[href="#${id}"]`).count(), 1, `no link to ${g}`);
		}
		// The links work.
		await page.click('.search-index a >> nth=0');
		assert.notEqual(new URL(page.url()).pathname, SEARCH);
	} finally {
		await context.close();
	}
});
