// Browser tests of the glossary: the glossary page (layout: glossary) and
// the terms marked in the text where they are first used (glossary.c).
// Both kinds of page are found in the built site (VALO_SITE_DIR), not
// named: the glossary page is the one with glossary entries, the marked
// page the first other one with an <a class="term">.
//   1. axe-core (WCAG 2.0 and 2.1, A and AA) on both;
//   2. a term's link says its explanation to a screen reader: Chromium's
//      accessibility tree gives the link that description, and nothing
//      about the term is in a title (hover only);
//   3. the link reaches the entry, by keyboard and by touch: Enter or a
//      tap opens the glossary at the entry, which is in view, is the
//      :target, and explains the term.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AXE_ROUTES, axeViolations, launch, openPage } from './chromium.mjs';
import { startServer } from './server.mjs';
import { SITE_DIR, sitePages } from './site.mjs';

const TERM = /<a\b[^>]*\bclass="term"/;

let server, browser, glossary, marked;

function must(cond, msg) {
	if (!cond) assert.fail(msg);
}

before(async () => {
	must(existsSync(path.join(SITE_DIR, 'index.html')),
		`no built site in ${SITE_DIR}: run tests/browser/run.sh build/valo`);
	const pages = sitePages();
	glossary = pages.find((p) => /\bclass="glossary-entry"/.test(p.html));
	// A content page, not a history page or change view of one.
	marked = pages.find((p) => p !== glossary && TERM.test(p.html) &&
		!/\/[0-9a-f]{12}\/$/.test(p.path) && !/muutoshistoria\/$/.test(p.path));
	server = await startServer(SITE_DIR, AXE_ROUTES);
	browser = await launch();
});

after(async () => {
	await browser?.close();
	await server?.close();
});

const open = (page, p) => openPage(page, server, p);

test('the site has a glossary page and a page with a marked term', () => {
	must(glossary, 'no page of the site has glossary entries (class="glossary-entry"): is content/sanasto.md there, with layout: glossary?');
	must(marked, 'no page of the site marks a term (<a class="term">): are content/data/sanasto.yaml\'s terms used in the text?');
});

test('axe-core WCAG 2.1 A/AA: the glossary page and a page with a marked term', async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
	const page = await context.newPage();
	try {
		for (const p of [glossary, marked].filter(Boolean)) {
			await t.test(p.path, async () => {
				await open(page, p.path);
				const violations = await axeViolations(page, server.url);
				must(violations.length === 0, `${p.path}:\n  - ${violations.join('\n  - ')}`);
			});
		}
	} finally {
		await context.close();
	}
});

// The first marked term of the page: its text, where it goes, and what
// the page says of it.
async function firstTerm(page) {
	return page.evaluate(() => {
		const a = document.querySelector('.content a.term');
		const ids = (a.getAttribute('aria-describedby') ?? '').trim().split(/\s+/).filter(Boolean);
		const desc = ids.map((id) => document.getElementById(id));
		return {
			text: a.textContent.replace(/\u00ad/g, '').trim(),
			href: a.getAttribute('href'),
			titles: [a, ...a.querySelectorAll('*')].filter((e) => e.hasAttribute('title')).length,
			describedBy: ids.join(' '),
			missing: desc.filter((d) => !d).length,
			explanation: desc.filter(Boolean).map((d) => d.textContent).join(' ').replace(/\u00ad/g, '').trim(),
		};
	});
}

test('a term\'s link has its explanation as its description, not in a title', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await open(page, marked.path);
		const term = await firstTerm(page);
		must(term.describedBy, `${marked.path}: the term "${term.text}" has no aria-describedby`);
		must(term.missing === 0, `${marked.path}: aria-describedby="${term.describedBy}" of "${term.text}" names no element`);
		must(term.explanation.length > 10, `${marked.path}: the explanation of "${term.text}" is empty`);
		must(term.titles === 0, `${marked.path}: the term "${term.text}" has a title attribute, which only a mouse shows`);
		// What Chromium gives a screen reader for the link.
		const cdp = await context.newCDPSession(page);
		const { root } = await cdp.send('DOM.getDocument');
		const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.content a.term' });
		const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
		const ax = nodes.find((n) => n.role?.value === 'link') ?? nodes[0];
		const name = String(ax?.name?.value ?? '').replace(/\u00ad/g, '');
		const description = String(ax?.description?.value ?? '').replace(/\u00ad/g, '');
		must(name === term.text, `${marked.path}: the term's link is named "${name}", not "${term.text}"`);
		must(description === term.explanation,
			`${marked.path}: the term "${term.text}" is described to screen readers as "${description}", not "${term.explanation}"`);
	} finally {
		await context.close();
	}
});

// Where the page went: the address, and the entry it points at.
async function landed(page) {
	await page.waitForLoadState('load');
	// The theme scrolls smoothly where motion is not reduced: let it end.
	await page.waitForFunction(() => {
		const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
		const r = el?.getBoundingClientRect();
		return !!r && r.top >= 0 && r.top < innerHeight;
	}, null, { timeout: 3000 }).catch(() => {});
	return page.evaluate(() => {
		const id = decodeURIComponent(location.hash.slice(1));
		const el = id ? document.getElementById(id) : null;
		const r = el?.getBoundingClientRect();
		return {
			path: location.pathname,
			hash: location.hash,
			found: !!el,
			entry: !!el?.classList.contains('glossary-entry'),
			target: !!el?.matches(':target'),
			inView: !!r && r.top >= 0 && r.top < innerHeight,
			text: (el?.textContent ?? '').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim(),
		};
	});
}

function checkLanded(at, term, how) {
	must(at.path === new URL(term.href, 'http://x').pathname,
		`${how} on "${term.text}" opened ${at.path}, not the glossary page ${term.href}`);
	must(at.found && at.entry, `${how} on "${term.text}" opened ${at.path}${at.hash}, which has no glossary entry with that id`);
	must(at.target, `${how}: the entry ${at.hash} is not the :target`);
	must(at.inView, `${how}: the entry ${at.hash} is not in view`);
	const explanation = term.explanation.replace(/^[^:]*: /, '');
	must(at.text.includes(explanation.slice(0, 40)),
		`${how}: the entry ${at.hash} does not explain "${term.text}": "${at.text.slice(0, 120)}"`);
}

test('keyboard: Tab reaches a term\'s link, and Enter opens its entry in the glossary', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await open(page, marked.path);
		const term = await firstTerm(page);
		let on = false;
		for (let i = 0; i < 200 && !on; i++) {
			await page.keyboard.press('Tab');
			on = await page.evaluate(() => document.activeElement?.matches('.content a.term') ?? false);
		}
		must(on, `${marked.path}: 200 presses of Tab did not reach the term "${term.text}"`);
		const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
		must(ring !== 'none', `${marked.path}: the term's link shows no focus ring`);
		await Promise.all([page.waitForURL((u) => u.hash !== ''), page.keyboard.press('Enter')]);
		checkLanded(await landed(page), term, 'Enter');
	} finally {
		await context.close();
	}
});

test('touch: a tap on a term\'s link opens its entry in the glossary', async () => {
	const context = await browser.newContext({
		viewport: { width: 375, height: 700 }, hasTouch: true, isMobile: true,
	});
	const page = await context.newPage();
	try {
		await open(page, marked.path);
		const term = await firstTerm(page);
		const link = page.locator('.content a.term').first();
		await link.scrollIntoViewIfNeeded();
		await Promise.all([page.waitForURL((u) => u.hash !== ''), link.tap()]);
		checkLanded(await landed(page), term, 'A tap');
	} finally {
		await context.close();
	}
});

test('the glossary page lists its terms by letter, each letter\'s link reaching its group', async () => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		await open(page, glossary.path);
		const s = await page.evaluate(() => {
			const letters = [...document.querySelectorAll('.glossary-letters a')];
			return {
				letters: letters.map((a) => a.textContent.trim()),
				broken: letters.filter((a) => !document.getElementById(a.getAttribute('href').slice(1))).map((a) => a.textContent),
				entries: document.querySelectorAll('.glossary-entry').length,
				unnamed: [...document.querySelectorAll('.glossary-entry')].filter((e) => !e.id || !e.querySelector('dt') || !e.querySelector('dd')).length,
				marked: document.querySelectorAll('.content a.term').length,
			};
		});
		must(s.entries > 0, `${glossary.path}: no entries`);
		must(s.unnamed === 0, `${glossary.path}: ${s.unnamed} entries lack an id, a term (dt) or an explanation (dd)`);
		must(s.broken.length === 0, `${glossary.path}: the letters ${s.broken.join(', ')} link to no group`);
		const order = 'ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ';
		const sorted = [...s.letters].sort((a, b) => order.indexOf(a) - order.indexOf(b));
		must(s.letters.join('') === sorted.join(''), `${glossary.path}: the letters are not in order A to Ö: ${s.letters.join(' ')}`);
		must(s.marked === 0, `${glossary.path}: the glossary marks terms in its own text`);
	} finally {
		await context.close();
	}
});
