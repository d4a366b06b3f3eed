// Browser tests of taking part: consultations, events, commitments, news
// feeds and the feedback link of every page.
//
// A consultation's status depends on the day the site is shown at, so the
// consultation tests build their own copies of the example site with
// `valo build --today DATE` (the example consultation,
// kuulemiset/palveluverkkoselvitys-esimerkki.md, is open 1.2.–15.3.2027):
//   build/browser-site-upcoming  --today 2027-01-15  (it is coming)
//   build/browser-site-open      --today 2027-02-10  (open, 33 days left)
//   build/browser-site-tomorrow  --today 2027-03-14  (closes tomorrow)
//   build/browser-site-today     --today 2027-03-15  (closes today)
// The site run.sh built (VALO_SITE_DIR) is what the rest use: events,
// commitments, feeds and the feedback links, which are the same any day.
// The open state's pages also get axe-core and the narrow-screen check
// here (site.test.mjs checks every page of the site as built on the day
// of its commit, when no consultation may be open).
//
// Screenshots of the consultations, events, commitments and a
// consultation page (open) at 320, 375 and 1280 px go to
// build/browser-shots/, for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HtmlValidate, StaticConfigLoader } from 'html-validate';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { HERE, REPO, SITE_DIR, sitePages } from './site.mjs';

const require = createRequire(import.meta.url);
const AXE_FILE = require.resolve('axe-core/axe.min.js');
const AXE_PATH = '/__valo-tests__/axe.min.js';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = '/usr/bin/chromium';
const VALO = path.resolve(process.env.VALO ?? path.join(REPO, 'build', 'valo'));
const SHOT_DIR = path.join(REPO, 'build', 'browser-shots');
const HEIGHT = 800;

// The example site's pages of each kind (content/ decides their paths).
const CONSULTATIONS = '/kuulemiset/';
const EXAMPLE = '/kuulemiset/palveluverkkoselvitys-esimerkki/';
const DONE = '/kuulemiset/muutosfoorumi-2017/';
const EVENTS = '/tapahtumat/';
const COMMITMENTS = '/seuranta/sitoumukset/';
const NEWS = '/ajankohtaista/';

const DATED = {
	upcoming: '2027-01-15',
	open: '2027-02-10',
	tomorrow: '2027-03-14',
	today: '2027-03-15',
};

let browser, main;
const dated = {};	// name -> { dir, server }

function must(cond, msg) {
	if (!cond) assert.fail(msg);
}

function report(problems, heading) {
	if (problems.length) assert.fail(`${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

// Text as a reader sees it: no soft hyphens (the generator hyphenates
// Finnish words with them), white space collapsed.
function plain(s) {
	return String(s ?? '').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
}

function decodeEntities(s) {
	return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|shy);/gi, (m, e) => {
		const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", shy: '\u00ad' }[e.toLowerCase()];
		if (named) return named;
		return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
	});
}

before(async () => {
	must(existsSync(path.join(SITE_DIR, 'index.html')),
		`no built site in ${SITE_DIR}: run tests/browser/run.sh build/valo`);
	must(existsSync(VALO), `no valo binary at ${VALO}: make build/valo (or set VALO)`);
	for (const [name, day] of Object.entries(DATED)) {
		const dir = path.join(REPO, 'build', `browser-site-${name}`);
		rmSync(dir, { recursive: true, force: true });
		try {
			execFileSync(VALO, ['-q', '-C', REPO, 'build', '--out', dir, '--today', day], { stdio: ['ignore', 'ignore', 'pipe'] });
		} catch (err) {
			assert.fail(`valo build --today ${day} failed:\n${err.stderr}`);
		}
		dated[name] = { dir, server: await startServer(dir, { [AXE_PATH]: AXE_FILE }) };
	}
	main = { dir: SITE_DIR, server: await startServer(SITE_DIR, { [AXE_PATH]: AXE_FILE }) };
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
	});
});

after(async () => {
	await browser?.close();
	await main?.server.close();
	for (const d of Object.values(dated)) await d.server.close();
});

async function open(page, site, p) {
	const res = await page.goto(new URL(p, site.server.url).href, { waitUntil: 'load' });
	must(res && res.status() === 200, `${p}: HTTP status ${res?.status()}, expected 200`);
	return res;
}

async function withPage(opts, fn) {
	const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT }, ...opts });
	const page = await context.newPage();
	try {
		return await fn(page, context);
	} finally {
		await context.close();
	}
}

// Runs in the page: each group heading (by id) with the titles of the
// consultations listed under it, or its "none" text.
function consultationGroups() {
	const out = {};
	for (const id of ['valo-cons-open', 'valo-cons-upcoming', 'valo-cons-ended']) {
		const h = document.getElementById(id);
		if (!h) { out[id] = null; continue; }
		const next = h.nextElementSibling;
		const strip = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
		out[id] = {
			heading: strip(h.textContent),
			level: h.localName,
			items: next && next.matches('ul.cons-list') ? [...next.querySelectorAll(':scope > li')].map((li) => ({
				title: strip(li.querySelector('h3 a')?.textContent ?? ''),
				href: li.querySelector('h3 a')?.getAttribute('href') ?? '',
				when: strip(li.querySelector('.cons-when')?.textContent ?? ''),
				times: [...li.querySelectorAll('.cons-when time')].map((t) => t.getAttribute('datetime')),
				example: strip(li.querySelector('.badge-example')?.textContent ?? ''),
				participate: li.querySelector('a.button')?.getAttribute('href') ?? null,
				text: strip(li.textContent),
			})) : [],
			none: next && next.localName === 'p' ? strip(next.textContent) : null,
		};
	}
	return out;
}

test('consultations page: open, coming and ended groups, as on the day the site is shown', async (t) => {
	await withPage({}, async (page) => {
		await t.test(`--today ${DATED.open}: the example is open, three have ended`, async () => {
			await open(page, dated.open, CONSULTATIONS);
			const g = await page.evaluate(consultationGroups);
			for (const [id, name] of [['valo-cons-open', 'Avoinna nyt'], ['valo-cons-upcoming', 'Tulossa'], ['valo-cons-ended', 'Päättyneet']]) {
				must(g[id], `${CONSULTATIONS}: no heading #${id} ("${name}")`);
				must(g[id].heading === name && g[id].level === 'h2', `${CONSULTATIONS}: #${id} is <${g[id].level}> "${g[id].heading}", not <h2> "${name}"`);
			}
			const open1 = g['valo-cons-open'].items;
			must(open1.length === 1 && open1[0].href === EXAMPLE,
				`"Avoinna nyt" lists ${JSON.stringify(open1.map((i) => i.href))}, not only ${EXAMPLE}`);
			must(open1[0].when === 'Päättyy 33 päivän kuluttua (15.3.2027)',
				`the open consultation's status line is "${open1[0].when}", not "Päättyy 33 päivän kuluttua (15.3.2027)"`);
			must(open1[0].times.includes('2027-03-15'), `the closing date has no <time datetime="2027-03-15">: ${open1[0].times}`);
			must(open1[0].example === 'Esimerkki', 'the example consultation has no visible "Esimerkki" badge');
			must(open1[0].participate === 'https://www.otakantaa.fi/', `the open consultation's participate link is ${open1[0].participate}`);
			must(g['valo-cons-upcoming'].items.length === 0 && g['valo-cons-upcoming'].none,
				'"Tulossa" should say there are none');
			const ended = g['valo-cons-ended'].items;
			must(ended.length === 3, `"Päättyneet" lists ${ended.length} consultations, not 3`);
			for (const e of ended) {
				must(/^Päättyi \d{1,2}\.\d{1,2}\.\d{4}$/.test(e.when), `the ended "${e.title}" says "${e.when}", not "Päättyi D.M.YYYY"`);
				must(!e.participate, `the ended "${e.title}" still has a participate button`);
				must(e.text.includes('mitä kuultiin ja mitä siitä seurasi'), `the ended "${e.title}" does not say that its outcome is told`);
			}
		});

		await t.test(`--today ${DATED.upcoming}: the example is coming, with its opening date`, async () => {
			await open(page, dated.upcoming, CONSULTATIONS);
			const g = await page.evaluate(consultationGroups);
			must(g['valo-cons-open'].items.length === 0 && g['valo-cons-open'].none,
				`"Avoinna nyt" lists ${g['valo-cons-open'].items.length} and does not say there are none`);
			const up = g['valo-cons-upcoming'].items;
			must(up.length === 1 && up[0].href === EXAMPLE, `"Tulossa" lists ${JSON.stringify(up.map((i) => i.href))}`);
			must(up[0].when === 'Alkaa 1.2.2027' && up[0].times.includes('2027-02-01'),
				`the coming consultation says "${up[0].when}" (${up[0].times}), not "Alkaa 1.2.2027" with <time datetime="2027-02-01">`);
			must(up[0].example === 'Esimerkki', 'the coming example has no "Esimerkki" badge');
			must(!up[0].participate, 'a coming consultation has a participate button before it opens');
			must(g['valo-cons-ended'].items.length === 3, `"Päättyneet" lists ${g['valo-cons-ended'].items.length}, not 3`);
		});

		await t.test('the closing day in words: "Päättyy huomenna", "Päättyy tänään"', async () => {
			for (const [name, words] of [['tomorrow', 'Päättyy huomenna (15.3.2027)'], ['today', 'Päättyy tänään (15.3.2027)']]) {
				await open(page, dated[name], CONSULTATIONS);
				const g = await page.evaluate(consultationGroups);
				const when = g['valo-cons-open'].items[0]?.when;
				must(when === words, `--today ${DATED[name]}: the open consultation says "${when}", not "${words}"`);
			}
		});
	});
});

// Runs in the page: the consultation box's rows (dt -> dd text, times),
// the participate link, and the outcome sections.
function consultationBox() {
	const strip = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
	const box = document.querySelector('main .consultation-box');
	if (!box) return null;
	const rows = {};
	for (const div of box.querySelectorAll('dl.facts > div')) {
		rows[strip(div.querySelector('dt').textContent)] = {
			text: strip(div.querySelector('dd').textContent),
			times: [...div.querySelectorAll('time')].map((t) => t.getAttribute('datetime')),
			items: [...div.querySelectorAll('dd li')].map((li) => strip(li.textContent)),
		};
	}
	const button = box.querySelector('a.button');
	const h1 = document.querySelector('h1');
	const results = document.querySelector('main .consultation-results');
	return {
		title: strip(box.querySelector('h2')?.textContent ?? ''),
		labelled: box.getAttribute('aria-labelledby') && document.getElementById(box.getAttribute('aria-labelledby'))?.closest('.consultation-box') === box,
		afterH1: !!(h1 && (h1.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING)),
		beforeContent: !document.querySelector('main .content') || !!(box.compareDocumentPosition(document.querySelector('main .content')) & Node.DOCUMENT_POSITION_FOLLOWING),
		example: strip(box.querySelector('.badge-example')?.textContent ?? ''),
		badge: strip(box.querySelector('.status')?.textContent ?? ''),
		rows,
		button: button ? { href: button.getAttribute('href'), text: strip(button.textContent), visible: button.getBoundingClientRect().height > 0 } : null,
		text: strip(box.textContent),
		results: results ? [...results.querySelectorAll('h2, h3')].map((h) => `${h.localName} ${strip(h.textContent)}`) : [],
	};
}

test('a consultation page shows its status, dates, who is asked and how to take part', async (t) => {
	await withPage({}, async (page) => {
		await t.test(`open (--today ${DATED.open})`, async () => {
			await open(page, dated.open, EXAMPLE);
			const b = await page.evaluate(consultationBox);
			must(b, `${EXAMPLE}: no .consultation-box in main`);
			must(b.labelled, `${EXAMPLE}: the consultation box is not labelled by its own heading`);
			must(b.afterH1 && b.beforeContent, `${EXAMPLE}: the consultation box is not between the h1 and the page's text`);
			must(b.example === 'Esimerkki' && b.text.includes('keksitty esimerkki'),
				`${EXAMPLE}: the box does not say in words that the consultation is an invented example`);
			must(b.badge === 'Avoinna', `${EXAMPLE}: the status badge says "${b.badge}", not "Avoinna"`);
			must(b.rows.Tila?.text === 'Avoinna Päättyy 33 päivän kuluttua (15.3.2027)',
				`${EXAMPLE}: the status row says "${b.rows.Tila?.text}"`);
			must(b.rows.Aika && b.rows.Aika.text === '1.2.2027–15.3.2027' &&
				b.rows.Aika.times.join() === '2027-02-01,2027-03-15',
				`${EXAMPLE}: the dates row is ${JSON.stringify(b.rows.Aika)}`);
			must(b.rows['Keneltä kysytään']?.text, `${EXAMPLE}: no "Keneltä kysytään" row`);
			must(b.rows.Kunnat?.items.length === 8, `${EXAMPLE}: the municipalities row lists ${b.rows.Kunnat?.items.length}, not 8`);
			must(b.rows['Mitä kysytään']?.items.length === 3, `${EXAMPLE}: the questions row lists ${b.rows['Mitä kysytään']?.items.length}, not 3`);
			must(b.button && b.button.visible && b.button.href === 'https://www.otakantaa.fi/' && b.button.text === 'Osallistu kuulemiseen',
				`${EXAMPLE}: the participate link is ${JSON.stringify(b.button)}`);
		});

		await t.test(`coming (--today ${DATED.upcoming}): when it opens, and no participate link yet`, async () => {
			await open(page, dated.upcoming, EXAMPLE);
			const b = await page.evaluate(consultationBox);
			must(b.badge === 'Tulossa', `the status badge says "${b.badge}", not "Tulossa"`);
			must(b.rows.Tila?.text === 'Tulossa Alkaa 1.2.2027', `the status row says "${b.rows.Tila?.text}"`);
			must(!b.button, 'a coming consultation shows a participate link');
			must(b.text.includes('Voit osallistua, kun kuuleminen alkaa 1.2.2027.'), 'the box does not say when one can take part');
		});

		await t.test('ended with an outcome: what was heard and what followed', async () => {
			await open(page, dated.open, DONE);
			const b = await page.evaluate(consultationBox);
			must(b.badge === 'Päättynyt' && b.rows.Tila?.text === 'Päättynyt Päättyi 18.5.2017',
				`${DONE}: the status says "${b.badge}" / "${b.rows.Tila?.text}"`);
			must(b.rows['Keneltä kysyttiin'] && b.rows['Mitä kysyttiin'], `${DONE}: an ended consultation's rows are not in the past tense: ${Object.keys(b.rows)}`);
			must(!b.button, `${DONE}: an ended consultation shows a participate link`);
			must(b.results.join() === 'h2 Kuulemisen tulokset lyhyesti,h3 Mitä kuultiin,h3 Mitä siitä seurasi',
				`${DONE}: the outcome sections are ${JSON.stringify(b.results)}`);
		});
	});
});

test('keyboard: Tab reaches the participate link, which shows a focus ring', async (t) => {
	await withPage({}, async (page) => {
		for (const p of [CONSULTATIONS, EXAMPLE]) {
			await t.test(p, async () => {
				await open(page, dated.open, p);
				const n = await page.evaluate(() => document.querySelectorAll('a[href], button, summary, [tabindex]').length + 5);
				let found = null;
				for (let i = 0; i < n && !found; i++) {
					await page.keyboard.press('Tab');
					found = await page.evaluate(() => {
						const a = document.activeElement;
						if (!a?.matches('main a.button')) return null;
						const st = getComputedStyle(a);
						const r = a.getBoundingClientRect();
						return { href: a.getAttribute('href'), outline: st.outlineStyle, width: parseFloat(st.outlineWidth), height: r.height };
					});
				}
				must(found, `${p}: ${n} presses of Tab never reached the participate link (main a.button)`);
				// The page may scroll smoothly (prefers-reduced-motion: no-preference).
				found.inView = await page.waitForFunction(() => {
					const r = document.activeElement.getBoundingClientRect();
					return r.top >= 0 && r.bottom <= innerHeight;
				}, null, { timeout: 3000 }).then(() => true, () => false);
				must(found.outline !== 'none' && found.width >= 2, `${p}: the focused participate link has no focus ring (outline ${found.outline} ${found.width}px)`);
				must(found.inView, `${p}: the focused participate link is not scrolled into view`);
				must(found.height >= 44, `${p}: the participate link is ${found.height} px high, less than 44`);
			});
		}
	});
});

test(`home page, --today ${DATED.open}: "Osallistu nyt" lists the open consultation with its closing date`, async () => {
	await withPage({}, async (page) => {
		await open(page, dated.open, '/');
		const box = await page.evaluate(() => {
			const s = document.querySelector('main .participate-now');
			if (!s) return null;
			const strip = (x) => x.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
			const h2 = s.querySelector('h2');
			const cards = document.querySelector('main .cards');
			return {
				heading: strip(h2?.textContent ?? ''),
				links: [...s.querySelectorAll('li h3 a')].map((a) => a.getAttribute('href')),
				when: [...s.querySelectorAll('.cons-when')].map((w) => strip(w.textContent)),
				beforeCards: !cards || !!(s.compareDocumentPosition(cards) & Node.DOCUMENT_POSITION_FOLLOWING),
			};
		});
		must(box, 'the home page has no .participate-now block while a consultation is open');
		must(box.heading === 'Osallistu nyt', `the block's heading is "${box.heading}"`);
		must(box.links.join() === EXAMPLE, `the block links to ${box.links}, not ${EXAMPLE}`);
		must(box.when[0] === 'Päättyy 33 päivän kuluttua (15.3.2027)', `the block says "${box.when[0]}"`);
		must(box.beforeCards, 'the "Osallistu nyt" block is not above the section cards');
		await open(page, dated.upcoming, '/');
		must(await page.locator('main .participate-now').count() === 0, `--today ${DATED.upcoming}: the home page shows "Osallistu nyt" with nothing open`);
	});
});

// axe-core and no sideways scrolling on the pages that look different
// while a consultation is open.
test(`--today ${DATED.open}: axe-core and 320/375 px on the home, consultations and consultation pages`, async (t) => {
	const paths = ['/', CONSULTATIONS, EXAMPLE, DONE];
	await withPage({ bypassCSP: true }, async (page) => {
		for (const p of paths) {
			await t.test(`axe ${p}`, async () => {
				await open(page, dated.open, p);
				await page.addScriptTag({ url: new URL(AXE_PATH, dated.open.server.url).href });
				const v = await page.evaluate(async (tags) => {
					const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
					return r.violations.map((x) => `${x.id} [${x.impact}]: ${x.help}` + x.nodes.map((n) => `\n      at ${n.target.join(' ')}   ${n.html.slice(0, 160)}`).join(''));
				}, AXE_TAGS);
				report(v, `${p} (--today ${DATED.open}) has axe-core violations:`);
			});
		}
	});
	for (const width of [320, 375]) {
		await withPage({ viewport: { width, height: HEIGHT } }, async (page) => {
			for (const p of paths) {
				await t.test(`${width} px ${p}`, async () => {
					await open(page, dated.open, p);
					const r = await page.evaluate(() => {
						const vw = innerWidth;
						const over = [...document.body.querySelectorAll('*')].filter((el) => {
							const b = el.getBoundingClientRect();
							if (b.right <= vw + 0.5 || (b.width === 0 && b.height === 0)) return false;
							for (let e = el.parentElement; e && e !== document.body; e = e.parentElement)
								if (getComputedStyle(e).overflowX !== 'visible') return false;
							return true;
						}).map((el) => `<${el.localName} class="${el.className?.baseVal ?? el.className}"> right ${Math.round(el.getBoundingClientRect().right)}`);
						return { sw: document.documentElement.scrollWidth, vw, over: over.slice(0, 10) };
					});
					must(r.sw <= r.vw, `${p} scrolls sideways at ${width} px (scrollWidth ${r.sw}):\n  ${r.over.join('\n  ')}`);
				});
			}
		});
	}
});

// run.sh runs html-validate over the site it built; these pages differ
// while a consultation is open, coming or closing today.
test('html-validate: the consultation pages of each dated build', async () => {
	const config = JSON.parse(readFileSync(path.join(HERE, '.htmlvalidate.json'), 'utf8'));
	const validator = new HtmlValidate(new StaticConfigLoader(config));
	const problems = [];
	for (const [name, d] of Object.entries(dated)) {
		for (const p of ['/', CONSULTATIONS, EXAMPLE, DONE]) {
			const file = path.join(d.dir, p, 'index.html');
			const r = await validator.validateFile(file);
			for (const res of r.results)
				for (const m of res.messages)
					problems.push(`--today ${DATED[name]} ${p}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
		}
	}
	report(problems, `${problems.length} html-validate errors:`);
});

test('events page: "Lisää kalenteriin" gives each event\'s .ics file, and the whole calendar can be subscribed to', async () => {
	await withPage({}, async (page) => {
		await open(page, main, EVENTS);
		const ev = await page.evaluate(() => {
			const strip = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
			return {
				events: [...document.querySelectorAll('main li.event')].map((li) => {
					const add = [...li.querySelectorAll('a')].find((a) => strip(a.textContent).startsWith('Lisää kalenteriin'));
					return {
						id: li.id,
						title: strip(li.querySelector('h3')?.textContent ?? ''),
						times: [...li.querySelectorAll('time')].map((t) => t.getAttribute('datetime')),
						ics: add?.getAttribute('href') ?? null,
						icsNote: add ? strip(add.parentElement.textContent) : '',
						rows: [...li.querySelectorAll('dt')].map((d) => strip(d.textContent)),
					};
				}),
				subscribe: (() => {
					const a = document.querySelector('main .calendar-subscribe a');
					return a ? { href: a.getAttribute('href'), text: strip(a.parentElement.textContent) } : null;
				})(),
				headings: [...document.querySelectorAll('main h2')].map((h) => strip(h.textContent)),
			};
		});
		must(ev.events.length > 0, `${EVENTS}: no events (main li.event)`);
		must(ev.headings.includes('Tulevat tapahtumat'), `${EVENTS}: no "Tulevat tapahtumat" heading: ${ev.headings}`);
		const problems = [];
		for (const e of ev.events) {
			if (!/^[a-z0-9-]+$/.test(e.id)) problems.push(`"${e.title}": its element has no id (id="${e.id}")`);
			if (!e.times.length || e.times.some((d) => !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(d))) problems.push(`"${e.title}": <time datetime> ${e.times}`);
			for (const row of ['Aika', 'Kunta', 'Paikka', 'Esteettömyys']) if (!e.rows.includes(row)) problems.push(`"${e.title}": no "${row}" row`);
			if (!e.ics) { problems.push(`"${e.title}": no "Lisää kalenteriin" link`); continue; }
			if (!e.icsNote.includes('.ics')) problems.push(`"${e.title}": the calendar link does not say it is an .ics file: "${e.icsNote}"`);
			const res = await page.request.get(new URL(e.ics, main.server.url).href);
			const body = await res.text();
			if (res.status() !== 200) problems.push(`"${e.title}": ${e.ics} answered ${res.status()}`);
			else if (!body.startsWith('BEGIN:VCALENDAR')) problems.push(`"${e.title}": ${e.ics} does not start with BEGIN:VCALENDAR: ${JSON.stringify(body.slice(0, 40))}`);
			else if (!body.includes(`\r\nBEGIN:VEVENT`)) problems.push(`"${e.title}": ${e.ics} has no VEVENT`);
		}
		report(problems, `${EVENTS}: ${problems.length} problems with the events:`);
		must(ev.subscribe, `${EVENTS}: no link to subscribe to all events (.calendar-subscribe a)`);
		must(ev.subscribe.text.includes('.ics'), `${EVENTS}: the subscribe link does not say it is an .ics file: "${ev.subscribe.text}"`);
		const all = await page.request.get(new URL(ev.subscribe.href, main.server.url).href);
		const body = await all.text();
		must(all.status() === 200 && body.startsWith('BEGIN:VCALENDAR'), `${ev.subscribe.href}: HTTP ${all.status()}, starts ${JSON.stringify(body.slice(0, 40))}`);
		must((body.match(/\r\nBEGIN:VEVENT/g) ?? []).length === ev.events.length,
			`${ev.subscribe.href} holds ${(body.match(/\r\nBEGIN:VEVENT/g) ?? []).length} events, the page ${ev.events.length}`);
		// The link works as a link: a click downloads the file.
		const first = ev.events[0];
		const [download] = await Promise.all([
			page.waitForEvent('download', { timeout: 5000 }).catch(() => null),
			page.locator(`li#${first.id} a[href="${first.ics}"]`).click(),
		]);
		if (download) {
			const text = readFileSync(await download.path(), 'utf8');
			must(text.startsWith('BEGIN:VCALENDAR'), `clicking "Lisää kalenteriin" of "${first.title}" downloaded a file that starts ${JSON.stringify(text.slice(0, 40))}`);
		} else {
			must(page.url().endsWith(first.ics), `clicking "Lisää kalenteriin" of "${first.title}" neither downloaded nor opened ${first.ics} (the page is ${page.url()})`);
		}
	});
});

test('commitments page: a chart with a text alternative, the counts and each status as a table with a caption', async () => {
	await withPage({}, async (page) => {
		await open(page, main, COMMITMENTS);
		const c = await page.evaluate(() => {
			const strip = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
			const svg = document.querySelector('main svg[role="img"]');
			const label = svg && (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
			return {
				chart: svg ? { label: strip(label), rects: svg.querySelectorAll('rect').length, width: svg.getBoundingClientRect().width } : null,
				tables: [...document.querySelectorAll('main table')].map((t) => ({
					caption: strip(t.caption?.textContent ?? ''),
					head: [...(t.tHead?.rows[0]?.cells ?? [])].map((c) => strip(c.textContent)),
					rows: [...t.tBodies[0].rows].map((r) => ({ id: r.id, cells: [...r.cells].map((c) => strip(c.textContent)) })),
					scroll: t.parentElement.matches('.table-scroll[tabindex="0"][aria-labelledby]'),
				})),
			};
		});
		must(c.chart, `${COMMITMENTS}: no <svg role="img"> chart`);
		must(/Käynnistetty: \d+ \(\d+ %\)/.test(c.chart.label) && /Vaihe ei tiedossa: \d+/.test(c.chart.label),
			`${COMMITMENTS}: the chart's text alternative does not give the counts: "${c.chart.label}"`);
		must(c.tables.length >= 2, `${COMMITMENTS}: ${c.tables.length} tables, expected the counts and at least one status`);
		const problems = [];
		for (const t of c.tables) {
			if (!t.caption) problems.push(`a table without a caption (head ${t.head})`);
			if (!t.scroll) problems.push(`"${t.caption}": not in a focusable, labelled .table-scroll`);
		}
		const [counts, ...groups] = c.tables;
		if (counts.head.join() !== 'Vaihe,Määrä,Osuus') problems.push(`the counts table's columns are ${counts.head}`);
		const expected = 'Sitoumus,Lähde,Vastuu,Määräaika,Tila,Näyttö,Sivut';
		let total = 0, unknown = 0, late = 0;
		for (const g of groups) {
			if (g.head.join() !== expected) problems.push(`"${g.caption}": columns ${g.head}, not ${expected}`);
			const m = /^(.+) \((\d+)\)$/.exec(g.caption);
			if (!m) problems.push(`"${g.caption}": the caption is not "status (count)"`);
			else if (Number(m[2]) !== g.rows.length) problems.push(`"${g.caption}": ${g.rows.length} rows`);
			total += g.rows.length;
			for (const r of g.rows) {
				if (!r.id) problems.push(`"${r.cells[0]}": the row has no id`);
				unknown += r.cells.filter((x) => x === 'ei tietoa').length;
				if (r.cells[4].includes('Myöhässä')) late++;
			}
		}
		const totalRow = counts.rows.reduce((n, r) => n + Number(r.cells[1]), 0);
		if (totalRow !== total) problems.push(`the counts add up to ${totalRow}, the tables have ${total} rows`);
		if (!unknown) problems.push('no cell reads "ei tietoa", though the data leaves owners and deadlines unknown');
		report(problems, `${COMMITMENTS}:`);
		const note = plain(await page.locator('main .overdue-note').textContent().catch(() => ''));
		if (late) must(note.includes(String(late)), `${late} rows say "Myöhässä", the summary says "${note}"`);
	});
});

test('a page that commitments concern lists them with their status', async () => {
	const pages = sitePages().filter((p) => /class="commitments-box"/.test(p.html));
	must(pages.length > 0, 'no page shows "Tähän sivuun liittyvät sitoumukset" (.commitments-box)');
	await withPage({}, async (page) => {
		await open(page, main, pages[0].path);
		const box = await page.evaluate(() => {
			const strip = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
			const b = document.querySelector('main .commitments-box');
			return {
				heading: strip(b.querySelector('h2').textContent),
				items: [...b.querySelectorAll('li')].map((li) => strip(li.textContent)),
			};
		});
		must(box.heading === 'Tähän sivuun liittyvät sitoumukset', `${pages[0].path}: the box's heading is "${box.heading}"`);
		for (const i of box.items)
			must(/Käynnistetty|Suunnitteilla|Vaihe ei tiedossa|Toteutunut/.test(i) && /Vastuu: /.test(i),
				`${pages[0].path}: the commitment "${i}" has no status or owner in words`);
	});
});

// A UI string of the default theme in language lang, as its
// i18n/LANG.yaml has it ("key: text" or "key: \"text\"").
function uiString(lang, key) {
	const file = path.join(REPO, 'themes', 'default', 'i18n', `${lang}.yaml`);
	const m = new RegExp(`^${key}: *(?:"(.*)"|(.*))$`, 'm').exec(readFileSync(file, 'utf8'));
	must(m, `${file} has no ${key}`);
	return m[1] ?? m[2];
}

// Every page: a feedback link at the end of main, in the page's own
// language. Where the generator gives the page its own
// (page.feedback_url: content pages), it is a mailto: whose subject
// names the page's title; the generated pages (history, changes,
// versions, 404) link to the site's address.
test('every page: "Anna palautetta tästä sivusta", a mailto: naming the page', async (t) => {
	const pages = sitePages();
	const problems = [];
	let own = 0, site = 0;
	for (const p of pages) {
		const main = p.html.slice(p.html.indexOf('<main'), p.html.indexOf('</main>'));
		const m = /<p class="page-feedback"><a href="([^"]*)">([^<]*)<\/a><\/p>\s*$/.exec(main);
		if (!m) { problems.push(`${p.path}: no feedback link at the end of <main>`); continue; }
		const lang = /<html lang="([a-z]+)"/.exec(p.html)?.[1] ?? 'fi';
		const text = plain(decodeEntities(m[2]));
		const want = uiString(lang, 'feedback_page');
		if (text !== want) problems.push(`${p.path}: the feedback link reads "${text}", not "${want}"`);
		const href = decodeEntities(m[1]);
		if (!href.startsWith('mailto:')) { problems.push(`${p.path}: the feedback link is ${href}, not a mailto:`); continue; }
		const q = new URLSearchParams(href.slice(href.indexOf('?') + 1));
		if (!href.includes('?')) { site++; continue; }
		own++;
		const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(p.html);
		const title = plain(decodeEntities((h1?.[1] ?? '').replace(/<[^>]*>/g, '')));
		// Percent-encoded: no raw space or non-ASCII letter in the address.
		if (/[\s\u0080-\uffff]/.test(href)) problems.push(`${p.path}: the mailto: is not percent-encoded: ${href}`);
		const subject = q.get('subject') ?? '';
		const prefix = uiString(lang, 'feedback_subject');
		if (subject !== `${prefix}: ${title}`) problems.push(`${p.path}: the subject is "${subject}", not "${prefix}: ${title}"`);
		if (!(q.get('body') ?? '').includes(p.path)) problems.push(`${p.path}: the body "${q.get('body')}" does not hold the page's address`);
	}
	t.diagnostic(`${pages.length} pages: ${own} with a mailto: of their own, ${site} with the site's address`);
	must(own > 0, 'no page has a feedback mailto: of its own (page.feedback_url)');
	report(problems, `${problems.length} pages with a missing or wrong feedback link:`);
});

test('every page: Atom autodiscovery in the head for each feed, and each feed is Atom', async () => {
	const pages = sitePages();
	const feeds = new Map();
	const problems = [];
	for (const p of pages) {
		const head = p.html.slice(0, p.html.indexOf('</head>'));
		const links = [...head.matchAll(/<link rel="alternate" type="application\/atom\+xml" href="([^"]+)" title="([^"]+)">/g)]
			.map((m) => m[1]);
		for (const l of links) feeds.set(l, (feeds.get(l) ?? 0) + 1);
		for (const want of [`${NEWS}atom.xml`, `${CONSULTATIONS}atom.xml`, `${EVENTS}atom.xml`])
			if (!links.includes(want)) problems.push(`${p.path}: no autodiscovery link to ${want}`);
	}
	report(problems.slice(0, 20), `${problems.length} missing autodiscovery links:`);
	await withPage({}, async (page) => {
		for (const f of feeds.keys()) {
			const res = await page.request.get(new URL(f, main.server.url).href);
			const body = await res.text();
			must(res.status() === 200, `${f}: HTTP ${res.status()}`);
			must(body.startsWith('<?xml') && /<feed\s[^>]*xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/.test(body), `${f} is no Atom feed: ${JSON.stringify(body.slice(0, 80))}`);
		}
		// The news page links to its feed in the text too.
		await open(page, main, NEWS);
		const a = page.locator(`main a[href="${NEWS}atom.xml"]`);
		must(await a.count() === 1 && await a.isVisible(), `${NEWS}: no visible link to its feed ${NEWS}atom.xml`);
		const items = await page.locator('main .news-list > li').count();
		must(items > 0, `${NEWS}: no news listed (.news-list)`);
		const dates = await page.locator('main .news-list > li time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
		must(dates.length === items && dates.every((d, i) => i === 0 || dates[i - 1] >= d), `${NEWS}: the news are not dated newest first: ${dates}`);
	});
});

test('screenshots of the consultations, events, commitments and a consultation page at 320, 375 and 1280 px', async (t) => {
	mkdirSync(SHOT_DIR, { recursive: true });
	const shots = [
		['consultations', dated.open, CONSULTATIONS],
		['consultation', dated.open, EXAMPLE],
		['consultation-done', dated.open, DONE],
		['events', main, EVENTS],
		['commitments', main, COMMITMENTS],
		['news', main, NEWS],
		['home-open', dated.open, '/'],
	];
	for (const width of [320, 375, 1280]) {
		await withPage({ viewport: { width, height: HEIGHT } }, async (page) => {
			for (const [name, site, p] of shots) {
				await open(page, site, p);
				const file = path.join(SHOT_DIR, `${name}-${width}.png`);
				await page.screenshot({ path: file, fullPage: true });
				t.diagnostic(`${p} at ${width} px: ${path.relative(process.cwd(), file)}`);
			}
		});
	}
});
