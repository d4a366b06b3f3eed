// Browser tests of the example site, built by run.sh into build/browser-site
// (or VALO_SITE_DIR): accessibility with axe-core, narrow screens, keyboard
// use, use without JavaScript, the 404 page, the Content-Security-Policy,
// and screenshots for people.
// One headless Chromium (Debian's, never a downloaded one) serves all tests.
// The pages are found in the output folder, so new content is tested as it
// comes. Every failure names the page, the rule and the element.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { SITE_DIR, SCREENSHOT_DIR, sitePages, findChartPage, pageTypes } from './site.mjs';

const require = createRequire(import.meta.url);
// axe-core is injected from the test server (same origin as the site) so
// Chromium parses it once and caches it: twice as fast as injecting its
// 500 kB as inline content on each of the pages.
const AXE_FILE = require.resolve('axe-core/axe.min.js');
const AXE_PATH = '/__valo-tests__/axe.min.js';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = '/usr/bin/chromium';
const NARROW_WIDTHS = [320, 375];
const HEIGHT = 800;

let server, browser, pages, chart;

before(async () => {
	must(existsSync(path.join(SITE_DIR, 'index.html')),
		`no built site in ${SITE_DIR}: run tests/browser/run.sh build/valo`);
	pages = sitePages();
	chart = findChartPage(pages);
	server = await startServer(SITE_DIR, { [AXE_PATH]: AXE_FILE });
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

// Fails with msg unless cond holds (assert.ok would add a diff to the output).
function must(cond, msg) {
	if (!cond) assert.fail(msg);
}

// Fails with one message that lists every problem found, if there is any.
function report(problems, heading) {
	if (problems.length) assert.fail(`${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

// Records the failed sub-resource requests (CSS, images, ...) of a page: an
// answer of 400 or more, or a request that got no answer at all.
function watchRequests(page) {
	const failed = [];
	const seen = new Set();
	const add = (what, u) => { if (!seen.has(u)) { seen.add(u); failed.push(`${what} ${u}`); } };
	page.on('response', (res) => {
		if (res.status() >= 400 && !res.request().isNavigationRequest()) add(`HTTP ${res.status()}`, res.url());
	});
	// A load the browser itself cancelled (a favicon when the next page
	// opens) is no broken link; a missing file answers 404 above.
	page.on('requestfailed', (req) => {
		const why = req.failure()?.errorText ?? 'failed';
		if (why !== 'net::ERR_ABORTED') add(why, req.url());
	});
	failed.reset = () => { failed.length = 0; seen.clear(); };
	return failed;
}

async function open(page, p, expectStatus = 200) {
	const res = await page.goto(url(p), { waitUntil: 'load' });
	must(res, `${p}: no response`);
	if (res.status() !== expectStatus)
		assert.fail(`${p}: HTTP status ${res.status()}, expected ${expectStatus}`);
	return res;
}

function formatTarget(target) {
	return target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ');
}

function clip(s, n = 160) {
	s = String(s ?? '').replace(/\s+/g, ' ').trim();
	return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

// 1. Every page: axe-core (WCAG 2.0 and 2.1, A and AA), id references,
// and the page's CSS, images and icons load.
test('every page: axe-core WCAG 2.1 A/AA, id references, resources', async (t) => {
	// The site's policy allows no script at all: axe-core comes in past it.
	const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT }, bypassCSP: true });
	const page = await context.newPage();
	const failed = watchRequests(page);
	const perRule = new Map();
	let bad = 0;
	try {
		for (const p of pages) {
			await t.test(p.path, async () => {
				failed.reset();
				await open(page, p.path);
				await page.addScriptTag({ url: url(AXE_PATH) });
				const violations = await page.evaluate(async (tags) => {
					const r = await window.axe.run(document, {
						runOnly: { type: 'tag', values: tags },
						resultTypes: ['violations'],
					});
					return r.violations.map((v) => ({
						id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
						nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
					}));
				}, AXE_TAGS);
				const broken = await page.evaluate(brokenIdRefs);
				const problems = [];
				for (const v of violations) {
					perRule.set(v.id, (perRule.get(v.id) ?? 0) + v.nodes.length);
					problems.push(`axe ${v.id} [${v.impact}]: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}; ${v.helpUrl.replace(/\?.*/, '')})` +
						v.nodes.map((n) => `\n      at ${formatTarget(n.target)}   ${clip(n.html)}`).join(''));
				}
				for (const b of broken) {
					perRule.set('broken id reference', (perRule.get('broken id reference') ?? 0) + 1);
					problems.push(`broken id reference: ${b}`);
				}
				for (const f of failed) {
					perRule.set('resource not loaded', (perRule.get('resource not loaded') ?? 0) + 1);
					problems.push(`resource not loaded: ${f}`);
				}
				if (problems.length) bad++;
				report(problems, `${p.path} (${p.file}) has ${problems.length} accessibility problem${problems.length === 1 ? '' : 's'}:`);
			});
		}
	} finally {
		await context.close();
	}
	const summary = [...perRule].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id}: ${n}`).join(', ');
	t.diagnostic(`${pages.length} pages, ${bad} with problems${summary ? `; elements per rule: ${summary}` : ''}`);
});

// Runs in the page: the id references of ARIA attributes, label[for] and
// same-page links that point at no element. axe-core reports these only
// as "needs review", yet a broken aria-labelledby silently changes or
// removes an element's accessible name (the element then gets no name, or
// one from elsewhere).
function brokenIdRefs() {
	const out = [];
	const show = (el) => {
		const s = el.outerHTML.replace(/\s+/g, ' ');
		const end = s.indexOf('>');
		return end > 0 && end < 150 ? s.slice(0, end + 1) : s.slice(0, 149) + '…';
	};
	const attrs = ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-details',
		'aria-errormessage', 'aria-flowto', 'aria-activedescendant'];
	for (const a of attrs) {
		for (const el of document.querySelectorAll(`[${a}]`)) {
			const missing = el.getAttribute(a).trim().split(/\s+/).filter((id) => id && !document.getElementById(id));
			if (!missing.length) continue;
			const text = document.documentElement.textContent;
			const escaped = missing.filter((id) => text.includes(`id="${id}"`));
			out.push(`${a}="${el.getAttribute(a)}": no element with id ${missing.map((m) => `"${m}"`).join(', ')} on ${show(el)}` +
				(escaped.length ? ` — the markup with id="${escaped[0]}" is on the page as text (its "<" was escaped to "&lt;")` : ''));
		}
	}
	for (const el of document.querySelectorAll('label[for]')) {
		if (!document.getElementById(el.htmlFor)) out.push(`for="${el.htmlFor}": no such id, on ${show(el)}`);
	}
	for (const el of document.querySelectorAll('a[href^="#"]')) {
		const frag = el.getAttribute('href').slice(1);
		if (!frag || frag === 'top') continue;
		let id;
		try { id = decodeURIComponent(frag); } catch { id = frag; }
		if (!document.getElementById(id) && !document.getElementsByName(id).length)
			out.push(`href="#${frag}": no element with that id, on ${show(el)}`);
	}
	return out;
}

// 2. No horizontal scrolling of the page on narrow phones.
for (const width of NARROW_WIDTHS) {
	test(`no horizontal scrolling at ${width}×${HEIGHT} px on any page`, async (t) => {
		const context = await browser.newContext({ viewport: { width, height: HEIGHT } });
		const page = await context.newPage();
		let bad = 0;
		try {
			for (const p of pages) {
				await t.test(p.path, async () => {
					await open(page, p.path);
					const r = await page.evaluate(overflowReport);
					if (r.scrollWidth <= r.innerWidth) return;
					bad++;
					report(r.culprits.length ? r.culprits : ['(no element found: look for negative margins or transforms)'],
						`${p.path} (${p.file}) scrolls sideways at ${width} px: document.documentElement.scrollWidth ` +
						`${r.scrollWidth} > window.innerWidth ${r.innerWidth}. Elements reaching past the right edge ` +
						`(outermost, then the innermost one inside it; → right edge in px):`);
				});
			}
		} finally {
			await context.close();
		}
		t.diagnostic(`${width} px: ${pages.length} pages, ${bad} scroll sideways`);
	});
}

// Runs in the page: the widths, and the elements that stick out to the
// right without being inside a scroll container that clips them.
function overflowReport() {
	const vw = window.innerWidth;
	const describe = (el) => {
		const parts = [];
		for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
			let s = e.localName;
			if (e.id) { s += `#${e.id}`; parts.unshift(s); break; }
			const cls = [...e.classList].slice(0, 3).join('.');
			if (cls) s += `.${cls}`;
			parts.unshift(s);
		}
		return parts.join(' > ');
	};
	const clipped = (el) => {
		for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
			if (getComputedStyle(e).overflowX !== 'visible') return true;
		}
		return false;
	};
	const over = [];
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) continue;
		if (r.right > vw + 0.5 && !clipped(el)) over.push({ el, right: r.right });
	}
	// Outermost first: skip those whose ancestor is already listed, but name
	// the innermost offender inside each.
	const out = [];
	for (const o of over) {
		if (over.some((x) => x.el !== o.el && x.el.contains(o.el))) continue;
		const inner = over.filter((x) => o.el.contains(x.el) && !over.some((y) => y.el !== x.el && x.el.contains(y.el)));
		const leaf = inner.find((x) => x.el !== o.el);
		const text = clip2(o.el.textContent);
		out.push(`${describe(o.el)} → ${Math.round(o.right)}` +
			(leaf ? `; innermost: ${describe(leaf.el)} → ${Math.round(leaf.right)} "${clip2(leaf.el.textContent)}"` : ` "${text}"`));
		if (out.length >= 8) break;
	}
	function clip2(s) { s = (s ?? '').replace(/\s+/g, ' ').trim(); return s.length > 60 ? s.slice(0, 59) + '…' : s; }
	return {
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth,
		innerWidth: vw,
		culprits: out,
	};
}

// 2b. Every number of every table readable on a narrow phone: each
// cell's text is on screen, or in a scroll box that a keyboard can reach
// (focusable, labelled) and that is itself on screen. A table of at most
// three columns fits without scrolling; a wider one that scrolls shows
// more than its first column.
for (const width of NARROW_WIDTHS) {
	test(`every table cell readable at ${width}×${HEIGHT} px on any page`, async (t) => {
		const context = await browser.newContext({ viewport: { width, height: HEIGHT } });
		const page = await context.newPage();
		let bad = 0, tables = 0;
		try {
			for (const p of pages.filter((q) => /<table\b/i.test(q.html))) {
				await t.test(p.path, async () => {
					await open(page, p.path);
					const r = await page.evaluate(tableReport, FIT_COLUMNS);
					tables += r.tables;
					if (!r.problems.length) return;
					bad++;
					report(r.problems, `${p.path} (${p.file}) at ${width} px has table text out of view:`);
				});
			}
		} finally {
			await context.close();
		}
		t.diagnostic(`${width} px: ${tables} tables, on ${bad} pages some text out of view`);
	});
}

// A table of up to this many columns must fit a 320 px screen unscrolled.
const FIT_COLUMNS = 3;

// Runs in the page: for every <table>, the cells whose text can not be
// seen. Text is in view when each of its line boxes lies within the
// screen's width, no ancestor clips it (overflow hidden or clip), and
// any scroll box it is in (overflow auto or scroll) is focusable,
// labelled and on screen itself, and holds the text where scrolling
// reaches (not left of its start). For a table of at most fitColumns
// columns a scroll box counts as clipping: it must fit as it is.
function tableReport(fitColumns) {
	const vw = document.documentElement.clientWidth;
	const problems = [];
	const clip = (s, n = 50) => { s = (s ?? '').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim(); return s.length > n ? s.slice(0, n - 1) + '…' : s; };
	const label = (el) => {
		const by = el.getAttribute('aria-labelledby');
		if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
		return (el.getAttribute('aria-label') ?? '').trim();
	};
	const focusable = (el) => el.tabIndex >= 0 || !!el.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
	const scrolls = (v) => v === 'auto' || v === 'scroll';
	const tables = [...document.querySelectorAll('table')].filter((tb) => tb.getClientRects().length);
	for (const [ti, table] of tables.entries()) {
		const columns = Math.max(0, ...[...table.rows].map((r) => [...r.cells].reduce((n, c) => n + (c.colSpan || 1), 0)));
		const name = `table ${ti + 1} "${clip(table.caption?.textContent || label(table.closest('[aria-label], [aria-labelledby]') ?? table) || '(no caption)')}" (${columns} columns)`;
		const mustFit = columns <= fitColumns;
		const boxProblems = new Set();
		const out = [];
		for (const cell of table.querySelectorAll('th, td')) {
			if (cell.closest('table') !== table) continue;
			const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
			let hidden = null;
			for (let node = walker.nextNode(); node && !hidden; node = walker.nextNode()) {
				if (!node.data.trim() || node.parentElement.closest('table') !== table) continue;
				// Text hidden on purpose for screen readers (1 px clip).
				const pr = node.parentElement.getBoundingClientRect();
				if (pr.width <= 1 && pr.height <= 1) continue;
				const range = document.createRange();
				range.selectNodeContents(node);
				for (const rect of range.getClientRects()) {
					if (rect.width === 0 || rect.height === 0) continue;
					// The part of the line that must be seen, boxed in by
					// every clipping ancestor in turn.
					let left = rect.left, right = rect.right, top = rect.top, bottom = rect.bottom;
					let why = null;
					for (let e = node.parentElement; e && e !== document.body && e !== document.documentElement && !why; e = e.parentElement) {
						const st = getComputedStyle(e);
						if (st.overflowX === 'visible' && st.overflowY === 'visible') continue;
						const b = e.getBoundingClientRect();
						const inner = {
							left: b.left + e.clientLeft, top: b.top + e.clientTop,
							right: b.left + e.clientLeft + e.clientWidth, bottom: b.top + e.clientTop + e.clientHeight,
						};
						const isScroll = scrolls(st.overflowX) || scrolls(st.overflowY);
						if (isScroll && !mustFit) {
							// Reachable by scrolling, unless it lies before the
							// box's scroll origin.
							if (right <= inner.left - e.scrollLeft + 0.5 || bottom <= inner.top - e.scrollTop + 0.5) {
								why = `before the start of its scroll box <${e.localName}>`;
								break;
							}
							if (!focusable(e)) boxProblems.add(`its scroll box <${e.localName} class="${e.className}"> can not be focused, so a keyboard can not scroll it (tabindex="0")`);
							if (!label(e)) boxProblems.add(`its scroll box <${e.localName} class="${e.className}"> has no label (aria-label or aria-labelledby)`);
							// Then the box itself must be seen.
							({ left, right, top, bottom } = inner);
							continue;
						}
						// Clipped: only the part inside the box shows.
						if (left < inner.left - 0.5 || right > inner.right + 0.5 ||
						    (st.overflowY !== 'visible' && (top < inner.top - 0.5 || bottom > inner.bottom + 0.5))) {
							why = isScroll
								? `needs scrolling in <${e.localName} class="${e.className}">: a table of ${columns} columns must fit the screen`
								: `clipped by <${e.localName} class="${e.className}"> (overflow ${st.overflowX})`;
						}
					}
					if (!why && (left < -0.5 || right > vw + 0.5))
						why = `outside the screen (${Math.round(left)}–${Math.round(right)} px of ${vw})`;
					if (why) { hidden = why; break; }
				}
			}
			if (hidden) out.push(`${cell.localName} in row ${cell.parentElement.rowIndex + 1}, column ${cell.cellIndex + 1} "${clip(cell.textContent, 40)}": ${hidden}`);
		}
		// A wide table in a scroll box shows more than its first column.
		const box = table.parentElement && scrolls(getComputedStyle(table.parentElement).overflowX) ? table.parentElement : null;
		const second = [...table.rows].map((r) => r.cells[1]).find(Boolean);
		if (!mustFit && box && second) {
			const b = box.getBoundingClientRect();
			const visibleRight = Math.min(b.left + box.clientLeft + box.clientWidth, vw);
			const start = second.getBoundingClientRect().left - box.scrollLeft;
			if (start + 24 > visibleRight)
				out.push(`only its first column shows: the second starts at ${Math.round(start)} px, the box ends at ${Math.round(visibleRight)} px`);
		}
		for (const b of boxProblems) out.push(b);
		if (out.length) {
			const more = out.length > 8 ? [`... and ${out.length - 8} more`] : [];
			problems.push(`${name}:\n      ${[...out.slice(0, 8), ...more].join('\n      ')}`);
		}
	}
	return { tables: tables.length, problems };
}

// 3. Keyboard use.
test('keyboard: skip link, main menu, chart table', async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT } });
	const page = await context.newPage();
	try {
		await t.test('the first Tab on the home page focuses a visible skip link to main', async () => {
			await open(page, '/');
			await page.keyboard.press('Tab');
			const f = await page.evaluate(() => {
				const a = document.activeElement;
				const r = a.getBoundingClientRect();
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				return {
					tag: a.localName, href: a.getAttribute('href'), text: a.textContent.trim(),
					cls: a.className, visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 &&
						r.bottom <= innerHeight && r.right <= innerWidth && !!hit && (hit === a || a.contains(hit)),
					target: !!document.getElementById('main'),
				};
			});
			must(f.tag === 'a', `the first Tab focused <${f.tag} class="${f.cls}">, not the skip link`);
			must(f.href === '#main', `the first focused link "${f.text}" goes to ${f.href}, not #main`);
			must(f.visible, `the skip link "${f.text}" is not visible on screen when it has focus`);
			must(f.target, 'the home page has no element with id="main" for the skip link');
		});

		await t.test('Enter on the skip link moves focus to main and the next Tab stays in main', async () => {
			await open(page, '/');
			await page.keyboard.press('Tab');
			await page.keyboard.press('Enter');
			await page.waitForFunction(() => location.hash === '#main', null, { timeout: 2000 }).catch(() => {});
			const s = await page.evaluate(() => {
				const main = document.getElementById('main');
				const r = main.getBoundingClientRect();
				return {
					hash: location.hash,
					focusInMain: main === document.activeElement || main.contains(document.activeElement),
					active: document.activeElement.localName + (document.activeElement.id ? '#' + document.activeElement.id : ''),
					inView: r.top < innerHeight && r.bottom > 0,
					top: Math.round(r.top), scrollY: Math.round(scrollY),
				};
			});
			must(s.hash === '#main', `after Enter on the skip link the address ends in "${s.hash}", not #main`);
			must(s.focusInMain, `after Enter on the skip link the focus is on <${s.active}>, not in #main (main needs tabindex="-1")`);
			must(s.inView, `after Enter on the skip link #main is not in view (top ${s.top} px, scrollY ${s.scrollY})`);
			await page.keyboard.press('Tab');
			const next = await page.evaluate(() => {
				const a = document.activeElement;
				return { inMain: document.getElementById('main').contains(a), what: `<${a.localName}> "${a.textContent.trim().slice(0, 60)}"` };
			});
			must(next.inMain, `the Tab after the skip link focused ${next.what}, outside #main: the skip link did not skip`);
		});

		await t.test('Tab reaches every link of the main menu, in order', async () => {
			await open(page, '/');
			const links = await page.evaluate(() => {
				const nav = document.querySelector('nav.main-nav') ?? document.querySelector('header nav');
				return nav ? [...nav.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')) : null;
			});
			must(links, 'the home page has no main menu (nav.main-nav or header nav)');
			must(links.length > 0, 'the main menu has no links');
			const reached = [];
			const limit = links.length + 20;
			for (let i = 0; i < limit && reached.length < links.length; i++) {
				await page.keyboard.press('Tab');
				const idx = await page.evaluate(() => {
					const nav = document.querySelector('nav.main-nav') ?? document.querySelector('header nav');
					return [...nav.querySelectorAll('a[href]')].indexOf(document.activeElement);
				});
				if (idx >= 0) reached.push(idx);
			}
			const missing = links.filter((_, i) => !reached.includes(i));
			must(missing.length === 0, `${limit} presses of Tab did not reach these main menu links: ${missing.join(', ')}`);
			must(reached.every((v, i) => i === 0 || reached[i - 1] < v),
				`Tab reached the main menu links out of order: ${reached.map((i) => links[i]).join(', ')}`);
		});

		await t.test('a heading\'s self-link is quiet until pointed at, and shows with a ring when it has focus', async (st) => {
			const withAnchor = pages.find((p) => /<a\b[^>]*\bclass="anchor"/.test(p.html));
			if (!withAnchor) { st.diagnostic('no page has heading self-links (a.anchor)'); return; }
			await open(page, withAnchor.path);
			const a = page.locator('a.anchor').first();
			const opacity = () => a.evaluate((el) => Number(getComputedStyle(el).opacity));
			const name = await a.getAttribute('aria-label');
			must(name && name.trim(), `${withAnchor.path}: the first heading self-link has no aria-label`);
			await page.mouse.move(0, 0);
			must(await opacity() < 0.1, `${withAnchor.path}: the heading self-link "${name}" shows while nothing points at it`);
			// Focus it from the keyboard: Tab from the link just before it.
			await a.evaluate((el) => {
				const links = [...document.querySelectorAll('a[href], [tabindex="0"]')];
				const i = links.indexOf(el);
				(links[i - 1] ?? document.body).focus();
			});
			await page.keyboard.press('Tab');
			const f = await a.evaluate((el) => ({ focused: document.activeElement === el, outline: getComputedStyle(el).outlineStyle }));
			must(f.focused, `${withAnchor.path}: Tab did not reach the heading self-link "${name}"`);
			must(await opacity() > 0.9 && f.outline !== 'none',
				`${withAnchor.path}: the focused heading self-link "${name}" is not shown with a focus ring (opacity ${await opacity()}, outline ${f.outline})`);
		});

		await t.test('Tab reaches the scroll region of a chart table, which shows focus', async (st) => {
			must(chart.page, 'no page of the site has a chart (figure.chart) or a .table-scroll region');
			const sel = chart.kind === 'chart' ? 'figure.chart .table-scroll:has(table)' : '.table-scroll:has(table)';
			st.diagnostic(`page with ${chart.kind === 'chart' ? 'a chart' : 'no chart, only a .table-scroll table'}: ${chart.page.path}`);
			await open(page, chart.page.path);
			const count = await page.locator(sel).count();
			must(count > 0, `${chart.page.path}: no element matches ${sel}: the chart's data table is not in a .table-scroll region`);
			const limit = await page.evaluate(() => document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]').length + 10);
			let found = null;
			for (let i = 0; i < limit && !found; i++) {
				await page.keyboard.press('Tab');
				found = await page.evaluate((s) => {
					const a = document.activeElement;
					const region = a?.closest(s);
					if (!region) return null;
					const st = getComputedStyle(a);
					return {
						at: a === region ? 'the region' : `<${a.localName}> inside it`,
						outlineStyle: st.outlineStyle, outlineWidth: st.outlineWidth, boxShadow: st.boxShadow,
						label: region.getAttribute('aria-label') ?? document.getElementById(region.getAttribute('aria-labelledby') ?? '')?.textContent ?? '',
					};
				}, sel);
			}
			must(found, `${chart.page.path}: ${limit} presses of Tab never focused ${sel} or anything in it (it needs tabindex="0")`);
			const ring = (found.outlineStyle !== 'none' && parseFloat(found.outlineWidth) > 0) ||
				(found.boxShadow && found.boxShadow !== 'none');
			must(ring, `${chart.page.path}: the focused chart table (${found.at}, "${clip(found.label, 60)}") has no visible focus indicator: ` +
				`outline-style ${found.outlineStyle}, outline-width ${found.outlineWidth}, box-shadow ${found.boxShadow}`);
		});
	} finally {
		await context.close();
	}
});

// 4. The site works without JavaScript. On a wide screen every main
// menu link shows; on a phone the menu may fold behind a button (a
// <details> disclosure or any control in nav.main-nav), which must open
// it without script, from the keyboard too, and the header must stay
// short (the menu wrapped into 200 px of rows before).
// The language switcher (nav.languages) is no part of the main menu.
const MENU = 'nav.main-nav a[href], header nav:not(.languages) a[href]';
const MAX_NARROW_HEADER = 160;

for (const width of [320, 375, 1280]) {
	test(`without JavaScript at ${width} px: the main menu opens, shows every link on screen, and its first link works`, async (t) => {
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: HEIGHT } });
		const page = await context.newPage();
		try {
			await open(page, '/');
			const nav = page.locator(MENU);
			const n = await nav.count();
			must(n > 0, 'the home page has no main menu links (nav.main-nav a, header nav a)');
			const toggle = page.locator('nav.main-nav summary, nav.main-nav button, header nav:not(.languages) summary').first();
			const folded = !(await nav.first().isVisible());
			if (width >= 1024)
				must(!folded, `without JavaScript at ${width} px the main menu is folded away: a wide screen shows it in full`);
			if (width < 1024) {
				const header = await page.locator('header').first().boundingBox();
				must(header && header.y + header.height <= MAX_NARROW_HEADER,
					`at ${width} px the header (site name and main menu) ends at ${Math.round(header?.y + header?.height)} px, ` +
					`lower than ${MAX_NARROW_HEADER}: fold the menu on narrow screens`);
			}
			if (folded) {
				must(await toggle.count() > 0 && await toggle.isVisible(),
					`without JavaScript at ${width} px the main menu is hidden and there is no visible button to open it`);
				const expanded = () => toggle.evaluate((el) => el.localName === 'summary' ? el.parentElement.open : el.getAttribute('aria-expanded') === 'true');
				must(!(await expanded()), `at ${width} px the menu button says the menu is open while it is hidden`);
				// The keyboard: Tab to the button, Enter opens it.
				await toggle.focus();
				await page.keyboard.press('Enter');
				must(await expanded(), `without JavaScript at ${width} px Enter on the menu button did not open the menu`);
				t.diagnostic(`${width} px: the menu is folded; Enter on its button opened it`);
			}
			for (let i = 0; i < n; i++) {
				const a = nav.nth(i);
				const text = (await a.textContent()).trim();
				must(await a.isVisible(), `without JavaScript at ${width} px the menu link "${text}" is hidden${folded ? ' after opening the menu' : ''}`);
				const box = await a.boundingBox();
				must(box && box.x >= 0 && box.x + box.width <= width + 0.5,
					`without JavaScript at ${width} px the menu link "${text}" is outside the screen (x ${box?.x}, width ${box?.width})`);
			}
			if (folded) {
				// Tab from the button goes through the opened menu in order.
				await toggle.focus();
				const order = [];
				for (let i = 0; i < n; i++) {
					await page.keyboard.press('Tab');
					order.push(await page.evaluate((sel) => [...document.querySelectorAll(sel)].indexOf(document.activeElement), MENU));
				}
				must(order.every((v, i) => v === i), `at ${width} px Tab after the menu button reached menu links ${order.join(', ')}, not each in order`);
			}
			const first = nav.first();
			const href = await first.getAttribute('href');
			const expected = new URL(href, url('/')).href;
			let status;
			page.on('response', (r) => { if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) status = r.status(); });
			await first.click();
			await page.waitForURL(expected, { waitUntil: 'load', timeout: 10000 })
				.catch(() => assert.fail(`without JavaScript at ${width} px the first menu link "${href}" did not open ${expected}; the page is ${page.url()}`));
			must(status === 200, `the first menu link ${href} answered ${status}`);
			must(await page.locator('h1').count() > 0, `the page of the first menu link ${href} has no h1`);
		} finally {
			await context.close();
		}
	});
}

// 5. Screenshots for people to look at (not compared): one page of each
// kind (site.mjs pageTypes) at each width, full page, as KIND-WIDTH.png.
const SHOT_WIDTHS = [320, 375, 768, 1280];

test(`screenshots of every kind of page at ${SHOT_WIDTHS.join(', ')} px`, async (t) => {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const types = pageTypes(pages);
	const missing = Object.entries(types).filter(([, p]) => !p).map(([k]) => k);
	// The 404 page is shown as a visitor meets it: at an unknown address.
	const shots = Object.entries(types).filter(([, p]) => p).map(([kind, p]) =>
		kind === 'notFound' ? ['404', '/ei-tallaista-sivua/', 404] : [kind, p.path, 200]);
	for (const width of SHOT_WIDTHS) {
		const context = await browser.newContext({ viewport: { width, height: HEIGHT } });
		const page = await context.newPage();
		try {
			for (const [name, p, status] of shots) {
				await open(page, p, status);
				const file = path.join(SCREENSHOT_DIR, `${name}-${width}.png`);
				await page.screenshot({ path: file, fullPage: true });
				t.diagnostic(`${p} at ${width} px: ${path.relative(process.cwd(), file)}`);
			}
		} finally {
			await context.close();
		}
	}
	must(missing.length === 0, `no page of these kinds to take a screenshot of: ${missing.join(', ')} ` +
		'(a history page and a change view need the site built from its git repository)');
});

// 6. The 404 page.
test('an unknown address answers 404 with the 404 page, which has an h1', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT } });
	const page = await context.newPage();
	const failed = watchRequests(page);
	try {
		for (const p of ['/ei-tallaista-sivua/', '/ei/ole/olemassa.html']) {
			failed.reset();
			const res = await page.goto(url(p), { waitUntil: 'load' });
			must(res.status() === 404, `${p} answered ${res.status()}, not 404`);
			const h1 = page.locator('h1');
			must(await h1.count() > 0, `the 404 page (at ${p}) has no h1`);
			must((await h1.first().textContent()).trim() !== '', `the 404 page's h1 is empty`);
			must(await h1.first().isVisible(), `the 404 page's h1 is not visible`);
			must(failed.length === 0,
				`the 404 page served at ${p} fails to load (links to assets must not be relative):\n${failed.join('\n')}`);
		}
	} finally {
		await context.close();
	}
});

// 7. Content-Security-Policy: every page carries the theme's policy, which
// allows no inline script or style and nothing from another origin, and
// nothing on any page breaks it. A violation means the policy blocks
// something the site needs (an inline style from the generator, say), or
// that something got into a page that should not have.
test('every page: a strict Content-Security-Policy, and no violation of it', async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT } });
	// Runs before the page's own parsing, outside its policy: records what
	// the page reports as blocked.
	await context.addInitScript(() => {
		window.__cspViolations = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}` +
				`${e.sample ? ` "${e.sample}"` : ''} at line ${e.lineNumber}`);
		});
	});
	const page = await context.newPage();
	const logged = [];
	page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) logged.push(m.text()); });
	let bad = 0;
	try {
		for (const p of pages) {
			await t.test(p.path, async () => {
				logged.length = 0;
				await open(page, p.path);
				// Violation events come in tasks of their own: let them.
				await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
				const found = await page.evaluate(() => ({
					policies: [...document.querySelectorAll('meta[http-equiv]')]
						.filter((m) => m.httpEquiv.toLowerCase() === 'content-security-policy').map((m) => m.content),
					violations: window.__cspViolations ?? [],
				}));
				const problems = [];
				const policy = found.policies[0];
				if (!policy) problems.push('no <meta http-equiv="Content-Security-Policy">');
				else {
					const dir = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/))
						.filter((d) => d[0]).map(([name, ...v]) => [name.toLowerCase(), v]));
					const script = dir['script-src'] ?? dir['default-src'] ?? [];
					const style = dir['style-src'] ?? dir['default-src'] ?? [];
					for (const [name, v] of Object.entries(dir)) {
						const loose = v.filter((s) => /^'unsafe-|^\*|^https?:$|^https?:\/\/|^'strict-dynamic'/i.test(s));
						if (loose.length) problems.push(`${name} allows ${loose.join(' ')}: ${policy}`);
					}
					if (!script.length) problems.push(`no script-src or default-src: ${policy}`);
					if (!style.length) problems.push(`no style-src or default-src: ${policy}`);
					if (!dir['object-src']?.includes("'none'")) problems.push(`object-src is not 'none': ${policy}`);
					if (!dir['base-uri']) problems.push(`no base-uri: ${policy}`);
					// The policy governs only what comes after it in the head.
					const meta = p.html.search(/<meta[^>]+http-equiv="Content-Security-Policy"/i);
					const first = p.html.search(/<(link|script|style|img|iframe|object|embed)\b/i);
					if (first >= 0 && meta > first) problems.push('the policy comes after a <link>, <script>, <style> or image');
				}
				for (const v of found.violations) problems.push(`violation: ${v}`);
				for (const m of logged) problems.push(`console: ${clip(m, 300)}`);
				if (problems.length) bad++;
				report(problems, `${p.path} (${p.file}) and its Content-Security-Policy:`);
			});
		}
	} finally {
		await context.close();
	}
	t.diagnostic(`${pages.length} pages, ${bad} with a missing or broken policy`);
});
