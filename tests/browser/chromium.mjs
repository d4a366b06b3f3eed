// What the browser tests share: Debian's Chromium, headless (never a
// downloaded browser), and axe-core, served beside the site under test
// at AXE_PATH (startServer(dir, AXE_ROUTES)) and run on a page.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_PATH = '/__valo-tests__/axe.min.js';
export const AXE_ROUTES = { [AXE_PATH]: require.resolve('axe-core/axe.min.js') };
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export function launch() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
	});
}

// Opens path p of server in page; fails unless it answers 200.
export async function openPage(page, server, p) {
	const res = await page.goto(new URL(p, server.url).href, { waitUntil: 'load' });
	assert.ok(res && res.status() === 200, `${p}: HTTP status ${res?.status()}, expected 200`);
}

// axe-core's WCAG 2.1 A and AA violations on the page open in page
// (served from base), each as "rule [impact]: help" and where.
export async function axeViolations(page, base) {
	await page.addScriptTag({ url: new URL(AXE_PATH, base).href });
	return page.evaluate(async (tags) => {
		const r = await window.axe.run(document, {
			runOnly: { type: 'tag', values: tags },
			resultTypes: ['violations'],
		});
		return r.violations.map((v) => `${v.id} [${v.impact}]: ${v.help}` +
			v.nodes.map((n) => `\n      at ${n.target.join(' ')}`).join(''));
	}, AXE_TAGS);
}
