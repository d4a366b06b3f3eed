// Browser tests of the languages: the switcher (languages.mustache) and
// what tells a browser, a screen reader and a search engine which
// language a page is in. The pages are found in the built site
// (VALO_SITE_DIR), not named: a page with versions in every language
// (its hreflang links name them all), and a page with no other version.
//   1. every page's <html lang> is the language of its address (/sv/...
//      Swedish, the root Finnish), and its switcher links are in the
//      language they lead to (lang, hreflang);
//   2. a page's hreflang links and its switcher agree, each version
//      names all the others, and they reach each other: clicking through
//      the switcher from the Finnish version visits every language and
//      comes back;
//   3. the switcher of a page with no version in a language leads to
//      that language's front page, and says so to a screen reader;
//   4. by keyboard alone: Tab reaches the switcher's links and Enter
//      follows one; axe-core finds nothing on the versions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AXE_ROUTES, axeViolations, launch, openPage } from './chromium.mjs';
import { startServer } from './server.mjs';
import { SITE_DIR, sitePages } from './site.mjs';

const HREFLANG = /<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)">/g;

let server, browser, pages, langs, full, alone;

function must(cond, msg) {
	if (!cond) assert.fail(msg);
}

// The language a page's address says: its first folder, where that is
// one of the site's other languages, else the site's own.
function langOf(p) {
	const first = p.path.split('/')[1];
	return langs.slice(1).includes(first) ? first : langs[0];
}

before(async () => {
	must(existsSync(path.join(SITE_DIR, 'index.html')),
		`no built site in ${SITE_DIR}: run tests/browser/run.sh build/valo`);
	pages = sitePages().filter((p) => p.path !== '/404.html');
	const alts = (p) => [...p.html.matchAll(HREFLANG)].map((m) => m[1]);
	// The site's languages: those of the page with the most versions,
	// its own first as the root page's <html lang> says.
	full = pages.filter((p) => alts(p).length > 0 && p.path !== '/' &&
		!/^\/[a-z]{2}\/$/.test(p.path))
		.sort((a, b) => alts(b).length - alts(a).length)[0];
	const root = pages.find((p) => p.path === '/');
	const own = /<html lang="([a-z]+)"/.exec(root.html)[1];
	langs = full ? [own, ...alts(full).filter((l) => l !== own)] : [own];
	alone = pages.find((p) => langOf(p) === own && alts(p).length === 0 &&
		/class="languages"/.test(p.html) && !/\/[0-9a-f]{12}\/$/.test(p.path));
	server = await startServer(SITE_DIR, AXE_ROUTES);
	browser = await launch();
});

after(async () => {
	await browser?.close();
	await server?.close();
});

const open = (page, p) => openPage(page, server, p);

// The switcher as the browser has it: each link's address, lang,
// hreflang, and the name a screen reader hears.
function switcher(page) {
	return page.evaluate(() => [...document.querySelectorAll('nav.languages a')].map((a) => ({
		href: new URL(a.href).pathname,
		lang: a.getAttribute('lang'),
		hreflang: a.getAttribute('hreflang'),
		text: a.textContent.replace(/\u00ad/g, ''),
		hidden: [...a.querySelectorAll('.visually-hidden')].map((s) => ({
			lang: s.getAttribute('lang'), text: s.textContent.trim(),
		})),
	})));
}

test('the site has pages in three languages, and a page in one', () => {
	must(full, 'no page of the site has hreflang links: are there translated pages (sivu.sv.md)?');
	must(langs.length >= 3, `the site's languages are ${langs.join(', ')}; the example site has fi, sv and en`);
	must(alone, 'no page of the site is in one language only');
});

test('every page says its language, and its switcher the language of each link', () => {
	for (const p of pages) {
		const lang = /<html lang="([a-z]+)"/.exec(p.html)?.[1];
		must(lang === langOf(p), `${p.path}: <html lang="${lang}">, but its address is in ${langOf(p)}`);
		const nav = /<nav class="languages"[^>]*>([\s\S]*?)<\/nav>/.exec(p.html);
		must(nav, `${p.path}: no language switcher`);
		const links = [...nav[1].matchAll(/<a href="([^"]+)" lang="([a-z]+)" hreflang="([a-z]+)">/g)];
		must(links.length === langs.length - 1,
			`${p.path}: the switcher has ${links.length} links, not one for each other language`);
		for (const [, href, l, h] of links) {
			must(l === h && l !== lang, `${p.path}: a switcher link lang="${l}" hreflang="${h}"`);
			const to = pages.find((q) => q.path === href);
			must(to, `${p.path}: the switcher leads to ${href}, which is not a page of the site`);
			must(langOf(to) === l, `${p.path}: the ${l} link leads to ${href}, a page in ${langOf(to)}`);
		}
	}
});

test('each version names all of them, and the switcher goes round them', async () => {
	const versions = [...full.html.matchAll(HREFLANG)].map((m) => ({ lang: m[1], path: new URL(m[2]).pathname }));
	must(versions.length === langs.length, `${full.path}: hreflang links ${versions.map((v) => v.lang)}`);
	for (const v of versions) {
		const p = pages.find((q) => q.path === v.path);
		must(p, `${full.path}: hreflang="${v.lang}" names ${v.path}, which is not a page of the site`);
		const theirs = [...p.html.matchAll(HREFLANG)].map((m) => `${m[1]} ${new URL(m[2]).pathname}`);
		assert.deepEqual(theirs, versions.map((w) => `${w.lang} ${w.path}`), `${v.path}: its hreflang links`);
	}
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
	const page = await context.newPage();
	try {
		// fi → sv → en → fi by the switcher, as a reader would.
		const order = [...langs.slice(1), langs[0]];
		await open(page, versions.find((v) => v.lang === langs[0]).path);
		for (const l of order) {
			const link = page.locator(`nav.languages a[hreflang="${l}"]`);
			await Promise.all([page.waitForNavigation(), link.click()]);
			const at = new URL(page.url()).pathname;
			must(at === versions.find((v) => v.lang === l).path, `the ${l} link led to ${at}`);
			must(await page.getAttribute('html', 'lang') === l, `${at}: not lang="${l}"`);
		}
	} finally {
		await context.close();
	}
});

test('a page in one language leads to the other languages\' front pages, and says so', async () => {
	const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
	const page = await context.newPage();
	try {
		await open(page, alone.path);
		const links = await switcher(page);
		for (const l of links) {
			must(/^\/[a-z]{2}\/$/.test(l.href), `${alone.path}: the ${l.lang} link leads to ${l.href}, not that language's front page`);
			must(l.hidden.length === 1 && l.hidden[0].lang === langs[0] && l.hidden[0].text.length > 10,
				`${alone.path}: the ${l.lang} link does not say, in the page's language, that it leads to the front page`);
		}
		// What a screen reader hears: the language's name, then why.
		const cdp = await context.newCDPSession(page);
		const { root } = await cdp.send('DOM.getDocument');
		const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'nav.languages a' });
		const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
		const soft = (s) => s.replace(/\u00ad/g, '');
		const name = soft(String((nodes.find((n) => n.role?.value === 'link') ?? nodes[0])?.name?.value ?? ''));
		// The language's own name as written (not its code, nor in upper
		// case), then why.
		const own = await page.evaluate(() => document.querySelector('nav.languages a .lang-name').textContent);
		const why = soft(links[0].hidden[0].text);
		must(name === `${own} ${why}`, `${alone.path}: the link's accessible name is "${name}", not "${own} ${why}"`);
	} finally {
		await context.close();
	}
});

// On a phone the switcher shares the band with the site's name, the menu
// button and the search form: on every kind of page (the search page has
// no form in the band) nothing of it may lie over another.
test('at 320 and 375 px the switcher lies over nothing in the band', async () => {
	const search = pages.find((p) => /class="search-page"/.test(p.html) && langOf(p) !== langs[0]);
	const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
	const page = await context.newPage();
	try {
		for (const width of [320, 375]) {
			await page.setViewportSize({ width, height: 800 });
			for (const p of [full, alone, search].filter(Boolean)) {
				await open(page, p.path);
				const clash = await page.evaluate(() => {
					const box = (e) => e.getBoundingClientRect();
					const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
					const others = [...document.querySelectorAll('.site-title, .menu-toggle, .site-search')]
						.filter((e) => e.offsetParent !== null);
					const out = [];
					for (const a of document.querySelectorAll('nav.languages a'))
						for (const o of others)
							if (meet(box(a), box(o))) out.push(`${a.textContent.trim()} over .${o.className.split(' ')[0]}`);
					return out;
				});
				must(clash.length === 0, `${p.path} at ${width} px: ${clash.join(', ')}`);
			}
		}
	} finally {
		await context.close();
	}
});

test('the switcher by keyboard alone', async () => {
	const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
	const page = await context.newPage();
	try {
		await open(page, full.path);
		const want = (await switcher(page))[0];
		let focused = null;
		for (let i = 0; i < 20 && focused?.href !== want.href; i++) {
			await page.keyboard.press('Tab');
			focused = await page.evaluate(() => {
				const a = document.activeElement;
				return a?.closest('nav.languages') ? { href: new URL(a.href).pathname } : null;
			});
		}
		must(focused?.href === want.href, `${full.path}: 20 presses of Tab never reached the switcher`);
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
		must(new URL(page.url()).pathname === want.href, `Enter on the switcher led to ${page.url()}`);
	} finally {
		await context.close();
	}
});

test('axe-core WCAG 2.1 A/AA: every version of a page', async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
	const page = await context.newPage();
	try {
		for (const m of full.html.matchAll(HREFLANG)) {
			const p = new URL(m[2]).pathname;
			await t.test(p, async () => {
				await open(page, p);
				const violations = await axeViolations(page, server.url);
				must(violations.length === 0, `${p}:\n  - ${violations.join('\n  - ')}`);
			});
		}
	} finally {
		await context.close();
	}
});
