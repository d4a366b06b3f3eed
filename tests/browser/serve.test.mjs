// valo serve in a real browser: an open page reloads by itself after an
// edit, keeps its scroll position, and its reload script breaks no
// Content-Security-Policy. run.sh passes the binary as VALO; the site is a
// copy of tests/sites/basic with the default theme, in build/test-serve-browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from './site.mjs';

// run.sh passes the binary; run alone (node --test), the one make builds.
const VALO = process.env.VALO ?? path.join(REPO, 'build', 'valo');
const SITE = path.join(REPO, 'build', 'test-serve-browser');
const PAGE = path.join(SITE, 'content', 'tietoa.md');

let server, browser, base;

// The long text makes the page scroll, so that the kept position shows.
function pageText(word) {
	const para = 'Tämä kappale pidentää sivua, jotta sitä voi vierittää. '.repeat(8);
	return `---\ntitle: Tietoa sivustosta\n---\n${word}\n\n${(para + '\n\n').repeat(30)}`;
}

// Editors' programs write a temporary file and rename it over the page.
function save(text) {
	const tmp = PAGE + '.tmp~';
	writeFileSync(tmp, text);
	renameSync(tmp, PAGE);
}

before(async () => {
	assert.ok(VALO, 'VALO is the valo binary: run tests/browser/run.sh build/valo');
	rmSync(SITE, { recursive: true, force: true });
	mkdirSync(SITE, { recursive: true });
	cpSync(path.join(REPO, 'tests', 'sites', 'basic'), SITE, { recursive: true });
	rmSync(path.join(SITE, 'expected'), { recursive: true, force: true });
	cpSync(path.join(REPO, 'themes'), path.join(SITE, 'themes'), { recursive: true });
	const conf = readFileSync(path.join(REPO, 'tests', 'fixtures', 'site.conf'), 'utf8')
		.replace(/^theme = .*$/m, 'theme = default');
	writeFileSync(path.join(SITE, 'site.conf'), conf);
	save(pageText('Ensimmäinen versio.'));
	server = spawn(VALO, ['-C', SITE, 'serve', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
	base = await new Promise((resolve, reject) => {
		let err = '';
		const timer = setTimeout(() => reject(new Error(`valo serve did not start: ${err}`)), 15000);
		server.stderr.on('data', (d) => {
			err += d;
			// In English or Finnish, as the site's language decides.
			const m = /(?:serving|esikatselu osoitteessa) (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err);
			if (m) { clearTimeout(timer); resolve(m[1]); }
		});
		server.on('exit', (code) => reject(new Error(`valo serve exited ${code}: ${err}`)));
	});
	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
	});
});

after(async () => {
	await browser?.close();
	if (server && server.exitCode === null) {
		const done = new Promise((resolve) => server.on('exit', resolve));
		server.kill('SIGINT');
		await done;
	}
});

test('serve: an open page reloads by itself after an edit and keeps its place', async () => {
	const page = await browser.newPage({ viewport: { width: 375, height: 600 } });
	const violations = [];
	page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text()); });
	await page.goto(base + 'tietoa/');
	// The build puts soft hyphens (U+00AD) into long words: read past them.
	await page.waitForFunction(() => document.body.textContent.replace(/\u00ad/g, '').includes('Ensimmäinen versio.'));
	// The event stream is open before the edit, or the edit goes unseen.
	await page.waitForTimeout(300);
	await page.evaluate(() => window.scrollTo(0, 900));
	await page.waitForFunction(() => window.scrollY >= 800);
	save(pageText('Toinen versio.'));
	await page.waitForFunction(() => document.body.textContent.replace(/\u00ad/g, '').includes('Toinen versio.'), null, { timeout: 10000 });
	await page.waitForFunction(() => window.scrollY >= 800, null, { timeout: 5000 });
	assert.deepEqual(violations, [], 'the reload script breaks the page\'s Content-Security-Policy');
	await page.close();
});

test('serve: the built pages carry no reload script', async () => {
	const html = readFileSync(path.join(REPO, 'build', 'browser-site', 'index.html'), 'utf8');
	assert.ok(!html.includes('/__valo/'), 'the published build contains the preview script');
	assert.ok(html.includes("script-src 'none'"), 'the published build lost its script-src \'none\'');
});
